"""The synthetic note generator: deterministic, offsets exact, held-out terms disjoint."""

from ehrnlp.training.synth import ALLERGENS, REACTIONS, generate


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
    nka = ("NKDA", "No Known Allergies", "No known drug allergies", "NKA", "no known allergies",
           "No Known Drug Allergies")
    for d in docs:  # every note, not just most of them
        assert any(s.label == "ALLERGEN" for s in d.spans) or any(x in d.text for x in nka), d.doc_id
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
    from ehrnlp.training.synth import ALLERGIC_SYMPTOMS, ATOPIC_PROBLEMS

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


def test_problem_lists_labs_and_substance_use():
    """Problem-list titles are one PROBLEM with their qualifiers ("... without macular edema"),
    denied history is a negated PROBLEM, lab test names and street drugs carry no label."""
    from ehrnlp.training.synth import LAB_TESTS, PROBLEM_TITLES

    docs = generate(300, seed=12)
    prob = [(d.text[s.start:s.end], s.negated) for d in docs for s in d.spans if s.label == "PROBLEM"]
    titles = {t for t, _ in prob} & set(PROBLEM_TITLES)
    assert len(titles) >= 20 and any(" without " in t for t in titles)
    assert any(neg for t, neg in prob if t in ("MI", "AFib", "HLD", "DVT", "CVA", "stroke"))
    labelled = {d.text[s.start:s.end].lower() for d in docs for s in d.spans}
    assert any("Troponin" in d.text for d in docs) and not labelled & {t.lower() for t in LAB_TESTS}
    assert any("cocaine" in d.text for d in docs) and "cocaine" not in labelled
    for d in docs:  # nothing inside a problem title is labelled on its own
        spans = [s for s in d.spans if s.label == "PROBLEM" and d.text[s.start:s.end] in titles]
        for t in spans:
            assert not [s for s in d.spans if s is not t and t.start <= s.start and s.end <= t.end]


def test_eye_and_nose_routes_are_annotated_as_in_the_glaucoma_corpus():
    """Glaucoma tags "both eyes", not "into both eyes": the synthetic notes follow it."""
    docs = generate(300, seed=5)
    routes = {d.text[s.start:s.end] for d in docs for s in d.spans if s.label == "ROUTE"}
    assert {"both eyes", "each nostril"} <= routes
    assert not [r for r in routes if r.startswith(("into ", "in ")) and "thigh" not in r]
    assert any("into both eyes" in d.text or "in the left eye" in d.text for d in docs)


def test_sdoh_sentences_only_in_training_notes_as_problems():
    from ehrnlp.training.synth import SDOH_SENTENCES

    phrases = {span for _, span, _ in SDOH_SENTENCES}
    train = generate(60, seed=11)
    found = [(d.text[s.start:s.end], s.label) for d in train for s in d.spans if d.text[s.start:s.end] in phrases]
    assert found and all(label == "PROBLEM" for _, label in found)
    held = generate(60, seed=11, heldout=True)
    sentences = [b + span + a for b, span, a in SDOH_SENTENCES]
    assert any(x in d.text for d in train for x in sentences)
    assert not any(x in d.text for d in held for x in sentences)  # the held-out draw is unchanged
    assert generate(5, seed=11) == generate(5, seed=11)  # still deterministic
