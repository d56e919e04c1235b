"""The FHIR layer does no NLP: it imports only the data model, config, errors and the
terminology module, and its mapping and bundling modules hold no regular expression.

(The import-linter contract in pyproject.toml checks the same boundary, indirect imports
included; this test needs nothing but the standard library.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FHIR_DIR = Path(__file__).resolve().parents[2] / "src" / "ehrnlp" / "fhir"
#: what ehrnlp.fhir may import from ehrnlp (besides its own modules)
ALLOWED = {"ehrnlp.model", "ehrnlp.config", "ehrnlp.errors", "ehrnlp.terminology", "ehrnlp._version"}
#: modules that serialise typed fields: no regular expressions at all
NO_REGEX = {"mapping.py", "bundle.py"}
REGEX_MODULES = {"re", "regex"}


def _imports(source: str, package: str) -> set[str]:
    """Every module ``source`` imports (relative imports resolved against ``package``);
    ``from X import y`` counts ``X`` and ``X.y`` (y may be a submodule); string arguments
    of ``importlib.import_module`` / ``__import__`` count too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                mod = f"{base}.{node.module}" if node.module else base
            else:
                mod = node.module or ""
            found.add(mod)
            found.update(f"{mod}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(fn, ast.Name) else ""
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def violations(source: str, filename: str) -> list[str]:
    """What a module of ``ehrnlp.fhir`` must not do, as messages (empty when clean)."""
    out = []
    for mod in sorted(_imports(source, "ehrnlp.fhir")):
        top = mod.split(".")[0]
        if filename in NO_REGEX and top in REGEX_MODULES:
            out.append(f"{filename} imports {mod}: the FHIR mapping holds no regular expression")
        if top != "ehrnlp":
            continue
        # "from ..model import Document" also yields "ehrnlp.model.Document" (allowed with its
        # module); "from .. import x" yields "ehrnlp" itself and "ehrnlp.x"
        if mod.startswith("ehrnlp.fhir") or any(mod == a or mod.startswith(a + ".") for a in ALLOWED):
            continue
        if mod == "ehrnlp":
            out.append(f"{filename} imports the ehrnlp package root (which reaches the stages)")
            continue
        out.append(f"{filename} imports {mod}: ehrnlp.fhir may import only {sorted(ALLOWED)}")
    return out


def _fhir_modules() -> list[Path]:
    return sorted(FHIR_DIR.glob("*.py"))


def test_the_fhir_package_is_where_it_is_expected():
    names = {p.name for p in _fhir_modules()}
    assert {"__init__.py", "mapping.py", "bundle.py", "input.py", "client.py"} <= names


@pytest.mark.parametrize("path", _fhir_modules(), ids=lambda p: p.name)
def test_fhir_module_imports_no_stage_and_mapping_no_regex(path):
    assert violations(path.read_text(encoding="utf-8"), path.name) == []


@pytest.mark.parametrize("source, filename, needle", [
    ("import re\n", "mapping.py", "regular expression"),
    ("from re import compile\n", "bundle.py", "regular expression"),
    ("from ..assertion import sentence_bounds\n", "mapping.py", "ehrnlp.assertion"),
    ("def f():\n    from ..relations import find_nka\n", "mapping.py", "ehrnlp.relations"),
    ("from .. import normalize as _norm\n", "mapping.py", "ehrnlp.normalize"),
    ("from .. import __version__\n", "mapping.py", "package root"),
    ("import ehrnlp.sig\n", "client.py", "ehrnlp.sig"),
    ("import importlib\nimportlib.import_module('ehrnlp.ner.rules')\n", "bundle.py", "ehrnlp.ner.rules"),
])
def test_the_check_catches_what_the_fhir_layer_used_to_do(source, filename, needle):
    found = violations(source, filename)
    assert found and any(needle in v for v in found), found


def test_the_check_allows_the_data_model_and_terminology():
    source = ("from ..model import Document\nfrom ..terminology import SNOMED\nfrom ..config import FhirConfig\n"
              "from ..errors import FhirError\nfrom .._version import __version__\nfrom .mapping import resources_for\n"
              "import json\nimport base64\n")
    assert violations(source, "mapping.py") == []
    # input.py decodes FHIR input (base64, charsets): a regex over the encoding is fine there
    assert violations("import re\n", "input.py") == []
