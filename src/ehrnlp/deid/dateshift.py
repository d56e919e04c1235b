"""Date shifting that keeps intervals and the original format.

Every date of a patient moves by the same number of days, derived from an HMAC-SHA256 of
the secret key and the patient id (:func:`patient_shift_days`), so intervals between
dates of a patient survive and the shift cannot be undone without the key. The shifted
date is written in the format it was found in (``3/14/19`` -> ``11/2/18``,
``14-Mar-2019`` -> ``02-Nov-2018``, ``March 14th`` -> ``November 2nd``).

Partial dates shift through a reference day: ``3/2019`` and ``March 2019`` through the
15th of the month, a month name alone through the 15th of that month in a common year,
a bare ordinal day (``the 14th``) through January of a common year. A date that cannot be
parsed returns ``None`` (the caller masks it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from .patterns import month_number

__all__ = ["patient_shift_days", "shift_date_text", "MAX_SHIFT_DAYS"]

#: dates move back between 1 and MAX_SHIFT_DAYS days
MAX_SHIFT_DAYS = 365


def patient_shift_days(key: str | bytes, patient: str, *, max_days: int = MAX_SHIFT_DAYS) -> int:
    """Deterministic shift in days (negative: into the past) for ``patient`` under ``key``."""
    k = key.encode("utf-8") if isinstance(key, str) else key
    digest = hmac.new(k, b"ehrnlp-date-shift\x00" + patient.encode("utf-8"), hashlib.sha256).digest()
    return -(1 + int.from_bytes(digest[:8], "big") % max_days)


_FULL = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

_NUM_MDY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})((?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?)$")
_NUM_MY = re.compile(r"^(\d{1,2})/(\d{4})$")
_MON_WORD = r"([A-Za-z]{3,9}\.?)"
_D_MON_Y = re.compile(rf"^(\d{{1,2}})(st|nd|rd|th)?([ -]|\s+of\s+){_MON_WORD}(?:([ ,-]+)('?\d{{2}}|\d{{4}}))?$")
_MON_D_Y = re.compile(rf"^{_MON_WORD}([ ]+)(\d{{1,2}})(st|nd|rd|th)?(?:(,?[ ]+)(\d{{4}}))?$")
_MON_Y = re.compile(rf"^{_MON_WORD}(,|\s+of)?([ ]+)(\d{{4}})$")
_MON_ONLY = re.compile(rf"^{_MON_WORD}$")
_ORD_DAY = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _pad(value: int, like: str, padded: bool | None = None) -> str:
    """Write ``value`` zero-padded the way the source date was (``03/04`` pads, ``3/4`` does not)."""
    if padded is None:
        padded = len(like) >= 2 and like.startswith("0")
    return f"{value:02d}" if padded else str(value)


def _year2(yy: int, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    pivot = today.year % 100 + 1
    return (2000 if yy <= pivot else 1900) + yy


def _month_word(month: int, like: str) -> str:
    dot = like.endswith(".")
    base = like.rstrip(".")
    name = _FULL[month - 1] if len(base) > 3 and base.lower() != "sept" else _ABBR[month - 1]
    if base.isupper():
        name = name.upper()
    elif base.islower():
        name = name.lower()
    return name + ("." if dot and name.lower() != _FULL[month - 1].lower() else "")


def _shift(d: dt.date, days: int) -> dt.date:
    return d + dt.timedelta(days=days)


def shift_date_text(text: str, days: int) -> str | None:
    """``text`` (one date as found in a note) shifted by ``days``, same format; None if unparsable."""
    s = text.strip()
    try:
        m = _NUM_MDY.match(s)
        if m:
            mo, sep, da, yr = m.groups()
            year = int(yr) if len(yr) == 4 else _year2(int(yr))
            new = _shift(dt.date(year, int(mo), int(da)), days)
            y_out = str(new.year) if len(yr) == 4 else f"{new.year % 100:02d}"
            padded = mo.startswith("0") or da.startswith("0")
            return f"{_pad(new.month, mo, padded)}{sep}{_pad(new.day, da, padded)}{sep}{y_out}"
        m = _ISO.match(s)
        if m:
            yr, mo, da, time = m.groups()
            new = _shift(dt.date(int(yr), int(mo), int(da)), days)
            padded = len(mo) == 2 or len(da) == 2
            return f"{new.year:04d}-{_pad(new.month, mo, padded)}-{_pad(new.day, da, padded)}{time}"
        m = _NUM_MY.match(s)
        if m:
            mo, yr = m.groups()
            new = _shift(dt.date(int(yr), int(mo), 15), days)
            return f"{_pad(new.month, mo)}/{new.year}"
        m = re.match(r"^(\d{1,2})/(\d{1,2})$", s)
        if m:  # month/day without a year: shift within a common year
            mo, da = m.groups()
            new = _shift(dt.date(2000 if (int(mo), int(da)) == (2, 29) else 2001, int(mo), int(da)), days)
            padded = mo.startswith("0") or da.startswith("0")
            return f"{_pad(new.month, mo, padded)}/{_pad(new.day, da, padded)}"
        m = _D_MON_Y.match(s)
        if m and (mnum := month_number(m.group(4))):
            da, suf, sep, mon, sep2, yr = m.groups()
            if yr is None:
                year = 2001
            elif yr.startswith("'"):
                year = _year2(int(yr[1:]))
            else:
                year = int(yr) if len(yr) == 4 else _year2(int(yr))
            new = _shift(dt.date(year, mnum, int(da)), days)
            out = f"{_pad(new.day, da)}{_ordinal(new.day) if suf else ''}{sep}{_month_word(new.month, mon)}"
            if yr is not None:
                y_out = str(new.year) if len(yr) == 4 else (("'" if yr.startswith("'") else "") + f"{new.year % 100:02d}")
                out += f"{sep2}{y_out}"
            return out
        m = _MON_D_Y.match(s)
        if m and (mnum := month_number(m.group(1))):
            mon, sp, da, suf, sep2, yr = m.groups()
            year = int(yr) if yr else (2000 if (mnum, int(da)) == (2, 29) else 2001)
            new = _shift(dt.date(year, mnum, int(da)), days)
            out = f"{_month_word(new.month, mon)}{sp}{_pad(new.day, da)}{_ordinal(new.day) if suf else ''}"
            if yr:
                out += f"{sep2}{new.year}"
            return out
        m = _MON_Y.match(s)
        if m and (mnum := month_number(m.group(1))):
            mon, of, sp, yr = m.groups()
            new = _shift(dt.date(int(yr), mnum, 15), days)
            return f"{_month_word(new.month, mon)}{of or ''}{sp}{new.year}"
        m = _MON_ONLY.match(s)
        if m and (mnum := month_number(m.group(1))):
            new = _shift(dt.date(2001, mnum, 15), days)
            return _month_word(new.month, m.group(1))
        m = _ORD_DAY.match(s)
        if m:
            new = _shift(dt.date(2001, 1, int(m.group(1))), days)
            return f"{new.day}{_ordinal(new.day)}"
    except ValueError:  # impossible date such as 2/30/2019
        return None
    return None

