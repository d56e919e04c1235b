"""A paragraph re-wrapped at 60 columns is no table (issue 18, session 16, the Glaucoma harness).

Re-wrapping a note whose fields are separated by double blanks leaves a column's name
("visit", "Patient", "ENCOUNTER", "Family", "Last") alone in a cell of a wrapped line, beside
running text: that line had been read as a table's header and the lines below it as its rows, so
intraocular pressures, visual-field indices and clock times were masked as IDs and dates. A street
address's name holds no preposition or verb of a sentence ("20/25-1 Patient came to Dr." over a
line end). Every person, place and number is invented."""

from __future__ import annotations

import pytest

from ehrnlp.deid.layout import table_cells
from ehrnlp.training.perturb import perturb_text


@pytest.fixture(scope="module")
def rules():
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(transformer_phi=False, learned_ner=False))  # the rules alone


def _masked(stage, text: str) -> list[str]:
    from ehrnlp.model import Document, Note

    doc = stage(Document.from_note(Note(text=text, id="t")))
    return [text[p.orig_start:p.orig_end] for p in doc.phi]


# a wrapped line with a column's name beside running text, then the next lines of the paragraph
PARAGRAPHS = [
    "Follow-up\nvisit    Here for 6 months follow up for primary open angle\nglaucoma with dilated exam.  Tmax 24  CCT 540",
    "ENCOUNTER    Normal tension glaucoma of right eye, moderate\nstage    Tmax: OD 20 OS  25    CCT: 531/529",
    "with several large drusen, initial diagnosis today    Family\nhistory of brother with AMD    IOP 17 16 at 4:05 PM",
    "Meds reviewed, IOP was higher than goal (19 OD, 20 OS).    Patient\ndenies flashes, new floaters    MD -2.56, PSD 5.96",
    "Review: Endocrine, Respiratory, Allergic/Imm, Heme/Lymph    Last\nedited on the ward    3:34 PM    MD -10.18",
    "Allergies/Intolerances/Ineffective Medications:    Provider\nreviewed the chart twice    IOP 21 OD, 18 OS",
    "Patient was seen today with her daughter    Date\nof onset unclear    IOP 22 OU at 10:15 AM",
]


@pytest.mark.parametrize("text", PARAGRAPHS)
def test_a_wrapped_paragraph_line_heads_no_table(text: str) -> None:
    pairs: list[tuple[str, int, int]] = []
    assert table_cells(text, pairs) == []
    assert pairs == []


@pytest.mark.parametrize("text", PARAGRAPHS)
def test_clinical_numbers_of_a_wrapped_paragraph_stay(rules, text: str) -> None:
    masked = _masked(rules, text)
    for value in ("24", "25", "17 16", "4:05 PM", "-2.56", "5.96", "-10.18", "21", "22", "10:15 AM", "531/529"):
        if value in text:
            assert not any(value in m for m in masked), (value, masked)


# real tables and label-value rows keep their cells (names, dates, IDs under their columns)
TABLES = [
    ("Care team    Role\nOrsolya Brandvik    cardiology", "NAME", "Orsolya Brandvik"),
    ("Name    DOB    MRN\nMaria van der Berg    03/04/1961    448213", "NAME", "Maria van der Berg"),
    ("Name    DOB    MRN\nMaria van der Berg    03/04/1961    448213", "ID", "448213"),
    ("Visit date    Provider\n02/11/2019    Tobiah Okonkwo-Reyes", "DATE", "02/11/2019"),
    ("Patient    Address\nIsandro Vell    12 Kettle Row, Marlow", "NAME", "Isandro Vell"),
    ("Patient name\tDate of birth\nIlse Marchetti\t07/22/1958", "NAME", "Ilse Marchetti"),
    # a lower-case row of a table inside a mixed-case note, after a header whose last cell is a name's column
    ("Seen in clinic today.\nRole    Provider\ncardiology    quillon", "NAME", "quillon"),
]


@pytest.mark.parametrize(("text", "label", "value"), TABLES)
def test_tables_keep_their_cells(text: str, label: str, value: str) -> None:
    pairs: list[tuple[str, int, int]] = []
    cells = [(lab, text[s:e]) for lab, s, e in table_cells(text, pairs)]
    cells += [(lab, text[s:e]) for lab, s, e in pairs]
    assert (label, value) in cells


@pytest.mark.parametrize("text", [
    "first name\tignatius\tmrn\t88213",
    "Last name    Brandvik    Visit    02/11/2019",
])
def test_label_value_rows_keep_their_values(text: str) -> None:
    pairs: list[tuple[str, int, int]] = []
    cells = table_cells(text, pairs) + pairs
    assert cells


# ------------------------------------------------------------------ a street's name
@pytest.mark.parametrize("layout", ("clean", "wrapped"))
@pytest.mark.parametrize(("text", "not_place"), [
    ("VA OS 20/40 PH 20/25-1 Patient came to Dr. Quillan for a second opinion on timolol and latanoprost today.",
     "Patient came to Dr"),
    ("Instilled 2 drops went to dr station after the visit.", "drops went to dr"),
    ("Pressure 3 Then sent to Dr. Varga for the laser.", "Then sent to Dr"),
])
def test_a_sentence_is_no_street(rules, text: str, not_place: str, layout: str) -> None:
    t = text if layout == "clean" else text.replace("Dr. ", "Dr.\n").replace("dr ", "dr\n")  # a line end after the title
    assert not any(not_place in m.replace("\n", " ") for m in _masked(rules, t))


@pytest.mark.parametrize(("text", "place"), [
    ("She moved to 4222 sandpiper street last spring.", "4222 sandpiper street"),
    ("Mail: 19 NORTH FORK ROAD, BOISE, ID 83702", "19 NORTH FORK ROAD"),
    ("Home is 7 old mill lane, near the river.", "7 old mill lane"),
    ("Lives at 12 Oak Hill Dr with his wife.", "12 Oak Hill Dr"),
])
def test_streets_stay_found(rules, text: str, place: str) -> None:
    assert any(place in m for m in _masked(rules, text))


# ------------------------------------------------------------------ inflated spacing (tabs, tripled blanks)
@pytest.mark.parametrize("layout", ("clean", "tabs", "spaces3"))
@pytest.mark.parametrize(("text", "names"), [
    # a wider run is a field's end, as the double blank was: the heading after the name is no surname
    ("Cataract surgery OU 2003 Dr. Sorvik  · YAG OS 2010 Dr. Quillfeather  Social History     Tobacco Use   Smoking status: Never",
     ["Sorvik", "Quillfeather"]),
    ("Ptosis s/p repair by Dr. Abernath-Vole    Ocular procedures:  OD OS   Trabeculectomy", ["Abernath-Vole"]),
    ("Seen by Dr. Ilvane Corradi  Family History   Mother with glaucoma", ["Ilvane Corradi"]),
    # a care team's list: a tab is a blank, so each word of the line is no item of its own
    ("Provider: Ottavia Renzetti, MD  Past ocular history:  Pseudophakia OU  Glaucoma       Medications:   "
     "Current Outpatient Medications   Medication Sig", ["Ottavia Renzetti"]),
    ("Care team: Brielle Vantongeren, OD; Kasimir Oduya, MD  Retinopexy OD 10/4/08  Glaucomatous optic neuropathy",
     ["Brielle Vantongeren", "Kasimir Oduya"]),
])
def test_inflated_spacing_keeps_field_ends(rules, text: str, names: list[str], layout: str) -> None:
    t = text if layout == "clean" else perturb_text(text, layout)[0]
    masked = [" ".join(m.split()) for m in _masked(rules, t) if not any(c.isdigit() for c in m)]
    assert masked == names
