"""A small evaluator for the conditional-formatting formulas the workbook writer emits (AND, OR,
COUNTIF, comparisons of a cell with text), so that tests can say what a respondent sees greyed
or red, given the answers in a workbook, without a spreadsheet program."""

from __future__ import annotations

import re
from collections.abc import Callable

from openpyxl.utils.cell import coordinate_from_string, range_boundaries
from openpyxl.workbook.workbook import Workbook

_TOKEN = re.compile(r"""\s*(?:(?P<string>"(?:[^"]|"")*")|(?P<number>\d+)|"""
                    r"""(?P<ref>(?:'(?:[^']|'')+'!|[A-Za-z0-9_]+!)?\$?[A-Z]+\$?\d+"""
                    r"""(?::\$?[A-Z]+\$?\d+)?)|(?P<name>[A-Z]+)(?=\()|(?P<op><>|<=|>=|[=<>(),]))""")


def _tokens(formula: str) -> list[tuple[str, str]]:
    found, position = [], 0
    while position < len(formula):
        match = _TOKEN.match(formula, position)
        assert match, f"cannot read {formula[position:]!r}"
        kind = match.lastgroup
        assert kind is not None
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


def evaluate(formula: str, workbook: Workbook, sheet: str, row_offset: int = 0) -> bool:
    """The formula's value for the cell `row_offset` rows below the top of its range (a
    relative row reference moves with it)."""
    tokens = _tokens(formula)
    position = 0

    def peek() -> tuple[str, str]:
        return tokens[position] if position < len(tokens) else ("end", "")

    def take() -> tuple[str, str]:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def where(ref: str) -> tuple[str, str]:
        target, _, address = ref.rpartition("!")
        name = target.strip("'").replace("''", "'") if target else sheet
        return name, address

    def cell_value(ref: str) -> object:
        name, address = where(ref)
        column, row = coordinate_from_string(address.replace("$", ""))
        if not re.search(r"\$\d", address):
            row += row_offset  # a relative row: it moves down the range
        value = workbook[name][f"{column}{row}"].value
        return "" if value is None else value

    def countif(ref: str, text: str) -> int:
        name, address = where(ref)
        low_col, low_row, high_col, high_row = range_boundaries(address.replace("$", ""))
        sheet_ = workbook[name]
        return sum(1 for r in range(low_row, high_row + 1) for c in range(low_col, high_col + 1)
                   if sheet_.cell(row=r, column=c).value == text)

    compare: dict[str, Callable[[object, object], bool]] = {
        "=": lambda a, b: a == b, "<>": lambda a, b: a != b,
        ">": lambda a, b: a > b, "<": lambda a, b: a < b,  # type: ignore[operator]
    }

    def term() -> object:
        kind, text = take()
        if kind == "string":
            return text[1:-1].replace('""', '"')
        if kind == "number":
            return int(text)
        if kind == "ref":
            return cell_value(text)
        assert kind == "name", text
        assert take() == ("op", "(")
        if text == "COUNTIF":
            ref = take()[1]
            assert take() == ("op", ",")
            criterion = expression()
            assert take() == ("op", ")")
            return countif(ref, str(criterion))
        values = [expression()]
        while peek() == ("op", ","):
            take()
            values.append(expression())
        assert take() == ("op", ")")
        return all(values) if text == "AND" else any(values) if text == "OR" else None

    def expression() -> object:
        left = term()
        kind, text = peek()
        if kind == "op" and text in compare:
            take()
            return compare[text](left, term())
        return left

    result = expression()
    assert position == len(tokens), formula
    return bool(result)


def highlighted(workbook: Workbook) -> list[tuple[str, str]]:
    """Every (sheet, range) whose conditional format applies, at any row of its range. The
    Check panel's own colours (its sheet, each section's status line) follow formulas this
    evaluator does not compute: tests/test_panel.py reads them from LibreOffice."""
    from workbook_tools.form.layout import STATUS_CELL

    found = []
    check_sheet = workbook.sheetnames[1]
    for worksheet in workbook.worksheets:
        if worksheet.title == check_sheet:
            continue
        for formatting in worksheet.conditional_formatting:
            if str(formatting.sqref) == STATUS_CELL:
                continue
            _, low_row, _, high_row = range_boundaries(str(formatting.sqref))
            for rule in formatting.rules:
                if any(evaluate(rule.formula[0], workbook, worksheet.title, offset)
                       for offset in range(high_row - low_row + 1)):
                    found.append((worksheet.title, str(formatting.sqref)))
    return found
