"""The docs site builds with `mkdocs build --strict` (no warning: every link, snippet and
reference resolves), offline, and its API reference renders an entry for every public name
of ehrnlp.__all__."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import REPO, skip_or_fail

import ehrnlp


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
        import mkdocstrings_handlers.python  # noqa: F401
    except ImportError as exc:
        skip_or_fail(f'the docs tools are not installed ({exc.name} is missing): pip install ".[docs]" (".[dev]" includes it)')
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    return out


def test_every_public_name_has_a_rendered_reference_entry(site):
    page = (site / "reference" / "index.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'id="(ehrnlp\.[\w.]+)"', page))
    missing = [name for name in ehrnlp.__all__ if f"ehrnlp.{name}" not in anchors]
    assert not missing, f"no reference entry for {missing}"
    # an entry is rendered from the docstring, not an empty heading
    assert "Build the default pipeline" in page and "self-contained" in page
    # Sphinx roles in docstrings render as code (scripts/mkdocs_roles.py), not as raw markup
    assert ":class:`" not in page and ":func:`" not in page


def test_site_has_the_pages_the_docs_promise(site):
    for page in ("getting-started", "tutorials/deidentify", "tutorials/extract-fhir", "tutorials/post-fhir",
                 "tutorials/batch", "tutorials/spark", "tutorials/custom-vocabulary", "tutorials/custom-stage",
                 "tutorials/html-view", "tutorials/train", "concepts/pipeline", "concepts/document",
                 "concepts/offsets", "concepts/assertion", "concepts/fhir-mapping", "benchmarks", "model-card",
                 "reliability", "licences"):
        assert (site / page / "index.html").is_file(), page
    # the tutorials show the tested example scripts themselves (snippets), not copies
    deid = (site / "tutorials" / "deidentify" / "index.html").read_text(encoding="utf-8")
    assert "date_shift" in deid and "example-only-secret-use-your-own" in deid


def test_site_fetches_nothing(site):
    # theme.font is false: no Google Fonts; no other page asset comes from the network
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, html
        assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="https?://', text), html
