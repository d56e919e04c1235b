"""The sig grammar: finding and parsing doses, routes, frequencies and durations.

One home for what a medication instruction ("sig") looks like and what it means:

* **finders** -- :data:`DOSE_PATTERN`, :data:`DURATION_PATTERN` and
  :data:`FREQUENCY_PATTERN` locate DOSE / DURATION / FREQUENCY mentions in running text
  (the rule matcher, :mod:`ehrnlp.ner.rules`, tags what they match);
* **parsers** -- :func:`parse_timing`, :func:`parse_dose` and :func:`route_code` turn one
  FREQUENCY/DURATION, DOSE or ROUTE mention into a FHIR ``Timing.repeat`` dict, a
  ``Quantity`` dict and a route :class:`~ehrnlp.model.Code` (used by the normalizer and the
  ``ehrnlp vocab lookup`` command);
* **the dosage** -- :func:`dosage_of` reads a medication's linked attributes into a typed
  :class:`~ehrnlp.model.Dosage` (the relations stage sets ``Entity.dosage`` with it): the
  sig text with its trailing instruction, the parsed dose, timing and PRN, the route, and
  an eye named as the route as the site of an ophthalmic route.

The finders are deliberately narrower than the parsers (they must not tag prose such as
"once" or "now" as a frequency); both live here so that a new unit or frequency word is
added in one file.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from .model import Code, Dosage, Entity, Quantity, Timing
from .terminology import SNOMED, UCUM, V3_ROUTE
from .vocab import loose_term, normalize_term

__all__ = [
    "DOSE_PATTERN",
    "DURATION_PATTERN",
    "FREQUENCY_PATTERN",
    "parse_timing",
    "parse_dose",
    "route_code",
    "dosage_of",
    "sig_end",
]

# -- finders: where a sig mention is ---------------------------------------------------------
_FIND_NUM = r"(?:\d+(?:[.,]\d+)?|\d*\.\d+|one|two|three|four|five|six|half|1/2)"
_FIND_DOSE_UNIT = (
    r"(?:mg|mcg|µg|ug|g|gm|grams?|kg|ml|mL|cc|l|units?|iu|IU|meq|mEq|mmol|%|"
    r"tabs?|tablets?|caps?|capsules?|drops?|gtts?|puffs?|sprays?|patch(?:es)?|"
    r"applications?|inhalations?|suppositor(?:y|ies)|vials?|ampules?|pills?|lozenges?|packets?|"
    r"teaspoons?|tsp|tablespoons?|tbsp)"
)
DOSE_PATTERN = re.compile(
    rf"(?<![\w.]){_FIND_NUM}(?:\s*[-/]\s*{_FIND_NUM})?\s*{_FIND_DOSE_UNIT}(?:\s*/\s*(?:ml|mL|hr|h|kg|day|dose|actuation|spray))?(?![\w])",
    re.IGNORECASE,
)
DURATION_PATTERN = re.compile(
    rf"(?<![\w])(?:for|x|×|times)\s*(?:the\s+next\s+|another\s+|a\s+total\s+of\s+)?{_FIND_NUM}(?:\s*(?:-|to)\s*{_FIND_NUM})?\s*"
    r"(?:more\s+)?(?:days?|d|weeks?|wks?|months?|mos?|years?|hours?|hrs?)(?![\w])",
    re.IGNORECASE,
)
FREQUENCY_PATTERN = re.compile(
    r"(?<![\w])(?:"
    r"q\.?\s?\d+(?:\s*-\s*\d+)?\s*(?:h|hr|hrs|hours?)\.?"
    r"|every\s+(?:\d+(?:\s*(?:-|to)\s*\d+)?|one|two|three|four|six|eight|twelve|other)\s*(?:hours?|hrs?|h|days?|weeks?|months?|morning|evening|night)?"
    r"|(?:once|twice|one\s+time|two\s+times|three\s+times|four\s+times|[1-6]\s*(?:x|times))\s+(?:a\s+|per\s+|each\s+)?(?:daily|day|a\s+day|weekly|week|nightly|monthly|month)"
    r"|(?:once|twice)\s+daily"
    r"|(?:daily|nightly|weekly|monthly)(?:\s+at\s+bedtime)?"
    r"|at\s+bedtime|in\s+the\s+(?:morning|evening)|as\s+needed(?:\s+for\s+\w+)?"
    r")(?![\w])",
    re.IGNORECASE,
)


# -- parsers: what a mention means ---------------------------------------------------------
_NUMWORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "twenty": 20, "thirty": 30,
             "a": 1, "an": 1, "single": 1, "half": 0.5}
_NUM = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|twenty|thirty)"
_UNIT_UCUM = {  # period units for Timing.repeat.periodUnit (UCUM)
    "s": "s", "sec": "s", "second": "s", "min": "min", "minute": "min", "h": "h", "hr": "h", "hrs": "h",
    "hour": "h", "d": "d", "day": "d", "wk": "wk", "w": "wk", "week": "wk", "mo": "mo", "month": "mo",
    "y": "a", "yr": "a", "year": "a",
}
_UNIT_NAME = {"s": "second", "min": "minute", "h": "hour", "d": "day", "wk": "week", "mo": "month", "a": "year"}


def _num(s: str) -> float | int:
    s = s.strip().lower()
    if s in _NUMWORDS:
        return _NUMWORDS[s]
    v = float(s)
    return int(v) if v.is_integer() else v


def _unit(u: str) -> str | None:
    u = u.lower().rstrip(".")
    if u.endswith("s") and u[:-1] in _UNIT_UCUM:
        u = u[:-1]
    return _UNIT_UCUM.get(u)


_TU = r"(seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?)"
_T_RULES: list[tuple[re.Pattern[str], object]] = [
    # durations -> boundsDuration
    (re.compile(rf"\b(?:for|x|times|over|during)\s*(?:the\s+next\s+|a\s+total\s+of\s+|another\s+)?({_NUM})(?:\s*(?:-|to)\s*({_NUM}))?\s*(?:more\s+)?{_TU}\b(?:\s+total)?"), "duration"),
    (re.compile(rf"^({_NUM})\s*{_TU}(?:\s+course|\s+supply|\s+total)?$"), "duration"),
    # every N unit / qNh
    (re.compile(rf"\b(?:q|every|each)\s*({_NUM})\s*(?:-|to)\s*({_NUM})\s*{_TU}\b"), "every_range"),
    (re.compile(rf"\b(?:q|every|each)\s*({_NUM})\s*{_TU}\b"), "every"),
    (re.compile(rf"\bq\s*({_NUM})\s*(?:-\s*({_NUM}))?\s*(?:h|hr|hrs)\b"), "every_h"),
    (re.compile(r"\b(?:qod|q\s*o\s*d|every\s+other\s+day|every\s+2nd\s+day|alternate\s+days|on\s+alternate\s+days)\b"), ("set", {"frequency": 1, "period": 2, "periodUnit": "d"})),
    (re.compile(r"\b(?:every\s+other\s+week|qow)\b"), ("set", {"frequency": 1, "period": 2, "periodUnit": "wk"})),
    # N times per unit
    (re.compile(rf"\b({_NUM})\s*(?:x|times|time)\s*(?:a|an|per|each|/|every)?\s*{_TU}\b"), "times_per"),
    (re.compile(rf"\b({_NUM})\s*(?:x|times)\s*(?:daily)\b"), "times_daily"),
    (re.compile(r"\b(?:bid|bd|twice\s+(?:a\s+|per\s+)?(?:daily|day))\b"), ("set", {"frequency": 2, "period": 1, "periodUnit": "d"})),
    (re.compile(r"\b(?:tid|tds|thrice\s+daily)\b"), ("set", {"frequency": 3, "period": 1, "periodUnit": "d"})),
    (re.compile(r"\b(?:qid|qds)\b"), ("set", {"frequency": 4, "period": 1, "periodUnit": "d"})),
    (re.compile(r"\btwice\s+(?:a\s+|per\s+)?week(?:ly)?\b|\bbiw\b"), ("set", {"frequency": 2, "period": 1, "periodUnit": "wk"})),
    (re.compile(r"\bthree\s+times\s+(?:a\s+|per\s+)?week\b|\btiw\b"), ("set", {"frequency": 3, "period": 1, "periodUnit": "wk"})),
    (re.compile(r"\b(?:weekly|once\s+(?:a|per)\s+week|every\s+week|qwk|qw|q\s*week)\b"), ("set", {"frequency": 1, "period": 1, "periodUnit": "wk"})),
    (re.compile(r"\b(?:monthly|once\s+(?:a|per)\s+month|every\s+month|q\s*month|qmonth)\b"), ("set", {"frequency": 1, "period": 1, "periodUnit": "mo"})),
    (re.compile(r"\b(?:yearly|annually|once\s+a\s+year)\b"), ("set", {"frequency": 1, "period": 1, "periodUnit": "a"})),
    (re.compile(r"\b(?:qhs|q\s*hs|at\s+bedtime|before\s+bed(?:time)?|nightly\s+at\s+bedtime|hs|every\s+bedtime)\b"), ("when", "HS")),
    (re.compile(r"\b(?:qam|q\s*am|every\s+morning|in\s+the\s+morning|in\s+morning|each\s+morning|in\s+am|every\s+am|mornings|morning\s+only|qmorning)\b"), ("when", "MORN")),
    (re.compile(r"\b(?:qpm|q\s*pm|every\s+evening|in\s+the\s+evening|each\s+evening|in\s+pm|every\s+pm|evenings)\b"), ("when", "EVE")),
    (re.compile(r"\b(?:nightly|every\s+night|at\s+night|each\s+night|qn|q\s*night|nights)\b"), ("when", "NIGHT")),
    (re.compile(r"\b(?:before\s+meals|ac)\b"), ("when", "AC")),
    (re.compile(r"\b(?:after\s+meals|pc)\b"), ("when", "PC")),
    (re.compile(r"\b(?:with\s+meals|with\s+food)\b"), ("when", "C")),
    (re.compile(r"\bbefore\s+breakfast\b"), ("when", "ACM")),
    (re.compile(r"\bwith\s+breakfast\b"), ("when", "CM")),
    (re.compile(r"\bwith\s+dinner\b|\bwith\s+supper\b"), ("when", "CV")),
    (re.compile(r"\b(?:every\s+hour|hourly|q\s*hr|q\s*hour)\b"), ("set", {"frequency": 1, "period": 1, "periodUnit": "h"})),
    (re.compile(r"\b(?:qd|q\s*d|q\s*/\s*day|daily|once\s+(?:a\s+|per\s+)?(?:daily|day)|every\s+day|each\s+day|per\s+day|a\s+day|qday|q\s*day|q24h|od|1\s*x\s*(?:a\s+)?day|once)\b"), ("daily", None)),
    (re.compile(r"\b(?:stat|now|one\s+time\s+(?:only|dose)|x\s*1|times\s+one|once\s+only|single\s+dose)\b"), ("set", {"count": 1})),
]
_PRN = re.compile(r"\b(?:prn|as\s+needed|as\s+necessary|as\s+directed\s+as\s+needed|when\s+needed|if\s+needed|p\s*r\s*n)\b(?:\s+for\s+[a-z ]+)?")
_FILLER = re.compile(r"\b(?:by\s+mouth|po|orally|take|takes|taking|use|apply|instill|inhale|give|and|then|with|to|for|of|the|in|at|on|dose|doses|tab|tabs|tablet|tablets|cap|capsule|drop|drops|puff|puffs|each|eye|eyes|ou|od|os|both|left|right|times)\b")


def parse_timing(text: str) -> dict | None:
    """A FREQUENCY/DURATION mention as a FHIR R4 ``Timing.repeat`` dict.

    ``"asNeeded": True`` is added for PRN (the caller moves it to ``asNeededBoolean``).
    Returns None when nothing in the text is understood as timing.
    """
    if not text or not text.strip():
        return None
    t = text.lower()
    t = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b\.?)", "", t)  # b.i.d. -> bid., q.h.s. -> qhs.
    t = re.sub(r"(?<=\bq)\.\s?(?=\d)", "", t)  # q.6h -> q6h (FREQUENCY_PATTERN tags it)
    t = re.sub(r"(?<=[a-z])\.(?=\s|$)", " ", t)
    t = re.sub(r"(?<=\d)(?=[a-z])|(?<=\bq)(?=\d)", " ", t)  # q4h -> q 4 h; 7days -> 7 days
    t = t.replace("×", "x")
    t = re.sub(r"\s+", " ", t).strip()
    out: dict = {}
    if _PRN.search(t):
        out["asNeeded"] = True
        t = _PRN.sub(" ", t)
    understood = bool(out)
    when: list[str] = []
    for rx, action in _T_RULES:
        m = rx.search(t)
        if not m:
            continue
        understood = True
        t = (t[: m.start()] + " " + t[m.end():]).strip()
        if action == "duration":
            g = m.groups()
            low, high, unit = (g[0], g[1], _unit(g[2])) if len(g) == 3 else (g[0], None, _unit(g[1]))
            if unit is None:
                continue
            d = {"value": _num(low), "unit": _UNIT_NAME[unit], "system": UCUM, "code": unit}
            if high:
                out["boundsRange"] = {"low": d, "high": {**d, "value": _num(high)}}
            else:
                out["boundsDuration"] = d
        elif action == "every_range":
            unit = _unit(m.group(3))
            if unit:
                out.update({"frequency": 1, "period": _num(m.group(1)), "periodMax": _num(m.group(2)), "periodUnit": unit})
        elif action == "every":
            unit = _unit(m.group(2))
            if unit:
                out.setdefault("frequency", 1)
                out.update({"period": _num(m.group(1)), "periodUnit": unit})
        elif action == "every_h":
            out.update({"frequency": 1, "period": _num(m.group(1)), "periodUnit": "h"})
            if m.group(2):
                out["periodMax"] = _num(m.group(2))
        elif action == "times_per":
            unit = _unit(m.group(2))
            if unit:
                out.update({"frequency": _num(m.group(1)), "period": 1, "periodUnit": unit})
        elif action == "times_daily":
            out.update({"frequency": _num(m.group(1)), "period": 1, "periodUnit": "d"})
        elif isinstance(action, tuple) and action[0] == "set":
            for k, v in action[1].items():
                out.setdefault(k, v)
        elif isinstance(action, tuple) and action[0] == "when":
            if action[1] not in when:
                when.append(action[1])
        elif isinstance(action, tuple) and action[0] == "daily":
            if "period" not in out:
                out.update({"frequency": 1, "period": 1, "periodUnit": "d"})
    if when:
        out["when"] = when
        if "period" not in out and "count" not in out:
            out.update({"frequency": len(when) if len(when) > 1 else 1, "period": 1, "periodUnit": "d"})
            out = {k: out[k] for k in ("frequency", "period", "periodUnit", "when", "asNeeded", "boundsDuration") if k in out}
    if not understood or not out:
        return None
    leftover = _FILLER.sub(" ", t)
    leftover = re.sub(r"[\s,;:()\-/]+", " ", leftover).strip()
    if leftover and re.search(r"[a-z]{3,}", leftover) and len(leftover) > 0.6 * len(text):
        return None  # mostly words we do not understand
    order = ("frequency", "frequencyMax", "period", "periodMax", "periodUnit", "when", "count", "boundsDuration", "boundsRange", "asNeeded")
    return {k: out[k] for k in order if k in out}


# UCUM codes for dose units; other units (tablet, puff...) are returned without a system.
_DOSE_UNITS: dict[str, tuple[str, str | None]] = {
    "mg": ("mg", "mg"), "milligram": ("mg", "mg"), "milligrams": ("mg", "mg"),
    "mcg": ("mcg", "ug"), "µg": ("mcg", "ug"), "ug": ("mcg", "ug"), "microgram": ("mcg", "ug"), "micrograms": ("mcg", "ug"),
    "g": ("g", "g"), "gm": ("g", "g"), "gram": ("g", "g"), "grams": ("g", "g"), "gms": ("g", "g"),
    "kg": ("kg", "kg"),
    "ml": ("mL", "mL"), "mls": ("mL", "mL"), "milliliter": ("mL", "mL"), "milliliters": ("mL", "mL"), "cc": ("mL", "mL"),
    "l": ("L", "L"), "liter": ("L", "L"), "liters": ("L", "L"),
    "unit": ("unit", "[iU]"), "units": ("unit", "[iU]"), "u": ("unit", "[iU]"), "iu": ("unit", "[iU]"),
    "meq": ("mEq", "meq"), "mmol": ("mmol", "mmol"), "%": ("%", "%"),
    "mg/ml": ("mg/mL", "mg/mL"), "mcg/ml": ("mcg/mL", "ug/mL"), "mg/kg": ("mg/kg", "mg/kg"),
    "mcg/hr": ("mcg/h", "ug/h"), "mg/hr": ("mg/h", "mg/h"), "mg/5ml": ("mg/5 mL", "mg/(5.mL)"),
    "mg/day": ("mg/d", "mg/d"), "mg/d": ("mg/d", "mg/d"), "mcg/day": ("mcg/d", "ug/d"), "g/day": ("g/d", "g/d"),
    "g/d": ("g/d", "g/d"), "mcg/actuation": ("mcg/actuation", None), "units/kg": ("unit/kg", "[iU]/kg"),
    "mg/m2": ("mg/m2", "mg/m2"), "mcg/kg": ("mcg/kg", "ug/kg"),
}
_COUNT_UNITS: dict[str, str] = {
    "tab": "tablet", "tabs": "tablet", "tablet": "tablet", "tablets": "tablet", "tbl": "tablet",
    "cap": "capsule", "caps": "capsule", "capsule": "capsule", "capsules": "capsule",
    "drop": "drop", "drops": "drop", "gtt": "drop", "gtts": "drop",
    "puff": "puff", "puffs": "puff", "inhalation": "puff", "inhalations": "puff",
    "spray": "spray", "sprays": "spray", "patch": "patch", "patches": "patch",
    "suppository": "suppository", "suppositories": "suppository", "supp": "suppository",
    "application": "application", "applications": "application", "applicatorful": "applicator",
    "vial": "vial", "vials": "vial", "ampule": "ampule", "ampules": "ampule", "pill": "pill", "pills": "pill",
    "lozenge": "lozenge", "lozenges": "lozenge", "packet": "packet", "packets": "packet",
    "teaspoon": "teaspoon", "teaspoons": "teaspoon", "tsp": "teaspoon",
    "tablespoon": "tablespoon", "tablespoons": "tablespoon", "tbsp": "tablespoon",
    "injection": "injection", "injections": "injection", "dose": "dose", "doses": "dose",
}
_DOSE_RE = re.compile(
    r"^\s*(?:take|takes|give|use|apply|instill|inhale)?\s*"
    r"(?P<a>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+|\d+\s*/\s*\d+|one|two|three|four|five|six|seven|eight|nine|ten|half|a|an)"
    r"(?:\s*(?:-|to)\s*(?P<b>\d+(?:\.\d+)?|one|two|three|four|five|six))?"
    r"\s*(?P<u>[a-zµ%]+(?:\s*/\s*(?:\d+\s*)?[a-z]+)?)\.?\s*$",
    re.IGNORECASE,
)


_LEAD_DOSE_RE = re.compile(
    r"^(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(?:\s*-\s*\d+(?:\.\d+)?)?\s*[a-zµ%]+(?:/[a-z]+)?(?=[\s,;]|$)",
    re.IGNORECASE,
)


def _dose_num(s: str) -> float | int:
    s = s.strip().lower().replace(",", "")
    if "/" in s:
        v = float(Fraction(s.replace(" ", "")))
    elif s in _NUMWORDS:
        v = float(_NUMWORDS[s])
    else:
        v = float(s)
    return int(v) if v.is_integer() else v


def parse_dose(text: str) -> dict | None:
    """A DOSE mention as a FHIR ``Quantity`` dict; None when it is not a dose.

    UCUM system and code where UCUM has the unit (``mg``, ``mcg`` -> ``ug``, ``mL``,
    ``units`` -> ``[iU]``, ``%``...), else ``{"value": n, "unit": "tablet"}`` with no system.
    A range ("1-2 tablets") gives the low value and ``"high"`` with the high one.
    """
    if not text:
        return None
    t = text.strip().replace("\u03bc", "\u00b5").replace("\u2013", "-").replace("\u2014", "-")
    m = _DOSE_RE.match(t)
    if not m:
        # a dose followed by its timing ("50 mg, daily", "1200 mg weekly"): the leading dose
        lead = _LEAD_DOSE_RE.match(t)
        if not lead or not parse_timing(t[lead.end():]):
            return None
        m = _DOSE_RE.match(lead.group(0))
        if not m:
            return None
    unit = re.sub(r"\s+", "", m.group("u").lower())
    try:
        value = _dose_num(m.group("a"))
        high = _dose_num(m.group("b")) if m.group("b") else None
    except (ValueError, ZeroDivisionError):
        return None
    if unit in _DOSE_UNITS:
        name, code = _DOSE_UNITS[unit]
        q: dict = {"value": value, "unit": name}
        if code:
            q.update({"system": UCUM, "code": code})
    elif unit in _COUNT_UNITS:
        q = {"value": value, "unit": _COUNT_UNITS[unit]}
    else:
        return None
    if high is not None:
        q["high"] = high
    return q


# Routes and sites: SNOMED CT codes from the GPS (route qualifier values; eye body
# structures for OU/OD/OS), HL7 v3 RouteOfAdministration where no free SNOMED CT code exists.
_ROUTES: dict[str, Code] = {}


def _route_table() -> dict[str, Code]:
    if _ROUTES:
        return _ROUTES
    oral = Code(SNOMED, "26643006", "Oral route")
    iv = Code(SNOMED, "47625008", "Intravenous route")
    im = Code(SNOMED, "78421000", "Intramuscular route")
    sc = Code(SNOMED, "34206005", "Subcutaneous route")
    top = Code(SNOMED, "6064005", "Topical route")
    rect = Code(SNOMED, "37161004", "Rectal route")
    vag = Code(SNOMED, "16857009", "Vaginal route")
    nasal = Code(SNOMED, "46713006", "Nasal route")
    idm = Code(SNOMED, "372464004", "Intradermal route")
    ith = Code(SNOMED, "72607000", "Intrathecal route")
    iart = Code(SNOMED, "12130007", "Intra-articular route")
    iarter = Code(SNOMED, "58100008", "Intra-arterial route")
    ou = Code(SNOMED, "362508001", "Both eyes, entire")
    od = Code(SNOMED, "362502000", "Entire right eye")
    os_ = Code(SNOMED, "362503005", "Entire left eye")
    sl = Code(V3_ROUTE, "SL", "Dissolve, sublingual")
    inh = Code(V3_ROUTE, "RESPINHL", "Inhalation, respiratory")
    neb = Code(V3_ROUTE, "NEB", "Inhalation, nebulization")
    td = Code(V3_ROUTE, "TRNSDERM", "Transdermal")
    buc = Code(V3_ROUTE, "BUC", "Topical application, buccal")
    oph = Code(V3_ROUTE, "OPTHALTA", "Topical application, ophthalmic")
    otic = Code(V3_ROUTE, "OT", "Instillation, otic")
    ngt = Code(V3_ROUTE, "NGT", "Instillation, nasogastric tube")
    gt = Code(V3_ROUTE, "GT", "Instillation, gastrostomy tube")
    ivp = Code(V3_ROUTE, "IVPUSH", "Injection, intravenous, push")
    table = {
        oral: ["po", "p o", "by mouth", "oral", "orally", "per os", "via mouth", "mouth", "swallow", "perorally", "per oral"],
        iv: ["iv", "i v", "intravenous", "intravenously", "ivpb", "iv piggyback", "iv infusion", "ivf", "infusion",
             "intravenous infusion", "by vein", "continuous infusion", "iv drip", "drip"],
        iarter: ["intra-arterial", "intraarterial", "intra-arterially", "intraarterially"],
        ivp: ["ivp", "iv push", "slow iv push"],
        im: ["im", "i m", "intramuscular", "intramuscularly", "intramuscular injection"],
        sc: ["sc", "sq", "subq", "sub q", "s c", "subcut", "subcutaneous", "subcutaneously", "sub-q", "sub-cut", "sc injection"],
        top: ["topical", "topically", "top", "to skin", "apply to skin", "apply topically", "cutaneous", "to affected area"],
        rect: ["pr", "rectal", "rectally", "per rectum", "p r"],
        vag: ["pv", "vaginal", "vaginally", "per vagina", "intravaginal"],
        nasal: ["nasal", "intranasal", "intranasally", "nasally", "in each nostril", "each nostril", "in nostril", "per nose"],
        idm: ["intradermal", "id", "intradermally"],
        ith: ["intrathecal", "it", "intrathecally"],
        iart: ["intra-articular", "intraarticular", "intra articular"],
        ou: ["ou", "o u", "both eyes", "each eye", "in both eyes", "in each eye", "bilateral eyes", "both eye"],
        od: ["od", "o d", "right eye", "in the right eye", "re", "r eye", "rt eye"],
        os_: ["os", "o s", "left eye", "in the left eye", "le", "l eye", "lt eye"],
        sl: ["sl", "s l", "sublingual", "sublingually", "under the tongue", "under tongue"],
        inh: ["inh", "inhaled", "inhalation", "inhale", "by inhalation", "inhl", "via inhaler", "inhaler", "mdi"],
        neb: ["neb", "nebulized", "nebulizer", "via nebulizer", "nebs", "nebulization"],
        td: ["td", "transdermal", "transdermally", "patch"],
        buc: ["buccal", "buccally"],
        oph: ["ophthalmic", "in the eye", "in eye", "eye drops", "ophth", "to the eye", "in eyes", "to eyes"],
        otic: ["otic", "in the ear", "in ear", "in ears", "to ear", "au", "a u", "in both ears"],
        ngt: ["ng", "ngt", "per ng tube", "via ng tube", "per ngt", "ng tube", "via ngt"],
        gt: ["gt", "peg", "per g tube", "via g tube", "via g-tube", "per peg", "per peg tube", "g tube", "g-tube", "via peg", "per gt", "per tube"],
    }
    for code, forms in table.items():
        for f in forms:
            _ROUTES[loose_term(normalize_term(f))] = code
    return _ROUTES


def route_code(text: str) -> Code | None:
    """The code of a ROUTE mention ("PO" -> SNOMED CT 26643006 Oral route), or None.

    OU/OD/OS are coded with SNOMED CT body structures (both/right/left eye) - the site of
    ophthalmic administration; sublingual, inhaled, nebulized, transdermal, buccal,
    ophthalmic, otic and tube routes use HL7 v3 RouteOfAdministration codes because the free
    SNOMED CT sets (IPS, GPS) do not contain those route concepts.
    """
    if not text:
        return None
    key = loose_term(normalize_term(text))
    table = _route_table()
    if key in table:
        return table[key]
    key2 = re.sub(r"^(?:by|via|per|in|into|to|route|rt)\s+", "", key)
    key2 = re.sub(r"\s+(?:route|administration)$", "", key2)
    return table.get(key2)


# -- the dosage of a medication ----------------------------------------------------------------

_SIG_TAIL = re.compile(r"[ \t]*(?:with|before|after|at|for|on|in)\b[^\n.;,]{1,35}")
_PRN_WORDS = re.compile(r"\bprn\b|as\s+needed", re.I)
#: both eyes, right eye, left eye (body structures ``route_code`` gives for OU/OD/OS)
_EYE_SITES = {"362508001", "362502000", "362503005"}
_OPHTHALMIC = Code(V3_ROUTE, "OPTHALTA", "Topical application, ophthalmic")


def sig_end(text: str, end: int, starts: Sequence[int]) -> int:
    """Where a sig ends: its instruction after the last attribute ending at ``end`` is part
    of it ("two times daily with meals", "once daily before breakfast"): a short phrase
    opened by a preposition, up to the end of the line or clause, that holds no other
    mention. ``starts``: the sorted start offsets of the note's entities."""
    m = _SIG_TAIL.match(text, end)
    if not m:
        return end
    tail_end = m.end()
    i = bisect_left(starts, end)
    if i < len(starts) and starts[i] < tail_end:
        return end
    return len(text[:tail_end].rstrip())


def _quantity(q: dict[str, Any]) -> Quantity:
    return Quantity(q["value"], q["unit"], q.get("system"), q.get("code"), q.get("high"))


def _timing(repeat: dict[str, Any]) -> Timing:
    bd, br = repeat.get("boundsDuration"), repeat.get("boundsRange")
    return Timing(
        frequency=repeat.get("frequency"),
        frequency_max=repeat.get("frequencyMax"),
        period=repeat.get("period"),
        period_max=repeat.get("periodMax"),
        period_unit=repeat.get("periodUnit"),
        when=tuple(repeat.get("when", ())),
        count=repeat.get("count"),
        bounds_duration=_quantity(bd) if bd else None,
        bounds_range=(_quantity(br["low"]), _quantity(br["high"])) if br else None,
    )


def dosage_of(text: str, med: Entity, starts: Sequence[int]) -> Dosage | None:
    """The :class:`~ehrnlp.model.Dosage` of a MEDICATION from its linked attributes, or None
    when it has none.

    ``starts`` are the sorted start offsets of the note's entities (the sig's trailing
    instruction stops before another mention). FREQUENCY and DURATION attributes merge into
    one timing (the first value of each field wins); PRN in either makes ``as_needed``.
    The route is coded with :func:`route_code`; when that names an eye (OU/OD/OS, "left
    eye"), the eye is the ``site`` and the route is ophthalmic.
    """
    attrs = list(med.attributes)
    if not attrs:
        return None
    start = min([med.start] + [a.start for a in attrs])
    end = sig_end(text, max([med.end] + [a.end for a in attrs]), starts)
    route_text: str | None = None
    site_text: str | None = None
    route_codes: tuple[Code, ...] = ()
    site_codes: tuple[Code, ...] = ()
    route = med.attribute("ROUTE")
    if route is not None:
        code = route_code(route.text)
        if code is not None and code.system == SNOMED and code.code in _EYE_SITES:
            site_text, site_codes = route.text, (code,)
            route_text, route_codes = "ophthalmic", (_OPHTHALMIC,)
        else:
            route_text = route.text
            route_codes = (code,) if code is not None else tuple(route.codes)
    dose = None
    dose_ent = med.attribute("DOSE")
    if dose_ent is not None:
        q = parse_dose(dose_ent.text)
        if q and "value" in q:
            dose = _quantity(q)
    repeat: dict[str, Any] = {}
    as_needed = False
    for lab in ("FREQUENCY", "DURATION"):
        for a in attrs:
            if a.label != lab:
                continue
            t = parse_timing(a.text)
            if t:
                t = dict(t)
                if t.pop("asNeeded", False):
                    as_needed = True
                for k, v in t.items():
                    repeat.setdefault(k, v)
            if lab == "FREQUENCY" and _PRN_WORDS.search(a.text):
                as_needed = True
    return Dosage(start, end, text[start:end], dose=dose, timing=_timing(repeat) if repeat else None,
                  as_needed=as_needed, route_text=route_text, route_codes=route_codes,
                  site_text=site_text, site_codes=site_codes)
