"""The vocabulary matcher: dictionary look-up over the curated vocab plus sig patterns.

It finds every vocabulary surface form (longest match first, on normalized tokens), and
doses, durations and frequencies written with numbers by the sig finders of
:mod:`ehrnlp.sig`. Context turns drugs into allergens and findings into reactions inside
allergy statements. It is
the fallback when no transformer model is installed and a silver-label source for
training; it never sees a word it has no entry for.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..allergy import find_allergy_contexts
from ..model import Document, Entity
from ..sig import DOSE_PATTERN, DURATION_PATTERN, FREQUENCY_PATTERN
from ..vocab import Vocabulary

__all__ = ["RuleMatcherStage", "tokenize", "find_allergy_contexts"]

#: vocabulary term types never used as surface forms (full clinical drug names, ambiguous abbreviations)
SKIP_TTY = frozenset({"SCD", "SBD", "SCDC", "GPCK", "BPCK", "abbr-ambiguous"})
MAX_TERM_TOKENS = 8
#: vocabulary terms too generic to be a mention on their own in running text
#: ("Chief complaint", "blood glucose 180"); longer terms containing them still match
GENERIC_TERMS = frozenset({
    "complaint", "glucose", "history", "status", "problem", "disease", "disorder", "finding", "symptom",
    "condition", "allergy", "allergies", "medication", "medications", "drug", "drugs", "water", "sodium",
    "calcium", "creatinine", "hemoglobin", "normal", "negative", "positive", "stable", "well", "test",
})

_TOKEN = re.compile(r"[\w/+%.\-']+")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
# priority when one span could take several labels (outside special contexts)
_LABEL_PRIORITY = ("MEDICATION", "ALLERGEN", "PROBLEM", "SYMPTOM", "REACTION", "DOSE", "ROUTE",
                   "FREQUENCY", "DURATION", "SEVERITY")

@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    norm: str


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in t if not unicodedata.combining(ch)).lower()


def tokenize(text: str) -> list[_Tok]:
    """Word tokens with offsets, normalized the way :func:`normalize_term` normalizes terms."""
    toks: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s] in ".-'":
            s += 1
        while e > s and text[e - 1] in ".-'":
            e -= 1
        if s < e:
            toks.append(_Tok(s, e, _fold(text[s:e]).replace("’", "'")))
    return toks


def _inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


class RuleMatcherStage:
    """Pipeline stage ``ner`` backed by the vocabulary and sig patterns."""

    name = "ner"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("doc.entities", "entity.section")
    version = "rules-1"

    def __init__(self, vocabulary: Vocabulary):
        from ..findings import FindingRefiner

        self._findings = FindingRefiner(vocabulary, tokenize, GENERIC_TERMS)
        self.index: dict[tuple[str, ...], frozenset[str]] = {}
        self.max_len = 1
        labels_by_key: dict[tuple[str, ...], set[str]] = {}
        for entry in vocabulary.entries:
            if entry.tty in SKIP_TTY:
                continue
            key = tuple(entry.norm.split(" "))
            if len(key) > MAX_TERM_TOKENS:
                continue
            if len(key) == 1 and (len(key[0]) < 2 or key[0] in GENERIC_TERMS):
                continue
            labels_by_key.setdefault(key, set()).add(entry.label)
        for key, labels in labels_by_key.items():
            self.index[key] = frozenset(labels)
            self.max_len = max(self.max_len, len(key))

    # -- matching ------------------------------------------------------------------
    def vocab_spans(self, text: str) -> list[tuple[int, int, frozenset[str]]]:
        """``(start, end, labels)`` of every vocabulary term of ``text``, longest match first
        (also the vocab-match channel of the tagger, :mod:`ehrnlp.ner.channel`)."""
        toks = tokenize(text)
        out: list[tuple[int, int, frozenset[str]]] = []
        i = 0
        n = len(toks)
        while i < n:
            found = None
            for length in range(min(self.max_len, n - i), 0, -1):
                window = toks[i:i + length]
                # a term never spans a blank line (LF or CRLF) or a list bullet
                key = tuple(t.norm for t in window)
                labels = self.index.get(key)
                if labels and (length == 1 or not _BLANK_LINE.search(text, window[0].start, window[-1].end)):
                    found = (window[0].start, window[-1].end, labels, length)
                    break
            if found:
                out.append(found[:3])
                i += found[3]
            else:
                i += 1
        return out

    def find(self, text: str, sections: Iterable = ()) -> list[Entity]:
        allergy_ctx = find_allergy_contexts(text, sections)
        cands: list[tuple[int, int, str, float]] = []
        for start, end, labels in self.vocab_spans(text):
            in_allergy = _inside(allergy_ctx, start, end)
            label = self._choose(labels, in_allergy)
            if label is not None:
                cands.append((start, end, label, 0.9))
        for regex, label in ((DOSE_PATTERN, "DOSE"), (DURATION_PATTERN, "DURATION"), (FREQUENCY_PATTERN, "FREQUENCY")):
            for m in regex.finditer(text):
                s, e = m.start(), m.end()
                while e > s and text[e - 1] in " .,;":
                    e -= 1
                cands.append((s, e, label, 0.85))
        return self._resolve(text, cands)

    @staticmethod
    def _choose(labels: frozenset[str], in_allergy: bool) -> str | None:
        if in_allergy:
            for lab in ("ALLERGEN", "MEDICATION", "REACTION", "SEVERITY", "SYMPTOM", "PROBLEM"):
                if lab in labels:
                    if lab == "MEDICATION":
                        return "ALLERGEN"
                    # a finding with no REACTION entry keeps its label: the relations stage
                    # relabels it when it is linked to an allergen ("Glaucoma medications to
                    # avoid:" is a header, not a reaction)
                    return lab
        for lab in _LABEL_PRIORITY:
            if lab in labels:
                if lab in ("SEVERITY", "ALLERGEN"):
                    # severities matter only for allergy reactions; a food or substance
                    # ("apple", "silver") outside an allergy statement is not an allergen
                    continue
                return lab
        return None

    @staticmethod
    def _resolve(text: str, cands: list[tuple[int, int, str, float]]) -> list[Entity]:
        # longest span wins; ties keep the earlier candidate (vocabulary before patterns)
        order = sorted(range(len(cands)), key=lambda k: (-(cands[k][1] - cands[k][0]), k))
        taken: list[tuple[int, int]] = []
        chosen: list[tuple[int, int, str, float]] = []
        for k in order:
            s, e, lab, conf = cands[k]
            if s >= e or any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            chosen.append((s, e, lab, conf))
        chosen.sort()
        return [Entity(lab, s, e, text[s:e], conf, source="rules") for s, e, lab, conf in chosen]

    # -- stage -------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        ents = self._findings.refine_doc(doc, self.find(doc.text, doc.sections))
        if doc.sections:  # the stage that makes entities sets their section (its one writer)
            ents = [dataclasses.replace(e, section=s.name) if (s := doc.section_at(e.start)) else e for e in ents]
        return doc.replace(entities=tuple(ents))

