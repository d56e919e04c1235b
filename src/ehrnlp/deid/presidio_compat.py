"""Presidio, set up for offline use inside ehrnlp: the spaCy entity mapping handed to its
NLP engine, and an import that keeps Presidio's Hugging Face modules (unused here) from
pulling in ``transformers.pipelines``."""

from __future__ import annotations

from typing import Any

from ..errors import ModelLoadError

__all__ = ["SPACY_MAPPING", "SPACY_IGNORED", "import_presidio"]


SPACY_MAPPING = {
    "PERSON": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
}
SPACY_IGNORED = [
    "CARDINAL", "DATE", "EVENT", "LANGUAGE", "LAW", "MONEY", "NORP", "ORDINAL", "PERCENT",
    "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
]

_HF_MODULES = (
    "presidio_analyzer.nlp_engine.huggingface_token_pipe",
    "presidio_analyzer.predefined_recognizers.ner.huggingface_ner_recognizer",
)


def _skip_presidio_hf_pipeline() -> bool:
    """Keep Presidio from importing ``transformers.pipelines`` (about 2 s of load time).

    Presidio imports two Hugging Face modules eagerly (a spaCy component and a NER
    recognizer), and both import ``transformers.pipelines``. ehrnlp uses neither: its NLP
    engine is the explicitly loaded spaCy pipeline. So, when Presidio is not imported yet,
    small stand-ins take their place; they report the components unavailable and refuse to
    build them. If a Presidio release no longer imports with them, :func:`_import_presidio`
    removes them and imports Presidio as it is. Returns True when stand-ins were installed.
    """
    import sys
    import types

    if "presidio_analyzer" in sys.modules or any(m in sys.modules for m in _HF_MODULES):
        return False

    def unavailable(*_args: Any, **_kwargs: Any) -> Any:
        raise ModelLoadError("Presidio's Hugging Face components are disabled inside ehrnlp")

    pipe = types.ModuleType(_HF_MODULES[0], "ehrnlp stand-in: Presidio's Hugging Face spaCy component is not used")
    pipe.FACTORY_NAME = "presidio_hf_token_pipe"  # type: ignore[attr-defined]
    pipe.is_available = lambda: False  # type: ignore[attr-defined]
    pipe.create_huggingface_token_pipe = unavailable  # type: ignore[attr-defined]  # spaCy entry point
    rec = types.ModuleType(_HF_MODULES[1], "ehrnlp stand-in: Presidio's Hugging Face NER recognizer is not used")
    rec.HuggingFaceNerRecognizer = type("HuggingFaceNerRecognizer", (), {"__init__": unavailable})  # type: ignore[attr-defined]
    sys.modules[_HF_MODULES[0]] = pipe
    sys.modules[_HF_MODULES[1]] = rec
    return True


def import_presidio() -> None:
    import importlib
    import sys

    stubbed = _skip_presidio_hf_pipeline()
    try:
        importlib.import_module("presidio_analyzer")
        importlib.import_module("presidio_analyzer.predefined_recognizers")
    except Exception:
        if not stubbed:
            raise
        for name in [m for m in sys.modules if m == "presidio_analyzer" or m.startswith("presidio_analyzer.")]:
            del sys.modules[name]
        importlib.import_module("presidio_analyzer")


