"""Cross-source comparisons (like with like) and the time-series growth check."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from gmrd.verify.cross_source import check_cross_source, source_points
from gmrd.verify.series import MAX_RATE, annual_rate, check_time_series


def _points(make_sources, dates, universes, totals, countries=None):
    n = len(dates)
    sources = make_sources(reference_date=dates, universe=universes,
                           country_code=countries or [218] * n, title=[f"s{i}" for i in range(n)])
    return source_points(sources, pd.DataFrame({"total": totals}, index=range(1, n + 1)))


def test_same_universe_nearby_and_close_is_silent(make_sources):
    p = _points(make_sources, [date(2010, 11, 28), date(2011, 1, 1)], [3, 3], [100_000.0, 110_000.0])
    assert check_cross_source(p).empty


def test_same_universe_nearby_and_far_apart_warns_both(make_sources):
    p = _points(make_sources, [date(2010, 11, 28), date(2011, 1, 1)], [3, 3], [100_000.0, 150_000.0])
    found = check_cross_source(p)
    assert sorted(found["source_id"]) == [1, 2] and set(found["severity"]) == {"warning"}


def test_foreign_born_vs_citizens_is_info_explained(make_sources):
    p = _points(make_sources, [date(2010, 11, 28), date(2010, 11, 28)], [3, 4], [200_000.0, 120_000.0])
    found = check_cross_source(p)
    assert set(found["check"]) == {"cross_source.concept"} and set(found["severity"]) == {"info"}
    assert "difference of concept" in found["message"].iloc[0]


def test_refugees_are_not_compared_with_migrants_nor_other_countries(make_sources):
    p = _points(make_sources, [date(2010, 1, 1)] * 3, [3, 2, 3], [200_000.0, 10_000.0, 1_000.0],
                countries=[218, 218, 170])
    assert check_cross_source(p).empty


def test_annual_rate_matches_the_published_formula():
    # IMS 2020 Table 5, World 1990-1995: r = ln(N1995/N1990)/5 with the published stocks 152,986,157
    # and 161,289,976 (Table 1) gives the published 1.06 % a year
    r = annual_rate(np.array([152_986_157.0]), np.array([161_289_976.0]), np.array([1990.5]),
                    np.array([1995.5]))
    assert round(100 * float(r[0]), 2) == 1.06


def test_series_growth_fires_on_a_jump_and_not_on_steady_growth(make_sources):
    dates = [date(2000, 7, 1), date(2005, 7, 1), date(2010, 7, 1)]
    steady = _points(make_sources, dates, [3] * 3, [100_000.0, 120_000.0, 140_000.0])
    assert check_time_series(steady).empty
    jump = _points(make_sources, dates, [3] * 3, [100_000.0, 120_000.0, 600_000.0])
    found = check_time_series(jump)
    assert list(found["source_id"]) == [3] and found["found"].iloc[0] == 600_000.0
    assert np.log(600_000 / 120_000) / 5 > MAX_RATE


def test_reprint_with_a_changed_cell_is_a_conflict_and_an_identical_one_is_not(make_cells, make_sources,
                                                                              clean_rows):
    from gmrd.verify.cross_source import check_conflicting_editions, edition_pairs

    sources = make_sources(title=["Census 2009", "Census 2009, revised tables"])
    original = clean_rows(1)
    reprint = [(2, *r[1:]) for r in original]
    pairs = edition_pairs(sources)
    assert check_conflicting_editions(pairs, make_cells(original + reprint)).empty
    changed = [(s, sex, lo, hi, o, v + 500 if (sex, lo, hi, o) == (2, 5, 10, 0) else v)
               for s, sex, lo, hi, o, v in reprint]
    found = check_conflicting_editions(pairs, make_cells(original + changed))
    assert sorted(found["source_id"]) == [1, 2] and set(found["check"]) == {"cross_source.conflict"}
    assert found["cells"].iloc[0][0]["age"] == "5-9"
