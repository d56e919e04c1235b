"""The shipped NER model: integrity, default loading, obvious entities in a synthetic note."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

NOTE = (
    "HPI: [NAME] is a 67 y.o. female with hypertension and type 2 diabetes mellitus who presents with "
    "chest pain and shortness of breath for 3 days. Denies fever.\n"
    "Allergies: Penicillin (hives), Sulfa - rash.\n"
    "Medications:\n"
    "- metoprolol succinate 50 mg by mouth daily\n"
    "- latanoprost 1 drop OU qhs\n"
)


@pytest.fixture(scope="module")
def stage():
    from ehrnlp.config import NerConfig
    from ehrnlp.ner.tagger import TransformerStage, bundled_model_available

    assert bundled_model_available(), "the fine-tuned weights must ship in src/ehrnlp/models/ner"
    return TransformerStage(NerConfig(), None)


def _found(doc, label, text):
    return any(e.label == label and text.lower() in e.text.lower() for e in doc.entities)


def test_finds_obvious_entities(stage):
    from ehrnlp.model import Document

    doc = stage(Document(text=NOTE))
    doc.check()
    for label, text in [("PROBLEM", "hypertension"), ("SYMPTOM", "chest pain"), ("ALLERGEN", "Penicillin"),
                        ("REACTION", "hives"), ("MEDICATION", "metoprolol"), ("DOSE", "50 mg"),
                        ("ROUTE", "by mouth"), ("FREQUENCY", "daily"), ("MEDICATION", "latanoprost"),
                        ("ROUTE", "OU"), ("FREQUENCY", "qhs")]:
        assert _found(doc, label, text), f"{label} {text!r} not found"
    # penicillin is an allergen here, not a medication taken
    assert not _found(doc, "MEDICATION", "Penicillin")
    assert all(0.0 < e.confidence <= 1.0 for e in doc.entities)


def test_long_note_has_entities_past_512_tokens(stage):
    from ehrnlp.model import Document

    filler = "Vision is stable compared to the last visit. " * 120  # ~1,000 tokens
    text = filler + NOTE
    doc = stage(Document(text=text))
    assert _found(doc, "MEDICATION", "latanoprost")
    assert min(e.start for e in doc.entities if e.label == "MEDICATION") > len(filler)


def test_load_uses_bundled_model_by_default():
    import ehrnlp

    nlp = ehrnlp.load(deidentify=False)
    ner = nlp.get_stage("ner")
    assert type(ner).__name__ == "TransformerStage"
    doc = nlp(NOTE)
    assert any(e.label == "MEDICATION" and e.source == "transformer" for e in doc.entities)


def test_model_card_and_checksums_present():
    from ehrnlp.ner.tagger import bundled_model_dir, verify_model_dir

    d = bundled_model_dir()
    meta = verify_model_dir(d)
    assert (d / "MODEL_CARD.md").is_file()
    size = sum(f.stat().st_size for f in Path(d).iterdir() if f.is_file())
    assert size <= 50 * 1024 * 1024
    assert meta["labels"][0] == "O" and "B-ALLERGEN" in meta["labels"]
