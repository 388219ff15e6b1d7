"""Age groups: overlaps, gaps, open group not last, impossible ages, duplicate cells."""

from __future__ import annotations

from gmrd.verify.ages import check_age_groups, check_age_values, check_duplicates


def _ages(groups, source=1):
    return [(source, 0, lo, hi, 0, 10.0) for lo, hi in groups] + [(source, 0, 0, None, 0, 10.0 * len(groups))]


def test_nested_schemes_are_not_overlaps(make_cells, clean_rows):
    # 5-year groups beside 0-14 / 15-64 / 65+, and 85+ inside 65+ (as Eurostat publishes)
    groups = [(a, a + 5) for a in range(0, 85, 5)] + [(0, 15), (15, 65), (65, None), (85, 90), (90, None)]
    assert check_age_groups(make_cells(_ages(groups))).empty
    assert check_age_groups(make_cells(clean_rows())).empty


def test_partly_overlapping_groups_fire(make_cells):
    found = check_age_groups(make_cells(_ages([(0, 10), (5, 20), (20, None)])))
    assert list(found["check"]) == ["ages.overlap"]
    assert "0-9 and 5-19" in found["message"].iloc[0]


def test_a_gap_fires_with_the_missing_ages(make_cells):
    # as in a real census table coded 0-13 ("0-14", width 14) followed by 15-24
    found = check_age_groups(make_cells(_ages([(0, 14), (15, 25), (25, None)])))
    assert list(found["check"]) == ["ages.gap"]
    assert found["cells"].iloc[0] == [{"age": "14-14", "missing": True}]


def test_groups_missing_for_one_origin_are_not_a_gap(make_cells):
    rows = _ages([(0, 5), (5, 10), (10, None)]) + [(1, 0, 0, 5, 76, 1.0), (1, 0, 10, None, 76, 2.0)]
    assert check_age_groups(make_cells(rows)).empty


def test_open_group_followed_by_closed_groups_fires(make_cells):
    found = check_age_groups(make_cells(_ages([(0, 65), (65, None), (65, 70), (70, 75)])))
    assert list(found["check"]) == ["ages.open_group"]


def test_impossible_ages_fire_and_name_spreadsheet_dates(make_cells):
    # Palau 2005 census in the UNPD corpus: ages 45055 and 45213 are '5-9' and '10-14' read as dates
    rows = _ages([(0, 5), (5, None)]) + [(1, 2, 45055, 45056, 156, 0.0)]
    found = check_age_values(make_cells(rows))
    assert list(found["check"]) == ["ages.invalid"] and "date serial" in found["message"].iloc[0]
    assert check_age_values(make_cells(_ages([(0, 5), (5, 100), (100, None)]))).empty


def test_duplicate_cells_fire_and_distinct_cells_do_not(make_cells):
    rows = [(1, 0, 0, None, 0, 10.0), (1, 1, 0, None, 0, 4.0), (1, 1, 0, None, 0, 5.0), (2, 1, 0, None, 0, 4.0)]
    found = check_duplicates(make_cells(rows))
    assert list(found["source_id"]) == [1]
    assert [c["value"] for c in found["cells"].iloc[0]] == [4.0, 5.0]
    assert check_duplicates(make_cells(rows[:2] + rows[3:])).empty


def test_a_coarser_open_group_covers_the_ages_above_the_finer_groups(make_cells):
    # Eurostat (France 2012 in the UNPD corpus): 5-year groups to 80-84, then 85+ and 100+
    groups = [(a, a + 5) for a in range(0, 85, 5)] + [(85, None), (100, None)]
    assert check_age_groups(make_cells(_ages(groups))).empty
