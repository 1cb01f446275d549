"""Validation schemas built from the definitions, run over many returns at once.

One pandera pass per questionnaire version checks every return of the batch: one frame of
answers (a row per return) and one frame per table (a row per table row). Every failure maps
back to its return, sheet and cell through the frame's index and the layout.

Cells are typed before they reach pandera (coerce.py): a wrong type is reported there, with
its cell, and pandera checks cleanly typed columns: choices, ranges, lengths, required
answers, conditions, rows, uniqueness.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache, partial
from types import ModuleType
from typing import Any

from workbook_tools.check.names import NameForms
from workbook_tools.form.layout import Layout, layout_in
from workbook_tools.model.messages import Issue, MessageCatalogue
from workbook_tools.model.questionnaire import (
    Condition,
    Field,
    Questionnaire,
    Table,
    choice_list_name,
)
from workbook_tools.model.reference import ReferenceData
from workbook_tools.model.settings import Settings
from workbook_tools.model.survey import Survey
from workbook_tools.read.reading import Reading

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"
RETURN, ROW = "_return", "_row"
ESTABLISHED = "_established"  # the year the ISCM answering was established, if known
SEPARATOR = "|"  # check names are "code|item id"
# An answer that was typed but could not be read has its own type error; it is not missing.
MISSING = {"missing-answer", "missing-conditional-answer", "missing-cell",
           "missing-conditional-cell"}


BUILTIN_CHECK_MODULES = ("pandera.backends.pandas.builtin_checks",
                         "pandera.backends.pandas.builtin_hypotheses")


def load_pandera() -> ModuleType:
    """pandera's pandas API, imported once.

    pandera imports hypothesis, for its data-synthesis strategies, whenever hypothesis is
    installed (here it is, for the tests); checking returns never synthesizes data, and that
    import costs a tenth of a second, a twentieth of validating 500 returns. So the first
    import of pandera is made with hypothesis held out, which is pandera's own path when
    hypothesis is not installed; a process that has already imported hypothesis keeps it."""
    if "pandera.pandas" not in sys.modules and "hypothesis" not in sys.modules:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]  # import: ImportError
        try:
            importlib.import_module("pandera.pandas")
            # the checks' strategies are imported when the first schema validates: now
            for module in BUILTIN_CHECK_MODULES:
                with suppress(ImportError):  # another pandera may keep them elsewhere
                    importlib.import_module(module)
        finally:
            del sys.modules["hypothesis"]
    import pandera.pandas as pa

    return pa


def bound_column(column_id: str) -> str:
    """In a table's frame: the year a column's year may not precede, row by row."""
    return f"_before:{column_id}"


def option_column(field_id: str, code: str) -> str:
    return f"{field_id}:{code}"


@dataclass(frozen=True)
class Schemas:
    answers: Any  # pandera DataFrameSchema: one column per question, checked column by column
    conditions: Any  # the checks across questions, over only the columns they involve
    condition_columns: list[str]
    tables: dict[str, Any]


def _value_checks(f: Field, settings: Settings) -> list[Any]:
    pa = load_pandera()

    list_name = choice_list_name(f)
    if list_name:
        return [pa.Check.isin(list(f.codes) if f.codes else [], error="not-in-list")]
    if f.type in {"integer", "year"}:
        low, high = settings.number_bounds(f)
        return [pa.Check.in_range(low, high, error="out-of-range")]
    if f.type == "date":
        return [pa.Check.in_range(settings.earliest_date, settings.latest_date,
                                  error="date-out-of-range")]
    checks = []
    if f.type == "email":
        checks.append(pa.Check.str_matches(EMAIL, error="invalid-email"))
    if f.max_length:
        checks.append(pa.Check.str_length(max_value=f.max_length, error="too-long"))
    return checks


def _answered(frame: Any, f: Field) -> Any:
    return frame[f.id] > 0 if f.type == "multiple_choice" else frame[f.id].notna()


def _applies(frame: Any, condition: Condition) -> Any:
    if condition.operator == "includes":
        result = None
        for value in condition.values:
            column = frame[option_column(condition.question, value)]
            result = column if result is None else result | column
        return result
    return frame[condition.question].isin(list(condition.values))


def _frame_check(code: str, item_id: str, test: Callable[[Any], Any]) -> Any:
    pa = load_pandera()

    return pa.Check(test, error=f"{code}{SEPARATOR}{item_id}")


# Row-wise tests: True where the return passes.
def _answered_when_applies(frame: Any, f: Field, condition: Condition) -> Any:
    return ~(_applies(frame, condition) & ~_answered(frame, f))


def _empty_unless_applies(frame: Any, f: Field, condition: Condition, target: Field) -> Any:
    # only once the question it depends on is answered: a missing answer there is its own error
    return ~(_answered(frame, target) & ~_applies(frame, condition) & _answered(frame, f))


def _alone_if_chosen(frame: Any, f: Field, code: str) -> Any:
    return ~(frame[option_column(f.id, code)].astype(bool) & (frame[f.id] > 1))


def _not_before(frame: Any, column: str, bound: str) -> Any:
    import pandas as pd

    years = pd.to_numeric(frame[column], errors="coerce")
    return ~(years < pd.to_numeric(frame[bound], errors="coerce"))


def _row_answered_when_applies(frame: Any, column: str, condition: Condition) -> Any:
    return ~(frame[condition.question].isin(list(condition.values)) & frame[column].isna())


def _row_empty_unless_applies(frame: Any, column: str, condition: Condition) -> Any:
    target = frame[condition.question]
    return ~(target.notna() & ~target.isin(list(condition.values)) & frame[column].notna())


def _none_or_at_least(series: Any, minimum: int) -> Any:
    return (series == 0) | (series >= minimum)


def _filled(series: Any) -> Any:
    return series.notna()


def _required(f: Field, code: str = "missing-answer") -> Any:
    """A column-level check that the answer is there (pandera skips empty cells otherwise)."""
    pa = load_pandera()

    if f.type == "multiple_choice":
        return pa.Check.gt(0, error=code)
    return pa.Check(_filled, ignore_na=False, error=code)


def _condition_checks(questionnaire: Questionnaire) -> tuple[list[Any], list[str]]:
    """Checks across questions, and the columns they read. They run on a frame of only those
    columns: a row-wise check is reported once per column of its frame."""
    checks, columns = [], []
    for f in questionnaire.fields():
        condition = f.relevant
        if condition is None:
            continue
        target = questionnaire.item(condition.question)
        assert isinstance(target, Field)
        columns += [f.id, condition.question]
        if condition.operator == "includes":
            columns += [option_column(condition.question, v) for v in condition.values]
        if f.required:
            checks.append(_frame_check("missing-conditional-answer", f.id,
                                       partial(_answered_when_applies, f=f, condition=condition)))
        checks.append(_frame_check("not-applicable", f.id,
                                   partial(_empty_unless_applies, f=f, condition=condition,
                                           target=target)))
    for f in questionnaire.fields():
        for code in f.exclusive:  # "none" ticked with other options
            columns += [f.id, option_column(f.id, code)]
            checks.append(_frame_check("exclusive-option", option_column(f.id, code),
                                       partial(_alone_if_chosen, f=f, code=code)))
        if f.not_before is not None:
            bound = f.not_before.question or ESTABLISHED
            columns += [f.id, bound]
            code = "before-other-year" if f.not_before.question else "before-established"
            checks.append(_frame_check(code, f.id, partial(_not_before, column=f.id,
                                                           bound=bound)))
    return checks, list(dict.fromkeys(columns))


def condition_options(questionnaire: Questionnaire) -> dict[str, list[str]]:
    """The options of multiple choices that a condition tests: the only ones the frame needs
    as columns of their own."""
    options: dict[str, list[str]] = {}
    for f in questionnaire.fields():
        if f.relevant is not None and f.relevant.operator == "includes":
            options.setdefault(f.relevant.question, []).extend(f.relevant.values)
        if f.exclusive:
            options.setdefault(f.id, []).extend(f.exclusive)
    return {field_id: list(dict.fromkeys(codes)) for field_id, codes in options.items()}


@lru_cache(maxsize=16)
def schemas_for(questionnaire: Questionnaire, settings: Settings) -> Schemas:
    pa = load_pandera()

    columns: dict[str, Any] = {}
    for f in questionnaire.fields():
        required = [_required(f)] if f.required and f.relevant is None else []
        if f.type == "multiple_choice":
            count_checks = required
            if f.max_choices:
                count_checks.append(pa.Check.le(f.max_choices, error="too-many-choices"))
            if f.min_choices:
                count_checks.append(pa.Check(partial(_none_or_at_least, minimum=f.min_choices),
                                             error="too-few-choices"))
            columns[f.id] = pa.Column(None, count_checks, nullable=True)
        else:
            columns[f.id] = pa.Column(None, [*required, *_value_checks(f, settings)],
                                      nullable=True)
    for table in questionnaire.tables():
        columns[table.id] = pa.Column(None, [pa.Check.ge(table.min_rows, error="too-few-rows")]
                                      if table.min_rows else [], nullable=True)
    answers = pa.DataFrameSchema(columns)
    condition_checks, condition_columns = _condition_checks(questionnaire)
    conditions = pa.DataFrameSchema({c: pa.Column(None, nullable=True)
                                     for c in condition_columns}, checks=condition_checks)
    tables = {}
    for table in questionnaire.tables():
        table_columns: dict[str, Any] = {RETURN: pa.Column(None), ROW: pa.Column(None)}
        row_checks = []
        for column in table.columns:
            required = [_required(column, "missing-cell")] if (
                column.required and column.relevant is None) else []
            table_columns[column.id] = pa.Column(None, [*required,
                                                        *_value_checks(column, settings)],
                                                 nullable=True)
            condition = column.relevant
            if condition is not None:  # a column that depends on another of its row
                if column.required:
                    row_checks.append(_frame_check(
                        "missing-conditional-cell", column.id,
                        partial(_row_answered_when_applies, column=column.id,
                                condition=condition)))
                row_checks.append(_frame_check(
                    "not-applicable-cell", column.id,
                    partial(_row_empty_unless_applies, column=column.id, condition=condition)))
            if column.not_before is not None:
                table_columns[bound_column(column.id)] = pa.Column(None, nullable=True)
                code = ("before-other-year" if column.not_before.question
                        else "before-established")
                row_checks.append(_frame_check(code, column.id, partial(
                    _not_before, column=column.id, bound=bound_column(column.id))))
        tables[table.id] = pa.DataFrameSchema(
            table_columns, checks=row_checks,
            unique=[RETURN, *table.unique] if table.unique else None,
            report_duplicates="exclude_first",
        )
    return Schemas(answers, conditions, condition_columns, tables)


# --- frames --------------------------------------------------------------------------------


def answers_frame(questionnaire: Questionnaire, returns: Sequence[Reading],
                  reference: ReferenceData | None = None) -> Any:
    import pandas as pd

    tested = condition_options(questionnaire)
    established = reference is not None and any(
        f.not_before is not None and f.not_before.question is None
        for f in questionnaire.fields())
    records = []
    for result in returns:
        record: dict[str, object] = {}
        if established and reference is not None:
            record[ESTABLISHED] = reference.established(result.respondent.code)
        for f in questionnaire.fields():
            value = result.answers.get(f.id)
            if f.type == "multiple_choice":
                chosen = value if isinstance(value, tuple) else ()
                record[f.id] = len(chosen)
                for code in tested.get(f.id, ()):
                    record[option_column(f.id, code)] = code in chosen
            else:
                record[f.id] = value
        for table in questionnaire.tables():
            record[table.id] = len(result.tables.get(table.id, []))
        records.append(record)
    frame = pd.DataFrame.from_records(records, index=range(len(returns))).astype(object)
    return frame.where(frame.notna(), None)


def table_frame(table: Table, returns: Sequence[Reading],
                reference: ReferenceData | None = None) -> Any:
    """The rows of one table across returns; the index is the row's position in the frame and
    the columns RETURN and ROW say which return and which table row it is (pandera reports a
    flat index as it is, a MultiIndex only as text). A year that may not precede another has
    that other year beside it, row by row."""
    import pandas as pd

    bounded = [c for c in table.columns if c.not_before is not None]
    iscm = table.iscm_column
    records = []
    for position, result in enumerate(returns):
        for row in result.tables.get(table.id, []):
            record = {RETURN: position, ROW: row.index, **row.values}
            for column in bounded:
                assert column.not_before is not None
                if column.not_before.question:
                    record[bound_column(column.id)] = result.answers.get(
                        column.not_before.question)
                elif reference is not None and iscm is not None:
                    named = row.values.get(iscm.id)
                    record[bound_column(column.id)] = (reference.established(named)
                                                       if isinstance(named, str) else None)
            records.append(record)
    columns = [RETURN, ROW, *(c.id for c in table.columns),
               *(bound_column(c.id) for c in bounded)]
    frame = pd.DataFrame.from_records(records, columns=columns).astype(object)
    return frame.where(frame.notna(), None)


def _failures(schema: Any, frame: Any) -> list[tuple[str, str, Any]]:
    """(check name, column, index) of each failure, once each."""
    pa = load_pandera()

    if frame.empty:
        return []
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        found: dict[tuple[str, str, Any], None] = {}
        for case in errors.failure_cases.itertuples(index=False):
            if case.index is None or not isinstance(case.check, str):
                continue
            column = "" if case.column is None else str(case.column)
            if SEPARATOR in case.check or case.check == "multiple_fields_uniqueness":
                column = ""  # a row-wise check names each column of the row: once is enough
            found.setdefault((case.check, column, case.index), None)
        return list(found)
    return []


# --- from failures to issues ---------------------------------------------------------------


def check_readings(readings: Sequence[Reading], survey: Survey) -> list[list[Issue]]:
    """The schema's findings for each reading (none for a rejected one), one pandera pass per
    questionnaire version over every return of the batch."""
    found: list[list[Issue]] = [[] for _ in readings]
    groups: dict[tuple[str, int], list[int]] = {}
    for position, reading in enumerate(readings):
        if reading.questionnaire_in(survey) is not None:
            assert reading.identity is not None
            key = (reading.identity.questionnaire, reading.identity.version)
            groups.setdefault(key, []).append(position)
    context = _Context(survey.settings, survey.messages, survey.reference, NameForms(survey))
    for (questionnaire_id, version), positions in groups.items():
        questionnaire = survey.get(questionnaire_id, version)
        assert questionnaire is not None
        group = [readings[position] for position in positions]
        schemas = schemas_for(questionnaire, survey.settings)
        frame = answers_frame(questionnaire, group, survey.reference)
        failures = _failures(schemas.answers, frame)
        if schemas.condition_columns:
            failures += _failures(schemas.conditions, frame[schemas.condition_columns])
        for check, column, index in failures:
            reading = group[int(index)]
            layout = layout_in(questionnaire, reading.lang, survey)
            issue = _answer_issue(reading, layout, check, column, context)
            if issue is not None:
                found[positions[int(index)]].append(issue)
        for table in questionnaire.tables():
            frame = table_frame(table, group, survey.reference)
            for check, column, index in _failures(schemas.tables[table.id], frame):
                position, row = int(frame.at[index, RETURN]), int(frame.at[index, ROW])
                reading = group[position]
                layout = layout_in(questionnaire, reading.lang, survey)
                issue = _table_issue(reading, layout, table, check, column, row, context)
                if issue is not None:
                    found[positions[position]].append(issue)
    return found


@dataclass(frozen=True)
class _Context:
    settings: Settings
    messages: MessageCatalogue
    reference: ReferenceData
    names: NameForms


def _answer_issue(reading: Reading, layout: Layout, check: str, column: str, context: _Context
                  ) -> Issue | None:
    code, _, item_id = check.partition(SEPARATOR)
    item_id, _, option = (item_id or column).partition(":")  # an option: "question:code"
    if item_id in reading.unread:
        return None  # its sheet could not be read: already reported
    questionnaire = layout.questionnaire
    number = questionnaire.number(item_id)
    item = questionnaire.item(item_id)
    if isinstance(item, Table):
        place = layout.tables[item_id]
        return context.messages.issue(
            code, sheet=place.sheet, cell=place.cell(item.columns[0].id, 0), question=item_id,
            number=number, min=item.min_rows, count=len(reading.tables.get(item_id, ())))
    field_place = layout.fields[item_id]
    cell = field_place.options.get(option) or field_place.cell or next(
        iter(field_place.options.values()), "")
    if code in MISSING and (field_place.sheet, cell) in reading.untyped:
        return None
    params: dict[str, Any] = {"number": number}
    if item.relevant is not None:
        params["other"] = questionnaire.number(item.relevant.question)
    if option and item.choices:
        params["option"] = dict(context.reference[item.choices].choices[
            item.codes.index(option)].labels)
    if item.not_before is not None:
        params.update(_bound(item, reading.answers, reading.respondent.code, questionnaire,
                             context))
    if item.type == "multiple_choice":
        chosen = reading.answers.get(item_id)
        params.update(count=len(chosen) if isinstance(chosen, tuple) else 0,
                      min=item.min_choices, max=item.max_choices)
        value: object = ""
    else:
        answer = reading.answers.get(item_id)
        value = _shown(reading.raw.get(item_id), answer)
        params.update(_limits(item, answer, context.settings))
    return context.messages.issue(code, sheet=field_place.sheet, cell=cell, question=item_id,
                                  value=value, **params)


def _shown(raw: object, answer: object) -> object:
    """What a message quotes of an answer: what was typed, but a date cell's date rather than
    the serial number Excel stores for it."""
    if isinstance(answer, dt.date) and not isinstance(raw, str):
        return answer.isoformat()
    return raw


def _limits(f: Field, value: object, settings: Settings) -> dict[str, Any]:
    """The bounds a message quotes: the range of a number or date, the length of a text."""
    if f.type in {"integer", "year"}:
        low, high = settings.number_bounds(f)
        return {"min": low, "max": high}
    if f.type == "date":
        return {"min": settings.earliest_date.isoformat(),
                "max": settings.latest_date.isoformat()}
    return {"max": f.max_length, "count": len(value) if isinstance(value, str) else 0}


def _bound(f: Field, answers: Mapping[str, object], iscm: object,
           questionnaire: Questionnaire, context: _Context) -> dict[str, Any]:
    """What a year was compared with: the year of another question, or an ISCM's founding."""
    assert f.not_before is not None
    if f.not_before.question:
        return {"other": questionnaire.number(f.not_before.question),
                "year": answers.get(f.not_before.question)}
    code = iscm if isinstance(iscm, str) else ""
    return {"iscm_of": context.names.localized("iscms", code, "of"),
            "year": context.reference.established(code) or ""}


def _table_issue(reading: Reading, layout: Layout, table: Table, check: str, column: str,
                 row: int, context: _Context) -> Issue | None:
    if table.id in reading.unread:
        return None
    questionnaire = layout.questionnaire
    place = layout.tables[table.id]
    code, _, column_id = check.partition(SEPARATOR)
    if check == "multiple_fields_uniqueness":
        code, column_id = "duplicate-row", table.unique[-1]
    column_id = column_id or column
    if code in MISSING and (place.sheet, place.cell(column_id, row)) in reading.untyped:
        return None
    table_row = next(r for r in reading.tables[table.id] if r.index == row)
    field = table.column(column_id)
    params: dict[str, Any] = {"number": questionnaire.number(table.id), "row": row + 1,
                              "column": dict(field.label)}
    value: object = _shown(table_row.raw.get(column_id), table_row.values.get(column_id))
    if code == "duplicate-row":
        value = " / ".join(str(table_row.raw.get(c) or "") for c in table.unique)
    else:
        params.update(_limits(field, table_row.values.get(column_id), context.settings))
    if field.relevant is not None:
        params["other"] = dict(table.column(field.relevant.question).label)
    if field.not_before is not None:
        iscm = table.iscm_column
        params.update(_bound(field, reading.answers,
                             table_row.values.get(iscm.id) if iscm else None, questionnaire,
                             context))
    return context.messages.issue(code, sheet=place.sheet, cell=place.cell(column_id, row),
                                  question=table.id, value=value, **params)
