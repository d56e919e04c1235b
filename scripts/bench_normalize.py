#!/usr/bin/env python3
"""Benchmark the normalize stage: link 10,000 mentions (target: under 2 s on a 2-core machine).

    python scripts/bench_normalize.py              # both workloads, 3 repeats each
    python scripts/bench_normalize.py --n 50000 --repeat 5

Workloads (each run starts from a fresh NormalizeStage, so no warm cache carries over):

* ``realistic``: mentions drawn with replacement from a pool resembling notes - drug names
  and brands, abbreviations, symptoms, problems, allergens, routes (exact hits), 15%
  misspelled, 5% context-wrapped ("h/o HTN"), 5% unknown words. Repeats occur as in real
  notes, and the stage's cache serves them.
* ``unique``: 10,000 distinct mentions (every one a cache miss), 40% of them misspelled
  vocabulary terms and 10% unknown - the worst case for the fuzzy step.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ehrnlp.config import NormalizeConfig
from ehrnlp.normalize import NormalizeStage
from ehrnlp.vocab import load_vocabulary

LABELS = ("MEDICATION", "SYMPTOM", "PROBLEM", "ALLERGEN", "REACTION", "ROUTE", "SEVERITY")
CONTEXT = ("h/o {}", "c/o {}", "hx of {}", "allergic to {}", "severe {}", "mild {}", "{} allergy")


def typo(rng: random.Random, w: str) -> str:
    if len(w) < 5:
        return w
    i = rng.randrange(1, len(w) - 1)
    op = rng.randrange(4)
    if op == 0:
        return w[:i] + w[i + 1:]  # deletion
    if op == 1:
        return w[:i] + w[i] + w[i:]  # doubled letter
    if op == 2:
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]  # transposition
    return w[:i] + rng.choice("aeiou") + w[i + 1:]  # vowel substitution


def unknown(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(rng.randint(2, 5)))


def pools(vocab, rng: random.Random):
    by_label: dict[str, list[str]] = {lab: [] for lab in LABELS}
    for e in vocab.entries:
        if e.label in by_label and e.code:
            by_label[e.label].append(e.term)
    # notes mention common things far more than rare ones: weight curated/short terms up
    common = {lab: [t for t in terms if len(t) <= 20] for lab, terms in by_label.items()}
    return by_label, common


def realistic(vocab, n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    by_label, common = pools(vocab, rng)
    hot = {lab: rng.sample(terms, min(len(terms), 300)) for lab, terms in common.items()}
    weights = {"MEDICATION": 35, "SYMPTOM": 20, "PROBLEM": 20, "ALLERGEN": 8, "REACTION": 5, "ROUTE": 8, "SEVERITY": 4}
    out = []
    labs = list(weights)
    for _ in range(n):
        lab = rng.choices(labs, weights=[weights[x] for x in labs])[0]
        r = rng.random()
        term = rng.choice(hot[lab]) if rng.random() < 0.8 else rng.choice(by_label[lab])
        if r < 0.15:
            term = typo(rng, term)
        elif r < 0.20:
            term = rng.choice(CONTEXT).format(term)
        elif r < 0.25:
            term = unknown(rng)
        out.append((term, lab))
    return out


def unique(vocab, n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    by_label, _ = pools(vocab, rng)
    seen: set[tuple[str, str]] = set()
    out = []
    labs = [lab for lab in LABELS if by_label[lab]]
    while len(out) < n:
        lab = rng.choice(labs)
        term = rng.choice(by_label[lab])
        r = rng.random()
        if r < 0.4:
            term = typo(rng, term)
        elif r < 0.5:
            term = unknown(rng)
        key = (term.lower(), lab)
        if key in seen:
            continue
        seen.add(key)
        out.append((term, lab))
    return out


def run(vocab, mentions, repeat: int) -> tuple[list[float], dict[str, int]]:
    times = []
    methods: dict[str, int] = {}
    for _ in range(repeat):
        stage = NormalizeStage(vocab, NormalizeConfig())
        t0 = time.perf_counter()
        for text, label in mentions:
            stage.link(text, label)
        times.append(time.perf_counter() - t0)
    for text, label in mentions:
        m = stage.match(text, label)
        k = m.method if m else "none"
        methods[k] = methods.get(k, 0) + 1
    return times, methods


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    t0 = time.perf_counter()
    vocab = load_vocabulary()
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    NormalizeStage(vocab, NormalizeConfig())
    t_index = time.perf_counter() - t0
    print(f"vocabulary: {len(vocab)} rows, load {t_load:.2f} s; stage index build {t_index:.2f} s")
    for name, fn in (("realistic", realistic), ("unique", unique)):
        mentions = fn(vocab, args.n, args.seed)
        times, methods = run(vocab, mentions, args.repeat)
        med = statistics.median(times)
        print(f"{name:>9}: {args.n} mentions in {med:.3f} s median of {args.repeat} "
              f"(min {min(times):.3f}, max {max(times):.3f}); {args.n / med:,.0f} mentions/s; "
              f"matched by: {dict(sorted(methods.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
