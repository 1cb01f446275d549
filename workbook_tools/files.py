"""Saving workbooks and tables: deterministic bytes, written atomically, text kept as text, and
names and texts that every output can hold.

Outputs are staged beside their targets and moved into place together (`Outputs`): a master
and its CSV folder, or a folder of drafts, are replaced as one whole, and no temporary file
survives an error, Ctrl-C or a SIGTERM. A failure to write is the user's to fix (OutputError,
naming the path and why), never reported as a bug.
"""

from __future__ import annotations

import csv
import ctypes
import errno
import io
import os
import re
import shutil
import signal
import tempfile
import threading
import zipfile
from collections.abc import (
    Callable,
    Collection,
    Container,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING

from workbook_tools.errors import OutputError

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
    with Outputs() as outputs:
        outputs.file(path, data)
        outputs.commit()


# --- text every output can hold ------------------------------------------------------------

_CONTROL_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                         "\ud800-\udfff]")
_UNENCODABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escaped(match: re.Match[str]) -> str:
    character = match.group(0)
    if character in _CONTROL_NAMES:
        return _CONTROL_NAMES[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown_path(path: Path | str) -> str:
    """A file name as text any output can hold and no terminal misreads: bytes that are not
    UTF-8 as \\xNN, control and direction characters (a newline, an escape) as escapes."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _UNSHOWABLE.sub(_escaped, text)


def shown_text(text: str) -> str:
    """A text on one terminal line: control and direction characters escaped."""
    return _UNSHOWABLE.sub(_escaped, text)


def safe_text(text: str) -> str:
    """A text that UTF-8 and XML can hold: lone surrogates and the control characters XML
    forbids become U+FFFD. (Readers already clean what they read; this is the last guard.)"""
    if text.isascii() and text.isprintable():
        return text
    return _UNENCODABLE.sub("\ufffd", text)


# --- outputs written as one whole ----------------------------------------------------------

_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
TEMPORARY_SUFFIX = ".tmp"


def _why(exc: OSError) -> str:
    reasons = {
        errno.EACCES: "permission denied; choose a place you may write to",
        errno.EPERM: "permission denied; choose a place you may write to",
        errno.ENOSPC: "the disk is full; free some space or choose another place",
        errno.EDQUOT: "the disk quota is exceeded; free some space or choose another place",
        errno.EROFS: "the file system is read-only; choose another place",
        errno.EISDIR: "it is a folder, not a file",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.ENAMETOOLONG: "the name is too long",
        errno.EEXIST: "something is already there",
        errno.ENOENT: "no file can be created there; choose another place",
    }
    return reasons.get(exc.errno or 0,
                       f"{exc.strerror or type(exc).__name__}; choose another place")


def output_error(path: Path, exc: OSError) -> OutputError:
    return OutputError(shown_path(path), _why(exc))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def _sweep_stale(target: Path) -> None:
    """Remove what a killed run (kill -9, a power cut) left beside the target: temporary
    files and folders of ours whose process is gone."""
    prefix = f".{target.name}."
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith(prefix) and name.endswith(TEMPORARY_SUFFIX):
            pid = name[len(prefix):].partition("-")[0]
            if pid.isascii() and pid.isdigit() and not _alive(int(pid)):
                _remove(entry)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 with RENAME_EXCHANGE); False where the
    system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_current_directory, rename_exchange = -100, 2
    return bool(renameat2(at_current_directory, os.fsencode(first), at_current_directory,
                          os.fsencode(second), rename_exchange) == 0)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold off Ctrl-C and SIGTERM while outputs are moved into place or cleaned up: they are
    delivered right after, never half-way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _exit_on_signal(signum: int, _: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@dataclass
class _Staged:
    temporary: Path
    target: Path
    folder: bool


class Outputs:
    """Files and folders written as one whole. Each is staged beside its target; `commit`
    moves them all into place, signals held off; whatever was not committed is removed when
    the block ends, by an error, Ctrl-C or SIGTERM (which then exits with status 143)."""

    def __init__(self) -> None:
        self._staged: list[_Staged] = []
        self._handlers: dict[int, object] = {}

    def __enter__(self) -> Outputs:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGHUP):
                if signal.getsignal(signum) is signal.SIG_DFL:
                    self._handlers[signum] = signal.signal(signum, _exit_on_signal)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            self.discard()
        finally:
            for signum, handler in self._handlers.items():
                signal.signal(signum, handler)  # type: ignore[arg-type]
            self._handlers.clear()

    def _temporary_prefix(self, target: Path) -> str:
        return f".{target.name}.{os.getpid()}-"

    def _parent(self, target: Path) -> None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise output_error(target.parent, exc) from exc
        _sweep_stale(target)

    def file(self, target: Path, data: bytes) -> None:
        """Stage a file's bytes."""
        if target.is_dir():
            raise OutputError(shown_path(target), "it is a folder, not a file")
        self._parent(target)
        try:
            handle, temporary = tempfile.mkstemp(prefix=self._temporary_prefix(target),
                                                 suffix=TEMPORARY_SUFFIX, dir=target.parent)
            self._staged.append(_Staged(Path(temporary), target, False))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)
        except OSError as exc:
            raise output_error(target, exc) from exc

    def staged_folder(self, target: Path, allowed: Callable[[str], bool],
                      carry: Callable[[str], bool] = lambda _: False,
                      what: str = "what this command writes") -> Path:
        """Stage a folder that will replace `target` as a whole: an empty folder to fill,
        holding the files of the folder it replaces that `carry` keeps. A folder holding
        anything that `allowed` refuses is not replaced: it is the user's, not ours."""
        existing = check_folder(target, allowed, what)
        self._parent(target)
        try:
            temporary = Path(tempfile.mkdtemp(prefix=self._temporary_prefix(target),
                                              suffix=TEMPORARY_SUFFIX, dir=target.parent))
            self._staged.append(_Staged(temporary, target, True))
            for entry in existing:
                if carry(entry.name) and entry.is_file():
                    try:
                        os.link(entry, temporary / entry.name)
                    except OSError:
                        shutil.copy2(entry, temporary / entry.name)
        except OSError as exc:
            raise output_error(target, exc) from exc
        return temporary

    def folder(self, target: Path, files: Mapping[str, bytes], allowed: Callable[[str], bool],
               carry: Callable[[str], bool] = lambda _: False,
               what: str = "what this command writes") -> None:
        """Stage a folder holding exactly `files` (name -> bytes), plus what `carry` keeps."""
        temporary = self.staged_folder(target, allowed, carry, what)
        try:
            for name, data in files.items():
                (temporary / name).write_bytes(data)
        except OSError as exc:
            raise output_error(target, exc) from exc

    def commit(self) -> None:
        """Move everything staged into place."""
        with signals_held():
            try:
                for staged in self._staged:
                    if staged.folder:
                        _settle(staged.temporary)
                for staged in self._staged:
                    if staged.folder:
                        _replace_folder(staged.temporary, staged.target)
                    else:
                        os.replace(staged.temporary, staged.target)
            except OSError as exc:
                raise output_error(staged.target, exc) from exc
            self._staged.clear()

    def discard(self) -> None:
        with signals_held():
            for staged in self._staged:
                _remove(staged.temporary)
            self._staged.clear()


def _settle(folder: Path) -> None:
    """Make a staged folder durable and readable: every file synced, every folder 0o755."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as stream:
                os.fsync(stream.fileno())
            os.chmod(path, 0o644)
    for sub in [folder, *sorted(p for p in folder.rglob("*") if p.is_dir())]:
        os.chmod(sub, 0o755)


@contextmanager
def folder_written_whole(target: Path, owned: Collection[str]) -> Iterator[Path]:
    """Build a folder in a temporary sibling, then put it in the place of `target` in one step:
    whoever looks finds the old folder or the new one, never half of each, and a failure or a
    signal leaves the old one as it was. A target that holds anything but the names in `owned`
    is refused, since what someone put there would be lost."""
    if target.is_symlink():
        target = target.resolve()  # replace the folder it names, not the link
    with Outputs() as outputs:
        yield outputs.staged_folder(target, lambda name: name in owned)
        outputs.commit()


def _replace_folder(temporary: Path, target: Path) -> None:
    if not target.exists():
        os.rename(temporary, target)
        return
    if _exchange(temporary, target):
        _remove(temporary)  # it now holds the previous folder
        return
    previous = temporary.with_name(temporary.name.replace(TEMPORARY_SUFFIX, ".old"
                                                          + TEMPORARY_SUFFIX))
    os.rename(target, previous)
    os.rename(temporary, target)
    _remove(previous)


def check_folder(target: Path, allowed: Callable[[str], bool], what: str = "files"
                 ) -> list[Path]:
    """The files of an output folder about to be replaced, after checking that it is one and
    holds only what we write; raise OutputError otherwise. Nothing is written here."""
    if not target.exists():
        if target.is_symlink():
            raise OutputError(shown_path(target), "it is a broken link")
        return []
    if not target.is_dir():
        raise OutputError(shown_path(target), "it is a file, not a folder")
    try:
        entries = sorted(target.iterdir())
    except OSError as exc:
        raise output_error(target, exc) from exc
    foreign = [entry.name for entry in entries if not allowed(entry.name)]
    if foreign:
        listed = ", ".join(shown_path(name) for name in foreign[:3])
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        raise OutputError(shown_path(target), f"it holds other things than {what} ({listed}"
                          f"{more}), and it is replaced as a whole; give a folder of its own")
    return entries


def check_file(target: Path) -> None:
    """Before any work: the file can be written where asked (raise OutputError if not)."""
    if target.is_dir():
        raise OutputError(shown_path(target), "it is a folder, not a file")
    _check_parent(target)


def _check_parent(target: Path) -> None:
    ancestor = target.parent
    while not ancestor.exists():
        if ancestor.is_symlink():
            raise OutputError(shown_path(ancestor), "it is a broken link")
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(shown_path(target), f"{shown_path(ancestor)} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(shown_path(target), f"permission denied in {shown_path(ancestor)}; "
                          "choose a place you may write to")
    _probe(target, ancestor)


def _probe(target: Path, folder: Path) -> None:
    """Create and remove an empty file in the folder: what permissions do not tell (a
    read-only or virtual file system such as /proc, where even root cannot create files)
    is found before any work rather than at the end of it."""
    try:
        handle, name = tempfile.mkstemp(prefix=".workbook-tools-", suffix=".probe", dir=folder)
    except OSError as exc:
        raise output_error(target, exc) from exc
    os.close(handle)
    with suppress(OSError):
        os.unlink(name)


def check_output_folder(target: Path, allowed: Callable[[str], bool] | None = None,
                        what: str = "files") -> None:
    """Before any work: the folder can be written (and replaced, when `allowed` says what it
    may hold); raise OutputError if not."""
    if target.exists() and not target.is_dir():
        raise OutputError(shown_path(target), "it is a file, not a folder")
    if allowed is not None:
        check_folder(target, allowed, what)
    if target.is_dir():
        if not os.access(target, os.W_OK | os.X_OK):
            raise OutputError(shown_path(target), "permission denied; choose a place you may "
                              "write to")
        if allowed is None:
            _probe(target, target)
            return
    _check_parent(target)


# What spreadsheets take for the start of a formula (OWASP's list for CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, str]],
              encoding: str = "utf-8-sig", guarded: Container[str] | None = None) -> bytes:
    """A CSV of the rows (with a byte-order mark by default, so that Excel reads accents
    right). A value that a spreadsheet would take for a formula is prefixed with an
    apostrophe, so opening the file never runs what a respondent typed; `guarded` limits that
    to the columns that hold text (a negative number stays a number). Every value is text
    UTF-8 can hold."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_text("'" + v if v.startswith(FORMULA_PREFIXES) and (
            guarded is None or k in guarded) else v) for k, v in row.items()})
    return buffer.getvalue().encode(encoding)


def save_workbook(workbook: Workbook, path: Path) -> None:
    write_atomic(path, workbook_bytes(workbook))
