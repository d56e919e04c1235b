"""Shared fixtures. Test notes are synthetic; no real person appears in this repository."""

from __future__ import annotations

import os
import shutil
import sys
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


@pytest.fixture(scope="module")
def spark():
    """A local[2] Spark session per test module, stopped after it (its Python workers go with
    it, so state a module leaves in them never reaches another); pyspark and Java are needed:
    without them the tests skip, or fail under CI, naming what is missing."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        skip_or_fail('pyspark is not installed: install the test extras (pip install ".[dev]", which includes [spark])')
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        skip_or_fail("no Java runtime for Spark: install Java 17 (java on PATH) or set JAVA_HOME")

    # Python workers must run this interpreter (the test venv), not whatever python3 is on PATH
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]").appName("ehrnlp-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    yield session
    session.stop()


def deid_text(stage, text: str) -> str:
    """``text`` through a de-identification ``stage`` (one synthetic note)."""
    from ehrnlp.model import Document, Note

    return stage(Document.from_note(Note(text=text, id="t"))).text


def masked_within_one(stage, text: str, value: str) -> bool:
    """Whether one PHI span of ``stage`` covers the first ``value`` in ``text`` whole."""
    from ehrnlp.model import Document

    doc = stage(Document(text=text))
    i = text.index(value)
    return any(p.orig_start <= i and i + len(value) <= p.orig_end for p in doc.phi)


def untouched(stage, text: str, word: str) -> bool:
    """Whether no PHI span of ``stage`` touches the first ``word`` in ``text``."""
    from ehrnlp.model import Document

    doc = stage(Document(text=text))
    i = text.index(word)
    return not any(p.orig_start < i + len(word) and i < p.orig_end for p in doc.phi)


def redacted_chars(stage, text: str) -> str:
    """What a de-identification ``stage`` redacts in ``text``: the redacted characters where they
    stand, a blank everywhere else (one synthetic note)."""
    from ehrnlp.model import Document, Note

    doc = stage(Document.from_note(Note(text=text, id="t")))
    chars = [" "] * len(text)
    for p in doc.phi:
        for i in range(p.orig_start, p.orig_end):
            chars[i] = text[i]
    return "".join(chars)


@pytest.fixture(scope="session")
def rules_stage():
    """The de-identification stage without the model (the rules and the bundled lists alone),
    built once for every test that reads it."""
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(transformer_phi=False, learned_ner=False))


def tiny_bert_config(vocab_size: int, labels: list[str]):
    """A 2-layer, 32-wide BERT token-classifier config over ``labels``: the tiny random model the
    tagger's and the vocab-match channel's tests save and load (fast, no weights shipped)."""
    from transformers import BertConfig

    return BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                      intermediate_size=64, max_position_embeddings=128, num_labels=len(labels),
                      id2label=dict(enumerate(labels)), label2id={lab: i for i, lab in enumerate(labels)})
