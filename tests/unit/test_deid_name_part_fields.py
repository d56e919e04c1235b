"""Fields whose label names a part of a person's name, and label-value rows that look like a
table's header (canary dev seed 977, deid16: ``first name<tab>ignatius`` in a mixed-case note). The
value of ``Last name`` / ``first name`` / ``maiden name`` is a name whatever else its word is, in any
case; a header row's cell right after a column's name is that name's value when it is no ordinary
word. Every person here is invented."""

from __future__ import annotations

import pytest
from conftest import masked_within_one as _masked
from conftest import untouched as _untouched

#: a mixed-case line after the fields, so no one-case reading of the note applies
_AFTER = "\nPlan: continue the current drops.\nMr. Haddad arrived late.\n"



@pytest.mark.parametrize("fields,values", [
    ("last name\tstone\nfirst name\tgrace", ["stone", "grace"]),
    ("Last name: stone\nFirst name: grace", ["stone", "grace"]),
    ("Last name: Stone\nFirst name: Will", ["Stone", "Will"]),
    ("LAST NAME: STONE\nFIRST NAME: HOPE", ["STONE", "HOPE"]),
    ("first name | rose\nlast name | baker", ["rose", "baker"]),
    ("Maiden name - mason", ["mason"]),
    ("Patient first name:  hunter", ["hunter"]),
    ("Family name: de la cruz", ["cruz"]),
    ("Surname\tfisher\tGiven name\tdawn", ["fisher", "dawn"]),
    ("Given name: amber; Family name: page", ["amber", "page"]),
    ("preferred name: sunny", ["sunny"]),
])
def test_a_name_part_fields_value_is_masked_whatever_its_word(rules_stage, fields, values):
    text = "Seen in clinic today.\n" + fields + _AFTER
    for v in values:
        assert _masked(rules_stage, text, v), v


@pytest.mark.parametrize("fields,word", [
    ("Last name: unknown", "unknown"),
    ("First name: same as above", "same"),
    ("Last name\tFirst name\tMRN", "First"),
    ("Family history: diabetes in her mother", "diabetes"),
    ("Last name changed after marriage, chart updated.", "changed"),
    ("first name basis with the team", "basis"),
])
def test_a_name_part_label_without_a_name_after_it_masks_nothing(rules_stage, fields, word):
    text = "Seen in clinic today.\n" + fields + _AFTER
    assert _untouched(rules_stage, text, word)


@pytest.mark.parametrize("rows,value", [
    ("first name\tignatius\nfamily meeting:\tthe team.", "ignatius"),
    ("first name | ignatius\nfamily meeting: | the team.", "ignatius"),
    ("mrn\t88213\tcontact\tdruarth\nplan:\tcontinue\tfollow up:\t2 weeks", "druarth"),
    ("provider\tquorrath\nsister\tat bedside", "quorrath"),
    ("Guardian\tvelmira\tPhone\t555-201-3344\nNotes\tcalls weekly", "velmira"),
])
def test_a_header_rows_cell_after_a_column_name_is_its_value_when_it_is_a_name(rules_stage, rows, value):
    text = "Seen in clinic today.\n" + rows + _AFTER
    assert _masked(rules_stage, text, value)


@pytest.mark.parametrize("rows,word", [
    ("Care team\tRole\nOkafor\tcardiology", "Role"),
    ("provider\tspecialty\tphone\nDr. Okafor\tcardiology\t555-201-3344", "specialty"),
    ("Contact\tRelationship\tNotes\nMaren Quorrath\tdaughter\tcalls weekly", "Relationship"),
    ("Patient\tStatus\tDate\nKelloway\tstable\t01/02/2020", "Status"),
])
def test_a_header_rows_other_column_names_stay(rules_stage, rows, word):
    text = "Seen in clinic today.\n" + rows + _AFTER
    assert _untouched(rules_stage, text, word)


@pytest.mark.parametrize("text,value", [
    ("Morael monitoring overnight, no events.\nWound is healing well.\n", "Morael"),
    ("Morael monitoring overnight,\tno events.\nWound is healing well.\n", "Morael"),
    ("Borrell will review the films tomorrow.\nWound is healing well.\n", "Borrell"),
])
def test_an_opening_word_one_letter_from_a_word_no_person_is_is_a_name_before_a_persons_verb(rules_stage, text, value):
    assert _masked(rules_stage, text, value)


@pytest.mark.parametrize("text,word", [
    ("Moral support given, no events.\n", "Moral"),
    ("Morale improving overnight, no events.\n", "Morale"),
])
def test_an_opening_english_word_stays(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


@pytest.mark.parametrize("fields,values", [
    ("Pt. last name ..... stone\nPt. first name .... grace", ["stone", "grace"]),
    ("Name (last, first):\tCROSS, Hope", ["CROSS", "Hope"]),
    ("name (last, first): field, ivy", ["field", "ivy"]),
    ("Last/First: marsh/autumn", ["marsh", "autumn"]),
    ("Patient's first name is iris and last name swan.", ["iris", "swan"]),
    ("PATIENT'S FIRST NAME IS WREN AND LAST NAME RICE.", ["WREN", "RICE"]),
    ("Patient last name: rice  Patient first name:\nhope", ["rice", "hope"]),
    ("Patient's first name is quorrath and last name\nsharp.", ["sharp"]),
    ("Last Name\tfield\tSex\tF", ["field"]),
    ("his last name is fisher, per the chart", ["fisher"]),
])
def test_name_part_labels_in_other_shapes(rules_stage, fields, values):
    text = "Seen in clinic today.\n" + fields + _AFTER
    for v in values:
        assert _masked(rules_stage, text, v), v


@pytest.mark.parametrize("fields,word", [
    ("Identity confirmed by first and last name and date of birth.", "date"),
    ("His last name was misspelled in the chart and corrected.", "misspelled"),
    ("Humphrey visual field stable.", "field"),
    ("Name\tRole\nOkafor\tcardiology", "Role"),
])
def test_name_part_labels_in_prose_without_a_value_mask_nothing(rules_stage, fields, word):
    text = "Seen in clinic today.\n" + fields + _AFTER
    assert _untouched(rules_stage, text, word)


@pytest.mark.parametrize("line,value", [
    ("family meeting: soledad ten brink and the team.", "soledad"),
    ("discussed with mercedes van der berg today.", "mercedes"),
])
def test_a_listed_given_name_before_particles_in_a_lower_case_line_of_a_mixed_case_note(rules_stage, line, value):
    # (canary dev seed 811: a table above the line took the transformer's guess away; the rules now read it)
    text = "Note cosigned by Morarth O.\nlast\tfirst\trole\nlindqvist\tkwame\tpatient\n" + line + "\n"
    assert _masked(rules_stage, text, value)


@pytest.mark.parametrize("line,word", [
    ("gave ten units of insulin, recheck in ten days.", "units"),
    ("will ten days of rest help?", "will"),
])
def test_ten_as_a_number_in_lower_case_stays(rules_stage, line, word):
    text = "Note cosigned by Morarth O.\n" + line + "\n"
    assert _untouched(rules_stage, text, word)


@pytest.mark.parametrize("text,value", [
    ("seen  in   clinic     today.\nthank you,  dr.   sinclair\n", "sinclair"),
    ('portal     message:     "dr.     okafor-lane,     can i   take   ibuprofen  with   this?"\nseen  today.\n', "okafor-lane"),
    ('"tell  dr.     blackwood  i   feel  fine,"   per   patient.\nplan:  continue   drops.\n', "blackwood"),
    ("surgery   consulted     (dr.     trevelyan,  pager   x9539).\nseen  today.\n", "trevelyan"),
])
def test_a_name_after_a_title_in_a_note_of_random_blank_runs(rules_stage, text, value):
    # (sixteenth session: runs of every width at random tell no field's end; each is one blank in the
    # neutral view, as before the Glaucoma tabs fix that keeps a wider run as two where gaps are regular)
    assert _masked(rules_stage, text, value)
