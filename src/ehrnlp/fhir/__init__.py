"""FHIR R4 output (and input): Bundles, Bulk NDJSON, DocumentReference reading, upload.

    bundle = ehrnlp.to_fhir(doc, patient="Patient/123")
    ehrnlp.fhir.write_ndjson(docs, "out/")
    ehrnlp.fhir.post(ehrnlp.to_fhir(doc, bundle_type="transaction"), "http://127.0.0.1:8080/fhir")
    notes = ehrnlp.fhir.read_bulk_ndjson("export/")          # DocumentReference NDJSON -> Notes
"""

from __future__ import annotations

from ..terminology import ICD10CM, LOINC, RXNORM, SNOMED, UCUM, UNII
from .bundle import bundle_dict, to_fhir, validate_resource, write_ndjson
from .client import post
from .input import note_from_document_reference, notes_from_bundle, read_bulk_ndjson, read_fhir
from .mapping import resources_for

__all__ = [
    "to_fhir",
    "bundle_dict",
    "resources_for",
    "validate_resource",
    "write_ndjson",
    "post",
    "note_from_document_reference",
    "notes_from_bundle",
    "read_bulk_ndjson",
    "read_fhir",
    "RXNORM",
    "SNOMED",
    "ICD10CM",
    "UNII",
    "LOINC",
    "UCUM",
]
