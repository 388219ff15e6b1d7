"""The published UN DESA estimates the demo starts from, and moving them to a census date.

A mid-year estimate N(t0) is carried to a census date t (t0 <= t < t0 + 5) with the published
annual rate of change of the country's migrant stock over the five-year period,
r = ln(N(t0 + 5) / N(t0)) / 5, the rate UN DESA publishes in Table 5 of International Migrant
Stock 2020: N(t) = N(t0) · exp(r (t − t0)). One factor per country and period is applied to every
cell, so tables stay additive.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from gmrd.demo.extract import AGE_FILE, ORIGIN_FILE, TABLE1_FILE

AGE_GROUPS = ("0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
              "50-54", "55-59", "60-64", "65-69", "70-74", "75+")
CITATION_2020 = ("United Nations Department of Economic and Social Affairs, Population Division (2020). "
                 "International Migrant Stock 2020.")
CITATION_2019 = ("United Nations Department of Economic and Social Affairs, Population Division (2019). "
                 "International Migrant Stock 2019.")
DAYS_PER_YEAR = 365.25


def data_dir() -> Path:
    """The project's data/ folder (``GMRD_DATA_DIR`` overrides it)."""
    env = os.environ.get("GMRD_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "data"


@dataclass(frozen=True)
class Published:
    """The extract: IMS 2020 age-sex (wide), IMS 2020 Table 1 and IMS 2019 origin (long)."""

    ages: pd.DataFrame
    table1: pd.DataFrame
    origins: pd.DataFrame


def load_published(folder: Path | None = None) -> Published:
    folder = folder or data_dir()
    table1 = pd.read_csv(folder / TABLE1_FILE, na_values=[".."], keep_default_na=False)  # ".." = not available
    return Published(pd.read_csv(folder / AGE_FILE), table1,
                     pd.read_csv(folder / ORIGIN_FILE))


def mid_year(year: int) -> date:
    return date(year, 7, 1)


def base_year(day: date, step: int = 5) -> int:
    """The published reference year t0 with 1 July t0 <= day < 1 July (t0 + step)."""
    year = day.year if day >= mid_year(day.year) else day.year - 1
    return year - year % step


def growth_rate(n0: float, n1: float, years: float) -> float:
    """Annual rate of change r = ln(N1/N0) / (t1 − t0).

    References
    ----------
    .. [1] United Nations Department of Economic and Social Affairs, Population Division (2020).
       International Migrant Stock 2020, Table 5 ("Annual rate of change of the migrant stock").
    """
    if n0 <= 0 or n1 <= 0:
        return 0.0
    return math.log(n1 / n0) / years


def years_between(start: date, end: date) -> float:
    return (end - start).days / DAYS_PER_YEAR


def factor_to(day: date, t0: int, rate: float) -> float:
    """exp(r (t − t0)): the multiplier from 1 July t0 to ``day``."""
    return math.exp(rate * years_between(mid_year(t0), day))


def age_sex_base(pub: Published, code: int, year: int) -> pd.DataFrame:
    """Published migrants by sex (rows both/male/female) and 5-year age (columns) in one year."""
    rows = pub.ages[(pub.ages["LocID"] == code) & (pub.ages["year"] == year)]
    if rows.empty:
        raise KeyError(f"no IMS 2020 age-sex data for {code} in {year}")
    return rows.set_index("sex")[["total", *AGE_GROUPS]]


def origin_base(pub: Published, code: int, year: int) -> pd.Series:
    """Published migrants by origin (both sexes) in one year."""
    rows = pub.origins[(pub.origins["destination_code"] == code) & (pub.origins["year"] == year)]
    if rows.empty:
        raise KeyError(f"no IMS 2019 origin data for {code} in {year}")
    return rows.set_index("origin")["persons"].astype(float)
