"""An annotated copy of an invalid return, ready to send back: each problem cell highlighted
with a comment in the respondent's language, and a first sheet listing the problems with links.

The file given is never changed: the copy is written elsewhere. It is feedback only: like any
program that is not Excel, openpyxl drops some Excel extensions when it saves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from workbook_tools.check.validate import ReturnReport
from workbook_tools.files import save_workbook, set_text
from workbook_tools.model.messages import Issue, MessageCatalogue
from workbook_tools.send.write import safe_file_stem

FILLS = {"error": PatternFill("solid", fgColor="FFC7CE"),
         "warning": PatternFill("solid", fgColor="FFEB9C")}
AUTHOR = "IOM"
MAX_SHEET_PART_BYTES = 2 * 1024 * 1024  # openpyxl loads whole sheets: keep what it loads small


def annotated_name(report: ReturnReport) -> str:
    return f"{safe_file_stem(report.path.stem)}-annotated.xlsx"


def can_annotate(report: ReturnReport) -> bool:
    """Only a readable return whose sheets are of questionnaire size is loaded by openpyxl."""
    if report.status != "invalid":
        return False
    import zipfile

    with zipfile.ZipFile(report.path) as archive:
        return all(info.file_size <= MAX_SHEET_PART_BYTES for info in archive.infolist()
                   if info.filename.startswith("xl/worksheets/"))


def annotate_invalid(reports: Iterable[ReturnReport], out_dir: Path, messages: MessageCatalogue
                     ) -> list[Path]:
    """An annotated copy of each invalid return in out_dir; two returns with the same file name
    (from different folders) get distinct copies."""
    written: list[Path] = []
    names: set[str] = set()
    for report in reports:
        if not can_annotate(report):
            continue
        name = annotated_name(report)
        stem, counter = name.removesuffix(".xlsx"), 2
        while name in names:
            name, counter = f"{stem}-{counter}.xlsx", counter + 1
        names.add(name)
        annotate(report, out_dir / name, messages)
        written.append(out_dir / name)
    return written


def annotate(report: ReturnReport, out: Path, messages: MessageCatalogue) -> None:
    lang = report.reading.lang
    words = messages
    workbook = load_workbook(report.path)
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in report.issues:
        if issue.sheet in workbook.sheetnames and issue.cell:
            by_cell[(issue.sheet, issue.cell)].append(issue)
    for (sheet_name, address), issues in by_cell.items():
        cell = workbook[sheet_name][address]
        severity = "error" if any(i.severity == "error" for i in issues) else "warning"
        cell.fill = FILLS[severity]
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
        sheet.cell(row=row, column=1).fill = FILLS[issue.severity]
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
    save_workbook(workbook, out)
