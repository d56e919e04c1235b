"""One fail-closed path: every way of running ehrnlp refuses a note whose de-identification
failed, and says which component failed without quoting the note.

Faults (built from config, so worker processes and Spark executors build the same ones):
a recognizer that raises, one that only logs a warning (built where Presidio's logger is
set to CRITICAL, disabled and cut from its handlers), the transformer's forward pass
raising, and Presidio's own regex timeout (``REGEX_TIMEOUT_SECONDS=0``, subprocess paths).
Paths: ``nlp()``, ``nlp.pipe()``, ``ehrnlp extract``, ``ehrnlp convert`` with 1 and 2
workers, and ``ehrnlp.spark``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ehrnlp.errors import DeidError
from ehrnlp.model import Note

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PLUGINS = REPO / "tests" / "plugins"
CANARIES = ("Zebulon", "Quixwort", "48213377")
TEXT = "Patient Zebulon Quixwort (MRN 48213377) was seen today. He denies chest pain. Lisinopril 10 mg PO daily.\n"
IPV6_TEXT = "Zebulon Quixwort logged in from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 today. Denies fever.\n"

# fault -> (config spec, what the error must name)
FAULTS = {
    "raises": ("ehrnlp_test_faults:raising", "fault_raising"),
    "warns": ("ehrnlp_test_faults:warning", "fault_warning"),
    "model": ("ehrnlp_test_faults:model_raises", "ehrnlp_transformer_phi"),
}


def _no_canary(blob: str) -> None:
    for c in CANARIES:
        assert c not in blob, "note text leaked"


@pytest.fixture
def plugins_on_path(monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGINS))
    yield
    import ehrnlp_test_faults

    ehrnlp_test_faults.restore()


def _config(spec: str) -> dict:
    return {"deid": {"extra_recognizers": [spec]}}


def _toml(tmp_path: Path, spec: str | None) -> Path:
    path = tmp_path / "faults.toml"
    path.write_text(f'[deid]\nextra_recognizers = ["{spec}"]\n' if spec else "[deid]\n", encoding="utf-8")
    return path


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PLUGINS), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("EHRNLP_DEBUG", None)
    env.update(extra)
    return env


def _cases():
    for name, (spec, component) in FAULTS.items():
        yield pytest.param(spec, component, {}, TEXT, id=name)
    yield pytest.param(None, "failed (it logged a WARNING", {"REGEX_TIMEOUT_SECONDS": "0"}, IPV6_TEXT, id="regex-timeout")


# -- in process ----------------------------------------------------------------------------
@pytest.mark.parametrize("fault", list(FAULTS))
def test_call_and_pipe_fail_closed(fault, plugins_on_path, caplog):
    import ehrnlp

    spec, component = FAULTS[fault]
    nlp = ehrnlp.load(config=_config(spec))
    caplog.set_level("DEBUG")
    with pytest.raises(DeidError) as one:
        nlp(Note(text=TEXT, id="note-parity"))
    with pytest.raises(DeidError) as many:
        list(nlp.pipe([Note(text=TEXT, id="note-a"), Note(text=TEXT, id="note-b")], batch_size=2))
    for err in (one.value, many.value):
        msg = str(err)
        assert component in msg and err.stage == "deid"
        assert err.__cause__ is None
        _no_canary(msg)
    # the note id leaves as its keyed pseudonym (issue 16), never as given
    assert nlp.get_stage("deid").pseudonym("note-parity") in str(one.value) and "'note-parity'" not in str(one.value)
    _no_canary("\n".join(r.getMessage() for r in caplog.records))


def test_in_process_guard_ignores_every_logging_switch(plugins_on_path):
    """logging.disable, a disabled logger, a CRITICAL level, no propagation: still refused."""
    import logging

    import ehrnlp

    nlp = ehrnlp.load(config=_config("ehrnlp_test_faults:warning"))
    logging.disable(logging.CRITICAL)
    try:
        with pytest.raises(DeidError, match="fault_warning"):
            nlp(TEXT)
    finally:
        logging.disable(logging.NOTSET)


# -- command line ------------------------------------------------------------------------
@pytest.mark.parametrize("spec,component,env,text", list(_cases()))
def test_extract_fails_closed(spec, component, env, text, tmp_path):
    note = tmp_path / "note-parity.txt"
    note.write_text(text, encoding="utf-8")
    cmd = [sys.executable, "-m", "ehrnlp.cli", "extract", str(note), "--format", "fhir",
           "--config", str(_toml(tmp_path, spec))]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp_path, env=_env(**env))
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert component in proc.stderr
    assert proc.stdout.strip() == ""
    _no_canary(proc.stdout + proc.stderr)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("spec,component,env,text", list(_cases()))
def test_convert_fails_closed(spec, component, env, text, workers, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for i in range(3):
        (notes / f"note-{i}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "ehrnlp.cli", "convert", str(notes), "--out", str(out), "-q",
           "--workers", str(workers), "--chunk-size", "2", "--config", str(_toml(tmp_path, spec))]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=tmp_path, env=_env(**env))
    assert proc.returncode == 1, proc.stderr[-2000:]
    _no_canary(proc.stdout + proc.stderr)
    produced = sorted(p.name for p in out.glob("*.ndjson"))
    assert produced == ["OperationOutcome.ndjson"], produced
    outcomes = [json.loads(line) for line in (out / "OperationOutcome.ndjson").read_text(encoding="utf-8").splitlines()]
    assert len(outcomes) == 3
    for oo in outcomes:
        assert component in oo["issue"][0]["diagnostics"]
    for f in out.rglob("*"):
        if f.is_file():
            _no_canary(f.read_text(encoding="utf-8", errors="replace"))


# -- Spark ---------------------------------------------------------------------------------
def test_spark_fails_closed(spark):
    from ehrnlp.spark import extract

    spark.sparkContext.addPyFile(str(PLUGINS / "ehrnlp_test_faults.py"))  # the faults, on the executors
    rows = [(f"note-{i}", TEXT) for i in range(2)]
    df = spark.createDataFrame(rows, "id string, text string").repartition(2)
    for fault, (spec, component) in FAULTS.items():
        got = extract(df, config=_config(spec), recorded="2026-01-01T00:00:00+00:00").collect()
        assert {r.resource_type for r in got} == {"OperationOutcome"}, fault
        assert len(got) == 2
        for r in got:
            assert component in json.loads(r.resource)["issue"][0]["diagnostics"], fault
            _no_canary(r.resource)
