"""The PHI canary generator (tests/canary/phi_canary.py) and a fixed sample of its notes
through the de-identifier. Everything in the canaries is synthetic. The whole set runs in
scripts/bench_canary.py."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "canary"))

import phi_canary


def test_deterministic_by_seed():
    assert phi_canary.note(17).text == phi_canary.note(17).text
    assert phi_canary.note(17).phi == phi_canary.note(17).phi
    assert phi_canary.note(17, seed=1).text != phi_canary.note(17, seed=2).text


def test_pieces_are_the_notes_own_text_and_phi():
    """``note(..., pieces=d)`` hands out each piece appended with its own transform stream as the note writes it
    (scripts/bench_canary_pieces.py de-identifies them alone), and leaves the note unchanged."""
    for i in (0, 7, 300, 1234):  # a range of layouts and transforms
        got: dict[str, tuple[str, list[phi_canary.Phi]]] = {}
        n = phi_canary.note(i, seed=5, pieces=got)
        assert n.text == phi_canary.note(i, seed=5).text
        assert set(got) == {"10", "11", "16", "17", "18", "19", "20", "21", "22"}
        for piece, phis in got.values():
            assert piece and piece in n.text
            assert phis and all(p in n.phi for p in phis)


def test_set_covers_every_kind_layout_transform_and_label_style():
    notes = list(phi_canary.generate())
    assert len(notes) >= 2000
    assert len({n.id for n in notes}) == len(notes)
    combos = Counter((n.layout, n.transform, n.label_style) for n in notes)
    assert len(combos) == len(phi_canary.LAYOUTS) * len(phi_canary.TRANSFORMS) * len(phi_canary.LABEL_STYLES)
    for n in notes[:200]:
        assert {p.kind for p in n.phi} == set(phi_canary.KINDS)
        for p in n.phi:
            # every recorded value is in the note as written (CRLF, runs of blanks and tabs change only separators)
            # ("SURNAME, Given" in a form: names any case); a value that document conversion broke reads as a person reads it
            if p.kind in ("extracted", "spoken"):
                assert phi_canary.leaks(phi_canary.CanaryNote("t", "", "", "", "", [p]), n.text), (n.id, p)
            else:
                assert p.value.lower() in n.text.lower() or n.transform in ("spaces", "tabs", "wrapped"), (n.id, p)
    texts = "\n".join(n.text for n in notes)
    for needle in ("\r\n", "\t", "１", "MEDICAL RECORD NUMBER", "mrn ", "+1", "O'Halloran", "Иван", "RN, BSN", "Re: ", "attending=",
                   # the deid5 kinds: particles, apostrophes, diacritics with and without marks, relatives, LAST<sep>First
                   "de la Cruz", "D'Arcy", "Þórsson", "Thorsson", "wife (", "Last\tFirst", "|guarantor", "Electronically signed by: ",
                   # the deid6 kinds: names of other languages in ASCII and with marks, free-text cues
                   "Lindstrom", "Lindström", "cc: ", "d/w ", "Per ", "brought in by ",
                   # the deid9 kinds: tab-separated tables with a person's column, a role's parentheses, sign-offs, quotes
                   "Provider\tRole", "Pharmacist (", "Regards,\n", "Thanks,\nDr. ", "Text from daughter: \"",
                   # the deid12 kind: a text cut after a title opens with the surname
                   " monitoring overnight, no events.",
                   # the deid14 kind: a person a visit or a call is with
                   "visit with ",
                   # the sixteenth session's kind: a form's name-part fields
                   "Last/First: ", "Name (last, first):", " name .... ", "Last name:\t",
                   # the seventeenth session's kind: a document's metadata (page headers, stamps, dictation, fax, cc)
                   "Page 2 of ", "Printed ", "Electronically signed by: ", "JOB #: ", "TRANSCRIBED BY: ", "FAX TO: Dr. ",
                   " Family Practice", " Jr.", "., III", " (pgr ", "MyChart message from ", "(proxy for ",
                   # the nineteenth session's kind: what document conversion hands over (banners, hyphen wraps, invisible
                   # characters, ligatures, letter spacing, OCR look-alikes, file paths, columns read across)
                   " FROM:", "\f", "-\n", "\u00ad", "\u200b", "\ufb01", "P A T I E N T", "_MRN", "C:\\Users\\", "Date of Birth:\n",
                   # the twentieth session's kind: a dictation (numbers read out, dates said, names spelled, punctuation said)
                   "dictating", " as in ", " comma ", " period", "new paragraph", "end of dictation", " double ", " oh ",
                   " slash ", " year old ", "cc doctor ", "-Y", " uniform ", "Call back number "):
        assert needle in texts, needle


@pytest.mark.parametrize(("output", "leaked"), [
    ("MRN [ID] seen today", set()),
    ("MRN 87654321 seen", {"mrn"}),
    ("MRN ８７６５４３２１ seen", {"mrn"}),  # full-width digits read through NFKC
    ("ssn 123456789", {"ssn"}),  # the digits-only form of 123-45-6789
    ("call [PHONE]-0142", {"phone"}),  # a 4-digit group of the phone left behind
    ("signed by OKAFOR", {"care_team"}),  # names in any case
    ("Okafori is a word", set()),  # whole words only
    ("BP 148/92, 9 Larkspur Lane", {"address"}),  # a street name leaks ...
    ("BP 148/92 today", set()),  # ... a house number alone does not
])
def test_leak_detector(output, leaked):
    n = phi_canary.CanaryNote("t", "", "header", "plain", "normal", [
        phi_canary.Phi("mrn", "87654321"), phi_canary.Phi("ssn", "123-45-6789"), phi_canary.Phi("phone", "617-555-0142"),
        phi_canary.Phi("care_team", "Okafor"), phi_canary.Phi("address", "148 Larkspur Lane")])
    assert {p.kind for p in phi_canary.leaks(n, output)} == leaked


@pytest.mark.parametrize(("output", "leaked"), [
    ("metformin 1000 mg bid, [ID], [NAME] cosigned", set()),  # the note's own dose holds the id's digit group
    ("metformin 1000 mg bid, 1000, [NAME] cosigned", {"id_letters"}),  # ... once more than the note does: a leak
    ("metformin 1000 mg bid, PJAB1000, [NAME] cosigned", {"id_letters"}),
    ("OBR|1|846541|| [LOCATION] [NAME]", set()),  # a postal code's digits inside a longer number
    ("OBR|1|846541|| 4654 [LOCATION] [NAME]", {"intl"}),
    ("MRN12345678 [LOCATION]", {"mrn"}),  # glued to a label's letters it still reads
])
def test_leak_detector_reads_what_the_note_holds_outside_its_phi(output, leaked):
    n = phi_canary.CanaryNote("t", "metformin 1000 mg bid, PJAB1000, Quennell cosigned\nOBR|1|846541|| 4654 Zürich MRN12345678",
                              "med_line", "plain", "normal", [
        phi_canary.Phi("id_letters", "PJAB1000"), phi_canary.Phi("intl", "4654"), phi_canary.Phi("mrn", "12345678")])
    assert {p.kind for p in phi_canary.leaks(n, output)} == leaked


@pytest.mark.parametrize(("output", "leaked"), [
    ("Page 1 of 3  [NAME]  MRN: [ID]  DOB [DATE]", set()),
    ("MRN [ID] DOB 03/28/1959", {"03/28/1959"}),  # a date reads as a date ...
    ("printed in 1959", set()),  # ... its year alone is no leak
    ("JOB #: 481950", {"481950"}),  # a number with no letter reads as an identifier ...
    ("fax [PHONE]-0142", {"(573) 372-0142"}),  # ... by its digit groups too
    ("signed by: [NAME] on [DATE]", set()),
    ("signed by: farrowt on [DATE]", {"farrowt"}),  # a login made from a name is a word
    ("printed by [NAME].tindall", {"tindall"}),  # a login of two names leaks by either
])
def test_leak_detector_doc_meta(output, leaked):
    values = ["03/28/1959", "481950", "(573) 372-0142", "farrowt", "cressida", "tindall"]
    n = phi_canary.CanaryNote("t", "", "header", "plain", "normal", [phi_canary.Phi("doc_meta", v) for v in values])
    assert {p.value for p in phi_canary.leaks(n, output)} == leaked


@pytest.mark.parametrize(("output", "leaked"), [
    ("Pacemaker S/N: [ID]  age [AGE]  plate [ID]", set()),
    ("Pacemaker S/N: PJN482913Q", {"PJN482913Q"}),  # a serial with letters leaks as written ...
    ("Pacemaker S/N: PJN[ID]Q", set()),  # ... (its digit group masked, nothing of it reads)
    ("udi (01)[ID](17)270630(10)[ID]", {"(01)00643169007222(17)270630(10)KX44718"}),  # ... or by a digit group of 4+
    ("Medicare MBI 1EG4TE5MK73", set()),  # the digits of an MBI are fewer than six and no group has four
    ("acct# 4410229107", {"4410-2291-07"}),  # an account's digits without its separators
    ("from [IP] (home router)", set()),
    ("from 2001:db8:4a1::9f2 (home router)", {"2001:db8:4a1::9f2"}),
    ("92 yo female", {"92 yo"}),  # an age leaks by its phrase, spread over blanks too ...
    ("92\n  yo female", {"92 yo"}),
    ("[AGE] yo female, BP 148/92", set()),  # ... never by its number alone
    ("Age:  94", {"Age: 94"}),
    ("Age: [AGE]", set()),
])
def test_leak_detector_safe_harbor(output, leaked):
    values = ["PJN482913Q", "(01)00643169007222(17)270630(10)KX44718", "1EG4-TE5-MK73", "4410-2291-07", "2001:db8:4a1::9f2",
              "92 yo", "Age: 94"]
    n = phi_canary.CanaryNote("t", "", "header", "plain", "normal", [phi_canary.Phi("safe_harbor", v) for v in values])
    assert {p.value for p in phi_canary.leaks(n, output)} == leaked


@pytest.mark.parametrize(("blank", "kind", "least"), [(("_extra18", "_extra19", "_extra20", "_extra21", "_extra22"), "safe_harbor", 3),
                                                       (("_extra19", "_extra20", "_extra21", "_extra22"), "extracted", 1),
                                                       (("_extra20", "_extra21", "_extra22"), "intl", 9),
                                                       (("_extra21", "_extra22"), "spoken", 8), (("_extra22",), "workplace", 1)])
def test_last_blocks_leave_the_note_before_them_unchanged(monkeypatch, blank, kind, least):
    """A kind with a random stream of its own: the note without it (and the blocks after it) is a prefix of the
    note with it, byte for byte, the kinds before keep their PHI, and no value of it shares a digit group of four
    or more with that note (the leak check reads them)."""
    picks = range(0, phi_canary.DEFAULT_COUNT, 97)
    full = {(seed, i): phi_canary.note(i, seed) for seed in (16, 61) for i in picks}
    for extra in blank:
        monkeypatch.setattr(phi_canary, extra, lambda *a: ("", []))
    for (seed, i), n in full.items():
        plain = phi_canary.note(i, seed)
        assert plain.text.endswith("\n" * len(blank)), n.id
        before = plain.text[:-len(blank)]  # each blank block leaves the line break before it
        assert n.text.startswith(before + "\n") and len(n.text) > len(before) + 1, n.id
        assert n.phi[:len(plain.phi)] == plain.phi, n.id
        values = [p.value for p in n.phi if p.kind == kind]
        assert len(values) >= least, n.id
        for v in values:  # (a date leaks as a whole: its year may be the note's; a spoken date or age is words too)
            if kind == "spoken" and not re.fullmatch(r"[\d ]+", v):
                continue
            for g in [] if phi_canary._DATE_VALUE.match(v) else re.findall(r"\d{4,}", v):
                assert not re.search(rf"(?<!\d){g}(?!\d)", before), (n.id, v)


@pytest.mark.parametrize(("output", "leaked"), [
    ("Patient: [NAME]  MRN [ID]  DOB [DATE]  scan_[NAME]_[NAME]_[DATE].pdf", set()),
    ("Patient: Quenby, Evadne", {"Quenby", "Evadne"}),
    ("seen with evadne quen-\nby today", {"Evadne", "Quenby"}),  # a hyphen at a line's end joins the word back ...
    ("seen with [NAME] quen-\r\n[NAME] today", set()),  # ... what is left of it alone reads as nothing
    ("Patient: Quen\u00adby", {"Quenby"}),  # a soft hyphen or a zero-width character hides nothing
    ("Patient: Q\u200bU\u200dENBY", {"Quenby"}),
    ("P A T I E N T   Q U E N B Y", {"Quenby"}),  # letter-spaced, across runs of blanks
    ("Quenbyish is a word", set()),  # whole words only
    ("\ufb01ona", {"Fiona"}),  # a ligature reads as its letters (NFKC)
    ("MRN 4081-\n7733", {"40817733"}),
    ("MRN: 4O8l7733", {"40817733"}),  # OCR look-alikes undone in a number ...
    ("DOB: O3/l4/l96l", {"03/14/1961"}),  # ... and in a date
    ("Attachment: [NAME]_E_MRN40817733.tif", {"40817733"}),
    ("scan_[NAME]_[NAME]_2024-03-04.pdf", {"2024-03-04"}),
    ("C:\\Users\\equenby\\Documents", {"equenby"}),
    ("MRN [ID]  BOOST 150 mg", set()),
])
def test_leak_detector_extracted(output, leaked):
    values = ["Quenby", "Evadne", "Fiona", "40817733", "03/14/1961", "2024-03-04", "equenby"]
    n = phi_canary.CanaryNote("t", "", "header", "plain", "normal", [phi_canary.Phi("extracted", v) for v in values])
    assert {p.value for p in phi_canary.leaks(n, output)} == leaked


@pytest.mark.parametrize(("output", "leaked"), [
    ("this is doctor [NAME] dictating for patient [NAME] [NAME] m r n [ID] date of birth [DATE]", set()),
    ("patient quarmby spelled [NAME]", {"Quarmby"}),  # a name as a whole word, any case ...
    ("last name [NAME] spelled q u a r m b y", {"Quarmby"}),  # ... or spelled out: spaced, hyphenated,
    ("last name [NAME] spelled Q-U-A-R-M-B-Y.", {"Quarmby"}),
    ("that is q as in queen u a r m as in mary b y", {"Quarmby"}),  # "as in", NATO words
    ("quebec uniform alpha romeo mike bravo yankee", {"Quarmby"}),
    ("q u a r [NAME]", set()),  # part of a spelling reads as nothing
    ("m r n four oh eight one seven seven three three", {"4081 7733"}),  # a number by its digits read back ...
    ("MRN 40817733", {"4081 7733"}),
    ("m r n four oh eight one dash [ID]", {"4081 7733"}),  # ... or a group of four or more
    ("m r n four oh [ID] three three", set()),
    ("call back number five five five comma two one three comma oh nine eight seven", {"555 213 0987"}),
    ("call back number [PHONE] comma oh nine eight seven", {"555 213 0987"}),
    ("call back number five five five comma [PHONE]", set()),
    ("double seven double one nine eight", {"771198"}),
    ("date of birth march fourth, nineteen sixty one", {"march 4 1961"}),  # a date as a date
    ("date of birth march fourth [DATE]", set()),
    ("born in nineteen sixty one", set()),  # a year alone is no date
    ("three slash fourteen slash nineteen sixty one", {"3/14/1961"}),
    ("the patient is a ninety two year old woman", {"92 year old"}),  # an age by its phrase
    ("the patient is a [AGE] year old woman", set()),
])
def test_leak_detector_spoken(output, leaked):
    values = ["Quarmby", "4081 7733", "555 213 0987", "771198", "march 4 1961", "3/14/1961", "92 year old"]
    n = phi_canary.CanaryNote("t", "", "header", "plain", "normal", [phi_canary.Phi("spoken", v) for v in values])
    assert {p.value for p in phi_canary.leaks(n, output)} == leaked


@pytest.mark.parametrize(("text", "reading"), [
    ("M R N four oh eight one, seven seven three three.", "m r n 4081 , 7733 ."),
    ("double five triple oh comma nineteen sixty-one", "55000 , 1961"),
    ("the twenty third of september twenty twenty two", "the 23 of september 2022"),
    ("one hundred and one year old", "101 year old"),
    ("q as in queen u e golf romeo comma", "q u e g r ,"),
    ("echo shows delta", "echo shows delta"),  # one NATO word alone is a word
    ("oh no, two thousand and four", "oh no , 2004"),
])
def test_spoken_reading(text, reading):
    assert phi_canary.spoken_reading(text) == reading


SAMPLE = range(0, phi_canary.DEFAULT_COUNT, 25)  # 96 notes spread over every layout, transform and label style
#: identifiers, dates, e-mail, addresses and facilities must never leak. The sample leaked 0 values
#: on 2026-12-05 (branch deid2; the budget before allowed 21 name and place values): one value of slack for the two
#: name kinds that only the transformer finds when a note gives no cue at all, so a retrained NER
#: model is judged, not failed outright. The kinds added by branch deid3 (surnames in prose,
#: rosters, wrapped initials and towns: 1,638 of 2,400 seed-16 notes leaked before it) leak 0
#: values in the sample but one town of the shape "[Town] on Tyne" in a note written in lower
#: case; branch deid4 fixed that town and added four kinds whose only evidence is structure
#: (fields and signatures in lower case, initials, e-mail local parts, postal lines): the sample
#: leaks 0 values of every kind, so towns and the new kinds have no slack; the two name kinds
#: keep theirs for a retrained model. Branch deid5 added six kinds (LAST<sep>First fields,
#: particles and apostrophes, English double surnames, diacritics, relatives named after the
#: relation, wrapped signatures: 176 of a 480-note seed-16 sample leaked before its fixes, 4
#: after): the sample leaks 0 values of them, so they have no slack either. Branch deid6 added two
#: kinds (names of other languages written without their marks and with no cue; names after a
#: free-text cue; main leaked 84 values of them on a 480-note seed-16 sample, the branch 30): the
#: fixed sample leaks 7 values of them, names that no list or shape knows and that are no English
#: word (`Celik`, `Umit`, `Khai`), a 5-letter name in a lower-case line of a mixed-case note
#: (`szoke`: such a word needs 6+ letters, `ahmed` is the Ahmed valve) or a given name that is
#: also a drug's abbreviation (`Asa`, ASA): that was their budget. Branch deid7 fixed them (a lone
#: lower-case word at a person's slot that is no word cut short or misspelt, a patient's verbs and
#: an age after a name, a given name before a found surname, the partner of a listed name): the
#: sample leaks 0 values of them, so they have no slack; it added two kinds (names told only by
#: their sentence, one word at a person's cue in lower case: main leaked 174 values of them on an
#: 800-note seed-16 sample, the branch 96): the sample leaks 9 values of
#: them, names that are English words at a sentence's start (`Loan verbalized`, `Ace [X] arrived`,
#: `Loan's daughter`) and two-letter names after a cue (`per vo,`): that is their budget.
#: Lower it when a fix lands, never raise it to pass.
#: The twelfth session (deid12) added ``cut_title`` (a text cut after a title opens with the surname,
#: no cue left): the sample leaks 4 values of it (invented names and English-word surnames such as
#: `wainwright`, in a note of one case or mixed): that is its budget.
#: The fourteenth session (deid14) added ``visit_with`` (a person a visit, an appointment, a meeting or
#: a call is *with*; main leaked 25 of 739 values on a 480-note seed-16 sample, the branch 12): the sample
#: leaks 4 values of it (`DeVries` alone, a three-letter family name `bui ngoc` after the weak cue): its budget.
#: The seventeenth session (canx17) added ``doc_meta`` (a document's metadata: page headers, stamps and logins,
#: dictation, fax cover, cc lines, nicknames; main leaked 587 of 7,768 values on a 1,200-note seed-16 sample, the
#: branch 7): the fixed sample leaks 0 values of it, so it has no slack.
#: The eighteenth session (canx18) added ``safe_harbor`` (device serials and UDIs, lots, plates and VINs, plan
#: beneficiary numbers, accounts, licences, URLs and IPs, fax numbers, ages over 89; main leaked 916 of 3,794 values
#: on a 1,200-note seed-16 sample, the branch 1 before its last two table fixes, 0 after): no slack.
#: The nineteenth session (canx19) added ``extracted`` (the patient as document conversion hands it over: page banners,
#: line-end hyphens, invisible characters, ligatures, letter spacing, OCR look-alikes, file paths, form columns read
#: across; main leaked 2,788 of 10,693 values on 2,400 notes of seeds 97 and 131, the branch 4): no slack.
#: The nineteenth session (intl20) added ``intl`` (a patient's identifiers as other countries write them; main leaked
#: 843 and 859 values on 600-note samples of dev seeds 173 and 211, the branch 18 and 21 values there): the sample
#: leaks 6 before the merge with ``extracted`` and 8 after it (names: a surname with a Dutch particle, in capitals
#: beside a found given name, an Irish surname with a space; the model reads new context), the budget until fixed.
#: The twentieth session (canx21) added ``spoken`` (the patient as dictation and speech recognition hand it over: numbers
#: read out, dates said, names spelled, a dictator's preamble and close; main leaked 466 of the sample's spoken values,
#: 5,688 of 11,503 on 1,200 notes of dev seed 97): the sample leaks 0 of them, so it has no slack. Appending it changed
#: what the model reads around the ``intl`` piece before it: main's code on the new notes leaks 9 ``intl`` values of the
#: sample (the same 9 with the branch's rules), one more than before; that is intl's budget until fixed.
#: The twentieth session (the lead) added ``workplace`` (employers and schools tied to the patient; the sample leaked 6
#: values before its last fixes: a field's value after a wrapped comma, an org of English words in lower case, and a
#: rule's span that Presidio's de-duplication had dropped inside the model's): the sample leaks 0, no slack.
#: After the intl21 merge and the lead's UK streets (twentieth session) the sample leaks 1 ``intl`` value: its budget is 1.
#: Twenty-first session: the sample leaks no value of any kind (every budget above was spent down by the sessions that
#: fixed those kinds; `intl`'s last by intl22), so no kind has slack: any leak of the sample fails the test.
BUDGET: dict[str, int] = {}


@pytest.mark.slow
def test_fixed_sample_leaks_no_identifier_and_stays_within_the_name_budget():
    from ehrnlp.deid import DeidStage
    from ehrnlp.model import Document, Note

    stage = DeidStage()
    notes = [phi_canary.note(i) for i in SAMPLE]
    docs = stage.pipe([Document.from_note(Note(text=n.text, id=n.id)) for n in notes])
    leaked = [(n.id, n.layout, n.transform, n.label_style, p.kind, p.value)
              for n, d in zip(notes, docs) for p in phi_canary.leaks(n, d.text)]
    by_kind = Counter(k for *_, k, _ in leaked)
    for kind in phi_canary.KINDS:
        assert by_kind[kind] <= BUDGET.get(kind, 0), (kind, [x for x in leaked if x[4] == kind])
