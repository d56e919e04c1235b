"""FHIR input: DocumentReference -> :class:`ehrnlp.Note`, from resources, Bundles and Bulk NDJSON.

    from ehrnlp.fhir.input import note_from_document_reference, read_bulk_ndjson, read_fhir

    note = note_from_document_reference(resource)          # a dict or a fhir.resources object
    for note in read_bulk_ndjson("../shared/data/synthea"): # a FHIR Bulk Data export folder
        doc = nlp(note)

Mapping: ``id`` -> ``Note.id``; ``subject.reference`` -> ``Note.patient``; ``date`` ->
``Note.date``; the text is the first ``content[].attachment`` with inline ``data`` (base64,
as FHIR JSON carries it) in a text content type (``text/plain`` preferred, ``text/markdown``,
or no content type at all), decoded with the attachment's ``charset`` (default UTF-8).
Attachments that only have a ``url`` are never fetched: ehrnlp works offline.

``Note.metadata`` records where the note came from, never its content::

    {"source": "DocumentReference", "reference": "DocumentReference/<id>",
     "status": "current", "type": ["http://loinc.org|34117-2", ...],
     "encounter": "Encounter/<id>", "content_type": "text/plain; charset=utf-8",
     "location": "<file>:<line>"}         # location only when read from a file

Every failure raises :class:`ehrnlp.InputError` naming the resource (type, id), the element
and, for files, the line; messages never contain note text.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import gzip
import json
import logging
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..model import KnownPhi, Note

__all__ = [
    "known_phi_from_patients",
    "note_from_document_reference",
    "patient_key",
    "notes_from_bundle",
    "read_bulk_ndjson",
    "read_fhir",
]

log = logging.getLogger("ehrnlp.fhir.input")

#: content types whose attachment data ehrnlp reads as note text, in order of preference
TEXT_CONTENT_TYPES: tuple[str, ...] = ("text/plain", "text/markdown", "text/x-markdown")
_MAX_NOTE_BYTES = 16 * 1024 * 1024


def _as_dict(resource: Any) -> dict[str, Any]:
    """A plain JSON dict for a dict or a ``fhir.resources`` model (any FHIR version)."""
    if isinstance(resource, Mapping):
        return dict(resource)
    dump = getattr(resource, "model_dump_json", None)
    if callable(dump):
        # model_dump() would give decoded bytes for base64Binary; the JSON form is the FHIR one.
        return json.loads(dump(exclude_none=True))
    raise InputError(
        f"expected a FHIR resource as a dict or a fhir.resources model, got {type(resource).__name__}"
    )


def _label(res: Mapping[str, Any]) -> str:
    rid = res.get("id")
    return f"{res.get('resourceType', 'resource')}/{rid}" if isinstance(rid, str) and rid else str(res.get("resourceType", "resource"))


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """``"text/plain; charset=ISO-8859-1"`` -> ``("text/plain", "iso-8859-1")``."""
    if not content_type:
        return "", None
    parts = [p.strip() for p in str(content_type).split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p.split("=", 1)[1].strip().strip('"').lower() or None
    return parts[0].lower(), charset


def _pick_attachment(res: Mapping[str, Any], where: str) -> tuple[int, Mapping[str, Any]]:
    content = res.get("content")
    if not isinstance(content, list) or not content:
        raise InputError(f"{where} has no content[] (DocumentReference.content is required); nothing to read")
    candidates: list[tuple[int, int, Mapping[str, Any]]] = []
    seen_types: list[str] = []
    url_only = False
    for i, item in enumerate(content):
        att = item.get("attachment") if isinstance(item, Mapping) else None
        if not isinstance(att, Mapping):
            continue
        media, _ = _media_type(att.get("contentType"))
        seen_types.append(media or "(none)")
        if att.get("data") is None:
            url_only = url_only or bool(att.get("url"))
            continue
        if media == "":
            rank = len(TEXT_CONTENT_TYPES)  # untyped inline data: accepted, after typed text
        elif media in TEXT_CONTENT_TYPES:
            rank = TEXT_CONTENT_TYPES.index(media)
        else:
            continue
        candidates.append((rank, i, att))
    if not candidates:
        if url_only:
            raise InputError(
                f"{where} has its text only behind attachment.url; ehrnlp works offline and does not "
                "fetch URLs: export the note with inline attachment.data (base64)"
            )
        kinds = ", ".join(sorted(set(seen_types))) or "none"
        raise InputError(
            f"{where} has no inline text attachment (content types found: {kinds}); ehrnlp reads "
            f"attachment.data of type {', '.join(TEXT_CONTENT_TYPES)} or untyped"
        )
    candidates.sort(key=lambda c: (c[0], c[1]))
    _, index, att = candidates[0]
    return index, att


def _decode(att: Mapping[str, Any], where: str) -> str:
    data = att.get("data")
    if not isinstance(data, str):
        raise InputError(f"{where}.data must be a base64 string, got {type(data).__name__}")
    compact = re.sub(r"\s+", "", data)
    if len(compact) * 3 // 4 > _MAX_NOTE_BYTES:
        raise InputError(f"{where}.data is over {_MAX_NOTE_BYTES // (1024 * 1024)} MiB; split the note first")
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"{where}.data is not valid base64 (FHIR JSON carries attachment data base64-encoded)") from None
    _, charset = _media_type(att.get("contentType"))
    encoding = charset or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"{where}.contentType names an unknown charset {encoding!r}") from None
    if encoding.replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"  # tolerate a byte-order mark
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}.data is not valid {charset or 'UTF-8'} text (invalid byte at offset {exc.start}); "
            "set the charset in contentType"
        ) from None


def _codes(cc: Any) -> list[str]:
    out = []
    if isinstance(cc, Mapping):
        for c in cc.get("coding") or ():
            if isinstance(c, Mapping) and c.get("code"):
                out.append(f"{c.get('system', '')}|{c['code']}")
    return out


def note_from_document_reference(resource: Any, *, location: str | None = None) -> Note:
    """Convert one FHIR DocumentReference (dict or ``fhir.resources`` model) to a :class:`Note`."""
    res = _as_dict(resource)
    rtype = res.get("resourceType")
    where = (location + ": " if location else "") + _label(res)
    if rtype != "DocumentReference":
        raise InputError(f"{where}: expected a DocumentReference, got resourceType {rtype!r}")
    index, att = _pick_attachment(res, where)
    text = _decode(att, f"{where} content[{index}].attachment")

    rid = res.get("id")
    patient = None
    subject = res.get("subject")
    if isinstance(subject, Mapping) and isinstance(subject.get("reference"), str) and subject["reference"].strip():
        patient = subject["reference"].strip()
    date = res.get("date") if isinstance(res.get("date"), str) else None

    meta: dict[str, Any] = {"source": "DocumentReference"}
    if isinstance(rid, str) and rid:
        meta["reference"] = f"DocumentReference/{rid}"
    if isinstance(res.get("status"), str):
        meta["status"] = res["status"]
    types = _codes(res.get("type"))
    if types:
        meta["type"] = types
    context = res.get("context")
    if isinstance(context, Mapping):
        enc = context.get("encounter")
        if isinstance(enc, list) and enc and isinstance(enc[0], Mapping) and enc[0].get("reference"):
            meta["encounter"] = enc[0]["reference"]
    if att.get("contentType"):
        meta["content_type"] = att["contentType"]
    if location:
        meta["location"] = location
    return Note(text=text, id=rid if isinstance(rid, str) and rid else None, patient=patient, date=date, metadata=meta)


def notes_from_bundle(bundle: Any, *, on_error: Literal["raise", "skip"] = "raise", location: str | None = None) -> Iterator[Note]:
    """The notes of every DocumentReference entry of a Bundle (any type: collection, searchset...)."""
    b = _as_dict(bundle)
    if b.get("resourceType") != "Bundle":
        raise InputError(f"expected a Bundle, got resourceType {b.get('resourceType')!r}")
    entries = b.get("entry") or []
    if not isinstance(entries, list):
        raise InputError(f"{location or 'Bundle'}: Bundle.entry must be a list of entries, got a JSON {type(entries).__name__}")
    for i, entry in enumerate(entries):
        res = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(res, Mapping) or res.get("resourceType") != "DocumentReference":
            continue
        loc = f"{location or 'Bundle'} entry[{i}]"
        try:
            yield note_from_document_reference(res, location=loc)
        except InputError as exc:
            if on_error == "raise":
                raise
            log.warning("skipped %s: %s", loc, exc)


def _bulk_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir()
            if p.is_file() and p.name.startswith("DocumentReference") and (p.name.endswith(".ndjson") or p.name.endswith(".ndjson.gz"))
        )
        if not files:
            raise InputError(f"no DocumentReference*.ndjson files in folder {path} (a FHIR Bulk Data export names files by resource type)")
        return files
    if path.is_file():
        return [path]
    raise InputError(f"Bulk NDJSON input not found: {path}")


def read_bulk_ndjson(path: str | Path, *, on_error: Literal["raise", "skip"] = "raise") -> Iterator[Note]:
    """Notes from FHIR Bulk Data NDJSON: a file, or a folder of ``DocumentReference*.ndjson[.gz]``.

    Lines of other resource types are skipped (a mixed NDJSON file is fine). With
    ``on_error="skip"`` an unusable line is logged (file, line, reason; no content) and skipped.
    """
    for file in _bulk_files(Path(path)):
        for n, line in _ndjson_lines(file):
            loc = f"{file}:{n}"
            try:
                if isinstance(line, InputError):
                    raise line
                try:
                    res = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{loc}: not a JSON resource ({exc.msg} at column {exc.colno})") from None
                except RecursionError:
                    raise InputError(f"{loc}: JSON nested too deeply to parse") from None
                if not isinstance(res, Mapping):
                    raise InputError(f"{loc}: not a JSON object")
                if res.get("resourceType") != "DocumentReference":
                    continue
                yield note_from_document_reference(res, location=loc)
            except InputError as exc:
                if on_error == "raise":
                    raise
                log.warning("skipped %s", exc)


def _ndjson_lines(file: Path) -> Iterator[tuple[int, str | InputError]]:
    """The non-blank lines of an NDJSON file (``.gz`` too) with their 1-based numbers; a line
    that is not UTF-8 comes as an :class:`InputError` (the lines after it are still read); an
    unreadable file, a ``.gz`` that is not gzip or a truncated one raises InputError naming the
    file (never its content)."""
    try:
        fh = gzip.open(file, "rb") if file.suffix == ".gz" else file.open("rb")
    except OSError as exc:
        raise InputError(f"cannot open {file}: {exc.strerror or type(exc).__name__}") from None
    with fh:
        try:
            for n, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                if n == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                try:
                    yield n, raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield n, InputError(f"{file}:{n}: not UTF-8 text (invalid byte at offset {exc.start} of the line)")
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"cannot read {file}: {type(exc).__name__} (not gzip, truncated or unreadable)") from None


def read_fhir(source: Any, *, on_error: Literal["raise", "skip"] = "raise") -> Iterator[Note]:
    """Notes from any FHIR input: a path (``.ndjson``/``.ndjson.gz`` file or Bulk folder; ``.json``
    DocumentReference or Bundle), a resource dict/model, or an iterable of those."""
    if isinstance(source, (str, Path)):
        p = Path(source)
        if p.is_dir() or p.name.endswith(".ndjson") or p.name.endswith(".ndjson.gz"):
            yield from read_bulk_ndjson(p, on_error=on_error)
            return
        if not p.is_file():
            raise InputError(f"FHIR input not found: {p}")
        try:
            data = json.loads(p.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{p} is not JSON ({exc.msg} at line {exc.lineno}); NDJSON files must end in .ndjson") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{p} is not UTF-8 (invalid byte at offset {exc.start})") from None
        except RecursionError:
            raise InputError(f"{p}: JSON nested too deeply to parse") from None
        yield from _from_obj(data, on_error=on_error, location=str(p))
        return
    if isinstance(source, Mapping) or hasattr(source, "model_dump_json"):
        yield from _from_obj(_as_dict(source), on_error=on_error, location=None)
        return
    if isinstance(source, Iterable):
        for item in source:
            yield from read_fhir(item, on_error=on_error)
        return
    raise InputError(f"cannot read FHIR input of type {type(source).__name__}")


def _from_obj(data: Any, *, on_error: str, location: str | None) -> Iterator[Note]:
    if isinstance(data, list):
        for i, item in enumerate(data):
            if isinstance(item, list):
                raise InputError(f"{location or 'input'}[{i}]: a list inside a list, expected FHIR resource objects")
            yield from _from_obj(item, on_error=on_error, location=f"{location or 'input'}[{i}]")
        return
    if not isinstance(data, Mapping):
        raise InputError(f"{location or 'input'}: expected a FHIR resource object")
    rtype = data.get("resourceType")
    if rtype == "Bundle":
        yield from notes_from_bundle(data, on_error=on_error, location=location)  # type: ignore[arg-type]
    elif rtype == "DocumentReference":
        yield note_from_document_reference(data, location=location)
    else:
        raise InputError(f"{location or 'input'}: expected a DocumentReference or a Bundle, got resourceType {rtype!r}")


def patient_key(reference: str | None) -> str | None:
    """The Patient id a reference names: ``"Patient/123"``, ``"urn:uuid:123"``, a full URL
    ``".../Patient/123"`` (a version suffix ``/_history/2`` dropped) or a bare ``"123"``."""
    if not reference or not isinstance(reference, str):
        return None
    ref = reference.strip()
    if ref.startswith("urn:uuid:"):
        return ref[9:] or None
    parts = [p for p in ref.split("/") if p]
    if "_history" in parts:
        parts = parts[: parts.index("_history")]
    if len(parts) >= 2 and parts[-2] == "Patient":
        return parts[-1]
    return parts[-1] if len(parts) == 1 else None


def known_phi_from_patients(files: Iterable[str | Path]) -> dict[str, KnownPhi]:
    """``{patient id: KnownPhi}`` from FHIR Bulk NDJSON files of Patient resources, read line
    by line. A line that is not a JSON Patient is skipped with a warning naming the file and
    line, never its content; resources of other types are ignored."""
    known: dict[str, KnownPhi] = {}
    for raw in files:
        file = Path(raw)
        for n, line in _ndjson_lines(file):
            if isinstance(line, InputError):
                log.warning("skipped %s:%d: not UTF-8 text", file, n)
                continue
            try:
                res = json.loads(line)
            except json.JSONDecodeError as exc:
                log.warning("skipped %s:%d: not a JSON resource (%s at column %d)", file, n, exc.msg, exc.colno)
                continue
            except RecursionError:
                log.warning("skipped %s:%d: JSON nested too deeply", file, n)
                continue
            if not isinstance(res, Mapping) or res.get("resourceType") != "Patient":
                if not isinstance(res, Mapping):
                    log.warning("skipped %s:%d: not a JSON object", file, n)
                continue
            pid = res.get("id")
            if not isinstance(pid, str) or not pid:
                log.warning("skipped %s:%d: Patient without an id", file, n)
                continue
            try:
                kp = KnownPhi.from_patient(res)
            except (InputError, TypeError, ValueError, AttributeError) as exc:
                log.warning("skipped %s:%d: unusable Patient (%s)", file, n, type(exc).__name__)
                continue
            known[pid] = kp.merged(known.get(pid)) if pid in known else kp
    return known
