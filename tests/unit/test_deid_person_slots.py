"""Names that canary seeds 811 and 857 left (issue 16, branch deid14), by cause, with the
neighbouring forms: a two-letter family name before a given name in a lower-case line of a
mixed-case note; a label's value ending its line above a table's header; an opening word with a
term's ending where the sentence makes it a person; a name's neighbours after a name found in
part (``oyelowo`` of ``oyelowo-grant``); a visit *with* a person; a capitalised surname with an
inner capital as a label's ``Last, First``; a slip of the keyboard that spoils no word a person's
slot takes. Every person here is invented."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stage():
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(transformer_phi=False, learned_ner=False))  # the rules alone


def _names(stage, text: str) -> str:
    return " | ".join(text[h.start:h.end] for h in stage.detect(text) if h.label == "NAME")


_MIXED = "Patient seen in clinic today. BP stable.\n"


# ------------------------------------------------------------- a two-letter family name in a lower-case line
@pytest.mark.parametrize(("text", "words"), [
    (_MIXED + "message left for vo hieu.\nFollow up in 2 weeks.", ["vo", "hieu"]),
    (_MIXED + "spoke with le thuy about the plan.", ["le", "thuy"]),
    (_MIXED + "voicemail for ly hoang\r\nFollow up.", ["ly", "hoang"]),  # CRLF
    (_MIXED + "d/w   vu   khanh   re: labs.", ["vu", "khanh"]),  # runs of blanks
    (_MIXED + "Message left for vo hieu, will retry.", ["vo", "hieu"]),
])
def test_two_letter_family_name_in_lower_case(stage, text, words):
    found = _names(stage, text)
    assert all(w in found for w in words), found


@pytest.mark.parametrize("text", [
    _MIXED + "message left for pt today.",
    _MIXED + "d/w gi team about the scope.",
    _MIXED + "spoke with pt re plan.",
    _MIXED + "message left for vo\ndiscussed at rounds.",  # the next line is another sentence
])
def test_two_letter_words_left(stage, text):
    found = _names(stage, text)
    for w in ("pt", "gi", "team", "today", "discussed", "plan"):
        assert w not in found.split(), found


# ------------------------------------------------------------- a label's value ending its line above a table
@pytest.mark.parametrize(("text", "name", "header"), [
    (_MIXED + "cc: vo\nseq\tname\tdx\tbed\n1\tdruussa, declan\tchf\t12a", "vo", "seq"),
    ("PATIENT SEEN TODAY.\nCC: BUI\nSEQ\tNAME\tDX\tBED\n1\tDRUUSSA, DECLAN\tCHF\t12A", "BUI", "SEQ"),
    (_MIXED + "cc:  vo\r\nrow\tname\tdx\r\n1\tdruussa, declan\tchf", "vo", "row"),
    (_MIXED + "Attending: Quorrath\nbed\tname\tdx\n12a\tDruussa, Declan\tCHF", "Quorrath", "bed"),
])
def test_label_value_above_a_table(stage, text, name, header):
    found = [text[h.start:h.end] for h in stage.detect(text) if h.label == "NAME"]
    assert name in found and not any(header in f for f in found), found


# ------------------------------------------------------------- an opening word the sentence makes a person
@pytest.mark.parametrize(("text", "name"), [
    ("BEXIVAR MONITORING OVERNIGHT, NO EVENTS.\nBP STABLE.", "BEXIVAR"),  # ends like a term (-ar), a person's -ing after it
    ("Sorivar aware of the results.\nBP stable.", "Sorivar"),
    ("Orivar will review the films tomorrow.\nBP stable.", "Orivar"),
    ("TALIVAR THINKS THE RASH IS DRUG RELATED.\nBP STABLE.", "TALIVAR"),
    ("gwynivar (cardiology) recommends a repeat echo.\nbp stable.", "gwynivar"),
    ("Kelvar, who saw her last week, agrees with the plan.\nBP stable.", "Kelvar"),
    ("Morondel to follow up in clinic in 2 weeks.\nBP stable.", "Morondel"),  # two letters are no combining form ("mo|rondel")
])
def test_opening_name_with_a_persons_verb(stage, text, name):
    from ehrnlp.deid import slots

    assert {text[h.start:h.end] for h in slots.opening_names(text, stage._judge)} == {name}


@pytest.mark.parametrize("text", [
    "Perihilar thickening noted.\nBP stable.", "PERIHILAR SCARRING IS STABLE.\nBP STABLE.",
    "Retroareolar thickening noted.\nBP stable.", "Intraocular pressure will review.\nBP stable.",
    "Subpleural nodules noted.\nBP stable.", "Paraspinal muscle spasm, improving.\nBP stable.",
    "inhalational spacing device, use as directed.", "INHALATIONAL SPACING DEVICE, USE AS DIRECTED.",  # a term's ending on a known word
    "transitional monitoring overnight.", "CONGENITAL SCARRING NOTED.",
])
def test_opening_terms_left(stage, text):
    from ehrnlp.deid import slots

    assert slots.opening_names(text, stage._judge) == []


@pytest.mark.parametrize(("word", "plain", "person"), [
    ("Bexivar", False, True), ("Talivar", False, True), ("Morondel", True, True), ("Quorrath", True, True),
    ("Perihilar", False, False), ("Retroareolar", False, False), ("Subpleural", False, False), ("Inhalational", False, False),
])
def test_coined_with_a_persons_verb(stage, word, plain, person):
    assert stage._judge.coined(word) is plain
    assert stage._judge.coined(word, person=True) is person


# ------------------------------------------------------------- neighbours of a name found in part
@pytest.mark.parametrize(("text", "word"), [
    ("hi, can dr. oyelowo-grant (pharmacy) or pemberton call me back?\nthanks.", "pemberton"),
    (_MIXED + "Dr. Oyelowo-Grant (pharmacy) or Quorrath will call back.", "Quorrath"),
    ("CAN DR. MARSH-HOLLOWAY (PHARMACY) OR QUORRATH CALL ME BACK?\nTHANKS.", "QUORRATH"),
    (_MIXED + "Dr. Oyelowo-Grant and Velmira will follow.", "Velmira"),
])
def test_pair_after_a_hyphenated_name(stage, text, word):
    assert word in _names(stage, text)


# ------------------------------------------------------------- a visit with a person
@pytest.mark.parametrize(("text", "words"), [
    ("INTERPRETER (PORTUGUESE) USED FOR THE VISIT WITH UMIT CELIK.\nBP STABLE.", ["UMIT", "CELIK"]),
    ("interpreter used for the visit with umit celik.\nbp stable.", ["umit", "celik"]),
    (_MIXED + "Video visit with  Quorrath Velmira\r\nBP stable.", ["Quorrath", "Velmira"]),
    (_MIXED + "Meeting with Druussa at noon.", ["Druussa"]),
    ("APPOINTMENT WITH QUORRATH NEXT WEEK.\nBP STABLE.", ["QUORRATH"]),
])
def test_visit_with_a_person(stage, text, words):
    found = _names(stage, text)
    assert all(w in found for w in words), found


# a listed surname that is an English word too, a short family name before a given name, a double
# surname, and the cue cut by a line break (deid15; the canary's own names are not used here)
@pytest.mark.parametrize(("text", "words"), [
    (_MIXED + "Meeting with leatherwood and the social worker at noon.", ["leatherwood"]),
    ("VIDEO VISIT WITH CHALLIS COMPLETED, 30 MINUTES.\nBP STABLE.", ["CHALLIS"]),
    ("phone call with dao khanh re: refills.\nbp stable.", ["dao", "khanh"]),
    ("MEETING WITH DAO THUY AND THE SOCIAL WORKER.\nBP STABLE.", ["DAO", "THUY"]),
    (_MIXED + "Appointment with kowalczyk-berg moved to Friday.", ["kowalczyk-berg"]),
    (_MIXED + "Telehealth visit\nwith Quorrath.", ["Quorrath"]),
    ("APPOINTMENT WITH\r\nVELMIRA MOVED TO FRIDAY.\nBP STABLE.", ["VELMIRA"]),
])
def test_visit_with_a_person_listed_short_or_wrapped(stage, text, words):
    found = _names(stage, text)
    assert all(w in found for w in words), found


@pytest.mark.parametrize("text", [
    _MIXED + "Appointment with cardiology next week. Meeting with family at noon.",
    "APPOINTMENT WITH NEPHROLOGY. VISIT WITH PT AND OT. SESSION WITH PHYSIOTHERAPY. MEETING WITH SW.\nBP STABLE.",
    "visit with optometry next month. phone call with pharmacy re refills.\nbp stable.",
    "visit with ent team tomorrow. appointment with pcp in 2 weeks. meeting with case management.\nbp stable.",
    _MIXED + "Visit with family. Meeting with mom and dad. Session with physical therapy. Meeting with the nutritionist.",
    "APPOINTMENT WITH RETINA IN 3 MONTHS. VISIT WITH YAG LASER. MEETING WITH HOSPICE TEAM.\nBP STABLE.",
])
def test_visit_with_a_service_left(stage, text):
    assert _names(stage, text) == ""


# ------------------------------------------------------------- a surname with an inner capital as a label's "Last, First"
@pytest.mark.parametrize(("text", "word"), [
    ("Dear colleague,\nRe: DeLaurentis, Ottilie M.\n\nThank you.", "DeLaurentis"),
    ("Dear colleague,\nRe: McAllister, Maren\nThank you.", "McAllister"),
    ("Seen today.\nPatient name: LaFleur, Maren\r\nBP stable.", "LaFleur"),
    ("Dear colleague,\nRe:  DiMarco,  Ottilie\nThank you.", "DiMarco"),
])
def test_inner_capital_surname_in_a_label(stage, text, word):
    assert word in _names(stage, text)


def test_same_form_reads_inner_capitals():
    from ehrnlp.deid.slots import _same_form

    assert _same_form("DeLaurentis", "Maren") and _same_form("McAllister", "Ottilie") and _same_form("O'Connor", "Maren")
    assert not _same_form("McAllister", "MAREN") and not _same_form("PhD", "Maren") and not _same_form("iPhone", "Maren")


# ------------------------------------------------------------- a slip of the keyboard at a person's slot
@pytest.mark.parametrize("text", [
    "PATIENT SEEN TODAY.\nPER MORAEL, HOLD THE EVENING DOSE.",  # "morale" spoilt: no one says "per morale"
    "patient seen today.\nper morael, hold the evening dose.",
])
def test_misspelling_of_no_slot_word_is_a_name(stage, text):
    assert "MORAEL" in _names(stage, text).upper()


@pytest.mark.parametrize("text", [
    "PATIENT SEEN TODAY.\nPER PATEINT, PAIN IS BETTER. PER FAMLY, SHE FELL. PER NEPHRO, HOLD LASIX.",
    "patient seen today.\nper pateint, pain is better. per famly, she fell. per nephro, hold lasix.",
])
def test_misspelt_slot_words_left(stage, text):
    assert _names(stage, text) == ""


@pytest.mark.parametrize(("text", "word"), [
    ("Seen today.\nDictated by Maren\nWhitlock MD\nBP stable.", "Whitlock"),  # a signature's name over two short lines
    ("Seen today.\nElectronically signed by: Maren\nWhitlock, RN\nBP stable.", "Whitlock"),
    ("seen today.\ndictated by ignatius\nquorrath md\nbp stable.", "quorrath"),
    ("SEEN TODAY.\nATTENDING PHYSICIAN: MAREN\nQUORRATH\nBP STABLE.", "QUORRATH"),
])
def test_signature_name_over_two_lines_kept(stage, text, word):
    assert word in _names(stage, text)


@pytest.mark.parametrize(("line_before", "line", "wrapped"), [
    ("cc: vo", "seq name dx bed", False),  # a table's header, its tabs read as blanks
    ("cc: vo", "seq\tname\tdx", False),
    ("dictated by maren", "whitlock md", True),  # the name and its credential
    ("signed: maren", "whitlock,\tpa-c", True),
    ("attending: maren", "whitlock", True),  # the name alone
    ("the patient was seen with her husband and a long discussion with", "maren about the plan", True),  # a fill wrap
])
def test_wrapped_onto(line_before, line, wrapped):
    from ehrnlp.deid.slots import _wrapped_onto

    text = f"{line_before}\n{line}"
    first = line.split()[0].rstrip(",")
    assert _wrapped_onto(text, len(line_before) + 1, len(first)) is wrapped


# ------------------------------------------------------------- a word English writes only as a name, after a weak cue
# (fourteenth session, dev seed 857's visit_with leaks): a noun WordNet knows only as a person
# ("macaulay"), a surname with an inner capital after a short prefix ("DeVries")
@pytest.mark.parametrize(("text", "name"), [
    (_MIXED + "Meeting with DeVries and the social worker at noon.", "DeVries"),
    (_MIXED + "Follow-up visit with McCandless in 3 months.", "McCandless"),
    (_MIXED + "Video visit with Saoirse DeVries completed, 30 minutes.", "DeVries"),
    (_MIXED + "Appointment  with   LaRocca moved to Friday.", "LaRocca"),  # runs of blanks
    (_MIXED + "Phone call with Macaulay re: refills.\r\n", "Macaulay"),  # CRLF
    (_MIXED + "follow-up visit with macaulay in 3 months.", "macaulay"),
])
def test_a_name_only_word_after_a_weak_cue(stage, text, name):
    assert name in _names(stage, text)


@pytest.mark.parametrize("text", [
    _MIXED + "Appointment with cardiology moved to Friday.",
    _MIXED + "Visit with family and the social worker.",
    _MIXED + "Point tenderness at McBurney point, no rebound.",
    _MIXED + "Meeting with Dermatology at noon.",
    _MIXED + "Phone call with pharmacy re: refills.",
])
def test_services_and_eponyms_after_a_weak_cue_stay(stage, text):
    assert _names(stage, text) == ""
