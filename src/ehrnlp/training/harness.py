"""The layout-invariance harness behind ``ehrnlp evaluate --perturb``.

The same dev records are scored clean and under each perturbation of
:mod:`ehrnlp.training.perturb` (gold offsets mapped exactly); the report gives, per label,
the score under each perturbation and its drop from clean. Tasks:

* ``ner``: overlap F1 per label, and negation accuracy over found gold spans
  (:func:`ehrnlp.evaluate.evaluate_ner`);
* ``negation``: the assertion rules alone on the *gold* SYMPTOM/PROBLEM spans (sections +
  ConText, no model): accuracy of ``negated`` against the gold polarity;
* ``allergy``: the hand-checked Glaucoma allergy gold (``tests/data/glaucoma_allergy_gold.jsonl``
  format): its candidate mentions through sections -> assertion -> relations; allergen and
  reaction-link F1 (strict) and ``allergy_status`` accuracy.
* ``phi``: a PHI gold file (``scripts/build_phi_gold.py`` format: ``text``, ``phi`` spans,
  ``ignore`` and ``protect`` ranges) through the de-identification stage: span recall (all
  and per PHI type), character recall and precision, the share of PHI-free sentences flagged
  and of protected clinical characters redacted (:func:`ehrnlp.deid.evaluate.evaluate_phi`).
  Under ``sentence-alone`` a gold span cut by a sentence end is neither gold nor a false flag.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from .corpus import CorpusDoc
from .perturb import PERTURBATIONS, UNIT_PERTURBATION, perturb_doc, perturb_text, sentence_cuts

__all__ = ["resolve_perturbations", "run_harness", "run_framings", "format_harness", "score_negation", "read_allergy_gold",
           "score_allergy", "AllergyRecord", "perturb_phi", "phi_scorer"]


def resolve_perturbations(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        for x in (PERTURBATIONS if n == "all" else [n]):
            if x not in PERTURBATIONS and x != UNIT_PERTURBATION:
                raise InputError(f"unknown perturbation '{x}' (known: {', '.join(PERTURBATIONS)}, "
                                 f"{UNIT_PERTURBATION}, all)")
            if x not in out:
                out.append(x)
    return out


# ------------------------------------------------------------------------ scorers
def ner_metrics(rep: dict) -> dict[str, float]:
    """Flat metrics of an :func:`~ehrnlp.evaluate.evaluate_ner` report: overlap F1 per label
    and negation accuracy where gold carries polarity."""
    from ..model import CLINICAL_LABELS

    out: dict[str, float] = {}
    for lab, row in rep["overall"]["labels"].items():
        # NAME / LOCATION are de-identification's (--task phi), not the NER stage's output
        if row["support"] and lab in CLINICAL_LABELS:
            out[f"{lab} F1"] = row["overlap"]["f1"]
        if "negation_accuracy" in row:
            out[f"{lab} negation acc"] = row["negation_accuracy"]
    if "FINDING" in rep["overall"]:  # SYMPTOM + PROBLEM type-blind
        out["FINDING F1"] = rep["overall"]["FINDING"]["overlap"]["f1"]
    return out


def calibration(records: Sequence[CorpusDoc], docs: Sequence[Any], bins: int = 10) -> dict[str, float]:
    """Expected calibration error of the model's span confidence (10 equal-width bins) against
    overlap correctness (a gold span of the same label overlaps) and strict correctness, over
    the transformer's clinical mentions in labels the record annotates, outside ignore spans;
    with the mean confidence and the overlap precision it is measured against."""
    conf: list[float] = []
    hit: list[tuple[bool, bool]] = []
    for r, d in zip(records, docs):
        gold = [(s.start, s.end, s.label) for s in r.spans]
        for e in d.entities:
            if e.source != "transformer" or e.label not in r.annotated:
                continue
            if any(e.start < b and a < e.end for a, b in r.ignore):
                continue
            conf.append(e.confidence)
            hit.append((any(lab == e.label and a < e.end and e.start < b for a, b, lab in gold),
                        (e.start, e.end, e.label) in gold))
    if not conf:
        return {}

    def ece(k: int) -> float:
        total = 0.0
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            idx = [i for i, c in enumerate(conf) if lo <= c < hi or (b == bins - 1 and c == hi)]
            if idx:
                mean_c = sum(conf[i] for i in idx) / len(idx)
                acc = sum(hit[i][k] for i in idx) / len(idx)
                total += len(idx) / len(conf) * abs(mean_c - acc)
        return round(total, 4)

    return {"ECE overlap": ece(0), "ECE strict": ece(1), "confidence mean": round(sum(conf) / len(conf), 4),
            "overlap precision": round(sum(h[0] for h in hit) / len(hit), 4)}


def score_negation(records: Sequence[CorpusDoc]) -> dict[str, float]:
    """Negation accuracy of sections + assertion on the gold SYMPTOM/PROBLEM spans."""
    from ..assertion import AssertionStage
    from ..model import Document, Entity
    from ..sections import SectionStage

    sections, assertion = SectionStage(), AssertionStage()
    n = ok = tp = fp = fn = 0
    ab_ok = ab_tp = ab_fp = ab_fn = 0  # gold NEG against negated-or-resolved ("absent now")
    for r in records:
        spans = [s for s in r.spans if s.negated is not None and s.label in ("SYMPTOM", "PROBLEM")]
        if not spans:
            continue
        ents = tuple(Entity(s.label, s.start, s.end, r.text[s.start:s.end]) for s in spans)
        doc = assertion(sections(Document(text=r.text, entities=ents)))
        for s, e in zip(spans, doc.entities):
            pred = bool(e.assertion.negated)
            n += 1
            ok += pred == s.negated
            tp += pred and bool(s.negated)
            fp += pred and not s.negated
            fn += (not pred) and bool(s.negated)
            absent = pred or bool(e.assertion.resolved)
            ab_ok += absent == s.negated
            ab_tp += absent and bool(s.negated)
            ab_fp += absent and not s.negated
            ab_fn += (not absent) and bool(s.negated)
    return {"negation accuracy": round(ok / n, 4) if n else 0.0, "negated F1": _f1(tp, fp, fn),
            # MACCROBAT marks resolved findings NEG ("the rash resolved"): the same gold
            # against negated-or-resolved
            "absent accuracy": round(ab_ok / n, 4) if n else 0.0, "absent F1": _f1(ab_tp, ab_fp, ab_fn),
            "spans": n}


def _f1(tp: int, fp: int, fn: int) -> float:
    from ..scoring import prf

    return round(prf(tp, fp, tp, fn)[2], 4)


# ------------------------------------------------------------------------ allergy gold
class AllergyRecord:
    """One note of the allergy gold: text, and spans (regions, allergens, reaction pairs,
    ignore, candidate input mentions) that a perturbation maps."""

    def __init__(self, id: str, text: str, status: str | None, regions, allergens, reactions, ignore, inputs):
        self.id, self.text, self.status = id, text, status
        self.regions = [tuple(x) for x in regions]
        self.allergens = [tuple(x) for x in allergens]
        self.reactions = [(tuple(a), tuple(b)) for a, b in reactions]
        self.ignore = [tuple(x) for x in ignore]
        self.inputs = [tuple(x) for x in inputs]

    def perturbed(self, name: str) -> AllergyRecord:
        text, m = perturb_text(self.text, name)
        return AllergyRecord(
            f"{self.id}~{name}", text, self.status,
            [m.span(*x) for x in self.regions], [m.span(*x) for x in self.allergens],
            [(m.span(*a), m.span(*b)) for a, b in self.reactions], [m.span(*x) for x in self.ignore],
            [(*m.span(s, e), lab) for s, e, lab in self.inputs])


def sealed_batches(header: dict[str, Any]) -> frozenset[str]:
    """The batches a gold file's header line keeps sealed (``{"_about": ..., "sealed":
    ["fresh6"]}``): blind batches, annotated and not yet scored. Reading "every batch"
    leaves them out; only naming one scores it (once, by whoever releases the numbers)."""
    return frozenset(header.get("sealed", ()))


def read_allergy_gold(path: str | Path, notes_dir: str | Path, batch: str | None = None) -> list[AllergyRecord]:
    """Records of the allergy gold file; note texts are read from ``notes_dir``. ``batch``
    None reads every batch but the sealed ones (:func:`sealed_batches`)."""
    out = []
    notes = Path(notes_dir)
    sealed: frozenset[str] = frozenset()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        if "_about" in g:
            sealed = sealed_batches(g)
        if "file" not in g or (batch is not None and g.get("batch") != batch):
            continue
        if batch is None and g.get("batch") in sealed:
            continue
        f = notes / g["file"]
        if not f.is_file():
            raise InputError(f"allergy gold names a note that is not in {notes}: {g['file']}")
        out.append(AllergyRecord(g["file"], f.read_text(encoding="utf-8"), g.get("status"), g["regions"],
                                 g["allergens"], g["reactions"], g["ignore"], g["input"]))
    return out


def _inside(span, regions, ignore) -> bool:
    s, e = span
    if any(s < b and a < e for a, b in ignore):
        return False
    return any(a <= s and e <= b for a, b in regions)


def score_allergy(records: Sequence[AllergyRecord]) -> dict[str, float]:
    """Allergen / reaction-link F1 (strict spans inside the scored regions) and status accuracy."""
    from ..assertion import AssertionStage
    from ..model import Document, Entity
    from ..relations import RelationStage
    from ..sections import SectionStage

    stages: list[Callable[[Any], Any]] = [SectionStage(), AssertionStage(), RelationStage()]
    a = [0, 0, 0]
    r = [0, 0, 0]
    ok = 0
    for g in records:
        ents = tuple(Entity(lab, s, e, g.text[s:e]) for s, e, lab in g.inputs)
        doc = Document(text=g.text, entities=ents)
        for st in stages:
            doc = st(doc)
        pred = {(e.start, e.end) for e in doc.entities_of("ALLERGEN") if _inside((e.start, e.end), g.regions, g.ignore)}
        gold = set(g.allergens)
        links = {((e.start, e.end), (x.start, x.end)) for e in doc.entities_of("ALLERGEN") for x in e.attributes
                 if x.label == "REACTION" and _inside((e.start, e.end), g.regions, g.ignore)
                 and _inside((x.start, x.end), g.regions, g.ignore)}
        glinks = set(g.reactions)
        for acc, p, q in ((a, pred, gold), (r, links, glinks)):
            acc[0] += len(p & q)
            acc[1] += len(p - q)
            acc[2] += len(q - p)
        ok += doc.allergy_status == g.status

    def f1(c: list[int]) -> float:
        return round(2 * c[0] / (2 * c[0] + c[1] + c[2]), 4) if c[0] else 0.0

    return {"ALLERGEN F1": f1(a), "REACTION link F1": f1(r),
            "status accuracy": round(ok / len(records), 4) if records else 0.0, "notes": len(records)}


# ------------------------------------------------------------------------ harness
def run_harness(records: Sequence[Any], perturbations: Sequence[str], scorer: Callable[[list[Any]], dict[str, float]],
                perturb: Callable[[Any, str], list[Any]] | None = None) -> dict:
    """Scores clean and under each perturbation: ``{"clean": metrics, name: metrics, ...}``."""
    perturb = perturb or perturb_doc
    out = {"clean": scorer(list(records))}
    for name in perturbations:
        out[name] = scorer([p for r in records for p in perturb(r, name)])
    return out


def run_framings(records: Sequence[Any], framings: int, scorer: Callable[[list[Any]], dict[str, float]],
                 set_shift: Callable[[int], None], step: int) -> dict:
    """Scores under ``framings`` framings of the tagger's windows: ``clean`` (the shipped
    framing), then every seam moved ``k * step`` pieces left (``set_shift(k * step)``), and
    their mean. How much a score moves between framings is noise no model comparison at one
    framing can see (docs/benchmarks.md, issue 20)."""
    if framings < 2:
        raise InputError("--framings needs at least 2 framings")
    out: dict[str, dict[str, float]] = {}
    try:
        for k in range(framings):
            set_shift(k * step)
            out["clean" if k == 0 else f"shift {k * step}"] = scorer(list(records))
    finally:
        set_shift(0)
    runs = list(out.values())
    out[f"mean of {framings}"] = {m: round(sum(r[m] for r in runs) / len(runs), 4) for m in runs[0]
                                  if all(isinstance(r.get(m), (int, float)) for r in runs)}
    return out


def perturb_allergy(rec: AllergyRecord, name: str) -> list[AllergyRecord]:
    if name == UNIT_PERTURBATION:
        raise InputError("units-alone applies to --task ner and negation on a corpus with annotation units "
                         "(--corpus glaucoma)")
    if name == "sentence-alone":
        raise InputError("--task allergy scores whole notes (allergy tables span sentences); "
                         "sentence-alone applies to --task ner and negation")
    return [rec.perturbed(name)]


def perturb_phi(rec: dict, name: str) -> list[dict]:
    """A PHI gold record (``text``, ``phi``, ``ignore``, ``protect``) under perturbation ``name``,
    every range mapped exactly; ``sentence-alone`` gives one record per sentence, a PHI span cut
    by the sentence end becoming an ``ignore`` range of each piece it touches."""
    text = rec["text"]
    phi = [(int(g["start"]), int(g["end"]), g) for g in rec.get("phi", ())]
    ignore = [(int(a), int(b)) for a, b, *_ in rec.get("ignore", ())]
    protect = [(int(a), int(b), list(rest)) for a, b, *rest in rec.get("protect", ())]
    rid = str(rec.get("id", ""))
    if name == UNIT_PERTURBATION:
        raise InputError("units-alone applies to --task ner and negation on a corpus with annotation units "
                         "(--corpus glaucoma), not to --task phi")
    if name == "sentence-alone":
        out = []
        for k, (a, b) in enumerate(sentence_cuts(text)):
            p = [{**g, "start": s - a, "end": e - a} for s, e, g in phi if a <= s and e <= b]
            ig = [[max(s, a) - a, min(e, b) - a] for s, e, _ in phi if s < b and a < e and not (a <= s and e <= b)]
            ig += [[max(s, a) - a, min(e, b) - a] for s, e in ignore if s < b and a < e]
            pr = [[max(s, a) - a, min(e, b) - a, *rest] for s, e, rest in protect if s < b and a < e]
            out.append({**rec, "id": f"{rid}#s{k}", "text": text[a:b], "phi": p, "ignore": ig, "protect": pr})
        return out
    new, m = perturb_text(text, name)
    # text inserted inside a PHI span (a bullet before a line of an address) is not PHI: ignored
    inserted = [[m.ends[i], m.starts[i]] for s, e, _ in phi for i in range(s + 1, e) if m.starts[i] > m.ends[i]]
    return [{**rec, "id": f"{rid}~{name}", "text": new,
             "phi": [{**g, "start": x, "end": y} for s, e, g in phi for x, y in [m.span(s, e)]],
             "ignore": [list(m.span(s, e)) for s, e in ignore] + inserted,
             "protect": [[*m.span(s, e), *rest] for s, e, rest in protect]}]


def phi_scorer(stage: Callable[[Any], Any], types: Sequence[str] = ()) -> Callable[[list[dict]], dict[str, float]]:
    """A scorer of PHI records through ``stage`` (a de-identification stage or pipeline):
    span recall overall and per type (``types``: which; default every type in the report),
    character recall / precision, PHI-free sentences flagged, protected characters redacted."""
    from ..deid.evaluate import evaluate_phi

    def score(records: list[dict]) -> dict[str, float]:
        rep = evaluate_phi(records, stage)
        out: dict[str, float] = {"span recall": rep["span_recall"] or 0.0}
        for t, row in rep["per_type"].items():
            if (not types or t in types) and row["recall"] is not None:
                out[f"{t} recall"] = row["recall"]
        out["char recall"] = rep["char_recall"] or 0.0
        out["char precision"] = rep["char_precision"] if rep["char_precision"] is not None else 1.0
        if rep["phi_free_sentences"]:
            out["PHI-free sentences flagged"] = round(rep["flagged_phi_free_sentences"] / rep["phi_free_sentences"], 4)
        if rep["over_redaction"]:
            out["clinical chars redacted"] = rep["over_redaction"]["rate"]
        out["spans"] = rep["gold_spans"]
        out["notes"] = rep["documents"]
        return out

    return score


def format_harness(res: dict, counts: Sequence[str] = ("spans", "notes")) -> str:
    """A table: one row per metric, one column per perturbation (score and drop from clean)."""
    names = list(res)
    metrics = [k for k in res["clean"] if k not in counts]
    head = f"{'metric':<26}" + "".join(f"{n:>16}" for n in names)
    lines = [head]
    for k in metrics:
        clean = res["clean"].get(k)
        cells = []
        for n in names:
            v = res[n].get(k)
            if v is None:
                cells.append(f"{'-':>16}")
            elif n == "clean" or clean is None:
                cells.append(f"{v:>16.3f}")
            else:
                cells.append(f"{v:>8.3f} ({v - clean:+.3f})")
        lines.append(f"{k:<26}" + "".join(cells))
    return "\n".join(lines)

