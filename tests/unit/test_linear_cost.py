"""Look-ups that used to scan every section or entity per entity (quadratic on long notes)
give the same answers as the scans they replace."""

import random

from ehrnlp.model import Document, Entity, Section


def _linear(sections, offset):
    for s in sections:
        if s.start <= offset < s.end:
            return s
    return None


def test_section_at_matches_a_linear_scan_disjoint_and_overlapping():
    rng = random.Random(7)
    text = "x" * 500
    for trial in range(200):
        cuts = sorted(rng.sample(range(1, 500), rng.randint(0, 12)))
        bounds = [0, *cuts, 500]
        secs = [Section(f"s{i}", a, b) for i, (a, b) in enumerate(zip(bounds, bounds[1:])) if rng.random() < 0.7]
        if trial % 3 == 0 and secs:  # overlapping or unsorted sections: the first in order wins
            a = rng.randrange(0, 499)
            secs.insert(rng.randrange(len(secs) + 1), Section("overlap", a, rng.randrange(a + 1, 501)))
        doc = Document(text=text, sections=tuple(secs))
        for off in (-1, 0, 1, 250, 499, 500, *(rng.randrange(0, 500) for _ in range(20))):
            assert doc.section_at(off) == _linear(secs, off), (secs, off)


def test_laterality_index_matches_brute_force():
    from ehrnlp.ner.tagger import _SigIndex

    rng = random.Random(3)
    labels = ["MEDICATION", "DOSE", "FREQUENCY", "ROUTE", "SYMPTOM"]
    for _ in range(200):
        ents = []
        for _ in range(rng.randint(0, 15)):
            a = rng.randrange(0, 200)
            ents.append(Entity(rng.choice(labels), a, a + rng.randint(1, 20), "x"))
        idx = _SigIndex(ents)
        for _ in range(10):
            lo = rng.randrange(-5, 210)
            hi = lo + rng.randrange(0, 60)
            brute = any(e.label in ("MEDICATION", "DOSE", "FREQUENCY") and e.start >= lo and e.end <= hi for e in ents)
            assert idx.any_within(lo, hi) == brute


def _old_medication_clause(text, mention, medications):
    """The quadratic implementation medication_clause replaced (the reference here)."""
    from ehrnlp.rxdrug import _LIST_SEP

    start = max(text.rfind("\n", 0, mention.start), text.rfind(";", 0, mention.start)) + 1
    ends = [i for i in (text.find("\n", mention.end), text.find(";", mention.end)) if i >= 0]
    end = min(ends) if ends else len(text)
    for other in sorted(medications, key=lambda x: x.start):
        if other.start >= mention.end and other.start < end:
            if _LIST_SEP.search(text[mention.end : other.start]):
                end = other.start
                break
    for other in sorted(medications, key=lambda x: -x.start):
        if other.end <= mention.start and other.end > start:
            gap = text[other.end : mention.start]
            i = gap.rfind(",")
            if i >= 0 and not gap[i + 1:].strip():
                start = other.end + i + 1
                break
    return start, end


def test_medication_clause_index_matches_the_quadratic_scan():
    from ehrnlp.rxdrug import ClauseIndex, medication_clause

    rng = random.Random(11)
    words = ["lisinopril", "10 mg", "daily", ",", "and", "metformin", "500 mg", ";", "\n", "aspirin", "plus", "BID"]
    for _ in range(150):
        parts, meds, pos = [], [], 0
        for _ in range(rng.randint(1, 20)):  # within one clause reach (300 characters)
            w = rng.choice(words)
            if w in ("lisinopril", "metformin", "aspirin"):
                meds.append(Entity("MEDICATION", pos, pos + len(w), w))
            parts.append(w + " ")
            pos += len(w) + 1
        text = "".join(parts)
        index = ClauseIndex(meds)
        for m in meds:
            assert medication_clause(text, m, index) == _old_medication_clause(text, m, meds)
            assert medication_clause(text, m, list(reversed(meds))) == _old_medication_clause(text, m, meds)


def test_medication_clause_stops_at_a_sentence_and_its_reach():
    from ehrnlp.rxdrug import medication_clause

    text = "Lisinopril 10 mg PO daily. Metformin 500 mg tablet p.o. BID with meals."
    lis = Entity("MEDICATION", 0, 10, "Lisinopril")
    met = Entity("MEDICATION", text.index("Metformin"), text.index("Metformin") + 9, "Metformin")
    s, e = medication_clause(text, lis, [lis, met])
    assert text[s:e] == "Lisinopril 10 mg PO daily."
    s, e = medication_clause(text, met, [lis, met])
    assert text[s:e] == "Metformin 500 mg tablet p.o. BID with meals."   # "p.o. BID" does not end it
    long_line = ("Lisinopril 10 mg PO daily. " * 4000)
    meds = [Entity("MEDICATION", i, i + 10, "Lisinopril") for i in range(0, len(long_line), 27)]
    s, e = medication_clause(long_line, meds[2000], meds)
    assert e - s <= 27
