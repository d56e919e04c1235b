"""One resource per clinical fact (``FhirConfig.merge_mentions``): hand-built documents with
invented text, no NER involved (the mapping reads typed fields only)."""

import json

import pytest

from ehrnlp import Assertion, Code, Document, Entity
from ehrnlp.config import FhirConfig
from ehrnlp.fhir import RXNORM, SNOMED, UCUM, bundle_dict, resources_for, to_fhir
from ehrnlp.fhir.mapping import concept_key, text_key
from ehrnlp.model import Dosage, Quantity, Timing

ICD = "http://hl7.org/fhir/sid/icd-10-cm"
RECORDED = "2026-01-01T00:00:00+00:00"
OFF = FhirConfig(merge_mentions=False)
PEANUT = (Code(SNOMED, "762952008", "Peanut", 1.0),)
NUT = (Code(SNOMED, "13577000", "Nut", 1.0),)
HIVES = (Code(SNOMED, "247472004", "Hives", 1.0),)
ANAPHYLAXIS = (Code(SNOMED, "39579001", "Anaphylaxis", 1.0),)
ASTHMA = (Code(SNOMED, "195967001", "Asthma", 1.0), Code(ICD, "J45.909", "Asthma", 1.0))
METOPROLOL = (Code(RXNORM, "6918", "metoprolol", 1.0),)


def at(text, sub, label, occurrence=0, **kw):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(sub, start + 1)
    return Entity(label, start, start + len(sub), sub, **kw)


def doc_of(text, ents, **kw):
    return Document(text=text, id=kw.pop("id", "note-merge"), patient="Patient/p1",
                    entities=tuple(sorted(ents, key=lambda e: e.start)), date="2026-02-03", **kw)


def of(resources, rtype):
    return [r for r in resources if r["resourceType"] == rtype]


def offsets(res):
    out = []
    for x in res["extension"]:
        sub = {y["url"]: y for y in x["extension"]}
        out.append((sub["offset"]["valueInteger"], sub["length"]["valueInteger"]))
    return out


def status(res):
    if "status" in res:
        return res["status"]
    return res["verificationStatus"]["coding"][0]["code"]


# -- grouping: what merges and what stays apart -----------------------------------------
T_PLURAL = "Allergies: Peanuts - anaphylaxis. Carries an EpiPen for her peanut allergy. PEANUT  allergy confirmed."
T_UNCODED = "Complains of floaters. Floater in left eye worse. FLOATERS  persist."
T_NEG = "Allergy to penicillin. Not allergic to penicillin per pharmacy; penicillin tolerated."
T_FAMILY = "Asthma since childhood. Mother has asthma. Brother with asthma too. Father with asthma."
T_STATUS = "Taking metoprolol daily. Stopped metoprolol last year? Metoprolol continued."

CASES = [
    # (name, text, entities, resource type, expected groups as (concept text, n mentions, status))
    ("case and plural variants of a coded allergen", T_PLURAL,
     lambda t: [at(t, "Peanuts", "ALLERGEN", codes=PEANUT), at(t, "peanut", "ALLERGEN", codes=PEANUT),
                at(t, "PEANUT", "ALLERGEN", codes=PEANUT)],
     "AllergyIntolerance", [("Peanuts", 3, "unconfirmed")]),
    ("case, plural and whitespace variants of an uncoded finding", T_UNCODED,
     lambda t: [at(t, "floaters", "SYMPTOM"), at(t, "Floater", "SYMPTOM"), at(t, "FLOATERS", "SYMPTOM")],
     "Condition", [("floaters", 3, "unconfirmed")]),
    ("refuted and confirmed mentions of one allergen", T_NEG,
     lambda t: [at(t, "penicillin", "ALLERGEN", 0), at(t, "penicillin", "ALLERGEN", 1, assertion=Assertion(negated=True)),
                at(t, "penicillin", "ALLERGEN", 2, assertion=Assertion(negated=True))],
     "AllergyIntolerance", [("penicillin", 1, "unconfirmed"), ("penicillin", 2, "refuted")]),
    ("the patient's condition and relatives' ones", T_FAMILY,
     lambda t: [at(t, "Asthma", "PROBLEM", codes=ASTHMA),
                at(t, "asthma", "PROBLEM", 0, codes=ASTHMA, assertion=Assertion(family=True), family_relation="MTH"),
                at(t, "asthma", "PROBLEM", 1, codes=ASTHMA, assertion=Assertion(family=True), family_relation="BRO"),
                at(t, "asthma", "PROBLEM", 2, codes=ASTHMA, assertion=Assertion(family=True), family_relation="FTH")],
     "FamilyMemberHistory", [("asthma", 1, None), ("asthma", 1, None), ("asthma", 1, None)]),
    ("medication statuses", T_STATUS,
     lambda t: [at(t, "metoprolol", "MEDICATION", 0, codes=METOPROLOL, medication_status="active"),
                at(t, "metoprolol", "MEDICATION", 1, codes=METOPROLOL, medication_status="stopped"),
                at(t, "Metoprolol", "MEDICATION", codes=METOPROLOL, medication_status="active")],
     "MedicationStatement", [("metoprolol", 2, "active"), ("metoprolol", 1, "stopped")]),
]


@pytest.mark.parametrize(("name", "text", "ents", "rtype", "want"), CASES, ids=[c[0] for c in CASES])
def test_grouping(name, text, ents, rtype, want):
    entities = ents(text)
    res = of(resources_for(doc_of(text, entities)), rtype)
    got = []
    for r in res:
        cc = r.get("code") or r.get("medicationCodeableConcept") or r["condition"][0]["code"]
        got.append((cc["text"], len(r["extension"]), None if rtype == "FamilyMemberHistory" else status(r)))
    assert got == want
    # unmerged: one resource per mention, as before
    assert len(of(resources_for(doc_of(text, entities), config=OFF), rtype)) == len(
        [e for e in entities if e.assertion.family == (rtype == "FamilyMemberHistory")])
    # every mention's offsets are kept, in text order, and each resource's are its own mentions'
    spans = [o for r in res for o in offsets(r)]
    assert sorted(spans) == sorted((e.start, e.end - e.start) for e in entities
                                   if (rtype == "FamilyMemberHistory") == e.assertion.family)
    for r in res:
        assert offsets(r) == sorted(offsets(r))
        assert all(text[o:o + n].casefold().startswith(("peanut", "floater", "penicillin", "asthma", "metoprolol"))
                   for o, n in offsets(r))


def test_family_members_stay_apart_by_relative_and_from_the_patient():
    t = T_FAMILY
    ents = CASES[3][2](t)
    res = resources_for(doc_of(t, ents))
    fmh = of(res, "FamilyMemberHistory")
    assert [f["relationship"]["coding"][0]["code"] for f in fmh] == ["MTH", "BRO", "FTH"]
    assert len(of(res, "Condition")) == 1
    # two mentions of the same relative's condition merge
    t2 = "Mother has asthma. Her mother (the patient's mother) had asthma as a child."
    e2 = [at(t2, "asthma", "PROBLEM", i, codes=ASTHMA, assertion=Assertion(family=True), family_relation="MTH")
          for i in range(2)]
    (one,) = of(resources_for(doc_of(t2, e2)), "FamilyMemberHistory")
    assert len(one["extension"]) == 2


def test_condition_statuses_split_facts_and_first_mention_fills_the_rest():
    t = "Asthma, well controlled. h/o asthma as a child. Possible asthma flare. Asthma ruled out? asthma"
    ents = [
        at(t, "Asthma", "PROBLEM", 0, codes=ASTHMA[:1]),                                         # active, unconfirmed
        at(t, "asthma", "PROBLEM", 0, codes=ASTHMA, assertion=Assertion(historical=True)),      # inactive
        at(t, "asthma", "PROBLEM", 1, codes=ASTHMA, assertion=Assertion(uncertain=True)),       # provisional
        at(t, "Asthma", "SYMPTOM", 1, codes=ASTHMA, assertion=Assertion(negated=True)),         # refuted
        at(t, "asthma", "SYMPTOM", 2, codes=ASTHMA),                                            # joins the first
    ]
    conds = of(resources_for(doc_of(t, ents)), "Condition")
    keys = [(c["clinicalStatus"]["coding"][0]["code"], c["verificationStatus"]["coding"][0]["code"], len(c["extension"]))
            for c in conds]
    assert keys == [("active", "unconfirmed", 2), ("inactive", "unconfirmed", 1), ("active", "provisional", 1),
                    ("inactive", "refuted", 1)]
    first = conds[0]
    # codings unioned (one per system): the ICD-10-CM code of the later mention is added
    assert [c["code"] for c in first["code"]["coding"]] == ["195967001", "J45.909"]
    assert first["code"]["text"] == "Asthma"
    # the SYMPTOM note comes from the first mention that has it
    assert first["note"] == [{"text": "sign or symptom extracted from a clinical note"}]
    assert first["evidence"] == [{"detail": [{"reference": f"DocumentReference/{of(resources_for(doc_of(t, ents)), 'DocumentReference')[0]['id']}"}]}]


# -- AllergyIntolerance merge rules -------------------------------------------------------
def test_allergy_reactions_union_dedupe_and_highest_severity_and_criticality():
    t = "Allergies: peanut - hives (mild). Peanuts: anaphylaxis, hives (severe). peanut - HIVES, itching (moderate)."
    r1, s1 = at(t, "hives", "REACTION", 0, codes=HIVES), at(t, "mild", "SEVERITY")
    r2, r3, s2 = at(t, "anaphylaxis", "REACTION", codes=ANAPHYLAXIS), at(t, "hives", "REACTION", 1, codes=HIVES), \
        at(t, "severe", "SEVERITY")
    r4, r5, s3 = at(t, "HIVES", "REACTION", codes=HIVES), at(t, "itching", "REACTION"), at(t, "moderate", "SEVERITY")
    ents = [
        at(t, "peanut", "ALLERGEN", 0, codes=PEANUT, attributes=(r1, s1), allergy_severity="mild",
           allergy_category="food"),
        at(t, "Peanuts", "ALLERGEN", codes=PEANUT, attributes=(r2, r3, s2), allergy_severity="severe",
           allergy_criticality="high", allergy_category="food"),
        at(t, "peanut", "ALLERGEN", 1, codes=PEANUT, attributes=(r4, r5, s3), allergy_severity="moderate"),
        r1, s1, r2, r3, s2, r4, r5, s3,
    ]
    (a,) = of(resources_for(doc_of(t, ents)), "AllergyIntolerance")
    got = [(r.get("severity"), [m["text"] for m in r["manifestation"]]) for r in a["reaction"]]
    # hives once (by code), keeping the highest severity any mention gives it; anaphylaxis and
    # itching (text-only) added with their own mention's severity
    assert got == [("severe", ["hives"]), ("severe", ["anaphylaxis"]), ("moderate", ["itching"])]
    assert a["criticality"] == "high"
    assert a["category"] == ["food"]
    assert len(a["extension"]) == 3
    to_fhir(doc_of(t, ents), recorded=RECORDED)  # valid R4


def test_allergy_text_only_reactions_dedupe_by_text_and_category_union():
    t = "Allergy: latex - rash. Latex: Rash, swelling. latex gloves"
    ra, rb, rc = at(t, "rash", "REACTION"), at(t, "Rash", "REACTION"), at(t, "swelling", "REACTION")
    ents = [at(t, "latex", "ALLERGEN", 0, attributes=(ra,), allergy_category="environment"),
            at(t, "Latex", "ALLERGEN", attributes=(rb, rc), allergy_category="medication"),
            at(t, "latex", "ALLERGEN", 1), ra, rb, rc]
    (a,) = of(resources_for(doc_of(t, ents)), "AllergyIntolerance")
    assert [[m["text"] for m in r["manifestation"]] for r in a["reaction"]] == [["rash"], ["swelling"]]
    assert a["category"] == ["environment", "medication"]
    assert "criticality" not in a


@pytest.mark.parametrize(("types", "want"), [
    (("intolerance", "intolerance"), "intolerance"),
    (("intolerance", None), None),
    ((None, "intolerance"), None),
    ((None, None), None),
])
def test_allergy_type_intolerance_only_when_every_mention_says_so(types, want):
    t = "Intolerant of codeine. Codeine causes nausea."
    ents = [at(t, "codeine", "ALLERGEN", allergy_type=types[0]), at(t, "Codeine", "ALLERGEN", allergy_type=types[1])]
    (a,) = of(resources_for(doc_of(t, ents)), "AllergyIntolerance")
    assert a.get("type") == want


# -- MedicationStatement dosages ------------------------------------------------------------
def _dosage(t, sig, mg, freq=1):
    s = t.index(sig)
    return Dosage(s, s + len(sig), sig, dose=Quantity(mg, "mg", UCUM, "mg"),
                  timing=Timing(frequency=freq, period=1, period_unit="d"))


def test_medication_dosages_unioned_identical_once_different_in_text_order():
    t = "Meds: metoprolol 25 mg daily. Plan: increase metoprolol to 50 mg daily. metoprolol 25  MG DAILY. metoprolol"
    sigs = ["metoprolol 25 mg daily", "metoprolol to 50 mg daily", "metoprolol 25  MG DAILY"]
    ds = [_dosage(t, sigs[0], 25), _dosage(t, sigs[1], 50), _dosage(t, sigs[2], 25)]
    ents = [at(t, "metoprolol", "MEDICATION", i, codes=METOPROLOL, medication_status="active",
               dosage=ds[i] if i < 3 else None) for i in range(4)]
    (m,) = of(resources_for(doc_of(t, ents)), "MedicationStatement")
    assert [d["text"] for d in m["dosage"]] == sigs[:2]
    assert [d["doseAndRate"][0]["doseQuantity"]["value"] for d in m["dosage"]] == [25, 50]
    assert len(m["extension"]) == 4 and m["derivedFrom"] == [m["derivedFrom"][0]]
    # the first mention without a dosage still gets the later mentions' dosages
    ents2 = [ents[3], *ents[:3]]
    t_ents = sorted(ents2, key=lambda e: e.start)
    assert of(resources_for(doc_of(t, t_ents)), "MedicationStatement")[0]["dosage"] == m["dosage"]
    to_fhir(doc_of(t, ents), recorded=RECORDED)


def test_a_dosage_that_adds_nothing_folds_into_the_fuller_one():
    t = "Timolol twice daily. Timolol 1 drop OU twice daily. timolol BID. Timolol 1 drop OD at bedtime."
    ou = (Code(SNOMED, "362508001", "Both eyes"),)
    od = (Code(SNOMED, "362503005", "Right eye"),)
    bid = Timing(frequency=2, period=1, period_unit="d")
    def dos(sig, **kw):
        s0 = t.index(sig)
        return Dosage(s0, s0 + len(sig), sig, **kw)
    d1 = dos("Timolol twice daily", timing=bid)                                  # subset of d2
    d2 = dos("Timolol 1 drop OU twice daily", timing=bid, dose=Quantity(1, "drop"), site_text="OU", site_codes=ou)
    d3 = dos("timolol BID", timing=bid)                                          # subset of d2
    d4 = dos("Timolol 1 drop OD at bedtime", timing=Timing(frequency=1, period=1, period_unit="d", when=("HS",)),
             dose=Quantity(1, "drop"), site_text="OD", site_codes=od)            # says something else
    code = (Code(RXNORM, "10600", "timolol"),)
    ents = [at(t, "Timolol", "MEDICATION", 0, codes=code, dosage=d1), at(t, "Timolol", "MEDICATION", 1, codes=code, dosage=d2),
            at(t, "timolol", "MEDICATION", 0, codes=code, dosage=d3), at(t, "Timolol", "MEDICATION", 2, codes=code, dosage=d4)]
    (m,) = of(resources_for(doc_of(t, ents)), "MedicationStatement")
    # the fuller sig takes the place of the one it contains; the other eye's sig stays
    assert [d["text"] for d in m["dosage"]] == ["Timolol 1 drop OU twice daily", "Timolol 1 drop OD at bedtime"]
    assert len(m["extension"]) == 4


def test_a_broader_code_joins_the_one_fact_that_carries_it():
    t = "Apixaban 5 mg tablet twice daily. Continue apixaban. Warfarin 5 mg; warfarin 2 mg; warfarin."
    scd = (Code(RXNORM, "1364445", "apixaban 5 MG Oral Tablet", 1.0), Code(RXNORM, "1364430", "apixaban", 1.0))
    ing = (Code(RXNORM, "1364430", "apixaban", 1.0), Code(SNOMED, "698090000", "Apixaban", 1.0))
    w5 = (Code(RXNORM, "855332", "warfarin 5 MG", 1.0), Code(RXNORM, "11289", "warfarin", 1.0))
    w2 = (Code(RXNORM, "855302", "warfarin 2 MG", 1.0), Code(RXNORM, "11289", "warfarin", 1.0))
    win = (Code(RXNORM, "11289", "warfarin", 1.0),)
    ents = [at(t, "Apixaban", "MEDICATION", codes=scd), at(t, "apixaban", "MEDICATION", codes=ing),
            at(t, "Warfarin", "MEDICATION", codes=w5), at(t, "warfarin", "MEDICATION", 0, codes=w2),
            at(t, "warfarin", "MEDICATION", 1, codes=win)]
    meds = of(resources_for(doc_of(t, ents)), "MedicationStatement")
    # "apixaban" joins the clinical drug (the code, text and id are the clinical drug's);
    # "warfarin" is carried by two products: ambiguous, it stays its own fact
    assert [(m["medicationCodeableConcept"]["coding"][0]["code"], len(m["extension"])) for m in meds] == [
        ("1364445", 2), ("855332", 1), ("855302", 1), ("11289", 1)]
    assert meds[0]["medicationCodeableConcept"]["text"] == "Apixaban"
    # the broader mention's codings (not equivalent to the clinical drug) are not added
    assert [c["code"] for c in meds[0]["medicationCodeableConcept"]["coding"]] == ["1364445"]
    # the same whichever mention comes first
    t2 = "Continue apixaban. Apixaban 5 mg tablet twice daily."
    e2 = [at(t2, "apixaban", "MEDICATION", codes=ing), at(t2, "Apixaban", "MEDICATION", codes=scd)]
    (m2,) = of(resources_for(doc_of(t2, e2)), "MedicationStatement")
    assert m2["medicationCodeableConcept"]["coding"][0]["code"] == "1364445"
    assert m2["id"] == meds[0]["id"]
    assert offsets(m2) == [(9, 8), (19, 8)]


# -- ids, Provenance, the switch ------------------------------------------------------------
def test_ids_stable_across_runs_and_mention_order():
    t1 = "Peanuts: hives. Cough. Peanut allergy. cough at night."
    t2 = "Cough. Peanut allergy. Peanuts: hives. Coughs at night."
    def ents(t, cough2):
        return [at(t, "Peanut", "ALLERGEN", codes=PEANUT), at(t, "Peanuts", "ALLERGEN", codes=PEANUT),
                at(t, "Cough", "SYMPTOM"), at(t, cough2, "SYMPTOM")]
    a = resources_for(doc_of(t1, ents(t1, "cough")), recorded=RECORDED)
    b = resources_for(doc_of(t1, ents(t1, "cough")), recorded=RECORDED)
    c = resources_for(doc_of(t2, ents(t2, "Coughs")), recorded=RECORDED)
    assert a == b
    def ids(rs):
        return {r["resourceType"]: r["id"] for r in rs if r["resourceType"] in ("AllergyIntolerance", "Condition")}
    assert ids(a) == ids(c)
    assert all(r["identifier"] == [{"system": "urn:ehrnlp:resource-id", "value": r["id"]}]
               for r in a if r["resourceType"] in ("AllergyIntolerance", "Condition"))
    # another note, other ids
    other = resources_for(doc_of(t1, ents(t1, "cough"), id="note-2"), recorded=RECORDED)
    assert not set(ids(a).values()) & set(ids(other).values())


def test_provenance_targets_the_merged_resources_and_transaction_is_conditional():
    t = T_PLURAL
    doc = doc_of(t, CASES[0][2](t))
    b = bundle_dict(doc, bundle_type="transaction", recorded=RECORDED)
    res = [e["resource"] for e in b["entry"]]
    (prov,) = of(res, "Provenance")
    (allergy,) = of(res, "AllergyIntolerance")
    assert {"reference": f"urn:uuid:{allergy['id']}"} in prov["target"]
    assert len(prov["target"]) == 2  # the note and the one allergy
    entry = next(e for e in b["entry"] if e["resource"] is allergy)
    assert entry["request"]["ifNoneExist"] == f"identifier=urn:ehrnlp:resource-id|{allergy['id']}"
    assert len({e["fullUrl"] for e in b["entry"]}) == len(b["entry"])


def test_merge_off_is_the_per_mention_output():
    """``merge_mentions=False``: one resource per mention, ids from the span, as before the option."""
    t = T_PLURAL
    ents = CASES[0][2](t)
    res = resources_for(doc_of(t, ents), config=OFF, recorded=RECORDED)
    allergies = of(res, "AllergyIntolerance")
    assert len(allergies) == 3 and all(len(a["extension"]) == 1 for a in allergies)
    from ehrnlp.fhir.mapping import resource_id
    assert [a["id"] for a in allergies] == [resource_id("note-merge", "AllergyIntolerance", e.start, e.end, e.label)
                                            for e in ents]
    assert FhirConfig().merge_mentions is True


def test_single_mentions_change_only_their_ids():
    """A note with no repeated fact gives the per-mention resources, ids aside."""
    t = "Cough. Denies fever. Allergies: latex. Lisinopril 10 mg daily."
    ents = [at(t, "Cough", "SYMPTOM"), at(t, "fever", "SYMPTOM", assertion=Assertion(negated=True)),
            at(t, "latex", "ALLERGEN"), at(t, "Lisinopril", "MEDICATION", codes=(Code(RXNORM, "29046", "lisinopril"),))]
    on = resources_for(doc_of(t, ents), recorded=RECORDED)
    off = resources_for(doc_of(t, ents), config=OFF, recorded=RECORDED)
    def strip(r):
        return {k: v for k, v in r.items() if k not in ("id", "identifier", "target")}
    assert [strip(r) for r in on] == [strip(r) for r in off]


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Peanuts", "peanut", True), ("Tree  nuts", "tree nut", True), ("allergies", "Allergy", True),
    ("eyelashes", "eyelash", True), ("boxes", "box", True), ("glasses", "glass", True), ("glass", "glas", False),
    ("virus", "viru", False), ("diabetes mellitus", "diabetes mellitu", False), ("iris", "iri", False),
    ("dry eyes", "Dry\neye", True), ("floaters", "floater", True),
])
def test_text_key(a, b, same):
    assert (text_key(a) == text_key(b)) is same


def test_concept_key_prefers_the_primary_coding():
    assert concept_key({"text": "x", "coding": [{"system": SNOMED, "code": "1"}, {"system": ICD, "code": "A"}]}) \
        == f"{SNOMED}|1"
    assert concept_key({"text": "Dry  Eyes"}) == "text:dry eye"


def test_config_key_reaches_the_mapping(tmp_path):
    from ehrnlp.config import build_config

    p = tmp_path / "c.toml"
    p.write_text("[fhir]\nmerge_mentions = false\n", encoding="utf-8")
    assert build_config(p).fhir.merge_mentions is False
    json.dumps(FhirConfig().model_dump())
