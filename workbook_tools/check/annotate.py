"""An annotated copy of an invalid return, ready to send back: each problem cell highlighted
with a comment in the respondent's language, and a first sheet listing the problems with links.

The file given is never changed: the copy is written elsewhere. It is feedback only: like any
program that is not Excel, openpyxl drops some Excel extensions when it saves.

openpyxl is never trusted with a hostile file. The copy is made only from the very bytes that
were validated, with sheets of questionnaire size whose merged cells and linked ranges (which
openpyxl turns into one object per cell) stay small; it is made in a child process with bounded
memory and time, so whatever a file does to openpyxl, the run goes on and the file is reported
("no annotated copy: ..."). Formulas a respondent typed become text in the copy.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import math
import os
import pickle
import select
import signal
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from workbook_tools.check.validate import ReturnReport
from workbook_tools.files import set_text, shown_path, shown_text, workbook_bytes, write_atomic
from workbook_tools.model.messages import Issue, MessageCatalogue
from workbook_tools.read.package import Rejected, check_archive
from workbook_tools.read.sheetxml import BrokenXml, UnsafeXml, parse, parse_range
from workbook_tools.send.write import safe_file_stem

AUTHOR = "IOM"
FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}  # the problem cells' colours
MAX_SHEET_PART_BYTES = 2 * 1024 * 1024  # openpyxl loads whole sheets: keep what it loads small
MAX_EXPANDED_CELLS = 100_000  # cells openpyxl would create for merged and linked ranges
SECONDS = 60  # for one copy; a questionnaire takes well under a second
MEMORY_BYTES = 1024 * 1024 * 1024  # for one copy, above what the process already holds


class NotAnnotated(Exception):
    """Why a return gets no annotated copy (a message for whoever runs the tool)."""


@dataclass
class Annotations:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)  # (return, why)


def annotated_name(report: ReturnReport) -> str:
    return f"{safe_file_stem(report.path.stem)}-annotated.xlsx"


def annotate_invalid(reports: Iterable[ReturnReport], out_dir: Path, messages: MessageCatalogue
                     ) -> Annotations:
    """An annotated copy of each invalid return in out_dir; two returns with the same file name
    (from different folders) get distinct copies. A return that cannot be annotated is said
    in `failed`, and the others are annotated all the same; a copy that cannot be written is
    the user's problem (OutputError)."""
    result = Annotations()
    names: set[str] = set()
    invalid = [report for report in reports if report.status == "invalid"]
    for report, made in zip(invalid, annotated_copies(invalid, messages), strict=True):
        if isinstance(made, NotAnnotated):
            result.failed.append((report.path, str(made)))
            continue
        name = annotated_name(report)
        stem, counter = name.removesuffix(".xlsx"), 2
        while name in names:
            name, counter = f"{stem}-{counter}.xlsx", counter + 1
        names.add(name)
        write_atomic(out_dir / name, made)
        result.written.append(out_dir / name)
    return result


def annotated_bytes(report: ReturnReport, messages: MessageCatalogue) -> bytes:
    """The annotated copy's bytes; raise NotAnnotated with the reason when it cannot be made
    safely."""
    (made,) = annotated_copies([report], messages)
    if isinstance(made, NotAnnotated):
        raise made
    return made


def annotated_copies(reports: Sequence[ReturnReport], messages: MessageCatalogue
                     ) -> list[bytes | NotAnnotated]:
    """The annotated copy of each return, or why there is none. The copies are made in turn by
    one bounded child (forking costs more than a copy; copied pages are shared by the next
    copies); a child stopped by a limit costs only the copy it was making, and the next ones
    get a new child."""
    found: list[bytes | NotAnnotated] = [NotAnnotated("not made")] * len(reports)
    works: list[tuple[int, Callable[[], bytes]]] = []
    for index, report in enumerate(reports):
        try:
            data = _validated_bytes(report)
            _check_size(data)
        except NotAnnotated as exc:
            found[index] = exc
            continue
        works.append((index, partial(_annotate, data, report, messages)))
    for index, made in _bounded(works):
        found[index] = made
    return found


def _validated_bytes(report: ReturnReport) -> bytes:
    try:
        data = report.path.read_bytes()
    except OSError as exc:
        raise NotAnnotated(f"the file can no longer be read ({exc.strerror or exc})") from exc
    if hashlib.sha256(data).hexdigest() != report.reading.sha256:
        raise NotAnnotated("the file changed after it was checked; check it again")
    return data


def _check_size(data: bytes) -> None:
    """What openpyxl would build from the sheets stays small: parts of questionnaire size, and
    merged or linked ranges that do not cover the grid."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_archive(archive, depth=0)
        for info in archive.infolist():
            if not info.filename.lower().startswith("xl/worksheets/"):
                continue
            if info.file_size > MAX_SHEET_PART_BYTES:
                raise NotAnnotated(f"its part {info.filename} is larger than a questionnaire's "
                                   f"({info.file_size:,} bytes)")
            cells = _expanded_cells(archive.read(info))
            if cells > MAX_EXPANDED_CELLS:
                raise NotAnnotated(f"the merged cells or links of {info.filename} cover "
                                   f"{cells:,} cells, more than a copy can be made of safely")
    except (Rejected, UnsafeXml, BrokenXml, zipfile.BadZipFile, OSError, ValueError,
            EOFError) as exc:
        raise NotAnnotated(f"its package cannot be opened safely ({type(exc).__name__})"
                           ) from exc


def _expanded_cells(sheet: bytes) -> int:
    """How many cells the merged ranges and linked ranges of a sheet span."""
    total = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal total
        local = name.rpartition(":")[2]
        if local in {"mergeCell", "hyperlink"}:
            for reference in attrs.get("ref", "").split():
                parsed = parse_range(reference)
                if parsed is not None:
                    _, top, left, bottom, right = parsed
                    total += (bottom - top + 1) * (right - left + 1)

    parse(sheet, start)
    return total


Work = tuple[int, Callable[[], bytes]]  # an index, and what makes that copy


def _bounded(works: Sequence[Work]) -> Iterator[tuple[int, bytes | NotAnnotated]]:
    """Each work's bytes or NotAnnotated, made in forked children with bounded memory and time
    per copy. (os.fork itself, not multiprocessing: lighter, and the child exits at once.)"""
    if not hasattr(os, "fork"):
        for index, work in works:
            try:
                yield index, work()
            except Exception as exc:  # noqa: BLE001 - openpyxl's failure on one file, said
                yield index, NotAnnotated(_failure(exc))
        return
    pending = list(works)
    while pending:
        done = 0
        for outcome in _one_child(pending):
            yield pending[done][0], outcome
            done += 1
        pending = pending[done:]


def _one_child(works: Sequence[Work]) -> Iterator[bytes | NotAnnotated]:
    """Fork a child that makes the works in turn and sends each outcome as it comes; stop at
    the first the child could not finish (the caller starts a new child for the rest)."""
    receiving, sending = os.pipe()
    gc.freeze()  # what the child inherits stays out of its collections: no pages copied for them
    try:
        pid = os.fork()
    finally:
        gc.unfreeze()
    if pid == 0:  # the child: never returns
        os.close(receiving)
        _child([work for _, work in works], sending)
    os.close(sending)
    try:
        with os.fdopen(receiving, "rb", buffering=0) as stream:
            for _ in works:
                frame = _receive(stream, time.monotonic() + SECONDS)
                if frame is None:
                    yield NotAnnotated(f"making the copy took more than {SECONDS} s")
                    return
                if not frame:  # the child died without a word: killed by a limit
                    yield NotAnnotated("making the copy needed more memory or time than "
                                       "allowed")
                    return
                outcome, result = pickle.loads(frame)
                yield result if outcome == "ok" else NotAnnotated(result)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # done or out of time: either way, gone
        os.waitpid(pid, 0)


def _receive(stream: Any, deadline: float) -> bytes | None:
    """One frame (its length, then its bytes) from the child; b"" if the child is gone, None
    if the deadline comes first."""
    header = _read_exactly(stream, 8, deadline)
    if not header:
        return header
    return _read_exactly(stream, int.from_bytes(header, "big"), deadline)


def _read_exactly(stream: Any, size: int, deadline: float) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([stream], [], [], left)[0]:
            return None
        chunk = stream.read(min(size, 1 << 20))
        if not chunk:
            return b""
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _failure(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return "making the copy needed more memory than allowed"
    first_line = (str(exc).splitlines() or [""])[0]
    return f"openpyxl cannot read it ({type(exc).__name__}: {first_line[:200]})"


def _child(works: Sequence[Callable[[], bytes]], stream: int) -> NoReturn:
    """In the forked child: make each copy within the limits, send each outcome as a frame,
    then exit at once (nothing of the parent's is cleaned up or flushed)."""
    import resource  # POSIX: the child exists only where processes fork

    try:
        _limit_memory()
        # the hard limit can only be lowered (raising it needs a privilege containers lack):
        # set it once for all the copies, and give each copy its own soft limit below it
        hard = _within_inherited(resource, resource.RLIMIT_CPU,
                                 math.ceil(_cpu_used(resource) + len(works) * (SECONDS + 1)) + 5)
        for work in works:
            soft = math.ceil(_cpu_used(resource) + SECONDS) + 1
            resource.setrlimit(resource.RLIMIT_CPU, (min(soft, hard), hard))
            outcome: tuple[str, bytes | str]
            try:
                outcome = ("ok", work())
            except Exception as exc:  # noqa: BLE001 - openpyxl's failure on one file, said
                outcome = ("failed", _failure(exc))
            frame = pickle.dumps(outcome)
            data = memoryview(len(frame).to_bytes(8, "big") + frame)
            while data:
                data = data[os.write(stream, data):]
    finally:
        os._exit(0)


def _cpu_used(resource: Any) -> float:
    """The processor time this process has used, in seconds."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return float(used.ru_utime + used.ru_stime)


def _limit_memory() -> None:
    """The child may allocate MEMORY_BYTES beyond what it inherited (Linux: RLIMIT_DATA)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            data_kb = next(int(line.split()[1]) for line in status
                           if line.startswith("VmData:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return
    import resource

    limit = _within_inherited(resource, resource.RLIMIT_DATA, data_kb * 1024 + MEMORY_BYTES)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _within_inherited(resource: Any, kind: int, wanted: int) -> int:
    """A hard limit no higher than the one inherited (a shell's `ulimit`): a process may
    lower its hard limits, never raise them."""
    _, inherited = resource.getrlimit(kind)
    return wanted if inherited == resource.RLIM_INFINITY else min(wanted, inherited)


# --- the copy ------------------------------------------------------------------------------



def _formulas_as_text(workbook: Any) -> None:
    """A formula the respondent typed stays visible as text and is never run by whoever
    opens the copy. LibreOffice writes booleans as TRUE() and FALSE(): those are values."""
    for worksheet in workbook.worksheets:
        for cell in list(worksheet._cells.values()):
            if cell.data_type != "f":
                continue
            formula = cell.value if isinstance(cell.value, str) else str(
                getattr(cell.value, "text", "") or "")
            if formula.strip().upper() in {"=TRUE()", "=FALSE()"}:
                cell.value = formula.strip().upper() == "=TRUE()"
                continue
            set_text(cell, formula if formula.startswith("=") else "=" + formula)


def _annotate(data: bytes, report: ReturnReport, messages: MessageCatalogue) -> bytes:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from workbook_tools.send.fonts import font

    fills = {severity: PatternFill("solid", fgColor=colour) for severity, colour in FILLS.items()}
    lang = report.reading.lang
    words = messages
    workbook = load_workbook(io.BytesIO(data))
    _formulas_as_text(workbook)
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in report.issues:
        if issue.sheet in workbook.sheetnames and issue.cell:
            by_cell[(issue.sheet, issue.cell)].append(issue)
    for (sheet_name, address), issues in by_cell.items():
        cell = workbook[sheet_name][address]
        severity = "error" if any(i.severity == "error" for i in issues) else "warning"
        cell.fill = fills[severity]
        text = "\n\n".join(messages.render(issue, lang) for issue in issues)
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, 40 + 16 * (len(text) // 45 + len(issues))
        cell.comment = comment
    sheet = workbook.create_sheet(words.word("problems-sheet", lang), 0)
    set_text(sheet["A1"], words.word("problems-intro", lang))
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A1:E1")
    sheet.row_dimensions[1].height = 48
    headings = ["heading-severity", "heading-where", "heading-question", "heading-value",
                "heading-message"]
    for column, key in enumerate(headings, start=1):
        cell = sheet.cell(row=3, column=column)
        set_text(cell, words.word(key, lang))
        cell.font = font(bold=True)  # the questionnaire's face: named, never a fallback
    questionnaire = report.questionnaire
    for row, issue in enumerate(report.issues, start=4):
        set_text(sheet.cell(row=row, column=1), words.word(f"severity-{issue.severity}", lang))
        sheet.cell(row=row, column=1).fill = fills[issue.severity]
        where = sheet.cell(row=row, column=2)
        if issue.sheet in workbook.sheetnames:
            set_text(where, f"{issue.sheet}!{issue.cell}" if issue.cell else issue.sheet)
            target = f"'{issue.sheet}'!{issue.cell or 'A1'}"
            where.hyperlink = Hyperlink(ref=where.coordinate, location=target)
            where.font = font(color="0563C1", underline="single")
        else:
            set_text(where, issue.sheet or words.word("whole-workbook", lang))
        if issue.question and questionnaire is not None:
            set_text(sheet.cell(row=row, column=3), questionnaire.number(issue.question))
        if issue.value:  # an empty string would be written as an inline string without text
            set_text(sheet.cell(row=row, column=4), issue.value)
        message = sheet.cell(row=row, column=5)
        set_text(message, messages.render(issue, lang))
        for column in range(1, 6):
            sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True,
                                                                     vertical="top")
        lines = max(len(messages.render(issue, lang)) // 75 + 1, len(issue.value) // 32 + 1)
        sheet.row_dimensions[row].height = 15 * min(lines, 12) + 2
    for letter, width in zip("ABCDE", (18, 28, 10, 30, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "3:3"
    workbook.active = 0
    for other in workbook.worksheets[1:]:
        other.sheet_view.tabSelected = False
    return workbook_bytes(workbook)


def describe_failure(path: Path, why: str) -> str:
    return f"no annotated copy of {shown_path(path)}: {shown_text(why)}"
