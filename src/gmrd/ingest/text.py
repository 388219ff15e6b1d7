"""Reading delimited text as published: encoding (UTF-8, BOM, Latin-1/CP1252) and delimiter detection."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from gmrd.errors import InputError

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def detect_encoding(path: Path, sample_bytes: int = 1 << 20) -> str:
    """The first of UTF-8 (with or without BOM), CP1252 and Latin-1 that decodes the file's start."""
    size = path.stat().st_size
    raw = path.read_bytes() if size <= sample_bytes else _head(path, sample_bytes)
    if b"\x00" in raw:
        raise InputError("binary content (NUL bytes): not a text table", file=path.name)
    for encoding in ENCODINGS:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8-sig" and len(raw) < size and exc.reason == "unexpected end of data":
                return encoding  # a multi-byte character cut by the sample's end
            continue
        return encoding
    return "latin-1"


def _head(path: Path, n: int) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


def detect_delimiter(first_line: str) -> str:
    """Comma, semicolon or tab: whichever splits the header line into the most fields."""
    return max((",", ";", "\t"), key=lambda d: len(next(csv.reader([first_line], delimiter=d))))


def first_line(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        return fh.readline()


def read_text_chunks(path: Path, chunksize: int = 200_000) -> Iterator[pd.DataFrame]:
    """All cells as strings ("" for empty), with a 'row' column giving the file's line number."""
    encoding = detect_encoding(path)
    delimiter = detect_delimiter(first_line(path, encoding))
    try:
        reader = pd.read_csv(path, sep=delimiter, dtype=str, keep_default_na=False, encoding=encoding,
                             chunksize=chunksize, skipinitialspace=True, on_bad_lines="error")
        start = 2
        for chunk in reader:
            chunk.columns = [str(c).strip() for c in chunk.columns]
            chunk.insert(0, "row", range(start, start + len(chunk)))
            start += len(chunk)
            yield chunk
    except pd.errors.ParserError as exc:
        raise InputError(f"malformed CSV: {exc}", file=path.name) from None
    except pd.errors.EmptyDataError:
        raise InputError("empty file: no header row", file=path.name) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"mixed text encodings: the start reads as {encoding}, a later part does not "
                         f"({exc.reason}); save the file as UTF-8", file=path.name) from None
