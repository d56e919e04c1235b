"""Metric functions on hand-made spans."""

import json

from ehrnlp.evaluate import Span, prf, score_document, summarize


def test_prf_edge_cases():
    assert prf(0, 0, 0, 0) == (0.0, 0.0, 0.0)
    p, r, f = prf(2, 2, 1, 3)
    assert (p, r) == (0.5, 0.25) and abs(f - 1 / 3) < 1e-9


def test_strict_vs_overlap():
    gold = [Span(0, 10, "PROBLEM"), Span(20, 25, "MEDICATION"), Span(30, 35, "DOSE")]
    pred = [Span(0, 10, "PROBLEM"), Span(18, 25, "MEDICATION"), Span(30, 35, "ROUTE"), Span(40, 45, "DOSE")]
    s = summarize(score_document(gold, pred))
    prob, med, dose = s["labels"]["PROBLEM"], s["labels"]["MEDICATION"], s["labels"]["DOSE"]
    assert prob["strict"]["f1"] == 1.0 and prob["overlap"]["f1"] == 1.0
    assert med["strict"]["f1"] == 0.0 and med["overlap"]["f1"] == 1.0
    assert dose["strict"]["r"] == 0.0 and dose["overlap"]["p"] == 0.0
    assert s["labels"]["ROUTE"]["overlap"]["p"] == 0.0
    assert s["micro"]["support"] == 3 and s["micro"]["predicted"] == 4


def test_overlap_counts_gold_and_predictions_separately():
    # one long prediction covering two gold spans: both gold found, one prediction correct
    gold = [Span(0, 5, "SYMPTOM"), Span(7, 12, "SYMPTOM")]
    pred = [Span(0, 12, "SYMPTOM")]
    row = summarize(score_document(gold, pred))["labels"]["SYMPTOM"]
    assert row["overlap"]["r"] == 1.0 and row["overlap"]["p"] == 1.0
    assert row["strict"]["f1"] == 0.0


def test_ignore_spans_and_label_restriction():
    gold = [Span(0, 5, "MEDICATION"), Span(10, 15, "MEDICATION")]
    pred = [Span(0, 5, "MEDICATION"), Span(11, 13, "MEDICATION"), Span(20, 25, "SYMPTOM")]
    c = score_document(gold, pred, ignore=[(9, 16)], labels={"MEDICATION"})
    s = summarize(c)
    assert set(s["labels"]) == {"MEDICATION"}
    assert s["labels"]["MEDICATION"]["strict"] == {"p": 1.0, "r": 1.0, "f1": 1.0}


def test_negation_accuracy():
    gold = [Span(0, 5, "SYMPTOM", True), Span(10, 15, "SYMPTOM", False), Span(20, 25, "SYMPTOM", True)]
    pred = [Span(0, 5, "SYMPTOM", True), Span(10, 15, "SYMPTOM", True)]
    row = summarize(score_document(gold, pred))["labels"]["SYMPTOM"]
    assert row["negation_accuracy"] == 0.5 and row["negation_n"] == 2


def test_cli_on_gold_file_with_given_predictions(tmp_path):
    from ehrnlp.evaluate import evaluate_ner
    from ehrnlp.training.corpus import read_gold_jsonl

    p = tmp_path / "gold.jsonl"
    p.write_text(json.dumps({"id": "a", "text": "Allergic to penicillin: hives.",
                             "entities": [{"start": 12, "end": 22, "label": "ALLERGEN"},
                                          {"start": 24, "end": 29, "label": "REACTION"}]}) + "\n")
    recs = read_gold_jsonl(p)
    rep = evaluate_ner(recs, predictions=[[Span(12, 22, "ALLERGEN")]])
    assert rep["overall"]["labels"]["ALLERGEN"]["strict"]["f1"] == 1.0
    assert rep["overall"]["labels"]["REACTION"]["overlap"]["r"] == 0.0


def test_synthetic_allergy_refuses_a_split_it_does_not_have():
    import argparse

    import pytest

    from ehrnlp.errors import InputError
    from ehrnlp.evaluate import _load_records

    args = argparse.Namespace(corpus="synthetic-allergy", gold=None, split="val", data_root=None)
    with pytest.raises(InputError, match="--split dev-test"):
        _load_records(args)


def test_finding_is_symptom_and_problem_type_blind_and_stays_out_of_micro():
    from ehrnlp.evaluate import evaluate_ner
    from ehrnlp.training.corpus import CorpusDoc, GoldSpan

    text = "fever and a rash with sepsis"
    rec = CorpusDoc("d", "src", text, [GoldSpan(0, 5, "SYMPTOM"), GoldSpan(12, 16, "SYMPTOM"), GoldSpan(22, 28, "PROBLEM")])
    # the rash called a PROBLEM, sepsis missed: typed SYMPTOM R = 0.5; type-blind 2 of 3 found
    preds = [[Span(0, 5, "SYMPTOM"), Span(12, 16, "PROBLEM")]]
    rep = evaluate_ner([rec], predictions=preds)
    f = rep["overall"]["FINDING"]["overlap"]
    assert (f["p"], round(f["r"], 4)) == (1.0, 0.6667)
    assert rep["overall"]["labels"]["SYMPTOM"]["overlap"]["r"] == 0.5
    assert "FINDING" not in rep["overall"]["labels"]  # the micro average counts each span once
    assert rep["overall"]["micro"]["support"] == 3
    # a source that does not annotate both types gets no FINDING row
    only_sym = CorpusDoc("e", "other", text, [GoldSpan(0, 5, "SYMPTOM")], annotated=frozenset({"SYMPTOM"}))
    assert "FINDING" not in evaluate_ner([only_sym], predictions=[[Span(0, 5, "SYMPTOM")]])["overall"]
