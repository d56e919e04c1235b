"""FHIR DocumentReference / Bundle / Bulk NDJSON -> ehrnlp.Note (synthetic notes only)."""

from __future__ import annotations

import base64
import gzip
import json
import logging

import pytest

from ehrnlp import InputError, Note
from ehrnlp.fhir.input import note_from_document_reference, notes_from_bundle, read_bulk_ndjson, read_fhir

SECRET = "Zorblax Quintavelle"  # an invented name standing in for note content; must never leak
TEXT = f"Patient {SECRET} c/o cough since Monday.\nNKDA.\n"


def b64(s: str, enc: str = "utf-8") -> str:
    return base64.b64encode(s.encode(enc)).decode("ascii")


def docref(**over):
    res = {
        "resourceType": "DocumentReference",
        "id": "note-7",
        "status": "current",
        "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3"}]},
        "subject": {"reference": "Patient/fake-42"},
        "date": "2024-02-01T09:15:00Z",
        "context": {"encounter": [{"reference": "Encounter/enc-1"}]},
        "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "data": b64(TEXT)}}],
    }
    for k, v in over.items():
        if v is None:
            res.pop(k, None)
        else:
            res[k] = v
    return res


def test_maps_id_subject_date_text_and_metadata():
    note = note_from_document_reference(docref())
    assert isinstance(note, Note)
    assert note.text == TEXT
    assert note.id == "note-7"
    assert note.patient == "Patient/fake-42"
    assert note.date == "2024-02-01T09:15:00Z"
    assert note.metadata == {
        "source": "DocumentReference",
        "reference": "DocumentReference/note-7",
        "status": "current",
        "type": ["http://loinc.org|11506-3"],
        "encounter": "Encounter/enc-1",
        "content_type": "text/plain; charset=utf-8",
    }


def test_accepts_fhir_resources_models():
    from fhir.resources.R4B.documentreference import DocumentReference

    model = DocumentReference.model_validate(docref())
    note = note_from_document_reference(model)
    assert note.text == TEXT and note.id == "note-7" and note.patient == "Patient/fake-42"


def test_optional_fields_absent():
    note = note_from_document_reference(docref(id=None, subject={"display": "someone"}, date=None, context=None, type=None, status=None))
    assert note.id is None and note.patient is None and note.date is None
    assert note.metadata == {"source": "DocumentReference", "content_type": "text/plain; charset=utf-8"}


def test_prefers_plain_text_over_other_content_and_keeps_its_charset():
    latin = "Caf\u00e9 au lait spots noted.\n"
    content = [
        {"attachment": {"contentType": "application/pdf", "data": b64("%PDF-1.4")}},
        {"attachment": {"contentType": "text/markdown", "data": b64("# markdown version")}},
        {"attachment": {"contentType": "text/plain; charset=ISO-8859-1", "data": b64(latin, "latin-1")}},
    ]
    note = note_from_document_reference(docref(content=content))
    assert note.text == latin
    assert note.metadata["content_type"] == "text/plain; charset=ISO-8859-1"


def test_untyped_inline_data_and_bom_and_wrapped_base64():
    raw = base64.b64encode(b"\xef\xbb\xbf" + TEXT.encode()).decode()
    wrapped = "\n".join(raw[i:i + 20] for i in range(0, len(raw), 20))
    note = note_from_document_reference(docref(content=[{"attachment": {"data": wrapped}}]))
    assert note.text == TEXT


def test_empty_text_is_kept_as_empty_note():
    note = note_from_document_reference(docref(content=[{"attachment": {"contentType": "text/plain", "data": ""}}]))
    assert note.text == ""


@pytest.mark.parametrize(
    "over, expect",
    [
        ({"resourceType": "Condition"}, "expected a DocumentReference"),
        ({"content": None}, "has no content[]"),
        ({"content": []}, "has no content[]"),
        ({"content": [{"attachment": {"contentType": "text/plain", "url": "https://example.org/n/1"}}]}, "does not fetch URLs"),
        ({"content": [{"attachment": {"contentType": "application/pdf", "data": b64("x")}}]}, "application/pdf"),
        ({"content": [{"attachment": {"contentType": "text/plain", "data": "%%% not base64 %%%"}}]}, "not valid base64"),
        ({"content": [{"attachment": {"contentType": "text/plain", "data": base64.b64encode(b"\xff\xfe\xfa").decode()}}]}, "not valid UTF-8"),
        ({"content": [{"attachment": {"contentType": "text/plain; charset=klingon-8", "data": b64("x")}}]}, "unknown charset"),
        ({"content": [{"attachment": {"contentType": "text/plain", "data": 12}}]}, "must be a base64 string"),
    ],
)
def test_errors_name_the_resource_and_element_never_the_text(over, expect):
    res = docref(**over)
    with pytest.raises(InputError) as info:
        note_from_document_reference(res)
    msg = str(info.value)
    assert expect in msg
    assert SECRET not in msg and "cough" not in msg
    if over.get("resourceType") is None:
        assert "DocumentReference/note-7" in msg


def test_rejects_non_resources():
    with pytest.raises(InputError, match="expected a FHIR resource"):
        note_from_document_reference(["not", "a", "resource"])


def _bundle():
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "fake-42"}},
            {"resource": docref(id="a")},
            {"resource": docref(id="b", content=[{"attachment": {"contentType": "application/pdf", "data": b64("x")}}])},
            {"resource": docref(id="c")},
        ],
    }


def test_bundle_reading_raises_or_skips(caplog):
    with pytest.raises(InputError, match=r"entry\[2\].*DocumentReference/b"):
        list(notes_from_bundle(_bundle()))
    with caplog.at_level(logging.WARNING, logger="ehrnlp.fhir.input"):
        notes = list(notes_from_bundle(_bundle(), on_error="skip"))
    assert [n.id for n in notes] == ["a", "c"]
    assert "DocumentReference/b" in caplog.text and SECRET not in caplog.text
    with pytest.raises(InputError, match="expected a Bundle"):
        list(notes_from_bundle(docref()))


def test_bulk_ndjson_file_folder_gzip_and_mixed_types(tmp_path, caplog):
    lines = [json.dumps(docref(id=f"n{i}")) for i in range(3)]
    lines.insert(1, json.dumps({"resourceType": "Patient", "id": "fake-42"}))
    lines.insert(2, "")
    (tmp_path / "DocumentReference.000.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(tmp_path / "DocumentReference.001.ndjson.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(docref(id="gz1")) + "\n")
    (tmp_path / "Patient.000.ndjson").write_text(json.dumps({"resourceType": "Patient", "id": "p"}) + "\n")

    file_notes = list(read_bulk_ndjson(tmp_path / "DocumentReference.000.ndjson"))
    assert [n.id for n in file_notes] == ["n0", "n1", "n2"]
    assert file_notes[0].metadata["location"].endswith("DocumentReference.000.ndjson:1")
    assert file_notes[1].metadata["location"].endswith(":4")
    folder_notes = list(read_bulk_ndjson(tmp_path))
    assert [n.id for n in folder_notes] == ["n0", "n1", "n2", "gz1"]
    assert [n.id for n in read_fhir(tmp_path)] == ["n0", "n1", "n2", "gz1"]

    bad = tmp_path / "bad" / "DocumentReference.ndjson"
    bad.parent.mkdir()
    bad.write_text(json.dumps(docref(id="ok1")) + "\n{not json\n" + json.dumps(docref(id="ok2")) + "\n")
    with pytest.raises(InputError, match=r"DocumentReference.ndjson:2: not a JSON resource"):
        list(read_bulk_ndjson(bad))
    with caplog.at_level(logging.WARNING, logger="ehrnlp.fhir.input"):
        assert [n.id for n in read_bulk_ndjson(bad, on_error="skip")] == ["ok1", "ok2"]
    assert ":2" in caplog.text


def test_bulk_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        list(read_bulk_ndjson(tmp_path / "nope.ndjson"))
    with pytest.raises(InputError, match="no DocumentReference"):
        list(read_bulk_ndjson(tmp_path))
    latin = tmp_path / "x.ndjson"
    latin.write_bytes(b'{"resourceType": "Patient", "name": "\xe9"}\n')
    with pytest.raises(InputError, match="not UTF-8"):
        list(read_bulk_ndjson(latin))


def test_read_fhir_json_files_and_objects(tmp_path):
    (tmp_path / "b.json").write_text(json.dumps(_bundle() | {"entry": _bundle()["entry"][:2]}))
    (tmp_path / "d.json").write_text(json.dumps(docref(id="single")))
    (tmp_path / "arr.json").write_text(json.dumps([docref(id="x1"), docref(id="x2")]))
    (tmp_path / "p.json").write_text(json.dumps({"resourceType": "Patient"}))
    (tmp_path / "broken.json").write_text("{")
    assert [n.id for n in read_fhir(tmp_path / "b.json")] == ["a"]
    assert [n.id for n in read_fhir(tmp_path / "d.json")] == ["single"]
    assert [n.id for n in read_fhir(tmp_path / "arr.json")] == ["x1", "x2"]
    assert [n.id for n in read_fhir([docref(id="o1"), _bundle()], on_error="skip")] == ["o1", "a", "c"]
    with pytest.raises(InputError, match="expected a DocumentReference or a Bundle"):
        list(read_fhir(tmp_path / "p.json"))
    with pytest.raises(InputError, match="is not JSON"):
        list(read_fhir(tmp_path / "broken.json"))
    with pytest.raises(InputError, match="not found"):
        list(read_fhir(tmp_path / "missing.json"))


@pytest.mark.shared_data
def test_synthea_bulk_export(shared_data):
    src = shared_data / "synthea" / "DocumentReference.000.ndjson"
    if not src.is_file():
        pytest.skip(f"Synthea sample not found at {src}")
    notes = list(read_bulk_ndjson(shared_data / "synthea"))
    raw = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(notes) == len(raw) > 1000
    for note, res in zip(notes[:200], raw[:200]):
        assert note.id == res["id"]
        assert note.patient == res["subject"]["reference"] and note.patient.startswith("Patient/")
        assert note.date == res["date"]
        assert note.text == base64.b64decode(res["content"][0]["attachment"]["data"]).decode("utf-8")
        assert note.metadata["encounter"].startswith("Encounter/")
    # the notes are real text: sections Synthea writes
    assert sum("# Chief Complaint" in n.text or "# History" in n.text for n in notes[:50]) >= 40
    patients = {json.loads(line)["id"] for line in (shared_data / "synthea" / "Patient.000.ndjson").read_text().splitlines() if line.strip()}
    assert {n.patient.split("/", 1)[1] for n in notes} <= patients
