"""Section detection on flattened Epic text and line-structured notes (synthetic notes)."""

from __future__ import annotations

import pytest

from ehrnlp.model import Document, Entity, Section
from ehrnlp.sections import SECTION_NAMES, SectionStage, detect_sections, load_section_rules

# A synthetic note in the flattened Epic layout: no newlines, fields separated by spaces.
EPIC = (
    "   Ophthalmology Progress Note 01/02/2019  CC: Annual diabetic eye examination    "
    "HPI: Zara Quill is a 70 y.o. female  Thinks vision is worse  Pain: No  "
    "Social History     Tobacco Use   Smoking Status Former Smoker      "
    "No past medical history on file.  FH: family history is negative for Blindness.      "
    "Allergies   Allergen Reactions   \u2022 Codeine Nausea/Vomiting   \u2022 Amoxicillin Hives     "
    "Current Outpatient Medications (Ophthalmic Medications)   Medication Sig   "
    "\u2022 timolol Instill 1 drop into both eyes two times daily.     "
    "Diagnostic Studies:  No diagnostic studies ordered this encounter.      "
    "IMPRESSION: 70 y.o. female with glaucoma OU      PLAN:    - cont drops  - fu in 6 months"
)

LINES = """Chief Complaint: cough
History of Present Illness:
Pt c/o cough for 3 days. Denies fever.
Past Medical History:
- asthma
Family History:
Mother had breast cancer.
Allergies: NKDA
Medications:
albuterol 2 puffs q4h prn
Assessment and Plan:
Viral bronchitis. Return if fever.
"""

MARKDOWN = "\n1987-11-19\n\n# Chief Complaint\n- Cough\n\n# History of Present Illness\nA 60 year-old.\n\n# Allergies\nNo Known Allergies.\n\n# Medications\nacetaminophen 325 mg oral tablet\n\n# Assessment and Plan\n\n## Plan\nrest\n"


def names(text: str) -> list[str]:
    return [s.name for s in detect_sections(text)]


def section_containing(text: str, phrase: str) -> str:
    i = text.index(phrase)
    for s in detect_sections(text):
        if s.start <= i < s.end:
            return s.name
    raise AssertionError("offset not covered")


def assert_covers(text: str, sections: list[Section]) -> None:
    assert sections[0].start == 0
    assert sections[-1].end == len(text)
    for a, b in zip(sections, sections[1:]):
        assert a.end == b.start
        assert a.start < a.end


@pytest.mark.parametrize("text", [EPIC, LINES, MARKDOWN, "no headers at all here"])
def test_sections_cover_the_note_in_order(text: str) -> None:
    secs = detect_sections(text)
    assert_covers(text, secs)
    assert all(s.name in SECTION_NAMES for s in secs)


def test_flattened_epic_sections() -> None:
    assert names(EPIC) == [
        "other", "chief_complaint", "hpi", "sh", "pmh", "fh", "allergies", "medications", "imaging", "impression", "plan",
    ]
    assert section_containing(EPIC, "Codeine") == "allergies"
    assert section_containing(EPIC, "timolol") == "medications"
    assert section_containing(EPIC, "family history is negative") == "fh"


def test_no_known_allergies_header_in_flattened_text() -> None:
    text = "FH: glaucoma in brother.      No Known Allergies  Current Outpatient Medications (Other)   Medication Sig   \u2022 aspirin 81 mg daily"
    assert names(text) == ["fh", "allergies", "medications"]


def test_line_structured_sections() -> None:
    assert names(LINES) == ["chief_complaint", "hpi", "pmh", "fh", "allergies", "medications", "assessment_plan"]
    assert section_containing(LINES, "Mother had") == "fh"
    assert section_containing(LINES, "NKDA") == "allergies"


def test_markdown_headers() -> None:
    assert names(MARKDOWN) == ["other", "chief_complaint", "hpi", "allergies", "medications", "assessment_plan", "plan"]


@pytest.mark.parametrize(
    "text",
    [
        "I have reviewed the allergies, as well as performed elements noted in the exam",
        "Reviewed: Allergies | Meds | Problems | Med Hx | Surg Hx",
        "Review of Allergic/Imm, Heme/Lymph was negative",
        "See Ophthalmology Module for Examination of the eye",
    ],
)
def test_words_inside_prose_are_not_headers(text: str) -> None:
    assert names(text) == ["other"]


def test_same_section_headers_merge() -> None:
    text = "Allergies:   Allergies   Allergen Reactions   \u2022 Sulfa Rash     Medications: none"
    assert names(text) == ["allergies", "medications"]


def test_social_history_sentence_ends_epic_allergy_list() -> None:
    text = "Allergies:   Peanut    Pt  reports that she has never smoked. She has never used smokeless tobacco."
    secs = detect_sections(text)
    assert [s.name for s in secs] == ["allergies", "sh"]
    assert text[secs[0].start : secs[0].end].strip() == "Allergies:   Peanut"


def test_case_sensitive_short_headers() -> None:
    # "cc:" in lower case inside prose is not a chief complaint header, "CC:" is
    assert names("Follow up:  sent note, cc: Dr Vale") == ["instructions"]
    assert names("CC: blurry vision") == ["chief_complaint"]


def test_empty_text_has_no_sections() -> None:
    assert detect_sections("") == []


def test_stage_sets_sections_and_leaves_entities_to_ner() -> None:
    i = LINES.index("asthma")
    doc = Document(text=LINES, entities=(Entity("PROBLEM", i, i + 6, "asthma"),))
    stage = SectionStage()
    assert stage.name == "sections" and stage.requires == () and stage.assigns == ("doc.sections",)
    out = stage(doc)
    assert [s.name for s in out.sections] == names(LINES)
    assert out.entities == doc.entities  # Entity.section has one writer: the stage that makes entities
    out.check()


def test_rules_compile_and_name_canonical_sections() -> None:
    rules = load_section_rules()
    assert len(rules) > 20
    assert {r.section for r in rules} <= set(SECTION_NAMES)


def test_table_column_names_are_not_headers() -> None:
    text = "Patient Active Problem List   Diagnosis   \u2022 Hypertension   \u2022 Glaucoma     Diagnosis: POAG OU"
    assert names(text) == ["problem_list", "impression"]


def test_dash_item_is_not_a_header_without_colon() -> None:
    text = "Drops tried:  Timolol - allergy  Brimonidine - allergy    Plan: continue"
    assert names(text) == ["other", "plan"]


def test_epic_glaucoma_questionnaire() -> None:
    text = (
        "Glaucoma medications to avoid:  Timolol - fatigue  Latanoprost - ineffective    "
        "Family history of glaucoma? Yes- sister    History of eye trauma? No  Diabetes? No    Occupation:  Retired"
    )
    assert names(text) == ["allergies", "fh", "pmh"]
    assert section_containing(text, "Timolol") == "allergies"
    assert section_containing(text, "sister") == "fh"
    assert section_containing(text, "Diabetes") == "pmh"


def test_statement_sections_end_with_their_sentence() -> None:
    text = "HPI: cough.  NKDA. Lisinopril 10 mg PO daily for hypertension."
    secs = detect_sections(text)
    assert [s.name for s in secs] == ["hpi", "allergies", "hpi"]
    assert text[secs[1].start : secs[1].end] == "NKDA."
    text = "Allergies:   Patient has no known allergies.    Medications:  timolol"
    assert names(text) == ["allergies", "medications"]
    text = "No past medical history on file.  Diabetes diagnosed 2010"
    assert names(text) == ["pmh", "other"]


def test_discharge_summary_headers() -> None:
    text = "HOSPITAL COURSE:\nTreated with ceftriaxone.\nDISCHARGE DIAGNOSES:\n1. Pneumonia\n"
    assert names(text) == ["other", "impression"]
