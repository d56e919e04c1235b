"""Text that came through document conversion (a PDF's text layer, OCR, a fax, a file export), read
as a person reads it (issue 16, the canary's ``extracted`` kind, branch canx19).

Conversion leaves marks in the text that no reader sees but that every rule of the de-identifier
does, so a name or a number that a person reads at once is no name or number to a rule:

* **invisible characters** inside a word: soft hyphens (U+00AD), zero-width spaces, non-joiners
  and joiners, word joiners, byte-order marks, left-to-right / right-to-left marks
  (:data:`INVISIBLE`): ``Quen\\u00adby``, ``4081\\u200b7733``;
* **ligatures** (U+FB00-FB06) that a PDF's text layer keeps: ``Duf\\ufb01eld``;
* **page and record separators** (form feed, vertical tab, the Unicode line and paragraph
  separators): a page break between a header and the text, read as a line break;
* **OCR look-alikes** in a number: ``4O8l7733``, ``O3/l4/l96l`` (a letter read for a digit inside a
  token that is mostly digits, :func:`ocr_digits`);
* **a hyphen at a line's end** inside a word or a number (``Quen-`` / ``by``, ``4081-`` / ``7733``,
  :func:`line_end_hyphens`);
* **letter spacing**: a PDF's character spacing read as blanks (``Q U E N B Y``,
  :func:`letter_spaced`).

:mod:`ehrnlp.deid.neutral` drops, re-spells or joins these in its views (every character of a view
keeps its offset in the note, so spans map back exactly): the first four in the reading that
replaces the note, the last two in the reading beside it. :func:`path_spans` finds the parts of
file names and paths that carry a patient (``scan_quenby_evadne_2024-03-04.pdf``,
``C:\\Users\\equenby\\...``), read by :class:`ehrnlp.deid.recognizers.ConvertedDocumentRecognizer`.

:func:`stacked_fields` reads a form whose label and value columns a converter read across (``Name:`` /
``DOB:`` / ``MRN:`` lines over their values' lines, ``Name: DOB: MRN:`` over a line of values).

Pure functions over text; no Presidio, no model.
"""

from __future__ import annotations

import re

__all__ = ["INVISIBLE", "LINE_SEPARATORS", "invisible_or_ligature", "ocr_digits", "ocr_letters", "line_end_hyphens", "letter_spaced",
           "path_spans", "expand", "stacked_fields", "banner_spans", "person_mentions", "document_people"]

#: characters inside a word that no reader sees: soft hyphen, zero-width space, non-joiner, joiner, LRM, RLM,
#: word joiner, byte-order mark (zero-width no-break space)
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
#: page and record separators read as a line break (form feed, vertical tab, file / group / record
#: separators, NEL, the Unicode line and paragraph separators)
LINE_SEPARATORS = "\f\v\x1c\x1d\x1e\x85\u2028\u2029"
#: the Latin ligatures of the Alphabetic Presentation Forms block and the letters they stand for
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}


_HIDDEN = re.compile("[" + "".join(sorted(INVISIBLE)) + "\ufb00-\ufb06]")


def invisible_or_ligature(text: str) -> bool:
    """Whether ``text`` holds a character that :func:`expand` drops or spells out."""
    return text.isascii() is False and _HIDDEN.search(text) is not None


def expand(ch: str) -> str:
    """What a reader reads for ``ch``: nothing for an invisible character, the letters of a ligature,
    ``ch`` itself otherwise."""
    if ch in INVISIBLE:
        return ""
    return _LIGATURES.get(ch, ch)


# a token of digits and digit look-alikes (O o for 0, l I i for 1, S s for 5, B b for 8), maybe in parts
# joined by / . - (a date, a grouped number), standing alone (no letter or digit on either side)
_OCR_TOKEN = re.compile(r"(?<![^\W_])(?=[OolLIiSsBb/.-]*\d)[0-9OolLIiSsBb]+(?:[/.-][0-9OolLIiSsBb]+)*(?![^\W_])")
_OCR_MAP = str.maketrans({"O": "0", "o": "0", "l": "1", "L": "1", "I": "1", "i": "1", "S": "5", "s": "5", "B": "8", "b": "8"})


_OCR_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})")


def ocr_digits(text: str) -> list[tuple[int, str]]:
    """``(offset, digit)`` for every look-alike letter to read as a digit: inside a token of six or more
    letters and digits, at least four of them digits, of which one to three are look-alikes and fewer than
    its digits (``4O8l7733``, ``S81O723``), or as many as its digits in a date (``O3/l4/l96l``;
    ``L`` is an upper-cased ``l``). A word (``BIOS``, ``ISO``), a dose (``1500mg``),
    a vitamin (``B12``) or a number with no look-alike is left alone."""
    out: list[tuple[int, str]] = []
    for m in _OCR_TOKEN.finditer(text):
        tok = m.group()
        alnum = sum(c.isalnum() for c in tok)
        digits = sum(c.isdigit() for c in tok)
        alike = alnum - digits
        if alike and _OCR_DATE.fullmatch(tok.translate(_OCR_MAP)) and alike <= digits:
            pass  # a date: "O3/l4/l96l", "s/b/i977" (a reader reads it whole)
        elif not (alnum >= 6 and digits >= 4 and 1 <= alike <= 3 and alike < digits):
            continue
        if alike:
            out.extend((m.start() + k, c.translate(_OCR_MAP)) for k, c in enumerate(tok) if c.isalpha())
    return out


# a word of letters with one or two digits that OCR reads for a letter ("QUENB0", "Qu1nby", "0RLAITH", "0ct"): 0 for O, 1 for l / I,
# 5 for S; letters on both sides of a digit inside the word, or a digit opening a word of three letters or more after it
_OCR_WORD = re.compile(r"(?<![^\W_])(?=[015]?[^\W\d_])[^\W_]*[^\W\d_][015][^\W_]*(?![^\W_])|(?<![^\W_])[015][^\W\d_]{2,}(?![^\W_])")
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec june july".split())
_UNDO_LETTERS = str.maketrans("015", "ols")


def ocr_letters(text: str) -> list[tuple[int, str]]:
    """``(offset, letter)`` for every digit to read as a letter inside a word that OCR read (``QUENB0`` as
    ``QUENBO``, ``Qu1nby`` as ``Qulnby``... ``Quinby`` is a guess no reader makes: ``1`` is read ``l`` in a lower-case
    word, ``I`` in capitals; ``0ct`` as ``Oct``): a word of four letters or more (a month's three) written in one case
    or capitalised, holding one or two of ``0 1 5`` and no other digit. ``HbA1c``, ``SpO2``, ``T1DM``, ``B12``,
    ``COVID19``, ``L5``, a dose or a code with a digit at its end are left alone."""
    out: list[tuple[int, str]] = []
    for m in _OCR_WORD.finditer(text):
        tok = m.group()
        digits = [k for k, c in enumerate(tok) if c.isdigit()]
        letters = "".join(c for c in tok if not c.isdigit())
        if not 1 <= len(digits) <= 2 or any(tok[k] not in "015" for k in digits):
            continue
        if tok[-1].isdigit() and not (tok[-1] == "0" and (letters.isupper() or letters.islower()) and len(letters) >= 5
                                      and len(digits) == 1):
            continue  # a digit closing a word is a code's or a dose's ("ICD10", "x10"), but "QUENB0" in one case
        if len(letters) < 4 and tok.lower().translate(_UNDO_LETTERS) not in _MONTHS:
            continue
        upper = letters.isupper()
        if not (upper or letters.islower() or (letters[:1].isupper() and letters[1:].islower()) or
                (tok[0].isdigit() and letters.islower())):
            continue  # "HbA1c", "SpO2": mixed case inside is a term's, not OCR's
        for k in digits:
            c = tok[k]
            cap = upper or k == 0  # (a word's first letter read as a digit: a name's capital, "0rlaith" as "Orlaith")
            letter = {"0": "O" if upper or k == 0 else "o", "1": "I" if upper else "l", "5": "S" if upper or k == 0 else "s"}[c]
            out.append((m.start() + k, letter if cap or c == "1" else letter.lower()))
    return out


# a hyphen right after a letter or digit at a line's end, the next line opening with a letter or digit
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W_])-[ \t]*\r?\n[ \t]*(?=[^\W_])")


def line_end_hyphens(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, keep_hyphen)`` of every hyphen a line ends with inside a word or a number
    (``Quen-`` / ``by``): the hyphen, the line break and the blanks around it. ``keep_hyphen`` is false
    between two letters with a lower-case one after (a word cut by the wrap: ``Quenby``) and true
    otherwise (a hyphen of the word's own: ``Vasquez-Whitfield``, ``4081-7733``)."""
    out = []
    for m in _LINE_END_HYPHEN.finditer(text):
        before, after = text[m.start() - 1], text[m.end()]
        out.append((m.start(), m.end(), not (before.isalpha() and after.isalpha() and after.islower())))
    return out


# three or more single letters, each after one blank or a line break (a wrap may cut the word; two blanks at
# least), no letter or digit around the run; in a note of inflated spacing, after a run of blanks or tabs
_SPACED = re.compile(r"(?<![^\W_])[^\W\d_](?:(?: |\r?\n)[^\W\d_]){2,}(?![^\W_])")
_SPACED_RUNS = re.compile(r"(?<![^\W_])[^\W\d_](?:[ \t]+[^\W\d_]){2,}(?![^\W_])")


def letter_spaced(text: str, runs: bool = False) -> list[int]:
    """Offsets of the blanks inside letter-spaced words (``Q U E N B Y``: three or more single letters
    each after one blank, or a line break where a wrap cut the word: ``W I N`` / ``I F R E D``), and the blank between such a word and a colon or comma after it (``N A M E :``).
    Words of such a line are parted by two or more blanks, which stay. With
    ``runs`` (a note whose every gap is a run of blanks, where a run tells nothing), the blanks of any
    run between single letters."""
    rx = _SPACED_RUNS if runs else _SPACED
    out: list[int] = []
    for m in rx.finditer(text):
        if m.group().count(" ") + m.group().count("\t") < 2:
            continue  # single letters on lines of their own ("a" / "b" / "c") are a list, not a spaced word
        out.extend(k for k in range(m.start(), m.end()) if text[k] in " \t\r\n")
        if text[m.end():m.end() + 1] == " " and text[m.end() + 1:m.end() + 2] in (":", ",", ";"):
            out.append(m.end())  # the spacing before a mark too ("N A M E :" as "NAME:")
    return out


#: what a document file is called by
_EXTENSIONS = r"pdf|tiff?|jpe?g|png|gif|bmp|heic|docx?|rtf|odt|txt|xlsx?|csv|xml|hl7|dcm|msg|eml|zip"
# a path: a drive, a UNC share, a file URL or a root, then segments parted by \ or /, ending in a file name
_PATH = re.compile(
    rf"(?i)(?:\b[a-z]:[\\/]|\\\\|file:///?(?:[a-z]:/)?|(?<![\w.:/])/(?=[\w.~$-]+/))"
    rf"(?:[^\\/\n\t\"<>|*?]+[\\/])*[^\\/\n\"<>|*?]+?\.(?:{_EXTENSIONS})(?![\w])")
# a user's folder, with or without a file after it (a path a wrap cut: "C:\\Users\\equenby\\Documents\\" / ...)
_USER_FOLDER = re.compile(r"(?i)(?:\b[a-z]:|file:///?(?:[a-z]:)?|~)?[\\/](?:users|home|documents and settings|profiles)[\\/](?P<u>[^\\/\s\"<>|*?]+)")
# a bare file name: no blank inside, one of _ . - or a digit in its stem
_FILE = re.compile(rf"(?i)(?<![\w.\\/-])([\w.,'-]*?[\w])\.(?:{_EXTENSIONS})(?![\w])")
_SEGMENT_SEP = re.compile(r"[\\/]")
#: the folder after which a path names a user (its login)
_USER_DIRS = frozenset({"users", "home", "documents and settings", "profiles"})
#: the words a file's or a folder's name uses for a document, a program or a version, never for a person
#: ("report_final_v2.pdf", "C:\\Program Files\\...", "scan_001.tif"): a name of these words alone carries nobody
_DOC_WORDS = frozenset("""
report reports final draft copy copies scan scans scanned signed unsigned summary discharge dc labs lab results result referral
referrals letter letters consent consents form forms note notes img image images photo photos pic page pages fax faxes ecg ekg echo
mri ct xray cxr us path pathology op operative progress hp rx orders order record records attachment attachments doc docs document
documents file files export exports import imports print printout template templates blank new old rev revised updated v ver version
part backup tmp temp test sample outside wound program programs files microsoft office adobe acrobat reader windows system shared
share public desktop downloads download documents pictures scanner scanners him emr ehr epic cerner clinic clinics hospital data
archive archives inbox outbox sent received incoming outgoing misc other general readme help manual guide policy policies procedure
procedures protocol protocols handout handouts instructions education patient patients visit visits encounter encounters chart
charts imaging radiology cardiology referrals_in referrals_out and of the to for in on at by with
""".split())
# a path a line break cut: its opening (a drive, a UNC share, a file URL, a root and a folder) on a line with no file name at
# its end, and a next line that ends the file name (no separator of a sentence in it)
_PATH_OPENING = re.compile(r"(?i)(?:\b[a-z]:[\\/]|\\\\[\w$.-]|file:///?|(?<![\w.:/])/(?=[\w.~$-]+/))")
_PATH_TAIL = re.compile(rf"(?i)[ \t]*[^\\/\n\"<>|*?:;]{{0,60}}?\.(?:{_EXTENSIONS})(?![\w])")
# a path that ends in a folder ("\\\\server\\share\\Smith, John\\", "/home/jdoe/"): the segments up to its last separator
# a folder named for a person as a list names one: "Smith, John", "SMITH, JOHN A", "smith,john"
_LAST_FIRST_RX = r"[^\W\d_][^\W\d_'’-]+,[ \t]?[^\W\d_][^\W\d_'’-]*(?:[ \t][^\W\d_]\.?)?"
_LAST_FIRST = re.compile(_LAST_FIRST_RX)
# (its last folder maybe with no separator after it: "\\\\server\\share\\Smith, John" ending the line)
_FOLDER_PATH = re.compile(r"(?i)(?:\b[a-z]:[\\/]|\\\\|file:///?(?:[a-z]:/)?)(?:[^\\/\n\t\"<>|*?]+[\\/])+"
                          rf"(?:(?:{_LAST_FIRST_RX}|[^\\/\s\"<>|*?,;()]+)(?![^\W_]))?")


def _plain_part(p: str) -> bool:
    """A part of a file's or a folder's name that carries nobody: a document's word, a version (``v2``,
    ``rev3``), a short number (a page, a counter, a year)."""
    low = p.lower()
    return low in _DOC_WORDS or re.fullmatch(r"(?:v|ver|rev|r)?\d{1,4}[a-z]?", low) is not None


def _stem_carries(stem: str) -> bool:
    """Whether a file name's stem can carry a person: it joins parts by ``_`` ``.`` ``-`` or holds a
    digit (``scan_quenby_evadne``, ``QuenbyE_20240304``; not ``report``, ``ECG``), and not every part is a
    document's word, a version or a short number (``report_final_v2``, ``scan_001``)."""
    return bool(re.search(r"[\d_.-]", stem)) and not _plain_name(stem)


def _plain_name(name: str) -> bool:
    """Every part of a file's or a folder's name is a document's word, a version or a short number."""
    parts = [p for p in re.split(r"[\s_.,'()\[\]~$&+-]+", name) if p]
    return bool(parts) and all(_plain_part(p) for p in parts)


def _unwrapped(text: str) -> str:
    """``text`` with the line break inside a path that a wrap cut read as a blank (same length): the path's
    opening on a line whose rest names no file, the next line ending the file name
    (``\\\\fileserver\\HIM\\Scanned\\QUENBY, EVADNE -`` / ``40817733.pdf``)."""
    if "\n" not in text:
        return text
    chars: list[str] | None = None
    pos = 0
    for line in text.split("\n")[:-1]:
        end = pos + len(line)
        m = _PATH_OPENING.search(text, pos, end)
        if m is not None and not _PATH.search(text[m.start():end]):
            tail = _PATH_TAIL.match(text, end + 1)
            if tail is not None and "\n" not in tail.group():
                if chars is None:
                    chars = list(text)
                chars[end] = " "
                if end > pos and chars[end - 1] == "\r":
                    chars[end - 1] = " "
        pos = end + 1
    return text if chars is None else "".join(chars)


def path_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the parts of file names and paths that carry a patient: a path's file name (its stem,
    the extension kept), the folder after ``Users`` / ``home`` (a login), any folder holding a digit,
    ``_`` or ``.`` (``quenby.evadne``) and a folder named ``Last, First``; a bare file name's stem when it
    joins parts or holds a digit. Names of document words alone (``report_final_v2``, ``Program Files``,
    ``Scanned``) stay, and a path a line break cut is read whole."""
    out: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []
    read = _unwrapped(text)

    def segments(start: int, body: str, file_last: bool) -> None:
        parts: list[tuple[int, int]] = []
        pos = 0
        for sep in _SEGMENT_SEP.finditer(body):
            if sep.start() > pos:
                parts.append((pos, sep.start()))
            pos = sep.end()
        if file_last:
            parts.append((pos, body.rindex(".")))  # the file name's stem
        elif pos < len(body):
            parts.append((pos, len(body)))  # the folder it ends in, no separator after it
        for k, (a, b) in enumerate(parts):
            seg = body[a:b]
            last = k == len(parts) - 1  # the file, or the folder the path points to
            after_user = k > 0 and body[parts[k - 1][0]:parts[k - 1][1]].lower() in _USER_DIRS
            if k == 0 and re.fullmatch(r"[A-Za-z]:|file:", seg):
                continue
            person = _LAST_FIRST.fullmatch(seg.strip(" \t-")) is not None
            if person or after_user or ((last or re.search(r"[\d_.]", seg)) and not _plain_name(seg)):
                s, e = start + a, start + b
                while s < e and text[s] in " \t\r\n,-":
                    s += 1
                while e > s and text[e - 1] in " \t\r\n,-":
                    e -= 1
                if e > s:
                    out.append((s, e))

    for m in _PATH.finditer(read):
        taken.append(m.span())
        segments(m.start(), m.group(), True)
    for m in _FOLDER_PATH.finditer(read):
        if not any(a <= m.start() < b for a, b in taken):
            taken.append(m.span())
            segments(m.start(), m.group(), False)
    out.extend(m.span("u") for m in _USER_FOLDER.finditer(text) if not any(a <= m.start("u") < b for a, b in out))
    for m in _FILE.finditer(text):
        if any(a <= m.start() < b for a, b in taken) or not _stem_carries(m.group(1)):
            continue
        out.append(m.span(1))
    return sorted(set(out))


# a label alone with its colon ("Name:", "DOB:", "Medical record number:")
_LABEL = r"[^\W\d_][\w./' -]{0,30}?[ \t]*[:#]"
_LABEL_LINE = re.compile(rf"[ \t]*(?:{_LABEL}[ \t]*)+")
_ONE_LABEL = re.compile(rf"[ \t]*({_LABEL})[ \t]*")
_VALUE_WORD = re.compile(r"[^\W\d_][^\W\d_'.-]*(?:['.-][^\W\d_]+)*\.?,?")
_TITLES = frozenset({"dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms."})
#: words of a sentence that no name holds: a value line holding one is text, not a form's value
_NOT_NAME_WORDS = frozenset({"the", "a", "an", "and", "or", "of", "to", "with", "for", "in", "on", "at", "is", "was", "no", "not",
                             "none", "unknown", "pending", "n/a", "see", "as", "per", "continue", "patient", "denies"})


def _label_of(cell: str) -> str | None:
    from .layout import COLUMN_LABELS

    return COLUMN_LABELS.get(re.sub(r"\s+", " ", cell.strip().rstrip(":#").strip()).lower())


def _name_value(line: str, base: int, words: int) -> tuple[int, int] | None:
    """The span of a person's name that opens ``line`` (at ``base``): one to ``words`` words of letters
    (a title first, a comma after the surname), up to the first token with a digit; none when the line
    holds a ``:`` (another field) or is no short run of words."""
    if ":" in line:
        return None
    toks = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", line)]
    run: list[tuple[int, int]] = []
    for s, e, w in toks:
        if re.search(r"\d", w) or not _VALUE_WORD.fullmatch(w):
            break
        if not run and w.lower() in _TITLES:
            continue
        run.append((s, e))
    if not run or len(run) > words or line.rstrip().endswith((".", "!", "?")) and not line.rstrip().endswith(" Dr."):
        return None
    names = [line[a:b].rstrip(",.") for a, b in run]
    if any(w.lower() in _NOT_NAME_WORDS for w in names) or (any(w[:1].islower() for w in names) and any(w[:1].isupper() for w in names)):
        return None  # a sentence ("Continue the drops"), not a name
    s, e = run[0][0], run[-1][1]
    while e > s and line[e - 1] in ",.":
        e -= 1
    return base + s, base + e


def stacked_fields(text: str) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` of the values of a form whose columns a converter read across, so that
    labels and values no longer share a line:

    * a run of two or more lines that each hold one label alone (``Name:`` / ``DOB:`` / ``MRN:``),
      followed by as many lines of values: the k-th value line is the k-th label's value (a person's
      label: the name that opens it; a number's or a date's: the line, when it holds a digit);
    * a line of two or more labels alone (``Name: DOB: MRN:``) over a line of values: the name that
      opens that line is the first label's when it is a person's.

    Only labels the table reader knows (:data:`ehrnlp.deid.layout.COLUMN_LABELS`) count."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for ln in text.split("\n"):
        lines.append((pos, ln.rstrip("\r")))
        pos += len(ln) + 1
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(lines):
        labels: list[str] = []
        j = i
        while j < len(lines) and (m := _ONE_LABEL.fullmatch(lines[j][1])) and (lab := _label_of(m.group(1))):
            labels.append(lab)
            j += 1
        if len(labels) >= 2:
            values = [v for v in lines[j:j + len(labels)] if v[1].strip()]
            if len(values) == len(labels):
                for lab, (base, line) in zip(labels, values):
                    if lab == "NAME":
                        span = _name_value(line, base, 5)
                        if span:
                            out.append(("NAME", *span))
                    elif re.search(r"\d", line) and ":" not in line and len(line.strip()) <= 40:
                        s = len(line) - len(line.lstrip())
                        out.append((lab, base + s, base + len(line.rstrip())))
                i = j + len(labels)
                continue
            i = j
            continue
        base, line = lines[i]
        if i + 1 < len(lines) and _LABEL_LINE.fullmatch(line) and line.count(":") + line.count("#") >= 2:
            heads = [_label_of(m.group(1)) for m in _ONE_LABEL.finditer(line)]
            if len(heads) >= 2 and heads[0] == "NAME" and all(h is not None for h in heads):
                span = _name_value(lines[i + 1][1], lines[i + 1][0], 4)
                if span:
                    out.append(("NAME", *span))
        i += 1
    return out


# a name's word, or a letter-spaced one as a PDF's text layer writes it ("Pelarth T a t t e r s a l l" over "DOB ...": the
# note's own reading, where a hard wrap's join in the view may glue the line to the one before it; held-out seed 1249)
_SPACED_WORD = r"[^\W\d_](?:[ ][^\W\d_]){2,}(?![^\W_])"
_NAME_WORD_ONE = rf"(?:{_SPACED_WORD}|[^\W\d_][^\W\d_'’-]*\.?)"
_NAME_WORDS = rf"{_NAME_WORD_ONE}(?:,?[ \t]{{1,2}}{_NAME_WORD_ONE}){{0,3}}"
# a fax subject's words: a run of blanks after the surname's comma is the name's (see _FAX_SUBJECT)
_SUBJECT_WORDS = rf"{_NAME_WORD_ONE}(?:(?:,[ \t]+|[ \t]{{1,2}}){_NAME_WORD_ONE}){{0,3}}"
# (words parted by one blank: a run of blanks ends the field, "FROM: Hesketh Garside  Fax ...")
_NAME_WORDS_TIGHT = r"[^\W\d_][^\W\d_'’-]*\.?(?:,?[ ][^\W\d_][^\W\d_'’-]*\.?){0,3}"
# a page header's or a banner's person: one to four name words (an initial, a comma after the surname) opening
# a line (after "RE:" / "Pt:" / "Patient:" maybe), then a field's separator (a run of blanks, " - ", "|", "(")
# and a record field's label ("Quenby, Evadne  MRN ...", "Evadne Quenby (DOB ...)", "Pt: E. QUENBY | Acct ...")
_BANNER_NAME = re.compile(
    r"(?im)^[ \t]*(?:(?:re|pt|name)[ \t]*:[ \t]*|patient[ \t]*(?::[ \t]*|\t|[ ]{2,}))?"
    rf"(?P<n>{_NAME_WORDS})"
    r"(?=(?:[ \t]{2,}|\t|[ \t]*(?:-|\||\(|,)[ \t]*)(?:dob|d\.o\.b\.|date[ \t]+of[ \t]+birth|mrn|med(?:ical)?[ \t]+rec(?:ord)?|acct|account)\b)")
# a header's person alone on a line over the record fields ("Quenby, Evadne" / "DOB 03/04/1961")
_NAME_OVER_FIELDS = re.compile(
    rf"(?im)^[ \t]*(?P<n>{_NAME_WORDS})[ \t]*\r?\n[ \t]*(?=(?:dob|d\.o\.b\.|date[ \t]+of[ \t]+birth|mrn)\b)")
# a page mark of a fax, a scanner or a printout: "P.002", "Pg 2/5", "page 2 of 5", "p. 2/5"
_PAGE_MARK = r"(?:\bp\.[ \t]*\d{3}\b|\b(?:pg|pp|page|p)\.?[ \t]*\d{1,3}[ \t]*(?:/|of)[ \t]*\d{1,3}\b)"
# a fax banner's subject: "RE: Quenby, Evadne  P.002" (a line with a fax number, FROM: / TO: or a fax page mark); a wrap may
# cut it after the surname's comma ("RE: QUENBY," / "EVADNE  P.003"); a run of blanks after that comma is the name's
# ("RE: QUENBY,     EVADNE"), and one blank before a page mark or a record's label ends it as a run does ("RE: QUENBY,
# EVADNE P.004": the run a note of single blanks, or the layout-neutral reading of a note of runs, does not have)
_FAX_SUBJECT = re.compile(rf"(?im)\bre:[ \t]*(?P<n>{_SUBJECT_WORDS}(?:,[ \t]*\r?\n[ \t]*{_SUBJECT_WORDS})?)"
                          rf"(?=[ \t]{{2,}}|\t|[ \t]*,?[ \t]*\r?$|[ \t]+(?:{_PAGE_MARK}|(?:dob|d\.o\.b\.|mrn|acct)\b))")
#: what an electronic fax service or a fax machine prints on its banner
_FAX_WORDS = r"\b(?:e-?fax|rightfax|fax(?:ed)?|facsimile)\b"
_FAX_LINE = re.compile(rf"(?i){_FAX_WORDS}|\b(?:from|to)[ \t]*:[ \t]*\+?\(?\d|{_PAGE_MARK}")
# a fax banner's sender or recipient named ("FROM: Evadne Quenby  (555) 123-4567", "TO: Dr. Quenby   Fax 555...", "Attn: Quenby"),
# on a fax line: a name's words closing a field (a blank run, a tab, a number, a page mark or the line's end after them)
_FAX_PARTY_NAME = re.compile(
    rf"(?im)\b(?:from|to|attn|attention|sender|recipient|sent[ \t]+by|sent[ \t]+to)[ \t]*:[ \t]*(?:dr\.?[ \t]+)?(?P<n>{_NAME_WORDS_TIGHT})"
    r"(?=[ \t]{2,}|\t|[ \t]*(?:\(|\+?\d|\||-[ \t])|[ \t]*\r?$)")
# a scanner's, a printer's or an export's stamp naming who did it: "Scanned by jdoe on 03/04/2024", "Printed by: Evadne
# Quenby 03/04/2024 10:22", "exported by equenby at 10:22": a login or a name's words before "on" / "at" / a date / the end
_DONE_BY = re.compile(
    rf"(?im)\b(?:scanned|printed|exported|uploaded|imported|indexed|faxed|received|transmitted|saved|filed)[ \t]+by[ \t]*:?[ \t]*"
    rf"(?P<n>[a-z][\w.-]*\d*[a-z\d]|{_NAME_WORDS})(?=[ \t]+(?:on|at)\b|[ \t]*[,;|(]|[ \t]+\d|[ \t]*\r?$)")
# a name written "Last, First" (a middle initial maybe): a page header's person before or after its page mark
_PAGE_LAST_FIRST = r"[^\W\d_][^\W\d_'’-]+,[ \t]*[^\W\d_][^\W\d_'’-]*\.?(?:[ \t]+[^\W\d_]\.?)?"
# a page header's person written "Last, First" before a page mark alone ("Quenby, Evadne     Pg 2/5")
# (or a record field's label: "Quenby, Evadne MRN ..."; one blank is enough after a name so written, as a note of inflated
# spacing reads once its runs are read as one blank)
_NAME_BEFORE_PAGE = re.compile(
    rf"(?im)^[ \t]*(?P<n>{_PAGE_LAST_FIRST})(?=(?:[ \t]+|[ \t]*\|[ \t]*)"
    rf"(?:{_PAGE_MARK}|(?:dob|d\.o\.b\.|mrn|acct|account)\b))")
# a page header's person written "Last, First" after the page mark ("page 2 of 3          farrow, bexethe", "Pg 2/5 | Quenby,
# Evadne"): a run of blanks, a tab, a bar or a dash between them, the field closed by another or the line's end (dev seed 1259)
_NAME_AFTER_PAGE = re.compile(
    rf"(?im){_PAGE_MARK}(?:[ \t]{{2,}}|\t|[ \t]*[|-][ \t]*)"
    rf"(?P<n>{_PAGE_LAST_FIRST})(?=[ \t]{{2,}}|\t|[ \t]*\r?$|[ \t]*\||[ \t]+-[ \t])")
# a banner whose label is followed by one blank only, as the same label in a note of inflated spacing reads once its runs
# are read as one blank ("patient anselm uttley mrn 63577139"): a label of the patient first, a record field's label after
_LABELLED_BANNER = re.compile(
    r"(?im)^[ \t]*(?:patient|pt|name)[ \t]*:?[ \t]+"
    rf"(?P<n>{_NAME_WORDS})"
    r"[ \t]*,?[ \t]+(?=(?:dob|d\.o\.b\.|date[ \t]+of[ \t]+birth|mrn|med(?:ical)?[ \t]+rec(?:ord)?|acct|account)\b)")
# a banner's person parted from its first record field by one blank only ("Torvald Nygaard MRN 4432187", "QUENBY EVADNE
# MRN 4432187 DOB 03/04/1961"): two to four name words opening a line, the field's label and its value after them (a
# digit, maybe after ":" or "#"), the value telling the label from a heading's word (:func:`_one_blank_banner`)
_BANNER_NAME_ONE_BLANK = re.compile(
    rf"(?m)^[ \t]*(?P<n>{_NAME_WORDS_TIGHT})[ ]"
    r"(?=(?i:dob|d\.o\.b\.|mrn|acct|account)[ \t]*[:#]?[ \t]*\d)")
#: words of a line's opening that are no person (a document's own words, labels, function words)
_NOT_BANNER_WORDS = _NOT_NAME_WORDS | frozenset({
    "page", "confidential", "printed", "report", "name", "patient", "pt", "re", "date", "from", "by", "under", "over", "into",
    "after", "before", "labs", "lab", "results", "drawn", "visit", "encounter", "record", "records", "chart", "fax", "mrn",
    "dob", "acct", "account", "sex", "age", "male", "female", "admit", "admission", "discharge", "summary", "note", "progress",
    "history", "physical", "consult", "consultation", "letter", "referral", "order", "orders", "medications", "allergies",
    "clinic", "hospital", "department", "center", "centre", "service", "services", "medicine", "surgery", "unit", "ward",
    "demographics", "information", "info", "details", "identification", "registration", "face", "sheet", "label",
    # who scans, prints or sends a document when no person is named ("scanned by staff on", "printed by request")
    "staff", "system", "user", "admin", "administrator", "mistake", "request", "hand", "accident", "nurse", "nursing", "provider",
    "physician", "doctor", "pharmacy", "front", "desk", "medical", "office", "clerk", "team", "unknown", "default", "automated",
    "auto", "server", "interface", "batch", "scanner", "printer", "machine", "device", "portal", "radiology", "him",
    "transcription", "dictation", "secretary", "reception", "phone", "email", "mail", "courier", "error", "same", "me",
    "us", "them", "her", "you"})
# a fax banner's sender or recipient number ("FROM:5551234567", "TO: (555) 987-6543")
_FAX_PARTY = re.compile(r"(?i)\b(?:from|to)[ \t]*:[ \t]*(?P<n>\+?1?[ .-]?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4})(?!\d)")


#: a record field's label and the start of its value, as a banner line writes them ("MRN 4432187", "DOB: 03/04/1961")
_RECORD_FIELD = re.compile(r"(?i)\b(?:dob|d\.o\.b\.|mrn|acct|account|sex|age|dos|visit|csn|fin|ssn)\b[ \t]*[:#]?[ \t]*\w")


def _one_blank_banner(text: str, m: re.Match[str]) -> bool:
    """:data:`_BANNER_NAME_ONE_BLANK`'s person is two words or more; a line written in one case, where no capital tells a
    name from a heading ("follow up mrn 4432187"), carries a second record field after the first ("torvald nygaard
    mrn 4432187 dob 03/04/1961")."""
    if len(m.group("n").split()) < 2:
        return False
    line = _line_at(text, m.start())
    if line == line.lower() or line == line.upper():
        end = text.find("\n", m.end())
        return len(_RECORD_FIELD.findall(text[m.end("n"):end if end >= 0 else len(text)])) >= 2
    return True


def _initial_at(name: str, w: re.Match[str]) -> bool:
    """The one-letter word ``w`` of a banner's ``name`` is an initial: a full stop after it, or it closes a name written
    "Last, First"."""
    if len(w.group()) != 1:
        return False
    return name[w.end():w.end() + 1] == "." or (w.end() == len(name.rstrip()) and "," in name[:w.start()])


def _line_at(text: str, i: int) -> str:
    end = text.find("\n", i)
    return text[text.rfind("\n", 0, i) + 1:end if end >= 0 else len(text)]


def banner_spans(text: str) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` of the person of a page header or banner (:data:`_BANNER_NAME`), alone on a
    line over a ``DOB`` / ``MRN`` line (:data:`_NAME_OVER_FIELDS`) or of a fax
    banner's ``RE:`` (:data:`_FAX_SUBJECT`, on a line with a fax number or page mark; every word capitalised,
    in capitals, or the line in one case, and none a document's own word) and of a fax banner's sender and
    recipient numbers."""
    out: list[tuple[str, int, int]] = []
    faxed = [m for rx in (_FAX_SUBJECT, _FAX_PARTY_NAME) for m in rx.finditer(text) if _FAX_LINE.search(_line_at(text, m.start()))
             and (rx is _FAX_SUBJECT or len(m.group("n").split()) >= 2 or re.search(r"(?i)dr\.?[ \t]+\Z", text[m.start():m.start("n")]))]
    # (a fax's party is a person by two words or a title: "TO: Cardiology" is a service)
    for m in [*_BANNER_NAME.finditer(text), *faxed, *_NAME_OVER_FIELDS.finditer(text), *_DONE_BY.finditer(text),
              *_NAME_BEFORE_PAGE.finditer(text), *_NAME_AFTER_PAGE.finditer(text), *_LABELLED_BANNER.finditer(text),
              *(m for m in _BANNER_NAME_ONE_BLANK.finditer(text) if _one_blank_banner(text, m))]:
        # (a letter-spaced word read as its letters closed up: "T a t t e r s a l l" is "Tattersall")
        closed = re.sub(_SPACED_WORD, lambda w: w.group().replace(" ", ""), m.group("n"))
        found = list(re.finditer(r"[^\W\d_][^\W\d_'’-]*", closed))
        words = [w.group() for w in found]
        # (an initial is no article: with its full stop, or closing a "Last, First" name: "Pt: A. NUTTALL | Acct ...", dev
        # seed 1289; "PT: NUTTALL, A | ACCT ...")
        if not words or any(w.group().lower() in _NOT_BANNER_WORDS and not _initial_at(closed, w) for w in found):
            continue
        line = _line_at(text, m.start())
        one_case = line == line.lower() or line == line.upper()
        login = m.re is _DONE_BY and re.fullmatch(r"[\w.-]+", m.group("n")) is not None  # a scanner's user: "jdoe", "e.quenby"
        if one_case or login or all(w[0].isupper() for w in words):
            s, e = m.span("n")
            if text[e - 1] == "." and not re.search(r"(?<![^\W_])[^\W\d_]\.$", text[s:e]):
                e -= 1  # a full stop, not an initial's
            out.append(("NAME", s, e))
    out.extend(("PHONE", *m.span("n")) for m in _FAX_PARTY.finditer(text))
    return list(dict.fromkeys(out))  # (one span that two layouts read, once)


#: function words and a note's adverbs that open with any letter and stand before a surname in a sentence ("seen here nygaard")
_FUNCTION_WORDS = frozenset("""
here there then when where what which who whom whose how why while per via today tonight yesterday tomorrow also again still
has had have having his her hers him their them they this that these those its it's was were will would can could should
may might must shall did does done do your you our ours she he we me my mine from into onto upon unto than thus hence
called call calls asked ask tell told spoke spoken seen see saw met meet ask per dear hi hello thanks thank sincerely
""".split())
_PERSON_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _person_words(name: str) -> list[str]:
    """The words of a person a path's part or a banner gives (``yshivar, clemency - 4473432`` -> yshivar,
    clemency; ``c. fifield`` -> c, fifield), lower case, without a document's words and an extension."""
    return [w.lower() for w in _PERSON_WORD.findall(name)
            if w.lower() not in _DOC_WORDS and w.lower() not in _NOT_BANNER_WORDS and not re.fullmatch(_EXTENSIONS, w.lower())]


def person_mentions(text: str, people: list[str]) -> list[tuple[int, int]]:
    """Spans where the note writes again a person that a page header, a fax banner, a form read across or
    a file's name gave (``people``: the text of each), as a reader knows them: two of the person's words side by side,
    in either order and any case (``Clemency Griffin`` after ``/scans/griffin.clemency/``; ``clemency yshivar``
    after ``...\\yshivar, clemency - 4473432.pdf``), or a word opening with the person's initial right before the
    surname (``clemency fifield`` after ``pt: c. fifield``). Whatever the words are (a given name that is an English
    word too: "Clemency", "Hope"), the pair is the person's."""
    out: list[tuple[int, int]] = []
    seen: set[tuple[str, ...]] = set()
    for person in people:
        words = _person_words(person)
        key = tuple(sorted(set(words)))
        if len(key) < 2 or key in seen:
            continue
        seen.add(key)
        full = sorted({w for w in words if len(w) >= 2}, key=len, reverse=True)
        initials = {w for w in words if len(w) == 1}
        if len(full) >= 2:
            alt = "|".join(re.escape(w) for w in full)
            rx = re.compile(rf"(?i)(?<![^\W_])(?P<a>{alt})(?:[ \t]*,)?[ \t]+(?P<b>{alt})(?![^\W_])")
            out.extend(m.span() for m in rx.finditer(text) if m.group("a").lower() != m.group("b").lower())
        for sur in full if initials else []:
            rx = re.compile(rf"(?i)(?<![^\W_])(?P<g>[^\W\d_]{{2,}})[ \t]+(?P<s>{re.escape(sur)})(?![^\W_])")
            for m in rx.finditer(text):
                g = m.group("g")
                if (g[0].lower() in initials and len(g) >= 3 and g.lower() not in _NOT_BANNER_WORDS and g.lower() not in _FUNCTION_WORDS
                        and g.lower() not in full):
                    out.append(m.span())
    return out


def document_people(text: str) -> list[str]:
    """The people a note's page headers, fax banners and file names give (the text of each: a banner's name, a
    path's part), for :func:`person_mentions`."""
    people = [text[a:b] for label, a, b in banner_spans(text) if label == "NAME"]
    people += [text[a:b] for a, b in path_spans(text)] if "." in text or "\\" in text or "/" in text else []
    return people
