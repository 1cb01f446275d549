"""Questionnaires as data: the model, the loader, and the checks a definition must pass.

A questionnaire definition (templates/<id>-<version>.yaml) is the one source of truth for its
questions: the workbook's layout and dropdowns, the validation schema and the consolidated data
are all derived from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_tools.errors import DefinitionError
from workbook_tools.model.languages import LANG_NAMES, LANGS, Localized, lang_list
from workbook_tools.model.reference import ReferenceData, sheet_name_problem
from workbook_tools.model.yamlfile import load_yaml

CHOICE_TYPES = {"single_choice", "multiple_choice", "yes_no"}
NUMBER_TYPES = {"integer", "year"}
TEXT_TYPES = {"text", "long_text", "email"}
FIELD_TYPES = CHOICE_TYPES | NUMBER_TYPES | TEXT_TYPES | {"date"}
COLUMN_TYPES = FIELD_TYPES - {"multiple_choice"}
CONDITION_OPERATORS = ("equals", "in", "includes")
PREFILL_SOURCES = {"respondent", "email", "iscms"}
RESPONDENT_LISTS = ("iscms", "states", "igos")  # who answers a questionnaire, in report order


@dataclass(frozen=True)
class Role:
    """What an output relies on a question for. Outputs find questions by role, never by id:
    renaming a question keeps its role, and a role that is missing is named when the
    definitions are checked."""

    name: str
    meaning: str
    on: tuple[str, ...]  # where it may stand: "field", "table", "column"
    types: frozenset[str]
    many: bool = False  # several questions of a questionnaire may play it


ROLES = {role.name: role for role in (
    Role("completion_date", "the date the return was completed: orders a respondent's "
         "returns, the latest counting", ("field",), frozenset({"date"})),
    Role("about_iscms", "the table in which the respondent names the ISCMs it speaks of, one "
         "row per ISCM: joins what it says to each ISCM's sheet and draft", ("table",),
         frozenset({"table"})),
    Role("thematic_priorities", "the thematic areas an ISCM works on today: the master's "
         "chart of priorities across ISCMs", ("field",), frozenset({"multiple_choice"})),
    Role("value_ratings", "a rating per area of value (a column with for_each): the master's "
         "chart and the drafts' 'values it most for'", ("column",),
         frozenset({"single_choice"})),
    Role("established", "the year the ISCM was established, in the questionnaire ISCMs "
         "answer: queried when it differs from schemas/iscms.yaml", ("field",),
         frozenset({"year"})),
    Role("names_partners", "in the questionnaire ISCMs answer, a question or column naming "
         "organizations, States or ISCMs that work with the ISCM (its list is a respondents' "
         "list: igos, states or iscms): each, when it answers, should name the ISCM in its "
         "table with the role about_iscms, and the ISCM should name each that does; queries "
         "ask when one side is silent", ("field", "column"),
         frozenset({"single_choice", "multiple_choice"}), many=True),
    Role("membership_changes", "in the questionnaire ISCMs answer, the table of changes in "
         "its membership, one row per State and change: a State that the table says has left "
         "(a change listed in the column's ends_membership) but still names the ISCM in its "
         "own return is queried", ("table",), frozenset({"table"})),
)}

OTHER = "other"  # the choice code that asks the respondent to say what ("Other (specify)")
ESTABLISHED = "established"  # not_before: the ISCM's year of establishment (schemas/iscms.yaml)

EXCEL_CELL_MAX = 32_767
DEFAULT_MAX_LENGTH = {"text": 255, "long_text": EXCEL_CELL_MAX, "email": 254}
EARLIEST_YEAR = 1900
MAX_TABLE_ROWS = 500
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
FILE_PATTERN = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)-(?P<version>\d+)\.yaml$")


@dataclass(frozen=True)
class Condition:
    """The question applies only when another question's answer matches."""

    question: str
    operator: str  # "equals" | "in" (single choice) | "includes" (multiple choice)
    values: tuple[str, ...]

    def holds(self, answer: object) -> bool:
        if answer is None:
            return False
        if self.operator == "includes":
            return isinstance(answer, (list, tuple, set, frozenset)) and bool(
                set(self.values) & set(answer)
            )
        return answer in self.values


@dataclass(frozen=True)
class NotBefore:
    """A year that may not be earlier than another: the answer to an earlier year question, or
    (question None) the year of establishment of the ISCM concerned, where the reference list
    knows it: the ISCM a table row names, else the ISCM answering."""

    question: str | None = None


@dataclass(frozen=True)
class Field:
    """Something answered in one cell (one cell per option for a multiple choice)."""

    id: str
    type: str
    label: Localized
    help: Localized | None = None
    required: bool = False
    choices: str | None = None
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    min_choices: int | None = None
    max_choices: int | None = None
    relevant: Condition | None = None
    prefill: str | None = None
    codes: tuple[str, ...] = ()  # the choice list's codes, resolved when the definition loads
    role: str | None = None
    personal: bool = False  # a person's name, e-mail or telephone: left out of shared data
    group: str | None = None  # for a column made by for_each: its list (the areas rated)
    option: str | None = None  # ... and the code of that list this column stands for
    exclusive: tuple[str, ...] = ()  # options of a multiple choice that must stand alone
    not_before: NotBefore | None = None
    ends_membership: tuple[str, ...] = ()  # changes after which a State is no longer a member
    held_by_one: tuple[str, ...] = ()  # values only one respondent may give for the same ISCM


@dataclass(frozen=True)
class Table:
    """A list of things, answered one row per item on a sheet of its own."""

    id: str
    label: Localized
    sheet: Localized
    rows: int
    columns: tuple[Field, ...]
    help: Localized | None = None
    min_rows: int = 0
    unique: tuple[str, ...] = ()
    type: str = "table"
    role: str | None = None

    def column(self, column_id: str) -> Field:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)

    def columns_with_role(self, role: str) -> tuple[Field, ...]:
        return tuple(column for column in self.columns if column.role == role)

    @property
    def iscm_column(self) -> Field | None:
        """The column that names an ISCM, in a table with the role about_iscms."""
        return next((c for c in self.columns if c.choices == "iscms"), None)

    @property
    def state_column(self) -> Field | None:
        """The first column that names a State, in a table with the role membership_changes."""
        return next((c for c in self.columns if c.choices == "states"), None)

    @property
    def change_column(self) -> Field | None:
        """The column whose changes may end a membership (ends_membership)."""
        return next((c for c in self.columns if c.ends_membership), None)


Item = Field | Table


@dataclass(frozen=True)
class Migration:
    """How the answers to an earlier version become answers to this one (model/migration.py
    checks it against both versions and applies it). A key is a question id, or
    "table.column" for a column. Whatever keeps its id and meaning needs no entry."""

    from_version: int
    rename: Mapping[str, str] = field(default_factory=dict)  # old key -> new id
    map: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)
    # old key -> old code -> {new id: new code}: a choice that becomes other answers
    dropped: frozenset[str] = frozenset()  # old keys with no counterpart, on purpose


@dataclass(frozen=True)
class Section:
    id: str
    title: Localized
    sheet: Localized
    items: tuple[Item, ...]


@dataclass(frozen=True, eq=False)  # identity equality: one object per loaded definition
class Questionnaire:
    id: str
    version: int
    respondent: str  # the choice list that names who answers: iscms, states or igos
    title: Localized
    sections: tuple[Section, ...]
    respondents: Localized = field(default_factory=dict)  # who answers, e.g. "States"
    source: str = ""
    # The choice and reference lists this version prints: frozen ones once it has gone out.
    lists: ReferenceData | None = field(default=None, compare=False, repr=False)
    migration: Migration | None = None  # from the previous version
    _numbers: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section_index, section in enumerate(self.sections):
            for item_index, item in enumerate(section.items, start=1):
                self._numbers[item.id] = f"{section_index}.{item_index}"

    def items(self) -> Iterator[tuple[Section, Item]]:
        for section in self.sections:
            for item in section.items:
                yield section, item

    def fields(self) -> Iterator[Field]:
        for _, item in self.items():
            if isinstance(item, Field):
                yield item

    def tables(self) -> Iterator[Table]:
        for _, item in self.items():
            if isinstance(item, Table):
                yield item

    def item(self, item_id: str) -> Item:
        for _, item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def number(self, item_id: str) -> str:
        """The question's number as the workbook shows it, e.g. "1.4"."""
        return self._numbers[item_id]

    def applies(self, item_id: str, answers: Mapping[str, object]) -> bool | None:
        """Whether a question applies, given a return's answers: True; False when its condition
        (or the condition of a question it depends on) excludes it; None while the question
        its condition tests is unanswered, so that nobody can tell."""
        item = self.item(item_id)
        condition = item.relevant if isinstance(item, Field) else None
        if condition is None:
            return True
        if self.applies(condition.question, answers) is False:
            return False
        answer = answers.get(condition.question)
        if answer is None or answer == "" or answer == ():
            return None
        return condition.holds(answer)

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)

    def with_role(self, role: str) -> Item | None:
        """The question or table that plays a role (each role at most once)."""
        return next((item for _, item in self.items() if item.role == role), None)

    def field_with_role(self, role: str) -> Field | None:
        item = self.with_role(role)
        return item if isinstance(item, Field) else None

    def table_with_role(self, role: str) -> Table | None:
        item = self.with_role(role)
        return item if isinstance(item, Table) else None

    @property
    def reference(self) -> ReferenceData:
        """The lists this version prints (its dropdowns, rows and fingerprint)."""
        assert self.lists is not None, "a loaded questionnaire knows its lists"
        return self.lists

    @property
    def respondent_field(self) -> Field | None:
        """The question naming who answers (pre-filled with the respondent)."""
        return next((f for f in self.fields() if f.prefill == "respondent"), None)


def choice_list_name_for(kind: str, choices: str | None) -> str | None:
    return "yes_no" if kind == "yes_no" else choices


def choice_list_name(f: Field) -> str | None:
    return choice_list_name_for(f.type, f.choices)


# --- loading -------------------------------------------------------------------------------


class _Reader:
    """Turns one YAML document into the model, collecting every problem instead of the first."""

    def __init__(self, source: str, reference: ReferenceData) -> None:
        self.source = source
        self.reference = reference
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.source}, {where}: {message}")

    def localized(self, raw: Any, where: str, what: str, required: bool = True) -> Localized | None:
        if raw is None:
            if required:
                self.problem(where, f"{what} is missing; give it in {lang_list()}")
            return None
        if not isinstance(raw, dict):
            self.problem(where, f"{what} must give one text per language ({lang_list()})")
            return None
        texts: dict[str, str] = {}
        for lang in LANGS:
            text = raw.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.problem(where, f"{what} has no {LANG_NAMES[lang]} text ({lang}:)")
                continue
            if len(text) > EXCEL_CELL_MAX:
                self.problem(where, f"{what} in {LANG_NAMES[lang]} is longer than an Excel cell "
                                    f"holds ({EXCEL_CELL_MAX} characters)")
            texts[lang] = text.strip()
        extra = sorted(set(raw) - set(LANGS))
        if extra:
            self.problem(where, f"{what} has unknown language(s) {', '.join(map(str, extra))}; "
                                f"the languages are {', '.join(LANGS)}")
        return texts

    def integer(self, raw: Any, where: str, what: str) -> int | None:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int):
            self.problem(where, f"{what} must be a whole number, not {raw!r}")
            return None
        return raw

    def sheet_names(self, raw: Any, where: str) -> Localized | None:
        names = self.localized(raw, where, "the sheet name")
        for lang, name in (names or {}).items():
            problem = sheet_name_problem(name)
            if problem:
                self.problem(where, f"the {LANG_NAMES[lang]} sheet name: {problem}")
        return names

    def field(self, raw: dict[str, Any], where: str, in_table: bool) -> Field | None:
        known = {"id", "type", "label", "help", "required", "choices", "min", "max",
                 "max_length", "min_choices", "max_choices", "relevant", "prefill", "for_each",
                 "role", "personal", "exclusive", "not_before", "ends_membership",
                 "held_by_one"}
        for key in sorted(set(raw) - known):
            self.problem(where, f"unknown key {key!r}")
        kind = raw.get("type")
        allowed = COLUMN_TYPES if in_table else FIELD_TYPES
        if kind not in allowed:
            self.problem(where, f"type {kind!r} is not one of {', '.join(sorted(allowed))}")
            return None
        label = self.localized(raw.get("label"), where, "the label")
        help_text = self.localized(raw.get("help"), where, "the help text", required=False)
        choices = raw.get("choices")
        if kind in {"single_choice", "multiple_choice"}:
            if choices not in self.reference:
                self.problem(where, f"choice list {choices!r} does not exist; define it in "
                                    "schemas/choices.yaml or use one of: "
                                    + ", ".join(sorted(self.reference)))
        elif choices is not None:
            self.problem(where, f"a {kind} question takes no choice list")
        minimum = self.integer(raw.get("min"), where, "min")
        maximum = self.integer(raw.get("max"), where, "max")
        if kind in NUMBER_TYPES or kind == "date":
            if kind == "year":
                minimum = EARLIEST_YEAR if minimum is None else minimum
            if minimum is not None and maximum is not None and minimum > maximum:
                self.problem(where, f"min ({minimum}) is greater than max ({maximum})")
        elif minimum is not None or maximum is not None:
            self.problem(where, f"min and max apply to numbers and years, not to {kind}")
        max_length = self.integer(raw.get("max_length"), where, "max_length")
        if kind in TEXT_TYPES:
            max_length = max_length or DEFAULT_MAX_LENGTH[kind]
            if not 1 <= max_length <= EXCEL_CELL_MAX:
                self.problem(where, f"max_length must be from 1 to {EXCEL_CELL_MAX}, the most an "
                                    "Excel cell holds")
        elif max_length is not None:
            self.problem(where, f"max_length applies to text, not to {kind}")
        min_choices = self.integer(raw.get("min_choices"), where, "min_choices")
        max_choices = self.integer(raw.get("max_choices"), where, "max_choices")
        if kind != "multiple_choice" and (min_choices is not None or max_choices is not None):
            self.problem(where, "min_choices and max_choices apply to multiple choices only")
        if min_choices is not None and max_choices is not None and min_choices > max_choices:
            self.problem(where, f"min_choices ({min_choices}) is greater than max_choices "
                                f"({max_choices})")
        prefill = raw.get("prefill")
        if prefill is not None and prefill not in PREFILL_SOURCES:
            self.problem(where, f"prefill {prefill!r} is not one of "
                                + ", ".join(sorted(PREFILL_SOURCES)))
        required = raw.get("required", False)
        if not isinstance(required, bool):
            self.problem(where, f"required must be true or false, not {required!r}")
            required = False
        relevant = self.condition(raw.get("relevant"), where) if "relevant" in raw else None
        personal = raw.get("personal", False)
        if not isinstance(personal, bool):
            self.problem(where, f"personal must be true or false, not {personal!r}")
            personal = False
        role = self.role(raw.get("role"), where, "column" if in_table else "field", kind,
                         choices)
        if role == "value_ratings" and raw.get("for_each") is None:
            self.problem(where, "role value_ratings is for a column with for_each (a rating per "
                                "area)")
        codes = self._codes(choice_list_name_for(kind, choices))
        exclusive = self.codes_of(raw, "exclusive", where, kind, codes, {"multiple_choice"},
                                  "multiple choices")
        if exclusive and set(exclusive) == set(codes):
            self.problem(where, "exclusive: not every option can stand alone")
        column_only = {"single_choice"} if in_table else set()
        ends_membership = self.codes_of(raw, "ends_membership", where, kind, codes, column_only,
                                        "single-choice columns of a table")
        held_by_one = self.codes_of(raw, "held_by_one", where, kind, codes, column_only,
                                    "single-choice columns of a table")
        not_before = self.not_before(raw.get("not_before"), where, kind)
        if label is None:
            return None
        return Field(
            id=str(raw.get("id")), type=kind, label=label, help=help_text, required=required,
            choices=choices if kind in {"single_choice", "multiple_choice"} else None,
            min=minimum, max=maximum, max_length=max_length,
            min_choices=min_choices, max_choices=max_choices, relevant=relevant, prefill=prefill,
            codes=codes, role=role, personal=personal, exclusive=exclusive,
            not_before=not_before, ends_membership=ends_membership, held_by_one=held_by_one,
        )

    def codes_of(self, raw: dict[str, Any], key: str, where: str, kind: str,
                 codes: tuple[str, ...], types: set[str], what: str) -> tuple[str, ...]:
        """A list of codes of the question's own choice list (exclusive, held_by_one...)."""
        value = raw.get(key)
        if value is None:
            return ()
        if kind not in types:
            self.problem(where, f"{key} applies to {what}, not to this {kind} question")
            return ()
        values = value if isinstance(value, list) else [value]
        found = []
        for code in values:
            if not isinstance(code, str) or code not in codes:
                self.problem(where, f"{key}: {code!r} is not a code of its list "
                                    f"({', '.join(codes)})")
            else:
                found.append(code)
        return tuple(found)

    def not_before(self, raw: Any, where: str, kind: str) -> NotBefore | None:
        if raw is None:
            return None
        if kind != "year":
            self.problem(where, f"not_before applies to years, not to {kind}")
            return None
        if raw == ESTABLISHED:
            return NotBefore()
        if isinstance(raw, dict) and set(raw) == {"question"} and isinstance(
                raw["question"], str):
            return NotBefore(raw["question"])
        self.problem(where, f"not_before takes {ESTABLISHED} (the ISCM's year of "
                            "establishment in schemas/iscms.yaml) or {question: ID} (an earlier "
                            "year question)")
        return None

    def role(self, raw: Any, where: str, on: str, kind: str, choices: Any = None
             ) -> str | None:
        if raw is None:
            return None
        role = ROLES.get(raw) if isinstance(raw, str) else None
        if role is None:
            self.problem(where, f"role {raw!r} is not one of: "
                                + "; ".join(f"{r.name} ({r.meaning})" for r in ROLES.values()))
            return None
        if on not in role.on or kind not in role.types:
            self.problem(where, f"role {role.name} is for a {' or '.join(role.on)} of type "
                                f"{' or '.join(sorted(role.types))}, not a {on} of type {kind}")
            return None
        if role.name == "names_partners" and choices not in RESPONDENT_LISTS:
            self.problem(where, "role names_partners needs a respondents' list ("
                                + ", ".join(RESPONDENT_LISTS) + f"), not {choices!r}")
            return None
        return role.name

    def _codes(self, list_name: str | None) -> tuple[str, ...]:
        if list_name is None or list_name not in self.reference:
            return ()
        return self.reference[list_name].codes

    def condition(self, raw: Any, where: str) -> Condition | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("question"), str):
            self.problem(where, "relevant must name a question and a test, e.g. "
                                "{question: has_strategy, equals: \"yes\"}")
            return None
        operators = [op for op in CONDITION_OPERATORS if op in raw]
        if len(operators) != 1 or len(raw) != 2:
            self.problem(where, "relevant takes the question and exactly one of "
                                + ", ".join(CONDITION_OPERATORS))
            return None
        operator = operators[0]
        value = raw[operator]
        values = tuple(value) if isinstance(value, list) else (value,)
        if not values or not all(isinstance(v, str) for v in values):
            self.problem(where, f"relevant: {operator} takes choice codes written in quotes")
            return None
        return Condition(raw["question"], operator, values)

    def table(self, raw: dict[str, Any], where: str) -> Table | None:
        known = {"id", "type", "label", "help", "sheet", "rows", "min_rows", "unique", "columns",
                 "role"}
        for key in sorted(set(raw) - known):
            self.problem(where, f"unknown key {key!r}")
        label = self.localized(raw.get("label"), where, "the label")
        help_text = self.localized(raw.get("help"), where, "the help text", required=False)
        sheet = self.sheet_names(raw.get("sheet"), where)
        rows = self.integer(raw.get("rows"), where, "rows")
        if rows is None or not 1 <= rows <= MAX_TABLE_ROWS:
            self.problem(where, f"rows must be a whole number from 1 to {MAX_TABLE_ROWS}")
            rows = 1
        min_rows = self.integer(raw.get("min_rows"), where, "min_rows") or 0
        if min_rows > rows:
            self.problem(where, f"min_rows ({min_rows}) is greater than rows ({rows})")
        columns: list[Field] = []
        raw_columns = raw.get("columns")
        if not isinstance(raw_columns, list) or not raw_columns:
            self.problem(where, "a table needs a list of columns")
            raw_columns = []
        for raw_column in raw_columns:
            if not isinstance(raw_column, dict):
                self.problem(where, "each column must be a mapping with an id and a type")
                continue
            column_where = f"{where}, column {raw_column.get('id')!r}"
            if not isinstance(raw_column.get("id"), str) or not ID_PATTERN.match(raw_column["id"]):
                self.problem(column_where, "the id must be lower-case letters, digits and "
                                           "underscores, starting with a letter")
                continue
            if raw_column.get("prefill") == "respondent":
                self.problem(column_where,
                             "a table column cannot be pre-filled with the respondent")
            column = self.field(raw_column, column_where, in_table=True)
            if column is None:
                continue
            if column.relevant is not None and raw_column.get("for_each") is not None:
                self.problem(column_where, "a column with for_each cannot have a condition")
            columns.extend(self.expand(column, raw_column.get("for_each"), column_where))
        ids = [c.id for c in columns]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            self.problem(where, f"column id {duplicate!r} is used twice")
        unique = raw.get("unique") or []
        if not isinstance(unique, list) or not all(u in ids for u in unique):
            self.problem(where, f"unique must list column ids of this table ({', '.join(ids)})")
            unique = []
        role = self.role(raw.get("role"), where, "table", "table")
        if role == "about_iscms" and sum(1 for c in columns if c.choices == "iscms") != 1:
            self.problem(where, "role about_iscms needs exactly one column with the choice list "
                                "iscms (the ISCM each row speaks of)")
        if role == "membership_changes" and (
                not any(c.choices == "states" for c in columns)
                or sum(1 for c in columns if c.ends_membership) != 1):
            self.problem(where, "role membership_changes needs a column with the choice list "
                                "states (the first names the State a row is about) and one "
                                "column with ends_membership (the changes after which it is no "
                                "longer a member)")
        for column in columns:
            column_where = f"{where}, column {column.id!r}"
            if column.ends_membership and role != "membership_changes":
                self.problem(column_where, "ends_membership belongs in the table with the role "
                                           "membership_changes")
            if column.held_by_one and role != "about_iscms":
                self.problem(column_where, "held_by_one belongs in the table with the role "
                                           "about_iscms (its rows name the ISCM held for)")
            if column.not_before is not None and column.not_before.question is None and not any(
                    c.choices == "iscms" for c in columns):
                self.problem(column_where, f"not_before: {ESTABLISHED} needs a column naming "
                                           "the ISCM (choice list iscms) in the same table")
            self.column_condition(column, columns, column_where)
        if label is None or sheet is None:
            return None
        return Table(
            id=str(raw.get("id")), label=label, help=help_text, sheet=sheet, rows=rows,
            min_rows=min_rows, unique=tuple(unique), columns=tuple(columns), role=role,
        )

    def column_condition(self, column: Field, columns: list[Field], where: str) -> None:
        """A column's condition tests an earlier choice column of the same row."""
        condition = column.relevant
        if condition is None:
            return
        earlier = {c.id: c for c in columns[: columns.index(column)]}
        target = earlier.get(condition.question)
        if target is None:
            self.problem(where, f"relevant names {condition.question!r}, which is not an "
                                "earlier column of this table")
            return
        if target.type not in CHOICE_TYPES - {"multiple_choice"} or condition.operator not in (
                "equals", "in"):
            self.problem(where, f"relevant must test the choice column {target.id!r} with "
                                "equals or in")
            return
        for value in condition.values:
            if value not in target.codes:
                self.problem(where, f"relevant tests {target.id!r} for {value!r}, which is not "
                                    f"a code of its list ({', '.join(target.codes)})")

    def expand(self, column: Field, for_each: Any, where: str) -> list[Field]:
        """A column with `for_each: LIST` becomes one column per choice of that list."""
        if for_each is None:
            return [column]
        if for_each not in self.reference:
            self.problem(where, f"for_each names the list {for_each!r}, which does not exist")
            return []
        return [
            Field(
                id=f"{column.id}_{choice.code}", type=column.type,
                label={lang: f"{column.label[lang]} {choice.labels[lang]}" for lang in LANGS},
                help=column.help, required=column.required, choices=column.choices,
                min=column.min, max=column.max, max_length=column.max_length,
                codes=column.codes, role=column.role, personal=column.personal,
                group=for_each, option=choice.code, not_before=column.not_before,
            )
            for choice in self.reference[for_each].choices
        ]

    def questionnaire(self, raw: Any) -> Questionnaire | None:
        if not isinstance(raw, dict):
            self.problems.append(f"{self.source}: expected a questionnaire (id, version, title, "
                                 "sections)")
            return None
        qid = raw.get("id")
        version = raw.get("version")
        if not isinstance(qid, str) or not ID_PATTERN.match(qid):
            self.problem("top", f"id {qid!r} must be lower-case letters, digits and underscores")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.problem("top", f"version {version!r} must be a whole number from 1")
        respondent = raw.get("respondent")
        if respondent not in RESPONDENT_LISTS:
            self.problem("top", f"respondent {respondent!r} must be one of "
                                + ", ".join(RESPONDENT_LISTS))
        title = self.localized(raw.get("title"), "top", "the title")
        respondents = self.localized(raw.get("respondents"), "top",
                                     "respondents (who answers, in the plural, e.g. States)")
        sections: list[Section] = []
        raw_sections = raw.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.problem("top", "a questionnaire needs a list of sections")
            raw_sections = []
        for index, raw_section in enumerate(raw_sections):
            section = self.section(raw_section, index)
            if section:
                sections.append(section)
        if self.problems or title is None or respondents is None:
            return None
        assert isinstance(qid, str) and isinstance(version, int) and isinstance(respondent, str)
        migration = self.migration(raw.get("migration"))
        questionnaire = Questionnaire(qid, version, respondent, title, tuple(sections),
                                      respondents, self.source, self.reference, migration)
        self.cross_checks(questionnaire)
        return questionnaire if not self.problems else None

    def migration(self, raw: Any) -> Migration | None:
        """The migration block, read as it is written; checked against both versions once
        every definition is loaded."""
        if raw is None:
            return None
        where = "migration"
        if not isinstance(raw, dict):
            self.problem(where, "expected from_version, and rename, map or dropped")
            return None
        for key in sorted(set(raw) - {"from_version", "rename", "map", "dropped"}):
            self.problem(where, f"unknown key {key!r}")
        from_version = self.integer(raw.get("from_version"), where, "from_version")
        rename = raw.get("rename") or {}
        if not isinstance(rename, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in rename.items()):
            self.problem(where, "rename takes {old id: new id}")
            rename = {}
        mapped: dict[str, dict[str, dict[str, str]]] = {}
        raw_map = raw.get("map") or {}
        if not isinstance(raw_map, dict):
            self.problem(where, "map takes {old id: {old code: {new id: new code}}}")
            raw_map = {}
        for key, codes in raw_map.items():
            if not isinstance(codes, dict) or not all(
                    isinstance(code, str) and isinstance(target, dict) and all(
                        isinstance(k, str) and isinstance(v, str) for k, v in target.items())
                    for code, target in codes.items()):
                self.problem(f"{where}, map {key!r}", "give each old code as "
                             "{new id: new code, ...} (codes in quotes), or {} for none")
                continue
            mapped[str(key)] = {code: dict(target) for code, target in codes.items()}
        dropped = raw.get("dropped") or []
        if not isinstance(dropped, list) or not all(isinstance(d, str) for d in dropped):
            self.problem(where, "dropped takes a list of old ids")
            dropped = []
        if from_version is None:
            self.problem(where, "from_version must name the previous version")
            return None
        return Migration(from_version, dict(rename), mapped, frozenset(dropped))

    def section(self, raw: Any, index: int) -> Section | None:
        where = f"section {index}"
        if not isinstance(raw, dict):
            self.problem(where, "a section must be a mapping with id, title, sheet, questions")
            return None
        where = f"section {raw.get('id', index)!r}"
        title = self.localized(raw.get("title"), where, "the title")
        sheet = self.sheet_names(raw.get("sheet"), where)
        items: list[Item] = []
        raw_items = raw.get("questions")
        if not isinstance(raw_items, list) or not raw_items:
            self.problem(where, "a section needs a list of questions")
            raw_items = []
        for raw_item in raw_items:
            if not isinstance(raw_item, dict):
                self.problem(where, "each question must be a mapping with an id and a type")
                continue
            item_id = raw_item.get("id")
            item_where = f"question {item_id!r}"
            if not isinstance(item_id, str) or not ID_PATTERN.match(item_id):
                self.problem(item_where, "the id must be lower-case letters, digits and "
                                         "underscores, starting with a letter")
                continue
            item: Item | None
            if raw_item.get("type") == "table":
                item = self.table(raw_item, item_where)
            else:
                item = self.field(raw_item, item_where, in_table=False)
            if item:
                items.append(item)
        if title is None or sheet is None:
            return None
        return Section(str(raw.get("id", index)), title, sheet, tuple(items))

    def cross_checks(self, q: Questionnaire) -> None:
        self.role_checks(q)
        seen: dict[str, int] = {}
        for _, item in q.items():
            seen[item.id] = seen.get(item.id, 0) + 1
        for item_id, count in seen.items():
            if count > 1:
                self.problem(f"question {item_id!r}", f"the id is used {count} times; ids must "
                                                      "be unique in a questionnaire")
        for lang in LANGS:
            sheets: dict[str, str] = {}
            for owner, names in [(s.id, s.sheet) for s in q.sections] + [
                (t.id, t.sheet) for t in q.tables()
            ]:
                folded = names[lang].casefold()
                if folded in sheets:
                    self.problem(f"{owner!r}", f"the {LANG_NAMES[lang]} sheet name "
                                               f"{names[lang]!r} is also used by {sheets[folded]!r}"
                                               " (Excel ignores case in sheet names)")
                sheets[folded] = owner
        order = {item.id: position for position, (_, item) in enumerate(q.items())}
        self.year_checks(q, order)
        for f in q.fields():
            if f.prefill == "respondent" and choice_list_name(f) != q.respondent:
                self.problem(f"question {f.id!r}", f"prefill: respondent needs the choice list "
                                                   f"{q.respondent!r}, the respondents' list")
            if f.relevant is None:
                continue
            where = f"question {f.id!r}"
            target_id = f.relevant.question
            if target_id not in order:
                self.problem(where, f"relevant names the question {target_id!r}, which does "
                                    "not exist in this questionnaire")
                continue
            if order[target_id] >= order[f.id]:
                self.problem(where, f"relevant names {target_id!r}, which comes later; a "
                                    "condition must depend on an earlier question")
                continue
            target = q.item(target_id)
            if not isinstance(target, Field) or target.type not in CHOICE_TYPES:
                self.problem(where, f"relevant names {target_id!r}, which is not a choice "
                                    "question")
                continue
            expected = "includes" if target.type == "multiple_choice" else ("equals", "in")
            if f.relevant.operator not in expected:
                self.problem(where, f"relevant: {f.relevant.operator} does not fit a "
                                    f"{target.type} question; use "
                                    + (expected if isinstance(expected, str)
                                       else " or ".join(expected)))
            list_name = choice_list_name(target)
            codes = self.reference[list_name].codes if list_name else ()
            for value in f.relevant.values:
                if value not in codes:
                    self.problem(where, f"relevant tests {target_id!r} for {value!r}, which is "
                                        f"not a code of its list ({', '.join(codes)})")


    def year_checks(self, q: Questionnaire, order: Mapping[str, int]) -> None:
        """A year that may not be earlier than another: what it is compared with exists."""
        for _, item in q.items():
            for f in item.columns if isinstance(item, Table) else (item,):
                bound = f.not_before
                if bound is None:
                    continue
                where = f"question {item.id!r}" + (
                    f", column {f.id!r}" if isinstance(item, Table) else "")
                if bound.question is None:
                    if not isinstance(item, Table) and q.respondent != "iscms":
                        self.problem(where, f"not_before: {ESTABLISHED} on a question needs a "
                                            "questionnaire answered by ISCMs")
                    continue
                other = next((o for o in q.fields() if o.id == bound.question), None)
                if other is None or other.type != "year":
                    self.problem(where, f"not_before names {bound.question!r}, which is not a "
                                        "year question of this questionnaire")
                elif order[other.id] >= order[item.id]:
                    self.problem(where, f"not_before names {bound.question!r}, which comes "
                                        "later; compare with an earlier question")

    def role_checks(self, q: Questionnaire) -> None:
        """Each role at most once; the roles the outputs need, where they need them."""
        holders: dict[str, list[str]] = {}
        for _, item in q.items():
            if item.role:
                holders.setdefault(item.role, []).append(item.id)
            if isinstance(item, Table):
                groups = {(c.role, c.group) for c in item.columns if c.role}
                for role, _group in groups:
                    assert role is not None
                    holders.setdefault(role, []).append(item.id)
        for role, ids in holders.items():
            if q.respondent != "iscms" and role in {"established", "names_partners",
                                                     "membership_changes"}:
                self.problem(f"role {role}", "belongs in the questionnaire ISCMs answer "
                                             "(respondent: iscms)")
            if len(set(ids)) > 1 and not ROLES[role].many:
                self.problem(f"role {role}", f"given to {', '.join(sorted(set(ids)))}; a role "
                                             "belongs to one question")
        if "completion_date" not in holders:
            self.problem("top", "no question has the role completion_date (a date question: "
                                "when the return was completed); the latest return of a "
                                "respondent is chosen by it. Add `role: completion_date` to it")
        if q.respondent != "iscms" and "about_iscms" not in holders:
            self.problem("top", "no table has the role about_iscms (the table in which the "
                                "respondent names the ISCMs it speaks of); without it what "
                                f"the {q.respondent} say cannot be joined to each ISCM. Add "
                                "`role: about_iscms` to that table")
        if sum(1 for f in q.fields() if f.prefill == "respondent") != 1:
            self.problem("top", "exactly one question must name who answers, with "
                                f"`prefill: respondent` and the choice list {q.respondent!r}")


def load_questionnaire(path: Path, reference: ReferenceData) -> Questionnaire:
    """Load and check one definition; raise DefinitionError naming the file and the question."""
    named = FILE_PATTERN.match(path.name)
    if named:  # a version that has gone out prints the lists it was sent with
        reference = reference.for_questionnaire(named["id"], int(named["version"]))
    reader = _Reader(path.name, reference)
    raw = load_yaml(path, reader.problems)
    questionnaire = None if reader.problems else reader.questionnaire(raw)
    if questionnaire is None:
        raise DefinitionError(reader.problems or [f"{path.name}: cannot be loaded"])
    match = FILE_PATTERN.match(path.name)
    if not match or (match["id"], int(match["version"])) != questionnaire.key:
        raise DefinitionError([
            f"{path.name}: a definition's file is named <id>-<version>.yaml; this one declares "
            f"id {questionnaire.id!r} and version {questionnaire.version}, so name it "
            f"{questionnaire.id}-{questionnaire.version}.yaml"
        ])
    return questionnaire


def specification_of(questionnaire: Questionnaire, choice: Field, code: str,
                     table: Table | None = None) -> Field | None:
    """The text question (or, in a table, the text column of the same row) that asks to
    specify a choice, e.g. "Other (specify)", if there is one."""
    candidates = table.columns if table is not None else tuple(questionnaire.fields())
    for f in candidates:
        condition = f.relevant
        if (f.type in TEXT_TYPES and condition is not None
                and condition.question == choice.id and condition.values == (code,)):
            return f
    return None


def unspecified_others(questionnaire: Questionnaire) -> list[str]:
    """Each choice offering "other" must have its question (or column) asking what: a problem
    for a questionnaire that is sent. Older versions, already sent, keep what they had."""
    problems = []
    for _, item in questionnaire.items():
        table = item if isinstance(item, Table) else None
        for f in item.columns if isinstance(item, Table) else (item,):
            if OTHER in f.codes and f.prefill != "respondent" and specification_of(
                    questionnaire, f, OTHER, table) is None:
                where = f"question {item.id!r}" + (f", column {f.id!r}" if table else "")
                test = "includes" if f.type == "multiple_choice" else "equals"
                problems.append(
                    f"{questionnaire.source}, {where}: its list offers {OTHER!r} but nothing "
                    f"asks what: add a text {'column' if table else 'question'} with "
                    f"relevant: {{question: {f.id}, {test}: \"{OTHER}\"}}")
    return problems
