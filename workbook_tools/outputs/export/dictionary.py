"""The data dictionary: every file of the export and every variable in it, derived from the
questionnaire definitions alone. No return is read here and no question is named: a question
added, renamed or removed in a definition is a variable added, renamed or removed here.

A questionnaire's wide file has one column per question of its current version: a return made
from an older version has its answers carried to the current one by the migrations the
definitions declare (model/migration.py), and a question its version did not ask (directly or
through a migration) is missing as "not asked" in its row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from workbook_tools.errors import DefinitionError
from workbook_tools.model.languages import LANGS, Localized
from workbook_tools.model.questionnaire import (
    Condition,
    Field,
    Item,
    Questionnaire,
    Section,
    Table,
    choice_list_name,
)
from workbook_tools.model.reference import Choice, ChoiceList
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.consolidate import kinds_in_order

# A variable's name in Stata and SPSS: Stata allows 32 characters, and its value labels are
# named after the variable with a number added (pyreadstat: name + counter); SPSS allows 64
# bytes, and takes the same names so that .dta and .sav files match.
NAME_MAX = 28
WHY_SUFFIX = "__why"  # Parquet: the column saying why a question's value is missing
OPTION_SEPARATOR = "__"  # a multiple choice's option: question__option
# Names Stata or SPSS refuse for a variable (compared in lower case).
RESERVED_NAMES = frozenset({
    "_all", "_b", "_coef", "_cons", "_n", "_pi", "_pred", "_rc", "_skip", "byte", "double",
    "float", "if", "in", "int", "long", "str", "strl", "using", "with",
    "all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to",
})
LIST_INLINE_MAX = 20  # longer lists are shown in the codebook's value labels, not inline


@dataclass(frozen=True)
class Missing:
    """Why a value is missing, and how each format says it."""

    reason: str  # its key in codebook.yaml (missing.<reason>)
    token: str  # in CSV cells, and in Stata and SPSS text variables
    tag: str  # Stata's extended missing value: .a, .n, .v
    rank: int  # SPSS: the rank-th number below what the variable allows (-1, -2, -3)


NOT_APPLICABLE = Missing("not_applicable", ".a", "a", 1)
NOT_ANSWERED = Missing("not_answered", ".n", "n", 2)
NOT_ASKED = Missing("not_asked", ".v", "v", 3)
MISSING = (NOT_APPLICABLE, NOT_ANSWERED, NOT_ASKED)

# How a variable is stored: "text"; "code", a choice's code (a number with value labels in
# Stata and SPSS); "number", a whole number; "date"; "tick", a multiple choice's option, 1
# ticked and 0 not ticked.
_STORAGE_OF = {"text": "text", "long_text": "text", "email": "text", "single_choice": "code",
               "yes_no": "code", "integer": "number", "year": "number", "date": "date"}


@dataclass(frozen=True)
class Variable:
    name: str  # in CSV, Parquet and datapackage.json: the question's id, or question__option
    storage: str  # text, code, number, date or tick
    type: str  # what the codebook calls it (codebook.yaml types.<type>)
    label: Localized  # the question (and option), or what a column the export adds holds
    question: str | None = None  # the question's or table column's id; None for added columns
    option: str | None = None  # a tick's choice code
    choices: ChoiceList | None = None
    section: Localized | None = None
    number: str = ""
    questionnaire: str = ""
    versions: tuple[int, ...] = ()
    condition: Condition | None = None
    depends: str = ""  # the condition written on the exported variables
    bounds: tuple[int, int] | None = None  # the smallest and largest a number may be
    max_length: int | None = None
    reasons: tuple[Missing, ...] = ()  # why it may be missing; () when it never is
    personal: bool = False
    why: str | None = None  # Parquet's column saying why it is missing
    enum: tuple[str, ...] = ()  # the values a text column the export adds may take
    optional: bool = False  # a column the export adds that may be empty (no reason to give)

    @property
    def short(self) -> str:
        """The name in Stata and SPSS (at most NAME_MAX characters)."""
        return short_name(self.name, self.option)

    @property
    def spss_codes(self) -> tuple[float, ...]:
        """SPSS user-missing codes of a numeric variable: -1, -2, -3, or below its range."""
        base = min(0, self.bounds[0]) if self.bounds else 0
        return tuple(float(base - reason.rank) for reason in MISSING)

    @property
    def codes(self) -> dict[str, int]:
        """A choice's number in Stata and SPSS, by its code (none for a multiple choice's
        option, which is 0 or 1)."""
        return choice_numbers(self.choices) if self.storage == "code" and self.choices else {}


@dataclass(frozen=True)
class DataFile:
    name: str  # the file's name without extension, and its resource name in datapackage.json
    role: str  # "respondents", "wide", "table" or "answers"
    variables: tuple[Variable, ...]
    key: tuple[str, ...]
    parent: str | None = None  # the file whose respondent_id this file's respondent_id names
    questionnaire: str = ""
    table: str = ""
    number: str = ""
    label: Localized | None = None  # a table's question

    @property
    def why_columns(self) -> list[str]:
        """Parquet's reason columns, once per question, in the order of the variables."""
        return list(dict.fromkeys(v.why for v in self.variables if v.why))


@dataclass(frozen=True)
class Dictionary:
    files: tuple[DataFile, ...]
    personal: tuple[tuple[DataFile, Variable], ...]  # every variable marked personal
    include_personal: bool

    def file(self, name: str) -> DataFile:
        return next(f for f in self.files if f.name == name)


def choice_numbers(choices: ChoiceList) -> dict[str, int]:
    """Codes that are whole numbers keep their value (a rating of 4 is 4); the others are
    numbered after them, in the order of the list."""
    numbers = {c: int(c) for c in choices.codes if c.isdigit() and str(int(c)) == c}
    following = max(numbers.values(), default=0) + 1
    for code in choices.codes:
        if code not in numbers:
            numbers[code] = following
            following += 1
    return {code: numbers[code] for code in choices.codes}


def option_name(question: str, option: str) -> str:
    """A multiple choice's option as a variable: question__option."""
    return f"{question}{OPTION_SEPARATOR}{option}"


def short_name(name: str, option: str | None = None) -> str:
    """The name in Stata and SPSS: a name longer than NAME_MAX is cut, keeping an option's code
    whole when it can, with four characters of the name's checksum so that two long names
    that begin alike stay apart: work_plan_monitoring__secretariat becomes
    work_plan_bc3e__secretariat."""
    if len(name) <= NAME_MAX:
        return name
    tag = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:4]
    if option is not None:
        question = name[:-len(OPTION_SEPARATOR + option)]
        room = NAME_MAX - len(OPTION_SEPARATOR + option) - len(tag) - 1
        if room >= 6:
            return f"{question[:room].rstrip('_')}_{tag}{OPTION_SEPARATOR}{option}"
    return f"{name[:NAME_MAX - len(tag) - 1].rstrip('_')}_{tag}"


# --- building -------------------------------------------------------------------------------


@dataclass
class _Occurrence:
    """A question (or table) and every version of its questionnaire that has it."""

    newest: Questionnaire
    section: Section
    item: Item
    items: list[Item] = field(default_factory=list)  # the item in each version, newest first
    versions: list[int] = field(default_factory=list)


def _union(versions: Sequence[Questionnaire], survey: Survey) -> list[_Occurrence]:
    """The items of the newest version, each with the versions whose returns answer it
    (through the declared migrations, answers of older versions are answers to these)."""
    newest = versions[0]
    return [_Occurrence(newest, section, item, [item],
                        list(survey.versions_asking(newest.id, item.id)))
            for section, item in newest.items()]


def _added(survey: Survey, name: str, storage: str, kind: str,
           choices: ChoiceList | None = None, enum: tuple[str, ...] = (),
           optional: bool = False) -> Variable:
    """A column the export adds (who answered, where it came from), described in
    codebook.yaml."""
    label = {lang: survey.codebook.text(f"columns_added.{name}", lang) for lang in LANGS}
    return Variable(name, storage, kind, label, choices=choices, enum=enum, optional=optional)


def _questionnaire_list(survey: Survey) -> ChoiceList:
    """The questionnaires as a choice list: who answers each, e.g. "States"."""
    return ChoiceList("questionnaires", tuple(
        Choice(kind, dict(survey.current(kind).respondents)) for kind in kinds_in_order(survey)))


class _Builder:
    def __init__(self, survey: Survey) -> None:
        self.survey = survey
        self.problems: list[str] = []

    def versions(self, kind: str) -> list[Questionnaire]:
        return sorted((q for (qid, _), q in self.survey.questionnaires.items() if qid == kind),
                      key=lambda q: -q.version)

    def question_variables(self, kind: str, occurrence: _Occurrence, fields: Sequence[Field],
                           all_versions: Sequence[int], number: str,
                           section: Localized | None) -> list[Variable]:
        """A question's variables: one, or one per option of a multiple choice."""
        newest = fields[0]  # a value of an older version was carried to it by its migration
        reasons = []
        if any(f.relevant is not None for f in fields):
            reasons.append(NOT_APPLICABLE)
        if not all(f.required for f in fields):
            reasons.append(NOT_ANSWERED)
        if set(occurrence.versions) != set(all_versions):
            reasons.append(NOT_ASKED)
        list_name = choice_list_name(newest)
        # the newest version's list: what the questionnaire now offers
        choices = occurrence.newest.reference[list_name] if list_name else None
        bounds = (self.survey.settings.number_bounds(newest)
                  if newest.type in {"integer", "year"} else None)
        question = Variable(
            newest.id, _STORAGE_OF.get(newest.type, "tick"), newest.type, newest.label,
            question=newest.id, choices=choices, section=section, number=number,
            questionnaire=kind, versions=tuple(sorted(occurrence.versions)),
            condition=newest.relevant, bounds=bounds, max_length=newest.max_length,
            reasons=tuple(reasons), personal=any(f.personal for f in fields),
            why=newest.id + WHY_SUFFIX if reasons else None)
        if newest.type != "multiple_choice":
            return [question]
        assert choices is not None
        return [replace(question, name=option_name(newest.id, choice.code), type="option",
                        label={lang: f"{newest.label[lang]} — {choice.labels[lang]}"
                               for lang in LANGS}, option=choice.code)
                for choice in choices.choices]

    def wide(self, kind: str) -> tuple[DataFile, list[DataFile]]:
        versions = self.versions(kind)
        all_versions = [q.version for q in versions]
        survey = self.survey
        variables = [
            _added(survey, "respondent_id", "text", "identifier"),
            _added(survey, "questionnaire_version", "number", "integer"),
            _added(survey, "return_lang", "text", "identifier", enum=LANGS),
        ]
        tables: list[DataFile] = []
        for occurrence in _union(versions, survey):
            number = occurrence.newest.number(occurrence.item.id)
            if isinstance(occurrence.item, Table):
                tables.append(self.table(kind, occurrence, number))
                continue
            fields = [item for item in occurrence.items if isinstance(item, Field)]
            if len(fields) != len(occurrence.items):
                self.problems.append(f"{kind}: {occurrence.item.id!r} is a question in one "
                                     "version and a table in another; give it a new id")
                continue
            variables += self.question_variables(kind, occurrence, fields, all_versions,
                                                 number, occurrence.section.title)
        self.link_conditions(variables)
        wide = DataFile(kind, "wide", tuple(variables), ("respondent_id",), "respondents",
                        questionnaire=kind)
        return wide, tables

    def table(self, kind: str, occurrence: _Occurrence, number: str) -> DataFile:
        newest = occurrence.item
        assert isinstance(newest, Table)
        variables = [_added(self.survey, "respondent_id", "text", "identifier"),
                     _added(self.survey, "row", "number", "integer")]
        for column in newest.columns:
            present = _Occurrence(occurrence.newest, occurrence.section, column, [column],
                                  list(self.survey.versions_asking(
                                      kind, f"{newest.id}.{column.id}")))
            for variable in self.question_variables(kind, present, [column],
                                                    occurrence.versions, number,
                                                    occurrence.section.title):
                variables.append(variable)
        return DataFile(f"{kind}_{newest.id}", "table", tuple(variables),
                        ("respondent_id", "row"), kind, questionnaire=kind, table=newest.id,
                        number=number, label=newest.label)

    def link_conditions(self, variables: list[Variable]) -> None:
        """Write each condition on the exported variables: has_strategy = "yes",
        work_plan__other = 1."""
        by_question: dict[str, list[Variable]] = {}
        for variable in variables:
            if variable.question:
                by_question.setdefault(variable.question, []).append(variable)
        for index, variable in enumerate(variables):
            condition = variable.condition
            if condition is None or condition.question not in by_question:
                continue
            targets = by_question[condition.question]
            if condition.operator == "includes":
                depends = " or ".join(f"{t.name} = 1" for t in targets
                                      if t.option in condition.values)
            elif condition.operator == "equals" or len(condition.values) == 1:
                depends = f'{targets[0].name} = "{condition.values[0]}"'
            else:
                depends = f"{targets[0].name} in (" + ", ".join(
                    f'"{v}"' for v in condition.values) + ")"
            variables[index] = replace(variable, depends=depends)

    def check_names(self, data: DataFile) -> None:
        """Every name once in a file, in every format; none that Stata or SPSS refuse."""
        sources = [v.question or v.name for v in data.variables]
        for names in ([*(v.name for v in data.variables), *data.why_columns],
                      [v.short for v in data.variables]):
            seen: dict[str, str] = {}
            for name, source in zip(names, [*sources, *data.why_columns], strict=False):
                where = f"{data.questionnaire or data.name}, question {source!r}"
                if name.lower() in RESERVED_NAMES:
                    self.problems.append(f"{where}: {name!r} cannot name a variable in Stata "
                                         "or SPSS; give the question another id")
                if name in seen and seen[name] != source:
                    self.problems.append(f"{where}: the variable {name!r} of the file "
                                         f"{data.name} is also made by {seen[name]!r}; give "
                                         "one of them another id")
                seen.setdefault(name, source)


def build_dictionary(survey: Survey, include_personal: bool = False) -> Dictionary:
    """Every file and variable of the export; raise DefinitionError when a definition cannot be
    exported (a name Stata or SPSS refuse, two questions giving one name)."""
    builder = _Builder(survey)
    files = [DataFile("respondents", "respondents", (
        _added(survey, "respondent_id", "text", "identifier"),
        _added(survey, "kind", "code", "identifier", choices=_questionnaire_list(survey)),
        _added(survey, "code", "text", "identifier"),
        _added(survey, "name", "text", "text"),
        _added(survey, "questionnaire_version", "number", "integer"),
        _added(survey, "return_lang", "text", "identifier", enum=LANGS),
        _added(survey, "file", "text", "text"),
        _added(survey, "sha256", "text", "identifier"),
    ), ("respondent_id",))]
    for kind in kinds_in_order(survey):
        wide, tables = builder.wide(kind)
        files += [wide, *tables]
    files.append(DataFile("answers", "answers", (
        _added(survey, "respondent_id", "text", "identifier"),
        _added(survey, "kind", "code", "identifier", choices=_questionnaire_list(survey)),
        _added(survey, "name", "text", "text"),
        _added(survey, "question_id", "text", "identifier"),
        _added(survey, "variable", "text", "identifier"),
        _added(survey, "number", "text", "text"),
        _added(survey, "section", "text", "identifier"),
        _added(survey, "label", "text", "text"),
        _added(survey, "value", "text", "text"),
        _added(survey, "value_label", "text", "text", optional=True),
        _added(survey, "questionnaire_version", "number", "integer"),
        _added(survey, "file", "text", "text"),
        _added(survey, "sha256", "text", "identifier"),
    ), ("respondent_id", "variable"), "respondents"))
    personal = tuple((data, v) for data in files for v in data.variables if v.personal)
    if not include_personal:
        files = [DataFile(data.name, data.role, tuple(v for v in data.variables
                                                      if not v.personal),
                          data.key, data.parent, data.questionnaire, data.table, data.number,
                          data.label) for data in files]
    for data in files:
        builder.check_names(data)
    if builder.problems:
        raise DefinitionError(builder.problems)
    return Dictionary(tuple(files), personal, include_personal)

