"""The questionnaire workbook's one typeface, named in every font of its styles.

A font entry without a name is drawn in whatever the application falls back to (LibreOffice
on Linux draws DejaVu Serif beside the Calibri of the default style), and then the text wraps
where the computed row heights did not expect it. Every cell font is therefore named, and the
default style (what a cell without a font of its own, or a respondent's typing, is drawn in)
is the same face and size: Arial 10, whose widths `textfit` measures (LibreOffice draws it with
Liberation Sans, metrically the same).

The fonts of conditional formats (differential formats) are left without a name on purpose:
they change a cell's colour or weight and keep its face.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils.indexed_list import IndexedList

from workbook_tools.textfit import FONT_NAME, FONT_SIZE

FAMILY_SWISS = 2  # sans serif: what an application without Arial should substitute


def font(size: float = FONT_SIZE, bold: bool = False, italic: bool = False,
         color: str | None = None, underline: str | None = None) -> Font:
    """A cell font of the workbook's typeface."""
    return Font(name=FONT_NAME, family=FAMILY_SWISS, size=size, bold=bold, italic=italic,
                color=color, underline=underline)


def use_workbook_font(workbook: Workbook) -> None:
    """Make the workbook's default style (font 0, and the "Normal" cell style) the workbook's
    typeface. Call it on a new workbook, before any cell is styled."""
    base = font()
    workbook._fonts = IndexedList([base])  # openpyxl's default is Calibri 11
    workbook._named_styles["Normal"].font = base
