"""Offset-preserving layout normalisation shared by every rule-based stage.

EHR exports carry the same words under many layouts: runs of spaces, tabs, no-break
spaces, CRLF line ends, lines re-wrapped at a fixed width, flattened Epic text whose
fields are only separated by runs of spaces. The rule stages (ConText assertion,
sentences, sections, allergy contexts, relations) read :class:`LayoutView` instead of
the raw text: a *canonical* copy of the text plus an offset map back to the original.

The canonical text:

* every horizontal whitespace character (space, tab, no-break and other Unicode spaces,
  ``\\v``, ``\\f``) is a space; ``\\r\\n`` and a lone ``\\r`` are one ``\\n``;
* a run of horizontal whitespace between two words is **one space** (an ordinary word
  gap) or **two spaces** (a field break, the separator of flattened Epic text). A run is
  a field break when it is wider than the note's own word gap (the most common run
  width between words, so tripling every space changes nothing) and the word after it
  does not start with a lower-case letter ("No   weight loss." stays one sentence,
  "Smoker      No past medical history" is two fields); a run holding a tab is wide
  unless tabs are the note's word gap;
* spaces next to a newline are dropped (indentation, trailing blanks); a newline that
  only wraps a line (a line of 40 characters or more ending in a word or comma, a
  lower-case word after it) is a space.

Offsets: :meth:`LayoutView.to_view` maps an original offset into the canonical text,
:meth:`LayoutView.span_to_orig` maps a canonical span back. Words keep their characters
(case included), so a span over words maps back exactly.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["LayoutView", "layout_view", "is_caseless", "HSPACE"]

#: horizontal whitespace: space, tab, VT, FF, no-break and the Unicode space separators
HSPACE = "[ \t\x0b\x0c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_RUN = re.compile(HSPACE + "+|\r\n|\r|\n")


@dataclass(frozen=True, eq=False)
class LayoutView:
    """The canonical text of ``orig`` and its offset map (see the module description)."""

    orig: str
    text: str
    #: for every canonical character, the original offset it comes from (8 bytes a character)
    origin: array[int]

    @property
    def identity(self) -> bool:
        """True when the canonical text is the original (nothing to map)."""
        return self.text is self.orig

    def to_view(self, pos: int) -> int:
        """The canonical offset of original offset ``pos`` (the first canonical character
        coming from ``pos`` or later)."""
        if self.identity:
            return pos
        return bisect_left(self.origin, pos)

    def to_orig(self, pos: int) -> int:
        """The original offset of canonical offset ``pos`` (``len(text)`` maps to the end)."""
        if self.identity:
            return pos
        return self.origin[pos] if pos < len(self.origin) else len(self.orig)

    def span_to_view(self, start: int, end: int) -> tuple[int, int]:
        if self.identity:
            return start, end
        s = self.to_view(start)
        e = max(s, self.to_view(end))
        return s, e

    def span_to_orig(self, start: int, end: int) -> tuple[int, int]:
        """A canonical span back in the original: its end is one past the original
        offset of its last character."""
        if self.identity:
            return start, end
        s = self.to_orig(start)
        e = self.origin[end - 1] + 1 if 0 < end <= len(self.origin) and end > start else self.to_orig(end)
        return s, max(s, e)


@lru_cache(maxsize=16)
def is_caseless(text: str) -> bool:
    """True when ``text`` has no upper-case or no lower-case letters (ALL CAPS, all lower);
    cached, as the stages ask it of the same note many times."""
    has_upper = has_lower = False
    for ch in text:
        if ch.isupper():
            has_upper = True
        elif ch.islower():
            has_lower = True
        if has_upper and has_lower:
            return False
    return True


def _word_gap(text: str) -> tuple[int, bool]:
    """The note's ordinary word gap: (width, whether it is made of tabs)."""
    widths: Counter[tuple[int, bool]] = Counter()
    for m in re.finditer(HSPACE + "+", text):
        a, b = m.start(), m.end()
        if a == 0 or b == len(text) or text[a - 1] in "\r\n" or text[b] in "\r\n":
            continue
        widths[(b - a, "\t" in m.group())] += 1
    if not widths:
        return 1, False
    (width, tabs), _ = max(widths.items(), key=lambda kv: (kv[1], -kv[0][0]))
    return width, tabs


@lru_cache(maxsize=16)
def layout_view(text: str) -> LayoutView:
    """The :class:`LayoutView` of ``text`` (cached: the stages of one note share it)."""
    if not isinstance(text, str):  # pragma: no cover - callers check their input
        raise TypeError("layout_view needs str")
    if not _needs_view(text):
        return LayoutView(text, text, array("q"))
    gap, gap_tabs = _word_gap(text)
    caseless = is_caseless(text)
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    n = len(text)
    for m in _RUN.finditer(text):
        a, b = m.start(), m.end()
        for i in range(pos, a):
            out.append(text[i])
            origin.append(i)
        pos = b
        tok = m.group()
        if tok[0] in "\r\n":
            # spaces before a newline are dropped; consecutive newlines are kept
            while out and out[-1] == " ":
                out.pop()
                origin.pop()
            if _soft_wrap(text, a, b):
                out.append(" ")
            else:
                out.append("\n")
            origin.append(a)
            continue
        if a == 0 or b == n or (out and out[-1] == "\n") or text[b] in "\r\n":
            # leading, trailing or next to a newline: indentation and trailing blanks go,
            # except at the very start/end where one space keeps the words apart
            if a == 0 or b == n:
                out.append(" ")
                origin.append(a)
            continue
        wide = (b - a) > gap or ("\t" in tok and not gap_tabs)
        if wide and not _continues(text, a, b, caseless):
            out.append(" ")
            origin.append(a)
            out.append(" ")
            origin.append(a + 1 if b - a > 1 else a)
        else:
            out.append(" ")
            origin.append(a)
    for i in range(pos, n):
        out.append(text[i])
        origin.append(i)
    canon = "".join(out)
    return LayoutView(text, canon, array("q", origin))


#: words a field does not end with: after one of them, a wide run in text without case
#: ("denies any   fevers", "no   weight loss" in all lower case) is a word gap
_CONTINUING = frozenset({
    "no", "not", "any", "denies", "denied", "deny", "without", "of", "for", "to", "the", "a", "an", "and", "or",
    "nor", "with", "in", "on", "at", "by", "from", "is", "was", "are", "were", "has", "had", "have",
})
_LAST_WORD = re.compile(r"(\w+)\W*$")
#: a field label after the run ("VISION: ...", "pain level: ..."): the run is a field break
_FIELD_LABEL = re.compile(r"\w+(?:[ \t\u00a0]+\w+){0,2}[ \t]*:")


def _continues(text: str, a: int, b: int, caseless: bool) -> bool:
    """Whether the wide run ``text[a:b]`` continues a sentence rather than ending a field:
    the next word starts lower case; in text without case, the word before the run is one
    a field does not end with (:data:`_CONTINUING`)."""
    if not text[b].isalpha():
        return False
    if not caseless:
        return text[b].islower()
    m = _LAST_WORD.search(text, max(0, a - 20), a)
    return m is not None and m.group(1).lower() in _CONTINUING and not _FIELD_LABEL.match(text, b)


_PLAIN = re.compile(r"[^\t\x0b\x0c\r\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*")
_SUSPECT = re.compile(r"[ \t]{2,}| \n|\n | $|^ ")


def _needs_view(text: str) -> bool:
    """False when canonicalising would change nothing (single spaces, no odd characters,
    no runs, no soft wraps): most notes, where the view is the text itself."""
    if not _PLAIN.fullmatch(text):
        return True
    if _SUSPECT.search(text):
        return True
    return "\n" in text and any(_soft_wrap(text, m.start(), m.end()) for m in re.finditer("\n", text))


#: what a wrapped line may end with: a word, a comma, a dash or arrow of a "drug - reaction"
#: entry, a slash, a masked character (``*``)
_WRAP_BEFORE = re.compile(r"[\w,\-\u2013>/*]")
#: a line this long or longer may have been wrapped (short list lines are never joined)
WRAP_MIN = 40
#: upper-case words that never start a line of their own: an eye's laterality before its
#: finding ("Xalatan\nOD increased intraocular pressure"); a masked date or number, not a
#: bullet ("Started Latanoprost **\n*/**/**** - had palpitations")
_WRAP_AFTER = re.compile(r"(?:OD|OS|OU)(?=[ \t]+[a-z])|\*+(?!\*)[/\d]|\((?=[a-z])")


#: words a line never ends with unless the sentence goes on: a preposition, article,
#: conjunction or auxiliary ("sometimes exacerbated by\nLumigan", "with prior\nLisinopril")
_WRAP_LAST_WORD = re.compile(
    r"(?<![\w'])(?:by|with|of|to|for|from|on|in|at|as|than|and|or|nor|the|a|an|was|were|is|are|has|had|have|"
    r"been|be|prior|previous|per|via|due|after|before|without|into|onto|about|since|because|but|while|whether)$",
    re.IGNORECASE,
)


def _soft_wrap(text: str, a: int, b: int) -> bool:
    """A single line end at ``text[a:b]`` that only wraps a sentence: a word or comma
    before it and a lower-case word after it (after any indentation), a word that never
    starts a line (:data:`_WRAP_AFTER`), or any word after one that never ends a line
    (:data:`_WRAP_LAST_WORD`)."""
    i = a - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    j = b
    while j < len(text) and text[j] in " \t\u00a0":
        j += 1
    if i < 0 or j >= len(text):
        return False
    line_start = max(text.rfind("\n", 0, a), text.rfind("\r", 0, a)) + 1
    return (i + 1 - line_start >= WRAP_MIN and bool(_WRAP_BEFORE.match(text[i]))
            and (text[j].islower() or bool(_WRAP_AFTER.match(text, j))
                 or (text[j].isalpha() and bool(_WRAP_LAST_WORD.search(text, max(line_start, i - 10), i + 1)))))
