"""Causes from the canary's ``doc_meta`` kind left by the seventeenth session (dev seed 1039), each
with its neighbours (eighteenth session): an English word as a given name before a surname after a
strong cue in a note of one case (``PORTAL MESSAGE FROM PEREGRINE QUENN``), a name and its credential
in cells a tab apart (``from:<tab>zuleika dimitriou,<tab>rn``), and the login after the ``by`` of a
stamp that carries its date before it (``PRINTED 03/04/2024 03:16 BY HALDANES``). Every person here
is invented."""

from __future__ import annotations

import pytest
from conftest import masked_within_one as _masked
from conftest import untouched as _untouched

#: a mixed-case line around the probes, so no one-case reading of the note applies
_BEFORE = "Patient seen in clinic today.\n"
_AFTER = "\nPlan: continue the current drops.\n"


def _assert_all_masked(stage, text: str, values: list[str]) -> None:
    for v in values:
        assert _masked(stage, text, v), v


@pytest.mark.parametrize("text,values", [
    # a note in capitals, a note in lower case: the case of the two words is no evidence
    ("PORTAL MESSAGE FROM PEREGRINE QUENN (PROXY FOR ILSABET MORRANE)\nREFILL REQUEST.\n", ["PEREGRINE", "QUENN"]),
    ("SPOKE WITH HUNTER VASKELIN TODAY ABOUT THE DROPS.\n", ["HUNTER", "VASKELIN"]),
    ("message left for sterling oduvane re: refill.\n", ["sterling", "oduvane"]),
    ("discussed with amber thistlewaite at the bedside.\n", ["amber", "thistlewaite"]),
    # lower case inside a mixed-case note
    (_BEFORE + "portal message from peregrine quenn\n" + _AFTER, ["peregrine", "quenn"]),
    (_BEFORE + "spoke with hunter vaskelin about the plan." + _AFTER, ["hunter", "vaskelin"]),
    # a listed surname that is no word after the English given name
    ("SPOKE WITH PEREGRINE BARRACLOUGH TODAY.\n", ["PEREGRINE", "BARRACLOUGH"]),
])
def test_an_english_given_name_before_a_surname_after_a_strong_cue_is_masked_in_one_case(rules_stage, text, values):
    _assert_all_masked(rules_stage, text, values)


@pytest.mark.parametrize("text,word", [
    ("SPOKE WITH FAMILY MEMBERS TODAY.\n", "FAMILY"),
    ("spoke with pharmacy about the refill.\n", "pharmacy"),
    (_BEFORE + "discussed with family qustions answered" + _AFTER, "qustions"),  # a misspelling is no surname
    (_BEFORE + "called pharmacy refil" + _AFTER, "refil"),
    ("PER PROTOCOL TIMOLOL DAILY.\n", "PROTOCOL"),
    (_BEFORE + "message from pharmacy regarding coverage." + _AFTER, "pharmacy"),
    # a one-word cue takes a plan or a service as often as a person
    ("per protocol, hold the dose; per guidelines recheck in a week.\n", "guidelines"),
    ("PER GUIDELINES RECHECK IN A WEEK.\n", "RECHECK"),
    ("page ortho resident qxalt tonight.\n", "resident"),
])
def test_words_after_a_strong_cue_that_are_no_name_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


@pytest.mark.parametrize("text,values", [
    ("from:\tzuleika dimitriou,\trn\n", ["zuleika", "dimitriou"]),
    ("From:\tZuleika Dimitriou,\tRN\n", ["Zuleika", "Dimitriou"]),
    ("FROM:\tZULEIKA DIMITRIOU,\tRN\n", ["ZULEIKA", "DIMITRIOU"]),
    ("Seen by:\tOrvane Kessil,\tMD\n", ["Orvane", "Kessil"]),
    ("cosigned\tOrvane Kessil,\tNP\n", ["Orvane", "Kessil"]),
    ("Dimitriou, Zuleika,\tPA-C\n", ["Dimitriou", "Zuleika"]),
])
def test_a_name_before_its_credential_a_tab_apart_is_masked(rules_stage, text, values):
    _assert_all_masked(rules_stage, _BEFORE + text + _AFTER, values)


@pytest.mark.parametrize("text,word", [
    ("Eye:\tOD,\tOS\n", "OD"),
    ("timolol,\tdo not stop\n", "timolol"),
])
def test_a_credential_shaped_word_a_tab_after_a_comma_leaves_clinical_cells(rules_stage, text, word):
    assert _untouched(rules_stage, _BEFORE + text + _AFTER, word)


@pytest.mark.parametrize("text,value", [
    ("PRINTED 03/04/2024 03:16 BY HALDANES\n", "HALDANES"),
    ("printed 03/04/2024 03:16 by haldanes\n", "haldanes"),
    ("Printed on 11/2/2025 at 9:40 by wetherallp\n", "wetherallp"),
    ("Faxed 2/14/2026 by quenna\n", "quenna"),
])
def test_the_login_after_a_dated_stamp_is_masked(rules_stage, text, value):
    assert _masked(rules_stage, _BEFORE + text + _AFTER, value), value


@pytest.mark.parametrize("text,word", [
    ("printed 03/04/2024 03:16 by cardiology\n", "cardiology"),
    ("Printed 03/04/2024 by pharmacy\n", "pharmacy"),
    ("Faxed 2/14/2026 by system\n", "system"),
    ("Reviewed 2/14/2026 by ophthalmology\n", "ophthalmology"),
])
def test_a_service_after_a_dated_stamp_stays(rules_stage, text, word):
    assert _untouched(rules_stage, _BEFORE + text + _AFTER, word)


# dev seed 1051 (eighteenth session): a two-letter family name before a found name after a person's cue in
# any case, a short term that is also a given name after a strong cue, a login whose "for" ends a wrapped
# line, a login made of an initial and a surname the note names elsewhere
@pytest.mark.parametrize("text,values", [
    ("video visit with ta phuong completed, 30 minutes.\n", ["ta"]),
    (_BEFORE + "video visit with ta phuong completed, 30 minutes." + _AFTER, ["ta"]),
    ("VIDEO VISIT WITH TA PHUONG COMPLETED.\n", ["TA"]),
    ("spoke with asa rutledge regarding the mri.\n", ["asa", "rutledge"]),
    (_BEFORE + "message from asa quenn re: refill" + _AFTER, ["asa", "quenn"]),
    ("report requested by torquil.farrow for\nfarrow, torquil k on 01/01/2020\n", ["torquil.farrow"]),
    ("Lavery, Quael\tMRN 1234\nprinted by slavery\n", ["slavery"]),
    ("Hunter Farrow seen today.\nsigned by farrowh\n", ["farrowh"]),
])
def test_dev_seed_1051_causes_are_masked(rules_stage, text, values):
    _assert_all_masked(rules_stage, text, values)


@pytest.mark.parametrize("text,word", [
    (_BEFORE + "visit with od smith today" + _AFTER, "od"),
    (_BEFORE + "meeting with pt okafor" + _AFTER, "pt"),
    (_BEFORE + "spoke with ed okafor" + _AFTER, "ed"),
    (_BEFORE + "appointment with ot okafor" + _AFTER, "ot"),
    (_BEFORE + "spoke with pcp rutledge regarding the mri." + _AFTER, "pcp"),
    ("The slavery museum was closed.\nprinted by slavery\n", "museum"),
    (_BEFORE + "printed by request" + _AFTER, "request"),
])
def test_a_role_or_a_word_the_note_does_not_name_stays(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


# seed 1049 (held out last session, spent, dev now): a login closing a footer's field with no date, a cue cut
# by a hard wrap, a record's "Last, First" after a stamp's "for", a state's comma before its ZIP, a lower-case
# block inside a mixed-case note read as the note of one case it is, a note's "written by"
@pytest.mark.parametrize("text,values", [
    (_BEFORE + "PRINTED BY WETHERLY - PAGE 2/5" + _AFTER, ["WETHERLY"]),
    (_BEFORE + "Also, is Whitlock still\non the care team?" + _AFTER, ["Whitlock"]),
    (_BEFORE + "Spoke\nwith Dalia Quenn today." + _AFTER, ["Dalia"]),
    (_BEFORE + "Report requested by jsmith for ORMSBY, FFION" + _AFTER, ["ORMSBY, FFION"]),
    (_BEFORE + "Re: Quenn, Dalia" + _AFTER, ["Quenn, Dalia"]),
    (_BEFORE + "home is 12 Larch Road, Bramblecote, OR, 50692. Denies fever." + _AFTER, ["Bramblecote", "50692"]),
    ("cc: Kjetil Høiby\ncal pellowe arrived late.\n", ["pellowe"]),
    ("Hi, This is Dr Smith.\nportal message from peregrine wetherall (proxy for lumoub farrow)\n", ["lumoub farrow"]),
    (_BEFORE + "note written by ümit wexley." + _AFTER, ["ümit wexley"]),
])
def test_seed_1049_causes_are_masked(rules_stage, text, values):
    _assert_all_masked(rules_stage, text, values)


@pytest.mark.parametrize("text,word", [
    (_BEFORE + "printed by secretary" + _AFTER, "secretary"),
    (_BEFORE + "It is\nout of stock." + _AFTER, "out"),
    (_BEFORE + "tested for aspergillus, candida" + _AFTER, "aspergillus"),
    ("Re: Follow-up, Maren\nThank you.\n", "Follow-up"),
    (_BEFORE + "OD, OS, 20000 cells" + _AFTER, "20000"),
    (_BEFORE + "note written by hand" + _AFTER, "hand"),
    ("Seen today.\npt seen and examined, no acute distress.\nper guidelines recheck in a week.\n", "guidelines"),
])
def test_their_neighbours_that_are_no_phi_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


# fresh dev seed 1057: a place or a surname's particle cut from its name by a hard wrap
@pytest.mark.parametrize("text,values", [
    (_BEFORE + "encounter=01/26/2019 site=our Detroit\nclinic" + _AFTER, ["Detroit"]),
    (_BEFORE + "seen at our\nDetroit clinic" + _AFTER, ["Detroit"]),
    (_BEFORE + "Lives in Detroit,\nMI with his wife." + _AFTER, ["Detroit"]),
    (_BEFORE + "Discussed the plan with Leocadia\nal-Masri at the bedside." + _AFTER, ["al-Masri"]),
    (_BEFORE + "Discussed the plan with Leocadia\nvan der Berg at the bedside." + _AFTER, ["van der Berg"]),
    (_BEFORE + "Spoke with Leocadia\nO'Neill today." + _AFTER, ["O'Neill"]),
])
def test_a_place_or_a_particle_cut_by_a_hard_wrap_is_masked(rules_stage, text, values):
    _assert_all_masked(rules_stage, text, values)


@pytest.mark.parametrize("text,word", [
    (_BEFORE + "not in the\nclinic today" + _AFTER, "clinic"),
    (_BEFORE + "Spoke with Leocadia\nde novo findings reviewed." + _AFTER, "novo"),
    (_BEFORE + "seen in the\nright eye clinic" + _AFTER, "right"),
])
def test_words_after_a_hard_wrap_that_are_no_place_or_name_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


# dev seed 1057 again after the safe_harbor merge (44 kinds): a listed surname English writes capitalised after an
# English given name in capitals, a credential's surname that is also a verb, a capitalised word mid-sentence after a
# weak cue one letter from an English word, a VIN with one letter after "vehicle"
@pytest.mark.parametrize("text,values", [
    ("TRANSCRIBED BY: AB\nMYCHART MESSAGE FROM PEREGRINE FARROW (PATIENT)\n", ["PEREGRINE FARROW"]),
    ("FAX TO: DR. ABEL\tFAX: 555\nFROM: ZULEIKA FARROW, RN\n", ["ZULEIKA FARROW"]),
    (_BEFORE + "Appointment with Morael moved to Friday." + _AFTER, ["Morael"]),
    (_BEFORE + "mvc:   vehicle     262e7701829745039,     driver side damage" + _AFTER, ["262e7701829745039"]),
    ("signed yolanda w pankhurst, md\n", ["yolanda w pankhurst"]),  # the middle initial with the name
])
def test_dev_seed_1057_after_the_merge_causes_are_masked(rules_stage, text, values):
    _assert_all_masked(rules_stage, text, values)


@pytest.mark.parametrize("text,word", [
    (_BEFORE + "message from blue cross about coverage" + _AFTER, "cross"),
    (_BEFORE + "continue, do not stop" + _AFTER, "continue"),
    (_BEFORE + "timolol, do not stop" + _AFTER, "timolol"),
    (_BEFORE + "Visit with Cardiolgy moved." + _AFTER, "Cardiolgy"),
    (_BEFORE + "motor vehicle accident in 2019" + _AFTER, "accident"),
    ("OD central island, MD -29.14, PSD 5.96\n", "island"),  # MD before a number is a mean deviation
])
def test_their_neighbours_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)
