"""What every graduation method shares: the age-group input check and the result type.

Arguments have the same names in every function of the family (as DemoTools' ``Value, Age,
AgeInt, OAG``):

values
    counts in age groups, non-negative, youngest first.
age_starts
    integer lower bounds of the groups in years.
age_widths
    integer widths in years; ``None``/NaN for an open last group (e.g. 75+). When the argument
    itself is ``None`` widths are taken from the differences of ``age_starts`` and the last group
    is open.
open_width
    what to do with an open last group: ``None`` keeps it as one open group in the output; an
    integer closes it at ``age_start + open_width`` and distributes it over single years.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gmrd.errors import InputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ArrayLike = Sequence[float | None] | npt.NDArray[np.float64] | npt.NDArray[np.int64]


@dataclass(frozen=True)
class AgeGroups:
    """Validated grouped input: contiguous integer groups, the last possibly open."""

    values: FloatArray
    starts: IntArray
    widths: IntArray  # the open group's width is 0 here; see ``open``
    open: bool

    @property
    def closed_values(self) -> FloatArray:
        return self.values[:-1] if self.open else self.values

    @property
    def closed_starts(self) -> IntArray:
        return self.starts[:-1] if self.open else self.starts

    @property
    def closed_widths(self) -> IntArray:
        return self.widths[:-1] if self.open else self.widths

    @property
    def end(self) -> int:
        """Upper bound of the last closed group."""
        return int(self.closed_starts[-1] + self.closed_widths[-1])


@dataclass(frozen=True)
class GraduationResult:
    """Graduated counts by single year of age (the last group may stay open).

    ``age_widths`` is 1 for single years and NaN for an open last group.
    """

    method: str
    age_starts: IntArray
    age_widths: FloatArray
    values: FloatArray

    @property
    def open(self) -> bool:
        return bool(len(self.age_widths) and np.isnan(self.age_widths[-1]))

    def rows(self) -> list[dict[str, float | int | None]]:
        """One dict per age group: ``age_start``, ``age_width`` (None if open), ``value``."""
        return [{"age_start": int(a), "age_width": None if np.isnan(w) else int(w), "value": float(v)}
                for a, w, v in zip(self.age_starts, self.age_widths, self.values)]


def _number(name: str, position: int, value: object) -> float:
    if value is None:
        return np.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except TypeError:  # pandas' NA and other missing markers
        return np.nan
    except ValueError:
        raise InputError(f"{value!r} in group {position + 1} is not a number", field=name) from None


def _as_float(name: str, data: ArrayLike) -> FloatArray:
    if isinstance(data, np.ndarray) and data.dtype.kind in "fiu":
        if data.ndim != 1:
            raise InputError("must be a one-dimensional sequence", field=name)
        return data.astype(float)
    try:
        return np.array([_number(name, i, v) for i, v in enumerate(data)], dtype=float)
    except TypeError:
        raise InputError("must be a one-dimensional sequence of numbers", field=name) from None


def check_groups(values: ArrayLike, age_starts: ArrayLike, age_widths: ArrayLike | None = None,
                 open_width: int | None = None) -> AgeGroups:
    """Validate grouped counts and close the open group if ``open_width`` is given.

    Raises
    ------
    InputError
        for unequal lengths, missing or negative values, non-integer or non-increasing ages,
        gaps or overlaps between groups, an open group that is not the last, a bad ``open_width``.
    """
    vals = _as_float("value", values)
    starts_f = _as_float("age_start", age_starts)
    if len(vals) == 0:
        raise InputError("no age groups given", field="value")
    if len(starts_f) != len(vals):
        raise InputError(f"{len(starts_f)} age starts for {len(vals)} values", field="age_start")
    if age_widths is None:
        widths_f = np.append(np.diff(starts_f), np.nan)
    else:
        widths_f = _as_float("age_width", age_widths)
        if len(widths_f) != len(vals):
            raise InputError(f"{len(widths_f)} age widths for {len(vals)} values", field="age_width")
    for i, v in enumerate(vals):
        if not np.isfinite(v):
            raise InputError(f"value of group {i + 1} is missing or not finite", field="value")
        if v < 0:
            raise InputError(f"value of group {i + 1} is negative ({v:g})", field="value")
    if not np.all(np.isfinite(starts_f)) or np.any(starts_f != np.round(starts_f)) or np.any(starts_f < 0):
        raise InputError("age starts must be non-negative whole years", field="age_start")
    is_open = bool(np.isnan(widths_f[-1]))
    closed_w = widths_f[:-1] if is_open else widths_f
    if np.any(np.isnan(closed_w)):
        raise InputError("only the last age group can be open (empty width)", field="age_width")
    if np.any(closed_w <= 0) or np.any(closed_w != np.round(closed_w)):
        raise InputError("age widths must be positive whole years", field="age_width")
    for i in range(1, len(starts_f)):
        expected = starts_f[i - 1] + widths_f[i - 1]
        if starts_f[i] != expected:
            raise InputError(f"group {i + 1} starts at {starts_f[i]:g}, expected {expected:g} "
                             "(groups must be contiguous and increasing)", field="age_start")
    widths = np.where(np.isnan(widths_f), 0, widths_f).astype(np.int64)
    if open_width is not None:
        if not is_open:
            raise InputError("open_width given but the last age group is not open", field="age_width")
        if int(open_width) != open_width or open_width <= 0:
            raise InputError(f"open_width must be a positive whole number of years, not {open_width}",
                             field="age_width")
        widths[-1] = int(open_width)
        is_open = False
    return AgeGroups(values=vals, starts=starts_f.astype(np.int64), widths=widths, open=is_open)


def single_year_result(method: str, groups: AgeGroups, closed: FloatArray,
                       open_value: float | None = None) -> GraduationResult:
    """Assemble single years over the closed range plus, if the input is open, the open group."""
    start = int(groups.starts[0])
    ages = np.arange(start, start + len(closed), dtype=np.int64)
    widths = np.ones(len(closed))
    values = np.asarray(closed, dtype=float)
    if groups.open:
        ages = np.append(ages, groups.starts[-1])
        widths = np.append(widths, np.nan)
        values = np.append(values, groups.values[-1] if open_value is None else open_value)
    return GraduationResult(method=method, age_starts=ages, age_widths=widths, values=values)
