"""EQ-5D profiles, level-sum scores and index values from value sets shipped as data.

Value sets are the tables of the R package eq5d (MIT licence; see ``survey/data/SOURCES.md``):
33 EQ-5D-3L time trade-off sets, 11 EQ-5D-3L VAS sets and 49 EQ-5D-5L valuation sets, one column
per value set, one row per model term. Names are ``<country>-3l-tto``, ``<country>-3l-vas`` and
``<country>-5l`` with lower-case ISO 3166-1 alpha-2 country codes (``uk`` for the United Kingdom,
``england-5l`` for England, ``eu-3l-vas`` for the European VAS set, ``wepp-5l``) and a suffix where
a country has several sets (``nl-3l-tto-2006``, ``jp-5l-ctto``, ``se-5l-2022``); :func:`value_sets`
lists them with their publications.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import StringIO

import numpy as np
import pandas as pd

from gmrd.errors import InputError

DIMENSIONS: tuple[str, ...] = ("MO", "SC", "UA", "PD", "AD")
"""Mobility, self-care, usual activities, pain/discomfort, anxiety/depression (profile order)."""

_PAIR_TERMS = [f"{a}{la}{b}{lb}" for i, a in enumerate(DIMENSIONS) for b in DIMENSIONS[i + 1:]
               for la in (2, 3) for lb in (2, 3)]
_PRODUCT_TERMS = [f"{a}{b}" for i, a in enumerate(DIMENSIONS) for b in DIMENSIONS[i + 1:]]
"""Level-product interactions (e.g. MOAD = (MO - 1)(AD - 1)), as in the Singapore 5L set."""


@dataclass(frozen=True)
class ValueSet:
    """One value set: its name, instrument, valuation method, coefficients and publication."""

    name: str
    instrument: str
    method: str
    country: str
    coefficients: dict[str, float]
    doi: str
    pubmed: str
    url: str

    @property
    def levels(self) -> int:
        """Number of response levels (3 or 5)."""
        return 5 if self.instrument == "EQ-5D-5L" else 3


def _read_data(name: str) -> str:
    return resources.files("gmrd.survey").joinpath("data", name).read_text(encoding="utf-8")


@cache
def _registry() -> dict[str, ValueSet]:
    index = pd.read_csv(StringIO(_read_data("eq5d_value_sets.csv")), dtype=str, keep_default_na=False)
    tables: dict[str, pd.DataFrame] = {}
    out: dict[str, ValueSet] = {}
    for row in index.itertuples(index=False):
        if row.table not in tables:
            tables[row.table] = pd.read_csv(StringIO(_read_data(row.table)), index_col=0)
        column = pd.to_numeric(tables[row.table][row.column], errors="coerce").dropna()
        out[row.name] = ValueSet(row.name, row.instrument, row.method, row.country,
                                 {str(k): float(v) for k, v in column.items()}, row.doi, row.pubmed, row.url)
    return out


@cache
def _fixed_states() -> dict[str, dict[str, float]]:
    """Published index values that replace the model's for logically implausible states."""
    table = pd.read_csv(StringIO(_read_data("eq5d_3l_tto_fixed_states.csv")), dtype={"profile": str})
    fixed: dict[str, dict[str, float]] = {}
    for row in table.itertuples(index=False):
        fixed.setdefault(str(row.value_set), {})[str(row.profile)] = float(row.index)
    return fixed


def value_sets() -> list[dict[str, str]]:
    """The available value sets: name, instrument, method, country, doi, pubmed, url.

    Examples
    --------
    >>> names = [v["name"] for v in value_sets()]
    >>> {"uk-3l-tto", "us-3l-tto", "england-5l"} <= set(names)
    True
    """
    return [{"name": v.name, "instrument": v.instrument, "method": v.method, "country": v.country,
             "doi": v.doi, "pubmed": v.pubmed, "url": v.url} for v in _registry().values()]


def get_value_set(name: str) -> ValueSet:
    """The value set called ``name`` (case-insensitive); InputError naming the choices otherwise."""
    registry = _registry()
    key = name.strip().lower()
    if key not in registry:
        raise InputError(f"unknown EQ-5D value set {name!r}; choose one of {', '.join(registry)}",
                         field="value_set")
    return registry[key]


def profile_array(profiles: Sequence[str] | np.ndarray | pd.Series, levels: int = 5) -> np.ndarray:
    """Profiles as an (n, 5) integer array, from "11223" strings or an (n, 5) array of levels 1..levels.

    Raises InputError naming the row (1 = first profile) for a profile that is not five digits
    within 1..levels.
    """
    if isinstance(profiles, np.ndarray) and profiles.ndim == 2:
        array = np.asarray(profiles)
        if array.shape[1] != 5:
            raise InputError(f"EQ-5D profiles need 5 columns, got {array.shape[1]}", field="profile")
        if not np.issubdtype(array.dtype, np.number) or not np.all(np.isfinite(array)) \
                or np.any(array != np.round(array)):
            raise InputError("EQ-5D levels must be whole numbers", field="profile")
        array = array.astype(int)
    else:
        texts = [str(p).strip() for p in (profiles.tolist() if hasattr(profiles, "tolist") else profiles)]
        for row, text in enumerate(texts):
            if len(text) != 5 or not text.isdigit():
                raise InputError(f"EQ-5D profile {text!r} is not five digits", row=row + 1, field="profile")
        array = np.array([[int(c) for c in t] for t in texts], dtype=int).reshape(len(texts), 5)
    bad = np.flatnonzero(((array < 1) | (array > levels)).any(axis=1))
    if bad.size:
        raise InputError(f"EQ-5D levels must be 1 to {levels}: {profile_string(array[bad[:1]])[0]}",
                         row=int(bad[0]) + 1, field="profile")
    return array


def profile_string(profiles: np.ndarray) -> list[str]:
    """Profiles as "11223" strings from an (n, 5) array of levels."""
    return ["".join(str(int(v)) for v in row) for row in np.atleast_2d(profiles)]


def level_sum(profiles: Sequence[str] | np.ndarray | pd.Series, levels: int = 5) -> np.ndarray:
    """Level-sum score: the sum of the five dimension levels (5 = full health).

    References
    ----------
    .. [1] Feng YS, Jiang R, Pickard AS, Kohlmann T (2022). Combining EQ-5D-5L items into a level
       summary score: demonstrating feasibility using non-parametric item response theory using an
       international dataset. Quality of Life Research 31:11-23. doi:10.1007/s11136-021-02922-1
    """
    return profile_array(profiles, levels).sum(axis=1)


def _terms(p: np.ndarray, coefficients: dict[str, float], levels: int) -> np.ndarray:
    """The model's terms for each profile, multiplied by their coefficients (n, k)."""
    n = p.shape[0]
    columns: list[np.ndarray] = [np.full(n, coefficients.get("FullHealth", coefficients.get("StartValue", 1.0)))]

    def add(term: str, value: np.ndarray) -> None:
        if term in coefficients:
            columns.append(np.where(value != 0, value * coefficients[term], np.nan))

    any_problem = (p > 1).any(axis=1).astype(float)
    add("AtLeastOne2Or3", any_problem)
    add("Intercept", any_problem)
    add("AtLeastOne3", (p == 3).any(axis=1).astype(float))
    for j, dim in enumerate(DIMENSIONS):
        for level in range(1, levels + 1):
            add(f"{dim}{level}", (p[:, j] == level).astype(float))
        add(f"{dim}45", (p[:, j] >= 4).astype(float))
    n2, n3, n45 = (p == 2).sum(axis=1), (p == 3).sum(axis=1), (p >= 4).sum(axis=1)
    any3 = n3 > 0
    add("D1", np.maximum((p > 1).sum(axis=1) - 1, 0).astype(float))
    add("I2", np.maximum(n2 - 1, 0).astype(float))
    add("I2square", np.maximum(n2 - 1, 0).astype(float) ** 2)
    add("I3", np.maximum(n3 - 1, 0).astype(float))
    add("I3square", np.maximum(n3 - 1, 0).astype(float) ** 2)
    only = [set(map(int, np.unique(row))) for row in p]
    add("O2", np.array([s in ({1, 2}, {2}) for s in only], dtype=float))
    add("O3", np.array([s in ({1, 3}, {3}) for s in only], dtype=float))
    add("C2square", n2.astype(float) ** 2)
    add("C3square", n3.astype(float) ** 2)
    add("X5", (p >= 2).all(axis=1).astype(float))
    add("Z2", ((n2 > 0) & any3).astype(float))
    add("Z3", np.where(any3, n2, 0).astype(float))
    add("Num45sq", np.where(n45 > 0, (n45 - 1) ** 2, 0).astype(float))
    add("N4", (p >= 4).any(axis=1).astype(float))
    add("N5", (p == 5).any(axis=1).astype(float))
    for term in _PAIR_TERMS:
        a, la, b, lb = term[:2], int(term[2]), term[3:5], int(term[5])
        add(term, ((p[:, DIMENSIONS.index(a)] == la) & (p[:, DIMENSIONS.index(b)] == lb)).astype(float))
    for term in _PRODUCT_TERMS:
        first, second = DIMENSIONS.index(term[:2]), DIMENSIONS.index(term[2:])
        add(term, ((p[:, first] - 1) * (p[:, second] - 1)).astype(float))
    return np.column_stack(columns)


def eq5d_index(profiles: Sequence[str] | np.ndarray | pd.Series, value_set: str) -> np.ndarray:
    """EQ-5D index values of profiles under a value set, rounded to 3 decimals.

    The index is the start value (1 = full health) plus every term of the value set's model that
    applies to the profile: a constant when any dimension is above level 1, N3 when any is at
    level 3, one decrement per dimension level, and where the set has them the ordinal terms
    D1, I2, I2², I3, I3², O2, O3, C2², C3², X5, Z2, Z3, pairwise interactions (3L), the level 4-5
    terms, Num45sq, N4 and N5 (5L). The German VAS set is multiplicative (product of the applicable
    terms). The Australian 3L TTO set gives published values for its implausible states.

    Parameters
    ----------
    profiles : sequence of str or ndarray
        "11223"-style strings, or an (n, 5) integer array of levels in dimension order
        MO, SC, UA, PD, AD.
    value_set : str
        A name from :func:`value_sets`, e.g. ``"uk-3l-tto"``, ``"us-3l-tto"``, ``"england-5l"``.

    Returns
    -------
    ndarray
        One index value per profile, rounded half to even at the third decimal as published.

    Raises
    ------
    InputError
        Unknown value set, or a profile with levels outside the instrument's range.

    References
    ----------
    .. [1] Dolan P (1997). Modeling valuations for EuroQol health states. Medical Care
       35(11):1095-1108. doi:10.1097/00005650-199711000-00002
    .. [2] Shaw JW, Johnson JA, Coons SJ (2005). US valuation of the EQ-5D health states:
       development and testing of the D1 valuation model. Medical Care 43(3):203-220.
       doi:10.1097/00005650-200503000-00003
    .. [3] Devlin NJ, Shah KK, Feng Y, Mulhern B, van Hout B (2018). Valuing health-related quality
       of life: an EQ-5D-5L value set for England. Health Economics 27(1):7-22. doi:10.1002/hec.3564
    .. [4] Morton F, Nijjar JS (2024). eq5d: Methods for Analysing 'EQ-5D' Data and Calculating
       'EQ-5D' Index Scores. R package. https://github.com/fragla/eq5d (value-set tables, MIT).
    .. [5] Viney R, Norman R, King MT, et al. (2011). Time trade-off derived EQ-5D weights for
       Australia. Value in Health 14(6):928-936. doi:10.1016/j.jval.2011.04.009

    Examples
    --------
    >>> eq5d_index(["11111", "33333"], "uk-3l-tto").tolist()
    [1.0, -0.594]
    """
    vs = get_value_set(value_set)
    p = profile_array(profiles, vs.levels)
    if p.shape[0] == 0:
        return np.zeros(0)
    terms = _terms(p, vs.coefficients, vs.levels)
    if vs.name == "de-3l-vas":
        raw = [math.prod(float(v) for v in row if not math.isnan(v)) for row in terms]
    else:
        raw = [math.fsum(float(v) for v in row if not math.isnan(v)) for row in terms]
    index = np.array([round(v, 3) for v in raw])
    fixed = _fixed_states().get(vs.name)
    if fixed:
        for i, text in enumerate(profile_string(p)):
            if text in fixed:
                index[i] = fixed[text]
    return index
