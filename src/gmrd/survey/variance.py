"""Taylor-linearization variance in the shape of R's ``svyrecvar``.

Scores (influence functions) are summed per sampling unit (``np.bincount``), the unit totals give a
per-stratum variance, and later stages add their within-unit variance multiplied by the sampling
fraction of the stage above (the recursion of ``svyrecvar``'s ``multistage``). Everything is a sum
per unit and per stratum, so the same reduction can run as GROUP BY in a database (DESIGN.md,
"Scale path").
"""

from __future__ import annotations

import numpy as np

from gmrd.errors import DesignError
from gmrd.survey.design import Stage, SurveyDesign


def rowsum(values: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    """Sums of the rows of ``values`` (n,) or (n, k) per code in 0..size-1 (R's ``rowsum``)."""
    if values.ndim == 1:
        return np.bincount(codes, weights=values, minlength=size)
    return np.stack([np.bincount(codes, weights=values[:, j], minlength=size)
                     for j in range(values.shape[1])], axis=1)


def group_keys(design: SurveyDesign, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Row keys ``group * units + unit`` (last-stage units) for :func:`unit_sums`; rows with group -1
    go to a discard bin. Compute once and reuse for several sums over the same groups."""
    units = design.stages[-1].n_units
    keys = np.multiply(groups, units, dtype=np.int64)
    np.add(keys, design.stages[-1].unit, out=keys)
    if groups.min(initial=0) < 0:
        keys[groups < 0] = n_groups * units
    return keys


def unit_sums(values: np.ndarray, design: SurveyDesign, groups: np.ndarray | None = None,
              n_groups: int = 1, *, keys: np.ndarray | None = None) -> np.ndarray:
    """Totals of ``values`` per sampling unit of the last stage used for the variance.

    Parameters
    ----------
    values : (n,) or (n, k) per-row values (scores, weights, weighted variables)
    design : the survey design
    groups : optional (n,) codes 0..n_groups-1, or -1 for rows that belong to no group; then
        ``values`` is (n,) and column g of the result holds the sums over rows of group g. This is
        the sparse form of an (n, n_groups) score matrix whose row i is zero outside column
        ``groups[i]``, as in domain estimation.
    n_groups : number of groups
    keys : the :func:`group_keys` of ``groups`` when already computed

    Returns
    -------
    (units, k) or (units, n_groups) array
    """
    stage = design.stages[-1]
    units = stage.n_units
    if groups is None and keys is None:
        out = rowsum(values, stage.unit, units)
        return out[:, None] if out.ndim == 1 else out
    if keys is None:
        assert groups is not None
        keys = group_keys(design, groups, n_groups)
    sums = np.bincount(keys, weights=values, minlength=n_groups * units + 1)[: n_groups * units]
    return sums.reshape(n_groups, units).T


def variance_from_totals(totals: np.ndarray, design: SurveyDesign,
                         present: np.ndarray | None = None) -> np.ndarray:
    """Covariance matrix of estimators from their linearized totals per last-stage unit.

    Parameters
    ----------
    totals : (units, k) score totals per unit of the design's last stage (:func:`unit_sums`)
    design : the survey design
    present : optional (units, k) booleans: units with rows used by estimator j (its domain, variable
        not missing). R computes a domain on the subset of rows, so for ``lonely_psu`` "average" and
        "adjust" only the strata with such rows count; None means every unit.

    Returns
    -------
    (k, k) covariance matrix

    Notes
    -----
    Stage s contributes ``sum_h (1 - f_h) n_h / (n_h - 1) sum_i (Y_hi - Ybar_h)^2`` over its strata,
    multiplied by the product of the sampling fractions ``n/N`` of the units above it (zero without
    a finite population correction, so then only stage 1 counts). Single-unit strata follow
    ``design.lonely_psu`` at stage 1 like R's ``survey.lonely.psu``: ``remove`` and ``certainty``
    contribute nothing, ``adjust`` centres the unit total at the grand mean of stage-1 unit totals
    (only for estimators with rows in that stratum: a domain absent from it gets nothing from it),
    ``average`` scales the stage-1 variance by strata / strata with more than one unit (both counted
    among strata with rows used; covariances by the geometric mean of the two factors). At later
    stages a single sampled unit in a cluster contributes nothing (R's ``average`` gives NaN there).

    References
    ----------
    .. [1] Lumley, T. R package ``survey``: ``svyrecvar``, ``multistage``, ``onestage`` (R/multistage.R)
       and ``arma_onestage`` (src/arma_multistage.cpp), survey 4.2 and later.
    .. [2] Särndal, C.-E., Swensson, B. and Wretman, J. (1992). Model Assisted Survey Sampling.
       Springer, sections 4.3 and 5.10 (multistage variance).
    .. [3] Binder, D. A. (1983). On the variances of asymptotically normal estimators from complex
       surveys. International Statistical Review 51, 279-292.
    """
    stages = design.stages
    per_stage = [totals]
    for s in range(len(stages) - 1, 0, -1):
        per_stage.insert(0, rowsum(per_stage[0], stages[s].stratum_of_unit, stages[s - 1].n_units))
    k = totals.shape[1]
    first = stages[0]
    if present is None:
        strata_present = np.ones((first.n_strata, k), dtype=bool)
    else:
        used = present.astype(np.float64)
        for s in range(len(stages) - 1, 0, -1):
            used = rowsum(used, stages[s].stratum_of_unit, stages[s - 1].n_units)
        strata_present = rowsum(used, first.stratum_of_unit, first.n_strata) > 0
    variance = np.zeros((k, k))
    factor = np.ones(first.n_strata)
    for s, stage in enumerate(stages):
        variance += _stage_variance(per_stage[s], stage, design.lonely_psu, factor,
                                    strata_present if s == 0 else None)
        if s + 1 < len(stages):
            f = np.where(np.isfinite(stage.pop_size), stage.n_sampled / stage.pop_size, 0.0)
            factor = (factor * f)[stage.stratum_of_unit]
    return variance


def _stage_variance(totals: np.ndarray, stage: Stage, lonely_psu: str, factor: np.ndarray,
                    strata_present: np.ndarray | None) -> np.ndarray:
    """One stage's contribution; ``strata_present`` (strata, k) is given for stage 1 only."""
    g = stage.stratum_of_unit
    n_h = stage.n_sampled
    f = np.where(np.isfinite(stage.pop_size), n_h / stage.pop_size, 0.0)
    centred = totals - (rowsum(totals, g, stage.n_strata) / n_h[:, None])[g]
    scale = (1.0 - f) * np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 1.0)
    lonely = stage.lonely
    any_lonely = bool(lonely.any())
    if any_lonely:
        if lonely_psu == "fail":
            raise DesignError("a stratum has only one sampling unit at stage "
                              f"{'1' if strata_present is not None else '> 1'}")
        if strata_present is not None and lonely_psu == "adjust":
            rows = lonely[g]
            grand = totals.sum(axis=0) / (n_h @ strata_present)
            # an estimator without rows in the lonely stratum (a domain absent there) gets nothing from
            # it, as R's svyby, which computes the domain on its subset of rows, where the stratum is gone
            centred[rows] = np.where(strata_present[g[rows]], totals[rows] - grand, 0.0)
        else:
            scale = np.where(lonely, 0.0, scale)
    weights = (scale * factor)[g]
    variance = (centred * weights[:, None]).T @ centred
    if strata_present is not None and any_lonely and lonely_psu == "average":
        n_present = strata_present.sum(axis=0)
        n_ok = n_present - (lonely[:, None] & strata_present).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            root = np.sqrt(np.where(n_ok > 0, n_present / n_ok, np.nan))
        variance = variance * np.outer(root, root)
    return variance


def linearized_variance(scores: np.ndarray, design: SurveyDesign, groups: np.ndarray | None = None,
                        n_groups: int = 1) -> np.ndarray:
    """Covariance matrix of estimators with the given linearized scores (R's ``svyrecvar``).

    Parameters
    ----------
    scores : (n,) or (n, k) influence-function values of the estimators, one row per design row
        (zero for rows outside a domain or with a missing value)
    design : the survey design
    groups, n_groups : the sparse domain form of :func:`unit_sums`

    Returns
    -------
    (k, k) covariance matrix (k = n_groups with ``groups``)

    References
    ----------
    .. [1] Lumley, T. R package ``survey``, ``svyrecvar`` (R/multistage.R).
    .. [2] Binder, D. A. (1983). International Statistical Review 51, 279-292.

    Examples
    --------
    >>> import pandas as pd, numpy as np
    >>> df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "w": [1.0, 1.0, 1.0, 1.0]})
    >>> design = SurveyDesign.from_frame(df, weights="w")
    >>> scores = (df.y.to_numpy() - 2.5) / 4  # a mean's influence function
    >>> bool(np.isclose(linearized_variance(scores, design)[0, 0], df.y.var() / 4))
    True
    """
    return variance_from_totals(unit_sums(np.asarray(scores, dtype=np.float64), design, groups, n_groups),
                                design)


def domain_degrees_of_freedom(design: SurveyDesign, present: np.ndarray) -> np.ndarray:
    """Degrees of freedom per column: PSUs with rows used minus their strata (R's ``degf``).

    ``present`` is (last-stage units, k): units with rows used by each estimate (e.g. unit sums of the
    weights > 0, since weights are positive).

    References
    ----------
    .. [1] Lumley, T. R package ``survey``, ``degf`` (design degrees of freedom: PSUs minus strata)
       and ``svyttest`` (degrees of freedom of the rows used).
    .. [2] Korn, E. L. and Graubard, B. I. (1998). Survey Methodology 24, 193-201 (design degrees of
       freedom in intervals for proportions).
    """
    stages = design.stages
    used = present.astype(np.float64)
    for s in range(len(stages) - 1, 0, -1):
        used = rowsum(used, stages[s].stratum_of_unit, stages[s - 1].n_units)
    psu_used = used > 0
    first = stages[0]
    strata_used = rowsum(psu_used.astype(np.float64), first.stratum_of_unit, first.n_strata) > 0
    return (psu_used.sum(axis=0) - strata_used.sum(axis=0)).astype(np.float64)
