"""FHIR mapping of hand-built Documents (no NER involved).

The mapping reads the typed fields the stages set (family_relation, medication_status,
dosage, allergy_*, Document.nka) and no text: the documents here set those fields by hand.
"""

import dataclasses
import json

import pytest

from ehrnlp import Assertion, Code, Document, Entity
from ehrnlp.config import FhirConfig
from ehrnlp.errors import FhirError
from ehrnlp.fhir import RXNORM, SNOMED, UCUM, bundle_dict, resources_for, to_fhir, write_ndjson
from ehrnlp.fhir.mapping import patient_reference
from ehrnlp.model import Dosage, NkaStatement, Quantity, Timing


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
    sig = t.index("Lisinopril")
    dosage = Dosage(sig, sig + 25, "Lisinopril 10 mg PO daily", dose=Quantity(10, "mg", UCUM, "mg"),
                    timing=Timing(frequency=1, period=1, period_unit="d"), route_text="PO",
                    route_codes=(Code(SNOMED, "26643006", "Oral route"),))
    ents = [
        span(t, "Cough", "SYMPTOM", codes=(Code(SNOMED, "49727002", "Cough", 1.0),)),
        span(t, "chest pain", "SYMPTOM", assertion=Assertion(negated=True)),
        span(t, "breast cancer", "PROBLEM", assertion=Assertion(family=True), family_relation="MTH"),
        span(t, "fever", "SYMPTOM", assertion=Assertion(hypothetical=True)),
        span(t, "penicillin", "ALLERGEN", codes=(Code(RXNORM, "70618", "penicillin", 1.0),),
             attributes=(reaction, severity), allergy_category="medication", allergy_criticality="high",
             allergy_severity="severe"),
        reaction, severity,
        span(t, "Lisinopril", "MEDICATION", codes=(Code(RXNORM, "29046", "lisinopril", 0.97),),
             attributes=(dose, route, freq), medication_status="active", dosage=dosage),
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
    assert fmh["relationship"]["coding"][0] == {"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                                                "code": "MTH", "display": "mother"}
    assert fmh["condition"][0]["code"]["text"] == "breast cancer"
    assert fmh["patient"] == {"reference": "Patient/p1"}


@pytest.mark.parametrize("relation, code", [("MGRMTH", "MGRMTH"), (None, "FAMMEMB"), ("not-a-role", "FAMMEMB")])
def test_family_relation_is_read_from_the_entity(relation, code):
    """The relationship is the entity's family_relation (the note's "Mother" is not read)."""
    doc = make_doc()
    ents = [dataclasses.replace(e, family_relation=relation) if e.text == "breast cancer" else e for e in doc.entities]
    (fmh,) = by_type(resources_for(doc.replace(entities=tuple(ents))), "FamilyMemberHistory")
    assert fmh["relationship"]["coding"][0]["code"] == code


def test_allergy_with_reaction_severity_and_criticality():
    (ai,) = by_type(resources_for(make_doc()), "AllergyIntolerance")
    assert ai["code"]["coding"][0]["code"] == "70618"
    assert ai["category"] == ["medication"]
    assert ai["reaction"][0]["manifestation"][0]["text"] == "anaphylaxis"
    assert ai["reaction"][0]["severity"] == "severe"
    assert ai["criticality"] == "high"
    assert "type" not in ai
    assert ai["patient"] == {"reference": "Patient/p1"}


def test_allergy_qualifiers_are_read_from_the_entity():
    """Category, type, severity and criticality are the entity's fields, whatever its words."""
    doc = make_doc()
    ents = [dataclasses.replace(e, allergy_category="food", allergy_type="intolerance", allergy_criticality=None,
                                allergy_severity="mild") if e.label == "ALLERGEN" else e for e in doc.entities]
    (ai,) = by_type(resources_for(doc.replace(entities=tuple(ents))), "AllergyIntolerance")
    assert ai["category"] == ["food"] and ai["type"] == "intolerance"
    assert ai["reaction"][0]["severity"] == "mild" and "criticality" not in ai
    ents = [dataclasses.replace(e, allergy_category=None, allergy_criticality=None, allergy_severity=None)
            if e.label == "ALLERGEN" else e for e in doc.entities]
    (ai,) = by_type(resources_for(doc.replace(entities=tuple(ents))), "AllergyIntolerance")
    assert "category" not in ai and "criticality" not in ai and "severity" not in ai["reaction"][0]


@pytest.mark.parametrize("phrase, kind, code", [("NKDA", "drug", "409137002"),
                                                ("No Known Allergies", "allergy", "716186003")])
def test_no_known_allergy_codes(phrase, kind, code):
    text = f"HPI: well. Allergies: {phrase}."
    start = text.index(phrase)
    doc = Document(text=text, id="n", allergy_status="none-known", nka=NkaStatement(kind, start, start + len(phrase)))
    (ai,) = by_type(resources_for(doc, patient="Patient/1"), "AllergyIntolerance")
    assert ai["code"]["coding"][0]["code"] == code
    assert ai["code"]["text"] == phrase
    off = ext(ai)["offset"]["valueInteger"]
    assert doc.text[off:off + ext(ai)["length"]["valueInteger"]] == phrase


def test_no_known_allergy_without_a_located_statement():
    """allergy_status "none-known" with no Document.nka (a hand-built document): the NKA code,
    no derivation extension."""
    doc = Document(text="HPI: well. NKDA.", id="n", allergy_status="none-known")
    (ai,) = by_type(resources_for(doc, patient="Patient/1"), "AllergyIntolerance")
    assert ai["code"] == {"coding": [{"system": SNOMED, "code": "716186003", "display": "No known allergy"}],
                          "text": "No known allergy"}
    assert "extension" not in ai


def test_medication_statement_with_dosage():
    (ms,) = by_type(resources_for(make_doc()), "MedicationStatement")
    assert ms["status"] == "active"
    assert ms["medicationCodeableConcept"]["coding"][0]["code"] == "29046"
    dosage = ms["dosage"][0]
    assert dosage == {
        "text": "Lisinopril 10 mg PO daily",
        "route": {"text": "PO", "coding": [{"system": SNOMED, "code": "26643006", "display": "Oral route"}]},
        "doseAndRate": [{"doseQuantity": {"value": 10, "unit": "mg", "system": UCUM, "code": "mg"}}],
        "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
    }
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

        def walk(x, refs=refs):
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


def test_one_coding_per_system_and_a_dosage_with_a_site():
    from ehrnlp.fhir.mapping import codeable_concept

    cc = codeable_concept("Hyzaar", [Code(RXNORM, "979471", "losartan / hydrochlorothiazide"),
                                     Code(RXNORM, "52175", "losartan"), Code(RXNORM, "5487", "hydrochlorothiazide")])
    assert [c["code"] for c in cc["coding"]] == ["979471"]
    t = "timolol 0.5 % 1 drop OU BID prn for 3-5 days"
    ophthalmic = Code("http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration", "OPTHALTA",
                      "Topical application, ophthalmic")
    day = Quantity(3, "day", UCUM, "d")
    dosage = Dosage(0, len(t), t, dose=Quantity(1, "drop", high=2), as_needed=True,
                    timing=Timing(frequency=2, period=1, period_unit="d", when=("MORN",),
                                  bounds_range=(day, Quantity(5, "day", UCUM, "d"))),
                    route_text="ophthalmic", route_codes=(ophthalmic,),
                    site_text="OU", site_codes=(Code(SNOMED, "362508001", "Both eyes, entire"),))
    med = span(t, "timolol", "MEDICATION", attributes=(span(t, "OU", "ROUTE"), span(t, "BID", "FREQUENCY")),
               dosage=dosage)
    doc = Document(text=t, id="eye", entities=(med,) + med.attributes)
    (ms,) = by_type(resources_for(doc, patient="Patient/1"), "MedicationStatement")
    out = ms["dosage"][0]
    assert out["text"] == t
    assert out["site"] == {"text": "OU", "coding": [{"system": SNOMED, "code": "362508001", "display": "Both eyes, entire"}]}
    assert out["route"]["text"] == "ophthalmic" and out["route"]["coding"][0]["code"] == "OPTHALTA"
    assert out["doseAndRate"] == [{"doseQuantity": {"value": 1, "unit": "drop"}}]  # the range's high is not emitted
    assert out["timing"]["repeat"] == {
        "frequency": 2, "period": 1, "periodUnit": "d", "when": ["MORN"],
        "boundsRange": {"low": {"value": 3, "unit": "day", "system": UCUM, "code": "d"},
                        "high": {"value": 5, "unit": "day", "system": UCUM, "code": "d"}}}
    assert out["asNeededBoolean"] is True
    # attributes without a dosage (a document the relations stage did not see): no dosage
    bare = doc.replace(entities=(dataclasses.replace(med, dosage=None),) + med.attributes)
    (ms,) = by_type(resources_for(bare, patient="Patient/1"), "MedicationStatement")
    assert "dosage" not in ms


def test_historical_findings_and_medications():
    t = "PMH: hypertension. h/o MI. Stopped warfarin."
    ents = (
        span(t, "hypertension", "PROBLEM", assertion=Assertion(historical=True), section="pmh"),
        span(t, "MI", "PROBLEM", assertion=Assertion(historical=True), section="hpi"),
        span(t, "warfarin", "MEDICATION", assertion=Assertion(historical=True), medication_status="stopped"),
    )
    res = resources_for(Document(text=t, id="h", entities=ents), patient="Patient/1")
    status = {c["code"]["text"]: c["clinicalStatus"]["coding"][0]["code"] for c in by_type(res, "Condition")}
    assert status == {"hypertension": "active", "MI": "inactive"}
    assert by_type(res, "MedicationStatement")[0]["status"] == "stopped"


def test_resolved_findings_are_clinically_resolved_not_refuted():
    import ehrnlp
    from ehrnlp.assertion import assertion_of

    t = "The rash resolved after two days. Her cough went away. h/o MI."
    a = assertion_of(t, t.index("rash"), t.index("rash") + 4)
    assert a.resolved and a.historical and not a.negated
    ents = (
        span(t, "rash", "SYMPTOM", assertion=a),
        span(t, "cough", "SYMPTOM", assertion=assertion_of(t, t.index("cough"), t.index("cough") + 5)),
        span(t, "MI", "PROBLEM", assertion=Assertion(historical=True), section="hpi"),
    )
    res = resources_for(Document(text=t, id="r", entities=ents), patient="Patient/1")
    got = {c["code"]["text"]: (c["clinicalStatus"]["coding"][0]["code"], c["verificationStatus"]["coding"][0]["code"])
           for c in by_type(res, "Condition")}
    assert got == {"rash": ("resolved", "unconfirmed"), "cough": ("resolved", "unconfirmed"), "MI": ("inactive", "unconfirmed")}
    # the flag round-trips, and is written only when set
    assert ehrnlp.Assertion.from_dict(a.to_dict()).resolved
    assert "resolved" not in Assertion(historical=True).to_dict()


@pytest.mark.parametrize("flags, set_status, status", [
    ({}, "on-hold", "on-hold"),  # the stage's status wins
    ({"historical": True}, "completed", "completed"),
    # without the field (a hand-built document) the flags decide, and no text is read
    ({}, None, "active"),
    ({"negated": True}, None, "not-taken"),
    ({"hypothetical": True}, None, "intended"),
    ({"historical": True}, None, "completed"),
])
def test_medication_status_is_read_from_the_entity(flags, set_status, status):
    text = "Stopped warfarin."
    ents = (span(text, "warfarin", "MEDICATION", assertion=Assertion(**flags), medication_status=set_status),)
    res = resources_for(Document(text=text, id="p", entities=ents), patient="Patient/1")
    assert by_type(res, "MedicationStatement")[0]["status"] == status
