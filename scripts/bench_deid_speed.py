#!/usr/bin/env python
"""A/B timing of the de-identification stage between two source trees, alternating.

    python scripts/bench_deid_speed.py --trees /path/to/A /path/to/B [--notes 40] [--rounds 3]
        [--rules-only --cache preds.pkl] [--data ../shared/data]

Each round starts one fresh process per tree (the order swapped every round), with the
tree's ``src`` first on ``PYTHONPATH``; the process builds the stage ``ehrnlp.load()``
builds (``DeidStage`` with the bundled transformer), warms it on the notes once, then times
``stage.pipe`` (batches of 16, the path ``nlp.pipe`` takes) over the first ``--notes`` real
Glaucoma notes, best of 3 passes. ``--rules-only`` answers the transformer's forward pass
from a pickle of its predictions (``scripts/deid_parity.py --cache`` writes one; it holds
note text, so keep it outside the repository): what is left is everything else the stage
does. Prints ms per note per tree and round, and the median ratio A / B (on a machine
shared with other jobs, compare ratios, not absolute times).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def worker(args: argparse.Namespace) -> int:
    import pickle

    import torch

    torch.set_num_threads(1)
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage
    from ehrnlp.model import Document, Note
    from ehrnlp.ner.tagger import NerModel, bundled_model_dir
    from ehrnlp.training.paths import shared_data_root

    files = sorted((Path(shared_data_root(args.data)) / "glaucoma" / "notes").glob("*.txt"))[: args.notes]
    texts = [f.read_text(encoding="utf-8") for f in files]
    stage = DeidStage(DeidConfig(), phi_model=NerModel(bundled_model_dir()))
    rec = stage._phi_rec
    if args.rules_only and rec is not None:
        cache = pickle.loads(Path(args.cache).read_bytes())

        def prime(batch: list[str]) -> None:
            for t in batch:
                rec.predictions.setdefault(t, cache[t])

        rec.prime = prime

    def run() -> float:
        t0 = time.perf_counter()
        for i in range(0, len(texts), 16):
            stage.pipe([Document.from_note(Note(text=x)) for x in texts[i:i + 16]])
        return time.perf_counter() - t0

    run()
    best = min(run() for _ in range(3))
    print(json.dumps({"ms_per_note": 1000 * best / len(texts), "src": __import__("ehrnlp").__file__}))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trees", nargs=2, metavar=("A", "B"))
    ap.add_argument("--notes", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rules-only", action="store_true")
    ap.add_argument("--cache", default=None)
    ap.add_argument("--data", default=None)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rules_only and not args.cache:
        ap.error("--rules-only needs --cache")
    if args.worker:
        return worker(args)
    if not args.trees:
        ap.error("--trees A B")
    times: dict[str, list[float]] = {t: [] for t in args.trees}
    for r in range(args.rounds):
        for tree in args.trees if r % 2 == 0 else args.trees[::-1]:
            env = dict(os.environ, PYTHONPATH=str(Path(tree) / "src"), OMP_NUM_THREADS="1",
                       TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="")
            cmd = [sys.executable, __file__, "--worker", "--notes", str(args.notes)]
            if args.rules_only:
                cmd += ["--rules-only", "--cache", args.cache]
            if args.data:
                cmd += ["--data", args.data]
            out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
            res = json.loads(out.strip().splitlines()[-1])
            if not res["src"].startswith(str(Path(tree).resolve())):
                raise SystemExit(f"{tree}: the worker imported ehrnlp from {res['src']}")
            times[tree].append(res["ms_per_note"])
            print(f"round {r + 1}: {tree}: {res['ms_per_note']:.1f} ms/note", flush=True)
    a, b = args.trees
    ratios = [x / y for x, y in zip(times[a], times[b])]
    what = "rules only (forward pass cached)" if args.rules_only else "whole stage"
    print(f"\n{what}, {args.notes} Glaucoma notes, {args.rounds} rounds")
    for t in args.trees:
        print(f"  {t}: median {statistics.median(times[t]):.1f} ms/note ({', '.join(f'{x:.1f}' for x in times[t])})")
    print(f"  A / B time ratio: median {statistics.median(ratios):.3f} (rounds {', '.join(f'{x:.3f}' for x in ratios)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
