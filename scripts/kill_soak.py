#!/usr/bin/env python
"""Kill soak of ``ehrnlp convert``: random kill -9 points, each followed by ``--resume``.

    python scripts/kill_soak.py [--points 20] [--notes 240] [--workers 2] [--seed 21] [--json]

1. An uninterrupted reference run (``--workers 2``) over synthetic notes (rules NER backend,
   no de-identification: the soak is about the batch machinery, not the model).
2. ``--points`` times: start the same run in its own process group, kill it with SIGKILL at a
   random moment (alternately the parent alone -- its workers must notice and exit -- and the
   whole process group), then at once ``--resume`` it to completion. Every output NDJSON file
   must be byte-identical to the reference and the manifest's counts equal.
3. A disk-full run: the chunk writer (``ehrnlp.batch._write_file``) fails with ENOSPC after a
   few files; the run must end with exit 1 and a one-line error, leave no temporary chunk and
   only complete chunks, and a ``--resume`` (disk free again) must give the reference output.

Exit status 0 when every point and the disk-full run pass.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RECORDED = "2026-01-01T00:00:00+00:00"
WORDS = ["Patient denies chest pain.", "Cough and fever for 3 days.", "Lisinopril 10 mg PO daily.", "NKDA.",
         "Mother had breast cancer.", "Rule out pneumonia.", "Metformin 500 mg BID.", "No rash.",
         "Assessment: asthma exacerbation.", "Plan: albuterol 2 puffs q4h prn."]


def make_input(folder: Path, n: int, rng: random.Random) -> Path:
    f = folder / "notes.jsonl"
    with f.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 40)))
            fh.write(json.dumps({"id": f"soak-{i}", "text": text, "patient": f"Patient/p{i % 17}"}) + "\n")
    return f


def base_cmd(inp: Path, out: Path, cfg: Path, workers: int, chunk: int) -> list[str]:
    return [sys.executable, "-m", "ehrnlp.cli", "convert", str(inp), "--out", str(out), "--no-deid", "--config", str(cfg),
            "--workers", str(workers), "--chunk-size", str(chunk), "--recorded", RECORDED, "-q"]


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.setdefault("OMP_NUM_THREADS", "1")
    src = str(REPO / "src")
    e["PYTHONPATH"] = os.pathsep.join([src, e.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return e


def same_output(ref: Path, out: Path) -> tuple[bool, str]:
    names = sorted(p.name for p in ref.glob("*.ndjson"))
    if names != sorted(p.name for p in out.glob("*.ndjson")):
        return False, "different files"
    for name in names:
        if (ref / name).read_bytes() != (out / name).read_bytes():
            return False, f"{name} differs"
    a = json.loads((ref / "manifest.json").read_text())
    b = json.loads((out / "manifest.json").read_text())
    for key in ("notes", "converted", "failed", "resources"):
        if a[key] != b[key]:
            return False, f"manifest {key} differs"
    return True, "identical"


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for p in pids:
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[0] != "Z":
            alive.append(p)
    return alive


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def kill_point(i: int, mode: str, at: float | None, after_chunks: int, inp: Path, ref: Path, work: Path, cfg: Path,
               workers: int, chunk: int) -> dict:
    """Kill at ``at`` seconds (start-up kills), or ``at`` None: as soon as ``after_chunks`` chunks are complete."""
    out = work / f"run{i}"
    proc = subprocess.Popen(base_cmd(inp, out, cfg, workers, chunk), cwd=REPO, env=env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    t0 = time.monotonic()
    if at is not None:
        time.sleep(at)
    else:
        while proc.poll() is None and len(list((out / ".parts").glob("chunk-*"))) < after_chunks:
            time.sleep(0.005)
    at = time.monotonic() - t0
    finished_first = proc.poll() is not None
    kids = _children(proc.pid)
    if not finished_first:
        if mode == "parent":
            os.kill(proc.pid, signal.SIGKILL)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    chunks = len(list((out / ".parts").glob("chunk-*"))) if (out / ".parts").is_dir() else 0
    res = subprocess.run(base_cmd(inp, out, cfg, workers, chunk) + ["--resume"], cwd=REPO, env=env(),
                         capture_output=True, text=True, timeout=1800)
    ok, why = (False, f"resume exit {res.returncode}: {res.stderr.strip()[-300:]}") if res.returncode != 0 else same_output(ref, out)
    orphans = _alive(kids)
    if orphans:
        ok, why = False, f"{len(orphans)} worker(s) of the killed run still alive"
    shutil.rmtree(out, ignore_errors=True)
    return {"point": i, "mode": mode, "kill_at_s": round(at, 2), "killed": not finished_first,
            "chunks_done_at_kill": chunks, "ok": ok, "detail": why}


DISK_FULL = """
import errno, os, sys
import ehrnlp.batch as b
real = b._write_file
n = [0]
def full(path, data):
    n[0] += 1
    if n[0] > int(os.environ["SOAK_FAIL_AFTER"]):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    real(path, data)
b._write_file = full
from ehrnlp.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def disk_full(inp: Path, ref: Path, work: Path, cfg: Path, chunk: int, fail_after: int) -> dict:
    out = work / "diskfull"
    cmd = base_cmd(inp, out, cfg, 1, chunk)
    e = env()
    e["SOAK_FAIL_AFTER"] = str(fail_after)
    res = subprocess.run([sys.executable, "-c", DISK_FULL, *cmd[3:]], cwd=REPO, env=e, capture_output=True, text=True, timeout=1800)
    err = res.stderr.strip().splitlines()
    parts = out / ".parts"
    torn = [p.name for p in parts.glob(".tmp-chunk-*")] + [p.name for p in out.glob(".*.tmp")]
    incomplete = [p.name for p in parts.glob("chunk-*") if not (p / "chunk.json").is_file()]
    checks = {
        "exit_1": res.returncode == 1,
        "one_line_error": len(err) == 1 and "No space left on device" in err[0] and "Traceback" not in res.stderr,
        "no_torn_chunk": not torn and not incomplete,
        "no_manifest": not (out / "manifest.json").exists(),
    }
    again = subprocess.run(cmd + ["--resume"], cwd=REPO, env=env(), capture_output=True, text=True, timeout=1800)
    ok, why = same_output(ref, out) if again.returncode == 0 else (False, f"resume exit {again.returncode}")
    checks["resume_identical"] = ok
    return {"ok": all(checks.values()), "checks": checks, "error_line": err[-1] if err else "", "complete_chunks_kept":
            len(list(parts.glob("chunk-*"))), "detail": why}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=20)
    ap.add_argument("--notes", type=int, default=240)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk-size", type=int, default=8)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="ehrnlp-soak-") as tmp:
        work = Path(tmp)
        cfg = work / "rules.toml"
        cfg.write_text('[ner]\nbackend = "rules"\n', encoding="utf-8")
        inp = make_input(work, args.notes, rng)
        ref = work / "ref"
        t0 = time.monotonic()
        r = subprocess.run(base_cmd(inp, ref, cfg, args.workers, args.chunk_size), cwd=REPO, env=env(),
                           capture_output=True, text=True, timeout=1800)
        ref_seconds = time.monotonic() - t0
        if r.returncode != 0:
            print(f"reference run failed (exit {r.returncode}): {r.stderr[-2000:]}", file=sys.stderr)
            return 2
        points = []
        n_chunks = -(-args.notes // args.chunk_size)
        for i in range(args.points):
            mode = "parent" if i % 2 == 0 else "group"
            # one kill in four during start-up (a random moment), the others once a random
            # number of chunks is complete (while workers are writing)
            at = rng.uniform(0.2, 3.0) if i % 4 == 3 else None
            p = kill_point(i, mode, at, rng.randrange(0, n_chunks), inp, ref, work, cfg, args.workers, args.chunk_size)
            points.append(p)
            if not args.json:
                print(json.dumps(p), flush=True)
        df = disk_full(inp, ref, work, cfg, args.chunk_size, fail_after=rng.randrange(4, 3 * max(2, args.notes // args.chunk_size)))
    passed = sum(p["ok"] for p in points)
    report = {"notes": args.notes, "workers": args.workers, "chunk_size": args.chunk_size, "seed": args.seed,
              "reference_seconds": round(ref_seconds, 1), "points": len(points), "passed": passed,
              "killed_mid_run": sum(p["killed"] for p in points), "disk_full": df,
              "failures": [p for p in points if not p["ok"]]}
    if args.json:
        report["all_points"] = points
        print(json.dumps(report, indent=2))
    else:
        print(f"kill soak: {passed}/{len(points)} kill points identical after --resume "
              f"({report['killed_mid_run']} killed mid-run); disk full: {'ok' if df['ok'] else 'FAILED'} {df['checks']}")
    return 0 if passed == len(points) and df["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
