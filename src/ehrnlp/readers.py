"""Input readers of ``ehrnlp convert``: every note of every input, one bad file never costs the rest.

Each input file is read in isolation: whatever goes wrong inside it (invalid UTF-8, a
``.gz`` that is not gzip, JSON nested deeper than ``max_json_depth``, a bare JSON number,
a Bundle whose ``entry`` is not a list, a CSV without the text column, an unterminated
CSV quote, an unknown file in a folder, an OS error, even a bug) becomes one
:class:`Failure` naming the file, line or record and the reason (never note text), and
the next record or file is read. Records are isolated too: one bad line of a ``.jsonl``,
``.ndjson`` or ``.csv`` is one Failure, the lines around it are read.

An input that yields no record at all (an empty file, a Bundle without DocumentReferences,
a folder without notes) is never silent: it is logged as a warning and recorded in
:class:`ReadReport` (``manifest.json`` lists it under ``warnings``).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import logging
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from .errors import InputError
from .model import Note

__all__ = ["Failure", "ReadReport", "ReadLimits", "UsageError", "iter_records", "input_format", "json_depth",
           "INPUT_FORMATS", "DEFAULT_MAX_JSON_DEPTH"]

log = logging.getLogger("ehrnlp.readers")

INPUT_FORMATS = ("auto", "txt", "csv", "jsonl", "ndjson", "json")
#: the deepest JSON nesting a reader parses (FHIR resources nest about 10 deep)
DEFAULT_MAX_JSON_DEPTH = 100
_GZIP_MAGIC = b"\x1f\x8b"
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


class UsageError(InputError):
    """Bad usage of a command (a missing input, an unknown format, a bad option): exit status 2."""

    exit_code = 2


class _Options(Protocol):
    input_format: str
    id_col: str
    text_col: str
    patient_col: str
    date_col: str


@dataclass(frozen=True)
class Failure:
    """An input record or file that could not be read (no note text inside)."""

    location: str
    note_id: str | None
    reason: str


@dataclass(frozen=True)
class ReadLimits:
    #: notes longer than this many characters are refused (None: no limit)
    max_note_chars: int | None = None
    max_json_depth: int = DEFAULT_MAX_JSON_DEPTH


@dataclass
class ReadReport:
    """What the readers noticed besides records: inputs that gave nothing, files skipped."""

    warnings: list[dict[str, str]] = field(default_factory=list)

    def warn(self, where: str | Path, reason: str) -> None:
        log.warning("%s: %s", where, reason)
        self.warnings.append({"input": str(where), "reason": reason})


class _FileError(Exception):
    """A whole-file problem found by a reader: the rest of the file cannot be read."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


# -- helpers -----------------------------------------------------------------------------
def json_depth(text: str, limit: int) -> int:
    """The nesting depth of the JSON ``text``, counted up to ``limit + 1`` (cheap: strings are
    skipped with one regular expression, only brackets are walked)."""
    if text.count("[") + text.count("{") <= limit:
        return 0
    stripped = _JSON_STRING.sub("", text) if '"' in text else text
    depth = 0
    for m in _BRACKET.finditer(stripped):
        if m.group() in "[{":
            depth += 1
            if depth > limit:
                return depth
        else:
            depth -= 1
    return 0


def _parse_json(text: str, limits: ReadLimits) -> Any:
    """``json.loads`` with the depth limit; raises ValueError with a reason (no content)."""
    if json_depth(text, limits.max_json_depth) > limits.max_json_depth:
        raise ValueError(f"JSON nested more than {limits.max_json_depth} deep (limit: max_json_depth, --max-json-depth)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply to parse") from None


def _check_size(text: str, limits: ReadLimits, where: str) -> None:
    if limits.max_note_chars is not None and len(text) > limits.max_note_chars:
        raise InputError(
            f"{where}: the note has {len(text):,} characters, over the limit of {limits.max_note_chars:,} "
            "(setting max_note_chars, --max-note-chars); split the note or raise the limit"
        )


def _open_binary(path: Path) -> IO[bytes] | gzip.GzipFile:
    """The file's bytes, gunzipped when it is named ``.gz``: a ``.gz`` that is not gzip is an error."""
    if path.name.lower().endswith(".gz"):
        with path.open("rb") as probe:
            if probe.read(2) != _GZIP_MAGIC:
                raise _FileError("named .gz but not gzip-compressed")
        return gzip.open(path, "rb")
    return path.open("rb")


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with _open_binary(path) as fh:
        yield from enumerate(fh, start=1)


def _decode_line(raw: bytes, n: int) -> str:
    if n == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (invalid byte at offset {exc.start} of the line)") from None


def input_format(path: Path, fmt: str) -> str:
    """The reader for ``path``: ``fmt`` unless ``auto``, else by extension (or folder contents)."""
    if fmt != "auto":
        return fmt
    if path.is_dir():
        if any(path.glob("DocumentReference*.ndjson*")):
            return "ndjson"
        return "txt"
    name = path.name.lower()
    for ext, f in ((".ndjson.gz", "ndjson"), (".ndjson", "ndjson"), (".jsonl.gz", "jsonl"), (".jsonl", "jsonl"),
                   (".csv", "csv"), (".json", "json"), (".txt", "txt")):
        if name.endswith(ext):
            return f
    raise UsageError(f"cannot tell the format of {path} from its name; use --input-format ({', '.join(INPUT_FORMATS[1:])})")


def _row_note(row: dict[str, Any], opts: _Options, loc: str, limits: ReadLimits) -> Note:
    if opts.text_col not in row:
        raise InputError(f"{loc}: no '{opts.text_col}' column/key (set --text-col)")
    text = row[opts.text_col]
    if not isinstance(text, str):
        raise InputError(f"{loc}: '{opts.text_col}' is not a string")
    _check_size(text, limits, loc)
    nid = row.get(opts.id_col)
    patient = row.get(opts.patient_col) or None
    if patient is not None and not isinstance(patient, str):
        raise InputError(f"{loc}: '{opts.patient_col}' is not a string")
    date = row.get(opts.date_col) or None
    return Note(text=text, id=str(nid) if nid not in (None, "") else loc, patient=patient,
                date=str(date) if date else None, metadata={"location": loc})


def _record_id(obj: Any, opts: _Options) -> str | None:
    if not isinstance(obj, dict):
        return None
    rid = obj.get("id") if isinstance(obj.get("id"), str) else obj.get(opts.id_col)
    return str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid) else None


# -- one reader per format -----------------------------------------------------------------
def _read_txt(f: Path, opts: _Options, limits: ReadLimits, pos: list[int]) -> Iterator[Note | Failure]:
    if limits.max_note_chars is not None and f.stat().st_size > 4 * limits.max_note_chars + 3:
        yield Failure(str(f), f.stem, f"the note file has {f.stat().st_size:,} bytes, over the limit of "
                                      f"{limits.max_note_chars:,} characters (setting max_note_chars, --max-note-chars)")
        return
    try:
        text = f.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Failure(str(f), f.stem, f"not UTF-8 text (invalid byte at offset {exc.start})")
        return
    try:
        _check_size(text, limits, str(f))
    except InputError as exc:
        yield Failure(str(f), f.stem, str(exc))
        return
    yield Note(text=text, id=f.stem, metadata={"location": str(f)})


def _read_lines(f: Path, opts: _Options, limits: ReadLimits, pos: list[int]) -> Iterator[Note | Failure]:
    from .fhir.input import note_from_document_reference

    for n, raw in _lines(f):
        pos[0] = n
        if not raw.strip():
            continue
        loc = f"{f}:{n}"
        try:
            obj = _parse_json(_decode_line(raw, n), limits)
        except ValueError as exc:
            yield Failure(loc, None, str(exc))
            continue
        if not isinstance(obj, dict):
            yield Failure(loc, None, f"not a JSON object (a JSON {_json_kind(obj)})")
            continue
        try:
            if "resourceType" in obj:
                if obj["resourceType"] != "DocumentReference":
                    continue
                note = note_from_document_reference(obj, location=loc)
                _check_size(note.text, limits, loc)
                yield note
            else:
                yield _row_note(obj, opts, loc, limits)
        except InputError as exc:
            yield Failure(loc, _record_id(obj, opts), str(exc))


def _json_kind(obj: Any) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "array",
            type(None): "null"}.get(type(obj), type(obj).__name__)


def _read_csv(f: Path, opts: _Options, limits: ReadLimits, pos: list[int]) -> Iterator[Note | Failure]:
    csv.field_size_limit(64 * 1024 * 1024)
    fh = io.TextIOWrapper(_open_binary(f), encoding="utf-8-sig", errors="surrogateescape", newline="")
    with fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _FileError(f"the header row is not valid CSV ({exc})", 1) from None
        if any(_ESCAPED.search(h) for h in header):
            raise _FileError("the header row is not UTF-8 text", 1)
        if opts.text_col not in header:
            raise _FileError(
                f"no '{opts.text_col}' column in the header row (it has {len(header)} column(s)); a CSV input needs a "
                f"header row naming its columns ({opts.id_col}, {opts.text_col}, {opts.patient_col}, {opts.date_col}; "
                "rename with --text-col and friends)", 1)
        width = len(header)
        while True:
            start = reader.line_num + 1
            pos[0] = start
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "end of data" in str(exc):
                    raise _FileError(
                        f"a quoted field that starts on line {start} is never closed (unterminated quote); "
                        "the rest of the file was not read", start) from None
                yield Failure(f"{f}:{start}", None, f"not valid CSV ({exc})")
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            loc = f"{f}:{start}"
            if len(row) > width:
                yield Failure(loc, None, f"the row has {len(row)} fields but the header has {width} "
                                         "(an unquoted comma or quote in the text?)")
                continue
            rec = dict(zip(header, row))
            rid = rec.get(opts.id_col) or None
            if any(_ESCAPED.search(v) for v in row):
                yield Failure(loc, rid if rid and not _ESCAPED.search(rid) else None, "not UTF-8 text (invalid bytes in the row)")
                continue
            try:
                yield _row_note(rec, opts, loc, limits)
            except InputError as exc:
                yield Failure(loc, rid, str(exc))


def _read_json(f: Path, opts: _Options, limits: ReadLimits, pos: list[int]) -> Iterator[Note | Failure]:
    from .fhir.input import note_from_document_reference

    with _open_binary(f) as fh:
        raw = fh.read()
    try:
        data = _parse_json(_decode_line(raw, 1), limits)
    except ValueError as exc:
        raise _FileError(str(exc)) from None
    if isinstance(data, list):
        resources: list[tuple[str, Any]] = [(f"{f}[{i}]", r) for i, r in enumerate(data)]
    elif not isinstance(data, dict):
        raise _FileError(f"holds a JSON {_json_kind(data)}, not a FHIR Bundle or DocumentReference")
    elif data.get("resourceType") == "Bundle":
        entries = data.get("entry", [])
        if not isinstance(entries, list):
            raise _FileError(f"Bundle.entry is a JSON {_json_kind(entries)}, not a list of entries")
        resources = [(f"{f}#{i}", e.get("resource") if isinstance(e, dict) else None) for i, e in enumerate(entries)]
    elif "resourceType" not in data:
        raise _FileError("a JSON object without resourceType, not a FHIR Bundle or DocumentReference")
    else:
        resources = [(f"{f}#0", data)]
    for loc, res in resources:
        if not isinstance(res, dict) or res.get("resourceType") != "DocumentReference":
            continue
        try:
            note = note_from_document_reference(res, location=loc)
            _check_size(note.text, limits, loc)
            yield note
        except InputError as exc:
            yield Failure(loc, res.get("id") if isinstance(res.get("id"), str) else None, str(exc))


_READERS = {"txt": _read_txt, "csv": _read_csv, "jsonl": _read_lines, "ndjson": _read_lines, "json": _read_json}


# -- folders and the isolation wrapper ------------------------------------------------------------
def _folder_files(path: Path, fmt: str, report: ReadReport) -> Iterator[tuple[Path, str] | Failure]:
    """The files of a folder input with their reader; unknown files become Failures."""
    if fmt not in ("txt", "ndjson"):
        raise UsageError(f"{path} is a folder: a folder input holds .txt notes or a FHIR Bulk export "
                         f"(DocumentReference*.ndjson), not {fmt} files; name the files instead")
    files = sorted(p for p in path.rglob("*") if p.is_file()) if fmt == "txt" else sorted(p for p in path.iterdir() if p.is_file())
    found = False
    for f in files:
        rel = f.relative_to(path)
        name = f.name
        if any(part.startswith(".") for part in rel.parts):
            log.info("%s: hidden file in an input folder, not read", f)
            continue
        if fmt == "txt":
            if name.lower().endswith(".txt"):
                found = True
                yield f, "txt"
                continue
            reason = "not read: a folder input reads .txt notes (name other files as inputs of their own)"
        else:
            low = name.lower()
            if low.endswith((".ndjson", ".ndjson.gz")):
                if name.startswith("DocumentReference"):
                    found = True
                    yield f, "ndjson"
                else:  # other resource types of a Bulk export (Patient files give known PHI)
                    log.info("%s: a Bulk export file of another resource type, not read for notes", f)
                continue
            reason = "not read: a Bulk export folder holds <ResourceType>.ndjson[.gz] files"
        yield Failure(str(f), None, reason)
    if not found:
        report.warn(path, "no notes in this folder (no .txt files)" if fmt == "txt"
                    else "no DocumentReference*.ndjson files in this Bulk export folder")


def check_inputs(paths: Sequence[str | Path], opts: _Options) -> None:
    """Usage checks made before a run starts: every input exists and has a known format."""
    if not paths:
        raise UsageError("no inputs given")
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"input not found: {path}")
        fmt = input_format(path, opts.input_format)
        if path.is_dir() and fmt not in ("txt", "ndjson"):
            raise UsageError(f"{path} is a folder; with --input-format {fmt} name the files instead")


def iter_records(paths: Sequence[str | Path], opts: _Options, limits: ReadLimits | None = None,
                 report: ReadReport | None = None) -> Iterator[Note | Failure]:
    """Every note of every input, in a stable order; whatever cannot be read becomes a Failure."""
    limits = limits or ReadLimits()
    report = report if report is not None else ReadReport()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"input not found: {path}")
        fmt = input_format(path, opts.input_format)
        if path.is_dir():
            items: Iterator[tuple[Path, str] | Failure] = _folder_files(path, fmt, report)
        else:
            if fmt == "ndjson" and path.name.startswith("Patient"):
                continue  # known PHI, read by the patient pass
            items = iter([(path, fmt)])
        for item in items:
            if isinstance(item, Failure):
                yield item
                continue
            f, ffmt = item
            yield from _read_file(f, ffmt, opts, limits, report)


def _read_file(f: Path, fmt: str, opts: _Options, limits: ReadLimits, report: ReadReport) -> Iterator[Note | Failure]:
    pos = [0]
    count = 0
    try:
        for rec in _READERS[fmt](f, opts, limits, pos):
            count += 1
            yield rec
    except _FileError as exc:
        line = exc.line if exc.line is not None else (pos[0] or None)
        count += 1
        yield Failure(f"{f}:{line}" if line and fmt != "json" else str(f), None, exc.reason)
    except (OSError, EOFError, zlib.error) as exc:  # unreadable, truncated or corrupt gzip, I/O error
        what = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        where = f"{f}:{pos[0] + 1}" if pos[0] else str(f)
        count += 1
        yield Failure(where, None, f"cannot read the file ({what}); the rest of it was not read")
    except RecursionError:
        count += 1
        yield Failure(str(f), None, "JSON nested too deeply to parse")
    except Exception as exc:  # noqa: BLE001 - one file never stops a run; the message may quote content
        count += 1
        yield Failure(str(f), None, f"unexpected {type(exc).__name__} while reading the file; the rest of it was not read")
    if count == 0:
        report.warn(f, "no notes in this input (empty, or no DocumentReference)" if fmt in ("ndjson", "json")
                    else "no notes in this input (empty file or no rows)")
