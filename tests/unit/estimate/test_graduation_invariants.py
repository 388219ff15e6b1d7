"""Invariants and input errors of the graduation family (no published numbers needed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gmrd.errors import GmrdError, InputError
from gmrd.estimate.ages import (
    CHILD_COHORTS,
    METHODS,
    child_cohorts,
    graduate,
    parse_cohort,
    regroup,
    to_five_year,
)

RNG = np.random.default_rng(20240415)
FIVE_STARTS = list(range(0, 80, 5))
FIVE_WIDTHS: list[float | None] = [5.0] * 15 + [None]


def _population() -> list[float]:
    base = 1000 * np.exp(-np.arange(16) / 8) * RNG.uniform(0.7, 1.3, 16)
    return base.round(1).tolist()


@pytest.mark.parametrize("method", ["sprague", "beers", "mono", "uniform"])
def test_exact_methods_keep_every_group(method: str) -> None:
    for _ in range(5):
        values = _population()
        out = graduate(values, FIVE_STARTS, FIVE_WIDTHS, method)
        cohorts = [(a, a + 5) for a in range(0, 75, 5)] + [(75, None)]
        np.testing.assert_allclose(regroup(out.values, out.age_starts, out.age_widths, cohorts), values,
                                   rtol=1e-10)
        assert out.values[-1] == values[-1] and np.isnan(out.age_widths[-1])


@pytest.mark.parametrize("method", ["beers_mod", "grabill", "pclm"])
def test_smoothing_methods_keep_the_total(method: str) -> None:
    values = _population()
    out = graduate(values, FIVE_STARTS, FIVE_WIDTHS, method)
    assert out.values.sum() == pytest.approx(sum(values), rel=1e-3)


@pytest.mark.parametrize("method", ["mono", "pclm", "uniform"])
def test_irregular_widths_non_negative_and_totals(method: str) -> None:
    values, starts, widths = [5000.0, 0.0, 3000.0, 12000.0, 900.0], [0, 1, 5, 15, 65], [1, 4, 10, 50, None]
    out = graduate(values, starts, widths, method, open_width=35)
    assert out.age_starts.tolist() == list(range(100)) and not out.open
    assert out.values.min() >= 0
    assert out.values.sum() == pytest.approx(sum(values), rel=1e-4)
    if method != "pclm":
        assert out.values[1:5].sum() == pytest.approx(0, abs=1e-9)


def test_to_five_year_and_labels() -> None:
    out = to_five_year(graduate([300, 200, 500], [0, 15, 25], [15, 10, None], "uniform"))
    assert out.age_starts.tolist() == [0, 5, 10, 15, 20, 25]
    assert out.values.tolist() == [100, 100, 100, 100, 100, 500]
    assert out.rows()[-1] == {"age_start": 25, "age_width": None, "value": 500.0}
    assert parse_cohort("15-17") == (15, 18) and parse_cohort("65+") == (65, None)
    assert CHILD_COHORTS["0-17"] == (0, 18)


def test_child_cohorts_from_wide_groups() -> None:
    out = child_cohorts([300, 200, 500], [0, 15, 25], [15, 10, None], "mono")
    assert out["0-4"] + out["5-9"] + out["10-14"] == pytest.approx(300)
    assert out["0-17"] == pytest.approx(300 + out["15-17"])
    assert 0 < out["15-17"] < 200


@pytest.mark.parametrize(("call", "message"), [
    (lambda: graduate([1, 2, 3, 4, 5, 6], [0, 15, 25, 45, 65, 70], None, "sprague"), "5-year"),
    (lambda: graduate([1, 2, 3, 4, 5], [0, 5, 10, 15, 20], None, "beers"), "at least 5"),
    (lambda: graduate([1, -2, 3], [0, 5, 10], None, "mono"), "negative"),
    (lambda: graduate([1, 2, 3], [0, 5, 12], [5, 5, None], "mono"), "contiguous"),
    (lambda: graduate([1, 2, 3], [0, 5, 10], [5, None, 5], "mono"), "only the last"),
    (lambda: graduate([1, 2, 3], [0, 5, 10], None, "karup_king"), "unknown graduation method"),
    (lambda: graduate([1, 2, 3], [0, 5, 10], None, "mono", johnson=True), "do not apply"),
    (lambda: graduate([1, 2, 3, 4, 5, 6], list(range(0, 30, 5)), None, "beers", johnson=True), "Johnson"),
    (lambda: graduate([1, 2, 3, 4, 5, 6], list(range(0, 30, 5)), None, "sprague", open_width=10),
     "open_width must be 5"),
    (lambda: graduate([1, 2], [0, 5], [5, 5], "mono", open_width=5), "not open"),
    (lambda: graduate([0, 0], [0, 5], None, "pclm"), "all values are zero"),
    (lambda: regroup([1, 2], [0, 15], [15, None], [(0, 18)]), "0-17"),
    (lambda: parse_cohort("teen"), "not of the form"),
])
def test_clear_errors(call, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        call()
    assert isinstance(info.value, GmrdError)


def test_methods_listed() -> None:
    assert set(METHODS) == {"sprague", "beers", "beers_mod", "grabill", "mono", "pclm", "uniform"}


@pytest.mark.parametrize("method", ["sprague", "beers", "beers_mod", "grabill"])
def test_keep_infant(method: str) -> None:
    values = [1000.0, 3900.0, 4800.0, 4700.0, 4500.0, 4300.0, 4000.0, 9000.0]
    starts, widths = [0, 1, 5, 10, 15, 20, 25, 30], [1, 4, 5, 5, 5, 5, 5, None]
    out = graduate(values, starts, widths, method, keep_infant=True)
    assert out.values[0] == 1000.0
    assert out.values[1:5].sum() == pytest.approx(3900.0)
    plain = graduate(values, starts, widths, method)  # ages 5+ untouched
    np.testing.assert_allclose(plain.values[5:], out.values[5:])


def test_missing_markers_and_text() -> None:
    widths = pd.array([5, 5, None], dtype="Int64")
    out = graduate([10.0, 20.0, 30.0], [0, 5, 10], widths, "uniform")
    assert out.open and out.values[-1] == 30.0
    with pytest.raises(InputError, match="'x' in group 2 is not a number"):
        graduate([10.0, "x", 30.0], [0, 5, 10], None, "uniform")
