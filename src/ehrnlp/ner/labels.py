"""BIO label scheme shared by training and inference.

The model tags the clinical entity types of :data:`ehrnlp.model.CLINICAL_LABELS` and two
PHI types, ``NAME`` and ``LOCATION`` (:data:`PHI_MODEL_LABELS`): the ``deid`` stage uses
those as a learned recognizer (free-text names and addresses that no pattern catches); the
``ner`` stage keeps only the clinical types.
"""

from __future__ import annotations

from ..model import CLINICAL_LABELS

__all__ = ["bio_labels", "ENTITY_LABELS", "PHI_MODEL_LABELS", "MODEL_LABELS"]

PHI_MODEL_LABELS: tuple[str, ...] = ("NAME", "LOCATION")
MODEL_LABELS: tuple[str, ...] = CLINICAL_LABELS + PHI_MODEL_LABELS
#: every span type the model is trained on (a source annotates a subset of them)
ENTITY_LABELS: tuple[str, ...] = MODEL_LABELS


def bio_labels(entity_labels: tuple[str, ...] = ENTITY_LABELS) -> list[str]:
    """``["O", "B-SYMPTOM", "I-SYMPTOM", ...]`` in a fixed order."""
    out = ["O"]
    for lab in entity_labels:
        out += [f"B-{lab}", f"I-{lab}"]
    return out
