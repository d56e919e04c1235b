"""A custom PHI recognizer: a hospital's own ward codes ("WRD-1234") are identifiers.

Run: python examples/custom_recognizer.py

Any Presidio recognizer works. Pass objects to ``ehrnlp.load(recognizers=[...])``, or name
them in the config (``deid.extra_recognizers``: ``"package.module:name"`` or a Presidio YAML
file) so that batch workers and Spark executors build the same ones. They run inside the
de-identification stage's fail-closed guard: if one raises, or logs a warning through
Presidio's logger, the note is refused, never emitted half de-identified. An entity type
that is not an ehrnlp PHI label is redacted as ``ID``.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

import ehrnlp


def ward_codes() -> PatternRecognizer:
    """A factory, so a config can name it: deid.extra_recognizers = ["custom_recognizer:ward_codes"]."""
    return PatternRecognizer(
        supported_entity="WARD_CODE",
        name="ward_codes",
        patterns=[Pattern("ward code", r"\bWRD-\d{4}\b", 0.9)],
        context=["ward", "bed", "unit"],
    )


def main() -> None:
    note = "Zebulon Quixwort moved to WRD-4471 overnight. Denies chest pain. Aspirin 81 mg PO daily."
    nlp = ehrnlp.load(recognizers=[ward_codes()])
    doc = nlp(ehrnlp.Note(text=note, id="example-1"))
    print(doc.text)
    for p in doc.phi:
        print(f"{p.label:<6} {p.replacement!r:<14} from {p.source}")
    assert "WRD-4471" not in doc.text and "Quixwort" not in doc.text


if __name__ == "__main__":
    main()
