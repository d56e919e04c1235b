"""``ehrnlp evaluate``: strict and overlap precision/recall/F1 per label and per source.

    ehrnlp evaluate --task ner GOLD.jsonl [--model PATH] [--backend rules|transformer] [--json]
    ehrnlp evaluate --task ner --corpus maccrobat --split dev-test [--data-root ../shared/data]
    ehrnlp evaluate --task ner --corpus synthetic-allergy
    ehrnlp evaluate --task phi GOLD.jsonl
    ehrnlp evaluate --task chart BULK_DIR [--cache DIR]   (codes against the chart, ehrnlp.chart)
    ehrnlp evaluate --corpus glaucoma --perturb all --limit 20      layout invariance
    ehrnlp evaluate --task negation --corpus maccrobat --perturb spaces3
    ehrnlp evaluate --task allergy tests/data/glaucoma_allergy_gold.jsonl --perturb all

``--split dev-test`` leaves out each corpus's lockbox slice (``splits.json``); ``--lockbox``
scores that slice alone (once per model release, never to choose anything).

Scoring rules (pure functions, :func:`score_document` and :func:`summarize`):

* **strict**: a prediction is correct when a gold span has the same start, end and label;
* **overlap**: a prediction is correct when it shares at least one character with a gold
  span of the same label; a gold span is found when some prediction of its label
  overlaps it (precision counts predictions, recall counts gold spans);
* predictions overlapping an ``ignore`` span are not scored, nor gold spans inside one;
* a record may say which labels its source annotates (``annotated``); predictions of
  other labels are not scored on it (MACCROBAT does not annotate ALLERGEN, for example);
* negation accuracy: over gold spans carrying ``negated`` that an overlapping prediction
  of the same label found, the share whose predicted ``assertion.negated`` agrees.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError
from .scoring import Counts, Span, prf, score_document, summarize

__all__ = ["Span", "Counts", "score_document", "summarize", "prf", "add_arguments", "main", "evaluate_ner"]


# ------------------------------------------------------------------------ running
def _build_stages(model: str | None, backend: str | None, pipeline: bool = False, deidentify: bool = False):
    """NER stage (+ sections and assertion when available) without de-identification;
    ``pipeline``: every stage ``nlp()`` runs but de-identification (relations and
    normalization too: the labels an application gets, ALLERGEN and REACTION included);
    ``deidentify`` (with ``pipeline``): de-identification too, exactly what ``ehrnlp.load()``
    returns (entities are scored at their offsets in the input, ``Document.to_original``)."""
    if pipeline or deidentify:
        from .pipeline import load

        ner: dict[str, str] = {}
        if model:
            ner["model_path"] = model
        if backend:
            ner["backend"] = backend
        return list(load({"ner": ner}, deidentify=deidentify).stages)
    from .config import NerConfig
    from .ner import build_ner_stage
    from .vocab import load_vocabulary

    kwargs = {}
    if backend:
        kwargs["backend"] = backend
    if model:
        kwargs["model_path"] = model
    vocabulary = load_vocabulary()
    stages: list[Any] = []
    try:
        from .sections import SectionStage

        stages.append(SectionStage())
    except Exception:  # noqa: BLE001 - optional stage
        pass
    stages.append(build_ner_stage(NerConfig(**kwargs), vocabulary))
    try:
        from .assertion import AssertionStage

        stages.append(AssertionStage())
    except Exception:  # noqa: BLE001 - optional stage
        pass
    return stages


def _run(stages, texts: list[str], batch_size: int = 16):
    from .model import Document

    docs = [Document(text=t) for t in texts]
    for st in stages:
        if hasattr(st, "pipe"):
            out = []
            for i in range(0, len(docs), batch_size):
                out += st.pipe(docs[i : i + batch_size])
            docs = out
        else:
            docs = [st(d) for d in docs]
    return [_on_input(d) for d in docs]


def _on_input(doc: Any) -> Any:
    """``doc`` with its entities at their offsets in the input text: a de-identified document's
    entities index ``doc.text`` (PHI replaced), the gold indexes the input
    (``Document.to_original``); a clinical word de-identification replaced is lost, and is
    scored as lost."""
    if not doc.phi:
        return doc
    from dataclasses import replace as _replace
    from types import SimpleNamespace

    ents = []
    for e in doc.entities:
        a, b = doc.to_original(e.start, e.end)
        ents.append(_replace(e, start=a, end=b, text=""))
    return SimpleNamespace(entities=ents, phi=doc.phi, text=None)


def evaluate_ner(records, stages=None, *, model: str | None = None, backend: str | None = None,
                 predictions=None, pipeline: bool = False, deidentify: bool = False) -> dict:
    """Score NER on :class:`~ehrnlp.training.corpus.CorpusDoc` records; returns the report dict.

    ``predictions`` (list of lists of ``Span``) skips running a pipeline.
    """
    records = list(records)
    if predictions is None:
        stages = stages or _build_stages(model, backend, pipeline, deidentify)
        docs = _run(stages, [r.text for r in records])
        predictions = [
            [Span(e.start, e.end, e.label, bool(e.assertion.negated)) for e in d.entities] for d in docs
        ]
    by_source: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    overall: dict[str, Counts] = defaultdict(Counts)
    # FINDING: SYMPTOM and PROBLEM type-blind (both become Conditions), for sources that
    # annotate both; reported beside the labels, never inside the micro average
    find_src: dict[str, Counts] = defaultdict(Counts)
    find_all = Counts()
    for r, preds in zip(records, predictions):
        gold = [Span(s.start, s.end, s.label, s.negated) for s in r.spans]
        counts = score_document(gold, preds, ignore=r.ignore, labels=r.annotated)
        for lab, c in counts.items():
            by_source[r.source][lab].add(c)
            overall[lab].add(c)
        if FINDING_LABELS <= set(r.annotated):
            fc = score_document([_as_finding(x) for x in gold], [_as_finding(x) for x in preds],
                                ignore=r.ignore, labels=("FINDING",)).get("FINDING")
            if fc is not None:
                find_src[r.source].add(fc)
                find_all.add(fc)
    summary = summarize(overall)
    per_source = {s: summarize(c) for s, c in sorted(by_source.items())}
    if find_src:
        summary["FINDING"] = summarize({"FINDING": find_all})["labels"]["FINDING"]
        for src, c in find_src.items():
            per_source[src]["FINDING"] = summarize({"FINDING": c})["labels"]["FINDING"]
    return {"documents": len(records), "overall": summary, "by_source": per_source}


FINDING_LABELS = frozenset({"SYMPTOM", "PROBLEM"})


def _as_finding(s: Span) -> Span:
    return Span(s.start, s.end, "FINDING", s.negated) if s.label in FINDING_LABELS else s


def format_report(rep: dict) -> str:
    lines = []
    for src, summ in [("all", rep["overall"])] + list(rep["by_source"].items()):
        if src == "all" and len(rep["by_source"]) <= 1:
            continue
        lines.append(f"== {src} ({rep['documents']} documents)" if src == "all" else f"== source: {src}")
        lines.append(f"{'label':<11} {'support':>7} {'pred':>6}   {'strict P':>8} {'R':>6} {'F1':>6}   "
                     f"{'overlap P':>9} {'R':>6} {'F1':>6}  negation")
        extra = [("FINDING*", summ["FINDING"])] if "FINDING" in summ else []
        for lab, row in list(summ["labels"].items()) + [("micro", summ["micro"])] + extra:
            s, o = row["strict"], row["overlap"]
            neg = f"{row['negation_accuracy']:.3f} (n={row['negation_n']})" if "negation_accuracy" in row else ""
            lines.append(f"{lab:<11} {row['support']:>7} {row['predicted']:>6}   {s['p']:>8.3f} {s['r']:>6.3f} "
                         f"{s['f1']:>6.3f}   {o['p']:>9.3f} {o['r']:>6.3f} {o['f1']:>6.3f}  {neg}")
    if any("FINDING" in summ for summ in [rep["overall"], *rep["by_source"].values()]):
        lines.append("FINDING* = SYMPTOM and PROBLEM type-blind (both become Conditions); not in micro")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- CLI
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("gold", nargs="?", help="gold JSONL file (API.md format); for --task chart, the Bulk export folder")
    parser.add_argument("--task", choices=("ner", "phi", "chart", "negation", "allergy"), default="ner",
                        help="ner: entity spans; negation: the assertion rules on gold SYMPTOM/PROBLEM spans; "
                             "allergy: an allergy gold file (tests/data/glaucoma_allergy_gold.jsonl format); "
                             "chart: extracted codes vs a FHIR Bulk export; phi")
    parser.add_argument("--cache", default=None, help="--task chart: folder caching each note's conversion")
    parser.add_argument("--deidentify", action="store_true",
                        help="--task chart: run de-identification before extraction (off by default); --task ner: "
                             "score what ehrnlp.load() returns, de-identification included (every stage, as "
                             "--stages pipeline; entities scored at their input offsets, so a clinical word "
                             "masked as PHI counts as missed)")
    parser.add_argument("--corpus", choices=("maccrobat", "glaucoma", "ncbi-disease", "synthetic-allergy"),
                        help="evaluate on a shared corpus split instead of a gold file")
    parser.add_argument("--split", default="dev-test", choices=("dev-test", "val", "train", "all"))
    parser.add_argument("--data-root", default=None,
                        help="shared data folder for --corpus (default: $EHRNLP_SHARED_DATA when set, "
                             "else ../shared/data beside the current directory)")
    parser.add_argument("--model", default=None, help="model folder (default: the bundled model)")
    parser.add_argument("--backend", choices=("rules", "transformer", "auto"), default=None)
    parser.add_argument("--stages", choices=("ner", "pipeline"), default="ner",
                        help="--task ner: score the NER stage's labels (sections, ner, assertion; the default) or "
                             "what nlp() returns without de-identification (relations and normalization too: "
                             "ALLERGEN and REACTION as an application gets them)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--perturb", action="append", default=None, metavar="NAME",
                        help="layout-invariance harness: score clean and under perturbation NAME (repeatable, or "
                             "'all'): spaces3, tabs, nbsp, crlf, upper, lower, rewrap60, bullets, embed, sentence-alone; "
                             "units-alone (not in 'all'): each annotation record of --corpus glaucoma alone")
    parser.add_argument("--framings", type=int, default=None, metavar="N",
                        help="--task ner with the transformer: score under N framings of the model's windows "
                             "(every seam moved a fraction of a window) and their mean")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N notes (quick runs)")
    parser.add_argument("--lockbox", action="store_true",
                        help="score the corpus's lockbox slice of dev-test (left out of dev-test otherwise)")
    parser.add_argument("--gold-split", default=None, metavar="NAME",
                        help="--task phi: keep only gold records whose 'split' is NAME (the PHI gold files of "
                             "scripts/build_phi_gold.py: dev or test)")
    parser.add_argument("--notes", default=None,
                        help="--task allergy: folder of the gold's note texts (default: <data-root>/glaucoma/notes)")


def _load_records(args: argparse.Namespace):
    # the corpus readers and generators live in the training package (same wheel, loaded
    # only here); a missing training dependency is a configuration problem, exit 2
    try:
        from .training.corpus import load_corpus, read_gold_jsonl, split_docs
        from .training.paths import DATA_ENV, shared_data_root

        if args.corpus == "synthetic-allergy":
            from .training.synth import generate
    except ModuleNotFoundError as exc:
        raise ConfigError(f"ehrnlp evaluate --task ner needs the training modules ({exc.name} is missing); "
                          'pip install "ehrnlp[train]"') from None

    if args.corpus and args.gold:
        raise InputError("give either a gold file or --corpus, not both")
    if args.corpus == "synthetic-allergy":
        if args.split != "dev-test":
            # the set is one generated held-out draw; scoring it under another split's name
            # would pass dev-test numbers off as val (training's synthetic val notes are drawn
            # inside `ehrnlp train` and scored in its log.jsonl)
            raise InputError(f"--corpus synthetic-allergy has only the held-out draw (--split dev-test), "
                             f"not --split {args.split}")

        return generate(300, seed=20261128, heldout=True)
    if args.corpus:
        root = shared_data_root(args.data_root)
        if not root.is_dir():
            raise InputError(f"shared data folder not found: {root} (pass --data-root or set {DATA_ENV})")
        docs, _ = load_corpus(args.corpus, root)
        docs = split_docs(docs, args.corpus, args.split)
        from .training.corpus import lockbox_ids

        locked = lockbox_ids(args.corpus)
        if getattr(args, "lockbox", False):
            if args.split not in ("dev-test", "all"):
                raise InputError("--lockbox scores the lockbox slice of dev-test; use --split dev-test")
            return [d for d in docs if d.id in locked]
        return [d for d in docs if d.id not in locked] if args.split == "dev-test" else docs
    if not args.gold:
        raise InputError("give a gold JSONL file or --corpus NAME (see ehrnlp evaluate --help)")
    return read_gold_jsonl(args.gold)


def _main_chart(args: argparse.Namespace) -> int:
    from .chart import evaluate_chart, format_chart_report

    if not args.gold:
        raise InputError("--task chart needs the folder of a FHIR Bulk export (DocumentReference, Condition, ... NDJSON)")
    nlp = None
    if args.model or args.backend:
        from .pipeline import load

        ner: dict[str, str] = {}
        if args.model:
            ner["model_path"] = args.model
        if args.backend:
            ner["backend"] = args.backend
        nlp = load({"ner": ner}, deidentify=args.deidentify)
    rep = evaluate_chart(args.gold, nlp, cache=args.cache, deidentify=args.deidentify)
    print(json.dumps(rep, indent=1) if args.json else format_chart_report(rep))
    return 0


def main(args: argparse.Namespace) -> int:
    if args.task == "chart":
        return _main_chart(args)
    if args.task == "phi" and args.perturb:
        return _harness_main(args)
    if args.task == "phi":
        try:
            from .deid.evaluate import evaluate_phi
        except ImportError:
            raise InputError("PHI evaluation (ehrnlp.deid.evaluate.evaluate_phi) is not available in this "
                             "installation yet; use --task ner") from None
        if not args.gold:
            raise InputError("--task phi needs a gold JSONL file with 'phi' spans")
        from .pipeline import load

        records = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
        rep = evaluate_phi(records, load({"ner": {"model_path": args.model}} if args.model else None))
        if args.json:
            print(json.dumps(rep, indent=1))
        else:
            from .deid.evaluate import format_report as format_phi_report

            print(format_phi_report(rep))
        return 0
    if args.framings is not None:
        return _framings_main(args)
    if args.task in ("negation", "allergy") or args.perturb:
        return _harness_main(args)
    records = _load_records(args)
    if args.limit is not None:
        records = records[: args.limit]
    rep = evaluate_ner(records, model=args.model, backend=args.backend, pipeline=args.stages == "pipeline",
                       deidentify=args.deidentify)
    if args.json:
        print(json.dumps(rep, indent=1))
    else:
        print(format_report(rep))
    return 0


def _ner_scorer(stages: list[Any]) -> Callable[[list[Any]], dict[str, float]]:
    from .training import harness

    def ner_scorer(recs: list[Any]) -> dict[str, float]:
        docs = _run(stages, [r.text for r in recs])
        preds = [[Span(e.start, e.end, e.label, bool(e.assertion.negated)) for e in d.entities] for d in docs]
        out = harness.ner_metrics(evaluate_ner(recs, predictions=preds))
        out.update(harness.calibration(recs, docs))  # per granularity: whole notes vs sentences alone
        return out

    return ner_scorer


def _framings_main(args: argparse.Namespace) -> int:
    """``--framings N``: NER scores under N framings of the transformer's windows."""
    from .training import harness

    if args.task != "ner" or args.perturb:
        raise InputError("--framings applies to --task ner without --perturb")
    stages = _build_stages(args.model, args.backend, args.stages == "pipeline", args.deidentify)
    model = next((getattr(st, "model", None) for st in stages if getattr(st, "name", "") == "ner"), None)
    if model is None or not hasattr(model, "framing_shift"):
        raise InputError("--framings needs the transformer backend (the rules backend reads no windows)")
    records = _load_records(args)
    records = records[: args.limit] if args.limit is not None else records

    def set_shift(k: int) -> None:
        model.framing_shift = k

    res = harness.run_framings(records, args.framings, _ner_scorer(stages), set_shift, model.framing_step(args.framings))
    return _print_table(args, res, f"window framings, task ner ({len(records)} documents): score "
                                   "(change from the shipped framing)")


def _print_table(args: argparse.Namespace, res: dict, title: str) -> int:
    """A harness result as JSON (``--json``) or as its table under ``title``."""
    from .training import harness

    if args.json:
        print(json.dumps(res, indent=1))
    else:
        print(f"== {title}")
        print(harness.format_harness(res))
    return 0


def _harness_main(args: argparse.Namespace) -> int:
    """``--task negation|allergy`` and ``--perturb``: the layout-invariance harness."""
    try:
        from .training import harness
        from .training.paths import shared_data_root
    except ModuleNotFoundError as exc:
        raise ConfigError(f"ehrnlp evaluate --perturb needs the training modules ({exc.name} is missing); "
                          'pip install "ehrnlp[train]"') from None
    names = harness.resolve_perturbations(args.perturb or [])
    if args.task == "allergy" and "all" in (args.perturb or []):
        names = [n for n in names if n != "sentence-alone"]  # tables span sentences: 'all' that applies
    if args.task == "allergy":
        if not args.gold:
            raise InputError("--task allergy needs the allergy gold JSONL file")
        notes = Path(args.notes) if args.notes else shared_data_root(args.data_root) / "glaucoma" / "notes"
        if not notes.is_dir():
            raise InputError(f"note folder not found: {notes} (pass --notes or --data-root)")
        records: list[Any] = harness.read_allergy_gold(args.gold, notes)
        records = records[: args.limit] if args.limit is not None else records
        res = harness.run_harness(records, names, harness.score_allergy, harness.perturb_allergy)
    elif args.task == "phi":
        if not args.gold:
            raise InputError("--task phi needs a gold JSONL file with 'phi' spans (scripts/build_phi_gold.py)")
        records = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
        if args.gold_split:
            records = [r for r in records if r.get("split") == args.gold_split]
        records = records[: args.limit] if args.limit is not None else records
        from .config import build_config
        from .deid import DeidStage

        phi_model = None
        if args.model:  # --model: the de-identifier reads that model's NAME/LOCATION tags (as load() would)
            from .ner.tagger import NerModel

            phi_model = NerModel(args.model)
        stage = DeidStage(build_config(None).deid, phi_model=phi_model)
        res = harness.run_harness(records, names, harness.phi_scorer(stage), harness.perturb_phi)
    else:
        records = _load_records(args)
        records = records[: args.limit] if args.limit is not None else records
        scorer: Callable[[list[Any]], dict[str, float]]
        if args.task == "negation":
            scorer = harness.score_negation
        elif args.task == "ner":
            scorer = _ner_scorer(_build_stages(args.model, args.backend, args.stages == "pipeline", args.deidentify))
        else:
            raise InputError("--perturb supports --task ner, negation, allergy and phi")
        res = harness.run_harness(records, names, scorer)
    return _print_table(args, res, f"layout invariance, task {args.task} ({len(records)} documents): "
                                   "score (drop from clean)")


if __name__ == "__main__":  # pragma: no cover
    p = argparse.ArgumentParser(prog="ehrnlp evaluate")
    add_arguments(p)
    sys.exit(main(p.parse_args()))
