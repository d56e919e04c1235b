import pytest
from entity_doc import entities_from

from ehrnlp.model import Document
from ehrnlp.ner.tagger import is_allergy_status


def test_allergy_status_is_not_an_entity_even_with_trailing_punctuation():
    for t in ("NKDA", "NKDA.", "nka;", "NKFA", "No known drug allergies.", " NKA: "):
        assert is_allergy_status(t), t
    for t in ("NKDA Lisinopril", "penicillin", "known allergies", "NKDAX", ".NKDA"):
        assert not is_allergy_status(t), t


def test_lateralities_letters_and_function_words_are_not_findings():
    from ehrnlp.ner.tagger import not_a_finding

    for t in ("OU", "od", "both eyes", "h", "a", "do", "the"):
        assert not_a_finding(t, "SYMPTOM"), t
    assert not_a_finding("OS", "PROBLEM") and not_a_finding("a", "REACTION")
    for t in ("AS", "MS", "pain", "S3", "BP", "dry eyes"):
        assert not not_a_finding(t, "SYMPTOM"), t
    # other labels are not findings: a laterality is a ROUTE's business (its own filter)
    assert not not_a_finding("OU", "ROUTE") and not not_a_finding("a", "DOSE")


def test_a_dangling_last_word_is_trimmed_from_clinical_spans_only():
    from ehrnlp.ner.decode import DecodedSpan
    from ehrnlp.ner.tagger import _trim

    text = "EpiPen 0.3 mg IM as needed for anaphylaxis; seen by Lee and "
    freq = DecodedSpan("FREQUENCY", 17, 30, 0.9)  # "as needed for"
    assert text[17:30] == "as needed for"
    t = _trim(freq, text)
    assert text[t.start:t.end] == "as needed"
    sym = DecodedSpan("SYMPTOM", 31, 42, 0.9)  # "anaphylaxis"
    assert _trim(sym, text) == sym
    # "in" inside a route stays; only the last word is looked at
    route = "1 drop in the right eye"
    assert _trim(DecodedSpan("ROUTE", 7, 23, 0.9), route) == DecodedSpan("ROUTE", 7, 23, 0.9)
    assert _trim(DecodedSpan("ROUTE", 0, 9, 0.9), route) == DecodedSpan("ROUTE", 0, 6, 0.9)
    # NAME / LOCATION spans are the de-identifier's business: left as decoded
    name = DecodedSpan("NAME", 52, 60, 0.9)  # "Lee and "
    t = _trim(name, text)
    assert text[t.start:t.end] == "Lee and"
    assert _trim(DecodedSpan("SYMPTOM", 0, 3, 0.9), "for") is not None  # one word is never stripped away


def test_dose_forms_are_neither_drugs_nor_routes():
    from ehrnlp.ner.tagger import dose_form_only

    for t in ("solution", "ophthalmic solution", "nasal spray", "tablet", "ER tablets", "capsule", "Inhaler"):
        assert dose_form_only(t, "MEDICATION"), t
    for t in ("timolol", "Fluticasone nasal spray", "insulin glargine", "Tylenol"):
        assert not dose_form_only(t, "MEDICATION"), t
    for t in ("tablet", "tablets", "pill", "solution", "meals"):
        assert dose_form_only(t, "ROUTE"), t
    from ehrnlp.ner.tagger import stage_only

    for t in ("moderate stage", "Severe stage", "stage 3a", "stage IV"):
        assert stage_only(t), t
    for t in ("CKD stage 3", "glaucoma, moderate stage", "stage fright"):
        assert not stage_only(t), t
    # a route MACCROBAT and the sigs mean as one is kept
    for t in ("injection", "inhaled", "PO", "both eyes", "intravenous infusion"):
        assert not dose_form_only(t, "ROUTE"), t
    assert not dose_form_only("tablet", "DOSE")


def test_a_reaction_without_an_allergen_on_its_line_is_a_symptom():
    from ehrnlp.model import Entity
    from ehrnlp.ner.tagger import _orphan_reactions_as_symptoms

    text = "Penicillin - hives\nAlbuterol 2 puffs as needed for wheezing"
    pen, hives = Entity("ALLERGEN", 0, 10, "Penicillin"), Entity("REACTION", 13, 18, "hives")
    wheeze = Entity("REACTION", 51, 59, "wheezing")
    assert text[51:59] == "wheezing"
    out = _orphan_reactions_as_symptoms(text, [pen, hives, wheeze])
    assert [(e.text, e.label) for e in out] == [("Penicillin", "ALLERGEN"), ("hives", "REACTION"),
                                                ("wheezing", "SYMPTOM")]
    # inside the allergies section a reaction stays one even on a line of its own
    sec = Entity("REACTION", 51, 59, "wheezing", section="allergies")
    assert _orphan_reactions_as_symptoms(text, [sec])[0].label == "REACTION"


def test_a_severity_without_an_allergy_on_its_line_is_dropped():
    from ehrnlp.model import Entity
    from ehrnlp.ner.tagger import _without_orphan_severities

    text = "Penicillin - severe hives\nMild blurred vision since Monday"
    pen, sev, hives = (Entity("ALLERGEN", 0, 10, "Penicillin"), Entity("SEVERITY", 13, 19, "severe"),
                       Entity("REACTION", 20, 25, "hives"))
    mild, blur = Entity("SEVERITY", 26, 30, "Mild"), Entity("SYMPTOM", 31, 45, "blurred vision")
    assert text[26:30] == "Mild" and text[31:45] == "blurred vision"
    out = _without_orphan_severities(text, [pen, sev, hives, mild, blur])
    assert [e.text for e in out] == ["Penicillin", "severe", "hives", "blurred vision"]
    # in the allergies section a severity on a line of its own stays (a wrapped table row)
    kept = Entity("SEVERITY", 26, 30, "Mild", section="allergies")
    assert _without_orphan_severities(text, [kept]) == [kept]


def test_a_dose_form_after_a_drug_is_its_form_but_alone_it_is_the_drug():
    from ehrnlp.model import Entity
    from ehrnlp.ner.tagger import _form_of_previous_drug

    text = "timolol 0.5 % ophthalmic solution BID\nGel at night"
    tim = Entity("MEDICATION", 0, 7, "timolol")
    sol = Entity("MEDICATION", 14, 33, "ophthalmic solution")
    gel = Entity("MEDICATION", 38, 41, "Gel")
    assert text[14:33] == "ophthalmic solution" and text[38:41] == "Gel"
    ents = [tim, sol, gel]
    assert _form_of_previous_drug(text, sol, ents)
    assert not _form_of_previous_drug(text, gel, ents) and not _form_of_previous_drug(text, tim, ents)


def cut(text, span):
    """``span`` (found in ``text``) as :func:`~ehrnlp.ner.tagger.balanced` trims it."""
    from ehrnlp.ner.tagger import balanced

    s = text.index(span)
    a, b = balanced(text, s, s + len(span))
    return text[a:b]


def test_an_unpartnered_bracket_at_a_span_edge_is_no_part_of_it():
    from ehrnlp.ner.tagger import balanced

    assert cut("Allergies: Sulfa (rash)\nMeds", "rash)") == "rash"
    assert cut("Sulfa [hives]", "hives]") == "hives"
    assert cut("(nausea and vomiting", "(nausea and vomiting") == "nausea and vomiting"
    assert cut("note: (chest pain ) today", "chest pain )") == "chest pain"
    assert cut("x ((rash)) y", "rash))") == "rash"
    # partnered brackets and other punctuation stay
    for keep in ("HbA1c (A1C)", "timolol (Timoptic)", "vitamin D3", "pain", "[x]"):
        assert cut(f"a {keep} b", keep) == keep
    assert balanced(")", 0, 1) == (1, 1) or balanced(")", 0, 1)[1] <= balanced(")", 0, 1)[0]


def test_a_dash_standing_apart_at_a_span_edge_is_no_part_of_it():
    assert cut("Alphagan - light headed", "Alphagan -") == "Alphagan"
    assert cut("Cosopt \u2013 burning", "Cosopt \u2013") == "Cosopt"
    assert cut("list: - timolol BID", "- timolol") == "timolol"
    # hyphens inside a name, and a dash between words, stay
    for keep in ("Statins-Hmg-Coa Reductase Inhibitors", "amoxicillin-pot clavulanate", "x - y", "5-FU"):
        assert cut(f"a {keep} b", keep) == keep


@pytest.mark.parametrize("line,spans,masked", [
    ("****** 5x/day OD, 8x/day PFATs prn OU", [("FREQUENCY", "5x/day"), ("ROUTE", "OD"), ("FREQUENCY", "8x/day"),
                                              ("MEDICATION", "PFATs"), ("FREQUENCY", "prn")], ["******"]),
    ("- continue latanoprost qhs OU and ********* BID OU", [("MEDICATION", "latanoprost"), ("FREQUENCY", "qhs"),
                                                             ("ROUTE", "OU"), ("FREQUENCY", "BID")], ["*********"]),
    # not: a masked name before a drug's sig, a mask that is no word of its own, a mask far up the line
    ("Dr. ****** latanoprost qhs OU", [("MEDICATION", "latanoprost"), ("FREQUENCY", "qhs")], []),
    ("seen on */**/**** qhs", [("FREQUENCY", "qhs")], []),
    ("****\ntimolol BID", [("MEDICATION", "timolol"), ("FREQUENCY", "BID")], []),
])
def test_a_masked_word_in_a_sigs_drug_slot_is_the_drug(line, spans, masked):
    import dataclasses as dc

    from ehrnlp.ner.tagger import _masked_sig_drugs

    ents = [dc.replace(e, source="transformer") for e in entities_from(line, spans)]
    got = _masked_sig_drugs(Document(text=line), ents)
    assert [(e.label, e.text) for e in got] == [("MEDICATION", m) for m in masked]


@pytest.mark.parametrize("gap", ["     ", "\t", "\n", "  \u00a0  "])
def test_a_span_is_cut_at_a_column_gap_or_line_break(gap):
    from ehrnlp.ner.decode import DecodedSpan
    from ehrnlp.ner.tagger import split_at_breaks

    text = f"Allergies   \u2022 Brimonidine Tartrate Eye redness{gap}Irritation   \u2022 Latanoprost Eye redness"
    s = text.index("Eye redness")
    e = text.index("Irritation") + len("Irritation")
    cut = split_at_breaks(text, [DecodedSpan("REACTION", s, e, 0.9)])
    assert [text[x.start:x.end] for x in cut] == ["Eye redness", "Irritation"]
    assert all(x.label == "REACTION" and x.confidence == 0.9 for x in cut)


@pytest.mark.parametrize("text", ["Pt has eye redness and irritation today.",
                                  "Pt   has   eye   redness   and   irritation   today."])  # every gap alike
def test_a_span_inside_one_field_is_not_cut(text):
    from ehrnlp.ner.decode import DecodedSpan
    from ehrnlp.ner.tagger import split_at_breaks

    s = text.index("eye")
    e = text.index("irritation") + len("irritation")
    assert split_at_breaks(text, [DecodedSpan("SYMPTOM", s, e, 0.8)]) == [DecodedSpan("SYMPTOM", s, e, 0.8)]
