"""The estimation pipeline as one pure function: accepted cells in, estimates with intervals out.

Steps (each a module, see docs/methods.md): :mod:`~gmrd.estimate.selection` →
:mod:`~gmrd.estimate.totals` (:mod:`~gmrd.estimate.interpolate`, :mod:`~gmrd.estimate.dates`) →
:mod:`~gmrd.estimate.refugees` →
:mod:`~gmrd.estimate.structure` (graduation) → :mod:`~gmrd.estimate.impute` →
:mod:`~gmrd.estimate.children` → :mod:`~gmrd.estimate.intervals` (calibrated prediction intervals) →
:mod:`~gmrd.estimate.aggregate`. Every choice is a field of :class:`Params` and goes into the
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
from functools import partial
from typing import Any, cast

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.estimate import intervals as iv
from gmrd.estimate.aggregate import aggregate
from gmrd.estimate.calibration import TotalsRule, age_share_scores, calibration_scores, with_intervals
from gmrd.estimate.children import OUTPUT_GROUPS, output_matrix
from gmrd.estimate.graduation import METHODS, Method
from gmrd.estimate.impute import IMPUTE_SHARES, ImputeShare, impute_totals, published_areas, regional_pattern
from gmrd.estimate.interpolate import EXTRAPOLATIONS, FORMS, Extrapolation, Form
from gmrd.estimate.refugees import FLAG as REFUGEES_FLAG
from gmrd.estimate.refugees import (
    RefugeeRules,
    add_refugees,
    curator_overrides,
    net_republished,
    not_counted,
    refugee_points,
)
from gmrd.estimate.selection import (
    CONCEPT_CODES,
    PER_DATE_RULES,
    SelectionRules,
    last_resort,
    one_per_date,
    preparation_key,
    prepare_points,
)
from gmrd.estimate.structure import FINE_LABELS, age_share_points, male_share_points, shares_at
from gmrd.estimate.totals import mid_year_totals

KEYS = ["area_code", "year", "sex", "age"]


@dataclass(frozen=True)
class Params:
    """Every declared choice of the pipeline (recorded in the manifest)."""

    years: tuple[int, ...] = tuple(range(1990, 2021, 5))
    selection: SelectionRules = field(default_factory=SelectionRules)
    refugees: RefugeeRules = field(default_factory=RefugeeRules)
    form: Form = "exponential"
    extrapolation: Extrapolation = "constant"
    min_span: float = 0.0
    impute: ImputeShare = "pooled"
    graduation: Method = "mono"
    intervals: bool = True
    level: float = iv.LEVEL
    aggregate_intervals: iv.AggregateRule = "bound"

    def __post_init__(self) -> None:
        if self.form not in FORMS:
            raise InputError(f"unknown interpolation form {self.form!r}", field="form")
        if self.extrapolation not in EXTRAPOLATIONS:
            raise InputError(f"unknown extrapolation {self.extrapolation!r}", field="extrapolation")
        if self.impute not in IMPUTE_SHARES:
            raise InputError(f"unknown imputation share {self.impute!r}", field="impute")
        if self.graduation not in METHODS:
            raise InputError(f"unknown graduation method {self.graduation!r}", field="graduation")
        if not self.years:
            raise InputError("no years to estimate", field="--years")
        if not 0 < self.level < 1:
            raise InputError(f"interval level {self.level} must lie between 0 and 1", field="level")
        if self.aggregate_intervals not in iv.AGGREGATE_RULES:
            raise InputError(f"unknown aggregate interval rule {self.aggregate_intervals!r}",
                             field="aggregate_intervals")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def with_choice(params: Params, change: dict[str, object]) -> Params:
    """``params`` with one alternative applied (``combine`` etc. go to the selection rules)."""
    rule_fields = set(SelectionRules.__dataclass_fields__)
    own: dict[str, Any] = {k: v for k, v in change.items() if k not in rule_fields}
    for_rules: dict[str, Any] = {k: v for k, v in change.items() if k in rule_fields}
    rules = replace(params.selection, **for_rules)
    return replace(params, selection=rules, **own)


def total_estimates(cells: pd.DataFrame, params: Params, memo: dict[object, object] | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both-sexes totals of every published country: (``country_code, year, value, flag``, data points).

    ``flag`` is the comma-joined flags of the total (``imputed`` or ``extrapolated``,
    ``refugees_added``, the concept); the data points are those of
    :func:`gmrd.estimate.selection.one_per_date` (all sexes). ``memo`` also receives the data points
    (``"series"``), the sources' values they combine (``"sources"``) and the totals of the countries with
    data before refugees are added (``"totals"``), from which :mod:`gmrd.estimate.calibration` measures
    the out-of-sample errors.
    """
    memo = {} if memo is None else memo
    years = list(params.years)
    prep = preparation_key(params.selection)
    if ("prepare", prep) not in memo:
        memo[("prepare", prep)] = prepare_points(cells, params.selection)
    chosen, _, concept = cast(tuple[pd.DataFrame, pd.DataFrame, pd.Series], memo[("prepare", prep)])
    key = ("series", prep, tuple(getattr(params.selection, k) for k in sorted(PER_DATE_RULES)))
    if key not in memo:
        memo[key] = one_per_date(chosen, params.selection)
    series = cast(pd.DataFrame, memo[key])
    areas = published_areas()
    if ("refugees", params.refugees.universes) not in memo:
        memo[("refugees", params.refugees.universes)] = refugee_points(cells, params.refugees.universes)
    refugees = cast(pd.DataFrame, memo[("refugees", params.refugees.universes)])
    sources = last_resort(chosen[~chosen["source_type"].isin(params.selection.exclude_types)],
                          params.selection)
    points = series
    if params.refugees.republished_net:  # republished points on the concept of the others
        decided = not_counted(series, refugees, params.refugees, curator_overrides(cells))
        points = net_republished(series, refugees, decided, params.refugees)
        sources = net_republished(sources, refugees, decided, params.refugees)
    totals = _totals(points, years, params)
    totals = totals[totals["country_code"].isin(areas["code"])]
    memo["series"], memo["totals"], memo["sources"] = points, totals, sources
    totals = add_refugees(totals, series, cells, params.refugees, refugees)
    imputed = impute_totals(totals, areas, years, share=params.impute)
    allt = pd.concat([totals.assign(flag=country_flags(totals, concept)),
                      imputed.assign(flag="imputed")], ignore_index=True)
    return allt[["country_code", "year", "value", "flag"]], series


def country_estimates(cells: pd.DataFrame, params: Params, memo: dict[object, object] | None = None
                      ) -> pd.DataFrame:
    """Country rows ``area_code, year, sex, age, value, flags`` (no intervals).

    ``memo`` caches the prepared data points and the age-sex patterns between runs that share them;
    it also receives what :func:`total_estimates` puts there and the fine-group age shares
    (``"shares"``), from which :mod:`gmrd.estimate.calibration` measures the out-of-sample errors.
    """
    memo = {} if memo is None else memo
    years = list(params.years)
    prep = preparation_key(params.selection)
    allt, series = total_estimates(cells, params, memo)
    ages = cast(tuple[pd.DataFrame, pd.DataFrame, pd.Series], memo[("prepare", prep)])[1]
    areas = published_areas()
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
    memo["shares"] = memo[key]
    return _assemble(allt, male, cast(pd.DataFrame, memo[key]))


CONCEPT_NAMES = {code: name for name, code in CONCEPT_CODES.items()}


def country_flags(totals: pd.DataFrame, concept: pd.Series) -> list[str]:
    """Per row of ``totals``: ``extrapolated`` (outside the data range), ``refugees_added``, and the
    concept of the country's series (``foreign_born`` or ``foreign_citizens``), comma-joined."""
    names = totals["country_code"].map(concept).map(CONCEPT_NAMES).fillna("").to_numpy()
    extra = np.where(totals["inside"].to_numpy(bool), "", "extrapolated")
    refugees = np.where(totals["refugees_added"].to_numpy(bool), REFUGEES_FLAG, "")
    return [",".join(x for x in row if x) for row in zip(extra, refugees, names)]


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


def _totals(points: pd.DataFrame, years: Sequence[float], params: Params) -> pd.DataFrame:
    """The pipeline's totals rule (shared by the estimates and their held-out errors)."""
    return mid_year_totals(points, years, form=params.form, extrapolation=params.extrapolation,
                           min_span=params.min_span)


def totals_rule(params: Params) -> TotalsRule:
    """The totals rule of ``params`` as a :data:`gmrd.estimate.calibration.TotalsRule`."""
    return partial(_totals, params=params)


def with_aggregates(countries: pd.DataFrame, rule: iv.AggregateRule = "bound") -> pd.DataFrame:
    """Country rows plus every aggregate (flags empty for aggregates).

    Where the countries have ``lower``/``upper``, an aggregate's come from its members' deviations
    by ``rule`` (:func:`gmrd.estimate.intervals.aggregate_deviations`); NaN where a member has none.
    """
    columns = ["value"]
    frame = countries.rename(columns={"area_code": "country_code"})
    if "lower" in frame:
        power = 2 if rule == "independent" else 1
        frame = frame.assign(lo_dev=(frame["value"] - frame["lower"]) ** power,
                             hi_dev=(frame["upper"] - frame["value"]) ** power,
                             unknown=(frame["lower"].isna() | frame["upper"].isna()).astype(float))
        columns += ["lo_dev", "hi_dev", "unknown"]
    agg = aggregate(frame, columns, keys=("year", "sex", "age"))
    if "lower" in frame:
        lo, hi = iv.aggregate_deviations(agg.pop("lo_dev"), agg.pop("hi_dev"), rule)
        known = agg.pop("unknown").to_numpy() == 0  # a member without interval leaves the sum's unknown
        agg = agg.assign(lower=np.where(known, agg["value"] - lo, np.nan),
                         upper=np.where(known, agg["value"] + hi, np.nan))
    return pd.concat([countries, agg.assign(flags="")], ignore_index=True).sort_values(
        KEYS, kind="stable").reset_index(drop=True)


def _held_out(memo: dict[object, object], params: Params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The held-out errors of the totals and of the imputed age patterns, from a run's ``memo``."""
    scores = calibration_scores(cast(pd.DataFrame, memo["series"]), cast(pd.DataFrame, memo["totals"]),
                                totals_rule(params), params.years, cast(pd.DataFrame, memo["sources"]),
                                params.selection.same_date, params.impute)
    return scores, age_share_scores(cast(pd.DataFrame, memo["shares"]))


def held_out_errors(cells: pd.DataFrame, params: Params = Params()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Out-of-sample errors of ``params``' rules on ``cells``: (totals: :func:`calibration_scores
    <gmrd.estimate.calibration.calibration_scores>`, age shares: :func:`age_share_scores
    <gmrd.estimate.calibration.age_share_scores>`), as the intervals are calibrated on them."""
    memo: dict[object, object] = {}
    country_estimates(cells, params, memo)
    return _held_out(memo, params)


def estimate_with_calibration(cells: pd.DataFrame, params: Params = Params()
                              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`estimate` and its calibration table (:func:`gmrd.estimate.intervals.calibrate`, then
    one row ``"age_imputed <group>"`` per age group with the age-share half-width; empty without
    intervals)."""
    memo: dict[object, object] = {}
    countries = country_estimates(cells, params, memo)
    series = cast(pd.DataFrame, memo["series"])
    table = pd.DataFrame(columns=["situation", "lo", "hi", "n", "half_width"])
    ages = pd.Series(dtype=float, name="half_width")
    if params.intervals:
        scores, age_scores = _held_out(memo, params)
        table = iv.calibrate(scores, params.level)
        ages = iv.age_half_widths(age_scores, params.level)
        table = pd.concat([table, pd.DataFrame({
            "situation": "age_imputed " + ages.index.astype(str), "lo": 0.0, "hi": np.inf,
            "n": age_scores.groupby("age").size().reindex(ages.index).to_numpy(),
            "half_width": ages.to_numpy(float)})], ignore_index=True)
    countries = with_intervals(countries, series, table, ages)
    out = with_aggregates(countries, params.aggregate_intervals)
    return out[KEYS + ["value", "lower", "upper", "flags"]], table


def estimate(cells: pd.DataFrame, params: Params = Params()) -> pd.DataFrame:
    """The whole pipeline: ``area_code, year, sex, age, value, lower, upper, flags``.

    ``lower``/``upper`` bound the calibrated prediction interval at ``params.level``
    (:mod:`gmrd.estimate.intervals`; NaN with ``intervals=False`` or where too few held-out
    errors exist to calibrate it).

    Examples
    --------
    See tests/integration/estimate/test_pipeline.py (a small database end to end).
    """
    return estimate_with_calibration(cells, params)[0]
