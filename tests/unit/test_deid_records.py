"""Machine records pasted into notes (issue 16, eleventh session, branch deid11: the canary kinds
``hl7``, ``csv_row``, ``json_kv``, ``mail_header`` and ``struct_id``): CSV rows under a header
line, JSON-ish key/values, HL7 v2 segments and e-mail headers. Table-driven, with neighbours and
what must stay untouched: sentences with commas, medication records, coded HL7 elements, a
mailbox's name. Every person and number is synthetic."""

from __future__ import annotations

import pytest

from ehrnlp.deid import slots
from ehrnlp.deid.layout import delimited_cells, hl7_fields, keyed_values


def _values(found, text):
    return [(label, text[s:e]) for label, s, e in found]


@pytest.mark.parametrize(("text", "cells"), [
    ("mrn,last,first,dob\n9676707,Quavrin,Telondel,04/12/1966",
     [("ID", "9676707"), ("NAME", "Quavrin"), ("NAME", "Telondel"), ("DATE", "04/12/1966")]),
    ('"Last Name","First Name","MRN"\n"Orvasse","Lumeth","1234567"', [("NAME", "Orvasse"), ("NAME", "Lumeth"), ("ID", "1234567")]),
    ("patient_id;surname;given_name;birth_date\n573747774;Carrowen;Kalondel;08/19/1962",
     [("ID", "573747774"), ("NAME", "Carrowen"), ("NAME", "Kalondel"), ("DATE", "08/19/1962")]),
    ('id,name,provider\n3677845,"Peravin, Pelondel",Greeth Morwick',
     [("ID", "3677845"), ("NAME", "Peravin, Pelondel"), ("NAME", "Greeth Morwick")]),
    ("ENCOUNTER,PATIENT,ATTENDING,UNIT\n913807,TALIS ORVANE,QUENDRIL,4W",  # capitals; "unit" is no PHI column
     [("ID", "913807"), ("NAME", "TALIS ORVANE"), ("NAME", "QUENDRIL")]),
    # two tables one after the other: the second header ends the first table
    ("mrn,last\n1234567,Orvasse\nid,name\n7654321,Lumeth", [("ID", "1234567"), ("NAME", "Orvasse"), ("ID", "7654321"), ("NAME", "Lumeth")]),
    # two rows; a blank line ends the table
    ("mrn,name\n1234567,Orvasse\n7654321,Lumeth\n\n1111111,Quorrath", [("ID", "1234567"), ("NAME", "Orvasse"), ("ID", "7654321"), ("NAME", "Lumeth")]),
])
def test_delimited_cells(text, cells):
    assert _values(delimited_cells(text), text) == cells


@pytest.mark.parametrize("text", [
    "Name, DOB and MRN were confirmed.\nPatient tolerated the procedure, no complications.",
    "Allergies: penicillin, sulfa\nDenies fever, chills, nausea.",
    "name,dose\nmetformin,500 mg",  # one PHI column only: no header of a record
    "mrn,name\nthe patient was seen today, vitals stable, plan as below",  # a row of another width
    "Labs: sodium, potassium, creatinine\n138, 4.1, 1.6",
])
def test_delimited_cells_leave_prose_and_other_tables(text):
    assert delimited_cells(text) == []


@pytest.mark.parametrize(("text", "values"), [
    ('{"patient_name": "Chioma Oroveth", "mrn": "96831448", "dob": "1938-08-16"}',
     [("NAME", "Chioma Oroveth"), ("ID", "96831448"), ("DATE", "1938-08-16")]),
    ('"name": [{"family": "pereval", "given": ["ulvrin"]}], "identifier": "33505909"',
     [("NAME", "pereval"), ("NAME", "ulvrin"), ("ID", "33505909")]),
    ("{'name': 'Mbelvo, Soroub', 'mrn': '89338304'}", [("NAME", "Mbelvo, Soroub"), ("ID", "89338304")]),
    ('{"firstName": "Lumeth", "lastName": "Orvasse", "patientId": 44512}', [("NAME", "Lumeth"), ("NAME", "Orvasse"), ("ID", "44512")]),
    ('{"author": "Greeth Morwick", "note_type": "progress"}', [("NAME", "Greeth Morwick")]),
])
def test_keyed_values(text, values):
    assert _values(keyed_values(text), text) == values


@pytest.mark.parametrize("text", [
    '{"drug": "metformin", "dose": "500 mg", "route": "PO"}',
    '{"status": "final", "code": "8480-6"}',
    'He said: "the name is on file".',
])
def test_keyed_values_leave_other_keys(text):
    assert keyed_values(text) == []


@pytest.mark.parametrize(("text", "values"), [
    ("PID|1||58375848^^^HOSP^MR||QUARVEL^MORAEL^T||19620601|F",
     [("NAME", "QUARVEL"), ("NAME", "MORAEL"), ("NAME", "T"), ("ID", "58375848"), ("DATE", "19620601")]),
    ("pid|||3085635||yshilde^zelethe||19510119|f", [("NAME", "yshilde"), ("NAME", "zelethe"), ("ID", "3085635"), ("DATE", "19510119")]),
    ("PV1|1|I|4W^412^1||||70347^Oravin^Kofrel^^^DR", [("ID", "70347"), ("NAME", "Oravin"), ("NAME", "Kofrel")]),
    ("NK1|1|Tharorra^Greeth|SPO||(555)555-0142", [("NAME", "Tharorra"), ("NAME", "Greeth"), ("PHONE", "(555)555-0142")]),
    # a CRLF note: the last component of a segment ends before its CR
    ("PID|1||3085635||Yshilde^Zelethe\r\nOBR|1|355488||CBC^COMPLETE BLOOD COUNT|||202403020715|||||||||70347^Oravin^Fenondel\r\n",
     [("NAME", "Yshilde"), ("NAME", "Zelethe"), ("ID", "3085635"), ("ID", "70347"), ("NAME", "Oravin"), ("NAME", "Fenondel")]),
    ("PID|1||123^^^MR||Doveth^Ana||19700101|F|||12 Larkfield Rd^^Quarrytown^PA^19001",
     [("NAME", "Doveth"), ("NAME", "Ana"), ("ID", "123"), ("DATE", "19700101"), ("LOCATION", "12 Larkfield Rd"),
      ("LOCATION", "Quarrytown"), ("LOCATION", "19001")]),
])
def test_hl7_fields(text, values):
    assert _values(hl7_fields(text), text) == values


@pytest.mark.parametrize("text", [
    "MSH|^~\\&|ADT|MAIN|||202401150830||ADT^A01|799253|P|2.3",  # the message header: no person
    "OBX|1|NM|2345-7^GLUCOSE^LN||182|mg/dL|70-99|H",  # a coded observation, no responsible observer
    "BP|120/80|sitting",  # a table row, no HL7 segment of people
    "Plan|continue|metformin",
])
def test_hl7_fields_leave_other_segments(text):
    assert hl7_fields(text) == []


_ENGLISH = set("clinic inbox nursing pool team front desk the refill question labs monday am subject appointment".split())


def _judge() -> slots.WordJudge:
    def surname_ok(w: str) -> bool:
        return w.lower() not in {"the", "refill", "monday"}

    return slots.WordJudge(unknown=lambda w: w.lower() not in _ENGLISH, surname_ok=surname_ok, place_ok=surname_ok,
                           surname=lambda w: w.lower() in {"rutherford"})


@pytest.mark.parametrize(("text", "names"), [
    ("From: Lucan Fenewick <lucan.fenewick@example.org>\nTo: Clinic Inbox\nSubject: refill question", ["Lucan Fenewick"]),
    ("from: thararth, druoub\nsent: monday 9:14 am\nto: anjel pereval\nsubject: labs", ["thararth, druoub", "anjel pereval"]),
    ("To: Ximel Gallavan <xgallavan@mailbox.test>\nCc: Dagny Whitcove; nursing pool\nRe: labs", ["Ximel Gallavan", "Dagny Whitcove"]),
    ('Reply-To: "Greer Rutherford" <greer.rutherford@inbox.example>\nSubject: appointment', ["Greer Rutherford"]),
    ("FROM: QUAVEL ORNE <Q.ORNE@EXAMPLE.ORG>, TALIS VEX <TV@EXAMPLE.ORG>\nTO: FRONT DESK", ["QUAVEL ORNE", "TALIS VEX"]),
])
def test_mail_header_names(text, names):
    assert [text[h.start:h.end] for h in slots.mail_header_names(text, _judge())] == names


@pytest.mark.parametrize("text", [
    "To: Clinic Inbox\nCc: nursing pool; front desk\nSubject: refill question",
    "From: Lucan Fenewick\nThe patient was seen today.",  # one header line alone: the label rules' field
    "Subject: labs\nTo: the team",
])
def test_mail_header_names_leave_mailboxes(text):
    assert slots.mail_header_names(text, _judge()) == []


def test_mail_header_names_trust_the_items_own_address():
    # "Chioma" has a tumour's shape; the address it sends from spells it, so it is the sender's name
    judge = slots.WordJudge(unknown=lambda w: w.lower() not in _ENGLISH and not w.lower().endswith("oma"), surname_ok=lambda w: True,
                            place_ok=lambda w: True, clinical=lambda w: w.lower().endswith("oma"))
    text = 'Reply-To: "Chioma Velandre" <chioma.velandre@inbox.example>\nSubject: appointment'
    assert [text[h.start:h.end] for h in slots.mail_header_names(text, judge)] == ["Chioma Velandre"]
    text = "To: Chioma\nSubject: appointment"  # no address, alone: a word of a tumour's shape is no name by itself
    assert slots.mail_header_names(text, judge) == []
    # beside another name word, a word only its shape makes clinical (no vocabulary holds it) is a name's
    judge = slots.WordJudge(unknown=judge.unknown, surname_ok=judge.surname_ok, place_ok=judge.place_ok, clinical=judge.clinical,
                            shaped=lambda w: w.lower() == "chioma")
    text = "To: Chioma Velandre\nCc: Carcinoma Board\nSubject: appointment"
    assert [text[h.start:h.end] for h in slots.mail_header_names(text, judge)] == ["Chioma Velandre"]


@pytest.mark.parametrize(("text", "values"), [
    ('"name": [{"family": "pereval",\n"given":\n["ulvrin"]}]', [("NAME", "pereval"), ("NAME", "ulvrin")]),  # a hard wrap
])
def test_keyed_values_across_a_wrap(text, values):
    assert _values(keyed_values(text), text) == values


#: records in whole notes, through the stage: every name, number and date goes, the clinical text stays
CASES = [
    ("Seen today. Lungs clear.\nmrn,last,first,dob\n9676707,Quavrin,Chioma,04/12/1966\nPlan: recheck lipids.",
     ["9676707", "Quavrin", "Chioma", "04/12/1966"], ["Lungs clear.", "Plan: recheck lipids."]),
    ('Seen today.\nid,name,provider\n3677845,"Peravin, Pelondel",Greeth Morwick\nLungs clear.',
     ["3677845", "Peravin", "Pelondel", "Greeth", "Morwick"], ["Lungs clear."]),
    ("Seen today.\n{'name': 'Mbelvo, Perpetua', 'mrn': '89338304'}\nLungs clear.", ["Mbelvo", "Perpetua", "89338304"], ["Lungs clear."]),
    ('Seen today.\n{"drug": "metformin", "dose": "500 mg"}\nLungs clear.', [], ["metformin", "500 mg", "Lungs clear."]),
    ("Seen today.\nPID|1||58375848^^^HOSP^MR||QUARVEL^MORAEL^T||19620601|F\nPV1|1|I|4W^412^1||||70347^Oravin^Kofrel^^^DR\nLungs clear.",
     ["58375848", "QUARVEL", "MORAEL", "19620601", "Oravin", "Kofrel"], ["Lungs clear."]),
    ("Seen today. Lungs clear.\nFrom: Lucan Fenewick <lucan.fenewick@example.org>\nTo: Clinic Inbox\nSubject: refill question",
     ["Lucan", "Fenewick"], ["Clinic Inbox", "refill question"]),
    ("Seen today. Lungs clear.\nWe saw her.\nmrs quoc returns for a wound check.", ["quoc"], ["returns for a wound check."]),
    ("Seen today.\ncc: Conceicao Loveridge\nmessage left for ngo loan.\nLungs clear.", ["Loveridge", "ngo", "loan"], ["message left for"]),
    ("Seen today. Lungs clear.\ncovering resident (caspian oyebanji) paged at 3 am.", ["caspian", "oyebanji"], ["covering resident (", "paged at 3 am."]),
]


@pytest.fixture(scope="module")
def stage():
    from ehrnlp.deid import DeidStage

    return DeidStage()


@pytest.mark.slow
@pytest.mark.parametrize(("text", "gone", "kept"), CASES)
def test_stage_records(stage, text, gone, kept):
    from ehrnlp.model import Document, Note

    out = stage(Document.from_note(Note(text=text))).text
    for value in gone:
        assert value not in out, (value, out)
    for value in kept:
        assert value in out, (value, out)
