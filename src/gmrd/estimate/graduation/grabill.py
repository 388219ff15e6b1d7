"""Grabill's smoothing split of 5-year groups, blended into Sprague at both ends (as DemoTools)."""

from __future__ import annotations

import numpy as np

from gmrd.estimate.graduation.base import ArrayLike, GraduationResult, single_year_result
from gmrd.estimate.graduation.sprague import (
    SPRAGUE_FIRST,
    SPRAGUE_MIDDLE,
    check_five_year,
    keep_infant_count,
    panel_matrix,
)

# Grabill's multipliers (a smoothing variant of Sprague's), Shryock & Siegel (1973), table of
# osculatory multipliers; rows: the five single years of the central group, columns: five groups.
GRABILL_MIDDLE = np.array([
    [0.0111, 0.0816, 0.0826, 0.0256, -0.0009],
    [0.0049, 0.0673, 0.0903, 0.0377, -0.0002],
    [0.0015, 0.0519, 0.0932, 0.0519, 0.0015],
    [-0.0002, 0.0377, 0.0903, 0.0673, 0.0049],
    [-0.0009, 0.0256, 0.0826, 0.0816, 0.0111],
])


def _grabill_matrix(n_groups: int) -> np.ndarray:
    """Grabill's middle panel everywhere, truncated at the first and last two groups."""
    first = np.zeros((10, 5))
    first[:5, :3] = GRABILL_MIDDLE[:, 2:]
    first[5:, :4] = GRABILL_MIDDLE[:, 1:]
    out = panel_matrix(first, GRABILL_MIDDLE, n_groups)
    last = np.zeros((10, 5))
    last[:5, 1:] = GRABILL_MIDDLE[:, :4]
    last[5:, 2:] = GRABILL_MIDDLE[:, :3]
    out[5 * n_groups - 10:, n_groups - 5:] = last
    return out


def graduate_grabill(values: ArrayLike, age_starts: ArrayLike, age_widths: ArrayLike | None = None,
                     *, open_width: int | None = None, keep_infant: bool = False) -> GraduationResult:
    """Split 5-year groups with Grabill's smoothing multipliers, blended into Sprague at the ends.

    Grabill's formula smooths (it does not reproduce each 5-year total). As in DemoTools, the
    first and last ten single years are blended into the Sprague split with weights
    exp(k) / exp(10.1), k = 1..10 (Grabill's weight rising away from the edges), and the
    difference between the Sprague and blended grand totals is spread in proportion to the
    Grabill-weighted counts, so only the grand total is kept.

    Parameters
    ----------
    values, age_starts, age_widths, open_width, keep_infant
        as :func:`graduate_sprague` (5-year groups; abridged start merged; open group kept).

    Raises
    ------
    InputError
        as :func:`graduate_sprague`.

    References
    ----------
    .. [1] Grabill, W.H., quoted in Shryock, H.S. & Siegel, J.S. (1973) The Methods and Materials
       of Demography, US Bureau of the Census, osculatory interpolation multipliers.
    .. [2] Riffe, T. et al. DemoTools (R package), ``graduate_grabill`` (the blending rule).

    Examples
    --------
    >>> out = graduate_grabill([100, 110, 120, 115, 105, 90, 40], [0, 5, 10, 15, 20, 25, 30])
    >>> bool(abs(out.values.sum() - 680) < 1e-9)
    True
    """
    five = check_five_year("grabill", values, age_starts, age_widths, open_width)
    n = len(five.values)
    sprague = panel_matrix(SPRAGUE_FIRST, SPRAGUE_MIDDLE, n) @ five.values
    grabill = _grabill_matrix(n) @ five.values
    rising = np.exp(np.arange(1, 11)) / np.exp(10.1)
    weights = np.ones(5 * n)
    weights[:10], weights[-10:] = rising, rising[::-1]
    blended = weights * grabill + (1 - weights) * sprague
    weighted = blended * weights
    blended = blended + weighted / weighted.sum() * (sprague.sum() - blended.sum())
    if keep_infant:
        blended = keep_infant_count(blended, five)
    return single_year_result("grabill", five.groups, blended)
