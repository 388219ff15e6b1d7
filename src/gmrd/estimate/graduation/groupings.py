"""Age groupings censuses publish, drawn at random from five families, and applied to fine data.

A grouping (:class:`Partition`) is a chain of groups from age 0 whose last group is open. The
families are the shapes national tabulations take: 5-year groups (optionally abridged, 0 and 1-4),
10-year groups, broad groups (0-14, 15-64, 65+ and their variants), child-oriented groups (0-5,
6-11, 12-17, 18+ and variants) and irregular widths of 3 to 25 years; the open group starts
between 45 and 85. :func:`draw_partitions` draws them with a fixed seed, :func:`fit_partition`
adapts one to the groups of a data series (capping its open group at the data's).

References
----------
.. [1] United Nations (2017) Principles and Recommendations for Population and Housing Censuses,
   Revision 3, paragraphs on age classifications (5-year groups, broad groups 0-14, 15-64, 65+).
.. [2] Rizzi, S., Gampe, J. & Eilers, P.H.C. (2015) Efficient estimation of smooth distributions
   from coarsely grouped data. American Journal of Epidemiology 182(2): 138-147 (simulation study:
   known fine distributions grouped coarsely in several ways).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gmrd.estimate.graduation.regroup import Cohort

#: the seed of the benchmark's groupings and country split (benchmarks/graduation_groupings.py and its CI slice)
SEED = 20201
#: the age groups scored [lo, hi) on each kind of truth: IMS 2020 5-year series and single-year tables
TARGETS = {"ims": {"15-19": (15, 20), "0-19": (0, 20)},
           "single": {"15-17": (15, 18), "0-17": (0, 18), "15-19": (15, 20)}}

FAMILIES: tuple[str, ...] = ("five_year", "ten_year", "broad", "child", "irregular")
OPEN_AGES: tuple[int, ...] = tuple(range(45, 90, 5))


@dataclass(frozen=True)
class Partition:
    """Groups [starts[i], starts[i+1]) from age 0; the last group (``starts[-1]``+) is open."""

    family: str
    starts: tuple[int, ...]

    @property
    def label(self) -> str:
        closed = [f"{a}-{b - 1}" for a, b in zip(self.starts[:-1], self.starts[1:])]
        return ",".join([*closed, f"{self.starts[-1]}+"])

    @property
    def cohorts(self) -> list[Cohort]:
        return [*zip(self.starts[:-1], self.starts[1:]), (self.starts[-1], None)]

    @property
    def widths(self) -> list[float | None]:
        return [*(float(b - a) for a, b in zip(self.starts[:-1], self.starts[1:])), None]

    def forms(self, cohort: Cohort) -> bool:
        """True when ``cohort`` is a sum of this partition's groups (no graduation needed)."""
        lo, hi = cohort
        return lo in self.starts and (hi is None or hi in self.starts)


def fit_partition(partition: Partition, data_starts: Sequence[int]) -> Partition | None:
    """``partition`` for data whose groups start at ``data_starts`` (the last one open), or None.

    Boundaries at or above the data's open group are dropped and the data's open group becomes the
    partition's (a table cannot show more than its data); the partition applies only when every
    remaining boundary is one of the data's.

    References
    ----------
    .. [1] Riffe, T. et al. DemoTools (R package), ``groupAges()`` (regrouping ages; an open group
       cannot be split without graduating).
    """
    data_open = int(data_starts[-1])
    starts = [b for b in partition.starts if b < data_open]
    if partition.starts[-1] >= data_open:
        starts.append(data_open)
    if len(starts) < 2 or not set(starts) <= {int(s) for s in data_starts}:
        return None
    return Partition(partition.family, tuple(starts))


def _five_year(rng: np.random.Generator) -> tuple[int, ...]:
    top = int(rng.choice(OPEN_AGES))
    young = (0, 1) if rng.random() < 0.3 else (0,)
    return (*young, *range(5, top + 1, 5))


def _ten_year(rng: np.random.Generator) -> tuple[int, ...]:
    style = int(rng.integers(3))
    first = ((0,), (0, 5), (0, 15))[style]
    edges = range(10 if style == 0 else first[-1] + 10, 86, 10)
    top = int(rng.choice([e for e in edges if e >= 45]))
    return (*first, *(e for e in edges if e <= top))


_BROAD: tuple[tuple[int, ...], ...] = (
    (0, 15, 65), (0, 15, 60), (0, 20, 65), (0, 15, 25, 65), (0, 15, 25, 45, 65), (0, 20, 40, 60),
    (0, 15, 30, 45, 60), (0, 15, 50), (0, 15, 45), (0, 20, 60, 80),
)


def _broad(rng: np.random.Generator) -> tuple[int, ...]:
    return _BROAD[int(rng.integers(len(_BROAD)))]


_CHILD: tuple[tuple[int, ...], ...] = (
    (0, 6, 12, 18), (0, 5, 12, 18), (0, 3, 6, 12, 15, 18), (0, 1, 6, 12, 18))
_ADULT: tuple[tuple[int, ...], ...] = (
    (), (25, 45, 65), (30, 45, 60), (25, 35, 45, 55, 65, 75), (60,), (25, 50))


def _child(rng: np.random.Generator) -> tuple[int, ...]:
    return (*_CHILD[int(rng.integers(len(_CHILD)))], *_ADULT[int(rng.integers(len(_ADULT)))])


def _irregular(rng: np.random.Generator) -> tuple[int, ...]:
    widths = np.arange(5, 26, 5) if rng.random() < 0.5 else np.arange(3, 26)
    starts = [0]
    while True:
        step = int(rng.choice(widths))
        if starts[-1] >= 45 and (starts[-1] + step > 85 or rng.random() < 0.35):
            return tuple(starts)
        starts.append(starts[-1] + step)


_DRAW: dict[str, Callable[[np.random.Generator], tuple[int, ...]]] = {
    "five_year": _five_year, "ten_year": _ten_year, "broad": _broad, "child": _child,
    "irregular": _irregular,
}


def draw_partitions(n: int, seed: int = 20201, families: Sequence[str] = FAMILIES) -> list[Partition]:
    """``n`` partitions, the families in turn (``n // len(families)`` or one more each), fixed seed.

    References
    ----------
    .. [1] United Nations (2017) Principles and Recommendations for Population and Housing
       Censuses, Revision 3 (age classifications: 5-year, 10-year and broad groups).

    Examples
    --------
    >>> parts = draw_partitions(10, seed=1)
    >>> [p.family for p in parts[:5]] == list(FAMILIES)
    True
    >>> all(p.starts[0] == 0 and 45 <= p.starts[-1] <= 85 or p.family in ("broad", "child") for p in parts)
    True
    """
    rng = np.random.default_rng(seed)
    return [Partition(families[i % len(families)], _DRAW[families[i % len(families)]](rng))
            for i in range(n)]
