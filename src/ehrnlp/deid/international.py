"""Identifiers as the rest of the world writes them, the forms the rules of the nineteenth session (commit 983c8e3:
day-first dates, national numbers after their labels) still missed (branch intl20, the canary's ``intl`` kind):

- dates with the month as a Roman numeral (``14.III.1961``) or written out in French, German, Spanish, Italian,
  Dutch or Portuguese (``14 mars 1961``, ``14. März 1961``, ``14 de marzo de 1961``), and numeric dates with
  single blanks (``14 03 1961``: a four-digit year of 19xx / 20xx and a valid day and month);
- national health and person numbers after the labels other countries give them (``NI number``, ``NAS``,
  ``Medicare``, ``AHV-Nr.``, ``KVNR``, ``Vers.-Nr.``, ``N° de sécurité sociale``, ``INSEE``, ``NIF``, ``CPR-nr.``,
  ``pnr``, ``UID``, ``burgerservicenummer``, ``codice fiscale``...), a value of up to seven groups or an Italian
  fiscal code's 16 letters and digits;
- a telephone number written with a slash after its area code (``0171/2345678``);
- a street as another country writes it (``Quellenhofstraße 14``, ``12 rue Penhallow``, ``Calle Mayor 12``,
  ``Via Roma 3``), a postal code with a country prefix (``CH-8871 Zürich``, ``D-10115 Berlin``), a continental
  postal code and its town after a street's comma or on the line under it (``..., 75011 Paris``), and a UK
  postcode (``SW1A 1AA``; in lower case only where an address puts it: after a comma or alone on its line), a
  Canadian town (hyphenated or not) with its province and postal code in any case.

No Presidio import: :data:`INTERNATIONAL_PATTERNS` is a tuple of :class:`~ehrnlp.deid.patterns.PhiPattern` that
:func:`ehrnlp.deid.recognizers.pattern_recognizers` adds to the clinical patterns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import ids
from .patterns import _B, _E, _WG, PhiPattern
from .postprocess import _Hit

if TYPE_CHECKING:
    from .slots import WordJudge

__all__ = ["INTERNATIONAL_PATTERNS", "name_parts"]

#: month names of French, German, Spanish, Italian, Dutch and Portuguese (English months have rules of their own)
_MONTH_WORDS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|"
    r"januar|j[äa]nner|februar|m[äa]rz|april|juni|juli|august|oktober|dezember|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre|noviembre|diciembre|"
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
    r"januari|februari|maart|mei|augustus|september|november|"
    r"janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|novembro|dezembro"
)
_ROMAN = r"(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"
_ROMAN_N = {r: i + 1 for i, r in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"])}


#: labels of a date in other languages (birth, admission, visit)
_DATE_LABEL = (r"geb\.?|geboren(?:[ \t]+am)?|geburtsdatum|aufnahme(?:datum)?|n[ée](?:e|\(e\))?[ \t]+le|date[ \t]+de[ \t]+naissance|"
               r"date[ \t]+d'entr[ée]e|f\.?[ \t]*nac\.?|nac\.?|fecha[ \t]+de[ \t]+(?:nacimiento|ingreso)|nacid[oa][ \t]+el|"
               r"data[ \t]+di[ \t]+nascita|nat[oa][ \t]+il|ricovero|geboortedatum|opnamedatum|data[ \t]+de[ \t]+nascimento|"
               r"f[øo]dselsdato|f[öo]delsedatum|"
               # English labels of a visit or a birth: the same day-first date in a cell ("Seen\t|\t28/5/89")
               r"seen|admitted|admission|discharged?|visit(?:ed)?|dob|d\.o\.b\.?|born|date[ \t]+of[ \t]+(?:birth|admission|visit)")


def _valid_dmy_blank(m: re.Match[str]) -> bool:
    return 1 <= int(m.group("d")) <= 31 and 1 <= int(m.group("m")) <= 12


def _valid_roman(m: re.Match[str]) -> bool:
    return 1 <= int(m.group("d")) <= 31 and m.group("m").upper() in _ROMAN_N


#: labels of national health and person numbers outside the US, any case (a patient from abroad, a referral letter, an
#: EHR of another country: "NHS no 485 777 3456", "AHV 756.1234.5678.97", "health card 1234-567-890-AB"); a label may
#: end with "-Nr.", "no.", "n°", "#", "number" / "nummer" / "numéro"
_ID_WORDS = (
    r"ni|nino|nas|medicare|ahv|avs|kvnr|vers\.?[ \t]*-?[ \t]*nr|versicherungsnummer|insee|nir|nif|nie|dni|cpr|pnr|uid|"
    r"bsn|burgerservicenummer|codice[ \t]+fiscale|cf|tessera[ \t]+sanitaria|tarjeta[ \t]+sanitaria|cip|nss|"
    r"carte[ \t]+sant[ée]|carte[ \t]+vitale|carte[ \t]+soleil|num[ée]ro[ \t]+de[ \t]+s[ée]cu(?:rit[ée][ \t]+sociale)?|"
    r"(?:n[°ºo]\.?[ \t]*)?(?:de[ \t]+)?s[ée]curit[ée][ \t]+sociale|sozialversicherungsnummer|svnr|"
    r"personnummer|fødselsnummer|henkilötunnus|hetu|pps(?:n)?|ihi|nhi|phn|hcn|ohip|ramq|msp|"
    r"national[ \t]+(?:insurance|id|identity|health)|(?:social|tax)[ \t]+(?:insurance|id)|health[ \t]+(?:card|insurance|care)|"
    r"insurance[ \t]+card|nhs|chi|aadhaar|sin|pesel|curp|tfn|(?:kranken)?versichertennummer|"
    # (twentieth session: labels of countries the canary does not write yet)
    r"rijksregister(?:nummer)?|registre[ \t]+national|num[ée]ro[ \t]+national|insz|niss|cpf|"
    r"f[øo]dselsnr|d-nummer|personalausweis|steuer-?id|codice[ \t]+sanitario|amka|egn|oib|emšo|rodn[ée][ \t]+[čc][íi]slo|"
    r"cart[ãa]o[ \t]+sus|cart[ãa]o[ \t]+nacional[ \t]+de[ \t]+sa[úu]de"
)
_ID_LABEL = rf"(?:n[°º][ \t]*)?(?:{_ID_WORDS})(?:[ \t]*-?[ \t]*(?:nr\.?|no\.?|n[°º]|\#|number|nummer|num[ée]ro|card|kort))?"
#: a value: up to seven digit groups with blanks, dots, hyphens or slashes, letters at either end; or a fiscal code
_ID_VALUE = (r"(?P<id>(?:[A-Za-z]{1,3}[ .-]?)?\d{1,10}(?:(?:[ ]{1,3}|[./-])?\d{1,10}){0,6}(?:[ ][A-Za-z](?![\w])|[.-]?[A-Za-z]{1,3})?"
             r"|[A-Za-z]{6}\d{2}[A-Za-z]\d{2}[A-Za-z]\d{3}[A-Za-z])(?![\w-]|[.,]\d)")
_ID_SEP = r"(?:[ \t]*(?:\#|:|=|\||-|n[°º]|(?i:no\.?|nr\.?|is))[ \t]*)*[ \t]*(?:\r?\n[ \t|]*)?"


def _id_value(m: re.Match[str]) -> bool:
    """Six digits or more in at most 26 characters (a fiscal code: its letters and seven digits)."""
    v = m.group("id")
    return sum(c.isdigit() for c in v) >= 6 and len(v) <= 26


#: a street whose word is fused to its name, as German, Dutch and Nordic addresses write it ("Quellenhofstraße",
#: "Lindenstr.", "Kerkelaan", "Nørregade", "Strandvej", "Storgatan"); no English word ends so ("brigade" is none)
_STREET_DE = (r"[A-ZÄÖÜÅÆØa-zäöüßåæø][a-zäöüßåæøé]{2,}(?:stra(?:ß|ss)e|str\.|gasse|weg|allee|platz|steig|pfad|damm|ufer|"
              r"straat|laan|gracht|plein|kade|singel|dreef|(?<!bri)(?<!rene)gade|vej|vei|veien|gata|gatan|gaten|v[äa]gen|gr[äa]nd)"
              r"(?![a-zäöüßåæøé])")  # (the word ends there: "Surveillance" holds no "vei")
#: a house number as addresses of other countries write it: "8", "12A", "117-71" (a unit and its house), "3/5", "4 bis"
_HOUSE_NO = r"\d{1,4}(?:[A-Za-z](?![\w])|[-/]\d{1,4}(?![\d/])|[ \t]+(?i:bis|ter|quater)(?![\w]))?"
#: the word of a street of France, Spain, Italy, Portugal or the Netherlands, any case; those that are also words of a
#: note ("via", "place", "avenue", "corso") only capitalised and before a capitalised name
_STREET_WORD = (r"rue|allée|boulevard|chemin|impasse|quai|calle|c/|avda\.?|avenida|paseo|camino|carrer|viale|piazza|rua|"
                r"travessa|straat|laan|gracht|steenweg")
_STREET_WORD_CAP = r"Via|Place|Avenue|Av\.|Plaza|Corso|Largo|Bd|Plein"

#: what follows a number that is a quantity, not a town ("vitamin D-5000 IU")
_UNITS = (r"(?i:(?:mg|ml|mcg|µg|g|kg|l|units?|iu|ui|u|times|tabs?|tablets?|caps?|patients?|cells|copies|hours?|hrs?|days?|weeks?|"
          r"mmhg|cm|mm|kcal|cal|steps|ft|feet|m|km|miles?|lbs?|x)\b)")

#: a blank between two parts of one value, or a hard wrap (a printout, a fax filled to a width cuts a postcode or a
#: phone in two: "ee6q" / "5ng", "ON P9J" / "9T5", "07814" / "690489"): the clinical patterns' word gap
_WRAP = _WG
#: blanks between a postal code and its town, or a hard wrap
_BLANKS = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"
#: what may follow a number and is no town (a quantity, a span of time)
_NOT_TOWN = rf"(?:{_UNITS}|(?i:years?|yrs?|months?|minutes?|mins?|seconds?|secs?|percent|pts|people|cases)\b)"
#: the letters of a UK postcode's inward part (no C, I, K, M, O or V), and its outward part
_UK_OUT = r"[a-z]{1,2}\d[a-z\d]?"
_UK_IN = r"\d[abd-hjlnp-uw-z]{2}"
#: a street of the UK after a named house ("Brackenholt House, Brackenholt Lane")
_UK_STREET = (r"lane|road|rd|street|st|close|avenue|ave|drive|way|crescent|gardens|terrace|place|grove|rise|hill|row|walk|"
              r"mews|square|court|park|green|view|parade|wynd|gate")
_PROVINCES = r"ab|bc|mb|nb|nl|ns|nt|nu|on|pe|qc|sk|yt"


#: a name's word: letters, an apostrophe or a hyphen inside ("O'Neill", "Fenwick-Bray", "al-Masri")
_NW = r"[^\W\d_][^\W\d_'’]*(?:[-'’][^\W\d_]+)*"
#: a gap inside a telephone number: one blank or a run of them, or a hard wrap with its blanks
_PGAP = r"(?:[ ]{1,5}|[ \t]*\r?\n[ \t]*)"
#: words that are no part of a street's name (a span of time, a quantity, a sentence's function word: "5-10 minutes walk")
_STREET_FILLER = (r"of|the|a|an|to|in|on|at|per|for|and|or|by|with|from|is|was|not|no|very|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|"
                  r"times|mg|ml|units?|tabs?|tablets?|doses?|steps|blocks?|miles?|km|feet|ft|yards?|metres?|meters?")


#: street words that are words of a note too ("clear view", "brisk walk", "the way"): after a house number only with
#: the street's name capitalised
_STREET_AMBIGUOUS = frozenset("view walk way green park rise row hill gate place square court close grove gardens parade drive dr st "
                              "mews trail chase".split())


def _house_street(m: re.Match[str]) -> bool:
    """A house number of another country's form and a street: no visual acuity for a number ("20/400", "6/12"), a
    street word that a sentence uses too only after a capitalised name ("12A Penhallow Way"; "20/400, not clear view")."""
    no = m.group("no")
    if re.fullmatch(r"(?:20|6)/\d{1,3}", no):
        return False
    if m.group("k").lower() in _STREET_AMBIGUOUS:
        return all(w[:1].isupper() for w in re.findall(_NW, m.group("n")))
    return True


def _no_unit_after(m: re.Match[str]) -> bool:
    """No unit of a measure after the digits ("+1 2 mg", "0.5 ml" are no telephone)."""
    return re.match(rf"[ \t]*{_UNITS}", m.string[m.end():m.end() + 12]) is None


def _area_paren(m: re.Match[str]) -> bool:
    """An area code in brackets and a number of seven digits or more after it (six after an area code of four
    digits or more: "(0171) 234567"), thirteen digits at most; no quantity after ("(020) 150 400 mg" is none)."""
    p = m.group("p")
    close = p.index(")")
    area = sum(c.isdigit() for c in p[p.index("("):close])
    rest = sum(c.isdigit() for c in p[close:])
    total = sum(c.isdigit() for c in p)
    return (rest >= 7 or (rest >= 6 and area >= 4)) and total <= 13 and _no_unit_after(m)


#: a town's name: one to three words ("tewkesbury", "little hawleigh", "stoke-on-trent")
_TOWN = r"[^\W\d_][\w'’-]*(?:[ -][^\W\d_][\w'’-]*){0,2}"


def _uk_opening(code: str) -> bool:
    """``code`` opens with a letter a UK postcode opens with: none opens with Q, V or X ("q4 6hr" is a dose's interval,
    "x2 1hr" a count and an interval)."""
    return code[:1].lower() not in "qvx"


def _under_town(m: re.Match[str]) -> bool:
    """A postcode alone on its line under a line of words alone (a town, an address block's: "tewkesbury" / "a6 6hr";
    "q4 6hr" in a sentence is a dose's interval)."""
    t = m.string
    start = t.rfind("\n", 0, m.start("z")) + 1
    end = t.find("\n", m.end("z"))
    if t[start:end if end >= 0 else len(t)].strip() != m.group("z").strip() or start == 0:
        return False
    prev = t[t.rfind("\n", 0, start - 1) + 1:start - 1].strip()
    return re.fullmatch(_TOWN, prev) is not None


#: a house of the UK named by its word ("Brackenholt House")
_UK_HOUSE = r"house|cottage|farm|farmhouse|lodge|hall|manor|villa|barn|mill|grange|bungalow"
#: a street with its house number, a named house or a flat before it, a town after it, each closed by a comma, right
#: before a postcode on its line ("43 quellenhof road,<tab>tewkesbury,<tab>d7 1hr": dev seed 1201; "TIRRELMOOR HOUSE,
#: TIRRELMOOR LANE, TEWKESBURY, UH1Q 2HR": dev seed 1279; "flat 3, church lane, hawleigh, b4 2hr")
_STREET_TOWN_BEFORE = re.compile(rf"(?:\d{{1,4}}[A-Za-z]?[ \t]+|(?i:flat|apartment|apt)\.?[ \t]*\d{{1,4}}[A-Za-z]?[ \t]*,[ \t]*"
                                 rf"|[^\W\d_][\w'’-]*[ \t]+(?i:{_UK_HOUSE})[ \t]*,[ \t]*(?:\d{{1,4}}[A-Za-z]?,?[ \t]+)?)"
                                 rf"(?:[^\W\d_][\w'’-]*[ \t]+){{1,3}}(?i:{_UK_STREET})\.?[ \t]*,[ \t]*"
                                 rf"{_TOWN}[ \t]*,[ \t]*\Z")


def _after_street_town(m: re.Match[str]) -> bool:
    """A postcode closing an address line after its street and town ("43 quellenhof road, tewkesbury, d7 1hr")."""
    t = m.string
    start = t.rfind("\n", 0, m.start("z")) + 1
    return _STREET_TOWN_BEFORE.search(t, start, m.start("z")) is not None


#: a town closed by a comma, opening its line or a field, right before a postcode ("hawleigh, d7 1hr")
_TOWN_BEFORE = re.compile(rf"(?:^|[:|\t])[ \t]*{_TOWN}[ \t]*,[ \t]*\Z")


def _after_town(m: re.Match[str]) -> bool:
    """A postcode ending in "hr" after its town alone ("hawleigh, d7 1hr"), the code opening as a UK postcode does
    (:func:`_uk_opening`)."""
    t = m.string
    start = t.rfind("\n", 0, m.start("z")) + 1
    return _uk_opening(m.group("z")) and _TOWN_BEFORE.search(t[start:m.start("z")]) is not None


def _eircode(m: re.Match[str]) -> bool:
    """An Eircode's unique part holds a letter and a digit ("X285", "F4E2"; no "2019", no "ABCD")."""
    u = m.group("z")[-4:]
    return any(c.isdigit() for c in u) and any(c.isalpha() for c in u)


#: Australia's states and the first digit of their postcodes (NSW 2000, VIC 3000, ...; the ACT's 2600, the NT's 0800)
_AU_FIRST = {"nsw": "2", "act": "2", "vic": "3", "qld": "4", "sa": "5", "wa": "6", "tas": "7", "nt": "0"}


def _au_postcode(m: re.Match[str]) -> bool:
    return m.group("pc")[0] == _AU_FIRST[m.group("st").lower()]


INTERNATIONAL_PATTERNS: tuple[PhiPattern, ...] = (
    # ---------------------------------------------------------------- dates
    # a month written out in another language: "14 mars 1961", "14. März 1961", "14 de marzo de 1961", "1er mai 2019"
    PhiPattern("date_dmy_foreign", "DATE",
               re.compile(rf"(?<![\w/.])(?P<d>\d{{1,2}})(?:\.|º|er|e)?[ \t]+(?:de[ \t]+)?(?i:{_MONTH_WORDS})\.?"
                          rf"[ \t]*,?[ \t]+(?:de[ \t]+|del[ \t]+)?(?P<y>(?:1[89]|20)\d{{2}})(?!\d)"),
               0.85, validate=lambda m: 1 <= int(m.group("d")) <= 31),
    # a Roman month: "14.III.1961", "14/iii/61", "14 III 1961"
    PhiPattern("date_dmy_roman", "DATE",
               re.compile(rf"{_B}(?P<d>\d{{1,2}})(?P<s>[ ./-])(?P<m>(?i:{_ROMAN}))(?P=s)(?P<y>(?:1[89]|20)\d{{2}}|\d{{2}}){_E}"),
               0.85, validate=_valid_roman),
    # a numeric date with single blanks and a four-digit year: "14 03 1961" (no year of 19xx/20xx, no date)
    PhiPattern("date_dmy_blank", "DATE",
               re.compile(rf"{_B}(?P<d>\d{{1,2}})[ ](?P<m>\d{{1,2}})[ ](?P<y>(?:19|20)\d{{2}}){_E}"),
               0.75, validate=_valid_dmy_blank),
    # a day, a three-letter month in any case and a two-digit year, with hyphens: "22-jan-77", "9-JUN-21"
    PhiPattern("date_dmy_mon_yy", "DATE",
               re.compile(r"(?<![\w/-])(?P<d>\d{1,2})-(?i:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)-(?P<y>\d{2})(?![\w/-]|[.:]\d)"),
               0.85, validate=lambda m: 1 <= int(m.group("d")) <= 31),
    # a day first and a two-digit year after a date's label of another language, in a field or a table's cell
    # ("nac.: 21/4/87", "| Data di nascita | 21/4/87 |", "geb. 3.11.48"): the rules read such a date only after an
    # English cue
    PhiPattern("date_dmy_foreign_label", "DATE",
               re.compile(rf"(?<![\w])(?i:{_DATE_LABEL})[ \t]*[:|.]?[ \t|]*(?P<dt>(?P<d>\d{{1,2}})(?P<s>[/.-])(?P<m>\d{{1,2}})(?P=s)\d{{2}}(?:\d{{2}})?){_E}"),
               0.85, group="dt", validate=lambda m: 1 <= int(m.group("d")) <= 31 and 1 <= int(m.group("m")) <= 12),
    # ---------------------------------------------------------------- identifiers
    # an Italian fiscal code needs no label: six letters, two digits, a month's letter, two digits, a letter, three
    # digits, a letter ("RSSMRA61C14H501Z", any case)
    PhiPattern("codice_fiscale", "ID",
               re.compile(r"(?<![\w])(?P<id>[A-Za-z]{6}\d{2}[ABCDEHLMPRSTabcdehlmprst]\d{2}[A-Za-z]\d{3}[A-Za-z])(?![\w])"), 0.85, group="id"),
    PhiPattern("intl_national_id", "ID",
               re.compile(rf"(?<![\w/])(?i:{_ID_LABEL})(?![\w]){_ID_SEP}{_ID_VALUE}"), 0.85, group="id", validate=_id_value),
    # ---------------------------------------------------------------- telephone
    # an area code, a slash, the number: "0171/2345678", "030/1234567" (a leading zero, seven digits or more after)
    PhiPattern("phone_slash", "PHONE", re.compile(r"(?<![\w/.])(?P<p>0\d{2,4}/\d{5,8})(?![\w/]|[.,]\d)"), 0.75, group="p"),
    # an international call prefix 00, a country code and the number in groups ("0044 20 7946 0958", "0033 6 12 34 56 78")
    PhiPattern("phone_00", "PHONE", re.compile(r"(?<![\w+.,/])(?P<p>00[1-9]\d{0,2}[ ](?:\(0\)[ ]?)?\d{1,4}(?:[ ]\d{2,4}){1,4})(?![\w]|[.,/]\d)"),
               0.8, group="p", validate=lambda m: 10 <= sum(c.isdigit() for c in m.group("p")) <= 16),
    # a trunk 0 and the number in groups of two or three, as much of Europe writes it ("06 12 34 56 78", "044 123 45 67")
    PhiPattern("phone_trunk_groups", "PHONE",
               re.compile(rf"(?<![\w+.,/-])(?P<p>0\d{{1,3}}(?:{_WRAP}\d{{2,3}}){{3,4}})(?![\w]|[.,/-]\d)"), 0.7, group="p",
               validate=lambda m: 9 <= sum(c.isdigit() for c in m.group("p")) <= 11),
    # a mobile of the UK or Ireland, a trunk 0 and four digits, then six ("07700 900123", "07700 900 123"), a hard wrap
    # maybe between them (the unwrapped form other rules read already)
    PhiPattern("phone_mobile_0", "PHONE",
               re.compile(rf"(?<![\w+.,/-])(?P<p>0[78]\d{{3}}{_WRAP}\d{{3}}[ ]?\d{{3}})(?![\w]|[.,/-]\d)"), 0.7, group="p"),
    # an area code in brackets with its trunk 0 ("(020) 7946 0958", "(0161) 496 0000", "(01) 234 5678"), a country code and
    # "(0)" maybe before it; a hard wrap or a run of blanks at any gap (twenty-first session: "Contact (020)" / "7562 3607")
    PhiPattern("phone_area_paren", "PHONE",
               re.compile(rf"(?<![\w)(/.+-])(?P<p>(?:\+[1-9]\d{{0,2}}{_PGAP}?\(0\){_PGAP}?\d{{1,4}}|\(0\d{{1,4}}\)){_PGAP}?\d{{2,8}}(?:(?:{_PGAP}|[-.])\d{{2,4}}){{0,3}})"
                          r"(?![\w]|[.,/-]\d)"), 0.7, group="p", validate=_area_paren),
    # a country code and the number in groups, a hard wrap or a run of blanks at any gap ("+33 6 12 34 56" / "78",
    # "+44 20" / "7946 0958"): the clinical rule reads one blank or a hyphen between groups
    PhiPattern("phone_plus_gaps", "PHONE",
               re.compile(rf"(?<![\w+])(?P<p>\+[1-9]\d{{0,2}}(?:{_PGAP}|-)\d{{1,5}}(?:(?:{_PGAP}|[-.])\d{{2,5}}){{1,5}})(?![\w]|[.,/-]\d)"),
               0.75, group="p", validate=lambda m: 9 <= sum(c.isdigit() for c in m.group("p")) <= 15 and _no_unit_after(m)),
    # a trunk 0, an area code and the number in two groups of three or four, a hard wrap or a run of blanks at a gap
    # ("020" / "7946 0958", "0161 496" / "0000"); ten or eleven digits (no run of clock times "0800 1200 1600")
    PhiPattern("phone_trunk_wrapped", "PHONE",
               re.compile(rf"(?<![\w+.,/()-])(?<!\d[ ])(?P<p>0\d{{2,4}}{_PGAP}\d{{3,4}}{_PGAP}\d{{3,4}})(?![\w]|[.,/:-]\d)"),
               0.7, group="p", validate=lambda m: 10 <= sum(c.isdigit() for c in m.group("p")) <= 11 and _no_unit_after(m)),
    # ---------------------------------------------------------------- addresses
    # a house number as other countries write it before a street named as English names one, any case ("117-71 clarimond
    # street", "12A Penhallow Road", "3/5 Aldwinckle Close"): the clinical rules read digits alone
    PhiPattern("street_house_number", "LOCATION",
               re.compile(rf"(?<![\w/.,:-])(?P<l>(?P<no>\d{{1,4}}(?:[A-Za-z]|[-/]\d{{1,4}}|[ \t]+(?i:bis|ter|quater)))(?![\w/])(?!{_NOT_TOWN}),?(?:[ \t]+|[ \t]*\r?\n[ \t]*)"
                          rf"(?P<n>(?:(?!(?i:{_STREET_FILLER})\b){_NW}[ \t]+){{1,3}})(?P<k>(?i:{_UK_STREET}|avenue|boulevard|blvd|drive|dr|circle|court|ct|"
                          r"highway|hwy|parkway|pkwy|trail|quay|wharf|chase))\.?)(?![\w])"), 0.7, group="l", validate=_house_street),
    # a house number, a street word of France, Spain, Italy, Portugal or the Netherlands in any case and the street's
    # name ("4 bis, avenue Penhallow", "3/5 rue Clarimond", "12, place Bellecour"; in a mixed-case note the name capitalised)
    PhiPattern("street_number_romance", "LOCATION",
               re.compile(rf"(?<![\w/.,:-])(?P<l>{_HOUSE_NO},?(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?i:{_STREET_WORD}|avenue|av\.|place|plaza|corso|largo|plein)[ \t]+"
                          rf"(?:(?i:de|del|de la|des|du|da|do|della|di|van)[ \t]+)?(?!(?i:{_STREET_FILLER})\b)(?P<w>{_NW}))(?![\w])"),
               0.7, group="l", validate=lambda m: not _note_mixed(m.string) or m.group("w")[:1].isupper()),
    # a German or Swiss street and its number: "Quellenhofstraße 14", "birkenweg 5a", "Lindenstr. 3"
    PhiPattern("street_de", "LOCATION",
               re.compile(rf"(?<![\w])(?P<l>{_STREET_DE}[ \t]*(?:\r?\n[ \t]*)?{_HOUSE_NO})(?![\w])", re.I), 0.75, group="l"),
    # a street of France, Spain, Italy, Portugal or the Netherlands with its number before or after it; a hard wrap
    # maybe after the street's word ("Avda.\nClarimond, 15"; dev seed 1181), after one that is also a word of a note
    # ("Via", "Place") only where a postal code and its town follow the number ("Via\nGaribaldi 12, 20121 Milano")
    PhiPattern("street_romance", "LOCATION",
               re.compile(rf"(?<![\w])(?P<l>(?:{_HOUSE_NO},?[ \t]+)?(?:(?i:{_STREET_WORD}){_BLANKS}(?:(?i:de|del|de la|des|du|da|do|dos|della|di|van)[ \t]+)?[A-ZÀ-Ýa-zà-ÿ]|"
                          rf"(?:{_STREET_WORD_CAP})(?:[ \t]+|[ \t]*\r?\n[ \t]*(?=[A-ZÀ-Ý][\w'’-]+,?[ \t]+\d{{1,4}}[A-Za-z]?,?{_BLANKS}\d{{4,5}}[ \t]+[A-ZÀ-Ý]))(?:(?:de|del|de la|des|du|da|do|dos|della|di|van)[ \t]+)?[A-ZÀ-Ý])[\w'’-]+"
                          r"(?:(?:,[ \t]*(?:\r?\n[ \t]*)?|[ \t]*\r?\n[ \t]*|[ \t]+)(?:n[°º][ \t]*)?\d{1,4}(?![\d.:/]))?)(?![\w])"),
               0.6, group="l", validate=lambda m: any(c.isdigit() for c in m.group("l"))),
    # a postal code with its country's letter: "CH-8871 Zürich", "D-10115 Berlin", "F-75011 Paris"
    PhiPattern("postal_country", "LOCATION",
               re.compile(rf"(?<![\w-])(?P<l>(?:(?:CH|D|F|E|A|I|B|L|NL|DK|S|N|FI|P|PL|CZ|SK|H|RO|GR)-\d{{4,5}}{_BLANKS}(?!{_UNITS})[A-ZÀ-Ý][\w'’-]+"
                          rf"|(?:ch|d|f|e|a|i|b|l|nl|dk|s|n|fi|p)-\d{{4,5}}{_BLANKS}(?!{_UNITS})[a-zà-ÿ][\w'’-]{{2,}}))(?![\w])"),
               0.8, group="l"),
    # a continental postal code and its town after a street's comma or on the line under a street, a hard wrap maybe
    # inside the street's part before it ("avda. penhallow,\n147, 19851 zaragoza", "c/ penhallow\n10, 39929 madrid",
    # "Brackenholtstr. 20, Whg.\n3, 17221 Kleinmachnow"; dev seeds 1153 and 1159), or after the street's word and its
    # name and number ("Avda.\nClarimond, 15 30201 Alcobendas"; dev seed 1181)
    PhiPattern("postal_town", "LOCATION",
               re.compile(rf"(?<![\w])(?:(?i:{_STREET_DE}|(?:{_STREET_WORD}|{_STREET_WORD_CAP})(?![\w]))[^\n]{{0,40}}?(?:[ \t]*\r?\n[ \t]*[^\n]{{0,24}}?)?(?:,[ \t]*(?:\r?\n[ \t]*)?|\r?\n[ \t]*|[ \t]+))"
                          rf"(?P<l>(?:\d{{4}}[ ]?[A-Za-z]{{2}}(?=[ \t]+[A-Za-zÀ-ÿ])|\d{{2}}-\d{{3}}|\d{{4,5}})(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?!{_NOT_TOWN})[A-ZÀ-Ýa-zà-ÿ][\w'’-]+|\d{{5}}(?=[ \t]*\r?$))(?![\w])", re.M),
               0.8, group="l"),
    # a Spanish floor and door after a street ("1º 2ª", "3º izq."), a hard wrap maybe among them, then the postal code and
    # its town ("calle quellenhof 85, 1º" / "1ª 40647 alcobendas")
    PhiPattern("postal_after_floor", "LOCATION",
               re.compile(rf"(?<![\w])\d{{1,2}}[ºª°](?:{_BLANKS}(?:\d{{1,2}}[ºª°]|(?i:izq(?:da|uierda)?|dcha|derecha|centro|bajo)\.?))?,?{_BLANKS}"
                          rf"(?P<l>\d{{5}}{_BLANKS}(?!{_NOT_TOWN})[A-ZÀ-Ýa-zà-ÿ][\w'’-]+)(?![\w])"), 0.8, group="l"),
    # a Canadian town, its province and its postal code, any case, a hyphenated town whole ("trois-rivières, qc g9a 5h7",
    # "Kenmoorvale, QC E3Z 4Z9"): the town and the code with it
    PhiPattern("ca_town_province_postal", "LOCATION",
               re.compile(r"(?<![\w'’-])(?P<l>(?!(?i:in|at|to|from|of|near|the|and|moved|lives?|born)\b)[A-Za-zÀ-ÿ][\w'’]+(?:-[A-Za-zÀ-ÿ][\w'’]+)*"
                          r"(?:[ ][A-ZÀ-Ý][\w'’]+(?:-[A-Za-zÀ-ÿ][\w'’]+)*)?,[ \t]*(?:\r?\n[ \t]*)?"
                          r"(?i:ab|bc|mb|nb|nl|ns|nt|nu|on|pe|qc|sk|yt)(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?i:[abceghj-nprstvxy]\d[a-z](?:[ ]{1,5}|[ \t]*\r?\n[ \t]*)?\d[a-z]\d))(?![\w])"),
               0.8, group="l"),
    # a UK postcode: "SW1A 1AA", "M1 1AE"; in lower case after a comma or alone on its line
    PhiPattern("uk_postcode", "LOCATION",
               re.compile(rf"(?<![\w])(?P<z>[A-Z]{{1,2}}\d[A-Z\d]?{_PGAP}\d[ABD-HJLNP-UW-Z]{{2}})(?![\w])"), 0.7, group="z"),
    # a UK post town: on the line over its postcode, or before it after a comma ("Netherstowe\nLS6 2QD", "netherstowe, ls6 2qd")
    # (no UK postcode opens with a Q, a V or an X: "continue oxycodone, x2 1hr" is a count and an interval)
    PhiPattern("uk_post_town", "LOCATION",
               re.compile(r"(?m)^[ \t]*(?P<l>[A-Za-zÀ-ÿ][\w'’]+(?:[ -][A-Za-zÀ-ÿ][\w'’]+){0,2})[ \t]*,?[ \t]*\r?\n?[ \t]*"
                          r"(?P<z>(?i:[a-z]{1,2}\d[a-z\d]?[ ]{1,5}\d[abd-hjlnp-uw-z]{2}))[ \t]*\r?$"), 0.75, group="l",
               validate=lambda m: _uk_opening(m.group("z"))),
    # (a dose's interval in hours reads as a code, "oxycodone, every, q4 6hr", and no UK postcode opens with a Q, a V or an
    # X: such a code only after a street and a town)
    PhiPattern("uk_post_town_comma", "LOCATION",
               re.compile(r"(?<=,)[ \t]*(?P<l>[A-Za-zÀ-ÿ][\w'’]+(?:[ -][A-Za-zÀ-ÿ][\w'’]+){0,2}),[ \t]*"
                          r"(?P<z>(?i:[a-z]{1,2}\d[a-z\d]?[ ]{1,5}\d[abd-hjlnp-uw-z]{2}))(?![\w])"), 0.75, group="l",
               validate=lambda m: _uk_opening(m.group("z")) or _after_street_town(m)),
    # a UK postcode in any case where an address puts it: after a comma, a cell's bar or tab or alone at a line's start,
    # and closing the address (the line's end, a comma, a full stop, a semicolon, a bar or a bracket), a hard wrap maybe
    # inside it ("..., netherstowe, h1 1dd. family", "| 3 penhallow road, x2 8nr |"); a note in capitals is read in
    # lower case, so the capitals' rule above never sees it there; a run of blanks maybe between its parts ("hawleigh,
    # h4   9fx": dev sweep seed 3001)
    PhiPattern("uk_postcode_lower", "LOCATION",
               re.compile(rf"(?:(?<=[,|\t])|^)[ \t]*(?P<z>(?i:{_UK_OUT}){_PGAP}(?i:{_UK_IN}))(?![\w])(?=[ \t]*(?:\r?$|[,.;|)\t]))", re.M),
               0.7, group="z", validate=lambda m: not m.group("z").lower().endswith("hr") or _under_town(m) or _after_street_town(m)
               or _after_town(m)),
    # a UK town and postcode in any case after a street's word with no comma between ("123 wendelstein road netherstowe
    # yr7x 9dn."; dev seed 1133): the town and the code, closing the address as above
    PhiPattern("uk_town_postcode_after_street", "LOCATION",
               re.compile(rf"(?<![\w'’-])(?i:street|st|road|rd|lane|ln|avenue|ave|close|drive|dr|way|gardens|grove|crescent|terrace|"
                          rf"place|mews|row|court|square|hill|walk|rise|vale|parade)\.?,?[ \t]+"
                          rf"(?P<l>(?:[A-Za-zÀ-ÿ][\w'’-]+[ \t]+){{1,2}}(?i:{_UK_OUT}){_PGAP}(?i:{_UK_IN}))(?![\w])(?=[ \t]*(?:\r?$|[,.;|)\t]))", re.M),
               0.7, group="l"),
    # a Canadian postal code in any case, wrapped or not, after its province, a comma, a bar or a tab or opening a line
    # ("on c1l 0l2;", "ON P9J" / "9T5 |", "| s6c 9b8 |"); the capitals' rule reads it in a note of mixed case only
    PhiPattern("ca_postal_any_case", "LOCATION",
               re.compile(rf"(?:(?<=[,|\t])|^|(?<![\w])(?i:{_PROVINCES})(?=[ \t\r\n]))[ \t]*(?:\r?\n[ \t]*)?"
                          rf"(?P<z>(?i:[abceghj-nprstvxy]\d[abceghj-nprstv-z]){_WRAP}?(?i:\d[abceghj-nprstv-z]\d))(?![\w])", re.M),
               0.7, group="z", validate=lambda m: re.fullmatch(r"t\dn\dm\d", m.group("z").lower()) is None),
    # an Irish Eircode: a routing key and a unique part with a letter and a digit ("D02 X285", "A65 F4E2"); in capitals
    # anywhere, in any case where an address puts it or after its label
    PhiPattern("eircode", "LOCATION",
               re.compile(r"(?<![\w-])(?P<z>(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[ ][0-9AC-FHKNPRTV-Y]{4})(?![\w-])"), 0.7, group="z", validate=_eircode),
    PhiPattern("eircode_any_case", "LOCATION",
               re.compile(r"(?:(?<=[,|\t])|^|(?i:eircode)[ \t]*:?)[ \t]*(?P<z>(?i:(?:[ac-fhknprtv-y]\d{2}|d6w)[ ]?[0-9ac-fhknprtv-y]{4}))(?![\w-])", re.M),
               0.7, group="z", validate=_eircode),
    # an Australian state and its postcode (the state's first digit) with the town before it, any case: "Sydney NSW 2000",
    # "fitzroy, vic 3065" (a word of a sentence before the state is no town: "in nsw 2000")
    PhiPattern("au_state_postcode", "LOCATION",
               re.compile(rf"(?<![\w'’-])(?P<l>(?:(?!(?i:in|at|to|from|of|near|the|and|moved|lives?|born|on)\b|{_NOT_TOWN})[A-Za-zÀ-ÿ][\w'’-]{{2,}},?[ \t]+)?"
                          r"(?P<st>NSW|VIC|QLD|TAS|ACT|SA|WA|NT|(?i:nsw|vic|qld|tas))[ \t]+(?P<pc>\d{4}))(?![\w]|[.,]\d)"),
               0.75, group="l", validate=_au_postcode),
    # a Dutch postcode, four digits and two capitals, before its town ("1012 AB Amsterdam"; no "1000 IU Daily")
    PhiPattern("nl_postcode", "LOCATION",
               re.compile(rf"(?<![\w.,/-])(?P<l>[1-9]\d{{3}}[ ]?(?!{_NOT_TOWN}|S[ADS])[A-Z]{{2}}{_BLANKS}(?!{_NOT_TOWN})[A-ZÀ-Ý][\w'’-]{{2,}})(?![\w])"),
               0.75, group="l"),
    # a Dutch or Polish postcode and its town in any case after a street's comma ("keizersgracht 12, 1012 ab amsterdam",
    # "ul. kwiatowa 5, 00-950 warszawa": a note in capitals is read in lower case)
    PhiPattern("nl_pl_postcode_any_case", "LOCATION",
               re.compile(rf"(?<=,)[ \t]*(?P<l>(?:[1-9]\d{{3}}[ ]?(?!{_NOT_TOWN}|(?i:s[ads]))[A-Za-z]{{2}}|\d{{2}}-\d{{3}}){_BLANKS}"
                          rf"(?!{_NOT_TOWN})[A-Za-zÀ-ÿŁŚŻŹĆŃÓłśżźćńó][\w'’-]{{2,}})(?![\w])"),
               0.75, group="l"),
    # a Polish postcode before its town ("00-950 Warszawa", "30-001 KRAKÓW"; no "18-100 Years", "10-100 Patients")
    PhiPattern("pl_postcode", "LOCATION",
               re.compile(rf"(?<![\w.,/-])(?P<l>\d{{2}}-\d{{3}}{_BLANKS}(?!{_NOT_TOWN})[A-ZÀ-ÝŁŚŻŹĆŃÓ][\w'’-]{{2,}})(?![\w])"), 0.75, group="l"),
    # a Japanese postcode after its mark: "〒100-0001"
    PhiPattern("jp_postcode", "LOCATION", re.compile(r"(?P<z>〒[ ]?\d{3}-?\d{4})(?!\d)"), 0.85, group="z"),
    # a house of the UK named before its street: "Brackenholt House, Brackenholt Lane", "TIRRELMOOR HOUSE, ..." in any case;
    # the street is the address's too (twenty-second session: "clarimond house, clarimond lane" lost its lower-case street)
    PhiPattern("uk_house_name", "LOCATION",
               re.compile(rf"(?<![\w'’-])(?P<l>(?!(?i:in|at|a|an|the|to|from|of|his|her|their|our|my|care|nursing|group|halfway|open|rest)\b)"
                          rf"[A-Za-zÀ-ÿ][\w'’-]+[ \t]+(?i:{_UK_HOUSE})"
                          rf"[ \t]*,[ \t]*(?:\d{{1,4}}[a-z]?,?[ \t]+)?[A-Za-zÀ-ÿ][\w'’-]+[ \t]+(?i:{_UK_STREET}))(?![\w])"),
               0.7, group="l"),
    # a UK address block's street line without a house number, over its post town and postcode, in any case: the whole
    # line ("clarimond lane", "flat 3, clarimond lane", "the old rectory, church lane" over "hawleigh" over "su64 4bp")
    PhiPattern("uk_street_over_town", "LOCATION",
               re.compile(rf"(?m)^[ \t]*(?P<l>(?:[^\n,;:]{{1,40}},[ \t]*)?(?:\d{{1,4}}[a-z]?,?[ \t]+)?(?:[A-Za-zÀ-ÿ][\w'’-]+[ \t]+){{1,3}}"
                          rf"(?i:{_UK_STREET}))[ \t]*,?[ \t]*\r?\n[ \t]*[A-Za-zÀ-ÿ][\w'’]+(?:[ -][A-Za-zÀ-ÿ][\w'’]+){{0,2}}[ \t]*,?[ \t]*"
                          rf"(?:\r?\n[ \t]*)?(?i:{_UK_OUT})[ ](?i:{_UK_IN})[ \t]*\r?$"),
               0.7, group="l"),
)


# ---------------------------------------------------------------------------------------------------- names
# (twentieth session, issue 16: the canary's ``intl`` names that leaked on dev seeds 1091 and 1097, by cause) A name as
# other countries write it: the surname in capitals after or before the given name in a mixed-case note ("Hans
# HASSELBRUCH", "OLAZÁBAL LÓPEZ, Pilar"), the given name after the surname and a comma where a tab parts them or the
# given name is also an English word ("LINDAHL,<tab>Dagfinn", "Quiroga, Pilar ("), a surname led by its particles before
# an initial or a given name followed by its particles ("van der Wetering, R.", "Brink, Hans van den"), a given name,
# particles and a surname after a name's label of another language ("Paciente Pilar van der Kamp", "Nom | hans de
# wetering") and a title of another language ("Dña.", "Sig.ra", "Hr.", "Mevr.") before the name.

#: the particles of a surname (Dutch, German, French, Spanish, Italian, Portuguese, Arabic, Irish), longest first
_PARTICLE = (r"van[ \t]+der|van[ \t]+den|van[ \t]+de|von[ \t]+der|von[ \t]+dem|de[ \t]+la|de[ \t]+las|de[ \t]+los|de[ \t]+le|"
             r"van|von|vom|zu|de|del|della|delle|degli|dei|di|da|das|do|dos|du|des|ten|ter|te|le|la|al|el|bin|ben|ibn|ó|o|mac|mc|ní|nic|ua")
#: a name's label of another language (and English) before the name in a field, a cell or a letter's reference line
_NAME_LABEL = (r"name|nom|nombre|nome|cognome(?:[ \t]*,[ \t]*nome)?|naam|paciente|patient(?:in|e)?|patiënt|pte?|re|betreft|"
               r"asunto|oggetto|objet|apellidos?|vorname|nachname|familienname|pr[ée]nom")
#: the titles of other languages before a person's name ("Sr.", "Dña.", "Mme", "Hr.", "Sig.ra", "Mevr.", "Pani")
_FOREIGN_TITLE = (r"sra|srta|sres|dª|dña|dna|don|doña|dona|mme|mlle|mmes|hrn|frau|herr|sig\.ra|sig\.na|sigra|sig|"
                  r"dott\.ssa|dr\.ssa|dott|mevr|dhr|pan|pani|sñr|sñra|srª|fru|frk|hra|rva")
#: the titles of one or two letters, only with their period ("M. Duvernoy", "Hr. Trautwein"; not "s/p retinopexy")
_FOREIGN_TITLE_SHORT = r"sr|d|m|hr|fr|mw|p"
_WORDS_NOT_NAMES = frozenset("""a an and are as at be but by for from had has have he her him his i if in into is it its me my no nor not
of on or our she so than that the their them then there they this to us was we were who whom whose with you your
date dob seen admitted born home address tel phone mob mobile fax email insurance ref re see per via""".split())


def _note_mixed(text: str) -> bool:
    """Whether the note mixes capitals and lower case (a note of one case is read in lower case)."""
    from .layout import letter_cases

    lower, upper = letter_cases(text)
    return lower > 0 and upper > 0.02 * (lower + upper) and lower > 0.02 * (lower + upper)


def _namey(w: str, judge: WordJudge, given_ok: bool = True) -> bool:
    """``w`` may be a name's word: each part of its hyphen or apostrophe no English, clinical or function word (a
    listed surname, a given name or a name of the world's lists may be one), no credential."""
    from .postprocess import CREDENTIALS
    from .slots import _fold

    if w.lower() in _WORDS_NOT_NAMES or w.lower() in CREDENTIALS:
        return False
    parts = [p for p in re.split(r"[-'’]", w) if p]
    if not parts or not any(len(p) >= 3 for p in parts):
        return False
    if len(parts) > 1 and "-" in w:  # "Fenwick-Bray": one part a name's, none a clinical or function word ("Bray" is a noun),
        # no letter alone ("X-ray", "T-cell")
        return (all(len(p) >= 2 for p in parts)
                and not any(judge.clinical(p) or p.lower() in _WORDS_NOT_NAMES or p.lower() in CREDENTIALS for p in parts)
                and any(_namey(p, judge, given_ok) for p in parts if len(p) >= 3))
    for p in parts:
        if len(p) < 2 and p.lower() not in ("o", "d"):
            return False
        f = _fold(p).lower()
        listed = judge.world(f) or (given_ok and judge.given(p)) or (judge.surname(p) and judge.surname_ok(p))
        if not ((judge.unknown(p) and judge.surname_ok(p)) or listed) or (judge.clinical(p) and not judge.given(p)):
            return False
    return True


_CAPS_AFTER = re.compile(rf"[ ](?P<w>(?:(?:Ó|O|MAC|MC|NÍ|NIC|DE|DI|DA|VAN|VON|AL)[ '’-])?{_NW})(?=[,.;()|\t]|\r?(?:\n|\Z)|[ \t]+(?:[,.;()|]|[^\W\d_][^\W\d_]*[^\W\d_A-ZÀ-Þ]))")
_CAPS_BEFORE = re.compile(rf"(?<![^\W\d_'’-])(?P<w>(?:(?:Ó|O|MAC|MC|NÍ|NIC|DE|DI|DA|VAN|VON|AL)[ '’-])?{_NW}(?:[ ]{_NW})?),[ \t]+\Z")
_GIVEN_AFTER = re.compile(rf",[ \t]+(?P<w>{_NW})(?=[ \t]*(?:,|\(|\t|\r?(?:\n|\Z)))")
_LINE_HEAD = re.compile(rf"(?i)^[^\w]*(?:(?:{_NW}[ \t]+){{0,3}}{_NW}[ \t]*(?::|\t|\|)[ \t|]*|the[ \t]+patient,[ \t]*)?(?:(?:{_PARTICLE})[ \t]+)*\Z")
_SURNAME_BEFORE = re.compile(rf"(?i)^[^\w]*(?:(?:{_NW}[ \t]+){{0,3}}{_NW}[ \t]*(?::|\t|\|)[ \t|]*|the[ \t]+patient,[ \t]*|re:?[ \t]+)?"
                             rf"(?P<w>(?:(?:{_PARTICLE})[ \t]+)*{_NW}(?:[ ]{_NW})?),[ \t]+\Z")
_PARTICLE_INITIAL = re.compile(rf"(?<![\w'’-])(?P<n>(?i:{_PARTICLE})[ \t]+(?P<s>{_NW})),[ \t]+[^\W\d_]\.(?![\w])")
_GIVEN_PARTICLE_AFTER = re.compile(rf"(?<![\w'’-])(?P<s>{_NW}),[ \t]+(?:(?P<g>{_NW})[ \t]+)?(?P<p>(?i:{_PARTICLE}))(?=[ \t]*(?:[,.;(|\t]|\r?$))", re.M)
_LABEL_GIVEN_PARTICLE = re.compile(rf"(?<![\w'’-])(?i:{_NAME_LABEL})(?![^\W\d_])[ \t]*[:|\t]?[ \t|]*(?P<n>(?P<g>{_NW})[ \t]+(?i:{_PARTICLE})[ \t]+(?P<s>{_NW}))(?![\w'’-])")
_LABEL_WORD = re.compile(rf"(?i:(?<![\w'’-])(?:{_NAME_LABEL})(?![^\W\d_])[ \t]*[:|\t]?[ \t|]*|^[ \t|]*)(?P<w>{_NW})[ \t]+\Z", re.M)
_LABEL_LAST_FIRST = re.compile(rf"(?<![\w'’-])(?i:{_NAME_LABEL})(?![^\W\d_])[ \t]*[:|\t]?[ \t|]*(?P<s>{_NW}(?:[ ]{_NW}){{0,2}}),[ \t]+(?P<g>{_NW})"
                               r"(?=[ \t]*(?:,|\(|\t|\||\r?(?:\n|\Z)))")
_GIVEN_PARTICLE_SURNAME = re.compile(rf"(?<![\w'’.-])(?P<g>{_NW})[ \t]+(?i:van[ \t]+der|van[ \t]+den|van[ \t]+de|von[ \t]+der|von[ \t]+dem|de[ \t]+la|"
                                     rf"de[ \t]+las|de[ \t]+los|van|von|vom|de|del|della|di|dos|das|ten|ter|bin|ibn|ben)[ \t]+(?P<s>{_NW})(?![\w'’-])")
_PARTICLE_WORDS = frozenset("van der den de von vom zu del della di da das do dos du des ten ter te le la al el bin ben ibn ó o mac mc ní nic".split())
_TITLE_NAME = re.compile(rf"(?<![\w'’./-])(?P<t>(?i:{_FOREIGN_TITLE_SHORT})\.|(?i:{_FOREIGN_TITLE})\.?)[ \t]+(?P<n>{_NW}(?:[ \t]+{_NW})?)(?=[ \t]*(?:[,.;:()|\t]|\r?(?:\n|\Z)|[ \t][^\W\d_]))")


def _same_form(w: str, name: str) -> bool:
    """Written like ``name`` in a mixed-case note: both in capitals, both capitalised, both in lower case."""
    def form(x: str) -> str:
        letters = [c for c in x if c.isalpha()]
        return "upper" if all(c.isupper() for c in letters) else "lower" if all(c.islower() for c in letters) else "title"
    return form(w) == form(name)


def name_parts(text: str, hits: list[_Hit], judge: WordJudge) -> list[_Hit]:
    """The parts of a name as other countries write it around a name a rule or the model found, and the names that a
    particle, a label or a title of another language gives away (see the comment above)."""
    mixed = _note_mixed(text)
    src = f"{ids.NAME_SLOTS}:intl_name"
    out: list[_Hit] = []
    for h in hits:
        if h.label != "NAME":
            continue
        name = text[h.start:h.end]
        if not name.strip() or "\n" in name:
            continue
        # a surname in capitals after a given name written otherwise: "Hans HASSELBRUCH", "Sr. Iñaki Ó SÚILLEABHÁIN"
        a = _CAPS_AFTER.match(text, h.end)
        if a and mixed and not name.isupper():
            w = a.group("w")
            words = [x for x in re.split(r"[ '’]", w) if x]
            if w.isupper() and _namey(words[-1], judge, given_ok=False) and len(words[-1]) >= 4:
                out.append(_Hit("NAME", a.start("w"), a.end("w"), 0.5, src))
        line_start = text.rfind("\n", 0, h.start) + 1
        head = text[line_start:h.start]
        # a surname in capitals (one or two, a particle maybe) before a comma and the given name: "LINDAHL, Dagfinn"
        b = _CAPS_BEFORE.search(head)
        if b and mixed and not name.isupper():
            w = b.group("w")
            words = [x for x in re.split(r"[ '’]", w) if x]
            if w.isupper() and all(_namey(x, judge, given_ok=False) for x in words if len(x) >= 3) and any(len(x) >= 4 for x in words):
                out.append(_Hit("NAME", line_start + b.start("w"), line_start + b.end("w"), 0.5, src))
        # the surname before a comma when the given name after it was found, the surname opening its line or after a
        # label no list knows, in any case ("REFERRED FROM ABROAD: KOWALCZUK, [LUDOVIC]", "nom: müller, [hans]")
        sb = _SURNAME_BEFORE.match(head.replace("\r", ""))
        if sb and (not mixed or _same_form(sb.group("w"), name)):
            ws = [x for x in re.split(r"[ '’]", sb.group("w")) if x]
            core = [x for x in ws if x.lower() not in _PARTICLE_WORDS]
            if (core and all(_namey(x, judge, given_ok=False) for x in core) and not any(x.lower() in _NAME_LABEL_WORDS for x in core)
                    and any(len(x) >= 3 for x in core)):
                out.append(_Hit("NAME", line_start + sb.start("w"), line_start + sb.end("w"), 0.5, src))
        # the given name after a surname that opens its line (a label, a letter's "Re:", particles before it at most)
        # and a comma, closing the name: "LINDAHL,<tab>Dagfinn", "Quiroga, Pilar (AVS ...)", "[Ó Súilleabháin], pilar,"
        g = _GIVEN_AFTER.match(text, h.end)
        if g and _LINE_HEAD.match(head.replace("\r", "")):
            w = g.group("w")
            if (not mixed or _same_form(w, name) or (name.isupper() and w[:1].isupper())) and _namey(w, judge):
                out.append(_Hit("NAME", g.start("w"), g.end("w"), 0.5, src))
        # the given name before a surname after a name's label or opening a line: "Nombre PILAR [QUIROGA]", "re: pilar [x]"
        lw = _LABEL_WORD.search(text, max(line_start, h.start - 60), h.start)
        if lw and lw.end() == h.start:
            w = lw.group("w")
            if (not mixed or _same_form(w, name)) and w.lower() not in _NAME_LABEL_WORDS and _namey(w, judge) and _listed_given(w, judge):
                out.append(_Hit("NAME", lw.start("w"), lw.end("w"), 0.5, src))
    for m in _PARTICLE_INITIAL.finditer(text):  # "van der Wetering, R.", "de velde, é."
        s = m.group("s")
        if _namey(s, judge, given_ok=False) and s.lower() not in _WORDS_NOT_NAMES and not _LATIN_PHRASE.match(m.group("n")):
            out.append(_Hit("NAME", m.start("n"), m.end("n"), 0.5, src))
    for m in _GIVEN_PARTICLE_AFTER.finditer(text):  # "Brink, Hans van den", "Heuvel, van der"
        s, gw = m.group("s"), m.group("g")
        if _namey(s, judge, given_ok=False) and (gw is None or _namey(gw, judge)) and (not mixed or s[:1].isupper() or not (gw or "x")[:1].isupper()):
            out.append(_Hit("NAME", m.start("s"), m.end("p"), 0.5, src))
    for m in _LABEL_GIVEN_PARTICLE.finditer(text):  # "Paciente Pilar van der Kamp", "nom | hans de wetering", "Patiënt: Jan ter Horst"
        gw, s = m.group("g"), m.group("s")
        if gw.lower() not in _NAME_LABEL_WORDS and _slot_word(gw, judge) and _slot_word(s, judge) and (not mixed or _same_form(gw, s)):
            out.append(_Hit("NAME", m.start("n"), m.end("n"), 0.5, src))
    for m in _GIVEN_PARTICLE_SURNAME.finditer(text):  # "Pilar van der Kamp" in prose: a given name English knows as a word
        gw, s = m.group("g"), m.group("s")
        if mixed and not (gw[:1].isupper() and not gw.isupper() and s[:1].isupper() and s[1:].islower()):
            continue  # in a mixed-case note both capitalised ("torsades de pointes", "Café de Paris" fail below)
        if not mixed and not _same_form(gw, s):
            continue
        if gw.lower() not in _NAME_LABEL_WORDS and _namey(gw, judge) and _namey(s, judge, given_ok=False) and len(s) >= 3:
            out.append(_Hit("NAME", m.start("g"), m.end("s"), 0.5, src))
    for m in _LABEL_LAST_FIRST.finditer(text):  # "Nombre IYENGAR, Hans", "naam: Wetering, Renske" (a colon or none)
        sw, gw = m.group("s"), m.group("g")
        words = re.findall(_NW, sw)
        if (all(_namey(w, judge, given_ok=False) or w.lower() in _PARTICLE_WORDS for w in words) and _namey(gw, judge)
                and not any(w.lower() in _NAME_LABEL_WORDS for w in words) and (not mixed or not sw.islower() or gw.islower())):
            out.append(_Hit("NAME", m.start("s"), m.end("g"), 0.5, src))
    for m in _TITLE_NAME.finditer(text):  # "Dña. Gunnhild Quennell", "Sig.ra Élodie Duvernoy"
        words = re.findall(_NW, m.group("n"))
        if all(_namey(w, judge) for w in words) and (not mixed or all(w[:1].isupper() for w in words)
                                                     or (all(w.islower() for w in words) and _LOWER_TITLE.fullmatch(m.group("t")))):
            out.append(_Hit("NAME", m.start("n"), m.end("n"), 0.5, src))
    return out


#: the titles that open a name in lower case too, in a mixed-case note (a line pasted in lower case: "sra. pilar
#: schäfer"); not "don", "pan", "sig" (English words and a prescription's "sig")
_LOWER_TITLE = re.compile(r"(?i:sra|srta|dña|dª|doña|mme|mlle|sig\.ra|sig\.na|dott\.ssa|dr\.ssa|mevr|dhr|hr|fr|sñra|srª|frau|herr)\.?")
_NAME_LABEL_WORDS = frozenset("""name nom nombre nome cognome naam paciente patient patientin patiente patiënt pt pte re
betreft asunto oggetto objet apellido apellidos vorname nachname familienname prénom prenom surname forename nombres
sobrenome apelido achternaam voornaam voornamen efternavn fornavn etternavn efternamn förnamn fornamn sukunimi etunimi
nazwisko imię imie paziente patienten pacjent pacjentka potilas""".split())
#: a Latin phrase of a note that a particle opens ("de novo", "in situ" has none)
_LATIN_PHRASE = re.compile(r"(?i)de[ \t]+(?:novo|facto|minimis|rigueur)\b|da[ \t]+capo\b")


def _slot_word(w: str, judge: WordJudge) -> bool:
    """A word at a slot only a name fills (after a name's label and around its particles): no function, clinical or
    label word, no credential; an English word may be one there ("Jan ter Horst")."""
    from .postprocess import CREDENTIALS

    low = w.lower()
    return (len(w) >= 2 and low not in _WORDS_NOT_NAMES and low not in CREDENTIALS and low not in _NAME_LABEL_WORDS
            and (not judge.clinical(w) or judge.given(w)) and (judge.surname_ok(w) or judge.given(w) or judge.surname(w) or _namey(w, judge)))


def _listed_given(w: str, judge: WordJudge) -> bool:
    """A given name of a list or a world's name, or a word no lexicon knows (the label or the line gives the slot)."""
    from .slots import _fold

    return judge.given(w) or judge.world(_fold(w).lower()) or judge.unknown(w)


# ---------------------------------------------------------------------------------------------------- names (21st)
# (twenty-first session, issue 16: the ``intl`` names that leaked on dev seeds 1117 and 1123, by cause) A name that no
# found word leads to: a given name that is also an English or a clinical word ("Pilar", "Rose", "Iris") before a surname
# in capitals in a mixed-case note ("Pilar MØRKEBERG" heading an address block, after "Re:", in a table's cell), and a
# name after a name's label of any language in a table's cell, a field or on the line under the label, in any case
# ("| Cognome, Nome | Pilar SCHÄFER |", "paciente:" / "pilar trautwein", "Nazwisko, imię: KOWALCZUK, Ludovic").

#: one word of a name's label: a family name, a given name, a full name or the patient, in English, French, Spanish,
#: Portuguese, Italian, German, Dutch, the Nordic languages, Polish and Finnish
_LABEL_ONE = (r"(?:patient(?:'s)?[ \t]+|full[ \t]+|family[ \t]+|given[ \t]+|first[ \t]+|last[ \t]+)?name|surname|forename|"
              r"nom(?:[ \t]+(?:de[ \t]+famille|complet|d'usage))?|pr[ée]noms?|nombres?(?:[ \t]+completo)?|apellidos?|"
              r"nome(?:[ \t]+completo)?|sobrenome|apelido|cognome|"
              r"vorname|nachname|familienname|achternaam|voornaam|voornamen|naam|"
              r"efternavn|fornavn|etternavn|efternamn|f[öo]rnamn|sukunimi|etunimi|nazwisko|imi[ęe]|"
              r"patient(?:in|e)?|paciente|paziente|pati[ëe]nt|pacjent|pacjentka|potilas")
#: a name's label: one word or two joined as forms join them ("Cognome, Nome", "Apellidos, Nombre", "Nome/Cognome",
#: "Name, Vorname", "Nom et prénom", "Nazwisko i imię")
_NAME_LABEL_ANY = rf"(?:{_LABEL_ONE})(?:[ \t]*(?:,|/|&|\+)[ \t]*(?:{_LABEL_ONE})|[ \t]+(?:e|et|y|und|en|og|och|i|ja)[ \t]+(?:{_LABEL_ONE}))?"
#: the label opening a line or a table's cell, its mark (a colon, a bar, a tab, an equals sign), and the value in the
#: same cell or on the next line (a label that ends its line); the value closes its cell, its line or a comma's clause
_LABEL_VALUE = re.compile(
    rf"(?:^|(?<=[|\t]))[ \t|>*•-]*(?:(?i:{_NAME_LABEL_ANY})[ \t]*(?:[:=|\t][ \t|:]*(?:\r?\n[ \t|]*)?|\r?\n[ \t|]*)|(?i:re|betreft|asunto|oggetto|objet)[ \t]*:[ \t]*)"
    rf"(?:(?i:{_FOREIGN_TITLE}|{_FOREIGN_TITLE_SHORT}|mr|mrs|ms|miss)\.?[ \t]+)?(?P<n>{_NW}(?:,?[ \t]+{_NW}){{0,3}})(?=[ \t]*(?:\r?$|[|\t;(]|,[ \t]))", re.M)
#: a name's label at a label's place (opening a line or a cell) with its mark after it or closing its line
_LABEL_AT = re.compile(rf"(?:^|(?<=[|\t]))[ \t|>*•-]*(?P<lab>(?i:{_NAME_LABEL_ANY}))[ \t]*(?=[:=|\t]|\r?$)", re.M)


def drop_label_names(text: str, hits: list[_Hit]) -> list[_Hit]:
    """The hits less the names' labels they cover: a name rule that reads a label of another language as a name
    ("| Cognome, Nome |", "Achternaam<tab>Vesterholm", "Nom, Prénom:") keeps the name and leaves the label."""
    spans = [m.span("lab") for m in _LABEL_AT.finditer(text)]
    if not spans:
        return hits
    out: list[_Hit] = []
    for h in hits:
        if h.label == "NAME":
            for a, b in spans:
                if h.start < b and a < h.end:
                    if a <= h.start and h.end <= b:
                        h = _Hit(h.label, h.start, h.start, h.score, h.source)
                        break
                    if a <= h.start:  # the label opens the hit: the name starts after it
                        start = b
                        while start < h.end and not (text[start].isalnum()):
                            start += 1
                        h = _Hit(h.label, start, h.end, h.score, h.source)
                    elif h.end <= b:  # the label closes the hit ("Vesterholm | Nome")
                        end = a
                        while end > h.start and not text[end - 1].isalnum():
                            end -= 1
                        h = _Hit(h.label, h.start, end, h.score, h.source)
            if h.end <= h.start:
                continue
        out.append(h)
    return out


#: given names that are words of English or of a note ("Pilar" a cyst, "Iris", "Rose", "Hope"): beside a surname in
#: capitals they are a person's (no verb or modal that opens a sentence: "Will", "May", "Mark" are left to the lists)
_WORD_GIVEN = frozenset("""pilar iris rose faith hope grace joy ruby amber hazel ivy violet lily dawn holly heather olive
pearl daisy jade jasmine""".split())
_TITLE_BEFORE = re.compile(r"(?i:dr|prof|mr|mrs|ms|mx)\.?[ ]\Z")
#: a clinical term that such a given name opens, its second word no English one ("Rose BENGAL staining")
_WORD_GIVEN_TERMS = frozenset({"rose bengal", "iris bombe", "iris bombé"})
#: a given name written with a capital before a surname in capitals (one or two words, a particle maybe): "Pilar
#: MØRKEBERG", "Rose OLAZÁBAL LÓPEZ", "Iris VAN DER KAMP"
_GIVEN_CAPS = re.compile(r"(?<![\w'’.-])(?P<g>[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?)[ ]"
                         r"(?P<s>(?:(?:VAN[ \t]+DER|VAN[ \t]+DEN|VAN|VON|DE[ \t]+LA|DE|DI|DA|DEL|DELLA|DOS|Ó|O|MAC|MC|NÍ|AL)[ \t'’-]+)?"
                         r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’]+(?:-[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’]+)?(?:[ ][A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’]{2,})?)(?![\w'’-])")


#: a surname in capitals, a comma and a given name written with a capital ("DRAKOWSKA, Iris", "OLAZÁBAL LÓPEZ, Rose")
_CAPS_COMMA_GIVEN = re.compile(r"(?<![\w'’.-])(?P<s>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’]+(?:-[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’]+)?(?:[ ][A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’]{2,})?),[ \t]+"
                               r"(?P<g>[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?)(?![\w'’-])")


#: a label no list knows opening its line ("Referred from abroad:", "the patient,"), then SURNAME, GIVEN closing a clause
#: ("REFERRED FROM ABROAD: VESTERHOLM, IRIS (DNI ...)", "transferred from: kowalskaja, dagfinn, dob ...")
_HEAD_LAST_FIRST = re.compile(rf"^[ \t|>*•-]*(?:(?:{_NW}[ \t]+){{0,3}}{_NW}[ \t]*[:|\t][ \t|]*|(?i:the)[ \t]+(?i:patient),[ \t]*)"
                              rf"(?P<s>(?:(?i:{_PARTICLE})[ \t]+)*{_NW}(?:[ ]{_NW})?),[ \t]+(?P<g>{_NW})(?=[ \t]*(?:[,(;|\t]|\r?$))", re.M)


def _label_value_words(words: list[str], judge: WordJudge, mixed: bool) -> bool:
    """The words after a name's label are a name: each a word a name's slot takes (a particle, a given name that is an
    English word), one at least a surname's or a name of the world's lists or a word no lexicon knows, written alike."""
    core = [w for w in words if w.lower() not in _PARTICLE_WORDS]
    if not core or not all(_slot_word(w, judge) or w.lower() in _WORD_GIVEN for w in core):
        return False
    if not any(judge.surname_ok(w) or judge.unknown(w) for w in core):
        return False
    if mixed and len({"up" if w.isupper() else "low" if w.islower() else "title" for w in core}) > 2:
        return False
    return True


def names(text: str, judge: WordJudge) -> list[_Hit]:
    """The names that a label of any language or a capitals surname gives away (see the comment above)."""
    from .slots import _fold

    mixed = _note_mixed(text)
    src = f"{ids.NAME_SLOTS}:intl_label"
    out: list[_Hit] = []
    for m in _LABEL_VALUE.finditer(text):
        n = m.group("n")
        words = re.findall(_NW, n)
        if _label_value_words(words, judge, mixed):
            out.append(_Hit("NAME", m.start("n"), m.end("n"), 0.55, src))
    for m in _HEAD_LAST_FIRST.finditer(text):
        sn, g = m.group("s"), m.group("g")
        if mixed and not (sn[:1].isupper() and g[:1].isupper()):
            continue
        words = [w for w in re.split(r"[ \t'’]+", sn) if w and w.lower() not in _PARTICLE_WORDS]
        given = g.lower() in _WORD_GIVEN or judge.given(g) or judge.world(_fold(g).lower()) or (judge.unknown(g) and _namey(g, judge))
        if (given and words and g.lower() not in _NAME_LABEL_WORDS and all(_namey(w, judge, given_ok=False) for w in words)
                and not any(w.lower() in _NAME_LABEL_WORDS for w in words) and any(len(w) >= 4 for w in words)):
            out.append(_Hit("NAME", m.start("s"), m.end("g"), 0.5, f"{ids.NAME_SLOTS}:intl_last_first"))
    if mixed:
        for m in [*_GIVEN_CAPS.finditer(text), *_CAPS_COMMA_GIVEN.finditer(text)]:
            g, sn = m.group("g"), m.group("s")
            low = g.lower()
            # (a given name no list knows counts when no lexicon knows it either, as for a head's "LAST, First": "Dagfinn
            # FAUCHÈRE"; dev seed 1163)
            if low in _WORDS_NOT_NAMES or low in _NAME_LABEL_WORDS or not (
                    low in _WORD_GIVEN or judge.given(g) or judge.world(_fold(g).lower()) or (judge.unknown(g) and _namey(g, judge))):
                continue
            if f"{low} {sn.lower()}" in _WORD_GIVEN_TERMS or _TITLE_BEFORE.search(text, max(0, m.start() - 6), m.start()):
                continue  # (a clinician's surname after a title: "Dr. Lacroix JOAG" is a name and a diagnosis)
            words = [w for w in re.split(r"[ \t'’]+", sn) if w and w.lower() not in _PARTICLE_WORDS]
            if words and all(_namey(w, judge, given_ok=False) for w in words) and any(len(w) >= 4 for w in words):
                out.append(_Hit("NAME", min(m.start("g"), m.start("s")), max(m.end("g"), m.end("s")), 0.5, f"{ids.NAME_SLOTS}:intl_caps"))
    return out
