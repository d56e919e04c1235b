"""RelationStage: medication attributes, allergen reactions, relabelling, allergy_status."""

from __future__ import annotations

import dataclasses

import pytest
from entity_doc import entities_from

from ehrnlp.model import Assertion, Document, Entity
from ehrnlp.relations import RelationStage, find_nka, link_medication_attributes
from ehrnlp.sections import SectionStage


def make(text: str, spans: list[tuple[str, str]]) -> Document:
    """Entities from (label, phrase) pairs; repeated phrases take successive occurrences."""
    ents = entities_from(text, spans)
    return Document(text=text, entities=tuple(ents))


def run(doc: Document, with_sections: bool = True) -> Document:
    if with_sections:
        doc = SectionStage()(doc)
    out = RelationStage()(doc)
    out.check()
    return out


def links(doc: Document) -> dict[tuple[str, str], list[tuple[str, str]]]:
    return {
        (e.label, e.text): [(a.label, a.text) for a in e.attributes] for e in doc.entities if e.attributes
    }


def test_stage_interface() -> None:
    st = RelationStage()
    assert st.name == "relations" and st.requires == ("doc.entities",)


def test_epic_sig_lines() -> None:
    text = (
        "Current Outpatient Medications (Other)   Medication Sig   "
        "\u2022 levothyroxine Take 75 mcg by mouth once daily.   "
        "\u2022 metoprolol succinate Take 100 mg by mouth once daily."
    )
    doc = run(make(text, [
        ("MEDICATION", "levothyroxine"), ("DOSE", "75 mcg"), ("ROUTE", "by mouth"), ("FREQUENCY", "once daily"),
        ("MEDICATION", "metoprolol succinate"), ("DOSE", "100 mg"), ("ROUTE", "by mouth"), ("FREQUENCY", "once daily"),
    ]))
    assert links(doc) == {
        ("MEDICATION", "levothyroxine"): [("DOSE", "75 mcg"), ("ROUTE", "by mouth"), ("FREQUENCY", "once daily")],
        ("MEDICATION", "metoprolol succinate"): [("DOSE", "100 mg"), ("ROUTE", "by mouth"), ("FREQUENCY", "once daily")],
    }


def test_attributes_are_the_same_objects_as_doc_entities() -> None:
    text = "Lisinopril 10 mg PO daily."
    doc = run(make(text, [("MEDICATION", "Lisinopril"), ("DOSE", "10 mg"), ("ROUTE", "PO"), ("FREQUENCY", "daily")]))
    med = doc.entities_of("MEDICATION")[0]
    for a in med.attributes:
        assert any(a is e for e in doc.entities)
    assert med.attribute("DOSE").text == "10 mg"


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        (
            "She received 1 g of intravenous ceftriaxone for 7 days.",
            [("DOSE", "1 g"), ("ROUTE", "intravenous"), ("MEDICATION", "ceftriaxone"), ("DURATION", "for 7 days")],
            {("MEDICATION", "ceftriaxone"): [("DOSE", "1 g"), ("ROUTE", "intravenous"), ("DURATION", "for 7 days")]},
        ),
        (
            "Aspirin 81 mg and clopidogrel 75 mg daily were started.",
            [("MEDICATION", "Aspirin"), ("DOSE", "81 mg"), ("MEDICATION", "clopidogrel"), ("DOSE", "75 mg"), ("FREQUENCY", "daily")],
            {("MEDICATION", "Aspirin"): [("DOSE", "81 mg")], ("MEDICATION", "clopidogrel"): [("DOSE", "75 mg"), ("FREQUENCY", "daily")]},
        ),
        (
            "Take 2 tablets of ibuprofen every 6 hours as needed.",
            [("DOSE", "2 tablets"), ("MEDICATION", "ibuprofen"), ("FREQUENCY", "every 6 hours as needed")],
            {("MEDICATION", "ibuprofen"): [("DOSE", "2 tablets"), ("FREQUENCY", "every 6 hours as needed")]},
        ),
        (
            "latanoprost 1 drop OU qhs. Timolol 0.5% 1 drop OU BID.",
            [("MEDICATION", "latanoprost"), ("DOSE", "1 drop"), ("ROUTE", "OU"), ("FREQUENCY", "qhs"),
             ("MEDICATION", "Timolol"), ("DOSE", "0.5%"), ("DOSE", "1 drop"), ("ROUTE", "OU"), ("FREQUENCY", "BID")],
            {("MEDICATION", "latanoprost"): [("DOSE", "1 drop"), ("ROUTE", "OU"), ("FREQUENCY", "qhs")],
             ("MEDICATION", "Timolol"): [("DOSE", "0.5%"), ("DOSE", "1 drop"), ("ROUTE", "OU"), ("FREQUENCY", "BID")]},
        ),
    ],
)
def test_medication_attributes_in_prose_and_sigs(text, spans, expected) -> None:
    assert links(run(make(text, spans))) == expected


def test_attribute_without_medication_in_sentence_stays_unlinked() -> None:
    text = "Metformin was stopped. Take 100 mg by mouth two times daily."
    doc = run(make(text, [("MEDICATION", "Metformin"), ("DOSE", "100 mg"), ("ROUTE", "by mouth"), ("FREQUENCY", "two times daily")]))
    assert links(doc) == {}


def test_epic_allergy_table() -> None:
    text = (
        "Allergies   Allergen Reactions   \u2022 Codeine Nausea/Vomiting   \u2022 Lisinopril Cough     cough   "
        "\u2022 Metformin Unknown   \u2022 Penicillin G Fever and Rash     "
        "Current Outpatient Medications (Ophthalmic Medications)   Medication Sig   \u2022 timolol Instill 1 drop into both eyes two times daily."
    )
    doc = run(make(text, [
        ("MEDICATION", "Codeine"), ("SYMPTOM", "Nausea/Vomiting"), ("MEDICATION", "Lisinopril"), ("SYMPTOM", "Cough"),
        ("SYMPTOM", "cough"), ("MEDICATION", "Metformin"), ("MEDICATION", "Penicillin G"), ("SYMPTOM", "Fever"),
        ("SYMPTOM", "Rash"), ("MEDICATION", "timolol"), ("DOSE", "1 drop"), ("FREQUENCY", "two times daily"),
    ]))
    assert [e.text for e in doc.entities_of("ALLERGEN")] == ["Codeine", "Lisinopril", "Metformin", "Penicillin G"]
    assert [e.text for e in doc.entities_of("MEDICATION")] == ["timolol"]
    assert links(doc) == {
        ("ALLERGEN", "Codeine"): [("REACTION", "Nausea/Vomiting")],
        ("ALLERGEN", "Lisinopril"): [("REACTION", "Cough"), ("REACTION", "cough")],
        ("ALLERGEN", "Penicillin G"): [("REACTION", "Fever"), ("REACTION", "Rash")],
        ("MEDICATION", "timolol"): [("DOSE", "1 drop"), ("FREQUENCY", "two times daily")],
    }
    assert not doc.entities_of("SYMPTOM")
    assert doc.allergy_status == "listed"


def test_allergy_list_with_parentheses_and_dashes() -> None:
    text = "Allergies: PCN (hives), sulfa \u2013 rash, codeine\nMedications: none"
    doc = run(make(text, [("MEDICATION", "PCN"), ("SYMPTOM", "hives"), ("MEDICATION", "sulfa"), ("SYMPTOM", "rash"), ("MEDICATION", "codeine")]))
    assert links(doc) == {("ALLERGEN", "PCN"): [("REACTION", "hives")], ("ALLERGEN", "sulfa"): [("REACTION", "rash")]}
    assert len(doc.entities_of("ALLERGEN")) == 3


@pytest.mark.parametrize("with_sections", [True, False])
def test_allergy_prose(with_sections: bool) -> None:
    text = "She is allergic to penicillin, which causes anaphylaxis, and takes lisinopril. She has a cough."
    doc = run(make(text, [("MEDICATION", "penicillin"), ("SYMPTOM", "anaphylaxis"), ("MEDICATION", "lisinopril"), ("SYMPTOM", "cough")]), with_sections)
    assert links(doc) == {("ALLERGEN", "penicillin"): [("REACTION", "anaphylaxis")]}
    assert [e.text for e in doc.entities_of("MEDICATION")] == ["lisinopril"]
    assert [e.text for e in doc.entities_of("SYMPTOM")] == ["cough"]


@pytest.mark.parametrize(
    "text, allergens",
    [
        ("Patient is allergic to penicillin, sulfa and codeine.", ["penicillin", "sulfa", "codeine"]),
        ("Penicillin allergy noted. Started amoxicillin.", ["Penicillin"]),
        ("Hives from penicillin in 2010.", []),
    ],
)
def test_allergen_relabelling_in_prose(text: str, allergens: list[str]) -> None:
    meds = [m for m in ("penicillin", "Penicillin", "sulfa", "codeine", "amoxicillin") if m in text]
    spans = [("MEDICATION", m) for m in meds]
    doc = run(make(text, spans))
    assert sorted(e.text for e in doc.entities_of("ALLERGEN")) == sorted(allergens)


def test_reaction_before_allergen() -> None:
    text = "Allergies: hives from penicillin."
    doc = run(make(text, [("SYMPTOM", "hives"), ("MEDICATION", "penicillin")]))
    assert links(doc) == {("ALLERGEN", "penicillin"): [("REACTION", "hives")]}


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("She had wheezing and urticaria after eating a cookie with walnuts last month.",
         [("SYMPTOM", "wheezing"), ("SYMPTOM", "urticaria"), ("ALLERGEN", "walnuts")],
         {("ALLERGEN", "walnuts"): [("REACTION", "wheezing"), ("REACTION", "urticaria")]}),
        ("Gets a rash whenever she touches nickel.",
         [("SYMPTOM", "rash"), ("ALLERGEN", "nickel")], {("ALLERGEN", "nickel"): [("REACTION", "rash")]}),
        ("Hives within minutes of eating shrimp.",
         [("SYMPTOM", "Hives"), ("ALLERGEN", "shrimp")], {("ALLERGEN", "shrimp"): [("REACTION", "Hives")]}),
        # no exposure between them: the finding stays a finding
        ("Urticaria since last week; she also avoids walnuts.", [("SYMPTOM", "Urticaria"), ("ALLERGEN", "walnuts")], {}),
        ("Rash on the arm after a fall, and walnuts at lunch.", [("SYMPTOM", "Rash"), ("ALLERGEN", "walnuts")], {}),
    ],
)
def test_reaction_written_before_the_exposure_that_caused_it(text, spans, expected) -> None:
    doc = run(make(text, spans))
    assert links(doc) == expected


def test_severity_links_to_the_allergen() -> None:
    text = "Allergies: peanuts - severe anaphylaxis; latex - mild rash."
    doc = run(make(text, [("ALLERGEN", "peanuts"), ("SEVERITY", "severe"), ("REACTION", "anaphylaxis"), ("ALLERGEN", "latex"), ("SEVERITY", "mild"), ("REACTION", "rash")]))
    assert links(doc) == {
        ("ALLERGEN", "peanuts"): [("SEVERITY", "severe"), ("REACTION", "anaphylaxis")],
        ("ALLERGEN", "latex"): [("SEVERITY", "mild"), ("REACTION", "rash")],
    }


@pytest.mark.parametrize(
    "text, status",
    [
        ("Allergies: NKDA", "none-known"),
        ("No Known Allergies  Current Outpatient Medications", "none-known"),
        ("Allergies:   Patient has no known allergies.", "none-known"),
        ("Allergies/Intolerances: None    STUDIES:", "none-known"),
        ("Allergies: has No Known Allergies.", "none-known"),
        ("Patient denies drug allergies.", "none-known"),
        ("The patient was seen for cough.", None),
        ("NKA. Lungs clear.", "none-known"),
    ],
)
def test_allergy_status_none_known(text: str, status) -> None:
    assert run(Document(text=text)).allergy_status == status


def test_allergy_status_listed_beats_none_known() -> None:
    text = "NKDA. Allergic to peanuts (hives)."
    doc = run(make(text, [("ALLERGEN", "peanuts"), ("SYMPTOM", "hives")]))
    assert doc.allergy_status == "listed"


@pytest.mark.parametrize("text, flag", [
    ("If she ever develops an allergy to penicillin, stop it.", "hypothetical"),
    ("Her mother is allergic to penicillin.", "family"),
])
def test_hypothetical_or_family_allergen_does_not_make_status_listed(text: str, flag: str) -> None:
    i = text.index("penicillin")
    e = Entity("ALLERGEN", i, i + 10, "penicillin", assertion=Assertion(**{flag: True}))
    assert run(Document(text=text, entities=(e,))).allergy_status is None
    own = Entity("ALLERGEN", i, i + 10, "penicillin")
    assert run(Document(text=text, entities=(own,))).allergy_status == "listed"


def test_negated_allergen_does_not_make_status_listed() -> None:
    text = "No known allergies. Not allergic to penicillin."
    i = text.index("penicillin")
    e = Entity("ALLERGEN", i, i + 10, "penicillin", assertion=Assertion(negated=True))
    assert run(Document(text=text, entities=(e,))).allergy_status == "none-known"


def test_find_nka_kind_and_offsets() -> None:
    text = "Allergies: NKDA. Meds: none"
    m = find_nka(text)
    assert m is not None and m.kind == "drug" and text[m.start : m.end] == "NKDA"
    m = find_nka("No Known Allergies")
    assert m is not None and m.kind == "allergy"
    assert find_nka("known allergies reviewed") is None
    assert find_nka("Allergies: None.") is not None
    assert find_nka("Patient denies drug allergies").kind == "drug"
    assert find_nka("Allergies: no reaction to sulfa") is None


def test_rerunning_the_stage_is_stable() -> None:
    text = "Allergies: PCN (hives). Lisinopril 10 mg PO daily."
    doc = run(make(text, [("MEDICATION", "PCN"), ("SYMPTOM", "hives"), ("MEDICATION", "Lisinopril"), ("DOSE", "10 mg"), ("ROUTE", "PO"), ("FREQUENCY", "daily")]))
    again = RelationStage()(doc)
    assert again.to_dict() == doc.to_dict()


def test_link_medication_attributes_returns_indices() -> None:
    text = "warfarin 5 mg"
    doc = make(text, [("MEDICATION", "warfarin"), ("DOSE", "5 mg")])
    assert link_medication_attributes(text, doc.entities) == [(1, 0)]


def test_bracketed_allergen_synonym_is_one_allergy() -> None:
    text = "Allergies   Allergen Reactions   \u2022 Aleve [Naproxen Sodium] Rash   \u2022 Sulfa (Sulfonamide Antibiotics) Hives   \u2022 Calamine Lotion [Calamine] Pruritus"
    doc = run(make(text, [
        ("MEDICATION", "Aleve"), ("MEDICATION", "Naproxen Sodium"), ("SYMPTOM", "Rash"),
        ("MEDICATION", "Sulfa"), ("MEDICATION", "Sulfonamide Antibiotics"), ("SYMPTOM", "Hives"),
        ("MEDICATION", "Calamine"), ("MEDICATION", "Calamine"), ("SYMPTOM", "Pruritus"),
    ]))
    assert links(doc) == {
        ("ALLERGEN", "Aleve"): [("REACTION", "Rash")],
        ("ALLERGEN", "Sulfa"): [("REACTION", "Hives")],
        ("ALLERGEN", "Calamine"): [("REACTION", "Pruritus")],
    }
    assert len(doc.entities_of("ALLERGEN")) == 3


def test_salt_form_is_not_a_reaction() -> None:
    text = "Allergies   Allergen Reactions   \u2022 Donepezil Hcl Unknown"
    doc = run(make(text, [("MEDICATION", "Donepezil"), ("PROBLEM", "Hcl")]))
    assert links(doc) == {}
    assert [e.label for e in doc.entities] == ["ALLERGEN", "PROBLEM"]


def test_medication_list_leaking_into_allergies_section_is_not_relabelled() -> None:
    text = "Allergies:  Codeine  \u2022 metoprolol 25 mg daily"
    doc = run(make(text, [("MEDICATION", "Codeine"), ("MEDICATION", "metoprolol"), ("DOSE", "25 mg"), ("FREQUENCY", "daily")]))
    assert [e.label for e in doc.entities_of("ALLERGEN", "MEDICATION")] == ["ALLERGEN", "MEDICATION"]


def test_no_allergy_information_is_not_none_known() -> None:
    assert find_nka("Allergies:  Patient has no allergy information on record.") is None
    assert run(Document(text="Allergies:  Patient has no allergy information on record.")).allergy_status is None


def test_allergy_product_names_are_not_allergy_cues() -> None:
    text = "Eye meds: Visine allergy drop 1-2 x day prn OU  Allergies: Patient has no known allergies."
    doc = run(make(text, [("MEDICATION", "Visine")]))
    assert [e.label for e in doc.entities] == ["MEDICATION"]
    assert doc.allergy_status == "none-known"


def test_tagger_allergen_in_medication_list_becomes_medication() -> None:
    text = "Current Medication List    Name Sig   ACETAMINOPHEN 325 MG TABLET Take 1 tablet by mouth daily.   Allergies: penicillin"
    doc = run(make(text, [("ALLERGEN", "ACETAMINOPHEN"), ("DOSE", "325 MG"), ("FREQUENCY", "daily"), ("ALLERGEN", "penicillin")]))
    assert [(e.label, e.text) for e in doc.entities_of("ALLERGEN", "MEDICATION")] == [("MEDICATION", "ACETAMINOPHEN"), ("ALLERGEN", "penicillin")]
    assert links(doc)[("MEDICATION", "ACETAMINOPHEN")] == [("DOSE", "325 MG"), ("FREQUENCY", "daily")]


def test_tagger_allergen_with_a_sig_in_prose_becomes_medication() -> None:
    text = "HPI: Takes aspirin 81 mg daily. Reaction to latex 325 mg? no."
    doc = run(make(text, [("ALLERGEN", "aspirin"), ("DOSE", "81 mg"), ("FREQUENCY", "daily"), ("ALLERGEN", "latex")]))
    assert [(e.label, e.text) for e in doc.entities_of("ALLERGEN", "MEDICATION")] == [("MEDICATION", "aspirin"), ("ALLERGEN", "latex")]


def test_reaction_shared_by_a_list_of_allergens() -> None:
    text = "Glaucoma medications to avoid:   Iodine, Polytrim, Tobramycin - eye irritation, itching    Codeine, Morphine Nausea"
    doc = run(make(text, [
        ("MEDICATION", "Iodine"), ("MEDICATION", "Polytrim"), ("MEDICATION", "Tobramycin"), ("SYMPTOM", "eye irritation"),
        ("SYMPTOM", "itching"), ("MEDICATION", "Codeine"), ("MEDICATION", "Morphine"), ("SYMPTOM", "Nausea"),
    ]))
    both = [("REACTION", "eye irritation"), ("REACTION", "itching")]
    assert links(doc) == {
        ("ALLERGEN", "Iodine"): both, ("ALLERGEN", "Polytrim"): both, ("ALLERGEN", "Tobramycin"): both,
        ("ALLERGEN", "Codeine"): [("REACTION", "Nausea")], ("ALLERGEN", "Morphine"): [("REACTION", "Nausea")],
    }


def test_own_reactions_stop_the_list() -> None:
    text = "Allergies: codeine - nausea, morphine - itching"
    doc = run(make(text, [("MEDICATION", "codeine"), ("SYMPTOM", "nausea"), ("MEDICATION", "morphine"), ("SYMPTOM", "itching")]))
    assert links(doc) == {("ALLERGEN", "codeine"): [("REACTION", "nausea")], ("ALLERGEN", "morphine"): [("REACTION", "itching")]}


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        (
            "He was started on quetiapine fumarate (Seroquel) 900 mg daily and methylphenidate (Concerta) 54 mg daily.",
            [("MEDICATION", "quetiapine fumarate"), ("MEDICATION", "Seroquel"), ("DOSE", "900 mg"), ("FREQUENCY", "daily"),
             ("MEDICATION", "methylphenidate"), ("MEDICATION", "Concerta"), ("DOSE", "54 mg"), ("FREQUENCY", "daily")],
            {("MEDICATION", "quetiapine fumarate"): [("DOSE", "900 mg"), ("FREQUENCY", "daily")],
             ("MEDICATION", "methylphenidate"): [("DOSE", "54 mg"), ("FREQUENCY", "daily")]},
        ),
        (
            "Therapy included isoniazid (INH, 300 mg/d) and ethambutol (EMB, 750 mg/d).",
            [("MEDICATION", "isoniazid"), ("MEDICATION", "INH"), ("DOSE", "300 mg/d"), ("MEDICATION", "ethambutol"),
             ("MEDICATION", "EMB"), ("DOSE", "750 mg/d")],
            {("MEDICATION", "isoniazid"): [("DOSE", "300 mg/d")], ("MEDICATION", "ethambutol"): [("DOSE", "750 mg/d")]},
        ),
        (
            "Treated with antibiotics, and 2 g/kg intravenous immunoglobulin.",
            [("MEDICATION", "antibiotics"), ("DOSE", "2 g/kg"), ("ROUTE", "intravenous"), ("MEDICATION", "immunoglobulin")],
            {("MEDICATION", "immunoglobulin"): [("DOSE", "2 g/kg"), ("ROUTE", "intravenous")]},
        ),
        (
            "Subcutaneous heparin (0.6ml of enoxaparin) was given.",
            [("ROUTE", "Subcutaneous"), ("MEDICATION", "heparin"), ("DOSE", "0.6ml"), ("MEDICATION", "enoxaparin")],
            {("MEDICATION", "heparin"): [("ROUTE", "Subcutaneous")], ("MEDICATION", "enoxaparin"): [("DOSE", "0.6ml")]},
        ),
    ],
)
def test_medication_attributes_with_synonyms_and_of(text, spans, expected) -> None:
    assert links(run(make(text, spans))) == expected


def test_tagger_allergen_with_a_sig_inside_an_allergies_section_becomes_medication() -> None:
    text = "Allergies:  Codeine Nausea  \u2022 metoprolol 25 mg daily"
    doc = run(make(text, [("ALLERGEN", "Codeine"), ("SYMPTOM", "Nausea"), ("ALLERGEN", "metoprolol"), ("DOSE", "25 mg"), ("FREQUENCY", "daily")]))
    assert links(doc) == {
        ("ALLERGEN", "Codeine"): [("REACTION", "Nausea")],
        ("MEDICATION", "metoprolol"): [("DOSE", "25 mg"), ("FREQUENCY", "daily")],
    }


def test_nkda_statement_does_not_swallow_the_next_sentence() -> None:
    text = "NKDA. Lisinopril 10 mg PO daily."
    doc = run(make(text, [("MEDICATION", "Lisinopril"), ("DOSE", "10 mg"), ("ROUTE", "PO"), ("FREQUENCY", "daily")]))
    assert doc.allergy_status == "none-known"
    assert links(doc) == {("MEDICATION", "Lisinopril"): [("DOSE", "10 mg"), ("ROUTE", "PO"), ("FREQUENCY", "daily")]}


def test_bracketed_medication_synonym_is_one_medication() -> None:
    text = "\u2022 latanoprost (XALATAN) 0.005 % ophthalmic solution Place 1 drop into both eyes nightly."
    doc = run(make(text, [("MEDICATION", "latanoprost"), ("MEDICATION", "XALATAN"), ("DOSE", "1 drop"),
                          ("ROUTE", "both eyes"), ("FREQUENCY", "nightly")]))
    assert [e.text for e in doc.entities_of("MEDICATION")] == ["latanoprost"]
    assert links(doc) == {("MEDICATION", "latanoprost"): [("DOSE", "1 drop"), ("ROUTE", "both eyes"), ("FREQUENCY", "nightly")]}


def test_treatment_named_inside_an_allergy_item_stays_medication() -> None:
    text = "Allergies:\n- Peanuts: anaphylaxis (severe), required epinephrine in 2021\n- Latex - rash\n"
    doc = run(make(text, [("ALLERGEN", "Peanuts"), ("SYMPTOM", "anaphylaxis"), ("SEVERITY", "severe"),
                          ("MEDICATION", "epinephrine"), ("ALLERGEN", "Latex"), ("SYMPTOM", "rash")]))
    assert [(e.label, e.text) for e in doc.entities_of("ALLERGEN", "MEDICATION")] == [
        ("ALLERGEN", "Peanuts"), ("MEDICATION", "epinephrine"), ("ALLERGEN", "Latex")]


# -- the qualifiers the stage sets for the FHIR layer -------------------------------------


def test_dosage_of_a_linked_sig() -> None:
    text = "Medications:\nMetformin 500 mg by mouth twice daily with meals.\nAlbuterol 2 puffs q4h prn wheezing"
    doc = run(make(text, [("MEDICATION", "Metformin"), ("DOSE", "500 mg"), ("ROUTE", "by mouth"),
                          ("FREQUENCY", "twice daily"), ("MEDICATION", "Albuterol"), ("DOSE", "2 puffs"),
                          ("FREQUENCY", "q4h prn"), ("SYMPTOM", "wheezing")]))
    metformin, albuterol = doc.entities_of("MEDICATION")
    d = metformin.dosage
    assert d.text == "Metformin 500 mg by mouth twice daily with meals"  # the instruction after the sig
    assert (d.dose.value, d.dose.unit, d.dose.code) == (500, "mg", "mg")
    assert (d.timing.frequency, d.timing.period, d.timing.period_unit) == (2, 1, "d") and not d.as_needed
    assert d.route_text == "by mouth" and d.route_codes[0].code == "26643006"
    d = albuterol.dosage
    assert d.text == "Albuterol 2 puffs q4h prn"  # the indication is a mention of its own
    assert d.as_needed and d.timing.period == 4 and d.timing.period_unit == "h"
    assert d.dose.unit == "puff" and d.dose.system is None and d.route_text is None
    assert all(e.dosage is None for e in doc.entities if e.label != "MEDICATION")


def test_dosage_with_an_eye_as_the_route() -> None:
    text = "Medications: timolol 0.5% 1 drop OU BID"
    doc = run(make(text, [("MEDICATION", "timolol"), ("DOSE", "1 drop"), ("ROUTE", "OU"), ("FREQUENCY", "BID")]))
    (d,) = [e.dosage for e in doc.entities_of("MEDICATION")]
    assert d.site_text == "OU" and d.site_codes[0].code == "362508001"
    assert d.route_text == "ophthalmic" and d.route_codes[0].code == "OPTHALTA"


def test_medication_without_attributes_has_no_dosage() -> None:
    doc = run(make("Takes aspirin.", [("MEDICATION", "aspirin")]))
    assert doc.entities[0].dosage is None


def test_allergy_qualifiers() -> None:
    text = ("Allergies: peanuts - severe anaphylaxis; cats - sneezing; codeine (nausea).\n"
            "She is intolerant of lactose, which causes bloating.")
    doc = run(make(text, [("ALLERGEN", "peanuts"), ("SEVERITY", "severe"), ("REACTION", "anaphylaxis"),
                          ("ALLERGEN", "cats"), ("REACTION", "sneezing"), ("MEDICATION", "codeine"),
                          ("SYMPTOM", "nausea"), ("MEDICATION", "lactose"), ("SYMPTOM", "bloating")]))
    got = {e.text: (e.allergy_category, e.allergy_type, e.allergy_criticality, e.allergy_severity)
           for e in doc.entities_of("ALLERGEN")}
    assert got == {
        "peanuts": ("food", None, "high", "severe"),
        "cats": ("environment", None, None, None),
        "codeine": (None, None, None, None),  # "medication" once normalize codes it (RxNorm)
        "lactose": ("food", "intolerance", None, None),
    }
    assert all(e.allergy_category is None for e in doc.entities if e.label != "ALLERGEN")


def test_relabelled_mentions_get_or_lose_their_medication_status() -> None:
    text = "Current Medication List    Name Sig   ACETAMINOPHEN 325 MG TABLET Take 1 tablet by mouth daily.   Allergies: penicillin"
    doc = make(text, [("ALLERGEN", "ACETAMINOPHEN"), ("DOSE", "325 MG"), ("FREQUENCY", "daily"), ("MEDICATION", "penicillin")])
    doc = doc.replace(entities=tuple(dataclasses.replace(e, medication_status="active") if e.text == "penicillin"
                                     else e for e in doc.entities))
    out = run(doc)
    by_text = {e.text: e for e in out.entities}
    assert by_text["ACETAMINOPHEN"].label == "MEDICATION" and by_text["ACETAMINOPHEN"].medication_status == "active"
    assert by_text["penicillin"].label == "ALLERGEN" and by_text["penicillin"].medication_status is None


@pytest.mark.parametrize("text, kind, statement", [
    ("HPI: cough. NKDA.", "drug", "NKDA"),
    ("Cough.\nAllergies: No known allergies.", "allergy", "Allergies: No known allergies"),
    ("The patient was seen for cough.", None, None),
])
def test_document_nka_locates_the_statement(text, kind, statement) -> None:
    doc = run(Document(text=text))
    if kind is None:
        assert doc.nka is None and doc.allergy_status is None
    else:
        assert doc.nka.kind == kind and doc.allergy_status == "none-known"
        assert text[doc.nka.start:doc.nka.end] == statement


@pytest.mark.parametrize("cue, kind", [
    ("She has documented intolerances to", "intolerance"),
    ("Known sensitivities to", None),
    ("He has had reactions to", None),
    ("History of adverse reactions to", None),
    ("She is intolerant of", "intolerance"),
])
def test_plural_allergy_cues_make_each_listed_drug_an_allergen(cue: str, kind: str | None) -> None:
    text = f"{cue} codeine and lisinopril. Takes metformin daily."
    doc = run(make(text, [("MEDICATION", "codeine"), ("MEDICATION", "lisinopril"), ("MEDICATION", "metformin")]))
    got = {e.text: (e.label, e.allergy_type) for e in doc.entities}
    assert got == {"codeine": ("ALLERGEN", kind), "lisinopril": ("ALLERGEN", kind), "metformin": ("MEDICATION", None)}
