"""The stage registry: add_stage placement and checks, stages from config, entry points,
and the extension points reachable from Config (section rules, ConText rules)."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest

import ehrnlp
from ehrnlp import Document, Entity, PipelineError
from ehrnlp.errors import ConfigError
from ehrnlp.pipeline import Pipeline
from ehrnlp.registry import BuildContext, available_stages, get_factory, register_stage


class Tagger:
    """A stand-in ner stage: tags 'cough' as a SYMPTOM."""

    name = "ner"
    requires = ()
    assigns = ("doc.entities",)

    def __call__(self, doc):
        i = doc.text.find("cough")
        ents = (Entity("SYMPTOM", i, i + 5, "cough"),) if i >= 0 else ()
        return doc.replace(entities=ents)


class Counter:
    """A custom stage that needs entities and writes a count into the metadata."""

    requires = ("doc.entities",)
    assigns = ("doc.metadata",)

    def __init__(self, name="counter", key="n_entities"):
        self.name, self.key = name, key

    def __call__(self, doc):
        return doc.replace(metadata={**doc.metadata, self.key: len(doc.entities)})


class Redactor:
    name = "deid"
    requires = ()
    assigns = ("doc.text",)

    def __call__(self, doc):
        return doc


def test_add_stage_places_and_checks():
    nlp = Pipeline([Tagger()])
    st = nlp.add_stage(Counter())
    assert nlp.stage_names == ("ner", "counter")
    assert nlp("dry cough").metadata["n_entities"] == 1
    nlp.add_stage(Counter("first_counter"), after="ner")
    assert nlp.stage_names == ("ner", "first_counter", "counter")
    # requirements are checked: nothing assigns doc.entities before ner
    with pytest.raises(PipelineError, match="requires 'doc.entities'"):
        nlp.add_stage(Counter("early"), before="ner")
    with pytest.raises(PipelineError, match="requires 'doc.entities'"):
        nlp.add_stage(Counter("early"), first=True)
    assert nlp.stage_names == ("ner", "first_counter", "counter")  # unchanged after an error
    with pytest.raises(PipelineError, match="no stage named 'nope'"):
        nlp.add_stage(Counter("x"), after="nope")
    with pytest.raises(PipelineError, match="twice"):
        nlp.add_stage(Counter())
    with pytest.raises(PipelineError, match="at most one"):
        nlp.add_stage(Counter("y"), before="ner", last=True)
    assert nlp.remove_stage("counter") is st and nlp.stage_names == ("ner", "first_counter")
    with pytest.raises(PipelineError):
        nlp.remove_stage("ner")  # first_counter needs its entities


def test_nothing_may_run_before_deid():
    with pytest.raises(PipelineError, match="must run first"):
        Pipeline([Counter(), Redactor()])
    nlp = Pipeline([Redactor(), Tagger()])
    with pytest.raises(PipelineError, match="must run first"):
        nlp.add_stage(Counter("peek"), first=True)


def test_registered_stage_from_config_with_settings():
    @register_stage("test_counter")
    def make(ctx: BuildContext, key: str = "n"):
        assert ctx.config.pipeline.stages[-1] == "test_counter"
        return Counter("test_counter", key=key)

    assert "test_counter" in available_stages() and get_factory("test_counter") is make
    nlp = ehrnlp.load(config={"pipeline": {"stages": ["sections", "ner", "test_counter"],
                                           "settings": {"test_counter": {"key": "found"}}},
                              "ner": {"backend": "rules"}}, deidentify=False)
    assert nlp.stage_names == ("sections", "ner", "test_counter")
    assert nlp("Patient reports a dry cough.").metadata["found"] >= 1
    with pytest.raises(ConfigError, match="unknown pipeline stage 'no_such_stage'"):
        ehrnlp.load(config={"pipeline": {"stages": ["ner", "no_such_stage"]}, "ner": {"backend": "rules"}},
                    deidentify=False)
    with pytest.raises(ConfigError, match="could not be built from its settings"):
        ehrnlp.load(config={"pipeline": {"stages": ["ner", "test_counter"], "settings": {"test_counter": {"bad": 1}}},
                            "ner": {"backend": "rules"}}, deidentify=False)


def test_stages_without_deid_need_deidentify_off():
    with pytest.raises(ConfigError, match="leaves out 'deid'"):
        ehrnlp.load(config={"pipeline": {"stages": ["ner"]}, "ner": {"backend": "rules"}})


def test_add_stage_by_name():
    register_stage("test_counter2", lambda ctx, key="k": Counter("test_counter2", key=key))
    nlp = Pipeline([Tagger()])
    nlp.add_stage("test_counter2", key="z")
    assert nlp("cough").metadata["z"] == 1


@pytest.fixture
def plugin_dist(tmp_path, monkeypatch):
    """An installed third-party distribution publishing a stage in 'ehrnlp.stages'."""
    site = tmp_path / "site"
    pkg = site / "ehrnlp_test_plugin"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(textwrap.dedent('''
        class WordCount:
            name = "word_count"
            requires = ()
            assigns = ("doc.metadata",)

            def __init__(self, field):
                self.field = field

            def __call__(self, doc):
                return doc.replace(metadata={**doc.metadata, self.field: len(doc.text.split())})


        def make_word_count(ctx, field="words"):
            return WordCount(field)
    '''), encoding="utf-8")
    info = site / "ehrnlp_test_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ehrnlp-test-plugin\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[ehrnlp.stages]\nword_count = ehrnlp_test_plugin:make_word_count\n",
                                           encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    yield
    from ehrnlp import registry

    registry._FACTORIES.pop("word_count", None)
    sys.modules.pop("ehrnlp_test_plugin", None)


def test_entry_point_stage_runs_in_load(plugin_dist):
    assert "word_count" in available_stages()
    nlp = ehrnlp.load(config={"pipeline": {"stages": ["sections", "ner", "assertion", "word_count"],
                                           "settings": {"word_count": {"field": "n_words"}}}},
                      deidentify=False)
    assert nlp.stage_names[-1] == "word_count"
    doc = nlp("Denies chest pain. Takes lisinopril daily.")
    assert doc.metadata["n_words"] == 6
    assert any(e.label == "SYMPTOM" and e.assertion.negated for e in doc.entities)


def test_section_rules_from_config(tmp_path):
    rules = tmp_path / "sections.json"
    rules.write_text(json.dumps({"rules": [
        {"section": "medications", "colon": "required", "literals": ["Drops in use"]},
        {"section": "ocular_exam", "colon": "required", "literals": ["Slit lamp"]},
    ]}), encoding="utf-8")
    text = "Drops in use: timolol BID OU\nSlit lamp: clear cornea\n"
    cfg = {"ner": {"backend": "rules"}, "rules": {"sections": [str(rules)]}}
    base = ehrnlp.load(config={"ner": {"backend": "rules"}}, deidentify=False)
    custom = ehrnlp.load(config=cfg, deidentify=False)
    assert [s.name for s in base(text).sections] == ["other"]
    assert [s.name for s in custom(text).sections] == ["medications", "ocular_exam"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rules": [{"section": "Bad Name", "literals": ["x"]}]}), encoding="utf-8")
    with pytest.raises(ConfigError, match="lower-case name"):
        ehrnlp.load(config={"ner": {"backend": "rules"}, "rules": {"sections": [str(bad)]}}, deidentify=False)


def test_context_rules_from_config(tmp_path):
    rules = tmp_path / "context.json"
    rules.write_text(json.dumps({"rules": [
        {"literal": "nil", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "max_scope": 3},
    ]}), encoding="utf-8")
    text = "Review of systems: nil cough."
    base = ehrnlp.load(config={"ner": {"backend": "rules"}}, deidentify=False)
    custom = ehrnlp.load(config={"ner": {"backend": "rules"}, "rules": {"extra_context": [str(rules)]}},
                         deidentify=False)

    def cough(doc: Document):
        return next(e for e in doc.entities if e.text == "cough")

    assert not cough(base(text)).assertion.negated
    assert cough(custom(text)).assertion.negated
    assert cough(custom("Denies cough.")).assertion.negated  # the bundled rules still apply
