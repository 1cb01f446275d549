"""Write the master workbook: an overview with the response tracker and charts, one sheet per
ISCM, the tidy data, and where every row came from.

Everything written here was computed in consolidate.py. Respondents' text is always written as
text (XlsxWriter with formulas, numbers and links from strings turned off), the document's
timestamps are fixed, and the file is written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook_tools.check.validate import ValidationReport
from workbook_tools.files import csv_bytes, write_atomic
from workbook_tools.model.reference import sheet_name_problem
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.consolidate import (
    DATA_COLUMNS,
    ISCM_TYPES,
    Block,
    IscmProfile,
    RoundDates,
    Selection,
    TableData,
    TrackerRow,
    Voice,
    answer_rows,
    completion_date,
    iscm_kind,
    iscm_profiles,
    kind_name,
    membership_value,
    table_data,
    thematic_priorities,
    tracker,
)

DOCUMENT_CREATED = dt.datetime(2000, 1, 1)
OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
           "in_memory": True}


@dataclass
class MasterSummary:
    path: Path
    iscm_sheets: list[str]
    data_rows: int
    tables: dict[str, int]
    csv_files: list[Path]


class _Styles:
    def __init__(self, workbook: Any) -> None:
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 16, "font_color": "#1F4E79"})
        self.subtitle = add({"italic": True, "font_color": "#595959"})
        self.heading = add({"bold": True, "font_size": 12, "font_color": "#FFFFFF",
                            "bg_color": "#1F4E79"})
        self.header = add({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True,
                           "valign": "top", "border": 1, "border_color": "#A6A6A6"})
        self.text = add({"text_wrap": True, "valign": "top"})
        self.number = add({"bold": True, "valign": "top"})
        self.missing = add({"bold": True, "font_color": "#C00000"})
        self.warning = add({"text_wrap": True, "valign": "top", "bg_color": "#FFEB9C"})
        self.empty = add({"italic": True, "font_color": "#808080", "valign": "top"})


def _unique_sheet_name(name: str, taken: set[str]) -> str:
    candidate = name if sheet_name_problem(name) is None else "".join(
        c for c in name if c not in ":\\/?*[]")[:31] or "Sheet"
    base, counter = candidate, 2
    while candidate.casefold() in taken:
        suffix = f" ({counter})"
        candidate, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    taken.add(candidate.casefold())
    return candidate


def write_master(path: Path, report: ValidationReport, selection: Selection,
                 survey: Survey, roster: Sequence[Respondent] | None = None,
                 csv_dir: Path | None = None, dates: RoundDates | None = None) -> MasterSummary:
    """The master workbook; with a round's dates (consolidate --round), the tracker says since
    when each missing respondent was sent the questionnaire and how late it is, and the sheet
    Returns says when each return was received."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, OPTIONS)
    workbook.set_properties({"title": "ISCM assessment: master workbook",
                             "author": "IOM International Partnerships Division (workbook-tools)",
                             "created": DOCUMENT_CREATED})
    styles = _Styles(workbook)
    taken: set[str] = set()
    reference = survey.reference
    used = selection.used
    overview = workbook.add_worksheet(_unique_sheet_name("Overview", taken))
    profiles = iscm_profiles(used, survey)
    iscm_sheets = []
    for profile in profiles:
        name = _unique_sheet_name(profile.iscm.short_name, taken)
        iscm_sheets.append(name)
        _write_iscm(workbook.add_worksheet(name), profile, survey, styles)
    rows = answer_rows(used, reference)
    data_sheet = workbook.add_worksheet(_unique_sheet_name("Data", taken))
    _write_table_sheet(data_sheet, list(DATA_COLUMNS), rows, "Data", styles)
    tables = table_data(used, survey)
    for data in tables:
        sheet = workbook.add_worksheet(_unique_sheet_name(data.table.id, taken))
        _write_table_sheet(sheet, data.columns, data.rows, data.table.id, styles)
    returns_sheet = workbook.add_worksheet(_unique_sheet_name("Returns", taken))
    _write_returns(returns_sheet, report, selection, survey, styles, dates)
    _write_overview(workbook, overview, report, selection, roster, profiles, survey,
                    iscm_sheets, styles, dates)
    workbook.close()
    write_atomic(path, buffer.getvalue())
    written_csv = _write_csv(csv_dir, rows, tables) if csv_dir else []
    return MasterSummary(path, iscm_sheets, len(rows), {t.table.id: len(t.rows) for t in tables},
                         written_csv)


# --- the overview --------------------------------------------------------------------------


def _write_overview(workbook: Any, sheet: Any, report: ValidationReport, selection: Selection,
                    roster: Sequence[Respondent] | None, profiles: list[IscmProfile],
                    survey: Survey, iscm_sheets: list[str], styles: _Styles,
                    dates: RoundDates | None = None) -> None:
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 5, 12)
    sheet.set_column(6, 6, 90)
    sheet.write_string(0, 0, "Assessment of Inter-State Consultation Mechanisms on Migration",
                       styles.title)
    used = len(selection.used)
    sheet.write_string(1, 0, f"Master workbook: {used} return(s) consolidated out of "
                             f"{len(report.returns)} file(s) received. Each ISCM has its own "
                             "sheet; the tidy data are in the sheet Data; every row names its "
                             "file and checksum (sheet Returns).", styles.subtitle)
    if dates is not None:
        late = (dates.as_of - dates.deadline).days
        sheet.write_string(2, 0, f"Round as of {dates.as_of.isoformat()}: deadline "
                                 f"{dates.deadline.isoformat()}"
                                 + (f" ({late} days past)" if late > 0 else "")
                                 + "; returns are ordered by when they were received.",
                           styles.subtitle)
    row = 3
    sheet.write_string(row, 0, "Response tracker", styles.heading)
    row += 1
    headers = ["Respondents", "Sent", "Answered", "Valid", "Invalid", "Missing",
               "Who is missing" if roster is not None else "Who is missing (give --roster)"]
    sheet.write_row(row, 0, headers, styles.header)
    sheet.set_row(row, 30)
    tracker_rows = tracker(report, roster, survey, dates)
    first = row + 1
    for item in tracker_rows:
        row += 1
        _write_tracker_row(sheet, row, item, kind_name(survey, item.kind), styles)
    last = row
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    for column, name, colour in ((3, "Valid", "#70AD47"), (4, "Invalid", "#FFC000"),
                                 (5, "Missing", "#C00000")):
        chart.add_series({"name": name, "categories": [sheet.name, first, 0, last, 0],
                          "values": [sheet.name, first, column, last, column],
                          "fill": {"color": colour}})
    chart.set_title({"name": "Response by respondent type"})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"name": "Respondents"})
    chart.set_legend({"position": "bottom"})
    row += 2
    sheet.insert_chart(row, 0, chart, {"x_scale": 1.3, "y_scale": 0.9})
    row += 16
    priorities = thematic_priorities(selection.used, survey)
    if priorities is None:
        sheet.write_string(row, 0, "No question of the ISCM questionnaire has the role "
                                   "thematic_priorities: no chart of priorities.", styles.empty)
        row += 2
    else:
        question, counts = priorities
        row = _chart_table(workbook, sheet, row, "Thematic priorities across ISCMs",
                           ["Thematic area", f"ISCMs naming it ({question.id})"],
                           [[label, count] for label, count in counts], "ISCMs", styles)
    row = _chart_table(workbook, sheet, row, "Value respondents see in membership",
                       ["Area", "Average rating (1-4)", "Ratings"],
                       [[label, average, count] for label, average, count in membership_value(
                           selection.used, survey)], "Average rating, 4 = very valuable",
                       styles)
    sheet.write_string(row, 0, "ISCM sheets", styles.heading)
    for profile, name in zip(profiles, iscm_sheets, strict=True):
        row += 1
        spoke = ", ".join(f"{len(group.voices)} {group.respondents}" for group in profile.groups
                          if group.voices)
        status = ("answered" if profile.own is not None else "did not answer") + (
            f"; {spoke} spoke about it" if spoke else "")
        sheet.write_url(row, 0, f"internal:'{name}'!A1", string=name)
        sheet.write_string(row, 1, status)
    sheet.activate()
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def _write_tracker_row(sheet: Any, row: int, item: TrackerRow, name: str, styles: _Styles
                       ) -> None:
    sheet.write_string(row, 0, name[:1].upper() + name[1:])
    if item.sent is None:
        sheet.write_string(row, 1, "—")
        sheet.write_number(row, 5, 0)
        sheet.write_string(row, 6, "")
    else:
        sheet.write_number(row, 1, item.sent)
        sheet.write_number(row, 5, len(item.missing))
        sheet.write_string(row, 6, ", ".join(item.missing), styles.text)
    sheet.write_number(row, 2, item.answered)
    sheet.write_number(row, 3, item.valid)
    sheet.write_number(row, 4, item.invalid)


def _chart_table(workbook: Any, sheet: Any, row: int, title: str, headers: list[str],
                 rows: list[list[Any]], axis: str, styles: _Styles) -> int:
    sheet.write_string(row, 0, title, styles.heading)
    row += 1
    sheet.write_row(row, 0, headers, styles.header)
    sheet.set_row(row, 30)
    if not rows:
        sheet.write_string(row + 1, 0, "No answers yet.", styles.empty)
        return row + 3
    first = row + 1
    for values in rows:
        row += 1
        sheet.write_string(row, 0, values[0])
        for column, value in enumerate(values[1:], start=1):
            sheet.write_number(row, column, value)
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({"name": headers[1], "categories": [sheet.name, first, 0, row, 0],
                      "values": [sheet.name, first, 1, row, 1], "fill": {"color": "#1F4E79"}})
    chart.set_title({"name": title})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"name": axis})
    chart.set_legend({"none": True})
    sheet.insert_chart(first - 1, 3, chart, {"x_scale": 1.2, "y_scale": max(1.0, len(rows) / 12)})
    return max(row + 2, first + int(15 * max(1.0, len(rows) / 12)))


# --- one sheet per ISCM --------------------------------------------------------------------


def _text(sheet: Any, row: int, column: int, value: str, style: Any = None) -> None:
    sheet.write_string(row, column, value, style)


def _write_iscm(sheet: Any, profile: IscmProfile, survey: Survey, styles: _Styles) -> None:
    iscm = profile.iscm
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 55)
    sheet.set_column(2, 2, 70)
    sheet.set_column(3, 14, 18)
    _text(sheet, 0, 0, f"{iscm.full_name} ({iscm.short_name})", styles.title)
    _text(sheet, 1, 0, f"{ISCM_TYPES.get(iscm.type, iscm.type)} · {iscm.region}", styles.subtitle)
    own = profile.own
    if own is None:
        _text(sheet, 2, 0, "The ISCM did not answer the questionnaire. What States and "
                           "organizations said about it follows.", styles.missing)
    else:
        date = completion_date(own)
        when = f" of {date.isoformat()}" if isinstance(date, dt.date) else ""
        invalid = " (INVALID return, included on request)" if own.status == "invalid" else ""
        _text(sheet, 2, 0, f"Answered: return{when}{invalid}; file {own.path}; sha256 "
                           f"{own.reading.sha256[:16]}…", styles.warning if invalid else
              styles.subtitle)
    sheet.freeze_panes(3, 0)
    row = 4
    for section in profile.sections:
        sheet.merge_range(row, 0, row, 2, section.title, styles.heading)
        row += 1
        for item in section.items:
            if isinstance(item, Block):
                row = _write_block(sheet, row, item, styles)
                continue
            number, question, answer = item
            _text(sheet, row, 0, number, styles.number)
            _text(sheet, row, 1, question, styles.text)
            _text(sheet, row, 2, answer or "(no answer)", styles.text if answer else styles.empty)
            row += 1
        row += 1
    for group in profile.groups:
        title = (f"What other {group.respondents} said (partnerships)"
                 if group.kind == iscm_kind(survey) else f"What {group.respondents} said")
        row = _write_voices(sheet, row, title, group.headers, group.voices, styles)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _write_block(sheet: Any, row: int, block: Block, styles: _Styles) -> int:
    _text(sheet, row, 0, block.number, styles.number)
    _text(sheet, row, 1, block.label, styles.text)
    if not block.rows:
        _text(sheet, row, 2, "(no rows)", styles.empty)
        return row + 1
    row += 1
    for column, header in enumerate(block.headers, start=1):
        _text(sheet, row, column, header, styles.header)
    for values in block.rows:
        row += 1
        for column, value in enumerate(values, start=1):
            _text(sheet, row, column, value, styles.text)
    return row + 1


def _write_voices(sheet: Any, row: int, title: str, headers: list[str], voices: list[Voice],
                  styles: _Styles) -> int:
    sheet.merge_range(row, 0, row, 2, title, styles.heading)
    row += 1
    if not voices:
        _text(sheet, row, 1, "No return named this ISCM.", styles.empty)
        return row + 2
    for column, header in enumerate([*headers, "Return", "File"], start=1):
        _text(sheet, row, column, header, styles.header)
    for voice in voices:
        row += 1
        style = styles.warning if voice.status == "invalid" else styles.text
        for column, value in enumerate([voice.who, *voice.values, voice.status, voice.file],
                                       start=1):
            _text(sheet, row, column, value, style)
    return row + 2


# --- data sheets ---------------------------------------------------------------------------


def _write_table_sheet(sheet: Any, columns: list[str], rows: list[dict[str, str]], name: str,
                       styles: _Styles) -> None:
    widths = {"label": 50, "value": 40, "value_label": 40, "file": 40, "sha256": 20,
              "example": 50, "respondent_name": 24}
    for index, column in enumerate(columns):
        sheet.set_column(index, index, widths.get(column, 16))
    for row_index, record in enumerate(rows, start=1):
        for column_index, column in enumerate(columns):
            sheet.write_string(row_index, column_index, record.get(column, ""))
    table_name = "t_" + "".join(c if c.isalnum() else "_" for c in name)
    sheet.add_table(0, 0, max(len(rows), 1), len(columns) - 1, {
        "name": table_name, "columns": [{"header": c} for c in columns],
        "style": "Table Style Light 9", "autofilter": True})
    sheet.freeze_panes(1, 0)


def _write_returns(sheet: Any, report: ValidationReport, selection: Selection, survey: Survey,
                   styles: _Styles, dates: RoundDates | None = None) -> None:
    columns = ["file", "sha256", "status", "respondent_id", "kind", "respondent_name",
               "questionnaire", "version", "lang", "completion_date", "fate", "why"]
    if dates is not None:
        columns.insert(columns.index("completion_date") + 1, "received")
    rows = []
    for item in report.returns:
        fate, why = selection.fate(item, survey.messages)

        identity = item.reading.identity
        date = completion_date(item)
        rows.append({
            "file": str(item.path), "sha256": item.reading.sha256, "status": item.status,
            "respondent_id": item.reading.respondent.id, "kind": item.reading.respondent.kind,
            "respondent_name": item.reading.respondent.name,
            "questionnaire": identity.questionnaire if identity else "",
            "version": str(identity.version) if identity else "",
            "lang": identity.lang if identity else "",
            "completion_date": date.isoformat() if isinstance(date, dt.date) else "",
            "fate": fate, "why": why})
        if dates is not None:
            received = dates.received.get(item.path)
            rows[-1]["received"] = received.strftime("%Y-%m-%d %H:%M") if received else ""
    _write_table_sheet(sheet, columns, rows, "Returns", styles)
    sheet.set_column(len(columns) - 1, len(columns) - 1, 80)


# --- CSV for analysts ----------------------------------------------------------------------


def _write_csv(folder: Path, rows: list[dict[str, str]], tables: list[TableData]) -> list[Path]:
    written = [folder / "data.csv"]
    write_atomic(written[0], csv_bytes(DATA_COLUMNS, rows))
    for data in tables:
        target = folder / f"{data.table.id}.csv"
        write_atomic(target, csv_bytes(data.columns, data.rows))
        written.append(target)
    return written

