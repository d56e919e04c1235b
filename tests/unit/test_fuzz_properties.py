"""Property tests (hypothesis, fixed seed): arbitrary Unicode text through the pipeline and
arbitrary bytes through every input reader (issue 21). The checks live in scripts/fuzz.py,
which runs them over >= 10,000 cases; here a modest, reproducible sample keeps the suite fast.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import REPO
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

spec = importlib.util.spec_from_file_location("ehrnlp_fuzz", REPO / "scripts" / "fuzz.py")
fuzz = importlib.util.module_from_spec(spec)
sys.modules["ehrnlp_fuzz"] = fuzz
spec.loader.exec_module(fuzz)

FAST = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# every code point, surrogates (category Cs) included
ANY_CHAR = st.characters(codec=None, exclude_categories=())
TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.lists(st.one_of(st.sampled_from(fuzz.CLINICAL), st.sampled_from(fuzz.WEIRD), ANY_CHAR), max_size=20).map(" ".join),
)


@pytest.fixture(scope="module")
def rules_nlp():
    import ehrnlp

    return ehrnlp.load({"ner": {"backend": "rules"}}, deidentify=False)


@seed(21)
@settings(FAST, max_examples=50)
@given(text=TEXT)
@example(text="")
@example(text=" \n\t ")
@example(text="Patient denies chest\x00 pain.\x00")
@example(text="\ud800 lone high surrogate")
@example(text="\u202eniap tsehc\u202c denies e\u0301dema, fever\u0301.")
@example(text=("Lisinopril 10 mg PO daily. " * 4000)[:100_000])
def test_any_text_gives_a_consistent_document_and_valid_fhir_or_a_documented_error(rules_nlp, text):
    assert fuzz.check_text(rules_nlp, text) in ("ok", "InputError", "FhirError")


@seed(21)
@FAST
@given(data=st.one_of(st.binary(max_size=300), st.sampled_from([b"[" * 5000 + b"]" * 5000, b"42", b'"x"', b"\x1f\x8b\x08"])),
       suffix=st.sampled_from(fuzz.SUFFIXES))
def test_every_reader_survives_any_bytes(tmp_path, data, suffix):
    assert fuzz.check_bytes(data, suffix, tmp_path) in ("failure", "notes", "nothing")


@seed(21)
@FAST
@given(suffix=st.sampled_from(fuzz.SUFFIXES), rnd=st.randoms(use_true_random=False))
def test_every_reader_survives_damaged_valid_inputs(tmp_path, suffix, rnd):
    assert fuzz.check_bytes(fuzz.random_bytes(rnd, suffix), suffix, tmp_path) in ("failure", "notes", "nothing")


def test_a_lone_surrogate_is_an_input_error_naming_the_offset(rules_nlp):
    from ehrnlp import InputError

    with pytest.raises(InputError, match="unpaired surrogate code point at offset 6"):
        rules_nlp("cough \udc80 fever")


def test_a_note_over_max_note_chars_is_an_input_error_naming_the_setting():
    import ehrnlp
    from ehrnlp import InputError

    nlp = ehrnlp.load({"ner": {"backend": "rules"}, "max_note_chars": 50}, deidentify=False)
    with pytest.raises(InputError, match=r"51 characters, over the limit of 50 \(setting max_note_chars"):
        nlp("x" * 51)
    assert nlp("x" * 50).text == "x" * 50
    with pytest.raises(InputError, match="max_note_chars"):
        list(nlp.pipe(["ok", "y" * 60]))


def test_control_characters_never_reach_fhir_strings():
    from ehrnlp.fhir.mapping import clean_strings

    assert clean_strings({"a": "chest\x00 pain\x1b", "b": ["x\x07y", 3], "c": "\x00", "d": "", "e": "tab\tok\r\n"}) == \
        {"a": "chest pain", "b": ["xy", 3], "d": "", "e": "tab\tok\r\n"}


def test_an_empty_document_is_a_fhir_error_not_an_empty_attachment():
    from ehrnlp import Document, FhirError
    from ehrnlp.fhir.mapping import resources_for

    with pytest.raises(FhirError, match="empty"):
        resources_for(Document(text=""))
