#!/usr/bin/env python
"""Tools behind the hand-checked allergy gold (``tests/data/glaucoma_allergy_gold.jsonl``).

    python scripts/allergy_gold.py select [--n 40]          # the fresh2 choice rule, reproducible
    python scripts/allergy_gold.py select --exclude fresh2  # fresh3: what the same rule admits after fresh2
    python scripts/allergy_gold.py select --pool unread     # fresh4, then fresh5 to fresh7: notes never read for the rules
    python scripts/allergy_gold.py input [--batch fresh2]   # rebuild the rows' candidate mentions

``select``: the Glaucoma notes (``glaucoma/notes/<file>``) are real Epic notes; the project's
split (``ehrnlp/training/splits.json``) is over the *sentence-regrouped* documents of
``glaucoma/annotations.jsonl`` (``glaucoma-NNNN``, :func:`ehrnlp.training.corpus.read_glaucoma`),
which do not line up with the note files. A note file is tied to a split document when one of
the document's sentences (whitespace-normalised, at least 25 characters) occurs in that note
file and in no other. A note is eligible for a held-out gold batch when it is tied to at least
one document, every document it is tied to is in ``dev-test`` or ``val`` (none in training),
none is in the ``lockbox`` (scored once per model release, never read), and it is not
already in the gold file. Eligible notes are taken in ``sha256(file name)`` order. This is
``--pool heldout`` (the default); after fresh3 it admits no note any more.

``--pool unread`` (fresh4): every note file tied to no ``lockbox`` document and in *no* gold
batch (``--exclude`` does not apply: every batch of the gold file is left out), whatever
else it is tied to: notes tied to ``train`` documents (also with ``dev-test`` / ``val``
ones) and notes tied to no split document at all. None of them was read while the allergy
rules were written (those were the gold batches). Same ``sha256(file name)`` order.
Each new batch is the first ``--n`` notes the pool admits once the earlier batches are in the
gold file: fresh4 the first 40, fresh5 the next 40 (the first 40 once fresh4 is taken), then
fresh6 and fresh7 the same way.
Caveat: the NER model was trained on the train-tied notes' MEDICATION / FREQUENCY / ROUTE
spans, so the transformer end-to-end allergen number on them may be optimistic; the
gold-mentions mode (the rules alone) is blind either way. ``tie_group`` splits a batch into
``train`` (tied to at least one training document) and ``untied`` notes for that reason.

``input``: the candidate mentions the ``gold-mentions`` scoring mode gives the stages: the
vocabulary-matcher NER's mentions (stages ``sections`` + ``ner`` of
``ehrnlp.load(deidentify=False, normalize=False, ner={"backend": "rules"})``) that overlap no
gold allergen or reaction, plus every gold allergen as MEDICATION and every gold reaction
span as SYMPTOM, sorted by (start, end, label). Once written they are frozen: NER changes do
not move the gold. ``input`` without ``--write`` only reports how far the frozen mentions are
from today's NER.

Prints file names and offsets only, never note text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
GOLD = REPO / "tests" / "data" / "glaucoma_allergy_gold.jsonl"
MIN_SENTENCE = 25


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def note_splits(data: Path) -> dict[str, set[str]]:
    """Note file name -> the split names of the regrouped documents tied to it."""
    from ehrnlp.training.corpus import read_glaucoma

    notes = {p.name: _norm(p.read_text(encoding="utf-8")) for p in sorted((data / "glaucoma" / "notes").glob("*.txt"))}
    split = json.loads((resources.files("ehrnlp") / "training" / "splits.json").read_text(encoding="utf-8"))
    of: dict[str, set[str]] = defaultdict(set)
    for name, ids in split["corpora"]["glaucoma"].items():
        for i in ids:
            of[i].add(name)
    out: dict[str, set[str]] = defaultdict(set)
    for doc in read_glaucoma(data / "glaucoma" / "annotations.jsonl"):
        kinds = of.get(doc.id) or {"train"}
        for line in doc.text.split("\n"):
            sent = _norm(line)
            if len(sent) < MIN_SENTENCE:
                continue
            hits = [f for f, t in notes.items() if sent in t]
            if len(hits) == 1:
                out[hits[0]] |= kinds
    return dict(out)


POOLS = ("heldout", "unread")


def tie_group(kinds: set[str]) -> str:
    """``train`` (tied to a training document), ``untied`` (to no split document) or
    ``heldout`` (only to dev-test / val / lockbox documents)."""
    if "train" in kinds:
        return "train"
    return "heldout" if kinds else "untied"


def eligible(data: Path, taken: set[str], pool: str = "heldout") -> list[str]:
    """Notes of ``pool`` not in ``taken``, in sha256(file name) order.

    ``heldout``: tied to at least one split document, all of them dev-test / val (so none in
    training and none in the lockbox). ``unread``: tied to no lockbox document, whatever else
    (untied notes included); the caller passes every gold file as ``taken``.
    """
    if pool not in POOLS:
        raise ValueError(f"unknown pool {pool!r}; choose one of {', '.join(POOLS)}")
    splits = note_splits(data)
    if pool == "heldout":
        ok = [f for f, kinds in splits.items() if kinds <= {"dev-test", "val"} and f not in taken]
    else:
        names = sorted(p.name for p in (data / "glaucoma" / "notes").glob("*.txt"))
        ok = [f for f in names if "lockbox" not in splits.get(f, set()) and f not in taken]
    return sorted(ok, key=lambda f: hashlib.sha256(f.encode()).hexdigest())


def build_input(text: str, allergens: list[list[int]], reactions: list[list[list[int]]]) -> list[list]:
    import ehrnlp
    from ehrnlp.model import Document

    nlp = _rules_pipeline(ehrnlp)
    doc = Document(text=text)
    for stage in nlp.stages:
        if stage.name in ("sections", "ner"):
            doc = stage(doc)
    gold = [(s, e, "MEDICATION") for s, e in allergens]
    gold += [(s, e, "SYMPTOM") for s, e in sorted({tuple(x) for _, x in reactions})]
    spans = [(s, e) for s, e, _ in gold]
    ner = [(e.start, e.end, e.label) for e in doc.entities
           if not any(e.start < b and a < e.end for a, b in spans)]
    return [list(m) for m in sorted(set(ner) | set(gold), key=lambda m: (m[0], m[1], m[2]))]


_NLP: dict[str, object] = {}


def _rules_pipeline(ehrnlp):  # type: ignore[no-untyped-def]
    if "rules" not in _NLP:
        _NLP["rules"] = ehrnlp.load(deidentify=False, normalize=False, ner={"backend": "rules"})
    return _NLP["rules"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (default ../shared/data)")
    ap.add_argument("--gold", type=Path, default=GOLD)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sel = sub.add_parser("select", help="list the eligible held-out notes in sha256 order")
    sel.add_argument("--n", type=int, default=40)
    sel.add_argument("--exclude", action="append", default=["dev", "fresh"],
                     help="heldout pool: also leave out the notes of this gold batch (dev and fresh always are, as when fresh2 was chosen)")
    sel.add_argument("--pool", choices=POOLS, default="heldout",
                     help="heldout: tied only to dev-test/val documents (fresh2, fresh3); unread: tied to no lockbox "
                          "document and in no gold batch, train-tied and untied notes included (fresh4)")
    inp = sub.add_parser("input", help="rebuild `input` of the gold rows of one batch")
    inp.add_argument("--batch", default="fresh2")
    inp.add_argument("--write", action="store_true", help="write the rebuilt mentions into the gold file")
    args = ap.parse_args(argv)
    if not (args.data / "glaucoma" / "notes").is_dir():
        print(f"shared data folder {args.data} not found; pass --data", file=sys.stderr)
        return 2
    lines = args.gold.read_text(encoding="utf-8").splitlines()
    if args.cmd == "select":
        rows = [json.loads(x) for x in lines if x.strip()]
        if args.pool == "unread":
            taken = {r["file"] for r in rows if "file" in r}
        else:
            taken = {r["file"] for r in rows if r.get("batch") in set(args.exclude)}
        files = eligible(args.data, taken, args.pool)
        chosen = files[: args.n]
        splits = note_splits(args.data)
        groups = {f: tie_group(splits.get(f, set())) for f in chosen}
        print(json.dumps({"pool": args.pool, "eligible": len(files), "chosen": chosen,
                          "tie": dict(Counter(groups.values())), "tie_of": groups}, indent=1))
        return 0
    out, same, total = [], 0, 0
    notes = args.data / "glaucoma" / "notes"
    for line in lines:
        row = json.loads(line) if line.strip() else None
        if row and row.get("batch") == args.batch:
            text = (notes / row["file"]).read_text(encoding="utf-8")
            new = build_input(text, row["allergens"], row["reactions"])
            old = {tuple(m) for m in row["input"]}
            same += len(old & {tuple(m) for m in new})
            total += len(old | {tuple(m) for m in new})
            row["input"] = new
            line = json.dumps(row)
        out.append(line)
    print(json.dumps({"batch": args.batch, "mentions_equal": same, "mentions_either": total}))
    if args.write:
        args.gold.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
