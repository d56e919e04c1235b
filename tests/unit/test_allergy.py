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


@pytest.mark.parametrize(
    "text, inside",
    [
        # "X caused Y" written as the reaction, then the exposure
        ("She had wheezing and urticaria after eating a cookie with walnuts last month.", ["urticaria", "walnuts"]),
        ("Developed hives within minutes of a bee sting at the park.", ["bee sting"]),
        ("Gets a rash whenever she touches nickel jewelry.", ["nickel"]),
        ("Lip swelling shortly after taking ibuprofen.", ["ibuprofen"]),
        ("throat tightness upon exposure to latex gloves", ["latex"]),
        # an allergic condition and its trigger
        ("Seasonal allergic rhinitis with sneezing each spring from tree pollen.", ["tree pollen"]),
        ("Contact dermatitis due to adhesive tape on the chest.", ["adhesive tape"]),
        ("Hay fever triggered by grass.", ["grass"]),
        # avoiding a food or an environmental substance
        ("Plan: Avoid all nuts and shellfish. Return in 3 months.", ["nuts", "shellfish"]),
        ("Counseled on strict avoidance of peanuts.", ["peanuts"]),
        ("Advised to keep away from cats.", ["cats"]),
    ],
)
def test_exposure_contexts_hold_the_substance(text: str, inside: list[str]) -> None:
    ctx = find_allergy_contexts(text)
    for word in inside:
        i = text.index(word)
        assert any(a <= i and i + len(word) <= b for a, b in ctx), word


@pytest.mark.parametrize(
    "text, outside",
    [
        ("Rash on the left arm after a fall near the dog park.", ["dog park"]),
        ("Avoid NSAIDs given CKD stage 3.", ["NSAIDs"]),
        ("He has allergic rhinitis, on fluticasone daily.", ["fluticasone"]),
        # the treatment of the reaction is no part of the exposure
        ("Hives after eating shrimp, treated with diphenhydramine in the ED.", ["diphenhydramine"]),
        ("Hives after eating shrimp. Started lisinopril for hypertension.", ["lisinopril"]),
        ("Nausea after eating a large meal.", ["large meal"]),
    ],
)
def test_exposure_contexts_stop_where_the_exposure_does(text: str, outside: list[str]) -> None:
    ctx = find_allergy_contexts(text)
    for word in outside:
        i = text.index(word)
        assert not any(a <= i < b for a, b in ctx), word
