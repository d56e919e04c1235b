"""The shipped NER model: integrity, default loading, obvious entities in a synthetic note."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

NOTE = (
    "HPI: [NAME] is a 67 y.o. female with hypertension and type 2 diabetes mellitus who presents with "
    "chest pain and shortness of breath for 3 days. Denies fever.\n"
    "Allergies: Penicillin (hives), Sulfa - rash.\n"
    "Medications:\n"
    "- metoprolol succinate 50 mg by mouth daily\n"
    "- latanoprost 1 drop OU qhs\n"
)


@pytest.fixture(scope="module")
def stage():
    from ehrnlp.config import NerConfig
    from ehrnlp.ner.tagger import TransformerStage, bundled_model_available

    assert bundled_model_available(), "the fine-tuned weights must ship in src/ehrnlp/models/ner"
    return TransformerStage(NerConfig(), None)


def _found(doc, label, text):
    return any(e.label == label and text.lower() in e.text.lower() for e in doc.entities)


def test_finds_obvious_entities(stage):
    from ehrnlp.model import Document

    doc = stage(Document(text=NOTE))
    doc.check()
    for label, text in [("PROBLEM", "hypertension"), ("SYMPTOM", "chest pain"), ("ALLERGEN", "Penicillin"),
                        ("REACTION", "hives"), ("MEDICATION", "metoprolol"), ("DOSE", "50 mg"),
                        ("ROUTE", "by mouth"), ("FREQUENCY", "daily"), ("MEDICATION", "latanoprost"),
                        ("ROUTE", "OU"), ("FREQUENCY", "qhs")]:
        assert _found(doc, label, text), f"{label} {text!r} not found"
    # penicillin is an allergen here, not a medication taken
    assert not _found(doc, "MEDICATION", "Penicillin")
    assert all(0.0 < e.confidence <= 1.0 for e in doc.entities)


def test_long_note_has_entities_past_512_tokens(stage):
    from ehrnlp.model import Document

    filler = "Vision is stable compared to the last visit. " * 120  # ~1,000 tokens
    text = filler + NOTE
    doc = stage(Document(text=text))
    assert _found(doc, "MEDICATION", "latanoprost")
    assert min(e.start for e in doc.entities if e.label == "MEDICATION") > len(filler)


def test_load_uses_bundled_model_by_default():
    import ehrnlp

    nlp = ehrnlp.load(deidentify=False)
    ner = nlp.get_stage("ner")
    assert type(ner).__name__ == "TransformerStage"
    doc = nlp(NOTE)
    assert any(e.label == "MEDICATION" and e.source == "transformer" for e in doc.entities)


def test_model_card_and_checksums_present():
    from ehrnlp.ner.tagger import bundled_model_dir, verify_model_dir

    d = bundled_model_dir()
    meta = verify_model_dir(d)
    assert (d / "MODEL_CARD.md").is_file()
    size = sum(f.stat().st_size for f in Path(d).iterdir() if f.is_file())
    assert size <= 50 * 1024 * 1024
    assert meta["labels"][0] == "O" and "B-ALLERGEN" in meta["labels"]


PHI_NOTE = (
    "Patient: Okonjo-Varga, Teodoro   DOB: 04/11/1957   MRN: 55012938\n"
    "HPI: Teodoro Okonjo-Varga is a 66 y.o. man with hypertension seen with his daughter Ilsabet. "
    "He lives at 4471 Quillon Ridge Rd, Marrowfield, KS 66502 and is followed by Dr. Brannagh Ostervald.\n"
    "Takes lisinopril 20 mg by mouth daily. Denies chest pain.\n"
)


def test_bundled_model_tags_names_and_places():
    from ehrnlp.ner.tagger import NerModel, bundled_model_dir

    m = NerModel(bundled_model_dir())
    assert {"B-NAME", "B-LOCATION"} <= set(m.labels)
    spans = m.predict([PHI_NOTE])[0]
    names = [PHI_NOTE[s.start:s.end] for s in spans if s.label == "NAME"]
    places = [PHI_NOTE[s.start:s.end] for s in spans if s.label == "LOCATION"]
    assert any("Okonjo-Varga" in n for n in names) and any("Ostervald" in n for n in names)
    assert any("Marrowfield" in p for p in places)
    assert not any("hypertension" in n or "lisinopril" in n for n in names + places)


def test_pipeline_runs_the_model_once_per_note_with_deid():
    import ehrnlp

    nlp = ehrnlp.load()
    deid = next(s for s in nlp.stages if s.name == "deid")
    ner = next(s for s in nlp.stages if s.name == "ner")
    assert deid._phi_rec is not None and deid._phi_rec.model is ner.model  # loaded once
    calls = []
    inner = ner.model.logits_for
    ner.model.logits_for = lambda ids: calls.append(len(ids)) or inner(ids)
    try:
        docs = list(nlp.pipe([ehrnlp.Note(text=PHI_NOTE, id="a"), ehrnlp.Note(text=PHI_NOTE.replace("66", "67"), id="b")]))
    finally:
        ner.model.logits_for = inner
    assert calls == [2]  # one batched forward pass, in deid; ner reused it
    for d in docs:
        for secret in ("Okonjo", "Teodoro", "Ilsabet", "Quillon", "Marrowfield", "Ostervald", "55012938"):
            assert secret not in d.text
        got = {(e.label, e.text) for e in d.entities}
        assert {("PROBLEM", "hypertension"), ("MEDICATION", "lisinopril"), ("SYMPTOM", "chest pain")} <= got
        for e in d.entities:
            assert d.text[e.start:e.end] == e.text



def test_no_drug_allergen_outside_an_allergy_context_in_the_example_notes():
    """Issue 18: a drug is an ALLERGEN only in an allergy context (an allergies section or
    table, "allergic to", a prose intolerance); elsewhere it is a MEDICATION. Foods and
    environmental substances ("tree pollen", "walnuts") stay allergens anywhere, by design."""
    import ehrnlp
    from ehrnlp.allergy import find_allergy_contexts

    nlp = ehrnlp.load()
    notes = sorted((Path(__file__).parents[2] / "examples" / "notes").glob("*.txt"))
    assert len(notes) >= 5
    drugs = 0
    for path in notes:
        doc = nlp(path.read_text(encoding="utf-8"))
        contexts = find_allergy_contexts(doc.text, doc.sections)
        for e in doc.entities_of("ALLERGEN"):
            if e.allergy_category != "medication":
                continue
            drugs += 1
            inside = any(a <= e.start and e.end <= b for a, b in contexts)
            assert inside or e.allergy_type == "intolerance", f"{path.name}: drug allergen at {e.start}-{e.end} outside"
    assert drugs >= 3  # penicillin, lisinopril, codeine... (a vacuous pass is not a pass)
