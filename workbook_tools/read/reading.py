"""Read one returned questionnaire: which questionnaire and respondent it is, its answers typed,
and what is wrong with its structure. Only the cells the definition names are read.

The result is a `Reading`: an immutable value, built in one place (`read_return`), made of plain
data that crosses process boundaries as it is. It names its questionnaire by id and version;
whoever holds the survey looks the definition up.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbook_tools.form.identity import PROPERTY_PREFIX, Identity, fingerprint
from workbook_tools.form.layout import (
    CHECKS_SHEET,
    FIRST_QUESTION_ROW,
    HEADER_ROW,
    IDENTITY_NAME,
    LISTS_SHEET,
    META_SHEET,
    NUMBER_COLUMN,
    QUESTION_COLUMN,
    Layout,
    TablePlace,
    column_index,
    layout_in,
)
from workbook_tools.form.texts import sheet_texts
from workbook_tools.model.languages import LANGS
from workbook_tools.model.messages import Issue, MessageCatalogue, Word
from workbook_tools.model.questionnaire import Questionnaire
from workbook_tools.model.survey import Survey
from workbook_tools.read.coerce import Note, Typed, cell_value, coerce, coerce_tick
from workbook_tools.read.package import Package, Rejected, open_package
from workbook_tools.read.parts import SheetPart, WorkbookParts, find_parts
from workbook_tools.read.sheetxml import (
    BrokenXml,
    DamagedCell,
    RawSheet,
    UnsafeXml,
    read_custom_properties,
    read_shared_strings,
    read_sheet,
    split_address,
)

ROWS_BEYOND = 100  # rows read past the questionnaire, to catch notes written just below it


@dataclass(frozen=True)
class RespondentInfo:
    kind: str = ""  # the questionnaire's id
    id: str = ""  # the roster's id, from the identification
    code: str = ""  # in the respondents' reference list
    name: str = ""


@dataclass(frozen=True)
class TableRow:
    index: int  # 0-based row of the table
    values: Mapping[str, object]  # column id -> typed value
    raw: Mapping[str, object]  # column id -> what was typed


# problems of a cell that holds something other than an answer: said once, not also "missing"
SHOWS_NO_ANSWER = frozenset({"cell-error", "formula-no-value"})


@dataclass(frozen=True)
class Reading:
    """What one returned file holds, as read: plain data, never changed once built."""

    path: Path
    sha256: str = ""
    identity: Identity | None = None
    respondent: RespondentInfo = RespondentInfo()
    answers: Mapping[str, object] = field(default_factory=dict)  # field id -> typed value (a
    # multiple choice: the tuple of codes ticked)
    raw: Mapping[str, object] = field(default_factory=dict)  # field id -> what was typed
    tables: Mapping[str, tuple[TableRow, ...]] = field(default_factory=dict)
    unread: frozenset[str] = frozenset()  # items whose sheet could not be read
    untyped: frozenset[tuple[str, str]] = frozenset()  # (sheet, cell) answered, but not
    # readable as its type: its type error says what to fix, so it is not also missing
    issues: tuple[Issue, ...] = ()
    rejected: bool = False
    mtime_ns: int = 0  # the file's modification time when it was read (orders resubmissions)

    @property
    def lang(self) -> str:
        return self.identity.lang if self.identity else "en"

    def questionnaire_in(self, survey: Survey) -> Questionnaire | None:
        """The definition the return was made from, unless it was rejected."""
        if self.rejected or self.identity is None:
            return None
        return survey.get(self.identity.questionnaire, self.identity.version)


@dataclass
class _Builder:
    """The parts of a Reading while the file is read; frozen once, at the end."""

    path: Path
    messages: MessageCatalogue
    sha256: str = ""
    mtime_ns: int = 0
    identity: Identity | None = None
    respondent: RespondentInfo = RespondentInfo()
    answers: dict[str, object] = field(default_factory=dict)
    raw: dict[str, object] = field(default_factory=dict)
    tables: dict[str, tuple[TableRow, ...]] = field(default_factory=dict)
    unread: set[str] = field(default_factory=set)
    untyped: set[tuple[str, str]] = field(default_factory=set)
    issues: list[Issue] = field(default_factory=list)

    def add(self, code: str, **where: Any) -> None:
        self.issues.append(self.messages.issue(code, **where))

    def reading(self) -> Reading:
        return Reading(self.path, self.sha256, self.identity, self.respondent, self.answers,
                       self.raw, self.tables, frozenset(self.unread), frozenset(self.untyped),
                       tuple(self.issues), mtime_ns=self.mtime_ns)

    def rejection(self, code: str, **params: Any) -> Reading:
        return Reading(self.path, self.sha256, issues=(self.messages.issue(code, **params),),
                       rejected=True, mtime_ns=self.mtime_ns)


def read_return(path: Path, survey: Survey) -> Reading:
    """Read one return; whatever the file holds, the answer is a Reading."""
    result = _Builder(path, survey.messages)
    with contextlib.suppress(OSError):  # said even of a file the gate refuses
        result.mtime_ns = path.stat().st_mtime_ns
    try:
        package = open_package(path)
        result.sha256, result.mtime_ns = package.sha256, package.mtime_ns
        _read(package, result, survey)
    except Rejected as exc:
        return result.rejection(exc.code, **exc.params)
    except UnsafeXml as exc:
        return result.rejection("unsafe-xml", part=str(exc.args[0] if exc.args else "?"))
    except BrokenXml as exc:
        part, reason = exc.args if len(exc.args) == 2 else ("?", str(exc))
        return result.rejection("broken-xml", part=part, reason=reason)
    except Exception as exc:  # noqa: BLE001 - one file's surprise must not stop the others
        return result.rejection("internal-error", reason=f"{type(exc).__name__}: {exc}"[:300])
    return result.reading()


def _sheet(package: Package, sheet: SheetPart, shared: list[str] | None, last_row: int
           ) -> RawSheet:
    """The cells of a sheet; a damaged cell rejects the return, naming the sheet and cell."""
    try:
        return package.parsed(package.read(sheet.part), sheet.part, read_sheet, shared,
                              last_row)
    except DamagedCell as exc:
        raise Rejected("damaged-cell", sheet=sheet.name, cell=exc.cell, found=exc.found,
                       reason=Word(exc.reason)) from exc


def _read(package: Package, result: _Builder, survey: Survey) -> None:
    parts = find_parts(package)
    workbook = parts.info
    shared: list[str] | None = None
    if parts.shared_strings:
        shared = package.parsed(package.read(parts.shared_strings), parts.shared_strings,
                                read_shared_strings)
    identity = _identify(package, parts, shared, result)
    questionnaire = survey.get(identity.questionnaire, identity.version)
    if questionnaire is None:
        if identity.questionnaire in survey.ids():
            known = ", ".join(str(v) for (q, v) in sorted(survey.questionnaires)
                              if q == identity.questionnaire)
            raise Rejected("unknown-version", version=identity.version,
                           questionnaire=identity.questionnaire, known=known)
        raise Rejected("not-a-questionnaire")
    if identity.lang not in LANGS:
        raise Rejected("not-a-questionnaire")
    result.identity = identity
    current = survey.current(questionnaire.id)
    if current.version != questionnaire.version:
        result.add("outdated-version", version=questionnaire.version, current=current.version)
    expected_print = fingerprint(questionnaire, identity.lang)
    if identity.fingerprint != expected_print:
        result.add("texts-changed", found=identity.fingerprint, expected=expected_print)
    macros = [*package.macros]
    if parts.macro_enabled:
        macros.append(f"{parts.workbook}: macro-enabled workbook (.xlsm)")
    if macros:
        result.add("macros", found=", ".join(macros[:3]))
    if package.external_links:
        result.add("external-links", found=", ".join(package.external_links[:3]))
    layout = layout_in(questionnaire, identity.lang, survey)
    _check_sheet_names(workbook.sheets, layout, result, survey.messages)
    texts = expected_texts(questionnaire, identity.lang, survey)
    raw_sheets: dict[str, RawSheet] = {}
    for name in (*layout.section_sheets, *layout.table_sheets):
        sheet = parts.sheets.get(name)
        if sheet is None:
            continue  # not in the workbook: reported as a missing sheet
        if not sheet.is_worksheet:
            raise Rejected("part-type", sheet=name, part=sheet.part, what=Word("part-sheet"),
                           found=sheet.content_type or Word("no-content-type"))
        last_row = _last_text_rows(questionnaire, identity.lang, survey).get(
            name, FIRST_QUESTION_ROW)
        raw_sheets[name] = _sheet(package, sheet, shared, last_row + ROWS_BEYOND)
    _check_structure(raw_sheets, texts, layout, result)
    _read_answers(raw_sheets, layout, workbook.date1904, survey, result)
    _identify_respondent(survey, layout, result)


@lru_cache(maxsize=32)
def expected_texts(questionnaire: Questionnaire, lang: str, survey: Survey
                   ) -> dict[str, dict[str, str]]:
    """What a blank questionnaire holds outside its answer cells, as the text a cell shows."""
    return {sheet: {address: str(value) for address, value in cells.items()}
            for sheet, cells in sheet_texts(questionnaire, lang, survey).items()}


@lru_cache(maxsize=32)
def _last_text_rows(questionnaire: Questionnaire, lang: str, survey: Survey) -> dict[str, int]:
    """The last row of each sheet that holds a text of the blank questionnaire."""
    return {sheet: max(map(_row_of, cells), default=FIRST_QUESTION_ROW)
            for sheet, cells in expected_texts(questionnaire, lang, survey).items()}


# The three places the identification is written, in the order they are read and named.
PLACES = ("place-properties", "place-defined-name", "place-hidden-sheet")


def _per_lang(text: Callable[[str], str]) -> dict[str, str]:
    """A message parameter given in every language, from a function of the language."""
    return {lang: text(lang) for lang in LANGS}


def _places(messages: MessageCatalogue, places: Iterable[str]) -> dict[str, str]:
    """The places of the identification, in a list as each language writes one."""
    def listed(lang: str) -> str:
        names = [messages.word(place, lang) for place in places]
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} {messages.word('and', lang)} {names[-1]}"
    return _per_lang(listed)


def _identify(package: Package, parts: WorkbookParts, shared: list[str] | None,
              result: _Builder) -> Identity:
    """The identification, from the places that hold it. A place that holds a damaged one,
    or places that disagree, make the return invalid; the one used is that of most places."""
    found: dict[str, Identity] = {}
    damaged: list[str] = []

    def place(key: str, present: bool, identity: Identity | None) -> None:
        if identity is not None:
            found[key] = identity
        elif present:
            damaged.append(key)

    if parts.custom_properties:
        properties = package.parsed(package.read(parts.custom_properties),
                                    parts.custom_properties, read_custom_properties)
        place(PLACES[0], any(k.startswith(PROPERTY_PREFIX) for k in properties),
              Identity.from_properties(properties))
    defined = parts.info.defined_names.get(IDENTITY_NAME)
    place(PLACES[1], defined is not None,
          Identity.from_defined_name(defined) if defined is not None else None)
    meta_part = parts.sheets.get(META_SHEET)
    if meta_part is not None:
        meta = _sheet(package, meta_part, shared, 20)
        values = {}
        for row in range(1, 21):
            key = meta.cells.get(f"A{row}")
            if key is not None:
                value = meta.cells.get(f"B{row}")
                values[key.text] = value.text if value else ""
        place(PLACES[2], True, Identity.from_properties(values))
    messages = result.messages
    if not found:
        if damaged:
            raise Rejected("identity-damaged", places=_places(messages, damaged))
        raise Rejected("not-a-questionnaire")
    if damaged:
        result.add("identity-damaged", places=_places(messages, damaged))
    votes = Counter(found.values())
    identity = max(found.values(), key=lambda candidate: votes[candidate])  # first on a tie
    if len(votes) > 1:
        used = next(key for key, candidate in found.items() if candidate == identity)
        result.add("identity-conflict", places=_places(messages, found),
                   found=_per_lang(lambda lang: messages.word("semicolon", lang).join(
                       messages.word(p, lang) + messages.word("colon", lang) + _describe(i)
                       for p, i in found.items())),
                   used=_per_lang(lambda lang: messages.word(used, lang)))
    return identity


def _describe(identity: Identity) -> str:
    who = " ".join(filter(None, (identity.respondent_id, identity.respondent_code)))
    return (f"{identity.questionnaire} v{identity.version} {identity.lang} "
            f"{identity.fingerprint} {who}").strip()


def _check_sheet_names(entries: Iterable[Any], layout: Layout, result: _Builder,
                       messages: MessageCatalogue) -> None:
    names = [entry.name for entry in entries]
    folded: dict[str, str] = {}
    for name in names:
        if name.casefold() in folded:
            result.add("duplicate-sheet", sheet=name)
        folded[name.casefold()] = name
    expected = (*layout.section_sheets, *layout.table_sheets)
    for name in expected:
        if name not in names:
            result.add("sheet-missing", sheet=name)
    # the first sheet of an annotated copy (--annotate), whichever its language
    problems_sheets = {messages.word("problems-sheet", lang) for lang in LANGS}
    # the instructions, the Check sheet and the hidden sheets are ours: never read
    known = {*expected, *layout.sheet_order[:2], LISTS_SHEET, META_SHEET, CHECKS_SHEET,
             *problems_sheets}
    for name in names:
        if name not in known:
            result.add("sheet-added", sheet=name)


def _check_structure(raw_sheets: dict[str, RawSheet], texts: dict[str, dict[str, str]],
                     layout: Layout, result: _Builder) -> None:
    """Labels where they belong, nothing written outside the answers, no merged answers."""
    questionnaire = layout.questionnaire
    answer_cells = layout.answer_cells
    # The status line's formula (the live checks) is ours, whatever value it was saved with:
    # an application that saves formulas as values must not make it "written outside".
    ignored = answer_cells | layout.status_cells
    labels = {place: item_id for item_id, place in layout.label_cells.items()}
    table_of_sheet = {place.sheet: table_id for table_id, place in layout.tables.items()}
    for name in (*layout.section_sheets, *layout.table_sheets):
        if name not in raw_sheets:
            result.unread |= _items_on(layout, name)
            continue
        sheet, expected = raw_sheets[name], texts.get(name, {})
        if sheet.beyond_row is not None:
            result.add("content-beyond", sheet=name, cell=f"A{sheet.beyond_row}",
                       max=sheet.beyond_row - 1)
        moved = _moved_rows(sheet, expected, layout, name)
        if moved:
            item_id, found_row, expected_row = moved
            result.add("rows-moved", sheet=name, cell=f"{QUESTION_COLUMN}{found_row}",
                       question=item_id, number=questionnaire.number(item_id), found=found_row,
                       expected=expected_row)
            result.unread |= _items_on(layout, name)
            continue
        table_id = table_of_sheet.get(name)
        shifted = _moved_table_rows(sheet, layout.tables[table_id]) if table_id else None
        if table_id and shifted:
            index, found_row, expected_row = shifted
            result.add("table-rows-moved", sheet=name, cell=f"{NUMBER_COLUMN}{found_row}",
                       question=table_id, number=questionnaire.number(table_id), index=index,
                       found=found_row, expected=expected_row,
                       rows=layout.tables[table_id].rows)
            result.unread |= _items_on(layout, name)
            continue
        header_broken = False
        for address, text in expected.items():
            got = sheet.cells.get(address)
            got_text = got.text.strip() if got else ""
            if got_text == text.strip():
                continue
            edited = labels.get((name, address))
            if edited:
                result.add("question-edited", sheet=name, cell=address, question=edited,
                           value=got_text, number=questionnaire.number(edited), expected=text)
            elif name in table_of_sheet and _row_of(address) == HEADER_ROW:
                header_broken = True
                result.add("header-edited", sheet=name, cell=address,
                           question=table_of_sheet[name], value=got_text, expected=text)
            elif got_text:
                result.add("outside-answer", sheet=name, cell=address, value=got_text)
        if header_broken:
            result.unread.add(table_of_sheet[name])
        for address, cell in sheet.cells.items():
            if address in expected or (name, address) in ignored:
                continue
            value, _ = cell_value(cell, False)
            if value not in (None, ""):
                result.add("outside-answer", sheet=name, cell=address, value=value)
        for merged in sheet.merged:
            if _overlaps(merged, answer_cells, name):
                result.add("merged-cells", sheet=name, cell=merged.split(":")[0], found=merged)


def _row_of(address: str) -> int:
    parsed = split_address(address)
    return parsed[1] if parsed else 0


def _items_on(layout: Layout, sheet: str) -> set[str]:
    items = {item_id for item_id, place in layout.fields.items() if place.sheet == sheet}
    items |= {table_id for table_id, place in layout.tables.items() if place.sheet == sheet}
    return items


def _moved_rows(sheet: RawSheet, expected: dict[str, str], layout: Layout, name: str
                ) -> tuple[str, int, int] | None:
    """The first question whose label now stands on another row of column B, if any."""
    by_text: dict[str, int] | None = None  # made only once a label is found out of place
    for item_id, (label_sheet, address) in layout.label_cells.items():
        if label_sheet != name:
            continue
        text = expected.get(address, "").strip()
        got = sheet.cells.get(address)
        if got is not None and got.text.strip() == text:
            continue
        if by_text is None:
            by_text = {}
            for other, cell in sheet.cells.items():
                parsed = split_address(other)
                if parsed and parsed[0] == QUESTION_COLUMN and cell.kind in {"s", "inlineStr",
                                                                             "str"}:
                    by_text.setdefault(cell.text.strip(), parsed[1])
        row = _row_of(address)
        found = by_text.get(text)
        if found is not None and found != row:
            return item_id, found, row
    return None


def _moved_table_rows(sheet: RawSheet, place: TablePlace) -> tuple[int, int, int] | None:
    """The first row of a table whose number (column A) now stands on another row of the
    sheet: rows inserted or deleted inside the table, which would move its answers."""
    def number_at(row: int) -> str:
        cell = sheet.cells.get(f"{NUMBER_COLUMN}{row}")
        return cell.text.strip() if cell else ""

    if all(number_at(place.first_row + index) == str(index + 1) for index in range(place.rows)):
        return None  # every row's number where it belongs: nothing moved (the common case)
    numbers: dict[str, int] = {}
    for address, cell in sheet.cells.items():
        parsed = split_address(address)
        if parsed and parsed[0] == NUMBER_COLUMN:
            numbers.setdefault(cell.text.strip(), parsed[1])
    for index in range(place.rows):
        row = place.first_row + index
        found = numbers.get(str(index + 1))
        if found is not None and found != row:
            return index + 1, found, row
    return None


def _overlaps(reference: str, cells: AbstractSet[tuple[str, str]], sheet: str) -> bool:
    """Whether a merged range covers any of the given (sheet, cell)s, without listing it."""
    corners = [split_address(part) for part in reference.split(":")]
    first, last = corners[0], corners[-1]
    if first is None or last is None:
        return False
    columns = range(column_index(first[0]), column_index(last[0]) + 1)
    rows = range(first[1], last[1] + 1)
    for cell_sheet, address in cells:
        parsed = split_address(address)
        if cell_sheet == sheet and parsed and parsed[1] in rows and column_index(
                parsed[0]) in columns:
            return True
    return False


def _note_issues(notes: list[Note], sheet: str, cell: str, item_id: str,
                 questionnaire: Questionnaire, messages: MessageCatalogue) -> list[Issue]:
    number = questionnaire.number(item_id)
    return [messages.issue(note.code, sheet=sheet, cell=cell, question=item_id,
                           value=note.value, number=number, **note.params) for note in notes]


def _read_answers(raw_sheets: dict[str, RawSheet], layout: Layout, date1904: bool,
                  survey: Survey, result: _Builder) -> None:
    questionnaire, lang = layout.questionnaire, layout.lang
    reference = questionnaire.reference
    messages = survey.messages
    example = survey.settings.deadline.isoformat()
    for f in questionnaire.fields():
        place = layout.fields[f.id]
        sheet = raw_sheets.get(place.sheet)
        if sheet is None or f.id in result.unread:
            continue
        if f.type == "multiple_choice":
            ticks: dict[str, bool | str] = {}
            for code, address in place.options.items():
                value, notes = cell_value(sheet.cells.get(address), date1904)
                ticks[code] = coerce_tick(value, lang, reference, notes)
                result.issues.extend(_note_issues(notes, place.sheet, address, f.id,
                                                  questionnaire, messages))
                if isinstance(ticks[code], str):
                    result.add("invalid-tick", sheet=place.sheet, cell=address, question=f.id,
                               value=ticks[code],
                               expected=reference["yes_no"].label("yes", lang))
            result.answers[f.id] = tuple(code for code, on in ticks.items() if on is True)
            continue
        assert place.cell is not None
        typed = coerce(f, sheet.cells.get(place.cell), lang, reference, date1904, example)
        _keep(result, f.id, typed, place.sheet, place.cell, questionnaire)
    for table in questionnaire.tables():
        table_place = layout.tables[table.id]
        sheet = raw_sheets.get(table_place.sheet)
        if sheet is None or table.id in result.unread:
            continue
        rows = []
        cells = sheet.cells
        columns = {column.id: column for column in table.columns}
        for index, row_cells in enumerate(table_place.grid):
            if not any(address in cells for _, address in row_cells):
                continue  # most rows of a table are empty: nothing to type, no row
            values: dict[str, object] = {}
            raws: dict[str, object] = {}
            for column_id, address in row_cells:
                raw = cells.get(address)
                if raw is None:
                    values[column_id] = raws[column_id] = None
                    continue
                column = columns[column_id]
                typed = coerce(column, raw, lang, reference, date1904, example)
                if typed.notes:
                    result.issues.extend(_note_issues(typed.notes, table_place.sheet, address,
                                                      table.id, questionnaire, messages))
                _note_untyped(result, typed, table_place.sheet, address)
                values[column.id], raws[column.id] = typed.value, typed.raw
            if any(v is not None for v in values.values()):
                rows.append(TableRow(index, values, raws))
        result.tables[table.id] = tuple(rows)


def _keep(result: _Builder, item_id: str, typed: Typed, sheet: str, cell: str,
          questionnaire: Questionnaire) -> None:
    _note_untyped(result, typed, sheet, cell)
    result.answers[item_id] = typed.value
    result.raw[item_id] = typed.raw
    result.issues.extend(_note_issues(typed.notes, sheet, cell, item_id, questionnaire,
                                      result.messages))


def _note_untyped(result: _Builder, typed: Typed, sheet: str, cell: str) -> None:
    if typed.value is None and (typed.raw not in (None, "") or any(
            note.code in SHOWS_NO_ANSWER for note in typed.notes)):
        result.untyped.add((sheet, cell))


def _identify_respondent(survey: Survey, layout: Layout, result: _Builder) -> None:
    """Who answered: the identification's respondent, checked against the answer naming them."""
    questionnaire, identity = layout.questionnaire, result.identity
    assert identity is not None
    respondent_list = questionnaire.reference[questionnaire.respondent]
    named_field = next((f for f in questionnaire.fields() if f.prefill == "respondent"), None)
    answered = result.answers.get(named_field.id) if named_field else None
    code = identity.respondent_code or (answered if isinstance(answered, str) else "")
    if (named_field is not None and identity.respondent_code and isinstance(answered, str)
            and answered and answered != identity.respondent_code):
        place = layout.fields[named_field.id]
        expected = (respondent_list.label(identity.respondent_code, "en")
                    if identity.respondent_code in respondent_list.codes
                    else identity.respondent_code)
        result.add("respondent-mismatch", sheet=place.sheet, cell=place.cell or "",
                   question=named_field.id, value=result.raw.get(named_field.id),
                   expected=expected)
    name = respondent_list.label(code, "en") if code in respondent_list.codes else code
    result.respondent = RespondentInfo(questionnaire.id, identity.respondent_id, code, name)
