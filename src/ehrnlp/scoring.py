"""NER scoring rules, pure functions: strict and overlap counts per label, P/R/F1.

Shared by ``ehrnlp evaluate`` (:mod:`ehrnlp.evaluate`) and model selection during training
(:mod:`ehrnlp.training.train`); neither imports the other for them. The rules are
described in :mod:`ehrnlp.evaluate`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Span", "Counts", "prf", "score_document", "summarize"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    negated: bool | None = None


@dataclass
class Counts:
    """tp/fp/fn for one label, strict and overlap (overlap has separate tp for P and R)."""

    strict_tp: int = 0
    strict_fp: int = 0
    strict_fn: int = 0
    overlap_tp_pred: int = 0  # predictions overlapping a gold span of the label
    overlap_fp: int = 0
    overlap_tp_gold: int = 0  # gold spans overlapped by a prediction of the label
    overlap_fn: int = 0
    neg_total: int = 0
    neg_correct: int = 0

    def add(self, other: Counts) -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(other, f))


def prf(tp_p: int, fp: int, tp_r: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (0.0 where undefined)."""
    p = tp_p / (tp_p + fp) if tp_p + fp else 0.0
    r = tp_r / (tp_r + fn) if tp_r + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _in_ignore(s: Span, ignore: Sequence[tuple[int, int]]) -> bool:
    return any(s.start < b and a < s.end for a, b in ignore)


def score_document(
    gold: Iterable[Span],
    pred: Iterable[Span],
    *,
    ignore: Sequence[tuple[int, int]] = (),
    labels: Iterable[str] | None = None,
) -> dict[str, Counts]:
    """Per-label counts for one document. ``labels`` restricts scoring to those labels."""
    allowed = set(labels) if labels is not None else None
    gold = [g for g in gold if (allowed is None or g.label in allowed) and not _in_ignore(g, ignore)]
    pred = [p for p in pred if (allowed is None or p.label in allowed) and not _in_ignore(p, ignore)]
    out: dict[str, Counts] = defaultdict(Counts)
    gold_keys = {(g.start, g.end, g.label) for g in gold}
    pred_keys = {(p.start, p.end, p.label) for p in pred}
    for k in pred_keys:
        c = out[k[2]]
        if k in gold_keys:
            c.strict_tp += 1
        else:
            c.strict_fp += 1
    for k in gold_keys - pred_keys:
        out[k[2]].strict_fn += 1
    seen_pred = set()
    for p in pred:
        if (p.start, p.end, p.label) in seen_pred:
            continue
        seen_pred.add((p.start, p.end, p.label))
        if any(g.label == p.label and _overlaps(g, p) for g in gold):
            out[p.label].overlap_tp_pred += 1
        else:
            out[p.label].overlap_fp += 1
    seen_gold = set()
    for g in gold:
        if (g.start, g.end, g.label) in seen_gold:
            continue
        seen_gold.add((g.start, g.end, g.label))
        hits = [p for p in pred if p.label == g.label and _overlaps(g, p)]
        c = out[g.label]
        if hits:
            c.overlap_tp_gold += 1
            if g.negated is not None:
                best = max(hits, key=lambda p: min(p.end, g.end) - max(p.start, g.start))
                if best.negated is not None:
                    c.neg_total += 1
                    c.neg_correct += int(best.negated == g.negated)
        else:
            c.overlap_fn += 1
    return dict(out)


def summarize(counts: Mapping[str, Counts]) -> dict:
    """Per-label and micro-averaged metrics from counts."""
    rows = {}
    total = Counts()
    for label in sorted(counts):
        c = counts[label]
        total.add(c)
        rows[label] = _row(c)
    return {"labels": rows, "micro": _row(total)}


def _row(c: Counts) -> dict:
    sp, sr, sf = prf(c.strict_tp, c.strict_fp, c.strict_tp, c.strict_fn)
    op, orr, of = prf(c.overlap_tp_pred, c.overlap_fp, c.overlap_tp_gold, c.overlap_fn)
    row = {
        "support": c.strict_tp + c.strict_fn,
        "predicted": c.strict_tp + c.strict_fp,
        "strict": {"p": round(sp, 4), "r": round(sr, 4), "f1": round(sf, 4)},
        "overlap": {"p": round(op, 4), "r": round(orr, 4), "f1": round(of, 4)},
    }
    if c.neg_total:
        row["negation_accuracy"] = round(c.neg_correct / c.neg_total, 4)
        row["negation_n"] = c.neg_total
    return row
