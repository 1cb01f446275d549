"""How much room text needs in a spreadsheet cell: its width in the workbooks' font, the lines it
wraps to in a column, and the row height that shows every line.

Excel fits a row to its wrapped text only while someone edits it, and LibreOffice keeps the
heights a file gives (or its default of 15 pt): a row whose text wraps must be given its
height, or its lines print over the next rows. The heights are computed here from the
character widths of the font, so they are the same on every machine and for every run.

The font is Arial, which Excel has on Windows and macOS; LibreOffice on Linux draws it with
Liberation Sans, whose characters have the same widths (as Arimo's, Chrome OS's, do).
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

FONT_NAME = "Arial"
FONT_SIZE = 10  # points
DEFAULT_ROW_HEIGHT = 12.75  # points: what Excel gives a row of Arial 10
DEFAULT_ROW_PIXELS = 17
COLUMN_PIXELS = 64  # Excel's default column width for Arial 10: 8.43 characters
MAX_DIGIT_PIXELS = 7  # width of the digit 0 in Arial 10 at 96 dpi: Excel's column unit
CELL_PADDING_PIXELS = 5
LINE_SPACING = 1.275  # a line of Arial is 1.275 times its size in Excel (12.75 pt for 10 pt)
# The text area is a little narrower than the column, and renderers differ by a few pixels
# (Excel rounds each character to whole pixels; LibreOffice draws columns about 5 % wider than
# Excel): the lines are counted in 95 % of it, so that a line never wraps where the count says
# it fits.
USABLE = 0.95
PAGE_PIXELS = 1026  # the width of an A4 landscape page inside margins of half an inch

# Advance widths in thousandths of an em of printable ASCII (32 to 126), regular then bold:
# the standard widths of Helvetica, which Arial and Liberation Sans share.
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
    722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
    556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
    500, 334, 260, 334, 584)
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722,
    722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
    611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556,
    500, 389, 280, 389, 584)
# Punctuation respondents and our own texts use beyond ASCII.
_OTHER = {"\u00a0": 278, "«": 556, "»": 556, "“": 333, "”": 333, "‘": 222, "’": 222,
          "–": 556, "—": 1000, "…": 1000, "·": 278, "•": 350, "€": 556, "°": 400, "×": 584}
_UNKNOWN = 611  # a letter the table does not know: as wide as a wide lower-case letter
_WIDEST = 1015  # "@", the widest character of the table


@lru_cache(maxsize=4096)
def _char_width(char: str, bold: bool) -> int:
    table = _BOLD if bold else _REGULAR
    code = ord(char)
    if 32 <= code < 127:
        return table[code - 32]
    if char in _OTHER:
        return _OTHER[char]
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1000
    base = unicodedata.normalize("NFD", char)[0]  # é is as wide as e
    if 32 <= ord(base) < 127:
        return table[ord(base) - 32]
    return _UNKNOWN


@lru_cache(maxsize=65536)
def _word_width(word: str, bold: bool) -> int:
    """A word's width in thousandths of an em (words repeat: measured once)."""
    return sum(_char_width(char, bold) for char in word)


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """The width of one line of text, in points."""
    return sum(_char_width(char, bold) for char in text) * size / 1000


def column_pixels(width: float) -> int:
    """A column's width in pixels, from its width in characters (Excel's unit)."""
    if width < 1:
        return int(width * (MAX_DIGIT_PIXELS + CELL_PADDING_PIXELS) + 0.5)
    return int(width * MAX_DIGIT_PIXELS + 0.5) + CELL_PADDING_PIXELS


def merged_width(widths: list[float]) -> float:
    """The width (characters) of one column as wide as the given columns together: the room
    of a cell merged across them."""
    pixels = sum(column_pixels(width) for width in widths)
    return (pixels - CELL_PADDING_PIXELS) / MAX_DIGIT_PIXELS


def usable_points(width: float) -> float:
    """The room for text in a column of that width (in characters), in points."""
    return max(1.0, (column_pixels(width) - CELL_PADDING_PIXELS) * 0.75 * USABLE)


def wrapped_lines(text: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> int:
    """How many lines the text takes in a column `width` characters wide, wrapped at spaces
    (a word longer than the line is broken, as Excel and LibreOffice do). Renderers may also
    break after hyphens, which can only save lines: the count is an upper bound."""
    room = usable_points(width) * 1000 / size  # in thousandths of an em
    if len(text) * _WIDEST <= room and "\n" not in text:
        return 1  # cannot wrap, however wide its characters
    space = _char_width(" ", bold)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split(" "):
            length = _word_width(word, bold)
            needed = length if used == 0 else used + space + length
            if needed <= room:
                used = needed
                continue
            if used > 0:
                lines += 1
            if length > room:  # broken across lines
                extra = math.ceil(length / room) - 1
                lines += extra
                length -= int(extra * room)
            used = length
    return lines


def line_height(size: float = FONT_SIZE) -> float:
    return size * LINE_SPACING


def row_height(lines: int, size: float = FONT_SIZE) -> float:
    """The height in points of a row showing `lines` lines of text of that size."""
    if lines <= 1 and size <= FONT_SIZE:
        return DEFAULT_ROW_HEIGHT
    # a quarter-line to spare: LibreOffice adds its cell margins to the lines
    return round(lines * line_height(size) + 0.25 * line_height(size) + 1, 2)


def width_for(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """The column width (characters) that holds the text's longest line without wrapping."""
    widest = max((text_width(line, size, bold) for line in text.split("\n")), default=0.0)
    pixels = widest / 0.75 / USABLE + CELL_PADDING_PIXELS
    return math.ceil((pixels - CELL_PADDING_PIXELS) / MAX_DIGIT_PIXELS * 4) / 4 + 0.5


def widths_filling_page(widths: list[float], stretch: int = -1) -> list[float]:
    """The column widths with one column (the last by default) stretched or shrunk so that
    together they fill the width of an A4 landscape page, printed at 100 %."""
    others = sum(column_pixels(w) for index, w in enumerate(widths)
                 if index != stretch % len(widths))
    room = PAGE_PIXELS - others - CELL_PADDING_PIXELS
    result = list(widths)
    result[stretch % len(widths)] = max(20.0, math.floor(room / MAX_DIGIT_PIXELS))
    return result


def longest_word_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """The column width that holds the text's longest word: narrower, a word is cut."""
    words = text.replace("\n", " ").split(" ")
    return max((width_for(word, size, bold) for word in words if word), default=1.0)
