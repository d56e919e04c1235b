"""Table-driven offset tests for the clinical PHI patterns and date shifting (no Presidio)."""

from __future__ import annotations

import datetime as dt

import pytest

from ehrnlp.deid.dateshift import patient_shift_days, shift_date_text
from ehrnlp.deid.patterns import PATTERNS, eponym_spans


def find(text: str, label: str | None = None) -> set[tuple[str, str]]:
    out = set()
    for p in PATTERNS:
        if label and p.label != label:
            continue
        for m in p.regex.finditer(text):
            if p.validate and not p.validate(m):
                continue
            s, e = m.span(p.group)
            out.add((p.label, text[s:e]))
    return out


@pytest.mark.parametrize(
    "text, label, value",
    [
        ("seen 3/14/19 for IOP", "DATE", "3/14/19"),
        ("lives at 12 n. main street", "LOCATION", "12 n. main street"),
        ("lives at 1234 e.j. kelly blvd", "LOCATION", "1234 e.j. kelly blvd"),
        ("at 1200 st. paul ave today", "LOCATION", "1200 st. paul ave"),
        ("DOB 03/14/2019.", "DATE", "03/14/2019"),
        ("since 3/2019 stable", "DATE", "3/2019"),
        ("on March 14th, 2019 she", "DATE", "March 14th, 2019"),
        ("surgery 14-Mar-2019 OD", "DATE", "14-Mar-2019"),
        ("surgery 14-MAR-2019 OD", "DATE", "14-MAR-2019"),
        ("CT 2019-03-14 showed", "DATE", "2019-03-14"),
        ("return on the 14th to", "DATE", "14th"),
        ("last seen 3/14 for IOP", "DATE", "3/14"),
        ("in September she", "DATE", "September"),
        ("Mar 3 2020 visit", "DATE", "Mar 3 2020"),
        ("a 92 y.o. female", "AGE", "92"),
        ("a 101-year-old man", "AGE", "101"),
        ("age: 95", "AGE", "95"),
        ("Seen by Dr. Marisol Teague today", "NAME", "Marisol Teague"),
        ("per Dr Okafor", "NAME", "Okafor"),
        ("Dana K. Whitfield, MD", "NAME", "Dana K. Whitfield"),
        ("WHITFIELD, DANA, MD", "NAME", "WHITFIELD, DANA"),
        ("HPI: Corwin Ashdale is a 73 y.o. male", "NAME", "Corwin Ashdale"),
        ("Patient: Ashdale, Corwin", "NAME", "Ashdale, Corwin"),
        ("with her daughter Tamsin", "NAME", "Tamsin"),
        ("I, Concepta Ruiz, performed the above history", "NAME", "Concepta Ruiz"),
        ("stable, .5/24/2012 slightly worse", "DATE", "5/24/2012"),
        ("Call 503-494-3000 now", "PHONE", "503-494-3000"),
        ("(503) 555-0199", "PHONE", "(503) 555-0199"),
        ("They're not answering at 41 760 23 18", "PHONE", "41 760 23 18"),
        ("please reach us on 0471-33-52-22 today", "PHONE", "0471-33-52-22"),
        ("Fax: 503.555.0100", "FAX", "503.555.0100"),
        ("MRN: 00482913", "ID", "00482913"),
        ("Acct # A1234567", "ID", "A1234567"),
        ("SSN 123-45-6789", "SSN", "123-45-6789"),
        ("1234 NE Alder Street, Apt 5", "LOCATION", "1234 NE Alder Street, Apt 5"),
        ("Portland, OR 97239-4197", "LOCATION", "Portland, OR 97239-4197"),
        ("Follows at Casey Eye Institute", "LOCATION", "Casey Eye Institute"),
        ("mail a.b@host.org", "EMAIL", "a.b@host.org"),
        ("Mr. Rangel flew to HORTEN on Monday", "LOCATION", "HORTEN"),
        ("The restaurant is at 5521 Countess Close", "LOCATION", "5521 Countess Close"),
        ("PSC 3117, Box 0609\nAPO AA 44332", "LOCATION", "PSC 3117, Box 0609\nAPO AA 44332"),
        ("Mill Village NS B0J 2H0", "LOCATION", "B0J 2H0"),
        ("see https://portal.example.com/x?y=1.", "URL", "https://portal.example.com/x?y=1"),
        ("from 10.2.33.4 login", "IP", "10.2.33.4"),
        ("I have lost my card 4735615260219382870. Please block it", "ID", "4735615260219382870"),
    ],
)
def test_pattern_finds(text, label, value):
    assert (label, value) in find(text, label)


@pytest.mark.parametrize(
    "text, label",
    [
        ("VA 20/40 OD, 20/2000 OS", "DATE"),
        ("IOP 14/16 at 10:30", "DATE"),
        ("creatinine 1234567890123.5 mg", "ID"),
        ("IOP 12/15 today", "DATE"),
        ("2 OCT scans of the RNFL", "DATE"),
        ("Dec vision OU", "DATE"),
        ("you may need drops", "DATE"),
        ("a 73 y.o. female", "AGE"),
        ("89 yo", "AGE"),
        ("CC: IOP Check", "NAME"),
        ("BP 146/82 HR 70", "PHONE"),
        ("version 1.2.3", "IP"),
        ("She is on 2 topical medications", "LOCATION"),
        ("A1C 6.6 last week", "LOCATION"),
        ("ratio 1.5/24/2012", "DATE"),
        # a date's last number and a sentence's period are no street address ("<number> <words> dr")
        ("11/19/08 yag os. no dr ou", "LOCATION"),
        ("IOP 12 OD. Seen by dr", "LOCATION"),
        # a frequency before an eye is no name before a credential (the last letter of "BID" was
        # read as an initial before "OD", a Doctor of Optometry)
        ("Continue Brimonidine BID, OD", "NAME"),
        ("Continue Latanoprost QHS, OD", "NAME"),
        ("Pilocarpine QID, OS", "NAME"),
    ],
)
def test_pattern_does_not_fire(text, label):
    assert not find(text, label)


def test_eponyms_cover_clinical_phrases():
    text = "Parkinson's disease, Bell's palsy, Foley catheter, Ahmed valve, Humphrey visual field"
    spans = eponym_spans(text)
    for phrase in ("Parkinson's disease", "Bell's palsy", "Foley catheter", "Ahmed valve", "Humphrey visual field"):
        s = text.index(phrase)
        assert any(a <= s and s + len(phrase) <= b for a, b in spans), phrase


@pytest.mark.parametrize(
    "src, days, expected",
    [
        ("03/14/2019", -10, "03/04/2019"),
        ("3/14/19", -10, "3/4/19"),
        ("14-Mar-2019", -10, "4-Mar-2019"),
        ("March 14th, 2019", -10, "March 4th, 2019"),
        ("2019-03-14", -14, "2019-02-28"),
        ("3/2019", -30, "2/2019"),
        ("March 2019", -30, "February 2019"),
        ("Sept. 3, 2019", -100, "May 26, 2019"),
        ("1/5/2020", -10, "12/26/2019"),
        ("3/14", -10, "3/4"),
    ],
)
def test_shift_keeps_format(src, days, expected):
    assert shift_date_text(src, days) == expected


def test_shift_unparsable_is_none():
    assert shift_date_text("2/30/2019", -5) is None
    assert shift_date_text("someday", -5) is None


def test_shift_preserves_intervals():
    days = patient_shift_days("k3y", "Patient/1")
    a, b = "01/15/2019", "03/02/2019"
    sa, sb = shift_date_text(a, days), shift_date_text(b, days)
    p = lambda s: dt.datetime.strptime(s, "%m/%d/%Y").date()  # noqa: E731
    assert (p(sb) - p(sa)) == (p(b) - p(a))
    assert p(sa) != p(a)


def test_patient_shift_is_keyed_and_deterministic():
    assert patient_shift_days("k", "P1") == patient_shift_days("k", "P1")
    shifts = {patient_shift_days("k", f"P{i}") for i in range(50)}
    assert len(shifts) > 30
    assert all(-365 <= s <= -1 for s in shifts)
    assert patient_shift_days("k", "P1") != patient_shift_days("other", "P1") or patient_shift_days("k", "P2") != patient_shift_days("other", "P2")
