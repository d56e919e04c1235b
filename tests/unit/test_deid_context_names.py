"""Names whose only evidence is what the sentence says of them (issue 16, seventh session,
branch deid7): one lower-case word at a person's slot in a mixed-case note (``per dunmore,``,
``d/w quoc``) when it is no English word and no word cut short or misspelt (``per nephro``,
``d/w famly``); a patient's verb after a name (``Otieno denies``, ``X consented``, ``X was
admitted``); an age in apposition (``Mwangi, 47 y/o,``, ``X (age 52)``, ``X is a
70-year-old``); a relation (``wife of X``, ``X's daughter``); ``first name X`` whatever X is;
a given name before a found surname although it is a drug's abbreviation (``Asa``, ASA); the
other part of a listed name (``Tran Quoc``, ``pham huong``). Table-driven, neighbours and
negatives (clinical words, drug names, services, lower-case common words, things that decline
or return). Every person is synthetic."""

from __future__ import annotations

import re

import pytest
from conftest import deid_text

from ehrnlp.deid import ids, slots
from ehrnlp.deid.postprocess import _Hit

#: English and clinical words of this little lexicon (the stage uses WordNet's and the vocabularies)
_ENGLISH = set("""the then also seen in clinic today bp stable per potassium was repleted will hold heparin discussed risks with at length
d/w spoke to re labs called back signed out paged noon reviewed cc says ok discharge agrees family of requests an update
denies chest pain consented procedure admitted overnight understands plan refused blood draw presents dyspnea age is a
with ckd wife husband called daughter visit tomorrow goes by first name arrived late verbalized understanding message left
for pt patient lesion on ct creatinine declined pain returned troponin negative tolerated well mother two son farmer male
caucasian aged hgb hold lasix bedside about dose wean protocol interpreter used ride home arranged has type diabetes
started mg daily takes hope ace only known friends his her nurse as o2 and it case report acrodermatitis infancy proband
woman requested present throughout exam no history nor other this assessment stable sex guarantor os sup losses procedure influenza vaccine liver diet quiet pill bottles""".split())
_CLINICAL = {"asa", "ace", "hgb", "acrodermatitis", "patient", "ines", "lasix", "heparin", "potassium", "troponin", "creatinine",
             "nephrology", "pulmonary", "endocrinology", "inferior"}
_WORLD = {"tran", "pham", "huong", "lindstrom", "ines"}
_LEXICON = frozenset(_ENGLISH | _CLINICAL | {"family", "patient"})


def _abbreviation(w: str) -> bool:
    return slots.shortened_or_misspelt(w.lower(), _LEXICON, sorted(_CLINICAL))


def _judge() -> slots.WordJudge:
    def ok(w: str) -> bool:
        return w.lower() not in _ENGLISH and w.lower() not in _CLINICAL

    return slots.WordJudge(unknown=ok, surname_ok=ok, place_ok=ok, world=lambda w: w in _WORLD,
                           clinical=lambda w: w.lower() in _CLINICAL, abbreviation=_abbreviation,
                           given_slot=lambda w: w.lower() not in _ENGLISH - {"hope"} and w.lower() not in {"pt", "dr"},
                           capital_slot=lambda w: w.lower() not in _ENGLISH - {"hope", "ace", "late"} and w.lower() not in {"pt", "dr"},
                           adverb=lambda w: w.lower() in {"then", "also", "still"})


def _slots(text: str) -> set[str]:
    return {text[h.start:h.end] for h in slots.slot_names(text, _judge())}


# ------------------------------------------------------------------ a word cut short, misspelt, a service: no name
@pytest.mark.parametrize(("word", "short"), [
    ("nephro", True), ("pulm", True), ("trop", True),  # a clinical word cut short
    ("pateint", True), ("famly", True),  # two letters swapped, a letter dropped
    ("peds", True), ("nsgy", True),  # a service's short form, no vowel
    ("dunmore", False), ("quoc", False), ("otieno", False), ("tregarthen", False),
    ("thanh", False), ("kaya", False),  # a letter too many ("than") or an English word's prefix is no test
])
def test_shortened_or_misspelt(word, short):
    assert _abbreviation(word) is short


# ------------------------------------------------------------------ one lower-case word at a person's slot (mixed-case note)
@pytest.mark.parametrize(("text", "names"), [
    ("Seen in clinic today.\nper dunmore, the potassium was repleted.", {"dunmore"}),
    ("Seen in clinic today.\nd/w quoc, will hold heparin.", {"quoc"}),  # 4 letters
    ("Seen in clinic today.\ndiscussed risks with wexley at length.", {"wexley"}),
    ("Seen in clinic today.\nsigned out to tregarthen.", {"tregarthen"}),
    ("Seen in clinic today.\nspoke with vrinivar banks-bishop about labs.", {"vrinivar banks-bishop"}),  # a double surname after it
])
def test_a_lone_lower_case_word_at_a_person_slot(text, names):
    assert _slots(text) == names


@pytest.mark.parametrize("text", [
    "Seen in clinic today.\nper nephro, hold lasix.",  # cut short
    "Seen in clinic today.\nd/w famly at bedside.",  # misspelt
    "Seen in clinic today.\nper peds, ok to discharge.",  # a service
    "Seen in clinic today.\nd/w pateint, agrees.",
    "Seen in clinic today.\nper pulm, wean o2.",
])
def test_abbreviations_and_typos_at_a_slot_stay(text):
    assert _slots(text) == set()


# ------------------------------------------------------------------ what the sentence says of a person
@pytest.mark.parametrize(("text", "names"), [
    ("Seen in clinic today.\nOtieno denies chest pain today.", {"Otieno"}),
    ("Seen in clinic today.\nKhoury consented to the procedure.", {"Khoury"}),
    ("Seen in clinic today.\nEmre Kaya was admitted overnight.", {"Emre Kaya"}),
    ("Seen in clinic today.\nMwangi, 47 y/o, presents with dyspnea.", {"Mwangi"}),  # an age in apposition
    ("Seen in clinic today.\nSeen today: Bui Thanh (age 52), stable.", {"Bui Thanh"}),
    ("Seen in clinic today.\nRania Haddad is a 70-year-old with CKD.", {"Rania Haddad"}),
    ("Seen in clinic today.\nThe wife of Haddad called.", {"Haddad"}),  # a relation
    ("Seen in clinic today.\nQureshi's daughter will visit tomorrow.", {"Qureshi"}),
    ("Seen in clinic today.\nGoes by the first name Hope.", {"Hope"}),  # an English word after "first name"
    ("Seen in clinic today.\ngoes by the first name ace.", {"ace"}),  # a drug's abbreviation, in lower case
    ("Seen in clinic today.\nmensah verbalized understanding.", {"mensah"}),  # lower case in a mixed-case note
    ("SEEN IN CLINIC TODAY.\nOTIENO DENIES CHEST PAIN TODAY.", {"OTIENO"}),  # a note in capitals
    ("Seen in clinic today.\ninterpreter present for leclere throughout.", {"leclere"}),  # an interpreter is for a person
    ("Seen in clinic today.\nInterpreter (Somali) requested for Mwangi.", {"Mwangi"}),
    ("Seen in clinic today.\nPatient Khai tolerated the procedure well.", {"Khai"}),  # a person noun before it
    ("Seen in clinic today.\nquoc declined the influenza vaccine.", {"quoc"}),  # a thing's verb as only a person uses it
    ("Seen in clinic today.\nhoiby was seen in clinic today.", {"hoiby"}),
    ("Seen in clinic today.\ngoes by the first name ines.", {"ines"}),  # a listed name after "first name"
    ("Seen in clinic today.\nMessage left for Vo Hieu.", {"Vo Hieu"}),  # a two-letter given name before a surname
    ("Seen in clinic today.\nace barraclough is a 70-year-old with ckd.", {"barraclough"}),  # a short clinical word before it
    ("Seen in clinic today.\nquoc brought the pill bottles.", {"quoc"}),
])
def test_a_patients_verb_age_or_relation_names_the_word(text, names):
    assert _slots(text) == names


@pytest.mark.parametrize("text", [
    "Seen in clinic today.\nPt denies chest pain. Lesion was seen on CT. Creatinine declined. Pain returned overnight.",
    "Seen in clinic today.\nHgb declined. Troponin returned negative. Patient tolerated the procedure well.",
    "Seen in clinic today.\nMother of two. Son of a farmer. Male, 47 y/o, presents with chest pain. Caucasian, aged 61.",
    "Seen in clinic today.\nGoes by the first name only.",
    "Case report.\nAcrodermatitis enteropathica presents in infancy.",  # the second word of a clinical term, a thing's verb
    "Case report.\nThe proband is a 19-year-old woman.",  # a noun after a determiner
    "case report.\nno family history of gist nor other gist presented in this patient.",  # a note in lower case
    "Seen in clinic today.\negfr declined to 40. Diet tolerated well. The lesion was seen in the liver.",
    "Case report.\nInterpreter used for the visit. Interpreter present for the exam.",
])
def test_things_and_people_nouns_stay(text):
    assert _slots(text) == set()


# ------------------------------------------------------------------ a given name before a found surname
def _before(text: str, surname: str) -> set[str]:
    k = text.index(surname)
    hit = _Hit("NAME", k, k + len(surname), 0.5, f"{ids.NAME_SLOTS}:world_name")
    return {text[h.start:h.end] for h in slots.given_before_names(text, [hit], _judge())}


@pytest.mark.parametrize(("text", "surname", "names"), [
    ("Seen in clinic today.\nInterpreter used for the visit with Asa Sundqvist.", "Sundqvist", {"Asa Sundqvist"}),  # a drug's abbreviation
    ("SEEN IN CLINIC TODAY.\nRIDE HOME ARRANGED FOR ASA SUNDQVIST.", "SUNDQVIST", {"ASA SUNDQVIST"}),  # in capitals
    ("Seen in clinic today.\nride home arranged for asa sundqvist.", "sundqvist", {"asa sundqvist"}),  # in lower case
    ("Seen in clinic today.\nMessage left with Hope Okafor.", "Okafor", {"Hope Okafor"}),  # a noun, capitalised mid-sentence
    ("Seen in clinic today.\nMessage left for Ace Barraclough.", "Barraclough", {"Ace Barraclough"}),  # an adjective, mid-sentence
    # (deid8) where only a person stands - a person's cue before, a person's verb or an age after - the word
    # before a found surname is its given name whatever else it is, also opening a sentence or in one case
    ("Seen in clinic today.\nAce Barraclough arrived late.", "Barraclough", {"Ace Barraclough"}),
    ("Seen in clinic today.\nmessage left for ace barraclough.", "barraclough", {"ace barraclough"}),
    ("SEEN IN CLINIC TODAY.\nACE BARRACLOUGH WAS ADMITTED OVERNIGHT.", "BARRACLOUGH", {"ACE BARRACLOUGH"}),
    ("seen in clinic today.\nseen today: ace barraclough (age 52), stable.", "barraclough", {"ace barraclough"}),
])
def test_a_given_name_before_a_found_surname(text, surname, names):
    assert _before(text, surname) == names


@pytest.mark.parametrize(("text", "surname"), [
    ("Seen in clinic today.\nDr Okafor agrees.", "Okafor"),  # a title
    ("Seen in clinic today.\nPt Okafor agrees.", "Okafor"),
    ("Seen in clinic today.\nStarted ASA Okafor.", "Okafor"),  # written unlike the name
    ("Seen in clinic today.\nthe patient and okafor agree.", "okafor"),  # an English word in lower case
    ("Seen in clinic today.\nOS sup/inf paracentral losses.", "paracentral"),  # a word cut short ("inferior")
    ("Seen in clinic today.\nLids/Lashes Dermatochalasis, quiet.", "Dermatochalasis"),  # a slash compound's second part
    ("Seen in clinic today.\nThen Barraclough arrived late.", "Barraclough"),  # an adverb before a person's verb (deid8)
    ("Seen in clinic today.\nAlso Barraclough says ok.", "Barraclough"),
    ("Seen in clinic today.\nNurse Barraclough agrees.", "Barraclough"),  # a person noun
])
def test_no_given_name_before_a_surname(text, surname):
    assert _before(text, surname) == set()


# ------------------------------------------------------------------ the other part of a listed name
@pytest.mark.parametrize(("text", "names"), [
    ("Seen in clinic today.\nride home arranged for tran quoc.", {"tran", "quoc"}),  # 4 letters, in lower case
    ("Seen in clinic today.\npham huong, aged 61, has type 2 diabetes.", {"pham", "huong"}),
    ("Seen in clinic today.\nRide home arranged for Tran Quoc.", {"Tran", "Quoc"}),
])
def test_world_name_pairs(text, names):
    assert {text[h.start:h.end] for h in slots.world_names(text, _judge())} == names


@pytest.mark.parametrize("text", [
    "Seen in clinic today.\nride home arranged for tran.",  # one short listed word in lower case: no partner
    "Seen in clinic today.\npham nephro hold.",  # the partner is a word cut short
])
def test_world_name_pairs_need_a_partner(text):
    assert {text[h.start:h.end] for h in slots.world_names(text, _judge())} == set()


# ------------------------------------------------------------------ the stage (lexicons, the bundled lists; no model)
@pytest.mark.slow
@pytest.mark.parametrize(("text", "gone"), [
    ("Seen in clinic today.\nper dunmore, the potassium was repleted.", ["dunmore"]),
    ("Seen in clinic today.\ncalled pellowe back.", ["pellowe"]),
    ("Seen in clinic today.\nOtieno denies chest pain today.", ["Otieno"]),
    ("Seen in clinic today.\nMwangi, 47 y/o, presents with dyspnea.", ["Mwangi"]),
    ("Seen in clinic today.\nQureshi's daughter will visit tomorrow.", ["Qureshi"]),
    ("Seen in clinic today.\nInterpreter used for the visit with Asa Sundqvist.", ["Asa", "Sundqvist"]),
    ("Seen in clinic today.\nride home arranged for tran quoc.", ["tran", "quoc"]),
])
def test_stage_removes_names_told_by_their_sentence(rules_stage, text, gone):
    out = deid_text(rules_stage, text)
    for w in gone:
        assert not re.search(rf"(?<![\w'’]){re.escape(w)}(?![\w'’])", out, re.I), (w, out)


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Seen in clinic today.\nper nephro, hold lasix. d/w famly at bedside. per peds, ok to discharge. per resp, wean o2.",
    "Pt denies chest pain. Lesion was seen on CT. Creatinine declined to 1.2. Pain returned overnight.",
    "Hgb declined. Troponin returned negative. Patient tolerated the procedure well. Mother of two.",
    "Started ASA 81 mg daily. Son of a farmer. Male, 47 y/o, presents with chest pain. Caucasian, aged 61.",
])
def test_stage_leaves_clinical_sentences(rules_stage, text):
    out = deid_text(rules_stage, text)
    assert "[NAME]" not in out, out


# ------------------------------------------------------------------ SURNAME,<tab>Given opening a line of a mixed-case note
@pytest.mark.parametrize(("text", "names"), [
    ("Seen in clinic today.\nIWASAKI,\tTalorra\tSex: X", {"IWASAKI,\tTalorra"}),
    ("Seen in clinic today.\nIWASAKI,\tMARY-KATE\tSEX: X", {"IWASAKI,\tMARY-KATE"}),  # the given name in capitals, hyphenated
    ("Seen in clinic today.\nName:  OKAFOR,    Maren", {"OKAFOR,    Maren"}),  # after a label
    ("Seen in clinic today.\nQUENNELL, Tam | guarantor", {"QUENNELL, Tam"}),
])
def test_caps_surname_fields(text, names):
    assert {text[h.start:h.end] for h in slots.caps_surname_fields(text, _judge())} == names


@pytest.mark.parametrize("text", [
    "Seen in clinic today.\nHGB,\tStable\nASA, Potassium\n",  # clinical words and acronyms
    "Seen in clinic today.\nASSESSMENT, Plan  \nThe plan, Okafor said, is fine.",  # English words; not opening a line
    "SEEN IN CLINIC TODAY.\nIWASAKI,\tTALORRA\tSEX: X",  # a note in capitals: no case to tell a field by
])
def test_caps_surname_fields_leave_words(text):
    assert slots.caps_surname_fields(text, _judge()) == []
