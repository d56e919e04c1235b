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
