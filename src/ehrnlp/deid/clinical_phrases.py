"""Clinical phrases whose capitalised words are no person and no place (issue 16, precision).

A capital proves nothing in a case report: "Candida albicans was isolated", "An Ommaya
reservoir was placed", "Rocky Mountain spotted fever was considered", "Mallory-Weiss tear".
The transformer, the world-name list and name propagation each read such words as a NAME or
a LOCATION; :func:`clinical_phrase_spans` finds the phrases so the stage can drop a NAME or
LOCATION hit lying wholly inside one (unless a title or credential names a person there).
Three kinds, each told by the phrase's own shape, never by the word alone:

* an **eponymous device, lesion or sign**: a capitalised word (or a hyphenated pair) before a
  clinical head noun (``reservoir``, ``tear``, ``lesion``, ``line``, ``stage``, ``catheter`` ...:
  :data:`ehrnlp.deid.patterns` ``_EPONYM``'s heads and a few more) after a blank (a hyphen joins a
  double surname: ``Hall-Field``); in a note written all in one case, in any case unless the word
  is a listed name (``ommaya reservoir``; ``tanner stage`` stays, as ``spoke with kim line 2`` must);
* a **place that names a disease**: one to three capitalised words, at most two of a few
  modifiers (``spotted``, ``hemorrhagic``, ``equine``, ``tick-borne``), then ``fever``, ``virus``,
  ``flu``, ``influenza``, ``encephalitis``, ``typhus`` (``St. Louis encephalitis``, ``Hong Kong
  flu``, ``Crimean-Congo hemorrhagic fever``);
* an **organism's binomial** named as one: ``Genus species`` with the species epithet in lower
  case (in any case in a lower-case line), no listed name, next to what is said only of an
  organism (``was isolated``, ``grew``, ``serology``, ``bacteremia``, ``PCR detected``); the pair
  is then an organism wherever the note writes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .patterns import eponym_spans

__all__ = ["clinical_phrase_spans"]

_CAP = r"[A-Z][a-zà-ÿ]+(?:[-–][A-Z][a-zà-ÿ]+)*"
_ANY = r"[^\W\d_][^\W\d_]+(?:[-–][^\W\d_]+)*"

#: head nouns of eponymous things ``patterns._EPONYM`` does not hold, and the ones it holds that
#: a note in one case writes in lower case too
_EXTRA_HEADS = (r"reservoir|tear|tears|lesion|lesions|diverticulum|ring|port|pump|drain|needle|clamp|splint|"
                r"bag|mask|loop|pessary|stent|tube|catheter|line|lines|stage|staging|sign|signs|test|maneuver|manoeuvre|"
                r"procedure|operation|disease|syndrome|palsy|reflex|phenomenon|classification|score|scale|criteria|grade|"
                r"valve|implant|shunt|cells?|bod(?:y|ies)|stain|granulomatosis|thyroiditis|sarcoma|lymphoma|tumou?r|"
                r"encephalopathy|fracture|hernia|cyst|ulcer|node|nodes|nodules?|spots?|membrane|angle|lens|field|fields|"
                r"triad|aneurysm|anomaly|dystrophy|arteritis|vasculitis|procedures?|repair|incision|approach|technique|"
                r"agar|medium|assay|questionnaire|index|ratio|formula|equation|position")
#: a blank before the head, never a hyphen: "Hill-Field", "MARSH-FIELD" are double surnames; never a tab either,
#: which parts a row's cells ("Last Name<tab>field": a label and its value)
_EPONYM_EXTRA = re.compile(rf"(?<![\w'’-]){_CAP}(?:['’]s|['’])?[ ]+(?:{_EXTRA_HEADS})(?![\w-])")
_EPONYM_ONE_CASE = re.compile(rf"(?<![\w'’-])(?P<e>{_ANY})(?:['’]s|['’])?[ ]+(?:{_EXTRA_HEADS})(?![\w-])", re.I)

_PLACE_DISEASE_HEAD = r"(?:fever|virus|viruses|flu|influenza|encephalitis|typhus)"
_PLACE_MODIFIER = r"(?:spotted|h(?:a)?emorrhagic|equine|tick-borne|relapsing|viral|valley)"
_PLACE_DISEASE = re.compile(
    rf"(?<![\w'’.-])(?P<p>(?:(?:St|Mt|Ft)\.?[ \t]+)?{_CAP}(?:[ \t]+{_CAP}){{0,2}})[ \t]+(?:(?i:{_PLACE_MODIFIER})[ \t]+){{0,2}}"
    rf"(?i:{_PLACE_DISEASE_HEAD})(?![\w-])")
#: in a note of one case any word may be a place's: not a function word or a verb of the sentence
#: around it ("lives in st. louis and has fever" holds no place that names a disease)
_NOT_PLACE = (r"(?!(?:and|or|but|has|had|have|with|without|was|were|is|are|be|been|of|in|on|at|to|for|from|by|the|a|an|"
              r"his|her|their|no|not|then|also|developed|develops|reports?|reported|denies|denied|presented|since|after|"
              r"before|due|new|high|low|persistent|recurrent|intermittent|mild|severe)(?![\w'’-]))")
_PLACE_DISEASE_ONE_CASE = re.compile(
    rf"(?<![\w'’.-])(?P<p>(?:(?:st|mt|ft)\.?[ \t]+)?{_NOT_PLACE}{_ANY}(?:[ \t]+{_NOT_PLACE}{_ANY}){{0,2}})[ \t]+(?:{_PLACE_MODIFIER}[ \t]+){{0,2}}"
    rf"{_PLACE_DISEASE_HEAD}(?![\w-])", re.I)

#: what a note says only of an organism, after its name ...
_ORGANISM_AFTER = (r"(?:bacter(?:a)?emia|fungemia|parasitemia|viremia|infections?|sepsis|isolates?|strains?|species|spp\.?|"
                   r"colonies|endocarditis|meningitis|pneumonia|osteomyelitis|abscess|bacilli|cocci|rods|serology|"
                   r"serologies|antibod(?:y|ies)|antigens?|titers?|titres?|toxins?|dna|rna|pcr|igg|igm|"
                   r"(?:was|were)[ \t]+(?:isolated|cultured|grown|detected|recovered)|grew|growth)")
#: ... and before it
_ORGANISM_BEFORE = (r"(?:isolated|isolation[ \t]+of|identification[ \t]+of|identified[ \t]+as|grew|growing|growth[ \t]+of|"
                    r"cultures?[ \t]+of|strains?[ \t]+of|species[ \t]+of|infection[ \t]+(?:with|by|due[ \t]+to)|"
                    r"infected[ \t]+with|colonized[ \t]+with|positive[ \t]+for|pcr[ \t]+(?:for|detected)|detected|due[ \t]+to)")
#: every pair of adjacent words (a lookahead: "it grew nocardia farcinica" holds three pairs)
_BINOMIAL = re.compile(r"(?<![\w'’.-])(?=(?P<g>[A-Za-z][a-z]{2,})[ \t]+(?P<s>[a-z]{3,})(?![\w'’-]))")


_ORGANISM_AFTER_RE = re.compile(rf"[ \t,]*(?:\([^)\n]{{0,30}}\)[ \t]*)?(?i:{_ORGANISM_AFTER})(?![\w-])")
# (a whole word: "Dr. Pettigrew at westerby clinic" holds no "grew", canx17)
_ORGANISM_BEFORE_RE = re.compile(rf"(?<![\w'’-])(?i:{_ORGANISM_BEFORE})[ \t]+(?:[^\W\d_]+[ \t]+)?\Z")


def _binomials(text: str, is_name: Callable[[str], bool]) -> list[tuple[int, int]]:
    named: set[tuple[str, str]] = set()
    pairs = []
    for m in _BINOMIAL.finditer(text):
        g, s = m.group("g"), m.group("s")
        if g.islower() and is_name(s):
            continue  # "maria lopez" in a lower-case line: a listed name is no species epithet there
        start, end = m.start("g"), m.end("s")
        pairs.append(((start, end), g.lower(), s))
        key = (g.lower(), s)
        if key in named:
            continue
        if _ORGANISM_AFTER_RE.match(text, end) or _ORGANISM_BEFORE_RE.search(text[max(0, start - 40):start]):
            named.add(key)
    return [span for span, g, s in pairs if (g, s) in named]


def clinical_phrase_spans(text: str, *, one_case: bool, is_name: Callable[[str], bool] = lambda w: False) -> list[tuple[int, int]]:
    """Spans of clinical phrases in ``text`` whose words are no PHI (see the module docstring).
    ``one_case``: the note is written all in one case (phrases are matched in any case);
    ``is_name``: whether a lower-case word is a listed given name or surname."""
    spans = list(eponym_spans(text))
    spans += [m.span() for m in _EPONYM_EXTRA.finditer(text)]
    spans += [m.span() for m in _PLACE_DISEASE.finditer(text)]
    if one_case:
        # in one case a listed name before a head may be a person's ("spoke with kim line 2"): not read
        spans += [m.span() for m in _EPONYM_ONE_CASE.finditer(text)
                  if not any(is_name(w) for w in re.split(r"[-–]", m.group("e")))]
        spans += [m.span() for m in _PLACE_DISEASE_ONE_CASE.finditer(text)]
    spans += _binomials(text, is_name)
    return spans
