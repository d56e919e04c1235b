"""Regular expressions for PHI as it appears in clinical notes (no Presidio imports here).

Each :class:`PhiPattern` finds one PHI type; ``group`` names the regex group that is the
PHI (so context words such as ``Dr.`` or ``MRN:`` can be part of the pattern without
being redacted). ``validate`` rejects a match after the fact (impossible dates, ages
under 90). Patterns are table-tested in ``tests/unit/test_deid_patterns.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from re import Pattern

__all__ = ["PhiPattern", "PATTERNS", "MONTHS", "month_number", "eponym_spans"]


@dataclass(frozen=True)
class PhiPattern:
    name: str
    label: str
    regex: Pattern[str]
    score: float
    group: int | str = 0
    validate: Callable[[re.Match[str]], bool] | None = None


MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}


def month_number(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


#: US state and territory codes (postal), as a regex alternation
US_STATES = "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"

_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|"
    r"JAN(?:UARY)?|FEB(?:RUARY)?|MARCH|APR(?:IL)?|JUNE|JULY|AUG(?:UST)?|SEPT(?:EMBER)?|OCTOBER|NOV(?:EMBER)?|DECEMBER)\.?"
)
# any case, only where a day number or a year sits next to it ("may 24, 1935", "19-feb-2025")
_MON_ANY = r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
# upper-case three-letter months are only dates with a day and a year (14-OCT-2019): OCT is a scan
_MON_UP3 = r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
_MON_FULL = r"(?:January|February|March|April|June|July|August|September|October|November|December)"
_ORD = r"(?:st|nd|rd|th)"
#: holidays, a day of the year (twentieth session): capitalised after a preposition of time, any case before a year
_HOLIDAY_WORDS = (r"christmas(?:[ ](?:day|eve))?|new[ ]year['’]?s(?:[ ](?:day|eve))?|thanksgiving(?:[ ]day)?|easter(?:[ ]sunday)?|"
                  r"halloween|independence[ ]day|(?:fourth|4th)[ ]of[ ]july|memorial[ ]day|labor[ ]day|valentine['’]?s[ ]day|"
                  r"mother['’]?s[ ]day|father['’]?s[ ]day|veterans[ ]day|hanukkah|ramadan|diwali|passover|yom[ ]kippur|rosh[ ]hashanah")
_HOLIDAY_ANY = rf"(?i:{_HOLIDAY_WORDS})"
_B = r"(?<![\w/])(?<!\d[.-])"  # left boundary: not inside a number, word or another date
_E = r"(?![\w/]|\.\d|-\d)"  # right boundary

# A capitalised name word: Smith, O'Brien, McDonald, MacPherson, Smith-Jones; or SMITH (all caps)
_UP = "A-ZÀ-ÖØ-ÞŁŚŹŻĆŃŘŠŽČĎŤŇŐŰ"
_LO = "a-zß-öø-ÿłśźżćńřšžčďťňőűąęě"
_TW = rf"(?:[{_UP}]['’][{_UP}][{_LO}]+|[{_UP}][{_LO}]+(?:[{_UP}][{_LO}]+)?(?:['’-][{_UP}]?[{_LO}]+)*)(?![\w'’])"
_UW = r"(?:[A-Z]['’][A-Z]{2,}|[A-Z]{2,}(?:['’-][A-Z]{2,})*)(?![\w'’])"
_NW = rf"(?:{_TW}|{_UW})"
_INI = r"(?:[A-Z]\.|[A-Z](?![\w'’]))"
# a name word in any case and any script (letters, inner apostrophes and hyphens)
_AW = r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*(?![\w'’])"
# a word of a non-Latin script (Greek needs 3 letters: single Greek letters are clinical, "TNF-α")
_SCRIPT_WORD = (
    r"(?:[\u0400-\u052F]{2,}|[\u0370-\u03FF\u1F00-\u1FFF]{3,}|[\u0590-\u05FF]{2,}|[\u0600-\u06FF\u0750-\u077F]{2,}|"
    r"[\u0900-\u0DFF]{2,}|[\u0E00-\u0E7F]{2,}|[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF]+|[\u1100-\u11FF\uAC00-\uD7AF]+)"
)
# one to four name words / initials separated by single blanks: "John A. Smith", "J. Smith", "SMITH JOHN"
# surname particles inside a name ("Jean-Luc Van der Berg", "Maria de la Cruz", "bin Rashid")
_PART = r"(?:van|von|der|den|de|del|della|di|da|du|la|le|ter|bin|ibn|al|el|dos|das|VAN|VON|DER|DE|DEL|LA|DI|DA)"
# one blank, or a line break of a hard wrap (a fax or a printout fills its lines to 40-70 columns) with its blanks
_WG = r"(?:[ ]|[ \t]*\r?\n[ \t]*)"
_NAME = rf"(?:(?:{_TW}|{_INI})(?: (?:{_PART} ){{0,2}}(?:{_TW}|{_INI})){{0,3}}|{_UW}(?: (?:{_PART} ){{0,2}}(?:{_UW}|{_INI})){{0,3}})"
_TNAME = rf"(?:(?:{_TW}|{_INI})(?: (?:{_PART} ){{0,2}}(?:{_TW}|{_INI})){{0,3}})"
# "Smith, John" / "SMITH, JOHN A"
_LAST_FIRST = rf"(?:{_TW}[ ]{{0,2}}, ?{_TW}(?: {_INI})?|{_UW}[ ]{{0,2}}, ?{_UW}(?: {_INI})?)"  # (a blank before the comma: "TATTERSALL , CLEMENCY")
# credentials that are unambiguous after a name ...
_CREDS = (
    r"(?:M\.D\.|MD|Ph\.?D\.?|FNP(?:-BC|-C)?|ANP|APRN|CNM|CRNA|PA-C|COT|COA|COMT|LPN|LVN|MSW|LCSW|PharmD|DPM|DDS|DMD|MBBS|"
    r"FACS|FACP|FAAO|MPH|BSN|MSN|DNP|DPT|OTR)"
)
# ... and those that are also clinical abbreviations (OD = right eye, PT, MS, DO): only after a comma
_WEAK_CREDS = r"(?:D\.O\.|DO|O\.D\.|OD|RN|R\.N\.|NP|PA|PT|MS|RD|CO)"

_DATE_CUE_BEFORE = re.compile(r"(?i:\b(?:on|dob|d\.o\.b\.?|dated?|seen|since|from|until|born|admitted|discharged|visit|dos|"
                              r"birth|of[ \t]+birth))[ \t]*[:#-]?[ \t]*\Z")


def _valid_mdy(m: re.Match[str]) -> bool:
    month, day = int(m.group("m")), int(m.group("d"))
    if 13 <= month <= 31 and 1 <= day <= 12:
        # day first, as most of the world writes a date: "14/03/1961", "25.12.2019" (nineteenth session: a date
        # whose day is 13 or more was read as no date at all); a year of four digits, or a dot as separator
        # (a two-digit year with slashes only after a date's cue: "seen on 25/12/19"; "ROM 15/10/20" is three values)
        return len(m.group("y")) == 4 or m.group("s") == "." or _DATE_CUE_BEFORE.search(m.string, max(0, m.start() - 24), m.start()) is not None
    return 1 <= month <= 12 and 1 <= day <= 31


def _valid_dmy_num(m: re.Match[str]) -> bool:
    return 1 <= int(m.group("d")) <= 31


def _valid_my(m: re.Match[str]) -> bool:
    year = int(m.group("y"))
    return 1 <= int(m.group("m")) <= 12 and 1900 <= year <= 2100


def _valid_iso(m: re.Match[str]) -> bool:
    return 1 <= int(m.group("m")) <= 12 and 1 <= int(m.group("d")) <= 31 and 1900 <= int(m.group("y")) <= 2100


#: an age from 90 to 125 written in words ("ninety", "ninety-two", "ninety two", "one hundred and one", "a hundred")
_UNIT_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_AGE_WORDS = (rf"(?:ninety(?:[ \t]*-[ \t]*|[ \t]+)?{_UNIT_WORDS}?|(?:one|a)[ \t]+hundred(?:[ \t]+(?:and[ \t]+)?"
              rf"(?:{_UNIT_WORDS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[ \t]*-[ \t]*|[ \t]+){_UNIT_WORDS}?))?)")


#: a temperature's cue right before a number ("Tmax 101F", "fever to 102F", "T: 99F")
_TEMP_BEFORE = re.compile(r"(?i:\b(?:t|tmax|temp|temperature|fever|febrile|pyrexia|bp|hr|pulse|rr|sats?|spo2|o2)\b[^\n]{0,8}|\b(?:to|of|at|up)[ ])[ \t]*\Z")


def _valid_age(m: re.Match[str]) -> bool:
    return 90 <= int(m.group("age")) <= 125


def _time_schedule(s: str) -> bool:
    """Groups of four digits parted by blanks that are all times of day on the quarter hour ("0730 1130 1730 2130": a
    schedule of doses, no card or record number)."""
    groups = s.split()
    return len(groups) >= 2 and all(len(g) == 4 and g.isdigit() and int(g[:2]) < 24 and g[2:] in ("00", "15", "30", "45")
                                    for g in groups)


def _has_digit(m: re.Match[str]) -> bool:
    return any(c.isdigit() for c in m.group("id"))


# letter prefixes of things that are no identifiers: SNP, trial, article and code ids, times of day
_NOT_ID_PREFIX = frozenset({"hr", "hrs", "am", "pm", "rs", "nct", "pmid", "doi", "iso", "cpt", "icd", "nda", "anda", "ndc", "bla"})


def _plausible_alnum_id(token: str) -> bool:
    """"AB-123456", "ABCD1234": yes; "x1000" (times), "FY2024" (a year), "q4h": no."""
    m = re.match(r"([A-Za-z]+)-?(\d+)", token)
    if m is None:
        return False
    letters, digits = m.group(1).lower(), m.group(2)
    if letters in _NOT_ID_PREFIX and len(digits) < 6:
        return False  # "HR 72", "PMID 1234" (but "HR-375475" is an identifier: no rate or reference has six digits)
    if len(digits) == 4 and re.fullmatch(r"(?:19|20)\d\d", digits) and len(letters) <= 3:
        return False  # "FY2024", "Q2024", "EU2020": a year, not an identifier
    if len(letters) == 1 and len(digits) < 6:
        return False  # "N1577", "T1234": clone, catalogue and lot numbers
    return True


#: words that open a sentence and are no name (after a title that closed a line: "Mr.\nIs the dose right?")
_OPENER = (r"(?i:is|are|was|were|the|a|an|he|she|it|they|we|i|you|this|that|these|those|there|his|her|their|our|my|and|but|or|"
           r"in|on|at|to|of|for|with|no|not|has|had|have|will|can|may|please|if|when|then|also|after|before|patient|pt)(?![\w'’-])")


def _c(p: str, flags: int = 0) -> Pattern[str]:
    return re.compile(p, flags)


PATTERNS: tuple[PhiPattern, ...] = (
    # ---------------------------------------------------------------- dates
    PhiPattern("date_mdy", "DATE", _c(rf"{_B}(?P<m>\d{{1,2}})(?P<s>[/.-])(?P<d>\d{{1,2}})(?P=s)(?P<y>\d{{4}}|\d{{2}}){_E}"), 0.9, validate=_valid_mdy),
    # a year first with dots or slashes: "2019.12.25", "2019/12/25"
    PhiPattern("date_ymd", "DATE", _c(rf"{_B}(?P<y>(?:19|20)\d{{2}})(?P<s>[/.])(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}}){_E}"), 0.85, validate=_valid_iso),
    PhiPattern("date_iso", "DATE", _c(rf"{_B}(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?:[T ]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?{_E}"), 0.9, validate=_valid_iso),
    PhiPattern("date_my", "DATE", _c(rf"{_B}(?P<m>\d{{1,2}})/(?P<y>\d{{4}}){_E}"), 0.75, validate=_valid_my),
    # 14-Mar-2019, 14 Mar 2019, 14th of March 2019, 14 March
    PhiPattern("date_dmy_text", "DATE", _c(rf"\b(?P<d>\d{{1,2}}){_ORD}?(?:[ -]|\s+of\s+)(?P<mon>{_MON})(?:[ ,-]+(?P<y>\d{{4}}|'?\d{{2}}))?\b(?![/:]\d)"), 0.85, validate=_valid_dmy_num),
    PhiPattern("date_dmy_any_case", "DATE", _c(rf"\b(?P<d>\d{{1,2}}){_ORD}?(?P<s>[ -])(?P<mon>{_MON_ANY})(?P=s)(?P<y>\d{{4}})\b(?![/:]\d)"), 0.85, validate=_valid_dmy_num),
    PhiPattern("date_mdy_any_case", "DATE", _c(rf"\b(?P<mon>{_MON_ANY})[ ]+(?P<d>\d{{1,2}}){_ORD}?,?[ ]+(?P<y>\d{{4}})\b(?![/:.]\d)"), 0.85, validate=_valid_dmy_num),
    PhiPattern("date_dmy_upper", "DATE", _c(rf"\b(?P<d>\d{{1,2}})(?P<s>[ -])(?P<mon>{_MON_UP3})(?P=s)(?P<y>\d{{4}}|\d{{2}})\b"), 0.85, validate=_valid_dmy_num),
    # March 14th, 2019 / Mar 14 2019 / March 14
    PhiPattern("date_mdy_text", "DATE", _c(rf"\b(?P<mon>{_MON})[ ]+(?P<d>\d{{1,2}}){_ORD}?(?:,?[ ]+(?P<y>\d{{4}}))?\b(?![/:.]\d)"), 0.85, validate=_valid_dmy_num),
    # March 2019 / Mar. 2019 / March of 2019
    PhiPattern("date_month_year", "DATE", _c(rf"\b(?P<mon>{_MON})(?:,|\s+of)?[ ]+(?P<y>(?:19|20)\d{{2}})\b"), 0.85),
    # the same in any case, and a year cut to two digits after an apostrophe ("sept 2021", "DOB Jan '31", "MARCH '19"),
    # and a year and a month as ISO writes them ("2019-03"; a month of 10-12 only after a date's cue: "2010-12" may be a
    # range of years);
    # twentieth session, found by probing: a lower-case "may" only after a word that makes it a month ("in may 2021")
    PhiPattern("date_month_year_any_case", "DATE",
               _c(rf"(?<![\w'’])(?P<mon>{_MON_ANY})(?:,|\s+of)?[ ]+(?P<y>(?:19|20)\d{{2}}|['’]\d{{2}})(?![\w'’]|[.,/]\d)"), 0.8,
               validate=lambda m: m.group("mon") != "may" or bool(re.search(
                   r"(?i)\b(?:in|since|of|from|until|till|by|last|early|late|mid|during|before|after|on|through)[ ]+$",
                   m.string[max(0, m.start() - 12):m.start()]))),
    PhiPattern("date_ym_iso", "DATE", _c(rf"{_B}(?P<y>(?:19|20)\d{{2}})-(?P<m>0[1-9]|1[0-2])(?![\w/]|[.-]\d)"), 0.7,
               validate=lambda m: m.group("m").startswith("0") or re.search(
                   r"(?i)\b(?:seen|on|since|dated?:?|in|date:)[ ]+$", m.string[max(0, m.start() - 10):m.start()]) is not None),
    # a holiday with its year, or after a preposition of time: a day of the year ("fell on Christmas Day 2019", "since
    # Thanksgiving"; i2b2 annotates holidays as dates)
    PhiPattern("date_holiday", "DATE",
               _c(rf"\b(?i:on|since|after|before|over|until|till|around|by|from|during|near)[ ](?:(?i:the)[ ])?(?P<h>{_HOLIDAY_ANY})(?![\w'’-])"),
               0.7, group="h", validate=lambda m: m.group("h")[:1].isupper()),
    PhiPattern("date_holiday_year", "DATE", _c(rf"(?<![\w'’])(?P<h>{_HOLIDAY_ANY}(?:,[ ]*|[ ]+)(?:19|20)\d\d)(?![\w'’-])"), 0.75, group="h"),
    # month/day without a year, only after a date cue ("seen 3/14", "since 12/2"): bare 12/15 is often an IOP pair
    PhiPattern("date_md_cue", "DATE", _c(r"\b(?:[Oo]n|[Ss]ince|[Ff]rom|[Uu]ntil|[Tt]hrough|[Tt]hru|[Dd]ated|[Aa]s of|DOS:?|[Ss]een|[Vv]isit(?: on)?|[Ss]urgery(?: on)?|[Ll]ast seen|[Rr]eturned?|LMP:?|EDD:?|EDC:?|DOI:?|DOD:?|(?i:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?:day)?\.?,?|(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?|(?i:admitted|admit(?:ted)?[ ]on|discharged|d/c'?d|transferred|started|stopped|held|resumed|restarted|scheduled|due|drawn|collected|performed|done)(?:[ ]on)?)\s+(?P<d>(?P<m>\d{1,2})/(?P<dd>\d{1,2}))(?![/\d-]|\s+(?i:of)\b)"), 0.7, group="d", validate=lambda m: 1 <= int(m.group("m")) <= 12 and 1 <= int(m.group("dd")) <= 31),
    # "on the 14th", "the 3rd of"
    PhiPattern("date_ordinal_day", "DATE", _c(rf"\b(?:on|since|until|by|from|before|after)\s+the\s+(?P<d>[1-3]?\d{_ORD})\b(?!\s+(?:percentile|grade|day|week|month|year|cycle|dose|visit|time|cranial|nerve|rib|toe|finger|digit|of\s+(?:\d|the\s+month)))"
                                           # a noun right after it makes it a count, not a day ("the 2nd injection", "the 13th hospital day")
                                           r"(?![ \t]+(?!(?:of|and|or|at|in|on|to|when|while|we|he|she|they|it|through|until|with|for|was|were|is|"
                                           r"had|has|the|from|but|so|if|as|after|before|her|his)\b)[a-z])", re.I), 0.7, group="d"),
    # a full month name on its own (May excluded: modal verb)
    PhiPattern("date_month", "DATE", _c(rf"\b{_MON_FULL}\b"), 0.6),
    # a month, a hyphen or a slash, a day and a four-digit year ("Mar-14-1961", "mar/14/1961"), and a day, a month
    # and a year written together ("14MAR1961", "14mar61" in a field; nineteenth session)
    PhiPattern("date_mon_num", "DATE", _c(rf"\b(?P<mon>{_MON_ANY})(?P<s>[-/])(?P<d>\d{{1,2}})(?P=s)(?P<y>\d{{4}})\b(?![/:.-]\d)"), 0.85,
               validate=_valid_dmy_num),
    PhiPattern("date_compact_mon", "DATE", _c(rf"(?<![\w])(?P<d>\d{{1,2}})(?P<mon>{_MON_ANY})(?P<y>(?:19|20)\d{{2}}|\d{{2}})(?![\w])"), 0.8,
               validate=lambda m: 1 <= int(m.group("d")) <= 31 and not m.group("mon").endswith(".")),
    # a month, "the", and its day ("March the 14th, 2019", "on May the 3rd")
    PhiPattern("date_mon_the_day", "DATE", _c(rf"\b(?P<mon>{_MON})[ ]+the[ ]+(?P<d>[1-3]?\d){_ORD}(?:,?[ ]+(?P<y>\d{{4}}))?\b"), 0.8,
               validate=_valid_dmy_num),
    # --------------------------------------------------------------- ages > 89
    PhiPattern("age_over_89", "AGE", _c(r"\b(?P<age>(?:9\d|1[01]\d|12[0-5]))(?=\s*(?:-|\s)?\s*(?:y\.?\s?o\.?\b|yo\b|y/o\b|yrs?\b|years?\b|-years?\b|year-old|years-old|-year-old))", re.I), 0.9, group="age", validate=_valid_age),
    # (an infant's age in days, weeks or months is no age over 89: "aged 90 days")
    # an age over 89 and a sex written together, as a note's first line shortens them ("93F with CHF", "96M, lives
    # alone", "94 yo F"); no temperature ("Tmax 101F", "T 99F", "fever to 102F")
    PhiPattern("age_over_89_sex", "AGE", _c(r"(?<![\w.])(?P<age>9\d|1[01]\d|12[0-5])(?:[ ]?[FM]|[fm]|[ ]f(?=[ ]with\b))\b"
                                            r"(?=[ ,]+(?i:with|w/|who|presenting|presents|pmh|hx|h/o|s/p|admitted|here|lives|living|is|was|transferred|brought|from|patient|pt)\b)"),
               0.8, group="age", validate=lambda m: _valid_age(m) and _TEMP_BEFORE.search(m.string, max(0, m.start() - 16), m.start()) is None),
    PhiPattern("age_over_89_label", "AGE", _c(r"\b(?:age[ds]?|aged)\s*:?\s*(?P<age>(?:9\d|1[01]\d|12[0-5]))\b"
                                              r"(?![ \t]*(?:-[ \t]*)?(?:days?|d|weeks?|wks?|months?|mos?)\b)", re.I), 0.85, group="age", validate=_valid_age),
    # an age over 89 in words: "ninety-two year old", "aged ninety one", "Age: one hundred and one", "a ninety-year-old"
    PhiPattern("age_over_89_words", "AGE", _c(rf"(?<![\w-])(?P<age>{_AGE_WORDS})(?=[ \t]*-?[ \t]*(?:y/?o|yo|yrs?|years?)(?:[ \t-]+old)?\b)", re.I),
               0.85, group="age"),
    PhiPattern("age_over_89_words_label", "AGE", _c(rf"\b(?:age[ds]?|aged)[ \t]*:?[ \t]*(?P<age>{_AGE_WORDS})"
                                                    rf"(?![\w-]|[ \t]*-?[ \t]*(?:days?|weeks?|months?)\b)", re.I), 0.85, group="age"),
    # ----------------------------------------------------------------- names
    PhiPattern("name_title", "NAME", _c(rf"\b(?:Dr|Drs|Doctor|Mr|Mrs|Ms|Mss|Miss|Mx|Prof|Professor)\.?[ ]{{1,2}}(?P<n>{_NAME})"), 0.9, group="n"),
    # a title with its period that a line break cut from its name ("Can Dr.\nDelacroix call", a hard wrap or a
    # pasted line): the next line opens with the name ("MR." and "MS." in capitals close a sentence on mitral
    # regurgitation or multiple sclerosis)
    PhiPattern("name_title_wrap", "NAME", _c(rf"\b(?:Dr|Drs|Mr|Mrs|Ms|Prof|DR|MRS|PROF)\.[ \t]*\r?\n[ \t]*(?!{_OPENER})(?P<n>{_NAME})"), 0.85, group="n"),
    PhiPattern("name_title_lower", "NAME", _c(rf"\b(?:dr|mr|mrs|ms)\.?[ ](?P<n>{_TW}(?: {_TW})?)"), 0.75, group="n"),
    # titles in capitals need their period ("DR. OKAFOR"; MS alone is multiple sclerosis)
    PhiPattern("name_title_caps", "NAME", _c(rf"\b(?:DR|MR|MRS|MS|MISS|PROF)\.[ ]{{1,2}}(?P<n>{_UW}(?: (?:{_UW}|{_INI})){{0,2}})"), 0.85, group="n"),
    # any case, any script after "dr." / "mr." ("dr. ferreira"); English words are dropped by the stage's filter
    # (two words: "dr. quorrath velikovska", as a note in capitals or lower case writes "Dr. Quorrath Velikovska");
    # "dr" also without its period ("- dr montgomery", as a note in one case writes "Dr Montgomery"), but not
    # "mr" / "ms" (mitral regurgitation, multiple sclerosis)
    PhiPattern("name_title_any", "NAME", _c(rf"\b(?:(?i:dr|mr|mrs|ms|miss)\.|(?i:dr))[ ](?P<n>{_AW}(?:[ ]{_AW})?)"), 0.6, group="n"),
    # any case, any script after a name label ("patient: lena andersson", "Name: Иван Петров")
    PhiPattern(
        "name_label_any", "NAME",
        _c(rf"\b(?i:patient(?:[ ]name)?|pt[ ]name|name|full[ ]name|patient's[ ]name|next[ ]of[ ]kin|emergency[ ]contact|guardian|attending|consult(?:ant)?|"
           # ... and other languages' labels of a patient's name (intl20)
           rf"nom|nombre|nome|cognome(?:,[ ]?nome)?|naam|nachname|vorname|apellidos?|patientin|paciente|patiente|paziente)"
           rf"[ ]?[:#=][ ]{{0,6}}(?P<n>{_AW}(?:[ ](?![^\s]*[:=]){_AW}){{0,3}})"),
        0.6, group="n",
    ),
    # a given name and an initial: "Maren K.", "(Maren K.)", "HENRIKE P."
    PhiPattern("name_initial", "NAME", _c(rf"(?<![\w'’.-])(?P<n>(?:{_TW}|{_UW})[ ][A-Z]\.)(?=[\s),;:]|$)"), 0.6, group="n"),
    # a run of words in a non-Latin script inside an English note: a name (or a place) written in its own script
    PhiPattern("name_script", "NAME", _c(rf"(?<![\w-])(?P<n>{_SCRIPT_WORD}(?:[ ·・‧-]{_SCRIPT_WORD}){{0,3}})(?![\w-])"), 0.6, group="n"),
    # (not a town's state in a maker's address: "Sparks, MD, USA")
    PhiPattern("name_credentials", "NAME", _c(rf"(?<![\w'’-])(?P<n>{_TNAME}|{_LAST_FIRST})(?:,[ \t]?|[ ]?){_CREDS}(?![\w.])(?!,?[ ]*(?:USA|U\.S\.A?\.?|United[ ]States)\b)"),
               0.85, group="n"),
    # any case, credentials after a comma ("sorensen, rn, bsn", "OKAFOR, MD"): ordinary words are dropped by the stage
    PhiPattern("name_credentials_any", "NAME", _c(rf"(?<![\w'’-])(?P<n>{_AW}(?:[ ]{_AW})?),[ \t](?i:md|do|rn|np(?:-c)?|pa-c|pharmd|phd|bsn|msn|dnp|lcsw|msw|crnp|aprn|fnp(?:-c)?)(?![\w-])(?![ \t]*(?:[-+−]\d|\d+\.\d))"), 0.6, group="n"),  # ("central island, MD -29.14": a mean deviation)
    # (a name starts at a word's start: "BID, OD" is a frequency and an eye, not "D, OD")
    PhiPattern("name_credentials_weak", "NAME", _c(rf"(?<![\w'’-])(?P<n>{_TNAME}|{_LAST_FIRST}),[ \t]?{_WEAK_CREDS}(?![\w.])"), 0.75, group="n"),
    PhiPattern(
        "name_label", "NAME",
        _c(
            rf"\b(?:[Pp]atient(?: [Nn]ame)?|[Pp]t(?: [Nn]ame)?|[Nn]ame|PATIENT|NAME|[Pp]rovider|[Aa]ttending(?: [Pp]hysician)?|[Rr]esident|"
            rf"[Ff]ellow|PCP|[Pp]rimary [Cc]are(?: [Pp]hysician| [Pp]rovider)?|[Rr]eferring(?: [Pp]hysician| [Pp]rovider)?|[Tt]echnician|"
            rf"[Ss]cribe|[Ss]urgeon|[Ss]upervising(?: [Pp]hysician)?|[Ee]mergency [Cc]ontact|[Gg]uardian|[Aa]uthor|[Ee]ncounter [Pp]rovider|"
            rf"[Vv]isit [Pp]rovider|[Ss]ervice [Pp]rovider|[Pp]hysician|[Rr]eferred [Bb]y|[Ss]een [Bb]y|[Ss]igned [Bb]y|"
            rf"[Nn]ext [Oo]f [Kk]in|NEXT OF KIN|NOK|[Cc]onsult(?:ant)?|CONSULT(?:ANT)?|ATTENDING|[Nn]urse|NURSE)"
            rf"[ ]{{0,2}}[:#=][ ]{{0,6}}(?P<n>{_LAST_FIRST}|{_NAME})"  # (two blanks before the colon: a letter-spaced "N A M E :" closed up)
        ),
        0.75, group="n",
    ),
    PhiPattern(
        "name_verb", "NAME",
        _c(
            rf"\b(?:[Ss]een by|[Ss]igned by|[Ee]lectronically signed by|[Rr]eferred by|[Dd]ictated by|[Cc]o-?signed by|[Tt]ranscribed by|"
            rf"[Pp]t of|[Pp]atient of|[Ff]ollowed by|[Ee]xamined by|[Pp]erformed by|[Rr]eviewed by|[Ss]cribed by|[Aa]ccompanied by|scribe for)"
            rf"[ ](?P<n>{_LAST_FIRST}|{_TNAME})"
        ),
        0.75, group="n",
    ),
    PhiPattern("name_intro", "NAME", _c(rf"\b(?:[Tt]his is|I am|I'm|[Dd]ear|[Aa]ttn:?|[Cc]ontact:?|[Cc]alled|[Nn]amed)[ ](?P<n>{_TNAME})"), 0.6, group="n"),
    # a name stated as one: what follows is the name whatever English word it also is ("Her
    # maiden name is Key", "My name is Will")
    PhiPattern("name_stated", "NAME", _c(rf"\b(?:[Mm]y name is|[Mm]y name's|(?:[Mm]aiden|[Ll]ast|[Ff]irst|[Ff]ull|[Mm]iddle|[Gg]iven|[Ff]amily) name is|[Nn]ame on the \w+\??(?: \w+:)?)[ ](?P<n>{_TNAME})"), 0.75, group="n"),
    # attestations: "I, Jane Doe, performed the history ...", "I, Jane Doe, am scribing for ..."
    PhiPattern("name_attestation", "NAME", _c(rf"\bI,[ ](?P<n>{_LAST_FIRST}|{_NAME}),?[ ](?:have |had |was |am |hereby )?(?:performed|personally|reviewed|saw|examined|attest|agree|certify|acted|functioned|functioning|scribed|scribing|was present|am present)"), 0.85, group="n"),
    # "John Smith is a 73 y.o." / "Mary is an 81 year old"
    PhiPattern("name_is_age", "NAME", _c(rf"(?P<n>{_NAME})[ \t]+is[ \t]+an?[ \t]+\d{{1,3}}[ -]?(?:y\.?o\.?|yo\b|y/o|years?|-year|year)"), 0.85, group="n"),
    # the same in a note written in one case ("ottilie f nakashima is a 81 y.o.", read in lower case; the
    # stage keeps it only in such a note, without the ordinary words around the name)
    PhiPattern("name_is_age_any", "NAME", _c(rf"(?<![\w'’.-])(?P<n>{_AW}(?:[ ]{_AW}\.?){{0,3}})[ \t]+(?i:is)[ \t]+(?i:an?)[ \t]+\d{{1,3}}[ -]?(?i:y\.?o\.?|yo\b|y/o|years?|-year|year)"), 0.6, group="n"),
    # relatives / contacts named after the relation: "her husband John", "daughter, Mary Smith"
    PhiPattern("name_relative", "NAME", _c(rf"\b(?:[Hh]usband|[Ww]ife|[Ss]on|[Dd]aughter|[Mm]other|[Ff]ather|[Bb]rother|[Ss]ister|[Ss]pouse|[Pp]artner|[Ff]riend|[Gg]randson|[Gg]randdaughter|[Nn]iece|[Nn]ephew|[Cc]aregiver|[Aa]unt|[Uu]ncle|[Cc]ousin)(?:,|:)?(?:[ ]|[ \t]*\r?\n[ \t]*)(?:named[ ])?(?P<n>{_TW}(?: {_TW})?)\b(?![ \t]+(?:[Dd]isease|[Ss]yndrome))"), 0.6, group="n"),
    # ------------------------------------------------------------------ phone / fax
    PhiPattern("fax", "FAX", _c(r"\b(?:[Ff]ax|FAX|[Ff]acsimile)(?:\s*(?:#|no\.?|number|:))*\s*(?P<p>(?:\+?1[-. ]?)?\(?\d{3}\)?[-. ]?\d{3}[-. ]?\d{4})\b"), 0.9, group="p"),
    PhiPattern("phone", "PHONE", _c(r"(?<![\w/.-])(?P<p>(?:\+?1[-. ]?)?(?:\(\d{3}\)[ ]?|\d{3}[-. ])\d{3}[-. ]\d{4}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,5})?)(?![\w/]|-\d)"), 0.75, group="p"),
    PhiPattern("phone_labelled", "PHONE", _c(r"\b(?i:phone|tel|telephone|cell|mobile|pager|home|work|call(?:\s+(?:me\s+)?back)?(?:\s+at)?)(?:\s*(?:#|no\.?|number|:|=))*\s*(?P<p>\+?1?[-. ]?\d{3}[-. ]\d{4}|\+?1?\d{10})\b"), 0.7, group="p"),
    PhiPattern("phone_intl", "PHONE", _c(r"(?<![\w+])(?P<p>\+\d{1,3}(?![.,]\d)[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,5})(?![\w])"), 0.8, group="p", validate=lambda m: 8 <= sum(c.isdigit() for c in m.group("p")) <= 15),
    # a number alone on its line with its kind after it, as contact blocks list them ("416 60 039 office",
    # "+46 (0)8 928 571 mobile", "28-64-66-98 fax"): any national format
    PhiPattern(
        "phone_cue_after", "PHONE",
        _c(r"(?m)^[ \t]*(?P<p>\+?\(?\d[\d ().-]{4,20}\d)[ \t]+(?i:office|fax|mobile|cell|home|work|phone|tel|landline|pager)[ \t]*\r?$"),
        0.7, group="p", validate=lambda m: 7 <= sum(c.isdigit() for c in m.group("p")) <= 15,
    ),
    PhiPattern("phone_area_short", "PHONE", _c(r"(?<![\w)])(?P<p>\(\d{2,4}\)[ ]?\d{3}-\d{3,4})(?![\w-])"), 0.7, group="p"),
    PhiPattern("phone_dotted", "PHONE", _c(r"(?<![\w.])(?P<p>0\d(?:\.\d{2}){4})(?![\w.])"), 0.7, group="p"),
    PhiPattern(
        "phone_context", "PHONE",
        _c(r"\b(?:[Pp]hone|PHONE|[Tt]el(?:ephone)?|TEL|[Mm]obile|[Cc]ell(?:phone)?|[Pp]ager|[Cc]all(?: me)?(?: at| on)?|[Nn]umber is|[Cc]ontact number|[Rr]each (?:me|him|her|us|them) (?:at|on)|[Cc]ontact (?:me|us|him|her) (?:at|on)|[Tt]ext (?:me )?(?:at|on)|[Rr]ing (?:me )?(?:at|on)|[Dd]ial(?:ed)?|answering (?:at|on))(?:\s*(?:#|no\.?|number|:|=))*\s*"
           r"(?P<p>\+?\(?\d[\d ().-]{5,20}\d)(?:\s?(?:x|ext\.?)\s?\d{1,5})?"),
        0.75, group="p", validate=lambda m: 7 <= sum(c.isdigit() for c in m.group("p")) <= 15,
    ),
    # ------------------------------------------------------------------ ids
    PhiPattern(
        "id_labelled", "ID",
        _c(
            r"\b(?:(?i:mrn|mr\#|mr\s*no\.?|med(?:ical)?\.?\s+rec(?:ord)?\.?(?:\s+(?:no\.?|number|\#))?|patient\s+id|insurance\s+(?:id|\#|number)|member\s+id|account\s+(?:no\.?|number|\#)|subscriber\s+(?:id|\#|number)|policy\s*(?:\#|no\.?|number)|medicaid\s+(?:id|\#|number)|medicare\s+(?:id|\#|number)|encounter\s+(?:\#|no\.?|number|id)|passport(?:\s+(?:\#|no\.?|number))?|driver'?s\s+licen[cs]e(?:\s+(?:\#|no\.?|number))?|case\s+(?:\#|no\.?|number)"
            # a document's own numbers in its metadata ("JOB #: 481950", "Dictation ID 5521-88", "Doc No. 77120")
            r"|(?:job|dictation|transcription|doc(?:ument)?|voice\s+file|confirmation|report)\s*(?:\#|no\.?|number|id)"
            # a claim's, an authorisation's, a referral's own numbers (twentieth session: "Claim number 2024-0098812-01")
            r"|(?:claim|(?:prior\s+)?auth(?:ori[sz]ation)?|ref(?:erence)?|tracking|ticket|referral|requisition|certificate)\s*(?:\#|no\.?|number|id|code)"
            # a chart's, a file's, a registration's number and the like (twenty-first session: "Old chart #A-22019")
            r"|(?:chart|file|folder|record|registration|hospital|unit|patient|client|resident|student|employee|badge|"
            r"enrol(?:l)?ment|household|beneficiary|customer|guarantor|person)\s*(?:\#|no\.?|number))|MR\s*No\.?|[Mm]edical\s+[Rr]ecord(?:\s+[Nn](?:o\.?|umber))?|[Aa]cc(?:oun)?t(?:\s+[Nn](?:o\.?|umber))?|ACCT|"
            r"CSN|FIN|HAR|[Ee]ncounter\s+(?:#|[Nn]o\.?|[Nn]umber|ID)|[Vv]isit\s+(?:#|[Nn]umber|ID)|[Mm]ember\s+ID|[Ss]ubscriber\s+(?:ID|#|[Nn]umber)|"
            r"[Pp]olicy\s*(?:#|[Nn]o\.?|[Nn]umber)|[Gg]roup\s*(?:#|[Nn]o\.?|[Nn]umber)|[Hh]ealth\s+[Pp]lan(?:\s+(?:ID|[Nn]umber|#))?|[Ii]nsurance\s+(?:ID|#|[Nn]umber)|"
            r"[Mm]edicaid\s+(?:ID|#|[Nn]umber)|[Mm]edicare\s+(?:ID|#|[Nn]umber)|MBI|[Ll]icen[cs]e(?:\s+(?:#|[Nn]o\.?|[Nn]umber))?|DEA(?:\s*#)?|NPI|"
            r"[Dd]evice\s+(?:ID|#|[Ss]erial)|[Ss]erial\s*(?:#|[Nn]o\.?|[Nn]umber)|S/N|SN|UDI|[Ll]ot\s*(?:#|[Nn]o\.?)|VIN|[Pp]late(?:\s+(?:#|[Nn]umber))?|"
            r"[Pp]assport(?:\s+(?:#|[Nn]o\.?|[Nn]umber))?|[Dd]river'?s\s+[Ll]icen[cs]e|DL|ID\s*(?:#|[Nn]o\.?|[Nn]umber)|[Pp]atient\s+ID|[Cc]ase\s+(?:#|[Nn]o\.?|[Nn]umber)|"
            r"[Aa]ccession(?:\s+(?:#|[Nn]o\.?|[Nn]umber))?|[Ss]pecimen\s+(?:#|ID|[Nn]umber)|[Oo]rder\s+(?:#|[Nn]umber))"
            r"(?:\s*(?:#|:|=|[Nn]o\.?|[Nn]umber|NUMBER|NO\.?|is|IS))*\s*#?(?P<id>[A-Za-z0-9][A-Za-z0-9-]{3,19})\b"
        ),
        0.85, group="id", validate=_has_digit,
    ),
    # an SSN written with blanks or dots ("123 45 6789", "123.45.6789")
    PhiPattern("ssn_spaced", "SSN", _c(r"(?<![\w.,/-])(?P<s>(?!000|666)\d{3}(?P<sep>[ .])(?!00)\d{2}(?P=sep)(?!0000)\d{4})(?![\w-]|[.,]\d)"), 0.6, group="s"),
    # a bare run of 7 to 11 digits (record numbers, SSNs, phone numbers without separators), not a quantity with a unit
    PhiPattern(
        "bare_number", "ID",
        _c(r"(?<![\w.,/:+=*-])(?P<n>\d{7,11})(?![\w/%]|[.,]\d|\s*(?:copies|cells|IU|U\b|units?|mg|mcg|ng|pg|ml|mL|/|x\b|%|per\b))"),
        0.5, group="n",
    ),
    # an identifier of letters and digits ("AB-123456", "#XY-998877", "ABCD1234", "W123456789"), any case
    PhiPattern(
        "id_alnum", "ID",
        _c(r"(?<![\w#-])#?(?P<id>[A-Za-z]{1,4}-?\d{4,12}[A-Za-z]?)(?![\w-])"),
        0.5, group="id", validate=lambda m: _plausible_alnum_id(m.group("id")),
    ),
    # an accession's shape: letters, a two-digit year, a serial ("SP-24-018832", "cy-23-00891"; twentieth session, a
    # pathology or cytology case number with no label)
    PhiPattern(
        "id_accession", "ID",
        _c(r"(?<![\w#-])#?(?P<id>[A-Za-z]{1,4}-?\d{2}-\d{4,10})(?![\w-])"),
        0.5, group="id", validate=lambda m: re.match(r"[A-Za-z]+", m.group("id")).group(0).lower() not in _NOT_ID_PREFIX,  # type: ignore[union-attr]
    ),
    PhiPattern("ssn", "SSN", _c(r"(?<![\w-])(?P<s>(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4})(?![\w-])"), 0.85, group="s"),
    PhiPattern("ssn_labelled", "SSN", _c(r"\b(?i:ssn|social\s+security(?:\s+n(?:o\.?|umber))?|ss\#)(?:\s*(?:#|:|=|[Nn]o\.?|NO\.?|is|IS))*\s*(?P<s>\d{3}[-. ]?\d{2}[-. ]?\d{4})\b"), 0.95, group="s"),
    # long digit strings are identifiers (card, account, accession numbers) in clinical text
    PhiPattern("long_number", "ID", _c(r"(?<![\w.,/-])(?P<n>\d{12,19}|\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7})(?!\w|[.,/-][\w-])"), 0.6, group="n",
               validate=lambda m: not _time_schedule(m.group("n"))),
    PhiPattern("iban", "ID", _c(r"\b(?P<i>[A-Za-z]{2}\d{2}[A-Za-z]{4}\d{10,26})\b"), 0.7, group="i"),
    # vehicle identification number (17 chars, no I/O/Q, letters and digits)
    PhiPattern("vin", "ID", _c(r"\b(?P<v>(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17})\b"), 0.6, group="v"),
    # ------------------------------------------------------------------ locations
    PhiPattern(
        "street_address", "LOCATION",
        _c(
            r"(?<![\d,.])\b(?P<a>\d{1,6}[A-Z]?[ ]{1,2}(?:(?:[NSEW]|N\.?E|N\.?W|S\.?E|S\.?W|NE|NW|SE|SW|North|South|East|West)\.?[ ])?(?:(?:[A-Z][a-z'.-]+|\d+(?:st|nd|rd|th))[ ]){0,3}?(?:[A-Z][a-z'.-]+|\d+(?:st|nd|rd|th))[ ]"
            r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Hwy|Highway|Pkwy|Parkway|Ter|Terrace|Cir|Circle|"
            r"Sq|Square|Trl|Trail|Loop|Row|Pike|Plaza|Alley|Run|Path|Crescent|Cres|"
            # streets as the UK and the Commonwealth name them (twentieth session: "Flat 3, 71 Penhallow Close")
            r"Close|Gardens|Gdns|Mews|Grove|Walk|Rise|Vale|Wharf|Yard|Parade|Quay|Chase|Green)\b\.?"
            r"(?:(?:,\s*|\s+)(?:Apt|Apartment|Suite|Ste|Unit|Bldg|Building|Fl|Floor|Room|Rm|#)\.?\s*#?\s*[A-Za-z0-9-]+)?"
            r"(?:(?:,\s*|\s+)(?:[NSEW]|NE|NW|SE|SW)\b)?)"
        ),
        0.85, group="a",
    ),
    # any case with a street word spelled out ("4222 sandpiper street", "7092 OLD MILL AVE"), and the city, state and ZIP after it
    PhiPattern(
        "street_address_any_case", "LOCATION",
        _c(
            # a word of the street's name ends in a period only as an initial, a direction or an abbreviation
            # ("12 n. main street", "1234 e.j. kelly blvd", "1200 st. paul ave"), not a sentence ("11/19/08 yag os. no dr" is no address); a date's last number is no house number
            r"(?<![\d,./:])\b(?P<a>\d{1,6}[ ]{1,2}(?!(?i:blocks?|miles?|mi|feet|ft|steps?|stairs|flights?|yards?|yds?|km|meters?|"
            r"metres?|minutes?|mins?|hours?|hrs?|times?|days?|weeks?|laps?)\b)(?:(?:(?i:ne|nw|se|sw|st|mt|ft)\.|(?:[^\W\d_]\.)+|[^\W\d_][\w'-]*(?:\.[\w'-]+)*)[ ]){1,3}(?i:street|avenue|ave|road|rd|lane|ln|drive|dr(?!\.?[ \t]+(?-i:[A-Z]))|boulevard|blvd|court|ct|"
            r"place|terrace|parkway|pkwy|highway|hwy|circle|way|trail|square|close|gardens|mews|grove|crescent|parade|quay|"
            r"wharf|chase)\b\.?"
            rf"(?:,?[ ](?:[^\W\d_][\w'.-]*[ ]?){{1,3}},?[ ](?i:{US_STATES}),?[ ]+\d{{5}}(?:-\d{{4}})?)?)"
            r"(?![\w])"
        ),
        # (a street's name holds no preposition, pronoun or verb of a sentence: "20/25-1 Patient came to Dr.\nHale",
        # "2 drops went to dr" are no addresses; a title across a line end hides from the "Dr Name" look-ahead)
        0.6, group="a", validate=lambda m: not re.search(r"(?i)\b(?:mg|mcg|ml|tabs?|tablets?|times|units?|days?|weeks?|months?|years?|hours?|minutes?|doses?|puffs?|drops?|cycles?|courses?"
                                                         r"|to|at|by|with|from|for|into|onto|is|was|were|are|has|had|came|went|sent|he|she|they|we|you|his|her|their)\b", m.group("a")),
    ),
    # the text after an address cue ("Address:", "lives at", "send it to"), up to the end of the
    # sentence or a blank line; it must contain a digit (house number or postal code)
    PhiPattern(
        "address_cue", "LOCATION",
        _c(
            r"\b(?:[Aa]ddress(?:es)?(?: of [^\n.?!]{1,40}?)?(?:\s*:|\s+is|\s+was)|ADDRESS:|[Ll]ives at|[Ll]iving at|[Rr]esides? at|[Ll]ocated at|"
            r"[Oo]ffice is at|[Oo]ffice at|[Mm]oved to|[Ss]hip(?:ped)? (?:it |them )?to|[Mm]ail(?:ed)? (?:it |them )?to|[Ss]end (?:it|them|a new one|the \w+|mail) to|"
            r"[Dd]eliver(?:ed)? (?:it |them )?to|(?:be|was|were|is|are|been) sent to|[Rr]eturn (?:it|them) to|[Mm]eet (?:me|us|them) at|"
            r"[Ww]here:|[Cc]hange (?:my|the|his|her) address to|[Uu]pdate (?:the |my )?(?:billing |mailing )?address (?:with|to)|"
            r"(?:[Aa]ddress|[Aa]ddresses) to the same:|[Hh]ere (?:it is|they are):|[Ww]hat is (?:your|the) address\? [Ii]t is|"
            r"[Dd]rops? (?:you |them )?off at|[Ll]ives? on|[Ll]ived on)\s+"
            r"(?P<a>(?:[^\n?!•·*]|\n(?!\s*\n))+?)"
            r"(?=\s*(?:[?!•·*]|[ ]{2}|\n\s*\n|\.\s+(?:[A-Za-z][a-z]+\s+[a-z]|[Ii]\s)|\.?\s*$|,\s+(?:and|but|which|where)\s))"
        ),
        0.7, group="a", validate=lambda m: any(c.isdigit() for c in m.group("a")) and len(m.group("a")) <= 120,
    ),
    # a place named after a residence / travel cue: "grew up in SUND", "based in Naantali"
    PhiPattern(
        "place_cue", "LOCATION",
        _c(
            rf"\b(?:[Bb]ased in|[Gg]rew up in|[Mm]oved (?:here )?(?:from|to)|[Oo]riginally from|I am in|I'm in|[Ll]ives? in|[Ll]iving in|[Rr]esides? in|"
            rf"[Hh]ome (?:city|town)(?: is)?|[Cc]ity of|[Tt]own of|[Ll]ocated in|[Bb]orn in|[Rr]eturned to|[Tt]rip to|[Tt]ravell?ed to|[Vv]isiting|[Vv]isited|"
            rf"[Ff]lew to|[Dd]rove to|[Hh]eaded to|[Aa]rrived in|[Aa]rrived at|[Uu]niversity of|[Ss]treet in|[Aa]irport in|[Ll]ived in)"
            rf"[ ](?P<l>(?:{_TW}|{_UW})(?: (?:{_TW}|{_UW}|(?:de|del|la|le|di|da|do|van|von|am|sur)(?![\w'’]))){{0,3}})"
        ),
        0.6, group="l",
    ),
    # weaker cues ("is at", "arrived at") only before a house number and a capitalised street word
    PhiPattern(
        "address_cue_weak", "LOCATION",
        _c(
            r"\b(?:is|are|was|were|arrived) (?:at|on)\s+"
            r"(?P<a>\d{1,6}[ ](?:\d{1,5}[ ])?[A-ZÀ-Þ](?:[^\n?!•·*]|\n(?!\s*\n))+?)"
            r"(?=\s*(?:[?!•·*]|[ ]{2}|\n\s*\n|\.\s+(?:[A-Za-z][a-z]+\s+[a-z]|[Ii]\s)|\.?\s*$|,\s+(?:and|but|which|where)\s))"
        ),
        0.6, group="a", validate=lambda m: len(m.group("a")) <= 120,
    ),
    # military mail: "PSC 3117, Box 0609 APO AA 44332", "Unit 8505 Box 9220 DPO AE 90744", "USNS Bergman FPO AP 93757"
    PhiPattern("military_address", "LOCATION", _c(r"\b(?P<a>(?:PSC|Unit|CMR|USNS|USS|USCGC)[ ][^\n,]{1,30}?,?\s*(?:Box[ ]\d+\s*)?(?:APO|FPO|DPO)[ ](?:AA|AE|AP)[ ]\d{5})\b", re.I), 0.85, group="a"),
    # Canadian postal code
    PhiPattern("ca_postal", "LOCATION", _c(r"\b(?P<z>[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d)\b"), 0.6, group="z",
               validate=lambda m: re.fullmatch(r"T\dN\dM\d", m.group("z")) is None),  # not a TNM stage ("T3N0M0")
    PhiPattern("po_box", "LOCATION", _c(r"\b(?P<a>P\.?\s?O\.?\s+Box\s+\d+)\b", re.I), 0.85, group="a"),
    # City, ST 12345(-6789) — the city is 1-3 capitalised words before a state abbreviation
    PhiPattern(
        "city_state_zip", "LOCATION",
        _c(
            rf"(?P<a>\b(?:[A-Z][a-z]+[ \t]){{0,2}}[A-Z][a-z]+,?[ \t]+(?:{US_STATES})\.?,?"
            r"[ \t]+\d{5}(?:-\d{4})?)\b"
        ),
        0.9, group="a",
    ),
    # the same in any case, its comma required ("oregon city, wa 97023-8633", "TACOMA, WA 98402"
    # in a note read in lower case): 1-3 words, a comma, a state code, and a ZIP+4 or a ZIP ending
    # its line, sentence or column (not "in both eyes, in 20000 patients")
    PhiPattern(
        "city_state_zip_any_case", "LOCATION",
        _c(
            rf"(?P<a>(?<![\w'’.-])(?:[^\W\d_][\w'’.-]*[ ]){{0,2}}[^\W\d_][\w'’.-]*,[ \t]*(?i:{US_STATES})\.?,?"
            r"[ \t]+(?:\d{5}-\d{4}(?![\w-])|\d{5}(?=[ \t]*\r?\n|[ \t]*$|[.,;)|]|(?:[ ]{2,}|\t[ \t]*)(?:\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}\b|(?i:ph|phone|tel|fax)\b))))"  # a ZIP+4, or a ZIP ending its line,
            # its sentence, its column or the address before a phone ("GRESHAM, OR 97745  503-976-4107")
        ),
        0.7, group="a",
    ),
    PhiPattern("zip_labelled", "LOCATION", _c(r"\b(?:ZIP|[Zz]ip(?:\s*[Cc]ode)?|[Pp]ostal\s+[Cc]ode|[Pp]ost[Cc]ode)(?:\s+is|\s*:)?\s*(?P<z>\d{3,6}(?:[ -]\d{2,4})?)\b"), 0.85, group="z"),
    PhiPattern("zip_after_state", "LOCATION", _c(rf"\b(?:{US_STATES}),?[ \t]+(?P<z>\d{{5}}(?:-\d{{4}})?)\b"), 0.85, group="z"),
    # facilities: "Providence St. Vincent Medical Center", "Casey Eye Institute", "Legacy Good Samaritan Hospital"
    PhiPattern(
        "facility", "LOCATION",
        _c(
            r"(?P<f>\b(?:(?:St\.?|Saint|Mount|Mt\.?|[A-Z][a-z]+(?:['’]s)?|[A-Z]{2,5})[ \t]+){1,5}"
            r"(?:Hospital|Medical[ \t]+Center|Medical[ \t]+Centre|Health[ \t]+Center|Health[ \t]+System|Healthcare|Health[ \t]+Care|Clinic|Clinics|"
            r"Institute|Infirmary|Hospice|Nursing[ \t]+Home|Nursing[ \t]+Facility|Rehabilitation[ \t]+Center|Rehab[ \t]+Center|Surgery[ \t]+Center|"
            r"Surgical[ \t]+Center|Eye[ \t]+Center|Cancer[ \t]+Center|Children's|Memorial|Regional|University|College|Pharmacy|Urgent[ \t]+Care|"
            r"Medical[ \t]+Group|Physicians|Associates|Specialists|Care[ \t]+Center|Living[ \t]+Center|Retirement[ \t]+(?:Home|Community)|VA[ \t]+Medical[ \t]+Center|VAMC))\b"
        ),
        0.8, group="f",
    ),
    # any case: "kwame memorial hospital", "DMITRI MEMORIAL HOSPITAL", "st. desmond's health" (the stage keeps it
    # only when a word before the head is no ordinary English word); a blank run between the words too ("at  moroub
    # clinic" in a note of inflated spacing, canx17)
    PhiPattern(
        "facility_any_case", "LOCATION",
        _c(r"(?<![\w'’-])(?P<f>(?:(?i:st\.?|saint)(?:[ ]|[ \t]*\r?\n[ \t]*))?(?:[^\W\d_][^\W\d_'’-]*(?:['’][sS])?[ ]+){1,3}"
           r"(?i:memorial[ ]hospital|memorial[ ]medical[ ]cent(?:er|re)|hospital|medical[ ]cent(?:er|re)|health[ ]cent(?:er|re)|health[ ]system|"
           r"health|healthcare|clinic|clinics|infirmary|hospice|nursing[ ]home|medical[ ]group|urgent[ ]care|associates|specialists|physicians|"
           r"institute|eye[ ]cent(?:er|re)|eye[ ]care|surgery[ ]cent(?:er|re)|surgical[ ]cent(?:er|re)|cancer[ ]cent(?:er|re)))(?![\w-])"),
        0.5, group="f",
    ),
    # "our Dallas clinic", "the Eastwick office"
    PhiPattern(
        "facility_our", "LOCATION",
        _c(rf"\b(?i:our|the|your){_WG}(?P<l>{_AW}(?:{_WG}{_AW})?){_WG}(?i:clinic|office|hospital|campus|location|site|branch|practice|facility)\b"),
        0.6, group="l",
    ),
    # "St. Mary's Health", "Saint Jude Medical": a saint's name is a facility (not St. John's wort)
    PhiPattern(
        "facility_saint", "LOCATION",
        _c(rf"\b(?P<f>(?:St\.?|Saint|ST\.|SAINT)[ ](?:{_TW}|{_UW}|[A-Z]{{2,}}(?=['’][sS]\b))(?:['’][sS])?(?:[ ](?:Health(?:care)?|Medical|Hospital|Regional|Memorial|Clinic|Center|Centre|HEALTH|MEDICAL|HOSPITAL|CLINIC))*)(?![ ](?i:wort|dance|encephalitis|fire|disease))"),
        0.7, group="f",
    ),
    # the same wrapped after the saint's prefix, where a table cell or a short line breaks it ("St.\nTobias's Health"):
    # the saint's name then needs its possessive or a facility word after it ("Main St.\nPatient ..." stays)
    PhiPattern(
        "facility_saint_wrapped", "LOCATION",
        _c(rf"\b(?P<f>(?:St\.?|Saint|ST\.|SAINT)[ \t]*\r?\n[ \t]*(?:{_TW}|{_UW}|[A-Z]{{2,}}(?=['’][sS]\b))"
           rf"(?:['’][sS](?:[ ](?:Health(?:care)?|Medical|Hospital|Regional|Memorial|Clinic|Center|Centre|HEALTH|MEDICAL|HOSPITAL|CLINIC))*"
           rf"|(?:[ ](?:Health(?:care)?|Medical|Hospital|Regional|Memorial|Clinic|Center|Centre|HEALTH|MEDICAL|HOSPITAL|CLINIC))+))"),
        0.7, group="f",
    ),
    # the same in any case, a facility's word required after the saint ("st. jude's health", "ST. JUDE'S HEALTH" read in
    # lower case, "saint brannock medical center"; nineteenth session): "st. john's wort", "ST elevation" stay
    PhiPattern(
        "facility_saint_any_case", "LOCATION",
        _c(r"(?<![\w.])(?P<f>(?i:st\.?|saint)[ ](?i:[a-z][a-z'’-]+)(?:['’][sS])?(?:[ ](?i:health(?:care)?|medical|hospital|regional|memorial|"
           r"clinic|center|centre|infirmary))+)(?![\w-])"),
        0.7, group="f",
    ),
    # a city, a comma and a state code after a preposition: "in Detroit, MI" (not "IN BOTH EYES OR")
    PhiPattern(
        "city_state", "LOCATION",
        _c(rf"\b(?i:in|at|from|near|of){_WG}(?P<l>(?:{_TW}|{_UW})(?:{_WG}(?:{_TW}|{_UW}))?),{_WG}(?:{US_STATES})\b(?![\w-])"),
        0.7, group="l",
    ),
    # a place and its postal code after a preposition: "in ÖVERTURINGEN 840 24", "from Houston 77030"
    PhiPattern(
        "place_postal", "LOCATION",
        _c(rf"\b(?i:in|at|from|near){_WG}(?P<l>(?:{_TW}|[{_UP}]{{2,}})(?:{_WG}(?:{_TW}|[{_UP}]{{2,}}))?{_WG}(?:\d{{3}}[ ]\d{{2}}|\d{{5}}))(?![\w-]|[.,]\d)"),
        0.6, group="l", validate=lambda m: month_number(m.group("l").split()[0]) is None,
    ),
    # the town after a facility: "Memorial Hospital in Tacoma"
    PhiPattern(
        "facility_town", "LOCATION",
        _c(rf"(?i:hospital|clinic|health|center|centre|institute|medical|memorial)[ ](?i:in)[ ](?P<l>(?:{_TW}|{_UW})(?:[ ](?:{_TW}|{_UW}))?)"),
        0.6, group="l",
    ),
    # ------------------------------------------------------------------ network
    PhiPattern("url", "URL", _c(r"(?P<u>\b(?:https?://|ftp://|www\.)[^\s<>\"')\]]+[^\s<>\"')\].,;:!?])", re.I), 0.9, group="u"),
    PhiPattern("ipv4", "IP", _c(r"(?<![\d.])(?P<ip>(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?![\d.]*\d)"), 0.8, group="ip"),
    PhiPattern("domain", "URL", _c(r"(?<![@\w.-])(?P<u>(?:[A-Za-z0-9-]+\.)+(?:com|org|net|edu|gov|info|biz|io|us|co\.uk|health))\b(?![.@]\w)"), 0.7, group="u"),
    PhiPattern("email", "EMAIL", _c(r"(?P<e>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b)"), 0.95, group="e"),
)

# Eponymous clinical phrases: a capitalised word (possibly possessive) followed by a
# clinical head noun. Spans inside these are not names ("Parkinson's disease",
# "Bell's palsy", "Foley catheter", "Ahmed valve", "Humphrey visual field").
_EPONYM = re.compile(
    r"\b[A-Z][a-zà-ÿ]+(?:[-–][A-Z][a-zà-ÿ]+)*(?:['’]s|['’])?(?:[ ]+|-)(?:disease|syndrome|palsy|sign|signs|test|testing|catheter|phenomenon|"
    r"reflex|maneuver|manoeuvre|procedure|operation|criteria|score|scale|classification|grade|grading|stage|staging|lymphoma|sarcoma|"
    r"tumou?r|ulcer|fracture|node|nodes|valve|implant|shunt|tube|visual[ \t]+field|field|fields|perimetry|tonometer|tonometry|lens|dystrophy|"
    r"disorder|ataxia|chorea|dementia|thyroiditis|encephalopathy|aneurysm|anomaly|triad|law|position|line|solution|stain|diet|cells?|"
    r"bod(?:y|ies)|hernia|cyst|esophagus|anemia|angle|membrane|layer|canal|gland|glands|duct|space|nodules?|spots?|striae|keratopathy|"
    r"keratoconus|uveitis|retinopathy|iridocyclitis|ophthalmoplegia|pupil|drops|procedures?|repair|fundoplication|anastomosis|"
    r"pouch|blade|forceps|speculum|retractor|incision|approach|technique|method|formula|equation|index|ratio|sarcoidosis|"
    r"arteritis|vasculitis|hepatitis|encephalitis|myopathy|neuropathy|neuralgia|contracture|deformity|nodes?|sarcoma|virus|infection|vaccine|antibod(?:y|ies)|antigen|bacillus|agar|medium|media|culture|assay|questionnaire|inventory|index)\b"
)


def eponym_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of eponymous clinical phrases in ``text``."""
    return [m.span() for m in _EPONYM.finditer(text)]


# ------------------------------------------------------------------------------------------
# Multi-line postal address blocks ("28245 Puruntie 82\n Apt. 595\n LAPPEENRANTA\n Finland 53650"),
# as found in letters, referral headers and pasted contact details.
_LINE = re.compile(r"[^\n]*")
_STREET_LINE = re.compile(r"^\d{1,6}[A-Za-z]?[ ]+(?:\d{1,5}[ ]+)?(?!(?:mg|mcg|ml|mL|g|kg|mm|cm|tab|tabs|tablets?|drops?|units?|x|times|%|yo|y\.o\.|years?|yrs?|months?|weeks?|days?|hours?|hrs?|min|minutes?|sec|puffs?|caps?|capsules?|patients?|cases?|of|to|and|or|in|on|at|for)\b)[^\W\d_][^\n]{1,80}$", re.I)
_UNIT_LINE = re.compile(r"^(?:Apt|Apartment|Suite|Ste|Unit|Bldg|Building|Floor|Fl|Room|Rm|P\.?\s?O\.?\s+Box|Box|PSC|APO|FPO)\b\.?[^\n]{0,40}$", re.I)
_PLACE_LINE = re.compile(r"^[^\W\d_][^\n\d:@]{0,40}(?:,?\s*[A-Z]{2})?(?:[ ,]+\d{3,6}(?:[ -]\d{2,4})?)?$")
_POSTAL_LINE = re.compile(r"^(?:,\s*)?(?:[^\W\d_][^\n\d:@]{0,40}[ ,]+)?(?:\d{4,6}(?:-\d{3,4})?|\d{3} \d{2})$")
_SENTENCE_WORDS = re.compile(r"\b(?:the|is|are|was|were|and|with|for|will|be|have|has|had|please|patient|pt|took|takes|take|daily|twice|hours?)\b", re.I)


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of each line, quote marks and indentation stripped."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        m = re.match(r"^[ \t>]*", raw)
        lead = m.end() if m else 0
        content = raw[lead:].rstrip()
        out.append((start + lead, start + lead + len(content), content))
    return out


def address_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of multi-line postal addresses: a street line, then unit / place / postal lines."""
    if "\n" not in text:
        return []
    lines = _lines(text)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        s, e, c = lines[i]
        if not (_STREET_LINE.match(c) and not _SENTENCE_WORDS.search(c) and len(c) <= 80):
            i += 1
            continue
        end = e
        n_extra = 0
        strong = bool(_UNIT_LINE.search(c) or re.search(r"\b(?:Apt|Suite|Ste|Unit)\b", c, re.I))
        j = i + 1
        while j < len(lines) and n_extra < 5:
            _, e2, c2 = lines[j]
            if not c2:
                # one blank line may separate the last "Country 12345" line
                if j + 1 < len(lines) and _POSTAL_LINE.match(lines[j + 1][2]) and n_extra:
                    j += 1
                    continue
                break
            if _SENTENCE_WORDS.search(c2) or len(c2) > 60:
                break
            if _UNIT_LINE.match(c2):
                strong = True
            elif _POSTAL_LINE.match(c2):
                strong = True
            elif not _PLACE_LINE.match(c2):
                break
            end = e2
            n_extra += 1
            j += 1
        if n_extra >= 1 and strong:
            spans.append((s, end))
            i = j
        else:
            i += 1
    return spans
