"""Document -> FHIR R4 resources (as plain JSON dicts, validated by ``fhir.resources.R4B``).

The mapping table (README and docs/fhir.md):

========== ================================ ===========================================
label      resource                          notes
========== ================================ ===========================================
SYMPTOM    Condition                          category from config; negated -> refuted
PROBLEM    Condition                          family -> FamilyMemberHistory
ALLERGEN   AllergyIntolerance                 reactions, severity, criticality; NKA codes
MEDICATION MedicationStatement               dosage from DOSE/ROUTE/FREQUENCY/DURATION
(note)     DocumentReference                  the text all offsets index (base64)
(run)      Provenance + Device                one per note, agent = ehrnlp + model version
========== ================================ ===========================================

The mapping reads the document's typed fields and serialises them; it reads no note text
(the stages set every qualifier it needs: ``Entity.family_relation``,
``medication_status``, ``dosage``, ``allergy_category``/``allergy_type``/
``allergy_criticality``/``allergy_severity``, ``Document.nka``). It imports only the data
model, config, errors and :mod:`ehrnlp.terminology` (an import-linter contract and
``tests/unit/test_fhir_no_nlp.py`` hold it to that).

Conventions (ARCHITECTURE.md): system URIs from :mod:`ehrnlp.terminology`; text-only
CodeableConcept when no code; ``derivation-reference`` extension with the note and the offsets (offset 0 is kept);
``meta.security`` AIAST; one resource per clinical fact (``FhirConfig.merge_mentions``,
:func:`merge_facts`: same type, concept and statuses, every mention's offsets kept);
deterministic ids (uuid5 of note id + type + concept + statuses; of note id + span per
mention) so re-runs update rather than duplicate.
"""

from __future__ import annotations

import base64
import hashlib
import string
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .._version import __version__
from ..config import FhirConfig
from ..errors import FhirError
from ..model import Assertion, Document, Dosage, Entity, Quantity, Timing
from ..terminology import (
    ALLERGY_CLINICAL,
    ALLERGY_VERIFICATION,
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    DATA_ABSENT_REASON,
    DERIVATION_REFERENCE,
    FAMILY_RELATIONS,
    ICD10CM,
    LOINC,
    NO_KNOWN_ALLERGY,
    NO_KNOWN_DRUG_ALLERGY,
    PROVENANCE_PARTICIPANT_TYPE,
    RXNORM,
    SDOH_DOMAINS,
    SNOMED,
    UCUM,
    UNII,
    US_CORE_CATEGORY,
    US_CORE_CONDITION_CATEGORY,
    US_CORE_DOCUMENTREFERENCE_CATEGORY,
    V3_DATA_OPERATION,
    V3_OBSERVATION_VALUE,
    V3_ROLE_CODE,
)

__all__ = [
    "RXNORM",
    "SNOMED",
    "ICD10CM",
    "UNII",
    "LOINC",
    "UCUM",
    "FhirContext",
    "resources_for",
    "patient_reference",
    "note_key",
    "resource_id",
]

AIAST = {
    "system": V3_OBSERVATION_VALUE,
    "code": "AIAST",
    "display": "Artificial Intelligence asserted",
}
#: system of the deterministic resource identifier; the value is the bare uuid (not a
#: ``urn:uuid:`` string, which servers would rewrite like a Bundle-internal reference)
IDENTIFIER_SYSTEM = "urn:ehrnlp:resource-id"
_NS = uuid.UUID("5b0d8f1e-6a3c-4c8e-9e43-2f4f0f6c1e21")  # ehrnlp's uuid5 namespace

_CATEGORY = {
    "problem-list-item": CONDITION_CATEGORY,
    "encounter-diagnosis": CONDITION_CATEGORY,
    "health-concern": US_CORE_CONDITION_CATEGORY,
}


def note_key(doc: Document) -> str:
    """A stable key for the note: its id, else a hash of its text."""
    if doc.id:
        return str(doc.id)
    return "sha256:" + hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


def resource_id(*parts: Any) -> str:
    """Deterministic resource id: uuid5 of the parts (note key, kind, span...)."""
    return str(uuid.uuid5(_NS, "|".join(str(p) for p in parts)))


def patient_reference(patient: str | None) -> dict[str, Any]:
    """``"Patient/123"`` or ``"123"`` -> a Reference; ``None`` -> a display-only Reference."""
    if patient is None or not str(patient).strip():
        return {"display": "patient not identified"}
    p = str(patient).strip()
    if p.startswith("urn:uuid:") or p.startswith("http://") or p.startswith("https://"):
        return {"reference": p}
    if "/" not in p:
        p = f"Patient/{p}"
    rid = p[len("Patient/"):] if p.startswith("Patient/") else ""
    if not (1 <= len(rid) <= 64 and all(ch in _ID_CHARS for ch in rid)):
        raise FhirError("patient must be a FHIR reference like 'Patient/123' or a bare id of [A-Za-z0-9-.]{1,64}")
    return {"reference": p}


#: the characters of a FHIR id (``[A-Za-z0-9\-.]{1,64}``)
_ID_CHARS = frozenset(string.ascii_letters + string.digits + "-.")


def _partial_date(v: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (digits, not checked as a calendar date)."""
    parts = v.split("-")
    return (1 <= len(parts) <= 3 and len(parts[0]) == 4 and all(len(x) == 2 for x in parts[1:])
            and all(x.isdecimal() for x in parts))


def _fhir_date(value: str | None) -> str | None:
    if not value:
        return None
    v = str(value).strip()
    if _partial_date(v):
        return v
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        return dt.date().isoformat()
    return dt.isoformat()


def _instant(value: datetime | str | None) -> str:
    if value is None:
        value = datetime.now(UTC)
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="seconds")


@dataclass
class FhirContext:
    """What the mapping needs besides the document."""

    doc: Document
    subject: dict[str, Any]
    config: FhirConfig
    reference: Callable[[str, str], str]  # (resourceType, id) -> reference string
    recorded: str
    key: str = ""
    docref_id: str = ""
    resources: list[dict[str, Any]] = field(default_factory=list)

    def ref(self, rtype: str, rid: str) -> dict[str, Any]:
        return {"reference": self.reference(rtype, rid)}

    @property
    def docref(self) -> dict[str, Any]:
        return self.ref("DocumentReference", self.docref_id)


# -- building blocks ------------------------------------------------------------------
def codeable_concept(entity_text: str, codes: Iterable[Any]) -> dict[str, Any]:
    """Text plus the best code of each system: codings of one CodeableConcept must be
    equivalent, so a combination brand's ingredient and brand codes are not all listed."""
    codings = []
    seen = set()
    for c in codes:
        if not c.system or not c.code or c.system in seen:
            continue
        seen.add(c.system)
        coding = {"system": c.system, "code": c.code}
        if c.display:
            coding["display"] = c.display
        codings.append(coding)
    cc: dict[str, Any] = {"text": entity_text}
    if codings:
        cc["coding"] = codings
    return cc


def _derivation(ctx: FhirContext, start: int, end: int) -> dict[str, Any]:
    return {
        "url": DERIVATION_REFERENCE,
        "extension": [
            {"url": "reference", "valueReference": ctx.docref},
            {"url": "offset", "valueInteger": int(start)},
            {"url": "length", "valueInteger": int(end - start)},
        ],
    }


def _meta() -> dict[str, Any]:
    return {"security": [dict(AIAST)]}


def _identifier(rid: str) -> list[dict[str, Any]]:
    return [{"system": IDENTIFIER_SYSTEM, "value": rid}]


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    c = {"system": system, "code": code}
    if display:
        c["display"] = display
    return c


# -- resources -------------------------------------------------------------------------
def document_reference(ctx: FhirContext) -> dict[str, Any]:
    doc = ctx.doc
    if not doc.text:
        # attachment.data "" is invalid FHIR (a base64Binary has content or is absent)
        raise FhirError("the note is empty: there is no text for DocumentReference.content.attachment.data")
    attachment: dict[str, Any] = {
        "contentType": "text/plain; charset=utf-8",
        "data": base64.b64encode(doc.text.encode("utf-8")).decode("ascii"),
        "size": len(doc.text.encode("utf-8")),
        "hash": base64.b64encode(hashlib.sha1(doc.text.encode("utf-8")).digest()).decode("ascii"),
    }
    res: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": ctx.docref_id,
        "identifier": _identifier(ctx.docref_id),
        "status": "current",
        "type": {
            "coding": [_coding(DATA_ABSENT_REASON, "unknown", "Unknown")],
            "text": "clinical note",
        },
        "category": [
            {
                "coding": [
                    _coding(US_CORE_DOCUMENTREFERENCE_CATEGORY, "clinical-note", "Clinical Note")
                ]
            }
        ],
        "subject": ctx.subject,
        "content": [{"attachment": attachment}],
    }
    if doc.id:
        res["identifier"].append({"system": "urn:ehrnlp:note-id", "value": str(doc.id)})
    if doc.deidentified:
        res["securityLabel"] = [
            {"coding": [_coding(V3_OBSERVATION_VALUE, "DEID", "deidentified")]}
        ]
        res["description"] = "De-identified clinical note (ehrnlp)"
    d = _fhir_date(doc.date)
    if d and "T" in d:
        res["date"] = d
    return res


def _condition_status(entity: Entity, cfg: FhirConfig) -> tuple[str, str] | None:
    a = entity.assertion
    if a.family or a.hypothetical:
        return None
    if entity.finding_state == "normal" and cfg.normal_findings == "omit":
        # "afebrile", "lungs clear": a documented normal state is no condition of the patient
        return None
    if a.negated:
        if cfg.negated == "omit":
            return None
        return ("inactive", "refuted")
    verification = "provisional" if a.uncertain else "unconfirmed"
    # "h/o MI" is past; a chronic problem listed under PMH or the problem list is still active
    if a.resolved:
        clinical = "resolved"
    else:
        clinical = "inactive" if a.historical and entity.section not in ("pmh", "problem_list") else "active"
    return (clinical, verification)


def _condition_categories(category: str, e: Entity) -> list[dict[str, Any]]:
    """The configured category; a social determinant (an SDOH code, see
    :data:`ehrnlp.terminology.SDOH_DOMAINS`) is a US Core health concern with category ``sdoh``."""
    if any(c.system == SNOMED and c.code in SDOH_DOMAINS for c in e.codes):
        return [{"coding": [_coding(US_CORE_CONDITION_CATEGORY, "health-concern", "Health Concern")]},
                {"coding": [_coding(US_CORE_CATEGORY, "sdoh", "SDOH")]}]
    return [{"coding": [_coding(_CATEGORY[category], category)]}]


def condition(ctx: FhirContext, e: Entity) -> dict[str, Any] | None:
    status = _condition_status(e, ctx.config)
    if status is None:
        return None
    clinical, verification = status
    rid = resource_id(ctx.key, "Condition", e.start, e.end, e.label)
    category = ctx.config.condition_category
    res: dict[str, Any] = {
        "resourceType": "Condition",
        "id": rid,
        "meta": _meta(),
        "extension": [_derivation(ctx, e.start, e.end)],
        "identifier": _identifier(rid),
        "clinicalStatus": {"coding": [_coding(CONDITION_CLINICAL, clinical)]},
        "verificationStatus": {"coding": [_coding(CONDITION_VERIFICATION, verification)]},
        "category": _condition_categories(category, e),
        "code": codeable_concept(e.text, e.codes),
        "subject": ctx.subject,
        "evidence": [{"detail": [ctx.docref]}],
    }
    d = _fhir_date(ctx.doc.date)
    if d:
        res["recordedDate"] = d
    if e.label == "SYMPTOM":
        res["note"] = [{"text": "sign or symptom extracted from a clinical note"}]
    return res


def family_member_history(ctx: FhirContext, e: Entity) -> dict[str, Any] | None:
    if not e.assertion.family or e.assertion.negated or e.assertion.hypothetical:
        return None
    # the assertion stage names the relative; without it (a hand-built document), "family member"
    code = e.family_relation if e.family_relation in FAMILY_RELATIONS else "FAMMEMB"
    display = FAMILY_RELATIONS[code]
    rid = resource_id(ctx.key, "FamilyMemberHistory", e.start, e.end, e.label)
    return {
        "resourceType": "FamilyMemberHistory",
        "id": rid,
        "meta": _meta(),
        "extension": [_derivation(ctx, e.start, e.end)],
        "identifier": _identifier(rid),
        "status": "partial",
        "patient": ctx.subject,
        "relationship": {"coding": [_coding(V3_ROLE_CODE, code, display)]},
        "condition": [{"code": codeable_concept(e.text, e.codes)}],
    }


def allergy_intolerance(ctx: FhirContext, e: Entity) -> dict[str, Any] | None:
    if e.assertion.hypothetical or e.assertion.family:
        return None
    if e.assertion.negated and ctx.config.negated == "omit":
        return None
    rid = resource_id(ctx.key, "AllergyIntolerance", e.start, e.end, e.label)
    verification = "refuted" if e.assertion.negated else "unconfirmed"
    res: dict[str, Any] = {
        "resourceType": "AllergyIntolerance",
        "id": rid,
        "meta": _meta(),
        "extension": [_derivation(ctx, e.start, e.end)],
        "identifier": _identifier(rid),
        "clinicalStatus": {"coding": [_coding(ALLERGY_CLINICAL, "inactive" if e.assertion.negated else "active")]},
        "verificationStatus": {"coding": [_coding(ALLERGY_VERIFICATION, verification)]},
        "code": codeable_concept(e.text, e.codes),
        "patient": ctx.subject,
    }
    if e.allergy_type:
        res["type"] = e.allergy_type
    if e.allergy_category:
        res["category"] = [e.allergy_category]
    reactions = [a for a in e.attributes if a.label == "REACTION"]
    if reactions:
        reaction: dict[str, Any] = {"manifestation": [codeable_concept(r.text, r.codes) for r in reactions]}
        if e.allergy_severity:
            reaction["severity"] = e.allergy_severity
        res["reaction"] = [reaction]
    if e.allergy_criticality:
        res["criticality"] = e.allergy_criticality
    d = _fhir_date(ctx.doc.date)
    if d:
        res["recordedDate"] = d
    return res


def no_known_allergy(ctx: FhirContext) -> dict[str, Any]:
    m = ctx.doc.nka  # where the note says so (relations stage); None on a hand-built document
    coding = NO_KNOWN_DRUG_ALLERGY if m is not None and m.kind == "drug" else NO_KNOWN_ALLERGY
    start, end = (m.start, m.end) if m else (0, 0)
    rid = resource_id(ctx.key, "AllergyIntolerance", "none-known")
    res: dict[str, Any] = {
        "resourceType": "AllergyIntolerance",
        "id": rid,
        "meta": _meta(),
        "identifier": _identifier(rid),
        "clinicalStatus": {"coding": [_coding(ALLERGY_CLINICAL, "active")]},
        "verificationStatus": {"coding": [_coding(ALLERGY_VERIFICATION, "unconfirmed")]},
        "code": {"coding": [dict(coding)], "text": ctx.doc.text[start:end] if m else coding["display"]},
        "patient": ctx.subject,
    }
    if m:
        res["extension"] = [_derivation(ctx, start, end)]
    return res


def _quantity(q: Quantity) -> dict[str, Any]:
    out: dict[str, Any] = {"value": q.value, "unit": q.unit}
    if q.system:
        out["system"] = q.system
    if q.code:
        out["code"] = q.code
    return out


def _repeat(t: Timing) -> dict[str, Any]:
    """``Timing.repeat`` of a parsed timing."""
    out: dict[str, Any] = {}
    for key, value in (("frequency", t.frequency), ("frequencyMax", t.frequency_max), ("period", t.period),
                       ("periodMax", t.period_max), ("periodUnit", t.period_unit)):
        if value is not None:
            out[key] = value
    if t.when:
        out["when"] = list(t.when)
    if t.count is not None:
        out["count"] = t.count
    if t.bounds_duration is not None:
        out["boundsDuration"] = _quantity(t.bounds_duration)
    if t.bounds_range is not None:
        low, high = t.bounds_range
        out["boundsRange"] = {"low": _quantity(low), "high": _quantity(high)}
    return out


def _dosage(d: Dosage) -> dict[str, Any]:
    dosage: dict[str, Any] = {"text": d.text}
    if d.site_text is not None:
        dosage["site"] = codeable_concept(d.site_text, d.site_codes)
    if d.route_text is not None:
        dosage["route"] = codeable_concept(d.route_text, d.route_codes)
    if d.dose is not None:
        dosage["doseAndRate"] = [{"doseQuantity": _quantity(d.dose)}]
    if d.timing is not None:
        repeat = _repeat(d.timing)
        if repeat:
            dosage["timing"] = {"repeat": repeat}
    if d.as_needed:
        dosage["asNeededBoolean"] = True
    return dosage


def _medication_status(e: Entity) -> str:
    """The status the assertion stage set; on a document without it, from the flags alone."""
    if e.medication_status:
        return e.medication_status
    a: Assertion = e.assertion
    return "not-taken" if a.negated else "intended" if a.hypothetical else "completed" if a.historical else "active"


def medication_statement(ctx: FhirContext, e: Entity) -> dict[str, Any] | None:
    a = e.assertion
    if a.family:
        return None
    if a.negated and ctx.config.negated == "omit":
        return None
    status = _medication_status(e)
    rid = resource_id(ctx.key, "MedicationStatement", e.start, e.end, e.label)
    res: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": rid,
        "meta": _meta(),
        "extension": [_derivation(ctx, e.start, e.end)],
        "identifier": _identifier(rid),
        "status": status,
        "medicationCodeableConcept": codeable_concept(e.text, e.codes),
        "subject": ctx.subject,
        "derivedFrom": [ctx.docref],
    }
    d = _fhir_date(ctx.doc.date)
    if d:
        res["dateAsserted"] = d
    if e.dosage is not None:
        res["dosage"] = [_dosage(e.dosage)]
    return res


def device(ctx: FhirContext) -> dict[str, Any]:
    versions = dict(ctx.doc.provenance) or {"ehrnlp": __version__}
    rid = resource_id("Device", *sorted(f"{k}={v}" for k, v in versions.items()))
    ver = [{"type": {"text": k}, "value": str(v)} for k, v in sorted(versions.items())]
    return {
        "resourceType": "Device",
        "id": rid,
        "identifier": _identifier(rid),
        "deviceName": [{"name": "ehrnlp", "type": "manufacturer-name"}],
        "type": {"text": "clinical natural language processing software"},
        "version": ver,
    }


def provenance(ctx: FhirContext, targets: list[dict[str, Any]], dev: dict[str, Any]) -> dict[str, Any]:
    rid = resource_id(ctx.key, "Provenance")
    return {
        "resourceType": "Provenance",
        "id": rid,
        "target": [ctx.ref(t["resourceType"], t["id"]) for t in targets],
        "recorded": ctx.recorded,
        "activity": {
            "coding": [_coding(V3_DATA_OPERATION, "DERIVE", "derive")]
        },
        "agent": [
            {
                "type": {
                    "coding": [
                        _coding(PROVENANCE_PARTICIPANT_TYPE, "assembler", "Assembler")
                    ]
                },
                "who": {**ctx.ref("Device", dev["id"]), "type": "Device"},
            }
        ],
        "entity": [{"role": "derivation", "what": ctx.docref}],
    }


def resources_for(
    doc: Document,
    *,
    patient: str | None = None,
    config: FhirConfig | None = None,
    reference: Callable[[str, str], str] | None = None,
    recorded: datetime | str | None = None,
) -> list[dict[str, Any]]:
    """All resources for one document, DocumentReference first, Device and Provenance last."""
    cfg = config or FhirConfig()
    ctx = FhirContext(
        doc=doc,
        subject=patient_reference(patient if patient is not None else doc.patient),
        config=cfg,
        reference=reference or (lambda t, i: f"{t}/{i}"),
        recorded=_instant(recorded),
    )
    ctx.key = note_key(doc)
    ctx.docref_id = resource_id(ctx.key, "DocumentReference")
    out: list[dict[str, Any]] = [document_reference(ctx)]
    derived: list[dict[str, Any]] = []
    sources: list[Entity] = []
    allergens = 0
    for e in doc.entities:
        res = None
        if e.label in ("SYMPTOM", "PROBLEM"):
            res = family_member_history(ctx, e) if e.assertion.family else condition(ctx, e)
        elif e.label == "ALLERGEN":
            res = allergy_intolerance(ctx, e)
            allergens += res is not None
        elif e.label == "MEDICATION":
            res = medication_statement(ctx, e)
        if res is not None:
            derived.append(res)
            sources.append(e)
    if cfg.merge_mentions:
        derived = merge_facts(ctx, derived, sources)
    if doc.allergy_status == "none-known" and allergens == 0:
        derived.append(no_known_allergy(ctx))
    out.extend(derived)
    dev = device(ctx)
    out.append(dev)
    out.append(provenance(ctx, [out[0]] + derived, dev))
    return [clean_strings(r) for r in out]


# -- one resource per fact --------------------------------------------------------------
#: the status elements that make two mentions of one concept two facts (what FHIR writes)
_STATUS_ELEMENTS: dict[str, tuple[str, ...]] = {
    "Condition": ("clinicalStatus", "verificationStatus", "category"),
    "AllergyIntolerance": ("clinicalStatus", "verificationStatus"),
    "MedicationStatement": ("status",),
    "FamilyMemberHistory": ("relationship",),
}
_CRITICALITY_RANK = {"high": 2, "low": 1, "unable-to-assess": 0}
_SEVERITY_RANK = {"severe": 2, "moderate": 1, "mild": 0}


def text_key(text: str) -> str:
    """A concept's text as a key: case-folded, whitespace collapsed, a simple English plural of
    the last word folded (``Peanuts`` = ``peanut``, ``allergies`` = ``allergy``, ``glasses`` =
    ``glass``; ``glass``, ``virus``, ``iris`` kept)."""
    words = text.casefold().split()
    if not words:
        return ""
    w = words[-1]
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ches", "shes", "xes", "zes", "sses")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    words[-1] = w
    return " ".join(words)


def _concept(res: dict[str, Any]) -> dict[str, Any]:
    if res["resourceType"] == "MedicationStatement":
        return res["medicationCodeableConcept"]
    if res["resourceType"] == "FamilyMemberHistory":
        return res["condition"][0]["code"]
    return res["code"]


def concept_key(cc: dict[str, Any]) -> str:
    """The primary coding ``system|code`` of a CodeableConcept, else its normalised text."""
    codings = cc.get("coding") or []
    if codings:
        return f"{codings[0]['system']}|{codings[0]['code']}"
    return "text:" + text_key(cc.get("text") or "")


def _status_key(res: dict[str, Any]) -> tuple[str, ...]:
    out = []
    for element in _STATUS_ELEMENTS[res["resourceType"]]:
        value = res.get(element)
        out.append(value if isinstance(value, str) else repr(_codes_of(value)))
    return tuple(out)


def _codes_of(value: Any) -> Any:
    """The codes inside a CodeableConcept (or a list of them), displays left out."""
    if isinstance(value, list):
        return [_codes_of(v) for v in value]
    if isinstance(value, dict):
        return [(c.get("system"), c.get("code")) for c in value.get("coding", [])]
    return value


def _merge_codings(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Add ``other``'s codings of code systems ``into`` lacks (codings stay equivalent: one per system)."""
    have = {c["system"] for c in into.get("coding", [])}
    extra = [c for c in other.get("coding", []) if c["system"] not in have]
    if extra:
        into["coding"] = [*into.get("coding", []), *extra]


def _union_categories(into: dict[str, Any], res: dict[str, Any]) -> None:
    cats = into.get("category", [])
    for c in res.get("category", []):
        if c not in cats:
            cats = [*cats, c]
    if cats:
        into["category"] = cats


def _merge_allergy(into: dict[str, Any], res: dict[str, Any]) -> None:
    _union_categories(into, res)
    crit = res.get("criticality")
    if crit and _CRITICALITY_RANK[crit] > _CRITICALITY_RANK.get(into.get("criticality", ""), -1):
        into["criticality"] = crit
    reactions: list[dict[str, Any]] = into.get("reaction", [])
    for reaction in res.get("reaction", []):
        fresh = []
        for m in reaction["manifestation"]:
            key = concept_key(m)
            earlier = next((r for r in reactions if any(concept_key(x) == key for x in r["manifestation"])), None)
            if earlier is None:
                fresh.append(m)
            elif _SEVERITY_RANK.get(reaction.get("severity", ""), -1) > _SEVERITY_RANK.get(earlier.get("severity", ""), -1):
                earlier["severity"] = reaction["severity"]  # the highest severity the note gives it
        if fresh:
            reactions = [*reactions, {**reaction, "manifestation": fresh}]
    if reactions:
        into["reaction"] = reactions


def _dosage_facts(d: dict[str, Any]) -> set[tuple[str, str]]:
    """What a dosage states besides its text: route and site by code (else text), dose,
    timing, as-needed."""
    out = set()
    for k, v in d.items():
        if k == "text":
            continue
        if k in ("route", "site"):
            out.add((k, repr(_codes_of(v)) if v.get("coding") else "text:" + text_key(v.get("text") or "")))
        else:
            out.add((k, repr(v)))
    return out


def _merge_medication(into: dict[str, Any], res: dict[str, Any]) -> None:
    """Dosages unioned in text order: an identical text once, and a dosage that states nothing
    another one does not (a subset of its route, site, dose, timing) folded into the fuller one."""
    dosages: list[dict[str, Any]] = list(into.get("dosage", []))
    for d in res.get("dosage", []):
        facts = _dosage_facts(d)
        if any(text_key(k["text"]) == text_key(d["text"]) or facts <= _dosage_facts(k) for k in dosages):
            continue
        fuller = [i for i, k in enumerate(dosages) if _dosage_facts(k) < facts]
        if fuller:  # d says all that earlier ones said and more: it takes the first one's place
            dosages[fuller[0]] = d
            dosages = [k for i, k in enumerate(dosages) if i not in fuller[1:]]
        else:
            dosages.append(d)
    if dosages:
        into["dosage"] = dosages


_MERGE: dict[str, Callable[[dict[str, Any], dict[str, Any]], None]] = {
    "AllergyIntolerance": _merge_allergy,
    "MedicationStatement": _merge_medication,
    "Condition": _union_categories,
    "FamilyMemberHistory": lambda into, res: None,
}


def merge_facts(ctx: FhirContext, resources: list[dict[str, Any]], entities: list[Entity]) -> list[dict[str, Any]]:
    """One resource per clinical fact: the per-mention ``resources`` (built from ``entities``,
    in text order) grouped by resource type, concept and FHIR statuses, each group merged into
    its first mention's resource (docs/fhir.md, "One resource per fact").

    A mention coded with a broader concept that appears among the codes of exactly one other
    fact of the same type and statuses joins that fact ("apixaban" with "apixaban 5 mg oral
    tablet"). Ids come from the note, the type, the concept and the statuses, so they do not
    depend on the order or number of mentions."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, res in enumerate(resources):
        key = (res["resourceType"], concept_key(_concept(res)), _status_key(res))
        groups.setdefault(key, []).append(i)
    # the codes each fact carries (every code of every mention), for the broader-concept rule
    carried = {key: {f"{c.system}|{c.code}" for i in idx for c in entities[i].codes if c.system and c.code}
               for key, idx in groups.items()}
    joins: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for key in groups:
        rtype, concept, status = key
        if concept.startswith("text:"):
            continue
        wider = [k for k in groups if k != key and k[0] == rtype and k[2] == status and concept in carried[k]]
        if len(wider) == 1:
            joins[key] = wider[0]
    for key, target in list(joins.items()):
        if target in joins:  # a chain: joins only into a fact that stays
            del joins[key]
    # a fact's base is its own first mention (not a joined broader one): code, text, statuses
    base = {key: idx[0] for key, idx in groups.items()}
    own = {key: set(idx) for key, idx in groups.items()}
    for key, target in joins.items():
        groups[target] = sorted(groups[target] + groups.pop(key))
    merged: list[tuple[int, dict[str, Any]]] = []
    for key, idx in groups.items():
        rtype, concept, status = key
        # the per-mention resources are built for this call alone: merged in place, no copies
        res = resources[base[key]]
        rid = resource_id(ctx.key, rtype, "fact", concept, *status)
        res["id"] = rid
        res["identifier"] = _identifier(rid)
        res["extension"] = [x for i in idx for x in resources[i].get("extension", [])]
        cc = _concept(res)
        for i in idx:
            if i == base[key]:
                continue
            other = resources[i]
            for k, v in other.items():
                if k != "type":
                    res.setdefault(k, v)  # what the first mention lacks, from the first that has it
            if i in own[key]:  # a joined broader mention's codings are not equivalent: not added
                _merge_codings(cc, _concept(other))
            _MERGE[rtype](res, other)
        if rtype == "AllergyIntolerance" and any(resources[i].get("type") != res.get("type") for i in idx):
            # "intolerance" only when every mention calls it one: a mention in an allergy list or
            # "allergic to" contradicts it, and FHIR's type is optional (absent: mechanism unknown)
            res.pop("type", None)
        merged.append((idx[0], res))
    return [res for _, res in sorted(merged, key=lambda x: x[0])]


# control characters a FHIR string may not hold (all below U+0020 but tab, LF, CR; and DEL)
_CONTROL: dict[int, None] = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])


def clean_strings(value: Any) -> Any:
    """``value`` with control characters (NUL etc.; FHIR strings allow only tab, CR and LF
    below U+0020) removed from every string; a string left empty is dropped from its object."""
    if isinstance(value, str):
        return value.translate(_CONTROL) if not value.isprintable() else value
    if isinstance(value, dict):
        cleaned = {k: clean_strings(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if not (isinstance(v, str) and not v and value[k])}
    if isinstance(value, list):
        return [clean_strings(v) for v in value]
    return value
