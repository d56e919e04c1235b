#!/usr/bin/env python
"""Build src/ehrnlp/deid/data/world_names.txt: given names and surnames of many languages,
written without their diacritics, that are no English word.

    pip download faker==40.63.0 --no-deps -d /tmp/faker
    python -m zipfile -e /tmp/faker/faker-40.63.0-py3-none-any.whl /tmp/faker/ex
    python scripts/build_world_names.py /tmp/faker/ex

The source is the person-name lists of the MIT-licensed ``Faker`` package (first and last
(and middle) names of its ~85 locales: Nordic, Slavic, Baltic, Turkish, Vietnamese, Portuguese, Spanish,
French, German, Hungarian, Romanian, Icelandic, Irish, African, Indian and more). A name is
written as a keyboard without marks writes it (``Lindström`` -> ``lindstrom``, ``Yıldırım`` ->
``yildirim``, ``Nguyễn`` -> ``nguyen``), cut at blanks, hyphens and apostrophes; non-Latin
scripts fold to nothing Latin and are left out (the stage takes those scripts as names by
themselves). Only parts of 4+ letters that the de-identifier's English lexicon does not hold
are kept, unless WordNet knows the word only as a name (``data/wordnet_names.txt``): the list
is evidence that an unknown word is a person's name and not a misspelling or an abbreviation
(ehrnlp.deid.slots.world_names); it never makes an English word a name.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "ehrnlp" / "deid" / "data"
OUT = DATA / "world_names.txt"

#: letters NFKD does not decompose
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "æ": "ae",
                       "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "ı": "i", "İ": "I", "đ": "d", "Đ": "D", "ħ": "h"})


def fold(s: str) -> str:
    """``s`` without its diacritics (``Peña`` -> ``Pena``, ``Þórsson`` -> ``Thorsson``)."""
    s = s.translate(_FOLD)
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def faker_names(root: str) -> set[str]:
    """Every first and last name of Faker's person providers (``root`` holds the ``faker`` package)."""
    sys.path.insert(0, root)
    import faker.providers.person as person

    names: set[str] = set()
    for m in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{m.name}").Provider
        for attr in dir(provider):
            if attr.startswith("_") or not any(k in attr for k in ("first_names", "last_names", "middle_names")):
                continue  # (first_names_male, unisex_last_names, male_last_names, middle_names ...)
            value = getattr(provider, attr)
            if isinstance(value, dict):
                value = list(value)
            if isinstance(value, (list, tuple)):
                names.update(x for x in value if isinstance(x, str))
    return names


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("faker_root", help="a folder holding the extracted faker package (faker/providers/person/...)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_surnames import english_lexicon, write_word_list

    from ehrnlp.deid.engine import load_wordnet_names

    lexicon = english_lexicon()
    if lexicon is None:
        return 2
    wordnet_names = load_wordnet_names()
    kept: set[str] = set()
    for name in faker_names(args.faker_root):
        for part in re.split(r"[\s'’-]+", fold(name).lower()):
            if len(part) >= 4 and part.isascii() and part.isalpha() and (part not in lexicon or part in wordnet_names):
                kept.add(part)
    header = ("# Given names and surnames of many languages (the person-name lists of the MIT-licensed `Faker` package,\n"
              "# 40.63.0), written without diacritics, lower-cased, 4+ letters, no English word of the de-identifier's\n"
              "# lexicon (unless WordNet knows it only as a name); built by scripts/build_world_names.py.\n"
              "# Evidence that an unknown word is a person's name (ehrnlp.deid.slots.world_names). One a line.\n")
    write_word_list(args.out, header, kept, "names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
