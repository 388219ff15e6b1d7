"""Beers' ordinary and modified six-term formulas for 5-year groups, with Johnson's under-10 adjustment."""

from __future__ import annotations

from typing import Literal

import numpy as np

from gmrd.errors import InputError
from gmrd.estimate.graduation.base import ArrayLike, FloatArray, GraduationResult, single_year_result
from gmrd.estimate.graduation.sprague import check_five_year, keep_infant_count, panel_matrix

# Beers (1945) multipliers for subdividing 5-year groups into single years, as tabulated in
# Siegel & Swanson (2004), The Methods and Materials of Demography, 2nd ed., Appendix C (table
# C-3 "Beers ordinary", as in Johnson's BEERSP.XLS, and the "Beers modified" six-term formula,
# p. 729). Layout as in sprague.py: first panel (first two groups), middle panel; the last panel is
# the first reversed in both directions.
BEERS_ORDINARY_FIRST = np.array([
    [0.3333, -0.1636, -0.0210, 0.0796, -0.0283],
    [0.2595, -0.0780, 0.0130, 0.0100, -0.0045],
    [0.1924, 0.0064, 0.0184, -0.0256, 0.0084],
    [0.1329, 0.0844, 0.0054, -0.0356, 0.0129],
    [0.0819, 0.1508, -0.0158, -0.0284, 0.0115],
    [0.0404, 0.2000, -0.0344, -0.0128, 0.0068],
    [0.0093, 0.2268, -0.0402, 0.0028, 0.0013],
    [-0.0108, 0.2272, -0.0248, 0.0112, -0.0028],
    [-0.0198, 0.1992, 0.0172, 0.0072, -0.0038],
    [-0.0191, 0.1468, 0.0822, -0.0084, -0.0015],
])
BEERS_ORDINARY_MIDDLE = np.array([
    [-0.0117, 0.0804, 0.1570, -0.0284, 0.0027],
    [-0.0020, 0.0160, 0.2200, -0.0400, 0.0060],
    [0.0050, -0.0280, 0.2460, -0.0280, 0.0050],
    [0.0060, -0.0400, 0.2200, 0.0160, -0.0020],
    [0.0027, -0.0284, 0.1570, 0.0804, -0.0117],
])
BEERS_MODIFIED_FIRST = np.array([
    [0.3332, -0.1938, 0.0702, -0.0118, 0.0022],
    [0.2569, -0.0753, 0.0205, -0.0027, 0.0006],
    [0.1903, 0.0216, -0.0146, 0.0032, -0.0005],
    [0.1334, 0.0969, -0.0351, 0.0059, -0.0011],
    [0.0862, 0.1506, -0.0410, 0.0054, -0.0012],
    [0.0486, 0.1831, -0.0329, 0.0021, -0.0009],
    [0.0203, 0.1955, -0.0123, -0.0031, -0.0004],
    [0.0008, 0.1893, 0.0193, -0.0097, 0.0003],
    [-0.0108, 0.1677, 0.0577, -0.0153, 0.0007],
    [-0.0159, 0.1354, 0.0972, -0.0170, 0.0003],
])
BEERS_MODIFIED_MIDDLE = np.array([
    [-0.0160, 0.0973, 0.1321, -0.0121, -0.0013],
    [-0.0129, 0.0590, 0.1564, 0.0018, -0.0043],
    [-0.0085, 0.0260, 0.1650, 0.0260, -0.0085],
    [-0.0043, 0.0018, 0.1564, 0.0590, -0.0129],
    [-0.0013, -0.0121, 0.1321, 0.0973, -0.0160],
])

# Johnson's (2016) DAPPS adjustment of ages 2-8 (US Census Bureau, BEERSP.XLS): rows give ages
# 2..8 as combinations of [age 1, ages 2-4, ages 5-8, age 9, age 10] from the ordinary split.
JOHNSON_UNDER_10 = np.array([
    [0.2333, 0.3445, -0.1222, 0.3778, -0.1556],
    [-0.0875, 0.3847, -0.0236, 0.0389, -0.0111],
    [-0.1458, 0.2708, 0.1458, -0.4167, 0.1667],
    [-0.0833, 0.1151, 0.2817, -0.6111, 0.2222],
    [0.0000, -0.0080, 0.3254, -0.3889, 0.1111],
    [0.0458, -0.0613, 0.2637, 0.1833, -0.1000],
    [0.0375, -0.0458, 0.1292, 0.8167, -0.2333],
])


def johnson_adjust(single: FloatArray, age0: float, total_0_4: float) -> FloatArray:
    """Replace ages 0 and 2-8 of a Beers split (starting at age 0) by Johnson's adjustment.

    Age 0 becomes the observed infant count; ages 2-8 are recomputed from age 1, the remainder of
    0-4, ages 5-8, 9 and 10 so that the groups 0-4 and 5-9 keep their totals and join ages 10+
    smoothly.

    References
    ----------
    .. [1] Johnson, P. (2016) BEERSP.XLS, Demographic Analysis & Population Projection System
       (DAPPS), US Census Bureau. As in DemoTools ``graduate_beers(johnson = TRUE)``.
    """
    out = single.copy()
    basis = np.array([single[1], total_0_4 - (age0 + single[1]), single[5:9].sum(), single[9], single[10]])
    out[0] = age0
    out[2:9] = JOHNSON_UNDER_10 @ basis
    return out


def graduate_beers(values: ArrayLike, age_starts: ArrayLike, age_widths: ArrayLike | None = None,
                   *, open_width: int | None = None, variant: Literal["ordinary", "modified"] = "ordinary",
                   johnson: bool = False, keep_infant: bool = False) -> GraduationResult:
    """Split 5-year age groups into single years with Beers' six-term formulas.

    ``variant="ordinary"`` (Beers' minimised fifth-difference interpolation) reproduces every
    5-year total; ``variant="modified"`` also smooths (a blend of interpolation and fitting), so
    it keeps only the grand total, not each 5-year group.

    Parameters
    ----------
    values, age_starts, age_widths, open_width
        as in :mod:`gmrd.estimate.graduation.base`. Closed groups must be 5 years wide; an
        abridged start (0, 1-4) is merged into 0-4 first. ``open_width`` may only be 5.
    variant
        ``"ordinary"`` or ``"modified"``.
    johnson
        apply Johnson's (2016) DAPPS adjustment of ages under 10: keeps the observed age-0 count
        and re-splits ages 2-8 smoothly. Needs the input to start with ages 0 and 1-4.
    keep_infant
        keep the observed age-0 count and rescale ages 1-4 (DemoTools' ``keep0``); implied by
        ``johnson``.

    Raises
    ------
    InputError
        as :func:`graduate_sprague`; also when ``johnson`` is set without separate ages 0 and 1-4.

    Notes
    -----
    The open group is kept apart (not used as a sixth term). Beers can give negative counts at
    steeply falling old ages.

    References
    ----------
    .. [1] Beers, H.S. (1945) Modified-interpolation formulas that minimize fourth differences.
       Record of the American Institute of Actuaries 34(1): 14-20.
    .. [2] Siegel, J.S. & Swanson, D.A. (2004) The Methods and Materials of Demography, 2nd ed.,
       Elsevier, p. 729 and Appendix C; Shryock & Siegel (1973).
    .. [3] Johnson, P. (2016) BEERSP.XLS, DAPPS, US Census Bureau.
    .. [4] Riffe, T. et al. DemoTools (R package), ``graduate_beers``.

    Examples
    --------
    >>> out = graduate_beers([100, 110, 120, 115, 105, 90, 40], [0, 5, 10, 15, 20, 25, 30])
    >>> bool(round(out.values.sum(), 6) == 680)
    True
    """
    if variant not in ("ordinary", "modified"):
        raise InputError(f"unknown Beers variant {variant!r}: use 'ordinary' or 'modified'")
    method = "beers" if variant == "ordinary" else "beers_mod"
    five = check_five_year(method, values, age_starts, age_widths, open_width)
    if variant == "ordinary":
        matrix = panel_matrix(BEERS_ORDINARY_FIRST, BEERS_ORDINARY_MIDDLE, len(five.values))
    else:
        matrix = panel_matrix(BEERS_MODIFIED_FIRST, BEERS_MODIFIED_MIDDLE, len(five.values))
    single = matrix @ five.values
    if johnson:
        if five.infant is None or five.groups.starts[0] != 0:
            raise InputError("Johnson's adjustment needs the ages 0 and 1-4 as separate groups",
                             field="age_width")
        single = johnson_adjust(single, five.infant, float(five.values[0]))
        method += "_johnson"
    elif keep_infant:
        single = keep_infant_count(single, five)
    return single_year_result(method, five.groups, single)
