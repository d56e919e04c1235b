"""Faulty components for the fail-closed parity tests, named in configs as
``"ehrnlp_test_faults:<factory>"`` (``deid.extra_recognizers``) so that batch worker
processes and Spark executors build the very same faults. Test-only code: never shipped.

Every fault quotes note text in its own message, as third-party code may, so the tests can
check that no error, log line or output ever repeats it.
"""

from __future__ import annotations

import logging

from presidio_analyzer import EntityRecognizer


class _Raising(EntityRecognizer):
    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        raise ValueError(f"cannot handle {text[:60]}")


class _Warning(EntityRecognizer):
    """Logs its failure and returns nothing, as Presidio's own recognizers do."""

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        logging.getLogger("presidio-analyzer").warning("recognizer failed on %s", text[:60])
        return []


class _Empty(EntityRecognizer):
    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        return []


def raising():
    return _Raising(supported_entities=["NAME"], name="fault_raising")


def _silence_presidio_logging() -> None:
    """What an application's logging setup (or the old batch worker) may do."""
    lg = logging.getLogger("presidio-analyzer")
    lg.setLevel(logging.CRITICAL)
    lg.disabled = True
    lg.propagate = False


def warning():
    """A recognizer that only logs its failure, built where logging is configured to hide
    Presidio's warnings: the guard must see them anyway."""
    _silence_presidio_logging()
    return _Warning(supported_entities=["NAME"], name="fault_warning")


_ORIGINAL = None


def model_raises():
    """Makes the transformer's forward pass raise (every NerModel in this process)."""
    global _ORIGINAL
    from ehrnlp.ner.tagger import NerModel

    if _ORIGINAL is None:
        _ORIGINAL = NerModel.logits_for

    def broken(self, token_ids):
        raise RuntimeError("forward pass failed")

    NerModel.logits_for = broken
    return _Empty(supported_entities=["NAME"], name="fault_model_raises")


def restore() -> None:
    """Undo :func:`model_raises` and :func:`warning` in this process (for in-process tests)."""
    global _ORIGINAL
    if _ORIGINAL is not None:
        from ehrnlp.ner.tagger import NerModel

        NerModel.logits_for = _ORIGINAL
        _ORIGINAL = None
    lg = logging.getLogger("presidio-analyzer")
    lg.setLevel(logging.NOTSET)
    lg.disabled = False
    lg.propagate = True


class _Slow(EntityRecognizer):
    """Sleeps on notes that contain SLOWNOTE (a per-note time budget test); others are quick."""

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if "SLOWNOTE" in text:
            import time

            time.sleep(120)
        return []


def slow():
    return _Slow(supported_entities=["NAME"], name="fault_slow")
