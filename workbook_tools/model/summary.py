"""The draft summaries as data: which sentence is said when, from which answers (summary.yaml),
and the sentences themselves, one Project Fluent file per language (summary-<lang>.ftl).

Loading checks each file on its own; `check_against` then checks the specification against the
questionnaire answered by ISCMs: every question, table and column it names exists and has a type
that fits, every message exists in every language, and every variable a message uses is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_tools.errors import DefinitionError
from workbook_tools.model.languages import LANG_NAMES, LANGS
from workbook_tools.model.questionnaire import (
    CHOICE_TYPES,
    Field,
    Questionnaire,
    Table,
    choice_list_name,
)
from workbook_tools.model.yamlfile import load_yaml_mapping

SPEC_FILE = "summary.yaml"
OPERATORS = ("equals", "in", "includes")
# The messages the drafts' frame uses whatever summary.yaml says, and the variables each gets.
FRAME_MESSAGES: Mapping[str, frozenset[str]] = {
    "organization": frozenset(), "division": frozenset(), "title": frozenset(),
    "all-title": frozenset(), "purpose": frozenset({"year"}), "counts": frozenset(),
    "outline": frozenset(), "draft-note": frozenset(), "name-line": frozenset(),
    "name-line-name": frozenset({"full", "short"}),
    "missing-iscm": frozenset({"name", "of_name", "to_name", "short", "name_gender",
                               "name_number"}),
    "missing-section": frozenset({"name", "of_name", "to_name", "short", "name_gender",
                                  "name_number"}),
    # an ISCM whose return came in but is not usable (the master tracker's states)
    **{message: frozenset({"name", "of_name", "to_name", "short", "name_gender", "name_number"})
       for message in ("missing-iscm-invalid", "missing-iscm-rejected",
                       "missing-iscm-conflicting", "missing-section-pending")},
    "quote": frozenset({"text"}),
    "number-word": frozenset({"n"}), "generic-answer": frozenset({"question", "answer"}),
    # a State, ISCM or IGO in a sentence, from its grammar (schemas/): with its article, after
    # "of", after "to", bare; an acronym spelled out at first use
    "name-the": frozenset({"name", "article", "elision"}),
    "name-of": frozenset({"name", "article", "elision"}),
    "name-to": frozenset({"name", "article", "elision"}),
    "name-bare": frozenset({"name", "article", "elision"}),
    "name-spelled-out": frozenset({"spelled", "acronym"}),
    # the editor's note on a quotation in another language than the draft's
    "translation-needed": frozenset({"language"}),
    "language-en": frozenset(), "language-fr": frozenset(), "language-es": frozenset(),
    # the header of every page
    "page-header": frozenset(), "page-footer": frozenset(),
}
# given to every sentence: the ISCM the draft is about
ISCM_VARIABLES = frozenset({"name", "of_name", "to_name", "short", "name_gender",
                            "name_number"})


def messages_file(lang: str) -> str:
    return f"summary-{lang}.ftl"


# --- the specification ---------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """A question answered (operator "answered"), or its answer tested."""

    question: str
    operator: str = "answered"
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A question's answer, less some choices."""

    question: str
    without: tuple[str, ...] = ()
    join: str | None = None  # None: as a list ("a, b and c")


@dataclass(frozen=True)
class ColumnValues:
    """The values of a table's column, across its rows."""

    table: str
    column: str


@dataclass(frozen=True)
class Phrases:
    """One phrase per group of a table's rows alike in the `by` columns."""

    table: str
    by: tuple[str, ...]
    say: str
    columns: Mapping[str, str]  # variable -> column
    optional: frozenset[str] = frozenset()
    join: str | None = None  # None: as a list ("a, b and c")


@dataclass(frozen=True)
class Said:
    """A short message, said when its condition holds (a part of a list)."""

    say: str
    when: When | None


@dataclass(frozen=True)
class Parts:
    """The parts that apply, as a list."""

    parts: tuple[Answer | Said, ...]


@dataclass(frozen=True)
class TopRated:
    """In a row of a respondent's table: the areas it rated best, when that is good enough."""

    role: str
    at_least: str


@dataclass(frozen=True)
class RowColumn:
    """In a row of a table: the value of one of its columns."""

    column: str


Value = Answer | ColumnValues | Phrases | Parts | TopRated | RowColumn


@dataclass(frozen=True)
class Sentence:
    say: str
    values: Mapping[str, Value] = field(default_factory=dict)
    when: When | None = None
    optional: frozenset[str] = frozenset()
    each_row: str | None = None  # a table: one sentence per row, `values` name its columns


@dataclass(frozen=True)
class First:
    """The first of several sentences whose condition holds."""

    options: tuple[Sentence, ...]


Statement = Sentence | First
Paragraph = tuple[Statement, ...]


@dataclass(frozen=True)
class Voices:
    """What the respondents of another questionnaire said about the ISCM."""

    questionnaire: str
    intro: Sentence | None
    none: Sentence | None
    each: tuple[Sentence, ...]
    members: tuple[str, tuple[str, ...]] | None = None  # a column, and the codes of members


@dataclass(frozen=True)
class DraftSection:
    section: str
    paragraphs: tuple[Paragraph, ...]
    voices: tuple[Voices, ...] = ()


@dataclass(frozen=True, eq=False)
class DraftSpec:
    """The drafts' specification and their sentences: Fluent source text by language."""

    sections: tuple[DraftSection, ...]
    leave_out: frozenset[str]  # sections not drafted
    messages: Mapping[str, str]  # lang -> Fluent source
    message_variables: Mapping[str, Mapping[str, frozenset[str]]]  # lang -> id -> variables
    folder: Path

    def section(self, section_id: str) -> DraftSection | None:
        return next((s for s in self.sections if s.section == section_id), None)


# --- reading summary.yaml ------------------------------------------------------------------


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.source}, {where}: {message}")

    def when(self, raw: Any, where: str) -> When | None:
        if raw is None:
            return None
        if isinstance(raw, str):
            return When(raw)
        if isinstance(raw, dict) and isinstance(raw.get("question"), str):
            operators = [op for op in OPERATORS if op in raw]
            if len(operators) == 1 and len(raw) == 2:
                value = raw[operators[0]]
                values = tuple(value) if isinstance(value, list) else (value,)
                if all(isinstance(v, str) for v in values):
                    return When(raw["question"], operators[0], values)
        self.problem(where, "when takes a question id, or {question: ID, equals: CODE} (or in: "
                            "[CODES], includes: CODE), codes written in quotes")
        return None

    def value(self, raw: Any, where: str, in_row: bool) -> Value | None:
        if isinstance(raw, str):
            return RowColumn(raw) if in_row else Answer(raw)
        if not isinstance(raw, dict):
            self.problem(where, f"cannot read {raw!r} as a value")
            return None
        if "top_rated" in raw:
            return TopRated(str(raw["top_rated"]), str(raw.get("at_least", "")))
        if "parts" in raw and isinstance(raw["parts"], list):
            parts: list[Answer | Said] = []
            for index, part in enumerate(raw["parts"], start=1):
                if isinstance(part, dict) and "say" in part:
                    parts.append(Said(str(part["say"]),
                                      self.when(part.get("when"), f"{where}, part {index}")))
                else:
                    found = self.value(part, f"{where}, part {index}", in_row=False)
                    if isinstance(found, Answer):
                        parts.append(found)
                    elif found is not None:
                        self.problem(where, "parts are answers or {say: MESSAGE, when: ...}")
            return Parts(tuple(parts))
        if "table" in raw and "column" in raw:
            return ColumnValues(str(raw["table"]), str(raw["column"]))
        if "table" in raw and "say" in raw:
            columns = raw.get("with") or {}
            by = raw.get("by") or []
            if not isinstance(columns, dict) or not isinstance(by, list):
                self.problem(where, "a phrase per group takes by: [COLUMNS] and with: "
                                    "{VARIABLE: COLUMN}")
                return None
            return Phrases(str(raw["table"]), tuple(map(str, by)), str(raw["say"]),
                           {str(k): str(v) for k, v in columns.items()},
                           frozenset(map(str, raw.get("optional") or ())),
                           None if raw.get("join") is None else str(raw["join"]))
        if "question" in raw:
            return Answer(str(raw["question"]), tuple(map(str, raw.get("without") or ())),
                          None if raw.get("join") is None else str(raw["join"]))
        self.problem(where, f"cannot read {raw!r} as a value: give a question id, "
                            "{question: ID, without: [...]}, {table: ID, column: ID}, "
                            "{table: ID, by: [...], say: MESSAGE, with: {...}} or {parts: [...]}")
        return None

    def sentence(self, raw: Any, where: str, in_row: bool = False) -> Statement | None:
        if not isinstance(raw, dict):
            self.problem(where, "a sentence is a mapping with say: (or first:)")
            return None
        if "first" in raw:
            options = [self.sentence(option, f"{where}, option {index}", in_row)
                       for index, option in enumerate(raw["first"] or [], start=1)]
            found = tuple(o for o in options if isinstance(o, Sentence))
            return First(found) if found else None
        say = raw.get("say")
        if not isinstance(say, str):
            self.problem(where, "a sentence needs say: MESSAGE (a message of the .ftl files)")
            return None
        unknown = sorted(set(raw) - {"say", "with", "when", "optional", "each_row"})
        if unknown:
            self.problem(where, f"unknown key(s) {', '.join(unknown)}")
        each_row = raw.get("each_row")
        raw_values = raw.get("with") or {}
        if not isinstance(raw_values, dict):
            self.problem(where, "with: takes {VARIABLE: VALUE}")
            raw_values = {}
        values: dict[str, Value] = {}
        for name, value in raw_values.items():
            parsed = self.value(value, f"{where}, {name}", in_row or each_row is not None)
            if parsed is not None:
                values[str(name)] = parsed
        return Sentence(say, values, self.when(raw.get("when"), where),
                        frozenset(map(str, raw.get("optional") or ())),
                        None if each_row is None else str(each_row))

    def voices(self, raw: Any, where: str) -> Voices | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("questionnaire"), str):
            self.problem(where, "voices name the questionnaire whose respondents speak "
                                "(questionnaire: ID)")
            return None
        intro = self.sentence(raw["intro"], f"{where}, intro") if raw.get("intro") else None
        none = self.sentence(raw["none"], f"{where}, none") if raw.get("none") else None
        each = [self.sentence(s, f"{where}, each {i}", in_row=True)
                for i, s in enumerate(raw.get("each") or [], start=1)]
        members = None
        raw_members = raw.get("members")
        if raw_members is not None:
            if (isinstance(raw_members, dict) and isinstance(raw_members.get("column"), str)
                    and isinstance(raw_members.get("in"), list)):
                members = (raw_members["column"], tuple(map(str, raw_members["in"])))
            else:
                self.problem(where, "members takes {column: COLUMN, in: [CODES]}: the column "
                                    "saying a respondent's status, and the codes of members")
        return Voices(raw["questionnaire"], intro if isinstance(intro, Sentence) else None,
                      none if isinstance(none, Sentence) else None,
                      tuple(s for s in each if isinstance(s, Sentence)), members)

    def spec(self, raw: Mapping[str, Any]) -> tuple[DraftSection, ...]:
        sections = []
        raw_sections = raw.get("sections")
        if not isinstance(raw_sections, list):
            self.problem("sections", "expected a list of the sections the drafts summarize")
            return ()
        for index, raw_section in enumerate(raw_sections, start=1):
            if not isinstance(raw_section, dict) or not isinstance(raw_section.get("section"),
                                                                    str):
                self.problem(f"section {index}", "expected section: ID and paragraphs")
                continue
            where = f"section {raw_section['section']!r}"
            paragraphs = []
            for p_index, raw_paragraph in enumerate(raw_section.get("paragraphs") or [], 1):
                if not isinstance(raw_paragraph, list):
                    self.problem(f"{where}, paragraph {p_index}", "a paragraph is a list of "
                                                                  "sentences")
                    continue
                statements = [self.sentence(s, f"{where}, paragraph {p_index}, sentence {i}")
                              for i, s in enumerate(raw_paragraph, start=1)]
                paragraphs.append(tuple(s for s in statements if s is not None))
            voices = [self.voices(v, f"{where}, voices {i}")
                      for i, v in enumerate(raw_section.get("voices") or [], start=1)]
            sections.append(DraftSection(raw_section["section"], tuple(paragraphs),
                                         tuple(v for v in voices if v is not None)))
        return tuple(sections)


def load_draft_spec(folder: Path) -> DraftSpec:
    """Read summary.yaml and the Fluent files; raise DefinitionError listing every problem."""
    raw = load_yaml_mapping(folder / SPEC_FILE, "the drafts' sections (sections: ...)")
    reader = _Reader(SPEC_FILE)
    sections = reader.spec(raw)
    leave_out = raw.get("leave_out") or []
    if not isinstance(leave_out, list) or not all(isinstance(s, str) for s in leave_out):
        reader.problem("leave_out", "expected a list of section ids")
        leave_out = []
    messages: dict[str, str] = {}
    variables: dict[str, dict[str, frozenset[str]]] = {}
    for lang in LANGS:
        path = folder / messages_file(lang)
        try:
            messages[lang] = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            reader.problems.append(f"{path}: missing; the drafts' sentences in "
                                   f"{LANG_NAMES[lang]} (copy the bundled one)")
            continue
        except (OSError, UnicodeDecodeError) as exc:
            reader.problems.append(f"{path.name}: cannot be read as UTF-8 text ({exc})")
            continue
        variables[lang] = _fluent_variables(messages[lang], path.name, reader.problems)
    if reader.problems:
        raise DefinitionError(reader.problems)
    return DraftSpec(sections, frozenset(leave_out), messages, variables, folder)


def _fluent_variables(source: str, name: str, problems: list[str]) -> dict[str, frozenset[str]]:
    """Each message of a Fluent file, with the variables it uses (through the messages it
    refers to as well); syntax errors are problems."""
    from fluent.syntax import FluentParser, ast, visitor

    resource = FluentParser().parse(source)
    direct: dict[str, set[str]] = {}
    references: dict[str, set[str]] = {}

    class _Collect(visitor.Visitor):
        def __init__(self) -> None:
            super().__init__()
            self.variables: set[str] = set()
            self.messages: set[str] = set()

        def visit_VariableReference(self, node: Any) -> None:
            self.variables.add(node.id.name)

        def visit_MessageReference(self, node: Any) -> None:
            self.messages.add(node.id.name)

    for entry in resource.body:
        if isinstance(entry, ast.Junk):
            line = source.count("\n", 0, entry.span.start) + 1 if entry.span else 0
            annotation = entry.annotations[0].message if entry.annotations else "syntax error"
            problems.append(f"{name}, line {line}: not valid Fluent ({annotation})")
        elif isinstance(entry, ast.Message):
            collect = _Collect()
            collect.visit(entry)
            direct[entry.id.name] = collect.variables
            references[entry.id.name] = collect.messages

    def closure(message: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        found = set(direct.get(message, ()))
        for other in references.get(message, ()):
            if other not in seen:
                found |= closure(other, seen | {message})
        return frozenset(found)

    return {message: closure(message) for message in direct}


# --- the specification against the questionnaire -------------------------------------------


def check_against(spec: DraftSpec, questionnaire: Questionnaire,
                  voices_of: Mapping[str, Questionnaire]) -> list[str]:
    """What in the specification does not fit the ISCM questionnaire (and the questionnaires
    whose respondents' voices it quotes: all the survey's questionnaires, by id), each problem
    naming the file and where to fix it."""
    checker = _Checker(spec, questionnaire)
    for message, needed in FRAME_MESSAGES.items():
        # the counts of returns come by questionnaire: $state, $iscm, $igo
        given = frozenset(voices_of) if message == "counts" else needed
        checker.message(message, given, "the drafts' frame")
    sections = {section.id for section in questionnaire.sections}
    for section_id in sorted(spec.leave_out - sections):
        checker.problem("leave_out", f"the ISCM questionnaire ({questionnaire.source}) has no "
                                     f"section {section_id!r}")
    for section in spec.sections:
        where = f"section {section.section!r}"
        if section.section not in sections:
            checker.problem(where, f"the ISCM questionnaire ({questionnaire.source}) has no "
                                   f"section {section.section!r}; its sections are "
                                   + ", ".join(sorted(sections)))
        for p_index, paragraph in enumerate(section.paragraphs, start=1):
            for s_index, statement in enumerate(paragraph, start=1):
                options = statement.options if isinstance(statement, First) else (statement,)
                for sentence in options:
                    checker.sentence(sentence, f"{where}, paragraph {p_index}, sentence "
                                               f"{s_index} ({sentence.say})")
        for voices in section.voices:
            other = voices_of.get(voices.questionnaire)
            table = other.table_with_role("about_iscms") if other else None
            vwhere = f"{where}, voices of {voices.questionnaire!r}"
            if other is None or table is None:
                checker.problem(vwhere, f"no questionnaire {voices.questionnaire!r} with a "
                                        "table that has the role about_iscms")
                continue
            if voices.members is not None:
                column_id, codes = voices.members
                column = next((c for c in table.columns if c.id == column_id), None)
                if column is None:
                    checker.problem(vwhere, f"members: the table {table.id!r} has no column "
                                            f"{column_id!r}")
                else:
                    for code in codes:
                        if code not in column.codes:
                            checker.problem(vwhere, f"members: {code!r} is not a code of "
                                                    f"{column_id!r}")
            for framing in (voices.intro, voices.none):
                if framing is not None:
                    checker.message(framing.say, frozenset({"count", "count_word", "members"})
                                    | _given({"names": None}) | ISCM_VARIABLES, vwhere)
            for sentence in voices.each:
                checker.row_sentence(sentence, table, f"{vwhere}, {sentence.say}",
                                     extra=_given({"who": None}))
    return checker.problems


class _Checker:
    def __init__(self, spec: DraftSpec, questionnaire: Questionnaire) -> None:
        self.spec, self.questionnaire = spec, questionnaire
        self.problems: list[str] = []
        self.fields = {f.id: f for f in questionnaire.fields()}
        self.tables = {t.id: t for t in questionnaire.tables()}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{SPEC_FILE}, {where}: {message}")

    def message(self, message: str, given: frozenset[str], where: str) -> None:
        for lang in LANGS:
            found = self.spec.message_variables.get(lang, {})
            if message not in found:
                self.problems.append(f"{messages_file(lang)}: no message {message!r} "
                                     f"(used by {where})")
                continue
            unknown = sorted(found[message] - given)
            if unknown:
                self.problems.append(
                    f"{messages_file(lang)}, message {message!r}: uses "
                    + ", ".join(f"${v}" for v in unknown) + f", which {where} does not give "
                    f"(it gives {', '.join('$' + v for v in sorted(given)) or 'nothing'})")

    def question(self, question_id: str, where: str) -> Field | None:
        found = self.fields.get(question_id)
        if found is None:
            self.problem(where, f"the ISCM questionnaire ({self.questionnaire.source}) has no "
                                f"question {question_id!r}; rename it here, or leave the "
                                "sentence out")
        return found

    def when(self, when: When | None, where: str) -> None:
        if when is None:
            return
        question = self.question(when.question, where)
        if question is None or when.operator == "answered":
            return
        list_name = choice_list_name(question)
        if question.type not in CHOICE_TYPES or list_name is None:
            self.problem(where, f"when tests {when.question!r}, which is not a choice question")
            return
        for value in when.values:
            if value not in question.codes:
                self.problem(where, f"when tests {when.question!r} for {value!r}, not one of "
                                    f"its codes ({', '.join(question.codes)})")

    def value(self, name: str, value: Value, where: str) -> None:
        where = f"{where}, {name}"
        if isinstance(value, Answer):
            question = self.question(value.question, where)
            if question is not None:
                for code in value.without:
                    if code not in question.codes:
                        self.problem(where, f"without: {code!r} is not a code of "
                                            f"{value.question!r}")
        elif isinstance(value, Parts):
            for part in value.parts:
                if isinstance(part, Said):
                    self.when(part.when, where)
                    self.message(part.say, ISCM_VARIABLES, where)
                else:
                    self.value(name, part, where)
        elif isinstance(value, ColumnValues):
            self.column(value.table, value.column, where)
        elif isinstance(value, Phrases):
            table = self.table(value.table, where)
            if table is not None:
                for column in (*value.by, *value.columns.values()):
                    self.column(value.table, column, where)
                given = _given(value.columns) | ISCM_VARIABLES
                self.message(value.say, given, where)
        else:
            self.problem(where, "only a sentence about a row (each_row, voices) takes a "
                                "column or top_rated")

    def table(self, table_id: str, where: str) -> Table | None:
        found = self.tables.get(table_id)
        if found is None:
            self.problem(where, f"the ISCM questionnaire has no table {table_id!r}")
        return found

    def column(self, table_id: str, column_id: str, where: str) -> None:
        table = self.table(table_id, where)
        if table is not None and column_id not in {c.id for c in table.columns}:
            self.problem(where, f"the table {table_id!r} has no column {column_id!r}")

    def sentence(self, sentence: Sentence, where: str) -> None:
        self.when(sentence.when, where)
        if sentence.each_row is not None:
            table = self.table(sentence.each_row, where)
            if table is not None:
                self.row_sentence(sentence, table, where)
            return
        for name, value in sentence.values.items():
            self.value(name, value, where)
        self.message(sentence.say, _given(sentence.values) | ISCM_VARIABLES, where)

    def row_sentence(self, sentence: Sentence, table: Table, where: str,
                     extra: frozenset[str] = frozenset()) -> None:
        columns = {c.id for c in table.columns}
        for name, value in sentence.values.items():
            if isinstance(value, RowColumn) and value.column not in columns:
                self.problem(f"{where}, {name}", f"the table {table.id!r} has no column "
                                                 f"{value.column!r}")
            elif isinstance(value, TopRated) and not table.columns_with_role(value.role):
                self.problem(f"{where}, {name}", f"no column of {table.id!r} has the role "
                                                 f"{value.role}")
            elif not isinstance(value, RowColumn | TopRated):
                self.problem(f"{where}, {name}", "a sentence about a row takes its columns "
                                                 "(or top_rated)")
        self.message(sentence.say, _given(sentence.values) | ISCM_VARIABLES | extra, where)


VALUE_SUFFIXES = ("", "_count", "_code", "_of", "_to", "_bare", "_gender", "_number")


def _given(values: Mapping[str, object]) -> frozenset[str]:
    """The variables a sentence gets: each value as itself, NAME_count, NAME_code, and for
    names the forms NAME_of, NAME_to, NAME_bare and their agreement, NAME_gender and
    NAME_number."""
    return frozenset(f"{name}{suffix}" for name in values for suffix in VALUE_SUFFIXES)


def listed_sections(spec: DraftSpec) -> Sequence[str]:
    return [section.section for section in spec.sections]
