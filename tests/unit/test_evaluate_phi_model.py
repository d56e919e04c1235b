"""``ehrnlp evaluate --task phi --model PATH`` reads that model (with and without ``--perturb``):
the option was ignored before, so a run meant to score a candidate model scored the bundled one."""

from __future__ import annotations

import json

import pytest

from ehrnlp.cli import main


@pytest.fixture()
def gold(tmp_path):
    p = tmp_path / "gold.jsonl"
    text = "Seen by Dr. Quorrath today."
    i = text.index("Quorrath")
    p.write_text(json.dumps({"id": "g1", "split": "dev", "text": text,
                             "phi": [{"start": i, "end": i + len("Quorrath"), "label": "NAME"}]}) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("perturb", [[], ["--perturb", "upper"]])
def test_a_missing_model_folder_is_an_error_not_the_bundled_model(gold, tmp_path, capsys, perturb):
    missing = tmp_path / "no_such_model"
    rc = main(["evaluate", "--task", "phi", str(gold), "--model", str(missing), *perturb])
    err = capsys.readouterr().err
    assert rc != 0
    assert "Quorrath" not in err  # the note's text never reaches the error


def test_without_model_the_bundled_one_scores(gold, capsys):
    rc = main(["evaluate", "--task", "phi", str(gold), "--perturb", "upper"])
    assert rc == 0
    assert "span recall" in capsys.readouterr().out
