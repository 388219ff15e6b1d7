"""Curator upload: a tabulation file is imported as one transaction, then verified; the report is shown."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from gmrd.db import aliases, queries
from gmrd.errors import GmrdError, InputError, UnknownCountry
from gmrd.ingest.load import file_checksum, import_file
from gmrd.ingest.written_dates import parse_date
from gmrd.reference.country_names import resolve_origin
from gmrd.reference.user_aliases import UserAlias
from gmrd.web.auth import Principal
from gmrd.web.deps import CSRF, curator, engine
from gmrd.web.render import render

router = APIRouter(include_in_schema=False)
CHUNK = 1 << 20


def safe_filename(name: str) -> str:
    """The file's base name with only letters, digits, dot, dash and underscore (its suffix picks the reader)."""
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip(".")
    return cleaned[:200] or "upload.csv"


async def save_upload(upload: UploadFile, path: Path, limit: int) -> None:
    """Write an uploaded file in chunks; 413 as soon as it passes ``limit`` bytes."""
    size = 0
    with path.open("wb") as out:
        while block := await upload.read(CHUNK):
            size += len(block)
            if size > limit:
                raise HTTPException(413, f"{path.name}: the file is over the upload limit of {limit:,} bytes")
            out.write(block)


def verification_runner():  # type: ignore[no-untyped-def]
    """gmrd.verify.run.verify, if the verification package is installed in this tree."""
    try:
        from gmrd.verify.run import verify
    except ImportError:
        return None
    return verify


def verify_file(url: str, checksum: str) -> list[dict[str, object]]:
    """Run the checks on the sources the file with ``checksum`` brought; their findings as dicts."""
    from gmrd.db.engine import get_engine

    runner = verification_runner()
    with get_engine(url).connect() as conn:
        ids = queries.sources_of_file(conn, checksum)
    if runner is None or not ids:
        return []
    result = runner(url=url, source_ids=ids)
    columns = [c for c in ("source_id", "source_title", "check", "severity", "message") if c in result.findings]
    return result.findings[columns].to_dict("records")


@router.get("/upload")
def upload_form(request: Request, user: Principal = Depends(curator)) -> Response:
    return render(request, "upload.html", report=None, verification=verification_runner() is not None)


@router.post("/upload", dependencies=[CSRF])
async def upload(request: Request, file: UploadFile = File(...), user: Principal = Depends(curator)) -> Response:
    limit = request.app.state.max_upload_bytes
    name = safe_filename(file.filename or "upload.csv")
    with tempfile.TemporaryDirectory(prefix="gmrd-upload-") as tmp:
        path = Path(tmp) / name
        await save_upload(file, path, limit)
        error = None
        report = None
        alias_label = None
        try:
            report = await run_in_threadpool(import_file, path, url=request.app.state.database_url,
                                            actor=user.name)
            checksum = file_checksum(path)
        except UnknownCountry as exc:
            error, alias_label = str(exc), exc.label
        except GmrdError as exc:
            error = str(exc)
    findings = None
    available = verification_runner() is not None
    if report is not None and available and not report.skipped_duplicate:
        try:
            findings = await run_in_threadpool(verify_file, request.app.state.database_url, checksum)
        except GmrdError as exc:
            error = f"imported, but verification failed: {exc}"
    return render(request, "upload.html", 200 if error is None else 400, report=report, error=error,
                  findings=findings, verification=available, alias_label=alias_label)


def _alias(label: str, code: str, valid_from: str, valid_to: str) -> UserAlias:
    """The alias of the upload page's form: ``code`` an M49 number or a name that resolves."""
    text = code.strip()
    number = int(text) if text.isdigit() else resolve_origin(text)
    days = []
    for name, value in (("valid from", valid_from), ("valid to", valid_to)):
        if not value.strip():
            days.append(None)
            continue
        day, precision = parse_date(value)
        if precision != "day":
            raise InputError(f"{name} {value!r} needs a day: write YYYY-MM-DD")
        days.append(day)
    return UserAlias(label, number, days[0], days[1])


@router.post("/upload/alias", dependencies=[CSRF])
def add_alias(request: Request, label: str = Form(..., max_length=200), code: str = Form(..., max_length=200),
              reason: str = Form("", max_length=2000), valid_from: str = Form("", max_length=40),
              valid_to: str = Form("", max_length=40), user: Principal = Depends(curator)) -> Response:
    """Add the country alias offered beside an unknown-country error (audited like the CLI's)."""
    try:
        alias = _alias(label, code, valid_from, valid_to)
        with engine(request).begin() as conn:
            result = aliases.add_many(conn, [(None, alias)], reason=reason, actor=user.name)
            name = aliases.area_name(alias.code, aliases.area_names(conn))
    except GmrdError as exc:
        return render(request, "upload.html", 400, report=None, error=f"alias not added: {exc}",
                      verification=verification_runner() is not None, alias_label=label)
    done = "added" if result.added else "already present"
    return render(request, "upload.html", report=None, verification=verification_runner() is not None,
                  alias_added=f"alias {done}: {alias.label!r} → {alias.code} ({name}); upload the file again")
