"""The fine-tuned transformer NER stage.

:class:`TransformerStage` loads a token-classification model folder once (the one shipped
in ``ehrnlp/models/ner`` by default), checks the sha256 of every file listed in its
``SHA256SUMS``, and tags notes of any length:

* the note is tokenized once (offsets kept); the token sequence is cut into windows of
  ``max_length - 2`` tokens overlapping by ``max_length - 2 - stride`` tokens;
* windows of all notes in a ``pipe`` call are batched together (grouped by their padded
  length, a multiple of 16 tokens that depends on the window alone, so a note's scores
  never depend on the other notes of the batch);
* each token takes its scores from the window where it has the most context on both
  sides (:func:`ehrnlp.ner.decode.merge_windows`), so entities at window seams are
  decoded once and whole;
* sub-word tokens are grouped into words; a word's tag is its first sub-token's; BIO
  decoding merges B/I mass per type (:func:`ehrnlp.ner.decode.decode_words`);
* confidence is the mean, over the span's words, of the probability of the chosen type
  after temperature scaling (the temperature is fitted on held-out data at export time).

Nothing touches the disk or the network after ``__init__``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import logging
import re
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._hashing import file_sha256
from ..allergy import is_allergy_status
from ..errors import ModelLoadError
from ..model import CLINICAL_LABELS, MODEL_SPANS, Document, Entity, SpanGroup, model_identity
from ..textnorm import is_caseless, layout_view
from .decode import DecodedSpan, decode_words, group_words, make_windows, merge_windows, plan_windows, shifted_windows, softmax
from .labels import PHI_MODEL_LABELS

if TYPE_CHECKING:  # pragma: no cover
    from ..config import NerConfig
    from ..vocab import Vocabulary

__all__ = ["TransformerStage", "bundled_model_available", "bundled_model_dir", "verify_model_dir", "NerModel",
]

log = logging.getLogger("ehrnlp.ner")

MODEL_META = "ehrnlp_model.json"
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", MODEL_META, "SHA256SUMS")


def bundled_model_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "models" / "ner"


def bundled_model_available() -> bool:
    """True when the shipped weights are present (their integrity is checked at load)."""
    d = bundled_model_dir()
    return (d / "model.safetensors").is_file() and (d / "SHA256SUMS").is_file()


def verify_model_dir(path: str | Path) -> dict:
    """Check that a model folder is complete and intact; return its ``ehrnlp_model.json``.

    Raises :class:`ModelLoadError` naming the missing or corrupt file and the fix.
    """
    path = Path(path)
    fix = (
        "reinstall ehrnlp (pip install --force-reinstall ehrnlp) to restore the bundled model"
        if path == bundled_model_dir()
        else "re-export the model folder (ehrnlp.training.train.export_model) or point ner.model_path at a complete one"
    )
    if not path.is_dir():
        raise ModelLoadError(f"NER model folder not found: {path}; {fix}")
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if missing:
        raise ModelLoadError(f"NER model folder {path} lacks {', '.join(missing)}; {fix}")
    listed = {}
    for lineno, line in enumerate((path / "SHA256SUMS").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise ModelLoadError(f"{path / 'SHA256SUMS'} line {lineno} is malformed; {fix}")
        listed[parts[1].lstrip("*")] = parts[0]
    for f in ("model.safetensors", "config.json", "tokenizer.json", MODEL_META):
        if f not in listed:
            raise ModelLoadError(f"{path / 'SHA256SUMS'} does not list {f}; {fix}")
    for name, digest in listed.items():
        fp = path / name
        if not fp.is_file():
            raise ModelLoadError(f"NER model file {fp} listed in SHA256SUMS is missing; {fix}")
        if file_sha256(fp) != digest:
            raise ModelLoadError(f"NER model file {fp} is corrupt (sha256 mismatch); {fix}")
    try:
        meta = json.loads((path / MODEL_META).read_text(encoding="utf-8"))
        meta["labels"] = list(meta["labels"])
        int(meta["max_length"])
    except (ValueError, KeyError, TypeError):
        raise ModelLoadError(f"{path / MODEL_META} is not a valid ehrnlp model description; {fix}") from None
    return meta


#: windows are padded to a multiple of this many tokens (see :meth:`NerModel.logits_for`)
PAD_MULTIPLE = 16


_PAIRS = {")": "(", "]": "[", "}": "{"}
_OPENERS = {v: k for k, v in _PAIRS.items()}
_DASHES = frozenset("-\u2013\u2014")


def balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without a closing bracket at its end, or an opening one at its start,
    that has no partner inside the span (and without the blanks this leaves at either end):
    the tagger sometimes takes the ``)`` after "(rash" with the word; "HbA1c (A1C)" stays.
    A dash standing apart at either end goes too ("Alphagan -" of "Alphagan - light headed";
    "Statins-Hmg-Coa" keeps its hyphens)."""
    while end > start:
        c = text[end - 1]
        if c in _PAIRS and text.count(_PAIRS[c], start, end) < text.count(c, start, end):
            end -= 1
        elif c.isspace() or (c in _DASHES and end - 1 > start and text[end - 2].isspace()):
            end -= 1
        else:
            break
    while start < end:
        c = text[start]
        if c in _OPENERS and text.count(_OPENERS[c], start, end) < text.count(c, start, end):
            start += 1
        elif c.isspace() or (c in _DASHES and start + 1 < end and text[start + 1].isspace()):
            start += 1
        else:
            break
    return start, end


_BREAK = re.compile(r"\n|  ")
#: what may stand for a break before the layout view is read: a line end, a tab, a no-break
#: space or a run of spaces
_RAW_BREAK = re.compile(r"[\n\t\u00a0]|  ")


def split_at_breaks(text: str, spans: Sequence[DecodedSpan]) -> list[DecodedSpan]:
    """Spans cut where they cross a line break or a field / column gap: a run of blanks
    wider than the note's word gap, read in the text's :func:`~ehrnlp.textnorm.layout_view`
    (so tripled spaces or tabs everywhere change nothing). No term of one mention spans
    an Epic table's column gap: "Eye redness     Irritation" is two reactions."""
    if not any(_RAW_BREAK.search(text, sp.start, sp.end) for sp in spans):
        return list(spans)
    view = layout_view(text)
    out: list[DecodedSpan] = []
    for sp in spans:
        vs, ve = view.span_to_view(sp.start, sp.end)
        cuts = [m for m in _BREAK.finditer(view.text, vs, ve)]
        if not cuts:
            out.append(sp)
            continue
        a = vs
        for m in [*cuts, None]:
            b = m.start() if m is not None else ve
            if b > a and view.text[a:b].strip():
                s, e = view.span_to_orig(a, b)
                out.append(DecodedSpan(sp.label, s, e, sp.confidence))
            if m is not None:
                a = m.end()
    return out


def native_bf16() -> bool:
    """True when this CPU multiplies bfloat16 natively (AVX-512 BF16 or AMX); elsewhere
    bfloat16 is emulated and slower than float32."""
    import torch

    cpu = getattr(torch, "cpu", None)
    for probe in ("_is_avx512_bf16_supported", "_is_amx_tile_supported"):
        fn = getattr(cpu, probe, None)
        try:
            if fn is not None and fn():
                return True
        except Exception:  # noqa: BLE001 - a probe that fails means "unknown": stay on float32
            pass
    return False


def auto_precision(meta: dict) -> str:
    """``ner.quantize = "auto"``: the model folder's own default (``quantize`` in
    ``ehrnlp_model.json``) when it names one (``int8``, ``bf16``, ``fp32``); otherwise
    bfloat16 autocast where the CPU multiplies bfloat16 natively (:func:`native_bf16`; about
    1.8x faster, dev F1 within 0.3 point, docs/model.md) and float32 elsewhere. Results do not
    depend on batching in either precision (:meth:`NerModel.logits_for`), but they do differ
    slightly between a machine with native bfloat16 and one without; ``quantize = "none"``
    pins float32 everywhere."""
    q = str(meta.get("quantize", "none") or "none")
    if q == "fp32":
        return "none"
    if q != "none":
        return q
    return "bf16" if native_bf16() else "none"


class NerModel:
    """The model and tokenizer of a verified folder, with windowed batched inference."""

    def __init__(self, path: str | Path, *, batch_size: int = 16, quantize: str | None = None,
                 threads: int | None = None, verify: bool = True, implementation: str = "auto",
                 window_overlap: int | None = None):
        """``threads``: sets torch's (process-wide) intra-op thread count, only when given;
        ``implementation``: ``auto`` runs BERT-family models on ehrnlp's plain-torch module
        and anything else through transformers; ``transformers`` always uses transformers."""
        path = Path(path)
        meta = verify_model_dir(path) if verify else json.loads((path / MODEL_META).read_text())
        try:
            import torch
        except ImportError:  # pragma: no cover
            raise ModelLoadError("the transformer backend needs torch; pip install ehrnlp, "
                                 "or use ner.backend = 'rules'") from None
        if threads:
            torch.set_num_threads(threads)
        try:
            cfg_json = json.loads((path / "config.json").read_text(encoding="utf-8"))
            self._load_tokenizer(path)
            model: Any = None
            #: the vocab-match channel (ehrnlp.ner.channel): 0 = none, the folders before it
            channels = int(cfg_json.get("vocab_channels") or 0)
            if implementation != "transformers":
                from .bert import load_bert_classifier

                model = load_bert_classifier(path)
            if model is None:  # architectures the plain-torch module does not cover
                from transformers import AutoModelForTokenClassification
                from transformers.utils import logging as hf_logging

                hf_logging.set_verbosity_error()
                hf_logging.disable_progress_bar()
                model = AutoModelForTokenClassification.from_pretrained(
                    str(path), local_files_only=True, dtype=torch.float32
                )
                if channels:
                    from .bert import ChannelForward, attach_vocab_channel

                    model = ChannelForward(attach_vocab_channel(model, channels, path))
        except ImportError as exc:  # pragma: no cover
            raise ModelLoadError(f"the transformer backend needs {exc.name}; pip install ehrnlp, "
                                 "or use ner.backend = 'rules'") from None
        except (OSError, ValueError, KeyError) as exc:
            raise ModelLoadError(
                f"could not load the NER model from {path} ({type(exc).__name__}); "
                "re-export it or reinstall ehrnlp"
            ) from None
        model.eval()
        self.vocab_channels = channels
        quantize = quantize if quantize is not None else auto_precision(meta)
        if quantize == "int8":
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        elif quantize == "bf16":
            pass  # fp32 weights; the forward runs under bfloat16 autocast (see logits_for)
        elif quantize not in ("none", "", None):
            raise ModelLoadError(f"unknown quantization '{quantize}' (use 'bf16', 'int8' or 'none')")
        self.quantize = quantize
        self.model = model
        self.torch = torch
        self.meta = meta
        self.labels: list[str] = meta["labels"]
        id2label = {int(k): v for k, v in cfg_json.get("id2label", {}).items()}
        cfg_labels = [id2label[i] for i in range(len(id2label))] if id2label else []
        if cfg_labels != self.labels:
            raise ModelLoadError(f"{path}: labels in config.json and {MODEL_META} differ; re-export the model")
        self.max_length = int(meta["max_length"])
        self.window = self.max_length - 2
        self.stride = int(meta.get("infer_stride", max(1, self.window // 2)))
        #: the least overlap of neighbouring windows (:func:`~ehrnlp.ner.decode.plan_windows`):
        #: ``window_overlap`` when given, else the model folder's ``infer_overlap``; ``None``
        #: (an older folder that names neither) keeps the fixed ``infer_stride`` windows
        ov = window_overlap if window_overlap is not None else meta.get("infer_overlap")
        if ov is not None and not (0 <= int(ov) < self.window):
            raise ModelLoadError(f"window overlap {ov} is out of range: use 0 to {self.window - 1} tokens")
        self.min_overlap: int | None = None if ov is None else int(ov)
        #: how many word pieces every seam of a long text moves left (see :meth:`windows`)
        self.framing_shift = 0
        self.temperature = float(meta.get("temperature", 1.0))
        self.min_confidence = float(meta.get("min_confidence", 0.0))
        #: per-label confidence floors chosen on the val split at export (scripts/export_ner.py)
        self.label_min_confidence: dict[str, float] = {
            str(k): float(v) for k, v in (meta.get("label_min_confidence") or {}).items()}
        self.batch_size = batch_size
        self.version = str(meta.get("version", "unversioned"))
        sums = path / "SHA256SUMS"
        digest = hashlib.sha256(sums.read_bytes()).hexdigest()[:16] if sums.is_file() else "unverified"
        #: what produced a span group (``SpanGroup.source``): a stage reuses spans only from this model
        self.identity = f"ehrnlp-ner {self.version} {self.quantize or 'none'} {digest}"

    def _load_tokenizer(self, path: Path) -> None:
        """The fast tokenizer straight from ``tokenizer.json`` (no transformers import)."""
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        tok.no_truncation()
        tok.no_padding()
        special = {}
        tc = path / "tokenizer_config.json"
        conf = json.loads(tc.read_text(encoding="utf-8")) if tc.is_file() else {}
        for role, default in (("cls_token", "[CLS]"), ("sep_token", "[SEP]"), ("pad_token", "[PAD]")):
            name = conf.get(role, default)
            name = name.get("content", default) if isinstance(name, dict) else name
            tid = tok.token_to_id(name)
            if tid is None:
                raise ModelLoadError(f"{path / 'tokenizer.json'} has no {role} '{name}'; re-export the model")
            special[role] = tid
        self._tok = tok
        self.cls_id, self.sep_id, self.pad_id = special["cls_token"], special["sep_token"], special["pad_token"]

    # ------------------------------------------------------------------ inference
    def encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        enc = self._tok.encode(text, add_special_tokens=False)
        return list(enc.ids), [(o[0], o[1]) for o in enc.offsets]

    def windows(self, n_tokens: int) -> list[tuple[int, int]]:
        """The token windows a text of ``n_tokens`` word pieces is read in.

        :attr:`framing_shift` (0 by default; ``ehrnlp evaluate --framings``) moves every seam of
        a long text that many pieces to the left: the windows are planned for ``shift`` more
        pieces and the first is cut at the text's start. A text of one window is never moved."""
        shift = self.framing_shift if n_tokens > self.window else 0
        overlap = self.min_overlap
        if overlap is None:
            return shifted_windows(lambda n: make_windows(n, self.window, self.stride), n_tokens, shift)
        return shifted_windows(lambda n: plan_windows(n, self.window, overlap), n_tokens, shift)

    def framing_step(self, framings: int) -> int:
        """The shift between ``framings`` evenly spaced framings of this model's windows."""
        step = self.stride if self.min_overlap is None else self.window - self.min_overlap
        return max(1, step // max(1, framings))

    def channels(self, text: str, offsets: Sequence[tuple[int, int]]) -> list[int] | None:
        """The vocab-match channel id of each piece of ``text`` (:func:`~ehrnlp.ner.channel.piece_channels`)
        for a model that reads the channel; None for one that does not."""
        if not self.vocab_channels:
            return None
        from .channel import piece_channels

        return piece_channels(text, offsets)

    def logits_for(self, token_ids: Sequence[Sequence[int]],
                   channel_ids: Sequence[Sequence[int]] | None = None) -> list[np.ndarray]:
        """Raw logits ``(n_tokens, n_labels)`` per text, windowed and batched across texts.
        ``channel_ids`` (per text, one per piece, :meth:`channels`): required by a model with
        the vocab-match channel, ignored otherwise."""
        torch = self.torch
        if self.vocab_channels and channel_ids is None:
            raise ValueError("this model reads the vocab-match channel: pass channel_ids (NerModel.channels)")
        use_ch = bool(self.vocab_channels)
        cls_id, sep_id, pad_id = self.cls_id, self.sep_id, self.pad_id
        jobs = []  # (text index, window start, window end)
        wins_per_text = []
        for ti, ids in enumerate(token_ids):
            ws = self.windows(len(ids))
            wins_per_text.append(ws)
            jobs += [(ti, a, b) for a, b in ws]
        # a window is padded to a length that depends on its own length only (a multiple of
        # PAD_MULTIPLE) and batched only with windows padded alike: its logits never depend on
        # the other texts of a pipe() call (the padded length changes float rounding, in bf16
        # visibly; the batch size does not), so pipe() equals one-by-one calls bit for bit
        padded = [min(self.max_length, -(-(b - a + 2) // PAD_MULTIPLE) * PAD_MULTIPLE) for _, a, b in jobs]
        order = sorted(range(len(jobs)), key=lambda j: (padded[j], j))
        chunks: list[list[int]] = []
        for j in order:
            if chunks and len(chunks[-1]) < self.batch_size and padded[chunks[-1][0]] == padded[j]:
                chunks[-1].append(j)
            else:
                chunks.append([j])
        results: dict[int, np.ndarray] = {}
        autocast = (torch.autocast("cpu", dtype=torch.bfloat16) if self.quantize == "bf16"
                    else contextlib.nullcontext())
        with torch.inference_mode(), autocast:
            for chunk in chunks:
                L = padded[chunk[0]]
                ids = torch.full((len(chunk), L), pad_id, dtype=torch.long)
                att = torch.zeros((len(chunk), L), dtype=torch.long)
                chs = torch.zeros((len(chunk), L), dtype=torch.long) if use_ch else None
                for r, j in enumerate(chunk):
                    ti, a, b = jobs[j]
                    seq = [cls_id] + list(token_ids[ti][a:b]) + [sep_id]
                    ids[r, : len(seq)] = torch.tensor(seq)
                    att[r, : len(seq)] = 1
                    if chs is not None and channel_ids is not None:
                        chs[r, 1 : 1 + (b - a)] = torch.tensor(list(channel_ids[ti][a:b]), dtype=torch.long)
                if chs is None:
                    out = self.model(input_ids=ids, attention_mask=att).logits.float().numpy()
                else:
                    out = self.model(input_ids=ids, attention_mask=att, channel_ids=chs).logits.float().numpy()
                for r, j in enumerate(chunk):
                    ti, a, b = jobs[j]
                    results[j] = out[r, 1 : 1 + (b - a)]
        merged = []
        j = 0
        for ti, ws in enumerate(wins_per_text):
            scores = [results[j + q] for q in range(len(ws))]
            j += len(ws)
            n = len(token_ids[ti])
            merged.append(merge_windows(n, ws, scores) if ws else np.zeros((0, len(self.labels)), np.float32))
        return merged

    def predict(self, texts: Sequence[str], *, clinical_only: bool = False) -> list[list[DecodedSpan]]:
        """Spans of every type the model knows; ``clinical_only``: the clinical view only
        (see :meth:`predict_views`)."""
        views = self.predict_views(texts, full=not clinical_only, clinical=clinical_only)
        return [c if clinical_only else f for f, c in views]

    def predict_views(self, texts: Sequence[str], *, full: bool = True, clinical: bool = True
                      ) -> list[tuple[list[DecodedSpan], list[DecodedSpan]]]:
        """One forward pass, two decodings per text: ``(all types, clinical types only)``;
        a view not asked for is an empty list.

        The clinical view counts the NAME/LOCATION tag probabilities as ``O`` (a name is not a
        clinical entity; giving its mass to the best clinical type instead turned names into
        allergens on the synthetic set) and never lets a span cross a sentence end.
        """
        encs = [self.encode(t) for t in texts]
        if self.vocab_channels:
            chans = [self.channels(t, offs) or [] for t, (_ids, offs) in zip(texts, encs)]
            all_logits = self.logits_for([e[0] for e in encs], chans)
        else:
            all_logits = self.logits_for([e[0] for e in encs])
        phi_cols = [i for i, lab in enumerate(self.labels) if lab != "O" and lab[2:] not in CLINICAL_LABELS]
        o_col = self.labels.index("O")
        out: list[tuple[list[DecodedSpan], list[DecodedSpan]]] = []
        for text, (ids, offs), logits in zip(texts, encs, all_logits):
            if not ids:
                out.append(([], []))
                continue
            probs = softmax(logits / self.temperature)
            words = group_words(offs, text)
            f = self._decode(probs, words, offs, text) if full else []
            c: list[DecodedSpan] = []
            if clinical:
                if phi_cols:
                    probs = probs.copy()
                    probs[:, o_col] += probs[:, phi_cols].sum(axis=-1)
                    probs[:, phi_cols] = 0.0
                c = self._decode(probs, words, offs, text, split_sentences=True)
            out.append((f, c))
        return out

    def _decode(self, probs: np.ndarray, words, offs, text: str, *, split_sentences: bool = False
                ) -> list[DecodedSpan]:
        spans = decode_words(probs, words, offs, self.labels, min_confidence=self.min_confidence, text=text)
        if self.label_min_confidence:
            floors = self.label_min_confidence
            spans = [sp for sp in spans if sp.confidence >= floors.get(sp.label, 0.0)]
        if split_sentences:
            spans = [part for sp in spans for part in _split_at_sentences(sp, text)]
        return [t for t in (_trim(sp, text) for sp in spans) if t is not None]


_SENTENCE_END = re.compile(r"[.!?;]\s+(?=[A-Z])")


def _split_at_sentences(sp: DecodedSpan, text: str) -> list[DecodedSpan]:
    """A clinical mention does not cross a sentence end ("NKDA. Lisinopril" is two things)."""
    parts, start = [], sp.start
    for m in _SENTENCE_END.finditer(text, sp.start, sp.end):
        parts.append(DecodedSpan(sp.label, start, m.start(), sp.confidence))
        start = m.end()
    parts.append(DecodedSpan(sp.label, start, sp.end, sp.confidence))
    return [p for p in parts if p.end > p.start]


#: a clinical mention never ends on one of these ("as needed for" before "anaphylaxis")
_DANGLING = re.compile(r"\s+(?:and|or|for|of|with|without|to|the|a|an|at|on|by|from|in)\Z")
# in text without case ("TYPE 2 DIABETES MELLITUS WITH"): any case, but not "A" ("HEPATITIS A")
_DANGLING_CASELESS = re.compile(r"\s+(?:and|or|for|of|with|without|to|the|an|at|on|by|from|in)\Z", re.IGNORECASE)


def _trim(sp: DecodedSpan, text: str) -> DecodedSpan | None:
    """Strip whitespace and, for clinical labels, a dangling lower-case last word; a
    clinical span without a letter or digit is dropped."""
    s, e = sp.start, sp.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if sp.label not in PHI_MODEL_LABELS:
        dangling = _DANGLING_CASELESS if is_caseless(text) else _DANGLING
        while (m := dangling.search(text, s, e)) is not None:
            e = m.start()
    if s >= e:
        return None
    if sp.label not in PHI_MODEL_LABELS and not any(ch.isalnum() for ch in text[s:e]):
        return None  # a bullet or mask character ("* Combigan", "**"): no clinical mention
    return sp if (s, e) == (sp.start, sp.end) else DecodedSpan(sp.label, s, e, sp.confidence)


class TransformerStage:
    """Pipeline stage ``ner`` backed by the fine-tuned transformer (see module docstring)."""

    name = "ner"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("doc.entities", "entity.section", "doc.spans")

    def __init__(self, cfg: NerConfig | None = None, vocabulary: Vocabulary | None = None, *,
                 quantize: str | None = None, combine_vocab: bool = True):
        from ..config import NerConfig

        cfg = cfg or NerConfig()
        path = Path(cfg.model_path) if cfg.model_path else bundled_model_dir()
        if not cfg.model_path and not bundled_model_available():
            raise ModelLoadError(
                f"the bundled NER model is missing from {path}; reinstall ehrnlp "
                "(pip install --force-reinstall ehrnlp), set ner.model_path, or use ner.backend = 'rules'"
            )
        cfg_q = cfg.quantize
        self.model = NerModel(path, batch_size=cfg.batch_size,
                              quantize=quantize or (cfg_q if cfg_q != "auto" else None),
                              implementation=cfg.implementation, window_overlap=cfg.window_overlap)
        self.vocabulary = vocabulary
        self.version = f"transformer-{self.model.version}"
        # labels for which vocabulary-matcher hits that overlap no model span are added
        # (chosen on the val split at export time, see docs/model.md)
        self.vocab_labels = frozenset(self.model.meta.get("vocab_labels", ())) if combine_vocab else frozenset()
        self._rules = None
        # the most specific finding span and SDOH terms (ehrnlp.findings)
        self._findings = None
        if vocabulary is not None and len(vocabulary):
            from ..findings import FindingRefiner
            from .rules import GENERIC_TERMS, tokenize

            self._findings = FindingRefiner(vocabulary, tokenize, GENERIC_TERMS)
        if self.vocab_labels and vocabulary is not None and len(vocabulary):
            from .rules import RuleMatcherStage

            self._rules = RuleMatcherStage(vocabulary)

        #: the recall backstop of :meth:`_orphan_line_drugs` (needs a vocabulary)
        self.drug_backstop = vocabulary is not None and len(vocabulary) > 0
        self._line_matcher = self._rules

    def predict(self, texts: Sequence[str]) -> list[list[DecodedSpan]]:
        return self.model.predict(texts, clinical_only=True)

    def _orphan_line_drugs(self, doc: Document, ents: list[Entity]) -> list[Entity]:
        """Vocabulary drugs on lines where the model found a FREQUENCY/ROUTE/DOSE but no
        drug: a line on its own ("Timolol BID OU", "Plan: Lumigan qHS OS") is read by the
        model as a name at the start of a short text and its drug is lost. Only a
        vocabulary MEDICATION before the orphan attribute on its line, overlapping no
        model span, is added (measured in docs/benchmarks.md, "Layout invariance")."""
        text = doc.text
        lines: dict[tuple[int, int], int] = {}
        for e in ents:
            if e.label in _ORPHAN_ATTR_LABELS:
                lo = max(text.rfind("\n", 0, e.start), text.rfind("\r", 0, e.start)) + 1
                hi = min((i for i in (text.find("\n", e.end), text.find("\r", e.end)) if i >= 0), default=len(text))
                if not any(x.label in _DRUG_LABELS and lo <= x.start and x.end <= hi for x in ents):
                    lines[(lo, hi)] = min(lines.get((lo, hi), e.start), e.start)
        if not lines or self.vocabulary is None:
            return []
        if self._line_matcher is None:
            from .rules import RuleMatcherStage

            self._line_matcher = RuleMatcherStage(self.vocabulary)
        out: list[Entity] = []
        for (lo, hi), first_attr in lines.items():
            for e in self._line_matcher.find(text[lo:hi], ()):
                s, t = e.start + lo, e.end + lo
                if e.label != "MEDICATION" or t > first_attr:
                    continue
                if any(s < x.end and x.start < t for x in ents + out):
                    continue
                sec = doc.section_at(s) if doc.sections else None
                out.append(Entity("MEDICATION", s, t, text[s:t], section=sec.name if sec else None, source="vocabulary"))
        return out

    def _matcher(self):
        if self._line_matcher is None:
            from .rules import RuleMatcherStage

            self._line_matcher = RuleMatcherStage(self.vocabulary)
        return self._line_matcher

    def _vocabulary_drugs(self, doc: Document, ents: list[Entity],
                          names: Sequence[DecodedSpan] | None) -> list[Entity]:
        """Vocabulary drugs the model lost on a short text (see :func:`vocabulary_drugs`)."""
        if self.vocabulary is None:
            return []
        return vocabulary_drugs(doc, ents, names, self._matcher(), _ambiguous_drugs(self.vocabulary))

    def _apply(self, doc: Document, spans: list[DecodedSpan]) -> Document:
        names = [sp for sp in spans if sp.label in _NAME_READINGS]
        ents = []
        for sp in split_at_breaks(doc.text, spans):
            if sp.label not in CLINICAL_LABELS:
                continue  # NAME / LOCATION are the deid stage's business
            start, end = balanced(doc.text, sp.start, sp.end)
            if end <= start:
                continue
            if (start, end) != (sp.start, sp.end):  # "rash)" of "Sulfa (rash)": the bracket is no part of it
                sp = DecodedSpan(sp.label, start, end, sp.confidence)
            if _is_title(doc.text, sp.start, sp.end):
                continue  # "Ms. [NAME]" is a courtesy title, not multiple sclerosis
            if is_allergy_status(doc.text[sp.start : sp.end]):
                continue  # "NKDA" is an allergy status (relations stage), not a drug or allergen
            if not_a_finding(doc.text[sp.start : sp.end], sp.label):
                continue  # "OU" / "a" / "do" tagged SYMPTOM would become a Condition
            if sp.label == "ROUTE" and dose_form_only(doc.text[sp.start : sp.end], sp.label):
                continue  # "5 mg tablet", "with meals": not a route
            if sp.label == "PROBLEM" and stage_only(doc.text[sp.start : sp.end]):
                continue  # "moderate stage" of the problem before it
            if list_marker(doc.text, sp.start, sp.end):
                continue  # "10." numbering a list item is not a dose
            sec = doc.section_at(sp.start) if doc.sections else None
            ents.append(Entity(sp.label, sp.start, sp.end, doc.text[sp.start : sp.end], confidence=sp.confidence,
                               section=sec.name if sec else None, source="transformer"))
        if getattr(self, "drug_backstop", False):
            ents = _brands_read_as_findings(doc.text, ents, self.vocabulary)
            # the note's allergy contexts, found once for both rules (only a model ALLERGEN needs them)
            contexts = _allergy_contexts(doc) if any(e.label == "ALLERGEN" and e.source == "transformer"
                                                     for e in ents) else []
            ents = _drugs_before_their_sig(doc, ents, self.vocabulary, contexts)
            if ALLERGENS_NEED_CONTEXT:
                ents = _allergens_without_context(doc, ents, self.vocabulary, contexts)
            # before the laterality filter: a rescued drug keeps its "OU" ("Cosopt OU")
            ents += self._vocabulary_drugs(doc, ents, names)
        sig = _SigIndex(ents)
        ents = [e for e in ents if not _laterality_only(doc.text, e, sig)]
        ents = [e for e in ents if not _form_of_previous_drug(doc.text, e, ents)]
        if ORPHAN_REACTIONS_ARE_SYMPTOMS:
            breaks = _line_breaks(doc.text)
            ents = _orphan_reactions_as_symptoms(doc.text, ents, breaks)
            ents = _without_orphan_severities(doc.text, ents, breaks)
        if self.drug_backstop:
            ents += self._orphan_line_drugs(doc, ents)
        ents += _masked_sig_drugs(doc, ents)
        if self._rules is not None:
            extra = [e for e in self._rules(doc.replace(entities=())).entities
                     if e.label in self.vocab_labels
                     and not any(e.start < x.end and x.start < e.end for x in ents)]
            ents += extra
        if self._findings is not None:
            ents = self._findings.refine_doc(doc, ents)
        return doc.replace(entities=tuple(ents))

    def __call__(self, doc: Document) -> Document:
        return self.pipe([doc])[0]

    def pipe(self, docs: list[Document]) -> list[Document]:
        docs = list(docs)
        # the forward pass a stage before (deid) already ran with this very model, if any
        me = model_identity(self.model)
        preds: list[Sequence[DecodedSpan] | None] = []
        for d in docs:
            group = d.spans.get(MODEL_SPANS)
            preds.append(group.spans if group is not None and group.source == me else None)
        todo = [i for i, p in enumerate(preds) if p is None]
        if todo:
            texts = [docs[i].text for i in todo]
            if getattr(self, "drug_backstop", False) and hasattr(self.model, "predict_views"):
                # the clinical view, and the full view's NAME / LOCATION readings (the rescue of
                # :func:`vocabulary_drugs`; the deid stage hands over those of the words it kept)
                views = self.model.predict_views(texts)
                found = [sorted(c + [sp for sp in f if sp.label in _NAME_READINGS], key=lambda sp: (sp.start, sp.end))
                         for f, c in views]
            else:
                found = self.predict(texts)
            for i, p in zip(todo, found):
                preds[i] = p
                docs[i] = docs[i].replace(spans={**docs[i].spans, MODEL_SPANS: SpanGroup(me, tuple(p))})
        return [self._apply(d, list(p or [])) for d, p in zip(docs, preds)]


_ORPHAN_ATTR_LABELS = frozenset({"FREQUENCY", "ROUTE", "DOSE"})
_DRUG_LABELS = frozenset({"MEDICATION", "ALLERGEN"})
#: a masked word (de-identified exports mask drug names with the people's) right before a sig
_MASK_BEFORE_SIG = re.compile(r"(?:(?<=^)|(?<=[\s,;:(]))(\*{3,})[ \t]+$")


def _masked_sig_drugs(doc: Document, ents: list[Entity]) -> list[Entity]:
    """A masked word in a sig's drug slot is the drug: "****** 5x/day OD", "continue
    latanoprost qhs OU and ********* BID OU" (the model reads such a line as a drug in a whole
    note and loses it in a line or sentence alone). Only a run of three or more ``*`` right
    before a model's FREQUENCY / DOSE / ROUTE, with no drug between it and the sig on its
    line, overlapping no mention."""
    text = doc.text
    out: list[Entity] = []
    spans = sorted(ents, key=lambda e: e.start)
    for e in spans:
        if e.label not in _ORPHAN_ATTR_LABELS or e.source != "transformer":
            continue
        lo = max(text.rfind("\n", 0, e.start), text.rfind("\r", 0, e.start), e.start - 60) + 1
        m = _MASK_BEFORE_SIG.search(text, lo, e.start)
        if m is None:
            continue
        s, t = m.span(1)
        if any(x.start < e.start and x.end > s for x in spans if x is not e) or any(s < x.end and x.start < t for x in out):
            continue
        sec = doc.section_at(s) if doc.sections else None
        out.append(Entity("MEDICATION", s, t, text[s:t], confidence=0.5, section=sec.name if sec else None,
                          source="masked-sig"))
    return out

#: the model's readings of a word as a person or a place (full view): a drug the vocabulary knows,
#: read as a name, is the drug of a short text ("Timolol.", "Cont Xiidra")
_NAME_READINGS = frozenset({"NAME", "LOCATION"})
_SIG_FOLLOWER_LABELS = frozenset({"FREQUENCY", "ROUTE", "DOSE", "DURATION"})
#: what may stand between a drug and its sig: blanks and punctuation, a dose-form word or "PF"
_DRUG_SIG_GAP = re.compile(
    r"(?i)[ \t\u00a0,;:(\-\u2013\u2014]{0,6}"
    r"(?:(?:PF|ung|oint|gtts?|ointment|gel|drops?|solution|suspension|tabs?|tablets?|caps?|capsules?"
    r"|patch(?:es)?|spray|cream|lotion|inhaler)\b"
    r"[ \t\u00a0,;:(\-\u2013\u2014]{0,6})?")
#: what opens a line before the drug of a sig: a bullet or number, a field label ("Eye meds:"),
#: an order verb ("Continue", "cont.")
_DRUG_SLOT_HEAD = re.compile(
    r"(?i)[ \t\u00a0\-\u2022*\u00b7>]*(?:\d{1,2}[.)][ \t]*)?(?:[a-z][a-z /]{0,30}:[ \t\u00a0]*)?"
    r"(?:(?:continue|cont|start|restart|resume|use|uses|using|on)\.?[ \t\u00a0]+)?")
#: a dose form that stands for the product in a drug's slot ("Gel at night OD", "Ointment qhs OU")
_PRODUCT_FORM = re.compile(r"(?i)(?:(?:lubricating|lubricant|ophthalmic|eye)[ \t]+)?"
                           r"(?:gel|ointment|oint|ung|drops?|gtts|eye ?drops?|cream|lotion)")
#: the per-volume unit of a lab value after what reads as a dose ("4.3 mg/dL", "140 mmol/L")
_LAB_UNIT_AFTER = re.compile(r"(?i)[ \t]*/[ \t]*(?:dl|l|deciliter|liter|litre)\b")
#: findings that make a drug's line an allergy entry ("Augmentin - angioedema", "Lamotrigine: mild")
_ENTRY_FINDINGS = frozenset({"REACTION", "SYMPTOM", "PROBLEM", "SEVERITY"})
#: substances used socially: a frequency alone is their use ("vapes nicotine daily", "drinks
#: alcohol daily"), a dose makes them a drug ("nicotine patch 21 mg daily")
_SOCIAL_SUBSTANCES = frozenset({"nicotine", "alcohol", "ethanol", "caffeine", "cannabis", "marijuana",
                                "tetrahydrocannabinol", "thc", "cocaine", "heroin", "methamphetamine",
                                "tobacco", "kratom"})
_TITLE_BEFORE = re.compile(r"(?i)\b(?:dr|mr|mrs|ms|miss|mx|prof)\.?[ \t]*$")
_NAME_LISTS = ("given_names.txt", "surnames.txt", "world_names.txt", "wordnet_names.txt")


@functools.lru_cache(maxsize=1)
def _person_names() -> frozenset[str]:
    """Lower-cased words the de-identifier's bundled lists know as people's names (census given
    names and surnames, world names, WordNet names). A drug word in them ("Allegra", "Julie",
    "Cipro") is not rescued on a name reading alone."""
    from importlib import resources

    out: set[str] = set()
    for name in _NAME_LISTS:
        try:
            data = resources.files("ehrnlp.deid").joinpath(f"data/{name}").read_text(encoding="utf-8")
        except (FileNotFoundError, ModuleNotFoundError):  # pragma: no cover - a trimmed install
            continue
        out.update(w.strip().lower() for w in data.splitlines() if w.strip() and not w.startswith("#"))
    return frozenset(out)


_AMBIGUOUS_CACHE: dict[int, dict[tuple[str, ...], frozenset[str]]] = {}


def _ambiguous_drugs(vocabulary: Vocabulary) -> dict[tuple[str, ...], frozenset[str]]:
    """MEDICATION terms the vocabulary marks ambiguous (``AT``: artificial tears or "at";
    ``pred``, ``epi``), keyed by their normalized tokens -> the written forms they take."""
    key = id(vocabulary)
    got = _AMBIGUOUS_CACHE.get(key)
    if got is None or len(_AMBIGUOUS_CACHE) > 8:
        from .rules import tokenize

        forms: dict[tuple[str, ...], set[str]] = {}
        for e in vocabulary.entries:
            if e.label == "MEDICATION" and e.tty == "abbr-ambiguous":
                toks = tuple(t.norm for t in tokenize(e.term))
                if toks:
                    forms.setdefault(toks, set()).update({e.term, e.term[:1].upper() + e.term[1:], e.term.upper()})
        got = {k: frozenset(v) for k, v in forms.items()}
        if len(_AMBIGUOUS_CACHE) > 8:
            _AMBIGUOUS_CACHE.clear()
        _AMBIGUOUS_CACHE[key] = got
    return got


def _line_of(text: str, pos: int) -> tuple[int, int]:
    lo = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1
    hi = min((i for i in (text.find("\n", pos), text.find("\r", pos)) if i >= 0), default=len(text))
    return lo, hi


def vocabulary_drugs(doc: Document, ents: Sequence[Entity], names: Sequence[DecodedSpan] | None,
                     matcher, ambiguous: dict[tuple[str, ...], frozenset[str]] | None = None) -> list[Entity]:
    """Drugs of the vocabulary the model lost in a short text. Alone, a line or sentence gives
    the model no context: it reads a capitalised drug opening it as a person ("Timolol.", "Cont
    Xiidra", B-NAME 0.9) or reads nothing ("Frequent PFATs q2h"), and the clinical view turns
    the name into ``O``. A vocabulary MEDICATION (``matcher``: the rule matcher; none in an
    allergy context) that overlaps no model mention is the drug when

    * a sig follows it on its line (a FREQUENCY, ROUTE, DOSE or DURATION of the model or of the
      sig patterns and vocabulary, after blanks, punctuation or a dose form: "Cosopt OU",
      "Refresh Optive PRN OU", "Systane gel qhs OU"), or
    * the model read it as a name or a place (``names``: the full view's NAME / LOCATION spans)
      and it is no word the bundled name lists know as a person's ("Allegra", "Julie"), no
      title comes before it ("Dr. Timolol"), no finding follows it on its line (an allergy
      entry cut out of its table: "Augmentin - angioedema") and it is not alone on its line
      (a list item, of medications or of allergies: "- Keflex").

    A substance used socially (nicotine, alcohol, caffeine...) needs a DOSE in its sig: "vapes
    nicotine daily" is its use.

    A MEDICATION term the vocabulary marks ambiguous (``AT``: artificial tears or "at") counts
    only in a drug's slot: opening its line (after a bullet, a field label or an order verb:
    "AT PRN OU", "Eye meds: AT PRN", "Continue AT QID"), written as the vocabulary writes it
    (capitals kept, unless the text has no case), with a FREQUENCY, a DOSE or a route that is
    more than a laterality right after it. So does a dose form standing for its product there
    ("Gel at night OD", "Ointment qhs OU")."""
    text = doc.text
    if not text.strip():
        return []
    found = matcher.find(text, doc.sections or ())
    sigs = sorted({(e.start, e.end, e.label) for e in list(ents) + found if e.label in _SIG_FOLLOWER_LABELS})
    starts = [a for a, _, _ in sigs]

    def sig_run(end: int) -> list[tuple[int, int, str]]:
        """The sig spans that follow ``end`` one after the other on its line."""
        run: list[tuple[int, int, str]] = []
        i = bisect_right(starts, end - 1)
        while i < len(sigs) and sigs[i][0] <= end + 40:
            a, b, lab = sigs[i]
            if a >= end:
                m = _DRUG_SIG_GAP.match(text, end, a)
                if m is None or m.end() != a or (lab == "DOSE" and _LAB_UNIT_AFTER.match(text, b)):
                    break  # "lipase 4.3 mg/dL": a lab value, not a dose
                run.append(sigs[i])
                end = b
            i += 1
        return run

    taken = [(e.start, e.end) for e in ents]
    out: list[Entity] = []

    def free(s: int, t: int) -> bool:
        return not any(s < b and a < t for a, b in taken)

    def add(s: int, t: int, conf: float, label: str = "MEDICATION") -> None:
        taken.append((s, t))
        sec = doc.section_at(s) if doc.sections else None
        out.append(Entity(label, s, t, text[s:t], confidence=conf, section=sec.name if sec else None,
                          source="vocabulary"))

    def add_drug(s: int, t: int, conf: float, run: list[tuple[int, int, str]]) -> None:
        add(s, t, conf)
        for a, b, lab in run:  # its sig, where the model read none ("AT PRN OU": PRN, OU read as places)
            if free(a, b):
                add(a, b, conf, lab)

    findings = sorted((e.start, e.end) for e in list(ents) + found if e.label in _ENTRY_FINDINGS)

    def entry_line(e: Entity) -> bool:
        """A finding after the drug on its line: an allergy entry ("Augmentin - hives", a
        table row "Keflex   Rash   Mild"), not a medication, even cut out of its table."""
        _lo, hi = _line_of(text, e.end)
        return any(e.end <= a and b <= hi for a, b in findings)

    def bare_line(e: Entity) -> bool:
        """Nothing but the drug on its line ("Keflex", "- Lamotrigine"): an item of a list that
        may be the allergies as well as the medications; no name reading decides that."""
        lo, hi = _line_of(text, e.start)
        return not any(ch.isalnum() for ch in text[lo:e.start] + text[e.end:hi])

    people = None
    heads = _order_slots(text)
    whole = _WHOLE_ITEM.fullmatch(text)
    for e in found:
        if e.label != "MEDICATION" or not free(e.start, e.end):
            continue
        if whole is not None and (e.start, e.end) == whole.span("item") \
                and e.text.lower() not in _SOCIAL_SUBSTANCES:
            add_drug(e.start, e.end, 0.6, [])  # the whole text is the drug: "metformin", "- Cosopt"
            continue
        if _TITLE_BEFORE.search(text, max(0, e.start - 8), e.start):
            continue  # "Dr. Timolol" is a person
        run = sig_run(e.end)
        if run and (e.text.lower() not in _SOCIAL_SUBSTANCES or any(lab == "DOSE" for _, _, lab in run)):
            add_drug(e.start, e.end, 0.6, run)
            continue
        if e.start in heads and e.text.lower() not in _SOCIAL_SUBSTANCES:
            add_drug(e.start, e.end, 0.6, [])  # "Frequent PFATs", "Continue Xiidra": ordered, no sig
            continue
        if names and any(e.start < n.end and n.start < e.end for n in names) and not entry_line(e) \
                and not bare_line(e):
            people = _person_names() if people is None else people
            if all(t.norm not in people for t in _tokens(e.text)):
                add_drug(e.start, e.end, 0.6, [])
    if ambiguous is not None:
        caseless = is_caseless(text)
        for a, _b, _lab in sigs:
            lo, _hi = _line_of(text, a)
            head = _DRUG_SLOT_HEAD.match(text, lo, a)
            s = head.end() if head else lo
            # the words between the slot's head and the sig, less the gap before the sig
            t = a
            while t > s and not (text[t - 1].isalnum() or text[t - 1] in "'"):
                t -= 1
            if t <= s or not free(s, t):
                continue
            # a FREQUENCY, a DOSE or a route that is more than an eye's laterality ("NTG OS" is
            # normal-tension glaucoma of the left eye, "AT PRN OU" artificial tears)
            run = sig_run(t)
            if not any(lab != "ROUTE" or not _LATERALITY.fullmatch(text[x:y]) for x, y, lab in run):
                continue
            word = text[s:t]
            forms = ambiguous.get(tuple(x.norm for x in _tokens(word)))
            # without case, "at" is the preposition as often as the abbreviation
            if (forms and (word in forms or (caseless and word.lower() not in _FUNCTION_WORDS))) \
                    or _PRODUCT_FORM.fullmatch(word):
                add_drug(s, t, 0.5, run)
        # an ambiguous term that is all an order verb orders ("Continue AT", "Cont lubrication"),
        # with or without a sig
        for h in sorted(heads):
            m = _ORDERED_WORDS.match(text, h)
            if m is None:
                continue
            s, t = m.span(1)
            word = text[s:t]
            forms = ambiguous.get(tuple(x.norm for x in _tokens(word)))
            # (a bare dose form is not enough here: "Continue drops" orders the drops the patient uses)
            if free(s, t) and forms and (word in forms or (is_caseless(text) and word.lower() not in _FUNCTION_WORDS)):
                add_drug(s, t, 0.5, sig_run(t))
    return out


#: a text that is one item and nothing else (a list field, a cell handed to ``nlp()`` alone):
#: a bullet or number, the item, closing punctuation
_WHOLE_ITEM = re.compile(r"[ \t\r\n\u00a0]*(?:[-\u2022*\u00b7>]+[ \t]*|\d{1,2}[.)][ \t]*)?"
                         r"(?P<item>[^\r\n]*?[^\s.,;:!?])[.,;:!?]*[ \t\r\n\u00a0]*")


#: an order or use verb that opens a line or sentence (after a bullet, a number or a field label):
#: the word after it is the drug ordered ("Continue Xiidra", "Frequent PFATs", "- cont. Restasis")
_ORDER_SLOT = re.compile(
    r"(?im)(?:^|(?<=[.;!?])[ \t]+)[ \t\u00a0\-\u2022*\u00b7>]*(?:\d{1,2}[.)][ \t]*)?"
    r"(?:[a-z][a-z /]{0,30}:[ \t\u00a0]*)?"
    r"(?:continue|cont|con't|start|restart|resume|use|uses|using|frequent|take|takes|taking|try|trial of"
    r"|recommend|recommended|rx|stop|stopped|d/c|discontinue|discontinued)\.?[ \t\u00a0]+(?=\w)")
#: the words an order verb orders, up to the clause's end or a sig: one or two words
_ORDERED_WORDS = re.compile(r"([A-Za-z][\w'-]*(?:[ \t][A-Za-z][\w'-]*)?)(?=[ \t]*(?:$|[\r\n,.;:()]))")


def _order_slots(text: str) -> frozenset[int]:
    """Offsets right after an order or use verb that opens a line or sentence (:data:`_ORDER_SLOT`)."""
    return frozenset(m.end() for m in _ORDER_SLOT.finditer(text))


#: vocabulary rows that name a product, never a substance a finding could be about ("alcohol",
#: "oxygen" are ingredients and stay out)
_PRODUCT_TTYS = frozenset({"BN", "BN>IN", "BN>MIN", "BN>PIN", "product", "abbr", "abbr-ambiguous"})
_SIG_NEXT = re.compile(r"[ \t\u00a0,;:(\-]{0,4}")


def _brands_read_as_findings(text: str, ents: list[Entity], vocabulary: Vocabulary | None) -> list[Entity]:
    """A SYMPTOM or PROBLEM of the model that the vocabulary knows only as a drug product (a brand,
    an OTC product, a drug abbreviation) is that drug: alone, "AREDS 2" reads as a disease and
    "Soothe qhs OS" as a symptom. A term the vocabulary marks ambiguous needs a FREQUENCY, DOSE or
    ROUTE of the model right after it."""
    if vocabulary is None or not any(e.label in ("SYMPTOM", "PROBLEM") for e in ents):
        return ents
    sig_starts = {e.start for e in ents if e.label in _SIG_FOLLOWER_LABELS}
    out = []
    for e in ents:
        if e.label in ("SYMPTOM", "PROBLEM") and e.source == "transformer":
            rows = vocabulary.lookup(e.text)
            if rows and all(r.label == "MEDICATION" and r.tty in _PRODUCT_TTYS for r in rows):
                m = _SIG_NEXT.match(text, e.end)
                if all(r.tty != "abbr-ambiguous" for r in rows) or (m is not None and m.end() in sig_starts):
                    e = dataclasses.replace(e, label="MEDICATION")
        out.append(e)
    return out


def _allergy_contexts(doc: Document) -> list[tuple[int, int]]:
    from ..allergy import find_allergy_contexts

    return find_allergy_contexts(doc.text, doc.sections or ())


def _only_a_drug(vocabulary: Vocabulary, text: str) -> bool:
    """The vocabulary knows ``text``, and only as a drug that is no ambiguous abbreviation."""
    rows = vocabulary.lookup(text)
    return bool(rows) and all(r.label == "MEDICATION" and r.tty != "abbr-ambiguous" for r in rows)


def _allergy_bound(text: str, e: Entity, contexts: Sequence[tuple[int, int]]) -> bool:
    """``e`` lies in an allergy context (section, table, cue) or has an allergy word on its line."""
    lo, hi = _line_of(text, e.start)
    return any(a <= e.start and e.end <= b for a, b in contexts) or _ALLERGY_WORD.search(text, lo, hi) is not None


def _drugs_before_their_sig(doc: Document, ents: list[Entity], vocabulary: Vocabulary | None,
                            contexts: Sequence[tuple[int, int]] | None = None) -> list[Entity]:
    """A model mention right before the model's FREQUENCY or DOSE (or a route that is more than
    an eye's laterality) is the drug of that sig when the vocabulary knows its words only as a
    drug: alone, "Latanoprost qhs OU" may read as a PROBLEM and "Timolol BID OU" as an ALLERGEN.
    An ALLERGEN stays one in an allergy context (``contexts``, found here when not given: an allergies section or table,
    "allergic to"; or an allergy word on its line: "PCN allergy - hives daily"); the relations
    stage makes the same ALLERGEN a MEDICATION in a pipeline (a sig in its sentence), the NER
    stage alone did not."""
    labels = ("SYMPTOM", "PROBLEM", "ALLERGEN")
    if vocabulary is None or not any(e.label in labels for e in ents):
        return ents
    text = doc.text
    contexts = _allergy_contexts(doc) if contexts is None else contexts
    sig_at = {e.start: e for e in ents if e.label in _ORPHAN_ATTR_LABELS}
    out = []
    for e in ents:
        if e.label in labels and e.source == "transformer":
            m = _SIG_NEXT.match(text, e.end)
            sig = sig_at.get(m.end()) if m is not None else None
            if sig is not None and (sig.label != "ROUTE" or not _LATERALITY.fullmatch(sig.text)) \
                    and _only_a_drug(vocabulary, e.text) \
                    and not (e.label == "ALLERGEN" and _allergy_bound(text, e, contexts)):
                e = dataclasses.replace(e, label="MEDICATION")
        out.append(e)
    return out


def _allergens_without_context(doc: Document, ents: list[Entity], vocabulary: Vocabulary | None,
                               contexts: Sequence[tuple[int, int]] | None = None) -> list[Entity]:
    """A model ALLERGEN with no allergy context is the drug the text names (issue 18's allergy
    semantics): outside an allergies section or table and any allergy cue (``contexts``), with no
    allergy word and no finding (a reaction, a symptom, a severity) on its line, and not alone on
    its line (a bare list item may be an allergy row cut out of its table), a word the vocabulary
    knows only as a drug is a MEDICATION ("Took Timolol this morning")."""
    if vocabulary is None or not any(e.label == "ALLERGEN" and e.source == "transformer" for e in ents):
        return ents
    text = doc.text
    contexts = _allergy_contexts(doc) if contexts is None else contexts
    out = []
    for e in ents:
        if e.label == "ALLERGEN" and e.source == "transformer" and not _allergy_bound(text, e, contexts):
            lo, hi = _line_of(text, e.start)
            bare = not any(ch.isalnum() for ch in text[lo:e.start] + text[e.end:hi])
            finding = any(x.label in _ENTRY_FINDINGS and lo <= x.start and x.end <= hi for x in ents)
            if not bare and not finding and _only_a_drug(vocabulary, e.text):
                e = dataclasses.replace(e, label="MEDICATION")
        out.append(e)
    return out


#: measured on val / train (docs/model.md); a switch so the measurement can be repeated
ALLERGENS_NEED_CONTEXT = True
_ALLERGY_WORD = re.compile(r"(?i)allerg|intoleran|sensitivit|anaphyla|reaction|\bNKDA\b|\bNKA\b")


def _tokens(text: str):
    from .rules import tokenize

    return tokenize(text)


# case-sensitive: "MS" (multiple sclerosis) and "ms" are not titles
_TITLES = frozenset({"Mr", "Ms", "Mrs", "Miss", "Dr", "Mx", "MR", "MRS", "DR"})
_AFTER_TITLE = re.compile(r"\.?[ \t]+(?:\[|[A-Z])")


def _is_title(text: str, start: int, end: int) -> bool:
    """A courtesy title before a name or a name mask ("Ms. [NAME]", "Mr Quist")."""
    return text[start:end] in _TITLES and _AFTER_TITLE.match(text, end) is not None


_LATERALITY = re.compile(r"(?i)(?:OD|OS|OU|(?:both|each|right|left|the right|the left) eyes?)")
_SIG_LABELS = frozenset({"MEDICATION", "DOSE", "FREQUENCY"})
_FINDING_LABELS = frozenset({"SYMPTOM", "PROBLEM", "ALLERGEN", "REACTION"})
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor if so as at by for from in into of on onto to with without "
    "do does did done be is are was were been being has have had will would can could may "
    "might shall should must it its this that these those he she they we you i me him her "
    "his their them our us your not no yes very also".split())


def not_a_finding(span_text: str, label: str) -> bool:
    """A finding, problem, allergen or reaction is never only an eye laterality ("OU" in
    "vision stable OU"), a single character (the "h" of "h/o") or a lower-case function
    word ("a", "do"): the model tags such words now and then, and each would become a FHIR
    resource. Upper-case abbreviations that spell a function word ("AS", aortic stenosis)
    are kept."""
    if label not in _FINDING_LABELS:
        return False
    t = span_text.strip()
    return len(t) <= 1 or bool(_LATERALITY.fullmatch(t)) or (t.islower() and t in _FUNCTION_WORDS)


_FORM = (r"(?:solution|suspension|syrup|elixir|liquid|spray|tablets?|tabs?|capsules?|caps?|pills?|inhaler|"
         r"drops?|cream|ointment|gel|lotion|patch(?:es)?|powder|emulsion|suppositor(?:y|ies)|injection)")
_FORM_QUALIFIER = r"(?:ophthalmic|otic|nasal|oral|topical|eye|vaginal|rectal|transdermal|extended[- ]release|ER|XR|XL|SR|DR)"
_DOSE_FORM = re.compile(rf"(?i)(?:{_FORM_QUALIFIER}\s+)*{_FORM}")
#: oral dose forms and meals are not routes ("injection", "infusion", which MACCROBAT also tags as
#: Administration, say how the drug goes in and stay)
_NOT_A_ROUTE = re.compile(r"(?i)(?:tablets?|tabs?|capsules?|caps?|pills?|solution|suspension|syrup|elixir|liquid"
                          r"|meals?|food|breakfast|lunch|dinner|supper)")
#: a stage or grade split off its problem ("Primary open angle glaucoma, both eyes, moderate stage")
_STAGE_ONLY = re.compile(r"(?i)(?:(?:mild|moderate|severe|advanced|early|late|end|indeterminate)[ -]stage"
                         r"|stage\s+(?:[0-9]+[a-c]?|[ivx]+[a-c]?))")


def dose_form_only(span_text: str, label: str) -> bool:
    """A MEDICATION that is only a dose form ("ophthalmic solution", "nasal spray") or a ROUTE
    that is only an oral dose form or a meal ("5 mg tablet", "with meals"). The model splits
    such words off the drug now and then; as a MEDICATION after the drug's name
    (:func:`_form_of_previous_drug`) they would become a MedicationStatement of their own and
    take the drug's dose and route."""
    t = span_text.strip()
    if label == "MEDICATION":
        return bool(_DOSE_FORM.fullmatch(t))
    if label == "ROUTE":
        return bool(_NOT_A_ROUTE.fullmatch(t))
    return False


def _form_of_previous_drug(text: str, ent: Entity, ents: list[Entity], window: int = 25) -> bool:
    """A dose-form MEDICATION right after a drug on its line ("timolol 0.5 % ophthalmic
    solution", "Fluticasone nasal spray") is that drug's form. Alone ("Gel at night", "uses
    an ointment") it is the drug the note names, and stays."""
    if ent.label != "MEDICATION" or not dose_form_only(ent.text, "MEDICATION"):
        return False
    return any(e.label == "MEDICATION" and e.end <= ent.start and _gap_len(text, e.end, ent.start) <= window
               and "\n" not in text[e.end : ent.start] for e in ents)


_LIST_MARKER = re.compile(r"(?:\d{1,3}|[a-zA-Z])[.)]")


def list_marker(text: str, start: int, end: int) -> bool:
    """A span that is only the number or letter of a list item ("10." / "3)" / "b." opening
    its line, before the item's text) is not a clinical mention: the model now and then tags
    the number of a numbered medication list as a DOSE."""
    if _LIST_MARKER.fullmatch(text, start, min(len(text), end + 1)) is None \
            and _LIST_MARKER.fullmatch(text, start, end) is None:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    marker_end = end + 1 if end < len(text) and text[end] in ".)" else end
    return not text[line_start:start].strip() and marker_end < len(text) and text[marker_end] in " \t"


def stage_only(span_text: str) -> bool:
    """A PROBLEM that is only a stage or grade, split off its problem by a comma ("Primary
    open angle glaucoma, both eyes, moderate stage"): not a Condition of its own."""
    return bool(_STAGE_ONLY.fullmatch(span_text.strip()))


#: measured on val (docs/model.md); a switch so the measurement can be repeated
ORPHAN_REACTIONS_ARE_SYMPTOMS = True


def _line_breaks(text: str) -> list[int]:
    """Offsets of the note's line breaks: the line of an offset is ``bisect_right(breaks, i)``."""
    return [m.start() for m in re.finditer("\n", text)]


def _orphan_reactions_as_symptoms(text: str, ents: list[Entity], breaks: list[int] | None = None) -> list[Entity]:
    """A REACTION is the reaction *of an allergy entry*: one with no ALLERGEN on its line,
    outside the allergies section, is a SYMPTOM ("as needed for wheezing", "Return if she
    develops hives")."""
    if not any(e.label == "REACTION" for e in ents):
        return ents
    if breaks is None:
        breaks = _line_breaks(text)
    allergen_lines = {bisect_right(breaks, e.start) for e in ents if e.label == "ALLERGEN"}
    out = []
    for e in ents:
        if (e.label == "REACTION" and e.section != "allergies"
                and bisect_right(breaks, e.start) not in allergen_lines):
            e = dataclasses.replace(e, label="SYMPTOM")
        out.append(e)
    return out


def _without_orphan_severities(text: str, ents: list[Entity], breaks: list[int] | None = None) -> list[Entity]:
    """A SEVERITY is the severity *of an allergy reaction*: one with no ALLERGEN or REACTION
    on its line, outside the allergies section, is dropped ("Mild blurred vision": the
    severity of a symptom, which no FHIR resource here carries)."""
    if not any(e.label == "SEVERITY" for e in ents):
        return ents
    if breaks is None:
        breaks = _line_breaks(text)
    allergy_lines = {bisect_right(breaks, e.start) for e in ents if e.label in ("ALLERGEN", "REACTION")}
    return [e for e in ents
            if not (e.label == "SEVERITY" and e.section != "allergies"
                    and bisect_right(breaks, e.start) not in allergy_lines)]


class _SigIndex:
    """MEDICATION / DOSE / FREQUENCY spans sorted by start, for range look-ups in O(log n)."""

    def __init__(self, ents: Sequence[Entity]):
        sig = sorted((e.start, e.end) for e in ents if e.label in _SIG_LABELS)
        self.starts = [a for a, _ in sig]
        self.spans = sig

    def any_within(self, lo: int, hi: int) -> bool:
        i = bisect_right(self.starts, lo - 1)
        while i < len(self.spans) and self.spans[i][0] <= hi:
            if self.spans[i][1] <= hi:
                return True
            i += 1
        return False


def _laterality_only(text: str, ent: Entity, ents: Sequence[Entity] | _SigIndex, window: int = 30) -> bool:
    """An eye laterality tagged ROUTE with no drug, dose or frequency near it on its line.

    "timolol 1 drop OU BID": OU is the route of a drug. "Cataracts OU", "HVF stable OD":
    laterality of a finding, not a route of administration; the model tags both (Glaucoma
    annotators did too, inconsistently). Chosen on the Glaucoma val split: a ROUTE that is
    only a laterality must have a MEDICATION, DOSE or FREQUENCY within 30 characters on
    the same line (val ROUTE overlap precision 0.854 -> 0.964, recall 0.902 -> 0.878).
    """
    if ent.label != "ROUTE" or not _LATERALITY.fullmatch(ent.text):
        return False
    line_start = text.rfind("\n", 0, ent.start) + 1
    line_end = text.find("\n", ent.end)
    line_end = len(text) if line_end < 0 else line_end
    # the window counts a run of whitespace as one character (layout-invariant)
    lo, hi = max(line_start, _walk(text, ent.start, -window)), min(line_end, _walk(text, ent.end, window))
    sig = ents if isinstance(ents, _SigIndex) else _SigIndex(ents)
    return not sig.any_within(lo, hi)


_WS_RUN = re.compile(r"\s+")


def _gap_len(text: str, a: int, b: int) -> int:
    """Characters between ``a`` and ``b`` with each whitespace run counted once."""
    return len(_WS_RUN.sub(" ", text[a:b])) if b > a else 0


def _walk(text: str, pos: int, n: int) -> int:
    """The offset ``n`` characters before (``n < 0``) or after ``pos``, a whitespace run
    counting as one character."""
    i, left = pos, abs(n)
    if n < 0:
        while left > 0 and i > 0:
            i -= 1
            if not (text[i].isspace() and i > 0 and text[i - 1].isspace()):
                left -= 1
    else:
        while left > 0 and i < len(text):
            i += 1
            if not (text[i - 1].isspace() and i < len(text) and text[i].isspace()):
                left -= 1
    return i
