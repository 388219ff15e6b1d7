"""Issue 17, files and downloads: each attack of the outside test, made as a request (or a file given to
the command line), and the refusal it must meet. docs/reliability.md lists them with their results."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner
from webdata import csrf_of, login

from gmrd.cli import app as cli
from gmrd.db import queries
from gmrd.errors import InputError
from gmrd.survey.load import load_survey
from gmrd.survey.load_config import parse_config, read_config
from gmrd.web.heavy import RETRY_AFTER_SECONDS
from gmrd.web.pages.survey import survey_input

SECRET = "db_password,api_key,HH1,HH2\nhunter2,sk-live-1,1,1\n"
LINKED = {"hh.csv": "HH1,HH2\n1,1\n", "hl.csv": "HH1,HH2,HL1\n1,1,1\n"}
ALIAS_BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x, x]"]
                       + [f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
                       + ["title: *i"]) + "\n"
"""The 'billion laughs' of YAML: nine levels of ten aliases each, 10^9 strings once expanded."""


@pytest.fixture(autouse=True)
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploads and stored survey results go under the test's own folder (tempfile.gettempdir())."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _zip(members: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _survey(client, data: bytes, config: str | None = None, name: str = "survey.zip"):
    csrf = csrf_of(client.get("/survey").text)
    files = {"data": (name, data, "application/zip"), "config": ("", b"", "")}  # no configuration: empty part
    if config is not None:
        files["config"] = ("survey.yaml", config.encode(), "application/yaml")
    return client.post("/survey", data={"csrf": csrf}, files=files)


def _upload(client, name: str, data: bytes):
    csrf = csrf_of(client.get("/upload").text)
    files = {"file": (name, data, "application/octet-stream")}
    return client.post("/upload", data={"csrf": csrf}, files=files)


def _alert(html: str) -> str:
    return re.search(r'role="alert">(.*?)</p>', html, re.DOTALL).group(1)


# 1. survey.yaml `files:` entries naming files outside the upload --------------------------------------------


ENTRIES = ["{secret}", "../../../../../../..{secret}", "../secret/hh.csv", "sub/hh.csv", "/no/such/file.csv",
           "..", "C:\\\\secret.csv"]
"""files: entries naming the secret file (absolute, relative with ..), a missing file, a folder."""


def test_config_files_cannot_name_files_outside_the_upload(client, tmp_path):
    secret = tmp_path / "secret" / "hh.csv"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    login(client, "carl")
    for entry in ENTRIES:
        config = f"files:\n  households: '{entry.format(secret=secret)}'\n  members: hl.csv\n"
        page = _survey(client, _zip(LINKED), config)
        assert page.status_code == 400, entry
        # one message whether the path exists or not (no oracle), and nothing of the file's content
        assert _alert(page.text).endswith(
            "nothing was kept: survey.yaml, field &#39;files.households&#39;: give the bare name of a file "
            "in the data folder (no folder, no absolute path, no &#39;..&#39;)"), entry
        assert "db_password" not in page.text and "hunter2" not in page.text


def test_a_link_inside_the_data_folder_to_a_file_outside_is_not_read(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text(SECRET)
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "hl.csv").write_text(LINKED["hl.csv"])
    (folder / "hh.csv").symlink_to(secret)
    for files in ({"households": "hh.csv", "members": "hl.csv"}, None):
        with pytest.raises(InputError) as refused:
            load_survey(folder, files=files)
        assert "db_password" not in str(refused.value)
        message = str(refused.value)
        assert "not found in the data folder" in message or "no households file" in message


# 3. a YAML alias bomb, and values of the wrong type ---------------------------------------------------------


def test_yaml_alias_bomb_is_refused_at_once(client):
    assert len(ALIAS_BOMB) < 600
    login(client, "carl")
    start = time.perf_counter()
    page = _survey(client, _zip(LINKED), ALIAS_BOMB)
    assert time.perf_counter() - start < 5
    assert page.status_code == 400
    assert "survey.yaml: not valid YAML: aliases (*name) are not accepted" in _alert(page.text)


def test_config_values_are_checked_for_their_type_before_use(client, tmp_path):
    with pytest.raises(InputError, match="keys.household.*give a text value, not a list"):
        parse_config({"keys": {"household": ["HH2"] * 1000}})
    with pytest.raises(InputError, match="title.*give a text value, not a dict"):
        parse_config({"title": {"a": 1}})
    with pytest.raises(InputError, match="labels"):
        parse_config({"labels": {"HH7": {1: ["North"]}}})
    big = tmp_path / "big.yaml"
    big.write_text("title: " + "x" * (1 << 20) + "\n")
    with pytest.raises(InputError, match="over 1,048,576 bytes"):
        read_config(big)
    login(client, "carl")
    page = _survey(client, _zip(LINKED), "variables:\n  sex: {nested: [1, 2, 3]}\n")
    assert page.status_code == 400 and "variables.sex" in _alert(page.text)


# 5. a zip bomb made of many small members -------------------------------------------------------------------


def _many_small_members(count: int = 300) -> bytes:
    block = b"0" * (1 << 20)  # 1 MiB each: at the per-member ratio floor, so no member is checked alone
    return _zip({**LINKED, **{f"part{i:03d}.csv": block for i in range(count)}})


def test_zip_of_many_small_members_is_refused_before_unpacking(client, tmp_path):
    bomb = _many_small_members()
    assert len(bomb) < 400_000
    login(client, "carl")
    page = _survey(client, bomb)
    assert page.status_code == 400
    assert "decompress to more than 100 times the archive" in _alert(page.text)
    upload = _upload(client, "bomb.xlsx", bomb)
    assert upload.status_code == 400 and "decompression bomb" in _alert(upload.text)
    path = tmp_path / "bomb.zip"
    path.write_bytes(bomb)
    with pytest.raises(InputError, match="decompression bomb"):
        survey_input(path, parse_config({}), tmp_path / "unpacked")
    assert not (tmp_path / "unpacked").exists(), "nothing was written"


# 7. an XLSX whose XML declares a DTD (XXE, billion laughs) --------------------------------------------------


def _workbook_with_dtd(doctype: str) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["sex", "Total"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(buffer)
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = f'<?xml version="1.0"?>{doctype}'.encode() + parts[sheet]
    return _zip(parts)


DOCTYPES = {
    "billion-laughs": '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>',
    "xxe": '<!DOCTYPE data [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
}
DTD_MESSAGE = ("zip member 'xl/worksheets/sheet1.xml' declares a DTD (<!DOCTYPE>), which Office Open XML "
               "does not allow: refused as a possible XML entity attack (XXE)")


def test_xlsx_with_a_dtd_is_a_400_on_upload(client):
    login(client, "carl")
    for kind, doctype in DOCTYPES.items():
        page = _upload(client, "table.xlsx", _workbook_with_dtd(doctype))
        assert page.status_code == 400, kind
        assert _alert(page.text).replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").endswith(
            f"nothing was stored: table.xlsx: {DTD_MESSAGE}"), kind
        survey = _survey(client, _workbook_with_dtd(doctype), name="kobo.xlsx")
        assert survey.status_code == 400 and "declares a DTD" in _alert(survey.text), kind


def test_xlsx_with_a_dtd_is_one_line_and_exit_1_on_import(tmp_path, db_url, monkeypatch):
    monkeypatch.setenv("GMRD_DATABASE_URL", db_url)
    for kind, doctype in DOCTYPES.items():
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(_workbook_with_dtd(doctype))
        result = CliRunner().invoke(cli, ["import", str(path)])
        assert result.exit_code == 1, kind
        assert result.output.strip() == f"error: {kind}.xlsx: {DTD_MESSAGE}"


def test_xlsx_with_invalid_xml_is_a_400_not_a_500(client):
    workbook = zipfile.ZipFile(io.BytesIO(_workbook_with_dtd("")))
    parts = {info.filename: workbook.read(info.filename) for info in workbook.infolist()}
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row>"  # cut short
    login(client, "carl")
    page = _upload(client, "cut.xlsx", _zip(parts))
    assert page.status_code == 400
    alert = _alert(page.text)
    assert "cut.xlsx" in alert and "not a readable XLSX workbook" in alert and "\n" not in alert
    assert tempfile.gettempdir() not in alert


# 6. expensive downloads -------------------------------------------------------------------------------------

ALL_AREAS = "&".join(f"area={code}" for code in (900, 903, 935, 908, 904, 905, 909, 218))
ALL_AGES = "age=total&age=0-17&age=0-19&age=0-4&age=75%2B"


def test_xlsx_download_over_the_row_limit_points_to_csv(client, monkeypatch):
    login(client, "ana")
    url = f"/estimates?{ALL_AREAS}&{ALL_AGES}&sex=both&sex=male&sex=female"
    monkeypatch.setenv("GMRD_XLSX_MAX_ROWS", "100")
    refused = client.get(f"{url}&format=xlsx")
    assert refused.status_code == 413
    assert "360 rows are more than an XLSX download holds (100, GMRD_XLSX_MAX_ROWS): download CSV or " \
           "SDMX-CSV" in refused.text
    streamed = client.get(f"{url}&format=csv")
    assert streamed.status_code == 200 and "content-length" not in streamed.headers  # sent as it is written
    assert len(list(csv.DictReader(io.StringIO(streamed.text)))) == 360
    sdmx = client.get(f"{url}&format=sdmx-csv")
    assert sdmx.status_code == 200 and len(sdmx.text.splitlines()) == 361
    monkeypatch.setenv("GMRD_XLSX_MAX_ROWS", "360")
    allowed = client.get(f"{url}&format=xlsx")
    assert allowed.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(allowed.content)).active.max_row == 361


def test_revision_comparison_is_paged(client):
    login(client, "ana")
    url = f"/revisions?a=2024-test&b=2025-test&{ALL_AREAS}&{ALL_AGES}&sex=both&sex=male&sex=female"
    page = client.get(f"{url}&per_page=50&page=2")
    assert page.status_code == 200
    body = page.text.split("Estimates of two revisions and their difference", 1)[1]
    assert body.count("<tr>") == 51  # the header row and one page
    assert "Page 2 of 8 (360 rows)" in page.text
    download = client.get(f"{url}&format=csv")
    assert len(list(csv.DictReader(io.StringIO(download.text)))) == 360, "downloads keep every row"


def test_concurrent_heavy_requests_per_user_are_limited(client, app, monkeypatch):
    login(client, "ana")
    limiter = app.state.heavy_requests
    for _ in range(limiter.per_user):  # ana has as many downloads running as allowed
        limiter.acquire("ana")
    for url in ("/estimates?area=218&format=xlsx", "/revisions?a=2024-test&b=2025-test"):
        refused = client.get(url)
        assert refused.status_code == 429, url
        assert refused.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
        assert "downloads or comparisons running" in refused.text
    assert client.get("/estimates?area=218").status_code == 200, "pages without downloads are not limited"
    other = client.__class__(app, follow_redirects=False)
    login(other, "carl")
    assert other.get("/estimates?area=218&format=csv").status_code == 200, "other users are not affected"
    limiter.release("ana")
    held = []
    stream = queries.estimate_chunks

    def watched(*args, **kwargs):  # the database is read while the response is being sent
        held.append(limiter.running("ana"))
        yield from stream(*args, **kwargs)

    monkeypatch.setattr(queries, "estimate_chunks", watched)
    assert client.get("/estimates?area=218&format=csv").status_code == 200
    assert held == [limiter.per_user], "the slot is held while the download streams"
    assert limiter.running("ana") == limiter.per_user - 1, "a finished download gives its slot back"
