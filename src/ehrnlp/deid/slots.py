"""Names and places that their place in the text gives away, without a label, a title or
(sometimes) a capital: the evidence left when a note gives no cue.

* **slots**: a word right after a verb of talking to someone or a mention ("per Delacroix",
  "ask Okafor", "tell", "call", "page", "@Okafor", "discussed with", "sign-out to",
  "voicemail for", "message from") or right before a verb only people do ("Okafor said /
  says / thinks / agrees / is out / is covering"); "with", "by" and "for" count only for a
  word that is no English word at all.
* **rosters**: two or more items shaped ``Name - role`` / ``Name: shift`` (lines, or items
  joined by ``;`` or `` / ``) of which at least half hold a word that is no English word: then
  every item's name is a name.
* **wraps**: a name or place cut by a hard line break: ``B.\\nWinterbottom``,
  ``Gwynael\\nC.``, ``[Thistledown]\\nFalls``, ``Port\\n[Ashcombe]``; and a town after
  "lives in", "moved to", "transferred from" in any case when it is no English word.

* **structure** (a note written in lower case keeps it): field labels in any case (``pt:
  maren okafor``, ``patient name - x``) and signature lines (``-- maren okafor, rn``),
  initials at a signature or dictation slot (``-- jd, rn``, ``JD/kl``), the name of an e-mail
  address's local part used again in the note, a place prefix before a town (``north
  marlowe``); a word WordNet knows only as a person's or a place's name counts like a listed
  surname (:class:`WordJudge` ``surname`` / ``place_name``).

What counts as a possible name word is decided by the caller (:class:`WordJudge`), from the
stage's lexicons: a word the English lexicon does not know ("unknown") is a name at any slot;
a noun of the lexicon (WordNet holds "Delacroix", "Sorensen") only when capitalised in a
mixed-case note and at a strong slot; adjectives, adverbs, verbs, function words, nouns for
people, clinical, drug and allow-listed words, months, weekdays and department words never.
Pure functions over text and hits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import ids
from .postprocess import _Hit

__all__ = ["WordJudge", "slot_names", "roster_names", "wrapped_names", "place_slots", "extend_places", "label_names",
           "initials_names", "email_names", "relative_names", "continue_names", "field_given_names", "diacritic_names",
           "particle_names", "elided_names", "title_word_names", "world_names", "given_before_names", "shortened_or_misspelt", "caps_surname_fields",
           "surname_cells_before", "role_names", "column_names", "signoff_names", "cue_word_names", "mail_header_names",
           "opening_names", "name_part_fields", "sex_row_names"]

_W = r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*"
_GAP = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"  # blanks, or one line break of a hard wrap

# cues before a name that only a person takes (any case)
_STRONG_BEFORE = (
    r"per|ask|asked|asking|tell|told|telling|call|called|calling|page|paged|paging|text|texted|e-?mail|e-?mailed|cc|"
    r"ping|pinged|notify|notified|inform|informed|"
    # "mrs" / "messrs" without their period, in any case ("mrs quoc returns"): no other word is written so
    # ("mr" and "ms" alone are also mitral regurgitation and multiple sclerosis)
    r"mrs|messrs|"
    r"the[ \t]+patient(?=[ \t]*,)|"  # a name in apposition: "The patient, SCHÄFER, Dagfinn, né(e) le ..." (nineteenth session)
    r"discussed[ \t]+with|d/w|spoke[ \t]+(?:with|to)|speak[ \t]+(?:with|to)|talked[ \t]+(?:with|to)|talk[ \t]+(?:with|to)|"
    r"sign-?out[ \t]+(?:given[ \t]+)?to|signed[ \t]+out[ \t]+to|hand(?:ed)?[ \t]+(?:over|off)[ \t]+to|handoff[ \t]+to|"
    r"voicemail[ \t]+(?:for|to|from)|message[ \t]+(?:for|to|from)|note[ \t]+from|msg[ \t]+(?:for|from)|"
    # (a time or a place between "seen" and "with": "Seen today with X for follow-up", "seen in clinic with X";
    # twentieth session, the extracted canary's spent seeds 1091 / 1097)
    r"reviewed[ \t]+(?:with|by)|seen(?:[ \t]+(?:today|again|here|this[ \t]+(?:morning|afternoon|evening)|"
    r"in[ \t]+(?:the[ \t]+)?(?:clinic|office)))?[ \t]+(?:with|by)|together[ \t]+with|covered(?:[ \t]+overnight)?[ \t]+by|"
    r"co-?signed[ \t]+by|cover(?:ed|ing)?[ \t]+for|defer[ \t]+to|deferred[ \t]+to|"
    r"according[ \t]+to|thanks[ \t]+to|thank[ \t]+you|questions?[ \t]+to|consult(?:ed)?|"
    r"(?:dictated|transcribed|attested|authored|witnessed|countersigned|(?:electronically[ \t]+)?signed|"
    r"(?:note|letter|message|report|entry|summary)[ \t]+(?:written|prepared|recorded|documented|entered|typed|composed)|scribed)[ \t]+by|"
    # a signature's label with its colon ("signed: okafor w.", "Electronically signed: X", "cosigned: X")
    r"(?:dictated|transcribed|attested|authored|witnessed|countersigned|(?:electronically[ \t]+)?(?:co-?)?signed)(?=[ \t]*:)|"
    # a portal's proxy: "message from X (proxy for Y)", "on behalf of Y"; an addendum's author (canx17)
    r"proxy(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?:for|of)|on[ \t]+behalf[ \t]+of|addend(?:um|ed)[ \t]+(?:written[ \t]+|entered[ \t]+)?by|"
    r"cop(?:y|ied)(?:[ \t]+sent)?[ \t]+to|forwarded[ \t]+to|(?:voicemail|message|msg)[ \t]+left[ \t]+(?:for|with)|"
    r"discussed[ \t]+(?:the[ \t]+)?(?:plan|case|results?|findings|care|options|risks?|benefits|alternatives|diagnosis|prognosis|"
    r"goals[ \t]+of[ \t]+care|treatment)(?:[ \t]+(?:and|&)[ \t]+(?:risks?|benefits|alternatives))?[ \t]+with|"
    r"referred[ \t]+(?:in[ \t]+)?by|brought[ \t]+(?:in[ \t]+)?by|accompanied[ \t]+by|driven[ \t]+(?:in[ \t]+)?by|"
    r"(?:family|wife|husband|spouse|partner|son|daughter|mother|father|sister|brother|parents?|guardian|caregiver|"
    r"friend|niece|nephew)[ \t]+of|(?:first|given|last|family)[ \t]+name[ \t]*(?::|is)|"
    # a caller or a writer naming themselves: "Hi, it's X", "hello this is X", "my name is X" (a greeting first:
    # "this is a 60-year-old" and "it's Tuesday" stay)
    r"(?:hi|hello|hey|good[ \t]+(?:morning|afternoon|evening))[,!.]?[ \t]+(?:this[ \t]+is|it['’]?s|i['’]m|i[ \t]+am)|my[ \t]+name[ \t]+is|"
    # another's name said ("states her name is X", "his son's name is X"; twenty-first session)
    r"(?:her|his|their|patient['’]?s|pt['’]?s)(?:[ \t]+(?:son|daughter|wife|husband|mother|father|sister|brother|friend|"
    r"partner|caregiver)['’]s)?[ \t]+(?:first[ \t]+|last[ \t]+|full[ \t]+|preferred[ \t]+)?name[ \t]+is|"
    # an interpreter is there for a person: "Interpreter present for Leclere", "interpreter (Somali) requested for X"
    r"interpret(?:er|ers|ing|ation)(?:[ \t]+(?:\([^()\n]{1,20}\)|present|used|services?|requested|needed|provided|called|"
    r"was|is|were|in[ \t]+person|by[ \t]+phone|via[ \t]+phone|video))*[ \t]+for"
)
# cues before a name that many things take: only for a word that is no English word
# ("with", "by", "for" alone flagged devices and abbreviations: "with Optos", "for dfe"); a visit, an appointment or a
# ride is for a person or a thing: "Visit for Quoc moved", "ride home arranged for umit celik", "visit for glaucoma check";
# a visit or a meeting is with a person or a service: "the visit with UMIT CELIK", "appointment with cardiology" (deid14)
# ("scheduled for debulking", "scheduled for eus-fna": a procedure no lexicon holds; a ride is arranged for a person)
_WEAK_BEFORE = (r"(?:visit|appointment|appt|meeting|session|phone[ \t]+call)(?:[ \t]+|[ \t]*\r?\n[ \t]*)with|"  # (a wrap between: "visit\nwith X")
                r"(?:visit|appointment|appt|paperwork|letter|forms?|"
                r"(?:ride(?:[ \t]+home)?|transport(?:ation)?|taxi|cab)(?:[ \t]+(?:was[ \t]+)?(?:arranged|scheduled|booked|ordered|called))?)"
                r"[ \t]+for")
# verbs after a name that only a person does
_STRONG_AFTER = (
    # a thing's verb used as only a person uses it (before the verbs alone: the longer reading wins)
    r"(?:declined|declines|refused|tolerated|brought|brings)[ \t]+(?:the|a|an|any|all|further|his|her|their|it)|"
    r"(?:was|is)[ \t]+seen[ \t]+(?:in|at)[ \t]+(?:the[ \t]+)?(?:clinic|office|follow-?up)|"
    # ... and as a note's shorthand writes it, with no "was": "Evadne Quenby seen in follow-up for the wound check", "X seen
    # today" (a verb a thing does too: only after name words; twentieth session)
    # (no auxiliary before it: "hoiby was seen in clinic" is read with "was")
    r"(?<!\bwas[ \t])(?<!\bis[ \t])(?<!\bbe[ \t])(?<!\bbeen[ \t])(?<!\bwere[ \t])(?<!\bare[ \t])(?<!\bbeing[ \t])"
    r"seen[ \t]+(?:today|(?:in|at)[ \t]+(?:the[ \t]+)?(?:clinic|office|follow-?up)|for[ \t]+(?:a[ \t]+)?follow-?up)|"
    # a birth after a name ("hans hasselbruch, born 14.03.1961", "X, né(e) le ...", "X, geb. ..."; nineteenth session)
    r"born(?=[ \t]+(?:on[ \t]+)?\d)|n[ée]e?(?:\(e\))?(?=[ \t]+(?:le[ \t]+)?\d)|n[ée]e?(?:\(e\))?[ \t]+le|geb\.|nacid[oa][ \t]+el|"
    r"said|says|thinks|thought|agrees|agreed|feels|felt|wants|wanted|asked|asks|called|calls|mentioned|"
    r"confirmed|suggested|recommends|recommended|believes|prefers|wrote|writes|replied|texted|emailed|"
    r"is[ \t]+out|was[ \t]+out|is[ \t]+off|is[ \t]+away|is[ \t]+covering|was[ \t]+covering|is[ \t]+on[ \t]+call|"
    r"will[ \t]+(?:call|see|cover|follow|review|check|sign|decide|discuss)|can[ \t]+you|covering|"
    r"reports|reported|states|stated|notes|noted|"
    r"still[ \t]+(?:on|covering|working|around|here|with|in|at|available|away|out)|"
    # what a patient does or undergoes ("Otieno denies", "X consented", "X was admitted"); the
    # ones a thing does too are in _THING_VERBS
    r"denies|denied|endorses|endorsed|consented|consents|declined|declines|refused|refuses|tolerated|tolerates|"
    r"verbali[sz]ed|verbali[sz]es|understands|understood|arrived|arrives|presents|presented|returns|returned|"
    r"requests|requested|brought|complains|complained|ambulates|ambulated|"
    r"(?:is|was|has[ \t]+been|will[ \t]+be)[ \t]+(?:admitted|discharged|seen|examined|transferred|counseled|counselled|"
    r"here|aware|agreeable|amenable|scheduled)|"
    # a person's state, as a relative reports it ("X has been confused since Tuesday", "X was agitated overnight")
    r"(?:is|was|has[ \t]+been|had[ \t]+been|seems|seemed|became|got)[ \t]+(?:more[ \t]+|very[ \t]+|increasingly[ \t]+)?"
    r"(?:confused|agitated|forgetful|tearful|combative|withdrawn|disoriented|upset|restless|anxious|depressed)|"
    # an age in apposition: "Otieno, 47 y/o,", "X (age 52)", "X, aged 61", "X is a 70-year-old"
    r"\(?[ \t]*(?:aged?:?[ \t]*)?\d{1,3}[ \t]*(?:y/?o|yo|yrs?[ \t]+old|years?[ \t]+old|-?years?-old|-?y\.o\.)|"
    r"\(?[ \t]*aged?:?[ \t]*\d{1,3}|(?:is|was)[ \t]+an?[ \t]+\d{1,3}[ \t-]*(?:y/?o|yo|years?|yr)(?:-old)?"
)
# a hard wrap may cut any cue of several words ("is Whitlock still\non the care team", "spoke\nwith X"): between a
# cue's words a line break reads as a blank (eighteenth session; a fax or a printout fills its lines to 40-70 columns)
_STRONG_BEFORE, _WEAK_BEFORE, _STRONG_AFTER = (x.replace(r"[ \t]+", _GAP) for x in (_STRONG_BEFORE, _WEAK_BEFORE, _STRONG_AFTER))
# a member of staff's role between a person's cue and the name: "spoke with PCP Rutledge", "discussed with her
# nurse Quenn", "d/w covering resident Amadi" (nineteenth session); also read before a name in parentheses (role_names)
_ROLE = (r"(?:attending|resident|fellow|intern|nurse|rn|np|pa|pcp|physician|surgeon|consultant|hospitalist|pharmacist|"
         r"case[ \t]+manager|care[ \t]+manager|social[ \t]+worker|therapist|dietitian|dietician|nutritionist|chaplain|"
         r"coordinator|navigator|scribe|midwife|doula|provider|technician|tech|aide|sitter|proxy|hcp|poa|clinician|"
         r"practitioner|doctor|radiologist|anesthesiologist|intensivist|oncologist|cardiologist|nephrologist|neurologist|"
         r"psychiatrist|psychologist|counsel(?:l)?or|supervisor|preceptor|student|registrar|houseofficer|sw|cm)")
_ROLE_BEFORE = (rf"(?:(?:(?:the|her|his|their|our|your|pt['’]?s|patient['’]?s)[ \t]+)?(?:(?:covering|on-?call|charge|primary|"
                rf"bedside|night|day|floor|unit|home|staff)[ \t]+)?{_ROLE}(?:[ \t]+{_ROLE})?[ \t]+(?=[^\W\d_]))?")
_ROLE_WORD = re.compile(_ROLE, re.I)
_BEFORE_RX = re.compile(rf"(?<![\w'’-])(?:(?P<s>{_STRONG_BEFORE})|(?P<wk>{_WEAK_BEFORE}))[ \t]*(?:[,:][ \t]*)?{_GAP}{_ROLE_BEFORE}"
                        rf"(?P<n>{_W}(?:(?:,?{_GAP}){_W}){{0,2}})", re.I)
# a name's own cue, searched apart (another cue may end inside it: "called by the first name X")
_NAME_CUE_RX = re.compile(rf"(?<![\w'’-])(?P<s>(?:her|his|their|patient['’]?s|pt['’]?s)(?:[ \t]+(?:son|daughter|wife|husband|mother|"
                          rf"father|sister|brother|friend|partner|caregiver)['’]s)?[ \t]+(?:first[ \t]+|last[ \t]+|full[ \t]+|"
                          rf"preferred[ \t]+)?name[ \t]+is|"
                          rf"(?:by|the|her|his|their|a)[ \t]+(?:first|given|last|family|middle|sur|nick)[ \t]?name"
                          rf"(?:[ \t]+of)?|goes[ \t]+by(?![ \t]+(?:the|her|his|their|a)[ \t]+(?:first|given|last|family|middle|sur|nick)[ \t]?name)|known[ \t]+as)(?P<wk>(?!))?[ \t]*(?:[,:][ \t]*)?{_GAP}"
                          rf"(?P<n>{_W}(?:(?:,?{_GAP}){_W}){{0,2}})", re.I)
_OWNER_RX = re.compile(r"(?<![\w'’-])(?P<n>[^\W\d_]{2,})['’]s[ \t]+(?i:wife|husband|spouse|partner|son|daughter|mother|father|"
                       r"sister|brother|parents?|family|guardian|caregiver|niece|nephew|grand(?:son|daughter|child))(?![\w'’-])")
_WHOLE = re.compile(r".+", re.S)
_AT_RX = re.compile(rf"(?<![\w.@])@(?P<n>{_W})")
_AFTER_RX = re.compile(rf"(?P<n>(?:{_W}(?:,?{_GAP}))?{_W}),?{_GAP}(?:(?P<s>{_STRONG_AFTER}))(?![\w'’-])", re.I)
# verbs that a thing may do too ("Echo reports", "CT notes"): only after a word that is no English word
_THING_VERBS = frozenset({"reports", "reported", "states", "stated", "notes", "noted", "covering", "called", "calls",
                          "declined", "declines", "presents", "presented", "returns", "returned", "arrived", "arrives",
                          "brought", "requested", "was seen", "is seen", "has been seen", "was examined", "was transferred",
                          "is scheduled", "was scheduled", "tolerated", "tolerates"})

# a roster item: "Okafor - cardiology", "Okafor: nights", "attending=Okafor" is a form (layout.py)
_ROSTER_ITEM = re.compile(rf"^[ \t]*(?:[-*•][ \t]+|\d+[.)][ \t]+)?(?P<n>{_W}(?:[ \t]+{_W})?)[ \t]*(?:[-–:][ \t]*)(?P<r>[^\W\d_][^\n;:/]{{0,30}}?)[ \t]*$")
_WRAPPED_ITEM = re.compile(r"([:;-])[ \t]*\r?\n(?=[ \t]*[^\W\d_])")
# a slash list wrapped at a slash ("Haverbrook / Winterbottom /\nZielinski", "Haverbrook\n/ Zielinski")
_WRAPPED_SLASH = re.compile(r"(?:(/)[ \t]*\r?\n(?=[ \t]*[^\W\d_])|(?<=[^\W\d_])()[ \t]*\r?\n(?=[ \t]*/[ \t]*[^\W\d_]))")
_LEADING_LABEL = re.compile(rf"[ \t]*{_W}(?:[ \t]+{_W}){{0,2}}[ \t]*(?::|[ \t]-)[ \t]+")
_SLASH_LIST = re.compile(rf"(?P<items>{_W}(?:[ \t]+/[ \t]+{_W}){{2,}})")

# initials and names cut by a hard wrap (blanks too: "R.   Winterbottom")
#: (deidp9) never a unit's last letter ("71 iu/l.\nspep was negative", "4.6 mg/l. Serum")
_INITIAL_THEN_NAME = re.compile(rf"(?<![\w.'’/-])(?P<i>[A-Za-z])\.(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?P<w>{_W})")
_INITIAL_NEXT_LINE = re.compile(r"[ \t]*\r?\n[ \t]*[A-Za-z]\.(?=[\s),;:]|$)")
_CUE_BEFORE = re.compile(r"(?:(?<![\w'’-])(?i:by|to|with|per|dr|cc|and|or|from|for|ask|call|tell|page|attn|re)\.?|[,;:(@|=])[ \t]*\Z")
_NAME_THEN_INITIAL = re.compile(rf"(?<![\w'’-])(?P<w>{_W})(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?P<i>[A-Za-z])\.(?=[\s),;:]|$)")

# towns: a place word before or after a detected place, across blanks or a wrap
_PLACE_SUFFIX = (r"falls|bay|harbou?r|springs?|junction|heights|city|beach|park|hills?|valley|creek|point|island|village|"
                 r"ridge|grove|landing|mills?|lake|crossing|station|township|town|forge|ferry|bluffs?|glen|meadows?|"
                 r"fields?|woods?|cove|rapids|shores?|center|centre")
_SUFFIX_AFTER = re.compile(rf"{_GAP}(?P<w>(?i:{_PLACE_SUFFIX}))(?![\w'’-])")
_UPON_AFTER = re.compile(rf"{_GAP}(?i:on|upon|under|in)(?:{_GAP}(?i:the))?{_GAP}(?P<w>{_W})(?=[ \t]*(?:[,.;:)\r\n]|$|[ \t]+[^\W\d_]))")
_ENDS_UPON = re.compile(r"(?<![\w'’-])(?i:on|upon|under)\Z")
_WORD_AFTER = re.compile(rf"{_GAP}(?P<w>{_W})(?=[ \t]*(?:[,.;:)\r\n]|$|[ \t]+[^\W\d_]))")
_PREFIX_BEFORE = re.compile(rf"(?<![\w'’-])(?P<w>(?i:north|south|east|west|new|port|fort|lake|mount|mt|saint|st|glen|upper|lower|"
                            rf"little|great|old|san|santa|los|las|el|la|le|fort))\.?{_GAP}$")
#: words after "on" that make "X on Y" no town ("in town on weekends")
_NOT_AFTER_ON = frozenset({"weekends", "weekend", "weekdays", "holidays", "holiday", "vacation", "arrival", "admission",
                           "discharge", "leave", "call", "duty", "foot", "time", "site", "record", "file"})
# "lives in", "moved to", "transferred from", "drives in from", "relocated to": a town follows
_PLACE_SLOT = re.compile(
    rf"(?<![\w'’-])(?i:lives?|living|lived|resides?|residing|resided|moved|moving|relocated|relocating|transferred|"
    rf"drives?|driving|drove|travels?|travell?ed|travell?ing|visiting|commutes?|commuting|works?|working|worked|born|raised|"
    rf"grew[ \t]+up|home|hometown|post[ \t]+office)"
    rf"(?:[ \t]+(?i:alone|here|back|over|up|down|in|at|the|post|office|with|family|her|his|their|a|an|out))*"
    rf"[ \t]+(?i:in|to|from|near|at)(?:[ \t]+(?i:the))?{_GAP}(?P<n>{_W}(?:{_GAP}{_W}){{0,2}})"
)


# a field label in any case with ":", "=", "#" or " - " (a lower-case note has no other cue):
# "pt: maren okafor", "patient name - soledad quintero", "pcp: sorensen", and a signature line
# "-- maren okafor, rn"; "pt" (also physical therapy: "pt: eval and treat") needs two name words
_CRED = r"(?:md|do|rn|np(?:-c)?|pa(?:-c)?|pharmd|phd|bsn|msn|dnp|lcsw|msw|crnp|aprn|fnp(?:-c)?|lpn|cnm|crna)"
_LABEL_RX = re.compile(
    rf"(?<![\w'’-])(?P<l>pt|pt[ \t]+name|patient|patient[ \t]+name|name|pcp|provider|nurse|physician|referring|author|"
    rf"emergency[ \t]+contact|next[ \t]+of[ \t]+kin|contact|caregiver|guardian|attending|resident|np|pa|"
    # ... as other languages label a patient's name (intl20): "Nom: MÜLLER, Hans", "nombre: maría garcía"
    rf"nom|nombre|nome|cognome(?:[ \t]*,[ \t]*nome)?|naam|nachname|vorname|apellidos?|patientin|paciente|patiente|paziente|"
    # a letter's or a fax's subject line ("re:   seraphina   fifield", "RE: FIFIELD, SERAPHINA"; nineteenth session)
    rf"re(?=[ \t]*:))"
    rf"[ \t]*(?:[:=#|]|[ \t]-(?=[ \t])|\t)[ \t|]*(?P<n>{_W}(?:\.?(?:[ \t]*,)?[ \t]+{_W}){{0,2}})", re.I)  # (a blank before the comma: "entwistle , clemency")
_BARE_LABEL_LINE = re.compile(rf"(?im)^[ \t]*(?:patient(?:[ \t]+name)?|pt|name|paziente|paciente|patiente|patientin|nom|nombre|nome|naam)"
                              rf"[ \t]+(?P<n>{_W}(?:[ \t]+{_W}){{1,2}})[ \t]*\r?$")
_SIGNATURE_RX = re.compile(rf"(?m)^[ \t]*(?:--|—|–)[ \t]*(?P<n>{_W}(?:[ \t]+{_W}){{0,2}})[ \t]*(?=,[ \t]*(?i:{_CRED})(?![\w-])|\r?$)")
# initials: "-- jd, rn" (above), a dictation reference "JD/kl" alone on its line, "dictated by JD",
# "transcribed by kl", "cosigned: jd"
_INITIALS_LINE = re.compile(r"(?m)^[ \t]*(?P<a>[A-Za-z]{2,3})[ \t]*/[ \t]*(?P<b>[A-Za-z]{2,3})[ \t]*\r?$")
_INITIALS_CUE = re.compile(r"(?<![\w'’-])(?i:dictated|transcribed|typed|co-?signed|signed|initialed|entered)(?:[ \t]+(?i:by))?[ \t]*:?[ \t]+"
                           r"(?P<a>[A-Za-z]{2,3})(?=[ \t]*(?:[,.;)]|\r?\n|$))")
#: two- and three-letter words that are services, roles, tests or routes: never initials
_NOT_INITIALS = frozenset(
    "qd bid tid qid prn po iv im sq sc pr tab cap neb inh bp pt ot rn md do np pa er ed icu ent gi or id ob gyn pcp ems ekg "
    "ecg eeg emg cbc bmp cmp ua cxr mri pet iop va od os ou me us we he she it its his her him they you yes no not and but "
    "nor the for per via re dr mr mrs ms all pm am".split())
#: units and analytes: a line "mg/dl" or "bun/cr" is no dictation reference (only both sides together rule it out)
_UNIT_OR_LAB = frozenset(
    "mg dl ml hr kg min hg cm mm mcg meq iu mmol ug lb lbs oz hrs sec wk wks yr yrs mo mos day cc gt gtt ng na cl ca co "
    "bun cr inr ptt hgb hct wbc plt alt ast ldl hdl tsh ck ph rr hr sat".split())
#: a measure's numerator and denominator units ("mg/dl", "ml/hr", "lb/wk", "mm/hg")
_RATIO_TOP = frozenset("mg mcg ug ng meq iu ml cc gt gtt oz lb lbs kg cm mm hr hrs min".split())
_RATIO_BOTTOM = frozenset("dl ml kg hr hrs min day wk wks mo mos yr yrs hg sec dose lb".split())
#: analytes and vital signs written as a pair ("bun/cr", "alt/ast", "ca/mg", "hr/rr")
_ANALYTES = frozenset("bun cr inr ptt hgb hct wbc plt alt ast ldl hdl tsh ck na cl ca co mg ph hr rr sat".split())


def _unit_ratio(a: str, b: str) -> bool:
    """``a/b`` (lower case) is a unit of measure over another or a pair of analytes ("mg/dl",
    "ml/hr", "bun/cr"); a unit beside an analyte ("lb/cl") or units in no measure's order
    ("hr/cl") are no such pair."""
    return (a in _RATIO_TOP and b in _RATIO_BOTTOM) or (a in _ANALYTES and b in _ANALYTES)


_EMAIL_RX = re.compile(r"(?<![\w.%+-])(?P<l>[A-Za-z0-9._%+-]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")


@dataclass(frozen=True)
class WordJudge:
    """What the stage's lexicons say about one word (see the module docstring)."""

    unknown: Callable[[str], bool]  # no English, clinical, drug or allow-listed word at all
    surname_ok: Callable[[str], bool]  # no adjective, adverb, verb, function word, person noun, clinical word...
    place_ok: Callable[[str], bool]  # may be part of a town name
    surname: Callable[[str], bool] = lambda w: False  # a known surname that is also an English noun ("Sorensen")
    place_name: Callable[[str], bool] = lambda w: False  # a noun WordNet knows only as a name ("marlowe", "detroit")
    #: a known given name that is also an English word ("Grace", "Hope", "Dawn") and no function,
    #: clinical, person or month word: evidence only where a given name is expected
    given: Callable[[str], bool] = lambda w: False
    #: a given name or surname of another language written without its marks, no English word
    #: (data/world_names.txt: "lindstrom", "yildirim", "goncalves"); the caller folds and lower-cases
    world: Callable[[str], bool] = lambda w: False
    #: a clinical, drug, allow-listed or medical-shaped word ("lens", "fundoplication", "pouch")
    clinical: Callable[[str], bool] = lambda w: False
    #: an unknown word that is a shortened or misspelt known word or a service's abbreviation
    #: ("nephro", "pulm", "lytes", "pateint", "nsgy"): no evidence of a name (see
    #: :func:`shortened_or_misspelt`; without the test no rule that needs it fires)
    abbreviation: Callable[[str], bool] | None = None
    #: a word that may be a given name right before a surname a rule found, although it is a
    #: drug's abbreviation or a noun ("Asa", "Ace"): no function word, title, person noun,
    #: credential, month, service, unit, English adjective, adverb or verb
    given_slot: Callable[[str], bool] = lambda w: False
    #: the same for a word capitalised in the middle of a mixed-case sentence, where an English
    #: adjective or verb may be a given name too ("Message left for Ace Barraclough")
    capital_slot: Callable[[str], bool] = lambda w: False
    #: an English adverb ("Still", "Also", "Again", "Currently"): no subject opening a sentence
    adverb: Callable[[str], bool] = lambda w: False
    #: a word that only its shape makes clinical ("-oma", "-itis": "Chioma"): no vocabulary, clinical
    #: list or lexicon holds it (a name beside another name word in a record's name field may be one)
    shaped: Callable[[str], bool] = lambda w: False
    #: a word English text writes capitalised far more often than in lower case and seldom in lower
    #: case (data/capital_words.txt: "wainwright", "tennant"; not "hall", "price", "baker"): evidence
    #: of a name only where a text opens (:func:`opening_names`)
    capital_word: Callable[[str], bool] = lambda w: False
    #: an unknown word (folded) that no word of the lexicon builds: no known word after a prefix or a
    #: combining form ("Subpleural", "Hepatosplenomegaly"), no known word with an ending ("Immunostains"),
    #: no two known words, no word cut short or misspelt, no medical shape, 5+ letters ("Zelorra")
    coined: Callable[..., bool] = lambda w, person=False: False
    #: :attr:`abbreviation` at a person's slot ("per X,"): a slip of the keyboard only of a person
    #: noun, a clinical or a vocabulary word ("per pateint"; not "PER MORAEL", "morale" spoilt)
    slot_abbreviation: Callable[[str], bool] | None = None
    #: a surname of the US Census list that is no English word, or a :attr:`world` name ("barraclough",
    #: "quintero"; the caller folds and lower-cases): evidence only where a lone lower-case word stands at a
    #: person's slot and a list must tell a name from an abbreviation or a misspelling
    census: Callable[[str], bool] = lambda w: False

    def listed(self, w: str, surname: bool = True) -> bool:
        """``w`` is a listed given name (or, with ``surname``, a listed surname) although it may
        be an English word ("Loan", "Hope", "Rose"; "Ngo") and no function word, title, person
        noun, credential, month, service, unit, adverb, clinical or drug word: a name where the
        sentence gives a person (before a person's verb, an age in apposition, ``wife of``,
        ``X's daughter``). The surname list is mostly nouns ("Stone", "Mass", "Study"): it is
        evidence only where a capital is one too (see :func:`slot_names`)."""
        f = _fold(w).lower()
        return (len(w) >= 3 and (self.given(w) or (surname and self.surname(w)) or self.world(f)) and self.capital_slot(w)
                and f not in _PEOPLE_WORDS and not self.clinical(w) and not self.adverb(w))

    def short_name(self, w: str) -> bool:
        """``w`` may be a two- or three-letter name at a person's slot ("per vo,", "spoke to bui"):
        no English, clinical, drug word or abbreviation of the lexicon, with a vowel, and no
        service, role, route, test, unit or credential written short ("per ent", "d/w pcp",
        "per ep", "signed out to nf")."""
        low = w.lower()
        return (2 <= len(w) <= 3 and w.isascii() and w.isalpha() and bool(re.search(r"[aeiouy]", low))
                and low not in _SERVICE_SHORT and low not in _NOT_INITIALS and low not in _UNIT_OR_LAB
                and low not in _SHORT_ROLES and self.surname_ok(w) and self.unknown(w) and not self.clinical(w))

    def shortened(self, w: str) -> bool:
        """``w`` (folded, lower case) is cut short or misspelt (False without the test)."""
        return self.abbreviation is not None and self.abbreviation(w)

    def shortened_here(self, w: str) -> bool:
        """:meth:`shortened` at a person's slot: a misspelling only of a word that fits there
        (:attr:`slot_abbreviation`; :meth:`shortened` without it)."""
        return self.slot_abbreviation(w) if self.slot_abbreviation is not None else self.shortened(w)

    def whole(self, w: str) -> bool:
        """``w`` (folded, lower case) is no word cut short or misspelt (False without the test)."""
        return self.abbreviation is not None and not self.abbreviation(w)

    def name_only(self, w: str) -> bool:
        """A word English writes only as a name, no English or clinical word either: a noun WordNet
        knows only as a person or a place ("macaulay"), or a word written capitalised nearly always
        (data/capital_words.txt), or written with a surname's inner capital after a short prefix
        ("DeVries", "McAllister"); evidence at a person's slot, a weak cue's too."""
        f = _fold(w).lower()
        return len(f) >= 4 and (self.place_name(f) or self.capital_word(f) or bool(_CAMEL_NAME.fullmatch(w))) \
            and self.surname_ok(w) and not self.clinical(w)

    def name_word(self, w: str, *, strong: bool, mixed: bool, caps_note: bool) -> bool:
        """``w`` may be a name here: any unknown word of 3+ letters; at a strong cue also a
        capitalised noun of the lexicon in a mixed-case note."""
        compound = _compound_name(w, self)
        if len(w) < 3 and strong and len(w) == 2 and not (mixed and w.isupper()) and self.short_name(w):
            return True  # "per vo,", "PER VO," in a note in capitals (a two-letter acronym in a mixed-case note stays)
        if len(w) < 3 or not (self.surname_ok(w) or compound):
            return False
        if mixed and w.isupper():
            return False  # an acronym or a heading in a mixed-case note ("per ENT", "FOR NEBULIZATION")
        if ("'" in w or "’" in w) and w.lower().endswith(("n't", "n’t", "'s", "’s", "'re", "'ll", "'ve", "'d", "'m")):
            return False  # "that's", "wasn't" (an apostrophe elsewhere is a name's: "O'Connor", "D'Souza")
        if self.unknown(w) or (strong and (self.surname(w) or compound)):  # "Per Bell-Hill", "is gates-young still on"
            return True
        if self.name_only(w):
            return True  # "the visit with DeVries", "meeting with macaulay": a word English writes only as a name
        capitalised = w[:1].isupper() and not w.isupper() and mixed
        return strong and (capitalised or (caps_note and w.isupper()))


def _weak_surname(word: str, judge: WordJudge) -> bool:
    """``word`` is a surname a weak cue takes alone: a listed surname no ordinary word is, or a word of 4+ letters no
    lexicon knows or English writes only as a name, no shortened word, no clinical word."""
    folded = _fold(word).lower()
    if len(word) < 4 or "-" in word or judge.clinical(word):
        return False
    if judge.surname(word) and judge.surname_ok(word) and judge.whole(folded):
        return True
    return (judge.unknown(word) or judge.name_only(word)) and not judge.shortened_here(folded)


def _note_case(text: str) -> tuple[bool, bool]:
    """(mixed, caps): whether the note mixes cases, whether it is written in capitals."""
    from .postprocess import lower_case_note

    lower = lower_case_note(text)
    caps = lower_case_note(text.swapcase())
    return not (lower or caps), caps


#: nouns for a person that the name lists hold ("Man" is a Census given name): never a name
_PEOPLE_WORDS = frozenset("man men woman women boy boys girl girls male female lady gentleman child kid baby infant adult "
                          "person people guy gal son daughter".split())

#: roles, services and places of care of two or three letters that a person's slot takes too
#: ("per ep", "d/w att", "signed out to nf", "d/w fel"): no short name
_SHORT_ROLES = frozenset("ep att atn fel res int con cons ama nf doc fam pop psy soc nut hh vna snf sar alf ltc ccm tcm "
                         "ia ai rad neu nep gim hm ccu onc uro ped obs gen sur sx tx hx dx rx fx ad cv".split())

#: services and roles written short that are no prefix of their word ("per peds", "d/w nsgy")
_SERVICE_SHORT = frozenset("peds nsgy nsurg ctsurg ctsx gensurg vasc ortho onc heme pulm cards uro derm rheum endo psych neph nephro "
                           "hosp hospitalist renal gyn obgyn ent anes anesth rads radiol path micro pharm pharmd nsg nrsg hem "
                           "midlevel intern interns resi resident sw cm pcp ptot slp rt rrt ophtho optho resp hemonc cardio gastro pulmo "
                           "nutr neurosurg urol gyne".split())


def shortened_or_misspelt(w: str, lexicon: frozenset[str] | set[str], clinical: list[str],
                          fits: Callable[[str], bool] | None = None) -> bool:
    """Whether the lower-case word ``w`` is a clinical or drug word cut short ("nephro", "pulm",
    "trop": a prefix of a longer one of ``clinical``, sorted), a known word with one slip of the
    keyboard (5+ letters: two letters swapped, one dropped: "pateint", "famly"), a service's
    short form ("peds"), or has no vowel ("nsgy"): an abbreviation or a typo, no evidence of a
    name. (A letter too many, a suffix or a prefix of an English word is no test: "Thanh" /
    "than", "Umit" / "manumit", "Gorman" / "gormandise" are names.) With ``fits``, a slip of the
    keyboard counts only when the word it spoils passes it (at a person's slot: a person noun or a
    clinical word, "per pateint"; "per Morael" spoils "morale", which no one says there)."""
    import bisect

    if w in _SERVICE_SHORT or not re.search(r"[aeiou]", w):
        return True
    k = bisect.bisect_left(clinical, w)
    if k < len(clinical) and clinical[k] == w:
        k += 1
    if k < len(clinical) and clinical[k].startswith(w) and len(clinical[k]) >= len(w) + 2:
        return True
    if len(w) < 5:
        return False
    def known(c: str) -> bool:
        return c in lexicon and (fits is None or fits(c))

    for i in range(len(w) - 1):  # two letters swapped
        if w[i] != w[i + 1] and known(w[:i] + w[i + 1] + w[i] + w[i + 2:]):
            return True
    for i in range(1, len(w)):  # one letter dropped (a doubled one, or a vowel)
        for c in {w[i - 1], *"aeiou"}:
            if known(w[:i] + c + w[i:]):
                return True
    return False


#: a cue's hard wrap: blanks, one line break, blanks (no mark of a sentence's or a field's end)
_CUE_WRAP = re.compile(r"[ \t]*\r?\n[ \t]*")


#: what a family history or a social history says of a relative, capitalised ("Mother Deceased", "father Alive and
#: well", "wife Aware"): no name
_KIN_STATUS = frozenset("deceased alive living healthy unknown died dead passed adopted estranged divorced married separated "
                        "widowed well fine ok okay present absent negative positive noncontributory unremarkable normal "
                        "supportive involved available unavailable aware informed updated notified called visited "
                        "hx history age aged dx".split())
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
                      "today tomorrow yesterday tonight".split())


def _verb_form(w: str, judge: WordJudge) -> bool:
    """``w`` is an English verb's past or -ing form: its stem is an ordinary word ("Referred", "Opened", "Visiting")."""
    low = w.lower()
    for end in ("ed", "ing"):
        if low.endswith(end) and len(low) >= len(end) + 3:
            stem = low[: -len(end)]
            for s in (stem, stem + "e", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem):
                if len(s) >= 3 and not judge.unknown(s):
                    return True
    return False


def _surname_after(w: str, judge: WordJudge) -> bool:
    """``w`` is a surname's shape after a given name: capitalised (or a ``McKeown``), 4+ letters, no English or clinical
    word, and no body's word (``Heart Association``)."""
    return (len(w) >= 4 and w[:1].isupper() and (w[1:].islower() or _CAMEL_NAME.fullmatch(w) is not None)
            and (judge.unknown(w) or judge.name_only(w)) and not judge.clinical(w) and not _BODY_WORD.fullmatch(w))


def _sentence_start(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\"'(":
        k -= 1
    return k < 0 or text[k] in ".!?:;\n\r•*-"


#: an Arabic or Hebrew article or patronymic glued to a surname ("al-Masri", "el-Amin", "ben-Ami")
_ARTICLE_PREFIX = re.compile(r"(?i:al|el|bin|ibn|abu|ben|ul|ad)[-‐][^\W\d_]")


def _written_as_name(words: list[re.Match[str]], mixed: bool, judge: WordJudge, lone: bool = True) -> bool:
    """In a mixed-case note a name in lower case needs two words that are no English word
    ("voicemail for maren haverbrook", "haverbrook, maren called"): one lower-case unknown word
    is far more often an abbreviation or a misspelling ("for dfe", "with hypotony")."""
    particles = [w for w in words if w.group(0).lower() in _PARTICLE_SET]
    words = [w for w in words if w.group(0).lower() not in _PARTICLE_SET]
    if words and not mixed and len(words) == 1 and not particles:
        w = words[0].group(0)  # a note in one case: a lone word cut short or misspelt is no name ("per nephro", "d/w famly")
        f = _fold(w).lower()
        if lone and len(w) <= 3 and judge.unknown(w):
            return judge.short_name(w)  # (every two- or three-letter string is some word's prefix: "per bui,", "PER VO,")
        return not (judge.unknown(w) and judge.shortened_here(f) and not (len(f) >= 4 and judge.world(f)) and not judge.surname(w))
    if not words or not mixed or words[0].group(0)[:1].isupper():
        return bool(words)
    one = words[0].group(0)
    if len(words) == 1 and (((re.search(r"\w['’]\w", one) or _ARTICLE_PREFIX.match(one)) and judge.unknown(one))
                            or _compound_name(one, judge)):
        return True  # "d'arcy", "o'keeffe", "bell-hill": an abbreviation has no apostrophe inside, nor name words on both sides of a hyphen
    if len(words) == 1 and len(one) >= 4 and judge.surname_ok(one) and (judge.census(_fold(one).lower()) or judge.place_name(one)):
        return True  # "per rutledge,", "called lindstrom", "barraclough arrived": a listed name, not an abbreviation ("per nephro")
    if len(words) == 1 and len(one) >= 5 and judge.surname(one) and judge.surname_ok(one):
        return True  # "interpreter present for muller": a listed surname, no ordinary word
    if lone and len(words) == 1 and len(one) <= 3 and judge.short_name(one):
        return True  # "per vo,", "spoke to bui re:": a short name, no service, role or abbreviation ("per ep", "d/w pcp")
    if lone and len(words) == 1 and len(one) >= 4 and judge.unknown(one) and judge.whole(_fold(one).lower()):
        return True  # "per dunmore,", "d/w quoc": no English word, no word cut short or misspelt ("per nephro", "d/w famly")
    if len(words) == 1 and particles and len(one) >= 3 and judge.surname_ok(one) and (judge.unknown(one) or judge.surname(one)):
        return True  # "ten brink", "di marco": a particle before it
    return (len(words) >= 2 and all((judge.surname_ok(w.group(0)) or _compound_name(w.group(0), judge)) and len(w.group(0)) >= 3
                                    for w in words)
            and any(judge.unknown(w.group(0)) for w in words))  # "spoke with vrinivar banks-bishop"


def _given_after_short(b: str, judge: WordJudge) -> bool:
    """``b`` may be the given name after a short family name: 4+ letters, no English word and no
    word cut short or misspelt."""
    return len(b) >= 4 and judge.surname_ok(b) and judge.unknown(b) and judge.whole(_fold(b).lower())


def _short_then_given(a: str, b: str, judge: WordJudge) -> bool:
    """``a`` a short name (no service, role, unit or abbreviation), ``b`` a given name of 4+ letters
    that is no English word and no word cut short or misspelt."""
    return judge.short_name(a) and _given_after_short(b, judge)


def _short_pair(a: str, b: str, judge: WordJudge) -> bool:
    """``a b`` is a two-letter family name and a given name written alike in lower case ("vo hieu",
    "le thuy"; :func:`_short_then_given`)."""
    return len(a) == 2 and a.islower() and b.islower() and _short_then_given(a, b, judge)


def _weak_short_pair(a: str, b: str, judge: WordJudge) -> bool:
    """After a weak cue ("visit with", "meeting with"): a two- or three-letter family name and a given
    name written alike in any case ("bui ngoc", "LY KHANH", "Vu Thanh"; "visit with ent team" stays:
    :func:`_short_then_given`)."""
    if 2 <= len(a) <= 3 and _same_form(a, b) and judge.surname(a) and judge.capital_slot(a) and a.lower() not in _SERVICE_SHORT \
            and a.lower() not in _NOT_INITIALS and _given_after_short(b, judge):
        return True  # "visit with ngo quyen": a listed short surname that is also a word (NGO), a given name no word is
    return 2 <= len(a) <= 3 and _same_form(a, b) and _short_then_given(a, b, judge)


def _name_pair(text: str, base: int, words: list[re.Match[str]], judge: WordJudge) -> bool:
    """Two words before a person's verb, one no English word and the other no ordinary word,
    neither opening the sentence with a capital that proves nothing: "Grzelak, ignatius",
    "sorensen, druamor"."""
    a, b = words[0].group(0), words[1].group(0)
    if (len(a) == 2 and a.islower() == b.islower() and judge.short_name(a) and len(b) >= 4 and judge.unknown(b)
            and judge.whole(_fold(b).lower()) and not (a[:1].isupper() and _sentence_start(text, base + words[0].start()))):
        return True  # "vo hieu was admitted": a two-letter family name before a given name no word is (deid10)
    if not all(len(w) >= 3 and judge.surname_ok(w) and not (w.isupper() and len(w) <= 5) for w in (a, b)):
        return False
    if not (judge.unknown(a) or judge.unknown(b) or judge.surname(a) or judge.surname(b)):
        return False
    return not (_sentence_start(text, base + words[0].start()) and not judge.unknown(a))


#: words after "first name" / "known as" that are no name
_NOT_A_NAME_AFTER_CUE = frozenset("only unknown listed given provided preferred legal same different changed withheld spelled spelling "
                                  "on of is was and or but in at to for with the a an not".split())


def _named_word(w: str, judge: WordJudge) -> bool:
    """The word right after "the first name", "goes by", "known as": a name whatever else it is
    ("Ace", "angel", "thị"), unless a function word or a word about the name ("only", "unknown")."""
    low = w.lower()
    return (len(w) >= 2 and low not in _NOT_A_NAME_AFTER_CUE and low not in _NOT_INITIALS
            and (judge.surname_ok(w) or judge.given_slot(w) or judge.surname(w) or judge.given(w)
                 or judge.world(_fold(w).lower()) or (len(w) <= 4 and judge.clinical(w))))


# a label naming a part of a person's name: "Last name:<tab>stone", "first name | grace", "Maiden name - Ashby",
# "PT. FIRST NAME .... WILL", "Name (last, first): CROSS, Hope", "Last/First: stone/ivy", "patient's first name is iris";
# it opens a line or a cell (after a tab, "|", ";" or a run of blanks), or follows a possessive or "and" in prose
_NAME_PART_LABEL = r"(?:(?:first|given|last|family|middle|maiden|birth|full|nick|preferred|legal)(?:[ \t]*|[ \t]*\r?\n[ \t]*)names?|surnames?|forenames?)"
_BOTH_LABEL = (r"(?:name[ \t]*\([ \t]*(?:last|surname)[ \t]*[,/][ \t]*first(?:[ \t]*[,/]?[ \t]*(?:middle|mi|m\.?i\.?))?[ \t]*\)"
               r"|(?:last|surname)[ \t]*[,/][ \t]*first(?:[ \t]*[,/][ \t]*(?:middle|mi))?(?:[ \t]*names?)?)")
_NAME_PART_FIELD = re.compile(
    r"(?im)(?:(?:^|(?<=[\t|;])|(?<=[ ]{2}))[ \t]*|(?<![\w'’-])(?:and|her|his|their|the|whose|patient['’]s|pt['’]s)[ \t]+)"
    r"(?:(?:patient['’]?s?|pt\.?|legal|preferred|mother['’]?s)[ \t]+)?"
    rf"(?:(?P<both>{_BOTH_LABEL})|{_NAME_PART_LABEL})"
    r"(?P<sep>[ \t]*[:=#|][ \t]*(?:\r?\n[ \t]*)?|[ \t]*\.{2,}[ \t]*|[ \t]+-[ \t]+|[ ]*\t[ \t]*"
    r"|[ \t]+(?:is|was)(?:[ \t]+|[ \t]*\r?\n[ \t]*)|[ ]+|[ \t]*\r?\n[ \t]*)"
    rf"(?P<n>{_W})(?=(?P<rest>(?:(?:[ ]+|[ \t]*[,/][ \t]*){_W}){{0,2}}))")
#: words that end a name part's value or are none: another field's label, a word about the name
_FIELD_WORDS = frozenset("first given last family middle maiden full name names surname forename dob mrn sex gender age date "
                         "birth phone address id none unk unknown pending declined withheld redacted verified confirmed "
                         "misspelled misspelt spelled correct incorrect blank empty".split()) | _NOT_A_NAME_AFTER_CUE


def name_part_fields(text: str, judge: WordJudge) -> list[_Hit]:
    """The value of a field whose label names a part of a person's name (:data:`_NAME_PART_FIELD`):
    a name whatever its first word is, in any case ("Last name:<tab>stone", "FIRST NAME: SKY" ), as
    after "the first name" in prose; a second or third word that is a name word or a particle (or,
    after "Name (last, first)" / "Last/First", the part after the comma or slash). A word about the
    name ("unknown", "same"), another field's label ("Last name<tab>First name", a table's header)
    ends it. After a blank alone or "is" / "was" the name must end its field or clause ("first name
    grace"; not "first name basis with the team", "his last name was misspelled in the chart")."""
    out: list[_Hit] = []
    for m in _NAME_PART_FIELD.finditer(text):
        both = m.group("both") is not None
        words = [(m.start("n"), m.end("n"))]
        base = m.end("n")
        words += [(base + w.start(), base + w.end()) for w in re.finditer(_W, m.group("rest"))]
        keep: list[tuple[int, int]] = []
        for a, b in words:
            word, low = text[a:b], text[a:b].lower()
            gap = text[keep[-1][1]:a] if keep else ""
            joined = bool(re.search(r"[,/]", gap))
            if low in _FIELD_WORDS or len(word) < 2 or (joined and not both):
                break
            if keep and not (joined or _named_word(word, judge) or low in _PARTICLE_SET):
                break
            keep.append((a, b))
        while keep and text[keep[-1][0]:keep[-1][1]].lower() in _PARTICLE_SET:
            keep.pop()  # ("de" last: the word after it ended the name)
        if not keep:
            continue
        sep = m.group("sep").strip(" \t\r\n").lower()  # (a hard wrap after the label is a blank)
        if sep in ("", "is", "was") and not re.match(r"[ \t]*(?:[\t|;,.)]|and\b|\r?\n|\Z)", text[keep[-1][1]:], re.I):
            continue  # after a blank alone or "is" the name ends its field or clause
        out.append(_Hit("NAME", keep[0][0], keep[-1][1], 0.55, f"{ids.NAME_SLOTS}:name_part"))
    return out


#: no printer, fax or mail client fills lines narrower than this
_MIN_FILL = 40


def _wrapped_onto(text: str, at: int, length: int) -> bool:
    """The word of ``length`` letters at ``at``, first on its line, may continue the cue's name
    from the line before: its line is no table row (a tab), and either the line before could not
    hold it within a fill of 40 columns (a hard wrap) or the name's line ends with the word, a
    comma or a credential (a signature: "Dictated by Maren\nWhitlock MD"). "cc: vo" above
    "seq name dx bed" (a table's header whose tabs a view read as blanks) is neither."""
    from .postprocess import CREDENTIALS

    eol = text.find("\n", at)
    line = text[at:len(text) if eol < 0 else eol].rstrip("\r \t")
    rest = line[length:].strip(" \t.")
    if not rest or rest.startswith(",") or rest.lower().split()[0].rstrip(",.") in CREDENTIALS:
        return True  # the name alone on its line, or with its credential ("Whitlock,<tab>MD")
    if "\t" in line:
        return False
    prev_end = text.rfind("\n", 0, at)
    prev = text[text.rfind("\n", 0, prev_end) + 1:prev_end].rstrip("\r \t")
    return len(prev) + 1 + length > _MIN_FILL


def _cue_matches(text: str) -> list[re.Match[str]]:
    """The matches of ``_BEFORE_RX``, a cue inside the words after another cue included: the
    search goes on right after each cue, not after the words it took ("cc: Conceicao Loveridge\n
    message left for ngo loan": "message left for" is a cue of its own, although the words after
    ``cc:`` ran over the line break onto it)."""
    out: list[re.Match[str]] = []
    pos = 0
    while (m := _BEFORE_RX.search(text, pos)) is not None:
        out.append(m)
        pos = max(m.start("n"), m.start() + 1)
    return out


def slot_names(text: str, judge: WordJudge) -> list[_Hit]:
    """Names at a slot only a person takes (module docstring)."""
    mixed, caps = _note_case(text)
    out: list[_Hit] = []

    def known(w: str) -> bool:  # a listed surname, or a double surname of name words ("Bell-Hill")
        return judge.surname(w) or _compound_name(w, judge)

    def listed_here(w: str, pos: int, at_start: bool, lower_ok: bool = False, surname_too: bool = False) -> bool:
        """A listed name that is also an English word ("Loan", "Ngo", "Hope"), written as a name
        is in this note: capitalised in a mixed-case note (also opening a sentence: the verb or
        the relation after it is the evidence), or in lower case where the line is (a lower-case
        sentence start, or ``lower_ok``); as written in a note of one case. A listed surname
        alone counts only capitalised in the middle of a mixed-case sentence, or (``surname_too``)
        beside a listed given name: the list is mostly nouns ("stone", "mass", "study")."""
        if _AGE_NOUN_BEFORE.search(text, max(0, pos - 30), pos):
            return False  # "a 64-year-old man was admitted": the noun an age describes
        title_mid = mixed and w[:1].isupper() and w[1:].islower() and not at_start
        if not judge.listed(w, surname=title_mid or surname_too):
            return False  # (a listed surname alone only capitalised mid-sentence, or beside a listed given name)
        if not mixed:
            return w.isupper() if caps else w.islower()
        return (w[:1].isupper() and w[1:].islower()) or (w.islower() and (at_start or lower_ok))

    def ok(w: str, strong: bool, at_start: bool) -> bool:
        if at_start and mixed and not (judge.unknown(w) or known(w)):
            return False  # a capitalised noun opening a sentence is only a capitalised noun (a known name is more)
        return judge.name_word(w, strong=strong, mixed=mixed, caps_note=caps)

    for m in [*_cue_matches(text), *_NAME_CUE_RX.finditer(text)]:
        strong = m.group("s") is not None
        words = list(re.finditer(_W, m.group("n")))
        if m.re is _NAME_CUE_RX and words and _named_word(words[0].group(0), judge):
            base = m.start("n")  # "goes by the first name Ace", "by the first name thị": whatever the word is
            out.append(_Hit("NAME", base + words[0].start(), base + words[0].end(), 0.55, f"{ids.NAME_SLOTS}:name_slot"))
            continue
        keep: list[re.Match[str]] = []
        pending: list[re.Match[str]] = []
        relation = m.re is _BEFORE_RX and _RELATION_OF.search(m.group("s") or "") is not None
        by_list = False
        # two listed names written alike in lower case after a person's cue: "message left for ngo loan" (deid10)
        pair = (strong and mixed and len(words) >= 2 and words[0].group(0).islower() and words[1].group(0).islower()
                and all(judge.listed(x.group(0)) and len(x.group(0)) >= 3 for x in words[:2])
                and any(judge.listed(x.group(0), surname=False) or judge.world(_fold(x.group(0)).lower()) for x in words[:2]))
        if (strong and mixed and len(words) >= 2 and _short_pair(words[0].group(0), words[1].group(0), judge)
                and "\n" not in m.group("n")[words[0].end():words[1].start()]):
            keep, by_list = words[:2], True  # "message left for vo hieu": a two-letter family name before a given name no word is (deid14)
            words = []
        cue_end = m.end("s") if m.group("s") is not None else m.end("wk") if m.group("wk") is not None else m.start("n")

        first = m.start("n") + words[0].start() if words else -1

        def starts(pos: int, first: int = first, cue_end: int = cue_end) -> bool:
            """``pos`` opens a sentence; the first word after a cue that ends its line with no mark is the cue's
            hard wrap, no sentence's start ("(proxy for\\nPeregrine Huxtable)"; spent held-out seed 1117)."""
            return _sentence_start(text, pos) and not (pos == first and _CUE_WRAP.fullmatch(text, cue_end, pos))

        for k, w in enumerate(words):
            word = w.group(0)
            if "\n" in m.group("n")[:w.start()] and not _wrapped_onto(text, m.start("n") + w.start(), w.end() - w.start()):
                break  # the next line is no hard wrap of the cue's words ("cc: BUI" / "SEQ<tab>NAME") (deid14)
            if word.lower() in _PARTICLE_SET and w is not words[-1]:
                pending.append(w)  # "to di Marco", "with Thaddeus de la Cruz": particles before a surname
                continue
            if (strong and not keep and not pending and len(words) >= 1
                    and listed_here(word, m.start("n") + w.start(), False,
                                    lower_ok=(relation and (m.group("s") or "").islower()) or (pair and w is words[0]),
                                    surname_too=pair and w is words[0])
                    and (relation or not mixed or not starts(m.start("n") + w.start()))):
                keep.append(w)  # "The wife of Loan called", "the wife of loan called", "Message left for Hope": a listed name
                by_list = True
                continue
            if keep and listed_here(word, m.start("n") + w.start(), False, lower_ok=relation or pair, surname_too=True) and _same_form(
                    word, keep[-1].group(0)):
                keep.append(w)  # "Message left for Ngo Loan", "MESSAGE LEFT FOR NGO LOAN": the next listed word, written alike
                continue
            if (strong and mixed and not keep and not pending and len(word) == 2 and word[0].isupper() and word[1].islower()
                    and w is not words[-1] and judge.capital_slot(word)):
                pending.append(w)  # "Message left for Vo Hieu": a two-letter given name, kept only with the name after it
                continue
            if (mixed and not keep and not pending and w is not words[-1] and len(word) >= 3
                    and word[:1].isupper() and word[1:].islower() and not starts(m.start("n") + w.start())
                    and judge.capital_slot(word) and not judge.adverb(word) and not judge.clinical(word)
                    and (not strong or not judge.name_word(word, strong=True, mixed=mixed, caps_note=caps))
                    and (strong or not (judge.unknown(word) or judge.name_only(word)))):
                after = words[k + 1]
                a = after.group(0)
                # (after a weak cue only before a word English writes only as a name: "Appointment with Oriel DeVries";
                # spent held-out seed 1091)
                if ((a[:1].isupper() and (a[1:].islower() or _CAMEL_NAME.fullmatch(a) is not None))
                        and (strong or judge.name_only(a)) and not _BODY_WORD.fullmatch(a)
                        and "\n" not in m.group("n")[w.end():after.start()]):
                    pending.append(w)  # "Spoke with Peregrine Moramor", "proxy for Hunter Strachan": an English word as a
                    continue  # given name, kept only with the surname after it (canx17)
            if (strong and mixed and not keep and not pending and w is not words[-1] and len(word) >= 3
                    and word[:1].isupper() and word[1:].islower() and not starts(m.start("n") + w.start())
                    and judge.capital_slot(word) and not judge.adverb(word) and not _verb_form(word, judge)
                    and _surname_after(words[k + 1].group(0), judge)
                    and m.group("n")[w.end():words[k + 1].start()] == " "):
                # "Message left for Ace Barraclough", "spoke with Iris Quarrington": a clinical or English word as a
                # given name before a surname no English word is, capitalised mid-sentence after a person's cue (dev
                # seed 1123)
                keep = [w, words[k + 1]]
                by_list = True
                break
            if (strong and not keep and not pending and w is not words[-1] and len((m.group("s") or "").split()) >= 2
                    and _english_given_before(word, words[k + 1].group(0), judge, mixed)
                    and "\n" not in m.group("n")[w.end():words[k + 1].start()]):
                # "PORTAL MESSAGE FROM PEREGRINE QUENN", "spoke with hunter quenn": the same in one case, kept with
                # the surname after it, which the test read (eighteenth session)
                keep = [w, words[k + 1]]
                by_list = True
                break
            folded = _fold(word).lower()
            nxt = words[k + 1] if k + 1 < len(words) else None
            if (not strong and not keep and not pending and nxt is not None and _weak_short_pair(word, nxt.group(0), judge)
                    and "\n" not in m.group("n")[w.end():nxt.start()]):
                keep = [w, nxt]  # "visit with bui ngoc", "MEETING WITH LY KHANH": a short family name, a given name (deid15)
                by_list = True
                break
            # "meeting with devries", "visit with ferreira-lund": a listed surname no ordinary word is (deid15)
            listed = (not strong and (judge.surname(word) or _compound_name(word, judge)) and len(word) >= 4
                      and judge.surname_ok(word) and judge.whole(folded) and not judge.clinical(word))
            # (a word capitalised mid-sentence in a mixed-case note is no lower-case word misspelt: "Appointment with
            # Morael moved", although "morael" is one letter from "moral"; eighteenth session)
            title_here = (mixed and word[:1].isupper() and word[1:].islower()
                          and not starts(m.start("n") + w.start()))
            # a listed given name capitalised mid-sentence in a mixed-case note after a weak cue, although it is an English
            # word: "Video visit with Grace completed", "ride home arranged for Hope" (nineteenth session; no clinical
            # word, adverb, month or modal: "appointment with Will" and "visit for May" stay)
            if not strong and not listed and title_here and judge.listed(word, surname=False):
                listed = True
            if not strong and not listed and (not (judge.unknown(word) or judge.name_only(word)) or len(word) < 4 or "-" in word
                                              or (judge.shortened_here(folded) and not title_here)):
                if (k == 0 and not keep and not pending and nxt is not None and m.group("n")[w.end():nxt.start()] == " "
                        and _weak_surname(nxt.group(0), judge)):
                    # "appointment with oriel devries": an English word before a surname a weak cue takes; the surname
                    # is judged alone, the word before it by the meeting's rule (engine._given_after_cue; dev seed 1289)
                    continue
                break  # (a short, hyphenated or shortened word after a weak cue is as often an abbreviation: "visit for yag")
            if mixed and keep and word[:1].islower() != keep[0].group(0)[:1].islower():
                break  # "Okafor today": a name is written in one case
            if not listed and not ok(word, strong, False):
                break
            keep.extend(pending)
            pending = []
            keep.append(w)
        if keep and not by_list and not _written_as_name(keep, mixed, judge):
            # a name that ends the cue's line is no hard wrap when the words joined from the next line spoil it
            # ("cc: vo" above a table's "seq<tab>name" header): judge the words of the cue's line alone (deid14)
            first_line = [w for w in keep if "\n" not in m.group("n")[:w.start()]]
            keep = first_line if 0 < len(first_line) < len(keep) and _written_as_name(first_line, mixed, judge) else []
        service = keep and _SERVICE_AFTER.match(text, m.start("n") + keep[-1].end()) is not None
        if (keep and mixed and (_BODY_AFTER.match(text, m.start("n") + keep[-1].start()) or service)
                and (not any(judge.unknown(x.group(0)) or judge.name_only(x.group(0)) for x in keep)
                     or (service and len(keep) == 1 and _ADJECTIVE_END.search(keep[0].group(0)) is not None))):
            # "Per American Academy of Pediatrics", "discussed with American Heart Association": a body's name;
            # "Discussed with Interventional Radiology": a service's (English words only: "Quarrington Cardiology" stays)
            keep = []
        if keep:
            base = m.start("n")
            out.append(_Hit("NAME", base + keep[0].start(), base + keep[-1].end(), 0.55, f"{ids.NAME_SLOTS}:name_slot"))
    for m in _OWNER_RX.finditer(text):  # "Otieno's daughter will visit": a person's relative
        owner = m.group("n")
        whole = _WHOLE.match(owner)
        at_start = _sentence_start(text, m.start("n"))
        if whole and ((ok(owner, True, at_start) and _written_as_name([whole], mixed, judge))
                      or (listed_here(owner, m.start("n"), at_start) and not _NOUN_BEFORE.search(text, max(0, m.start("n") - 40), m.start("n")))):
            out.append(_Hit("NAME", m.start("n"), m.end("n"), 0.55, f"{ids.NAME_SLOTS}:name_slot"))  # ("Loan's daughter")
    for m in _AT_RX.finditer(text):
        if ok(m.group("n"), True, False):
            out.append(_Hit("NAME", m.start("n"), m.end("n"), 0.55, f"{ids.NAME_SLOTS}:name_slot"))
    for m in _AFTER_RX.finditer(text):
        verb = " ".join(m.group("s").lower().split())
        if verb.startswith("seen "):
            verb = "was seen"  # the shorthand "X seen in follow-up" as "X was seen in follow-up": a thing's verb too
        words = list(re.finditer(_W, m.group("n")))
        keep = []
        by_list = False
        thing_verb = verb in _THING_VERBS
        for w in reversed(words):
            word = w.group(0)
            if keep and word.lower() in _PARTICLE_SET:
                keep.append(w)  # "ten Brink agrees"
                continue
            at_start = _sentence_start(text, m.start("n") + w.start())
            if (not thing_verb and listed_here(word, m.start("n") + w.start(), at_start, surname_too=by_list)
                    and not (keep and word[:1].isupper() != keep[0].group(0)[:1].isupper())):
                keep.append(w)  # "Loan verbalized understanding", "Ngo Loan was admitted": a person's verb after a listed name
                by_list = True
                continue
            if thing_verb and not (judge.unknown(word) or known(word)):
                break
            if not mixed and not (judge.unknown(word) or known(word)):
                break
            if thing_verb and at_start and len(words) == 1 and not (len(word) >= 4 and judge.unknown(word)
                                                                    and judge.census(_fold(word).lower())):
                break  # "Appt notes at time of scheduling": an abbreviation opening a line (a listed surname is none)
            if mixed and keep and word[:1].islower() != keep[0].group(0)[:1].islower():
                break
            if not ok(word, True, at_start):
                break
            keep.append(w)
        if len(words) == 2 and len(keep) < 2 and _name_pair(text, m.start("n"), words, judge):
            keep = list(reversed(words))  # "Grzelak, ignatius called": a surname and a given name
        elif (len(words) == 2 and len(keep) < 2 and "," not in m.group("n")
              and all(listed_here(w.group(0), m.start("n") + w.start(), True, surname_too=True)
                      or (judge.unknown(w.group(0)) and judge.surname_ok(w.group(0))) for w in words)
              and any(listed_here(w.group(0), m.start("n") + w.start(), True) for w in words) and _same_form(words[0].group(0), words[1].group(0))):
            keep, by_list = list(reversed(words)), True  # "Ngo Loan arrived late": two listed names, a verb a thing does too
        if keep and not by_list and not _written_as_name(keep, mixed, judge, lone=verb not in _THING_VERBS):
            keep = []  # (one lower-case word before a verb a thing does too needs a list: "acrodermatitis enteropathica presents")
        if not keep and len(words) == 2 and _name_pair(text, m.start("n"), words, judge):
            keep = list(reversed(words))  # "vo hieu was admitted": both words kept one by one, but as a pair they are a name
        if keep and _NOUN_BEFORE.search(text, max(0, m.start("n") + keep[-1].start() - 40), m.start("n") + keep[-1].start()):
            keep = []  # "The proband is a 19-year-old": a noun after a determiner
        if keep:
            prev = _PREV_WORD.search(text, max(0, m.start("n") + keep[-1].start() - 40), m.start("n") + keep[-1].start())
            if (prev and len(prev.group(1)) >= 5 and judge.clinical(prev.group(1)) and not judge.unknown(prev.group(1))
                    and prev.group(1).lower() not in _PERSON_BEFORE):  # (a short one may be a given name: "ace barraclough")
                keep = []  # "Acrodermatitis enteropathica presents": the second word of a clinical term
        if keep:
            base = m.start("n")
            out.append(_Hit("NAME", base + keep[-1].start(), base + keep[0].end(), 0.55, f"{ids.NAME_SLOTS}:name_slot"))
    return out


#: a capitalised surname with a second capital after a short prefix: "McAllister", "DeLaurentis", "O'Connor", "LaFleur"
#: a body's word: an English word before it names an organisation, no person ("Per American Academy of Pediatrics")
_BODY_WORD = re.compile(r"(?i:academy|association|society|college|institute|foundation|council|board|committee|department|"
                        r"university|school|hospital|clinic|center|centre|agency|bureau|federation|alliance|league|network|"
                        r"consortium|coalition|union|services|company|corporation|guild|registry|task[ -]force)")
#: a capitalised run that ends with a body's word (from the kept name's last word on)
_BODY_AFTER = re.compile(rf"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){{0,3}}?[ \t]+{_BODY_WORD.pattern}(?![\w'’-])|{_BODY_WORD.pattern}(?![\w'’-])")
#: a service's capitalised word right after the kept words ("Interventional Radiology", "Acute Care Surgery")
_SERVICE_AFTER = re.compile(r"(?:[ \t]+[A-Z][a-z]+){0,2}[ \t]+(?:[A-Z][a-z]*(?:ology|iatry|iatrics|ics)|Surgery|Medicine|Service|"
                            r"Services|Team|Clinic|Unit|Nursing|Pharmacy|Care|Therapy|Rehab|Rehabilitation)(?![\w'’-])")
#: an adjective's ending (a service's first word: "Interventional", "Pediatric", "Respiratory")
_ADJECTIVE_END = re.compile(r"(?:al|ive|ic|ary|ory|ous|ar)$")
_CAMEL_NAME = re.compile(r"[A-Z][a-z]{0,3}['’]?[A-Z][a-z]{2,}")


def _english_given_before(a: str, b: str, judge: WordJudge, mixed: bool) -> bool:
    """After a strong cue of two words or more (``spoke with``, ``message from``: one-word cues such as ``per``,
    ``call``, ``page`` take a plan or a service as often, "per guidelines recheck"), ``a`` is an English word standing as a given name before ``b``, a surname
    no English word is, both written in one case (``peregrine quenn``, ``HUNTER QUENN``): ``a`` no
    clinical, function, person or adverb word; ``b`` 4+ letters, no word cut short or misspelt, or a
    listed surname that is no word. In a mixed-case note only in lower case (capitalised, the case
    of the two words is the evidence: the branch before)."""
    if not (a.isupper() and b.isupper() or a.islower() and b.islower()) or (mixed and not a.islower()):
        return False
    low = a.lower()
    if len(a) < 3 or not judge.capital_slot(a) or judge.adverb(a) or low in _NOT_INITIALS or low in _SERVICE_SHORT:
        return False
    if judge.clinical(a) and not (len(a) <= 4 and judge.given_slot(a)):
        return False  # (a short term that is also a given name, as given_before_names reads it: "spoke with asa rutledge")
    fb = _fold(b).lower()
    if len(b) < 4 or judge.clinical(b):
        return False
    if judge.surname(b) and judge.capital_word(b):
        return True  # a listed surname English writes capitalised far more often than not ("MESSAGE FROM PEREGRINE FARROW")
    return judge.surname_ok(b) and ((judge.unknown(b) and judge.whole(fb) and not judge.shortened(fb)) or judge.census(fb) or judge.place_name(b))


def _same_form(a: str, b: str) -> bool:
    """``a`` and ``b`` are written alike: both capitalised (a surname's inner capital after a short
    prefix included: "DeLaurentis", "McAllister"), both in capitals or both in lower case."""
    def form(w: str) -> str:
        if w.isupper():
            return "upper"
        if w.islower():
            return "lower"
        return "title" if (w[:1].isupper() and w[1:].islower()) or _CAMEL_NAME.fullmatch(w) else "other"
    return form(a) == form(b) != "other"


#: an age before a noun: "a 64-year-old man", "70 y/o female" (the noun is no name)
_AGE_NOUN_BEFORE = re.compile(r"(?i:(?:year|yr|month|week|day)s?[ -]old|\d[ \t]*(?:y/?o|yo|y\.o\.))[ \t]+\Z")

#: "wife of", "family of", "daughter of": a person's name follows
_RELATION_OF = re.compile(r"(?i:wife|husband|spouse|partner|son|daughter|mother|father|sister|brother|parents?|guardian|"
                          r"caregiver|friend|niece|nephew|family)[ \t]+of\Z")

#: words for a person before a name ("Patient Khai tolerated"): no clinical term's first word
_PERSON_BEFORE = frozenset("patient pt pts client resident member veteran infant baby child mr mrs ms mx dr".split())
_NOUN_BEFORE = re.compile(r"(?<![\w'’-])(?i:the|a|an|this|that|these|those|our|his|her|their|its|my|your|each|every|no|any|other|another|some|such|both|either|neither)[ \t]+\Z")
_PREV_WORD = re.compile(r"([^\W\d_]+)[ \t]+\Z")


def roster_names(text: str, hits: list[_Hit], judge: WordJudge) -> list[_Hit]:
    """Names of a roster: ``Name - role`` / ``Name: shift`` items (lines or ``;``-joined) and
    ``A / B / C`` lists, when at least half the items hold a word that is no English word or a
    name found already."""
    mixed, caps = _note_case(text)
    named = [(h.start, h.end) for h in hits if h.label == "NAME"]

    def found(a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in named)

    groups: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    pos = 0
    # an item that a hard wrap cut after its separator reads as one line ("Haverbrook:\nnights")
    joined = _WRAPPED_ITEM.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text)
    joined = _WRAPPED_SLASH.sub(lambda m: (m.group(1) or "") + " " * (len(m.group(0)) - len(m.group(1) or "")), joined)
    for line in joined.split("\n"):
        items: list[tuple[int, int]] = []
        off = 0
        for part in line.split(";"):
            m = _ROSTER_ITEM.match(part.rstrip("\r"))
            if m and re.search(r"[ \t][-–][ \t]", m.group("r")):
                m = None  # "On call: Okafor - cardiology": the first separator closed a label
            skip = 0
            if m is None and not off:  # "Roster: Okafor: days; ...": a label before the first item
                lab = _LEADING_LABEL.match(part)
                if lab:
                    skip = lab.end()
                    m = _ROSTER_ITEM.match(part[skip:].rstrip("\r"))
            if m and len(m.group("r").split()) <= 3:
                items.append((pos + off + skip + m.start("n"), pos + off + skip + m.end("n")))
            elif part.strip():
                items = []
                break
            off += len(part) + 1
        if items:
            cur.extend(items)
        else:
            if len(cur) >= 2:
                groups.append(cur)
            cur = []
        for s in _SLASH_LIST.finditer(line):
            base = pos + s.start("items")
            groups.append([(base + w.start(), base + w.end()) for w in re.finditer(_W, s.group("items"))])
        pos += len(line) + 1
    if len(cur) >= 2:
        groups.append(cur)
    out: list[_Hit] = []
    for g in groups:
        words = [list(re.finditer(_W, text[a:b])) for a, b in g]
        evidence = sum(1 for (a, b), ws in zip(g, words) if found(a, b) or any((judge.unknown(w.group(0)) or judge.surname(w.group(0))) and len(w.group(0)) >= 3
                                                                             and judge.surname_ok(w.group(0)) for w in ws))
        if evidence < 2 or evidence * 2 < len(g):
            continue
        for (a, b), ws in zip(g, words):
            if all(judge.surname_ok(w.group(0)) and len(w.group(0)) >= 3 and not (mixed and w.group(0).isupper() and len(w.group(0)) <= 5)
                   for w in ws):
                out.append(_Hit("NAME", a, b, 0.5, f"{ids.NAME_SLOTS}:roster"))
    return out


def _spelled_out(text: str, initial: str, word: str, judge: WordJudge) -> bool:
    """Whether the note writes ``word`` after a full word starting with ``initial`` that is no
    name ("Helicobacter cinaedi" ... "H. cinaedi", "Escherichia coli" ... "E. coli")."""
    rx = re.compile(rf"(?<![\w'’-])(?P<g>{re.escape(initial)}[^\W\d_]{{2,}})[ \t]+{re.escape(word)}(?![\w'’-])", re.I)
    return any(not (judge.unknown(g.group("g")) or judge.surname(g.group("g"))) for g in rx.finditer(text))


_ORGANISM_AFTER = (r"(?:bacter(?:a)?emia|fungemia|infections?|sepsis|isolates?|strains?|species|colonies|endocarditis|meningitis|"
                   r"pneumonia|osteomyelitis|bacilli|cocci|rods|was[ \t]+(?:isolated|identified|cultured|grown)|grew|growth)")
_ORGANISM_BEFORE = (r"(?:isolated|identification[ \t]+of|identified[ \t]+as|grew|growing|growth[ \t]+of|cultures?[ \t]+of|"
                    r"strains?[ \t]+of|species[ \t]+of|infection[ \t]+(?:with|by)|infected[ \t]+with|colonized[ \t]+with)")


def _species_named(text: str, initial: str, word: str) -> bool:
    """Whether the note names ``initial. word`` as an organism at least once ("h. cinaedi
    bacteremia", "identification of h. cinaedi", "e. faecium was isolated"): a genus
    abbreviated, then, wherever the pair is written in that note."""
    pair = rf"(?<![\w'’-]){re.escape(initial)}\.{_GAP}{re.escape(word)}(?![\w'’-])"
    return bool(re.search(rf"{pair}[ \t,]*(?:\([^)\n]{{0,20}}\)[ \t]*)?{_ORGANISM_AFTER}(?![\w-])", text, re.I)
                or re.search(rf"(?<![\w-]){_ORGANISM_BEFORE}{_GAP}(?:[^\W\d_]+{_GAP})?{pair}", text, re.I))


def wrapped_names(text: str, hits: list[_Hit], judge: WordJudge) -> list[_Hit]:
    """``F. Last`` and ``First L.`` with blanks or a hard wrap between the parts, the name
    word possible at a strong cue (an initial is one)."""
    mixed, caps = _note_case(text)
    out: list[_Hit] = []
    for m in _INITIAL_THEN_NAME.finditer(text):
        i, w = m.group("i"), m.group("w")
        if mixed and not (i.isupper() and w[:1].isupper()):
            continue
        if not judge.unknown(w) and not _CUE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "Vitamin D. Protein C", "Type A. Echo": a letter closing a term, then a sentence
        if _spelled_out(text, i, w, judge) or _species_named(text, i, w):
            continue  # "h. cinaedi" after "helicobacter cinaedi" or in "h. cinaedi bacteremia": a genus abbreviated
        if judge.name_word(w, strong=True, mixed=mixed, caps_note=caps):
            out.append(_Hit("NAME", m.start("i"), m.end("w"), 0.5, f"{ids.NAME_SLOTS}:initial"))
    for m in _NAME_THEN_INITIAL.finditer(text):
        i, w = m.group("i"), m.group("w")
        if mixed and not (i.isupper() and w[:1].isupper() and not w.isupper()):
            continue
        if not mixed and not judge.unknown(w):
            continue
        if _sentence_start(text, m.start("w")) and not judge.unknown(w):
            continue
        if judge.name_word(w, strong=True, mixed=mixed, caps_note=caps):
            out.append(_Hit("NAME", m.start("w"), m.end("i") + 1, 0.5, f"{ids.NAME_SLOTS}:initial"))
    # a detected name followed by an initial on the next line: "[Gwynael]\nC."
    for h in hits:
        if h.label == "NAME":
            nxt = _INITIAL_NEXT_LINE.match(text, h.end)
            if nxt:
                out.append(_Hit("NAME", h.start, nxt.end(), 0.5, f"{ids.NAME_SLOTS}:initial"))
    return out


_WORD_PREFIX = re.compile(r"(?i)(?:re|un|pre|post|non|dis|mis|over|under|out|co|de|sub|inter|self|anti)-?(?P<rest>[^\W\d_]{4,})")


def _prefixed_word(w: str, judge: WordJudge) -> bool:
    """``w`` is a known word after a prefix ("reapply", "preop", "nonadherent"): a word, no name or place."""
    m = _WORD_PREFIX.fullmatch(w)
    return m is not None and not judge.unknown(m.group("rest"))


def place_slots(text: str, judge: WordJudge) -> list[_Hit]:
    """A town after "lives in", "moved to", "transferred from" ...: words that are no English
    word, or capitalised in a mixed-case note and possible place words."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in _PLACE_SLOT.finditer(text):
        words = list(re.finditer(_W, m.group("n")))
        keep = []
        for w in words:
            word = w.group(0)
            if mixed and not word[:1].isupper():
                break
            if not (judge.unknown(word) or judge.place_ok(word) or re.fullmatch(_PLACE_SUFFIX, word, re.I)
                    or _PREFIX_BEFORE.match(word + " ")):
                break
            if judge.unknown(word) and _prefixed_word(word, judge):
                break  # "social work to reapply", "moved to preop": a known word after a prefix, no town (dev seed 1129)
            keep.append(w)
        suffixed = [k for k in range(1, len(keep)) if re.fullmatch(_PLACE_SUFFIX, keep[k].group(0), re.I)
                    and judge.place_ok(keep[k - 1].group(0))]
        if not suffixed and len(keep) >= 2 and _PREFIX_BEFORE.match(keep[0].group(0) + " ") and judge.place_ok(keep[1].group(0)):
            suffixed = [1]  # "port kestrel", "north\nmarlowe": a place prefix and a place word, a town in any case
        if not suffixed and len(keep) == 1 and len(words) >= 3 and words[1].group(0).lower() in ("on", "upon") \
                and judge.place_ok(keep[0].group(0)) and judge.place_ok(words[2].group(0)) \
                and words[2].group(0).lower() not in _NOT_AFTER_ON \
                and (not mixed or words[2].group(0)[:1].isupper()):
            keep, suffixed = words[:3], [2]  # "thistledown\non tyne": a place word, "on" and a name word
        if suffixed:  # "kestrel harbor", "thistledown falls": a town in any case
            keep = keep[:suffixed[0] + 1]
            base = m.start("n")
            out.append(_Hit("LOCATION", base + keep[0].start(), base + keep[-1].end(), 0.5, f"{ids.PLACE_NEIGHBOURS}:place_slot"))
            continue
        while keep and not (judge.unknown(keep[-1].group(0)) or (mixed and judge.place_ok(keep[-1].group(0)))
                            or judge.place_name(keep[-1].group(0)) or re.fullmatch(_PLACE_SUFFIX, keep[-1].group(0), re.I)):
            keep.pop()
        if keep and any(judge.unknown(w.group(0)) or (mixed and judge.place_ok(w.group(0))) or judge.place_name(w.group(0)) for w in keep):
            base = m.start("n")
            out.append(_Hit("LOCATION", base + keep[0].start(), base + keep[-1].end(), 0.5, f"{ids.PLACE_NEIGHBOURS}:place_slot"))
    return out


def extend_places(text: str, hits: list[_Hit], judge: WordJudge | None = None) -> list[_Hit]:
    """A detected place continued across blanks or a hard wrap by a place word: "[Thistledown]\\n
    Falls", "Port\\n[Ashcombe]"."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for h in hits:
        if h.label != "LOCATION":
            continue
        m = _SUFFIX_AFTER.match(text, h.end)
        if m and (not mixed or m.group("w")[:1].isupper()):
            out.append(_Hit("LOCATION", h.start, m.end("w"), 0.5, f"{ids.PLACE_NEIGHBOURS}:place_word"))
        u = _UPON_AFTER.match(text, h.end)  # "[Newcastle] upon Tyne", "[Kestrel] on Tyne"
        if u is None and _ENDS_UPON.search(text, h.start, h.end):
            u = _WORD_AFTER.match(text, h.end)  # the model took "on" and stopped: "[kestrel on] tyne"
        if u and judge is not None and (not mixed or u.group("w")[:1].isupper()) and judge.place_ok(u.group("w")):
            out.append(_Hit("LOCATION", h.start, u.end("w"), 0.5, f"{ids.PLACE_NEIGHBOURS}:place_word"))
        b = _PREFIX_BEFORE.search(text, max(0, h.start - 12), h.start)
        if b and b.group("w")[:1].isupper() == text[h.start:h.start + 1].isupper() and (mixed is False or b.group("w")[:1].isupper()):
            out.append(_Hit("LOCATION", b.start("w"), h.end, 0.5, f"{ids.PLACE_NEIGHBOURS}:place_word"))
    return out


def label_names(text: str, judge: WordJudge) -> list[_Hit]:
    """Names after a field label in any case (``pt: maren okafor``, ``patient name - x``,
    ``pcp: sorensen``) and on a signature line (``-- maren okafor, rn``): the words judged as at
    a strong slot; in a mixed-case note a name in lower case needs each word to be no English
    word or a listed surname; ``pt`` (physical therapy too) needs two name words. A patient's label with no mark
    (``patient dagfinn quennell``) takes the rest of its line when every word is a name's and one no lexicon knows."""
    mixed, caps = _note_case(text)
    out: list[_Hit] = []

    def take(base: int, found: str, need: int) -> None:
        keep: list[re.Match[str]] = []
        initial: re.Match[str] | None = None
        for w in re.finditer(_W, found):
            word = w.group(0)
            if keep and len(keep) >= 2 and "," in text[base + keep[-1].end():base + w.start()]:
                break
            last = initial or (keep[-1] if keep else None)
            if last is not None and "." in found[last.end():w.start()] and len(last.group(0)) > 1:
                break  # a full stop after a word ends the name ("re: quennell. dagfinn called")
            if keep and initial is None and len(word) == 1 and text[base + w.end():base + w.end() + 1] == ".":
                initial = w  # a middle initial ("patient: torquil w. gathercole  jr."; dev seed 1159): kept before a name word
                continue
            if mixed and keep and word[:1].islower() != keep[0].group(0)[:1].islower():
                break
            # a double surname of name words ("fenwick-bray"), and a listed given name that is also an English word
            # opening the value before another name word ("re: pilar fenwick-bray"; twenty-second session)
            if len(word) < 3 or not (judge.surname_ok(word) or _compound_name(word, judge) or (not keep and judge.given(word))) \
                    or (mixed and word.isupper()):
                break
            if initial is not None:
                keep.append(initial)
                initial = None
            keep.append(w)
        if len(keep) == 1 and not (judge.surname_ok(keep[0].group(0)) or _compound_name(keep[0].group(0), judge)):
            keep = []  # a given name that is an English word, alone: "pt: hope to return"
        # the label is a strong cue: a noun of the lexicon counts beside a word that is no English
        # word or a known name ("pt: yshethe delacroix"), or capitalised in a mixed-case note
        words = [k.group(0) for k in keep]
        if len(keep) >= need and any(judge.name_word(x, strong=True, mixed=mixed, caps_note=caps)
                                     and (not mixed or x[:1].isupper() or judge.unknown(x) or judge.surname(x) or _compound_name(x, judge))
                                     for x in words):
            out.append(_Hit("NAME", base + keep[0].start(), base + keep[-1].end(), 0.55, f"{ids.NAME_SLOTS}:label"))

    for m in _LABEL_RX.finditer(text):
        label = " ".join(m.group("l").lower().split())
        if mixed and m.group("l").isupper() and label in ("pt", "np", "pa"):
            continue  # "PT: 12.5", "PA: normal": a lab value or a view in a mixed-case note
        take(m.start("n"), m.group("n"), 2 if label in ("pt", "np", "pa") else 1)
    for m in _SIGNATURE_RX.finditer(text):
        take(m.start("n"), m.group("n"), 1)
    for m in _BARE_LABEL_LINE.finditer(text):
        # a label with no mark before the name that fills the rest of its line ("patient dagfinn quennell"; dev seed
        # 1153): every word a name's (a noun at most, no adjective, verb or clinical word: "patient clemency zelivar", dev
        # seed 1163), one no lexicon knows and no misspelling, written alike
        words = [w.group(0) for w in re.finditer(_W, m.group("n"))]
        if (all(len(w) >= 3 and not judge.clinical(w) and (judge.surname_ok(w) or _compound_name(w, judge) or judge.given(w)
                                                          or judge.world(_fold(w).lower())) for w in words)
                and any((judge.unknown(w) and not judge.shortened(_fold(w).lower())) or _compound_name(w, judge) for w in words)
                and len({(w[:1].isupper(), w.isupper()) for w in words}) == 1):
            out.append(_Hit("NAME", m.start("n"), m.end("n"), 0.55, f"{ids.NAME_SLOTS}:label"))
    return out


def _initials(a: str, abbrev: Callable[[str], bool]) -> bool:
    low = a.lower()
    return 2 <= len(a) <= 3 and low not in _NOT_INITIALS and not abbrev(low)


def initials_names(text: str, judge: WordJudge, abbrev: Callable[[str], bool] = lambda w: False) -> list[_Hit]:
    """A clinician's initials where only a signature puts them: ``-- jd, rn``, a dictation
    reference ``JD/kl`` alone on its line, ``dictated by JD``, ``transcribed by kl``,
    ``cosigned: jd``. At such a slot the English lexicon is no veto (WordNet holds "dj",
    "lt", "fr"); services, routes, tests and (``abbrev``) credentials and function words
    (``ENT``, ``od/os``, ``me``) are no initials, nor is a pair of units or analytes
    (``mg/dl``, ``bun/cr``); in a mixed-case note a reference is written ``JD/kl`` or ``jd/kl``."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in _SIGNATURE_RX.finditer(text):
        n = m.group("n")
        if re.fullmatch(r"[A-Za-z]{2,3}", n) and _initials(n, abbrev) and not (mixed and n[:1].isupper() and n[1:].islower()):
            out.append(_Hit("NAME", m.start("n"), m.end("n"), 0.5, f"{ids.NAME_SLOTS}:initials"))
    for m in _INITIALS_LINE.finditer(text):
        a, b = m.group("a"), m.group("b")
        if mixed and not ((a.isupper() or a.islower()) and b.islower()):
            continue  # "GI/ENT", "BUN/Cr": services and tests in a mixed-case note; "JD/kl" is a reference
        reference = mixed and a.isupper() and b.islower() and a.lower() not in ("iu", "meq")  # "GT/lb": a dictation reference's shape
        if _initials(a, abbrev) and _initials(b, abbrev) and (reference or not _unit_ratio(a.lower(), b.lower())):
            out.append(_Hit("NAME", m.start("a"), m.end("b"), 0.5, f"{ids.NAME_SLOTS}:initials"))
    for m in _INITIALS_CUE.finditer(text):
        a = m.group("a")
        if mixed and not (a.isupper() or a.islower()):
            continue  # "signed by Me"
        if _initials(a, abbrev):
            out.append(_Hit("NAME", m.start("a"), m.end("a"), 0.5, f"{ids.NAME_SLOTS}:initials"))
    return out


def email_names(text: str, judge: WordJudge) -> list[_Hit]:
    """The name an e-mail address gives away (``maren.haverbrook@...``, ``mhaverbrook@...``,
    ``haverbrook.m@...``) where the note uses it again as a word, in any case ("Haverbrook
    prefers a call"): parts of the local part of 3+ letters, or one without a leading or
    trailing initial, that are no English word or a listed surname."""
    names: set[str] = set()
    for m in _EMAIL_RX.finditer(text):
        for part in re.split(r"[._%+\-\d]+", m.group("l")):
            cands = [part] + ([part[1:], part[:-1]] if len(part) >= 6 else [])
            for c in cands:
                if len(c) >= 4 and c.isalpha() and (judge.unknown(c) or judge.surname(c)) and judge.surname_ok(c):
                    names.add(c.lower())
    if not names:
        return []
    rx = re.compile(r"(?<![\w'’.@-])(?:" + "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True)) + r")(?![\w'’@-]|\.\w)",
                    re.I)
    return [_Hit("NAME", m.start(), m.end(), 0.5, f"{ids.NAME_SLOTS}:email") for m in rx.finditer(text)]


# --------------------------------------------------------------------------- branch deid5
#: words after a name's hyphen that make a compound, not a double surname ("[Parkinson]-like")
_NOT_NAME_PARTS = frozenset({"like", "based", "related", "type", "induced", "associated", "positive", "negative", "dependent",
                             "free", "style", "shaped", "year", "years", "old", "day", "days", "week", "month", "era", "led",
                             "run", "owned", "approved", "specific", "mediated", "sparing", "resistant", "sensitive"})


def _compound_name(w: str, judge: WordJudge) -> bool:
    """A hyphenated word whose parts (3+ letters each) are all name words: no English word, a
    listed surname or given name ("Bell-Hill", "Oyelowo-Grant", "Fox-Young"); no part an
    ordinary compound's ("follow-up", "x-ray", "long-term": "up", "ray", "term")."""
    parts = re.split(r"[-‐]", w)
    if len(parts) < 2 or any(len(p) < 3 or p.lower() in _NOT_NAME_PARTS for p in parts):
        return False
    return all(judge.unknown(p) or judge.surname(p) or judge.given(p) for p in parts) and any(
        not judge.unknown(p) for p in parts) and all(judge.surname_ok(p) or judge.surname(p) or judge.given(p) for p in parts)


# a relative named after the relation: in parentheses ("wife (Maren) at bedside", "daughter (Kwame
# Bexenn) is the proxy"), in apposition ("Brother, Dawn, present"), or right after it ("lives with
# husband Ivy and two dogs")
_RELATIVE = (r"(?:wife|husband|spouse|partner|daughter|son|mother|mom|mum|father|dad|sister|brother|niece|nephew|aunt|uncle|"
             r"cousin|grand(?:son|daughter|mother|father|ma|pa|child)|fianc[ée]e?|girlfriend|boyfriend|"
             r"step(?:son|daughter|mother|father)|(?:son|daughter|mother|father|sister|brother)-in-law|guardian|caregiver|"
             r"friend|neighbou?r|roommate|"
             # written short ("pt & dtr (Ottoline)", "hsb Rowan"; twenty-first session)
             r"dtr|dau|sis|bro|husb|hsb|hus|gdtr|gdau|gson|stepdtr|sil|dil|bil|fil|mil)")
_RELATIVE_RX = re.compile(
    rf"(?<![\w'’-])(?i:{_RELATIVE})(?:'s)?(?:[ \t]*\([ \t]*(?P<p>{_W}(?:[ \t]+{_W})?)[ \t]*\)"
    rf"|[ \t]*,{_GAP}(?P<a>{_W}(?:[ \t]+{_W})?)[ \t]*,|{_GAP}(?P<b>{_W})(?![\w'’-]|[ \t]*\())")


#: a family list's item: the relation (or relations), a dash or a colon, the names ("husband - Rowan; daughters - Ivy
#: and Hazel", "Sons: Jude, Ace")
_RELATIVE_LIST_RX = re.compile(
    rf"(?<![\w'’-])(?i:{_RELATIVE}|(?:daughter|son|sister|brother|grandchild|grandson|granddaughter|child)(?:s|ren))"
    rf"[ \t]*[-–:=][ \t]*(?P<d>{_W}(?:(?:[ \t]*,[ \t]*|[ \t]+(?i:and|&)[ \t]+){_W}){{0,3}})(?=[ \t]*(?:[;,.)|]|\r?$))", re.M)

_OWNER_BEFORE = re.compile(r"(?<![\w'’-])(?i:with|her|his|their|my|our|your|patient['’]s|pt['’]s)[ \t]+\Z")


def _given_word(w: str, judge: WordJudge, mixed: bool, bare: bool = False, after_with: bool = False) -> bool:
    """``w`` may be a given name where one is expected: no English word (4+ letters), a listed
    given name or surname; never an acronym in a mixed-case note, and right after the relation
    without parentheses or commas (``bare``) capitalised there (a lower-case unknown word aside)."""
    if len(w) < 3 or (mixed and w.isupper()):
        return False
    if judge.given(w):
        return not (mixed and bare) or w[:1].isupper() or bool(after_with)
    if not judge.surname_ok(w):
        return False
    if judge.unknown(w):
        return len(w) >= 4 or (w[:1].isupper() and not w.isupper())
    return judge.surname(w) and (not (mixed and bare) or w[:1].isupper())


def relative_names(text: str, judge: WordJudge) -> list[_Hit]:
    """A relative's name after the relation (see ``_RELATIVE_RX``): a word that may be a given
    name (:func:`_given_word`); two in parentheses when the second may be a surname too.
    Clinical words, adjectives of the lexicon, persons ("(neighbor)"), acronyms ("(HCP)") stay."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in _RELATIVE_RX.finditer(text):
        g = "p" if m.group("p") else "a" if m.group("a") else "b"
        words = list(re.finditer(_W, m.group(g)))
        # "with husband rose", "her daughter grace": a possessive or "with" before the relation
        owner = _OWNER_BEFORE.search(text, max(0, m.start() - 16), m.start()) is not None
        if (len(words) == 2 and mixed and words[0].group(0)[:1].isupper() and words[0].group(0)[1:].islower()
                and len(words[0].group(0)) >= 3 and _surname_after(words[1].group(0), judge)):
            base = m.start(g)  # "Her husband, Ace Barraclough, was present": a clinical or English word as a given name
            out.append(_Hit("NAME", base + words[0].start(), base + words[1].end(), 0.5, f"{ids.NAME_SLOTS}:relative"))
            continue
        if not words:
            continue
        first_word = words[0].group(0)
        if not _given_word(first_word, judge, mixed, g == "b", owner):
            if not (g == "b" and text[m.start(g) - 1:m.start(g)] == " " and text[m.start(g) - 2:m.start(g) - 1] not in " \t"
                    and mixed and len(first_word) >= 3 and first_word[:1].isupper() and first_word[1:].islower()
                    and not _verb_form(first_word, judge)
                    and (judge.given_slot(first_word) or (len(first_word) <= 4 and judge.capital_slot(first_word)))
                    and not judge.adverb(first_word) and first_word.lower() not in _WEEKDAYS
                    and first_word.lower() not in _KIN_STATUS and not _sentence_start(text, m.start(g) + words[0].start())):
                continue
            # "son Ace at bedside", "husband Rowan": a capitalised word mid-sentence right after the relation in a note of
            # mixed case, although no list holds it as a name (twenty-first session)
        end = words[0].end()
        if len(words) == 2:
            second = words[1].group(0)
            if not (_given_word(second, judge, mixed) or (judge.surname_ok(second) and len(second) >= 3
                                                          and (not mixed or second[:1].isupper()))):
                continue
            end = words[1].end()
        base = m.start(g)
        out.append(_Hit("NAME", base + words[0].start(), base + end, 0.5, f"{ids.NAME_SLOTS}:relative"))
    for m in _RELATIVE_LIST_RX.finditer(text):
        words = [w for w in re.finditer(_W, m.group("d")) if w.group(0).lower() not in ("and",)]
        ok = [_given_word(w.group(0), judge, mixed) or (mixed and w.group(0)[:1].isupper() and w.group(0)[1:].islower()
                                                         and judge.given_slot(w.group(0))
                                                         and w.group(0).lower() not in _KIN_STATUS) for w in words]
        if words and all(ok):  # every item a name ("daughters - Ivy and Hazel"; "Mother: deceased" stays)
            base = m.start("d")
            out += [_Hit("NAME", base + w.start(), base + w.end(), 0.5, f"{ids.NAME_SLOTS}:relative") for w in words]
    return out


# a member of staff named in parentheses after the role: "Attending (Hargrove) aware", "charge nurse (lorna
# kinnear) notified", "pharmacist (Farquhar) verified", "PCP (Dr. Ludlow)" (a title alone is the title rule's)
_ROLE_RX = re.compile(
    rf"(?<![\w'’-])(?i:{_ROLE})[ \t]*\([ \t]*(?:(?i:dr|doctor|mr|mrs|ms)\.?[ \t]+)?(?P<p>{_W}(?:[ \t]+{_W}){{0,2}})[ \t]*(?=[),;])")


def role_names(text: str, judge: WordJudge) -> list[_Hit]:
    """A member of staff named in parentheses right after the role (``_ROLE_RX``): "Attending
    (Hargrove) aware", "covering resident (lorna kinnear) paged", "pharmacist (Farquhar)". The
    first word may be a given name or a surname (:func:`_given_word`: no English word of 4+
    letters, a listed given name or surname; never an acronym in a mixed-case note); a second or
    third word the same, or no ordinary word written like the first. What a role's parentheses
    hold otherwise stays: a service ("(cardiology)", "(Nephrology)"), a grade or shift ("(PGY-2)",
    "(nights)", "(on call)"), a language ("(Spanish)" is an adjective), an acronym ("(ICU)")."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in _ROLE_RX.finditer(text):
        words = list(re.finditer(_W, m.group("p")))
        first = words[0].group(0)
        if len(words) == 1 and _noun_name(first, judge, mixed):
            pass  # "case manager (caspian)", "CASE MANAGER (CASPIAN)": a word alone there that is nothing but a noun (deid10)
        elif (len(words) >= 2 and _noun_name(first, judge, mixed) and _given_word(words[1].group(0), judge, mixed)
              and not judge.clinical(words[1].group(0)) and first[:1].isupper() == words[1].group(0)[:1].isupper()):
            pass  # "covering resident (caspian oyebanji)": a noun that is nothing else, beside a name word written alike
        elif not _given_word(first, judge, mixed) or judge.clinical(first):
            continue
        end = words[0].end()
        for w in words[1:]:
            word = w.group(0)
            if not (_given_word(word, judge, mixed) or (judge.surname_ok(word) and len(word) >= 3 and word[:1].isupper() == first[:1].isupper()
                                                          and (judge.unknown(word) or not mixed or word[:1].isupper()))):
                break
            if judge.clinical(word):
                break
            end = w.end()
        else:
            pass
        if end != words[-1].end():
            continue  # "(Hargrove on call)": the parentheses hold more than a name
        base = m.start("p")
        out.append(_Hit("NAME", base + words[0].start(), base + end, 0.5, f"{ids.NAME_SLOTS}:role"))
    return out


# a closing with the writer's name after it, on its line or alone on the next: "Kind regards, Marguerite",
# "Cheers,\nnoemi", "Best,\nLorna Kinnear" ("Thanks,\nDr. X" is the title rule's)
_SIGNOFF_RX = re.compile(
    rf"(?im)(?:^|(?<=[.!?])[ \t]+)[ \t]*(?:(?:kind|best|warm|warmest)[ \t]+(?:regards|wishes)|regards|cheers|thanks|many[ \t]+thanks|"
    rf"thank[ \t]+you|sincerely|respectfully|warmly|best|yours(?:[ \t]+(?:truly|sincerely))?|take[ \t]+care)[ \t]*[,!.]?[ \t]*"
    rf"(?:\r?\n[ \t]*)?(?P<n>{_W}(?:[ \t]+{_W}){{0,2}})[ \t]*\r?$")


def signoff_names(text: str, judge: WordJudge) -> list[_Hit]:
    """The writer's name closing a message after a sign-off (``_SIGNOFF_RX``), the last thing on
    its line: "Kind regards, Marguerite", "cheers, noemi", "Regards,\nLorna Kinnear". Each word
    may be a given name or a surname (:func:`_given_word`) or no English adjective, adverb, verb,
    function word, person noun, title, service or clinical word (:attr:`WordJudge.given_slot`):
    "Thanks, team", "Thanks again", "Regards, the ICU team", "Best, nursing" stay."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in _SIGNOFF_RX.finditer(text):
        words = [w for w in re.finditer(_W, m.group("n"))]
        if not all(len(w.group(0)) >= 3 and not judge.clinical(w.group(0)) and not (mixed and w.group(0).isupper())
                   and (_given_word(w.group(0), judge, mixed) or (judge.given_slot(w.group(0)) and judge.surname_ok(w.group(0))))
                   for w in words):
            continue
        out.append(_Hit("NAME", m.start("n"), m.end("n"), 0.5, f"{ids.NAME_SLOTS}:signoff"))
    return out


# an e-mail header line: "From: A B <a.b@x.org>", "To: A B; C D", "Cc: Last, First", "Reply-To: "A B" <...>"
_MAIL_LINE = re.compile(r"(?im)^[ \t]*(?P<k>from|to|cc|bcc|reply-to|sent|subject|re|sender)[ \t]*:[ \t]*(?P<v>[^\r\n]*)\r?$")
_MAIL_PEOPLE = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})
_ANGLE_ADDR = re.compile(r"<[^<>\r\n]*>")


def mail_header_names(text: str, judge: WordJudge) -> list[_Hit]:
    """The people of an e-mail header pasted into a note: the display names of ``From:``,
    ``To:``, ``Cc:``, ``Bcc:``, ``Reply-To:`` lines in a block of two or more header lines
    (``From`` / ``To`` / ``Cc`` / ``Sent`` / ``Subject`` ...; one line alone is a field the label
    rules read). Items are split by ``;`` (or ``,`` between addresses); ``Last, First`` is one
    item. Every word of an item must be no clinical word, function word, adjective, adverb or
    verb (:attr:`WordJudge.surname_ok`), and one of them no English word, a listed name, or a
    part of the item's own address: "To: Clinic Inbox", "Cc: nursing pool" stay."""
    mixed, _caps = _note_case(text)
    lines = list(_MAIL_LINE.finditer(text))
    out: list[_Hit] = []
    for k, m in enumerate(lines):
        if m.group("k").lower() not in _MAIL_PEOPLE:
            continue
        block = [x for x in lines[max(0, k - 4):k + 5] if x is not m and _lines_apart(text, x, m) <= 4]
        if not block:
            continue
        v, base = m.group("v"), m.start("v")
        seps = ";" if ";" in v or not re.search(r">[ \t]*,", v) else ">,"
        items: list[tuple[int, int]] = []
        a = 0
        for part in (v.split(seps) if seps == ";" else re.split(r"(?<=>)[ \t]*,", v)):
            at = v.find(part, a)
            items.append((base + at, base + at + len(part)))
            a = at + len(part)
        for s, e in items:
            item = text[s:e]
            local = " ".join(re.split(r"[._%+\-\d@]+", " ".join(x.strip("<>").split("@")[0] for x in _ANGLE_ADDR.findall(item)))).lower()
            name = _ANGLE_ADDR.sub(lambda x: " " * len(x.group(0)), item)
            words = [w for w in re.finditer(_W, name) if w.group(0).lower() not in ("dr", "mr", "mrs", "ms", "mx")]
            if not words or len(words) > 4:
                continue
            ws = [w.group(0) for w in words]
            own = set(local.split())  # the words of the item's own address ("greer.rutherford@..."): its name's

            def fits(w: str, own: set[str] = own, several: bool = len(ws) >= 2) -> bool:
                if len(w) < 2 or (mixed and w.isupper() and len(w) <= 3):
                    return False
                return ((len(w) >= 3 and w.lower() in own) or (judge.surname_ok(w) and not judge.clinical(w))
                        or (several and judge.shaped(w)))  # "Cc: Chioma Pelondel": beside another name word

            if not all(fits(w) for w in ws):
                continue
            if not any((judge.unknown(w) and len(w) >= 3) or judge.surname(w) or judge.given(w) or judge.world(_fold(w).lower())
                       or (len(w) >= 3 and w.lower() in own) for w in ws):
                continue
            out.append(_Hit("NAME", s + words[0].start(), s + words[-1].end(), 0.5, f"{ids.NAME_SLOTS}:mail_header"))
    return out


def _lines_apart(text: str, a: re.Match[str], b: re.Match[str]) -> int:
    lo, hi = sorted((a.start(), b.start()))
    return text.count("\n", lo, hi)


# a column of people in a table: a header row of 2+ cells (split by tabs or "|") one of which names people
_PERSON_COLUMN = frozenset({"name", "names", "patient", "patient name", "pt name", "provider", "providers", "nurse", "rn", "md",
                            "physician", "attending", "resident", "fellow", "staff", "clinician", "author", "signed by",
                            "requested by", "ordered by", "seen by", "entered by", "performed by", "referred by", "reviewed by",
                            "contact", "emergency contact", "next of kin", "caregiver", "guardian", "pcp", "consultant", "surgeon",
                            "pharmacist", "therapist", "last name", "first name", "surname", "given name", "family name", "member",
                            "team member", "on call", "covering", "assigned to", "assigned", "owner", "person",
                            # a person's name split over columns ("Last<tab>First<tab>Role")
                            "last", "first", "given", "family", "forename", "forenames", "surnames", "lastname", "firstname"})
_CELL_SPLIT = re.compile(r"[ \t]*(?:\t|\|)[ \t]*")


def _cells(line: str, base: int) -> list[tuple[int, int]]:
    """The (start, end) offsets of the cells of a tab- or ``|``-separated line (blanks trimmed)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in [*_CELL_SPLIT.finditer(line), None]:
        end = m.start() if m else len(line.rstrip("\r"))
        a, b = pos, end
        while a < b and line[a] in " \t":
            a += 1
        while b > a and line[b - 1] in " \t\r":
            b -= 1
        if out and line[out[-1][1] - base - 1:out[-1][1] - base] == ",":
            out[-1] = (out[-1][0], base + b)  # "Kinnear,<tab>Lorna": a "Last, First" cell that a tab split
        else:
            out.append((base + a, base + b))
        if m:
            pos = m.end()
    return out


def column_names(text: str, judge: WordJudge) -> list[_Hit]:
    """The cells under a table column that names people: a header row of two or more cells split
    by tabs or ``|`` with a cell such as ``Name``, ``Provider``, ``Nurse``, ``Requested by``
    (``_PERSON_COLUMN``, any case), and the rows under it with the same number of cells, up to
    a blank line or a row of another shape. The cell's words must be no function, clinical,
    ordinary English word other than a noun (:attr:`WordJudge.surname_ok`) and at least one of
    them no English word or a listed name: "08:15<tab>Kinnear, Lorna<tab>RN" under "Time<tab>Provider<tab>Role",
    "nephrology<tab>morarth prescott<tab>pending"; "team", "on call", "pending" stay."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        base, line = lines[i]
        i += 1
        if "\t" not in line and "|" not in line:
            continue
        header = _cells(line, base)
        if len(header) < 2:
            continue
        cols = [k for k, (a, b) in enumerate(header) if " ".join(text[a:b].lower().split()) in _PERSON_COLUMN]
        if not cols or any(text[a:b].endswith((":", "=")) for a, b in header):
            continue  # ("Name:<tab>Lorna Kinnear" is a field, not a header: the label rules read it)
        if not cols:
            continue
        while i < len(lines):
            rbase, row = lines[i]
            cells = _cells(row, rbase) if ("\t" in row or "|" in row) else []
            if len(cells) != len(header):
                break
            i += 1
            for k in cols:
                a, b = cells[k]
                words = list(re.finditer(_W, text[a:b]))
                if not words or len(words) > 4 or re.search(r"\d", text[a:b]):
                    continue
                ws = [w.group(0) for w in words if w.group(0).lower() not in _PARTICLE_SET and w.group(0).lower() not in ("dr", "mr", "mrs", "ms")]
                if not ws or any(len(w) < 2 or not judge.surname_ok(w) or judge.clinical(w) or (mixed and w.isupper() and len(w) <= 3) for w in ws):
                    continue
                if not any((judge.unknown(w) and len(w) >= 3) or judge.surname(w) or judge.given(w) or judge.world(_fold(w).lower())
                           for w in ws):
                    continue
                out.append(_Hit("NAME", a + words[0].start(), a + words[-1].end(), 0.5, f"{ids.NAME_SLOTS}:column"))
    return out


_PARTICLE_WORDS = r"(?:van|von|der|den|de|del|della|des|di|da|das|dos|du|la|le|ter|ten|st\.?|saint|mac|ap|bin|ibn|abu|ben)"
_PARTICLE_SET = frozenset({"van", "von", "der", "den", "de", "del", "della", "des", "di", "da", "das", "dos", "du", "la", "le", "ter",
                           "ten", "mac", "bin", "ibn", "abu"})
# a given name, one or two particles and a surname: "Thaddeus de la Cruz", "moramor van der berg"
_PARTICLE_NAME = re.compile(rf"(?<![\w'’-])(?P<g>{_W})[ \t]+(?P<p>(?:(?i:{_PARTICLE_WORDS})[ \t]+){{1,2}})(?P<s>{_W})(?![\w'’-])")
# a surname led by its particles opening a line or a cell, no given name before it ("Van Houten<tab>pharmacy",
# "De la Cruz | RN"): the particles and a word that is no English word or a listed surname
_CELL_END = re.compile(r"[ \t]*(?:\r?\n|\Z|\||\t|,)|[ ]{2,}")  # the end of a cell: a line's, a separator, a blank run
_LEAD_WORDS = r"(?:van|von|de|del|della|des|di|da|dos|du|le|ter|ten)"  # (no "St." or "La": "St. Jude", "La Crosse")
_LEAD_PARTICLE = re.compile(rf"(?m)(?:^|(?<=[|\t]))[ \t]*(?P<p>(?i:{_LEAD_WORDS})(?:[ \t]+(?i:{_PARTICLE_WORDS})){{0,1}})[ \t]+"
                            rf"(?P<s>{_W})(?![\w'’-])")
_HYPHEN_AFTER = re.compile(rf"[-‐](?P<w>{_W})")
_HYPHEN_BEFORE = re.compile(rf"(?<![\w'’.-])(?P<w>{_W})[-‐]\Z")
# (a hard wrap may stand between the name and its particle: "with [Leocadia]\nal-Masri at the bedside")
_PARTICLE_AFTER = re.compile(rf"(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?:(?P<p>(?:(?i:{_PARTICLE_WORDS})[ \t]+){{1,2}})(?P<w>{_W})|(?P<a>(?i:al|el|bin|ibn|abu|ben|ul|ad)[-‐](?P<aw>{_W})))")
_NEXT_LINE_NAME = re.compile(rf"[ \t]*\r?\n[ \t]*(?P<w>{_W})(?P<c>(?:,?[ \t]+(?i:{_CRED})(?![\w-]))+|[ \t]*,[ \t]*(?i:{_CRED})(?![\w-]).*)?[ \t]*\r?$",
                             re.M)


# a surname with an elided particle right after a name: "O'Keeffe", "D'Souza", "o'connor" (the particle's letter, an apostrophe)
_ELIDED_AFTER = re.compile(r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?P<w>[OoDd]['’][^\W\d_]{2,})(?![\w'’-])")
_ELIDED_WORDS = frozenset({"o'clock", "d'etre", "d'oeuvre", "d'oeuvres", "d'hote", "d'etat"})


def continue_names(text: str, hits: list[_Hit], judge: WordJudge) -> list[_Hit]:
    """A detected name continued by what only a name's parts are: a hyphen and a word
    ("[Oyelowo]-Grant", "Bell-[Haverbrook]"), surname particles and a word ("[Maren] van den
    Heuvel", "[Soledad] de la Cruz", "[Dmitri] al-Masri" is one word), a surname alone on the
    next line of a wrapped signature ("signed by [Maren]\nOkonkwo, NP-C"). The word must be
    written like the name (capitalised in a mixed-case note) and be no ordinary or clinical word
    (a listed surname or given name may be an English noun)."""
    mixed, caps = _note_case(text)
    out: list[_Hit] = []

    def part_ok(w: str, name: str) -> bool:
        if len(w) < 2 or w.lower() in _NOT_NAME_PARTS:
            return False
        if mixed and (w[:1].isupper() != name[:1].isupper() or (w.isupper() and not name.isupper())):
            return False
        return judge.surname_ok(w) or ((judge.surname(w) or judge.given(w)) and not judge.unknown(w))

    for h in hits:
        if h.label != "NAME" or h.from_recognizer(ids.SPACY_NER):
            continue
        name = text[h.start:h.end]
        a = _HYPHEN_AFTER.match(text, h.end)
        if a and part_ok(a.group("w"), name):
            out.append(_Hit("NAME", h.start, a.end("w"), 0.5, f"{ids.NAME_SLOTS}:compound"))
        b = _HYPHEN_BEFORE.search(text, max(0, h.start - 40), h.start)
        if b and part_ok(b.group("w"), name):
            out.append(_Hit("NAME", b.start("w"), h.end, 0.5, f"{ids.NAME_SLOTS}:compound"))
        p = _PARTICLE_AFTER.match(text, h.end)
        pw = p and (p.group("w") or p.group("aw"))
        if p and pw and (judge.unknown(pw) or part_ok(pw, name)) and not (mixed and pw[:1].islower() and name[:1].isupper()):
            out.append(_Hit("NAME", h.start, p.end(), 0.5, f"{ids.NAME_SLOTS}:particle"))
        e = _ELIDED_AFTER.match(text, h.end)
        if e and e.group("w").lower().replace("’", "'") not in _ELIDED_WORDS and (not mixed or e.group("w")[:1].isupper() == name[:1].isupper()):
            out.append(_Hit("NAME", h.start, e.end("w"), 0.5, f"{ids.NAME_SLOTS}:particle"))  # "[Maren] O'Keeffe", "[maren] d'souza"
        rest = text[h.end:text.find("\n", h.end) if "\n" in text[h.end:] else len(text)]
        if not rest.strip(" \t\r"):
            n = _NEXT_LINE_NAME.match(text, h.end)
            if n:
                w = n.group("w")
                if len(w) >= 3 and judge.surname_ok(w) and (n.group("c") or judge.unknown(w) or judge.surname(w)) \
                        and not (mixed and (w[:1].islower() or w.isupper())) and part_ok(w, name):
                    out.append(_Hit("NAME", n.start("w"), n.end("w"), 0.5, f"{ids.NAME_SLOTS}:signature_wrap"))
    return out


# "IWASAKI,<tab>Talorra<tab>Sex: X", "Name: OKAFOR, Maren": a surname in capitals, a comma and a given name opening a
# line (after a label at most) and closing a cell (a tab, a blank run, "|" or the line's end)
_CAPS_FIELD = re.compile(r"(?m)^[ \t]*(?:[^\W\d_]+(?:[ \t][^\W\d_]+)?[ \t]*:[ \t]*)?(?P<s>[A-Z][A-Z'’]{2,}(?:-[A-Z][A-Z'’]+)?),[ \t]*"
                         r"(?P<g>[^\W\d_][^\W\d_'’]+(?:-[^\W\d_]+)?)(?=[ \t]*(?:\t|[ ]{2}|\||\r?$))")


def _name_part(w: str, judge: WordJudge) -> bool:
    """``w`` is a name's word in a record's field: each part of a hyphen or an apostrophe (2+ letters, one of 3+) an
    unknown word, a listed surname or given name or a name of the world's lists, and no clinical word."""
    parts = [p for p in re.split(r"[-'’]", w) if p]
    return all(len(p) >= 2 and (judge.unknown(p) or judge.surname(p) or judge.given(p) or judge.world(_fold(p).lower()))
               and not judge.clinical(p) for p in parts) and any(len(p) >= 3 for p in parts)


def caps_surname_fields(text: str, judge: WordJudge) -> list[_Hit]:
    """``SURNAME,<tab>Given`` opening a line of a mixed-case note ("IWASAKI,\tTalorra\tSex: X",
    "Name:  OKAFOR,    Maren"): a record's name field. The surname in capitals and the given
    name (capitalised or in capitals) each no English, clinical or drug word or a listed name,
    and no acronym of the vocabularies ("CBC, Diff")."""
    mixed, _caps = _note_case(text)
    if not mixed:
        return []
    out: list[_Hit] = []
    for m in _CAPS_FIELD.finditer(text):
        sname, g = m.group("s"), m.group("g")
        if not (g[:1].isupper() and (g.isupper() or g[1:].replace("-", "").islower() or "-" in g)):
            continue

        if _name_part(sname, judge) and _name_part(g, judge):
            out.append(_Hit("NAME", m.start("s"), m.end("g"), 0.5, f"{ids.NAME_SLOTS}:field"))
    return out


# a header-less record row of two name cells and a sex or a party's role: "QUISTA | Ignatius | F", "quista | ignatius | f",
# "Okafor<tab>Maren<tab>guarantor", "Okafor, Maren | M" (nineteenth session)
_SEX_ROW = re.compile(
    rf"(?m)^[ \t]*(?P<a>{_W})(?P<sep>[ \t]*(?:\||\t|,)[ \t]*)(?P<b>{_W})[ \t]*(?:\||\t|,)[ \t]*"
    r"(?i:f|m|x|u|nb|male|female|patient|pt|guarantor|subscriber|insured|self|spouse|dependent|member)[ \t]*\|?[ \t]*\r?$")


def sex_row_names(text: str, judge: WordJudge) -> list[_Hit]:
    """The two name cells of a header-less record row that closes with a sex or a party's role, in any
    case (``_SEX_ROW``): each cell a name's word (no clinical word; an unknown word, a listed surname or
    given name, a name of the world's lists), at least one of them no English word or a listed given name,
    the two written alike (capitals, capitalised or lower case; a surname in capitals before a given name
    too)."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in _SEX_ROW.finditer(text):
        a, b = m.group("a"), m.group("b")

        def strong(w: str) -> bool:  # (no word cut short: "Hgb | Plt | F" is a lab row)
            return ((judge.unknown(w) and judge.whole(_fold(w).lower())) or judge.given(w)) or judge.world(_fold(w).lower())

        alike = _same_form(a, b) or (a.isupper() and b[:1].isupper() and b[1:].islower())
        acronym = mixed and any(w.isupper() and len(w) <= 4 for w in (a, b))  # ("OD | OS | x", "HGB | PLT | F")
        if alike and not acronym and _name_part(a, judge) and _name_part(b, judge) and (strong(a) or strong(b)):
            out.append(_Hit("NAME", m.start("a"), m.end("a"), 0.5, f"{ids.NAME_SLOTS}:sex_row"))
            out.append(_Hit("NAME", m.start("b"), m.end("b"), 0.5, f"{ids.NAME_SLOTS}:sex_row"))
    return out


# a person's cue ending right before a word, and a person's verb or an age right after a name
_CUE_ENDS = re.compile(rf"(?<![\w'’-])(?:{_STRONG_BEFORE})[ \t]*(?:[,:][ \t]*)?{_GAP}\Z", re.I)
_PERSON_AFTER = re.compile(rf",?{_GAP}(?:{_STRONG_AFTER})(?![\w'’-])", re.I)

# a person's cue, strong or weak, ending right before a word ("spoke with", "visit with")
_ANY_CUE_ENDS = re.compile(rf"(?<![\w'’-])(?:{_STRONG_BEFORE}|{_WEAK_BEFORE})[ \t]*(?:[,:][ \t]*)?{_GAP}\Z", re.I)

# the word right before a name a rule found, on its line: "with Asa [Sundqvist]", "RIDE HOME FOR ASA [SUNDQVIST]"
_WORD_BEFORE_NAME = re.compile(r"(?:^|(?<=[\s(,;:]))(?P<w>[^\W\d_]{2,})[ \t]+\Z")
_WORD_BEFORE_WRAP = re.compile(r"(?:^|(?<=[\s(,;:]))(?P<w>[^\W\d_]{2,})[ \t]*\r?\n[ \t]*\Z")


def given_before_names(text: str, hits: list[_Hit], judge: WordJudge) -> list[_Hit]:
    """The given name right before a surname that a rule or the model found, although the word
    is also a drug's abbreviation or a noun ("Asa", ASA is aspirin; "Ace"): written like the
    name (capitalised, or in capitals or lower case with it) and no function word, title,
    person noun, credential, month, service, unit, English adjective, adverb or verb
    (:attr:`WordJudge.given_slot`). Opening a sentence, in a note of one case or in lower case
    it must be no English word, a listed name or a short (2-4 letter) drug or clinical
    abbreviation; in the middle of a mixed-case sentence a capital is evidence enough."""
    mixed, caps = _note_case(text)
    out: list[_Hit] = []
    for h in hits:
        if h.label != "NAME" or h.from_recognizer(ids.SPACY_NER):
            continue
        name = text[h.start:h.end]
        line_start = text.rfind("\n", 0, h.start) + 1
        m = _WORD_BEFORE_NAME.search(text, max(line_start, h.start - 40), h.start)
        if m is None and line_start > 0 and not text[line_start:h.start].strip(" \t") and _wrapped_onto(text, h.start, h.end - h.start):
            # the given name closing the line before, a hard wrap between it and the surname ("visit with Asa" /
            # "Lindstrom."; nineteenth session)
            m = _WORD_BEFORE_WRAP.search(text, max(0, line_start - 40), h.start)
        if m is None:
            continue
        w = m.group("w")
        if w.lower() in _PARTICLE_SET or _ROLE_WORD.fullmatch(w):
            continue  # (a member of staff's role before the name: "spoke with pcp [X]", "NURSE [X]")
        if w.isupper() != name.isupper() or w[:1].isupper() != name[:1].isupper() or (not w.isupper() and not w[1:].islower()):
            continue  # written unlike the name ("ED Okafor", "Ace okafor")
        title_mid = mixed and w[:1].isupper() and not w.isupper() and not _sentence_start(text, m.start("w"))
        two_ok = judge.capital_slot(w) and w.lower() not in _NOT_INITIALS and w.lower() not in _UNIT_OR_LAB and w.lower() not in _SERVICE_SHORT
        # ... or, in any case, right after a person's cue, weak ones too ("video visit with ta [phuong]",
        # "MESSAGE LEFT FOR TA [PHUONG]"): the slot holds the person's whole name (eighteenth session)
        cue_slot = _ANY_CUE_ENDS.search(text, max(0, m.start("w") - 60), m.start("w")) is not None
        two_at_cue = len(w) == 2 and cue_slot and judge.given_slot(w) and two_ok
        if len(w) == 2 and not ((title_mid and two_ok) or two_at_cue):
            continue  # a two-letter word only capitalised mid-sentence before the name ("visit with Ta [Phuong]")
        # the name stands where only a person does: a person's cue before it ("message left for ace [X]") or a
        # person's verb or an age after it ("ACE [X] WAS ADMITTED", "ace [X] (age 52)"): the word before the
        # surname is its given name whatever else it is (no function word, title, person noun, adverb...)
        at_slot = (_CUE_ENDS.search(text, max(0, m.start("w") - 60), m.start("w")) is not None
                   or _PERSON_AFTER.match(text, h.end) is not None) and judge.capital_slot(w) and not judge.adverb(w)
        if not (judge.given_slot(w) or (title_mid and judge.capital_slot(w)) or at_slot):
            continue
        f = _fold(w).lower()
        # ("sup/inf [X]": cut short; a word with marks is no English abbreviation: "åsa [X]", although "asa" is aspirin's)
        listed = (judge.unknown(w) and (judge.whole(f) or not w.isascii())) or judge.given(w) or judge.surname(w) or judge.world(f)
        short_term = len(w) <= 4 and judge.clinical(w)  # "ASA", "Asa": a drug's abbreviation that is also a given name
        if listed or short_term or title_mid or at_slot or two_at_cue:
            out.append(_Hit("NAME", m.start("w"), h.end, 0.5, f"{ids.NAME_SLOTS}:given_before"))
    return out


# the cell that opens a line right before a detected name's cell: "Okafor|[Given]|guarantor", "DRUUSSA | [Given] | M"
_CELL_BEFORE = re.compile(rf"(?m)(?:^|(?<=\|)|(?<=\t))[ \t]*(?P<w>{_W})(?P<sep>[ \t]*(?:\||\t)|,[ \t]*\t|,[ ]{{2,}}|,[ ])[ \t]*\Z")


# "Re: Saint-Aubin, ", "Patient name: Okafor, ": a label (one or two words and a colon) and a "Last, " before a name that ends the line
_LABEL_LAST_FIRST = re.compile(rf"(?m)^[ \t]*{_W}(?:[ \t]+{_W})?[ \t]*:[ \t]*(?P<w>{_W}),[ \t]+\Z")
_LINE_END = re.compile(r"[ \t]*[.;]?[ \t]*\r?(?:\n|\Z)")


def surname_cells_before(text: str, hits: list[_Hit], judge: WordJudge, labels: Callable[[str], bool] = lambda w: False) -> list[_Hit]:
    """The surname in the cell that opens a row, right before a cell a rule or the model found a
    name in (``sorensen|[X]|guarantor``, ``DRUUSSA | [X] | M``, split by ``|`` or a tab): a
    ``LAST|First|role`` row. The word must be no column label or sex value, no ordinary English
    word (adjective, adverb, verb, function word, person noun, clinical word) and no English word
    at all unless a listed surname or name; written like the name (capitals or lower case with it
    in a mixed-case note)."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for h in hits:
        if h.label not in ("NAME", "LOCATION") or h.from_recognizer(ids.SPACY_NER):
            continue
        line_start = text.rfind("\n", 0, h.start) + 1
        m = _CELL_BEFORE.search(text, line_start, h.start)
        labelled = None
        if m is None and h.label == "NAME" and _LINE_END.match(text, h.end):
            m = labelled = _LABEL_LAST_FIRST.search(text, line_start, h.start)  # "Re: Saint-Aubin, [Maren]": a label's value
        if m is None:
            continue
        if not labelled and m.group("sep") == ", " and (m.start() == 0 or text[m.start() - 1] not in "|\t"):
            continue  # "Okafor, [Maren]" opening a line of prose is no cell; "Patient | Okafor, [Maren]" is
        if h.label == "LOCATION" and (m.group("sep") == ", " or len(re.findall(_W, text[h.start:h.end])) != 1):
            continue  # the model reads a given name in a field as a place ("delacroix|[oluwaseun]|guarantor"): one word, in a cell
        w = m.group("w")
        f = _fold(w)
        compound = _compound_name(w, judge)  # "Saint-Aubin": name words joined (a label's value, or a cell's: "Re:<tab>Saint-Aubin,<tab>[X]")
        if labels(w) or len(w) < 3 or not (judge.surname_ok(w) or compound):
            continue
        if not (judge.unknown(w) or judge.surname(w) or judge.world(f.lower()) or judge.place_name(w) or compound):
            continue
        if (labelled is not None or (compound and not judge.surname_ok(w))) and not _same_form(w.split("-")[0], text[h.start:h.end].split()[0]):
            continue  # (a label's value is a name written as the given name is: "Re: Saint-Aubin, [Maren]")
        if mixed and w.isupper() != text[h.start:h.end].isupper() and not w[:1].isupper():
            continue  # (a lower-case word before a name in capitals in a mixed-case note)
        out.append(_Hit("NAME", m.start("w"), m.end("w"), 0.5, f"{ids.NAME_SLOTS}:cell_before"))
    return out


# a name cell after a detected one in a field: "SURNAME,<tab>Given", "[X] | Given | M", "[X]|Given|..."
_FIELD_NEXT = re.compile(rf"(?:[ \t]*,[ \t]*|[ \t]*\|[ \t]*|\t[ \t]*)(?P<w>{_W})(?=[ \t]*(?:\||\t|,|\r?\n|$)|[ ]{{2}})")


def field_given_names(text: str, hits: list[_Hit], judge: WordJudge, labels: Callable[[str], bool] = lambda w: False) -> list[_Hit]:
    """The given name in the cell after a detected surname that opens a line or a cell
    (``SURNAME,<tab>Given``, ``SURNAME | Given | M``): the model often reads a surname in
    capitals as a place, so a place that opens a field counts as that surname too. The word must
    be no English word or a listed given name or surname, and no column label (``DOB``)."""
    mixed, caps = _note_case(text)
    out: list[_Hit] = []
    for h in hits:
        if h.label not in ("NAME", "LOCATION") or h.from_recognizer(ids.SPACY_NER):
            continue
        nl = text.rfind("\n", h.start, h.end)
        if nl >= 0:  # a span that ran over a line break ("[... 07335\nKOWALCZYK]"): its last line
            h = _Hit(h.label, nl + 1, h.end, h.score, h.source)
        end = h.end
        while end > h.start + 1 and text[end - 1] in "|\t ,":
            end -= 1  # a span that took the cell's separator with it ("[Pelilde|]Lumorra|guarantor")
        if end != h.end:
            h = _Hit(h.label, h.start, end, h.score, h.source)
        k = h.start - 1
        while k >= 0 and text[k] in " ":
            k -= 1
        if not (k < 0 or text[k] in "\n\r|\t:"):
            continue
        if h.label == "LOCATION" and len(re.findall(_W, text[h.start:h.end])) != 1:
            continue  # "[LOCATION]": only a one-word place can be a surname read as a place
        m = _FIELD_NEXT.match(text, h.end)
        if not m:
            continue
        w = m.group("w")
        if labels(w) or len(w) < 3 or (mixed and w.isupper() and len(w) <= 3):
            continue
        same_case = text[h.start:h.end].islower() and len(w) >= 5 and (judge.surname(w) or judge.world(_fold(w).lower()))
        if mixed and w[:1].islower() and not ((judge.unknown(w) and len(w) >= 4) or judge.given(w) or same_case):
            continue  # a lower-case word in a mixed-case note: no English word, a given name, or a listed name after a
            # surname in lower case too ("okonkwo | ignatius | m": a row of a block written in lower case)
        if (judge.unknown(w) or judge.given(w) or judge.surname(w)) and judge.surname_ok(w) or judge.given(w):
            out.append(_Hit("NAME", m.start("w"), m.end("w"), 0.5, f"{ids.NAME_SLOTS}:field"))
    return out


_LATIN_MARKED = re.compile(r"[À-ÖØ-öø-ɏḀ-ỿ]")
_EPONYM_AFTER = re.compile(r"(?:['’]s\b|[ \t]+(?i:disease|syndrome|sign|test|reflex|phenomenon|palsy|purpura|lesion|"
                           r"macroglobulinemia|maneuver|manoeuvre|fracture|node|cells?|scale|score|classification|criteria|"
                           r"type|procedure|operation|ulcer|tumou?r|nodes?|angle|triad|law)\b|-)")


def _fold(w: str) -> str:
    import unicodedata

    w = w.translate(_FOLD)
    return "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))


_FOLD_MAP: dict[str, str | int | None] = {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ß": "ss",
                                          "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ı": "i"}
_FOLD = str.maketrans(_FOLD_MAP)


def diacritic_names(text: str, judge: WordJudge) -> list[_Hit]:
    """A capitalised word with marked Latin letters ("Gagné", "Leclère", "Þórsson", "Öztürk")
    that is no English, clinical or drug word once its marks are dropped ("Café", "Naïve" stay)
    and no eponym ("Sjögren's", "Ménière disease", "Guillain-Barré"): a name (or a foreign
    place), like a word of a non-Latin script. In a mixed-case note it must not be all capitals
    (an acronym), and in lower case it needs 4+ letters (``leclère`` in a lower-case line: the
    marks alone set it apart from an English word); a note in one case takes it as written."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in re.finditer(_W, text):
        w = m.group(0)
        if len(w) < 3 or not _LATIN_MARKED.search(w) or "-" in w:
            continue
        if mixed and (w.isupper() or (w.islower() and len(w) < 4)):
            continue  # an acronym; a short lower-case word ("à", "été") of a foreign phrase
        if _EPONYM_AFTER.match(text, m.end()) or text[max(0, m.start() - 1):m.start()] == "-":
            continue
        f = _fold(w)
        if judge.unknown(f) or (judge.unknown(w) and judge.surname_ok(f) and (judge.surname(f) or judge.given(f))):
            out.append(_Hit("NAME", m.start(), m.end(), 0.5, f"{ids.NAME_SLOTS}:diacritic"))
    return out


def particle_names(text: str, judge: WordJudge) -> list[_Hit]:
    """A name written with surname particles, ``Given de la Surname`` ("Thaddeus de la Cruz",
    "Moramor van der Berg", "maren ten brink"): the given name no English word or a listed given
    name or surname, the surname no ordinary or clinical word; in a mixed-case note both
    capitalised ("Café au lait", "torsades de pointes" stay)."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in _PARTICLE_NAME.finditer(text):
        g, sname = m.group("g"), m.group("s")
        if mixed and not (g[:1].isupper() and sname[:1].isupper() and not g.isupper() and not sname.isupper()):
            if not (g.islower() and sname.islower() and (judge.unknown(g) or judge.unknown(sname)
                                                          or (judge.given(g) and judge.given_slot(g) and judge.surname(sname)))):
                continue  # in lower case inside a mixed-case note: one of them no English word ("maren ten brink"), or a
                # listed given name that is no adjective, adverb or verb before a listed surname ("soledad ten brink")
        if len(g) < 3 or len(sname) < 3 or g.lower() in _PARTICLE_SET:
            continue
        if not (judge.surname_ok(g) and judge.surname_ok(sname)):
            continue
        if not ((judge.unknown(g) or judge.given(g) or judge.surname(g)) and (judge.unknown(sname) or judge.surname(sname))):
            continue
        out.append(_Hit("NAME", m.start("g"), m.end("s"), 0.5, f"{ids.NAME_SLOTS}:particle"))
    for m in _LEAD_PARTICLE.finditer(text):
        p, sname = m.group("p"), m.group("s")
        if mixed and not (p[:1].isupper() and not p.isupper() and sname[:1].isupper() and sname[1:].islower()):
            continue  # in a mixed-case note the surname and its particle are written as a name ("Van Houten")
        if not mixed and not (_same_form(p.split()[0], sname)):
            continue
        if len(sname) < 3 or not judge.surname_ok(sname) or not (judge.unknown(sname) or judge.surname(sname)):
            continue
        if len(sname) < 5 and not judge.surname(sname):
            continue  # (a short word after "de" is as often Latin: "de novo")
        whole_cell = _CELL_END.match(text, m.end("s")) is not None
        if _EPONYM_AFTER.match(text, m.end("s")) or (not whole_cell and _eponym_context(text, m.start("p"), m.end("s"), judge)):
            continue  # "De Quervain tenosynovitis" is a disease's, "Le Fort fracture" a fracture's eponym
        out.append(_Hit("NAME", m.start("p"), m.end("s"), 0.5, f"{ids.NAME_SLOTS}:particle"))
    return out


#: a title with its period and the word after it, in any case: "dr. farrow", "DR. FARROW", "mrs. stone"
_TITLE_WORD = re.compile(rf"(?<![\w'’.-])(?i:dr|drs|mr|mrs|ms|prof)\.[ \t]{{1,3}}(?P<w>{_W})(?![\w'’-])(?P<after>[ \t]*[^\W\d_]+)?")
#: a verb's object after the word, so the word is the verb, not a name: "dr. saw pt", "dr. gave the order"
_OBJECT_WORDS = frozenset("pt pts patient patients the a an him her them me us it that this his their no some any".split())


def title_word_names(text: str, judge: WordJudge) -> list[_Hit]:
    """The surname after a title written with its period in lower case or capitals, ``dr. farrow``,
    ``DR. FARROW AT``, ``cc: dr. stone, dr. bell``, although it is an English word: a listed
    surname or given name (:meth:`WordJudge.listed`) or a word English writes capitalised far more
    often (``capital_word``). A capitalised one is the title patterns'. Not an English verb with its
    object after it (``dr. saw pt``, ``dr. gave the order``)."""
    out: list[_Hit] = []
    for m in _TITLE_WORD.finditer(text):
        w = m.group("w")
        if len(w) < 3 or (w[:1].isupper() and w[1:].islower()):
            continue
        if not (judge.listed(w) or judge.capital_word(w.lower())) or judge.clinical(w):
            continue
        nxt = (m.group("after") or "").strip().lower()
        if nxt in _OBJECT_WORDS and not judge.capital_word(w.lower()):
            continue  # "dr. saw pt", "dr. gave the order": a verb and its object
        out.append(_Hit("NAME", m.start("w"), m.end("w"), 0.5, f"{ids.NAME_SLOTS}:title_word"))
    return out


#: a surname with an elided particle: "D'Arcy", "o'hara", "D'SOUZA" (the part after the apostrophe 3+ letters)
_ELIDED_NAME = re.compile(r"(?<![\w'’-])(?P<w>[DdOo]['’](?P<t>[^\W\d_]{3,}))(?![\w'’-])")


def elided_names(text: str, judge: WordJudge) -> list[_Hit]:
    """A surname written with an elided particle, ``D'Arcy``, ``o'hara``, ``D'SOUZA``, in any
    case and with no cue around it: the part after the apostrophe is a listed surname or a name
    of another language (:attr:`WordJudge.world`) and no adjective, verb, clinical or function
    word, so that ``o'clock`` and ``d'oh`` stay; an eponym (``D'Amico classification``) and a
    maker stay. The given name before it is :func:`given_before_names`' to find."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in _ELIDED_NAME.finditer(text):
        t = m.group("t")
        f = _fold(t).lower()
        if not judge.surname_ok(t) or judge.clinical(t) or not (judge.world(f) or judge.surname(t)):
            continue
        if mixed and not (t.islower() or t[:1].isupper()):
            continue  # ("d'aRCY": no name's form)
        if _EPONYM_AFTER.match(text, m.end()) or _OPERATION_AFTER.match(text, m.end()) or _eponym_context(
                text, m.start(), m.end(), judge):
            continue  # "D'Amico classification", "O'Brien block"
        if (_CORPORATE_AFTER if mixed else _CORPORATE_AFTER_ANY_CASE).match(text, m.end()) or _in_maker_parenthesis(
                text, m.start(), m.end(), mixed):
            continue
        out.append(_Hit("NAME", m.start("w"), m.end("w"), 0.5, f"{ids.NAME_SLOTS}:elided"))
    return out


#: the endings of surnames and patronymics of other languages ("Jonsdottir", "Karlsson",
#: "Dumitrescu", "Petrovic", "Wisniewski", "Krawczyk", "Shevchenko", "Karaoglu", "Papadopoulos",
#: "Beridze"), for an unknown word of 6+ letters
_NAME_SHAPE = re.compile(r"(?i:[a-z]{3,}(?:sson|dottir|escu|ovic|evic|ovich|evich|wicz|czyk|czak|[cs]ki|[cs]ka|"
                         r"enko|oglu|poulos|opoulou|akis|shvili|adze|idze|yan))\Z")
#: a manufacturer's parenthesis ("(Stratus; Carl Zeiss GmbH, Jena, Germany)", "(Abbott Vascular,
#: Santa Clara, CA, USA)"): a company suffix in it, or a country at its end
_MAKER_RX = (r"\b(?:Inc|Corp|Corporation|Ltd|LLC|GmbH|AG|Co|Company|Pharmaceuticals?|Pharma|Biosciences|Biotech|"
                    r"Laboratories|Diagnostics|Healthcare|HealthCare|Medical|Scientific|Instruments|Systems|S\.?A|B\.?V|"
                    r"S\.?p\.?A|K\.?K)\b|,[ \t]*(?:USA|U\.S\.A\.?|UK|Germany|Japan|France|Switzerland|Italy|Sweden|Denmark|"
                    r"Netherlands|Belgium|Ireland|Canada|China|Korea|Israel|Austria|Spain|Finland|Norway|Australia|India)[ \t]*\)")
_MAKER = re.compile(_MAKER_RX)
_MAKER_ANY_CASE = re.compile(_MAKER_RX, re.I)


def _in_maker_parenthesis(text: str, start: int, end: int, mixed: bool = True) -> bool:
    """Whether ``start:end`` is inside a parenthesis naming a manufacturer (``_MAKER``)."""
    open_ = text.rfind("(", max(0, start - 120), start)
    if open_ < 0 or ")" in text[open_:start] or "\n" in text[open_:start]:
        return False
    close = text.find(")", end, end + 120)
    if close < 0 or "\n" in text[end:close]:
        return False
    return bool((_MAKER if mixed else _MAKER_ANY_CASE).search(text, open_, close + 1))


# a company suffix after a name ("Baxter Healthcare Corporation", "Hoffmann-La Roche Inc.")
_CORPORATE_RX = (r"[ \t]*(?:[A-Z][\w-]*[ \t]+)?(?:(?:and|&)[ \t]+)?(?:Inc|Corp|Corporation|Ltd|LLC|GmbH|AG|Co|Company|"
                 r"Pharmaceuticals?|Pharma|Biosciences|Biotech|Laboratories|Diagnostics|Healthcare|HealthCare|Vascular|Medical)\b\.?")
_CORPORATE_AFTER = re.compile(_CORPORATE_RX)
_CORPORATE_AFTER_ANY_CASE = re.compile(_CORPORATE_RX, re.I)
#: an operation named after its surgeon ("a McKeown oesophagectomy", "Whipple procedure" is an eponym already)
_OPERATION_AFTER = re.compile(r"[ \t]+[^\W\d_]*(?:ectomy|otomy|ostomy|plasty|pexy|plication|rrhaphy|desis|lysis|tripsy|scopy|graphy|anastomosis|repair|"
                              r"approach|technique|incision|flap|shunt|method|stitch|suture|clamp|forceps|catheter|tube)\b", re.I)


#: the next word on the line (blanks only between)
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")
#: words after an eponym of an exam, a test, a scale or a device
_EXAM_WORDS = frozenset(
    "negative positive normal abnormal intact absent present stable equivocal grade grades class stage level score scale "
    "index lens lenses pouch dilator dilators needle tube tubes applanation tonometry tonometer perimetry field fields "
    "plates grid test tests sign signs reflex maneuver manoeuvre position technique method criteria classification type "
    "bag bags forceps clamp retractor blade contact loupe goniolens".split())
#: words after a name that end the look for an eponym's clinical noun (a verb or a function word)
_VERB_OR_FUNCTION = frozenset("was is has had will would can could may might should did does do and or but to of in on at for "
                              "with by from the a an who which that".split())
#: "the criteria of Burch & Wartofsky", "the classification of X and Y": named after people, no patient
_EPONYM_BEFORE = re.compile(r"(?i:criteria|classification|scale|score|sign|test|method|technique|maneuver|manoeuvre|rule|law|"
                            r"grading|system|staging|index|operation|procedure)[ \t]+of[ \t]+(?:[^\W\d_]+[ \t]*(?:and|&)[ \t]*)?\Z")
#: a result before an eponym ("positive Kernig and Brudzinski", "negative Romberg")
_RESULT_BEFORE = re.compile(r"(?i:positive|negative|\+|-ve|\+ve|equivocal|normal|abnormal)[ \t]+(?:[^\W\d_]+[ \t]+(?:and|or|&)[ \t]+)?\Z")


def _eponym_context(text: str, start: int, end: int, judge: WordJudge) -> bool:
    """A result or "criteria of" before the word, or a clinical noun or exam word after it (one
    word of any kind may come between: "Humphrey visual field")."""
    if _RESULT_BEFORE.search(text, max(0, start - 24), start) or _EPONYM_BEFORE.search(text, max(0, start - 60), start):
        return True
    pos = end
    for _ in range(2):
        nxt = _NEXT_WORD.match(text, pos)
        if nxt is None:
            return False
        w = nxt.group(1)
        if judge.clinical(w) or w.lower() in _EXAM_WORDS:
            return True
        if w.lower() in _VERB_OR_FUNCTION or w.lower().endswith(("ed", "s")):
            return False  # "Makela was seen", "Novak declined", "Szoke reports": a person does something
        pos = nxt.end()
    return False


def world_names(text: str, judge: WordJudge) -> list[_Hit]:
    """A word that is no English, clinical or drug word and is a given name or surname of another
    language once its marks are dropped ("Lindstrom", "Yildirim", "Goncalves", "Szoke": a keyboard
    without marks writes them so; :attr:`WordJudge.world`) or has the shape of one (an unknown word
    ending in ``-sson``, ``-dottir``, ``-escu``, ``-ovic``, ``-wicz``, ``-czyk``, ``-ski``,
    ``-enko``, ``-oglu``, ``-poulos``, ``-shvili``...): a name, with no cue around it. An unknown
    word alone is too often a misspelling or an abbreviation; one on a list of names is not.
    In a mixed-case note the word is capitalised (all capitals are an acronym or a heading), or
    in lower case with 6+ letters (a lower-case "ahmed" in a mixed-case note is the Ahmed valve);
    a note in one case takes it as written (5+ letters). Eponyms ("Sjogren's", "Behcet disease") and hyphenated compounds stay."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in re.finditer(_W, text):
        w = m.group(0)
        if len(w) < 4 or "-" in w or "'" in w or "’" in w:
            continue
        title = w[:1].isupper() and w[1:].islower()
        pair = _pair_partner(text, m, judge)
        if mixed and not title and not (w.islower() and (len(w) >= 6 or pair)):
            continue  # (a lower-case word of 4-5 letters in a mixed-case note needs a partner: "pham huong", not "ahmed")
        if not (mixed and title) and len(w) < 5 and not pair:
            continue
        if (_EPONYM_AFTER.match(text, m.end()) or _OPERATION_AFTER.match(text, m.end())
                or text[max(0, m.start() - 1):m.start()] in ("-", "'", "’")):
            continue
        if _eponym_context(text, m.start(), m.end(), judge):
            continue  # "Humphrey visual field", "Hruby lens", "Nissen fundoplication", "positive Kernig": an eponym
        f = _fold(w)
        if not (judge.surname_ok(f) and judge.unknown(f)):
            continue  # (a word WordNet knows only as a name is often a famous one: "Simpson grade", "France")
        if not judge.world(f.lower()) and not (len(f) >= 6 and _NAME_SHAPE.search(f)):
            continue
        if (_CORPORATE_AFTER if mixed else _CORPORATE_AFTER_ANY_CASE).match(text, m.end()) or _in_maker_parenthesis(
                text, m.start(), m.end(), mixed):
            continue  # "Baxter Healthcare Corporation", "(Stratus; Carl Zeiss GmbH, Jena, Germany)": a maker
        out.append(_Hit("NAME", m.start(), m.end(), 0.5, f"{ids.NAME_SLOTS}:world_name"))
        if pair:  # "Tran Quoc", "pham huong": the other part of the name
            out.append(_Hit("NAME", pair.start(), pair.end(), 0.5, f"{ids.NAME_SLOTS}:world_name"))
    return out


# the first word of a text (after blanks, quotes, a bullet or an opening bracket)
_OPENING_WORD = re.compile(rf"\A[\s\"'“‘(\[*•-]*(?P<w>{_W})(?![\w'’-])")


# a word in -ing right after a name: what a person does ("Wainwright monitoring overnight"), no eponym's noun
_DOING_AFTER = re.compile(r"[ \t]+[^\W\d_]{2,}ing(?![\w'’-])", re.I)


# what only a person does or is right after a word: a person's verb, "who", "aware of", a role in parentheses
# before its verb ("Bexivar (cardiology) recommends"), a word in -ing: a term's ending on the word proves nothing there
_OPENING_PERSON_AFTER = re.compile(
    rf"(?:[ \t]*\([^()\n]{{1,25}}\))?,?[ \t]+(?:who|aware[ \t]+of|{_STRONG_AFTER}|[^\W\d_]{{2,}}ing)(?![\w'’-])", re.I)
# what a subject does in a note's shorthand right after the word that opens a text: an infinitive ("X to follow up in
# clinic"), people joined to it ("X and the team discussed", "X and I"), a matter handed to it ("[call] X for the biopsy
# results"). An adjective or a term does not stand before these; a term's ending on an unknown word proves nothing there
# ("Bexivar for the results"), while a word the lexicon builds ("Perihilar", "Subpleural") stays a term.
_PEOPLE_OR_MATTER = (r"and[ \t]+(?:the[ \t]+(?:team|family|patient|nurse|resident|fellow)|I|we|family)|"
                     r"for[ \t]+(?:the|his|her|their|your|any|a)[ \t]+[a-z]{3,}[ \t]+(?:results?|report|paperwork|forms?|questions?|refills?)")
_OPENING_SUBJECT_AFTER = re.compile(rf"[ \t]+(?:to[ \t]+[a-z]{{3,}}|{_PEOPLE_OR_MATTER})(?![\w'’-])")
# the same in a text of one case, but for the infinitive ("bexivar for the biopsy results.", "BEXIVAR AND THE TEAM
# DISCUSSED": dev seed 1237; "TOLMARIC TO FOLLOW UP" may be a drug no list holds, "vanco to continue" one cut short)
_OPENING_SUBJECT_AFTER_ANY_CASE = re.compile(rf"[ \t]+(?:{_PEOPLE_OR_MATTER})(?![\w'’-])", re.I)


def opening_names(text: str, judge: WordJudge) -> list[_Hit]:
    """The word that opens a text when it is a name and no English word. An application that
    splits a note on periods hands ehrnlp the text after "... a copy to Dr." as "Strickland
    monitoring.": no cue is left in it. In a mixed-case text the word is capitalised and it is a
    word WordNet knows only as a name ("Strickland", "Delacroix"), a word English text writes
    capitalised far more often than in lower case and seldom in lower case ("Wainwright",
    "Tennant": :attr:`WordJudge.capital_word`, word frequencies), or one no lexicon holds that is a
    name of another language once folded ("Kowalczyk") or that no word of the lexicon builds
    (:attr:`WordJudge.coined`: "Zelorra"; "Subpleural", "Immunostains" are built of known words). A
    text in one case (capitals, lower case) has no capital to tell: only the word lists count there,
    5+ letters. A capitalised English noun ("Hall monitoring", "Price check"), a given name alone
    ("Will", "Grace"), a clinical word and an eponym ("Parkinson disease", "Doppler showed") stay."""
    mixed, _caps = _note_case(text)
    m = _OPENING_WORD.match(text)
    if m is None:
        return []
    w = m.group("w")
    if len(w) < 4 or "-" in w or re.search(r"['’](?:t|s|re|ll|ve|d|m)\Z", w, re.I):
        return []  # ("They're", "Hasn't")
    if (mixed and not (w[:1].isupper() and w[1:].islower())) or (not mixed and (len(w) < 5 or not (w.isupper() or w.islower()))):
        return []
    f = _fold(w)
    if not judge.surname_ok(f) or judge.clinical(w) or (judge.given(w) and not judge.capital_word(f)):
        return []  # (a given name alone opening a text is as often a word: "Will", "Grace"; not "Ellsworth")
    named = judge.place_name(f) or judge.capital_word(f) or (judge.unknown(f) and judge.world(f.lower()))
    person = (_OPENING_PERSON_AFTER.match(text, m.end("w")) is not None
              or (_OPENING_SUBJECT_AFTER if mixed else _OPENING_SUBJECT_AFTER_ANY_CASE).match(text, m.end("w")) is not None)
    if not named and not (judge.unknown(f) and judge.coined(f, person=person)):
        return []  # (an unknown word alone is as often a clinical one no lexicon holds: "Immunostains", "Subpleural")
    if (_EPONYM_AFTER.match(text, m.end("w")) or _OPERATION_AFTER.match(text, m.end("w"))
            or (not _DOING_AFTER.match(text, m.end("w")) and _eponym_context(text, m.start("w"), m.end("w"), judge))):
        return []  # "Nissen fundoplication", "Simpson grade", "Wilms tumor": an eponym ("Wainwright monitoring": a person)
    if (_CORPORATE_AFTER if mixed else _CORPORATE_AFTER_ANY_CASE).match(text, m.end("w")):
        return []  # "Medtronic Inc": a maker
    return [_Hit("NAME", m.start("w"), m.end("w"), 0.5, f"{ids.NAME_SLOTS}:opening")]


def _pair_partner(text: str, m: re.Match[str], judge: WordJudge) -> re.Match[str] | None:
    """The word right before or after ``m`` on its line (blanks between) that is written in the
    same case, is no English, clinical or drug word and no word cut short or misspelt
    (:attr:`WordJudge.abbreviation`), 3+ letters with a vowel: with a listed name beside it, the
    other part of a person's name ("Tran Quoc", "pham huong")."""
    w = m.group(0)
    after = re.compile(rf"[ \t]+(?P<p>{_W})(?![\w'’-])").match(text, m.end())
    before = re.compile(rf"(?<![\w'’-])(?P<p>{_W})[ \t]+\Z").search(text, max(0, m.start() - 40), m.start())
    for c in (after, before):
        if c is None:
            continue
        p = c.group("p")
        if len(p) < 3 or "-" in p or "'" in p or "’" in p or p.isupper() != w.isupper() or p[:1].isupper() != w[:1].isupper():
            continue
        f = _fold(p)
        if (judge.surname_ok(f) and judge.unknown(f) and judge.whole(f.lower())) or (len(f) >= 4 and judge.world(f.lower())):
            return re.compile(_W).search(text, c.start("p"), c.end("p"))
    return None


# --------------------------------------------------------------------------- branch deid10
# Evidence strong enough for a word the lexicon knows as a noun ("caspian", "marguerite", "penrose"), in any case:
# the caller's own name in a self-introduction, the subject of a person's confusion, the name right after "my son",
# a word alone in a role's parentheses. The word must be no English adjective, adverb, verb, function word, person
# noun, title, month, weekday or service (:attr:`WordJudge.given_slot`), no clinical word and no word of a shift,
# a staffing arrangement or a mind's faculty.
_NOT_GIVEN_HERE = frozenset("agency locum locums traveler traveller float relief backup student trainee weekend weekends "
                            "mood memory mind mentation behavior behaviour thinking affect cognition judgment judgement "
                            "grandpa grandma granny gramma grandad granddad nana papa mama mommy daddy baby kid kids "
                            "team staff family everybody everyone nobody someone somebody anyone anybody".split())
_KIN = re.compile(rf"(?i:{_RELATIVE}|grandpa|grandma|granny|nana|papa|mama|mommy|daddy|mom|dad|mum)\Z")


def _noun_name(w: str, judge: WordJudge, mixed: bool) -> bool:
    """``w`` may be a given name or surname where only a person's name fits (see above): a listed
    or unknown name word, or a noun of the lexicon that is nothing else; never an acronym in a
    mixed-case note, never a relation ("my son dad")."""
    low = w.lower()
    if len(w) < 3 or (mixed and w.isupper() and len(w) <= 4) or low in _NOT_GIVEN_HERE or _KIN.match(low):
        return False
    if judge.clinical(w) or (not judge.surname_ok(w) and not judge.given(w)):
        return False
    return judge.given(w) or judge.unknown(w) or judge.surname(w) or judge.given_slot(w) or judge.world(_fold(w).lower())


_SENT = r"(?:^|(?<=[.!?:;\"“”(])|(?<=[.!?:;\"“”(][ \t])|(?<=[.!?:;\"“”(][ \t]{2}))"  # a sentence's or a quote's opening
# a caller naming themselves: "Hi, it's caspian", "hello, this is Marguerite Penrose", "my name is X", and
# "this is X Y calling": the words up to "calling" / "here" / "from" / "returning"
_GREETING = (r"(?:(?:hi|hello|hey|good[ \t]+(?:morning|afternoon|evening))[,!.]?[ \t]+(?:this[ \t]+is|it['’]?s|it[ \t]+is|i['’]m|i[ \t]+am)"
             r"|my[ \t]+name[ \t]+is)")
_INTRO_RX = re.compile(rf"(?<![\w'’-])(?i:{_GREETING})(?:[ \t]*,)?{_GAP}(?P<n>{_W}(?:{_GAP}{_W}){{0,2}})(?P<c>)(?P<after>)")
_CALLING_RX = re.compile(
    rf"(?<![\w'’-])(?P<c>(?i:{_GREETING}|this[ \t]+is|it['’]s|it[ \t]+is))(?:[ \t]*,)?{_GAP}(?P<n>{_W}(?:{_GAP}{_W}){{0,2}}?)"
    rf"(?P<after>(?:[ \t]*,)?{_GAP}(?i:calling|here[ \t]+(?:to|for|about|from)|from[ \t]+the|returning|speaking)(?![\w'’-]))")
# the one the relative reports on: '"caspian has been confused since tuesday"', "Marguerite was agitated overnight"
_CONFUSED_RX = re.compile(
    rf"(?m){_SENT}[ \t]*(?P<n>{_W})[ \t]+(?i:has[ \t]+been|had[ \t]+been|is|was|seems|seemed|became|got|gets|is[ \t]+getting)[ \t]+"
    rf"(?i:more[ \t]+|very[ \t]+|increasingly[ \t]+|so[ \t]+|really[ \t]+)?(?i:confused|agitated|forgetful|tearful|combative|disoriented)(?![\w'’-])")
# a relative named right after the relation and a possessive: "my son caspian handles my medications"
_OWNED_RELATIVE_RX = re.compile(
    rf"(?<![\w'’-])(?i:my|our|your|her|his|their|with[ \t]+(?:her|his|their)?)[ \t]+(?i:{_RELATIVE})[ \t]+(?P<n>{_W})(?![\w'’-]|[ \t]*\()")


def cue_word_names(text: str, judge: WordJudge) -> list[_Hit]:
    """Names that a sentence gives away although the word is a noun of the lexicon, in any case
    (branch deid10): a self-introduction (``_INTRO_RX``), the subject of a person's confusion
    (``_CONFUSED_RX``), a relative right after ``my son`` (``_OWNED_RELATIVE_RX``)."""
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in [*_INTRO_RX.finditer(text), *_CALLING_RX.finditer(text)]:  # ("this is" alone names only before "calling")
        words = list(re.finditer(_W, m.group("n")))
        keep: list[re.Match[str]] = []
        for w in words:
            if not _noun_name(w.group(0), judge, mixed) or (keep and not _same_form(w.group(0), keep[0].group(0))):
                break
            keep.append(w)
        if m.group("after") and len(keep) != len(words):
            continue  # "this is the pharmacy calling": every word before "calling" a name's
        if keep:
            base = m.start("n")
            out.append(_Hit("NAME", base + keep[0].start(), base + keep[-1].end(), 0.5, f"{ids.NAME_SLOTS}:intro"))
    for rx in (_CONFUSED_RX, _OWNED_RELATIVE_RX):
        for m in rx.finditer(text):
            if _noun_name(m.group("n"), judge, mixed):
                out.append(_Hit("NAME", m.start("n"), m.end("n"), 0.5, f"{ids.NAME_SLOTS}:cue_word"))
    return out
