"""Write the master workbook: an overview with the response tracker and charts, the tracker of
every respondent, one sheet per ISCM, the analysis across ISCMs, the tidy data, and where every
file went.

Everything written here was computed in consolidate.py and across.py; this module only lays it
out. Every sheet is legible as Excel and LibreOffice show and print it: one font (Arial, drawn
with the metric-compatible Liberation Sans where Arial is missing), a width for every column
that holds text, a height for every row whose text wraps (computed by textfit.py: LibreOffice
keeps a file's row heights), A4 print set-up fitted to the page width with the titles repeated.
Respondents' text is always written as text (XlsxWriter with formulas, numbers and links from
strings turned off), the document's timestamps are fixed, and the file is written whole or not
at all.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from pathlib import Path
from typing import Any

from workbook_tools.check.queries import QUERY_COLUMNS, find_queries, query_rows
from workbook_tools.check.validate import ValidationReport
from workbook_tools.files import csv_bytes, write_atomic
from workbook_tools.model.reference import sheet_name_problem
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.across import (
    AcrossIscms,
    ChartData,
    WideTable,
    across_iscms,
    priorities_chart,
    ratings,
    ratings_chart,
    ratings_tables,
    response_chart,
)
from workbook_tools.outputs.consolidate import (
    DATA_COLUMNS,
    NOT_ANSWERED,
    STATE_MEANINGS,
    STATES,
    SUPERSEDED,
    VALID,
    Answer,
    Block,
    Card,
    IscmProfile,
    RoundDates,
    Selection,
    Standing,
    TableData,
    TrackerLine,
    answer_rows,
    completion_date,
    iscm_kind,
    iscm_profiles,
    kind_name,
    kinds_in_order,
    received_at,
    respondent_standings,
    table_data,
    tracker_lines,
)
from workbook_tools.textfit import (
    CELL_PADDING_PIXELS,
    DEFAULT_ROW_HEIGHT,
    DEFAULT_ROW_PIXELS,
    FONT_NAME,
    FONT_SIZE,
    MAX_DIGIT_PIXELS,
    PAGE_PIXELS,
    column_pixels,
    longest_word_width,
    row_height,
    width_for,
    widths_filling_page,
    wrapped_lines,
)

DOCUMENT_CREATED = dt.datetime(2000, 1, 1)
OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
           "in_memory": True, "default_row_height": DEFAULT_ROW_PIXELS,
           # one font everywhere, not tied to the theme (whose font is Calibri)
           "default_format_properties": {"font_name": FONT_NAME, "font_size": FONT_SIZE,
                                         "font_scheme": "none"}}
A4 = 9
MIN_PRINT_SCALE = 0.6  # fitted to the page's width, text is printed at least this size
STATE_COLOURS = {"Valid": "#70AD47", "Invalid": "#FFC000", "Rejected": "#C00000",
                 "Conflicting": "#7030A0", "Not received": "#A6A6A6"}
LEVEL_COLOURS = ("#1F4E79", "#5B9BD5", "#F4B183", "#C55A11", "#7F3F00")  # best to worst
NO_LEVEL_COLOUR = "#BFBFBF"  # a rating that is not a number ("Not applicable")
BAR_COLOUR = "#1F4E79"
# The sheets people read fill an A4 landscape page at 100 %: the last (or the widest) column
# takes what the others leave. The Overview and Across ISCMs: a wide first column, four for
# numbers (as wide as their headers' longest word), a wide last.
LABEL_WIDTH, COUNT_WIDTH = 40, 10
ISCM_WIDTHS = (6, 44, 94)
ISCM_WIDTHS_WITH_PROBLEMS = (6, 44, 64, 30)
TRACKER_WIDTHS = {"Type": 11, "Respondent": 22, "State": 13, "What is wrong, or to know": 50,
                  "Received": 11, "Completed": 11, "File": 23}
DATA_WIDTHS = {"respondent_id": 16, "kind": 7, "respondent_name": 22, "question_id": 22,
               "number": 7, "section": 13, "label": 37, "value": 24, "value_label": 26,
               "answer_state": 13, "file": 30, "status": 8, "version": 7, "sha256": 66,
               "why": 70}


@dataclass
class MasterSummary:
    path: Path
    iscm_sheets: list[str]
    data_rows: int
    tables: dict[str, int]
    csv_files: list[Path]
    tracker: list[TrackerLine]
    queries: int = 0  # consistency queries, in the sheet Queries


# --- laying out text ---------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """A cell format, and what its text needs to be measured: size, weight, wrapping."""

    format: Any
    size: float = FONT_SIZE
    bold: bool = False
    wrap: bool = True


class _Styles:
    def __init__(self, workbook: Any) -> None:
        def style(size: float = FONT_SIZE, bold: bool = False, wrap: bool = True,
                  **properties: Any) -> Style:
            base = {"font_name": FONT_NAME, "font_size": size, "bold": bold, "valign": "top",
                    "text_wrap": wrap}
            return Style(workbook.add_format({**base, **properties}), size, bold, wrap)

        self.title = style(16, True, False, font_color="#1F4E79")
        self.subtitle = style(italic=True, font_color="#404040")
        self.heading = style(11, True, font_color="#FFFFFF", bg_color="#1F4E79")
        self.header = style(bold=True, bg_color="#DDEBF7", border=1, border_color="#A6A6A6")
        self.text = style()
        self.strong = style(bold=True)
        self.number = style(bold=True)
        self.count = style(wrap=False, align="right", indent=1)
        self.alert = style(bold=True, font_color="#C00000")
        self.warning = style(bg_color="#FFEB9C")
        self.problem = style(font_color="#C00000")
        self.empty = style(italic=True, font_color="#808080")
        self.link = style(font_color="#0563C1", underline=1)


class Grid:
    """A worksheet being laid out: the width of each column, and the height each row needs to
    show its text (set when the sheet is finished)."""

    def __init__(self, sheet: Any, widths: Sequence[float]) -> None:
        self.sheet = sheet
        self.widths = list(widths)
        self.heights: dict[int, float] = {}
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        sheet.set_default_row(DEFAULT_ROW_HEIGHT)

    def span(self, first: int, last: int) -> float:
        """The width, in characters, of columns first to last merged."""
        pixels = sum(column_pixels(self.widths[c]) for c in range(first, last + 1))
        return (pixels - CELL_PADDING_PIXELS) / MAX_DIGIT_PIXELS

    def fit(self, row: int, text: str, width: float, style: Style) -> None:
        lines = wrapped_lines(text, width, style.size, style.bold) if style.wrap else (
            text.count("\n") + 1)
        self.heights[row] = max(self.heights.get(row, DEFAULT_ROW_HEIGHT),
                                row_height(lines, style.size))

    def text(self, row: int, column: int, value: str, style: Style, last: int | None = None
             ) -> None:
        """Text in a cell, or across cells column to last (merged)."""
        if last is not None and last > column:
            self.sheet.merge_range(row, column, row, last, "", style.format)
            self.sheet.write_string(row, column, value, style.format)
            self.fit(row, value, self.span(column, last), style)
        else:
            self.sheet.write_string(row, column, value, style.format)
            self.fit(row, value, self.widths[column], style)

    def number(self, row: int, column: int, value: float, style: Style) -> None:
        self.sheet.write_number(row, column, value, style.format)

    def link(self, row: int, column: int, target: str, value: str, style: Style) -> None:
        self.sheet.write_url(row, column, f"internal:'{target}'!A1", style.format, value)
        self.fit(row, value, self.widths[column], style)

    def finish(self) -> None:
        for row, height in sorted(self.heights.items()):
            if height != DEFAULT_ROW_HEIGHT:
                self.sheet.set_row(row, height)


def _print_setup(sheet: Any, grid: Grid, repeat: tuple[int, int] | None = None) -> None:
    """A4 landscape, titles repeated on every page, pages numbered; fitted to the page's width
    unless that would shrink the text below MIN_PRINT_SCALE: a wider table prints across pages
    at full size, its first column repeated too."""
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.set_footer(f'&L&"{FONT_NAME}"&8&A&R&"{FONT_NAME}"&8Page &P of &N')
    if repeat is not None:
        sheet.repeat_rows(*repeat)
    if sum(column_pixels(width) for width in grid.widths) * MIN_PRINT_SCALE <= PAGE_PIXELS:
        sheet.fit_to_pages(1, 0)
    else:
        sheet.repeat_columns(0)


def _unique_sheet_name(name: str, taken: set[str]) -> str:
    candidate = name if sheet_name_problem(name) is None else "".join(
        c for c in name if c not in ":\\/?*[]")[:31] or "Sheet"
    base, counter = candidate, 2
    while candidate.casefold() in taken:
        suffix = f" ({counter})"
        candidate, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    taken.add(candidate.casefold())
    return candidate


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def report_widths(*headers: Sequence[str]) -> list[float]:
    """A label column, four count columns as wide as the longest word of any header they
    carry (headers: one list per table, counts from its second column), and a last column
    taking the rest of the page."""
    counts = [float(COUNT_WIDTH)] * 4
    for table in headers:
        for index, header in enumerate(table[1:5]):
            counts[index] = max(counts[index], longest_word_width(header, bold=True))
    return widths_filling_page([LABEL_WIDTH, *counts, 0.0])


# --- the workbook --------------------------------------------------------------------------


def write_master(path: Path, report: ValidationReport, selection: Selection,
                 survey: Survey, roster: Sequence[Respondent] | None = None,
                 csv_dir: Path | None = None, dates: RoundDates | None = None,
                 include_personal: bool = False) -> MasterSummary:
    """The master workbook; with a round's dates (consolidate --round), returns are dated by
    when the round received them, the tracker says since when each silent respondent has had
    the questionnaire and how late it is, and the sheet Returns says when each return came.
    A person's name and e-mail (questions marked personal) stay out of the data (and the CSV
    files in `csv_dir`) unless `include_personal`."""
    if dates is not None and selection.dates is None:
        selection = replace(selection, dates=dates)
    # XlsxWriter keeps every cell (a small tuple) until the file is written: with the returns
    # read still in memory, the garbage collector's passes over them all cost more than writing
    # the cells (measured: a quarter of the master's time on 500 returns). It pauses while the
    # master is made; whatever cycles are left are collected once it runs again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _write_master(path, report, selection, survey, roster, csv_dir, include_personal)
    finally:
        if collecting:
            gc.enable()


def _write_master(path: Path, report: ValidationReport, selection: Selection, survey: Survey,
                  roster: Sequence[Respondent] | None, csv_dir: Path | None,
                  include_personal: bool = False) -> MasterSummary:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, OPTIONS)
    workbook.set_properties({"title": "ISCM assessment: master workbook",
                             "author": "IOM International Partnerships Division (workbook-tools)",
                             "created": DOCUMENT_CREATED})
    styles = _Styles(workbook)
    taken: set[str] = set()
    used = selection.used
    standings = respondent_standings(selection, survey, roster)
    kind = iscm_kind(survey)
    states = {s.code: s for s in standings if s.kind == kind and s.code}
    overview = workbook.add_worksheet(_unique_sheet_name("Overview", taken))
    tracker_sheet = workbook.add_worksheet(_unique_sheet_name("Tracker", taken))
    _write_tracker(tracker_sheet, standings, survey, styles)
    profiles = iscm_profiles(selection, survey, roster, states)
    iscm_sheets = []
    for profile in profiles:
        name = _unique_sheet_name(profile.iscm.short_name, taken)
        iscm_sheets.append(name)
        _write_iscm(workbook.add_worksheet(name), profile, styles)
    analysis = across_iscms(used, survey)
    across_sheet = workbook.add_worksheet(_unique_sheet_name("Across ISCMs", taken))
    _write_across(across_sheet, analysis, survey, styles)
    _write_wide_table(workbook.add_worksheet(_unique_sheet_name("Choices by ISCM", taken)),
                      analysis.by_iscm, "choices_by_iscm", styles)
    _write_wide_table(workbook.add_worksheet(_unique_sheet_name("Choices by region", taken)),
                      analysis.by_region, "choices_by_region", styles)
    rated = ratings(used, survey)
    if rated is not None:
        iscm_columns, iscm_rows, region_columns, region_rows = ratings_tables(rated)
        _write_table_sheet(workbook.add_worksheet(_unique_sheet_name("Ratings by ISCM", taken)),
                           iscm_columns, iscm_rows, "ratings_by_iscm", styles)
        _write_table_sheet(workbook.add_worksheet(_unique_sheet_name("Ratings by region",
                                                                     taken)),
                           region_columns, region_rows, "ratings_by_region", styles)
    rows = answer_rows(used, survey.reference, include_personal)
    data_sheet = workbook.add_worksheet(_unique_sheet_name("Data", taken))
    as_tuple = itemgetter(*DATA_COLUMNS)
    _write_table_sheet(data_sheet, list(DATA_COLUMNS), [as_tuple(row) for row in rows], "Data",
                       styles)
    tables = table_data(used, survey, include_personal)
    for data in tables:
        sheet = workbook.add_worksheet(_unique_sheet_name(data.table.id, taken))
        _write_table_sheet(sheet, data.columns,
                           [tuple(record.get(c, "") for c in data.columns)
                            for record in data.rows], data.table.id, styles)
    returns_sheet = workbook.add_worksheet(_unique_sheet_name("Returns", taken))
    returns_columns, returns_rows = _returns_rows(report, selection, survey)
    _write_table_sheet(returns_sheet, returns_columns, returns_rows, "Returns", styles)
    # where returns disagree with each other or with the reference lists: a question per row,
    # to send to the respondent in its language (not errors: the returns stay valid)
    queries = query_rows(find_queries(used, survey), survey)
    _write_table_sheet(workbook.add_worksheet(_unique_sheet_name("Queries", taken)),
                       list(QUERY_COLUMNS), [itemgetter(*QUERY_COLUMNS)(row) for row in queries],
                       "Queries", styles, {"query": 100, "query_en": 100})
    lines = tracker_lines(standings, roster, survey)
    _write_overview(workbook, overview, report, selection, roster, lines, profiles, survey,
                    iscm_sheets, styles)
    workbook.close()
    write_atomic(path, buffer.getvalue())
    written_csv = _write_csv(csv_dir, rows, tables, returns_columns, returns_rows) if (
        csv_dir) else []
    return MasterSummary(path, iscm_sheets, len(rows), {t.table.id: len(t.rows) for t in tables},
                         written_csv, lines, len(queries))


# --- the overview --------------------------------------------------------------------------


def _write_overview(workbook: Any, sheet: Any, report: ValidationReport, selection: Selection,
                    roster: Sequence[Respondent] | None, lines: list[TrackerLine],
                    profiles: list[IscmProfile], survey: Survey, iscm_sheets: list[str],
                    styles: _Styles) -> None:
    kinds = kinds_in_order(survey)
    headers = ["", *[_capital(kind_name(survey, kind)) for kind in kinds], "Total",
               "Who" if roster is not None else "Who (give --roster to see who is missing)"]
    priorities = priorities_chart(selection.used, survey)
    found = ratings(selection.used, survey)
    value_chart = ratings_chart(found) if found is not None else None
    grid = Grid(sheet, report_widths(headers, *[
        [chart.category_header, *[series.name for series in chart.series]]
        for chart in (priorities, value_chart) if chart is not None]))
    last = len(grid.widths) - 1
    breaks: list[int] = []
    grid.text(0, 0, "Assessment of Inter-State Consultation Mechanisms on Migration",
              styles.title)
    sent = f" for {len(roster)} respondents sent a questionnaire" if roster is not None else ""
    grid.text(1, 0, f"Master workbook: {len(selection.used)} return(s) consolidated from "
                    f"{len(report.returns)} file(s) received{sent}. The sheet Tracker gives "
                    "every respondent and where its return stands; each ISCM has its own sheet; "
                    "Across ISCMs breaks the answers down by ISCM and by region; Data holds "
                    "every answer; Returns says what became of every file, with its checksum.",
              styles.subtitle, last)
    dates = selection.dates
    if dates is not None:
        late = (dates.as_of - dates.deadline).days
        grid.text(2, 0, f"Round as of {dates.as_of.isoformat()}: deadline "
                        f"{dates.deadline.isoformat()}" + (f" ({late} days past)" if late > 0
                                                            else "")
                        + "; returns are dated and ordered by when the round received them.",
                  styles.subtitle, last)
    row = 3 if dates is None else 4
    grid.text(row, 0, "Response tracker", styles.heading, last)
    row += 1
    header_row = row
    for column, header in enumerate(headers[: last + 1]):
        grid.text(row, column, header, styles.header)
    rows_of: dict[str, int] = {}
    for line in lines:
        row += 1
        rows_of[line.label] = row
        style = styles.strong if line.label in ("Sent", "Valid") else styles.text
        grid.text(row, 0, line.label, style)
        for column, count in enumerate(line.counts, start=1):
            grid.number(row, column, count, styles.count)
        grid.number(row, len(kinds) + 1, line.total, styles.count)
        grid.text(row, last, line.who, styles.text)
    row += 1
    meanings = "; ".join(f"{state}: {STATE_MEANINGS[state]}" for state in STATES) + (
        f"; {SUPERSEDED}: a return replaced by a later one of the same respondent.")
    grid.text(row, 0, _capital(meanings), styles.empty, last)
    row += 2
    chart = response_chart(lines, survey)
    row = _insert_chart(workbook, sheet, grid, row, chart, [
        (series.name, [sheet.name, rows_of[series.name], 1, rows_of[series.name], len(kinds)],
         STATE_COLOURS.get(series.name, BAR_COLOUR)) for series in chart.series],
        [sheet.name, header_row, 1, header_row, len(kinds)])
    if priorities is None:
        grid.text(row, 0, "No question of the ISCM questionnaire has the role "
                          "thematic_priorities: no chart of priorities.", styles.empty, last)
        row += 2
    else:
        breaks.append(row)
        row = _chart_with_table(workbook, sheet, grid, row, priorities, styles)
    if value_chart is not None:
        breaks.append(row)
        row = _chart_with_table(workbook, sheet, grid, row, value_chart, styles)
    breaks.append(row)
    grid.text(row, 0, "ISCM sheets", styles.heading, last)
    for profile, name in zip(profiles, iscm_sheets, strict=True):
        row += 1
        grid.link(row, 0, name, name, styles.link)
        grid.text(row, 1, profile.status, styles.text, last)
    grid.finish()
    sheet.set_h_pagebreaks(breaks)  # a chart is never cut in two by a page
    sheet.activate()
    sheet.freeze_panes(1, 0)
    _print_setup(sheet, grid, (0, 0))


def _nice_step(maximum: int) -> int:
    """An axis step that gives at most about ten whole-number ticks."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if maximum / step <= 10:
            return step
    return math.ceil(maximum / 10)


def _insert_chart(workbook: Any, sheet: Any, grid: Grid, row: int, data: ChartData,
                  series: list[tuple[Any, list[Any], str]], categories: list[Any],
                  column: int = 0) -> int:
    """A native bar chart at `row` and `column`, as wide as the columns from there to the last:
    every category labelled, the value axis from zero to the most a bar can be. Returns the row
    after the rows it covers, which are left free of text."""
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"} if data.stacked
                               else {"type": "bar"})
    font = {"name": FONT_NAME, "size": 9}
    for name, values, colour in series:
        chart.add_series({"name": name, "categories": categories, "values": values,
                          "fill": {"color": colour}, "border": {"none": True}, "gap": 60})
    chart.set_title({"name": data.title, "name_font": {"name": FONT_NAME, "size": 11,
                                                       "bold": True}})
    maximum = max(data.maximum, 1)
    chart.set_x_axis({"min": 0, "max": maximum, "major_unit": _nice_step(maximum),
                      "name": data.axis, "num_font": font,
                      "name_font": {"name": FONT_NAME, "size": 9, "bold": False},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": font})
    if len(series) > 1:
        chart.set_legend({"position": "bottom", "font": font})
    else:
        chart.set_legend({"none": True})
    width = sum(column_pixels(w) for w in grid.widths[column:]) - 10
    height = 110 + 22 * len(data.categories) + (24 if len(series) > 1 else 0)
    chart.set_size({"width": width, "height": height})
    sheet.insert_chart(row, column, chart, {"x_offset": 4, "y_offset": 2,
                                            "object_position": 1})
    return row + math.ceil((height + 4) / DEFAULT_ROW_PIXELS) + 2


def _chart_with_table(workbook: Any, sheet: Any, grid: Grid, row: int, data: ChartData,
                      styles: _Styles) -> int:
    """A heading, the chart's numbers as a table, and the chart drawn from them: beside the
    table when the table is narrow (one series), below it otherwise."""
    last = len(grid.widths) - 1
    grid.text(row, 0, data.title, styles.heading, last)
    row += 1
    header_row = row
    grid.text(row, 0, data.category_header, styles.header)
    for column, series in enumerate(data.series, start=1):
        grid.text(row, column, series.name, styles.header)
    first = row + 1
    for index, category in enumerate(data.categories):
        row += 1
        grid.text(row, 0, category, styles.text)
        for column, series in enumerate(data.series, start=1):
            grid.number(row, column, series.values[index], styles.count)
    colours = [NO_LEVEL_COLOUR if not series.name[:1].isdigit() else
               LEVEL_COLOURS[min(index, len(LEVEL_COLOURS) - 1)]
               for index, series in enumerate(data.series)] if len(data.series) > 1 else [
        BAR_COLOUR]
    specs: list[tuple[Any, list[Any], str]] = [
        ([sheet.name, header_row, column], [sheet.name, first, column, row, column],
         colours[column - 1]) for column in range(1, len(data.series) + 1)]
    categories = [sheet.name, first, 0, row, 0]
    if len(data.series) == 1:
        below = _insert_chart(workbook, sheet, grid, header_row, data, specs, categories, 3)
        return max(row + 2, below)
    return _insert_chart(workbook, sheet, grid, row + 2, data, specs, categories)


# --- the tracker ---------------------------------------------------------------------------


def _tracker_detail(standing: Standing) -> str:
    parts = [standing.detail] if standing.detail else []
    if standing.state != VALID and not standing.in_roster:
        parts.append("not in the roster")
    if standing.others:
        parts.append("Other files: " + "; ".join(f"{item.path.name} ({fate})"
                                                  for item, fate in standing.others))
    return "\n".join(parts)


def _write_tracker(sheet: Any, standings: Sequence[Standing], survey: Survey,
                   styles: _Styles) -> None:
    grid = Grid(sheet, widths_filling_page(list(TRACKER_WIDTHS.values()), 3))
    last = len(TRACKER_WIDTHS) - 1
    grid.text(0, 0, "Tracker: every respondent, and where its return stands", styles.title)
    grid.text(1, 0, "One line per respondent, with the state its files earned: "
                    + "; ".join(f"{state} ({STATE_MEANINGS[state]})" for state in STATES)
                    + ". Received: when the file came in (in a round, when the round took it "
                      "in; otherwise the file's modification time); completed: the date written "
                      "in the return.", styles.subtitle, last)
    top = 3
    names = {kind: kind_name(survey, kind) for kind in kinds_in_order(survey)}
    rows = []
    for standing in standings:
        received, completed = standing.received, standing.completed
        rows.append([_capital(names.get(standing.kind, "unknown")), standing.name,
                     standing.state, _tracker_detail(standing),
                     received.isoformat() if received else "",
                     completed.isoformat() if completed else "",
                     Path(standing.file).name if standing.file else ""])
    for column, header in enumerate(TRACKER_WIDTHS):
        grid.fit(top, header, grid.widths[column], styles.header)
    for offset, values in enumerate(rows, start=1):
        style = styles.text if values[2] == VALID else styles.warning
        for column, value in enumerate(values):
            grid.text(top + offset, column, value, style)
    sheet.add_table(top, 0, top + max(len(rows), 1), last, {
        "name": "tracker", "style": "Table Style Light 9", "autofilter": True,
        "columns": [{"header": header, "header_format": styles.header.format}
                    for header in TRACKER_WIDTHS]})
    grid.finish()
    sheet.freeze_panes(top + 1, 0)
    _print_setup(sheet, grid, (top, top))


# --- one sheet per ISCM --------------------------------------------------------------------


def _write_iscm(sheet: Any, profile: IscmProfile, styles: _Styles) -> None:
    widths = ISCM_WIDTHS_WITH_PROBLEMS if profile.has_problems else ISCM_WIDTHS
    grid = Grid(sheet, widths_filling_page(list(widths), 2))
    last = len(widths) - 1
    grid.text(0, 0, profile.title, styles.title)
    grid.text(1, 0, profile.subtitle, styles.subtitle, last)
    grid.text(2, 0, profile.note, styles.subtitle if profile.state in (VALID, "") and
              profile.own is not None else styles.alert, last)
    sheet.freeze_panes(1, 0)
    row = 4
    for section in profile.sections:
        grid.text(row, 0, section.title, styles.heading, last)
        row += 1
        for item in section.items:
            if isinstance(item, Block):
                row = _write_block(grid, row, item, styles)
                continue
            row = _write_answer(grid, row, item, styles)
        row += 1
    for group in profile.groups:
        title = group.title + (f" ({len(group.voices)})" if group.voices else "")
        grid.text(row, 0, title, styles.heading, last)
        row += 1
        if not group.voices:
            grid.text(row, 1, "No return named this ISCM.", styles.empty)
            row += 2
            continue
        for card in group.voices:
            row = _write_card(grid, row, card, styles)
        row += 1
    grid.finish()
    _print_setup(sheet, grid, (0, 0))


def _write_answer(grid: Grid, row: int, item: Answer, styles: _Styles) -> int:
    grid.text(row, 0, item.number, styles.number)
    grid.text(row, 1, item.question, styles.text)
    style = styles.warning if item.problem else (
        styles.text if item.state not in (NOT_ANSWERED, "not applicable") else styles.empty)
    grid.text(row, 2, item.text, style)
    if item.problem:
        grid.text(row, 3, item.problem, styles.problem)
    return row + 1


def _write_block(grid: Grid, row: int, block: Block, styles: _Styles) -> int:
    grid.text(row, 0, block.number, styles.number)
    grid.text(row, 1, block.label, styles.text)
    count = len(block.cards)
    grid.text(row, 2, f"{count} row{'s' if count != 1 else ''}:" if count else "no rows",
              styles.warning if block.problem else styles.empty)
    if block.problem:
        grid.text(row, 3, block.problem, styles.problem)
    row += 1
    for card in block.cards:
        row = _write_card(grid, row, card, styles)
    return row


def _write_card(grid: Grid, row: int, card: Card, styles: _Styles) -> int:
    grid.text(row, 1, card.title, styles.warning if card.marked else styles.strong)
    grid.text(row, 2, "\n".join(card.lines), styles.warning if card.marked else styles.text)
    return row + 1


# --- across ISCMs --------------------------------------------------------------------------


def _write_across(sheet: Any, analysis: AcrossIscms, survey: Survey, styles: _Styles) -> None:
    respondents = kind_name(survey, iscm_kind(survey))
    headers = ["Option", "Ticked or chosen", "Not ticked or not chosen", "Not answered",
               "Not applicable", f"{respondents} that ticked or chose it"]
    grid = Grid(sheet, report_widths(headers))
    last = len(grid.widths) - 1
    grid.text(0, 0, "Across ISCMs", styles.title)
    grid.text(1, 0, f"The answers of the {len(analysis.iscms)} {respondents} whose valid return "
                    "is in this workbook to every single and multiple choice of their "
                    "questionnaire, option by option: ticked (or chosen), not ticked, not "
                    "answered (the question left empty), not applicable (a condition excluded "
                    "it, e.g. who runs the secretariat, for an ISCM without one). Tables with "
                    "filters: Choices by ISCM (one row each: "
                    "a single choice's answer, a multiple choice's options one column each), "
                    "Choices by region (per region of schemas/iscms.yaml, how many of its "
                    f"{respondents} with a valid return ticked or chose each option), Ratings "
                    "by ISCM and Ratings by region (the States' ratings of each ISCM's value, "
                    "counted per level).", styles.subtitle, last)
    row = 3
    section = None
    for summary in analysis.summaries:
        if summary.question.section != section:
            section = summary.question.section
            grid.text(row, 0, section, styles.heading, last)
            row += 2
        grid.text(row, 0, f"{summary.question.number} {summary.question.label} "
                          f"(n = {summary.n})", styles.strong, last)
        row += 1
        for column, header in enumerate(headers):
            grid.text(row, column, header, styles.header)
        for option in summary.options:
            row += 1
            grid.text(row, 0, option.option, styles.text)
            for column, count in enumerate((option.chosen, option.not_chosen,
                                            option.not_answered, option.not_applicable),
                                           start=1):
                grid.number(row, column, count, styles.count)
            grid.text(row, last, ", ".join(option.iscms), styles.text)
        row += 2
    grid.finish()
    sheet.freeze_panes(1, 0)
    _print_setup(sheet, grid, (0, 0))


# --- data sheets ---------------------------------------------------------------------------


def _write_table_sheet(sheet: Any, columns: list[str], rows: Sequence[Sequence[str | int]],
                       name: str, styles: _Styles, widths: dict[str, float] | None = None
                       ) -> None:
    """An Excel table with filters, one line per row; headers wrap to fit their column."""
    chosen = {**DATA_WIDTHS, **(widths or {})}
    sized = []
    for index, column in enumerate(columns):
        width = chosen.get(column)
        if width is None:  # as wide as its longest value (sampled), within bounds
            longest = max((len(str(row[index])) for row in rows[:500]), default=0)
            width = min(40.0, max(8.0, longest * 1.1 + 1))
        sized.append(max(width, longest_word_width(column, bold=True)))
    grid = Grid(sheet, sized)
    # no format per cell: the workbook's default is the font; one line per row
    write_string, write_number = sheet.write_string, sheet.write_number
    for row_index, record in enumerate(rows, start=1):
        for column_index, value in enumerate(record):
            if isinstance(value, int):
                write_number(row_index, column_index, value)
            else:
                write_string(row_index, column_index, value)
    for index, column in enumerate(columns):
        grid.fit(0, column, sized[index], styles.header)
    table_name = "t_" + "".join(c if c.isalnum() else "_" for c in name)
    sheet.add_table(0, 0, max(len(rows), 1), len(columns) - 1, {
        "name": table_name, "style": "Table Style Light 9", "autofilter": True,
        "columns": [{"header": c, "header_format": styles.header.format} for c in columns]})
    grid.finish()
    sheet.freeze_panes(1, 0)
    _print_setup(sheet, grid, (0, 0))


def _write_wide_table(sheet: Any, table: WideTable, name: str, styles: _Styles) -> None:
    """The questions above their options' columns, then the table (one row per ISCM or region;
    what the columns mean is said on the sheet Across ISCMs)."""
    widths = []
    for index, column in enumerate(table.columns):
        longest = max((width_for(str(row[index])) for row in table.rows), default=0.0)
        # as wide as its values, its header on four lines at most, its header's words whole
        widths.append(min(30.0, max(12.0, longest, width_for(column, bold=True) / 4,
                                    longest_word_width(column, bold=True))))
    grid = Grid(sheet, widths)
    for first, last, question in table.groups:
        grid.text(0, first, question, styles.header, last)
    top = 1
    for index, column in enumerate(table.columns):
        grid.fit(top, column, widths[index], styles.header)
    for offset, record in enumerate(table.rows, start=1):
        for index, value in enumerate(record):
            if isinstance(value, int):
                sheet.write_number(top + offset, index, value)
            else:
                sheet.write_string(top + offset, index, value)
    sheet.add_table(top, 0, top + max(len(table.rows), 1), len(table.columns) - 1, {
        "name": name, "style": "Table Style Light 9", "autofilter": True,
        "columns": [{"header": c, "header_format": styles.header.format}
                    for c in table.columns]})
    grid.finish()
    sheet.freeze_panes(top + 1, 1)
    _print_setup(sheet, grid, (0, top))


def _returns_rows(report: ValidationReport, selection: Selection, survey: Survey
                  ) -> tuple[list[str], list[tuple[str, ...]]]:
    columns = ["file", "sha256", "status", "respondent_id", "kind", "respondent_name",
               "questionnaire", "version", "lang", "completion_date", "received", "fate", "why"]
    rows: list[tuple[str, ...]] = []
    for item in report.returns:
        fate, why = selection.fate(item, survey.messages)
        identity = item.reading.identity
        date = completion_date(item)
        received = received_at(item, selection.dates)
        rows.append((str(item.path), item.reading.sha256, item.status,
                     item.reading.respondent.id, item.reading.respondent.kind,
                     item.reading.respondent.name,
                     identity.questionnaire if identity else "",
                     str(identity.version) if identity else "",
                     identity.lang if identity else "",
                     date.isoformat() if isinstance(date, dt.date) else "",
                     received.strftime("%Y-%m-%d %H:%M") if received else "", fate, why))
    return columns, rows


# --- CSV for analysts ----------------------------------------------------------------------


def _write_csv(folder: Path, rows: list[dict[str, str]], tables: list[TableData],
               returns_columns: list[str], returns_rows: list[tuple[str, ...]]) -> list[Path]:
    written = [folder / "data.csv"]
    write_atomic(written[0], csv_bytes(DATA_COLUMNS, rows))
    for data in tables:
        target = folder / f"{data.table.id}.csv"
        write_atomic(target, csv_bytes(data.columns, data.rows))
        written.append(target)
    target = folder / "returns.csv"  # the checksums of the files the rows name
    write_atomic(target, csv_bytes(returns_columns, [dict(zip(returns_columns, row, strict=True))
                                                     for row in returns_rows]))
    written.append(target)
    return written
