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
