"""The one exception hierarchy of ehrnlp.

Every error says what failed, what was expected and how to fix it. No message ever
contains text from a note: messages name stages, files, labels, offsets and counts only.
"""

from __future__ import annotations

__all__ = [
    "EhrnlpError",
    "ConfigError",
    "PipelineError",
    "StageError",
    "DeidError",
    "ModelLoadError",
    "VocabError",
    "InputError",
    "FhirError",
]


class EhrnlpError(Exception):
    """Base class of every error raised by ehrnlp."""


class ConfigError(EhrnlpError, ValueError):
    """A configuration value or file is invalid (unknown key, wrong type, bad path)."""


class PipelineError(EhrnlpError):
    """The pipeline was assembled wrongly (stage order, missing prerequisite)."""


class StageError(EhrnlpError):
    """A stage failed while processing a note.

    ``stage`` names the failing stage; ``note_id`` names the note when it has an id.
    The original exception is chained only when ``EHRNLP_DEBUG=1`` is set, because
    third-party exceptions may quote the text they were given.
    """

    def __init__(self, message: str, *, stage: str | None = None, note_id: str | None = None):
        super().__init__(message)
        self.stage = stage
        self.note_id = note_id


class DeidError(StageError):
    """De-identification could not be completed: the note must not be emitted (fails closed)."""


class ModelLoadError(EhrnlpError):
    """A model or its data is missing, corrupt or incompatible."""


class VocabError(EhrnlpError, ValueError):
    """A vocabulary file is malformed (names the file, line and column)."""


class InputError(EhrnlpError, ValueError):
    """An input note or file is unusable (wrong type, empty, undecodable)."""


class FhirError(EhrnlpError):
    """A FHIR resource could not be built, parsed or delivered."""
