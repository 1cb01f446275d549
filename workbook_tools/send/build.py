"""Build a questionnaire workbook from its definition: what goes out to respondents.

Everything here is derived from the definition, the reference lists and the survey text; the
layout module decides where each answer lives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from workbook_tools import __version__
from workbook_tools.files import set_text
from workbook_tools.form.checks import panel_for
from workbook_tools.form.identity import Identity, fingerprint
from workbook_tools.form.layout import (
    ANSWER_COLUMN,
    FIRST_QUESTION_ROW,
    GUIDANCE_COLUMN,
    HEADER_ROW,
    IDENTITY_NAME,
    LISTS_SHEET,
    META_SHEET,
    NUMBER_COLUMN,
    QUESTION_COLUMN,
    TablePlace,
    layout_in,
)
from workbook_tools.form.texts import (
    HEADER_KEYS,
    SheetContext,
    SheetTexts,
    long_date,
    section_texts,
    table_texts,
)
from workbook_tools.model.languages import LANGS
from workbook_tools.model.questionnaire import (
    Condition,
    Field,
    Questionnaire,
    Section,
    Table,
    choice_list_name,
)
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.send.fonts import font, use_workbook_font
from workbook_tools.send.panel import write_panel
from workbook_tools.textfit import FONT_SIZE, row_height, wrapped_lines

ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")
PREFILLED_FILL = PatternFill("solid", fgColor="DDEBF7")
NOT_APPLICABLE_FILL = PatternFill("solid", fgColor="D9D9D9")
# Conditional formats: Excel paints a solid differential fill with its background colour,
# LibreOffice with its foreground colour: both are given.
NOT_APPLICABLE_DXF = PatternFill("solid", fgColor="D9D9D9", bgColor="D9D9D9")
CONFLICT_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
CONFLICT_FONT = Font(color="9C0006", bold=True)  # a differential format: keeps the face
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = font(bold=True, color="FFFFFF")
TITLE_FONT = font(bold=True, size=14, color="1F4E79")
BOLD = font(bold=True)
PLAIN = font()
LINK_FONT = font(color="0563C1", underline="single")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
INDENTED = Alignment(horizontal="left", indent=2, wrap_text=True, vertical="top")
GUIDANCE_FONT = font(italic=True, color="595959")
UNLOCKED = Protection(locked=False)
QUESTION_WIDTHS = {NUMBER_COLUMN: 7, QUESTION_COLUMN: 62, ANSWER_COLUMN: 36, GUIDANCE_COLUMN: 44}
COLUMN_WIDTHS = {"text": 40, "long_text": 50, "email": 30, "year": 11, "integer": 11, "date": 14}
EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_FORMAT = "yyyy-mm-dd"
PROMPT_MAX = 255
CREATOR = "IOM International Partnerships Division (workbook-tools)"


def build_workbook(
    questionnaire: Questionnaire,
    lang: str,
    survey: Survey,
    respondent: Respondent | None = None,
    password: str | None = None,
) -> Workbook:
    """A blank questionnaire, or one personalized for a respondent, ready to be saved."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    layout = layout_in(questionnaire, lang, survey)
    ctx = SheetContext(questionnaire, lang, survey, layout, respondent)
    workbook = Workbook()
    use_workbook_font(workbook)
    instructions = workbook.active
    assert instructions is not None
    instructions.title = layout.sheet_order[0]
    workbook.create_sheet(layout.check_sheet)  # filled in once the section sheets exist
    validations = _Validations(ctx)
    for section in questionnaire.sections:
        sheet = workbook.create_sheet(section.sheet[lang])
        _write_section(sheet, section, ctx, validations)
        for item in section.items:
            if isinstance(item, Table):
                table_sheet = workbook.create_sheet(item.sheet[lang])
                _write_table(table_sheet, item, ctx, validations)
    _write_instructions(instructions, ctx)
    list_names = _write_lists(workbook, ctx)  # hidden sheets come after every visible one
    write_panel(workbook, ctx, panel_for(questionnaire, lang, survey))
    identity = Identity(
        questionnaire.id, questionnaire.version, lang,
        fingerprint(questionnaire, lang),
        respondent.id if respondent else "", respondent.code if respondent else "",
    )
    _write_identity(workbook, ctx, identity)
    validations.attach(workbook)
    for name, reference_range in list_names.items():
        workbook.defined_names[name] = DefinedName(name, attr_text=reference_range)
    for sheet in workbook.worksheets:
        sheet.protection.sheet = True
        sheet.protection.formatRows = False  # respondents may make rows taller to read
        if password:
            sheet.protection.password = password
    workbook.security = WorkbookProtection(lockStructure=True)
    if password:
        workbook.security.workbookPassword = password
    workbook.properties.title = questionnaire.title[lang]
    workbook.properties.creator = CREATOR
    workbook.properties.language = lang
    workbook.properties.created = dt.datetime(2000, 1, 1)
    workbook.active = 0
    return workbook


# --- choice lists --------------------------------------------------------------------------


def list_range_name(list_name: str) -> str:
    return f"list_{list_name}"


def _lists_used(questionnaire: Questionnaire) -> list[str]:
    names = ["yes_no"]  # the tick list of every multiple choice
    for _, item in questionnaire.items():
        for f in item.columns if isinstance(item, Table) else (item,):
            list_name = choice_list_name(f)
            if list_name and list_name not in names:
                names.append(list_name)
    return names


def _write_lists(workbook: Workbook, ctx: SheetContext) -> dict[str, str]:
    """Dropdown lists live on a hidden sheet: an inline list is capped at 255 characters."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "veryHidden"
    ranges = {}
    for index, list_name in enumerate(_lists_used(ctx.questionnaire), start=1):
        column = sheet.cell(row=1, column=index).column_letter
        sheet.cell(row=1, column=index, value=list_name)
        labels = ctx.reference[list_name].labels(ctx.lang)
        for row, label in enumerate(labels, start=2):
            set_text(sheet.cell(row=row, column=index), label)
        ranges[list_range_name(list_name)] = (
            f"'{LISTS_SHEET}'!${column}$2:${column}${len(labels) + 1}"
        )
    return ranges


# --- data validation -----------------------------------------------------------------------


class _Validations:
    """Collects Excel data validations, sharing one rule among all cells that need the same."""

    def __init__(self, ctx: SheetContext) -> None:
        self.ctx = ctx
        self.rules: dict[tuple[str, str], DataValidation] = {}

    def add(self, sheet: Worksheet, cell_range: str, f: Field, tick: bool = False) -> None:
        ctx = self.ctx
        rule: DataValidation
        if tick or f.type in {"single_choice", "yes_no"}:
            list_name = "yes_no" if tick else choice_list_name(f)
            assert list_name is not None
            key = f"list:{list_name}:{tick}"
            prompt = ctx.text("prompt_tick", yes=ctx.yes) if tick else ctx.text("prompt_choice")
            rule = DataValidation(type="list", formula1=list_range_name(list_name),
                                  prompt=prompt, error=ctx.text("error_choice"))
        elif f.type in {"integer", "year"}:
            low, high = ctx.settings.number_bounds(f)
            key = f"{f.type}:{low}:{high}"
            rule = DataValidation(
                type="whole", operator="between", formula1=str(low), formula2=str(high),
                prompt=ctx.text(f"prompt_{f.type}", min=low, max=high),
                error=ctx.text(f"error_{f.type}", min=low, max=high),
            )
        elif f.type == "date":
            first, last = ctx.settings.earliest_date, ctx.settings.latest_date
            # the range as a reader writes dates, the example as one types them
            values = {"min": long_date(first, ctx.lang), "max": long_date(last, ctx.lang),
                      "example": ctx.settings.deadline.isoformat()}
            key = "date"
            rule = DataValidation(
                type="date", operator="between", formula1=str(excel_serial(first)),
                formula2=str(excel_serial(last)), prompt=ctx.text("prompt_date", **values),
                error=ctx.text("error_date", **values),
            )
        elif f.type == "email":
            # A custom formula is relative to its first cell, so each e-mail cell gets its own.
            first_cell = cell_range.split(":")[0]
            key = f"email:{sheet.title}:{cell_range}"
            rule = DataValidation(
                type="custom",
                formula1=f'AND(ISNUMBER(FIND("@",{first_cell})),LEN({first_cell})<=254)',
                prompt=ctx.text("prompt_email"), error=ctx.text("error_email"),
            )
        else:
            assert f.max_length is not None
            key = f"length:{f.max_length}"
            rule = DataValidation(
                type="textLength", operator="lessThanOrEqual", formula1=str(f.max_length),
                prompt=ctx.text("prompt_text", max=f.max_length),
                error=ctx.text("error_text", max=f.max_length),
            )
        stored = self.rules.setdefault((sheet.title, key), rule)
        stored.add(cell_range)

    def attach(self, workbook: Workbook) -> None:
        for (sheet_title, _), rule in self.rules.items():
            rule.allow_blank = True
            rule.showErrorMessage = True
            rule.showInputMessage = True
            rule.errorStyle = "stop"
            rule.errorTitle = self.ctx.text("error_title")[:32]
            rule.prompt = (rule.prompt or "")[:PROMPT_MAX]
            rule.error = (rule.error or "")[:PROMPT_MAX]
            workbook[sheet_title].add_data_validation(rule)


def excel_serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def _excel_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def condition_formula(condition: Condition, ctx: SheetContext, on_sheet: str) -> str:
    """An Excel formula that is TRUE when the question does NOT apply (it is then greyed out):
    once the question it depends on has an answer that makes it not apply, or when that
    question does not apply itself. Before anything is answered, nothing is grey: a respondent
    must not skip a question that may apply."""
    place = ctx.layout.fields[condition.question]
    target = ctx.questionnaire.item(condition.question)
    assert isinstance(target, Field)
    prefix = "" if place.sheet == on_sheet else "'" + place.sheet.replace("'", "''") + "'!"

    def absolute(address: str) -> str:
        column = address.rstrip("0123456789")
        return f"{prefix}${column}${address[len(column):]}"

    yes = _excel_string(ctx.yes)
    if condition.operator == "includes":
        cells = list(place.options.values())  # one tick per option, on consecutive rows
        answered = f"COUNTIF({absolute(cells[0])}:{absolute(cells[-1]).split('!')[-1]},{yes})>0"
        tests = [f"{absolute(place.options[v])}<>{yes}" for v in condition.values]
    else:
        list_name = choice_list_name(target)
        assert list_name is not None and place.cell is not None
        answered = f'{absolute(place.cell)}<>""'
        tests = [f"{absolute(place.cell)}<>{_excel_string(ctx.label(list_name, v))}"
                 for v in condition.values]
    formula = f"AND({answered},{','.join(tests)})"
    if target.relevant is not None:  # a question that depends on one that does not apply
        formula = f"OR({condition_formula(target.relevant, ctx, on_sheet)},{formula})"
    return formula


def row_condition_formula(condition: Condition, table: Table, place: TablePlace,
                          ctx: SheetContext) -> str:
    """The same, for a column that depends on another column of its row: written for the
    table's first row, relative to the row (Excel shifts it down the column)."""
    target = table.column(condition.question)
    list_name = choice_list_name(target)
    assert list_name is not None
    cell = f"${place.columns[target.id]}{place.first_row}"
    tests = [f"{cell}<>{_excel_string(ctx.label(list_name, v))}" for v in condition.values]
    return f'AND({cell}<>"",{",".join(tests)})'


def exclusive_formula(f: Field, code: str, ctx: SheetContext) -> str:
    """TRUE when an option that must stand alone is ticked with others (shown in red)."""
    cells = list(ctx.layout.fields[f.id].options.values())
    yes = _excel_string(ctx.yes)
    tick = ctx.layout.fields[f.id].options[code]

    def absolute(address: str) -> str:
        column = address.rstrip("0123456789")
        return f"${column}${address[len(column):]}"

    return (f"AND({absolute(tick)}={yes},"
            f"COUNTIF({absolute(cells[0])}:{absolute(cells[-1])},{yes})>1)")


def _write_texts(sheet: Worksheet, texts: SheetTexts) -> None:
    for address, value in texts.items():
        if isinstance(value, str):
            set_text(sheet[address], value)
        else:
            sheet[address] = value


# --- section sheets: how they look ---------------------------------------------------------


def _style_header(sheet: Worksheet, row: int, columns: Iterable[str]) -> None:
    for column in columns:
        cell = sheet[f"{column}{row}"]
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = WRAP


def _answer_cell(sheet: Worksheet, address: str, f: Field | None = None) -> None:
    cell = sheet[address]
    cell.fill = ANSWER_FILL
    cell.border = BOX
    cell.protection = UNLOCKED
    cell.alignment = WRAP
    if f is not None and f.type == "date":
        cell.number_format = DATE_FORMAT
    elif f is not None and f.type in {"integer", "year"}:
        cell.number_format = "0"
    elif f is not None and f.type in {"text", "long_text", "email"}:
        cell.number_format = "@"  # typed text stays text (no date or number guessing)


INDENT_CHARACTERS = 3  # an indent level takes about three characters of a column's width


def cell_lines(sheet: Worksheet, address: str, width: float) -> int:
    """The lines a cell's text wraps to in a column `width` characters wide, in its own font
    (a formula's result is not known here: one line)."""
    cell = sheet[address]
    value = cell.value
    if not isinstance(value, str) or value.startswith("=") or not cell.alignment.wrap_text:
        return 1  # a text that does not wrap runs over the empty cells beside it
    indent = (cell.alignment.indent or 0) * INDENT_CHARACTERS
    return wrapped_lines(value, max(1.0, width - indent), size=cell.font.sz or FONT_SIZE,
                         bold=bool(cell.font.b))


def fit_row(sheet: Worksheet, row: int, widths: Mapping[str, float], minimum: int = 1) -> None:
    """Give a row the height that shows every line of its wrapped texts (LibreOffice keeps
    the height a file gives, Excel fits a row only while it is edited). Call it once the
    row's texts and fonts are written."""
    lines = max([minimum, *(cell_lines(sheet, f"{column}{row}", width)
                            for column, width in widths.items())])
    size = max((sheet[f"{column}{row}"].font.sz or FONT_SIZE for column in widths),
               default=FONT_SIZE)
    if lines > 1 or size > FONT_SIZE:
        sheet.row_dimensions[row].height = row_height(lines, size)


def _fit_row(sheet: Worksheet, row: int, minimum: int = 1) -> None:
    fit_row(sheet, row, QUESTION_WIDTHS, minimum)


def _write_section(sheet: Worksheet, section: Section, ctx: SheetContext,
                   validations: _Validations) -> None:
    _write_texts(sheet, section_texts(ctx, section))
    sheet["A1"].font = TITLE_FONT
    sheet["A2"].font = font(italic=True, color="C00000")
    for column in HEADER_KEYS:
        sheet.column_dimensions[column].width = QUESTION_WIDTHS[column]
    _style_header(sheet, HEADER_ROW, HEADER_KEYS)
    sheet.row_dimensions[1].height = row_height(1, TITLE_FONT.sz)
    _fit_row(sheet, HEADER_ROW)
    sheet.freeze_panes = f"A{FIRST_QUESTION_ROW}"
    for item in section.items:
        if isinstance(item, Table):
            _style_table_pointer(sheet, ctx.layout.tables[item.id])
        else:
            _style_question(sheet, item, ctx, validations)
    _print_setup(sheet, landscape=False)


def _style_row(sheet: Worksheet, row: int) -> None:
    sheet[f"{NUMBER_COLUMN}{row}"].font = BOLD
    sheet[f"{NUMBER_COLUMN}{row}"].alignment = WRAP
    sheet[f"{QUESTION_COLUMN}{row}"].alignment = WRAP
    sheet[f"{GUIDANCE_COLUMN}{row}"].alignment = WRAP
    sheet[f"{GUIDANCE_COLUMN}{row}"].font = GUIDANCE_FONT


def _style_question(sheet: Worksheet, f: Field, ctx: SheetContext,
                    validations: _Validations) -> None:
    place = ctx.layout.fields[f.id]
    row = place.row
    _style_row(sheet, row)
    rows = [row]
    if f.type == "multiple_choice":
        sheet[f"{QUESTION_COLUMN}{row}"].font = BOLD
        for address in place.options.values():
            option_row = int(address[len(ANSWER_COLUMN):])
            rows.append(option_row)
            sheet[f"{QUESTION_COLUMN}{option_row}"].alignment = INDENTED
            _answer_cell(sheet, address)
            _fit_row(sheet, option_row)
            validations.add(sheet, address, f, tick=True)
        _fit_row(sheet, row)
    else:
        assert place.cell is not None
        _answer_cell(sheet, place.cell, f)
        validations.add(sheet, place.cell, f)
        _prefill(sheet, place.cell, f, ctx)
        _fit_row(sheet, row, minimum=4 if f.type == "long_text" else 1)
    if f.relevant is not None:
        formula = condition_formula(f.relevant, ctx, sheet.title)
        rule = FormulaRule(formula=[formula], fill=NOT_APPLICABLE_DXF,
                           font=Font(color="808080"), stopIfTrue=False)
        sheet.conditional_formatting.add(
            f"{NUMBER_COLUMN}{rows[0]}:{GUIDANCE_COLUMN}{rows[-1]}", rule
        )
    for code in f.exclusive:
        # ticked with other options: the option and its answer cell turn red
        tick_row = ctx.layout.fields[f.id].options[code][len(ANSWER_COLUMN):]
        rule = FormulaRule(formula=[exclusive_formula(f, code, ctx)], fill=CONFLICT_FILL,
                           font=CONFLICT_FONT, stopIfTrue=False)
        sheet.conditional_formatting.add(
            f"{QUESTION_COLUMN}{tick_row}:{ANSWER_COLUMN}{tick_row}", rule)


def _prefill(sheet: Worksheet, address: str, f: Field, ctx: SheetContext) -> None:
    respondent = ctx.respondent
    if respondent is None or f.prefill is None:
        return
    cell = sheet[address]
    if f.prefill == "respondent":
        list_name = choice_list_name(f)
        assert list_name is not None
        set_text(cell, ctx.label(list_name, respondent.code))
        # Who the respondent is comes from IOM's roster: shown, not editable.
        cell.fill = PREFILLED_FILL
        cell.protection = Protection(locked=True)
    elif f.prefill == "email" and respondent.email:
        set_text(cell, respondent.email)


def _style_table_pointer(sheet: Worksheet, place: TablePlace) -> None:
    row = place.question_row
    _style_row(sheet, row)
    link = sheet[f"{ANSWER_COLUMN}{row}"]
    link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{place.sheet}'!A1")
    link.font = LINK_FONT
    link.alignment = WRAP
    _fit_row(sheet, row)


# --- table sheets: how they look -----------------------------------------------------------


def _write_table(sheet: Worksheet, table: Table, ctx: SheetContext,
                 validations: _Validations) -> None:
    place = ctx.layout.tables[table.id]
    _write_texts(sheet, table_texts(ctx, table))
    sheet["A1"].font = font(bold=True, size=12, color="1F4E79")
    sheet["A2"].font = GUIDANCE_FONT
    header = place.first_row - 1
    sheet.column_dimensions["A"].width = 6
    for column in table.columns:
        letter = place.columns[column.id]
        sheet.column_dimensions[letter].width = _column_width(column)
        validations.add(sheet, f"{letter}{place.first_row}:{letter}{place.last_row}", column)
        for index in range(table.rows):
            _answer_cell(sheet, place.cell(column.id, index), column)
    _style_header(sheet, header, ["A", *place.columns.values()])
    widths = {"A": 6.0, **{place.columns[c.id]: _column_width(c) for c in table.columns}}
    sheet.row_dimensions[1].height = row_height(1, 12)
    fit_row(sheet, header, widths)
    for index in range(table.rows):
        sheet[f"A{place.first_row + index}"].font = font(color="808080")
    for column in table.columns:
        if column.relevant is not None:
            letter = place.columns[column.id]
            rule = FormulaRule(formula=[row_condition_formula(column.relevant, table, place,
                                                              ctx)],
                               fill=NOT_APPLICABLE_DXF, stopIfTrue=False)
            sheet.conditional_formatting.add(
                f"{letter}{place.first_row}:{letter}{place.last_row}", rule)
    _prefill_table(sheet, table, place, ctx)
    for index in range(table.rows):  # pre-filled names may wrap
        fit_row(sheet, place.first_row + index, widths)
    sheet.freeze_panes = f"C{place.first_row}"
    _print_setup(sheet, landscape=True)
    sheet.print_title_rows = f"{header}:{header}"


def _column_width(column: Field) -> float:
    if column.type in COLUMN_WIDTHS:
        return COLUMN_WIDTHS[column.type]
    if column.choices == "ratings":
        return 16
    return 28


def _prefill_table(sheet: Worksheet, table: Table, place: TablePlace, ctx: SheetContext) -> None:
    respondent = ctx.respondent
    if respondent is None:
        return
    for column in table.columns:
        if column.prefill == "iscms" and column.choices:
            for index, code in enumerate(respondent.iscms[: table.rows]):
                set_text(sheet[place.cell(column.id, index)], ctx.label(column.choices, code))


# --- instructions, identity, printing ------------------------------------------------------


def _write_instructions(sheet: Worksheet, ctx: SheetContext) -> None:
    sheet.column_dimensions["A"].width = 4
    sheet.column_dimensions["B"].width = 100
    row = 1

    def put(text: str, style: Font | None = None, column: str = "A") -> None:
        nonlocal row
        cell = sheet[f"{column}{row}"]
        set_text(cell, text)
        if style:
            cell.font = style
        if column == "B":
            cell.alignment = WRAP
        fit_row(sheet, row, {"A": 4, "B": 100})
        row += 1

    put(ctx.text("organization"), font(bold=True, color="1F4E79"))
    put(ctx.text("survey_title"), font(bold=True, size=16, color="1F4E79"))
    put(ctx.questionnaire.title[ctx.lang], font(bold=True, size=12))
    row += 1
    if ctx.respondent is not None:
        put(ctx.text("respondent_heading"), BOLD)
        put(_respondent_label(ctx), column="B")
    put(ctx.text("deadline_heading"), BOLD)
    put(long_date(ctx.settings.deadline, ctx.lang), font(bold=True, color="C00000"),
        column="B")
    row += 1
    put(ctx.text("purpose_heading"), TITLE_FONT)
    put(ctx.text("purpose"), column="B")
    row += 1
    put(ctx.text("privacy_heading"), TITLE_FONT)
    for paragraph in ctx.settings.paragraphs("privacy", ctx.lang, email=ctx.settings.contact):
        put(paragraph, column="B")
    row += 1
    put(ctx.text("how_heading"), TITLE_FONT)
    how = ctx.settings.paragraphs("how", ctx.lang)
    how.append(ctx.text("check_hint", sheet=ctx.layout.check_sheet,
                        ready=ctx.text("check_ready")))
    for index, paragraph in enumerate(how, start=1):
        set_text(sheet[f"A{row}"], f"{index}.")
        sheet[f"A{row}"].alignment = WRAP
        put(paragraph, column="B")
    row += 1
    put(ctx.text("colours_heading"), TITLE_FONT)
    for fill, key in ((ANSWER_FILL, "colour_answer"), (PREFILLED_FILL, "colour_prefilled"),
                      (NOT_APPLICABLE_FILL, "colour_not_applicable")):
        sheet[f"A{row}"].fill = fill
        sheet[f"A{row}"].border = BOX
        put(ctx.text(key), column="B")
    row += 1
    put(ctx.text("sections_heading"), TITLE_FONT)
    for name in ctx.layout.sheet_order[1:]:
        cell = sheet[f"B{row}"]
        set_text(cell, name)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{name}'!A1")
        cell.font = LINK_FONT
        row += 1
    row += 1
    put(ctx.text("contact_heading"), TITLE_FONT)
    put(ctx.text("contact", email=ctx.settings.contact), column="B")
    _print_setup(sheet, landscape=False)


def _respondent_label(ctx: SheetContext) -> str:
    """Who the workbook is for, named as the current reference data names it in the workbook's
    language (the instructions are not part of the questionnaire's fingerprint): an ISCM or an
    IGO by its full name and short name, a State by its UN short name."""
    respondent = ctx.respondent
    assert respondent is not None
    name = ctx.survey.reference.name(ctx.questionnaire.respondent, respondent.code, ctx.lang)
    if name is None:
        label = ctx.label(ctx.questionnaire.respondent, respondent.code)
    elif name.full != name.short:
        label = ctx.text("respondent_full_name", full=name.full, short=name.short)
    else:
        label = name.label
    return ctx.text("respondent_line", name=label, id=respondent.id)


def _write_identity(workbook: Workbook, ctx: SheetContext, identity: Identity) -> None:
    values = identity.properties()
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    rows = [
        *values.items(),
        ("wt_respondent_name", ctx.respondent.name if ctx.respondent else ""),
        ("wt_tool_version", __version__),
    ]
    for index, (key, value) in enumerate(rows, start=1):
        set_text(meta.cell(row=index, column=1), key)
        if value:  # an empty text cell is an inline string without text, which Excel repairs
            set_text(meta.cell(row=index, column=2), value)
    workbook.defined_names[IDENTITY_NAME] = DefinedName(
        IDENTITY_NAME, attr_text=_excel_string(identity.encode())
    )
    for key, value in values.items():
        if value:  # a blank template has no respondent, and Excel rejects empty properties
            workbook.custom_doc_props.append(StringProperty(name=key, value=value))


def _print_setup(sheet: Worksheet, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.5
