"""K-fold cross-validation over countries: every rule chosen on the training folds, scored out of fold.

The countries and areas are split into ``k`` folds by a seeded permutation (:func:`assign_folds`).
For each fold, the candidate (a declared set of pipeline choices, :func:`candidate_grid`) with the
lowest training loss (:func:`training_loss`) on the *other* folds is chosen, and the held-out
countries get that candidate's estimates. A country's estimate depends only on its own data points
(imputed countries: on their sub-region's shares), so the candidates' estimates are computed once
for all countries and only the choice is made per fold. The out-of-fold estimates are then scored
against published figures (:func:`error_table`, :func:`aggregate_errors`); the published "Type of
data" groups the scores and is never an input of the estimate.

References
----------
.. [1] Hastie, T., Tibshirani, R. and Friedman, J. (2009). The Elements of Statistical Learning,
   2nd ed. Springer, section 7.10 (K-fold cross-validation; choosing tuning parameters inside the
   training folds only).
.. [2] Hyndman, R. J. and Koehler, A. B. (2006). Another look at measures of forecast accuracy.
   International Journal of Forecasting 22(4), 679-688 (absolute percentage errors).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.estimate.aggregate import aggregate
from gmrd.estimate.aggregate import membership as aggregate_membership
from gmrd.estimate.pipeline import Params, total_estimates, with_choice
from gmrd.estimate.refugees import RefugeeRules

#: the SDG regions of the IMS tables (927 Australia and New Zealand is also a sub-region)
SDG_REGIONS = (947, 1833, 921, 1832, 1830, 1835, 927, 1829)
WORLD = 900


@dataclass(frozen=True)
class CvResult:
    """Out-of-fold estimates (``country_code, year, value, inside, imputed, fold, candidate``) and the
    candidate chosen for each fold (index fold)."""

    estimates: pd.DataFrame
    chosen: pd.Series


def candidate_grid(combines: Sequence[str] = ("nearest",),
                   extrapolations: Sequence[str] = ("constant", "share", "blend", "rate"),
                   refugee_shares: Sequence[float] = (0.05, 0.1, 0.25, 0.5, 1.0),
                   refugee_rules: Sequence[str] = ("none", "arrivals", "always"),
                   republished: Sequence[tuple[str, ...]] = ((), ("estimate",)),
                   republished_shares: Sequence[float] = (float("inf"), 1.0, 0.5),
                   imputes: Sequence[str] = ("median", "pooled"),
                   net: bool = True,
                   forms: Sequence[str] = ("exponential",)) -> dict[str, dict[str, object]]:
    """The declared candidates: name -> :func:`gmrd.estimate.pipeline.with_choice` changes.

    The combination at one date is ``nearest`` only by default: ``median`` is captured by one wrong
    table where a date has two (tests/unit/estimate/test_combine_outlier.py), so it is not a
    candidate the requirement allows (the benchmark measured it: see docs/benchmarks.md).

    Every combination of the combination rule at one date, the extrapolation rule, the refugee
    rule (``share`` at each threshold, plus ``refugee_rules``), the source types taken to include
    refugees already (``republished``; not varied for the rule ``none``) unless their refugees are
    at least ``republished_shares`` times their value, the imputation share (``imputes``) and the
    interpolation ``forms``, in a fixed order (ties in the training loss go to the first). With
    ``net``, each ``always`` candidate with republished types also comes with those points net of
    their refugees (:func:`gmrd.estimate.refugees.net_republished`).
    """
    def variants(r: tuple[str, ...]) -> Sequence[float]:
        return republished_shares if r else republished_shares[:1]

    refugee = [(f"share {s:g}", RefugeeRules(rule="share", share=s, republished_types=r,
                                             republished_share=q, republished_net=False))
               for s in refugee_shares for r in republished for q in variants(r)]
    refugee += [(rule, RefugeeRules(rule=rule, republished_types=r, republished_share=q,
                                    republished_net=False))
                for rule in refugee_rules for r in (republished if rule != "none" else republished[:1])
                for q in (variants(r) if rule != "none" else republished_shares[:1])]
    # `always` adds every country's refugees in full: its republished points can be netted instead
    refugee += [(name, replace(rules, republished_net=True)) for name, rules in refugee
                if net and rules.rule == "always" and rules.republished_types]
    out: dict[str, dict[str, object]] = {}
    for form, impute, combine, extra, (rname, rules) in itertools.product(forms, imputes, combines,
                                                                          extrapolations, refugee):
        verb = "net of them" if rules.republished_net else "not"
        suffix = f" ({verb} on {'/'.join(rules.republished_types)}" if rules.republished_types else ""
        if suffix and np.isfinite(rules.republished_share):
            suffix += f" unless refugees >= {rules.republished_share:g} x it"
        suffix += ")" if suffix else ""
        prefix = f"{form}/" if len(forms) > 1 else ""
        prefix += f"impute {impute}/" if len(imputes) > 1 else ""
        out[f"{prefix}{combine}/{extra}/refugees {rname}{suffix}"] = {
            "form": form, "impute": impute, "combine": combine, "extrapolation": extra,
            "refugees": rules}
    return out


def candidate_estimates(cells: pd.DataFrame, grid: Mapping[str, Mapping[str, object]],
                        base: Params | None = None) -> dict[str, pd.DataFrame]:
    """Every candidate's totals for every country: name -> ``country_code, year, value, inside,
    imputed, refugees_added`` (the pipeline's :func:`gmrd.estimate.pipeline.total_estimates`)."""
    base = Params() if base is None else base
    memo: dict[object, object] = {}
    out = {}
    for name, change in grid.items():
        totals, _ = total_estimates(cells, with_choice(base, dict(change)), memo)
        flags = totals["flag"].str.split(",")
        out[name] = pd.DataFrame({
            "country_code": totals["country_code"].to_numpy(np.int64),
            "year": totals["year"].to_numpy(np.int64), "value": totals["value"].to_numpy(float),
            "inside": ~flags.map(lambda f: "extrapolated" in f or "imputed" in f).to_numpy(bool),
            "imputed": flags.map(lambda f: "imputed" in f).to_numpy(bool),
            "refugees_added": flags.map(lambda f: "refugees_added" in f).to_numpy(bool)})
    return out


def assign_folds(codes: Sequence[int], k: int = 5, seed: int = 20201) -> pd.Series:
    """Fold 0..k-1 of each country (index code): a seeded permutation dealt round-robin.

    References
    ----------
    .. [1] Hastie, Tibshirani and Friedman (2009), The Elements of Statistical Learning, 2nd ed., §7.10.

    Examples
    --------
    >>> f = assign_folds([4, 8, 12, 20, 24], k=5, seed=1)
    >>> sorted(f.tolist())
    [0, 1, 2, 3, 4]
    >>> bool((f == assign_folds([24, 20, 12, 8, 4], k=5, seed=1).reindex(f.index)).all())
    True
    """
    if k < 2:
        raise InputError("cross-validation needs at least 2 folds", field="k")
    codes_a = np.sort(np.unique(np.asarray(codes, dtype=np.int64)))
    order = np.random.default_rng(seed).permutation(len(codes_a))
    folds = np.empty(len(codes_a), dtype=np.int64)
    folds[order] = np.arange(len(codes_a)) % k
    return pd.Series(folds, index=codes_a, name="fold")


def scored(estimates: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """``estimates`` joined with ``published`` (``country_code, year, value``) and the absolute %
    error ``ape`` (rows with a positive published value)."""
    merged = estimates.merge(published, on=["country_code", "year"], suffixes=("", "_pub"))
    merged = merged[(merged["value_pub"] > 0) & merged["value"].notna()].copy()
    merged["ape"] = 100 * (merged["value"] - merged["value_pub"]).abs() / merged["value_pub"]
    return merged


def training_loss(estimates: pd.DataFrame, published: pd.DataFrame, regions: pd.Series | None = None
                  ) -> float:
    """The declared loss a candidate is chosen by (lower is better).

    The mean over years of the median absolute % error inside the data range, plus the same
    outside it (countries with data only), plus the mean over years and ``regions`` (index
    country_code; default: one region) of the absolute % error of the sum over the region's
    countries (imputed ones included): country accuracy on both sides of the range and the
    accuracy of regional totals, equally weighted.

    References
    ----------
    .. [1] Hastie, Tibshirani and Friedman (2009), The Elements of Statistical Learning, 2nd ed., §7.10.
    .. [2] Hyndman and Koehler (2006), International Journal of Forecasting 22(4), 679-688.
    """
    rows = scored(estimates, published)
    own = rows[~rows["imputed"]]
    inside = own[own["inside"]].groupby("year")["ape"].median()
    outside = own[~own["inside"]].groupby("year")["ape"].median()
    rows["region"] = rows["country_code"].map(regions) if regions is not None else 0
    sums = rows.groupby(["region", "year"])[["value", "value_pub"]].sum()
    total = (100 * (sums["value"] - sums["value_pub"]).abs() / sums["value_pub"])
    return float(sum(s.mean() for s in (inside, outside, total) if len(s)))


def cross_validate(candidates: Mapping[str, pd.DataFrame], published: pd.DataFrame, folds: pd.Series,
                   regions: pd.Series | None = None) -> CvResult:
    """Choose a candidate per fold on the other folds; return the out-of-fold estimates.

    Parameters
    ----------
    candidates
        name -> the estimates of that candidate for every country (``country_code, year, value,
        inside, imputed``), in the grid's order.
    published
        ``country_code, year, value`` (the training countries' published figures are used to choose).
    folds
        :func:`assign_folds`; countries without a fold are left out.
    regions
        the regions of :func:`training_loss` (index country_code), e.g. :func:`sdg_regions`.

    References
    ----------
    .. [1] Hastie, Tibshirani and Friedman (2009), The Elements of Statistical Learning, 2nd ed., §7.10.
    """
    names = list(candidates)
    if not names:
        raise InputError("no candidates to choose from")
    parts, chosen = [], {}
    for fold in sorted(folds.unique()):
        train = folds.index[folds != fold]
        pub_train = published[published["country_code"].isin(train)]
        losses = [training_loss(candidates[n][candidates[n]["country_code"].isin(train)], pub_train,
                                regions) for n in names]
        best = names[int(np.argmin(losses))]
        chosen[int(fold)] = best
        held = candidates[best][candidates[best]["country_code"].isin(folds.index[folds == fold])]
        parts.append(held.assign(fold=int(fold), candidate=best))
    out = pd.concat(parts, ignore_index=True).sort_values(["country_code", "year"], kind="stable")
    return CvResult(out.reset_index(drop=True), pd.Series(chosen, name="candidate").rename_axis("fold"))


def sdg_regions() -> pd.Series:
    """The SDG region of :data:`SDG_REGIONS` of every country and area (index country_code).

    References
    ----------
    .. [1] UN DESA Population Division (2020), IMS 2020, Table 1 (SDG regions).
    """
    links = aggregate_membership()
    links = links[links["area_code"].isin(SDG_REGIONS)].drop_duplicates("country_code")
    return links.set_index("country_code")["area_code"].rename("region")


def error_table(estimates: pd.DataFrame, published: pd.DataFrame, group: pd.Series | None = None
                ) -> pd.DataFrame:
    """Median absolute % error by year, range (``inside``) and ``group`` (index country_code).

    Returns ``group, year, inside, median_ape, countries``; imputed countries count as outside.

    References
    ----------
    .. [1] Hyndman and Koehler (2006), International Journal of Forecasting 22(4), 679-688.
    """
    rows = scored(estimates, published)
    rows["group"] = rows["country_code"].map(group).fillna("?") if group is not None else "all"
    rows["inside"] = rows["inside"] & ~rows["imputed"]
    table = rows.groupby(["group", "year", "inside"])["ape"].agg(["median", "size"]).reset_index()
    return table.rename(columns={"median": "median_ape", "size": "countries"})


def aggregate_errors(estimates: pd.DataFrame, published_areas: pd.DataFrame,
                     areas: Sequence[int] = (WORLD, *SDG_REGIONS)) -> pd.DataFrame:
    """% error (signed) of the world and region sums of the country ``estimates``.

    ``published_areas`` has ``area_code, year, value``; returns ``area_code, year, value,
    value_pub, pct_error``.

    References
    ----------
    .. [1] Hyndman and Koehler (2006), International Journal of Forecasting 22(4), 679-688.
    .. [2] UN DESA Population Division (2020), IMS 2020, Table 1 (world and SDG regions).
    """
    rows = estimates.assign(sex=0, age="total")
    sums = aggregate(rows, ["value"], keys=("year", "sex", "age"),
                     kinds=("world", "region", "subregion", "sdg_region"))
    sums = sums[sums["area_code"].isin(list(areas))][["area_code", "year", "value"]]
    merged = sums.merge(published_areas, on=["area_code", "year"], suffixes=("", "_pub"))
    merged["pct_error"] = 100 * (merged["value"] - merged["value_pub"]) / merged["value_pub"]
    return merged.sort_values(["area_code", "year"]).reset_index(drop=True)
