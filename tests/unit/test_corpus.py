"""Corpus readers on tiny hand-made brat / jsonl samples (synthetic text only)."""

import json

import pytest

from ehrnlp.errors import InputError
from ehrnlp.training.corpus import (
    GoldSpan,
    load_splits,
    make_splits,
    read_brat_doc,
    read_glaucoma,
    read_gold_jsonl,
    resolve_overlaps,
    split_docs,
    split_dosage,
)

TXT = "A 40-year-old man had fever and asthma. He took aspirin 81 mg orally daily for 3 days. Pain lasted 2 weeks."


def _ann():
    def off(s, start=0):
        i = TXT.index(s, start)
        return i, i + len(s)

    rows = []
    for tid, typ, s in [("T1", "Sign_symptom", "fever"), ("T2", "Disease_disorder", "asthma"),
                        ("T3", "Medication", "aspirin"), ("T4", "Dosage", "81 mg"),
                        ("T5", "Administration", "orally"), ("T6", "Frequency", "daily"),
                        ("T7", "Duration", "for 3 days"), ("T8", "Duration", "2 weeks"),
                        ("T9", "Sign_symptom", "Pain"), ("T10", "Age", "40-year-old")]:
        a, b = off(s)
        rows.append(f"{tid}\t{typ} {a} {b}\t{s}")
    rows += ["E1\tSign_symptom:T1 ", "E2\tMedication:T3 ", "E3\tSign_symptom:T9 ", "A1\tPOLARITY E1 NEG",
             "R1\tMODIFY Arg1:T4 Arg2:E2\t", "R2\tMODIFY Arg1:T5 Arg2:E2\t", "R3\tMODIFY Arg1:T6 Arg2:E2\t",
             "R4\tMODIFY Arg1:T7 Arg2:E2\t", "R5\tMODIFY Arg1:T8 Arg2:E3\t"]
    return "\n".join(rows) + "\n"


def test_brat_mapping_and_modify_links(tmp_path):
    (tmp_path / "d1.txt").write_text(TXT)
    (tmp_path / "d1.ann").write_text(_ann())
    doc = read_brat_doc(tmp_path / "d1.txt", tmp_path / "d1.ann")
    got = {(TXT[s.start:s.end], s.label) for s in doc.spans}
    assert got == {("fever", "SYMPTOM"), ("asthma", "PROBLEM"), ("aspirin", "MEDICATION"), ("81 mg", "DOSE"),
                   ("orally", "ROUTE"), ("daily", "FREQUENCY"), ("for 3 days", "DURATION"), ("Pain", "SYMPTOM")}
    # "2 weeks" modifies a symptom, not a drug: not a medication DURATION
    neg = {TXT[s.start:s.end]: s.negated for s in doc.spans}
    assert neg["fever"] is True and neg["Pain"] is False and neg["aspirin"] is None
    assert "ALLERGEN" not in doc.annotated and "SYMPTOM" in doc.annotated


@pytest.mark.parametrize("dosage, expected", [
    ("900 mg daily", [("900 mg", "DOSE"), ("daily", "FREQUENCY")]),
    ("40\u200amg, 3 times daily", [("40\u200amg", "DOSE"), ("3 times daily", "FREQUENCY")]),
    ("150 mg b.i.d.", [("150 mg", "DOSE"), ("b.i.d.", "FREQUENCY")]),
    ("10 mg/kg every 8 h", [("10 mg/kg", "DOSE"), ("every 8 h", "FREQUENCY")]),
    ("0.25 mg twice per week", [("0.25 mg", "DOSE"), ("twice per week", "FREQUENCY")]),
    ("daily", [("daily", "FREQUENCY")]),
    ("q8h", [("q8h", "FREQUENCY")]),
    # rates, dose words without a number, and a "day" that is not a frequency stay one DOSE
    ("250 mg/day", [("250 mg/day", "DOSE")]),
    ("high-dose weekly", [("high-dose weekly", "DOSE")]),
    ("daily dose 80 mg", [("daily dose 80 mg", "DOSE")]),
    ("2 mg/kg/12h for the first day", [("2 mg/kg/12h for the first day", "DOSE")]),
])
def test_split_dosage(dosage, expected):
    text = "took " + dosage + "."
    got = [(text[a:b], label) for a, b, label in split_dosage(text, 5, 5 + len(dosage))]
    assert got == expected


def test_brat_dosage_with_frequency_is_split(tmp_path):
    txt = "Given prednisone 60 mg daily."
    (tmp_path / "d.txt").write_text(txt)
    (tmp_path / "d.ann").write_text("T1\tMedication 6 16\tprednisone\nT2\tDosage 17 28\t60 mg daily\n"
                                    "E1\tMedication:T1 \nR1\tMODIFY Arg1:T2 Arg2:E1\t\n")
    doc = read_brat_doc(tmp_path / "d.txt", tmp_path / "d.ann")
    assert [(txt[s.start:s.end], s.label) for s in doc.spans] == [
        ("prednisone", "MEDICATION"), ("60 mg", "DOSE"), ("daily", "FREQUENCY")]


def test_brat_discontinuous_and_bad_line(tmp_path):
    (tmp_path / "d.txt").write_text("chest and back pain")
    (tmp_path / "d.ann").write_text("T1\tSign_symptom 0 5;15 19\tchest pain\n")
    doc = read_brat_doc(tmp_path / "d.txt", tmp_path / "d.ann")
    assert [(s.start, s.end) for s in doc.spans] == [(0, 19)]
    (tmp_path / "d.ann").write_text("T1\tSign_symptom zero five\tx\n")
    with pytest.raises(InputError) as ei:
        read_brat_doc(tmp_path / "d.txt", tmp_path / "d.ann")
    assert "line 1" in str(ei.value) and "chest" not in str(ei.value)


def test_glaucoma_regrouping_masks_and_mapping(tmp_path):
    rows = [
        {"id": 1, "text": "***** *** ********* Progress Note */**/****", "labels": []},
        {"id": 2, "text": "CC: follow up", "labels": []},
        {"id": 3, "text": "Timolol qAM OU", "labels": [[0, 7, "DRUG"], [8, 11, "FREQUENCY"], [12, 14, "ROUTE"]]},
        {"id": None, "text": "Chief Complaint: IOP check", "labels": []},
        {"id": None, "text": "start latanoprost 0.005% qhs", "labels": [[0, 5, "DRUG USE"], [6, 17, "DRUG"],
                                                                         [18, 24, "STRENGTH"], [25, 28, "FREQUENCY"]]},
    ]
    p = tmp_path / "a.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    docs = read_glaucoma(p)
    assert [d.id for d in docs] == ["glaucoma-0000", "glaucoma-0003"]
    d0, d1 = docs
    assert {(d0.text[s.start:s.end], s.label) for s in d0.spans} == {
        ("Timolol", "MEDICATION"), ("qAM", "FREQUENCY"), ("OU", "ROUTE")}
    assert {(d1.text[s.start:s.end], s.label) for s in d1.spans} == {
        ("latanoprost", "MEDICATION"), ("0.005%", "DOSE"), ("qhs", "FREQUENCY")}
    assert d0.ignore and all(set(d0.text[a:b]) <= {"*", "/"} for a, b in d0.ignore)
    assert "SYMPTOM" not in d0.annotated


def test_gold_jsonl_roundtrip_and_errors(tmp_path):
    p = tmp_path / "g.jsonl"
    rec = {"id": "x", "text": "Denies fever.", "entities": [{"start": 7, "end": 12, "label": "SYMPTOM", "negated": True}],
           "ignore": [[0, 1]]}
    p.write_text(json.dumps(rec) + "\n")
    (doc,) = read_gold_jsonl(p)
    assert doc.spans == [GoldSpan(7, 12, "SYMPTOM", True)] and doc.ignore == [(0, 1)]
    assert doc.to_gold()["entities"][0]["negated"] is True
    p.write_text(json.dumps({"id": "y", "text": "abc", "entities": [{"start": 2, "end": 9, "label": "DOSE"}]}) + "\n")
    with pytest.raises(InputError):
        read_gold_jsonl(p)


def test_resolve_overlaps_prefers_longer():
    spans = [GoldSpan(0, 4, "SYMPTOM"), GoldSpan(0, 10, "PROBLEM"), GoldSpan(12, 14, "DOSE")]
    assert resolve_overlaps(spans) == [GoldSpan(0, 10, "PROBLEM"), GoldSpan(12, 14, "DOSE")]


def test_splits_deterministic_and_disjoint():
    ids = [f"doc-{i}" for i in range(200)]
    a, b = make_splits({"c": ids}), make_splits({"c": list(reversed(ids))})
    assert a == b
    dt, va = set(a["corpora"]["c"]["dev-test"]), set(a["corpora"]["c"]["val"])
    assert not dt & va and 20 < len(dt) < 60

    class D:
        def __init__(self, i):
            self.id = i

    docs = [D(i) for i in ids]
    parts = [split_docs(docs, "c", s, a) for s in ("train", "val", "dev-test")]
    assert sum(len(p) for p in parts) == 200
    assert not {d.id for d in parts[0]} & dt


def test_committed_split_manifest_lists_ids_only():
    sp = load_splits()
    for corpus in ("maccrobat", "glaucoma"):
        c = sp["corpora"][corpus]
        assert c["dev-test"] and all(isinstance(i, str) and len(i) < 40 for i in c["dev-test"] + c["val"])


def test_ncbi_disease_reader_keeps_the_published_split_and_partial_labels(tmp_path):
    from ehrnlp.training.corpus import NCBI_SETS, load_corpus, split_docs

    folder = tmp_path / "ncbi-disease"
    folder.mkdir()
    title, abstract = "Ataxia in a family.", "Two sisters had cerebellar ataxia and gout."
    text = title + " " + abstract
    a = text.index("cerebellar ataxia")
    g = text.index("gout")
    for i, fname in enumerate(NCBI_SETS.values()):
        pmid = str(100 + i)
        (folder / fname).write_text(
            f"{pmid}|t|{title}\n{pmid}|a|{abstract}\n"
            f"{pmid}\t{a}\t{a + 17}\tcerebellar ataxia\tSpecificDisease\tD002524\n"
            f"{pmid}\t{g}\t{g + 4}\tgouty\tSpecificDisease\tD006073\n\n"  # text disagrees: ignored
        )
    docs, files = load_corpus("ncbi-disease", tmp_path)
    assert [d.id for d in docs] == ["train:100", "develop:101", "test:102"] and len(files) == 3
    d = docs[0]
    assert [(s.start, s.end, s.label) for s in d.spans] == [(a, a + 17, "PROBLEM")]
    assert d.ignore == [(g, g + 4)]
    # only PROBLEM (and NAME, absent from abstracts) are exhaustive: symptoms, drugs are unknown
    assert d.annotated == frozenset({"PROBLEM", "NAME"})
    assert [x.id for x in split_docs(docs, "ncbi-disease", "train")] == ["train:100", "develop:101"]
    assert [x.id for x in split_docs(docs, "ncbi-disease", "dev-test")] == ["test:102"]
    assert split_docs(docs, "ncbi-disease", "val") == []
