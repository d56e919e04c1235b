"""The transformer NAME/LOCATION recognizer inside DeidStage, and the one-pass hand-over
of clinical spans to the ner stage. A scripted stand-in model keeps these tests exact;
tests/integration/test_model_bundled.py covers the shipped weights. People are invented."""

from __future__ import annotations

import logging
import re

import pytest
from pydantic import ValidationError

from ehrnlp.config import DeidConfig, NerConfig
from ehrnlp.errors import DeidError, ModelLoadError
from ehrnlp.model import Document, Note
from ehrnlp.ner.decode import DecodedSpan
from ehrnlp.ner.labels import bio_labels

TEXT = "Visited by Wendeline Oyarzabal from Quenby Falls; she has gout and takes colchicine daily."


class ScriptedModel:
    """Tags the words listed in ``script`` (label -> regex); counts forward passes."""

    def __init__(self, script: dict[str, str], labels=None, fail: bool = False):
        self.script = script
        self.labels = labels or bio_labels()
        self.fail = fail
        self.calls: list[int] = []

    def predict(self, texts, clinical_only=False):
        if self.fail:
            raise RuntimeError("model exploded on Wendeline Oyarzabal")
        self.calls.append(len(texts))
        out = []
        for t in texts:
            spans = []
            for label, rx in self.script.items():
                spans += [DecodedSpan(label, m.start(), m.end(), 0.93) for m in re.finditer(rx, t)]
            out.append(sorted(spans, key=lambda s: s.start))
        return out


SCRIPT = {"NAME": r"Wendeline Oyarzabal", "LOCATION": r"Quenby Falls", "PROBLEM": r"gout",
          "MEDICATION": r"colchicine", "FREQUENCY": r"daily"}


def _stage(model, **kw):
    from ehrnlp.deid import DeidStage

    cfg = DeidConfig(learned_ner=False, **kw)  # the spaCy detector off: only the transformer can find these
    return DeidStage(cfg, phi_model=model)


@pytest.fixture(scope="module")
def scripted():
    model = ScriptedModel(SCRIPT)
    st = _stage(model)
    return model, st


def test_transformer_names_and_places_are_redacted(scripted):
    model, st = scripted
    doc = st(Document.from_note(Note(text=TEXT, id="t1")))
    assert "Wendeline" not in doc.text and "Oyarzabal" not in doc.text and "Quenby" not in doc.text
    labels = {(p.label, TEXT[p.orig_start:p.orig_end]) for p in doc.phi}
    assert ("NAME", "Wendeline Oyarzabal") in labels and ("LOCATION", "Quenby Falls") in labels
    assert any("ehrnlp_transformer_phi" in p.source for p in doc.phi)
    assert "gout" in doc.text and "colchicine" in doc.text


def test_clinical_spans_of_the_same_pass_go_into_the_document(scripted):
    from ehrnlp.model import MODEL_SPANS, model_identity

    model, st = scripted
    doc = st(Document.from_note(Note(text=TEXT, id="t2")))
    group = doc.spans[MODEL_SPANS]
    assert group.source == model_identity(model)
    spans = group.spans
    assert Document.from_dict(doc.to_dict()).spans == doc.spans  # part of the JSON round trip
    assert {(s.label, doc.text[s.start:s.end]) for s in spans} == {
        ("PROBLEM", "gout"), ("MEDICATION", "colchicine"), ("FREQUENCY", "daily")}
    assert not st._phi_rec.predictions  # nothing kept after the note


def test_pipe_runs_the_model_once_for_the_batch():
    model = ScriptedModel(SCRIPT)
    from ehrnlp.model import MODEL_SPANS

    st = _stage(model)
    notes = [Document.from_note(Note(text=TEXT.replace("gout", f"gout {i}"), id=f"b{i}")) for i in range(4)]
    out = st.pipe(notes)
    assert model.calls == [4]
    assert all("Oyarzabal" not in d.text for d in out)
    assert all(len(d.spans[MODEL_SPANS].spans) == 3 for d in out)


def test_shared_spans_skip_the_ner_forward_pass():
    from ehrnlp.ner.tagger import TransformerStage

    model = ScriptedModel(SCRIPT)
    st = _stage(model)
    ner = TransformerStage.__new__(TransformerStage)  # the stage around a stand-in model
    ner.model, ner._rules, ner.vocab_labels, ner.drug_backstop, ner._findings = model, None, frozenset(), False, None
    doc = st(Document.from_note(Note(text=TEXT, id="t3")))
    assert model.calls == [1]
    out = ner.pipe([doc])[0]
    assert model.calls == [1]  # no second pass
    assert {(e.label, e.text) for e in out.entities} == {
        ("PROBLEM", "gout"), ("MEDICATION", "colchicine"), ("FREQUENCY", "daily")}
    # a document the deid stage never saw is predicted normally, PHI labels dropped
    plain = Document.from_note(Note(text=TEXT, id="t4"))
    got = ner.pipe([plain])[0]
    assert model.calls == [1, 1]
    assert "NAME" not in {e.label for e in got.entities} and len(got.entities) == 3
    # spans another model left in the document are not trusted: the stage runs its own
    from ehrnlp.model import MODEL_SPANS, SpanGroup

    foreign = doc.replace(spans={MODEL_SPANS: SpanGroup("some other model", ())})
    again = ner.pipe([foreign])[0]
    assert model.calls == [1, 1, 1] and len(again.entities) == 3


def test_clinical_span_overlapping_phi_is_dropped_and_offsets_follow_replacements():
    from ehrnlp.deid.postprocess import _map_clinical
    from ehrnlp.model import PhiSpan

    old = "Dr Alvarez saw gout; Parkin ward. aspirin"
    # "Alvarez" (3-10) -> "[NAME]" (6 chars, -1); "Parkin ward" (21-32) -> "[LOCATION]" (10 chars, -1)
    new = "Dr [NAME] saw gout; [LOCATION]. aspirin"
    phi = [PhiSpan("NAME", 3, 9, 3, 10, "[NAME]", 0.9, "x"), PhiSpan("LOCATION", 20, 30, 21, 32, "[LOCATION]", 0.9, "x")]
    spans = [DecodedSpan("PROBLEM", 15, 19, 0.9), DecodedSpan("PROBLEM", 21, 27, 0.8),
             DecodedSpan("MEDICATION", 34, 41, 0.9), DecodedSpan("NAME", 3, 10, 0.9)]
    got = _map_clinical(spans, old, new, phi)
    assert [(s.label, new[s.start:s.end]) for s in got] == [("PROBLEM", "gout"), ("MEDICATION", "aspirin")]
    # the model's name readings of words the de-identifier kept travel too (the ner stage takes a
    # drug read as a name for the drug); those of replaced words do not
    spans += [DecodedSpan("NAME", 34, 41, 0.7), DecodedSpan("LOCATION", 21, 27, 0.6)]
    got = _map_clinical(spans, old, new, phi, labels=frozenset({"NAME", "LOCATION"}))
    assert [(s.label, new[s.start:s.end]) for s in got] == [("NAME", "aspirin")]


def test_model_failure_fails_the_note_closed_without_text(caplog):
    model = ScriptedModel(SCRIPT, fail=True)
    st = _stage(model)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DeidError) as ei:
        st(Document.from_note(Note(text=TEXT, id="t5")))
    # the error names the recognizer and the note, by its pseudonym (a note id may be PHI)
    from ehrnlp.deid.pseudonym import note_pseudonym

    assert "ehrnlp_transformer_phi" in str(ei.value) and note_pseudonym("t5") in str(ei.value)
    assert "'t5'" not in str(ei.value)
    assert "Oyarzabal" not in str(ei.value)
    assert all("Oyarzabal" not in r.getMessage() for r in caplog.records)
    with pytest.raises(DeidError):  # batched too
        st.pipe([Document.from_note(Note(text=TEXT, id="t6")), Document.from_note(Note(text=TEXT + " ", id="t7"))])


def test_model_without_phi_tags():
    old_labels = bio_labels(("SYMPTOM", "PROBLEM", "MEDICATION"))
    model = ScriptedModel(SCRIPT, labels=old_labels)
    st = _stage(model)  # auto: quietly not used
    assert st._phi_rec is None
    with pytest.raises(ModelLoadError, match="NAME/LOCATION"):
        _stage(model, transformer_phi=True)
    st = _stage(ScriptedModel(SCRIPT), transformer_phi=False)
    assert st._phi_rec is None


def test_allow_listed_and_masked_spans_are_not_reported():
    model = ScriptedModel({"NAME": r"Parkinson|\*\*\*\*\*|\[NAME\]"})
    st = _stage(model)
    text = "History of Parkinson disease. Seen by ***** and [NAME]."
    doc = st(Document.from_note(Note(text=text, id="t8")))
    assert "Parkinson" in doc.text and not [p for p in doc.phi if "transformer" in p.source]


@pytest.mark.parametrize("text, drug", [
    ("1. Piperacillin-tazobactam was started.", "Piperacillin-tazobactam"),
    ("Amoxicillin-clavulanate was avoided given penicillin allergy.", "Amoxicillin-clavulanate"),
    ("Trimethoprim-sulfamethoxazole DS twice daily.", "Trimethoprim-sulfamethoxazole"),
    ("2. Timolol/dorzolamide was continued.", "Timolol/dorzolamide"),
])
def test_a_drug_combination_the_model_calls_a_name_stays(text, drug):
    # every part of the compound is a vocabulary word: a combination product, not a surname
    st = _stage(ScriptedModel({"NAME": re.escape(drug)}))
    doc = st(Document.from_note(Note(text=text, id="t9")))
    assert drug in doc.text and not [p for p in doc.phi if "transformer" in p.source]


@pytest.mark.parametrize("text, name", [
    ("Patient: Maribel Quintero-Vance", "Quintero-Vance"),
    ("Seen with Aurelio Timolol-Baptiste today.", "Timolol-Baptiste"),  # one clinical part is not enough
])
def test_a_double_barrelled_surname_is_still_a_name(text, name):
    st = _stage(ScriptedModel({"NAME": r"(?:Maribel|Aurelio) [\w-]+"}))
    doc = st(Document.from_note(Note(text=text, id="t10")))
    assert name not in doc.text


@pytest.mark.parametrize("text, kept", [
    ("1. Amoxicillin-clavulanate was avoided given penicillin allergy.", True),
    ("1. Piperacillin-tazobactam was started.", True),
    ("1. Quintero-Vance was seen in clinic.", False),
])
def test_the_name_sequence_rule_skips_compounds_led_by_a_drug(text, kept):
    # no model NAME at all: only the capitalised-subject rule ("X was ...") could fire
    st = _stage(ScriptedModel({}))
    word = text.split()[1]
    assert (word in st(Document.from_note(Note(text=text, id="t11"))).text) is kept


def test_config_accepts_flags():
    assert DeidConfig().transformer_phi == "auto"
    assert DeidConfig(transformer_phi=False).transformer_phi is False
    with pytest.raises(ValidationError):
        DeidConfig(transformer_phi="sometimes")
    assert NerConfig().backend == "auto"


def test_spacy_ner_is_off_by_default_only_when_the_transformer_is_used():
    from ehrnlp.deid import DeidStage

    with_model = DeidStage(DeidConfig(), phi_model=ScriptedModel(SCRIPT))
    assert with_model._phi_rec is not None and with_model.learned_ner is False
    assert "ehrnlp_spacy_ner" not in {r.name for r in with_model.recognizers}
    old = DeidStage(DeidConfig(), phi_model=ScriptedModel(SCRIPT, labels=bio_labels(("PROBLEM",))))
    assert old._phi_rec is None and old.learned_ner is True
    forced = DeidStage(DeidConfig(learned_ner=True), phi_model=ScriptedModel(SCRIPT))
    assert forced.learned_ner is True and "ehrnlp_spacy_ner" in {r.name for r in forced.recognizers}


def test_lower_case_english_words_and_leading_prepositions_are_trimmed():
    model = ScriptedModel({"NAME": r"caregiver|lena andersson", "LOCATION": r"in Quenby Falls"})
    st = _stage(model)
    text = "Came with caregiver. My name is lena andersson and I live in Quenby Falls."
    doc = st(Document.from_note(Note(text=text, id="t9")))
    got = {(p.label, text[p.orig_start:p.orig_end]) for p in doc.phi}
    assert ("NAME", "lena andersson") in got and ("LOCATION", "Quenby Falls") in got
    assert "caregiver" in doc.text and " in [LOCATION]" in doc.text


def test_vocabulary_terms_are_not_names():
    model = ScriptedModel({"NAME": r"Lisinopril|Wendeline"})
    st = _stage(model)
    text = "NKDA. Lisinopril 10 mg PO daily. Wendeline agrees."
    doc = st(Document.from_note(Note(text=text, id="t10")))
    assert "Lisinopril 10 mg" in doc.text and "Wendeline" not in doc.text
