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


DISK_SCRIPT = textwrap.dedent(
    """
    import sys
    import ehrnlp
    from ehrnlp.fhir import resources_for  # imported before the hook: code, not data
    nlp = ehrnlp.load()
    note = open(sys.argv[1]).read()
    opened = []
    def hook(event, args):
        if event == "open" and isinstance(args[0], str):
            opened.append(args[0])
    sys.addaudithook(hook)
    for text in (note, "Lisinopril 10 mg oral tablet daily for hypertension. Allergic to penicillin (hives). "
                       "Lives alone, unemployed. Denies chest pain."):
        resources_for(nlp(ehrnlp.Note(text=text, id="n1")))
    # modules a library imports lazily (phonenumbers' region tables) are code, not ehrnlp data
    data = [p for p in opened if not p.endswith((".py", ".pyc"))]
    print("OPENED", data)
    """
)


def test_running_the_pipeline_reads_no_file_after_load(tmp_path):
    """load() opens every model, rule and vocabulary file (the clinical drug table included);
    notes run without touching the disk."""
    script = tmp_path / "disk_check.py"
    script.write_text(DISK_SCRIPT)
    note = REPO / "examples" / "notes" / "med_reconciliation.txt"
    out = subprocess.run([sys.executable, str(script), str(note)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "OPENED []" in out.stdout, out.stdout[-3000:]
