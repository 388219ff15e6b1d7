"""Uniform split: each group spread evenly over its single years (the baseline)."""

from __future__ import annotations

import numpy as np

from gmrd.estimate.graduation.base import ArrayLike, GraduationResult, check_groups, single_year_result


def graduate_uniform(values: ArrayLike, age_starts: ArrayLike, age_widths: ArrayLike | None = None,
                     *, open_width: int | None = None) -> GraduationResult:
    """Spread each age group evenly over its single years.

    The simplest graduation and the baseline every other method must beat: it keeps every group
    total exactly and never gives negative counts, but puts steps at group boundaries.

    Parameters
    ----------
    values, age_starts, age_widths, open_width
        as in :mod:`gmrd.estimate.graduation.base`; any widths.

    Raises
    ------
    InputError
        when the general input checks fail (see ``check_groups``).

    References
    ----------
    .. [1] Riffe, T. et al. DemoTools (R package), ``graduate_uniform``.
    .. [2] Siegel, J.S. & Swanson, D.A. (2004) The Methods and Materials of Demography, 2nd ed.,
       Elsevier, chapter 7 (distribution of grouped data).

    Examples
    --------
    >>> graduate_uniform([10, 30], [0, 2], [2, 3]).values.tolist()
    [5.0, 5.0, 10.0, 10.0, 10.0]
    """
    groups = check_groups(values, age_starts, age_widths, open_width)
    single = np.repeat(groups.closed_values / groups.closed_widths, groups.closed_widths)
    return single_year_result("uniform", groups, single)
