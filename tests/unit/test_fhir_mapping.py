"""FHIR mapping of hand-built Documents (no NER involved)."""

import json

import pytest

from ehrnlp import Assertion, Code, Document, Entity
from ehrnlp.config import FhirConfig
from ehrnlp.errors import FhirError
from ehrnlp.fhir import RXNORM, SNOMED, bundle_dict, resources_for, to_fhir, write_ndjson
from ehrnlp.fhir.mapping import patient_reference


def span(text, sub, label, occurrence=0, **kw):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(sub, start + 1)
    return Entity(label, start, start + len(sub), sub, **kw)


TEXT = (
    "Cough for 3 days. Denies chest pain. Mother had breast cancer. Return if fever.\n"
    "Allergies: penicillin - anaphylaxis (severe).\n"
    "Lisinopril 10 mg PO daily."
)


def make_doc(**kw):
    t = TEXT
    reaction = span(t, "anaphylaxis", "REACTION")
    severity = span(t, "severe", "SEVERITY")
    dose, route, freq = span(t, "10 mg", "DOSE"), span(t, "PO", "ROUTE"), span(t, "daily", "FREQUENCY")
    ents = [
        span(t, "Cough", "SYMPTOM", codes=(Code(SNOMED, "49727002", "Cough", 1.0),)),
        span(t, "chest pain", "SYMPTOM", assertion=Assertion(negated=True)),
        span(t, "breast cancer", "PROBLEM", assertion=Assertion(family=True)),
        span(t, "fever", "SYMPTOM", assertion=Assertion(hypothetical=True)),
        span(t, "penicillin", "ALLERGEN", codes=(Code(RXNORM, "70618", "penicillin", 1.0),),
             attributes=(reaction, severity)),
        reaction, severity,
        span(t, "Lisinopril", "MEDICATION", codes=(Code(RXNORM, "29046", "lisinopril", 0.97),),
             attributes=(dose, route, freq)),
        dose, route, freq,
    ]
    return Document(text=t, id="note-1", patient="Patient/p1", entities=tuple(ents), allergy_status="listed",
                    date="2025-03-14", provenance={"ehrnlp": "0.1.0", "ner": "rules-1"}, **kw)


def by_type(resources, rtype):
    return [r for r in resources if r["resourceType"] == rtype]


def ext(res):
    (e,) = [x for x in res["extension"] if x["url"].endswith("derivation-reference")]
    return {x["url"]: x for x in e["extension"]}


def test_conditions_statuses_and_offsets():
    res = resources_for(make_doc())
    conds = by_type(res, "Condition")
    assert [c["code"]["text"] for c in conds] == ["Cough", "chest pain"]  # hypothetical omitted, family elsewhere
    cough, chest = conds
    assert cough["code"]["coding"] == [{"system": SNOMED, "code": "49727002", "display": "Cough"}]
    assert ext(cough)["offset"]["valueInteger"] == 0  # offset 0 is kept
    assert ext(cough)["length"]["valueInteger"] == 5
    assert cough["verificationStatus"]["coding"][0]["code"] == "unconfirmed"
    assert chest["verificationStatus"]["coding"][0]["code"] == "refuted"
    assert chest["code"] == {"text": "chest pain"}  # text-only when no code
    assert cough["meta"]["security"][0]["code"] == "AIAST"
    assert cough["category"][0]["coding"][0]["code"] == "problem-list-item"
    assert cough["subject"] == {"reference": "Patient/p1"}
    docref = by_type(res, "DocumentReference")[0]
    assert cough["evidence"][0]["detail"][0]["reference"] == f"DocumentReference/{docref['id']}"


def test_negated_can_be_omitted_and_category_configured():
    res = resources_for(make_doc(), config=FhirConfig(negated="omit", condition_category="encounter-diagnosis"))
    conds = by_type(res, "Condition")
    assert [c["code"]["text"] for c in conds] == ["Cough"]
    assert conds[0]["category"][0]["coding"][0]["code"] == "encounter-diagnosis"


def test_family_history_becomes_family_member_history():
    (fmh,) = by_type(resources_for(make_doc()), "FamilyMemberHistory")
    assert fmh["relationship"]["coding"][0]["code"] == "MTH"
    assert fmh["condition"][0]["code"]["text"] == "breast cancer"
    assert fmh["patient"] == {"reference": "Patient/p1"}


def test_allergy_with_reaction_severity_and_criticality():
    (ai,) = by_type(resources_for(make_doc()), "AllergyIntolerance")
    assert ai["code"]["coding"][0]["code"] == "70618"
    assert ai["category"] == ["medication"]
    assert ai["reaction"][0]["manifestation"][0]["text"] == "anaphylaxis"
    assert ai["reaction"][0]["severity"] == "severe"
    assert ai["criticality"] == "high"
    assert ai["patient"] == {"reference": "Patient/p1"}


@pytest.mark.parametrize("phrase, code", [("Allergies: NKDA", "409137002"), ("No Known Allergies", "716186003")])
def test_no_known_allergy_codes(phrase, code):
    doc = Document(text=f"HPI: well. {phrase}.", id="n", allergy_status="none-known")
    (ai,) = by_type(resources_for(doc, patient="Patient/1"), "AllergyIntolerance")
    assert ai["code"]["coding"][0]["code"] == code
    off = ext(ai)["offset"]["valueInteger"]
    assert doc.text[off:off + ext(ai)["length"]["valueInteger"]] == phrase.replace("Allergies: ", "")


def test_medication_statement_with_dosage():
    (ms,) = by_type(resources_for(make_doc()), "MedicationStatement")
    assert ms["status"] == "active"
    assert ms["medicationCodeableConcept"]["coding"][0]["code"] == "29046"
    dosage = ms["dosage"][0]
    assert dosage["text"] == "Lisinopril 10 mg PO daily"
    assert dosage["route"]["text"] == "PO"
    assert ms["derivedFrom"][0]["reference"].startswith("DocumentReference/")
    assert ms["dateAsserted"] == "2025-03-14"


def test_provenance_targets_everything_and_names_the_device():
    res = resources_for(make_doc())
    (prov,) = by_type(res, "Provenance")
    (dev,) = by_type(res, "Device")
    derived = [r for r in res if r["resourceType"] not in ("Provenance", "Device")]
    assert [t["reference"] for t in prov["target"]] == [f"{r['resourceType']}/{r['id']}" for r in derived]
    assert prov["agent"][0]["who"]["reference"] == f"Device/{dev['id']}"
    assert prov["entity"][0]["role"] == "derivation"
    assert {"type": {"text": "ner"}, "value": "rules-1"} in dev["version"]


def test_ids_are_deterministic_per_note_and_span():
    a = [r["id"] for r in resources_for(make_doc())]
    b = [r["id"] for r in resources_for(make_doc())]
    assert a == b and len(set(a)) == len(a)
    other = [r["id"] for r in resources_for(make_doc().replace(id="note-2"))]
    assert not set(a[:-2]) & set(other)


def test_bundles_parse_back_and_references_resolve():
    doc = make_doc()
    for btype in ("collection", "transaction"):
        bundle = to_fhir(doc, bundle_type=btype, recorded="2025-03-15T10:00:00+00:00")
        data = json.loads(bundle.model_dump_json(exclude_none=True))
        assert data["type"] == btype
        full_urls = {e["fullUrl"] for e in data["entry"]}
        refs = set()

        def walk(x):
            if isinstance(x, dict):
                if isinstance(x.get("reference"), str):
                    refs.add(x["reference"])
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)

        walk(data)
        assert refs - full_urls == {"Patient/p1"}
        if btype == "transaction":
            req = data["entry"][1]["request"]
            assert req["method"] == "POST" and req["ifNoneExist"].startswith("identifier=")


def test_patient_override_and_validation():
    assert patient_reference("123") == {"reference": "Patient/123"}
    assert patient_reference(None) == {"display": "patient not identified"}
    with pytest.raises(FhirError):
        patient_reference("Patient/has spaces")
    bundle = bundle_dict(make_doc(), patient="Patient/other")
    assert bundle["entry"][1]["resource"]["subject"] == {"reference": "Patient/other"}


def test_write_ndjson(tmp_path):
    docs = [make_doc(), make_doc().replace(id="note-2")]
    counts = write_ndjson(docs, tmp_path, recorded="2025-03-15T10:00:00+00:00")
    assert counts["Device"] == 1 and counts["DocumentReference"] == 2 and counts["Provenance"] == 2
    files = sorted(p.name for p in tmp_path.iterdir())
    assert "Condition.ndjson" in files and "MedicationStatement.ndjson" in files
    lines = (tmp_path / "Condition.ndjson").read_text().splitlines()
    assert len(lines) == counts["Condition"] == 4
    first = json.loads(lines[0])
    assert first["evidence"][0]["detail"][0]["reference"].startswith("DocumentReference/")


def test_to_fhir_rejects_non_documents():
    with pytest.raises(FhirError):
        to_fhir({"text": "x"})


def test_one_coding_per_system_and_eye_routes_become_sites():
    from ehrnlp.fhir.mapping import codeable_concept

    cc = codeable_concept("Hyzaar", [Code(RXNORM, "979471", "losartan / hydrochlorothiazide"),
                                     Code(RXNORM, "52175", "losartan"), Code(RXNORM, "5487", "hydrochlorothiazide")])
    assert [c["code"] for c in cc["coding"]] == ["979471"]
    t = "timolol 0.5 % 1 drop OU BID"
    med = span(t, "timolol", "MEDICATION", attributes=(span(t, "OU", "ROUTE"), span(t, "BID", "FREQUENCY")))
    doc = Document(text=t, id="eye", entities=(med,) + med.attributes)
    (ms,) = by_type(resources_for(doc, patient="Patient/1"), "MedicationStatement")
    dosage = ms["dosage"][0]
    assert dosage["site"]["text"] == "OU" and dosage["site"]["coding"][0]["code"] == "362508001"
    assert dosage["route"]["coding"][0]["code"] == "OPTHALTA"
    assert dosage["timing"]["repeat"] == {"frequency": 2, "period": 1, "periodUnit": "d"}


def test_historical_findings_and_medications():
    t = "PMH: hypertension. h/o MI. Stopped warfarin."
    ents = (
        span(t, "hypertension", "PROBLEM", assertion=Assertion(historical=True), section="pmh"),
        span(t, "MI", "PROBLEM", assertion=Assertion(historical=True), section="hpi"),
        span(t, "warfarin", "MEDICATION", assertion=Assertion(historical=True)),
    )
    res = resources_for(Document(text=t, id="h", entities=ents), patient="Patient/1")
    status = {c["code"]["text"]: c["clinicalStatus"]["coding"][0]["code"] for c in by_type(res, "Condition")}
    assert status == {"hypertension": "active", "MI": "inactive"}
    assert by_type(res, "MedicationStatement")[0]["status"] == "stopped"


@pytest.mark.parametrize("text, drug, status", [
    ("Stopped warfarin.", "warfarin", "stopped"),
    ("Lisinopril was discontinued due to cough.", "Lisinopril", "stopped"),
    ("Failed metformin.", "metformin", "stopped"),
    ("She required epinephrine in 2021.", "epinephrine", "completed"),
    ("Previously on metformin, now on insulin.", "metformin", "completed"),
    ("He was treated with ceftriaxone and azithromycin.", "azithromycin", "completed"),
    ("Was on metoprolol, held for bradycardia.", "metoprolol", "on-hold"),
    # a halting word in the next sentence does not reach the drug
    ("He was given ceftriaxone. Aspirin was stopped.", "ceftriaxone", "completed"),
])
def test_past_medication_status_completed_stopped_or_on_hold(text, drug, status):
    ents = (span(text, drug, "MEDICATION", assertion=Assertion(historical=True)),)
    res = resources_for(Document(text=text, id="p", entities=ents), patient="Patient/1")
    assert by_type(res, "MedicationStatement")[0]["status"] == status


def test_dosage_text_keeps_the_sig_instruction_after_the_last_attribute():
    from ehrnlp.fhir.mapping import _sig_end

    text = "Metformin 500 mg by mouth twice daily with meals.\nAlbuterol 2 puffs as needed for wheezing"
    daily = text.index("daily") + len("daily")
    assert text[:_sig_end(Document(text=text), daily)].endswith("twice daily with meals")
    # a mention in the tail (the indication) is its own entity: the dosage text stops before it
    wheeze = text.index("wheezing")
    doc = Document(text=text, entities=(Entity("SYMPTOM", wheeze, wheeze + 8, "wheezing"),))
    needed = text.index("as needed") + len("as needed")
    assert _sig_end(doc, needed) == needed
    # nothing opened by a preposition: unchanged
    assert _sig_end(Document(text="Lisinopril 10 mg PO daily, aspirin"), 25) == 25
