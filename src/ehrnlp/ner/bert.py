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

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["BertTokenClassifier", "load_bert_classifier"]


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
    def __init__(self, vocab: int, h: int, max_pos: int, types: int, eps: float):
        super().__init__()
        self.word_embeddings = _Embedding(vocab, h)
        self.position_embeddings = _Embedding(max_pos, h)
        self.token_type_embeddings = _Embedding(types, h)
        self.LayerNorm = nn.LayerNorm(h, eps=eps)


class _Encoder(nn.Module):
    def __init__(self, layers: list[_Layer]):
        super().__init__()
        self.layer = nn.ModuleList(layers)


class _Bert(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        h, eps = cfg["hidden_size"], cfg.get("layer_norm_eps", 1e-12)
        self.embeddings = _Embeddings(cfg["vocab_size"], h, cfg["max_position_embeddings"],
                                      cfg.get("type_vocab_size", 2), eps)
        self.encoder = _Encoder([_Layer(h, cfg["intermediate_size"], cfg["num_attention_heads"], eps)
                                 for _ in range(cfg["num_hidden_layers"])])


class BertTokenClassifier(nn.Module):
    """Inference-only ``BertForTokenClassification`` (same state-dict names)."""

    def __init__(self, cfg: dict):
        super().__init__()
        self.bert = _Bert(cfg)
        self.classifier = _Linear(cfg["hidden_size"], len(cfg["id2label"]))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> _Output:
        emb = self.bert.embeddings
        n = input_ids.shape[1]
        pos = torch.arange(n, device=input_ids.device).unsqueeze(0)
        x = emb.word_embeddings(input_ids) + emb.position_embeddings(pos) + emb.token_type_embeddings.weight[0]
        x = emb.LayerNorm(x)
        mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.bert.encoder.layer:
            x = layer(x, mask)
        return _Output(self.classifier(x))


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
