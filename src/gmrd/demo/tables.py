"""Census-like tables built from the published estimates: carried to the census date, regrouped.

Cells are rounded to whole persons at the 5-year level (male and female separately); both sexes,
broader age groups and totals are sums of those rounded cells, so every clean table adds up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from gmrd.demo.plan import AGE_GROUPINGS, TablePlan
from gmrd.demo.published import (
    AGE_GROUPS,
    Published,
    age_sex_base,
    base_year,
    factor_to,
    growth_rate,
    origin_base,
)

TOTAL = "Total"
OTHER = "Other countries"
ORIGIN_SPELLINGS = {  # national tables rarely use the UN's long names
    "United States of America": "United States", "Bolivia (Plurinational State of)": "Bolivia",
    "Venezuela (Bolivarian Republic of)": "Venezuela", "Republic of Korea": "Korea, Republic of",
    "United Kingdom": "United Kingdom of Great Britain and Northern Ireland", "Viet Nam": "Vietnam",
}


@dataclass
class Table:
    """One demo tabulation: long cells (sex, age, origin, value) and how they were derived."""

    plan: TablePlan
    cells: pd.DataFrame
    base_year: int
    rate: float
    factor: float
    published: dict[str, float] = field(default_factory=dict)   # sex -> published total in base_year

    def value(self, sex: str, age: str = TOTAL, origin: str = TOTAL) -> int:
        c = self.cells
        return int(c.loc[(c["sex"] == sex) & (c["age"] == age) & (c["origin"] == origin), "value"].iloc[0])

    def add(self, delta: int, sex: str, age: str = TOTAL, origin: str = TOTAL) -> None:
        c = self.cells
        mask = (c["sex"] == sex) & (c["age"] == age) & (c["origin"] == origin)
        if mask.sum() != 1:
            raise KeyError(f"no single cell {sex}/{age}/{origin} in {self.plan.key}")
        c.loc[mask, "value"] = c.loc[mask, "value"] + delta


def build_table(plan: TablePlan, pub: Published) -> Table:
    return _age_sex(plan, pub) if plan.kind == "age_sex" else _origin(plan, pub)


def _age_sex(plan: TablePlan, pub: Published) -> Table:
    t0 = base_year(plan.day)
    base, later = age_sex_base(pub, plan.code, t0), age_sex_base(pub, plan.code, t0 + 5)
    rate = growth_rate(float(base.loc["both", "total"]), float(later.loc["both", "total"]), 5)
    factor = factor_to(plan.day, t0, rate)
    five = {sex: {g: round(float(base.loc[sex, g]) * factor) for g in AGE_GROUPS}
            for sex in ("male", "female")}
    five["both"] = {g: five["male"][g] + five["female"][g] for g in AGE_GROUPS}
    rows = []
    for sex in plan.sexes:
        groups = [(label, sum(five[sex][m] for m in members)) for label, members in AGE_GROUPINGS[plan.grouping]]
        rows += [{"sex": sex, "age": label, "origin": TOTAL, "value": v} for label, v in groups]
        rows.append({"sex": sex, "age": TOTAL, "origin": TOTAL, "value": sum(v for _, v in groups)})
    published = {sex: float(base.loc[sex, "total"]) for sex in ("both", "male", "female")}
    return Table(plan, pd.DataFrame(rows), t0, rate, factor, published)


def _origin(plan: TablePlan, pub: Published) -> Table:
    t0 = base_year(plan.day)
    base, later = origin_base(pub, plan.code, t0), origin_base(pub, plan.code, t0 + 5)
    rate = growth_rate(float(base.sum()), float(later.sum()), 5)
    factor = factor_to(plan.day, t0, rate)
    total = round(float(base.sum()) * factor)
    top = base.sort_values(ascending=False, kind="stable").head(plan.top_origins)
    named = [(ORIGIN_SPELLINGS.get(str(name), str(name)), round(float(v) * factor)) for name, v in top.items()]
    rows: list[dict[str, object]] = [{"sex": "both", "age": TOTAL, "origin": o, "value": v} for o, v in named]
    rows.append({"sex": "both", "age": TOTAL, "origin": OTHER, "value": total - sum(v for _, v in named)})
    rows.append({"sex": "both", "age": TOTAL, "origin": TOTAL, "value": total})
    return Table(plan, pd.DataFrame(rows), t0, rate, factor, {"both": float(base.sum())})
