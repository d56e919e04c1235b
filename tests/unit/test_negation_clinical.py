"""Negation in the language of clinical notes (issue 18): invented sentences only.

``tests/data/negation_clinical.tsv`` is a set of 179 invented discharge-summary and clinic-note
sentences whose labels were written before any system ran on them; the table below pins the
rule kinds found by the differential test against NegEx on real notes (clause dashes in
flattened plan lines, negated reporting verbs, ``- denies``, ``(-)`` / ``neg`` before the
finding, ``no cause of``), each with neighbouring cases that must not change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ehrnlp.assertion import assertion_of

TSV = Path(__file__).resolve().parents[1] / "data" / "negation_clinical.tsv"
#: the dev half of the second, blind set (eighteenth session); its holdout half is never read by tests
TSV2_DEV = Path(__file__).resolve().parents[1] / "data" / "negation_clinical2_dev.tsv"
#: the dev half of the third blind set, plain dictation (nineteenth session); its holdout half is
#: never read by tests
TSV3_DEV = Path(__file__).resolve().parents[1] / "data" / "negation_clinical3_dev.tsv"


def _parse(raw: str) -> tuple[str, int, int]:
    s = raw.index("[")
    e = raw.index("]") - 1
    return raw.replace("[", "", 1).replace("]", "", 1), s, e


CASES: list[tuple[str, bool]] = [
    # a clause dash ends a forward negation (flattened plan / impression lines)
    ("No drops - [itching] and tearing, start lubrication", False),
    ("no eye meds- [Vision] stable", False),
    ("Macular hole w/o detachment -[Floaters] stable, observe", False),
    ("IOP 14 - None - [Epiretinal membrane] of right eye", False),
    ("Denies pain -- [Blurred vision] worse at night", False),
    ("No flashes – [photophobia] since Tuesday", False),
    ("Early cataract - not visually significant-Discussed [glaucoma] surgery", False),
    ("No retinal tear-Reviewed [floaters] and flashes precautions", False),
    ("No anti-VEGF [injections] needed.", True),
    ("No non-Hodgkin [lymphoma].", True),
    # ... but not inside the negated clause, and not a backward trigger after the target
    ("No [flashes] or floaters - follow up in 6 months", True),
    ("No flashes or [floaters] - follow up in 6 months", True),
    ("[Chest pain] - no", True),
    ("[Edema] - not seen", True),
    ("[Fever] - denies", True),
    ("[Cough] - denied.", True),
    ("[Cough] - yes", False),
    ("No pre- or post-operative [complications].", True),
    ("No non-specific [tenderness].", True),
    ("No [pain] 2-3 days after the injection.", True),
    # negated reporting verbs, however long the list after them
    ("She does not c/o any eye pain, redness or [discharge].", True),
    ("He did not complain of headache, nausea or [dizziness].", True),
    ("Has not experienced any new [floaters].", True),
    ("Patient hasn't noticed any [weight loss].", True),
    ("He didn't mention [chest pain] today.", True),
    ("He was not having [palpitations].", True),
    ("He does not c/o pain but reports [tearing].", False),
    ("[Nausea] was not reported.", True),
    ("[Dizziness] and vertigo were not endorsed.", True),
    ("[Diplopia] has not been described.", True),
    ("[Pain] was reported.", False),
    # "(-)" and "neg" before the finding, never after another word's result
    ("(-) [Homan's sign]", True),
    ("neg [APD] OU", True),
    ("Neg [RAPD]", True),
    ("[RAPD] neg", True),
    ("Nitrite (-) [leukocytes] present", False),
    ("Strep neg [staph] positive", False),
    ("Nitrite: (-), [leukocyte esterase] (+)", False),
    ("[Glaucoma] Neg Hx", True),
    # no cause / source of X: X is present
    ("No clear cause of her [anemia] was identified.", False),
    ("No obvious source for the [bleeding] was found.", False),
    ("No etiology of the [neuropathy] was determined.", False),
    ("No evidence of [anemia].", True),
    ("No [cause for concern] today.", True),
    # no relief / not compliant / not aware: the finding is there
    ("No relief of [headache] with ibuprofen.", False),
    ("Without significant improvement in her [dyspnea].", False),
    ("Not much relief from [back pain] after the injection.", False),
    ("He has not been compliant with his [glaucoma] drops.", False),
    ("She was not adherent to her [hypertension] regimen.", False),
    ("He was not aware of his [diabetes].", False),
    ("No [headache] relief needed.", True),
    ("Not compliant with drops; no [eye pain].", True),
]


@pytest.mark.parametrize("raw, negated", CASES, ids=[str(i) for i in range(len(CASES))])
def test_clinical_negation_case(raw: str, negated: bool) -> None:
    text, s, e = _parse(raw)
    assert assertion_of(text, s, e).negated is negated, raw


def _rows(path: Path = TSV) -> list[tuple[bool, str, int, int]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, marked = line.partition("\t")
        s = marked.index("[[")
        e = marked.index("]]") - 2
        out.append((label == "N", marked.replace("[[", "", 1).replace("]]", "", 1), s, e))
    return out


def test_invented_clinical_set_is_read_as_labelled() -> None:
    rows = _rows()
    assert len(rows) >= 150
    wrong = []
    for gold, text, s, e in rows:
        a = assertion_of(text, s, e)
        # the file labels a resolved finding "N" (absent now); ehrnlp flags it resolved, not
        # negated, by design (docs/context.md): both readings are pinned here
        if (a.negated or a.resolved) != gold or (a.negated and not gold):
            wrong.append(f"{'N' if gold else 'A'}: {text}")
    assert not wrong, wrong
    strict = sum(assertion_of(t, s, e).negated == g for g, t, s, e in rows) / len(rows)
    assert strict >= 0.98


_PERTURB = {
    "spaces3": lambda x: x.replace(" ", "   "),
    "tabs": lambda x: x.replace(" ", "\t"),
    "upper": str.upper,
    "lower": str.lower,
}


@pytest.mark.parametrize("name", sorted(_PERTURB))
def test_invented_clinical_set_is_layout_invariant(name: str) -> None:
    f = _PERTURB[name]
    changed = []
    for _gold, text, s, e in _rows():
        a, b, c = f(text[:s]), f(text[s:e]), f(text[e:])
        if assertion_of(a + b + c, len(a), len(a) + len(b)).negated != assertion_of(text, s, e).negated:
            changed.append(text)
    assert not changed, changed


def test_second_blind_set_dev_half_is_read_as_labelled() -> None:
    """The dev half of the second blind set: its misses were read and their causes fixed, so
    it is pinned strictly except for what the design keeps (resolved findings are ``resolved``,
    a conditional absence is hypothetical and negated, ``asymptomatic`` a normal finding)."""
    rows = _rows(TSV2_DEV)
    assert len(rows) >= 200
    strict = sum(assertion_of(t, s, e).negated == g for g, t, s, e in rows) / len(rows)
    absent = sum((lambda a: a.negated or a.resolved)(assertion_of(t, s, e)) == g for g, t, s, e in rows) / len(rows)
    assert strict >= 0.975
    assert absent >= 0.99


@pytest.mark.parametrize("name", ["spaces3", "tabs", "upper"])
def test_second_blind_set_dev_half_is_layout_invariant(name: str) -> None:
    """Spaces tripled, tabs for spaces and upper case change no reading. (Lower case may: a
    Y/N row's bare answer ``N`` is read case-sensitively, ``sob n`` is not an answer.)"""
    f = _PERTURB[name]
    changed = []
    for _gold, text, s, e in _rows(TSV2_DEV):
        a, b, c = f(text[:s]), f(text[s:e]), f(text[e:])
        if assertion_of(a + b + c, len(a), len(a) + len(b)).negated != assertion_of(text, s, e).negated:
            changed.append(text)
    assert not changed, changed


def test_third_blind_set_dev_half_is_read_as_labelled() -> None:
    """The dev half of the third blind set (plain discharge-summary, H&P, radiology and operative
    dictation): pinned strictly except for what the design keeps (a resolved finding is
    ``resolved``, not ``negated``; a leading ``- X`` of a +/- list is a bullet, not a minus)."""
    rows = _rows(TSV3_DEV)
    assert len(rows) >= 200
    strict = sum(assertion_of(t, s, e).negated == g for g, t, s, e in rows) / len(rows)
    absent = sum((lambda a: a.negated or a.resolved)(assertion_of(t, s, e)) == g for g, t, s, e in rows) / len(rows)
    assert strict >= 0.98
    assert absent >= 0.99


@pytest.mark.parametrize("name", ["spaces3", "tabs", "upper"])
def test_third_blind_set_dev_half_is_layout_invariant(name: str) -> None:
    """Spaces tripled, tabs for spaces and upper case change no reading of the third set."""
    f = _PERTURB[name]
    changed = []
    for _gold, text, s, e in _rows(TSV3_DEV):
        a, b, c = f(text[:s]), f(text[s:e]), f(text[e:])
        if assertion_of(a + b + c, len(a), len(a) + len(b)).negated != assertion_of(text, s, e).negated:
            changed.append(text)
    assert not changed, changed
