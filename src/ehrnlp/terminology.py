"""Code system and FHIR URIs: the one place they are spelled.

Every module that names a code system (the normalizer, the vocabulary loader, the sig
parser, the FHIR mapping, the vocabulary build script) imports it from here. The module
holds constants and fixed code tables only; it imports nothing from ehrnlp and reads no
text.
"""

from __future__ import annotations

__all__ = [
    "RXNORM",
    "SNOMED",
    "ICD10CM",
    "UNII",
    "LOINC",
    "UCUM",
    "NDC",
    "V3_ROUTE",
    "V3_ROLE_CODE",
    "V3_OBSERVATION_VALUE",
    "V3_DATA_OPERATION",
    "CONDITION_CLINICAL",
    "CONDITION_VERIFICATION",
    "CONDITION_CATEGORY",
    "US_CORE_CONDITION_CATEGORY",
    "ALLERGY_CLINICAL",
    "ALLERGY_VERIFICATION",
    "DATA_ABSENT_REASON",
    "US_CORE_DOCUMENTREFERENCE_CATEGORY",
    "PROVENANCE_PARTICIPANT_TYPE",
    "DERIVATION_REFERENCE",
    "SYSTEM_NAMES",
    "FAMILY_RELATIONS",
    "NO_KNOWN_ALLERGY",
    "NO_KNOWN_DRUG_ALLERGY",
]

# -- clinical code systems ---------------------------------------------------------------
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
#: FDA Unique Ingredient Identifier (substances that are not RxNorm ingredients: foods...)
UNII = "http://fdasis.nlm.nih.gov"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
NDC = "http://hl7.org/fhir/sid/ndc"

# -- HL7 code systems ----------------------------------------------------------------------
V3_ROUTE = "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration"
V3_ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
V3_OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
V3_DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
US_CORE_CONDITION_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/condition-category"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
US_CORE_DOCUMENTREFERENCE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"
PROVENANCE_PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"

# -- FHIR extensions -----------------------------------------------------------------------
DERIVATION_REFERENCE = "http://hl7.org/fhir/StructureDefinition/derivation-reference"

#: human names of the code systems (``ehrnlp vocab lookup``)
SYSTEM_NAMES = {
    RXNORM: "RxNorm",
    SNOMED: "SNOMED CT",
    ICD10CM: "ICD-10-CM",
    V3_ROUTE: "HL7 v3 route",
}

#: HL7 v3 RoleCode family relationships: code -> display (``Entity.family_relation`` holds
#: the code; ``FAMMEMB`` when the note names no particular relative)
FAMILY_RELATIONS = {
    "MGRMTH": "maternal grandmother",
    "PGRMTH": "paternal grandmother",
    "MGRFTH": "maternal grandfather",
    "PGRFTH": "paternal grandfather",
    "GRMTH": "grandmother",
    "GRFTH": "grandfather",
    "MAUNT": "maternal aunt",
    "PAUNT": "paternal aunt",
    "MUNCLE": "maternal uncle",
    "PUNCLE": "paternal uncle",
    "MTH": "mother",
    "FTH": "father",
    "SIS": "sister",
    "BRO": "brother",
    "DAU": "daughter",
    "SON": "son",
    "AUNT": "aunt",
    "UNCLE": "uncle",
    "COUSN": "cousin",
    "SIB": "sibling",
    "PRN": "parent",
    "CHILD": "child",
    "FAMMEMB": "family member",
}

#: SNOMED CT situations for a note stating no known allergies (``NkaStatement.kind``)
NO_KNOWN_ALLERGY = {"system": SNOMED, "code": "716186003", "display": "No known allergy"}
NO_KNOWN_DRUG_ALLERGY = {"system": SNOMED, "code": "409137002", "display": "No known drug allergy"}
