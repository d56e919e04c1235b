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

from .patterns import _B, _E, PhiPattern

__all__ = ["INTERNATIONAL_PATTERNS"]

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
               r"f[øo]dselsdato|f[öo]delsedatum")


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
    r"insurance[ \t]+card|nhs|chi|aadhaar|sin|pesel|curp|tfn|(?:kranken)?versichertennummer"
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


_STREET_DE = r"[A-ZÄÖÜa-zäöüß][a-zäöüß]{2,}(?:stra(?:ß|ss)e|str\.|gasse|weg|allee|platz|steig|pfad)"
#: the word of a street of France, Spain, Italy, Portugal or the Netherlands, any case; those that are also words of a
#: note ("via", "place", "avenue", "corso") only capitalised and before a capitalised name
_STREET_WORD = (r"rue|allée|boulevard|chemin|impasse|quai|calle|c/|avda\.?|avenida|paseo|camino|carrer|viale|piazza|rua|"
                r"travessa|straat|laan|gracht|steenweg")
_STREET_WORD_CAP = r"Via|Place|Avenue|Av\.|Plaza|Corso|Largo|Bd|Plein"

#: what follows a number that is a quantity, not a town ("vitamin D-5000 IU")
_UNITS = (r"(?i:(?:mg|ml|mcg|µg|g|kg|l|units?|iu|ui|u|times|tabs?|tablets?|caps?|patients?|cells|copies|hours?|hrs?|days?|weeks?|"
          r"mmhg|cm|mm|kcal|cal|steps|ft|feet|m|km|miles?|lbs?|x)\b)")

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
               re.compile(r"(?<![\w+.,/-])(?P<p>0\d{1,3}(?:[ ]\d{2,3}){3,4})(?![\w]|[.,/-]\d)"), 0.7, group="p",
               validate=lambda m: 9 <= sum(c.isdigit() for c in m.group("p")) <= 11),
    # ---------------------------------------------------------------- addresses
    # a German or Swiss street and its number: "Quellenhofstraße 14", "birkenweg 5a", "Lindenstr. 3"
    PhiPattern("street_de", "LOCATION",
               re.compile(rf"(?<![\w])(?P<l>{_STREET_DE}[ \t]*\d{{1,4}}[a-z]?)(?![\w])", re.I), 0.75, group="l"),
    # a street of France, Spain, Italy, Portugal or the Netherlands with its number before or after it
    PhiPattern("street_romance", "LOCATION",
               re.compile(rf"(?<![\w])(?P<l>(?:\d{{1,4}}(?:[ \t]+(?:bis|ter))?,?[ \t]+)?(?:(?i:{_STREET_WORD})[ \t]+(?:(?i:de|del|de la|des|du|da|do|dos|della|di|van)[ \t]+)?[A-ZÀ-Ýa-zà-ÿ]|"
                          rf"(?:{_STREET_WORD_CAP})[ \t]+(?:(?:de|del|de la|des|du|da|do|dos|della|di|van)[ \t]+)?[A-ZÀ-Ý])[\w'’-]+"
                          r"(?:(?:,[ \t]*|[ \t]+)(?:n[°º][ \t]*)?\d{1,4}(?![\d.:/]))?)(?![\w])"),
               0.6, group="l", validate=lambda m: any(c.isdigit() for c in m.group("l"))),
    # a postal code with its country's letter: "CH-8871 Zürich", "D-10115 Berlin", "F-75011 Paris"
    PhiPattern("postal_country", "LOCATION",
               re.compile(rf"(?<![\w-])(?P<l>(?:(?:CH|D|F|E|A|I|B|L|NL|DK|S|N|FI|P)-\d{{4,5}}[ \t]+(?!{_UNITS})[A-ZÀ-Ý][\w'’-]+"
                          rf"|(?:ch|d|f|e|a|i|b|l|nl|dk|s|n|fi|p)-\d{{4,5}}[ \t]+(?!{_UNITS})[a-zà-ÿ][\w'’-]{{2,}}))(?![\w])"),
               0.8, group="l"),
    # a continental postal code and its town after a street's comma or on the line under a street
    PhiPattern("postal_town", "LOCATION",
               re.compile(rf"(?<![\w])(?:(?i:{_STREET_DE}|(?:{_STREET_WORD})(?![\w]))[^\n]{{0,40}}?(?:,[ \t]*|\r?\n[ \t]*|[ \t]+))"
                          rf"(?P<l>\d{{4,5}}(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?!{_UNITS})[A-ZÀ-Ýa-zà-ÿ][\w'’-]+|\d{{5}}(?=[ \t]*\r?$))(?![\w])", re.M),
               0.8, group="l"),
    # a Canadian town, its province and its postal code, any case, a hyphenated town whole ("trois-rivières, qc g9a 5h7",
    # "Kenmoorvale, QC E3Z 4Z9"): the town and the code with it
    PhiPattern("ca_town_province_postal", "LOCATION",
               re.compile(r"(?<![\w'’-])(?P<l>(?!(?i:in|at|to|from|of|near|the|and|moved|lives?|born)\b)[A-Za-zÀ-ÿ][\w'’]+(?:-[A-Za-zÀ-ÿ][\w'’]+)*"
                          r"(?:[ ][A-ZÀ-Ý][\w'’]+(?:-[A-Za-zÀ-ÿ][\w'’]+)*)?,[ \t]*"
                          r"(?i:ab|bc|mb|nb|nl|ns|nt|nu|on|pe|qc|sk|yt)[ \t]+(?i:[abceghj-nprstvxy]\d[a-z][ ]?\d[a-z]\d))(?![\w])"),
               0.8, group="l"),
    # a UK postcode: "SW1A 1AA", "M1 1AE"; in lower case after a comma or alone on its line
    PhiPattern("uk_postcode", "LOCATION",
               re.compile(r"(?<![\w])(?P<z>[A-Z]{1,2}\d[A-Z\d]?[ ]\d[ABD-HJLNP-UW-Z]{2})(?![\w])"), 0.7, group="z"),
    # a UK post town: on the line over its postcode, or before it after a comma ("Netherstowe\nLS6 2QD", "netherstowe, ls6 2qd")
    PhiPattern("uk_post_town", "LOCATION",
               re.compile(r"(?m)^[ \t]*(?P<l>[A-Za-zÀ-ÿ][\w'’]+(?:[ -][A-Za-zÀ-ÿ][\w'’]+){0,2})[ \t]*,?[ \t]*\r?\n?[ \t]*"
                          r"(?i:[a-z]{1,2}\d[a-z\d]?[ ]\d[abd-hjlnp-uw-z]{2})[ \t]*\r?$"), 0.75, group="l"),
    PhiPattern("uk_post_town_comma", "LOCATION",
               re.compile(r"(?<=,)[ \t]*(?P<l>[A-Za-zÀ-ÿ][\w'’]+(?:[ -][A-Za-zÀ-ÿ][\w'’]+){0,2}),[ \t]*"
                          r"(?i:[a-z]{1,2}\d[a-z\d]?[ ]\d[abd-hjlnp-uw-z]{2})(?![\w])"), 0.75, group="l"),
    PhiPattern("uk_postcode_lower", "LOCATION",
               re.compile(r"(?:,[ \t]*|^[ \t]*)(?P<z>[a-z]{1,2}\d[a-z\d]?[ ]\d[abd-hjlnp-uw-z]{2})(?=[ \t]*(?:$|,))", re.M),
               0.7, group="z"),
)
