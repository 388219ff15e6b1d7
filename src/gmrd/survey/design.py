"""A complex survey design: weights, strata, (multistage) clusters and finite population corrections.

``SurveyDesign.from_frame`` plays the part of R's ``svydesign(ids, strata, weights, fpc, data, nest)``:
it validates the specification once and stores, for every sampling stage, integer codes that the
estimators reduce with ``np.bincount`` (scores → unit totals → per-stratum variance; see
``gmrd.survey.variance``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from gmrd.errors import DesignError

LonelyPsu = Literal["fail", "remove", "adjust", "certainty", "average"]
LONELY_PSU_CHOICES: tuple[str, ...] = ("fail", "remove", "adjust", "certainty", "average")


class SurveyWarning(UserWarning):
    """A design property the user should know about (single-PSU strata handled, equal weights assumed)."""


@dataclass(frozen=True)
class Stage:
    """Codes of one sampling stage.

    ``unit`` gives each row's sampling unit at this stage (0..n_units-1); ``stratum_of_unit`` gives each
    unit's stratum at this stage (stage 1: the design strata; later stages: the parent unit, as R's
    ``svydesign`` nests sub-strata in clusters). ``n_sampled`` and ``pop_size`` are per stratum (the
    latter ``inf`` without a finite population correction).
    """

    unit: np.ndarray
    n_units: int
    stratum_of_unit: np.ndarray
    n_sampled: np.ndarray
    pop_size: np.ndarray

    @property
    def n_strata(self) -> int:
        return int(self.n_sampled.shape[0])

    @property
    def lonely(self) -> np.ndarray:
        """Strata with one sampled unit that were not sampled with certainty (population size > 1)."""
        return (self.n_sampled == 1) & (self.pop_size > 1)


@dataclass(frozen=True)
class SurveyDesign:
    """A validated survey design over a data frame (build it with :meth:`from_frame`).

    Attributes
    ----------
    data : the frame (rows are never dropped; domains and missing values get zero weight)
    weights : sampling weights, all > 0
    stages : one :class:`Stage` per sampling stage, stage 1 first; stages after the first are kept
        only when a finite population correction is given (otherwise they do not enter the variance)
    lonely_psu : handling of strata with a single PSU, as R's ``options(survey.lonely.psu=)``
    strata_labels : label of each stage-1 stratum (for messages)
    """

    data: pd.DataFrame
    weights: np.ndarray
    stages: tuple[Stage, ...]
    lonely_psu: LonelyPsu = "fail"
    strata_labels: tuple[object, ...] = ()
    spec: dict[str, object] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return int(self.weights.shape[0])

    @property
    def psu(self) -> np.ndarray:
        """Stage-1 unit (PSU) code of each row."""
        return self.stages[0].unit

    @property
    def stratum(self) -> np.ndarray:
        """Stage-1 stratum code of each row."""
        first = self.stages[0]
        return first.stratum_of_unit[first.unit]

    @property
    def degrees_of_freedom(self) -> int:
        """Design degrees of freedom: PSUs minus strata (R's ``degf``)."""
        first = self.stages[0]
        return first.n_units - first.n_strata

    def column(self, name: str) -> pd.Series:
        """A column of the data, with a clear error naming the field when it does not exist."""
        if name not in self.data.columns:
            raise DesignError(f"field '{name}': no such column (columns: {_columns_hint(self.data)})")
        return self.data[name]

    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        *,
        weights: str | None = None,
        strata: str | None = None,
        clusters: Sequence[str] = (),
        fpc: Sequence[str] = (),
        lonely_psu: LonelyPsu = "fail",
        nest: bool = False,
    ) -> SurveyDesign:
        """Validate a design specification once and return the frozen design.

        Parameters
        ----------
        df : the survey data, one row per observation
        weights : column of sampling weights (> 0). Without it, weights come from ``fpc`` as
            R does (product over stages of population / sample size), or are all 1 with a warning.
        strata : column of stage-1 strata (None: one stratum)
        clusters : columns of cluster identifiers, stage 1 (PSU) first; empty: each row is a PSU
        fpc : finite population corrections, one column per stage (``len(clusters)`` or 1 when there
            are no clusters): population sizes (all ≥ 1) or sampling fractions (all ≤ 1), constant
            within each stratum, as R's ``svydesign(fpc=)``
        lonely_psu : strata with one PSU: ``"fail"`` (error), ``"remove"``/``"certainty"`` (no variance
            contribution), ``"adjust"`` (centred at the grand mean of PSU totals), ``"average"``
            (variance scaled up by strata / strata with more than one PSU)
        nest : PSU identifiers are only unique within strata (R's ``nest=TRUE``)

        Returns
        -------
        SurveyDesign

        Raises
        ------
        DesignError
            Missing or unknown design columns, missing values in them, weights ≤ 0, clusters not nested
            in strata (without ``nest``), inconsistent fpc, or a single-PSU stratum with ``"fail"``.

        Notes
        -----
        Sub-clusters are always nested in clusters (stage-s units are the combination of stage 1..s
        identifiers) and stage-s strata (s ≥ 2) are the stage-(s-1) units, exactly as ``svydesign``.

        References
        ----------
        .. [1] Lumley, T. (2004). Analysis of complex survey samples. Journal of Statistical Software
           9(8), 1-19. R package ``survey``, function ``svydesign``.
        .. [2] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, ch. 2-3.
        """
        if lonely_psu not in LONELY_PSU_CHOICES:
            raise DesignError(f"lonely_psu must be one of {', '.join(LONELY_PSU_CHOICES)}, not {lonely_psu!r}")
        clusters = list(clusters)
        fpc = list(fpc)
        n = len(df)
        if n == 0:
            raise DesignError("the survey data has no rows")
        for name in [weights, strata, *clusters, *fpc]:
            if name is not None and name not in df.columns:
                raise DesignError(f"field '{name}': design column not found (columns: {_columns_hint(df)})")
        n_stages = max(1, len(clusters))
        if fpc and len(fpc) != n_stages:
            raise DesignError(f"give one fpc column per sampling stage ({n_stages}), not {len(fpc)}")

        stratum_codes, labels = (_codes(df, strata) if strata is not None
                                 else (np.zeros(n, dtype=np.int64), ("(all)",)))
        if clusters:
            ids = [(codes, len(names)) for codes, names in (_codes(df, c) for c in clusters)]
        else:
            ids = [(np.arange(n, dtype=np.int64), n)]
        if ids[0][1] == 1 and not (nest and strata is not None):
            raise DesignError("the design has only one primary sampling unit")

        # stage-s units: combination of identifiers of stages 1..s (and the stratum with nest=True)
        units: list[tuple[np.ndarray, int]] = []
        prefix = (stratum_codes, len(labels)) if (nest and strata is not None) else None
        for code, count in ids:
            prefix = (code, count) if prefix is None else _combine(prefix, code)
            units.append(prefix)

        pops = _fpc_matrix(df, fpc, n_stages) if fpc else None
        stage_strata = [(stratum_codes, len(labels))] + units[:-1]
        stages: list[Stage] = []
        pop_rows: list[np.ndarray] = []
        samp_rows: list[np.ndarray] = []
        for s in range(n_stages if fpc else 1):
            unit, n_units = units[s]
            row_strata, n_strata = stage_strata[s]
            stratum_of_unit = np.zeros(n_units, dtype=np.int64)
            stratum_of_unit[unit] = row_strata
            if s == 0 and not nest and strata is not None:
                _check_nested(stratum_of_unit, unit, stratum_codes, labels, clusters[0] if clusters else "row")
            n_sampled = np.bincount(stratum_of_unit, minlength=n_strata).astype(np.float64)
            if pops is None:
                pop = np.full(n_strata, np.inf)
            else:
                pop = _stratum_constant(pops[s], row_strata, n_strata, n_sampled, s, labels)
            stages.append(Stage(unit, n_units, stratum_of_unit, n_sampled, pop))
            if weights is None and pops is not None:
                pop_rows.append(pop[row_strata])
                samp_rows.append(n_sampled[row_strata])

        w = _weights(df, weights, pop_rows if pops is not None else None, samp_rows)
        _check_lonely(stages, lonely_psu, labels)
        spec: dict[str, object] = {"weights": weights, "strata": strata, "clusters": clusters, "fpc": fpc,
                                   "nest": nest}
        return cls(df, w, tuple(stages), lonely_psu, tuple(labels), spec)


def _columns_hint(df: pd.DataFrame) -> str:
    names = [str(c) for c in df.columns]
    return ", ".join(names[:12]) + (", …" if len(names) > 12 else "")


def _first_missing(series: pd.Series) -> int | None:
    missing = np.flatnonzero(series.isna().to_numpy())
    return int(missing[0]) + 1 if missing.size else None


def _codes(df: pd.DataFrame, name: str) -> tuple[np.ndarray, tuple[object, ...]]:
    """Integer codes 0..k-1 of a design column (error on missing values), and the sorted labels."""
    series = df[name]
    row = None if pd.api.types.is_integer_dtype(series.dtype) else _first_missing(series)
    if row is not None:
        raise DesignError(f"field '{name}', row {row}: missing value in a design variable")
    codes, labels = level_codes(series)
    return codes, tuple(labels)


def level_codes(series: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes 0..k-1 of the sorted distinct values (missing → -1), and the values.

    Integer columns with a compact range are coded with ``np.bincount`` (no hashing), which keeps
    designs over millions of rows cheap to build.
    """
    values = series.to_numpy()
    if np.issubdtype(values.dtype, np.integer) and values.size:
        low, high = int(values.min()), int(values.max())
        if high - low < 4 * values.size + 16:
            shifted = values.astype(np.int64, copy=False) if low == 0 else values - np.int64(low)
            present = np.bincount(shifted, minlength=high - low + 1) > 0
            labels = (np.flatnonzero(present) + low).tolist()
            if present.all():  # already dense codes (plus an offset): no remapping needed
                return shifted, labels
            return (np.cumsum(present) - 1)[shifted], labels
    codes, uniques = pd.factorize(series, sort=True)
    return codes.astype(np.int64, copy=False), list(uniques.tolist())


def _combine(outer: tuple[np.ndarray, int], inner: np.ndarray) -> tuple[np.ndarray, int]:
    """Codes of the (outer, inner) combinations, and their number."""
    codes, labels = level_codes(pd.Series(outer[0] * (int(inner.max()) + 1) + inner))
    return codes, len(labels)


def _check_nested(stratum_of_unit: np.ndarray, psu: np.ndarray, stratum: np.ndarray,
                  labels: Sequence[object], name: str) -> None:
    """Every PSU in one stratum: the stratum recorded for its PSU equals each row's stratum."""
    if np.array_equal(stratum_of_unit[psu], stratum):
        return
    row = int(np.flatnonzero(stratum_of_unit[psu] != stratum)[0])
    raise DesignError(f"field '{name}', row {row + 1}: cluster appears in more than one stratum "
                      f"(stratum {labels[stratum[row]]!r}); PSU codes may be unique only within "
                      "strata: use nest=True (--nest)")


def _fpc_matrix(df: pd.DataFrame, fpc: Sequence[str], n_stages: int) -> list[np.ndarray]:
    columns = []
    for name in fpc:
        values = pd.to_numeric(df[name], errors="coerce")
        row = _first_missing(values)
        if row is not None:
            raise DesignError(f"field '{name}', row {row}: fpc must be a number")
        columns.append(values.to_numpy(dtype=np.float64))
    stacked = np.concatenate(columns)
    if np.any(stacked <= 0):
        raise DesignError("fpc must be > 0 (population sizes or sampling fractions)")
    is_pop = bool(np.any(stacked > 1))
    if is_pop and not np.all(stacked >= 1):
        raise DesignError("fpc must be all population sizes (≥ 1) or all sampling fractions (≤ 1)")
    return [(c if is_pop else -c) for c in columns]  # negative marks a sampling fraction


def _stratum_constant(values: np.ndarray, stratum: np.ndarray, n_strata: int, n_sampled: np.ndarray,
                      stage: int, labels: Sequence[object]) -> np.ndarray:
    """Per-stratum population size from a per-row fpc column (fraction f: population = n / f)."""
    first = np.full(n_strata, np.nan)
    first[stratum] = values
    varies = np.flatnonzero(first[stratum] != values)
    if varies.size:
        row = int(varies[0])
        where = f"stratum {labels[stratum[row]]!r}" if stage == 0 else "a cluster"
        raise DesignError(f"row {row + 1}: fpc varies within {where} at stage {stage + 1}")
    pop = np.where(first < 0, n_sampled / -first, first)
    too_small = np.flatnonzero(pop < n_sampled * (1 - 1e-12))
    if too_small.size:
        h = int(too_small[0])
        where = f"stratum {labels[h]!r}" if stage == 0 else "a cluster"
        raise DesignError(f"fpc implies more than 100% sampling in {where} at stage {stage + 1} "
                          f"(population {pop[h]:g}, sample {n_sampled[h]:g})")
    return pop


def _weights(df: pd.DataFrame, name: str | None, pop_rows: list[np.ndarray] | None,
             samp_rows: list[np.ndarray]) -> np.ndarray:
    if name is not None:
        values = pd.to_numeric(df[name], errors="coerce")
        w = values.to_numpy(dtype=np.float64, na_value=np.nan)
        if not w.min() > 0:  # also catches NaN
            row = _first_missing(values)
            if row is not None:
                raise DesignError(f"field '{name}', row {row}: weight is missing or not a number")
            bad = np.flatnonzero(~(w > 0))
            raise DesignError(f"field '{name}', row {int(bad[0]) + 1}: weight must be > 0, "
                              f"not {w[bad[0]]:g}")
        return w
    if pop_rows is not None:
        w = np.ones_like(pop_rows[0])
        for pop, samp in zip(pop_rows, samp_rows, strict=True):
            w = w * pop / samp
        return w
    warnings.warn("no weights or fpc given: assuming equal probability sampling", SurveyWarning,
                  stacklevel=3)
    return np.ones(len(df), dtype=np.float64)


def _check_lonely(stages: Sequence[Stage], lonely_psu: str, labels: Sequence[object]) -> None:
    for s, stage in enumerate(stages):
        lonely = np.flatnonzero(stage.lonely)
        if not lonely.size:
            continue
        where = f"stratum {labels[lonely[0]]!r}" if s == 0 else "a cluster"
        if lonely_psu == "fail":
            raise DesignError(f"{where} has only one sampling unit at stage {s + 1} "
                              f"({lonely.size} such); choose lonely_psu "
                              "remove, certainty, adjust or average")
        warnings.warn(f"{lonely.size} stratum(s) with one sampling unit at stage {s + 1} "
                      f"(first: {where}), handled by lonely_psu={lonely_psu!r}", SurveyWarning,
                      stacklevel=3)
