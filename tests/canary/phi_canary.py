"""PHI canary notes: synthetic people x identifier kinds x layouts x clinical text.

Every person, number and place here is generated (invented syllable names next to common
given/family names, non-Latin scripts, hyphens, apostrophes); nothing is real. Note ``i`` of
seed ``s`` is the same on every machine (its own ``random.Random``), so a test can draw a
fixed sample and the benchmark (``scripts/bench_canary.py``) the whole set.

A note carries every identifier kind of :data:`KINDS`, written in one base layout of
:data:`LAYOUTS`, one surface transform of :data:`TRANSFORMS` and one label style of
:data:`LABEL_STYLES`, between sentences of ordinary clinical text. :func:`leaks` says which
recorded PHI values survive de-identification: the value itself, its NFKC form, and for
identifiers its digits-only form and any of its digit groups of four or more digits as a
standalone number (whitespace-insensitive: a date spread over blank runs or a line break
counts); names and places as whole words, any case (a house number alone is no leak).

Used by ``tests/unit/test_deid_canary.py`` (a fixed sample) and ``scripts/bench_canary.py``.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["KINDS", "LAYOUTS", "TRANSFORMS", "LABEL_STYLES", "CanaryNote", "Phi", "generate", "note", "leaks", "DEFAULT_SEED", "DEFAULT_COUNT"]

DEFAULT_SEED = 16
DEFAULT_COUNT = 2400

KINDS = ("name", "mrn", "ssn", "phone", "email", "address", "dob", "date", "id_letters", "facility", "care_team",
         "name_initial", "mention", "roster", "town", "initial_wrap", "structure", "initials", "email_name", "address_line",
         "sep_field", "particle", "double_barrel", "diacritic", "relative", "sig_wrap", "ascii_name", "cue_name",
         "context_name", "lone_cue_name", "tab_table", "role_paren", "dr_signoff", "quoted", "hl7", "csv_row", "json_kv",
         "mail_header", "struct_id", "cut_title", "visit_with", "name_field", "doc_meta", "safe_harbor", "extracted", "intl",
         "spoken", "workplace")
LAYOUTS = ("header", "signature", "table", "list", "med_line", "question", "narrative", "letter", "form")
TRANSFORMS = ("plain", "all_caps", "lower", "crlf", "spaces", "tabs", "wrapped")
LABEL_STYLES = ("normal", "lower", "caps")
#: kinds added on 2026-12-05 (branch deid3), written by :func:`_extra` with a random stream of
#: their own, so the text of the kinds before is unchanged: a surname in prose with no label
#: or title (subject or object of a verb, "per"/"@" mentions, "given surname" and "surname,
#: given" in lower case inside a mixed-case note), a `Name - role` / `Name: shift` roster, a
#: town of 2-3 words (sometimes cut by a line break at any word), `F. Last` / `First L.` cut
#: by a line break
EXTRA_KINDS = ("mention", "roster", "town", "initial_wrap")
#: kinds added on 2026-12-05 (branch deid4), written by :func:`_extra4` after those of
#: :func:`_extra` with a random stream of their own (the text before is unchanged): a name
#: whose only evidence is structure (a ``pt:`` / ``name:`` / ``seen by`` field, a ``-- given
#: surname, rn`` signature) and a part of it repeated in a later line; initials-only
#: signatures (``-- jd, rn``, a dictation reference ``JD/kl``); a surname known only from an
#: e-mail address's local part (``maren.haverbrook@...``) and repeated in prose; a postal
#: line ``street, town, st 12345`` with a town of the kind ``kestrel harbor``. 40% of the time
#: the block is written in lower case inside a note of any case (a lower-case name in a
#: mixed-case note)
EXTRA4_KINDS = ("structure", "initials", "email_name", "address_line")
#: kinds added on 2026-12-05 (branch deid5), written by :func:`_extra5` after those of
#: :func:`_extra4` with a random stream of their own (the text before is unchanged): the
#: neighbours of the names deid4 left leaking. A ``LAST<sep>First`` field or table row with a
#: tab, a pipe or a blank run for the separator; surnames with particles or apostrophes
#: (``van der Berg``, ``de la Cruz``, ``O'Connor``, ``D'Souza``) in prose; hyphenated double
#: surnames with an English word in them (``Oyelowo-Grant``, ``Marsh-Holloway``); names with
#: diacritics written with or without them (``José Peña`` / ``Jose Pena``); a relative named in
#: parentheses or apposition (``wife (Maren) at bedside``); a signature whose name runs onto a
#: wrapped continuation line. 30% of the time the block is written in lower case
EXTRA5_KINDS = ("sep_field", "particle", "double_barrel", "diacritic", "relative", "sig_wrap")
#: kinds added on 2026-12-05 (branch deid6), written by :func:`_extra6` after those of
#: :func:`_extra5` with a random stream of their own (the text before is unchanged): the
#: neighbours of the names deid5 left leaking, with people none of the kinds before use.
#: ``ascii_name`` - Nordic, Slavic, Turkish, Vietnamese, Portuguese, Hungarian, Romanian,
#: Spanish, French, German and Icelandic names written in ASCII (70%; ``Lindstrom``,
#: ``Yildirim``, ``Goncalves``) or with their marks, in prose with no cue at all;
#: ``cue_name`` - the same people and English-looking surnames after a free-text cue (``per``,
#: ``cc:``, ``d/w``, ``spoke with``, ``called``, ``by``). 30% of the time in lower case
EXTRA6_KINDS = ("ascii_name", "cue_name")
#: kinds added on 2026-12-05 (branch deid7), written by :func:`_extra7` after those of
#: :func:`_extra6` with a random stream of their own (the text before is unchanged): the
#: neighbours of what deid6 left leaking, with people no kind before uses (short Vietnamese,
#: Turkish, East African and Arabic names, names that are also an abbreviation, English-looking
#: surnames on no list). ``context_name`` - a name whose only evidence is what the sentence
#: says of it: a patient's verb after it (``X denies``, ``X consented``, ``X was admitted``),
#: an age in apposition (``X, 47 y/o,``, ``X (age 52)``, ``X is a 70-year-old``), a relation
#: (``wife of X``, ``X's daughter``), ``first name X``, or a given name before a surname that
#: a rule finds (``Asa Lindqvist``); ``lone_cue_name`` - one word after a person's cue in
#: lower case inside a note of mixed case (``per tregarthen,``, ``d/w vo``). 30% of the time the
#: whole block is in lower case
EXTRA7_KINDS = ("context_name", "lone_cue_name")
#: kinds added on 2026-12-06 (branch deid9), written by :func:`_extra8` after those of
#: :func:`_extra7` with a random stream of their own (the text before is unchanged): layouts
#: no kind before used, with people no kind before uses. ``tab_table`` - a tab-separated table
#: of several columns whose name cell sits between other cells (``12/01<tab>Last, First<tab>RN``,
#: ``Attending<tab>First Last<tab>pager 4521``); ``role_paren`` - a name in parentheses after a
#: role (``Attending (Last)``, ``PCP (Dr. Last)``, ``nurse (First Last) notified``);
#: ``dr_signoff`` - a sign-off with ``Dr.`` + surname or a given name alone (``Thanks,\nDr.
#: Last``, ``Regards, First``); ``quoted`` - a name inside a quoted message (``Text from
#: daughter: "Hi, it's First, ..."``, ``"Tell Dr. Last I'm fine," per patient``). 30% of the
#: time the block is written in lower case
EXTRA8_KINDS = ("tab_table", "role_paren", "dr_signoff", "quoted")
#: kinds added on 2026-12-06 (branch deid11), written by :func:`_extra9` after those of
#: :func:`_extra8` with a random stream of their own (the text before is unchanged): machine
#: layouts that exports paste into notes, with people no kind before uses. ``hl7`` - HL7 v2
#: segments (``PID|1||MRN^^^MRN||LAST^FIRST^M||19610204|F``, a ``PV1`` attending, an ``NK1`` next of
#: kin); ``csv_row`` - comma / semicolon / quoted CSV rows under a header line (``mrn,last,first,dob``);
#: ``json_kv`` - JSON-ish key/values (``"patient_name": "first last"``, ``"family": "last"``);
#: ``mail_header`` - e-mail headers (``From: First Last <first.last@...>``, ``To:`` / ``Cc:`` lists,
#: ``From: Last, First``); ``struct_id`` - the record numbers and compact birth dates those layouts
#: carry (an identifier: its digits count). 30% of the time the block is written in lower case
EXTRA9_KINDS = ("hl7", "csv_row", "json_kv", "mail_header", "struct_id")
#: kinds added on 2026-12-06 (branch deid12), written by :func:`_extra10` with a random stream of
#: its own and put before the note (the note after it is unchanged, byte for byte): ``cut_title``
#: - a text cut after a title, as an application that splits a note on periods hands over the piece
#: after "... send a copy to Dr.": the text opens with the surname and no cue is left in it
#: (``Ravenscroft monitoring overnight, no events.``, ``Fairbairn, who saw her last week, agrees``);
#: people no kind before uses, 30% of them invented; the piece takes the note's transform
EXTRA10_KINDS = ("cut_title",)
#: kinds added on 2026-12-06 (branch deid14), written by :func:`_extra11` with a random stream of
#: its own and put after the note (the note before it is unchanged, byte for byte): ``visit_with``
#: - a person a visit, an appointment, a meeting or a call is *with*, the neighbours of what seeds
#: 811 and 857 left: given and family names no kind before uses, a two-letter family name before a
#: given name (``vu khanh``), a surname with an inner capital (``DeVries``), an invented surname;
#: 30% of the time written in lower case; the piece takes the note's transform
EXTRA11_KINDS = ("visit_with",)
#: kinds added on 2026-12-06 (sixteenth session), written by :func:`_extra16` with a random stream of
#: its own and put after the visit (the note before it is unchanged, byte for byte): ``name_field`` -
#: a form's fields whose label names a part of a person's name (``Last name:<tab>stone``, ``FIRST
#: NAME | HOPE``, ``first name grace``, ``Name (last, first): ...``, dot leaders, ``Last/First:``, a
#: label-value row over a row it does not head), half of the names English words (``Grace``, ``Stone``:
#: only the label tells them), in the label's case or lower case or capitals; a word of the note is
#: never drawn (the leak check reads whole words); the piece takes the note's transform
EXTRA16_KINDS = ("name_field",)
#: kinds added on 2026-12-07 (seventeenth session, branch canx17), written by :func:`_extra17` with a
#: random stream of its own and put after the form (the note before it is unchanged, byte for byte):
#: ``doc_meta`` - the document metadata an EHR export or a printout carries: page headers and footers
#: (``Page 2 of 3<blanks>LAST, FIRST<blanks>MRN: ...<blanks>DOB ...``, ``LAST,FIRST A`` with no blank
#: after the comma), print stamps and signature stamps with a login made from the name (``Printed ...
#: by tfarrow``, ``Electronically signed by: farrowt on ...``), fax cover fields, dictation metadata
#: (``D: ... T: ... JOB #: ... DICTATED BY: ... TRANSCRIBED BY: ab``), ``cc:`` lines with several people
#: and a practice named after a person, names with suffixes and nicknames (``First Q. Last Jr.``,
#: ``First "Bunny" Last``, ``Last, First A., III``), an addendum's author, a pager after a name, a
#: portal message's sender. People no kind before uses (a quarter of them invented); the numbers and
#: dates of those lines count as this kind too (a value with no letter is read as an identifier, its
#: digits and digit groups, a date as a date: see :func:`leaks`). 30% of the time the block is in
#: lower case; the piece takes the note's transform
EXTRA17_KINDS = ("doc_meta",)
#: kinds added on 2026-12-07 (eighteenth session, branch canx18), written by :func:`_extra18` with a
#: random stream of its own and put after the metadata (the note before it is unchanged, byte for byte):
#: ``safe_harbor`` - the HIPAA Safe Harbor identifiers no kind before carries: device identifiers and
#: serial numbers (``pacemaker S/N``, a GS1 ``UDI (01)...(17)...(10)...``, an implant's lot), vehicle
#: identifiers (``license plate``, ``VIN``), health plan beneficiary numbers (``Medicaid #``, ``member
#: ID``, a Medicare ``MBI``), account numbers (``acct#``, ``billing account``), certificate and licence
#: numbers (``driver's license``, ``CDL``, a prescriber's ``DEA`` and ``NPI``, a state licence), URLs and
#: IP addresses (v4 and v6) that point at the patient, fax numbers after ``f:`` / ``fax``, and ages over 89
#: (an exact age over 89 is PHI, as the stage's ``AGE`` label says). Each is written in several layouts: a
#: labelled field, a table cell (pipes or tabs), prose with no label, a label wrapped before its value.
#: Values are invented and never share a digit group of four or more with the note. An identifier leaks by
#: its value, digits and digit groups; an age by its phrase (``92 yo``, ``age 94``: the number next to
#: what makes it an age). 30% of the time the block is in lower case; the piece takes the note's transform
EXTRA18_KINDS = ("safe_harbor",)
#: kinds added on 2026-12-07 (nineteenth session, branch canx19), written by :func:`_extra19` with a random stream
#: of its own and put after the Safe Harbor lines (the note before it is unchanged, byte for byte): ``extracted`` -
#: the patient's identity as document conversion (a PDF's text layer, OCR, a fax, a file export) hands it over, in
#: shapes no kind before carries: a page header or fax banner dropped between the two halves of a clinical sentence
#: (sometimes after a form feed); a hyphen at a line's end inside a name or a record number (``Quen-`` / ``by``,
#: ``4081-`` / ``7733``); soft hyphens and zero-width characters inside a name or a number; ligatures (U+FB00-FB04)
#: inside a name; letter-spaced names (``Q U E N B Y``); OCR look-alikes in a number (``4O8l7733``, ``O3/l2/l96l``);
#: file names and paths that carry the patient (``scan_quenby_evadne_2024-03-04.pdf``, ``C:\Users\equenby\...``,
#: ``QUENBY_E_MRN40817733.tif``); two columns of a form read across, labels and values interleaved. One patient a
#: note (a quarter of the names invented), three forms of three families. A value leaks as it reads to a person:
#: in the output with invisible characters dropped, NFKC, line-end hyphens joined; a name as a whole word whose
#: letters may be spaced; a number (no letter) as an identifier, a date as a date, both with OCR look-alikes
#: undone (see :func:`extracted_reading`, :func:`ocr_undone`). 30% of the time the block is in lower case; the
#: piece takes the note's transform
EXTRA19_KINDS = ("extracted",)
#: kinds added on 2026-12-07 (nineteenth session, branch intl20), written by :func:`_extra20` with a random
#: stream of its own and put last, after the extracted piece (the note before it is unchanged, byte for
#: byte): ``intl`` - the patient's identifiers as the rest of the world writes them: dates day first and year
#: first with ``/ . -`` or blanks, a Roman or a three-letter month, a month written out in French, German,
#: Spanish, Italian, Dutch or Portuguese; national health and person numbers after their labels (NHS, CHI,
#: NINO, a Canadian health card and SIN, Medicare, AHV, KVNR, NIR, DNI / NIE, CPR, personnummer, Aadhaar, BSN,
#: codice fiscale); UK, Canadian and continental postcodes with their towns and streets (a flat or a house
#: number after the street); phones with a country code, a trunk ``(0)``, a slash; names in other orders and
#: forms (``MÜLLER, Hans``, ``van den Brink, J.``, ``García López, María``, patronymics, ``Herr`` / ``Mme``).
#: One of four layouts: labelled fields (a label alone on its line included), a table, prose, a letter's
#: header. A date leaks as a date (its value), a value with a digit as an identifier (its value, digits and
#: digit groups), a name, street or town as a whole word. 30% of the time the block is in lower case
EXTRA20_KINDS = ("intl",)
#: kinds added on 2026-12-07 (twentieth session, branch canx21), written by :func:`_extra21` with a random stream of
#: its own and put last, after the intl piece (the note before it is unchanged, byte for byte): ``spoken`` - the
#: patient's identity as dictation and speech recognition hand it over, in shapes no kind before carries: numbers
#: read out in words, one digit at a time (``oh`` or ``zero`` for 0, ``double seven``, ``triple oh``) or in pairs
#: (``forty eight seventeen``), groups parted by a pause, a spoken ``comma`` or ``dash``; dates said (``march fourth
#: nineteen sixty one``, ``the fourth of march two thousand and four``, ``three slash fourteen slash ...``); an age over
#: 89 (``ninety two year old``, ``age one hundred and one``); names spelled out (``q u e n b y``, ``Q-U-E-N-B-Y``,
#: ``q as in queen``, NATO words); a dictator's preamble and close (``this is doctor ... dictating on ... for patient
#: ...``, ``cc doctor ...``, ``end of dictation``); relatives and call-back numbers in the same style. Three styles:
#: punctuation said (``comma``, ``period``, ``colon``, ``new paragraph``), a recogniser's run-on text with no
#: punctuation and no capitals, a transcription with punctuation and capitals but the numbers and spellings left as
#: said. Clinical dictation with numbers in words sits between them (``blood pressure one forty over ninety``,
#: ``two puffs twice a day``): the bench counts those lines as clinical sentences. A name that a recogniser heard as
#: ordinary words (``quarmby`` as ``come bee``) is left out: no reader can tell it, so no leak test of words can be
#: fair. New people (a quarter invented), new numbers. A value leaks as a reader reads the dictation (see
#: :func:`spoken_reading`): a number by its digits (six or more) or a digit group of four or more, a date or an age by
#: its phrase, a name as a whole word or spelled out. The piece takes the note's transform
EXTRA21_KINDS = ("spoken",)
#: kinds added on 2026-12-07 (twentieth session, the lead; the 48th), written by :func:`_extra22` with a random stream of its
#: own and put last, after the spoken piece (the note before it is unchanged, byte for byte): ``workplace`` - the organisations a note ties
#: to the patient or a relative, which Safe Harbor lists with the person ("identifiers of the individual or of
#: relatives, employers, or household members") and i2b2 annotates as ORGANIZATION: an employer (``Employer: Kessler
#: Tool & Die``, ``works nights at the Brackwater Logistics warehouse``, ``retired from Tollgate Hardware``, a
#: husband's employer), a school or a daycare (``attends Pinecrest Elementary``, ``sophomore at Marlow Ridge High
#: School``), in a social-history field, a table cell, prose or a question; the org's own words are an invented word,
#: a surname or English words (``Blue Heron Dental``), its tail a generic word (``Logistics``, ``Elementary``: no
#: leak by itself). A value leaks as a whole word, any case. 30% of the time the block is in lower case
EXTRA22_KINDS = ("workplace",)
#: kinds whose digits-only form and digit groups count as a leak too
_IDENTIFIERS = frozenset({"mrn", "ssn", "phone", "id_letters", "struct_id"})

# --------------------------------------------------------------------------- people
_GIVEN = ["Maren", "Tobias", "Ingrid", "Desmond", "Priya", "Kwame", "Soledad", "Anneliese", "Dmitri", "Yusuf",
          "Fiorella", "Ignatius", "Oluwaseun", "Henrike", "Cosima", "Thaddeus", "Marisol", "Lachlan", "Wilhelmina",
          "Eun-ji", "Jean-Luc", "Mary-Kate", "Zainab", "Bartholomew", "Ottilie", "Rafferty", "Leocadia", "Kazimierz"]
_FAMILY = ["Okonkwo", "Vasquez-Whitfield", "O'Halloran", "D'Amico", "Brzezinski", "Haverbrook", "Lindqvist",
           "McAllister", "Nakashima", "Abernathy", "Featherstonehaugh", "Quintero", "Oyelaran", "Szymanska",
           "Van der Berg", "Castellanos", "Ekwueme", "Thorvaldsen", "Pemberton-Ashe", "Grzelak", "Achterberg",
           "MacGillivray", "N'Diaye", "Halvorsen", "Zielinski", "Marchetti", "Oduya", "Winterbottom", "DeLaurentis",
           "LeBlanc-Moreau", "O'Neill-Huang", "McCorquodale", "Fitzwilliam-Osei", "DiStefano", "Saint-Aubin"]
_NON_LATIN = [("Иван", "Петров"), ("Светлана", "Кузнецова"), ("王", "晓明"), ("李", "秀英"), ("김", "민준"),
              ("Νίκος", "Παπαδάκης"), ("سارة", "الحسيني"), ("अनिल", "शर्मा"), ("דוד", "כהן"), ("田中", "花子"),
              ("Ολυμπία", "Καραγιάννη"), ("Ярослав", "Шевченко")]
_SYL_A = ["qu", "zel", "mor", "vrin", "tal", "bex", "sor", "dru", "fen", "kal", "ysh", "or", "pel", "gwyn", "thar", "lum"]
_SYL_B = ["avin", "orra", "ethe", "ilde", "amor", "ussa", "ivar", "ondel", "ewick", "arth", "ista", "oub", "enn", "ael"]
_STREETS = ["Larkspur", "Quillfeather", "Old Mill", "Harrowgate", "Juniper Hollow", "Calloway", "Birchwood", "Sandpiper"]
_SUFFIX = ["Street", "Lane", "Ave", "Road", "Drive", "Blvd", "Court", "Way"]
_CITIES = [("Dallas", "TX"), ("Detroit", "MI"), ("Fernhollow", "MA"), ("Bramblecote", "OR"), ("Tacoma", "WA"),
           ("Quarrytown", "PA"), ("Albuquerque", "NM"), ("Pinecrest Falls", "VT"), ("Savannah", "GA"), ("Eastwick", "NJ")]
_CLINICIANS = ["Okafor", "Nguyen", "Pemberton", "Abiodun", "Sorensen", "Castillo", "Whitlock", "Iwasaki", "Delacroix",
               "Brannigan", "Mwangi", "Ferreira", "Kowalczyk", "Haddad", "Lundgren", "Achebe", "McKeown", "Van Houten",
               "Oyelowo-Grant", "Szabo"]
_CREDENTIALS = ["MD", "DO", "RN, BSN", "NP-C", "PharmD", "MSW, LCSW", "PA-C", "MD, PhD"]
_ROLES = ["cardiology", "PCP", "RN", "PT", "nephrology", "social work", "pharmacy"]

# --------------------------------------------------------------------------- clinical text
CLINICAL = [
    "Presents with intermittent chest pain radiating to the left arm for two days.",
    "What is the recommended dose of lisinopril for this patient?",
    "Denies fever, chills, nausea or vomiting.",
    "Metformin 500 mg PO BID with meals.",
    "Blood pressure 148/92, heart rate 88, SpO2 97% on room air.",
    "Assessment: type 2 diabetes mellitus, poorly controlled.",
    "Plan: increase atorvastatin to 40 mg nightly and recheck lipids in 6 weeks.",
    "Should we continue warfarin before the colonoscopy?",
    "Lungs clear to auscultation bilaterally.",
    "History of hypertension and chronic kidney disease stage 3.",
    "Please schedule follow-up in the diabetes clinic.",
    "Allergies: penicillin (hives), sulfa drugs.",
    "Reports improved shortness of breath after starting albuterol.",
    "Hemoglobin A1c 8.9 percent, creatinine 1.6 mg/dL.",
    "Patient was counseled on smoking cessation.",
    "Can the patient take ibuprofen with the current regimen?",
    "No focal neurological deficits on exam.",
    "Continue aspirin 81 mg daily.",
    "Wound is healing well without erythema or drainage.",
    "Does the patient need a referral to physical therapy?",
]
_CLINICAL_WORDS = frozenset(w.lower() for s in CLINICAL for w in re.findall(r"[^\W\d_]+", s))

_MEDS = ["lisinopril 10 mg PO daily", "metoprolol 25 mg BID", "metformin 1000 mg BID", "apixaban 5 mg BID",
         "atorvastatin 40 mg nightly", "levothyroxine 75 mcg daily", "sertraline 50 mg daily"]

# labels per style: normal, lower, caps
_LABELS: dict[str, tuple[str, str, str]] = {
    "name": ("Patient Name:", "patient:", "PATIENT NAME:"),
    "mrn": ("MRN:", "mrn", "MEDICAL RECORD NUMBER:"),
    "ssn": ("SSN:", "ssn", "SOCIAL SECURITY NUMBER:"),
    "phone": ("Phone:", "phone", "TELEPHONE:"),
    "email": ("Email:", "email", "E-MAIL ADDRESS:"),
    "address": ("Address:", "address", "HOME ADDRESS:"),
    "dob": ("DOB:", "dob", "DATE OF BIRTH:"),
    "date": ("Visit date:", "visit date", "DATE OF SERVICE:"),
    "id_letters": ("Patient ID:", "patient id", "INSURANCE ID:"),
    "facility": ("Facility:", "facility", "FACILITY:"),
    "care_team": ("Care team:", "care team", "CARE TEAM:"),
    "name_initial": ("Contact:", "contact", "EMERGENCY CONTACT:"),
}


@dataclass(frozen=True)
class Phi:
    kind: str
    value: str


@dataclass
class CanaryNote:
    id: str
    text: str
    layout: str
    transform: str
    label_style: str
    phi: list[Phi] = field(default_factory=list)
    clinical: list[str] = field(default_factory=list)  # the PHI-free sentences it holds (after the transform)


_FW = str.maketrans("0123456789", "０１２３４５６７８９")


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _invented(rng: random.Random) -> str:
    return (rng.choice(_SYL_A) + rng.choice(_SYL_B)).capitalize()


def _person(rng: random.Random) -> tuple[str, str, str]:
    """(given, family, script): common, invented or non-Latin; hyphens and apostrophes included."""
    r = rng.random()
    if r < 0.18:
        g, f = rng.choice(_NON_LATIN)
        return g, f, "non_latin"
    for _ in range(20):
        g = _invented(rng) if r < 0.45 else rng.choice(_GIVEN)
        f = _invented(rng) + ("-" + _invented(rng) if rng.random() < 0.2 else "") if r < 0.6 else rng.choice(_FAMILY)
        if not ({p.lower() for p in re.findall(r"[^\W\d_]+", g + " " + f)} & _CLINICAL_WORDS):
            return g, f, "latin"
    return "Zelavin", "Quorrath", "latin"


class _Values:
    """One synthetic person's identifiers, rendered in per-note formats."""

    def __init__(self, rng: random.Random):
        self.given, self.family, self.script = _person(rng)
        self.middle = rng.choice("ABCDEFGHJKLMNPRSTW")
        self.full = f"{self.given} {self.family}" if self.script == "latin" or self.given[0] < "\u3000" else self.given + self.family
        self.full_width = rng.random() < 0.12
        mrn = _digits(rng, rng.choice([7, 8, 9, 10]))
        self.mrn = mrn.translate(_FW) if self.full_width else mrn
        area = rng.randint(1, 665)
        area = 667 if area == 666 else area
        a, b, c = f"{area:03d}", f"{rng.randint(1, 99):02d}", f"{rng.randint(1, 9999):04d}"
        self.ssn = rng.choice([f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b}{c}", f"{a}.{b}.{c}"])
        npa, nxx, line = str(rng.randint(201, 989)), str(rng.randint(201, 999)), f"{rng.randint(0, 9999):04d}"
        self.phone = rng.choice([f"({npa}) {nxx}-{line}", f"{npa}-{nxx}-{line}", f"{npa}{nxx}{line}", f"+1 {npa} {nxx} {line}",
                                 f"+1-{npa}-{nxx}-{line}", f"+1{npa}{nxx}{line}", f"{npa}.{nxx}.{line}", f"1-{npa}-{nxx}-{line}"])
        if self.full_width and rng.random() < 0.5:
            self.phone = self.phone.translate(_FW)
        local = (self.given if self.script == "latin" else _invented(rng)).lower().replace("'", "")
        self.email = f"{local}.{rng.randint(10, 99)}@{rng.choice(['example.org', 'mailbox.test', 'inbox.example'])}"
        city, st = rng.choice(_CITIES)
        self.city, self.state = city, st
        self.street = f"{rng.randint(12, 9899)} {rng.choice(_STREETS)} {rng.choice(_SUFFIX)}"
        self.zip = f"{rng.randint(1001, 99950):05d}"
        y, m, d = rng.randint(1930, 2005), rng.randint(1, 12), rng.randint(1, 28)
        mon = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"][m - 1]
        self.dob = rng.choice([f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{mon} {d}, {y}", f"{d} {mon[:3]} {y}", f"{m}/{d}/{y}"])
        vy, vm, vd = rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28)
        self.date = rng.choice([f"{vm:02d}/{vd:02d}/{vy}", f"{vy}-{vm:02d}-{vd:02d}", f"{vd}-{mon[:3].upper()}-{vy}"])
        L = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        self.id_letters = rng.choice([
            f"{rng.choice(L)}{rng.choice(L)}-{_digits(rng, 6)}", f"#{rng.choice(L)}{rng.choice(L)}-{_digits(rng, 6)}",
            "".join(rng.choice(L) for _ in range(4)) + _digits(rng, 4), f"{rng.choice(L)}{_digits(rng, 9)}",
            f"{rng.choice(L)}{rng.choice(L)}{rng.choice(L)}{_digits(rng, 8)}"])
        saint = rng.choice(_GIVEN[:10] + ["Mary", "Jude", "Vincent", "Agnes"])
        self.facility_kind = rng.randrange(3)
        self.facility = [f"our {city} clinic", f"St. {saint}'s Health in {city}, {st}", f"{saint} Memorial Hospital in {city}"][self.facility_kind]
        self.facility_words = [city] + ([] if self.facility_kind == 0 else [f"{saint}'s" if self.facility_kind == 1 else saint])
        self.team = rng.sample(_CLINICIANS, 3)
        self.team_roles = rng.sample(_ROLES, 3)
        self.contact_given, self.contact_family, _ = _person(rng)
        while self.contact_family[0] < "A" or self.contact_family[0] > "Z":
            self.contact_given, self.contact_family, _ = _person(rng)
        self.contact = f"{self.contact_given} {self.contact_family[0]}."


_PARTICLES = frozenset({"van", "der", "de", "von", "la", "del"})


def _name_phis(v: _Values) -> list[Phi]:
    parts = [p for p in f"{v.given} {v.family}".split() if p.lower() not in _PARTICLES]
    return [Phi("name", p) for p in parts]


def _build(rng: random.Random, v: _Values, layout: str, style: str) -> tuple[str, list[Phi], list[str]]:
    si = LABEL_STYLES.index(style)

    def lab(kind: str) -> str:
        return _LABELS[kind][si]

    def word(kind: str) -> str:  # a label inside a sentence: "his MRN is ..."
        return lab(kind).rstrip(":")

    clinical = rng.sample(CLINICAL, 4)
    address = f"{v.street}, {v.city}, {v.state} {v.zip}"
    team = [f"Dr. {v.team[0]} ({v.team_roles[0]})", f"{v.team[1]} {rng.choice(['RN', 'NP', 'PA-C'])}", f"{v.team[2]} ({v.team_roles[2]})"]
    phis = [*_name_phis(v), Phi("mrn", v.mrn), Phi("ssn", v.ssn), Phi("phone", v.phone), Phi("email", v.email),
            Phi("address", v.street), Phi("address", v.city), Phi("address", v.zip), Phi("dob", v.dob), Phi("date", v.date),
            Phi("id_letters", v.id_letters), *(Phi("facility", w) for w in v.facility_words),
            *(Phi("care_team", w) for s in v.team for w in s.split() if w.lower() not in _PARTICLES), Phi("name_initial", v.contact_given)]
    c0, c1, c2, c3 = clinical
    sep = rng.choice([": ", " "]) if style == "lower" else " "

    def f(kind: str, value: str) -> str:
        return f"{lab(kind)}{sep if style == 'lower' else ' '}{value}"

    if layout == "header":
        text = "\n".join([
            f"{f('name', v.full)}    {f('dob', v.dob)}",
            f"{f('mrn', v.mrn)}   {f('ssn', v.ssn)}",
            f"{f('phone', v.phone)}   {f('email', v.email)}",
            f(("address"), address),
            f"{f('date', v.date)}   {f('id_letters', v.id_letters)}",
            f"{f('facility', v.facility)}",
            f"{f('care_team', ', '.join(team))}",
            f"{f('name_initial', v.contact)} (daughter)",
            "",
            f"{c0} {c1}", c2, c3,
        ])
    elif layout == "signature":
        text = "\n".join([
            f"{c0} {c1}",
            f"Seen today at {v.facility} on {v.date}. {c2}",
            c3,
            f"Discussed with {v.contact} ({rng.choice(['son', 'wife', 'neighbor'])}) by phone.",
            "",
            f"Electronically signed by {team[0]}",
            f"cc: {team[1]}; {team[2]}",
            f"{v.full} | {lab('dob')} {v.dob} | {lab('mrn')} {v.mrn} | {v.id_letters}",
            f"{v.phone} | {v.email} | {lab('ssn')} {v.ssn}",
            address,
        ])
    elif layout == "table":
        cols = ["Name", "DOB", "MRN", "SSN", "Phone", "ID"]
        if style == "caps":
            cols = ["PATIENT NAME", "DATE OF BIRTH", "MEDICAL RECORD NUMBER", "SOCIAL SECURITY NUMBER", "TELEPHONE", "INSURANCE ID"]
        elif style == "lower":
            cols = [c.lower() for c in cols]
        vals = [v.full, v.dob, v.mrn, v.ssn, v.phone, v.id_letters]
        delim = rng.choice([" | ", "\t", "   "])
        text = "\n".join([
            c0,
            delim.join(cols),
            delim.join(vals),
            "",
            delim.join(["Email", "Address", "Visit", "Site"]),
            delim.join([v.email, address, v.date, v.facility]),
            "",
            delim.join(["Care team", "Role"]),
            *(delim.join([t, r]) for t, r in zip(v.team, v.team_roles)),
            f"Emergency contact: {v.contact}",
            f"{c1} {c2}", c3,
        ])
    elif layout == "list":
        b = rng.choice(["- ", "* ", "• ", "1. "])
        text = "\n".join([
            c0,
            "Demographics:",
            f"{b}{v.full}",
            f"{b}{v.dob}",
            f"{b}{f('mrn', v.mrn)}",
            f"{b}{v.ssn}",
            f"{b}{v.phone}",
            f"{b}{v.email}",
            f"{b}{address}",
            f"{b}{v.id_letters}",
            f"{b}{v.facility}, seen {v.date}",
            "Care team:",
            *(f"{b}{t}" for t in v.team),
            f"{b}{v.contact} (contact)",
            f"{c1} {c2} {c3}",
        ])
    elif layout == "med_line":
        m1, m2, m3 = rng.sample(_MEDS, 3)
        text = "\n".join([
            c0,
            f"Rx: {v.full} {v.mrn} {m1}",
            f"{v.full}, {m2}, {v.id_letters}, DOB {v.dob}",
            f"{m3} for {v.given} {lab('ssn')} {v.ssn} call {v.phone}",
            f"Refill sent to {v.facility} {v.date}; questions to {v.email} or {v.contact}",
            f"Prescriber {team[0]}, reviewed by {v.team[1]} and {v.team[2]}. Mail: {address}",
            f"{c1} {c2} {c3}",
        ])
    elif layout == "question":
        text = " ".join([
            f"Hi, this is {v.contact} calling about my father {v.full}, {lab('dob')} {v.dob}.",
            f"{c1}",
            f"His {word('mrn')} is {v.mrn} and his {word('id_letters')} is {v.id_letters}, is that right?",
            f"Can {team[0]} or {v.team[1]} call me back at {v.phone} or email {v.email}?",
            f"We were seen at {v.facility} on {v.date} and his SSN {v.ssn} was on the form.",
            f"We live at {address}. {c0} {c2} {c3}",
            f"Also, is {v.team[2]} still on the care team?",
        ])
    elif layout == "letter":
        # "Last, First" inside sentences, a care team as a comma list in prose, a one-line
        # address with commas, a signature block with credentials
        cred = rng.sample(_CREDENTIALS, 2)
        text = "\n".join([
            f"Re: {v.family}, {v.given} {v.middle}.",
            "",
            f"Dear colleague, I saw {v.family}, {v.given} in clinic on {v.date} at {v.facility}. {c0}",
            f"The care team ({v.team[0]}, {v.team[1]} and {v.team[2]}) agreed with the plan. {c1}",
            f"Identifiers: {word('mrn')} {v.mrn}; {word('ssn')} {v.ssn}; {word('id_letters')} {v.id_letters}; born {v.dob}.",
            f"Reach {v.given} at {v.phone} or {v.email}; home is {v.street}, {v.city}, {v.state}, {v.zip}. {c2}",
            f"{v.contact} ({rng.choice(['sister', 'partner', 'guardian'])}) asked to be kept informed. {c3}",
            "",
            "Sincerely,",
            f"{v.team[0]}, {cred[0]}",
            f"{v.team[1]} {v.team[2]}, {cred[1]}" if rng.random() < 0.3 else f"{v.team[1]}, {cred[1]}; {v.team[2]}",
        ])
    elif layout == "form":
        # a registration form: SURNAME, Given; key=value pairs; fields run together on a line
        text = "\n".join([
            c0,
            f"{v.family.upper()}, {v.given}   {lab('dob')} {v.dob}   Sex: {rng.choice(['F', 'M', 'X'])}",
            f"{word('mrn')}#{v.mrn} / {word('id_letters')}={v.id_letters} / {word('ssn')}={v.ssn}",
            f"tel={v.phone}; mail={v.email}; addr={v.street}, {v.city} {v.state} {v.zip}",
            f"encounter={v.date} site={v.facility}",
            f"attending={v.team[0]}; consult={v.team[1]}; other={v.team[2]}",
            f"next of kin={v.contact}",
            f"{c1} {c2} {c3}",
        ])
    else:  # narrative
        text = " ".join([
            f"{v.full} is a patient of {team[0]} seen at {v.facility} on {v.date}.",
            c0,
            f"{v.given} was born {v.dob} ({word('mrn')} {v.mrn}, {word('ssn')} {v.ssn}).",
            c1,
            f"{v.family} lives at {address} and can be reached at {v.phone} or {v.email}.",
            f"{lab('id_letters')} {v.id_letters}. {c2}",
            f"Daughter {v.contact} was present; {v.team[1]} and {v.team[2]} will follow. {c3}",
        ])
    return text, phis, clinical


# --------------------------------------------------------------------------- forms without a cue
_MENTION_SURNAMES = ["Delacroix", "Haverbrook", "Lindqvist", "Okonkwo", "Marchetti", "Brannigan", "Sorensen", "Achterberg",
                     "Nakashima", "Whitlock", "Castellanos", "Iwasaki", "Thorvaldsen", "Oyelaran", "Kowalczyk", "Ferreira",
                     "Mwangi", "Zielinski", "Abernathy", "Halvorsen", "Quintero", "Ekwueme", "Grzelak", "Winterbottom"]
_MENTION_TEMPLATES = [  # {S} surname, {G} given name, {s} / {g} the same in lower case
    "{S} said the echo looked unchanged.",
    "Ask {S} whether the biopsy result is back.",
    "Will tell {S} about the new rash.",
    "Please call {S} before discharge.",
    "Per {S}, hold the evening dose.",
    "@{S} can you co-sign the order?",
    "Discussed with {S} who agrees with the plan.",
    "Sign-out given to {S} at shift change.",
    "{S} thinks we should repeat the x-ray.",
    "Labs reviewed, {S} reports the wound looks better.",
    "{S} is out until the end of the week.",
    "Is {S} covering the clinic this weekend?",
    "Message from {S}: potassium rechecked.",
    "Spoke with {G} {S} this morning.",
    "Then {s}, {g} called back about the refill.",
    "Left a voicemail for {g} {s} at noon.",
    "Seen together with {S} on the ward.",
    "Case reviewed by {S} today.",
]
_ROSTERS = [
    "On call tonight:\n{S1} - cardiology\n{S2} - renal\n{S3} - nights",
    "Roster: {S1}: days; {S2}: nights; {S3}: weekend",
    "Coverage\n{S1}: attending\n{S2}: resident\n{S3}: intern",
    "Team - {S1} / {S2} / {S3}",
]
_TOWN_A = ["Quillan", "Larkmoor", "Brackenridge", "Cullompton", "Elderglen", "Marlowe", "Stonebridge", "Ashcombe", "Wrenford",
           "Thistledown", "Kestrel", "Oakhurst"]  # none of them a town, street or name of the kinds before
_TOWN_SHAPES = ["{A} Falls", "Port {A}", "North {A}", "{A} Harbor", "Lake {A}", "{A} Springs", "East {A} Junction",
                "Mount {A} Heights", "{A} on Tyne", "Saint {A} Bay"]
_TOWN_TEMPLATES = ["Lives alone in {T}.", "Transferred from {T} yesterday.", "Her son drives in from {T} on weekends.",
                   "Works at the post office in {T}, retired soon.", "Moved to {T} last spring."]
_INITIAL_TEMPLATES = ["Covered overnight by {F}. {S}.", "Note cosigned by {G} {L}.", "Handed over to {F}. {S} at noon.",
                      "Questions to {G} {L}. please."]


def _extra(seed: int, i: int) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA_KINDS` for note ``i``: text (before the note's transform) and PHI."""
    rng = random.Random(f"canary-extra-{seed}-{i}")
    lines: list[str] = []
    phis: list[Phi] = []

    def given() -> str:
        return rng.choice(_GIVEN) if rng.random() < 0.6 else _invented(rng)

    def surname() -> str:
        return rng.choice(_MENTION_SURNAMES) if rng.random() < 0.6 else _invented(rng)

    def cut(words: list[str]) -> str:  # a hard wrap at any word boundary, sometimes
        if len(words) > 1 and rng.random() < 0.4:
            k = rng.randrange(1, len(words))
            return " ".join(words[:k]) + "\n" + " ".join(words[k:])
        return " ".join(words)

    for t in rng.sample(_MENTION_TEMPLATES, 2):
        g, s = given(), surname()
        lines.append(t.format(S=s, G=g, s=s.lower(), g=g.lower()))
        phis.append(Phi("mention", s))
        if "{G}" in t or "{g}" in t:
            phis.append(Phi("mention", g))
    team = []
    while len(team) < 3:
        s = surname()
        if s not in team:
            team.append(s)
    lines.append(rng.choice(_ROSTERS).format(S1=team[0], S2=team[1], S3=team[2]))
    phis.extend(Phi("roster", s) for s in team)
    town = rng.choice(_TOWN_SHAPES).format(A=rng.choice(_TOWN_A))
    lines.append(rng.choice(_TOWN_TEMPLATES).format(T=cut(town.split())))
    phis.extend(Phi("town", w) for w in town.split() if w.lower() not in ("on", "port", "north", "east", "lake", "mount", "saint"))
    g, s = given(), surname()
    t = rng.choice(_INITIAL_TEMPLATES)
    sep = "\n" if rng.random() < 0.5 else " "
    text = t.format(F=g[0], S=s, G=g, L=s[0]).replace(f"{g[0]}. {s}", f"{g[0]}.{sep}{s}").replace(f"{g} {s[0]}.", f"{g}{sep}{s[0]}.")
    lines.append(text)
    phis.append(Phi("initial_wrap", s if "{S}" in t else g))
    return "\n".join(lines), phis


_STRUCT_TEMPLATES = [  # a field or signature gives the name; a later line repeats one part of it ({R})
    ("pt: {g} {s}", "{R} tolerated the visit well."),
    ("name: {s}, {g}", "Reviewed the plan with {R} in detail."),
    ("seen by {g} {s} today.", "{R} to return in two weeks."),
    ("-- {g} {s}, rn", "Message left, {R} will be called tomorrow."),
    ("patient name - {g} {s}", "Pain controlled per {R} at rest."),
    ("pcp: {g} {s}, md", "Copy of the note to {R} as well."),
]
#: two-letter words the clinical text or the labels use: never drawn as initials ("cc" since branch deid9: the
#: signature layout's "cc:" label read as leaked initials)
_NOT_INITIALS = frozenset("bp hr rn md pt pr dr ct mg ml dl kg cm mm pm am tb hb rr pd cd dm hd lp mr ms np ns pc pn rt sc "
                          "sl st tx vs ng do ok hi or in me oh pa ma la id us ne va nd sd pe gi ed er sb mw cc".split())
_INITIAL_FIRST, _INITIAL_SECOND = "bcdfgjklmnrstwz", "bcdfghjklmnprstvwz"
_SIG_INITIALS = ["-- {a}, rn", "-- {a}, np", "{A}/{b}", "dictated by {A}, transcribed by {b}", "cosigned: {a}"]
_EMAIL_TEMPLATES = ["Forwarded by {l}@{d}; {S} is the contact for refills.",
                    "Results sent to {l}@{d}. Awaiting reply from {S} by Friday.",
                    "Reply-to {l}@{d}\n{S} prefers a call after 5 pm."]
_STATE_CODES = ["OR", "IN", "ME", "OH", "OK", "HI", "PA", "MA", "WA", "VT", "GA", "NM", "TX", "MI"]


def _extra4(seed: int, i: int) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA4_KINDS` for note ``i``: text (before the note's transform) and PHI."""
    rng = random.Random(f"canary-extra4-{seed}-{i}")
    lines: list[str] = []
    phis: list[Phi] = []

    def given() -> str:
        return rng.choice(_GIVEN) if rng.random() < 0.5 else _invented(rng)

    def surname() -> str:
        return rng.choice(_MENTION_SURNAMES + _CLINICIANS[:8]) if rng.random() < 0.6 else _invented(rng)

    def initials() -> str:
        while True:
            a = rng.choice(_INITIAL_FIRST) + rng.choice(_INITIAL_SECOND)
            if a not in _NOT_INITIALS:
                return a

    g, s = given(), surname()
    field_line, later = rng.choice(_STRUCT_TEMPLATES)
    rep = rng.choice([g, s])
    lines.append(field_line.format(g=g, s=s))
    lines.append(later.format(R=rep))
    phis.extend(Phi("structure", w) for w in {g, *s.split()} if w.lower() not in _PARTICLES)
    a, b = initials(), initials()
    while b == a:
        b = initials()
    t = rng.choice(_SIG_INITIALS)
    lines.append(t.format(a=a, A=a.upper(), b=b))
    phis.append(Phi("initials", a))
    if "{b}" in t:
        phis.append(Phi("initials", b))
    g2, s2 = given(), rng.choice(_MENTION_SURNAMES) if rng.random() < 0.5 else _invented(rng)
    local = rng.choice([f"{g2}.{s2}", f"{g2[0]}{s2}", f"{s2}.{g2[0]}"]).lower().replace("'", "")
    lines.append(rng.choice(_EMAIL_TEMPLATES).format(l=local, d=rng.choice(["example.org", "mailbox.test"]), S=s2))
    phis.append(Phi("email_name", s2))
    town = rng.choice(_TOWN_SHAPES[:8]).format(A=rng.choice(_TOWN_A)) if rng.random() < 0.6 else rng.choice(_TOWN_A)
    street = f"{rng.randint(12, 9899)} {rng.choice(_STREETS)} {rng.choice(_SUFFIX)}"
    zipc = f"{rng.randint(1001, 99950):05d}"
    st = rng.choice(_STATE_CODES)
    lines.append(rng.choice(["{a}, {t}, {s} {z}", "mailing address: {a}, {t} {s} {z}", "{a}\n{t}, {s} {z}"]).format(
        a=street, t=town, s=st, z=zipc))
    phis.extend(Phi("address_line", w) for w in [*street.split()[1:-1], *town.split(), zipc]
                if w.lower() not in ("port", "north", "east", "lake", "mount", "saint", "on"))
    text = "\n".join(lines)
    if rng.random() < 0.4:
        text = text.lower()  # a lower-case block inside a note of any case
        phis = [Phi(p.kind, p.value.lower()) for p in phis]
    return text, phis


_SEP_TEMPLATES = [  # LAST<sep>First fields and rows: {SU} the surname in capitals, {S} as written, {G} the given name
    "Name:\t{SU},\t{G}", "{SU},\t{G}\tSex: {X}", "Last\tFirst\tRole\n{S}\t{G}\tpatient", "{SU} | {G} | {X}",
    "Patient | {S}, {G}", "{S}|{G}|guarantor", "Name:  {SU},    {G}", "Last name\t{S}\nFirst name\t{G}",
]
_PARTICLE_SURNAMES = ["van der Berg", "de la Cruz", "O'Connor", "D'Souza", "van Dijk", "de Groot", "dos Santos", "da Silva",
                      "Le Roux", "di Marco", "von Hagen", "ten Brink", "Mac Giolla", "O'Keeffe", "D'Arcy", "de Vries",
                      "van den Heuvel", "del Rosario", "St. Clair", "al-Masri"]
_PARTICLE_TEMPLATES = ["Discussed the plan with {G} {S} at the bedside.", "{G} {S} called about the refill.",
                       "Results forwarded to {S} in the morning.", "Family meeting: {G} {S} and the team.",
                       "Message left for {G} {S} this afternoon.", "{S} agrees with discharge tomorrow."]
#: English words that are also surnames (none of them used elsewhere in a canary note, so a
#: leak check by word stays exact): a double surname joins one of them to another surname or
#: to a second one
_ENGLISH_SURNAMES = ["Grant", "Marsh", "Wood", "Hill", "Stone", "Baker", "Fox", "Field", "Hall", "Brook", "Gates",
                     "Bishop", "Carpenter", "Mason", "Bell", "Rose", "Young", "Banks", "Holloway", "Fletcher"]
_DOUBLE_TEMPLATES = ["Is {S} still on the care team?", "Spoke with {G} {S} about the results.", "Per {S}, continue the drip.",
                     "{S} will see the patient on Monday.", "Copy to {S} and the ward.", "Consent witnessed by {S}."]
_DIACRITIC_PEOPLE = [("José", "Peña"), ("Zoë", "Müller"), ("Łukasz", "Wójcik"), ("Bjørn", "Åberg"), ("Renée", "Lefèvre"),
                     ("Søren", "Kierulf"), ("Ángel", "Ibáñez"), ("Çağla", "Öztürk"), ("Thị", "Nguyễn"), ("Maëlle", "Gagné"),
                     ("Jiří", "Dvořák"), ("Ingólfur", "Þórsson"), ("Dagný", "Sigurðardóttir"), ("François", "Leclère")]
_DIACRITIC_TEMPLATES = ["{G} {S} arrived with an interpreter.", "Interpreter present for {S} throughout.",
                        "Discussed with {G} {S}, who agrees.", "{S} prefers to be called by the first name {G}.",
                        "Seen with {G} {S} today.", "Contact person: {G} {S}."]
#: people of :data:`EXTRA6_KINDS` (none of them in the lists before; written with their marks here)
_WORLD_PEOPLE = [("Åsa", "Lindström"), ("Kjetil", "Høiby"), ("Sigrún", "Jónsdóttir"), ("Mikael", "Järvinen"),
                 ("Bożena", "Krawczyk"), ("Miloš", "Novák"), ("Zdeněk", "Procházka"), ("Dragan", "Petrović"),
                 ("Ľubomír", "Horváth"), ("Gökhan", "Yıldırım"), ("Şule", "Aydın"), ("Ümit", "Çelik"),
                 ("Phạm", "Hương"), ("Trần", "Quốc"), ("Đặng", "Khải"), ("João", "Gonçalves"), ("Conceição", "Araújo"),
                 ("Estêvão", "Magalhães"), ("Ștefan", "Dumitrescu"), ("Zoltán", "Szőke"), ("Begoña", "Muñoz"),
                 ("Hélène", "Bérubé"), ("Jürgen", "Schröder"), ("Gunnhildur", "Ólafsdóttir"), ("Benoît", "Lévesque"),
                 ("Radosław", "Wiśniewski"), ("Ilkka", "Mäkelä"), ("Ayşe", "Karakuş")]
_ASCII_TEMPLATES = ["Interpreter (Portuguese) used for the visit with {G} {S}.", "{S} was seen in clinic today.",
                    "{S} declined the influenza vaccine.", "Family of {S} requests an update.",
                    "Ride home arranged for {G} {S}.", "{G} {S}, aged 61, has type 2 diabetes.",
                    "Mrs {S} returns for a wound check.", "Visit for {S} moved to Thursday.",
                    "{S} brought the pill bottles.", "Patient {S} tolerated the procedure well."]
_CUE_TEMPLATES = ["Per {S}, the potassium was repleted.", "cc: {G} {S}", "d/w {S}, will hold heparin.",
                  "Spoke with {G} {S} regarding the MRI.", "Called {S} to confirm the appointment.",
                  "Pt brought in by {G} {S} from home.", "Plan reviewed by {S} this afternoon.",
                  "Note written by {G} {S}.", "Discussed risks with {S} at length.", "Referred by {S} for evaluation."]
#: surnames that look English or common in US notes but are no English word (a cue is all there is)
_CUE_SURNAMES = ["Pritchard", "Ashworth", "Kettleby", "Dunmore", "Wexley", "Brightwell", "Harcourt", "Loveridge",
                 "Tremaine", "Gorman", "Rutledge", "Haskins"]
#: people of :data:`EXTRA7_KINDS` (none of them used before; many on no list the stage has)
_CONTEXT_PEOPLE = [("Bui", "Thanh"), ("Vo", "Hieu"), ("Ngo", "Loan"), ("Duong", "Minh"), ("Emre", "Kaya"), ("Oya", "Sahin"),
                   ("Wanjiru", "Mwangi"), ("Akinyi", "Otieno"), ("Sipho", "Tshabalala"), ("Rania", "Haddad"), ("Nour", "Khoury"),
                   ("Inês", "Ruiz"), ("Tariq", "Qureshi"), ("Ama", "Mensah"), ("Asa", "Sundqvist"), ("Ace", "Barraclough"),
                   ("Eli", "Tregarthen"), ("Cal", "Pellowe"), ("Tam", "Quennell"), ("Bao", "Luong")]
_CONTEXT_TEMPLATES = ["{S} denies chest pain today.", "{S} consented to the procedure.", "{G} {S} was admitted overnight.",
                      "{S} understands the plan.", "{S} refused the blood draw.", "{S}, 47 y/o, presents with dyspnea.",
                      "Seen today: {G} {S} (age 52), stable.", "{G} {S} is a 70-year-old with CKD.", "The wife of {S} called.",
                      "{S}'s daughter will visit tomorrow.", "Goes by the first name {G}.", "{G} {S} arrived late.",
                      "{S} verbalized understanding.", "Message left for {G} {S}."]
_LONE_CUE_TEMPLATES = ["per {s}, hold the diuretic.", "d/w {s}, agrees.", "discussed with {s} today.", "spoke to {s} re: labs.",
                       "called {s} back.", "signed out to {s}.", "paged {s} at noon.", "reviewed with {s}.",
                       "cc: {s}", "{s} says ok to discharge."]
_LONE_CUE_SURNAMES = ["Tregarthen", "Pellowe", "Quennell", "Barraclough", "Mwangi", "Otieno", "Thanh", "Hieu", "Luong", "Khoury",
                      "Vo", "Bui", "Kaya", "Sahin", "Haddad", "Qureshi", "Mensah", "Fairclough", "Ellwood", "Penhaligon"]
_RELATIVES = ["wife", "husband", "daughter", "son", "mother", "father", "sister", "brother", "partner", "niece", "grandson"]
#: given names, some of them English words (a relative's name in parentheses is evidence enough)
_RELATIVE_NAMES = ["Maren", "Tobias", "Ingrid", "Desmond", "Priya", "Kwame", "Soledad", "Yusuf", "Rose", "Grace", "Hope", "Ivy",
                   "Faith", "Hazel", "Dawn", "Jade", "Cosima", "Rafferty", "Ottilie", "Lachlan"]
_RELATIVE_TEMPLATES = ["{R} ({N}) at bedside.", "Patient's {r} ({N}) will take the patient home.", "{R}, {N}, present for the discussion.",
                       "Lives with {r} {N} and two dogs.", "Updated {r} ({N}) by phone.", "{R} ({N} {S}) is the health care proxy."]
_SIG_WRAP_TEMPLATES = ["Electronically signed by: {G}\n{S}, {C}", "Attending physician: {G}\n{S}", "Signed: {G} {M}.\n{S}, {C}",
                       "Dictated by {G}\n{S} {C}", "-- {G}\n{S}, {C}\nInternal Medicine"]


def _fold(s: str) -> str:
    """``s`` without its diacritics, as a keyboard without them writes it (``Peña`` -> ``Pena``)."""
    s = s.translate(str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "æ": "ae",
                                   "ı": "i", "İ": "I", "đ": "d", "Đ": "D"}))
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _extra5(seed: int, i: int) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA5_KINDS` for note ``i``: text (before the note's transform) and PHI."""
    rng = random.Random(f"canary-extra5-{seed}-{i}")
    lines: list[str] = []
    phis: list[Phi] = []

    def given() -> str:
        return rng.choice(_GIVEN) if rng.random() < 0.6 else _invented(rng)

    def surname() -> str:
        return rng.choice(_MENTION_SURNAMES + _CLINICIANS[:8]) if rng.random() < 0.6 else _invented(rng)

    def parts(s: str, hyphen: bool = False) -> list[str]:  # the words a leak check looks for (no particle)
        return [w for w in re.split(r"[\s-]+" if hyphen else r"\s+", s)
                if len(w) >= 2 and w.lower().rstrip(".") not in _PARTICLES | {"st", "al", "ten", "di", "da", "dos", "le", "den", "mac"}]

    g, s = given(), surname()
    lines.append(rng.choice(_SEP_TEMPLATES).format(SU=s.upper(), S=s, G=g, X=rng.choice(["F", "M", "X"])))
    phis += [Phi("sep_field", w) for w in parts(f"{g} {s}")]
    g, s = given(), rng.choice(_PARTICLE_SURNAMES)
    lines.append(rng.choice(_PARTICLE_TEMPLATES).format(G=g, S=s))
    phis += [Phi("particle", w) for w in parts(s, True) + ([g] if "{G}" in lines[-1] or g in lines[-1] else [])]
    g = given()
    a = rng.choice(_ENGLISH_SURNAMES)
    b = rng.choice([surname(), rng.choice(_ENGLISH_SURNAMES)])
    while b == a:
        b = rng.choice(_ENGLISH_SURNAMES)
    s = f"{b}-{a}" if rng.random() < 0.5 else f"{a}-{b}"
    t = rng.choice(_DOUBLE_TEMPLATES)
    lines.append(t.format(G=g, S=s))
    phis += [Phi("double_barrel", w) for w in parts(s, True) + ([g] if "{G}" in t else [])]
    g, s = rng.choice(_DIACRITIC_PEOPLE)
    if rng.random() < 0.4:
        g, s = _fold(g), _fold(s)
    t = rng.choice(_DIACRITIC_TEMPLATES)
    lines.append(t.format(G=g, S=s))
    phis += [Phi("diacritic", w) for w in parts(s) + ([g] if "{G}" in t else [])]
    rel, n, s = rng.choice(_RELATIVES), rng.choice(_RELATIVE_NAMES), surname()
    t = rng.choice(_RELATIVE_TEMPLATES)
    lines.append(t.format(R=rel.capitalize(), r=rel, N=n, S=s))
    phis += [Phi("relative", n)] + ([Phi("relative", w) for w in parts(s)] if "{S}" in t else [])
    g, s = given(), surname()
    t = rng.choice(_SIG_WRAP_TEMPLATES)
    lines.append(t.format(G=g, S=s, M=rng.choice("ABCDEFGHJKLMNPRSTW"), C=rng.choice(_CREDENTIALS)))
    phis += [Phi("sig_wrap", w) for w in parts(f"{g} {s}")]
    text = "\n".join(lines)
    if rng.random() < 0.3:
        text = text.lower()
        phis = [Phi(p.kind, p.value.lower()) for p in phis]
    return text, phis


def _extra6(seed: int, i: int, avoid: frozenset[str] = frozenset()) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA6_KINDS` for note ``i``: text (before the note's transform) and PHI.
    A template holding a word of ``avoid`` (the note's other PHI words, lower case: initials
    ``cc``) is not used, so the leak check by word stays exact."""
    rng = random.Random(f"canary-extra6-{seed}-{i}")

    def template(choices: list[str]) -> str:
        ok = [t for t in choices if not avoid & {w.lower() for w in re.findall(r"[^\W\d_]+", t.replace("{G}", " ").replace("{S}", " "))}]
        return rng.choice(ok or choices)

    lines: list[str] = []
    phis: list[Phi] = []

    def person() -> tuple[str, str]:
        g, s = rng.choice(_WORLD_PEOPLE)
        return (_fold(g), _fold(s)) if rng.random() < 0.7 else (g, s)

    g, s = person()
    t = template(_ASCII_TEMPLATES)
    lines.append(t.format(G=g, S=s))
    phis += [Phi("ascii_name", w) for w in [s] + ([g] if "{G}" in t else [])]
    g, s = person()
    if rng.random() < 0.4:
        s = rng.choice(_CUE_SURNAMES)
    t = template(_CUE_TEMPLATES)
    lines.append(t.format(G=g, S=s))
    phis += [Phi("cue_name", w) for w in [s] + ([g] if "{G}" in t else [])]
    text = "\n".join(lines)
    if rng.random() < 0.3:
        text = text.lower()
        phis = [Phi(p.kind, p.value.lower()) for p in phis]
    return text, phis


def _extra7(seed: int, i: int, avoid: frozenset[str] = frozenset()) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA7_KINDS` for note ``i``: text (before the note's transform) and PHI
    (a template holding a word of ``avoid``, the note's other PHI words, is not used)."""
    rng = random.Random(f"canary-extra7-{seed}-{i}")

    def template(choices: list[str]) -> str:
        ok = [t for t in choices if not avoid & {w.lower() for w in re.findall(r"[^\W\d_]+", re.sub(r"\{\w\}", " ", t))}]
        return rng.choice(ok or choices)

    g, s = rng.choice(_CONTEXT_PEOPLE)
    if rng.random() < 0.5:
        g = _fold(g)
    t = template(_CONTEXT_TEMPLATES)
    lines = [t.format(G=g, S=s)]
    phis = [Phi("context_name", w) for w in ([s] if "{S}" in t else []) + ([g] if "{G}" in t else [])]
    s = rng.choice(_LONE_CUE_SURNAMES)
    t = template(_LONE_CUE_TEMPLATES)
    lines.append(t.format(s=s.lower()))
    phis.append(Phi("lone_cue_name", s.lower()))
    text = "\n".join(lines)
    if rng.random() < 0.3:
        text = text.lower()
        phis = [Phi(p.kind, p.value.lower()) for p in phis]
    return text, phis


#: people of :data:`EXTRA8_KINDS` (none of them used by a kind before): common US and UK
#: surnames, names of other languages, and invented ones (:func:`_invented`)
_EXTRA8_GIVEN = ["Lorna", "Declan", "Imogen", "Tavita", "Saoirse", "Anouk", "Rohan", "Thandiwe", "Evander", "Marguerite",
                 "Odalys", "Fergus", "Ifeoma", "Linnea", "Cormac", "Yesenia", "Hamish", "Noemi", "Caspian", "Beatrix"]
_EXTRA8_SURNAMES = ["Hargrove", "Kinnear", "Ashdown", "Prescott", "Whitaker", "Ramaswamy", "Oyebanji", "Ludlow", "Blackwood",
                    "Sinclair", "Trevelyan", "Mahlangu", "Farquhar", "Castellano", "Nwachukwu", "Ellery", "Penrose",
                    "Aldridge", "Kavanagh", "Strickland", "Okafor-Lane", "Demir", "Hoang", "Salazar"]
_TAB_TABLES = [  # {G} given, {S} surname, {D} a date-free shift, {P} a pager (not PHI: 4 digits are also a dose)
    "Time\tProvider\tRole\tAction\n08:15\t{S}, {G}\tRN\tvitals\n09:00\tteam\tMD\trounds",
    "Role\tName\tPager\nAttending\t{G} {S}\tx{P}\nResident\ton call\tx0000",
    "Shift\tNurse\tUnit\n{D}\t{S}\t4 West",
    "Seq\tName\tDx\tBed\n1\t{S}, {G}\tCHF\t12A",
    "Consult\tRequested by\tStatus\nNephrology\t{G} {S}\tpending",
]
_ROLE_PAREN_TEMPLATES = ["Attending ({S}) aware of the plan.", "PCP (Dr. {S}) to follow up in 2 weeks.",
                         "Charge nurse ({G} {S}) notified of the fall.", "Case manager ({G}) will call the family.",
                         "Discussed with the fellow ({S}), who agrees.", "Surgery consulted (Dr. {S}, pager x{P}).",
                         "Covering resident ({G} {S}) paged at 3 am.", "Pharmacist ({S}) verified the dose."]
_SIGNOFF_TEMPLATES = ["Thanks,\nDr. {S}", "Regards,\n{G}", "Best,\n{G} {S}", "-- Dr. {S}", "Thank you, Dr. {S}",
                      "Kind regards, {G}", "Sincerely,\nDr. {G} {S}", "Cheers, {G}"]
_QUOTED_TEMPLATES = ['Text from daughter: "Hi, it\'s {G}, mom fell again last night."',
                     '"Tell Dr. {S} I feel fine," per patient.',
                     'Voicemail: "This is {G} {S} calling about my father\'s pills."',
                     'Portal message: "Dr. {S}, can I take ibuprofen with this?"',
                     'Patient states "my son {G} handles my medications."',
                     'Wife reports: "{G} has been confused since Tuesday."']


def _extra8(seed: int, i: int, avoid: frozenset[str] = frozenset()) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA8_KINDS` for note ``i``: text (before the note's transform) and PHI
    (a person whose words are in ``avoid``, the note's other PHI words, is drawn again)."""
    rng = random.Random(f"canary-extra8-{seed}-{i}")

    def person() -> tuple[str, str]:
        while True:
            g = rng.choice(_EXTRA8_GIVEN) if rng.random() < 0.7 else _invented(rng)
            s = rng.choice(_EXTRA8_SURNAMES) if rng.random() < 0.65 else _invented(rng)
            if not avoid & {g.lower(), *s.lower().split("-")}:
                return g, s

    lines: list[str] = []
    phis: list[Phi] = []
    for kind, templates in (("tab_table", _TAB_TABLES), ("role_paren", _ROLE_PAREN_TEMPLATES),
                            ("dr_signoff", _SIGNOFF_TEMPLATES), ("quoted", _QUOTED_TEMPLATES)):
        g, s = person()
        t = rng.choice(templates)
        lines.append(t.format(G=g, S=s, P=f"{rng.randint(1000, 9999)}", D=rng.choice(["days", "nights", "7a-7p", "7p-7a"])))
        phis += [Phi(kind, w) for w in ([s] if "{S}" in t else []) + ([g] if "{G}" in t else [])]
        avoid = avoid | {g.lower(), s.lower()}
    text = "\n".join(lines)
    if rng.random() < 0.3:
        text = text.lower()
        phis = [Phi(p.kind, p.value.lower()) for p in phis]
    return text, phis


#: people of :data:`EXTRA9_KINDS` (none of them used by a kind before): common US and UK names,
#: names of other languages, and invented ones (:func:`_invented`)
_EXTRA9_GIVEN = ["Rosalind", "Emeka", "Solveig", "Florian", "Anjali", "Bronwyn", "Teodoro", "Isolde", "Kofi", "Marisela",
                 "Ulrich", "Wren", "Dagny", "Ximena", "Lucan", "Perpetua", "Ansel", "Chioma", "Greer", "Valentin"]
_EXTRA9_SURNAMES = ["Thistlewood", "Okoro", "Villanueva", "Rutherford", "Brandt", "Kowalski", "Ashcombe", "Mbeki", "Gallagher",
                    "Lindgren", "Pereira", "Whitcombe", "Nakagawa", "Fairweather", "Ibekwe", "Holloway", "Sandoval",
                    "Quaresma", "Dunmore", "Yamada", "Ostrowski", "Baptiste", "Carrow", "Efe"]
_HL7_TEMPLATES = [
    "MSH|^~\\&|ADT|MAIN|||202401150830||ADT^A01|{C}|P|2.3\nPID|1||{M}^^^MRN||{S}^{G}^{I}||{B}|{X}",
    "PID|1||{M}^^^HOSP^MR||{S}^{G}||{B}|{X}|||^^^^^USA\nPV1|1|I|4W^412^1||||{N}^{S2}^{G2}^^^DR",
    "PID|||{M}||{S}^{G}^{I}^^^^L||{B}|{X}\nNK1|1|{S2}^{G2}|SPO||||N",
    "OBR|1|{C}||CBC^COMPLETE BLOOD COUNT|||202403020715|||||||||{N}^{S2}^{G2}\nPID|1||{M}||{S}^{G}||{B}|{X}",
]
_CSV_TEMPLATES = [
    "mrn,last,first,dob\n{M},{S},{G},{D}",
    "\"Last Name\",\"First Name\",\"MRN\"\n\"{S}\",\"{G}\",\"{M}\"",
    "patient_id;surname;given_name;birth_date\n{M};{S};{G};{D}",
    "id,name,provider\n{M},\"{S}, {G}\",{G2} {S2}",
    "encounter,patient,attending,unit\n{C},{G} {S},{S2},4W",
]
_JSON_TEMPLATES = [
    '{{"patient_name": "{G} {S}", "mrn": "{M}", "dob": "{D}"}}',
    '{{"first_name": "{G}", "last_name": "{S}", "id": "{M}"}}',
    "{{'name': '{S}, {G}', 'mrn': '{M}'}}",
    '"name": [{{"family": "{S}", "given": ["{G}"]}}], "identifier": "{M}"',
    '{{"patient": {{"id": "{M}", "name": "{G} {S}"}}, "author": "{G2} {S2}"}}',
]
_MAIL_TEMPLATES = [
    "From: {G} {S} <{g}.{s}@example.org>\nTo: Clinic Inbox\nSubject: refill question (MRN {M})",
    "From: {S}, {G}\nSent: Monday 9:14 AM\nTo: {G2} {S2}\nSubject: labs (MRN {M})",
    "To: {G2} {S2} <{g2}{s2}@mailbox.test>\nCc: {G} {S}; nursing pool\nRe: MRN {M}",
    "Reply-To: \"{G} {S}\" <{g}.{s}@inbox.example>\nSubject: appointment for MRN {M}",
]


def _extra9(seed: int, i: int, avoid: frozenset[str] = frozenset()) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA9_KINDS` for note ``i``: text (before the note's transform) and PHI
    (a person whose words are in ``avoid``, the note's other PHI words, is drawn again)."""
    rng = random.Random(f"canary-extra9-{seed}-{i}")

    def person() -> tuple[str, str]:
        while True:
            g = rng.choice(_EXTRA9_GIVEN) if rng.random() < 0.7 else _invented(rng)
            s = rng.choice(_EXTRA9_SURNAMES) if rng.random() < 0.65 else _invented(rng)
            if not avoid & {g.lower(), s.lower()}:
                return g, s

    lines: list[str] = []
    phis: list[Phi] = []
    for kind, templates in (("hl7", _HL7_TEMPLATES), ("csv_row", _CSV_TEMPLATES), ("json_kv", _JSON_TEMPLATES),
                            ("mail_header", _MAIL_TEMPLATES)):
        (g, s), (g2, s2) = person(), person()
        avoid = avoid | {g.lower(), s.lower(), g2.lower(), s2.lower()}
        t = rng.choice(templates)
        y, m, d = rng.randint(1930, 2005), rng.randint(1, 12), rng.randint(1, 28)
        b = f"{y}{m:02d}{d:02d}"
        dob = rng.choice([f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}"])
        mrn = _digits(rng, rng.choice([7, 8, 9]))
        lines.append(t.format(G=g, S=s, G2=g2, S2=s2, g=g.lower(), s=s.lower(), g2=g2.lower()[0], s2=s2.lower(),
                              I=rng.choice("ABCDEFGHJKLMNPRSTW"), M=mrn, B=b, D=dob, X=rng.choice("FM"),
                              C=_digits(rng, 6), N=_digits(rng, 5)))
        phis += [Phi(kind, w) for w in ([s, g] + ([s2] if "{S2}" in t else []) + ([g2] if "{G2}" in t else []))]
        if "{M}" in t:
            phis.append(Phi("struct_id", mrn))
        if "{B}" in t:
            phis.append(Phi("struct_id", b))
    text = "\n".join(lines)
    if rng.random() < 0.3:
        text = text.lower()
        phis = [Phi(p.kind, p.value.lower()) for p in phis]
    return text, phis


#: people of :data:`EXTRA10_KINDS` (none of them used by a kind before)
_EXTRA10_SURNAMES = ["Ravenscroft", "Fairbairn", "Abernethy", "Hartigan", "Drummond", "Tennant", "Pryce", "Callaghan", "Mortimer",
                     "Pennington", "Ellsworth", "Radcliffe", "Galloway", "Atherton", "Cartwright", "Delaney", "Esposito", "Fontaine",
                     "Guerrero", "Harrington", "Jankowski", "Lombardi", "Mulcahy", "Novak", "Petrakis", "Quigley", "Rasmussen",
                     "Takahashi", "Underwood", "Valdez", "Wainwright", "Yilmaz", "Zimmerman"]
_CUT_TEMPLATES = ["{S} monitoring overnight, no events.", "{S}, who saw her last week, agrees with the plan.",
                  "{S} will review the films tomorrow.", "{S} aware of the results.", "{S} to follow up in clinic in 2 weeks.",
                  "{S} and the team discussed discharge.", "{S} thinks the rash is drug related.",
                  "{S} (cardiology) recommends a repeat echo.", "{S} for the biopsy results."]


def _extra10(seed: int, i: int, avoid: frozenset[str] = frozenset()) -> tuple[str, list[Phi]]:
    """The form of :data:`EXTRA10_KINDS` for note ``i``: the piece that opens the note (before its
    transform) and its PHI (a surname in ``avoid``, the note's other PHI words, is drawn again)."""
    rng = random.Random(f"canary-extra10-{seed}-{i}")
    while True:
        s = rng.choice(_EXTRA10_SURNAMES) if rng.random() < 0.7 else _invented(rng)
        if s.lower() not in avoid:
            break
    return rng.choice(_CUT_TEMPLATES).format(S=s), [Phi("cut_title", s)]


_EXTRA11_GIVEN = ["Anouk", "Bashir", "Caoimhe", "Dagny", "Eamon", "Fenella", "Gunnar", "Halima", "Isidro", "Jolanta", "Kofi",
                  "Liesel", "Mihail", "Nkechi", "Oriel", "Perpetua", "Radomir", "Saoirse", "Tomasz", "Ulla", "Wendeline"]
_EXTRA11_FAMILY = ["DeVries", "McCandless", "LaRocca", "MacAulay", "DiNapoli", "Kowalewski", "Achebe", "Thorsdottir",
                   "Okwuosa", "Brannock", "Szekely", "Ferreira-Lund", "Mbeki", "Ostrowska", "Quaresma", "Villanueva"]
_EXTRA11_SHORT = [("Vu", "Khanh"), ("Ly", "Hoang"), ("Vo", "Thuan"), ("Bui", "Ngoc"), ("Ngo", "Quyen"), ("Ta", "Phuong")]
_VISIT_TEMPLATES = ["Interpreter (Vietnamese) used for the telehealth visit with {P}.", "Appointment with {P} moved to Friday.",
                    "Phone call with {P} re: refills, all questions answered.", "Meeting with {P} and the social worker at noon.",
                    "Video visit with {P} completed, 30 minutes.", "Follow-up visit with {P} in 3 months."]


def _extra11(seed: int, i: int, avoid: frozenset[str] = frozenset()) -> tuple[str, list[Phi]]:
    """The form of :data:`EXTRA11_KINDS` for note ``i``: the piece after the note and its PHI."""
    rng = random.Random(f"canary-extra11-{seed}-{i}")
    while True:
        r = rng.random()
        if r < 0.3:
            parts = list(rng.choice(_EXTRA11_SHORT))
        elif r < 0.5:
            parts = [_invented(rng)]
        elif r < 0.75:
            parts = [rng.choice(_EXTRA11_GIVEN), rng.choice(_EXTRA11_FAMILY)]
        else:
            parts = [rng.choice(_EXTRA11_FAMILY)]
        if not any(x.lower() in avoid for w in parts for x in re.split(r"[-\s]+", w)):
            break
    text = rng.choice(_VISIT_TEMPLATES).format(P=" ".join(parts))
    if rng.random() < 0.3:
        text, parts = text.lower(), [w.lower() for w in parts]
    return text, [Phi("visit_with", w) for w in parts]


_EXTRA16_GIVEN_WORDS = ["Grace", "Hope", "Rose", "Dawn", "Amber", "Hunter", "Sunny", "Iris", "Faith", "Joy", "Robin", "Heather",
                        "Ivy", "Pearl", "Summer", "Autumn", "Sky", "Forest", "Wren", "Clay", "Reed", "Drew", "Dusty", "Hazel"]
_EXTRA16_SURNAME_WORDS = ["Stone", "Baker", "Fisher", "Page", "Bishop", "Marsh", "Lane", "Wood", "Mason", "Hill", "Brook",
                          "Field", "Sharp", "Bell", "Fox", "Swan", "Frost", "Winter", "Carpenter", "Shepherd", "Cross", "Rice"]
_EXTRA16_TEMPLATES = [
    "Last name:\t{S}\nFirst name:\t{G}", "{LAST} | {S} | {FIRST} | {G}", "{first} {G}\n{last} {S}",
    "Surname - {S}\nGiven name - {G}", "Patient last name: {S}  Patient first name: {G}", "{FAMILY}\t{S}\t{GIVEN}\t{G}",
    "Maiden name: {S}", "Preferred name: {G}", "Legal name: {G} {S}", "{first}\t{G}\nfamily meeting:\ttomorrow at 2 pm.",
    "Name (last, first):\t{S}, {G}", "Last/First: {S}/{G}", "Pt. last name ..... {S}\nPt. first name .... {G}",
    "Patient's first name is {G} and last name {S}.", "First Name\t{G}\tLast Name\t{S}\tSex\tF",
]


def _extra16(seed: int, i: int, avoid: frozenset[str], note_text: str) -> tuple[str, list[Phi]]:
    """The form of :data:`EXTRA16_KINDS` for note ``i``: the piece after the visit and its PHI."""
    rng = random.Random(f"canary-extra16-{seed}-{i}")
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", note_text)} | avoid

    def draw(pool: list[str], other: list[str]) -> str:
        while True:
            r = rng.random()
            w = rng.choice(pool) if r < 0.5 else rng.choice(other) if r < 0.75 else _invented(rng)
            if w.lower() not in words:
                words.add(w.lower())
                return w
    g = draw(_EXTRA16_GIVEN_WORDS, _GIVEN)
    s = draw(_EXTRA16_SURNAME_WORDS, _MENTION_SURNAMES)
    r = rng.random()
    if r < 0.4:
        g, s = g.lower(), s.lower()
    elif r < 0.55:
        g, s = g.upper(), s.upper()
    t = rng.choice(_EXTRA16_TEMPLATES)
    text = t.format(G=g, S=s, LAST="LAST NAME", FIRST="FIRST NAME", FAMILY="Family name", GIVEN="Given name",
                    first="first name", last="last name")
    if rng.random() < 0.3:  # the whole piece in one case
        case = str.upper if rng.random() < 0.5 else str.lower
        text, g, s = case(text), case(g), case(s)
    return text, [Phi("name_field", w) for w in (g, s) if w.lower() in text.lower()]


#: people of :data:`EXTRA17_KINDS` (none of them used by a kind before); nicknames, some of them English words
_EXTRA17_GIVEN = ["Cressida", "Alaric", "Peregrine", "Sunniva", "Torquil", "Elspeth", "Ravinder", "Oksana", "Baltasar", "Mireille",
                  "Tancredi", "Ngozi", "Svea", "Lysander", "Honoria", "Kristof", "Aurelio", "Ffion", "Jarrah", "Zuleika",
                  "Ottoline", "Benedek", "Aoife", "Casimir"]
_EXTRA17_SURNAMES = ["Farrow", "Tindall", "Merriweather", "Bracegirdle", "Quarrie", "Huxtable", "Strachan", "Wetherall",
                     "Pocklington", "Ingleby", "Chadwick", "Dimitriou", "Oyinlola", "Kasprzak", "Treloar", "Vandermeer", "Kilbride",
                     "Gathercole", "Lavery", "Ormsby", "Pettigrew", "Rowntree", "Sutcliffe", "Wolstenholme", "Adeyemi",
                     "Castellucci", "Haldane", "Mortensen", "Tchaikovska", "Yarborough"]
_EXTRA17_NICKNAMES = ["Bobby", "Bea", "Kit", "Sandy", "Tess", "Fitz", "Bunny", "Pip", "Jax", "Birdie", "Sonny", "Mack", "Ziggy",
                      "Lulu", "Buzz"]
_EXTRA17_TOWNS = ["Ashby", "Thornbury", "Wickham", "Cobbleton", "Fairhaven", "Millbrook", "Ravensdale", "Hollowell", "Westerby",
                  "Kingsmere"]
#: {G}/{S} a person (capitals {GU}/{SU}), {G2}/{S2} a second, {G3}/{S3} a third, {I} a middle initial, {N} a
#: nickname, {L} a login made from the first person's name, {T} a town, {M} a record number, {J} a job number,
#: {F} a fax number, {D}/{E} dates, {B} a birth date, {H} a time, {P} a page, {Q} a page count, {R} a pager (no
#: PHI), {a}/{b} initials; {_} a run of blanks
_EXTRA17_TEMPLATES = [
    "Page {P} of {Q}{_}{SU}, {GU}{_}MRN: {M}{_}DOB {B}",
    "{SU},{GU} {I}{_}MRN {M}{_}Page {P}",
    "Printed {D} {H} by {L}",
    "FAX TO: Dr. {S} at {T} Clinic\tFAX: {F}\nFROM: {G2} {S2}, RN",
    "D: {D} T: {E}\nJOB #: {J}\nDICTATED BY: {G} {S}, MD\nTRANSCRIBED BY: {a}",
    "cc: Dr. {S}; {G2} {S2}, NP; {S3} Family Practice",
    "Patient: {G} {I}. {S} Jr.",
    "Name: {S}, {G} {I}., III",
    "{G} \"{N}\" {S} presents for follow-up.",
    "Electronically signed by: {L} on {D} {H}",
    "Addendum by {G} {S}, RN on {D} {H}",
    "Dr. {S} (pgr {R}) notified of the potassium.",
    "MyChart message from {G} {S} (patient)",
    "{S}, {G} - MRN {M} - printed by {L} - page {P}/{Q}",
    "Report requested by {L} for {SU}, {GU} {I} on {D}",
    "Portal message from {G2} {S2} (proxy for {G} {S})",
]


def _extra17(seed: int, i: int, avoid: frozenset[str], note_text: str) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA17_KINDS` for note ``i``: the piece after the form and its PHI (a word
    of the note or of ``avoid`` is never drawn: the leak check reads whole words)."""
    rng = random.Random(f"canary-extra17-{seed}-{i}")
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", note_text)} | avoid

    def draw(pool: list[str]) -> str:
        while True:
            w = rng.choice(pool) if rng.random() < 0.75 else _invented(rng)
            if w.lower() not in words:
                words.add(w.lower())
                return w

    def initials() -> str:
        while True:
            a = rng.choice(_INITIAL_FIRST) + rng.choice(_INITIAL_SECOND)
            if a not in _NOT_INITIALS and a not in words:
                return a

    digits = re.sub(r"\D", " ", note_text)

    def pager() -> str:  # (a pager is no PHI: never the digits of one, as an SSN's last four, that the leak check reads)
        while True:
            r = str(rng.randint(1000, 9999))
            if r not in digits:
                return r

    def date() -> str:
        y, m, d = rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28)
        return rng.choice([f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y}", f"{y}-{m:02d}-{d:02d}"])

    lines: list[str] = []
    phis: list[Phi] = []
    # a template whose own words hold a PHI word of the note is not used ("Page" is also a surname of name_field)
    usable = [t for t in _EXTRA17_TEMPLATES if not avoid & {w.lower() for w in re.findall(r"[^\W\d_]+", re.sub(r"\{\w+\}", " ", t))}]
    for t in rng.sample(usable, 2):
        g, s, g2, s2, s3 = draw(_EXTRA17_GIVEN), draw(_EXTRA17_SURNAMES), draw(_EXTRA17_GIVEN), draw(_EXTRA17_SURNAMES), \
            draw(_EXTRA17_SURNAMES)
        nick = draw(_EXTRA17_NICKNAMES)
        by = rng.random()
        login = (s + g[0] if by < 0.35 else g[0] + s if by < 0.7 else f"{g}.{s}" if by < 0.85 else s[:6] + g[:2]).lower()
        if rng.random() < 0.25:
            login += str(rng.randint(1, 9))
        y, m, d = rng.randint(1930, 2005), rng.randint(1, 12), rng.randint(1, 28)
        values = dict(G=g, S=s, GU=g.upper(), SU=s.upper(), G2=g2, S2=s2, S3=s3, I=rng.choice("ABCDEFGHJKLMNPRSTW"), N=nick,
                      L=login, T=draw(_EXTRA17_TOWNS), M=_digits(rng, rng.choice([7, 8, 9])), J=_digits(rng, 6),
                      F=rng.choice(["({a}) {b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}"]).format(
                          a=rng.randint(201, 989), b=rng.randint(201, 999), c=f"{rng.randint(0, 9999):04d}"),
                      D=date(), E=date(), B=rng.choice([f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y}"]),
                      H=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}", P=str(rng.randint(1, 3)),
                      Q=str(rng.randint(3, 6)), R=pager(), a=initials(), b=initials(),
                      _=" " * rng.randint(3, 12))
        lines.append(t.format(**values))
        for key in ("G", "S", "GU", "SU", "G2", "S2", "S3", "N", "L", "T", "M", "J", "F", "D", "E", "B", "a"):
            if "{" + key + "}" in t:  # a login of two names and a dot leaks by either of them
                phis.extend(Phi("doc_meta", w) for w in (values[key].split(".") if key == "L" else [values[key]]))
    text = "\n".join(lines)
    if rng.random() < 0.3:
        text = text.lower()
        phis = [Phi(p.kind, p.value.lower()) for p in phis]
    return text, phis


# --------------------------------------------------------------------------- safe_harbor (canx18)
_SH_UPPER = "ABCDEFGHJKLMNPRSTUVWXYZ"
_SH_VIN = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_SH_MBI = "ACDEFGHJKMNPQRTUVWXY"  # letters a Medicare MBI may hold (no S, L, O, I, B, Z)
_SH_HEX = "0123456789abcdef"
#: one line or two per template: {V} the value, {W} a second value of the same template (its type after the
#: colon in :data:`_SH_TEMPLATES`), {A} an age phrase (the whole phrase is the value); no person is named
_SH_TEMPLATES: list[tuple[str, str, str]] = [
    # device identifiers and serial numbers
    ("serial", "serial", "Pacemaker S/N: {V}"),
    ("serial", "serial", "ICD interrogated today, device serial # {V}, battery 8.2 years."),
    ("serial", "serial", "Device | Model | Serial\nICD | Evera XT | {V}"),
    ("serial", "serial", "Insulin pump\t{V}\tchanged site today"),
    ("serial", "serial", "The Tandem pump {V} alarmed twice overnight."),
    ("serial", "serial", "Neurostimulator serial number:\n{V}"),
    ("udi", "udi", "UDI {V}"),
    ("udi", "udi", "Hip stem implanted, UDI:\n{V}"),
    ("udi", "udi", "Implant log: femoral component {V} (scanned)"),
    ("lot", "lot", "Implant: right knee tibial tray, lot {V}"),
    ("lot", "lot", "Mesh | Lot #\nPolypropylene 15x15 cm | {V}"),
    # vehicle identifiers
    ("plate", "plate", "License plate: {V}"),
    ("plate", "plate", "Arrived by private car (plate {V}), parked in the ED bay."),
    ("plate", "plate", "Vehicle\tPlate\tVIN\nsedan\t{V}\t{W}:vin"),
    ("vin", "vin", "MVC: vehicle {V}, driver side damage per EMS."),
    ("vin", "vin", "VIN {V}"),
    # health plan beneficiary numbers
    ("plan", "medicaid", "Medicaid # {V}"),
    ("plan", "member", "BCBS member ID {V}"),
    ("plan", "mbi", "Medicare MBI {V}"),
    ("plan", "member", "Insurance\tBlue Cross\tMember\t{V}"),
    ("plan", "medicaid", "Her Medicaid {V} lapsed last month; social work to reapply."),
    ("plan", "member", "Coverage: Aetna PPO, subscriber ID\n{V}"),
    ("plan", "mbi", "| Payer | Medicare |\n| MBI | {V} |"),
    # account numbers
    ("account", "account", "acct# {V}"),
    ("account", "account", "Billing account {V}, self-pay."),
    ("account", "account", "| Guarantor account | {V} |"),
    ("account", "account", "Charges posted to account\n{V}"),
    # certificate and licence numbers
    ("licence", "dl", "Driver's license {V} (photo ID checked)"),
    ("licence", "cdl", "Holds a commercial license, CDL {V}; DOT exam today."),
    ("licence", "dea", "Prescriber DEA {V}"),
    ("licence", "npi", "Ordering provider NPI: {V}"),
    ("licence", "dea", "Prescriber\tDEA\tNPI\nattending\t{V}\t{W}:npi"),
    ("licence", "state", "State license: {V}"),
    ("licence", "dl", "ID verified against her license {V} at registration."),
    # URLs and IP addresses that point at the patient
    ("url", "url", "Portal: {V}"),
    ("url", "url", "Images available at {V}"),
    ("url", "url", "Link sent to the patient: {V}"),
    ("ip", "ipv4", "Telehealth session connected from {V}"),
    ("ip", "ipv4", "Accessed from IP {V} at 02:14"),
    ("ip", "ipv6", "Remote login from {V} (home router)"),
    ("ip", "ipv6", "src_ip={V}"),
    # fax numbers
    ("fax", "fax", "p: {W}:phone f: {V}"),
    ("fax", "fax", "Fax# {V}"),
    ("fax", "fax", "Records faxed to the PCP at {V}."),
    ("fax", "fax", "F: {V}"),
    # ages over 89
    ("age", "age", "{A} female with CHF, here with her son."),
    ("age", "age", "«Age: {n}»"),
    ("age", "age", "Pt is a {A} man with dementia, lives at home."),
    ("age", "age", "«Sex/Age\tF / {n}»"),
    ("age", "age", "Spry at {A}; walks daily."),
    ("age", "age", "Patient, {A}, seen for a fall."),
    ("age", "age", "| «Age | {n}» |"),
]
#: age phrases: {n} an age of 90 to 109; the phrase is the value (what makes the number an age); a template's
#: «...» is its phrase where the template itself says it is an age ("Age: {n}")
_SH_AGES = ["{n} yo", "{n} y/o", "{n}-year-old", "{n} y.o.", "{n}yo", "age {n}", "aged {n}", "{n} years old", "{n} yrs", "{n} years of age"]


def _sh_value(rng: random.Random, what: str) -> str:
    def d(n: int) -> str:
        return "".join(str(rng.randint(0, 9)) for _ in range(n))

    def up(n: int) -> str:
        return "".join(rng.choice(_SH_UPPER) for _ in range(n))

    if what == "serial":
        return rng.choice([up(3) + d(6) + up(1), d(2) + up(2) + d(6), up(2) + "-" + d(7), "SN" + d(8)])
    if what == "udi":
        udi = f"(01){d(14)}(17){rng.randint(24, 31)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}(10){up(2)}{d(5)}"
        return udi + (f"(21){up(1)}{d(7)}" if rng.random() < 0.5 else "")
    if what == "lot":
        return rng.choice([up(2) + d(5), d(2) + up(1) + d(5), "L" + d(7)])
    if what == "plate":
        return rng.choice([d(1) + up(3) + d(3), up(3) + "-" + d(4), up(3) + " " + d(4), d(3) + up(3)])
    if what == "vin":
        vin = "".join(rng.choice(_SH_VIN) for _ in range(11)) + d(6)
        return str(rng.randint(1, 5)) + vin[1:]
    if what == "medicaid":
        return rng.choice([up(2) + d(8), d(9) + up(1), d(10)])
    if what == "member":
        return rng.choice([up(3) + d(9), d(9) + "-" + d(2), "W" + d(9)])
    if what == "mbi":
        mbi = (str(rng.randint(1, 9)) + rng.choice(_SH_MBI) + rng.choice(_SH_MBI + "0123456789") + d(1) + rng.choice(_SH_MBI)
               + rng.choice(_SH_MBI + "0123456789") + d(1) + rng.choice(_SH_MBI) + rng.choice(_SH_MBI) + d(2))
        return mbi if rng.random() < 0.5 else f"{mbi[:4]}-{mbi[4:7]}-{mbi[7:]}"
    if what == "account":
        return rng.choice([d(1).replace("0", "4") + d(7), f"{d(4)}-{d(4)}-{d(2)}", "HB" + d(7), "A" + d(9)])
    if what == "dl":
        return rng.choice([up(1) + d(7), up(1) + d(3) + "-" + d(4) + "-" + d(4), d(9)])
    if what == "cdl":
        return rng.choice([d(8), up(2) + d(7)])
    if what == "dea":  # two letters and seven digits whose last is the check digit
        ds = [rng.randint(0, 9) for _ in range(6)]
        check = (ds[0] + ds[2] + ds[4] + 2 * (ds[1] + ds[3] + ds[5])) % 10
        return rng.choice("ABFGM") + up(1) + "".join(map(str, ds)) + str(check)
    if what == "npi":  # ten digits, Luhn-valid with the 80840 prefix
        body = "1" + d(8)
        total = 24
        for k, c in enumerate(reversed(body)):
            v = int(c) * (2 if k % 2 == 0 else 1)
            total += v - 9 if v > 9 else v
        return body + str((10 - total % 10) % 10)
    if what == "state":
        return rng.choice(["RN" + d(6), "MD" + d(5), "G" + d(5), d(7)])
    if what == "url":
        host = rng.choice(["portal.example.org", "mychart.example.com", "pacs.hospital.test", "records.example.net"])
        return rng.choice([f"https://{host}/p/{d(6)}", f"{host}/records?mrn={d(8)}", f"http://{host}/view/{up(2)}{d(7)}",
                           f"https://{host}/patient/{d(7)}/imaging"])
    if what == "ipv4":
        return rng.choice([f"192.168.{rng.randint(0, 255)}.{rng.randint(2, 254)}", f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
                           f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}", f"203.0.113.{rng.randint(2, 254)}"])
    if what == "ipv6":
        def h() -> str:
            return "".join(rng.choice(_SH_HEX) for _ in range(4)).lstrip("0") or "0"
        return rng.choice([f"2001:db8:{h()}:{h()}::{h()}", f"fe80::{h()}:{h()}:{h()}:{h()}", f"2001:db8:{h()}:{h()}:{h()}:{h()}:{h()}:{h()}"])
    if what in ("fax", "phone"):
        a, b, c = rng.randint(201, 989), rng.randint(201, 999), d(4)
        return rng.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"{a}{b}{c}"])
    if what == "age":
        return rng.choice(_SH_AGES).format(n=rng.randint(90, 109))
    raise ValueError(what)


def _extra18(seed: int, i: int, avoid: frozenset[str], note_text: str) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA18_KINDS` for note ``i``: the piece after the metadata and its PHI (three
    lines of three Safe Harbor types; a value never shares a digit group of four or more, nor its digits, with
    the note, and a template whose own words hold a PHI word of the note is not used)."""
    rng = random.Random(f"canary-extra18-{seed}-{i}")
    note_digits = re.sub(r"\D", " ", note_text)
    note_flat = re.sub(r"\D", "", note_text)

    def fresh(what: str) -> str:
        while True:
            v = _sh_value(rng, what)
            if what == "age":
                return v
            digits = re.sub(r"\D", "", v)
            if any(re.search(rf"(?<!\d){g}(?!\d)", note_digits) for g in re.findall(r"\d{4,}", v)):
                continue
            if len(digits) >= 6 and digits in note_flat:
                continue
            return v

    usable = [t for t in _SH_TEMPLATES
              if not avoid & {w.lower() for w in re.findall(r"[^\W\d_]+", re.sub(r"\{\w+\}(?::\w+)?", " ", t[2]))}]
    types = sorted({t[0] for t in usable})
    lines: list[str] = []
    values: list[str] = []
    for typ in rng.sample(types, 3):
        _, what, t = rng.choice([u for u in usable if u[0] == typ])
        line = t
        m = re.search(r"\{W\}:(\w+)", line)
        if m:
            w = fresh(m.group(1))
            line = line.replace(m.group(0), w)
            values.append(w)
        if "«" in line:  # an age its template's own words make one
            n = str(rng.randint(90, 109))
            m = re.search(r"«(.*?)»", line, re.S)
            assert m
            v = m.group(1).replace("{n}", n)
            line = line.replace(m.group(0), v)
        else:
            v = fresh(what)
            if what == "age" and "old" in avoid:  # an age's words are never a PHI word of the note ("Old Mill Road")
                v = v.replace("-year-old", " y/o").replace(" years old", " yrs")
            line = line.replace("{A}" if what == "age" else "{V}", v)
        values.append(v)
        lines.append(line)
    text = "\n".join(lines)
    if rng.random() < 0.3:
        text = text.lower()
        values = [v.lower() for v in values]
    return text, [Phi("safe_harbor", v) for v in values]


# --------------------------------------------------------------------------- extracted (canx19)
#: people of :data:`EXTRA19_KINDS` (none of them used by a kind before); the ``_LIG`` ones hold ``fi`` / ``fl`` / ``ff``
_EXTRA19_GIVEN = ["Evadne", "Anselm", "Clemency", "Florizel", "Gudrun", "Hesketh", "Ismay", "Jocasta", "Leofric", "Nerys",
                  "Orlaith", "Quintus", "Rhiannon", "Seraphina", "Ulrika", "Winifred", "Xanthe", "Zebedee"]
_EXTRA19_SURNAMES = ["Quenby", "Ashbury", "Bellhouse", "Cattermole", "Dewhurst", "Entwistle", "Garside", "Hebblethwaite",
                     "Illingworth", "Jaggard", "Kershaw", "Lofthouse", "Mottram", "Nuttall", "Pilkington", "Ramsbottom",
                     "Sowerby", "Tattersall", "Uttley", "Shufflebotham"]
_EXTRA19_LIG_GIVEN = ["Fiona", "Flavia", "Effie", "Florence", "Fifi"]
_EXTRA19_LIG_SURNAMES = ["Fiennes", "Mansfield", "Flanagan", "Griffin", "Duffield", "Clifford", "Stafford", "Fifield", "Wakefield",
                         "Scaife"]
#: characters a PDF or word processor leaves inside a word and no reader sees: soft hyphen, zero-width space,
#: non-joiner, joiner, word joiner, byte-order mark
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_LIGATURES = [("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02")]
#: OCR confusions a reader undoes in an identifier (a letter read for a digit)
_OCR_CONFUSE = {"0": "Oo", "1": "lI", "5": "S", "8": "B"}
_OCR_UNDO = str.maketrans({"O": "0", "o": "0", "l": "1", "L": "1", "I": "1", "i": "1", "|": "1", "S": "5", "s": "5", "B": "8", "b": "8"})
#: the forms of :data:`EXTRA19_KINDS` by family; {G}/{S} the patient (capitals {GU}/{SU}, lower {g}/{s}, {G0} the
#: initial, {SG} the surname and that initial run together), {S2} a clinician, {M} a record number, {A} an account, {B} a birth date, {D} a date, {Dc} it compact
#: (YYYYMMDD), {Di} it ISO, {H} a time, {F}/{F2} fax numbers (10 digits), {P}/{Q} a page and a count, {L} a login
#: made from the name, {I} a middle initial; forms of the families ``wrap`` ... ``ocr`` are built in code
_EXTRA19_BANNERS = [
    "{S}, {G}  MRN {M}  DOB {B}    Page {P} of {Q}",
    "Pt: {G0}. {SU} | Acct {A} | printed {D}",
    "{D} {H} FROM:{F} TO:{F2}  P.00{P}/00{Q}",
    "{D} {H}  FAX {F}  RE: {SU}, {GU}  P.00{P}",
    "{G} {S} (DOB {B}) - MRN: {M} - Page {P}/{Q}",
    "Patient: {SU}, {GU} {I}        Encounter date: {D}        Page {P}",
    "CONFIDENTIAL   {S}, {G}   {M}   {D}",
    "{SU}, {GU} {I}          Acct: {A}          Page {P} of {Q}",
]
_EXTRA19_PATHS = [
    "Source document: scan_{s}_{g}_{Di}.pdf",
    "Imported from C:\\Users\\{L}\\Documents\\Referrals\\{S} {G} referral.docx",
    "Attachment: {SU}_{G0}_MRN{M}.tif",
    "Scanned to /mnt/scans/{s}.{g}/{M}_{Dc}.pdf",
    "\\\\fileserver\\HIM\\Scanned\\{SU}, {GU} - {M}.pdf",
    "Linked file: file:///C:/Users/{L}/Desktop/{s}_{g}_labs.pdf",
    "Outside records ({SG}_{Dc}_discharge.PDF) reviewed.",
    "See attached {G}-{S}-{Di}.jpg for the wound photo.",
]
_EXTRA19_COLUMNS = [
    "Patient Name:{_}Date of Birth:\n{S}, {G}{_}{B}\nMRN:{_}Attending:\n{M}{_}Dr. {S2}",
    "Name:\nDOB:\nMRN:\nPCP:\n{S}, {G}\n{B}\n{M}\nDr. {S2}",
    "Name: DOB: MRN:\n{G} {S} {B} {M}",
    "PATIENT{_}ACCOUNT{_}ADMIT DATE\n{SU}, {GU}{_}{A}{_}{D}",
    "Patient{_}{S}, {G}{_}Sex{_}F\nDOB{_}{B}{_}Room{_}4B",
]
_EXTRA19_WRAPS = [  # {W} the name or number cut by a hyphen at a line's end
    "Discharge instructions reviewed with {W}, who verbalized understanding.",
    "Patient: {W}",
    "Labs drawn under MRN {W} this morning.",
    "Consent signed by {W} at 10:40.",
]
_EXTRA19_HIDDEN = ["Patient: {W}", "MRN: {W}", "Seen today with {W} for follow-up.", "Acct #{W}", "Name: {W}   DOB: {B}"]
_EXTRA19_LIGS = ["Patient Name: {W}", "{W} seen in follow-up for the wound check.", "Referred by Dr. {W}.", "RE: {W}"]
_EXTRA19_SPACED = ["N A M E :   {W}", "P A T I E N T   {W}   MRN {M}", "Patient: {W}", "{W}\nDOB {B}"]
_EXTRA19_OCR = ["MRN: {W}", "DOB: {W}", "Acct #: {W}", "Patient: {SU}, {GU}   MRN {W}", "Pt ID {W} (scanned)"]
_EXTRA19_FAMILIES = ("banner", "wrap", "hidden", "ligature", "spaced", "ocr", "path", "columns")


def _ocr(rng: random.Random, value: str) -> str:
    """``value`` with one to three of its digits read as look-alike letters (at least one)."""
    at = [k for k, c in enumerate(value) if c in _OCR_CONFUSE]
    if not at:
        return value
    chars = list(value)
    for k in rng.sample(at, min(len(at), rng.randint(1, 3))):
        chars[k] = rng.choice(_OCR_CONFUSE[chars[k]])
    return "".join(chars)


def extracted_reading(text: str) -> str:
    """``text`` read as a person reads a converted document (for :func:`leaks`, kind ``extracted``): NFKC
    (ligatures as letters), invisible characters dropped, a hyphen at a line's end joined to the next line
    (``Quen-`` / ``n``, ``4081-`` / ``7733``)."""
    t = unicodedata.normalize("NFKC", re.sub(f"[{_INVISIBLE}]", "", text))
    return re.sub(r"(?<=[^\W_])-[ \t]*\r?\n[ \t]*(?=[^\W_])", "", t)


def ocr_undone(text: str) -> str:
    """``text`` with OCR confusions undone in tokens that are mostly digits (``4O8l7733``, ``O3/O4/l96l``: a
    reader still reads the number); words are left alone."""
    def undo(m: re.Match[str]) -> str:
        tok = m.group()
        n, d = sum(c.isalnum() for c in tok), sum(c.isdigit() for c in tok)
        return tok.translate(_OCR_UNDO) if d >= 2 and 2 * d >= n else tok
    return re.sub(r"[0-9OolLIiSsBb|]+(?:[/-][0-9OolLIiSsBb|]+)*", undo, text)


def _extra19(seed: int, i: int, avoid: frozenset[str], note_text: str) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA19_KINDS` for note ``i``: the piece after the Safe Harbor lines and its PHI (three
    forms of three families, for one patient; a word of the note or of ``avoid`` is never drawn, and a number
    never shares a digit group of four or more, nor its digits, with the note)."""
    rng = random.Random(f"canary-extra19-{seed}-{i}")
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", note_text)} | avoid
    note_digits = re.sub(r"\D", " ", note_text)
    note_flat = re.sub(r"\D", "", note_text)

    def draw(pool: list[str], invented: float = 0.25) -> str:
        while True:
            w = rng.choice(pool) if rng.random() >= invented else _invented(rng)
            if w.lower() not in words:
                words.add(w.lower())
                return w

    def number(n: int) -> str:
        while True:
            v = _digits(rng, n)
            if v not in note_flat and not any(v[k:k + 4] in note_digits for k in range(len(v) - 3)):
                return v

    def date(y0: int, y1: int) -> tuple[int, int, int]:
        return rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28)

    def usable(templates: list[str]) -> list[str]:  # a template whose own words hold a PHI word of the note is not used
        return [t for t in templates if not avoid & {w.lower() for w in re.findall(r"[^\W\d_]+", re.sub(r"\{\w+\}", " ", t))}]

    families = rng.sample(_EXTRA19_FAMILIES, 3)
    lig = "ligature" in families
    g = draw(_EXTRA19_LIG_GIVEN if lig and rng.random() < 0.5 else _EXTRA19_GIVEN)
    s = draw(_EXTRA19_LIG_SURNAMES if lig else _EXTRA19_SURNAMES, 0.0 if lig else 0.25)
    s2 = draw(_EXTRA19_SURNAMES)
    by = rng.random()
    login = (g[0] + s if by < 0.5 else s + g[0] if by < 0.8 else s[:6] + g[:2]).lower()
    by_, bm, bd = date(1930, 2005)
    dy, dm, dd = date(2018, 2026)
    values = dict(G=g, S=s, GU=g.upper(), SU=s.upper(), g=g.lower(), s=s.lower(), G0=g[0], SG=s + g[0], S2=s2, L=login,
                  I=rng.choice("ABCDEFGHJKLMNPRSTW"), M=number(rng.choice([7, 8, 9])), A=number(rng.choice([7, 8])),
                  B=rng.choice([f"{bm:02d}/{bd:02d}/{by_}", f"{bm}/{bd}/{by_}"]), D=f"{dm:02d}/{dd:02d}/{dy}",
                  Dc=f"{dy}{dm:02d}{dd:02d}", Di=f"{dy}-{dm:02d}-{dd:02d}", H=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                  F=number(10), F2=number(10), P=str(rng.randint(2, 4)), Q=str(rng.randint(5, 9)), _=" " * rng.randint(3, 10))
    phi_keys = ("G", "S", "GU", "SU", "g", "s", "SG", "S2", "L", "M", "A", "B", "D", "Dc", "Di", "F", "F2")
    lines: list[str] = []
    phis: list[str] = []

    def fill(t: str, **more: str) -> str:
        for key in phi_keys:
            if "{" + key + "}" in t:
                phis.append(values[key])
        return t.format(**values, **more)

    def cut(w: str) -> tuple[str, str]:
        k = rng.randint(2, len(w) - 2)
        return w[:k], w[k:]

    for fam in families:
        if fam == "banner":  # a page header or a fax banner dropped between the two halves of a clinical sentence
            words_ = rng.choice(CLINICAL).split()
            k = rng.randint(2, len(words_) - 2)
            brk = "\n\f" if rng.random() < 0.3 else "\n"
            lines.append(" ".join(words_[:k]) + brk + fill(rng.choice(usable(_EXTRA19_BANNERS))) + "\n" + " ".join(words_[k:]))
        elif fam == "wrap":  # a hyphen at a line's end inside a name or a number
            t = rng.choice(usable(_EXTRA19_WRAPS))
            if "MRN" in t:
                a, b = cut(values["M"])
                phis.append(values["M"])
                lines.append(t.format(W=f"{a}-\n{b}"))
            else:
                a, b = cut(s) if rng.random() < 0.7 or len(g) < 4 else cut(g)
                w = f"{g} {a}-\n{b}" if a + b == s else f"{a}-\n{b} {s}"
                phis.extend([g, s])
                lines.append(t.format(W=w))
        elif fam == "hidden":  # soft hyphens and zero-width characters inside a name or a number
            t = rng.choice(usable(_EXTRA19_HIDDEN))
            target = values["A"] if "Acct" in t else values["M"] if "MRN" in t else s
            chars = list(target)
            for k in sorted(rng.sample(range(1, len(target)), min(len(target) - 1, rng.randint(1, 2))), reverse=True):
                chars.insert(k, rng.choice(_INVISIBLE))
            hidden = "".join(chars)
            phis.append(target)
            if target == s:
                hidden = f"{g} {hidden}"
                phis.append(g)
            lines.append(t.format(W=hidden, B=values["B"]) if "{B}" in t else t.format(W=hidden))
            if "{B}" in t:
                phis.append(values["B"])
        elif fam == "ligature":  # a ligature (U+FB00-FB04) inside the name, as a PDF's text layer keeps it
            full = f"{g} {s}"
            for plain, ligature in _LIGATURES:
                full = full.replace(plain, ligature)
            phis.extend([g, s])
            lines.append(rng.choice(usable(_EXTRA19_LIGS)).format(W=full))
        elif fam == "spaced":  # a letter-spaced name (a PDF's character spacing read as blanks)
            t = rng.choice(usable(_EXTRA19_SPACED))
            sp = " ".join(s.upper() if t.startswith(("N A", "P A")) else s)
            w = f"{sp} ,  {' '.join(g.upper())}" if t.startswith("N A") else f"{g} {sp}"
            phis.extend([g, s])
            lines.append(fill(t.replace("{W}", w)))
        elif fam == "ocr":  # a number read by OCR with look-alike letters for digits
            t = rng.choice(usable(_EXTRA19_OCR))
            target = values["B"] if t.startswith("DOB") else values["A"] if "Acct" in t else values["M"]
            phis.append(target)
            lines.append(fill(t.replace("{W}", _ocr(rng, target))))
        elif fam == "path":  # a file name or path that carries the patient
            lines.append(fill(rng.choice(usable(_EXTRA19_PATHS))))
        else:  # two columns of a form read across: labels and values interleave
            lines.append(fill(rng.choice(usable(_EXTRA19_COLUMNS))))
    text = "\n".join(lines)
    if rng.random() < 0.3:
        text = text.lower()
        phis = [p.lower() for p in phis]
    out: dict[str, str] = {}
    for p in phis:  # one value a word, whatever its case
        out.setdefault(p.lower(), p)
    return text, [Phi("extracted", p) for p in out.values()]
#: the people, places and numbers of :data:`EXTRA20_KINDS` (none of them used by a kind before; the streets and
#: about half the towns invented)
_INTL_GIVEN = ["Hans", "Jürgen", "María", "Søren", "Anaïs", "Björn", "Aoife", "Siobhán", "Ragnhild", "Matthias", "Élodie",
               "Pilar", "Dagfinn", "Gunnhild", "Renske", "Iñaki", "Radhika", "Ludovic", "Friedhelm", "Mairéad", "Olga", "Sergei"]
_INTL_FAMILY = ["Müller", "Schäfer", "Weinsberger", "Lindahl", "Brønderslev", "Ó Súilleabháin", "Quennell", "Fauchère",
                "Kowalczuk", "Ravnkilde", "Duvernoy", "Hasselbruch", "Iyengar", "Mørkeberg", "Trautwein", "Fenwick-Bray"]
_INTL_SPANISH = ["García", "López", "Fernández", "Ybarra", "Etxeberria", "Olazábal", "Quiroga", "Santamaría"]
_INTL_DUTCH = ["Hoevel", "Brink", "Wetering", "Velde", "Kamp", "Heuvel"]  # after van / van der / van den / de
_INTL_PATRONYM = [("Sergei", "Ivanovich", "Morozov"), ("Olga", "Petrovna", "Volkova"), ("Dmitri", "Alexeyevich", "Zhdanov"),
                  ("Anna", "Sergeyevna", "Kuznetsova"), ("Jón", "Sigurðsson", ""), ("Guðrún", "Einarsdóttir", "")]
_INTL_MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"],
}
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
_MON3 = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_INTL_STREET = ["Quellenhof", "Brackenholt", "Wendelstein", "Tirrelmoor", "Aldwinckle", "Penhallow", "Clarimond", "Vasterbeck"]
#: (country, towns): the town a postcode of that country goes with
_INTL_TOWNS = {
    "uk": ["Netherstowe", "Hawleigh", "Kirkbrampton", "Tewkesbury"],
    "ca": ["Ottawa", "Rimouski", "Trois-Rivières", "Saskatoon", "Kenmoorvale"],
    "de": ["Berlin", "Oberwaldau", "Kleinmachnow", "Tölzingen"],
    "fr": ["Paris", "Lyon", "Saint-Ouvrant", "Montbrison"],
    "es": ["Madrid", "Zaragoza", "Villarrubio", "Alcobendas"],
    "ch": ["Zürich", "Winterthur", "Langnau"],
}
_INTL_FIELD = {  # labels of a field, by what it holds (English and the country's own)
    "dob": ["DOB", "Date of birth", "Geburtsdatum", "Date de naissance", "Fecha de nacimiento", "Data di nascita", "Geb.", "né(e) le", "F. nac."],
    "date": ["Seen", "Admitted", "Aufnahme", "Date d'entrée", "Fecha de ingreso", "Ricovero", "Opnamedatum"],
    "phone": ["Tel.", "Tél.", "Telefon", "Handy", "Mobil", "portable", "móvil", "Mob", "Phone", "Telefono"],
    "address": ["Address", "Adresse", "Anschrift", "Dirección", "Indirizzo", "Domicile"],
    "name": ["Name", "Nom", "Nombre", "Cognome, Nome", "Patient", "Patientin", "Paciente"],
}


def _intl_date(rng: random.Random) -> str:
    y, m, d = rng.randint(1931, 2021), rng.randint(1, 12), rng.randint(1, 28)
    yy = f"{y % 100:02d}"
    lang = rng.choice(sorted(_INTL_MONTHS))
    mw = _INTL_MONTHS[lang][m - 1]
    return rng.choice([
        f"{d:02d}/{m:02d}/{y}", f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}", f"{d:02d}-{m:02d}-{y}", f"{d:02d} {m:02d} {y}",
        f"{d}-{_MON3[m - 1]}-{yy}", f"{d:02d}-{_MON3[m - 1].upper()}-{y}", f"{d}.{_ROMAN[m - 1]}.{y}", f"{y}-{m:02d}-{d:02d}",
        f"{y}.{m:02d}.{d:02d}", f"{d}/{m}/{yy}", f"{d:02d}.{m:02d}.{yy}",
        f"{d} {_INTL_MONTHS['fr'][m - 1]} {y}", f"{d}. {_INTL_MONTHS['de'][m - 1]} {y}",
        f"{d} de {_INTL_MONTHS['es'][m - 1]} de {y}", f"{d} {mw} {y}", f"{d} de {_INTL_MONTHS['pt'][m - 1]} de {y}",
    ])


def _intl_id(rng: random.Random) -> tuple[str, str]:
    """(label, value): a national health or person number of another country (invented)."""
    def d(n: int) -> str:
        return "".join(str(rng.randint(0, 9)) for _ in range(n))
    L = "ABCEGHJKLMNPRSTWXYZ"
    y, m, day = rng.randint(30, 99), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([
        (rng.choice(["NHS No", "NHS number", "NHS no.", "NHS #"]), f"{rng.randint(401, 799)} {d(3)} {d(4)}"),
        (rng.choice(["CHI", "CHI number"]), f"{day:02d}{m:02d}{y:02d}{d(4)}"),
        (rng.choice(["NINO", "NI number", "National Insurance No"]),
         f"{rng.choice(L)}{rng.choice(L)} {d(2)} {d(2)} {d(2)} {rng.choice('ABCD')}"),
        (rng.choice(["OHIP", "Health card", "Carte santé", "RAMQ"]), f"{rng.randint(1000, 9999)}-{d(3)}-{d(3)}-{rng.choice(L)}{rng.choice(L)}"),
        (rng.choice(["SIN", "NAS", "Social insurance number"]), f"{rng.randint(100, 899)} {d(3)} {d(3)}"),
        (rng.choice(["Medicare", "Medicare card", "Medicare no."]), f"{rng.randint(2, 6)}{d(3)} {d(5)} {rng.randint(1, 9)}"),
        (rng.choice(["AHV", "AVS", "AHV-Nr.", "No AVS"]), f"756.{d(4)}.{d(4)}.{d(2)}"),
        (rng.choice(["KVNR", "Versichertennummer", "Krankenversichertennummer", "Vers.-Nr."]), f"{rng.choice(L)}{rng.randint(1, 9)}{d(8)}"),
        (rng.choice(["NIR", "N° de sécurité sociale", "numéro de sécu", "INSEE"]),
         f"{rng.randint(1, 2)} {y:02d} {m:02d} {rng.randint(1, 95):02d} {d(3)} {d(3)} {d(2)}"),
        (rng.choice(["DNI", "NIF"]), f"{rng.randint(10, 99)}{d(6)}{rng.choice(L)}"),
        (rng.choice(["NIE", "Tarjeta sanitaria"]), f"{rng.choice('XYZ')}{rng.randint(1, 9)}{d(6)}{rng.choice(L)}"),
        (rng.choice(["CPR", "CPR-nr.", "CPR nr"]), f"{day:02d}{m:02d}{y:02d}-{d(4)}"),
        (rng.choice(["personnummer", "Personnummer", "pnr"]), rng.choice([f"19{y:02d}{m:02d}{day:02d}-{d(4)}", f"{y:02d}{m:02d}{day:02d}-{d(4)}"])),
        (rng.choice(["Aadhaar", "Aadhaar no.", "UID"]), f"{rng.randint(2, 9)}{d(3)} {d(4)} {d(4)}"),
        (rng.choice(["BSN", "burgerservicenummer"]), f"{rng.randint(1, 9)}{d(8)}"),
        (rng.choice(["Codice fiscale", "CF"]),
         f"{''.join(rng.choice(L) for _ in range(6))}{y:02d}{rng.choice('ABCDEHLMPRST')}{day:02d}{rng.choice(L)}{d(3)}{rng.choice(L)}"),
    ])


def _intl_phone(rng: random.Random) -> str:
    def d(n: int) -> str:
        return "".join(str(rng.randint(0, 9)) for _ in range(n))
    a, b = str(rng.randint(2, 8)), f"{rng.randint(1, 9)}{d(3)}"
    return rng.choice([
        f"+44 20 {rng.randint(3, 8)}{d(3)} {d(4)}", f"0044 20 {rng.randint(3, 8)}{d(3)} {d(4)}", f"(020) {rng.randint(3, 8)}{d(3)} {d(4)}",
        f"07{d(3)} {d(6)}", f"0{a}{d(1)} {d(2)} {d(2)} {d(2)} {d(2)}", f"+33 {a} {d(2)} {d(2)} {d(2)} {d(2)}",
        f"+49 (0)30 {rng.randint(2, 9)}{d(6)}", f"0171/{rng.randint(2, 9)}{d(6)}", f"+49 171 {rng.randint(2, 9)}{d(6)}",
        f"+34 6{d(2)} {d(3)} {d(3)}", f"+46 8 {d(3)} {d(3)} {d(2)}", f"+61 2 {b} {d(4)}", f"+91 9{d(4)} {d(5)}",
        f"+41 44 {d(3)} {d(2)} {d(2)}", f"+1 613-{rng.randint(201, 989)}-{d(4)}",
    ])


def _intl_address(rng: random.Random) -> tuple[list[str], list[str]]:
    """(lines, values): a postal address of another country and the words and codes that identify it."""
    country = rng.choice(sorted(_INTL_TOWNS))
    town = rng.choice(_INTL_TOWNS[country])
    st = rng.choice(_INTL_STREET)
    n = rng.randint(2, 148)
    U = "ABDEFGHJLNPQRSTUWXYZ"
    if country == "uk":
        pc = rng.choice([f"{rng.choice(U)}{rng.choice(U)}{rng.randint(1, 9)}{rng.choice(U)} {rng.randint(1, 9)}{rng.choice(U)}{rng.choice(U)}",
                         f"{rng.choice(U)}{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice(U)}{rng.choice(U)}",
                         f"{rng.choice(U)}{rng.choice(U)}{rng.randint(10, 99)} {rng.randint(1, 9)}{rng.choice(U)}{rng.choice(U)}"])
        street = rng.choice([f"{n} {st} Road", f"Flat {rng.randint(1, 9)}, {n} {st} Close", f"{st} House, {st} Lane"])
        return [street, town, pc], [st, town, pc]
    if country == "ca":
        C = "ABCEGHJKLMNPRSTVXY"  # the letters a Canadian postal code uses
        pc = f"{rng.choice(C)}{rng.randint(1, 9)}{rng.choice(C)} {rng.randint(0, 9)}{rng.choice(C)}{rng.randint(1, 9)}"
        prov = rng.choice(["ON", "QC", "SK", "NS", "BC"])
        street = rng.choice([f"{n} rue {st}", f"{n} {st} Avenue, apt {rng.randint(1, 40)}", f"{rng.randint(100, 999)}-{n} {st} Street"])
        return [street, f"{town}, {prov} {pc}"], [st, town, pc]
    pc = {"de": f"{rng.randint(10, 99)}{rng.randint(100, 999)}", "fr": f"{rng.randint(10, 95)}{rng.randint(0, 999):03d}",
          "es": f"{rng.randint(10, 52)}{rng.randint(0, 999):03d}", "ch": f"{rng.randint(1000, 9658)}"}[country]
    street = {"de": rng.choice([f"{st}straße {n}", f"{st}weg {n}a", f"{st}str. {n}, Whg. {rng.randint(1, 12)}"]),
              "fr": rng.choice([f"{n} rue {st}", f"{n} bis, avenue {st}", f"{n}, allée {st}"]),
              "es": rng.choice([f"Calle {st} {n}, {rng.randint(1, 9)}º {rng.randint(1, 4)}ª", f"Avda. {st}, {n}", f"C/ {st} {n}"]),
              "ch": rng.choice([f"{st}gasse {n}", f"{st}strasse {n}"])}[country]
    word = st if country in ("fr", "es") else street.split()[0].rstrip(".")  # a German street is one word
    prefix = rng.choice(["", "", "D-" if country == "de" else "F-" if country == "fr" else "E-" if country == "es" else "CH-"])
    return [street, f"{prefix}{pc} {town}"], [word, town, pc]


def _intl_name(rng: random.Random) -> tuple[str, list[str]]:
    """(written, values): a name in the order and form of another country."""
    form = rng.randrange(6)
    g = rng.choice(_INTL_GIVEN)
    if form == 0:
        f = rng.choice(_INTL_FAMILY)
        return f"{f.upper()}, {g}", [f, g]
    if form == 1:
        f = rng.choice(_INTL_FAMILY)
        return f"{g} {f.upper()}", [g, f]
    if form == 2:
        f = rng.choice(_INTL_DUTCH)
        p = rng.choice(["van", "van der", "van den", "de"])
        k = rng.randrange(3)
        return [f"{p} {f}, {g[0]}.", f"{g} {p} {f}", f"{f}, {g} {p}"][k], [f] if k == 0 else [f, g]
    if form == 3:
        a, b = rng.sample(_INTL_SPANISH, 2)
        return rng.choice([f"{a} {b}, {g}", f"{g} {a} {b}", f"{a.upper()} {b.upper()}, {g}"]), [a, b, g]
    if form == 4:
        p = rng.choice(_INTL_PATRONYM)
        return " ".join(x for x in p if x), [x for x in p if x]
    f = rng.choice(_INTL_FAMILY)
    return f"{rng.choice(['Herr', 'Frau', 'M.', 'Mme', 'Sr.', 'Sra.', 'Dña.'])} {g} {f}", [g, f]


def _extra20(seed: int, i: int, avoid: frozenset[str], note_text: str) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA20_KINDS` for note ``i``: the piece after the Safe Harbor identifiers and its PHI
    (a patient's name, birth date, a visit date, two national numbers, an address and a phone, as another
    country writes them, in one of four layouts; a value never shares a word with the note's PHI, nor a digit
    group of four or more, nor its digits, with the note)."""
    rng = random.Random(f"canary-extra20-{seed}-{i}")
    note_digits = re.sub(r"\D", " ", note_text)
    note_flat = re.sub(r"\D", "", note_text)

    def clash(values: list[str]) -> bool:
        for v in values:
            if avoid & {w.lower() for w in re.findall(r"[^\W\d_]+", v)}:
                return True
            digits = re.sub(r"\D", "", v)
            if any(re.search(rf"(?<!\d){g}(?!\d)", note_digits) for g in re.findall(r"\d{4,}", v)):
                return True
            if len(digits) >= 6 and digits in note_flat:
                return True
        return False

    def draw(make: Callable[[], tuple[Any, Any]]) -> Any:
        while True:
            got = make()
            if not clash(got[1] if isinstance(got[1], list) else [got[1]]):
                return got

    while True:  # nor a title's or a particle's word ("Sr." beside the initials "sr" of a signature)
        name, name_values = draw(lambda: _intl_name(rng))
        if not avoid & {w.lower() for w in re.findall(r"[^\W\d_]+", name)}:
            break
    dob = draw(lambda: ("", _intl_date(rng)))[1]
    seen = draw(lambda: ("", _intl_date(rng)))[1]
    def draw_id() -> tuple[str, str]:  # (a label is never a PHI word of the note either: "CF", "CPR-nr." beside initials "cf", "nr")
        while True:
            label, value = draw(lambda: _intl_id(rng))
            if not avoid & {w.lower() for w in re.findall(r"[^\W\d_]+", label)}:
                return label, value

    (l1, id1), (l2, id2) = draw_id(), draw_id()
    addr, addr_values = draw(lambda: _intl_address(rng))
    phone = draw(lambda: ("", _intl_phone(rng)))[1]
    lab = {k: rng.choice(v) for k, v in _INTL_FIELD.items()}
    layout = rng.choice(["field", "table", "prose", "letter"])
    if layout == "field":
        rows = [(lab["name"], name), (lab["dob"], dob), (l1, id1), (l2, id2), (lab["address"], ", ".join(addr)),
                (lab["phone"], phone), (lab["date"], seen)]
        sep = rng.choice([": ", ":\n", " ", ":  "])
        text = "\n".join(f"{k}{sep}{v}" for k, v in rows)
    elif layout == "table":
        rows = [(lab["name"], name), (lab["dob"], dob), (l1, id1), (l2, id2), (lab["address"], ", ".join(addr)),
                (lab["phone"], phone), (lab["date"], seen)]
        cell = rng.choice(["| {k} | {v} |", "{k}\t{v}", "{k}\t|\t{v}"])
        text = "\n".join(cell.format(k=k, v=v) for k, v in rows)
    elif layout == "prose":
        text = rng.choice([
            f"{name}, born {dob}, {l1} {id1}, lives at {', '.join(addr)}; reachable on {phone}. "
            f"Seen on {seen} for follow-up; {l2} {id2} on file.",
            f"Referred from abroad: {name} ({l1} {id1}; {l2} {id2}), date of birth {dob}, was admitted {seen}. "
            f"Home: {', '.join(addr)}. Family can be called on {phone}.",
            f"The patient, {name}, {lab['dob']} {dob}, was seen {seen}. Contact {phone}, {' '.join(addr)}. "
            f"Insurance: {l1} {id1}, {l2} {id2}.",
        ])
    else:
        text = "\n".join([name, *addr, f"{lab['phone']} {phone}", "",
                          f"Re: {name}, {lab['dob']} {dob}, {l1}: {id1}",
                          f"Dear colleague, I saw this patient on {seen}. {l2} {id2}."])
    values = [*name_values, dob, seen, id1, id2, *addr_values, phone]
    if rng.random() < 0.3:
        text = text.lower()
        values = [v.lower() for v in values]
    return text, [Phi("intl", v) for v in values]


_WORK_OWN = ["Summit", "Blue Heron", "Red Maple", "Ironwood", "Northgate", "Tall Pines", "Silver Creek", "Keystone",
             "Copperline", "Bright Horizons", "Lakeshore", "Granite Peak", "Old Mill", "Twin Rivers", "Sunflower",
             "Kestrel", "Blackthorn", "Windward", "Cedar Hollow", "Falcon Ridge"]
_WORK_TAIL = ["Logistics", "Hardware", "Roofing", "Plumbing & Heating", "Tool & Die", "Packaging", "Auto Body",
              "Dental Group", "Insurance Agency", "Foods", "Manufacturing", "Credit Union", "Veterinary Clinic", "Diner",
              "Construction", "Landscaping", "& Sons", "Bakery", "Trucking", "Machine Works", "Print Shop",
              "Distribution Center", "Marine Supply", "Pet Grooming"]
_SCHOOL_TAIL = ["Elementary", "Elementary School", "Middle School", "High School", "Academy", "Montessori",
                "Community College", "Day School", "Preschool", "Learning Center", "Christian Academy"]
_JOBS = ["welder", "cashier", "forklift operator", "line cook", "bookkeeper", "delivery driver", "machinist",
         "receptionist", "warehouse associate", "dental hygienist", "roofer", "baker", "dispatcher", "mechanic"]
_WORK_TEMPLATES = {
    "field": ["Employer: {W}", "Occupation: {J} at {W}", "Place of employment: {W}", "EMPLOYER | {W}",
              "Employer:\t{W}\tOccupation:\t{J}", "School: {S} ({G} grade)", "Employer/School: {S}",
              "Work: {W} ({J})", "Employment status: employed full time, {W}"],
    "prose": ["Works at {W} as a {J}.", "Employed by {W} for 12 years, on her feet all day.",
              "Retired from {W} two years ago.", "He is a {J} at {W}.", "Works night shift at the {W} warehouse.",
              "Owns {W} with her brother.", "Husband works for {W}; insurance through his job.",
              "Attends {S}, {G} grade; no IEP.", "Is a sophomore at {S}.", "Goes to daycare at {S} three days a week.",
              "Out of work since {W} closed in the spring.", "She teaches at {S} and is off for the summer."],
    "question": ["Can I get a work note for {W}?", "Does he need a letter for {S} about missed days?",
                 "Is it safe to go back to work at {W} on Monday?", "Should she stay home from {S} this week?"],
}

#: the words of the piece around an org (a value never is one of them)
_WORK_FRAME = " ".join([*(t for ts in _WORK_TEMPLATES.values() for t in ts), *_WORK_TAIL, *_SCHOOL_TAIL, *_JOBS])


def _extra22(seed: int, i: int, avoid: frozenset[str], note_text: str) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA22_KINDS` for note ``i``: one or two organisations tied to the patient (an employer,
    a school) in one layout; a value is an org's own words (never a word of the note)."""
    rng = random.Random(f"canary-extra22-{seed}-{i}")
    note_words = {w.lower() for w in re.findall(r"[^\W\d_]+", note_text + " " + _WORK_FRAME)} | set(avoid)

    def own() -> list[str]:
        while True:
            r = rng.random()
            if r < 0.35:
                words = [_invented(rng)]
            elif r < 0.6:
                words = [rng.choice([f for f in _FAMILY if " " not in f])]
            else:
                words = rng.choice(_WORK_OWN).split()
            if not any(x.lower() in note_words or x.lower() in _CLINICAL_WORDS
                       for w in words for x in re.findall(r"[^\W\d_]+", w)):
                return words

    w_own, s_own = own(), own()
    work = " ".join(w_own) + ("'s" if len(w_own) == 1 and rng.random() < 0.25 else "") + " " + rng.choice(_WORK_TAIL)
    school = " ".join(s_own) + " " + rng.choice(_SCHOOL_TAIL)
    layout = rng.choice(list(_WORK_TEMPLATES))

    def free(t: str) -> bool:  # a template's or a job's own words are never a PHI word of the note ("baker", "summer")
        return not ({w.lower() for w in re.findall(r"[^\W\d_]+", re.sub(r"\{\w\}", " ", t))} & avoid)

    templates = [t for t in _WORK_TEMPLATES[layout] if free(t)]
    jobs = [j for j in _JOBS if free(j)]
    picks = rng.sample(templates, 2 if layout != "question" else 1)
    lines = [t.format(W=work, S=school, J=rng.choice(jobs), G=rng.choice(["2nd", "5th", "8th", "11th"]))
             for t in picks]
    text = ("\n" if layout == "field" else " ").join(lines)
    values = (w_own if any("{W}" in t for t in picks) else []) + (s_own if any("{S}" in t for t in picks) else [])
    if rng.random() < 0.3:
        text, values = text.lower(), [v.lower() for v in values]
    return text, [Phi("workplace", v) for v in values]
#: the people of :data:`EXTRA21_KINDS` (none of them used by a kind before; a quarter of the names invented);
#: the clinicians are dictating or copied, the relatives are named with the patient's surname or their own
_SPOKEN_GIVEN = ["Philippa", "Barnaby", "Rosamund", "Tamsin", "Crispin", "Ambrose", "Godfrey", "Wystan", "Araminta",
                 "Jessamy", "Hyacinth", "Benedick", "Clementine", "Ptolemy", "Ermengarde", "Esmerelda", "Isadora", "Lavinia",
                 "Mehitabel", "Nicodemus", "Obadiah", "Thomasina", "Zillah", "Marmaduke", "Euphemia", "Gwendolen", "Horatio"]
_SPOKEN_SURNAMES = ["Pennycook", "Trelawney", "Ollerenshaw", "Braithwaite", "Mossop", "Cruickshank", "Sillitoe", "Haworth",
                    "Postlethwaite", "Yeardley", "Venables", "Kettlewell", "Dimmock", "Greatorex", "Blenkinsop", "Quarmby",
                    "Thewlis", "Ackroyd", "Hinchliffe", "Openshaw", "Sugden", "Wrigglesworth", "Fothergill", "Allardyce",
                    "Ormerod", "Pickersgill", "Rimmington", "Scattergood", "Tunnicliffe", "Brocklehurst", "Cowperthwaite"]
_SPOKEN_RELATIVE_GIVEN = ["Ignatia", "Jemima", "Leopold", "Millicent", "Octavia", "Cornelius", "Roderick", "Wilfred",
                          "Thaddea", "Ysolde", "Bellamy", "Corisande"]
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORD_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_ORD_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
              "eighteenth", "nineteenth"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
           "december"]
_NATO = {"a": "alpha", "b": "bravo", "c": "charlie", "d": "delta", "e": "echo", "f": "foxtrot", "g": "golf", "h": "hotel",
         "i": "india", "j": "juliet", "k": "kilo", "l": "lima", "m": "mike", "n": "november", "o": "oscar", "p": "papa",
         "q": "quebec", "r": "romeo", "s": "sierra", "t": "tango", "u": "uniform", "v": "victor", "w": "whiskey",
         "x": "x-ray", "y": "yankee", "z": "zulu"}
#: the words a dictator gives for a letter (``q as in queen``)
_AS_IN = {"a": "apple", "b": "boy", "c": "cat", "d": "david", "e": "edward", "f": "frank", "g": "george", "h": "henry",
          "i": "ida", "j": "john", "k": "king", "l": "larry", "m": "mary", "n": "nancy", "o": "ocean", "p": "peter",
          "q": "queen", "r": "robert", "s": "sam", "t": "tom", "u": "umbrella", "v": "victory", "w": "william",
          "x": "xylophone", "y": "yellow", "z": "zebra"}
#: clinical dictation with numbers in words: no PHI (must stay unmasked); the line a bench counts as a clinical sentence
_SPOKEN_CLINICAL = [
    "blood pressure one forty over ninety heart rate eighty eight",
    "albuterol inhaler two puffs twice a day as needed",
    "metoprolol twenty five milligrams by mouth twice daily",
    "there is a grade two over six systolic murmur at the left sternal border",
    "she will follow up in two weeks with repeat labs",
    "admitted for a period of observation overnight",
    "alert and oriented times three",
    "temperature ninety eight point six oxygen saturation ninety six percent on room air",
    "hemoglobin eleven point two platelets two hundred and ten",
    "lisinopril ten milligrams once daily number thirty with three refills",
    "ejection fraction fifty five to sixty percent",
    "pain is a four out of ten today",
]


def _say_digits(rng: random.Random, digits: str) -> str:
    """``digits`` read out one by one (``oh`` or ``zero`` for 0, ``double`` / ``triple`` for a repeat) or in pairs
    (``forty eight seventeen``, ``oh seven``; a lone digit first when the count is odd)."""
    if rng.random() < 0.3 and len(digits) >= 4:
        words = []
        if len(digits) % 2:
            words.append(_UNITS[int(digits[0])] if digits[0] != "0" else "oh")
            digits = digits[1:]
        for k in range(0, len(digits), 2):
            a, b = int(digits[k]), int(digits[k + 1])
            if a == 0:
                words += ["oh", "oh" if b == 0 else _UNITS[b]]
            elif a == 1:
                words.append(_TEENS[b])
            else:
                words += [_TENS[a]] + ([_UNITS[b]] if b else [])
        return " ".join(words)
    zero = rng.choice(["oh", "zero"])
    words, k = [], 0
    while k < len(digits):
        run = len(digits[k:]) - len(digits[k:].lstrip(digits[k]))
        w = zero if digits[k] == "0" else _UNITS[int(digits[k])]
        if run >= 3 and rng.random() < 0.6:
            words += ["triple", w]
            k += 3
        elif run >= 2 and rng.random() < 0.6:
            words += ["double", w]
            k += 2
        else:
            words.append(w)
            k += 1
    return " ".join(words)


def _say_number(n: int) -> str:
    """``n`` (0-9999) as said: ``ninety two``, ``one hundred and one``, ``nineteen sixty one`` (a year)."""
    if n < 10:
        return _UNITS[n]
    if n < 20:
        return _TEENS[n - 10]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _UNITS[n % 10])
    if n < 1000:
        rest = n % 100
        return _UNITS[n // 100] + " hundred" + ("" if rest == 0 else " and " + _say_number(rest))
    return _say_number(n // 100) + " " + ("hundred" if n % 100 == 0 else "oh " + _UNITS[n % 100] if n % 100 < 10
                                           else _say_number(n % 100))


def _say_year(rng: random.Random, y: int) -> str:
    if y >= 2000 and (y < 2010 or rng.random() < 0.5):
        return "two thousand" + (" and " if rng.random() < 0.5 else " ") + _say_number(y - 2000) if y > 2000 else "two thousand"
    return _say_number(y)


def _say_ordinal(d: int) -> str:
    if d < 10:
        return _ORD_UNITS[d]
    if d < 20:
        return _ORD_TEENS[d - 10]
    if d % 10 == 0:
        return _TENS[d // 10][:-1] + "ieth"
    return _TENS[d // 10] + " " + _ORD_UNITS[d % 10]


def _spell(rng: random.Random, name: str) -> str:
    """``name``'s letters as a dictator spells them: spaced, hyphenated, ``q as in queen``, NATO words."""
    letters = [c for c in name.lower() if c.isalpha()]
    how = rng.randrange(4)
    if how == 0:
        return " ".join(letters)
    if how == 1:
        return "-".join(c.upper() for c in letters)
    if how == 2:
        return " ".join(f"{c} as in {_AS_IN[c]}" if k == 0 or rng.random() < 0.4 else c for k, c in enumerate(letters))
    return " ".join(_NATO[c] for c in letters)


_NUM_UNITS = {w: k for k, w in enumerate(_UNITS)} | {"oh": 0}
_NUM_TEENS = {w: 10 + k for k, w in enumerate(_TEENS)}
_NUM_TENS = {w: k * 10 for k, w in enumerate(_TENS) if w}
_NUM_ORD = {w: k for k, w in enumerate(_ORD_UNITS) if w} | {w: 10 + k for k, w in enumerate(_ORD_TEENS)} | {
    "twentieth": 20, "thirtieth": 30}
_NUM_WORDS = frozenset(_NUM_UNITS) | frozenset(_NUM_TEENS) | frozenset(_NUM_TENS) | frozenset(_NUM_ORD) | {
    "hundred", "thousand", "double", "triple"}
_NATO_LETTER = {w.replace("-", ""): c for c, w in _NATO.items()} | {"alfa": "a", "juliett": "j", "whisky": "w"}
#: spoken punctuation and what it stands for
_SPOKEN_MARKS = {"comma": ",", "period": ".", "colon": ":", "semicolon": ";", "slash": "/", "dash": "-", "hyphen": "-"}


def _read_number(toks: list[str], k: int) -> tuple[str | None, int]:
    """The digits of the number words from ``toks[k]`` on (``nineteen sixty one`` 1961, ``double oh seven`` 007,
    ``one hundred and one`` 101, ``two thousand and four`` 2004; an ordinal ends the number) and the token after
    them; ``None`` where ``toks[k]`` starts none (``oh`` alone is a word)."""
    n, j, s, parts = len(toks), k, "", 0

    def nxt(m: int) -> str:
        return toks[m] if m < n else ""

    def small(m: int) -> tuple[int, int]:  # 1-99 from toks[m] ((0, m) if none)
        w = nxt(m)
        if w in _NUM_TENS:
            h = 1 if nxt(m + 1) == "-" else 0  # "sixty-one"
            return (_NUM_TENS[w] + _NUM_UNITS[nxt(m + 1 + h)], m + 2 + h) if nxt(m + 1 + h) in _NUM_UNITS and \
                _NUM_UNITS[nxt(m + 1 + h)] else (_NUM_TENS[w], m + 1)
        if w in _NUM_TEENS:
            return _NUM_TEENS[w], m + 1
        if w in _NUM_UNITS and w != "oh" and _NUM_UNITS[w]:
            return _NUM_UNITS[w], m + 1
        return 0, m

    while j < n:
        w = toks[j]
        if w == "-" and s and nxt(j + 1) in _NUM_WORDS:  # "sixty-one"
            j += 1
            continue
        if w in ("double", "triple") and nxt(j + 1) in _NUM_UNITS:
            s += str(_NUM_UNITS[nxt(j + 1)]) * (2 if w == "double" else 3)
            j, parts = j + 2, parts + 2
            continue
        if w in _NUM_ORD:
            return s + str(_NUM_ORD[w]), j + 1
        if w in _NUM_TENS:
            if nxt(j + 1) in _NUM_ORD and _NUM_ORD[nxt(j + 1)] < 10:
                return s + str(_NUM_TENS[w] + _NUM_ORD[nxt(j + 1)]), j + 2
            v, j = small(j)
            s, parts = s + str(v), parts + 1
            continue
        if w in _NUM_TEENS:
            s, j, parts = s + str(_NUM_TEENS[w]), j + 1, parts + 1
            continue
        if w in _NUM_UNITS:
            u = _NUM_UNITS[w]
            if nxt(j + 1) in ("hundred", "thousand") and u:
                v, j = u * (100 if nxt(j + 1) == "hundred" else 1000), j + 2
                if v >= 1000 and nxt(j + 1) == "hundred" and nxt(j) in _NUM_UNITS:
                    v, j = v + 100 * _NUM_UNITS[nxt(j)], j + 2
                if nxt(j) == "and" and nxt(j + 1) in _NUM_WORDS:
                    j += 1
                r, j = small(j)
                s, parts = s + str(v + r), parts + 1
                continue
            s, j, parts = s + str(u), j + 1, parts + 1
            continue
        break
    if not s or (parts == 1 and toks[k] == "oh"):
        return None, k
    return s, j


def spoken_reading(text: str) -> str:
    """``text`` as a person reads a dictation (for :func:`leaks`, kind ``spoken``): lower case, NFKC, number words
    as digits (``oh`` 0 among them, ``double five`` 55, ``nineteen sixty one`` 1961, an ordinal ends a number),
    ``q as in queen`` and a run of two or more NATO words as their letters, spoken punctuation as its mark; tokens
    joined by one blank (a name spelled out reads through :func:`_spoken_leak`, its letters maybe spaced or
    hyphenated)."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"(?<![^\W_])x-ray(?![^\W_])", "xray", t)
    toks = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|[^\w\s]|_", t)
    out: list[str] = []
    k, n = 0, len(toks)
    while k < n:
        w = toks[k]
        if len(w) == 1 and w.isalpha() and toks[k + 1:k + 3] == ["as", "in"] and k + 3 < n and toks[k + 3].isalpha():
            out.append(w)
            k += 4
            continue
        if w in _NATO_LETTER:
            j = k
            while j < n and toks[j] in _NATO_LETTER:
                j += 1
            if j - k >= 2:
                out.extend(_NATO_LETTER[x] for x in toks[k:j])
                k = j
                continue
        if w in _NUM_WORDS:
            digits, j = _read_number(toks, k)
            if digits is not None:
                out.append(digits)
                k = j
                continue
        out.append(_SPOKEN_MARKS.get(w, w))
        k += 1
    return " ".join(out)


def _spoken_flat(read: str) -> str:
    """A reading's digit groups run together where only blanks or marks part them (``555 , 213 - 0987``)."""
    return re.sub(r"(?<=\d)[\s,.;:/-]+(?=\d)", "", read)


def spoken_value(phrase: str) -> str:
    """The value a spoken phrase of :func:`_extra21` records: its reading's words and numbers (a date's slashes kept)."""
    return re.sub(r" ?/ ?", "/", " ".join(re.findall(r"[^\W_]+|/", spoken_reading(phrase))))


def _spoken_leak(value: str, read: str, flat: str) -> bool:
    """Whether a value of the ``spoken`` kind reads in ``read`` (:func:`spoken_reading` of the output): a number (digits
    and blanks) as an identifier (its digits, six or more, or a group of four or more, alone); a date or an age
    (words and numbers) as its phrase, whatever marks part its words; a name as a whole word whose letters may be
    spelled out (spaced, hyphenated, ``q as in queen``, NATO words)."""
    v = value.lower()
    if re.fullmatch(r"\d+(?: \d+)*", v):
        digits = v.replace(" ", "")
        return (len(digits) >= 6 and digits in flat) or any(re.search(rf"(?<!\d){g}(?!\d)", read) for g in v.split()
                                                           if len(g) >= 4)
    if re.search(r"\d", v):
        rx = r"[\W_]*".join(re.escape(w) for w in re.findall(r"[^\W_]+", v))
    else:
        rx = r"[\s.\-]*".join(re.escape(c) for c in v)
    return re.search(rf"(?<![^\W_]){rx}(?![^\W_])", read) is not None


#: the pieces of a dictation; ``<,>`` ``<.>`` ``<:>`` ``<P>`` its punctuation (said, written or dropped by the style),
#: {C}/{C2}/{C3} clinicians, {G}/{S} the patient, {SP}/{GP} a name spelled out, {R}/{RP} a relative and that name
#: spelled, {REL} the relation, {DOB}/{DOS} dates said, {MRN}/{ACCT} numbers said, {PH}/{RPH} phone numbers said, {AGE}
_SPOKEN_OPEN = [
    "this is doctor {C} dictating on {DOS} for patient {G} {S}",
    "doctor {C} dictating a clinic note on {S} <,> {G}",
    "this is {C} from cardiology dictating a consult on {G} {S} <,> date of service {DOS}",
    "good morning this is doctor {C} with a discharge summary for patient {S} {G}",
    "dictation for {G} {S} <,> doctor {C} dictating <,> date of visit {DOS}",
]
_SPOKEN_SPELL = [
    "last name {S} spelled {SP}",
    "that is {SP}",
    "patient name {G} {S} <,> last name {SP}",
    "spelling of the last name {SP} <,> first name {G} {GP}",
    "i will spell that {SP}",
]
_SPOKEN_ID = [
    "date of birth {DOB} <,> medical record number {MRN}",
    "d o b {DOB} <,> m r n {MRN}",
    "born {DOB} <,> record number is {MRN}",
    "medical record number {MRN} <,> birth date {DOB}",
    "m r n {MRN} <,> account number {ACCT} <,> date of birth {DOB}",
]
_SPOKEN_AGE = [
    "the patient is a {AGE} year old {SEX} seen today for follow up",
    "this {AGE} year old {SEX} presents with worsening shortness of breath",
    "age {AGE} <,> lives alone",
    "she is {AGE} years of age and lives with her {REL}",
]
_SPOKEN_FAMILY = [
    "her {REL} {R} is at the bedside and can be reached at {RPH}",
    "call back number {PH}",
    "please call the {REL} {R} {S} at {RPH} with results",
    "the {REL}'s name is {R} {RP} <,> phone {RPH}",
    "best contact number {PH} <,> or the {REL} {R} at {RPH}",
]
_SPOKEN_CLOSE = [
    "end of dictation",
    "cc doctor {C2}",
    "cc doctor {C2} and doctor {C3} <.> end of dictation",
    "thank you <.> this is doctor {C} signing off",
    "dictated but not read <.> cc doctor {C2}",
]
_SPOKEN_HEADS = ["history of present illness", "assessment and plan", "physical examination", "plan", "medications"]
_SPOKEN_RELATIONS = ["wife", "husband", "daughter", "son", "sister", "brother", "niece", "grandson"]


def _spoken_date(rng: random.Random, lo: int, hi: int) -> str:
    y = rng.choice([y for y in range(lo, hi + 1) if y % 100])
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([
        f"{_MONTHS[m - 1]} {_say_ordinal(d)} {_say_year(rng, y)}",
        f"the {_say_ordinal(d)} of {_MONTHS[m - 1]} {_say_year(rng, y)}",
        f"{_say_number(m)} slash {_say_number(d)} slash {_say_year(rng, y)}",
        f"{_MONTHS[m - 1]} {_say_ordinal(d)} <,> {_say_year(rng, y)}",
    ])


def _extra21(seed: int, i: int, avoid: frozenset[str], note_text: str, before: tuple[Phi, ...] = ()) -> tuple[str, list[Phi]]:
    """The forms of :data:`EXTRA21_KINDS` for note ``i``: the dictation after the international identifiers and its
    PHI (a name of it is never a word of the note or of ``avoid``, and no value of ``before``, the note's PHI, reads in
    it; a number never shares a digit group of four or more, nor its digits, with the note's reading; a date or an age
    never reads in the note)."""
    rng = random.Random(f"canary-extra21-{seed}-{i}")
    note_read = spoken_reading(note_text)
    note_flat = _spoken_flat(note_read)
    words = set(re.findall(r"[^\W\d_]+", note_read)) | avoid
    for _ in range(50):
        style = rng.choices(["said", "asr", "typed"], [0.45, 0.3, 0.25])[0]

        def draw(pool: list[str]) -> str:
            while True:
                w = rng.choice(pool) if rng.random() < 0.75 else _invented(rng)
                if w.lower() not in words and w.lower() not in _NATO_LETTER and w.lower() not in _NUM_WORDS:
                    return w

        def number(n: int, style: str = style) -> tuple[str, str]:  # (said, value): a pause, a "comma" or a "dash" may part its groups
            while True:
                d = _digits(rng, n)
                if not ((len(d) >= 6 and d in note_flat) or re.search(rf"(?<!\d){d[-4:]}(?!\d)", note_read)
                        or re.search(rf"(?<!\d){d[:4]}(?!\d)", note_read)):
                    break
            cuts = [3, 6] if n == 10 else [n // 2]
            groups = [d[a:b] for a, b in zip([0, *cuts], [*cuts, n])]
            sep = "" if style == "asr" else rng.choice(["", "", " <,> ", " dash "])  # (run-on: no pause is written)
            if not sep:
                return _say_digits(rng, d), d
            return sep.join(_say_digits(rng, g) for g in groups), " ".join(groups)

        s, g, c, c2, c3, r = draw(_SPOKEN_SURNAMES), draw(_SPOKEN_GIVEN), draw(_SPOKEN_SURNAMES), \
            draw(_SPOKEN_SURNAMES), draw(_SPOKEN_SURNAMES), draw(_SPOKEN_RELATIVE_GIVEN)
        if len({s, c, c2, c3}) < 4:
            continue
        mrn, mrn_v = number(rng.choice([7, 8, 9]))
        acct, acct_v = number(rng.choice([8, 10]))
        ph, ph_v = number(10)
        rph, rph_v = number(10)
        dob, dos = _spoken_date(rng, 1921, 2008), _spoken_date(rng, 2019, 2026)
        age = rng.randint(90, 104)
        slots = {"C": c.lower(), "C2": c2.lower(), "C3": c3.lower(), "G": g.lower(), "S": s.lower(), "SP": _spell(rng, s),
                 "GP": _spell(rng, g), "R": r.lower(),
                 "RP": _spell(rng, r), "REL": rng.choice(_SPOKEN_RELATIONS), "DOB": dob, "DOS": dos, "MRN": mrn,
                 "ACCT": acct, "PH": ph, "RPH": rph, "AGE": _say_number(age), "SEX": rng.choice(["female", "male", "woman",
                                                                                               "gentleman"])}
        heads = rng.sample(_SPOKEN_HEADS, 2)
        clinical = rng.sample(_SPOKEN_CLINICAL, 3)
        parts = [rng.choice(_SPOKEN_OPEN), rng.choice(_SPOKEN_SPELL), rng.choice(_SPOKEN_ID), "<P>", heads[0] + " <:>",
                 rng.choice(_SPOKEN_AGE), clinical[0], clinical[1], "<P>", heads[1] + " <:>", clinical[2],
                 rng.choice(_SPOKEN_FAMILY), "<P>", rng.choice(_SPOKEN_CLOSE)]
        used = " ".join(parts)
        sentences = []
        for p in parts:
            if p == "<P>":
                sentences.append("<P>")
            else:
                sentences.append(re.sub(r"\{(\w+)\}", lambda m, slots=slots: slots[m.group(1)], p) + ("" if p.endswith("<:>") else " <.>"))
        text = " ".join(sentences)
        if style == "said":
            text = text.replace("<,>", "comma").replace("<.>", "period").replace("<:>", "colon")
            text = text.replace("<P>", rng.choice(["new paragraph", "next paragraph", "new line"]))
        elif style == "asr":
            text = re.sub(r"\s*<[,.:P]>", "", text)
        else:
            text = re.sub(r"\s*<,>", ",", text)
            text = re.sub(r"\s*<\.>", ".", text)
            text = re.sub(r"\s*<:>", ":", text)
            text = re.sub(r"\s*<P>\s*", "\n\n", text)
            text = re.sub(r"(^|[.:]\s+|\n)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
            for name in (s, g, c, c2, c3, r):
                text = re.sub(rf"(?<![^\W_]){re.escape(name.lower())}(?![^\W_])", name, text)
            text = re.sub(r"(?<![^\W_])i(?![^\W_])", "I", text)
        text = re.sub(r"[ \t]+", " ", text).strip()
        if before and leaks(CanaryNote("", "", "", "", "", list(before)), text):
            continue
        read = spoken_reading(text)
        values = [s, g, c, mrn_v, spoken_value(dob)]
        values += [x for x, key in ((c2, "{C2}"), (c3, "{C3}"), (r, "{R}"), (acct_v, "{ACCT}"), (ph_v, "{PH}"), (rph_v, "{RPH}"),
                                    (spoken_value(dos), "{DOS}")) if key in used]
        if "{AGE}" in used:
            said = _say_number(age)
            values.append(spoken_value(re.search(rf"age {said}|{said} years? (?:old|of age)", text.lower()).group()))
        if any(_spoken_leak(v, note_read, note_flat) for v in values):
            continue
        assert all(_spoken_leak(v, read, _spoken_flat(read)) for v in values), (seed, i)
        out: dict[str, str] = {}
        for v in values:
            out.setdefault(v.lower(), v)
        return text, [Phi("spoken", v) for v in out.values()]
    raise RuntimeError(f"no spoken block for note {i} of seed {seed}")


def _transform(text: str, how: str, rng: random.Random) -> str:
    if how == "all_caps":
        return text.upper()
    if how == "lower":
        return text.lower()
    if how == "crlf":
        return text.replace("\n", "\r\n")
    if how == "spaces":
        return re.sub(r"(?<=\S) (?=\S)", lambda m: " " * rng.choice([1, 2, 3, 5]), text)
    if how == "tabs":
        return re.sub(r"(?<=[:|,]) |(?<=\S)   +", "\t", text)
    if how == "wrapped":  # hard-wrapped at 40-70 columns, as a fax or a printout is: a value may run across lines
        width = rng.randint(40, 70)
        return "\n".join(_wrap(line, width) for line in text.split("\n"))
    return text


def _wrap(line: str, width: int) -> str:
    out, cur = [], ""
    for w in line.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    out.append(cur)
    return "\n".join(out)


def _surface(value: str, how: str) -> str:
    return value.upper() if how == "all_caps" else value.lower() if how == "lower" else value


def note(i: int, seed: int = DEFAULT_SEED, pieces: dict[str, tuple[str, list[Phi]]] | None = None) -> CanaryNote:
    """Canary note number ``i`` of ``seed`` (the layout, transform and label style cycle with ``i``).

    ``pieces``: a dict that receives each piece appended with a transform stream of its own (``"10"``, ``"11"``,
    ``"16"`` to ``"22"``: the ``_extraNN`` functions) as the note writes it, with its PHI as the note's checker sees
    it, for a sweep of the pieces alone (``scripts/bench_canary_pieces.py``); the note itself does not change."""
    got: dict[str, tuple[str, list[Phi]]] = {} if pieces is None else pieces
    rng = random.Random(seed * 1_000_003 + i)
    layout = LAYOUTS[i % len(LAYOUTS)]
    transform = TRANSFORMS[(i // len(LAYOUTS)) % len(TRANSFORMS)]
    style = LABEL_STYLES[(i // (len(LAYOUTS) * len(TRANSFORMS))) % len(LABEL_STYLES)]
    v = _Values(rng)
    text, phis, clinical = _build(rng, v, layout, style)
    more, more_phis = _extra(seed, i)
    more4, more4_phis = _extra4(seed, i)
    more5, more5_phis = _extra5(seed, i)
    words = frozenset(w.lower() for p in phis + more_phis + more4_phis + more5_phis for w in re.split(r"[\s,]+", p.value))
    more6, more6_phis = _extra6(seed, i, words)
    words7 = words | {w.lower() for p in more6_phis for w in re.split(r"[\s,]+", p.value)}
    more7, more7_phis = _extra7(seed, i, words7)
    words8 = words7 | {w.lower() for p in more7_phis for w in re.split(r"[\s,]+", p.value)}
    more8, more8_phis = _extra8(seed, i, words8)
    words9 = words8 | {w.lower() for p in more8_phis for w in re.split(r"[\s,]+", p.value)}
    more9, more9_phis = _extra9(seed, i, words9)
    text = text + "\n" + more + "\n" + more4 + "\n" + more5 + "\n" + more6 + "\n" + more7 + "\n" + more8 + "\n" + more9
    phis = phis + more_phis + more4_phis + more5_phis + more6_phis + more7_phis + more8_phis + more9_phis
    text = _transform(text, transform, rng)
    # the piece cut after a title opens the note, transformed with a stream of its own (the rest is unchanged)
    words10 = words9 | {w.lower() for p in more9_phis for w in re.split(r"[\s,]+", p.value)}
    cut, cut_phis = _extra10(seed, i, words10)
    got["10"] = (_transform(cut, transform, random.Random(f"canary-extra10-t-{seed}-{i}")), cut_phis)
    text = got["10"][0] + "\n" + text
    phis = phis + cut_phis
    # the visit with a person closes the note, transformed with a stream of its own (the rest is unchanged)
    words11 = words10 | {w.lower() for p in cut_phis for w in re.split(r"[\s,]+", p.value)}
    visit, visit_phis = _extra11(seed, i, words11)
    got["11"] = (_transform(visit, transform, random.Random(f"canary-extra11-t-{seed}-{i}")), visit_phis)
    text = text + "\n" + got["11"][0]
    phis = phis + visit_phis
    # a form's name fields (16), the document's metadata (17), the Safe Harbor identifiers no kind before carries
    # (18) and the identity as document conversion hands it over (19) close it, in that order, each transformed with a stream of its own (the rest is unchanged); each piece's
    # people avoid the words of the pieces before it
    words, last_phis = words11, visit_phis
    for tag, extra in (("16", _extra16), ("17", _extra17), ("18", _extra18), ("19", _extra19)):
        words = words | {w.lower() for p in last_phis for w in re.split(r"[\s,]+", p.value)}
        piece, last_phis = extra(seed, i, words, text)
        got[tag] = (_transform(piece, transform, random.Random(f"canary-extra{tag}-t-{seed}-{i}")), last_phis)
        text = text + "\n" + got[tag][0]
        phis = phis + last_phis
    # the patient's identifiers as other countries write them (20) close the note, last, with a stream of their own
    words = words | {w.lower() for p in last_phis for w in re.split(r"[\s,]+", p.value)}
    piece, last_phis = _extra20(seed, i, words, text)
    got["20"] = (_transform(piece, transform, random.Random(f"canary-extra20-t-{seed}-{i}")), last_phis)
    text = text + "\n" + got["20"][0]
    phis = phis + last_phis
    # the patient as dictation and speech recognition hand it over (21) closes the note, last, with a stream of its own;
    # its clinical dictation lines count as clinical sentences (as they read in the piece)
    words = words | {w.lower() for p in last_phis for w in re.split(r"[\s,]+", p.value)}
    piece, last_phis = _extra21(seed, i, words, text, tuple(phis))
    piece = _transform(piece, transform, random.Random(f"canary-extra21-t-{seed}-{i}"))
    got["21"] = (piece, last_phis)
    text = text + "\n" + piece
    phis = phis + last_phis
    spoken_clinical = [m.group() for c in _SPOKEN_CLINICAL for m in [re.search(re.escape(c), piece, re.I)] if m]
    # the organisations tied to the patient (22) close it, after the dictation, with a stream of their own
    words = words | {w.lower() for p in last_phis for w in re.split(r"[\s,]+", p.value)}
    piece, last_phis = _extra22(seed, i, words, text)
    got["22"] = (_transform(piece, transform, random.Random(f"canary-extra22-t-{seed}-{i}")), last_phis)
    text = text + "\n" + got["22"][0]
    phis = phis + last_phis
    phis = [Phi(p.kind, _surface(p.value, transform)) for p in phis]
    for tag, (piece, piece_phis) in got.items():
        got[tag] = (piece, [Phi(p.kind, _surface(p.value, transform)) for p in piece_phis])
    clinical = [_surface(c, transform) for c in clinical]
    if transform in ("spaces", "tabs", "wrapped"):
        clinical = [c for c in clinical if c in text]
    clinical = clinical + spoken_clinical
    return CanaryNote(f"canary-{seed}-{i:05d}", text, layout, transform, style, phis, clinical)


def generate(n: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> Iterator[CanaryNote]:
    for i in range(n):
        yield note(i, seed)


#: an age (``92 yo``, ``Age: 94``): a number of two or three digits and a word that makes it one
_AGE_VALUE = re.compile(r"(?i)(?=.*(?:\bage[ds]?\b|\d[ ]?yo\b|\by/o\b|\by\.o\.|\byears?\b|\byrs\b))(?!.*\d{4})")
_DATE_VALUE = re.compile(r"\d{1,4}[/-]\d{1,2}[/-]\d{2,4}$")
#: a date of :func:`_extra20`: day (or year), month (digits, Roman, a word; ``de`` before it), year
_INTL_DATE_VALUE = re.compile(r"(?i)\d{1,4}\W+(?:de )?(?:\d{1,2}|[ivx]+|[^\W\d_]+)\W+(?:de )?\d{2,4}$")


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _holds(text: str, value: str) -> bool:
    """``value`` is in ``text`` and no longer run of its kind holds it: no digit before a value that opens with a
    digit nor after one that ends with one, no letter beside a letter at its ends ("4654" of a postal code is not in
    the order number "846541"; "12345678" is in "MRN12345678")."""
    if not value:
        return False
    head = r"(?<!\d)" if value[0].isdigit() else r"(?<![^\W\d_])" if value[0].isalpha() else ""
    tail = r"(?!\d)" if value[-1].isdigit() else r"(?![^\W\d_])" if value[-1].isalpha() else ""
    return value in text and re.search(head + re.escape(value) + tail, text) is not None


def _outside_phi(canary: CanaryNote) -> str:
    """The note's text (NFKC) with every PHI value blanked out, its words matched whatever blanks, line breaks or
    case the note's transform gave them."""
    text = _nfkc(canary.text)
    for p in sorted(canary.phi, key=lambda p: -len(p.value)):
        parts = _nfkc(p.value).split()
        if parts:
            text = re.sub(r"\s+".join(re.escape(w) for w in parts), " ", text, flags=re.I)
    return text


def leaks(canary: CanaryNote, output: str) -> list[Phi]:
    """The PHI values of ``canary`` still readable in ``output`` (the de-identified text)."""
    out = _nfkc(output)
    flat = " ".join(out.split())  # a value spread over blank runs, tabs or a line break still reads
    found: list[Phi] = []
    extracted: tuple[str, str] | None = None
    spoken: tuple[str, str] | None = None
    rest: str | None = None
    for p in canary.phi:
        value = _nfkc(p.value)
        kind = p.kind
        if kind == "extracted":  # as a person reads a converted document (see EXTRA19_KINDS)
            if extracted is None:
                read = extracted_reading(output)
                extracted = (read, ocr_undone(read))
            if _extracted_leak(value, *extracted):
                found.append(p)
            continue
        if kind == "spoken":  # as a person reads a dictation (see EXTRA21_KINDS)
            if spoken is None:
                read = spoken_reading(output)
                spoken = (read, _spoken_flat(read))
            if _spoken_leak(value, *spoken):
                found.append(p)
            continue
        if kind == "safe_harbor":  # an age leaks by its phrase (the number next to what makes it an age) ...
            if _AGE_VALUE.match(value):  # its words in order, whatever runs of blanks or marks part them
                rx = r"[\W_]*".join(re.escape(w) for w in re.findall(r"[^\W_]+", value))
                if re.search(rf"(?<![^\W_]){rx}(?![^\W_])", out, re.I):
                    found.append(p)
                continue
            kind = "struct_id"  # ... any other value as an identifier: itself, its digits, its digit groups
        if kind == "intl":  # another country's date as a date, a value with a digit as an identifier, else words
            kind = "date" if _INTL_DATE_VALUE.match(value) else "struct_id" if re.search(r"\d", value) else kind
        if kind == "doc_meta":  # a document's metadata: a date, a number (an identifier) or a word
            kind = "date" if _DATE_VALUE.match(value) else "struct_id" if not re.search(r"[^\W\d_]", value) else kind
        if kind in _IDENTIFIERS or kind in ("dob", "date", "email"):
            if _holds(output, p.value) or _holds(out, value) or _holds(flat, " ".join(value.split())):
                found.append(p)
                continue
        if kind in _IDENTIFIERS:
            digits = re.sub(r"\D", "", value)
            groups = [g for g in re.findall(r"\d+", value) if len(g) >= 4]
            if rest is None:
                rest = _outside_phi(canary)
            # a digit group the note also writes outside its PHI (a dose: "metformin 1000 mg" beside "PJAB1000")
            # leaks only where the output holds it more often than the note's text outside its PHI does
            if (len(digits) >= 6 and digits in out) or any(
                    len(re.findall(rf"(?<!\d){g}(?!\d)", out)) > len(re.findall(rf"(?<!\d){g}(?!\d)", rest))
                    for g in groups):
                found.append(p)
            continue
        if kind in ("dob", "date", "email"):
            continue
        words = [w for w in re.split(r"[\s,]+", value) if len(w) >= 2]
        if p.kind == "address":  # a house number alone identifies nobody (and "148" is also a blood pressure)
            words = [w for w in words if not (w.isdigit() and len(w) < 5)]
        if any(re.search(rf"(?<![^\W_]){re.escape(w)}(?![^\W_])", out, re.I) for w in words):
            found.append(p)
    return found


def _extracted_leak(value: str, read: str, ocr: str) -> bool:
    """Whether a value of the ``extracted`` kind reads in ``read`` (:func:`extracted_reading` of the output) or,
    for a number or a date, in ``ocr`` (that reading with OCR look-alikes undone)."""
    if _DATE_VALUE.match(value):
        return value in read or value in ocr
    if not re.search(r"[^\W\d_]", value):  # an identifier: itself, its digits, its digit groups of four or more
        digits = re.sub(r"\D", "", value)
        groups = [g for g in re.findall(r"\d+", value) if len(g) >= 4]
        return any((len(digits) >= 6 and digits in t) or any(re.search(rf"(?<!\d){g}(?!\d)", t) for g in groups)
                   for t in (read, ocr))
    # a word, whole, any case, its letters maybe spaced out ("Q U E N B Y", across blank runs or a wrap)
    rx = r"\s*".join(re.escape(c) for c in value)
    return bool(re.search(rf"(?<![^\W_]){rx}(?![^\W_])", read, re.I))
