"""Identifiers an administrative line carries (twentieth session, found by probing layouts no canary kind writes): a
claim's, an authorisation's, a referral's or a reference's number after its label, and a pathology or cytology
accession by its shape with no label (``SP-24-018832``); and dates the rules read only in one case or one shape: a
month and a year in lower case (``sept 2021``), a year cut after an apostrophe (``Jan '31``), ISO's year and month
(``2019-03``), a holiday with its year or after a preposition of time (``on Christmas Day 2019``, ``since
Thanksgiving``), a month and day after ``LMP`` / ``EDD``. Each with neighbours that must stay. Every value is invented."""

from __future__ import annotations

import pytest
from conftest import masked_within_one as _masked
from conftest import untouched as _untouched

_BEFORE = "Seen today for follow-up.\n"
_AFTER = "\nPlan: recheck in 3 months.\n"

_MASKED = [
    (_BEFORE + "Claim number 2024-0098812-01" + _AFTER, "2024-0098812-01"),
    (_BEFORE + "claim # 55810293" + _AFTER, "55810293"),
    (_BEFORE + "Prior auth #: PA7730192 approved." + _AFTER, "PA7730192"),
    (_BEFORE + "Authorization number 88123401 valid 90 days." + _AFTER, "88123401"),
    (_BEFORE + "Ref #: 4471-2290-33" + _AFTER, "4471-2290-33"),
    (_BEFORE + "Referral ID R-5520917" + _AFTER, "R-5520917"),
    (_BEFORE + "Tracking number 1Z9948120377" + _AFTER, "1Z9948120377"),
    (_BEFORE + "Pathology: SP-24-018832, benign." + _AFTER, "SP-24-018832"),
    (_BEFORE + "cytology cy-23-00891 negative for malignancy" + _AFTER, "cy-23-00891"),
    (_BEFORE + "See S24-004512 for the margins." + _AFTER, "S24-004512"),
    (_BEFORE + "last seen sept 2021 by the retina service." + _AFTER, "sept 2021"),
    (_BEFORE + "symptoms since march of 2019" + _AFTER, "march of 2019"),
    (_BEFORE + "DOB Jan '31" + _AFTER, "Jan '31"),
    (_BEFORE + "Surgery in NOV '19 at an outside hospital." + _AFTER, "NOV '19"),
    (_BEFORE + "Seen 2019-03, then 2019-06." + _AFTER, "2019-03"),
    (_BEFORE + "Fell on Christmas Day 2019." + _AFTER, "Christmas Day 2019"),
    (_BEFORE + "Worse since Thanksgiving." + _AFTER, "Thanksgiving"),
    (_BEFORE + "admitted the day after new year's day, 2021." + _AFTER, "new year's day, 2021"),
    (_BEFORE + "in may 2021 she fell." + _AFTER, "may 2021"),
    (_BEFORE + "LMP 11/12, pregnancy test negative." + _AFTER, "11/12"),
    # a chart's, a file's, a hospital's number (twenty-first session)
    (_BEFORE + "Old chart #A-22019; prior visit." + _AFTER, "A-22019"),
    (_BEFORE + "Chart number: 22019-B" + _AFTER, "22019-B"),
    (_BEFORE + "Paper chart # 88123 requested." + _AFTER, "88123"),
    (_BEFORE + "Hospital number: H0098123" + _AFTER, "H0098123"),
    (_BEFORE + "PATIENT NUMBER 55-01922" + _AFTER, "55-01922"),
    (_BEFORE + "unit no. 0044912" + _AFTER, "0044912"),
    # a month and a day after a weekday or an event's verb (twenty-first session)
    (_BEFORE + "Admitted Tues 3/4, discharged Fri." + _AFTER, "3/4"),
    (_BEFORE + "Admitted 3/4, discharged 3/9." + _AFTER, "3/9"),
    (_BEFORE + "Surgery Mon 11/2." + _AFTER, "11/2"),
    (_BEFORE + "Labs drawn 3/4; CT done 3/6. Follow-up due 4/1." + _AFTER, "4/1"),
    (_BEFORE + "FRI 3/4 ADMITTED 3/2" + _AFTER, "3/2"),
    (_BEFORE + "Card 4111 1111 1111 1111 on file." + _AFTER, "4111 1111 1111 1111"),
]

_KEPT = [
    (_BEFORE + "The chart number is unknown. Check file # on paper." + _AFTER, "unknown"),
    (_BEFORE + "Record number not available." + _AFTER, "available"),
    (_BEFORE + "Unit 4B, bed 12. Room number 412." + _AFTER, "4B"),
    (_BEFORE + "Grade 3/4 murmur. Strength 4/5. Pain 3/10." + _AFTER, "3/4"),
    (_BEFORE + "Stopped 2/3 of doses, missed the rest." + _AFTER, "2/3"),
    # a schedule's times of day is no phone or card number
    (_BEFORE + "Doses at 0800 1200 1600 daily." + _AFTER, "0800 1200 1600"),
    (_BEFORE + "Insulin at 0730 1130 1730 2130." + _AFTER, "0730 1130"),
    # a distance walked is no street address
    (_BEFORE + "Walks 2-3 blocks on level road before dyspnea." + _AFTER, "blocks on level road"),
    (_BEFORE + "walks 2 miles along the canal way daily" + _AFTER, "miles along"),
    (_BEFORE + "Claim denied; will appeal." + _AFTER, "denied"),
    (_BEFORE + "Reference range 3.5-5.0 mmol/L." + _AFTER, "3.5-5.0"),
    (_BEFORE + "ICD-10-CM code E11.9 recorded." + _AFTER, "ICD-10-CM"),
    (_BEFORE + "COVID-19 vaccine x2." + _AFTER, "COVID-19"),
    (_BEFORE + "HR-72 regular." + _AFTER, "HR-72"),
    (_BEFORE + "Auth pending with the insurer." + _AFTER, "pending"),
    (_BEFORE + "She may 2020 doses have been missed." + _AFTER, "may"),
    (_BEFORE + "Christmas tree allergy suspected." + _AFTER, "Christmas"),
    (_BEFORE + "Feels worse around the holidays, thanksgiving included." + _AFTER, "thanksgiving"),
    (_BEFORE + "Version 2010-12 of the form." + _AFTER, "2010-12"),
    (_BEFORE + "Dose 2019-20 season vaccine given." + _AFTER, "2019-20"),
    (_BEFORE + "Grade 2 of 4, march 12 steps." + _AFTER, "march"),
]


@pytest.mark.parametrize("text,value", _MASKED)
def test_each_identifier_is_masked(rules_stage, text, value):
    assert _masked(rules_stage, text, value), value


@pytest.mark.parametrize("text,word", _KEPT)
def test_its_neighbours_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)
