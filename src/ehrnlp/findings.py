"""Findings at the chart's granularity: the most specific concept a mention's words name,
and social determinants of health (SDOH).

Run by both ``ner`` backends after they found their spans (:func:`refine_findings`):

* **semantic tags** - "acute bronchitis (disorder)": a ``(disorder)``, ``(finding)``,
  ``(situation)``... tag is not a mention of its own; a span tagged ``disorder`` inside the
  parentheses is dropped (the normalizer strips the tag from a mention that includes it);
* **widest full match** - a PROBLEM/SYMPTOM span grows over the words around it, on its
  line, when the longer phrase is a vocabulary finding term: "bronchitis" in "acute
  bronchitis" becomes "acute bronchitis" (10509002, not 32398004 Bronchitis), "sinusitis" in
  "viral sinusitis", "pharyngitis" in "acute viral pharyngitis"; the modifiers kept are the
  ones the vocabulary has a concept for (acute, chronic, viral, bacterial, laterality,
  organism, stage);
* **SDOH** - vocabulary rows of term type ``sdoh`` (employment, education, housing,
  transportation, social isolation, intimate-partner violence, criminal record, stress,
  alcohol and drug misuse; SNOMED CT codes of the open sets, listed in
  :data:`ehrnlp.terminology.SDOH_DOMAINS`) are matched in the text whichever backend runs
  (the shipped transformer has no SOCIAL label); a match replaces the shorter spans it
  covers ("violence" in "reports of violence in the environment"). They are PROBLEM
  entities; the FHIR mapping gives their Conditions the US Core ``sdoh`` category.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from .model import Document, Entity
from .vocab import Vocabulary

__all__ = ["FindingRefiner", "SEMANTIC_TAGS", "strip_semantic_tag"]

#: SNOMED CT semantic tags written after a display ("Stress (finding)")
SEMANTIC_TAGS = ("disorder", "finding", "situation", "morphologic abnormality", "procedure", "event",
                 "observable entity", "regime/therapy", "qualifier value", "body structure", "substance", "organism")
_TAG_RE = re.compile(r"\s*\((?:" + "|".join(re.escape(t) for t in SEMANTIC_TAGS) + r")\)\s*$", re.IGNORECASE)
_FINDING_LABELS = frozenset({"PROBLEM", "SYMPTOM"})
_MAX_WIDEN = 6  # words added on either side
_STOP = re.compile(r"[,;:\[\]\n]|\.\s")
#: wordings of the same concept (SNOMED CT's preferred term and its fully specified name)
_VARIANTS = ((("malignant", "tumor"), ("malignant", "neoplasm")), (("h/o",), ("history", "of")))
_MED_LABELS = frozenset({"MEDICATION", "ALLERGEN"})
_ODD = re.compile(r"(?:^|\s)[.\-']|[.\-'](?:\s|$)")
_FUNCTION_WORDS = frozenset({"and", "or", "at", "with", "without", "due", "from", "related", "in", "of", "since",
                             "for", "about", "the", "is", "was", "has", "had", "are", "were", "to", "on", "but", "x"})
_NOT_A_FINDING = re.compile(r"vaccin|immuni[sz]|screening for|tested for|test for", re.IGNORECASE)
#: context cues a known concept does not grow over (the assertion stage reads them)
_CUES = frozenset({"history", "h/o", "hx", "s/p", "status", "known", "prior", "past", "previous", "no", "denies"})
_SCAN_TTY = frozenset({"disorder", "finding", "situation", "problem"})


def _variants(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    out = [key]
    for a, b in _VARIANTS:
        for x, y in ((a, b), (b, a)):
            n = len(x)
            for i in range(len(key) - n + 1):
                if key[i:i + n] == x:
                    out.append(key[:i] + y + key[i + n:])
    return out


def _sentence(text: str, start: int, end: int) -> str:
    a = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start)) + 1
    ends = [i for i in (text.find("\n", end), text.find(". ", end)) if i >= 0]
    return text[a:min(ends) if ends else len(text)]


_PROCEDURE_AFTER = re.compile(r"^[^,;\n()]*\((?:procedure|regime/therapy)\)")
_PROCEDURE_BEFORE = re.compile(r"\b(?:assessment|evaluation|screening|counseling|counselling|education|management|"
                               r"monitoring|treatment|referral|test(?:ing)?)\s+(?:of|for|about|to|on)\s+(?:\w+\s+){0,2}$",
                               re.IGNORECASE)


def _in_procedure(text: str, e: Entity) -> bool:
    """A finding named inside a procedure ("assessment of anxiety (procedure)",
    "screening for depression") is not a finding of the patient."""
    if e.label not in _FINDING_LABELS:
        return False
    if _PROCEDURE_AFTER.match(text[e.end:e.end + 80]):
        return True
    line_start = max(text.rfind("\n", 0, e.start), text.rfind(",", 0, e.start), text.rfind(";", 0, e.start)) + 1
    return bool(_PROCEDURE_BEFORE.search(text[line_start:e.start]))


def strip_semantic_tag(text: str) -> str:
    """``"Acute bronchitis (disorder)"`` -> ``"Acute bronchitis"``."""
    return _TAG_RE.sub("", text)


class FindingRefiner:
    """Widest vocabulary match and SDOH spans over a backend's entities (see module docstring)."""

    def __init__(self, vocabulary: Vocabulary, tokenize: Callable[[str], list[Any]], generic: Collection[str] = (),
                 max_tokens: int = 10):
        """``tokenize``: the rule matcher's tokenizer (tokens with ``start``, ``end``, ``norm``);
        ``generic``: one-word terms never matched alone (:data:`ehrnlp.ner.rules.GENERIC_TERMS`)."""
        self._tokenize = tokenize
        self.findings: dict[tuple[str, ...], str] = {}
        self.sdoh: dict[tuple[str, ...], str] = {}
        self.drugs: set[tuple[str, ...]] = set()
        #: concept names matched in the text where the backend found nothing: the open sets'
        #: own displays (not synonyms or abbreviations) of two words or more, or one long word
        self.scan: dict[tuple[str, ...], str] = {}
        #: every coded finding term (to keep "hypertension" from growing into "history of hypertension")
        self.known: set[tuple[str, ...]] = set()
        self.max_tokens = 1
        for e in vocabulary.entries:
            if e.label not in _FINDING_LABELS and e.label != "MEDICATION":
                continue
            # the tokens the text is cut into (split on spaces unless punctuation stands alone)
            key = tuple(t.norm for t in self._tokenize(e.norm)) if _ODD.search(e.norm) else tuple(e.norm.split(" "))
            if len(key) > max_tokens or not key:
                continue
            if e.label == "MEDICATION":
                if len(key) > 1 and e.code and e.tty not in ("abbr-ambiguous", "SCD", "SBD", "SCDC"):
                    self.drugs.add(key)
                continue
            if e.code:
                self.known.add(key)
            if e.code and e.tty in _SCAN_TTY and len(key) > 1:
                self.scan.setdefault(key, e.label)
            if e.tty == "sdoh":
                self.sdoh[key] = "PROBLEM"  # a social determinant is a problem (health concern), not a symptom
            elif len(key) > 1 and e.code:
                for k in _variants(key):
                    self.findings.setdefault(k, e.label)
            else:
                continue
            self.max_tokens = max(self.max_tokens, len(key) + 1)
        self._generic = frozenset(generic)
        self._starts: dict[str, dict[str, int]] = {}  # per index (its source name)
        self._finding_starts: dict[str, int] = {}
        for k in self.findings:
            self._finding_starts[k[0]] = max(self._finding_starts.get(k[0], 0), len(k))

    def refine_doc(self, doc: Document, entities: Sequence[Entity]) -> list[Entity]:
        """:meth:`__call__` on a document; new spans take their section from ``doc``."""
        out = self(doc.text, entities)
        if doc.sections:
            out = [dataclasses.replace(e, section=s.name) if e.section is None and (s := doc.section_at(e.start)) else e
                   for e in out]
        return out

    def __call__(self, text: str, entities: Sequence[Entity]) -> list[Entity]:
        toks = self._tokenize(text)
        ents = [e for e in entities if not self._is_tag(text, e) and not _in_procedure(text, e)]
        ents = [self._widen(text, toks, e, self.findings, self.sdoh) if e.label in _FINDING_LABELS
                else self._widen(text, toks, e, self.drugs) if e.label in _MED_LABELS else e for e in ents]
        ents = self._add_matches(text, toks, ents, self.sdoh, "vocab-sdoh")
        ents = self._add_matches(text, toks, ents, self.scan, "vocab-finding")
        # a widened span swallows the findings (drugs) inside it, and its duplicates
        ents.sort(key=lambda e: (e.start, -(e.end - e.start)))
        out: list[Entity] = []
        for e in ents:
            group = _FINDING_LABELS if e.label in _FINDING_LABELS else _MED_LABELS if e.label in _MED_LABELS else None
            if group is not None and any(
                    o.label in group and o.start <= e.start and e.end <= o.end
                    and ((o.end - o.start) > (e.end - e.start) or o.label == e.label) for o in out):
                continue
            out.append(e)
        return out

    # -- steps -------------------------------------------------------------------------
    @staticmethod
    def _is_tag(text: str, e: Entity) -> bool:
        if e.label not in _FINDING_LABELS:
            return False
        before = text[max(0, e.start - 1):e.start]
        after = text[e.end:e.end + 1]
        return before == "(" and after == ")" and e.text.lower() in SEMANTIC_TAGS

    def _widen(self, text: str, toks: list, e: Entity, *indexes: Collection[tuple[str, ...]]) -> Entity:
        idx = [i for i, t in enumerate(toks) if t.start < e.end and e.start < t.end]
        if not idx:
            return e
        aligned = toks[idx[0]].start == e.start and toks[idx[-1]].end == e.end
        i0, i1 = idx[0], idx[-1]
        lo = i0
        while lo > 0 and i0 - lo < _MAX_WIDEN and not _STOP.search(text[toks[lo - 1].end:toks[lo].start]):
            lo -= 1
        hi = i1
        while hi < len(toks) - 1 and hi - i1 < _MAX_WIDEN and not _STOP.search(text[toks[hi].end:toks[hi + 1].start]):
            hi += 1
        own_known = tuple(t.norm for t in toks[i0:i1 + 1]) in self.known
        best: tuple[int, int] | None = None
        for a in range(lo, i0 + 1):
            for b in range(hi, i1 - 1, -1):
                if b - a + 1 > self.max_tokens or (a == i0 and b == i1 and aligned):
                    continue
                key = tuple(t.norm for t in toks[a:b + 1])
                if a < i0 and own_known and any(t.norm in _CUES for t in toks[a:i0]):
                    continue  # "history of" + a known concept: the concept, and the assertion's cue
                if any(key in ix for ix in indexes):
                    if best is None or (b - a) > (best[1] - best[0]):
                        best = (a, b)
                    break
        if best is None:
            return e
        s, t = toks[best[0]].start, toks[best[1]].end
        if text.count("(", s, t) > text.count(")", s, t) and text[t:t + 1] == ")":
            t += 1  # "severe anxiety (panic)": the parenthesis closes inside the span
        if s == e.start and t == e.end:
            return e
        return dataclasses.replace(e, start=s, end=t, text=text[s:t], source=(e.source + "+widened").lstrip("+"))

    @staticmethod
    def _modifies_next(text: str, toks: list, i: int) -> bool:
        """A one-word term followed by another word of its phrase names something else
        ("stress test", "stress incontinence")."""
        if i + 1 >= len(toks) or text[toks[i].end:toks[i + 1].start].strip():
            return False
        return toks[i + 1].norm not in _FUNCTION_WORDS

    def _add_matches(self, text: str, toks: list, ents: list[Entity], index: dict[tuple[str, ...], str],
                     source: str) -> list[Entity]:
        if not index:
            return ents
        i, n = 0, len(toks)
        found: list[tuple[int, int, str]] = []
        starts = self._starts.get(source)
        if starts is None:  # first token -> longest term starting with it
            starts = {}
            for k in index:
                starts[k[0]] = max(starts.get(k[0], 0), len(k))
            self._starts[source] = starts
        while i < n:
            hit = None
            most = starts.get(toks[i].norm, 0)
            if not most:
                i += 1
                continue
            # a longer finding term starting here ("stress test", "stress incontinence") wins
            top = min(self.max_tokens, n - i)
            longest = max((k for k in range(2, min(self._finding_starts.get(toks[i].norm, 0), top) + 1)
                           if tuple(t.norm for t in toks[i:i + k]) in self.findings), default=0)
            for length in range(min(most, top), 0, -1):
                if length < longest:
                    break
                key = tuple(t.norm for t in toks[i:i + length])
                if key in index and "\n" not in text[toks[i].start:toks[i + length - 1].end]:
                    if length == 1 and (key[0] in self._generic or self._modifies_next(text, toks, i)):
                        continue
                    hit = (toks[i].start, toks[i + length - 1].end, index[key])
                    i += length
                    break
            if hit:
                found.append(hit)
            else:
                i += 1
        for s, t, label in found:
            if _NOT_A_FINDING.search(_sentence(text, s, t)):
                continue  # "immunizations: influenza, seasonal" names a vaccine, not a disease
            overlapping = [e for e in ents if e.start < t and s < e.end]
            if any(e.start <= s and t <= e.end and (e.end - e.start) >= (t - s) for e in overlapping):
                continue  # a longer span already covers it
            if any(e.label not in _FINDING_LABELS and e.label != "SEVERITY" for e in overlapping):
                continue  # a drug or allergen span: not a social finding
            ents = [e for e in ents if e not in overlapping]
            ents.append(Entity(label, s, t, text[s:t], 0.9, source=source))
        return ents
