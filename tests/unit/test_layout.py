"""Layout invariance: the offset-preserving layout view (ehrnlp.textnorm), the offset-mapped
perturbations of the harness (ehrnlp.training.perturb) and the rule stages' invariance under
each perturbation kind, on synthetic text."""

import dataclasses

import pytest
from entity_doc import entities_from

from ehrnlp.allergy import find_allergy_contexts, find_nka
from ehrnlp.assertion import assertion_of, sentence_bounds
from ehrnlp.model import Document
from ehrnlp.sections import SectionStage, detect_sections
from ehrnlp.textnorm import is_caseless, layout_view
from ehrnlp.training.corpus import CorpusDoc, GoldSpan, make_lockbox
from ehrnlp.training.harness import resolve_perturbations, run_harness, score_negation
from ehrnlp.training.perturb import PERTURBATIONS, apply_edits, perturb_doc, perturb_text, sentence_cuts

# ------------------------------------------------------------------ the layout view


def test_plain_text_is_its_own_view():
    v = layout_view("Denies chest pain. No fever.")
    assert v.identity and v.text == v.orig


@pytest.mark.parametrize("text", [
    "No   weight loss.", "No\tweight loss.", "No\u00a0weight loss.", "No \u2009 weight loss.",
])
def test_runs_and_odd_spaces_become_one_gap(text):
    v = layout_view(text)
    assert v.text == "No weight loss."
    s, e = v.span_to_orig(3, 14)
    assert text[s:e] == text[text.index("weight"):text.index(".")]


def test_field_break_wider_than_the_word_gap_before_a_capital():
    v = layout_view("Former Smoker      No past medical history.")
    assert v.text == "Former Smoker  No past medical history."


def test_tripled_spaces_keep_field_breaks_relative_to_the_word_gap():
    clean = "Pain: No  Vision: blurry in both eyes  Plan: follow up"
    tripled = clean.replace(" ", "   ")
    assert layout_view(tripled).text == layout_view(clean).text == clean


def test_crlf_and_indentation():
    v = layout_view("HPI:\r\n   Denies fever.  \r\nNo cough.")
    assert v.text == "HPI:\nDenies fever.\nNo cough."
    i = v.text.index("cough")
    s, e = v.span_to_orig(i, i + 5)
    assert v.orig[s:e] == "cough"


def test_soft_wrap_joins_a_wrapped_line_only():
    wrapped = "She was seen today and reports that she denies fever, chills or\nnight sweats. Cough\nresolved."
    v = layout_view(wrapped)
    assert "or night sweats" in v.text
    assert "Cough\nresolved" in v.text  # a short line is not a wrap


@pytest.mark.parametrize("line,joined", [
    ("Allergies/Intolerances: Xalatan made her eyes red and itchy in\nOD after two weeks", True),
    ("Allergies/Intolerances: prednisolone - steroid responder, Xalatan\nOD increased intraocular pressure", True),
    ("Glaucoma plan reviewed today with the patient: started Latanoprost **\n*/**/**** - had palpitations", True),
    ("Glaucoma plan reviewed today with the patient: started Latanoprost 20\n*/**/**** - had palpitations", True),
    ("Glaucoma: no further drops since she had an adverse rxn to brimonidine\n(blepharitis, redness)", True),
    # a line of its own after a long line: a laterality header, a bullet, a bold header
    ("Glaucoma plan reviewed today with the patient and her daughter.\nOD: IOP 14, cup 0.6", False),
    ("Glaucoma plan reviewed today with the patient and her daughter\n* continue latanoprost", False),
    ("Glaucoma plan reviewed today with the patient and her daughter\n**Allergies** none", False),
    ("Glaucoma plan reviewed today with the patient and her daughter\nOS IOP 14", False),
    # a line that ends with a word no sentence ends with goes on, whatever the case after it
    ("Blepharitis with telangiectatic vessels, sometimes exacerbated by\nLumigan - lid scrubs", True),
    ("Takes amlodipine at night and feels well today, with prior\nLisinopril felt sleepy", True),
    ("Glaucoma plan reviewed today with the patient and the\nDaughter agrees", True),
    ("Glaucoma plan reviewed today with the patient, stable on\nTimolol BID OU", True),
    # ... but not a word that may end a list line, and not a short line
    ("Glaucoma plan reviewed today with the patient: continue drops\nTimolol BID OU", False),
    ("Glaucoma plan reviewed today with the patient: stable by\n* Timolol BID OU", False),
    ("Pt allergic to\nLatex", False),
])
def test_a_wrap_before_a_laterality_or_a_masked_date_is_joined(line, joined):
    assert ("\n" not in layout_view(line).text) is joined


def test_caseless():
    assert is_caseless("NO FEVER") and is_caseless("no fever") and not is_caseless("No fever")


# ------------------------------------------------------------------ rule stages


NEGATED = [
    ("No   weight loss.", "weight loss"),
    ("denies any   fevers or chills", "fevers"),
    ("denies any   fevers or chills", "chills"),
    ("Patient denies\tchest pain.", "chest pain"),
    ("NO   WEIGHT LOSS.", "WEIGHT LOSS"),
    ("No\u00a0nausea or vomiting.", "vomiting"),
]


@pytest.mark.parametrize("text,target", NEGATED)
def test_negation_survives_runs_of_spaces(text, target):
    i = text.index(target)
    assert assertion_of(text, i, i + len(target)).negated


NOTE = ("HPI: 67 y.o. woman with a history of hypertension. She denies chest pain, fever or night sweats.\n"
        "Reports cough for 3 days. No nausea.\n\nAllergies: penicillin (hives)\n"
        "Plan: continue lisinopril 10 mg daily.")
TARGETS = ["chest pain", "fever", "night sweats", "cough", "nausea", "hypertension", "lisinopril", "penicillin"]


def _flags(text):
    out = {}
    for t in TARGETS:
        i = text.lower().index(t)
        out[t] = assertion_of(text, i, i + len(t))
    return out


@pytest.mark.parametrize("name", [p for p in PERTURBATIONS if p not in ("sentence-alone",)])
def test_assertion_invariant_under_every_perturbation(name):
    new, m = perturb_text(NOTE, name)
    want = _flags(NOTE)
    for t in TARGETS:
        i = NOTE.lower().index(t)
        a, b = m.span(i, i + len(t))
        assert new[a:b].lower().split() == NOTE[i:i + len(t)].lower().split()
        assert assertion_of(new, a, b) == want[t], (name, t)


# a flattened Epic allergy field and medication header re-wrapped at 60 columns: every cut
# falls where the fixed width put it (after a dash, an arrow, inside a header)
_EPIC = ("Allergies/Intolerances: Cosopt (burning) -> blisters on the eye, timolol - severe aching,"
         " Brimonidine - shakiness, unsteady on feet, fatigue  Timolol - fatigue, lower resting pulse rate"
         "     Current Outpatient Prescriptions (Ophthalmic Medications)   Medication Sig   \u2022 latanoprost"
         " Instill 1 drop into both eyes at bedtime.")


def test_a_rewrapped_allergy_field_keeps_its_links_and_its_medication_header():
    from ehrnlp.relations import RelationStage

    wrapped, m = perturb_text(_EPIC, "rewrap60")
    assert wrapped.count("\n") >= 3
    pairs = [("ALLERGEN", "Cosopt"), ("REACTION", "blisters"), ("ALLERGEN", "timolol"), ("SEVERITY", "severe"),
             ("REACTION", "aching"), ("ALLERGEN", "Brimonidine"), ("REACTION", "fatigue"), ("ALLERGEN", "Timolol"),
             ("REACTION", "fatigue"), ("REACTION", "lower resting pulse rate"), ("MEDICATION", "latanoprost")]
    clean = entities_from(_EPIC, pairs)
    moved = tuple(dataclasses.replace(e, start=m.span(e.start, e.end)[0], end=m.span(e.start, e.end)[1],
                                      text=wrapped[slice(*m.span(e.start, e.end))]) for e in clean)
    for text, ents in ((_EPIC, clean), (wrapped, moved)):
        doc = Document(text=text, entities=ents)
        doc = RelationStage()(SectionStage()(doc))
        got = [sorted(" ".join(a.text.split()) for a in e.attributes) for e in doc.entities_of("ALLERGEN")]
        assert got == [["blisters"], ["aching", "severe"], ["fatigue"], ["fatigue", "lower resting pulse rate"]], text
        i = text.index("latanoprost")
        assert doc.section_at(i).name == "medications", text


@pytest.mark.parametrize("cut", [
    "Allergies/Intolerances: Brimonidine - shakiness, unsteady, Timolol\n- fatigue, slow pulse",
    "Allergies/Intolerances: Brimonidine - shakiness, unsteady, Timolol -\nfatigue, slow pulse",
    "Allergies/Intolerances: Brimonidine - shakiness, unsteady, Timolol ->\nfatigue, slow pulse",
])
def test_a_wrap_at_an_entry_dash_keeps_the_reaction_with_its_drug(cut):
    from ehrnlp.relations import RelationStage

    pairs = [("ALLERGEN", "Brimonidine"), ("REACTION", "shakiness"), ("ALLERGEN", "Timolol"), ("REACTION", "fatigue"),
             ("REACTION", "slow pulse")]
    doc = RelationStage()(SectionStage()(Document(text=cut, entities=entities_from(cut, pairs))))
    assert [sorted(a.text for a in e.attributes) for e in doc.entities_of("ALLERGEN")] == [
        ["shakiness"], ["fatigue", "slow pulse"]]


def test_a_short_list_line_is_never_taken_as_wrapped():
    from ehrnlp.relations import RelationStage

    text = "Allergies:\nTimolol\n- fatigue\n"
    doc = Document(text=text, entities=entities_from(text, [("ALLERGEN", "Timolol"), ("REACTION", "fatigue")]))
    doc = RelationStage()(SectionStage()(doc))
    assert [a.text for a in doc.entities_of("ALLERGEN")[0].attributes] == []
    # a long line that only ends at a dash is wrapped: the next line continues the entry
    assert layout_view("The patient reports a reaction to timolol eye drops -\nsevere aching.").text.count("\n") == 0


@pytest.mark.parametrize("name", ["spaces3", "tabs", "nbsp", "crlf", "rewrap60"])
def test_allergy_field_entries_are_cut_in_the_layout_view(name):
    """The allergy-entry backstop: "prednisolone - steroid responder" is one entry (its
    head, prednisolone, the allergen) under runs of spaces and re-wrapping alike; "steroid"
    after the dash is no entry head."""
    from ehrnlp.relations import RelationStage
    from ehrnlp.vocab import VocabEntry, Vocabulary, normalize_term

    vocab = Vocabulary(VocabEntry(t, normalize_term(t), "MEDICATION", "", "", "", "IN", "test", "1")
                       for t in ("prednisolone", "atropine"))
    note = ("Glaucoma Summary:  Gonio: open  Tmax: 37 OD; 29 OS   CCT: 591 OD; 596 OS   Allergies/Intolerances: "
            "prednisolone - steroid responder   Atropine type drops elevated iop   STUDIES: HVF stable")
    for text in (note, perturb_text(note, name)[0]):
        doc = RelationStage(vocabulary=vocab)(SectionStage()(Document(text=text, entities=())))
        assert [" ".join(e.text.split()) for e in doc.entities_of("ALLERGEN")] == ["prednisolone", "Atropine"], name


@pytest.mark.parametrize("name", ["spaces3", "tabs", "nbsp", "crlf", "upper", "lower", "bullets", "embed"])
def test_sections_nka_and_allergy_contexts_invariant(name):
    note = "Chief Complaint: eye pain\nAllergies: No Known Allergies\nMedications: timolol 0.5% BID OU\nAllergic to sulfa (rash)."
    new, m = perturb_text(note, name)
    clean = [(s.name, s.start, s.end) for s in detect_sections(note)]
    got = detect_sections(new)
    # the same section names in the same order, each starting where the mapped header starts
    assert [s.name for s in got if s.name != "other"] == [n for n, _, _ in clean if n != "other"]
    for (n, s, _), g in zip([c for c in clean if c[0] != "other"], [g for g in got if g.name != "other"]):
        assert g.start == m.starts[s], (name, n)
    nka = find_nka(note)
    got_nka = find_nka(new)
    assert got_nka is not None and (got_nka.start, got_nka.end) == m.span(nka.start, nka.end)
    ctx = find_allergy_contexts(new)
    i = note.index("sulfa")
    a, b = m.span(i, i + 5)
    assert any(x <= a and b <= y for x, y in ctx)


def test_sentence_bounds_ignore_runs_of_spaces():
    text = "No   weight loss.   Cough present."
    i = text.index("weight")
    s, e = sentence_bounds(text, i, i + 6)
    assert text[s:e].startswith("No") and "Cough" not in text[s:e]


# ------------------------------------------------------------------ perturbations


def test_apply_edits_maps_insertions_and_replacements():
    text, m = apply_edits("ab cd", [(0, 0, ">>"), (2, 3, "   "), (5, 5, "<<")])
    assert text == ">>ab   cd<<"
    assert m.span(0, 2) == (2, 4) and m.span(3, 5) == (7, 9) and m.span(0, 5) == (2, 9)


@pytest.mark.parametrize("name", [p for p in PERTURBATIONS if p != "sentence-alone"])
def test_every_perturbation_maps_gold_exactly(name):
    text = "Denies fever.\nTaking timolol 0.5% BID OU and latanoprost qHS for glaucoma of both eyes."
    spans = [GoldSpan(text.index(w), text.index(w) + len(w), lab) for w, lab in
             [("fever", "SYMPTOM"), ("timolol", "MEDICATION"), ("latanoprost qHS", "MEDICATION"), ("glaucoma", "PROBLEM")]]
    doc = CorpusDoc("d1", "test", text, spans, ignore=[(0, 6)])
    (p,) = perturb_doc(doc, name)
    assert p.text != text
    for g, s in zip(doc.spans, p.spans):
        assert p.text[s.start:s.end].lower().split() == text[g.start:g.end].lower().split()
        assert s.label == g.label
    assert p.text[p.ignore[0][0]:p.ignore[0][1]].lower() == "denies"


def test_sentence_alone_cuts_and_ignores_crossing_spans():
    text = "No fever. Cough for two\nweeks. Dr. Smith saw him."
    cuts = sentence_cuts(text)
    assert [text[a:b] for a, b in cuts][:2] == ["No fever.", "Cough for two"]
    doc = CorpusDoc("d", "t", text, [GoldSpan(3, 8, "SYMPTOM", True), GoldSpan(10, 29, "SYMPTOM", False)])
    parts = perturb_doc(doc, "sentence-alone")
    assert parts[0].text == "No fever." and parts[0].spans[0].start == 3 and parts[0].spans[0].negated
    assert not parts[1].spans and parts[1].ignore  # the span over the line end is not scored


@pytest.mark.parametrize("text, pieces", [
    ("Seen by Dr. Okonkwo today. Plan: f/u.", ["Seen by Dr. Okonkwo today.", "Plan: f/u."]),
    ("MRS. QUILLFEATHER IS WELL. DR. ADAMS SAW HER.", ["MRS. QUILLFEATHER IS WELL.", "DR. ADAMS SAW HER."]),
    ("Copy to Prof. Vantongeren and Ms. Ruiz. Next visit 3 mo.",
     ["Copy to Prof. Vantongeren and Ms. Ruiz.", "Next visit 3 mo."]),
    # not titles: a sentence ends there
    ("Hepatitis B. Vaccinated 2019.", ["Hepatitis B.", "Vaccinated 2019."]),
    ("IOP 14 OD. Timolol BID.", ["IOP 14 OD.", "Timolol BID."]),
    ("Pt of Dr.\nSmith", ["Pt of Dr.", "Smith"]),  # a line end cuts, title or not
])
def test_sentence_alone_never_cuts_after_a_personal_title(text, pieces):
    """A title's period ends no sentence: cutting "Dr. | Strickland" left a surname opening a
    piece with nothing to say it is a name (the Glaucoma PHI harness's sentence-alone misses)."""
    assert [text[a:b] for a, b in sentence_cuts(text)] == pieces


def test_unknown_perturbation_is_a_clear_error():
    from ehrnlp.errors import InputError

    with pytest.raises(InputError, match="unknown perturbation 'wobble'"):
        resolve_perturbations(["wobble"])
    assert resolve_perturbations(["all"]) == list(PERTURBATIONS)


def test_negation_harness_is_invariant_on_synthetic_notes():
    texts = ["No   weight loss. Reports cough.", "She denies chest pain, fever or chills. Has a headache.",
             "Pain: No  Vision: blurry"]
    docs = []
    for k, t in enumerate(texts):
        spans = []
        for w, neg in [("weight loss", True), ("cough", False), ("chest pain", True), ("chills", True),
                       ("headache", False), ("blurry", False)]:
            if w in t:
                i = t.index(w)
                spans.append(GoldSpan(i, i + len(w), "SYMPTOM", neg))
        docs.append(CorpusDoc(f"n{k}", "t", t, spans))
    res = run_harness(docs, list(PERTURBATIONS), score_negation)
    assert res["clean"]["negation accuracy"] == 1.0
    for name in PERTURBATIONS:
        assert res[name]["negation accuracy"] == 1.0, name


def test_lockbox_is_a_stable_third_by_hash():
    ids = [f"glaucoma-{i:04d}" for i in range(300)]
    a = make_lockbox(ids)
    assert a == make_lockbox(reversed(ids)) and 70 < len(a) < 130 and set(a) <= set(ids)


# ------------------------------------------------------------------ training-side augmentation


def _note():
    text = ("Eye Meds:\nTimolol 0.5% BID OU\nLumigan qHS OS\n"
            "HPI: She denies eye pain. Continue latanoprost nightly in both eyes for glaucoma.")
    spans = [GoldSpan(text.index(w), text.index(w) + len(w), lab) for w, lab in
             [("Timolol", "MEDICATION"), ("BID", "FREQUENCY"), ("OU", "ROUTE"), ("Lumigan", "MEDICATION"),
              ("latanoprost", "MEDICATION"), ("nightly", "FREQUENCY"), ("glaucoma", "PROBLEM")]]
    return CorpusDoc("g1", "glaucoma", text, spans)


def test_mixed_granularity_pieces_keep_gold_exact():
    import random

    from ehrnlp.training.augment import GRANULARITIES, mixed_granularity

    d = _note()
    pieces = mixed_granularity([d], random.Random(3), share=8)
    kinds = {p.id.split("#")[1].rstrip("0123456789") for p in pieces}
    assert kinds == set(GRANULARITIES)
    for p in pieces:
        assert p.text in d.text
        for s in p.spans:
            assert any(g.label == s.label and d.text[g.start:g.end] == p.text[s.start:s.end] for g in d.spans)
        for a, b in p.ignore:  # a gold span cut by the piece's edge is ignored, never taught as O
            assert 0 <= a < b <= len(p.text)
    assert any(p.text == "Timolol 0.5% BID OU" and len(p.spans) == 3 for p in pieces)


def test_pieces_keep_their_section_header_in_an_allergy_context():
    import random

    from ehrnlp.training.augment import mixed_granularity, with_heading
    from ehrnlp.training.corpus import CorpusDoc, GoldSpan

    text = ("Medications:\nLatanoprost 1 drop nightly OU\n\nAllergies:\nLatanoprost - itching\n"
            "Sulfa - rash\n\nPlan:\nContinue drops.")
    gold = [("Latanoprost", "MEDICATION", 13), ("nightly", "FREQUENCY", 13), ("OU", "ROUTE", 13),
            ("Latanoprost", "ALLERGEN", 55), ("itching", "REACTION", 55), ("Sulfa", "ALLERGEN", 55),
            ("rash", "REACTION", 55)]
    spans = [GoldSpan(text.index(w, frm), text.index(w, frm) + len(w), lab) for w, lab, frm in gold]
    d = CorpusDoc("a1", "synthetic", text, spans)
    line = text.index("Latanoprost - itching")
    # an allergy line always keeps its header, whatever the share
    p = with_heading(d, line, line + len("Latanoprost - itching"), "line0", random.Random(0), 0.01)
    assert p.text == "Allergies:\nLatanoprost - itching"
    assert [(p.text[s.start:s.end], s.label) for s in p.spans] == [("Latanoprost", "ALLERGEN"), ("itching", "REACTION")]
    # a medication line keeps it only at the given share; share 0 is the bare piece
    med = text.index("Latanoprost 1 drop")
    bare = with_heading(d, med, med + 29, "line1", random.Random(0), 0.0)
    assert bare.text == "Latanoprost 1 drop nightly OU"
    kept = {with_heading(d, med, med + 29, "l", random.Random(k), 0.5).text for k in range(30)}
    assert kept == {"Latanoprost 1 drop nightly OU", "Medications:\nLatanoprost 1 drop nightly OU"}
    # a piece that starts at its header is not given it twice
    head = text.index("Allergies:")
    assert with_heading(d, head, line + 21, "c", random.Random(0), 1.0).text == text[head:line + 21]
    for p in mixed_granularity([d], random.Random(5), share=6, heading_share=0.5):
        for s in p.spans:
            assert any(g.label == s.label and d.text[g.start:g.end] == p.text[s.start:s.end] for g in d.spans)
        if any(s.label == "ALLERGEN" for s in p.spans) and "Allergies:" not in p.text:
            raise AssertionError(f"allergy piece without its header: {p.id}")


def test_layout_noise_maps_offsets_and_keeps_the_rest():
    import random

    from ehrnlp.training.augment import layout_noise

    d = _note()
    out = layout_noise([d] * 20, random.Random(1), share=0.5)
    changed = [o for o in out if o.text != d.text]
    assert 0 < len(changed) < 20
    for o in changed:
        for g, s in zip(d.spans, o.spans):
            assert o.text[s.start:s.end].lower() == d.text[g.start:g.end].lower()


def test_train_config_has_augmentation_off_by_default():
    from ehrnlp.training.train import DataSection

    assert DataSection().granularity == 0 and DataSection().layout_noise == 0


# ------------------------------------------------------------------ sig parsing and the vocabulary matcher


@pytest.mark.parametrize("text", ["twice daily", "every 6 hours", "at bedtime", "1 drop", "by mouth", "500 mg"])
@pytest.mark.parametrize("name", ["spaces3", "tabs", "nbsp", "upper", "lower"])
def test_sig_parsers_invariant(text, name):
    from ehrnlp.sig import parse_dose, parse_timing, route_code

    new, _ = perturb_text(text, name)
    assert (parse_timing(new), parse_dose(new), route_code(new)) == (parse_timing(text), parse_dose(text), route_code(text))


@pytest.mark.parametrize("name", [p for p in PERTURBATIONS if p != "sentence-alone"])
def test_vocabulary_matcher_invariant(name):
    from ehrnlp.ner.rules import RuleMatcherStage
    from ehrnlp.vocab import load_vocabulary

    matcher = RuleMatcherStage(load_vocabulary())
    text = ("Medications: metformin 500 mg by mouth twice daily. Allergies: penicillin (hives). Denies chest pain.\n"
            "Timolol 0.5% 1 drop OU BID")
    base = {(e.label, e.start, e.end) for e in matcher.find(text)}
    assert base
    new, m = perturb_text(text, name)
    assert {(e.label, e.start, e.end) for e in matcher.find(new)} == {(lab, *m.span(s, e)) for lab, s, e in base}


@pytest.mark.parametrize("text,want", [
    ("Codeine - Pruritus\nTree nuts: rash", True),
    ("Codeine - Pruritus\r\nTree nuts: rash", True),
    ("Codeine - Pruritus \u00a0\nTree nuts: rash", True),
    ("codeine - pruritus\ntree nuts: rash", True),  # no case: a new line is a new item
    ("allergic to tree nuts and\nshellfish", False),  # a phrase that goes on
    ("Allergic to tree nuts and\nshellfish", False),
])
def test_line_items_survive_crlf_and_case(text, want):
    from ehrnlp.ner.decode import starts_line_item

    nl = text.index("\n")
    prev_end = len(text[:nl].rstrip("\r\u00a0 "))
    start = nl + 1
    assert starts_line_item(text, prev_end, start) is want


def test_assertion_cues_point_into_the_original_text():
    text = "Pain:\tnone.   She   denies   any   fever."
    i = text.index("fever")
    a = assertion_of(text, i, i + 5)
    assert a.negated
    (cue,) = [c for c in a.cues if c.flag == "negated"]
    assert text[cue.start:cue.end] == cue.text and cue.text.lower().startswith("denies")


# ----------------------------------------------------------------- the PHI harness (--task phi)
_PHI_REC = {
    "id": "synthetic-1",
    "text": "Patient: Ada Quell. Seen on 03/04/2021.\nAddress: 12 Elm Row\nSpringfield, IL 62704\nNo PHI here.",
    "phi": [{"start": 9, "end": 18, "label": "NAME"}, {"start": 28, "end": 38, "label": "DATE"},
            {"start": 49, "end": 81, "label": "LOCATION"}],
    "ignore": [],
}


@pytest.mark.parametrize("name", [p for p in PERTURBATIONS if p != "sentence-alone"])
def test_phi_records_map_exactly_under_every_perturbation(name):
    from ehrnlp.training.harness import perturb_phi

    (rec,) = perturb_phi(_PHI_REC, name)
    text = _PHI_REC["text"]
    for g, h in zip(_PHI_REC["phi"], rec["phi"]):
        want = perturb_text(text[g["start"]:g["end"]], name)[0] if name not in ("embed", "bullets", "rewrap60") else None
        got = rec["text"][h["start"]:h["end"]]
        assert h["label"] == g["label"]
        if want is not None:
            assert got == want
        # the same words, whatever the layout did around and between them
        strip = {ord(c): None for c in " \t\r\n\u00a0•-*"}
        assert got.lower().translate(strip) == text[g["start"]:g["end"]].lower().translate(strip)


def test_phi_harness_ignores_bullets_inserted_inside_a_span():
    from ehrnlp.training.harness import perturb_phi

    (rec,) = perturb_phi(_PHI_REC, "bullets")
    loc = rec["phi"][2]
    inside = [(a, b) for a, b in rec["ignore"] if loc["start"] <= a < loc["end"]]
    assert inside, "the bullet starting the address's second line is inside the span"
    assert all(set(rec["text"][a:b]) <= set("•-* ") for a, b in inside)


def test_phi_sentence_alone_keeps_whole_spans_and_ignores_cut_ones():
    from ehrnlp.training.harness import perturb_phi

    pieces = perturb_phi(_PHI_REC, "sentence-alone")
    got = [(p["text"][g["start"]:g["end"]], g["label"]) for p in pieces for g in p["phi"]]
    assert ("Ada Quell", "NAME") in got and ("03/04/2021", "DATE") in got
    # the address spans a line end (a sentence cut): no piece scores it, each ignores its part
    assert all(lab != "LOCATION" for _, lab in got)
    ignored = [p["text"][a:b] for p in pieces for a, b in p["ignore"]]
    assert "12 Elm Row" in " ".join(ignored) and "Springfield, IL 62704" in " ".join(ignored)


def test_phi_scorer_counts_no_ignored_character_as_gold():
    from ehrnlp.model import PhiSpan
    from ehrnlp.training.harness import phi_scorer

    class Stage:  # finds the name and the date, and nothing of the address
        name = "deid"

        def __call__(self, doc: Document) -> Document:
            return dataclasses.replace(doc, phi=(PhiSpan("NAME", 9, 18, 9, 18, "x"), PhiSpan("DATE", 28, 38, 28, 38, "x")))

    stage = Stage()

    rec = {**_PHI_REC, "phi": _PHI_REC["phi"][:2]}
    clean = phi_scorer(stage)([rec])
    assert clean["span recall"] == 1.0 and clean["char precision"] == 1.0
    # ignoring the name's characters removes them from the gold: recall stays 1.0
    assert phi_scorer(stage)([{**rec, "ignore": [[9, 18]]}])["char recall"] == 1.0
    assert phi_scorer(stage)([_PHI_REC])["LOCATION recall"] == 0.0


def test_calibration_counts_only_the_models_mentions_and_bins_them():
    from ehrnlp.model import Entity
    from ehrnlp.training.harness import calibration

    rec = CorpusDoc("d", "glaucoma", "latanoprost qhs and timolol bid", [GoldSpan(0, 11, "MEDICATION")],
                    annotated=frozenset({"MEDICATION"}))
    doc = Document(text=rec.text, entities=(
        Entity("MEDICATION", 0, 11, "latanoprost", confidence=0.95, source="transformer"),
        Entity("MEDICATION", 20, 27, "timolol", confidence=0.85, source="transformer"),
        Entity("FREQUENCY", 12, 15, "qhs", confidence=0.5, source="transformer"),   # label not annotated
        Entity("MEDICATION", 20, 27, "timolol", confidence=0.1, source="vocabulary"),  # not the model's
    ))
    got = calibration([rec], [doc])
    assert got["overlap precision"] == 0.5 and got["confidence mean"] == 0.9
    # bins 0.9-1.0: |0.95 - 1| = 0.05; 0.8-0.9: |0.85 - 0| = 0.85; weighted by 1/2 each
    assert got["ECE overlap"] == got["ECE strict"] == 0.45
    assert calibration([rec], [Document(text=rec.text)]) == {}
