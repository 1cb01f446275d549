"""Read the parts of an xlsx package: workbook, relationships, shared strings, properties, and
the cells of a worksheet.

Every part goes through one hardened expat parser: a document type declaration, an entity
declaration or an external reference stops the parse (the protections of defusedxml), so
nothing is expanded or fetched. Cells are read in one pass with explicit bounds, never
trusting the sheet's stated dimension.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from xml.parsers import expat

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\""
)
_ADDRESS = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
CHUNK = 1 << 16


class UnsafeXml(Exception):
    """The part declares a DTD or entities: never expanded, never fetched."""


class BrokenXml(Exception):
    """The part is not well-formed XML."""


class _Stop(Exception):
    """Enough has been read."""


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def parse(data: bytes, start: Callable[[str, dict[str, str]], None],
          end: Callable[[str], None] | None = None,
          text: Callable[[str], None] | None = None) -> None:
    """Run a hardened expat parse with the given handlers. A handler may raise _Stop.

    Handlers receive element names as written: callers compare local names, since some
    writers put every element under a prefix (x:c) and namespace processing per element is
    the dearest part of a parse.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def forbid(*_: Any) -> Any:
        raise UnsafeXml

    guarded: Any = parser  # expat's handler slots have varied signatures; all of them refuse
    guarded.StartDoctypeDeclHandler = forbid
    guarded.EntityDeclHandler = forbid
    guarded.UnparsedEntityDeclHandler = forbid
    guarded.ExternalEntityRefHandler = forbid
    parser.buffer_text = True
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        for offset in range(0, len(data), CHUNK):
            parser.Parse(data[offset : offset + CHUNK], False)
        parser.Parse(b"", True)
    except _Stop:
        return
    except expat.ExpatError as exc:
        raise BrokenXml(expat.ErrorString(exc.code) + f" at line {exc.lineno}") from exc


def unescape(text: str) -> str:
    """Excel writes characters XML cannot hold as _xHHHH_ escapes."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


# --- workbook-level parts ------------------------------------------------------------------


@dataclass
class SheetEntry:
    name: str
    relation: str
    state: str  # visible | hidden | veryHidden


@dataclass
class WorkbookInfo:
    sheets: list[SheetEntry] = field(default_factory=list)
    defined_names: dict[str, str] = field(default_factory=dict)
    date1904: bool = False


def _named_texts(data: bytes, element: str,
                 other: Callable[[str, dict[str, str]], None] | None = None) -> dict[str, str]:
    """The text of every `element`, by its name attribute (defined names, custom properties);
    `other` sees the other elements' starts."""
    texts: dict[str, str] = {}
    current: list[str] = []
    buffer: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == element:
            current[:] = [attrs.get("name", "")]
            buffer.clear()
        elif other is not None:
            other(name, attrs)

    def end(name: str) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == element and current:
            texts[current[0]] = "".join(buffer)
            current.clear()

    def text(chunk: str) -> None:
        if current:
            buffer.append(chunk)

    parse(data, start, end, text)
    return texts


def read_workbook(data: bytes) -> WorkbookInfo:
    info = WorkbookInfo()

    def other(name: str, attrs: dict[str, str]) -> None:
        if name == "sheet":
            relation = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            info.sheets.append(SheetEntry(attrs.get("name", ""), relation,
                                          attrs.get("state", "visible")))
        elif name == "workbookPr":
            info.date1904 = attrs.get("date1904", "0").lower() in {"1", "true"}

    info.defined_names = _named_texts(data, "definedName", other)
    return info


def read_relationships(data: bytes) -> dict[str, str]:
    """Relationship id -> target part name, resolved against xl/."""
    targets: dict[str, str] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attrs.get("Id", "")] = _normalize_path(target)

    parse(data, start)
    return targets


def _normalize_path(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


@dataclass
class _TextState:
    capture: str = ""  # "v" for a value or text, "f" for a formula, "" for neither
    phonetic: int = 0  # inside <rPh>: phonetic guides, not the text
    row: int = 0
    last: str = ""  # the previous cell's address in this row


def read_shared_strings(data: bytes) -> list[str]:
    strings: list[str] = []
    buffer: list[str] = []
    state = _TextState()

    def start(name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "si":
            buffer.clear()
        elif name == "rPh":
            state.phonetic += 1
        elif name == "t" and not state.phonetic:
            state.capture = "v"

    def end(name: str) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "si":
            strings.append(unescape("".join(buffer)))
        elif name == "rPh":
            state.phonetic -= 1
        elif name == "t":
            state.capture = ""

    def text(data: str) -> None:
        if state.capture:
            buffer.append(data)

    parse(data, start, end, text)
    return strings


def read_custom_properties(data: bytes) -> dict[str, str]:
    return {name: value.strip() for name, value in _named_texts(data, "property").items()}


# --- worksheets ----------------------------------------------------------------------------


class RawCell(NamedTuple):
    """A cell as stored: its type attribute, its value as text, and its formula if any.
    (A named tuple: thousands are made per return, and it is the cheapest to make.)"""

    kind: str  # s (shared string), inlineStr, str (formula text), b, e, n, d
    text: str
    formula: str | None = None


@dataclass
class RawSheet:
    cells: dict[str, RawCell] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    beyond_row: int | None = None  # content was found past the rows read, from this row on


def split_address(address: str) -> tuple[str, int] | None:
    match = _ADDRESS.match(address)
    return (match.group(1), int(match.group(2))) if match else None


def _next_address(previous: str, row: int) -> str:
    from workbook_tools.form.layout import column_index, column_letter

    parsed = split_address(previous) if previous else None
    column = column_index(parsed[0]) + 1 if parsed else 1
    return f"{column_letter(min(column, 16_384))}{row}"


def read_sheet(data: bytes, shared: list[str], last_row: int, max_cells: int = 20_000
               ) -> RawSheet:
    """Read the cells of rows 1..last_row. Content further down is noted, not read: rows are
    stored in ascending order, so the parse stops at the first cell past last_row."""
    sheet = RawSheet()
    cell: dict[str, Any] = {}
    buffer: list[str] = []
    formula: list[str] = []
    state = _TextState()

    def start(name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            if len(sheet.cells) >= max_cells:
                sheet.beyond_row = state.row
                raise _Stop
            cell.clear()
            # r is optional in OOXML: a cell without it follows the previous one in its row
            address = attrs.get("r") or _next_address(state.last, state.row)
            state.last = address
            cell["address"] = address
            cell["kind"] = attrs.get("t", "n")
            buffer.clear()
            formula.clear()
        elif name == "row":
            number = attrs.get("r", "")
            state.row = int(number) if number.isdigit() else state.row + 1
            state.last = ""
            if state.row > last_row:
                sheet.beyond_row = state.row
                raise _Stop
        elif name == "v":
            state.capture = "v"
        elif name == "f":
            state.capture = "f"
            cell["has_formula"] = True
        elif name == "rPh":
            state.phonetic += 1
        elif name == "t" and cell and not state.phonetic:
            state.capture = "v"

    def end(name: str) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name in {"v", "f", "t"}:
            state.capture = ""
        elif name == "rPh":
            state.phonetic -= 1
        elif name == "c" and cell:
            _store(sheet, cell, "".join(buffer), "".join(formula), shared)
            cell.clear()

    def text(data: str) -> None:
        capture = state.capture
        if capture == "v":
            buffer.append(data)
        elif capture == "f":
            formula.append(data)

    parse(data, start, end, text)
    # merged ranges follow the cells; find them without reading the rows in between
    sheet.merged = [m.decode("ascii") for m in _MERGE.findall(data)]
    return sheet


def _store(sheet: RawSheet, cell: dict[str, Any], value: str, formula: str,
           shared: list[str]) -> None:
    kind = cell["kind"]
    has_formula = bool(cell.get("has_formula"))
    if not value and not has_formula:
        return  # a styled empty cell
    if kind == "s":
        try:
            value = shared[int(value)]
        except (ValueError, IndexError):
            value = ""
    elif kind in {"inlineStr", "str"}:
        value = unescape(value)
    sheet.cells[cell["address"]] = RawCell(kind, value, formula or ("" if has_formula else None))
