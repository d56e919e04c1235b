#!/usr/bin/env python
"""Convert medspaCy's English ConText rules (MIT) into ehrnlp's rule format.

    python -m pip download --no-deps medspacy==1.3.1 -d /tmp/ctx-dl
    tar xzf /tmp/ctx-dl/medspacy-1.3.1.tar.gz -C /tmp/ctx-dl
    python scripts/build_context_rules.py /tmp/ctx-dl/medspacy-1.3.1/resources/en/context_rules.json \
        --version 1.3.1 --out src/ehrnlp/rules/context_rules_medspacy.json

medspaCy rules are spaCy token patterns (``LOWER``/``IN``/``OP``); they become regular
expressions over the raw text. Rules whose literal is already one of ehrnlp's own rules
(same category and direction) are skipped; rules using token attributes other than
LOWER/TEXT/ORTH/IN/OP are skipped and listed. The output records the source and version;
attribution is in ``src/ehrnlp/rules/NOTICE.md``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OURS = REPO / "src" / "ehrnlp" / "rules" / "context_rules.json"


def _token_body(tok: dict) -> tuple[str, bool] | None:
    """The regex of one spaCy token pattern and whether it is optional, or None."""
    op = tok.get("OP")
    keys = set(tok) - {"OP"}
    if len(keys) != 1 or op not in (None, "?"):
        return None
    key = keys.pop()
    if key not in ("LOWER", "TEXT", "ORTH"):
        return None
    val = tok[key]
    if isinstance(val, str):
        alts = [val]
    elif isinstance(val, dict) and set(val) == {"IN"}:
        alts = list(val["IN"])
    else:
        return None
    body = "(?:" + "|".join(re.escape(a) for a in sorted(alts, key=len, reverse=True)) + ")"
    return body, op == "?"


def pattern_to_regex(pattern: list[dict]) -> str | None:
    """A spaCy token pattern (LOWER/TEXT/ORTH, IN, OP '?') as a regex over raw text."""
    parts: list[str] = []
    started = False
    for tok in pattern:
        got = _token_body(tok)
        if got is None:
            return None
        body, optional = got
        if not started:
            if optional:
                parts.append(f"(?:{body}\\s+)?")
            else:
                parts.append(body)
                started = True
        else:
            parts.append(f"(?:\\s+{body})?" if optional else f"\\s+{body}")
    if not started:
        return None
    return r"(?<!\w)" + "".join(parts) + r"(?!\w)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="medspaCy resources/en/context_rules.json")
    ap.add_argument("--version", required=True, help="medspaCy version the file comes from")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    src = json.loads(args.source.read_text(encoding="utf-8"))["context_rules"]
    ours = json.loads(OURS.read_text(encoding="utf-8"))["rules"]
    have = {(r["literal"].lower(), r["category"], r["direction"]) for r in ours}
    out, skipped = [], []
    for r in src:
        cat, direction, literal = r["category"], r["direction"], r["literal"]
        if direction == "TERMINATE":
            cat_out, dir_out, term = "TERMINATE", "TERMINATE", [cat]
        elif direction == "PSEUDO":
            cat_out, dir_out, term = "PSEUDO", "PSEUDO", None
        else:
            cat_out, dir_out, term = cat, direction, None
        if (literal.lower(), cat_out, dir_out) in have or (cat_out == "FAMILY"):
            # ehrnlp's own experiencer rules are bidirectional with a bounded scope; the
            # medspaCy "family" rule (any relative, forward, unbounded) is left out
            continue
        rule = {"literal": literal, "category": cat_out, "direction": dir_out}
        if r.get("pattern"):
            rx = pattern_to_regex(r["pattern"]) if isinstance(r["pattern"], list) else None
            if rx is None:
                skipped.append(literal)
                continue
            rule["pattern"] = rx
        if term:
            rule["terminates"] = term
        if r.get("max_scope") is not None:
            rule["max_scope"] = r["max_scope"]
        if r.get("allowed_types"):
            rule["allowed_types"] = sorted(r["allowed_types"])
        rule["source"] = f"medspacy {args.version}"
        out.append(rule)
    with args.out.open("w", encoding="utf-8") as fh:
        fh.write('{\n"description": ' + json.dumps(
            f"ConText rules converted from medspaCy {args.version} resources/en/context_rules.json (MIT, "
            "Copyright (c) 2020 medspacy) by scripts/build_context_rules.py; rules ehrnlp already has are left out."
        ) + ',\n"version": ' + json.dumps(args.version) + ',\n"rules": [\n')
        fh.write(",\n".join(json.dumps(r) for r in out))
        fh.write("\n]\n}\n")
    print(f"{len(out)} rules written to {args.out}; {len(skipped)} skipped (unsupported token patterns): {skipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
