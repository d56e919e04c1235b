"""Pipeline assembly and error handling, with hand-made stages."""

import pytest

from ehrnlp import Document, Entity, Note, PipelineError, StageError
from ehrnlp.errors import DeidError
from ehrnlp.pipeline import Pipeline

CANARY = "Zebulon Quackenbush-Farnsworth"


class Upper:
    name = "ner"
    requires = ()

    def __call__(self, doc):
        i = doc.text.find("cough")
        ents = (Entity("SYMPTOM", i, i + 5, "cough"),) if i >= 0 else ()
        return doc.replace(entities=ents)


class Named:
    def __init__(self, name, requires=(), fn=None):
        self.name = name
        self.requires = requires
        self.fn = fn or (lambda d: d)

    def __call__(self, doc):
        return self.fn(doc)


def test_runs_stages_and_fills_provenance():
    nlp = Pipeline([Named("sections"), Upper(), Named("assertion", ("ner",))])
    doc = nlp(Note(text="dry cough", id="n1", patient="Patient/9"))
    assert isinstance(doc, Document)
    assert [e.text for e in doc.entities] == ["cough"]
    assert doc.id == "n1" and doc.patient == "Patient/9"
    assert set(doc.provenance) >= {"ehrnlp", "sections", "ner", "assertion"}


def test_accepts_str_and_mapping():
    nlp = Pipeline([Upper()])
    assert nlp("cough").entities[0].text == "cough"
    assert nlp({"text": "cough", "id": "x"}).id == "x"


def test_order_is_checked():
    with pytest.raises(PipelineError, match="out of order"):
        Pipeline([Upper(), Named("sections")])
    with pytest.raises(PipelineError, match="requires stage 'ner'"):
        Pipeline([Named("assertion", ("ner",))])
    with pytest.raises(PipelineError, match="twice"):
        Pipeline([Upper(), Upper()])
    with pytest.raises(PipelineError, match="not a Stage"):
        Pipeline([object()])


def test_failing_stage_is_named_and_note_text_never_leaks():
    def boom(doc):
        raise ValueError(f"could not parse {doc.text}")

    nlp = Pipeline([Named("sections", fn=boom)])
    with pytest.raises(StageError) as exc:
        nlp(Note(text=f"Patient {CANARY} has a cough", id="note-7"))
    assert exc.value.stage == "sections"
    assert "sections" in str(exc.value) and "note-7" in str(exc.value)
    assert CANARY not in str(exc.value)
    assert exc.value.__cause__ is None  # third-party messages are not chained by default


def test_deid_failure_becomes_deid_error():
    def boom(doc):
        raise RuntimeError("recognizer crashed")

    nlp = Pipeline([Named("deid", fn=boom)])
    with pytest.raises(DeidError):
        nlp(f"{CANARY} was seen")


def test_stage_must_return_a_document():
    nlp = Pipeline([Named("ner", fn=lambda d: {"text": d.text})])
    with pytest.raises(StageError, match="expected a Document"):
        nlp("x")


def test_broken_offsets_are_caught():
    nlp = Pipeline([Named("ner", fn=lambda d: d.replace(entities=(Entity("SYMPTOM", 0, 3, "zzz"),)))])
    with pytest.raises(StageError, match="offset invariant"):
        nlp("abc def")


def test_pipe_equals_calls_and_uses_batched_stages():
    class Batched(Upper):
        calls = 0

        def pipe(self, docs):
            Batched.calls += 1
            return [self(d) for d in docs]

    nlp = Pipeline([Named("sections"), Batched()])
    notes = [f"note {i} cough" if i % 2 else f"note {i}" for i in range(7)]
    piped = list(nlp.pipe(notes, batch_size=3))
    assert piped == [nlp(n) for n in notes]
    assert Batched.calls == 3
    with pytest.raises(ValueError):
        list(nlp.pipe(notes, batch_size=0))
