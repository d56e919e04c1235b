"""The organisations a note ties to its patient or a relative: an employer, a school, a daycare (twentieth session,
the canary's ``workplace`` kind; :mod:`ehrnlp.deid.organizations`). Safe Harbor removes the identifiers "of the
individual or of relatives, employers, or household members"; the rules read them in a field, after a verb of work or
school, or before a school's word, in any case. Each form has neighbours that must stay: a status in the same field,
a place of work that names no one, a clinical abbreviation or a drug after the same verbs. Every organisation here is
invented."""

from __future__ import annotations

import pytest
from conftest import deid_text
from conftest import masked_within_one as _masked
from conftest import untouched as _untouched

_BEFORE = "Seen today for follow-up of hypertension.\n"
_AFTER = "\nPlan: continue lisinopril 10 mg daily.\n"

_MASKED = [
    # fields
    (_BEFORE + "Employer: Quarrington Tool & Die, Toledo OH" + _AFTER, ["Quarrington Tool & Die"]),
    (_BEFORE + "employer:\tvelmorra trucking\toccupation:\tdriver" + _AFTER, ["velmorra trucking"]),
    (_BEFORE + "EMPLOYER | HALVERSTONE FOODS" + _AFTER, ["HALVERSTONE FOODS"]),
    (_BEFORE + "Employment status: employed full time, Brisbane Street Credit Union" + _AFTER, ["Brisbane Street Credit Union"]),
    (_BEFORE + "employment status: employed part time,\nwexmoor pet grooming" + _AFTER, ["wexmoor pet grooming"]),
    (_BEFORE + "Place of employment: Tamsworth Veterinary Clinic" + _AFTER, ["Tamsworth"]),
    (_BEFORE + "Place   of employment:   Quillbarrow     Tool  &  Die" + _AFTER, ["Quillbarrow"]),
    (_BEFORE + "Current employer:\nOrlanda Marine Supply" + _AFTER, ["Orlanda Marine Supply"]),
    (_BEFORE + "Company name - Kettlewick Logistics" + _AFTER, ["Kettlewick Logistics"]),
    (_BEFORE + "Employer: Zandoria" + _AFTER, ["Zandoria"]),
    (_BEFORE + "School: Pellworth Elementary (5th grade)" + _AFTER, ["Pellworth Elementary"]),
    (_BEFORE + "Daycare: Little Acorn Learning Center" + _AFTER, ["Little Acorn Learning Center"]),
    (_BEFORE + "Group home: Harmony Crest House. Staff member accompanied." + _AFTER, ["Harmony Crest House"]),
    (_BEFORE + "Facility:\tWillowmere Manor" + _AFTER, ["Willowmere Manor"]),
    (_BEFORE + "school: brenthollow middle school" + _AFTER, ["brenthollow middle school"]),
    (_BEFORE + "Occupation: welder at Corvane Steel" + _AFTER, ["Corvane Steel"]),
    (_BEFORE + "Work: Dunmarrow Insurance Agency (claims adjuster)" + _AFTER, ["Dunmarrow Insurance Agency"]),
    (_BEFORE + "Job - cashier, Pendlebrook Grocery" + _AFTER, ["Pendlebrook Grocery"]),
    # prose after a verb of work
    (_BEFORE + "Works at Ashgrove Hardware as a cashier." + _AFTER, ["Ashgrove Hardware"]),
    (_BEFORE + "works at riverglen print shop as a mechanic." + _AFTER, ["riverglen print shop"]),
    (_BEFORE + "Retired from Tollerby & Sons two years ago." + _AFTER, ["Tollerby & Sons"]),
    (_BEFORE + "Employed by Marrowfield Packaging for 12 years." + _AFTER, ["Marrowfield Packaging"]),
    (_BEFORE + "Works night shift at the Quenby Logistics warehouse." + _AFTER, ["Quenby Logistics"]),
    (_BEFORE + "Husband works for gwynorra's construction; insurance through his job." + _AFTER, ["gwynorra's construction"]),
    (_BEFORE + "She is a barista at Moonwick Coffee Roasters." + _AFTER, ["Moonwick Coffee Roasters"]),
    (_BEFORE + "He is a forklift operator at Selbourne Distribution Center." + _AFTER, ["Selbourne Distribution Center"]),
    (_BEFORE + "Worked at Boeing for 30 years as a machinist." + _AFTER, ["Boeing"]),
    (_BEFORE + "works at costco as a cashier." + _AFTER, ["costco"]),
    (_BEFORE + "EMPLOYED BY BOEING FOR 30 YEARS." + _AFTER, ["BOEING"]),
    (_BEFORE + "Volunteers at Harrowgate Animal Hospital on weekends." + _AFTER, ["Harrowgate"]),
    (_BEFORE + "Works for Old Mill Trucking as a dispatcher." + _AFTER, ["Old Mill Trucking"]),
    (_BEFORE + "Teaches at Windlestone Academy." + _AFTER, ["Windlestone Academy"]),
    # runs of blanks and hard wraps between the words
    (_BEFORE + "is it safe to go back to work at\nquenwick hardware on monday?" + _AFTER, ["quenwick hardware"]),
    (_BEFORE + "He is a dental hygienist at\nTharnley Tool & Die." + _AFTER, ["Tharnley Tool & Die"]),
    (_BEFORE + "EMPLOYER |  Red   Brambling     Auto  Body" + _AFTER, ["Red   Brambling     Auto  Body"]),
    (_BEFORE + "Works   at   Quellborne   Logistics   as a   driver." + _AFTER, ["Quellborne   Logistics"]),
    # school
    (_BEFORE + "Attends Brackenridge Elementary, 3rd grade; no IEP." + _AFTER, ["Brackenridge Elementary"]),
    (_BEFORE + "Is a sophomore at marlow ridge high school." + _AFTER, ["marlow ridge high school"]),
    (_BEFORE + "Goes to daycare at Tall Fennel Day School three days a week." + _AFTER, ["Tall Fennel Day School"]),
    (_BEFORE + "is a junior at westbrook." + _AFTER, ["westbrook"]),
    (_BEFORE + "Letter from Pinecastle Elementary attached." + _AFTER, ["Pinecastle Elementary"]),
    (_BEFORE + "St. Aldric's Academy called about absences." + _AFTER, ["Aldric's Academy"]),
    # weaker cues, an organisation's word after them
    (_BEFORE + "Can I get a work note for Nakamora Landscaping?" + _AFTER, ["Nakamora Landscaping"]),
    (_BEFORE + "Out of work since Keystane Packaging closed in the spring." + _AFTER, ["Keystane Packaging"]),
    (_BEFORE + "Owns Kalorra Bakery with her brother." + _AFTER, ["Kalorra Bakery"]),
    (_BEFORE + "Should she stay home from Copperline Montessori this week?" + _AFTER, ["Copperline Montessori"]),
    # a field's value cut by a hard wrap, a cue over a run of blanks or a wrap (twenty-first session, spent seed 1117)
    (_BEFORE + "Employment status: employed full time, old\nmill pet grooming" + _AFTER, ["mill pet grooming", "old"]),
    (_BEFORE + "Employer: Blue Quarrel\nDental Group" + _AFTER, ["Blue Quarrel", "Dental Group"]),
    (_BEFORE + "School:  the Tamsworth\nMontessori" + _AFTER, ["Tamsworth", "Montessori"]),
    (_BEFORE + "works   at   velmarco as a cashier." + _AFTER, ["velmarco"]),
    (_BEFORE + "He works full time at\nvelmarco for 12 years." + _AFTER, ["velmarco"]),
    (_BEFORE + "a junior at\nwestbrake." + _AFTER, ["westbrake"]),
    (_BEFORE + "RETIRED   FROM   QUELLMARSH   TRUCKING." + _AFTER, ["QUELLMARSH"]),
    # an organisation that a facility's reading of the same span also reads (Presidio kept the facility's alone, whose
    # filter then dropped it; dev seed 1123)
    (_BEFORE + "Is a sophomore at Sunflower Community College." + _AFTER, ["Sunflower Community College"]),
    (_BEFORE + "Works at Valley Community Hospital as a cook." + _AFTER, ["Valley Community Hospital"]),
    (_BEFORE + "Attends Blue Heron College part time." + _AFTER, ["Blue Heron College"]),
]

_KEPT = [
    (_BEFORE + "Employer: retired" + _AFTER, "retired"),
    (_BEFORE + "Employer: self-employed" + _AFTER, "self-employed"),
    (_BEFORE + "Employment status: employed full time" + _AFTER, "employed full time"),
    (_BEFORE + "Employer: N/A" + _AFTER, "N/A"),
    (_BEFORE + "Employer: Ardmoor Foods      Occupation: welder" + _AFTER, "welder"),
    (_BEFORE + "School: doing well, good grades" + _AFTER, "doing well"),
    (_BEFORE + "School: 3rd grade" + _AFTER, "3rd grade"),
    (_BEFORE + "Residence: home with wife" + _AFTER, "home with wife"),
    (_BEFORE + "Facility: none" + _AFTER, "none"),
    (_BEFORE + "Lives at: Home" + _AFTER, "Home"),
    (_BEFORE + "Occupation: retired teacher" + _AFTER, "retired teacher"),
    (_BEFORE + "Occupation: welder" + _AFTER, "welder"),
    (_BEFORE + "He works at home." + _AFTER, "home"),
    (_BEFORE + "She works nights at a local bakery." + _AFTER, "local bakery"),
    (_BEFORE + "Works for the county." + _AFTER, "county"),
    (_BEFORE + "works for the school district." + _AFTER, "school district"),
    (_BEFORE + "works at his father's farm." + _AFTER, "father's farm"),
    (_BEFORE + "Retired from the Army in 2005." + _AFTER, "Army"),
    (_BEFORE + "Worked with PT at home." + _AFTER, "PT"),
    (_BEFORE + "Was worked up for MGUS at the outside hospital." + _AFTER, "MGUS"),
    (_BEFORE + "He is a candidate for CABG." + _AFTER, "CABG"),
    (_BEFORE + "Attends AA meetings weekly." + _AFTER, "AA"),
    (_BEFORE + "Ran out of Lasix last week." + _AFTER, "Lasix"),
    (_BEFORE + "Manages his diabetes well." + _AFTER, "diabetes"),
    (_BEFORE + "Goes to PT twice a week." + _AFTER, "PT"),
    (_BEFORE + "works at the post office." + _AFTER, "post office"),
    (_BEFORE + "retired from teaching. attends church weekly." + _AFTER, "teaching"),
    (_BEFORE + "works in construction." + _AFTER, "construction"),
    (_BEFORE + "Education: completed High School." + _AFTER, "High School"),
    (_BEFORE + "works as a nurse at the hospital." + _AFTER, "hospital"),
    (_BEFORE + "Per the American Academy of Pediatrics." + _AFTER, "American"),
    (_BEFORE + "Was a smoker for 20 years." + _AFTER, "20 years"),
    (_BEFORE + "Attending Physician Signature: on file." + _AFTER, "Physician"),
    (_BEFORE + "WORKS AT HOME." + _AFTER, "HOME"),
    # the wrapped and spaced forms' neighbours
    (_BEFORE + "Employer: retired\nShe reports knee pain." + _AFTER, "She reports"),
    (_BEFORE + "Employment status: employed full time\nSocial: lives alone." + _AFTER, "lives alone"),
    (_BEFORE + "Employer: the\nhospital" + _AFTER, "hospital"),
    (_BEFORE + "Works at\nhome. Plan: follow up." + _AFTER, "home"),
    (_BEFORE + "works   in   the   ED." + _AFTER, "ED"),
    (_BEFORE + "retired   from   teaching." + _AFTER, "teaching"),
    (_BEFORE + "works   at   a   local   bakery." + _AFTER, "local"),
    # a body's name after a person's cue is no person ("Per American Academy ..." was masked as a name)
    (_BEFORE + "Per American Academy of Pediatrics guidelines, vaccinate." + _AFTER, "American Academy"),
    (_BEFORE + "Discussed with American Heart Association guidance." + _AFTER, "American Heart Association"),
    (_BEFORE + "per American Diabetes Association targets" + _AFTER, "American Diabetes"),
    # a department after the same cues
    (_BEFORE + "She works at the Glaucoma Clinic." + _AFTER, "Glaucoma Clinic"),
    (_BEFORE + "Works at Cardiology Associates." + _AFTER, "Cardiology"),
    # a work field's job title right after the label, once a re-wrap joins the next heading onto it (the Glaucoma PHI
    # harness under rewrap60, dev)
    (_BEFORE + "Occupation:  Hotel Manager/Maintenance/Remodeling" + _AFTER, "Hotel Manager"),
    (_BEFORE + "Occupation: Retired Current Outpatient Medications (Ophthalmic)" + _AFTER, "Current Outpatient"),
    (_BEFORE + "Occupation: Admin Assistant Review of systems: negative" + _AFTER, "Review of systems"),
]


@pytest.mark.parametrize("text,values", _MASKED)
def test_each_organisation_is_masked(rules_stage, text, values):
    for v in values:
        assert _masked(rules_stage, text, v), v


@pytest.mark.parametrize("text,word", _KEPT)
def test_its_neighbours_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)


@pytest.mark.parametrize("text", [
    # the employer a field gives, written again where no cue reads it (dev seed 1259)
    _BEFORE + "occupation: delivery driver at\nvasquez-whitfield tool & die\nwork: vasquez-whitfield tool & die" + _AFTER,
    _BEFORE + "Drives for Quennell   Freight most days.\nEmployer: Quennell Freight" + _AFTER,
])
def test_an_organisation_found_once_is_masked_everywhere(rules_stage, text):
    out = deid_text(rules_stage, text)
    assert "whitfield" not in out.lower() and "quennell" not in out.lower(), out
