"""The HTML view (ehrnlp.render / Document.to_html) and the "why" it shows: assertion cues
and code provenance in the Document. Hand-built documents, no pipeline: fast.

The DOM checks (tests/html_dom.py) parse the page with html.parser;
tests/integration/test_html_chromium.py runs the same checks on the DOM a real browser built."""

from __future__ import annotations

import json
import re

import pytest
from html_dom import INJECTION, check_view, ent, injection_doc

import ehrnlp
from ehrnlp import Assertion, Code, Cue, Document, Entity, PhiSpan
from ehrnlp.model import Section


def sample_doc() -> Document:
    text = "Patient [NAME] denies chest pain. Lisinopril 10 mg PO daily. Allergic to sulfa (rash). Mother: asthma."
    neg = text.index("denies")
    mo = text.index("Mother")
    dose = ent(text, "10 mg", "DOSE")
    route = ent(text, "PO", "ROUTE")
    freq = ent(text, "daily", "FREQUENCY")
    rash = ent(text, "rash", "REACTION", codes=(Code("http://snomed.info/sct", "271807003", "Eruption of skin", 1.0, "rash", "exact"),))
    return Document(
        text=text, id="html-1", deidentified=True,
        phi=(PhiSpan("NAME", 8, 14, 8, 20, "[NAME]"),),
        entities=(
            ent(text, "chest pain", "SYMPTOM", assertion=Assertion(negated=True, cues=(Cue("negated", "denies", neg, neg + 6),)),
                codes=(Code("http://snomed.info/sct", "29857009", "Chest pain", 0.93, "chest pains", "fuzzy"),)),
            ent(text, "Lisinopril", "MEDICATION", attributes=(dose, route, freq),
                codes=(Code("http://www.nlm.nih.gov/research/umls/rxnorm", "29046", "lisinopril", 1.0, "lisinopril", "exact"),)),
            dose, route, freq,
            ent(text, "sulfa", "ALLERGEN", attributes=(rash,)), rash,
            ent(text, "asthma", "PROBLEM", assertion=Assertion(family=True, cues=(Cue("family", "Mother:", mo, mo + 7, "section"),))),
        ),
        sections=(Section("hpi", 0, len(text)),),
    )


def test_cue_and_code_provenance_round_trip():
    doc = sample_doc()
    doc.check()
    d = doc.to_dict()
    chest = d["entities"][0]
    assert chest["assertion"]["cues"] == [{"flag": "negated", "text": "denies", "start": 15, "end": 21, "source": "rule"}]
    assert chest["codes"][0]["term"] == "chest pains" and chest["codes"][0]["method"] == "fuzzy"
    back = Document.from_dict(json.loads(json.dumps(d)))
    assert back.to_dict() == d
    assert back.entities[0].assertion.cue("negated") == Cue("negated", "denies", 15, 21)
    assert back.entities[0].codes[0].term == "chest pains"


def test_unset_why_fields_stay_out_of_to_dict():
    # a document without cues or code provenance serialises exactly as before
    e = Entity("SYMPTOM", 0, 5, "fever", assertion=Assertion(negated=True), codes=(Code("s", "1", "Fever", 1.0),))
    d = e.to_dict()
    assert d["assertion"] == {"negated": True, "uncertain": False, "hypothetical": False, "historical": False, "family": False}
    assert d["codes"] == [{"system": "s", "code": "1", "display": "Fever", "score": 1.0}]
    # and equality is by flags and code values, not by the explanation
    assert Assertion(negated=True, cues=(Cue("negated", "no", 0, 2),)) == Assertion(negated=True)
    assert Code("s", "1", "Fever", 1.0, "fever", "exact") == Code("s", "1", "Fever", 1.0)


def test_check_refuses_a_cue_outside_the_text():
    doc = Document(text="no fever", entities=(Entity("SYMPTOM", 3, 8, "fever", assertion=Assertion(negated=True, cues=(Cue("negated", "no", 0, 20),))),))
    with pytest.raises(ValueError, match="cue of negated"):
        doc.check()


def test_assertion_of_keeps_the_nearest_cue():
    text = "No cough. Patient denies chest pain and fever."
    s = text.index("fever")
    a = ehrnlp.assertion_of(text, s, s + 5)
    assert a.negated and a.cue("negated") == Cue("negated", "denies", text.index("denies"), text.index("denies") + 6)
    text = "Family history: none. Possible pneumonia, not ruled out."
    s = text.index("pneumonia")
    a = ehrnlp.assertion_of(text, s, s + len("pneumonia"))
    assert a.uncertain and a.cue("uncertain").text == "Possible"
    text = "Return if fever develops."
    s = text.index("fever")
    a = ehrnlp.assertion_of(text, s, s + 5)
    assert a.hypothetical and text[a.cue("hypothetical").start:a.cue("hypothetical").end] == a.cue("hypothetical").text
    assert ehrnlp.assertion_of("Chest pain.", 0, 10).cues == ()


def test_assertion_stage_gives_section_cues():
    from ehrnlp.assertion import AssertionStage
    from ehrnlp.sections import detect_sections

    text = "Past Medical History:\nAsthma, hypertension.\nFamily History:  diabetes\nHPI: denies cough."
    doc = Document(text=text, sections=tuple(detect_sections(text)), entities=(
        ent(text, "Asthma", "PROBLEM"), ent(text, "diabetes", "PROBLEM"), ent(text, "cough", "SYMPTOM")))
    out = AssertionStage()(doc)
    out.check()
    by = {e.text: e.assertion for e in out.entities}
    hist = by["Asthma"].cue("historical")
    assert hist is not None and hist.source == "section" and hist.text == "Past Medical History:"
    assert text[hist.start:hist.end] == hist.text
    fam = by["diabetes"].cue("family")
    # the family flag's cue is the heading, found as a section or as the ConText trigger on its line
    assert fam is not None and fam.text.rstrip(":") == "Family History" and text[fam.start:fam.end] == fam.text
    neg = by["cough"].cue("negated")
    assert neg is not None and neg.source == "rule" and neg.text == "denies"


def test_render_shows_text_entities_badges_phi_links_codes():
    doc = sample_doc()
    page = ehrnlp.render(doc)
    assert page == doc.to_html()
    d = check_view(page, doc)
    assert d.phi == ["[NAME]"]
    assert "denies" in d.cues and "Mother:" in d.cues
    assert d.badges["0"] == ["NEG"]
    # links: the drug points at its dose/route/frequency, the allergen at its reaction
    attrs = {a["data-label"]: a for a in d.ent_attrs.values()}
    assert attrs["MEDICATION"]["data-links"] == "2 3 4"
    assert attrs["ALLERGEN"]["data-links"] == "6"
    # codes on hover (title) and in the table, with the matched term, method and score
    assert "SNOMED CT 29857009 Chest pain (matched &#x27;chest pains&#x27;, fuzzy, score 0.93)" in page
    assert "negated: cue &#x27;denies&#x27; at 15-21" in page
    # a legend for every label and flag
    for label in ("SYMPTOM", "MEDICATION", "ALLERGEN", "REACTION"):
        assert f'<span class="swatch l-{label}"></span>{label}</li>' in page
    for badge in ("NEG", "UNC", "HYP", "HIST", "FAM"):
        assert f">{badge}</sup>" in page


def test_render_is_self_contained():
    page = ehrnlp.render(sample_doc())
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=|@import|url\(|https?://""", page.replace('http-equiv="Content-Security-Policy"', ""))
    assert "default-src 'none'" in page  # the browser may fetch nothing
    fragment = sample_doc()._repr_html_()
    assert not fragment.startswith("<!DOCTYPE") and 'class="ehrnlp-view"' in fragment


def test_a_note_with_markup_renders_inert():
    doc = injection_doc()
    page = ehrnlp.render(doc, title="<script>alert(4)</script>")
    d = check_view(page, doc)
    assert "".join(d.note) == INJECTION  # shown as text, character for character
    assert d.tags.count("script") == 1 and d.tags.count("style") == 1  # only the page's own
    assert "img" not in d.tags and "b" not in d.tags
    assert all("alert" not in s for s in d.scripts) and all("display:none" not in s for s in d.styles)
    assert "<script>alert" not in page and "</style><style>" not in page
    # an arbitrary label of a custom stage becomes a safe CSS class
    assert 'class="ent l-X___script_y__script_"' in page


def test_overlapping_and_nested_spans():
    text = "left lower quadrant abdominal pain"
    doc = Document(text=text, entities=(
        Entity("SYMPTOM", 0, 34, text),                        # the whole
        Entity("SYMPTOM", 20, 34, "abdominal pain"),           # nested inside
        Entity("PROBLEM", 5, 29, "lower quadrant abdominal"),  # crossing the nested one
        Entity("ROUTE", 0, 4, "left"),                          # nested, same start
    ))
    d = check_view(ehrnlp.render(doc), doc)
    assert len(d.ent_text["2"]) >= 2  # the crossing span was split into parts


def test_leading_newlines_and_an_empty_note():
    text = "\n\nDenies fever.\n"
    doc = Document(text=text, entities=(ent(text, "fever", "SYMPTOM"),))
    check_view(ehrnlp.render(doc), doc)
    check_view(ehrnlp.render(Document(text="")), Document(text=""))


def test_every_clinical_label_has_a_colour_in_order():
    from ehrnlp.html import LABEL_COLOURS
    from ehrnlp.model import CLINICAL_LABELS

    assert tuple(LABEL_COLOURS) == CLINICAL_LABELS


def test_render_refuses_what_is_not_a_document():
    with pytest.raises(TypeError, match="Document"):
        ehrnlp.render({"text": "x"})


def test_a_notebook_view_styles_and_scripts_only_itself():
    doc = sample_doc()
    fragment = doc._repr_html_()
    view_id = re.search(r'<div class="ehrnlp-view" id="(ehrnlp-[0-9a-f]{12})">', fragment).group(1)
    assert f"getElementById('{view_id}')" in fragment
    css = re.search(r"<style>(.*?)</style>", fragment, re.S).group(1)
    selectors = [s.strip() for rule in css.split("}") if "{" in rule for s in rule.split("{")[0].split(",")]
    assert selectors and all(s.startswith(".ehrnlp-view") for s in selectors), [s for s in selectors if not s.startswith(".ehrnlp-view")]
    # the id is deterministic (the CLI's page equals doc.to_html()) and differs between documents
    assert ehrnlp.render(doc) == ehrnlp.render(sample_doc())
    assert view_id not in injection_doc()._repr_html_()
