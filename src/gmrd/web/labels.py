"""Names for codes at the edge of the web site and API: areas, sexes, ages, population universes."""

from __future__ import annotations

from functools import cache

from gmrd.errors import UnknownCountry
from gmrd.reference.ages import age_label
from gmrd.reference.countries import AGGREGATE_KINDS, all_countries, country, regions_of
from gmrd.reference.universes import UNIVERSES, universe_name

SEXES = {0: "both", 1: "male", 2: "female"}
SEX_CODES = {name: code for code, name in SEXES.items()}
SOURCE_TYPES = ("census", "register", "survey", "estimate")
STATUSES = ("pending", "accepted", "rejected")
DIMENSIONS = ("sex", "age", "origin")
WORLD = 900
REGIONS = (903, 935, 908, 904, 905, 909)


def area_name(code: int | None) -> str:
    """The name of an M49 area, or the code itself when the countries table lacks it."""
    if code is None:
        return ""
    try:
        return country(int(code)).name
    except UnknownCountry:
        return str(code)


def is_aggregate(code: int) -> bool:
    """Whether the area is the world, a region or another aggregate of countries."""
    try:
        return country(int(code)).is_aggregate
    except UnknownCountry:
        return False


def age_name(lo: int, hi: int | None) -> str:
    """``0-4``, ``75+``, ``0-17``, ``total``, ``unknown``: the labels of the estimates CSV."""
    return age_label(int(lo), None if hi is None else int(hi))


def concept_name(code: int) -> str:
    return universe_name(int(code))


def concept_code(name: str) -> int | None:
    return next((c for c, n in UNIVERSES.items() if n == name), None)


def region_of(code: int) -> int | None:
    """The geographic region (Population Division code) of a country, None for aggregates."""
    try:
        return regions_of(int(code))["region"]
    except UnknownCountry:
        return None


@cache
def area_choices() -> list[tuple[int, str, str]]:
    """(code, name, kind) of every area: the world and regions first, then countries by name."""
    rows = all_countries()
    aggregates = [(c.code, c.name, c.kind) for c in rows if c.kind in AGGREGATE_KINDS]
    places = sorted(((c.code, c.name, c.kind) for c in rows if c.kind not in AGGREGATE_KINDS),
                    key=lambda r: r[1])
    return sorted(aggregates, key=lambda r: (r[0] != WORLD, r[2] != "region", r[1])) + places


KIND_WORDS = {"world": "World", "region": "Region", "subregion": "Sub-region", "sdg_region": "SDG region",
              "sdg_part": "Part of an SDG region", "group": "Development or income group",
              "country": "Country or area", "territory": "Territory", "historical": "Former state"}


def kind_words(kind: str) -> str:
    """``subregion`` → ``Sub-region``: the kind of an area as the pages name it."""
    return KIND_WORDS.get(kind, kind.replace("_", " ").capitalize())


def parse_age(text: str) -> tuple[int, int | None]:
    """``0-17`` → (0, 18), ``75+`` → (75, None), ``total`` → (0, None): the inverse of :func:`age_name`."""
    t = text.strip().lower()
    if t == "total":
        return (0, None)
    if t.isdigit():
        return (int(t), int(t) + 1)
    if t.endswith("+") and t[:-1].isdigit():
        return (int(t[:-1]), None)
    lo, sep, hi = t.partition("-")
    if sep and lo.isdigit() and hi.isdigit() and int(hi) >= int(lo):
        return (int(lo), int(hi) + 1)
    raise ValueError(f"age group {text!r} is not like 0-17, 75+ or total")
