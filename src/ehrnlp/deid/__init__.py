"""De-identification: Presidio with clinical recognizers, offline, failing closed.

    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    deid = DeidStage(DeidConfig(operator="surrogate", secret_key="...", date_shift=True))
    doc = deid(Document.from_note(Note(text=..., patient="Patient/1")))

Importing this package loads nothing; :class:`DeidStage` loads spaCy and Presidio once
in its constructor. See docs/deid.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["DeidStage"]

if TYPE_CHECKING:  # pragma: no cover
    from .engine import DeidStage


def __getattr__(name: str) -> Any:
    if name == "DeidStage":
        from .engine import DeidStage

        return DeidStage
    raise AttributeError(f"module 'ehrnlp.deid' has no attribute {name!r}")
