"""RxNorm at the chart's level: a medication mention with its strength and dose form ->
clinical drug (SCD), branded drug (SBD) or strength component (SCDC).

A chart records "lisinopril 10 MG Oral Tablet" (RXCUI 314076), not the ingredient. The
normalizer links the drug name to its ingredient (IN); :class:`ClinicalDrugs` then reads the
mention's *clause* (its line, cut at ``;``) for what else pins the product down:

* **strengths**: ``10 mg``, ``5 mg/ml``, ``4000 unt/ml``, ``0.09 mg/actuat``, ``0.5%``; units
  are normalized (``mcg``/``ug``/``g`` to MG, ``unit(s)``/``u``/``iu`` to UNT, ``meq``); a
  percentage also matches the MG/ML, MG/MG and MG/G strengths RxNorm writes for it
  (0.5% = 5 MG/ML of a solution, 0.005 MG/MG of a gel);
* **dose form**: RxNorm's forms as written (``oral tablet``, ``injectable suspension``,
  ``extended release oral tablet``, ``ophthalmic solution``) and their usual short forms
  (``tab``, ``cap``, ``susp``, ``soln``, ``inj``, ``ER``, ``eye drops``, ``inhaler``...);
* **brand**: a brand name of one of the candidate branded drugs (``[Epogen]``, ``Lipitor``);
* **lead quantity**: ``1 ML`` / ``24 HR`` written before the name.

Resolution, most specific first: every ingredient of the product is named in the clause and
every component strength is written there; then the dose form decides between the clinical
drugs of those strengths (a unique best one -> SCD, and SBD when the clause names its
brand); without a form, or with several equally good products, the strength component
(SCDC, single-ingredient products only); without a strength, the ingredient stays. A brand
written with a dose form and no matching strength still resolves when the brand has exactly
one branded drug of that form ("Mirena intrauterine system").

The table (``vocab/drugs/rxnorm_clinical_drugs.tsv``) is built by ``scripts/build_vocab.py``
from the RxNorm extract, limited to products whose every ingredient ships in the vocabulary.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import Code
from .terminology import RXNORM

__all__ = ["ClinicalDrugs", "Product", "parse_strengths", "find_form", "drug_table_path", "load_clinical_drugs",
           "medication_clause", "ClauseIndex"]

DRUGS_FILE = Path("drugs") / "rxnorm_clinical_drugs.tsv"

Strength = tuple[float, str]  # (value, unit), e.g. (5.0, "MG/ML")


@dataclass(frozen=True)
class Product:
    rxcui: str
    tty: str  # SCD, SBD or SCDC
    name: str
    components: tuple[tuple[str, float, str], ...]  # (ingredient rxcui, value, unit)
    form: str  # lower case; "" for an SCDC
    lead: str  # "1 ML", "24 HR" or ""
    scd: str  # the SBD's clinical drug
    brand: str  # the SBD's brand name

    def code(self, score: float = 1.0) -> Code:
        return Code(RXNORM, self.rxcui, self.name, score)

    @property
    def written(self) -> tuple[str, ...]:
        """The ingredient names as the product's name writes them ("metformin hydrochloride")."""
        body = re.sub(r" \[[^\]]+\]$", "", self.name).lower()
        out = []
        for part in body.split(" / "):
            m = re.search(r"^(?:(?:nda|anda|bla)\d+ )?(?:\d[\d.]* [a-z0-9]+ )*(.+?) \d[\d.]* ", part + " ")
            out.append(m.group(1) if m else part)
        return tuple(out)


def _named(written: str, low: str) -> bool:
    """The text names an ingredient: its first word, or that word's first five letters
    ("clavulan" for clavulanate), starting a word of the text."""
    first = written.split()[0] if written else ""
    return bool(first) and re.search(r"\b" + re.escape(first[:5] if len(first) > 5 else first), low) is not None


def _name_misses(p: Product, low: str) -> int:
    """How many of the product's ingredient names (as written in RxNorm) the text lacks."""
    return sum(1 for w in p.written if w not in low)


def drug_table_path() -> Path | None:
    """The shipped table: in the package (``ehrnlp/vocab_data/drugs``) or the checkout's vocab/."""
    from .vocab import bundled_vocab_files

    files = bundled_vocab_files()
    if not files:
        return None
    p = files[0].parent / DRUGS_FILE
    return p if p.is_file() else None


# ---------------------------------------------------------------------------- strengths
_MASS = {"mg": 1.0, "mcg": 0.001, "ug": 0.001, "µg": 0.001, "μg": 0.001, "g": 1000.0, "gm": 1000.0, "gram": 1000.0,
         "grams": 1000.0, "milligram": 1.0, "milligrams": 1.0, "microgram": 0.001, "micrograms": 0.001}
_UNITS = {"unt": "UNT", "unit": "UNT", "units": "UNT", "u": "UNT", "iu": "UNT", "meq": "MEQ", "mmol": "MMOL",
          "mci": "MCI", "ml": "ML"}
_DENOM = {"ml": "ML", "actuat": "ACTUAT", "actuation": "ACTUAT", "puff": "ACTUAT", "spray": "ACTUAT",
          "inh": "ACTUAT", "inhalation": "ACTUAT", "hr": "HR", "h": "HR", "mg": "MG", "g": "G", "gm": "G"}
_STRENGTH_RE = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?|\.\d+)\s*"
    r"(mg|mcg|ug|µg|μg|gm|g|grams?|milligrams?|micrograms?|unt|units?|u|iu|meq|mmol|mci|ml|%)"
    r"(?:\s*(?:/|per)\s*(?:(?:\d+(?:\.\d+)?)\s*)?(ml|actuat(?:ion)?|puff|spray|inh(?:alation)?|hr|h|mg|gm|g)\b)?"
    r"(?![\w])", re.IGNORECASE)


def _key(value: float) -> float:
    return float(f"{value:.6g}")


def parse_strengths(text: str) -> set[Strength]:
    """Normalized strengths written in ``text`` (a percentage adds its MG/ML, MG/MG, MG/G forms)."""
    out: set[Strength] = set()
    for m in _STRENGTH_RE.finditer(text):
        raw, unit, denom = m.group(1), m.group(2).lower(), (m.group(3) or "").lower()
        value = float(raw)
        if unit == "%":
            out |= {(_key(value), "%"), (_key(value * 10), "MG/ML"), (_key(value / 100), "MG/MG"),
                    (_key(value * 10), "MG/G")}
            continue
        if unit in _MASS:
            value, unit_s = value * _MASS[unit], "MG"
        else:
            unit_s = _UNITS.get(unit, unit.upper())
        if denom:
            d = _DENOM.get(denom, denom.upper())
            if d == "G" and unit_s == "MG":  # mg/g stays mg/g; RxNorm writes MG/G
                pass
            unit_s = f"{unit_s}/{d}"
        out.add((_key(value), unit_s))
    return out


def _table_strength(value: str, unit: str) -> Strength:
    v = float(value)
    u = unit.upper()
    if u.startswith("MCG"):
        v, u = v * 0.001, "MG" + u[3:]
    return (_key(v), u)


# ------------------------------------------------------------------------------ forms
#: short forms written in notes -> RxNorm dose-form words they stand for
_FORM_ABBR = [
    (r"\b(?:er|xr|xl|sr|cr|la|extended[- ]release|ext[- ]rel|24 ?hr?|12 ?hr?)\b", "extended release"),
    (r"\b(?:dr|ec|delayed[- ]release|enteric[- ]coated)\b", "delayed release"),
    (r"\b(?:odt|orally disintegrating)\b", "disintegrating"),
    (r"\b(?:tabs?|tablets?)\b", "tablet"),
    (r"\b(?:caps?|capsules?)\b", "capsule"),
    (r"\b(?:susp|suspension)\b", "suspension"),
    (r"\b(?:soln|sol|solution)\b", "solution"),
    (r"\b(?:inj|injection|injectable)\b", "injection"),
    (r"\b(?:eye drops?|ophth|ophthalmic|gtts?)\b", "ophthalmic"),
    (r"\b(?:drops?|gtts?)\b", "solution"),
    (r"\b(?:ear drops?|otic)\b", "otic"),
    (r"\b(?:mdi|hfa|inhaler|metered[- ]dose inhaler)\b", "metered dose inhaler"),
    (r"\b(?:neb|nebulizer|nebulized|inhalation)\b", "inhalation"),
    (r"\b(?:oint|ointment|ung)\b", "ointment"),
    (r"\b(?:cream|crm)\b", "cream"),
    (r"\b(?:patch|transdermal)\b", "transdermal"),
    (r"\b(?:supp|suppository)\b", "suppository"),
    (r"\b(?:syrup|elixir|liquid)\b", "solution"),
    (r"\b(?:chewable|chew)\b", "chewable"),
    (r"\b(?:iud|intrauterine)\b", "intrauterine"),
    (r"\b(?:po|oral|by mouth)\b", "oral"),
    (r"\b(?:nasal)\b", "nasal"),
    (r"\b(?:topical)\b", "topical"),
    (r"\b(?:implant)\b", "implant"),
    (r"\b(?:spray)\b", "spray"),
    (r"\b(?:auto-?injector|autoinjector|pen)\b", "auto-injector"),
    (r"\b(?:syringe|prefilled)\b", "prefilled syringe"),
    (r"\b(?:vaginal)\b", "vaginal"),
    (r"\b(?:system)\b", "system"),
    (r"\b(?:mucosal|sublingual|sl)\b", "mucosal"),
]
_FORM_ABBR_RE = [(re.compile(p, re.IGNORECASE), w) for p, w in _FORM_ABBR]
# RxNorm form words equivalent for matching ("Injectable Solution" is an injection)
_FORM_WORDS = {"injectable": "injection", "tablet": "tablet", "capsule": "capsule", "drug": "", "product": "",
               "pack": "", "release": "", "extended": "extended release", "delayed": "delayed release",
               "metered": "metered dose inhaler", "dose": "", "inhaler": "metered dose inhaler",
               "inhalant": "inhalation", "powder": "powder", "disintegrating": "disintegrating"}


#: form features that name a route: a product of another route never fits
_ROUTE_FEATURES = frozenset({"injection", "oral", "ophthalmic", "otic", "nasal", "topical", "vaginal", "inhalation",
                             "transdermal", "intrauterine", "implant", "mucosal", "metered dose inhaler", "suppository"})


def find_form(text: str) -> frozenset[str]:
    """The dose-form features written in ``text`` (``{"oral", "tablet"}`` for "PO tab")."""
    return frozenset(w for rx, w in _FORM_ABBR_RE if rx.search(text))


def _form_features(form: str) -> frozenset[str]:
    feats = set()
    for w in form.lower().replace("-", " ").split():
        mapped = _FORM_WORDS.get(w, w)
        if mapped:
            feats.add(mapped)
    if "auto" in form.lower():
        feats.add("auto-injector")
    if "prefilled" in form.lower():
        feats.add("prefilled syringe")
    if "solution" in feats and "injection" in feats:
        feats.discard("solution")  # "injectable solution" is written "injection"
    return frozenset(feats)


# ----------------------------------------------------------------------------- table
class ClinicalDrugs:
    """The clinical drug table, indexed by ingredient; :meth:`resolve` picks the product."""

    def __init__(self, products: Iterable[Product]):
        self.by_ingredient: dict[str, list[Product]] = defaultdict(list)
        self.sbd_by_scd: dict[str, list[Product]] = defaultdict(list)
        self.sbd_by_brand: dict[str, list[Product]] = defaultdict(list)
        self.scdc: dict[tuple[str, Strength], list[Product]] = defaultdict(list)
        self._features: dict[str, frozenset[str]] = {}
        self.packs: dict[str, list[Product]] = defaultdict(list)
        n = 0
        for p in products:
            n += 1
            if p.tty == "BPCK":
                self.packs[p.brand.lower()].append(p)
                continue
            if p.tty == "SCDC":
                ing, v, u = p.components[0]
                self.scdc[(ing, (v, u))].append(p)
                continue
            self._features[p.rxcui] = _form_features(p.form) | ({"extended release"} if "HR" in p.lead else set())
            if p.tty == "SBD":
                self.sbd_by_scd[p.scd].append(p)
                self.sbd_by_brand[p.brand.lower()].append(p)
            else:
                for ing, _, _ in p.components:
                    self.by_ingredient[ing].append(p)
        self.size = n

    @property
    def rxcuis(self) -> set[str]:
        """Every product code of the table."""
        out = {p.rxcui for ps in self.by_ingredient.values() for p in ps}
        out |= {p.rxcui for ps in self.sbd_by_scd.values() for p in ps}
        out |= {p.rxcui for ps in self.scdc.values() for p in ps}
        out |= {p.rxcui for ps in self.packs.values() for p in ps}
        return out

    def __len__(self) -> int:
        return self.size

    # -- resolution ---------------------------------------------------------------------
    def resolve(self, ingredients: Sequence[str], clause: str, *, brand_codes: Sequence[str] = (),
                names: dict[str, str] | None = None) -> tuple[Code, ...]:
        """Codes more specific than the ingredients for a mention, most specific first
        (``()`` when the clause does not pin a product down).

        ``ingredients``: the mention's RxNorm ingredient codes; ``clause``: the text around
        it (the mention, its strength and form); ``names``: ingredient rxcui -> name as
        RxNorm writes it, for checking that a combination's other ingredients are named.
        """
        low = clause.lower()
        if "pack" in low:
            named = [b for b in self.packs if re.search(r"\b" + re.escape(b) + r"\b", low)]
            longest = max(map(len, named), default=0)  # "camila 28 day" before "camila"
            packs = {p.rxcui: p for b in named if len(b) == longest for p in self.packs[b]
                     if not ingredients or any(c[0] in ingredients for c in p.components)}
            if len(packs) == 1:
                return (next(iter(packs.values())).code(),)
        if not ingredients:
            return ()
        strengths = parse_strengths(low)
        feats = find_form(low)
        brand_hits = self._brands_in(low)
        # 1. products of these ingredients whose every component strength is written
        cands: dict[str, Product] = {}
        for ing in ingredients:
            for p in self.by_ingredient.get(ing, ()):
                if p.rxcui in cands:
                    continue
                if not all((v, u) in strengths for _, v, u in p.components):
                    continue
                if len(p.components) > 1 and not all(
                        c[0] in ingredients or _named(w, low) or (names is not None and (names.get(c[0]) or "\x00") in low)
                        for c, w in zip(p.components, p.written)):
                    continue  # a combination whose other ingredients the text does not name
                cands[p.rxcui] = p
        if not cands:
            return self._brand_only(brand_hits, feats, ingredients)
        # most components first (a combination written in full beats one of its parts)
        top = max(len(p.components) for p in cands.values())
        pool = [p for p in cands.values() if len(p.components) == top]
        # a product whose ingredient names (salts) the text writes beats one whose it does not
        fewest = min(_name_misses(p, low) for p in pool)
        pool = [p for p in pool if _name_misses(p, low) == fewest]
        best = self._best_form(pool, feats, low) if feats else []
        if len(best) == 1:
            scd = best[0]
            sbds = [b for b in self.sbd_by_scd.get(scd.rxcui, ()) if b.brand.lower() in brand_hits]
            codes = [sbds[0].code()] if len(sbds) == 1 else []
            return tuple(codes + [scd.code()])
        # 2. the strength component of a single-ingredient product
        if top == 1:
            comps = {(p.components[0][0], (p.components[0][1], p.components[0][2])) for p in (best or pool)}
            scdcs = [x for k in sorted(comps) for x in self.scdc.get(k, ())]
            if scdcs:
                fewest = min(_name_misses(p, low) for p in scdcs)
                scdcs = [p for p in scdcs if _name_misses(p, low) == fewest]
            if len(scdcs) == 1:
                return (scdcs[0].code(),)
        return ()

    def _brands_in(self, low: str) -> set[str]:
        hits = set()
        for w in re.findall(r"[a-z][a-z0-9\-]+(?: [a-z][a-z0-9\-]+)?", low):
            if w in self.sbd_by_brand:
                hits.add(w)
        for w in re.findall(r"[a-z][a-z0-9\-]+", low):
            if w in self.sbd_by_brand:
                hits.add(w)
        return hits

    def _brand_only(self, brands: set[str], feats: frozenset[str], ingredients: Sequence[str]) -> tuple[Code, ...]:
        """A brand and a form but no strength match: the brand's single branded drug of that form."""
        if not brands or not feats:
            return ()
        pool = [p for b in brands for p in self.sbd_by_brand[b]
                if any(c[0] in ingredients for c in p.components)]
        best = self._best_form(pool, feats, "")
        if len(best) == 1:
            return (best[0].code(),)
        return ()

    def _best_form(self, pool: list[Product], feats: frozenset[str], low: str) -> list[Product]:
        """Products whose form fits the written features best: every product feature that
        the text could have said must be said, fewest unsaid features first, then the lead
        quantity written or absent."""
        scored = []
        for p in pool:
            pf = self._features.get(p.rxcui, frozenset())
            if not (feats & pf) or (feats - pf) & _ROUTE_FEATURES:
                continue  # nothing in common, or the text names another route ("injectable" vs oral)
            missing = len(pf - feats)
            extra = len(feats - pf - {"oral", "system"})
            lead = p.lead.lower()
            lead_pen = 0 if (not lead or (lead in low)) else 1
            if lead and lead in low:
                lead_pen = -1
            scored.append(((missing + extra, _name_misses(p, low) if low else 0, lead_pen), p))
        if not scored:
            return []
        best = min(s for s, _ in scored)
        return [p for s, p in scored if s == best]


def _read(path: Path) -> Iterable[Product]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for r in reader:
            comps = []
            for part in r["components"].split("|"):
                if r["tty"] == "BPCK":
                    ing, value, unit = part.split(":", 2)
                    comps.append((ing, 0.0, unit))
                    continue
                ing, value, unit = part.split(":", 2)
                v, u = _table_strength(value, unit)
                comps.append((ing, v, u))
            yield Product(r["rxcui"], r["tty"], r["name"], tuple(comps), r["form"], r["lead"], r["scd"], r["brand"])


_CACHE: dict[str, ClinicalDrugs] = {}


def load_clinical_drugs(path: str | Path | None = None) -> ClinicalDrugs | None:
    """The shipped clinical drug table (read once per process); None when it is absent."""
    p = Path(path) if path else drug_table_path()
    if p is None or not p.is_file():
        return None
    key = str(p)
    if key not in _CACHE:
        _CACHE[key] = ClinicalDrugs(_read(p))
    return _CACHE[key]


_LIST_SEP = re.compile(r"(?:,|\band\b|\bplus\b)\s*$", re.IGNORECASE)


#: how far a clause reaches before and after its mention, in characters (a sig line)
_CLAUSE_REACH = 300
#: a sentence end inside a line: ". " after two lower-case letters or digits and before a
#: capital ("daily. Metformin"), not an abbreviation ("p.o. BID", "Dr. Smith")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]][a-z0-9)\]])[.!?]\s+(?=[A-Z])")


class ClauseIndex:
    """A note's MEDICATION mentions sorted by start, for :func:`medication_clause`."""

    def __init__(self, medications: Iterable):
        self.meds = sorted(medications, key=lambda x: x.start)
        self.starts = [m.start for m in self.meds]


def medication_clause(text: str, mention, medications: Sequence | ClauseIndex) -> tuple[int, int]:
    """``(start, end)`` of the text describing one medication mention: its line, cut at
    ``;`` and at a list separator (``,``/``and``) before another medication mention.

    ``medications``: the note's MEDICATION mentions, or a :class:`ClauseIndex` of them built
    once per note (the look-ups are then binary searches: O(n log n) per note, not O(n²))."""
    index = medications if isinstance(medications, ClauseIndex) else ClauseIndex(medications)
    meds, starts = index.meds, index.starts
    # a clause is at most a sentence of a line, and never longer than _CLAUSE_REACH either side
    lo = max(0, mention.start - _CLAUSE_REACH)
    hi = min(len(text), mention.end + _CLAUSE_REACH)
    start = max(text.rfind("\n", lo, mention.start), text.rfind(";", lo, mention.start), lo - 1) + 1
    for sent in _SENTENCE_END.finditer(text, start, mention.start + 1):
        start = sent.end()
    ends = [i for i in (text.find("\n", mention.end, hi), text.find(";", mention.end, hi)) if i >= 0]
    end = min(ends) if ends else hi
    if (m := _SENTENCE_END.search(text, mention.end, end)) is not None:
        end = m.start() + 1
    i = bisect_left(starts, mention.end)
    while i < len(meds) and meds[i].start < end:  # later mentions in the clause, nearest first
        other = meds[i]
        if _LIST_SEP.search(text, mention.end, other.start):
            end = other.start
            break
        i += 1
    j = bisect_left(starts, mention.start) - 1
    while j >= 0:  # earlier mentions in the clause, nearest first
        other = meds[j]
        j -= 1
        if other.end <= start and other.start < start:
            break  # entirely before the clause: so are all earlier ones
        if other.end <= mention.start and other.end > start:
            gap = text[other.end : mention.start]
            k = gap.rfind(",")
            if k >= 0 and not gap[k + 1:].strip():  # "drug A 10 mg, drug B"
                start = other.end + k + 1
                break
    return start, end
