#!/usr/bin/env python
"""De-identification dev scores and throughput on the gold sets of scripts/build_phi_gold.py.

    python scripts/build_phi_gold.py
    python scripts/bench_deid.py [--gold data/phi] [--split dev|test|all] [--limit N] [--json out.json]
        [--set learned_ner=false] [--set transformer_phi=false]

Prints, for each gold file, the report of ehrnlp.deid.evaluate.format_report (recall by
type, character recall/precision, leaking documents, MACCROBAT over-redaction, notes/s).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT / "data" / "phi"))
    ap.add_argument("--split", default="all", choices=["dev", "test", "all"])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--files", nargs="*", default=["glaucoma.jsonl", "presidio_synth.jsonl", "maccrobat.jsonl"])
    ap.add_argument("--operator", default="mask")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="another [deid] setting, value as JSON (e.g. --set learned_ner=false --set transformer_phi=false)")
    ap.add_argument("--json", default=None, help="write the full results (ids, offsets; no text) here")
    ap.add_argument("--show-misses", type=int, default=0, help="print N missed spans WITH context (synthetic gold only)")
    ap.add_argument("--throughput", action="store_true", help="also time stage(doc) vs stage.pipe(docs) on the Glaucoma notes")
    args = ap.parse_args(argv)

    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage
    from ehrnlp.deid.evaluate import evaluate_phi, format_report

    t = time.perf_counter()
    extra = {}
    for kv in args.set:
        k, _, v = kv.partition("=")
        try:
            extra[k.strip()] = json.loads(v)
        except json.JSONDecodeError:
            extra[k.strip()] = v
    stage = DeidStage(DeidConfig(operator=args.operator, **extra))
    print(f"config: operator={args.operator} {extra}")
    print(f"DeidStage loaded in {time.perf_counter() - t:.1f} s")
    out = {}
    for name in args.files:
        path = Path(args.gold) / name
        if not path.exists():
            print(f"{path} missing: run scripts/build_phi_gold.py first", file=sys.stderr)
            return 2
        recs = [json.loads(line) for line in path.open(encoding="utf-8")]
        if args.split != "all":
            recs = [r for r in recs if r.get("split") == args.split]
        if args.limit:
            recs = recs[: args.limit]
        res = evaluate_phi(recs, stage)
        out[name] = res
        print(f"\n== {name} ({args.split}) ==")
        print(format_report(res))
        if args.show_misses:
            by_id = {r["id"]: r for r in recs}
            for m in res["misses"][: args.show_misses]:
                text = by_id[m["id"]]["text"]
                print(f"  MISS {m['label']:<9} {text[m['start']:m['end']]!r:40} | {text[max(0, m['start'] - 40):m['start']]!r} ... {text[m['end']:m['end'] + 25]!r}")
    if args.throughput:
        from ehrnlp.model import Document, Note

        recs = [json.loads(line) for line in (Path(args.gold) / "glaucoma.jsonl").open(encoding="utf-8")]
        docs = [Document.from_note(Note(text=r["text"], id=r["id"])) for r in recs]
        n_chars = sum(len(d.text) for d in docs)
        t = time.perf_counter()
        for d in docs:
            stage(d)
        one = time.perf_counter() - t
        t = time.perf_counter()
        for i in range(0, len(docs), 32):
            stage.pipe(docs[i:i + 32])
        batched = time.perf_counter() - t
        print(f"\nthroughput on {len(docs)} Glaucoma notes ({n_chars // len(docs)} chars on average):")
        print(f"  one by one  {len(docs) / one:6.1f} notes/s  ({n_chars / one:,.0f} chars/s)")
        print(f"  pipe (32)   {len(docs) / batched:6.1f} notes/s  ({n_chars / batched:,.0f} chars/s)")
        out["throughput"] = {"one_by_one_notes_per_s": len(docs) / one, "pipe_notes_per_s": len(docs) / batched}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
