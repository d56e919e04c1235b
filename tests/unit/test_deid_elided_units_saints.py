"""Three causes from the canary (dev seed 1013, deid17), each with its neighbours: a surname with an
elided particle (``d'arcy``, ``O'Neill``) in a line with no cue, a dictation reference whose two
halves are each some unit or analyte but no measure together (``lb/cl``), and a saint's facility
wrapped after its prefix (``St.`` at a line's end in a table cell). Every person, place and
facility here is invented."""

from __future__ import annotations

import pytest
from conftest import masked_within_one as _masked
from conftest import untouched as _untouched

#: a mixed-case line around the probes, so no one-case reading of the note applies
_BEFORE = "Patient seen in clinic today.\n"
_AFTER = "\nPlan: continue the current drops.\n"


def _assert_all_masked(stage, text: str, values: list[str]) -> None:
    """Each of ``values`` lies inside one PHI span of ``text`` between the mixed-case lines."""
    full = _BEFORE + text + _AFTER
    for v in values:
        assert _masked(stage, full, v), v


@pytest.mark.parametrize("line,values", [
    ("family meeting: quorvane d'arcy and the team.", ["quorvane", "d'arcy"]),
    ("family meeting: d'arcy and the team.", ["d'arcy"]),
    ("family meeting: maria d'angelo and the team.", ["d'angelo"]),
    ("Family meeting: Quorvane D'Arcy and the team.", ["Quorvane", "D'Arcy"]),
    ("FAMILY MEETING: QUORVANE O'HARA AND THE TEAM.", ["O'HARA"]),
    ("family meeting: kwabena o'brien, tomas d'souza and the team.", ["o'brien", "d'souza"]),
    ("plan reviewed; o’neill agrees.", ["o’neill"]),
    ("Brennan O'Neill brought the pill bottles.", ["O'Neill"]),
])
def test_a_surname_with_an_elided_particle_is_masked_without_a_cue(rules_stage, line, values):
    _assert_all_masked(rules_stage, line, values)


@pytest.mark.parametrize("line,word", [
    ("at 4 o'clock the team met.", "o'clock"),
    ("d'oh, the drops were left at home.", "d'oh"),
    ("her raison d'etre is her garden.", "d'etre"),
    ("history of a coup d'etat in his home country, now settled here.", "d'etat"),
    ("hors d'oeuvre at the party, no reaction.", "d'oeuvre"),
])
def test_an_elided_word_that_names_no_one_stays(rules_stage, line, word):
    assert _untouched(rules_stage, _BEFORE + line + _AFTER, word)


@pytest.mark.parametrize("ref", ["lb/cl", "kl/mg", "mg/kl", "tq/hr"])
def test_a_dictation_reference_of_unit_like_letters_that_is_no_measure_is_masked(rules_stage, ref):
    assert _masked(rules_stage, _BEFORE + "Dictated, not read.\n" + ref + _AFTER, ref)


@pytest.mark.parametrize("ref", ["mg/dl", "ml/hr", "kg/hr", "mm/hg", "lb/wk", "bun/cr", "alt/ast", "na/ca", "hr/rr", "mcg/kg"])
def test_a_measure_or_a_pair_of_analytes_alone_on_its_line_stays(rules_stage, ref):
    assert _untouched(rules_stage, _BEFORE + "Units used below:\n" + ref + _AFTER, ref)


@pytest.mark.parametrize("text,value", [
    ("Email\tVisit\tSite\nq@mailbox.test\t08/02/2019\tSt.\nTobias's Health in Savannah, GA\n", "Tobias's"),
    ("Visit at St.\nTobias's Health on 08/02/2019.\n", "Tobias's"),
    ("Transferred from Saint\nKestrel Hospital on 08/02/2019.\n", "Kestrel"),
    ("email\tvisit\tsite\nq@mailbox.test\t08/02/2019\tst.\ntobias's health in savannah, ga\n", "tobias's"),
    ("Visit at ST.\nTOBIAS'S HEALTH on 08/02/2019.\n", "TOBIAS'S"),
    ("Referred by St.\n  Wendeline Medical Center.\n", "Wendeline"),
])
def test_a_saints_facility_wrapped_after_its_prefix_is_masked(rules_stage, text, value):
    assert _masked(rules_stage, _BEFORE + text + _AFTER, value)


@pytest.mark.parametrize("text,word", [
    ("a mechanical valve (St.\nJude Medical GmbH, Eschborn, Germany) was placed.\n", "Jude"),
    ("Lives at 12 Main St.\nHospital course was uneventful.\n", "Hospital"),
    ("Lives at 12 Main St.\nPatient reports chest pain.\n", "Patient"),
])
def test_a_line_ending_in_st_before_no_facility_masks_no_more(rules_stage, text, word):
    assert _untouched(rules_stage, _BEFORE + text + _AFTER, word)


@pytest.mark.parametrize("line,values", [
    ("barraclough arrived late.", ["barraclough"]),
    ("ace barraclough arrived late.", ["barraclough"]),
    ("quintero presented to clinic.", ["quintero"]),
    ("Barraclough arrived late.", ["Barraclough"]),
    ("spoke with the team; tennant returned the call.", ["tennant"]),
])
def test_a_census_surname_in_lower_case_before_a_verb_a_thing_does_too_is_masked(rules_stage, line, values):
    """(canary dev seed 1021, deid17: ``ace barraclough arrived late.`` in a lower-case line of a
    mixed-case note; the verb is one a thing does too, so a lone lower-case word needs a list)"""
    _assert_all_masked(rules_stage, line, values)


@pytest.mark.parametrize("line,word", [
    ("results arrived late.", "results"),
    ("appt notes at time of scheduling.", "appt"),
    ("acrodermatitis enteropathica presents with rash.", "enteropathica"),
    ("cultures returned negative.", "cultures"),
    ("echo reports ef 55%.", "echo"),
    ("smoker, states she quit.", "smoker"),
])
def test_a_thing_before_a_verb_a_thing_does_too_stays(rules_stage, line, word):
    assert _untouched(rules_stage, _BEFORE + line + _AFTER, word)


# canary dev seed 1033 (deid17): a slash list wrapped at a slash, a listed short surname that is also a
# word before a given name after a weak cue, a given name with marks whose ASCII form is a drug's
# abbreviation, a double surname of name words in a tab-separated cell
@pytest.mark.parametrize("text,values", [
    ("Team - Haverbrook / Winterbottom /\nZielinski\n", ["Winterbottom", "Zielinski"]),
    ("Team: Haverbrook / Winterbottom\n/ Zielinski\n", ["Winterbottom", "Zielinski"]),
    ("team - haverbrook / winterbottom /\nzielinski\n", ["winterbottom"]),
    ("video visit with ngo quyen completed,\t30 minutes.\n", ["ngo quyen"]),
    ("MEETING WITH NGO QUYEN TODAY.\n", ["NGO QUYEN"]),
    ("ride home arranged for åsa lindström.\n", ["åsa"]),
    ("pt brought in by åke lindqvist from home.\n", ["åke"]),
    ("Re:\tSaint-Aubin,\tSoledad A.\n", ["Saint-Aubin"]),
    ("RE:\tSAINT-AUBIN,\tSOLEDAD A.\n", ["SAINT-AUBIN"]),
])
def test_seed_1033_causes_are_masked(rules_stage, text, values):
    _assert_all_masked(rules_stage, text, values)


@pytest.mark.parametrize("text,word", [
    ("Drops: timolol / dorzolamide /\nbrimonidine, all tolerated.\n", "brimonidine"),
    ("Vitals: BP / HR /\nRR stable.\n", "RR"),
    ("visit with ent team next week.\n", "ent"),
    ("appointment with gi clinic on friday.\n", "clinic"),
    ("Continue asa 81 mg daily.\n", "asa"),
])
def test_seed_1033_neighbours_that_name_no_one_stay(rules_stage, text, word):
    assert _untouched(rules_stage, _BEFORE + text + _AFTER, word)


# canx17's seed-16 doc_meta leaks (deid17): a surname that is an English word after a title written
# with its period, in a lower-case line or a note in capitals
@pytest.mark.parametrize("text,values", [
    ("fax to: dr. farrow at westerby clinic\n", ["farrow"]),
    ("FAX TO: DR. FARROW AT WESTERBY CLINIC\n", ["FARROW"]),
    ("cc: dr. stone, dr. bell\n", ["stone", "bell"]),
    ("per dr. reed, continue drops.\n", ["reed"]),
    ("mrs. young will call back.\n", ["young"]),
])
def test_a_listed_surname_after_a_title_with_its_period_is_masked_in_any_case(rules_stage, text, values):
    _assert_all_masked(rules_stage, text, values)


# canx17's strong-cue leaks (deid17): an English word as a given name before a surname after a strong cue
@pytest.mark.parametrize("text,values", [
    ("Spoke with Peregrine Moramor today.\n", ["Peregrine", "Moramor"]),
    ("Proxy for Peregrine Wetherall.\n", ["Peregrine", "Wetherall"]),
    ("MyChart message from Peregrine Moramor (proxy).\n", ["Peregrine", "Moramor"]),
    ("Message left for Sterling Quorvane.\n", ["Sterling", "Quorvane"]),
])
def test_an_english_word_as_a_given_name_before_a_surname_after_a_strong_cue_is_masked(rules_stage, text, values):
    _assert_all_masked(rules_stage, text, values)


@pytest.mark.parametrize("text,word", [
    ("Spoke with Social Work today.\n", "Social"),
    ("Discussed with Infectious Disease.\n", "Infectious"),
    ("Message from Home Health regarding visits.\n", "Home"),
    ("Spoke with Primary Care Team.\n", "Primary"),
])
def test_a_service_after_a_strong_cue_stays(rules_stage, text, word):
    assert _untouched(rules_stage, _BEFORE + text + _AFTER, word)


# dev seed 1039 after the merges (deid17): a two-letter family name capitalised before a found given
# name, a proxy cue wrapped before its "for", a dated login that only a term's shape makes clinical
@pytest.mark.parametrize("text,values", [
    ("Video visit with Ta Phuong completed, 30 minutes.\n", ["Ta"]),
    ("Spoke with Vo Quyen about the results.\n", ["Vo"]),
    ("portal message from bexivar mortensen (proxy\nfor yshoub druondel)\n", ["yshoub", "druondel"]),
    ("Electronically signed by: adeyemia on 7/27/2022 07:03\n", ["adeyemia"]),
    ("ELECTRONICALLY SIGNED BY: ADEYEMIA ON 7/27/2022 07:03\n", ["ADEYEMIA"]),
])
def test_seed_1039_causes_are_masked(rules_stage, text, values):
    _assert_all_masked(rules_stage, text, values)


@pytest.mark.parametrize("text,word", [
    ("Per OD Lindqvist the pressure is stable.\n", "OD"),
    ("Sent to ED Okafor unit for review.\n", "ED"),
    ("Reviewed by cardiology on 3/4/2024.\n", "cardiology"),
    ("Reviewed by the team on 3/4/2024.\n", "team"),
])
def test_seed_1039_neighbours_that_name_no_one_stay(rules_stage, text, word):
    assert _untouched(rules_stage, _BEFORE + text + _AFTER, word)
