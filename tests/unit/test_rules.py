"""The vocabulary matcher on a hand-made vocabulary."""

import pytest

from ehrnlp.model import Document, Section
from ehrnlp.ner.rules import RuleMatcherStage, find_allergy_contexts, tokenize
from ehrnlp.vocab import load_vocabulary

VOCAB = """term\tlabel\tsystem\tcode\ttty
penicillin\tMEDICATION\thttp://www.nlm.nih.gov/research/umls/rxnorm\t70618\tIN
lisinopril\tMEDICATION\thttp://www.nlm.nih.gov/research/umls/rxnorm\t29046\tIN
lisinopril 10 MG Oral Tablet\tMEDICATION\thttp://www.nlm.nih.gov/research/umls/rxnorm\t314076\tSCD
hives\tREACTION\t\t\t
rash\tSYMPTOM\t\t\t
rash\tREACTION\t\t\t
shortness of breath\tSYMPTOM\t\t\t
shortness\tSYMPTOM\t\t\t
nausea/vomiting\tREACTION\t\t\t
chest pain\tSYMPTOM\t\t\t
PO\tROUTE\t\t\t
MS\tPROBLEM\t\t\tabbr-ambiguous
severe\tSEVERITY\t\t\t
peanut\tALLERGEN\t\t\t
"""


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    p = tmp_path_factory.mktemp("v") / "v.tsv"
    p.write_text(VOCAB)
    return RuleMatcherStage(load_vocabulary([p]))


def ents(matcher, text, sections=()):
    doc = matcher(Document(text=text, sections=sections))
    doc.check()
    return [(e.label, e.text) for e in doc.entities]


def test_longest_match_and_case_insensitivity(matcher):
    assert ents(matcher, "Worsening Shortness of Breath.") == [("SYMPTOM", "Shortness of Breath")]


def test_sig_patterns(matcher):
    got = ents(matcher, "Lisinopril 10 mg PO daily for 7 days")
    assert got == [("MEDICATION", "Lisinopril"), ("DOSE", "10 mg"), ("ROUTE", "PO"),
                   ("FREQUENCY", "daily"), ("DURATION", "for 7 days")]
    assert ("FREQUENCY", "q4h") in ents(matcher, "albuterol 2 puffs q4h PRN")
    assert ("FREQUENCY", "two times daily") in ents(matcher, "Instill 1 drop into both eyes two times daily.")
    assert ("DOSE", "1 drop") in ents(matcher, "Instill 1 drop into both eyes two times daily.")


def test_allergy_context_turns_drugs_into_allergens_and_findings_into_reactions(matcher):
    text = "ALLERGIES:\nPenicillin - hives\nLisinopril: rash (severe)\n\nMEDICATIONS:\nlisinopril 10 mg PO daily"
    got = ents(matcher, text)
    assert got[:5] == [("ALLERGEN", "Penicillin"), ("REACTION", "hives"), ("ALLERGEN", "Lisinopril"),
                       ("REACTION", "rash"), ("SEVERITY", "severe")]
    assert ("MEDICATION", "lisinopril") in got[5:]


def test_prose_allergy_and_epic_table(matcher):
    assert ents(matcher, "She is allergic to penicillin, which causes hives.")[:1] == [("ALLERGEN", "penicillin")]
    assert ents(matcher, "Penicillin allergy noted.") == [("ALLERGEN", "Penicillin")]
    epic = "Allergies  Allergen Reactions  • Penicillin Nausea/Vomiting   Current Outpatient Medications  • lisinopril"
    assert ents(matcher, epic) == [("ALLERGEN", "Penicillin"), ("REACTION", "Nausea/Vomiting"), ("MEDICATION", "lisinopril")]


def test_allergy_section_from_sections_stage(matcher):
    text = "Reactions on file\nPenicillin hives\n"
    sec = (Section("allergies", 0, len(text)),)
    assert ents(matcher, text, sec) == [("ALLERGEN", "Penicillin"), ("REACTION", "hives")]
    assert find_allergy_contexts(text, sec) == [(0, len(text))]


def test_skips_clinical_drug_rows_ambiguous_abbreviations_and_lone_severity(matcher):
    assert ("PROBLEM", "MS") not in ents(matcher, "MS 4 mg IV")
    assert ents(matcher, "severe chest pain") == [("SYMPTOM", "chest pain")]
    # an SCD row is not a surface form: the ingredient matches alone
    assert ents(matcher, "lisinopril 10 MG Oral Tablet")[0] == ("MEDICATION", "lisinopril")


def test_tokenize_strips_edge_punctuation():
    toks = tokenize("(hives). q.i.d. 'rash'")
    assert [t.norm for t in toks] == ["hives", "q.i.d", "rash"]


def test_substances_are_allergens_only_in_allergy_statements(matcher):
    assert ents(matcher, "Allergic to peanut.") == [("ALLERGEN", "peanut")]
    assert ents(matcher, "She ate a peanut butter sandwich.") == []


def test_the_rule_stage_sets_entity_sections(matcher):
    """The stage that makes entities is the one writer of Entity.section."""
    from ehrnlp.sections import SectionStage

    doc = matcher(SectionStage()(Document(text="HPI: worsening shortness of breath.\nPlan: lisinopril PO daily.\n")))
    by = {e.text.lower(): e.section for e in doc.entities}
    assert by["shortness of breath"] == "hpi"
    assert by["po"] == "plan"
