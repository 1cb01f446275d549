"""Saving workbooks and tables: deterministic bytes, written atomically, text kept as text."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook

# A zip entry's timestamp and the document's creation and modification times are fixed, so the
# same inputs give the same file, byte for byte.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
DOCUMENT_TIMESTAMP = "2000-01-01T00:00:00Z"
_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
# openpyxl writes a font's properties in its own order; the Open XML SDK (and so Excel's
# strictest reading) expects the schema's sequence of CT_Font.
_FONT = re.compile(rb"<font>((?:<[a-zA-Z]+\b[^<>]*/>)+)</font>")
_FONT_PROPERTY = re.compile(rb"<([a-zA-Z]+)\b[^<>]*/>")
FONT_ORDER = (b"b", b"i", b"strike", b"condense", b"extend", b"outline", b"shadow", b"u",
              b"vertAlign", b"sz", b"color", b"name", b"family", b"charset", b"scheme")


def set_text(cell: Cell, value: str) -> None:
    """Write text that stays text: a leading '=' must not turn it into a formula."""
    cell.value = value
    cell.data_type = "s"


def normalize_package(data: bytes) -> bytes:
    """Rewrite an xlsx package with fixed timestamps, keeping the member order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _W3CDTF.sub(rb"\g<1>" + DOCUMENT_TIMESTAMP.encode() + rb"\g<2>", content)
            elif info.filename == "xl/styles.xml":
                content = _FONT.sub(_schema_ordered_font, content)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, content, compresslevel=6)
    return out.getvalue()


def _schema_ordered_font(match: re.Match[bytes]) -> bytes:
    properties = [(found.group(1), found.group(0))
                  for found in _FONT_PROPERTY.finditer(match.group(1))]
    if any(name not in FONT_ORDER for name, _ in properties):
        return match.group(0)
    properties.sort(key=lambda item: FONT_ORDER.index(item[0]))
    return b"<font>" + b"".join(xml for _, xml in properties) + b"</font>"


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalize_package(buffer.getvalue())


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a crash never leaves half a file where a good one was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# What spreadsheets take for the start of a formula (OWASP's list for CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, str]],
              encoding: str = "utf-8-sig") -> bytes:
    """A CSV of the rows (with a byte-order mark by default, so that Excel reads accents
    right). A value that a spreadsheet would take for a formula is prefixed with an
    apostrophe, so opening the file never runs what a respondent typed."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "'" + v if v.startswith(FORMULA_PREFIXES) else v
                         for k, v in row.items()})
    return buffer.getvalue().encode(encoding)


def save_workbook(workbook: Workbook, path: Path) -> None:
    write_atomic(path, workbook_bytes(workbook))
