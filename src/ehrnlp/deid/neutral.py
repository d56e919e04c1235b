"""A layout-neutral reading of a whole note, for the de-identifier's rules (issues 16 and 18).

Most of the de-identifier's rules were written against ordinary typing: one blank between
words, an ordinary space character, a line's text starting at the line start, mixed case.
Ordinary layouts break that without changing a word (the layout harness,
``ehrnlp evaluate --task phi GOLD --perturb all``, measures each):

* **other space characters**: no-break spaces (U+00A0, U+202F), en / em / thin spaces and
  the ideographic space, as word processors and web forms export them;
* **capitals**: a note written all in capitals, whose cues ("CALL ME ON", "LIVES ON") the
  rules know in lower case, as they know a note written all in lower case;
* **inflated spacing**: a note whose words are separated by runs of blanks or by tabs more
  often than by one blank (an export that pads every gap), where a run is the word
  separator, not a column gap;
* **bullets**: lines that open with a bullet (``•``, ``-``, ``*`` ...), so the rules that
  read a line from its start (an address block, a phone alone on its line) see the bullet;
* **hard wraps**: a paragraph filled to a width, whose line breaks cut a list, a name or an
  address in two;
* **document conversion** (:mod:`ehrnlp.deid.extracted`): invisible characters and ligatures
  inside a word, page separators, OCR look-alikes in a number, a hyphen at a line's end inside a
  word or a number, letter-spaced words.

:func:`base_view` re-spells the first two one for one (:func:`respelled`; page separators as line
breaks too, and the tabs of a note that writes a tab for every blank as blanks: :func:`tab_spaced`) and drops invisible characters and spells out ligatures: that reading replaces the note's own, since it loses nothing a rule could read. :func:`neutral_view` also
reads a run as one blank in a note of inflated spacing, drops bullets, joins wrapped lines,
joins a word or a number cut by a hyphen at a line's end, closes up letter-spaced words and reads
OCR look-alikes in a number as digits (``SB-162373`` is an identifier as written too): it is read
beside it. Both keep for every character of the view its offset in the
original, so every span found on it maps back onto the note, and both return ``None`` when
there is nothing to change (the usual case).
"""

from __future__ import annotations

import re
from collections import Counter

from .extracted import LINE_SEPARATORS, expand, invisible_or_ligature, letter_spaced, line_end_hyphens, ocr_digits, ocr_letters

__all__ = ["neutral_view", "inflated_spacing", "tab_spaced", "capitals_note", "wrapped_breaks", "respelled", "base_view", "to_view"]

#: space characters other than the blank and the tab (NBSP, narrow NBSP, en, em, thin,
#: figure, hair, ideographic space)
_OTHER_SPACES = "\u00a0\u202f\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u3000"
_SPACE_MAP = {ord(c): " " for c in _OTHER_SPACES} | {ord(c): "\n" for c in LINE_SEPARATORS}
_SPACE_RUN = re.compile(r"[ \t]+")
_SEPARATOR = re.compile(r"(?<=\S)[ \t]+(?=\S)")
# a bullet opening a line, with the blanks before and after it (not "-5 mmHg", "**bold**")
_BULLET = re.compile(r"(?m)^[ \t]*[•·▪◦‣●○■□►➢–—*+-][ \t]+(?=\S)")


def capitals_note(text: str) -> bool:
    """Whether ``text`` is written (almost) all in capitals, counting only letters that have a
    case. Such a note is read in lower case too: the rules know a note written in one case
    from its lower-case form (cues such as "call me on", "lives on"), and the letters' case
    carries no evidence either way."""
    from .layout import letter_cases

    lower, upper = letter_cases(text)
    return lower + upper > 0 and upper >= 0.98 * (lower + upper)


def inflated_spacing(text: str) -> bool:
    """Whether the note's words are separated by runs of blanks or tabs more often than by a
    single blank: then a run is its word separator (blanks tripled, a tab for every space),
    not a column gap. A note of ordinary prose with a column-aligned table or a double blank
    after its full stops is not."""
    single = runs = 0
    for m in _SEPARATOR.finditer(text):
        if m.end() - m.start() == 1 and text[m.start()] == " ":
            single += 1
        else:
            runs += 1
    return runs >= 3 and runs > single


#: words of running prose on either side of a gap (a table's cells are rarely these)
_PROSE_WORD = re.compile(r"(?i:the|and|of|to|with|in|for|on|was|is|a|an|by|at|as|or|from|that|be|has|had|have|not|no)")


def tab_spaced(text: str) -> bool:
    """Whether the note separates its words with tabs where typing puts one blank: no single
    blank between words (at most one gap in fifty), a tab between at least eight pairs of
    words, and at least three of those gaps beside a word of running prose ("the", "and", "of",
    ...), as an export or a copy from a word processor that turns every blank into a tab
    writes it. In such a note a tab is a blank, not a cell's end, so :func:`respelled` reads it
    as one: the rules that take a single tab after a label or between cells as a column
    ("Provider<tab>Attestation:", "Patient<tab>gave") would read every gap of its prose as one.
    A table whose cells hold text with blanks, or whose cells are single words without prose
    between them, is not tab-spaced and keeps its tabs."""
    if "\t" not in text:
        return False
    tabs = blanks = prose = 0
    for m in _SEPARATOR.finditer(text):
        gap = m.group()
        if gap == " ":
            blanks += 1
        elif gap == "\t":
            tabs += 1
            left = text[max(0, m.start() - 5):m.start()].rsplit(None, 1)[-1:]
            right = text[m.end():m.end() + 5].split(None, 1)[:1]
            if any(_PROSE_WORD.fullmatch(w) for w in left + right):
                prose += 1
    return tabs >= 8 and blanks * 50 <= tabs and prose >= 3


_LINE = re.compile(r"[^\n]*")


def wrapped_breaks(text: str, min_width: int = 55, uncounted: bytearray | None = None) -> list[int]:
    """Offsets of the line breaks of a hard-wrapped paragraph (a note filled to a width by a
    printer, a fax, an e-mail client): the line before the break is at least 70% of the
    note's widest line (and the note has lines of ``min_width`` or more: printers, faxes and
    mail clients fill lines to 60-80 columns; an address line is shorter), does not end a
    sentence or a field (``. ! ? : ;``), and the next line holds text and opens no bullet.
    Such a break is read as a blank: "Monjeau,\nGraves and Reed", "5586\nThórunnarstræti 31".
    ``uncounted`` marks characters a line's width leaves out: the blanks of a letter-spaced word and, in a
    note of inflated spacing, all but one blank of a run (a line of ``N  A  M  E :  Q U E N B Y`` is no
    wide line that a wrap filled; twentieth session)."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.end() < len(text) and text[m.end()] == "\n"]
    if not lines:
        return []

    def length(a: int, b: int) -> int:
        e = a + len(text[a:b].rstrip("\r \t"))
        return e - a - (sum(uncounted[a:e]) if uncounted is not None else 0)

    width = max(length(a, b) for a, b in lines)
    if width < min_width:
        return []
    out = []
    for a, b in lines:
        line = text[a:b].rstrip("\r \t")
        nxt = text[b + 1:b + 81].split("\n", 1)[0]
        if (length(a, b) >= 0.7 * width and not line.endswith((".", "!", "?", ":", ";")) and nxt.strip()
                and not _BULLET.match(nxt) and not nxt[:1].isspace()):
            out.append(b)
    return out


def neutral_view(text: str) -> tuple[str, list[int]] | None:
    """``(view, offsets)`` with ``view[i]`` taken from ``text[offsets[i]]`` (``offsets`` has
    one more entry, ``len(text)``), or ``None`` when the view would equal the text."""
    return _view(text, lines=True)


def base_view(text: str) -> tuple[str, list[int]] | None:
    """The reading that replaces the note's own: :func:`respelled` (one for one, so it loses
    nothing a rule could read). ``None`` when it equals the text. (Runs of blanks stay: even in
    a note of inflated spacing a table's columns may be the wider runs, which only the note's
    own reading sees.)"""
    return _view(text, lines=False)


def _view(text: str, lines: bool) -> tuple[str, list[int]] | None:
    if not text:
        return None
    spaced = respelled(text) or text
    collapse = lines and inflated_spacing(spaced)
    bullets = [(m.start(), m.end()) for m in _BULLET.finditer(spaced)] if lines else []
    hidden = invisible_or_ligature(spaced)  # dropped or spelled out (ehrnlp.deid.extracted)
    hyphens = line_end_hyphens(spaced) if lines and "-" in spaced else []
    letters = letter_spaced(spaced, runs=collapse) if lines else []
    uncounted = None
    if lines and (letters or collapse):  # a line's width as read: letter spacing and blank runs left out
        uncounted = bytearray(len(spaced))
        for i in letters:
            uncounted[i] = 1
        if collapse:
            for m in _SPACE_RUN.finditer(spaced):
                uncounted[m.start() + 1:m.end()] = b"\x01" * (m.end() - m.start() - 1)
    wraps = wrapped_breaks(spaced, uncounted=uncounted) if lines else []
    alike = (ocr_digits(spaced) + ocr_letters(spaced)) if lines else []  # "4O8l7733" as digits, "QUENB0" as letters
    if spaced == text and not collapse and not bullets and not wraps and not hidden and not hyphens and not letters and not alike:
        return None
    if alike:  # "MRN 4O8l7733" as "MRN 40817733" (one for one; beside the note: "SB-162373" is an ID as written)
        chars = list(spaced)
        for i, d in alike:
            chars[i] = d
        spaced = "".join(chars)
    drop = bytearray(len(spaced))  # characters left out of the view
    for a, b, hyphen in hyphens:  # "Quen-\nby" as "Quenby", "4081-\n7733" as "4081-7733"
        drop[a + hyphen:b] = b"\x01" * (b - a - hyphen)
    for i in letters:  # "Q U E N B Y" as "QUENBY"
        drop[i] = 1
    if letters and collapse:  # (the runs between those letters are no gaps to collapse below)
        spaced = "".join("\x00" if drop[i] else c for i, c in enumerate(spaced))
    if wraps:
        chars = list(spaced)
        for i in wraps:
            chars[i] = " "
            if i and chars[i - 1] == "\r":
                drop[i - 1] = 1
        spaced = "".join(chars)
    for a, b in bullets:
        drop[a:b] = b"\x01" * (b - a)
    if collapse:
        # the note's word gap (its commonest run between words) is one blank; where that gap is
        # regular (more than half the gaps: a tab for every blank), a wider run, a gap the note typed
        # with blanks would have made two blanks or more (a field's end: "Dr. Lee<tab><tab>Social
        # History"), is two, as there; runs of every width at random ("dr.   prescott", "tell  dr.
        # blackwood") tell no field's end: every run is one blank
        runs = Counter(m.group() for m in _SEPARATOR.finditer(spaced))
        unit, regular = 1, False
        if runs:
            gap, n = runs.most_common(1)[0]
            unit, regular = len(gap), n > 0.5 * sum(runs.values())
        for m in _SPACE_RUN.finditer(spaced):
            keep = 2 if regular and m.end() - m.start() > unit else 1
            if m.end() - m.start() > keep or "\t" in m.group():
                drop[m.start() + keep:m.end()] = b"\x01" * (m.end() - m.start() - keep)
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(spaced):
        if drop[i]:
            continue
        if hidden and not ch.isascii():
            for c in expand(ch):
                out.append(c)
                offsets.append(i)
            continue
        out.append(" " if (collapse and ch == "\t") else ch)
        offsets.append(i)
    offsets.append(len(text))
    view = "".join(out)
    if view == text:
        return None
    return view, offsets


def respelled(text: str) -> str | None:
    """``text`` with characters re-spelled one for one (other space characters as blanks, page
    separators as line breaks, a note in capitals in lower case, the tabs of a :func:`tab_spaced` note
    as blanks; offsets unchanged), or ``None`` when nothing changes. It loses nothing a rule could read,
    so it is read instead of the note, not beside it."""
    out = text.translate(_SPACE_MAP) if any(c in text for c in _OTHER_SPACES + LINE_SEPARATORS) else text
    if tab_spaced(out):  # (a run of tabs stays a run, of blanks: a column gap as wide)
        out = out.replace("\t", " ")
    if capitals_note(out):
        out = "".join(c if len(low := c.lower()) != 1 else low for c in out)
    return None if out == text else out


def to_view(offsets: list[int], n: int) -> list[int]:
    """The inverse map: for every offset ``0..n`` of the original, the offset in the view of
    the first character kept at or after it (a span ``(s, e)`` of the original is
    ``(inv[s], inv[e])`` in the view)."""
    inv = [0] * (n + 1)
    k = len(offsets) - 1  # view length
    j = k
    for i in range(n, -1, -1):
        while j > 0 and offsets[j - 1] >= i:
            j -= 1
        inv[i] = j
    return inv
