"""Allergy semantics: an ALLERGEN needs an allergy context; prose intolerances; the
allergies section decides allergy_status; and the NER recall backstop for a line's drug."""

from __future__ import annotations

import pytest
from entity_doc import entities_from

from ehrnlp.model import Document
from ehrnlp.relations import RelationStage
from ehrnlp.sections import SectionStage


def run(text: str, spans: list[tuple[str, str]]) -> Document:
    ents = entities_from(text, spans)
    doc = RelationStage()(SectionStage()(Document(text=text, entities=tuple(ents))))
    doc.check()
    return doc


def label_of(doc: Document, phrase: str) -> str:
    return next(e.label for e in doc.entities if e.text == phrase)


@pytest.mark.parametrize("text,drug", [
    ("Dilated with tropicamide and phenylephrine today.", "tropicamide"),
    ("Exam: cornea clear, gonioscopy open angles.", "gonioscopy"),
    ("Plan: continue Combigan in both eyes.", "Combigan"),
])
def test_allergen_outside_any_allergy_context_is_a_medication(text, drug):
    doc = run(text, [("ALLERGEN", drug)])
    assert label_of(doc, drug) == "MEDICATION"
    assert doc.allergy_status is None


@pytest.mark.parametrize("text,thing", [
    ("She had hives after eating walnuts last month.", "walnuts"),
    ("Sneezing each spring from tree pollen.", "tree pollen"),
])
def test_foods_and_environmental_substances_stay_allergens(text, thing):
    assert label_of(run(text, [("ALLERGEN", thing)]), thing) == "ALLERGEN"


@pytest.fixture(scope="module")
def vocab_stage():
    from ehrnlp.vocab import load_vocabulary

    return RelationStage(load_vocabulary())


def run_vocab(stage: RelationStage, text: str, spans: list[tuple[str, str]]) -> Document:
    doc = stage(SectionStage()(Document(text=text, entities=tuple(entities_from(text, spans)))))
    doc.check()
    return doc


# the tagger's ALLERGEN on a finding, outside any allergy context: the vocabulary's finding
@pytest.mark.parametrize("text,finding", [
    ("3. Ectropion OU  - likely source of epiphora. Defer surgical eval.", "epiphora"),
    ("Ectropion OU - likely source of   epiphora.", "epiphora"),
    ("Complains of itching around both eyes since Monday.", "itching"),
    ("Has had headache for three days, worse in the morning.", "headache"),
    ("HISTORY OF ASTHMA SINCE CHILDHOOD.", "ASTHMA"),
])
def test_a_finding_read_as_an_allergen_outside_any_context_is_a_finding(vocab_stage, text, finding):
    doc = run_vocab(vocab_stage, text, [("ALLERGEN", finding)])
    assert label_of(doc, finding) in ("SYMPTOM", "PROBLEM")
    assert doc.allergy_status is None


@pytest.mark.parametrize("text,reaction", [
    ("Allergies: penicillin - itching", "itching"),
    ("Allergic to sulfa (headache).", "headache"),
])
def test_the_same_words_inside_an_allergy_entry_stay_reactions(vocab_stage, text, reaction):
    drug = text.split()[1] if text.startswith("Allergies") else "sulfa"
    doc = run_vocab(vocab_stage, text, [("ALLERGEN", drug), ("REACTION", reaction)])
    assert label_of(doc, reaction) == "REACTION"
    assert label_of(doc, drug) == "ALLERGEN"


# a drug the vocabulary lists as a medication although a food's name is in it
@pytest.mark.parametrize("text,drug", [
    ("Fish oil", "Fish oil"),
    ("Takes fish oil and vitamin D at home.", "fish oil"),
    ("COD LIVER OIL", "COD LIVER OIL"),
    ("Dilated with tropicamide and phenylephrine today.", "tropicamide"),
    ("Started on Zorvexian drops last week.", "Zorvexian"),  # unknown to the vocabulary: a drug still
])
def test_a_medication_read_as_an_allergen_outside_any_context_is_a_medication(vocab_stage, text, drug):
    assert label_of(run_vocab(vocab_stage, text, [("ALLERGEN", drug)]), drug) == "MEDICATION"


@pytest.mark.parametrize("text,thing", [
    ("She had hives after eating walnuts last month.", "walnuts"),
    ("Sneezing each spring from tree pollen.", "tree pollen"),
    ("Avoids shellfish.", "shellfish"),
    ("Fish oil: hives", "Fish oil"),  # an allergy row: the context decides
])
def test_foods_stay_allergens_with_the_vocabulary(vocab_stage, text, thing):
    assert label_of(run_vocab(vocab_stage, text, [("ALLERGEN", thing)]), thing) == "ALLERGEN"


@pytest.mark.parametrize("text,drug", [
    ("She could not tolerate travoprost.", "travoprost"),
    ("Patient was unable to tolerate timolol drops.", "timolol"),
    ("Latanoprost caused redness and irritation.", "Latanoprost"),
    ("Bimatoprost/timolol both with burning.", "Bimatoprost"),
    ("Switched off Xalatan due to itching.", "Xalatan"),
    ("Stopped dorzolamide because of stinging.", "dorzolamide"),
    # the drug before a tolerate with no object of its own
    ("Had been on Azopt, but didn't tolerate.", "Azopt"),
    ("Tried Cosopt but could not tolerate it.", "Cosopt"),
    ("Lumigan - did not tolerate.", "Lumigan"),
    ("Was on Combigan; she was unable to tolerate the drops.", "Combigan"),
    ("She experienced side effects with Rhopressa.", "Rhopressa"),
])
def test_prose_intolerances_are_allergens_of_type_intolerance(text, drug):
    doc = run(text, [("MEDICATION", drug)])
    e = next(e for e in doc.entities if e.text == drug)
    assert e.label == "ALLERGEN" and e.allergy_type == "intolerance"


@pytest.mark.parametrize("text,drug", [
    ("Stopped aspirin due to surgery.", "aspirin"),
    ("Using artificial tears due to itching.", "artificial tears"),
    ("She tolerated latanoprost well.", "latanoprost"),
    ("Continue Xalatan, did not tolerate brimonidine.", "Xalatan"),  # brimonidine's, not Xalatan's
    ("Tried Cosopt and tolerated it.", "Cosopt"),
    ("Discussed side effects of Rhopressa.", "Rhopressa"),
    ("She never had side effects from Rhopressa.", "Rhopressa"),
    ("He hasn't had side effects from Rhopressa.", "Rhopressa"),
    ("Has not experienced side effects with Rhopressa.", "Rhopressa"),
])
def test_no_intolerance_without_an_intolerance_cue(text, drug):
    assert label_of(run(text, [("MEDICATION", drug)]), drug) == "MEDICATION"


def test_allergic_to_is_an_allergy_not_an_intolerance():
    doc = run("Allergic to penicillin (hives).", [("MEDICATION", "penicillin"), ("SYMPTOM", "hives")])
    e = next(e for e in doc.entities if e.text == "penicillin")
    assert e.label == "ALLERGEN" and e.allergy_type is None


def test_nka_in_the_allergies_section_beats_an_allergen_elsewhere():
    text = "Allergies: No Known Allergies\nHPI: she could not tolerate travoprost in the past."
    doc = run(text, [("MEDICATION", "travoprost")])
    assert label_of(doc, "travoprost") == "ALLERGEN"  # still an (intolerance) AllergyIntolerance
    assert doc.allergy_status == "none-known"


def test_listed_when_the_allergies_section_lists_one():
    text = "Allergies: sulfa (rash)\nHPI: no other complaints."
    assert run(text, [("ALLERGEN", "sulfa"), ("SYMPTOM", "rash")]).allergy_status == "listed"


# ----------------------------------------------------------------- the NER backstop

@pytest.fixture(scope="module")
def nlp():
    from ehrnlp.pipeline import load

    return load(deidentify=False)


@pytest.mark.slow
@pytest.mark.parametrize("line,drug", [
    ("Timolol BID OU", "Timolol"), ("Lumigan qHS OS", "Lumigan"), ("Plan: Lumigan qHS OS", "Lumigan"),
    ("timolol 0.5% BID OU", "timolol"),
    # issue 18: a sig after the drug anywhere on the line, a drug read as a name, an ambiguous
    # abbreviation or a dose form in the drug's slot, a lubricant brand
    ("Cosopt OU", "Cosopt"), ("Eye meds: Dorzolamide", "Dorzolamide"), ("Cont Xiidra", "Xiidra"),
    ("AT PRN OU", "AT"), ("Refresh Optive PRN OU", "Refresh Optive"), ("Gel at night OD", "Gel"),
])
def test_a_line_on_its_own_keeps_its_drug(nlp, line, drug):
    doc = nlp(line)
    assert any(e.label == "MEDICATION" and e.text == drug for e in doc.entities)


@pytest.mark.slow
@pytest.mark.parametrize("line", ["Follow up in 3 months OU", "* BID OU", "Dilated OU today",
                                  "Kolbeinn Arason BID", "Seen by Dr. Timolol today", "1. NTG OS>OD"])
def test_the_backstop_adds_no_drug_where_there_is_none(nlp, line):
    assert not nlp(line).entities_of("MEDICATION")


def test_a_rewrapped_table_row_keeps_its_reaction():
    text = ("Allergies  Allergen Reactions   \u2022 Codeine Pruritus and\nEdema   \u2022 Atorvastatin\n"
            "Calcium Myalgia   \u2022 Latex Rash")
    doc = run(text, [("ALLERGEN", "Codeine"), ("SYMPTOM", "Pruritus"), ("SYMPTOM", "Edema"),
                     ("ALLERGEN", "Atorvastatin"), ("SYMPTOM", "Myalgia"), ("ALLERGEN", "Latex"), ("SYMPTOM", "Rash")])
    got = {e.text: sorted(a.text for a in e.attributes) for e in doc.entities if e.label == "ALLERGEN"}
    assert got == {"Codeine": ["Edema", "Pruritus"], "Atorvastatin": ["Myalgia"], "Latex": ["Rash"]}


@pytest.mark.parametrize("text,drug", [
    ("Medications: diphenhydrAMINE (BENADRYL ALLERGY) 25 mg tablet at bedtime as needed.", "diphenhydrAMINE"),
    ("Medications: Claritin Allergy 10 mg daily.", "Claritin"),
    ("Medications: cetirizine (ZYRTEC ALLERGY) 10 mg tablet daily.", "cetirizine"),
])
def test_a_product_named_allergy_is_no_cue(text, drug):
    assert label_of(run(text, [("ALLERGEN", drug)]), drug) == "MEDICATION"


@pytest.mark.parametrize("text,drug", [
    ("PCN (allergic).", "PCN"),
    ("Penicillin (allergy) - hives.", "Penicillin"),
    ("Sulfa allergy.", "Sulfa"),
])
def test_the_allergy_word_after_a_drug_is_still_a_cue(text, drug):
    assert label_of(run(text, [("MEDICATION", drug)]), drug) == "ALLERGEN"


@pytest.mark.parametrize("text", [
    "She is allergic to codeine, but may be able to start tramadol next week.",
    "Allergic to codeine however tolerates tramadol.",
    "Allergic to codeine, although tramadol was fine.",
])
def test_a_contrast_ends_a_prose_allergy_cue(text):
    doc = run(text, [("ALLERGEN", "codeine"), ("ALLERGEN", "tramadol")])
    assert label_of(doc, "codeine") == "ALLERGEN" and label_of(doc, "tramadol") == "MEDICATION"


# one sense per note: an ALLERGEN outside any allergy context that the vocabulary does not know
# takes the label the tagger gives the same words elsewhere in the note
@pytest.mark.parametrize("text,spans,label", [
    ("Graves disease (GD) was diagnosed in 2015. Thyroid storm with GD was treated with steroids.",
     [("PROBLEM", "GD"), ("ALLERGEN", "GD")], "PROBLEM"),
    ("Four worms were vomited. The worms were removed; worms were seen in the duct.",
     [("ALLERGEN", "worms"), ("SYMPTOM", "worms"), ("SYMPTOM", "worms")], "SYMPTOM"),
])
def test_an_unknown_allergen_outside_context_takes_the_notes_other_label(vocab_stage, text, spans, label):
    doc = run_vocab(vocab_stage, text, spans)
    assert [e.label for e in doc.entities] == [label] * len(spans)


def test_an_unknown_allergen_named_a_medication_elsewhere_is_a_medication(vocab_stage):
    text = "Zorvexian drops were started. Stopped Zorvexian after two weeks, eyes better."
    doc = run_vocab(vocab_stage, text, [("MEDICATION", "Zorvexian"), ("ALLERGEN", "Zorvexian")])
    assert [e.label for e in doc.entities] == ["MEDICATION", "MEDICATION"]


@pytest.mark.parametrize("text,drug,state", [
    ("Metoprolol was stopped, and she remained asymptomatic.", "Metoprolol", "asymptomatic"),
    ("All medications except for low-dose metoprolol were discontinued, and she remained asymptomatic.",
     "metoprolol", "asymptomatic"),
    ("Lisinopril was stopped; vision stable since.", "Lisinopril", "vision stable"),
])
def test_a_normal_state_after_a_halt_is_no_reaction(text, drug, state):
    doc = run(text, [("MEDICATION", drug), ("SYMPTOM", state)])
    assert label_of(doc, drug) == "MEDICATION"
    assert label_of(doc, state) == "SYMPTOM"


def test_a_reaction_after_a_halt_still_makes_an_intolerance():
    doc = run("Metoprolol was stopped because of a rash.", [("MEDICATION", "Metoprolol"), ("SYMPTOM", "rash")])
    assert label_of(doc, "Metoprolol") == "ALLERGEN"
