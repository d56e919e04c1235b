"""Build PHI gold sets (JSONL, the format of API.md) from the shared development data.

* Glaucoma notes: the earlier de-identifier left runs of ``*``. Where the layout makes the
  type certain, the mask is filled with a typed synthetic value and becomes a gold span:
  ``*/**/****`` (DATE), ``***-***-****`` (PHONE), ``Dr. ****`` and ``**** * ****, MD``
  (NAME), the header name in ``**** **** is a 73 y.o.`` (NAME), ``** y.o.`` (AGE over 89),
  ``****, ** *****-****`` (LOCATION: city, state, ZIP) and the facility in the first line
  (LOCATION). Every other mask stays as it is and becomes an ``ignore`` span.
* presidio-synth (only the templates held out from NER training, see
  ``ehrnlp/training/splits.json``; the others get split ``train``): PERSON -> NAME, STREET_ADDRESS/GPE/ZIP_CODE -> LOCATION, PHONE_NUMBER ->
  PHONE, EMAIL_ADDRESS -> EMAIL, DOMAIN_NAME -> URL, IP_ADDRESS -> IP, US_SSN -> SSN,
  CREDIT_CARD/IBAN_CODE/US_DRIVER_LICENSE -> ID, DATE_TIME -> DATE (a year, weekday or time
  alone is ignored: Safe Harbor keeps years), AGE -> AGE only when
  over 89 (younger ages are not PHI: redacting them counts against precision);
  ORGANIZATION is ignored (a hospital is PHI, a company is not); TITLE and NRP are not PHI.
* MACCROBAT case reports carry no PHI: their Sign_symptom, Disease_disorder and
  Medication spans are kept as ``protect`` spans to measure over-redaction.

The fills are seeded and deterministic. Nothing here is shipped or committed: the output
goes to ``data/phi/`` (git-ignored).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

__all__ = ["glaucoma_records", "presidio_synth_records", "maccrobat_records", "split_of"]

# Synthetic fill values, distinct from the surrogate lists the operators use.
_FIRST = [
    "Adaeze", "Bartholomew", "Concepcion", "Dmitri", "Eloise", "Fatima", "Gunnar", "Hiroshi", "Ingrid", "Jamal",
    "Kateryna", "Lorenzo", "Maeve", "Nikolai", "Oluwaseun", "Penelope", "Rashida", "Santiago", "Thuy", "Ulrich",
    "Vivienne", "Wendell", "Ximena", "Yolanda", "Zachariah", "Annemarie", "Bao", "Cormac", "Delphine", "Ezekiel",
    "Genevieve", "Ignatius", "Juniper", "Kwame", "Lucinda", "Marguerite", "Naveen", "Ottilie", "Priscilla", "Reginald",
    "Sunniva", "Thaddeus", "Wilhelmina", "Agnieszka", "Bjorn", "Chidi", "Dolores", "Esperanza", "Florian", "Gwendolyn",
]
_LAST = [
    "Abernethy-Cole", "Balasubramanian", "Castellanos", "D'Alessandro", "Esterhuizen", "Fitzgerald", "Gallagher",
    "Hollingsworth", "Ishikawa", "Jablonski", "Kowalczyk", "Lindgren", "MacPherson", "Nwachukwu", "O'Sullivan",
    "Pellegrino", "Quintanilla", "Rademacher", "Szczepanski", "Trujillo", "Underwood", "Villanueva", "Wojcik",
    "Yamamoto", "Zeller", "Ashworth", "Brannigan", "Cavendish", "Dunleavy", "Ekwueme", "Featherstone", "Grunewald",
    "Hakobyan", "Iacobelli", "Jorgensen", "Kirkpatrick", "Lacroix", "Montgomery", "Nakashima", "Oyelaran",
    "Pankhurst", "Radovanovic", "Sorensen", "Tennyson", "Van Houten", "Whitacre", "Xiong", "Yilmaz", "Zubrowski", "Strickland",
]
_CITIES = ["Beaverton", "Tualatin", "Gresham", "Hillsboro", "Salem", "Eugene", "Corvallis", "Bend", "Medford",
           "Vancouver", "Lake Oswego", "Oregon City", "Milwaukie", "The Dalles", "Astoria", "Newberg"]
_STATES = ["OR", "WA", "ID", "CA"]
_FACILITIES = ["Riverbend Eye Institute", "Summit Vision Clinic", "Lakeside Eye Center", "Mount Tabor Eye Clinic",
               "Hillcrest Ophthalmology Associates", "Willamette Valley Eye Institute", "Cascade Regional Medical Center"]

_M = r"\*+"
_MASK = re.compile(r"\*+")


def split_of(doc_id: str) -> str:
    """``dev`` (about two thirds) or ``test``, from a hash of the id (stable across runs)."""
    return "test" if int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % 3 == 0 else "dev"


def _rand_date(rng: random.Random, mask: str) -> str:
    parts = mask.split("/")
    if len(parts) == 2:  # M/YYYY
        m = rng.randint(1, 9) if len(parts[0]) == 1 else rng.randint(10, 12)
        return f"{m}/{rng.randint(2012, 2020)}"
    mw, dw, yw = (len(p) for p in parts)
    m = rng.randint(1, 9) if mw == 1 else rng.randint(10, 12)
    d = rng.randint(1, 9) if dw == 1 else rng.randint(10, 28)
    y = rng.randint(2008, 2020)
    return f"{m}/{d}/{y if yw == 4 else f'{y % 100:02d}'}"


def _rand_phone(rng: random.Random, mask: str) -> str:
    digits = iter(["5", "0", "3"] + [str(rng.randint(2, 9))] + [str(rng.randint(0, 9)) for _ in range(6)])
    return "".join(next(digits) if c == "*" else c for c in mask)


def _rand_name(rng: random.Random, mask: str) -> str:
    words = mask.split(" ")
    out = []
    for i, w in enumerate(words):
        core = w.rstrip(".")
        if len(core) == 1:
            out.append(chr(ord("A") + rng.randrange(26)) + ("." if w.endswith(".") else ""))
        elif i == len(words) - 1 and len(words) > 1:
            out.append(rng.choice(_LAST))
        elif len(words) == 1:
            out.append(rng.choice(_LAST))
        else:
            out.append(rng.choice(_FIRST))
    return " ".join(out)


def _rand_city_state_zip(rng: random.Random, mask: str) -> str:
    zip_mask = mask.rsplit(" ", 1)[1]
    z = "97" + "".join(str(rng.randint(0, 9)) for _ in range(3))
    if "-" in zip_mask:
        z += "-" + "".join(str(rng.randint(0, 9)) for _ in range(4))
    sep = "  " if "  " in mask else " "
    return f"{rng.choice(_CITIES)},{sep}{rng.choice(_STATES)} {z}"


# (label, regex with group 'x' = the mask to fill, filler). Order matters: first claim wins.
_MW = r"\*+\.?"  # a masked word, possibly an initial with a period
_NAME_MASK = rf"\*+(?: {_MW}){{0,3}}"
_CREDS = r"(?:MD|M\.D\.|PhD|COT|COA|COMT|PA-C|CRNA)\b"
_WEAK = r"(?:DO|OD|O\.D\.|RN|NP)\b"  # also eye/clinical abbreviations: only after a comma
_RULES: list[tuple[str, re.Pattern[str], str]] = [
    ("PHONE", re.compile(r"(?P<x>\(\*{3}\) ?\*{3}-\*{4})"), "phone"),
    ("PHONE", re.compile(r"(?<![\w*-])(?P<x>\*{3}-\*{3}-\*{4})(?![\w*-])"), "phone"),
    ("LOCATION", re.compile(r"(?<![\w*])(?P<x>\*+(?: \*+){0,2}, {1,2}\*{2} \*{5}(?:-\*{4})?)(?![\w*-])"), "csz"),
    ("DATE", re.compile(r"(?<![\w*/])(?P<x>\*{1,2}/\*{1,2}/(?:\*{4}|\*{2}))(?![\w*/])"), "date"),
    ("DATE", re.compile(r"(?<![\w*/])(?P<x>\*{1,2}/\*{4})(?![\w*/])"), "date"),
    ("AGE", re.compile(r"(?<![\w*])(?P<x>\*{2,3}) y\.?o\.?"), "age"),
    ("NAME", re.compile(r"\bDr\.? (?P<x>\*+(?: \*+)?)(?![\w*'’-])"), "name"),
    ("NAME", re.compile(rf"(?<![\w*])(?P<x>{_NAME_MASK}),? {_CREDS}"), "name"),
    ("NAME", re.compile(rf"(?<![\w*])(?P<x>{_NAME_MASK}), {_WEAK}"), "name"),
    ("NAME", re.compile(rf"(?<![\w*])(?P<x>\*+(?: {_MW}){{1,3}}) +is an? (?:\d+|\*+) y\.?o\.?"), "name"),
    ("NAME", re.compile(rf"\b(?:Referred by|Referring Provider|Referring Physician|PCP|Physician|Attending|Provider|[Ss]een by|scribe for):? +(?P<x>\*+(?: {_MW}){{1,3}})(?![\w*])"), "name"),
    ("NAME", re.compile(rf"\bI,? (?:am )?(?P<x>\*+(?: {_MW}){{1,3}}),? (?:am |performed|functioning)"), "name"),
    ("LOCATION", re.compile(r"^\s*(?P<x>\*{5} \*{3} \*{9})(?= Progress Note)"), "facility"),
]


def fill_glaucoma_note(text: str, seed: str) -> tuple[str, list[dict], list[list[int]]]:
    """Return ``(filled_text, phi_spans, ignore_spans)`` for one masked note."""
    rng = random.Random(int(hashlib.sha256(seed.encode()).hexdigest()[:16], 16))
    claims: list[tuple[int, int, str, str]] = []  # start, end, label, filler (in the masked text)
    taken = [False] * len(text)
    for label, rx, filler in _RULES:
        for m in rx.finditer(text):
            s, e = m.span("x")
            if any(taken[s:e]):
                continue
            for i in range(s, e):
                taken[i] = True
            claims.append((s, e, label, filler))
    claims.sort()
    out: list[str] = []
    phi: list[dict] = []
    ignore: list[list[int]] = []
    pos = 0

    def emit_plain(a: int, b: int) -> None:
        chunk = text[a:b]
        base = sum(len(x) for x in out)
        for mm in _MASK.finditer(chunk):
            ignore.append([base + mm.start(), base + mm.end()])
        out.append(chunk)

    for s, e, label, filler in claims:
        emit_plain(pos, s)
        mask = text[s:e]
        if filler == "date":
            value = _rand_date(rng, mask)
        elif filler == "phone":
            value = _rand_phone(rng, mask)
        elif filler == "age":
            value = str(rng.randint(90, 99)) if len(mask) == 2 else str(rng.randint(100, 104))
        elif filler == "csz":
            value = _rand_city_state_zip(rng, mask)
        elif filler == "facility":
            value = rng.choice(_FACILITIES)
        else:
            value = _rand_name(rng, mask)
        start = sum(len(x) for x in out)
        out.append(value)
        phi.append({"start": start, "end": start + len(value), "label": label})
        pos = e
    emit_plain(pos, len(text))
    return "".join(out), phi, ignore


def glaucoma_records(notes_dir: str | Path) -> Iterator[dict]:
    for path in sorted(Path(notes_dir).glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        text, phi, ignore = fill_glaucoma_note(raw, path.stem)
        yield {"id": f"glaucoma/{path.stem}", "text": text, "phi": phi, "ignore": ignore, "split": split_of(path.stem)}


_SYNTH_MAP = {
    "PERSON": "NAME", "STREET_ADDRESS": "LOCATION", "GPE": "LOCATION", "ZIP_CODE": "LOCATION",
    "PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL", "DOMAIN_NAME": "URL", "IP_ADDRESS": "IP",
    "US_SSN": "SSN", "CREDIT_CARD": "ID", "IBAN_CODE": "ID", "US_DRIVER_LICENSE": "ID", "DATE_TIME": "DATE",
}


def _presidio_synth_split(i: int, held_out: set[str] | None) -> str:
    """``train`` for sentences the NER model trains on (the train and val templates of
    ``ehrnlp/training/splits.json``); the held-out templates are ``dev`` or ``test`` by hash."""
    if held_out is not None and f"presidio-synth-{i}" not in held_out:
        return "train"
    return split_of(str(i))


def presidio_synth_records(path: str | Path) -> Iterator[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    from .corpus import load_splits

    held_out = set(load_splits()["corpora"].get("presidio-synth", {}).get("dev-test", [])) or None
    for i, rec in enumerate(data):
        phi, ignore = [], []
        for sp in rec.get("spans", []):
            s, e, t = sp["start_position"], sp["end_position"], sp["entity_type"]
            if t == "AGE":
                m = re.search(r"\d+", sp["entity_value"])
                if m and int(m.group(0)) > 89:
                    phi.append({"start": s, "end": e, "label": "AGE"})
            elif t == "DATE_TIME" and re.fullmatch(r"\s*(?:(?:19|20)\d{2}|[A-Z][a-z]+day|\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?)\s*", sp["entity_value"]):
                ignore.append([s, e])  # a year, weekday or time alone is not a Safe Harbor identifier
            elif t in _SYNTH_MAP:
                phi.append({"start": s, "end": e, "label": _SYNTH_MAP[t]})
            elif t == "ORGANIZATION":
                ignore.append([s, e])
        yield {"id": f"presidio-synth/{i}", "text": rec["full_text"], "phi": phi, "ignore": ignore,
               "split": _presidio_synth_split(i, held_out)}


def maccrobat_records(folder: str | Path) -> Iterator[dict]:
    keep = {"Sign_symptom", "Disease_disorder", "Medication"}
    for txt in sorted(Path(folder).glob("*.txt")):
        ann = txt.with_suffix(".ann")
        protect = []
        if ann.exists():
            for line in ann.read_text(encoding="utf-8").splitlines():
                if not line.startswith("T"):
                    continue
                parts = line.split("\t")
                if len(parts) < 2:
                    continue
                head = parts[1].split(" ")
                if head[0] not in keep:
                    continue
                for frag in " ".join(head[1:]).split(";"):
                    a, b = frag.split()
                    protect.append([int(a), int(b), head[0]])
        yield {"id": f"maccrobat/{txt.stem}", "text": txt.read_text(encoding="utf-8"), "phi": [], "ignore": [],
               "protect": protect, "split": split_of(txt.stem)}
