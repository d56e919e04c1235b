"""How consistently does MACCROBAT label the same words? A ceiling for SYMPTOM vs PROBLEM.

    python scripts/maccrobat_consistency.py [--data-root ../shared/data] [--model DIR] [--json]

Four numbers, on the dev-test documents of ``splits.json``:

1. **Train/dev-test agreement**: for each dev-test SYMPTOM/PROBLEM/MEDICATION span whose
   lower-cased text was also annotated in the train documents, how often the dev-test label
   equals the label the train documents give that text most often. A tagger that learned the
   train majority perfectly cannot beat this on those spans.
2. **Same text, both types**: distinct texts annotated both SYMPTOM and PROBLEM across the
   corpus ("stenosis", "hematoma", "lactic acidosis").
3. **Unannotated repeats**: for each dev-test document, occurrences of a text that the same
   document annotates as SYMPTOM/PROBLEM/MEDICATION somewhere, found elsewhere in it with no
   span of those types ("fever" annotated in the history, not in the course). A tagger that
   tags the same words the same way pays each one as a false positive (or the annotated one
   as a miss): the share bounds the precision of a consistent tagger.
4. **Type-blind score** (needs the model; skipped with ``--no-model``): overlap F1 of the
   shipped pipeline when SYMPTOM and PROBLEM count as one type, next to the typed scores:
   the gap is what SYMPTOM/PROBLEM confusion costs.

Prints only counts and corpus words that are clinical terms (no PHI: MACCROBAT is
published case reports).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict

from ehrnlp.training.corpus import load_corpus, split_docs
from ehrnlp.training.paths import DATA_ROOT_HELP, shared_data_root

TYPES = ("SYMPTOM", "PROBLEM", "MEDICATION")


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def agreement(train, test) -> dict:
    seen: dict[str, Counter] = defaultdict(Counter)
    for d in train:
        for s in d.spans:
            if s.label in TYPES:
                seen[_norm(d.text[s.start:s.end])][s.label] += 1
    out = {}
    for lab in TYPES:
        n = known = agree = 0
        for d in test:
            for s in d.spans:
                if s.label != lab:
                    continue
                n += 1
                c = seen.get(_norm(d.text[s.start:s.end]))
                if c:
                    known += 1
                    agree += int(c.most_common(1)[0][0] == lab)
        out[lab] = {"gold": n, "text_seen_in_train": known, "train_majority_agrees": agree,
                    "agreement": round(agree / known, 3) if known else None}
    return out


def both_types(docs) -> tuple[int, int, list[str]]:
    by_text: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        for s in d.spans:
            if s.label in ("SYMPTOM", "PROBLEM"):
                by_text[_norm(d.text[s.start:s.end])][s.label] += 1
    mixed = sorted((t for t, c in by_text.items() if len(c) == 2), key=lambda t: -sum(by_text[t].values()))
    return len(by_text), len(mixed), mixed[:15]


def unannotated_repeats(docs) -> dict:
    out = {}
    for lab in TYPES:
        annotated = repeats = 0
        for d in docs:
            covered = [(s.start, s.end) for s in d.spans if s.label in TYPES]
            texts = {_norm(d.text[s.start:s.end]) for s in d.spans if s.label == lab}
            annotated += sum(1 for s in d.spans if s.label == lab)
            for t in texts:
                if len(t) < 3:
                    continue
                pat = r"(?<!\w)" + r"\s+".join(map(re.escape, t.split())) + r"(?!\w)"
                for m in re.finditer(pat, d.text, flags=re.IGNORECASE):
                    if not any(a < m.end() and m.start() < b for a, b in covered):
                        repeats += 1
        out[lab] = {"annotated": annotated, "unannotated_repeats": repeats,
                    "share": round(repeats / (annotated + repeats), 3) if annotated + repeats else None}
    return out


def type_blind(test, model: str | None) -> dict:
    from ehrnlp.evaluate import Counts, Span, _build_stages, _run, score_document, summarize

    docs = _run(_build_stages(model, None), [d.text for d in test])
    merge = {"SYMPTOM": "FINDING", "PROBLEM": "FINDING"}
    typed: dict[str, Counts] = defaultdict(Counts)
    blind: dict[str, Counts] = defaultdict(Counts)
    for r, d in zip(test, docs):
        gold = [Span(s.start, s.end, s.label) for s in r.spans if s.label in ("SYMPTOM", "PROBLEM")]
        pred = [Span(e.start, e.end, e.label) for e in d.entities if e.label in ("SYMPTOM", "PROBLEM")]
        for lab, c in score_document(gold, pred, ignore=r.ignore).items():
            typed[lab].add(c)
        g2 = [Span(s.start, s.end, merge[s.label]) for s in gold]
        p2 = [Span(s.start, s.end, merge[s.label]) for s in pred]
        for lab, c in score_document(g2, p2, ignore=r.ignore).items():
            blind[lab].add(c)
    t, b = summarize(typed), summarize(blind)
    return {"SYMPTOM": t["labels"].get("SYMPTOM", {}).get("overlap"),
            "PROBLEM": t["labels"].get("PROBLEM", {}).get("overlap"),
            "typed_micro": t["micro"]["overlap"], "type_blind": b["micro"]["overlap"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-root", default=None, help=DATA_ROOT_HELP)
    ap.add_argument("--model", default=None, help="model folder (default: the bundled model)")
    ap.add_argument("--no-model", action="store_true", help="skip the type-blind model score")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    docs, _ = load_corpus("maccrobat", shared_data_root(a.data_root))
    train, test = split_docs(docs, "maccrobat", "train"), split_docs(docs, "maccrobat", "dev-test")
    n_texts, n_mixed, examples = both_types(docs)
    rep = {"documents": {"train": len(train), "dev-test": len(test)},
           "train_dev_test_agreement": agreement(train, test),
           "unannotated_repeats": unannotated_repeats(test),
           "symptom_problem_texts": n_texts, "texts_with_both_types": n_mixed, "examples": examples}
    if not a.no_model:
        rep["dev_test_overlap"] = type_blind(test, a.model)
    if a.json:
        print(json.dumps(rep, indent=1))
        return 0
    print(f"MACCROBAT train {len(train)} docs, dev-test {len(test)} docs")
    for lab, r in rep["train_dev_test_agreement"].items():
        print(f"  {lab:10s} dev-test gold {r['gold']:4d}; text seen in train {r['text_seen_in_train']:4d}; "
              f"train majority label agrees {r['train_majority_agrees']:4d} ({r['agreement']})")
    for lab, r in rep["unannotated_repeats"].items():
        print(f"  {lab:10s} dev-test annotated {r['annotated']:4d}; same text unannotated elsewhere in the "
              f"document {r['unannotated_repeats']:4d} ({r['share']} of all occurrences)")
    print(f"  distinct SYMPTOM/PROBLEM texts {n_texts}; annotated as both: {n_mixed}; e.g. {', '.join(examples)}")
    if "dev_test_overlap" in rep:
        o = rep["dev_test_overlap"]
        print(f"  dev-test overlap F1: SYMPTOM {o['SYMPTOM']['f1']:.3f}, PROBLEM {o['PROBLEM']['f1']:.3f}, "
              f"typed micro {o['typed_micro']['f1']:.3f}; SYMPTOM+PROBLEM as one type {o['type_blind']['f1']:.3f} "
              f"(P {o['type_blind']['p']:.3f} R {o['type_blind']['r']:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
