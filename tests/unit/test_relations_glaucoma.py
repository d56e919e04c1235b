"""Allergy semantics on hand-annotated Glaucoma notes (needs ../shared/data; skipped without it).

The gold file holds offsets and labels only; the note text is read from the shared data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "data" / "glaucoma_allergy_gold.jsonl"
DATA = REPO.parent / "shared" / "data"


def _records() -> list[dict]:
    return [r for r in (json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()) if "file" in r]


def test_gold_file_holds_no_note_text() -> None:
    recs = _records()
    assert len(recs) >= 30
    for r in recs:
        assert re.fullmatch(r"[0-9a-f]{10}\.txt", r["file"])
        assert r["status"] in ("none-known", "listed", None)
        for s, e, label in r["input"]:
            assert isinstance(s, int) and isinstance(e, int) and label.isupper()
        assert set(r) == {"file", "batch", "status", "regions", "allergens", "reactions", "ignore", "input"}


@pytest.mark.shared_data
def test_allergy_tables_with_gold_mentions() -> None:
    if not (DATA / "glaucoma" / "notes").is_dir():
        pytest.skip("../shared/data/glaucoma/notes not found (shared data folder absent)")
    import importlib.util

    spec = importlib.util.spec_from_file_location("eval_context", REPO / "scripts" / "eval_context.py")
    mod = importlib.util.module_from_spec(spec)
    import sys

    sys.modules.setdefault("eval_context", mod)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    res = mod.eval_allergy(DATA, GOLD)
    assert res["notes"] >= 30
    assert res["allergen_f1"] >= 0.95
    assert res["reaction_link_f1"] >= 0.90
    assert res["status_correct"] == res["notes"]


def test_eval_context_dev_test_leaves_the_lockbox_out() -> None:
    """The negation harness scores dev-test without the lockbox slice, as ``ehrnlp evaluate``
    does; ``--split lockbox`` is that slice alone; train never holds a dev-test note."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("eval_context", REPO / "scripts" / "eval_context.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_context", mod)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    from ehrnlp.training.corpus import lockbox_ids

    locked = {i.split("-", 1)[1] for i in lockbox_ids("maccrobat")}
    dev, box, train = (mod.split_ids("maccrobat", s) for s in ("dev-test", "lockbox", "train"))
    assert locked and box == locked
    assert dev and not dev & box
    assert "__complement__" in train and (dev | box) <= train
    assert mod.split_ids("maccrobat", "all") is None
