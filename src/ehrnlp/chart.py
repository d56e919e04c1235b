"""``ehrnlp evaluate --task chart BULK_DIR``: extracted codes against the patient's chart.

A FHIR Bulk export (Synthea's, for example) holds clinical notes (DocumentReference) beside
the structured resources they were written from. This evaluation converts every note with
the pipeline, collects per patient the codes ehrnlp extracted, and compares them with the
patient's structured codes, per resource type and per code system:

* **Condition** - chart: ``Condition.code``; extracted: the ``Condition`` resources;
* **medication** - chart: ``MedicationRequest`` / ``MedicationStatement`` codes;
  extracted: ``MedicationStatement`` / ``MedicationRequest`` resources;
* **allergy** - chart and extracted: ``AllergyIntolerance.code``.

Left out on both sides: refuted and entered-in-error resources, family history (ehrnlp emits
it as ``FamilyMemberHistory``, never ``Condition``) and "no known allergy" codes.

Counting is at the patient level (a patient's repeated mentions count once):

* a chart code is *matched* when some extracted resource of the same type for the same
  patient carries it among its codings (a CodeableConcept with the clinical drug first and
  the ingredient after matches on either);
* an extracted *concept* is the tuple of codings of one extracted resource, once per
  patient; it is correct when one of its codings is a chart code of the patient; its code
  system is that of its first coding. Text-only resources (no coding) are counted apart
  (``uncoded``) and do not enter precision.

Recall = matched chart codes / chart codes; precision = correct concepts / extracted
concepts. Misses (chart codes not found) and false positives are listed by display name.

Conversions are cached per note (``--cache DIR``; key: the note text and the pipeline's
identity) so that re-scoring costs nothing. The cache does not know about code edits in a
development checkout: clear it after changing the pipeline.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["CHART_TYPES", "NKA_CODES", "ChartScore", "chart_codes", "extracted_concepts", "score_chart",
           "evaluate_chart", "format_chart_report"]

log = logging.getLogger("ehrnlp.chart")

#: evaluated resource kinds -> (chart resource types, extracted resource types, code element)
CHART_TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Condition": (("Condition",), ("Condition",)),
    "medication": (("MedicationRequest", "MedicationStatement"), ("MedicationStatement", "MedicationRequest")),
    "allergy": (("AllergyIntolerance",), ("AllergyIntolerance",)),
}
_CODE_ELEMENT = {"Condition": "code", "AllergyIntolerance": "code", "MedicationRequest": "medicationCodeableConcept",
                 "MedicationStatement": "medicationCodeableConcept"}
#: SNOMED CT "no known ... allergy" situations: statements about absence, not allergies
NKA_CODES = frozenset({"716186003", "409137002", "428607008", "429625007", "428197003", "1150002"})
_EXCLUDED_STATUS = frozenset({"refuted", "entered-in-error"})
_SHORT_SYSTEMS = {
    "http://snomed.info/sct": "SNOMED CT",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
    "http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM",
    "http://fdasis.nlm.nih.gov": "UNII",
}

Coding = tuple[str, str]  # (system, code)


def _short(system: str) -> str:
    return _SHORT_SYSTEMS.get(system, system)


def _kind(resource_type: str, *, chart: bool) -> str | None:
    for kind, (chart_types, extracted_types) in CHART_TYPES.items():
        if resource_type in (chart_types if chart else extracted_types):
            return kind
    return None


def _patient(res: Mapping[str, Any]) -> str | None:
    from .fhir.input import patient_key

    ref = (res.get("subject") or res.get("patient") or {})
    return patient_key(ref.get("reference")) if isinstance(ref, Mapping) else None


def _excluded(res: Mapping[str, Any]) -> bool:
    status = res.get("verificationStatus")
    codes = {c.get("code") for c in (status or {}).get("coding", []) if isinstance(c, Mapping)}
    if codes & _EXCLUDED_STATUS or res.get("status") == "entered-in-error":
        return True
    return False


def _codings(res: Mapping[str, Any]) -> list[tuple[Coding, str]]:
    cc = res.get(_CODE_ELEMENT.get(str(res.get("resourceType")), "code")) or {}
    out = []
    for c in cc.get("coding", []) if isinstance(cc, Mapping) else []:
        if isinstance(c, Mapping) and c.get("system") and c.get("code"):
            if c["system"] == "http://snomed.info/sct" and c["code"] in NKA_CODES:
                continue
            out.append(((str(c["system"]), str(c["code"])), str(c.get("display") or cc.get("text") or c["code"])))
    return out


def _is_nka(res: Mapping[str, Any]) -> bool:
    cc = res.get("code") or {}
    return any(isinstance(c, Mapping) and c.get("code") in NKA_CODES for c in cc.get("coding", []))


def _ndjson(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                raise InputError(f"{path.name}:{lineno}: not a JSON object") from None
            if isinstance(obj, dict):
                yield obj


def _files(bulk_dir: Path, resource_type: str) -> list[Path]:
    return sorted(p for p in bulk_dir.iterdir() if p.name.startswith(resource_type + ".") and ".ndjson" in p.name)


def chart_codes(bulk_dir: str | Path) -> dict[str, dict[str, dict[Coding, str]]]:
    """``{kind: {patient: {(system, code): display}}}`` from the structured resources."""
    root = Path(bulk_dir)
    out: dict[str, dict[str, dict[Coding, str]]] = {k: defaultdict(dict) for k in CHART_TYPES}
    for kind, (types, _) in CHART_TYPES.items():
        for rtype in types:
            for path in _files(root, rtype):
                for res in _ndjson(path):
                    if res.get("resourceType") != rtype or _excluded(res) or _is_nka(res):
                        continue
                    patient = _patient(res)
                    if patient is None:
                        continue
                    for coding, display in _codings(res):
                        out[kind][patient].setdefault(coding, display)
    return out


def extracted_concepts(resources: Iterable[Mapping[str, Any]]
                       ) -> dict[str, dict[str, dict[tuple[Coding, ...], str]]]:
    """``{kind: {patient: {codings: text}}}`` from ehrnlp's output resources (text-only
    resources appear with an empty codings tuple, keyed by their text)."""
    out: dict[str, dict[str, dict[tuple[Coding, ...], str]]] = {k: defaultdict(dict) for k in CHART_TYPES}
    for res in resources:
        kind = _kind(str(res.get("resourceType")), chart=False)
        if kind is None or _excluded(res) or _is_nka(res):
            continue
        if kind == "medication" and res.get("status") == "not-taken":
            continue
        patient = _patient(res)
        if patient is None:
            continue
        codings = _codings(res)
        cc = res.get(_CODE_ELEMENT[str(res["resourceType"])]) or {}
        text = str(cc.get("text") or (codings[0][1] if codings else ""))
        key = tuple(c for c, _ in codings) or (("", text.lower()),)
        out[kind][patient].setdefault(key, codings[0][1] if codings else text)
    return out


@dataclass
class ChartScore:
    """Counts of one row (a resource kind and a code system, or all systems)."""

    chart: int = 0
    extracted: int = 0
    matched: int = 0
    correct: int = 0
    uncoded: int = 0
    #: chart codes that ehrnlp's shipped vocabularies do not hold (outside the open sets)
    outside: int = 0
    misses: Counter[str] = field(default_factory=Counter)
    outside_misses: Counter[str] = field(default_factory=Counter)
    false_positives: Counter[str] = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.matched / self.chart if self.chart else 0.0

    @property
    def reachable_recall(self) -> float:
        """Recall over the chart codes the shipped vocabularies hold."""
        reach = self.chart - self.outside
        return self.matched / reach if reach else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 0.0

    def to_dict(self, top: int = 50) -> dict[str, Any]:
        return {"chart": self.chart, "extracted": self.extracted, "matched": self.matched, "correct": self.correct,
                "uncoded": self.uncoded, "recall": round(self.recall, 4), "precision": round(self.precision, 4),
                "outside_vocabulary": self.outside, "reachable_recall": round(self.reachable_recall, 4),
                "misses": dict(self.misses.most_common(top)),
                "misses_outside_vocabulary": dict(self.outside_misses.most_common(top)),
                "false_positives": dict(self.false_positives.most_common(top))}


def score_chart(chart: Mapping[str, Mapping[str, Mapping[Coding, str]]],
                extracted: Mapping[str, Mapping[str, Mapping[tuple[Coding, ...], str]]],
                known: Collection[Coding] | None = None) -> dict[str, dict[str, ChartScore]]:
    """``{kind: {system or "all": ChartScore}}``; see the module docstring for the rules.
    ``known``: the codes ehrnlp can emit at all; chart codes outside it are counted apart."""
    report: dict[str, dict[str, ChartScore]] = {}
    for kind in CHART_TYPES:
        rows: dict[str, ChartScore] = defaultdict(ChartScore)
        patients = set(chart.get(kind, {})) | set(extracted.get(kind, {}))
        for p in sorted(patients):
            gold = chart.get(kind, {}).get(p, {})
            found = extracted.get(kind, {}).get(p, {})
            found_codes = {c for key in found for c in key}
            for coding, display in gold.items():
                for row in (rows["all"], rows[_short(coding[0])]):
                    row.chart += 1
                    if known is not None and coding not in known:
                        row.outside += 1
                    if coding in found_codes:
                        row.matched += 1
                    else:
                        row.misses[display] += 1
                        if known is not None and coding not in known:
                            row.outside_misses[display] += 1
            for key, display in found.items():
                if not key[0][0]:  # text only
                    rows["all"].uncoded += 1
                    continue
                ok = any(c in gold for c in key)
                for row in (rows["all"], rows[_short(key[0][0])]):
                    row.extracted += 1
                    if ok:
                        row.correct += 1
                    else:
                        row.false_positives[display] += 1
        report[kind] = dict(rows)
    return report


def known_codes(nlp: Any = None) -> set[Coding]:
    """Every code ehrnlp can emit: the pipeline's vocabulary (else the bundled one) and the
    clinical drug table (:mod:`ehrnlp.rxdrug`)."""
    from .rxdrug import load_clinical_drugs
    from .terminology import RXNORM

    vocabulary = None
    ctx = getattr(nlp, "_context", None)
    if ctx is not None:
        vocabulary = ctx.vocabulary
    if vocabulary is None:
        from .vocab import load_vocabulary

        vocabulary = load_vocabulary()
    out = {(e.system, e.code) for e in vocabulary.entries if e.code}
    drugs = load_clinical_drugs()
    if drugs is not None:
        out |= {(RXNORM, rxcui) for rxcui in drugs.rxcuis}
    return out


# ------------------------------------------------------------------------ converting
def _fingerprint(nlp: Any) -> str:
    from . import __version__

    parts = [__version__, ",".join(nlp.stage_names)]
    for st in nlp.stages if hasattr(nlp, "stages") else []:
        parts.append(str(getattr(st, "version", "")))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def convert_bulk(bulk_dir: str | Path, nlp: Any, *, cache: str | Path | None = None,
                 progress: bool = False) -> tuple[list[dict[str, Any]], int, int]:
    """Every DocumentReference note of the export through ``nlp``; returns (resources, notes,
    failed notes). Failed notes are logged by id, never by text."""
    from .conversion import note_to_resources
    from .fhir.input import read_bulk_ndjson

    root = Path(bulk_dir)
    docs = _files(root, "DocumentReference")
    if not docs:
        raise InputError(f"{root}: no DocumentReference NDJSON file (DocumentReference.*.ndjson) in the export")
    cache_dir = Path(cache) if cache else None
    fp = _fingerprint(nlp)
    if cache_dir:
        cache_dir.mkdir(parents=True, exist_ok=True)
    resources: list[dict[str, Any]] = []
    n = failed = 0
    for path in docs:
        for note in read_bulk_ndjson(path, on_error="skip"):
            n += 1
            cached = None
            if cache_dir is not None:
                key = hashlib.sha256(f"{fp}|{note.patient}|{note.id}|{note.text}".encode()).hexdigest()
                cfile = cache_dir / f"{key}.json"
                if cfile.is_file():
                    cached = json.loads(cfile.read_text("utf-8"))
            if cached is None:
                _, res = note_to_resources(nlp, note, recorded="2000-01-01T00:00:00Z")
                # keep only what is scored (small cache, no note text beyond the mention texts)
                cached = [r for r in res if _kind(str(r.get("resourceType")), chart=False) or
                          r.get("resourceType") == "OperationOutcome"]
                if cache_dir is not None:
                    cfile.write_text(json.dumps(cached), "utf-8")
            if any(r.get("resourceType") == "OperationOutcome" for r in cached):
                failed += 1
                log.warning("note %s failed to convert", note.id)
            resources.extend(r for r in cached if r.get("resourceType") != "OperationOutcome")
            if progress and n % 100 == 0:
                log.info("%d notes converted", n)
    return resources, n, failed


def evaluate_chart(bulk_dir: str | Path, nlp: Any = None, *, cache: str | Path | None = None,
                   deidentify: bool = False, top: int = 50) -> dict[str, Any]:
    """Convert the export's notes and score them against its structured resources."""
    root = Path(bulk_dir)
    if not root.is_dir():
        raise InputError(f"Bulk export folder not found: {root}")
    if nlp is None:
        from .pipeline import load

        nlp = load(deidentify=deidentify)
    chart = chart_codes(root)
    if not any(chart.values()):
        raise InputError(f"{root}: no Condition, MedicationRequest or AllergyIntolerance resources to compare with")
    resources, n, failed = convert_bulk(root, nlp, cache=cache, progress=True)
    scores = score_chart(chart, extracted_concepts(resources), known_codes(nlp))
    return {
        "notes": n,
        "failed_notes": failed,
        "patients": len({p for kind in chart.values() for p in kind}),
        "pipeline": list(nlp.stage_names),
        "scores": {kind: {system: s.to_dict(top) for system, s in sorted(rows.items(), key=lambda kv: kv[0] != "all")}
                   for kind, rows in scores.items()},
    }


def format_chart_report(rep: dict[str, Any], misses: int = 15) -> str:
    lines = [f"{rep['notes']} notes ({rep['failed_notes']} failed), {rep['patients']} patients; "
             f"patient-level codes, refuted / family-history / no-known-allergy left out", "",
             "| resource | code system | chart codes | extracted | matched | recall | precision | "
             "outside vocab | recall of the rest |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind, rows in rep["scores"].items():
        for system, s in rows.items():
            lines.append(f"| {kind} | {system} | {s['chart']} | {s['extracted']} | {s['matched']} | "
                         f"{s['recall']:.2f} | {s['precision']:.2f} | {s.get('outside_vocabulary', 0)} | "
                         f"{s.get('reachable_recall', 0.0):.2f} |")
    for kind, rows in rep["scores"].items():
        s = rows.get("all")
        if not s:
            continue
        if s["misses"]:
            outside = s.get("misses_outside_vocabulary", {})
            lines += ["", f"{kind}: chart codes not found (patients; * = not in ehrnlp's open vocabularies)"]
            lines += [f"  {n:>3}  {d}{' *' if d in outside else ''}" for d, n in list(s["misses"].items())[:misses]]
        if s["false_positives"]:
            lines += ["", f"{kind}: extracted codes not in the chart (patients)"]
            lines += [f"  {n:>3}  {d}" for d, n in list(s["false_positives"].items())[:misses]]
        if s["uncoded"]:
            lines.append(f"{kind}: {s['uncoded']} text-only concepts (no code) not scored")
    return "\n".join(lines)
