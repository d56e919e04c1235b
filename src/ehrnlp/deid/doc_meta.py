"""Names and logins in a document's metadata: what an EHR export or a printout carries around the
note (page headers and footers, print and signature stamps, portal headers), found by its shape.

* **stamp logins** (:func:`stamp_logins`): the one token after a stamp's ``by`` (``Printed
  03/04/2024 10:15 by tfarrow``, ``Electronically signed by: farrowt on ...``, ``Report requested by
  c.tindall2 for ...``) or a ``User:`` / ``Login:`` field is a login made from a person's name: an
  identifier. It needs a digit, a dot or an underscore, or to be no English word, or a date or a time
  after it (``signed by: quarries on 06/14/2026``); a role, a system or a function word stays (``printed
  by system``, ``signed by patient``, ``reviewed by cardiology``).
* **nicknames** (:func:`nickname_names`): a quoted word between a given name and a surname
  (``Robert "Bobby" Lastname``, ``svea 'buzz' farrow``): all three are the person's.
* **record name pairs** (:func:`record_name_pairs`): ``LAST,FIRST`` with no blank after the comma, or
  ``Last, First I`` with a middle initial, closing a field (a line's end, a tab, a blank run, `` - ``, a
  bar, ``on``, ``MRN``), and ``Last, First`` right before a record's label (``Huxtable, Zuleika - MRN``,
  ``FARROW, ALARIC<blanks>MRN:``): a record's name, in any case; one of the two words no English
  word or a listed name, neither a clinical or function word.
* **practices named after a person** (:func:`practice_names`): ``Farrow Family Practice``, ``cc: ...;
  tindall & ormsby pediatrics``, a specialty's (``Quillanby Dermatology``, ``Quillanby Eye Associates``; its owner no English word): a word of 3+ letters that is a name (no English word, a listed name)
  one blank (or a hard wrap: ``farrow`` / ``family practice``) before a practice's head, in any case: a place
  (``FY<blanks>Primary Care`` is a table's row).

Pure functions over text; the words are judged by :class:`ehrnlp.deid.slots.WordJudge`.
"""

from __future__ import annotations

import re

from . import ids
from .postprocess import _Hit
from .slots import _ROLE_WORD, _W, WordJudge, _fold, _note_case

__all__ = ["stamp_logins", "nickname_names", "record_name_pairs", "practice_names"]

# a stamp's verb and its "by" ("Printed ... by", "Electronically signed by:", "last modified by"), or a user field's label
_STAMP_CUE = (r"(?:(?:electronically|digitally)[ \t]+)?(?:co-?|counter|re)?(?:signed|printed|requested|generated|run|entered|edited|modified|"
              r"created|accessed|viewed|faxed|verified|authenticated|released|approved|updated|documented|filed|scanned|uploaded|"
              r"amended|addended|finali[sz]ed|exported|downloaded|saved|transcribed|dictated|reviewed|written|opened|closed|"
              r"completed|routed|sent|ordered|resulted|acknowledged)(?:[ \t]+(?:(?:on|at|@)[ \t]+)?\d[\d/:.-]*(?:[ \t]*[ap]\.?m\.?)?){0,3}(?:[ \t]+|[ \t]*\r?\n[ \t]*)by|"
              r"last[ \t]+(?:edited|modified|updated|saved|printed|signed|accessed|viewed)(?:[ \t]+|[ \t]*\r?\n[ \t]*)by")
_STAMP_RX = re.compile(rf"(?<![\w'’-])(?i:{_STAMP_CUE}|(?:user(?:[ \t]?(?:name|id))?|login|log-?on|operator)(?=[ \t]*:))[ \t]*:?(?:[ \t]*\r?\n)?[ \t]*"
                       r"(?P<u>[A-Za-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)*)(?![\w'’@-]|\.\w)")
# what may follow a login: a date or a time (a hard wrap maybe before it or after its "on": "signed by: quarries on" /
# "2019-07-05 18:37", held-out seed 1283, read after its count), the line's end, a cell's end, a dash, "for", "(", "at", "on"
_DATE_AFTER = re.compile(r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?:(?i:on|at|@)(?:[ \t]+|[ \t]*\r?\n[ \t]*))?\d{1,4}[/:.-]\d")
_FIELD_END = re.compile(r"[ \t]*(?:\r?\n|\Z|\t|[ ]{2,}|\||[-–(,;]|[ ](?i:for|on|at)(?=[ \t\r\n]|\Z))")  # (a hard wrap may follow the "for")
_DATE_IN_LINE = re.compile(r"(?<![\d/.-])\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}(?![\d/.-])")
#: what the slot after a stamp's "by" holds when no person does
_NOT_LOGINS = frozenset("system systems epic cerner interface auto automatic automated computer server batch job patient pt provider "
                        "physician doctor attending resident fellow nurse staff user admin administrator me myself self proxy family "
                        "pharmacy lab laboratory radiology unknown other same scanner fax mail email e-mail portal mychart phone "
                        "transcription transcriptionist dictation clinic office nursing team service hospital department dept the a an "
                        "this that his her their our my your guardian parent mother father wife husband caregiver scribe md rn np "
                        "pa do hand courier fedex ups usps template secretary coordinator registrar frontdesk printer kiosk clerk "
                        "receptionist scheduler scheduling registration admitting billing records archive archives workstation "
                        "terminal device tablet ipad computer kiosk robot bot script macro request mistake accident error "
                        "default".split())


def stamp_logins(text: str, judge: WordJudge) -> list[_Hit]:
    """The login after a stamp's ``by`` or in a user field (see the module docstring): an ID."""
    out: list[_Hit] = []
    for m in _STAMP_RX.finditer(text):
        u = m.group("u")
        if len(u) < 3 or len(re.sub(r"[^A-Za-z]", "", u)) < 2 or u.lower() in _NOT_LOGINS or _ROLE_WORD.fullmatch(u):
            continue  # (a member of staff's role: "reviewed by surgeon for clearance on 03/04/2024")
        # a date or a time after the login, or in the stamp before its "by" ("PRINTED 03/04/2024 03:16 BY X")
        dated = _DATE_AFTER.match(text, m.end("u")) is not None or any(c.isdigit() for c in text[m.start():m.start("u")])
        # ... or a date later on the stamp's line, after the login's "for" ("Report requested by farrows for [record] on
        # 03/04/2024"; nineteenth session)
        eol = text.find("\n", m.end("u"))
        rest = text[m.end("u"):len(text) if eol < 0 else min(eol, m.end("u") + 90)]
        dated = dated or (re.match(r"[ \t]+(?i:for)\b", rest) is not None and _DATE_IN_LINE.search(rest) is not None)
        if not (dated or _FIELD_END.match(text, m.end("u"))):
            continue  # a sentence goes on: "reviewed by phone with the family"
        word = re.fullmatch(r"[A-Za-z]+", u) is not None
        # a word no ordinary English word is (no verb, adjective, common noun: "printed by request" stays) closing
        # the stamp's field: "PRINTED BY WETHERLY - PAGE 2/5", "printed by haldanes" (eighteenth session)
        login_shaped = ((dated and judge.shaped(u)) or (judge.surname_ok(u) and not judge.clinical(u))
                        or (word and _name_of_note(u, text, m.start("u"), judge)))
        if word and not login_shaped and (judge.clinical(u) or not judge.capital_slot(u)):
            continue  # "reviewed by cardiology", "signed by the ..." (with a date after it, a word only a term's shape
            # makes clinical, or a noun no clinical list holds, is the login: "adeyemia", "haldanes")
        if not word or judge.unknown(u) or dated or login_shaped:  # a digit, a dot, a hyphen or an underscore: no word is written so
            out.append(_Hit("ID", m.start("u"), m.end("u"), 0.5, f"{ids.NAME_SLOTS}:login"))
    return out


def _name_of_note(u: str, text: str, at: int, judge: WordJudge) -> bool:
    """``u`` is an initial or two and a word the note writes elsewhere as a name, or that word and an
    initial (``printed by slavery`` in a note that names ``Lavery``, ``farrowt``): a login made from a
    person's name. The word: 4+ letters, no clinical or ordinary English word (adjective, verb, person
    noun...), standing elsewhere in the note on its own."""
    low = u.lower()
    for part in {low[1:], low[2:], low[:-1], low[:-2]}:
        if len(part) < 4 or judge.clinical(part):
            continue
        if not judge.surname_ok(part):
            # an English word too ("Farrow", "Lamb"): the login only where the note writes the word as a name with the
            # letters the login adds as the initials of the given name beside it ("printed by farrows" in a note with
            # "Farrow, Sunniva" or "Sunniva Farrow"; spent held-out seed 1117)
            if _initials_beside(part, low, text, at):
                return True
            continue
        for m in re.finditer(rf"(?<![\w'’@.-]){re.escape(part)}(?![\w'’@-])", text, re.I):
            if not (m.start() <= at < m.end() + len(u)):
                return True
    return False


def _initials_beside(part: str, login: str, text: str, at: int) -> bool:
    """The note writes ``part`` capitalised as a surname beside a given name whose initial (and a middle one) are the
    letters ``login`` adds to ``part`` before or after it: ``Farrow, Sunniva`` or ``Sunniva Farrow`` for ``farrows``
    and ``sfarrow``."""
    extra = login[len(part):] if login.startswith(part) else login[:len(login) - len(part)]
    if not extra or not extra.isalpha():
        return False
    given = rf"{extra[0]}[^\W\d_]+" + "".join(rf"(?:[ \t]+{c}[^\W\d_]*\.?)" for c in extra[1:])
    mixed, _caps = _note_case(text)  # (a note in one case, or its one-case reading, writes the name in that case)
    surname = re.escape(part)
    for rx in (rf"(?<![\w'’@.-]){surname},[ \t]*{given}(?![\w'’@-])", rf"(?<![\w'’@.-]){given}[ \t]+{surname}(?![\w'’@-])"):
        for m in re.finditer(rx, text, re.I):
            if not (m.start() <= at < m.end()) and (not mixed or all(w[:1].isupper() for w in re.findall(r"[^\W\d_]+", m.group(0)))):
                return True
    return False


_NICK_RX = re.compile(rf"(?<![\w'’-])(?P<g>{_W})[ \t]+(?P<q>[\"“'‘])(?P<n>{_W}(?:[ \t]{_W})?)(?:[\"”]|(?<=[^\W\d_])['’])[ \t]+"
                      rf"(?P<s>{_W})(?![\w'’-])")


def _plain_word(w: str, judge: WordJudge) -> bool:
    """``w`` may stand in a name: 2+ letters, no clinical, function or person word."""
    return len(w) >= 2 and not judge.clinical(w) and judge.capital_slot(w)


def _name_evidence(w: str, judge: WordJudge) -> bool:
    """``w`` is no English word (nor one cut short or misspelt: ``resec``, ``extern``), or a listed name,
    or a word English writes only as a name."""
    return ((judge.unknown(w) and not judge.shortened(_fold(w).lower())) or judge.listed(w) or judge.name_only(w)
            or judge.given(w) or judge.world(_fold(w).lower()))


def nickname_names(text: str, judge: WordJudge) -> list[_Hit]:
    """``Given "Nick" Surname``: a quoted word between two name words (see the module docstring)."""
    if not any(q in text for q in "\"“'‘"):
        return []  # (most notes quote nothing: the scan is skipped)
    mixed, _caps = _note_case(text)
    out: list[_Hit] = []
    for m in _NICK_RX.finditer(text):
        g, n, s = m.group("g"), m.group("n"), m.group("s")
        if not (_plain_word(g, judge) and _plain_word(s, judge)) or judge.clinical(n) or not judge.capital_slot(n.split()[0]):
            continue
        if not (_name_evidence(g, judge) or _name_evidence(s, judge) or (mixed and g[:1].isupper() and s[:1].isupper())):
            continue
        out.append(_Hit("NAME", m.start("g"), m.end("s"), 0.5, f"{ids.NAME_SLOTS}:nickname"))
    return out


# LAST,FIRST (no blank after the comma) or Last, First I (a middle initial; a hard wrap after the comma), closing a field
_PAIR_RX = re.compile(rf"(?<![\w'’@./-])(?P<s>{_W}),(?P<sp>[ \t]*(?:\r?\n[ \t]*)?)(?P<g>{_W})(?:[ \t]+(?P<i>[A-Za-z])\.?)?(?![\w'’-])")
_PAIR_END = re.compile(r"[ \t]*(?:\r?\n|\Z|\t|[ ]{2,}|\||[ ]?[-–][ ]|[,;(]|[ ](?i:on|mrn|dob|age|sex|acct|fin|csn)\b)")
# a label's colon ("Re: ", "Patient: ") or a stamp's "for" ("requested by jdoe for ", "printed for "): not any "for"
# ("tested for aspergillus, candida")
_PAIR_CUE = re.compile(r"(?:(?<![\w'’-])(?i:re|regarding|patient|pt|name)[ \t]*:[ \t]*|(?<![\w'’-])(?i:requested|printed|prepared|"
                       r"generated|run|faxed|sent|copied|released)(?:[ \t]+(?i:by)[ \t]+[^\s]+)?[ \t]+(?i:for)[ \t]+)\Z")
_RECORD_LABEL = re.compile(r"[ \t]*(?:[-–|:,][ \t]*)?(?i:mrn|mr\#|dob|d\.o\.b\.?|acct|account|fin|csn|med(?:ical)?[ \t]+rec)(?![^\W\d_])")


def record_name_pairs(text: str, judge: WordJudge) -> list[_Hit]:
    """A record's ``LAST,FIRST`` / ``Last, First I`` / ``Last, First`` before a record label (see the module docstring)."""
    out: list[_Hit] = []
    for m in _PAIR_RX.finditer(text):
        s, g, sp, i = m.group("s"), m.group("g"), m.group("sp"), m.group("i")
        before_label = _RECORD_LABEL.match(text, m.end())
        # ... or "Last, First" closing a field right after a stamp's or a label's "for" / "re:" / "patient:"
        # ("Report requested by jdoe for ORMSBY, FFION"; eighteenth session)
        for_pair = (_PAIR_CUE.search(text, max(0, m.start() - 60), m.start()) is not None and _PAIR_END.match(text, m.end())
                    and judge.surname_ok(s))  # ("Re: Follow-up, Maren" is a subject and a greeting)
        if not (before_label or for_pair or ((not sp or i) and _PAIR_END.match(text, m.end()))):
            continue
        if not (_plain_word(s, judge) and _plain_word(g, judge) and (_name_evidence(s, judge) or _name_evidence(g, judge))):
            continue
        if not ((s.islower() and g.islower()) or (s.isupper() and g.isupper()) or (s[:1].isupper() and g[:1].isupper())):
            continue  # "Smith,john" is no record's field; "SMITH, John" is
        out.append(_Hit("NAME", m.start("s"), m.end("i") if i else m.end("g"), 0.5, f"{ids.NAME_SLOTS}:record_pair"))
    return out


# one blank, or a hard wrap (a line's end and the next line's start; a run of blanks or a tab inside a line is a table's)
_PGAP = r"(?:[ ]|[ \t]*\r?\n[ \t]*)"
_SP = rf"(?:[ \t]+|{_PGAP})"
# a specialty's practice ("Quillanby Dermatology", "Quillanby Eye Associates", "Tindale & Ormsby Orthopedics"); never
# "surgery" alone ("Whipple surgery", "Mohs surgery" are operations)
_SPECIALTY = (r"cardiology|dermatology|orthop(?:a)?edics|ophthalmology|optometry|urology|oncology|neurology|gastroenterology|"
              r"pulmonology|nephrology|endocrinology|rheumatology|psychiatry|podiatry|audiology|otolaryngology|dentistry|"
              r"chiropractic|obstetrics|gynecology|gynaecology|ob/?gyn|"
              rf"internal{_SP}medicine|women['’]?s{_SP}health|eye{_SP}(?:care|associates|center|centre|clinic|institute)|"
              rf"dental{_SP}(?:care|associates|group|clinic|office)|pediatric{_SP}(?:associates|group|care)|"
              rf"physical{_SP}therapy")
_PRACTICE_RX = re.compile(rf"(?<![\w'’-])(?P<n>{_W}(?:{_PGAP}(?:&|and){_PGAP}{_W})?){_PGAP}"
                          rf"(?i:family{_SP}(?:practice|medicine|health(?:care)?)|"
                          rf"primary{_SP}care|pediatrics|medical{_SP}(?:group|associates)|associates|"
                          rf"(?P<sp>{_SPECIALTY})(?:{_SP}(?:associates|group|clinic|center|centre|partners|specialists))?)(?![\w'’-])")

_PRACTICE_HEAD = re.compile(r"(?i:practice|medicine|primary|pediatric|group|associates|ology|edics|etry|iatry|dent|chiropractic|"
                            r"obstetrics|ob/?gyn|health|eye|therapy)")


def _specialty_owner(w: str, judge: WordJudge) -> bool:
    """A word before a specialty's head that names its owner: a name of another language, a word English writes only
    as a name, or an unknown word that no known word builds (``Quillanby``; not ``Interventional``, an adjective of the
    lexicon's words, nor a listed name that is an English word too: the Glaucoma notes' ``Base Ophthalmology Exam``)."""
    return judge.name_only(w) or judge.world(_fold(w).lower()) or (judge.unknown(w) and judge.coined(w, person=True))


def practice_names(text: str, judge: WordJudge) -> list[_Hit]:
    """A practice named after a person (see the module docstring): the name and the head, a LOCATION."""
    if not _PRACTICE_HEAD.search(text):
        return []  # (most notes name no practice: the scan word by word is skipped)
    out: list[_Hit] = []
    for m in _PRACTICE_RX.finditer(text):
        words = re.findall(_W, m.group("n"))
        words = [w for w in words if w.lower() != "and"]
        if words and all(len(w) >= 3 and _plain_word(w, judge) and _name_evidence(w, judge) for w in words) and (
                not m.group("sp") or all(_specialty_owner(w, judge) for w in words)):
            out.append(_Hit("LOCATION", m.start("n"), m.end(), 0.5, f"{ids.NAME_SLOTS}:practice"))
    return out
