"""Codes at the chart's level: RxNorm clinical drugs (ehrnlp.rxdrug), the most specific finding
span and SDOH (ehrnlp.findings), the US Core sdoh category, and the chart evaluation
(ehrnlp.chart). Synthetic text only."""

from __future__ import annotations

import base64
import json

import pytest

from ehrnlp.chart import chart_codes, evaluate_chart, extracted_concepts, score_chart
from ehrnlp.fhir.mapping import resources_for
from ehrnlp.findings import FindingRefiner, strip_semantic_tag
from ehrnlp.model import Code, Document, Entity
from ehrnlp.ner.rules import GENERIC_TERMS, tokenize
from ehrnlp.normalize import NormalizeStage
from ehrnlp.rxdrug import find_form, load_clinical_drugs, parse_strengths
from ehrnlp.terminology import RXNORM, SDOH_DOMAINS, SNOMED
from ehrnlp.vocab import load_vocabulary


@pytest.fixture(scope="module")
def drugs():
    d = load_clinical_drugs()
    if d is None:
        pytest.skip("the clinical drug table (vocab/drugs/rxnorm_clinical_drugs.tsv) is not built")
    return d


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


# ---------------------------------------------------------------------------- strengths
@pytest.mark.parametrize("text, expected", [
    ("10 mg", {(10.0, "MG")}),
    ("500mg", {(500.0, "MG")}),
    ("90 mcg", {(0.09, "MG")}),
    ("1 g", {(1000.0, "MG")}),
    ("5 mg/ml", {(5.0, "MG/ML")}),
    ("4000 unt/ml", {(4000.0, "UNT/ML")}),
    ("100 units/mL", {(100.0, "UNT/ML")}),
    ("0.09 mg/actuat", {(0.09, "MG/ACTUAT")}),
    ("20 meq", {(20.0, "MEQ")}),
])
def test_strengths_are_normalized(text, expected):
    assert parse_strengths(text) == expected


def test_a_percentage_also_reads_as_rxnorm_concentrations():
    got = parse_strengths("0.5%")
    assert {(0.5, "%"), (5.0, "MG/ML"), (0.005, "MG/MG")} <= got


def test_dose_form_short_forms():
    assert {"oral", "tablet"} <= find_form("po tab")
    assert {"extended release", "tablet"} <= find_form("ER tablet")
    assert {"ophthalmic", "solution"} <= find_form("eye drops")
    assert "injection" in find_form("inj")


# ------------------------------------------------------------------------ clinical drugs
@pytest.mark.parametrize("ingredients, clause, first", [
    (["29046"], "lisinopril 10 mg oral tablet", "314076"),          # SCD
    (["29046"], "Lisinopril 10mg PO tab daily", "314076"),          # short forms
    (["7454"], "nitrofurantoin 5 mg/ml oral suspension", "311989"),
    (["56946"], "paclitaxel 100 mg injection", "583214"),
    (["2555"], "cisplatin 50 mg injection", "1736854"),
    (["6809"], "metformin ER 500 mg", "860975"),                      # 24 HR ... Extended Release
    (["3264"], "dexamethasone 0.1% ophthalmic suspension", "309692"),  # % -> 1 MG/ML
    (["10600"], "timolol 0.5% ophthalmic solution", "328742"),      # several products: the SCDC
    (["29046"], "lisinopril 10 mg", "316151"),                       # no form: the SCDC
    (["723", "48203"], "amoxicillin 250 mg / clavulanate 125 mg oral tablet", "562251"),
])
def test_clinical_drug_from_strength_and_form(drugs, ingredients, clause, first):
    codes = drugs.resolve(ingredients, clause)
    assert codes and codes[0].code == first and codes[0].system == RXNORM


def test_brand_gives_the_branded_drug_then_the_clinical_drug(drugs):
    codes = [c.code for c in drugs.resolve(["105694"], "1 ml epoetin alfa 4000 unt/ml injection [epogen]")]
    assert codes == ["205923", "239999"]


def test_brand_and_form_without_matching_strength(drugs):
    # Mirena's strength is written as the total (52 mg); RxNorm gives the release rate
    assert drugs.resolve(["6373"], "mirena 52 mg intrauterine system")[0].code == "807283"


def test_branded_pack(drugs):
    assert drugs.resolve([], "camila 28 day pack")[0].code == "748962"


def test_no_strength_or_conflicting_route_stays_ingredient(drugs):
    assert drugs.resolve(["29046"], "lisinopril daily") == ()
    assert drugs.resolve(["29046"], "") == ()
    # a strength that exists only as an oral product, written as an injection
    for c in drugs.resolve(["6809"], "metformin 500 mg injection"):
        assert "Oral" not in c.display


def test_combination_needs_every_ingredient_named(drugs):
    codes = drugs.resolve(["5487"], "hydrochlorothiazide 25 mg oral tablet")
    assert codes and "/" not in codes[0].display


def test_normalizer_puts_the_clinical_drug_first_and_keeps_the_ingredient(vocab, drugs):
    text = "Meds: lisinopril 10 mg oral tablet daily; metformin 500 mg"
    e = Entity("MEDICATION", 6, 16, "lisinopril")
    m = Entity("MEDICATION", 42, 51, "metformin")
    out = NormalizeStage(vocab)(Document(text=text, entities=(e, m)))
    lis = [c.code for c in out.entities[0].codes]
    assert lis[0] == "314076" and "29046" in lis
    met = [c.code for c in out.entities[1].codes]
    assert met[0] != "314076" and "6809" in met  # the clause stops at the semicolon


# ------------------------------------------------------------------------------ findings
def _refine(vocab, text, spans):
    ents = [Entity(lab, text.index(t), text.index(t) + len(t), t) for lab, t in spans]
    return {(e.label, e.text) for e in FindingRefiner(vocab, tokenize, GENERIC_TERMS)(text, ents)}


def test_widest_full_match_keeps_clinical_modifiers(vocab):
    got = _refine(vocab, "History of acute bronchitis (disorder), viral sinusitis.",
                  [("PROBLEM", "bronchitis"), ("PROBLEM", "disorder"), ("PROBLEM", "sinusitis")])
    assert ("PROBLEM", "acute bronchitis") in got and ("PROBLEM", "viral sinusitis") in got
    assert ("PROBLEM", "disorder") not in got  # a semantic tag is no mention


def test_widened_codes_are_the_specific_concepts(vocab):
    stage = NormalizeStage(vocab)
    assert stage.link("acute bronchitis", "PROBLEM")[0].code == "10509002"
    assert stage.link("viral sinusitis (disorder)", "PROBLEM")[0].code == "444814009"
    assert stage.link("malignant neoplasm of breast", "PROBLEM")[0].code == "254837009"
    assert strip_semantic_tag("Stress (finding)") == "Stress"


def test_sdoh_terms_are_found_whatever_the_backend(vocab):
    got = _refine(vocab, "Social: full-time employment. Lives alone. Reports of violence; victim of intimate partner abuse.",
                  [("SYMPTOM", "violence"), ("PROBLEM", "abuse")])
    assert ("PROBLEM", "full-time employment") in got
    assert ("PROBLEM", "Lives alone") in got
    assert ("PROBLEM", "victim of intimate partner abuse") in got and ("PROBLEM", "abuse") not in got


def test_not_findings_tests_procedures_vaccines(vocab):
    got = _refine(vocab, "Had a cardiac stress test.\n- assessment of anxiety (procedure)\n"
                  "Immunizations: influenza, seasonal, injectable; sars-cov-2 (covid-19) vaccine.",
                  [("SYMPTOM", "anxiety")])
    assert not any(t.lower() in ("stress", "anxiety", "influenza", "covid-19") for _, t in got)


def test_sdoh_condition_category():
    code = Code(SNOMED, "160903007", "Full-time employment")
    assert code.code in SDOH_DOMAINS
    doc = Document(text="Works full-time employment.", entities=(Entity("PROBLEM", 6, 26, "full-time employment",
                                                                           codes=(code,)),))
    res = [r for r in resources_for(doc, patient="Patient/x") if r["resourceType"] == "Condition"][0]
    cats = {c["coding"][0]["code"] for c in res["category"]}
    assert cats == {"sdoh", "health-concern"}
    other = Document(text="Has asthma.", entities=(Entity("PROBLEM", 4, 10, "asthma",
                                                          codes=(Code(SNOMED, "195967001", "Asthma"),)),))
    res = [r for r in resources_for(other, patient="Patient/x") if r["resourceType"] == "Condition"][0]
    assert "sdoh" not in {c["coding"][0]["code"] for c in res["category"]}


# --------------------------------------------------------------------------------- chart
def _write(folder, rtype, rows):
    (folder / f"{rtype}.000.ndjson").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")


def _cc(system, code, display):
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _bulk(tmp_path):
    text = ("Patient has a history of acute bronchitis (disorder), full-time employment (finding).\n"
            "# Medications\nlisinopril 10 mg oral tablet\n# Allergies\nAllergic to peanuts.\n")
    _write(tmp_path, "DocumentReference", [{
        "resourceType": "DocumentReference", "id": "d1", "status": "current", "subject": {"reference": "Patient/p1"},
        "content": [{"attachment": {"contentType": "text/plain", "data": base64.b64encode(text.encode()).decode()}}]}])
    sct, rx = "http://snomed.info/sct", "http://www.nlm.nih.gov/research/umls/rxnorm"
    _write(tmp_path, "Condition", [
        {"resourceType": "Condition", "subject": {"reference": "Patient/p1"}, "code": _cc(sct, "10509002", "Acute bronchitis (disorder)")},
        {"resourceType": "Condition", "subject": {"reference": "Patient/p1"}, "code": _cc(sct, "160903007", "Full-time employment (finding)")},
        {"resourceType": "Condition", "subject": {"reference": "Patient/p1"}, "code": _cc(sct, "44054006", "Diabetes")},
        {"resourceType": "Condition", "subject": {"reference": "Patient/p1"}, "code": _cc(sct, "38341003", "HTN"),
         "verificationStatus": {"coding": [{"code": "refuted"}]}},
    ])
    _write(tmp_path, "MedicationRequest", [
        {"resourceType": "MedicationRequest", "subject": {"reference": "Patient/p1"},
         "medicationCodeableConcept": _cc(rx, "314076", "lisinopril 10 MG Oral Tablet")}])
    _write(tmp_path, "AllergyIntolerance", [
        {"resourceType": "AllergyIntolerance", "patient": {"reference": "Patient/p1"}, "code": _cc(sct, "762952008", "Peanut")},
        {"resourceType": "AllergyIntolerance", "patient": {"reference": "Patient/p1"}, "code": _cc(sct, "716186003", "NKA")}])


def test_chart_codes_leave_out_refuted_and_nka(tmp_path):
    _bulk(tmp_path)
    chart = chart_codes(tmp_path)
    assert set(chart["Condition"]["p1"]) == {(SNOMED, "10509002"), (SNOMED, "160903007"), (SNOMED, "44054006")}
    assert set(chart["allergy"]["p1"]) == {(SNOMED, "762952008")}


def test_score_counts_patient_level_concepts():
    chart = {"Condition": {"p": {(SNOMED, "1"): "A", (SNOMED, "2"): "B"}}, "medication": {}, "allergy": {}}
    extracted = {"Condition": {"p": {((SNOMED, "1"),): "A", ((SNOMED, "9"),): "Z", (("", "text only"),): "x"}},
                 "medication": {}, "allergy": {}}
    s = score_chart(chart, extracted)["Condition"]["all"]
    assert (s.chart, s.matched, s.extracted, s.correct, s.uncoded) == (2, 1, 2, 1, 1)
    assert s.misses == {"B": 1} and s.false_positives == {"Z": 1}
    # a clinical drug with its ingredient after it matches on either coding, and counts once
    res = [{"resourceType": "MedicationStatement", "subject": {"reference": "Patient/p"}, "status": "active",
            "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "314076"}, {"system": RXNORM, "code": "29046"}]}}] * 2
    ex = extracted_concepts(res)
    assert list(ex["medication"]["p"]) == [((RXNORM, "314076"), (RXNORM, "29046"))]


def test_evaluate_chart_end_to_end_with_rules(tmp_path):
    import ehrnlp

    _bulk(tmp_path)
    nlp = ehrnlp.load({"ner": {"backend": "rules"}}, deidentify=False)
    rep = evaluate_chart(tmp_path, nlp, cache=tmp_path / "cache")
    cond, med, allergy = (rep["scores"][k]["all"] for k in ("Condition", "medication", "allergy"))
    assert cond["chart"] == 3 and cond["matched"] == 2 and "Diabetes" in cond["misses"]
    assert med["matched"] == 1 and med["recall"] == 1.0
    assert allergy["matched"] == 1
    again = evaluate_chart(tmp_path, nlp, cache=tmp_path / "cache")  # from the cache
    assert again["scores"] == rep["scores"]


def test_codes_outside_the_vocabularies_are_counted_apart():
    chart = {"Condition": {"p": {(SNOMED, "1"): "A", (SNOMED, "2"): "B"}}, "medication": {}, "allergy": {}}
    extracted: dict = {"Condition": {"p": {((SNOMED, "1"),): "A"}}, "medication": {}, "allergy": {}}
    s = score_chart(chart, extracted, known={(SNOMED, "1")})["Condition"]["all"]
    assert s.outside == 1 and s.outside_misses == {"B": 1}
    assert s.recall == 0.5 and s.reachable_recall == 1.0
