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
