"""Data model: offsets map, invariants, JSON round trip."""

import json

import pytest

from ehrnlp import Assertion, Code, Document, Entity, InputError, Note, PhiSpan, Section


def _deid_doc():
    # input:  "Seen by John Smith on 03/14/2019 for cough."
    # output: "Seen by [NAME] on [DATE] for cough."
    orig = "Seen by John Smith on 03/14/2019 for cough."
    new = "Seen by [NAME] on [DATE] for cough."
    phi = (
        PhiSpan("NAME", 8, 14, 8, 18, "[NAME]"),
        PhiSpan("DATE", 18, 24, 22, 32, "[DATE]"),
    )
    cough = new.index("cough")
    ent = Entity("SYMPTOM", cough, cough + 5, "cough")
    return orig, Document(text=new, phi=phi, entities=(ent,), deidentified=True)


def test_to_original_shifts_offsets_after_replacements():
    orig, doc = _deid_doc()
    e = doc.entities[0]
    s, t = doc.to_original(e.start, e.end)
    assert orig[s:t] == "cough"


def test_to_original_inside_and_at_boundaries_of_a_replacement():
    orig, doc = _deid_doc()
    assert doc.to_original(0, 4) == (0, 4)  # before any PHI
    assert orig[slice(*doc.to_original(8, 14))] == "John Smith"  # exactly the replacement
    assert orig[slice(*doc.to_original(10, 12))] == "John Smith"  # inside widens to the PHI
    assert orig[slice(*doc.to_original(8, 24))] == "John Smith on 03/14/2019"
    assert doc.to_original(len(doc.text), len(doc.text)) == (len(orig), len(orig))


def test_to_original_with_redaction_and_identity_without_phi():
    orig = "Dr. Ann Lee saw her."
    new = "Dr.  saw her."
    doc = Document(text=new, phi=(PhiSpan("NAME", 4, 4, 4, 11, ""),))
    s, e = doc.to_original(new.index("saw"), new.index("saw") + 3)
    assert orig[s:e] == "saw"
    plain = Document(text="abc")
    assert plain.to_original(1, 2) == (1, 2)
    with pytest.raises(IndexError):
        plain.to_original(2, 10)


def test_check_catches_broken_offsets_without_quoting_text():
    doc = Document(text="secret canary text", entities=(Entity("SYMPTOM", 0, 6, "wrong!"),))
    with pytest.raises(ValueError) as exc:
        doc.check()
    assert "canary" not in str(exc.value) and "wrong" not in str(exc.value)


def test_entities_are_sorted_and_scores_are_floats():
    doc = Document(text="ab cd", entities=(Entity("SYMPTOM", 3, 5, "cd", confidence=1), Entity("PROBLEM", 0, 2, "ab")))
    assert [e.start for e in doc.entities] == [0, 3]
    assert type(doc.entities[1].confidence) is float
    assert type(Code("s", "c", "d", 1).score) is float


def test_round_trip_through_json():
    med_text = "lisinopril 10 mg PO daily"
    dose = Entity("DOSE", 11, 16, "10 mg")
    med = Entity("MEDICATION", 0, 10, "lisinopril", 0.93, Assertion(historical=True), "medications",
                 (Code("http://www.nlm.nih.gov/research/umls/rxnorm", "29046", "lisinopril", 1.0),), (dose,), "rules")
    doc = Document(text=med_text, id="n1", patient="Patient/1", entities=(med, dose),
                   sections=(Section("medications", 0, len(med_text)),), allergy_status="none-known",
                   provenance={"ehrnlp": "0.1.0"})
    data = json.loads(json.dumps(doc.to_dict()))
    back = Document.from_dict(data)
    assert back == doc
    assert back.entities[0].attributes[0] == dose


def test_from_dict_rejects_garbage_clearly():
    with pytest.raises(InputError):
        Document.from_dict({"entities": []})


def test_note_rejects_bytes():
    with pytest.raises(InputError) as exc:
        Note(text=b"abc")  # type: ignore[arg-type]
    assert "decode" in str(exc.value)


def test_assertion_flags():
    assert Assertion().is_asserted
    assert not Assertion(negated=True).is_asserted
    assert Assertion.from_dict({"family": True}).family


def _qualified_doc() -> Document:
    """A document with every stage-set qualifier filled in."""
    from ehrnlp.model import Dosage, NkaStatement, Quantity, Timing

    t = "Lisinopril 10 mg PO BID for 7 days prn. Mother: asthma. Peanut allergy: anaphylaxis. NKDA"
    dose, route, freq = Entity("DOSE", 11, 16, "10 mg"), Entity("ROUTE", 17, 19, "PO"), Entity("FREQUENCY", 20, 23, "BID")
    day = Quantity(7, "day", "http://unitsofmeasure.org", "d")
    dosage = Dosage(0, 38, t[:38], dose=Quantity(10, "mg", "http://unitsofmeasure.org", "mg", high=20),
                    timing=Timing(frequency=2, period=1, period_unit="d", when=("MORN",), bounds_duration=day,
                                  bounds_range=(day, Quantity(10, "day", "http://unitsofmeasure.org", "d"))),
                    as_needed=True, route_text="PO", route_codes=(Code("http://snomed.info/sct", "26643006", "Oral route"),),
                    site_text="OU", site_codes=(Code("http://snomed.info/sct", "362508001", "Both eyes, entire"),))
    med = Entity("MEDICATION", 0, 10, "Lisinopril", attributes=(dose, route, freq), dosage=dosage,
                 medication_status="stopped")
    a = t.index("asthma")
    asthma = Entity("PROBLEM", a, a + 6, "asthma", assertion=Assertion(family=True), family_relation="MTH")
    p = t.index("Peanut")
    peanut = Entity("ALLERGEN", p, p + 6, "Peanut", allergy_category="food", allergy_type="intolerance",
                    allergy_criticality="high", allergy_severity="severe")
    n = t.index("NKDA")
    return Document(text=t, id="q", entities=(med, dose, route, freq, asthma, peanut), nka=NkaStatement("drug", n, n + 4))


def test_stage_qualifiers_round_trip_through_json():
    doc = _qualified_doc()
    doc.check()
    data = json.loads(json.dumps(doc.to_dict()))
    back = Document.from_dict(data)
    assert back == doc
    med = back.entities[0]
    assert med.dosage.timing.bounds_range[1].value == 10 and type(med.dosage.dose.value) is int
    assert data["entities"][0]["dosage"]["timing"]["when"] == ["MORN"]
    assert back.nka.kind == "drug"


def test_unset_qualifiers_are_not_serialised():
    """Documents without the stages' qualifiers serialise exactly as before they existed."""
    doc = Document(text="cough", entities=(Entity("SYMPTOM", 0, 5, "cough"),))
    data = doc.to_dict()
    assert "nka" not in data
    assert set(data["entities"][0]) == {"label", "start", "end", "text", "confidence", "assertion", "section", "codes",
                                       "source", "attributes"}
    assert Document.from_dict(data) == doc


def test_check_catches_a_dosage_that_does_not_match_the_text():
    import dataclasses

    doc = _qualified_doc()
    med = doc.entities[0]
    bad = dataclasses.replace(med, dosage=dataclasses.replace(med.dosage, end=med.dosage.end + 1))
    with pytest.raises(ValueError, match="dosage"):
        doc.replace(entities=(bad,) + doc.entities[1:]).check()
    with pytest.raises(InputError):
        Document.from_dict({**doc.to_dict(), "nka": {"kind": "drug"}})
