"""Mixed-granularity and layout-noise training documents (for a later training run).

The shipped model was trained on whole notes only; applications call ``nlp()`` on single
lines, EHR list fields and sentences, where it loses drugs it finds in a note ("Timolol BID
OU" alone reads as a name). :func:`mixed_granularity` adds, per training note, pieces of
other sizes with their gold spans mapped:

* ``line``: one non-empty line;
* ``sentence``: one sentence (:func:`ehrnlp.training.perturb.sentence_cuts`);
* ``fragment``: a few consecutive words of a sentence, cut between gold spans;
* ``crop``: a random character window of the note, its edges moved to word boundaries;

and :func:`layout_noise` rewrites a share of documents under a random layout perturbation
(:data:`NOISE`: runs of spaces, tabs, no-break spaces, CRLF, case, re-wrapping, bullets).
A gold span cut by a piece's edge becomes an ``ignore`` span (never a wrong ``O``).

Enabled from the train config (``[data] granularity = 0.5``, ``layout_noise = 0.3``); both
default to 0, which keeps earlier runs reproducible.

A piece cut out of its note loses the section that gave its words their label: "Latanoprost -
itching" is an ALLERGEN under "Allergies:" and a MEDICATION in a medication list, and three
training runs with bare pieces lost 3-5 points on the allergy set (the model card's "Third
try"). With ``heading_share > 0`` a piece that does not hold its section's header gets the
header prepended (``"Allergies:\n" + piece``): always when the piece lies in an allergies
section or holds an ALLERGEN/REACTION span, with probability ``heading_share`` otherwise, so
bare lines and sentences are still taught where their label does not depend on the section.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from ..sections import _headers
from .corpus import CorpusDoc, GoldSpan
from .perturb import perturb_doc, sentence_cuts, trimmed

__all__ = ["GRANULARITIES", "NOISE", "piece", "with_heading", "mixed_granularity", "layout_noise"]

GRANULARITIES = ("line", "sentence", "fragment", "crop")
#: perturbations used as training noise (not ``embed``/``sentence-alone``: those change
#: the document, not its layout)
NOISE = ("spaces3", "tabs", "nbsp", "crlf", "upper", "lower", "rewrap60", "bullets")


def piece(doc: CorpusDoc, a: int, b: int, suffix: str) -> CorpusDoc:
    """``doc.text[a:b]`` as a document: spans inside kept (shifted), spans cut by an edge
    and ignore spans overlapping it become ignore spans."""
    spans: list[GoldSpan] = []
    ignore: list[tuple[int, int]] = []
    for s in doc.spans:
        if a <= s.start and s.end <= b:
            spans.append(replace(s, start=s.start - a, end=s.end - a))
        elif s.start < b and a < s.end:
            ignore.append((max(s.start, a) - a, min(s.end, b) - a))
    for x, y in doc.ignore:
        if x < b and a < y:
            ignore.append((max(x, a) - a, min(y, b) - a))
    return replace(doc, id=f"{doc.id}#{suffix}", text=doc.text[a:b], spans=spans, ignore=ignore)


#: labels whose meaning depends on the allergy section around them
CONTEXT_LABELS = frozenset({"ALLERGEN", "REACTION"})


@lru_cache(maxsize=32)
def _note_headers(text: str) -> tuple[tuple[int, int, str, bool], ...]:
    """A note's section headers, found once for all the pieces cut from it."""
    return tuple(_headers(text))


def _heading(text: str, a: int) -> tuple[int, int, str] | None:
    """The header (start, end, section name) of the section holding position ``a``."""
    last = None
    for start, hend, name, statement in _note_headers(text):
        if start > a:
            break
        if not statement:
            last = (start, hend, name)
    return last


def with_heading(doc: CorpusDoc, a: int, b: int, suffix: str, rng: random.Random,
                 share: float) -> CorpusDoc:
    """:func:`piece` of ``[a, b)``, its section header prepended on its own line when the
    header lies before the piece: always for an allergies section or a piece holding an
    allergy label, with probability ``share`` otherwise (0 = never)."""
    bare = piece(doc, a, b, suffix)
    if share <= 0:
        return bare
    h = _heading(doc.text, a)
    if h is None or h[1] > a:  # no header, or the piece starts inside/at it
        return bare
    hs, he, name = h
    needs = name == "allergies" or any(s.label in CONTEXT_LABELS for s in bare.spans)
    if not needs and rng.random() >= share:
        return bare
    head = piece(doc, hs, he, "h")
    shift = he - hs + 1
    spans = head.spans + [replace(s, start=s.start + shift, end=s.end + shift) for s in bare.spans]
    ignore = head.ignore + [(x + shift, y + shift) for x, y in bare.ignore]
    return replace(bare, id=f"{doc.id}#{suffix}h", text=head.text + "\n" + bare.text, spans=spans,
                   ignore=ignore)


_WORD = re.compile(r"\S+")


def _lines(text: str) -> list[tuple[int, int]]:
    return trimmed(text, [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)])


def _fragment(doc: CorpusDoc, a: int, b: int, rng: random.Random) -> tuple[int, int] | None:
    words = [(m.start(), m.end()) for m in _WORD.finditer(doc.text, a, b)]
    if len(words) < 2:
        return None
    # cut points between words that no gold span crosses
    ok = [i for i in range(len(words) + 1)
          if i in (0, len(words))
          or not any(s.start < words[i][0] and words[i - 1][1] < s.end for s in doc.spans)]
    if len(ok) < 2:
        return None
    i, j = sorted(rng.sample(ok, 2))
    if j - i > 6:  # a fragment is a few words
        j = min((k for k in ok if k > i), key=lambda k: abs(k - i - rng.randint(1, 6)))
    return words[i][0], words[j - 1][1]


def _crop(doc: CorpusDoc, rng: random.Random, min_len: int = 40, max_len: int = 400) -> tuple[int, int] | None:
    n = len(doc.text)
    if n < min_len:
        return None
    size = rng.randint(min_len, min(max_len, n))
    a = rng.randint(0, n - size)
    b = a + size
    while a > 0 and not doc.text[a - 1].isspace():  # word boundaries
        a -= 1
    while b < n and not doc.text[b].isspace():
        b += 1
    return a, b


def mixed_granularity(docs: Sequence[CorpusDoc], rng: random.Random, share: float,
                      kinds: Sequence[str] = GRANULARITIES, heading_share: float = 0.0) -> list[CorpusDoc]:
    """About ``share`` x len(docs) extra pieces per kind, drawn from ``docs`` (pieces
    without a gold span are kept too: a line with nothing on it teaches ``O``); with
    ``heading_share`` > 0, pieces keep their section header as :func:`with_heading` says."""
    out: list[CorpusDoc] = []
    if share <= 0 or not docs:
        return out
    for kind in kinds:
        if kind not in GRANULARITIES:
            raise ValueError(f"unknown granularity '{kind}' (known: {', '.join(GRANULARITIES)})")
        for k in range(round(share * len(docs))):
            d = docs[rng.randrange(len(docs))]
            span: tuple[int, int] | None
            if kind == "line":
                lines = _lines(d.text)
                span = rng.choice(lines) if lines else None
            elif kind == "sentence":
                cuts = sentence_cuts(d.text)
                span = rng.choice(cuts) if cuts else None
            elif kind == "fragment":
                cuts = sentence_cuts(d.text)
                span = _fragment(d, *rng.choice(cuts), rng) if cuts else None
            else:
                span = _crop(d, rng)
            if span is not None and span[1] > span[0]:
                out.append(with_heading(d, span[0], span[1], f"{kind}{k}", rng, heading_share)
                           if heading_share > 0 else piece(d, span[0], span[1], f"{kind}{k}"))
    return out


def layout_noise(docs: Sequence[CorpusDoc], rng: random.Random, share: float,
                 names: Sequence[str] = NOISE) -> list[CorpusDoc]:
    """``docs`` with about ``share`` of them rewritten under a random perturbation of
    ``names`` (gold offsets mapped exactly); the others unchanged."""
    out = []
    for d in docs:
        if share > 0 and rng.random() < share:
            out.extend(perturb_doc(d, rng.choice(list(names))))
        else:
            out.append(d)
    return out
