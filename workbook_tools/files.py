"""Saving workbooks, tables and folders: deterministic bytes, written atomically, text kept as
text."""

from __future__ import annotations

import csv
import ctypes
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Collection, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from workbook_tools.errors import UserError

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
    """Write text that stays text: a leading '=' must not turn it into a formula. Empty text
    leaves the cell empty (openpyxl would write an inline string without its text, which
    Excel offers to repair)."""
    if not value:
        cell.value = None
        return
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
              encoding: str = "utf-8-sig", guarded: Container[str] | None = None) -> bytes:
    """A CSV of the rows (with a byte-order mark by default, so that Excel reads accents
    right). A value that a spreadsheet would take for a formula is prefixed with an
    apostrophe, so opening the file never runs what a respondent typed; `guarded` limits that
    to the columns that hold text (a negative number stays a number)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "'" + v if v.startswith(FORMULA_PREFIXES) and (
            guarded is None or k in guarded) else v for k, v in row.items()})
    return buffer.getvalue().encode(encoding)


def save_workbook(workbook: Workbook, path: Path) -> None:
    write_atomic(path, workbook_bytes(workbook))


# --- a folder written whole --------------------------------------------------------------------

_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux's renameat2 with RENAME_EXCHANGE); False where the
    system cannot, and the caller falls back on two renames."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    return int(renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                         _RENAME_EXCHANGE)) == 0


@contextmanager
def folder_written_whole(target: Path, owned: Collection[str]) -> Iterator[Path]:
    """Build a folder in a temporary sibling, then put it in the place of `target` in one step:
    whoever looks finds the old folder or the new one, never half of each, and a failure
    leaves the old one as it was. A target that holds anything but the names in `owned` is
    refused, since what someone put there would be lost."""
    if target.is_symlink():
        target = target.resolve()  # replace the folder it names, not the link
    if target.exists():
        if not target.is_dir():
            raise UserError(f"{target} is a file; give a folder to write into")
        strangers = sorted(p.name for p in target.iterdir() if p.name not in owned)
        if strangers:
            raise UserError(f"{target} holds files this command did not write ("
                            + ", ".join(strangers[:5]) + (", ..." if len(strangers) > 5 else "")
                            + ") and replaces the whole folder; give a new or empty folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp",
                                      dir=target.parent))
    try:
        yield temporary
        for path in sorted(temporary.rglob("*")):
            if path.is_file():
                with path.open("rb") as stream:
                    os.fsync(stream.fileno())
        for folder in [temporary, *sorted(p for p in temporary.rglob("*") if p.is_dir())]:
            os.chmod(folder, 0o755)
        if not target.exists():
            os.rename(temporary, target)
        elif _exchange(temporary, target):
            shutil.rmtree(temporary)  # now the old folder
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old",
                                        dir=target.parent))
            os.rename(target, old / target.name)
            os.rename(temporary, target)
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
