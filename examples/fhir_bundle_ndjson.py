"""FHIR output: a Bundle for one note, FHIR Bulk Data NDJSON for many.

Run: python examples/fhir_bundle_ndjson.py [OUT_DIR]

``ehrnlp.to_fhir`` returns a ``fhir.resources`` R4B Bundle (``collection`` by default,
``transaction`` with conditional creates for posting); ``ehrnlp.fhir.write_ndjson`` writes
one ``<ResourceType>.ndjson`` file per type with relative references, as a Bulk export does.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import ehrnlp

NOTES = [
    ehrnlp.Note(text="Denies chest pain. Lisinopril 10 mg PO daily. NKDA.", id="note-1", patient="Patient/p1"),
    ehrnlp.Note(text="Asthma. Albuterol 2 puffs q4h PRN wheeze. Allergic to penicillin (rash).", id="note-2",
                patient="Patient/p2"),
]


def main(out: Path) -> None:
    nlp = ehrnlp.load(deidentify=False)  # the notes are synthetic and PHI-free
    doc = nlp(NOTES[0])

    bundle = ehrnlp.to_fhir(doc, bundle_type="transaction")
    data = json.loads(bundle.model_dump_json(exclude_none=True))
    (out / "note-1.bundle.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    for entry in data["entry"]:
        print(entry["request"]["method"], entry["request"]["url"], entry["resource"]["resourceType"])

    ndjson = out / "bulk"
    ehrnlp.fhir.write_ndjson(nlp.pipe(NOTES), ndjson)
    for path in sorted(ndjson.glob("*.ndjson")):
        lines = path.read_text(encoding="utf-8").splitlines()
        print(f"{path.name}: {len(lines)} resource(s)")
        for line in lines:
            assert json.loads(line)["resourceType"] == path.stem
    assert (ndjson / "MedicationStatement.ndjson").is_file() and (ndjson / "AllergyIntolerance.ndjson").is_file()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        target = Path(sys.argv[1])
        target.mkdir(parents=True, exist_ok=True)
        main(target)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
