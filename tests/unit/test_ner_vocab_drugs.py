"""A line on its own keeps its drug (issue 18): vocabulary drugs the transformer loses in a
short text, without the model (its spans are given). All lines are invented."""

from __future__ import annotations

import dataclasses as dc

import pytest
from entity_doc import entities_from

from ehrnlp.model import Document
from ehrnlp.ner.decode import DecodedSpan


@pytest.fixture(scope="module")
def vocab():
    from ehrnlp.vocab import load_vocabulary

    return load_vocabulary()


@pytest.fixture(scope="module")
def rescue(vocab):
    from ehrnlp.ner.rules import RuleMatcherStage
    from ehrnlp.ner.tagger import _ambiguous_drugs, vocabulary_drugs

    matcher = RuleMatcherStage(vocab)
    ambiguous = _ambiguous_drugs(vocab)

    def run(line: str, spans=(), names=()):
        ents = [dc.replace(e, source="transformer") for e in entities_from(line, list(spans))]
        name_spans = []
        for label, phrase in names:
            i = line.index(phrase)
            name_spans.append(DecodedSpan(label, i, i + len(phrase), 0.9))
        got = vocabulary_drugs(Document(text=line), ents, name_spans, matcher, ambiguous)
        assert all(e.source == "vocabulary" and e.text == line[e.start:e.end] for e in got)
        return [(e.label, e.text) for e in got]

    return run


@pytest.mark.parametrize("line,spans,drug", [
    # a sig right after it: the model's, or the sig vocabulary's
    ("Cosopt OU", [("ROUTE", "OU")], "Cosopt"),
    ("-Travoprost QAM, OU", [("FREQUENCY", "QAM")], "Travoprost"),
    ("Frequent PFATs q2h", [("FREQUENCY", "q2h")], "PFATs"),
    ("Refresh Optive PRN OU", [("FREQUENCY", "PRN"), ("ROUTE", "OU")], "Refresh Optive"),
    ("Systane Ultra 1 gtt BID OU", [("DOSE", "1 gtt"), ("FREQUENCY", "BID")], "Systane Ultra"),
    ("Erythromycin ung qhs OS", [("FREQUENCY", "qhs")], "Erythromycin"),
    ("Refresh Celluvisc qid", [], "Refresh Celluvisc"),
    # a person's name that is also a brand, before its dose and frequency
    ("Allegra 180 mg daily", [], "Allegra"),
    ("Nicotine patch 21 mg daily", [("DOSE", "21 mg")], "Nicotine"),
])
def test_a_vocabulary_drug_before_its_sig_is_the_drug(rescue, line, spans, drug):
    assert ("MEDICATION", drug) in rescue(line, spans)


@pytest.mark.parametrize("line,names,drugs", [
    ("Current eye meds: Dorzolamide", [("NAME", "Dorzolamide")], ["Dorzolamide"]),
    ("Cont Xiidra", [("NAME", "Xiidra")], ["Xiidra"]),
    ("Pressure fine on combigan and travatan.", [("NAME", "combigan"), ("LOCATION", "travatan")],
     ["combigan", "travatan"]),
    ("Insurance would not cover Rhopressa", [("NAME", "Rhopressa")], ["Rhopressa"]),
])
def test_a_drug_the_model_read_as_a_name_is_the_drug(rescue, line, names, drugs):
    assert rescue(line, names=names) == [("MEDICATION", d) for d in drugs]


@pytest.mark.parametrize("line,spans,names", [
    # people: no vocabulary drug, a listed person's name, a title
    ("Kolbeinn BID", [("FREQUENCY", "BID")], [("NAME", "Kolbeinn")]),
    ("Mary Smith BID OU", [("FREQUENCY", "BID"), ("ROUTE", "OU")], [("NAME", "Mary Smith")]),
    ("Allegra came with her daughter.", [], [("NAME", "Allegra")]),
    ("Seen by Dr. Timolol today", [], [("NAME", "Timolol")]),
    ("Dr. Timolol BID", [("FREQUENCY", "BID")], []),
    # a drug word with neither a sig nor a name reading: the model is trusted
    ("Discussed the side effects of timolol", [], []),
    # an ambiguous abbreviation before a laterality only: normal-tension glaucoma of the left eye
    ("1. NTG OS>OD", [("ROUTE", "OS")], []),
    # "at" the preposition; an ambiguous word that does not open its line; a lab value
    ("at prn", [], []),
    ("Meet at noon daily", [("FREQUENCY", "daily")], []),
    ("Sodium 138", [], []),
    ("Labs: lipase 4.3 mg/dL, INR 1.1", [], []),
    ("Follow up in 3 months OU", [("ROUTE", "OU")], []),
    # the model's own drug stays the model's
    ("Cosopt OU", [("MEDICATION", "Cosopt"), ("ROUTE", "OU")], []),
    # a drug in an allergy statement is no medication, nor one a reaction follows on its line
    # (an allergy entry cut out of its table), nor a bare list item inside a longer text
    # (allergies or medications?)
    ("Allergies: Cosopt rash", [], [("NAME", "Cosopt")]),
    ("Augmentin - angioedema, hives", [("REACTION", "angioedema")], [("NAME", "Augmentin")]),
    ("Lamotrigine:   mild", [("SEVERITY", "mild")], [("NAME", "Lamotrigine")]),
    ("Seen today.\n\u2022 Keflex\nFollow up in 3 months.", [], [("NAME", "Keflex")]),
    ("Reviewed list:\nDorzolamide.\nLatanoprost.", [], [("NAME", "Dorzolamide"), ("NAME", "Latanoprost")]),
    # a substance used socially: a frequency is its use
    ("Vapes nicotine daily.", [("FREQUENCY", "daily")], []),
    ("Drinks alcohol daily", [("FREQUENCY", "daily")], []),
])
def test_no_drug_where_none_is(rescue, line, spans, names):
    assert not [x for x in rescue(line, spans, names) if x[0] == "MEDICATION"]


@pytest.mark.parametrize("line,spans,got", [
    ("AT PRN OU", [], [("MEDICATION", "AT"), ("FREQUENCY", "PRN"), ("ROUTE", "OU")]),
    ("Eye meds:  AT PRN", [], [("MEDICATION", "AT"), ("FREQUENCY", "PRN")]),
    ("Continue AT QID as needed", [("FREQUENCY", "QID")], [("MEDICATION", "AT"), ("FREQUENCY", "as needed")]),
    ("Refresh OU PRN", [("ROUTE", "OU"), ("FREQUENCY", "PRN")], [("MEDICATION", "Refresh")]),
    ("- Soothe qhs OS", [("FREQUENCY", "qhs"), ("ROUTE", "OS")], [("MEDICATION", "Soothe")]),
    ("Potassium 20 mEq PO daily", [("DOSE", "20 mEq"), ("ROUTE", "PO"), ("FREQUENCY", "daily")],
     [("MEDICATION", "Potassium")]),
    # a dose form standing for the product in the drug's slot
    ("Gel at night OD", [("FREQUENCY", "at night"), ("ROUTE", "OD")], [("MEDICATION", "Gel")]),
    ("Ointment qhs OU", [("FREQUENCY", "qhs"), ("ROUTE", "OU")], [("MEDICATION", "Ointment")]),
])
def test_an_ambiguous_drug_word_counts_in_a_drugs_slot_before_a_sig(rescue, line, spans, got):
    assert rescue(line, spans) == got


@pytest.mark.parametrize("line", ["AT the clinic PRN", "Was seen AT noon daily", "Refresh the dressing daily",
                                  "Gel OD", "Cataract OD, Soothe OS"])
def test_an_ambiguous_word_off_a_drugs_slot_is_no_drug(rescue, line):
    assert not [x for x in rescue(line) if x[0] == "MEDICATION"]


@pytest.mark.parametrize("line,spans,label", [
    ("AREDS 2", [("PROBLEM", "AREDS 2")], "MEDICATION"),
    ("Soothe qhs OS", [("SYMPTOM", "Soothe"), ("FREQUENCY", "qhs")], "MEDICATION"),
    # an ambiguous product word without its sig, an ingredient, a disease: kept as read
    ("Soothe", [("SYMPTOM", "Soothe")], "SYMPTOM"),
    ("Pt reports alcohol", [("PROBLEM", "alcohol")], "PROBLEM"),
    ("Glaucoma", [("PROBLEM", "Glaucoma")], "PROBLEM"),
])
def test_a_product_read_as_a_finding_is_the_drug(vocab, line, spans, label):
    from ehrnlp.ner.tagger import _brands_read_as_findings

    ents = [dc.replace(e, source="transformer") for e in entities_from(line, spans)]
    assert _brands_read_as_findings(line, ents, vocab)[0].label == label


def test_lubricant_eye_drop_brands_are_in_the_vocabulary(vocab):
    for term in ("Systane Ultra", "Refresh Optive", "Refresh Tears", "TheraTears", "Retaine MGD", "Soothe XP",
                 "lubricant eye drops", "preservative-free tears", "autologous serum eye drops"):
        rows = vocab.lookup(term)
        assert rows and all(r.label == "MEDICATION" for r in rows), term
    # a brand that is an English word alone is ambiguous: the rule matcher does not match it blindly
    assert {r.tty for r in vocab.lookup("Refresh")} == {"abbr-ambiguous"}
    from ehrnlp.ner.rules import RuleMatcherStage

    assert not RuleMatcherStage(vocab).find("Refresh the page and soothe the child")


# ---- an order or use verb opening a line or sentence orders a drug (no sig needed) ----------
@pytest.mark.parametrize("line,names,drug", [
    ("Frequent PFATs", [], "PFATs"),
    ("Continue Xiidra", [], "Xiidra"),
    ("- cont. Restasis", [], "Restasis"),
    ("Plan: Start Lumigan.", [], "Lumigan"),
    ("IOP at goal. Continue Cosopt and Lumigan", [], "Cosopt"),
    ("2) Use PF ATs", [], "PF ATs"),
    # an ambiguous term that is all the verb orders
    ("Continue AT", [], "AT"),
    ("Cont lubrication", [], "lubrication"),
    ("Recommended Refresh.", [], "Refresh"),
    # a brand that is also a given name, read as a person: after the order verb it is the drug
    ("Continue Allegra", [("NAME", "Allegra")], "Allegra"),
])
def test_the_drug_an_order_verb_orders(rescue, line, names, drug):
    assert ("MEDICATION", drug) in rescue(line, names=names)


@pytest.mark.parametrize("line", [
    "Continue drops",                          # the drops the patient uses: no product named
    "Continue current regimen",
    "Continue alcohol cessation counselling",  # a substance used socially
    "Discussed lubrication and lid hygiene",   # an ambiguous term off an order verb's slot
    "Continue to follow with Dr. Timolol",     # a title before the word
    "Lubrication was discussed",
    "Refresh the dressing daily",
    "Continue at home",
])
def test_no_ordered_drug_where_none_is(rescue, line):
    assert not [x for x in rescue(line) if x[0] == "MEDICATION"]


def test_lubricating_words_are_in_the_vocabulary(vocab):
    for term in ("eye lubrication", "PF ATs", "PFAT's", "lubricant gel", "artificial tear ointment"):
        rows = vocab.lookup(term)
        assert rows and all(r.label == "MEDICATION" for r in rows), term
    # "lubrication" alone is ambiguous: never matched blindly
    assert {r.tty for r in vocab.lookup("lubrication")} == {"abbr-ambiguous"}
    from ehrnlp.ner.rules import RuleMatcherStage

    assert not RuleMatcherStage(vocab).find("Joint lubrication was discussed")


@pytest.mark.parametrize("line,spans,label", [
    # a word the vocabulary knows only as a drug, right before the model's sig, is that sig's drug
    ("Latanoprost qhs OU", [("PROBLEM", "Latanoprost"), ("FREQUENCY", "qhs"), ("ROUTE", "OU")], "MEDICATION"),
    ("Timolol BID OU", [("ALLERGEN", "Timolol"), ("FREQUENCY", "BID"), ("ROUTE", "OU")], "MEDICATION"),
    ("Brimonidine 0.2% TID", [("SYMPTOM", "Brimonidine"), ("DOSE", "0.2%"), ("FREQUENCY", "TID")], "MEDICATION"),
    # an allergy context or an allergy word on the line keeps the ALLERGEN
    ("Allergies: Timolol BID OU", [("ALLERGEN", "Timolol"), ("FREQUENCY", "BID")], "ALLERGEN"),
    ("Timolol daily - allergic reaction", [("ALLERGEN", "Timolol"), ("FREQUENCY", "daily")], "ALLERGEN"),
    # only a laterality after it, no sig; a word that is also a finding; an ambiguous term
    ("Timolol OU", [("ALLERGEN", "Timolol"), ("ROUTE", "OU")], "ALLERGEN"),
    ("Glaucoma BID", [("PROBLEM", "Glaucoma"), ("FREQUENCY", "BID")], "PROBLEM"),
    ("Soothe daily", [("SYMPTOM", "Soothe"), ("FREQUENCY", "daily")], "SYMPTOM"),
    # a person's name the model did not read as a drug stays what it was read as
    ("Kolbeinn BID", [("SYMPTOM", "Kolbeinn"), ("FREQUENCY", "BID")], "SYMPTOM"),
])
def test_a_drug_read_as_something_else_before_its_sig(vocab, line, spans, label):
    from ehrnlp.ner.tagger import _drugs_before_their_sig
    from ehrnlp.sections import SectionStage

    doc = SectionStage()(Document(text=line))
    ents = [dc.replace(e, source="transformer") for e in entities_from(line, spans)]
    assert _drugs_before_their_sig(doc, ents, vocab)[0].label == label


@pytest.mark.parametrize("line,spans,label", [
    # no allergy context: the drug the text names
    ("Antibiotics including penicillin, meropenem and vancomycin were continued.",
     [("ALLERGEN", "meropenem")], "MEDICATION"),
    ("Took Timolol this morning", [("ALLERGEN", "Timolol")], "MEDICATION"),
    # an allergy context, an allergy word or a finding on its line, a bare list item, a food
    ("Allergies: penicillin, meropenem", [("ALLERGEN", "meropenem")], "ALLERGEN"),
    ("She is allergic to meropenem and codeine", [("ALLERGEN", "meropenem")], "ALLERGEN"),
    ("Meropenem caused a rash", [("ALLERGEN", "Meropenem"), ("REACTION", "rash")], "ALLERGEN"),
    ("Meropenem - hives", [("ALLERGEN", "Meropenem"), ("SYMPTOM", "hives")], "ALLERGEN"),
    ("- Meropenem", [("ALLERGEN", "Meropenem")], "ALLERGEN"),
    ("Ate peanuts at the party", [("ALLERGEN", "peanuts")], "ALLERGEN"),
])
def test_an_allergen_needs_an_allergy_context(vocab, line, spans, label):
    from ehrnlp.ner.tagger import _allergens_without_context
    from ehrnlp.sections import SectionStage

    doc = SectionStage()(Document(text=line))
    ents = [dc.replace(e, source="transformer") for e in entities_from(line, spans)]
    assert _allergens_without_context(doc, ents, vocab)[0].label == label


# a text that is one drug and nothing else (a list field or cell handed to nlp() alone): the
# drug, whatever the model read; with no allergy context it is a medication (issue 18's
# semantics), though an allergy list's row alone reads the same: the chosen reading, documented
@pytest.mark.parametrize("line,drug", [
    ("metformin", "metformin"),
    ("Cosopt", "Cosopt"),
    ("Timolol.", "Timolol"),
    ("\u2022 Keflex", "Keflex"),
    ("  3. Lisinopril  ", "Lisinopril"),
    ("- Lamotrigine\n", "Lamotrigine"),
    ("FISH OIL", "FISH OIL"),
    ("Dorzolamide.", "Dorzolamide"),
])
def test_a_text_that_is_one_drug_is_the_drug(rescue, line, drug):
    assert rescue(line) == [("MEDICATION", drug)]


@pytest.mark.parametrize("line", ["AT", "at", "Nicotine", "alcohol", "Peanuts", "Follow up", "OU"])
def test_a_text_that_is_one_word_is_no_drug_unless_the_vocabulary_says_so(rescue, line):
    assert not [x for x in rescue(line) if x[0] == "MEDICATION"]
