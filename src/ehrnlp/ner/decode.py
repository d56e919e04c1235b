"""Pure inference logic: windows over long token sequences, seam merging, word-level
aggregation and BIO decoding into character spans. No model, no torch: numpy arrays in,
spans out, so every rule is unit-tested on hand-made scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = [
    "make_windows",
    "merge_windows",
    "group_words",
    "decode_words",
    "DecodedSpan",
    "softmax",
]


@dataclass(frozen=True)
class DecodedSpan:
    label: str
    start: int  # character offsets
    end: int
    confidence: float


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = x - x.max(axis=axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


def make_windows(n_tokens: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of at most ``size`` tokens covering ``n_tokens``.

    Consecutive windows overlap by ``size - stride`` tokens (``0 < stride <= size``); the
    last window is aligned to the end so it is full length when the text is long enough.
    """
    if size <= 0 or not (0 < stride <= size):
        raise ValueError(f"need 0 < stride <= size, got size={size} stride={stride}")
    if n_tokens <= size:
        return [(0, n_tokens)] if n_tokens > 0 else []
    out = []
    start = 0
    while True:
        end = start + size
        if end >= n_tokens:
            out.append((max(0, n_tokens - size), n_tokens))
            break
        out.append((start, end))
        start += stride
    # drop a duplicate final window
    dedup = []
    for w in out:
        if not dedup or dedup[-1] != w:
            dedup.append(w)
    return dedup


def merge_windows(n_tokens: int, windows: Sequence[tuple[int, int]], scores: Sequence[np.ndarray]) -> np.ndarray:
    """Combine per-window token scores ``(len_w, n_labels)`` into ``(n_tokens, n_labels)``.

    Each token takes its scores from the window where it sits farthest from a window edge
    (most context on both sides); the text's own start and end do not count as edges.
    Ties go to the earlier window. This keeps predictions near seams from being made
    with half a sentence of context.
    """
    if not windows:
        return np.zeros((0, 0), dtype=np.float32)
    n_labels = scores[0].shape[-1]
    out = np.zeros((n_tokens, n_labels), dtype=np.float32)
    best = np.full(n_tokens, -1, dtype=np.int64)
    for (ws, we), sc in zip(windows, scores):
        if sc.shape[0] != we - ws:
            raise ValueError(f"window {ws}-{we} has {sc.shape[0]} score rows, expected {we - ws}")
        idx = np.arange(ws, we)
        left = np.where(ws == 0, n_tokens, idx - ws)
        right = np.where(we == n_tokens, n_tokens, we - 1 - idx)
        ctx = np.minimum(left, right)
        take = ctx > best[ws:we]
        out[ws:we][take] = sc[take]
        best[ws:we][take] = ctx[take]
    if (best < 0).any():
        raise ValueError("windows do not cover every token")
    return out


def group_words(offsets: Sequence[tuple[int, int]], text: str) -> list[list[int]]:
    """Group sub-word tokens into words: a token continues the previous word when it starts
    exactly where the previous one ended and both are alphanumeric on that seam
    (``"latano" + "##prost"``). Punctuation is its own word."""
    words: list[list[int]] = []
    prev_end = -1
    for i, (s, e) in enumerate(offsets):
        if e <= s:
            continue
        if (
            words
            and s == prev_end
            and text[s - 1 : s].isalnum()
            and text[s : s + 1].isalnum()
        ):
            words[-1].append(i)
        else:
            words.append([i])
        prev_end = e
    return words


def decode_words(
    probs: np.ndarray,
    words: Sequence[Sequence[int]],
    offsets: Sequence[tuple[int, int]],
    labels: Sequence[str],
    *,
    min_confidence: float = 0.0,
) -> list[DecodedSpan]:
    """BIO-decode word-level tags into character spans.

    A word's distribution is its first sub-token's. Tags are decided by merging B/I mass per
    entity type: the word is an entity of type X when ``P(B-X)+P(I-X)`` beats ``P(O)`` and
    every other type; it starts a new span when ``P(B-X) > P(I-X)`` or the previous word is
    not X. Confidence is the mean over the span's words of the chosen type's probability.
    """
    types = sorted({lab[2:] for lab in labels if lab != "O"})
    o_idx = labels.index("O")
    b_idx = {t: labels.index(f"B-{t}") for t in types}
    i_idx = {t: labels.index(f"I-{t}") for t in types}
    spans: list[DecodedSpan] = []
    cur: tuple[str, int, int, list[float]] | None = None
    for w in words:
        p = probs[w[0]]
        type_mass = {t: float(p[b_idx[t]] + p[i_idx[t]]) for t in types}
        best_t = max(types, key=lambda t: type_mass[t])
        s, e = offsets[w[0]][0], offsets[w[-1]][1]
        if type_mass[best_t] <= float(p[o_idx]):
            if cur:
                spans.append(_close(cur))
                cur = None
            continue
        begin = float(p[b_idx[best_t]]) > float(p[i_idx[best_t]])
        if cur and cur[0] == best_t and not begin:
            cur = (cur[0], cur[1], e, cur[3] + [type_mass[best_t]])
        else:
            if cur:
                spans.append(_close(cur))
            cur = (best_t, s, e, [type_mass[best_t]])
    if cur:
        spans.append(_close(cur))
    return [sp for sp in spans if sp.confidence >= min_confidence]


def _close(cur: tuple[str, int, int, list[float]]) -> DecodedSpan:
    label, s, e, confs = cur
    return DecodedSpan(label, s, e, float(sum(confs) / len(confs)))
