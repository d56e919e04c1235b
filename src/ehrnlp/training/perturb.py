"""Layout perturbations with exact offset maps (metamorphic tests, as in CheckList).

Each perturbation rewrites a note's layout without changing its words, and maps every
gold offset into the new text, so a score under the perturbation is comparable to the
clean score (``ehrnlp evaluate --perturb NAME``):

==============  ==========================================================================
spaces3         every space becomes three spaces
tabs            every space becomes a tab
nbsp            every space becomes a no-break space (U+00A0)
crlf            every line end becomes CRLF
upper, lower    ALL CAPS / all lower case (characters whose case form is longer are kept)
rewrap60        paragraphs re-wrapped at 60 columns (spaces become line ends)
bullets         every non-empty line starts with a bullet, cycling ``•``, ``-``, ``*``
sentence-alone  each sentence is its own document (gold spans crossing a cut are ignored)
embed           the note inside a longer note (an unrelated header before, a sign-off after)
units-alone     each of the source's own annotation units (``CorpusDoc.units``: a Glaucoma
                ``annotations.jsonl`` record) is its own document, verbatim; not in ``all``,
                and an error for a corpus without units
==============  ==========================================================================

:func:`apply_edits` is the one mechanism: a list of ``(start, end, replacement)`` edits
of the original, applied left to right, gives the new text and an :class:`OffsetMap`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from ..errors import InputError
from .corpus import CorpusDoc, GoldSpan

__all__ = ["PERTURBATIONS", "UNIT_PERTURBATION", "OffsetMap", "apply_edits", "perturb_text", "perturb_doc", "perturb_docs",
           "sentence_cuts", "EMBED_BEFORE", "EMBED_AFTER"]

Edit = tuple[int, int, str]


@dataclass(frozen=True)
class OffsetMap:
    """Original offsets -> offsets in the rewritten text.

    ``starts[i]``: where the rewrite of original character ``i`` begins (after any text
    inserted before it); ``ends[i]``: where the rewrite of the text before offset ``i``
    ends (before text inserted at ``i``). A span ``(s, e)`` maps to ``(starts[s], ends[e])``.
    """

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], max(self.starts[start], self.ends[end])


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, OffsetMap]:
    """Apply non-overlapping edits ``(start, end, replacement)`` (an insertion has
    ``start == end`` and goes before the character at ``start``); returns the new text
    and the offset map. A span ending inside a replaced stretch takes all of the
    replacement; one starting inside it starts where the replacement starts."""
    out: list[str] = []
    n = len(text)
    starts = [0] * (n + 1)
    ends = [0] * (n + 1)
    pos = 0  # next original character to copy
    length = 0  # length of the output so far
    ins_at = -1  # original offset of the last insertion

    def copy(upto: int) -> None:
        nonlocal length
        for i in range(pos, upto):
            if i != ins_at:
                ends[i] = length
            starts[i] = length
            out.append(text[i])
            length += 1

    for a, b, rep in sorted(edits, key=lambda e: (e[0], e[1])):
        if a < pos or b < a or b > n:
            raise ValueError("edits overlap or lie outside the text")
        copy(a)
        pos = a
        if b == a:
            if a != ins_at:
                ends[a] = length
            out.append(rep)
            length += len(rep)
            starts[a] = length
            ins_at = a
            continue
        if a != ins_at:
            ends[a] = length
        for i in range(a, b):
            starts[i] = length
            if i > a:
                ends[i] = length + len(rep)
        out.append(rep)
        length += len(rep)
        pos = b
    copy(n)
    if ins_at != n:
        ends[n] = length
    starts[n] = length
    return "".join(out), OffsetMap(tuple(starts), tuple(ends))


def _char_edits(text: str, pattern: str, rep: str | Callable[[str], str]) -> list[Edit]:
    return [(m.start(), m.end(), rep if isinstance(rep, str) else rep(m.group())) for m in re.finditer(pattern, text)]


def _case(text: str, fn: Callable[[str], str]) -> list[Edit]:
    out = []
    for i, ch in enumerate(text):
        c = fn(ch)
        if c != ch and len(c) == 1:
            out.append((i, i + 1, c))
    return out


def _rewrap(text: str, width: int = 60) -> list[Edit]:
    """Spaces that become line ends when each line is filled up to ``width`` columns."""
    edits: list[Edit] = []
    line_start = 0
    last_space = -1
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            line_start = i + 1
            last_space = -1
        elif ch == " ":
            last_space = i
        if i - line_start >= width and last_space > line_start:
            edits.append((last_space, last_space + 1, "\n"))
            line_start = last_space + 1
            last_space = -1
        i += 1
    return edits


_BULLETS = ("\u2022 ", "- ", "* ")


def _bullets(text: str) -> list[Edit]:
    edits: list[Edit] = []
    k = 0
    for m in re.finditer(r"(?m)^(?=\S)", text):
        edits.append((m.start(), m.start(), _BULLETS[k % len(_BULLETS)]))
        k += 1
    return edits


#: the unrelated text around a note for ``embed`` (no clinical mention in it)
EMBED_BEFORE = ("ADMINISTRATIVE RECORD\nDocument type: clinic correspondence. Scanned copy on file.\n"
                "Please see the attached note below.\n\n")
EMBED_AFTER = "\n\nElectronically signed. A copy was sent to the referring clinic.\nEnd of record.\n"

_TRANSFORMS: dict[str, Callable[[str], list[Edit]]] = {
    "spaces3": lambda t: _char_edits(t, " ", "   "),
    "tabs": lambda t: _char_edits(t, " ", "\t"),
    "nbsp": lambda t: _char_edits(t, " ", "\u00a0"),
    "crlf": lambda t: _char_edits(t, "\n", "\r\n"),
    "upper": lambda t: _case(t, str.upper),
    "lower": lambda t: _case(t, str.lower),
    "rewrap60": _rewrap,
    "bullets": _bullets,
    "embed": lambda t: [(0, 0, EMBED_BEFORE), (len(t), len(t), EMBED_AFTER)],
}

#: every perturbation name, in report order
PERTURBATIONS = (*_TRANSFORMS, "sentence-alone")
#: scores the source's own annotation units; only for documents that carry them, so not in ``all``
UNIT_PERTURBATION = "units-alone"


def perturb_text(text: str, name: str) -> tuple[str, OffsetMap]:
    """``text`` under perturbation ``name`` (not ``sentence-alone``) and its offset map."""
    fn = _TRANSFORMS.get(name)
    if fn is None:
        raise InputError(f"unknown perturbation '{name}' (known: {', '.join(PERTURBATIONS)})")
    return apply_edits(text, fn(text))


_CUT = re.compile(r"\n+|(?<=[.!?])[ \t]+(?=[\"'(\[]?[A-Z0-9])")
#: a period that ends a personal title, not a sentence ("Dr. Smith", "MRS. JONES"); one-letter
#: initials are left alone: "Hepatitis B. Next" ends a sentence as often as "J. Smith" does not
_NOT_AN_END = re.compile(r"\b(?i:Dr|Drs|Mr|Mrs|Ms|Mx|Messrs|Prof|Rev)\.$")


def sentence_cuts(text: str) -> list[tuple[int, int]]:
    """Sentences of ``text`` for ``sentence-alone``: line ends, and ``.``/``!``/``?`` followed
    by a space and a capital or digit, except the period of a personal title ("Dr. Smith": no
    sentence ends there). Surrounding spaces are left out;
    empty pieces dropped. (Independent of the pipeline's own sentence rules, so the harness does
    not grade them against themselves.)"""
    out = []
    pos = 0
    for m in _CUT.finditer(text):
        if m.group().startswith((" ", "\t")) and _NOT_AN_END.search(text, max(0, m.start() - 8), m.start()):
            continue
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return trimmed(text, out)


def trimmed(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each ``(start, end)`` without its surrounding whitespace; pieces left empty are dropped."""
    res = []
    for a, b in pieces:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            res.append((a, b))
    return res


def _map_doc(doc: CorpusDoc, text: str, m: OffsetMap, suffix: str) -> CorpusDoc:
    spans = [replace(s, start=a, end=b) for s in doc.spans for a, b in [m.span(s.start, s.end)]]
    ignore = [m.span(a, b) for a, b in doc.ignore]
    units = [m.span(a, b) for a, b in doc.units]
    return replace(doc, id=doc.id + suffix, text=text, spans=spans, ignore=ignore, units=units)


def _pieces(doc: CorpusDoc, cuts: Sequence[tuple[int, int]], tag: str) -> list[CorpusDoc]:
    """One document per piece ``(a, b)`` of ``doc.text``; a gold span crossing a piece's edge
    becomes an ignore range of each piece it touches."""
    out = []
    for k, (a, b) in enumerate(cuts):
        spans: list[GoldSpan] = []
        ignore: list[tuple[int, int]] = []
        for s in doc.spans:
            if a <= s.start and s.end <= b:
                spans.append(replace(s, start=s.start - a, end=s.end - a))
            elif s.start < b and a < s.end:  # crosses the cut: not scored
                ignore.append((max(s.start, a) - a, min(s.end, b) - a))
        for x, y in doc.ignore:
            if x < b and a < y:
                ignore.append((max(x, a) - a, min(y, b) - a))
        out.append(replace(doc, id=f"{doc.id}#{tag}{k}", text=doc.text[a:b], spans=spans, ignore=ignore, units=[]))
    return out


def _sentences(doc: CorpusDoc) -> list[CorpusDoc]:
    return _pieces(doc, sentence_cuts(doc.text), "s")


def _units(doc: CorpusDoc) -> list[CorpusDoc]:
    """Each annotation unit of ``doc`` alone, its text verbatim (units of only whitespace dropped)."""
    if not doc.units:
        raise InputError(f"units-alone needs the source's annotation units; documents of '{doc.source}' "
                         "carry none (it applies to --corpus glaucoma)")
    return _pieces(doc, [(a, b) for a, b in doc.units if doc.text[a:b].strip()], "u")


def perturb_doc(doc: CorpusDoc, name: str) -> list[CorpusDoc]:
    """``doc`` under perturbation ``name``, gold spans and ignore spans mapped (a list:
    ``sentence-alone`` makes one document per sentence, ``units-alone`` one per annotation unit)."""
    if name == "sentence-alone":
        return _sentences(doc)
    if name == UNIT_PERTURBATION:
        return _units(doc)
    text, m = perturb_text(doc.text, name)
    return [_map_doc(doc, text, m, f"~{name}")]


def perturb_docs(docs: Sequence[CorpusDoc], name: str) -> list[CorpusDoc]:
    return [p for d in docs for p in perturb_doc(d, name)]
