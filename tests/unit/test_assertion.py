"""AssertionStage and assertion_of: API behaviour (the case table is in test_assertion_cases.py)."""

from __future__ import annotations

import json

import pytest

import ehrnlp
from ehrnlp.assertion import AssertionStage, assertion_of, load_context_rules, sentence_bounds
from ehrnlp.errors import ConfigError, InputError
from ehrnlp.model import Assertion, Document, Entity
from ehrnlp.sections import SectionStage


def span(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(phrase, i + 1)
    return i, i + len(phrase)


def ent(text: str, label: str, phrase: str, nth: int = 0) -> Entity:
    s, e = span(text, phrase, nth)
    return Entity(label, s, e, phrase)


def test_public_api_is_exported() -> None:
    assert ehrnlp.assertion_of is assertion_of
    text = "Denies chest pain."
    assert ehrnlp.assertion_of(text, *span(text, "chest pain")) == Assertion(negated=True)


def test_plain_mention_is_asserted() -> None:
    text = "Patient reports chest pain."
    assert assertion_of(text, *span(text, "chest pain")).is_asserted


def test_sentence_scope_does_not_leak() -> None:
    text = "Denies fever. Reports cough."
    assert assertion_of(text, *span(text, "fever")).negated
    assert not assertion_of(text, *span(text, "cough")).negated


def test_flattened_fields_are_separate_sentences() -> None:
    text = "Pain: No  Diplopia: Yes  Floaters present"
    assert assertion_of(text, *span(text, "Pain")).negated
    assert not assertion_of(text, *span(text, "Diplopia")).negated
    assert not assertion_of(text, *span(text, "Floaters")).negated


def test_sentence_bounds_respect_abbreviations() -> None:
    text = "Seen by Dr. Vale today. No rash."
    s, e = sentence_bounds(text, text.index("Vale"))
    assert text[s:e] == "Seen by Dr. Vale today."


@pytest.mark.parametrize("args", [("abc", 2, 1), ("abc", 0, 9), ("abc", -1, 2), ("abc", 1, 1)])
def test_bad_spans_raise_input_error_without_text(args: tuple) -> None:
    with pytest.raises(InputError) as info:
        assertion_of(*args)
    assert "abc" not in str(info.value)


def test_non_string_text_raises_input_error() -> None:
    with pytest.raises(InputError):
        assertion_of(b"bytes", 0, 1)  # type: ignore[arg-type]


def test_medication_specific_rules_need_the_label() -> None:
    text = "brinzolamide Instill 1 drop into both eyes two times daily. (Patient not taking: Reported on 01/02/2019)"
    s, e = span(text, "brinzolamide")
    assert assertion_of(text, s, e, "MEDICATION").negated
    assert not assertion_of(text, s, e).negated


def test_stage_sets_assertion_and_section_flags() -> None:
    text = "HPI: Denies chest pain. Has cough.\nPMH: asthma\nFH: glaucoma\n"
    doc = Document(
        text=text,
        entities=(
            ent(text, "SYMPTOM", "chest pain"),
            ent(text, "SYMPTOM", "cough"),
            ent(text, "PROBLEM", "asthma"),
            ent(text, "PROBLEM", "glaucoma"),
        ),
    )
    doc = SectionStage()(doc)
    stage = AssertionStage()
    assert stage.name == "assertion" and stage.requires == ("doc.entities",)
    out = stage(doc)
    by = {e.text: e for e in out.entities}
    assert by["chest pain"].assertion == Assertion(negated=True)
    assert by["chest pain"].section is None  # read from doc.sections for the flags; only ner writes it
    assert by["cough"].assertion.is_asserted
    assert by["asthma"].assertion == Assertion(historical=True)
    assert by["glaucoma"].assertion == Assertion(family=True)
    out.check()


def test_stage_leaves_attribute_labels_alone_and_relinks_attributes() -> None:
    text = "No aspirin 81 mg daily."
    dose = ent(text, "DOSE", "81 mg")
    med = Entity("MEDICATION", 3, 10, "aspirin", attributes=(dose,))
    out = AssertionStage()(Document(text=text, entities=(med, dose)))
    m = out.entities_of("MEDICATION")[0]
    d = out.entities_of("DOSE")[0]
    assert m.assertion.negated
    assert d.assertion.is_asserted
    assert m.attributes[0] is d


def test_stage_without_entities_is_identity() -> None:
    doc = Document(text="nothing here")
    assert AssertionStage()(doc) is doc


def test_bundled_rules_are_well_formed() -> None:
    rules = load_context_rules()
    cats = {r.category for r in rules}
    assert {"NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL", "HISTORICAL", "FAMILY"} <= cats
    assert any(r.direction == "PSEUDO" for r in rules)
    assert any(r.direction == "TERMINATE" for r in rules)


def test_custom_rules_file(tmp_path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [{"literal": "nope", "category": "NEGATED_EXISTENCE", "direction": "FORWARD"}]}))
    text = "nope fever"
    doc = Document(text=text, entities=(ent(text, "SYMPTOM", "fever"),))
    out = AssertionStage(rules_path=str(path))(doc)
    assert out.entities[0].assertion.negated


def test_bad_rules_file_names_the_problem(tmp_path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [{"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "SIDEWAYS"}]}))
    with pytest.raises(ConfigError, match="direction 'SIDEWAYS'"):
        load_context_rules(str(path))
    with pytest.raises(ConfigError, match="cannot read"):
        load_context_rules(str(tmp_path / "missing.json"))


def test_a_pattern_rule_with_first_words_is_tried_only_at_them(tmp_path) -> None:
    rule = {"literal": "nope then", "category": "NEGATED_EXISTENCE", "direction": "FORWARD",
            "pattern": r"\bnope\s+then\b", "first": ["Nope"]}
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [rule]}))
    (r,) = load_context_rules(str(path))
    assert r.first == ("nope",)
    text = "NOPE then fever"
    doc = Document(text=text, entities=(ent(text, "SYMPTOM", "fever"),))
    assert AssertionStage(rules_path=str(path))(doc).entities[0].assertion.negated
    for bad in ({**rule, "first": "nope"}, {**rule, "first": ["nope then"]}, {k: v for k, v in rule.items() if k != "pattern"}):
        path.write_text(json.dumps({"rules": [bad]}))
        with pytest.raises(ConfigError, match="'first'"):
            load_context_rules(str(path))


def test_bundled_first_words_cover_every_match() -> None:
    """A bundled pattern rule indexed by its first words finds what searching the text finds."""
    import re as _re
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "data"
    texts = [line.split("\t", 1)[1].replace("[[", "").replace("]]", "")
             for name in ("negation_clinical.tsv", "negation_clinical2_dev.tsv", "negation_clinical3_dev.tsv")
             for line in (data / name).read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    texts += ["Her rash has now resolved.", "The rub is no longer heard.", "Cultures have remained negative.",
              "No findings consistent with gout.", "Never received a diagnosis of asthma.", "Denied the use of cocaine.",
              "Pertinent negatives include fever.", "Neg. for fever.", "No fever, a cough, or rash.", "pain when voiding or urgency"]
    tagged = [r for r in load_context_rules() if r.first]
    assert len(tagged) >= 17
    for r in tagged:
        pat = _re.compile(r.regex(), _re.IGNORECASE)
        for t in texts:
            for m in pat.finditer(t):
                word = _re.match(r"\w+|[^\w\s]", t[m.start():])
                assert word and word.group().lower() in r.first, (r.literal, t)


# -- the qualifiers the stage sets for the FHIR layer -------------------------------------


@pytest.mark.parametrize("text, phrase, code", [
    ("Family history: mother had breast cancer.", "breast cancer", "MTH"),
    ("FH: maternal grandmother with diabetes.", "diabetes", "MGRMTH"),
    ("Brother with asthma.", "asthma", "BRO"),
    ("Her dad has hypertension.", "hypertension", "FTH"),
    ("Family history of colon cancer.", "colon cancer", "FAMMEMB"),
    # the nearest relative of the mention's sentence and clause
    ("Mother has asthma; her paternal uncle had a stroke.", "stroke", "PUNCLE"),
    ("Mother had breast cancer. Father with coronary artery disease.", "breast cancer", "MTH"),
    ("Mother had breast cancer. Father with coronary artery disease.", "coronary artery disease", "FTH"),
    ("Family history: brother has asthma; mother with eczema.", "asthma", "BRO"),
    ("Family history: brother has asthma; mother with eczema.", "eczema", "MTH"),
    ("FH: maternal grandmother with breast cancer. Father had MI at 50.", "breast cancer", "MGRMTH"),
    ("Family History:\nMother\nDiabetes runs in the family.", "Diabetes", "FAMMEMB"),
])
def test_family_relation(text, phrase, code) -> None:
    from ehrnlp.assertion import family_relation

    assert family_relation(text, *span(text, phrase)) == code


@pytest.mark.parametrize("text, drug, status", [
    ("Stopped warfarin.", "warfarin", "stopped"),
    ("Lisinopril was discontinued due to cough.", "Lisinopril", "stopped"),
    ("Failed metformin.", "metformin", "stopped"),
    ("She required epinephrine in 2021.", "epinephrine", "completed"),
    ("Previously on metformin, now on insulin.", "metformin", "completed"),
    ("He was treated with ceftriaxone and azithromycin.", "azithromycin", "completed"),
    ("Was on metoprolol, held for bradycardia.", "metoprolol", "on-hold"),
    # a halting word in the next sentence does not reach the drug
    ("He was given ceftriaxone. Aspirin was stopped.", "ceftriaxone", "completed"),
])
def test_medication_status_of_a_past_medication(text, drug, status) -> None:
    from ehrnlp.assertion import medication_status

    assert medication_status(text, *span(text, drug), Assertion(historical=True)) == status


def test_medication_status_from_the_flags() -> None:
    from ehrnlp.assertion import medication_status

    text = "Stopped warfarin."
    s, e = span(text, "warfarin")
    assert medication_status(text, s, e, Assertion()) == "active"
    assert medication_status(text, s, e, Assertion(negated=True)) == "not-taken"
    assert medication_status(text, s, e, Assertion(hypothetical=True)) == "intended"
    assert medication_status(text, s, e, Assertion(negated=True, historical=True)) == "not-taken"


def test_stage_sets_family_relation_and_medication_status() -> None:
    text = ("Family History:\nMother with breast cancer.\n"
            "HPI: Warfarin was discontinued last year. Takes lisinopril. Not taking metformin.")
    ents = (ent(text, "PROBLEM", "breast cancer"), ent(text, "MEDICATION", "Warfarin"),
            ent(text, "MEDICATION", "lisinopril"), ent(text, "MEDICATION", "metformin"))
    doc = AssertionStage()(SectionStage()(Document(text=text, entities=ents)))
    by_text = {e.text: e for e in doc.entities}
    cancer = by_text["breast cancer"]
    assert cancer.assertion.family and cancer.family_relation == "MTH" and cancer.medication_status is None
    assert by_text["lisinopril"].medication_status == "active" and by_text["lisinopril"].family_relation is None
    assert by_text["metformin"].medication_status == "not-taken"
    assert by_text["Warfarin"].assertion.historical and by_text["Warfarin"].medication_status == "stopped"
    # set only by the stage; a non-family mention carries none, and a rerun is stable
    assert AssertionStage()(doc) == doc
