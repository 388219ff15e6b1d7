"""Sprague's osculatory interpolation of 5-year age groups, and the panel machinery it shares with Beers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmrd.errors import InputError
from gmrd.estimate.graduation.base import (
    AgeGroups,
    ArrayLike,
    FloatArray,
    GraduationResult,
    check_groups,
    single_year_result,
)

# Sprague fifth-difference multipliers for splitting 5-year groups into single years, as tabulated
# in Shryock & Siegel (1973/1976), The Methods and Materials of Demography, table of "Sprague
# multipliers" (also Siegel & Swanson 2004, Appendix C). Rows: single years of the group(s) being
# split; columns: the five 5-year groups used. FIRST covers the first two groups (10 rows), MIDDLE
# one interior group centred on column 3; the last panel is FIRST reversed in both directions.
SPRAGUE_FIRST = np.array([
    [0.3616, -0.2768, 0.1488, -0.0336, 0.0],
    [0.2640, -0.0960, 0.0400, -0.0080, 0.0],
    [0.1840, 0.0400, -0.0320, 0.0080, 0.0],
    [0.1200, 0.1360, -0.0720, 0.0160, 0.0],
    [0.0704, 0.1968, -0.0848, 0.0176, 0.0],
    [0.0336, 0.2272, -0.0752, 0.0144, 0.0],
    [0.0080, 0.2320, -0.0480, 0.0080, 0.0],
    [-0.0080, 0.2160, -0.0080, 0.0, 0.0],
    [-0.0160, 0.1840, 0.0400, -0.0080, 0.0],
    [-0.0176, 0.1408, 0.0912, -0.0144, 0.0],
])
SPRAGUE_MIDDLE = np.array([
    [-0.0128, 0.0848, 0.1504, -0.0240, 0.0016],
    [-0.0016, 0.0144, 0.2224, -0.0416, 0.0064],
    [0.0064, -0.0336, 0.2544, -0.0336, 0.0064],
    [0.0064, -0.0416, 0.2224, 0.0144, -0.0016],
    [0.0016, -0.0240, 0.1504, 0.0848, -0.0128],
])

MIN_GROUPS = 5


def panel_matrix(first: np.ndarray, middle: np.ndarray, n_groups: int) -> np.ndarray:
    """The (5 n_groups x n_groups) matrix that splits n_groups closed 5-year groups into single years.

    First panel for the first two groups, the middle panel for every interior group (using it and
    two groups on each side), the reversed first panel for the last two groups.

    References
    ----------
    .. [1] Shryock, H.S. & Siegel, J.S. (1973) The Methods and Materials of Demography, US Bureau
       of the Census, Washington (first, middle and last panels of the interpolation multipliers).
    """
    if n_groups < MIN_GROUPS:
        raise ValueError("panel_matrix needs at least five groups")
    out = np.zeros((5 * n_groups, n_groups))
    out[:10, :5] = first
    for i in range(2, n_groups - 2):
        out[5 * i:5 * i + 5, i - 2:i + 3] = middle
    out[5 * n_groups - 10:, n_groups - 5:] = first[::-1, ::-1]
    return out


@dataclass(frozen=True)
class FiveYearInput:
    """Closed 5-year groups ready for a multiplier matrix; ``infant`` is age 0 when given apart."""

    groups: AgeGroups
    values: FloatArray
    infant: float | None


def check_five_year(method: str, values: ArrayLike, age_starts: ArrayLike, age_widths: ArrayLike | None,
                    open_width: int | None) -> FiveYearInput:
    """Validate input for a 5-year multiplier method (Sprague, Beers).

    Closed groups must be 5 years wide, except that an abridged start (0, 1-4) is merged into 0-4
    (its infant count is kept for Johnson's adjustment). At least five closed 5-year groups are
    needed. An open last group stays open unless ``open_width`` is 5.
    """
    if open_width is not None and open_width != 5:
        raise InputError(f"{method} splits 5-year groups: open_width must be 5 or omitted, not {open_width} "
                         "(use method mono or pclm to spread an open group over a wider range)",
                         field="age_width")
    groups = check_groups(values, age_starts, age_widths, open_width)
    vals, starts, widths = groups.closed_values, groups.closed_starts, groups.closed_widths
    infant = None
    if len(widths) >= 2 and widths[0] == 1 and widths[1] == 4:
        infant = float(vals[0])
        vals = np.concatenate([[vals[0] + vals[1]], vals[2:]])
        starts, widths = starts[1:], np.concatenate([[5], widths[2:]])
    bad = np.flatnonzero(widths != 5)
    if bad.size:
        a = int(starts[bad[0]])
        raise InputError(f"{method} needs 5-year age groups, but group {a}-{a + int(widths[bad[0]]) - 1} is "
                         f"{int(widths[bad[0]])} years wide (use method mono or pclm for irregular widths)",
                         field="age_width")
    if len(vals) < MIN_GROUPS:
        raise InputError(f"{method} needs at least {MIN_GROUPS} closed 5-year groups, got {len(vals)}",
                         field="age_start")
    return FiveYearInput(groups=groups, values=np.asarray(vals, dtype=float), infant=infant)


def keep_infant_count(single: FloatArray, five: FiveYearInput) -> FloatArray:
    """Put the observed age-0 count back and rescale ages 1-4 to the rest of 0-4 (DemoTools keep0).

    Needs a split starting at age 0 of input given as 0 and 1-4; may leave a step between ages
    4 and 5.

    References
    ----------
    .. [1] Riffe, T. et al. DemoTools (R package), ``graduate_sprague(keep0 = TRUE)``.
    """
    if five.infant is None or five.groups.starts[0] != 0:
        raise InputError("keep_infant needs the ages 0 and 1-4 as separate groups", field="age_width")
    out = single.copy()
    rest = float(five.values[0]) - five.infant
    ones_to_four = single[1:5].sum()
    out[1:5] = single[1:5] * rest / ones_to_four if ones_to_four > 0 else rest / 4
    out[0] = five.infant
    return out


def graduate_sprague(values: ArrayLike, age_starts: ArrayLike, age_widths: ArrayLike | None = None,
                     *, open_width: int | None = None, keep_infant: bool = False) -> GraduationResult:
    """Split 5-year age groups into single years with Sprague's fifth-difference osculatory formula.

    Each single year is a fixed linear combination of five neighbouring 5-year groups (Sprague
    multipliers); the first two and last two groups use the end panels. The formula reproduces
    every 5-year total exactly (the multipliers of a panel sum to one over the group's five years)
    and is exact for polynomials up to degree four in the cumulative.

    Parameters
    ----------
    values, age_starts, age_widths, open_width
        as in :mod:`gmrd.estimate.graduation.base`. Closed groups must be 5 years wide; an
        abridged start (0, 1-4) is merged into 0-4 first. ``open_width`` may only be 5.
    keep_infant
        with an abridged start, keep the observed age-0 count and rescale ages 1-4 to the rest
        of the 1-4 group (DemoTools' ``keep0``).

    Returns
    -------
    GraduationResult
        single years from the first age to the end of the last closed group, then the open group
        unchanged (when open and ``open_width`` is None).

    Raises
    ------
    InputError
        when a closed group is not 5 years wide, fewer than five closed 5-year groups are given,
        or the general input checks fail (see ``check_groups``); ``keep_infant`` without
        separate ages 0 and 1-4.

    Notes
    -----
    The open group is not used to shape the last closed groups (as DemoTools' ``graduate_sprague``).
    Like every unconstrained osculatory formula, Sprague can give negative counts where counts
    fall steeply (oldest ages, small populations); check ``values.min()``.

    References
    ----------
    .. [1] Sprague, T.B. (1880) Explanation of a new formula for interpolation. Journal of the
       Institute of Actuaries 22: 270-285.
    .. [2] Shryock, H.S. & Siegel, J.S. (1973) The Methods and Materials of Demography, US Bureau
       of the Census, Washington; Siegel, J.S. & Swanson, D.A. (2004), 2nd ed., Appendix C.
    .. [3] Riffe, T. et al. DemoTools (R package), ``graduate_sprague``.

    Examples
    --------
    >>> out = graduate_sprague([100, 110, 120, 115, 105, 90, 40], [0, 5, 10, 15, 20, 25, 30])
    >>> bool(round(out.values.sum(), 6) == 680)
    True
    """
    five = check_five_year("sprague", values, age_starts, age_widths, open_width)
    single = panel_matrix(SPRAGUE_FIRST, SPRAGUE_MIDDLE, len(five.values)) @ five.values
    if keep_infant:
        single = keep_infant_count(single, five)
    return single_year_result("sprague", five.groups, single)
