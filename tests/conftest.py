"""Shared fixtures. Test notes are synthetic; no real person appears in this repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples" / "notes").glob("*.txt"))
SHARED_DATA = Path(os.environ.get("EHRNLP_SHARED_DATA", REPO.parent / "shared" / "data"))
# CI sets CI (to "true"; .ci/run does too): there a test whose tools are missing fails, never skips
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

_config: pytest.Config | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _config
    _config = config


def skip_or_fail(reason: str) -> None:
    """Skip the test with ``reason``, or fail with it when ``CI`` is set."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def note(line: str) -> None:
    """Print one line on the terminal now, past pytest's output capture."""
    reporter = _config.pluginmanager.get_plugin("terminalreporter") if _config else None
    capman = _config.pluginmanager.get_plugin("capturemanager") if _config else None
    if reporter is None or capman is None:
        print(line, flush=True)
        return
    with capman.global_and_fixture_disabled():
        reporter.ensure_newline()
        if getattr(getattr(reporter, "_tw", None), "width_of_current_line", 0):  # -q progress dots
            reporter.write("\n")
        reporter.write_line(line)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED_DATA} (set EHRNLP_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def nlp():
    """The default pipeline, loaded once per test session."""
    import ehrnlp

    return ehrnlp.load()


@pytest.fixture(scope="session")
def nlp_nodeid():
    import ehrnlp

    return ehrnlp.load(deidentify=False)
