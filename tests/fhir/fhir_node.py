"""Helpers for the FHIR tests that run the Node validators and the in-memory FHIR server.

The tests install what they need: the first test that needs the tools (``node_path()``)
checks ``tools/fhir-validate/node_modules`` against ``package-lock.json`` and, when it is
missing or incomplete, runs ``npm ci`` there once per session (under a file lock, so
parallel pytest processes do not race), printing a one-line note.

Skip rule: when ``node`` is not on PATH, or the tools cannot be installed (node older than
20.19, no npm, ``npm ci`` failing, e.g. without registry access), these tests skip with the
reason; when the environment variable ``CI`` is set they FAIL with it instead, so CI can
never skip them silently.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TOOL_DIR = REPO / "tools" / "fhir-validate"
SHARED_DATA = Path(os.environ.get("EHRNLP_SHARED_DATA", REPO.parent / "shared" / "data"))
US_CORE_PKG = SHARED_DATA / "fhir" / "us-core-6.1.0.tgz"
INSTALL_CMD = "(cd tools/fhir-validate && npm ci --no-audit --no-fund)   # or tools/fhir-validate/install.sh"
NPM_CI = ("ci", "--no-audit", "--no-fund")
MIN_NODE = (20, 19)
INSTALL_TIMEOUT = 900.0
LOCK_FILE = TOOL_DIR / ".install.lock"  # git-ignored
VALIDATORS = ("schema", "medplum", "lantana", "fhir-json")

# this process's verdict, computed once: ("ok", node) or ("unavailable", reason)
_tools: tuple[str, str] | None = None


def node_path() -> str:
    """The node binary, with the tools in ``tools/fhir-validate`` installed (once per session).

    Skips the test, saying why, when Node is absent or the tools cannot be installed; fails
    instead when ``CI`` is set.
    """
    global _tools
    from conftest import skip_or_fail

    node = shutil.which("node")
    if node is None:
        skip_or_fail("Node.js is not installed: the independent FHIR validators and test server need node >= 20.19")
    if _tools is None:
        _tools = _ensure_tools(node)
    status, detail = _tools
    if status != "ok":
        skip_or_fail(f"FHIR validators unavailable: {detail}")
    return detail


def missing_tools() -> list[str]:
    """Packages of ``package-lock.json`` absent from node_modules, or at another version."""
    lock = json.loads((TOOL_DIR / "package-lock.json").read_text(encoding="utf-8"))
    missing = []
    for key, meta in lock["packages"].items():
        if not key.startswith("node_modules/") or meta.get("optional") or meta.get("dev"):
            continue
        installed = TOOL_DIR / key / "package.json"
        try:
            version = json.loads(installed.read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError):
            version = None
        if version != meta.get("version"):
            missing.append(key.removeprefix("node_modules/") + ("" if version is None else f" {version}"))
    return missing


def _node_version(node: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.match(r"v?(\d+)\.(\d+)\.(\d+)", out.strip())
    return tuple(int(x) for x in m.groups()) if m else None


def _ensure_tools(node: str) -> tuple[str, str]:
    version = _node_version(node)
    if version is None:
        return "unavailable", f"`{node} --version` did not print a version"
    if version[:2] < MIN_NODE:
        return "unavailable", f"node {'.'.join(map(str, version))} is too old (the validators need node >= 20.19)"
    if not missing_tools():
        return "ok", node
    with _install_lock():
        missing = missing_tools()  # another pytest process may have installed them meanwhile
        if not missing:
            return "ok", node
        npm = shutil.which("npm")
        if npm is None:
            return "unavailable", "npm is not installed (it comes with Node.js)"
        from conftest import note

        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        note(f"tools/fhir-validate: installing the pinned Node validators once for the FHIR tests (npm ci; missing: {shown})")
        try:
            proc = subprocess.run([npm, *NPM_CI], cwd=TOOL_DIR, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
        except subprocess.TimeoutExpired:
            return "unavailable", f"`npm ci` in tools/fhir-validate did not finish within {INSTALL_TIMEOUT:.0f} s; retry with: {INSTALL_CMD}"
        except OSError as exc:
            return "unavailable", f"`npm ci` could not run: {exc}"
        if proc.returncode != 0:
            lines = [line.removeprefix("npm error").removeprefix("npm ERR!").strip() for line in (proc.stderr or proc.stdout).splitlines()]
            head = " | ".join([line for line in lines if line and not line.startswith("at ")][:4])
            return "unavailable", f"`npm ci` in tools/fhir-validate failed (exit {proc.returncode}): {head[:500]}; retry with: {INSTALL_CMD}"
        missing = missing_tools()
        if missing:
            return "unavailable", f"`npm ci` succeeded but these packages are still missing: {', '.join(missing)}"
        return "ok", node


class _install_lock:
    """An exclusive lock on ``tools/fhir-validate/.install.lock`` (no-op where fcntl is absent)."""

    def __enter__(self) -> _install_lock:
        self.fh = open(LOCK_FILE, "a+")
        try:
            import fcntl
        except ImportError:  # Windows: no lock; a race there costs a second npm ci at worst
            return self
        fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.fh.close()  # closing releases the lock


def us_core_or_none() -> Path | None:
    return US_CORE_PKG if US_CORE_PKG.is_file() else None


def run_validator(inputs: Iterable[Path], *, us_core: Path | None = None, extra: Iterable[str] = (), timeout: float = 600) -> dict[str, Any]:
    """Run validate.mjs on files/folders; return its JSON report (exit status checked for sanity)."""
    node = node_path()
    cmd = [node, str(TOOL_DIR / "validate.mjs")]
    if us_core is not None:
        cmd += ["--us-core", str(us_core)]
    cmd += list(extra)
    cmd += [str(p) for p in inputs]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=TOOL_DIR)
    if proc.returncode not in (0, 1):
        raise AssertionError(f"validate.mjs failed to run (exit {proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    assert report["ok"] == (proc.returncode == 0), "exit status disagrees with the report"
    return report


def describe_errors(report: dict[str, Any], limit: int = 40) -> str:
    """One line per error: source, resource type, validator[:profile], element path, message."""
    lines = []
    for r in report["results"]:
        for c in r["checks"]:
            for e in c["errors"]:
                prof = f":{c['profile'].rsplit('/', 1)[-1]}" if c["profile"] else ""
                lines.append(f"{r['source']} {r['resourceType']} [{c['validator']}{prof}] {e['path']}: {e['message']}")
    more = f"\n... {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def write_json(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


class FhirServer:
    """``node server.mjs 0`` as a child process on 127.0.0.1; use as a context manager."""

    def __init__(self, *args: str, startup_timeout: float = 60.0):
        self.args = args
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.port = 0

    def __enter__(self) -> FhirServer:
        node = node_path()
        self.proc = subprocess.Popen(
            [node, str(TOOL_DIR / "server.mjs"), "0", "--max-lifetime", "600", *self.args],
            cwd=TOOL_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line: list[str] = []

        def read_first_line() -> None:
            assert self.proc is not None and self.proc.stdout is not None
            line.append(self.proc.stdout.readline())

        t = threading.Thread(target=read_first_line, daemon=True)
        t.start()
        t.join(self.startup_timeout)
        if not line or not line[0].strip():
            err = ""
            if self.proc.poll() is not None and self.proc.stderr is not None:
                err = self.proc.stderr.read()[-2000:]
            self.__exit__(None, None, None)
            raise AssertionError(f"server.mjs did not start within {self.startup_timeout} s: {err}")
        info = json.loads(line[0])
        assert info["ready"] is True
        self.base_url = info["base_url"]
        self.port = info["port"]
        assert self.base_url.startswith("http://127.0.0.1:")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()  # the server exits when its stdin pipe closes
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        finally:
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream is not None:
                    stream.close()


__all__ = [
    "REPO", "TOOL_DIR", "SHARED_DATA", "US_CORE_PKG", "INSTALL_CMD", "VALIDATORS", "FhirServer",
    "describe_errors", "missing_tools", "node_path", "run_validator", "us_core_or_none", "write_json",
]
