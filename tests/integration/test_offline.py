"""No network access at import, load or run: every socket connect and DNS look-up fails
and is recorded; the test asserts nothing tried."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow

SCRIPT = textwrap.dedent(
    """
    import socket, sys
    attempts = []
    def guard(name):
        def blocked(*args, **kwargs):
            attempts.append(name)
            raise OSError("network blocked by ehrnlp test: " + name)
        return blocked
    socket.socket.connect = guard("connect")
    socket.socket.connect_ex = guard("connect_ex")
    socket.create_connection = guard("create_connection")
    socket.getaddrinfo = guard("getaddrinfo")
    socket.gethostbyname = guard("gethostbyname")

    import ehrnlp
    stage = "import"
    nlp = ehrnlp.load()
    stage = "load"
    doc = nlp(ehrnlp.Note(text=open(sys.argv[1]).read(), id="n1", patient="Patient/1"))
    # the e-mail recognizer is the one that consults a public suffix list
    doc2 = nlp("Contact Jane Roe at jane.roe@example.org or www.example.com, phone 503-555-0100.")
    bundle = ehrnlp.to_fhir(doc)
    bundle.model_dump_json()
    print("ATTEMPTS", attempts)
    print("ENTITIES", len(doc.entities), "PHI", len(doc2.phi))
    """
)


def test_no_network_at_import_load_or_run(tmp_path):
    script = tmp_path / "offline_check.py"
    script.write_text(SCRIPT)
    note = REPO / "examples" / "notes" / "ed_note.txt"
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS")}
    out = subprocess.run([sys.executable, str(script), str(note)], capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "ATTEMPTS []" in out.stdout, out.stdout
    phi = int(out.stdout.split("PHI")[1].split()[0])
    assert phi >= 3  # name, e-mail, phone were still found offline
