"""Named-entity recognition: the fine-tuned transformer tagger and the vocabulary matcher.

``build_ner_stage`` picks the backend named in :class:`~ehrnlp.config.NerConfig`:
``transformer`` (the fine-tuned model shipped in the package), ``rules`` (the
vocabulary matcher) or ``auto`` (the transformer when its weights are present, else rules).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ModelLoadError

if TYPE_CHECKING:  # pragma: no cover
    from ..config import NerConfig
    from ..vocab import Vocabulary

__all__ = ["build_ner_stage"]


def build_ner_stage(cfg: NerConfig, vocabulary: Vocabulary):
    from .rules import RuleMatcherStage

    if cfg.backend == "rules":
        return RuleMatcherStage(vocabulary)
    try:
        from .tagger import TransformerStage, bundled_model_available
    except ImportError:
        if cfg.backend == "transformer":
            raise ModelLoadError(
                "the transformer NER backend is not part of this installation; "
                "use ner.backend = 'rules' or reinstall ehrnlp"
            ) from None
        return RuleMatcherStage(vocabulary)
    if cfg.backend == "transformer" or cfg.model_path or bundled_model_available():
        return TransformerStage(cfg, vocabulary)
    return RuleMatcherStage(vocabulary)
