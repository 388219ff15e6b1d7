"""Reference dates: valid, not in the future, consistent with the year in the title, precise.

Estimates are harmonized to mid-year (1 July) by interpolating between data points at their exact
dates [1]_, so a date known only to the year (stored as 1 July) is flagged: the harmonization needs
the census day. A title that names a census or survey with a year ("Census 2011") and a date more
than one year away from it points to a mistyped date or title; other titles' years are publication
years ("Statistics Centre 2020" holding 2010-2020) and are not compared. A title with a range
("2015-2020 Censuses") covers the years between.

References
----------
.. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020:
   Methodology. Estimates refer to 1 July; data points are interpolated from their reference dates.
.. [2] UNICEF and United Nations DESA (2008). Census dates are verified so that data can be
   harmonized to mid-year.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from gmrd.verify.frame import concat, findings, no_findings

EARLIEST = date(1800, 1, 1)
YEAR_IN_TITLE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
COLLECTION_WORDS = re.compile(r"cens|survey|encuesta|enquête|enquete|inquérito|erhebung|zensus", re.IGNORECASE)
TITLE_YEAR_SLACK = 1


def check_reference_dates(sources: pd.DataFrame, today: date | None = None) -> pd.DataFrame:
    """Checks on the sources frame (``id, title, reference_date, date_precision``).

    References
    ----------
    .. [1] United Nations DESA, Population Division (2020). International Migrant Stock 2020:
       Methodology. Estimates refer to 1 July; data points are interpolated from their reference dates.
    .. [2] UNICEF and United Nations DESA (2008). Census dates are verified so that data can be
       harmonized to mid-year.
    """
    if sources.empty:
        return no_findings()
    today = today or date.today()
    ref = pd.to_datetime(sources["reference_date"], errors="coerce")
    sid = sources["id"].to_numpy()
    out = []
    invalid = (ref.isna() | (ref < pd.Timestamp(EARLIEST))).to_numpy()
    if invalid.any():
        out.append(findings(sid[invalid], "dates.invalid", "error", "dates.invalid",
                            [f"reference date {d} is not a valid date after {EARLIEST}"
                             for d in sources["reference_date"][invalid]]))
    future = (ref > pd.Timestamp(today)).to_numpy()
    if future.any():
        out.append(findings(sid[future], "dates.future", "error", "dates.future",
                            [f"reference date {d} is in the future (today is {today})"
                             for d in sources["reference_date"][future]]))
    out.append(_title_years(sources, ref))
    year_only = (sources["date_precision"] == "year").to_numpy()
    if year_only.any():
        out.append(findings(sid[year_only], "dates.precision", "warning", "dates.precision",
                            [f"only the year of the reference date is known ({d.year}); 1 July assumed, "
                             "the census day is needed to harmonize to mid-year"
                             for d in ref[year_only]]))
    return concat(out)


def _title_years(sources: pd.DataFrame, ref: pd.Series) -> pd.DataFrame:
    titles = sources["title"].fillna("")
    years = titles.str.findall(YEAR_IN_TITLE).where(titles.str.contains(COLLECTION_WORDS), None)
    years = years.map(lambda ys: ys if isinstance(ys, list) else [])
    has = years.str.len().to_numpy() > 0
    if not has.any():
        return no_findings()
    ref_year = ref.dt.year.to_numpy()
    far = np.array([bool(ys) and not np.isnan(y)
                    and not (min(map(int, ys)) - TITLE_YEAR_SLACK <= y <= max(map(int, ys)) + TITLE_YEAR_SLACK)
                    for ys, y in zip(years, ref_year)])
    if not far.any():
        return no_findings()
    sub = sources[far]
    msg = [f"reference date {d} is more than {TITLE_YEAR_SLACK} year from the year(s) in the title "
           f"{t!r}" for d, t in zip(sub["reference_date"], sub["title"])]
    return findings(sub["id"].to_numpy(), "dates.title_year", "warning", "dates.title_year", msg,
                    expected=[float(min(ys, key=lambda t: abs(int(t) - y))) for ys, y in
                              zip(years[far], ref_year[far])],
                    found=ref_year[far].astype(float))
