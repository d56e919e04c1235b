"""Names and towns that their slot gives away (ehrnlp.deid.slots, issue 16, third session):
table-driven, neighbouring forms included, and what must stay untouched (clinical eponyms,
drug names, departments, lower-case common words). Every person and place is synthetic."""

from __future__ import annotations

import re

import pytest
from conftest import deid_text

from ehrnlp.deid import slots

# ------------------------------------------------------------------ the rules alone (no model)
_ENGLISH = {"the", "echo", "said", "hold", "dose", "plan", "nights", "days", "renal", "cardiology", "attending", "resident",
            "falls", "harbor", "kestrel", "alone", "lives", "today", "weekend", "sorensen", "delacroix", "pharmacy",
            "protocol", "protein", "vitamin", "type", "group", "appt", "sodium", "potassium", "chloride", "monday"}
_FUNCTION = set("""whether it is back who agrees was fine can you co sign wound better still on team then called at noon left a
voicemail for given to shift change labs reviewed reports covered by note cosigned now in yesterday call per mri dfe
scheduling time of appt notes a ef normal done""".split())
_ENGLISH |= _FUNCTION
_ORDINARY = _FUNCTION | {"monday", "the", "said", "hold", "dose", "plan", "nights", "days", "renal", "cardiology", "attending", "resident", "alone",
             "lives", "today", "weekend", "pharmacy", "protein", "vitamin", "type", "group", "sodium", "potassium", "chloride"}


def _judge() -> slots.WordJudge:
    def surname_ok(w: str) -> bool:
        return w.lower() not in _ORDINARY

    def unknown(w: str) -> bool:
        return surname_ok(w) and w.lower() not in _ENGLISH

    return slots.WordJudge(unknown=unknown, surname_ok=surname_ok, place_ok=surname_ok)


def _spans(hits, text):
    return {text[h.start:h.end] for h in hits}


@pytest.mark.parametrize(("text", "names"), [
    ("Per Quorrath, hold the dose.", {"Quorrath"}),
    ("ask zelavin whether it is back", {"zelavin"}),  # a lower-case note: an unknown word
    ("@Quorrath can you co-sign?", {"Quorrath"}),
    ("Discussed with Delacroix who agrees.", {"Delacroix"}),  # a noun of the lexicon, capitalised, strong cue
    ("Quorrath said the echo was fine.", {"Quorrath"}),
    ("Labs reviewed, Quorrath reports the wound is better.", {"Quorrath"}),
    ("Is Delacroix still on the team?", {"Delacroix"}),
    ("Then quorrath, maren called back.", {"quorrath, maren"}),  # lower-case "surname, given" in a mixed-case note
    ("Left a voicemail for maren quorrath at noon.", {"maren quorrath"}),
    ("Sign-out given to Zelavin at shift change.", {"Zelavin"}),
])
def test_slot_names(text, names):
    assert _spans(slots.slot_names(text, _judge()), text) == names


@pytest.mark.parametrize("text", [
    "Call Pharmacy per protocol.",  # ordinary nouns at a person's slot
    "Echo reports a normal EF.",  # a thing's verb after an English word
    "Appt notes at time of scheduling.",  # an abbreviation opening a line before a thing's verb
    "Discussed with MRI today.",  # an acronym
    "Left a voicemail for dfe today.",  # one lower-case unknown word in a mixed-case note: an abbreviation
    "per delacroix, hold the dose.",  # a lower-case noun of the lexicon: no evidence (a known gap)
])
def test_slot_names_leave_ordinary_words(text):
    assert slots.slot_names(text, _judge()) == []


@pytest.mark.parametrize(("text", "names"), [
    ("On call:\nQuorrath - cardiology\nZelavin - renal\nDelacroix - nights", {"Quorrath", "Zelavin", "Delacroix"}),
    ("Roster: Quorrath: days; Zelavin: nights; Sorensen: weekend", {"Quorrath", "Zelavin", "Sorensen"}),
    ("Roster: Quorrath: days; Zelavin:\nnights; Sorensen: weekend", {"Quorrath", "Zelavin", "Sorensen"}),  # a wrap
    ("Team - Quorrath / Delacroix / Zelavin", {"Quorrath", "Delacroix", "Zelavin"}),
])
def test_roster_names(text, names):
    assert _spans(slots.roster_names(text, [], _judge()), text) == names


@pytest.mark.parametrize("text", [
    "Plan: hold\nDose: the",  # label: value lines of English words
    "Sodium / Potassium / Chloride",
    "Quorrath - cardiology",  # one item is no roster
])
def test_roster_needs_unknown_words_in_half_the_items(text):
    assert slots.roster_names(text, [], _judge()) == []


@pytest.mark.parametrize(("text", "names"), [
    ("Covered by B.\nQuorrath.", {"B.\nQuorrath"}),
    ("Covered by R.   Delacroix today", {"R.   Delacroix"}),
    ("Note cosigned by Zelavin\nC.", {"Zelavin\nC."}),
])
def test_wrapped_names(text, names):
    assert _spans(slots.wrapped_names(text, [], _judge()), text) == names


@pytest.mark.parametrize("text", ["Vitamin\nD.", "Protein C.", "Type\nA. Echo was done."])
def test_wrapped_names_leave_clinical_letters(text):
    assert slots.wrapped_names(text, [], _judge()) == []


@pytest.mark.parametrize(("text", "place"), [
    ("Lives alone in Quillmoor\nFalls.", "Quillmoor\nFalls"),
    ("lives alone in kestrel harbor.", "kestrel harbor"),  # a noun of the lexicon before a place word, any case
    ("transferred from zelavin yesterday", "zelavin"),
])
def test_place_slots(text, place):
    assert _spans(slots.place_slots(text, _judge()), text) == {place}


def test_extend_places_across_a_wrap():
    from ehrnlp.deid.postprocess import _Hit

    text = "in Port\nQuillmoor\nFalls now"
    s = text.index("Quillmoor")
    got = _spans(slots.extend_places(text, [_Hit("LOCATION", s, s + len("Quillmoor"), 0.9, "x")]), text)
    assert got == {"Quillmoor\nFalls", "Port\nQuillmoor"}


@pytest.mark.parametrize(("text", "place", "extended"), [
    ("moved to Quillmoor on Tyne last spring", "Quillmoor", "Quillmoor on Tyne"),
    ("moved to quillmoor on tyne", "quillmoor on", "quillmoor on tyne"),  # the model stopped after "on"
    ("lives in Quillmoor on Monday", "Quillmoor", None),  # a day is no place
    ("lives in Quillmoor on the weekend", "Quillmoor", None),
])
def test_extend_places_upon(text, place, extended):
    from ehrnlp.deid.postprocess import _Hit

    s = text.index(place)
    got = _spans(slots.extend_places(text, [_Hit("LOCATION", s, s + len(place), 0.9, "x")], _judge()), text)
    assert got == ({extended} if extended else set())


# ------------------------------------------------------------------ the stage (spaCy, lexicons)
@pytest.fixture(scope="module")
def stage():
    from ehrnlp.config import DeidConfig
    from ehrnlp.deid import DeidStage

    return DeidStage(DeidConfig(transformer_phi=False, learned_ner=False))  # the rules alone: no model finds it instead


@pytest.fixture(scope="module")
def default_stage():
    from ehrnlp.deid import DeidStage

    return DeidStage()


@pytest.mark.slow
@pytest.mark.parametrize(("text", "gone"), [
    ("Also, is Delacroix still on the care team?", ["Delacroix"]),
    ("Per Haverbrook, hold the evening dose.", ["Haverbrook"]),
    ("@Brannigan can you co-sign the order?", ["Brannigan"]),
    ("Orilde said the echo looked unchanged.", ["Orilde"]),
    ("Then haverbrook, maren called back about the refill.", ["haverbrook", "maren"]),
    ("On call tonight:\nWinterbottom - cardiology\nMwangi - renal\nIwasaki - nights", ["Winterbottom", "Mwangi", "Iwasaki"]),
    ("Team - Talivar / Brannigan / Delacroix", ["Talivar", "Brannigan", "Delacroix"]),
    ("Lives alone in Thistledown\nFalls.", ["Thistledown", "Falls"]),
    ("Covered overnight by B.\nWinterbottom.", ["Winterbottom"]),
    ("Note cosigned by Gwynael\nC.", ["Gwynael"]),
    ("ASK EKWUEME WHETHER THE BIOPSY RESULT IS BACK.", ["EKWUEME"]),
    ("lives alone in east thistledown junction.", ["thistledown", "junction"]),
    # a surname of the bundled list that is also an English noun, in a note written in lower case
    ("per sorensen, hold the evening dose.", ["sorensen"]),
    ("marlowe said the echo looked unchanged.", ["marlowe"]),
    ("sorensen: resident\nmwangi: attending\ndelacroix: intern", ["sorensen", "mwangi", "delacroix"]),
])
def test_stage_removes_names_by_slot(stage, text, gone):
    out = deid_text(stage, text)
    for w in gone:
        assert not re.search(rf"(?<!\w){re.escape(w)}(?!\w)", out), (w, out)


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Patient with Hodgkin lymphoma and Crohn disease was seen; Parkinson disease is stable.",
    "Discussed with Cardiology and Nephrology who agree with the plan.",
    "Echo reports normal EF. Call Pharmacy tomorrow per protocol.",
    "Gram stain with Gram-negative rods. Treated with Rituximab and Lasix.",
    "Vitamin D. Protein C deficiency. Hepatitis B. Type A.",
    "Moved to the floor last spring; lives alone in a house.",
    "Plan: increase atorvastatin\nFollow-up: 6 weeks\nDiet: low salt",
    "Capecitabine (Xeloda; Hoffmann-La Roche Inc., Nutley, NJ) was started.",
    "Primers (Takara Bio Inc.) were used.",
    # lower-case common words at a person's slot
    "take one tab per day and recheck in a week.",
    "platelets 150,000 per microliter, sodium 140 mmol per liter.",
    "per protocol, hold the dose; discussed with case management.",
    "ask pharmacy about the refill; call neurology if worse.",
])
def test_stage_leaves_clinical_text(stage, default_stage, text):
    from ehrnlp.deid.engine import load_surnames

    assert {"sorensen", "marlowe"} <= load_surnames() and "delacroix" not in load_surnames()
    out = deid_text(default_stage, text)
    assert "[" not in deid_text(stage, text) or "Nutley" in text  # neither the rules alone
    assert "[" not in out or "Nutley" in text, out
    if "Nutley" in text:  # the manufacturer's name stays (its town is a place: either way no patient's PHI)
        assert "Hoffmann-La Roche Inc." in out, out


# ------------------------------------------------------------------ issue 16, fourth session (deid4)
# structure as the only evidence: field labels in any case, signatures, initials, e-mail local
# parts, a place prefix before a town; every person synthetic
def _judge4() -> slots.WordJudge:
    names = {"delacroix", "sorensen"}  # nouns of the lexicon known as names (surname / WordNet name lists)

    def surname_ok(w: str) -> bool:
        return w.lower() not in _ORDINARY | {"eval", "treat", "and", "alert", "oriented", "tolerating", "diet", "is", "the",
                                              "contact", "for", "refills", "mg", "dl"}

    def unknown(w: str) -> bool:
        return surname_ok(w) and w.lower() not in _ENGLISH | {"eval", "kestrel", "marlowe", "town", "weekends"} | names

    return slots.WordJudge(unknown=unknown, surname_ok=surname_ok, place_ok=surname_ok, surname=lambda w: w.lower() in names | {"town"},
                           place_name=lambda w: w.lower() in names)


@pytest.mark.parametrize(("text", "names"), [
    ("pt: yshethe delacroix", {"yshethe delacroix"}),  # a noun of the lexicon beside an unknown word
    ("patient name - druista quondel\npain controlled.", {"druista quondel"}),  # a dash as the separator
    ("pcp: sorensen, md", {"sorensen"}),  # a known name alone after a label
    ("name: sorensen, talivar", {"sorensen, talivar"}),  # "surname, given"
    ("PATIENT NAME - KWAME ORILDE", {"KWAME ORILDE"}),  # capitals
    ("Seen today.\nProvider: Delacroix\nPlan unchanged.", {"Delacroix"}),  # capitalised in a mixed-case note
    ("-- maren quorrath, rn", {"maren quorrath"}),  # a signature line
    ("Plan unchanged.\n-- Kwame Delacroix, RN", {"Kwame Delacroix"}),
])
def test_label_names(text, names):
    assert _spans(slots.label_names(text, _judge4()), text) == names


@pytest.mark.parametrize("text", [
    "pt: eval and treat",  # "pt" (physical therapy too) needs two name words
    "PT: 12.5 seconds\nPT: eval and treat",  # a lab value in a mixed-case note
    "patient: alert and oriented, tolerating diet",  # ordinary words after a label
    "Seen today.\ncontact: kestrel\nPlan unchanged.",  # a lower-case noun that is no known name, mixed-case note
])
def test_label_names_leave_ordinary_words(text):
    assert slots.label_names(text, _judge4()) == []


@pytest.mark.parametrize(("text", "initials"), [
    ("Plan unchanged.\n-- jd, rn", {"jd"}),
    ("plan unchanged.\n-- lt, np", {"lt"}),  # WordNet's "lt" is no veto at a signature
    ("Plan unchanged.\nJD/kl", {"JD/kl"}),  # a dictation reference alone on its line
    ("PLAN UNCHANGED.\nDF/JC", {"DF/JC"}),  # in capitals
    ("plan unchanged.\nmb/cl", {"mb/cl"}),  # one side an analyte is still a reference
    ("Dictated by FR, transcribed by bv", {"FR", "bv"}),
    ("cosigned: wk", {"wk"}),
])
def test_initials_names(text, initials):
    assert _spans(slots.initials_names(text, _judge4(), lambda w: w in {"me", "rn", "md"}), text) == initials


@pytest.mark.parametrize("text", [
    "Glucose 140\nmg/dl",  # units alone on a line
    "Labs:\nbun/cr",  # two analytes
    "Services:\nGI/ENT",  # services in capitals in a mixed-case note
    "Visual acuity\nod/os",  # eyes
    "Reviewed and signed by me.",  # a function word
    "pt/inr\nrechecked",
])
def test_initials_names_leave_units_and_services(text):
    assert slots.initials_names(text, _judge4(), lambda w: w in {"me", "rn", "md"}) == []


@pytest.mark.parametrize(("text", "names"), [
    ("Forwarded by maren.quorrath@example.org; Quorrath is the contact.", {"Quorrath"}),
    ("results sent to ltharenn@mailbox.test. awaiting reply from tharenn.", {"tharenn"}),  # an initial glued on
    ("Reply-to oyelaran.t@mailbox.test\nOYELARAN prefers a call.", {"OYELARAN"}),  # any case
    ("Reply-to delacroix.m@example.org\ndelacroix prefers a call.", {"delacroix"}),  # a known name
])
def test_email_names(text, names):
    assert _spans(slots.email_names(text, _judge4()), text) == names


@pytest.mark.parametrize("text", [
    "Questions to refills@example.org; contact for refills is the pharmacy.",  # ordinary words of a role address
    "Sent to kestrel.eval@example.org for eval.",  # an English noun or abbreviation that is no known name
])
def test_email_names_leave_ordinary_words(text):
    assert slots.email_names(text, _judge4()) == []


@pytest.mark.parametrize(("text", "place"), [
    ("her son drives in from north\nmarlowe on weekends.", "north\nmarlowe"),  # a place prefix and a place word
    ("works at the post office in port kestrel, retired soon.", "port kestrel"),
    ("lives alone in delacroix.", "delacroix"),  # a known name at a town's slot, lower case
])
def test_place_slots_prefix_and_known_names(text, place):
    assert _spans(slots.place_slots(text, _judge4()), text) == {place}


@pytest.mark.slow
@pytest.mark.parametrize(("text", "gone"), [
    # a name a cue found in lower case inside a mixed-case note is removed where the note repeats it
    ("Seen today for follow-up.\npcp: delacroix, md\ncopy of the note to delacroix as well.", ["delacroix"]),
    ("Seen today for follow-up.\nname: sorensen, ignatius\nreviewed the plan with ignatius in detail.", ["sorensen", "ignatius"]),
    ("Seen today for follow-up.\nseen by kalavin yshondel today.\nyshondel to return in two weeks.", ["kalavin", "yshondel"]),
    ("follow-up visit.\npt: yshethe delacroix\ndelacroix tolerated the visit well.", ["yshethe", "delacroix"]),
    ("Follow-up visit.\n-- Kwame Delacroix, rn\nMessage left.", ["Kwame", "Delacroix"]),
    ("Labs stable.\nDictated by FR, transcribed by bv\nJD/kl", ["FR", "bv", "JD", "kl"]),
    ("labs stable.\n-- sh, rn", ["sh"]),
    ("Forwarded by desmond.quintero@mailbox.test; Quintero is the contact for refills.", ["Quintero"]),
    ("results sent to ltharenn@mailbox.test. awaiting reply from tharenn by friday.", ["tharenn"]),
    ("her son drives in from north\nmarlowe on weekends.", ["marlowe"]),
    ("per delacroix, hold the evening dose.", ["delacroix"]),  # WordNet knows "delacroix" only as a name
    ("1634 quillfeather lane, north brackenridge, in 93187", ["quillfeather", "brackenridge", "93187"]),
    ("works at the post office in kestrel\non tyne, retired soon.", ["kestrel", "tyne"]),
    ("THEN DELACROIX, SOLEDAD CALLED BACK ABOUT THE REFILL.", ["DELACROIX", "SOLEDAD"]),
    ("Plan unchanged.\nIs Delacroix covering the clinic this weekend?", ["Delacroix"]),
])
def test_stage_removes_names_by_structure(stage, text, gone):
    out = deid_text(stage, text)
    for w in gone:
        assert not re.search(rf"(?<!\w){re.escape(w)}(?!\w)", out), (w, out)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "gone"), [
    # a surname right after a detected given name, closing its cell or field (the given name
    # found by the model or a label), and the next item of a comma list with its role
    ("Counseled today.\nname   dob   mrn\nMaren   Quorrathi   03/04/1955   1234567", ["Quorrathi"]),
    ("RX: LISINOPRIL 10 MG\nINGRID VAN DER BERG, METOPROLOL 25 MG BID", ["BERG"]),
    ("DEMOGRAPHICS:\n1. KAZIMIERZ FITZWILLIAM-OSEI\n1. 03/04/1955", ["FITZWILLIAM-OSEI"]),
    ("CARE TEAM: Dr. Okafor (cardiology), Nguyen\nPemberton RN, Szabo (social work)", ["Szabo"]),
])
def test_stage_removes_a_surname_next_to_a_name(default_stage, text, gone):
    out = deid_text(default_stage, text)
    for w in gone:
        assert not re.search(rf"(?<!\w){re.escape(w)}(?!\w)", out), (w, out)


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "pt: alert and oriented, tolerating diet.\npt: eval and treat.",
    "glucose 140\nmg/dl\nbun/cr 20\nod/os",
    "PT/INR\nGI/ENT follow-up.\nReviewed and signed by me.",
    "per protocol, hold the dose; per guidelines recheck in a week.",
    "patient with parkinson disease and crohn disease; doppler of the legs negative.",
    "questions to refills@example.org about the refill; the refill was sent.",
    "contact: daughter\nprovider: cardiology\nnurse: triage",
    "lives in town on weekends.",
])
def test_stage_leaves_clinical_text_in_lower_case(default_stage, text):
    out = deid_text(default_stage, text)
    assert out.count("[") == text.count("[") + ("[EMAIL]" in out), out


def test_wrapped_names_leave_an_abbreviated_genus():
    text = "cultures grew escherichia quorrathi; e. quorrathi was sensitive."  # a note in lower case
    judge = slots.WordJudge(unknown=lambda w: w.lower() not in {"escherichia", "cultures", "grew", "covered", "by"},
                            surname_ok=lambda w: w.lower() not in {"escherichia", "by"}, place_ok=lambda w: True)
    assert _spans(slots.wrapped_names(text, [], judge), text) == set()  # spelled out after a genus, both times
    text2 = "cultures grew; covered by b. quorrathi."
    assert _spans(slots.wrapped_names(text2, [], judge), text2) == {"b. quorrathi"}


@pytest.mark.parametrize(("text", "place"), [
    ("moved to thistledown\non tyne last spring.", "thistledown\non tyne"),  # a place word, "on", a name word
    ("lives alone in kestrel upon quorrath.", "kestrel upon quorrath"),
])
def test_place_slots_on_a_river(text, place):
    assert _spans(slots.place_slots(text, _judge4()), text) == {place}


@pytest.mark.parametrize("text", [
    "moved to kestrel on monday.",  # "on" and an English word
    "lives in town on weekends.",  # a surname of the census list ("Town") is no place name
])
def test_place_slots_leave_ordinary_words(text):
    assert slots.place_slots(text, _judge4()) == []


def test_a_known_name_opening_a_sentence_before_a_persons_verb():
    text = "Reports reviewed.\nDelacroix said the echo looked unchanged. Kestrel said nothing."
    assert _spans(slots.slot_names(text, _judge4()), text) == {"Delacroix"}


@pytest.mark.slow
def test_stage_takes_no_clinical_word_after_a_name(default_stage):
    text = "Doppler reports no DVT.\nSeen by Dr. Okafor   Clinic   Monday\nDr. Okafor, Cardiology, OD (x2)"
    out = deid_text(default_stage, text)
    assert "Doppler reports" in out and "Cardiology" in out and "Monday" in out and "OD (x2)" in out, out
