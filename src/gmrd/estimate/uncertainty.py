"""Intervals for every estimate from the spread of declared alternative choices.

The UN series has no published uncertainty. gmrd re-runs the pipeline with each declared
alternative (interpolation form, extrapolation rule, combination of sources at one date, graduation
method; :data:`gmrd.estimate.run.ALTERNATIVES`) and reports, for every country, aggregate, year,
sex and age, the lowest and highest value over the main run and its alternatives. This is a
*sensitivity interval* (the range of defensible methodological choices, in the spirit of
multiverse analysis), not a sampling confidence interval; aggregates take the range of the summed
alternatives, not the sum of ranges.

References
----------
.. [1] Steegen, S., Tuerlinckx, F., Gelman, A. and Vanpaemel, W. (2016). Increasing transparency
   through a multiverse analysis. Perspectives on Psychological Science 11(5), 702-712.
.. [2] Saltelli, A. et al. (2008). Global Sensitivity Analysis: The Primer. Wiley, ch. 1
   (one-at-a-time designs).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def sensitivity_interval(main: pd.DataFrame, alternatives: Sequence[pd.DataFrame],
                         keys: Sequence[str]) -> pd.DataFrame:
    """``main`` with ``lower``/``upper``: min and max of ``value`` over main and alternatives.

    Rows missing from an alternative count only the runs that have them.

    Examples
    --------
    >>> m = pd.DataFrame({"k": [1], "value": [10.0]})
    >>> out = sensitivity_interval(m, [m.assign(value=8.0), m.assign(value=13.0)], ["k"])
    >>> out[["lower", "upper"]].to_numpy().tolist()
    [[8.0, 13.0]]
    """
    keys = list(keys)
    stacked = np.column_stack([main["value"].to_numpy(float)] + [
        _aligned(main, alt, keys) for alt in alternatives])
    out = main.copy()
    out["lower"] = np.nanmin(stacked, axis=1)
    out["upper"] = np.nanmax(stacked, axis=1)
    return out


def _aligned(main: pd.DataFrame, alt: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """``alt``'s values in the row order of ``main`` (NaN where ``alt`` lacks the row)."""
    if len(alt) == len(main) and all(np.array_equal(main[k].to_numpy(), alt[k].to_numpy()) for k in keys):
        return alt["value"].to_numpy(float)
    return main[keys].merge(alt[[*keys, "value"]], on=keys, how="left")["value"].to_numpy(float)
