"""The full default pipeline on every bundled example note (synthetic people only)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import EXAMPLES, REPO

pytestmark = pytest.mark.slow

# resource kinds each example note must yield (the note clearly contains them)
EXPECTED = {
    "allergy_note": {"Condition", "AllergyIntolerance", "MedicationStatement"},
    "discharge_summary": {"Condition", "AllergyIntolerance", "MedicationStatement"},
    "ed_note": {"Condition", "MedicationStatement", "AllergyIntolerance"},  # NKDA -> no-known-allergy resource
    "med_reconciliation": {"Condition", "AllergyIntolerance", "MedicationStatement"},
    "progress_note": {"Condition", "AllergyIntolerance", "MedicationStatement"},
}


def test_there_are_at_least_five_examples():
    assert {p.stem for p in EXAMPLES} >= set(EXPECTED)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_offsets_hold_and_bundle_parses_back(nlp, path):
    from fhir.resources.R4B.bundle import Bundle

    import ehrnlp

    text = path.read_text(encoding="utf-8")
    doc = nlp(ehrnlp.Note(text=text, id=path.stem, patient="Patient/example"))
    assert doc.entities, "no entity found"
    for e in doc.entities:
        assert doc.text[e.start:e.end] == e.text
        for a in e.attributes:
            assert doc.text[a.start:a.end] == a.text
        # every entity maps back into the original note
        s, t = doc.to_original(e.start, e.end)
        assert 0 <= s <= t <= len(text)
    assert doc.deidentified and doc.source_text is None and doc.phi
    for p in doc.phi:
        assert doc.text[p.start:p.end] == p.replacement
        assert text[p.orig_start:p.orig_end]  # a non-empty original span
    bundle = ehrnlp.to_fhir(doc)
    data = json.loads(bundle.model_dump_json(exclude_none=True))
    Bundle.model_validate(data)  # parses back
    kinds = {e["resource"]["resourceType"] for e in data["entry"]}
    assert EXPECTED[path.stem] <= kinds, f"missing {EXPECTED[path.stem] - kinds}"
    assert {"DocumentReference", "Provenance", "Device"} <= kinds


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_without_deid_the_text_is_the_input(nlp_nodeid, path):
    text = path.read_text(encoding="utf-8")
    doc = nlp_nodeid(text)
    assert doc.text == text and doc.source_text == text and not doc.phi
    for e in doc.entities:
        assert text[e.start:e.end] == e.text
        assert doc.to_original(e.start, e.end) == (e.start, e.end)


def test_pipe_matches_single_calls(nlp):
    notes = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    assert [d.to_dict() for d in nlp.pipe(notes, batch_size=2)] == [nlp(n).to_dict() for n in notes]


def test_document_json_round_trip(nlp):
    import ehrnlp

    doc = nlp(EXAMPLES[0].read_text(encoding="utf-8"))
    assert ehrnlp.Document.from_dict(json.loads(json.dumps(doc.to_dict()))) == doc


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "ehrnlp.cli", *args], capture_output=True, text=True,
                          input=stdin, cwd=REPO, timeout=600)


def test_cli_extract_fhir_prints_a_bundle():
    from fhir.resources.R4B.bundle import Bundle

    path = REPO / "examples" / "notes" / "discharge_summary.txt"
    out = _cli("extract", str(path), "--format", "fhir", "--patient", "Patient/42")
    assert out.returncode == 0, out.stderr
    bundle = Bundle.model_validate_json(out.stdout)
    kinds = {e.resource.get_resource_type() for e in bundle.entry}
    assert {"Condition", "AllergyIntolerance", "MedicationStatement"} <= kinds


def test_cli_extract_fhir_merges_mentions_unless_told_not_to():
    note = "Allergies: peanuts - hives.\nShe carries an EpiPen for her peanut allergy.\n"
    counts = []
    for extra in ((), ("--no-merge-mentions",)):
        out = _cli("extract", "-", "--format", "fhir", "--no-deid", *extra, stdin=note)
        assert out.returncode == 0, out.stderr
        allergies = [e["resource"] for e in json.loads(out.stdout)["entry"]
                     if e["resource"]["resourceType"] == "AllergyIntolerance"]
        counts.append([len(a["extension"]) for a in allergies])
    assert counts == [[2], [1, 1]]  # one fact with both mentions; or one resource per mention


def test_cli_extract_json_and_text_from_stdin_without_deid():
    out = _cli("extract", "-", "--format", "json", "--no-deid", stdin="Denies chest pain. Takes lisinopril 10 mg PO daily.")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert any(e["label"] == "MEDICATION" for e in data["entities"])
    out = _cli("extract", "-", "--no-deid", stdin="Takes lisinopril 10 mg PO daily.")
    assert out.returncode == 0 and "MEDICATION" in out.stdout


def test_cli_bad_input_is_a_clear_error(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\xe9 note".encode("latin-1"))
    out = _cli("extract", str(bad))
    assert out.returncode == 1 and "not UTF-8" in out.stderr and "Caf" not in out.stderr
    out = _cli("extract", str(tmp_path / "missing.txt"))
    assert out.returncode == 1 and "not found" in out.stderr
    out = _cli("extract", "-", "--config", str(tmp_path / "nope.toml"), stdin="x")
    assert out.returncode == 2 and "config file not found" in out.stderr


def test_readme_python_example_runs(tmp_path, monkeypatch, nlp):
    import re

    import ehrnlp

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## In Python\s+```python\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(ehrnlp, "load", lambda *a, **k: nlp)  # reuse the session pipeline
    block = block.replace('"out/"', repr(str(tmp_path / "out")))
    exec(compile(block, "README.md", "exec"), {"print": lambda *a, **k: None})
    assert (tmp_path / "out" / "MedicationStatement.ndjson").is_file()
