"""Staff named in parentheses after their role and people in a table column headed by a person's
label (issue 16, ninth session, branch deid9: the canary kinds ``role_paren`` and ``tab_table``),
names of a disease's shape on a list of names ("Ifeoma" is no tumour), self-introductions and a
person's state as cues. Table-driven, with neighbours and what must stay untouched: services,
grades, shifts, languages, acronyms, lab tables, key-value fields. Every person is synthetic."""

from __future__ import annotations

import re

import pytest
from conftest import deid_text

from ehrnlp.deid import slots

#: English and clinical words of this little lexicon (the stage uses WordNet's and its vocabularies)
_ENGLISH = set("""the attending resident fellow nurse charge pharmacist aware of plan verified dose paged at am notified fall
case manager will call family night shift on call none listed at bedside consulted spanish interpreter used team rounds
seen done pending status visit clinic provider note date time role action unit lab result sodium potassium name dob
shift days nights west requested by consult nephrology cardiology pgy icu rn md sex""".split())
_CLINICAL = {"cardiology", "nephrology", "icu", "sodium", "potassium", "mmol"}
_FUNCTION = {"the", "of", "at", "on", "will", "none", "by"}


def _judge() -> slots.WordJudge:
    def surname_ok(w: str) -> bool:
        return w.lower() not in _FUNCTION and w.lower() not in _CLINICAL and w.lower() not in {"spanish", "listed", "verified", "aware"}

    return slots.WordJudge(unknown=lambda w: surname_ok(w) and w.lower() not in _ENGLISH, surname_ok=surname_ok, place_ok=surname_ok,
                           clinical=lambda w: w.lower() in _CLINICAL, surname=lambda w: w.lower() in {"kinnear", "hargrove"})


def _spans(hits, text):
    return {text[h.start:h.end] for h in hits}


@pytest.mark.parametrize(("text", "names"), [
    ("Attending (Tavrimor) aware of the plan.", {"Tavrimor"}),
    ("Pharmacist (Hargrove) verified the dose.", {"Hargrove"}),  # a listed surname
    ("Charge nurse (Lorvane Kinnear) notified of the fall.", {"Lorvane Kinnear"}),
    ("covering resident (zelquist orvane) paged at 3 am.", {"zelquist orvane"}),  # lower case
    ("CASE MANAGER (QUENDRIL) WILL CALL THE FAMILY.", {"QUENDRIL"}),  # a note in capitals
    ("PCP (Dr. Vellacott) to follow up.", {"Vellacott"}),
    ("Social worker (Tavimor) met the family; chaplain (Orsolde) visited.", {"Tavimor", "Orsolde"}),
    ("Discussed with the fellow (Brevand), who agrees.", {"Brevand"}),
])
def test_role_names(text, names):
    assert _spans(slots.role_names(text, _judge()), text) == names


@pytest.mark.parametrize("text", [
    "Attending (cardiology) aware. Resident (PGY-2) paged. Nurse (night shift) notified.",
    "Interpreter (Spanish) used. Fellow (on call) notified. PCP (none) listed. Nurse (ICU) at bedside.",
    "Attending (Nephrology) consulted.",
    "Nurse (Tavrimor on call) paged.",  # more than a name in the parentheses
    "Dose (Tavrimor) given.",  # no role before the parentheses
])
def test_role_names_leave_services_grades_and_shifts(text):
    assert slots.role_names(text, _judge()) == []


@pytest.mark.parametrize(("text", "names"), [
    ("Time\tProvider\tRole\tAction\n08:15\tKinnear, Lorvane\tRN\tvitals\n09:00\tteam\tMD\trounds", {"Kinnear, Lorvane"}),
    ("role\tname\tpager\nattending\tzelquist orvane\tx1234\nresident\ton call\tx0000", {"zelquist orvane"}),
    ("Seq | Name | Dx\n1 | Quendril | CHF\n2 | Orsolde | COPD", {"Quendril", "Orsolde"}),
    ("Consult\tRequested by\tStatus\nNephrology\tTavrimor Hargrove\tpending", {"Tavrimor Hargrove"}),
    ("Shift\tNurse\tUnit\r\nnights\tBrevand\t4 West\r\n", {"Brevand"}),  # CRLF
    ("TIME\tPROVIDER\tROLE\n08:15\tQUENDRIL\tRN", {"QUENDRIL"}),
    ("Time\tProvider\tRole\n08:15\tKinnear,\tLorvane\tRN", {"Kinnear,\tLorvane"}),  # "Last, First" split by a tab
    # the rows end at a blank line or a row of another shape
    ("Name\tRole\nBrevand\tRN\n\nOrsolde\tMD", {"Brevand"}),
])
def test_column_names(text, names):
    assert _spans(slots.column_names(text, _judge()), text) == names


@pytest.mark.parametrize("text", [
    "Lab\tResult\tUnit\nSodium\t138\tmmol/L\nPotassium\t4.1\tmmol/L",  # no person's column
    "Name:\tLorvane Kinnear\nDOB:\t01/02/1950\nSex:\tF",  # a key-value field (the label rules read it)
    "Time\tProvider\tRole\n08:15\tteam\tMD\n09:00\ton call\tRN",  # ordinary words under a person's column
    "Visit\tProvider\tStatus\nclinic\tICU\tdone",  # an acronym in a mixed-case note
])
def test_column_names_leave_other_tables(text):
    assert slots.column_names(text, _judge()) == []


# ------------------------------------------------------------------ the stage (lexicons, lists, the model)
@pytest.fixture(scope="module")
def stage():
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(transformer_phi=False, learned_ner=False))  # the rules alone: no model finds it instead


@pytest.mark.slow
@pytest.mark.parametrize(("text", "gone"), [
    ("Pharmacist (Farquhar) verified the dose.", ["Farquhar"]),
    ("covering resident (lorvane kinnear) paged at 3 am.", ["lorvane", "kinnear"]),
    ("Role\tName\tPager\nAttending\tTavrimor Quendril\tx1234\nResident\ton call\tx0000", ["Tavrimor", "Quendril"]),
    # a name of a disease's shape that a list of names holds and no lexicon does
    ('Wife reports: "Ifeoma has been confused since Tuesday."', ["Ifeoma"]),
    ("Seen with Ifeoma Okwuosa today.", ["Ifeoma"]),
    # a self-introduction and a person's state as cues
    ('Text from son: "Hi, it\'s Oduvar, dad fell again."', ["Oduvar"]),
    ("Hello, this is Quendril calling about my mother.", ["Quendril"]),
    ("Daughter says Zelenn has been confused since Tuesday.", ["Zelenn"]),
    ("My name is Tavrimor and I am his neighbor.", ["Tavrimor"]),
    ('Patient states "my son Quendril handles my medications."', ["Quendril"]),
    ("Thanks for the call.\nKind regards, Tavrimor", ["Tavrimor"]),
])
def test_stage_removes_roles_columns_and_cued_names(stage, text, gone):
    out = deid_text(stage, text)
    for w in gone:
        assert not re.search(rf"(?<!\w){re.escape(w)}(?!\w)", out, re.I), (w, out)


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Attending (cardiology) aware. Resident (PGY-2) paged. Nurse (night shift) notified. Interpreter (Spanish) used.",
    "Lab\tResult\tUnit\nSodium\t138\tmmol/L\nPotassium\t4.1\tmmol/L",
    "Time\tProvider\tRole\n08:15\tteam\tMD\n09:00\ton call\tRN",
    "This is a 60-year-old man. It's Tuesday. The patient was confused overnight. Delirium has been worse.",
    "Biopsy showed a lymphoma; melanoma and carcinoma were excluded. Hepatoma ruled out.",
    "Hi, this is a follow-up visit for hypertension.",
    "Thanks, team. Regards, the ICU team.\nBest,\nnursing",
    "Her son works nights. My daughter today said no.",
])
def test_stage_leaves_clinical_text(stage, text):
    assert "[" not in deid_text(stage, text), deid_text(stage, text)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "gone"), [
    # a listed name after a name kept at a person's cue, written alike (capitals, lower case, capitalised)
    ("NOTE.\nMESSAGE LEFT FOR NGO LOAN.\nBP 120/80.", ["NGO", "LOAN"]),
    ("Seen today.\nMessage left for Ngo Loan.\nBP 120/80.", ["Ngo", "Loan"]),
    # a row of a block in lower case inside a mixed-case note: the given name after the surname cell
    ("Seen today for follow-up.\nokonkwo |\tignatius |\tm\nBP 120/80.", ["ignatius"]),
])
def test_stage_removes_listed_names_after_a_name(text, gone):
    from ehrnlp.deid import DeidStage

    out = deid_text(DeidStage(), text)
    for w in gone:
        assert not re.search(rf"(?<!\w){re.escape(w)}(?!\w)", out, re.I), (w, out)


@pytest.mark.parametrize(("text", "names"), [
    ("Thanks for the update.\nKind regards, Quendril", {"Quendril"}),
    ("cheers, orsolde", {"orsolde"}),
    ("Regards,\nLorvane Kinnear", {"Lorvane Kinnear"}),
    ("Will call tomorrow. Best,\nTavrimor", {"Tavrimor"}),
    ("SINCERELY,\r\nQUENDRIL", {"QUENDRIL"}),
])
def test_signoff_names(text, names):
    assert _spans(slots.signoff_names(text, _judge()), text) == names


@pytest.mark.parametrize("text", [
    "Thanks, team", "Regards, the ICU team", "Thanks,\nICU", "Best, nursing staff will call.", "Thank you",
    "Kind regards, Cardiology",  # a service
])
def test_signoff_names_leave_teams_and_services(text):
    assert slots.signoff_names(text, _judge()) == []
