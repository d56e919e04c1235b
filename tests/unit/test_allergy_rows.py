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
    "Codeine - nausea",  # nausea alone is no allergy's mark to the text alone (the relations stage reads it with the vocabulary)
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


def _run_links(text: str, spans: list[tuple[str, str]], sections=()) -> list[tuple[str, str, tuple[str, ...]]]:
    doc = Document(text=text, entities=tuple(entities_from(text, spans)), sections=tuple(sections))
    out = RelationStage(load_vocabulary())(doc)
    return [(e.label, e.text, tuple(a.text for a in e.attributes)) for e in out.entities]


# rows whose reaction column only the vocabulary tells: a drug of the vocabulary at the head, no
# dose, route or frequency on the line, and nothing but symptoms (or the severity and status
# columns) after it; the tagger read the head as a medication and the rest as symptoms
VOCAB_ROWS = [
    ("Codeine - nausea", [("MEDICATION", "Codeine"), ("SYMPTOM", "nausea")],
     [("ALLERGEN", "Codeine", ("nausea",)), ("REACTION", "nausea", ())]),
    ("Cephalexin: Bradycardia, headache", [("MEDICATION", "Cephalexin"), ("SYMPTOM", "Bradycardia"), ("SYMPTOM", "headache")],
     [("ALLERGEN", "Cephalexin", ("Bradycardia", "headache")), ("REACTION", "Bradycardia", ()), ("REACTION", "headache", ())]),
    ("Lisinopril\tcough", [("MEDICATION", "Lisinopril"), ("SYMPTOM", "cough")],
     [("ALLERGEN", "Lisinopril", ("cough",)), ("REACTION", "cough", ())]),
    # the head untagged: the vocabulary's drug; the rest untagged: the vocabulary's symptoms
    ("\u2022 Metoprolol   dizziness; fatigue", [],
     [("ALLERGEN", "Metoprolol", ("dizziness", "fatigue")), ("REACTION", "dizziness", ()), ("REACTION", "fatigue", ())]),
    ("Atorvastatin - myalgias - Moderate", [("MEDICATION", "Atorvastatin"), ("SYMPTOM", "myalgias")],
     [("ALLERGEN", "Atorvastatin", ("myalgias", "Moderate")), ("REACTION", "myalgias", ()), ("SEVERITY", "Moderate", ())]),
]
# lines that stay a medication: a disorder is an indication, a sig or an indication's word makes
# a medication list's line, a medications section holds drugs and their indications
VOCAB_NOT_ROWS = [
    ("Metformin - diabetes", [("MEDICATION", "Metformin"), ("PROBLEM", "diabetes")]),
    ("Aspirin 81 mg - CAD", [("MEDICATION", "Aspirin"), ("DOSE", "81 mg"), ("PROBLEM", "CAD")]),
    ("Tylenol prn headache", [("MEDICATION", "Tylenol"), ("FREQUENCY", "prn"), ("SYMPTOM", "headache")]),
    ("Ondansetron - for nausea", [("MEDICATION", "Ondansetron"), ("SYMPTOM", "nausea")]),
    ("Meclizine  PO  dizziness", [("MEDICATION", "Meclizine"), ("ROUTE", "PO"), ("SYMPTOM", "dizziness")]),
    ("Metoprolol - dizziness and a new mass", [("MEDICATION", "Metoprolol"), ("SYMPTOM", "dizziness")]),  # a piece no symptom
    ("Diabetes - neuropathy", [("PROBLEM", "Diabetes"), ("PROBLEM", "neuropathy")]),  # no drug at the head
]


@pytest.mark.parametrize("text, spans, expected", VOCAB_ROWS)
def test_a_drug_and_its_symptoms_on_a_row_alone_are_an_allergy(text, spans, expected) -> None:
    assert _run_links(text, spans) == expected


@pytest.mark.parametrize("text, spans", VOCAB_NOT_ROWS)
def test_a_drug_with_its_indication_stays_a_medication(text, spans) -> None:
    labels = {lab for lab, _, _ in _run_links(text, spans)}
    assert "ALLERGEN" not in labels and "REACTION" not in labels


def test_a_drug_and_its_symptom_in_a_medications_section_stays_a_medication() -> None:
    text = "Medications:\nCodeine - nausea\n"
    med = Section("medications", 0, len(text))
    out = _run_links(text, [("MEDICATION", "Codeine"), ("SYMPTOM", "nausea")], [med])
    assert [lab for lab, _, _ in out] == ["MEDICATION", "SYMPTOM"]


@pytest.mark.parametrize("text, spans, expected", [
    ("Latex   (severe)", [("ALLERGEN", "Latex")], [("ALLERGEN", "Latex", ("severe",)), ("SEVERITY", "severe", ())]),
    ("Bees -   serious", [("ALLERGEN", "Bees")], [("ALLERGEN", "Bees", ("serious",)), ("SEVERITY", "serious", ())]),
    ("Celery  itchy - Moderate reaction", [("ALLERGEN", "Celery"), ("SYMPTOM", "itchy")],
     [("ALLERGEN", "Celery", ("itchy", "Moderate")), ("REACTION", "itchy", ()), ("SEVERITY", "Moderate", ())]),
    ("Penicillin - hives - life-threatening", [("ALLERGEN", "Penicillin"), ("SYMPTOM", "hives")],
     [("ALLERGEN", "Penicillin", ("hives", "life-threatening")), ("REACTION", "hives", ()), ("SEVERITY", "life-threatening", ())]),
])
def test_the_severity_column_of_a_row_alone(text, spans, expected) -> None:
    assert _run_links(text, spans) == expected


def test_a_severity_word_outside_a_row_is_not_added() -> None:
    out = _run_links("Severe headache after starting lisinopril.", [("SYMPTOM", "headache"), ("MEDICATION", "lisinopril")])
    assert not any(lab == "SEVERITY" for lab, _, _ in out)


# rows whose only column after the head is the severity (or criticality) column: an allergy
# list's row with no reaction recorded; the tagger read the head as a medication or nothing
SEVERITY_ONLY_ROWS = [
    ("Animal dander   (Medium)", [], [("ALLERGEN", "Animal dander", ("Medium",)), ("SEVERITY", "Medium", ())]),
    ("ACE inhibitors -  (Medium reaction)", [("MEDICATION", "ACE inhibitors")],
     [("ALLERGEN", "ACE inhibitors", ("Medium",)), ("SEVERITY", "Medium", ())]),
    ("\u2022 Broad bean     High", [], [("ALLERGEN", "Broad bean", ("High",)), ("SEVERITY", "High", ())]),
    ("Codeine\tModerate", [("MEDICATION", "Codeine")], [("ALLERGEN", "Codeine", ("Moderate",)), ("SEVERITY", "Moderate", ())]),
    ("Lisinopril - Low reaction", [("MEDICATION", "Lisinopril")],
     [("ALLERGEN", "Lisinopril", ("Low",)), ("SEVERITY", "Low", ())]),
    # the treatment column names a drug that is no reaction
    ("Allopurinol    (Medium reaction), required cetirizine", [("MEDICATION", "Allopurinol"), ("MEDICATION", "cetirizine")],
     [("ALLERGEN", "Allopurinol", ("Medium",)), ("SEVERITY", "Medium", ()), ("MEDICATION", "cetirizine", ())]),
    ("- bee sting   - life-threatening, treated with albuterol", [("MEDICATION", "albuterol")],
     [("ALLERGEN", "bee sting", ("life-threatening",)), ("SEVERITY", "life-threatening", ()), ("MEDICATION", "albuterol", ())]),
]
# a criticality word alone after a drug is a lab table's flag as often ("Potassium   Low")
SEVERITY_NOT_ROWS = [
    ("Potassium   Low", []),
    ("Glucose\tHigh", []),
    ("Lisinopril   High", [("MEDICATION", "Lisinopril")]),
    ("Sodium - low", []),
    ("Hemoglobin   Low", []),
    ("Metoprolol - Moderate dose", [("MEDICATION", "Metoprolol")]),
]


@pytest.mark.parametrize("text, spans, expected", SEVERITY_ONLY_ROWS)
def test_a_row_with_only_its_severity_column_is_an_allergy(text, spans, expected) -> None:
    assert _run_links(text, spans) == expected


@pytest.mark.parametrize("text, spans", SEVERITY_NOT_ROWS)
def test_a_lab_flag_or_a_dose_word_after_a_drug_is_no_allergy_row(text, spans) -> None:
    labels = {lab for lab, _, _ in _run_links(text, spans)}
    assert not labels & {"ALLERGEN", "SEVERITY", "REACTION"}


@pytest.mark.parametrize("text, spans, expected", [
    # the criticality column after the reactions, in brackets or its own column
    ("\u2022 Coconut   DRESS syndrome, angioedema (High)", [("ALLERGEN", "Coconut"), ("REACTION", "DRESS syndrome"), ("REACTION", "angioedema")],
     [("ALLERGEN", "Coconut", ("DRESS syndrome", "angioedema", "High")), ("REACTION", "DRESS syndrome", ()),
      ("REACTION", "angioedema", ()), ("SEVERITY", "High", ())]),
    ("carbinoxamine   chest tightness; welts  Medium  Not Reported",
     [("ALLERGEN", "carbinoxamine"), ("REACTION", "chest tightness"), ("REACTION", "welts")],
     [("ALLERGEN", "carbinoxamine", ("chest tightness", "welts", "Medium")), ("REACTION", "chest tightness", ()),
      ("REACTION", "welts", ()), ("SEVERITY", "Medium", ())]),
    # "low" inside a reaction is no column
    ("Amlodipine - low blood pressure", [("ALLERGEN", "Amlodipine"), ("REACTION", "low blood pressure")],
     [("ALLERGEN", "Amlodipine", ("low blood pressure",)), ("REACTION", "low blood pressure", ())]),
])
def test_the_criticality_column_of_a_row(text, spans, expected) -> None:
    assert _run_links(text, spans) == expected


@pytest.mark.parametrize("text, spans, expected", [
    # a row a reaction word gives away: its symptoms the tagger left untagged are its reactions too
    ("penicillin G\tTremor and Fatigue  serious", [("SYMPTOM", "Fatigue")],
     [("ALLERGEN", "penicillin G", ("Tremor", "Fatigue", "serious")), ("REACTION", "Tremor", ()),
      ("REACTION", "Fatigue", ()), ("SEVERITY", "serious", ())]),
    # a finding the tagger ran on from the head into the reaction column keeps that column
    ("\u2022 Silicone   eye redness", [("SYMPTOM", "Silicone   eye redness")],
     [("ALLERGEN", "Silicone", ("eye redness",)), ("REACTION", "eye redness", ())]),
    ("Sulfa:\tfacial swelling", [("SYMPTOM", "Sulfa:\tfacial swelling")],
     [("ALLERGEN", "Sulfa", ("facial swelling",)), ("REACTION", "facial swelling", ())]),
])
def test_untagged_and_run_on_reactions_of_a_row(text, spans, expected) -> None:
    assert _run_links(text, spans) == expected
