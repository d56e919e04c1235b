"""Pure decoding logic: windows, seam merging, word grouping, BIO decoding."""

import numpy as np
import pytest

from ehrnlp.ner.decode import decode_words, group_words, make_windows, merge_windows, plan_windows
from ehrnlp.ner.labels import bio_labels

LABELS = bio_labels()


def one_hot(tags, conf=0.9):
    p = np.full((len(tags), len(LABELS)), (1 - conf) / (len(LABELS) - 1), dtype=np.float32)
    for i, t in enumerate(tags):
        p[i, LABELS.index(t)] = conf
    return p


def test_windows_cover_and_overlap():
    ws = make_windows(10, 4, 2)
    assert ws == [(0, 4), (2, 6), (4, 8), (6, 10)]
    covered = set()
    for a, b in ws:
        assert b - a <= 4
        covered |= set(range(a, b))
    assert covered == set(range(10))


def test_windows_short_text_and_last_window_aligned():
    assert make_windows(3, 8, 4) == [(0, 3)]
    assert make_windows(0, 8, 4) == []
    ws = make_windows(11, 4, 3)
    assert ws[-1] == (7, 11)
    with pytest.raises(ValueError):
        make_windows(10, 4, 5)


@pytest.mark.parametrize("size,overlap", [(254, 32), (254, 64), (254, 127), (254, 0), (16, 5), (8, 7), (4, 1)])
def test_planned_windows_cover_with_the_least_overlap_and_fewest_windows(size, overlap):
    for n in [*range(0, 700), 1250, 4001, 100_003]:
        ws = plan_windows(n, size, overlap)
        if n == 0:
            assert ws == []
            continue
        assert ws[0][0] == 0 and ws[-1][1] == n
        assert all(b - a == min(n, size) for a, b in ws)  # full windows
        assert all(b - c >= overlap and c > a for (a, b), (c, _) in zip(ws, ws[1:]))
        if n > size:  # no fewer windows could keep the overlap
            assert len(ws) == -(-(n - overlap) // (size - overlap))
        merge_windows(n, ws, [np.zeros((b - a, 1), np.float32) for a, b in ws])  # every token covered


def test_planned_windows_spread_evenly_and_read_fewer_positions():
    assert plan_windows(300, 254, 32) == [(0, 254), (46, 300)]
    ws = plan_windows(1250, 254, 32)
    assert [a for a, _ in ws] == [0, 199, 398, 597, 796, 996]
    # positions read for a 1,250-piece note: 1,524 (a fixed stride of half a window: 2,286)
    assert sum(b - a for a, b in ws) == 1524
    assert sum(b - a for a, b in make_windows(1250, 254, 127)) == 2286
    with pytest.raises(ValueError):
        plan_windows(10, 4, 4)


def test_merge_prefers_window_with_most_context():
    n = 8
    ws = [(0, 6), (2, 8)]
    a = np.zeros((6, 2), np.float32)
    a[:, 0] = 1.0  # window A votes label 0
    b = np.zeros((6, 2), np.float32)
    b[:, 1] = 1.0  # window B votes label 1
    out = merge_windows(n, ws, [a, b])
    # token 0-1 only in A; 6-7 only in B
    assert out[0].argmax() == 0 and out[1].argmax() == 0
    assert out[6].argmax() == 1 and out[7].argmax() == 1
    # token 5 is A's last token (edge, 0 context on the right) but 3 tokens from B's start
    assert out[5].argmax() == 1
    # token 2 is B's first token: A has it with more context
    assert out[2].argmax() == 0


def test_merge_rejects_wrong_shapes_and_gaps():
    with pytest.raises(ValueError):
        merge_windows(4, [(0, 4)], [np.zeros((3, 2))])
    with pytest.raises(ValueError):
        merge_windows(6, [(0, 3)], [np.zeros((3, 2))])


def test_entity_across_seam_decoded_once():
    # "aa bb cc dd ee" tokens, entity bb..dd spans the seam of two windows
    text = "aa bb cc dd ee"
    offs = [(0, 2), (3, 5), (6, 8), (9, 11), (12, 14)]
    tags = ["O", "B-PROBLEM", "I-PROBLEM", "I-PROBLEM", "O"]
    full = one_hot(tags)
    ws = make_windows(5, 3, 2)
    scores = [full[a:b] for a, b in ws]
    merged = merge_windows(5, ws, scores)
    spans = decode_words(merged, group_words(offs, text), offs, LABELS)
    assert [(s.label, s.start, s.end) for s in spans] == [("PROBLEM", 3, 11)]


def test_group_words_joins_subwords_only():
    text = "latanoprost 2x/day"
    offs = [(0, 3), (3, 6), (6, 11), (12, 13), (13, 14), (14, 15), (15, 18)]
    assert group_words(offs, text) == [[0, 1, 2], [3, 4], [5], [6]]


def test_decode_bio_rules():
    text = "took aspirin daily and ibuprofen"
    offs = [(0, 4), (5, 12), (13, 18), (19, 22), (23, 32)]
    words = group_words(offs, text)
    probs = one_hot(["O", "B-MEDICATION", "B-FREQUENCY", "O", "I-MEDICATION"], conf=0.8)
    spans = decode_words(probs, words, offs, LABELS)
    assert [(s.label, text[s.start:s.end]) for s in spans] == [
        ("MEDICATION", "aspirin"), ("FREQUENCY", "daily"), ("MEDICATION", "ibuprofen")]
    # type mass = P(B) + P(I) = 0.8 + 0.2 / (n_labels - 1)
    assert all(abs(s.confidence - (0.8 + 0.2 / (len(LABELS) - 1))) < 1e-5 for s in spans)


def test_decode_adjacent_b_splits_and_type_change_splits():
    text = "a b c"
    offs = [(0, 1), (2, 3), (4, 5)]
    probs = one_hot(["B-SYMPTOM", "B-SYMPTOM", "B-PROBLEM"])
    spans = decode_words(probs, group_words(offs, text), offs, LABELS)
    assert [(s.label, s.start, s.end) for s in spans] == [("SYMPTOM", 0, 1), ("SYMPTOM", 2, 3), ("PROBLEM", 4, 5)]
    # without the type-switch merge an inside word of another type starts its own span
    probs = one_hot(["B-SYMPTOM", "B-SYMPTOM", "I-PROBLEM"])
    spans = decode_words(probs, group_words(offs, text), offs, LABELS, merge_type_switch=False)
    assert [(s.label, s.start, s.end) for s in spans] == [("SYMPTOM", 0, 1), ("SYMPTOM", 2, 3), ("PROBLEM", 4, 5)]


def _probs(rows):
    """rows: one {tag: probability} per word; the rest of the mass goes to O."""
    p = np.zeros((len(rows), len(LABELS)), np.float32)
    for i, row in enumerate(rows):
        for tag, v in row.items():
            p[i, LABELS.index(tag)] = v
        p[i, LABELS.index("O")] = 1 - sum(row.values())
    return p


def test_an_inside_word_of_another_type_continues_the_span_and_the_mass_decides_its_type():
    text = "Chest pain"
    offs = [(0, 5), (6, 10)]
    probs = _probs([{"B-PROBLEM": 0.62, "B-SYMPTOM": 0.28}, {"I-SYMPTOM": 0.86, "I-PROBLEM": 0.08}])
    spans = decode_words(probs, group_words(offs, text), offs, LABELS)
    assert [(s.label, text[s.start:s.end]) for s in spans] == [("SYMPTOM", "Chest pain")]
    assert spans[0].confidence == pytest.approx((0.28 + 0.86) / 2)
    # a begin tag still starts a new span, whatever the type
    probs = _probs([{"B-PROBLEM": 0.8}, {"B-SYMPTOM": 0.8}])
    spans = decode_words(probs, group_words(offs, text), offs, LABELS)
    assert [(s.label, text[s.start:s.end]) for s in spans] == [("PROBLEM", "Chest"), ("SYMPTOM", "pain")]


def test_a_new_line_item_starts_a_new_span_but_a_wrapped_phrase_does_not():
    from ehrnlp.ner.decode import starts_line_item

    text = "Penicillin - hives\nSulfa drugs - rash"
    offs = [(0, 10), (11, 12), (13, 18), (19, 24), (25, 30)]
    probs = _probs([{"B-ALLERGEN": 0.9}, {}, {"B-ALLERGEN": 0.6}, {"I-ALLERGEN": 0.7}, {"I-ALLERGEN": 0.8}])
    words = group_words(offs, text)
    spans = decode_words(probs, words, offs, LABELS, text=text)
    assert [text[s.start:s.end] for s in spans] == ["Penicillin", "hives", "Sulfa drugs"]
    # without the text the decoder cannot see the line break
    assert "hives\nSulfa drugs" in [text[s.start:s.end] for s in decode_words(probs, words, offs, LABELS)]
    wrapped = "avoid nuts and\nshellfish"
    assert not starts_line_item(wrapped, 14, 15)
    for t, a, b in (("x\n- Sulfa", 1, 4), ("x\n2. Latex", 1, 5), ("x \n  Hives", 1, 5), ("x\n3 mg", 1, 2)):
        assert starts_line_item(t, a, b), t
    assert not starts_line_item("x y", 1, 2)


def test_decode_merges_b_and_i_mass_against_o():
    # O 0.4, B-X 0.3, I-X 0.3: the word is X (0.6 > 0.4)
    p = np.zeros((1, len(LABELS)), np.float32)
    p[0, LABELS.index("O")] = 0.4
    p[0, LABELS.index("B-DOSE")] = 0.3
    p[0, LABELS.index("I-DOSE")] = 0.3
    spans = decode_words(p, [[0]], [(0, 5)], LABELS)
    assert len(spans) == 1 and spans[0].label == "DOSE" and abs(spans[0].confidence - 0.6) < 1e-6


def test_min_confidence_filters():
    probs = one_hot(["B-ROUTE"], conf=0.5)
    assert decode_words(probs, [[0]], [(0, 2)], LABELS, min_confidence=0.6) == []


def test_spans_of_one_type_joined_by_a_bare_hyphen_are_one_span():
    text = "Community-acquired pneumonia, hives - rash"
    offs = [(0, 9), (9, 10), (10, 18), (19, 28), (28, 29), (30, 35), (36, 37), (38, 42)]
    probs = _probs([{"B-PROBLEM": 0.9}, {}, {"B-PROBLEM": 0.7}, {"I-PROBLEM": 0.8}, {},
                    {"B-REACTION": 0.9}, {}, {"B-REACTION": 0.9}])
    words = group_words(offs, text)
    spans = decode_words(probs, words, offs, LABELS, text=text)
    # a spaced " - " is a separator, not a compound
    assert [(s.label, text[s.start:s.end]) for s in spans] == [
        ("PROBLEM", "Community-acquired pneumonia"), ("REACTION", "hives"), ("REACTION", "rash")]
    assert spans[0].confidence == pytest.approx((0.9 * 9 + 0.75 * 18) / 27)
    off = decode_words(probs, words, offs, LABELS, text=text, join_hyphens=False)
    assert [text[s.start:s.end] for s in off][:2] == ["Community", "acquired pneumonia"]
