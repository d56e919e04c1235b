"""Note ids are pseudonymised (keyed HMAC) whenever de-identification runs; the original id is
kept only in the local manifest of ``convert --keep-id-map``. Every id here is synthetic."""

from __future__ import annotations

import json

import pytest

from ehrnlp.config import DeidConfig
from ehrnlp.conversion import note_to_resources
from ehrnlp.deid.pseudonym import PREFIX, note_pseudonym, outcome_ids, run_key, set_run_key
from ehrnlp.model import Document, Note

PHI_ID = "Quixwort_Zebulon_MRN99887766_2019-03-14.txt"


@pytest.mark.parametrize(("key", "other_key"), [("k1", "k2"), (None, "k1")])
def test_pseudonym_is_keyed_stable_and_hides_the_id(key, other_key):
    p = note_pseudonym(PHI_ID, key)
    assert p is not None and p.startswith(PREFIX) and len(p) == len(PREFIX) + 24
    assert p == note_pseudonym(PHI_ID, key)  # stable under one key
    assert p != note_pseudonym(PHI_ID, other_key)  # another key, another pseudonym
    assert p != note_pseudonym(PHI_ID + "x", key)
    assert "Quixwort" not in p and "99887766" not in p
    assert note_pseudonym(p, key) == p  # de-identifying twice changes nothing
    assert note_pseudonym(None, key) is None and note_pseudonym("", key) is None
    assert note_pseudonym(PHI_ID, key, prefix="location-") != p


def test_run_key_is_shared_with_workers():
    old = run_key()
    try:
        set_run_key(b"\x01" * 32)
        a = note_pseudonym(PHI_ID)
        set_run_key(b"\x01" * 32)
        assert note_pseudonym(PHI_ID) == a
        with pytest.raises(ValueError):
            set_run_key(b"short")
    finally:
        set_run_key(old)


class _Stage:
    name = "deid"

    def __init__(self, key):
        self.cfg = DeidConfig(secret_key=key)


class _Pipe:
    def __init__(self, stages):
        self.stages = stages


@pytest.mark.parametrize(("stages", "hidden"), [([_Stage("k")], True), ([], False)])
def test_outcome_ids_only_with_deid(stages, hidden):
    loc, nid = outcome_ids(_Pipe(stages), "notes/" + PHI_ID, PHI_ID)
    if hidden:
        assert nid == note_pseudonym(PHI_ID, "k") and loc is not None and "Quixwort" not in loc
    else:
        assert (loc, nid) == ("notes/" + PHI_ID, PHI_ID)


@pytest.mark.slow
def test_stage_pseudonymises_the_id_and_the_outcome_hides_it():
    from ehrnlp.errors import StageError
    from ehrnlp.fhir.mapping import resources_for
    from ehrnlp.pipeline import Pipeline, load

    nlp = load({"deid": {"secret_key": "canary-key"}})
    doc = nlp(Note(text="Seen today for cough.", id=PHI_ID))
    assert doc.id == note_pseudonym(PHI_ID, "canary-key")
    blob = json.dumps(resources_for(doc, config=nlp.config.fhir, recorded="2026-01-01T00:00:00Z"))
    assert "Quixwort" not in blob and doc.id in blob

    class _Fails:
        name = "boom"

        def __call__(self, d: Document) -> Document:
            raise StageError(f"stage 'boom' failed on note '{d.id}'", stage="boom", note_id=d.id)

    broken = Pipeline([nlp.get_stage("deid"), _Fails()], config=nlp.config)
    _, outcomes = note_to_resources(broken, Note(text="Seen today.", id=PHI_ID), recorded="2026-01-01T00:00:00Z",
                                    location="in/" + PHI_ID)
    text = json.dumps(outcomes)
    assert outcomes[0]["resourceType"] == "OperationOutcome"
    assert "Quixwort" not in text and "99887766" not in text
