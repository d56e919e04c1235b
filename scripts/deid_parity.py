#!/usr/bin/env python
"""Does a change to how the de-identification stage runs keep its output identical?

    python scripts/deid_parity.py --record ref.json [--gold data/phi] [--canary 400] [--cache preds.pkl]
    python scripts/deid_parity.py --check ref.json  [same options]

Runs the stage that ``ehrnlp.load()`` builds (``DeidStage`` with the bundled transformer)
through ``pipe`` (the path ``nlp.pipe`` takes), in batches of 16, on: the dev split of the
PHI gold sets (Glaucoma filled notes, MACCROBAT, presidio-synth; scripts/build_phi_gold.py),
the first ``--raw`` real Glaucoma notes as they are (with their ``***`` masks), and a
``--canary`` sample of synthetic canary notes of seeds 16 and 61; with ``--single`` also
one call per note. For every note it keeps a digest of the de-identified text, every
PhiSpan (label, offsets both ways, replacement, score, source) and the clinical model spans
handed to the ``ner`` stage; only digests are written (no text). ``--check`` names the
notes whose digest changed and exits 1 if any did.

``--cache FILE`` keeps the transformer's predictions per note text in a pickle (outside the
repository: it holds note text), so re-runs skip the forward pass; use it only for changes
that cannot touch the forward pass, and finish with a run without it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "canary"))


def corpora(gold: Path, data: Path, n_raw: int, n_canary: int) -> dict[str, list[tuple[str, str]]]:
    """name -> [(note id, text)]"""
    import phi_canary

    out: dict[str, list[tuple[str, str]]] = {}
    for name in ("glaucoma", "maccrobat", "presidio_synth"):
        path = gold / f"{name}.jsonl"
        if not path.exists():
            print(f"{path} missing (scripts/build_phi_gold.py): skipped", file=sys.stderr)
            continue
        recs = [json.loads(line) for line in path.open(encoding="utf-8")]
        out[name] = [(r["id"], r["text"]) for r in recs if r.get("split") == "dev"]
    raw = sorted((data / "glaucoma" / "notes").glob("*.txt"))[:n_raw]
    out["glaucoma_raw"] = [(f.stem, f.read_text(encoding="utf-8")) for f in raw]
    if n_canary:
        notes = [phi_canary.note(i, seed) for seed in (16, 61) for i in range(0, n_canary // 2 * 5, 5)]
        out["canary"] = [(f"{c.id}", c.text) for c in notes]
    return out


def digest(doc) -> str:
    from ehrnlp.model import MODEL_SPANS

    group = doc.spans.get(MODEL_SPANS)
    payload = [
        doc.text,
        [[p.label, p.start, p.end, p.orig_start, p.orig_end, p.replacement, p.score, p.source] for p in doc.phi],
        group.to_dict() if group is not None else None,
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--record", metavar="OUT")
    mode.add_argument("--check", metavar="REF")
    ap.add_argument("--gold", default=str(ROOT / "data" / "phi"))
    ap.add_argument("--data", default=None)
    ap.add_argument("--raw", type=int, default=40)
    ap.add_argument("--canary", type=int, default=400)
    ap.add_argument("--cache", default=None)
    ap.add_argument("--single", action="store_true", help="also run one stage call per note")
    args = ap.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage
    from ehrnlp.model import Document, Note
    from ehrnlp.ner.tagger import NerModel, bundled_model_dir
    from ehrnlp.training.paths import shared_data_root

    sets = corpora(Path(args.gold), Path(shared_data_root(args.data)), args.raw, args.canary)
    stage = DeidStage(DeidConfig(), phi_model=NerModel(bundled_model_dir()))
    rec = stage._phi_rec
    cache: dict[str, tuple] = {}
    if args.cache and Path(args.cache).exists():
        cache = pickle.loads(Path(args.cache).read_bytes())
    if args.cache and rec is not None:
        real_prime = rec.prime

        def prime(texts: list[str]) -> None:
            todo = [t for t in texts if t not in cache]
            if todo:
                real_prime(todo)
                for t in todo:
                    cache[t] = rec.predictions[t]
            for t in texts:
                rec.predictions.setdefault(t, cache[t])

        rec.prime = prime
    got: dict[str, str] = {}
    t0 = time.perf_counter()
    for name, notes in sets.items():
        t = time.perf_counter()
        for i in range(0, len(notes), 16):
            chunk = notes[i:i + 16]
            docs = stage.pipe([Document.from_note(Note(text=x, id=nid)) for nid, x in chunk])
            for (nid, _), d in zip(chunk, docs):
                got[f"{name}/pipe/{nid}"] = digest(d)
            if args.single:
                for nid, x in chunk:
                    got[f"{name}/call/{nid}"] = digest(stage(Document.from_note(Note(text=x, id=nid))))
        print(f"{name}: {len(notes)} notes, {time.perf_counter() - t:.1f} s", file=sys.stderr)
    print(f"total {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if args.cache:
        Path(args.cache).write_bytes(pickle.dumps(cache))
    if args.record:
        Path(args.record).write_text(json.dumps(got, indent=0, sort_keys=True))
        print(f"recorded {len(got)} digests")
        return 0
    ref = json.loads(Path(args.check).read_text())
    missing = sorted(set(ref) - set(got))
    changed = sorted(k for k in ref if k in got and ref[k] != got[k])
    print(f"{len(got)} notes checked against {len(ref)}: {len(changed)} changed, {len(missing)} missing")
    for k in changed[:50]:
        print(f"  CHANGED {k}")
    return 1 if changed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
