"""Batch conversion with resume: many notes to FHIR Bulk NDJSON, restartable.

Run: python examples/batch_convert.py [OUT_DIR]

``ehrnlp.batch.convert`` is what ``ehrnlp convert`` runs. Notes are cut into chunks; each
chunk is written whole or not at all, so a run that stops (a crash, ``kill -9``) is
continued with ``resume=True`` (``--resume``), which skips the complete chunks and gives a
result byte-identical to an uninterrupted run. A note that fails is recorded in
``OperationOutcome.ndjson`` (never its text) and the others are converted.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from ehrnlp.batch import ConvertOptions, convert

NOTES = [
    {"id": "n1", "patient": "Patient/p1", "text": "Denies chest pain. Aspirin 81 mg PO daily."},
    {"id": "n2", "patient": "Patient/p1", "text": "Asthma, well controlled. Albuterol 2 puffs q4h PRN."},
    {"id": "n3", "patient": "Patient/p2", "text": "Allergies: penicillin (hives). NKDA otherwise."},
    {"id": "n4", "patient": "Patient/p2", "text": "Possible pneumonia. Start amoxicillin 500 mg PO TID x 7 days."},
    {"id": "n5", "patient": "Patient/p3", "text": "Mother with breast cancer. Pt reports fatigue."},
]
RECORDED = "2024-01-01T00:00:00+00:00"  # a fixed Provenance time, so two runs compare equal


def main(work: Path) -> None:
    notes = work / "notes.jsonl"
    notes.write_text("".join(json.dumps(n) + "\n" for n in NOTES), encoding="utf-8")

    def options(out: Path, resume: bool = False) -> ConvertOptions:
        return ConvertOptions(out=out, chunk_size=2, resume=resume, quiet=True, deidentify=False, recorded=RECORDED)

    full = work / "full"
    manifest = convert([notes], options(full))
    print("converted:", manifest["converted"], "of", manifest["notes"], "notes;", manifest["resources"])

    # simulate an interrupted run: keep only the first complete chunk and drop the final files
    partial = work / "partial"
    shutil.copytree(full, partial)
    for f in partial.glob("*.ndjson"):
        f.unlink()
    chunks = sorted(p for p in (partial / ".parts").iterdir() if p.name.startswith("chunk-"))
    for chunk in chunks[1:]:
        shutil.rmtree(chunk) if chunk.is_dir() else chunk.unlink()
    print(f"interrupted run: {len(chunks[:1])} of {len(chunks)} chunks on disk; resuming")

    resumed = convert([notes], options(partial, resume=True))
    print(f"resumed: {resumed['this_run']['resumed_notes']} notes skipped (already done), "
          f"{resumed['this_run']['notes']} converted now, {resumed['converted']} in all")
    assert resumed["this_run"]["resumed_notes"] == 2 and resumed["converted"] == len(NOTES)
    for f in sorted(full.glob("*.ndjson")):
        same = f.read_bytes() == (partial / f.name).read_bytes()
        print(f"  {f.name}: {len(f.read_text().splitlines())} line(s), identical after resume: {same}")
        assert same


if __name__ == "__main__":
    if len(sys.argv) > 1:
        target = Path(sys.argv[1])
        target.mkdir(parents=True, exist_ok=True)
        main(target)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
