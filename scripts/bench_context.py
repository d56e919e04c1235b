#!/usr/bin/env python
"""Throughput of the clinical-context stages (sections, assertion, relations) alone.

    python scripts/bench_context.py [--data ../shared/data] [--notes 323] [--repeat 3]

Entities come from the vocabulary-matcher NER, computed once before timing, so the
numbers are the cost of these three stages only. Prints notes/s and ms per note.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import ehrnlp
from ehrnlp.assertion import AssertionStage
from ehrnlp.relations import RelationStage
from ehrnlp.sections import SectionStage

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--notes", type=int, default=323)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stress", action="store_true", help="also time synthetic run-on notes (no sentence ends)")
    args = ap.parse_args(argv)
    folder = args.data / "glaucoma" / "notes"
    if not folder.is_dir():
        print(f"{folder} not found; pass --data", file=sys.stderr)
        return 2
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[: args.notes]]
    ner = ehrnlp.load(deidentify=False, sections=False, assertion=False, relations=False, normalize=False,
                      ner={"backend": "rules"})
    docs = [ner(t).replace(provenance={}) for t in texts]
    stages = [SectionStage(), AssertionStage(), RelationStage()]
    n_ents = sum(len(d.entities) for d in docs)
    chars = sum(len(t) for t in texts)
    runs = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for d in docs:
            for st in stages:
                d = st(d)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    print(f"{len(docs)} notes, {chars / len(docs):.0f} chars and {n_ents / len(docs):.1f} entities per note on average")
    print(f"sections+assertion+relations: {len(docs) / best:.1f} notes/s, {1000 * best / len(docs):.2f} ms/note "
          f"(best of {args.repeat}; median {1000 * statistics.median(runs) / len(docs):.2f} ms/note), one process")
    if args.stress:
        _stress(stages)
    return 0


def _stress(stages) -> None:
    """Run-on text without sentence ends: the cost must stay linear in the note length."""
    from ehrnlp.model import Document, Entity

    words = (("fever", "SYMPTOM"), ("cough", "SYMPTOM"), ("aspirin", "MEDICATION"), ("81 mg", "DOSE"),
             ("daily", "FREQUENCY"), ("penicillin", "MEDICATION"), ("hives", "SYMPTOM"))
    for unit in ("no fever and cough with aspirin 81 mg daily ",
                 "Allergies: penicillin causes hives, aspirin 81 mg daily "):
        for n in (1000, 4000):
            text = unit * n
            ents = []
            for i in range(n):
                base = i * len(unit)
                for w, label in words:
                    if w in unit:
                        s = base + unit.index(w)
                        ents.append(Entity(label, s, s + len(w), w))
            doc = Document(text=text, entities=tuple(ents))
            t0 = time.perf_counter()
            for st in stages:
                doc = st(doc)
            print(f"run-on note of {len(text):,} characters, {len(ents):,} entities: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
