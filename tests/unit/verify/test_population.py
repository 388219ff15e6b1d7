"""Migrant stocks against the population (plausibility.population_share, cross_source.population_share)
and spikes of a series (series.spike): each fires on the case it is for and stays silent otherwise."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from gmrd.estimate.population import population_at
from gmrd.verify.cross_source import source_points
from gmrd.verify.population import (
    MAX_SHARE,
    check_population_share,
    check_relative_share,
    source_stocks,
    stock_points,
)
from gmrd.verify.series import check_spikes

GERMANY = 276


def _points(make_sources, dates, totals, universes=None, titles=None, country=GERMANY):
    n = len(dates)
    sources = make_sources(reference_date=dates, universe=universes or [3] * n, country_code=[country] * n,
                           title=titles or [f"s{i}" for i in range(n)])
    return source_points(sources, pd.DataFrame({"total": totals}, index=range(1, n + 1))).assign(
        from_origins=False)


def _population(country: int, year: int) -> float:
    return float(population_at([country], [float(year)])[0])


def test_stock_is_the_all_origins_total_or_a_lower_bound_from_the_origins(make_cells):
    rows = [
        (1, 0, 0, None, 0, 1_000.0), (1, 0, 0, None, 908, 9_000.0),  # a total: the aggregate is ignored
        (2, 0, 0, None, 1000051, 77_000.0), (2, 0, 0, None, 40, 500.0),  # EU-27 only: its largest origin
        (3, 1, 0, None, 40, 300.0), (3, 1, 0, None, 203, 400.0), (3, 2, 0, None, 40, 250.0),
        (3, 2, 0, None, 2003, 50.0),  # no both-sexes cell: men (country sum) + women
        (4, 0, 0, 5, 0, 10.0),  # no all-ages cell: no stock
    ]
    stocks = source_stocks(make_cells(rows))
    assert stocks["total"].to_dict() == {1: 1_000.0, 2: 77_000.0, 3: 1_000.0}
    assert stocks["from_origins"].to_dict() == {1: False, 2: True, 3: True}


def test_population_share_fires_above_the_bound_and_names_the_numbers(make_sources):
    population = _population(GERMANY, 2000)
    p = _points(make_sources, [date(2000, 1, 1), date(2000, 1, 1)], [0.97 * population, 0.15 * population])
    found = check_population_share(p)
    assert list(found["source_id"]) == [1] and set(found["severity"]) == {"error"}
    message = found["message"].iloc[0]
    assert "foreign-born stock" in message and "2000-01-01" in message and "97.0 %" in message
    assert found["expected"].iloc[0] == MAX_SHARE * population


def test_population_share_is_silent_for_gulf_like_shares_refugees_and_unreliable_years(make_sources):
    uae = 784
    high = _points(make_sources, [date(2010, 7, 1)], [0.89 * _population(uae, 2010)], [4], country=uae)
    assert check_population_share(high).empty
    # outside 1985-2025 the carried growth rate of the population table is not reliable
    old = _points(make_sources, [date(1950, 6, 1)], [2 * _population(GERMANY, 1950)])
    assert check_population_share(old).empty
    # total population (universe 0) is not a migrant stock; refugees are
    mixed = _points(make_sources, [date(2000, 1, 1)] * 2, [_population(GERMANY, 2000)] * 2, [0, 2])
    assert list(check_population_share(mixed)["source_id"]) == [2]


def test_relative_share_fires_far_above_the_other_sources_only(make_sources):
    population = _population(GERMANY, 2000)
    dates = [date(1997, 1, 1), date(2000, 1, 1), date(2000, 1, 1)]
    p = _points(make_sources, dates, [0.118 * population, 0.94 * population, 0.157 * population],
                titles=["OECD", "Eurostat", "WorldBank"])
    found = check_relative_share(p)
    assert list(found["source_id"]) == [2] and set(found["severity"]) == {"error"}
    message = found["message"].iloc[0]
    assert "6.0 times the highest share" in message and "WorldBank" in message
    # a high share the neighbours share (a Gulf state) is silent; so is one without other sources
    gulf = _points(make_sources, dates, [0.75 * population, 0.90 * population, 0.80 * population])
    assert check_relative_share(gulf).empty
    alone = _points(make_sources, dates[1:2], [0.90 * population])
    assert check_relative_share(alone).empty


def test_relative_share_compares_foreign_born_with_foreign_born_only(make_sources):
    # Falkland-Islands-like: most residents born abroad but British citizens (few foreign citizens)
    country, year = 238, 2001
    population = _population(country, year)
    p = _points(make_sources, [date(year, 4, 8), date(year, 1, 1)], [0.57 * population, 0.06 * population],
                [3, 4], country=country)
    assert check_relative_share(p).empty


def _series(make_sources, values, titles=None, universes=None):
    years = [1995, 1997, 2000, 2003, 2006]
    return _points(make_sources, [date(y, 1, 1) for y in years], values,
                   universes=universes, titles=titles or [f"t{i}" for i in range(len(years))])


def test_spike_up_and_down_fires_with_a_message_naming_the_neighbours(make_sources):
    found = check_spikes(_series(make_sources, [9.0e6, 9.7e6, 77.2e6, 10.0e6, 10.4e6]))
    assert list(found["source_id"]) == [3] and set(found["severity"]) == {"error"}
    assert "above both neighbouring" in found["message"].iloc[0]
    assert found["expected"].iloc[0] == np.sqrt(9.7e6 * 10.0e6)
    dip = check_spikes(_series(make_sources, [9.0e6, 9.7e6, 16_200.0, 10.0e6, 10.4e6]))
    assert list(dip["source_id"]) == [3] and "below both" in dip["message"].iloc[0]


def test_spike_is_silent_on_level_shifts_small_jumps_parallel_series_and_refugees(make_sources):
    shift = _series(make_sources, [1.0e6, 1.1e6, 6.0e6, 6.2e6, 6.5e6])  # neighbours disagree
    assert check_spikes(shift).empty
    small = _series(make_sources, [1.0e6, 1.1e6, 4.0e6, 1.2e6, 1.3e6])  # under the factor 5
    assert check_spikes(small).empty
    # a publication that repeats its own level (a partial series: workers of one nationality)
    parallel = _series(make_sources, [40_000.0, 41_000.0, 8_000.0, 42_000.0, 8_500.0],
                       titles=["a", "a", "b", "a", "b"])
    assert check_spikes(parallel).empty
    refugees = _series(make_sources, [9.0e6, 9.7e6, 77.2e6, 10.0e6, 10.4e6], universes=[2] * 5)
    assert check_spikes(refugees).empty


def test_stock_points_carry_the_origin_flag(make_sources, make_cells):
    sources = make_sources(reference_date=[date(2000, 1, 1)] * 2, country_code=[GERMANY] * 2,
                           title=["a", "b"])
    cells = make_cells([(1, 0, 0, None, 0, 100.0), (2, 0, 0, None, 1000051, 80_000_000.0)])
    points = stock_points(sources, source_stocks(cells))
    assert points.set_index("id")["from_origins"].to_dict() == {1: False, 2: True}
    found = check_population_share(points)
    assert list(found["source_id"]) == [2] and "no all-origins total" in found["message"].iloc[0]
