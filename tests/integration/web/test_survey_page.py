"""The survey analysis page: a curator uploads a pilot survey (.zip of linked .sav files) and sees the
estimates that ``analyze`` computes for the same data, with the HTML report and JSON downloads;
partners are refused, bad files are named in a 400, unsafe .zip files are refused or contained."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from fastapi import HTTPException
from webdata import csrf_of, login

from gmrd.errors import InputError
from gmrd.survey.analyze import analyze_path
from gmrd.survey.load_config import parse_config, read_config
from gmrd.survey.pilot.files import generate_pilot
from gmrd.survey.report import result_document
from gmrd.web.pages.survey import KEEP_SECONDS, TABLES, store_result, stored_file, survey_input

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "examples" / "survey.yaml"


@pytest.fixture(scope="module")
def pilot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """Pilot country A as .sav files, and the same files (with truth.json) zipped inside a folder."""
    folder = tmp_path_factory.mktemp("pilot")
    generate_pilot("A", folder, fmt="sav")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"pilot-a/{path.name}")
    return folder, buffer.getvalue()


@pytest.fixture(autouse=True)
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploads and stored results go under the test's own folder (tempfile.gettempdir())."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _post(client, csrf: str, name: str, body: bytes, config: bytes | None = None):
    files = {"data": (name, body, "application/octet-stream"),  # no configuration: an empty part, as browsers send
             "config": ("survey.yaml", config, "application/yaml") if config is not None else ("", b"", "")}
    return client.post("/survey", data={"csrf": csrf}, files=files)


def _cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'<table id="{table}">', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)]


def _alert(html: str) -> str:
    return re.search(r'role="alert">(.*?)</p>', html, re.DOTALL).group(1)


def test_curator_sees_the_estimates_of_analyze_and_downloads_the_report(client, pilot):
    folder, archive = pilot
    expected = analyze_path(folder, read_config(CONFIG))
    login(client, "carl")
    form = client.get("/survey")
    assert form.status_code == 200 and 'href="/survey"' in form.text and 'name="config"' in form.text
    page = _post(client, csrf_of(form.text), "pilot-a.zip", archive, CONFIG.read_bytes())
    assert page.status_code == 200, _alert(page.text)
    html = page.text
    left = expected.left_behind.set_index(["indicator", "domain", "group", "statistic"])
    share = left.loc[("lb_any", "All", "All children 0-17", "share")]
    number = left.loc[("lb_any", "All", "All children 0-17", "number")]
    row = next(r for r in _cells(html, "left-behind") if r[:3] == ["Any parent abroad", "All", "All children 0-17"])
    assert row[3:9] == [f"{100 * share.estimate:.1f}", f"{100 * share.ci_low:.1f}", f"{100 * share.ci_high:.1f}",
                        f"{number.estimate:,.0f}", f"{number.ci_low:,.0f}", f"{number.ci_high:,.0f}"]
    groups = {r[2] for r in _cells(html, "left-behind")}
    assert {"Female", "Male", "0-4", "15-17"} <= groups
    for table in ("design", "means", "comparisons", "remittances", "reliability", "distribution-ladder"):
        assert _cells(html, table), f"table {table} is empty"
    ladder = expected.comparisons.set_index("outcome").loc["ladder"]
    difference = f"{ladder.difference:.3f}".replace("-", "\u2212")  # the report's true minus sign
    assert ["Life satisfaction (ladder 0-10)", difference] == _cells(html, "comparisons")[0][:2]
    # charts are data blocks drawn by the static script: no inline script on the page
    assert html.count('class="plot"') >= 6 and '<script src="/static/charts.js"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)

    links = re.findall(r'href="(/survey/results/[^"]+)"', html)
    assert [link.rsplit("/", 1)[1] for link in links] == [
        "report.html", "estimates.xlsx", "estimates.json", "left_behind.csv", "group_means.csv", "comparisons.csv",
        "remittances.csv", "reliability.csv"]
    report = client.get(links[0])
    assert report.status_code == 200 and report.headers["content-disposition"].startswith("attachment")
    assert "Children left behind: pilot survey, Country A" in report.text and "Plotly" in report.text
    assert f"{100 * share.estimate:.1f}" in report.text
    estimates = client.get(links[2])
    assert estimates.headers["content-disposition"].startswith("attachment")
    assert estimates.json() == json.loads(json.dumps(result_document(expected)))  # as `--json` prints it
    workbook = pd.read_excel(io.BytesIO(client.get(links[1]).content), sheet_name=None)
    assert list(workbook) == ["left_behind", "group_means", "comparisons", "remittances", "reliability"]
    lb_csv = pd.read_csv(io.StringIO(client.get(links[3]).text))
    for table in (workbook["left_behind"], lb_csv):
        row = table[(table["indicator"] == "lb_any") & (table["domain"] == "All") & (table["statistic"] == "share")
                    & (table["group"] == "All children 0-17")]
        assert abs(row["estimate"].iloc[0] - share.estimate) < 1e-12

    client.cookies.clear()
    assert client.get(links[0]).headers["location"].startswith("/login")
    login(client, "ada")  # another user (even an admin) cannot read carl's results
    assert client.get(links[0]).status_code == 404


def test_without_configuration_the_defaults_apply_with_a_warning(client, pilot):
    folder, archive = pilot
    expected = analyze_path(folder, parse_config({}))
    login(client, "carl")
    page = _post(client, csrf_of(client.get("/survey").text), "pilot-a.zip", archive)
    assert page.status_code == 200, _alert(page.text)
    assert "the default one applies" in page.text
    assert "no weights or fpc given: assuming equal probability sampling" in page.text
    share = expected.left_behind.iloc[0]
    assert _cells(page.text, "left-behind")[0][3] == f"{100 * share.estimate:.1f}"


def test_partner_is_refused(client, pilot):
    login(client, "ana")
    assert client.get("/survey").status_code == 403
    assert "Survey analysis" not in client.get("/").text
    csrf = csrf_of(client.get("/").text)
    assert _post(client, csrf, "pilot-a.zip", pilot[1]).status_code == 403


def test_bad_files_are_named_in_a_400(client, pilot):
    login(client, "carl")
    csrf = csrf_of(client.get("/survey").text)
    broken = _post(client, csrf, "broken.sav", b"not an SPSS file at all")
    assert broken.status_code == 400 and "broken.sav" in _alert(broken.text)
    assert "cannot read the file" in _alert(broken.text)
    assert tempfile.gettempdir() not in broken.text, "server paths are not shown"
    other = _post(client, csrf, "notes.txt", b"hello")
    assert other.status_code == 400 and "notes.txt" in _alert(other.text) and "unsupported file type" in other.text
    bad_yaml = _post(client, csrf, "pilot-a.zip", pilot[1], b"design: [unclosed")
    assert bad_yaml.status_code == 400 and "survey.yaml: not valid YAML" in _alert(bad_yaml.text)
    missing = io.BytesIO()
    with zipfile.ZipFile(missing, "w") as archive:
        archive.writestr("hh.csv", "HH1,HH2\n1,1\n")
    no_roster = _post(client, csrf, "hh-only.zip", missing.getvalue())
    assert no_roster.status_code == 400 and "hh-only.zip: no members file" in _alert(no_roster.text)


def test_missing_csrf_is_rejected(client, pilot):
    login(client, "carl")
    response = client.post("/survey", files={"data": ("pilot-a.zip", pilot[1], "application/zip")})
    assert response.status_code == 403 and "CSRF" in response.text


def test_zip_members_are_unpacked_flat_and_bombs_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("../../outside/hh.csv", "HH1,HH2\n1,1\n")
        out.writestr("/abs/hl.csv", "HH1,HH2,HL1\n1,1,1\n")
        out.writestr("__MACOSX/._hh.csv", "junk")
        out.writestr("readme.txt", "ignored")
    folder = survey_input(archive, parse_config({}), tmp_path / "data")
    assert sorted(p.name for p in folder.iterdir()) == ["hh.csv", "hl.csv"]
    assert not (tmp_path.parent / "outside").exists()
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("hh.csv", b"0" * (8 << 20))
    with pytest.raises(InputError, match="decompression bomb"):
        survey_input(bomb, parse_config({}), tmp_path / "bomb")
    twice = tmp_path / "twice.zip"
    with zipfile.ZipFile(twice, "w") as out:
        out.writestr("a/hh.csv", "HH1\n")
        out.writestr("b/hh.csv", "HH1\n")
    with pytest.raises(InputError, match="two files named hh.csv"):
        survey_input(twice, parse_config({}), tmp_path / "twice")



def test_stored_results_expire():
    tables = {name: pd.DataFrame({"x": [1]}) for name in TABLES}
    token = store_result("carl", "<p>report</p>", {"left_behind": []}, tables)
    path = stored_file(token, "report.html", "carl")
    assert path.read_text() == "<p>report</p>"
    for wrong in ((token, "report.html", "ada"), (token, "owner", "carl"), ("../" + token[3:], "report.html", "carl")):
        with pytest.raises(HTTPException) as refused:
            stored_file(*wrong)
        assert refused.value.status_code == 404
    old = time.time() - KEEP_SECONDS - 60
    os.utime(path.parent, (old, old))
    with pytest.raises(HTTPException):
        stored_file(token, "report.html", "carl")
    store_result("carl", "<p>next</p>", {}, tables)  # each new result removes the expired ones
    assert not path.parent.exists()
