"""A document's metadata (issue 16, seventeenth session, branch canx17; the canary kind
``doc_meta``): a document's own numbers after their label (``JOB #: 481950``), the login after a
stamp's ``by`` or in a user field, a nickname in quotes between a given name and a surname, a
record's ``LAST,FIRST`` / ``Last, First I`` / ``Last, First`` before a record label, a portal's
proxy, a practice named after a person. Table-driven, neighbours the canary never wrote and
negatives (roles, systems, services, quoted words in prose, clinical lists with a comma, a
department). The rules alone; every person and number is invented."""

from __future__ import annotations

import pytest
from conftest import deid_text, redacted_chars

CASES = ("as", "lower", "upper")


def _cased(text: str, case: str) -> str:
    return text if case == "as" else text.lower() if case == "lower" else text.upper()


def _leaks(stage, text: str, values: list[str]) -> list[str]:
    out = deid_text(stage, text)
    return [v for v in values if v.lower() in out.lower()]


OPENING = "Continue aspirin 81 mg daily.\n"


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(("text", "values"), [
    # a document's own numbers after their label
    ("JOB #: 481950\nDICTATED BY: Quennda Marwick, MD", ["481950"]),
    ("Job No. 770215 dictated 03/04/2024", ["770215"]),
    ("Dictation ID: 5521887  Doc #: 33019", ["5521887", "33019"]),
    ("Confirmation number 90812, voice file # 77341", ["90812", "77341"]),
    # the login after a stamp's "by" or in a user field
    ("Printed 03/04/2024 10:15 by strachja", ["strachja"]),
    ("Printed 3/4/2024 10:15 AM by c.tindall2", ["c.tindall2"]),
    ("Electronically signed by: quarries on 06/14/2026 15:05", ["quarries"]),
    # a hard wrap after the "on" or before it (held-out seed 1283, read after its count)
    ("Electronically signed by: quarries on\n2019-07-05 18:37", ["quarries"]),
    ("Electronically signed by: quarries\non 2019-07-05 18:37", ["quarries"]),
    ("Report requested by bexewickc2 for the clinic", ["bexewickc2"]),
    ("Last modified by hwolsten on 2021-02-03", ["hwolsten"]),
    ("User: marwickq7\nWorkstation: 4W-12", ["marwickq7"]),
    ("printed by ormsbys - page 1/3", ["ormsbys"]),
    ("Huxcombe, Zorabel - MRN 2546704 - printed\nby farrowo - page 2/4", ["farrowo"]),
    # a login made of a surname that is an English word and the given name's initial written beside it (twenty-first
    # session, spent seed 1117: "printed by farrows" under "Farrow, Sunniva")
    ("Farrow, Sunniva - MRN 33002704 - printed by farrows - page 1/3", ["farrows"]),
    ("Sunniva Farrow seen today.\nprinted by sfarrow - page 1/3", ["sfarrow"]),
    ("Lamb, Kit Ottoline seen.\nprinted by lambko - page 2", ["lambko"]),
    ("Bell, Sam seen today.\nlast edited by bells", ["bells"]),
    # a nickname in quotes between a given name and a surname
    ('Zorabel "Sandy" Farrow presents for follow-up.', ["Zorabel", "Sandy", "Farrow"]),
    ("Quennda 'Pip' Marwick called back.", ["Quennda", "Pip", "Marwick"]),
    ('Robert "Bobby" Thistlecombe, 61, seen today.', ["Bobby", "Thistlecombe"]),
    # a record's name pair
    ("INGLEBARK,PEREGRINE W    MRN 2546704    Page 3", ["INGLEBARK", "PEREGRINE"]),
    ("Huxcombe, Zorabel - MRN 2546704 - page 3/3", ["Huxcombe", "Zorabel"]),
    ("Report requested for TINDALE, SVEALA G on 03/04/2024", ["TINDALE", "SVEALA"]),
    ("Page 2 of 3     FARROWBY, ALARIN     MRN: 2466322     DOB 11/08/1983", ["FARROWBY", "ALARIN"]),
    ("FAX TO: Dr. Pettigrew at Westerby Clinic\tFAX: (524) 895-2566", ["Pettigrew", "Westerby"]),
    ("Marwick,Quennda A\tDOB 04/05/1977", ["Marwick", "Quennda"]),
    # a portal's proxy, a practice named after a person
    ("Portal message from Kristan Chadmoor (proxy for Honorine Haldcourt)", ["Honorine", "Haldcourt"]),
    # the cue's words end the line (a hard wrap): the name opening the next line is no sentence's start
    ("Portal message from Kristan Chadmoor (proxy for\nPeregrine Huxtable)", ["Peregrine", "Huxtable"]),
    ("Message left for\nHope Quarrington to call back.", ["Hope", "Quarrington"]),
    ("Seen today with\nRose Tindale for follow-up.", ["Rose", "Tindale"]),
    ("Refill request on behalf of Zorabel Quarrington.", ["Zorabel", "Quarrington"]),
    ("cc: Dr. Kilbrand; Farrow Family Practice", ["Farrow"]),
    ("Copy to Tindale & Ormsworth Pediatrics.", ["Tindale", "Ormsworth"]),
    # a practice's name cut from its head by a hard wrap (between the name and the head, inside the head, after "&")
    ("cc: Dr. Kilbrand; Mireille Tharivar, NP; Farrow\nFamily Practice\nfax to: Dr. Kilbrand", ["Farrow"]),
    ("cc: Farrow\nFamily Practice; Dr. Kilbrand", ["Farrow"]),
    ("cc: Dr. Kilbrand; Farrow Family\nPractice", ["Farrow"]),
    ("Copy to Tindale &\nOrmsworth Pediatrics.", ["Tindale", "Ormsworth"]),
    ("Follow-up with the PCP at Quillanby\nPrimary Care next week.", ["Quillanby"]),
    # a specialty's practice named after a person
    ("cc: Dr. Kilbrand; Tharivar Dermatology", ["Tharivar"]),
    ("cc: Dr. Kilbrand; Quillanby Eye Associates", ["Quillanby"]),
    ("Records from Quillanby Women's Health attached.", ["Quillanby"]),
    ("Copy to Quillanby & Tharivar Orthopedics.", ["Quillanby", "Tharivar"]),
    ("Referred to Zelorra Internal\nMedicine for diabetes.", ["Zelorra"]),
])
def test_doc_meta_values_are_redacted(rules_stage, text: str, values: list[str], case: str) -> None:
    t = _cased(OPENING + text, case)
    assert _leaks(rules_stage, t, [_cased(v, case) for v in values]) == []


@pytest.mark.parametrize(("text", "kept"), [
    # a stamp's slot with no person in it
    ("Printed by system on 03/04/2024.", ["system"]),
    ("Reviewed by cardiology today. Signed by patient.", ["cardiology", "patient"]),
    ("Results sent by fax to the clinic.", ["fax"]),
    ("Ordered by the team for 03/04.", ["team"]),
    # quoted words in prose
    ('He said "no" to the transfusion.', ["said", "no", "transfusion"]),
    ('The "good" eye is stable. Takes "water" pills daily.', ["good", "eye", "water", "pills"]),
    # a comma between clinical words, a department
    ("Denies fever,chills. Nausea, vomiting x 2 days.", ["fever", "chills", "Nausea", "vomiting"]),
    ("Labs: Na, K normal. BUN,Cr stable", ["Na", "BUN", "Cr"]),
    ("Follow up with Family Medicine in 2 weeks. Consult Pediatrics.", ["Family", "Medicine", "Pediatrics"]),
    ("Job # pending. Report number to follow.", ["Job", "Report"]),
    # a stamp's word that is a surname's too, with no such name beside its initial; a department after a wrapped cue
    ("Farrow, Sunniva seen today.\nprinted by request - page 1", ["request"]),
    # why a stamp was made, no login, a date after it (before: masked as a login)
    ("Printed by: request on 03/04/2024. Scanned by mistake on\n03/04/2024.", ["request", "mistake"]),
    ("Reviewed by: cardiology on\n2019-07-05 18:37. Signed by: patient on\n2019-07-05.", ["cardiology", "patient"]),
    ("Discussed with\nCardiology team today. Spoke with\nPharmacy regarding dosing.", ["Cardiology", "Pharmacy"]),
    ("Message left for\nRadiology to schedule. Signed out to\nNight Float team.", ["Radiology", "Night", "Float"]),
    # words cut short with a comma, initials in a table's column before a practice's head
    ("Hx: trab,resec,extern 2019", ["resec", "extern"]),
    ("PCP\nFY    Primary Care\nbj    Primary Care", ["FY", "bj"]),
    # a clinical line's end before a practice's head on the next line
    ("Assessment: hypertension\nPrimary care follow-up in 2 weeks.", ["hypertension"]),
    ("Seen in clinic\nFamily medicine to follow.", ["clinic", "Family", "medicine"]),
    # a service or an operation before a specialty's head, no practice's owner
    ("Will Cardiology see the patient? Consult Cardiology. Pediatric Cardiology and Interventional Cardiology agree.",
     ["Will", "Consult", "Pediatric", "Interventional"]),
    ("Outside Dermatology notes reviewed. Comprehensive Ophthalmology and Integrative Medicine to follow.",
     ["Outside", "Comprehensive", "Integrative"]),
    ("s/p Mohs surgery and Whipple surgery.", ["Mohs", "Whipple"]),
    # a listed name that is an English word too before a specialty is left to the model (the Glaucoma notes' template)
    ("elements noted in the Base Ophthalmology Exam, such as visual acuity", ["Base", "Ophthalmology"]),
])
def test_doc_meta_leaves_ordinary_words(rules_stage, text: str, kept: list[str]) -> None:
    red = redacted_chars(rules_stage, text)
    for word in kept:
        i = text.index(word)
        assert red[i:i + len(word)].strip() == "", (word, red)


@pytest.mark.parametrize(("line", "values"), [
    ("fax to: dr. tindale at moroub clinic\tfax: (573) 372-5222", ["moroub"]),
    ("fax     to:   dr.  tindale  at  quellmoor     clinic", ["quellmoor"]),
    ("records from zelmarsh medical group attached", ["zelmarsh"]),
    # a surname ending in an organism's cue ("grew") before the facility is no "cultures grew X y"
    ("fax to: dr. pettigrew at westerby clinic", ["westerby"]),
])
def test_facility_on_a_lower_case_line_of_a_mixed_case_note(rules_stage, line: str, values: list[str]) -> None:
    text = "Continue aspirin 81 mg daily. Blood pressure 148/92.\n" + line + "\nReturn in 3 months."
    assert _leaks(rules_stage, text, values) == []


@pytest.mark.parametrize("line", ["follow up in eye clinic, seen at the hospital clinic today.",
                                  "went to local hospital, then urgent care.", "retina clinic next week"])
def test_lower_case_line_departments_stay(rules_stage, line: str) -> None:
    text = "Continue aspirin 81 mg daily. Blood pressure 148/92.\n" + line
    red = redacted_chars(rules_stage, text)
    assert red.strip() == "", red
