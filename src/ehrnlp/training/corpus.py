"""Corpus readers: the shared training corpora converted to one span format.

Every reader returns :class:`CorpusDoc` objects: a text, its gold spans (character
offsets, ehrnlp labels), spans to ignore when scoring, and the set of labels the source
annotates (a span the source does not annotate is not evidence of ``O``; training
treats those tokens as partially labelled, see :mod:`ehrnlp.training.train`).

* :func:`read_maccrobat`: brat standoff of MACCROBAT. ``Sign_symptom`` -> SYMPTOM,
  ``Disease_disorder`` -> PROBLEM, ``Medication`` -> MEDICATION; ``Dosage`` -> DOSE,
  ``Administration`` -> ROUTE, ``Frequency``, ``Duration`` only when a ``MODIFY``
  relation links them to a medication. ``POLARITY NEG`` marks a span negated. A
  ``Dosage`` that ends with a frequency ("900 mg daily", "5 mg tid") is split into DOSE +
  FREQUENCY, and one that is only a frequency ("daily", "q8h") is a FREQUENCY, so the label
  means what it means in the other sources (:func:`split_dosage`).
* :func:`read_glaucoma`: sentence-level ``annotations.jsonl`` of the Glaucoma_Med_Dataset,
  regrouped into notes (consecutive sentences between note headers). DRUG -> MEDICATION,
  STRENGTH/DOSAGE -> DOSE, ROUTE, FREQUENCY, DURATION. Runs of ``*`` (masks left by an
  earlier de-identifier) become ``ignore`` spans.
* :func:`read_presidio_synth`: presidio-research's synthetic PII sentences, for the
  model's PHI types only: PERSON -> NAME; STREET_ADDRESS, GPE, ZIP_CODE -> LOCATION;
  ORGANIZATION spans are ignored (a hospital is PHI, a company is not). Split by
  *template* (``template_id``), so dev-test sentences come from templates never trained on.
* :func:`read_ncbi_disease`: the NCBI disease corpus (PubTator), every disease mention ->
  PROBLEM; the abstracts annotate PROBLEM exhaustively and hold no names (``NAME`` is
  annotated as absent, as for MACCROBAT); symptoms, drugs and the rest are unknown. Its
  published split is kept: train and develop sets train, the test set is dev-test.
* :func:`read_gold_jsonl`: the gold JSONL format of API.md.

MACCROBAT case reports are PHI-free: they also annotate ``NAME`` (as absent), which teaches
the model that eponyms ("Parkinson", "Hodgkin") and capitalised clinical words are not names.

The fixed document-level split (``splits.json`` next to this module) keeps dev-test
documents out of training; it lists document ids only.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .._hashing import file_sha256
from ..errors import InputError
from ..model import CLINICAL_LABELS

__all__ = [
    "GoldSpan",
    "CorpusDoc",
    "read_brat_doc",
    "read_maccrobat",
    "read_glaucoma",
    "read_gold_jsonl",
    "read_presidio_synth",
    "presidio_synth_template",
    "load_corpus",
    "load_splits",
    "make_splits",
    "make_lockbox",
    "lockbox_ids",
    "split_docs",
    "resolve_overlaps",
    "split_dosage",
    "file_sha256",
    "MACCROBAT_LABELS",
    "GLAUCOMA_LABELS",
]

MACCROBAT_ENTITY_MAP = {
    "Sign_symptom": "SYMPTOM",
    "Disease_disorder": "PROBLEM",
    "Medication": "MEDICATION",
}
#: brat types kept only when linked to a medication by MODIFY
MACCROBAT_ATTRIBUTE_MAP = {
    "Dosage": "DOSE",
    "Administration": "ROUTE",
    "Frequency": "FREQUENCY",
    "Duration": "DURATION",
}
#: MACCROBAT also annotates NAME: the case reports are PHI-free, any name in them is an eponym
MACCROBAT_LABELS = (frozenset(MACCROBAT_ENTITY_MAP.values()) | frozenset(MACCROBAT_ATTRIBUTE_MAP.values())
                    | frozenset({"NAME"}))

GLAUCOMA_MAP = {
    "DRUG": "MEDICATION",
    "STRENGTH": "DOSE",
    "DOSAGE": "DOSE",
    "ROUTE": "ROUTE",
    "FREQUENCY": "FREQUENCY",
    "DURATION": "DURATION",
}
GLAUCOMA_LABELS = frozenset(GLAUCOMA_MAP.values())

#: a frequency at the end of a MACCROBAT Dosage span ("daily", "twice per week", "q8h", "b.i.d.")
_FREQ = r"""(?:
    (?:(?:once|twice|thrice|one|two|three|four|five|\d+)\s*(?:(?:x|times?)\s*)?)?
        (?:daily|weekly|monthly|(?:a|per|each)\s+(?:day|week|month))
  | every\s+(?:other\s+)?\d*(?:\s*-\s*\d+)?\s*(?:h|hrs?|hours?|days?|d|weeks?|wks?)
  | q\.?\s*\d+\s*(?:h|hrs?|hours?|days?|d|weeks?|wks?)\.?
  | (?:b|t|q)\.?i\.?d\.?|q\.?d\.?|q\.?o\.?d\.?|q\.?h\.?s\.?|tiw|biw|prn|p\.r\.n\.|as\s+needed
  | nightly|at\s+bedtime|at\s+night|in\s+the\s+(?:morning|evening)
)"""
_FREQ_ONLY = re.compile(rf"(?ix)\s*{_FREQ}\s*")
_FREQ_TAIL = re.compile(rf"(?ix)(?:\s*,\s*|\s+)(?P<f>{_FREQ})\s*$")

_MASK_RUN = re.compile(r"\*{2,}|\*(?=/)|(?<=/)\*")


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    label: str
    negated: bool | None = None

    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)


@dataclass
class CorpusDoc:
    """One document of a corpus in ehrnlp's span format."""

    id: str
    source: str
    text: str
    spans: list[GoldSpan]
    ignore: list[tuple[int, int]] = field(default_factory=list)
    #: labels this source annotates exhaustively (others are unknown, not ``O``)
    annotated: frozenset[str] = frozenset(CLINICAL_LABELS)
    #: the source's own annotation units as ``(start, end)`` in ``text`` (Glaucoma: one
    #: ``annotations.jsonl`` record each); empty where the source has none
    units: list[tuple[int, int]] = field(default_factory=list)

    def to_gold(self) -> dict:
        """The record in the gold JSONL format of API.md."""
        ents = []
        for s in sorted(self.spans, key=lambda s: (s.start, s.end, s.label)):
            d = {"start": s.start, "end": s.end, "label": s.label}
            if s.negated is not None:
                d["negated"] = s.negated
            ents.append(d)
        return {
            "id": self.id,
            "source": self.source,
            "text": self.text,
            "entities": ents,
            "ignore": [list(x) for x in self.ignore],
            "annotated": sorted(self.annotated),
        }


# ----------------------------------------------------------------------------- brat
def _parse_offsets(frag: str) -> tuple[int, int]:
    """brat offsets ``"10 20"`` or discontinuous ``"10 20;25 30"`` -> the full extent."""
    starts, ends = [], []
    for part in frag.split(";"):
        a, b = part.split()
        starts.append(int(a))
        ends.append(int(b))
    return min(starts), max(ends)


def split_dosage(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """A MACCROBAT Dosage span as DOSE and/or FREQUENCY pieces.

    MACCROBAT's Dosage often carries the frequency ("60 mg daily", "5 mg tid"), or is only
    one ("daily", "q8h"); Glaucoma and the synthetic notes tag those as FREQUENCY. A span
    that is entirely a frequency becomes FREQUENCY; one whose head holds a number and whose
    tail is a frequency is split ("60 mg" DOSE + "daily" FREQUENCY). Rates written without a
    space ("250 mg/day", "1 mg/week") and anything else stay one DOSE.
    """
    piece = text[start:end]
    if _FREQ_ONLY.fullmatch(piece):
        return [(start, end, "FREQUENCY")]
    m = _FREQ_TAIL.search(piece)
    if m and any(c.isdigit() for c in piece[:m.start()]):
        head_end = start + m.start()
        while head_end > start and text[head_end - 1] in " ,\t":
            head_end -= 1
        if head_end > start:
            return [(start, head_end, "DOSE"), (start + m.start("f"), start + m.end("f"), "FREQUENCY")]
    return [(start, end, "DOSE")]


def read_brat_doc(txt_path: str | Path, ann_path: str | Path, *, doc_id: str | None = None,
                  source: str = "maccrobat") -> CorpusDoc:
    """Read one brat ``.txt``/``.ann`` pair with the MACCROBAT label mapping."""
    txt_path, ann_path = Path(txt_path), Path(ann_path)
    text = txt_path.read_text(encoding="utf-8")
    tbs: dict[str, tuple[str, int, int]] = {}
    events: dict[str, str] = {}  # E id -> trigger T id
    negated_events: set[str] = set()
    modify: list[tuple[str, str]] = []
    for lineno, line in enumerate(ann_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        ident = parts[0]
        try:
            if ident.startswith("T"):
                typ, offs = parts[1].split(" ", 1)
                s, e = _parse_offsets(offs)
                tbs[ident] = (typ, s, e)
            elif ident.startswith("E"):
                trigger = parts[1].split()[0]
                events[ident] = trigger.split(":", 1)[1]
            elif ident.startswith("A"):
                f = parts[1].split()
                if f[0] == "POLARITY" and len(f) >= 3 and f[2] == "NEG":
                    negated_events.add(f[1])
            elif ident.startswith("R"):
                f = parts[1].split()
                if f[0] == "MODIFY":
                    a1 = f[1].split(":", 1)[1]
                    a2 = f[2].split(":", 1)[1]
                    modify.append((a1, a2))
        except (IndexError, ValueError):
            raise InputError(f"{ann_path.name}: line {lineno} is not valid brat standoff") from None

    def trig(x: str) -> str:
        return events.get(x, x)

    negated_t = {trig(e) for e in negated_events}
    meds = {t for t, (typ, _, _) in tbs.items() if typ == "Medication"}
    linked: set[str] = set()
    for a1, a2 in modify:
        t1, t2 = trig(a1), trig(a2)
        if t2 in meds:
            linked.add(t1)
        if t1 in meds:
            linked.add(t2)
    spans: list[GoldSpan] = []
    seen: set[tuple[int, int, str]] = set()
    for t, (typ, s, e) in tbs.items():
        if typ in MACCROBAT_ENTITY_MAP:
            label = MACCROBAT_ENTITY_MAP[typ]
        elif typ in MACCROBAT_ATTRIBUTE_MAP and t in linked:
            label = MACCROBAT_ATTRIBUTE_MAP[typ]
        else:
            continue
        # trim whitespace the annotators included
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        for s2, e2, label2 in (split_dosage(text, s, e) if label == "DOSE" else [(s, e, label)]):
            if (s2, e2, label2) in seen:
                continue
            seen.add((s2, e2, label2))
            neg = (t in negated_t) if label2 in ("SYMPTOM", "PROBLEM") else None
            spans.append(GoldSpan(s2, e2, label2, neg))
    spans.sort(key=lambda x: (x.start, x.end, x.label))
    return CorpusDoc(doc_id or txt_path.stem, source, text, spans, [], MACCROBAT_LABELS)


def read_maccrobat(folder: str | Path) -> list[CorpusDoc]:
    """All documents of a MACCROBAT brat folder, sorted by id."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"MACCROBAT folder not found: {folder} (pass --data-root pointing at shared/data)")
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        ann = txt.with_suffix(".ann")
        if ann.is_file():
            docs.append(read_brat_doc(txt, ann, doc_id=f"maccrobat-{txt.stem}"))
    return docs


# ---------------------------------------------------------------------------- glaucoma
_NOTE_START = re.compile(r"Progress Note|^\s*(Chief Complaint|CC)\s*:", re.I)


def read_glaucoma(path: str | Path) -> list[CorpusDoc]:
    """Glaucoma ``annotations.jsonl`` regrouped into notes.

    A note starts at a sentence naming a "Progress Note" header or a "Chief Complaint"/"CC:"
    line (unless a header began the note within the previous two sentences). Sentences are
    joined with newlines. Document ids are ``glaucoma-NNNN`` (index of the first sentence).
    Each record's ``(start, end)`` in the note is kept in :attr:`CorpusDoc.units`
    (``units-alone`` scores every record on its own).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Glaucoma annotations not found: {path} (pass --data-root pointing at shared/data)")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    raise InputError(f"{path.name}: line {lineno} is not valid JSON") from None
    groups: list[list[int]] = []
    last_start = -10
    for i, r in enumerate(rows):
        if not groups or (_NOTE_START.search(r.get("text", "")) and i - last_start > 2):
            groups.append([])
            last_start = i
        groups[-1].append(i)
    docs = []
    for g in groups:
        parts, spans, ignore = [], [], []
        units: list[tuple[int, int]] = []
        off = 0
        for i in g:
            r = rows[i]
            t = r.get("text", "")
            for s, e, typ in r.get("labels", []):
                if typ in GLAUCOMA_MAP:
                    ss, ee = max(0, int(s)), min(len(t), int(e))
                    while ss < ee and t[ss].isspace():
                        ss += 1
                    while ee > ss and t[ee - 1].isspace():
                        ee -= 1
                    if ss < ee:
                        spans.append(GoldSpan(off + ss, off + ee, GLAUCOMA_MAP[typ]))
                elif typ == "***":
                    ignore.append((off + int(s), off + int(e)))
            for m in _MASK_RUN.finditer(t):
                ignore.append((off + m.start(), off + m.end()))
            parts.append(t)
            units.append((off, off + len(t)))
            off += len(t) + 1
        text = "\n".join(parts)
        spans.sort(key=lambda x: (x.start, x.end, x.label))
        docs.append(CorpusDoc(f"glaucoma-{g[0]:04d}", "glaucoma", text, spans, sorted(ignore), GLAUCOMA_LABELS,
                              units))
    return docs


# ------------------------------------------------------------------------ presidio-synth
PRESIDIO_SYNTH_MAP = {"PERSON": "NAME", "STREET_ADDRESS": "LOCATION", "GPE": "LOCATION", "ZIP_CODE": "LOCATION"}
PRESIDIO_SYNTH_LABELS = frozenset({"NAME", "LOCATION"})


def presidio_synth_template(path: str | Path) -> dict[str, str]:
    """Document id -> split key (``template-N``) of presidio-synth: splits are made by template."""
    data = _read_presidio_json(Path(path))
    return {f"presidio-synth-{i}": f"template-{rec.get('template_id', i)}" for i, rec in enumerate(data)}


def _read_presidio_json(path: Path) -> list[dict]:
    if not path.is_file():
        raise InputError(f"presidio-synth data not found: {path} (pass --data-root pointing at shared/data)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise InputError(f"{path.name} is not valid JSON") from None
    if not isinstance(data, list):
        raise InputError(f"{path.name}: expected a JSON list of records")
    return data


def read_presidio_synth(path: str | Path) -> list[CorpusDoc]:
    """presidio-synth sentences with NAME and LOCATION spans (ids ``presidio-synth-N``)."""
    path = Path(path)
    docs = []
    for i, rec in enumerate(_read_presidio_json(path)):
        try:
            text = rec["full_text"]
            spans, ignore = [], []
            for sp in rec.get("spans") or []:
                s, e, t = int(sp["start_position"]), int(sp["end_position"]), sp["entity_type"]
                if not (0 <= s < e <= len(text)):
                    raise ValueError
                if t in PRESIDIO_SYNTH_MAP:
                    while s < e and text[s].isspace():
                        s += 1
                    while e > s and text[e - 1].isspace():
                        e -= 1
                    if s < e:
                        spans.append(GoldSpan(s, e, PRESIDIO_SYNTH_MAP[t]))
                elif t == "ORGANIZATION":
                    ignore.append((s, e))
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{path.name}: record {i} is not a presidio-synth record") from None
        spans.sort(key=lambda x: (x.start, x.end, x.label))
        docs.append(CorpusDoc(f"presidio-synth-{i}", "presidio-synth", text, spans, sorted(ignore),
                              PRESIDIO_SYNTH_LABELS))
    return docs


# ------------------------------------------------------------------------------- gold
NCBI_SETS = {"train": "NCBItrainset_corpus.txt", "develop": "NCBIdevelopset_corpus.txt",
             "test": "NCBItestset_corpus.txt"}


def read_ncbi_disease(folder: str | Path) -> list[CorpusDoc]:
    """The NCBI disease corpus: ``PMID|t|title``, ``PMID|a|abstract``, then one tab-separated
    line per mention (PMID, start, end, text, class, concept id); offsets index title + " " +
    abstract. Documents are named ``{set}:{PMID}`` (``train``, ``develop``, ``test``); a
    mention whose offsets do not cover its text is dropped (its characters are ignored)."""
    docs: list[CorpusDoc] = []
    for set_name, fname in NCBI_SETS.items():
        path = Path(folder) / fname
        if not path.is_file():
            raise InputError(f"NCBI disease corpus file missing: {path}")
        for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
            lines = [x for x in block.split("\n") if x.strip()]
            if len(lines) < 2 or "|t|" not in lines[0] or "|a|" not in lines[1]:
                continue
            pmid, title = lines[0].split("|t|", 1)
            abstract = lines[1].split("|a|", 1)[1]
            text = title + " " + abstract
            spans: list[GoldSpan] = []
            ignore: list[tuple[int, int]] = []
            for ln in lines[2:]:
                f = ln.split("\t")
                if len(f) < 4:
                    continue
                a, b = int(f[1]), int(f[2])
                if text[a:b] == f[3]:
                    spans.append(GoldSpan(a, b, "PROBLEM"))
                else:
                    ignore.append((a, b))
            docs.append(CorpusDoc(f"{set_name}:{pmid.strip()}", "ncbi-disease", text,
                                  resolve_overlaps(spans), ignore, frozenset({"PROBLEM", "NAME"})))
    return docs


def read_gold_jsonl(path: str | Path, *, source: str | None = None) -> list[CorpusDoc]:
    """Read the gold JSONL format of API.md (``entities``, ``ignore``; ``phi`` is kept aside)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"gold file not found: {path}")
    docs = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                text = r["text"]
                spans = [
                    GoldSpan(int(e["start"]), int(e["end"]), str(e["label"]),
                             None if e.get("negated") is None else bool(e["negated"]))
                    for e in r.get("entities", [])
                ]
                ignore = [(int(a), int(b)) for a, b in r.get("ignore", [])]
            except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                raise InputError(
                    f"{path.name}: line {lineno} is not a gold record "
                    "(need 'text' and 'entities' with start/end/label; see API.md)"
                ) from None
            for s in spans:
                if not (0 <= s.start < s.end <= len(text)):
                    raise InputError(f"{path.name}: line {lineno}: span {s.start}-{s.end} outside the text")
            annotated = frozenset(r["annotated"]) if "annotated" in r else frozenset(CLINICAL_LABELS)
            docs.append(CorpusDoc(str(r.get("id", f"{path.stem}-{lineno}")), source or r.get("source", path.stem),
                                  text, spans, ignore, annotated))
    return docs


# ------------------------------------------------------------------------------ helpers
def resolve_overlaps(spans: Iterable[GoldSpan]) -> list[GoldSpan]:
    """Non-overlapping subset for BIO tagging: longer spans win, then earlier ones."""
    chosen: list[GoldSpan] = []
    for s in sorted(spans, key=lambda x: (-(x.end - x.start), x.start, x.label)):
        if all(s.end <= c.start or s.start >= c.end for c in chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda x: x.start)


# ------------------------------------------------------------------------------- splits
SPLITS_FILE = "splits.json"


def _bucket(doc_id: str) -> float:
    h = hashlib.sha256(f"ehrnlp-split-v1:{doc_id}".encode()).hexdigest()
    return int(h[:8], 16) / 0xFFFFFFFF


def make_splits(ids_by_corpus: Mapping[str, Iterable[str]], *, dev_test: float = 0.2, val: float = 0.1,
                group_of: Mapping[str, Mapping[str, str]] | None = None) -> dict:
    """Deterministic document-level split by a hash of the id.

    ``group_of[corpus][doc_id]`` (optional) hashes a group key instead of the id, so that
    documents of one group (presidio-synth sentences of one template) share a split.
    """
    out: dict = {"version": 1, "method": "sha256(ehrnlp-split-v1:id) bucket", "corpora": {}}
    for corpus, ids in ids_by_corpus.items():
        dt, va = [], []
        groups = (group_of or {}).get(corpus, {})
        for i in sorted(set(ids)):
            b = _bucket(groups.get(i, i))
            if b < dev_test:
                dt.append(i)
            elif b < dev_test + val:
                va.append(i)
        out["corpora"][corpus] = {"dev-test": dt, "val": va}
    return out


#: the share of a corpus's dev-test notes kept as its lockbox slice
LOCKBOX_SHARE = 1 / 3


def make_lockbox(dev_test_ids: Iterable[str]) -> list[str]:
    """The lockbox slice of a dev-test split: about a third of its notes, chosen by a hash
    of the note id (``sha256(ehrnlp-lockbox-v1:id)``), so it never depends on scores.
    ``ehrnlp evaluate`` leaves these notes out of dev-test unless ``--lockbox`` is given;
    they are scored once per model release and never used to choose anything."""
    return [i for i in sorted(set(dev_test_ids))
            if int(hashlib.sha256(f"ehrnlp-lockbox-v1:{i}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < LOCKBOX_SHARE]


def lockbox_ids(corpus: str, splits: dict | None = None) -> frozenset[str]:
    """The lockbox note ids of ``corpus`` recorded in the split manifest (empty if none)."""
    splits = splits or load_splits()
    return frozenset(splits["corpora"].get(corpus, {}).get("lockbox", ()))


def load_splits(path: str | Path | None = None) -> dict:
    if path is None:
        data = (resources.files("ehrnlp.training") / SPLITS_FILE).read_text(encoding="utf-8")
    else:
        data = Path(path).read_text(encoding="utf-8")
    return json.loads(data)


def split_docs(docs: list[CorpusDoc], corpus: str, split: str, splits: dict | None = None) -> list[CorpusDoc]:
    """``split`` is ``train``, ``val``, ``dev-test`` or ``all``."""
    if split == "all":
        return list(docs)
    if corpus == "ncbi-disease":  # the corpus's published split (no val set)
        keep = {"train": ("train", "develop"), "val": (), "dev-test": ("test",)}.get(split)
        if keep is None:
            raise InputError(f"unknown split '{split}' (use train, val, dev-test or all)")
        return [d for d in docs if d.id.split(":", 1)[0] in keep]
    splits = splits or load_splits()
    c = splits["corpora"].get(corpus)
    if c is None:
        raise InputError(f"no split manifest for corpus '{corpus}' (known: {sorted(splits['corpora'])})")
    dt, va = set(c["dev-test"]), set(c["val"])
    if split == "dev-test":
        return [d for d in docs if d.id in dt]
    if split == "val":
        return [d for d in docs if d.id in va]
    if split == "train":
        return [d for d in docs if d.id not in dt and d.id not in va]
    raise InputError(f"unknown split '{split}' (use train, val, dev-test or all)")


def load_corpus(name: str, data_root: str | Path) -> tuple[list[CorpusDoc], list[Path]]:
    """Read a named shared corpus; returns the docs and the input files read."""
    root = Path(data_root)
    if name == "maccrobat":
        folder = root / "maccrobat"
        docs = read_maccrobat(folder)
        files = sorted(folder.glob("*.txt")) + sorted(folder.glob("*.ann"))
        return docs, files
    if name == "glaucoma":
        p = root / "glaucoma" / "annotations.jsonl"
        return read_glaucoma(p), [p]
    if name == "presidio-synth":
        p = root / "presidio-synth" / "synth_dataset_v2.json"
        return read_presidio_synth(p), [p]
    if name == "ncbi-disease":
        folder = root / "ncbi-disease"
        return read_ncbi_disease(folder), [folder / f for f in NCBI_SETS.values()]
    raise InputError(f"unknown corpus '{name}' (known: maccrobat, glaucoma, presidio-synth, ncbi-disease)")

