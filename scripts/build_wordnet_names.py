#!/usr/bin/env python
"""Build src/ehrnlp/deid/data/wordnet_names.txt: words WordNet knows only as a person's or a
place's name.

    apt-get download wordnet-base && dpkg -x wordnet-base_*.deb /tmp/wn
    python scripts/build_wordnet_names.py /tmp/wn/usr/share/wordnet

The de-identifier's English lexicon (the spaCy lemmatizer's WordNet index) is lower-cased, so
it cannot tell "delacroix", "ignatius" or "marlowe" (nouns only as names: a painter, a saint, a
poet) from "kidney" or "stone". WordNet's own data files keep the capitals: a single word all of
whose noun senses are capitalised, in the lexicographer files noun.person (18) or
noun.location (15), and that is no verb, adjective or adverb, is a name word. The stage uses
the list like the surname list: as evidence only at a slot a person or a town takes
(ehrnlp.deid.slots), after its clinical, drug and ordinary-word vetoes.

WordNet 3.0 is distributed under the WordNet license (Princeton University), whose notice the
output file carries.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ehrnlp" / "deid" / "data" / "wordnet_names.txt"
NOTICE = """# Words that WordNet 3.0 knows only as the name of a person (noun.person) or a place (noun.location):
# every noun sense capitalised, no verb, adjective or adverb sense. Built by scripts/build_wordnet_names.py.
# Evidence for a name or a town only at a slot a person or a town takes (ehrnlp.deid.slots).
# Permission to use, copy, modify and distribute this software and database and its documentation for any
# purpose and without fee or royalty is hereby granted, provided that you agree to comply with the following
# copyright notice and statements, including the disclaimer, and that the same appear on ALL copies of the
# software, database and documentation, including modifications that you make for internal use or for
# distribution.
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS SOFTWARE AND DATABASE IS
# PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED.
# BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF
# MERCHANT- ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE,
# DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER
# RIGHTS. The name of Princeton University or Princeton may not be used in advertising or publicity
# pertaining to distribution of the software and/or database.
"""
_PERSON, _LOCATION = 18, 15


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dict_dir", help="WordNet's dict folder (data.noun, index.verb, index.adj, index.adv)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    d = Path(args.dict_dir)
    senses: dict[str, set[tuple[bool, int]]] = collections.defaultdict(set)
    for line in (d / "data.noun").open(encoding="latin-1"):
        if line.startswith(" "):
            continue  # the license header
        p = line.split()
        lexfile, n = int(p[1]), int(p[3], 16)
        for k in range(n):
            w = p[4 + 2 * k]
            if w.isalpha():
                senses[w.lower()].add((w[0].isupper(), lexfile))
    other: set[str] = set()
    for name in ("index.verb", "index.adj", "index.adv"):
        other.update(line.split()[0] for line in (d / name).open(encoding="latin-1") if not line.startswith(" "))
    words = sorted(w for w, s in senses.items() if len(w) >= 3 and w not in other
                   and all(cap and lex in (_PERSON, _LOCATION) for cap, lex in s))
    Path(args.out).write_text(NOTICE + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
