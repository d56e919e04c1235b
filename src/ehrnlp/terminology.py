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
    "US_CORE_CATEGORY",
    "SDOH_DOMAINS",
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
#: US Core category codes shared by several resources (``sdoh``)
US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category"
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

#: Social determinants of health: SNOMED CT concepts of the open sets (IPS free set, GPS) ->
#: their SDOH domain. A Condition coded with one gets the US Core ``sdoh`` category (and
#: ``health-concern``); ``scripts/build_vocab.py`` writes their displays as vocabulary rows of
#: term type ``sdoh`` (matched in the text whichever NER backend runs, ehrnlp.findings).
SDOH_DOMAINS: dict[str, str] = {
    # employment
    "160903007": "employment",  # Full-time employment
    "160904001": "employment",  # Part-time employment
    "741062008": "employment",  # Not in labor force
    "73438004": "employment",  # Unemployed
    "160906004": "employment",  # Self-employed
    "160899000": "employment",  # Recently unemployed
    "160900005": "employment",  # Chronic unemployment
    "75148009": "employment",  # Employment problem
    # education
    "224299000": "education",  # Received higher education
    "224295006": "education",  # Only received primary school education
    "473461003": "education",  # Educated to high school level
    "426769009": "education",  # Received graduate education
    "105422001": "education",  # Poor education
    "4506002": "education",  # Educational problem
    # housing
    "105531004": "housing",  # Housing unsatisfactory
    "32911000": "housing",  # Homeless
    "105526001": "housing",  # Homeless family
    "160721001": "housing",  # Housing unsuited to needs
    # transportation
    "713458007": "transportation",  # Lack of access to transportation
    "419024006": "transportation",  # Transport unavailable
    # social isolation
    "422650009": "social-isolation",  # Social isolation
    "423315002": "social-isolation",  # Limited social contact
    "105529008": "social-isolation",  # Lives alone
    # intimate-partner and other violence
    "706893006": "intimate-partner-violence",  # Victim of intimate partner abuse
    "706892001": "intimate-partner-violence",  # At risk of intimate partner abuse
    "707087005": "intimate-partner-violence",  # At risk of domestic violence
    "442084003": "violence",  # Victim of physical violence
    # criminal record
    "266948004": "criminal-record",  # Has a criminal record
    # stress
    "73595000": "stress",  # Stress
    # alcohol and drug misuse
    "15167005": "alcohol-use",  # Alcohol abuse
    "7200002": "alcohol-use",  # Alcoholism
    "228281002": "alcohol-use",  # Problem drinker
    "66590003": "alcohol-use",  # Alcohol dependence
    "361055000": "drug-use",  # Misuses drugs
    "26416006": "drug-use",  # Drug abuse
    "66214007": "drug-use",  # Substance abuse
}
