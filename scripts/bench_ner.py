"""Speed of the transformer NER stage: load time and tokens/s, fp32 vs int8.

    python scripts/bench_ner.py [--model PATH] [--notes 60] [--threads 2] [--batch-size 16] [--json]

Texts are synthetic notes from :mod:`ehrnlp.training.synth` (no shared data needed), concatenated
in groups of three so that most exceed one 256-token window, as real Epic notes do.
Tokens are the model's word-piece tokens (no special tokens). Numbers depend on the CPU and
on other load: run on an idle machine and report the thread count with the result.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None, help="model folder (default: the bundled model)")
    ap.add_argument("--notes", type=int, default=60)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    from ehrnlp.config import NerConfig
    from ehrnlp.model import Document
    from ehrnlp.ner.tagger import TransformerStage
    from ehrnlp.training.synth import generate

    synth = generate(args.notes * 3, seed=99)
    texts = ["\n\n".join(d.text for d in synth[i : i + 3]) for i in range(0, len(synth), 3)]
    cfg = NerConfig(backend="transformer", model_path=args.model, batch_size=args.batch_size)
    results = {"threads": args.threads, "batch_size": args.batch_size, "notes": len(texts),
               "cpu": platform.processor() or platform.machine(), "torch": torch.__version__, "runs": {}}
    for q in ("none", "int8"):
        t0 = time.perf_counter()
        stage = TransformerStage(cfg, None, quantize=q)
        load_s = time.perf_counter() - t0
        n_tok = sum(len(stage.model.encode(t)[0]) for t in texts)
        docs = [Document(text=t) for t in texts]
        stage.pipe(docs[:2])  # warm-up
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            stage.pipe(docs)
            best = min(best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for d in docs[:10]:
            stage(d)
        single = (time.perf_counter() - t0) / 10
        results["runs"]["fp32" if q == "none" else "int8"] = {
            "load_s": round(load_s, 2),
            "tokens": n_tok,
            "tokens_per_s": round(n_tok / best, 1),
            "mean_tokens_per_note": round(n_tok / len(texts), 1),
            "single_note_latency_s": round(single, 3),
        }
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print(f"threads={args.threads} batch={args.batch_size} notes={len(texts)} torch={torch.__version__}")
        for k, r in results["runs"].items():
            print(f"{k:5} load {r['load_s']:5.2f} s  {r['tokens_per_s']:8.1f} tokens/s  "
                  f"({r['mean_tokens_per_note']:.0f} tokens/note, single-note latency {r['single_note_latency_s']:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
