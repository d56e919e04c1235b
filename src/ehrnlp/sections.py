"""Section detection from data rules (``ehrnlp/rules/sections.json``).

Works on line-structured notes (``Allergies:`` at the start of a line, Markdown
``# Allergies``) and on flattened Epic text where the newlines were lost and headers are
only separated by runs of spaces (``...    HPI: ...    No Known Allergies  Current
Outpatient Medications (Ophthalmic Medications)   Medication Sig ...``).

A header is recognised when

* it starts the text, a line, follows a run of two or more spaces, a Markdown ``#`` or a
  bullet, or (headers with a colon only) follows the end of a sentence;
* it is followed by what its rule asks for: a colon (``required``), a colon or a layout
  break -- two or more spaces, a newline, the end of the text (``optional``) -- or
  nothing in particular (``none``, e.g. ``No Known Allergies``).

Sections cover the whole note in order: text before the first header is ``other``, each
section runs from its header to the next header, and consecutive headers of the same
section merge (``Allergies:   Allergies   Allergen Reactions``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import Document, Section
from .textnorm import layout_view

__all__ = ["SECTION_NAMES", "SectionStage", "detect_sections", "load_section_rules"]

#: The canonical section names (API contract).
SECTION_NAMES: tuple[str, ...] = (
    "chief_complaint",
    "hpi",
    "ros",
    "pmh",
    "psh",
    "fh",
    "sh",
    "allergies",
    "medications",
    "exam",
    "labs",
    "imaging",
    "assessment",
    "plan",
    "assessment_plan",
    "impression",
    "problem_list",
    "procedures",
    "instructions",
    "other",
)

# Where a header may start: text start, after a newline, after 2+ spaces/tabs, after a
# Markdown '#' or a bullet. Python look-behinds are fixed width, hence the alternatives.
_LEFT = r"(?:(?<![^\n])|(?<=[ \t][ \t])|(?<=\t)|(?<=#[ \t])|(?<=[\u2022*][ \t])|(?<=^[ \t]))"
# Extra left context allowed for headers followed by a colon: after a sentence end or a dash.
_LEFT_COLON = r"(?:" + _LEFT[3:-1] + r"|(?<=[.!?;\-][ \t])|(?<=\|[ \t]))"
_COLON = r"[ \t]*:"
_WORD_END = r"(?!(?<=\w)\w)"
_BREAK = r"(?=[ \t]*:|[ \t]{2,}|[ \t]*\r?\n|[ \t]*$)"


@dataclass(frozen=True)
class _Rule:
    section: str
    regex: re.Pattern[str]
    #: a statement rather than a header ("No Known Allergies", "NKDA"): its section ends
    #: with the statement's sentence and the text after it returns to the section before
    statement: bool = False


#: between the words of a header: spaces, or one line end (a header cut by a re-wrap at a
#: fixed width, "Current Outpatient\nPrescriptions")
_HEADER_GAP = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"


def _literal_regex(literal: str) -> str:
    parts = [re.escape(p) for p in literal.split()]
    return _HEADER_GAP.join(parts)


def _compile_rules(data: Mapping[str, Any], origin: str, *, known_names_only: bool) -> tuple[_Rule, ...]:
    rules: list[_Rule] = []
    try:
        items = list(data["rules"])
    except (KeyError, TypeError):
        raise ConfigError(f"section rules {origin}: expected an object with a 'rules' list") from None
    for i, r in enumerate(items):
        name = r.get("section") if isinstance(r, Mapping) else None
        if not isinstance(name, str) or not _SECTION_NAME.fullmatch(name):
            raise ConfigError(f"section rule #{i} of {origin}: 'section' must be a lower-case name like 'social_history'")
        if known_names_only and name not in SECTION_NAMES:
            raise ConfigError(f"section rule #{i} names unknown section '{name}'; expected one of {SECTION_NAMES}")
        colon = r.get("colon", "optional")
        alts = sorted(
            (_literal_regex(x) for x in r.get("literals", ())), key=len, reverse=True
        ) + list(r.get("patterns", ()))
        if not alts:
            continue
        body = "(?:" + "|".join(alts) + ")"
        if colon == "required":
            pat = _LEFT_COLON + body + _COLON
        elif colon == "optional":
            pat = "(?:" + _LEFT_COLON + body + _COLON + "|" + _LEFT + body + _WORD_END + _BREAK + ")"
        elif colon == "none":
            pat = _LEFT + body + _WORD_END + "(?:" + _COLON + ")?"
        else:
            raise ConfigError(f"section rule #{i} of {origin}: 'colon' must be required, optional or none, not '{colon}'")
        flags = re.MULTILINE if r.get("case_sensitive") else re.MULTILINE | re.IGNORECASE
        try:
            rx = re.compile(pat, flags)
        except re.error:
            raise ConfigError(f"section rule #{i} of {origin}: a pattern is not a valid regular expression") from None
        rules.append(_Rule(name, rx, bool(r.get("statement", False))))
    return tuple(rules)


_SECTION_NAME = re.compile(r"[a-z][a-z0-9_]*")


@cache
def load_section_rules() -> tuple[_Rule, ...]:
    """The compiled header rules shipped in ``ehrnlp/rules/sections.json``."""
    from ._resources import bundled_json

    data = bundled_json("rules", "sections.json", what="section rules")
    return _compile_rules(data, "sections.json", known_names_only=True)


def load_section_rule_file(path: str | Path) -> tuple[_Rule, ...]:
    """Header rules from a JSON file in the format of the bundled ``sections.json``. A rule
    may name one of :data:`SECTION_NAMES` (a new header for a known section) or a new
    lower-case section name of its own."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read section rules file {path}: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError):
        raise ConfigError(f"section rules file {path} is not valid JSON") from None
    return _compile_rules(data, str(path), known_names_only=False)


# Positions where a header may start (the rules' look-behinds check the exact context);
# trying the rules only there is much faster than scanning every rule over the text.
_CANDIDATE = re.compile(r"(?:^|(?<=\n)|(?<=[ \t][ \t])|(?<=\t)|(?<=[#\u2022*.!?;|\-][ \t]))(?=[^\s])", re.MULTILINE)


def _headers(text: str, rules: Sequence[_Rule] | None = None) -> list[tuple[int, int, str, bool]]:
    found: list[tuple[int, int, str, bool]] = []
    rules = load_section_rules() if rules is None else rules
    for c in _CANDIDATE.finditer(text):
        pos = c.start()
        for rule in rules:
            m = rule.regex.match(text, pos)
            if m:
                found.append((m.start(), m.end(), rule.section, rule.statement))
    # earliest first; at the same start the longest header wins
    found.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, str, bool]] = []
    for h in found:
        if kept and h[0] < kept[-1][1]:
            continue
        kept.append(h)
    return kept


_STATEMENT_END = re.compile(r"[.!?](?=\s|$)|\n|[ \t]{2,}")


def detect_sections(text: str, rules: Sequence[_Rule] | None = None) -> list[Section]:
    """Split ``text`` into consecutive :class:`Section` objects covering it in order.

    An empty text has no sections; a text without any header is one ``other`` section.
    A statement such as ``No Known Allergies`` is a section of its own sentence; the
    text after it returns to the section it interrupted.
    """
    if not text:
        return []
    # headers are found in the canonical layout (runs of spaces, tabs, nbsp, CRLF) and
    # mapped back; the sections still cover the original text in order
    view = layout_view(text)
    if not view.identity:
        return [
            Section(s.name, view.to_orig(s.start), view.to_orig(s.end) if s.end < len(view.text) else len(text))
            for s in _detect_sections(view.text, rules)
        ]
    return _detect_sections(text, rules)


def _detect_sections(text: str, rules: Sequence[_Rule] | None) -> list[Section]:
    heads = _headers(text, rules)
    out: list[Section] = []

    def add(name: str, start: int, stop: int) -> None:
        if stop <= start:
            return
        if out and out[-1].name == name and out[-1].end == start:
            out[-1] = Section(name, out[-1].start, stop)
        else:
            out.append(Section(name, start, stop))

    add("other", 0, heads[0][0] if heads else len(text))
    for i, (start, hend, name, statement) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        if statement:
            before = out[-1].name if out else "other"
            m = _STATEMENT_END.search(text, hend, stop)
            end = stop if m is None else (m.end() if m.group() in ".!?" else m.start())
            if not text[end:stop].strip():
                end = stop
            add(name, start, end)
            add(before, end, stop)
        else:
            add(name, start, stop)
    return out


class SectionStage:
    """Pipeline stage ``sections``: fills ``doc.sections``."""

    name = "sections"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("doc.sections",)
    version = "1"

    def __init__(self, extra_rules: Iterable[str | Path] = ()) -> None:
        """``extra_rules``: JSON rule files (the format of ``rules/sections.json``) whose
        headers are tried together with the bundled ones (config ``[rules] sections``)."""
        extra = tuple(r for p in extra_rules for r in load_section_rule_file(p))
        self.rules = extra + load_section_rules()  # fail at construction, not on the first note

    def __call__(self, doc: Document) -> Document:
        # entity sections are the business of the stage that makes the entities (ner), which
        # runs after this one: one writer of Entity.section
        return doc.replace(sections=tuple(detect_sections(doc.text, self.rules)))

