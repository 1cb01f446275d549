"""What the section and table sheets of a questionnaire say, outside their answer cells.

The workbook writer (build.py) writes exactly these texts, and the reader of returns compares a
return's cells with them: one place says what a sheet holds. No spreadsheet library is needed
here, so reading returns does not pay for loading one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from workbook_tools.form.layout import (
    ANSWER_COLUMN,
    GUIDANCE_COLUMN,
    HEADER_ROW,
    NUMBER_COLUMN,
    QUESTION_COLUMN,
    Layout,
    layout_in,
)
from workbook_tools.model.questionnaire import (
    Condition,
    Field,
    Questionnaire,
    Section,
    Table,
    choice_list_name,
)
from workbook_tools.model.reference import ReferenceData
from workbook_tools.model.roster import Respondent
from workbook_tools.model.settings import Settings
from workbook_tools.model.survey import Survey

DATE_LOCALES = {"en": "en_GB", "fr": "fr", "es": "es"}
HEADER_KEYS = {NUMBER_COLUMN: "header_number", QUESTION_COLUMN: "header_question",
               ANSWER_COLUMN: "header_answer", GUIDANCE_COLUMN: "header_guidance"}


@dataclass(frozen=True)
class SheetContext:
    questionnaire: Questionnaire
    lang: str
    survey: Survey
    layout: Layout
    respondent: Respondent | None

    def text(self, key: str, **values: object) -> str:
        return self.survey.settings.text(key, self.lang, **values)

    @property
    def settings(self) -> Settings:
        return self.survey.settings

    @property
    def reference(self) -> ReferenceData:
        return self.questionnaire.reference

    def label(self, list_name: str, code: str) -> str:
        return self.reference[list_name].label(code, self.lang)

    @property
    def yes(self) -> str:
        return self.label("yes_no", "yes")


# --- what the section and table sheets say ---------------------------------------------------
# The writer writes exactly these texts, and the reader of returns compares a return's cells
# with them: one function says what a sheet holds outside its answer cells.

SheetTexts = dict[str, str | int]


def section_texts(ctx: SheetContext, section: Section) -> SheetTexts:
    texts: SheetTexts = {"A1": section.title[ctx.lang], "A2": ctx.text("required_note")}
    for column, key in HEADER_KEYS.items():
        texts[f"{column}{HEADER_ROW}"] = ctx.text(key)
    for item in section.items:
        number = ctx.questionnaire.number(item.id)
        if isinstance(item, Table):
            place = ctx.layout.tables[item.id]
            row = place.question_row
            texts[f"{ANSWER_COLUMN}{row}"] = f"→ {place.sheet}"
            texts[f"{GUIDANCE_COLUMN}{row}"] = ctx.text("see_table", sheet=place.sheet)
        else:
            field_place = ctx.layout.fields[item.id]
            row = field_place.row
            advice = guidance(item, ctx)
            if advice:
                texts[f"{GUIDANCE_COLUMN}{row}"] = advice
            for code, address in field_place.options.items():
                assert item.choices is not None
                texts[f"{QUESTION_COLUMN}{address[len(ANSWER_COLUMN):]}"] = ctx.label(
                    item.choices, code)
        texts[f"{NUMBER_COLUMN}{row}"] = number
        texts[f"{QUESTION_COLUMN}{row}"] = marked_label(item, ctx.lang)
    return texts


def table_texts(ctx: SheetContext, table: Table) -> SheetTexts:
    place = ctx.layout.tables[table.id]
    header = place.first_row - 1
    texts: SheetTexts = {
        "A1": f"{ctx.questionnaire.number(table.id)} {marked_label(table, ctx.lang)}",
        "A2": ctx.text("table_rows", rows=table.rows) + "  " + ctx.text("required_note"),
        f"A{header}": ctx.text("header_number"),
    }
    for column in table.columns:
        texts[f"{place.columns[column.id]}{header}"] = (
            column.label[ctx.lang] + (" *" if column.required else ""))
    for index in range(table.rows):
        texts[f"A{place.first_row + index}"] = index + 1
    return texts


@lru_cache(maxsize=32)
def sheet_texts(questionnaire: Questionnaire, lang: str, survey: Survey
                ) -> dict[str, SheetTexts]:
    """What a blank questionnaire holds outside its answer cells, sheet by sheet."""
    layout = layout_in(questionnaire, lang, survey)
    ctx = SheetContext(questionnaire, lang, survey, layout, None)
    texts: dict[str, SheetTexts] = {}
    for section in questionnaire.sections:
        texts[section.sheet[lang]] = section_texts(ctx, section)
        for item in section.items:
            if isinstance(item, Table):
                texts[item.sheet[lang]] = table_texts(ctx, item)
    return texts


def marked_label(item: Field | Table, lang: str) -> str:
    required = item.required if isinstance(item, Field) else item.min_rows > 0
    return item.label[lang] + (" *" if required else "")


def guidance(f: Field, ctx: SheetContext) -> str:
    parts = []
    if f.relevant is not None:
        parts.append(condition_text(f.relevant, ctx))
    if f.type == "multiple_choice":
        parts.append(ctx.text("tick_hint", yes=ctx.yes))
        if f.max_choices:
            parts.append(ctx.text("tick_at_most", max=f.max_choices))
        assert f.choices is not None or not f.exclusive
        for code in f.exclusive:
            parts.append(ctx.text("tick_alone", value=ctx.label(f.choices or "", code)))
    if f.help:
        parts.append(f.help[ctx.lang])
    return "\n".join(parts)


def condition_text(condition: Condition, ctx: SheetContext, table: Table | None = None
                   ) -> str:
    """When a question applies; in a `table`, a column that depends on another of its row."""
    if table is not None:
        column = table.column(condition.question)
        assert column.choices is not None
        values = [ctx.label(column.choices, v) for v in condition.values]
        if len(values) == 1:
            return ctx.text("only_if_column_equals", column=column.label[ctx.lang],
                            value=values[0])
        return ctx.text("only_if_column_in", column=column.label[ctx.lang],
                        values=", ".join(values))
    target = ctx.questionnaire.item(condition.question)
    assert isinstance(target, Field)
    list_name = choice_list_name(target)
    assert list_name is not None
    labels = [ctx.label(list_name, v) for v in condition.values]
    number = ctx.questionnaire.number(condition.question)
    if condition.operator == "includes":
        if len(labels) > 1:
            return ctx.text("only_if_includes_any", number=number, values=", ".join(labels))
        return ctx.text("only_if_includes", number=number, value=labels[0])
    if len(labels) == 1:
        return ctx.text("only_if_equals", number=number, value=labels[0])
    return ctx.text("only_if_in", number=number, values=", ".join(labels))


def long_date(date: dt.date, lang: str) -> str:
    """A date as a reader of the language writes it: "31 janvier 2027", "31 de enero de 2027",
    "31 January 2027" (CLDR's long format, through Babel)."""
    from babel.dates import format_date

    if lang == "fr" and date.day == 1:  # "1er janvier": French writes the first as ordinal
        return format_date(date, "d'er' MMMM y", locale=DATE_LOCALES[lang])
    return format_date(date, "long", locale=DATE_LOCALES[lang])
