"""The typed objects that flow through ehrnlp: Note in, Document out.

All are frozen dataclasses; stages return new objects with :func:`dataclasses.replace`.
Offsets are Python ``str`` indices. The invariant ``doc.text[e.start:e.end] == e.text``
holds for every entity of every document (checked by :meth:`Document.check`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .errors import InputError

__all__ = [
    "CLINICAL_LABELS",
    "PHI_LABELS",
    "Assertion",
    "Code",
    "Document",
    "Entity",
    "Note",
    "PhiSpan",
    "Span",
    "SpanGroup",
    "MODEL_SPANS",
    "Section",
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


@dataclass(frozen=True)
class Code:
    """A code from a standard system, with the linker's score in 0..1."""

    system: str
    code: str
    display: str = ""
    score: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", float(self.score))

    def to_dict(self) -> dict[str, Any]:
        return {"system": self.system, "code": self.code, "display": self.display, "score": self.score}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Code":
        return cls(d["system"], d["code"], d.get("display", ""), float(d.get("score", 1.0)))


@dataclass(frozen=True)
class Assertion:
    """ConText-style assertion flags of a mention. All False means plainly asserted."""

    negated: bool = False
    uncertain: bool = False
    hypothetical: bool = False
    historical: bool = False
    family: bool = False

    FLAGS = ("negated", "uncertain", "hypothetical", "historical", "family")

    @property
    def is_asserted(self) -> bool:
        """True when no flag is set (present, certain, about the patient, now)."""
        return not any(getattr(self, f) for f in self.FLAGS)

    def to_dict(self) -> dict[str, bool]:
        return {f: bool(getattr(self, f)) for f in self.FLAGS}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> "Assertion":
        d = d or {}
        return cls(**{f: bool(d.get(f, False)) for f in cls.FLAGS})


@dataclass(frozen=True)
class Section:
    """A section of the note (``name`` is canonical, e.g. ``"allergies"``)."""

    name: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Section":
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
    def from_dict(cls, d: Mapping[str, Any]) -> "PhiSpan":
        return cls(
            d["label"], int(d["start"]), int(d["end"]), int(d["orig_start"]), int(d["orig_end"]),
            d["replacement"], float(d.get("score", 1.0)), d.get("source", ""),
        )


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
    def from_dict(cls, d: Mapping[str, Any]) -> "Span":
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
    def from_dict(cls, d: Mapping[str, Any]) -> "SpanGroup":
        return cls(str(d["source"]), tuple(Span.from_dict(x) for x in d.get("spans", ())))


#: ``doc.spans[MODEL_SPANS]``: the clinical spans of the transformer's forward pass, written
#: by the stage that ran it (``deid`` runs it once on the original text and moves the spans
#: onto the de-identified text; ``ner`` runs it when no stage did) and read by ``ner``.
MODEL_SPANS = "model"


def model_identity(model: Any) -> str:
    """The ``SpanGroup.source`` for spans a model object produced: its ``identity``
    attribute (name, version, precision, weights digest) or, failing that, its type."""
    return str(getattr(model, "identity", None) or type(model).__name__)


@dataclass(frozen=True)
class Entity:
    """A clinical mention; ``text`` is always ``doc.text[start:end]``."""

    label: str
    start: int
    end: int
    text: str
    confidence: float = 1.0
    assertion: Assertion = field(default_factory=Assertion)
    section: str | None = None
    codes: tuple[Code, ...] = ()
    attributes: tuple["Entity", ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "confidence", float(self.confidence))
        object.__setattr__(self, "codes", tuple(self.codes))
        object.__setattr__(self, "attributes", tuple(self.attributes))

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def attribute(self, label: str) -> "Entity | None":
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
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Entity":
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
        )


@dataclass(frozen=True)
class Note:
    """One clinical note to process.

    ``patient`` is a FHIR reference (``"Patient/123"``) or a bare id; ``date`` is the
    note's ISO date if known; ``metadata`` is carried through untouched.
    """

    text: str
    id: str | None = None
    patient: str | None = None
    date: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise InputError(
                f"Note.text must be str, got {type(self.text).__name__}; decode bytes first "
                "(for example data.decode('utf-8'))"
            )
        if self.id is not None and not isinstance(self.id, str):
            object.__setattr__(self, "id", str(self.id))


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "phi", tuple(self.phi))
        object.__setattr__(self, "entities", tuple(sorted(self.entities, key=lambda e: (e.start, e.end, e.label))))
        object.__setattr__(self, "sections", tuple(self.sections))

    # -- construction ---------------------------------------------------------------
    @classmethod
    def from_note(cls, note: Note) -> "Document":
        return cls(
            text=note.text,
            id=note.id,
            patient=note.patient,
            date=note.date,
            source_text=note.text,
            metadata=dict(note.metadata),
        )

    def replace(self, **changes: Any) -> "Document":
        """A copy with ``changes`` applied (documents are immutable)."""
        return dataclasses.replace(self, **changes)

    # -- queries --------------------------------------------------------------------
    def entities_of(self, *labels: str) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.label in labels)

    def section_at(self, offset: int) -> Section | None:
        for s in self.sections:
            if s.start <= offset < s.end:
                return s
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
            "spans": {name: g.to_dict() for name, g in self.spans.items()},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Document":
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
        )
    raise InputError(f"expected a Note, str or mapping with 'text', got {type(item).__name__}")
