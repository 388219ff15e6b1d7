"""``gmrd survey estimate`` through a throwaway Typer app (the lead registers it in cli.py).

Expected numbers are the R survey package's published api results (survey_api/reference_cases.csv:
api01 svymean(~api00, dclus1) = 644.17 (SE 23.542); api11 two-stage svymean 670.81 (SE 30.099);
api04-06 stype proportions in dclus1; api13/14 svyby domain means).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import typer
from scipy import stats
from typer.testing import CliRunner

from gmrd.commands.survey_estimate import survey_estimate

app = typer.Typer()
app.command()(survey_estimate)
runner = CliRunner()

CLUS1 = ["--weight", "pw", "--cluster", "dnum", "--fpc", "fpc"]


def _json(args: list[str]) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_mean_json_shape_and_published_value(refdata: Path) -> None:
    doc = _json([str(refdata / "survey_api" / "apiclus1.csv"), "--mean", "api00", *CLUS1])
    assert set(doc) == {"statistic", "variable", "df_rule", "results"}
    assert (doc["statistic"], doc["variable"], doc["df_rule"]) == ("mean", "api00", "domain")
    (row,) = doc["results"]
    assert set(row) == {"domain", "labels", "estimate", "se", "ci_low", "ci_high", "deff", "df"}
    assert row["domain"] == {}
    assert row["estimate"] == pytest.approx(644.17, abs=0.005)
    assert row["se"] == pytest.approx(23.542, abs=0.0005)
    assert row["df"] == 14
    assert row["ci_low"] < row["estimate"] < row["ci_high"]


def test_two_stage_repeated_cluster_and_fpc(refdata: Path) -> None:
    doc = _json([str(refdata / "survey_api" / "apiclus2.csv"), "--mean", "api00", "--cluster", "dnum",
                 "--cluster", "snum", "--fpc", "fpc1", "--fpc", "fpc2"])
    assert doc["results"][0]["estimate"] == pytest.approx(670.81, abs=0.005)
    assert doc["results"][0]["se"] == pytest.approx(30.099, abs=0.0005)


def test_proportions_by_level(refdata: Path) -> None:
    doc = _json([str(refdata / "survey_api" / "apiclus1.csv"), "--prop", "stype", *CLUS1])
    got = {r["domain"]["stype"]: (r["estimate"], r["se"]) for r in doc["results"]}
    assert got["E"][0] == pytest.approx(0.786885, abs=5e-7) and got["E"][1] == pytest.approx(0.0463, abs=5e-5)
    assert got["H"][0] == pytest.approx(0.076503, abs=5e-7) and got["H"][1] == pytest.approx(0.0268, abs=5e-5)
    assert all(0 < r["ci_low"] < r["estimate"] < r["ci_high"] < 1 for r in doc["results"])


def test_domain_means_with_by(refdata: Path, tmp_path: Path) -> None:
    data = pd.read_csv(refdata / "survey_api" / "apiclus1.csv")
    data["group"] = data["stype"] + "." + data["sch.wide"]
    path = tmp_path / "clus1.csv"
    data.to_csv(path, index=False)
    doc = _json([str(path), "--mean", "api00", "--by", "group", *CLUS1])
    got = {r["domain"]["group"]: r for r in doc["results"]}
    assert got["E.No"]["estimate"] == pytest.approx(596.3333, abs=5e-5)
    assert got["E.No"]["se"] == pytest.approx(43.49010, abs=5e-6)
    assert got["E.Yes"]["se"] == pytest.approx(20.31720, abs=5e-6)


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_spss_and_stata_files_give_the_csv_result(refdata: Path, tmp_path: Path, suffix: str) -> None:
    data = pd.read_csv(refdata / "survey_api" / "apiclus1.csv")[["dnum", "pw", "fpc", "api00", "enroll"]]
    path = tmp_path / f"clus1{suffix}"
    (pyreadstat.write_sav if suffix == ".sav" else pyreadstat.write_dta)(data, str(path))
    doc = _json([str(path), "--total", "enroll", *CLUS1])
    assert doc["results"][0]["estimate"] == pytest.approx(3404940, abs=0.5)   # api02
    assert doc["results"][0]["se"] == pytest.approx(932235, abs=0.5)


def test_df_design_or_domain(refdata: Path, tmp_path: Path) -> None:
    """A domain absent from some PSUs: --df domain (default) counts its PSUs minus strata, --df design
    the whole design's 15 - 1 = 14 (R's confint(svyby(...), df = degf(dclus1))); same SE, wider CI."""
    data = pd.read_csv(refdata / "survey_api" / "apiclus1.csv")
    path = tmp_path / "clus1.csv"
    data.to_csv(path, index=False)
    args = [str(path), "--mean", "api00", "--by", "stype", *CLUS1]
    domain, design = _json(args), _json([*args, "--df", "design"])
    assert (domain["df_rule"], design["df_rule"]) == ("domain", "design")
    high = {r["domain"]["stype"]: r for r in domain["results"]}["H"]
    high_design = {r["domain"]["stype"]: r for r in design["results"]}["H"]
    psus = data.loc[data["stype"] == "H", "dnum"].nunique()
    assert high["df"] == psus - 1 < 14 == high_design["df"]
    assert high["se"] == high_design["se"]
    t_domain, t_design = stats.t.ppf(0.975, psus - 1), stats.t.ppf(0.975, 14)
    assert high["ci_high"] - high["estimate"] == pytest.approx(t_domain * high["se"], rel=1e-9)
    assert high_design["ci_high"] - high_design["estimate"] == pytest.approx(t_design * high["se"], rel=1e-9)
    result = runner.invoke(app, [*args, "--df", "design"])
    assert result.exit_code == 0 and "df: design" in result.stdout
    result = runner.invoke(app, [*args, "--df", "strata"])
    assert result.exit_code == 1 and "--df must be one of domain, design" in result.stderr


def test_value_labels_of_the_file_are_shown(refdata: Path, tmp_path: Path) -> None:
    """Codes of a .sav file print with their labels (not as floats, "HH6 1.0"); JSON keeps the code."""
    data = pd.read_csv(refdata / "survey_api" / "apiclus1.csv")[["dnum", "pw", "fpc", "api00"]]
    data["HH6"] = (data["dnum"] % 2 + 1).astype(float)
    data["sch"] = (data["dnum"] % 3 + 1).astype(float)
    path = tmp_path / "clus1.sav"
    pyreadstat.write_sav(data, str(path), variable_value_labels={
        "HH6": {1.0: "Urban", 2.0: "Rural"}, "sch": {1.0: "Primary", 2.0: "Middle", 3.0: "High"}})
    result = runner.invoke(app, [str(path), "--mean", "api00", "--by", "HH6", *CLUS1])
    assert result.exit_code == 0, result.output
    assert "Urban" in result.stdout and "Rural" in result.stdout and "1.0" not in result.stdout
    doc = _json([str(path), "--prop", "sch", "--by", "HH6", *CLUS1])
    first = doc["results"][0]
    assert first["domain"] == {"HH6": 1, "sch": 1}
    assert first["labels"] == {"HH6": "Urban", "sch": "Primary"}
    result = runner.invoke(app, [str(path), "--prop", "sch", "--by", "HH6", *CLUS1])
    assert "Primary" in result.stdout and "Middle" in result.stdout


def test_rich_table_output(refdata: Path) -> None:
    result = runner.invoke(app, [str(refdata / "survey_api" / "apiclus1.csv"), "--mean", "api00", *CLUS1])
    assert result.exit_code == 0
    assert "644.169" in result.stdout and "23.5422" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--mean", "api00", "--total", "enroll"], "exactly one of"),
    (["--mean", "nosuch", *CLUS1], "field 'nosuch'"),
    (["--mean", "api00", "--weight", "nosuch"], "field 'nosuch'"),
    (["--mean", "api00", *CLUS1, "--lonely-psu", "drop"], "--lonely-psu"),
    (["--mean", "api00", "--weight", "api99", "--strata", "stype", "--cluster", "dnum", "--fpc", "fpc"],
     "cluster appears in more than one stratum"),
])
def test_bad_input_exits_1_with_one_line(refdata: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [str(refdata / "survey_api" / "apiclus1.csv"), *args])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(tmp_path / "x.xlsx"), "--mean", "y"])
    assert result.exit_code == 1 and "unsupported file type" in result.stderr
    result = runner.invoke(app, [str(tmp_path / "x.csv"), "--mean", "y"])
    assert result.exit_code == 1 and "file not found" in result.stderr
