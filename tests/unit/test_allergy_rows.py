"""An allergy list's row read on its own ("Keflex - hives"): an application that reads an
allergy table row by row, or a row pasted into a note without its header. The row is an
allergy context; its head is the allergen and the findings after it its reactions."""

from __future__ import annotations

import pytest
from entity_doc import entities_from

from ehrnlp.allergy import entry_rows, find_allergy_contexts
from ehrnlp.model import Document, Section
from ehrnlp.relations import RelationStage
from ehrnlp.sections import SectionStage
from ehrnlp.vocab import load_vocabulary

ROWS = [
    "Keflex - hives",
    "Penicillin: hives",
    "Sulfa - rash",
    "Latex - contact dermatitis",
    "Morphine (itching)",
    "Bactrim - Stevens-Johnson syndrome",
    "Ampicillin  hives and rhinitis",  # columns cut by runs of spaces
    "Amoxicillin\tAnaphylaxis",  # by a tab
    "\u2022 Peanuts - throat swelling",
    "- cefdinir: Intolerance",
    "Shellfish - Hives - Moderate",
    "Ibuprofen\tNausea\tModerate",  # the severity column ends the row
    "Bee venom   swelling   Unknown",  # a status column after a reaction
    "Tree nuts - serious",
]
NOT_ROWS = [
    "Lisinopril 10 mg daily",
    "Cetirizine 10 mg - hives",  # a dose: a medication list's row with its indication
    "Skin: hives on arms",  # an exam heading
    "Right arm: swelling",
    "She developed hives after penicillin",  # a sentence (cue-based rules read it)
    "Plan: Benadryl prn itching",
    "Codeine - nausea",  # nausea alone is no allergy's mark
    "Potassium: low",  # a lab value
    "Glucose: high",
    "Rash: none",
    "Penicillin - no reaction",
    "Ondansetron: given for nausea and vomiting",
]


@pytest.mark.parametrize("text", ROWS)
def test_a_row_of_an_allergy_list(text: str) -> None:
    (row,) = entry_rows(text)
    # from the head (after any bullet) to the line's end
    assert text[row[0]].isalnum() and text[:row[0]].strip() in ("", "-", "\u2022") and row[1] == len(text)
    assert find_allergy_contexts(text)  # the row is an allergy context


@pytest.mark.parametrize("text", NOT_ROWS)
def test_lines_that_are_no_allergy_row(text: str) -> None:
    assert entry_rows(text) == []


def test_rows_inside_a_note_and_a_medication_section() -> None:
    text = "Medications:\nCetirizine - hives\n\nOther:\nKeflex - hives\n"
    rows = entry_rows(text)
    assert [text[a:b] for a, b in rows] == ["Cetirizine - hives", "Keflex - hives"]
    med = Section("medications", 0, text.index("\n\nOther"))
    ctx = find_allergy_contexts(text, [med])
    # the medication list's row is its indication, not an allergy
    assert all(not (a <= text.index("Cetirizine") < b) for a, b in ctx)
    assert any(a <= text.index("Keflex") < b for a, b in ctx)


def _run(text: str, spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    doc = SectionStage()(Document(text=text, entities=tuple(entities_from(text, spans))))
    out = RelationStage(load_vocabulary())(doc)
    return [(e.label, e.text) for e in out.entities]


@pytest.mark.parametrize("text, spans, expected", [
    # the tagger found nothing at the head: the vocabulary's drug becomes the allergen
    ("Penicillin - hives", [("SYMPTOM", "hives")], [("ALLERGEN", "Penicillin"), ("REACTION", "hives")]),
    # the tagger read the head as a medication
    ("Keflex: hives", [("MEDICATION", "Keflex"), ("SYMPTOM", "hives")],
     [("ALLERGEN", "Keflex"), ("REACTION", "hives")]),
    # a medication list's row with a dose stays a medication
    ("Cetirizine 10 mg - hives", [("MEDICATION", "Cetirizine"), ("DOSE", "10 mg"), ("SYMPTOM", "hives")],
     [("MEDICATION", "Cetirizine"), ("DOSE", "10 mg"), ("SYMPTOM", "hives")]),
    # an exam line is no row
    ("Skin: hives on arms", [("SYMPTOM", "hives")], [("SYMPTOM", "hives")]),
])
def test_the_relations_stage_reads_a_row_alone(text, spans, expected) -> None:
    assert _run(text, spans) == expected
