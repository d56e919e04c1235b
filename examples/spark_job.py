"""A Spark job: notes in a DataFrame to FHIR resources, written as NDJSON per type.

Run: python examples/spark_job.py [OUT_DIR]      (needs pip install "ehrnlp[spark]" and Java 17)

``ehrnlp.spark.extract`` runs the pipeline on the executors (one pipeline per Python worker,
loaded once) and returns a DataFrame of ``note_id, resource_type, resource_id, seq,
resource`` (the resource as JSON); ``write_ndjson`` writes it partitioned by type. A note
that fails becomes an OperationOutcome row, and de-identification fails closed as on every
other path.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from pyspark.sql import SparkSession

from ehrnlp.spark import extract, write_ndjson

ROWS = [
    ("s1", "Denies chest pain. Aspirin 81 mg PO daily.", "Patient/p1"),
    ("s2", "Asthma. Albuterol 2 puffs q4h PRN wheeze. NKDA.", "Patient/p2"),
]


def main(out: Path) -> None:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this interpreter
    spark = (SparkSession.builder.master("local[1]").appName("ehrnlp-example")
             .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        df = spark.createDataFrame(ROWS, ["id", "text", "patient"])
        # cache: the result is used twice (counted, then written); the notes run once
        result = extract(df, patient_col="patient", deidentify=False, recorded="2024-01-01T00:00:00+00:00").cache()
        counts = {r["resource_type"]: r["count"] for r in result.groupBy("resource_type").count().collect()}
        print("resources by type:", dict(sorted(counts.items())))
        assert counts.get("MedicationStatement", 0) >= 2
        write_ndjson(result, str(out / "fhir"))
        print("written:", sorted(p.name for p in (out / "fhir").iterdir() if p.name.startswith("resource_type=")))
    finally:
        spark.stop()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
