"""The master as IPD reads it: the demo's master rendered by a real LibreOffice has no text
printed over other text and none cut off; every sheet prints on A4, fitted to the width, with
its titles repeated; one font; charts that start at zero, label every category and say n."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from tests.libreoffice import render_sheets
from tests.returns_kit import SURVEY
from workbook_tools.demo.run import DemoResult

Box = dict[str, Any]


def overlapping_words(words: list[Box], tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of words whose boxes intersect: text printed over other text."""
    ordered = sorted(words, key=lambda word: word["top"])
    found = []
    for index, first in enumerate(ordered):
        for second in ordered[index + 1:]:
            if second["top"] >= first["bottom"] - tolerance:
                break
            across = min(first["x1"], second["x1"]) - max(first["x0"], second["x0"])
            down = min(first["bottom"], second["bottom"]) - max(first["top"], second["top"])
            if across > tolerance and down > tolerance:
                found.append((first["text"], second["text"]))
    return found


def test_the_overlap_check_sees_text_printed_over_text() -> None:
    line = {"top": 0.0, "bottom": 10.0}
    assert overlapping_words([{**line, "x0": 0, "x1": 30, "text": "answer"},
                              {**line, "x0": 32, "x1": 50, "text": "next"}]) == []
    assert overlapping_words([{**line, "x0": 0, "x1": 30, "text": "answer"},
                              {"top": 6.0, "bottom": 16.0, "x0": 20, "x1": 40,
                               "text": "over"}]) == [("answer", "over")]


@pytest.fixture(scope="module")
def master(demo: tuple[DemoResult, list[str]]) -> Workbook:
    """The demo's master, loaded once for the checks of this module."""
    return load_workbook(demo[0].master)


def cell_texts(sheet: Any) -> list[str]:
    return [str(value) for row in sheet.iter_rows(values_only=True) for value in row
            if value is not None]


@pytest.mark.libreoffice
def test_the_demo_master_shows_every_answer_whole_and_apart_in_libreoffice(
        demo: tuple[DemoResult, list[str]], master: Workbook, tmp_path: Path) -> None:
    import pdfplumber

    pdf_path = render_sheets(demo[0].master, tmp_path)
    # the Overview, the tracker, ISCM sheets of every kind (valid, invalid, not received)
    for name in ("Overview", "Tracker", "Khartoum Process", "MIDWA", "MTM"):
        with pdfplumber.open(pdf_path, pages=[master.sheetnames.index(name) + 1]) as pdf:
            words = pdf.pages[0].extract_words()
        assert overlapping_words(words) == [], name
        # nothing cut off: every character the sheet holds is printed
        wanted = Counter(char for text in cell_texts(master[name]) for char in text
                         if not char.isspace())
        printed = Counter(char for word in words for char in word["text"])
        assert wanted - printed == Counter(), name


def test_every_sheet_prints_on_a4_landscape_fitted_to_the_width_with_titles(
        master: Workbook) -> None:
    workbook = master
    fitted = []
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), sheet.title
        assert sheet.print_title_rows, sheet.title
        if sheet.sheet_properties.pageSetUpPr and sheet.sheet_properties.pageSetUpPr.fitToPage:
            # one page wide (1, Excel's default, is left out of the file), as many pages tall
            assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, sheet.title
            fitted.append(sheet.title)
        else:  # too wide to fit legibly: across pages at full size, first column repeated
            assert sheet.print_title_cols == "$A:$A", sheet.title
    reading = workbook.sheetnames[:workbook.sheetnames.index("Across ISCMs") + 1]
    assert {*reading, "Data", "Ratings by ISCM"} <= set(fitted)  # and every ISCM sheet
    khartoum = workbook["Khartoum Process"]
    fonts = {cell.font.name for row in khartoum.iter_rows() for cell in row if cell.value}
    assert fonts == {"Arial"}
    number = SURVEY.current("iscm").number("thematic_evolution")
    evolution = next(row[0].row for row in khartoum.iter_rows() if row[0].value == number)
    assert khartoum.row_dimensions[evolution].height > 40  # four lines of the seed's text


def test_the_charts_start_at_zero_label_every_category_and_say_n(
        demo: tuple[DemoResult, list[str]], master: Workbook) -> None:
    result, _ = demo
    with zipfile.ZipFile(result.master) as archive:
        charts = [archive.read(name).decode() for name in sorted(archive.namelist())
                  if name.startswith("xl/charts/chart")]
    assert len(charts) == 3
    for chart in charts:
        value_axis = chart[chart.index("<c:valAx>"):]
        assert '<c:min val="0"/>' in value_axis
        assert '<c:tickLblSkip val="1"/>' in chart[chart.index("<c:catAx>"):]
        assert re.search(r"\(n = \d+", chart)
        assert 'typeface="Arial"' in chart
    overview = master["Overview"]
    rows = [[c.value for c in row] for row in overview.iter_rows()]
    priorities = SURVEY.current("iscm").number("current_priorities") + " "
    start = next(i for i, row in enumerate(rows) if str(row[0]).startswith(priorities)) + 2
    options = len(SURVEY.reference["thematic_areas"].codes)
    counts = [row[1] for row in rows[start:start + options]]
    assert counts == sorted(counts, reverse=True) and counts[-1] == 0  # sorted, zeros shown
    rated = next(i for i, row in enumerate(rows) if str(row[0]).startswith("Value of"))
    # the distribution, not an average
    assert rows[rated + 1][1:5] == ["4 - Very valuable", "3 - Somewhat valuable",
                                    "2 - Not very valuable", "1 - Not at all valuable"]


def test_the_issues_workbook_prints_the_messages_on_the_page(
        demo: tuple[DemoResult, list[str]]) -> None:
    result, _ = demo
    sheet = load_workbook(result.issues)["Problems"]
    headers = [cell.value for cell in sheet[1]]
    assert headers.index("message") < 8 and headers.index("message_respondent") < 9
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToHeight) == (9, "landscape", 0)
    assert sheet.print_title_rows == "$1:$1"
    assert all(sheet.row_dimensions[row].height for row in range(2, sheet.max_row + 1))
