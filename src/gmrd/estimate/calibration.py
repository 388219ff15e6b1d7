"""The pipeline's rules as predictors of held-out data, and the intervals they calibrate.

Glue between :mod:`gmrd.estimate.pipeline` (the rules) and the pure statistics of
:mod:`gmrd.estimate.holdout` (out-of-sample errors) and :mod:`gmrd.estimate.intervals` (split
conformal calibration): :func:`calibration_scores` for the totals, :func:`age_share_scores` for
the imputed age patterns, :func:`with_intervals` to give every country cell its interval.

References
----------
.. [1] Lei, J., G'Sell, M., Rinaldo, A., Tibshirani, R. J. and Wasserman, L. (2018).
   Distribution-free predictive inference for regression. JASA 113(523), 1094-1111.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from gmrd.estimate import holdout as ho
from gmrd.estimate import intervals as iv
from gmrd.estimate.children import OUTPUT_GROUPS, output_matrix
from gmrd.estimate.impute import ImputeShare, impute_totals, published_areas, regional_pattern
from gmrd.estimate.population import population_at
from gmrd.estimate.structure import FINE_LABELS

#: rule(points, years) -> ``country_code, year, value, ...``: the pipeline's mid-year totals of
#: every country of ``points`` (``country_code, sex, t, value``) at ``years`` + 0.5, rows ordered
#: by country, then year (as :func:`gmrd.estimate.totals.mid_year_totals`).
TotalsRule = Callable[[pd.DataFrame, Sequence[float]], pd.DataFrame]


def calibration_scores(series: pd.DataFrame, totals: pd.DataFrame, rule: TotalsRule, years: Sequence[int],
                       sources: pd.DataFrame | None = None, same_date: float = 0.25,
                       impute_share: ImputeShare = "median") -> pd.DataFrame:
    """Out-of-sample |log errors| of the pipeline's own rules on the data points of ``series``.

    Leave one point out within each country's both-sexes series (``rule``: the pipeline's totals
    rule, :data:`TotalsRule`), and leave one country out for the imputation (:func:`gmrd.estimate.impute.impute_totals` from
    the other countries' ``totals``, its share of the population interpolated linearly between
    the years and held outside, times the country's population at the point's date). The
    countries of a sub-region are left out one at a time (round = rank within the sub-region).

    ``sources`` (``country_code, sex, t, value``: one row per source, as
    :func:`gmrd.estimate.selection.one_per_date` receives them) makes every source's value within
    ``same_date`` years of the left-out date a data point to be predicted, so the errors include
    the disagreement of sources at one date; default: the combined points. ``impute_share`` is the
    pipeline's imputation rule (``Params.impute``).

    References
    ----------
    .. [1] Stone, M. (1974). Cross-validatory choice and assessment of statistical predictions.
       Journal of the Royal Statistical Society B 36(2), 111-147.
    """
    points = series[series["sex"] == 0][["country_code", "sex", "t", "value"]]
    points = points[points["country_code"].isin(published_areas()["code"])]
    observed = None
    if sources is not None:
        observed = ho.attach_to_points(points, sources[sources["sex"] == 0], same_date)

    def predict(rest: pd.DataFrame, times: np.ndarray) -> pd.DataFrame:
        out = rule(rest, times - 0.5)
        return out.assign(t=np.tile(times, len(out) // max(len(times), 1)))

    areas = published_areas()
    grid = list(years)

    def impute(left: pd.DataFrame) -> np.ndarray:
        codes = left["country_code"].unique()
        rows = impute_totals(totals[~totals["country_code"].isin(codes)], areas, grid, share=impute_share)
        rows = rows[rows["country_code"].isin(codes)]
        share = rows["value"].to_numpy(float) / population_at(rows["country_code"], rows["year"] + 0.5)
        table = pd.DataFrame({"code": rows["country_code"].to_numpy(),
                              "t": rows["year"].to_numpy(float) + 0.5, "share": share})
        out = np.full(len(left), np.nan)
        for code, own in table.groupby("code"):
            hit = (left["country_code"] == code).to_numpy()
            out[hit] = np.interp(left["t"].to_numpy(float)[hit], own["t"], own["share"])
        return out * population_at(left["country_code"], left["t"])

    rounds = areas.assign(r=areas.groupby("subregion").cumcount()).set_index("code")["r"]
    held = points if observed is None else observed.drop(columns="t_point")
    parts = [ho.leave_one_point_out(points, predict, observed),
             ho.leave_one_country_out(held, impute, rounds)]
    return pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)


def age_share_scores(shares: pd.DataFrame) -> pd.DataFrame:
    """Out-of-sample |log errors| of the regional age pattern (the ``age_imputed`` rule).

    ``shares`` is :func:`gmrd.estimate.impute.regional_pattern`'s output (fine-group shares by
    country, sex and year, ``imputed``). Each country with its own age shares gets the pattern of
    its SDG region computed without it (the countries of a region left out one at a time); the
    errors are those of the shares of every output age group (``0-4`` … ``75+``, ``15-17``,
    ``0-17``, ``0-19``).

    References
    ----------
    .. [1] United Nations (1983). Manual X: Indirect Techniques for Demographic Estimation, ch. 1
       (borrowed patterns), checked here by leaving each country out (Stone 1974).
    """
    own = shares[~shares["imputed"].astype(bool)].drop(columns="imputed")
    areas = published_areas()

    def pattern(known: pd.DataFrame) -> pd.DataFrame:
        return regional_pattern(known, FINE_LABELS, areas, keys=("sex", "year"))

    rounds = areas.assign(r=areas.groupby("sdg_region").cumcount()).set_index("code")["r"]
    predicted = ho.leave_one_country_out_shares(own, pattern, rounds)
    labels = [g for g in OUTPUT_GROUPS if g != "total"]
    matrix = output_matrix()[:, [list(OUTPUT_GROUPS).index(g) for g in labels]]

    def grouped(frame: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(frame[list(FINE_LABELS)].to_numpy(float) @ matrix, columns=labels)
        return pd.concat([frame[["country_code", "sex", "year"]].reset_index(drop=True), out], axis=1)

    return ho.share_scores(grouped(own), grouped(predicted), labels)


def with_intervals(countries: pd.DataFrame, series: pd.DataFrame, table: pd.DataFrame,
                   age_table: pd.Series | None = None) -> pd.DataFrame:
    """Country rows with ``lower``/``upper``: the calibrated interval of the country-year's total
    situation, applied as a relative interval to every sex and age cell of that country-year; an
    age cell flagged ``age_imputed`` adds the age-share half-width of its group (``age_table``,
    :func:`gmrd.estimate.intervals.combine_half_widths`).

    References
    ----------
    .. [1] Lei, J. et al. (2018). Distribution-free predictive inference for regression. JASA
       113(523), 1094-1111 (the conformal interval from an absolute-residual score).
    """
    cells = countries[["area_code", "year"]].drop_duplicates()
    points = series[series["sex"] == 0]
    where = ho.situations(points, cells["area_code"], cells["year"].to_numpy(float) + 0.5)
    cells = cells.assign(half=iv.half_widths(table, where["situation"], where["distance"]))
    half = countries[["area_code", "year"]].merge(cells, on=["area_code", "year"], how="left")["half"]
    half = half.to_numpy(float)
    if age_table is not None and len(age_table):
        imputed = countries["flags"].fillna("").str.split(",").map(lambda f: "age_imputed" in f).to_numpy()
        share = np.where(imputed, countries["age"].map(age_table).to_numpy(float), np.nan)
        half = iv.combine_half_widths(half, share)
    lower, upper = iv.interval(countries["value"], half)
    return countries.assign(lower=lower, upper=upper)
