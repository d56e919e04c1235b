"""One note to FHIR resources, or one OperationOutcome: the unit of work of every batch path.

``ehrnlp convert`` (:mod:`ehrnlp.batch`) and ``ehrnlp.spark`` both call
:func:`note_to_resources`, so a note fails (or succeeds) the same way whichever runs it. A
failure never carries note text: the reason is the error's own message (ehrnlp's errors never
quote text) or, for anything else, only the exception's class.
"""

from __future__ import annotations

import uuid
from typing import Any

from .errors import EhrnlpError
from .model import Document, Note

__all__ = ["note_to_resources", "operation_outcome"]

_NS = uuid.UUID("0d5b8a3e-3f8b-4a7e-9a0c-6f1f2b7d4c11")


def operation_outcome(location: str | None, note_id: str | None, reason: str, stage: str | None = None) -> dict[str, Any]:
    """The OperationOutcome recording a failed note or record (deterministic id)."""
    key = f"{location}|{note_id}"
    issue: dict[str, Any] = {
        "severity": "error",
        "code": "processing",
        "diagnostics": reason,
    }
    if location:
        issue["location"] = [location]
    details = [f"note {note_id}" if note_id else "note without id"]
    if stage:
        details.append(f"stage {stage}")
    issue["details"] = {"text": "; ".join(details)}
    return {"resourceType": "OperationOutcome", "id": str(uuid.uuid5(_NS, key)), "issue": [issue]}


def note_to_resources(nlp: Any, note: Note, *, recorded: str, location: str | None = None
                      ) -> tuple[Document | None, list[dict[str, Any]]]:
    """Run ``note`` through ``nlp`` and map it to FHIR resources (plain dicts), each checked
    with fhir.resources when ``[fhir] validate_resources`` is on.

    Returns ``(doc, resources)``, or ``(None, [OperationOutcome])`` when any step failed or
    the note is empty or whitespace only; one bad note never raises out of here.
    """
    from .deid.pseudonym import outcome_ids
    from .fhir.bundle import validate_resource
    from .fhir.mapping import resources_for

    if not note.text.strip():
        # the empty-note policy: nothing to extract and no valid DocumentReference to make
        kind = "empty" if not note.text else "whitespace only"
        return None, [operation_outcome(*outcome_ids(nlp, location, note.id), f"the note is {kind}: nothing to convert")]
    try:
        doc = nlp(note)
        resources = resources_for(doc, config=nlp.config.fhir, recorded=recorded)
        if nlp.config.fhir.validate_resources:
            for res in resources:
                validate_resource(res)
    except EhrnlpError as exc:
        loc, nid = outcome_ids(nlp, location, note.id)
        msg = str(exc)
        if nid != note.id and note.id:
            msg = msg.replace(f"'{note.id}'", f"'{nid}'")  # a later stage named the original id
        return None, [operation_outcome(loc, nid, msg, getattr(exc, "stage", None))]
    except Exception as exc:  # noqa: BLE001 - never let one note stop a run; never quote its text
        loc, nid = outcome_ids(nlp, location, note.id)
        return None, [operation_outcome(loc, nid, f"unexpected {type(exc).__name__} while converting the note")]
    return doc, resources
