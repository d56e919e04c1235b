#!/usr/bin/env python
"""Fuzz the pipeline with arbitrary Unicode text and every input reader with arbitrary bytes.

    python scripts/fuzz.py [--texts 10000] [--deid-texts 500] [--bytes 10000] [--seed 21] [--json]

Texts (lone surrogates, NUL and other control characters, right-to-left marks, combining
marks, emoji, byte-order marks, clinical fragments, lines up to 100,000 characters) go
through ``ehrnlp.load()`` (rules NER backend; ``--deid-texts`` of them also through
de-identification, so ``to_original`` maps real replacements). Each must give a Document
whose offset invariants hold (``doc.check()``), whose ``to_original`` spans lie inside the
input and equal the entity text where no PHI was replaced, and whose FHIR resources validate
(fhir.resources R4B) and serialise as UTF-8 -- or raise a documented error: ``InputError``
(unpaired surrogates, over ``max_note_chars``) or ``FhirError`` (an empty note has no
DocumentReference).

Bytes (random, and mutations of valid inputs: truncated, bit-flipped, spliced, gzip or not)
are written as ``.txt``/``.csv``/``.jsonl``/``.ndjson``/``.ndjson.gz``/``.json`` files and read by
``ehrnlp.batch.iter_records`` (which must never raise: every problem is a Failure record)
and by ``ehrnlp.fhir.input.read_fhir`` (which may raise only ``InputError``).

Anything else is a crash: printed (exception type and the input's index, never the input),
counted, and the exit status is 1. The checks are imported by tests/unit/test_fuzz_properties.py,
which runs hypothesis over them with a fixed seed.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

CLINICAL = [
    "Patient denies chest pain.", "No fever or chills.", "Lisinopril 10 mg PO daily", "NKDA.",
    "Allergies: penicillin (rash).", "HISTORY OF PRESENT ILLNESS:", "Mother had breast cancer.",
    "Rule out pneumonia.", "metformin 500mg BID", "Assessment/Plan:", "s/p appendectomy 2019",
    "John Smith", "MRN 1234567", "seen on 03/04/2021", "call 555-123-4567", "aspirin 81 mg",
    "hx of DM2, HTN", "Denies SOB, cough.", "Sig: 1 tab q6h prn pain",
]
WEIRD = [
    "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\u0085", "\u00a0", "\u200b", "\u200d",
    "\u200e", "\u200f", "\u202e", "\u2066", "\u2028", "\u2029", "\ufeff", "\ufffd", "\u0301", "\u0308",
    "\u0e01\u0e34", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\U0001f600", "\U0001f469\u200d\u2695\ufe0f",
    "\ud800", "\udc00", "\udcff", "\r\n", "\r", "\t", " ", "\n\n\n", "ﬁ", "İ", "ß", "Ⅻ", "①", "𝐀",
]


# -- checks (shared with the property tests) --------------------------------------------------
class Crash(Exception):
    """An outcome outside the documented errors."""


def check_text(nlp: Any, text: str) -> str:
    """Run one text; return the outcome kind ('ok', 'InputError', 'FhirError') or raise Crash."""
    from ehrnlp import FhirError, InputError, Note
    from ehrnlp.fhir.bundle import validate_resource
    from ehrnlp.fhir.mapping import resources_for

    try:
        doc = nlp(Note(text=text, id="fuzz"))
    except InputError:
        return "InputError"
    except Exception as exc:  # noqa: BLE001 - any other exception is the crash being counted
        raise Crash(f"pipeline raised {type(exc).__name__}") from None
    try:
        doc.check()
    except ValueError as exc:
        raise Crash(f"offset invariant: {exc}") from None
    src = doc.source_text if doc.source_text is not None else text
    if src != text:
        raise Crash("source_text differs from the input")
    for e in doc.entities:
        a, b = doc.to_original(e.start, e.end)
        if not (0 <= a <= b <= len(text)):
            raise Crash(f"to_original({e.start}, {e.end}) = ({a}, {b}) outside the input")
        if not doc.phi and text[a:b] != e.text:
            raise Crash("to_original span differs from the entity text without PHI")
    if not doc.phi and doc.text != text:
        raise Crash("text changed without PHI replacements")
    try:
        resources = resources_for(doc, recorded="2026-01-01T00:00:00+00:00")
    except FhirError:
        if text:
            raise Crash("FhirError for a non-empty note") from None
        return "FhirError"
    except Exception as exc:  # noqa: BLE001 - any other exception is the crash being counted
        raise Crash(f"FHIR mapping raised {type(exc).__name__}") from None
    for res in resources:
        try:
            validate_resource(res)
            json.dumps(res, ensure_ascii=False).encode("utf-8")
        except Exception as exc:  # noqa: BLE001 - any other exception is the crash being counted
            raise Crash(f"{res.get('resourceType')} does not validate/serialise ({type(exc).__name__})") from None
        if res["resourceType"] != "DocumentReference" and _has_control(res):
            raise Crash(f"{res['resourceType']} carries a control character in a string")
    return "ok"


def _has_control(value: Any) -> bool:
    if isinstance(value, str):
        return any(ord(c) < 32 and c not in "\t\r\n" or c == "\x7f" for c in value)
    if isinstance(value, dict):
        return any(_has_control(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_control(v) for v in value)
    return False


SUFFIXES = (".txt", ".csv", ".jsonl", ".ndjson", ".ndjson.gz", ".json")


def check_bytes(data: bytes, suffix: str, folder: Path, index: int = 0) -> str:
    """Read ``data`` as a file named ``*suffix`` with every reader; return the outcome kind."""
    from ehrnlp import InputError
    from ehrnlp.batch import ConvertOptions, Failure, iter_records
    from ehrnlp.fhir.input import read_fhir
    from ehrnlp.model import Note
    from ehrnlp.readers import ReadReport

    f = folder / f"in{index}{suffix}"
    f.write_bytes(data)
    try:
        recs = list(iter_records([f], ConvertOptions(out=folder / "out"), report=ReadReport()))
    except Exception as exc:  # noqa: BLE001 - any other exception is the crash being counted
        raise Crash(f"iter_records raised {type(exc).__name__} on a {suffix} file") from None
    if not all(isinstance(r, (Note, Failure)) for r in recs):
        raise Crash("iter_records yielded something other than Note/Failure")
    kind = "failure" if any(isinstance(r, Failure) for r in recs) else ("notes" if recs else "nothing")
    if suffix in (".ndjson", ".ndjson.gz", ".json"):
        try:
            list(read_fhir(f))
        except InputError:
            pass
        except Exception as exc:  # noqa: BLE001 - any other exception is the crash being counted
            raise Crash(f"read_fhir raised {type(exc).__name__} on a {suffix} file") from None
    f.unlink()
    return kind


# -- generators -----------------------------------------------------------------------------------
def random_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:  # arbitrary code points, surrogates included
        return "".join(chr(rng.randrange(0, 0x110000)) for _ in range(rng.randrange(0, 80)))
    if kind < 0.31:  # a long line (up to 100,000 characters; 1 in 100: they cost seconds each)
        piece = rng.choice(CLINICAL + WEIRD)
        return (piece + rng.choice(["", " ", "\t"])) * (rng.randrange(1000, 100_000) // max(1, len(piece) + 1))
    parts = []
    for _ in range(rng.randrange(0, 25)):
        r = rng.random()
        if r < 0.55:
            parts.append(rng.choice(CLINICAL))
        elif r < 0.9:
            parts.append(rng.choice(WEIRD))
        else:
            parts.append(chr(rng.randrange(0, 0x3000)))
        parts.append(rng.choice([" ", "", "\n", "  ", "\t"]))
    text = "".join(parts)
    if text and rng.random() < 0.3:  # a weird character inside a word
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(WEIRD) + text[i:]
    return text


def _valid_input(rng: random.Random, suffix: str) -> bytes:
    note = rng.choice(CLINICAL)
    if suffix == ".txt":
        return note.encode()
    if suffix == ".csv":
        return f'id,text\n1,"{note}"\n2,{rng.choice(CLINICAL)}\n'.encode()
    if suffix == ".jsonl":
        return (json.dumps({"id": "a", "text": note}) + "\n").encode()
    doc = {"resourceType": "DocumentReference", "id": "d", "status": "current",
           "content": [{"attachment": {"contentType": "text/plain", "data": base64.b64encode(note.encode()).decode()}}]}
    if suffix == ".json":
        return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": doc}]}).encode()
    raw = (json.dumps(doc) + "\n").encode() * 3
    return gzip.compress(raw) if suffix.endswith(".gz") else raw


def random_bytes(rng: random.Random, suffix: str) -> bytes:
    kind = rng.random()
    if kind < 0.3:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
    if kind < 0.35:
        return rng.choice([b"[" * 3000 + b"]" * 3000, b"{\"a\":" * 2000 + b"1" + b"}" * 2000, b"42", b"\"x\"", b"null",
                           b"\xef\xbb\xbf", b"\x1f\x8b", b"", b"\n" * 50, b'"' * 99])
    data = bytearray(_valid_input(rng, suffix))
    for _ in range(rng.randrange(0, 4)):
        op = rng.random()
        if not data:
            break
        i = rng.randrange(len(data))
        if op < 0.3:
            data[i] = rng.randrange(256)  # flip a byte
        elif op < 0.5:
            del data[i:]  # truncate
        elif op < 0.7:
            data[i:i] = rng.choice([b'"', b"\xff", b"\x00", b"\n", b",", b"{", b"]", b"\xc3", b"\xed\xa0\x80"])
        else:
            j = rng.randrange(len(data))
            data[i:i] = data[j:j + rng.randrange(1, 40)]  # splice
    return bytes(data)


# -- the run ---------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=int, default=10_000)
    ap.add_argument("--deid-texts", type=int, default=500, help="of --texts, how many also run with de-identification")
    ap.add_argument("--bytes", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    import logging

    import ehrnlp

    logging.basicConfig(level=logging.ERROR)  # the readers warn about every empty input: not news here
    rng = random.Random(args.seed)
    crashes: list[str] = []
    outcomes: Counter[str] = Counter()
    t0 = time.perf_counter()
    nlp = ehrnlp.load({"ner": {"backend": "rules"}}, deidentify=False)
    deid = ehrnlp.load({"ner": {"backend": "rules"}}) if args.deid_texts else None
    for i in range(args.texts):
        text = random_text(rng)
        pipes = [("rules", nlp)] + ([("deid", deid)] if deid is not None and i < args.deid_texts else [])
        for name, p in pipes:
            try:
                outcomes[f"text/{name}/{check_text(p, text)}"] += 1
            except Crash as exc:
                crashes.append(f"text #{i} ({name}): {exc}")
    t_text = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(args.bytes):
            suffix = SUFFIXES[i % len(SUFFIXES)]
            data = random_bytes(rng, suffix)
            try:
                outcomes[f"bytes{suffix}/{check_bytes(data, suffix, folder, i)}"] += 1
            except Crash as exc:
                crashes.append(f"bytes #{i}: {exc}")
    seconds = time.perf_counter() - t0
    report = {"seed": args.seed, "texts": args.texts, "deid_texts": min(args.deid_texts, args.texts), "byte_inputs": args.bytes,
              "crashes": len(crashes), "outcomes": dict(sorted(outcomes.items())),
              "seconds": {"texts": round(t_text, 1), "total": round(seconds, 1)}}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for k, v in report.items():
            print(f"{k}: {v}")
    for c in crashes[:50]:
        print("CRASH", c, file=sys.stderr)
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
