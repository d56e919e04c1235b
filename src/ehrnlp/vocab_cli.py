"""``ehrnlp vocab``: look up what a term maps to, and check user vocabulary files.

    ehrnlp vocab lookup "amoxicilin"
    ehrnlp vocab lookup SOB --label SYMPTOM --json
    ehrnlp vocab lookup "Zorvex" --vocab my_formulary.tsv
    ehrnlp vocab check my_formulary.tsv
"""

from __future__ import annotations

import argparse
import json
import sys

from .config import NormalizeConfig
from .model import CLINICAL_LABELS
from .terminology import SYSTEM_NAMES

__all__ = ["add_arguments", "main"]

_SYSTEM_NAMES = SYSTEM_NAMES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="vocab_command", metavar="ACTION")
    lk = sub.add_parser("lookup", help="show the codes a term maps to and how it matched")
    lk.add_argument("term", help="the mention as written, e.g. \"amoxicilin\" or SOB")
    lk.add_argument("--label", type=str.upper, choices=CLINICAL_LABELS,
                    help="the entity label of the mention (default: search every label)")
    lk.add_argument("--vocab", action="append", default=[], metavar="TSV",
                    help="an extra vocabulary TSV (repeatable), as for ehrnlp.load(vocab=[...])")
    lk.add_argument("--fuzzy-cutoff", type=float, default=None, metavar="0-100",
                    help="minimum rapidfuzz similarity for fuzzy matches (default from config: 88)")
    lk.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ck = sub.add_parser("check", help="validate vocabulary TSV files (errors name file, line and problem)")
    ck.add_argument("files", nargs="+", metavar="TSV")


def _lookup(args: argparse.Namespace) -> int:
    from .normalize import NormalizeStage
    from .sig import parse_dose, parse_timing, route_code
    from .vocab import load_vocabulary

    cfg = NormalizeConfig() if args.fuzzy_cutoff is None else NormalizeConfig(fuzzy_cutoff=args.fuzzy_cutoff)
    stage = NormalizeStage(load_vocabulary(args.vocab), cfg)
    m = stage.match(args.term, args.label)
    result: dict = {"term": args.term, "label": args.label, "match": None}
    if m is not None:
        result["match"] = {
            "method": m.method,
            "matched_term": m.term,
            "matched_label": m.matched_label,
            "score": m.score,
            "codes": [
                {**c.to_dict(), "system_name": _SYSTEM_NAMES.get(c.system, c.system)} for c in m.codes
            ],
        }
    if args.label in (None, "FREQUENCY", "DURATION"):
        t = parse_timing(args.term)
        if t:
            result["timing"] = t
    if args.label in (None, "DOSE"):
        d = parse_dose(args.term)
        if d:
            result["dose"] = d
    if args.label in (None, "ROUTE"):
        r = route_code(args.term)
        if r:
            result["route"] = r.to_dict()
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        lines = []
        if m is None:
            lines.append(f"{args.term!r}: no vocabulary match" + (f" for label {args.label}" if args.label else ""))
        else:
            lines.append(
                f"{args.term!r} -> {m.term!r} [{m.matched_label}] by {m.method} match, score {m.score:.3f}"
            )
            if not m.codes:
                lines.append("  (known term without a code: a text-only CodeableConcept)")
            for c in m.codes:
                lines.append(f"  {_SYSTEM_NAMES.get(c.system, c.system):<13} {c.code:<18} {c.display}  (score {c.score:.3f})")
        if "timing" in result:
            lines.append(f"  FHIR Timing.repeat: {json.dumps(result['timing'])}")
        if "dose" in result:
            lines.append(f"  FHIR Quantity: {json.dumps(result['dose'])}")
        if "route" in result:
            r = result["route"]
            lines.append(f"  route: {_SYSTEM_NAMES.get(r['system'], r['system'])} {r['code']} {r['display']}")
        sys.stdout.write("\n".join(lines) + "\n")
    return 0 if (m is not None or len(result) > 3) else 1


def _check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .vocab import _read_tsv

    for f in args.files:
        n = sum(1 for _ in _read_tsv(Path(f)))  # raises VocabError naming file and line
        print(f"{f}: OK, {n} rows")
    return 0


def main(args: argparse.Namespace) -> int:
    cmd = getattr(args, "vocab_command", None)
    if cmd == "lookup":
        return _lookup(args)
    if cmd == "check":
        return _check(args)
    print("usage: ehrnlp vocab {lookup,check} ...  (see ehrnlp vocab --help)", file=sys.stderr)
    return 2
