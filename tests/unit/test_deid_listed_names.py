"""Names that are also English words, and names of two or three letters, where the sentence
says a person is meant (issue 16, eighth session, branch deid8).

* a **listed given name or surname** (``given_names.txt``, ``surnames.txt``, the world list)
  that is also an English word (``Loan``, ``Ngo``, ``Hope``, ``Rose``) is a name before a
  person's verb (``X verbalized``, ``X denies``, ``X was admitted``), before an age in
  apposition (``X (age 52)``), after a relation (``the wife of X``) and before ``'s daughter``,
  also opening a sentence: the verb is the evidence a capital is not. Two listed names before
  a verb a thing does too (``Ngo Loan arrived late``) are a name. Never an adverb (``Also
  denies``), a person noun (``Family verbalized``), a function word, a clinical word or a word
  after a determiner (``The loan was refused``);
* a **word of two or three letters** at a person's slot (``per vo,``, ``spoke to bui re:``,
  ``vo says ok``) is a name when it is no English, clinical or drug word and no service, role,
  route, unit or credential written short (``per ent``, ``d/w ep``, ``signed out to nf``,
  ``per pcp``); in a mixed-case note an acronym in capitals stays (``per EP``).

Table-driven, with a little lexicon of synthetic people and invented text."""

from __future__ import annotations

import pytest

from ehrnlp.deid import slots

_ENGLISH = set("""the seen in clinic today bp stable per potassium was repleted will hold heparin discussed with at length
d/w spoke to re labs called back signed out paged noon reviewed cc says ok discharge agrees family of requests an update
denies chest pain consented procedure admitted overnight understands plan refused blood draw presents dyspnea age is a
with ckd wife husband daughter visit tomorrow arrived late verbalized understanding message left for pt patient also still
again currently otherwise mother team nursing she he it they hope rose loan bell hall will call diuretic hold no fever
agree and echo report reports ent ep pcp nf icu stat consult note on to by of this that his her from today tomorrow
mass suggested necrosis ancillary test confirmed diagnosis confused because box said left eye stone protocol man
visit glaucoma check moved next week scheduled ride home arranged tomorrow appointment oct and was surgery""".split())
_CLINICAL = {"heparin", "potassium", "patient", "echo", "ent", "icu", "diuretic", "fever", "dyspnea", "ckd"}
_GIVEN = {"loan", "hope", "rose", "will", "man"}  # ("Man" is a Census given name)
_SURNAMES = {"loan", "ngo", "bell", "hall", "patient", "still", "stone", "mass", "test", "box", "man"}  # mostly nouns
_ADVERBS = {"also", "still", "again", "currently", "otherwise", "today", "back"}
_PERSON = {"pt", "patient", "mother", "family", "team", "nursing", "wife", "husband", "daughter"}
_STOP = {"the", "a", "an", "will", "she", "he", "it", "they", "also", "of", "to", "and", "no", "this", "that", "his", "her"}


def _judge() -> slots.WordJudge:
    def ok(w: str) -> bool:
        low = w.lower()
        return low not in _ENGLISH and low not in _CLINICAL

    def capital_slot(w: str) -> bool:
        low = w.lower()
        return low not in _STOP and low not in _PERSON

    return slots.WordJudge(unknown=ok, surname_ok=ok, place_ok=ok,
                           surname=lambda w: w.lower() in _SURNAMES,
                           given=lambda w: w.lower() in _GIVEN and w.lower() not in _STOP,
                           clinical=lambda w: w.lower() in _CLINICAL,
                           abbreviation=lambda w: False, capital_slot=capital_slot,
                           given_slot=capital_slot, adverb=lambda w: w.lower() in _ADVERBS)


def _names(text: str) -> set[str]:
    return {text[h.start:h.end] for h in slots.slot_names(text, _judge())}


_MIXED = "Seen in clinic today. BP stable.\n"


# ------------------------------------------------------------------ a listed name that is an English word, told by its sentence
@pytest.mark.parametrize(("text", "names"), [
    (_MIXED + "Loan verbalized understanding.", {"Loan"}),  # opening a sentence, before a person's verb
    (_MIXED + "Loan denies chest pain today.", {"Loan"}),
    (_MIXED + "Hope says ok to discharge.", {"Hope"}),  # a given name that is a noun and a verb
    (_MIXED + "Ngo Loan was admitted overnight.", {"Ngo Loan"}),  # two listed words
    (_MIXED + "Seen today: Ngo Loan (age 52), stable.", {"Ngo Loan"}),  # an age in apposition
    (_MIXED + "Ngo Loan arrived late.", {"Ngo Loan"}),  # a verb a thing does too: two listed names
    (_MIXED + "The wife of Loan called.", {"Loan"}),  # a relation before it
    (_MIXED + "the wife of loan called.", {"loan"}),  # ... in a lower-case line of a mixed-case note
    (_MIXED + "Loan's daughter will visit tomorrow.", {"Loan"}),  # a relative after it
    (_MIXED + "loan refused the blood draw.", {"loan"}),  # a lower-case line: the sentence start is in lower case
    ("seen in clinic today.\nloan refused the blood draw.", {"loan"}),  # a note in lower case
    ("SEEN TODAY: NGO LOAN (AGE 52), STABLE.", {"NGO LOAN"}),  # a note in capitals
    (_MIXED + "Message left for Rose.", {"Rose"}),  # a person's cue before it, mid-sentence
    (_MIXED + "Message left for Stone.", {"Stone"}),  # a listed surname capitalised mid-sentence
    (_MIXED + "Patient Stone denies chest pain.", {"Stone"}),
])
def test_listed_names_told_by_their_sentence(text, names):
    assert _names(text) == names


@pytest.mark.parametrize("text", [
    _MIXED + "Also denies fever.",  # an adverb opening a sentence
    _MIXED + "Still refuses the blood draw.",  # an adverb that is also a listed surname
    _MIXED + "Currently denies chest pain.",
    _MIXED + "Family verbalized understanding.",  # a person noun
    _MIXED + "Patient denies chest pain.",  # a person noun on the surname list
    _MIXED + "Mother says ok to discharge.",
    _MIXED + "The loan was refused.",  # a noun after a determiner, in lower case
    _MIXED + "The Loan was admitted.",  # a capitalised noun after a determiner
    _MIXED + "Echo reports no effusion.",  # a clinical word before a verb a thing does
    _MIXED + "Bell arrived late.",  # one listed word before a verb a thing does too: no evidence
    _MIXED + "She will call back today.",
    _MIXED + "the hall was quiet today.",  # a listed surname in lower case, no person's verb
    _MIXED + "Mass suggested necrosis.",  # a listed surname (a noun) opening a sentence: a capital there proves nothing
    "an ancillary test confirmed the diagnosis.",  # a note in lower case: a listed surname alone is a noun
    "pt confused because box said left eye.",
    "per stone protocol, hold it.",
    _MIXED + "A 64-year-old Man was admitted.",  # the noun an age describes
    "a 64-year-old man was admitted.",
])
def test_no_name_without_a_person_told(text):
    assert _names(text) == set()


# ------------------------------------------------------------------ two or three letters at a person's slot
@pytest.mark.parametrize(("text", "names"), [
    (_MIXED + "per vo, hold the diuretic.", {"vo"}),
    (_MIXED + "spoke to bui re: labs.", {"bui"}),
    (_MIXED + "discussed with bui today.", {"bui"}),
    (_MIXED + "signed out to vo.", {"vo"}),
    (_MIXED + "paged  vo at   noon.", {"vo"}),  # blank runs
    (_MIXED + "vo says ok to discharge.", {"vo"}),  # before a person's verb
    (_MIXED + "Message left for Vo.", {"Vo"}),  # capitalised, alone (deid7 left it: a person's cue is evidence enough)
    ("PER VO, HOLD THE DIURETIC.", {"VO"}),  # a note in capitals
    ("seen in clinic today.\nper bui, hold it.", {"bui"}),  # a note in lower case
])
def test_short_names_at_a_person_slot(text, names):
    assert _names(text) == names


@pytest.mark.parametrize("text", [
    _MIXED + "per ent, hold the diuretic.",  # a service
    _MIXED + "d/w ep, agrees.",  # a role written short
    _MIXED + "signed out to nf.",
    _MIXED + "per pcp, hold the diuretic.",  # no vowel, and a role
    _MIXED + "per EP, hold the diuretic.",  # an acronym in capitals in a mixed-case note
    _MIXED + "per icu, hold the diuretic.",  # a clinical word
    _MIXED + "discussed with pt today.",  # a person noun written short
    _MIXED + "d/w the team today.",  # a function word
    "seen in clinic today.\nper ent, hold it.",  # a note in lower case
])
def test_no_short_name_for_services_and_roles(text):
    assert _names(text) == set()


def test_judge_listed_and_short_name():
    j = _judge()
    assert j.listed("Loan") and j.listed("Ngo") and j.listed("Hope")
    assert not j.listed("Still") and not j.listed("Patient") and not j.listed("Will")  # adverb, person noun, function word
    assert j.short_name("vo") and j.short_name("bui") and j.short_name("VO")
    assert not j.short_name("ent") and not j.short_name("ep") and not j.short_name("pcp") and not j.short_name("nf")
    assert not j.short_name("v") and not j.short_name("quoc")  # one letter; four letters are the lone-word rule's


# ------------------------------------------------------------------ a visit, an appointment, a ride: for a person or a thing
@pytest.mark.parametrize(("text", "names"), [
    (_MIXED + "Visit for Quoc moved to Thursday.", {"Quoc"}),  # no English word: a person
    ("seen in clinic today.\nride home arranged for umit celik.", {"umit celik"}),  # a note in lower case
    ("SEEN IN CLINIC TODAY.\nRIDE HOME ARRANGED FOR UMIT CELIK.", {"UMIT CELIK"}),  # in capitals
    ("seen in clinic today.\nvisit for hoiby moved to next week.", {"hoiby"}),
])
def test_a_visit_or_a_ride_for_an_unknown_word(text, names):
    assert _names(text) == names


@pytest.mark.parametrize("text", [
    _MIXED + "Visit for glaucoma check moved to next week.",  # an English or clinical word: a thing
    _MIXED + "Visit for yag next week.",  # a short unknown word: an abbreviation as often
    _MIXED + "She was scheduled for debulking surgery.",  # "scheduled for": a procedure no lexicon holds
    _MIXED + "Appointment for eus-fna next week.",  # a hyphenated abbreviation
    _MIXED + "Ride home arranged for tomorrow.",
    "seen in clinic today.\nappointment for hvf and oct.",  # no vowel
])
def test_no_name_for_a_visit_for_a_thing(text):
    assert _names(text) == set()


# ------------------------------------------------------------------ LAST|First|role rows: the surname cell before a found name
def _cells(text: str, given: str) -> set[str]:
    from ehrnlp.deid.postprocess import _Hit

    k = text.index(given)
    hits = [_Hit("NAME", k, k + len(given), 0.9, "transformer")]
    labels = {"last", "first", "role", "name", "sex", "patient", "guarantor"}
    return {text[h.start:h.end] for h in slots.surname_cells_before(text, hits, _judge(), lambda w: w.lower() in labels)}


@pytest.mark.parametrize(("text", "given", "names"), [
    ("Last|First|Role\ndruussa|Maren|guarantor", "Maren", {"druussa"}),  # an unknown word, lower case
    ("DRUUSSA|MAREN|GUARANTOR", "MAREN", {"DRUUSSA"}),  # in capitals
    ("Seen in clinic today.\nOrussa|Maren", "Maren", {"Orussa"}),
    ("Seen in clinic today.\nNgo\tMaren\tpatient", "Maren", {"Ngo"}),  # a listed surname, split by a tab
    ("Seen in clinic today.\n  Quennell | Maren | F", "Maren", {"Quennell"}),  # blanks around the bars
])
def test_the_surname_cell_before_a_found_name(text, given, names):
    assert _cells(text, given) == names


@pytest.mark.parametrize(("text", "given"), [
    ("Seen in clinic today.\nPatient|Maren|guarantor", "Maren"),  # a column label
    ("Seen in clinic today.\nStable|Maren", "Maren"),  # an English adjective
    ("Seen in clinic today.\nSeen by Dr. Okafor|Maren", "Maren"),  # more than one word in the cell
    ("Seen in clinic today.\nOkafor, Maren", "Maren"),  # no cell: a comma field is the others' (field rules)
])
def test_no_surname_cell_without_a_row(text, given):
    assert _cells(text, given) == set()
