"""A finding whose own words state a normal state ("afebrile", "lungs clear") is recorded
as normal (``Entity.finding_state``), so the FHIR layer does not chart it as a Condition."""

from __future__ import annotations

import pytest

from ehrnlp.assertion import AssertionStage, normal_finding
from ehrnlp.model import Document, Entity

NORMAL = [
    "afebrile", "Afebrile", "asymptomatic", "nontender", "non-tender", "Lungs clear",
    "lungs clear to auscultation bilaterally", "vision stable", "Vision stable OU", "abdomen soft, nontender",
    "alert and oriented x3", "normal sinus rhythm", "regular rate and rhythm", "neck supple", "stable condition",
    "pupils equal and reactive", "normocephalic, atraumatic", "AFEBRILE", "anterior chamber deep and quiet",
    "well", "comfortable", "euvolemic", "within normal limits",
]
NOT_NORMAL = [
    "stable angina", "clear cell carcinoma", "normal pressure hydrocephalus", "benign prostatic hyperplasia",
    "flat affect", "chest pain", "glaucoma", "stable glaucoma", "eye pain", "dry eye", "narrow angle",
    "visual field loss", "unstable angina", "abnormal", "febrile", "tender abdomen", "clear fluid drainage",
    "reactive airway disease", "well-differentiated adenocarcinoma", "", "  ", "x3",
]


@pytest.mark.parametrize("text", NORMAL)
def test_a_finding_that_states_a_normal_state(text: str) -> None:
    assert normal_finding(text)


@pytest.mark.parametrize("text", NOT_NORMAL)
def test_a_condition_that_carries_a_normal_word_keeps_its_meaning(text: str) -> None:
    assert not normal_finding(text)


def _doc(text: str, *spans: tuple[str, str]) -> Document:
    ents = []
    for phrase, label in spans:
        s = text.index(phrase)
        ents.append(Entity(label, s, s + len(phrase), phrase))
    return Document(text=text, entities=tuple(ents))


def test_the_assertion_stage_marks_normal_findings_only() -> None:
    text = "Exam: afebrile, lungs clear. She has stable angina and takes aspirin. Abdomen nontender."
    doc = _doc(text, ("afebrile", "SYMPTOM"), ("lungs clear", "SYMPTOM"), ("stable angina", "PROBLEM"),
               ("aspirin", "MEDICATION"), ("nontender", "SYMPTOM"))
    out = AssertionStage()(doc)
    states = {e.text: e.finding_state for e in out.entities}
    assert states == {"afebrile": "normal", "lungs clear": "normal", "stable angina": None,
                      "aspirin": None, "nontender": "normal"}


def test_a_medication_named_like_a_normal_word_is_not_a_finding_state() -> None:
    # only SYMPTOM/PROBLEM carry a finding state, whatever their words
    doc = _doc("Continue Clear eyes drops.", ("Clear", "MEDICATION"))
    assert AssertionStage()(doc).entities[0].finding_state is None


def test_the_finding_state_survives_a_round_trip() -> None:
    doc = AssertionStage()(_doc("Patient afebrile.", ("afebrile", "SYMPTOM")))
    d = doc.to_dict()
    assert d["entities"][0]["finding_state"] == "normal"
    assert Document.from_dict(d).entities[0].finding_state == "normal"


def test_the_fhir_mapping_charts_no_normal_finding_by_default() -> None:
    from ehrnlp.config import FhirConfig
    from ehrnlp.fhir import resources_for

    text = "Exam: afebrile, lungs clear. Cough for 3 days."
    doc = AssertionStage()(_doc(text, ("afebrile", "SYMPTOM"), ("lungs clear", "SYMPTOM"), ("Cough", "SYMPTOM")))

    def conditions(cfg: FhirConfig | None = None) -> list[str]:
        return [r["code"]["text"] for r in resources_for(doc, config=cfg) if r["resourceType"] == "Condition"]

    assert conditions() == ["Cough"]
    assert conditions(FhirConfig(normal_findings="condition")) == ["afebrile", "lungs clear", "Cough"]
