"""Reference dates: invalid, future, title year, year-only precision."""

from __future__ import annotations

from datetime import date

from gmrd.verify.dates import check_reference_dates

TODAY = date(2026, 1, 1)


def test_good_dates_are_silent(make_sources):
    sources = make_sources(reference_date=[date(2010, 11, 28), date(2001, 3, 1)],
                           title=["Censo de Población y Vivienda 2010", "Eurostat"])
    assert check_reference_dates(sources, TODAY).empty


def test_future_and_invalid_dates_are_errors(make_sources):
    sources = make_sources(reference_date=[date(2030, 1, 1), date(1700, 1, 1)], title=["a", "b"])
    found = check_reference_dates(sources, TODAY)
    assert dict(zip(found["source_id"], found["check"])) == {1: "dates.future", 2: "dates.invalid"}
    assert set(found["severity"]) == {"error"}


def test_title_year_far_from_the_date_is_a_warning(make_sources):
    sources = make_sources(reference_date=[date(2001, 5, 1), date(2011, 3, 1)],
                           title=["Census 2011", "Census 2011"])
    found = check_reference_dates(sources, TODAY)
    assert list(found["source_id"]) == [1] and found["check"].iloc[0] == "dates.title_year"
    assert (found["expected"].iloc[0], found["found"].iloc[0]) == (2011.0, 2001.0)


def test_year_only_dates_are_flagged_for_mid_year_harmonization(make_sources):
    sources = make_sources(reference_date=[date(2010, 7, 1)], date_precision=["year"])
    found = check_reference_dates(sources, TODAY)
    assert list(found["check"]) == ["dates.precision"] and found["severity"].iloc[0] == "warning"


def test_publication_years_in_other_titles_are_not_compared(make_sources):
    sources = make_sources(reference_date=[date(2011, 1, 1)],
                           title=["Federal Competitiveness and Statistics Centre 2020"])
    assert check_reference_dates(sources, TODAY).empty


def test_a_year_range_in_the_title_covers_the_years_between(make_sources):
    sources = make_sources(reference_date=[date(2017, 11, 1), date(2008, 2, 10)],
                           title=["2015-2020_Censuses", "2016 Census Table 2"])
    found = check_reference_dates(sources, TODAY)
    assert list(found["source_id"]) == [2]
