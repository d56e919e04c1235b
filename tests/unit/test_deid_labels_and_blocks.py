"""De-identification, twenty-second session (issue 16): the causes of dev seed 1153's leaks, each with neighbours the
canary does not write, and the words beside them that must stay.

* the addressee's line over an address block (``DeidStage._addressee``);
* a patient's label with no mark before the name that fills its line (``slots._BARE_LABEL_LINE``);
* a value after a label that opens with a listed given name that is also an English word, or is a double surname
  (``slots.label_names``);
* a continental street whose number a hard wrap moved to the next line after its comma (``postal_town``);
* a name after a weak cue that is one letter from an English word no person is ("visit with morael": ``slots``'
  ``shortened_here``);
* (dev seed 1159) a continental street cut by a hard wrap anywhere before its number or flat ("c/ penhallow\n10, 39929
  madrid", "Brackenholtstr. 20, Whg.\n3, 17221 Kleinmachnow"); a middle initial inside a label's value ("patient:
  torquil w. gathercole jr."); a cell "Surname, Given" whose surname is an English word, after a column gap
  ("page 3 of 5          farrow, aurelio": ``DeidStage._surname_comma_given``);
* (dev seed 1163) a patient's label with no mark before a name whose given name is an English noun, once a letter-spaced
  line is closed up ("p a t i e n t   clemency z e l i v a r"); a "LAST , FIRST" comma written with a blank before it
  ("N A M E : T A T T E R S A L L , C L E M E N C Y" with irregular spacing; ``postprocess._trim_allowed``);
* a patient's age and sex nouns before a person's verb are no name ("This 95 year old gentleman presents": the noun is a
  listed surname too; ``postprocess.PERSON_NOUNS``).

Every person, place and number is synthetic."""

from __future__ import annotations

import pytest
from conftest import masked_within_one as _masked
from conftest import untouched as _untouched

_BEFORE = "Seen in clinic today. Plan: increase atorvastatin.\n"
_AFTER = "\nPlan: continue the current drops.\n"

MASKED = [
    # the addressee over an address block, any case, a title maybe
    ("pilar fenwick-bray\nvasterbeckweg 13a\n95354 kleinmachnow", ["pilar fenwick-bray"]),
    ("Pilar Quennell\nVasterbeckweg 13a\n95354 Kleinmachnow", ["Pilar Quennell"]),
    ("Mme Ines O'Hara-Ruiz\n12 rue des Lilas\n75011 Paris", ["Ines O'Hara-Ruiz"]),
    ("Dagfinn R. Quennell\n4222 Sandpiper Street\nTacoma, WA 98402", ["Dagfinn R. Quennell"]),
    ("grace tharwick\n12 penhallow road\ntruro tr1 3ab", ["grace tharwick"]),
    # a label with no mark, the name filling its line
    ("Source document: scan.pdf\npatient dagfinn quennell\ndata di nascita 15-nov-2020", ["dagfinn quennell"]),
    ("Patient Kwame Asante\nVisit type: follow-up", ["Kwame Asante"]),
    ("nombre pilar fenwick-bray\nfecha de nacimiento 16. juni 1971", ["fenwick-bray"]),
    # a label's value opening with a listed given name that is an English word, or a double surname
    ("re:\tpilar fenwick-bray", ["pilar fenwick-bray"]),
    ("re: pilar fenwick-bray, fecha de nacimiento 16. juni 1971", ["pilar fenwick-bray"]),
    ("Provider: grace okonkwo-hale", ["grace okonkwo-hale"]),
    # a street's number wrapped after its comma before the postal code and town
    ("admitted 28.8.1941. home: avda. penhallow,\n147, 19851 zaragoza. family can be called", ["19851 zaragoza"]),
    ("Adresse: Vasterbeckweg,\n13a, 95354 Kleinmachnow.", ["95354 Kleinmachnow"]),
    # a name after a weak cue, one letter from an English word no person is
    ("video visit with morael completed, 30\nminutes.", ["morael"]),
    ("phone call with quennell today.", ["quennell"]),
    ("Mr. Gentleman presents today.", ["Gentleman"]),
    ("Home: Brackenholtstr. 20, Whg.\n3, 17221 Kleinmachnow. Family can be called", ["17221 Kleinmachnow"]),
    ("home: c/ penhallow\n10, 39929 madrid. family can be called", ["39929 madrid"]),
    # a hard wrap between a street's word and its name, the postal code and town after the number (dev seed 1181)
    ("Contact +61 2 4364 3436, Avda.\nClarimond, 15 30201 Alcobendas. Insurance: CHI", ["Clarimond, 15", "30201 Alcobendas"]),
    ("contact: avda.\nclarimond, 15 30201 alcobendas. insurance: chi", ["clarimond, 15", "30201 alcobendas"]),
    ("Domicilio: Calle\nPenhallow 15, 30201 Alcobendas.", ["Penhallow 15", "30201 Alcobendas"]),
    ("domicilio: calle\npenhallow 15,\n30201 alcobendas.", ["penhallow 15", "30201 alcobendas"]),
    ("Adresse : 12, rue\nClarimond\n75011 Paris", ["Clarimond", "75011 Paris"]),
    ("Indirizzo: Via\nGaribaldi 12, 20121 Milano", ["Garibaldi 12", "20121 Milano"]),
    ("Morada: Rua\nQuellenhof 85, 4000-123 Porto", ["Quellenhof 85"]),
    ("AVDA.\nCLARIMOND, 15 30201 ALCOBENDAS. INSURANCE", ["CLARIMOND, 15", "30201 ALCOBENDAS"]),
    # a person's words right before an identifier in brackets, its label maybe with it (dev sweep seeds 3001, 3002)
    ("REFERRED FROM ABROAD: GUNNHILD DUVERNOY (NAS 375 457 667), DATE OF BIRTH 22 DE ENERO DE 1974.", ["GUNNHILD DUVERNOY"]),
    ("Referred from abroad: Anna Sergeyevna Kuznetsova (burgerservicenummer 644232914), born 1993.07.20.",
     ["Anna Sergeyevna Kuznetsova"]),
    ("referred from abroad: søren fenwick-bray (cpr 200188-2175; medicare no. 3586 34065 1)", ["søren fenwick-bray"]),
    ("REFERRED FROM ABROAD: MARÍA WEINSBERGER (NHS NO. 754 373 4335; NIE Y8912505K)", ["MARÍA WEINSBERGER"]),
    ("Transferred today: Dagfinn Quennell (MRN: 48213377) to the ward.", ["Dagfinn Quennell"]),
    ("transferred today: dagfinn quennell (mrn 48213377) to the ward.", ["dagfinn quennell"]),
    ("Discussed with Torvald Brakstad-Lie (ID# 48213377).", ["Torvald Brakstad-Lie"]),
    # a UK postcode ending in "hr" closing a line after its street and town; an addressee with a surname's particle
    ("domicile:\t 43 quellenhof road,\ttewkesbury,\td7 1hr\nhandy:\t 0044 20 4147 9907", ["d7 1hr"]),
    ("DOMICILE: 43 QUELLENHOF ROAD, TEWKESBURY, D7 1HR\nHANDY: 0044 20 4147 9907", ["D7 1HR"]),
    ("Address: flat 2, 9 church lane, little hawleigh, b4 2hr", ["b4 2hr"]),
    # a postcode ending in "hr" after a named house, a flat, or its town alone (dev seed 1279)
    ("DOMICILE\tTIRRELMOOR HOUSE, TIRRELMOOR LANE, TEWKESBURY, UH1Q 2HR\nTEL.\t+49 171 3991653", ["UH1Q 2HR", "TEWKESBURY"]),
    ("domicile\ttirrelmoor house, tirrelmoor lane, tewkesbury, uh1q 2hr\ntel.\t+49 171 3991653", ["uh1q 2hr", "tewkesbury"]),
    ("address: flat 3, church lane, hawleigh, b4 2hr", ["b4 2hr"]),
    ("Seen.\nhawleigh, d7 1hr\nReturn in 2 weeks.", ["hawleigh", "d7 1hr"]),
    ("pilar de velde\ncalle clarimond 131, 1º 1ª\ne-43099 villarrubio", ["pilar de velde"]),
    ("Pilar van der Velde\n43 Quellenhof Road\nTewkesbury\nD7 1HR", ["Pilar van der Velde"]),
    ("omar al hakim\n14 quellenhof road\ntewkesbury\nd7 1hr", ["omar al hakim"]),
    ("idris bin quennell\ncalle clarimond 131, 1º 1ª\ne-43099 villarrubio", ["idris bin quennell"]),
    # listed name words only, English words too, a particle between them (dev seed 1277)
    ("pilar van brink\ncalle wendelstein 11, 4º 3ª\n17254 madrid", ["pilar van brink"]),
    ("Grace de la Hope\n12 Main Street\nSpringfield, IL 62704", ["Grace de la Hope"]),
    ("maria lopez y garcia\ncalle mayor 4, 2º\n28013 madrid", ["maria lopez y garcia"]),
    # the word between a meeting's "with" and a found surname; a given name before a surname's particles (dev seed 1213)
    ("subject: appointment for mrn 1606056\nappointment with oriel szekely moved to friday.", ["oriel szekely"]),
    ("Appointment with Oriel Szekely moved to Friday.", ["Oriel Szekely"]),
    ("Patient was\ncounseled.\nhans van den kamp, born 10 de maio de 2016, lives at 141 bis, avenue clarimond, 45186 paris",
     ["hans van den kamp"]),
    # a UK or Canadian postcode with a run of blanks between its parts
    ("anschrift:  flat     3, 125  tirrelmoor  close, hawleigh,     h4   9fx\ntél.:  07780   839914", ["h4   9fx"]),
    ("Address: 12 Penhallow Road, Netherstowe, LS6   2QD\nSeen today.", ["LS6   2QD"]),
    ("Anschrift:  38  rue Quellenhof,     Ottawa, NS J7P     8L2\nTelefon:  +44     20  8759 2588", ["J7P     8L2"]),
    ("last   name:\tcross\npatient: torquil w. gathercole  jr.\nportal message", ["torquil w. gathercole"]),
    ("Patient: Torquil W. Gathercole\nVisit type: follow-up", ["Torquil W. Gathercole"]),
    ("pt. first name .... lachlan\npage 3 of 5          farrow, aurelio       \nmrn: 3698472", ["farrow"]),
    ("Page 3 of 5          Farrow, Aurelio\nMRN: 3698472", ["Farrow"]),
    ("Printed 03/04/2024\tCross, Aurelio\tMRN 3698472", ["Cross"]),
    ("labs drawn.\np a t i e n t   clemency z e l i v a r  \nmrn 417771724", ["clemency"]),
    ("patient   clemency zelivar\nmrn 417771724", ["clemency zelivar"]),
    ("NAME : TATTERSALL , CLEMENCY\nreferred.", ["TATTERSALL , CLEMENCY"]),
    ("N A M E : T A T T E R S A L L , C L E M E N C Y\nreferred.", ["T A T T E R S A L L , C L E M E N C Y"]),
    ("Name: Tattersall , Clemency\nreferred.", ["Tattersall , Clemency"]),
]

KEPT = [
    ("Home address\n4222 Sandpiper Street\nTacoma, WA 98402", "Home"),
    ("Mailing address on file:\n4222 Sandpiper Street\nTacoma, WA 98402", "Mailing"),
    ("Follow up in clinic\n4222 Sandpiper Street\nTacoma, WA 98402", "Follow"),
    ("Grace Hope\n4222 Sandpiper Street\nTacoma, WA 98402", "Grace"),
    # a dose's interval and a count read as a postcode: no UK postcode opens with a Q, a V or an X
    ("Pain control: oxycodone, every, q4 6hr", "every"),
    ("Encourage to walk, as tolerated, q4 6hr", "tolerated"),
    ("continue oxycodone, x2 1hr", "oxycodone"),
    ("Patient Education Materials\nReviewed with the patient.", "Education"),
    ("patient stable overnight\npatient ambulating independently", "stable"),
    ("patient ambulating independently\nNo acute distress.", "ambulating"),
    ("Name Badge Printed\nCheck-in complete.", "Badge"),
    ("pt: hope to return next week.", "hope"),
    ("re: grace period extended by the insurer.", "grace"),
    ("re: follow-up visit\npt: long-term care plan reviewed", "long-term"),
    ("video visit with pateint completed.", "pateint"),
    ("Given via\nPICC 2 doses daily.", "PICC"),
    ("given via\nport 2 times.", "port"),
    ("Place\nBandage 2 times daily.", "Bandage"),
    ("Has chest pain (MRN 48213377) today.", "chest"),
    ("morphine 2 mg, q4, 1hr after meals", "1hr"),
    ("visit with dr szekely moved.", "visit"),
    ("meeting with family szekely today.", "family"),
    ("Appointment with May Szekely moved.", "Appointment"),
    ("Home de la\n43 Quellenhof Road\nTewkesbury\nD7 1HR", "Home"),
    ("Outside Records (MRN 48213377) reviewed.", "Records"),
    ("Labs drawn for the Glucose Tolerance (ID 48213377) test.", "Tolerance"),
    ("Coverage: Blue Cross Blue Shield (Member ID 48213377).", "Shield"),
    ("Renal Function Panel (Accession 48213377) drawn.", "Panel"),
    ("Patient Identifier (MRN 48213377).", "Identifier"),
    ("meeting with cardiolgy today.", "cardiolgy"),
    ("Walked on Main St,\n10000 steps daily.", "steps"),
    ("This 95 year old gentleman presents with worsening shortness of breath.", "gentleman"),
    ("this ninety five year old gentleman presents with worsening shortness of breath period", "gentleman"),
    ("This elderly gentleman presents today.", "gentleman"),
    ("The old lady states she is better.", "lady"),
    ("Walk 2 blocks daily.\n10000 steps daily, 12345 units of insulin.", "steps"),
    ("pt: quennell. Seen and examined today.", "Seen"),
    ("Seen, examined and discussed with the team.", "examined"),
    ("patient care plan reviewed\npatient transport arranged", "transport"),
    ("patient zelivar stable\npatient ambulatng well", "stable"),
    ("Patient: Fitzgerald , acuity 20/20 OU", "acuity"),
]


@pytest.mark.parametrize(("text", "values"), MASKED)
def test_masked(rules_stage, text: str, values: list[str]) -> None:
    text = _BEFORE + text + _AFTER
    for v in values:
        assert _masked(rules_stage, text, v), v


@pytest.mark.parametrize(("text", "word"), KEPT)
def test_kept(rules_stage, text: str, word: str) -> None:
    assert _untouched(rules_stage, _BEFORE + text + _AFTER, word)



def test_irregular_letter_spacing_in_a_note_of_runs(rules_stage) -> None:
    """Dev seed 1163's case (``spaces`` transform): every gap of the note a run, the label and the name letter-spaced
    with runs of one to five blanks, a blank before the comma; the closed-up reading ``NAME  : TATTERSALL  , CLEMENCY``
    keeps two blanks where the note's runs were wider, and both names are masked."""
    from conftest import redacted_chars

    line = "N  A M E     :   T A  T T  E  R  S  A     L  L     ,  C     L   E     M   E N C Y"
    text = "Seen   in   clinic   today.\n" + line + "\nreferred   from   abroad   for   a   second   opinion."
    red = redacted_chars(rules_stage, text)
    at = text.index(line) + line.index("T A")
    assert all(red[at + i] == c for i, c in enumerate(text[at:at + len(line) - line.index("T A")]) if c.isalpha())


@pytest.mark.parametrize(("text", "word", "kept"), [
    ("Patient: Alert and oriented, no distress.", "Alert", True),
    ("Patient: Pleasant and cooperative.", "Pleasant", True),
    ("Name: Grace and her mother were seen.", "Grace", False),  # a listed given name stays a name
    ("Patient: Quennell was seen.", "Quennell", False),
])
def test_label_value_running_on_in_lower_case(rules_stage, text: str, word: str, kept: bool) -> None:
    """A label's capitalised English word that runs on in lower case is a phrase, no name (pre-existing precision)."""
    text = _BEFORE + text + _AFTER
    assert _untouched(rules_stage, text, word) is kept
