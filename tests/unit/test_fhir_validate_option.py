"""``[fhir] validate_resources``: fhir.resources validation is an option, not the hot path."""

import json

import pytest

from ehrnlp.config import Config, FhirConfig
from ehrnlp.conversion import note_to_resources
from ehrnlp.fhir import bundle as bundle_mod
from ehrnlp.fhir import write_ndjson
from ehrnlp.model import Document, Entity, Note

pytest.importorskip("fhir.resources")

BAD = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/1"},
       "clinicalStatus": "not-a-codeable-concept"}


class _FakeNlp:
    def __init__(self, validate: bool):
        self.config = Config.model_validate({"fhir": {"validate_resources": validate}})

    def __call__(self, note: Note) -> Document:
        return Document(text=note.text, id=note.id)


@pytest.fixture
def broken_mapping(monkeypatch):
    import ehrnlp.fhir.mapping as mapping

    monkeypatch.setattr(mapping, "resources_for", lambda doc, **kw: [dict(BAD)])
    monkeypatch.setattr(bundle_mod, "resources_for", lambda doc, **kw: [dict(BAD)])


def test_convert_path_validates_only_when_asked(broken_mapping):
    note = Note(text="cough", id="n1")
    doc, res = note_to_resources(_FakeNlp(validate=False), note, recorded="2026-01-01T00:00:00Z")
    assert doc is not None and res == [BAD]          # the hot path trusts the tested mapping
    doc, res = note_to_resources(_FakeNlp(validate=True), note, recorded="2026-01-01T00:00:00Z")
    assert doc is None and res[0]["resourceType"] == "OperationOutcome"
    assert "invalid Condition" in json.dumps(res[0])


def test_write_ndjson_validate_follows_config(broken_mapping, tmp_path):
    doc = Document(text="cough", id="n1")
    assert write_ndjson([doc], tmp_path / "a") == {"Condition": 1}
    from ehrnlp.errors import FhirError

    with pytest.raises(FhirError, match="invalid Condition"):
        write_ndjson([doc], tmp_path / "b", config=FhirConfig(validate_resources=True))
    with pytest.raises(FhirError):
        write_ndjson([doc], tmp_path / "c", validate=True)


def test_unvalidated_output_is_what_fhir_resources_accepts():
    """The fast path's dicts are the same resources fhir.resources validates, byte for byte."""
    from ehrnlp.fhir import resources_for, validate_resource

    text = "Lisinopril 10 mg PO daily for hypertension. Denies chest pain. Allergic to penicillin (hives)."
    ents = []
    for label, word in (("MEDICATION", "Lisinopril"), ("PROBLEM", "hypertension"), ("SYMPTOM", "chest pain"),
                        ("ALLERGEN", "penicillin"), ("REACTION", "hives")):
        s = text.index(word)
        ents.append(Entity(label, s, s + len(word), word))
    doc = Document(text=text, id="n2", patient="Patient/9", entities=tuple(ents))
    for res in resources_for(doc, recorded="2026-01-01T00:00:00Z"):
        parsed = validate_resource(res)
        assert json.loads(parsed.model_dump_json(exclude_none=True)) == res
