"""De-identify notes with realistic surrogates and a per-patient date shift.

Run: python examples/deidentify.py

``operator = "surrogate"`` replaces each PHI span with a fake value of the same kind (a name
for a name, a phone number for a phone number); with ``date_shift = true`` dates move by an
offset derived from ``secret_key`` and the patient, so one patient's notes keep their
intervals. ``doc.phi`` maps every replacement back to its source offsets; the original text
itself is not kept (``doc.source_text`` is None). Any detector error refuses the note
(``ehrnlp.DeidError``) rather than emitting it half de-identified.
"""

from __future__ import annotations

from datetime import datetime

import ehrnlp

NOTES = [
    "Seen 03/14/2024. Zebulon Quixwort, MRN 4471093, c/o chest pain. Call 617-555-0143.",
    "Follow-up 04/11/2024: Mr. Quixwort reports the chest pain resolved.",
]


def main() -> None:
    nlp = ehrnlp.load(config={"deid": {"operator": "surrogate", "date_shift": True,
                                       "secret_key": "example-only-secret-use-your-own"}})
    docs = list(nlp.pipe([ehrnlp.Note(text=t, id=f"n{i}", patient="Patient/p1") for i, t in enumerate(NOTES)]))
    for doc in docs:
        print(doc.text)
        for p in doc.phi:
            print(f"  {p.label:<6} -> {p.replacement!r}  (source offsets {p.orig_start}-{p.orig_end})")
        assert doc.deidentified and doc.source_text is None
        assert "Quixwort" not in doc.text and "4471093" not in doc.text and "555-0143" not in doc.text
    dates = [datetime.strptime(p.replacement, "%m/%d/%Y") for d in docs for p in d.phi if p.label == "DATE"]
    print("shifted dates:", [f"{d:%m/%d/%Y}" for d in dates], "- 28 days apart, as in the source notes")
    assert len(dates) == 2 and (dates[1] - dates[0]).days == 28 and dates[0] != datetime(2024, 3, 14)

    # masks instead of surrogates: the default
    masked = ehrnlp.load()(NOTES[0])
    print(masked.text)
    assert "[NAME]" in masked.text


if __name__ == "__main__":
    main()
