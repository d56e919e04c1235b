"""DeidStage: PHI spans, operators, offset map, surrogates, date shift, fail-closed, no PHI in logs.

Every person and number here is invented. The canary name is deliberately unusual so a
leak into a log line or exception message is unambiguous.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest

from ehrnlp.config import DeidConfig
from ehrnlp.errors import ConfigError, DeidError
from ehrnlp.model import Document, Entity, Note

CANARY = "Zebulon Quixwort"

NOTE = (
    "Patient: Johnathan Q. Applewood  MRN: 00482913  DOB: 03/14/1951\n"
    "Seen by Dr. Marisol Teague on 03/14/2019 and again on 04/02/2019. Call 503-494-3000.\n"
    "Mr. Applewood is a 92 y.o. male with Parkinson's disease and Bell's palsy, SOB on exertion. "
    "Foley catheter placed. Takes metoprolol 25 mg PO BID, timolol 1 drop OU.\n"
    "Lives at 1234 NE Alder Street, Portland, OR 97239. Email j.applewood@mailhost.org.\n"
    "Electronically signed by Dana K. Whitfield, MD 3/15/19"
)
SECRETS = [
    "Johnathan", "Applewood", "00482913", "03/14/1951", "Marisol", "Teague", "03/14/2019",
    "04/02/2019", "503-494-3000", "1234 NE Alder", "Portland", "97239", "j.applewood", "Whitfield", "3/15/19", "92 y.o.",
]
CLINICAL = ["Parkinson's disease", "Bell's palsy", "SOB", "Foley catheter", "metoprolol", "PO BID", "OU"]


@pytest.fixture(scope="module")
def stage_factory():
    from ehrnlp.deid import DeidStage

    cache: dict = {}

    def make(**kw):
        key = tuple(sorted(kw.items()))
        if key not in cache:
            cache[key] = DeidStage(DeidConfig(**kw))
        return cache[key]

    return make


def run(stage, text=NOTE, **note_kw):
    return stage(Document.from_note(Note(text=text, **note_kw)))


def test_mask_removes_phi_and_keeps_clinical_content(stage_factory):
    doc = run(stage_factory(operator="mask"), id="n1")
    doc.check()
    assert doc.deidentified and doc.source_text is None
    for s in SECRETS:
        assert s not in doc.text, s
    for c in CLINICAL:
        assert c in doc.text, c
    assert "[NAME]" in doc.text and "[DATE]" in doc.text and "[PHONE]" in doc.text
    labels = {p.label for p in doc.phi}
    assert {"NAME", "DATE", "PHONE", "ID", "AGE", "LOCATION", "EMAIL"} <= labels
    for p in doc.phi:
        assert doc.text[p.start:p.end] == p.replacement == f"[{p.label}]"
        assert 0 <= p.orig_start < p.orig_end <= len(NOTE)
        assert isinstance(p.score, float) and p.source


def test_phi_spans_index_the_original(stage_factory):
    doc = run(stage_factory(operator="mask"))
    by_orig = {NOTE[p.orig_start:p.orig_end]: p.label for p in doc.phi}
    assert by_orig.get("Marisol Teague") == "NAME"
    assert by_orig.get("00482913") == "ID"
    assert by_orig.get("503-494-3000") == "PHONE"
    assert by_orig.get("92") == "AGE"


def test_redact_removes_text(stage_factory):
    doc = run(stage_factory(operator="redact"))
    doc.check()
    for s in SECRETS:
        assert s not in doc.text
    assert all(p.start == p.end and p.replacement == "" for p in doc.phi)
    assert "Parkinson's disease" in doc.text


def test_offset_map_round_trip(stage_factory):
    """Entities found in the de-identified text map back to the same words in the input."""
    for op in ("mask", "redact", "surrogate"):
        doc = run(stage_factory(operator=op))
        for word in ("metoprolol", "Parkinson's disease", "Foley catheter", "SOB"):
            s = doc.text.index(word)
            o = doc.to_original(s, s + len(word))
            assert NOTE[o[0]:o[1]] == word, (op, word)
        # a span covering a replacement widens to the whole original PHI span
        # (redact leaves zero-width replacements: nothing in doc.text covers them)
        p = next(p for p in doc.phi if p.label == "PHONE")
        if op != "redact":
            o = doc.to_original(p.start, p.end)
            assert NOTE[o[0]:o[1]] == "503-494-3000"
            o = doc.to_original(p.start + 1, p.end - 1)
            assert NOTE[o[0]:o[1]] == "503-494-3000"
        # a pipeline entity built on the new text passes the invariant check
        s = doc.text.index("metoprolol")
        doc.replace(entities=(Entity("MEDICATION", s, s + 10, "metoprolol"),)).check()


def test_surrogates_are_realistic_and_consistent_within_note(stage_factory):
    doc = run(stage_factory(operator="surrogate"))
    doc.check()
    for s in SECRETS:
        # a shifted date may land on another date of the note by chance: dates checked below
        if not re.fullmatch(r"[\d/]+", s):
            assert s not in doc.text, s
    for p in doc.phi:
        assert p.replacement != NOTE[p.orig_start:p.orig_end]
    assert "[" not in doc.text
    repl: dict[str, set[str]] = {}
    for p in doc.phi:
        repl.setdefault(NOTE[p.orig_start:p.orig_end], set()).add(p.replacement)
    assert all(len(v) == 1 for v in repl.values())
    # word-level consistency: the surname alone maps to the surname of the full name
    full = next(iter(repl["Johnathan Q. Applewood"]))
    alone = next(iter(repl["Applewood"]))
    assert full.split()[-1] == alone
    # same shapes
    phone = next(iter(repl["503-494-3000"]))
    assert re.fullmatch(r"\d{3}-\d{3}-\d{4}", phone) and phone != "503-494-3000"
    mrn = next(iter(repl["00482913"]))
    assert re.fullmatch(r"\d{8}", mrn)
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", next(iter(repl["03/14/1951"])))
    assert next(iter(repl["j.applewood@mailhost.org"])).endswith(("example.com", "example.org", "example.net"))
    assert 90 <= int(next(iter(repl["92"]))) <= 99


def test_surrogates_differ_across_notes_without_key(stage_factory):
    st = stage_factory(operator="surrogate")
    a = {NOTE[p.orig_start:p.orig_end]: p.replacement for p in run(st).phi}
    b = {NOTE[p.orig_start:p.orig_end]: p.replacement for p in run(st).phi}
    assert a["Marisol Teague"] != b["Marisol Teague"] or a["503-494-3000"] != b["503-494-3000"]


def test_keyed_surrogates_consistent_across_notes_of_a_patient(stage_factory):
    st = stage_factory(operator="surrogate", secret_key="s3cret", date_shift=True)
    a = {NOTE[p.orig_start:p.orig_end]: p.replacement for p in run(st, patient="Patient/77", id="a").phi}
    b = {NOTE[p.orig_start:p.orig_end]: p.replacement for p in run(st, patient="Patient/77", id="b").phi}
    c = {NOTE[p.orig_start:p.orig_end]: p.replacement for p in run(st, patient="Patient/78", id="c").phi}
    assert a == b
    assert a != c


def test_date_shift_keeps_intervals_and_format(stage_factory):
    st = stage_factory(operator="mask", secret_key="s3cret", date_shift=True)
    doc = run(st, patient="Patient/77")
    doc.check()
    got = {NOTE[p.orig_start:p.orig_end]: p.replacement for p in doc.phi if p.label == "DATE"}
    f = lambda s: dt.datetime.strptime(s, "%m/%d/%Y").date()  # noqa: E731
    a, b = got["03/14/2019"], got["04/02/2019"]
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", a) and a != "03/14/2019"
    assert f(b) - f(a) == f("04/02/2019") - f("03/14/2019")
    assert f(got["03/14/1951"]) - f(a) == f("03/14/1951") - f("03/14/2019")
    # other PHI is still masked
    assert "[NAME]" in doc.text
    # same patient, other note: same shift
    doc2 = run(st, text="Follow-up 03/14/2019.", patient="Patient/77")
    assert doc2.phi[0].replacement == a


def test_date_shift_requires_key():
    from ehrnlp.deid import DeidStage

    with pytest.raises(ConfigError, match="secret_key"):
        DeidStage(DeidConfig(date_shift=True))


def test_user_allow_list(stage_factory):
    text = "Reviewed with Dr. Marisol Teague; Casey Eye Institute protocol."
    st = stage_factory(operator="mask", allow_list=("Casey Eye Institute",))
    doc = run(st, text=text)
    assert "Casey Eye Institute" in doc.text and "Teague" not in doc.text


def test_empty_and_phi_free_text(stage_factory):
    st = stage_factory(operator="mask")
    assert run(st, text="").phi == ()
    doc = run(st, text="Pt c/o SOB and chest pain, worse with exertion. Crohn's disease on Humira.")
    assert doc.phi == () and doc.deidentified


# ------------------------------------------------------------------------ fail closed
class _Boom:
    """A recognizer that raises with note text in its message (as third-party code may)."""

    def __init__(self):
        from presidio_analyzer import EntityRecognizer

        class Boom(EntityRecognizer):
            def load(self):
                pass

            def analyze(self, text, entities, nlp_artifacts=None):
                raise ValueError(f"cannot handle {text[:40]}")

        self.rec = Boom(supported_entities=["NAME"], name="boom_recognizer")


class _Swallowing:
    """A recognizer that, like Presidio's transformer recognizer, logs and returns []."""

    def __init__(self):
        from presidio_analyzer import EntityRecognizer

        class Quiet(EntityRecognizer):
            def load(self):
                pass

            def analyze(self, text, entities, nlp_artifacts=None):
                logging.getLogger("presidio-analyzer").warning("model failed on %s", text[:30])
                return []

        self.rec = Quiet(supported_entities=["NAME"], name="quiet_recognizer")


def _canary_note():
    return Note(text=f"Patient {CANARY} was seen by Dr. {CANARY.split()[1]} today.", id="note-7")


@pytest.mark.parametrize("factory", [_Boom, _Swallowing])
def test_failing_recognizer_fails_the_note(factory, caplog, monkeypatch):
    from ehrnlp.deid import DeidStage

    monkeypatch.delenv("EHRNLP_DEBUG", raising=False)
    st = DeidStage(DeidConfig(), extra_recognizers=[factory().rec])
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DeidError) as ei:
        st(Document.from_note(_canary_note()))
    err = ei.value
    # the note id leaves as its keyed pseudonym (a note id can be a file name full of PHI)
    assert err.stage == "deid" and err.note_id == st.pseudonym("note-7") != "note-7"
    msg = str(err)
    # the component and the failure class or kind, never the third-party message
    assert ("recognizer 'boom_recognizer' failed with ValueError" in msg) or (
        "recognizer 'quiet_recognizer' failed (it logged a WARNING record through 'presidio-analyzer'" in msg
    )
    assert st.pseudonym("note-7") in msg and "'note-7'" not in msg
    assert CANARY not in msg and "Quixwort" not in msg
    assert err.__cause__ is None and err.__suppress_context__
    for rec in caplog.records:
        assert "Quixwort" not in rec.getMessage()


def test_pipeline_does_not_emit_failed_note(monkeypatch):
    from ehrnlp.deid import DeidStage
    from ehrnlp.pipeline import Pipeline

    st = DeidStage(DeidConfig(), extra_recognizers=[_Boom().rec])
    with pytest.raises(DeidError):
        Pipeline([st])(_canary_note())


def test_debug_chains_cause(monkeypatch):
    from ehrnlp.deid import DeidStage

    monkeypatch.setenv("EHRNLP_DEBUG", "1")
    st = DeidStage(DeidConfig(), extra_recognizers=[_Boom().rec])
    with pytest.raises(DeidError) as ei:
        st(Document.from_note(_canary_note()))
    assert isinstance(ei.value.__cause__, ValueError)


def test_no_note_text_in_logs_during_normal_run(stage_factory, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("presidio-analyzer").setLevel(logging.DEBUG)
    try:
        for op in ("mask", "surrogate"):
            doc = run(stage_factory(operator=op), text=_canary_note().text)
            assert "Quixwort" not in doc.text
    finally:
        logging.getLogger("presidio-analyzer").setLevel(logging.NOTSET)
    for rec in caplog.records:
        assert "Quixwort" not in rec.getMessage() and "Zebulon" not in rec.getMessage()


def test_missing_spacy_model_is_a_clear_error():
    from ehrnlp.deid import DeidStage
    from ehrnlp.errors import ModelLoadError

    with pytest.raises(ModelLoadError, match="not installed"):
        DeidStage(DeidConfig(spacy_model="no_such_pipeline_xyz"))


def test_name_propagates_within_note(stage_factory):
    text = "Seen by Dr. Oksana Velikovska today. Velikovska recommended SLT; Oksana will call."
    doc = run(stage_factory(operator="mask"), text=text)
    assert "Velikovska" not in doc.text and "Oksana" not in doc.text
    assert "SLT" in doc.text


def test_address_block_and_international_phone(stage_factory):
    text = (
        "Send the report to:\nDr. Ilse Brandvold\n28245 Puruntie 82 Apt. 595\nLAPPEENRANTA\nFinland 53650\n"
        "Phone: +358 40 123 4567\n\nPlan: timolol 0.5% 1 drop OU BID."
    )
    doc = run(stage_factory(operator="mask"), text=text)
    for secret in ("Puruntie", "LAPPEENRANTA", "53650", "123 4567", "Brandvold"):
        assert secret not in doc.text, secret
    assert "timolol 0.5% 1 drop OU BID" in doc.text


def test_visual_acuity_and_refraction_are_not_phones(stage_factory):
    text = "Dist VA Right -1.75 +1.25 180 20/25-2 Left -2.50 +0.50 050 20/20-1. IOP 14 15 16 17."
    doc = run(stage_factory(operator="mask"), text=text)
    assert doc.phi == ()


def test_never_downloads_a_model(monkeypatch):
    """The stage hands Presidio an already loaded spaCy pipeline: no download path is taken."""
    import spacy.cli

    from ehrnlp.deid import DeidStage

    def forbidden(*a, **k):
        raise AssertionError("a model download was attempted")

    monkeypatch.setattr(spacy.cli, "download", forbidden)
    st = DeidStage(DeidConfig())
    assert run(st, text="Seen by Dr. Teague.").phi


def test_pipe_equals_calls(stage_factory):
    st = stage_factory(operator="mask")
    texts = [NOTE, "", "Pt c/o SOB.", _canary_note().text, NOTE.replace("Teague", "Okonjo")]
    docs = [Document.from_note(Note(text=t, id=str(i))) for i, t in enumerate(texts)]
    batched = st.pipe(docs)
    single = [st(d) for d in docs]
    assert [d.text for d in batched] == [d.text for d in single]
    assert [d.phi for d in batched] == [d.phi for d in single]


def test_pipe_failure_names_the_note():
    from ehrnlp.deid import DeidStage

    st = DeidStage(DeidConfig(), extra_recognizers=[_Boom().rec])
    with pytest.raises(DeidError) as ei:
        st.pipe([Document.from_note(Note(text="Hello.", id="x1")), Document.from_note(_canary_note())])
    assert st.pseudonym("x1") in str(ei.value) and "x1" not in str(ei.value) and "Quixwort" not in str(ei.value)


def test_allergy_and_medication_lists_are_kept(stage_factory):
    text = "Allergies: Penicillin, Sulfa and Codeine. Meds: Lisinopril, Metformin and Atorvastatin."
    doc = run(stage_factory(operator="mask"), text=text)
    assert doc.text == text


def test_name_lists_are_completed(stage_factory):
    doc = run(stage_factory(operator="mask"), text="Her children: Gaetane, Hannah, Anthony, Derek, Anna and Andrew.")
    assert all(n not in doc.text for n in ("Gaetane", "Hannah", "Anthony", "Derek", "Anna", "Andrew"))
    # a list that mixes capitalised and lower-case items is prose, never completed
    from ehrnlp.deid.postprocess import _NAME_LIST

    assert _NAME_LIST.search("Denies nausea, vomiting and fever")
    doc = run(stage_factory(operator="mask"), text="Denies nausea, vomiting, Hannah and fever. Hannah Ostrowicz, MD")
    assert "nausea" in doc.text and "vomiting" in doc.text and "fever" in doc.text


def test_without_learned_ner_patterns_still_work(stage_factory):
    st = stage_factory(operator="mask", learned_ner=False)
    assert st.nlp.pipe_names == []  # tokenizer only
    doc = run(st)
    for s in ("Marisol", "Teague", "00482913", "03/14/2019", "503-494-3000", "Whitfield"):
        assert s not in doc.text


def test_surrogate_never_reuses_a_real_name_of_the_note():
    from ehrnlp.deid.surrogates import Surrogates

    for seed in range(60):
        sur = Surrogates(bytes([seed]) * 32, date_shift_days=-3)
        first_pool = {"aaron", "abigail", "adrian", "alice", "amara"}
        sur.avoid_words = frozenset(first_pool)
        fake = sur.replace("NAME", "Dana Whitfield")
        assert not {w.lower() for w in fake.split()} & first_pool


# ------------------------------------------------------------------ the guard ignores logging
@pytest.mark.parametrize("switch", ["level", "disabled", "propagate", "disable_all", "handler_filter"])
def test_log_guard_cannot_be_weakened_by_logging_config(switch):
    """No logging configuration may hide a Presidio warning from the fail-closed guard."""
    from ehrnlp.deid import DeidStage

    st = DeidStage(DeidConfig(), extra_recognizers=[_Swallowing().rec])
    lg = logging.getLogger("presidio-analyzer")
    block = logging.Filter("nothing-matches-this")
    try:
        if switch == "level":
            lg.setLevel(logging.CRITICAL)
        elif switch == "disabled":
            lg.disabled = True
        elif switch == "propagate":
            lg.propagate = False
        elif switch == "disable_all":
            logging.disable(logging.CRITICAL)
        else:
            lg.addFilter(block)
        with pytest.raises(DeidError, match="quiet_recognizer"):
            st(Document.from_note(_canary_note()))
    finally:
        lg.setLevel(logging.NOTSET)
        lg.disabled = False
        lg.propagate = True
        lg.removeFilter(block)
        logging.disable(logging.NOTSET)


def test_log_guard_survives_a_reset_logger_class():
    """Something resetting the logger object's class is undone before the next note."""
    from ehrnlp.deid import DeidStage

    st = DeidStage(DeidConfig(), extra_recognizers=[_Swallowing().rec])
    logging.getLogger("presidio-analyzer").__class__ = logging.Logger
    with pytest.raises(DeidError, match="quiet_recognizer"):
        st(Document.from_note(_canary_note()))


def test_extra_recognizers_from_config(tmp_path):
    """deid.extra_recognizers: a Presidio YAML file and a 'module:name' factory take effect."""
    from ehrnlp.deid import DeidStage
    from ehrnlp.errors import ConfigError

    yml = tmp_path / "recs.yaml"
    yml.write_text(
        "recognizers:\n"
        "  - name: ward_code\n"
        "    supported_language: en\n"
        "    supported_entity: WARD_CODE\n"
        "    patterns:\n"
        "      - name: ward\n"
        "        regex: '\\bWRD-\\d{4}\\b'\n"
        "        score: 0.9\n",
        encoding="utf-8",
    )
    st = DeidStage(DeidConfig(extra_recognizers=(str(yml),)))
    text = "Transferred to WRD-4471 overnight; afebrile."
    doc = st(Document.from_note(Note(text=text, id="n1")))
    assert "WRD-4471" not in doc.text
    ours = [r for r in st.analyze(text) if (r.recognition_metadata or {}).get("recognizer_name") == "ward_code"]
    assert [(text[r.start:r.end], r.entity_type) for r in ours] == [("WRD-4471", "WARD_CODE")]
    baseline = DeidStage(DeidConfig())
    assert not any((r.recognition_metadata or {}).get("recognizer_name") == "ward_code" for r in baseline.analyze(text))
    with pytest.raises(ConfigError, match="cannot import"):
        DeidStage(DeidConfig(extra_recognizers=("no_such_module_xyz:rec",)))
    with pytest.raises(ConfigError, match="neither"):
        DeidStage(DeidConfig(extra_recognizers=("just-a-name",)))
    with pytest.raises(ConfigError, match="not found"):
        DeidStage(DeidConfig(extra_recognizers=(str(tmp_path / "missing.yaml"),)))


def test_load_refuses_recognizers_without_deid():
    import ehrnlp
    from ehrnlp.errors import ConfigError

    with pytest.raises(ConfigError, match="de-identification is off"):
        ehrnlp.load(deidentify=False, recognizers=[_Boom().rec])


def test_surrogates_keep_identity_across_partial_mentions(stage_factory):
    """'Zebulon Quixwort' -> 'A B' makes 'Zebulon' -> 'A', 'Quixwort' -> 'B', 'Z. Quixwort' ->
    'A[0]. B' in the same note, whichever mention comes first."""
    st = stage_factory(operator="surrogate")
    text = ("Zebulon reports less pain today. Dr. Ines Marlowe saw Zebulon Quixwort in clinic. "
            "Mr. Quixwort agrees with the plan. Signed for Z. Quixwort by Ines Marlowe.")
    doc = run(st, text=text)
    got = {text[p.orig_start:p.orig_end]: p.replacement for p in doc.phi if p.label == "NAME"}
    full = got["Zebulon Quixwort"]
    first, last = full.split()
    assert "Zebulon" not in doc.text and "Quixwort" not in doc.text
    assert got["Zebulon"] == first
    assert got["Quixwort"] == last
    assert got["Z. Quixwort"] == f"{first[0]}. {last}"
    assert got["Ines Marlowe"] != full
