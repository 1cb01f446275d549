"""Find the parts of a workbook the way the package declares them: from the package's
relationships (`_rels/.rels`) to the workbook part, from the workbook's relationships to its
sheets and shared strings, each with the content type `[Content_Types].xml` gives it.

Nothing is found by its usual name: a part that the package names but does not hold, that
lives outside the file, or that a sheet names by a relationship that does not exist, is a
damaged file and raises Rejected with the code that says so.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from workbook_tools.model.messages import Word
from workbook_tools.read.package import Package, Rejected
from workbook_tools.read.sheetxml import (
    ContentTypes,
    Relationship,
    WorkbookInfo,
    read_content_types,
    read_relationships,
    read_workbook,
)

CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELATIONSHIPS = "_rels/.rels"
SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_MACRO_MAIN = "application/vnd.ms-excel"
WORKBOOK_TYPES = {
    f"{_MAIN}.sheet.main+xml": False,  # content type -> holds macros
    f"{_MAIN}.template.main+xml": False,
    f"{_MACRO_MAIN}.sheet.macroEnabled.main+xml": True,
    f"{_MACRO_MAIN}.template.macroEnabled.main+xml": True,
    f"{_MACRO_MAIN}.addin.macroEnabled.main+xml": True,
}
BINARY_WORKBOOK_TYPE = f"{_MACRO_MAIN}.sheet.binary.macroEnabled.main"
WORKSHEET_TYPE = f"{_MAIN}.worksheet+xml"
SHARED_STRINGS_TYPE = f"{_MAIN}.sharedStrings+xml"


def _relation_is(relationship: Relationship, kind: str) -> bool:
    """Transitional and Strict relationship types end with the same name."""
    return relationship.type.rpartition("/")[2] == kind


@dataclass(frozen=True)
class SheetPart:
    name: str  # the sheet's name in the workbook
    part: str  # the package member that holds it
    content_type: str

    @property
    def is_worksheet(self) -> bool:
        return self.content_type == WORKSHEET_TYPE


@dataclass
class WorkbookParts:
    """Where everything the reader needs is, as the package declares it."""

    workbook: str
    info: WorkbookInfo
    content_types: ContentTypes
    sheets: dict[str, SheetPart] = field(default_factory=dict)  # by the sheet's name
    shared_strings: str | None = None
    custom_properties: str | None = None
    macro_enabled: bool = False


@lru_cache(maxsize=1024)  # the same few targets recur in every return
def resolve(source: str, target: str) -> str | None:
    """The part a relationship of `source` points to, or None when it points outside the
    package (a URL, a path above the package's root)."""
    split = urlsplit(target)
    if split.scheme or split.netloc or target.startswith("//") or "\\" in target:
        return None
    path = unquote(split.path)
    if not path:
        return None
    base = posixpath.dirname(source)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(base, path)
    parts: list[str] = []
    for piece in joined.split("/"):
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts) or None


def relationships_of(part: str) -> str:
    """The relationships part of a part: xl/workbook.xml -> xl/_rels/workbook.xml.rels."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


class _Reader:
    """Reads one part through the package, naming it in any XML error."""

    def __init__(self, package: Package) -> None:
        self.package = package

    def need(self, part: str, what: str) -> bytes:
        if not self.package.has(part):
            raise Rejected("part-missing", part=part, what=Word(what))
        return self.package.read(part)


def _target(relationship: Relationship, source: str, package: Package, what: str,
            sheet: str = "") -> str:
    """The package member a relationship names, which must be in the file."""
    where = {"sheet": sheet} if sheet else {}
    if relationship.external:
        raise Rejected("part-external", part=relationship.target[:200], what=Word(what),
                       **where)
    target = resolve(source, relationship.target)
    if target is None:
        raise Rejected("part-external", part=relationship.target[:200], what=Word(what),
                       **where)
    if not package.has(target):
        raise Rejected("part-missing", part=target, what=Word(what), **where)
    return package.stored_name(target)


def find_parts(package: Package) -> WorkbookParts:
    """Resolve the workbook, its sheets, shared strings and custom properties; raise Rejected
    when the package does not hold what it declares."""
    reader = _Reader(package)
    content_types = package.parsed(reader.need(CONTENT_TYPES, "part-content-types"),
                                   CONTENT_TYPES, read_content_types)
    root = package.parsed(reader.need(PACKAGE_RELATIONSHIPS, "part-package-relationships"),
                          PACKAGE_RELATIONSHIPS, read_relationships)
    main = next((r for r in root if _relation_is(r, "officeDocument")), None)
    if main is None:
        raise Rejected("part-missing", part=PACKAGE_RELATIONSHIPS, what=Word("part-workbook"))
    workbook_part = _target(main, "", package, "part-workbook")
    workbook_type = content_types.of(workbook_part)
    if workbook_type == BINARY_WORKBOOK_TYPE:
        raise Rejected("legacy-format", format="Excel Binary Workbook (.xlsb)")
    info = package.parsed(package.read(workbook_part), workbook_part, read_workbook)
    if info.namespace == STRICT_NS or "purl.oclc.org" in main.type:
        raise Rejected("legacy-format", format="Strict Open XML Spreadsheet")
    if workbook_type not in WORKBOOK_TYPES:
        raise Rejected("part-type", part=workbook_part, what=Word("part-workbook"),
                       found=workbook_type or Word("no-content-type"))
    parts = WorkbookParts(workbook_part, info, content_types,
                          macro_enabled=WORKBOOK_TYPES[workbook_type])
    custom = next((r for r in root if _relation_is(r, "custom-properties")), None)
    if custom is not None:
        parts.custom_properties = _target(custom, "", package, "part-custom-properties")
    relations_part = relationships_of(workbook_part)
    relations = package.parsed(reader.need(relations_part, "part-workbook-relationships"),
                               relations_part, read_relationships)
    by_id = {r.id: r for r in relations}
    if len(by_id) < len(relations):  # which of the two is meant? never a silent pick
        twice = next(r.id for r in relations if sum(o.id == r.id for o in relations) > 1)
        raise Rejected("relationship-twice", part=relations_part, found=twice[:60])
    for entry in info.sheets:
        relationship = by_id.get(entry.relation)
        if relationship is None:
            raise Rejected("relationship-missing", sheet=entry.name, found=entry.relation[:60],
                           part=relations_part)
        target = _target(relationship, workbook_part, package, "part-sheet", entry.name)
        parts.sheets[entry.name] = SheetPart(entry.name, target, content_types.of(target))
    shared = next((r for r in relations if _relation_is(r, "sharedStrings")), None)
    if shared is not None:
        parts.shared_strings = _target(shared, workbook_part, package, "part-shared-strings")
        found = content_types.of(parts.shared_strings)
        if found != SHARED_STRINGS_TYPE:
            raise Rejected("part-type", part=parts.shared_strings,
                           what=Word("part-shared-strings"),
                           found=found or Word("no-content-type"))
    return parts
