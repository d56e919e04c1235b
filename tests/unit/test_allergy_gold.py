"""The hand-checked allergy gold is well formed (batches fresh2 to fresh8 above all;
every batch where the rule is older than fresh2 too). Offsets only: the note text is read from ../shared/data."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "data" / "glaucoma_allergy_gold.jsonl"
DATA = REPO.parent / "shared" / "data"
NOTES = DATA / "glaucoma" / "notes"


BATCHES = ["dev", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8"]  # the order they were added in


def _before(batch: str) -> set[str]:
    """The note files of the batches added before ``batch``."""
    earlier = set(BATCHES[: BATCHES.index(batch)])
    return {r["file"] for r in _rows() if r["batch"] in earlier}


def _rows() -> list[dict]:
    return [r for r in (json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()) if "file" in r]


def _inside(span, regions) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in regions)


def _overlaps(span, spans) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


def test_batches_and_unique_notes() -> None:
    rows = _rows()
    assert Counter(r["batch"] for r in rows) == {"dev": 45, "fresh": 20, "fresh2": 40, "fresh3": 11, "fresh4": 40, "fresh5": 40, "fresh6": 40, "fresh7": 40, "fresh8": 32}
    files = [r["file"] for r in rows]
    assert len(set(files)) == len(files), "a note is annotated twice"
    about = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])["_about"]
    assert all(b in about for b in BATCHES)


@pytest.mark.parametrize("batch", BATCHES)
def test_spans_are_consistent(batch: str) -> None:
    for r in (x for x in _rows() if x["batch"] == batch):
        regions = [tuple(x) for x in r["regions"]]
        assert regions == sorted(regions), r["file"]
        for (a, b), (c, _) in zip(regions, regions[1:]):
            assert 0 <= a < b <= c, f"{r['file']}: regions overlap"
        allergens = [tuple(x) for x in r["allergens"]]
        ignore = [tuple(x) for x in r["ignore"]]
        assert len(set(allergens)) == len(allergens), r["file"]
        for s in allergens:
            assert s[0] < s[1] and _inside(s, regions), f"{r['file']}: allergen {s} outside every region"
            assert not _overlaps(s, ignore), f"{r['file']}: allergen {s} overlaps an ignore span"
        for a, x in r["reactions"]:
            assert tuple(a) in allergens, f"{r['file']}: reaction linked to {a}, not a gold allergen"
            assert _inside(x, regions) and not _overlaps(x, ignore), f"{r['file']}: reaction {x}"
            assert not _overlaps(x, allergens), f"{r['file']}: reaction {x} overlaps an allergen"
        for s in ignore:
            assert _inside(s, regions), f"{r['file']}: ignore span {s} outside every region"
        if r["status"] is None:
            assert not allergens, f"{r['file']}: allergens but status None"


@pytest.mark.parametrize("batch", ["fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8"])
def test_input_is_built_like_the_others(batch: str) -> None:
    """`input`: gold allergens as MEDICATION, gold reactions as SYMPTOM, other mentions never
    overlapping them, sorted by (start, end, label)."""
    for r in (x for x in _rows() if x["batch"] == batch):
        inp = [tuple(m) for m in r["input"]]
        assert inp == sorted(set(inp), key=lambda m: (m[0], m[1], m[2])), r["file"]
        gold = {(s, e, "MEDICATION") for s, e in r["allergens"]} | {(s, e, "SYMPTOM") for _, (s, e) in r["reactions"]}
        assert gold <= set(inp), r["file"]
        spans = [(s, e) for s, e, _ in gold]
        for m in set(inp) - gold:
            assert not _overlaps(m, spans), f"{r['file']}: candidate {m} overlaps a gold span"


def _assert_no_lockbox_and_ties(mod, chosen: list[str], ties: dict[str, int]) -> None:
    """Every chosen note exists and is tied to no lockbox document; the tie counts."""
    splits = mod.note_splits(DATA)
    names = {p.name for p in NOTES.glob("*.txt")}
    for f in chosen:
        assert f in names and "lockbox" not in splits.get(f, set()), f
    assert Counter(mod.tie_group(splits.get(f, set())) for f in chosen) == ties


@pytest.mark.shared_data
def test_offsets_fit_the_notes() -> None:
    if not NOTES.is_dir():
        pytest.skip("../shared/data/glaucoma/notes not found (shared data folder absent)")
    for r in _rows():
        text = (NOTES / r["file"]).read_text(encoding="utf-8")
        spans = [*r["regions"], *r["allergens"], *r["ignore"], *(x for _, x in r["reactions"]), *(m[:2] for m in r["input"])]
        for s, e in spans:
            assert 0 <= s < e <= len(text), f"{r['file']}: span {s}-{e} outside the note"
        gold = [*r["allergens"], *{tuple(x) for _, x in r["reactions"]}]
        for s, e in gold:  # whole words: "lightheaded" must not be the head of "lightheadedness"
            assert not (s > 0 and text[s - 1].isalnum() and text[s].isalnum()), f"{r['file']}: span {s}-{e} starts inside a word"
            assert not (e < len(text) and text[e].isalnum() and text[e - 1].isalnum()), f"{r['file']}: span {s}-{e} ends inside a word"
        for i, a in enumerate(gold):
            for b in gold[i + 1:]:
                assert not _overlaps(a, [b]), f"{r['file']}: gold spans {a} and {b} overlap"
        if r["batch"] not in ("fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8"):
            continue
        for s, e in [*r["allergens"], *(x for _, x in r["reactions"]), *r["regions"]]:
            piece = text[s:e]
            assert piece == piece.strip() and any(c.isalpha() for c in piece), f"{r['file']}: span {s}-{e} is not a word span"



def _gold_script() -> ModuleType:
    """scripts/allergy_gold.py as a module; skips without the shared Glaucoma data."""
    if not NOTES.is_dir() or not (DATA / "glaucoma" / "annotations.jsonl").is_file():
        pytest.skip("../shared/data/glaucoma not found (shared data folder absent)")
    spec = importlib.util.spec_from_file_location("allergy_gold", REPO / "scripts" / "allergy_gold.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod

@pytest.mark.shared_data
def test_fresh2_notes_follow_the_documented_rule() -> None:
    """fresh2 = the first 40 held-out notes (dev-test/val, no lockbox, no training sentence,
    not in dev/fresh) in sha256(file name) order: scripts/allergy_gold.py select."""
    mod = _gold_script()
    rows = _rows()
    earlier = {r["file"] for r in rows if r["batch"] in ("dev", "fresh")}
    chosen = mod.eligible(DATA, earlier)[:40]
    assert sorted(chosen) == sorted(r["file"] for r in rows if r["batch"] == "fresh2")
    splits = mod.note_splits(DATA)
    for f in chosen:
        assert splits[f] <= {"dev-test", "val"}


@pytest.mark.shared_data
def test_fresh3_is_every_note_the_rule_admits_after_fresh2() -> None:
    """fresh3 = all the held-out notes the fresh2 rule still admits once dev, fresh and fresh2
    are taken (dev-test/val only, no lockbox), annotated before any rule change of its session."""
    mod = _gold_script()
    rows = _rows()
    earlier = {r["file"] for r in rows if r["batch"] in ("dev", "fresh", "fresh2")}
    chosen = mod.eligible(DATA, earlier)
    assert chosen == [r["file"] for r in rows if r["batch"] == "fresh3"], "fresh3 rows are not the eligible notes in sha256 order"
    splits = mod.note_splits(DATA)
    for f in chosen:
        assert splits[f] <= {"dev-test", "val"}


@pytest.mark.shared_data
def test_fresh4_is_the_first_40_unread_notes() -> None:
    """fresh4 = the first 40 notes of the `unread` pool (tied to no lockbox document, in no
    earlier batch; train-tied and untied notes admitted) in sha256(file name) order:
    scripts/allergy_gold.py select --pool unread. The held-out pool is empty since fresh3."""
    mod = _gold_script()
    rows = _rows()
    earlier = _before("fresh4")
    assert mod.eligible(DATA, earlier | {r["file"] for r in rows}) == []  # heldout: nothing left
    chosen = mod.eligible(DATA, earlier, "unread")[:40]
    assert chosen == [r["file"] for r in rows if r["batch"] == "fresh4"], "fresh4 rows are not the first 40 unread notes in sha256 order"
    _assert_no_lockbox_and_ties(mod, chosen, {"train": 28, "untied": 12})


@pytest.mark.shared_data
def test_fresh5_is_the_next_40_unread_notes() -> None:
    """fresh5 = the first 40 notes the `unread` pool admits once fresh4 is in the gold (the
    41st to 80th of the pool without fresh4), same sha256(file name) order: what
    `scripts/allergy_gold.py select --pool unread --n 40` printed before fresh5 was added.
    None of them is in an earlier batch, none is tied to a lockbox document."""
    mod = _gold_script()
    rows = _rows()
    earlier = _before("fresh5")
    fresh4 = [r["file"] for r in rows if r["batch"] == "fresh4"]
    fresh5 = [r["file"] for r in rows if r["batch"] == "fresh5"]
    assert not set(fresh5) & earlier, "a fresh5 note is in an earlier batch"
    chosen = mod.eligible(DATA, earlier, "unread")[:40]
    assert chosen == fresh5, "fresh5 rows are not the first 40 unread notes once fresh4 is taken"
    assert mod.eligible(DATA, _before("fresh4"), "unread")[:80] == fresh4 + fresh5
    _assert_no_lockbox_and_ties(mod, chosen, {"train": 30, "untied": 10})


@pytest.mark.shared_data
def test_pools_are_defined_as_documented() -> None:
    """`unread` takes every note outside the lockbox and the gold, untied notes included;
    `heldout` never admits a train-tied or untied note; an unknown pool is an error."""
    mod = _gold_script()
    splits = mod.note_splits(DATA)
    unread = mod.eligible(DATA, set(), "unread")
    heldout = mod.eligible(DATA, set(), "heldout")
    assert set(heldout) <= set(unread)
    assert all(mod.tie_group(splits[f]) == "heldout" for f in heldout)
    assert any(f not in splits for f in unread), "untied notes belong to the unread pool"
    assert not any("lockbox" in splits.get(f, set()) for f in unread)
    assert unread == sorted(unread, key=lambda f: mod.hashlib.sha256(f.encode()).hexdigest())
    assert mod.tie_group(set()) == "untied" and mod.tie_group({"val", "train"}) == "train"
    assert mod.tie_group({"dev-test", "lockbox"}) == "heldout"
    with pytest.raises(ValueError, match="unknown pool"):
        mod.eligible(DATA, set(), "everything")


@pytest.mark.shared_data
def test_fresh6_is_the_next_40_unread_notes() -> None:
    """fresh6 = the first 40 notes the `unread` pool admits once fresh5 is in the gold (the
    81st to 120th of the pool without fresh4 and fresh5), same sha256(file name) order.
    Kept blind for a later session: annotated, not scored."""
    mod = _gold_script()
    rows = _rows()
    earlier = _before("fresh6")
    fresh6 = [r["file"] for r in rows if r["batch"] == "fresh6"]
    assert not set(fresh6) & earlier, "a fresh6 note is in an earlier batch"
    assert mod.eligible(DATA, earlier, "unread")[:40] == fresh6, "fresh6 rows are not the first 40 unread notes once fresh5 is taken"
    assert mod.eligible(DATA, _before("fresh4"), "unread")[80:120] == fresh6
    splits = mod.note_splits(DATA)
    assert not any("lockbox" in splits.get(f, set()) for f in fresh6)
    groups = Counter(mod.tie_group(splits.get(f, set())) for f in fresh6)
    assert groups == {"train": 31, "untied": 9}


@pytest.mark.shared_data
def test_fresh7_is_the_next_40_unread_notes() -> None:
    """fresh7 = the first 40 notes the `unread` pool admits once fresh6 is in the gold (the
    121st to 160th of the pool without fresh4 to fresh6), same sha256(file name) order: what
    `scripts/allergy_gold.py select --pool unread --n 40` printed before fresh7 was added
    (72 notes eligible then). Annotated blind, kept sealed for a later session."""
    mod = _gold_script()
    rows = _rows()
    earlier = _before("fresh7")
    fresh7 = [r["file"] for r in rows if r["batch"] == "fresh7"]
    assert not set(fresh7) & earlier, "a fresh7 note is in an earlier batch"
    eligible = mod.eligible(DATA, earlier, "unread")
    assert len(eligible) == 72
    assert eligible[:40] == fresh7, "fresh7 rows are not the first 40 unread notes once fresh6 is taken"
    assert mod.eligible(DATA, _before("fresh4"), "unread")[120:160] == fresh7
    _assert_no_lockbox_and_ties(mod, fresh7, {"train": 30, "untied": 10})


@pytest.mark.shared_data
def test_fresh8_is_the_next_unread_notes() -> None:
    """fresh8 = every note the `unread` pool admits once fresh7 is in the gold (the 161st to
    192nd of the pool without fresh4 to fresh7, the pool's last 32), same sha256(file name)
    order: what `scripts/allergy_gold.py select --pool unread --n 40` printed before fresh8 was
    added (32 notes eligible then). Annotated blind, scored once at the start of the ninth session."""
    mod = _gold_script()
    rows = _rows()
    earlier = _before("fresh8")
    fresh8 = [r["file"] for r in rows if r["batch"] == "fresh8"]
    assert not set(fresh8) & earlier, "a fresh8 note is in an earlier batch"
    eligible = mod.eligible(DATA, earlier, "unread")
    assert len(eligible) == 32
    assert eligible[:40] == fresh8, "fresh8 rows are not the unread notes left once fresh7 is taken"
    assert mod.eligible(DATA, _before("fresh4"), "unread")[160:200] == fresh8
    assert mod.eligible(DATA, {r["file"] for r in rows}, "unread") == []  # the unread pool is used up
    _assert_no_lockbox_and_ties(mod, fresh8, {"train": 23, "untied": 9})


def test_sealed_batches_are_read_only_when_named(tmp_path) -> None:
    """A blind batch listed in the header's "sealed" is left out of "every batch"."""
    from ehrnlp.training.harness import read_allergy_gold

    notes = tmp_path / "notes"
    notes.mkdir()
    rows = [{"_about": "synthetic", "sealed": ["blind"]}]
    for name, batch in (("a.txt", "dev"), ("b.txt", "blind")):
        (notes / name).write_text("Allergies: penicillin (hives)\n", encoding="utf-8")
        rows.append({"file": name, "batch": batch, "status": "listed", "regions": [[0, 29]],
                     "allergens": [[11, 21]], "reactions": [], "ignore": [], "input": []})
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert [r.id for r in read_allergy_gold(gold, notes)] == ["a.txt"]
    assert [r.id for r in read_allergy_gold(gold, notes, batch="blind")] == ["b.txt"]


def test_the_unscored_batches_are_sealed() -> None:
    about = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    assert set(about.get("sealed", ())) <= {r["batch"] for r in _rows()}
    assert "fresh6" not in about["sealed"]  # scored once at the start of the seventh session
    assert "fresh7" not in about["sealed"]  # annotated blind in the seventh session, scored once at the start of the eighth
    assert "fresh8" not in about["sealed"]  # annotated blind in the eighth session, scored once at the start of the ninth
