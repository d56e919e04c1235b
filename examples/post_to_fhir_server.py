"""Post a note's FHIR resources to a FHIR server, then search them back.

Run: python examples/post_to_fhir_server.py [BASE_URL]

With a base URL (``https://fhir.example.org/fhir``) it posts there. Without one it starts
the in-memory FHIR R4 server the test suite uses (``tools/fhir-validate/server.mjs``:
Medplum's FHIR router, validating every resource, on 127.0.0.1 only; needs Node.js >= 20.19
and ``(cd tools/fhir-validate && npm ci)``), and stops it at the end.

``ehrnlp.fhir.post`` sends a ``transaction`` Bundle (conditional creates keyed on ehrnlp's
deterministic identifiers, so posting the same note twice creates nothing new), retries
connection errors, 429 and 5xx with backoff, and raises ``ehrnlp.FhirError`` with the
server's OperationOutcome when it refuses.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx

import ehrnlp
from ehrnlp.fhir.client import post

SERVER = Path(__file__).resolve().parents[1] / "tools" / "fhir-validate" / "server.mjs"
NOTE = "Asthma. Denies chest pain. Albuterol 2 puffs inhaled q4h PRN wheeze. Allergic to penicillin (hives)."


@contextlib.contextmanager
def local_server() -> Iterator[str]:
    node = shutil.which("node")
    if node is None or not (SERVER.parent / "node_modules").is_dir():
        sys.exit("needs Node.js and the test server's packages: (cd tools/fhir-validate && npm ci); or pass a BASE_URL")
    proc = subprocess.Popen([node, str(SERVER), "0", "--max-lifetime", "300"], cwd=SERVER.parent,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        yield info["base_url"]
    finally:
        assert proc.stdin is not None
        proc.stdin.close()  # the server exits when its stdin closes
        proc.wait(timeout=30)


def run(base: str) -> None:
    # the server must know the patient the resources refer to
    httpx.put(f"{base}/Patient/p1", json={"resourceType": "Patient", "id": "p1"},
              headers={"content-type": "application/fhir+json"}, timeout=30).raise_for_status()
    nlp = ehrnlp.load(deidentify=False)
    doc = nlp(ehrnlp.Note(text=NOTE, id="post-example-1", patient="Patient/p1"))
    bundle = ehrnlp.to_fhir(doc, bundle_type="transaction")
    response = post(bundle, base, retries=2)
    print("transaction:", [e["response"]["status"] for e in response["entry"]])

    found = httpx.get(f"{base}/Condition", params={"subject": "Patient/p1"}, timeout=30).json()
    conditions = [e["resource"] for e in found.get("entry", ())]
    for c in conditions:
        print("Condition:", c["code"].get("text"), c["verificationStatus"]["coding"][0]["code"])
    assert conditions

    again = post(bundle, base)  # conditional create: nothing new the second time
    print("posted again:", [e["response"]["status"] for e in again["entry"]])
    recount = httpx.get(f"{base}/Condition", params={"subject": "Patient/p1"}, timeout=30).json()
    assert len(recount.get("entry", ())) == len(conditions)


def main() -> None:
    if len(sys.argv) > 1:
        run(sys.argv[1])
    else:
        with local_server() as base:
            print("started the in-memory FHIR server at", base)
            run(base)


if __name__ == "__main__":
    main()
