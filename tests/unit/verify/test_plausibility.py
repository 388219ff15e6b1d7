"""Sex ratio and age structure against the extremes of IMS 2020."""

from __future__ import annotations

import pandas as pd

from gmrd.verify.plausibility import check_age_structure, check_sex_ratio
from gmrd.verify.totals import source_totals


def test_plausible_source_is_silent(make_cells, clean_rows):
    cells = make_cells(clean_rows(scale=10))
    universes = pd.Series({1: 3})
    assert check_sex_ratio(source_totals(cells), universes).empty
    assert check_age_structure(cells, universes).empty


def test_nine_men_to_one_woman_is_flagged(make_cells):
    # 10 % women: below the lowest share published in IMS 2020 (12.3 %, Maldives 2020)
    cells = make_cells([(1, 1, 0, None, 0, 9000.0), (1, 2, 0, None, 0, 1000.0), (1, 0, 0, None, 0, 10000.0)])
    found = check_sex_ratio(source_totals(cells), pd.Series({1: 3}))
    assert list(found["check"]) == ["plausibility.sex_ratio"] and found["found"].iloc[0] == 0.1
    assert check_sex_ratio(source_totals(cells), pd.Series({1: 2})).empty  # refugees: not checked


def test_mostly_children_is_flagged(make_cells):
    # 80 % under 15: above the highest share in IMS 2020 (61.1 %, Wallis and Futuna 1990)
    rows = [(1, 0, 0, 5, 0, 3000.0), (1, 0, 5, 15, 0, 5000.0), (1, 0, 15, None, 0, 2000.0),
            (1, 0, 0, None, 0, 10000.0)]
    found = check_age_structure(make_cells(rows), pd.Series({1: 4}))
    assert list(found["check"]) == ["plausibility.age_structure"] and found["found"].iloc[0] == 0.8
