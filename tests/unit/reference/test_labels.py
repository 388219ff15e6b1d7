"""Age, sex and population-universe labels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gmrd.errors import InputError
from gmrd.reference.ages import AgeInterval, age_label, parse_age
from gmrd.reference.sexes import parse_sex
from gmrd.reference.universes import parse_universe, universe_name


@pytest.mark.parametrize(("label", "lo", "hi"), [
    ("0-4", 0, 5), ("0 - 4", 0, 5), ("00-04", 0, 5), ("0–4", 0, 5), ("0—4", 0, 5), ("0 to 4", 0, 5),
    ("5 to 9", 5, 10), ("15-19 years", 15, 20), ("Under 5", 0, 5), ("less than 5", 0, 5), ("<5", 0, 5),
    ("menos de 1", 0, 1), ("moins de 1 an", 0, 1), ("75+", 75, None), ("75 and over", 75, None),
    ("85 years and over", 85, None), ("85 or more", 85, None), ("75 y más", 75, None),
    ("75 ans et plus", 75, None), ("0 a 4 años", 0, 5), ("De 0 à 4 ans", 0, 5), ("7", 7, 8),
    ("7 years", 7, 8), (7, 7, 8), ("Total", 0, None), ("All ages", 0, None), ("Unknown", -1, None),
    ("Not stated", -1, None), ("Ignorado", -1, None), ("Inconnu", -1, None),
])
def test_parse_age(label: str | int, lo: int, hi: int | None) -> None:
    assert parse_age(label) == AgeInterval(lo, hi)


def test_age_interval_properties_and_labels() -> None:
    assert parse_age("Total").is_total and parse_age("Total").label == "total"
    assert parse_age("Unknown").is_unknown and parse_age("Unknown").label == "unknown"
    assert parse_age("75+").is_open and not parse_age("0-4").is_open
    assert age_label(0, 5) == "0-4" and age_label(75, None) == "75+" and age_label(7, 8) == "7"
    for label in ("0-4", "75+", "total", "unknown", "7", "15-19"):
        assert parse_age(label).label == label


@pytest.mark.parametrize("label", ["abc", "4-0", "5-", "-3", "200+", "", "True", True])
def test_bad_age_labels_are_input_errors(label: object) -> None:
    with pytest.raises(InputError):
        parse_age(label, file="t.csv", row=3, field="age")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_age_label_gives_an_interval_or_an_input_error(label: str) -> None:
    try:
        interval = parse_age(label)
    except InputError:
        return
    assert interval.hi is None or interval.hi > interval.lo >= 0


@pytest.mark.parametrize(("label", "code"), [
    ("Both sexes", 0), ("Total", 0), ("ambos sexos", 0), ("les deux sexes", 0), ("Ensemble", 0), ("both", 0),
    ("male", 1), ("Men", 1), ("M", 1), ("Hombres", 1), ("varones", 1), ("Homme", 1), ("Masculin", 1),
    ("female", 2), ("Women", 2), ("F", 2), ("Mujeres", 2), ("Femme", 2), ("Féminin", 2), ("Femenino", 2),
    (0, 0), (1, 1), (2, 2), ("2", 2),
])
def test_parse_sex(label: str | int, code: int) -> None:
    assert parse_sex(label) == code


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=20), st.integers()))
def test_any_sex_label_gives_a_code_or_an_input_error(label: str | int) -> None:
    try:
        assert parse_sex(label) in (0, 1, 2)
    except InputError:
        pass


@pytest.mark.parametrize(("label", "code"), [
    ("foreign_born", 3), ("Foreign-born", 3), ("foreign citizens", 4), ("foreigners", 4), (3, 3),
    ("refugees", 2), ("asylum seekers", 6), ("stateless", 8), ("total", 0), ("unknown", -1), ("-1", -1),
])
def test_parse_universe(label: str | int, code: int) -> None:
    assert parse_universe(label) == code


def test_universe_names_round_trip() -> None:
    assert universe_name(3) == "foreign_born" and universe_name(4) == "foreign_citizens"
    for code in range(-1, 12):
        assert parse_universe(universe_name(code)) == code
    with pytest.raises(InputError):
        parse_universe("martians")
