"""ehrnlp's FHIR output checked by implementations we did not write.

Validators (tools/fhir-validate, pinned): the official R4 JSON schema, Medplum 4.5.2
(structure, cardinality, FHIRPath invariants, US Core 6.1.0 profiles) and lantana FHIR.js
4.12.0 (required bindings), plus the fhir-json rules (no empty values, absolute systems,
Bundle integrity). Every resource emitted for hand-built documents, every example note
and 50 Synthea notes must pass all of them with zero errors; a committed set of known-bad
resources proves each validator can fail.
"""

from __future__ import annotations

import base64
import itertools
import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from fhir_documents import full_document, nka_document
from fhir_node import (
    REPO,
    TOOL_DIR,
    VALIDATORS,
    describe_errors,
    node_path,
    run_validator,
    us_core_or_none,
    write_json,
)

HERE = Path(__file__).resolve().parent
KNOWN_BAD = HERE / "known_bad"
MANIFEST = json.loads((HERE / "known_bad_manifest.json").read_text(encoding="utf-8"))
EXAMPLES = sorted((REPO / "examples" / "notes").glob("*.txt"))
US_CORE_APPLIES = {
    "Condition": "us-core-condition-problems-health-concerns",
    "AllergyIntolerance": "us-core-allergyintolerance",
    "DocumentReference": "us-core-documentreference",
}
RECORDED = "2024-03-05T16:00:00+00:00"


def _by_source(report):
    out = {}
    for r in report["results"]:
        out.setdefault(r["source"].split("#", 1)[0], []).append(r)
    return out


def _checked(report, resource_type, key):
    return sum(1 for r in report["results"] if r["resourceType"] == resource_type
               for c in r["checks"] if (c["validator"] if not c["profile"] else "medplum:" + c["profile"].rsplit("/", 1)[-1]) == key)


# -- the validators can fail ------------------------------------------------------------------
@pytest.fixture(scope="module")
def known_bad_report():
    files = sorted(KNOWN_BAD.glob("*.json"))
    assert len(files) >= 30
    assert {p.name for p in files} == set(MANIFEST), "known_bad/ and known_bad_manifest.json disagree"
    return run_validator(files, us_core=us_core_or_none(), extra=["--no-entries"])


def test_every_validator_has_known_bad_cases():
    keys = {k for v in MANIFEST.values() for k in v["rejected_by"]}
    assert set(VALIDATORS) <= keys
    for profile in ("us-core-condition-problems-health-concerns", "us-core-condition-encounter-diagnosis",
                    "us-core-allergyintolerance", "us-core-patient", "us-core-documentreference"):
        assert f"medplum:{profile}" in keys


@pytest.mark.parametrize("name", sorted(MANIFEST), ids=lambda n: n.removesuffix(".json"))
def test_known_bad_resource_is_rejected(known_bad_report, name):
    expected = MANIFEST[name]["rejected_by"]
    if us_core_or_none() is None:
        expected = [k for k in expected if not k.startswith("medplum:")]
        if not expected:
            pytest.skip(f"US Core package not found at {us_core_or_none()} (shared data absent): profile case not checked")
    [result] = [r for r in known_bad_report["results"] if Path(r["source"]).name == name]
    rejected = {}
    for c in result["checks"]:
        key = c["validator"] if not c["profile"] else "medplum:" + c["profile"].rsplit("/", 1)[-1]
        rejected[key] = rejected.get(key, 0) + len(c["errors"])
    missed = [k for k in expected if not rejected.get(k)]
    assert not missed, f"{name} ({MANIFEST[name]['why']}) was accepted by {missed}"
    assert not known_bad_report["ok"]


def test_known_good_hand_resource_passes_everything(tmp_path):
    """The mirror of the known-bad set: the same Condition without the defect passes."""
    good = json.loads((KNOWN_BAD / "condition-abated-but-active.json").read_text())
    del good["abatementDateTime"]
    report = run_validator([write_json(tmp_path, "good.json", good)], us_core=us_core_or_none())
    assert report["ok"], describe_errors(report)


# -- ehrnlp's output: hand-built documents (every mapping branch) ---------------------------
@pytest.fixture(scope="module")
def hand_report(tmp_path_factory):
    import ehrnlp
    from ehrnlp.config import FhirConfig

    out = tmp_path_factory.mktemp("hand")
    docs = {"full": full_document(), "nka": nka_document()}
    for name, doc in docs.items():
        doc.check()
        for btype in ("collection", "transaction"):
            bundle = ehrnlp.to_fhir(doc, bundle_type=btype, recorded=RECORDED)
            (out / f"{name}.{btype}.json").write_text(bundle.model_dump_json(exclude_none=True), encoding="utf-8")
    for cat in ("encounter-diagnosis", "health-concern"):
        bundle = ehrnlp.to_fhir(docs["full"], config=FhirConfig(condition_category=cat), recorded=RECORDED)
        (out / f"full.{cat}.json").write_text(bundle.model_dump_json(exclude_none=True), encoding="utf-8")
    ehrnlp.fhir.write_ndjson(list(docs.values()), out / "bulk", recorded=RECORDED)
    return run_validator([out], us_core=us_core_or_none())


def test_hand_built_documents_validate_with_zero_errors(hand_report):
    assert hand_report["summary"]["errors"] == 0, describe_errors(hand_report)
    kinds = {r["resourceType"] for r in hand_report["results"]}
    assert {"Bundle", "DocumentReference", "Condition", "AllergyIntolerance", "MedicationStatement",
            "FamilyMemberHistory", "Device", "Provenance"} <= kinds
    for v in VALIDATORS:
        assert hand_report["summary"]["by_validator"][v]["checked"] >= 80


def test_hand_built_documents_pass_us_core_profiles(hand_report):
    if us_core_or_none() is None:
        pytest.skip("US Core 6.1.0 package not found (../shared/data/fhir/us-core-6.1.0.tgz): profiles not checked")
    for rtype, profile in US_CORE_APPLIES.items():
        assert _checked(hand_report, rtype, f"medplum:{profile}") > 0, f"{rtype} was not checked against {profile}"
    assert _checked(hand_report, "Condition", "medplum:us-core-condition-encounter-diagnosis") > 0
    assert hand_report["summary"]["errors"] == 0, describe_errors(hand_report)


# -- ehrnlp's output: the example notes, through the default pipeline ------------------------
@pytest.fixture(scope="module")
def examples_report(nlp, tmp_path_factory):
    import ehrnlp

    assert EXAMPLES, "examples/notes/*.txt is empty"
    out = tmp_path_factory.mktemp("examples")
    docs = []
    for path in EXAMPLES:
        doc = nlp(ehrnlp.Note(text=path.read_text(encoding="utf-8"), id=path.stem, patient="Patient/example"))
        docs.append(doc)
        for btype in ("collection", "transaction"):
            bundle = ehrnlp.to_fhir(doc, bundle_type=btype, recorded=RECORDED)
            (out / f"{path.stem}.{btype}.json").write_text(bundle.model_dump_json(exclude_none=True), encoding="utf-8")
    ehrnlp.fhir.write_ndjson(docs, out / "bulk", recorded=RECORDED)
    return run_validator([out], us_core=us_core_or_none())


@pytest.mark.slow
def test_example_notes_validate_with_zero_errors(examples_report):
    assert examples_report["summary"]["errors"] == 0, describe_errors(examples_report)
    sources = {Path(r["source"].split("#")[0].split(":")[0]).name for r in examples_report["results"]}
    for path in EXAMPLES:
        assert f"{path.stem}.collection.json" in sources and f"{path.stem}.transaction.json" in sources
    kinds = Counter(r["resourceType"] for r in examples_report["results"])
    for kind in ("Condition", "AllergyIntolerance", "MedicationStatement", "Provenance", "Device"):
        assert kinds[kind] > 0, f"the example notes produced no {kind}"
    if us_core_or_none() is not None:
        assert _checked(examples_report, "DocumentReference", "medplum:us-core-documentreference") >= len(EXAMPLES)
        for rtype, profile in US_CORE_APPLIES.items():
            assert _checked(examples_report, rtype, f"medplum:{profile}") > 0


# -- ehrnlp's output: 50 Synthea notes read from the Bulk export ------------------------------
@pytest.fixture(scope="module")
def synthea_report(shared_data, nlp_nodeid, tmp_path_factory):
    import ehrnlp
    from ehrnlp.fhir.input import read_bulk_ndjson

    src = shared_data / "synthea" / "DocumentReference.000.ndjson"
    if not src.is_file():
        pytest.skip(f"Synthea sample not found at {src}")
    notes = list(itertools.islice(read_bulk_ndjson(src), 50))
    assert len(notes) == 50
    out = tmp_path_factory.mktemp("synthea")
    docs = list(nlp_nodeid.pipe(notes))
    for i, doc in enumerate(docs):
        bundle = ehrnlp.to_fhir(doc, bundle_type="transaction", recorded=RECORDED)
        (out / f"synthea{i:02d}.transaction.json").write_text(bundle.model_dump_json(exclude_none=True), encoding="utf-8")
    counts = ehrnlp.fhir.write_ndjson(docs, out / "bulk", recorded=RECORDED)
    assert counts["DocumentReference"] == 50 and counts["Provenance"] == 50
    return run_validator([out], us_core=us_core_or_none())


@pytest.mark.slow
@pytest.mark.shared_data
def test_fifty_synthea_notes_validate_with_zero_errors(synthea_report):
    assert synthea_report["summary"]["errors"] == 0, describe_errors(synthea_report)
    assert sum(1 for r in synthea_report["results"] if r["resourceType"] == "DocumentReference") == 100
    if us_core_or_none() is not None:
        assert _checked(synthea_report, "DocumentReference", "medplum:us-core-documentreference") == 100
        assert _checked(synthea_report, "Condition", "medplum:us-core-condition-problems-health-concerns") > 50


# -- conventions the validators cannot see -------------------------------------------------
def test_derivation_offsets_point_at_the_mention_and_keep_offset_zero():
    import ehrnlp

    doc = full_document()
    data = json.loads(ehrnlp.to_fhir(doc, recorded=RECORDED).model_dump_json(exclude_none=True))
    resources = [e["resource"] for e in data["entry"]]
    docref = next(r for r in resources if r["resourceType"] == "DocumentReference")
    stored = base64.b64decode(docref["content"][0]["attachment"]["data"]).decode("utf-8")
    assert stored == doc.text
    spans = {(e.start, e.end) for e in doc.entities}
    seen_zero = False
    derived = [r for r in resources if r["resourceType"] not in ("DocumentReference", "Device", "Provenance")]
    assert derived
    for r in derived:
        ext = [x for x in r.get("extension", ()) if x["url"] == "http://hl7.org/fhir/StructureDefinition/derivation-reference"]
        assert len(ext) == 1, f"{r['resourceType']} lacks derivation-reference"
        sub = {x["url"]: x for x in ext[0]["extension"]}
        off, length = sub["offset"]["valueInteger"], sub["length"]["valueInteger"]
        assert sub["reference"]["valueReference"]["reference"] == next(
            e["fullUrl"] for e in data["entry"] if e["resource"]["resourceType"] == "DocumentReference")
        assert (off, off + length) in spans
        seen_zero = seen_zero or off == 0
        assert {"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "AIAST"}.items() <= r["meta"]["security"][0].items()
    assert seen_zero, "the mention at offset 0 lost its offset"


def test_one_provenance_per_note_targets_every_derived_resource_and_ids_are_stable():
    import ehrnlp

    a = json.loads(ehrnlp.to_fhir(full_document(), recorded=RECORDED).model_dump_json(exclude_none=True))
    b = json.loads(ehrnlp.to_fhir(full_document(), recorded=RECORDED).model_dump_json(exclude_none=True))
    assert a == b, "the same note must give byte-identical Bundles (deterministic ids)"
    provs = [e["resource"] for e in a["entry"] if e["resource"]["resourceType"] == "Provenance"]
    assert len(provs) == 1
    targets = {t["reference"] for t in provs[0]["target"]}
    for e in a["entry"]:
        if e["resource"]["resourceType"] not in ("Provenance", "Device"):
            assert e["fullUrl"] in targets
    device = next(e for e in a["entry"] if e["resource"]["resourceType"] == "Device")
    assert provs[0]["agent"][0]["who"]["reference"] == device["fullUrl"]
    assert device["resource"]["deviceName"][0]["name"] == "ehrnlp"


# -- the command line itself ------------------------------------------------------------------
def test_validate_cli_reads_stdin_and_reports_exit_status():
    node = node_path()
    good = (KNOWN_BAD / "condition-abated-but-active.json").read_text()
    good_obj = json.loads(good)
    del good_obj["abatementDateTime"]
    ndjson = json.dumps(good_obj) + "\n" + good.replace("\n", " ") + "\n"
    proc = subprocess.run([node, "validate.mjs", "--validators", "medplum", "--errors-only"], input=ndjson,
                          capture_output=True, text=True, cwd=TOOL_DIR, timeout=120)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["resources"] == 2 and report["summary"]["with_errors"] == 1
    [bad] = report["results"]
    assert bad["source"] == "<stdin>:2" and bad["resourceType"] == "Condition"
    assert any("con-4" in e["message"] for c in bad["checks"] for e in c["errors"])
    ok = subprocess.run([node, "validate.mjs"], input=json.dumps(good_obj), capture_output=True, text=True, cwd=TOOL_DIR, timeout=120)
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
    usage = subprocess.run([node, "validate.mjs", "--validators", "nope"], capture_output=True, text=True, cwd=TOOL_DIR, timeout=120)
    assert usage.returncode == 2 and "unknown validator" in usage.stderr


def test_bulk_ndjson_references_resolve_within_the_export(tmp_path):
    """write_ndjson output is self-contained: every reference but the patient's names a written resource."""
    import ehrnlp

    counts = ehrnlp.fhir.write_ndjson([full_document(), nka_document(), full_document(note_id="fhir-test-note-2")],
                                      tmp_path, recorded=RECORDED)
    written = {}
    for f in tmp_path.glob("*.ndjson"):
        assert f.stem in counts
        for line in f.read_text(encoding="utf-8").splitlines():
            res = json.loads(line)
            assert res["resourceType"] == f.stem
            key = f"{res['resourceType']}/{res['id']}"
            assert key not in written, f"{key} written twice"
            written[key] = res
    assert sum(counts.values()) == len(written)
    # one Device per distinct set of stage versions: full_document's and nka_document's (none recorded)
    assert counts["Device"] == 2 and counts["Provenance"] == 3 and counts["DocumentReference"] == 3

    def refs(value):
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "reference" and isinstance(v, str):
                    yield v
                else:
                    yield from refs(v)
        elif isinstance(value, list):
            for v in value:
                yield from refs(v)

    for key, res in written.items():
        for ref in refs(res):
            if ref.startswith("Patient/"):
                continue
            assert ref in written, f"{key} refers to {ref}, which the export does not contain"
