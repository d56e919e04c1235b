"""An address line read on its own (issue 18's sentence-alone harness on presidio-synth): a
street written with its number after it, as much of Europe writes one, keeps the house number
before it in the mask. Every address here is invented."""

from __future__ import annotations

import pytest


def _kept(nlp, text: str, value: str) -> bool:
    doc = nlp(text)
    masked = [(p.orig_start, p.orig_end) for p in doc.phi]
    i = text.index(value)
    return not any(a <= i and i + len(value) <= b for a, b in masked)


@pytest.mark.parametrize("text,number", [
    ("583 Quellervej 298", "583"),
    ("0104 Brindastraeti 5", "0104"),
    ("22829 Vossenhoek 64\n", "22829"),
    ("Address: 77 Harrowgate Lane", "77"),
])
def test_a_house_number_before_a_street_is_masked_with_it(nlp, text, number):
    assert not _kept(nlp, text, number), [text[p.orig_start:p.orig_end] for p in nlp(text).phi]


@pytest.mark.parametrize("text,number", [
    ("Took 2 Tylenol 500 mg last night.", "2"),
    ("Bed 4 Station 7", "4"),
    ("Timolol 0.5% 1 gtt OU BID", "1"),
])
def test_a_number_before_words_that_are_no_street_stays(nlp, text, number):
    assert _kept(nlp, text, number)
