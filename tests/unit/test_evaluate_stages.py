"""``ehrnlp evaluate --stages pipeline`` scores what ``nlp()`` returns (relations and
normalization included), not only the NER stage's labels."""

from __future__ import annotations

from ehrnlp.evaluate import evaluate_ner
from ehrnlp.training.corpus import CorpusDoc, GoldSpan


def test_the_pipeline_scores_labels_the_relations_stage_gives() -> None:
    # an allergy row alone: the tagger reads the drug as nothing, the relations stage reads
    # the row and makes the vocabulary's drug its allergen and the finding its reaction
    text = "Penicillin - hives"
    rec = CorpusDoc(id="r1", source="test", text=text,
                    spans=[GoldSpan(0, 10, "ALLERGEN"), GoldSpan(13, 18, "REACTION")])
    ner_only = evaluate_ner([rec])["overall"]["labels"]
    full = evaluate_ner([rec], pipeline=True)["overall"]["labels"]
    assert full["ALLERGEN"]["strict"]["f1"] == 1.0 and full["REACTION"]["strict"]["f1"] == 1.0
    assert ner_only["ALLERGEN"]["predicted"] == 0


def test_deidentify_scores_entities_at_their_input_offsets() -> None:
    # a synthetic person before the drug: the de-identified text is shorter or longer than the
    # input, and the entities are scored where they stand in the input
    text = "Seen by Dr. Quorrathby today. Started metformin 500 mg BID."
    a = text.index("metformin")
    rec = CorpusDoc(id="r2", source="test", text=text, spans=[GoldSpan(a, a + 9, "MEDICATION")])
    full = evaluate_ner([rec], pipeline=True, deidentify=True)["overall"]["labels"]
    assert full["MEDICATION"]["strict"]["f1"] == 1.0


def test_deidentify_counts_a_clinical_word_masked_as_phi_as_missed(monkeypatch) -> None:
    # a de-identifier that masks the drug: the harness must score the loss, not hide it
    from ehrnlp.deid.engine import DeidStage

    text = "Janumet 50/500 mg BID"
    rec = CorpusDoc(id="r3", source="test", text=text, spans=[GoldSpan(0, 7, "MEDICATION")])
    assert evaluate_ner([rec], pipeline=True, deidentify=True)["overall"]["labels"]["MEDICATION"]["strict"]["f1"] == 1.0
    monkeypatch.setattr(DeidStage, "_drug_only", lambda self, text, h: False)  # the stage before the drug veto
    monkeypatch.setattr(DeidStage, "_opening_term", lambda self, text, h: False)  # ... and before the opening-term one (ps17)
    lost = evaluate_ner([rec], pipeline=True, deidentify=True)["overall"]["labels"]["MEDICATION"]
    assert lost["strict"]["f1"] == 0.0
