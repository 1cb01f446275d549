"""The export's rows: each return's answers as the dictionary's variables, every missing value
with its reason. A return made from an older version comes with its answers carried to the
current version (consolidate.in_current_version): the conditions say what did not apply, and
what the version it was made from did not ask is "not asked".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from workbook_tools.check.validate import ReturnReport
from workbook_tools.errors import UserError
from workbook_tools.model.questionnaire import Field, Questionnaire, Table, choice_list_name
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.consolidate import answered_version
from workbook_tools.outputs.export.dictionary import (
    NOT_ANSWERED,
    NOT_APPLICABLE,
    NOT_ASKED,
    DataFile,
    Dictionary,
    Missing,
    Variable,
    option_name,
)

Value = str | int | dt.date | Missing
Row = dict[str, Value]


def respondent_id(item: ReturnReport) -> str:
    """The roster's id, or the respondent's code for a blank questionnaire (as in the master's
    Data sheet)."""
    respondent = item.reading.respondent
    return respondent.id or respondent.code


def question_value(variable: Variable, own: Mapping[str, Field],
                   answers: Mapping[str, object], version: int | None = None) -> Value:
    """One variable of one return (made from `version`): its value, or why it has none."""
    assert variable.question is not None
    question = own.get(variable.question)
    if question is None or (version is not None and version not in variable.versions):
        return NOT_ASKED
    value = answers.get(question.id)
    if variable.storage == "tick":
        ticked = value if isinstance(value, tuple) else ()
        if ticked:
            return 1 if variable.option in ticked else 0
    elif isinstance(value, (str, int, dt.date)) and value != "":
        return value
    condition = question.relevant
    if condition is not None and not condition.holds(answers.get(condition.question)):
        return NOT_APPLICABLE
    return NOT_ANSWERED


def _fields(questionnaire: Questionnaire) -> dict[str, Field]:
    return {f.id: f for f in questionnaire.fields()}


def _table(questionnaire: Questionnaire, table_id: str) -> Table | None:
    return next((t for t in questionnaire.tables() if t.id == table_id), None)


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def export_rows(dictionary: Dictionary, used: Sequence[ReturnReport], survey: Survey,
                lang: str) -> dict[str, list[Row]]:
    """The rows of every file of the dictionary, by file name."""
    ids: dict[str, ReturnReport] = {}
    for item in used:
        key = respondent_id(item)
        if key in ids:
            raise UserError(f"{item.path} and {ids[key].path} are returns of different "
                            f"respondents with the same id {key!r}; the export keys every "
                            "file by respondent: correct the roster or the returns")
        ids[key] = item
    rows: dict[str, list[Row]] = {data.name: [] for data in dictionary.files}
    for item in used:
        questionnaire = item.questionnaire
        assert questionnaire is not None
        reading = item.reading
        version = answered_version(item)  # its answers are in the current version's terms
        meta: Row = {"respondent_id": respondent_id(item), "kind": reading.respondent.kind,
                     "code": reading.respondent.code, "name": reading.respondent.name,
                     "questionnaire_version": version, "return_lang": reading.lang,
                     "file": str(item.path), "sha256": reading.sha256}
        rows["respondents"].append(meta)
        own = _fields(questionnaire)
        for data in dictionary.files:
            if data.questionnaire != questionnaire.id:
                continue
            if data.role == "wide":
                rows[data.name].append({
                    v.name: meta[v.name] if v.question is None else question_value(
                        v, own, reading.answers, version) for v in data.variables})
            elif data.role == "table":
                rows[data.name] += _table_rows(data, meta, questionnaire, item, version)
        rows["answers"] += _answers(dictionary, meta, questionnaire, item, survey, lang)
    return rows


def _table_rows(data: DataFile, meta: Row, questionnaire: Questionnaire, item: ReturnReport,
                version: int) -> list[Row]:
    table = _table(questionnaire, data.table)
    if table is None:
        return []  # the return's version has no such table: no rows
    # the columns its version asked (directly or through a migration)
    columns = {v.question for v in data.variables if v.question and version in v.versions}
    found = []
    for row in item.reading.tables.get(table.id, ()):
        added: Row = {**meta, "row": row.index + 1}
        found.append({v.name: added[v.name] if v.question is None else _cell(
            v.question, columns, row.values) for v in data.variables})
    return found


def _cell(column: str, columns: set[str], values: Mapping[str, object]) -> Value:
    """One cell of a table row: its value, or why it has none."""
    if column not in columns:
        return NOT_ASKED
    value = values.get(column)
    return value if isinstance(value, (str, int, dt.date)) and value != "" else NOT_ANSWERED


def _answers(dictionary: Dictionary, meta: Row, questionnaire: Questionnaire,
             item: ReturnReport, survey: Survey, lang: str) -> list[Row]:
    """Every answer of a return in long form, one row per value (one per option ticked): the
    master's Data sheet, in the chosen language, without what is left out as personal."""
    wide = dictionary.file(questionnaire.id)
    exported = {v.question for v in wide.variables if v.question}
    reference = questionnaire.reference  # the lists this return was made from
    found: list[Row] = []
    for section, question in questionnaire.items():
        if not isinstance(question, Field) or question.id not in exported:
            continue
        value = item.reading.answers.get(question.id)
        values = list(value) if isinstance(value, tuple) else [value]
        for single in values:
            if single is None or single == "":
                continue
            name = (option_name(question.id, str(single)) if question.type == "multiple_choice"
                    else question.id)
            list_name = choice_list_name(question)
            choices = reference[list_name] if list_name else None
            label = (choices.label(str(single), lang)
                     if choices is not None and single in choices.codes else "")
            found.append({
                "respondent_id": meta["respondent_id"], "kind": meta["kind"],
                "name": meta["name"], "question_id": question.id, "variable": name,
                "number": questionnaire.number(question.id), "section": section.id,
                "label": question.label[lang], "value": _text(single), "value_label": label,
                "questionnaire_version": meta["questionnaire_version"], "file": meta["file"],
                "sha256": meta["sha256"]})
    return found
