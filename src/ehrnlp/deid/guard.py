"""The fail-closed guard of the de-identification stage.

* every recognizer's ``analyze`` is wrapped (:func:`guard_recognizer`): an exception becomes
  a :class:`ComponentFailure` naming the recognizer;
* Presidio logs (and skips) some failures; while a note is analysed or anonymized every
  record of Presidio's loggers is captured inside the logger objects themselves
  (:class:`_GuardedLogger`), ahead of levels, filters, handlers and ``logging.disable``,
  and a WARNING or worse fails the note (:func:`raise_logged`);
* what a failure says is the component and the failure class or kind, never a message.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

__all__ = ["GUARD", "ComponentFailure", "install_guard", "raise_logged", "guard_recognizer"]

_PRESIDIO_LOGGERS = ("presidio-analyzer", "presidio-anonymizer")


# ---------------------------------------------------------------------------------------
# Presidio log guard. Presidio logs (and skips) some recognizer failures: a regex timeout,
# missing NLP artifacts, a model error in its own recognizers. While a note is analysed,
# every record of Presidio's loggers is captured instead of emitted, and a WARNING or worse
# fails the note. The capture happens inside the logger object itself (its class is swapped
# for :class:`_GuardedLogger`), before the level check, the ``disabled`` flag, filters,
# handlers and ``logging.disable``: no logging configuration of the application or of a
# worker process can hide a failure from it. Outside analysis, Presidio's records pass as
# usual except DEBUG ones (they may quote note words).
class _PresidioLogGuard:
    def __init__(self) -> None:
        self.local = threading.local()

    def active(self) -> bool:
        return getattr(self.local, "active", False)

    def start(self) -> None:
        self.local.active = True
        self.local.problems = []
        self.local.current = None

    def stop(self) -> list[tuple[str, str]]:
        self.local.active = False
        problems, self.local.problems = getattr(self.local, "problems", []), []
        return problems

    def enter(self, component: str) -> str | None:
        """Mark ``component`` as the one running (so a record it causes names it)."""
        prev = getattr(self.local, "current", None)
        self.local.current = component
        return prev

    def leave(self, prev: str | None) -> None:
        self.local.current = prev

    def capture(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            return
        # never the message nor its arguments (they may contain note text): the component
        # that was running, the level, and the code location that logged it
        where = getattr(self.local, "current", None) or "Presidio analyzer"
        self.local.problems.append(
            (where, f"it logged a {record.levelname} record through '{record.name}' in {record.module}.{record.funcName}")
        )


GUARD = _PresidioLogGuard()


class _GuardedLogger(logging.Logger):
    """Presidio's loggers, made unable to lose a record while a note is analysed."""

    def isEnabledFor(self, level: int) -> bool:
        if GUARD.active():
            # every WARNING-or-worse record is made, whatever the configuration; records
            # below it would be dropped anyway (they may quote note words), so none is made
            return level >= logging.WARNING
        return super().isEnabledFor(level)

    def handle(self, record: logging.LogRecord) -> None:
        if GUARD.active():
            GUARD.capture(record)
            return
        if record.levelno <= logging.DEBUG:
            return
        super().handle(record)


def install_guard() -> None:
    """Swap the class of Presidio's logger objects (the very objects its modules hold).
    Idempotent and cheap: it runs again before every analysis, in case something reset it."""
    for name in _PRESIDIO_LOGGERS:
        lg = logging.getLogger(name)
        if type(lg) is logging.Logger or not isinstance(lg, _GuardedLogger):
            lg.__class__ = _GuardedLogger


class ComponentFailure(Exception):
    def __init__(self, component: str, cause: BaseException, detail: str | None = None):
        super().__init__(component)
        self.component = component
        self.cause = cause
        self.detail = detail

    def describe(self) -> str:
        """The component and the failure class or kind: never an exception's or a log
        record's message (third-party messages may quote note text)."""
        if self.detail:
            return f"{self.component} failed ({self.detail})"
        return f"{self.component} failed with {type(self.cause).__name__}"


def raise_logged(problems: list[tuple[str, str]]) -> None:
    """Fail on the first WARNING-or-worse record captured while a component ran."""
    if problems:
        where, detail = problems[0]
        more = f"; {len(problems) - 1} more record(s)" if len(problems) > 1 else ""
        raise ComponentFailure(where, RuntimeError("Presidio logged a failure"), detail + more)


def guard_recognizer(rec: Any) -> None:
    """Make ``rec.analyze`` raise :class:`ComponentFailure` naming the recognizer."""
    inner = rec.analyze
    name = getattr(rec, "name", type(rec).__name__)

    def analyze(*args: Any, **kwargs: Any):
        prev = GUARD.enter(f"recognizer '{name}'")
        try:
            return inner(*args, **kwargs)
        except ComponentFailure:
            raise
        except BaseException as exc:  # noqa: BLE001 - fail closed on anything
            raise ComponentFailure(f"recognizer '{name}'", exc) from None
        finally:
            GUARD.leave(prev)

    rec.analyze = analyze


