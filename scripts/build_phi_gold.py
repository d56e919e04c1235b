#!/usr/bin/env python
"""Build the PHI development gold sets into data/phi/ (git-ignored; never commit them).

    python scripts/build_phi_gold.py [--data ../shared/data] [--out data/phi]

Writes glaucoma.jsonl (masks filled with typed synthetic values where the layout makes the
type certain, other masks as ignore spans), presidio_synth.jsonl (only ages over 89 are
PHI) and maccrobat.jsonl (PHI-free; clinical spans kept under "protect" for the
over-redaction check). Each record has a "split" of dev or test. presidio-synth sentences
of the templates the NER model trains on (train/val of src/ehrnlp/training/splits.json) are
left out: only held-out templates are scored. See ehrnlp.training.goldbuild.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    from ehrnlp.training.goldbuild import glaucoma_records, maccrobat_records, presidio_synth_records
    from ehrnlp.training.paths import DATA_ENV, DATA_ROOT_HELP, shared_data_root

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None, help=DATA_ROOT_HELP)
    ap.add_argument("--out", default=str(ROOT / "data" / "phi"))
    args = ap.parse_args(argv)
    data, out = shared_data_root(args.data), Path(args.out)
    if not data.is_dir():
        print(f"shared data folder not found: {data} (pass --data or set {DATA_ENV})", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    sources = {
        "glaucoma.jsonl": glaucoma_records(data / "glaucoma" / "notes"),
        "presidio_synth.jsonl": presidio_synth_records(data / "presidio-synth" / "synth_dataset_v2.json"),
        "maccrobat.jsonl": maccrobat_records(data / "maccrobat"),
    }
    for name, records in sources.items():
        n, labels, ign, splits, skipped = 0, Counter(), 0, Counter(), 0
        with open(out / name, "w", encoding="utf-8") as fh:
            for rec in records:
                if rec["split"] == "train":
                    skipped += 1  # the NER model (PHI recognizer) trains on these
                    continue
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
                labels.update(p["label"] for p in rec["phi"])
                ign += len(rec["ignore"])
                splits[rec["split"]] += 1
        print(f"{name}: {n} records ({dict(splits)}), PHI spans {dict(labels)}, ignore spans {ign}"
              + (f"; {skipped} training records left out" if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
