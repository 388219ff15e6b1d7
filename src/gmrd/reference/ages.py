"""Age-group labels → half-open intervals [lo, hi) in completed years (hi None for an open group).

Total is (0, None) and unknown age is (-1, None), as in the canonical records (gmrd.ingest.records).
Accepted forms (English, Spanish, French, Portuguese): "0-4", "0 - 4", "00-04", "0–4", "0 to 4",
"0 a 4 años", "De 0 à 4 ans", "Under 5", "less than 5", "<5", "menos de 1", "moins de 1 an",
"75+", "75 and over", "85 years and over", "85 or more", "75 y más", "75 ans et plus", single years
("7", "7 years", "7 años"), "Total", "All ages", "Unknown", "Not stated", "Ignorado", "Inconnu".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gmrd.errors import InputError
from gmrd.reference.normalize import clean, strip_accents

MAX_AGE = 130


@dataclass(frozen=True)
class AgeInterval:
    """Ages lo ≤ age < hi in completed years; hi None for an open group (total: lo 0; unknown: lo -1)."""

    lo: int
    hi: int | None

    @property
    def is_total(self) -> bool:
        return self.lo == 0 and self.hi is None

    @property
    def is_unknown(self) -> bool:
        return self.lo == -1

    @property
    def is_open(self) -> bool:
        return self.hi is None and self.lo > 0

    @property
    def label(self) -> str:
        return age_label(self.lo, self.hi)


TOTAL = AgeInterval(0, None)
UNKNOWN = AgeInterval(-1, None)

_TOTAL_WORDS = {"total", "all ages", "all", "totals", "both", "ensemble", "tous ages", "todas las edades",
                "todas as idades", "total general", "grand total", "total all ages", "age total"}
_UNKNOWN_WORDS = {"unknown", "not stated", "not specified", "unspecified", "age unknown", "unknown age",
                  "age not stated", "ignorado", "ignorada", "inconnu", "inconnue", "no especificado",
                  "no declarado", "desconocido", "sin especificar", "non declare", "non precise",
                  "nao declarado", "ignore", "edad ignorada", "edad desconocida", "age inconnu", "n s",
                  "ns", "na", "missing", "unk"}
_UNIT = r"(?:years?|yrs?|y|anos?|ans?|an|idade)?"
_NUM = r"(\d{1,3})"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^(?:de |from |entre )?{_NUM} ?{_UNIT} ?(?:-|to|a|à|y|et|e|au|hasta|until|through)"
                rf" ?{_NUM} ?{_UNIT}(?: de edad| d age| old)?$"), "range"),
    (re.compile(rf"^(?:under|less than|below|younger than|<|menos de|menores de|moins de|"
                rf"inferieur a|menor de|moins d) ?{_NUM} ?{_UNIT}$"), "under"),
    (re.compile(rf"^{_NUM} ?{_UNIT} ?(?:\+|and over|and older|and above|or more|or over|or older|plus|"
                rf"y mas|y más|et plus|ou plus|e mais|o mas|and \+|years and over|over)$"), "open"),
    (re.compile(rf"^(?:\+|>=|≥|over|mas de|más de|plus de|mais de|more than) ?{_NUM} ?{_UNIT}$"), "open_prefix"),
    (re.compile(rf"^{_NUM} ?{_UNIT}$"), "single"),
]


def _norm(label: str) -> str:
    text = strip_accents(clean(label)).casefold().replace("–", "-")
    text = re.sub(r"\s*-\s*", "-", text).replace("'", " ")
    text = re.sub(r"[.,:;]+$", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(\d)-(\d)", r"\1 - \2", text).replace(" - ", "-")


def parse_age(label: object, *, file: str | None = None, row: int | None = None,
              field: str | None = None) -> AgeInterval:
    """The interval an age label denotes; :class:`~gmrd.errors.InputError` if it has none.

    An int is a single year of age. "Under 5" is [0, 5); "75+" is [75, None); "5 to 9" is [5, 10).
    """
    if isinstance(label, bool):
        raise InputError(f"invalid age {label!r}", file=file, row=row, field=field)
    if isinstance(label, int):
        return _checked(label, label + 1, label, file, row, field)
    text = _norm(str(label))
    if text in _TOTAL_WORDS:
        return TOTAL
    if text in _UNKNOWN_WORDS:
        return UNKNOWN
    for pattern, kind in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        a = int(m.group(1))
        if kind == "range":
            return _checked(a, int(m.group(2)) + 1, label, file, row, field)
        if kind == "under":
            return _checked(0, a, label, file, row, field)
        if kind in ("open", "open_prefix"):
            if kind == "open_prefix" and text.startswith(("over", "mas de", "plus de", "mais de",
                                                           "more than")):
                a += 1
            return _checked(a, None, label, file, row, field)
        return _checked(a, a + 1, label, file, row, field)
    raise InputError(f"age label {str(label)!r} is not a recognized age group", file=file, row=row,
                     field=field)


def _checked(lo: int, hi: int | None, label: object, file: str | None, row: int | None,
             field: str | None) -> AgeInterval:
    if lo < 0 or lo > MAX_AGE or (hi is not None and (hi <= lo or hi > MAX_AGE + 1)):
        raise InputError(f"age label {label!r} gives an impossible interval [{lo}, {hi})", file=file,
                         row=row, field=field)
    return AgeInterval(lo, hi)


def age_label(lo: int, hi: int | None) -> str:
    """The canonical label: "0-4" for [0, 5), "7" for [7, 8), "75+", "total", "unknown"."""
    if lo == -1:
        return "unknown"
    if hi is None:
        return "total" if lo == 0 else f"{lo}+"
    if hi == lo + 1:
        return str(lo)
    return f"{lo}-{hi - 1}"
