"""Batch conversion: many notes -> FHIR Bulk NDJSON, with workers, progress and resume.

    ehrnlp convert notes/ more.jsonl export/DocumentReference.000.ndjson --out out/ --workers 2

Inputs (by extension, or ``--input-format``): a folder of ``.txt`` files (id = file
name), ``.csv`` / ``.jsonl`` with id/text/patient columns (names configurable), FHIR
Bulk NDJSON of DocumentReferences (``.ndjson``, ``.ndjson.gz``), FHIR Bundles or
DocumentReferences (``.json``). Readers isolate every file and record
(:mod:`ehrnlp.readers`): what cannot be read becomes one OperationOutcome, the run goes on.

Output folder:

* ``<ResourceType>.ndjson`` — FHIR Bulk Data NDJSON, relative references
* ``OperationOutcome.ndjson`` — one per note or record that failed (reason, never note text)
* ``manifest.json`` — counts, versions, timings, inputs, warnings, uploads

How crashes are survived: notes are cut, in input order, into chunks of ``--chunk-size``.
Each chunk is converted into its own folder under ``.parts/``, written to a temporary
folder and renamed into place when complete (atomic on POSIX), so a chunk is either
entirely there or not at all. ``--resume`` skips complete chunks, deletes half-written
temporary folders and converts the rest; the final files are then assembled from the
parts in chunk order (again temp file + rename). The output is therefore the same with
1 or N workers, and after a ``kill -9`` + ``--resume`` the same as an uninterrupted run.
Provenance times are fixed per run (``--recorded``, or the time the run first started,
kept in ``.parts/run.json``) so resumed chunks agree with earlier ones.

One run at a time: the run holds an exclusive lock on ``.parts/lock`` (a second run on the
same folder exits 2 naming the holder's pid and host); workers hold ``.parts/workers.lock``
shared and die with their parent, and a new run waits for an earlier run's workers to be
gone before it touches the folder. Uploads (``--post``) are recorded per chunk; the ones that
failed or were never sent are retried by ``--resume``. See docs/reliability.md.
"""

from __future__ import annotations

import argparse
import errno
import hashlib
import json
import logging
import os
import shutil
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from . import __version__
from .conversion import note_to_resources, operation_outcome
from .errors import EhrnlpError, InputError
from .model import Note
from .readers import (
    DEFAULT_MAX_JSON_DEPTH,
    INPUT_FORMATS,
    Failure,
    ReadLimits,
    ReadReport,
    UsageError,
    check_inputs,
    input_format,
)
from .readers import iter_records as _iter_records

__all__ = ["ConvertOptions", "convert", "iter_records", "add_arguments", "main", "Failure", "UsageError"]

log = logging.getLogger("ehrnlp.batch")

_PARTS = ".parts"
#: consecutive upload failures after which a worker stops trying (the rest wait for --resume)
_BREAKER = 5


@dataclass
class ConvertOptions:
    out: Path
    workers: int = 1
    chunk_size: int = 64
    resume: bool = False
    quiet: bool = False
    input_format: str = "auto"
    id_col: str = "id"
    text_col: str = "text"
    patient_col: str = "patient"
    date_col: str = "date"
    config: Any = None
    deidentify: bool | None = None
    recorded: str | None = None
    batch_size: int = 16
    post_url: str | None = None
    #: FHIR Patient NDJSON files whose names, identifiers... are removed from their notes
    patients: tuple[str | Path, ...] = ()
    #: longest note in characters (None: the config's ``max_note_chars``)
    max_note_chars: int | None = None
    #: deepest JSON nesting a reader parses
    max_json_depth: int = DEFAULT_MAX_JSON_DEPTH
    #: seconds one note may take in a worker (None: no budget); over it the note fails alone
    note_timeout: float | None = None
    #: seconds per upload attempt, and how many times a failed upload is retried
    post_timeout: float = 30.0
    post_retries: int = 2
    #: with de-identification, note ids leave as keyed pseudonyms; this keeps the pseudonym ->
    #: original id (and input location) map in the local manifest.json (opt-in: it is PHI)
    keep_id_map: bool = False


# -- reading inputs: see ehrnlp.readers -----------------------------------------------------
_fmt = input_format


def iter_records(paths: Sequence[str | Path], opts: ConvertOptions, limits: ReadLimits | None = None,
                 report: ReadReport | None = None) -> Iterator[Note | Failure]:
    """Every note of every input, in a stable order; whatever cannot be read becomes a Failure
    (see :mod:`ehrnlp.readers`)."""
    return _iter_records(paths, opts, limits or ReadLimits(opts.max_note_chars, opts.max_json_depth), report)


def _is_patient_file(path: Path) -> bool:
    return path.is_file() and path.name.startswith("Patient") and (path.name.endswith(".ndjson") or path.name.endswith(".ndjson.gz"))


def patient_files(paths: Sequence[str | Path], opts: ConvertOptions) -> list[Path]:
    """The Patient NDJSON files of a run: ``Patient*.ndjson[.gz]`` in Bulk export folders given
    as inputs, inputs that are such files, and ``--patients``."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and _fmt(path, opts.input_format) == "ndjson":
            files.extend(sorted(p for p in path.glob("Patient*.ndjson*") if _is_patient_file(p)))
        elif _is_patient_file(path):
            files.append(path)
    for raw in opts.patients:
        path = Path(raw)
        if not path.is_file():
            raise InputError(f"--patients file not found: {path}")
        files.append(path)
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique


def attach_known_phi(records: Iterable[Note | Failure], known: dict[str, Any]) -> Iterator[Note | Failure]:
    """Each note whose ``patient`` reference names a Patient in ``known`` gets its KnownPhi."""
    from dataclasses import replace

    from .fhir.input import patient_key

    for rec in records:
        if known and isinstance(rec, Note):
            kp = known.get(patient_key(rec.patient) or "")
            if kp is not None:
                rec = replace(rec, known_phi=kp.merged(rec.known_phi))
        yield rec


def _count(paths: Sequence[str | Path], opts: ConvertOptions) -> int | None:
    """A cheap upper bound of the number of records, for the progress bar (None: unknown)."""
    import gzip

    total = 0
    try:
        for raw in paths:
            path = Path(raw)
            fmt = _fmt(path, opts.input_format)
            if fmt == "txt":
                total += sum(1 for _ in path.rglob("*.txt")) if path.is_dir() else 1
            elif fmt in ("jsonl", "ndjson", "csv"):
                if _is_patient_file(path):
                    continue
                files = sorted(path.glob("DocumentReference*.ndjson*")) if path.is_dir() else [path]
                for f in files:
                    with (gzip.open(f, "rb") if f.name.lower().endswith(".gz") else f.open("rb")) as fh:
                        total += sum(1 for line in fh if line.strip())
                if fmt == "csv":
                    total -= 1
            else:
                return None
    except Exception:  # noqa: BLE001 - only a progress-bar estimate: the readers report the real problem
        return None
    return max(total, 0)


# -- the output folder lock ------------------------------------------------------------------
try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking
    fcntl = None  # type: ignore[assignment]


class _Lock:
    """An exclusive ``flock`` on ``.parts/lock`` for the whole run (released by the kernel when
    the process dies, however it dies), holding ``{"pid", "host", "since"}`` for the refusal."""

    def __init__(self, parts: Path):
        self.path = parts / "lock"
        self.fh: IO[str] | None = None

    def acquire(self, out: Path) -> None:
        fh = self.path.open("a+", encoding="utf-8")
        if fcntl is not None:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fh.seek(0)
                try:
                    holder = json.loads(fh.read() or "{}")
                except ValueError:
                    holder = {}
                fh.close()
                raise UsageError(
                    f"{out} is in use by another ehrnlp convert (pid {holder.get('pid', '?')} on host "
                    f"{holder.get('host', '?')}, since {holder.get('since', '?')}); wait for it to end or stop it"
                ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                             "since": datetime.now(UTC).isoformat(timespec="seconds")}))
        fh.flush()
        self.fh = fh
        _wait_for_orphans(self.path.parent, out)

    def release(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None


def _wait_for_orphans(parts: Path, out: Path, patience: float = 30.0) -> None:
    """Workers of an earlier run hold ``workers.lock`` shared until they exit; they die with
    their parent (parent-death signal, and a watchdog thread), so this waits briefly."""
    if fcntl is None:
        return
    with (parts / "workers.lock").open("a+", encoding="utf-8") as fh:
        deadline = time.monotonic() + patience
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise UsageError(f"worker processes of an earlier run still write to {out}; stop them first") from None
                time.sleep(0.1)


# -- per-chunk work (runs in worker processes) --------------------------------------------
_NLP = None
_WORKER_CFG: dict[str, Any] = {}
_WORKER_LOCK: IO[str] | None = None


class _NoteTimeout(BaseException):
    """Raised by the per-note alarm; a BaseException so no ``except Exception`` swallows it."""


def _die_with_parent(ppid: int) -> None:
    """Make this worker exit when the parent process dies (kill -9 of the parent alone)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the watchdog below does it
            pass
    if os.getppid() != ppid:  # the parent died before the signal was set up
        os._exit(70)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != ppid:
                os._exit(70)

    threading.Thread(target=watch, name="ehrnlp-parent-watch", daemon=True).start()


def usable_cpus() -> int:
    """CPUs this process may run on: its affinity mask where the OS has one, else the count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _init_worker(config: Any, deidentify: bool | None, recorded: str, post: dict[str, Any] | None, threads: int = 0,
                 overrides: dict[str, Any] | None = None, note_timeout: float | None = None,
                 parts_dir: str | None = None, ppid: int | None = None, run_key: bytes | None = None,
                 keep_id_map: bool = False) -> None:
    global _NLP, _WORKER_LOCK
    if run_key is not None:
        from .deid.pseudonym import set_run_key

        set_run_key(run_key)  # every worker (and a resumed run) pseudonymises note ids alike
    if ppid is not None:
        _die_with_parent(ppid)
        if parts_dir and fcntl is not None and _WORKER_LOCK is None:
            _WORKER_LOCK = (Path(parts_dir) / "workers.lock").open("a+", encoding="utf-8")
            fcntl.flock(_WORKER_LOCK.fileno(), fcntl.LOCK_SH)
    if threads:
        # N workers share the cores: one intra-op thread pool each, not N oversubscribed ones
        os.environ["OMP_NUM_THREADS"] = str(threads)
        import torch

        torch.set_num_threads(threads)
    from .pipeline import load

    _NLP = load(config, deidentify=deidentify, **(overrides or {}))
    _WORKER_CFG.update(recorded=recorded, fhir=_NLP.config.fhir, post=post, note_timeout=note_timeout,
                       reload=(config, deidentify, overrides), upload_failures=0, keep_id_map=keep_id_map)


def _reload_pipeline() -> None:
    """After a note ran over its time budget the pipeline may be mid-way anywhere: build a fresh one."""
    global _NLP
    from .pipeline import load

    config, deidentify, overrides = _WORKER_CFG["reload"]
    _NLP = load(config, deidentify=deidentify, **(overrides or {}))


def _on_alarm(signum: int, frame: Any) -> None:
    if _WORKER_CFG.get("armed"):
        _WORKER_CFG["armed"] = False
        _WORKER_CFG["fired"] = True  # even if some catch-all turns the exception into a note failure
        raise _NoteTimeout


def outcome_ids(nlp: Any, location: str | None, note_id: str | None) -> tuple[str | None, str | None]:
    """The note id and location an OperationOutcome or manifest entry may carry (pseudonyms
    when the pipeline de-identifies; see :mod:`ehrnlp.deid.pseudonym`)."""
    from .deid.pseudonym import outcome_ids as ids

    return ids(nlp, location, note_id)


def _convert_note(rec: Note, loc: str | None) -> tuple[Any, list[dict[str, Any]], bool]:
    """(doc, resources, timed_out) for one note, within the per-note time budget."""
    budget = float(_WORKER_CFG.get("note_timeout") or 0.0)
    usable = budget > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        doc, resources = note_to_resources(_NLP, rec, recorded=_WORKER_CFG["recorded"], location=loc)
        return doc, resources, False
    old = signal.signal(signal.SIGALRM, _on_alarm)
    reason = (f"the note took longer than the per-note time budget of {budget:g} s (--note-timeout); "
              "it was stopped and the worker's pipeline rebuilt")
    try:
        _WORKER_CFG["fired"] = False
        _WORKER_CFG["armed"] = True
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            doc, resources = note_to_resources(_NLP, rec, recorded=_WORKER_CFG["recorded"], location=loc)
        finally:
            _WORKER_CFG["armed"] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _NoteTimeout:
        return None, [operation_outcome(*outcome_ids(_NLP, loc, rec.id), reason, "batch")], True
    finally:
        signal.signal(signal.SIGALRM, old)
    if _WORKER_CFG.get("fired"):  # a stage caught the timeout (the fail-closed deid guard does)
        return None, [operation_outcome(*outcome_ids(_NLP, loc, rec.id), reason, "batch")], True
    return doc, resources, False


def _upload(doc: Any, rec: Note, loc: str | None) -> dict[str, Any] | None:
    """Post the note's transaction Bundle; None when sent, else the pending-upload record."""
    from .fhir.bundle import bundle_dict
    from .fhir.client import post

    cfg = _WORKER_CFG["post"]
    bundle = bundle_dict(doc, bundle_type="transaction", config=_WORKER_CFG["fhir"], recorded=_WORKER_CFG["recorded"])
    ploc, pid = outcome_ids(_NLP, loc, rec.id)  # the manifest lists pending uploads: pseudonyms only
    pending = {"note": pid, "location": ploc, "bundle": bundle}
    if _WORKER_CFG["upload_failures"] >= _BREAKER:
        return dict(pending, state="unsent", reason=f"not sent: {_BREAKER} uploads in a row failed; --resume sends it")
    try:
        post(bundle, cfg["url"], timeout=cfg["timeout"], retries=cfg["retries"])
    except EhrnlpError as exc:
        _WORKER_CFG["upload_failures"] += 1
        return dict(pending, state="failed", reason=f"converted, but the upload failed: {exc}")
    _WORKER_CFG["upload_failures"] = 0
    return None


def _write_file(path: Path, data: str) -> None:
    """Write ``data`` and fsync it (the one place chunk files are written: tests inject faults here)."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _run_key(parts: Path) -> bytes:
    """The key that pseudonymises note ids when ``deid.secret_key`` is not set: random for a
    new run, the same for its ``--resume`` (kept in ``.parts/run.key``, readable by the owner
    only; delete ``.parts`` or set ``deid.secret_key`` before sharing the output folder)."""
    from .deid.pseudonym import run_key

    path = parts / "run.key"
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(key) >= 16:
            return key
    except (OSError, ValueError):
        pass
    key = run_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex())
        fh.flush()
        os.fsync(fh.fileno())
    return key


def _process_chunk(task: tuple[int, list[Note | Failure], str]) -> tuple[int, dict[str, int], int, int]:
    """Convert one chunk into ``parts/chunk-N`` atomically. Returns (index, counts, ok, failed)."""
    index, records, parts_dir = task
    assert _NLP is not None
    out_lines: dict[str, list[str]] = {}
    uploads: list[str] = []
    ok = failed = sent = 0

    def emit(res: dict[str, Any]) -> None:
        out_lines.setdefault(res["resourceType"], []).append(
            json.dumps(res, ensure_ascii=False, separators=(",", ":"))
        )

    id_map: dict[str, dict[str, str | None]] = {}

    def remember(location: str | None, note_id: str | None) -> tuple[str | None, str | None]:
        ploc, pid = outcome_ids(_NLP, location, note_id)
        if _WORKER_CFG.get("keep_id_map") and (pid, ploc) != (note_id, location):
            id_map[str(pid or ploc)] = {"id": note_id, "location": location}
        return ploc, pid

    for rec in records:
        if isinstance(rec, Failure):
            emit(operation_outcome(*remember(rec.location, rec.note_id), rec.reason))
            failed += 1
            continue
        loc = rec.metadata.get("location") if rec.metadata else None
        remember(loc, rec.id)
        doc, resources, timed_out = _convert_note(rec, loc)
        if timed_out:
            _reload_pipeline()
        for res in resources:
            emit(res)
        if doc is None:
            failed += 1
            continue
        if _WORKER_CFG.get("post"):
            pending = _upload(doc, rec, loc)
            if pending is None:
                sent += 1
            else:
                uploads.append(json.dumps(pending, ensure_ascii=False, separators=(",", ":")))
        ok += 1

    final = Path(parts_dir) / f"chunk-{index:08d}"
    if final.is_dir():  # done meanwhile by another process of this run's family: keep the first
        return index, json.loads((final / "chunk.json").read_text())["counts"], ok, failed
    tmp = Path(parts_dir) / f".tmp-chunk-{index:08d}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        counts = {}
        for rtype, lines in out_lines.items():
            _write_file(tmp / f"{rtype}.ndjson", "\n".join(lines) + "\n")
            counts[rtype] = len(lines)
        if uploads:
            _write_file(tmp / "uploads.ndjson", "\n".join(uploads) + "\n")
        if id_map:  # only with --keep-id-map: local, merged into manifest.json
            _write_file(tmp / "ids.json", json.dumps(id_map, ensure_ascii=False))
        _write_file(tmp / "chunk.json", json.dumps({"index": index, "counts": counts, "ok": ok, "failed": failed, "sent": sent}))
        os.rename(tmp, final)  # atomic: the chunk is complete or absent
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # never leave a torn chunk behind
        raise
    return index, counts, ok, failed


# -- uploads left over by earlier runs ---------------------------------------------------------
def _pending_uploads(chunk: Path) -> list[dict[str, Any]]:
    f = chunk / "uploads.ndjson"
    if not f.is_file():
        return []
    return [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def _retry_uploads(parts: Path, post: dict[str, Any]) -> int:
    """POST again every failed or unsent upload of the complete chunks (conditional creates:
    idempotent); returns how many were sent now."""
    from .fhir.client import post as post_bundle

    sent = 0
    failures = 0
    for chunk in sorted(parts.glob("chunk-*")):
        pending = _pending_uploads(chunk)
        if not pending:
            continue
        left = []
        for item in pending:
            if failures >= _BREAKER:
                left.append(item)
                continue
            try:
                post_bundle(item["bundle"], post["url"], timeout=post["timeout"], retries=post["retries"])
            except EhrnlpError as exc:
                failures += 1
                left.append(dict(item, state="failed", reason=f"converted, but the upload failed: {exc}"))
                continue
            failures = 0
            sent += 1
        info = json.loads((chunk / "chunk.json").read_text())
        info["sent"] = info.get("sent", 0) + len(pending) - len(left)
        if left:
            _atomic_write(chunk / "uploads.ndjson",
                          "".join(json.dumps(i, ensure_ascii=False, separators=(",", ":")) + "\n" for i in left))
        _atomic_write(chunk / "chunk.json", json.dumps(info))
        if not left:
            (chunk / "uploads.ndjson").unlink()
    return sent


# -- orchestration -----------------------------------------------------------------------
def _chunks(records: Iterable[Note | Failure], size: int) -> Iterator[tuple[int, list[Note | Failure]]]:
    buf: list[Note | Failure] = []
    index = 0
    for rec in records:
        buf.append(rec)
        if len(buf) >= size:
            yield index, buf
            index += 1
            buf = []
    if buf:
        yield index, buf


def _atomic_write(path: Path, data: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        _write_file(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _run_identity(paths: Sequence[str | Path], opts: ConvertOptions) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(str(Path(p).resolve()).encode())
    h.update(f"{opts.chunk_size}|{opts.input_format}|{opts.id_col}|{opts.text_col}|{opts.patient_col}".encode())
    for p in opts.patients:
        h.update(b"|patients:" + str(Path(p).resolve()).encode())
    return h.hexdigest()


def _merge(parts: Path, out: Path) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Assemble the final NDJSON files from complete chunks, in chunk order, atomically.
    Uploads still pending become OperationOutcomes after their chunk's own ones."""
    chunk_dirs = sorted(p for p in parts.iterdir() if p.is_dir() and p.name.startswith("chunk-"))
    writers: dict[str, Any] = {}
    counts: dict[str, int] = {}
    seen_devices: set[str] = set()
    pending_all: list[dict[str, Any]] = []

    def write(rtype: str, line: str) -> None:
        if rtype not in writers:
            writers[rtype] = (out / f".{rtype}.ndjson.tmp").open("w", encoding="utf-8")
        writers[rtype].write(line if line.endswith("\n") else line + "\n")
        counts[rtype] = counts.get(rtype, 0) + 1

    try:
        for d in chunk_dirs:
            for f in sorted(d.glob("*.ndjson")):
                rtype = f.stem
                if rtype == "uploads":
                    continue
                with f.open(encoding="utf-8") as fh:
                    for line in fh:
                        if not line.strip():
                            continue
                        if rtype == "Device":
                            did = json.loads(line)["id"]
                            if did in seen_devices:
                                continue
                            seen_devices.add(did)
                        write(rtype, line)
            for item in _pending_uploads(d):
                pending_all.append({k: item.get(k) for k in ("note", "location", "state", "reason")})
                res = operation_outcome(item.get("location"), item.get("note"), item["reason"], "post")
                write("OperationOutcome", json.dumps(res, ensure_ascii=False, separators=(",", ":")))
        for w in writers.values():
            w.flush()
            os.fsync(w.fileno())
    except BaseException:
        for rtype, w in writers.items():
            w.close()
            (out / f".{rtype}.ndjson.tmp").unlink(missing_ok=True)
        raise
    for w in writers.values():
        w.close()
    for old in out.glob("*.ndjson"):
        if old.stem not in writers:
            old.unlink()
    for rtype in writers:
        os.replace(out / f".{rtype}.ndjson.tmp", out / f"{rtype}.ndjson")
    return counts, pending_all


def _prepare_out(out: Path) -> Path:
    """The ``.parts`` folder of ``out``, created; a usage error when ``out`` cannot be one."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    parts = out / _PARTS
    try:
        parts.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {out}: {exc.strerror or type(exc).__name__}") from None
    if not os.access(parts, os.W_OK):
        raise UsageError(f"cannot write to the output folder {out}: permission denied")
    return parts


def _max_note_chars(opts: ConvertOptions) -> int:
    if opts.max_note_chars is not None:
        return opts.max_note_chars
    from .config import build_config

    return int(build_config(opts.config).max_note_chars)


def convert(inputs: Sequence[str | Path], opts: ConvertOptions) -> dict[str, Any]:
    """Convert every note of ``inputs`` into ``opts.out``; returns the manifest.

    Raises :class:`UsageError` (exit 2) for bad options, missing inputs or a folder in use,
    :class:`ehrnlp.InputError`/``OSError`` for what goes wrong while writing; a bad input
    file or note never raises (it becomes an OperationOutcome)."""
    if opts.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {opts.workers}")
    if opts.chunk_size < 1:
        raise UsageError(f"--chunk-size must be at least 1, got {opts.chunk_size}")
    if opts.max_note_chars is not None and opts.max_note_chars < 1:
        raise UsageError(f"--max-note-chars must be at least 1, got {opts.max_note_chars}")
    if opts.max_json_depth < 1:
        raise UsageError(f"--max-json-depth must be at least 1, got {opts.max_json_depth}")
    if opts.note_timeout is not None and not opts.note_timeout > 0:
        raise UsageError(f"--note-timeout must be a positive number of seconds, got {opts.note_timeout}")
    if not opts.post_timeout > 0 or opts.post_retries < 0:
        raise UsageError("--post-timeout must be positive and --post-retries at least 0")
    check_inputs(inputs, opts)
    out = Path(opts.out)
    parts = _prepare_out(out)
    lock = _Lock(parts)
    lock.acquire(out)
    try:
        return _convert_locked(inputs, opts, out, parts)
    finally:
        lock.release()


def _convert_locked(inputs: Sequence[str | Path], opts: ConvertOptions, out: Path, parts: Path) -> dict[str, Any]:
    identity = _run_identity(inputs, opts)
    run_file = parts / "run.json"
    if not opts.resume and (any(parts.glob("chunk-*")) or (out / "manifest.json").exists()):
        raise UsageError(f"{out} holds an earlier run; pass --resume to continue it or choose an empty --out")
    if opts.resume and run_file.exists():
        run = json.loads(run_file.read_text())
        if run.get("identity") != identity:
            raise UsageError(f"{out} holds a run of other inputs or options; --resume needs the same inputs and --chunk-size")
        if opts.recorded and opts.recorded != run["recorded"]:
            raise UsageError("--recorded differs from the run being resumed")
        if opts.post_url and opts.post_url != run.get("post_url"):
            run["post_url"] = opts.post_url
            _atomic_write(run_file, json.dumps(run))
    else:
        recorded = opts.recorded or datetime.now(UTC).isoformat(timespec="seconds")
        run = {"identity": identity, "recorded": recorded, "started": datetime.now(UTC).isoformat(timespec="seconds"),
               "post_url": opts.post_url}
        _atomic_write(run_file, json.dumps(run))
    for tmp in parts.glob(".tmp-chunk-*"):
        shutil.rmtree(tmp, ignore_errors=True)
    done = {int(p.name.split("-")[1]) for p in parts.glob("chunk-*") if p.is_dir()}
    post_url = opts.post_url or run.get("post_url")
    post = {"url": post_url, "timeout": opts.post_timeout, "retries": opts.post_retries} if post_url else None

    t0 = time.perf_counter()
    from .fhir.input import known_phi_from_patients

    report = ReadReport()
    # {patient id: KnownPhi}: small frozen tuples per patient; it travels to the workers
    # only inside the notes (Note.known_phi), never into the output
    known: dict[str, Any] = {}
    for pf in patient_files(inputs, opts):
        try:
            known.update(known_phi_from_patients([pf]))
        except InputError as exc:
            report.warn(pf, f"Patient file not read, its known PHI is not used: {exc}")
    limit = _max_note_chars(opts)
    limits = ReadLimits(limit, opts.max_json_depth)
    total = _count(inputs, opts)
    progress = _progress(total, opts.quiet)
    skipped = 0
    resent = _retry_uploads(parts, post) if post and done else 0

    def tasks() -> Iterator[tuple[int, list[Note | Failure], str]]:
        nonlocal skipped
        records = attach_known_phi(_iter_records(inputs, opts, limits, report), known)
        for index, recs in _chunks(records, opts.chunk_size):
            if index in done:
                skipped += len(recs)
                progress.update(len(recs))
                continue
            yield index, recs, str(parts)

    # the CPUs this process may run on (taskset, cgroups' cpusets), not the machine's count
    threads = max(1, usable_cpus() // opts.workers) if opts.workers > 1 or usable_cpus() < (os.cpu_count() or 1) else 0
    overrides = {"max_note_chars": limit}
    key = _run_key(parts)
    processed = 0
    try:
        if opts.workers == 1:
            _init_worker(opts.config, opts.deidentify, run["recorded"], post, threads, overrides, opts.note_timeout,
                         run_key=key, keep_id_map=opts.keep_id_map)
            for task in tasks():
                _process_chunk(task)
                processed += len(task[1])
                progress.update(len(task[1]))
        else:
            import multiprocessing as mp

            ctx = mp.get_context("spawn")
            init_args = (opts.config, opts.deidentify, run["recorded"], post, threads, overrides, opts.note_timeout,
                         str(parts), os.getpid(), key, opts.keep_id_map)
            with ctx.Pool(opts.workers, initializer=_init_worker, initargs=init_args) as pool:
                sizes: dict[int, int] = {}

                def sized() -> Iterator[tuple[int, list[Note | Failure], str]]:
                    for task in tasks():
                        sizes[task[0]] = len(task[1])
                        yield task

                for index, _counts, _ok, _failed in pool.imap_unordered(_process_chunk, sized(), chunksize=1):
                    n = sizes.pop(index, 0)
                    processed += n
                    progress.update(n)
    finally:
        progress.close()

    counts, pending = _merge(parts, out)
    ok = failed = sent = 0
    id_map: dict[str, Any] = {}
    for d in parts.glob("chunk-*"):
        info = json.loads((d / "chunk.json").read_text())
        ok += info["ok"]
        failed += info["failed"]
        sent += info.get("sent", 0)
        if opts.keep_id_map and (d / "ids.json").exists():
            id_map.update(json.loads((d / "ids.json").read_text(encoding="utf-8")))
    seconds = time.perf_counter() - t0
    versions: dict[str, str] = {}
    dev_file = out / "Device.ndjson"
    if dev_file.exists():
        for line in dev_file.read_text(encoding="utf-8").splitlines()[:1]:
            versions = {v["type"]["text"]: v["value"] for v in json.loads(line).get("version", [])}

    manifest = {
        "ehrnlp": __version__,
        "transactionTime": run["recorded"],
        "started": run["started"],
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": [str(p) for p in inputs],
        "patients": len(known),
        "notes": ok + failed,
        "converted": ok - len(pending),
        "failed": failed + len(pending),
        "resources": dict(sorted(counts.items())),
        "output": [{"type": t, "url": f"{t}.ndjson", "count": c} for t, c in sorted(counts.items())],
        "stage_versions": versions,
        "workers": opts.workers,
        "chunk_size": opts.chunk_size,
        "limits": {"max_note_chars": limit, "max_json_depth": opts.max_json_depth, "note_timeout": opts.note_timeout},
        "warnings": report.warnings,
        "this_run": {"seconds": round(seconds, 3), "notes": processed, "resumed_notes": skipped,
                     "notes_per_second": round(processed / seconds, 3) if seconds > 0 else None},
    }
    if post_url:
        manifest["uploads"] = {"url": post_url, "sent": sent, "failed": sum(1 for p in pending if p["state"] == "failed"),
                               "unsent": sum(1 for p in pending if p["state"] == "unsent"), "resent_this_run": resent,
                               "pending": pending}
    if opts.keep_id_map:
        manifest["id_map"] = dict(sorted(id_map.items()))  # pseudonym -> original id and location (PHI: local only)
    _atomic_write(out / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


class _NoProgress:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int | None, quiet: bool):
    if quiet:
        return _NoProgress()
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover
        return _NoProgress()
    return tqdm(total=total, unit="note", desc="converting", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


# -- CLI --------------------------------------------------------------------------------------
def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", help="folders of .txt, .csv, .jsonl, FHIR .ndjson(.gz) or .json Bundles")
    p.add_argument("--out", required=True, help="output folder (Bulk NDJSON per resource type + manifest.json)")
    p.add_argument("--workers", type=int, default=1, help="worker processes, each loading the pipeline once")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run in --out (and retry its failed uploads)")
    p.add_argument("--chunk-size", type=int, default=64, help="notes per atomic chunk (default 64)")
    p.add_argument("--input-format", choices=INPUT_FORMATS, default="auto")
    p.add_argument("--id-col", default="id", help="CSV/JSONL column with the note id")
    p.add_argument("--text-col", default="text", help="CSV/JSONL column with the note text")
    p.add_argument("--patient-col", default="patient", help="CSV/JSONL column with the patient reference")
    p.add_argument("--date-col", default="date", help="CSV/JSONL column with the note date")
    p.add_argument("--config", help="a TOML config file")
    p.add_argument("--no-deid", action="store_true", help="skip de-identification")
    p.add_argument("--keep-id-map", action="store_true",
                   help="with de-identification, keep the note-id pseudonym -> original id map in the local manifest.json")
    p.add_argument("--recorded", help="Provenance time (ISO 8601) for reproducible output")
    p.add_argument("--patients", action="append", default=[], metavar="FILE",
                   help="FHIR Patient NDJSON (repeatable): each note's patient's names, identifiers, birth date, "
                        "address and telecom are removed exactly (Patient*.ndjson of a Bulk export folder are read anyway)")
    p.add_argument("--max-note-chars", type=int, metavar="N",
                   help="refuse notes longer than N characters (default: the config's max_note_chars, 500000)")
    p.add_argument("--max-json-depth", type=int, default=DEFAULT_MAX_JSON_DEPTH, metavar="N",
                   help=f"refuse JSON nested deeper than N (default {DEFAULT_MAX_JSON_DEPTH})")
    p.add_argument("--note-timeout", type=float, metavar="SECONDS",
                   help="per-note time budget: a note over it fails alone and the worker's pipeline is rebuilt")
    p.add_argument("--post", metavar="URL", help="also POST each note's transaction Bundle to this FHIR base URL")
    p.add_argument("--post-timeout", type=float, default=30.0, metavar="SECONDS", help="seconds per upload attempt (default 30)")
    p.add_argument("--post-retries", type=int, default=2, metavar="N",
                   help="retries of a failed upload, with exponential backoff and jitter (default 2)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar (for logs)")


def main(args: argparse.Namespace) -> int:
    opts = ConvertOptions(
        out=Path(args.out), workers=args.workers, chunk_size=args.chunk_size, resume=args.resume,
        quiet=args.quiet, input_format=args.input_format, id_col=args.id_col, text_col=args.text_col,
        patient_col=args.patient_col, date_col=args.date_col, config=args.config,
        deidentify=False if args.no_deid else None, recorded=args.recorded, post_url=args.post,
        patients=tuple(args.patients), max_note_chars=args.max_note_chars, max_json_depth=args.max_json_depth,
        note_timeout=args.note_timeout, post_timeout=args.post_timeout, post_retries=args.post_retries,
        keep_id_map=args.keep_id_map,
    )
    try:
        manifest = convert(args.inputs, opts)
    except OSError as exc:
        raise InputError(_os_error(exc, opts.out)) from None
    if not args.quiet:
        print(
            f"converted {manifest['converted']} of {manifest['notes']} notes "
            f"({manifest['failed']} failed, see OperationOutcome.ndjson"
            + (f"; {len(manifest['warnings'])} input(s) gave no notes, see manifest.json" if manifest["warnings"] else "")
            + f") in {manifest['this_run']['seconds']} s -> {opts.out}",
            file=sys.stderr,
        )
    return 1 if manifest["failed"] or manifest["warnings"] else 0


def _os_error(exc: OSError, out: Path) -> str:
    """One line for an OS error while writing the output (never a traceback)."""
    what = exc.strerror or type(exc).__name__
    hint = ""
    if exc.errno == errno.ENOSPC:
        hint = "; free space and run again with --resume (complete chunks are kept)"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "; choose a writable --out"
    where = f" ({exc.filename})" if exc.filename else ""
    return f"cannot write the output in {out}: {what}{where}{hint}"
