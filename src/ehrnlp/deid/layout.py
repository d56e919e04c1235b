"""Layout-aware PHI finding: a canonical view of the text, table columns, care-team lists.

Pure functions over text (no Presidio, no model), used by the recognizers of
:mod:`ehrnlp.deid.recognizers`:

* :func:`canonical_view` - NFKC (full-width digits and letters become ASCII), CR removed,
  a run of blanks or a tab read as two blanks (a column gap stays a gap); with the offset of every character of
  the view in the original, so a match on the view maps back onto the original text.
* :func:`table_cells` - cells of a table whose header row names a PHI column
  ("Name | DOB | MRN", tab- or blank-separated, any case): the value cells below it.
* :func:`team_items` - the members of a care-team / cc list ("Care team: Dr. A (PT), B RN",
  "cc: A; B", a bulleted list under "Care team:").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

__all__ = ["canonical_view", "letter_cases", "table_cells", "team_items", "COLUMN_LABELS", "NAME_PARTICLES", "delimited_cells", "keyed_values",
           "hl7_fields"]


_VIEWS: dict[tuple[str, bool, bool], tuple[str, list[int]]] = {}


def canonical_view(text: str, *, gaps: bool = True, join_lines: bool = False) -> tuple[str, list[int]]:
    """``(view, offsets)``: ``view[i]`` comes from ``text[offsets[i]]`` (``offsets`` has one
    more entry, ``len(text)``, so an end offset maps too). Identity when nothing changes.
    ``gaps=False`` reads every run of blanks as one blank (for identifiers, dates and
    addresses, whose parts a column gap never separates). ``join_lines=True`` (with
    ``gaps=False``) also reads a single line break inside running text as a blank: a value
    that a hard-wrapped note (a fax, a printout) cut across two lines reads whole.

    Every pattern recognizer asks for the view of the same note: the last few are cached
    (callers only read them), so a note's view is built once, not once per recognizer."""
    key = (text, gaps, join_lines)
    hit = _VIEWS.get(key)
    if hit is None:
        hit = _build_view(text, gaps, join_lines)
        if len(_VIEWS) >= 4:
            _VIEWS.clear()
        _VIEWS[key] = hit
    return hit


# runs the view copies as they are: ASCII other than blanks, tabs and CR (and line breaks when
# lines are joined), single blanks between such characters included (a lone blank after a
# character that is no blank is written as one blank in every view); a run of 2+ blanks after
# a character that is no blank is written as two blanks (one without gaps) in one step
_PLAIN = re.compile(r"[^\t\r \x80-\U0010ffff]+(?: [^\t\r \x80-\U0010ffff]+)*")
_SPACES = re.compile(r"  +").match
_PLAIN_NO_BREAK = re.compile(r"[^\t\n\r \x80-\U0010ffff]+(?: [^\t\n\r \x80-\U0010ffff]+)*")


def _build_view(text: str, gaps: bool, join_lines: bool = False) -> tuple[str, list[int]]:
    out: list[str] = []
    offs: list[int] = []
    blanks = 0  # blanks written for the current run: one, or two for a column gap (2+ blanks, a tab)
    plain = (_PLAIN_NO_BREAK if join_lines else _PLAIN).match
    i, n = 0, len(text)
    while i < n:
        m = plain(text, i)
        if m is not None:  # copied whole; the character-by-character rules below give the same
            out.append(m.group())
            offs.extend(range(i, m.end()))
            blanks = 0
            i = m.end()
            continue
        if blanks == 0 and (m := _SPACES(text, i)) is not None:  # a run of 2+ blanks after a character
            if gaps:
                out.append("  ")
                offs += (i, i + 1)
            else:
                out.append(" ")
                offs.append(i)
            blanks = 2 if gaps else 1
            i = m.end()
            continue
        j, ch = i, text[i]
        i += 1
        if ch == "\r":
            continue
        if join_lines and ch == "\n" and _wrapped_break(text, j):
            ch = " "
        if ch in " \t\u00a0\u2002\u2003\u2009\u3000":
            want = 2 if gaps and (ch == "\t" or blanks) else 1
            while blanks < want:
                out.append(" ")
                offs.append(j)
                blanks += 1
            continue
        blanks = 0
        norm = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        for c in norm or ch:
            out.append(c)
            offs.append(j)
    offs.append(len(text))
    return "".join(out), offs


@lru_cache(maxsize=8)
def letter_cases(text: str) -> tuple[int, int]:
    """``(lower, upper)``: how many letters of ``text`` are lower case and how many upper case
    (letters without case, as in Hebrew or Chinese, count in neither).

    The stage's steps ask this of the same note (and of its ``swapcase()``) a dozen times:
    the counts of the last few texts are kept, and they are counted per distinct character."""
    lower = upper = 0
    for c, k in Counter(text).items():
        if c.islower():
            lower += k
        elif c.isupper():
            upper += k
    return lower, upper


_BULLET_START = re.compile(r"[ \t]*(?:[-*•·]|\d{1,2}[.)])[ \t]")


def _wrapped_break(text: str, i: int) -> bool:
    """Whether the line break at ``text[i]`` sits inside running text: text on both sides,
    no blank line, and the next line is no bulleted or numbered item."""
    before = text[max(0, i - 2):i].rstrip("\r \t")
    after = text[i + 1:i + 1 + 8]
    return bool(before) and bool(after.strip()) and not after.startswith(("\n", "\r\n")) and not _BULLET_START.match(after)


def map_span(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """A span of the view as a span of the original text."""
    if end <= start:
        return offsets[start], offsets[start]
    return offsets[start], offsets[end - 1] + 1


#: surname particles ("van", "de la", "bin"): lower-case words a name may hold
NAME_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "bin", "ibn",
                            "al", "el", "dos", "das"})

#: column headers (lower case, words joined by one blank) -> PHI label of the cells below
COLUMN_LABELS: dict[str, str] = {}
for _label, _heads in {
    "NAME": ("name", "patient", "patient name", "pt name", "full name", "first name", "last name", "surname",
             "given name", "family name", "first", "last", "given", "family", "forename", "middle name", "last, first",
             "provider", "physician", "doctor", "attending", "clinician", "care team",
             "nurse", "contact", "emergency contact", "guardian", "pcp", "member name", "author",
             # other languages' (intl20)
             "nom", "nombre", "nome", "cognome", "cognome, nome", "naam", "nachname", "vorname", "apellidos", "patientin",
             "paciente", "patiente", "paziente"),
    "DATE": ("dob", "date of birth", "birth date", "birthdate", "date", "visit", "visit date", "admission date",
             "discharge date", "date of service", "dos", "service date", "admitted", "discharged", "d.o.b."),
    "ID": ("mrn", "medical record number", "medical record no", "medical record", "mr#", "id", "patient id",
           "insurance id", "member id", "account", "account number", "acct", "ssn", "social security number",
           "csn", "fin", "encounter", "encounter id", "policy", "policy number", "subscriber id", "case number",
           "accession", "identifier",
           # device, vehicle, plan and licence identifiers (canx18)
           "serial", "serial number", "serial no", "s/n", "lot", "lot number", "lot no", "udi", "device", "device id", "plate",
           "license plate", "vin", "member", "member number", "medicaid", "medicaid id", "medicare", "mbi", "dea", "npi",
           "license", "license number", "licence", "guarantor account", "billing account", "subscriber", "insurance"),
    "PHONE": ("phone", "telephone", "tel", "cell", "mobile", "phone number", "home phone", "work phone", "fax", "pager"),
    "EMAIL": ("email", "e-mail", "email address", "e-mail address"),
    "AGE": ("age", "pt age", "patient age", "age (y)", "age (yrs)", "age (years)", "age, y", "age/sex", "age / sex", "sex/age",
            "sex / age", "age/gender", "gender/age"),
    "LOCATION": ("address", "home address", "street", "city", "zip", "zip code", "site", "facility", "location",
                 "hospital", "clinic", "practice"),
}.items():
    for _h in _heads:
        COLUMN_LABELS[_h] = _label

_CELL_SEP = re.compile(r"[ \t]*(?:\||\t)[ \t]*|[ ]{2,}")


_HARD_SEP = re.compile(r"[ \t]*(?:\||\t)[ \t]*")


def _cells(line: str, base: int, hard: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the non-blank cells of a table row (``|``, tab or 2+ blanks between;
    with ``hard``, only ``|`` and tabs: the table's columns are drawn, blank runs are words')."""
    out, pos = [], 0
    for m in (_HARD_SEP if hard else _CELL_SEP).finditer(line):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(line):
        out.append((pos, len(line)))
    res = []
    for s, e in out:
        while s < e and line[s] in " |":
            s += 1
        while e > s and line[e - 1] in " |":
            e -= 1
        if e > s:
            res.append((base + s, base + e))
    return res


def _header_label(cell: str) -> str | None:
    key = re.sub(r"\s+", " ", cell.strip().rstrip(":#").strip()).lower()
    return COLUMN_LABELS.get(key)


def _lines_at(text: str) -> list[tuple[int, str]]:
    """``(offset, line)`` of every line of ``text``, a CRLF's CR left out of the line."""
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append((pos, raw.rstrip("\r")))
        pos += len(raw) + 1
    return lines


def table_cells(text: str, pairs: list[tuple[str, int, int]] | None = None) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` of the value cells under PHI column headers.

    A header row has at least two cells and at least half of them are known column names
    with at least one PHI column; the rows below it (until a blank line or a row of a
    different width) are read column by column. A header row's cell right after a column name
    that is none itself is another column's name ("Care team<tab>Role") or that name's value
    ("first name<tab>ignatius<tab>mrn<tab>88213", label-value pairs over a row they do not head):
    with ``pairs`` given, it is put there as ``(label, start, end)`` for the caller to judge as a
    value without a column's evidence (fail safe).
    """
    lines = _lines_at(text)
    out: list[tuple[str, int, int]] = []
    mixed: bool | None = None  # the note is written in mixed case (computed when first needed)
    i = 0
    while i < len(lines):
        base, line = lines[i]
        hard = bool(_HARD_SEP.search(line))
        cells = _join_header(text, _cells(line, base, hard))
        if len(cells) < 2:
            i += 1
            continue
        heads = [_header_label(text[s:e]) for s, e in cells]
        known = sum(h is not None for h in heads)
        if known and mixed is None:
            low, up = letter_cases(text)
            mixed = low > 0 and up > 0 and min(low, up) >= 0.02 * (low + up)
        if known and mixed and (any(h is None and _running_text(text[s:e]) for (s, e), h in zip(cells, heads))
                                or (heads[-1] is not None and _continues(lines, i) and not (hard and _drawn_row(lines, i + 1, len(cells))))):
            i += 1  # a line of a paragraph with a column's name in it ("visit    Here for 6 months follow up")
            continue
        if hard and len(cells) == 2 and heads[0] is not None and heads[1] is None and _key_value_row(text, lines, i):
            out.append((heads[0], *cells[1]))  # "last name<tab>sorensen": a label and its value, not a header
            i += 1
            continue
        if known == 0 or known * 2 < len(cells):
            i += 1
            continue
        if pairs is not None:  # (see above: a column's name or its value)
            for k in range(len(cells) - 1):
                head = heads[k]
                if head is not None and heads[k + 1] is None:
                    pairs.append((head, *cells[k + 1]))
        j = i + 1
        while j < len(lines):
            b2, l2 = lines[j]
            if not l2.strip():
                break
            row = _cells(l2, b2, hard and bool(_HARD_SEP.search(l2)))
            if all(_header_label(text[s:e]) is not None for s, e in row) and len(row) >= 2:
                break  # the next header row
            if _header_row(text, l2, b2):
                break  # another table's header, drawn its own way ("acct#<blanks>HB47..." over "Vehicle<tab>Plate<tab>VIN")
            if len(row) == len(cells):
                for (s, e), label in zip(row, heads):
                    if label is not None:
                        out.append((label, s, e))
            elif len(row) > len(cells) and not hard:
                # blank runs inside cells as wide as the gaps between them ("Okafor   social   work"
                # under "Care  team   Role"): only the first and last columns are certain
                if heads[0] is not None:
                    out.append((heads[0], *row[0]))
                if heads[-1] is not None:
                    out.append((heads[-1], *row[-1]))
            else:
                break
            j += 1
        i = max(j, i + 1)
    return out


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]+(?![\w'’-])")
_PARTICLE_WORDS = NAME_PARTICLES | {"ten", "st"}


def _running_text(cell: str) -> bool:
    """Whether a cell of a would-be header row reads as running text, in a note of mixed case: four
    words or more, two of them lower-case words that are no name particle ("Here for 6 months
    follow up", "Normal tension glaucoma of right eye"). A column's heading ("Role", "Right Left"),
    a name ("Maria van der Berg"), an address or a date is none: a paragraph's line re-wrapped so
    that a column's name ("visit", "Patient", "ENCOUNTER") stands apart by a double blank is no table."""
    if len(_WORD_RUN.findall(cell)) < 4:
        return False
    return sum(1 for w in _LOWER_WORD.findall(cell) if w not in _PARTICLE_WORDS) >= 2


_WORD_RUN = re.compile(r"[^\W\d_]+")


def _continues(lines: list[tuple[int, str]], i: int) -> bool:
    """Whether row ``i``, ending in a column's name, is a line of a wrapped paragraph whose next
    line continues that word in running text ("... Heme/Lymph  Last" over "edited by ... on"):
    the next line opens with a lower-case word and its first cell holds two words or more."""
    if i + 1 >= len(lines):
        return False
    b2, l2 = lines[i + 1]
    row = _cells(l2, b2)
    if not row or not l2.lstrip(" \t")[:1].islower():
        return False
    first = l2[row[0][0] - b2:row[0][1] - b2]
    return len(_WORD_RUN.findall(first)) >= 2


def _header_row(text: str, line: str, base: int) -> bool:
    """Whether ``line`` (at ``base``) reads as a table's header on its own: two column names or more, at least
    half of its cells, split as the line itself is drawn (bars and tabs, or blank runs where it has none)."""
    cells = _cells(line, base, bool(_HARD_SEP.search(line)))
    known = sum(_header_label(text[s:e]) is not None for s, e in cells)
    return len(cells) >= 2 and known >= 2 and known * 2 >= len(cells)


def _drawn_row(lines: list[tuple[int, str]], j: int, width: int) -> bool:
    """Whether line ``j`` is a row of ``width`` cells drawn with bars or tabs, as the header above it is: a
    table's row under a header that ends in a column's name (``mesh | lot #`` over ``polypropylene 15x15 cm |
    am08300`` in a lower-case block of a mixed-case note), not a wrapped paragraph's next line."""
    if j >= len(lines) or not _HARD_SEP.search(lines[j][1]):
        return False
    return len(_cells(lines[j][1], lines[j][0], True)) == width


def _key_value_row(text: str, lines: list[tuple[int, str]], i: int) -> bool:
    """Whether the two-cell row ``i`` (a column name, then something else) is a ``label<tab>value``
    field: the next row is not a data row of the same width (its first cell is a column name too,
    or it has another width), so ``Care team<tab>Role`` over ``Okafor<tab>cardiology`` stays a header."""
    if i + 1 >= len(lines) or not lines[i + 1][1].strip():
        return True
    b2, l2 = lines[i + 1]
    row = _cells(l2, b2, bool(_HARD_SEP.search(l2)))
    return len(row) != 2 or _header_label(text[row[0][0]:row[0][1]]) is not None


def _join_header(text: str, cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Header cells with neighbours joined where together they are a column name that a wide
    blank run split ("Care  team" -> "care team", "DATE   OF BIRTH")."""
    out = list(cells)
    k = 0
    while k < len(out):
        if _header_label(text[out[k][0]:out[k][1]]) is None:
            for n in (3, 2):
                if k + n <= len(out) and _header_label(" ".join(text[s:e] for s, e in out[k:k + n])) is not None:
                    out[k:k + n] = [(out[k][0], out[k + n - 1][1])]
                    break
        k += 1
    return out


_TEAM_LABEL = re.compile(
    # labels that need their colon ("cc: A; B", but "5 cc saline") ...
    # (not "CC:", the chief complaint)
    r"(?m)\b(?:(?:cc|Cc|(?i:copies[ \t]+to|copy[ \t]+to|consultants?|providers?|team[ \t]+members?))[ \t]*:"
    # ... a key=value list of clinicians ("attending=A; consult=B; other=C")
    r"|(?i:attending|consult(?:ant)?s?|resident|fellow)[ \t]*="
    # ... and those that are unambiguous before a name ("Care team Dr. A", "reviewed by A and B")
    r"|(?i:care[ \t]+team|treatment[ \t]+team|prescribers?|reviewed[ \t]+by)[ \t]*(?::|[ \t](?=\S)))"
)
# a sentence ends at . ! ? before a blank, but not after a title or an initial ("Dr. Okafor", "K. Lund")
_SENTENCE_END = re.compile(r"(?<![A-Za-z][A-Za-z])(?<![\s(][A-Z])(?<!^[A-Z])(?<![Mm]rs)[.!?](?=\s|$)|(?<=[a-z]{3})[.!?](?=\s|$)")
_ITEM_SEP = re.compile(r"[;,|\t]|\n|\band\b|\b&\b", re.I)
# in a note of inflated spacing (a tab for every blank) a tab is a blank: it parts no items, as a run
# of blanks parts none in the note typed with blanks ("Provider:<tab>Ann<tab>Lee,<tab>MD<tab><tab>Past
# <tab>ocular<tab>history" is one list of two items, as with blanks)
_ITEM_SEP_INFLATED = re.compile(r"[;,|]|\n|\band\b|\b&\b", re.I)
_CC_CAPS = re.compile(r"(?m)\bCC[ \t]*:")
_NUMBERING = re.compile(r"\d{1,2}[.)][ \t]+")
_ITEM_KEY = re.compile(r"[A-Za-z][A-Za-z \t]{0,20}?[ \t]*[=:][ \t]*(?=\S)")
_BULLET_LINE = re.compile(r"[ \t]*(?:[-*•·]|\d{1,2}[.)])[ \t]+\S")


#: a line that goes on with the list item before it: a credential or a role in parentheses, then the list's separator
#: ("Abiodun\nNP, McKeown (cardiology)", "Abiodun NP\n(cardiology); McKeown RN")
_CONTINUES_LIST = re.compile(r"[ \t]*(?:(?:NP|RN|MD|DO|PA|PA-C|APRN|CNS|CNP|LPN|PharmD|DPT|LCSW|MSW|CNM|CRNA|FNP|DNP)\.?"
                             r"|\([^()\n]{1,30}\))[ \t]*[,;]")


def _continued(line: str) -> bool:
    """A list's line that the next line continues: it ends with a separator or "and", or a parenthesis is still open
    ("CARE TEAM: Dr. A (social\nwork), B NP, C": a hard wrap inside a role; dev seed 1123)."""
    tail = line.rstrip(" \t\r")
    return tail.endswith((",", ";", "&")) or re.search(r"(?i)(?<![\w'’-])and$", tail) is not None or line.count("(") > line.count(")")


def team_items(text: str, inflated: bool = False) -> list[tuple[int, int]]:
    """Spans of the items of care-team lists: the rest of the label's line, split at ``, ; |``
    and "and", plus the bulleted lines right below a label that ends its line. ``inflated``: the
    note's words are parted by runs of blanks or tabs (:func:`ehrnlp.deid.neutral.inflated_spacing`,
    which the caller reads: that module reads this one), so a tab parts no items."""
    out: list[tuple[int, int]] = []
    labels = list(_TEAM_LABEL.finditer(text))
    lower, upper = letter_cases(text)
    if lower + upper and upper >= 0.98 * (lower + upper):
        # a note in capitals: "CC:" heads a copy list as often as a chief complaint (whose
        # clinical words are no names to the caller)
        labels += [m for m in _CC_CAPS.finditer(text) if not any(m.start() < x.end() and x.start() < m.end() for x in labels)]
    if not labels:
        return out
    item_sep = _ITEM_SEP_INFLATED if inflated else _ITEM_SEP
    for m in labels:
        eol = text.find("\n", m.end())
        eol = len(text) if eol < 0 else eol
        while ((_continued(text[m.end():eol]) or _CONTINUES_LIST.match(text, eol + 1)) and eol < len(text)
               and text[eol + 1:eol + 2].strip()):
            nxt = text.find("\n", eol + 1)  # a list that a line break continues ("Dr. A (PT),\nB RN, C")
            eol = len(text) if nxt < 0 else nxt
        segs: list[tuple[int, int]] = []
        sentence_end = _SENTENCE_END.search(text[m.end():eol])
        line_end = m.end() + sentence_end.start() if sentence_end else eol
        if text[m.end():line_end].strip():
            segs.append((m.end(), line_end))
        else:  # a label alone on its line: the bulleted / short lines below it
            pos = eol + 1
            while pos < len(text):
                nl = text.find("\n", pos)
                nl = len(text) if nl < 0 else nl
                line = text[pos:nl]
                if not line.strip() or not (_BULLET_LINE.match(line) or len(line.split()) <= 4):
                    break
                segs.append((pos, nl))
                pos = nl + 1
        for a, b in segs:
            pos = a
            for sep in list(item_sep.finditer(text, a, b)) + [None]:
                e = sep.start() if sep is not None else b
                s = pos
                while s < e and text[s] in " \t-*•·\r":
                    s += 1
                num = _NUMBERING.match(text, s, e)
                if num:
                    s = num.end()  # "1. Okafor"
                key = _ITEM_KEY.match(text, s, e)
                if key:
                    s = key.end()  # "consult=Whitlock", "PCP: Okafor"
                while e > s and text[e - 1] in " \t\r":
                    e -= 1
                if e > s:
                    out.append((s, e))
                pos = sep.end() if sep is not None else b
    return list(dict.fromkeys(out))  # (a list with several labels, "attending=A; consult=B", once)


# --------------------------------------------------------------------------- machine records
# Records that exports paste into notes: CSV rows under a header line, JSON-ish key/values and
# HL7 v2 segments. Their structure says what each value is, as a table's header does.

_DELIMS = (",", ";")


def _split_delimited(line: str, base: int, delim: str) -> list[tuple[int, int]]:
    """(start, end) of the cells of a ``delim``-separated line, a ``"..."`` cell whole (its
    quotes and blanks trimmed)."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(line)
    while True:
        a = i
        if i < n and line[i:].lstrip(" \t")[:1] in ('"', "'"):
            q_at = i + len(line[i:]) - len(line[i:].lstrip(" \t"))
            q = line[q_at]
            close = line.find(q, q_at + 1)
            if close < 0:
                return []
            j = line.find(delim, close + 1)
            j = n if j < 0 else j
            if line[close + 1:j].strip(" \t"):
                return []  # text after a quoted cell: no CSV
            out.append((base + q_at + 1, base + close))
        else:
            j = line.find(delim, i)
            j = n if j < 0 else j
            s, e = a, j
            while s < e and line[s] in " \t":
                s += 1
            while e > s and line[e - 1] in " \t\r":
                e -= 1
            out.append((base + s, base + e))
        if j >= n:
            return out
        i = j + 1


def _key_label(key: str) -> str | None:
    """The PHI label of a record's key or a CSV header cell: ``patient_name``, ``"Last Name"``,
    ``lastName``, ``birth-date`` (words split at ``_ - .`` and a lower-to-upper change; the
    whole key, or its last one or two words: ``patient_id`` -> ``id``)."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key.strip().strip("\"'"))
    words = re.sub(r"[_.\-]+", " ", spaced).lower().split()
    if not words or len(words) > 4:
        return None
    for k in range(len(words)):
        label = COLUMN_LABELS.get(" ".join(words[k:]))
        if label is not None:
            return label
    return None


def delimited_cells(text: str) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` of the value cells of a CSV table: a header line of 2+ cells split
    by ``,`` or ``;`` (quoted or not) where every cell is a short key and at least two of them
    name a PHI column (``mrn,last,first,dob``, ``"Last Name","First Name","MRN"``,
    ``patient_id;surname;given_name``), and the rows under it with as many cells, up to a
    blank line or a row of another width. A sentence ("Name, DOB and MRN were confirmed.") has
    a cell of more than three words or no second PHI key, so it is no header."""
    lines = _lines_at(text)
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(lines):
        base, line = lines[i]
        i += 1
        delim = next((d for d in _DELIMS if d in line), None)
        if delim is None or "|" in line or "\t" in line.strip(" \t"):
            continue
        cells = _split_delimited(line, base, delim)
        if len(cells) < 2 or any(not re.fullmatch(r"[A-Za-z][\w .#/-]{0,30}", text[s:e]) or len(text[s:e].split()) > 3
                                 for s, e in cells):
            continue
        heads = [_key_label(text[s:e]) for s, e in cells]
        if sum(h is not None for h in heads) < 2:
            continue
        while i < len(lines):
            rbase, row = lines[i]
            cells_row = _split_delimited(row, rbase, delim) if row.strip() else []
            if len(cells_row) != len(cells) or all(_key_label(text[s:e]) is not None for s, e in cells_row):
                break  # a blank line, a row of another width, or the next table's header
            i += 1
            for (s, e), label in zip(cells_row, heads):
                if label is not None and e > s:
                    out.append((label, s, e))
    return out


_KEYED = re.compile(r"""(?P<q>["'])(?P<k>[A-Za-z][\w .\-]{0,40}?)(?P=q)[ \t]*(?:\r?\n[ \t]*)?:[ \t]*(?:\r?\n[ \t]*)?\[?[ \t]*(?:\r?\n[ \t]*)?"""
                    r"""(?P<v>"[^"\n]{1,120}(?:\r?\n[^"\n]{1,120})?"|'[^'\n]{1,120}(?:\r?\n[^'\n]{1,120})?'|-?\d[\w.\-/]*)""")
# (a hard wrap may cut it after the key or the colon, or inside a quoted value: "name": "quoub<newline>pelilde")


def keyed_values(text: str) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` of the values of JSON-ish keys that name a PHI field
    (``"patient_name": "..."``, ``'mrn': '...'``, ``"family": "..."``, ``"given": ["..."]``,
    ``"dob": "..."``; keys as :func:`_key_label` reads them), the value without its quotes."""
    out: list[tuple[str, int, int]] = []
    for m in _KEYED.finditer(text):
        label = _key_label(m.group("k"))
        if label is None:
            continue
        s, e = m.span("v")
        if text[s] in "\"'":
            s, e = s + 1, e - 1
        while s < e and text[s] in " \t":
            s += 1
        while e > s and text[e - 1] in " \t":
            e -= 1
        if e > s:
            out.append((label, s, e))
    return out


# a segment and the lines a hard wrap cut it into (a next line with pipes that opens no segment)
_HL7_SEGMENT = re.compile(r"(?m)^[ \t]*(?P<seg>[A-Za-z][A-Za-z0-9]{2})\|(?P<rest>[^\n]*(?:\n(?![ \t]*[A-Za-z][A-Za-z0-9]{2}\|)[^\n|]*\|[^\n]*)*)$")
#: HL7 v2 fields (1-based, after the segment id) that hold a person's name (XPN / XCN): family
#: name first, or after an id for XCN
_HL7_PEOPLE = {"pid": (5, 6, 9), "nk1": (2,), "pv1": (7, 8, 9, 17), "pd1": (4,), "mrg": (7,), "gt1": (3,), "in1": (16,),
               "orc": (10, 11, 12), "obr": (10, 16, 28), "txa": (5, 9, 10, 11, 22), "rol": (4,), "stf": (3,), "prd": (2,),
               "evn": (5,), "obx": (16,)}
#: fields that hold an identifier (the first component) or a date of birth / death
_HL7_IDS = {"pid": (2, 3, 4, 18, 19, 20), "mrg": (1, 2, 3), "pv1": (19,), "in1": (2, 36), "gt1": (2, 12)}
_HL7_DATES = {"pid": (7, 29), "nk1": (16,), "gt1": (8,)}
_HL7_PHONES = {"pid": (13, 14), "nk1": (5, 6), "gt1": (6, 7)}
_HL7_ADDRESS = {"pid": (11,), "nk1": (4,), "gt1": (5,)}


def hl7_fields(text: str) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` of the PHI in HL7 v2 segments pasted into a note
    (``PID|1||12345678^^^MRN||DOE^JANE^A||19610204|F``, in any case): the name components of
    the fields that hold a person (the patient, the next of kin, the attending, the ordering
    provider: family and given name, an XCN's after its id), the identifiers' first components,
    the birth date, phones and the address. Only segments of the standard's ids that carry
    people are read."""
    out: list[tuple[str, int, int]] = []
    for m in _HL7_SEGMENT.finditer(text):
        seg = m.group("seg").lower()
        if seg not in _HL7_PEOPLE and seg not in _HL7_IDS:
            continue
        rest_at = m.start("rest")
        fields: list[tuple[int, int]] = []
        a = rest_at
        for part in m.group("rest").split("|"):
            fields.append((a, a + len(part)))
            a += len(part) + 1

        def field(k: int, fields: list[tuple[int, int]] = fields) -> tuple[int, int] | None:
            return fields[k - 1] if 0 < k <= len(fields) and fields[k - 1][1] > fields[k - 1][0] else None

        for k in _HL7_PEOPLE.get(seg, ()):
            f = field(k)
            if f is None:
                continue
            for rep_s, rep_e in _split_spans(text, *f, "~"):
                comps = _split_spans(text, rep_s, rep_e, "^")
                vals = [text[s:e] for s, e in comps]
                start = 1 if vals and (not vals[0] or re.search(r"\d", vals[0])) and len(vals) >= 3 else 0
                if start == 1 and vals[0]:
                    out.append(("ID", *comps[0]))
                for s, e in comps[start:start + 3]:  # family^given^middle
                    if e > s and re.fullmatch(r"[^\W\d_][^\W\d_ '’.-]*(?:['’ -][^\W\d_]+)*\.?", text[s:e]):
                        out.append(("NAME", s, e))
        for table, label in ((_HL7_IDS, "ID"), (_HL7_DATES, "DATE"), (_HL7_PHONES, "PHONE"), (_HL7_ADDRESS, "LOCATION")):
            for k in table.get(seg, ()):
                f = field(k)
                if f is None:
                    continue
                for rep_s, rep_e in _split_spans(text, *f, "~"):
                    comps = [c for c in _split_spans(text, rep_s, rep_e, "^") if c[1] > c[0]]
                    if label == "ID":
                        comps = comps[:1]
                    elif label == "LOCATION":
                        # a state or country code and an address type ("PA", "USA", "H") identify nobody
                        comps = [c for c in comps if not re.fullmatch(r"[A-Za-z]{1,3}", text[c[0]:c[1]])]
                    for s, e in comps:
                        if label == "LOCATION" or re.search(r"\d", text[s:e]):
                            out.append((label, s, e))
    return out


def _split_spans(text: str, s: int, e: int, sep: str) -> list[tuple[int, int]]:
    """The parts of ``text[s:e]`` between ``sep``, each without the blanks, CR and line breaks
    at its ends (a CRLF note's last field, a hard wrap's break)."""
    out, a = [], s
    for part in text[s:e].split(sep):
        x, y = a, a + len(part)
        while x < y and text[x] in " \t\r\n":
            x += 1
        while y > x and text[y - 1] in " \t\r\n":
            y -= 1
        out.append((x, y))
        a += len(part) + 1
    return out
