"""Age graduation: split grouped counts into single years (DemoTools-style family of functions).

``graduate(values, age_starts, age_widths, method)`` dispatches to ``graduate_sprague``,
``graduate_beers`` (ordinary; ``beers_mod`` the modified formula), ``graduate_grabill``,
``graduate_mono``,
``graduate_pclm`` and ``graduate_uniform``; all take the same argument names (see
:mod:`gmrd.estimate.graduation.base`). Sprague and Beers need 5-year groups; mono, pclm and
uniform take any widths (wide census groups such as 0-14, 15-24, 25-64, 65+).
:mod:`~gmrd.estimate.graduation.groupings` draws census groupings and
:mod:`~gmrd.estimate.graduation.evaluate` scores methods on them against real data.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Literal, get_args

from gmrd.errors import InputError
from gmrd.estimate.graduation.base import ArrayLike, GraduationResult, check_groups
from gmrd.estimate.graduation.beers import graduate_beers
from gmrd.estimate.graduation.grabill import graduate_grabill
from gmrd.estimate.graduation.mono import graduate_mono
from gmrd.estimate.graduation.pclm import graduate_pclm
from gmrd.estimate.graduation.regroup import (
    CHILD_COHORTS,
    Cohort,
    parse_cohort,
    regroup,
    regroup_result,
    to_five_year,
)
from gmrd.estimate.graduation.sprague import graduate_sprague
from gmrd.estimate.graduation.uniform import graduate_uniform

Method = Literal["sprague", "beers", "beers_mod", "grabill", "mono", "pclm", "uniform"]
METHODS: tuple[str, ...] = get_args(Method)

_FUNCTIONS: dict[str, Callable[..., GraduationResult]] = {
    "sprague": graduate_sprague, "beers": graduate_beers, "beers_mod": graduate_beers,
    "grabill": graduate_grabill,
    "mono": graduate_mono, "pclm": graduate_pclm, "uniform": graduate_uniform,
}


def graduate(values: ArrayLike, age_starts: ArrayLike, age_widths: ArrayLike | None, method: Method,
             *, open_width: int | None = None, **options: Any) -> GraduationResult:
    """Split grouped counts into single years of age with the named method.

    Parameters
    ----------
    values, age_starts, age_widths, open_width
        as in :mod:`gmrd.estimate.graduation.base` (same names in every method).
    method
        ``"sprague"``, ``"beers"`` (ordinary), ``"beers_mod"`` (modified), ``"grabill"``, ``"mono"``,
        ``"pclm"`` or ``"uniform"``.
    **options
        method-specific keywords: ``keep_infant`` (sprague, beers, beers_mod, grabill),
        ``johnson`` (beers, beers_mod); ``lambda_``, ``closing_age``,
        ``lambda_bounds``, ``criterion``, ``kr``, ``degree``, ``difference``, ``max_iter``,
        ``tol`` (pclm).

    Raises
    ------
    InputError
        for an unknown method or option, or when the method's preconditions fail (e.g. Sprague
        or Beers given groups that are not 5 years wide).

    References
    ----------
    .. [1] Riffe, T. et al. DemoTools: Tools for aggregate demographic analysis (R package),
       ``graduate()``; see each method for its own sources.

    Examples
    --------
    >>> out = graduate([272904, 195606, 422127, 447288, 401761], [0, 15, 25, 45, 65], None, "mono")
    >>> bool(round(out.values.sum()) == 272904 + 195606 + 422127 + 447288 + 401761)
    True
    """
    if method not in _FUNCTIONS:
        raise InputError(f"unknown graduation method {method!r}: use one of {', '.join(METHODS)}",
                         field="method")
    function = _FUNCTIONS[method]
    allowed = {name for name, p in inspect.signature(function).parameters.items()
               if p.kind is inspect.Parameter.KEYWORD_ONLY} - {"open_width", "variant"}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise InputError(f"option(s) {', '.join(unknown)} do not apply to method {method} "
                         f"(allowed: {', '.join(sorted(allowed)) or 'none'})")
    if method == "beers_mod":
        options["variant"] = "modified"
    return function(values, age_starts, age_widths, open_width=open_width, **options)


__all__ = [
    "CHILD_COHORTS", "METHODS", "Cohort", "GraduationResult", "Method", "check_groups", "graduate",
    "graduate_beers", "graduate_grabill", "graduate_mono", "graduate_pclm", "graduate_sprague",
    "graduate_uniform",
    "parse_cohort", "regroup", "regroup_result", "to_five_year",
]
