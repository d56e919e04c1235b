"""Spark output equals single-process output on the same notes (local[2] mode).

Needs pyspark (the ``[spark]`` extra, which ``[dev]`` includes) and a Java runtime: without
either these tests skip, saying which, or fail when ``CI`` is set.
"""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES

pytestmark = pytest.mark.slow

RECORDED = "2026-01-01T00:00:00+00:00"


def test_spark_equals_single_process(spark, nlp, tmp_path):
    from ehrnlp.spark import convert_rows, extract, write_ndjson

    rows = [(p.stem, p.read_text(encoding="utf-8"), f"Patient/{i}") for i, p in enumerate(EXAMPLES)]
    rows.append(("empty-text", None, "Patient/x"))
    df = spark.createDataFrame(rows, "note_id string, body string, pt string").repartition(2)
    result = extract(df, text_col="body", id_col="note_id", patient_col="pt", recorded=RECORDED)
    got = sorted(tuple(r) for r in result.collect())
    expected = sorted(convert_rows(rows, nlp=nlp, recorded=RECORDED))
    assert got == expected
    types = {r[1] for r in got}
    assert {"Condition", "MedicationStatement", "AllergyIntolerance", "Provenance", "OperationOutcome"} <= types
    failed = [json.loads(r[4]) for r in got if r[1] == "OperationOutcome"]
    assert len(failed) == 1 and "not a string" in failed[0]["issue"][0]["diagnostics"]
    write_ndjson(result, str(tmp_path / "out"))
    files = list((tmp_path / "out" / "resource_type=Condition").glob("part-*"))
    lines = [line for f in files for line in f.read_text().splitlines() if line]
    assert len(lines) == sum(1 for r in got if r[1] == "Condition")


def test_bad_column_is_a_clear_error(spark):
    from ehrnlp.errors import InputError
    from ehrnlp.spark import extract

    df = spark.createDataFrame([("a", "b")], "id string, text string")
    with pytest.raises(InputError, match="note_text"):
        extract(df, text_col="note_text")
