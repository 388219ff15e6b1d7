"""The estimation pipeline as one pure function: accepted cells in, estimates with intervals out.

Steps (each a module, see docs/methods.md): :mod:`~gmrd.estimate.selection` →
:mod:`~gmrd.estimate.totals` (:mod:`~gmrd.estimate.interpolate`, :mod:`~gmrd.estimate.dates`) →
:mod:`~gmrd.estimate.structure` (graduation) → :mod:`~gmrd.estimate.impute` →
:mod:`~gmrd.estimate.children` → :mod:`~gmrd.estimate.aggregate` →
:mod:`~gmrd.estimate.uncertainty`. Every choice is a field of :class:`Params` and goes into the
revision manifest; the same cells and parameters give the same numbers bit for bit (no randomness,
sorted group-bys).

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
   International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020), "Methodology".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, cast

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.estimate.aggregate import aggregate
from gmrd.estimate.children import OUTPUT_GROUPS, output_matrix
from gmrd.estimate.graduation import METHODS, Method
from gmrd.estimate.impute import impute_totals, published_areas, regional_pattern
from gmrd.estimate.interpolate import EXTRAPOLATIONS, FORMS, Extrapolation, Form
from gmrd.estimate.selection import SelectionRules, one_per_date, preparation_key, prepare_points
from gmrd.estimate.structure import FINE_LABELS, age_share_points, male_share_points, shares_at
from gmrd.estimate.totals import mid_year_totals
from gmrd.estimate.uncertainty import sensitivity_interval

KEYS = ["area_code", "year", "sex", "age"]


@dataclass(frozen=True)
class Params:
    """Every declared choice of the pipeline (recorded in the manifest)."""

    years: tuple[int, ...] = tuple(range(1990, 2021, 5))
    selection: SelectionRules = field(default_factory=SelectionRules)
    form: Form = "exponential"
    extrapolation: Extrapolation = "constant"
    min_span: float = 0.0
    graduation: Method = "mono"
    intervals: bool = True

    def __post_init__(self) -> None:
        if self.form not in FORMS:
            raise InputError(f"unknown interpolation form {self.form!r}", field="form")
        if self.extrapolation not in EXTRAPOLATIONS:
            raise InputError(f"unknown extrapolation {self.extrapolation!r}", field="extrapolation")
        if self.graduation not in METHODS:
            raise InputError(f"unknown graduation method {self.graduation!r}", field="graduation")
        if not self.years:
            raise InputError("no years to estimate", field="--years")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


#: One-at-a-time alternatives whose spread gives the intervals (module uncertainty).
ALTERNATIVES: tuple[dict[str, object], ...] = (
    {"form": "linear"}, {"extrapolation": "share"}, {"extrapolation": "blend"},
    {"combine": "median"}, {"graduation": "uniform"},
)


def with_choice(params: Params, change: dict[str, object]) -> Params:
    """``params`` with one alternative applied (``combine`` etc. go to the selection rules)."""
    rule_fields = set(SelectionRules.__dataclass_fields__)
    own: dict[str, Any] = {k: v for k, v in change.items() if k not in rule_fields}
    for_rules: dict[str, Any] = {k: v for k, v in change.items() if k in rule_fields}
    rules = replace(params.selection, **for_rules)
    return replace(params, selection=rules, **own)


def country_estimates(cells: pd.DataFrame, params: Params, memo: dict[object, object] | None = None
                      ) -> pd.DataFrame:
    """Country rows ``area_code, year, sex, age, value, flags`` (no intervals).

    ``memo`` caches the prepared data points and the age-sex patterns between runs that share them.
    """
    memo = {} if memo is None else memo
    years = list(params.years)
    prep = preparation_key(params.selection)
    if ("prepare", prep) not in memo:
        memo[("prepare", prep)] = prepare_points(cells, params.selection)
    prepared = cast(tuple[pd.DataFrame, pd.DataFrame, pd.Series], memo[("prepare", prep)])
    chosen, ages = prepared[0], prepared[1]
    series = one_per_date(chosen, params.selection)
    areas = published_areas()
    totals = mid_year_totals(series, years, form=params.form, extrapolation=params.extrapolation,
                             min_span=params.min_span)
    totals = totals[totals["country_code"].isin(areas["code"])]
    imputed = impute_totals(totals, areas, years)
    allt = pd.concat([totals.assign(flag=np.where(totals["inside"], "", "extrapolated")),
                      imputed.assign(flag="imputed")], ignore_index=True)
    male = male_share_points(series[series["sex"] > 0])
    male = shares_at(male, ["male_share"], years, keys=("country_code",)) if len(male) else male
    male = regional_pattern(male[male["country_code"].isin(areas["code"])], ["male_share"], areas,
                            keys=("year",))
    key = ("ages", prep, params.graduation, params.years)
    if key not in memo:
        shares = age_share_points(ages, params.graduation, years)
        shares = shares_at(shares, FINE_LABELS, years) if len(shares) else shares.assign(year=[])
        own = _shares_by_sex(shares[shares["country_code"].isin(areas["code"])])
        memo[key] = regional_pattern(own, FINE_LABELS, areas, keys=("sex", "year"))
    return _assemble(allt, male, cast(pd.DataFrame, memo[key]))


def _shares_by_sex(shares: pd.DataFrame) -> pd.DataFrame:
    """Male and female shares: each sex's own where given, else the both-sexes shares."""
    own = shares[shares["sex"] > 0]
    both = shares[shares["sex"] == 0]
    fill = pd.concat([both.assign(sex=1), both.assign(sex=2)], ignore_index=True)
    merged = pd.concat([own, fill], ignore_index=True).drop_duplicates(["country_code", "sex", "year"])
    return merged.sort_values(["country_code", "sex", "year"]).reset_index(drop=True)


def _each_sex(shares: pd.DataFrame) -> pd.DataFrame:
    """Age shares for both sexes of every country: a sex without its own table gets its region's.

    ``shares`` comes from :func:`regional_pattern`, which fills only the countries without any age
    table; a country with a table for one sex only (and none for both sexes) still lacks the other.
    That sex gets the regional mean pattern of its own sex (flagged ``imputed``), as docs/methods.md
    section 4 states, not a flat share per fine age group (where no country has a table of that
    sex, the other sex's patterns stand in).

    References
    ----------
    .. [1] United Nations, Department of Economic and Social Affairs, Population Division (2020).
       International Migrant Stock 2020: Documentation (POP/DB/MIG/Stock/Rev.2020), "Methodology"
       (age and sex distributions of countries without data from their region).
    """
    known = shares[~shares["imputed"].astype(bool)].drop(columns="imputed")
    areas = published_areas()
    if known.empty:
        return shares
    parts = []
    for sex in (1, 2):
        own = known[known["sex"] == sex]
        pattern = regional_pattern(own if len(own) else known.assign(sex=sex), FINE_LABELS, areas,
                                   keys=("sex", "year"))
        # no table of this sex anywhere: the other sex's patterns stand in, all imputed
        parts.append(pattern if len(own) else pattern.assign(imputed=True))
    return pd.concat(parts, ignore_index=True)


def _assemble(totals: pd.DataFrame, male: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    shares = _each_sex(shares)
    base = totals.merge(male[["country_code", "year", "male_share", "imputed"]].rename(
        columns={"imputed": "sex_imputed"}), on=["country_code", "year"], how="left")
    base["male_share"] = base["male_share"].fillna(0.5)
    matrix = output_matrix()
    labels = list(OUTPUT_GROUPS)
    parts = []
    for sex, factor in ((1, base["male_share"]), (2, 1 - base["male_share"])):
        rows = base[["country_code", "year", "flag", "sex_imputed"]].assign(sex=sex)
        rows = rows.merge(shares[shares["sex"] == sex], on=["country_code", "sex", "year"], how="left")
        fine = rows[list(FINE_LABELS)].fillna(1 / len(FINE_LABELS)).to_numpy(float)
        counts = (fine * (base["value"].to_numpy(float) * factor.to_numpy(float))[:, None]) @ matrix
        frame = pd.DataFrame(counts, columns=labels)
        frame[["country_code", "year", "sex"]] = rows[["country_code", "year", "sex"]].to_numpy()
        frame["flags"] = _flags(rows)
        parts.append(frame)
    male_f, female_f = parts
    both = male_f.copy()
    both[labels] = male_f[labels].to_numpy() + female_f[labels].to_numpy()
    both["sex"] = 0
    wide = pd.concat([both, male_f, female_f], ignore_index=True)
    long = wide.melt(id_vars=["country_code", "year", "sex", "flags"], value_vars=labels,
                     var_name="age", value_name="value")
    long = long.rename(columns={"country_code": "area_code"})
    long[["area_code", "year", "sex"]] = long[["area_code", "year", "sex"]].astype(np.int64)
    return long[KEYS + ["value", "flags"]].sort_values(KEYS, kind="stable").reset_index(drop=True)


def _flags(rows: pd.DataFrame) -> list[str]:
    age_imp = rows["imputed"].fillna(True).astype(bool).to_numpy()
    sex_imp = rows["sex_imputed"].fillna(True).astype(bool).to_numpy()
    out = []
    for flag, a, s in zip(rows["flag"].to_numpy(), age_imp, sex_imp):
        out.append(",".join(x for x in (flag, "age_imputed" if a else "", "sex_imputed" if s else "") if x))
    return out


def with_aggregates(countries: pd.DataFrame) -> pd.DataFrame:
    """Country rows plus every aggregate (flags empty for aggregates)."""
    agg = aggregate(countries.rename(columns={"area_code": "country_code"}), ["value"],
                    keys=("year", "sex", "age"))
    return pd.concat([countries, agg.assign(flags="")], ignore_index=True).sort_values(
        KEYS, kind="stable").reset_index(drop=True)


def estimate(cells: pd.DataFrame, params: Params = Params(),
             alternatives: Sequence[dict[str, object]] = ALTERNATIVES) -> pd.DataFrame:
    """The whole pipeline: ``area_code, year, sex, age, value, lower, upper, flags``.

    Examples
    --------
    See tests/integration/estimate/test_pipeline.py (a small database end to end).
    """
    memo: dict[object, object] = {}
    main = with_aggregates(country_estimates(cells, params, memo))
    runs = []
    if params.intervals:
        runs = [with_aggregates(country_estimates(cells, with_choice(params, alt), memo))
                for alt in alternatives]
    out = sensitivity_interval(main, runs, KEYS)
    return out[KEYS + ["value", "lower", "upper", "flags"]]
