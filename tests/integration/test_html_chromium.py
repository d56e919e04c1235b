"""The HTML view in a real browser: headless Chromium loads the page `ehrnlp extract
--format html` wrote, the DOM it built shows the note and highlights exactly the entities,
the screenshot shows the label colours, and a note full of markup stays inert.

Needs Chromium (Debian: apt-get install chromium; .ci/run installs it when it can); without
it the tests skip, or fail under CI."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, skip_or_fail
from html_dom import INJECTION, check_view, dom, injection_doc

pytestmark = pytest.mark.slow

ED_NOTE = REPO / "examples" / "notes" / "ed_note.txt"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _find_browser() -> str | None:
    for name in (os.environ.get("CHROMIUM"), *BROWSERS):
        if name and (path := shutil.which(name)):
            return path
    return None


def _install_chromium() -> None:
    """As the FHIR tests install their Node validators: when the suite runs as root on a
    machine with apt, it installs Debian's chromium once (so the README's test command and
    CI's are the same command); elsewhere the test skips (fails under CI) naming the fix."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        if subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900).returncode != 0:
            return


@pytest.fixture(scope="module")
def chromium() -> str:
    path = _find_browser()
    if path is None:
        _install_chromium()
        path = _find_browser()
    if path is None:
        skip_or_fail("Chromium is not installed (Debian: apt-get install chromium; or set CHROMIUM=/path/to/chrome)")
        raise AssertionError  # unreachable
    return path


def _chrome(browser: str, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
           "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={page.parent / 'chrome-profile'}",
           *args, page.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def dump_dom(browser: str, page: Path) -> str:
    return _chrome(browser, page, "--dump-dom").stdout


def screenshot(browser: str, page: Path, width: int = 1200, height: int = 1000) -> np.ndarray:
    png = page.with_suffix(".png")
    _chrome(browser, page, f"--screenshot={png}", f"--window-size={width},{height}")
    return read_png(png.read_bytes())


def read_png(data: bytes) -> np.ndarray:
    """An 8-bit RGB(A) non-interlaced PNG (what Chromium writes) as an (h, w, channels) array."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    assert header is not None
    w, h, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    ch = 3 if colour == 2 else 4
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(h, 1 + w * ch)
    out = np.zeros((h, w * ch), dtype=np.int32)
    prev = np.zeros(w * ch, dtype=np.int32)
    for y in range(h):
        f, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if f == 0:
            cur = line
        elif f == 2:
            cur = (line + prev) & 0xFF
        else:  # Sub, Average, Paeth depend on the pixel to the left: per pixel
            cur = np.zeros_like(line)
            for x in range(0, w * ch, ch):
                a = cur[x - ch:x] if x else np.zeros(ch, dtype=np.int32)
                b = prev[x:x + ch]
                if f == 1:
                    pred = a
                elif f == 3:
                    pred = (a + b) // 2
                else:
                    c = prev[x - ch:x] if x else np.zeros(ch, dtype=np.int32)
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = np.where((pa <= pb) & (pa <= pc), a, np.where(pb <= pc, b, c))
                cur[x:x + ch] = (line[x:x + ch] + pred) & 0xFF
        out[y] = cur
        prev = cur
    return out.reshape(h, w, ch)[:, :, :3]


def has_colour(img: np.ndarray, hex_colour: str, min_pixels: int = 30) -> bool:
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(img - rgb).sum(axis=2) <= 6).sum()) >= min_pixels


@pytest.fixture(scope="module")
def ed_page(nlp, tmp_path_factory) -> tuple[Path, object]:
    """`ehrnlp extract examples/notes/ed_note.txt --format html`, and the same note's Document."""
    import ehrnlp

    out = tmp_path_factory.mktemp("html") / "ed_note.html"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", "from ehrnlp.cli import main; raise SystemExit(main())",
                           "extract", str(ED_NOTE), "--format", "html"], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out.write_text(proc.stdout, encoding="utf-8")
    doc = nlp(ehrnlp.Note(text=ED_NOTE.read_text(encoding="utf-8"), id="ed_note"))
    # the CLI writes the view of the note; the note id is a pseudonym under each process's own
    # run key (no deid.secret_key here), so the two pages agree once that is set aside
    import re

    def same(page: str) -> str:
        return re.sub(r"note-[0-9a-f]{24}", "note-<pseudonym>", page).rstrip("\n")

    assert same(proc.stdout) == same(doc.to_html())
    return out, doc


def test_cli_page_in_chromium_highlights_exactly_the_entities(chromium, ed_page):
    page, doc = ed_page
    written = page.read_text(encoding="utf-8")
    assert written.startswith("<!DOCTYPE html>") and "default-src 'none'" in written  # self-contained
    assert not re.search(r"""(?:src|href)\s*=|@import|url\(|https?://""", written.replace('http-equiv="Content-Security-Policy"', ""))
    built = dump_dom(chromium, page)
    view = check_view(built, doc)  # the browser's DOM: note text intact, one highlight per entity
    assert len(view.ent_text) == len({(e.start, e.end, e.label) for e in doc.entities}) > 20
    assert view.phi and all(p.startswith("[") for p in view.phi)  # PHI masks visible
    negated = [e for e in doc.entities if e.assertion.negated]
    assert negated and "Denies" in view.cues
    assert view.tags.count("script") == 1


def test_cli_page_screenshot_shows_labels_badges_and_masks(chromium, ed_page):
    from ehrnlp.html import LABEL_COLOURS

    img = screenshot(chromium, ed_page[0])
    assert img.shape[0] >= 900 and img.shape[1] >= 1100
    for label in ("SYMPTOM", "PROBLEM", "MEDICATION", "DOSE"):
        assert has_colour(img, LABEL_COLOURS[label]), f"no {label} highlight in the screenshot"
    assert has_colour(img, "#b00020")  # NEG badges
    assert has_colour(img, "#333333")  # PHI masks
    assert has_colour(img, "#24344d")  # the header


def test_injection_note_is_inert_in_chromium(chromium, tmp_path):
    import ehrnlp
    doc = injection_doc()
    page = tmp_path / "injection.html"
    page.write_text(ehrnlp.render(doc, title="<script>document.title='pwned'</script>"), encoding="utf-8")
    built = dump_dom(chromium, page)
    view = check_view(built, doc)
    assert "".join(view.note) == INJECTION
    assert view.tags.count("script") == 1 and view.tags.count("style") == 1
    assert "img" not in view.tags and "b" not in view.tags
    assert "pwned" not in dom(built).scripts[0]
    assert "<title>&lt;script&gt;" in built  # the title is text too
