"""Patterns for the HIPAA Safe Harbor identifiers that the clinical patterns read only in one case or
one layout (branch canx18, the canary's ``safe_harbor`` kind): device identifiers and serial numbers,
vehicle identifiers, health plan beneficiary numbers, account numbers, certificate and licence numbers,
URLs with a path, and ages over 89 in a table or a ``Sex/Age`` field.

The rules of :mod:`ehrnlp.deid.patterns` read these labels in the case they are usually written in
(``VIN``, ``S/N``, ``MBI``, ``DEA``); a note in capitals is read from its lower-case form
(:mod:`ehrnlp.deid.neutral`), so a label that only matches in capitals is lost there, as it is in a
note typed in lower case. Here every label is read in any case, and shapes specific enough to need no
label (a GS1 UDI, a Medicare MBI, a VIN, a serial of digits, letters and digits) are read bare.

No Presidio import: :data:`SAFE_HARBOR_PATTERNS` is a tuple of :class:`~ehrnlp.deid.patterns.PhiPattern`
that :func:`ehrnlp.deid.recognizers.pattern_recognizers` adds to the clinical patterns.
"""

from __future__ import annotations

import re

from .patterns import PhiPattern

__all__ = ["SAFE_HARBOR_PATTERNS"]


def _c(p: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(p, flags)


#: labels of device, vehicle, plan, account and licence identifiers, any case ("license" not before
#: "plate": the plate has a rule of its own)
_ID_LABEL = (
    r"s/n|serial(?:[ \t]*(?:\#|no\.?|number|num))?|udi|device[ \t]+(?:id|\#|serial)|lot(?:[ \t]*(?:\#|no\.?|number))?|"
    r"vin|vehicle(?:[ \t]+(?:id|\#|vin|identification(?:[ \t]+(?:no\.?|number))?))?|mbi|medicaid(?:[ \t]+(?:id|\#|no\.?|number))?|medicare(?:[ \t]+(?:id|\#|no\.?|number|mbi))?|"
    r"(?:member|subscriber|beneficiary)[ \t]*(?:id|\#|no\.?|number)|dea(?:[ \t]*\#)?|npi|cdl|"
    r"(?:driver'?s[ \t]+|state[ \t]+|medical[ \t]+|nursing[ \t]+|professional[ \t]+)?licen[cs]e(?![ \t]+plate)(?:[ \t]*(?:\#|no\.?|number))?|"
    r"acct\.?(?:[ \t]*(?:\#|no\.?|number))?|(?:billing|guarantor|hospital|patient)[ \t]+account(?:[ \t]*(?:\#|no\.?|number))?|"
    r"account[ \t]*(?:\#|no\.?|number)|(?:posted|billed|charged)[ \t]+to[ \t]+account"
)
#: what may stand between a label and its value: marks, "no.", "is", a table's bar, a line break
_SEP = r"(?:[ \t]*(?:\#|:|=|\||-|(?i:no\.?|number|is))[ \t]*)*[ \t]*(?:\r?\n[ \t|]*)?\#?"
#: an identifier: letters, digits and inner hyphens, with a digit
_VALUE = r"(?P<id>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,24})(?![\w-]|[.,]\d)"


def _id_value(m: re.Match[str]) -> bool:
    """Five digits or more, or three with a letter ("PJN48213Q", "RN307354"), and no date or dose."""
    v = m.group("id")
    digits = sum(c.isdigit() for c in v)
    if re.fullmatch(r"(?:19|20)\d\d", v):
        return False  # a year ("licensed 2019")
    return digits >= 5 or (digits >= 3 and any(c.isalpha() for c in v))


#: the MBI's letters (no S, L, O, I, B, Z) and its shape: C A AN N A AN N A A N N
_MBI_A = "ACDEFGHJKMNPQRTUVWXY"
_MBI = rf"[1-9][{_MBI_A}][{_MBI_A}0-9]\d-?[{_MBI_A}][{_MBI_A}0-9]\d-?[{_MBI_A}][{_MBI_A}]\d\d"


def _valid_age(m: re.Match[str]) -> bool:
    return 90 <= int(m.group("age")) <= 125


SAFE_HARBOR_PATTERNS: tuple[PhiPattern, ...] = (
    # a social media handle after its network's name or a handle's label ("Instagram @quenn.peregrine", "twitter:
    # @pquenn61", "handle @p_quenn"): a unique identifying characteristic (nineteenth session)
    PhiPattern("sh_social_handle", "ID",
               _c(r"(?<![\w])(?i:instagram|insta|ig|twitter|x\.com|tiktok|snapchat|snap|facebook|fb|threads|telegram|handle|"
                  r"username|user[ \t]+name|skype|discord|reddit|linkedin)(?:[ \t]*(?:[:=#]|is|handle))*[ \t]*"
                  r"(?P<id>@?[A-Za-z0-9_][A-Za-z0-9_.]{2,29}[A-Za-z0-9_])(?![\w@])"),
               0.8, group="id", validate=lambda m: m.group("id").startswith("@") or any(c.isdigit() or c in "._" for c in m.group("id"))),
    # a telephone number after a label of another language ("teléfono 612 34 56 78", "Handy 0171 2345678")
    PhiPattern("sh_phone_foreign_label", "PHONE",
               _c(r"(?<![\w])(?i:tel[eé]fono|t[eé]l[eé]phone|telefon|handy|m[oó]vil|celular|cellulare|portable|natel|gsm)"
                  r"(?:[ \t]*(?:\#|:|=|no\.?|nr\.?))*[ \t]*(?P<p>\+?\(?\d[\d ().-]{5,20}\d)(?![\w])"),
               0.75, group="p", validate=lambda m: 7 <= sum(c.isdigit() for c in m.group("p")) <= 15),
    # a postal code and its town after a postal code's label, the code first as most of Europe writes it ("PLZ 10115
    # Berlin", "CP 28013 Madrid", "code postal 75011 Paris")
    PhiPattern("sh_postal_label", "LOCATION",
               _c(r"(?<![\w])(?i:plz|cp|c\.p\.|code[ \t]+postal|postleitzahl|postcode|post[ \t]+code)(?:[ \t]*[:#])?[ \t]*"
                  r"(?P<l>\d{4,5}[ \t]+(?i:[a-zà-ÿ][\w'’-]+)(?:[ \t-][A-ZÀ-Ý][\w'’-]+){0,2})(?![\w])"),
               0.8, group="l"),
    # a Canadian city and its province after a comma ("Ottawa, ON", "in Halifax, NS K1A 0B1")
    PhiPattern("sh_city_province", "LOCATION",
               _c(r"(?<![\w])(?P<l>[A-Z][a-zà-ÿ'’-]+(?:[ ][A-Z][a-zà-ÿ'’-]+)?),[ \t]*(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\b(?=[ \t]*(?:$|[,.;)]|[A-Z]\d[A-Z]))",
                  re.M),
               0.7, group="l"),
    # any case, a label of a device, vehicle, plan, account or licence number and its value ("pacemaker s/n:
    # pjn123456q", "vin 3t5hdbx7x32013947", "her medicaid 123456789a", "DEA AB1234563" in a note read in lower case)
    PhiPattern("sh_id_label", "ID", _c(rf"(?<![\w/])(?i:{_ID_LABEL})\b{_SEP}{_VALUE}"), 0.85, group="id", validate=_id_value),
    # a licence plate after its label, any case: one token of letters and digits ("plate 7TZX837", "211CWX") or
    # letters (a digit before them), a blank or a hyphen, digits ("plate HSR 5033", "6RWM 4410", "tag #: KLT-5521"); "growth plate at 2300", "skin
    # tag 10 days", "plate 24 hours", "platelets 198" stay; a function word in capitals is a plate's letters ("plate THE 4726":
    # dev seed 1259), in small letters or capitalised a phrase ("plate at 2300", "Plate In 2019")
    PhiPattern(
        "sh_plate", "ID",
        _c(r"(?<![\w/])(?i:(?:licen[cs]e[ \t]+)?plate|tag(?=[ \t]*[#:]))\b(?:[ \t]*(?:\#|:|no\.?|number))*[ \t]*"
           r"(?P<id>(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{5,8}|(?!(?:at|in|on|of|to|by|for|and|the|was|is|x|At|In|On|Of|To|By|For|And|The|Was|Is|X)[ -])(?=\d?[A-Za-z])[A-Za-z0-9]{2,4}[ -]\d{3,4})(?![\w-])"),
        0.85, group="id",
    ),
    # a GS1 UDI, whole ("(01)00643169007222(17)250630(10)LOT4471(21)A1234567"): its dates and lot with it
    PhiPattern("sh_udi", "ID", _c(r"(?<![\w)])(?P<id>\(01\)\d{14}(?:\(\d{2,4}\)[A-Za-z0-9-]{1,20})*)"), 0.9, group="id"),
    # a Medicare Beneficiary Identifier by its shape, any case, with or without its hyphens ("1EG4-TE5-MK73")
    PhiPattern("sh_mbi", "ID", _c(rf"(?<![\w-])(?P<id>(?i:{_MBI}))(?![\w-])"), 0.8, group="id"),
    # a VIN in any case (17 characters, no I, O or Q, letters and digits, its last four digits)
    PhiPattern(
        "sh_vin_any_case", "ID",
        _c(r"(?<![\w-])(?P<id>(?i:[a-hj-npr-z0-9]{13})\d{4})(?![\w-])"), 0.7, group="id",
        validate=lambda m: any(c.isalpha() for c in m.group("id")),  # (a VIN may hold a single letter: "262E7701829745039")
    ),
    # a serial of digits, letters and digits with no label ("29RZ729373", "88W46219"): five digits or more
    # after the letters ("15x15", "2x1000" are sizes and counts, "5FU" a drug)
    PhiPattern(
        "sh_serial_shape", "ID",
        _c(r"(?<![\w#.,/-])(?P<id>\d{1,4}[A-Za-z]{1,4}\d{5,12}[A-Za-z]?)(?![\w-]|[.,]\d)"), 0.6, group="id",
        validate=lambda m: not re.fullmatch(r"\d+[xX]\d+", m.group("id")) or sum(c.isdigit() for c in m.group("id")) >= 7,
    ),
    # an age over 89 in a field or a table: "Age | 93 |", "Sex/Age<tab>F / 96", "age/sex: 94 f", "AGE:\t101"
    PhiPattern(
        "sh_age_field", "AGE",
        _c(r"(?<![\w-])(?i:(?:sex|gender)[ \t]*/[ \t]*age|age(?:[ \t]*/[ \t]*(?:sex|gender))?)(?![\w-])"
           r"[ \t]*(?:[:|=\t][ \t|]*)?(?:(?i:[mf]|male|female)[ \t]*[/,|][ \t]*)?(?P<age>9\d|1[01]\d|12[0-5])(?![\d.]|[ \t]*(?:%|(?i:days?|weeks?|months?|wks?|mos?)\b))"),
        0.85, group="age", validate=_valid_age,
    ),
    # a URL without its scheme whose path holds a digit ("pacs.hospital.test/view/AB1234567")
    PhiPattern(
        "sh_url_path", "URL",
        _c(r"(?<![@\w.-])(?P<u>(?i:(?:[a-z][a-z0-9-]+\.)+[a-z]{2,6})/[^\s<>\"')\]]*\d[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])"), 0.8, group="u",
    ),
)
