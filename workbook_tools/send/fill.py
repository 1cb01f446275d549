"""Fill a questionnaire workbook as a respondent would: only the cells a respondent can edit.

Used by the tests and the demo to make returns, and by IPD to pre-fill last round's answers.
Choice answers are given as codes and written as the labels of the workbook's language; any
other value is written as it is, so a test can also write what a careless respondent types. A
multiple choice takes a list of codes (each ticked "Yes"), or a mapping of code to typed value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from workbook_tools.errors import UserError
from workbook_tools.files import save_workbook, set_text
from workbook_tools.form.identity import identity_of_workbook
from workbook_tools.form.layout import layout_in
from workbook_tools.model.questionnaire import Field, Table, choice_list_name
from workbook_tools.model.reference import ReferenceData
from workbook_tools.model.survey import Survey

Answers = Mapping[str, object]
TableRows = Mapping[str, Sequence[Mapping[str, object]]]


def fill_workbook(
    template: Path,
    out: Path,
    survey: Survey,
    answers: Answers,
    tables: TableRows | None = None,
) -> None:
    """Write answers (by question id) and table rows (by table id) into a copy of a template."""
    workbook = load_workbook(template)
    identity = identity_of_workbook(workbook)
    if identity is None:
        raise UserError(f"{template}: not a questionnaire made by workbook-tools")
    questionnaire = survey.get(identity.questionnaire, identity.version)
    if questionnaire is None:
        raise UserError(f"{template}: questionnaire {identity.questionnaire} version "
                        f"{identity.version} is not among the definitions")
    layout = layout_in(questionnaire, identity.lang, survey)
    lang = identity.lang
    for question_id, value in answers.items():
        item = questionnaire.item(question_id)
        if isinstance(item, Table):
            raise ValueError(f"{question_id!r} is a table; give its rows in tables=")
        place = layout.fields[question_id]
        sheet = workbook[place.sheet]
        if item.type == "multiple_choice" and isinstance(value, Mapping):
            # {code: what the respondent typed}: for returns with unusual ticks ("x", "oui")
            for code, typed in value.items():
                _write(sheet, place.options[code], typed, item, lang, questionnaire.reference)
        elif item.type == "multiple_choice":
            chosen = _codes(value, item)
            yes = questionnaire.reference["yes_no"].label("yes", lang)
            for code, address in place.options.items():
                _write(sheet, address, yes if code in chosen else None, item, lang,
                       questionnaire.reference)
        else:
            assert place.cell is not None
            _write(sheet, place.cell, value, item, lang, questionnaire.reference)
    for table_id, rows in (tables or {}).items():
        table = questionnaire.item(table_id)
        if not isinstance(table, Table):
            raise ValueError(f"{table_id!r} is not a table")
        if len(rows) > table.rows:
            raise ValueError(f"table {table_id!r} has {table.rows} rows; {len(rows)} given")
        table_place = layout.tables[table_id]
        sheet = workbook[table_place.sheet]
        for index, row in enumerate(rows):
            for column_id, value in row.items():
                column = table.column(column_id)
                _write(sheet, table_place.cell(column_id, index), value, column, lang,
                       questionnaire.reference)
    save_workbook(workbook, out)


def _codes(value: object, f: Field) -> set[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{f.id!r} is a multiple choice: give a list of codes")
    chosen = {str(v) for v in value}
    unknown = chosen - set(f.codes)
    if unknown:
        raise ValueError(f"{f.id!r}: {sorted(unknown)} are not codes of {f.choices!r}")
    return chosen


def _write(sheet: Worksheet, address: str, value: object, f: Field, lang: str,
           reference: ReferenceData) -> None:
    cell = sheet[address]
    if cell.protection.locked:
        raise ValueError(f"{sheet.title}!{address} ({f.id}) is locked: a respondent cannot "
                         "write there")
    list_name = choice_list_name(f)
    if value is None:
        cell.value = None
    elif list_name and isinstance(value, str) and value in reference[list_name].codes:
        set_text(cell, reference[list_name].label(value, lang))
    elif isinstance(value, str):
        set_text(cell, value)
    elif isinstance(value, (int, float, dt.date, dt.datetime)):
        cell.value = value
    else:
        raise ValueError(f"{f.id!r}: cannot write a {type(value).__name__}")
