"""An allergen's bracketed names (Epic writes ``Brand [generic (salt)]``): every drug
mention inside the brackets is the same substance, one ALLERGEN, its reactions kept.
Synthetic notes; ehrnlp.allergy_rules.name_bracket_groups through the relations stage."""

from __future__ import annotations

import pytest
from entity_doc import entities_from

from ehrnlp.allergy_rules import name_bracket_groups
from ehrnlp.assertion import AssertionStage
from ehrnlp.model import Document
from ehrnlp.relations import RelationStage
from ehrnlp.sections import SectionStage

TABLE = "Allergies\n   Allergen Reactions\n   \u2022 "


def run(text: str, spans: list[tuple[str, str]]) -> Document:
    doc = Document(text=text, entities=tuple(sorted(entities_from(text, spans), key=lambda e: (e.start, e.end))))
    doc = RelationStage()(AssertionStage()(SectionStage()(doc)))
    doc.check()
    return doc


def allergens(doc: Document) -> dict[str, list[str]]:
    return {e.text: sorted(a.text for a in e.attributes if a.label == "REACTION") for e in doc.entities_of("ALLERGEN")}


@pytest.mark.parametrize("row,spans,expected", [
    # nested brackets, the first word inside untagged
    ("Travatan [travoprost (benzalkonium)] Eye redness",
     [("ALLERGEN", "Travatan"), ("ALLERGEN", "benzalkonium"), ("SYMPTOM", "Eye redness")],
     {"Travatan": ["Eye redness"]}),
    # two groups one after the other, a half-word tagged in the second
    ("Auralgan (W/ Acetic Acid) [Acetic Ac-***-*****] Angioedema",
     [("ALLERGEN", "Auralgan"), ("ALLERGEN", "Acetic Acid"), ("ALLERGEN", "Acetic Ac"), ("SYMPTOM", "Angioedema")],
     {"Auralgan": ["Angioedema"]}),
    # a masked word before the brackets
    ("Contrast *** [Contrast Medium] Hives",
     [("ALLERGEN", "Contrast"), ("ALLERGEN", "Contrast Medium"), ("SYMPTOM", "Hives")],
     {"Contrast": ["Hives"]}),
    # a word between the name and its brackets; the tagger kept the closing bracket; the
    # synonym carried the reaction link, which moves to the name
    ("Lactose intolerance [lactase] Diarrhea",
     [("ALLERGEN", "Lactose"), ("ALLERGEN", "lactase]"), ("SYMPTOM", "Diarrhea")],
     {"Lactose": ["Diarrhea"]}),
    # a reaction read inside the name's brackets is part of the name
    ("Macrobid [nitrofurantoin *******/m-cryst] Unknown",
     [("ALLERGEN", "Macrobid"), ("ALLERGEN", "nitrofurantoin"), ("SYMPTOM", "m-cryst")],
     {"Macrobid": []}),
])
def test_bracketed_names_are_one_allergen(row: str, spans: list[tuple[str, str]], expected: dict) -> None:
    doc = run(TABLE + row + "\n\nCurrent Outpatient Medications\n", spans)
    assert allergens(doc) == expected


def test_masked_word_and_nested_name_in_an_allergic_to_list() -> None:
    text = "Allergies: is allergic to cats **** [cat's **** (uncaria tomentosa)]; mussels; and codeine."
    doc = run(text, [("ALLERGEN", "cats"), ("ALLERGEN", "cat's"), ("ALLERGEN", "uncaria tomentosa"),
                     ("ALLERGEN", "mussels"), ("ALLERGEN", "codeine")])
    assert sorted(allergens(doc)) == ["cats", "codeine", "mussels"]


@pytest.mark.parametrize("text,spans,expected", [
    # a reaction in brackets with no second name stays the reaction
    (TABLE + "Penicillin (hives)   \u2022 Sulfa Rash\n",
     [("ALLERGEN", "Penicillin"), ("SYMPTOM", "hives"), ("ALLERGEN", "Sulfa"), ("SYMPTOM", "Rash")],
     {"Penicillin": ["hives"], "Sulfa": ["Rash"]}),
    # the next row is another substance, even right after a closing bracket
    (TABLE + "Codeine [codeine sulfate] Nausea   \u2022 Morphine Rash\n",
     [("ALLERGEN", "Codeine"), ("ALLERGEN", "codeine sulfate"), ("SYMPTOM", "Nausea"), ("ALLERGEN", "Morphine"),
      ("SYMPTOM", "Rash")],
     {"Codeine": ["Nausea"], "Morphine": ["Rash"]}),
    # brackets that do not close on the line are no name
    (TABLE + "Codeine [codeine\n   \u2022 Morphine Rash\n",
     [("ALLERGEN", "Codeine"), ("ALLERGEN", "Morphine"), ("SYMPTOM", "Rash")],
     {"Codeine": [], "Morphine": ["Rash"]}),
])
def test_other_substances_stay_apart(text: str, spans: list[tuple[str, str]], expected: dict) -> None:
    assert allergens(run(text, spans)) == expected


@pytest.mark.parametrize("text,expected", [
    ("X [a (b)] rash", ["[a (b)]"]),
    ("X (W/ c) [d-**] rash", ["(W/ c)", "[d-**]"]),
    ("X **** [a] rash", ["[a]"]),
    ("X one two [a]", ["[a]"]),
    ("X one two three [a]", []),  # too far from the name
    ("X (also a and b)", []),  # a list, not a name
    ("X (a, b)", []),
    ("X [a (b]", []),  # unbalanced
    ("X [a\n]", []),  # not on the line
    ("X rash", []),
])
def test_name_bracket_groups(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in name_bracket_groups(text, 1)] == expected


# -- a table row's substance and reaction read as one ALLERGEN --------------------------------

def _vocab():  # type: ignore[no-untyped-def]
    from ehrnlp.vocab import VocabEntry, Vocabulary, normalize_term

    rows = [("phenobarbital", "MEDICATION", "IN"), ("codeine", "MEDICATION", "IN"), ("metformin", "MEDICATION", "IN"),
            ("penicillin g", "MEDICATION", "IN"), ("lactose", "MEDICATION", "IN"), ("delirium", "PROBLEM", "disorder"),
            ("nausea and vomiting", "SYMPTOM", "finding"), ("rash", "SYMPTOM", "finding"),
            ("hcl", "PROBLEM", "abbr-ambiguous"), ("hcl", "PROBLEM", "map"), ("copd", "PROBLEM", "disorder"), ("blisters", "REACTION", "synonym"),
            ("timolol", "MEDICATION", "IN"), ("cosopt", "MEDICATION", "IN"), ("latanoprost", "MEDICATION", "IN"),
            ("dorzolamide", "MEDICATION", "IN"), ("alphagan", "MEDICATION", "BN"), ("brimonidine", "MEDICATION", "IN"),
            ("rhopressa", "MEDICATION", "BN"), ("diamox", "MEDICATION", "BN")]
    return Vocabulary(VocabEntry(t, normalize_term(t), lab, "", "", "", tty, "test", "1") for t, lab, tty in rows)


def run_vocab(text: str, spans: list[tuple[str, str]]) -> Document:
    doc = Document(text=text, entities=tuple(sorted(entities_from(text, spans), key=lambda e: (e.start, e.end))))
    doc = RelationStage(vocabulary=_vocab())(AssertionStage()(SectionStage()(doc)))
    doc.check()
    return doc


@pytest.mark.parametrize("row,span,expected", [
    ("Phenobarbital Delirium", "Phenobarbital Delirium", {"Phenobarbital": ["Delirium"]}),
    ("Codeine Nausea and Vomiting", "Codeine Nausea and Vomiting", {"Codeine": ["Nausea and Vomiting"]}),
    # a salt, a letter, an abbreviation that may be a finding, an allergy word: one name
    ("Codeine Sulfate Unknown", "Codeine Sulfate", {"Codeine Sulfate": []}),
    ("Penicillin G Unknown", "Penicillin G", {"Penicillin G": []}),
    ("Metformin Hcl Unknown", "Metformin Hcl", {"Metformin Hcl": []}),
    ("Lactose intolerance Unknown", "Lactose intolerance", {"Lactose intolerance": []}),
])
def test_row_allergen_with_its_reaction_inside(row: str, span: str, expected: dict) -> None:
    doc = run_vocab(TABLE + row + "   \u2022 Morphine Unknown\n", [("ALLERGEN", span), ("ALLERGEN", "Morphine")])
    assert allergens(doc) == {**expected, "Morphine": []}


def test_row_split_needs_a_table_and_a_vocabulary() -> None:
    prose = "She is allergic to Phenobarbital Delirium per the old chart."
    assert allergens(run_vocab(prose, [("ALLERGEN", "Phenobarbital Delirium")])) == {"Phenobarbital Delirium": []}
    table = TABLE + "Phenobarbital Delirium\n"
    assert allergens(run(table, [("ALLERGEN", "Phenobarbital Delirium")])) == {"Phenobarbital Delirium": []}


# -- reactions after "<allergen> -" in an allergy field that the tagger left untagged ------

FIELD = "Glaucoma Summary:\nAllergies/Intolerances: "


@pytest.mark.parametrize("entry,spans,expected", [
    ("Timolol -breathing issues", [("ALLERGEN", "Timolol")], {"Timolol": ["breathing issues"]}),
    ("Timolol/Cosopt - fatigue, depression  Latanoprost - no effect",
     [("ALLERGEN", "Timolol"), ("ALLERGEN", "Cosopt"), ("SYMPTOM", "fatigue"), ("ALLERGEN", "Latanoprost")],
     {"Timolol": ["depression", "fatigue"], "Cosopt": ["depression", "fatigue"], "Latanoprost": []}),
    ("Cosopt (*****) -> blisters on the eye", [("ALLERGEN", "Cosopt")], {"Cosopt": ["blisters"]}),
    ("Rhopressa - itching & watering", [("ALLERGEN", "Rhopressa"), ("SYMPTOM", "itching")],
     {"Rhopressa": ["itching", "watering"]}),
    ("Brimonidine - severe aching", [("ALLERGEN", "Brimonidine")], {"Brimonidine": ["aching"]}),
    # a word the tagger called ALLERGEN right before the reaction is part of it
    ("Timolol - retinal light flashes, dorzolamide - ineffective",
     [("ALLERGEN", "Timolol"), ("ALLERGEN", "retinal"), ("SYMPTOM", "light flashes"), ("ALLERGEN", "dorzolamide")],
     {"Timolol": ["retinal light flashes"], "dorzolamide": []}),
])
def test_dash_entry_reactions(entry: str, spans: list[tuple[str, str]], expected: dict) -> None:
    doc = run_vocab(FIELD + entry + "\n\nSTUDIES:\n", spans)
    assert allergens(doc) == expected


@pytest.mark.parametrize("entry,spans,expected", [
    # ineffective, allergy words, a contraindication (a disorder, no reaction), a dose
    ("Dorzolamide - no effect, Alphagan - Intolerant", [("ALLERGEN", "Dorzolamide"), ("ALLERGEN", "Alphagan")],
     {"Dorzolamide": [], "Alphagan": []}),
    ("Brimonidine - Many drug sensitivities", [("ALLERGEN", "Brimonidine")], {"Brimonidine": []}),
    ("BBs - COPD", [("ALLERGEN", "BBs")], {"BBs": []}),
    ("Diamox - 250 mg caused tingling", [("ALLERGEN", "Diamox")], {"Diamox": []}),
    # a masked comment
    ("Timolol - ****** ****", [("ALLERGEN", "Timolol")], {"Timolol": []}),
])
def test_dash_entry_reactions_negatives(entry: str, spans: list[tuple[str, str]], expected: dict) -> None:
    doc = run_vocab(FIELD + entry + "\n\nSTUDIES:\n", spans)
    assert allergens(doc) == expected


def test_dash_entry_reactions_only_in_allergy_fields() -> None:
    text = "Plan:\nTimolol - fatigue is expected to improve. Continue timolol.\n"
    doc = run_vocab(text, [("ALLERGEN", "Timolol"), ("MEDICATION", "timolol")])
    assert not doc.entities_of("ALLERGEN") and not doc.entities_of("SYMPTOM") and not doc.entities_of("REACTION")


# -- layout: runs of spaces, tabs, no-break spaces change nothing ----------------------------

@pytest.mark.parametrize("gap", [" ", "   ", "\t", "\u00a0"])
def test_the_three_rules_are_layout_invariant(gap: str) -> None:
    rows = ("Travatan [travoprost (benzalkonium)] Eye redness   \u2022 Phenobarbital Delirium\n\n"
            "Glaucoma Summary:\nAllergies/Intolerances: Timolol -breathing issues, Cosopt - fatigue, depression\n\nSTUDIES:\n")
    text = (TABLE + rows).replace(" ", gap)
    spans = [("ALLERGEN", "Travatan"), ("ALLERGEN", "benzalkonium"), ("SYMPTOM", "Eye redness"),
             ("ALLERGEN", "Phenobarbital Delirium"), ("ALLERGEN", "Timolol"), ("ALLERGEN", "Cosopt"), ("SYMPTOM", "fatigue")]
    doc = run_vocab(text, [(label, phrase.replace(" ", gap)) for label, phrase in spans])
    found = {k.replace(gap, " "): sorted(r.replace(gap, " ") for r in v) for k, v in allergens(doc).items()}
    assert found == {"Travatan": ["Eye redness"], "Phenobarbital": ["Delirium"], "Timolol": ["breathing issues"],
                     "Cosopt": ["depression", "fatigue"]}
