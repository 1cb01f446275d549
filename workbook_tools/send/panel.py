"""Write a questionnaire's live checks (form/checks.py) into its workbook: the hidden sheet that
computes them, the Check sheet that shows them, and the status line of each section sheet.

Every cell written here is ours and locked, its formula hidden; the reader of returns ignores
them all (the Check and helper sheets are known sheets, the status cells known cells).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from workbook_tools.files import set_text
from workbook_tools.form.checks import (
    ANSWERED,
    DEPENDS,
    DOES_NOT_APPLY,
    OPTIONAL,
    TO_ANSWER,
    TO_CORRECT,
    Panel,
    absolute,
    excel_text,
    on_checks_sheet,
    sheet_prefix,
)
from workbook_tools.form.layout import CHECKS_SHEET, STATUS_CELL
from workbook_tools.form.texts import SheetContext
from workbook_tools.send.fonts import font
from workbook_tools.textfit import merged_width, row_height, wrapped_lines

OURS = Protection(locked=True, hidden=True)  # respondents see the result, not the formula
# Cell fonts are the workbook's typeface (send/fonts.py); the fonts of conditional formats
# (GOOD, BAD, STATE_STYLES) only colour the cell's own.
TITLE_FONT = font(bold=True, size=14, color="1F4E79")
HEADING_FONT = font(bold=True, size=12, color="1F4E79")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = font(bold=True, color="FFFFFF")
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
SECTION_FONT = font(bold=True)
LINK_FONT = font(color="0563C1", underline="single")
OVERALL_FONT = font(bold=True, size=16)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
# the status column keeps a gap from the text before it, which may fill its column to the edge
STATUS = Alignment(horizontal="left", vertical="top", indent=1)
GOOD = Font(bold=True, color="006100")
BAD = Font(bold=True, color="9C0006")
NEUTRAL = Font(bold=True, color="9C5700")
# What is left, coloured as Excel's good, neutral and bad styles: questions still to answer
# are work to do (neutral), not errors (bad: only when something is to correct).
DONE, TO_DO, TO_FIX = 0, 1, 2
# The colours of a question's state, as Excel's own "good", "bad" and "neutral" styles.
STATE_STYLES = {
    TO_CORRECT: (PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE"), Font(color="9C0006")),
    TO_ANSWER: (PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C"), Font(color="9C5700")),
    ANSWERED: (None, Font(color="006100")),
    DOES_NOT_APPLY: (None, Font(color="808080")),
    OPTIONAL: (None, Font(color="808080")),
    DEPENDS: (None, Font(color="808080")),
}
# A question's label wraps in its column; its status is one line (computed, so no height can
# be given for it): room for it, and it runs over the empty columns beside it if need be.
NUMBER_WIDTH, LABEL_WIDTH, STATUS_WIDTH = 8, 70, 100
WIDTHS = {"A": NUMBER_WIDTH, "B": LABEL_WIDTH, "C": STATUS_WIDTH}
STATE_COLUMN = "H"  # hidden: each row's state, which the conditional formats read
FIRST_LINE = 4  # the overall line, kept in view with the title above it


def write_panel(workbook: Workbook, ctx: SheetContext, panel: Panel) -> None:
    """The helper sheet, the Check sheet (already created, after the instructions) and the
    status line of each section sheet."""
    _write_helpers(workbook, panel)
    _write_check_sheet(workbook[panel.check_sheet], ctx, panel)
    # what every "to correct" summary begins with, before its count
    correct_prefix = str(ctx.settings.texts["check_to_correct"][ctx.lang]).split("{")[0]
    for section in panel.sections:
        sheet = workbook[section.sheet]
        cell = sheet[STATUS_CELL]
        cell.value = f"={on_checks_sheet(section.summary)}"
        cell.protection = OURS
        cell.font = SECTION_FONT
        cell.hyperlink = Hyperlink(ref=STATUS_CELL, location=f"{sheet_prefix(panel.check_sheet)}A1")
        # a conditional format reads only its own sheet in Excel 2007: the status's own text
        # says whether something is to correct
        done = f"{absolute(STATUS_CELL)}={excel_text(section.done_text)}"
        to_fix = f"ISNUMBER(FIND({excel_text(correct_prefix)},{absolute(STATUS_CELL)}))"
        sheet.conditional_formatting.add(STATUS_CELL, FormulaRule(formula=[done], font=GOOD))
        sheet.conditional_formatting.add(STATUS_CELL, FormulaRule(
            formula=[f"AND(NOT({done}),{to_fix})"], font=BAD))
        sheet.conditional_formatting.add(STATUS_CELL, FormulaRule(
            formula=[f"AND(NOT({done}),NOT({to_fix}))"], font=NEUTRAL))


def _write_helpers(workbook: Workbook, panel: Panel) -> None:
    sheet = workbook.create_sheet(CHECKS_SHEET)
    sheet.sheet_state = "veryHidden"
    for address, value in panel.values.items():
        if isinstance(value, str):
            set_text(sheet[address], value)
        else:
            sheet[address] = value
    for address, formula in panel.formulas.items():
        sheet[address] = f"={formula}"


def _write_check_sheet(sheet: Worksheet, ctx: SheetContext, panel: Panel) -> None:
    sheet.column_dimensions["A"].width = NUMBER_WIDTH
    sheet.column_dimensions["B"].width = LABEL_WIDTH
    sheet.column_dimensions["C"].width = STATUS_WIDTH
    sheet.column_dimensions[STATE_COLUMN].hidden = True
    row = 1

    def put(column: str, value: str, font: Font | None = None, formula: bool = False) -> None:
        cell = sheet[f"{column}{row}"]
        if formula:
            cell.value = value
            cell.protection = OURS  # locked like every cell here, and the formula hidden
        else:
            set_text(cell, value)
        if font is not None:
            cell.font = font

    put("A", ctx.text("check_title"), TITLE_FONT)
    sheet.row_dimensions[1].height = row_height(1, TITLE_FONT.sz)
    row = 2
    intro = ctx.text("check_intro", ready=panel.ready_text)
    put("A", intro)
    sheet["A2"].alignment = WRAP
    sheet.merge_cells("A2:C2")
    sheet.row_dimensions[2].height = row_height(wrapped_lines(intro, merged_width(
        list(WIDTHS.values()))))
    row = FIRST_LINE
    put("A", f"={on_checks_sheet(panel.overall)}", OVERALL_FONT, formula=True)
    put(STATE_COLUMN, _left_state(panel.to_answer, panel.to_correct), formula=True)
    sheet.merge_cells(f"A{row}:C{row}")
    sheet.row_dimensions[row].height = row_height(1, OVERALL_FONT.sz)
    state = f"${STATE_COLUMN}${row}"
    for value, colour, text in ((DONE, "C6EFCE", GOOD), (TO_DO, "FFEB9C", NEUTRAL),
                                (TO_FIX, "FFC7CE", BAD)):
        sheet.conditional_formatting.add(f"A{row}:C{row}", FormulaRule(
            formula=[f"{state}={value}"], fill=PatternFill("solid", fgColor=colour,
                                                           bgColor=colour), font=text))
    sheet.freeze_panes = f"A{row + 1}"

    row += 2
    put("A", ctx.text("check_sections_heading"), HEADING_FONT)
    sheet.row_dimensions[row].height = row_height(1, HEADING_FONT.sz)
    row += 1
    _header(sheet, row, ctx.text("check_header_section"), ctx.text("check_header_status"))
    sheet.merge_cells(f"A{row}:B{row}")
    first = row + 1
    for section in panel.sections:
        row += 1
        put("A", section.title, LINK_FONT)
        sheet[f"A{row}"].hyperlink = Hyperlink(ref=f"A{row}",
                                               location=f"{sheet_prefix(section.sheet)}A1")
        sheet[f"A{row}"].alignment = WRAP
        sheet[f"C{row}"].alignment = STATUS
        sheet.merge_cells(f"A{row}:B{row}")
        _fit(sheet, row, section.title, merged_width([NUMBER_WIDTH, LABEL_WIDTH]))
        put("C", f"={on_checks_sheet(section.summary)}", formula=True)
        put(STATE_COLUMN, _left_state(section.to_answer, section.to_correct), formula=True)
    state = f"${STATE_COLUMN}{first}"
    for value, text in ((DONE, GOOD), (TO_DO, NEUTRAL), (TO_FIX, BAD)):
        sheet.conditional_formatting.add(f"C{first}:C{row}", FormulaRule(
            formula=[f"{state}={value}"], font=text))

    row += 2
    put("A", ctx.text("check_questions_heading"), HEADING_FONT)
    sheet.row_dimensions[row].height = row_height(1, HEADING_FONT.sz)
    row += 1
    _header(sheet, row, ctx.text("header_number"), ctx.text("header_question"),
            ctx.text("check_header_status"))
    first = row + 1
    for section in panel.sections:
        row += 1
        put("A", section.title, SECTION_FONT)
        for column in ("A", "B", "C"):
            sheet[f"{column}{row}"].fill = SECTION_FILL
        sheet[f"A{row}"].alignment = WRAP
        sheet.merge_cells(f"A{row}:C{row}")
        _fit(sheet, row, section.title, merged_width(list(WIDTHS.values())), bold=True)
        for question in section.questions:
            row += 1
            put("A", question.number, LINK_FONT)
            target_sheet, target_cell = question.target
            sheet[f"A{row}"].hyperlink = Hyperlink(
                ref=f"A{row}", location=f"{sheet_prefix(target_sheet)}{target_cell}")
            put("B", question.label)
            sheet[f"B{row}"].alignment = WRAP
            put("C", f"={on_checks_sheet(question.status)}", formula=True)
            sheet[f"A{row}"].alignment = TOP
            sheet[f"C{row}"].alignment = STATUS
            _fit(sheet, row, question.label, LABEL_WIDTH)
            put(STATE_COLUMN, f"={on_checks_sheet(question.state)}", formula=True)
    state = f"${STATE_COLUMN}{first}"
    for value, (fill, colour) in STATE_STYLES.items():
        sheet.conditional_formatting.add(f"C{first}:C{row}", FormulaRule(
            formula=[f"{state}={value}"], fill=fill, font=colour))
    _print_setup(sheet)


def _left_state(to_answer: str, to_correct: str) -> str:
    """DONE, TO_DO (only questions to answer) or TO_FIX (something to correct)."""
    return (f"=IF({on_checks_sheet(to_correct)}>0,{TO_FIX},"
            f"IF({on_checks_sheet(to_answer)}>0,{TO_DO},{DONE}))")


def _fit(sheet: Worksheet, row: int, text: str, width: float, bold: bool = False) -> None:
    """The row's height for its one wrapped text."""
    lines = wrapped_lines(text, width, bold=bold)
    if lines > 1:
        sheet.row_dimensions[row].height = row_height(lines)


def _header(sheet: Worksheet, row: int, *titles: str) -> None:
    columns = ("A", "C") if len(titles) == 2 else ("A", "B", "C")
    for column, title in zip(columns, titles, strict=True):
        cell = sheet[f"{column}{row}"]
        set_text(cell, title)
    for column in ("A", "B", "C"):
        sheet[f"{column}{row}"].fill = HEADER_FILL
        sheet[f"{column}{row}"].font = HEADER_FONT
    sheet[f"C{row}"].alignment = STATUS


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.5
