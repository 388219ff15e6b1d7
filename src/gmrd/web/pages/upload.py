"""Curator upload: a tabulation file is imported as one transaction, then verified; the report is shown."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from gmrd.errors import GmrdError
from gmrd.ingest.load import import_file
from gmrd.web.auth import Principal
from gmrd.web.deps import CSRF, curator
from gmrd.web.render import render

router = APIRouter(include_in_schema=False)
CHUNK = 1 << 20


def safe_filename(name: str) -> str:
    """The file's base name with only letters, digits, dot, dash and underscore (its suffix picks the reader)."""
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip(".")
    return cleaned[:200] or "upload.csv"


def verification_runner():  # type: ignore[no-untyped-def]
    """The verification package's entry point for a set of sources, if it is installed."""
    try:
        from gmrd.verify.run import verify_sources  # type: ignore[import-not-found]
    except ImportError:
        return None
    return verify_sources


@router.get("/upload")
def upload_form(request: Request, user: Principal = Depends(curator)) -> Response:
    return render(request, "upload.html", report=None, verification=verification_runner() is not None)


@router.post("/upload", dependencies=[CSRF])
async def upload(request: Request, file: UploadFile = File(...), user: Principal = Depends(curator)) -> Response:
    limit = request.app.state.max_upload_bytes
    name = safe_filename(file.filename or "upload.csv")
    with tempfile.TemporaryDirectory(prefix="gmrd-upload-") as tmp:
        path = Path(tmp) / name
        size = 0
        with path.open("wb") as out:
            while block := await file.read(CHUNK):
                size += len(block)
                if size > limit:
                    raise HTTPException(413, f"{name}: the file is over the upload limit of {limit:,} bytes")
                out.write(block)
        error = None
        report = None
        try:
            report = await run_in_threadpool(import_file, path, url=request.app.state.database_url,
                                            actor=user.name)
        except GmrdError as exc:
            error = str(exc)
    findings = None
    runner = verification_runner()
    if report is not None and runner is not None and not report.skipped_duplicate:
        findings = await run_in_threadpool(runner, url=request.app.state.database_url, actor=user.name)
    return render(request, "upload.html", 200 if error is None else 400, report=report, error=error,
                  findings=findings, verification=runner is not None)
