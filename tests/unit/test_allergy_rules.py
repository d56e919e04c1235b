"""Allergy rules that read several mentions (ehrnlp.allergy_rules through the relations
stage): prose intolerances, the allergy-entry backstop, A/B, reactions in pieces, a
repeated reaction of the next entry, and the end of an allergies field. Synthetic notes."""

from __future__ import annotations

import pytest
from entity_doc import entities_from

from ehrnlp.allergy import find_allergy_contexts
from ehrnlp.allergy_rules import allergy_topic_end, entry_allergens
from ehrnlp.assertion import AssertionStage
from ehrnlp.model import Document, Entity
from ehrnlp.relations import RelationStage
from ehrnlp.sections import SectionStage, detect_sections
from ehrnlp.vocab import VocabEntry, Vocabulary, normalize_term


def _vocab() -> Vocabulary:
    rows = [("ioxaglate sodium", "MEDICATION"), ("metrizamide", "MEDICATION"), ("oxycodone", "MEDICATION"),
            ("timolol", "MEDICATION"), ("cosopt", "MEDICATION"), ("nitrous oxide", "MEDICATION"),
            ("sulfamethoxazole", "MEDICATION"), ("trimethoprim", "MEDICATION"),
            ("sulfamethoxazole/trimethoprim", "MEDICATION"), ("latanoprost", "MEDICATION"), ("codeine", "MEDICATION"),
            ("rash", "SYMPTOM"), ("nausea", "SYMPTOM")]
    return Vocabulary(VocabEntry(t, normalize_term(t), lab, "", "", "", "IN", "test", "1") for t, lab in rows)


VOCAB = _vocab()


def run(text: str, spans: list[tuple[str, str]], vocab: Vocabulary | None = None) -> Document:
    ents = list(entities_from(text, spans))
    doc = Document(text=text, entities=tuple(sorted(ents, key=lambda e: (e.start, e.end))))
    doc = RelationStage(vocabulary=vocab)(AssertionStage()(SectionStage()(doc)))
    doc.check()
    return doc


def allergens(doc: Document) -> dict[str, list[str]]:
    return {e.text: sorted(a.text for a in e.attributes if a.label == "REACTION") for e in doc.entities_of("ALLERGEN")}


# -- prose intolerances ---------------------------------------------------------------------

@pytest.mark.parametrize("text,drug,reactions", [
    ("Topical CAI leads to corneal decomposition.", "Topical CAI", ["corneal decomposition"]),
    ("Dorzolamide led to eye pain last year.", "Dorzolamide", ["eye pain"]),
    ("Latanoprost made him dizzy.", "Latanoprost", ["dizzy"]),
    ("Started latanoprost 3/2019 - had palpitations after starting it.", "latanoprost", ["palpitations"]),
    ("Started on timolol, developed fatigue.", "timolol", ["fatigue"]),
    ("Since starting on brimonidine has noticed lid crusting, and redness around the eyes.", "brimonidine",
     ["lid crusting", "redness"]),
    ("Since starting Xalatan she noticed eye redness.", "Xalatan", ["eye redness"]),
    ("After beginning Cosopt he developed headaches.", "Cosopt", ["headaches"]),
    ("Stopped latanoprost - itching and irritation.", "latanoprost", ["irritation", "itching"]),
    ("D/c'd timolol - fatigue.", "timolol", ["fatigue"]),
    ("Discontinued brimonidine because it caused dry mouth.", "brimonidine", ["dry mouth"]),
    ("Switched from Xalatan to Lumigan due to redness.", "Xalatan", ["redness"]),
    ("Had palpitations after starting latanoprost in May.", "latanoprost", ["palpitations"]),
    ("Eye redness ever since starting on Xalatan.", "Xalatan", ["Eye redness"]),
    ("Timolol was stopped due to fatigue.", "Timolol", ["fatigue"]),
    ("Brimonidine was discontinued - dry mouth.", "Brimonidine", ["dry mouth"]),
    # charting drops the auxiliary; "2/2" and "s/t" say "secondary to"
    ("Glaucoma: timolol d/c due to fatigue, switched to latanoprost.", "timolol", ["fatigue"]),
    ("Xalatan discontinued 2/2 itching.", "Xalatan", ["itching"]),
    ("Cosopt stopped because of burning.", "Cosopt", ["burning"]),
    ("Brimonidine dc'd s/t follicular conjunctivitis.", "Brimonidine", ["follicular conjunctivitis"]),
    # side effects the patient had
    ("Patient had side effects from timolol: fatigue.", "timolol", ["fatigue"]),
    ("Has side effects on Xalatan (redness).", "Xalatan", ["redness"]),
    # a time between the halt and its reason
    ("Patient states that he stopped taking Dorzolamide about 3-4 months ago, intense burning.", "Dorzolamide",
     ["burning"]),
    ("Stopped latanoprost two weeks ago due to itching.", "latanoprost", ["itching"]),
    ("Discontinued Cosopt last month because of stinging.", "Cosopt", ["stinging"]),
    # the finding first, the drug its agent
    ("Blepharitis with telangiectatic vessels, sometimes exacerbated by Xalatan.", "Xalatan", ["Blepharitis"]),
    ("Hyperemia caused by the latanoprost.", "latanoprost", ["Hyperemia"]),
    ("Dry mouth, likely induced by brimonidine.", "brimonidine", ["Dry mouth"]),
    ("Headaches were triggered by Cosopt.", "Cosopt", ["Headaches"]),
    # the patient's own report while taking it
    ("Takes amlodipine at night, with prior lisinopril felt sleepy with AM dosing.", "lisinopril", ["sleepy"]),
    ("While on timolol she felt tired.", "timolol", ["tired"]),
    ("On previous Combigan became dizzy.", "Combigan", ["dizzy"]),
])
def test_prose_intolerance_is_an_intolerance_with_its_reactions(text, drug, reactions):
    spans = [("MEDICATION", drug)] + [("SYMPTOM", r) for r in reactions]
    if "Lumigan" in text:
        spans.append(("MEDICATION", "Lumigan"))
    doc = run(text, spans)
    e = next(e for e in doc.entities if e.text == drug)
    assert e.label == "ALLERGEN" and e.allergy_type == "intolerance"
    assert sorted(a.text for a in e.attributes if a.label == "REACTION") == sorted(reactions)
    assert doc.allergy_status == "listed"
    if "Lumigan" in text:  # the drug switched to is no allergen
        assert next(x for x in doc.entities if x.text == "Lumigan").label == "MEDICATION"


@pytest.mark.parametrize("text,drug", [
    ("Not tolerating Combigan.", "Combigan"),
    ("Had trouble tolerating Rhopressa.", "Rhopressa"),
])
def test_trouble_tolerating_is_an_intolerance(text, drug):
    e = next(e for e in run(text, [("MEDICATION", drug)]).entities if e.text == drug)
    assert e.label == "ALLERGEN" and e.allergy_type == "intolerance"


@pytest.mark.parametrize("text,drug,reaction", [
    ("No side effects since starting latanoprost.", "latanoprost", "side effects"),
    ("Started latanoprost - no redness or irritation.", "latanoprost", "redness"),
    ("If brimonidine causes redness, stop it.", "brimonidine", "redness"),
    ("Brimonidine may cause follicular conjunctivitis.", "Brimonidine", "follicular conjunctivitis"),
    ("Discussed that timolol can cause fatigue.", "timolol", "fatigue"),
    ("Stopped aspirin - surgery next week.", "aspirin", None),
    ("Stopped aspirin - bleeding risk for surgery.", "aspirin", None),
    ("Started latanoprost - IOP 14 today, no complaints.", "latanoprost", "complaints"),
    ("Latanoprost did not cause redness.", "Latanoprost", "redness"),
    ("No trouble tolerating latanoprost.", "latanoprost", "trouble"),
    ("No redness since starting latanoprost.", "latanoprost", "redness"),
    ("Pain improved after starting latanoprost.", "latanoprost", "Pain"),
    ("Timolol was stopped due to cost.", "Timolol", None),
    ("Timolol was stopped - no side effects.", "Timolol", "side effects"),
    ("Using artificial tears since starting Restasis for dry eye.", "Restasis", "dry eye"),
    ("Timolol held for surgery.", "Timolol", None),
    ("Timolol stopped for cataract surgery.", "Timolol", None),
    ("Latanoprost stopped due to cost.", "Latanoprost", None),
    ("Discussed possible side effects of brimonidine, such as redness.", "brimonidine", "redness"),
    ("Reviewed side effects of timolol including fatigue.", "timolol", "fatigue"),
    ("Tolerating latanoprost with no side effects from it.", "latanoprost", None),
    ("Stopped latanoprost two weeks ago for cataract surgery.", "latanoprost", "cataract surgery"),
    ("Held timolol three days ago before the laser trabeculoplasty.", "timolol", "laser trabeculoplasty"),
    ("Side effects: none. Continue latanoprost.", "latanoprost", None),
    ("Side effects: discussed, latanoprost may cause redness.", "latanoprost", "redness"),
    ("Redness may be exacerbated by latanoprost.", "latanoprost", "Redness"),
    ("Redness not caused by latanoprost.", "latanoprost", "Redness"),
    ("Pain relieved by ibuprofen.", "ibuprofen", "Pain"),
    ("Glaucoma controlled by latanoprost.", "latanoprost", "Glaucoma"),
    ("Pain since the fall. Treated by ibuprofen, caused by nothing else.", "ibuprofen", "Pain"),
    ("While on timolol she felt fine, no fatigue.", "timolol", "fatigue"),
    ("Started timolol, felt well.", "timolol", None),
])
def test_negated_hypothetical_or_unrelated_is_no_intolerance(text, drug, reaction):
    doc = run(text, [("MEDICATION", drug)] + ([("SYMPTOM", reaction)] if reaction else []))
    assert next(e for e in doc.entities if e.text == drug).label == "MEDICATION"
    assert doc.allergy_status is None


@pytest.mark.parametrize("label", ["drop side effects", "Side effects", "Medication side-effects"])
def test_a_field_of_side_effects_lists_intolerances(label):
    text = f"-{label}:  combigan and cosopt dizzy  -using timolol OD bid"
    doc = run(text, [("MEDICATION", "combigan"), ("MEDICATION", "cosopt"), ("SYMPTOM", "dizzy"),
                     ("MEDICATION", "timolol")])
    assert allergens(doc) == {"combigan": ["dizzy"], "cosopt": ["dizzy"]}
    assert {e.allergy_type for e in doc.entities_of("ALLERGEN")} == {"intolerance"}


@pytest.mark.parametrize("text,drug,cue,reactions", [
    ("Plan: adverse rxn to brimonidine (blepharitis, redness).", "brimonidine", "adverse rxn",
     ["blepharitis", "redness"]),
    ("Rxn to latanoprost - itching.", "latanoprost", "Rxn", ["itching"]),
    ("Adverse reaction to Cosopt: stinging.", "Cosopt", "Adverse reaction", ["stinging"]),
    ("Patient had side effects from timolol: fatigue.", "timolol", "side effects", ["fatigue"]),
])
def test_the_cue_is_no_reaction(text, drug, cue, reactions):
    """"rxn" is a reaction's abbreviation; a cue the tagger read as a finding is not linked."""
    doc = run(text, [("SYMPTOM", cue), ("MEDICATION", drug)] + [("SYMPTOM", r) for r in reactions])
    assert allergens(doc) == {drug: reactions}


def test_a_hypothetical_allergy_is_no_allergen():
    text = "Would consider dorzolamide if she develops an allergy to Alphagan."
    doc = run(text, [("MEDICATION", "dorzolamide"), ("MEDICATION", "Alphagan")])
    assert not doc.entities_of("ALLERGEN") and doc.allergy_status is None


def test_an_untagged_drug_class_before_leads_to_is_found():
    doc = run("Overview: topical CAI leads to corneal decomposition.", [("SYMPTOM", "corneal decomposition")])
    assert allergens(doc) == {"topical CAI": ["corneal decomposition"]}
    assert doc.entities_of("ALLERGEN")[0].allergy_type == "intolerance"


@pytest.mark.parametrize("text,drug,reactions", [
    ("- IOP stable on timolol BID OU  - latanoprost PF intolerance due to hyperemia  - trial", "latanoprost PF",
     ["hyperemia"]),
    ("Past: timolol allergy (bradycardia).", "timolol", ["bradycardia"]),
    ("Cosopt PF allergic reaction: hives", "Cosopt PF", ["hives"]),
])
def test_an_untagged_drug_before_its_intolerance_or_allergy_noun_is_found(text, drug, reactions):
    doc = run(text, [("SYMPTOM", r) for r in reactions], VOCAB)
    assert allergens(doc) == {drug: reactions} and doc.allergy_status == "listed"


@pytest.mark.parametrize("text", ["No timolol allergy.", "Denies latanoprost intolerance.",
                                  "Discussed timolol allergy risk.", "If latanoprost allergy develops, stop.",
                                  "Lactose intolerance.", "Xyz PF intolerance."])
def test_no_untagged_allergen_where_nothing_is_asserted(text):
    doc = run(text, [], VOCAB)
    assert allergens(doc) == {} and doc.allergy_status is None


@pytest.mark.parametrize("text", ["Discussed timolol allergy risk.", "Plan: latanoprost allergy testing next visit."])
def test_an_allergy_risk_or_test_is_no_allergy_of_a_tagged_drug(text):
    drug = "timolol" if "timolol" in text else "latanoprost"
    doc = run(text, [("MEDICATION", drug)], VOCAB)
    assert allergens(doc) == {} and doc.allergy_status is None


def test_an_untagged_word_before_caused_is_not_made_a_drug():
    doc = run("The fall caused a fracture.", [("PROBLEM", "fracture")])
    assert [e.label for e in doc.entities] == ["PROBLEM"]


# -- the allergy-entry backstop ---------------------------------------------------------------

def test_field_entries_the_tagger_missed_are_allergens():
    text = "Allergies:   Ioxaglate sodium; Metrizamide; Oxycodone; and Statins\n"
    doc = run(text, [("ALLERGEN", "Oxycodone")], VOCAB)
    assert sorted(allergens(doc)) == ["Ioxaglate sodium", "Metrizamide", "Oxycodone", "Statins"]


def test_classes_contrast_vaccines_preservatives_in_a_table():
    text = ("Allergies   Allergen Reactions   \u2022 Pneumococcal Vaccine Nausea   \u2022 Preservatives Rash   "
            "\u2022 Iodinated contrast Hives   \u2022 Beta blockers Bradycardia\n")
    spans = [("SYMPTOM", "Nausea"), ("SYMPTOM", "Rash"), ("SYMPTOM", "Hives"), ("SYMPTOM", "Bradycardia")]
    # without a vocabulary: drug classes, contrast agents, vaccines and preservatives only
    doc = run(text, spans)
    assert allergens(doc) == {"Pneumococcal Vaccine": ["Nausea"], "Preservatives": ["Rash"],
                              "Iodinated contrast": ["Hives"], "Beta blockers": ["Bradycardia"]}


def test_glaucoma_medications_to_avoid_field():
    text = "Glaucoma medications to avoid:  BBs - SOB, lightheadedness  Latanoprost - ineffective\n"
    doc = run(text, [("SYMPTOM", "SOB"), ("SYMPTOM", "lightheadedness")], VOCAB)
    assert allergens(doc) == {"BBs": ["SOB", "lightheadedness"], "Latanoprost": []}


def test_a_reaction_tag_on_an_entry_head_gives_way_to_the_drug():
    text = "Allergies   Allergen Reactions   \u2022 Contrast [Contrast Medium] Hives\n"
    doc = run(text, [("REACTION", "Contrast"), ("REACTION", "Hives")], VOCAB)
    assert allergens(doc) == {"Contrast": ["Hives"]}


@pytest.mark.parametrize("text", [
    "Plan: start statins and a beta blocker; contrast CT next week.\n",
    "Social history: drinks alcohol, quit tobacco.\n",
    "Allergies:   Patient has no known allergies.\n",
    "Allergies   Allergen Reactions   \u2022 Codeine Unknown     Dislike\n",
    "GLAUCOMA MEDICATIONS TO AVOID:    FAMILY HISTORY OF GLAUCOMA? NO  STEROID USE? YES- PREDNISONE\n",
    "Glaucoma medications to avoid:    Statin use? No  Kidney stones? No\n",
])
def test_the_backstop_adds_nothing_else(text):
    spans = [("ALLERGEN", "Codeine")] if "Codeine" in text else []
    doc = run(text, spans, VOCAB)
    assert sorted(allergens(doc)) == (["Codeine"] if spans else [])


def test_the_backstop_reads_allergies_sections_only():
    text = "Still has allergic symptoms. Steroid use? No  Kidney stones? No\n"
    secs = detect_sections(text)
    contexts = [c for c in find_allergy_contexts(text, secs)]
    assert contexts  # a prose allergy context is there ...
    doc = run(text, [], VOCAB)
    assert not doc.entities_of("ALLERGEN")  # ... but no field entry is read in it
    assert entry_allergens(text, [], [], None) == []


# -- A/B ----------------------------------------------------------------------------------

def test_slash_is_two_allergens_sharing_the_reactions():
    text = "Glaucoma medications to avoid:  ?Timolol/Cosopt - fatigue, depression\n"
    doc = run(text, [("ALLERGEN", "Timolol/Cosopt"), ("SYMPTOM", "fatigue"), ("SYMPTOM", "depression")], VOCAB)
    assert allergens(doc) == {"Timolol": ["depression", "fatigue"], "Cosopt": ["depression", "fatigue"]}
    # untagged, the backstop finds both
    doc = run(text, [("SYMPTOM", "fatigue"), ("SYMPTOM", "depression")], VOCAB)
    assert allergens(doc) == {"Timolol": ["depression", "fatigue"], "Cosopt": ["depression", "fatigue"]}


def test_a_combination_product_written_with_a_slash_stays_one():
    text = "Allergies: sulfamethoxazole/trimethoprim - rash\n"
    doc = run(text, [("ALLERGEN", "sulfamethoxazole/trimethoprim"), ("SYMPTOM", "rash")], VOCAB)
    assert allergens(doc) == {"sulfamethoxazole/trimethoprim": ["rash"]}


# -- reactions in pieces -----------------------------------------------------------------------

@pytest.mark.parametrize("row,pieces,whole", [
    ("Codeine Nausea and Vomiting", ["Nausea", "Vomiting"], ["Nausea and Vomiting"]),
    ("Codeine Nausea & vomiting", ["Nausea", "vomiting"], ["Nausea & vomiting"]),
    ("Codeine blurs vision/vertigo", ["blurs", "vision", "vertigo"], ["blurs vision", "vertigo"]),
    ("Codeine shakiness, unsteady on feet", ["shakiness", "unsteady", "feet"], ["shakiness", "unsteady on feet"]),
    ("Codeine burning eyes", ["burning", "eyes"], ["burning eyes"]),
    ("Codeine Pruritus and Edema", ["Pruritus", "Edema"], ["Edema", "Pruritus"]),
    ("Codeine Rash, Hives", ["Rash", "Hives"], ["Hives", "Rash"]),
    ("Codeine Nausea/Vomiting", ["Nausea", "Vomiting"], ["Nausea/Vomiting"]),
    ("Codeine Nausea / vomiting", ["Nausea", "vomiting"], ["Nausea / vomiting"]),
    ("Codeine Nausea/Rash", ["Nausea", "Rash"], ["Nausea", "Rash"]),
])
def test_a_reaction_written_in_pieces_is_one(row, pieces, whole):
    text = f"Allergies   Allergen Reactions   \u2022 {row}\n"
    doc = run(text, [("ALLERGEN", "Codeine")] + [("SYMPTOM", p) for p in pieces])
    assert allergens(doc) == {"Codeine": sorted(whole)}


def test_a_reaction_read_twice_is_linked_once():
    text = "Allergies   Allergen Reactions   \u2022 Codeine Nausea and Vomiting\n"
    doc = run(text, [("ALLERGEN", "Codeine"), ("REACTION", "Nausea"), ("SYMPTOM", "Nausea and Vomiting")])
    assert allergens(doc) == {"Codeine": ["Nausea and Vomiting"]}


def test_pieces_outside_an_allergy_context_stay_apart():
    text = "HPI: nausea and vomiting for two days, blurry vision.\n"
    doc = run(text, [("SYMPTOM", "nausea"), ("SYMPTOM", "vomiting"), ("SYMPTOM", "blurry"), ("SYMPTOM", "vision")])
    assert [e.text for e in doc.entities] == ["nausea", "vomiting", "blurry", "vision"]


# -- a repeated reaction of the next entry --------------------------------------------------------

@pytest.mark.parametrize("gap", ["  - ", " - ", "   -", "  : "])
def test_a_repeated_reaction_goes_to_its_own_entry(gap):
    text = f"Allergies/Intolerances: Travatan- ocular irritation, Zioptan{gap}ocular irritation\n"
    doc = run(text, [("ALLERGEN", "Travatan"), ("SYMPTOM", "ocular irritation"), ("ALLERGEN", "Zioptan"),
                     ("SYMPTOM", "ocular irritation")])
    got = {e.text: [(a.text, a.start) for a in e.attributes] for e in doc.entities_of("ALLERGEN")}
    first = text.index("ocular irritation")
    second = text.index("ocular irritation", first + 1)
    assert got == {"Travatan": [("ocular irritation", first)], "Zioptan": [("ocular irritation", second)]}


# -- where an allergies field stops ---------------------------------------------------------------

@pytest.mark.parametrize("field,status", [
    ("Allergies:   Penicillin", "listed"),
    ("Allergies:   Patient has no known allergies.", "none-known"),
    ("Allergies:   Patient has no allergy information on record.", None),
])
@pytest.mark.parametrize("social", [
    "She reports that she drinks alcohol. She reports that she does not use drugs.",
    "Pt  reports that he has never smoked. He reports that he does not drink alcohol or use drugs.",
    "He drinks about 2.4 oz of alcohol per week.",
])
def test_social_history_after_an_allergies_field_is_not_an_allergy(field, status, social):
    text = f"{field}    {social}\n"
    spans = [("MEDICATION", "alcohol")] + ([("ALLERGEN", "Penicillin")] if "Penicillin" in field else [])
    doc = run(text, spans)
    assert next(e for e in doc.entities if e.text == "alcohol").label == "MEDICATION"
    assert doc.allergy_status == status
    assert not any(a <= text.index("alcohol") < b for a, b in find_allergy_contexts(text, detect_sections(text)))


@pytest.mark.parametrize("case", [str.upper, str.lower, lambda x: x])
@pytest.mark.parametrize("field,status", [("Allergies: NKDA", "none-known"), ("Allergies: codeine", "listed")])
@pytest.mark.parametrize("item", ["History of Flomax use: yes", "Flomax use? Never", "Flomax:  no",
                                  "Prior Flomax use: unknown"])
def test_a_field_answered_on_the_next_line_ends_the_allergies_field(case, field, status, item):
    text = case(f"{field}\n{item}\nSteroid use? No\n")
    low = text.lower()
    spans = [("MEDICATION", text[low.index("flomax"):low.index("flomax") + 6])]
    if "codeine" in low:
        spans.append(("ALLERGEN", text[low.index("codeine"):low.index("codeine") + 7]))
    doc = run(text, spans)
    assert [e.text.lower() for e in doc.entities_of("ALLERGEN")] == (["codeine"] if status == "listed" else [])
    assert doc.allergy_status == status


def test_an_allergy_entrys_own_fields_do_not_end_the_list():
    text = "Allergies:\nPenicillin - hives\nSeverity: unknown\nSulfa - rash\n"
    doc = run(text, [("MEDICATION", "Penicillin"), ("SYMPTOM", "hives"), ("MEDICATION", "Sulfa"), ("SYMPTOM", "rash")])
    assert allergens(doc) == {"Penicillin": ["hives"], "Sulfa": ["rash"]}


@pytest.mark.parametrize("case", [str.upper, str.lower, lambda x: x])
def test_a_questionnaire_after_an_empty_field_is_not_an_allergy(case):
    text = case("Glaucoma medications to avoid:    Family history of glaucoma? No  Steroid use? Yes- prednisone "
                "for 2 months  Flomax use? Never  Anticoagulation? Yes- aspirin\n")
    drugs = [w for w in ("prednisone", "flomax", "aspirin") if w in text.lower()]
    spans = [("MEDICATION", text[text.lower().index(w):text.lower().index(w) + len(w)]) for w in drugs]
    doc = run(text, spans)
    assert not doc.entities_of("ALLERGEN") and doc.allergy_status is None


def test_an_alcohol_allergy_in_the_table_stays():
    text = "Allergies   Allergen Reactions   \u2022 Alcohol Rash     Pt states rash with swabs\n"
    doc = run(text, [("MEDICATION", "Alcohol"), ("SYMPTOM", "Rash"), ("SYMPTOM", "rash")])
    assert allergens(doc) == {"Alcohol": ["Rash", "rash"]}


@pytest.mark.parametrize("exam", ["Ophthalmic Examination     VAsc  20/40", "Motility:  Ortho in primary gaze, full OU",
                                  "IOP: OD 12, OS 27 by Applanation", "Slit lamp exam: quiet"])
def test_an_examination_after_a_flattened_allergies_field_ends_it(exam):
    text = f"Allergies:  Patient has no allergy information on record.     {exam}"
    assert allergy_topic_end(text, 0, len(text)) == text.index(exam)
    doc = run(text, [("ALLERGEN", "Ortho")] if "Ortho" in exam else [])
    assert allergens(doc) == {} and doc.allergy_status is None


def test_an_exam_word_in_a_reaction_comment_does_not_end_the_table():
    text = "Allergies  \u2022 Latanoprost Rash     rash seen on examination  \u2022 Codeine Itching"
    assert allergy_topic_end(text, 0, len(text)) == len(text)


def test_topic_end_keeps_table_comments_about_the_patient():
    text = "Allergies  \u2022 Ibuprofen Bleeding     Pt states this happened twice  \u2022 Codeine Itching"
    assert allergy_topic_end(text, 0, len(text)) == len(text)


# -- a finding the tagger called ALLERGEN in a table row -------------------------------------------

def test_a_non_drug_allergen_after_the_rows_substance_is_its_reaction():
    text = "Allergies   Allergen Reactions   \u2022 Nitrous Oxide Angina and Unknown   \u2022 Codeine Nausea\n"
    doc = run(text, [("ALLERGEN", "Nitrous Oxide"), ("ALLERGEN", "Angina"), ("ALLERGEN", "Codeine"),
                     ("SYMPTOM", "Nausea")], VOCAB)
    assert allergens(doc) == {"Nitrous Oxide": ["Angina"], "Codeine": ["Nausea"]}


# -- the columns of an Epic table row ------------------------------------------------------------

@pytest.mark.parametrize("gap", [" ", "   ", "\t", "\u00a0"])
def test_an_untagged_reaction_column_is_the_rows_reaction(gap):
    text = (f"Allergies   Allergen Reactions   \u2022 Latex{gap}Hives   \u2022 Codeine{gap}Swelling, Rash and tachy     "
            "Pt states twice\n")
    doc = run(text, [("ALLERGEN", "Latex"), ("ALLERGEN", "Codeine")], VOCAB)
    assert allergens(doc) == {"Latex": ["Hives"], "Codeine": ["Rash", "Swelling", "tachy"]}


@pytest.mark.parametrize("row", ["\u2022 Codeine Unknown     Hydrocodone is fine", "\u2022 Codeine Sulfate Unknown"])
def test_no_reaction_column_read_where_there_is_none(row):
    doc = run(f"Allergies   Allergen Reactions   {row}\n", [("ALLERGEN", "Codeine")], VOCAB)
    assert allergens(doc) == {"Codeine": []}


@pytest.mark.parametrize("gap", [" ", "   "])
def test_a_sig_word_in_a_rows_comment_keeps_the_substance_an_allergen(gap):
    text = (f"Allergies   Allergen Reactions   \u2022 Simvastatin Myalgia   \u2022 Statins-Hmg-Coa Reductase Inhibitors{gap}"
            "Unknown     If taken daily, causes muscle aches\n   Current Outpatient Medications\n")
    spans = [("ALLERGEN", "Simvastatin"), ("SYMPTOM", "Myalgia"), ("MEDICATION", "Statins-Hmg-Coa Reductase Inhibitors"),
             ("FREQUENCY", "daily"), ("SYMPTOM", "muscle aches")]
    doc = run(text, spans, VOCAB)
    assert allergens(doc) == {"Simvastatin": ["Myalgia"], "Statins-Hmg-Coa Reductase Inhibitors": ["muscle aches"]}


def test_a_medication_line_in_the_allergies_section_stays_a_medication():
    text = "Allergies   Allergen Reactions   \u2022 Codeine Rash   \u2022 timolol 0.5 % 1 drop daily\n"
    doc = run(text, [("ALLERGEN", "Codeine"), ("SYMPTOM", "Rash"), ("MEDICATION", "timolol"), ("DOSE", "1 drop"),
                     ("FREQUENCY", "daily")], VOCAB)
    assert allergens(doc) == {"Codeine": ["Rash"]}


@pytest.mark.parametrize("sentence,status", [
    ("Amoxicillin-clavulanate was avoided given penicillin allergy.", "not-taken"),
    ("Amoxicillin-clavulanate was not given because of the penicillin allergy.", "not-taken"),
    ("Amoxicillin-clavulanate 875 mg twice daily.", "active"),
])
def test_a_tagger_allergen_that_is_a_medication_reads_the_medication_rules(sentence, status):
    text = f"Discharge medications:\n1. {sentence}\n"
    doc = run(text, [("ALLERGEN", "Amoxicillin-clavulanate")])
    e = next(e for e in doc.entities if e.text == "Amoxicillin-clavulanate")
    assert e.label == "MEDICATION" and e.medication_status == status
    assert e.assertion.negated == (status == "not-taken")


def test_the_stage_builds_without_a_vocabulary_and_with_a_lazy_one():
    calls = []

    def lazy() -> Vocabulary:
        calls.append(1)
        return VOCAB

    st = RelationStage(vocabulary=lazy)
    doc = Document(text="Lisinopril 10 mg daily.", entities=(Entity("MEDICATION", 0, 10, "Lisinopril"),))
    st(SectionStage()(doc))
    assert calls == []  # no allergy context, no vocabulary load
    text = "Allergies:   Metrizamide\n"
    out = st(SectionStage()(Document(text=text)))
    assert [e.text for e in out.entities_of("ALLERGEN")] == ["Metrizamide"] and calls == [1]


# -- prose intolerances, the shapes of the fresh7 batch's misses and their neighbours ---------
# (invented sentences: the drug halted after a separator, the drug as the subject of a reaction
# word, the patient's own use after the reaction, a bare "after"/"from", problems with a list)

@pytest.mark.parametrize("text,drug,reactions", [
    ("Brimonidine/not using - itching and redness.", "Brimonidine", ["itching", "redness"]),
    ("Timolol - no longer taking - fatigue.", "Timolol", ["fatigue"]),
    ("Cosopt - discontinued 2 weeks ago for stinging.", "Cosopt", ["stinging"]),
    ("Azopt (stopped) - blurred vision.", "Azopt", ["blurred vision"]),
    ("Latanoprost - with marked hyperemia.", "Latanoprost", ["hyperemia"]),
    ("Gets redness when she uses Xalatan.", "Xalatan", ["redness"]),
    ("Burning every time he puts in Cosopt.", "Cosopt", ["Burning"]),
    ("Hypotension after clonidine.", "clonidine", ["Hypotension"]),
    ("• Bradycardia     from timolol??", "timolol", ["Bradycardia"]),
])
def test_more_prose_intolerance_shapes(text, drug, reactions):
    doc = run(text, [("MEDICATION", drug)] + [("SYMPTOM", r) for r in reactions])
    e = next(e for e in doc.entities if e.text == drug)
    assert e.label == "ALLERGEN" and e.allergy_type == "intolerance"
    assert sorted(a.text for a in e.attributes if a.label == "REACTION") == sorted(reactions)
    assert doc.allergy_status == "listed"


@pytest.mark.parametrize("text,drug", [
    ("Rhopressa is irritating.", "Rhopressa"),
    ("Combigan was burning so she stopped.", "Combigan"),
    ("Poorly tolerates beta blockers.", "beta blockers"),
    ("Had issues in the past with Cosopt.", "Cosopt"),
    ("Has had problems with latanoprost.", "latanoprost"),
])
def test_the_drug_said_to_be_a_reaction_or_a_problem_is_an_intolerance(text, drug):
    e = next(e for e in run(text, [("MEDICATION", drug)]).entities if e.text == drug)
    assert e.label == "ALLERGEN" and e.allergy_type == "intolerance"


def test_drugs_listed_after_the_use_share_the_intolerance():
    text = "Irritation when he uses Travatan & Rhopressa, his eyes feel irritated."
    doc = run(text, [("SYMPTOM", "Irritation"), ("MEDICATION", "Travatan"), ("MEDICATION", "Rhopressa")])
    for drug in ("Travatan", "Rhopressa"):
        e = next(e for e in doc.entities if e.text == drug)
        assert e.label == "ALLERGEN" and e.allergy_type == "intolerance", drug


def test_problems_with_a_list_of_drugs_are_all_intolerances():
    text = "Had problems in past with Alphagan, Trusopt and Lumigan."
    doc = run(text, [("MEDICATION", "Alphagan"), ("MEDICATION", "Trusopt"), ("MEDICATION", "Lumigan")])
    assert [e.label for e in doc.entities] == ["ALLERGEN"] * 3


@pytest.mark.parametrize("text,drug,reaction", [
    ("Xalatan is working well.", "Xalatan", None),
    ("Xalatan is not irritating.", "Xalatan", None),
    ("No redness when she uses Xalatan.", "Xalatan", "redness"),
    ("IOP better after latanoprost.", "latanoprost", None),
    ("Timolol - not using, ran out.", "Timolol", None),
    ("Timolol/not using - cost.", "Timolol", None),
    ("Had no problems with latanoprost.", "latanoprost", None),
    ("Never had issues with Cosopt.", "Cosopt", None),
    ("Latanoprost - with good IOP control.", "Latanoprost", None),
    ("Pain improved after latanoprost.", "latanoprost", "Pain"),
    ("If redness when she uses Xalatan, call.", "Xalatan", "redness"),
    ("Cosopt - discontinued 2 weeks ago for cataract surgery.", "Cosopt", "cataract surgery"),
])
def test_neighbours_of_the_new_shapes_that_are_no_intolerance(text, drug, reaction):
    doc = run(text, [("MEDICATION", drug)] + ([("SYMPTOM", reaction)] if reaction else []))
    assert next(e for e in doc.entities if e.text == drug).label == "MEDICATION"
    assert doc.allergy_status is None


@pytest.mark.parametrize("field,status", [
    ("Allergies:   ****    Pt reports that he has never smoked.", "listed"),
    ("Allergies/Intolerances: Tried ******* - did not work   STUDIES: Visual field", "listed"),
    ("Glaucoma medications to avoid: [NAME]\nFamily history of glaucoma? No", "listed"),
    ("Allergies: NKDA\nSocial history: never smoker.", "none-known"),
    ("Allergies:   \nSocial history: never smoker.", None),
    ("Allergies: not on file ****\nPlan: follow up.", None),
])
def test_a_masked_first_entry_of_an_allergies_field_is_listed(field, status):
    assert run(field, []).allergy_status == status


@pytest.mark.parametrize("entry", ["Mango", "Blackberry", "Sesame seeds", "Shellfish containing products", "Kiwi",
                                   "Pistachio", "Bee venom", "Surgical tape"])
def test_foods_and_environmental_entries_the_tagger_missed_are_allergens(entry):
    text = f"Allergies   Allergen Reactions   • {entry} Unknown   • Codeine Nausea\n\nPlan: follow up."
    doc = run(text, [("ALLERGEN", "Codeine"), ("SYMPTOM", "Nausea")], VOCAB)
    assert entry in allergens(doc), [(e.label, e.text) for e in doc.entities]


@pytest.mark.parametrize("entry", ["Follow up", "Unknown", "Patient", "Exam"])
def test_no_substance_entry_from_ordinary_words(entry):
    text = f"Allergies   Allergen Reactions   • {entry} Unknown   • Codeine Nausea\n\nPlan: follow up."
    doc = run(text, [("ALLERGEN", "Codeine"), ("SYMPTOM", "Nausea")], VOCAB)
    assert set(allergens(doc)) == {"Codeine"}


@pytest.mark.parametrize("gap", [" - ?no effect", " - ?ineffective", " (?no effect)"])
def test_a_question_mark_in_an_entry_is_no_questionnaire_answer(gap):
    text = f"Glaucoma medications to avoid:   Brimonidine{gap}    Family history of glaucoma? No    Steroid use? No"
    doc = run(text, [("MEDICATION", "Brimonidine")], VOCAB)
    assert "Brimonidine" in allergens(doc) and doc.allergy_status == "listed"


@pytest.mark.parametrize("text,drug,reason", [
    ("Discontinued: ibuprofen (stopped because of chronic kidney disease).", "ibuprofen", "chronic kidney disease"),
    ("Stopped metformin due to renal failure.", "metformin", "renal failure"),
    ("Timolol - discontinued for asthma.", "Timolol", "asthma"),
    ("Worsening CKD after ibuprofen.", "ibuprofen", "Worsening CKD"),
])
def test_a_contraindication_is_no_intolerance(text, drug, reason):
    doc = run(text, [("MEDICATION", drug), ("PROBLEM", reason)])
    assert next(e for e in doc.entities if e.text == drug).label == "MEDICATION"
    assert doc.allergy_status is None


@pytest.mark.parametrize("text,drug,reason", [
    ("Brimonidine dc'd s/t follicular conjunctivitis.", "Brimonidine", "follicular conjunctivitis"),
    ("Latanoprost - discontinued for contact dermatitis.", "Latanoprost", "contact dermatitis"),
])
def test_a_disorder_named_by_a_reaction_word_is_still_a_reason(text, drug, reason):
    doc = run(text, [("MEDICATION", drug), ("PROBLEM", reason)])
    assert next(e for e in doc.entities if e.text == drug).label == "ALLERGEN"


@pytest.mark.parametrize("text,drugs", [
    ("Had problems in the past with timolol, latanoprost and codeine.", ["timolol", "latanoprost", "codeine"]),
    ("She is allergic to oxycodone and codeine per daughter.", ["oxycodone", "codeine"]),
    ("Poorly tolerates beta blockers.", ["beta blockers"]),
    ("Could not tolerate the Cosopt or timolol.", ["Cosopt", "timolol"]),
])
def test_untagged_drugs_listed_after_a_prose_cue_are_allergens(text, drugs):
    doc = run(text, [], VOCAB)
    assert sorted(allergens(doc)) == sorted(drugs)
    assert doc.allergy_status == "listed"


@pytest.mark.parametrize("text", [
    "Denies allergies to codeine.",
    "If allergic to latanoprost, stop it.",
    "No problems with timolol or latanoprost.",
    "Never had issues with Cosopt.",
    "Allergic to the cold weather and dust in summer.",
    "Had problems with walking and codeine constipation.",
])
def test_no_untagged_drug_after_a_negated_hypothetical_or_empty_cue(text):
    doc = run(text, [], VOCAB)
    assert not [d for d in allergens(doc) if d.lower() in ("codeine", "latanoprost", "timolol", "cosopt")]


@pytest.mark.parametrize("text", ["• Hypotension     after clonidine??   • Sleep apnea",
                                  "• HYPOTENSION     AFTER CLONIDINE??   • SLEEP APNEA",
                                  "• hypotension     after clonidine??   • sleep apnea"])
def test_a_reaction_before_a_bare_after_holds_in_any_case(text):
    drug = text[text.lower().index("clonidine"):][:9]
    reaction = text[text.lower().index("hypotension"):][:11]
    doc = run(text, [("MEDICATION", drug), ("SYMPTOM", reaction)])
    assert allergens(doc) == {drug: [reaction]}


@pytest.mark.parametrize("field", ["Allergies/Intolerances:\n***** -> ****  \n\nSTUDIES: none",
                                   "Allergies/Intolerances:   \n  Tried ******* - did not work\n\nPlan: none"])
def test_a_masked_entry_on_the_line_after_the_header_is_listed(field):
    assert run(field, []).allergy_status == "listed"


def test_a_field_break_the_note_writes_keeps_the_reaction_with_its_row():
    text = "Allergies   Allergen Reactions   • Chlorhexidine Rash     After hibiclens shower\n\nPlan: none"
    doc = run(text, [("ALLERGEN", "Chlorhexidine"), ("SYMPTOM", "Rash"), ("MEDICATION", "hibiclens")])
    assert allergens(doc)["Chlorhexidine"] == ["Rash"]


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_a_rows_reaction_column_is_not_read_across_a_caseless_break(case):
    text = case("Allergies   Allergen Reactions   • Chlorhexidine Rash     After hibiclens shower\n\nPlan: none")
    doc = run(text, [("ALLERGEN", case("Chlorhexidine")), ("SYMPTOM", case("Rash")), ("MEDICATION", case("hibiclens"))])
    assert allergens(doc)[case("Chlorhexidine")] == [case("Rash")]


# -- ninth session: shapes from fresh8's errors, each with its neighbours -------------------

@pytest.mark.parametrize("text,drug,reactions", [
    # "too <reaction>" after the drug, a halt or a duration between
    ("Off dorzolamide x 3 weeks, too irritating.", "dorzolamide", ["irritating"]),
    ("Off Cosopt for 2 weeks - too stinging; IOP up.", "Cosopt", ["stinging"]),
    ("Stopped Rhopressa, too burning.", "Rhopressa", ["burning"]),
    ("Latanoprost too irritating, back on timolol.", "Latanoprost", ["irritating"]),
    # the reaction right after the drug, the use after it
    ("--> Trusopt blurred vision, burning when instilled.", "Trusopt", ["blurred vision", "burning"]),
    ("Lumigan redness on instillation.", "Lumigan", ["redness"]),
    ("Combigan stinging with each use.", "Combigan", ["stinging"]),
    ("Azopt: blurred vision after each drop.", "Azopt", ["blurred vision"]),
    # a bracket that holds the drug and what it did
    ("Started timolol 5/2020 (brimonidine with itchiness and redness).", "brimonidine", ["itchiness", "redness"]),
    ("Switched to Rhopressa (Xalatan with hyperemia).", "Xalatan", ["hyperemia"]),
    # the finding "to" the drug
    ("Confirmed contact dermatitis to latanoprost, occurred on rechallenge.", "latanoprost", ["contact dermatitis"]),
    ("Hives to amoxicillin as a child.", "amoxicillin", ["Hives"]),
    ("IOP stable, contact dermatitis to brimonidine 2018.", "brimonidine", ["contact dermatitis"]),
    # the reaction with the drug, then the halt
    ("Felt like hair was falling out with latanoprost so stopped.", "latanoprost", ["hair was falling out"]),
    ("Redness on Lumigan so she stopped it.", "Lumigan", ["Redness"]),
    ("Fatigue with timolol, so d/c'd.", "timolol", ["Fatigue"]),
    # a sig, a date or a mask between the drug and its halt
    ("Eye medications:  Brimonidine daily OU - 03/2019 stopped due to blepharitis, resolved since.", "Brimonidine",
     ["blepharitis"]),
    ("Timolol BID OS, stopped 2019 due to bradycardia.", "Timolol", ["bradycardia"]),
    ("Latanoprost qhs OU - d/c'd due to redness.", "Latanoprost", ["redness"]),
    ("Brimonidine 0.1% tid ** - **/**/** discontinued for follicular conjunctivitis.", "Brimonidine",
     ["follicular conjunctivitis"]),
])
@pytest.mark.parametrize("case", [lambda x: x, str.upper, str.lower])
def test_prose_intolerance_shapes_of_the_ninth_session(text, drug, reactions, case):
    others = [case(o) for o in ("timolol", "Rhopressa") if o in text and o != drug]
    text, drug, reactions = case(text), case(drug), [case(r) for r in reactions]
    spans = [("MEDICATION", drug)] + [("SYMPTOM", r) for r in reactions] + [("MEDICATION", o) for o in others]
    doc = run(text, spans)
    e = next(e for e in doc.entities if e.text == drug)
    assert e.label == "ALLERGEN" and e.allergy_type == "intolerance"
    assert sorted(a.text for a in e.attributes if a.label == "REACTION") == sorted(reactions)
    assert doc.allergy_status == "listed"
    for x in doc.entities:  # the other drug in the sentence stays a medication
        if x.text in others:
            assert x.label == "MEDICATION", x.text


@pytest.mark.parametrize("text,drug,reaction", [
    ("Continue latanoprost too.", "latanoprost", None),
    ("Timolol too expensive, switched.", "Timolol", None),
    ("Latanoprost not too irritating.", "Latanoprost", "irritating"),
    ("Trusopt, no burning when instilled.", "Trusopt", "burning"),
    ("Trusopt blurred vision improved.", "Trusopt", "blurred vision"),
    ("(timolol with good response)", "timolol", None),
    ("(brimonidine with no redness)", "brimonidine", "redness"),
    ("Start timolol with dinner.", "timolol", None),
    ("Sensitivity to light and latanoprost qhs.", "latanoprost", "Sensitivity"),
    ("Switched due to redness to travatan.", "travatan", "redness"),
    ("No rash to amoxicillin.", "amoxicillin", "rash"),
    ("Atrial fibrillation unresponsive to digoxin.", "digoxin", "unresponsive"),
    ("Seizures refractory to levetiracetam.", "levetiracetam", "Seizures refractory"),
    ("Pain responsive to morphine.", "morphine", "Pain responsive"),
    ("If hives to amoxicillin, call.", "amoxicillin", "hives"),
    ("IOP uncontrolled on latanoprost so stopped.", "latanoprost", "IOP uncontrolled"),
    ("Cataract surgery with timolol, so stopped.", "timolol", "Cataract surgery"),
    ("Timolol BID OU - stopped due to cataract surgery.", "Timolol", "cataract surgery"),
    ("Latanoprost qhs OU - stopped due to cost.", "Latanoprost", None),
    ("Latanoprost qhs OU - continue, no redness.", "Latanoprost", "redness"),
])
def test_neighbours_of_the_ninth_sessions_shapes_that_are_no_intolerance(text, drug, reaction):
    label = "PROBLEM" if reaction and reaction[0].isupper() and " " in reaction and reaction != "Trusopt" else "SYMPTOM"
    doc = run(text, [("MEDICATION", drug)] + ([(label, reaction)] if reaction else []))
    assert next(e for e in doc.entities if e.text == drug).label == "MEDICATION"
    assert doc.allergy_status is None


@pytest.mark.parametrize("text,drug,reaction", [
    ("Intolerant of timolol in past due to dizziness.", "timolol", "dizziness"),
    ("Allergic to sulfa in the past because of rash.", "sulfa", "rash"),
    ("Intolerance to brimonidine previously due to follicular conjunctivitis.", "brimonidine",
     "follicular conjunctivitis"),
])
def test_an_allergy_cue_with_a_time_before_the_reason_links_it(text, drug, reaction):
    doc = run(text, [("MEDICATION", drug), ("SYMPTOM", reaction)])
    assert allergens(doc) == {drug: [reaction]}


@pytest.mark.parametrize("text,masked", [
    ("Allergies: is allergic to codeine and ******** [latanoprost].", "******** [latanoprost]"),
    ("She is allergic to **** [timolol (bulk)], codeine.", "**** [timolol (bulk)]"),
])
def test_a_masked_brand_with_its_generic_in_brackets_is_listed_after_a_cue(text, masked):
    doc = run(text, [], VOCAB)
    assert masked in allergens(doc)


@pytest.mark.parametrize("text", ["Is allergic to codeine and ******** [the dog].", "Is allergic to ******** today."])
def test_a_masked_word_without_a_drug_in_brackets_is_no_allergen(text):
    doc = run(text, [], VOCAB)
    assert not [a for a in allergens(doc) if "*" in a]


@pytest.mark.parametrize("header", ["Allergies", "ALLERGIES:", "Allergies -", "Drug allergies:", "Allergies/Intolerances:"])
def test_an_nka_right_after_a_flattened_allergies_header_speaks_first(header):
    text = (f"FH: negative for blindness.      {header} no known allergies  Current Outpatient Medications   "
            "Medication Sig   \u2022 timolol BID\n\nAssessment: - contact dermatitis to brimonidine 2018")
    doc = run(text, [("MEDICATION", "timolol"), ("MEDICATION", "brimonidine"), ("PROBLEM", "contact dermatitis")])
    assert "brimonidine" in allergens(doc)  # the intolerance is still read and emitted
    assert doc.allergy_status == "none-known"


def test_an_nka_in_running_text_does_not_outweigh_an_intolerance():
    text = "HPI: reports no known allergies to her knowledge. Contact dermatitis to brimonidine 2018."
    doc = run(text, [("MEDICATION", "brimonidine"), ("PROBLEM", "Contact dermatitis")])
    assert doc.allergy_status == "listed"


def test_an_untagged_drug_after_a_reaction_and_to_is_found():
    doc = run("Confirmed contact dermatitis to latanoprost, occurred on rechallenge.",
              [("PROBLEM", "contact dermatitis")], VOCAB)
    assert allergens(doc) == {"latanoprost": ["contact dermatitis"]}


@pytest.mark.parametrize("text", ["Sensitivity to light; latanoprost qhs.", "Redness to the lids, timolol BID.",
                                  "Switched due to redness to latanoprost."])
def test_no_untagged_drug_where_to_is_not_the_reactions(text):
    doc = run(text, [("SYMPTOM", text.split()[0].rstrip(";,"))] if not text.startswith("Switched") else
              [("SYMPTOM", "redness")], VOCAB)
    assert allergens(doc) == {}


def test_untagged_reaction_words_and_masks_do_not_break_the_run_before_the_use():
    text = "--> Trusopt blurred vision, burned and ****** when instilled."
    doc = run(text, [("MEDICATION", "Trusopt"), ("SYMPTOM", "blurred vision")])
    assert allergens(doc) == {"Trusopt": ["blurred vision"]}


@pytest.mark.parametrize("text,drug,word", [
    ("Off cosopt x 2 weeks too irritating.", "cosopt", "irritating"),
    ("Stopped timolol - fatigue.", "timolol", "fatigue"),
    ("Rhopressa is burning.", "Rhopressa", "burning"),
])
def test_an_untagged_reaction_word_of_a_prose_intolerance_becomes_its_reaction(text, drug, word):
    doc = run(text, [("MEDICATION", drug)])
    assert allergens(doc) == {drug: [word]}
    r = next(e for e in doc.entities if e.text == word)
    assert r.label == "REACTION" and r.source == "allergy-prose"


@pytest.mark.parametrize("text,linked", [
    ("--> Trusopt blurred vision, burning and\n****** when instilled.", True),
    ("Trusopt blurred vision.\nBurning when instilled the other drops.", False),
    ("Trusopt blurred vision, burning\n\nWhen instilled, wait 5 minutes.", False),
])
def test_a_wrapped_line_inside_the_reactions_of_a_use_is_no_sentence_end(text, linked):
    doc = run(text, [("MEDICATION", "Trusopt"), ("SYMPTOM", "blurred vision")])
    assert ("Trusopt" in allergens(doc)) is linked
