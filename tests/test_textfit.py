"""Room for text in a cell: widths from the font's metrics, lines wrapped at spaces, row heights."""

from __future__ import annotations

from workbook_tools.textfit import (
    DEFAULT_ROW_HEIGHT,
    PAGE_PIXELS,
    column_pixels,
    longest_word_width,
    row_height,
    text_width,
    widths_filling_page,
    wrapped_lines,
)


def test_widths_follow_the_font_not_the_number_of_characters() -> None:
    assert text_width("iiiiiiiiii") < text_width("MMMMMMMMMM") / 3
    assert text_width("Bold", bold=True) > text_width("Bold")
    assert text_width("é") == text_width("e")  # accents are as wide as their letter
    assert text_width("abc", size=20) == 2 * text_width("abc", size=10)


def test_a_short_text_keeps_one_line_and_a_long_one_wraps_by_words() -> None:
    assert wrapped_lines("Rome Declaration", 30) == 1
    sentence = "The originating mandate of tackling trafficking in human beings has remained"
    assert wrapped_lines(sentence, 30) == 3
    assert wrapped_lines(sentence, 60) == 2
    assert wrapped_lines(sentence * 4, 60) > wrapped_lines(sentence * 4, 90)


def test_line_breaks_and_words_longer_than_the_column_count() -> None:
    assert wrapped_lines("one\ntwo\nthree", 40) == 3
    assert wrapped_lines("x" * 200, 10) > 5  # broken across lines, as Excel does
    assert wrapped_lines("", 10) == 1


def test_row_heights_grow_with_lines_and_size() -> None:
    assert row_height(1) == DEFAULT_ROW_HEIGHT
    assert row_height(3) > 3 * DEFAULT_ROW_HEIGHT - 1
    assert row_height(1, 16) > DEFAULT_ROW_HEIGHT


def test_a_header_column_holds_its_longest_word() -> None:
    width = longest_word_width("Inter-governmental organizations", bold=True)
    assert wrapped_lines("Inter-governmental", width, bold=True) == 1
    assert wrapped_lines("Inter-governmental", width - 3, bold=True) == 2


def test_columns_fill_an_a4_landscape_page() -> None:
    widths = widths_filling_page([6, 44, 0])
    assert sum(column_pixels(w) for w in widths) <= PAGE_PIXELS
    assert sum(column_pixels(w) for w in widths) > PAGE_PIXELS - 2 * column_pixels(1)
