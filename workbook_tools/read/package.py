"""Open a returned file safely: recognize what it is, and check its zip package before anything
is inflated.

Returns come from outside and any of them may be broken or hostile. Everything here works on the
file's bytes, read once; the file itself is never written to. A file that cannot be read
safely raises Rejected with the one issue that says why.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from workbook_tools.model.messages import Word
from workbook_tools.read.sheetxml import BrokenXml, UnsafeXml

T = TypeVar("T")

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # declared, uncompressed
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_RATIO = 100  # Apache POI's default; applied to parts above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
ALLOWED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
NESTED_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".xlsb", ".docx", ".docm", ".pptx", ".pptm", ".odt",
                   ".ods", ".jar")
NESTED_DEPTH = 2
NESTED_MAX_BYTES = 20 * 1024 * 1024  # a larger embedded package is left closed, as all are
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the name of the streams that hold an Outlook item's properties, as OLE2 stores names (UTF-16)
OUTLOOK_STREAM = "__substg1.0_".encode("utf-16-le")
EMAIL_HEAD_BYTES = 65536  # how much of a file is read for an e-mail's headers
# headers only an e-mail starts with (RFC 5322), at least two of which a saved one has
EMAIL_HEADERS = frozenset({"from", "to", "subject", "date", "received", "message-id",
                           "mime-version", "return-path", "delivered-to", "x-mailer",
                           "content-type", "reply-to", "cc"})
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")  # PNG JPEG GIF TIFF
_DRIVE = re.compile(r"^[A-Za-z]:")


class Rejected(Exception):
    """The file cannot be read safely: the code of the problem (messages.yaml) and its values."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# What inflating a damaged member raises: its bytes, not the tool, are at fault.
DAMAGED_MEMBER = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                  NotImplementedError, struct.error)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as stream:
            # zipfile stops at the declared size, which the checks have already bounded, and
            # checks the CRC-32 once it reaches the end
            return stream.read(info.file_size + 1)
    except DAMAGED_MEMBER as exc:
        raise Rejected("damaged-zip", part=info.filename[:200]) from exc


@dataclass
class Package:
    """A workbook package that passed every check; members are read with bounded sizes."""

    path: Path
    sha256: str
    archive: zipfile.ZipFile
    names: dict[str, str]  # lower-cased name -> name as stored
    macros: list[str] = field(default_factory=list)
    external_links: list[str] = field(default_factory=list)
    mtime_ns: int = 0  # the file's modification time when it was read
    inflated: int = 0  # bytes inflated so far: the work the package has cost

    def has(self, name: str) -> bool:
        return name.lower() in self.names

    def stored_name(self, name: str) -> str:
        return self.names[name.lower()]

    def read(self, name: str) -> bytes:
        data = _read_member(self.archive, self.archive.getinfo(self.stored_name(name)))
        self.inflated += len(data)
        return data

    def parsed(self, data: bytes, part: str, reader: Callable[..., T], *args: Any) -> T:
        """A part read by one of the XML readers, naming the part in any XML error."""
        try:
            return reader(data, *args)
        except UnsafeXml as exc:
            raise UnsafeXml(part) from exc
        except BrokenXml as exc:
            raise BrokenXml(part, str(exc)) from exc


def _read_file(path: Path) -> tuple[bytes, int]:
    """The file's bytes (bounded) and modification time. Opened without blocking, so that a
    named pipe or a device given as a return is refused instead of waited on."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                         | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Rejected("unreadable-file", reason=exc.strerror or type(exc).__name__) from exc
    with os.fdopen(handle, "rb") as stream:  # read only: the file given is never changed
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise Rejected("unreadable-file", reason=Word("not-a-regular-file"))
        if status.st_size > MAX_FILE_BYTES:
            raise Rejected("file-too-large", size=f"{status.st_size / 1024 / 1024:.0f}")
        try:
            data = stream.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise Rejected("unreadable-file", reason=exc.strerror or type(exc).__name__) from exc
    if len(data) > MAX_FILE_BYTES:
        raise Rejected("file-too-large", size=f"{len(data) / 1024 / 1024:.0f}")
    return data, status.st_mtime_ns


def open_package(path: Path) -> Package:
    """Read the file, recognize it, check its package; raise Rejected when it cannot be read."""
    data, mtime_ns = _read_file(path)
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        raise Rejected("empty-file")
    if data.startswith(OLE2_MAGIC):
        if OUTLOOK_STREAM in data:  # an Outlook item's properties: an e-mail saved as .msg
            raise Rejected("saved-email", format="Outlook (.msg)")
        code, params = _ole2_problem(data)
        raise Rejected(code, **params)
    if not data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        offset = data.find(ZIP_MAGIC)
        if offset > 0 and _is_zip(data):
            raise Rejected("bytes-before-workbook", count=offset)
        if _is_saved_email(data):
            raise Rejected("saved-email", format=".eml")
        raise Rejected("not-a-workbook", found=Word(_what_is(data)))
    archive = _open_zip(data)
    check_archive(archive, depth=0)
    names = {info.filename.lower(): info.filename for info in archive.infolist()}
    package = Package(path, digest, archive, names, mtime_ns=mtime_ns)
    _recognize(package)
    return package


def _is_zip(data: bytes) -> bool:
    try:
        zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return True


def _open_zip(data: bytes) -> zipfile.ZipFile:
    entries = _declared_entries(data)
    if entries is not None and entries > MAX_MEMBERS:
        raise Rejected("zip-bomb", reason=f"{entries} parts (a workbook has a few "
                                                     "dozen)")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            struct.error) as exc:
        if data.startswith(ZIP_MAGIC) and data.rfind(b"PK\x05\x06") < 0:
            raise Rejected("truncated-file") from exc
        raise Rejected("broken-xml", part="(zip)", reason=str(exc)) from exc


def _declared_entries(data: bytes) -> int | None:
    """The entry count of the end-of-central-directory record, before zipfile parses it all."""
    end = data.rfind(EMPTY_ZIP_MAGIC, max(0, len(data) - 66_000))
    if end < 0 or end + 22 > len(data):
        return None
    (entries,) = struct.unpack("<H", data[end + 10 : end + 12])
    return None if entries == 0xFFFF else entries


def check_archive(archive: zipfile.ZipFile, depth: int) -> None:
    """Refuse on what the central directory declares, before inflating anything."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise Rejected("zip-bomb", reason=f"{len(infos)} parts")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        folded = name.lower()
        if folded in seen:
            raise Rejected("unsafe-zip", reason=f"the part {name!r} twice")
        seen.add(folded)
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or "\\" in name or ".." in parts or _DRIVE.match(name):
            raise Rejected("unsafe-zip", reason=f"a part named {name!r}, which "
                                                           "points outside the workbook")
        if info.flag_bits & 0x1:
            raise Rejected("unsafe-zip", reason=f"an encrypted part ({name})")
        if info.compress_type not in ALLOWED_METHODS:
            raise Rejected("zip-bomb", reason=f"the part {name} compressed with "
                                                         f"method {info.compress_type}, which "
                                                         "Excel never uses")
        if info.file_size > MAX_MEMBER_BYTES:
            raise Rejected("zip-bomb", reason=f"a part of {info.file_size:,} bytes "
                                                         f"({name})")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise Rejected(
                "zip-bomb", reason=f"a part ({name}) that inflates "
                                   f"{info.file_size // max(info.compress_size, 1):,} times")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise Rejected("zip-bomb", reason=f"more than {MAX_TOTAL_BYTES:,} bytes "
                                                         "once inflated")
    if depth < NESTED_DEPTH:
        for info in infos:
            if info.filename.lower().endswith(NESTED_SUFFIXES) and (
                info.file_size <= NESTED_MAX_BYTES
            ):
                _check_nested(archive, info, depth)


def _check_nested(archive: zipfile.ZipFile, info: zipfile.ZipInfo, depth: int) -> None:
    """An embedded package is checked the same way, though nothing here ever opens it."""
    inner = _read_member(archive, info)
    try:
        nested = zipfile.ZipFile(io.BytesIO(inner))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        return  # not a package after all: never opened, so harmless
    try:
        check_archive(nested, depth + 1)
    except Rejected as exc:
        raise Rejected(exc.code, reason=f"{exc.params.get('reason', '')} inside the "
                                        f"embedded {info.filename}") from exc


def _recognize(package: Package) -> None:
    if package.has("xl/workbook.bin"):
        raise Rejected("legacy-format", format="Excel Binary Workbook (.xlsb)")
    if package.has("mimetype"):
        kind = package.read("mimetype")[:100]
        if b"spreadsheet" in kind:
            raise Rejected("legacy-format", format="OpenDocument Spreadsheet (.ods)")
        raise Rejected("not-a-workbook", found=Word("an-office-file"))
    if not any(folded.startswith("xl/") for folded in package.names):
        # what the file is, said to whoever sent it; a spreadsheet package is then resolved
        # part by part (parts.py), and any part it lacks is named
        if package.has("word/document.xml"):
            raise Rejected("not-a-workbook", found=Word("a-word-document"))
        if package.has("[content_types].xml"):
            raise Rejected("not-a-workbook", found=Word("an-office-file"))
        raise Rejected("not-a-workbook", found=Word("a-zip-archive"))
    for folded, name in sorted(package.names.items()):
        if folded == "xl/vbaproject.bin" or folded.startswith(("xl/macrosheets/", "xl/activex/")):
            package.macros.append(name)
        elif folded.startswith("xl/externallinks/") and folded.endswith(".xml"):
            package.external_links.append(name)


def _ole2_problem(data: bytes) -> tuple[str, dict[str, Any]]:
    """An OLE2 container is an encrypted workbook or a legacy Office file; say which."""
    import msoffcrypto
    from msoffcrypto.exceptions import FileFormatError

    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        encrypted = office.is_encrypted()
        kind = type(office).__name__
    except (FileFormatError, OSError, ValueError, KeyError, IndexError, struct.error,
            AssertionError, AttributeError, TypeError, NotImplementedError):
        # olefile fails on damaged containers; the bytes still say what the file claims to be
        return "legacy-format", {"format": "Excel 97-2003 Workbook (.xls)"}
    if encrypted:
        return "encrypted", {}
    if kind == "Xls97File":
        return "legacy-format", {"format": "Excel 97-2003 Workbook (.xls)"}
    return "not-a-workbook", {"found": Word("an-office-file")}


def _is_saved_email(data: bytes) -> bool:
    """A file that opens with an e-mail's header lines (name: value) up to its first blank
    line: at least two headers that only e-mails have, one of them From, Received or Date; or
    a mail server's trace headers (Received...) still going where the window read ends."""
    # headers are ASCII; a mail server's (Received, ARC, DKIM...) can run to tens of KiB
    head = data[:EMAIL_HEAD_BYTES].decode("latin-1").lstrip("\r\n")
    lines = head.splitlines()
    cut = len(data) > EMAIL_HEAD_BYTES and "\n\n" not in head.replace("\r", "")
    if cut:
        lines = lines[:-1]  # the window ends inside the headers: its last line is cut
    names: set[str] = set()
    for line in lines:
        if not line.strip():
            break
        if line[0] in " \t":  # a header folded onto the next line
            continue
        name, colon, _ = line.partition(":")
        if not colon or not name or " " in name:
            return False
        names.add(name.lower())
    found = names & EMAIL_HEADERS
    if cut and found & {"received", "return-path", "delivered-to"}:
        return True  # a mail server's trace headers, still going where the window ends
    return len(found) >= 2 and bool(found & {"from", "received", "date"})


def _what_is(data: bytes) -> str:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (Excel's "Unicode Text")
        head = head.decode("utf-16", "replace").encode("utf-8")
    if head.startswith(b"%PDF"):
        return "a-pdf"
    if head.startswith(IMAGE_MAGIC):
        return "an-image"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = head[:-3].decode("utf-8")  # a multi-byte character cut by the 4 KiB window
        except UnicodeDecodeError:
            # a text in a Western code page (LibreOffice's CSV default): every byte decodes,
            # so only the share of printable characters below tells text from data
            text = head.decode("latin-1")
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<"):
        return "a-markup-file"
    printable = sum(ch.isprintable() or ch in "\t\r\n" for ch in text)
    return "a-text-file" if printable >= 0.95 * max(len(text), 1) else "unknown-data"
