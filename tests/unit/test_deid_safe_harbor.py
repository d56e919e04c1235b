"""The HIPAA Safe Harbor identifiers that the canary's ``safe_harbor`` kind carries (issue 16, eighteenth
session, branch canx18; :mod:`ehrnlp.deid.safe_harbor`): device identifiers and serial numbers, vehicle
identifiers, health plan beneficiary numbers, account numbers, certificate and licence numbers, URLs with a
path, ages over 89 in a field or a table, in any case. Table-driven, with neighbours the canary never
wrote (labels, shapes and layouts of its own) and negatives (doses, sizes, lab values, NDC codes, years,
scores, ages under 90). The rules alone; every number is invented."""

from __future__ import annotations

import pytest
from conftest import deid_text, redacted_chars

CASES = ("as", "lower", "upper")
OPENING = "Continue aspirin 81 mg daily.\n"


def _cased(text: str, case: str) -> str:
    return text if case == "as" else text.lower() if case == "lower" else text.upper()


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(("text", "values"), [
    # device identifiers and serial numbers: a label in any case, a bare shape, a GS1 UDI whole
    ("Pacemaker S/N: PJN482913Q", ["PJN482913Q"]),
    ("ICD serial no. 58KT2204419, checked today", ["58KT2204419"]),
    ("CGM transmitter 8GQ4417302 replaced.", ["8GQ4417302"]),
    ("Device ID: RX-2290417", ["RX-2290417"]),
    ("UDI (01)00812345678905(17)281130(10)KQ4471(21)Z88301", ["00812345678905", "281130", "KQ4471", "Z88301"]),
    ("Implant lot # TR44190 (tibial insert)", ["TR44190"]),
    ("Neurostimulator serial number:\nNQX771204", ["NQX771204"]),
    # vehicle identifiers
    ("Vehicle: blue sedan, plate 6RWM 4410, towed.", ["6RWM", "4410"]),

    ("Tag # KLT-5521 on the ambulance report", ["KLT-5521"]),
    ("VIN: 2C4RDGCG8KR715532 (per police report)", ["2C4RDGCG8KR715532"]),
    ("Struck by 1FTFW1EF5DKE48812 at low speed.", ["1FTFW1EF5DKE48812"]),
    # health plan beneficiary numbers
    ("Medicaid ID: QT84410291", ["QT84410291"]),
    ("Medicare 7HY2-KD4-PW51 on file", ["7HY2-KD4-PW51"]),
    ("MBI 3TW5XN8CY27", ["3TW5XN8CY27"]),
    ("Beneficiary no. 88412093301", ["88412093301"]),
    ("Subscriber #: ZGQ881204417", ["ZGQ881204417"]),
    # account numbers
    ("Acct. No. 55190384", ["55190384"]),
    ("Guarantor account: HB4417092", ["HB4417092"]),
    ("Charges billed to account 3302-7781-44.", ["3302", "7781"]),
    # certificate and licence numbers
    ("DL# D8841023, expires 2029", ["D8841023"]),
    ("Nursing license RN558120 verified", ["RN558120"]),
    ("Prescriber DEA: FM4418236 NPI: 1457321908", ["FM4418236", "1457321908"]),
    ("Medical licence no. G77120", ["G77120"]),
    # URLs with a path, addresses of the patient's records
    ("Upload to records.example.net/pt/4418203 before the visit", ["4418203"]),
    ("see imaging.hospital.test/study/AX7731902", ["AX7731902"]),
])
def test_safe_harbor_identifiers_are_redacted(rules_stage, text: str, values: list[str], case: str) -> None:
    t = _cased(OPENING + text, case)
    out = deid_text(rules_stage, t)
    assert [v for v in values if _cased(v, case) in out] == [], out


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(("text", "age"), [
    ("Age | 97 |", "97"),
    ("Sex/Age: M / 101", "101"),
    ("Age/Sex\t93 F", "93"),
    ("AGE:\t104", "104"),
    ("Gender/Age: female, 92", "92"),
    ("Pt info: Age = 99, lives alone", "99"),
])
def test_ages_over_89_in_fields(rules_stage, text: str, age: str, case: str) -> None:
    out = deid_text(rules_stage, _cased(OPENING + text, case))
    assert age not in out.split("\n", 1)[1], out


@pytest.mark.parametrize(("text", "kept"), [
    # doses, sizes, lab values, drug codes, years, scores, ages under 90, durations
    ("Age | 45 |  Sex/Age: F / 62", ["45", "62"]),
    ("Mesh 15x15 cm placed; 2x1000 mL boluses.", ["15x15", "2x1000"]),
    ("NDC 0093-7214-56 dispensed, lot expired", ["0093-7214-56"]),
    ("Vaccine given, lot pending; license renewed in 2019.", ["2019"]),
    ("Creatinine 1.6 mg/dL 0800, glucose 120 mg/dl", ["0800", "120"]),
    ("HbA1c 8.9%, PHQ9 score 14, 5FU 400 mg/m2", ["8.9", "14", "400"]),
    ("BRCA1 c.5266dupC, rs80357906 variant", ["5266"]),
    ("Serial troponins 0.02, 0.03; serial exams stable.", ["0.02", "0.03"]),
    ("Member of the care team since 2015.", ["2015"]),
    ("Growth plate at 2300 on film; skin tag 10 days; agar plate 24 hours", ["2300", "10", "24"]),
    ("Growth Plate At 2300 on film; plate the 4726 cultures", ["At", "2300", "the", "4726"]),
    ("Serial q4h neuro checks, lot 3 of 5", ["q4h", "3"]),
    ("Platelets 198 x10^9/L, platelet count 7000, plateau 2300", ["198", "7000", "2300"]),
    ("PLATELETS 198; TAG-72 elevated; tagged 2019", ["198", "72", "2019"]),
])
def test_safe_harbor_rules_leave_clinical_numbers(rules_stage, text: str, kept: list[str]) -> None:
    red = redacted_chars(rules_stage, text)
    for word in kept:
        i = text.index(word)
        assert red[i:i + len(word)].strip() == "", (word, red)


@pytest.mark.parametrize(("block", "values"), [
    # a lower-case table drawn with bars or tabs inside a mixed-case note, its header ending in an ID column and
    # its first cell holding words: a table's row, not a wrapped paragraph's next line
    ("mesh | lot #\npolypropylene 15x15 cm | am08300", ["am08300"]),
    ("implant | serial\nleft hip stem | kq-4471902", ["kq-4471902"]),
    ("payer\tmember\nblue shield of ca\tw88120331", ["w88120331"]),
    ("device | model | serial\nicd | evera xt | cwk124313m", ["cwk124313m"]),
])
def test_lower_case_drawn_table_in_a_mixed_case_note(rules_stage, block: str, values: list[str]) -> None:
    text = "Continue aspirin 81 mg daily. Blood pressure 148/92.\n" + block + "\nReturn in 3 months."
    out = deid_text(rules_stage, text)
    assert [v for v in values if v in out] == [], out


@pytest.mark.parametrize(("block", "values"), [
    # a table's header right under another table (or under a label-value line read as one) starts a table of
    # its own: its columns are read under their own names
    ("acct#     HB4703362\nVehicle\tPlate\tVIN\nsedan\tFBC  7055\t371FAM9VX4S406295", ["7055", "371FAM9VX4S406295"]),
    ("device | model | serial\nicd | evera xt | 52mp527226\nvehicle\tplate\tvin\nsedan\thtj 9196\t41yb92h2ehx549975",
     ["52mp527226", "9196", "41yb92h2ehx549975"]),
    ("Name | Role\nattending | on call\nMRN | Member ID\n48812093 | W33019228", ["48812093", "W33019228"]),
])
def test_a_header_under_a_table_starts_its_own(rules_stage, block: str, values: list[str]) -> None:
    out = deid_text(rules_stage, "Continue aspirin 81 mg daily.\n" + block + "\nReturn in 3 months.")
    assert [v for v in values if v in out] == [], out


@pytest.mark.parametrize("text", ["Arrived by private car (plate THE 4726),\tparked in the garage.",
                                  "ARRIVED BY PRIVATE CAR (PLATE THE 4726),\tPARKED IN THE GARAGE.",
                                  "Arrived by private car (plate AND-4726), parked."])
def test_plate_letters_that_are_a_function_word_in_capitals(rules_stage, text: str) -> None:
    """A plate's letters that are a function word, written in capitals (dev seed 1259); in small letters the same
    words are a phrase ("plate the 4726 cultures": the test above)."""
    assert "4726" not in deid_text(rules_stage, OPENING + text)
