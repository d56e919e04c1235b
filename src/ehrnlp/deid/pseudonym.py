"""Pseudonymous note ids: whenever de-identification runs, a note's id leaves ehrnlp only as
a keyed HMAC of itself.

A note id is often PHI (``Smith_John_MRN99887766_2019-03-14.txt``). :func:`note_pseudonym`
turns it into ``note-<24 hex digits>``: HMAC-SHA256 of the id under ``deid.secret_key`` (the
key of the surrogates and date shifts), so the same note gets the same pseudonym in every run
with that key. Without a key the HMAC uses a random key of this run (:func:`run_key`; batch
workers receive the parent's), so pseudonyms are stable within a run and unlinkable across
runs. The original id is written nowhere, except into the local manifest of ``ehrnlp
convert --keep-id-map`` when a user asks for it.
"""

from __future__ import annotations

import hashlib
import hmac
import os

__all__ = ["note_pseudonym", "run_key", "set_run_key", "pseudonymizer", "outcome_ids", "PREFIX"]

PREFIX = "note-"
_RUN_KEY = os.urandom(32)


def run_key() -> bytes:
    """This process's random key (used when no ``deid.secret_key`` is configured)."""
    return _RUN_KEY


def set_run_key(key: bytes) -> None:
    """Adopt a parent process's run key (batch workers), so all workers agree."""
    global _RUN_KEY
    if len(key) < 16:
        raise ValueError("a run key needs at least 16 bytes")
    _RUN_KEY = bytes(key)


def note_pseudonym(value: str | None, secret_key: str | None = None, *, prefix: str = PREFIX) -> str | None:
    """``note-`` + 24 hex digits of HMAC-SHA256(key, value); ``None`` stays ``None``. An id
    that is already a pseudonym is kept (de-identifying twice changes nothing). ``prefix``
    ``"location-"`` pseudonymises an input location (a file name) the same way."""
    if value is None or value == "":
        return None
    value = str(value)
    if value.startswith(prefix) and len(value) == len(prefix) + 24 and all(c in "0123456789abcdef" for c in value[len(prefix):]):
        return value
    key = secret_key.encode("utf-8") if secret_key else _RUN_KEY
    digest = hmac.new(key, b"ehrnlp-" + prefix.encode("ascii") + b"\x00" + value.encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:24]


def pseudonymizer(nlp: object) -> tuple[bool, str | None]:
    """``(deid_runs, secret_key)`` of a pipeline: whether it has a ``deid`` stage, and its key."""
    for stage in getattr(nlp, "stages", ()):
        if getattr(stage, "name", None) == "deid":
            cfg = getattr(stage, "cfg", None)
            key = getattr(cfg, "secret_key", None)
            return True, (key.get_secret_value() if key is not None else None)
    return False, None


def outcome_ids(nlp: object, location: str | None, note_id: str | None) -> tuple[str | None, str | None]:
    """The location and note id an OperationOutcome (or error) of ``nlp`` may carry: their
    pseudonyms when the pipeline de-identifies, else as given."""
    deid, key = pseudonymizer(nlp)
    if not deid:
        return location, note_id
    return note_pseudonym(location, key, prefix="location-"), note_pseudonym(note_id, key)
