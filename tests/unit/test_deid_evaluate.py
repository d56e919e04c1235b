"""evaluate_phi scoring on hand-made predictions (no Presidio)."""

from __future__ import annotations

from ehrnlp.deid.evaluate import evaluate_phi, format_report
from ehrnlp.model import Document, PhiSpan


class FakeDeid:
    """Pretends to be a deid stage: redacts the given original spans."""

    name = "deid"

    def __init__(self, spans):
        self.spans = spans

    def __call__(self, doc: Document) -> Document:
        phi = tuple(PhiSpan(label, s, e, s, e, doc.text[s:e]) for s, e, label in self.spans.get(doc.id, ()))
        return doc.replace(phi=phi, deidentified=True)


def test_recall_precision_leaks_and_ignore():
    text = "Seen by Dr. Ada Quill on 3/4/2019 with *** mask. Call 503-555-0101."
    recs = [
        {"id": "a", "text": text,
         "phi": [{"start": 12, "end": 21, "label": "NAME"}, {"start": 25, "end": 33, "label": "DATE"},
                 {"start": 55, "end": 67, "label": "PHONE"}],
         "ignore": [[39, 42]]},
        {"id": "b", "text": "No PHI here, just SOB.", "phi": [], "ignore": [], "protect": [[18, 21, "Sign_symptom"]]},
    ]
    fake = FakeDeid({
        "a": [(12, 21, "NAME"), (25, 30, "DATE"), (39, 42, "ID"), (8, 11, "NAME")],  # date half-covered; mask ignored; "Dr." FP
        "b": [(18, 21, "NAME")],  # over-redaction of a protected span
    })
    res = evaluate_phi(recs, fake)
    assert res["per_type"]["NAME"]["recall"] == 1.0
    assert res["per_type"]["DATE"]["recall"] == 0.0 and res["per_type"]["DATE"]["partial_recall"] == 1.0
    assert res["per_type"]["PHONE"]["recall"] == 0.0
    assert res["leaking_docs"] == ["a"]
    assert res["flagged_phi_free_docs"] == ["b"]
    # gold non-blank chars: "AdaQuill"(8) + "3/4/2019"(8) + "503-555-0101"(12) = 28; hit 8 + 5
    assert res["char_recall"] == round(13 / 28, 4)
    # predicted non-blank chars outside ignore: 8 + 5 + "Dr."(3) + "SOB"(3) = 19; true 13
    assert res["char_precision"] == round(13 / 19, 4)
    assert res["over_redaction"]["rate"] == 1.0
    assert {m["label"] for m in res["misses"]} == {"DATE", "PHONE"}
    report = format_report(res)
    assert "character recall" in report and "Quill" not in report


def test_phi_free_sentences_without_safe_harbor_dates():
    """(deid5) A sentence holding a date element that HIPAA Safe Harbor removes is PHI-free only
    by a corpus's labels: the second measure leaves it out, the first counts it."""
    text = ("In June 2003, he became ill. Seen at Quillfield on November 18, 2015. He died on the 13th hospital day. "
            "By mid-December he was better. It may recur in 2004. Tachycardia noted at Quillfield.")
    starts = {w: text.index(w) for w in ("June 2003", "November 18, 2015", "13th", "December", "2004", "Quillfield noted")
              if w in text}
    q2 = text.rindex("Quillfield")
    fake = FakeDeid({"r": [(starts["June 2003"], starts["June 2003"] + 9, "DATE"), (q2, q2 + 10, "LOCATION")]})
    res = evaluate_phi([{"id": "r", "text": text, "phi": [], "ignore": []}], fake)
    assert res["phi_free_sentences"] == 6 and res["flagged_phi_free_sentences"] == 2
    # "June 2003", "November 18, 2015" and "mid-December" are date elements; "the 13th hospital day" and "2004" are not
    assert res["phi_free_sentences_safe_harbor"] == 3 and res["flagged_phi_free_sentences_safe_harbor"] == 1
    assert "without Safe Harbor dates" in format_report(res)
