"""The typed objects that flow through ehrnlp: Note in, Document out.

All are frozen dataclasses; stages return new objects with :func:`dataclasses.replace`.
Offsets are Python ``str`` indices. The invariant ``doc.text[e.start:e.end] == e.text``
holds for every entity of every document (checked by :meth:`Document.check`).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError

__all__ = [
    "CLINICAL_LABELS",
    "PHI_LABELS",
    "ALLERGY_CATEGORIES",
    "ALLERGY_TYPES",
    "MEDICATION_STATUSES",
    "Assertion",
    "Code",
    "Cue",
    "Document",
    "Dosage",
    "Entity",
    "KnownPhi",
    "NkaStatement",
    "Note",
    "PhiSpan",
    "Span",
    "SpanGroup",
    "MODEL_SPANS",
    "Quantity",
    "Section",
    "Timing",
]

#: Clinical entity labels (see API.md).
CLINICAL_LABELS: tuple[str, ...] = (
    "SYMPTOM",
    "PROBLEM",
    "MEDICATION",
    "DOSE",
    "ROUTE",
    "FREQUENCY",
    "DURATION",
    "ALLERGEN",
    "REACTION",
    "SEVERITY",
)

#: PHI labels (HIPAA Safe Harbor groups, see API.md).
PHI_LABELS: tuple[str, ...] = (
    "NAME",
    "DATE",
    "AGE",
    "PHONE",
    "FAX",
    "EMAIL",
    "URL",
    "IP",
    "SSN",
    "ID",
    "LOCATION",
)

ALLERGY_STATUSES = ("none-known", "listed")
#: ``Entity.medication_status`` values (FHIR R4 MedicationStatement.status)
MEDICATION_STATUSES = ("active", "completed", "stopped", "on-hold", "not-taken", "intended")
#: ``Entity.allergy_category`` values (FHIR R4 AllergyIntolerance.category)
ALLERGY_CATEGORIES = ("food", "medication", "environment", "biologic")
#: ``Entity.allergy_type`` values (FHIR R4 AllergyIntolerance.type)
ALLERGY_TYPES = ("allergy", "intolerance")


@dataclass(frozen=True)
class Code:
    """A code from a standard system, with the linker's score in 0..1."""

    system: str
    code: str
    display: str = ""
    score: float = 1.0
    #: why this code: the vocabulary term the mention matched ("shortness of breath" for
    #: "SOB") and how (``"exact"``, ``"abbreviation"`` or ``"fuzzy"``); set by the normalize
    #: stage, None on codes made elsewhere. Not compared: two codes are equal by their values.
    term: str | None = field(default=None, compare=False)
    method: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", float(self.score))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"system": self.system, "code": self.code, "display": self.display, "score": self.score}
        if self.term is not None:
            d["term"] = self.term
        if self.method is not None:
            d["method"] = self.method
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Code:
        term, method = d.get("term"), d.get("method")
        return cls(d["system"], d["code"], d.get("display", ""), float(d.get("score", 1.0)),
                   None if term is None else str(term), None if method is None else str(method))


@dataclass(frozen=True)
class Cue:
    """Why an assertion flag is set: the trigger the assertion stage read (``source``
    ``"rule"``: a ConText phrase such as "denies", with its offsets in ``doc.text``) or the
    section the mention sits in (``source`` ``"section"``: the heading, e.g. "Family
    History:"). ``flag`` is one of :attr:`Assertion.FLAGS`."""

    flag: str
    text: str
    start: int
    end: int
    source: str = "rule"

    def to_dict(self) -> dict[str, Any]:
        return {"flag": self.flag, "text": self.text, "start": self.start, "end": self.end, "source": self.source}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Cue:
        return cls(str(d["flag"]), str(d["text"]), int(d["start"]), int(d["end"]), str(d.get("source", "rule")))


@dataclass(frozen=True)
class Assertion:
    """ConText-style assertion flags of a mention. All False means plainly asserted."""

    negated: bool = False
    uncertain: bool = False
    hypothetical: bool = False
    historical: bool = False
    family: bool = False
    #: the finding was present and has gone ("the rash resolved", "resolution of the
    #: effusion"); a resolved mention is also ``historical``. FHIR: Condition
    #: ``clinicalStatus = resolved``.
    resolved: bool = False
    #: the :class:`Cue` behind each set flag (the trigger text and offsets); empty when the
    #: flags were set by hand. Not compared: assertions are equal by their flags.
    cues: tuple[Cue, ...] = field(default=(), compare=False)

    FLAGS = ("negated", "uncertain", "hypothetical", "historical", "family", "resolved")

    def __post_init__(self) -> None:
        object.__setattr__(self, "cues", tuple(self.cues))

    @property
    def is_asserted(self) -> bool:
        """True when no flag is set (present, certain, about the patient, now)."""
        return not any(getattr(self, f) for f in self.FLAGS)

    def cue(self, flag: str) -> Cue | None:
        """The first cue behind ``flag`` (``"negated"``...), or None."""
        return next((c for c in self.cues if c.flag == flag), None)

    def to_dict(self) -> dict[str, Any]:
        # ``resolved`` (added in 0.6) is written only when set: older readers see the same keys
        d: dict[str, Any] = {f: bool(getattr(self, f)) for f in self.FLAGS if f != "resolved" or self.resolved}
        if self.cues:
            d["cues"] = [c.to_dict() for c in self.cues]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> Assertion:
        d = d or {}
        return cls(**{f: bool(d.get(f, False)) for f in cls.FLAGS},
                   cues=tuple(Cue.from_dict(c) for c in d.get("cues") or ()))


@dataclass(frozen=True)
class Section:
    """A section of the note (``name`` is canonical, e.g. ``"allergies"``)."""

    name: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Section:
        return cls(d["name"], int(d["start"]), int(d["end"]))


@dataclass(frozen=True)
class PhiSpan:
    """A PHI span: ``start/end`` index ``doc.text``, ``orig_start/orig_end`` the input text."""

    label: str
    start: int
    end: int
    orig_start: int
    orig_end: int
    replacement: str
    score: float = 1.0
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PhiSpan:
        return cls(
            d["label"], int(d["start"]), int(d["end"]), int(d["orig_start"]), int(d["orig_end"]),
            d["replacement"], float(d.get("score", 1.0)), d.get("source", ""),
        )


def _num(v: Any) -> float:
    """A JSON number kept as it was parsed (``2`` stays an int, FHIR writes ``2`` not ``2.0``)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("expected a number")
    return v


@dataclass(frozen=True)
class Quantity:
    """A parsed amount: ``value`` and ``unit``, with the UCUM ``system``/``code`` where UCUM
    has the unit (``mg``, ``mL``); count units ("tablet", "puff") have no system. ``high``
    is the upper end of a range ("1-2 tablets": value 1, high 2)."""

    value: float
    unit: str
    system: str | None = None
    code: str | None = None
    high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"value": self.value, "unit": self.unit}
        for k in ("system", "code", "high"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Quantity:
        high = d.get("high")
        return cls(_num(d["value"]), str(d["unit"]), d.get("system"), d.get("code"),
                   None if high is None else _num(high))


@dataclass(frozen=True)
class Timing:
    """When a medication is taken, parsed from its FREQUENCY and DURATION mentions (the
    fields of FHIR ``Timing.repeat``, in snake case): ``frequency`` times per ``period``
    ``period_unit`` (UCUM ``h``, ``d``, ``wk``...), ``when`` event codes (``HS``, ``MORN``,
    ``AC``...), ``count`` doses in all, ``bounds_duration`` or ``bounds_range`` (low, high)
    for how long."""

    frequency: float | None = None
    frequency_max: float | None = None
    period: float | None = None
    period_max: float | None = None
    period_unit: str | None = None
    when: tuple[str, ...] = ()
    count: float | None = None
    bounds_duration: Quantity | None = None
    bounds_range: tuple[Quantity, Quantity] | None = None

    _NUMBERS = ("frequency", "frequency_max", "period", "period_max", "count")

    def __post_init__(self) -> None:
        object.__setattr__(self, "when", tuple(self.when))
        if self.bounds_range is not None:
            object.__setattr__(self, "bounds_range", tuple(self.bounds_range))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        for k in ("frequency", "frequency_max", "period", "period_max", "period_unit"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        if self.when:
            d["when"] = list(self.when)
        if self.count is not None:
            d["count"] = self.count
        if self.bounds_duration is not None:
            d["bounds_duration"] = self.bounds_duration.to_dict()
        if self.bounds_range is not None:
            d["bounds_range"] = [q.to_dict() for q in self.bounds_range]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Timing:
        nums = {k: _num(d[k]) for k in cls._NUMBERS if d.get(k) is not None}
        unit = d.get("period_unit")
        bd = d.get("bounds_duration")
        br = d.get("bounds_range")
        low_high = None
        if br is not None:
            low, high = br
            low_high = (Quantity.from_dict(low), Quantity.from_dict(high))
        return cls(**nums, period_unit=None if unit is None else str(unit), when=tuple(str(w) for w in d.get("when", ())),
                   bounds_duration=None if bd is None else Quantity.from_dict(bd), bounds_range=low_high)


@dataclass(frozen=True)
class Dosage:
    """A medication's sig, parsed (set by the relations stage on MEDICATION entities).

    ``text`` is the sig as written, ``doc.text[start:end]``: from the drug to its last linked
    attribute, plus a short instruction after it ("twice daily with meals"). ``dose`` comes
    from the DOSE attribute, ``timing`` and ``as_needed`` (PRN) from the FREQUENCY and
    DURATION attributes, ``route_text``/``route_codes`` from the ROUTE attribute. An eye
    written as the route (OU/OD/OS, "left eye") is the ``site`` and the route is ophthalmic.
    """

    start: int
    end: int
    text: str
    dose: Quantity | None = None
    timing: Timing | None = None
    as_needed: bool = False
    route_text: str | None = None
    route_codes: tuple[Code, ...] = ()
    site_text: str | None = None
    site_codes: tuple[Code, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "route_codes", tuple(self.route_codes))
        object.__setattr__(self, "site_codes", tuple(self.site_codes))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if self.dose is not None:
            d["dose"] = self.dose.to_dict()
        if self.timing is not None:
            d["timing"] = self.timing.to_dict()
        if self.as_needed:
            d["as_needed"] = True
        if self.route_text is not None:
            d["route_text"] = self.route_text
        if self.route_codes:
            d["route_codes"] = [c.to_dict() for c in self.route_codes]
        if self.site_text is not None:
            d["site_text"] = self.site_text
        if self.site_codes:
            d["site_codes"] = [c.to_dict() for c in self.site_codes]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Dosage:
        dose, timing = d.get("dose"), d.get("timing")
        return cls(
            start=int(d["start"]),
            end=int(d["end"]),
            text=d["text"],
            dose=None if dose is None else Quantity.from_dict(dose),
            timing=None if timing is None else Timing.from_dict(timing),
            as_needed=bool(d.get("as_needed", False)),
            route_text=d.get("route_text"),
            route_codes=tuple(Code.from_dict(c) for c in d.get("route_codes", ())),
            site_text=d.get("site_text"),
            site_codes=tuple(Code.from_dict(c) for c in d.get("site_codes", ())),
        )


@dataclass(frozen=True)
class NkaStatement:
    """Where a note says it has no known allergies (``Document.nka``, set by the relations
    stage). ``kind`` is ``"drug"`` (NKDA: SNOMED CT 409137002 No known drug allergy) or
    ``"allergy"`` (NKA: 716186003 No known allergy); ``start``/``end`` index ``doc.text``."""

    kind: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> NkaStatement:
        return cls(str(d["kind"]), int(d["start"]), int(d["end"]))


@dataclass(frozen=True)
class Span:
    """A labelled span of ``doc.text`` that a component produced before filtering (for
    instance the transformer's raw output). ``confidence`` is the component's own score."""

    label: str
    start: int
    end: int
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "start": self.start, "end": self.end, "confidence": self.confidence}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Span:
        return cls(d["label"], int(d["start"]), int(d["end"]), float(d.get("confidence", 1.0)))


@dataclass(frozen=True)
class SpanGroup:
    """Spans one component put into :attr:`Document.spans`, with what produced them
    (``source``: for the model, its name, version, precision and weights digest), so a
    later stage uses them only if they come from the component it expects."""

    source: str
    spans: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "spans", tuple(self.spans))

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "spans": [sp.to_dict() for sp in self.spans]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SpanGroup:
        return cls(str(d["source"]), tuple(Span.from_dict(x) for x in d.get("spans", ())))


#: ``doc.spans[MODEL_SPANS]``: the clinical spans of the transformer's forward pass, written
#: by the stage that ran it (``deid`` runs it once on the original text and moves the spans
#: onto the de-identified text; ``ner`` runs it when no stage did) and read by ``ner``; beside
#: them the model's NAME / LOCATION readings of words left in the text (offsets only: ``ner``
#: takes a vocabulary drug the model read as a name in a short text for the drug).
MODEL_SPANS = "model"


def model_identity(model: Any) -> str:
    """The ``SpanGroup.source`` for spans a model object produced: its ``identity``
    attribute (name, version, precision, weights digest) or, failing that, its type."""
    return str(getattr(model, "identity", None) or type(model).__name__)


@dataclass(frozen=True)
class Entity:
    """A clinical mention; ``text`` is always ``doc.text[start:end]``.

    Beyond the API contract's fields, the stages set typed qualifiers that the FHIR layer
    serialises (it reads no text); each is None (or unset) when it does not apply:

    * ``family_relation`` (assertion stage, family-flagged mentions): the HL7 v3 RoleCode of
      the relative the sentence names (``"MTH"``, ``"MGRMTH"``...), ``"FAMMEMB"`` when none;
    * ``medication_status`` (assertion stage, MEDICATION; relations when it relabels one):
      the FHIR MedicationStatement status the text supports, one of ``MEDICATION_STATUSES``;
    * ``dosage`` (relations stage, MEDICATION with sig attributes): the parsed :class:`Dosage`;
    * ``allergy_category`` (relations stage, refined by normalize from the codes; ALLERGEN):
      ``"medication"``, ``"food"`` or ``"environment"``;
    * ``allergy_type`` (relations stage, ALLERGEN): ``"intolerance"`` when the note calls it
      one ("lactose intolerance", "intolerant of codeine");
    * ``allergy_criticality`` (relations stage, ALLERGEN): ``"high"`` when a linked reaction
      is life-threatening (anaphylaxis, angioedema, airway swelling, SJS/TEN);
    * ``allergy_severity`` (relations stage, ALLERGEN): ``"mild"``, ``"moderate"`` or
      ``"severe"``, from its first linked SEVERITY;
    * ``finding_state`` (assertion stage, SYMPTOM/PROBLEM): ``"normal"`` when the finding's own
      words state a normal state ("afebrile", "lungs clear", "vision stable"): a documented
      normal exam or course, not a condition (the FHIR mapping writes no Condition for it by
      default, ``FhirConfig.normal_findings``).
    """

    label: str
    start: int
    end: int
    text: str
    confidence: float = 1.0
    assertion: Assertion = field(default_factory=Assertion)
    section: str | None = None
    codes: tuple[Code, ...] = ()
    attributes: tuple[Entity, ...] = ()
    source: str = ""
    family_relation: str | None = None
    medication_status: str | None = None
    dosage: Dosage | None = None
    allergy_category: str | None = None
    allergy_type: str | None = None
    allergy_criticality: str | None = None
    allergy_severity: str | None = None
    finding_state: str | None = None

    #: the qualifiers above that are plain strings (serialised only when set)
    QUALIFIERS = ("family_relation", "medication_status", "allergy_category", "allergy_type",
                  "allergy_criticality", "allergy_severity", "finding_state")

    def __post_init__(self) -> None:
        object.__setattr__(self, "confidence", float(self.confidence))
        object.__setattr__(self, "codes", tuple(self.codes))
        object.__setattr__(self, "attributes", tuple(self.attributes))

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def attribute(self, label: str) -> Entity | None:
        """The first linked attribute entity with ``label`` (e.g. ``"DOSE"``), or None."""
        for a in self.attributes:
            if a.label == label:
                return a
        return None

    def to_dict(self, *, nested: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "confidence": self.confidence,
            "assertion": self.assertion.to_dict(),
            "section": self.section,
            "codes": [c.to_dict() for c in self.codes],
            "source": self.source,
        }
        if nested:
            d["attributes"] = [a.to_dict(nested=False) for a in self.attributes]
        # the stages' qualifiers: only when set, so documents without them serialise as before
        for q in self.QUALIFIERS:
            if getattr(self, q) is not None:
                d[q] = getattr(self, q)
        if self.dosage is not None:
            d["dosage"] = self.dosage.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Entity:
        return cls(
            label=d["label"],
            start=int(d["start"]),
            end=int(d["end"]),
            text=d["text"],
            confidence=float(d.get("confidence", 1.0)),
            assertion=Assertion.from_dict(d.get("assertion")),
            section=d.get("section"),
            codes=tuple(Code.from_dict(c) for c in d.get("codes", ())),
            attributes=tuple(Entity.from_dict(a) for a in d.get("attributes", ())),
            source=d.get("source", ""),
            dosage=Dosage.from_dict(d["dosage"]) if d.get("dosage") is not None else None,
            **{q: str(d[q]) for q in cls.QUALIFIERS if d.get(q) is not None},
        )


def _strs(values: Any) -> tuple[str, ...]:
    """Non-blank strings of ``values`` (a str or an iterable of them), stripped, in order, once each."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = (values,)
    out: list[str] = []
    for v in values:
        if v is None:
            continue
        v = str(v).strip()
        if v and v not in out:
            out.append(v)
    return tuple(out)


def _resource_dict(resource: Any) -> dict[str, Any]:
    if isinstance(resource, Mapping):
        return dict(resource)
    dump = getattr(resource, "model_dump_json", None)
    if callable(dump):
        import json

        data: dict[str, Any] = json.loads(dump(exclude_none=True))
        return data
    raise InputError(f"expected a FHIR Patient as a dict or a fhir.resources model, got {type(resource).__name__}")


@dataclass(frozen=True, repr=False)
class KnownPhi:
    """PHI of a note's own patient, known beforehand (from the FHIR Patient resource), that
    the ``deid`` stage removes exactly, whatever its detectors think. See docs/deid.md.

    ``names`` are full names, ``"Given Middle Family"`` (the last word is the family name)
    or ``"Family, Given Middle"``; ``addresses`` are address lines, cities and postal codes;
    ``telecom`` phone numbers and e-mail addresses; ``birth_date`` ISO ``YYYY-MM-DD``.
    Never serialised: it is not part of :meth:`Document.to_dict`, FHIR output or any
    message, and its ``repr`` shows only counts.
    """

    names: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    birth_date: str | None = None
    addresses: tuple[str, ...] = ()
    telecom: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for f in ("names", "identifiers", "addresses", "telecom"):
            object.__setattr__(self, f, _strs(getattr(self, f)))
        bd = self.birth_date
        object.__setattr__(self, "birth_date", str(bd).strip()[:10] or None if bd else None)

    def __repr__(self) -> str:  # never the values: a repr ends up in logs and tracebacks
        return (f"KnownPhi(names={len(self.names)}, identifiers={len(self.identifiers)}, "
                f"birth_date={'set' if self.birth_date else None}, addresses={len(self.addresses)}, "
                f"telecom={len(self.telecom)})")

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self.names or self.identifiers or self.birth_date or self.addresses or self.telecom)

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> KnownPhi:
        """From ``{"names": [...], "identifiers": [...], "birth_date": ..., "addresses": [...],
        "telecom": [...]}`` (every key optional; a single string is accepted for a list)."""
        if not isinstance(d, Mapping):
            raise InputError(f"known_phi must be a KnownPhi or a mapping, got {type(d).__name__}")
        unknown = sorted(set(d) - {"names", "identifiers", "birth_date", "addresses", "telecom"})
        if unknown:
            raise InputError(f"known_phi has unknown keys {unknown}; expected names, identifiers, birth_date, addresses, telecom")
        bd = d.get("birth_date")
        return cls(names=_strs(d.get("names")), identifiers=_strs(d.get("identifiers")),
                   birth_date=None if bd is None else str(bd),
                   addresses=_strs(d.get("addresses")), telecom=_strs(d.get("telecom")))

    @classmethod
    def from_patient(cls, resource: Any) -> KnownPhi:
        """From a FHIR R4 Patient (dict or ``fhir.resources`` model): ``name[]`` (given, family,
        prefix, suffix, text), ``identifier[].value``, ``birthDate``, ``address[]`` (line, city,
        postalCode; the state alone is not PHI under Safe Harbor), ``telecom[].value``."""
        res = _resource_dict(resource)
        if res.get("resourceType", "Patient") != "Patient":
            raise InputError(f"expected a Patient resource, got resourceType {res.get('resourceType')!r}")
        names: list[str] = []
        for n in res.get("name") or ():
            if not isinstance(n, Mapping):
                continue
            given = [g for g in _strs(n.get("given"))]
            family = _strs(n.get("family"))
            if given or family:
                names.append(" ".join([*given, *family]))
            if family:
                for pre in _strs(n.get("prefix")):
                    names.append(f"{pre} {family[0]}")  # "Mrs. Medhurst46" as one span
                for suf in _strs(n.get("suffix")):
                    names.append(" ".join([*given, family[0], suf]))
            names.extend(_strs(n.get("text")))
        idents = [i.get("value") for i in res.get("identifier") or () if isinstance(i, Mapping)]
        addresses: list[str] = []
        for a in res.get("address") or ():
            if not isinstance(a, Mapping):
                continue
            addresses.extend(_strs(a.get("line")))
            addresses.extend(_strs(a.get("city")))
            addresses.extend(_strs(a.get("district")))
            addresses.extend(_strs(a.get("postalCode")))
        telecom = [t.get("value") for t in res.get("telecom") or () if isinstance(t, Mapping)]
        bd = res.get("birthDate")
        return cls(names=_strs(names), identifiers=_strs(idents), birth_date=bd if isinstance(bd, str) else None,
                   addresses=_strs(addresses), telecom=_strs(telecom))

    def merged(self, other: KnownPhi | None) -> KnownPhi:
        if not other:
            return self
        return KnownPhi(names=self.names + other.names, identifiers=self.identifiers + other.identifiers,
                        birth_date=self.birth_date or other.birth_date, addresses=self.addresses + other.addresses,
                        telecom=self.telecom + other.telecom)


def _as_known_phi(value: Any) -> KnownPhi | None:
    if value is None or isinstance(value, KnownPhi):
        return value or None
    return KnownPhi.from_mapping(value) or None


@dataclass(frozen=True)
class Note:
    """One clinical note to process.

    ``patient`` is a FHIR reference (``"Patient/123"``) or a bare id, or the patient's FHIR
    Patient resource (dict or ``fhir.resources`` object): then the reference becomes
    ``"Patient/<id>"`` and the resource's names, identifiers, birth date, address and
    telecom become ``known_phi``. ``known_phi`` (a :class:`KnownPhi` or a mapping) is removed
    exactly by the ``deid`` stage and never serialised. ``date`` is the note's ISO date if
    known; ``metadata`` is carried through untouched.
    """

    text: str
    id: str | None = None
    patient: str | None = None
    date: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    known_phi: KnownPhi | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise InputError(
                f"Note.text must be str, got {type(self.text).__name__}; decode bytes first "
                "(for example data.decode('utf-8'))"
            )
        if self.id is not None and not isinstance(self.id, str):
            object.__setattr__(self, "id", str(self.id))
        known = _as_known_phi(self.known_phi)
        if self.patient is not None and not isinstance(self.patient, str):
            res = _resource_dict(self.patient)
            pid = res.get("id")
            object.__setattr__(self, "patient", f"Patient/{pid}" if isinstance(pid, str) and pid else None)
            known = (KnownPhi.from_patient(res).merged(known)) or None
        object.__setattr__(self, "known_phi", known)


@dataclass(frozen=True)
class Document:
    """The result of running a note through the pipeline. See API.md."""

    text: str
    id: str | None = None
    patient: str | None = None
    date: str | None = None
    source_text: str | None = None
    phi: tuple[PhiSpan, ...] = ()
    entities: tuple[Entity, ...] = ()
    sections: tuple[Section, ...] = ()
    allergy_status: str | None = None
    deidentified: bool = False
    metadata: Mapping[str, Any] = field(default_factory=dict)
    #: Which stage produced what (name -> version), filled by the pipeline.
    provenance: Mapping[str, str] = field(default_factory=dict)
    #: Named groups of intermediate spans that stages hand to later stages (the Document
    #: is the only channel between stages), e.g. ``spans[MODEL_SPANS]``: the model output.
    spans: Mapping[str, SpanGroup] = field(default_factory=dict)
    #: Where the note says "no known allergies" (set by the relations stage), else None.
    nka: NkaStatement | None = None
    #: The note's :class:`KnownPhi`, carried from the Note to the ``deid`` stage, which
    #: clears it (the pipeline clears it too when ``deid`` is off). Never serialised.
    known_phi: KnownPhi | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "phi", tuple(self.phi))
        object.__setattr__(self, "entities", tuple(sorted(self.entities, key=lambda e: (e.start, e.end, e.label))))
        object.__setattr__(self, "sections", tuple(self.sections))

    # -- construction ---------------------------------------------------------------
    @classmethod
    def from_note(cls, note: Note) -> Document:
        return cls(
            text=note.text,
            id=note.id,
            patient=note.patient,
            date=note.date,
            source_text=note.text,
            metadata=dict(note.metadata),
            known_phi=note.known_phi,
        )

    def replace(self, **changes: Any) -> Document:
        """A copy with ``changes`` applied (documents are immutable)."""
        return dataclasses.replace(self, **changes)

    # -- queries --------------------------------------------------------------------
    def entities_of(self, *labels: str) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.label in labels)

    def section_at(self, offset: int) -> Section | None:
        """The section containing ``offset`` (the first in ``sections`` order if they overlap);
        a binary search when the sections are sorted and disjoint, as the sections stage
        makes them (the index is built on first use; cost stays linear in note length)."""
        index: list[int] | None = self.__dict__.get("_section_index")
        if index is None:
            secs = self.sections
            disjoint = all(a.end <= b.start for a, b in zip(secs, secs[1:]))
            index = [s.start for s in secs] if disjoint else []
            object.__setattr__(self, "_section_index", index)  # a cache, not a field
        if not index:  # overlapping or unsorted sections (or none): the first that contains it
            for s in self.sections:
                if s.start <= offset < s.end:
                    return s
            return None
        i = bisect_right(index, offset) - 1
        if i >= 0 and offset < self.sections[i].end:
            return self.sections[i]
        return None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``doc.text`` to offsets of the input text.

        Outside PHI replacements offsets shift by the length changes before them; a
        boundary that falls inside a replacement widens to the whole original PHI span.
        Without de-identification this is the identity.
        """
        if not (0 <= start <= end <= len(self.text)):
            raise IndexError(f"span ({start}, {end}) outside the document text of length {len(self.text)}")
        return (self._map_offset(start, is_end=False), self._map_offset(end, is_end=True))

    def _map_offset(self, pos: int, *, is_end: bool) -> int:
        delta = 0
        for p in sorted(self.phi, key=lambda p: p.start):
            if pos <= p.start:
                break
            if pos >= p.end:
                delta = p.orig_end - p.end
                continue
            return p.orig_end if is_end else p.orig_start  # inside a replacement
        return pos + delta

    def check(self) -> None:
        """Raise ``ValueError`` if an offset invariant is broken (no text in the message)."""
        n = len(self.text)
        for i, e in enumerate(self.entities):
            if not (0 <= e.start < e.end <= n) or self.text[e.start:e.end] != e.text:
                raise ValueError(f"entity #{i} ({e.label}, {e.start}-{e.end}) does not match doc.text")
            for a in e.attributes:
                if not (0 <= a.start < a.end <= n) or self.text[a.start:a.end] != a.text:
                    raise ValueError(f"attribute {a.label} {a.start}-{a.end} of entity #{i} does not match doc.text")
            for c in e.assertion.cues:
                if not (0 <= c.start <= c.end <= n):
                    raise ValueError(f"cue of {c.flag} {c.start}-{c.end} of entity #{i} outside the text")
            g = e.dosage
            if g is not None and (not (0 <= g.start < g.end <= n) or self.text[g.start:g.end] != g.text):
                raise ValueError(f"dosage {g.start}-{g.end} of entity #{i} does not match doc.text")
        if self.nka is not None and not (0 <= self.nka.start <= self.nka.end <= n):
            raise ValueError(f"no-known-allergy statement {self.nka.start}-{self.nka.end} outside the text")
        for p in self.phi:
            if not (0 <= p.start <= p.end <= n) or self.text[p.start:p.end] != p.replacement:
                raise ValueError(f"PHI span {p.label} {p.start}-{p.end} does not match its replacement")
        for s in self.sections:
            if not (0 <= s.start <= s.end <= n):
                raise ValueError(f"section {s.name} {s.start}-{s.end} outside the text")
        for name, group in self.spans.items():
            for sp in group.spans:
                if not (0 <= sp.start <= sp.end <= n):
                    raise ValueError(f"span {sp.label} {sp.start}-{sp.end} of group '{name}' outside the text")

    # -- views ------------------------------------------------------------------------
    def to_html(self, *, title: str | None = None) -> str:
        """A self-contained HTML page showing the note with its entities, assertion flags and
        their cues, PHI masks, links and codes (see :func:`ehrnlp.html.render`)."""
        from .html import render

        return render(self, title=title)

    def _repr_html_(self) -> str:
        """Jupyter's rich display: the HTML view as a fragment."""
        from .html import render

        return render(self, full_page=False)

    # -- serialisation ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "patient": self.patient,
            "date": self.date,
            "text": self.text,
            "source_text": self.source_text,
            "deidentified": self.deidentified,
            "phi": [p.to_dict() for p in self.phi],
            "entities": [e.to_dict() for e in self.entities],
            "sections": [s.to_dict() for s in self.sections],
            "allergy_status": self.allergy_status,
            "metadata": dict(self.metadata),
            "provenance": dict(self.provenance),
            **({"spans": {name: g.to_dict() for name, g in self.spans.items()}} if self.spans else {}),
            **({"nka": self.nka.to_dict()} if self.nka is not None else {}),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Document:
        try:
            return cls(
                text=d["text"],
                id=d.get("id"),
                patient=d.get("patient"),
                date=d.get("date"),
                source_text=d.get("source_text"),
                deidentified=bool(d.get("deidentified", False)),
                phi=tuple(PhiSpan.from_dict(p) for p in d.get("phi", ())),
                entities=tuple(Entity.from_dict(e) for e in d.get("entities", ())),
                sections=tuple(Section.from_dict(s) for s in d.get("sections", ())),
                allergy_status=d.get("allergy_status"),
                metadata=dict(d.get("metadata") or {}),
                provenance=dict(d.get("provenance") or {}),
                spans={str(k): SpanGroup.from_dict(g) for k, g in (d.get("spans") or {}).items()},
                nka=NkaStatement.from_dict(d["nka"]) if d.get("nka") is not None else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"not a serialised ehrnlp Document: {type(exc).__name__} {exc.args[:1]!r}") from None


def iter_notes(items: Iterable[Any]) -> Iterable[Note]:
    for item in items:
        yield as_note(item)


def as_note(item: Any) -> Note:
    """Accept a ``Note``, a ``str`` or a mapping with ``text`` (and optional id/patient)."""
    if isinstance(item, Note):
        return item
    if isinstance(item, str):
        return Note(text=item)
    if isinstance(item, Mapping):
        if "text" not in item:
            raise InputError("a note mapping needs a 'text' key")
        return Note(
            text=item["text"],
            id=item.get("id"),
            patient=item.get("patient"),
            date=item.get("date"),
            metadata=item.get("metadata") or {},
            known_phi=item.get("known_phi"),
        )
    raise InputError(f"expected a Note, str or mapping with 'text', got {type(item).__name__}")
