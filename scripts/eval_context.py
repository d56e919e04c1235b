#!/usr/bin/env python
"""Dev measurements of the clinical-context stages (sections, assertion, relations).

    python scripts/eval_context.py                      # everything, data from ../shared/data
    python scripts/eval_context.py --data /path/to/data --only negation --split dev-test
    python scripts/eval_context.py --errors 20          # print errors with their sentence (shared dev data) to stderr

What it measures (input = GOLD entity spans, so the numbers are about these stages alone,
not about NER):

* ``negation``: MACCROBAT Sign_symptom / Disease_disorder spans; gold negated = the event
  carries ``POLARITY NEG``. Prediction = ``assertion_of(text, start, end).negated``.
  Spans with ``POLARITY MAYBE_NEG``/``MAYBE_POS`` are left out (the corpus itself is unsure).
  Also reports ``POLARITY UNCERTAIN`` recall of the ``uncertain`` flag.
* ``linking``: MACCROBAT Dosage / Administration (and Frequency / Duration) entities with a
  ``MODIFY`` relation to a Medication; prediction = the medication chosen by
  :func:`ehrnlp.relations.link_medication_attributes`, given gold Medication and attribute
  spans. Correct when it is one of the gold targets.
* ``allergy``: Glaucoma notes hand-annotated in ``tests/data/glaucoma_allergy_gold.jsonl``
  (offsets and labels only; the text is read from the shared data). The whole pipeline
  section of interest runs: sections -> relations (allergens/reactions from the gold file's
  *candidate* spans relabelled and linked by the stage) -- see docs/context.md.

Splits: ``dev-test`` uses the project's fixed split (``ehrnlp/training/splits.json``) without
its lockbox slice, ``lockbox`` that slice alone (scored once per release, never to choose),
``train`` the rest, ``all`` every document. Rules were developed looking at ``train`` documents.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ehrnlp.assertion import _Context, _default_rules
from ehrnlp.model import Document, Entity
from ehrnlp.relations import RelationStage, link_medication_attributes
from ehrnlp.sections import SectionStage
from ehrnlp.training.harness import sealed_batches

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
GOLD_ALLERGY = REPO / "tests" / "data" / "glaucoma_allergy_gold.jsonl"

LABEL_MAP = {"Sign_symptom": "SYMPTOM", "Disease_disorder": "PROBLEM", "Medication": "MEDICATION",
             "Dosage": "DOSE", "Administration": "ROUTE", "Frequency": "FREQUENCY", "Duration": "DURATION"}


@dataclass
class BratDoc:
    id: str
    text: str
    spans: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # T id -> (type, start, end)
    events: dict[str, str] = field(default_factory=dict)  # E id -> T id
    attrs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # T id -> {"NEG", ...}
    modify: list[tuple[str, str]] = field(default_factory=list)  # (arg1 T, arg2 T)


def read_brat(txt: Path) -> BratDoc:
    doc = BratDoc(txt.stem, txt.read_text(encoding="utf-8"))
    ann = txt.with_suffix(".ann")
    raw_rel: list[tuple[str, str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        tag = parts[0]
        if tag.startswith("T"):
            typ, *offs = parts[1].split(" ")
            # discontinuous spans "a b;c d": keep the whole extent
            nums = [int(x) for x in " ".join(offs).replace(";", " ").split()]
            doc.spans[tag] = (typ, min(nums), max(nums))
        elif tag.startswith("E"):
            trig = parts[1].split()[0].split(":")[1]
            doc.events[tag] = trig
        elif tag.startswith("A"):
            f = parts[1].split()
            if len(f) == 3 and f[0] == "POLARITY":
                doc.attrs[f[1]].add(f[2])
        elif tag.startswith("R"):
            f = parts[1].split()
            if f[0] == "MODIFY":
                raw_rel.append((f[1].split(":")[1], f[2].split(":")[1]))
    # resolve events to triggers
    doc.attrs = defaultdict(set, {doc.events.get(k, k): v for k, v in doc.attrs.items()})
    doc.modify = [(doc.events.get(a, a), doc.events.get(b, b)) for a, b in raw_rel]
    return doc


def split_ids(corpus: str, split: str) -> set[str] | None:
    """Note ids of ``split``; ``dev-test`` leaves out the corpus's lockbox slice (as ``ehrnlp
    evaluate`` does), ``lockbox`` is that slice alone, ``train`` is the complement of dev-test."""
    if split == "all":
        return None
    data = json.loads((resources.files("ehrnlp") / "training" / "splits.json").read_text(encoding="utf-8"))
    entry = data["corpora"][corpus]
    dev_test = {x.split("-", 1)[1] for x in entry.get("dev-test", [])}
    locked = {x.split("-", 1)[1] for x in entry.get("lockbox", [])}
    if split == "train":
        return {"__complement__", *dev_test}
    if split == "lockbox":
        return locked
    return dev_test - locked


def maccrobat_docs(data: Path, split: str) -> list[BratDoc]:
    folder = data / "maccrobat"
    ids = split_ids("maccrobat", split)
    out = []
    for txt in sorted(folder.glob("*.txt")):
        if ids is not None:
            if "__complement__" in ids:
                if txt.stem in ids:
                    continue
            elif txt.stem not in ids:
                continue
        out.append(read_brat(txt))
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def eval_negation(docs: list[BratDoc], show_errors: int = 0) -> dict:
    rules = _default_rules()
    tp = fp = fn = tn = 0
    unc_tp = unc_fn = unc_fp = 0
    neg_as_resolved = 0
    ab = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}  # NEG read as "absent now": negated or resolved
    skipped = 0
    errors = []
    for d in docs:
        ctx = _Context(d.text, rules)
        for tid, (typ, s, e) in d.spans.items():
            if typ not in ("Sign_symptom", "Disease_disorder"):
                continue
            pol = d.attrs.get(tid, set())
            if pol & {"MAYBE_NEG", "MAYBE_POS"}:
                skipped += 1
                continue
            gold = "NEG" in pol
            flags = ctx.flags(s, e, LABEL_MAP[typ])
            pred = bool(flags.get("negated"))
            absent = pred or bool(flags.get("resolved"))
            ab["tp" if gold and absent else "fn" if gold else "fp" if absent else "tn"] += 1
            if gold and pred:
                tp += 1
            elif gold:
                fn += 1
                neg_as_resolved += bool(flags.get("historical") or flags.get("resolved"))
                errors.append(("FN", d.id, s, e))
            elif pred:
                fp += 1
                errors.append(("FP", d.id, s, e))
            else:
                tn += 1
            gu = "UNCERTAIN" in pol
            pu = bool(flags.get("uncertain"))
            unc_tp += gu and pu
            unc_fn += gu and not pu
            unc_fp += pu and not gu
    n = tp + fp + fn + tn
    p, r, f = prf(tp, fp, fn)
    up, ur, uf = prf(unc_tp, unc_fp, unc_fn)
    if show_errors:
        by_id = {d.id: d for d in docs}
        for kind, did, s, e in errors[:show_errors]:
            t = by_id[did].text
            lo = t.rfind("\n", 0, s) + 1
            hi = t.find("\n", e)
            hi = len(t) if hi < 0 else hi
            # debugging aid for developers on the open corpus; never logged by the library
            print(f"{kind} {did} {s}-{e}: {t[lo:s]}[[{t[s:e]}]]{t[e:hi]}", file=sys.stderr)
    return {
        "docs": len(docs), "spans": n, "gold_negated": tp + fn, "skipped_maybe": skipped,
        "accuracy": (tp + tn) / n if n else 0.0, "neg_precision": p, "neg_recall": r, "neg_f1": f,
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        # gold NEG spans we flag historical instead ("her tachycardia resolved"): by design
        # a resolved finding is historical (FHIR clinicalStatus resolved), not refuted
        "fn_flagged_historical": neg_as_resolved,
        # MACCROBAT's NEG means "not present" (it marks resolved findings NEG too): the
        # same gold against negated-or-resolved
        "absent_accuracy": (ab["tp"] + ab["tn"]) / n if n else 0.0,
        "absent_f1": prf(ab["tp"], ab["fp"], ab["fn"])[2],
        "uncertain_gold": unc_tp + unc_fn, "uncertain_precision": up, "uncertain_recall": ur,
    }


def eval_linking(docs: list[BratDoc], show_errors: int = 0) -> dict:
    per = Counter()
    good = Counter()
    errors = []
    for d in docs:
        meds = {t for t, (typ, _, _) in d.spans.items() if typ == "Medication"}
        gold: dict[str, set[str]] = defaultdict(set)
        for a, b in d.modify:
            if b in meds and a in d.spans and d.spans[a][0] in ("Dosage", "Administration", "Frequency", "Duration"):
                gold[a].add(b)
        ids: list[str] = []
        ents: list[Entity] = []
        for t, (typ, s, e) in d.spans.items():
            if typ == "Medication" or t in gold or (typ in ("Dosage", "Administration")):
                ids.append(t)
                ents.append(Entity(LABEL_MAP[typ], s, e, d.text[s:e]))
        order = sorted(range(len(ents)), key=lambda i: (ents[i].start, ents[i].end, ents[i].label))
        ents = [ents[i] for i in order]
        ids = [ids[i] for i in order]
        pred = {ids[a]: ids[m] for a, m in link_medication_attributes(d.text, ents)}
        for a, targets in gold.items():
            typ = d.spans[a][0]
            per[typ] += 1
            ok = pred.get(a) in targets
            good[typ] += ok
            if not ok:
                errors.append((d.id, a, pred.get(a), sorted(targets)))
    if show_errors:
        by_id = {d.id: d for d in docs}
        for did, a, p, targets in errors[:show_errors]:
            d = by_id[did]
            s = d.spans[a][1]
            lo = d.text.rfind("\n", 0, s) + 1
            hi = d.text.find("\n", s)
            ptxt = d.text[d.spans[p][1]:d.spans[p][2]] if p else None
            gtxt = [d.text[d.spans[t][1]:d.spans[t][2]] for t in targets]
            print(f"LINK {did} {d.spans[a][0]} '{d.text[d.spans[a][1]:d.spans[a][2]]}' -> {ptxt!r} gold {gtxt} :: {d.text[lo:hi][:300]}", file=sys.stderr)
    dr = per["Dosage"] + per["Administration"]
    return {
        "docs": len(docs),
        "dose_route_linked": dr,
        "dose_route_accuracy": (good["Dosage"] + good["Administration"]) / dr if dr else 0.0,
        **{f"{k.lower()}_n": per[k] for k in sorted(per)},
        **{f"{k.lower()}_accuracy": good[k] / per[k] for k in sorted(per) if per[k]},
    }


def _in_regions(span: tuple[int, int], regions: list[list[int]], ignore: list[list[int]]) -> bool:
    s, e = span
    if any(s < ie and is_ < e for is_, ie in ignore):
        return False
    return any(rs <= s and e <= re_ for rs, re_ in regions)


def _match(pred: set, gold: set, strict: bool) -> tuple[int, int, int]:
    """tp/fp/fn between span sets (strict: equal spans; else any shared character, 1:1)."""
    if strict:
        return len(pred & gold), len(pred - gold), len(gold - pred)
    def ov(a, b):
        if isinstance(a[0], tuple):  # pairs of spans
            return all(ov(x, y) for x, y in zip(a, b))
        return a[0] < b[1] and b[0] < a[1]
    used: set = set()
    tp = 0
    for p in sorted(pred):
        hit = next((g for g in sorted(gold) if g not in used and ov(p, g)), None)
        if hit is not None:
            used.add(hit)
            tp += 1
    return tp, len(pred) - tp, len(gold) - tp


def eval_allergy(data: Path, gold_path: Path, show_errors: int = 0, mode: str = "gold-mentions", batch: str | None = "dev",
                 files: set[str] | None = None) -> dict:
    """Allergens, reaction links and NKA status on hand-annotated Glaucoma notes.

    ``gold-mentions``: the stages get the gold mentions (allergens as MEDICATION, reactions
    as SYMPTOM) plus the frozen rules-NER mentions elsewhere; strict span match.
    ``rules-ner``: the real pipeline with the vocabulary-matcher NER (no de-identification:
    the notes are already masked); overlap match. ``files``: score only these note files
    (``--tie``: the train-tied or untied notes of the batch).
    """
    if not gold_path.is_file():
        return {"error": f"gold file {gold_path} not found"}
    from ehrnlp.assertion import AssertionStage

    notes = data / "glaucoma" / "notes"
    if mode in ("rules-ner", "transformer"):
        import ehrnlp

        backend = "rules" if mode == "rules-ner" else "transformer"
        nlp = ehrnlp.load(deidentify=False, normalize=False, ner={"backend": backend})
    outside = 0
    sealed: frozenset[str] = frozenset()
    stages = [SectionStage(), AssertionStage(), RelationStage()]
    a = Counter()
    r = Counter()
    status_ok = 0
    nka_n = nka_ok = 0
    n = 0
    errors = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        if "_about" in g:
            sealed = sealed_batches(g)
        if "file" not in g or (batch is not None and g.get("batch") not in batch.split(",")):
            continue
        if batch is None and g.get("batch") in sealed:
            continue  # a blind batch is scored only when named
        if files is not None and g["file"] not in files:
            continue
        text = (notes / g["file"]).read_text(encoding="utf-8")
        n += 1
        if mode in ("rules-ner", "transformer"):
            doc = nlp(text)
        else:
            ents = [Entity(lab, s, e, text[s:e]) for s, e, lab in g["input"]]
            doc = Document(text=text, entities=tuple(ents))
            for st in stages:
                doc = st(doc)
        regions, ignore = g["regions"], g["ignore"]
        pred_all = {(e.start, e.end) for e in doc.entities_of("ALLERGEN") if _in_regions((e.start, e.end), regions, ignore)}
        gold_all = {tuple(x) for x in g["allergens"]}
        # allergens outside the hand-checked allergy regions (tables, lists): prose
        # intolerances are right there, exam words / devices / procedures are not
        outside += sum(1 for e in doc.entities_of("ALLERGEN")
                       if not any(rs <= e.start and e.end <= re_ for rs, re_ in regions))
        pred_links = {
            ((e.start, e.end), (x.start, x.end))
            for e in doc.entities_of("ALLERGEN")
            for x in e.attributes
            if x.label == "REACTION" and _in_regions((x.start, x.end), regions, ignore) and _in_regions((e.start, e.end), regions, ignore)
        }
        gold_links = {(tuple(p), tuple(q)) for p, q in g["reactions"]}
        strict = mode == "gold-mentions"
        for k, v in zip(("tp", "fp", "fn"), _match(pred_all, gold_all, strict)):
            a[k] += v
        for k, v in zip(("tp", "fp", "fn"), _match(pred_links, gold_links, strict)):
            r[k] += v
        ok = doc.allergy_status == g["status"]
        status_ok += ok
        if g["status"] == "none-known":
            nka_n += 1
            nka_ok += ok
        if pred_all != gold_all or pred_links != gold_links or not ok:
            def show(spans, text=text):
                return sorted(text[s:e] if isinstance(s, int) else f"{text[s[0]:s[1]]}->{text[e[0]:e[1]]}" for s, e in spans)
            errors.append((g["file"], "FP", show(pred_all - gold_all), "FN", show(gold_all - pred_all),
                           "linkFP", show(pred_links - gold_links), "linkFN", show(gold_links - pred_links),
                           "status", doc.allergy_status, g["status"]))
    for e in errors[:show_errors]:
        # debugging aid on the open corpus (already de-identified); never part of the library
        print("ALLERGY", *e, file=sys.stderr)
    ap, ar, af = prf(a["tp"], a["fp"], a["fn"])
    rp, rr, rf = prf(r["tp"], r["fp"], r["fn"])
    return {"mode": mode, "notes": n, "allergens": a["tp"] + a["fn"], "allergen_precision": ap, "allergen_recall": ar,
            "allergen_f1": af, "reaction_links": r["tp"] + r["fn"], "reaction_link_precision": rp,
            "reaction_link_recall": rr, "reaction_link_f1": rf, "status_correct": status_ok,
            "nka_notes": nka_n, "nka_status_correct": nka_ok, "batch": batch or "all",
            "allergens_outside_regions": outside}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (default ../shared/data)")
    ap.add_argument("--split", default="dev-test", choices=["dev-test", "train", "lockbox", "all"],
                    help="dev-test leaves out the lockbox slice; lockbox scores that slice alone (once per release)")
    ap.add_argument("--transformer", action="store_true",
                    help="allergy: also run the whole pipeline with the transformer NER (slower)")
    ap.add_argument("--only", choices=["negation", "linking", "allergy"], action="append")
    ap.add_argument("--errors", type=int, default=0, help="print this many errors per task to stderr, with the note text around them (shared dev data: read it, never commit it)")
    ap.add_argument("--gold", type=Path, default=GOLD_ALLERGY)
    ap.add_argument("--batch", action="append", type=lambda b: None if b == "all" else b,
                    help="allergy: score only this gold batch (dev, fresh, fresh2, ..., a comma list such as dev,fresh,fresh2, or all; "
                         "repeatable; default: each unsealed batch and all). 'all' leaves out the batches the gold's header "
                         "lists as sealed (blind, not yet scored): a sealed batch is scored only when named")
    ap.add_argument("--tie", choices=["train", "untied", "heldout"],
                    help="allergy: score only the notes tied to a training document (train), to no split document "
                         "(untied) or only to dev-test/val ones (heldout); scripts/allergy_gold.py tie_group")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"shared data folder {args.data} not found; pass --data", file=sys.stderr)
        return 2
    tasks = args.only or ["negation", "linking", "allergy"]
    results = {}
    if "negation" in tasks or "linking" in tasks:
        docs = maccrobat_docs(args.data, args.split)
        if "negation" in tasks:
            results["maccrobat_negation"] = eval_negation(docs, args.errors)
        if "linking" in tasks:
            results["maccrobat_linking"] = eval_linking(docs, args.errors)
    if "allergy" in tasks:
        files = None
        if args.tie:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from allergy_gold import note_splits, tie_group

            ties = note_splits(args.data)
            names = [p.name for p in (args.data / "glaucoma" / "notes").glob("*.txt")]
            files = {f for f in names if tie_group(ties.get(f, set())) == args.tie}
        # None: every batch together ("all")
        for batch in args.batch or ["dev", "fresh", "fresh2", "fresh3", "fresh4", None]:
            key = f"glaucoma_allergy_{batch or 'all'}" + (f"_{args.tie}" if args.tie else "")
            results[key] = eval_allergy(args.data, args.gold, args.errors, batch=batch, files=files)
            results[f"{key}_rules_ner"] = eval_allergy(args.data, args.gold, args.errors, mode="rules-ner", batch=batch,
                                                       files=files)
            if args.transformer:
                results[f"{key}_transformer"] = eval_allergy(
                    args.data, args.gold, args.errors, mode="transformer", batch=batch, files=files
                )
    results["split"] = args.split
    print(json.dumps(results, indent=2, default=lambda x: round(x, 4) if isinstance(x, float) else x))
    return 0


if __name__ == "__main__":
    sys.exit(main())
