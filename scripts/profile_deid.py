#!/usr/bin/env python
"""Where the de-identification stage spends its time, part by part.

    python scripts/profile_deid.py [--glaucoma 20] [--maccrobat 5] [--rounds 3] [--data ../shared/data]
        [--pipe] [--json OUT]

Loads ``ehrnlp.load()``'s pipeline, wraps every part of its ``deid`` stage in a timer
(the transformer's forward pass, the spaCy pipeline inside Presidio's NLP engine, each
Presidio recognizer's ``analyze``, Presidio's own bookkeeping around them, and each of
ehrnlp's post-processing steps: filters, slots, neighbours, propagation, merge, the
anonymizer) and runs the stage on the first N Glaucoma dev notes and the first M MACCROBAT
reports, ``--rounds`` times. Prints milliseconds per note and the share of the stage for
every part (median over rounds). ``--pipe`` runs the stage's batched ``pipe`` (the path
``nlp.pipe`` takes) instead of one call per note.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def load_texts(data: Path, n_glaucoma: int, n_maccrobat: int) -> dict[str, list[str]]:
    """The first N notes of each corpus, sorted by file name (as bench_throughput.py takes them)."""
    out: dict[str, list[str]] = {}
    g = sorted((data / "glaucoma" / "notes").glob("*.txt"))
    out["glaucoma"] = [f.read_text(encoding="utf-8") for f in g[:n_glaucoma]]
    m = sorted((data / "maccrobat").rglob("*.txt"))
    out["maccrobat"] = [f.read_text(encoding="utf-8") for f in m[:n_maccrobat]]
    return out


class Timers:
    def __init__(self) -> None:
        self.acc: dict[str, float] = defaultdict(float)
        self.stack: list[str] = []

    def wrap(self, obj, attr: str, key: str) -> None:
        fn = getattr(obj, attr)
        acc = self.acc

        @functools.wraps(fn)
        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                acc[key] += time.perf_counter() - t0

        setattr(obj, attr, timed)


def instrument(stage) -> Timers:
    import ehrnlp.deid.engine as engine

    t = Timers()
    t.wrap(stage, "analyze", "presidio analyze (total)")
    t.wrap(stage.analyzer.nlp_engine, "process_text", "spaCy (Presidio NLP engine)")
    t.wrap(stage.analyzer.nlp_engine, "process_batch", "spaCy (Presidio NLP engine)")
    for rec in stage.analyzer.registry.recognizers:
        t.wrap(rec, "analyze", f"rec {rec.name}")
    if stage._phi_rec is not None:
        t.wrap(stage._phi_rec, "prime", "transformer forward (prime)")
    t.wrap(stage.analyzer, "_enhance_using_context", "presidio context enhancer")
    for name in ("_filter", "_by_slots", "_names_by_neighbours", "_places_by_neighbours", "_propagate_names",
                 "_complete_lists", "_replace"):
        t.wrap(stage, name, f"post {name}")
    t.wrap(engine, "_merge", "post _merge")
    t.wrap(engine, "_map_clinical", "post _map_clinical")
    import ehrnlp.deid.patterns as patterns

    t.wrap(patterns, "eponym_spans", "post eponym_spans")
    return t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--glaucoma", type=int, default=20)
    ap.add_argument("--maccrobat", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--data", default=None)
    ap.add_argument("--pipe", action="store_true")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()

    import torch

    torch.set_num_threads(1)
    import ehrnlp
    from ehrnlp.model import Document
    from ehrnlp.pipeline import as_note
    from ehrnlp.training.paths import shared_data_root

    data = Path(shared_data_root(args.data))
    corpora = load_texts(data, args.glaucoma, args.maccrobat)
    nlp = ehrnlp.load()
    stage = nlp.get_stage("deid")
    stage(Document.from_note(as_note(corpora["glaucoma"][0])))  # warm-up
    timers = instrument(stage)
    report: dict[str, dict] = {}
    for corpus, texts in corpora.items():
        if not texts:
            continue
        rounds: list[dict[str, float]] = []
        for _ in range(args.rounds):
            timers.acc.clear()
            docs = [Document.from_note(as_note(x)) for x in texts]
            t0 = time.perf_counter()
            if args.pipe:
                stage.pipe(docs)
            else:
                for d in docs:
                    stage(d)
            total = time.perf_counter() - t0
            row = {k: 1000 * v / len(texts) for k, v in timers.acc.items()}
            row["stage total"] = 1000 * total / len(texts)
            rounds.append(row)
        keys = sorted({k for r in rounds for k in r})
        med = {k: statistics.median(r.get(k, 0.0) for r in rounds) for k in keys}
        rec_sum = sum(v for k, v in med.items() if k.startswith("rec "))
        med["presidio bookkeeping (analyze − spaCy − recognizers − enhancer)"] = (
            med.get("presidio analyze (total)", 0) - med.get("spaCy (Presidio NLP engine)", 0) - rec_sum
            - med.get("presidio context enhancer", 0))
        report[corpus] = {"notes": len(texts), "chars_per_note": sum(map(len, texts)) / len(texts), "ms_per_note": med}
        tot = med["stage total"]
        print(f"\n## {corpus}: {len(texts)} notes, {report[corpus]['chars_per_note']:.0f} chars/note, "
              f"median of {args.rounds} rounds")
        print("| part | ms/note | share |\n| --- | ---: | ---: |")
        for k, v in sorted(med.items(), key=lambda kv: -kv[1]):
            print(f"| {k} | {v:.1f} | {100 * v / tot:.1f}% |")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
