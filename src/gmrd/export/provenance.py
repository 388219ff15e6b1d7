"""How each estimate was made, for readers and machines: its flags, gmrd's type of data, the interval.

The database keeps an estimate's flags comma-joined (``imputed,age_imputed,sex_imputed``); exports
write them ``;``-separated (DESIGN.md, export columns), SDMX-CSV adds an observation status from the
SDMX code list CL_OBS_STATUS [1]_ (``I`` imputed, ``E`` estimated), and pages say them in words.

gmrd's own **type of data** of a country follows the UN Population Division's letters [2]_ but is
derived from gmrd's estimate flags, never from the UN's column: ``B`` foreign-born, ``C`` foreign
citizens, ``I`` imputed (no data), ``R`` refugees added, joined by spaces in that order
(``B R``, ``I``); empty where the flags name none of these.

Pure functions over strings and frames; the web site and the export writers share them.

References
----------
.. [1] SDMX Statistical Working Group (2022). Guidelines for the use of observation status and
   confidentiality codes, code list CL_OBS_STATUS 2.2. SDMX Global Registry.
.. [2] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation, "Type of data".
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: what the estimates' lower and upper bounds are, on every page and in every document
INTERVAL = "80 % prediction interval"

#: every flag an estimate can carry, with the words pages show (in this order)
WORDS = {
    "imputed": "imputed (no data)",
    "extrapolated": "extrapolated (outside the data range)",
    "age_imputed": "ages imputed (regional pattern)",
    "sex_imputed": "sexes imputed (regional pattern)",
    "origin_imputed": "origins imputed",
    "refugees_added": "refugees added",
    "foreign_born": "foreign-born",
    "foreign_citizens": "foreign citizens",
}
#: the words of a country estimate without flags: inside the range of its own data
FROM_DATA = "from the country's data"
#: gmrd's type-of-data letters and the flag each comes from, in the order they are written
TYPE_LETTERS = (("B", "foreign_born"), ("C", "foreign_citizens"), ("I", "imputed"), ("R", "refugees_added"))
TYPE_WORDS = {"B": "foreign-born", "C": "foreign citizens", "I": "imputed (no data)", "R": "refugees added"}
#: SDMX CL_OBS_STATUS codes
IMPUTED_STATUS, ESTIMATED_STATUS = "I", "E"


def split_flags(flags: object) -> list[str]:
    """The flags of one estimate, from the stored (``,``) or exported (``;``) form; [] for none.

    >>> split_flags("imputed,age_imputed")
    ['imputed', 'age_imputed']
    >>> split_flags(None)
    []
    """
    if not isinstance(flags, str):
        return []
    return [f.strip() for f in flags.replace(";", ",").split(",") if f.strip()]


def export_flags(flags: object) -> str:
    """The ``;``-separated form of the export files.

    >>> export_flags("imputed,age_imputed,sex_imputed")
    'imputed;age_imputed;sex_imputed'
    """
    return ";".join(split_flags(flags))


def flag_words(flags: object) -> str:
    """The flags in words, known flags in the order of :data:`WORDS`, then any others as they are.

    >>> flag_words("extrapolated,age_imputed")
    'extrapolated (outside the data range); ages imputed (regional pattern)'
    >>> flag_words("")
    "from the country's data"
    """
    names = split_flags(flags)
    if not names:
        return FROM_DATA
    known = [WORDS[f] for f in WORDS if f in names]
    return "; ".join(known + [f.replace("_", " ") for f in names if f not in WORDS])


def obs_status(flags: object) -> str:
    """SDMX OBS_STATUS: ``I`` (imputed value) for an imputed estimate, else ``E`` (estimated value).

    >>> obs_status("imputed,sex_imputed"), obs_status("extrapolated")
    ('I', 'E')
    """
    return IMPUTED_STATUS if "imputed" in split_flags(flags) else ESTIMATED_STATUS


def data_type(flag_sets: Iterable[object]) -> str:
    """gmrd's type of data of a country from the flags of its estimates (all years): B, C, I, R.

    >>> data_type(["foreign_born", "foreign_born,refugees_added,extrapolated"])
    'B R'
    >>> data_type(["imputed,age_imputed,sex_imputed"])
    'I'
    """
    seen = {f for flags in flag_sets for f in split_flags(flags)}
    return " ".join(letter for letter, flag in TYPE_LETTERS if flag in seen)


def data_type_words(letters: str) -> str:
    """``B R`` → ``foreign-born, refugees added``; empty stays empty.

    >>> data_type_words("C R")
    'foreign citizens, refugees added'
    """
    return ", ".join(TYPE_WORDS[x] for x in letters.split())


def whole_persons(values: pd.Series) -> pd.Series:
    """Numbers of persons rounded to whole numbers (nullable integers: a missing bound stays empty).

    >>> whole_persons(pd.Series([1520.4, None, 2.5])).tolist()
    [1520, <NA>, 2]
    """
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    return numbers.where(numbers.notna() & numbers.abs().lt(float("inf"))).round().astype("Int64")


def relative_width(value: float | None, lower: float | None, upper: float | None) -> float | None:
    """The interval's width as a share of the value, (upper − lower) / value; None where unknown.

    >>> relative_width(100.0, 90.0, 125.0)
    0.35
    """
    if value is None or lower is None or upper is None or pd.isna(value) or pd.isna(lower) \
            or pd.isna(upper) or value <= 0:
        return None
    return float(upper - lower) / float(value)


def imputed_shares(totals: pd.DataFrame) -> pd.DataFrame:
    """The share of each area's estimate that is imputed, per year.

    ``totals`` has ``area_code, year, value, flags``: the all-ages, both-sexes estimates of one
    revision, countries and aggregates. A country's share is 1 where its estimate is imputed and 0
    otherwise; an aggregate's is the sum of its imputed member countries' estimates over its own
    estimate (members as in :func:`gmrd.estimate.aggregate.membership`). Returns ``area_code, year,
    imputed_share``.

    >>> totals = pd.DataFrame({"area_code": [900, 4, 8], "year": 2020, "value": [10.0, 4.0, 6.0],
    ...                        "flags": ["", "imputed,age_imputed", ""]})
    >>> imputed_shares(totals).set_index("area_code")["imputed_share"].to_dict()
    {900: 0.4, 4: 1.0, 8: 0.0}
    """
    from gmrd.estimate.aggregate import membership

    if totals.empty:
        return pd.DataFrame(columns=["area_code", "year", "imputed_share"])
    imputed = totals["flags"].map(lambda f: "imputed" in split_flags(f))
    links = membership()
    aggregates = _aggregates(totals["area_code"])
    countries = totals[~totals["area_code"].isin(aggregates)].assign(imputed=imputed)
    rows = countries.assign(imputed_share=countries["imputed"].astype(float))
    in_imputed = (countries[countries["imputed"]].rename(columns={"area_code": "country_code"})
                  .merge(links, on="country_code").groupby(["area_code", "year"])["value"].sum())
    own = totals[totals["area_code"].isin(aggregates)].set_index(["area_code", "year"])["value"]
    share = (in_imputed.reindex(own.index, fill_value=0.0) / own.where(own > 0)).rename("imputed_share")
    out = pd.concat([share.reset_index(), rows[["area_code", "year", "imputed_share"]]], ignore_index=True)
    return out.astype({"area_code": "int64", "year": "int64", "imputed_share": float})


def data_types(totals: pd.DataFrame) -> dict[int, str]:
    """gmrd's type of data (:func:`data_type`) of every country in ``totals`` (``area_code, flags``,
    all years of a revision); aggregates have none.

    >>> data_types(pd.DataFrame({"area_code": [4, 4, 900], "flags": ["foreign_born", "refugees_added", ""]}))
    {4: 'B R'}
    """
    countries = totals[~totals["area_code"].isin(_aggregates(totals["area_code"]))]
    return {int(code): data_type(part["flags"]) for code, part in countries.groupby("area_code")}


def _aggregates(codes: pd.Series) -> set[int]:
    """Those of ``codes`` that are aggregates (world, regions, …) in the countries table."""
    from gmrd.reference.countries import country, is_known

    return {int(c) for c in pd.unique(codes) if is_known(int(c)) and country(int(c)).is_aggregate}
