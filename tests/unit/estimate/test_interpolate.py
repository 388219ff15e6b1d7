"""Panel interpolation: the exponential rule of the IMS (Table 5 rate) and the extrapolation rules."""

from __future__ import annotations

import numpy as np
import pytest

from gmrd.errors import InputError
from gmrd.estimate.dates import decimal_year, parse_years
from gmrd.estimate.interpolate import interpolate_panel, reference_log_linear


def test_exponential_matches_constant_rate() -> None:
    # r = ln(N2/N1)/(t2-t1), the annual rate of change of IMS 2020 Table 5
    t = np.array([1990.5, 2000.5])
    v = np.array([1000.0, 2000.0])
    r = interpolate_panel(np.array([0, 0]), t, v, 1, np.array([1995.5, 2000.5, 2005.5]),
                          extrapolation="rate")
    rate = np.log(2) / 10
    assert r.values[0].tolist() == pytest.approx([1000 * np.exp(5 * rate), 2000, 2000 * np.exp(5 * rate)])
    assert r.inside[0].tolist() == [True, True, False]


def test_share_and_constant_extrapolation() -> None:
    series, t, v = np.array([0, 0, 1]), np.array([2000.5, 2010.5, 2005.5]), np.array([10.0, 20.0, 7.0])
    pop_points = np.array([100.0, 200.0, 50.0])
    pop_targets = np.array([[300.0], [100.0]])
    share = interpolate_panel(series, t, v, 2, np.array([2020.5]), extrapolation="share",
                              pop_points=pop_points, pop_targets=pop_targets)
    assert share.values[:, 0].tolist() == pytest.approx([30.0, 14.0])
    const = interpolate_panel(series, t, v, 2, np.array([2020.5]), extrapolation="constant")
    assert const.values[0, 0] == 20.0


def test_matches_numpy_reference_inside_range() -> None:
    rng = np.random.default_rng(1)
    t = np.sort(rng.uniform(1990, 2020, 8))
    v = rng.uniform(10, 100, 8)
    targets = np.linspace(t[0], t[-1], 9)[1:-1]
    ours = interpolate_panel(np.zeros(8, dtype=np.int64), t, v, 1, targets).values
    assert ours == pytest.approx(reference_log_linear(np.zeros(8, dtype=np.int64), t, v, 1, targets))


def test_bad_input() -> None:
    with pytest.raises(InputError, match="sorted"):
        interpolate_panel(np.array([0, 0]), np.array([2000.0, 1990.0]), np.array([1.0, 2.0]), 1,
                          np.array([1995.0]))
    with pytest.raises(InputError, match="form"):
        interpolate_panel(np.array([0]), np.array([2000.0]), np.array([1.0]), 1, np.array([1995.0]),
                          form="cubic")  # type: ignore[arg-type]


def test_dates() -> None:
    import datetime as dt

    assert decimal_year(dt.date(1990, 7, 1)) == 1990.5
    assert round(decimal_year(dt.date(2011, 5, 9)), 2) == 2011.35  # UN long format, yearref 2011.35
    assert parse_years("1990:2020:5") == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    with pytest.raises(InputError):
        parse_years("2020:1990")
