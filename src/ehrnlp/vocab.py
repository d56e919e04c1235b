"""Vocabularies: curated term lists with codes, shipped as TSV inside the package.

Every ``vocab/*.tsv`` file has a header row with these columns (tab separated, UTF-8):

``term  norm  label  system  code  display  tty  source  source_version``

* ``term``: the surface form as written in notes ("Lipitor", "SOB", "shortness of breath")
* ``norm``: :func:`normalize_term` of the term (optional in user files; recomputed and checked at load)
* ``label``: the entity label the term supports (``MEDICATION``, ``SYMPTOM``, ``PROBLEM``,
  ``ALLERGEN``, ``REACTION``, ``SEVERITY``, ``ROUTE``, ``FREQUENCY``, ``DOSE``, ``DURATION``)
* ``system``/``code``/``display``: the standard code (may be empty for uncoded terms); ``system``
  is a URI or a short name (``rxnorm``, ``snomed``, ``icd10cm``...); RxNorm, SNOMED CT and
  ICD-10-CM codes are checked for their format
* ``tty``: term type / category (RxNorm ``IN``/``PIN``/``MIN``/``BN``; ``BN>IN``/``BN>MIN``/``PIN>IN``
  rows carry the ingredient code of a brand or salt; ``class``, ``abbr``, ``synonym``, ``map``
  for ICD-10-CM rows...). ``abbr-ambiguous`` marks link-only rows: ambiguous abbreviations and
  terms that usually mean something else in notes; the rule matcher skips them, the
  normalizer still links them.
* ``source``/``source_version``: provenance of the row
"""

from __future__ import annotations

import csv
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import VocabError
from .model import CLINICAL_LABELS, Code
from .terminology import ICD10CM, LOINC, NDC, RXNORM, SNOMED

__all__ = ["VOCAB_COLUMNS", "VocabEntry", "Vocabulary", "load_vocabulary", "normalize_term", "loose_term", "bundled_vocab_files"]

VOCAB_COLUMNS = ("term", "norm", "label", "system", "code", "display", "tty", "source", "source_version")

_WS = re.compile(r"\s+")
_STRIP = re.compile(r"[^\w\s/+%.\-']")


_SEP = re.compile(r"[\s\-/.,+']+")


def loose_term(norm: str) -> str:
    """A looser key of a normalized term: separators folded to spaces
    ("amoxicillin-clavulanate" == "amoxicillin/clavulanate")."""
    return _SEP.sub(" ", norm).strip()


def normalize_term(text: str) -> str:
    """Lower-case, strip accents and most punctuation, collapse whitespace."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).lower()
    t = t.replace("’", "'")
    t = _STRIP.sub(" ", t)
    t = t.strip(" .-'")
    return _WS.sub(" ", t)


@dataclass(frozen=True)
class VocabEntry:
    term: str
    norm: str
    label: str
    system: str
    code: str
    display: str
    tty: str
    source: str
    source_version: str

    def to_code(self, score: float = 1.0) -> Code | None:
        if not self.code:
            return None
        return Code(self.system, self.code, self.display, score)


#: short names accepted in the ``system`` column of user files
SYSTEM_ALIASES = {
    "rxnorm": RXNORM,
    "snomed": SNOMED,
    "sct": SNOMED,
    "snomedct": SNOMED,
    "icd10cm": ICD10CM,
    "icd-10-cm": ICD10CM,
    "ndc": NDC,
    "loinc": LOINC,
}
_SYSTEM_LABELS = {
    RXNORM: "RxNorm (digits)",
    SNOMED: "SNOMED CT (6-18 digits)",
    ICD10CM: "ICD-10-CM (e.g. E11.9)",
}
_CODE_PATTERNS = {
    RXNORM: re.compile(r"\d{1,9}"),
    SNOMED: re.compile(r"[1-9]\d{5,17}"),
    ICD10CM: re.compile(r"[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?"),
}


def bundled_vocab_files() -> list[Path]:
    """The TSV files shipped in the package (``ehrnlp/vocab_data``) or, in a source
    checkout, in the repository's ``vocab/`` folder."""
    try:
        pkg = resources.files("ehrnlp") / "vocab_data"
        if pkg.is_dir():
            return sorted(Path(str(p)) for p in pkg.iterdir() if p.name.endswith(".tsv"))
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        pass
    # Editable installs (pip install -e .) do not map vocab/ into the package: read the
    # checkout's vocab/ folder, recognised by its NOTICE.md.
    checkout = Path(__file__).resolve().parents[2] / "vocab"
    if (checkout / "NOTICE.md").is_file():
        return sorted(checkout.glob("*.tsv"))
    return []


def _read_tsv(path: Path) -> Iterator[VocabEntry]:
    if not path.is_file():
        raise VocabError(f"vocabulary file not found: {path}")
    try:
        fh = path.open(encoding="utf-8", newline="")
        with fh:
            reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header is None:
                raise VocabError(f"{path}: empty file; expected a header row with columns {', '.join(VOCAB_COLUMNS)}")
            header = [h.strip() for h in header]
            missing = [c for c in ("term", "label") if c not in header]
            if missing:
                raise VocabError(
                    f"{path}: header lacks column(s) {missing}; expected tab-separated columns "
                    f"{', '.join(VOCAB_COLUMNS)} (only term and label are required)"
                )
            unknown = [h for h in header if h not in VOCAB_COLUMNS]
            if unknown:
                raise VocabError(f"{path}: unknown column(s) {unknown}; allowed: {', '.join(VOCAB_COLUMNS)}")
            idx = {h: i for i, h in enumerate(header)}
            for lineno, row in enumerate(reader, start=2):
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise VocabError(f"{path}:{lineno}: {len(row)} columns, header has {len(header)}")
                get = lambda c: row[idx[c]].strip() if c in idx else ""  # noqa: E731, B023 - used at once, in this iteration
                term, label = get("term"), get("label").upper()
                if not term:
                    raise VocabError(f"{path}:{lineno}: empty 'term'")
                if label not in CLINICAL_LABELS:
                    raise VocabError(f"{path}:{lineno}: label {label!r} is not one of {', '.join(CLINICAL_LABELS)}")
                system, code = get("system"), get("code")
                if bool(system) != bool(code):
                    raise VocabError(f"{path}:{lineno}: 'system' and 'code' must be given together")
                if system:
                    system = SYSTEM_ALIASES.get(system.lower(), system)
                    if ":" not in system:
                        raise VocabError(
                            f"{path}:{lineno}: system {system!r} is not a URI; use a code system URI or one of "
                            f"{', '.join(sorted(SYSTEM_ALIASES))}"
                        )
                    pattern = _CODE_PATTERNS.get(system)
                    if pattern is not None and not pattern.fullmatch(code):
                        raise VocabError(f"{path}:{lineno}: {code!r} is not a valid {_SYSTEM_LABELS[system]} code")
                norm = normalize_term(term)
                if not norm:
                    raise VocabError(f"{path}:{lineno}: term normalizes to an empty string")
                given_norm = get("norm")
                if given_norm and given_norm != norm:
                    raise VocabError(
                        f"{path}:{lineno}: column 'norm' is {given_norm!r} but the term normalizes to {norm!r}; "
                        "leave 'norm' empty (it is computed) or fix it"
                    )
                yield VocabEntry(term, norm, label, system, code, get("display") or term, get("tty"),
                                 get("source") or path.name, get("source_version"))
    except UnicodeDecodeError:
        raise VocabError(f"{path}: not UTF-8 text") from None
    except csv.Error as exc:
        raise VocabError(f"{path}: not a valid TSV file ({exc})") from None


class Vocabulary:
    """All loaded entries, indexed by normalized term."""

    def __init__(self, entries: Iterable[VocabEntry] = ()):
        self.entries: list[VocabEntry] = []
        self.by_norm: dict[str, list[VocabEntry]] = {}
        for e in entries:
            self.add(e)

    def add(self, entry: VocabEntry) -> None:
        self.entries.append(entry)
        self.by_norm.setdefault(entry.norm, []).append(entry)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, text: str, labels: Iterable[str] | None = None) -> list[VocabEntry]:
        """Exact look-up on the normalized form, optionally restricted to labels."""
        found = self.by_norm.get(normalize_term(text), [])
        if labels is not None:
            allowed = set(labels)
            found = [e for e in found if e.label in allowed]
        return list(found)


_BUNDLED_CACHE: dict[tuple, tuple[VocabEntry, ...]] = {}


def bundled_entries() -> tuple[VocabEntry, ...]:
    """The entries of the bundled vocabulary files, parsed once per process (immutable); for
    readers that only iterate them, without the look-up index :class:`Vocabulary` builds."""
    files = bundled_vocab_files()
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    cached = _BUNDLED_CACHE.get(key)
    if cached is None and not files:
        # a copy of src/ without vocab/ beside it (or a broken install): every vocabulary rule,
        # the normalizer's codes and the de-identifier's word lists that read it go quiet
        logging.getLogger(__name__).warning(
            "the bundled vocabulary was not found (neither the package's vocab_data nor a checkout's "
            "vocab/ folder): coding and the vocabulary-based rules are off; reinstall ehrnlp")
    if cached is None:
        cached = tuple(e for path in files for e in _read_tsv(path))
        _BUNDLED_CACHE.clear()
        _BUNDLED_CACHE[key] = cached
    return cached


def load_vocabulary(extra: Iterable[str | Path] = ()) -> Vocabulary:
    """The bundled vocabularies plus user files (validated; errors name file and line).

    User files are read first, so a malformed one fails before anything else is loaded;
    the bundled files are parsed once per process (entries are immutable).
    """
    user = [e for p in extra for e in _read_tsv(Path(p))]
    vocab = Vocabulary(bundled_entries())
    for entry in user:
        vocab.add(entry)
    return vocab
