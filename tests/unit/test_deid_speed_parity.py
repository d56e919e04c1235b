"""The de-identification stage's fast paths give what the plain code gave (branch deidspeed).

Each fast path is checked against the straightforward implementation it replaced (kept here)
on synthetic text: table-chosen edge cases plus random strings drawn from the characters that
the code treats specially (blanks, tabs, CR/LF, NBSP and other Unicode blanks, full-width
digits, letters with and without case, combining marks, ligatures). The stage-level check on
real corpora is scripts/deid_parity.py.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from pathlib import Path

import pytest

from ehrnlp.deid import layout
from ehrnlp.deid.postprocess import lower_case_note


# -- the implementations the fast paths replaced -------------------------------------------
def _reference_view(text: str, gaps: bool, join_lines: bool = False) -> tuple[str, list[int]]:
    out: list[str] = []
    offs: list[int] = []
    blanks = 0
    for i, ch in enumerate(text):
        if ch == "\r":
            continue
        if join_lines and ch == "\n" and layout._wrapped_break(text, i):
            ch = " "
        if ch in " \t\u00a0\u2002\u2003\u2009\u3000":
            want = 2 if gaps and (ch == "\t" or blanks) else 1
            while blanks < want:
                out.append(" ")
                offs.append(i)
                blanks += 1
            continue
        blanks = 0
        norm = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        for c in norm or ch:
            out.append(c)
            offs.append(i)
    offs.append(len(text))
    return "".join(out), offs


def _reference_lower(text: str) -> bool:
    cased = [c for c in text if c.islower() or c.isupper()]
    return bool(cased) and sum(c.islower() for c in cased) >= 0.98 * len(cased)


_ALPHABET = (
    list("abcXYZ019.,:-|*#/()") + [" "] * 8 + ["\t", "\t", "\n", "\n", "\r", "\r\n"]
    + ["\u00a0", "\u2002", "\u2003", "\u2009", "\u3000", "\u000b", "\u000c", "\x00"]
    + ["１", "２", "Ａ", "ﬁ", "é", "e\u0301", "ß", "Ω", "ω", "ǅ", "Ж", "ж", "中", "א", "ﾊ", "①", "\U0001d400", "™"]
    + ["\n- ", "\n1. ", "\n\n", "  \n", " \r\n "]
)

_CASES = [
    "", " ", "\t", "\r", "\n", "\r\n", "a", "a b", "a  b", "a\tb", "a \tb", "a\t b", " a ", "a   b",
    "MRN:\t\t１２３４５６７８", "Name  |  DOB\r\nJane  Roe | 1/2/1970", "ends with blank ", "two blanks  ",
    "wrapped line\nof running text\n- a bullet\n1. numbered\n\nnew para", "a\u00a0\u00a0b\u3000c", "ﬁle ﬂow ™",
    "line one\r\nline two\r\n", "x \r y", " \r\n\t", "e\u0301 and é", "tab\tend\t",
]


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 60))) for _ in range(n)]


@pytest.mark.parametrize("gaps,join_lines", [(True, False), (False, False), (False, True)])
def test_canonical_view_builds_what_the_character_loop_built(gaps: bool, join_lines: bool) -> None:
    for text in _CASES + _random_texts(3000, seed=20 + gaps + 2 * join_lines):
        assert layout._build_view(text, gaps, join_lines) == _reference_view(text, gaps, join_lines), repr(text)


def test_canonical_view_fast_path_changes_something() -> None:
    # the check above is not vacuous: the views differ from the text in the ways they should
    view, offs = layout._build_view("MRN:\t\t１２  x\r\ny", True)
    assert view == "MRN:  12  x\ny" and offs[-1] == len("MRN:\t\t１２  x\r\ny")
    flat, _ = layout._build_view("a  b\nc", False, True)
    assert flat == "a b c"


def test_lower_case_note_counts_as_before() -> None:
    texts = _CASES + _random_texts(3000, seed=7) + [
        "pt seen by dr. okafor today", "PT SEEN BY DR. OKAFOR", "mostly lower " * 60 + "X",
        "mostly lower " * 10 + "X", "שלום עולם", "ǅ ǅ ǅ", "ß" * 50 + "A",
    ]
    for text in texts:
        assert lower_case_note(text) == _reference_lower(text), repr(text)
        swapped = text.swapcase()
        assert lower_case_note(swapped) == _reference_lower(swapped), repr(swapped)
        cased = [c for c in text if c.isupper() or c.islower()]  # layout.team_items' test for capitals
        lower, upper = layout.letter_cases(text)
        assert (bool(cased) and sum(c.isupper() for c in cased) >= 0.98 * len(cased)) == bool(
            lower + upper and upper >= 0.98 * (lower + upper)), repr(text)
    # 98% is the line: 49 lower-case letters and one capital is lower case, 48 and 2 is not
    assert lower_case_note("a" * 49 + "B") and not lower_case_note("a" * 48 + "BC")


# -- Presidio without spaCy's tokens -------------------------------------------------------
_CONTEXT_NOTES = [
    "Please call her cell phone 503-494-3000 or the office telephone (617) 555-0142 tomorrow.",
    "Card on file: credit card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00.",
    "Portal login from IP 192.168.10.20; medical license AB1234563; phone number +44 20 7946 0958.",
    "Pt Johnathan Applewood (MRN 00482913), DOB 03/14/1951, seen by Dr. Marisol Teague on 3/15/19.",
]


def _key(results) -> list[tuple]:
    return sorted((r.entity_type, r.start, r.end, r.score, (r.recognition_metadata or {}).get("recognizer_name"))
                  for r in results)


def test_presidio_finds_the_same_without_spacy_tokens(rules_stage) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "canary"))
    import phi_canary

    stage = rules_stage
    assert stage._spacy_unread and stage._no_artifacts is not None
    engine = stage.analyzer.nlp_engine
    texts = _CONTEXT_NOTES + [phi_canary.note(i, 16).text for i in range(0, 120, 7)]
    with_context = 0
    for text in texts:
        # the premise: no spaCy component runs, so every lemma is empty
        assert all(tok.lemma_ == "" for tok in stage.nlp(text)), "a spaCy component sets lemmas now"
        fast = stage.analyze(text)
        full = stage.analyze(text, nlp_artifacts=engine.process_text(text, "en"))
        assert _key(fast) == _key(full)
        names = {(r.recognition_metadata or {}).get("recognizer_name") for r in fast}
        with_context += any(rec.context and rec.name in names for rec in stage.recognizers)
        assert stage.detect(text) == stage.detect(text, nlp_artifacts=engine.process_text(text, "en"))
    # not vacuous: recognizers with context words (Presidio's phone, card, IBAN...) found things
    assert with_context >= 3


def test_spacy_tokens_still_made_when_something_may_read_them(rules_stage) -> None:
    from presidio_analyzer import EntityRecognizer

    from ehrnlp.deid.engine import _spacy_unread

    class Other(EntityRecognizer):
        def analyze(self, text, entities, nlp_artifacts=None):  # pragma: no cover - never run
            return []

    class _Nlp:
        pipe_names: list[str] = []

    own = list(rules_stage.recognizers)
    assert _spacy_unread(_Nlp(), False, own)
    assert not _spacy_unread(_Nlp(), True, own)  # spaCy's NER runs: its entities are read
    assert not _spacy_unread(_Nlp(), False, [*own, Other(supported_entities=["X"])])  # a recognizer that may read tokens
    _Nlp.pipe_names = ["lemmatizer"]
    assert not _spacy_unread(_Nlp(), False, own)  # a component runs: its output might be read


def test_learned_ner_and_extra_recognizers_keep_spacy_tokens() -> None:
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage
    from ehrnlp.deid.recognizers import ClinicalPatternRecognizer

    class Mine(ClinicalPatternRecognizer):  # a subclass may read the artifacts in its own analyze
        pass

    extra = Mine("ID", ())
    assert not DeidStage(DeidConfig(transformer_phi=False, learned_ner=True))._spacy_unread
    assert not DeidStage(DeidConfig(transformer_phi=False, learned_ner=False), extra_recognizers=[extra])._spacy_unread
