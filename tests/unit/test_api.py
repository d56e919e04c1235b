"""The public API of API.md: names, lazy imports, import cost."""

import subprocess
import sys

import ehrnlp

EXPECTED_ALL = [
    "__version__", "load", "Pipeline", "register_stage", "Config", "Note", "KnownPhi", "Document", "Entity", "PhiSpan", "Section", "Span", "SpanGroup",
    "Code", "Assertion", "Cue", "to_fhir", "assertion_of", "render", "fhir", "EhrnlpError", "ConfigError", "PipelineError",
    "StageError", "DeidError", "ModelLoadError", "VocabError", "InputError", "FhirError",
]


def test_all_is_pinned():
    assert ehrnlp.__all__ == EXPECTED_ALL


def test_every_public_name_resolves():
    for name in ehrnlp.__all__:
        assert getattr(ehrnlp, name) is not None, name
    assert callable(ehrnlp.fhir.write_ndjson)
    assert callable(ehrnlp.to_fhir) and callable(ehrnlp.assertion_of) and callable(ehrnlp.load)
    assert callable(ehrnlp.render) and hasattr(ehrnlp.Document, "to_html") and hasattr(ehrnlp.Document, "_repr_html_")
    assert hasattr(ehrnlp.Document, "to_original") and hasattr(ehrnlp.Document, "from_dict")


def test_import_is_cheap_and_loads_no_framework():
    code = (
        "import sys, ehrnlp; heavy = [m for m in ('torch', 'transformers', 'spacy', 'presidio_analyzer', "
        "'fhir.resources') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_unknown_attribute_is_an_attribute_error():
    try:
        ehrnlp.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_errors_share_one_base():
    for name in ("ConfigError", "PipelineError", "StageError", "DeidError", "ModelLoadError", "VocabError",
                 "InputError", "FhirError"):
        assert issubclass(getattr(ehrnlp, name), ehrnlp.EhrnlpError)
    assert issubclass(ehrnlp.DeidError, ehrnlp.StageError)
