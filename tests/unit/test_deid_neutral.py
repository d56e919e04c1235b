"""De-identification that holds under ordinary layouts (issues 16 and 18): the layout-neutral
view of :mod:`ehrnlp.deid.neutral` and the second detection pass on it.

Every layout family the harness (``ehrnlp evaluate --task phi --perturb``) perturbs is pinned
here on synthetic notes: what the rules find in the clean note they find with runs of blanks,
tabs, no-break spaces, bullets, capitals and hard wraps; and clinical words, drug names,
eponyms and lower-case common words stay untouched in every layout. Every person, place and
number is synthetic."""

from __future__ import annotations

import pytest

from ehrnlp.deid.neutral import capitals_note, inflated_spacing, neutral_view, to_view, wrapped_breaks
from ehrnlp.training.perturb import perturb_text

LAYOUTS = ("spaces3", "tabs", "nbsp", "crlf", "upper", "lower", "bullets", "embed")


# ------------------------------------------------------------------ the view itself
def _check_offsets(text: str, view: str, offsets: list[int]) -> None:
    assert len(offsets) == len(view) + 1 and offsets[-1] == len(text)
    assert offsets == sorted(offsets)
    for ch, i in zip(view, offsets):
        assert ch == text[i] or (ch == " " and text[i].isspace()) or ch == text[i].lower()


@pytest.mark.parametrize(("text", "view"), [
    ("lives\u00a0at\u00a04222\u00a0Sandpiper\u00a0Street", "lives at 4222 Sandpiper Street"),
    ("seen\u202fby\u2009Dr.\u3000Okafor", "seen by Dr. Okafor"),
    ("our   3   founders:   Monjeau,   Graves   and   Reed", "our 3 founders: Monjeau, Graves and Reed"),
    ("our\t3\tfounders:\tMonjeau,\tGraves\tand\tReed", "our 3 founders: Monjeau, Graves and Reed"),
    ("Contacts:\n- 416 60 039\n* 4222 Sandpiper Street\n\u2022 Tacoma", "Contacts:\n416 60 039\n4222 Sandpiper Street\nTacoma"),
    ("  \u2013 Dr. Okafor (PT)", "Dr. Okafor (PT)"),
    ("THEY'RE NOT ANSWERING AT 78 651 450 SINCE MONDAY", "they're not answering at 78 651 450 since monday"),
])
def test_view_reads_layout_as_plain_text(text: str, view: str) -> None:
    got = neutral_view(text)
    assert got is not None
    assert got[0] == view
    _check_offsets(text, *got)


@pytest.mark.parametrize("text", [
    "Seen by Dr. Okafor today. Continue timolol 0.5% BID OU.",
    # a column-aligned table inside ordinary prose keeps its gaps (no second pass)
    "Name        DOB         MRN\nLena Wirth  03/14/1961  48213377\nReviewed with the patient today in clinic.",
    # two blanks after a full stop are no inflated spacing
    "IOP 14 OD.  Stable.  Continue drops as before and recheck in three months.",
    "-5 mmHg change from baseline\n**bold** heading",
    "",
])
def test_view_leaves_ordinary_text_alone(text: str) -> None:
    assert neutral_view(text) is None


def test_inflated_spacing_needs_runs_as_the_separator() -> None:
    assert inflated_spacing("a   b   c   d")
    assert inflated_spacing("a\tb\tc\td")
    assert not inflated_spacing("Name    DOB    MRN\nSeen today by the team in clinic for review")
    assert not inflated_spacing("a  b")  # too little to tell


def test_capitals_note_counts_cased_letters_only() -> None:
    assert capitals_note("PATIENT SEEN TODAY. BP 120/80. CONTINUE LISINOPRIL 10 MG DAILY.")
    assert not capitals_note("Patient seen today. BP 120/80.")
    assert capitals_note("DR. OKAFOR")
    assert not capitals_note("12/14")  # no letters


def test_wrapped_breaks_join_running_text_only() -> None:
    text = ("Xenthe is the brainchild of our three founders: Monjeau,\n"
            "Graves and Reed, who met at a small conference downtown in\n"
            "spring.\n"
            "Address:\n"
            "4222 Sandpiper Street\n"
            "Tacoma, WA 98402\n")
    breaks = wrapped_breaks(text)
    assert [text[b - 8:b] for b in breaks] == ["Monjeau,", "owntown in"[-8:]]
    # short lines (an address block) and lines ending a sentence or a field stay lines
    assert all(text[b - 1] not in ".:" for b in breaks)


def test_to_view_inverts_offsets() -> None:
    text = "- Dr.   Okafor\u00a0called"
    view, offsets = neutral_view(text) or ("", [])
    inv = to_view(offsets, len(text))
    s = text.index("Okafor")
    assert view[inv[s]:inv[s + 6]] == "Okafor"


# ------------------------------------------------------------------ the stage under each layout
@pytest.fixture(scope="module")
def rules():
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(transformer_phi=False, learned_ner=False))  # the rules alone: no model finds it instead


def _redacted(stage, text: str) -> str:
    from conftest import redacted_chars

    return redacted_chars(stage, text)


def _covered(stage, text: str, value: str) -> bool:
    start = text.lower().index(value.lower())
    red = _redacted(stage, text)
    return all(red[i] == text[i] for i in range(start, start + len(value)) if not text[i].isspace())


def _perturbed(text: str, value: str, layout: str) -> tuple[str, str]:
    new, m = perturb_text(text, layout)
    s = text.index(value)
    a, b = m.span(s, s + len(value))
    return new, new[a:b]


PHI_CASES = [
    ("He lives on the north side of Joaquin Suarez 2906 with his sister.", "Joaquin Suarez 2906"),
    ("They're not answering at 78 651 450, please try again later.", "78 651 450"),
    ("Can someone call me on (64) 3591-3246 tomorrow?", "(64) 3591-3246"),
    ("Follow-up with Dr. Haverbrook in two weeks.", "Haverbrook"),
    ("Referred by Dr. Quorrath Velikovska for a second opinion.", "Velikovska"),
    ("MRN: 48213377\nVisit for glaucoma follow-up.", "48213377"),
    ("Please send the letter to 4222 Sandpiper Street, Tacoma, WA 98402 by Friday.", "4222 Sandpiper Street, Tacoma, WA 98402"),
    ("Emergency contact:\n416 60 039 office\nSeen today.", "416 60 039"),
    ("Discussed with Dr. Okonkwo and Drumheller at rounds today.", "Drumheller"),
    ("Referred by dr. quorrath velikovska for a second opinion.", "velikovska"),
    ("Clinic address on file:\noregon city, wa 97023-8633\ntel on chart", "oregon city, wa 97023-8633"),
    ("Mailing address: 7092 Old Mill Ave, Tacoma, WA 98402.", "Tacoma, WA 98402"),
]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("text", "value"), PHI_CASES)
def test_rules_find_phi_in_every_layout(rules, text: str, value: str, layout: str) -> None:
    assert _covered(rules, text, value), "found in the clean note"
    new, val = _perturbed(text, value, layout)
    assert _covered(rules, new, val), f"lost under {layout}"


CLINICAL = [
    "No weight loss. Denies fevers or chills. Continue timolol 0.5% BID OU.",
    "Graves disease and Parkinson disease are stable; Hashimoto thyroiditis on levothyroxine.",
    "Plan: latanoprost qHS OU, recheck IOP in three months. Alert and oriented, no acute distress.",
    "Assessment: primary open angle glaucoma, moderate stage, both eyes; well controlled on drops.",
    "IOP 14 or 15 in both eyes, in 20000 patients of the trial, or 12000 units in total, stable.",
]


@pytest.mark.parametrize(("text", "name", "kept"), [
    ("seen by dr. ferreira today", "ferreira", "today"),
    ("REFERRED BY DR. QUORRATH VELIKOVSKA FOR A SECOND OPINION", "QUORRATH VELIKOVSKA", "FOR"),
    ("dr. okafor said the pressure is fine", "okafor", "said"),
])
def test_title_any_case_takes_two_words_without_english_ones(rules, text: str, name: str, kept: str) -> None:
    red = _redacted(rules, text)
    assert _covered(rules, text, name)
    assert kept not in red


def test_address_after_a_cue_ends_with_its_sentence_in_any_case(rules) -> None:
    for text in ("The restaurant is located at 704 Redbud Drive, Tacoma. It serves great food, they say.",
                 "the restaurant is located at 704 redbud drive, tacoma. it serves great food, they say."):
        red = _redacted(rules, text)
        assert red[text.lower().index("704"):].strip().startswith("704")
        assert "serves" not in red and "great" not in red


@pytest.mark.parametrize("layout", (*LAYOUTS, "rewrap60"))
@pytest.mark.parametrize("text", CLINICAL)
def test_clinical_text_stays_untouched_in_every_layout(rules, text: str, layout: str) -> None:
    new, _ = perturb_text(text, layout)
    assert not _redacted(rules, new).strip(), f"clinical text redacted under {layout}"


def test_hard_wrapped_name_list_is_read_whole() -> None:
    """A name list cut by a hard wrap: the list rule ("most items are names, so all are") reads
    it on the joined view. (The default stage: the model finds the first names.)"""
    from ehrnlp.deid import DeidStage

    text = "Xenthe is the brainchild of our three founders: Okonkwo, Graves\nand Reed, who met at a small conference downtown one spring."
    stage = DeidStage()
    assert _covered(stage, text.replace("\n", " "), "Reed")
    assert _covered(stage, text, "Reed")


# ------------------------------------------------------------------ the transformer's lower-case guesses
class _FakeModel:
    """Tags fixed words as NAME / LOCATION, as the uncased model does in any case."""

    labels = ("O", "B-NAME", "I-NAME", "B-LOCATION", "I-LOCATION")

    def __init__(self, tags: dict[str, str]):
        self.tags = tags

    def predict_views(self, texts):
        from ehrnlp.model import Span

        out = []
        for t in texts:
            spans = []
            for w, label in self.tags.items():
                i = t.lower().find(w)
                if i >= 0:
                    spans.append(Span(label, i, i + len(w), 0.9))
            out.append((spans, []))
        return out


def _guesses(text: str) -> list[str]:
    from ehrnlp.deid.recognizers import TransformerPhiRecognizer

    rec = TransformerPhiRecognizer(_FakeModel({"clark": "NAME", "poland": "LOCATION", "caregiver": "NAME", "feels": "NAME"}),
                                   frozenset(), lexicon=frozenset({"clark", "poland", "caregiver", "feel"}))
    rec.names = frozenset({"clark", "poland"})
    return sorted(text[r.start:r.end] for r in rec.analyze(text, []))


def test_lower_case_note_keeps_listed_names_the_model_tags() -> None:
    assert _guesses("her maiden name is clark. she moved from poland; the caregiver feels fine.") == ["clark", "poland"]


def test_mixed_case_note_still_drops_lower_case_words() -> None:
    # in a note with capitals, a name would be capitalised: lower-case "clark" is a word there
    assert _guesses("Her maiden name is clark. The caregiver feels fine.") == []
    assert _guesses("Her maiden name is Clark. The caregiver feels fine.") == ["Clark"]


def test_base_view_only_respells() -> None:
    from ehrnlp.deid.neutral import base_view

    assert base_view("a   b   c\n-   d") is None  # runs and bullets are the beside view's
    assert base_view("SEEN\u00a0BY DR. OKAFOR") == ("seen by dr. okafor", list(range(19)))


def test_respelled_reading_replaces_the_note() -> None:
    from ehrnlp.deid.neutral import respelled

    assert respelled("Seen\u00a0by Dr. Okafor") == "Seen by Dr. Okafor"
    assert respelled("SEEN BY DR. OKAFOR") == "seen by dr. okafor"
    assert respelled("Seen by\n- Dr. Okafor") is None  # a bullet is dropped by the view read beside the note
    assert respelled("Seen by Dr. Okafor") is None


def test_address_block_lines_are_no_wrap() -> None:
    text = "Katrin Mollberg\nKnowledge Agency\n55470 72 Acheron Road Apt. 237 Bundalaguah VIC\n655 437 108 office\n"
    assert wrapped_breaks(text) == []


# ------------------------------------------------------------------ tabs where blanks were typed (twenty-second session)
_PROSE = ("Provider Attestation:      Wilhelmina Q Farrowby, MD. Patient gave verbal and written consent to proceed with "
          "surgery, and the written consent was placed in the record. Provider Documentation  Right Eye  Temporal thickness: "
          "abnormal. POHx: JOAG OS>OD. Past surgical history includes cataract extracap,insert lens and yag laser capsulotomy.")


def test_tab_spaced_reads_a_tab_for_every_blank_as_prose() -> None:
    from ehrnlp.deid.neutral import respelled, tab_spaced

    tabbed = _PROSE.replace(" ", "\t")
    assert tab_spaced(tabbed)
    assert respelled(tabbed) == _PROSE  # one for one: a run of tabs stays a run (of blanks)
    assert not tab_spaced(_PROSE)


@pytest.mark.parametrize("text", [
    # a table whose cells hold text with blanks keeps its tabs
    "Name\tLena Wirth\nMRN\t48213377\nDiagnosis\tprimary open angle glaucoma\nProvider\tDr. Okafor\n" * 3,
    # single-word cells without prose between them: a tab is a cell's end
    "Name\tWirth\nMRN\t48213377\nDOB\t03/14/1961\nPCP\tOkafor\nRoom\t12\n" * 3,
    # prose with a few tabs among its blanks
    "Seen\tby the team today.\tThe patient was stable and the plan was reviewed with the family in clinic today.",
    "",
])
def test_tab_spaced_leaves_tables_and_typed_prose_alone(text: str) -> None:
    from ehrnlp.deid.neutral import tab_spaced

    assert not tab_spaced(text)


@pytest.mark.parametrize("word", ["Attestation", "Documentation", "gave", "POHx", "extracap,insert"])
def test_tab_spaced_note_flags_no_label_words(rules, word: str) -> None:
    """A tab after "Provider" or "Patient" is a label's column in a table, a blank in prose written
    with a tab for every blank: the word after it is no name there, as it is none in the typed note."""
    for text in (_PROSE, _PROSE.replace(" ", "\t")):
        red = _redacted(rules, text)
        at = text.index(word)
        assert not red[at:at + len(word)].strip(), f"{word} redacted"
        assert "Farrowby" in red  # the attested name is still found


def test_tab_table_keeps_its_label_cell_reading(rules) -> None:
    text = "Provider\tOkafor\nPatient\tWirth\nVisit\tglaucoma follow-up\n"
    red = _redacted(rules, text)
    assert "Okafor" in red and "Wirth" in red
    assert "glaucoma" not in red
