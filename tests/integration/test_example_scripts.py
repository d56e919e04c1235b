"""Every runnable example in examples/*.py runs to completion (they are documentation: a
broken example is a broken doc). Each script checks its own result with asserts and prints
what it did; the docs site's tutorials point at them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, skip_or_fail

pytestmark = pytest.mark.slow

SCRIPTS = sorted((REPO / "examples").glob("*.py"))
EXPECTED = {"quickstart.py", "deidentify.py", "fhir_bundle_ndjson.py", "post_to_fhir_server.py", "batch_convert.py",
            "spark_job.py", "custom_vocabulary.py", "custom_stage.py", "custom_recognizer.py", "html_view.py"}


def test_there_are_example_scripts():
    assert {p.name for p in SCRIPTS} >= EXPECTED
    assert len(SCRIPTS) >= 6


def _needs(script: str) -> None:
    """Install or check what an example needs beyond the package; skip (fail under CI) without it."""
    if script == "post_to_fhir_server":
        sys.path.insert(0, str(REPO / "tests" / "fhir"))
        from fhir_node import node_path

        node_path()  # Node.js and tools/fhir-validate (npm ci once), for the in-memory FHIR server
    elif script == "spark_job":
        try:
            import pyspark  # noqa: F401
        except ImportError:
            skip_or_fail('pyspark is not installed: install the test extras (pip install ".[dev]", which includes [spark])')
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            skip_or_fail("no Java runtime for Spark: install Java 17 (java on PATH) or set JAVA_HOME")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_example_runs(script, tmp_path):
    _needs(script.stem)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "examples"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYSPARK_PYTHON"] = sys.executable
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=900,
                          cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip(), "an example should show what it did"
