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
from collections.abc import Sequence

from .model import Document, Entity
from .vocab import Vocabulary

__all__ = ["FindingRefiner", "SEMANTIC_TAGS", "strip_semantic_tag"]

#: SNOMED CT semantic tags written after a display ("Stress (finding)")
SEMANTIC_TAGS = ("disorder", "finding", "situation", "morphologic abnormality", "procedure", "event",
                 "observable entity", "regime/therapy", "qualifier value", "body structure", "substance", "organism")
_TAG_RE = re.compile(r"\s*\((?:" + "|".join(re.escape(t) for t in SEMANTIC_TAGS) + r")\)\s*$", re.IGNORECASE)
_FINDING_LABELS = frozenset({"PROBLEM", "SYMPTOM"})
_MAX_WIDEN = 6  # words added on either side
_STOP = re.compile(r"[,;:.()\[\]\n]")


def strip_semantic_tag(text: str) -> str:
    """``"Acute bronchitis (disorder)"`` -> ``"Acute bronchitis"``."""
    return _TAG_RE.sub("", text)


class FindingRefiner:
    """Widest vocabulary match and SDOH spans over a backend's entities (see module docstring)."""

    def __init__(self, vocabulary: Vocabulary, max_tokens: int = 10):
        from .ner.rules import GENERIC_TERMS

        self.findings: dict[tuple[str, ...], str] = {}
        self.sdoh: dict[tuple[str, ...], str] = {}
        self.max_tokens = 1
        for e in vocabulary.entries:
            if e.label not in _FINDING_LABELS:
                continue
            key = tuple(e.norm.split(" "))
            if len(key) > max_tokens:
                continue
            if e.tty == "sdoh":
                self.sdoh[key] = e.label
            elif len(key) > 1 and e.code:
                self.findings.setdefault(key, e.label)
            else:
                continue
            self.max_tokens = max(self.max_tokens, len(key))
        self._generic = GENERIC_TERMS

    def refine_doc(self, doc: Document, entities: Sequence[Entity]) -> list[Entity]:
        """:meth:`__call__` on a document; new spans take their section from ``doc``."""
        out = self(doc.text, entities)
        if doc.sections:
            out = [dataclasses.replace(e, section=s.name) if e.section is None and (s := doc.section_at(e.start)) else e
                   for e in out]
        return out

    def __call__(self, text: str, entities: Sequence[Entity]) -> list[Entity]:
        from .ner.rules import tokenize

        toks = tokenize(text)
        ents = [e for e in entities if not self._is_tag(text, e)]
        ents = [self._widen(text, toks, e) if e.label in _FINDING_LABELS else e for e in ents]
        ents = self._add_sdoh(text, toks, ents)
        # a widened span swallows the findings inside it
        ents.sort(key=lambda e: (e.start, -(e.end - e.start)))
        out: list[Entity] = []
        for e in ents:
            if e.label in _FINDING_LABELS and any(
                    o.label in _FINDING_LABELS and o.start <= e.start and e.end <= o.end and o is not e
                    and (o.end - o.start) > (e.end - e.start) for o in out):
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

    def _widen(self, text: str, toks: list, e: Entity) -> Entity:
        idx = [i for i, t in enumerate(toks) if t.start >= e.start and t.end <= e.end]
        if not idx:
            return e
        i0, i1 = idx[0], idx[-1]
        lo = i0
        while lo > 0 and i0 - lo < _MAX_WIDEN and not _STOP.search(text[toks[lo - 1].end:toks[lo].start]):
            lo -= 1
        hi = i1
        while hi < len(toks) - 1 and hi - i1 < _MAX_WIDEN and not _STOP.search(text[toks[hi].end:toks[hi + 1].start]):
            hi += 1
        best: tuple[int, int] | None = None
        for a in range(lo, i0 + 1):
            for b in range(hi, i1 - 1, -1):
                if b - a + 1 > self.max_tokens or (a == i0 and b == i1):
                    continue
                key = tuple(t.norm for t in toks[a:b + 1])
                if key in self.findings or key in self.sdoh:
                    if best is None or (b - a) > (best[1] - best[0]):
                        best = (a, b)
                    break
        if best is None:
            return e
        s, t = toks[best[0]].start, toks[best[1]].end
        if s == e.start and t == e.end:
            return e
        return dataclasses.replace(e, start=s, end=t, text=text[s:t], source=(e.source + "+widened").lstrip("+"))

    def _add_sdoh(self, text: str, toks: list, ents: list[Entity]) -> list[Entity]:
        if not self.sdoh:
            return ents
        i, n = 0, len(toks)
        found: list[tuple[int, int, str]] = []
        while i < n:
            hit = None
            # a longer finding term starting here ("stress test", "stress incontinence") wins
            longest = max((k for k in range(2, min(self.max_tokens, n - i) + 1)
                           if tuple(t.norm for t in toks[i:i + k]) in self.findings), default=0)
            for length in range(min(self.max_tokens, n - i), 0, -1):
                if length < longest:
                    break
                key = tuple(t.norm for t in toks[i:i + length])
                if key in self.sdoh and "\n" not in text[toks[i].start:toks[i + length - 1].end]:
                    if length == 1 and key[0] in self._generic:
                        continue
                    hit = (toks[i].start, toks[i + length - 1].end, self.sdoh[key])
                    i += length
                    break
            if hit:
                found.append(hit)
            else:
                i += 1
        for s, t, label in found:
            overlapping = [e for e in ents if e.start < t and s < e.end]
            if any(e.start <= s and t <= e.end and (e.end - e.start) > (t - s) for e in overlapping):
                continue  # a longer span already covers it
            if any(e.label not in _FINDING_LABELS and e.label != "SEVERITY" for e in overlapping):
                continue  # a drug or allergen span: not a social finding
            ents = [e for e in ents if e not in overlapping]
            ents.append(Entity(label, s, t, text[s:t], 0.9, source="vocab-sdoh"))
        return ents
