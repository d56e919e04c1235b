"""Presidio recognizers for clinical PHI (imported only by :class:`DeidStage`).

* :class:`ClinicalPatternRecognizer` runs the regex table of :mod:`.patterns`.
* :class:`ClinicalNerRecognizer` turns the spaCy pipeline's PERSON / GPE / LOC / FAC /
  ORG mentions into NAME and LOCATION, filtered for clinical layout (abbreviations,
  eponyms, drug names, section headers that generic NER models mistake for people).

Both raise on any internal error; :class:`DeidStage` wraps every recognizer so an
exception names the recognizer and fails the note (Presidio itself would log and go on).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS

from . import ids
from .patterns import PATTERNS, PhiPattern, month_number
from .postprocess import CREDENTIALS, PERSON_NOUNS

__all__ = ["ClinicalPatternRecognizer", "ClinicalNerRecognizer", "TransformerPhiRecognizer", "PRESIDIO_TO_PHI"]

#: Presidio entity types of the built-in recognizers -> ehrnlp PHI labels.
PRESIDIO_TO_PHI = {
    "PERSON": "NAME",
    "LOCATION": "LOCATION",
    "EMAIL_ADDRESS": "EMAIL",
    "URL": "URL",
    "IP_ADDRESS": "IP",
    "PHONE_NUMBER": "PHONE",
    "US_SSN": "SSN",
    "CREDIT_CARD": "ID",
    "IBAN_CODE": "ID",
    "MEDICAL_LICENSE": "ID",
    "US_PASSPORT": "ID",
    "US_ITIN": "ID",
    "US_DRIVER_LICENSE": "ID",
    "US_BANK_NUMBER": "ID",
    "DATE_TIME": "DATE",
}
#: the layout recognizer reports its own entity types, so that Presidio's de-duplication (a
#: result inside a longer one of the same type is dropped) keeps them beside a model's span
#: that the stage's filters may cut short later
LAYOUT_TYPES = {label: f"LAYOUT_{label}" for label in ("NAME", "DATE", "ID", "PHONE", "EMAIL", "LOCATION", "AGE")}
#: an age over 89 in a cell under an age column ("94", "94 y", "F / 96", "101 yo"); not a count of days, weeks, months
_AGE_CELL = re.compile(r"(?<![\w.])(?P<age>9\d|1[01]\d|12[0-5])(?![\w.]|[ \t]*(?:%|(?i:days?|d|weeks?|wks?|w|months?|mos?|mo|m)\b))")
PRESIDIO_TO_PHI.update({v: k for k, v in LAYOUT_TYPES.items()})
#: the transformer reports its own entity types too (twentieth session): with the rules' types, Presidio's
#: de-duplication dropped a rule's span inside a model's span of a higher score ("EMPLOYER | Sunflower Landscaping":
#: the model's LOCATION over the rule's, same span), and when the stage's filters then dropped the model's guess, the
#: rule's finding was gone with it; now each reading reaches the filters and the stage merges what survives
MODEL_TYPES = {label: f"MODEL_{label}" for label in ("NAME", "LOCATION")}
PRESIDIO_TO_PHI.update({v: k for k, v in MODEL_TYPES.items()})
#: and so does the spaCy NER reading, for the same reason (its guesses have filters of their own)
SPACY_TYPES = {label: f"SPACY_{label}" for label in ("NAME", "LOCATION")}
PRESIDIO_TO_PHI.update({v: k for k, v in SPACY_TYPES.items()})
#: and so do the organisation rules (twenty-first session): a facility's reading of the same span ("Sunflower Community
#: College") scored higher, Presidio kept it alone, and the facility filter's veto of a department's or an allowed
#: word's head then dropped the organisation after a school's cue with it ("Is a sophomore at Sunflower Community
#: College"; dev seed 1123)
ORG_TYPE = "ORG_LOCATION"
PRESIDIO_TO_PHI[ORG_TYPE] = "LOCATION"
#: name components of an HL7 segment that are no name: titles, degrees, name-type codes
_HL7_NOT_NAMES = frozenset("dr mr mrs ms mx jr sr ii iii iv md do rn np pa phd l d m b a".split())


def _explanation(name: str, pattern: str, score: float) -> AnalysisExplanation:
    return AnalysisExplanation(recognizer=name, original_score=score, pattern_name=pattern)


#: labels and patterns whose matches never run across a column gap: safe on a view where every
#: run of blanks is one blank ("005   21  5567", "+1  617   555 0142")
_BOUNDED_LABELS = frozenset({"ID", "SSN", "PHONE", "FAX", "DATE", "AGE", "EMAIL", "URL", "IP"})
_BOUNDED_PATTERNS = frozenset({"street_address", "street_address_any_case", "city_state_zip", "city_state_zip_any_case",
                               "zip_after_state", "zip_labelled",
                               "name_initial", "facility_saint", "facility_our"})
#: of those, the ones a line break does end ("(St.\nJude Medical GmbH ...": a company, not a hospital)
_UNJOINED_PATTERNS = frozenset({"name_initial", "facility_saint", "facility_our"})


class ClinicalPatternRecognizer(EntityRecognizer):
    """Regex recognizers for clinical PHI; one instance per PHI label."""

    name: str  # set by EntityRecognizer.__init__; declared here because mypy cannot infer it from presidio

    def __init__(self, label: str, patterns: Iterable[PhiPattern], context: Iterable[str] = (), entity_type: str | None = None):
        self.patterns = tuple(patterns)
        self.label = entity_type or label
        super().__init__(
            supported_entities=[self.label],
            name=ids.pattern_recognizer(label),
            supported_language="en",
            context=list(context),
        )

    def load(self) -> None:  # patterns are compiled at import
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and self.label not in entities:
            return []
        from .layout import canonical_view

        out: list[RecognizerResult] = []
        seen: set[tuple[int, int, str]] = set()
        view, offsets = canonical_view(text)
        # the text itself, then its canonical view (NFKC digits, no CR, a column gap kept as
        # two blanks) with each match mapped back onto the original offsets; identifiers,
        # dates and addresses also on the view with every run of blanks read as one
        self._scan(text, None, out, seen, self.patterns)
        if view != text:
            self._scan(view, offsets, out, seen, self.patterns)
        flat, flat_offsets = canonical_view(text, gaps=False)
        bounded = tuple(p for p in self.patterns if p.label in _BOUNDED_LABELS or p.name in _BOUNDED_PATTERNS)
        if flat != view and bounded:
            self._scan(flat, flat_offsets, out, seen, bounded)
        # and on that view with the line breaks of running text read as blanks: an SSN, phone,
        # date or street address that a hard-wrapped note cut across two lines
        joined, joined_offsets = canonical_view(text, gaps=False, join_lines=True)
        wrapped = tuple(p for p in bounded if p.name not in _UNJOINED_PATTERNS)
        if joined != flat and wrapped:
            self._scan(joined, joined_offsets, out, seen, wrapped)
        return out

    def _scan(self, text: str, mapping: list[int] | None, out: list[RecognizerResult], seen: set[tuple[int, int, str]],
              patterns: tuple[PhiPattern, ...]) -> None:
        from .layout import map_span

        for p in patterns:
            for m in p.regex.finditer(text):
                if p.validate is not None and not p.validate(m):
                    continue
                start, end = m.span(p.group)
                if start >= end:
                    continue
                if mapping is not None:
                    start, end = map_span(mapping, start, end)
                if (start, end, p.name) in seen:
                    continue
                seen.add((start, end, p.name))
                out.append(
                    RecognizerResult(
                        entity_type=self.label,
                        start=start,
                        end=end,
                        score=p.score,
                        analysis_explanation=_explanation(self.name, p.name, p.score),
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: f"{self.name}:{p.name}",
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )


class AddressBlockRecognizer(EntityRecognizer):
    """Multi-line postal addresses (street line + unit / city / country-and-postcode lines)."""

    name: str  # set by EntityRecognizer.__init__; declared here because mypy cannot infer it from presidio

    def __init__(self) -> None:
        super().__init__(supported_entities=["LOCATION"], name=ids.ADDRESS_BLOCKS, supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        from .layout import canonical_view, map_span
        from .patterns import address_blocks

        if entities and "LOCATION" not in entities:
            return []
        view, offsets = canonical_view(text)
        spans = set(address_blocks(text))
        if view != text:
            spans.update(map_span(offsets, s, e) for s, e in address_blocks(view))
        return [
            RecognizerResult(
                entity_type="LOCATION", start=s, end=e, score=0.75,
                analysis_explanation=_explanation(self.name, "address_block", 0.75),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: f"{self.name}:address_block",
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for s, e in sorted(spans)
        ]


class ConvertedDocumentRecognizer(EntityRecognizer):
    """What document conversion leaves of a patient outside the text's sentences (:mod:`ehrnlp.deid.extracted`):
    the parts of file names and paths that carry one (``scan_quenby_evadne_2024-03-04.pdf``,
    ``C:\\Users\\equenby\\...``), as identifiers, the values of a form whose label and value columns a
    converter read across (``Name:`` / ``DOB:`` / ``MRN:`` over ``Quenby, Evadne`` / ...), and the person and the
    fax numbers of a page header or a fax banner."""

    name: str  # set by EntityRecognizer.__init__; declared here because mypy cannot infer it from presidio
    _LABELS = ("ID", "NAME", "DATE", "PHONE", "EMAIL", "LOCATION")

    def __init__(self) -> None:
        super().__init__(supported_entities=list(self._LABELS), name=ids.CONVERTED_DOCUMENT, supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        from .extracted import banner_spans, path_spans, person_mentions, stacked_fields

        paths = path_spans(text) if "." in text or "\\" in text or "/" in text else []
        found = {("ID", s, e, "document_path") for s, e in paths}
        if ":" in text:
            found.update((label, s, e, "stacked_field") for label, s, e in stacked_fields(text) if label in self._LABELS)
        banners = banner_spans(text)
        found.update((label, s, e, "banner") for label, s, e in banners)
        # the person a banner, a form read across or a file's name gave, written again as a pair of their words
        people = [text[s:e] for label, s, e, _how in found if label == "NAME"] + [text[s:e] for s, e in paths]
        if people:
            found.update(("NAME", s, e, "document_person") for s, e in person_mentions(text, people))
        return _rule_results(self.name, self.id, found, entities)


class SpokenRecognizer(EntityRecognizer):
    """What a dictation or a speech recogniser hands over in words (:mod:`ehrnlp.deid.spoken`): identifiers and phone
    numbers read out (``m r n four oh eight one ...``), dates said (``march fourth nineteen sixty one``), names spelled
    out (``q u e n b y``, ``Q-U-E-N-B-Y``, ``q as in queen``, NATO words) and the words they spell."""

    name: str  # set by EntityRecognizer.__init__; declared here because mypy cannot infer it from presidio
    _LABELS = ("ID", "PHONE", "DATE", "NAME", "LOCATION", "EMAIL")

    def __init__(self) -> None:
        super().__init__(supported_entities=list(self._LABELS), name=ids.SPOKEN, supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        from .spoken import spoken_spans

        return _rule_results(self.name, self.id, set(spoken_spans(text)), entities)


def _rule_results(name: str, ident: str, found: set[tuple[str, int, int, str]], entities: list[str],
                  score: float = 0.8) -> list[RecognizerResult]:
    """Presidio results of a rule recognizer's ``(label, start, end, how)`` findings, in order, the ``entities`` asked
    for only (each names its rule: ``<recognizer>:<how>``)."""
    return [
        RecognizerResult(
            entity_type=label, start=s, end=e, score=score,
            analysis_explanation=_explanation(name, how, score),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: f"{name}:{how}",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: ident,
            },
        )
        for label, s, e, how in sorted(found, key=lambda f: (f[1], f[2], f[0]))
        if not entities or label in entities
    ]


def pattern_recognizers() -> list[EntityRecognizer]:
    from .international import INTERNATIONAL_PATTERNS
    from .organizations import ORGANIZATION_PATTERNS
    from .safe_harbor import SAFE_HARBOR_PATTERNS

    by_label: dict[str, list[PhiPattern]] = {}
    for p in PATTERNS + SAFE_HARBOR_PATTERNS + INTERNATIONAL_PATTERNS:
        by_label.setdefault(p.label, []).append(p)
    return [*(ClinicalPatternRecognizer(label, pats) for label, pats in by_label.items()),
            ClinicalPatternRecognizer("LOCATION", ORGANIZATION_PATTERNS, entity_type=ORG_TYPE), AddressBlockRecognizer(),
            ConvertedDocumentRecognizer(), SpokenRecognizer()]


_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’.-]*")
_FACILITY_HEAD = re.compile(
    r"\b(?:Hospital|Clinic|Clinics|Center|Centre|Institute|Infirmary|Hospice|University|College|Pharmacy|Home|"
    r"Healthcare|Health System|Medical Group|Associates|Specialists)$"
)


# words that are clinical by their ending: drug stems and disease/procedure suffixes
_MEDICAL_WORD = re.compile(
    # drug stems (USAN) ...
    r"(?:quine|azine|idine|amine|oxine|cycline|mycin|cillin|floxacin|oxacin|pril|sartan|statin|olol|azole|tidine|prazole|parin|"
    r"xaban|gatran|mab|nib|tinib|tide|dipine|apine|idone|azepam|azolam|barbital|caine|dronate|gliptin|glinide|glitazone|lukast|"
    r"olone|asone|isone|triptan|tyline|xetine|pramine|setron|terol|tropium|platin|rubicin|taxel|afil|lamide|semide|thiazide|"
    r"fenac|profen|coxib|peridol|zosin|ciclovir|navir|vudine|fovir|fungin|penem|"
    # ... and disease / procedure / anatomy suffixes
    r"plasia|trophy|ectomy|otomy|ostomy|plasty|itis|osis|oma|emia|pathy|algia|plegia|paresis|esia|phagia|opia|uria|kinesia|"
    r"scopy|centesis|graphy|phenotype|genotype|osteoid|"
    r"reflexia|tresia|cephalus|septum|tumou?r|atypia|ocytes?|ectasis|ismus|sclerosis|genic|ergic|virus|bacter|coccus|coccal|"
    # ... and their British spellings and a few more signs ("Leucopoenia", "Tachypnoea", "oedema")
    r"p[o]?enia|pn[o]?ea|rrh[o]?ea|[o]?edema|aemia|uria|ptysis|cele)$",
    re.I,
)


_MID_SENTENCE = re.compile(r"[a-z] $")


#: (psharn) "and" / "or" / "&" between the names of a list the model read as one span
_NAME_LIST_JOIN = re.compile(r"[ \t]+(?i:and|or|&)[ \t]+")


def _span_items(text: str, start: int, end: int, label: str) -> list[tuple[int, int]]:
    """(psharn) A model's span as the de-identifier keeps it: without a last or first token that
    holds a symbol and fewer than two letters (mis-decoded punctuation after a name, "Yuri Bulgakov
    ג€"), and a NAME span read over a list ("monjeau, graves and reed", as the model reads a list in
    one case) as its names, without the "and" / "or" / "&" between them (no name holds one; a
    place may: "Trinidad and Tobago" stays whole)."""
    import unicodedata

    def junk(tok: str) -> bool:
        return (any(unicodedata.category(c).startswith("S") for c in tok)
                and sum(1 for c in tok if c.isalpha()) < 2)

    toks = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    while len(toks) > 1 and junk(text[start + toks[-1][0]:start + toks[-1][1]]):
        toks.pop()
    while len(toks) > 1 and junk(text[start + toks[0][0]:start + toks[0][1]]):
        toks.pop(0)
    if not toks:
        return []
    s, e = _strip_span(text, start + toks[0][0], start + toks[-1][1])
    if label != "NAME":
        return [(s, e)] if e > s else []
    out, pos = [], s
    for m in _NAME_LIST_JOIN.finditer(text, s, e):
        out.append(_strip_span(text, pos, m.start()))
        pos = m.end()
    out.append(_strip_span(text, pos, e))
    items = [x for a, b in out for x in _comma_items(text, a, b)]
    return [(a, b) for a, b in items if b > a and _WORD.search(text, a, b)]


_LIST_COMMA = re.compile(r",[ \t]+")
#: a list going on after a span: ", Name", " and Name", ", and Name"
_LIST_GOES_ON = re.compile(r"(?:,[ \t]+(?:(?i:and|or|&)[ \t]+)?|[ \t]+(?i:and|or|&)[ \t]+)[^\W\d_]")
_LIST_CAME_BEFORE = re.compile(r"[^\W\d_][^\W\d_'’-]*,[ \t]+\Z")


def _comma_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(ps17) A NAME span the model read over a list of names written with commas ("Hannah, Anthony,
    Derek", "Liora, Bastien" before ", Corvin and Maelis") as its names without the commas: three
    items or more, or two inside a longer list (a name and a comma before the span, or the list going on
    after it). A "Last, First" field alone ("Okafor, Adaeze", "Okafor, Adaeze MD") stays one span;
    every item stays masked, the commas between them are no PHI."""
    cuts = list(_LIST_COMMA.finditer(text, start, end))
    if not cuts:
        return [(start, end)]
    if len(cuts) == 1 and not (_LIST_GOES_ON.match(text, end)
                               or _LIST_CAME_BEFORE.search(text, max(0, start - 40), start)):
        return [(start, end)]
    out, pos = [], start
    for m in cuts:
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without the blanks, punctuation and bullets a model left at either end."""
    while end > start and text[end - 1] in " \t\n.,;:)('\"-":
        end -= 1
    while start < end and text[start] in " \t\n.,;:)('\"-–·•":
        start += 1
    return start, end


class ClinicalNerRecognizer(EntityRecognizer):
    """NAME / LOCATION from the spaCy NER mentions Presidio's NLP engine computed.

    Reads ``nlp_artifacts.entities`` (PERSON, LOCATION, ORGANIZATION after the engine's
    label mapping) and drops what clinical text makes implausible: spans whose words are
    all on the clinical allow-list, all-caps abbreviations, spans inside eponymous
    phrases, spans with digits. ORGANIZATION counts only when it names a facility.
    """

    name: str  # set by EntityRecognizer.__init__; declared here because mypy cannot infer it from presidio

    def __init__(
        self,
        allow: frozenset[str],
        *,
        lexicon: frozenset[str] = frozenset(),
        clinical: frozenset[str] = frozenset(),
        person_score: float = 0.7,
        location_score: float = 0.6,
    ):
        self.allow = allow
        self.lexicon = lexicon
        self.clinical = clinical
        self.person_score = person_score
        self.location_score = location_score
        super().__init__(
            supported_entities=list(SPACY_TYPES.values()),
            name=ids.SPACY_NER,
            supported_language="en",
        )

    def load(self) -> None:
        pass

    def _allowed(self, span_text: str) -> bool:
        words = _WORD.findall(span_text)
        if not words:
            return True
        return all(w.lower().strip(".") in self.allow for w in words)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        from .postprocess import _is_word

        if nlp_artifacts is None:
            raise RuntimeError("the NLP engine produced no artifacts")
        out: list[RecognizerResult] = []
        for ent in nlp_artifacts.entities:
            kind = ent.label_
            # trim punctuation and possessive endings the tokenizer left on the span
            start, end = _strip_span(text, ent.start_char, ent.end_char)
            if end - start < 2:
                continue
            span = text[start:end]
            if any(c.isdigit() for c in span) or "*" in span or "@" in span:
                continue
            if "  " in span or "\n" in span or "\t" in span or "•" in span:
                continue  # crosses a field boundary of a flattened table: not one mention
            if span.endswith(("'s", "’s")):
                end -= 2
                span = text[start:end]
            if self._allowed(span):
                continue
            if span.isupper():
                continue  # all-caps words in notes are drug lists, headers and abbreviations
            if not span[0].isupper() or "®" in span or "™" in span:
                continue  # names and places are capitalised; brands carry marks
            words = _WORD.findall(span)
            if any(_MEDICAL_WORD.search(w) for w in words):
                continue
            if all(w.lower().strip(".'’") in self.clinical for w in words):
                continue  # drug ingredients, disorders, findings, allergens of the vocabulary
            mid_sentence = bool(_MID_SENTENCE.search(text[max(0, start - 3):start]))
            if kind == "PERSON" and len(words) > 1 and not mid_sentence and all(
                _is_word(w.split("-")[0], self.lexicon) or w.lower() in self.allow for w in words
            ):
                continue  # "Intraocular Pressure", "Fatty Acids-Vitamin" at a field start: English words
            if len(words) == 1:
                w = words[0]
                if len(w) < 4 or any(c.isupper() for c in w[1:]):
                    continue  # odd-shaped single words ("SocHx", "Mrx") are abbreviations
                if kind == "LOCATION":
                    if len(w) <= 4 or re.search(r"(?:ic|al|ous|ive|ary|ory|ed|ing|ly)$", w):
                        continue  # "Atrophic", "Myopic", "Cont": adjectives and clipped words, not places
                elif _is_word(w, self.lexicon) and not mid_sentence:
                    # one English word tagged PERSON at the start of a field ("Kidney stones? No",
                    # "Mental status: Alert") is not a name; mid-sentence ("my kid Lukas") it may be
                    continue
            if kind == "PERSON":
                label, score = "NAME", self.person_score
                words = _WORD.findall(span)
                if len(words) == 1 and span.isupper() and len(span) <= 5:
                    continue  # SOB, POAG, IOP ...
                if not any(w[0].isupper() for w in words):
                    continue  # names in notes are capitalised; lower-case hits are clinical words
            elif kind == "LOCATION":
                label, score = "LOCATION", self.location_score
                if span.isupper() and len(span) <= 3 and span not in {"USA", "US"}:
                    continue  # OD, OS, OU, ER ...
            elif kind == "ORGANIZATION":
                head = _FACILITY_HEAD.search(span)
                if head is None:
                    continue
                if self._allowed(span[: head.start()]):
                    continue  # "Glaucoma Clinic", "Eye Institute": a department, not a place
                label, score = "LOCATION", self.location_score
            else:
                continue
            if entities and label not in entities and SPACY_TYPES[label] not in entities:
                continue
            out.append(
                RecognizerResult(
                    entity_type=SPACY_TYPES[label],
                    start=start,
                    end=end,
                    score=score,
                    analysis_explanation=_explanation(self.name, kind, score),
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: f"{self.name}:{kind}",
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return out


class NameSequenceRecognizer(EntityRecognizer):
    """Two or three capitalised words that are not English words, mid-sentence: a full name.

    ``Ravil G Yefimov``, ``Elínborg Guðmundsdóttir``: generic NER models miss names from
    outside their training data; a sequence of capitalised out-of-vocabulary words after a
    lower-case word is a name far more often than anything else. Words on the clinical
    allow-list, drug stems and disease suffixes never count.
    """

    name: str  # set by EntityRecognizer.__init__; declared here because mypy cannot infer it from presidio

    def __init__(self, allow: frozenset[str], lexicon: frozenset[str], score: float = 0.5):
        from .patterns import _TW

        self.allow = allow
        self.lexicon = lexicon
        self.score = score
        tw = _TW.replace("(?![\\w'’])", "(?!\\w)")  # a possessive may follow: "Yefremova's"
        self.regex = re.compile(rf"(?<=[a-z,;:(] )(?P<n>{tw}(?: [A-Z]\.?)? {tw}(?: {tw})?)(?!\w)")
        # a capitalised subject opening a sentence: "Luiza is from ...", "Jacob lives on ..."
        self.subject = re.compile(
            rf"(?:^|(?<=[.!?]  )|(?<=[.!?] )|(?<=\n))(?P<n>{tw}(?: {tw})?) (?=(?:is|was|lives|lived|works|worked|said|says|told|asked|"
            rf"called|wrote|went|moved|has|had|and I|will|would)\b)"
        )
        super().__init__(supported_entities=["NAME"], name=ids.NAME_SEQUENCE, supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        from .postprocess import _is_word

        if entities and "NAME" not in entities:
            return []
        out = []
        for m in self.regex.finditer(text):
            toks = [(t.start() + m.start("n"), t.end() + m.start("n")) for t in re.finditer(r"\S+", m.group("n"))]

            def plain(t: tuple[int, int]) -> bool:
                w = text[t[0]:t[1]].rstrip(".,;:'’s")
                return len(w) > 1 and (_is_word(w, self.lexicon) or w.lower() in self.allow or bool(_MEDICAL_WORD.search(w)))

            while toks and plain(toks[-1]):
                toks.pop()  # "… Yefremova's Cautionary": trailing English words are not the name
            words = [w for w in _WORD.findall(text[toks[0][0]:toks[-1][1]]) if len(w) > 2] if toks else []
            if len(words) < 2 or any(_is_word(w, self.lexicon) or w.lower() in self.allow or _MEDICAL_WORD.search(w)
                                     or self._clinical_compound(w) for w in words):
                continue
            s, e = toks[0][0], toks[-1][1]
            while e > s and text[e - 1] in ".,;:":
                e -= 1
            if text[e - 2:e] in ("'s", "’s"):
                e -= 2
            out.append(self._result(s, e))
        for m in self.subject.finditer(text):
            words = _WORD.findall(m.group("n"))
            if any(_is_word(w, self.lexicon) or w.lower() in self.allow or _MEDICAL_WORD.search(w)
                   or self._clinical_compound(w) or len(w) < 3 for w in words):
                continue
            out.append(self._result(*m.span("n")))
        return out

    def _clinical_compound(self, word: str) -> bool:
        """A hyphenated or slashed compound led by a clinical word ("Amoxicillin-clavulanate",
        "Timolol/dorzolamide", "Beta-blocker"): a drug combination or a term, not a
        double-barrelled surname ("Quintero-Vance" keeps counting)."""
        parts = _compound_parts(word)
        if len(parts) < 2 or not parts[0]:
            return False
        return parts[0].lower() in self.allow or bool(_MEDICAL_WORD.search(parts[0]))

    def _result(self, s: int, e: int) -> RecognizerResult:
        return RecognizerResult(
            entity_type="NAME", start=s, end=e, score=self.score,
            analysis_explanation=_explanation(self.name, "name_sequence", self.score),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: f"{self.name}:name_sequence",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


_LEADING_FUNCTION_WORDS = re.compile(r"(?:(?:in|at|of|on|to|from|near)\s+)+")


class TransformerPhiRecognizer(EntityRecognizer):
    """NAME / LOCATION from ehrnlp's fine-tuned clinical transformer (one forward pass).

    The shipped token classifier tags the PHI types ``NAME`` and ``LOCATION`` beside the
    clinical entities (:mod:`ehrnlp.ner.labels`). This recognizer runs it on the original
    note and reports its PHI spans; the clinical spans of the same pass are kept in
    :attr:`predictions` so the ``ner`` stage can reuse them instead of running the model
    again (see :class:`ehrnlp.deid.engine.DeidStage`).

    ``prime(texts)`` predicts a batch at once (``DeidStage.pipe``); ``analyze`` then reads
    the primed result. Any model error propagates (the stage fails the note closed).
    """

    name: str  # set by EntityRecognizer.__init__; declared here because mypy cannot infer it from presidio

    def __init__(self, model, allow: frozenset[str], *, lexicon: frozenset[str] = frozenset(),
                 clinical: frozenset[str] = frozenset(), min_confidence: float = 0.5):
        self.model = model
        self.allow = allow
        self.lexicon = lexicon
        self.clinical = clinical
        self.min_confidence = min_confidence
        #: lower-cased words that are also names (surnames, WordNet's person and place names): in
        #: a note written in lower case such a word tagged alone is kept (set by the stage)
        self.names: frozenset[str] = frozenset()
        #: text -> (spans of all types, clinical-view spans) of one forward pass
        self.predictions: dict[str, tuple[list, list]] = {}
        super().__init__(supported_entities=list(MODEL_TYPES.values()), name=ids.TRANSFORMER_PHI,
                         supported_language="en")

    def load(self) -> None:
        pass

    def prime(self, texts: list[str]) -> None:
        """Predict ``texts`` at once; keeps ``(all spans, clinical-view spans)`` per text."""
        todo = [t for t in dict.fromkeys(texts) if t not in self.predictions]
        if todo:
            views = getattr(self.model, "predict_views", None)
            pairs = views(todo) if views is not None else [(p, p) for p in self.model.predict(todo)]
            for t, pair in zip(todo, pairs):
                self.predictions[t] = pair

    def forget(self, text: str) -> tuple[list, list] | None:
        return self.predictions.pop(text, None)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        from .postprocess import _is_word, lower_case_note

        if text not in self.predictions:
            self.prime([text])
        out = []
        single_case = bool(self.names) and lower_case_note(text)
        for sp in _gap_split(text, self.predictions[text][0]):
            if sp.label not in ("NAME", "LOCATION") or sp.confidence < self.min_confidence:
                continue
            if entities and sp.label not in entities and MODEL_TYPES[sp.label] not in entities:
                continue
            s, e = _strip_span(text, sp.start, sp.end)
            m = _LEADING_FUNCTION_WORDS.match(text, s, e)
            if m:
                s = m.end()  # "in Acquapendente", "of temple": the preposition is not the place
            span = text[s:e]
            if e - s < 2 or "*" in span or "[" in span:
                continue  # masks and placeholders left by an earlier de-identifier
            words = _WORD.findall(span)
            if not words or all(_clinical_word(w, self.allow, self.clinical) for w in words):
                continue  # allow-listed words, or "NKDA. Lisinopril": a drug, disorder or finding of the vocabulary
            if len(words) == 1 and span.islower() and _is_word(words[0], self.lexicon) and not (
                    single_case and words[0].lower() in self.names):
                # "caregiver", "bifocal", "feels": a lower-case English word is not a name or place;
                # in a note written all in lower case the case says nothing, and a word that is also
                # a listed name ("clark", "poland", "logan") is the model's to judge
                continue
            score = round(float(sp.confidence), 4)
            for a, b in _span_items(text, s, e, sp.label):
                out.append(RecognizerResult(
                    entity_type=MODEL_TYPES[sp.label], start=a, end=b, score=score,
                    analysis_explanation=_explanation(self.name, sp.label, score),
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: f"{self.name}:{sp.label}",
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                ))
        return out


#: a column gap inside a line: two blanks or more, or a tab
_COLUMN_GAP = re.compile(r"[ ]{2,}|\t")


def _gap_split(text: str, spans: list[Any]) -> list[Any]:
    """The model's spans, each NAME span across a column gap in a note of ordinary spacing as its
    pieces (:func:`_gap_pieces`), each then judged as a span of its own."""
    if not any(sp.label == "NAME" and _COLUMN_GAP.search(text, sp.start, sp.end) for sp in spans):
        return spans
    from .neutral import inflated_spacing

    if inflated_spacing(text):
        return spans
    import dataclasses

    out = []
    for sp in spans:
        if sp.label != "NAME" or not _COLUMN_GAP.search(text, *_strip_span(text, sp.start, sp.end)):
            out.append(sp)
            continue
        out.extend(dataclasses.replace(sp, start=a, end=b) for a, b in _gap_pieces(text, *_strip_span(text, sp.start, sp.end)))
    return out


def _gap_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(ps17) A NAME span the model read across a column gap, in a note of ordinary spacing, as the
    pieces between its gaps, each judged as the model's span of its own ("Yes, day and night  Flomax
    use?": the drug trimmed off had left the lower-case "night"; "Raynauds   Steroid use?"): a name
    holds no column gap. In a note of inflated spacing (a run for every blank) a run is the word gap
    and the span stays whole."""
    out, pos = [], start
    for m in _COLUMN_GAP.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return [(a, b) for a, b in out if b > a]


def _clinical_word(word: str, allow: frozenset[str], clinical: frozenset[str]) -> bool:
    """An allow-listed or vocabulary word, or a compound of them ("Piperacillin-tazobactam",
    "timolol/dorzolamide": every part a clinical word)."""
    w = word.lower().strip(".'’")
    if w in allow or w in clinical:
        return True
    parts = [p for p in _compound_parts(w) if p]
    return len(parts) > 1 and all(p in allow or p in clinical for p in parts)


def _compound_parts(word: str) -> list[str]:
    """The parts of a hyphenated or slashed word ("Piperacillin-tazobactam", "timolol/dorzolamide")."""
    return re.split(r"[-/‐–]", word)


_ANY_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*")
_TITLE_PREFIX = re.compile(r"(?i)(?:dr|mr|mrs|ms|miss|prof|doctor)\.?\s+")
# (a tab right after a comma keeps "Last,<tab>First" one field: a tab-separated export wrote the comma's blank as a tab)
_FIELD_SPLIT = re.compile(r"[ \t]*(?:\||(?<!,)\t)[ \t]*|[ ]{2,}")
_NAME_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "ten"})
_LAST_FIRST_FIELD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*,[ \t]+[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*(?:[ ][^\W\d_]\.?)?")


def _prose_pair(text: str, start: int, end: int, inflated: bool | None = None) -> bool:
    """(psharn) In a note of inflated spacing (every word gap a run of blanks or a tab:
    ``neutral.inflated_spacing``) a field ``word,<gap>word`` whose closing run is no wider than
    ``gap`` and after which running text goes on in lower case is no "Last, First" field: "its
    songwriters,   composers   and   publishers", "growers,<tab>bakers<tab>and" (a padded row's field
    ends at a wider run, a line end, a bar or a cell that is no lower-case word: "LUMARTH,   Vrinarth
    DOB", "LUMARTH,   Vrinarth   01/02/1950"). ``inflated``: ``neutral.inflated_spacing(text)``, read here when not given."""
    comma = text.find(",", start, end)
    if comma < 0:
        return False
    after = text[comma + 1:end]
    gap = len(after) - len(after.lstrip(" \t"))
    rest = text[end:end + 200]
    run = len(rest) - len(rest.lstrip(" \t"))
    nxt = rest[run:run + 1]
    if not (run and run <= gap and nxt.islower()):
        return False
    if inflated is None:
        from .neutral import inflated_spacing

        inflated = inflated_spacing(text)
    return inflated


_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*•·]|\d{1,2}[.)])[ \t]+(?P<c>[^\n\r]+?)[ \t]*\r?$")


class LayoutPhiRecognizer(EntityRecognizer):
    """PHI that the layout gives away (see :mod:`ehrnlp.deid.layout`).

    * cells under PHI column headers of a table ("Name | DOB | MRN" and the rows below);
    * the members of a care-team / cc list ("Care team: Dr. Okafor (PT), Nguyen RN");
    * a list item, table cell or line that is nothing but two or three name words (any case
      or script) that are not English, clinical, drug or brand words.

    A name needs evidence: a PHI column, a care-team label, or words that are no known word
    standing alone in a field. Words of the English lexicon, the allow-list and the bundled
    vocabulary (brand names included) are never names here.
    """

    name: str  # set by EntityRecognizer.__init__; declared here because mypy cannot infer it from presidio

    def __init__(self, allow: frozenset[str], lexicon: frozenset[str], vocab_words: frozenset[str] = frozenset(),
                 score: float = 0.55, *, common: frozenset[str] = frozenset()):
        self.allow = allow
        self.lexicon = lexicon
        self.common = common
        self.vocab_words = vocab_words
        self.score = score
        #: listed name words (surnames, given names, WordNet's name-only nouns), set by the stage
        self.names: frozenset[str] = frozenset()
        super().__init__(supported_entities=list(LAYOUT_TYPES.values()), name=ids.LAYOUT,
                         supported_language="en")

    def load(self) -> None:
        pass

    def _known_word(self, w: str, *, evidence: bool = False, lower_note: bool = False, shape: bool = True,
                    listed: bool = False) -> bool:
        """Whether ``w`` is an ordinary word. With ``evidence`` (a PHI column, a care-team
        list) a capitalised noun of the lexicon may be a surname ("Sorensen", "Berg"); without
        ``shape`` (a record's own name field) a word of a disease's shape that no vocabulary
        holds is no clinical word ("Chioma" under ``first_name``); with ``listed`` (a label's
        value or a column's name, see :func:`~ehrnlp.deid.layout.table_cells`) a listed name word
        that is no English adjective, adverb or verb is no ordinary word ("ignatius"; "specialty",
        "role" are)."""
        from .postprocess import _is_word

        low = w.lower().strip("'’-")
        if low in CREDENTIALS:
            return True
        if listed and low in self.names and not _is_word(low, self.common):
            return False
        if "-" in low and all(self._known_word(part, evidence=evidence, lower_note=lower_note, shape=shape, listed=listed)
                              for part in w.split("-") if part):
            return True  # "Follow-up", "Well-being": every part a word
        if len(low) < 2 or low in self.allow or low in self.vocab_words or (shape and _MEDICAL_WORD.search(low)):
            return True
        if w.isupper() and len(w) <= 3 and w.isascii() and shape:
            return True  # RN, PT, MD: credentials and abbreviations (a record's name field in capitals: "CHIOMA EFE")
        if evidence and (not w.islower() or lower_note):
            return _is_word(low, self.common)
        return _is_word(low, self.lexicon)

    def _leading_name(self, text: str, s: int, e: int, lower_note: bool = False, shape: bool = True,
                      pair: bool = False) -> tuple[int, int] | None:
        """The name at the start of ``text[s:e]`` (after a title): up to three unknown words
        (``shape``: see :meth:`_known_word`). A column's cell is evidence that a noun of the lexicon
        may be a surname; a ``pair``'s cell (a header row's cell after a column's name: that
        name's value or another column's name) is not, and only a listed name word may be one."""
        m = _TITLE_PREFIX.match(text, s, e)
        pos = m.end() if m else s
        words: list[re.Match[str]] = []
        for w in _ANY_WORD.finditer(text, pos, e):
            gap = text[pos:w.start()]
            if words and gap != "-" and not (gap and len(gap) <= 5 and not gap.strip(" ")) and not (gap.strip(" \t\r") == "\n" and "\n" in text[s:e]):
                break  # (blank runs are a scattered layout's word gaps: "Van   Houten"; a hard wrap inside a quoted value is one too)
            if w.group(0).lower() in _NAME_PARTICLES and len(words) < 2:
                words.append(w)  # "Van Houten", "de la Cruz": a particle opening a surname
                pos = w.end()
                continue
            if self._known_word(w.group(0), evidence=not pair, lower_note=lower_note, shape=shape, listed=pair):
                break
            if not lower_note and w.group(0)[:1].islower():
                break  # outside a lower-case note a name is capitalised (or in its own script)
            words.append(w)
            pos = w.end()
            if len(words) == 3:
                break
        while words and words[-1].group(0).lower() in _NAME_PARTICLES:
            words.pop()  # a particle that no surname followed ("van" alone is a word)
        if not words or text[s:words[0].start()].strip(" \t(") not in ("",) and m is None:
            return None  # the field does not start with the name
        return words[0].start(), words[-1].end()

    def _digit_core(self, text: str, s: int, e: int) -> list[tuple[int, int]]:
        """The part of a date, phone or ID column's cell to mask: the whole cell, or, when every
        word it holds is an ordinary word (no word that may be a name), only its runs of tokens with
        a digit and the month names beside them ("(Assessment & Plan note Last Updated [12/22/2009])", "Tonometry (Applanation, [4:05
        PM])": a cell that lines re-wrapped, or a column of free text, is not one value)."""
        words = [w for w in _ANY_WORD.findall(text, s, e) if month_number(w.lower()) is None
                 and w.lower() not in ("am", "pm", "a", "p", "m", "st", "nd", "rd", "th")]
        if not words or not all(self._known_word(w, evidence=True) or w.lower() in STOP_WORDS for w in words):
            return [(s, e)]  # a word that may be a name keeps the whole cell masked (fail safe)
        out: list[tuple[int, int]] = []
        for m in re.finditer(r"\S+", text[s:e]):
            tok = m.group(0).strip("()[],;.:")
            a = s + m.start() + m.group(0).find(tok) if tok else s + m.start()
            b = a + len(tok)
            if not tok or not (any(c.isdigit() for c in tok) or month_number(tok.lower()) is not None
                               or (out and tok.lower() in ("am", "pm", "a.m", "p.m") and out[-1][1] >= a - 2)):
                continue
            if out and not text[out[-1][1]:a].strip(" \t,"):
                out[-1] = (out[-1][0], b)  # "Jan 5, 2019", "4:05 PM": one value
            else:
                out.append((a, b))
        return out or [(s, e)]

    def _only_name(self, text: str, s: int, e: int, *, min_words: int = 2, lower_row: bool = False) -> bool:
        """``text[s:e]`` is two or three unknown name words, capitalised alike, and nothing else;
        or a name in "Last, First" form ("THORVALDSEN, Wilhelmina"), whose shape is evidence
        enough for a noun of the lexicon to be a name."""
        words = _ANY_WORD.findall(text, s, e)
        rest = _ANY_WORD.sub("", text[s:e]).strip(" \t")
        last_first = rest == "," and _LAST_FIRST_FIELD.fullmatch(text, s, e) is not None
        if not (min_words <= len(words) <= 3) or (rest and not last_first):
            return False
        if any(self._known_word(w, evidence=last_first, lower_note=lower_row and last_first) or w.lower() in PERSON_NOUNS for w in words):
            return False
        shapes = {("upper" if w.isupper() else "title" if w[:1].isupper() else "lower" if w[:1].islower() else "other")
                  for w in words}
        return len(shapes) == 1 or shapes <= {"title", "upper"}

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        from .layout import delimited_cells, hl7_fields, keyed_values, table_cells, team_items
        from .neutral import inflated_spacing
        from .postprocess import lower_case_note

        # a note written all in lower case: a lower-case word in a PHI field may be a name
        lower_note = lower_case_note(text)
        inflated = inflated_spacing(text)  # words parted by runs of blanks or tabs (read once per note)
        hits: list[tuple[str, int, int, str]] = []
        for label, s, e in hl7_fields(text):
            # an HL7 segment's structure says what each component is: a name component is a name
            # unless it is a clinical word ("CONSULT"), a credential or a title
            if label != "NAME" or not (text[s:e].lower() in self.vocab_words or text[s:e].lower() in CREDENTIALS
                                       or text[s:e].lower().rstrip(".") in _HL7_NOT_NAMES):
                hits.append((label, s, e, "hl7"))
        pairs: list[tuple[str, int, int]] = []
        tables = table_cells(text, pairs)
        cells = [(*c, "table") for c in tables] + [(*c, "pair") for c in pairs]
        cells += [(*c, "record") for c in delimited_cells(text) + keyed_values(text)]
        for label, s, e, kind in cells:
            cell = text[s:e]
            if label == "NAME":
                # a table written in lower case inside a mixed-case note is judged like a lower-case note
                row = text[text.rfind("\n", 0, s) + 1:(text.find("\n", e) + 1 or len(text) + 1) - 1]
                low = lower_note or lower_case_note(row)
                if kind != "record":  # (a header row's cell after a column's name may be a column's name: no evidence)
                    span = self._leading_name(text, s, e, low, pair=kind == "pair")
                    if span is not None:
                        hits.append(("NAME", *span, "table_column"))
                    continue
                # a record's name field (CSV, JSON): "Last, First" is two names; the field's key is
                # evidence enough for a word of a disease's shape that no vocabulary holds ("Chioma")
                parts = [(s, e)]
                if _LAST_FIRST_FIELD.fullmatch(text, s, e):
                    c = text.index(",", s, e)
                    parts = [(s, c), (c + 1, e)]
                for a, b in parts:
                    while a < b and text[a] in " \t":
                        a += 1
                    span = self._leading_name(text, a, b, low, shape=False)
                    if span is not None:
                        hits.append(("NAME", *span, "record"))
            elif label == "EMAIL":
                if "@" in cell:
                    hits.append((label, s, e, "table_column"))
            elif label == "LOCATION":
                if any(not self._known_word(w) for w in _ANY_WORD.findall(cell)) or any(c.isdigit() for c in cell):
                    hits.append((label, s, e, "table_column"))
            elif label == "AGE":  # only an age over 89 is PHI (Safe Harbor)
                hits.extend((label, s + m.start("age"), s + m.end("age"), "table_column") for m in _AGE_CELL.finditer(cell))
            elif any(c.isdigit() for c in cell):
                hits.extend((label, a, b, "table_column") for a, b in self._digit_core(text, s, e))
        for s, e in team_items(text, inflated=inflated):
            span = self._leading_name(text, s, e, lower_note)
            if span is not None:
                hits.append(("NAME", *span, "care_team"))
        fields: list[tuple[int, int]] = [m.span("c") for m in _ITEM.finditer(text)]
        pos = 0
        for line in text.split("\n"):
            base, pos = pos, pos + len(line) + 1
            stripped = line.rstrip("\r")
            parts = [(m.start(), m.end()) for m in _FIELD_SPLIT.finditer(stripped)]
            if not parts:
                fields.append((base, base + len(stripped)))
                continue
            a = 0
            for ps, pe in parts:
                fields.append((base + a, base + ps))
                a = pe
            fields.append((base + a, base + len(stripped)))
        from .layout import canonical_view, map_span

        view, offsets = canonical_view(text)
        if view != text:  # fields of the view too: "Cosima   Achterberg  |" with its blanks collapsed
            pos = 0
            for line in view.split("\n"):
                base, pos = pos, pos + len(line) + 1
                a = 0
                for m in re.finditer(r"[ ]*\|[ ]*", line):
                    fields.append(map_span(offsets, base + a, base + m.start()))
                    a = m.end()
                fields.append(map_span(offsets, base + a, base + len(line)))
        # a "Last,  First" field that a blank run split in two ("LUMARTH,  Vrinarth   DOB ...")
        ends_at: dict[int, list[int]] = {}
        for a, b in fields:
            ends_at.setdefault(a, []).append(b)
        joined: list[tuple[int, int]] = []
        for a, b in fields:
            if text[a:b].rstrip(" \t").endswith(","):
                c = b
                while c < len(text) and text[c] in " \t":
                    c += 1
                joined.extend((a, d) for d in ends_at.get(c, ()) if c > b)
        fields.extend(joined)
        for s, e in fields:
            while s < e and text[s] in " \t":
                s += 1
            while e > s and text[e - 1] in " \t\r":
                e -= 1
            if e > s:
                # a "Last, First" field on a line written in lower case is judged as a lower-case note's ("patient |<tab>sorensen,<tab>kwame")
                row = text[text.rfind("\n", 0, s) + 1:(text.find("\n", e) + 1 or len(text) + 1) - 1]
                if self._only_name(text, s, e, lower_row=lower_note or lower_case_note(row)) and not _prose_pair(text, s, e, inflated):
                    hits.append(("NAME", s, e, "name_field"))
        out = []
        for label, s, e, how in hits:
            if entities and LAYOUT_TYPES[label] not in entities:
                continue
            out.append(RecognizerResult(
                entity_type=LAYOUT_TYPES[label], start=s, end=e, score=self.score,
                analysis_explanation=_explanation(self.name, how, self.score),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: f"{self.name}:{how}",
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            ))
        return out
