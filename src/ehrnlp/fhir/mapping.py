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

Conventions (ARCHITECTURE.md): system URIs below; text-only CodeableConcept when no code;
``derivation-reference`` extension with the note and the offsets (offset 0 is kept);
``meta.security`` AIAST; deterministic ids (uuid5 of note id + span) so re-runs update
rather than duplicate.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from .._version import __version__
from ..assertion import sentence_bounds
from ..config import FhirConfig
from ..errors import FhirError
from ..model import Document, Entity
from ..terminology import (
    ALLERGY_CLINICAL,
    ALLERGY_VERIFICATION,
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    DATA_ABSENT_REASON,
    DERIVATION_REFERENCE,
    ICD10CM,
    LOINC,
    NO_KNOWN_ALLERGY,
    NO_KNOWN_DRUG_ALLERGY,
    PROVENANCE_PARTICIPANT_TYPE,
    RXNORM,
    SNOMED,
    UCUM,
    UNII,
    US_CORE_CONDITION_CATEGORY,
    US_CORE_DOCUMENTREFERENCE_CATEGORY,
    V3_DATA_OPERATION,
    V3_OBSERVATION_VALUE,
    V3_ROLE_CODE,
    V3_ROUTE,
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

_CLINICAL = CONDITION_CLINICAL
_VERIFICATION = CONDITION_VERIFICATION
_AI_CLINICAL = ALLERGY_CLINICAL
_AI_VERIFICATION = ALLERGY_VERIFICATION
_CATEGORY = {
    "problem-list-item": CONDITION_CATEGORY,
    "encounter-diagnosis": CONDITION_CATEGORY,
    "health-concern": US_CORE_CONDITION_CATEGORY,
}
_ROLE_CODE = V3_ROLE_CODE

_RELATIVES = [
    (r"maternal\s+grand(?:mother|ma)", "MGRMTH", "maternal grandmother"),
    (r"paternal\s+grand(?:mother|ma)", "PGRMTH", "paternal grandmother"),
    (r"maternal\s+grand(?:father|pa)", "MGRFTH", "maternal grandfather"),
    (r"paternal\s+grand(?:father|pa)", "PGRFTH", "paternal grandfather"),
    (r"grand(?:mother|ma)", "GRMTH", "grandmother"),
    (r"grand(?:father|pa)", "GRFTH", "grandfather"),
    (r"maternal\s+aunt", "MAUNT", "maternal aunt"),
    (r"paternal\s+aunt", "PAUNT", "paternal aunt"),
    (r"maternal\s+uncle", "MUNCLE", "maternal uncle"),
    (r"paternal\s+uncle", "PUNCLE", "paternal uncle"),
    (r"mother|mom", "MTH", "mother"),
    (r"father|dad", "FTH", "father"),
    (r"sister", "SIS", "sister"),
    (r"brother", "BRO", "brother"),
    (r"daughter", "DAU", "daughter"),
    (r"son", "SON", "son"),
    (r"aunt", "AUNT", "aunt"),
    (r"uncle", "UNCLE", "uncle"),
    (r"cousin", "COUSN", "cousin"),
    (r"siblings?", "SIB", "sibling"),
    (r"parents?", "PRN", "parent"),
    (r"child(?:ren)?", "CHILD", "child"),
]
_RELATIVE_RE = re.compile(r"\b(" + "|".join(p for p, _, _ in _RELATIVES) + r")\b", re.IGNORECASE)


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
    if not re.fullmatch(r"Patient/[A-Za-z0-9\-.]{1,64}", p):
        raise FhirError("patient must be a FHIR reference like 'Patient/123' or a bare id of [A-Za-z0-9-.]{1,64}")
    return {"reference": p}


def _fhir_date(value: str | None) -> str | None:
    if not value:
        return None
    v = str(value).strip()
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", v):
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
        value = datetime.now(timezone.utc)
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
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
    _starts: list[int] | None = field(default=None, init=False, repr=False)

    @property
    def entity_starts(self) -> list[int]:
        """Sorted start offsets of the document's entities (computed once per note)."""
        if self._starts is None:
            self._starts = sorted(e.start for e in self.doc.entities)
        return self._starts

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
    if a.negated:
        if cfg.negated == "omit":
            return None
        return ("inactive", "refuted")
    verification = "provisional" if a.uncertain else "unconfirmed"
    # "h/o MI" is past; a chronic problem listed under PMH or the problem list is still active
    clinical = "inactive" if a.historical and entity.section not in ("pmh", "problem_list") else "active"
    return (clinical, verification)


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
        "clinicalStatus": {"coding": [_coding(_CLINICAL, clinical)]},
        "verificationStatus": {"coding": [_coding(_VERIFICATION, verification)]},
        "category": [{"coding": [_coding(_CATEGORY[category], category)]}],
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


def _relative(text: str, e: Entity) -> tuple[str, str]:
    lo = max(0, e.start - 80)
    hi = min(len(text), e.end + 40)
    best = None
    for m in _RELATIVE_RE.finditer(text, lo, hi):
        dist = e.start - m.end() if m.end() <= e.start else m.start() - e.end
        if best is None or abs(dist) < best[0]:
            best = (abs(dist), m.group(1))
    if best is not None:
        word = best[1].lower()
        for pattern, code, display in _RELATIVES:
            if re.fullmatch(pattern, word):
                return code, display
    return "FAMMEMB", "family member"


def family_member_history(ctx: FhirContext, e: Entity) -> dict[str, Any] | None:
    if not e.assertion.family or e.assertion.negated or e.assertion.hypothetical:
        return None
    code, display = _relative(ctx.doc.text, e)
    rid = resource_id(ctx.key, "FamilyMemberHistory", e.start, e.end, e.label)
    return {
        "resourceType": "FamilyMemberHistory",
        "id": rid,
        "meta": _meta(),
        "extension": [_derivation(ctx, e.start, e.end)],
        "identifier": _identifier(rid),
        "status": "partial",
        "patient": ctx.subject,
        "relationship": {"coding": [_coding(_ROLE_CODE, code, display)]},
        "condition": [{"code": codeable_concept(e.text, e.codes)}],
    }


_SEVERITY = {
    "mild": "mild", "minor": "mild", "slight": "mild",
    "moderate": "moderate", "mod": "moderate",
    "severe": "severe", "serious": "severe", "life-threatening": "severe", "life threatening": "severe",
}
_HIGH_CRITICALITY = re.compile(r"anaphyla|angioedema|airway|throat\s+(?:closing|swelling)|stevens|sjs|ten\b|toxic\s+epidermal", re.I)


_FOOD = re.compile(r"\b(?:peanuts?|tree\s+nuts?|nuts?|almonds?|walnuts?|cashews?|pecans?|shellfish|shrimp|crab|lobster|fish|"
                   r"eggs?|milk|dairy|lactose|soy|wheat|gluten|sesame|strawberr(?:y|ies)|food)\b", re.I)
_ENVIRONMENT = re.compile(r"\b(?:pollens?|dust|mites?|cats?|dogs?|dander|molds?|grass|ragweed|latex|bees?|wasps?|"
                          r"venom|stings?|hornets?|nickel|adhesive|tape)\b", re.I)


def _allergy_category(e: Entity) -> list[str]:
    systems = {c.system for c in e.codes}
    if RXNORM in systems or UNII in systems:
        return ["medication"]
    if _FOOD.search(e.text):
        return ["food"]
    if _ENVIRONMENT.search(e.text):
        return ["environment"]
    return []


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
        "clinicalStatus": {"coding": [_coding(_AI_CLINICAL, "inactive" if e.assertion.negated else "active")]},
        "verificationStatus": {"coding": [_coding(_AI_VERIFICATION, verification)]},
        "code": codeable_concept(e.text, e.codes),
        "patient": ctx.subject,
    }
    cat = _allergy_category(e)
    if cat:
        res["category"] = cat
    reactions = [a for a in e.attributes if a.label == "REACTION"]
    severities = [a for a in e.attributes if a.label == "SEVERITY"]
    if reactions:
        reaction: dict[str, Any] = {"manifestation": [codeable_concept(r.text, r.codes) for r in reactions]}
        if severities:
            sev = _SEVERITY.get(severities[0].text.strip().lower())
            if sev:
                reaction["severity"] = sev
        res["reaction"] = [reaction]
    if any(_HIGH_CRITICALITY.search(r.text) for r in reactions):
        res["criticality"] = "high"
    d = _fhir_date(ctx.doc.date)
    if d:
        res["recordedDate"] = d
    return res


def no_known_allergy(ctx: FhirContext) -> dict[str, Any] | None:
    from ..relations import find_nka  # the same decision as doc.allergy_status

    m = find_nka(ctx.doc.text)
    coding = NO_KNOWN_DRUG_ALLERGY if m is not None and m.kind == "drug" else NO_KNOWN_ALLERGY
    start, end = (m.start, m.end) if m else (0, 0)
    rid = resource_id(ctx.key, "AllergyIntolerance", "none-known")
    res: dict[str, Any] = {
        "resourceType": "AllergyIntolerance",
        "id": rid,
        "meta": _meta(),
        "identifier": _identifier(rid),
        "clinicalStatus": {"coding": [_coding(_AI_CLINICAL, "active")]},
        "verificationStatus": {"coding": [_coding(_AI_VERIFICATION, "unconfirmed")]},
        "code": {"coding": [dict(coding)], "text": ctx.doc.text[start:end] if m else coding["display"]},
        "patient": ctx.subject,
    }
    if m:
        res["extension"] = [_derivation(ctx, start, end)]
    return res


_SIG_TAIL = re.compile(r"[ \t]*(?:with|before|after|at|for|on|in)\b[^\n.;,]{1,35}")


def _sig_end(doc: Document, end: int, starts: list[int] | None = None) -> int:
    """The sig's instruction after its last attribute is part of the dosage text ("two times
    daily with meals", "once daily before breakfast"): a short phrase opened by a preposition,
    up to the end of the line or clause, that holds no other mention. ``starts``: the sorted
    entity starts (:attr:`FhirContext.entity_starts`), so a note with many drugs stays linear."""
    m = _SIG_TAIL.match(doc.text, end)
    if not m:
        return end
    tail_end = m.end()
    if starts is None:
        starts = sorted(e.start for e in doc.entities)
    i = bisect_left(starts, end)
    if i < len(starts) and starts[i] < tail_end:
        return end
    return len(doc.text[:tail_end].rstrip())


def _dosage(ctx: FhirContext, med: Entity) -> dict[str, Any] | None:
    attrs = list(med.attributes)
    if not attrs:
        return None
    from .. import normalize as _norm  # parse helpers live with the vocabularies

    start = min([med.start] + [a.start for a in attrs])
    end = _sig_end(ctx.doc, max([med.end] + [a.end for a in attrs]), ctx.entity_starts)
    dosage: dict[str, Any] = {"text": ctx.doc.text[start:end]}
    route = med.attribute("ROUTE")
    if route is not None:
        code = getattr(_norm, "route_code", lambda _t: None)(route.text)
        if code is not None and code.system == SNOMED and code.code in _EYE_SITES:
            # OU/OD/OS name the eye (a body site): the route is ophthalmic
            dosage["site"] = codeable_concept(route.text, [code])
            dosage["route"] = {"coding": [dict(_OPHTHALMIC)], "text": "ophthalmic"}
        else:
            dosage["route"] = codeable_concept(route.text, [code] if code is not None else list(route.codes))
    dose = med.attribute("DOSE")
    if dose is not None:
        q = getattr(_norm, "parse_dose", lambda _t: None)(dose.text)
        if q:
            q = {k: v for k, v in q.items() if k in ("value", "unit", "system", "code")}
            if "value" in q:
                dosage["doseAndRate"] = [{"doseQuantity": q}]
    repeat: dict[str, Any] = {}
    as_needed = None
    for lab in ("FREQUENCY", "DURATION"):
        for a in attrs:
            if a.label != lab:
                continue
            t = getattr(_norm, "parse_timing", lambda _t: None)(a.text)
            if t:
                t = dict(t)
                if t.pop("asNeeded", False):
                    as_needed = True
                for k, v in t.items():
                    repeat.setdefault(k, v)
            if lab == "FREQUENCY" and re.search(r"\bprn\b|as\s+needed", a.text, re.I):
                as_needed = True
    if repeat:
        dosage["timing"] = {"repeat": repeat}
    if as_needed:
        dosage["asNeededBoolean"] = True
    return dosage


_EYE_SITES = {"362508001", "362502000", "362503005"}  # both eyes, right eye, left eye structures
_OPHTHALMIC = {
    "system": V3_ROUTE,
    "code": "OPTHALTA",
    "display": "Topical application, ophthalmic",
}


#: words saying a medication was halted (R4 ``stopped``: "halted before all of it occurred"),
#: as opposed to one only no longer taken (``completed``: "was given", "previously on")
_HALTED = re.compile(
    r"\b(?:stop(?:ped|ping)?|discontinu\w*|d/?c'?d|d/c|off|failed|intoleran\w*|"
    r"allerg\w*|switched|changed|replaced|ceased|quit)\b", re.I)
#: temporarily halted (R4 ``on-hold``): "metoprolol was held for bradycardia"
_HELD = re.compile(r"\b(?:held|on\s+hold|holding)\b", re.I)
#: how far (characters, within the sentence) a halting word may be from the drug
_HALT_WINDOW = 60


def _past_status(text: str, e: Entity) -> str:
    """``stopped`` when the sentence says the (historical) drug was halted, ``on-hold`` when it
    was held, else ``completed``.

    R4 ``MedicationStatement.status``: ``completed`` is "no longer being taken" (a past course:
    "was given epinephrine", "previously on lisinopril"); ``stopped`` is "permanently halted
    before all of it occurred" ("lisinopril was discontinued", "stopped warfarin", "failed
    metformin").
    """
    lo, hi = sentence_bounds(text, e.start, e.end)
    before = text[max(lo, e.start - _HALT_WINDOW):e.start]
    after = text[e.end:min(hi, e.end + _HALT_WINDOW)]
    if _HELD.search(before) or _HELD.search(after):
        return "on-hold"
    return "stopped" if _HALTED.search(before) or _HALTED.search(after) else "completed"


def medication_statement(ctx: FhirContext, e: Entity) -> dict[str, Any] | None:
    a = e.assertion
    if a.family:
        return None
    if a.negated and ctx.config.negated == "omit":
        return None
    status = ("not-taken" if a.negated else "intended" if a.hypothetical
              else _past_status(ctx.doc.text, e) if a.historical else "active")
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
    dosage = _dosage(ctx, e)
    if dosage:
        res["dosage"] = [dosage]
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
    if doc.allergy_status == "none-known" and allergens == 0:
        derived.append(no_known_allergy(ctx))
    out.extend(derived)
    dev = device(ctx)
    out.append(dev)
    out.append(provenance(ctx, [out[0]] + derived, dev))
    return out
