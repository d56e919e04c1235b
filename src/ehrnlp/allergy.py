"""Allergy knowledge in one place: no-known-allergy statements, the cues that make a
mention an allergen, and the qualifiers of an allergy (category, criticality, severity,
type).

* :func:`find_nka` -- the note's "no known allergies" statement (NKA / NKDA / "Allergies:
  None"), the decision behind ``doc.allergy_status == "none-known"`` and ``doc.nka``;
  :func:`is_allergy_status` -- whether a tagged span is only such a statement ("NKDA.").
* :func:`find_allergy_contexts` -- where mentions are about allergies (the rule matcher
  labels drugs there ALLERGEN); :data:`CUE_BEFORE` / :data:`CUE_AFTER` /
  :data:`TREATMENT_CUE` / :data:`ALLERGY_WORD` -- the cues the relations stage reads to
  relabel and link allergens.
* :func:`allergy_category`, :func:`allergy_criticality`, :func:`allergy_severity`,
  :func:`allergy_type` -- the typed qualifiers the relations and normalize stages set on
  ALLERGEN entities (``Entity.allergy_category`` ...), which the FHIR layer serialises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .allergy_rules import ENVIRONMENT_WORDS, FOOD_WORDS, allergy_topic_end
from .model import Code, NkaStatement
from .terminology import RXNORM, UNII
from .textnorm import layout_view

__all__ = [
    "NkaStatement",
    "find_nka",
    "is_allergy_status",
    "exposure_gap",
    "find_allergy_contexts",
    "CUE_BEFORE",
    "CUE_AFTER",
    "TREATMENT_CUE",
    "ALLERGY_WORD",
    "PROSE_CUE_AFTER",
    "HALT_BEFORE",
    "HALT_REASON_AFTER",
    "allergy_category",
    "allergy_criticality",
    "allergy_severity",
    "allergy_type",
]

# -- no known allergies -------------------------------------------------------------------

_NKA = re.compile(
    r"(?<!\w)(?:"
    r"(?P<nkda>NKDA|NKFDA|no\s+known\s+(?:drug|medication|medicine)\s+allerg(?:y|ies)"
    r"|no\s+(?:drug|medication)\s+allerg(?:y|ies)|(?:denies|denied)\s+(?:any\s+)?(?:known\s+)?(?:drug|medication)\s+allerg(?:y|ies))"
    r"|(?P<nka>NKA|no\s+known\s+allerg(?:y|ies)|no\s+allerg(?:y|ies)(?:\s+(?:known|on\s+file|reported))?(?!\s+(?:information|info|data|history|record|status|list|review))"
    r"|(?:denies|denied)\s+(?:any\s+)?(?:known\s+)?allerg(?:y|ies)"
    r"|allerg(?:y|ies)(?:/intolerances)?(?:/ineffective(?:\s+medications)?)?\s*:\s*(?:none|nka|no|negative)(?:\s+known(?:\s+allerg(?:y|ies))?)?(?=[ \t]*(?:[.;,]|$)|[ \t]{2,}|[ \t]*\n))"
    r")(?!\w)",
    re.IGNORECASE,
)


def find_nka(text: str) -> NkaStatement | None:
    """The first no-known-allergy statement in ``text``, or None.

    ``kind="drug"`` maps to SNOMED 409137002 (No known drug allergy), ``"allergy"`` to
    716186003 (No known allergy).
    """
    view = layout_view(text)  # runs of spaces, tabs, nbsp, CRLF read as the canonical layout
    m = _NKA.search(view.text)
    if not m:
        return None
    kind = "drug" if m.group("nkda") else "allergy"
    start, end = view.span_to_orig(m.start(), m.end())
    return NkaStatement(kind, start, end)


#: a whole span that only states an allergy status (wider than :data:`_NKA` on purpose:
#: "NKFA", no known *food* allergies, is not an NKA statement but is not an allergen either)
_NKA_SPAN = re.compile(r"(?i)NK[DF]?A|no known (?:drug |food )?allergies")


def is_allergy_status(span_text: str) -> bool:
    """``NKA``/``NKDA``/``NKFA``/"no known allergies", also with the punctuation a span may
    take along ("NKDA." before the next sentence): the tagger drops such spans."""
    return bool(_NKA_SPAN.fullmatch(span_text.strip().rstrip(".,;:")))


# -- allergy cues: what says a mention is an allergen ------------------------------------

# a cue before the allergen: "allergic to", "allergy to", "intolerant of", "allergies:"
CUE_BEFORE = re.compile(
    r"(?<!\w)(?:allergic\s+(?:reaction\s+)?(?:to|with)|allerg(?:y|ies)\s+(?:to|with)|intoleran(?:t|ces?)\s+(?:to|of)"
    # plural forms too: "intolerances to X and Y", "sensitivities to", "reactions to"
    r"|sensitiv(?:e|ity|ities)\s+to|hypersensitiv(?:e|ity|ities)\s+to|anaphylaxis\s+to|reactions?\s+to"
    r"|adverse\s+(?:drug\s+)?(?:reactions?|rxns?|events?|effects?)\s+(?:to|from|with)|rxns?\s+to|adrs?\s+to"
    # a field of side effects: "drop side effects: combigan and cosopt dizzy"
    r"|(?:(?:drug|drop|medication|med)\s+)?side[\s-]+effects?\s*:(?!\s*(?:none|no|denie[sd]|reviewed|discussed|n/a)\b)"
    r"|allerg(?:y|ies)(?:/intolerances)?(?:/ineffective(?:\s+medications)?)?\s*:|allergen\s+reactions?"
    r"|is\s+allergic\s+to"
    # intolerances in prose: "could not tolerate travoprost", "unable to tolerate timolol"
    r"|(?:unable\s+to|could\s*n[o']t|can\s*n[o']t|did\s*n[o']t|does\s*n[o']t|never)\s+tolerate(?:d)?"
    r"|(?:not|(?<!no\s)(?<!without\s)(?<!any\s)(?:trouble|difficulty|problems?))\s+(?:with\s+)?tolerating"
    r"|poorly\s+tolerat(?:es|ed|ing|e)(?!\w)|did\s+not\s+do\s+well\s+with"
    # problems the patient had with drugs, a list after it: "had problems in past with X, Y and Z"
    r"|(?<!no\s)(?<!not\s)(?<!never\s)(?<!without\s)(?:had|has|have|having|with|reports?|reported)\s+"
    r"(?:(?:many|several|multiple|some|prior|previous|past)\s+)?(?:problems?|issues?|difficult(?:y|ies)|(?:bad\s+)?reactions?)\s+"
    r"(?:(?:in\s+(?:the\s+)?past|before|previously|before\s+now)\s+)?with"
    # side effects the patient had ("had side effects from timolol"), not counselling
    # ("discussed side effects of X") nor their absence ("with no side effects from X")
    r"|(?<!never\s)(?<!not\s)(?<!n't\s)(?<!no\s)(?<!denies\s)(?<!denied\s)"
    r"(?:had|has|have|having|experienced|experiences|experiencing|developed|develops|reported|reports|with|"
    r"due\s+to|because\s+of)\s+(?!(?:no|any|minimal|few|without|possible|potential)\s)(?:\w+\s+)?side[\s-]+effects?\s+"
    r"(?:from|of|with|on|to))",
    re.IGNORECASE,
)

# a cue after the drug that names what it did to the patient: "latanoprost caused redness",
# "bimatoprost/timolol both with burning", "Xalatan (itching)" in a list is the table's business
PROSE_CUE_AFTER = re.compile(
    r"^(?:\s*(?:/|,|and|or|&)\s*[\w\-]+){0,3}\s*(?:\([^)]{0,40}\))?\s*"
    r"(?:(?:both|all|each)\s+(?:with|caus\w+|gave)|caused|causes|causing|gave\s+(?:her|him|me|them|the\s+(?:patient|pt))"
    r"|led\s+to|resulted\s+in|not\s+tolerated|was\s+not\s+tolerated|intolerable"
    # "had been on Azopt, but didn't tolerate", "tried Cosopt but could not tolerate it": the
    # drug before a tolerate with no object of its own ("continue X, did not tolerate Y" is Y's)
    r"|[,;:\-–]?\s*(?:(?:but|and|yet|which|as)\s+)?(?:(?:pt|patient|she|he|they|i)\s+)?"
    r"(?:did\s*n[o']t|could\s*n[o']t|can\s*n[o']t|was\s+(?:unable|not\s+able)\s+to|were\s+(?:unable|not\s+able)\s+to|never)"
    r"\s+tolerate[ds]?(?=(?:\s+(?:it|them|this|that|these|those|the\s+drops?|well))?\s*(?:[.;,)!]|$)))(?!\w)",
    re.IGNORECASE,
)
# "switched off Xalatan due to itching", "stopped timolol because of burning"
HALT_BEFORE = re.compile(
    r"(?<!\w)(?:(?:switched|changed|taken|came|went)\s+off(?:\s+of)?|stopped|discontinued|d/c'?d|quit)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
HALT_REASON_AFTER = re.compile(
    r"^(?:\s*(?:/|,|and|or)\s*[\w\-]+){0,3}\s*(?:drops?|gtts?)?\s*(?:due\s+to|because\s+of|secondary\s+to|from|for)\s+"
    r"(?:\w+\s+){0,2}?(?:itch\w*|burn\w*|sting\w*|redness|red\s+eyes?|hyperemia|irritation|rash\w*|hives|swelling|"
    r"cough\w*|nausea|vomiting|diarrh\w*|allerg\w*|reactions?|side\s+effects?|intoleran\w*|bradycardia|fatigue)(?!\w)",
    re.IGNORECASE,
)
# a medication named as the treatment of a reaction inside an allergy item
TREATMENT_CUE = re.compile(
    r"(?<!\w)(?:required|requiring|requires|needed|needing|treated\s+with|treatment\s+with|given|gave|received|"
    r"responded\s+to|used|took|administered|carries|carry|with\s+an?)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
ALLERGY_WORD = re.compile(r"allerg|intoleran|sensitivit|anaphyla|reaction", re.IGNORECASE)
# a cue after the allergen: "penicillin allergy", "sulfa intolerance", "PCN (allergic)"
_CUE_WORD = r"(?:allerg(?:y|ies|ic)|intoleran(?:t|ce)|hypersensitivity|sensitivity|anaphylaxis)(?!\w)"
CUE_AFTER = re.compile(
    # "PCN (allergic)", "sulfa allergy"; but a product's name is no cue: "Claritin Allergy 10 mg",
    # "diphenhydrAMINE (BENADRYL ALLERGY) 25 mg" (a dose after the word, or a bracket it
    # closes that opened before the drug)
    r"^(?:[\s\-–:]*\([\s\-–:]*" + _CUE_WORD + r"|[\s\-–:]*" + _CUE_WORD + r"(?!\s*[\d)\]]))"
    # "Visine allergy drop", "Zyrtec allergy relief": the word names a product, not an allergy
    r"(?!\s+(?:eye\s+)?(?:drops?|medicines?|medications?|meds?|pills?|tablets?|shots?|injections?|relief|spray|season"
    r"|test(?:ing|s)?|clinic|specialist|symptoms?|formula|nasal))",
    re.IGNORECASE,
)


# -- allergy contexts (the rule matcher) ----------------------------------------------------

_ALLERGY_TRIGGER = re.compile(
    r"(?:\ballerg(?:y|ies|ic|en)\b(?!\s+(?:rhinitis|conjunctivitis|dermatitis|asthma|bronchopulmonary|shiners|"
    r"syndrome|and\s+immunology|clinic|/immunology|immunology|testing|consult))|\bintoleran(?:ce|t)\b|\badverse\s+reactions?\b|\bsensitivit(?:y|ies)\b)",
    re.IGNORECASE,
)
_CONTEXT_STOP = re.compile(
    r"(?:\n\s*\n|\b(?:current\s+(?:outpatient\s+)?medications|medications?|meds|home\s+meds|hpi|history\s+of\s+present|"
    r"past\s+(?:medical|surgical)|pmh|psh|family\s+history|social\s+history|review\s+of\s+systems|ros|"
    r"physical\s+exam|exam|assessment|plan|impression|problem\s+list|vital\s+signs|vitals|labs?)\s*:"
    r"|\bcurrent\s+outpatient\s+medications\b|\bmedications?\s+sig\b)",
    re.IGNORECASE,
)
_ALLERGY_WINDOW = 400

# "X caused Y" written the other way round: an allergic reaction, then what the patient met
# ("urticaria after eating a cookie with walnuts", "hives within minutes of a bee sting",
# "rash after starting amoxicillin", "wheezing whenever she is around cats"); the context is
# the exposure and the rest of its sentence
_ALLERGIC_REACTION = (
    r"(?:hives|urticaria|wheez\w*|angio-?edema|anaphyla\w*|rash(?:es)?|pruritus|itch(?:ing|y)?|flushing|"
    r"(?:lips?|tongue|face|facial|throat|eyelids?)\s+swelling|swelling\s+of\s+(?:the\s+|her\s+|his\s+)?"
    r"(?:lips?|tongue|face|throat|eyelids?)|throat\s+(?:tightness|closing|closure)|(?:an\s+)?allergic\s+reactions?)"
)
_EXPOSURE_PHRASE = (
    r"(?:(?:right\s+|shortly\s+|soon\s+|immediately\s+)?(?:after|following|upon|on)|within\s+(?:\w+\s+){1,2}of|"
    r"when(?:ever)?\s+(?:she|he|they|the\s+patient|pt|i)|each\s+time\s+(?:she|he|they|the\s+patient|pt|i))\s+"
    r"(?:(?:eating|ingesting|ingestion\s+of|consuming|consumption\s+of|drinking|tasting|taking|receiving|starting|"
    r"using|applying|inhaling|touching|handling|contact\s+with|(?:being\s+)?exposed\s+to|exposure\s+to|"
    r"being\s+(?:stung|bitten)\s+by|an?\s+(?:\w+\s+)?stings?|(?:eats|ate|eat|drinks|drank|takes|took|touches|touched|"
    r"handles|handled|uses|used)|(?:is|was|are|were|gets|got)\s+(?:around|near|exposed\s+to|stung\s+by)))(?!\w)"
)
_EXPOSURE = re.compile(
    r"(?<!\w)" + _ALLERGIC_REACTION + r"(?!\w)[^.;\n]{0,120}?(?<!\w)" + _EXPOSURE_PHRASE, re.IGNORECASE
)
# what may stand between a reaction and the substance it followed, the other reactions of
# the list taken out: "[wheezing] and [urticaria] after eating a cookie with [walnuts]"
_EXPOSURE_GAP = re.compile(
    r"^[\s,]*(?:(?:and|or|&|/)[\s,]*)*" + _EXPOSURE_PHRASE + r"(?:\s+[\w'-]+){0,4}?\s*$", re.IGNORECASE
)


def exposure_gap(gap: str) -> bool:
    """Whether ``gap`` joins a reaction to the substance written after it as what caused it
    ("hives after eating", "rash within hours of taking", "wheezing whenever she is around")."""
    return _EXPOSURE_GAP.match(gap) is not None


# an allergic condition, then what triggers it in the same sentence: "seasonal allergic rhinitis
# with sneezing each spring from tree pollen", "contact dermatitis from nickel", "hay fever
# triggered by grass"
_ALLERGIC_CONDITION_TRIGGER = re.compile(
    r"(?<!\w)(?:allergic\s+(?:rhinitis|conjunctivitis|dermatitis|asthma|reactions?)|hay\s+fever|"
    r"contact\s+dermatitis|hives|urticaria)(?!\w)[^.;\n]{0,120}?(?<!\w)"
    r"(?P<trigger>from|due\s+to|triggered\s+by|caused\s+by|induced\s+by|provoked\s+by|(?:up)?on\s+exposure\s+to|"
    r"with\s+exposure\s+to|when\s+exposed\s+to|around)(?!\w)",
    re.IGNORECASE,
)
# avoiding a food or an environmental substance is managing an allergy to it: "Avoid all nuts
# and shellfish", "strict avoidance of peanuts", "keep away from cats" (not "avoid NSAIDs")
_AVOIDANCE = re.compile(
    r"(?<!\w)(?:avoid(?:s|ed|ing)?(?:\s+(?:eating|contact\s+with|exposure\s+to))?|(?:strict\s+)?avoidance\s+of|"
    r"(?:stay|keep)\s+away\s+from)\s+(?:(?:all|any|further)\s+)?(?:(?:fresh|raw|cooked|tree|house)\s+)?"
    r"(?=" + FOOD_WORDS + "|" + ENVIRONMENT_WORDS + r")(?:" + FOOD_WORDS + "|" + ENVIRONMENT_WORDS + r")(?!\w)",
    re.IGNORECASE,
)


def _exposure_contexts(text: str) -> list[tuple[int, int]]:
    """The exposures named after an allergic reaction or condition, and avoided substances:
    from the exposure (or the avoidance) to the end of its sentence."""
    out = []
    for m in _EXPOSURE.finditer(text):
        # the reaction and what the patient met: "wheezing and urticaria after eating X"
        out.append((m.start(), _sentence_end(text, m.end())))
    for m in _ALLERGIC_CONDITION_TRIGGER.finditer(text):
        # the trigger alone: the condition is a diagnosis of its own ("allergic rhinitis")
        out.append((m.start("trigger"), _sentence_end(text, m.end())))
    for m in _AVOIDANCE.finditer(text):
        out.append((m.start(), _sentence_end(text, m.end())))
    return out


# a clause on how the reaction went ends the exposure: "after eating walnuts, treated with
# diphenhydramine" (the treatment is no allergen)
_AFTERMATH = re.compile(
    r"[,;(]\s*(?:and\s+|which\s+(?:was\s+|were\s+)?|that\s+)?(?:was\s+|were\s+)?(?:treated|requiring|required|needing|needed|"
    r"managed|given|resolved|responded|relieved|improved|using|used|took|received|with\s+(?:resolution|improvement))(?!\w)",
    re.IGNORECASE,
)


def _sentence_end(text: str, pos: int) -> int:
    end_m = _SENTENCE_END.search(text, pos, min(len(text), pos + 150))
    end = end_m.start() if end_m else min(len(text), pos + 150)
    stop = _CONTEXT_STOP.search(text, pos, end) or _AFTERMATH.search(text, pos, end)
    return stop.start() if stop else end

_HEADER_AFTER = re.compile(r"[ \t]*(?::|\n|[ \t]{2,}|\s*allergen|\s*[-•*])", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?:\.\s|\n|;|$)")
# a contrast ends what a prose cue is about: "allergic to codeine, but may start tramadol"
_CONTRAST = re.compile(r"(?<!\w)(?:but|however|although|though|except\s+(?:for\s+)?that|yet)(?!\w)", re.IGNORECASE)


def find_allergy_contexts(text: str, sections: Iterable = ()) -> list[tuple[int, int]]:
    """Character ranges where mentions are about allergies.

    * an ``allergies`` section (when the sections stage ran);
    * after a header-like trigger ("Allergies:", "ALLERGIES" on its own line, the Epic
      table "Allergies  Allergen Reactions ..."): up to the next header or blank line;
    * around a trigger in prose ("allergic to X", "X allergy"): the rest of the sentence,
      and the few words before "allergy"/"intolerance".

    The cues are read in the text's :func:`~ehrnlp.textnorm.layout_view` (runs of spaces,
    tabs, no-break spaces, CRLF, re-wrapped lines) and the ranges mapped back.

    The answer depends on the text and its allergies sections only; the last few are kept,
    because the rule NER, the tagger's allergen rules and the relations stage all ask about
    the same note (each caller gets its own list).
    """
    sections = tuple(sections)
    allergy_sections = tuple((s.start, s.end) for s in sections if s.name == "allergies")
    med_sections = tuple((s.start, s.end) for s in sections if s.name == "medications")
    return list(_contexts_cached(text, allergy_sections, med_sections))


@lru_cache(maxsize=8)
def _contexts_cached(text: str, allergy_sections: tuple[tuple[int, int], ...],
                     med_sections: tuple[tuple[int, int], ...] = ()) -> tuple[tuple[int, int], ...]:
    view = layout_view(text)
    if view.identity:
        found = _allergy_contexts(text, list(allergy_sections))
    else:
        found = [(view.to_orig(a), view.to_orig(b))
                 for a, b in _allergy_contexts(view.text, [view.span_to_view(s, e) for s, e in allergy_sections])]
    rows = [r for r in _rows_cached(text, med_sections) if not any(a <= r[0] and r[1] <= b for a, b in found)]
    return tuple(sorted(found + rows))


def allergy_rows(text: str, sections: Iterable = ()) -> list[tuple[int, int]]:
    """The allergy-list rows of :func:`entry_rows` outside a medications section (there a row
    is a drug and its indication: "Cetirizine - hives")."""
    med_sections = tuple((s.start, s.end) for s in sections if s.name == "medications")
    return list(_rows_cached(text, med_sections))


@lru_cache(maxsize=8)
def _rows_cached(text: str, med_sections: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    # rows are read in the note as written: their columns are runs of spaces and tabs
    return tuple(r for r in entry_rows(text) if not any(a <= r[0] < b for a, b in med_sections))


# -- an allergy list's row on its own --------------------------------------------------------

# what the rest of an allergy-list row holds: a reaction only an allergy or intolerance is
# written with, or the table's status column
_ROW_REACTION = re.compile(
    r"(?<!\w)(?:" + _ALLERGIC_REACTION + r"|swelling|swollen|edema|(?:contact\s+)?dermatitis|anaphylactic|stevens[\s-]+johnson|sjs|dress|lyell|"
    r"toxic\s+epidermal|intoleran(?:ce|t)|not\s+reported|life[\s-]+threatening)(?!\w)",
    re.IGNORECASE,
)
# a row: an optional bullet, a head of 1-6 words, a column break (a tab, a run of spaces, a dash
# after a blank, a colon, a bracket), the rest of the line
_ROW = re.compile(
    r"^[ \t]*(?:[-\u2022*+][ \t]*)?(?P<head>[A-Za-z0-9][^\n\t:;()]{0,60}?)"
    r"(?P<sep>\t[ \t]*|[ ]{2,}|[ \t]+[-\u2013][ \t]*|[ \t]*[-\u2013][ \t]+|[ \t]*:[ \t]*|[ \t]*\([ \t]*)"
    r"(?P<rest>[^\n]*)$",
    re.MULTILINE,
)
# words a row's head never holds: a sentence, or an exam or note heading ("Skin: hives")
_ROW_HEAD_STOP = re.compile(
    r"(?<!\w)(?:the|a|an|she|he|they|her|his|patient|pt|is|was|were|are|has|had|have|with|on|of|for|to|and|or|no|not|"
    r"after|since|denies|reports?|developed|noted|if|when|skin|derm|dermatolog\w*|exam\w*|ros|hpi|cc|general|heent|"
    r"neck|lungs|chest|heart|abd|abdomen|ext|extremit\w*|neuro|neurolog\w*|psych|psychiatr\w*|plan|assessment|impression|a/p|dx|diagnos\w*|reason|history|"
    r"pmh|note|comments?|symptoms?|complaints?|findings?|problems?|course|reactions?|medications?|meds|"
    r"face|lips?|eyes?|arms?|legs?|hands?|feet|foot|back|left|right|today|yesterday)(?!\w)",
    re.IGNORECASE,
)
# the table's last column: a severity, or (after a reaction column) a criticality or status
_ROW_LAST_COLUMN = re.compile(
    r"(?:^|[-\u2013(:,;]|\t|[ ]{2})[ \t]*(?:(?P<severity>mild|moderate|severe|serious)|unknown|high|low|medium)[ \t)]*$",
    re.IGNORECASE,
)
_ROW_DOSE = re.compile(r"\d\s*(?:mg|mcg|g|ml|units?|%|meq|tabs?|caps?|puffs?|drops?|gtts?)(?!\w)", re.IGNORECASE)
_ROW_REST_NEGATED = re.compile(r"^\W*(?:no|none|denies|denied|without|negative|neg)(?!\w)", re.IGNORECASE)


def row_candidates(text: str) -> list[re.Match[str]]:
    """Lines shaped as a row of a list (groups ``head`` and ``rest``): a head of 1-6 words
    that is no sentence, no heading and holds no dose, a column break, and a rest of at most
    160 characters that does not open with a negation. What the rest must name to make the
    row an allergy's is :func:`entry_rows`'s (and the relations stage's) to say."""
    out = []
    for m in _ROW.finditer(text):
        head, rest = m.group("head"), m.group("rest")
        if len(head.split()) > 6 or _ROW_HEAD_STOP.search(head) or _ROW_DOSE.search(head) \
                or _ROW_REST_NEGATED.match(rest) or len(rest) > 160:
            continue
        out.append(m)
    return out


def entry_rows(text: str) -> list[tuple[int, int]]:
    """Lines written as a row of an allergy list with no header above them ("Penicillin -
    hives", "Latex  contact dermatitis (severe)", "Codeine: intolerance"): an application
    that reads an allergy table row by row, or a row pasted into a note. The head is 1-6
    words that are no sentence and no heading; the rest names a reaction only an allergy is
    written with, or ends in the table's severity column (``- Moderate``, ``(severe)``) or,
    after a reaction, its criticality or status column (``Unknown``, ``High``). Each row is an
    allergy context."""
    out = []
    for m in row_candidates(text):
        rest = m.group("rest")
        hit = _ROW_REACTION.search(rest)
        if hit is None:
            last = _ROW_LAST_COLUMN.search(rest)
            if last is None or not (last.group("severity") or rest[:last.start()].strip()):
                continue
            hit = last
        if ". " in rest[:hit.start()]:
            continue
        out.append((m.start("head"), m.end("rest")))
    return out


def _allergy_contexts(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    for m in _ALLERGY_TRIGGER.finditer(text):
        word = m.group(0).lower()
        after = text[m.end():m.end() + 16]
        header = word in ("allergies", "allergy", "allergen") and bool(_HEADER_AFTER.match(after))
        if header:
            end_limit = min(len(text), m.end() + _ALLERGY_WINDOW)
            stop = _CONTEXT_STOP.search(text, m.end(), end_limit)
            ranges.append((m.start(), stop.start() if stop else end_limit))
            continue
        dot = text.rfind(". ", 0, m.start())
        sent_start = max(dot + 2 if dot >= 0 else 0, text.rfind("\n", 0, m.start()) + 1)
        start = max(sent_start, m.start() - 40) if word.startswith(("allergy", "allergies", "intoleran")) else m.start()
        end_m = _SENTENCE_END.search(text, m.end(), min(len(text), m.end() + 150))
        end = end_m.start() if end_m else min(len(text), m.end() + 150)
        stop = _CONTEXT_STOP.search(text, m.end(), end)
        if stop:
            end = stop.start()
        contrast = _CONTRAST.search(text, m.end(), end)
        if contrast:
            end = contrast.start()
        ranges.append((start, end))
    # a flattened "Allergies:" field runs on into the social history with no header between
    ranges = [(s, allergy_topic_end(text, s, e)) for s, e in ranges]
    ranges += _exposure_contexts(text)
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for s, e in ranges:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


# -- qualifiers of an allergy (Entity.allergy_*) ---------------------------------------------

_FOOD = re.compile(r"\b" + FOOD_WORDS + r"\b", re.I)
_ENVIRONMENT = re.compile(r"\b" + ENVIRONMENT_WORDS + r"\b", re.I)
_SEVERITY = {
    "mild": "mild", "minor": "mild", "slight": "mild",
    "moderate": "moderate", "mod": "moderate",
    "severe": "severe", "serious": "severe", "life-threatening": "severe", "life threatening": "severe",
}
_HIGH_CRITICALITY = re.compile(r"anaphyla|angioedema|airway|throat\s+(?:closing|swelling)|stevens|sjs|ten\b|toxic\s+epidermal", re.I)
_INTOLERANCE = re.compile(r"[\s(\-–:]*intoleran|.*\btolerat|.*\bside[\s-]+effects?\b|.*\b(?:caus\w*|gave|led\s+to|resulted|both|all|each|due\s+to|"
                          r"because|secondary\s+to|from|for|started|stopped|problems?|issues?|difficult(?:y|ies)|reactions?\s+with)\b", re.I)


def allergy_category(text: str, codes: Iterable[Code] = ()) -> str | None:
    """The FHIR AllergyIntolerance category of an allergen: ``"medication"`` when it is coded
    in RxNorm or UNII, else ``"food"`` or ``"environment"`` when its words name one
    ("peanuts", "cat dander", "latex"), else None."""
    systems = {c.system for c in codes}
    if RXNORM in systems or UNII in systems:
        return "medication"
    if _FOOD.search(text):
        return "food"
    if _ENVIRONMENT.search(text):
        return "environment"
    return None


def allergy_criticality(reactions: Iterable[str]) -> str | None:
    """``"high"`` when one of the reactions (their text) is life-threatening: anaphylaxis,
    angioedema, airway or throat swelling, Stevens-Johnson syndrome / TEN; else None."""
    return "high" if any(_HIGH_CRITICALITY.search(r) for r in reactions) else None


def allergy_severity(text: str) -> str | None:
    """A SEVERITY mention as FHIR reaction severity (``mild``/``moderate``/``severe``), or None."""
    return _SEVERITY.get(text.strip().lower())


def allergy_type(cue: str | None) -> str | None:
    """``"intolerance"`` when the cue that makes a mention an allergen calls it one
    ("intolerant of codeine", "lactose intolerance", "could not tolerate travoprost",
    "latanoprost caused redness", "switched off Xalatan due to itching"); else None ("allergic to", an
    "Allergies/Intolerances:" list or a table row do not establish the mechanism)."""
    return "intolerance" if cue and _INTOLERANCE.match(cue) else None
