"""The codebook: every file and variable of the export, in the chosen language, as a workbook
(.xlsx) and as Markdown. What it says comes from the dictionary (the definitions) and the
words of codebook.yaml; the two renderings lay out the same tables."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from workbook_tools.form.layout import layout_in
from workbook_tools.form.texts import SheetContext, condition_text
from workbook_tools.model import questionnaire as model
from workbook_tools.model.reference import ChoiceList
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.export.dictionary import (
    LIST_INLINE_MAX,
    MISSING,
    WHY_SUFFIX,
    DataFile,
    Dictionary,
    Variable,
    choice_numbers,
)

DOCUMENT_CREATED = dt.datetime(2000, 1, 1)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Codebook:
    lang: str
    title: str
    intro: str
    headings: dict[str, str]
    files: Table
    notes: list[str]
    missing: Table
    missing_notes: list[str]
    variables: Table
    values: Table
    left_out_intro: str
    left_out: Table


class _Words:
    def __init__(self, survey: Survey, lang: str) -> None:
        self.survey, self.lang = survey, lang

    def __call__(self, key: str, **values: object) -> str:
        return self.survey.codebook.text(key, self.lang, **values)


def build_codebook(dictionary: Dictionary, survey: Survey, lang: str,
                   counts: dict[str, int]) -> Codebook:
    words = _Words(survey, lang)
    questionnaires = ", ".join(q.source for _, q in sorted(survey.questionnaires.items()))
    respondents = counts.get("respondents", 0)
    intro = words("intro", survey=survey.settings.text("survey_title", lang),
                  year=survey.settings.year, count=respondents, questionnaires=questionnaires)
    headings = {key: words(f"headings.{key}") for key in (
        "files", "variables", "values", "missing", "left_out")}
    column = {key: words(f"columns.{key}") for key in (
        "file", "variable", "short_name", "questionnaire", "section", "number", "question",
        "type", "values",
        "applies_when", "condition", "missing", "spss_missing", "rows", "key", "linked_to",
        "contents", "list", "number_code", "code", "label", "reason", "meaning")}
    files = Table([column["file"], column["contents"], column["rows"], column["key"],
                   column["linked_to"]])
    for data in dictionary.files:
        files.rows.append([data.name, file_description(data, survey, lang),
                           str(counts.get(data.name, 0)), ", ".join(data.key),
                           data.parent or ""])
    notes = [words(f"files.{key}") for key in ("formats", "names", "numbers", "labels")]
    missing = Table([column["reason"], column["meaning"], "CSV", "Parquet", "Stata", "SPSS"])
    for reason in MISSING:
        missing.rows.append([
            words(f"missing.{reason.reason}"), words(f"missing.{reason.reason}_meaning"),
            reason.token, f"null, …{WHY_SUFFIX} = {reason.reason}", f".{reason.tag}",
            f"{-reason.rank:d} / {reason.token}"])
    missing_notes = [words("missing.not_ticked_meaning"),
                     words("missing.parquet", why=column["question"].upper() + WHY_SUFFIX),
                     words("missing.spss_numbers")]
    variables = Table([column[key] for key in (
        "file", "variable", "short_name", "questionnaire", "section", "number", "question",
        "type", "values",
        "applies_when", "condition", "missing", "spss_missing")])
    lists: dict[str, ChoiceList] = {}
    values_sheet = headings["values"]
    for data in dictionary.files:
        for variable in data.variables:
            variables.rows.append(_variable_row(data, variable, survey, words, values_sheet))
            if variable.storage == "code" and variable.choices is not None:
                lists.setdefault(variable.choices.name, variable.choices)
    values = Table([column["list"], column["number_code"], column["code"], column["label"]])
    for name in sorted(lists):
        numbers = choice_numbers(lists[name])
        for choice in lists[name].choices:
            values.rows.append([name, str(numbers[choice.code]), choice.code,
                                choice.labels[lang]])
    left_out = Table([column["file"], column["question"], column["variable"]])
    for data, variable in dictionary.personal:
        left_out.rows.append([data.name, variable.label[lang], variable.name])
    left_out_intro = words("left_out.none") if not dictionary.personal else words(
        "left_out.included" if dictionary.include_personal else "left_out.intro")
    return Codebook(lang, words("title"), intro, headings, files, notes, missing, missing_notes,
                    variables, values, left_out_intro, left_out)


def file_description(data: DataFile, survey: Survey, lang: str) -> str:
    if data.role in ("respondents", "answers"):
        return survey.codebook.text(f"files.{data.role}", lang)
    questionnaire = survey.current(data.questionnaire)
    respondents = questionnaire.respondents[lang]
    respondents = respondents[:1].upper() + respondents[1:]
    if data.role == "wide":
        return survey.codebook.text("files.wide", lang, respondents=respondents)
    assert data.label is not None
    return survey.codebook.text("files.table", lang, respondents=respondents,
                                number=data.number, label=data.label[lang])


def _variable_row(data: DataFile, variable: Variable, survey: Survey, words: _Words,
                  values_sheet: str) -> list[str]:
    lang = words.lang
    versions = ", ".join(f"v{v}" for v in variable.versions)
    applies = ""
    if variable.condition is not None:
        questionnaire = survey.get(variable.questionnaire, max(variable.versions))
        assert questionnaire is not None
        ctx = SheetContext(questionnaire, lang, survey, layout_in(questionnaire, lang, survey),
                           None)
        table = questionnaire.item(data.table) if data.role == "table" and data.table else None
        applies = condition_text(variable.condition, ctx,
                                 table if isinstance(table, model.Table) else None)
    reasons = "; ".join(f"{r.token} {words(f'missing.{r.reason}')}" for r in variable.reasons)
    spss = ""
    if variable.reasons:
        spss = (", ".join(r.token for r in MISSING) if variable.storage == "text" else
                ", ".join(f"{code:.0f}" for code in variable.spss_codes))
    return [data.name, variable.name, variable.short,
            f"{variable.questionnaire} {versions}".strip() if variable.question else "",
            variable.section[lang] if variable.section else "", variable.number,
            variable.label[lang], words(f"types.{variable.type}"),
            _values(variable, survey, words, values_sheet), applies, variable.depends,
            reasons or words("types.always"), spss]


def _values(variable: Variable, survey: Survey, words: _Words, values_sheet: str) -> str:
    lang = words.lang
    if variable.storage == "tick":
        return f"1 = {words('missing.ticked')}; 0 = {words('missing.not_ticked')}"
    if variable.storage == "code" and variable.choices is not None:
        choices = variable.choices
        if len(choices.choices) > LIST_INLINE_MAX:
            return words("types.see_list", list=choices.name, count=len(choices.choices),
                         sheet=values_sheet)
        numbers = variable.codes
        return "; ".join(
            f"{c.code} = {c.labels[lang]}" + ("" if str(numbers[c.code]) == c.code
                                              else f" [{numbers[c.code]}]")
            for c in choices.choices)
    if variable.enum:
        return "; ".join(variable.enum)
    if variable.bounds is not None:
        return words("types.range", min=variable.bounds[0], max=variable.bounds[1])
    if variable.type == "date":
        return words("types.range", min=survey.settings.earliest_date.isoformat(),
                     max=survey.settings.latest_date.isoformat())
    if variable.max_length:
        return words("types.at_most", max=variable.max_length)
    return ""


# --- Markdown ------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown_table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in table.headers) + " |",
             "|" + "---|" * len(table.headers)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in table.rows]
    return lines


def codebook_markdown(codebook: Codebook) -> str:
    lines = [f"# {codebook.title}", "", codebook.intro, "",
             f"## {codebook.headings['files']}", "", *_markdown_table(codebook.files), ""]
    for note in codebook.notes:
        lines += [note, ""]
    lines += [f"## {codebook.headings['missing']}", "", *_markdown_table(codebook.missing), ""]
    for note in codebook.missing_notes:
        lines += [note, ""]
    lines += [f"## {codebook.headings['variables']}", ""]
    by_file: dict[str, list[list[str]]] = {}
    for row in codebook.variables.rows:
        by_file.setdefault(row[0], []).append(row[1:])
    for name, rows in by_file.items():
        lines += [f"### {name}", "",
                  *_markdown_table(Table(codebook.variables.headers[1:], rows)), ""]
    lines += [f"## {codebook.headings['values']}", ""]
    by_list: dict[str, list[list[str]]] = {}
    for row in codebook.values.rows:
        by_list.setdefault(row[0], []).append(row[1:])
    for name, rows in by_list.items():
        lines += [f"### {name}", "",
                  *_markdown_table(Table(codebook.values.headers[1:], rows)), ""]
    lines += [f"## {codebook.headings['left_out']}", "", codebook.left_out_intro, ""]
    if codebook.left_out.rows:
        lines += [*_markdown_table(codebook.left_out), ""]
    return "\n".join(lines)


# --- the workbook --------------------------------------------------------------------------


def codebook_xlsx(codebook: Codebook) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False,
                                            "strings_to_numbers": False,
                                            "strings_to_urls": False, "in_memory": True})
    workbook.set_properties({"title": codebook.title, "created": DOCUMENT_CREATED,
                             "author": "workbook-tools"})
    styles = {
        "title": workbook.add_format({"bold": True, "font_size": 16, "font_color": "#1F4E79"}),
        "heading": workbook.add_format({"bold": True, "font_size": 12, "font_color": "#FFFFFF",
                                        "bg_color": "#1F4E79"}),
        "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True,
                                       "valign": "top", "border": 1,
                                       "border_color": "#A6A6A6"}),
        "text": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "code": workbook.add_format({"valign": "top", "font_name": "Consolas"}),
    }
    about = workbook.add_worksheet(codebook.title[:31])
    for index, width in enumerate(ABOUT_WIDTHS):
        about.set_column(index, index, width)
    about.write_string(0, 0, codebook.title, styles["title"])
    _note(about, 1, codebook.intro, styles["text"])
    row = _about_table(about, 3, codebook.headings["files"], codebook.files, styles)
    for note in codebook.notes:
        row = _note(about, row, note, styles["text"])
    row = _about_table(about, row + 1, codebook.headings["missing"], codebook.missing, styles)
    for note in codebook.missing_notes:
        row = _note(about, row, note, styles["text"])
    row += 1
    about.merge_range(row, 0, row, 5, codebook.headings["left_out"], styles["heading"])
    row = _note(about, row + 1, codebook.left_out_intro, styles["text"])
    if codebook.left_out.rows:
        _about_table(about, row, "", codebook.left_out, styles)
    about.set_landscape()
    about.set_paper(9)
    about.fit_to_pages(1, 0)

    widths = [22, 40, 28, 10, 26, 6, 60, 22, 50, 36, 30, 26, 14]
    _sheet_table(workbook, codebook.headings["variables"], codebook.variables, widths, styles)
    _sheet_table(workbook, codebook.headings["values"], codebook.values, [26, 12, 26, 60],
                 styles)
    about.activate()
    workbook.close()
    return buffer.getvalue()


LINE_POINTS = 15  # the height of a line of wrapped text, in points


def _height(values: Sequence[str], widths: Sequence[int]) -> float:
    """The height a row of wrapped text needs (spreadsheets do not grow rows written by a
    program): the most lines any of its cells takes, at about one character per width unit."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        lines = max(lines, sum(max(1, -(-len(paragraph) // max(width - 2, 1)))
                               for paragraph in value.split("\n")))
    return lines * LINE_POINTS


ABOUT_WIDTHS = (26, 70, 22, 22, 22, 22)


def _note(sheet: Any, row: int, text: str, style: Any) -> int:
    """A paragraph across the sheet's six columns; the row after it."""
    sheet.merge_range(row, 0, row, 5, text, style)
    sheet.set_row(row, _height([text], [sum(ABOUT_WIDTHS)]))
    return row + 1


def _about_table(sheet: Any, row: int, heading: str, table: Table, styles: dict[str, Any]
                 ) -> int:
    if heading:
        sheet.merge_range(row, 0, row, 5, heading, styles["heading"])
        row += 1
    for column, header in enumerate(table.headers):
        sheet.write_string(row, column, header, styles["header"])
    for values in table.rows:
        row += 1
        for column, value in enumerate(values):
            sheet.write_string(row, column, value, styles["text"])
        sheet.set_row(row, _height(values, ABOUT_WIDTHS))
    return row + 2


def _sheet_table(workbook: Any, name: str, table: Table, widths: Sequence[int],
                 styles: dict[str, Any]) -> None:
    sheet = workbook.add_worksheet(name[:31])
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width, styles["text"])
    sheet.write_row(0, 0, table.headers, styles["header"])
    sheet.set_row(0, _height(table.headers, widths))
    for row, values in enumerate(table.rows, start=1):
        for column, value in enumerate(values):
            sheet.write_string(row, column, value, styles["text"])
        sheet.set_row(row, _height(values, widths))
    sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.headers) - 1)
    sheet.freeze_panes(1, 2)
    sheet.set_landscape()
    sheet.set_paper(8)  # A3: the variables' thirteen columns stay readable on one page's width
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
