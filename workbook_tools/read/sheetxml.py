"""Read the parts of an xlsx package: content types, relationships, workbook, shared strings,
properties, and the cells of a worksheet.

Every part goes through one hardened expat parser: a document type declaration, an entity
declaration or an external reference stops the parse (the protections of defusedxml), so
nothing is expanded or fetched. Expat reads any encoding an XML declaration may name (UTF-8,
UTF-16, ...), and attributes are read by the parser, never by patterns over the text, so
quotes, spaces around '=' or prefixes change nothing. Cells are read in one pass with explicit
bounds, never trusting the sheet's stated dimension, and every reference is checked: a cell
that cannot be what the file says it is raises DamagedCell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from xml.parsers import expat

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
CHUNK = 1 << 16
MAX_COLUMN = 16_384  # XFD
MAX_ROW = 1_048_576
EXCEL_NUMBER_MAX = 9.99999999999999e307  # the largest number a cell can hold
REPLACEMENT = "\ufffd"
NAMESPACE_SEPARATOR = " "
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class UnsafeXml(Exception):
    """The part declares a DTD or entities: never expanded, never fetched."""


class BrokenXml(Exception):
    """The part is not well-formed XML."""


class DamagedCell(Exception):
    """A cell (or a reference to cells) that cannot be what the file says it is: `reason` is a
    word of the message catalogue, `found` what was stored."""

    def __init__(self, cell: str, reason: str, found: str = "") -> None:
        super().__init__(cell, reason, found)
        self.cell = cell
        self.reason = reason
        self.found = found


class _Stop(Exception):
    """Enough has been read."""


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def new_parser(namespaces: bool = False) -> Any:
    """An expat parser that refuses document types and entities."""
    parser = expat.ParserCreate(namespace_separator=NAMESPACE_SEPARATOR if namespaces else None)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def forbid(*_: Any) -> Any:
        raise UnsafeXml

    guarded: Any = parser  # expat's handler slots have varied signatures; all of them refuse
    guarded.StartDoctypeDeclHandler = forbid
    guarded.EntityDeclHandler = forbid
    guarded.UnparsedEntityDeclHandler = forbid
    guarded.ExternalEntityRefHandler = forbid
    parser.buffer_text = True
    return parser


def feed(parser: Any, data: bytes) -> None:
    """Parse the whole of data; a handler may raise _Stop to end early."""
    try:
        for offset in range(0, len(data), CHUNK):
            parser.Parse(data[offset : offset + CHUNK], False)
        parser.Parse(b"", True)
    except _Stop:
        return
    except expat.ExpatError as exc:
        raise BrokenXml(expat.ErrorString(exc.code) + f" at line {exc.lineno}") from exc


def parse(data: bytes, start: Callable[[str, dict[str, str]], None],
          end: Callable[[str], None] | None = None,
          text: Callable[[str], None] | None = None, namespaces: bool = False) -> None:
    """Run a hardened expat parse with the given handlers. A handler may raise _Stop.

    Without `namespaces`, handlers receive element names as written: callers compare local
    names, since some writers put every element under a prefix (x:c) and namespace processing
    per element is the dearest part of a parse. With it, names are "namespace local".
    """
    parser = new_parser(namespaces)
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    feed(parser, data)


def _unescape_match(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def unescape(text: str) -> str:
    """Excel writes characters XML cannot hold as _xHHHH_ escapes. A pair of escaped
    surrogates is the character they make; a lone surrogate, which no output can encode, becomes
    U+FFFD (the replacement character), which the reader reports."""
    if "_x" not in text:
        return text
    decoded = _ESCAPE.sub(_unescape_match, text)
    if not any("\ud800" <= c <= "\udfff" for c in decoded):
        return decoded
    return decoded.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# --- references ----------------------------------------------------------------------------

_ADDRESS_CACHE: dict[str, tuple[str, int, int] | None] = {}
_ADDRESS_CACHE_MAX = 50_000


def parse_reference(text: str) -> tuple[str, int, int] | None:
    """A cell reference as written ("C5", "c5", "$C$5"): its canonical form, row and column;
    None when it names no cell of a sheet. (Cached: the same addresses recur in every return.)"""
    found = _ADDRESS_CACHE.get(text)
    if found is not None or text in _ADDRESS_CACHE:
        return found
    match = _REFERENCE.match(text)
    result: tuple[str, int, int] | None = None
    if match:
        letters, row = match.group(1).upper(), int(match.group(2))
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        if 1 <= row <= MAX_ROW and column <= MAX_COLUMN:
            result = (f"{letters}{row}", row, column)
    if len(_ADDRESS_CACHE) < _ADDRESS_CACHE_MAX:
        _ADDRESS_CACHE[text] = result
    return result


def parse_range(text: str) -> tuple[str, int, int, int, int] | None:
    """A range as written ("C5:D6", "$c$5", ...): canonical form, first row, first column,
    last row, last column; None when it is not a range of cells."""
    corners = text.split(":")
    if not 1 <= len(corners) <= 2:
        return None
    parsed = [parse_reference(corner) for corner in corners]
    if any(p is None for p in parsed):
        return None
    first, last = parsed[0], parsed[-1]
    assert first is not None and last is not None
    top, bottom = sorted((first[1], last[1]))
    left, right = sorted((first[2], last[2]))
    canonical = first[0] if len(parsed) == 1 else f"{first[0]}:{last[0]}"
    return canonical, top, left, bottom, right


# --- package-level parts -------------------------------------------------------------------


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str  # as written
    external: bool


def read_relationships(data: bytes) -> list[Relationship]:
    found: list[Relationship] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            found.append(Relationship(attrs.get("Id", ""), attrs.get("Type", ""),
                                      attrs.get("Target", ""),
                                      attrs.get("TargetMode", "").lower() == "external"))

    parse(data, start)
    return found


@dataclass
class ContentTypes:
    defaults: dict[str, str] = field(default_factory=dict)  # extension (lower case) -> type
    overrides: dict[str, str] = field(default_factory=dict)  # part name (lower case) -> type

    def of(self, part: str) -> str:
        """The content type of a part (its name without the leading slash), or ''."""
        folded = part.lower()
        if folded in self.overrides:
            return self.overrides[folded]
        return self.defaults.get(folded.rpartition(".")[2], "") if "." in folded else ""


def read_content_types(data: bytes) -> ContentTypes:
    types = ContentTypes()

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "Default":
            types.defaults[attrs.get("Extension", "").lower()] = attrs.get("ContentType", "")
        elif local == "Override":
            part = attrs.get("PartName", "").lstrip("/").lower()
            types.overrides[part] = attrs.get("ContentType", "")

    parse(data, start)
    return types


# --- the workbook --------------------------------------------------------------------------


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
    namespace: str = ""  # of the root element: Strict Open XML has its own


def _named_texts(data: bytes, element: str) -> dict[str, str]:
    """The text of every `element`, by its name attribute (custom properties)."""
    texts: dict[str, str] = {}
    current: list[str] = []
    buffer: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == element:
            current[:] = [attrs.get("name", "")]
            buffer.clear()

    def end(name: str) -> None:
        if current and _local(name) == element:
            texts[current[0]] = "".join(buffer)
            current.clear()

    def text(chunk: str) -> None:
        if current:
            buffer.append(chunk)

    parse(data, start, end, text)
    return texts


def read_workbook(data: bytes) -> WorkbookInfo:
    """The workbook part, read with namespaces: a sheet's relationship is the attribute `id` of
    the relationships namespace, whatever prefix the writer gave it."""
    info = WorkbookInfo()
    relation_id = f"{RELATIONSHIPS_NS}{NAMESPACE_SEPARATOR}id"
    current: list[str] = []  # the defined name being read
    buffer: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(NAMESPACE_SEPARATOR)
        if not info.namespace:
            info.namespace = namespace or "-"
        if local == "sheet":
            info.sheets.append(SheetEntry(attrs.get("name", ""), attrs.get(relation_id, ""),
                                          attrs.get("state", "visible")))
        elif local == "definedName":
            current[:] = [attrs.get("name", "")]
            buffer.clear()
        elif local == "workbookPr":
            info.date1904 = attrs.get("date1904", "0").lower() in {"1", "true"}

    def end(name: str) -> None:
        if current and name.rpartition(NAMESPACE_SEPARATOR)[2] == "definedName":
            info.defined_names[current[0]] = "".join(buffer)
            current.clear()

    def text(chunk: str) -> None:
        if current:
            buffer.append(chunk)

    parse(data, start, end, text, namespaces=True)
    return info


@dataclass
class _TextState:
    capture: str = ""  # "v" while inside a text, "" elsewhere
    phonetic: int = 0  # inside <rPh>: phonetic guides, not the text


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
    merged: list[str] = field(default_factory=list)  # canonical ranges, "C5:D5"
    beyond_row: int | None = None  # content was found past the rows read, from this row on


_ADDRESS = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


def split_address(address: str) -> tuple[str, int] | None:
    match = _ADDRESS.match(address)
    return (match.group(1), int(match.group(2))) if match else None


def _column_letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


KINDS = frozenset({"s", "inlineStr", "str", "b", "e", "n", "d"})


def _ascii_number(text: str) -> int | None:
    """A row number or index as written: ASCII digits only ('²'.isdigit() is true)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def read_sheet(data: bytes, shared: list[str] | None, last_row: int, max_cells: int = 20_000
               ) -> RawSheet:
    """Read the cells of rows 1..last_row, and the merged ranges. Rows are stored in ascending
    order (a row out of order is a damaged file), so once past last_row the rest is only
    scanned for row order and merged ranges, and noted as content beyond. `shared` is None
    when the workbook has no shared strings.

    (The handlers keep their state in local variables: they run once per element, thousands
    of times per return, and this is the cheapest state CPython has.)"""
    sheet = RawSheet()
    cells = sheet.cells
    buffer: list[str] = []
    formula: list[str] = []
    address = kind = ""  # the cell being read; "" between cells
    has_formula = False
    capture = ""  # "v" for a value or text, "f" for a formula, "" for neither
    phonetic = 0  # inside <rPh>: phonetic guides, not the text
    row = column = 0  # the current row, and the previous cell's column in it
    parser = new_parser()
    cached = _ADDRESS_CACHE.get

    def merge(attrs: dict[str, str]) -> None:
        reference = attrs.get("ref", "")
        parsed = parse_range(reference)
        if parsed is None:
            raise DamagedCell("", "merge-reference", reference[:40])
        sheet.merged.append(parsed[0])

    def skipping(name: str, attrs: dict[str, str]) -> None:
        """Past the rows read: only the order of rows and the merged ranges matter."""
        nonlocal row
        if name[-3:] == "row" and _local(name) == "row":
            number = attrs.get("r")
            if number is not None:
                found = _ascii_number(number)
                if found is None or found <= row or found > MAX_ROW:
                    raise DamagedCell(f"A{found or ''}", "row-out-of-order", number[:20])
                row = found
            else:
                row += 1
        elif name[-9:] == "mergeCell" and _local(name) == "mergeCell":
            merge(attrs)

    def skip_from(first: int) -> None:
        sheet.beyond_row = first
        parser.StartElementHandler = skipping
        parser.EndElementHandler = None
        parser.CharacterDataHandler = None

    def unplaced(written: str | None) -> tuple[str, int]:
        """The address and column of a cell that does not follow the previous one simply."""
        if written is None:  # r is optional: a cell without it follows the previous one
            if not row:
                raise DamagedCell("A1", "cell-outside-row")
            if column >= MAX_COLUMN:
                raise DamagedCell(f"XFD{row}", "cell-out-of-order")
            return f"{_column_letters(column + 1)}{row}", column + 1
        parsed = parse_reference(written)  # not cached yet, or not a place for a cell
        if parsed is None:
            raise DamagedCell("", "cell-reference", written[:40])
        if parsed[1] != row:
            raise DamagedCell(parsed[0], "cell-outside-row")
        if parsed[2] <= column:
            raise DamagedCell(parsed[0], "cell-twice" if parsed[2] == column
                              else "cell-out-of-order")
        return parsed[0], parsed[2]

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal address, kind, has_formula, capture, phonetic, row, column
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            if len(cells) >= max_cells:
                skip_from(row)
                return
            written = attrs.get("r")
            parsed = cached(written) if written is not None else None
            if parsed is not None and parsed[1] == row and parsed[2] > column:
                address, column = parsed[0], parsed[2]
            else:
                address, column = unplaced(written)
            kind = attrs.get("t", "n")
            if kind not in KINDS:
                raise DamagedCell(address, "cell-type", kind[:20])
            has_formula = False
            buffer.clear()
            formula.clear()
        elif name == "t":
            if address and not phonetic:
                capture = "v"
        elif name == "is":  # the inline string around <t>: nothing to do, and frequent
            return
        elif name == "v":
            capture = "v"
        elif name == "row":
            number = attrs.get("r")
            if number is None:
                found = row + 1
            else:
                parsed_row = _ascii_number(number)
                if parsed_row is None or not 1 <= parsed_row <= MAX_ROW:
                    raise DamagedCell("", "row-reference", number[:20])
                found = parsed_row
            if found <= row:
                raise DamagedCell(f"A{found}", "row-twice" if found == row
                                  else "row-out-of-order", str(found))
            row, column = found, 0
            if found > last_row:
                skip_from(found)
        elif name == "f":
            capture = "f"
            has_formula = True
        elif name == "rPh":
            phonetic += 1
        elif name == "mergeCell":
            merge(attrs)

    def end(name: str) -> None:
        nonlocal address, capture, phonetic
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            if address:
                value = "".join(buffer)
                if value or has_formula:  # else a styled empty cell
                    cells[address] = _cell(address, kind, value, "".join(formula),
                                           has_formula, shared)
                address = ""
        elif name == "t" or name == "v" or name == "f":
            capture = ""
        elif name == "rPh":
            phonetic -= 1

    def text(data: str) -> None:
        if capture == "v":
            buffer.append(data)
        elif capture == "f":
            formula.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    feed(parser, data)
    return sheet


def _cell(address: str, kind: str, value: str, formula: str, has_formula: bool,
          shared: list[str] | None) -> RawCell:
    """A cell as stored, once its value is checked against its type."""
    if kind == "inlineStr" or kind == "str":
        value = unescape(value)
    elif kind == "s":
        if shared is None:
            raise DamagedCell(address, "cell-no-shared-strings", value[:20])
        index = _ascii_number(value.strip())
        if index is None or index >= len(shared):
            raise DamagedCell(address, "cell-shared-index", value[:20])
        value = shared[index]
    elif kind == "n":
        if value:
            _check_number(address, value)
    elif kind == "b":
        if value and value.strip().lower() not in {"0", "1", "true", "false"}:
            raise DamagedCell(address, "cell-not-boolean", value[:20])
    elif kind == "d" and value:
        _check_date(address, value)
    return RawCell(kind, value, formula or ("" if has_formula else None))


def _check_number(address: str, value: str) -> None:
    try:
        number = float(value)
    except ValueError:
        raise DamagedCell(address, "cell-not-a-number", value[:40]) from None
    if "_" in value or not math.isfinite(number) or abs(number) > EXCEL_NUMBER_MAX:
        raise DamagedCell(address, "cell-not-a-number", value[:40])


def _check_date(address: str, value: str) -> None:
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise DamagedCell(address, "cell-not-a-date", value[:40]) from None
    if moment.year < 1900:
        raise DamagedCell(address, "cell-not-a-date", value[:40])
