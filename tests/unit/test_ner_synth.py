"""The synthetic note generator: deterministic, offsets exact, held-out terms disjoint."""

from ehrnlp.ner.synth import ALLERGENS, REACTIONS, generate


def test_deterministic_and_offsets_exact():
    a, b = generate(20, seed=3), generate(20, seed=3)
    assert [d.text for d in a] == [d.text for d in b]
    for d in a:
        for s in d.spans:
            frag = d.text[s.start:s.end]
            assert frag and frag == frag.strip()


def test_every_note_has_allergy_section_and_labels_present():
    docs = generate(200, seed=5)
    labels = {s.label for d in docs for s in d.spans}
    assert {"ALLERGEN", "REACTION", "SEVERITY", "MEDICATION", "DOSE", "ROUTE", "FREQUENCY", "SYMPTOM",
            "PROBLEM", "DURATION"} <= labels
    assert any("NKDA" in d.text or "No Known Allergies" in d.text for d in docs)
    assert any(s.negated for d in docs for s in d.spans if s.label == "SYMPTOM")


def test_heldout_allergens_and_reactions_unseen_in_training():
    train = generate(300, seed=1)
    held = generate(100, seed=2, heldout=True)
    tr = {d.text[s.start:s.end] for d in train for s in d.spans if s.label in ("ALLERGEN", "REACTION")}
    ho = {d.text[s.start:s.end] for d in held for s in d.spans if s.label in ("ALLERGEN", "REACTION")}
    assert ho and not (tr & ho)
    assert ho <= set(ALLERGENS) | set(REACTIONS)


def test_reactions_only_inside_allergy_entries_and_the_same_words_elsewhere_are_symptoms():
    """A REACTION is learnt from its context: every one shares its line with an ALLERGEN, and
    reaction-like words ("hives", "sneezing") also occur as SYMPTOMs outside allergy entries,
    atopic conditions ("oral allergy syndrome") as PROBLEMs."""
    from ehrnlp.ner.synth import ALLERGIC_SYMPTOMS, ATOPIC_PROBLEMS

    docs = generate(300, seed=11)
    for d in docs:
        allergen_lines = {d.text.count("\n", 0, s.start) for s in d.spans if s.label == "ALLERGEN"}
        for s in d.spans:
            if s.label == "REACTION":
                assert d.text.count("\n", 0, s.start) in allergen_lines, d.text[s.start:s.end]
    sym = {d.text[s.start:s.end] for d in docs for s in d.spans if s.label == "SYMPTOM"}
    prob = {d.text[s.start:s.end] for d in docs for s in d.spans if s.label == "PROBLEM"}
    assert {"hives", "sneezing", "lip swelling", "trouble breathing"} <= sym
    assert len(sym & set(ALLERGIC_SYMPTOMS)) >= 15
    assert "oral allergy syndrome" in prob and len(prob & set(ATOPIC_PROBLEMS)) >= 6
    # drugs given for a reaction are MEDICATIONs even inside an allergy entry
    meds_on_allergy_lines = [
        d.text[s.start:s.end] for d in docs for s in d.spans if s.label == "MEDICATION"
        and any(a.label == "ALLERGEN" and d.text.count("\n", 0, a.start) == d.text.count("\n", 0, s.start)
                for a in d.spans)
    ]
    assert meds_on_allergy_lines
