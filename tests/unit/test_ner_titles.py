from ehrnlp.ner.tagger import _is_title


def test_courtesy_titles_are_not_entities():
    t = "Ms. [NAME] has MS. Mr Quist. Dr [NAME]. ms"
    assert _is_title(t, 0, 2)
    assert not _is_title(t, t.index("MS"), t.index("MS") + 2)
    assert _is_title(t, t.index("Mr"), t.index("Mr") + 2)
    assert _is_title(t, t.index("Dr"), t.index("Dr") + 2)
    assert not _is_title(t, len(t) - 2, len(t))
