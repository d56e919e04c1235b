"""The eighteenth session's canary causes (dev seeds 1039, 1051, 1057 and the spent seed 1049), each with
its neighbours that must stay: an English word as a given name at a cue in a note of one case
(``PORTAL MESSAGE FROM PEREGRINE QUENN``), a name and its credential a tab apart, stamps and their logins,
a record pair after a stamp's ``for``, a two-letter family name at any cue, cues, places and particles cut
by a hard wrap, a lower-case block in a mixed-case note, a VIN. Every person here is invented."""

from __future__ import annotations

import pytest
from conftest import masked_within_one as _masked
from conftest import untouched as _untouched

#: a mixed-case line around the probes, so no one-case reading of the note applies
_BEFORE = "Patient seen in clinic today.\n"
_AFTER = "\nPlan: continue the current drops.\n"


#: texts and the values each must have masked whole, by cause
_MASKED = [
    # an English word as a given name before a surname after a cue of two words, in a note of one case (seed 1039)
    ('PORTAL MESSAGE FROM PEREGRINE QUENN (PROXY FOR ILSABET MORRANE)\nREFILL REQUEST.\n', ['PEREGRINE', 'QUENN']),
    ('SPOKE WITH HUNTER VASKELIN TODAY ABOUT THE DROPS.\n', ['HUNTER', 'VASKELIN']),
    ('message left for sterling oduvane re: refill.\n', ['sterling', 'oduvane']),
    ('discussed with amber thistlewaite at the bedside.\n', ['amber', 'thistlewaite']),
    (_BEFORE + 'portal message from peregrine quenn\n' + _AFTER, ['peregrine', 'quenn']),
    (_BEFORE + 'spoke with hunter vaskelin about the plan.' + _AFTER, ['hunter', 'vaskelin']),
    ('SPOKE WITH PEREGRINE BARRACLOUGH TODAY.\n', ['PEREGRINE', 'BARRACLOUGH']),
    # a name and its credential a tab apart (seed 1039)
    (_BEFORE + 'from:\tzuleika dimitriou,\trn\n' + _AFTER, ['zuleika', 'dimitriou']),
    (_BEFORE + 'From:\tZuleika Dimitriou,\tRN\n' + _AFTER, ['Zuleika', 'Dimitriou']),
    (_BEFORE + 'FROM:\tZULEIKA DIMITRIOU,\tRN\n' + _AFTER, ['ZULEIKA', 'DIMITRIOU']),
    (_BEFORE + 'Seen by:\tOrvane Kessil,\tMD\n' + _AFTER, ['Orvane', 'Kessil']),
    (_BEFORE + 'cosigned\tOrvane Kessil,\tNP\n' + _AFTER, ['Orvane', 'Kessil']),
    (_BEFORE + 'Dimitriou, Zuleika,\tPA-C\n' + _AFTER, ['Dimitriou', 'Zuleika']),
    # the login after a stamp dated before its 'by' (seed 1039)
    (_BEFORE + 'PRINTED 03/04/2024 03:16 BY HALDANES\n' + _AFTER, ['HALDANES']),
    (_BEFORE + 'printed 03/04/2024 03:16 by haldanes\n' + _AFTER, ['haldanes']),
    (_BEFORE + 'Printed on 11/2/2025 at 9:40 by wetherallp\n' + _AFTER, ['wetherallp']),
    (_BEFORE + 'Faxed 2/14/2026 by quenna\n' + _AFTER, ['quenna']),
    # seed 1051: a two-letter family name at any cue, a short term as a given name, a login's 'for' wrapped, a login made of a name of the note
    ('video visit with ta phuong completed, 30 minutes.\n', ['ta']),
    (_BEFORE + 'video visit with ta phuong completed, 30 minutes.' + _AFTER, ['ta']),
    ('VIDEO VISIT WITH TA PHUONG COMPLETED.\n', ['TA']),
    ('spoke with asa rutledge regarding the mri.\n', ['asa', 'rutledge']),
    (_BEFORE + 'message from asa quenn re: refill' + _AFTER, ['asa', 'quenn']),
    ('report requested by torquil.farrow for\nfarrow, torquil k on 01/01/2020\n', ['torquil.farrow']),
    ('Lavery, Quael\tMRN 1234\nprinted by slavery\n', ['slavery']),
    ('Hunter Farrow seen today.\nsigned by farrowh\n', ['farrowh']),
    # seed 1049: a footer's login, a wrapped cue, a record pair after a stamp's 'for', a state's comma, a lower-case block, 'note written by'
    (_BEFORE + 'PRINTED BY WETHERLY - PAGE 2/5' + _AFTER, ['WETHERLY']),
    (_BEFORE + 'Also, is Whitlock still\non the care team?' + _AFTER, ['Whitlock']),
    (_BEFORE + 'Spoke\nwith Dalia Quenn today.' + _AFTER, ['Dalia']),
    (_BEFORE + 'Report requested by jsmith for ORMSBY, FFION' + _AFTER, ['ORMSBY, FFION']),
    (_BEFORE + 'Re: Quenn, Dalia' + _AFTER, ['Quenn, Dalia']),
    (_BEFORE + 'home is 12 Larch Road, Bramblecote, OR, 50692. Denies fever.' + _AFTER, ['Bramblecote', '50692']),
    ('cc: Kjetil Høiby\ncal pellowe arrived late.\n', ['pellowe']),
    ('Hi, This is Dr Smith.\nportal message from peregrine wetherall (proxy for lumoub farrow)\n', ['lumoub farrow']),
    (_BEFORE + 'note written by ümit wexley.' + _AFTER, ['ümit wexley']),
    # seed 1057: a place or a particle cut by a hard wrap
    (_BEFORE + 'encounter=01/26/2019 site=our Detroit\nclinic' + _AFTER, ['Detroit']),
    (_BEFORE + 'seen at our\nDetroit clinic' + _AFTER, ['Detroit']),
    (_BEFORE + 'Lives in Detroit,\nMI with his wife.' + _AFTER, ['Detroit']),
    (_BEFORE + 'Discussed the plan with Leocadia\nal-Masri at the bedside.' + _AFTER, ['al-Masri']),
    (_BEFORE + 'Discussed the plan with Leocadia\nvan der Berg at the bedside.' + _AFTER, ['van der Berg']),
    (_BEFORE + "Spoke with Leocadia\nO'Neill today." + _AFTER, ["O'Neill"]),
    # seed 1057 after the safe_harbor merge: a listed surname after an English given name, a credential's surname that is a verb, a weak cue's capitalised word, a VIN
    ('TRANSCRIBED BY: AB\nMYCHART MESSAGE FROM PEREGRINE FARROW (PATIENT)\n', ['PEREGRINE FARROW']),
    ('FAX TO: DR. ABEL\tFAX: 555\nFROM: ZULEIKA FARROW, RN\n', ['ZULEIKA FARROW']),
    (_BEFORE + 'Appointment with Morael moved to Friday.' + _AFTER, ['Morael']),
    (_BEFORE + 'mvc:   vehicle     262e7701829745039,     driver side damage' + _AFTER, ['262e7701829745039']),
    ('signed yolanda w pankhurst, md\n', ['yolanda w pankhurst']),
]

#: words that stay: the neighbours of each cause
_KEPT = [
    # after a cue: no name (one-word cues take plans and services)
    ('SPOKE WITH FAMILY MEMBERS TODAY.\n', 'FAMILY'),
    ('spoke with pharmacy about the refill.\n', 'pharmacy'),
    (_BEFORE + 'discussed with family qustions answered' + _AFTER, 'qustions'),
    (_BEFORE + 'called pharmacy refil' + _AFTER, 'refil'),
    ('PER PROTOCOL TIMOLOL DAILY.\n', 'PROTOCOL'),
    (_BEFORE + 'message from pharmacy regarding coverage.' + _AFTER, 'pharmacy'),
    ('per protocol, hold the dose; per guidelines recheck in a week.\n', 'guidelines'),
    ('PER GUIDELINES RECHECK IN A WEEK.\n', 'RECHECK'),
    ('page ortho resident qxalt tonight.\n', 'resident'),
    # a credential-shaped word a tab after a comma in a clinical cell
    (_BEFORE + 'Eye:\tOD,\tOS\n' + _AFTER, 'OD'),
    (_BEFORE + 'timolol,\tdo not stop\n' + _AFTER, 'timolol'),
    # a service or a system after a dated stamp
    (_BEFORE + 'printed 03/04/2024 03:16 by cardiology\n' + _AFTER, 'cardiology'),
    (_BEFORE + 'Printed 03/04/2024 by pharmacy\n' + _AFTER, 'pharmacy'),
    (_BEFORE + 'Faxed 2/14/2026 by system\n' + _AFTER, 'system'),
    (_BEFORE + 'Reviewed 2/14/2026 by ophthalmology\n' + _AFTER, 'ophthalmology'),
    # roles before a name, a word the note does not name
    (_BEFORE + 'visit with od smith today' + _AFTER, 'od'),
    (_BEFORE + 'meeting with pt okafor' + _AFTER, 'pt'),
    (_BEFORE + 'spoke with ed okafor' + _AFTER, 'ed'),
    (_BEFORE + 'appointment with ot okafor' + _AFTER, 'ot'),
    (_BEFORE + 'spoke with pcp rutledge regarding the mri.' + _AFTER, 'pcp'),
    ('The slavery museum was closed.\nprinted by slavery\n', 'museum'),
    (_BEFORE + 'printed by request' + _AFTER, 'request'),
    # seed 1049's neighbours
    (_BEFORE + 'printed by secretary' + _AFTER, 'secretary'),
    (_BEFORE + 'It is\nout of stock.' + _AFTER, 'out'),
    (_BEFORE + 'tested for aspergillus, candida' + _AFTER, 'aspergillus'),
    ('Re: Follow-up, Maren\nThank you.\n', 'Follow-up'),
    (_BEFORE + 'OD, OS, 20000 cells' + _AFTER, '20000'),
    (_BEFORE + 'note written by hand' + _AFTER, 'hand'),
    ('Seen today.\npt seen and examined, no acute distress.\nper guidelines recheck in a week.\n', 'guidelines'),
    # words after a hard wrap
    (_BEFORE + 'not in the\nclinic today' + _AFTER, 'clinic'),
    (_BEFORE + 'Spoke with Leocadia\nde novo findings reviewed.' + _AFTER, 'novo'),
    (_BEFORE + 'seen in the\nright eye clinic' + _AFTER, 'right'),
    # seed 1057's neighbours after the merge (a mean deviation, a misspelt service)
    (_BEFORE + 'message from blue cross about coverage' + _AFTER, 'cross'),
    (_BEFORE + 'continue, do not stop' + _AFTER, 'continue'),
    (_BEFORE + 'timolol, do not stop' + _AFTER, 'timolol'),
    (_BEFORE + 'Visit with Cardiolgy moved.' + _AFTER, 'Cardiolgy'),
    (_BEFORE + 'motor vehicle accident in 2019' + _AFTER, 'accident'),
    ('OD central island, MD -29.14, PSD 5.96\n', 'island'),
]


@pytest.mark.parametrize("text,values", _MASKED)
def test_each_cause_is_masked(rules_stage, text, values):
    for v in values:
        assert _masked(rules_stage, text, v), v


@pytest.mark.parametrize("text,word", _KEPT)
def test_its_neighbours_that_are_no_phi_stay(rules_stage, text, word):
    assert _untouched(rules_stage, text, word)
