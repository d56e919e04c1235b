"""The name that opens a text cut after a title, with no cue left in it (issue 16, branch deid13):
"... a copy to Dr." / "Pemberton monitoring overnight." An application that splits a note on
periods hands over the second piece alone. Evidence, in general: a word that English text writes
capitalised far more often than in lower case and seldom in lower case (word frequencies,
data/capital_words.txt: "Pemberton", "Hollingsworth"; not "Hall", "Price", "Baker"), or an
unknown word that no word of the lexicon builds (a coined name: "Quorvane"; not "Subpleural",
"Immunostains", "Treponemal"). Texts in one case (capitals, lower case) take the same evidence
without the capital. Table-driven, positive and negative cases; every person is synthetic."""

from __future__ import annotations

import pytest

from ehrnlp.deid import slots

# ------------------------------------------------------------- the rule, over a little lexicon
_CLINICAL = {"disease", "catheter", "score", "cyst", "sequard", "nodules", "monitoring", "parkinson", "foley", "graves"}
_ENGLISH = _CLINICAL | set("""hall price baker bishop brown check will review the films aware of results was seen who saw her
agrees with plan for biopsy overnight no events were negative noted to follow up in clinic and team discussed""".split())
_CAPITAL = {"pemberton", "hollingsworth", "ashworth", "parkinson", "foley"}  # seldom written in lower case
_COINED = {"quorvane", "velmira", "dranoth", "pemb"}  # unknown words no word of the lexicon builds


def _judge() -> slots.WordJudge:
    def surname_ok(w: str) -> bool:
        return w.lower() not in _CLINICAL and w.lower() not in {"will", "the", "of", "price", "brown"}

    return slots.WordJudge(
        unknown=lambda w: surname_ok(w) and w.lower() not in _ENGLISH and w.lower() not in _CAPITAL,
        surname_ok=surname_ok, place_ok=surname_ok, clinical=lambda w: w.lower() in _CLINICAL,
        surname=lambda w: w.lower() in {"hall", "baker", "bishop", "brown", "price", "pemberton"},
        given=lambda w: w.lower() in {"will", "grace", "ashworth"}, abbreviation=lambda w: False,
        capital_word=lambda w: w.lower() in _CAPITAL, coined=lambda w, person=False: w.lower() in _COINED)


def _found(text: str) -> set[str]:
    return {text[h.start:h.end] for h in slots.opening_names(text, _judge())}


@pytest.mark.parametrize(("text", "name"), [
    ("Pemberton monitoring overnight, no events.", "Pemberton"),  # a word seldom written in lower case
    ("Hollingsworth will review the films.", "Hollingsworth"),
    ("Pemberton, who saw her, agrees with the plan.", "Pemberton"),
    ("Hollingsworth for the biopsy results.", "Hollingsworth"),
    ("Ashworth aware of the results.", "Ashworth"),  # a given name too, but seldom a lower-case word
    ("Quorvane to follow up in clinic.", "Quorvane"),  # a coined word: no lexicon word builds it
    ("Velmira and the team discussed discharge.", "Velmira"),
    ("PEMBERTON MONITORING OVERNIGHT, NO EVENTS.", "PEMBERTON"),  # one case: the same lists, no capital
    ("hollingsworth aware of the results.", "hollingsworth"),
    ("DRANOTH WILL REVIEW THE FILMS.", "DRANOTH"),
    ("quorvane for the biopsy results.", "quorvane"),
    ("  Pemberton monitoring overnight.", "Pemberton"),  # blanks before it
    ("Pemb was seen.", "Pemb"),  # a coined word of 4 letters in a mixed-case text
])
def test_opening_name_found(text, name):
    assert _found(text) == {name}


@pytest.mark.parametrize("text", [
    "Hall monitoring overnight.",  # English words that open sentences
    "Price check done.",
    "Baker's cyst noted.",
    "Bishop score 8.",
    "Graves disease.",
    "Parkinson disease was diagnosed.",  # an eponym seldom written in lower case, but a clinical word
    "Foley catheter removed.",
    "Brown sequard noted.",
    "Will review the films.",  # a given name that is a word
    "Grace was seen.",
    "HALL MONITORING OVERNIGHT.",  # one case, English words
    "parkinson disease was diagnosed.",
    "FOLEY CATHETER REMOVED.",
    "Pember was seen.",  # an unknown word that is no coined one
    "Seen today. Pemberton monitoring.",  # not the text's first word
    "Pemberton disease was ruled out.",  # an eponym's noun after it
    "PEMB WAS SEEN.",  # one case: 5+ letters (mixed case takes 4: "Pemb was seen.")
])
def test_opening_words_left(text):
    assert _found(text) == set()


# ------------------------------------------------------------- the stage's own lexicons and lists
@pytest.fixture(scope="module")
def judge():
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(transformer_phi=False, learned_ner=False))._judge


@pytest.mark.slow
@pytest.mark.parametrize(("word", "capital"), [
    ("Pemberton", True), ("Hollingsworth", True), ("Whitlock", True), ("Pilkington", True), ("Cartwright", True),
    ("Hall", False), ("Price", False), ("Baker", False), ("Bishop", False), ("Brown", False), ("Graves", False),
    ("Monitoring", False), ("English", False), ("Boston", False),
])
def test_capital_words_from_word_frequencies(judge, word, capital):
    assert judge.capital_word(word) is capital


@pytest.mark.slow
@pytest.mark.parametrize(("word", "coined"), [
    ("Quorvane", True), ("Velmira", True), ("Dranoth", True), ("Fernwick", True), ("Ashgrove", True),  # two English words: a surname's build
    ("Subpleural", False), ("Immunostains", False), ("Transesophageal", False), ("Nonobstructive", False),
    ("Echocardiographic", False), ("Paravertebral", False), ("Intraoperatively", False), ("Anticoagulated", False),
    ("Treponemal", False), ("Microliths", False), ("Trichiasis", False), ("Palinopsia", False), ("Troponin", False),
    ("Bloodwork", False),
])
def test_coined_words(judge, word, coined):
    assert judge.coined(word) is coined


@pytest.mark.slow
@pytest.mark.parametrize(("text", "name"), [
    ("Pemberton monitoring overnight, no events.\nBP stable.", "Pemberton"),
    ("Cartwright, who saw her last week, agrees.\nBP stable.", "Cartwright"),
    ("Whitlock (cardiology) recommends a repeat echo.\nBP stable.", "Whitlock"),
    ("Quorvane will review the films.\nBP stable.", "Quorvane"),
    ("PILKINGTON AWARE OF THE RESULTS.\nBP STABLE.", "PILKINGTON"),
    ("hollingsworth to follow up in clinic.\nbp stable.", "hollingsworth"),
    ("VELMIRA THINKS THE RASH IS DRUG RELATED.\nBP STABLE.", "VELMIRA"),
])
def test_stage_opening_names(judge, text, name):
    assert {text[h.start:h.end] for h in slots.opening_names(text, judge)} == {name}


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Hall monitoring overnight.\nBP stable.", "Price check done.\nBP stable.", "Baker's cyst noted.\nBP stable.",
    "Bishop score 8.\nBP stable.", "Graves disease, stable.\nBP stable.", "Parkinson disease.\nBP stable.",
    "Foley catheter removed.\nBP stable.", "Brown sequard syndrome.\nBP stable.",
    "Subpleural nodules noted.\nBP stable.", "Immunostains were negative.\nBP stable.",
    "Transesophageal echo done.\nBP stable.", "Troponin was negative.\nBP stable.",
    "HALL MONITORING OVERNIGHT.\nBP STABLE.", "parkinson disease.\nbp stable.", "FOLEY CATHETER REMOVED.\nBP STABLE.",
    "subpleural nodules noted.\nbp stable.", "TREPONEMAL ANTIBODIES NEGATIVE.\nBP STABLE.",
    "English speaking, no interpreter.\nBP stable.", "Monday follow up.\nBP stable.",
])
def test_stage_leaves_opening_words(judge, text):
    assert slots.opening_names(text, judge) == []


# an unknown word with a term's ending ("-ar", "-ous", "-ic", "-ent") opening a text: the subject's shorthand after it
# (an infinitive, people joined to it, a matter handed to it) makes it a person's name; a word the lexicon builds
# stays a term before the same words (nineteenth session; coined words of the canary's own syllables were not used)
@pytest.mark.slow
@pytest.mark.parametrize(("text", "name"), [
    ("Tolmaric for the biopsy results.\nBP stable.", "Tolmaric"),
    ("Pellisar to follow up in clinic in 2 weeks.\nBP stable.", "Pellisar"),
    ("Drevanous and the team discussed discharge.\nBP stable.", "Drevanous"),
    ("Kasiment for the lab report.\nBP stable.", "Kasiment"),
    ("Zandoval to call back tomorrow.\nBP stable.", "Zandoval"),
    ("Orvelic and I reviewed the films.\nBP stable.", "Orvelic"),
    # a text of one case: a matter handed to it, people joined to it (dev seed 1237: a cut title in lower case)
    ("tolmaric for the biopsy results.\nbp stable.", "tolmaric"),
    ("TOLMARIC FOR THE LAB REPORT.\nBP STABLE.", "TOLMARIC"),
    ("drevanous and the team discussed discharge.\nbp stable.", "drevanous"),
    ("ORVELIC AND I REVIEWED THE FILMS.\nBP STABLE.", "ORVELIC"),
])
def test_stage_opening_term_ending_names(judge, text, name):
    assert {text[h.start:h.end] for h in slots.opening_names(text, judge)} == {name}


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Perihilar for the biopsy results.\nBP stable.",  # words the lexicon builds ("peri" + "hilar")
    "Paravertebral to follow.\nBP stable.", "Retroareolar and the team.\nBP stable.",
    "Tolmaric for the pain.\nBP stable.",  # no person's matter after "for the": a drug no list holds reads so too
    "Tolmaric was noted.\nBP stable.", "TOLMARIC TO FOLLOW UP.\nBP STABLE.",  # one case: an infinitive is no evidence
    "perihilar for the biopsy results.\nbp stable.", "tolmaric for the pain.\nbp stable.", "tolmaric to continue.\nbp stable.",
])
def test_stage_leaves_opening_terms(judge, text):
    assert slots.opening_names(text, judge) == []


# ------------------------------------------------------------- a surname with an elided particle after a name
@pytest.fixture(scope="module")
def stage():
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(transformer_phi=False, learned_ner=False))  # the rules alone


@pytest.mark.slow
@pytest.mark.parametrize(("text", "word"), [
    ("Seen in clinic today.\nfamily meeting: maren o'keeffe and the team.", "o'keeffe"),  # lower-case line, mixed-case note
    ("Family meeting: Maren O'Keeffe and the team.", "O'Keeffe"),
    ("FAMILY MEETING: MAREN D'SOUZA AND THE TEAM.", "D'SOUZA"),
    ("message left for desmond o’connor this afternoon.", "o’connor"),  # a typographic apostrophe
])
def test_elided_particle_surname_after_a_name(stage, text, word):
    assert any(word in text[h.start:h.end] for h in stage.detect(text) if h.label == "NAME")


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Seen by Maren at 5 o'clock.",  # an English word with an elided particle
    "Message left for Maren d'arcy today.",  # a lower-case word after a capitalised name in a mixed-case note
])
def test_elided_particle_words_left(stage, text):
    found = " ".join(text[h.start:h.end] for h in stage.detect(text) if h.label == "NAME")
    assert "o'clock" not in found and "d'arcy" not in found


# ------------------------------------------------------------- "Last,<tab>First" cells and a label's "Last, First"
@pytest.mark.slow
@pytest.mark.parametrize(("text", "words"), [
    ("Seen today.\nPatient |\tWhitlock,\tOrarth\nBP stable.", ["Whitlock", "Orarth"]),  # a tab wrote the comma's blank
    ("Seen today.\nPatient |\tBrannigan,\tIgnatius\nBP stable.", ["Brannigan", "Ignatius"]),
    ("Dear colleague,\nRe: Saint-Aubin, Maren\nThank you.", ["Saint-Aubin", "Maren"]),  # a label's "Last, First", a compound
    ("RE: SAINT-AUBIN, MAREN\nTHANK YOU.", ["SAINT-AUBIN", "MAREN"]),
    ("re: bell-hill, maren\nthanks.", ["bell-hill", "maren"]),
    ("Seen today.\npatient |\tsorensen,\tkwame\nBP stable.", ["sorensen", "kwame"]),  # a lower-case row of a mixed-case note
    ("Seen today.\npatient |\tbrannigan,\tignatius\nBP stable.", ["brannigan", "ignatius"]),
])
def test_last_first_fields(stage, text, words):
    found = " ".join(text[h.start:h.end] for h in stage.detect(text) if h.label == "NAME")
    assert all(w in found for w in words)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "word"), [
    ("Re: Follow-up, Maren\nThank you.", "Follow-up"),  # an ordinary compound
    ("Re: X-ray, Maren\nThank you.", "X-ray"),
    ("Allergies |\tPenicillin,\tSulfa\nBP stable.", "Penicillin"),  # clinical words in a tab-separated cell
    ("Drug\tDose\nAspirin,\tdaily\nBP stable.", "Aspirin"),
    ("Seen today.\nallergies |\tpenicillin,\tsulfa\nBP stable.", "penicillin"),  # a lower-case row of words
    ("Seen today.\npets |\tdogs,\tcats\nBP ok.", "dogs"),
    ("Seen today.\nhobbies |\tgolf,\tfishing\nBP ok.", "golf"),
])
def test_last_first_fields_leave_words(stage, text, word):
    assert word not in " ".join(text[h.start:h.end] for h in stage.detect(text))


# ------------------------------------------------------------- a dictation reference whose letters are units too
@pytest.mark.slow
@pytest.mark.parametrize(("text", "found"), [
    ("Dictated, not read.\nGT/lb", True),  # capitals / lower case alone on a line: a reference, whatever the letters
    ("Seen today.\nKM/jd", True),
    ("Seen today.\nmg/dl", False),  # units in one case
    ("Seen today.\nIU/ml", False),  # a unit written in capitals
    ("Seen today.\nGI/ENT", False),
    ("SEEN TODAY.\nGT/LB", False),  # a note in capitals: the shape tells nothing
])
def test_dictation_reference_of_unit_letters(stage, text, found):
    assert any(h.label == "NAME" for h in stage.detect(text)) is found


# ------------------------------------------------------------- a hard wrap inside a quoted JSON value
@pytest.mark.slow
@pytest.mark.parametrize(("text", "words"), [
    ('Seen today.\n{"patient": {"id": "5779709", "name": "quorvane\nselidra"}, "author": "x"}\nBP ok.', ["quorvane", "selidra"]),
    ('{"patient": {"name": "Quorvane\nSelidra", "dx": "copd"}}', ["Quorvane", "Selidra"]),
])
def test_wrapped_json_name_value(stage, text, words):
    found = " ".join(text[h.start:h.end] for h in stage.detect(text) if h.label == "NAME")
    assert all(w in found for w in words)


@pytest.mark.slow
def test_wrapped_json_other_values_left(stage):
    text = '{"note": "pt stable\nplan same", "dx": "copd\nasthma"}'
    assert not [h for h in stage.detect(text) if h.label == "NAME"]
