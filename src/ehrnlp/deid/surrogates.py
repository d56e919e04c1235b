"""Realistic fake values of the same type and shape as the PHI they replace.

A :class:`Surrogates` object draws every fake value from an HMAC of its secret and the real
value, so the same real value always gets the same surrogate from the same object:

* without a key the secret is random per note: consistent within the note, unlinkable
  across notes;
* with ``deid.secret_key`` the secret is an HMAC of the key and the patient id: the same
  patient's notes share surrogates (and date shifts), other patients' do not.

Names are replaced word by word (``John Smith`` -> ``Felix Hargrove``, later ``Smith`` ->
``Hargrove``), keeping initials, capitalisation and ``Last, First`` order. Digits stay
digits and letters stay letters in phone numbers, IDs and ZIP codes. E-mail domains,
URLs and IP addresses come from reserved example ranges (example.org, 192.0.2.0/24), so a
surrogate can never reach a real person or host.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import re
from functools import lru_cache
from importlib import resources

from .dateshift import shift_date_text

__all__ = ["Surrogates"]


@lru_cache(maxsize=1)
def _data() -> dict[str, list[str]]:
    raw = resources.files("ehrnlp.deid").joinpath("data/surrogates.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(raw).items() if not k.startswith("_")}


_NAME_PART = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-zÀ-ÿ]+)?|[^A-Za-zÀ-ÿ]+")
_SUFFIX = re.compile(
    r"\b(St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Hwy|Highway|Pkwy|Parkway|"
    r"Ter|Terrace|Cir|Circle|Sq|Square|Trl|Trail|Loop|Row|Pike|Plaza|Alley|Run|Path|Crescent|Cres)\b\.?"
)
_FACILITY_TAIL = re.compile(
    r"\b(Hospital|Medical Center|Medical Centre|Health Center|Health System|Healthcare|Health Care|Clinic|Clinics|Institute|"
    r"Infirmary|Hospice|Nursing Home|Nursing Facility|Rehabilitation Center|Rehab Center|Surgery Center|Surgical Center|"
    r"Eye Center|Cancer Center|Memorial|University|College|Pharmacy|Urgent Care|Medical Group|Physicians|Associates|"
    r"Specialists|Care Center|Living Center|VAMC)\b.*$"
)
_CITY_ST_ZIP = re.compile(r"^(?P<city>.+?)(?P<sep>,?\s+)(?P<st>[A-Z]{2})\.?(?P<sep2>\s+)(?P<zip>\d{5}(?:-\d{4})?)$")


def _case_like(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like.islower():
        return word.lower()
    return word


class Surrogates:
    """Fake values for one note (or one patient, with a key). Not thread-safe per instance."""

    def __init__(self, secret: bytes, *, date_shift_days: int):
        self.secret = secret
        self.date_shift_days = date_shift_days
        self._cache: dict[tuple[str, str], str] = {}
        #: lower-cased words of the note's real names: a surrogate never reuses one, so the
        #: output never shows a real name of the note ("Dana" -> "Marisol" when a real Marisol
        #: is also named there)
        self.avoid_words: frozenset[str] = frozenset()
        #: lower-cased name words of the note -> their role in a full name ("john" -> first),
        #: so a partial mention maps to the matching part of the full name's surrogate
        self._roles: dict[str, str] = {}

    def learn_names(self, values: list[str]) -> None:
        """Record the role of each word of the note's full names ("John Smith": John is a
        given name, Smith a family name) before any is replaced, so that "John", "Smith",
        "Mr. Smith" and "J. Smith" elsewhere in the note become the matching parts of the
        surrogate of "John Smith", wherever they stand in the note."""
        for value in values:
            parts = _NAME_PART.findall(value)
            roles = self._name_roles(value, parts)
            if sum(1 for r in roles.values() if r != "initial") < 2:
                continue  # a single word says nothing about its role
            for i, role in roles.items():
                if role != "initial":
                    self._roles.setdefault(parts[i].lower(), role)

    # -- deterministic randomness -----------------------------------------------------
    def _rng(self, *parts: str) -> random.Random:
        msg = "\x00".join(parts).encode("utf-8")
        return random.Random(int.from_bytes(hmac.new(self.secret, msg, hashlib.sha256).digest()[:16], "big"))

    def _pick(self, pool: str, *parts: str, avoid: str = "") -> str:
        values = _data()[pool]
        rng = self._rng(pool, *parts)
        avoid_all = self.avoid_words | {avoid.lower()}
        for _ in range(8):
            v = rng.choice(values)
            if v.lower() not in avoid_all:
                return v
        for v in values:  # pools are far larger than any note's set of names
            if v.lower() not in avoid_all:
                return v
        return v

    # -- public -----------------------------------------------------------------------
    def replace(self, label: str, value: str) -> str:
        key = (label, value)
        if key not in self._cache:
            self._cache[key] = self._make(label, value)
        return self._cache[key]

    def _make(self, label: str, value: str) -> str:
        if label == "NAME":
            return self.name(value)
        if label == "DATE":
            return self.date(value)
        if label in ("PHONE", "FAX"):
            return self.phone(value)
        if label == "EMAIL":
            return self.email(value)
        if label == "URL":
            return self.url(value)
        if label == "IP":
            return self.ip(value)
        if label == "SSN":
            return self.ssn(value)
        if label == "AGE":
            rng = self._rng("AGE", value)
            return str(rng.choice([a for a in range(90, 100) if str(a) != value.strip()]))
        if label == "LOCATION":
            return self.location(value)
        return self.shape(value, "ID")

    def _name_roles(self, value: str, parts: list[str]) -> dict[int, str]:
        words = [i for i, p in enumerate(parts) if p[0].isalpha()]
        comma_order = "," in value and value.index(",") > 0 and value.index(",") < len(value) - 1
        roles: dict[int, str] = {}
        for n, i in enumerate(words):
            w = parts[i]
            if len(w) == 1:
                roles[i] = "initial"
            elif comma_order:
                roles[i] = "last" if n == 0 else "first"
            elif len(words) == 1:
                # a lone word: the role it has in a full name of the note, else a family name
                roles[i] = self._roles.get(w.lower(), "last")
            else:
                roles[i] = "last" if n == len(words) - 1 else "first"
        return roles

    def _word(self, role: str, word: str) -> str:
        return self._pick(role, "NAME-WORD", word.lower(), avoid=word)

    def _initial(self, letter: str) -> str:
        """The initial of the surrogate of the note's only given name with this initial
        ("J." of "John Smith" -> "F." of "Felix Hargrove"), else a letter drawn from it."""
        firsts = sorted(w for w, r in self._roles.items() if r == "first" and w[:1].upper() == letter.upper())
        if len(firsts) == 1:
            return self._word("first", firsts[0])[0].upper()
        return chr(ord("A") + self._rng("NAME-INITIAL", letter.upper()).randrange(26))

    def name(self, value: str) -> str:
        parts = _NAME_PART.findall(value)
        if not any(p[0].isalpha() for p in parts):
            return self.shape(value, "NAME")
        roles = self._name_roles(value, parts)
        out = []
        for i, p in enumerate(parts):
            if i not in roles:
                out.append(p)
                continue
            role = roles[i]
            if role == "initial":
                letter = self._initial(p)
                out.append(_case_like(letter, p) if p.isalpha() else letter)
                continue
            out.append(_case_like(self._word(role, p), p))
        return "".join(out)

    def date(self, value: str) -> str:
        shifted = shift_date_text(value, self.date_shift_days)
        return shifted if shifted is not None else "[DATE]"

    def shape(self, value: str, salt: str) -> str:
        """Same shape: each digit -> digit, letter -> letter of the same case; others kept."""
        norm = re.sub(r"\W", "", value).lower()
        rng = self._rng("SHAPE", salt, norm)
        out = []
        for c in value:
            if c.isdigit():
                out.append(str(rng.randrange(10)))
            elif c.isalpha() and c.isascii():
                letter = chr(ord("a") + rng.randrange(26))
                out.append(letter.upper() if c.isupper() else letter)
            else:
                out.append(c)
        s = "".join(out)
        return s if s != value else self.shape(value + "\x00", salt)

    def phone(self, value: str) -> str:
        digits = re.sub(r"\D", "", value)
        rng = self._rng("PHONE", digits[-10:])
        fake_digits = []
        n = sum(c.isdigit() for c in value)
        # keep a leading country code 1; area code and exchange never start with 0/1
        for k in range(n):
            pos_from_end = n - k
            if n == 11 and k == 0 and digits[0] == "1":
                fake_digits.append("1")
            elif pos_from_end in (10, 7):
                fake_digits.append(str(rng.randrange(2, 10)))
            else:
                fake_digits.append(str(rng.randrange(10)))
        it = iter(fake_digits)
        return "".join(next(it) if c.isdigit() else c for c in value)

    def ssn(self, value: str) -> str:
        rng = self._rng("SSN", re.sub(r"\D", "", value))
        # 9xx area numbers are never issued as SSNs: realistic shape, no real person's number
        digits = [str(9)] + [str(rng.randrange(10)) for _ in range(8)]
        it = iter(digits)
        return "".join(next(it, "0") if c.isdigit() else c for c in value)

    def email(self, value: str) -> str:
        local = value.split("@", 1)[0]
        first = self._pick("first", "EMAIL", local.lower()).lower()
        last = self._pick("last", "EMAIL", local.lower()).lower().replace("-", "")
        domain = self._pick("email_domains", "EMAIL", value.lower())
        sep = "." if "." in local else ("_" if "_" in local else "")
        return f"{first}{sep}{last}@{domain}"

    def url(self, value: str) -> str:
        m = re.match(r"^(https?://|ftp://)?(www\.)?", value, re.I)
        prefix = m.group(0) if m else ""
        path = self.shape(value[len(prefix):].split("/", 1)[1], "URL") if "/" in value[len(prefix):] else ""
        return f"{prefix}example.org" + (f"/{path}" if path else "")

    def ip(self, value: str) -> str:
        rng = self._rng("IP", value)
        if ":" in value:
            return f"2001:db8::{rng.randrange(1, 0xFFFF):x}"
        net = rng.choice(["192.0.2", "198.51.100", "203.0.113"])
        return f"{net}.{rng.randrange(1, 255)}"

    def location(self, value: str) -> str:
        v = value.strip()
        if re.fullmatch(r"\d{5}(?:-\d{4})?", v):
            return self.shape(value, "ZIP")
        m = _CITY_ST_ZIP.match(v)
        if m:
            city = self._pick("cities", "CITY", m.group("city").lower(), avoid=m.group("city"))
            st = self._pick("states", "STATE", m.group("st"))
            return f"{_case_like(city, m.group('city'))}{m.group('sep')}{st}{m.group('sep2')}{self.shape(m.group('zip'), 'ZIP')}"
        if num_m := re.match(r"^\d+", v):
            rng = self._rng("ADDRESS", v.lower())
            num = num_m.group(0)
            new_num = str(rng.randrange(10 ** (len(num) - 1) if len(num) > 1 else 1, 10 ** len(num)))
            street = self._pick("streets", "STREET", v.lower())
            suf = _SUFFIX.search(v)
            suffix = suf.group(0) if suf else self._pick("street_suffixes", "SUFFIX", v.lower())
            tail = v[suf.end():] if suf else ""
            tail = re.sub(r"\d+", lambda d: self.shape(d.group(0), "UNIT"), tail)
            return f"{new_num} {street} {suffix}{tail}"
        fac = _FACILITY_TAIL.search(v)
        if fac and fac.start() > 0:
            prefix = self._pick("facility_prefixes", "FACILITY", v.lower())
            return f"{_case_like(prefix, v[:fac.start()].strip())} {fac.group(0)}"
        if re.fullmatch(r"P\.?\s?O\.?\s+Box\s+\d+", v, re.I):
            return re.sub(r"\d+", lambda d: self.shape(d.group(0), "POBOX"), v)
        city = self._pick("cities", "CITY", v.lower(), avoid=v)
        return _case_like(city, v)
