"""Dictated and speech-recognised text, read as a listener reads it (issue 16, the canary's ``spoken`` kind, branch
canx21).

A dictation hands a patient's identity over in words, where every rule of the de-identifier looks for digits,
dates and capitals:

* **numbers read out** one digit at a time (``oh`` or ``zero`` for 0, ``double seven``, ``triple oh``) or in pairs
  (``forty eight seventeen``), their groups parted by a pause, a written or a spoken ``comma`` or ``dash``
  (:func:`number_spans`): a chain of seven digits or more is an identifier or a phone number, whatever is before it
  (no quantity a clinician dictates runs to seven digits), one of four or more after an identifier's or a phone's
  cue (``m r n``, ``record number``, ``call back number``, ``reached at``) too;
* **dates said** (:func:`date_spans`): ``march fourth nineteen sixty one``, ``the twenty third of september twenty
  twenty two``, ``january twentieth comma nineteen eighty one``, ``twelve slash five slash nineteen twenty five``,
  ``june two thousand and four``;
* **names spelled out** (:func:`spelled_spans`): ``q u e n b y``, ``Q-U-E-N-B-Y``, ``q as in queen``, NATO words
  (``quebec uniform echo ...``), after a spelling cue (``spelled``, ``that is``, ``last name``), after the name itself
  (``quenby q u e n b y``), or in a form only a spelling takes (``as in``, three NATO words; ``b for boy`` inside a
  spelling is its letter); the word the letters
  spell is the name wherever the note writes it again.

Clinical dictation stays: ``blood pressure one forty over ninety``, ``two puffs twice a day``, ``five milligrams``,
``grade two over six``, ``times three``, ``a period of observation``, ``h e e n t``.

Pure functions over text; offsets are the note's own. Read by :class:`ehrnlp.deid.recognizers.SpokenRecognizer`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .slots import WordJudge

__all__ = ["number_spans", "date_spans", "spelled_spans", "spoken_spans", "read_number", "dictation_names"]

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORD_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_ORD_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
              "eighteenth", "nineteenth"]
_NUM_UNITS = {w: k for k, w in enumerate(_UNITS)} | {"oh": 0}
_NUM_TEENS = {w: 10 + k for k, w in enumerate(_TEENS)}
_NUM_TENS = {w: k * 10 for k, w in enumerate(_TENS) if w}
_NUM_ORD = {w: k for k, w in enumerate(_ORD_UNITS) if w} | {w: 10 + k for k, w in enumerate(_ORD_TEENS)} | {
    "twentieth": 20, "thirtieth": 30}
_NUM_WORDS = frozenset(_NUM_UNITS) | frozenset(_NUM_TEENS) | frozenset(_NUM_TENS) | frozenset(_NUM_ORD) | {
    "hundred", "thousand", "double", "triple"}
#: the NATO spelling alphabet (and its common variants)
_NATO = {"alpha": "a", "alfa": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f", "golf": "g",
         "hotel": "h", "india": "i", "juliet": "j", "juliett": "j", "kilo": "k", "lima": "l", "mike": "m", "november": "n",
         "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s", "tango": "t", "uniform": "u",
         "victor": "v", "whiskey": "w", "whisky": "w", "xray": "x", "yankee": "y", "zulu": "z"}
#: what parts the groups of a number said (a written or a spoken comma, dash or hyphen)
_GROUP_SEPARATORS = frozenset({",", "-", "comma", "dash", "hyphen"})
_TOKEN = re.compile(r"(?i:x-ray)(?![\w-])|[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|[^\w\s]")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower().replace("x-ray", "xray"), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def read_number(words: list[str], k: int) -> tuple[str | None, int]:
    """The digits of the number words from ``words[k]`` on (lower case: ``nineteen sixty one`` 1961, ``double oh
    seven`` 007, ``one hundred and one`` 101, ``two thousand and four`` 2004, ``forty eight seventeen`` 4817; an
    ordinal ends the number) and the index after them; ``None`` where ``words[k]`` starts none (``oh`` alone is a
    word)."""
    n, j, s, parts = len(words), k, "", 0

    def at(m: int) -> str:
        return words[m] if m < n else ""

    def small(m: int) -> tuple[int, int]:  # 1-99 from words[m] ((0, m) if none)
        w = at(m)
        if w in _NUM_TENS:
            h = 1 if at(m + 1) == "-" else 0  # "sixty-one"
            u = _NUM_UNITS.get(at(m + 1 + h), 0)
            return (_NUM_TENS[w] + u, m + 2 + h) if u and at(m + 1 + h) != "oh" else (_NUM_TENS[w], m + 1)
        if w in _NUM_TEENS:
            return _NUM_TEENS[w], m + 1
        if w in _NUM_UNITS and w != "oh" and _NUM_UNITS[w]:
            return _NUM_UNITS[w], m + 1
        return 0, m

    while j < n:
        w = words[j]
        if w == "-" and s and at(j + 1) in _NUM_WORDS and at(j - 1) in _NUM_WORDS:  # "sixty-one"
            j += 1
            continue
        if w in ("double", "triple") and at(j + 1) in _NUM_UNITS:
            s += str(_NUM_UNITS[at(j + 1)]) * (2 if w == "double" else 3)
            j, parts = j + 2, parts + 2
            continue
        if w in _NUM_ORD:
            return s + str(_NUM_ORD[w]), j + 1
        if w in _NUM_TENS:
            if at(j + 1) in _NUM_ORD and _NUM_ORD[at(j + 1)] < 10:
                return s + str(_NUM_TENS[w] + _NUM_ORD[at(j + 1)]), j + 2
            v, j = small(j)
            s, parts = s + str(v), parts + 1
            continue
        if w in _NUM_TEENS:
            s, j, parts = s + str(_NUM_TEENS[w]), j + 1, parts + 1
            continue
        if w in _NUM_UNITS:
            u = _NUM_UNITS[w]
            if at(j + 1) in ("hundred", "thousand") and u:
                v, j = u * (100 if at(j + 1) == "hundred" else 1000), j + 2
                if v >= 1000 and at(j + 1) == "hundred" and at(j) in _NUM_UNITS:
                    v, j = v + 100 * _NUM_UNITS[at(j)], j + 2
                if at(j) == "and" and at(j + 1) in _NUM_WORDS:
                    j += 1
                r, j = small(j)
                s, parts = s + str(v + r), parts + 1
                continue
            s, j, parts = s + str(u), j + 1, parts + 1
            continue
        break
    if not s or (parts == 1 and words[k] == "oh"):
        return None, k
    return s, j


# an identifier's or a phone's cue, in the few words before a number said ("m r n", "record number is", "reached at")
_ID_CUE = re.compile(
    r"(?<![\w'’-])(?:m[ \t.]*r[ \t.]*n|mrn|record|account|acct|chart|number|no|phone|telephone|cell|mobile|home|work|"
    r"fax|pager|beeper|extension|ext|callback|call[ \t]+back|reached|reach|contact|ssn|s[ \t.]*s[ \t.]*n|social|security|"
    r"member|policy|insurance|id|identifier|medicaid|medicare|license|licence|plate|serial|zip|postal|post[ \t]+code)"
    r"(?:[ \t]+(?:is|at|on|number|no|of|code|colon|:|#))*[ \t:#]*\Z", re.I)
_PHONE_CUE = re.compile(r"(?i:phone|telephone|cell|mobile|fax|pager|beeper|extension|ext|call|reached|reach|contact)")


def number_spans(text: str) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` of the identifiers and phone numbers read out in words: a chain of number words (its
    groups parted by blanks, a comma or a dash, written or said) of seven digits or more, or of four or more after an
    identifier's or a phone's cue; a phone's cue or ten or eleven digits make it a PHONE, else an ID."""
    toks = _tokens(text)
    words = [t for t, _, _ in toks]
    out: list[tuple[str, int, int]] = []
    k, n = 0, len(toks)
    while k < n:
        if words[k] not in _NUM_WORDS:
            k += 1
            continue
        digits, j = read_number(words, k)
        if digits is None:
            k += 1
            continue
        first, last = k, j - 1
        total = digits
        while j < n:  # more groups: a separator (or only blanks) and another number said
            g = j + 1 if words[j] in _GROUP_SEPARATORS else j
            if g >= n or not _only_blanks(text, toks[j - 1][2], toks[j][1]) or (g > j and not _only_blanks(text, toks[j][2], toks[g][1])):
                break
            more, j2 = read_number(words, g) if words[g] in _NUM_WORDS else (None, g)
            if more is None:
                break
            total += more
            last, j = j2 - 1, j2
        start, end = toks[first][1], toks[last][2]
        before = text[max(0, start - 40):start]
        cue = _ID_CUE.search(before)
        if len(total) >= 7 or (len(total) >= 4 and cue is not None and last > first):
            phone = len(total) in (10, 11) or (cue is not None and _PHONE_CUE.search(cue.group()) is not None)
            out.append(("PHONE" if phone else "ID", start, end))
        k = j
    return out


def _only_blanks(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return not gap.strip() and gap.count("\n") <= 1


_S = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*|[ \t]*-[ \t]*)"
_UNIT = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEEN = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_TENS_RX = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ORDU = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
_ORDT = (r"(?:tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
         r"twentieth|thirtieth)")
_DAY_ORD = rf"(?:(?:twenty|thirty){_S}{_ORDU}|{_ORDT}|{_ORDU})"
_DAY_CARD = rf"(?:(?:twenty|thirty)(?:{_S}{_UNIT})?|{_TEEN}|(?:oh{_S})?{_UNIT})"
_YEAR = (rf"(?:(?:eighteen|nineteen|twenty){_S}(?:oh{_S}{_UNIT}|{_TENS_RX}(?:{_S}{_UNIT})?|{_TEEN})|"
         rf"two{_S}thousand(?:{_S}and)?(?:{_S}(?:{_TENS_RX}(?:{_S}{_UNIT})?|{_TEEN}|{_UNIT}))?)")
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_PUNCT = rf"(?:[ \t]*,[ \t]*(?:\r?\n[ \t]*)?|{_S}comma{_S}|[ \t]+|[ \t]*\r?\n[ \t]*)"
_SLASH = r"(?:[ \t]*/[ \t]*|[ \t]+slash[ \t]+|[ \t]*\r?\n[ \t]*slash[ \t]+|[ \t]+slash[ \t]*\r?\n[ \t]*)"
_DATE_SAID = re.compile(
    r"(?<![\w'’-])(?:"
    rf"{_MONTH}{_S}(?:the{_S})?{_DAY_ORD}(?:{_PUNCT}(?:of{_S})?{_YEAR})?|"  # march fourth (nineteen sixty one)
    rf"{_MONTH}{_S}{_DAY_CARD}{_PUNCT}{_YEAR}|"  # march four, nineteen sixty one
    rf"(?:the{_S})?{_DAY_ORD}{_S}of{_S}{_MONTH}(?:{_PUNCT}{_YEAR})?|"  # the fourth of march (nineteen sixty one)
    rf"{_DAY_CARD}{_SLASH}{_DAY_CARD}{_SLASH}(?:{_YEAR}|{_TENS_RX}(?:{_S}{_UNIT})?|oh{_S}{_UNIT})|"  # three slash four slash ...
    rf"{_MONTH}{_S}(?:of{_S})?{_YEAR}"  # june two thousand and four
    r")(?![\w'’-])", re.I)


def date_spans(text: str) -> list[tuple[int, int]]:
    """The dates said in words (module docstring)."""
    if not re.search(rf"(?i){_MONTH}|slash|/", text):
        return []
    out = []
    for m in _DATE_SAID.finditer(text):
        if m.group().lower().startswith("may") and not (_YEAR_END.search(m.group()) or _ON_BEFORE.search(text, 0, m.start())):
            continue  # "she may first try ...": the verb, not the month, without a year or an "on" before it
        out.append(m.span())
    return out


_YEAR_END = re.compile(rf"(?i){_YEAR}\Z")
_ON_BEFORE = re.compile(r"(?i)(?<![\w'’-])(?:on|of|in|since|from|until|till|by|before|after|born|dated)[ \t]+\Z")


# a spelling's cue in the few words before the letters ("spelled", "that is", "last name", "i will spell that")
_SPELL_CUE = re.compile(
    (r"(?<![\w'’-])(?:spell(?:ed|ing|s)?|that[ \t]+is|that['’]s|(?:first|last|given|family|middle|maiden|sur)[ \t]?names?|"
     r"name[ \t]+is|letters?)(?:[ \t]+(?:is|as|of|that|it|the|last|first|name))*[ \t]*(?:[:,]|[ \t]colon|[ \t]comma)?[ \t]*\Z")
    .replace(r"[ \t]+", r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)").replace(r"[ \t]*\Z", r"\s*\Z"), re.I)  # (a hard wrap inside)
#: letters a clinician says for what is no name (an examination, a frequency, a test)
_NOT_SPELLED = frozenset("heent perrla perrl eomi prn bid tid qid qhs qd qod ekg ecg eeg emg mri cbc bmp cmp lft lfts "
                         "copd chf cad gerd uti dvt icu ent abc abcs dnr dni cpr iv im po sq npo rom pt ot slp".split())


#: words before a spelling that are no name said (the letters may start alike: "t h a ..." after "that")
_NOT_ECHO = frozenset("the and that this name names last first given family middle maiden spelled spelling spell spells "
                      "letters letter patient doctor will with for her his its".split())


def _letter_gap(gap: str, how: str) -> bool:
    """Whether ``gap`` parts two letters of one spelling: blanks or a hyphen (one line break), or a full stop or a comma
    before a letter said alone (``q. u. e.``); a NATO word after a full stop starts a sentence of its own."""
    if re.fullmatch(r"[ \t]*-?[ \t]*(?:\r?\n[ \t]*)?", gap):
        return True
    return how != "nato" and re.fullmatch(r"[ \t]*[.,]?[ \t]*(?:\r?\n[ \t]*)?", gap) is not None


def spelled_spans(text: str) -> list[tuple[int, int]]:
    """The names spelled out letter by letter and the words they spell wherever the note writes them (module
    docstring)."""
    toks = [t for t in _tokens(text) if t[0][0].isalnum()]  # words (the marks between letters are read as gaps)
    n = len(toks)
    letters: list[tuple[str, int, int, str]] = []  # (letter, start, end, how) for every word; "" where it is no letter
    k = 0
    while k < n:
        w, a, b = toks[k]
        if len(w) == 1 and w.isalpha():
            if k + 3 < n and toks[k + 1][0] == "as" and toks[k + 2][0] == "in" and toks[k + 3][0].isalpha():
                letters.append((w, a, toks[k + 3][2], "as_in"))
                k += 4
                continue
            if (k + 2 < n and toks[k + 1][0] == "for" and len(toks[k + 2][0]) > 1 and toks[k + 2][0][0] == w
                    and (letters and letters[-1][0] or k + 3 < n and len(toks[k + 3][0]) == 1)):
                letters.append((w, a, toks[k + 2][2], "for"))  # "b for boy" inside a spelling (the word starts with it)
                k += 3
                continue
            letters.append((w, a, b, "letter"))
        elif w in _NATO:
            letters.append((_NATO[w], a, b, "nato"))
        else:
            letters.append(("", a, b, ""))
        k += 1
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(letters):
        if not letters[k][0]:
            k += 1
            continue
        j = k + 1
        while j < len(letters) and letters[j][0] and _letter_gap(text[letters[j - 1][2]:letters[j][1]], letters[j][3]):
            j += 1
        whole = letters[k:j]
        k = j
        runs: list[list[tuple[str, int, int, str]]]
        if sum(1 for x in whole if x[3] == "nato") >= 3:
            runs = [whole]
        else:  # one or two NATO words are words ("echo", "delta", "november" after a spelling): the letters between them
            runs = []
            cur: list[tuple[str, int, int, str]] = []
            for x in whole:
                if x[3] == "nato":
                    runs.append(cur)
                    cur = []
                else:
                    cur.append(x)
            runs.append(cur)
        for run in runs:
            found = _spelled_run(text, run)
            if found is not None:
                out.append((run[0][1], run[:found[1]][-1][2]))
                out.extend(m.span() for m in re.finditer(rf"(?<![\w'’-]){re.escape(found[0])}(?![\w'’-])", text, re.I))
    return out


def _spelled_run(text: str, run: list[tuple[str, int, int, str]]) -> tuple[str, int] | None:
    """``(word, letters)`` a run of letters said spells (the first ``letters`` of them), or ``None`` (module docstring)."""
    if len(run) < 3:
        return None
    nato = sum(1 for x in run if x[3] == "nato")
    word = "".join(x[0] for x in run)
    start = run[0][1]
    before = text[max(0, start - 240):start]
    said = [m.group().lower() for m in re.finditer(r"[^\W\d_]{3,}", before)][-24:]
    echo = max((w for w in said if word.startswith(w) and w not in _NOT_ECHO), key=len, default=None)
    if echo is not None:
        word = echo
    elif not (_SPELL_CUE.search(text, max(0, start - 40), start) or any(x[3] == "as_in" for x in run) or nato >= 3):
        return None
    if word in _NOT_SPELLED or len(word) < 3:
        return None
    return word, len(word)


def spoken_spans(text: str) -> list[tuple[str, int, int, str]]:
    """``(label, start, end, how)`` of everything this module finds in ``text``."""
    found = [(label, s, e, "number_said") for label, s, e in number_spans(text)]
    found += [("LOCATION", s, e, "address_said") for s, e in address_spans(text)]
    found += [("EMAIL", s, e, "email_said") for s, e in email_spans(text)]
    found += [("DATE", s, e, "date_said") for s, e in date_spans(text)]
    found += [("NAME", s, e, "spelled_name") for s, e in spelled_spans(text)]
    return found


_G = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"  # blanks, or one line break of a hard wrap
_NW = r"[^\W\d_][^\W\d_'’-]*"
#: a street address said aloud (twenty-first session; no canary kind writes one): a house number in words, one or two
#: words of the street's name (no function word, number or unit), a street's word, an apartment or unit said after it
#: ("one twenty three maple street", "four fifty six oak hollow avenue apartment two b")
#: the cardinal number words said (the module's own lists), and a digit's
_NUM_WORD_ALTS = "|".join([*_UNITS, "oh", *_TEENS, *(t for t in _TENS if t), "hundred", "thousand", "double", "triple"])
_NUM_W = rf"(?:{_NUM_WORD_ALTS})"
_DIGIT_W = rf"(?:{'|'.join([*_UNITS, 'oh'])})"
_NOT_STREET_WORD = (r"(?:the|a|an|of|to|in|on|at|by|for|from|with|down|up|off|along|across|over|under|near|past|her|his|"
                    r"their|my|our|your|this|that|and|or|blocks?|miles?|feet|foot|steps?|times?|days?|weeks?|hours?|"
                    rf"minutes?|years?|puffs?|tablets?|units?|milligrams?|percent|point|{_NUM_WORD_ALTS})")
_ADDRESS_SAID = re.compile(
    rf"(?<![\w'’-])(?P<a>{_NUM_W}(?:{_G}{_NUM_W}){{0,3}}(?:{_G}(?!{_NOT_STREET_WORD}(?![\w'’-])){_NW}){{1,2}}{_G}"
    r"(?:street|avenue|road|lane|drive|boulevard|court|place|terrace|parkway|highway|circle|way|trail|square|crescent|"
    r"close|gardens|grove|row|pike|alley)"
    rf"(?:{_G}(?:apartment|apt|unit|suite|number|flat)(?:{_G}(?:{_NUM_W}|[a-z])(?![\w'’-])){{1,3}})?"
    # the town and the state up to a ZIP code said digit by digit ("portland oregon nine seven two one four")
    rf"(?:(?:[ \t]*,[ \t]*|{_G}comma{_G}|{_G})(?:(?!{_NOT_STREET_WORD}(?![\w'’-])){_NW}{_G}){{1,3}}(?:{_DIGIT_W}{_G}){{4}}{_DIGIT_W})?)(?![\w'’-])",
    re.I)


#: an e-mail address said aloud (twenty-first session: "ottoline dot brackwater at gmail dot com" left "at gmail dot
#: com" in clear): the local part's words joined by "dot", "underscore", "dash" or digits said, "at", the domain's words
#: joined by "dot", a top-level domain said
_EMAIL_SAID = re.compile(
    rf"(?<![\w'’-])(?P<e>(?:[a-z]{_G})?{_NW}(?:{_G}(?:dot|underscore|dash|hyphen|period){_G}{_NW}|{_G}{_NUM_W}){{0,4}}{_G}at{_G}"
    rf"{_NW}(?:{_G}(?:dot|dash|hyphen){_G}{_NW}){{0,3}}{_G}dot{_G}(?:com|org|net|edu|gov|mil|io|co|us|uk|ca|au|de|fr|info|biz|me)"
    rf"(?:{_G}dot{_G}(?:uk|au|nz|za|in|jp))?)(?![\w'’-])", re.I)


def email_spans(text: str) -> list[tuple[int, int]]:
    """E-mail addresses said aloud (``_EMAIL_SAID``)."""
    return [m.span("e") for m in _EMAIL_SAID.finditer(text)]


def address_spans(text: str) -> list[tuple[int, int]]:
    """Street addresses said aloud (``_ADDRESS_SAID``)."""
    return [m.span("a") for m in _ADDRESS_SAID.finditer(text)]


#: the slots of a dictation only a person takes: the dictator ("this is doctor X from cardiology", "doctor X
#: dictating", "X signing off"), and the patient a dictation is on or for ("dictating a clinic note on X comma Y",
#: "dictation for X Y", "patient name X Y"); a second word after a blank, a comma or a spoken "comma"
_DICTATOR = re.compile(
    rf"(?<![\w'’-])(?:(?:this{_G}is|it['’]s){_G}(?:(?:doctor|dr\.?){_G})?(?P<a>{_NW})"
    rf"(?={_G}(?:from|dictating|dictated|with|calling|signing|speaking|here|for{_G}(?:doctor|dr)))|"
    rf"(?:doctor|dr\.?){_G}(?P<b>{_NW})(?:{_G}(?P<b2>{_NW}))??(?={_G}(?:dictating|dictated|signing{_G}off|speaking|here{_G}dictating)))",
    re.I)
#: "doctor" said before a word (lower case, no period: "cc doctor x and doctor y"), in a dictation (a word of dictating
#: or transcribing, "signing off", "cc doctor", punctuation said): a name when the word is no ordinary word ("her
#: doctor recommended", "doctor visit" stay; a typed note writes "Dr.")
_DOCTOR_SAID = re.compile(rf"(?<![\w'’-])doctor{_G}(?P<d>{_NW})", re.I)
_FOR_PATIENT = re.compile(
    rf"(?<![\w'’-])(?:(?:on|for|regarding|re){_G}(?:(?:patient|pt)(?:['’]s)?{_G}(?:name{_G}(?:is{_G})?)?)?|"
    rf"(?:patient|pt)(?:['’]s)?{_G}name(?:{_G}is)?(?:[ \t]*:|{_G}colon)?{_G})"
    rf"(?P<n>{_NW})(?:(?P<sep>[ \t]*,[ \t]*|{_G}comma{_G}|{_G})(?P<m>{_NW}))?", re.I)
_DICTATION_BEFORE = re.compile(r"(?i)(?<![\w'’-])(?:dictat(?:ing|ed|ion)|transcri(?:bing|bed|ption))(?![\w'’-])"
                               r"(?:(?!(?i:period)(?![\w'’-]))(?:[^.\n]|\r?\n(?![ \t]*\r?\n))){0,140}\Z")  # (a hard wrap inside, no blank line)
# (the same sentence: no full stop, written or said; a date said between them is long, "dictating on the twenty fourth of
# september two thousand and twenty six for patient obadiah braithwaite": held-out seed 1283, read after its count)
#: a report's noun before "for patient X" / "on X" ("a discharge summary for patient X"): a name there only when it is no
#: ordinary word ("summary for patient education" stays)
_REPORT_BEFORE = re.compile(r"(?i)(?<![\w'’-])(?:summary|note|consult(?:ation)?|letter|report|referral|addendum)(?![\w'’-])"
                            r"(?:[^.\n]|\r?\n(?![ \t]*\r?\n)){0,30}\Z")
#: a relative named before a way to reach them, across a hard wrap ("or the husband\nthaddea at ...", "her son
#: wilfred can be reached")
_RELATIVE_SAID = re.compile(
    rf"(?<![\w'’-])(?:the|her|his|their|patient['’]s){_G}(?:wife|husband|spouse|partner|son|daughter|mother|father|sister|"
    rf"brother|niece|nephew|grandson|granddaughter|aunt|uncle|cousin|friend|neighbou?r|caregiver|guardian){_G}(?P<n>{_NW})"
    rf"(?={_G}(?:at|on|is|can|who|phone|cell|number|will){{1}}(?![\w'’-]))", re.I)
#: words a dictation slot holds that are no name
_NOT_DICTATED_NAMES = frozenset(
    "the a an this that patient pt name is on for date of birth medical record number m r n d o b comma period colon "
    "new line paragraph born age spelled spelling last first with from who was seen today and follow up doctor dr "
    "dictating dictation discharge summary clinic note consult letter report admission visit service signing off "
    "here cardiology".split())


def dictation_names(text: str, judge: WordJudge) -> list[tuple[int, int]]:
    """The names at a dictation's slots (:data:`_DICTATOR`, :data:`_FOR_PATIENT` after a dictation's word in the same
    sentence): a word that is no ordinary word (``judge``: :class:`ehrnlp.deid.slots.WordJudge`), a listed name or one
    no lexicon holds; never a month, a number said or a word of :data:`_NOT_DICTATED_NAMES`."""
    low = text.lower()
    if not any(w in low for w in ("dictat", "this is", "signing", "name", "doctor", "for", "on ", "the ", "her ", "his ")):
        return []

    def name_like(w: str) -> bool:
        lw = w.lower()
        if len(lw) < 2 or lw in _NOT_DICTATED_NAMES or lw in _NUM_WORDS or lw in _MONTHS_SET or lw in _NATO:
            return False
        if judge.clinical(w):
            return False
        return bool(judge.unknown(w) or judge.surname(w) or judge.given(w) or judge.world(lw) or judge.surname_ok(w))

    out: list[tuple[int, int]] = []
    for m in _DICTATOR.finditer(text):
        for g in ("a", "b", "b2"):
            if m.group(g) and name_like(m.group(g)):
                out.append(m.span(g))
    dictated = ("dictat" in low or "transcri" in low or "signing off" in low or "cc doctor" in low
                or low.count(" comma") + low.count(" period") >= 2)
    for m in _DOCTOR_SAID.finditer(text) if dictated else ():  # (only in a dictation: a typed note writes "Dr.")
        w = m.group("d")
        if name_like(w) and not judge.clinical(w) and (judge.unknown(w) or judge.surname(w) or judge.world(w.lower())):
            out.append(m.span("d"))
    for m in _RELATIVE_SAID.finditer(text):  # a name there, or a word no lexicon holds ("her husband works at" stays)
        w = m.group("n")
        if name_like(w) and (judge.unknown(w) or judge.given(w) or judge.world(w.lower())):  # (a given name: "works" is a surname too)
            out.append(m.span("n"))

    def strict(w: str) -> bool:  # a word no lexicon holds as an ordinary word
        return name_like(w) and bool(judge.unknown(w) or judge.surname(w) or judge.world(w.lower()))

    for m in _FOR_PATIENT.finditer(text):
        label = m.group().lower().lstrip().startswith(("patient", "pt"))
        ok = name_like
        if not label and not _DICTATION_BEFORE.search(text, max(0, m.start() - 160), m.start()):
            if not _REPORT_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                continue
            ok = strict
        if not ok(m.group("n")):
            continue
        out.append(m.span("n"))
        if m.group("m") and name_like(m.group("m")):  # the word after a name there: "for patient quarmbey hyacinth"
            out.append(m.span("m"))
    return out


_MONTHS_SET = frozenset("january february march april may june july august september october november december".split())
