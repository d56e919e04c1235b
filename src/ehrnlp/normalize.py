"""Normalization: link mentions to RxNorm, SNOMED CT and ICD-10-CM codes, parse sigs.

The :class:`NormalizeStage` links every entity of a document in three steps, stopping at the
first that finds something:

1. **exact** - the mention's normalized form (then a looser form without ``-``/``/``
   punctuation) is a vocabulary term of a compatible label;
2. **abbreviation** - context words are stripped (``h/o``, ``c/o``, ``allergy to``, severity
   words), abbreviations inside the mention are expanded (``L knee pain`` -> ``left knee
   pain``, ``severe SOB`` -> ``dyspnea``) and plurals are singularized, then look-up again;
3. **fuzzy** - rapidfuzz similarity over the vocabulary terms of compatible labels, with a
   spelling-squashing key (``ph``/``f``, doubled letters) and ``cfg.fuzzy_cutoff`` (0..100).

Every :class:`~ehrnlp.model.Code` carries a score in 0..1: 1.0 for exact matches, 0.95 (or
the sense's weight for ambiguous abbreviations) for expansions, the similarity for fuzzy
ones. Unmatched mentions keep ``codes=()`` (text-only CodeableConcepts downstream).

The sig helpers :func:`parse_timing`, :func:`parse_dose` and :func:`route_code` turn
FREQUENCY/DURATION, DOSE and ROUTE mentions into FHIR ``Timing.repeat``, ``Quantity`` and a
route ``Code``.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

from .config import NormalizeConfig
from .model import Code, Document, Entity
from .terminology import ICD10CM, RXNORM, SNOMED, UCUM, V3_ROUTE
from .vocab import Vocabulary, VocabEntry, normalize_term

__all__ = [
    "NormalizeStage",
    "Match",
    "parse_timing",
    "parse_dose",
    "route_code",
    "RXNORM",
    "SNOMED",
    "ICD10CM",
    "UCUM",
]

#: vocabulary labels searched for a mention label, in order of preference
LABEL_GROUPS: dict[str, tuple[str, ...]] = {
    "MEDICATION": ("MEDICATION",),
    "ALLERGEN": ("ALLERGEN", "MEDICATION"),
    "SYMPTOM": ("SYMPTOM", "PROBLEM", "REACTION"),
    "PROBLEM": ("PROBLEM", "SYMPTOM"),
    "REACTION": ("REACTION", "SYMPTOM", "PROBLEM"),
    "ROUTE": ("ROUTE",),
    "SEVERITY": ("SEVERITY",),
}
#: labels whose mentions are parsed (parse_timing/parse_dose), not linked to codes
UNCODED_LABELS = frozenset({"DOSE", "FREQUENCY", "DURATION"})

# Context words around a mention that are not part of the concept ("h/o HTN", "allergic to PCN").
_CONTEXT_PREFIX = re.compile(
    r"^(?:h/o|hx of|hx|history of|h/x|c/o|pf|preservative free|preservative-free|generic|brand|otc|complains of|complaining of|complaint of|s/p|status post|"
    r"allergy to|allergies to|allergic to|allergic reaction to|allergy|intolerance to|sensitivity to|"
    r"reaction to|possible|probable|likely|suspected|presumed|known|new|worsening|worsened|increased|"
    r"recurrent|intermittent|occasional|persistent|ongoing|chronic|acute|mild|moderate|severe|"
    r"significant|some|slight|minimal|marked|bilateral|bilat|b/l|left|right|l|r)\s+"
)
_CONTEXT_SUFFIX = re.compile(
    r"\s+(?:allergy|allergies|intolerance|sensitivity|hx|history|symptoms|sx|episodes?|"
    r"attacks?|exacerbation|flare|dz|disease process|nos|unspecified|tabs?|tablets?|caps?|capsules?|"
    r"pills?|drops?|gtts|inhaler|cream|ointment|oint|ung|gel|patch|injection|solution|soln|susp|suspension|er|xr|xl|sr|cr|la|ds|hcl|"
    r"eye\s+drops?|ophthalmic(?:\s+solution)?|nasal\s+spray|spray|hfa|mdi|pf|diskus|ellipta|respimat|handihaler|"
    r"flexpen|kwikpen|solostar|flextouch|pen|autoinjector|auto-injector|hd|z|p|no\.?\s*\d|#\s*\d|"
    r"\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|%|units?)?)$"
)
# Token-level abbreviations that are not entities themselves (expanded inside a mention).
TOKEN_ABBREVIATIONS: dict[str, str] = {
    "l": "left", "lt": "left", "r": "right", "rt": "right", "b/l": "bilateral", "bilat": "bilateral",
    "abd": "abdominal", "ext": "extremity", "le": "lower extremity", "ue": "upper extremity",
    "lle": "left lower extremity", "rle": "right lower extremity", "bue": "bilateral upper extremity",
    "ble": "bilateral lower extremity", "sx": "symptoms", "hx": "history", "w/": "with", "w/o": "without",
    "sz": "seizure", "szs": "seizures", "htn": "hypertension", "dm": "diabetes mellitus", "pna": "pneumonia",
    "uti": "urinary tract infection", "chf": "congestive heart failure", "cp": "chest pain", "ha": "headache",
    "n/v": "nausea and vomiting", "sob": "shortness of breath", "ams": "altered mental status",
    "loc": "loss of consciousness", "gi": "gastrointestinal", "gu": "genitourinary", "resp": "respiratory",
    "pulm": "pulmonary", "card": "cardiac", "neuro": "neurologic", "psych": "psychiatric", "ms": "mental status",
    "uri": "upper respiratory infection", "dz": "disease", "d/o": "disorder", "infxn": "infection",
    "inf": "infection", "sev": "severe", "mod": "moderate", "chr": "chronic", "ac": "acute",
    "bp": "blood pressure", "hr": "heart rate", "wt": "weight", "ht": "height", "pt": "patient",
    "eval": "evaluation", "hosp": "hospital", "dx": "diagnosis", "tx": "treatment",
    "rx": "prescription", "fx": "fracture", "mvc": "motor vehicle collision", "dec": "decreased",
    "incr": "increased", "diff": "difficulty", "od": "right eye", "os": "left eye", "ou": "both eyes",
}

_SEP = re.compile(r"[\s\-/.,+']+")
_TOKEN_SPLIT = re.compile(r"(\s+|/)")
_DOUBLE = re.compile(r"(.)\1+")
_ROMAN = re.compile(r"^[ivxlc]+$")


def _loose(norm: str) -> str:
    """A looser key: separators folded to spaces ("amoxicillin-clavulanate" == "amoxicillin/clavulanate")."""
    return _SEP.sub(" ", norm).strip()


def _squash(norm: str) -> str:
    """A spelling-tolerant key for fuzzy matching: ph->f, y->i, ae/oe->e, doubled letters single."""
    t = _loose(norm)
    t = t.replace("ph", "f").replace("ae", "e").replace("oe", "e").replace("y", "i").replace("ck", "k")
    t = t.replace("z", "s").replace("th", "t")
    # doubled letters single, except in roman numerals and short tokens ("type iii", "viii")
    return " ".join(w if len(w) <= 3 or _ROMAN.match(w) else _DOUBLE.sub(r"\1", w) for w in t.split())


_COMBO_SPLIT = re.compile(r"\s*(?:/|\+|\band\b|\bwith\b|-(?=[a-z]{3}))\s*")


def _combo_key(norm: str) -> str | None:
    """Order-free key of a combination ("timolol/dorzolamide" == "dorzolamide / timolol")."""
    parts = [p.strip() for p in _COMBO_SPLIT.split(norm) if p.strip()]
    if len(parts) < 2:
        return None
    return " / ".join(sorted(parts))


def _singular(norm: str) -> str:
    words = norm.split()
    if not words:
        return norm
    w = words[-1]
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "os")):
        w = w[:-1]
    return " ".join(words[:-1] + [w])


@dataclass(frozen=True)
class Match:
    """How a mention was linked (for ``ehrnlp vocab lookup`` and debugging)."""

    text: str
    label: str | None
    method: str  # "exact", "abbreviation" or "fuzzy"
    term: str  # the vocabulary term that matched
    matched_label: str
    score: float
    codes: tuple[Code, ...]
    entries: tuple[VocabEntry, ...]


# ranking of vocabulary rows: the multiple-ingredient concept of a combination, then the
# ingredients, then precise-ingredient and brand codes; SNOMED CT before ICD-10-CM
_TTY_RANK = {"BN>MIN": -1, "MIN": -1, "IN": 0, "BN>IN": 0, "PIN>IN": 0, "synonym": 1, "abbr": 1, "abbr-ambiguous": 1,
             "class": 2, "PIN": 3, "BN>PIN": 3, "BN": 4, "map": 5}
_SYSTEM_RANK = {RXNORM: 0, SNOMED: 0, V3_ROUTE: 1, ICD10CM: 2}


def _entry_rank(e: VocabEntry) -> tuple[int, int, int]:
    curated = 0 if e.source.startswith("curated") else 1
    tty = _TTY_RANK.get(e.tty, 1)
    if e.system == RXNORM and e.tty == "abbr-ambiguous" and e.display.lower() == e.term.lower():
        tty = 4  # a brand's own code, marked ambiguous: after its ingredients
    return (_SYSTEM_RANK.get(e.system, 3), tty, curated)


class _LabelIndex:
    """Terms of one label: exact and loose dictionaries and fuzzy choice buckets."""

    def __init__(self, entries: list[VocabEntry]):
        self.exact: dict[str, list[VocabEntry]] = {}
        self.loose: dict[str, list[VocabEntry]] = {}
        self.combo: dict[str, list[VocabEntry]] = {}
        for e in entries:
            self.exact.setdefault(e.norm, []).append(e)
            self.loose.setdefault(_loose(e.norm), []).append(e)
            if e.tty in ("MIN", "BN>MIN") or " / " in e.norm:
                ck = _combo_key(e.norm)
                if ck:
                    self.combo.setdefault(ck, []).append(e)
        # fuzzy choices: squashed keys bucketed by first character (a misspelled first letter
        # is rare and bucketing makes the scan ~20x cheaper)
        # and sorted by length, so a query scans only the lengths that can reach the cutoff
        self.buckets: dict[str, tuple[list[str], list[str], list[int]]] = {}
        seen: set[str] = set()
        items: list[tuple[str, str]] = []
        for norm, es in self.exact.items():
            if not any(e.code for e in es):
                continue  # a fuzzy match to an uncoded term tells nothing
            key = _squash(norm)
            if len(key) < 4 or key in seen:
                continue
            seen.add(key)
            items.append((key, norm))
        items.sort(key=lambda kv: (kv[0][0], len(kv[0]), kv[0]))
        for key, norm in items:
            keys, norms, lens = self.buckets.setdefault(key[0], ([], [], []))
            keys.append(key)
            norms.append(norm)
            lens.append(len(key))



class NormalizeStage:
    """Pipeline stage filling ``Entity.codes``; see the module docstring."""

    name = "normalize"
    requires = ("ner",)

    def __init__(self, vocabulary: Vocabulary, cfg: NormalizeConfig | None = None):
        self.vocabulary = vocabulary
        self.cfg = cfg or NormalizeConfig()
        self.version = f"vocab-{len(vocabulary)}"
        by_label: dict[str, list[VocabEntry]] = {}
        for e in vocabulary.entries:
            by_label.setdefault(e.label, []).append(e)
        self._index = {label: _LabelIndex(es) for label, es in by_label.items()}
        # abbreviation senses from the vocabulary (uncoded rows keep the sense in ``display``)
        self._abbr: dict[str, str] = dict(TOKEN_ABBREVIATIONS)
        for e in vocabulary.entries:
            if e.tty == "abbr" and " " not in e.norm and "/" not in e.norm and e.display:
                if e.code and e.system not in (RXNORM,):
                    continue  # coded findings expand through their own rows
                self._abbr.setdefault(e.norm, normalize_term(e.display.split(" / ")[0]) if e.code else normalize_term(e.display))
        self._cache: dict[tuple[str, str | None], Match | None] = {}
        self._ranked: dict[int, tuple[list[VocabEntry], list[VocabEntry]]] = {}
        self._cache_max = 200_000

    def __getstate__(self) -> dict:
        # caches are per process (the ranking cache is keyed by object identity)
        state = dict(self.__dict__)
        state["_cache"], state["_ranked"] = {}, {}
        return state

    # -- public API ----------------------------------------------------------------
    def link(self, text: str, label: str | None = None) -> tuple[Code, ...]:
        """Codes for a mention, best first; ``()`` when nothing matches."""
        m = self.match(text, label)
        return m.codes if m else ()

    def match(self, text: str, label: str | None = None) -> Match | None:
        """The best :class:`Match` for a mention (how it matched, which term, which codes)."""
        if label is not None:
            label = label.upper()
        if label in UNCODED_LABELS:
            return None
        norm = normalize_term(text)
        if not norm:
            return None
        key = (norm, label)
        if key in self._cache:
            return self._cache[key]
        m = self._match(text, norm, label)
        if len(self._cache) >= self._cache_max:
            self._cache.clear()
        self._cache[key] = m
        return m

    def __call__(self, doc: Document) -> Document:
        memo: dict[tuple[int, int, str, str], Entity] = {}

        def fill(e: Entity) -> Entity:
            k = (e.start, e.end, e.label, e.text)
            if k in memo:
                return memo[k]
            codes = self.link(e.text, e.label) if e.label not in UNCODED_LABELS else ()
            if not codes:
                codes = e.codes  # keep codes another component set; unmatched stays ()
            attrs = tuple(fill(a) for a in e.attributes)
            out = e if (codes == e.codes and attrs == e.attributes) else dataclasses.replace(e, codes=codes, attributes=attrs)
            memo[k] = out
            return out

        return doc.replace(entities=tuple(fill(e) for e in doc.entities))

    def pipe(self, docs: list[Document]) -> list[Document]:
        return [self(d) for d in docs]

    # -- matching --------------------------------------------------------------------
    def _labels(self, label: str | None) -> tuple[str, ...]:
        if label is None:
            return ("MEDICATION", "PROBLEM", "SYMPTOM", "ALLERGEN", "REACTION", "ROUTE", "SEVERITY",
                    "FREQUENCY", "DURATION")
        return LABEL_GROUPS.get(label, (label,))

    def _lookup(self, norm: str, labels: tuple[str, ...]) -> tuple[str, list[VocabEntry]] | None:
        for lab in labels:
            idx = self._index.get(lab)
            if idx is None:
                continue
            hits = idx.exact.get(norm) or idx.loose.get(_loose(norm))
            if not hits and idx.combo:
                ck = _combo_key(norm)
                hits = idx.combo.get(ck) if ck else None
                if hits:  # the combination concept itself, not the brands of it
                    hits = [e for e in hits if e.tty != "BN>MIN"] or hits
            if hits:
                return lab, hits
        return None

    def _codes(self, entries: list[VocabEntry], score: float) -> tuple[Code, ...]:
        cached = self._ranked.get(id(entries))
        if cached is None or cached[0] is not entries:
            cached = (entries, self._rank(entries))
            if len(self._ranked) < self._cache_max:
                self._ranked[id(entries)] = cached
        return tuple(Code(e.system, e.code, e.display, round(score, 4)) for e in cached[1])

    def _rank(self, entries: list[VocabEntry]) -> list[VocabEntry]:
        out: list[VocabEntry] = []
        seen: set[tuple[str, str]] = set()
        written = entries[0].norm if entries else ""

        def key(e: VocabEntry):
            # equal-rank codes (the ingredients of a combination) in the order the term names
            # them ("amoxicillin-clavulanate"), else alphabetically
            pos = written.find(e.display.lower().split(",")[0]) if e.display else -1
            return (*_entry_rank(e), pos if pos >= 0 else 10_000, e.display.lower())

        for e in sorted(entries, key=key):
            if not e.code or (e.system, e.code) in seen:
                continue
            seen.add((e.system, e.code))
            out.append(e)
        return out

    def _result(self, text, label, method, lab, entries, score) -> Match:
        return Match(text, label, method, entries[0].term, lab, round(score, 4),
                     self._codes(entries, score), tuple(entries))

    def _match(self, text: str, norm: str, label: str | None) -> Match | None:
        labels = self._labels(label)
        # 1. exact
        hit = self._lookup(norm, labels)
        if hit:
            return self._result(text, label, "exact", hit[0], hit[1], 1.0)
        # 2. context stripping, abbreviation expansion, singular
        for cand, weight in self._variants(norm):
            hit = self._lookup(cand, labels)
            if hit:
                lab, entries = hit
                if all(e.tty == "abbr-ambiguous" for e in entries):
                    weight = min(weight, 0.85)
                return self._result(text, label, "abbreviation", lab, entries, weight)
        # 3. fuzzy
        return self._fuzzy(text, norm, label, labels)

    def _variants(self, norm: str) -> Iterable[tuple[str, float]]:
        seen = {norm}

        def emit(c: str, w: float):
            c = c.strip()
            if c and c not in seen:
                seen.add(c)
                yield c, w

        stripped = norm
        for _ in range(4):  # strip context words at both ends, one at a time
            nxt = _CONTEXT_SUFFIX.sub("", _CONTEXT_PREFIX.sub("", stripped))
            if nxt == stripped or not nxt:
                break
            stripped = nxt
            yield from emit(stripped, 0.95)
        for base in dict.fromkeys([norm, stripped]):
            toks = _TOKEN_SPLIT.split(base)
            expanded = "".join(self._abbr.get(t, t) for t in toks)
            yield from emit(expanded, 0.95)
            stripped_exp = _CONTEXT_SUFFIX.sub("", _CONTEXT_PREFIX.sub("", expanded))
            yield from emit(stripped_exp, 0.95)
            yield from emit(_singular(base), 0.97)
            yield from emit(_singular(expanded), 0.95)

    def _fuzzy(self, text: str, norm: str, label: str | None, labels: tuple[str, ...]) -> Match | None:
        from rapidfuzz import fuzz, process

        cutoff = float(self.cfg.fuzzy_cutoff)
        queries = [norm]
        stripped = _CONTEXT_SUFFIX.sub("", _CONTEXT_PREFIX.sub("", norm))
        if stripped != norm and stripped:
            queries.append(stripped)
        best: tuple[float, str, str] | None = None
        for q in queries:
            key = _squash(q)
            if len(key) < 5:  # short strings: fuzzy matching is noise (abbreviations, units)
                continue
            for lab in labels:
                idx = self._index.get(lab)
                if idx is None or key[0] not in idx.buckets:
                    continue
                keys, norms, lens = idx.buckets[key[0]]
                # ratio = 2*matches/(la+lb) >= c/100 bounds lb to [la*c/(200-c), la*(200-c)/c]
                n, c = len(key), max(cutoff, 1.0)
                lo = bisect_left(lens, int(n * c / (200.0 - c)))
                hi = bisect_right(lens, int(n * (200.0 - c) / c) + 1)
                if lo >= hi:
                    continue
                r = process.extractOne(key, keys[lo:hi], scorer=fuzz.ratio, score_cutoff=cutoff)
                if r is None:
                    continue
                i = lo + r[2]
                # the similarity reported is that of the written forms, not of the squashed keys
                score = max(fuzz.ratio(q, norms[i]), r[1] - 2.0)
                if score < cutoff:
                    continue
                if best is None or score > best[0]:
                    best = (score, lab, norms[i])
            if best is not None:
                break
        if best is None:
            return None
        score, lab, term_norm = best
        entries = self._index[lab].exact[term_norm]
        return self._result(text, label, "fuzzy", lab, entries, min(score, 99.0) / 100.0)


# -- sig parsing -------------------------------------------------------------------------
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
            _ROUTES[_loose(normalize_term(f))] = code
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
    key = _loose(normalize_term(text))
    table = _route_table()
    if key in table:
        return table[key]
    key2 = re.sub(r"^(?:by|via|per|in|into|to|route|rt)\s+", "", key)
    key2 = re.sub(r"\s+(?:route|administration)$", "", key2)
    return table.get(key2)
