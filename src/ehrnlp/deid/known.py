"""Known patient PHI: the note's own patient's names, identifiers, birth date, address and
telecom (a :class:`~ehrnlp.model.KnownPhi`, usually from the FHIR Patient resource), found
exactly in the text and removed whatever the other detectors and filters think.

Variants (all case-insensitive, Unicode word boundaries, offsets of the input text):

* names: every name part alone (>= 2 letters), with the digits Synthea appends or without
  ("Sumiko254" and "Sumiko"), "First Last", "First Middle Last", "Last, First", "F. Last",
  "First L.", "Last, F.", initials ("S. M.", "S.L.M."; two or more); a title from the
  resource ("Mrs. Medhurst46") is taken into the span. Titles alone are never names.
* identifiers (>= 4 letters or digits): as written, and with any separators (space, dash,
  dot, slash) between the characters or none ("999-94-5397", "999 94 5397", "999945397").
* birth date: 1961-05-02, 1961/05/02, 05/02/1961, 5/2/1961, 05-02-1961, 5-2-1961, 05/02/61,
  5/2/61, 05.02.1961, "May 2, 1961", "May 2nd 1961", "2 May 1961", "Mon. 2, 1961" (and
  day-first 02/05/1961).
* addresses: each line (blanks and a trailing "." flexible, street suffixes written out or
  abbreviated), the city, the postal code (and the 5-digit ZIP of a ZIP+4).
* telecom: e-mail addresses exactly; phone numbers by their digits, any separators between
  them, with or without a leading country code 1.

A very common word that is this patient's name ("Will", "Hope", "May") is removed too,
everywhere in the note: known PHI is certain, so recall wins over readability here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import KnownPhi
from . import ids
from .postprocess import _Hit

__all__ = ["KNOWN_SCORE", "known_phi_hits"]

#: the score of a known-PHI hit (above every detector, so it wins the merge)
KNOWN_SCORE = 1.0

_TITLES = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "jr", "sr", "ii", "iii", "iv", "md", "do", "phd", "rn", "np", "pa"])
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\d*|\d+")
_SEP = r"[\s\-./]?"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_STREET = {
    "street": "st", "avenue": "ave", "road": "rd", "drive": "dr", "lane": "ln", "boulevard": "blvd",
    "court": "ct", "place": "pl", "suite": "ste", "apartment": "apt", "terrace": "ter", "highway": "hwy",
    "parkway": "pkwy", "circle": "cir", "square": "sq", "north": "n", "south": "s", "east": "e", "west": "w",
}
_STREET_REV = {v: k for k, v in _STREET.items()}


def _part(word: str) -> str | None:
    """A regex for one name part: its letters, with any trailing digits ("Sumiko254" ->
    ``Sumiko\\d*``), or None when it has under 2 letters or is a title."""
    letters = re.sub(r"\d+", "", word).strip(".")
    if sum(c.isalpha() for c in letters) < 2 or letters.lower() in _TITLES:
        return None
    return re.escape(letters) + r"\d*"


def _initial(word: str) -> str | None:
    letters = re.sub(r"[\d.]+", "", word)
    if not letters or not letters[0].isalpha() or letters.lower() in _TITLES:
        return None
    return re.escape(letters[0]) + r"\."


_GAP = r"\s{1,3}"


def _name_variants(name: str) -> list[str]:
    if "," in name:
        family_s, _, given_s = name.partition(",")
        family_w, given_w = _WORD.findall(family_s), _WORD.findall(given_s)
    else:
        words = _WORD.findall(name)
        family_w, given_w = words[-1:], words[:-1]
    title = None
    if given_w and given_w[0].lower().rstrip(".") in _TITLES:
        title, given_w = given_w[0], given_w[1:]
    while given_w and given_w[-1].lower() in _TITLES:  # suffixes
        given_w = given_w[:-1]
    parts = [p for p in (_part(w) for w in [*given_w, *family_w]) if p]
    out = list(parts)  # each part alone
    fam = [p for p in (_part(w) for w in family_w) if p]
    giv = [p for p in (_part(w) for w in given_w) if p]
    fam_s = _GAP.join(fam)
    if title and fam_s:
        out.append(re.escape(title.rstrip(".")) + r"\.?" + _GAP + fam_s)
    if giv and fam_s:
        first = giv[0]
        ini = [i for i in (_initial(w) for w in given_w) if i]
        out += [
            _GAP.join(giv) + _GAP + fam_s,  # First Middle Last
            first + _GAP + fam_s,  # First Last
            fam_s + r",\s{0,3}" + _GAP.join(giv),  # Last, First Middle
            fam_s + r",\s{0,3}" + first,  # Last, First
        ]
        if ini:
            out += [
                ini[0] + r"\s{0,3}" + fam_s,  # F. Last
                r"\s{0,3}".join(ini) + r"\s{0,3}" + fam_s,  # F. M. Last
                first + _GAP + fam_ini if (fam_ini := _initial(family_w[0])) else first,  # First L.
                fam_s + r",\s{0,3}" + ini[0],  # Last, F.
            ]
            all_ini = ini + [i for i in (_initial(w) for w in family_w) if i]
            if len(all_ini) >= 2:
                out.append(r"\s?".join(all_ini))  # S. M. / S.L.M.
    return out


def _ident_variant(value: str) -> str | None:
    core = re.sub(r"[\s\-./]+", "", value)
    if sum(c.isalnum() for c in core) < 4:
        return None
    head = r"(?<!\d)" if core[0].isdigit() else r"(?<![^\W_])"
    tail = r"(?!\d)" if core[-1].isdigit() else r"(?![^\W_])"
    return head + _SEP.join(re.escape(c) for c in core) + tail


def _date_variants(iso: str) -> list[str]:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    if not m:
        return []
    y, mo, d = m.groups()
    yy, mi, di = y[2:], int(mo), int(d)
    if not 1 <= mi <= 12:
        return []
    mon = _MONTHS[mi - 1]
    mon_rx = "(?:" + re.escape(mon) + "|" + re.escape(mon[:3]) + ("t" if mi == 9 else "") + r"\.?" + ("|Sep\\.?" if mi == 9 else "") + ")"
    m_rx, d_rx = f"0?{mi}", f"0?{di}"
    day_w = f"0?{di}(?:st|nd|rd|th)?"
    v = [
        f"{y}[-/.]{mo}[-/.]{d}",
        f"{m_rx}[-/.]{d_rx}[-/.](?:{y}|{yy})",  # 05/02/1961 5-2-61
        f"{d_rx}[-/.]{m_rx}[-/.](?:{y}|{yy})",  # 02/05/1961 (day first)
        f"{mon_rx}\\s{{1,2}}{day_w},?\\s{{1,2}}{y}",  # May 2, 1961
        f"{day_w}\\s{{1,2}}(?:of\\s)?{mon_rx},?\\s{{1,2}}{y}",  # 2 May 1961
    ]
    return [r"(?<!\d)(?:" + x + r")(?!\d)" for x in v]


def _address_variant(line: str) -> str | None:
    if re.fullmatch(r"\d{5}(?:-\d{4})?", line):
        return r"(?<!\d)" + line[:5] + r"(?:-\d{4})?(?!\d)"
    words = re.findall(r"[^\W_]+(?:['’-][^\W_]+)*|#", line)
    if not words or sum(c.isalnum() for c in line) < 3:
        return None
    pieces = []
    for w in words:
        low = w.lower()
        alts = {re.escape(w)}
        if low in _STREET:
            alts.add(re.escape(_STREET[low]))
        if low in _STREET_REV:
            alts.add(re.escape(_STREET_REV[low]))
        pieces.append("(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")\.?")
    body = r"[\s,]{1,3}".join(pieces)
    return r"(?<![^\W_])" + body + r"(?![^\W_])"


def _telecom_variant(value: str) -> tuple[str, str] | None:
    value = value.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if "@" in value:
        return "EMAIL", r"(?<![\w.+-])" + re.escape(value) + r"(?![\w-])"
    if value.lower().startswith("tel:"):
        value = value[4:]
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return None
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    sep = r"[\s\-.()]{0,3}"
    return "PHONE", r"(?<!\d)(?:\+?1" + sep + r")?\(?" + sep.join(digits) + r"(?!\d)"


@lru_cache(maxsize=256)
def _compiled(kp: KnownPhi) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(label, case-insensitive pattern) for every variant of ``kp``."""
    by_label: dict[str, list[str]] = {}

    def add(label: str, rx: str | None) -> None:
        if rx and rx not in by_label.setdefault(label, []):
            by_label[label].append(rx)

    for name in kp.names:
        for rx in _name_variants(name):
            add("NAME", r"(?<![^\W_])" + rx + r"(?![^\W_])" if not rx.endswith(r"\.") else r"(?<![^\W_])" + rx)
    for ident in kp.identifiers:
        add("ID", _ident_variant(ident))
    if kp.birth_date:
        for rx in _date_variants(kp.birth_date):
            add("DATE", rx)
    for a in kp.addresses:
        add("LOCATION", _address_variant(a))
    for t in kp.telecom:
        tv = _telecom_variant(t)
        if tv:
            add(*tv)
    # one pattern per variant: every variant's matches are kept, and overlapping ones
    # ("Zebulon" inside "Zebulon Q.") are united by the stage's merge
    out = [(label, re.compile(rx, re.IGNORECASE)) for label, rxs in by_label.items() for rx in rxs]
    return tuple(out)


def known_phi_hits(text: str, kp: KnownPhi | None) -> list[_Hit]:
    """Every occurrence in ``text`` of the known PHI ``kp``; they may overlap (the stage
    merges them with the other hits)."""
    if not kp or not text:
        return []
    hits: list[_Hit] = []
    for label, rx in _compiled(kp):
        for m in rx.finditer(text):
            if m.end() > m.start():
                hits.append(_Hit(label, m.start(), m.end(), KNOWN_SCORE, f"{ids.KNOWN_PHI}:{label.lower()}"))
    return hits
