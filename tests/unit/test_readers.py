"""ehrnlp.readers: every input file and record is read in isolation (issue 21, findings 1-2).

Each case is a file that used to abort the whole run with a traceback, or to give nothing
silently; now it becomes one Failure naming the file/line and the reason, and the valid
inputs beside it are still read.
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
from pathlib import Path

import pytest

from ehrnlp.batch import ConvertOptions
from ehrnlp.model import Note
from ehrnlp.readers import Failure, ReadLimits, ReadReport, UsageError, iter_records, json_depth

SECRET = "Zorblax Quintavelle"  # invented; stands for note text


def docref(rid: str, text: str) -> dict:
    return {"resourceType": "DocumentReference", "id": rid, "status": "current",
            "content": [{"attachment": {"contentType": "text/plain", "data": base64.b64encode(text.encode()).decode()}}]}


@pytest.fixture
def good(tmp_path: Path) -> Path:
    f = tmp_path / "good.jsonl"
    f.write_text(json.dumps({"id": "g1", "text": "Cough."}) + "\n", encoding="utf-8")
    return f


def read(paths, tmp_path, limits=None, **kw):
    report = ReadReport()
    recs = list(iter_records([str(p) for p in paths], ConvertOptions(out=tmp_path / "out", **kw), limits, report))
    return recs, report


def failures(recs):
    return [r for r in recs if isinstance(r, Failure)]


def notes(recs):
    return [r for r in recs if isinstance(r, Note)]


BAD_FILES = {
    # name: (bytes, expected words in the reason)
    "deep.json": (b"[" * 5000 + b"]" * 5000, "nested"),
    "number.json": (b"42", "JSON number"),
    "string.json": (b'"' + SECRET.encode() + b'"', "JSON string"),
    "null.json": (b"null", "JSON null"),
    "entry-object.json": (json.dumps({"resourceType": "Bundle", "type": "collection", "entry": {"resource": docref("x", SECRET)}}).encode(),
                          "Bundle.entry is a JSON dict"),
    "no-type.json": (json.dumps({"text": SECRET}).encode(), "without resourceType"),
    "latin1.json": (b'{"resourceType": "Bundle", "x": "caf\xe9"}', "not UTF-8"),
    "notgzip.ndjson.gz": (SECRET.encode(), "not gzip"),
    "truncated.ndjson.gz": (gzip.compress(((json.dumps(docref("t", "Cough.")) + "\n") * 50).encode())[:-30], "cannot read"),
    "noheader.csv": (f"1,{SECRET}\n2,other\n".encode(), "no 'text' column in the header row"),
    "unterminated.csv": (f'id,text\n1,"{SECRET}\n2,fever\n3,pain\n'.encode(), "never closed"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_one_failure_and_the_run_goes_on(name, tmp_path, good):
    data, words = BAD_FILES[name]
    bad = tmp_path / name
    bad.write_bytes(data)
    recs, _ = read([bad, good], tmp_path, ReadLimits(max_json_depth=100_000))  # a huge limit: RecursionError path
    fails = failures(recs)
    assert len(fails) >= 1 and all(str(bad) in f.location for f in fails)
    assert any(words in f.reason for f in fails), [f.reason for f in fails]
    assert SECRET not in repr(fails)
    assert [n.id for n in notes(recs) if n.id != "t"] == ["g1"]  # the valid input beside it is read


def test_truncated_gzip_keeps_the_lines_before_the_damage(tmp_path):
    f = tmp_path / "DocumentReference.000.ndjson.gz"
    f.write_bytes(gzip.compress("".join(json.dumps(docref(f"d{i}", "Cough.")) + "\n" for i in range(200)).encode())[:-40])
    recs, _ = read([f], tmp_path)
    assert len(notes(recs)) > 100 and len(failures(recs)) == 1
    assert failures(recs)[0].location.startswith(f"{f}:")


def test_json_depth_limit_names_the_setting(tmp_path, good):
    deep = tmp_path / "deep.jsonl"
    deep.write_text(json.dumps({"id": "d", "text": "x", "extra": [[[[[[1]]]]]]}) + "\n" + '{"id": "ok", "text": "fine"}\n')
    recs, _ = read([deep], tmp_path, ReadLimits(max_json_depth=4))
    assert "max_json_depth" in failures(recs)[0].reason and failures(recs)[0].location == f"{deep}:1"
    assert [n.id for n in notes(recs)] == ["ok"]
    assert json_depth('{"a": "[[[[[[[[", "b": [1, [2]]}', 3) == 0  # brackets inside strings do not count
    assert json_depth("[" * 10 + "]" * 10, 3) == 4


def test_invalid_utf8_costs_one_record_not_the_file(tmp_path):
    csv_file = tmp_path / "notes.csv"
    csv_file.write_bytes(b'id,text\n1,"Cough."\n2,caf\xe9 ' + SECRET.encode() + b'\n3,"Denies pain."\n')
    nd = tmp_path / "notes.ndjson"
    nd.write_bytes(json.dumps(docref("a", "Fever.")).encode() + b"\n\xff\xfe" + SECRET.encode() + b"\n" + json.dumps(docref("b", "Rash.")).encode() + b"\n")
    recs, _ = read([csv_file, nd], tmp_path)
    assert [n.id for n in notes(recs)] == ["1", "3", "a", "b"]
    assert [(f.location, f.note_id) for f in failures(recs)] == [(f"{csv_file}:3", "2"), (f"{nd}:2", None)]
    assert all("not UTF-8" in f.reason for f in failures(recs)) and SECRET not in repr(recs)


def test_unterminated_quote_never_merges_later_rows_into_a_note(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text('id,text\n1,"Cough."\n2,"Fever\n3,pain\n4,rash\n', encoding="utf-8")
    recs, _ = read([f], tmp_path)
    assert [n.id for n in notes(recs)] == ["1"]
    assert len(failures(recs)) == 1 and "line 3" in failures(recs)[0].reason


def test_a_row_with_more_fields_than_the_header_fails_alone(tmp_path):
    f = tmp_path / "wide.csv"
    f.write_text('id,text\n1,Cough, then fever\n2,Rash\n', encoding="utf-8")
    recs, _ = read([f], tmp_path)
    assert [n.id for n in notes(recs)] == ["2"]
    assert "header has 2" in failures(recs)[0].reason


def test_unknown_files_in_a_folder_are_named(tmp_path):
    folder = tmp_path / "notes"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Cough.")
    (folder / "scan.pdf").write_bytes(b"%PDF")
    (folder / "sub" / "b.TXT").write_text("Fever.")
    (folder / ".DS_Store").write_bytes(b"\0")
    recs, report = read([folder], tmp_path)
    assert sorted(n.id for n in notes(recs)) == ["a", "b"]
    assert [f.location for f in failures(recs)] == [str(folder / "scan.pdf")]
    assert report.warnings == []


@pytest.mark.parametrize("make", ["empty_file", "empty_folder", "bundle_without_docrefs", "only_patients", "blank_csv"])
def test_an_input_that_yields_nothing_says_so(make, tmp_path, caplog):
    if make == "empty_file":
        p = tmp_path / "e.jsonl"
        p.write_text("\n\n")
    elif make == "empty_folder":
        p = tmp_path / "folder"
        p.mkdir()
    elif make == "bundle_without_docrefs":
        p = tmp_path / "b.json"
        p.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Patient"}}]}))
    elif make == "only_patients":
        p = tmp_path / "o.ndjson"
        p.write_text(json.dumps({"resourceType": "Patient", "id": "p"}) + "\n")
    else:
        p = tmp_path / "c.csv"
        p.write_text("id,text\n")
    with caplog.at_level(logging.WARNING, logger="ehrnlp.readers"):
        recs, report = read([p], tmp_path)
    assert recs == []
    assert [w["input"] for w in report.warnings] == [str(p)] and "no notes" in report.warnings[0]["reason"]
    assert any(str(p) in r.getMessage() for r in caplog.records)


def test_note_size_limit_names_the_setting(tmp_path):
    f = tmp_path / "n.jsonl"
    f.write_text(json.dumps({"id": "big", "text": "x" * 101}) + "\n" + json.dumps({"id": "ok", "text": "x" * 100}) + "\n")
    txt = tmp_path / "big.txt"
    txt.write_text("y" * 1000)
    recs, _ = read([f, txt], tmp_path, ReadLimits(max_note_chars=100))
    assert [n.id for n in notes(recs)] == ["ok"]
    assert [f.note_id for f in failures(recs)] == ["big", "big"]
    assert all("max_note_chars" in f.reason and "100" in f.reason for f in failures(recs))


def test_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="cannot tell the format"):
        read([tmp_path / "x.docx"], tmp_path) if (tmp_path / "x.docx").write_text("a") else None
    with pytest.raises(UsageError, match="not found"):
        read([tmp_path / "missing.csv"], tmp_path)


def test_usable_cpus_follows_the_affinity_mask(monkeypatch):
    import os

    from ehrnlp import batch

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert batch.usable_cpus() == 1

    def no_affinity(pid):
        raise OSError("not supported")

    monkeypatch.setattr(os, "sched_getaffinity", no_affinity, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert batch.usable_cpus() == 4
