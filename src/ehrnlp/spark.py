"""The ehrnlp pipeline on Apache Spark (``pip install "ehrnlp[spark]"``).

    from ehrnlp.spark import extract
    resources = extract(notes_df, text_col="text", id_col="note_id", patient_col="patient_ref")
    resources.write.partitionBy("resource_type").text(...)      # or write_ndjson(resources, path)

``extract`` runs with ``mapInPandas``: each executor Python process loads the pipeline once
(on its first batch) and keeps it for every later batch and task. The result has one row
per FHIR resource:

=============== =========================================================================
column          meaning
=============== =========================================================================
note_id         the note's id (``id_col``)
resource_type   ``Condition``, ``AllergyIntolerance``, ..., or ``OperationOutcome`` for a
                note that failed (reason only, never note text)
resource_id     the resource's deterministic id
seq             the resource's position among its note's resources (for stable ordering)
resource        the resource as FHIR R4 JSON
=============== =========================================================================

The rows are exactly what the single-process pipeline produces for the same notes with the
same ``recorded`` time (tested in ``local[2]`` mode).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from .errors import EhrnlpError, InputError

__all__ = ["extract", "write_ndjson", "RESULT_SCHEMA", "convert_rows"]

RESULT_SCHEMA = "note_id string, resource_type string, resource_id string, seq int, resource string"

_PIPELINES: dict[str, Any] = {}


def _pipeline(config_json: str):
    """One pipeline per Python worker process and configuration."""
    nlp = _PIPELINES.get(config_json)
    if nlp is None:
        from .pipeline import load

        spec = json.loads(config_json)
        nlp = load(spec["config"], deidentify=spec["deidentify"])
        _PIPELINES[config_json] = nlp
    return nlp


def convert_rows(rows: Any, *, nlp: Any, recorded: str) -> list[tuple[str | None, str, str, int, str]]:
    """Convert ``(note_id, text, patient)`` rows into result rows (shared with the tests)."""
    from .conversion import note_to_resources, operation_outcome
    from .model import Note

    out: list[tuple[str | None, str, str, int, str]] = []
    for note_id, text, patient in rows:
        nid = None if note_id is None else str(note_id)
        try:
            if not isinstance(text, str):
                raise InputError("the text column is empty or not a string")
            note = Note(text=text, id=nid, patient=patient or None)
        except EhrnlpError as exc:
            from .deid.pseudonym import outcome_ids

            resources = [operation_outcome(None, outcome_ids(nlp, None, nid)[1], str(exc), getattr(exc, "stage", None))]
        else:
            # the same unit of work as ehrnlp convert: one bad note never stops a partition
            _, resources = note_to_resources(nlp, note, recorded=recorded)
        for seq, res in enumerate(resources):
            out.append((nid, res["resourceType"], res["id"], seq,
                        json.dumps(res, ensure_ascii=False, separators=(",", ":"))))
    return out


def extract(
    df: Any,
    *,
    text_col: str = "text",
    id_col: str = "id",
    patient_col: str | None = None,
    config: Any = None,
    deidentify: bool | None = None,
    recorded: str | None = None,
) -> Any:
    """Run the pipeline over a Spark DataFrame of notes; return a DataFrame of FHIR resources.

    ``config`` is a TOML path or a mapping (it must be shippable to executors);
    ``recorded`` fixes the Provenance time (default: now, once for the whole job).
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover
        raise ImportError('ehrnlp.spark needs pandas and pyspark: pip install "ehrnlp[spark]"') from exc
    cols = set(df.columns)
    for name, col in (("text_col", text_col), ("id_col", id_col), ("patient_col", patient_col)):
        if col is not None and col not in cols:
            raise InputError(f"{name}={col!r} is not a column of the DataFrame (columns: {sorted(cols)})")
    if config is not None and not isinstance(config, (str, dict)):
        from pathlib import Path

        if isinstance(config, Path):
            config = str(config)
        else:
            from .config import config_to_dict

            config = config_to_dict(config)
    spec = json.dumps({"config": config, "deidentify": deidentify}, sort_keys=True)
    when = recorded or datetime.now(UTC).isoformat(timespec="seconds")
    selected = [id_col, text_col] + ([patient_col] if patient_col else [])
    narrow = df.select(*selected)
    from .deid.pseudonym import run_key

    # without deid.secret_key note ids are pseudonymised under a random key of the run: the
    # driver's, shipped to every executor so all partitions (and the driver) agree
    key = run_key().hex()

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        from .deid.pseudonym import set_run_key

        set_run_key(bytes.fromhex(key))
        nlp = _pipeline(spec)
        for pdf in batches:
            patients = pdf[patient_col] if patient_col else [None] * len(pdf)
            rows = convert_rows(zip(pdf[id_col], pdf[text_col], patients), nlp=nlp, recorded=when)
            yield pd.DataFrame(rows, columns=["note_id", "resource_type", "resource_id", "seq", "resource"])

    return narrow.mapInPandas(run, schema=RESULT_SCHEMA)


def write_ndjson(result: Any, path: str, *, mode: str = "overwrite") -> None:
    """Write ``extract``'s result as Bulk-style NDJSON text, one folder per resource type
    (``path/resource_type=Condition/part-*.txt``)."""
    result.select("resource_type", "resource").write.mode(mode).partitionBy("resource_type").text(path)
