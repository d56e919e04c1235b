"""Look at what ehrnlp found: the HTML view of a Document.

Run: python examples/html_view.py [OUT.html]

``doc.to_html()`` (or ``ehrnlp.render(doc)``) returns one self-contained page: the note with
each entity highlighted by label, assertion badges with the cue that set them, PHI masks,
linked attributes and codes on hover, and a side table. In Jupyter, displaying ``doc`` shows
it inline. From the shell: ``ehrnlp extract note.txt --format html > note.html``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import ehrnlp

NOTE = """Patient: Zebulon Quixwort, seen 03/14/2024.
HPI: Denies chest pain. Possible pneumonia.
Family History: mother with breast cancer.
Meds: amoxicillin 500 mg PO TID for 7 days.
Allergies: sulfa (severe rash)."""


def main(out: Path) -> None:
    nlp = ehrnlp.load()
    doc = nlp(ehrnlp.Note(text=NOTE, id="html-example"))
    page = doc.to_html()
    out.write_text(page, encoding="utf-8")
    print(f"wrote {out} ({len(page):,} characters, {len(doc.entities)} entities, {len(doc.phi)} PHI masks)")
    for e in doc.entities:
        for cue in e.assertion.cues:
            print(f"  {e.text!r} is {cue.flag} because of {cue.text!r} ({cue.source})")
    assert "Quixwort" not in page and "<script src" not in page and "http" not in page.replace("http-equiv", "")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp) / "note.html")
