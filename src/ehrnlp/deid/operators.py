"""Replacement operators, expressed as presidio-anonymizer ``OperatorConfig`` objects.

``mask``      ``[NAME]``, ``[DATE]`` ... (Presidio ``replace``)
``redact``    the PHI is removed (Presidio ``redact``)
``surrogate`` realistic fake values (:mod:`.surrogates`), Presidio ``custom``
``date_shift`` (``deid.date_shift = true``, with any operator): dates move by the
              patient's HMAC-derived shift and keep their format (:mod:`.dateshift`)
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable

from presidio_anonymizer.entities import OperatorConfig

from ..config import DeidConfig
from .dateshift import patient_shift_days, shift_date_text
from .surrogates import Surrogates

__all__ = ["Replacer"]


class Replacer:
    """Builds the operators for one note."""

    def __init__(self, cfg: DeidConfig, *, patient: str | None, note_id: str | None, note_date: str | None = None):
        self.cfg = cfg
        key = cfg.secret_key.get_secret_value() if cfg.secret_key is not None else None
        if key:
            scope = f"patient:{patient}" if patient else (f"note:{note_id}" if note_id else None)
            if scope is None:
                # no patient and no id: per-note randomness (still consistent within the note)
                self.secret = os.urandom(32)
                self.shift_days = -(1 + int.from_bytes(os.urandom(4), "big") % 365)
            else:
                self.secret = hmac.new(key.encode("utf-8"), b"ehrnlp-surrogate\x00" + scope.encode("utf-8"), hashlib.sha256).digest()
                self.shift_days = patient_shift_days(key, scope)
        else:
            self.secret = os.urandom(32)
            self.shift_days = -(1 + int.from_bytes(os.urandom(4), "big") % 365)
        self._surrogates: Surrogates | None = None

    @property
    def surrogates(self) -> Surrogates:
        if self._surrogates is None:
            self._surrogates = Surrogates(self.secret, date_shift_days=self.shift_days)
        return self._surrogates

    def _custom(self, label: str) -> Callable[[str], str]:
        sur = self.surrogates

        def op(text: str) -> str:
            return sur.replace(label, text)

        return op

    def _shift(self) -> Callable[[str], str]:
        days = self.shift_days

        def op(text: str) -> str:
            shifted = shift_date_text(text, days)
            return shifted if shifted is not None else "[DATE]"

        return op

    def avoid_names(self, values: list[str]) -> None:
        """Words of the note's real names, never to be used as surrogates."""
        import re

        self.surrogates.avoid_words = frozenset(w.lower() for v in values for w in re.findall(r"[^\W\d_]{2,}", v))

    def operators(self, labels: set[str]) -> dict[str, OperatorConfig]:
        ops: dict[str, OperatorConfig] = {}
        for label in labels:
            if label == "DATE" and self.cfg.date_shift:
                ops[label] = OperatorConfig("custom", {"lambda": self._shift()})
            elif self.cfg.operator == "mask":
                ops[label] = OperatorConfig("replace", {"new_value": f"[{label}]"})
            elif self.cfg.operator == "redact":
                ops[label] = OperatorConfig("redact", {})
            else:
                ops[label] = OperatorConfig("custom", {"lambda": self._custom(label)})
        return ops
