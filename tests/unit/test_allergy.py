"""ehrnlp.allergy: NKA statements, allergy cues and the qualifiers of an allergy, in one module."""

from __future__ import annotations

import pytest

from ehrnlp.allergy import (
    allergy_category,
    allergy_criticality,
    allergy_severity,
    allergy_type,
    find_allergy_contexts,
    find_nka,
    is_allergy_status,
)
from ehrnlp.model import Code
from ehrnlp.terminology import RXNORM, SNOMED, UNII


def test_the_stages_use_this_module_not_copies():
    import ehrnlp.ner.rules as rules
    import ehrnlp.ner.tagger as tagger
    import ehrnlp.relations as relations

    assert relations.find_nka is find_nka
    assert tagger.is_allergy_status is is_allergy_status
    assert rules.find_allergy_contexts is find_allergy_contexts


@pytest.mark.parametrize("text, codes, category", [
    ("penicillin", [Code(RXNORM, "70618")], "medication"),
    ("Sulfa (Sulfonamide Antibiotics)", [], None),
    ("peanuts", [], "food"),
    ("shellfish", [Code(SNOMED, "227037002")], "food"),
    ("cat dander", [], "environment"),
    ("latex", [], "environment"),
    # the code system decides before the words (a coded substance)
    ("egg-based vaccine", [Code(UNII, "291P45F896")], "medication"),
])
def test_allergy_category(text, codes, category):
    assert allergy_category(text, codes) == category


def test_allergy_criticality_severity_and_type():
    assert allergy_criticality(["hives", "anaphylaxis"]) == "high"
    assert allergy_criticality(["throat swelling"]) == "high"
    assert allergy_criticality(["rash", "tenderness"]) is None  # "ten" is TEN only as a word
    assert allergy_criticality([]) is None
    assert allergy_severity(" Severe ") == "severe" and allergy_severity("mod") == "moderate"
    assert allergy_severity("bad") is None
    assert allergy_type("intolerant of") == "intolerance" and allergy_type("intolerance") == "intolerance"
    assert allergy_type("allergic to") is None and allergy_type("Allergies/Intolerances:") is None
    assert allergy_type(None) is None


def test_allergy_contexts_are_remembered_per_text_and_allergies_sections_and_returned_as_fresh_lists():
    from ehrnlp.model import Section

    text = "Medications: aspirin 81 mg daily\nAllergies: penicillin (hives)\n\nPlan: follow up"
    first = find_allergy_contexts(text)
    assert first and all(text[a:b].count("penicillin") for a, b in first)
    first.append((0, 1))  # a caller's change does not reach the next caller
    assert find_allergy_contexts(text) == first[:-1]
    # the answer depends on the allergies sections: another section changes nothing, an
    # allergies section over the medication line makes it a context
    meds = Section(name="medications", start=0, end=33)
    assert find_allergy_contexts(text, [meds]) == first[:-1]
    as_allergies = Section(name="allergies", start=0, end=33)
    assert any(a == 0 for a, _ in find_allergy_contexts(text, [as_allergies]))
    # an equal text built anew gives the same answer as the first
    assert find_allergy_contexts("".join(list(text))) == first[:-1]
