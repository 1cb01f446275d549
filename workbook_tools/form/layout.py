"""Where each answer lives in a questionnaire workbook.

The writer, the filler and the reader all take their addresses from here, so a workbook is read
back exactly where it was written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from workbook_tools.model.questionnaire import Field, Questionnaire, Table

if TYPE_CHECKING:
    from workbook_tools.model.survey import Survey

NUMBER_COLUMN, QUESTION_COLUMN, ANSWER_COLUMN, GUIDANCE_COLUMN = "A", "B", "C", "D"
HEADER_ROW = 3
FIRST_QUESTION_ROW = 4
TABLE_FIRST_COLUMN = 2  # column B; column A numbers the rows
LISTS_SHEET = "_lists"
META_SHEET = "_meta"
CHECKS_SHEET = "_checks"  # the live checks' workings (form/checks.py), hidden
# Each section sheet shows its check status in one cell of row 2, beside the "* required" note:
# no answer moves, so a version 1 return is read where it always was.
STATUS_CELL = f"{ANSWER_COLUMN}2"
IDENTITY_NAME = "WT_IDENTITY"


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA (Excel's column names)."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 1, AA -> 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


@dataclass(frozen=True)
class FieldPlace:
    sheet: str
    row: int
    cell: str | None  # the answer cell; None for a multiple choice, answered per option
    options: Mapping[str, str]  # choice code -> tick cell, for a multiple choice


@dataclass(frozen=True)
class TablePlace:
    sheet: str
    question_sheet: str  # the section sheet where the table's question row stands
    question_row: int
    first_row: int
    rows: int
    columns: Mapping[str, str]  # column id -> column letter

    def cell(self, column_id: str, index: int) -> str:
        """The cell of a column in the table's index-th row (0-based)."""
        return f"{self.columns[column_id]}{self.first_row + index}"

    @property
    def last_row(self) -> int:
        return self.first_row + self.rows - 1

    @cached_property
    def grid(self) -> tuple[tuple[tuple[str, str], ...], ...]:
        """Each row of the table as its (column id, cell) pairs: made once per layout, since
        every return of the layout is read through it."""
        return tuple(tuple((column_id, self.cell(column_id, index)) for column_id in self.columns)
                     for index in range(self.rows))


@dataclass(frozen=True)
class Layout:
    questionnaire: Questionnaire
    lang: str
    section_sheets: tuple[str, ...]
    table_sheets: tuple[str, ...]
    sheet_order: tuple[str, ...]  # the visible sheets, in workbook order (instructions first,
    # then the Check sheet)
    fields: Mapping[str, FieldPlace]
    tables: Mapping[str, TablePlace]
    label_cells: Mapping[str, tuple[str, str]]  # item id -> (sheet, cell of its label)

    @cached_property
    def answer_cells(self) -> frozenset[tuple[str, str]]:
        """Every (sheet, cell) a respondent may write in (computed once per layout)."""
        cells: list[tuple[str, str]] = []
        for place in self.fields.values():
            if place.cell:
                cells.append((place.sheet, place.cell))
            cells.extend((place.sheet, c) for c in place.options.values())
        for table_place in self.tables.values():
            for index in range(table_place.rows):
                cells.extend(
                    (table_place.sheet, table_place.cell(column_id, index))
                    for column_id in table_place.columns
                )
        return frozenset(cells)

    @property
    def check_sheet(self) -> str:
        return self.sheet_order[1]

    @cached_property
    def status_cells(self) -> frozenset[tuple[str, str]]:
        """The (sheet, cell) of each section sheet's status line: the panel's, never read."""
        return frozenset((sheet, STATUS_CELL) for sheet in self.section_sheets)


def layout_in(questionnaire: Questionnaire, lang: str, survey: Survey) -> Layout:
    """The layout of a questionnaire in a language, its instructions and Check sheets named by
    the survey."""
    return layout_for(questionnaire, lang, survey.settings.text("instructions_sheet", lang),
                      survey.settings.text("check_sheet", lang))


@lru_cache(maxsize=64)
def layout_for(questionnaire: Questionnaire, lang: str, instructions_sheet: str,
               check_sheet: str) -> Layout:
    fields: dict[str, FieldPlace] = {}
    tables: dict[str, TablePlace] = {}
    labels: dict[str, tuple[str, str]] = {}
    section_sheets: list[str] = []
    table_sheets: list[str] = []
    order = [instructions_sheet, check_sheet]
    for section in questionnaire.sections:
        sheet = section.sheet[lang]
        section_sheets.append(sheet)
        order.append(sheet)
        row = FIRST_QUESTION_ROW
        for item in section.items:
            labels[item.id] = (sheet, f"{QUESTION_COLUMN}{row}")
            if isinstance(item, Table):
                table_sheet = item.sheet[lang]
                table_sheets.append(table_sheet)
                order.append(table_sheet)
                tables[item.id] = _table_place(item, table_sheet, sheet, row)
                row += 1
            elif isinstance(item, Field) and item.type == "multiple_choice":
                options = {}
                for offset, code in enumerate(item.codes, start=1):
                    options[code] = f"{ANSWER_COLUMN}{row + offset}"
                fields[item.id] = FieldPlace(sheet, row, None, options)
                row += 1 + len(options)
            else:
                fields[item.id] = FieldPlace(sheet, row, f"{ANSWER_COLUMN}{row}", {})
                row += 1
    return Layout(
        questionnaire, lang, tuple(section_sheets), tuple(table_sheets), tuple(order),
        fields, tables, labels,
    )


def _table_place(table: Table, sheet: str, question_sheet: str, question_row: int) -> TablePlace:
    columns = {
        column.id: column_letter(TABLE_FIRST_COLUMN + index)
        for index, column in enumerate(table.columns)
    }
    return TablePlace(sheet, question_sheet, question_row, HEADER_ROW + 1, table.rows, columns)

