"""Normalization: link mentions to RxNorm, SNOMED CT and ICD-10-CM codes.

The :class:`NormalizeStage` links every entity of a document in three steps, stopping at the
first that finds something:

1. **exact** - the mention's normalized form (then a looser form without ``-``/``/``
   punctuation) is a vocabulary term of a compatible label;
2. **abbreviation** - context words are stripped (``h/o``, ``c/o``, ``allergy to``, severity
   words), abbreviations inside the mention are expanded (``L knee pain`` -> ``left knee
   pain``, ``severe SOB`` -> ``dyspnea``) and plurals are singularized, then look-up again;
3. **fuzzy** - rapidfuzz similarity over the vocabulary terms of compatible labels, with a
   spelling-squashing key (``ph``/``f``, doubled letters) and ``cfg.fuzzy_cutoff`` (0..100).

It also sets the qualifiers that depend on codes: ``Entity.allergy_category`` of an ALLERGEN
(``"medication"`` when coded in RxNorm or UNII, see :func:`ehrnlp.allergy.allergy_category`)
and, when the sig table could not code a medication's route, ``Entity.dosage.route_codes``
from its ROUTE mention.

Every :class:`~ehrnlp.model.Code` carries a score in 0..1: 1.0 for exact matches, 0.95 (or
the sense's weight for ambiguous abbreviations) for expansions, the similarity for fuzzy
ones, and the vocabulary ``term`` it matched and the ``method`` (``exact``, ``abbreviation``,
``fuzzy``), so a reader sees why a code was given. Unmatched mentions keep ``codes=()`` (text-only CodeableConcepts downstream).

The sig helpers :func:`parse_timing`, :func:`parse_dose` and :func:`route_code` (which turn
FREQUENCY/DURATION, DOSE and ROUTE mentions into FHIR ``Timing.repeat``, ``Quantity`` and a
route ``Code``) live with the rest of the sig grammar in :mod:`ehrnlp.sig`; they are
re-exported here.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .allergy import allergy_category
from .config import NormalizeConfig
from .model import Code, Document, Dosage, Entity
from .sig import parse_dose, parse_timing, route_code
from .terminology import ICD10CM, RXNORM, SNOMED, UCUM, V3_ROUTE
from .vocab import VocabEntry, Vocabulary, loose_term, normalize_term

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
    r"disorder|finding|situation|"  # SNOMED CT semantic tags ("acute bronchitis (disorder)")
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

_TOKEN_SPLIT = re.compile(r"(\s+|/)")
#: the same concept worded two ways ("malignant neoplasm of breast" = "malignant tumor of breast")
_WORDINGS = (("malignant neoplasm", "malignant tumor"), ("history of ", "h/o "))
_DOUBLE = re.compile(r"(.)\1+")
_ROMAN = re.compile(r"^[ivxlc]+$")


def _squash(norm: str) -> str:
    """A spelling-tolerant key for fuzzy matching: ph->f, y->i, ae/oe->e, doubled letters single."""
    t = loose_term(norm)
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
            self.loose.setdefault(loose_term(e.norm), []).append(e)
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
    requires: tuple[str, ...] = ("doc.entities",)
    assigns: tuple[str, ...] = ("entity.codes",)

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
        self._drugs: Any = None  # the clinical drug table (False: absent)
        self._ingredient_names: dict[str, str] = {}
        self._load_drugs()  # at load(): running the stage never reads the disk

    def __getstate__(self) -> dict:
        # caches are per process (the ranking cache is keyed by object identity)
        state = dict(self.__dict__)
        state["_cache"], state["_ranked"] = {}, {}
        state["_drugs"] = None
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
            if e.label == "MEDICATION":
                codes = self._clinical_drug(doc, e, codes)
            attrs = tuple(fill(a) for a in e.attributes)
            changes: dict = {}
            if codes != e.codes or attrs != e.attributes:
                changes.update(codes=codes, attributes=attrs)
            if e.label == "ALLERGEN":
                # the code decides the category before the words ("medication" when RxNorm/UNII)
                category = allergy_category(e.text, codes)
                if category != e.allergy_category:
                    changes["allergy_category"] = category
            dosage = _coded_route(e.dosage, attrs)
            if dosage is not e.dosage:
                changes["dosage"] = dosage
            out = dataclasses.replace(e, **changes) if changes else e
            memo[k] = out
            return out

        return doc.replace(entities=tuple(fill(e) for e in doc.entities))

    def pipe(self, docs: list[Document]) -> list[Document]:
        return [self(d) for d in docs]

    # -- clinical drugs (ehrnlp.rxdrug) -------------------------------------------------
    def _load_drugs(self) -> None:
        from .rxdrug import load_clinical_drugs

        self._drugs = load_clinical_drugs() or False
        self._ingredient_names = {x.code: x.display.lower() for x in self.vocabulary.entries
                                  if x.system == RXNORM and x.tty == "IN"}

    def _clinical_drug(self, doc: Document, e: Entity, codes: tuple[Code, ...]) -> tuple[Code, ...]:
        """The mention's SBD / SCD / SCDC first (when its clause pins one down), then ``codes``."""
        if self._drugs is None:  # unpickled in another process (Spark): read it there once
            self._load_drugs()
        if self._drugs is False:
            return codes
        ingredients = [c.code for c in codes if c.system == RXNORM]
        from .rxdrug import ClauseIndex, medication_clause

        index = doc.__dict__.get("_clause_index")
        if index is None:  # once per document, not per mention (a cache, not a field)
            index = ClauseIndex(x for x in doc.entities if x.label == "MEDICATION")
            object.__setattr__(doc, "_clause_index", index)
        start, end = medication_clause(doc.text, e, index)
        specific = self._drugs.resolve(ingredients, doc.text[start:end], names=self._ingredient_names)
        if not specific:
            return codes
        have = {c.code for c in specific}
        return specific + tuple(c for c in codes if c.code not in have)

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
            hits = idx.exact.get(norm) or idx.loose.get(loose_term(norm))
            if not hits and idx.combo:
                ck = _combo_key(norm)
                hits = idx.combo.get(ck) if ck else None
                if hits:  # the combination concept itself, not the brands of it
                    hits = [e for e in hits if e.tty != "BN>MIN"] or hits
            if hits:
                return lab, hits
        return None

    def _codes(self, entries: list[VocabEntry], score: float, method: str | None = None) -> tuple[Code, ...]:
        """Codes of ``entries``, ranked, each with the vocabulary term behind it and ``method``."""
        cached = self._ranked.get(id(entries))
        if cached is None or cached[0] is not entries:
            cached = (entries, self._rank(entries))
            if len(self._ranked) < self._cache_max:
                self._ranked[id(entries)] = cached
        return tuple(Code(e.system, e.code, e.display, round(score, 4), e.term, method) for e in cached[1])

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
                     self._codes(entries, score, method), tuple(entries))

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

        for a, b in _WORDINGS:  # SNOMED CT preferred term vs fully specified name wordings
            if a in norm:
                yield from emit(norm.replace(a, b), 0.97)
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


def _coded_route(dosage: Dosage | None, attrs: tuple[Entity, ...]) -> Dosage | None:
    """A dosage whose route the sig table could not code takes the vocabulary's codes of its
    ROUTE attribute (``dosage`` itself when there is nothing to add)."""
    if dosage is None or dosage.route_codes or dosage.site_codes or dosage.route_text is None:
        return dosage
    route = next((a for a in attrs if a.label == "ROUTE"), None)
    if route is None or not route.codes:
        return dosage
    return dataclasses.replace(dosage, route_codes=route.codes)
