"""Reports of a validation, for people (the terminal), programs (JSON) and follow-up (a table
of every problem, CSV or xlsx)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from workbook_tools.check.validate import ReturnReport, ValidationReport
from workbook_tools.form.layout import column_letter
from workbook_tools.model.messages import Issue, MessageCatalogue
from workbook_tools.read.sheetxml import split_address

STATUS_COLOURS = {"valid": "green", "invalid": "yellow", "rejected": "red"}
SEVERITY_COLOURS = {"error": "red", "warning": "yellow"}
ISSUE_COLUMNS = ("file", "status", "respondent_id", "respondent_kind", "respondent_name",
                 "questionnaire", "version", "lang", "severity", "code", "sheet", "cell",
                 "question", "value", "message", "message_respondent")


def _style(text: str, colour: str | None, bold: bool = False) -> str:
    import click

    return click.style(text, fg=colour, bold=bold)


def describe(report: ReturnReport) -> str:
    respondent, identity = report.reading.respondent, report.reading.identity
    parts = []
    if respondent.name or respondent.id:
        parts.append(f"{respondent.name} ({respondent.id})" if respondent.id else respondent.name)
    if identity:
        parts.append(f"{identity.questionnaire} v{identity.version} {identity.lang}")
    return ", ".join(parts)


def location(issue_sheet: str, issue_cell: str) -> str:
    if not issue_sheet:
        return ""
    quoted = f"'{issue_sheet}'" if any(c in issue_sheet for c in " -'!") else issue_sheet
    return f"{quoted}!{issue_cell}" if issue_cell else quoted


def terminal_lines(report: ValidationReport, seconds: float, messages: MessageCatalogue
                   ) -> Iterator[str]:
    summary = report.summary
    total = len(report.returns)
    yield (f"Checked {total} return{'s' if total != 1 else ''} in {seconds:.1f} s: "
           + ", ".join(_style(f"{summary[s]} {s}", STATUS_COLOURS[s] if summary[s] else None)
                       for s in summary))
    if report.skipped:
        yield f"Skipped {len(report.skipped)} hidden or lock file(s)."
    if not report.returns:
        return
    yield ""
    width = min(max(len(str(r.path)) for r in report.returns), 60)
    yield f"  {'status':<9} {'file':<{width}}  {'errors':>6} {'warnings':>8}  respondent"
    for item in report.returns:
        status = _style(f"{item.status:<9}", STATUS_COLOURS[item.status])
        yield (f"  {status} {_shorten(str(item.path), width):<{width}}  "
               f"{len(item.errors):>6} {len(item.warnings):>8}  {describe(item)}")
    for item in report.returns:
        if not item.issues:
            continue
        yield ""
        counts = f"{len(item.errors)} error(s), {len(item.warnings)} warning(s)"
        about = describe(item)
        yield _style(f"{item.path}: {item.status}, {counts}" + (f" ({about})" if about else ""),
                     STATUS_COLOURS[item.status], bold=True)
        for issue, more in _grouped(item.issues):
            where = location(issue.sheet, issue.cell)
            question = f" [{item.questionnaire.number(issue.question)}]" if (
                issue.question and item.questionnaire) else ""
            prefix = f"{where}{question}: " if where or question else ""
            also = (f" And {len(more)} more in this row: {', '.join(m.cell for m in more)}."
                    if more else "")
            yield (f"  {_style(f'{issue.severity:<7}', SEVERITY_COLOURS[issue.severity])} "
                   f"{prefix}{messages.render(issue, 'en')}{also} ({issue.code})")


def _grouped(issues: Sequence[Issue]) -> Iterator[tuple[Issue, list[Issue]]]:
    """Issues for a person: a run of the same problem along one table row is one line (an
    empty row would otherwise repeat itself once per column). Reports for programs, the issues
    table and annotated copies keep every cell."""
    index = 0
    while index < len(issues):
        first = issues[index]
        row = split_address(first.cell) if first.cell else None
        more: list[Issue] = []
        while row and index + 1 + len(more) < len(issues):
            candidate = issues[index + 1 + len(more)]
            other = split_address(candidate.cell) if candidate.cell else None
            if (candidate.code, candidate.sheet, candidate.question) != (
                    first.code, first.sheet, first.question) or not other or other[1] != row[1]:
                break
            more.append(candidate)
        yield first, more
        index += 1 + len(more)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1):]


def return_dict(item: ReturnReport, messages: MessageCatalogue, lang: str = "en"
                ) -> dict[str, Any]:
    """One return as the JSON report gives it (the shape the README documents)."""
    respondent, identity = item.reading.respondent, item.reading.identity
    return {
        "file": str(item.path),
        "status": item.status,
        "respondent": {"kind": respondent.kind, "id": respondent.id, "name": respondent.name},
        "questionnaire": {
            "id": identity.questionnaire if identity else "",
            "version": identity.version if identity else None,
            "lang": identity.lang if identity else "",
        },
        "issues": [messages.as_dict(issue, lang) for issue in item.issues],
    }


def report_dict(report: ValidationReport, messages: MessageCatalogue) -> dict[str, Any]:
    return {"returns": [return_dict(r, messages) for r in report.returns],
            "summary": report.summary}


def json_text(report: ValidationReport, messages: MessageCatalogue) -> str:
    return json.dumps(report_dict(report, messages), ensure_ascii=False, indent=2, default=str)


def issue_rows(report: ValidationReport, messages: MessageCatalogue
               ) -> Iterator[dict[str, str]]:
    for item in report.returns:
        respondent, identity = item.reading.respondent, item.reading.identity
        for issue in item.issues:
            yield {
                "file": str(item.path), "status": item.status,
                "respondent_id": respondent.id, "respondent_kind": respondent.kind,
                "respondent_name": respondent.name,
                "questionnaire": identity.questionnaire if identity else "",
                "version": str(identity.version) if identity else "",
                "lang": identity.lang if identity else "",
                "severity": issue.severity, "code": issue.code, "sheet": issue.sheet,
                "cell": issue.cell, "question": issue.question, "value": issue.value,
                "message": messages.render(issue, "en"),
                "message_respondent": messages.render(issue, item.reading.lang),
            }


# The issues workbook shows first who and where, then the messages (wrapped) and the value: what
# is printed (A4 landscape, fitted to the page's width). The technical columns follow, for
# filtering on screen. The CSV keeps ISSUE_COLUMNS' order.
ISSUE_SHEET_WIDTHS = {"respondent_name": 16, "file": 20, "status": 8, "severity": 8, "sheet": 13,
                      "cell": 5, "question": 16, "message": 32, "message_respondent": 32,
                      "value": 14}
ISSUE_SHEET_MORE = {"respondent_id": 14, "code": 20, "respondent_kind": 14, "questionnaire": 12,
                    "version": 8, "lang": 6}


def write_issues(report: ValidationReport, path: Path, messages: MessageCatalogue) -> None:
    """Every problem of every return in one table: .csv or .xlsx, by the file's extension."""
    from workbook_tools.files import csv_bytes, write_atomic

    rows = list(issue_rows(report, messages))
    if path.suffix.lower() == ".csv":
        write_atomic(path, csv_bytes(ISSUE_COLUMNS, rows))
        return
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.properties import PageSetupProperties

    from workbook_tools.files import save_workbook, set_text
    from workbook_tools.textfit import (
        FONT_NAME,
        FONT_SIZE,
        row_height,
        wrapped_lines,
    )

    printed = len(ISSUE_SHEET_WIDTHS)
    columns = [*ISSUE_SHEET_WIDTHS, *ISSUE_SHEET_MORE]
    widths = [*ISSUE_SHEET_WIDTHS.values(), *ISSUE_SHEET_MORE.values()]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Problems"
    header_font = Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="FFFFFF")
    font = Font(name=FONT_NAME, size=FONT_SIZE)
    wrap = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="1F4E79")
    for index, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=index)
        set_text(cell, name)
        cell.font, cell.fill, cell.alignment = header_font, fill, wrap
        sheet.column_dimensions[column_letter(index)].width = width
    sheet.row_dimensions[1].height = row_height(max(
        wrapped_lines(name, width, bold=True) for name, width in zip(columns, widths,
                                                                      strict=True)))
    for row_index, row in enumerate(rows, start=2):
        lines = 1
        for index, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
            cell = sheet.cell(row=row_index, column=index)
            set_text(cell, row[name])
            cell.font, cell.alignment = font, wrap
            lines = max(lines, wrapped_lines(row[name], width))
        sheet.row_dimensions[row_index].height = row_height(lines)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    # A4 landscape, as wide as the page, the header on every page (LibreOffice and Excel)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.print_title_rows = "1:1"
    sheet.print_area = f"A1:{column_letter(printed)}{max(len(rows) + 1, 2)}"
    sheet.oddFooter.left.text, sheet.oddFooter.right.text = "&A", "Page &P of &N"
    save_workbook(workbook, path)
