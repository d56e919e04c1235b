"""Golden files: the default pipeline's output on every example note, and its FHIR Bundle.

Any change in what ehrnlp finds, flags, codes or emits for these synthetic notes shows
up here as a readable diff. When a change is intended, regenerate explicitly:

    EHRNLP_UPDATE_GOLDEN=1 python -m pytest tests/golden

and review the diff of ``tests/golden/*.json`` before committing.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest
from conftest import EXAMPLES

pytestmark = pytest.mark.slow
GOLDEN = Path(__file__).parent
UPDATE = os.environ.get("EHRNLP_UPDATE_GOLDEN") == "1"
RECORDED = "2026-01-01T00:00:00+00:00"


def summary(doc, bundle) -> dict:
    def ent(e):
        flags = [f for f in ("negated", "uncertain", "hypothetical", "historical", "family") if getattr(e.assertion, f)]
        out = {"label": e.label, "span": [e.start, e.end], "text": e.text}
        if flags:
            out["assertion"] = flags
        if e.section:
            out["section"] = e.section
        if e.codes:
            out["code"] = f"{e.codes[0].system.rsplit('/', 1)[-1]}|{e.codes[0].code}"
        if e.attributes:
            out["attributes"] = [f"{a.label}:{a.text}" for a in e.attributes]
        return out

    resources = []
    for entry in bundle["entry"]:
        r = entry["resource"]
        if r["resourceType"] in ("Device", "Provenance", "DocumentReference"):
            resources.append({"type": r["resourceType"]})
            continue
        code = r.get("code") or r.get("medicationCodeableConcept") or (r.get("condition") or [{}])[0].get("code", {})
        item = {"type": r["resourceType"], "text": code.get("text"),
                "codes": [f"{c['system'].rsplit('/', 1)[-1]}|{c['code']}" for c in code.get("coding", [])]}
        for key in ("verificationStatus", "clinicalStatus"):
            if key in r:
                item[key] = r[key]["coding"][0]["code"]
        for key in ("status", "criticality"):
            if key in r:
                item[key] = r[key]
        if "reaction" in r:
            item["reactions"] = [m["text"] for x in r["reaction"] for m in x["manifestation"]]
        if "dosage" in r:
            item["dosage"] = {k: v for k, v in r["dosage"][0].items() if k in ("text", "timing", "asNeededBoolean")}
            if len(r["dosage"]) > 1:
                item["more_dosages"] = [d["text"] for d in r["dosage"][1:]]
        if len(r.get("extension", [])) > 1:  # one resource per fact: the offsets of every mention
            item["mentions"] = [x["extension"][1]["valueInteger"] for x in r["extension"]]
        resources.append(item)
    return {
        "text": doc.text,
        "phi": [[p.label, p.start, p.end] for p in doc.phi],
        "sections": [[s.name, s.start, s.end] for s in doc.sections],
        "allergy_status": doc.allergy_status,
        "entities": [ent(e) for e in doc.entities],
        "resources": resources,
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_golden(nlp, path):
    import ehrnlp

    doc = nlp(ehrnlp.Note(text=path.read_text(encoding="utf-8"), id=path.stem, patient="Patient/example"))
    bundle = json.loads(ehrnlp.to_fhir(doc, recorded=RECORDED).model_dump_json(exclude_none=True))
    got = json.dumps(summary(doc, bundle), indent=1, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"{path.stem}.json"
    if UPDATE:
        golden.write_text(got, encoding="utf-8")
        return
    if not golden.exists():
        pytest.fail(f"no golden file {golden.name}; create it with EHRNLP_UPDATE_GOLDEN=1 and review it")
    want = golden.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), f"golden/{golden.name}", "now", n=2))
        pytest.fail(f"output changed for {path.name} (regenerate with EHRNLP_UPDATE_GOLDEN=1 if intended):\n{diff[:6000]}")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_allergen_outside_an_allergy_context(nlp, path):
    """Issue 18: an ALLERGEN needs an allergy context (allergies section or table, a cue, an
    exposure that caused a reaction, an avoided substance); elsewhere it is a medication or
    nothing."""
    import ehrnlp
    from ehrnlp.allergy import find_allergy_contexts

    doc = nlp(ehrnlp.Note(text=path.read_text(encoding="utf-8"), id=path.stem, patient="Patient/example"))
    contexts = find_allergy_contexts(doc.text, doc.sections)
    outside = [(e.label, e.start, e.end) for e in doc.entities
               if e.label == "ALLERGEN" and not any(a <= e.start and e.end <= b for a, b in contexts)]
    assert outside == []
