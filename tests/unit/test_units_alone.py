"""``units-alone``: each annotation record of the Glaucoma corpus scored as its own document
(issue 18: outsiders scored the corpus's own units; our ``sentence-alone`` cuts are not them).
Records here are invented."""

import json

import pytest

from ehrnlp.errors import InputError
from ehrnlp.training.corpus import CorpusDoc, GoldSpan, read_glaucoma
from ehrnlp.training.harness import perturb_phi, resolve_perturbations, run_harness
from ehrnlp.training.perturb import PERTURBATIONS, UNIT_PERTURBATION, perturb_doc

ROWS = [
    {"id": 1, "text": "***** *** ********* Progress Note */**/****", "labels": []},
    {"id": 2, "text": "Current Ocular Meds:", "labels": []},
    # one record, two of our sentences (a period then a capital)
    {"id": 3, "text": "Timolol qAM OU -  7:00AM. Latanoprost qhs OU",
     "labels": [[0, 7, "DRUG"], [8, 11, "FREQUENCY"], [12, 14, "ROUTE"], [26, 37, "DRUG"], [38, 41, "FREQUENCY"],
                [42, 44, "ROUTE"]]},
    # one record holding a line end, a drug on each side
    {"id": 4, "text": "brimonidine 0.1% tid\ndorzolamide bid ", "labels": [[0, 11, "DRUG"], [12, 16, "STRENGTH"],
                                                                        [17, 20, "FREQUENCY"], [21, 32, "DRUG"],
                                                                        [33, 36, "FREQUENCY"]]},
    {"id": 5, "text": "   ", "labels": []},
    {"id": 6, "text": "Chief Complaint: IOP check", "labels": []},
    {"id": 7, "text": "start netarsudil qhs", "labels": [[6, 16, "DRUG"], [17, 20, "FREQUENCY"]]},
]


def _docs(tmp_path, rows=ROWS):
    p = tmp_path / "annotations.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return read_glaucoma(p)


def test_reader_keeps_each_record_as_a_unit_and_nothing_else_changes(tmp_path):
    docs = _docs(tmp_path)
    assert [d.id for d in docs] == ["glaucoma-0000", "glaucoma-0005"]
    d0, d1 = docs
    assert d0.text == "\n".join(r["text"] for r in ROWS[:5])  # the note itself as before
    assert [d0.text[a:b] for a, b in d0.units] == [r["text"] for r in ROWS[:5]]
    assert [d1.text[a:b] for a, b in d1.units] == [r["text"] for r in ROWS[5:]]
    # every gold span lies inside one unit (labels are per record)
    for d in docs:
        for s in d.spans:
            assert sum(a <= s.start and s.end <= b for a, b in d.units) == 1
    assert "units" not in d0.to_gold()  # the gold JSONL format is unchanged


def test_units_alone_is_one_document_per_record_with_gold_exact(tmp_path):
    d0, d1 = _docs(tmp_path)
    parts = perturb_doc(d0, UNIT_PERTURBATION)
    # the whitespace-only record is dropped; the others are verbatim
    assert [p.text for p in parts] == [ROWS[0]["text"], ROWS[1]["text"], ROWS[2]["text"], ROWS[3]["text"]]
    assert all(not p.units for p in parts)
    assert len({p.id for p in parts}) == len(parts)
    two_sentences, with_line_end = parts[2], parts[3]
    assert {(two_sentences.text[s.start:s.end], s.label) for s in two_sentences.spans} == {
        ("Timolol", "MEDICATION"), ("qAM", "FREQUENCY"), ("OU", "ROUTE"),
        ("Latanoprost", "MEDICATION"), ("qhs", "FREQUENCY")}
    assert len(two_sentences.spans) == 6 and not two_sentences.ignore
    assert {(with_line_end.text[s.start:s.end], s.label) for s in with_line_end.spans} == {
        ("brimonidine", "MEDICATION"), ("0.1%", "DOSE"), ("tid", "FREQUENCY"), ("dorzolamide", "MEDICATION"),
        ("bid", "FREQUENCY")}
    # masks of the header record stay ignore ranges, mapped into the record
    assert parts[0].ignore and all(set(parts[0].text[a:b]) <= {"*", "/"} for a, b in parts[0].ignore)
    assert sum(len(p.spans) for p in parts) == len(d0.spans)
    (_, p1c) = perturb_doc(d1, UNIT_PERTURBATION)
    assert p1c.text == "start netarsudil qhs" and [p1c.text[s.start:s.end] for s in p1c.spans] == ["netarsudil", "qhs"]


def test_units_differ_from_sentence_cuts_where_a_record_holds_two_sentences(tmp_path):
    d0, _ = _docs(tmp_path)
    sentences = [p.text for p in perturb_doc(d0, "sentence-alone")]
    units = [p.text for p in perturb_doc(d0, UNIT_PERTURBATION)]
    assert "Timolol qAM OU -  7:00AM." in sentences and "Latanoprost qhs OU" in sentences
    assert "brimonidine 0.1% tid" in sentences and "dorzolamide bid" in sentences
    assert len(units) == 4 and len(sentences) == 6


def test_a_gold_span_crossing_no_unit_edge_is_never_ignored():
    text = "IOP 14 OD\nTimolol 0.5% bid OU"
    doc = CorpusDoc("d", "glaucoma", text, [GoldSpan(10, 17, "MEDICATION"), GoldSpan(4, 6, "DOSE")],
                    units=[(0, 9), (10, len(text))])
    a, b = perturb_doc(doc, UNIT_PERTURBATION)
    assert a.text == "IOP 14 OD" and [a.text[s.start:s.end] for s in a.spans] == ["14"]
    assert b.text[b.spans[0].start:b.spans[0].end] == "Timolol" and not b.ignore


def test_a_corpus_without_units_is_a_clear_error_naming_no_text():
    doc = CorpusDoc("maccrobat-1", "maccrobat", "Ms. Quillfeather took aspirin.", [GoldSpan(22, 29, "MEDICATION")])
    with pytest.raises(InputError, match="units-alone needs the source's annotation units") as ei:
        perturb_doc(doc, UNIT_PERTURBATION)
    assert "Quillfeather" not in str(ei.value) and "aspirin" not in str(ei.value)


def test_other_perturbations_carry_the_units_along(tmp_path):
    d0, _ = _docs(tmp_path)
    for name in ("spaces3", "tabs", "crlf", "embed", "upper"):
        (p,) = perturb_doc(d0, name)
        got = [" ".join(p.text[a:b].lower().split()) for a, b in p.units]
        assert got == [" ".join(r["text"].lower().split()) for r in ROWS[:5]]
    # sentence pieces hold no units of their own
    assert all(not p.units for p in perturb_doc(d0, "sentence-alone"))


def test_units_alone_is_named_but_not_in_all():
    assert resolve_perturbations([UNIT_PERTURBATION]) == [UNIT_PERTURBATION]
    assert UNIT_PERTURBATION not in resolve_perturbations(["all"])
    assert resolve_perturbations(["all"]) == list(PERTURBATIONS)
    assert resolve_perturbations(["sentence-alone", "units-alone"]) == ["sentence-alone", "units-alone"]


def test_phi_task_refuses_units_alone():
    with pytest.raises(InputError, match="units-alone"):
        perturb_phi({"id": "x", "text": "Seen by Dr. Vantongeren.", "phi": []}, UNIT_PERTURBATION)


def test_harness_scores_units_alone_with_the_same_scorer(tmp_path):
    docs = _docs(tmp_path)
    seen: list[int] = []

    def scorer(recs):
        seen.append(len(recs))
        return {"gold": float(sum(len(r.spans) for r in recs))}

    res = run_harness(docs, ["sentence-alone", UNIT_PERTURBATION], scorer)
    total = float(sum(len(d.spans) for d in docs))
    assert res["clean"]["gold"] == total and res[UNIT_PERTURBATION]["gold"] == total
    assert seen == [2, 8, 6]  # notes, sentences, non-blank records
