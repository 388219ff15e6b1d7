"""General rules for country labels no name table holds verbatim: mis-decoded UTF-8, abbreviated and
truncated words, bilingual labels, a name beside words of its own names, brackets for a comma.

The labels are written for these tests (none is taken from rftLocation.csv); each rule has cases
that must resolve and cases that must stay errors.
"""

from __future__ import annotations

import pandas as pd
import pytest

from gmrd.errors import UnknownCountry
from gmrd.reference.country_names import CountryResolver, _abbreviations, country_key, resolve_country
from gmrd.reference.normalize import repair_mojibake


def _mangled(text: str, rounds: int, codec: str = "cp1252") -> str:
    """``text`` encoded as UTF-8 and decoded as ``codec``, ``rounds`` times."""
    for _ in range(rounds):
        text = text.encode("utf-8").decode(codec)
    return text


@pytest.mark.parametrize(("text", "rounds", "codec"), [
    ("Curaçao", 1, "cp1252"), ("Perú", 2, "cp1252"), ("Türkei", 2, "cp1252"), ("Diğer ülkeler", 1, "cp1252"),
    ("Côte d’Ivoire", 3, "cp1252"), ("África", 1, "latin-1"), ("Österreich", 1, "latin-1"),
])
def test_mojibake_is_repaired_round_by_round(text: str, rounds: int, codec: str) -> None:
    assert _mangled(text, rounds, codec) != text
    assert repair_mojibake(_mangled(text, rounds, codec)) == text


@pytest.mark.parametrize("text", ["Peru", "Réunion", "Côte d’Ivoire", "São Tomé", "Ã", "Россия", "日本"])
def test_text_that_is_not_mojibake_is_unchanged(text: str) -> None:
    assert repair_mojibake(text) == text


@pytest.mark.parametrize(("label", "code"), [
    (_mangled("Perú", 2), 604), (_mangled("Türkei", 2), 792), (_mangled("Österreich", 1, "latin-1"), 40),
    (_mangled("África", 1, "latin-1"), 903),
    ("Democratic People´s Republic of Korea", 408),  # an acute accent for the apostrophe
])
def test_mis_decoded_labels_resolve(label: str, code: int) -> None:
    assert resolve_country(label) == code


def test_abbreviations_expand_in_keys() -> None:
    assert country_key("Cent. African Rep.") == "central african republic"
    assert country_key("Brit. Virgin Is.") == "british virgin islands"
    assert country_key("Micronesia, F. S.") == "micronesia federated states"  # initials joined first
    assert resolve_country("Cent. African Rep.") == 140
    assert resolve_country("Brit. Virgin Is.") == 92
    assert resolve_country("Fed. Sts. of Micronesia") == 583


def test_abbreviation_table_is_one_reading_per_word() -> None:
    table = _abbreviations()
    assert all(a.isascii() and a.isalpha() and a.islower() for a in table)
    # An expansion is never itself abbreviated again, so a key does not depend on the order of words.
    assert not {w for e in table.values() for w in e.split()} & set(table)


@pytest.mark.parametrize(("label", "code"), [
    ("Polska Rzeczpospolita-Poland", 616), ("Österreich Republik-Austria", 40),  # other side: its words
    ("Belgique België", 56), ("Schweiz Suisse Svizzera", 756),  # names side by side, no separator
    ("Ghana Republic of", 288), ("Republic of Ghana Ghana", 288), ("Kosova Republic of Kosovo", 11578),
    ("Венесуэла (Боливарианская Республика)", 862),  # brackets for a comma: "X, Y"
])
def test_a_name_beside_words_of_its_own_names_resolves(label: str, code: int) -> None:
    assert resolve_country(label) == code


@pytest.mark.parametrize("label", [
    "Peru-Atlantis", "Ghana-Atlantis",  # a word of no name of that area
    "Samoa-American", "Yemen South", "Sudan-South", "Cyprus North",  # a qualifier changes the area
    "China Hong Kong and Taiwan",  # words of China's names ("excluding Hong Kong …") that name others
    "Northern Ireland United Kingdom",  # a refused name inside
    "China (Taiwan)",  # brackets read as a comma only in the order written
])
def test_other_words_beside_a_name_stay_an_error(label: str) -> None:
    with pytest.raises(UnknownCountry):
        resolve_country(label)


@pytest.mark.parametrize("label", ["Ghana Cambodia", "Ghana Kambodża", "Sudan South Sudan", "Guadeloupe France"])
def test_two_names_side_by_side_are_an_error_naming_both(label: str) -> None:
    with pytest.raises(UnknownCountry, match="names two areas"):
        resolve_country(label)


@pytest.mark.parametrize(("label", "code"), [
    ("Bosnia & Herzeg", 70), ("Papua N Guinea", 598), ("Wallis & Fut", 876), ("St Kitts & Nev", 659),
    ("Trinidad & Tob", 780),
])
def test_words_cut_short_resolve_when_one_area_fits(label: str, code: int) -> None:
    assert resolve_country(label) == code


@pytest.mark.parametrize("label", [
    "Slov Rep",  # Slovakia or Slovenia
    "S Africa",  # South Africa or Southern Africa
    "French Polyn",  # French Polynesia, or Polynesia: no word is one area's alone
    "Antigua & Barb",  # Barbuda or Barbados; "antigua" also means "former" in Spanish names
    "Para", "Herzegov",  # one word is never read as cut short
    "Atlantis", "Republic", "Is", "St", "Rep", "Cent", "Brit",
])
def test_words_cut_short_stay_an_error_when_not_one_area(label: str) -> None:
    with pytest.raises(UnknownCountry):
        resolve_country(label)


def test_word_rules_run_once_per_distinct_label(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = CountryResolver()
    calls: list[int] = []
    read = resolver._words.read
    monkeypatch.setattr(resolver._words, "read", lambda variants: calls.append(1) or read(variants))
    codes = resolver.resolve_many(pd.Series(["Wallis & Fut", "Trinidad & Tob"] * 50_000))
    assert codes[:2].tolist() == [876, 780] and len(codes) == 100_000
    assert len(calls) == 2
