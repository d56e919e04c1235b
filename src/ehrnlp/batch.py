"""Batch conversion: many notes -> FHIR Bulk NDJSON, with workers, progress and resume.

    ehrnlp convert notes/ more.jsonl export/DocumentReference.000.ndjson --out out/ --workers 2

Inputs (by extension, or ``--input-format``): a folder of ``.txt`` files (id = file
name), ``.csv`` / ``.jsonl`` with id/text/patient columns (names configurable), FHIR
Bulk NDJSON of DocumentReferences (``.ndjson``, ``.ndjson.gz``), FHIR Bundles or
DocumentReferences (``.json``).

Output folder:

* ``<ResourceType>.ndjson`` — FHIR Bulk Data NDJSON, relative references
* ``OperationOutcome.ndjson`` — one per note or record that failed (reason, never note text)
* ``manifest.json`` — counts, versions, timings, inputs

How crashes are survived: notes are cut, in input order, into chunks of ``--chunk-size``.
Each chunk is converted into its own folder under ``.parts/``, written to a temporary
folder and renamed into place when complete (atomic on POSIX), so a chunk is either
entirely there or not at all. ``--resume`` skips complete chunks, deletes half-written
temporary folders and converts the rest; the final files are then assembled from the
parts in chunk order (again temp file + rename). The output is therefore the same with
1 or N workers, and after a ``kill -9`` + ``--resume`` the same as an uninterrupted run.
Provenance times are fixed per run (``--recorded``, or the time the run first started,
kept in ``.parts/run.json``) so resumed chunks agree with earlier ones.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .conversion import note_to_resources, operation_outcome
from .errors import EhrnlpError, InputError
from .model import Note

__all__ = ["ConvertOptions", "convert", "iter_records", "add_arguments", "main"]

log = logging.getLogger("ehrnlp.batch")

INPUT_FORMATS = ("auto", "txt", "csv", "jsonl", "ndjson", "json")
_PARTS = ".parts"


@dataclass(frozen=True)
class Failure:
    """An input record that could not be read (no note text inside)."""

    location: str
    note_id: str | None
    reason: str


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
    #: with de-identification, note ids leave as keyed pseudonyms; this keeps the pseudonym ->
    #: original id (and input location) map in the local manifest.json (opt-in: it is PHI)
    keep_id_map: bool = False


# -- reading inputs ---------------------------------------------------------------------
def _fmt(path: Path, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    if path.is_dir():
        if any(path.glob("DocumentReference*.ndjson*")):
            return "ndjson"
        return "txt"
    name = path.name.lower()
    for ext, f in ((".ndjson.gz", "ndjson"), (".ndjson", "ndjson"), (".jsonl", "jsonl"), (".csv", "csv"),
                   (".json", "json"), (".txt", "txt")):
        if name.endswith(ext):
            return f
    raise InputError(f"cannot tell the format of {path}; use --input-format ({', '.join(INPUT_FORMATS[1:])})")


def _open(path: Path):
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open("r", encoding="utf-8-sig", newline="")


def _row_note(row: dict[str, Any], opts: ConvertOptions, loc: str) -> Note:
    if opts.text_col not in row:
        raise InputError(f"{loc}: no '{opts.text_col}' column/key (set --text-col)")
    text = row[opts.text_col]
    if not isinstance(text, str):
        raise InputError(f"{loc}: '{opts.text_col}' is not a string")
    nid = row.get(opts.id_col)
    patient = row.get(opts.patient_col) or None
    date = row.get(opts.date_col) or None
    return Note(text=text, id=str(nid) if nid not in (None, "") else loc, patient=patient,
                date=str(date) if date else None, metadata={"location": loc})


def iter_records(paths: Sequence[str | Path], opts: ConvertOptions) -> Iterator[Note | Failure]:
    """Every note of every input, in a stable order; unreadable records become Failures."""
    from .fhir.input import note_from_document_reference

    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"input not found: {path}")
        fmt = _fmt(path, opts.input_format)
        if fmt == "txt":
            files = sorted(path.rglob("*.txt")) if path.is_dir() else [path]
            for f in files:
                try:
                    yield Note(text=f.read_bytes().decode("utf-8-sig"), id=f.stem, metadata={"location": str(f)})
                except UnicodeDecodeError as exc:
                    yield Failure(str(f), f.stem, f"not UTF-8 text (invalid byte at offset {exc.start})")
        elif fmt == "csv":
            csv.field_size_limit(64 * 1024 * 1024)
            with _open(path) as fh:
                reader = csv.DictReader(fh)
                for n, row in enumerate(reader, start=2):
                    loc = f"{path}:{n}"
                    try:
                        yield _row_note(row, opts, loc)
                    except InputError as exc:
                        yield Failure(loc, row.get(opts.id_col) or None, str(exc))
        elif fmt in ("jsonl", "ndjson"):
            files = sorted(path.glob("DocumentReference*.ndjson*")) if path.is_dir() else [path]
            for f in files:
                with _open(f) as fh:
                    for n, line in enumerate(fh, start=1):
                        if not line.strip():
                            continue
                        loc = f"{f}:{n}"
                        try:
                            obj = json.loads(line)
                        except json.JSONDecodeError as exc:
                            yield Failure(loc, None, f"not valid JSON ({exc.msg} at column {exc.colno})")
                            continue
                        if not isinstance(obj, dict):
                            yield Failure(loc, None, "not a JSON object")
                            continue
                        try:
                            if "resourceType" in obj:
                                if obj["resourceType"] != "DocumentReference":
                                    continue
                                yield note_from_document_reference(obj, location=loc)
                            else:
                                yield _row_note(obj, opts, loc)
                        except InputError as exc:
                            rid = obj.get("id") if isinstance(obj.get("id"), str) else obj.get(opts.id_col)
                            yield Failure(loc, str(rid) if rid else None, str(exc))
        elif fmt == "json":
            try:
                data = json.loads(path.read_text(encoding="utf-8-sig"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield Failure(str(path), None, f"not a JSON file ({type(exc).__name__})")
                continue
            entries = [data] if isinstance(data, dict) and data.get("resourceType") != "Bundle" else [
                e.get("resource") for e in (data.get("entry") or []) if isinstance(e, dict)
            ] if isinstance(data, dict) else data
            for i, res in enumerate(entries):
                loc = f"{path}#{i}"
                if not isinstance(res, dict) or res.get("resourceType") != "DocumentReference":
                    continue
                try:
                    yield note_from_document_reference(res, location=loc)
                except InputError as exc:
                    yield Failure(loc, res.get("id"), str(exc))
        else:  # pragma: no cover - guarded by argparse
            raise InputError(f"unknown input format {fmt!r}")


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
    """A cheap upper bound of the number of records, for the progress bar."""
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
                    with _open(f) as fh:
                        total += sum(1 for line in fh if line.strip())
                if fmt == "csv":
                    total -= 1
            else:
                return None
    except (OSError, InputError, UnicodeDecodeError):
        return None
    return max(total, 0)


# -- per-chunk work (runs in worker processes) --------------------------------------------
_NLP = None
_WORKER_CFG: dict[str, Any] = {}


def _init_worker(config: Any, deidentify: bool | None, recorded: str, post_url: str | None, threads: int = 0,
                 run_key: bytes | None = None, keep_id_map: bool = False) -> None:
    global _NLP
    if run_key is not None:
        from .deid.pseudonym import set_run_key

        set_run_key(run_key)  # every worker pseudonymises note ids alike
    if threads:
        # N workers share the cores: one intra-op thread pool each, not N oversubscribed ones
        os.environ["OMP_NUM_THREADS"] = str(threads)
        import torch

        torch.set_num_threads(threads)
    from .pipeline import load

    _NLP = load(config, deidentify=deidentify)
    _WORKER_CFG.update(recorded=recorded, fhir=_NLP.config.fhir, post_url=post_url, keep_id_map=keep_id_map)


def _process_chunk(task: tuple[int, list[Note | Failure], str]) -> tuple[int, dict[str, int], int, int]:
    """Convert one chunk into ``parts/chunk-N`` atomically. Returns (index, counts, ok, failed)."""
    index, records, parts_dir = task
    assert _NLP is not None
    out_lines: dict[str, list[str]] = {}
    ok = failed = 0

    def emit(res: dict[str, Any]) -> None:
        out_lines.setdefault(res["resourceType"], []).append(
            json.dumps(res, ensure_ascii=False, separators=(",", ":"))
        )

    from .deid.pseudonym import outcome_ids

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
        doc, resources = note_to_resources(_NLP, rec, recorded=_WORKER_CFG["recorded"], location=loc)
        if doc is None:
            for res in resources:
                emit(res)
            failed += 1
            continue
        for res in resources:
            emit(res)
        if _WORKER_CFG.get("post_url"):
            from .fhir.bundle import bundle_dict
            from .fhir.client import post

            try:
                post(bundle_dict(doc, bundle_type="transaction", config=_WORKER_CFG["fhir"],
                                 recorded=_WORKER_CFG["recorded"]), _WORKER_CFG["post_url"])
            except EhrnlpError as exc:
                ploc, _ = outcome_ids(_NLP, loc, rec.id)
                emit(operation_outcome(ploc, doc.id, f"converted, but the upload failed: {exc}", "post"))
                failed += 1
                continue
        ok += 1

    final = Path(parts_dir) / f"chunk-{index:08d}"
    tmp = Path(parts_dir) / f".tmp-chunk-{index:08d}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    counts = {}
    for rtype, lines in out_lines.items():
        with (tmp / f"{rtype}.ndjson").open("w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        counts[rtype] = len(lines)
    (tmp / "chunk.json").write_text(json.dumps({"index": index, "counts": counts, "ok": ok, "failed": failed}))
    if id_map:  # only with --keep-id-map: local, merged into manifest.json
        (tmp / "ids.json").write_text(json.dumps(id_map, ensure_ascii=False))
    os.rename(tmp, final)  # atomic: the chunk is complete or absent
    return index, counts, ok, failed


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
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, path)


def _run_identity(paths: Sequence[str | Path], opts: ConvertOptions) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(str(Path(p).resolve()).encode())
    h.update(f"{opts.chunk_size}|{opts.input_format}|{opts.id_col}|{opts.text_col}|{opts.patient_col}".encode())
    for p in opts.patients:
        h.update(b"|patients:" + str(Path(p).resolve()).encode())
    return h.hexdigest()


def _merge(parts: Path, out: Path) -> dict[str, int]:
    """Assemble the final NDJSON files from complete chunks, in chunk order, atomically."""
    chunk_dirs = sorted(p for p in parts.iterdir() if p.is_dir() and p.name.startswith("chunk-"))
    writers: dict[str, Any] = {}
    counts: dict[str, int] = {}
    seen_devices: set[str] = set()
    try:
        for d in chunk_dirs:
            for f in sorted(d.glob("*.ndjson")):
                rtype = f.stem
                if rtype not in writers:
                    writers[rtype] = (out / f".{rtype}.ndjson.tmp").open("w", encoding="utf-8")
                with f.open(encoding="utf-8") as fh:
                    for line in fh:
                        if not line.strip():
                            continue
                        if rtype == "Device":
                            did = json.loads(line)["id"]
                            if did in seen_devices:
                                continue
                            seen_devices.add(did)
                        writers[rtype].write(line if line.endswith("\n") else line + "\n")
                        counts[rtype] = counts.get(rtype, 0) + 1
    finally:
        for w in writers.values():
            w.close()
    for old in out.glob("*.ndjson"):
        if old.stem not in writers:
            old.unlink()
    for rtype in writers:
        os.replace(out / f".{rtype}.ndjson.tmp", out / f"{rtype}.ndjson")
    return counts


def convert(inputs: Sequence[str | Path], opts: ConvertOptions) -> dict[str, Any]:
    """Convert every note of ``inputs`` into ``opts.out``; returns the manifest."""
    if opts.workers < 1:
        raise InputError("--workers must be at least 1")
    if opts.chunk_size < 1:
        raise InputError("--chunk-size must be at least 1")
    out = Path(opts.out)
    parts = out / _PARTS
    identity = _run_identity(inputs, opts)
    run_file = parts / "run.json"
    if parts.exists() and not opts.resume:
        if any(parts.glob("chunk-*")):
            raise InputError(f"{out} holds an earlier run; pass --resume to continue it or choose an empty --out")
    parts.mkdir(parents=True, exist_ok=True)
    if opts.resume and run_file.exists():
        run = json.loads(run_file.read_text())
        if run.get("identity") != identity:
            raise InputError(f"{out} holds a run of other inputs or options; --resume needs the same inputs and --chunk-size")
        if opts.recorded and opts.recorded != run["recorded"]:
            raise InputError("--recorded differs from the run being resumed")
    else:
        recorded = opts.recorded or datetime.now(UTC).isoformat(timespec="seconds")
        run = {"identity": identity, "recorded": recorded, "started": datetime.now(UTC).isoformat(timespec="seconds")}
        _atomic_write(run_file, json.dumps(run))
    for tmp in parts.glob(".tmp-chunk-*"):
        shutil.rmtree(tmp, ignore_errors=True)
    done = {int(p.name.split("-")[1]) for p in parts.glob("chunk-*") if p.is_dir()}

    t0 = time.perf_counter()
    from .fhir.input import known_phi_from_patients

    # {patient id: KnownPhi}: small frozen tuples per patient; it travels to the workers
    # only inside the notes (Note.known_phi), never into the output
    known = known_phi_from_patients(patient_files(inputs, opts))
    total = _count(inputs, opts)
    progress = _progress(total, opts.quiet)
    skipped = 0

    def tasks() -> Iterator[tuple[int, list[Note | Failure], str]]:
        nonlocal skipped
        for index, recs in _chunks(attach_known_phi(iter_records(inputs, opts), known), opts.chunk_size):
            if index in done:
                skipped += len(recs)
                progress.update(len(recs))
                continue
            yield index, recs, str(parts)

    threads = max(1, (os.cpu_count() or 1) // opts.workers) if opts.workers > 1 else 0
    from .deid.pseudonym import run_key

    init_args = (opts.config, opts.deidentify, run["recorded"], opts.post_url, threads, run_key(), opts.keep_id_map)
    processed = 0
    try:
        if opts.workers == 1:
            _init_worker(*init_args)
            for task in tasks():
                _process_chunk(task)
                processed += len(task[1])
                progress.update(len(task[1]))
        else:
            import multiprocessing as mp

            ctx = mp.get_context("spawn")
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

    counts = _merge(parts, out)
    ok = failed = 0
    id_map: dict[str, Any] = {}
    for d in parts.glob("chunk-*"):
        info = json.loads((d / "chunk.json").read_text())
        ok += info["ok"]
        failed += info["failed"]
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
        "converted": ok,
        "failed": failed,
        "resources": dict(sorted(counts.items())),
        "output": [{"type": t, "url": f"{t}.ndjson", "count": c} for t, c in sorted(counts.items())],
        "stage_versions": versions,
        "workers": opts.workers,
        "chunk_size": opts.chunk_size,
        "this_run": {"seconds": round(seconds, 3), "notes": processed, "resumed_notes": skipped,
                     "notes_per_second": round(processed / seconds, 3) if seconds > 0 else None},
    }
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
    p.add_argument("--resume", action="store_true", help="continue an interrupted run in --out")
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
    p.add_argument("--post", metavar="URL", help="also POST each note's transaction Bundle to this FHIR base URL")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar (for logs)")


def main(args: argparse.Namespace) -> int:
    opts = ConvertOptions(
        out=Path(args.out), workers=args.workers, chunk_size=args.chunk_size, resume=args.resume,
        quiet=args.quiet, input_format=args.input_format, id_col=args.id_col, text_col=args.text_col,
        patient_col=args.patient_col, date_col=args.date_col, config=args.config,
        deidentify=False if args.no_deid else None, recorded=args.recorded, post_url=args.post, keep_id_map=args.keep_id_map,
        patients=tuple(args.patients),
    )
    manifest = convert(args.inputs, opts)
    if not args.quiet:
        print(
            f"converted {manifest['converted']} of {manifest['notes']} notes "
            f"({manifest['failed']} failed, see OperationOutcome.ndjson) in {manifest['this_run']['seconds']} s -> {opts.out}",
            file=sys.stderr,
        )
    return 1 if manifest["failed"] else 0
