"""BIO label scheme shared by training and inference."""

from __future__ import annotations

from ..model import CLINICAL_LABELS

__all__ = ["bio_labels", "ENTITY_LABELS"]

ENTITY_LABELS: tuple[str, ...] = CLINICAL_LABELS


def bio_labels(entity_labels: tuple[str, ...] = ENTITY_LABELS) -> list[str]:
    """``["O", "B-SYMPTOM", "I-SYMPTOM", ...]`` in a fixed order."""
    out = ["O"]
    for lab in entity_labels:
        out += [f"B-{lab}", f"I-{lab}"]
    return out
