"""The vocab-match channel: which word pieces of a text lie inside a vocabulary term.

A model folder whose ``config.json`` names ``vocab_channels`` (issue 18, "the vocabulary as
dictionary features for the tagger") adds a learned embedding of each piece's channel id to its
word embedding: :data:`CHANNEL_NONE` outside every term, :data:`CHANNEL_DRUG` inside a term the
vocabulary knows as a MEDICATION, :data:`CHANNEL_FINDING` inside a SYMPTOM, PROBLEM or REACTION
term (a term that is both is a drug, as the rule matcher ranks them). The terms are found by the
rule matcher (:class:`~ehrnlp.ner.rules.RuleMatcherStage`, longest match on normalized tokens,
so case-insensitive and offset-safe) over the bundled vocabulary.

Training (:func:`ehrnlp.training.train.featurize`) and inference
(:class:`~ehrnlp.ner.tagger.NerModel`) both call :func:`piece_channels` on the whole text
before it is cut into windows, so a piece gets the same id in both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .rules import RuleMatcherStage

__all__ = ["CHANNEL_NONE", "CHANNEL_DRUG", "CHANNEL_FINDING", "VOCAB_CHANNELS", "term_channels",
           "piece_channels", "default_matcher"]

CHANNEL_NONE = 0
CHANNEL_DRUG = 1
CHANNEL_FINDING = 2
#: the number of channel ids (the rows of the channel embedding)
VOCAB_CHANNELS = 3

_FINDING_LABELS = frozenset({"SYMPTOM", "PROBLEM", "REACTION"})

_MATCHER: list[RuleMatcherStage] = []


def default_matcher() -> RuleMatcherStage:
    """The rule matcher over the bundled vocabulary (built once per process): the channel
    depends on the model and the library's vocabulary only, never on a user's extra files."""
    if not _MATCHER:
        from ..vocab import load_vocabulary
        from .rules import RuleMatcherStage

        _MATCHER.append(RuleMatcherStage(load_vocabulary()))
    return _MATCHER[0]


def term_channels(text: str, matcher: RuleMatcherStage | None = None) -> list[tuple[int, int, int]]:
    """``(start, end, channel)`` of every drug or finding term of ``text`` (character offsets)."""
    m = matcher if matcher is not None else default_matcher()
    out = []
    for s, e, labels in m.vocab_spans(text):
        if "MEDICATION" in labels:
            out.append((s, e, CHANNEL_DRUG))
        elif labels & _FINDING_LABELS:
            out.append((s, e, CHANNEL_FINDING))
    return out


def piece_channels(text: str, offsets: Sequence[tuple[int, int]],
                   matcher: RuleMatcherStage | None = None) -> list[int]:
    """The channel id of each word piece (``offsets``: its character span in ``text``, as the
    tokenizer gives it; an empty span gets :data:`CHANNEL_NONE`): the channel of the term the
    piece overlaps."""
    terms = term_channels(text, matcher)
    out = [CHANNEL_NONE] * len(offsets)
    if not terms:
        return out
    char = bytearray(len(text))
    for s, e, ch in terms:
        char[s:e] = bytes([ch]) * (e - s)
    for i, (s, e) in enumerate(offsets):
        if e > s:
            out[i] = max(char[s:e], default=CHANNEL_NONE)
    return out
