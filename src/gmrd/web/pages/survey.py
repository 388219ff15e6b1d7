"""Survey analysis page: a curator uploads left-behind survey data (and optionally its analysis
configuration) and sees the report of ``gmrd survey analyze`` in the site, with downloads.

The data is one file: a .zip of MICS-style linked files (hh, hl, ch, ma, or those the
configuration's ``files:`` names; folders inside the .zip are ignored), an ODK Central .zip or
KoboToolbox .xlsx export, or one .sav/.zsav/.dta/.csv file of household members. Without a
configuration the toolkit's defaults apply (``parse_config({})``, docs/survey.md section 3): MICS
variable names, no weights, strata or clusters, so the analysis treats the households as a simple
random sample and its report carries that warning.

Results are kept server-side only for the downloads: the HTML report and the estimates JSON are
written under ``<system temp>/gmrd-survey-<uid>/<token>/`` (a folder private to the server's
account) with a random token and the uploader's name; only that user can download them, and they
are deleted :data:`KEEP_SECONDS` after the upload (expired folders are removed at each upload and
refused at download). The page itself is rendered from the POST. With several machines behind one
address the downloads work only on the machine that ran the analysis (upload again otherwise).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from gmrd.errors import GmrdError, InputError
from gmrd.export.cells import neutralise, write_table
from gmrd.ingest.limits import check_input
from gmrd.survey.analyze import AnalysisResult, analyze_path
from gmrd.survey.load import DEFAULT_FILES
from gmrd.survey.load_config import MAX_CONFIG_BYTES, AnalysisConfig, parse_config, read_config
from gmrd.survey.report import (
    chart_specs,
    format_number,
    format_percent,
    render_html,
    result_document,
    result_tables,
)
from gmrd.web.auth import Principal
from gmrd.web.deps import CSRF, curator
from gmrd.web.pages.upload import CHUNK, safe_filename, save_upload
from gmrd.web.render import render

router = APIRouter(include_in_schema=False)
KEEP_SECONDS = 6 * 3600
"""How long the downloads of an analysis stay available."""
DATA_SUFFIXES = (".zip", ".xlsx", ".sav", ".zsav", ".dta", ".csv")
LINKED_SUFFIXES = (".sav", ".zsav", ".dta", ".csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = ("left_behind", "group_means", "comparisons", "remittances", "reliability")
"""The estimate tables (:func:`gmrd.survey.report.result_tables`), each also a CSV download."""
DOWNLOADS = {"report.html": "text/html; charset=utf-8", "estimates.json": "application/json",
             "estimates.xlsx": XLSX, **{f"{name}.csv": "text/csv; charset=utf-8" for name in TABLES}}
TOKEN = re.compile(r"[A-Za-z0-9_-]{24}")
"""A result token: ``secrets.token_urlsafe(18)``."""


def results_root() -> Path:
    """The folder of stored results, created private (0700) to the server's account on first use.

    Raises GmrdError when it exists but is a link, another account's, or readable by others.
    """
    root = Path(tempfile.gettempdir()) / f"gmrd-survey-{os.getuid()}"
    root.mkdir(mode=0o700, exist_ok=True)
    info = os.lstat(root)
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise GmrdError(f"the survey results folder {root} is not private to this account: remove it")
    return root


def _linked_members(archive: zipfile.ZipFile, config: AnalysisConfig) -> list[zipfile.ZipInfo] | None:
    """The data files of a .zip of linked files, or None when it is an ODK Central export."""
    members = [m for m in archive.infolist() if not m.is_dir() and "__MACOSX" not in m.filename.split("/")
               and not Path(m.filename).name.startswith(".") and Path(m.filename).suffix.lower() in LINKED_SUFFIXES]
    stems = {Path(m.filename).stem.lower() for m in members}
    # ODK names its files <form>.csv and <form>-<repeat>.csv; linked files are hh, hl, ch, ma
    odk = any("-" in stem for stem in stems)
    linked = bool(config.files) or (not odk and bool(stems & {DEFAULT_FILES["households"], DEFAULT_FILES["members"]}))
    return members if linked else None


def survey_input(path: Path, config: AnalysisConfig, folder: Path) -> Path:
    """What :func:`gmrd.survey.load.load_survey` reads for the uploaded file: the file itself, or the
    folder a .zip of linked files is unpacked into (flat, names made safe; size limits checked first).

    Raises
    ------
    InputError
        An unsupported type, an empty file, a file over the size limits, or two members with one name.
    """
    if path.suffix.lower() not in DATA_SUFFIXES:
        raise InputError(f"unsupported file type {path.suffix!r} (use {', '.join(DATA_SUFFIXES)})", file=path.name)
    check_input(path)  # size, and for zip/xlsx the member count and declared expansion
    if path.suffix.lower() != ".zip":
        return path
    try:
        with zipfile.ZipFile(path) as archive:
            members = _linked_members(archive, config)
            if members is None:
                return path
            folder.mkdir()
            for member in members:
                target = folder / safe_filename(member.filename)
                if target.exists():
                    raise InputError(f"two files named {target.name} in the .zip", file=path.name)
                with archive.open(member) as source, target.open("xb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"cannot unpack the .zip: {exc}", file=path.name) from None
    return folder


@dataclass(frozen=True)
class Analysis:
    """What the page shows of one analysis."""

    result: AnalysisResult
    default_config: bool
    charts: dict[str, list[dict[str, Any]]]
    tables: dict[str, dict[str, Any]]
    token: str


def analyze_upload(data: Path, config_path: Path | None, work: Path, owner: str) -> Analysis:
    """Read the configuration (or take the defaults), load and analyse the data, store the downloads."""
    config = read_config(config_path) if config_path else parse_config({}, "default configuration")
    result = analyze_path(survey_input(data, config, work / "data"), config)
    token = store_result(owner, render_html(result), result_document(result), result_tables(result))
    charts = {name: [_finite(spec) for spec in specs] for name, specs in chart_specs(result).items()}
    return Analysis(result, config_path is None, charts, view_tables(result), token)


def store_result(owner: str, html: str, document: dict[str, Any], tables: dict[str, pd.DataFrame]) -> str:
    """Write the downloads of one analysis under a new random token (removing expired ones first): the
    report, the estimates as JSON, each table as CSV and all of them as one workbook (a sheet each);
    spreadsheet formulas are neutralised (:mod:`gmrd.export.cells`)."""
    root = results_root()
    now = time.time()
    for old in root.iterdir():
        try:
            expired = now - old.stat().st_mtime > KEEP_SECONDS
        except OSError:  # removed meanwhile by another worker
            continue
        if expired:
            shutil.rmtree(old, ignore_errors=True)
    token = secrets.token_urlsafe(18)
    folder = root / token
    folder.mkdir(mode=0o700)
    (folder / "report.html").write_text(html, encoding="utf-8")
    (folder / "estimates.json").write_text(json.dumps(document, default=str, allow_nan=False), encoding="utf-8")
    with pd.ExcelWriter(folder / "estimates.xlsx", engine="openpyxl") as workbook:
        for name in TABLES:
            write_table([tables[name]], folder / f"{name}.csv", "csv")
            neutralise(tables[name]).to_excel(workbook, sheet_name=name, index=False)
    (folder / "owner").write_text(owner, encoding="utf-8")  # last: a folder without it is not served
    return token


def stored_file(token: str, name: str, owner: str) -> Path:
    """A download of an analysis by ``owner``; 404 for an unknown, expired or someone else's token."""
    missing = HTTPException(404, f"no such survey analysis (results are kept {KEEP_SECONDS // 3600} hours, "
                                 "for the user who uploaded the data only)")
    if name not in DOWNLOADS or not TOKEN.fullmatch(token):
        raise missing
    folder = results_root() / token
    try:
        if (time.time() - folder.stat().st_mtime > KEEP_SECONDS
                or (folder / "owner").read_text(encoding="utf-8") != owner):
            raise missing
    except OSError:
        raise missing from None
    return folder / name


def _finite(value: Any) -> Any:
    """A chart spec with NaN (an undefined interval) as null, which plotly draws as a gap."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


def _rows(frame: pd.DataFrame, columns: list[tuple[str, str, Any]]) -> dict[str, Any]:
    """Header and formatted rows of a table: columns are (heading, frame column, formatter or None for text)."""
    rows = [[str(row[c]) if fmt is None else fmt(row[c]) for _, c, fmt in columns]
            for row in frame.to_dict(orient="records")]
    return {"columns": [h for h, _, _ in columns], "numeric": [fmt is not None for _, _, fmt in columns],
            "rows": rows}


def _share_and_number(table: pd.DataFrame) -> pd.DataFrame:
    keys = ["indicator", "label", "domain", "group"]
    shares = table[table["statistic"] == "share"]
    numbers = table[table["statistic"] == "number"][keys + ["estimate", "ci_low", "ci_high"]]
    return shares.merge(numbers, on=keys, suffixes=("", "_number"), how="left", sort=False)


def view_tables(result: AnalysisResult) -> dict[str, dict[str, Any]]:
    """The tables of the page (every chart's numbers are in one of them), formatted as the report's."""
    num, pct = format_number, format_percent

    def count(value: Any) -> str:
        return format_number(value, 0)

    tables: dict[str, dict[str, Any]] = {}
    design = pd.DataFrame(list(result.design.values()))
    if not design.empty:
        tables["design"] = _rows(design, [("Analysis unit", "unit", None), ("Rows", "rows", count),
                                          ("PSUs", "psus", count), ("Strata", "strata", count),
                                          ("Design df", "df", count), ("Sum of weights", "sum_of_weights", count),
                                          ("Single-PSU strata", "lonely_strata", count)])
    if not result.left_behind.empty:
        tables["left_behind"] = _rows(_share_and_number(result.left_behind), [
            ("Indicator", "label", None), ("Domain", "domain", None), ("Group", "group", None),
            ("Share %", "estimate", pct), ("CI low %", "ci_low", pct), ("CI high %", "ci_high", pct),
            ("Number", "estimate_number", count), ("CI low", "ci_low_number", count),
            ("CI high", "ci_high_number", count), ("Deff", "deff", lambda v: num(v, 2)),
            ("n", "n", count)])
    if not result.group_means.empty:
        tables["means"] = _rows(result.group_means, [
            ("Outcome", "label", None), ("Group", "group", None), ("Mean", "estimate", num), ("SE", "se", num),
            ("CI low", "ci_low", num), ("CI high", "ci_high", num), ("n", "n", count)])
    if not result.comparisons.empty:
        tables["comparisons"] = _rows(result.comparisons, [
            ("Outcome", "label", None), ("Difference", "difference", num), ("CI low", "ci_low", num),
            ("CI high", "ci_high", num), ("t", "t", lambda v: num(v, 2)), ("df", "df", count),
            ("p", "p_value", lambda v: num(v, 4)), ("Hedges' g", "hedges_g", lambda v: num(v, 2)),
            ("Rao-Scott F", "rao_scott_f", lambda v: num(v, 2)), ("Rao-Scott p", "rao_scott_p", lambda v: num(v, 4))])
    for outcome, dist in result.distributions.items():
        groups = [c for c in dist.columns if c != "value"]
        tables[f"distribution_{outcome}"] = _rows(dist, [("Value", "value", lambda v: f"{v:g}")] + [
            (f"{g} %", g, lambda v: num(v, 1)) for g in groups])
    if not result.remittances.empty:
        money = (result.remittances["item"] == "Mean amount").tolist()
        shown = result.remittances.assign(**{  # shares in percent, the mean amount as a number
            c: [count(v) if m else pct(v) for v, m in zip(result.remittances[c], money, strict=True)]
            for c in ("estimate", "ci_low", "ci_high")})
        tables["remittances"] = _rows(shown, [
            ("Section", "section", None), ("Item", "item", None), ("Estimate (% or amount)", "estimate", str),
            ("CI low", "ci_low", str), ("CI high", "ci_high", str), ("n", "n", count)])
    if not result.reliability.empty:
        tables["reliability"] = _rows(result.reliability, [
            ("Scale", "scale", None), ("Items", "items", count), ("Respondents", "respondents", count),
            ("Cronbach's α", "alpha", num), ("CI low (Feldt)", "ci_low", num), ("CI high (Feldt)", "ci_high", num),
            ("Lowest corrected item-total r", "lowest_item_total", None)])
    return tables


def _public(message: str, work: Path, name: str) -> str:
    """An error message with the server's working paths replaced by the uploaded file's name."""
    return (message.replace(f"{work / 'data'}{os.sep}", f"{name}/").replace(str(work / "data"), name)
            .replace(f"{work / 'in'}{os.sep}", "").replace(f"{work / 'config'}{os.sep}", ""))


@router.get("/survey")
def survey_form(request: Request, user: Principal = Depends(curator)) -> Response:
    return render(request, "survey.html", analysis=None)


@router.post("/survey", dependencies=[CSRF])
async def survey_upload(request: Request, data: UploadFile = File(...), config: UploadFile | None = File(None),
                        user: Principal = Depends(curator)) -> Response:
    limit = request.app.state.max_upload_bytes
    name = safe_filename(data.filename or "survey.zip")
    error = None
    analysis = None
    with tempfile.TemporaryDirectory(prefix="gmrd-survey-upload-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        await save_upload(data, work / "in" / name, limit)
        config_path = None
        if config is not None and config.filename:
            (work / "config").mkdir()
            config_path = work / "config" / safe_filename(config.filename)
            await save_upload(config, config_path, min(limit, MAX_CONFIG_BYTES))
        try:
            analysis = await run_in_threadpool(analyze_upload, work / "in" / name, config_path, work, user.name)
        except GmrdError as exc:
            error = _public(str(exc), work, name)
    return render(request, "survey.html", 200 if error is None else 400, analysis=analysis, error=error,
                  file=name, charts=analysis is not None and any(analysis.charts.values()))


@router.get("/survey/results/{token}/{name}")
def survey_download(token: str, name: str, user: Principal = Depends(curator)) -> Response:
    path = stored_file(token, name, user.name)
    return FileResponse(path, media_type=DOWNLOADS[name], filename=f"survey-{name}",
                        content_disposition_type="attachment")
