"""Names that a sentence gives away although the lexicon knows the word as a noun (issue 16, tenth
session, branch deid10): a self-introduction (``Hi, it's jasper``, ``this is wren sorrel calling``),
the subject of a person's confusion (``briar has been confused``), a relative right after ``my son``,
a word alone in a role's parentheses (``case manager (linden)``), in any case; a pair of lower-case
listed names at a person's cue (``message left for ngo loan``) and a two-letter family name before
a given name at a person's verb (``vo thanh was admitted``). Table-driven, with the neighbours that
must stay: adjectives, verbs, adverbs, persons, relations, shifts, a mind's faculties, clinical
words. Every person is synthetic."""

from __future__ import annotations

import re

import pytest
from conftest import deid_text

from ehrnlp.deid import slots

#: nouns of this little lexicon that are names too (the stage's lexicon is WordNet's)
_NOUNS = {"jasper", "briar", "aurora", "wren", "sorrel", "linden", "mood", "memory", "agency", "pharmacy", "grandpa", "ngo",
          "loan", "office", "case", "management", "team", "mom", "son", "daughter", "wife", "husband", "patient"}
#: adjectives, adverbs, verbs and function words (never a name here)
_OTHER = set("""the a an this is it's i'm am hi hello my name calling about worse fine worried sorry says handles again today
here from back returning speaking has been was confused agitated since tuesday fell will call family aware notified
nights days shift on left for message spoke with he she me we they seen paged at and pills father mother has really
very more works""".split())
_CLINICAL = {"cardiology", "icu", "delirium", "sleep", "health", "today", "home", "patient"}
_PERSONS = {"patient", "mom", "son", "daughter", "wife", "husband", "team", "family", "grandpa", "he", "she", "me"}
_GIVEN = {"aurora", "jasper", "loan"}
_SURNAMES = {"ngo", "loan", "wren", "briar"}


def _judge() -> slots.WordJudge:
    def surname_ok(w: str) -> bool:
        low = w.lower()
        return low not in _OTHER and low not in _CLINICAL and low not in _PERSONS

    def given_slot(w: str) -> bool:
        return surname_ok(w)

    return slots.WordJudge(
        unknown=lambda w: surname_ok(w) and w.lower() not in _NOUNS, surname_ok=surname_ok, place_ok=surname_ok,
        clinical=lambda w: w.lower() in _CLINICAL, surname=lambda w: w.lower() in _SURNAMES,
        given=lambda w: w.lower() in _GIVEN, given_slot=given_slot, capital_slot=given_slot,
        abbreviation=lambda w: False)


def _spans(hits, text):
    return {text[h.start:h.end] for h in hits}


@pytest.mark.parametrize(("text", "names"), [
    # a self-introduction: after a greeting, "my name is", or "this is ... calling"
    ('Text from daughter: "hi, it\'s jasper, mom fell again."', {"jasper"}),
    ('TEXT FROM DAUGHTER: "HI, IT\'S JASPER, MOM FELL AGAIN."', {"JASPER"}),
    ("Hello, this is Aurora.", {"Aurora"}),
    ("my name is briar and I am his neighbor.", {"briar"}),
    ('voicemail: "this is wren sorrel calling about my father\'s pills."', {"wren sorrel"}),
    ("This is   Linden   calling back.", {"Linden"}),  # runs of blanks
    ("it's aurora returning your call", {"aurora"}),
    # the one a relative reports on
    ('wife reports: "briar has been confused since tuesday."', {"briar"}),
    ("Jasper was agitated overnight.", {"Jasper"}),
    ("LINDEN HAS BEEN VERY CONFUSED.", {"LINDEN"}),
    # a relative right after a possessive and the relation
    ('Patient states "my son jasper handles my medications."', {"jasper"}),
    ("lives with her daughter aurora.", {"aurora"}),
])
def test_cue_word_names(text, names):
    assert _spans(slots.cue_word_names(text, _judge()), text) == names


@pytest.mark.parametrize("text", [
    "Hi, it's me, I feel worse. Hi, I am worried. Hello, I'm sorry.",
    "This is worse than before. It's Tuesday. This is the pharmacy calling.",
    "this is home health calling",  # a clinical word before "calling"
    "Mood has been agitated. Memory has been confused. Patient has been confused. He was confused.",
    "Mom has been confused. Grandpa was agitated. Team is really confused.",
    "My son says he is fine. Her daughter is here. My husband again refused. Her son works nights.",
    "My daughter today said no.",
    "Hi, this is a follow-up visit.",
])
def test_cue_word_names_leave_ordinary_words(text):
    assert slots.cue_word_names(text, _judge()) == []


@pytest.mark.parametrize(("text", "names"), [
    ("case manager (linden) will call the family.", {"linden"}),  # a noun alone in the parentheses, lower case
    ("CASE MANAGER (LINDEN) WILL CALL THE FAMILY.", {"LINDEN"}),
    ("Attending (Briar) aware.", {"Briar"}),
])
def test_role_names_take_a_noun_alone(text, names):
    assert _spans(slots.role_names(text, _judge()), text) == names


@pytest.mark.parametrize("text", [
    "Nurse (nights) notified. Attending (agency) aware. Resident (ICU) paged. Attending (cardiology) aware.",
    "charge nurse (mood) aware.",  # a mind's faculty is no person
])
def test_role_names_leave_shifts_and_staffing(text):
    assert slots.role_names(text, _judge()) == []


@pytest.mark.parametrize(("text", "names"), [
    ("Seen today.\nmessage left for ngo loan.", {"ngo loan"}),  # two listed names in lower case, a mixed-case note
    ("Seen today.\nvo thanh was admitted overnight.", {"vo thanh"}),  # a two-letter family name before a given name
])
def test_slot_names_pairs_in_lower_case(text, names):
    assert _spans(slots.slot_names(text, _judge()), text) == names


@pytest.mark.parametrize("text", [
    "Seen today.\nmessage left for case management.",  # nouns, no listed names
    "Seen today.\nmessage left for loan office.",  # one listed name beside an ordinary word
])
def test_slot_names_leave_lower_case_nouns(text):
    assert slots.slot_names(text, _judge()) == []


@pytest.mark.slow
@pytest.mark.parametrize(("text", "gone"), [
    ('Seen in clinic.\nText from daughter: "hi, it\'s aurora, mom fell again last night."', ["aurora"]),
    ('seen in clinic.\nvoicemail: "this is jasper wren calling about my father\'s pills."', ["jasper", "wren"]),
    ('Seen in clinic.\nwife reports: "jasper has been confused since tuesday."', ["jasper"]),
    ('SEEN IN CLINIC.\nWIFE REPORTS: "JASPER HAS BEEN CONFUSED SINCE TUESDAY."', ["JASPER"]),
    ('Seen in clinic.\nPatient states "my son jasper handles my medications."', ["jasper"]),
    ("seen in clinic.\ncase manager (jasper) will call the family.", ["jasper"]),
])
def test_stage_removes_cue_word_names(rules_stage, text, gone):
    out = deid_text(rules_stage, text)
    for w in gone:
        assert not re.search(rf"(?<!\w){re.escape(w)}(?!\w)", out, re.I), (w, out)


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Hi, it's me. This is worse than before. This is the pharmacy calling about a refill.",
    "Mood has been agitated. Patient has been confused. Her son works nights. My daughter today said no.",
    "Charge nurse (nights) notified. Attending (agency) aware.",
])
def test_stage_leaves_ordinary_text(rules_stage, text):
    assert "[" not in deid_text(rules_stage, text), deid_text(rules_stage, text)
