#!/usr/bin/env python
"""PHI canary pieces alone: de-identify each canary note's appended pieces on their own and count what leaks.

    python scripts/bench_canary_pieces.py --seed 3007 [--pieces 20] [--n 2400] [--every 1] [--offset 0]
        [--show 20] [--json out.json]

An application often hands ehrnlp a short text (a form's fields, a document's metadata, an address block)
rather than a whole note. Each canary note closes with pieces that the generator writes with a transform stream
of their own (``tests/canary/phi_canary.py``: ``10`` cut_title, ``11`` visit_with, ``16`` name_field, ``17``
doc_meta, ``18`` safe_harbor, ``19`` extracted, ``20`` intl, ``21`` spoken, ``22`` workplace); this script cuts
each one out as the note writes it (its layout transform applied) and de-identifies it alone, with the note's
leak checker (:func:`phi_canary.leaks`) on the piece's own PHI. It reads a tenth of a whole run's text per piece
kind, so it is a cheap first pass over many seeds; a piece that leaks alone may be covered inside its note (the
model reads the note around it) and the reverse, so a finding is confirmed and fixed on whole notes too.

Seeds: declare a seed dev or held-out before its first run, as for ``bench_canary.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "canary"))

import phi_canary  # noqa: E402

PIECES = {"10": "cut_title", "11": "visit_with", "16": "name_field", "17": "doc_meta", "18": "safe_harbor",
          "19": "extracted", "20": "intl", "21": "spoken", "22": "workplace"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--pieces", default=",".join(PIECES), help="comma-separated piece tags (default: all): "
                    + ", ".join(f"{k} {v}" for k, v in PIECES.items()))
    ap.add_argument("--n", type=int, default=phi_canary.DEFAULT_COUNT)
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--offset", type=int, default=0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--show", type=int, default=0, help="print the first N leaking pieces, before and after")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    want = [t.strip() for t in a.pieces.split(",") if t.strip()]
    unknown = [t for t in want if t not in PIECES]
    if unknown:
        ap.error(f"unknown piece tags: {', '.join(unknown)} (known: {', '.join(PIECES)})")

    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage
    from ehrnlp.model import Document, Note

    t0 = time.perf_counter()
    stage = DeidStage(DeidConfig())
    items: list[tuple[phi_canary.CanaryNote, str, str, list[phi_canary.Phi]]] = []
    for i in range(a.offset, a.n, a.every):
        got: dict[str, tuple[str, list[phi_canary.Phi]]] = {}
        c = phi_canary.note(i, a.seed, pieces=got)
        items.extend((c, tag, *got[tag]) for tag in want if tag in got)
    leaking: Counter[str] = Counter()
    total: Counter[str] = Counter()
    values: Counter[str] = Counter()
    values_leaked: Counter[str] = Counter()
    found: list[dict[str, object]] = []
    shown = 0
    for k in range(0, len(items), a.batch):
        chunk = items[k:k + a.batch]
        docs = stage.pipe([Document.from_note(Note(text=text, id=f"{c.id}-{tag}")) for c, tag, text, _ in chunk])
        for (c, tag, text, phis), d in zip(chunk, docs):
            alone = phi_canary.CanaryNote(f"{c.id}-{tag}", text, c.layout, c.transform, c.label_style, phis, [])
            leaked = phi_canary.leaks(alone, d.text)
            total[tag] += 1
            values[tag] += len(phis)
            if leaked:
                leaking[tag] += 1
                values_leaked[tag] += len(leaked)
                found.append({"note": c.id, "piece": PIECES[tag], "layout": c.layout, "transform": c.transform,
                              "label_style": c.label_style, "kinds": sorted({p.kind for p in leaked})})
                if shown < a.show:  # synthetic people only: the canary notes are generated
                    shown += 1
                    print(f"--- {c.id} piece {tag} ({PIECES[tag]}), {c.layout} / {c.transform} / {c.label_style}: "
                          f"{[p.value for p in leaked]}")
                    print(text)
                    print("  ->")
                    print(d.text)
    secs = time.perf_counter() - t0
    print(f"\n{len(items)} pieces of {len(range(a.offset, a.n, a.every))} canary notes (seed {a.seed}), {secs:.0f} s")
    print("pieces leaking / pieces, values leaked / values, per piece kind:")
    for tag in want:
        print(f"  {tag} {PIECES[tag]:<12} {leaking[tag]:>4} / {total[tag]:<5} {values_leaked[tag]:>4} / {values[tag]}")
    print(f"all: {sum(leaking.values())} / {sum(total.values())} pieces, "
          f"{sum(values_leaked.values())} / {sum(values.values())} values")
    if a.json is not None:
        a.json.write_text(json.dumps({
            "seed": a.seed, "pieces": {PIECES[t]: {"pieces": total[t], "leaking": leaking[t], "values": values[t],
                                                   "values_leaked": values_leaked[t]} for t in want},
            "leaking": found}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
