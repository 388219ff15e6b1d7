"""The demo generator: deterministic, re-aggregates to the published UN DESA values it starts from
(IMS 2020 age-sex and IMS 2019 origin, in data/), and its injected errors are where the manifest says."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from gmrd.demo.generate import generate_demo_files, main
from gmrd.demo.manifest import ERROR_KINDS, Manifest
from gmrd.demo.plan import PLANS
from gmrd.demo.published import AGE_GROUPS, data_dir, growth_rate, load_published
from gmrd.ingest import canonical_csv, wide

SOURCE_KEY = ["country_code", "reference_date", "source_type", "universe", "source_title"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate_demo_files(out, seed=7)


def _records(path: Path) -> pd.DataFrame:
    head = path.read_bytes()[:65536]
    reader = canonical_csv if canonical_csv.detect(path, head) else wide
    assert reader is canonical_csv or wide.detect(path, head), path.name
    return pd.concat(list(reader.read(path)), ignore_index=True)


@pytest.fixture(scope="module")
def records(demo: tuple[Path, Manifest]) -> dict[str, pd.DataFrame]:
    out, manifest = demo
    return {name: _records(out / name) for name in manifest.files}


def test_deterministic_bytes(tmp_path: Path, demo: tuple[Path, Manifest]) -> None:
    out, manifest = demo
    again = generate_demo_files(tmp_path / "again", seed=7)
    for name in [*manifest.files, "manifest.json"]:
        assert (out / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name
    other = generate_demo_files(tmp_path / "other", seed=8)
    assert [e.description for e in other.errors] != [e.description for e in again.errors]


def test_plan_covers_countries_formats_and_concepts(demo: tuple[Path, Manifest]) -> None:
    _, manifest = demo
    assert 10 <= len({t.country_code for t in manifest.tables}) <= 20
    assert {t.format for t in manifest.tables} == {"canonical", "wide_csv", "wide_xlsx"}
    assert {t.concept for t in manifest.tables} == {"foreign_born", "foreign_citizens"}
    assert len({t.grouping for t in manifest.tables}) >= 4
    assert all(t.reference_date[5:] != "07-01" for t in manifest.tables)  # census dates, not mid-year
    assert {e.kind for e in manifest.errors} == set(ERROR_KINDS)
    assert Manifest.read(demo[0] / "manifest.json").to_dict() == manifest.to_dict()


def test_every_file_imports_with_its_country_and_date(demo: tuple[Path, Manifest],
                                                      records: dict[str, pd.DataFrame]) -> None:
    _, manifest = demo
    for table in manifest.tables:
        frame = records[table.file]
        assert set(frame.country_code) == {table.country_code}, table.file
        assert set(frame.universe) == {3 if table.concept == "foreign_born" else 4}
        if len(table.reference_date) == 10:
            assert set(frame.reference_date) == {date.fromisoformat(table.reference_date)}


def _injected(manifest: Manifest, file: str) -> set[tuple[str, str]]:
    return {(c["sex"], c["age"]) for e in manifest.errors if e.file == file for c in e.cells}


def test_tables_reaggregate_to_the_published_estimates(demo: tuple[Path, Manifest],
                                                       records: dict[str, pd.DataFrame]) -> None:
    """Totals / factor give back the published IMS 2020 (age-sex) or IMS 2019 (origin) values
    within rounding of the cells; untouched sexes and tables add up exactly."""
    _, manifest = demo
    sexes = {0: "both", 1: "male", 2: "female"}
    checked = 0
    for table in manifest.tables:
        frame = records[table.file]
        touched = _injected(manifest, table.file)
        for code, part in frame.groupby("sex"):
            sex = sexes[int(code)]
            if any(s == sex for s, _ in touched) or (sex == "both" and touched):
                continue
            is_total = (part.age_lo == 0) & part.age_hi.isna() & (part.origin_code == 0)
            total = float(part.loc[is_total, "value"].sum())
            assert total == part.loc[~is_total, "value"].sum(), table.file  # the parts add up
            n_cells = 16 if table.kind == "age_sex" else 1
            tolerance = (0.5 * n_cells + 1) / table.factor
            assert total / table.factor == pytest.approx(table.published_totals[sex], abs=tolerance), table.file
            checked += 1
    assert checked >= 30


def test_growth_factor_is_the_published_rate(demo: tuple[Path, Manifest]) -> None:
    """r = ln(N(t0+5)/N(t0))/5 from IMS 2020 Table 1 (both sexes), applied from 1 July t0."""
    _, manifest = demo
    pub = load_published()
    t1 = pub.table1[pub.table1["sex"] == "both"].set_index("LocID")
    for table in (t for t in manifest.tables if t.kind == "age_sex" and len(t.reference_date) == 10):
        row = t1.loc[table.country_code]
        rate = growth_rate(float(row[str(table.base_year)]), float(row[str(table.base_year + 5)]), 5)
        assert table.rate == pytest.approx(rate, abs=1e-9)
        days = (date.fromisoformat(table.reference_date) - date(table.base_year, 7, 1)).days
        assert table.factor == pytest.approx(math.exp(rate * days / 365.25), abs=1e-9)


def test_injected_errors_are_in_the_files(demo: tuple[Path, Manifest], records: dict[str, pd.DataFrame]) -> None:
    _, manifest = demo
    labels = {"both": 0, "male": 1, "female": 2}
    for error in manifest.errors:
        frame = records[error.file]
        if error.kind == "year_only_date":
            assert set(frame.date_precision) == {"year"}
        elif error.kind == "duplicate_source_conflict":
            original = records[error.file.replace("_reprint", "")]
            same = SOURCE_KEY[:-1]  # same country, date, type and concept; a later volume's title
            assert original[same].drop_duplicates().values.tolist() == frame[same].drop_duplicates().values.tolist()
            assert set(frame.source_title) == {error.source_title} != set(original.source_title)
            assert (original["value"].to_numpy() != frame["value"].to_numpy()).sum() == len(error.cells)
        elif error.kind == "sex_total_mismatch":
            cell = error.cells[0]
            age = frame[frame.age_label == cell["age"]].groupby("sex")["value"].sum()
            assert age[0] != age[1] + age[2]
        else:
            cell = error.cells[0]
            part = frame[frame.sex == labels[cell["sex"]]]
            is_total = part.age_label.str.lower() == "total"
            assert part.loc[is_total, "value"].sum() != part.loc[~is_total, "value"].sum()


def test_extract_is_the_published_data(refdata: Path) -> None:
    """data/ holds unchanged rows of the published IMS 2020 age-sex CSV and Table 1."""
    pub = load_published(data_dir())
    source = pd.read_csv(refdata / "un_ims" / "ims2020_age_sex_destination_wide.csv")
    codes = sorted({p.code for p in PLANS})
    published = source[source.LocID.isin(codes)].reset_index(drop=True)
    pd.testing.assert_frame_equal(pub.ages.reset_index(drop=True), published)
    # IMS 2020 Table 1 totals equal the age file's totals (both sexes, every year)
    both = pub.table1[pub.table1.sex == "both"].set_index("LocID")
    for row in pub.ages[pub.ages.sex == "both"].itertuples():
        assert both.loc[row.LocID, str(row.year)] == row.total
    assert (pub.ages[list(AGE_GROUPS)].sum(axis=1) == pub.ages["total"]).all()


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "cli"), "--seed", "3"]) == 0
    assert (tmp_path / "cli" / "manifest.json").is_file()
    assert "injected errors" in capsys.readouterr().err


def test_published_estimates_are_table1_of_every_country(refdata: Path, demo: tuple[Path, Manifest],
                                                          records: dict[str, pd.DataFrame]) -> None:
    """The last-resort 'estimate' file holds IMS 2020 Table 1 (both sexes, males, females, 1990-2020) of the
    235 countries and areas unchanged, as the workbook publishes them (issue 12, point 13); 3 areas have no
    published value (``..``: Taiwan, Saint Barthélemy, Saint Martin)."""
    _, manifest = demo
    assert manifest.published == ["un_ims2020_published_estimates.csv"]
    frame = records[manifest.published[0]]
    assert set(frame["source_type"]) == {"estimate"}
    book = pd.read_excel(refdata / "un_ims" / "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
                         sheet_name="Table 1", header=10)
    book = book[book["Location code"] < 900].set_index("Location code")
    assert len(book) == 235 and frame["country_code"].nunique() == 232
    years = [c for c in book.columns if isinstance(c, int)][:7]
    for sex, block in ((0, 0), (1, 1), (2, 2)):
        part = frame[frame["sex"] == sex]
        got = part.set_index(["country_code", part["reference_date"].astype(str).str[:4].astype(int)])["value"]
        start = list(book.columns).index(years[0]) + 7 * block
        published = book.iloc[:, start:start + 7].set_axis(years, axis=1).apply(pd.to_numeric, errors="coerce")
        expected = published.stack().rename("value")
        assert got.sort_index().astype(float).equals(expected.sort_index().astype(float))
