"""Patient-aware de-identification: KnownPhi, its variants, and that it never leaks.

Every person here is invented ("Zebulon482 Quixwort917", Synthea-style digits included).
"""

from __future__ import annotations

import base64
import json
import logging
import pickle
import re

import pytest

from ehrnlp.config import DeidConfig
from ehrnlp.deid import ids
from ehrnlp.deid.known import known_phi_hits
from ehrnlp.deid.postprocess import _merge
from ehrnlp.errors import InputError
from ehrnlp.model import Document, KnownPhi, Note, as_note

PATIENT = {
    "resourceType": "Patient",
    "id": "pt-zq-1",
    "name": [{"use": "official", "family": "Quixwort917", "given": ["Zebulon482", "Ambrose33"], "prefix": ["Mr."]},
             {"use": "old", "text": "Zeb Quixwort"}],
    "identifier": [{"system": "urn:ssn", "value": "999-12-3456"}, {"value": "MRN-77A-4410"}],
    "birthDate": "1961-05-02",
    "address": [{"line": ["42 Larkspur Street", "Apt 7"], "city": "Fernhollow", "state": "Massachusetts",
                 "postalCode": "01234-5678"}],
    "telecom": [{"system": "phone", "value": "555-301-7788"}, {"system": "email", "value": "zq@example.invalid"}],
}
KP = KnownPhi.from_patient(PATIENT)
SECRET_WORDS = ["Zebulon", "Quixwort", "Ambrose", "999-12-3456", "1961", "Larkspur", "Fernhollow", "01234",
                "301-7788", "zq@example"]


def found(text: str, kp: KnownPhi = KP) -> list[tuple[str, str]]:
    return [(h.label, text[h.start:h.end]) for h in _merge(text, known_phi_hits(text, kp))]


@pytest.mark.parametrize("text, label, span", [
    # names: parts alone, digits or not, any case, orders, initials
    ("Zebulon482 Quixwort917\n is a 61 year-old", "NAME", "Zebulon482 Quixwort917"),
    ("seen with zebulon today", "NAME", "zebulon"),
    ("QUIXWORT was seen", "NAME", "QUIXWORT"),
    ("Quixwort, Zebulon presented", "NAME", "Quixwort, Zebulon"),
    ("Quixwort917, Zebulon482 Ambrose33 presented", "NAME", "Quixwort917, Zebulon482 Ambrose33"),
    ("by Z. Quixwort", "NAME", "Z. Quixwort"),
    ("Zebulon Q. called", "NAME", "Zebulon Q."),
    ("Quixwort, Z. called", "NAME", "Quixwort, Z."),
    ("initials Z.A.Q. on file", "NAME", "Z.A.Q."),
    ("initials Z. Q. on file", "NAME", "Z. Q."),
    ("Mr. Quixwort917 returns", "NAME", "Mr. Quixwort917"),
    ("Zebulon Ambrose Quixwort", "NAME", "Zebulon Ambrose Quixwort"),
    ("aka Zeb", "NAME", "Zeb"),  # Name.text
    # identifiers: exact, separators varied or removed, glued to a label
    ("SSN 999-12-3456.", "ID", "999-12-3456"),
    ("SSN 999 12 3456", "ID", "999 12 3456"),
    ("SSN 999123456", "ID", "999123456"),
    ("MRN: mrn77a4410", "ID", "mrn77a4410"),
    ("record MRN-77A-4410", "ID", "MRN-77A-4410"),
    # birth date formats
    ("DOB 1961-05-02", "DATE", "1961-05-02"),
    ("DOB 05/02/1961", "DATE", "05/02/1961"),
    ("DOB 5/2/1961", "DATE", "5/2/1961"),
    ("DOB 05-02-1961", "DATE", "05-02-1961"),
    ("DOB 05/02/61", "DATE", "05/02/61"),
    ("born May 2, 1961", "DATE", "May 2, 1961"),
    ("born 2 May 1961", "DATE", "2 May 1961"),
    ("born may 2nd 1961", "DATE", "may 2nd 1961"),
    # address
    ("lives at 42 Larkspur St. with", "LOCATION", "42 Larkspur St."),
    ("lives at 42 larkspur street", "LOCATION", "42 larkspur street"),
    ("moved to Fernhollow last year", "LOCATION", "Fernhollow"),
    ("zip 01234", "LOCATION", "01234"),
    # telecom
    ("call (555) 301-7788", "PHONE", "(555) 301-7788"),
    ("call 555.301.7788", "PHONE", "555.301.7788"),
    ("call +1 5553017788", "PHONE", "+1 5553017788"),
    ("mail ZQ@example.invalid today", "EMAIL", "ZQ@example.invalid"),
])
def test_variants_are_found_with_offsets(text, label, span):
    hits = found(text)
    assert (label, span) in hits, hits


@pytest.mark.parametrize("text", [
    "Quixworthy and Zebulons are other words",   # word-bounded
    "DOB 1961-05-03, 05/02/1962, 15/02/1961",     # other dates
    "SSN 999-12-34567 is another number",         # digits continue
    "call 555-301-7789",
    "Mr. Smith, Massachusetts",                   # a title alone, the state alone: not this PHI
    "zip 012345",
])
def test_near_misses_are_left(text):
    assert found(text) == []


def test_common_word_names_are_removed_when_they_are_this_patients():
    kp = KnownPhi(names=["Hope Will"])
    assert found("I hope he will come. Hope Will.", kp) == [("NAME", "hope"), ("NAME", "will"), ("NAME", "Hope Will")]


def test_hits_carry_the_known_phi_source():
    hits = known_phi_hits("Zebulon", KP)
    assert hits and all(h.from_recognizer(ids.KNOWN_PHI) and h.score == 1.0 for h in hits)


def test_from_patient_and_from_mapping():
    assert KP.birth_date == "1961-05-02"
    assert "Zebulon482 Ambrose33 Quixwort917" in KP.names and "Zeb Quixwort" in KP.names
    assert set(KP.identifiers) == {"999-12-3456", "MRN-77A-4410"}
    assert {"42 Larkspur Street", "Apt 7", "Fernhollow", "01234-5678"} <= set(KP.addresses)
    assert "Massachusetts" not in KP.addresses
    assert KnownPhi.from_mapping({"names": "Zebulon Quixwort", "birth_date": "1961-05-02T00:00:00"}) == KnownPhi(
        names=("Zebulon Quixwort",), birth_date="1961-05-02")
    with pytest.raises(InputError):
        KnownPhi.from_mapping({"nmes": ["x"]})
    fr = pytest.importorskip("fhir.resources.R4B.patient")
    assert KnownPhi.from_patient(fr.Patient.model_validate(PATIENT)) == KP


def test_note_accepts_a_patient_resource_and_known_phi_mapping():
    n = Note(text="x", id="n1", patient=PATIENT)
    assert n.patient == "Patient/pt-zq-1" and n.known_phi == KP
    n2 = as_note({"text": "x", "patient": "Patient/9", "known_phi": {"names": ["Zebulon Quixwort"]}})
    assert n2.patient == "Patient/9" and n2.known_phi.names == ("Zebulon Quixwort",)
    assert Note(text="x", known_phi={}).known_phi is None
    assert pickle.loads(pickle.dumps(n)).known_phi == KP  # workers get the notes
    doc = Document.from_note(n)
    assert doc.patient == "Patient/pt-zq-1" and doc.known_phi == KP


def test_known_phi_is_never_in_repr_or_serialised():
    n = Note(text="no phi here", patient=PATIENT)
    doc = Document.from_note(n)
    for s in (repr(KP), str(KP), repr(n), repr(doc), json.dumps(doc.to_dict())):
        for w in SECRET_WORDS:
            assert w not in s, w
    assert "known_phi" not in doc.to_dict()


@pytest.fixture(scope="module")
def deid():
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(operator="mask", transformer_phi=False))


SYN_NOTE = ("Zebulon482 Quixwort917\n is a 61 year-old male. Hope and will power noted.\n"
            "ID MRN-77A-4410, born May 2, 1961. Lives in Fernhollow. Call 555 301 7788.\n")


def test_deid_stage_removes_known_phi_and_drops_it(deid, caplog):
    caplog.set_level(logging.DEBUG)
    doc = deid(Document.from_note(Note(text=SYN_NOTE, id="n1", patient=PATIENT)))
    doc.check()
    assert doc.known_phi is None and doc.patient == "Patient/pt-zq-1"
    for w in ["Zebulon", "Quixwort", "MRN-77A-4410", "1961", "Fernhollow", "301 7788"]:
        assert w.lower() not in doc.text.lower(), w
    assert "year-old male" in doc.text
    assert any(p.source.startswith(ids.KNOWN_PHI) for p in doc.phi)
    for rec in caplog.records:
        for w in SECRET_WORDS:
            assert w not in rec.getMessage()
    # without known PHI the same stage gives what it gave before
    plain = deid(Document.from_note(Note(text="Hope and will power noted.", id="n2")))
    assert plain.text == "Hope and will power noted."


def test_pipe_equals_call_with_known_phi(deid):
    docs = [Document.from_note(Note(text=SYN_NOTE, id=f"n{i}", patient=PATIENT if i % 2 else None)) for i in range(3)]
    assert [d.text for d in deid.pipe(docs)] == [deid(d).text for d in docs]


@pytest.mark.slow
def test_pipeline_fhir_output_holds_no_known_phi(nlp):
    from ehrnlp.fhir.bundle import bundle_dict

    doc = nlp(Note(text=SYN_NOTE + "Takes metoprolol 25 mg daily.", id="n1", patient=PATIENT))
    out = json.dumps(doc.to_dict()) + json.dumps(bundle_dict(doc, recorded="2026-01-01T00:00:00Z"))
    for res in bundle_dict(doc, recorded="2026-01-01T00:00:00Z")["entry"]:
        for c in res["resource"].get("content", ()):
            out += base64.b64decode(c["attachment"]["data"]).decode()
    for w in ["Zebulon", "Quixwort", "MRN-77A-4410", "1961", "Fernhollow", "301 7788", "Ambrose"]:
        # as a token: a random resource id may hold the digits ("961961ef-..."), a value never does
        assert not re.search(rf"(?<![0-9A-Za-z]){re.escape(w)}(?![0-9A-Za-z])", out, re.IGNORECASE), w


def test_convert_reads_patients_and_attaches_known_phi(tmp_path, caplog):
    from ehrnlp.batch import (
        ConvertOptions,
        attach_known_phi,
        iter_records,
        patient_files,
    )
    from ehrnlp.fhir.input import known_phi_from_patients, patient_key

    export = tmp_path / "export"
    export.mkdir()
    note = base64.b64encode(SYN_NOTE.encode()).decode()
    docref = {"resourceType": "DocumentReference", "id": "d1", "status": "current",
              "subject": {"reference": "Patient/pt-zq-1"},
              "content": [{"attachment": {"contentType": "text/plain", "data": note}}]}
    other = dict(docref, id="d2", subject={"reference": "Patient/someone-else"})
    (export / "DocumentReference.000.ndjson").write_text(json.dumps(docref) + "\n" + json.dumps(other) + "\n")
    (export / "Patient.000.ndjson").write_text(json.dumps(PATIENT) + "\n{not json Quixwort\n[1]\n")
    opts = ConvertOptions(out=tmp_path / "out")
    files = patient_files([export], opts)
    assert [f.name for f in files] == ["Patient.000.ndjson"]
    with caplog.at_level(logging.WARNING):
        known = known_phi_from_patients(files)
    assert known == {"pt-zq-1": KP}
    assert [r.getMessage().split(": ")[0] for r in caplog.records] == [f"skipped {files[0]}:2", f"skipped {files[0]}:3"]
    assert not any("Quixwort" in r.getMessage() for r in caplog.records)
    notes = list(attach_known_phi(iter_records([export], opts), known))
    assert [(n.id, n.known_phi) for n in notes] == [("d1", KP), ("d2", None)]
    assert patient_key("urn:uuid:abc") == patient_key("https://x.test/fhir/Patient/abc/_history/2") == "abc"
