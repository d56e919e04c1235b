"""A minimal BERT token classifier in plain PyTorch, for fast loading.

Importing ``transformers``' BERT modelling code costs about 2.5 s, most of the NER stage's
load time. This module re-implements the inference forward pass of
``BertForTokenClassification`` (post-LayerNorm encoder, absolute positions, exact GELU)
with the same parameter names, so the shipped ``model.safetensors`` loads into it directly.
:func:`load_bert_classifier` returns None for any config it does not cover (the caller
then falls back to ``transformers``); a unit test checks its logits against
``transformers`` on a small random model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["BertTokenClassifier", "load_bert_classifier", "CHANNEL_KEY", "attach_vocab_channel",
           "ChannelForward"]

#: the state-dict name of the vocab-match channel embedding (:mod:`ehrnlp.ner.channel`), in both
#: this module's classifier and a ``transformers`` BERT with :func:`attach_vocab_channel`
CHANNEL_KEY = "bert.embeddings.vocab_channel_embeddings.weight"


class _Output:
    def __init__(self, logits: torch.Tensor):
        self.logits = logits


class _Linear(nn.Linear):
    """``nn.Linear`` without its random initialisation: every weight is loaded from the
    stored model right after construction (:func:`load_bert_classifier` checks that the
    stored names and shapes are exactly these), and the random init was ~0.15 s of load()."""

    def reset_parameters(self) -> None:
        pass


class _Embedding(nn.Embedding):
    """``nn.Embedding`` without its random initialisation (see :class:`_Linear`)."""

    def reset_parameters(self) -> None:
        pass


class _SelfAttention(nn.Module):
    def __init__(self, h: int):
        super().__init__()
        self.query = _Linear(h, h)
        self.key = _Linear(h, h)
        self.value = _Linear(h, h)


class _DenseLN(nn.Module):
    def __init__(self, d_in: int, d_out: int, eps: float):
        super().__init__()
        self.dense = _Linear(d_in, d_out)
        self.LayerNorm = nn.LayerNorm(d_out, eps=eps)


class _Attention(nn.Module):
    def __init__(self, h: int, eps: float):
        super().__init__()
        self.self = _SelfAttention(h)
        self.output = _DenseLN(h, h, eps)


class _Intermediate(nn.Module):
    def __init__(self, h: int, i: int):
        super().__init__()
        self.dense = _Linear(h, i)


class _Layer(nn.Module):
    def __init__(self, h: int, i: int, heads: int, eps: float):
        super().__init__()
        self.attention = _Attention(h, eps)
        self.intermediate = _Intermediate(h, i)
        self.output = _DenseLN(i, h, eps)
        self.heads = heads

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape
        dh = h // self.heads
        sa = self.attention.self

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, self.heads, dh).transpose(1, 2)

        q, k, v = split(sa.query(x)), split(sa.key(x)), split(sa.value(x))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(b, n, h)
        ao = self.attention.output
        x = ao.LayerNorm(ao.dense(ctx) + x)
        inter = F.gelu(self.intermediate.dense(x))
        return self.output.LayerNorm(self.output.dense(inter) + x)


class _Embeddings(nn.Module):
    def __init__(self, vocab: int, h: int, max_pos: int, types: int, eps: float, channels: int = 0):
        super().__init__()
        self.word_embeddings = _Embedding(vocab, h)
        self.position_embeddings = _Embedding(max_pos, h)
        self.token_type_embeddings = _Embedding(types, h)
        self.LayerNorm = nn.LayerNorm(h, eps=eps)
        #: the vocab-match channel (``vocab_channels`` in config.json; absent otherwise)
        self.vocab_channel_embeddings = _Embedding(channels, h) if channels else None


class _Encoder(nn.Module):
    def __init__(self, layers: list[_Layer]):
        super().__init__()
        self.layer = nn.ModuleList(layers)


class _Bert(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        h, eps = cfg["hidden_size"], cfg.get("layer_norm_eps", 1e-12)
        self.embeddings = _Embeddings(cfg["vocab_size"], h, cfg["max_position_embeddings"],
                                      cfg.get("type_vocab_size", 2), eps, int(cfg.get("vocab_channels") or 0))
        self.encoder = _Encoder([_Layer(h, cfg["intermediate_size"], cfg["num_attention_heads"], eps)
                                 for _ in range(cfg["num_hidden_layers"])])


class BertTokenClassifier(nn.Module):
    """Inference-only ``BertForTokenClassification`` (same state-dict names)."""

    def __init__(self, cfg: dict):
        super().__init__()
        self.bert = _Bert(cfg)
        self.classifier = _Linear(cfg["hidden_size"], len(cfg["id2label"]))

    @property
    def vocab_channels(self) -> int:
        ch = self.bert.embeddings.vocab_channel_embeddings
        return 0 if ch is None else ch.num_embeddings

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                channel_ids: torch.Tensor | None = None) -> _Output:
        """``channel_ids``: the vocab-match channel id of each piece (:mod:`ehrnlp.ner.channel`);
        required by a model with the channel, refused by one without."""
        emb = self.bert.embeddings
        n = input_ids.shape[1]
        pos = torch.arange(n, device=input_ids.device).unsqueeze(0)
        x = emb.word_embeddings(input_ids) + emb.position_embeddings(pos) + emb.token_type_embeddings.weight[0]
        x = x + _channel_embedding(emb.vocab_channel_embeddings, channel_ids)
        x = emb.LayerNorm(x)
        mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.bert.encoder.layer:
            x = layer(x, mask)
        return _Output(self.classifier(x))


def _channel_embedding(table: nn.Embedding | None, channel_ids: torch.Tensor | None) -> torch.Tensor | float:
    if table is None:
        if channel_ids is not None:
            raise ValueError("channel_ids given to a model without the vocab-match channel")
        return 0.0
    if channel_ids is None:
        raise ValueError("this model reads the vocab-match channel: pass channel_ids "
                         "(ehrnlp.ner.channel.piece_channels)")
    return table(channel_ids)


def attach_vocab_channel(model: Any, channels: int, path: str | Path | None = None) -> Any:
    """Give a ``transformers`` BERT token classifier the vocab-match channel: an
    ``nn.Embedding(channels, hidden)`` at :data:`CHANNEL_KEY`, initialised at zero (the model
    then computes exactly what it did without it) or read from ``path``'s ``model.safetensors``
    when it holds one (``from_pretrained`` drops the key it does not know). Sets
    ``config.vocab_channels`` so ``save_pretrained`` writes the flag to config.json. Other
    architectures are refused (ValueError)."""
    if getattr(model.config, "model_type", None) != "bert" or not hasattr(model, "bert"):
        raise ValueError("the vocab-match channel is implemented for BERT token classifiers only "
                         f"(this model is {getattr(model.config, 'model_type', '?')!r})")
    emb = model.bert.embeddings
    table = nn.Embedding(channels, model.config.hidden_size)
    nn.init.zeros_(table.weight)
    if path is not None and (Path(path) / "model.safetensors").is_file():
        from safetensors import safe_open

        with safe_open(str(Path(path) / "model.safetensors"), framework="pt") as f:
            if CHANNEL_KEY in f.keys():
                stored = f.get_tensor(CHANNEL_KEY)
                if tuple(stored.shape) != tuple(table.weight.shape):
                    raise ValueError(f"{path}: the stored vocab-match channel has shape {tuple(stored.shape)}, "
                                     f"config.json asks for {tuple(table.weight.shape)}")
                with torch.no_grad():
                    table.weight.copy_(stored.to(table.weight.dtype))
    emb.vocab_channel_embeddings = table.to(emb.word_embeddings.weight.device, emb.word_embeddings.weight.dtype)
    model.config.vocab_channels = channels
    return model


class ChannelForward(nn.Module):
    """A ``transformers`` BERT with :func:`attach_vocab_channel` called like
    :class:`BertTokenClassifier`: the channel embedding is added to the word embeddings and the
    sum goes in as ``inputs_embeds`` (BERT adds positions and token types to it, as to the word
    embeddings)."""

    def __init__(self, model: Any):
        super().__init__()
        self.model: Any = model
        self.config = model.config

    @property
    def vocab_channels(self) -> int:
        return int(self.model.bert.embeddings.vocab_channel_embeddings.num_embeddings)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                channel_ids: torch.Tensor | None = None):
        emb: Any = self.model.bert.embeddings
        x = emb.word_embeddings(input_ids) + _channel_embedding(emb.vocab_channel_embeddings, channel_ids)
        return self.model(inputs_embeds=x, attention_mask=attention_mask)


def load_bert_classifier(path: str | Path) -> BertTokenClassifier | None:
    """Load ``config.json`` + ``model.safetensors`` into :class:`BertTokenClassifier`, or None
    when the architecture or the weights are not exactly what it implements."""
    from safetensors.torch import load_file

    path = Path(path)
    cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
    if (
        cfg.get("model_type") != "bert"
        or cfg.get("hidden_act", "gelu") != "gelu"
        or cfg.get("position_embedding_type", "absolute") != "absolute"
        or "id2label" not in cfg
    ):
        return None
    # built without random init (_Linear, _Embedding); torch's meta device would skip it too,
    # but its first use imports sympy, +2 s
    model = BertTokenClassifier(cfg)
    state = load_file(str(path / "model.safetensors"))
    expected = model.state_dict()
    if set(state) != set(expected) or any(state[k].shape != expected[k].shape for k in state):
        return None
    model.load_state_dict({k: v.float() for k, v in state.items()}, assign=True)
    return model.eval()
