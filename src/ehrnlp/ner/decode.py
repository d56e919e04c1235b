"""Pure inference logic: windows over long token sequences, seam merging, word-level
aggregation and BIO decoding into character spans. No model, no torch: numpy arrays in,
spans out, so every rule is unit-tested on hand-made scores.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from ..model import Span
from ..textnorm import is_caseless

__all__ = [
    "make_windows",
    "plan_windows",
    "shifted_windows",
    "merge_windows",
    "group_words",
    "decode_words",
    "DecodedSpan",
    "softmax",
]


#: a decoded span (label, character offsets, confidence): the data model's :class:`Span`,
#: so model output can go into ``doc.spans`` as it is
DecodedSpan = Span


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
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        end = start + size
        if end >= n_tokens:
            out.append((max(0, n_tokens - size), n_tokens))
            break
        out.append((start, end))
        start += stride
    # drop a duplicate final window
    dedup: list[tuple[int, int]] = []
    for w in out:
        if not dedup or dedup[-1] != w:
            dedup.append(w)
    return dedup


def plan_windows(n_tokens: int, size: int, min_overlap: int) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` covering ``n_tokens``: the fewest full windows of ``size``
    tokens whose neighbours share at least ``min_overlap`` tokens, spread evenly (so the
    overlaps are as large as that number of windows allows); a text of at most ``size``
    tokens is one window.

    Unlike :func:`make_windows` (a fixed stride, the last window aligned to the end), the
    cost is about ``n_tokens * size / (size - min_overlap)`` positions whatever the length.
    With :func:`merge_windows` every token is scored where it has at least ``min_overlap //
    2`` tokens of context on each side (the text's own ends aside). Windows are full length
    because the model was trained on full windows: shorter ones cost accuracy on long notes
    (docs/benchmarks.md, issue 20). The plan depends on ``n_tokens`` alone, so a note's
    scores never depend on the other notes of a batch.
    """
    if size <= 0 or not (0 <= min_overlap < size):
        raise ValueError(f"need 0 <= min_overlap < size, got size={size} min_overlap={min_overlap}")
    if n_tokens <= size:
        return [(0, n_tokens)] if n_tokens > 0 else []
    k = -(-(n_tokens - min_overlap) // (size - min_overlap))  # the fewest windows that keep the overlap
    return [((i * (n_tokens - size)) // (k - 1), (i * (n_tokens - size)) // (k - 1) + size) for i in range(k)]


def shifted_windows(plan: Callable[[int], list[tuple[int, int]]], n_tokens: int, shift: int) -> list[tuple[int, int]]:
    """``plan``'s windows for a text of ``n_tokens`` with every seam moved ``shift`` tokens
    left: the windows are planned for ``shift`` more tokens and the first is cut at the
    text's start (one framing of the text; ``shift`` 0 is ``plan(n_tokens)`` itself)."""
    if not shift:
        return plan(n_tokens)
    return [(max(0, a - shift), b - shift) for a, b in plan(n_tokens + shift)]


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
    text: str | None = None,
    merge_type_switch: bool = True,
    join_hyphens: bool = True,
) -> list[DecodedSpan]:
    """BIO-decode word-level tags into character spans.

    A word's distribution is its first sub-token's. Tags are decided by merging B/I mass per
    entity type: the word is an entity of type X when ``P(B-X)+P(I-X)`` beats ``P(O)`` and
    every other type; it starts a new span when ``P(B-X) > P(I-X)`` or the previous word is
    not X. Confidence is the mean over the span's words of the chosen type's probability.

    With ``text``, a word that opens a new line item (:func:`starts_line_item`) always starts
    a new span: "Penicillin - hives / Sulfa drugs - rash" never yields "hives Sulfa drugs".

    With ``merge_type_switch``, a word whose best type differs from the open span's but
    whose inside tag beats its begin tag continues that span, and the span takes the type
    with the most mass summed over its words ("Chest" B-PROBLEM 0.62 + "pain" I-SYMPTOM
    0.86 is one SYMPTOM "Chest pain", not two half-mentions).

    With ``join_hyphens`` (and ``text``), two spans of one type joined by a bare hyphen are one
    span ("Community" + "-" + "acquired pneumonia" is one PROBLEM; the word-piece tokenizer
    makes the hyphen a word of its own, which the model may leave outside).
    """
    types = sorted({lab[2:] for lab in labels if lab != "O"})
    o_idx = labels.index("O")
    b_idx = {t: labels.index(f"B-{t}") for t in types}
    i_idx = {t: labels.index(f"I-{t}") for t in types}
    spans: list[DecodedSpan] = []
    # current span: (type of its first word, start, end, per-word type masses)
    cur: tuple[str, int, int, list[dict[str, float]]] | None = None
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
        if cur and text is not None and starts_line_item(text, cur[2], s):
            begin = True
        if cur and not begin and (cur[0] == best_t or merge_type_switch):
            # an inside word continues the span even when its type differs ("Chest" read
            # PROBLEM, "pain" inside-SYMPTOM): the span's type is then voted by mass (_close)
            cur = (cur[0], cur[1], e, cur[3] + [type_mass])
        else:
            if cur:
                spans.append(_close(cur))
            cur = (best_t, s, e, [type_mass])
    if cur:
        spans.append(_close(cur))
    if join_hyphens and text is not None:
        spans = _join_hyphenated(spans, text)
    return [sp for sp in spans if sp.confidence >= min_confidence]


def _join_hyphenated(spans: list[DecodedSpan], text: str) -> list[DecodedSpan]:
    out: list[DecodedSpan] = []
    for sp in spans:
        prev = out[-1] if out else None
        if prev is not None and prev.label == sp.label and text[prev.end:sp.start] in ("-", ""):
            n1, n2 = prev.end - prev.start, sp.end - sp.start
            conf = (prev.confidence * n1 + sp.confidence * n2) / (n1 + n2)
            out[-1] = DecodedSpan(sp.label, prev.start, sp.end, conf)
        else:
            out.append(sp)
    return out


def _close(cur: tuple[str, int, int, list[dict[str, float]]]) -> DecodedSpan:
    """The span's type: its first word's, or with mixed words the most mass summed over them;
    confidence: the mean over its words of that type's mass."""
    label, s, e, masses = cur
    if len(masses) > 1:
        total = {t: sum(m[t] for m in masses) for t in masses[0]}
        label = max(total, key=lambda t: (total[t], t == cur[0]))
    return DecodedSpan(label, s, e, float(sum(m[label] for m in masses) / len(masses)))


# any horizontal space (tabs, no-break spaces) and a CR before the line end: CRLF text too
_LINE_ITEM = re.compile(r"[^\S\n]*\n\s*(?:[-*•·>]|\d+[.)])?\s*[A-Z0-9]")


_LINE_ITEM_CASELESS = re.compile(r"[^\S\n]*\n\s*(?:[-*•·>]|\d+[.)])?\s*\w")
# the line before ends as a phrase that goes on ("nuts and", "pain,")
_GOES_ON = re.compile(r"(?:,|\b(?:and|or|of|with|to|the|a|an|in|on|for))\W*$", re.IGNORECASE)


def starts_line_item(text: str, prev_end: int, start: int) -> bool:
    """Whether the word at ``start`` opens a new line (after a line break, maybe a bullet or
    item number) with a capital or a digit: the start of a list item, not a wrapped phrase
    ("nuts and\nshellfish" continues, "hives\nSulfa drugs" does not). In text without case
    (all lower, ALL CAPS) any word opens an item unless the line before ends in a word
    that goes on ("and", "or", "of", a comma)."""
    if _LINE_ITEM.fullmatch(text, prev_end, start + 1) is not None:
        return True
    if not is_caseless(text) or _LINE_ITEM_CASELESS.fullmatch(text, prev_end, start + 1) is None:
        return False
    return _GOES_ON.search(text, max(0, prev_end - 12), prev_end) is None

