"""Lint and type checks, run by the test suite (so by CI, which runs the README's test command).

``ruff check src tests scripts examples`` and ``mypy`` (strict for the public API) with the
configuration in pyproject.toml ([tool.ruff], [tool.mypy]), run from the repository root.
Without the tool the test is skipped, except under CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _run(tool: str, *args: str) -> None:
    if importlib.util.find_spec(tool) is None:
        msg = f'{tool} is not installed (pip install ".[dev]" installs it)'
        if os.environ.get("CI"):
            pytest.fail(f"{msg}; CI is set")
        pytest.skip(msg)
    out = subprocess.run([sys.executable, "-m", tool, *args], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, f"{tool} {' '.join(args)} failed (exit {out.returncode}):\n{out.stdout[-20000:]}\n{out.stderr[-5000:]}"


def test_ruff_check() -> None:
    _run("ruff", "check", "src", "tests", "scripts", "examples")


def test_mypy() -> None:
    # the files to check come from [tool.mypy] files (src/ehrnlp); .mypy_cache ignores itself
    _run("mypy")
