"""Sig parsing (ehrnlp.sig): FREQUENCY/DURATION -> FHIR Timing.repeat, DOSE -> Quantity, ROUTE -> Code."""

from __future__ import annotations

import dataclasses

import pytest

from ehrnlp.sig import parse_dose, parse_timing, route_code
from ehrnlp.terminology import SNOMED, UCUM

V3 = "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration"
D = {"frequency": 1, "period": 1, "periodUnit": "d"}


def dur(value, unit, code):
    return {"boundsDuration": {"value": value, "unit": unit, "system": UCUM, "code": code}}


TIMING = [
    ("BID", {"frequency": 2, "period": 1, "periodUnit": "d"}),
    ("b.i.d.", {"frequency": 2, "period": 1, "periodUnit": "d"}),
    ("twice daily", {"frequency": 2, "period": 1, "periodUnit": "d"}),
    ("two times daily", {"frequency": 2, "period": 1, "periodUnit": "d"}),
    ("2 times a day", {"frequency": 2, "period": 1, "periodUnit": "d"}),
    ("TID", {"frequency": 3, "period": 1, "periodUnit": "d"}),
    ("three times a day", {"frequency": 3, "period": 1, "periodUnit": "d"}),
    ("QID", {"frequency": 4, "period": 1, "periodUnit": "d"}),
    ("4x daily", {"frequency": 4, "period": 1, "periodUnit": "d"}),
    ("daily", D),
    ("once daily", D),
    ("QD", D),
    ("every day", D),
    ("qhs", {**D, "when": ["HS"]}),
    ("at bedtime", {**D, "when": ["HS"]}),
    ("QAM", {**D, "when": ["MORN"]}),
    ("every evening", {**D, "when": ["EVE"]}),
    ("nightly", {**D, "when": ["NIGHT"]}),
    ("q4h", {"frequency": 1, "period": 4, "periodUnit": "h"}),
    ("q 6 h", {"frequency": 1, "period": 6, "periodUnit": "h"}),
    ("q8hr", {"frequency": 1, "period": 8, "periodUnit": "h"}),
    ("every 12 hours", {"frequency": 1, "period": 12, "periodUnit": "h"}),
    ("q4h prn", {"frequency": 1, "period": 4, "periodUnit": "h", "asNeeded": True}),
    ("q4-6h prn pain", {"frequency": 1, "period": 4, "periodMax": 6, "periodUnit": "h", "asNeeded": True}),
    ("every 4 to 6 hours as needed", {"frequency": 1, "period": 4, "periodMax": 6, "periodUnit": "h", "asNeeded": True}),
    ("PRN", {"asNeeded": True}),
    ("as needed", {"asNeeded": True}),
    ("every other day", {"frequency": 1, "period": 2, "periodUnit": "d"}),
    ("QOD", {"frequency": 1, "period": 2, "periodUnit": "d"}),
    ("weekly", {"frequency": 1, "period": 1, "periodUnit": "wk"}),
    ("once a week", {"frequency": 1, "period": 1, "periodUnit": "wk"}),
    ("twice weekly", {"frequency": 2, "period": 1, "periodUnit": "wk"}),
    ("every 2 weeks", {"frequency": 1, "period": 2, "periodUnit": "wk"}),
    ("monthly", {"frequency": 1, "period": 1, "periodUnit": "mo"}),
    ("every 3 months", {"frequency": 1, "period": 3, "periodUnit": "mo"}),
    ("TID with meals", {"frequency": 3, "period": 1, "periodUnit": "d", "when": ["C"]}),
    ("before meals", {"frequency": 1, "period": 1, "periodUnit": "d", "when": ["AC"]}),
    ("daily prn", {**D, "asNeeded": True}),
    ("for 7 days", dur(7, "day", "d")),
    ("x7 days", dur(7, "day", "d")),
    ("x 10 days", dur(10, "day", "d")),
    ("for 2 weeks", dur(2, "week", "wk")),
    ("for one month", dur(1, "month", "mo")),
    ("x5d", dur(5, "day", "d")),
    ("BID for 10 days", {"frequency": 2, "period": 1, "periodUnit": "d", **dur(10, "day", "d")}),
    ("1 drop OU BID", {"frequency": 2, "period": 1, "periodUnit": "d"}),
    ("STAT", {"count": 1}),
]


@pytest.mark.parametrize("text,expected", TIMING, ids=[t[0] for t in TIMING])
def test_parse_timing(text, expected):
    assert parse_timing(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "hello world", "patient tolerated the procedure well", "500 mg", "left eye"])
def test_parse_timing_not_understood(text):
    assert parse_timing(text) is None


DOSES = [
    ("500 mg", {"value": 500, "unit": "mg", "system": UCUM, "code": "mg"}),
    ("500mg", {"value": 500, "unit": "mg", "system": UCUM, "code": "mg"}),
    ("0.5 mg", {"value": 0.5, "unit": "mg", "system": UCUM, "code": "mg"}),
    ("1,000 mg", {"value": 1000, "unit": "mg", "system": UCUM, "code": "mg"}),
    ("25 mcg", {"value": 25, "unit": "mcg", "system": UCUM, "code": "ug"}),
    ("1 g", {"value": 1, "unit": "g", "system": UCUM, "code": "g"}),
    ("5 mL", {"value": 5, "unit": "mL", "system": UCUM, "code": "mL"}),
    ("10 units", {"value": 10, "unit": "unit", "system": UCUM, "code": "[iU]"}),
    ("20 mEq", {"value": 20, "unit": "mEq", "system": UCUM, "code": "meq"}),
    ("0.5%", {"value": 0.5, "unit": "%", "system": UCUM, "code": "%"}),
    ("1 drop", {"value": 1, "unit": "drop"}),
    ("1 gtt", {"value": 1, "unit": "drop"}),
    ("2 tabs", {"value": 2, "unit": "tablet"}),
    ("one tablet", {"value": 1, "unit": "tablet"}),
    ("2 puffs", {"value": 2, "unit": "puff"}),
    ("1 capsule", {"value": 1, "unit": "capsule"}),
    ("1/2 tab", {"value": 0.5, "unit": "tablet"}),
    ("1-2 tablets", {"value": 1, "unit": "tablet", "high": 2}),
    ("take 2 tablets", {"value": 2, "unit": "tablet"}),
]


@pytest.mark.parametrize("text,expected", DOSES, ids=[d[0] for d in DOSES])
def test_parse_dose(text, expected):
    assert parse_dose(text) == expected


@pytest.mark.parametrize("text", ["", "BID", "mg", "500", "five apples", "PO"])
def test_parse_dose_not_a_dose(text):
    assert parse_dose(text) is None


ROUTES = [
    ("PO", SNOMED, "26643006"), ("p.o.", SNOMED, "26643006"), ("by mouth", SNOMED, "26643006"),
    ("orally", SNOMED, "26643006"), ("IV", SNOMED, "47625008"), ("intravenously", SNOMED, "47625008"),
    ("IM", SNOMED, "78421000"), ("SC", SNOMED, "34206005"), ("SQ", SNOMED, "34206005"),
    ("subcutaneous", SNOMED, "34206005"), ("topical", SNOMED, "6064005"), ("PR", SNOMED, "37161004"),
    ("vaginally", SNOMED, "16857009"), ("intranasal", SNOMED, "46713006"),
    ("OU", SNOMED, "362508001"), ("both eyes", SNOMED, "362508001"), ("O.U.", SNOMED, "362508001"),
    ("OD", SNOMED, "362502000"), ("right eye", SNOMED, "362502000"),
    ("OS", SNOMED, "362503005"), ("left eye", SNOMED, "362503005"),
    ("SL", V3, "SL"), ("sublingual", V3, "SL"), ("inhaled", V3, "RESPINHL"), ("via nebulizer", V3, "NEB"),
    ("transdermal", V3, "TRNSDERM"), ("ophthalmic", V3, "OPTHALTA"), ("otic", V3, "OT"),
]


@pytest.mark.parametrize("text,system,code", ROUTES, ids=[r[0] for r in ROUTES])
def test_route_code(text, system, code):
    c = route_code(text)
    assert c is not None and (c.system, c.code) == (system, code)
    assert c.display and c.score == 1.0


@pytest.mark.parametrize("text", ["", "BID", "500 mg", "mouthwash", "xyz"])
def test_route_code_unknown(text):
    assert route_code(text) is None


def test_route_codes_agree_with_the_vocabulary():
    """route_code and the shipped ROUTE rows give the same code for the same text."""
    from ehrnlp.vocab import load_vocabulary

    vocab = load_vocabulary()
    checked = 0
    for e in vocab.entries:
        if e.label != "ROUTE" or not e.code or e.tty == "abbr-ambiguous":
            continue
        c = route_code(e.term)
        if c is not None:
            assert (c.system, c.code) == (e.system, e.code), e.term
            checked += 1
    assert checked >= 40


@pytest.mark.parametrize("text,expected", [
    ("7 days", dur(7, "day", "d")),
    ("2 weeks", dur(2, "week", "wk")),
    ("every hour", {"frequency": 1, "period": 1, "periodUnit": "h"}),
    ("Q D", D),
    ("q/day", D),
    ("in morning", {**D, "when": ["MORN"]}),
])
def test_parse_timing_more_forms(text, expected):
    assert parse_timing(text) == expected


def test_parse_timing_ranges():
    t = parse_timing("for 5-7 days")
    assert t["boundsRange"]["low"]["value"] == 5 and t["boundsRange"]["high"]["value"] == 7


@pytest.mark.parametrize("text,expected", [
    ("50 mg, daily", {"value": 50, "unit": "mg", "system": UCUM, "code": "mg"}),
    ("1200 mg weekly", {"value": 1200, "unit": "mg", "system": UCUM, "code": "mg"}),
    ("100 mg/d", {"value": 100, "unit": "mg/d", "system": UCUM, "code": "mg/d"}),
    ("44 \u03bcg", {"value": 44, "unit": "mcg", "system": UCUM, "code": "ug"}),
    ("80\u2013160 mg daily", {"value": 80, "unit": "mg", "system": UCUM, "code": "mg", "high": 160}),
])
def test_parse_dose_with_timing_and_unicode(text, expected):
    assert parse_dose(text) == expected


def test_parsers_never_raise_on_arbitrary_text():
    import random

    rng = random.Random(7)
    pieces = ["q", "4", "h", "x", "for", "7", "days", "-", "to", "prn", "bid", "mg", "1/2", "tab", "every", "other",
              "/", ".", "weeks", "daily", "at", "bedtime", "0", "1,000", "×", "μg", "%", "ou", "od", "(", ")", "twice",
              "3-4", "hrs", "q.4.h.", "2x", "times", "a", "day", "morning", "", " ", "\u2013", "#", "no."]
    for _ in range(3000):
        s = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 7)))
        t = parse_timing(s)
        assert t is None or isinstance(t, dict)
        d = parse_dose(s)
        assert d is None or ("value" in d and "unit" in d)
        route_code(s)


def test_route_table_codes_are_shipped_codes():
    """route_code's built-in table uses only codes the build validated (IPS/GPS, HL7 v3)."""
    from ehrnlp.sig import _route_table
    from ehrnlp.vocab import load_vocabulary

    shipped = {(e.system, e.code) for e in load_vocabulary().entries if e.label == "ROUTE" and e.code}
    for form, code in _route_table().items():
        assert (code.system, code.code) in shipped, (form, code)


def test_normalize_reexports_the_sig_parsers():
    """``ehrnlp.normalize.parse_timing`` & co. are the sig module's functions, not copies."""
    import ehrnlp.normalize as normalize
    import ehrnlp.sig as sig

    assert (normalize.parse_timing, normalize.parse_dose, normalize.route_code) == (
        sig.parse_timing, sig.parse_dose, sig.route_code)


@pytest.mark.parametrize("text", [
    "q4h", "q.6h.", "q. 8 hrs", "q 4-6 hours", "every 6 hours", "every other day", "once a day", "twice daily",
    "3 times a day", "4x daily", "daily", "nightly at bedtime", "at bedtime", "in the morning", "weekly",
    "as needed for pain",
])
def test_what_the_frequency_finder_tags_parse_timing_understands(text):
    from ehrnlp.sig import FREQUENCY_PATTERN

    assert FREQUENCY_PATTERN.fullmatch(text)
    assert parse_timing(text)


@pytest.mark.parametrize("text", ["for 7 days", "x 2 weeks", "for 3-5 days", "times 10 days", "for another 2 weeks",
                                  "x 5 d", "for 6 months", "for a total of 10 days", "\u00d7 3 days"])
def test_what_the_duration_finder_tags_parse_timing_understands(text):
    from ehrnlp.sig import DURATION_PATTERN

    assert DURATION_PATTERN.fullmatch(text)
    t = parse_timing(text)
    assert t and ("boundsDuration" in t or "boundsRange" in t)


def test_what_the_dose_finder_tags_parse_dose_understands():
    from ehrnlp.sig import DOSE_PATTERN

    units = ("mg mcg \u00b5g ug g gm gram grams kg ml mL cc l unit units iu IU meq mEq mmol % tab tabs tablet tablets "
             "cap caps capsule capsules drop drops gtt gtts puff puffs spray sprays patch patches application "
             "applications inhalation inhalations suppository suppositories vial vials ampule ampules pill pills "
             "lozenge lozenges packet packets teaspoon teaspoons tsp tablespoon tablespoons tbsp").split()
    tagged = [f"{n} {u}" for n in ("1", "2.5", "one", "half", "1/2", "1-2") for u in units
              if DOSE_PATTERN.fullmatch(f"{n} {u}")]
    assert len(tagged) > 300  # the finder tags (nearly) all of them
    assert [s for s in tagged if parse_dose(s) is None] == []


# -- the dosage of a medication (ehrnlp.sig.dosage_of, set by the relations stage) ---------


def _med(text, drug, *attrs, route_codes=()):
    from ehrnlp.model import Entity

    def ent(label, phrase, codes=()):
        i = text.index(phrase)
        return Entity(label, i, i + len(phrase), phrase, codes=codes)

    m = ent("MEDICATION", drug)
    return dataclasses.replace(m, attributes=tuple(ent(lab, p, route_codes if lab == "ROUTE" else ())
                                                   for lab, p in attrs))


def test_sig_end_keeps_the_instruction_after_the_last_attribute():
    from ehrnlp.sig import sig_end

    text = "Metformin 500 mg by mouth twice daily with meals.\nAlbuterol 2 puffs as needed for wheezing"
    daily = text.index("daily") + len("daily")
    assert text[:sig_end(text, daily, [])].endswith("twice daily with meals")
    # a mention in the tail (the indication) is its own entity: the sig stops before it
    needed = text.index("as needed") + len("as needed")
    assert sig_end(text, needed, [text.index("wheezing")]) == needed
    assert text[:sig_end(text, needed, [])].endswith("as needed for wheezing")
    # nothing opened by a preposition: unchanged
    assert sig_end("Lisinopril 10 mg PO daily, aspirin", 25, []) == 25


def test_dosage_of_merges_timings_and_reads_prn():
    from ehrnlp.sig import dosage_of

    text = "amoxicillin 500 mg PO TID for 10 days prn"
    med = _med(text, "amoxicillin", ("DOSE", "500 mg"), ("ROUTE", "PO"), ("FREQUENCY", "TID"),
               ("DURATION", "for 10 days"), ("FREQUENCY", "prn"))
    d = dosage_of(text, med, [])
    assert d.text == text and (d.start, d.end) == (0, len(text))
    assert (d.timing.frequency, d.timing.period, d.timing.period_unit) == (3, 1, "d")
    assert (d.timing.bounds_duration.value, d.timing.bounds_duration.code) == (10, "d")
    assert d.as_needed
    assert d.dose.value == 500 and d.route_codes[0].code == "26643006"
    # a FREQUENCY the parser does not understand still says PRN
    text = "ibuprofen 400 mg as needed"
    d = dosage_of(text, _med(text, "ibuprofen", ("DOSE", "400 mg"), ("FREQUENCY", "as needed")), [])
    assert d.as_needed and d.timing is None
    assert dosage_of(text, _med(text, "ibuprofen"), []) is None


def test_dosage_of_keeps_route_codes_the_sig_table_lacks_and_an_eye_is_a_site():
    from ehrnlp.model import Code
    from ehrnlp.sig import dosage_of

    text = "drug X via the port daily"
    med = _med(text, "drug X", ("ROUTE", "via the port"), ("FREQUENCY", "daily"))
    d = dosage_of(text, med, [])
    assert d.route_text == "via the port" and d.route_codes == ()
    coded = Code(SNOMED, "47625008", "Intravenous route")
    med = _med(text, "drug X", ("ROUTE", "via the port"), ("FREQUENCY", "daily"), route_codes=(coded,))
    assert dosage_of(text, med, []).route_codes == (coded,)
    text = "latanoprost 1 drop in the left eye nightly"
    d = dosage_of(text, _med(text, "latanoprost", ("DOSE", "1 drop"), ("ROUTE", "left eye"), ("FREQUENCY", "nightly")), [])
    assert (d.site_text, d.site_codes[0].code) == ("left eye", "362503005")
    assert (d.route_text, d.route_codes[0].code) == ("ophthalmic", "OPTHALTA")
    assert d.timing.when == ("NIGHT",)
