#!/usr/bin/env python
"""Build src/ehrnlp/deid/data/capital_words.txt: words that English text writes capitalised far
more often than in lower case, and seldom in lower case: names ("Wainwright", "Cartwright",
"Tennant"), not ordinary words ("hall", "price", "baker", "bishop", "brown").

    pip download --no-deps spacy-lookups-data==1.0.5 -d /tmp/sld
    python scripts/build_capital_words.py /tmp/sld/spacy_lookups_data-1.0.5-py2.py3-none-any.whl

The source is the English ``lexeme_prob`` table of spaCy's ``spacy-lookups-data`` package (MIT
licence, Explosion AI): the log probability of each spelling, case kept, in a large English web
corpus. A word is listed (lower-cased) when, 4+ ASCII letters, its capitalised form was seen
(log probability above the table's floor of the rarest words), the capitalised form is at least
``--ratio`` (natural log, default 1.0: e^1 = 2.7 times) more probable than the lower-case one,
and the lower-case form is rarer than ``--rare`` (default -14.0; one never seen counts as one unit
below the floor). The word is no ordinary
English word then, whatever a dictionary holds ("wainwright" is a WordNet noun): the list is
evidence of a name where a text opens with no cue (ehrnlp.deid.slots.opening_names) and is
never used alone elsewhere. The 98 MB package is no dependency of ehrnlp: only this derived list
ships. Attribution: docs/licences.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ehrnlp" / "deid" / "data" / "capital_words.txt"
MEMBER = "spacy_lookups_data/data/en_lexeme_prob.json.gz"
MIT = """spacy-lookups-data: MIT License. Copyright (c) 2019 ExplosionAI GmbH
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
to permit persons to whom the Software is furnished to do so, subject to the following conditions:
The above copyright notice and this permission notice shall be included in all copies or substantial portions
of the Software.
THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE."""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wheel", help="the spacy-lookups-data wheel (or the extracted en_lexeme_prob.json.gz)")
    ap.add_argument("--ratio", type=float, default=1.0)
    ap.add_argument("--rare", type=float, default=-14.0)
    args = ap.parse_args(argv)
    src = Path(args.wheel)
    if src.suffix == ".whl":
        with zipfile.ZipFile(src) as z:
            prob = json.loads(gzip.decompress(z.read(MEMBER)))
    else:
        prob = json.loads(gzip.decompress(src.read_bytes()))
    floor = min(prob.values())
    words = set()
    for w, cap in prob.items():
        if not (len(w) >= 4 and w.isascii() and w.isalpha() and w[0].isupper() and w[1:].islower()):
            continue
        low = prob.get(w.lower(), floor - 1.0)  # (never seen in lower case: rarer than the rarest seen)
        if cap > floor + 0.05 and cap - low >= args.ratio and low < args.rare:
            words.add(w.lower())
    header = ("# Words English text writes capitalised far more often than in lower case and seldom in lower case\n"
              f"# (spaCy's spacy-lookups-data 1.0.5, en lexeme_prob, MIT licence, Explosion AI; ratio >= {args.ratio}, "
              f"lower case < {args.rare}).\n"
              "# Built by scripts/build_capital_words.py. Evidence of a name only where a text opens (ehrnlp.deid.slots).\n"
              + "".join(f"# {ln}".rstrip() + "\n" for ln in MIT.splitlines()))
    OUT.write_text(header + "\n".join(sorted(words)) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
