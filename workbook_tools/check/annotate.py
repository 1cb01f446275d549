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

import hashlib
import io
import multiprocessing
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_tools.check.validate import ReturnReport
from workbook_tools.files import set_text, shown_path, workbook_bytes, write_atomic
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
    for report in reports:
        if report.status != "invalid":
            continue
        try:
            data = annotated_bytes(report, messages)
        except NotAnnotated as exc:
            result.failed.append((report.path, str(exc)))
            continue
        name = annotated_name(report)
        stem, counter = name.removesuffix(".xlsx"), 2
        while name in names:
            name, counter = f"{stem}-{counter}.xlsx", counter + 1
        names.add(name)
        write_atomic(out_dir / name, data)
        result.written.append(out_dir / name)
    return result


def annotated_bytes(report: ReturnReport, messages: MessageCatalogue) -> bytes:
    """The annotated copy's bytes; raise NotAnnotated with the reason when it cannot be made
    safely."""
    data = _validated_bytes(report)
    _check_size(data)
    return _bounded(lambda: _annotate(data, report, messages))


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


def _bounded(work: Callable[[], bytes]) -> bytes:
    """Run work in a forked child with bounded memory and time; its bytes, or NotAnnotated."""
    if "fork" not in multiprocessing.get_all_start_methods():
        try:
            return work()
        except Exception as exc:  # openpyxl's failure on one file, said
            raise NotAnnotated(f"openpyxl cannot read it ({type(exc).__name__}: "
                               f"{str(exc)[:200]})") from exc
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(work, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(SECONDS):
            raise NotAnnotated(f"making the copy took more than {SECONDS} s")
        try:
            outcome, payload = receiver.recv()
        except EOFError as exc:  # the child died: killed by a limit
            raise NotAnnotated("making the copy needed more memory or time than allowed"
                               ) from exc
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if outcome != "ok":
        raise NotAnnotated(payload)
    assert isinstance(payload, bytes)
    return payload


def _child(work: Callable[[], bytes], sender: Any) -> None:
    import resource  # POSIX: the child exists only where processes fork

    try:
        _limit_memory()
        resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS + 5))
        sender.send(("ok", work()))
    except MemoryError:
        sender.send(("failed", "making the copy needed more memory than allowed"))
    except Exception as exc:  # noqa: BLE001 - openpyxl's failure on one file, said
        sender.send(("failed", f"openpyxl cannot read it ({type(exc).__name__}: "
                               f"{str(exc)[:200]})"))
    finally:
        sender.close()


def _limit_memory() -> None:
    """The child may allocate MEMORY_BYTES beyond what it inherited (Linux: RLIMIT_DATA)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            data_kb = next(int(line.split()[1]) for line in status
                           if line.startswith("VmData:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return
    import resource

    limit = data_kb * 1024 + MEMORY_BYTES
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


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
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

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
        cell.font = Font(bold=True)
    questionnaire = report.questionnaire
    for row, issue in enumerate(report.issues, start=4):
        set_text(sheet.cell(row=row, column=1), words.word(f"severity-{issue.severity}", lang))
        sheet.cell(row=row, column=1).fill = fills[issue.severity]
        where = sheet.cell(row=row, column=2)
        if issue.sheet in workbook.sheetnames:
            set_text(where, f"{issue.sheet}!{issue.cell}" if issue.cell else issue.sheet)
            target = f"'{issue.sheet}'!{issue.cell or 'A1'}"
            where.hyperlink = Hyperlink(ref=where.coordinate, location=target)
            where.font = Font(color="0563C1", underline="single")
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
    return f"no annotated copy of {shown_path(path)}: {why}"
