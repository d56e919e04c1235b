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
