"""ConText-style assertion: negated, uncertain, hypothetical, historical, family.

The rules are data (``ehrnlp/rules/context_rules.json``, modelled on medspaCy's
``ConTextRule`` JSON): trigger phrases with a category and a direction, pseudo-triggers
that contain a trigger but assert nothing ("no increase", "not only", "gram negative"),
and terminations that end a trigger's scope ("but", "however", "presents with").

Algorithm, per target span:

1. the sentence holding the span is found (sentence ends, newlines, bullets, and runs of
   two or more spaces -- the field separators of flattened Epic text);
2. every rule match in the sentence is collected; overlapping matches are resolved
   longest first (a pseudo-trigger therefore blocks the shorter trigger inside it);
3. a FORWARD trigger before the target modifies it when no termination lies between
   them and the gap is within the rule's ``max_scope`` tokens; BACKWARD triggers after
   the target likewise; BIDIRECTIONAL both. One trigger scopes over a whole list
   ("No fever, chills, or night sweats") because commas do not terminate.

:class:`AssertionStage` adds the section: targets in the family-history section are
``family``, those in past medical/surgical history are ``historical``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from .errors import ConfigError, InputError
from .model import Assertion, Cue, Document, Entity, Section
from .textnorm import layout_view

__all__ = ["AssertionStage", "ContextRule", "assertion_of", "load_context_rules", "sentence_bounds",
           "family_relation", "medication_status", "normal_finding"]

CATEGORIES = {
    "NEGATED_EXISTENCE": "negated",
    "POSSIBLE_EXISTENCE": "uncertain",
    "HYPOTHETICAL": "hypothetical",
    "HISTORICAL": "historical",
    "FAMILY": "family",
    "RESOLVED": "resolved",
}
DIRECTIONS = ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO")

#: labels the stage asserts by default
ASSERTED_LABELS = ("SYMPTOM", "PROBLEM", "MEDICATION", "ALLERGEN")
_FINDING_LABELS = frozenset({"SYMPTOM", "PROBLEM"})
#: sections that set a flag on SYMPTOM/PROBLEM mentions
SECTION_FLAGS = {"fh": "family", "pmh": "historical", "psh": "historical"}
_SECTION_FLAG_LABELS = ("SYMPTOM", "PROBLEM")


@dataclass(frozen=True)
class ContextRule:
    """One ConText rule (see the description in ``context_rules.json``)."""

    literal: str
    category: str
    direction: str
    pattern: str | None = None
    max_scope: int | None = None
    allowed_types: tuple[str, ...] | None = None
    terminates: tuple[str, ...] | None = None
    excluded_types: tuple[str, ...] | None = None
    #: a TERMINATE rule that ends forward scope only (a clause dash), not a backward trigger's
    forward_only: bool = False
    #: for a ``pattern`` rule, the (lower-case) words every match starts with: the pattern is
    #: then tried only at those words, like a literal, instead of searched through the sentence
    first: tuple[str, ...] | None = None

    def regex(self) -> str:
        if self.pattern:
            return self.pattern
        body = r"\s+".join(re.escape(p) for p in self.literal.split())
        left = r"(?<!\w)" if self.literal[:1].isalnum() else ""
        right = r"(?!\w)" if self.literal[-1:].isalnum() else ""
        return left + body + right


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    rule: ContextRule


class _Rules:
    """Rules indexed by their first token, so a sentence is scanned once."""

    def __init__(self, rules: Sequence[ContextRule]):
        self.rules = tuple(rules)
        self._by_first: dict[str, list[ContextRule]] = {}
        self._patterns: list[ContextRule] = []
        for r in self.rules:
            toks = _TOKEN.findall(r.literal.lower())[:1] if not r.pattern else list(r.first or ())
            if toks:
                for tok in toks:
                    self._by_first.setdefault(tok, []).append(r)
            else:
                self._patterns.append(r)

    def candidates(self, text: str, start: int, end: int) -> list[_Match]:
        """All rule matches in ``text[start:end]``, overlapping ones included."""
        cands: list[_Match] = []
        for tok in _TOKEN.finditer(text, start, end):
            for rule in self._by_first.get(tok.group().lower(), ()):
                m = _single(rule).match(text, tok.start(), end)
                if m:
                    cands.append(_Match(m.start(), m.end(), rule))
        for rule in self._patterns:
            for m in _single(rule).finditer(text, start, end):
                if m.end() > m.start():
                    cands.append(_Match(m.start(), m.end(), rule))
        return cands


def _resolve(cands: Iterable[_Match]) -> list[_Match]:
    """Overlapping matches resolved longest first (order of preference: :func:`_prefer`)."""
    kept: list[_Match] = []
    for m in sorted(cands, key=_prefer):
        # matches of other rules on exactly the same span are all kept
        if any(m.start < k.end and k.start < m.end and (m.start, m.end) != (k.start, k.end) for k in kept):
            continue
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept


def _prefer(m: _Match) -> tuple[int, int, int]:
    # longest first; on equal length a trigger beats a termination and a pseudo-trigger
    rank = {"PSEUDO": 2, "TERMINATE": 1}.get(m.rule.direction, 0)
    return (-(m.end - m.start), rank, m.start)


@cache
def _single(rule: ContextRule) -> re.Pattern[str]:
    return re.compile(rule.regex(), re.IGNORECASE)


def _parse_rules(data: dict, origin: str) -> list[ContextRule]:
    out: list[ContextRule] = []
    for i, r in enumerate(data.get("rules", ())):
        try:
            cat = r["category"]
            direction = r["direction"]
            literal = r["literal"]
        except (KeyError, TypeError):
            raise ConfigError(f"{origin}: rule #{i} needs 'literal', 'category' and 'direction'") from None
        if direction not in DIRECTIONS:
            raise ConfigError(f"{origin}: rule #{i} has direction '{direction}', expected one of {DIRECTIONS}")
        if direction not in ("TERMINATE", "PSEUDO") and cat not in CATEGORIES:
            raise ConfigError(f"{origin}: rule #{i} has category '{cat}', expected one of {tuple(CATEGORIES)}")
        pattern = r.get("pattern")
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{origin}: rule #{i} has an invalid pattern ({exc})") from None
        at = r.get("allowed_types")
        term = r.get("terminates")
        ex = r.get("excluded_types")
        first = r.get("first")
        if first is not None and (not pattern or not isinstance(first, list)
                                  or not all(isinstance(w, str) and _TOKEN.fullmatch(w) for w in first)):
            raise ConfigError(f"{origin}: rule #{i} has 'first' without a pattern or not a list of single words")
        out.append(
            ContextRule(
                literal=literal,
                category=cat,
                direction=direction,
                pattern=pattern,
                max_scope=r.get("max_scope"),
                allowed_types=tuple(at) if at else None,
                terminates=tuple(term) if term else None,
                excluded_types=tuple(ex) if ex else None,
                forward_only=bool(r.get("forward_only", False)),
                first=tuple(w.lower() for w in first) if first else None,
            )
        )
    return out


@lru_cache(maxsize=1)
def _default_rules() -> _Rules:
    from ._resources import bundled_json

    data = bundled_json("rules", "context_rules.json", what="ConText rules")
    return _Rules(_parse_rules(data, "context_rules.json"))


def load_context_rules(path: str | None = None) -> tuple[ContextRule, ...]:
    """The bundled rules, or those of a JSON file in the same format."""
    if path is None:
        return _default_rules().rules
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read ConText rules file {path}: {exc.strerror}") from None
    except ValueError:
        raise ConfigError(f"ConText rules file {path} is not valid JSON") from None
    return tuple(_parse_rules(data, str(path)))


# -- sentences ----------------------------------------------------------------------

_ABBREV = {
    "dr", "mr", "mrs", "ms", "st", "vs", "no", "pt", "approx", "e.g", "i.e", "y.o", "fig", "figs", "ref",
    "jr", "sr", "inc", "dept", "min", "max", "mg", "ml", "q", "b.i.d", "t.i.d", "q.i.d", "p.o", "etc", "al",
}
# hard boundaries: newline, bullet, two or more spaces / a tab (flattened Epic fields)
_HARD = re.compile(r"\n|\u2022|[ \t]{2,}|\t")
# "Diabetes? No", "Flomax use? Never": a questionnaire item and its answer are one sentence
_ANSWER = re.compile(r"\?+[ \t]*(?:yes|no|never|none|unknown|n/a)\b", re.IGNORECASE)
_END = re.compile(r"[.!?]+(?=\s+[\"'\[]?[A-Z0-9*#\-\u2022])")
# in text without capitals (all lower case) a sentence may start with a lower-case word
_END_CASELESS = re.compile(r"[.!?]+(?=\s+[\"'\[]?[a-z0-9*#\-\u2022])")


@lru_cache(maxsize=32)
def _boundaries(text: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """Sentence cuts of ``text``: (hard starts, hard ends, end-mark starts, end-mark ends)."""
    hs, he, es, ee = [], [], [], []
    for m in _HARD.finditer(text):
        hs.append(m.start())
        he.append(m.end())
    end = _END if any(ch.isupper() for ch in text) else _END_CASELESS
    for m in end.finditer(text):
        if not _is_abbrev(text, m.start()) and not _ANSWER.match(text, m.start()):
            es.append(m.start())
            ee.append(m.end())
    return hs, he, es, ee


def sentence_bounds(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence holding offset ``start``.

    Sentences end at ``.``/``!``/``?`` followed by a capital or digit (not after common
    abbreviations such as ``Dr.`` or ``y.o.``; any letter in text without capitals), at
    newlines, bullets and field breaks. The text is read through its
    :func:`~ehrnlp.textnorm.layout_view`: runs of spaces, tabs, no-break spaces, CRLF and
    re-wrapped lines do not move the bounds, and a field break is a run of spaces wider
    than the note's word gap before a word that is not lower case. A span crossing a
    boundary keeps the boundary after its end.
    """
    end = start if end is None else end
    view = layout_view(text)
    if view.identity:
        return _sentence_bounds(text, start, end)
    vs, ve = view.span_to_view(start, end)
    left, right = _sentence_bounds(view.text, vs, ve)
    return view.to_orig(left), max(view.to_orig(left), view.to_orig(right))


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    hs, he, es, ee = _boundaries(text)
    left = 0
    # hard cuts lying wholly before start
    i = bisect_right(he, start) - 1
    while i >= 0 and hs[i] >= start:  # pragma: no cover - hard cuts do not nest
        i -= 1
    if i >= 0:
        left = he[i]
    j = bisect_left(es, start) - 1
    if j >= 0 and es[j] >= left:
        left = max(left, ee[j])
    right = len(text)
    k = bisect_left(hs, end)
    if k < len(hs):
        right = hs[k]
    m = bisect_left(es, end)
    if m < len(es) and es[m] < right:
        right = ee[m]
    return left, right


def _is_abbrev(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    i = dot
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    return word in _ABBREV or (len(word) == 1 and word.isalpha())


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _ntokens(text: str, start: int, end: int) -> int:
    return len(_TOKEN.findall(text, start, end)) if end > start else 0


# -- the engine ---------------------------------------------------------------------


def _assert_in_sentence(
    text: str, sent: tuple[int, int], matches: list[_Match], start: int, end: int, label: str | None
) -> dict[str, _Match]:
    """Each flag that applies to ``text[start:end]``, with the trigger that sets it (the
    nearest one before the target, else the nearest after it)."""
    flags: dict[str, _Match] = {}
    ms = _resolve(m for m in matches if not (m.start < end and start < m.end))
    before = [m for m in ms if m.end <= start]
    after = [m for m in ms if m.start >= end]

    def applies(m: _Match) -> bool:
        r = m.rule
        if r.excluded_types is not None and label in r.excluded_types:
            return False
        return r.allowed_types is None or (label is not None and label in r.allowed_types)

    def terminated(cat: str, lo: int, hi: int, forward: bool = False) -> bool:
        for t in ms:
            if t.rule.direction != "TERMINATE" or t.start < lo or t.end > hi:
                continue
            if not forward and t.rule.forward_only:
                continue
            if (forward and _only_adverbs(text, lo, t.start) and text[t.start:t.end].strip()[:1].isalnum()
                    and t.rule.literal.lower() not in _EXCEPTION_WORDS):
                # right after its trigger a terminator word is the negated verb itself
                # ("no longer reports pain", "not reporting fever"), not a new clause, and so
                # it is after an adverb of time or degree ("does not currently have chest
                # pain", "has not yet developed fever"); punctuation there ("None - scar",
                # "No; ...") still ends the clause, and so does a word of contrast or
                # exception ("ROS negative except for headache")
                continue
            if t.rule.terminates is None or cat in t.rule.terminates:
                return True
        return False

    for m in before:
        r = m.rule
        if r.direction not in ("FORWARD", "BIDIRECTIONAL") or not applies(m):
            continue
        if r.max_scope is not None and _ntokens(text, m.end, start) > r.max_scope:
            continue
        if terminated(r.category, m.end, start, forward=True):
            continue
        flags[CATEGORIES[r.category]] = m
    for m in after:
        r = m.rule
        if r.direction not in ("BACKWARD", "BIDIRECTIONAL") or not applies(m):
            continue
        if r.max_scope is not None and _ntokens(text, end, m.start) > r.max_scope:
            continue
        if terminated(r.category, end, m.start):
            continue
        flags.setdefault(CATEGORIES[r.category], m)
    if "negated" not in flags and " ".join(text[start:end].lower().split()) in SELF_NEGATING:
        flags["negated"] = _Match(start, end, _SELF_NEGATING_RULE)
    return flags


#: adverbs that may stand between a negation and the verb it negates ("not currently have")
_NEG_ADVERBS = frozenset({
    "currently", "presently", "now", "yet", "ever", "really", "actually", "recently", "previously", "also",
    "again", "further", "even", "truly", "definitely", "clearly", "significantly",
})


def _only_adverbs(text: str, lo: int, hi: int) -> bool:
    """``True`` when ``text[lo:hi]`` holds no token or only adverbs of :data:`_NEG_ADVERBS`."""
    return all(w.lower() in _NEG_ADVERBS for w in _TOKEN.findall(text, lo, hi))


#: terminators of contrast or exception: they end a trigger's scope even right after it
#: ("negative except for cough", "no ... but"), unlike a verb that the trigger negates
_EXCEPTION_WORDS = frozenset({
    "but", "however", "though", "although", "except", "except for", "apart from", "aside from", "other than",
    "besides", "nevertheless", "whereas",
})


#: findings that state an absence by themselves ("The postoperative course was uneventful"):
#: tagged as a mention, they are negated, the word itself is the cue
SELF_NEGATING = frozenset({
    "unremarkable", "uneventful", "noncontributory", "non-contributory", "non contributory",
    "within normal limits", "wnl", "nil", "negative", "none", "absent",
})
_SELF_NEGATING_RULE = ContextRule("(a finding that states an absence)", "NEGATED_EXISTENCE", "BIDIRECTIONAL")


#: words that state a normal exam or course by themselves ("afebrile", "nontender"): a
#: finding made only of them (and of what they describe) records that something is normal
NORMAL_WORDS = frozenset({
    "afebrile", "asymptomatic", "normocephalic", "atraumatic", "anicteric", "acyanotic", "normotensive",
    "normothermic", "eupneic", "eupnoeic", "euvolemic", "euthymic", "nontender", "non-tender",
    "nondistended", "non-distended", "nontoxic", "non-toxic", "nonfocal", "non-focal", "unremarkable",
    "normal", "intact", "clear", "stable", "supple", "comfortable", "well", "soft", "regular", "wnl",
    "unchanged", "uneventful", "noncontributory", "non-contributory", "benign", "negative", "quiet",
    "symmetric", "symmetrical", "reactive", "equal", "alert", "oriented", "cooperative", "appropriate",
})
#: what those words describe: body parts, functions, exam parts ("lungs clear", "vision stable")
_NORMAL_OF = frozenset({
    "vision", "exam", "examination", "lungs", "lung", "heart", "abdomen", "abdominal", "belly", "skin", "neck",
    "chest", "eyes", "eye", "mood", "affect", "gait", "neuro", "neurologic", "neurological", "pupils", "pupil",
    "vitals", "vital", "signs", "breath", "breathing", "sounds", "rhythm", "rate", "sinus", "bowel", "course",
    "extremities", "extremity", "head", "lids", "lid", "lashes", "conjunctiva", "cornea", "iris", "lens", "disc",
    "discs", "retina", "macula", "vessels", "periphery", "chamber", "angle", "angles", "fields", "field",
    "anterior", "posterior", "deep",
    "condition", "appearance", "patient", "pt", "she", "he", "and", "to", "auscultation", "limits", "within",
    "in", "of", "the", "both", "bilaterally", "bilateral", "ou", "od", "os", "clinically", "hemodynamically",
    "overall", "otherwise", "generally", "grossly", "x3", "x4", "times", "three", "ctab", "rrr", "nad",
})
_NORMAL_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z]+)?")


def normal_finding(text: str) -> bool:
    """``True`` when a finding's own words state a normal state ("afebrile", "lungs clear to
    auscultation", "vision stable OU", "abdomen soft, nontender"), not a condition.

    A disorder that carries such a word keeps its meaning: "stable angina", "clear cell
    carcinoma", "normal pressure hydrocephalus", "benign prostatic hyperplasia" and "flat
    affect" each hold a word that is neither a normal word nor what one describes.
    """
    words = _NORMAL_TOKEN.findall(text.lower())
    if not any(w in NORMAL_WORDS for w in words):
        return False
    return all(w in NORMAL_WORDS or w in _NORMAL_OF for w in words)


#: the farthest (in characters) a trigger may be from the target it modifies
WINDOW = 500


class _Context:
    """Caches sentence bounds and rule matches for one text."""

    def __init__(self, text: str, rules: _Rules):
        # the rules read the canonical layout (runs of spaces, tabs, nbsp, CRLF, wraps)
        self.view = layout_view(text)
        self.text = self.view.text
        self.rules = rules
        self._cache: dict[tuple[int, int], tuple[list[_Match], list[int]]] = {}

    def flags(self, start: int, end: int, label: str | None = None) -> dict[str, _Match]:
        """The flags of ``orig[start:end]``, each with its trigger; the triggers' offsets are
        offsets of the original text (the rules ran on the layout view)."""
        start, end = self.view.span_to_view(start, end)
        sent = _sentence_bounds(self.text, start, end)
        cached = self._cache.get(sent)
        if cached is None:
            ms = sorted(self.rules.candidates(self.text, sent[0], sent[1]), key=lambda m: (m.start, m.end))
            cached = (ms, [m.start for m in ms])
            self._cache[sent] = cached
        ms, starts = cached
        # only triggers within WINDOW characters of the target can scope over it; this
        # bounds the work on run-on "sentences" (flattened text without punctuation)
        lo = bisect_left(starts, max(sent[0], start - WINDOW))
        hi = bisect_right(starts, min(sent[1], end + WINDOW))
        found = _assert_in_sentence(self.text, sent, ms[lo:hi], start, end, label)
        if self.view.identity:
            return found
        return {flag: dataclasses.replace(m, start=a, end=b)
                for flag, m in found.items() for a, b in [self.view.span_to_orig(m.start, m.end)]}


def _check_span(text: object, start: object, end: object) -> None:
    if not isinstance(text, str):
        raise InputError(f"assertion_of needs text as str, got {type(text).__name__}")
    if not isinstance(start, int) or not isinstance(end, int):
        raise InputError("assertion_of needs integer start and end offsets")
    if not (0 <= start < end <= len(text)):
        raise InputError(
            f"span ({start}, {end}) is not a non-empty span inside the text of length {len(text)}"
        )


def assertion_of(text: str, start: int, end: int, label: str | None = None) -> Assertion:
    """The ConText assertion of ``text[start:end]`` (sentence-scoped, no section info).

    ``label`` (e.g. ``"MEDICATION"``) enables rules restricted to that entity type, such
    as "not taking" for medications.

    >>> assertion_of("Denies chest pain.", 7, 17).negated
    True
    """
    _check_span(text, start, end)
    found = _Context(text, _default_rules()).flags(start, end, label)
    return _assertion(text, found)


def _assertion(text: str, found: dict[str, _Match], extra: tuple[Cue, ...] = ()) -> Assertion:
    """The flags of ``found`` (and of ``extra`` cues) with the cue behind each."""
    cues = tuple(Cue(flag, text[m.start:m.end], m.start, m.end) for flag, m in found.items()) + extra
    res = next((c for c in cues if c.flag == "resolved"), None)
    if res is not None and not any(c.flag == "historical" for c in cues):
        # what has resolved was present before: also historical, on the same cue
        cues += (Cue("historical", res.text, res.start, res.end),)
    return Assertion(**{c.flag: True for c in cues}, cues=cues)


# -- qualifiers that follow from the assertion -------------------------------------------

#: words naming a relative -> HL7 v3 RoleCode (displays in :data:`ehrnlp.terminology.FAMILY_RELATIONS`);
#: the more specific first ("maternal grandmother" before "grandmother" before "mother")
_RELATIVES = [
    (r"maternal\s+grand(?:mother|ma)", "MGRMTH"),
    (r"paternal\s+grand(?:mother|ma)", "PGRMTH"),
    (r"maternal\s+grand(?:father|pa)", "MGRFTH"),
    (r"paternal\s+grand(?:father|pa)", "PGRFTH"),
    (r"grand(?:mother|ma)", "GRMTH"),
    (r"grand(?:father|pa)", "GRFTH"),
    (r"maternal\s+aunt", "MAUNT"),
    (r"paternal\s+aunt", "PAUNT"),
    (r"maternal\s+uncle", "MUNCLE"),
    (r"paternal\s+uncle", "PUNCLE"),
    (r"mother|mom", "MTH"),
    (r"father|dad", "FTH"),
    (r"sister", "SIS"),
    (r"brother", "BRO"),
    (r"daughter", "DAU"),
    (r"son", "SON"),
    (r"aunt", "AUNT"),
    (r"uncle", "UNCLE"),
    (r"cousin", "COUSN"),
    (r"siblings?", "SIB"),
    (r"parents?", "PRN"),
    (r"child(?:ren)?", "CHILD"),
]
_RELATIVE_RE = re.compile(r"\b(" + "|".join(p for p, _ in _RELATIVES) + r")\b", re.IGNORECASE)
_RELATIVE_CODES = [(re.compile(p), code) for p, code in _RELATIVES]


def family_relation(text: str, start: int, end: int) -> str:
    """The HL7 v3 RoleCode of the relative a family-history mention is about: the relative
    named nearest to ``text[start:end]`` in its sentence and clause (a ``;`` ends one: "brother
    has asthma; mother with eczema"), within 80 characters before it or 40 after it;
    ``"FAMMEMB"`` (family member) when none is named."""
    lo, hi = sentence_bounds(text, start, end)
    semi = text.rfind(";", lo, start)
    if semi != -1:
        lo = semi + 1
    semi = text.find(";", end, hi)
    if semi != -1:
        hi = semi
    lo = max(lo, start - 80)
    hi = min(hi, end + 40)
    best = None
    for m in _RELATIVE_RE.finditer(text, lo, hi):
        dist = start - m.end() if m.end() <= start else m.start() - end
        if best is None or abs(dist) < best[0]:
            best = (abs(dist), m.group(1))
    if best is not None:
        word = best[1].lower()
        for pattern, code in _RELATIVE_CODES:
            if pattern.fullmatch(word):
                return code
    return "FAMMEMB"


#: words saying a medication was halted (R4 ``stopped``: "halted before all of it occurred"),
#: as opposed to one only no longer taken (``completed``: "was given", "previously on")
_HALTED = re.compile(
    r"\b(?:stop(?:ped|ping)?|discontinu\w*|d/?c'?d|d/c|off|failed|intoleran\w*|"
    r"allerg\w*|switched|changed|replaced|ceased|quit)\b", re.I)
#: temporarily halted (R4 ``on-hold``): "metoprolol was held for bradycardia"
_HELD = re.compile(r"\b(?:held|on\s+hold|holding)\b", re.I)
#: how far (characters, within the sentence) a halting word may be from the drug
_HALT_WINDOW = 60


def _past_status(text: str, start: int, end: int) -> str:
    lo, hi = sentence_bounds(text, start, end)
    before = text[max(lo, start - _HALT_WINDOW):start]
    after = text[end:min(hi, end + _HALT_WINDOW)]
    if _HELD.search(before) or _HELD.search(after):
        return "on-hold"
    return "stopped" if _HALTED.search(before) or _HALTED.search(after) else "completed"


def medication_status(text: str, start: int, end: int, assertion: Assertion) -> str:
    """The FHIR R4 MedicationStatement status of the medication ``text[start:end]``.

    ``not-taken`` (negated), ``intended`` (hypothetical), ``active`` (plainly asserted); a
    historical drug is ``on-hold`` when its sentence says it was held ("metoprolol was held
    for bradycardia"), ``stopped`` when it was halted ("lisinopril was discontinued",
    "stopped warfarin", "failed metformin": R4 "permanently halted before all of it
    occurred"), else ``completed`` (a past course: "was given epinephrine", "previously on
    lisinopril"). A halting word counts within 60 characters of the drug, in its sentence.
    """
    if assertion.negated:
        return "not-taken"
    if assertion.hypothetical:
        return "intended"
    if assertion.historical:
        return _past_status(text, start, end)
    return "active"


class AssertionStage:
    """Pipeline stage ``assertion``: sets ``Entity.assertion`` and ``Entity.section``, and
    the qualifiers that follow from them: ``Entity.family_relation`` (family-history
    mentions), ``Entity.medication_status`` (MEDICATION) and ``Entity.finding_state``
    (``"normal"`` for a SYMPTOM/PROBLEM whose words state a normal state, :func:`normal_finding`)."""

    name = "assertion"
    requires: tuple[str, ...] = ("doc.entities",)
    assigns: tuple[str, ...] = ("entity.assertion", "entity.family_relation", "entity.medication_status",
                                "entity.finding_state")
    version = "1"

    def __init__(self, labels: Iterable[str] = ASSERTED_LABELS, rules_path: str | None = None,
                 extra_rules_paths: Iterable[str] = ()):
        """``rules_path``: a ConText rules file replacing the bundled rules;
        ``extra_rules_paths``: rule files added to them (config ``[rules]``)."""
        self.labels = tuple(labels)
        extra = tuple(r for p in extra_rules_paths for r in load_context_rules(p))
        if rules_path is None and not extra:
            self._rules = _default_rules()
        else:
            self._rules = _Rules(load_context_rules(rules_path) + extra)

    def __call__(self, doc: Document) -> Document:
        if not doc.entities:
            return doc
        ctx = _Context(doc.text, self._rules)
        out: list[Entity] = []
        changed = False
        for e in doc.entities:
            sec = doc.section_at(e.start)
            section = sec.name if sec else e.section
            if e.label in self.labels:
                found = ctx.flags(e.start, e.end, e.label)
                extra: tuple[Cue, ...] = ()
                if e.label in _SECTION_FLAG_LABELS and section in SECTION_FLAGS and SECTION_FLAGS[section] not in found:
                    extra = (_section_cue(doc, sec, section, SECTION_FLAGS[section]),)
                assertion = _assertion(doc.text, found, extra)
            else:
                assertion = e.assertion
            relation = family_relation(doc.text, e.start, e.end) if assertion.family else None
            status = medication_status(doc.text, e.start, e.end, assertion) if e.label == "MEDICATION" else None
            state = "normal" if e.label in _FINDING_LABELS and normal_finding(e.text) else None
            # the section is read here, not written: the stage that makes entities sets it
            if (assertion, assertion.cues, relation, status, state) != (
                    e.assertion, e.assertion.cues, e.family_relation, e.medication_status, e.finding_state):
                e = dataclasses.replace(e, assertion=assertion, family_relation=relation, medication_status=status,
                                        finding_state=state)
                changed = True
            out.append(e)
        if not changed:
            return doc
        out = _relink(out)
        return doc.replace(entities=tuple(out))


_HEADING_END = re.compile(r":|\n|[ \t]{2,}")


def _section_cue(doc: Document, sec: Section | None, name: str, flag: str) -> Cue:
    """The cue of a flag set by the section: its heading as written (up to its colon, line
    end or a run of spaces; at most 60 characters), or, with no section object, the name."""
    if sec is None:
        return Cue(flag, name, 0, 0, "section")
    stop = min(sec.end, sec.start + 60)
    m = _HEADING_END.search(doc.text, sec.start, stop)
    if m is not None:
        stop = m.end() if m.group() == ":" else m.start()
    heading = doc.text[sec.start:stop].rstrip()
    return Cue(flag, heading or name, sec.start, sec.start + len(heading), "section")


def _relink(ents: list[Entity]) -> list[Entity]:
    """Point attributes at the updated entity objects (same span and label)."""
    if not any(e.attributes for e in ents):
        return ents
    index = {(e.start, e.end, e.label): e for e in ents}
    return [
        dataclasses.replace(e, attributes=tuple(index.get((a.start, a.end, a.label), a) for a in e.attributes))
        if e.attributes
        else e
        for e in ents
    ]
