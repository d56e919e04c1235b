"""Attribute linking and allergy semantics.

* MEDICATION -> its DOSE / ROUTE / FREQUENCY / DURATION, in sig lines ("metoprolol
  Take 100 mg by mouth once daily") and prose ("1 g of intravenous ceftriaxone").
* ALLERGEN -> its REACTION / SEVERITY, in Epic allergy tables ("Allergen Reactions
  • Codeine Nausea/Vomiting"), lists ("PCN (hives), sulfa – rash") and prose
  ("allergic to penicillin, which causes anaphylaxis").
* Allergy safety net: a MEDICATION in an allergies section, after "allergic to" or before
  "allergy" is relabelled ALLERGEN; a SYMPTOM/PROBLEM linked as an allergen's reaction is
  relabelled REACTION.
* ``doc.allergy_status``: ``"listed"`` when an allergen is stated, ``"none-known"`` for
  NKA / NKDA / "No Known Allergies" / "Allergies: None", else ``None``; ``doc.nka``: where
  the note says so.
* The qualifiers the FHIR layer serialises: ``Entity.dosage`` of a MEDICATION (its sig,
  parsed by :func:`ehrnlp.sig.dosage_of`), and ``Entity.allergy_category`` /
  ``allergy_type`` / ``allergy_criticality`` / ``allergy_severity`` of an ALLERGEN (from
  :mod:`ehrnlp.allergy`; normalize refines the category once codes are known). A mention
  relabelled MEDICATION gets its ``medication_status`` here (the assertion stage ran
  before the relabelling).

Linking is by position inside a *segment* -- a sentence, bullet item, line or Epic field
(runs of two or more spaces) -- with rules for which side an attribute belongs to.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from .allergy import (
    ALLERGY_WORD,
    CUE_AFTER,
    CUE_BEFORE,
    HALT_BEFORE,
    HALT_REASON_AFTER,
    PROSE_CUE_AFTER,
    TREATMENT_CUE,
    allergy_category,
    allergy_criticality,
    allergy_rows,
    allergy_severity,
    allergy_type,
    exposure_gap,
    find_allergy_contexts,
    find_nka,
    row_candidates,
)
from .allergy_rules import (
    allergy_risk_after,
    allergy_topic_end,
    dash_entry_reactions,
    entry_allergens,
    halt_after,
    merge_reaction_pieces,
    name_bracket_groups,
    negated_only_by_its_halt,
    prose_intolerance,
    prose_intolerance_cue,
    split_row_allergens,
    split_slash_allergens,
    table_row_findings,
    untagged_cue_drugs,
    untagged_effect_drugs,
    untagged_reaction_to_drugs,
)
from .assertion import assertion_of, medication_status, sentence_bounds
from .model import Document, Entity, NkaStatement, Section
from .sig import dosage_of
from .textnorm import WRAP_MIN

if TYPE_CHECKING:
    from .vocab import VocabEntry, Vocabulary

__all__ = ["RelationStage", "NkaStatement", "find_nka", "link_medication_attributes", "MED_ATTRIBUTES", "ALLERGY_ATTRIBUTES"]

MED_ATTRIBUTES = ("DOSE", "ROUTE", "FREQUENCY", "DURATION")
ALLERGY_ATTRIBUTES = ("REACTION", "SEVERITY")
_REACTION_SOURCES = ("SYMPTOM", "PROBLEM", "REACTION")

_TOKEN = re.compile(r"\w+|[^\w\s]")

#: how far (characters) before a mention an allergy cue is looked for
_CUE_WINDOW = 200
# what may lie between a cue (or a previous allergen) and the next allergen in a list
_LIST_GAP = re.compile(r"^(?:[\s,;/&()\[\]\-–]|and\b|or\b|to\b|the\b|also\b|as\s+well\s+as\b)*$", re.IGNORECASE)
_SIG_LABELS = ("DOSE", "FREQUENCY", "ROUTE", "DURATION")
# the pieces of an allergy row's reaction column, and what the column may hold beside them
_ROW_PIECE_SEP = re.compile(r"[ \t]*(?:[,;/&+()\[\]\t]|[ ]{2,}|(?<!\w)(?:and|or|with)(?!\w)|[ \t][-\u2013][ \t])[ \t]*", re.IGNORECASE)
# a row's severity column on its own ("(Medium)", "Moderate reaction", "life-threatening"); a
# criticality word ("High", "Low") only beside "reaction" or after a food's or a substance's
# name: "Potassium   Low" is a lab table's row
_COLUMN_NOUN = r"[ \t]+(?:reaction|severity)"  # "Moderate reaction", "High severity"
_ROW_SEVERITY_COLUMN = re.compile(rf"(?i)^(?:mild|moderate|severe|serious|life[\s-]+threatening|medium)(?:{_COLUMN_NOUN})?$")
_ROW_CRITICALITY_COLUMN = re.compile(rf"(?i)^(?:high|low)(?P<reaction>{_COLUMN_NOUN})?$")
# what a row's last columns may say after its reaction: the treatment ("required cetirizine",
# "treated with albuterol"), which names drugs that are no reaction
_ROW_TREATMENT = re.compile(r"(?i)(?:^|[,;(]|[ \t][-\u2013][ \t]|[ ]{2}|\t)[ \t]*(?:required|requiring|needed|needing|"
                            r"treated\s+with|treatment\s+with|responded\s+to|resolved\s+with|given)(?!\w)")
_ROW_FILLER = re.compile(r"(?i)^(?:and|or|mild|moderate|severe|serious|unknown|high|low|medium|intolerance|reaction|"
                         r"side[\s-]+effects?|not\s+specified|other|active|inactive|confirmed|unconfirmed)$")
# a medication list's words in a row's rest: an indication ("for nausea", "prn headache")
_ROW_MED_CUE = re.compile(r"(?i)(?<!\w)(?:for|prn|as\s+needed|takes?|taking|uses?|using|daily|nightly|with\s+meals|when)(?!\w)")
# salt forms that a tagger may mistake for an abbreviation ("Donepezil Hcl")
_SALT = re.compile(r"^(?:hcl|hbr|hcl er|hydrochloride|hydrobromide)$", re.IGNORECASE)
# what may lie between an allergen and its reaction in prose
_REACTION_GAP_WORDS = {
    "which", "that", "causes", "caused", "causing", "cause", "gives", "gave", "give", "giving", "with", "resulting",
    "results", "result", "in", "leads", "led", "leading", "to", "reaction", "reactions", "of", "and", "or", "a", "an",
    "has", "had", "have", "get", "gets", "got", "develops", "developed", "experienced", "experiences", "history",
    "hx", "produces", "produced", "makes", "made", "her", "him", "them", "severe", "mild", "moderate", "is", "was",
    "it", "its", "reported", "reports", "per", "patient", "pt", "such", "as", "like", "including", "includes",
    "unknown", "intolerance", "allergy", "allergic", "type", "s", "she", "he", "they", "me", "medication",
    # prose intolerances: "since starting X has noticed redness", "started X - had palpitations"
    "noticed", "notices", "noticing", "develop", "experience", "experiencing", "complains", "complained", "c", "o",
    "been", "having", "now", "since", "then", "also", "started", "after", "starting", "because", "due", "from",
    # when it happened: "intolerant of timolol in (the) past due to dizziness"
    "the", "past", "previously", "prior", "before", "earlier", "once", "originally", "initially",
}
# a reaction written before its allergen: "hives from penicillin", "rash to sulfa"
_REACTION_BEFORE_GAP = re.compile(
    r"^\s*(?:from|to|with|after|due\s+to|secondary\s+to|caused\s+by|induced\s+by|on|when\s+taking|with\s+use\s+of)\s*$",
    re.IGNORECASE,
)

# sig context words between a medication and a following attribute (kept permissive)
_ADJECTIVE_ROUTE = re.compile(
    r"^(?:intra\w+|oral(?:ly)?|topical(?:ly)?|subcutaneous(?:ly)?|sub-?cutaneous|sublingual|transdermal|"
    r"inhaled|nebuli[sz]ed|intravenous(?:ly)?|iv|im|sc|sq|po|ophthalmic|rectal|vaginal|nasal|intranasal|"
    r"systemic|parenteral|enteral|local|epidural|intrathecal|buccal|otic|dermal|cutaneous|i\.v\.|i\.m\.|p\.o\.)$",
    re.IGNORECASE,
)


def _gap_tokens(text: str, a: int, b: int) -> list[str]:
    return _TOKEN.findall(text, a, b) if b > a else []


# -- segments --------------------------------------------------------------------------

# item separators of a section written with bullets: the bullet marks, not bare line ends
# (a table row re-wrapped at a fixed width continues on the next line)
_BULLET = re.compile(r"\u2022|\n\s*(?:[-*]|\d+[.)])\s")


@lru_cache(maxsize=32)
def _bullets(text: str) -> tuple[list[int], list[int], list[int]]:
    """Item separators of ``text``: their starts and ends, and the positions of bullets."""
    starts, ends = [], []
    for m in _BULLET.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    dots = [i for i, ch in enumerate(text) if ch == "\u2022"]
    return starts, ends, dots


def _allergy_segment(text: str, pos: int, section: Section | None) -> tuple[int, int]:
    """The item holding ``pos``: a bullet item (Epic table row, with its comment column)
    in an allergies section with bullets; a sentence, line or field elsewhere."""
    if section is None or section.name != "allergies":
        return sentence_bounds(text, pos)
    lo, hi = section.start, _section_end(text, section)
    if pos >= hi:  # the social-history sentences after a flattened Allergies: field
        return sentence_bounds(text, pos)
    starts, ends, dots = _bullets(text)
    k = bisect_left(dots, lo)
    if k >= len(dots) or dots[k] >= hi:  # no bullets: lines, sentences, fields
        s0, s1 = sentence_bounds(text, pos)
        return max(s0, lo), min(s1, hi)
    j = bisect_right(ends, pos) - 1
    left = ends[j] if j >= 0 and ends[j] > lo else lo
    n = bisect_left(starts, pos)
    right = starts[n] if n < len(starts) and starts[n] < hi else hi
    return left, right


@lru_cache(maxsize=256)
def _topic_end(text: str, start: int, end: int) -> int:
    return allergy_topic_end(text, start, end)


def _section_end(text: str, section: Section) -> int:
    """Where an allergies section stops being about allergies (see
    :func:`ehrnlp.allergy_rules.allergy_topic_end`)."""
    return _topic_end(text, section.start, section.end)


def _in_allergy_section(text: str, section: Section | None, pos: int) -> bool:
    return section is not None and section.name == "allergies" and pos < _section_end(text, section)


# -- the stage -------------------------------------------------------------------------


class RelationStage:
    """Pipeline stage ``relations``: attributes, allergy relabelling, ``allergy_status``."""

    name = "relations"
    requires: tuple[str, ...] = ("doc.entities",)
    assigns: tuple[str, ...] = ("entity.attributes", "doc.allergy_status")
    version = "3"

    def __init__(self, vocabulary: Vocabulary | Callable[[], Vocabulary] | None = None) -> None:
        """``vocabulary`` (or a function returning it, called on first need): the drug
        vocabulary behind the allergy-entry backstop and ``A/B`` splitting. Without it only
        drug classes, contrast agents, vaccines and preservatives are recognised there."""
        self._vocabulary = vocabulary
        self._drug_cache: dict[str, bool] = {}
        self._finding_cache: dict[str, frozenset[str]] = {}

    def _lookup(self, term: str) -> list[VocabEntry]:
        """The vocabulary's entries for ``term`` (the vocabulary loaded on first need)."""
        voc = self._vocabulary
        if callable(voc):
            voc = self._vocabulary = voc()
        return list(voc.lookup(term)) if voc is not None else []

    def _is_drug(self, term: str) -> bool:
        hit = self._drug_cache.get(term)
        if hit is None:
            found = self._lookup(term)
            hit = any(e.label in ("MEDICATION", "ALLERGEN") and e.tty != "abbr-ambiguous" for e in found) and not any(
                e.label in _REACTION_SOURCES for e in found)
            if len(self._drug_cache) < 100_000:
                self._drug_cache[term] = hit
        return hit

    def _finding_labels(self, term: str) -> frozenset[str]:
        """The finding labels (SYMPTOM / PROBLEM / REACTION) the vocabulary gives ``term``,
        empty when it also names a drug, when it is an abbreviation of any kind ("Hcl" of
        "Metformin Hcl" is also a finding's abbreviation) or shorter than four letters."""
        hit = self._finding_cache.get(term)
        if hit is None:
            found = self._lookup(term)
            short = sum(c.isalpha() for c in term) < 4
            hit = frozenset() if short or any(e.label in ("MEDICATION", "ALLERGEN") or e.tty.startswith("abbr")
                                              for e in found) else frozenset(
                e.label for e in found if e.label in _REACTION_SOURCES)
            if len(self._finding_cache) < 100_000:
                self._finding_cache[term] = hit
        return hit

    def _unlisted_label(self, term: str) -> str | None:
        """What a tagger's ALLERGEN outside any allergy context is, by the vocabulary:
        MEDICATION for a drug it lists as one ("fish oil", though a food's name too), SYMPTOM or
        PROBLEM for a finding that names no drug ("likely source of epiphora"; a reaction term
        is a symptom outside an allergy entry), None when it does not say."""
        if any(e.label == "MEDICATION" and e.tty != "abbr-ambiguous" for e in self._lookup(term)):
            return "MEDICATION"
        labels = self._finding_labels(term)
        if not labels:
            return None
        return "PROBLEM" if labels == {"PROBLEM"} else "SYMPTOM"

    def _is_finding(self, term: str) -> bool:
        """A SYMPTOM / PROBLEM / REACTION term of the vocabulary that is no drug."""
        return bool(self._finding_labels(term))

    def _is_reaction_term(self, term: str) -> bool:
        """A SYMPTOM / REACTION term of the vocabulary (not a disorder alone: "ESRD", "COPD")."""
        return bool(self._finding_labels(term) & {"SYMPTOM", "REACTION"})

    def _finding_rows(self, text: str, ents: Sequence[Entity], sections: Sequence[Section]
                      ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Rows of an allergy list read on their own whose reaction column names symptoms only
        an allergy list puts beside a drug ("Gelusil - Mouth sores", "Symbravo<tab>
        Lightheadedness; arrhythmia", "Codeine - nausea"): the head is a drug of the
        vocabulary with no dose, route or frequency anywhere on the line, and every piece of
        the rest is a symptom or reaction (of the vocabulary, or a mention the tagger found)
        or the table's severity or status column. A disorder alone ("Metformin - diabetes")
        is an indication, and a row inside a medications section a drug and its indication;
        neither is read as an allergy. :func:`~ehrnlp.allergy.entry_rows` reads the rows a
        reaction word gives away without the vocabulary. Returns the rows, and the pieces of
        their reaction columns that no mention covers (symptoms of the vocabulary)."""
        cands = row_candidates(text)
        if not cands:
            return [], []
        known = set(allergy_rows(text, sections))
        med_sections = [(sec.start, sec.end) for sec in sections if sec.name == "medications"]
        sig_starts = sorted(e.start for e in ents if e.label in _SIG_LABELS)
        findings = [e for e in ents if e.label in _REACTION_SOURCES]
        out: list[tuple[int, int]] = []
        untagged: list[tuple[int, int]] = []
        for m in cands:
            a, b = m.start("head"), m.end("rest")
            if any(x <= a < y for x, y in med_sections):
                continue
            rest_start = m.start("rest")
            treated = _ROW_TREATMENT.search(text, rest_start, b)
            end = treated.start() if treated else b  # "(Medium reaction), required cetirizine"
            if _any_between(sig_starts, a, end):
                continue
            head_end = a + len(m.group("head").rstrip())
            if _ROW_MED_CUE.search(text, rest_start, end) or not (self._is_drug(text[a:head_end]) or any(
                    e.label in ("MEDICATION", "ALLERGEN") and e.start == a and e.end <= head_end for e in ents)):
                continue
            pieces: list[tuple[int, int]] = []
            new: list[tuple[int, int]] = []
            severity = False
            head_is_medication: bool | None = None  # looked up once, on a criticality column's need
            for ps, pe in _pieces(text, rest_start, end):
                piece = text[ps:pe]
                crit = _ROW_CRITICALITY_COLUMN.match(piece)
                if crit and not crit.group("reaction") and head_is_medication is None:
                    head_is_medication = any(x.label == "MEDICATION" for x in self._lookup(text[a:head_end]))
                if _ROW_SEVERITY_COLUMN.match(piece) or (crit and (crit.group("reaction") or not head_is_medication)):
                    severity = True  # the severity column: "(Medium)", "Broad bean   High"
                    continue
                if _ROW_FILLER.match(piece):
                    continue
                if any(e.label != "PROBLEM" and e.start < pe and ps < e.end for e in findings):
                    pieces.append((ps, pe))
                elif self._is_reaction_term(piece) and not any(e.start < pe and ps < e.end for e in ents):
                    pieces.append((ps, pe))
                    new.append((ps, pe))
                else:
                    pieces = []
                    severity = False
                    break
            if (a, b) in known:
                untagged += new  # a row a reaction word gave away: its untagged symptoms still count
            elif pieces or severity:
                out.append((a, b))
                untagged += new
        return out, untagged

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        # the sections stage's output, nothing else (the Document is the only channel): without
        # that stage, allergy lists are read from their "allergic to" cues alone
        sections = doc.sections
        ents = [dataclasses.replace(e, attributes=()) if e.attributes else e for e in doc.entities]

        lookup = self._is_drug if self._vocabulary is not None else None
        contexts = find_allergy_contexts(text, sections)
        # rows whose reaction column only the vocabulary tells: allergy contexts too
        extra_rows, row_symptoms = self._finding_rows(text, ents, sections) if lookup is not None else ([], [])
        if row_symptoms:  # the reaction column's symptoms the tagger left untagged, linked below
            ents = sorted([*ents, *(Entity("SYMPTOM", a, b, text[a:b], 0.5, section=(sec.name if (
                sec := _section_of(sections, a)) else None), source="allergy-row") for a, b in row_symptoms)],
                key=lambda e: (e.start, e.end))
        # every allergy row read alone: the ones a reaction word gives away, and these
        all_rows = [*allergy_rows(text, sections), *extra_rows]
        if extra_rows:
            contexts = sorted([*contexts, *(r for r in extra_rows if not any(a <= r[0] and r[1] <= b for a, b in contexts))])
        if contexts:
            def inside(s: int, e: int) -> bool:
                return any(a <= s and e <= b for a, b in contexts)

            # allergy-list entries the tagger missed, "A/B", reactions written in pieces
            ents = split_slash_allergens(text, ents, inside, lookup)
            # the backstop reads allergy fields and tables only (allergies sections), not the
            # words around a prose cue
            fields = [(sec.start, _section_end(text, sec)) for sec in sections if sec.name == "allergies"]
            # and an allergy list's rows read on their own ("Penicillin - hives")
            fields += [r for r in all_rows if not any(a <= r[0] < b for a, b in fields)]
            added = entry_allergens(text, ents, [f for f in fields if f[0] < f[1]], lookup)
            if added:
                added = [dataclasses.replace(a, section=(sec.name if (sec := _section_of(sections, a.start)) else None))
                         for a in added]
                # a reaction mention the tagger put on an entry's head gives way; one that ran on
                # from the head into the reaction column keeps that column ("Silicone   eye redness")
                ents = [r for e in ents for r in _beyond_heads(text, e, added)]
                ents = sorted([*ents, *added], key=lambda e: (e.start, e.end))
            ents = merge_reaction_pieces(text, ents, inside)
            rows: Callable[[int], tuple[int, int] | None] | None = None
            if lookup is not None:
                def row_of(pos: int) -> tuple[int, int] | None:
                    sec = _section_of(sections, pos)
                    if not _in_allergy_section(text, sec, pos) or "\u2022" not in text[sec.start:sec.end]:  # type: ignore[union-attr]
                        return None
                    return _allergy_segment(text, pos, sec)

                rows = row_of
                ents = table_row_findings(text, ents, row_of, lookup)
                # "• Phenobarbital Delirium" read as one ALLERGEN: the finding is the reaction
                ents = split_row_allergens(text, ents, row_of, lookup, self._is_finding)
            # "Timolol -breathing issues": reactions of a dash entry the tagger left untagged
            ents = dash_entry_reactions(text, ents, [f for f in fields if f[0] < f[1]], lookup,
                                        self._is_reaction_term if lookup is not None else None,
                                        rows)
        # an untagged drug of a prose intolerance ("Topical CAI leads to corneal decomposition"):
        # kept below only when its cue confirms it
        prose_new = untagged_effect_drugs(text, ents, lookup)
        # untagged drugs in the list after a prose cue ("had problems in past with Alphagan, ...")
        listed = untagged_cue_drugs(text, ents, lookup, CUE_BEFORE)
        # an untagged drug after a reaction and "to" ("contact dermatitis to latanoprost")
        listed += [sp for sp in untagged_reaction_to_drugs(text, ents, lookup) if sp not in listed]
        if listed:
            prose_new = sorted({*prose_new, *(sp for sp in listed
                                              if not any(a < sp[1] and sp[0] < b for a, b in prose_new))})
        if prose_new:
            ents = sorted([*ents, *(Entity("MEDICATION", s, t, text[s:t], 0.5, section=(sec.name if (
                sec := _section_of(sections, s)) else None), source="allergy-prose") for s, t in prose_new)],
                key=lambda e: (e.start, e.end))

        ents = _relabel_allergens(text, ents, sections, all_rows,
                                  self._unlisted_label if lookup is not None else None)
        if prose_new:
            ents = [e for e in ents if not (e.source == "allergy-prose" and e.label != "ALLERGEN")]
        ents = _untagged_prose_reactions(text, ents)
        if all_rows:
            ents = _row_severities(text, ents, all_rows)
        links: dict[int, list[int]] = {}
        ents = _link_allergies(text, ents, sections, links, all_rows)
        _link_meds(text, ents, links)

        # one drug, one mention: bracketed synonyms go, their links move to the name
        syn = _synonym_heads(text, ents)
        keep = [i for i in range(len(ents)) if i not in syn]
        new_index = {old: new for new, old in enumerate(keep)}
        merged: dict[int, set[int]] = {}
        for head, attrs in links.items():
            h = syn.get(head, head)
            merged.setdefault(new_index[h], set()).update(new_index[a] for a in attrs if a in new_index)

        # attributes last, pointing at the final entity objects
        final = [ents[i] for i in keep]
        for head, attr_ids in merged.items():
            ordered = sorted(attr_ids, key=lambda i: (final[i].start, final[i].end))
            final[head] = dataclasses.replace(final[head], attributes=tuple(final[i] for i in ordered))

        final = _qualify(text, final)
        nka = find_nka(text)
        status = _allergy_status(final, nka, sections, text)
        return doc.replace(entities=tuple(final), allergy_status=status, nka=nka)


def _qualify(text: str, ents: list[Entity]) -> list[Entity]:
    """The dosage of each MEDICATION and the allergy qualifiers of each ALLERGEN (both
    cleared on other labels), once attributes are linked."""
    starts = sorted(e.start for e in ents)
    out = []
    for i, e in enumerate(ents):
        dosage = dosage_of(text, e, starts) if e.label == "MEDICATION" else None
        category = kind = criticality = severity = None
        if e.label == "ALLERGEN":
            category = allergy_category(e.text, e.codes)
            kind = allergy_type(_cue(text, ents, i))
            criticality = allergy_criticality(a.text for a in e.attributes if a.label == "REACTION")
            sev = e.attribute("SEVERITY")
            severity = allergy_severity(sev.text) if sev is not None else None
        if (dosage, category, kind, criticality, severity) != (
                e.dosage, e.allergy_category, e.allergy_type, e.allergy_criticality, e.allergy_severity):
            e = dataclasses.replace(e, dosage=dosage, allergy_category=category, allergy_type=kind,
                                    allergy_criticality=criticality, allergy_severity=severity)
        out.append(e)
    return out


def _section_of(sections: Sequence[Section], pos: int) -> Section | None:
    for s in sections:
        if s.start <= pos < s.end:
            return s
    return None


_COLUMN_GAP = re.compile(r"(?:\t|[ ]{2,}|[ \t]*[-\u2013:][ \t]*)")


def _beyond_heads(text: str, e: Entity, heads: Sequence[Entity]) -> list[Entity]:
    """``e`` less the allergy entries' heads ``heads`` it overlaps: nothing when it lies on a
    head, else the finding it holds after a head and a column break (a tab, a run of spaces, a
    dash or colon), trimmed; a head that ``e`` only touches leaves it whole."""
    over = [a for a in heads if a.start < e.end and e.start < a.end]
    if not over:
        return [e]
    if e.label not in _REACTION_SOURCES:
        return []
    last = max(a.end for a in over)
    if min(a.start for a in over) < e.start or last >= e.end:
        return []
    gap = _COLUMN_GAP.match(text, last, e.end)
    start = gap.end() if gap is not None else last
    if gap is None or sum(ch.isalpha() for ch in text[start:e.end]) < 3:
        return []
    return [dataclasses.replace(e, start=start, text=text[start:e.end])]


def _as_medication(text: str, e: Entity) -> Entity:
    """A tagger's ALLERGEN that is a medication after all, with the medication-only ConText
    rules read now (the assertion stage read it as an ALLERGEN: "Amoxicillin-clavulanate was
    avoided given penicillin allergy" is a drug not taken). Flags only add to the stage's."""
    med = assertion_of(text, e.start, e.end, "MEDICATION")
    known = {c.flag for c in e.assertion.cues}
    extra = tuple(c for c in med.cues if c.flag not in known)
    a = e.assertion
    if extra:
        a = dataclasses.replace(a, **{c.flag: True for c in extra}, cues=a.cues + extra)
    return dataclasses.replace(e, label="MEDICATION", assertion=a,
                               medication_status=medication_status(text, e.start, e.end, a))


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``text[start:end]`` between list separators (commas, semicolons, slashes,
    brackets, tabs, runs of spaces, spaced dashes, "and"/"or"/"with"), without the
    punctuation around them."""
    out = []
    pos = start
    for m in [*_ROW_PIECE_SEP.finditer(text, start, end), None]:
        a, b = pos, (m.start() if m is not None else end)
        while a < b and text[a] in " \t-\u2013:.*":
            a += 1
        while b > a and text[b - 1] in " \t-\u2013:.*":
            b -= 1
        if b > a:
            out.append((a, b))
        if m is not None:
            pos = m.end()
    return out


def _relabel_allergens(text: str, ents: list[Entity], sections: Sequence[Section],
                       rows: Sequence[tuple[int, int]] = (),
                       unlisted_label: Callable[[str], str | None] | None = None) -> list[Entity]:
    """``rows``: the allergy-list rows read alone (allergy contexts whose head is an allergen);
    ``unlisted_label``: what the vocabulary makes of an ALLERGEN outside any allergy context
    (MEDICATION, SYMPTOM, PROBLEM, or None when it does not say)."""
    out = list(ents)
    sig_labels = ("DOSE", "FREQUENCY")
    sig_starts = [x.start for x in out if x.label in sig_labels]
    # the reverse safety net: a tagger's ALLERGEN inside a medication list, with no
    # allergy cue, is a medication ("Visine allergy drop 1 gtt OU prn"); one outside any
    # allergy context (allergies section or table, "allergic to", "X allergy", ...) too
    any_allergen = any(e.label == "ALLERGEN" for e in out)
    contexts = [*find_allergy_contexts(text, sections), *rows] if any_allergen else []
    # what the tagger calls the same words elsewhere in the note (one sense per note)
    elsewhere: dict[str, list[str]] = {}
    if any_allergen:
        for x in out:
            if x.label in ("SYMPTOM", "PROBLEM", "MEDICATION"):
                elsewhere.setdefault(" ".join(x.text.lower().split()), []).append(x.label)
    for i, e in enumerate(out):
        if e.label != "ALLERGEN":
            continue
        sec = _section_of(sections, e.start)
        if _has_cue(text, out, i):
            continue
        if not any(a <= e.start and e.end <= b for a, b in contexts):
            # a drug, or a finding the tagger took for an allergen ("likely source of epiphora");
            # foods and environmental substances ("walnuts", "tree pollen") stay allergens
            found = unlisted_label(e.text) if unlisted_label is not None else None
            if found is None:
                # the vocabulary does not know it: the note's other mentions of it tell
                # ("thyroid storm with GD" after "Graves' disease (GD)")
                seen = elsewhere.get(" ".join(e.text.lower().split()), [])
                findings = [lab for lab in seen if lab != "MEDICATION"]
                if findings and len(findings) * 2 > len(seen):
                    found = max(set(findings), key=findings.count)
            if found is None and allergy_category(e.text) is None:
                found = "MEDICATION"
            if found is not None:
                out[i] = (_as_medication(text, e) if found == "MEDICATION"
                          else dataclasses.replace(e, label=found, medication_status=None))
                continue
        if _in_allergy_section(text, sec, e.start):
            # only a medication list that leaked into the section: a sig in the same item
            seg = _allergy_segment(text, e.start, sec)
            in_med_list = _any_between(sig_starts, seg[0], seg[1]) and not _reaction_column_after(text, out, e)
        else:
            in_med_list = sec is not None and sec.name == "medications"
        if not in_med_list and not _in_allergy_section(text, sec, e.start):
            s0, s1 = sentence_bounds(text, e.start, e.end)
            in_med_list = _any_between(sig_starts, s0, s1) and not ALLERGY_WORD.search(
                text, s0, s1
            )
        if in_med_list:
            # the assertion stage gave medications their status; this one was an allergen then
            out[i] = _as_medication(text, e)
    meds = [i for i, e in enumerate(out) if e.label == "MEDICATION"]
    if not meds:
        return out
    for i in meds:
        e = out[i]
        sec = _section_of(sections, e.start)
        is_allergen = False
        if _in_allergy_section(text, sec, e.start):
            seg = _allergy_segment(text, e.start, sec)
            # a sig (dose/frequency) in the same item means a medication list leaked in;
            # "Peanuts: anaphylaxis, required epinephrine" names the treatment
            is_allergen = (not _any_between(sig_starts, seg[0], seg[1]) or _reaction_column_after(text, out, e)
                           ) and not TREATMENT_CUE.search(text, max(seg[0], e.start - 40), e.start)
        if not is_allergen:
            is_allergen = _has_cue(text, out, i)
        if not is_allergen:
            # the head of an allergy list's row read on its own: "Keflex - hives"
            is_allergen = any(a == e.start and e.end < b for a, b in rows)
        if is_allergen:
            assertion = e.assertion
            if negated_only_by_its_halt(text, e):
                # "Combigan/not using - redness": not taken any more, because of the reaction
                assertion = dataclasses.replace(assertion, negated=False,
                                                cues=tuple(c for c in assertion.cues if c.flag != "negated"))
            out[i] = dataclasses.replace(e, label="ALLERGEN", medication_status=None, assertion=assertion)
    return out


def _in_cue(text: str, e: Entity) -> bool:
    """Whether a mention lies inside an allergy cue ("adverse rxn" of "adverse rxn to
    brimonidine", "side effects" of "had side effects from timolol"): the cue, not a reaction."""
    return any(m.start() <= e.start and e.end <= m.end()
               for m in CUE_BEFORE.finditer(text, max(0, e.start - 40), min(len(text), e.end + 12)))


# the reaction column of an Epic allergy row, right after the substance's name: a finding or
# one of the list's own values ("• Statins-Hmg-Coa Reductase Inhibitors Unknown     If taken daily ...")
_COLUMN_GAP = re.compile(r"[ \t\u00a0]+(?=\S)")
_REACTION_COLUMN_VALUE = re.compile(r"(?i)(?:unknown|other|not\s+specified|intolerance|anaphylaxis|hives|rash)(?!\w)")


def _reaction_column_after(text: str, ents: Sequence[Entity], e: Entity) -> bool:
    """Whether the words right after ``e`` on its line are an allergy row's reaction column:
    then a dose or frequency later in the row is its comment ("If taken daily, causes ..."),
    not the sig of a medication list that leaked into the section."""
    m = _COLUMN_GAP.match(text, e.end)
    if m is None:
        return False
    pos = m.end()
    if _REACTION_COLUMN_VALUE.match(text, pos):
        return True
    return any(x.start == pos and x.label in _REACTION_SOURCES for x in ents)


def _any_between(starts: list[int], lo: int, hi: int) -> bool:
    """Whether a sorted list of offsets has one in ``[lo, hi)``."""
    k = bisect_left(starts, lo)
    return k < len(starts) and starts[k] < hi


# "Aleve [Naproxen Sodium]", "Sulfa (Sulfonamide Antibiotics)": a name and its synonym
_SYN_OPEN = re.compile(r"^(?:\s+[A-Za-z][\w\-]*){0,2}\s*[\[(]\s*(?:[A-Za-z][\w\-]*\s+){0,2}$")


def _synonym_of_previous(text: str, ents: Sequence[Entity], i: int, j: int) -> bool:
    """Whether ``ents[j]`` is a bracketed synonym right after ``ents[i]`` (same label)."""
    a, b = ents[i], ents[j]
    if a.label != b.label or b.start < a.end or not _SYN_OPEN.match(text[a.end : b.start]):
        return False
    close = "]" if "[" in text[a.end : b.start] else ")"
    k = text.find(close, b.end)
    # the synonym fills the brackets (a short qualifier such as "(bulk)" may follow it)
    return k != -1 and k - b.end <= 30 and "\u2022" not in text[b.end : k] and "\n" not in text[b.end : k]


def _synonym_heads(text: str, ents: list[Entity]) -> dict[int, int]:
    """Bracketed synonyms of an ALLERGEN or MEDICATION, mapped to the name they follow.

    "Aleve [Naproxen Sodium]" is one allergy (one AllergyIntolerance), "latanoprost
    (XALATAN) 0.005 % ..." one medication (one MedicationStatement); the name written
    first is kept.
    """
    heads: dict[int, int] = {}
    for i, e in enumerate(ents):
        if e.label not in ("ALLERGEN", "MEDICATION") or i in heads:
            continue
        nxt = next((j for j in range(i + 1, len(ents)) if ents[j].start >= e.end), None)
        if nxt is not None and _synonym_of_previous(text, ents, i, nxt):
            heads[nxt] = heads.get(i, i)
            # the rest of the brackets' words read as more names: "Sulfa (Sulfonamide Antibiotics)"
            gap = text[e.end : ents[nxt].start]
            close = text.find("]" if "[" in gap else ")", ents[nxt].end)
            for j in range(nxt + 1, len(ents)):
                x = ents[j]
                if close == -1 or x.start >= close or x.label != e.label or "\u2022" in text[ents[nxt].end : x.start]:
                    break
                heads[j] = heads[nxt]
    # an allergen's bracketed names, nested or one after the other ("Travatan [travoprost
    # (benzalkonium)]", "Auralgan (W/ Acetic Acid) [Acetic Ac-...]", "cats **** [cat's ****
    # (uncaria tomentosa)]"): every drug mention inside is the same substance, and a reaction
    # read inside such a name ("[nitrofurantoin .../m-cryst]") is part of it
    for i, e in enumerate(ents):
        if e.label != "ALLERGEN" or i in heads:
            continue
        groups = name_bracket_groups(text, e.end)
        if not groups:
            continue
        lo, hi = groups[0][0], groups[-1][1]
        inside = [j for j in range(i + 1, len(ents)) if lo <= ents[j].start and ents[j].end <= hi]
        names = [j for j in inside if ents[j].label in ("ALLERGEN", "MEDICATION")]
        if not names:
            continue  # "Penicillin (hives)": a reaction in brackets, no second name
        for j in inside:
            if j not in heads and (j in names or ents[j].label in _REACTION_SOURCES):
                heads[j] = i
    return heads


def _has_cue(text: str, ents: list[Entity], i: int) -> bool:
    """An allergy cue before the mention (through a list of allergens) or right after it."""
    return _cue(text, ents, i) is not None


def _cue(text: str, ents: list[Entity], i: int) -> str | None:
    """The allergy cue of ``ents[i]`` (its text: "allergic to", " intolerance"), or None."""
    e = ents[i]
    if e.assertion.hypothetical:  # "if she develops an allergy to Alphagan", "if X causes redness"
        return None
    s0, s1 = sentence_bounds(text, e.start, e.end)
    after = CUE_AFTER.match(text[e.end : s1]) or PROSE_CUE_AFTER.match(text[e.end : s1])
    if after and not allergy_risk_after(text, e.end + after.end()):  # "timolol allergy risk" asserts none
        return after.group(0)
    if HALT_BEFORE.search(text[max(s0, e.start - 60) : e.start]):
        reason = HALT_REASON_AFTER.match(text[e.end : s1])
        if reason:
            return reason.group(0)
    prose = prose_intolerance_cue(text, ents, i, s0, s1)
    if prose is not None:
        return prose
    # walk back over a list: "allergic to penicillin, sulfa and codeine"
    pos = e.start
    j = i - 1
    while True:
        cue_hit = None
        for m in CUE_BEFORE.finditer(text, max(s0, pos - _CUE_WINDOW), pos):
            cue_hit = m
        prev_end = ents[j].end if j >= 0 and ents[j].end <= pos else -1
        anchor = max(cue_hit.end() if cue_hit else -1, prev_end)
        if anchor < s0:
            return None
        gap = text[anchor:pos]
        if not _LIST_GAP.match(gap):
            return None
        if cue_hit is not None and anchor == cue_hit.end():
            return cue_hit.group(0)
        # the previous entity is adjacent: continue only through allergens/medications
        if ents[j].label not in ("ALLERGEN", "MEDICATION"):
            return None
        pos = ents[j].start
        j -= 1


def _untagged_prose_reactions(text: str, ents: list[Entity]) -> list[Entity]:
    """The reaction words a prose intolerance was read from that no mention covers ("off X x
    2 weeks too irritating", "stopped timolol - fatigue"), added as SYMPTOM mentions so they
    link as the allergen's reactions."""
    new: list[Entity] = []
    for a, e in enumerate(ents):
        if e.label != "ALLERGEN":
            continue
        s0, s1 = sentence_bounds(text, e.start, e.end)
        found = prose_intolerance(text, ents, a, s0, s1)
        r = found[1] if found is not None else None
        if (r is not None and r.source == "allergy-prose" and not any(x is r for x in ents)
                and not any(x.start < r.end and r.start < x.end for x in (*ents, *new))):
            new.append(dataclasses.replace(r, section=e.section))
    return sorted([*ents, *new], key=lambda x: (x.start, x.end)) if new else ents


_ROW_COLUMN_WORD = re.compile(rf"(?i)(?:high|low|medium)(?=(?:{_COLUMN_NOUN})?$)")
_ROW_SEVERITY = re.compile(r"(?i)(?<![\w-])(?:mild|moderate|severe|serious|life[\s-]+threatening)(?![\w-])")


def _row_severities(text: str, ents: list[Entity], rows: Sequence[tuple[int, int]]) -> list[Entity]:
    """The severity column of an allergy list's row read alone ("Latex   (severe)", "Celery
    itchy - Moderate reaction") that no mention covers, added as SEVERITY mentions of the
    row's allergen (the tagger finds them inside a table, not always on a row alone)."""
    new: list[Entity] = []
    heads = {e.start: e for e in ents if e.label == "ALLERGEN"}
    starts = [x.start for x in ents]
    for r0, r1 in rows:
        head = heads.get(r0)
        if head is None:
            continue
        found = [(m.start(), m.end()) for m in _ROW_SEVERITY.finditer(text, head.end, r1)]
        # a criticality column ("(High)", "Medium", "Low reaction"): a whole piece of the row
        for ps, pe in _pieces(text, head.end, r1):
            word = _ROW_COLUMN_WORD.match(text, ps, pe)
            if word is not None and not any(x < word.end() and word.start() < y for x, y in found):
                found.append(word.span())
        for fs, fe in sorted(found):
            near = ents[max(0, bisect_left(starts, fs) - 4) : bisect_left(starts, fe)]
            if not any(x.start < fe and fs < x.end for x in (*near, *new)):
                new.append(Entity("SEVERITY", fs, fe, text[fs:fe], 0.5, section=head.section, source="allergy-row"))
    return sorted([*ents, *new], key=lambda x: (x.start, x.end)) if new else ents


def _row_head(ents: Sequence[Entity], allergens: Sequence[int], k: int, rows: Sequence[tuple[int, int]],
              e: Entity) -> int | None:
    """The allergen heading the allergy row ``e`` lies on, when it is the allergen right before
    ``e`` (``allergens[k - 1]``; another allergen between ends the row's claim: "• Penicillin
    (hives)   • Sulfa Rash")."""
    if k == 0:
        return None
    a = allergens[k - 1]
    h = ents[a]
    return a if h.end <= e.start and any(r0 == h.start and e.end <= r1 for r0, r1 in rows) else None


def _link_allergies(
    text: str, ents: list[Entity], sections: Sequence[Section], links: dict[int, list[int]],
    rows: Sequence[tuple[int, int]] = (),
) -> list[Entity]:
    out = list(ents)
    allergens = [i for i, e in enumerate(out) if e.label == "ALLERGEN"]
    if not allergens:
        return out
    a_starts = [out[a].start for a in allergens]
    reaction_of: dict[int, int] = {}
    shared: dict[int, list[int]] = {}
    wrapped: set[int] = set()  # reactions linked across a re-wrapped entry dash
    # the reaction a prose intolerance was read from is its own ("switched from Xalatan to
    # Lumigan due to redness": redness is Xalatan's, whatever lies between)
    index = {id(x): k for k, x in enumerate(out)}
    for a in allergens:
        s0, s1 = sentence_bounds(text, out[a].start, out[a].end)
        found = prose_intolerance(text, out, a, s0, s1)
        if found is not None and found[1] is not None and id(found[1]) in index:
            reaction_of[index[id(found[1])]] = a
    for i, e in enumerate(out):
        if e.label not in _REACTION_SOURCES or _SALT.match(e.text) or i in reaction_of or _in_cue(text, e):
            continue
        sec = _section_of(sections, e.start)
        seg = _allergy_segment(text, e.start, sec)
        in_table = _in_allergy_section(text, sec, e.start)
        k = bisect_right(a_starts, e.start)
        before = [a for a in allergens[max(0, k - 8) : k] if seg[0] <= out[a].start and out[a].end <= e.start]
        after = [a for a in allergens[k : k + 8] if out[a].start >= e.end and out[a].end <= seg[1]]
        # on an allergy list's row read alone, every finding after the row's head is the head's
        # (the row's columns are runs of spaces and tabs, which cut the segment)
        head = _row_head(out, allergens, k, rows, e)
        if head is None and before:
            a = before[-1]
            # another reaction/severity entity or a symptom between is fine (a reaction list)
            if in_table or e.label == "REACTION" or _prose_reaction_gap(text, out, a, i):
                head = a
        if head is None and after:
            a = after[0]
            if _REACTION_BEFORE_GAP.match(text[e.end : out[a].start]) or _exposure_gap(text, out, i, a):
                head = a
        if head is None and k > 0:
            # "Travatan- irritation, Zioptan  - irritation": a field break between an entry's
            # name and its dash-joined reaction cuts the segment, not the entry
            a = allergens[k - 1]
            if out[a].end <= e.start and _DASH_GAP.match(text, out[a].end, e.start):
                head = a
            elif out[a].end <= e.start and _wrapped_dash_gap(text, out[a].end, e.start):
                head = a
                wrapped.add(i)
        if head is None and i - 1 in wrapped and _REACTION_LIST_GAP.match(text, out[i - 1].end, e.start):
            # "Timolol\n- fatigue, slow pulse": the rest of the wrapped entry's reaction list
            head = reaction_of[i - 1]
            wrapped.add(i)
        if head is not None:
            reaction_of[i] = head
            shared[i] = _coordinated_allergens(text, out, head, allergens)
    for i, a in reaction_of.items():
        if out[i].label != "REACTION":
            out[i] = dataclasses.replace(out[i], label="REACTION")
        for h in (a, *shared.get(i, ())):
            links.setdefault(h, []).append(i)
    # severities: to the allergen of the nearest reaction in the segment, else the allergen before
    for i, e in enumerate(out):
        if e.label != "SEVERITY":
            continue
        row_head = _row_head(out, allergens, bisect_right(a_starts, e.start), rows, e)
        if row_head is not None:  # the severity column of a row read alone: the row's allergen
            links.setdefault(row_head, []).append(i)
            continue
        sec = _section_of(sections, e.start)
        seg = _allergy_segment(text, e.start, sec)
        near = [r for r in reaction_of if seg[0] <= out[r].start < seg[1]]
        if near:
            r = min(near, key=lambda r: abs(out[r].start - e.start))
            links.setdefault(reaction_of[r], []).append(i)
            continue
        before = [a for a in allergens if seg[0] <= out[a].start and out[a].end <= e.start]
        if before:
            links.setdefault(before[-1], []).append(i)
    return out


_DASH_GAP = re.compile(r"[ \t\u00a0]*[-\u2013\u2014:][ \t\u00a0]*$")
_REACTION_LIST_GAP = re.compile(r"[ \t\u00a0]*(?:[,;/&]|and\b|or\b)[ \t\u00a0]*(?:(?:and|or)\b[ \t\u00a0]*)?$", re.IGNORECASE)
_WRAPPED_DASH = re.compile(r"[ \t\u00a0]*\r?\n[ \t\u00a0]*[-\u2013\u2014:][ \t\u00a0]*$")


def _wrapped_dash_gap(text: str, a: int, b: int) -> bool:
    """"Timolol\n- fatigue": the entry's dash carried to the next line by a re-wrap at a
    fixed width. Only a long line is taken as wrapped (a short list line never is)."""
    if not _WRAPPED_DASH.match(text, a, b):
        return False
    line_start = max(text.rfind("\n", 0, a), text.rfind("\r", 0, a)) + 1
    return a - line_start >= WRAP_MIN


_COORD_GAP = re.compile(r"^(?:[\s,;/&*]|and\b|or\b)*$", re.IGNORECASE)


def _coordinated_allergens(text: str, ents: list[Entity], head: int, allergens: list[int]) -> list[int]:
    """Allergens listed right before ``head`` that share its reactions.

    "Iodine, Polytrim, Tobramycin - eye irritation": the reaction follows the last one but
    belongs to all three. The walk stops at anything other than list punctuation (a
    reaction of its own, a bullet, a word).
    """
    out: list[int] = []
    cur = head
    p = bisect_left(allergens, head) - 1
    while p >= 0:
        a = allergens[p]
        p -= 1
        if ents[a].end > ents[head].start:
            continue
        if not _COORD_GAP.match(text[ents[a].end : ents[cur].start]):
            break
        if any(ents[a].end <= e.start and e.end <= ents[cur].start for e in ents[a + 1 : cur] if e.label in _REACTION_SOURCES):
            break
        out.append(a)
        cur = a
    return out


def _exposure_gap(text: str, ents: list[Entity], r: int, a: int) -> bool:
    """Whether reaction ``r`` is what followed exposure to allergen ``a`` written after it
    ("[wheezing] and [urticaria] after eating a cookie with [walnuts]"): the words between,
    the other reactions of the list left out, are an exposure."""
    lo, hi = ents[r].end, ents[a].start
    pieces = []
    pos = lo
    for e in ents[r + 1 : a]:
        if e.start >= pos and e.end <= hi:
            if e.label not in _REACTION_SOURCES + ("SEVERITY",):
                return False
            pieces.append(text[pos : e.start])
            pos = e.end
    pieces.append(text[pos:hi])
    return exposure_gap(" ".join(pieces))


def _prose_reaction_gap(text: str, ents: list[Entity], a: int, r: int) -> bool:
    """Whether the words between allergen ``a`` and a later mention ``r`` make it a reaction."""
    lo, hi = ents[a].end, ents[r].start
    # the halt written after the drug is no part of the gap ("Combigan/not using - redness")
    halt = halt_after(text, lo)
    if halt and lo + halt <= hi:
        lo += halt
    # blank out entity spans inside the gap (other reactions, severities)
    pieces = []
    pos = lo
    for e in ents[a + 1 : r]:
        if e.start >= lo and e.end <= hi and e.start >= pos:
            if e.label in _REACTION_SOURCES + ("SEVERITY",):
                pieces.append(text[pos : e.start])
                pos = e.end
            elif e.label in ("ALLERGEN", "MEDICATION"):
                return False
    pieces.append(text[pos:hi])
    # numbers are dates or doses ("Started latanoprost 3/2019 - had palpitations")
    words = [t.lower() for t in _TOKEN.findall(" ".join(pieces)) if t.isalnum() and not t.isdigit()]
    return len(words) <= 6 and all(w in _REACTION_GAP_WORDS for w in words)


def _link_meds(text: str, ents: list[Entity], links: dict[int, list[int]]) -> None:
    for i, head in link_medication_attributes(text, ents):
        links.setdefault(head, []).append(i)


def link_medication_attributes(text: str, ents: Sequence[Entity]) -> list[tuple[int, int]]:
    """``(attribute_index, medication_index)`` pairs for DOSE/ROUTE/FREQUENCY/DURATION.

    Each attribute goes to one medication of its segment (sentence, bullet item, field):
    the nearest one before it (the sig convention "drug 10 mg PO daily"), unless it sits
    right before a medication ("1 g of ceftriaxone", "intravenous methylprednisolone")
    and the medication before it is farther away, or there is none before it. A bracketed
    synonym or abbreviation ("quetiapine (Seroquel) 900 mg", "isoniazid (INH, 300 mg/d)")
    passes its attributes to the name it follows.
    """
    meds = [i for i, e in enumerate(ents) if e.label == "MEDICATION"]
    pairs: list[tuple[int, int]] = []
    if not meds:
        return pairs
    head = {m: m for m in meds}
    for k, m in enumerate(meds[1:], 1):
        p = meds[k - 1]
        if _synonym_of_previous(text, ents, p, m):
            head[m] = head[p]
    attr_spans = sorted((e.start, e.end) for e in ents if e.label in MED_ATTRIBUTES)
    med_starts = [ents[m].start for m in meds]  # entities are sorted by start
    for i, e in enumerate(ents):
        if e.label not in MED_ATTRIBUTES:
            continue
        s0, s1 = sentence_bounds(text, e.start, e.end)
        k = bisect_right(med_starts, e.start)
        prev = next((m for m in reversed(meds[max(0, k - 8) : k]) if ents[m].end <= e.start), None)
        if prev is not None and ents[prev].start < s0:
            prev = None
        nxt = next((m for m in meds[bisect_left(med_starts, e.end) :][:8] if ents[m].start >= e.end), None)
        if nxt is not None and ents[nxt].end > s1:
            nxt = None
        choice = None
        if prev is not None and nxt is not None:
            gp = _gap_tokens(text, ents[prev].end, e.start)
            gn = _gap_words(text, e.end, ents[nxt].start, attr_spans)
            # attribute glued to the next drug: "1 g of ceftriaxone", "2 g/kg IV immunoglobulin"
            glued_next = len(gn) <= 2 and all(t.lower() in ("of", "the", "a", "an") for t in gn)
            glued_prev = len(gp) == 0 or (len(gp) <= 1 and gp[0] in (",", "-", ":", "("))
            if glued_next and (not glued_prev or "of" in (t.lower() for t in gn)):
                choice = nxt
            elif glued_next and glued_prev:
                choice = nxt if (e.label == "ROUTE" and _ADJECTIVE_ROUTE.match(e.text.strip())) else prev
            else:
                # the nearer one, with a preference for the drug before (sig order)
                choice = prev if len(gp) <= 2 * len(gn) + 2 else nxt
        elif prev is not None:
            choice = prev
        elif nxt is not None:
            gn = _gap_tokens(text, e.end, ents[nxt].start)
            if len(gn) <= 8:
                choice = nxt
        if choice is not None:
            pairs.append((i, head[choice]))
    return pairs


def _gap_words(text: str, a: int, b: int, skip: list[tuple[int, int]]) -> list[str]:
    """Tokens between ``a`` and ``b`` outside the ``skip`` spans (sorted; other attributes)."""
    out: list[str] = []
    pos = a
    lo = max(0, bisect_left(skip, (a, -1)) - 1)
    for s, e in skip[lo:]:
        if s >= b:
            break
        if e <= pos:
            continue
        out += _gap_tokens(text, pos, max(pos, s))
        pos = max(pos, e)
    out += _gap_tokens(text, pos, b)
    return out


# an allergies field whose first entry is a redacted word: something is listed, its name masked
# ("Allergies:   ****", "Allergies/Intolerances: Tried ******* - did not work")
_FIELD_HEAD = re.compile(r"[^:\n]{0,60}?(?::|\n)\s*", re.IGNORECASE)
_MASKED_ENTRY = re.compile(r"(?:(?:tried|h/o|hx\s+of|history\s+of)\s+)?(?:\*{3,}|\[(?:REDACTED|[A-Z_]+)\])",
                           re.IGNORECASE)


def _masked_field(text: str, sec: Section) -> bool:
    """Whether an allergies field holds an entry whose name was masked (de-identification
    masks what looked like a name), and nothing that states no allergy."""
    end = _section_end(text, sec)
    head = _FIELD_HEAD.match(text, sec.start, end)
    if head is None:
        return False
    return _MASKED_ENTRY.match(text, head.end(), end) is not None


# an allergies header right before an NKA statement, at a line start or after a field break
_NKA_HEADER = re.compile(r"(?:^|\n|[ \t\u00a0]{2,}|[.;]\s)(?:drug\s+)?allerg(?:y|ies)(?:\s*/\s*intolerances?)?"
                         r"[ \t\u00a0]*[:\-]?[ \t\u00a0]*$", re.IGNORECASE)


def _allergy_status(ents: Iterable[Entity], nka: NkaStatement | None,
                    sections: Sequence[Section] = (), text: str | None = None) -> str | None:
    """``listed`` / ``none-known`` / None. The allergies section speaks first: when it
    holds the no-known-allergies statement, an allergen mentioned elsewhere in the note
    (a prose intolerance, a drug in the history) does not make the status ``listed``. An
    allergies field whose first entry is masked (``Allergies: ****``) is ``listed`` when
    nothing else speaks."""
    # the patient's own allergies only: "if she ever develops an allergy to X" and "mother is
    # allergic to X" state none (FHIR emits no AllergyIntolerance for them either)
    allergens = [e for e in ents if e.label == "ALLERGEN" and not e.assertion.negated
                 and not e.assertion.hypothetical and not e.assertion.family]
    allergy_secs = [s for s in sections if s.name == "allergies"]

    def in_section(pos: int) -> bool:
        return any(s.start <= pos < s.end for s in allergy_secs)

    # "No known allergies" in the allergies section (not NKDA: a food allergy elsewhere is news),
    # or right after an allergies header the section splitter did not take for one (a flattened
    # "...Blindness.      Allergies no known allergies  Current Outpatient Medications")
    headed = nka is not None and text is not None and _NKA_HEADER.search(text, max(0, nka.start - 40), nka.start)
    if (nka is not None and nka.kind == "allergy" and (in_section(nka.start) or headed)
            and not any(in_section(e.start) for e in allergens)):
        return "none-known"
    if allergens:
        return "listed"
    if nka is not None:
        return "none-known"
    if text is not None and any(_masked_field(text, s) for s in allergy_secs):
        return "listed"
    return None
