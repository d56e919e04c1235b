from ehrnlp.ner.tagger import _is_title


def test_courtesy_titles_are_not_entities():
    t = "Ms. [NAME] has MS. Mr Quist. Dr [NAME]. ms"
    assert _is_title(t, 0, 2)
    assert not _is_title(t, t.index("MS"), t.index("MS") + 2)
    assert _is_title(t, t.index("Mr"), t.index("Mr") + 2)
    assert _is_title(t, t.index("Dr"), t.index("Dr") + 2)
    assert not _is_title(t, len(t) - 2, len(t))


def _ents(text, spans):
    from ehrnlp.model import Entity

    out = []
    for label, word, nth in spans:
        i = -1
        for _ in range(nth + 1):
            i = text.index(word, i + 1)
        out.append(Entity(label, i, i + len(word), word))
    return out


def test_laterality_is_a_route_only_next_to_a_sig():
    from ehrnlp.ner.tagger import _laterality_only

    text = "timolol 1 drop OU BID\nCataracts OU - stable\nPOAG OS>OD, progression discussed at length; latanoprost qhs OS\nsubcutaneously"
    ents = _ents(text, [("MEDICATION", "timolol", 0), ("DOSE", "1 drop", 0), ("ROUTE", "OU", 0),
                        ("FREQUENCY", "BID", 0), ("ROUTE", "OU", 1), ("ROUTE", "OS", 0),
                        ("MEDICATION", "latanoprost", 0), ("ROUTE", "OS", 1), ("ROUTE", "subcutaneously", 0)])
    dropped = [(e.text, e.start) for e in ents if _laterality_only(text, e, ents)]
    assert dropped == [("OU", text.index("OU - stable")), ("OS", text.index("OS>OD"))]


def test_list_item_numbers_are_not_mentions():
    from ehrnlp.ner.tagger import list_marker

    text = "Meds:\n9. Omeprazole 20 mg PO daily\n10. Gabapentin 300 mg PO tid\n  b) Timolol 1 drop OU\nTake 10. mg"
    def at(word, nth=0):
        i = -1
        for _ in range(nth + 1):
            i = text.index(word, i + 1)
        return i, i + len(word)
    assert list_marker(text, *at("9"))                     # "9" of "9. Omeprazole"
    assert list_marker(text, *at("10"))                    # span without its dot
    s, e = at("10.")
    assert list_marker(text, s, e)                         # span with its dot
    b = text.index("b)")
    assert list_marker(text, b, b + 1)                     # "b)" after indentation
    assert not list_marker(text, *at("20"))                # a real dose
    assert not list_marker(text, *at("300"))
    assert not list_marker(text, *at("10", 1))             # "Take 10. mg": not at a line start
