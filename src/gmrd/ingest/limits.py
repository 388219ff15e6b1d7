"""Size guards run on an input file before any reader parses it: file size, gzip and zip expansion.

A compressed file is judged by what it expands to, so that a small upload cannot make a reader
decompress gigabytes (a "zip bomb"):

- any file: at most ``GMRD_MAX_FILE_BYTES`` bytes on disk (default 2 GiB);
- gzip (``.csv.gz``): at most ``GMRD_MAX_FILE_BYTES`` × :data:`EXPANSION_FACTOR` bytes once
  decompressed, and at most :data:`MAX_RATIO` times its compressed size once it passes
  :data:`RATIO_FLOOR` bytes. The check decompresses the stream once, stopping at the first
  limit crossed, so a bomb is refused after reading at most the limit;
- zip (``.xlsx``, survey archives): at most :data:`MAX_MEMBERS` members, their declared uncompressed
  sizes summing to at most ``GMRD_MAX_FILE_BYTES`` × :data:`EXPANSION_FACTOR` and, once the sum passes
  :data:`RATIO_FLOOR`, to at most :data:`MAX_RATIO` times the archive's size (so many small members,
  each too small for its own ratio to be checked, cannot add up to a bomb: 300 members of 1 MiB in a
  390 kB archive are refused), and no member larger than :data:`RATIO_FLOOR` compressed more than
  :data:`MAX_RATIO` times. Python's ``zipfile`` (which openpyxl reads through) never decompresses past
  a member's declared size, so checking the declared sizes bounds what a reader can be made to
  decompress;
- zip: no XML part (``*.xml``, ``*.rels``, ``*.vml``) declares a document type (``<!DOCTYPE``).
  Office Open XML forbids DTDs in its parts (ECMA-376 Part 2, Open Packaging Conventions, §8.1.4:
  package consumers treat a DTD as an error), and a DTD is what external-entity (XXE) and
  entity-expansion ("billion laughs") attacks need; the check reads each part only up to its first
  element.

The factor 16 is set from the published data: the UN Population Division's long-format corpus
(``empirical_data_points.csv.gz``) expands 10.8 times (44.9 MB → 483 MB), the IMS workbooks 4 to 8
times; the ratio 100 is the usual zip-bomb threshold (OWASP: uncompressed/compressed above 100 is
treated as an attack), far above what tables of numbers reach.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from gmrd.config import settings
from gmrd.errors import InputError

EXPANSION_FACTOR = 16
"""Decompressed-size limit as a multiple of GMRD_MAX_FILE_BYTES."""

MAX_RATIO = 100
"""Largest accepted uncompressed/compressed ratio of a gzip stream or a zip member."""

RATIO_FLOOR = 1 << 20
"""Below this many uncompressed bytes the ratio is not checked (tiny repetitive parts are normal)."""

MAX_MEMBERS = 10_000
"""Most members accepted in a zip (an XLSX has a few dozen)."""

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
_BLOCK = 1 << 20


def max_file_bytes() -> int:
    """The configured limit (GMRD_MAX_FILE_BYTES)."""
    return settings().max_upload_bytes


def max_expanded_bytes() -> int:
    """The most bytes a compressed input may expand to."""
    return max_file_bytes() * EXPANSION_FACTOR


def check_size(path: Path) -> int:
    """The file's size; InputError when it is over GMRD_MAX_FILE_BYTES or empty."""
    size = path.stat().st_size
    limit = max_file_bytes()
    if size > limit:
        raise InputError(f"file is {size:,} bytes, over the limit of {limit:,} (GMRD_MAX_FILE_BYTES)",
                         file=path.name)
    if size == 0:
        raise InputError("empty file", file=path.name)
    return size


def check_gzip(path: Path) -> int:
    """Decompressed size of a gzip file (all members); InputError past the limits or when corrupt.

    Stops decompressing as soon as a limit is crossed, so a bomb costs at most the limit's work.
    """
    limit = max_expanded_bytes()
    compressed = path.stat().st_size
    total = 0
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with path.open("rb") as fh:
        data = b""
        while True:
            if not data:
                data = fh.read(_BLOCK)
                if not data:
                    break
            if inflater.eof:  # a further gzip member, or zero padding after the last one
                if not data.strip(b"\x00"):
                    data = b""
                    continue
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                out = inflater.decompress(data, _BLOCK)
            except zlib.error as exc:
                raise InputError(f"corrupt gzip stream: {exc}", file=path.name) from None
            total += len(out)
            _check_expansion(path, total, compressed, limit)
            data = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
    total += len(inflater.flush())
    _check_expansion(path, total, compressed, limit)
    return total


def _check_expansion(path: Path, total: int, compressed: int, limit: int) -> None:
    if total > limit:
        raise InputError(f"decompresses to more than {limit:,} bytes (GMRD_MAX_FILE_BYTES × "
                         f"{EXPANSION_FACTOR}): refused as a possible decompression bomb", file=path.name)
    if total > RATIO_FLOOR and total > MAX_RATIO * compressed:
        raise InputError(f"expands more than {MAX_RATIO} times its compressed size ({compressed:,} bytes): "
                         "refused as a possible decompression bomb", file=path.name)


def check_zip(path: Path) -> int:
    """Total declared uncompressed size of a zip (XLSX); InputError past the limits.

    Readers of XLSX files call this before opening the workbook (``gmrd.ingest.load`` does it for
    every zip it is given, before detection opens it).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"not a readable zip/XLSX file: {exc}", file=path.name) from None
    if len(members) > MAX_MEMBERS:
        raise InputError(f"zip has {len(members):,} members, over the limit of {MAX_MEMBERS:,}: refused as "
                         "a possible decompression bomb", file=path.name)
    limit = max_expanded_bytes()
    compressed = path.stat().st_size
    total = 0
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise InputError(f"zip member {info.filename!r} expands {ratio:,.0f} "
                             f"times (limit {MAX_RATIO}): refused as a possible decompression bomb",
                             file=path.name)
        total += info.file_size
        if total > limit:
            raise InputError(f"zip members decompress to more than {limit:,} bytes (GMRD_MAX_FILE_BYTES × "
                             f"{EXPANSION_FACTOR}): refused as a possible decompression bomb", file=path.name)
        if total > RATIO_FLOOR and total > MAX_RATIO * compressed:
            raise InputError(f"zip members decompress to more than {MAX_RATIO} times the archive's size "
                             f"({compressed:,} bytes): refused as a possible decompression bomb",
                             file=path.name)
    check_xml_parts(path)
    return total


class _Prolog(Exception):
    """Raised by the parser at the first element: the prolog (where a DTD would be) is over."""


XML_PARTS = (".xml", ".rels", ".vml")


def check_xml_parts(path: Path) -> None:
    """InputError when an XML part of the zip declares a DTD (``<!DOCTYPE``); each part is parsed only
    up to its first element. Parts that are not well-formed are left to the reader to report."""
    try:
        with zipfile.ZipFile(path) as zf:
            unsafe = next((info.filename for info in zf.infolist()
                           if info.filename.lower().endswith(XML_PARTS) and _declares_dtd(zf, info)), None)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError,
            zlib.error) as exc:  # a corrupt, encrypted or unsupported member
        raise InputError(f"not a readable zip/XLSX file: {exc}", file=path.name) from None
    if unsafe is not None:
        raise InputError(f"zip member {unsafe!r} declares a DTD (<!DOCTYPE>), which Office Open XML does not "
                         "allow: refused as a possible XML entity attack (XXE)", file=path.name)


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    parser = expat.ParserCreate()
    found = False

    def doctype(*_: object) -> None:
        nonlocal found
        found = True
        raise _Prolog

    def element(*_: object) -> None:
        raise _Prolog

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = element
    with zf.open(info) as part:
        try:
            while block := part.read(1 << 16):
                parser.Parse(block, False)
        except _Prolog:
            pass
        except expat.ExpatError:
            return False
    return found


def check_input(path: Path) -> int:
    """All guards that apply to the file, by its first bytes; returns its size on disk."""
    size = check_size(path)
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic[:2] == GZIP_MAGIC:
        check_gzip(path)
    elif magic == ZIP_MAGIC:
        check_zip(path)
    return size
