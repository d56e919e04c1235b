"""A drug's brand name that opens a short text is no person's name.

The default pipeline de-identifies before it extracts. A text that opens with a brand name (an
allergy-table row, a medication line, a list item handed to ``nlp()`` alone) gave the
transformer a capitalised unknown word with no cue around it, and it read it as a NAME: the
drug was masked and the extraction lost it (``nlp("Janumet: itchy and anaphylaxis")`` had no
ALLERGEN). A hit of the detectors that read no cue is dropped when its words are drug or
allergen words of the vocabulary that no list of names knows. A title or a name label before
the word keeps it masked, and so does a word any list of names knows. Every person here is
invented; the drug names are real brand names of the bundled RxNorm extract.
"""

from __future__ import annotations

import pytest


def _masked(nlp, text: str) -> list[str]:
    doc = nlp(text)
    return [text[p.orig_start:p.orig_end] for p in doc.phi]


# (text, the drug that must survive de-identification, the label the pipeline gives it)
DRUG_ROWS = [
    ("Janumet: itchy and anaphylaxis", "Janumet", "ALLERGEN"),
    ("Rezlidhia   Anaphylaxis", "Rezlidhia", "ALLERGEN"),
    ("Gelusil - Mouth sores", "Gelusil", "ALLERGEN"),
    ("Clindacin   Myalgias (Severe)", "Clindacin", "ALLERGEN"),
    ("Symbravo\tLightheadedness; arrhythmia", "Symbravo", "ALLERGEN"),
    ("Janumet 50/500 mg BID", "Janumet", "MEDICATION"),
    ("Xalatan 1 gtt OU qhs", "Xalatan", "MEDICATION"),
    ("Combigan BID OU", "Combigan", "MEDICATION"),
]

# abbreviations the vocabulary lists as one drug (not the ambiguous ones, "AT"): the whole
# hit is a drug term, though no word of it is a drug word of three letters or more
ABBREVIATION_ROWS = [
    "AT's prn OU",
    "AT's PRN OU",
    "ATs qid OU",
    "HCTZ 25 mg daily",
    "PCN - hives",
]


@pytest.mark.parametrize("text", ABBREVIATION_ROWS)
def test_a_drug_abbreviation_opening_a_short_text_is_not_masked(nlp, text):
    assert _masked(nlp, text) == []
    assert any(e.label in ("MEDICATION", "ALLERGEN") for e in nlp(text).entities)


@pytest.mark.parametrize("text,drug,label", DRUG_ROWS)
def test_a_brand_name_opening_a_short_text_is_not_masked(nlp, text, drug, label):
    assert _masked(nlp, text) == []
    doc = nlp(text)
    assert any(e.text == drug and e.label == label for e in doc.entities), [(e.label, e.text) for e in doc.entities]


@pytest.mark.parametrize("text", [
    "- NicAzel   Redness",
    "Benzoyl peroxide",
    "He is allergic to Flulaval Quadrivalent 2022-2023 - Eye irritation.",
])
def test_drug_words_beside_english_words_are_not_masked(nlp, text):
    assert [m for m in _masked(nlp, text) if not any(ch.isdigit() for ch in m)] == []


# (text, the name that must be masked): a cue before a drug word, or a name word beside it
CUED = [
    ("Seen by Dr. Janumet today.", "Janumet"),
    ("Patient: Janumet", "Janumet"),
    ("Signed: Rezlidhia", "Rezlidhia"),
    ("Seen by Janumet today", "Janumet"),
    ("Patient: Rezlidhia Okafor", "Okafor"),
    ("Allegra Smith was seen today.", "Smith"),
]


@pytest.mark.parametrize("text,name", CUED)
def test_a_drug_word_with_name_evidence_stays_masked(nlp, text, name):
    assert any(name in m for m in _masked(nlp, text)), _masked(nlp, text)


def test_the_veto_needs_every_word_to_be_a_drug_or_english_word(nlp):
    # an unknown word beside the brand name is a name's evidence: the hit is not vetoed
    stage = nlp.get_stage("deid")
    text = "Janumet Quorrathby arrived"
    hits = stage.detect(text)
    assert any("Quorrathby" in text[h.start:h.end] for h in hits)


# one whole drug or allergen term of two words or more, though one word is a name any list
# knows ("bee", "alfa"): the term, not a person; a cue before it, or every word a name, keeps it
@pytest.mark.parametrize("text,term", [
    ("- bee sting   - life-threatening, treated with albuterol", "bee sting"),
    ("elosulfase alfa  Lip swelling; throat closing", "elosulfase alfa"),
])
def test_a_whole_multiword_drug_term_with_a_name_word_is_not_masked(nlp, text, term):
    assert _masked(nlp, text) == []
    assert any(e.text == term and e.label == "ALLERGEN" for e in nlp(text).entities)


@pytest.mark.parametrize("text,name", [
    ("Patient: Bee Sting", "Bee Sting"),
    ("Allegra D. called back.", "Allegra"),
])
def test_a_cue_or_a_name_with_an_initial_keeps_the_mask(nlp, text, name):
    assert any(name in m for m in _masked(nlp, text)), _masked(nlp, text)


# a short given name that is also a drug word ("asa", aspirin; "cal") before a surname no list
# knows: the unknown word is a name's evidence, and the whole is no drug term (a regression the
# held-out canary caught: the drug word's flag let the next word through unchecked)
@pytest.mark.parametrize("text,name", [
    ("Message left for Cal Quennowe.", "Quennowe"),
    ("Note written by Asa Brightholm.", "Brightholm"),
    ("message left for cal quennowe.", "quennowe"),
    ("NOTE WRITTEN BY ASA BRIGHTHOLM.", "BRIGHTHOLM"),
    ("Janumet Quorrathby arrived late.", "Quorrathby"),
])
def test_a_drug_word_before_an_unknown_word_is_no_veto(nlp, text, name):
    assert any(name in m for m in _masked(nlp, text)), _masked(nlp, text)
