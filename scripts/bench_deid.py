#!/usr/bin/env python
"""De-identification dev scores and throughput on the gold sets of scripts/build_phi_gold.py.

    python scripts/build_phi_gold.py
    python scripts/bench_deid.py [--gold data/phi] [--split dev|test|all] [--limit N] [--json out.json]
        [--set learned_ner=false] [--set transformer_phi=false] [--lower | --upper]

Prints, for each gold file, the report of ehrnlp.deid.evaluate.format_report (recall by
type, character recall/precision, leaking documents, MACCROBAT over-redaction, notes/s), and
the share of non-PHI characters redacted (outside gold PHI and ignored masks).

``--lower`` / ``--upper`` run every record written in one case (offsets kept): a note written
all in lower case or capitals must keep its clinical words as the original does (MACCROBAT's
protected clinical characters, everyone's non-PHI characters).
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
    case = ap.add_mutually_exclusive_group()
    case.add_argument("--lower", action="store_true", help="lower-case every record first (offsets kept)")
    case.add_argument("--upper", action="store_true", help="upper-case every record first (offsets kept)")
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
        if args.lower or args.upper:
            recs = [{**r, "text": _one_case(r["text"], upper=args.upper)} for r in recs]
        res = evaluate_phi(recs, stage)
        res["non_phi_chars"], res["non_phi_chars_redacted"] = _non_phi_redacted(recs, res)
        out[name] = res
        print(f"\n== {name} ({args.split}) ==")
        print(format_report(res))
        print(f"  non-PHI characters redacted: {res['non_phi_chars_redacted']} of {res['non_phi_chars']} "
              f"({100 * res['non_phi_chars_redacted'] / max(1, res['non_phi_chars']):.3f}%)")
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


def _one_case(text: str, *, upper: bool) -> str:
    """``text`` in one case, character for character (a letter whose case form is longer stays)."""
    conv = str.upper if upper else str.lower
    return "".join(c2 if len(c2 := conv(c)) == 1 else c for c in text)


def _non_phi_redacted(recs: list[dict], res: dict) -> tuple[int, int]:
    """(non-blank characters outside gold PHI and ignored spans, how many of them were redacted)."""
    total = 0
    for r in recs:
        text = r["text"]
        skip = bytearray(len(text))
        for a, b in [(int(g["start"]), int(g["end"])) for g in r.get("phi", ())] + [(int(x[0]), int(x[1])) for x in r.get("ignore", ())]:
            skip[max(0, a):max(0, b)] = b"\x01" * (min(len(text), max(0, b)) - max(0, a))
        total += sum(1 for i, c in enumerate(text) if not skip[i] and not c.isspace())
    wrong = round(res["predicted_chars"] * (1 - (res["char_precision"] or 0))) if res["predicted_chars"] else 0
    return total, wrong


if __name__ == "__main__":
    sys.exit(main())
