"""Round trip against a real FHIR server on 127.0.0.1 (Medplum's fhir-router, in memory).

The test starts tools/fhir-validate/server.mjs, POSTs ehrnlp's transaction Bundle with
ehrnlp.fhir.post, then searches back by subject, code and Provenance?target=. The server
assigns its own ids (client ids are ignored on create), rewrites urn:uuid references, checks
each resource with Medplum's validator and honours conditional create.
"""

from __future__ import annotations

import base64
import json
from collections import Counter

import httpx
import pytest
from fhir_documents import full_document
from fhir_node import FhirServer, node_path

from ehrnlp.fhir.client import post

RECORDED = "2024-03-05T16:00:00+00:00"
PATIENT_ID = "fhir-test-1"
SNOMED_ASTHMA = "http://snomed.info/sct|195967001"


@pytest.fixture(scope="module")
def server():
    node_path()  # skip without node; fail without the installed tools
    with FhirServer() as srv:
        yield srv


def search(base: str, query: str) -> list[dict]:
    r = httpx.get(f"{base}/{query}", timeout=30)
    assert r.status_code == 200, r.text[:500]
    bundle = r.json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
    return [e["resource"] for e in bundle.get("entry", ())]


def _references(value) -> list[str]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "reference" and isinstance(v, str)] + [
            r for k, v in value.items() if k != "reference" for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []


def count_by_type(base: str) -> Counter:
    out = Counter()
    for t in ("DocumentReference", "Condition", "FamilyMemberHistory", "AllergyIntolerance", "MedicationStatement", "Device", "Provenance"):
        out[t] = len(search(base, t))
    return out


@pytest.fixture(scope="module")
def posted(server):
    import ehrnlp

    base = server.base_url
    r = httpx.put(f"{base}/Patient/{PATIENT_ID}", json={"resourceType": "Patient", "id": PATIENT_ID, "name": [{"family": "Testperson", "given": ["Fhira"]}]},
                  headers={"content-type": "application/fhir+json"}, timeout=30)
    assert r.status_code in (200, 201), r.text[:500]
    doc = full_document(patient=f"Patient/{PATIENT_ID}")
    bundle = ehrnlp.to_fhir(doc, bundle_type="transaction", recorded=RECORDED)
    sent = json.loads(bundle.model_dump_json(exclude_none=True))
    response = post(bundle, base, retries=0)
    return {"doc": doc, "sent": sent, "response": response, "base": base, "counts": count_by_type(base)}


def test_transaction_is_accepted_entry_by_entry(posted):
    resp, sent = posted["response"], posted["sent"]
    assert resp["type"] == "transaction-response"
    assert len(resp["entry"]) == len(sent["entry"])
    assert all(e["response"]["status"].startswith(("200", "201")) for e in resp["entry"]), [e["response"]["status"] for e in resp["entry"]]
    sent_types = Counter(e["resource"]["resourceType"] for e in sent["entry"])
    assert posted["counts"] == {t: sent_types.get(t, 0) for t in posted["counts"]}


def test_search_by_subject_finds_every_condition(posted):
    sent_conditions = [e["resource"] for e in posted["sent"]["entry"] if e["resource"]["resourceType"] == "Condition"]
    found = search(posted["base"], f"Condition?subject=Patient/{PATIENT_ID}")
    assert len(found) == len(sent_conditions) > 5
    assert {c["code"]["text"] for c in found} == {c["code"]["text"] for c in sent_conditions}
    assert len(search(posted["base"], "Condition?subject=Patient/someone-else")) == 0
    meds = search(posted["base"], f"MedicationStatement?subject=Patient/{PATIENT_ID}")
    assert len(meds) == sum(e["resource"]["resourceType"] == "MedicationStatement" for e in posted["sent"]["entry"])
    allergies = search(posted["base"], f"AllergyIntolerance?patient=Patient/{PATIENT_ID}")
    assert len(allergies) == sum(e["resource"]["resourceType"] == "AllergyIntolerance" for e in posted["sent"]["entry"])


def test_search_by_code_and_references_were_rewritten(posted):
    base = posted["base"]
    [asthma] = search(base, f"Condition?code={SNOMED_ASTHMA}")
    assert asthma["code"]["text"] == "Asthma"
    assert asthma["subject"]["reference"] == f"Patient/{PATIENT_ID}"
    # the server gave the note its own id and rewrote every urn:uuid reference to it
    [docref] = search(base, f"DocumentReference?subject=Patient/{PATIENT_ID}")
    deriv = next(x for x in asthma["extension"] if x["url"].endswith("/derivation-reference"))
    sub = {x["url"]: x for x in deriv["extension"]}
    assert sub["reference"]["valueReference"]["reference"] == f"DocumentReference/{docref['id']}"
    assert asthma["evidence"][0]["detail"][0]["reference"] == f"DocumentReference/{docref['id']}"
    # offsets still index the stored note text, offset 0 included
    text = base64.b64decode(docref["content"][0]["attachment"]["data"]).decode("utf-8")
    assert text == posted["doc"].text
    off, length = sub["offset"]["valueInteger"], sub["length"]["valueInteger"]
    assert (off, text[off:off + length]) == (0, "Asthma")
    assert not [r for r in _references(asthma) if r.startswith("urn:uuid:")]
    # RxNorm and ICD-10-CM codes are searchable too
    assert len(search(base, "MedicationStatement?code=http://www.nlm.nih.gov/research/umls/rxnorm|29046")) == 1
    assert len(search(base, "Condition?code=http://hl7.org/fhir/sid/icd-10-cm|I10")) == 1
    assert len(search(base, "Condition?code=http://snomed.info/sct|0000000")) == 0


def test_provenance_search_by_target(posted):
    base = posted["base"]
    [asthma] = search(base, f"Condition?code={SNOMED_ASTHMA}")
    [prov] = search(base, f"Provenance?target=Condition/{asthma['id']}")
    [docref] = search(base, f"DocumentReference?subject=Patient/{PATIENT_ID}")
    assert prov["entity"][0]["role"] == "derivation"
    assert prov["entity"][0]["what"]["reference"] == f"DocumentReference/{docref['id']}"
    device_ref = prov["agent"][0]["who"]["reference"]
    assert device_ref.startswith("Device/")
    device = httpx.get(f"{base}/{device_ref}", timeout=30).json()
    assert device["deviceName"][0]["name"] == "ehrnlp"
    n_derived = sum(e["resource"]["resourceType"] not in ("Provenance", "Device") for e in posted["sent"]["entry"])
    assert len(prov["target"]) == n_derived
    for t in prov["target"]:
        assert httpx.get(f"{base}/{t['reference']}", timeout=30).status_code == 200
    assert search(base, f"Provenance?target=DocumentReference/{docref['id']}") == [prov]


def test_reposting_the_same_note_does_not_duplicate_identified_resources(posted):
    base = posted["base"]
    before = count_by_type(base)
    response = post(posted["sent"], base)
    statuses = Counter(e["response"]["status"].split(" ")[0] for e in response["entry"])
    after = count_by_type(base)
    for t in ("DocumentReference", "Condition", "FamilyMemberHistory", "AllergyIntolerance", "MedicationStatement", "Device"):
        assert after[t] == before[t], f"re-posting duplicated {t}"
    assert statuses["200"] >= len(response["entry"]) - 1


def test_reposting_does_not_duplicate_provenance(posted):
    base = posted["base"]
    before = len(search(base, "Provenance"))
    post(posted["sent"], base)
    assert len(search(base, "Provenance")) == before


def test_server_rejects_invalid_resources_with_operation_outcome(server):
    import ehrnlp

    bad = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [{
            "fullUrl": "urn:uuid:7d1c0e52-2f9b-4c1e-9a55-000000000001",
            "resource": {"resourceType": "Condition", "subject": {"reference": f"Patient/{PATIENT_ID}"}, "abatementDateTime": "2020-01-01",
                         "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]}},
            "request": {"method": "POST", "url": "Condition"},
        }],
    }
    with pytest.raises(ehrnlp.FhirError) as info:
        post(bad, server.base_url, retries=0)
    assert info.value.status_code == 400
    assert "con-4" in str(info.value)


def test_client_retries_through_server_failures():
    import ehrnlp

    with FhirServer("--fail-first", "2") as srv:
        bundle = ehrnlp.to_fhir(full_document(), bundle_type="transaction", recorded=RECORDED)
        waits = []
        resp = post(bundle, srv.base_url, retries=2, sleep=waits.append)
        assert resp["type"] == "transaction-response" and len(waits) == 2
    with FhirServer("--fail-first", "5") as srv:
        with pytest.raises(ehrnlp.FhirError, match=r"after 2 attempt\(s\); last: HTTP 503"):
            post(bundle, srv.base_url, retries=1, sleep=lambda s: None)


def test_server_is_loopback_only_and_stops_with_its_parent(server):
    assert server.base_url.startswith("http://127.0.0.1:")
    r = httpx.get(f"{server.base_url}/metadata", timeout=30)
    assert r.json()["fhirVersion"] == "4.0.1"
    assert httpx.get(f"http://127.0.0.1:{server.port}/not-fhir", timeout=30).status_code == 404
    with FhirServer() as srv:
        proc = srv.proc
    assert proc is not None and proc.returncode == 0  # exited by itself once its stdin closed


@pytest.mark.slow
def test_cli_convert_reads_bulk_documentreferences_and_posts_them(tmp_path):
    """ehrnlp convert FOLDER --post URL: FHIR Bulk input in, transaction Bundles out to the server."""
    import subprocess
    import sys

    from fhir_node import REPO

    examples = sorted((REPO / "examples" / "notes").glob("*.txt"))[:3]
    assert examples
    src = tmp_path / "export"
    src.mkdir()
    with (src / "DocumentReference.000.ndjson").open("w", encoding="utf-8") as fh:
        for i, path in enumerate(examples):
            fh.write(json.dumps({
                "resourceType": "DocumentReference",
                "id": f"cli-note-{i}",
                "status": "current",
                "subject": {"reference": f"Patient/cli-patient-{i}"},
                "content": [{"attachment": {"contentType": "text/plain; charset=utf-8",
                                            "data": base64.b64encode(path.read_bytes()).decode("ascii")}}],
            }) + "\n")
    with FhirServer() as srv:
        proc = subprocess.run(
            [sys.executable, "-m", "ehrnlp.cli", "convert", str(src), "--out", str(tmp_path / "out"), "--no-deid",
             "--recorded", RECORDED, "--post", srv.base_url, "-q"],
            capture_output=True, text=True, timeout=600, cwd=REPO,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        docrefs = search(srv.base_url, "DocumentReference")
        assert len(docrefs) == len(examples)
        for i in range(len(examples)):
            [docref] = search(srv.base_url, f"DocumentReference?subject=Patient/cli-patient-{i}")
            text = base64.b64decode(docref["content"][0]["attachment"]["data"]).decode("utf-8")
            assert text == examples[i].read_text(encoding="utf-8")
            conditions = search(srv.base_url, f"Condition?subject=Patient/cli-patient-{i}")
            meds = search(srv.base_url, f"MedicationStatement?subject=Patient/cli-patient-{i}")
            assert conditions or meds
            [prov] = search(srv.base_url, f"Provenance?target=DocumentReference/{docref['id']}")
            assert len(prov["target"]) == 1 + len(conditions) + len(meds) + len(
                search(srv.base_url, f"AllergyIntolerance?patient=Patient/cli-patient-{i}")) + len(
                search(srv.base_url, f"FamilyMemberHistory?patient=Patient/cli-patient-{i}"))
    written = {p.name for p in (tmp_path / "out").glob("*.ndjson")}
    assert {"DocumentReference.ndjson", "Provenance.ndjson"} <= written
