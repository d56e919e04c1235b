"""De-identification quality on the shared development data (skipped when it is absent)."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


@pytest.fixture(scope="module")
def stage():
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA}: PHI gold checks need ../shared/data")
    from ehrnlp.deid import DeidStage

    return DeidStage()


def test_glaucoma_filled_masks_recall(stage):
    from ehrnlp.deid.evaluate import evaluate_phi
    from ehrnlp.training.goldbuild import glaucoma_records

    recs = list(islice(glaucoma_records(DATA / "glaucoma" / "notes"), 25))
    res = evaluate_phi(recs, stage)
    for label in ("NAME", "DATE", "PHONE"):
        t = res["per_type"].get(label)
        if t and t["n"]:
            assert t["recall"] >= 0.98, (label, t)
    assert res["char_precision"] >= 0.8


def test_maccrobat_clinical_text_is_not_redacted(stage):
    from ehrnlp.deid.evaluate import evaluate_phi
    from ehrnlp.training.goldbuild import maccrobat_records

    recs = list(islice(maccrobat_records(DATA / "maccrobat"), 20))
    res = evaluate_phi(recs, stage)
    assert res["over_redaction"]["rate"] < 0.01, res["over_redaction"]


def test_gold_builder_fills_only_certain_masks():
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA}")
    from ehrnlp.training.goldbuild import glaucoma_records

    rec = next(iter(glaucoma_records(DATA / "glaucoma" / "notes")))
    text = rec["text"]
    for p in rec["phi"]:
        assert "*" not in text[p["start"]:p["end"]]
    for s, e in rec["ignore"]:
        assert set(text[s:e]) == {"*"}
    assert {p["label"] for p in rec["phi"]} <= {"NAME", "DATE", "PHONE", "AGE", "LOCATION"}


def test_presidio_synth_held_out_templates_recall(stage):
    """Free-text names and international addresses (measured 97.9% on all 290 dev sentences)."""
    from ehrnlp.deid.evaluate import evaluate_phi
    from ehrnlp.training.goldbuild import presidio_synth_records

    recs = [r for r in presidio_synth_records(DATA / "presidio-synth" / "synth_dataset_v2.json")
            if r["split"] == "dev"][:120]
    assert recs and all(r["split"] != "train" for r in recs)
    res = evaluate_phi(recs, stage)
    assert res["span_recall"] >= 0.93, res["span_recall"]
    assert res["char_precision"] >= 0.88, res["char_precision"]
