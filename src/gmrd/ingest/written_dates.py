"""Reference dates as people write them: ISO (2010-09-26), a year (2010), or a day, a month name and a
year in either order ("26 September 2010", "September 26, 2010", "26 sept. 2010", "26 de septiembre
de 2010"); numeric day/month dates only when they cannot be read two ways (26/09/2010 but not
03/04/2010, which is refused with a message saying so).
"""

from __future__ import annotations

import datetime as dt
import re

from gmrd.errors import InputError

MONTHS = {
    1: ("january", "jan", "enero", "ene", "janvier", "janv", "janeiro"),
    2: ("february", "feb", "febrero", "février", "fevrier", "févr", "fevr", "fevereiro", "fev"),
    3: ("march", "mar", "marzo", "mars", "março", "marco"),
    4: ("april", "apr", "abril", "abr", "avril", "avr"),
    5: ("may", "mayo", "mai", "maio"),
    6: ("june", "jun", "junio", "juin", "junho"),
    7: ("july", "jul", "julio", "juillet", "juil", "julho"),
    8: ("august", "aug", "agosto", "ago", "août", "aout"),
    9: ("september", "sep", "sept", "septiembre", "setiembre", "septembre", "setembro", "set"),
    10: ("october", "oct", "octubre", "octobre", "outubro", "out"),
    11: ("november", "nov", "noviembre", "novembre", "novembro"),
    12: ("december", "dec", "diciembre", "dic", "décembre", "decembre", "déc", "dezembro", "dez"),
}
_MONTH = {name: number for number, names in MONTHS.items() for name in names}
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")
_NUMERIC = re.compile(r"(\d{1,4})[./](\d{1,2})[./](\d{1,4})")
HINT = "use YYYY-MM-DD (or a written date such as 26 September 2010, or YYYY, flagged as imprecise)"


def parse_date(text: str) -> tuple[dt.date, str]:
    """(date, precision): precision "day", or "year" for a year alone (taken as 1 July).

    Raises
    ------
    InputError
        For text that is not a date, an impossible day, or a numeric date readable as day/month and
        as month/day.
    """
    raw = str(text).strip()
    if m := _ISO_DAY.fullmatch(raw):
        return _day(int(m[1]), int(m[2]), int(m[3]), raw), "day"
    if _YEAR.fullmatch(raw):
        return dt.date(int(raw), 7, 1), "year"
    if m := _NUMERIC.fullmatch(raw):
        return _numeric(m[1], m[2], m[3], raw), "day"
    parts = re.split(r"[\s,.]+|(?<=\d)(?:st|nd|rd|th)\b", raw.lower())
    words = [w for w in parts if w and w not in ("de", "of")]
    months = [w for w in words if w in _MONTH]
    numbers = [w for w in words if w.isdigit()]
    if len(months) == 1 and len(numbers) == 2 and len(words) == 3:
        years = [n for n in numbers if len(n) == 4]
        days = [n for n in numbers if len(n) <= 2]
        if len(years) == 1 and len(days) == 1:
            return _day(int(years[0]), _MONTH[months[0]], int(days[0]), raw), "day"
    raise InputError(f"unparseable date {raw!r}: {HINT}")


def _day(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(f"impossible date {raw!r}: {HINT}") from None


def _numeric(a: str, b: str, c: str, raw: str) -> dt.date:
    if len(a) == 4:
        return _day(int(a), int(b), int(c), raw)  # 2010/09/26
    if len(c) != 4:
        raise InputError(f"unparseable date {raw!r}: the year needs four digits; {HINT}")
    first, second = int(a), int(b)
    if first <= 12 and second <= 12 and first != second:
        raise InputError(f"ambiguous date {raw!r}: it reads as day/month and as month/day; write it as "
                         f"YYYY-MM-DD or with the month's name (e.g. 26 September 2010)")
    if first > 12:
        return _day(int(c), second, first, raw)
    return _day(int(c), first, second, raw)
