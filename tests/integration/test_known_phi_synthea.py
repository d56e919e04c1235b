"""Patient-aware de-identification on the bundled Synthea export: no converted note keeps
its patient's name, identifier or birth date (a fixed subset of 150 notes; the full set was
checked by hand, see docs/deid.md)."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow
SUBSET = 150


def patient_phi(patient_file: Path) -> dict[str, tuple[set[str], set[str], set[str]]]:
    out = {}
    for line in patient_file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        p = json.loads(line)
        names = set()
        for n in p.get("name", []):
            for w in [*n.get("given", []), n.get("family", "")]:
                names.update(v for v in (w, re.sub(r"\d+", "", w)) if len(v) >= 3)
        ids = {i["value"] for i in p.get("identifier", []) if i.get("value")}
        dates = set()
        if p.get("birthDate"):
            y, m, d = p["birthDate"][:10].split("-")
            dates = {f"{y}-{m}-{d}", f"{m}/{d}/{y}"}
        out[p["id"]] = (names, ids, dates)
    return out


def test_synthea_subset_converts_without_patient_phi(shared_data, tmp_path):
    src = shared_data / "synthea"
    if not (src / "Patient.000.ndjson").is_file() or not (src / "DocumentReference.000.ndjson").is_file():
        pytest.skip("synthea export not in shared data")
    data = tmp_path / "export"
    data.mkdir()
    with (src / "DocumentReference.000.ndjson").open(encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(SUBSET)]
    (data / "DocumentReference.000.ndjson").write_text("".join(lines), encoding="utf-8")
    patients = (src / "Patient.000.ndjson").read_text(encoding="utf-8")
    # a broken line is skipped with a warning naming file and line, not its content
    (data / "Patient.000.ndjson").write_text(patients + '{"resourceType": "Patient", "name": CANARYTEXT\n', encoding="utf-8")
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "ehrnlp.cli", "convert", str(data), "--out", str(out),
                          "--recorded", "2026-01-01T00:00:00+00:00", "-q"],
                         capture_output=True, text=True, timeout=1800, cwd=REPO, check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "CANARYTEXT" not in res.stderr and "Patient.000.ndjson:14" in res.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["converted"] == SUBSET and manifest["patients"] == len(patients.splitlines())

    phi = patient_phi(src / "Patient.000.ndjson")
    leaked = {"name": [], "identifier": [], "birth_date": []}
    docs = [json.loads(x) for x in (out / "DocumentReference.ndjson").read_text(encoding="utf-8").splitlines() if x]
    assert len(docs) == SUBSET
    for r in docs:
        names, ids, dates = phi[r["subject"]["reference"].split("/")[-1]]
        text = "".join(base64.b64decode(c["attachment"]["data"]).decode("utf-8") for c in r["content"])
        if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE) for n in names):
            leaked["name"].append(r["id"])
        if any(i in text for i in ids):
            leaked["identifier"].append(r["id"])
        if any(d in text for d in dates):
            leaked["birth_date"].append(r["id"])
    assert leaked == {"name": [], "identifier": [], "birth_date": []}
    # and nothing of the Patient resources went into any output file
    for f in out.glob("*.ndjson"):
        body = f.read_text(encoding="utf-8")
        for names, _, _ in phi.values():
            assert not any(f'"{n}"' in body for n in names), f.name
