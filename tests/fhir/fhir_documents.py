"""Hand-built ehrnlp Documents that exercise every branch of the FHIR mapping.

Synthetic text about an invented patient; codes are real (SNOMED CT, RxNorm, ICD-10-CM,
UNII) so the validators see coded and text-only CodeableConcepts side by side. The
qualifiers the FHIR layer serialises (dosage, medication status, family relation, allergy
category/type/criticality/severity, the NKA statement) are filled in by the same functions
the stages use (:func:`_qualified`), since the FHIR layer reads no text itself.
"""

from __future__ import annotations

import dataclasses

from ehrnlp.allergy import allergy_category, allergy_criticality, allergy_severity, find_nka
from ehrnlp.assertion import family_relation, medication_status
from ehrnlp.model import Assertion, Code, Document, Entity, Section
from ehrnlp.sig import dosage_of

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
UNII = "http://fdasis.nlm.nih.gov"

_TEXT = (
    "Asthma flare today. Pt c/o wheezing and cough, denies fever. Possible pneumonia.\n"
    "PMH: hypertension, type 2 diabetes mellitus. History of appendicitis.\n"
    "Family history: mother with breast cancer.\n"
    "Allergies: penicillin (hives, severe anaphylaxis); peanuts (mild rash); no latex allergy.\n"
    "Medications: lisinopril 10 mg PO daily; albuterol 2 puffs inhaled q4h prn wheezing; "
    "metformin 500 mg PO BID for 30 days. Not taking aspirin. Consider starting prednisone.\n"
)


def _ent(label: str, phrase: str, *, occurrence: int = 0, codes=(), attrs=(), **flags) -> Entity:
    start = -1
    for _ in range(occurrence + 1):
        start = _TEXT.index(phrase, start + 1)
    return Entity(
        label=label,
        start=start,
        end=start + len(phrase),
        text=phrase,
        confidence=0.9,
        assertion=Assertion(**flags),
        codes=tuple(codes),
        attributes=tuple(attrs),
        source="test",
    )


def _qualified(doc: Document, **overrides: dict) -> Document:
    """``doc`` with the qualifiers the assertion, relations and normalize stages would set;
    ``overrides`` (entity text -> fields) set others by hand."""
    starts = sorted(e.start for e in doc.entities)
    out = []
    for e in doc.entities:
        fields: dict = {}
        if e.assertion.family:
            fields["family_relation"] = family_relation(doc.text, e.start, e.end)
        if e.label == "MEDICATION":
            fields["medication_status"] = medication_status(doc.text, e.start, e.end, e.assertion)
            fields["dosage"] = dosage_of(doc.text, e, starts)
        if e.label == "ALLERGEN":
            sev = e.attribute("SEVERITY")
            fields.update(allergy_category=allergy_category(e.text, e.codes),
                          allergy_criticality=allergy_criticality(a.text for a in e.attributes if a.label == "REACTION"),
                          allergy_severity=allergy_severity(sev.text) if sev is not None else None)
        fields.update(overrides.get(e.text, {}))
        out.append(dataclasses.replace(e, **fields))
    return doc.replace(entities=tuple(out), nka=find_nka(doc.text))


def full_document(note_id: str | None = "fhir-test-note-1", patient: str | None = "Patient/fhir-test-1") -> Document:
    """One note with every label, assertion and attribute the mapping handles."""
    entities = [
        # offset 0: the derivation-reference must keep it
        _ent("PROBLEM", "Asthma", codes=[Code(SNOMED, "195967001", "Asthma", 0.98), Code(ICD10CM, "J45.909", "Unspecified asthma, uncomplicated", 0.9)]),
        _ent("SYMPTOM", "wheezing", codes=[Code(SNOMED, "56018004", "Wheezing", 0.97)]),
        _ent("SYMPTOM", "cough"),  # text-only CodeableConcept
        _ent("SYMPTOM", "fever", codes=[Code(SNOMED, "386661006", "Fever", 0.95)], negated=True),
        _ent("PROBLEM", "pneumonia", codes=[Code(SNOMED, "233604007", "Pneumonia", 0.9)], uncertain=True),
        _ent("PROBLEM", "hypertension", codes=[Code(SNOMED, "38341003", "Hypertensive disorder", 0.95), Code(ICD10CM, "I10", "Essential (primary) hypertension", 0.9)]),
        _ent("PROBLEM", "type 2 diabetes mellitus", codes=[Code(SNOMED, "44054006", "Diabetes mellitus type 2", 0.96)]),
        _ent("PROBLEM", "appendicitis", codes=[Code(SNOMED, "74400008", "Appendicitis", 0.95)], historical=True),
        _ent("PROBLEM", "breast cancer", codes=[Code(SNOMED, "254837009", "Malignant neoplasm of breast", 0.9)], family=True),
        _ent(
            "ALLERGEN", "penicillin", codes=[Code(RXNORM, "70618", "Penicillin", 0.99)],
            attrs=[_ent("REACTION", "hives", codes=[Code(SNOMED, "126485001", "Urticaria", 0.9)]),
                   _ent("SEVERITY", "severe"),
                   _ent("REACTION", "anaphylaxis", codes=[Code(SNOMED, "39579001", "Anaphylaxis", 0.95)])],
        ),
        _ent("ALLERGEN", "peanuts", codes=[Code(UNII, "QE1QX6B99R", "Peanut", 0.9)],
             attrs=[_ent("SEVERITY", "mild"), _ent("REACTION", "rash")]),
        _ent("ALLERGEN", "latex", negated=True),
        _ent(
            "MEDICATION", "lisinopril", codes=[Code(RXNORM, "29046", "lisinopril", 0.99)],
            attrs=[_ent("DOSE", "10 mg"), _ent("ROUTE", "PO"), _ent("FREQUENCY", "daily")],
        ),
        _ent(
            "MEDICATION", "albuterol", codes=[Code(RXNORM, "435", "albuterol", 0.99)],
            attrs=[_ent("DOSE", "2 puffs"), _ent("ROUTE", "inhaled"), _ent("FREQUENCY", "q4h prn")],
        ),
        _ent(
            "MEDICATION", "metformin", codes=[Code(RXNORM, "6809", "metformin", 0.99)],
            attrs=[_ent("DOSE", "500 mg"), _ent("ROUTE", "PO", occurrence=1), _ent("FREQUENCY", "BID"), _ent("DURATION", "for 30 days")],
        ),
        _ent("MEDICATION", "aspirin", codes=[Code(RXNORM, "1191", "aspirin", 0.99)], negated=True),
        _ent("MEDICATION", "prednisone", codes=[Code(RXNORM, "8640", "prednisone", 0.99)], hypothetical=True),
    ]
    doc = Document(
        text=_TEXT,
        id=note_id,
        patient=patient,
        date="2024-03-05T10:30:00-05:00",
        source_text=_TEXT,
        entities=tuple(entities),
        sections=(Section("allergies", _TEXT.index("Allergies:"), _TEXT.index("Medications:")),),
        allergy_status="listed",
        provenance={"ner": "rules-0.1", "normalize": "vocab-2024.1"},
    )
    # an intolerance, so the validators see AllergyIntolerance.type
    return _qualified(doc, peanuts={"allergy_type": "intolerance"})


def nka_document() -> Document:
    """A note saying only 'NKDA' (no-known-drug-allergy AllergyIntolerance), no patient, no id."""
    text = "NKDA. Headache for two days.\n"
    return _qualified(Document(
        text=text,
        source_text=text,
        entities=(Entity("SYMPTOM", text.index("Headache"), text.index("Headache") + 8, "Headache",
                         codes=(Code(SNOMED, "25064002", "Headache"),)),),
        allergy_status="none-known",
    ))
