"""Names the twelfth session found leaking on canary seed 743 and their neighbours (issue 16,
branch deid12): the surname cell before a given name in a ``Last,<tab>First`` or ``Patient |
Last, First`` field (also when the model read the given name as a place), a span that took its
cell's separator, ``Last`` / ``First`` column headers, a title cut from its name by a line break,
a signature label with its colon, a surname led by its particles opening a cell (``Van Houten``),
and the name that opens a text cut after a title (an application splitting a note on periods
hands over ``Strickland monitoring.``). Table-driven, positive and negative cases; every person
is synthetic."""

from __future__ import annotations

import pytest

from ehrnlp.deid import slots
from ehrnlp.deid.postprocess import _Hit

#: English and clinical words of this little lexicon (the stage uses WordNet's and its vocabularies)
_ENGLISH = set("""the tired yesterday aspirin sex patient guarantor dose first last role daily monitoring check hall price
disease tenosynovitis fracture mutation found transport arranged lesion novo showed thrombus pharmacy rn seen today
will call agrees with plan was started wrist left of they're hasn't""".split())
_CLINICAL = {"aspirin", "tenosynovitis", "fracture", "mutation", "lesion", "thrombus", "disease", "doppler", "parkinson"}
_FUNCTION = {"the", "of", "with", "was", "will"}
_WORDNET_NAMES = {"strickland", "delacroix"}  # nouns WordNet knows only as names
_WORLD = {"kowalczyk", "desmond"}


def _judge() -> slots.WordJudge:
    def surname_ok(w: str) -> bool:
        low = w.lower()
        return low not in _FUNCTION and low not in _CLINICAL and low not in {"tired", "yesterday", "daily", "price", "first", "last"}

    def unknown(w: str) -> bool:
        return surname_ok(w) and w.lower() not in _ENGLISH and w.lower() not in _WORDNET_NAMES

    return slots.WordJudge(unknown=unknown, surname_ok=surname_ok, place_ok=surname_ok,
                           clinical=lambda w: w.lower() in _CLINICAL, surname=lambda w: w.lower() in {"hall", "price", "strickland"},
                           place_name=lambda w: w.lower() in _WORDNET_NAMES, world=lambda w: w in _WORLD,
                           given=lambda w: w.lower() in {"desmond", "grace", "will"}, abbreviation=lambda w: False)


def _spans(hits, text):
    return {text[h.start:h.end] for h in hits}


def _hit(text: str, word: str, label: str = "NAME") -> _Hit:
    i = text.index(word)
    return _Hit(label, i, i + len(word), 0.9, "ehrnlp_transformer_phi:" + label)


# ------------------------------------------------------------- the surname cell before a given name
@pytest.mark.parametrize(("text", "given", "label", "surname"), [
    ("Seen today.\nQuorvane,\tSelidra\tSex: F", "Selidra", "NAME", "Quorvane"),  # "Last,<tab>First" opening a line
    ("Patient |\tQuorvane,\tSelidra", "Selidra", "NAME", "Quorvane"),  # a cell after a label's cell
    ("Patient | Quorvane, Selidra", "Selidra", "NAME", "Quorvane"),  # a comma and one blank in a cell
    ("quorvane|selidra|guarantor", "selidra", "LOCATION", "quorvane"),  # the given name read as a place
    ("QUORVANE,    SELIDRA", "SELIDRA", "LOCATION", "QUORVANE"),  # a blank run after the comma
])
def test_surname_cells_before(text, given, label, surname):
    hits = slots.surname_cells_before(text, [_hit(text, given, label)], _judge())
    assert _spans(hits, text) == {surname}


@pytest.mark.parametrize(("text", "given", "label"), [
    ("Tired, Selidra said she sleeps poorly.", "Selidra", "NAME"),  # an English word before the comma
    ("Aspirin,\tSelidra", "Selidra", "NAME"),  # a clinical word
    ("Quorvane, Selidra", "Selidra", "LOCATION"),  # a place after a comma in prose: a town, a state ("Quarrytown, PA")
    ("Seen at Quorvane\tSelidra Falls", "Selidra Falls", "LOCATION"),  # a place of two words is no given name
    ("Dose\tSelidra", "Selidra", "NAME"),  # (an English word in the cell)
])
def test_surname_cells_before_leave_words_and_places(text, given, label):
    assert slots.surname_cells_before(text, [_hit(text, given, label)], _judge()) == []


def test_field_given_names_after_a_span_that_took_the_separator():
    text = "Contacts:\nQuorvane|Selidra|guarantor"
    i = text.index("Quorvane")
    hit = _Hit("LOCATION", i, i + len("Quorvane|"), 0.9, "ehrnlp_transformer_phi:LOCATION")
    assert _spans(slots.field_given_names(text, [hit], _judge()), text) == {"Selidra"}


# ------------------------------------------------------------- a surname led by its particles
@pytest.mark.parametrize(("text", "names"), [
    ("Care team\tRole\nVan Houten\tpharmacy", {"Van Houten"}),
    ("Seen today.\nVan   Houten   pharmacy", {"Van Houten"[:3] + "   Houten"}),  # blank runs
    ("Seen today.\nDe la Quorvane | RN", {"De la Quorvane"}),
    ("SEEN TODAY.\nVAN HOUTEN   PHARMACY", {"VAN HOUTEN"}),  # a note in capitals
])
def test_particle_led_surname_opening_a_cell(text, names):
    assert _spans(slots.particle_names(text, _judge()), text) == names


@pytest.mark.parametrize("text", [
    "Seen today.\nDe Quervain tenosynovitis of the left wrist.",  # an eponym before a clinical word
    "Seen today.\nVan transport arranged.",  # an English word after "Van"
    "Seen today.\nDe novo lesion.",  # a short Latin word
    "SEEN TODAY.\nDE NOVO MUTATION FOUND.",
    "Seen today.\nLe Houten fracture.",  # a fracture's eponym
    "Seen today.\nsent to van houten today",  # not opening a line or a cell
])
def test_particle_led_surname_leaves_eponyms_and_words(text):
    assert slots.particle_names(text, _judge()) == []


# ------------------------------------------------------------- the name that opens a text
@pytest.mark.parametrize(("text", "names"), [
    ("Strickland monitoring.", {"Strickland"}),  # a text cut after "... a copy to Dr."
    ("Strickland, who saw her last week, agrees.", {"Strickland"}),
    ("Delacroix will call.", {"Delacroix"}),
    ('"Kowalczyk will call."', {"Kowalczyk"}),  # a name of another language, after a quote
    ("  Delacroix monitoring overnight.", {"Delacroix"}),
    ("STRICKLAND MONITORING.", {"STRICKLAND"}),  # a text in one case: the lists without the capital (deid13)
])
def test_opening_names(text, names):
    assert _spans(slots.opening_names(text, _judge()), text) == names


@pytest.mark.parametrize("text", [
    "Hall monitoring was ordered.",  # a listed surname that is an English noun
    "Price check done.",
    "Parkinson disease was diagnosed.",  # an eponym, a clinical word
    "Doppler showed no thrombus.",
    "They're seen today.",  # a contraction
    "Grace was seen today.",  # a given name alone that is also a word
    "Quorvane monitoring.",  # an unknown word no list of names holds and the judge does not call coined
    "STRICK MONITORING.",  # a text in one case, a word no list of names holds
    "Seen today. Strickland monitoring.",  # not the text's first word
    "Strickland disease was ruled out.",  # an eponym's noun after it
])
def test_opening_names_leave_words(text):
    assert slots.opening_names(text, _judge()) == []


# ------------------------------------------------------------- the stage (lexicons, lists, rules alone)
@pytest.fixture(scope="module")
def stage():
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(transformer_phi=False, learned_ner=False))  # the rules alone: no model finds it instead


def _found(stage, text):
    return {text[h.start:h.end] for h in stage.detect(text)}


@pytest.mark.slow
@pytest.mark.parametrize(("text", "gone"), [
    ("Can Dr.\nQuorvane (pharmacy) call me back?", ["Quorvane"]),  # a title cut from its name by a line break
    ("Seen by DR.\r\nQUORVANE today.", ["QUORVANE"]),
    ("HPI: stable.\nsigned: quorvane w.\nBP ok.", ["quorvane"]),  # a signature label with its colon
    ("Electronically signed: Quorvane Selidra", ["Quorvane"]),
    ("Seen today.\nquorvane,\tdesmond\tsex: f\nBP stable.", ["quorvane", "desmond"]),
    ("Seen today.\nLast\tFirst\tRole\nQuorvane\tSelidra\tpatient\nBP stable.", ["Quorvane", "Selidra"]),
    ("Care team\tRole\nVan Houten\tpharmacy\nSeen today.", ["Houten"]),
    ("Strickland monitoring.", ["Strickland"]),
])
def test_stage_removes_cut_and_field_names(stage, text, gone):
    found = " ".join(_found(stage, text))
    for word in gone:
        assert word in found


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Hall monitoring was ordered. Price check done. This is worse.",
    "Signed consent was obtained.",  # "signed" without its colon
    "Dose\tFirst\tLast\nAspirin\t81 mg\tdaily",  # a dose table under First / Last
    "De Quervain tenosynovitis of the left wrist.",
    "Parkinson disease was diagnosed in 2010.",
    "Mr.\nIs the dose right?",  # a title at a line's end before an English word
    "Recurrent severe MR.\nValvular defects resulted from endocarditis.",  # "MR." closes a sentence on mitral regurgitation
])
def test_stage_leaves_words(stage, text):
    assert not {h.label for h in stage.detect(text)} & {"NAME"}


# ------------------------------------------------------------- a weekday after a place's cue is a time
@pytest.mark.slow
@pytest.mark.parametrize(("text", "place"), [
    ("Visit for Quorvane moved to Thursday.", None),
    ("Appointment moved to next Monday morning.", None),
    ("Clinic moved to March.", None),  # a month
    ("She moved to Brackenridge in 2019.", "Brackenridge"),  # a town after the same cue stays a place
    ("He grew up in Quillan and moved to Thursday Falls.", "Thursday Falls"),  # a town with a weekday's word in it
])
def test_place_cue_leaves_times(stage, text, place):
    found = {text[h.start:h.end] for h in stage.detect(text) if h.label == "LOCATION"}
    assert (place in " ".join(found)) if place else not found
