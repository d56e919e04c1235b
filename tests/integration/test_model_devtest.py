"""Dev-test regression floors for the shipped model (set a few points under the measured
scores in MODEL_CARD.md, so a broken export or decoding change fails loudly)."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _report(corpus):
    from ehrnlp.evaluate import evaluate_ner
    from ehrnlp.training.corpus import load_corpus, split_docs

    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA}")
    docs = split_docs(load_corpus(corpus, DATA)[0], corpus, "dev-test")
    return evaluate_ner(docs, backend="transformer")["overall"]["labels"]


def test_glaucoma_devtest_floor():
    rows = _report("glaucoma")
    assert rows["MEDICATION"]["overlap"]["f1"] >= 0.92  # measured 0.960 (0.5.0)
    assert rows["FREQUENCY"]["overlap"]["f1"] >= 0.93  # measured 0.964 (0.5.0)
    assert rows["ROUTE"]["overlap"]["f1"] >= 0.90  # measured 0.957 (0.5.0)


def test_maccrobat_devtest_floor():
    rows = _report("maccrobat")
    assert rows["SYMPTOM"]["overlap"]["f1"] >= 0.67  # measured 0.715 (0.5.0)
    assert rows["PROBLEM"]["overlap"]["f1"] >= 0.62  # measured 0.662 (0.5.0)
    assert rows["MEDICATION"]["overlap"]["f1"] >= 0.79  # measured 0.835 (0.5.0)


def test_synthetic_allergy_heldout_floor():
    from ehrnlp.evaluate import evaluate_ner
    from ehrnlp.training.synth import generate

    rows = evaluate_ner(generate(300, seed=20261128, heldout=True), backend="transformer")["overall"]["labels"]
    assert rows["ALLERGEN"]["overlap"]["f1"] >= 0.93  # measured 0.972 (0.5.0)
    assert rows["REACTION"]["overlap"]["f1"] >= 0.94  # measured 0.979 (0.5.0)
