"""Totals by sex, age and origin: each check fires on a broken table and stays silent on a clean one."""

from __future__ import annotations

import numpy as np

from gmrd.verify.totals import (
    age_parents,
    check_age_totals,
    check_origin_totals,
    check_sex_totals,
    rounding_tolerance,
    rounding_units,
    source_totals,
)


def _set(rows, match, value):
    return [(s, sex, lo, hi, o, value if (sex, lo, hi, o) == match else v) for s, sex, lo, hi, o, v in rows]


def test_clean_table_is_silent(make_cells, clean_rows):
    cells = make_cells(clean_rows())
    assert check_sex_totals(cells).empty
    assert check_age_totals(cells).empty
    assert check_origin_totals(cells).empty


def test_male_plus_female_not_both_fires_with_the_cell(make_cells, clean_rows):
    rows = _set(clean_rows(), (0, 15, 65, 0), 3000.0)
    found = check_sex_totals(make_cells(rows))
    assert list(found["check"]) == ["totals.sex"] and found["severity"].iloc[0] == "error"
    assert found["found"].iloc[0] == 3000.0
    assert found["expected"].iloc[0] == 1207 + round(1207 * 0.9)
    assert found["cells"].iloc[0][0]["age"] == "15-64"


def test_age_groups_not_adding_to_total_fire(make_cells, clean_rows):
    rows = _set(clean_rows(), (1, 0, None, 0), 5000.0)
    found = check_age_totals(make_cells(rows))
    assert list(found["check"]) == ["totals.age"]
    assert found["cells"].iloc[0][0]["sex"] == "male"
    assert found["expected"].iloc[0] == 103 + 117 + 91 + 1207 + 214 + 7  # unknown age included


def test_nested_group_not_adding_to_its_parts_fires(make_cells, clean_rows):
    rows = _set(clean_rows(), (2, 0, 15, 0), 999.0)  # 0-14 of women ≠ 0-4 + 5-9 + 10-14
    found = check_age_totals(make_cells(rows))
    assert len(found) == 1 and found["cells"].iloc[0][0]["age"] == "0-14"


def test_unknown_age_is_accounted(make_cells, clean_rows):
    rows = [r for r in clean_rows() if r[2] != -1]  # drop unknown age: totals then exceed the parts
    found = check_age_totals(make_cells(rows))
    assert len(found) == 1 and (found["found"] > found["expected"]).all()


def test_origins_not_adding_up_fire_and_a_short_list_without_other_is_a_warning(make_cells, clean_rows):
    rows = _set(clean_rows(), (0, 0, None, 218), 50_000.0)
    found = check_origin_totals(make_cells(rows))
    assert list(found["severity"]) == ["error"]
    rows = [r for r in clean_rows() if r[4] != 2003 and r[4] != 170]
    found = check_origin_totals(make_cells(rows))
    assert list(found["severity"]) == ["warning"]


def test_region_aggregates_beside_countries_are_not_double_counted(make_cells, clean_rows):
    rows = clean_rows()
    rows += [(1, sex, 0, None, 904, v) for (_, sex, lo, hi, o, v) in rows if o == 218]
    assert check_origin_totals(make_cells(rows)).empty


def test_differences_that_rounding_explains_are_silent(make_cells):
    # a table published in thousands: 12,000 + 9,000 = 21,000 but the total rounds to 22,000
    rows = [(1, s, lo, None if lo == 0 and hi is None else hi, 0, v)
            for s, lo, hi, v in [(1, 0, None, 12000), (2, 0, None, 9000), (0, 0, None, 22000),
                                 (1, 0, 15, 3000), (2, 0, 15, 4000), (0, 0, 15, 7000)]]
    cells = make_cells(rows)
    assert rounding_units(cells).iloc[0] == 1000.0
    assert check_sex_totals(cells).empty
    rows[2] = (1, 0, 0, None, 0, 25000)
    assert len(check_sex_totals(make_cells(rows))) == 1


def test_rounding_tolerance_worst_case_and_many_parts():
    # two parts rounded to 1: |error| ≤ 3 × 0.5; many parts: 4 standard deviations of the sum (Sheppard)
    tol = rounding_tolerance(np.array([2, 200]), np.array([1.0, 1.0]))
    assert tol[0] == 1.5
    assert np.isclose(tol[1], 4 * np.sqrt(201 / 12))


def test_age_parents_map_leaves_to_every_tiled_parent(make_cells, clean_rows):
    mapping, intervals = age_parents(make_cells(clean_rows()))
    parents = set(zip(mapping["p_lo"], mapping["p_hi"]))
    assert (0, 15) in parents and len(parents) == 2
    assert intervals["leaf"].sum() == 5


def test_source_totals_fall_back_to_male_plus_female(make_cells):
    cells = make_cells([(1, 1, 0, None, 0, 10.0), (1, 2, 0, None, 0, 5.0), (2, 0, 0, None, 0, 7.0)])
    totals = source_totals(cells)
    assert totals.loc[1, "total"] == 15.0 and totals.loc[2, "total"] == 7.0


def test_unpd_groupings_that_include_the_whole_population_are_not_parts(make_cells, clean_rows):
    # Eurostat tables in the UNPD corpus carry groupings such as 'EU27 incl. reporting country'
    # (UNPD code 1000049) beside the countries: they are aggregates, not parts of the total
    rows = clean_rows()
    rows += [(1, sex, 0, None, 1000049, 5_000_000.0) for sex in (0, 1, 2)]
    assert check_origin_totals(make_cells(rows)).empty
