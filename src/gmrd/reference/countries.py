"""The versioned countries table: UN M49 codes, historical states, regions and aggregates.

The table (``reference/data/countries.csv``, rebuilt by :mod:`gmrd.reference.build_countries`) is the
authority for codes. ``code`` is the UN Population Division location code: the M49 numeric code for
countries and areas and for most aggregates; where the Population Division's aggregate code differs
from the M49 standard (903 Africa vs M49 002), ``m49`` holds the standard one.

Kinds: ``country`` (the 235 areas the International Migrant Stock publishes), ``territory`` (other
ISO 3166 areas; ``part_of`` names the published area that counts them), ``historical`` (states with
their own codes, dates and successors), ``world``, ``region``, ``subregion``, ``sdg_region``,
``sdg_part`` and ``group`` (development and income groups).

References
----------
.. [1] United Nations Statistics Division. Standard country or area codes for statistical use (M49).
.. [2] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020. CC BY 3.0 IGO.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from gmrd.errors import UnknownCountry

AGGREGATE_KINDS = ("world", "region", "subregion", "sdg_region", "sdg_part", "group")
WORLD = 900


@dataclass(frozen=True)
class Country:
    """One row of the countries table."""

    code: int
    name: str
    kind: str
    iso3: str | None
    iso2: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successors: tuple[int, ...]
    part_of: int | None
    region: int | None
    subregion: int | None
    sdg_region: int | None
    m49: int | None
    groups: tuple[int, ...]
    same_members_as: int | None

    @property
    def is_aggregate(self) -> bool:
        return self.kind in AGGREGATE_KINDS

    def exists_on(self, on: dt.date) -> bool:
        """Whether the state or area existed on ``on`` (aggregates always do)."""
        return ((self.valid_from is None or self.valid_from <= on)
                and (self.valid_to is None or on <= self.valid_to))


def _opt_int(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


def _opt_date(value: object) -> dt.date | None:
    return None if pd.isna(value) or value == "" else dt.date.fromisoformat(str(value))


def _codes(value: object) -> tuple[int, ...]:
    return () if pd.isna(value) else tuple(int(c) for c in str(value).split())


@cache
def countries() -> pd.DataFrame:
    """The whole table as a DataFrame indexed by ``code`` (a cached copy: do not modify it)."""
    with resources.files("gmrd.reference").joinpath("data/countries.csv").open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype={"iso3": "string", "iso2": "string", "successors": "string",
                                       "groups": "string", "valid_from": "string", "valid_to": "string"},
                            keep_default_na=False, na_values={c: [""] for c in (
                                "part_of", "region", "subregion", "sdg_region", "m49", "same_members_as")})
    for c in ("part_of", "region", "subregion", "sdg_region", "m49", "same_members_as"):
        table[c] = table[c].astype("Int64")
    return table.set_index("code", drop=False)


@cache
def _by_code() -> dict[int, Country]:
    out: dict[int, Country] = {}
    for r in countries().itertuples(index=False):
        out[int(r.code)] = Country(
            code=int(r.code), name=str(r.name), kind=str(r.kind), iso3=str(r.iso3) or None,
            iso2=str(r.iso2) or None, valid_from=_opt_date(r.valid_from), valid_to=_opt_date(r.valid_to),
            successors=_codes(r.successors or None), part_of=_opt_int(r.part_of), region=_opt_int(r.region),
            subregion=_opt_int(r.subregion), sdg_region=_opt_int(r.sdg_region), m49=_opt_int(r.m49),
            groups=_codes(r.groups or None), same_members_as=_opt_int(r.same_members_as))
    return out


def is_known(code: int) -> bool:
    """Whether ``code`` is a row of the table."""
    return int(code) in _by_code()


def country(code: int) -> Country:
    """The table row for ``code``; :class:`~gmrd.errors.UnknownCountry` if there is none."""
    try:
        return _by_code()[int(code)]
    except (KeyError, ValueError, TypeError):
        raise UnknownCountry(f"no country or area has the code {code!r}") from None


def all_countries() -> list[Country]:
    """Every row, in code order."""
    return list(_by_code().values())


def regions_of(code: int) -> dict[str, int | None]:
    """The geographic region, sub-region and SDG region codes of a country or area.

    Keys ``region`` (903 Africa, 935 Asia, 908 Europe, 904 Latin America and the Caribbean,
    905 Northern America, 909 Oceania), ``subregion``, ``sdg_region`` (Population Division codes, as
    in the IMS workbooks), and their M49 standard codes ``m49_region`` (Africa 2, Americas 19 …),
    ``m49_subregion`` and ``m49_intermediate_region`` (Eastern Africa 14 inside Sub-Saharan Africa
    202; Caribbean 29 inside Latin America and the Caribbean 419).
    """
    c = country(code)
    sub = c.subregion
    m49_sub = _opt_m49(sub)
    m49_region = _opt_m49(c.region)
    intermediate = None
    if c.region == 903 and sub not in (None, 912):
        m49_sub, intermediate = 202, m49_sub
    elif c.region in (904, 905):
        m49_region = 19
        if c.region == 904:
            m49_sub, intermediate = 419, m49_sub
    return {"region": c.region, "subregion": sub, "sdg_region": c.sdg_region,
            "m49_region": m49_region, "m49_subregion": m49_sub, "m49_intermediate_region": intermediate}


def _opt_m49(code: int | None) -> int | None:
    return None if code is None else country(code).m49


def members(area_code: int) -> list[int]:
    """The published countries and areas whose sum makes up an aggregate of destinations.

    As in the UN Population Division's estimates, every aggregate is a sum over today's published
    areas (kind ``country``) for every year: successor states carry estimates back to 1990 (the
    1990 figures of the USSR's successors come from the 1989 census), so historical states are
    never destinations of an aggregate; they matter as origins. Territories are counted inside
    their ``part_of`` area. For a country or area the answer is ``[code]``.

    Development and income groups are those of the IMS 2019 annex; the Population Division's
    LLDC (1636) and SIDS (1637) lists are not in the table and raise UnknownCountry.
    """
    area = country(area_code)
    if not area.is_aggregate:
        return [area.code]
    if area.same_members_as is not None:
        return members(area.same_members_as)
    code = area.code
    rows = [c for c in _by_code().values() if c.kind == "country"]
    if code == WORLD:
        picked = [c.code for c in rows]
    elif code == 934:
        excluded = set(members(941))
        picked = [c for c in members(902) if c not in excluded]
    elif code == 948:
        picked = [c for c in members(902) if c != 156]
    elif area.kind == "group":
        picked = [c.code for c in rows if code in c.groups]
        if not picked:
            raise UnknownCountry(f"the members of {area.name} ({code}) are not in the countries table")
    else:
        picked = [c.code for c in rows if code in (c.region, c.subregion, c.sdg_region)]
    return sorted(picked)
