"""Deliberate errors of the kinds verification must find, each recorded for measuring recall.

The targets are fixed (one or two tables per kind); which cell and by how much come from the seeded
random generator. Each function changes the table in place and returns its manifest entry.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np

from gmrd.demo.manifest import InjectedError
from gmrd.demo.tables import TOTAL, Table

MIN_DELTA = 25


def _entry(kind: str, table: Table, file: str, cells: list[dict[str, str]], description: str,
           day: str | None = None) -> InjectedError:
    plan = table.plan
    return InjectedError(kind, file, plan.code, day or plan.day.isoformat(), plan.source_title, cells,
                         description)


def _pick_age(table: Table, sex: str, rng: np.random.Generator) -> str:
    c = table.cells
    ages = c[(c["sex"] == sex) & (c["age"] != TOTAL) & (c["value"] >= 100)]["age"].tolist()
    return str(ages[int(rng.integers(len(ages)))])


def _delta(value: int, rng: np.random.Generator) -> int:
    return max(MIN_DELTA, round(value * rng.uniform(0.05, 0.20)))


def sex_total_mismatch(table: Table, file: str, sex: str, rng: np.random.Generator) -> InjectedError:
    """One sex's row gets more persons in one age group (and its row total, so the row still adds up):
    both sexes ≠ male + female in that group and in the total."""
    age = _pick_age(table, sex, rng)
    delta = _delta(table.value(sex, age), rng)
    table.add(delta, sex, age)
    table.add(delta, sex, TOTAL)
    return _entry("sex_total_mismatch", table, file,
                  [{"sex": sex, "age": age, "origin": TOTAL}, {"sex": sex, "age": TOTAL, "origin": TOTAL}],
                  f"{sex} {age} and {sex} total raised by {delta}: both sexes no longer equals male + female")


def age_sum_mismatch(table: Table, file: str, sex: str, rng: np.random.Generator, *,
                     in_total: bool) -> InjectedError:
    """The age groups of one sex no longer add up to its total (the total or one group is changed)."""
    age = TOTAL if in_total else _pick_age(table, sex, rng)
    delta = _delta(table.value(sex, age), rng)
    table.add(delta, sex, age)
    return _entry("age_sum_mismatch", table, file, [{"sex": sex, "age": age, "origin": TOTAL}],
                  f"{sex} {age} raised by {delta}: the age groups no longer sum to the total")


def year_only_date(table: Table, file: str) -> tuple[InjectedError, str]:
    """The reference date written as the year only (imported as 1 July, flagged imprecise)."""
    written = str(table.plan.day.year)
    return (_entry("year_only_date", table, file, [], f"reference date written as '{written}' instead of "
                   f"{table.plan.day.isoformat()}", day=written), written)


REPRINT = ", Volume II (revised tables)"


def duplicate_source_conflict(table: Table, file: str, rng: np.random.Generator) -> tuple[Table, InjectedError]:
    """A second publication of the same census (same country, date, type and concept; the title of
    a later volume) in which one female age group differs; the copy adds up internally, so only the
    comparison of the two sources finds it."""
    twin = copy.deepcopy(table)
    twin.plan = replace(twin.plan, source_title=twin.plan.source_title + REPRINT)
    age = _pick_age(twin, "female", rng)
    delta = _delta(twin.value("female", age), rng)
    for sex in ("female", "both"):
        if sex in twin.plan.sexes:
            twin.add(delta, sex, age)
            twin.add(delta, sex, TOTAL)
    cells = [{"sex": s, "age": a, "origin": TOTAL} for s in ("female", "both") if s in twin.plan.sexes
             for a in (age, TOTAL)]
    return twin, _entry("duplicate_source_conflict", twin, file, cells,
                        f"same census as {table.plan.key} (title {table.plan.source_title!r}) with "
                        f"female {age} higher by {delta}")
