"""A surname that only propagation finds (the note named the person earlier, with a cue) opening a
table row gives the given name in the next cell (canary dev seed 857: ``[Surname]|Given|guarantor``,
deid15). Every person here is invented."""

from __future__ import annotations

import pytest

from ehrnlp.model import Document


def _masked(stage, text: str, value: str) -> bool:
    doc = stage(Document(text=text))
    i = text.rindex(value)
    return any(p.orig_start <= i and i + len(value) <= p.orig_end for p in doc.phi)


@pytest.mark.parametrize("text,given", [
    ("Seen by Dr. Quorrath today for follow-up.\nContacts:\nQuorrath|Velmira|guarantor\n", "Velmira"),
    ("SEEN BY DR. QUORRATH TODAY.\nQUORRATH|VELMIRA|GUARANTOR\n", "VELMIRA"),
    ("seen by dr. quorrath today.\nquorrath\tvelmira\tguarantor\n", "velmira"),
])
def test_the_given_name_after_a_propagated_surname_cell_is_masked(rules_stage, text, given):
    assert _masked(rules_stage, text, given)


def test_a_word_after_a_propagated_surname_cell_that_is_a_label_stays(rules_stage):
    text = "Seen by Dr. Quorrath today.\nQuorrath|guarantor|self\n"
    doc = rules_stage(Document(text=text))
    i = text.index("guarantor")
    assert not any(p.orig_start <= i < p.orig_end for p in doc.phi)
