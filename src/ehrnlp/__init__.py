"""ehrnlp: clinical notes to FHIR R4, offline.

    import ehrnlp
    nlp = ehrnlp.load()
    doc = nlp("Pt c/o SOB. Allergies: PCN (hives). Lisinopril 10 mg PO daily.")
    bundle = ehrnlp.to_fhir(doc, patient="Patient/123")

Importing is cheap: nothing loads until :func:`load`. See docs/api.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    ConfigError,
    DeidError,
    EhrnlpError,
    FhirError,
    InputError,
    ModelLoadError,
    PipelineError,
    StageError,
    VocabError,
)
from .model import Assertion, Code, Cue, Document, Entity, KnownPhi, Note, PhiSpan, Section, Span, SpanGroup

__all__ = [
    "__version__",
    "load",
    "Pipeline",
    "register_stage",
    "Config",
    "Note",
    "KnownPhi",
    "Document",
    "Entity",
    "PhiSpan",
    "Section",
    "Span",
    "SpanGroup",
    "Code",
    "Assertion",
    "Cue",
    "to_fhir",
    "assertion_of",
    "render",
    "fhir",
    "EhrnlpError",
    "ConfigError",
    "PipelineError",
    "StageError",
    "DeidError",
    "ModelLoadError",
    "VocabError",
    "InputError",
    "FhirError",
]

if TYPE_CHECKING:  # pragma: no cover
    from . import fhir
    from .assertion import assertion_of
    from .config import Config
    from .fhir import to_fhir
    from .html import render
    from .pipeline import Pipeline, load
    from .registry import register_stage

_LAZY = {
    "load": ("ehrnlp.pipeline", "load"),
    "Pipeline": ("ehrnlp.pipeline", "Pipeline"),
    "register_stage": ("ehrnlp.registry", "register_stage"),
    "Config": ("ehrnlp.config", "Config"),
    "to_fhir": ("ehrnlp.fhir", "to_fhir"),
    "assertion_of": ("ehrnlp.assertion", "assertion_of"),
    "render": ("ehrnlp.html", "render"),
    "fhir": ("ehrnlp.fhir", None),
}


def __getattr__(name: str) -> Any:
    # Heavy modules (pipeline stages, fhir.resources) load on first use, not at import.
    if name in _LAZY:
        import importlib

        module_name, attr = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attr is None else getattr(module, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ehrnlp' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
