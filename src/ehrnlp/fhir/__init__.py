"""FHIR R4 output (and input): Bundles, Bulk NDJSON, DocumentReference reading, upload.

    bundle = ehrnlp.to_fhir(doc, patient="Patient/123")
    ehrnlp.fhir.write_ndjson(docs, "out/")
"""

from __future__ import annotations

from .bundle import bundle_dict, to_fhir, validate_resource, write_ndjson
from .mapping import ICD10CM, LOINC, RXNORM, SNOMED, UCUM, UNII, resources_for

__all__ = [
    "to_fhir",
    "bundle_dict",
    "resources_for",
    "validate_resource",
    "write_ndjson",
    "RXNORM",
    "SNOMED",
    "ICD10CM",
    "UNII",
    "LOINC",
    "UCUM",
]
