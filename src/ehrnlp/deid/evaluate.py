"""PHI evaluation: recall by type, character-level recall and precision, leaking documents.

``evaluate_phi(records, pipeline)`` runs ``pipeline`` (an :class:`ehrnlp.Pipeline`, a
:class:`~ehrnlp.deid.DeidStage`, or any callable taking a :class:`~ehrnlp.model.Note` and
returning a Document with ``phi``) on gold records in the JSONL format of API.md:

    {"id": ..., "text": ..., "phi": [{"start", "end", "label"}], "ignore": [[s, e]], "protect": [[s, e, label]]}

Scoring counts non-whitespace characters (a span's surrounding blanks do not matter):

* a gold span is *recalled* when every one of its characters is inside some predicted
  PHI span, whatever the predicted label (a leak is a leak); ``type_match`` reports how
  often the overlapping prediction also carries the gold label;
* character recall = gold characters redacted / gold characters;
* character precision = predicted characters that are gold PHI / predicted characters
  outside ``ignore`` spans (masks of an earlier de-identifier are not scored);
* ``leaking_docs`` lists ids with at least one gold span not fully redacted;
  ``flagged_phi_free_docs`` the ids of documents without PHI where something was redacted;
* ``flagged_phi_free_sentences``: sentences (or lines) without gold PHI or an ignored mask
  where something was redacted; ``..._safe_harbor`` leaves out, in addition, the sentences that
  hold a date element HIPAA Safe Harbor removes (a month with a day or a year, a month name, a
  numeric date: ``_SAFE_HARBOR_DATE``), which a corpus without PHI labels (MACCROBAT) calls
  PHI-free although a patient's note must lose them;
* ``protect`` spans (clinical content of PHI-free corpora) give the over-redaction rate:
  the fraction of their characters that were redacted.

No note text appears in the result: misses are reported as ids, labels and offsets.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from ..model import Document, Note

__all__ = ["evaluate_phi", "format_report"]


def _run(pipeline: Callable[..., Any], note: Note) -> Document:
    if getattr(pipeline, "name", None) == "deid" and not hasattr(pipeline, "stages"):
        return pipeline(Document.from_note(note))
    return pipeline(note)


#: (deid6) a month's abbreviation before a day ("on Feb. 18, 2016") ends no sentence: the date stays whole
_SENTENCE = re.compile(r"(?:(?<![A-Za-z])(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.(?=[ \t]+\d)|[^\n.!?]|[.!?](?![.!?]*(?:\s|$)))*"
                       r"(?:[.!?]+|\n|$)")


#: a date element that HIPAA Safe Harbor removes (all elements of dates except the year): a month
#: name with a day or a year, a month name alone (not "May", also a verb), a numeric date with a
#: day. Written here, apart from the de-identifier's patterns, so the measure does not grade itself
_MONTH_NAMES = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
_SAFE_HARBOR_DATE = re.compile(
    rf"\b{_MONTH_NAMES}\.?(?:[ ]+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?[ ]+\d{{4}}\b)?|,?[ ]+\d{{4}}\b)"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?[ ]+(?:of[ ]+)?{_MONTH_NAMES}\b"
    r"|\b(?:January|February|March|April|June|July|August|September|October|November|December)\b"
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Rough sentence (and line) spans: split after ``. ! ?`` before a blank and at line ends."""
    out = []
    for m in _SENTENCE.finditer(text):
        s, e = m.span()
        if text[s:e].strip():
            out.append((s, e))
    return out


def _mask(n: int, spans: Iterable[tuple[int, int]]) -> bytearray:
    m = bytearray(n)
    for s, e in spans:
        s, e = max(0, s), min(n, e)
        if e > s:
            m[s:e] = b"\x01" * (e - s)
    return m


def evaluate_phi(records: Iterable[dict], pipeline: Callable[..., Any], *, max_misses: int = 500) -> dict:
    per_type: dict[str, dict[str, float]] = defaultdict(lambda: {"n": 0, "recalled": 0, "partial": 0, "type_match": 0, "chars": 0, "chars_hit": 0})
    protect: dict[str, dict[str, int]] = defaultdict(lambda: {"chars": 0, "redacted": 0})
    tot_gold = tot_hit = tot_pred = tot_pred_true = 0
    leaking: list[str] = []
    flagged: list[str] = []
    sentences_free = sentences_flagged = 0
    sh_free = sh_flagged = 0  # the same without the sentences that hold a Safe Harbor date element
    misses: list[dict] = []
    pred_by_label: dict[str, dict[str, int]] = defaultdict(lambda: {"chars": 0, "true": 0})
    n_docs = n_chars = 0
    t0 = time.perf_counter()
    for rec in records:
        text = rec["text"]
        doc_id = str(rec.get("id", n_docs))
        n_docs += 1
        n_chars += len(text)
        doc = _run(pipeline, Note(text=text, id=doc_id))
        n = len(text)
        nonblank = bytes(0 if c.isspace() else 1 for c in text)
        preds = [(p.orig_start, p.orig_end, p.label) for p in doc.phi]
        pred_m = _mask(n, [(s, e) for s, e, _ in preds])
        gold = [(int(g["start"]), int(g["end"]), g["label"]) for g in rec.get("phi", ())]
        gold_m = _mask(n, [(s, e) for s, e, _ in gold])
        ign_m = _mask(n, [(int(a), int(b)) for a, b, *_ in rec.get("ignore", ())])
        leaked = False
        for s, e, label in gold:
            # an ignored range inside a gold span (a bullet the layout harness inserted) is no PHI
            chars = [i for i in range(s, e) if nonblank[i] and not ign_m[i]]
            hit = sum(1 for i in chars if pred_m[i])
            t = per_type[label]
            t["n"] += 1
            t["chars"] += len(chars)
            t["chars_hit"] += hit
            if chars and hit == len(chars):
                t["recalled"] += 1
            else:
                leaked = True
                if len(misses) < max_misses:
                    misses.append({"id": doc_id, "label": label, "start": s, "end": e, "covered": round(hit / max(1, len(chars)), 3)})
            if hit:
                t["partial"] += 1
                if any(ps < e and s < pe and pl == label for ps, pe, pl in preds):
                    t["type_match"] += 1
        for i in range(n):
            if not nonblank[i]:
                continue
            if gold_m[i] and not ign_m[i]:
                tot_gold += 1
                if pred_m[i]:
                    tot_hit += 1
            if pred_m[i] and not ign_m[i]:
                tot_pred += 1
                if gold_m[i]:
                    tot_pred_true += 1
        for ps, pe, pl in preds:
            for i in range(max(0, ps), min(n, pe)):
                if nonblank[i] and not ign_m[i]:
                    pred_by_label[pl]["chars"] += 1
                    pred_by_label[pl]["true"] += 1 if gold_m[i] else 0
        if leaked:
            leaking.append(doc_id)
        if not gold and any(pred_m[i] and not ign_m[i] and nonblank[i] for i in range(n)):
            flagged.append(doc_id)
        for s, e in _sentences(text):
            if any(gold_m[i] or ign_m[i] for i in range(s, e)):
                continue  # only sentences without any PHI (nor an earlier de-identifier's mask)
            sentences_free += 1
            flag = any(pred_m[i] and nonblank[i] for i in range(s, e))
            sentences_flagged += flag
            if not _SAFE_HARBOR_DATE.search(text, s, e):
                sh_free += 1
                sh_flagged += flag
        for s, e, *rest in rec.get("protect", ()):
            label = rest[0] if rest else "protected"
            for i in range(int(s), min(n, int(e))):
                if nonblank[i]:
                    protect[label]["chars"] += 1
                    protect[label]["redacted"] += 1 if pred_m[i] else 0
    elapsed = time.perf_counter() - t0

    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 4) if b else None

    types = {
        label: {
            "n": int(t["n"]),
            "recall": ratio(t["recalled"], t["n"]),
            "partial_recall": ratio(t["partial"], t["n"]),
            "char_recall": ratio(t["chars_hit"], t["chars"]),
            "type_match": ratio(t["type_match"], t["partial"]),
        }
        for label, t in sorted(per_type.items())
    }
    n_spans = sum(int(t["n"]) for t in per_type.values())
    prot_chars = sum(p["chars"] for p in protect.values())
    prot_red = sum(p["redacted"] for p in protect.values())
    return {
        "documents": n_docs,
        "gold_spans": n_spans,
        "span_recall": ratio(sum(t["recalled"] for t in per_type.values()), n_spans),
        "per_type": types,
        "char_recall": ratio(tot_hit, tot_gold),
        "char_precision": ratio(tot_pred_true, tot_pred),
        "predicted_chars": tot_pred,
        "precision_by_predicted_label": {k: ratio(v["true"], v["chars"]) for k, v in sorted(pred_by_label.items())},
        "leaking_docs": leaking,
        "flagged_phi_free_docs": flagged,
        "phi_free_sentences": sentences_free,
        "flagged_phi_free_sentences": sentences_flagged,
        # (deid5) a sentence with a date element that Safe Harbor removes ("In June 2003", "on
        # November 18, 2015") is no PHI-free sentence: a patient's note must lose that date
        "phi_free_sentences_safe_harbor": sh_free,
        "flagged_phi_free_sentences_safe_harbor": sh_flagged,
        "over_redaction": {
            "rate": ratio(prot_red, prot_chars),
            "chars": prot_chars,
            "by_label": {k: ratio(v["redacted"], v["chars"]) for k, v in sorted(protect.items())},
        } if prot_chars else None,
        "misses": misses,
        "seconds": round(elapsed, 2),
        "notes_per_second": ratio(n_docs, elapsed),
        "chars_per_second": round(n_chars / elapsed) if elapsed else None,
    }


def _pct(x: float | None) -> str:
    return "  n/a" if x is None else f"{100 * x:5.1f}%"


def format_report(result: dict) -> str:
    """A plain-text summary of :func:`evaluate_phi`'s result (no note text)."""
    lines = [
        f"PHI evaluation: {result['documents']} documents, {result['gold_spans']} gold PHI spans",
        f"  span recall (fully redacted)  {_pct(result['span_recall'])}",
        f"  character recall              {_pct(result['char_recall'])}",
        f"  character precision           {_pct(result['char_precision'])}   ({result['predicted_chars']} predicted chars scored)",
        f"  documents leaking PHI         {len(result['leaking_docs'])}",
        f"  PHI-free documents flagged    {len(result['flagged_phi_free_docs'])}",
        f"  PHI-free sentences flagged    {result.get('flagged_phi_free_sentences', 0)} of {result.get('phi_free_sentences', 0)}",
        f"    without Safe Harbor dates   {result.get('flagged_phi_free_sentences_safe_harbor', 0)} of "
        f"{result.get('phi_free_sentences_safe_harbor', 0)} (a sentence holding a date element is not PHI-free)",
    ]
    if result["per_type"]:
        lines.append("")
        lines.append(f"  {'type':<10}{'n':>7}{'recall':>9}{'partial':>9}{'chars':>9}{'label ok':>10}")
        for label, t in result["per_type"].items():
            lines.append(
                f"  {label:<10}{t['n']:>7}{_pct(t['recall']):>9}{_pct(t['partial_recall']):>9}{_pct(t['char_recall']):>9}{_pct(t['type_match']):>10}"
            )
    if result["precision_by_predicted_label"]:
        lines.append("")
        lines.append("  precision by predicted label: " + ", ".join(f"{k} {_pct(v).strip()}" for k, v in result["precision_by_predicted_label"].items()))
    ov = result.get("over_redaction")
    if ov:
        lines.append("")
        lines.append(f"  over-redaction of protected clinical text: {_pct(ov['rate']).strip()} of {ov['chars']} chars")
        lines.append("    " + ", ".join(f"{k} {_pct(v).strip()}" for k, v in ov["by_label"].items()))
    if result.get("notes_per_second"):
        lines.append("")
        lines.append(f"  throughput: {result['notes_per_second']} notes/s, {result['chars_per_second']} chars/s ({result['seconds']} s)")
    return "\n".join(lines)
