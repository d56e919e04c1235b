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
