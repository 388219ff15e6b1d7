"""End to end: generate a pilot survey as .sav files, analyse it from the configuration, write the
HTML and PDF report; bad labels and bad configuration give one-line errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pyreadstat
import pytest
import typer
from typer.testing import CliRunner

from gmrd.commands.survey_analyze import survey_analyze, survey_generate
from unavailable import unavailable

ROOT = Path(__file__).resolve().parents[3]
app = typer.Typer()
app.command("analyze")(survey_analyze)
app.command("generate")(survey_generate)
runner = CliRunner()


@pytest.fixture(scope="module")
def pilot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pilot")
    result = runner.invoke(app, ["generate", str(folder), "--country", "A", "--json"])
    assert result.exit_code == 0, result.output
    return folder


def test_generate_writes_labelled_mics_files(pilot: Path) -> None:
    manifest = json.loads((pilot / "truth.json").read_text())
    assert manifest["files"] == {"households": "hh.sav", "members": "hl.sav", "children": "ch.sav", "abroad": "ma.sav"}
    _, meta = pyreadstat.read_sav(str(pilot / "hl.sav"), metadataonly=True)
    assert meta.variable_value_labels["HL4"] == {1.0: "Male", 2.0: "Female"}


def test_analyze_writes_html_and_pdf(pilot: Path, tmp_path: Path) -> None:
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    args = ["analyze", str(pilot), "--config", str(ROOT / "examples" / "survey.yaml"), "--report", str(html)]
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        args += ["--pdf", str(pdf)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert "<script src=" not in text and "Plotly.newPlot" in text  # plotly.js embedded, no CDN
    for heading in ("Children left behind", "Well-being of children", "Remittances", "Reliability", "Methods"):
        assert heading in text
    if "--pdf" in args:
        assert pdf.read_bytes()[:5] == b"%PDF-"


def test_analyze_json_recovers_the_truth(pilot: Path) -> None:
    result = runner.invoke(app, ["analyze", str(pilot), "--config", str(ROOT / "examples" / "survey.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    truth = json.loads((pilot / "truth.json").read_text())["truth"]
    share = next(r for r in document["left_behind"] if r["domain"] == "All" and r["indicator"] == "lb_any"
                 and r["statistic"] == "share")
    assert share["ci_low"] < share["estimate"] < share["ci_high"]
    # one sample: the 95% interval covers the truth (seed 1; the coverage test checks the rate)
    assert share["ci_low"] <= truth["share_left_behind"] <= share["ci_high"]


def test_swapped_sex_labels_are_an_error(pilot: Path, tmp_path: Path) -> None:
    for name in ("hh.sav", "ch.sav", "ma.sav"):
        shutil.copy(pilot / name, tmp_path / name)
    frame, meta = pyreadstat.read_sav(str(pilot / "hl.sav"))
    labels = dict(meta.variable_value_labels)
    labels["HL4"] = {1: "Female", 2: "Male"}
    pyreadstat.write_sav(frame, str(tmp_path / "hl.sav"), variable_value_labels=labels)
    result = runner.invoke(app, ["analyze", str(tmp_path), "--config", str(ROOT / "examples" / "survey.yaml")])
    assert result.exit_code == 1
    assert "hl.sav, field 'HL4': value label 1 'Female' is code 2" in result.output
    assert "Traceback" not in result.output


def test_missing_design_variable_in_config(pilot: Path, tmp_path: Path) -> None:
    config = tmp_path / "survey.yaml"
    config.write_text("design:\n  weights: wgt\n  clusters: [HH1]\n")
    result = runner.invoke(app, ["analyze", str(pilot), "--config", str(config)])
    assert result.exit_code == 1 and "wgt not found" in result.output


def test_pdf_is_a4_and_charts_fit_the_page(pilot: Path, tmp_path: Path) -> None:
    """The PDF has A4 pages, and every chart, drawn at the width of its column, fits a column of the
    A4 text block (180 mm, two columns 4 mm apart), whatever the size of the browser window (issue 12)."""
    from gmrd.errors import GmrdError
    from gmrd.survey.report import find_chromium

    try:
        browser = find_chromium()
    except GmrdError as exc:
        unavailable(str(exc))
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    result = runner.invoke(app, ["analyze", str(pilot), "--config", str(ROOT / "examples" / "survey.yaml"),
                                 "--report", str(html), "--pdf", str(pdf)])
    assert result.exit_code == 0, result.output
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes()))
    assert boxes and all(abs(float(w) - 595.28) < 1 and abs(float(h) - 841.89) < 1 for w, h in boxes)  # A4
    with tempfile.TemporaryDirectory() as profile:
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   f"--user-data-dir={profile}", "--window-size=1400,900", "--virtual-time-budget=10000",
                   "--dump-dom", html.resolve().as_uri()]
        dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    widths = [float(w) for w in re.findall(r'<svg class="main-svg"[^>]*? width="([\d.]+)"', dom)]
    column = (180 - 4) / 2 / 25.4 * 96  # CSS pixels
    assert len(widths) >= 10 and max(widths) <= column, widths
