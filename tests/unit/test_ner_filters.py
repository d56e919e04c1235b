from ehrnlp.ner.tagger import is_allergy_status


def test_allergy_status_is_not_an_entity_even_with_trailing_punctuation():
    for t in ("NKDA", "NKDA.", "nka;", "NKFA", "No known drug allergies.", " NKA: "):
        assert is_allergy_status(t), t
    for t in ("NKDA Lisinopril", "penicillin", "known allergies", "NKDAX", ".NKDA"):
        assert not is_allergy_status(t), t
