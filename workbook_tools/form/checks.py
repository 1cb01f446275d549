"""The questionnaire checks itself: the validator's rules that a spreadsheet formula can decide,
as formulas, derived from the definition like the workbook's rows and the validator's schemas.

Each rule the validator enforces on one return (check/schema.py, and the typing of answers in
read/coerce.py) and that a formula can decide from the answer cells becomes a `Rule`: required
answers, required when the question applies, answered although it does not apply, choices,
ticks, whole numbers and years in range, dates, e-mail addresses, lengths, how many options,
table rows missing a required cell (to complete, not to correct), rows given twice, too few
rows. What no formula can decide
(other returns, the roster, the identification, a number or a date typed as text in some form a
formula cannot read for certain) stays with the validator, and the formulas say nothing about
it: they only report what the validator will also report, so that a return the validator finds
valid always reads "Ready to send".

The formulas are plain: functions of Excel 2007 that LibreOffice and Google Sheets compute the
same way, nothing volatile (no INDIRECT, OFFSET, NOW, TODAY), no dynamic arrays, no LET or
LAMBDA, and nothing whose result depends on an application's settings: no COUNTIF or MATCH on
text, whose wildcards and regular expressions differ between applications; a typed choice is
looked up with FIND (which knows no wildcards anywhere) in a text listing the accepted forms,
both sides in upper case. They are ours: they refer to answer cells, never contain what a
respondent typed.

Everything is computed on a hidden sheet (`CHECKS_SHEET`: the accepted forms of each list in
column A, one helper per row in column B); the Check sheet and each section's status line only
show its cells. This module is pure: it returns the cells as text, and send/panel.py writes
them.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from workbook_tools.form.layout import CHECKS_SHEET, Layout, layout_in
from workbook_tools.form.texts import long_date, marked_label
from workbook_tools.model.matching import TICK_WORDS, accepted_forms
from workbook_tools.model.questionnaire import (
    Condition,
    Field,
    NotBefore,
    Questionnaire,
    Table,
    choice_list_name,
)

if TYPE_CHECKING:
    from workbook_tools.model.survey import Survey

FORMULA_MAX = 8192  # Excel's limit on a formula's length
LITERAL_MAX = 255  # Excel's limit on a text constant inside a formula
JOIN_MAX = 3000  # a concatenation longer than this is split over several helpers
FORMS_COLUMN, HELPER_COLUMN, YEARS_COLUMN = "A", "B", "C"
FORMS_MAX = 30_000  # the accepted forms of a list, in texts of at most this length (a cell
# holds 32,767 characters)
TICK_LIST = "_tick"  # the forms of a tick: 1 ticked, 0 not ticked
SEPARATOR = " · "
DIGITS = "0123456789"

# What a question's state is, as the Check sheet shows it (and colours it).
ANSWERED, TO_ANSWER, TO_CORRECT, DOES_NOT_APPLY, OPTIONAL, DEPENDS = range(6)


@dataclass(frozen=True)
class Rule:
    """One of the validator's rules applied to one question: the helper `cell` counts how often
    the answers break it (0: they do not). `codes` are the validator's problem codes it stands
    for (templates/messages.yaml); a "missing" rule says what is still to answer, an
    "incomplete" rule which rows of a table are still to complete (begun, or pre-filled by IOM,
    with a required cell empty: unfinished, not a mistake), and a "problem" rule what is to
    correct."""

    item_id: str
    kind: str  # "missing", "incomplete" or "problem"
    codes: frozenset[str]
    cell: str  # on CHECKS_SHEET
    formula: str
    message: str  # a formula expression: the text shown when the rule is broken


@dataclass(frozen=True)
class QuestionCheck:
    item_id: str
    number: str
    label: str
    target: tuple[str, str]  # (sheet, cell) the question's number links to: where it is answered
    rules: tuple[Rule, ...]
    to_answer: str  # helper cells on CHECKS_SHEET: 1 if it is still to answer
    to_correct: str  # how many problems it has
    state: str  # ANSWERED, TO_ANSWER...
    status: str  # the text the Check sheet shows


@dataclass(frozen=True)
class SectionCheck:
    title: str
    sheet: str
    questions: tuple[QuestionCheck, ...]
    to_answer: str  # helper cells: how many questions are to answer, how many problems to
    to_correct: str  # correct, and the one-line summary
    summary: str
    done_text: str  # what the summary says when nothing is left to do


@dataclass(frozen=True)
class Panel:
    """The live checks of a questionnaire in one language: the hidden sheet's cells (formulas
    and values), and which of them the visible Check sheet shows."""

    lang: str
    check_sheet: str
    formulas: Mapping[str, str]  # CHECKS_SHEET address -> formula, without the leading "="
    values: Mapping[str, str | int]  # CHECKS_SHEET address -> a constant: the accepted forms
    # of a list, the years the ISCMs were established
    labels: Mapping[str, str]  # CHECKS_SHEET address -> what the cell is (not written)
    sections: tuple[SectionCheck, ...]
    to_answer: str  # how many questions are still to answer (or to complete)
    to_correct: str  # how many errors are to correct
    left: str  # how much is left to do: the two together
    overall: str  # "Ready to send", or "N questions still to answer · M errors to correct"
    ready_text: str

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(rule for section in self.sections for question in section.questions
                     for rule in question.rules)

    def question(self, item_id: str) -> QuestionCheck:
        for section in self.sections:
            for question in section.questions:
                if question.item_id == item_id:
                    return question
        raise KeyError(item_id)


def on_checks_sheet(reference: str) -> str:
    """A helper cell as referred to from another sheet."""
    return f"{sheet_prefix(CHECKS_SHEET)}{reference}"


def sheet_prefix(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!"


def absolute(address: str) -> str:
    column = address.rstrip(DIGITS)
    return f"${column}${address[len(column):]}"


def excel_text(text: str) -> str:
    """A text constant in a formula; longer ones are joined from pieces Excel accepts."""
    pieces = [text[i:i + LITERAL_MAX - 55] for i in range(0, len(text), LITERAL_MAX - 55)] or [""]
    return "&".join('"' + piece.replace('"', '""') + '"' for piece in pieces)


def _strip(expression: str, characters: str) -> str:
    """The text of `expression` without the given characters (nested SUBSTITUTE)."""
    for character in characters:
        expression = f'SUBSTITUTE({expression},"{character}","")'
    return expression


def _trimmed(cell: str) -> str:
    # TRIM removes spaces at both ends and doubles inside, CLEAN control characters (line
    # breaks): the reader strips a typed answer the same way before it looks at it.
    return f"TRIM(CLEAN({cell}))"


def _any(flags: Sequence[str]) -> str:
    return flags[0] if len(flags) == 1 else f"OR({','.join(flags)})"


def _sum(cells: Sequence[str]) -> str:
    if not cells:
        return "0"
    groups = [cells[i:i + 200] for i in range(0, len(cells), 200)]  # SUM takes 255 arguments
    parts = [f"SUM({','.join(group)})" for group in groups]
    return parts[0] if len(parts) == 1 else f"SUM({','.join(parts)})"


@dataclass(frozen=True)
class _Dynamic:
    """A placeholder of a text filled in by a formula, not when the workbook is written."""

    expression: str


@dataclass
class _Facts:
    """What later questions' conditions need to know of an answered question."""

    answered: str
    code: str | None = None  # a single choice: the helper holding its choice's number
    ticks: dict[str, str] = field(default_factory=dict)  # a multiple choice: option -> helper


class _Builder:
    """Allocates the hidden sheet's cells: the accepted forms of each choice list in column A,
    the helpers in column B, one per row."""

    def __init__(self, questionnaire: Questionnaire, lang: str, survey: Survey) -> None:
        self.questionnaire = questionnaire
        self.lang = lang
        self.survey = survey
        self.layout: Layout = layout_in(questionnaire, lang, survey)
        self.formulas: dict[str, str] = {}
        self.values: dict[str, str | int] = {}
        self.labels: dict[str, str] = {}
        self.row = 1
        self.forms: dict[str, list[str]] = {}  # list -> the cells holding its accepted forms
        self.facts: dict[str, _Facts] = {}

    # --- cells ---------------------------------------------------------------------------

    def helper(self, label: str, formula: str) -> str:
        if len(formula) + 1 > FORMULA_MAX:
            raise ValueError(f"the check formula of {label} is {len(formula)} characters long")
        address = f"{HELPER_COLUMN}{self.row}"
        self.labels[address] = label
        self.formulas[address] = formula
        self.row += 1
        return absolute(address)

    def block(self, labels: Sequence[str], formulas: Sequence[str]) -> list[str]:
        """Helpers on consecutive rows, so that a formula can take them as one range."""
        return [self.helper(label, formula)
                for label, formula in zip(labels, formulas, strict=True)]

    def answer(self, sheet: str, address: str) -> str:
        return f"{sheet_prefix(sheet)}{absolute(address)}"

    # --- texts ---------------------------------------------------------------------------

    def plain(self, key: str, **values: object) -> str:
        return self.survey.settings.text(key, self.lang, **values)

    def say(self, key: str, **values: object) -> str:
        """A text of survey.yaml as a formula expression: placeholders given as `_Dynamic` are
        computed by the formula, the others filled in now."""
        template = str(self.survey.settings.texts[key][self.lang])
        parts: list[str] = []
        literal = ""
        for before, name, spec, _ in string.Formatter().parse(template):
            literal += before
            if name is None:
                continue
            value = values[name]
            if isinstance(value, _Dynamic):
                if literal:
                    parts.append(excel_text(literal))
                literal = ""
                parts.append(value.expression)
            else:
                literal += format(value, spec or "")
        if literal or not parts:
            parts.append(excel_text(literal))
        return "&".join(parts)

    def joined(self, label: str, pieces: Sequence[tuple[str, str]], separator: str) -> str:
        """An expression listing the texts whose condition holds, separated: the rows or the
        question numbers with a problem. A long list is made in parts, each a helper."""
        if not pieces:
            return excel_text("")
        terms = [f'IF({condition},{excel_text(separator + text)},"")'
                 for condition, text in pieces]
        parts: list[str] = []
        current: list[str] = []
        for term in terms:
            if current and sum(map(len, current)) + len(term) > JOIN_MAX:
                parts.append("&".join(current))
                current = []
            current.append(term)
        if current:
            parts.append("&".join(current))
        if len(parts) > 1:
            parts = [self.helper(f"{label} {index}", part)
                     for index, part in enumerate(parts, start=1)]
        return f"MID({'&'.join(parts)},{len(separator) + 1},32767)"

    # --- the accepted forms of each choice list --------------------------------------------

    def write_forms(self) -> None:
        """Each list's accepted forms in one text (or a few): for each, a line break, the form,
        a line break, "#" and the choice's number in four digits. A typed answer, cleaned of
        line breaks, is looked up with FIND, which knows no wildcards in any application, both
        sides in upper case. (Not a tab: LibreOffice reads a tab in a cell as another
        character.)"""
        lists = [TICK_LIST]
        for _, item in self.questionnaire.items():
            for f in item.columns if isinstance(item, Table) else (item,):
                name = choice_list_name(f)
                if name and f.type != "multiple_choice" and name not in lists:
                    lists.append(name)
        reference = self.questionnaire.reference  # the lists this version prints
        row = 1
        for name in lists:
            if name == TICK_LIST:
                forms = [(text, 1 if code == "yes" else 0)
                         for text, code in accepted_forms(reference["yes_no"], self.lang)]
                known = {text.casefold() for text, _ in forms}
                forms += [(word, 1) for word in TICK_WORDS if word.casefold() not in known]
            else:
                codes = reference[name].codes
                forms = [(text, codes.index(code) + 1)
                         for text, code in accepted_forms(reference[name], self.lang)]
            chunks = [""]
            for text, number in forms:
                text = " ".join(text.split())  # as TRIM leaves a typed answer
                if not text or text.startswith("#") or any(c in text for c in "\t\n\r"):
                    continue
                entry = f"\n{text}\n#{number:04d}"
                if len(chunks[-1]) + len(entry) > FORMS_MAX:
                    chunks.append("")
                chunks[-1] += entry
            self.forms[name] = []
            for chunk in chunks:
                address = f"{FORMS_COLUMN}{row}"
                self.values[address] = chunk
                self.labels[address] = f"accepted forms of {name}"
                self.forms[name].append(absolute(address))
                row += 1

    def lookup(self, typed: str, list_name: str, missing: int) -> str:
        """The number of the choice a cleaned typed text is, or `missing`."""
        found = str(missing)
        for forms in reversed(self.forms[list_name]):
            position = f'FIND(CHAR(10)&UPPER({typed})&CHAR(10)&"#",UPPER({forms}))'
            found = f"IFERROR(VALUE(MID({forms},{position}+LEN({typed})+3,4)),{found})"
        return found

    def code_of(self, cell: str, list_name: str) -> str:
        """The number of the choice a cell holds: 0 empty, -1 not a choice, -2 an error."""
        typed = _trimmed(cell)
        return (f"IF(ISERROR({cell}),-2,IF(LEN({typed})=0,0,"
                f"{self.lookup(typed, list_name, -1)}))")

    def tick_of(self, cell: str) -> str:
        """An option of a multiple choice: 1 ticked, 0 not, -2 neither (or an error)."""
        typed = _trimmed(cell)
        return (f"IF(ISERROR({cell}),-2,IF(ISLOGICAL({cell}),--{cell},IF(LEN({typed})=0,0,"
                f"{self.lookup(typed, TICK_LIST, -2)})))")

    def established_years(self) -> str:
        """The range holding the year each ISCM of the list was established (0: unknown), in
        the list's order (not CHOOSE: LibreOffice takes 30 values at most)."""
        codes = self.questionnaire.reference["iscms"].codes
        for row, code in enumerate(codes, start=1):
            self.values[f"{YEARS_COLUMN}{row}"] = self.survey.reference.established(code) or 0
        return f"${YEARS_COLUMN}$1:${YEARS_COLUMN}${len(codes)}"

    def choice_number(self, list_name: str, code: str) -> int:
        return self.questionnaire.reference[list_name].codes.index(code) + 1


# --- the value of one answer cell ----------------------------------------------------------
# Each answer cell has one helper (a date two, an e-mail address two) whose value is 1 where the
# cell breaks a rule; a table's rule counts its rows with one SUMPRODUCT over a range of
# helpers, whatever the number of rows. An error value in the cell (#N/A...) breaks the first
# rule of its kind, whose message then says so.


@dataclass
class _ValueRule:
    codes: frozenset[str]
    message: str  # a formula expression
    flags: list[str]  # one helper per cell, consecutive
    test: str = "=1"  # what the helper's value is where the cell breaks the rule

    def broken(self, index: int) -> str:
        return f"{self.flags[index]}{self.test}"

    def count(self) -> str:
        if len(self.flags) == 1:
            return f"--({self.broken(0)})"
        return f"SUMPRODUCT(--({self.flags[0]}:{self.flags[-1]}{self.test}))"


@dataclass
class _Values:
    """What the helpers say of a run of answer cells of one kind (a question, or a table's
    column): whether each is filled in, and the rules each breaks."""

    filled: list[str]  # expressions, TRUE where the cell holds an answer
    rules: list[_ValueRule]
    codes: list[str] | None = None  # for a choice: the choice's number, cell by cell


def _digits_out(expression: str) -> str:
    return _strip(expression, DIGITS)


def _number_flag(cell: str, low: int, high: int) -> str:
    """1 where a whole number (or year) is not one from low to high, for certain."""
    typed = _trimmed(cell)
    rest = _digits_out(typed)
    # Digits alone are read as a number; anything but digits, spaces, signs and separators
    # never is. Other forms ("1 000", "40.0") are left to the validator.
    return (f"IF(ISERROR({cell}),1,IF(ISLOGICAL({cell}),1,IF(ISNUMBER({cell}),"
            f"--OR({cell}<>INT({cell}),{cell}<{low},{cell}>{high}),IF(LEN({typed})=0,0,"
            f"IF(LEN({rest})=0,IFERROR(--OR(VALUE({typed})<{low},VALUE({typed})>{high}),1),"
            f"--(LEN({_strip(rest, ' .,+-')})>0))))))")


def _date_flag(cell: str, first: dt.date, last: dt.date) -> str:
    """1 where a date is out of range, or is text without a digit."""
    typed = _trimmed(cell)
    return (f"IF(ISERROR({cell}),1,IF(ISLOGICAL({cell}),1,IF(ISNUMBER({cell}),"
            f"--OR(INT({cell})<DATE({first.year},{first.month},{first.day}),"
            f"INT({cell})>DATE({last.year},{last.month},{last.day})),"
            f"IF(LEN({typed})=0,0,--(LEN({_digits_out(typed)})=LEN({typed}))))))")


def _ambiguous_flag(cell: str) -> str:
    """1 where a date is typed day/month/year with both up to 12 (03/04/2026): the reader
    cannot tell which is the day."""
    slashed = f'SUBSTITUTE(SUBSTITUTE({_trimmed(cell)},"-","/"),".","/")'
    first = f'FIND("/",{slashed})'
    second = f'FIND("/",{slashed},{first}+1)'
    day = f"VALUE(LEFT({slashed},{first}-1))"
    month = f"VALUE(MID({slashed},{first}+1,{second}-{first}-1))"
    return (f'IF(ISNUMBER({cell}),0,IFERROR(--AND({_digits_out(slashed)}="//",'
            f"LEN({slashed})-{second}=4,{first}<=3,{second}-{first}<=3,"
            f"{day}>=1,{day}<=12,{month}>=1,{month}<=12,{day}<>{month}),0))")


def _email_flag(cell: str) -> str:
    """1 where an e-mail address does not have the reader's shape (check/schema.py EMAIL)."""
    typed = _trimmed(cell)
    domain = f'MID({typed},FIND("@",{typed})+1,LEN({typed}))'
    dots = f'LEN({domain})-LEN(SUBSTITUTE({domain},".",""))'
    return (f'IF(ISERROR({cell}),1,IF(LEN({typed})=0,0,1-IFERROR(--AND('
            f'LEN({typed})-LEN(SUBSTITUTE({typed},"@",""))=1,FIND("@",{typed})>1,'
            f'ISERROR(FIND(" ",{typed})),{dots}>=1,RIGHT({domain},1)<>".",'
            f'OR({dots}>=2,FIND(".",{domain})>1)),0)))')


def _length_flag(cell: str, maximum: int, on_error: int) -> str:
    return f"IF(ISERROR({cell}),{on_error},--(LEN({_trimmed(cell)})>{maximum}))"


def _values(b: _Builder, f: Field, cells: Sequence[str], label: str) -> _Values:
    """The helpers checking a run of answer cells: a question's, or a table column's."""
    n = len(cells)
    labels = [f"{label}{f' row {i + 1}' if n > 1 else ''}" for i in range(n)]
    settings = b.survey.settings
    error = b.say("check_cell_error")

    def saying(message: str) -> str:
        # a question's cell alone: its message says when the cell shows an error
        return message if n > 1 else f"IF(ISERROR({cells[0]}),{error},{message})"

    list_name = choice_list_name(f)
    if list_name:
        codes = b.block(labels, [b.code_of(cell, list_name) for cell in cells])
        return _Values([f"OR({code}>0,{code}=-1)" for code in codes],
                       [_ValueRule(frozenset({"not-in-list", "cell-error"}),
                                   saying(b.say("check_not_in_list")), codes, "<0")], codes)
    filled = [f"IFERROR(LEN({_trimmed(cell)})>0,FALSE)" for cell in cells]
    rules = []
    if f.type in {"integer", "year"}:
        low, high = settings.number_bounds(f)
        rules.append(_ValueRule(
            frozenset({"out-of-range", "not-a-year" if f.type == "year" else "not-a-number",
                       "cell-error"}),
            saying(b.say(f"check_{f.type}", min=low, max=high)),
            b.block(labels, [_number_flag(cell, low, high) for cell in cells])))
    elif f.type == "date":
        first, last = settings.earliest_date, settings.latest_date
        rules.append(_ValueRule(frozenset({"date-out-of-range", "not-a-date", "cell-error"}),
                                saying(b.say("check_date", min=long_date(first, b.lang),
                                             max=long_date(last, b.lang))),
                                b.block(labels, [_date_flag(cell, first, last)
                                                 for cell in cells])))
        rules.append(_ValueRule(frozenset({"ambiguous-date"}),
                                b.say("check_ambiguous_date",
                                      example=settings.deadline.isoformat()),
                                b.block([f"{x}: ambiguous" for x in labels],
                                        [_ambiguous_flag(cell) for cell in cells])))
    elif f.type == "email":
        rules.append(_ValueRule(frozenset({"invalid-email", "cell-error"}),
                                saying(b.say("check_email")),
                                b.block(labels, [_email_flag(cell) for cell in cells])))
    if f.max_length is not None and f.type in {"text", "long_text", "email"}:
        first_rule = not rules
        message = b.say("check_too_long", max=f.max_length)
        rules.append(_ValueRule(
            frozenset({"too-long", "cell-error"} if first_rule else {"too-long"}),
            saying(message) if first_rule else message,
            b.block([f"{x}: length" for x in labels],
                    [_length_flag(cell, f.max_length, 1 if first_rule else 0)
                     for cell in cells])))
    return _Values(filled, rules)


# --- questions -----------------------------------------------------------------------------


@dataclass
class _Question:
    """A question's checks while they are being made."""

    item_id: str
    answered: str
    rules: list[Rule] = field(default_factory=list)
    not_applicable: str | None = None  # an expression: TRUE when it does not apply
    undecided: str | None = None  # TRUE while the question it depends on is unanswered
    answered_text: str = ""
    missing_text: str = ""


def _condition(b: _Builder, condition: Condition) -> tuple[str, str]:
    """(applies, decided): whether the question applies, and whether the question it depends
    on is answered at all; as the validator decides them."""
    facts = b.facts[condition.question]
    target = b.questionnaire.item(condition.question)
    assert isinstance(target, Field)
    if condition.operator == "includes":
        applies = _any([f"{facts.ticks[value]}=1" for value in condition.values])
    else:
        list_name = choice_list_name(target)
        assert list_name is not None and facts.code is not None
        applies = _any([f"{facts.code}={b.choice_number(list_name, value)}"
                        for value in condition.values])
    return applies, f"{facts.answered}=1"


def _rule(b: _Builder, question: _Question, kind: str, codes: set[str] | frozenset[str],
          name: str, formula: str, message: str) -> None:
    cell = b.helper(f"{question.item_id}: {name}", formula)
    question.rules.append(Rule(question.item_id, kind, frozenset(codes), cell, formula, message))


def _field_checks(b: _Builder, f: Field) -> _Question:
    place = b.layout.fields[f.id]
    if f.type == "multiple_choice":
        ticks = b.block([f"{f.id}: {code}" for code in place.options],
                        [b.tick_of(b.answer(place.sheet, cell))
                         for cell in place.options.values()])
        span = f"{ticks[0]}:{ticks[-1]}"
        count = b.helper(f"{f.id}: options chosen", f"SUMPRODUCT(--({span}=1))")
        answered = b.helper(f"{f.id}: answered", f"--({count}>0)")
        b.facts[f.id] = _Facts(answered, ticks=dict(zip(place.options, ticks, strict=True)))
        question = _Question(f.id, answered)
        _rule(b, question, "problem", {"invalid-tick", "cell-error"}, "ticks",
              f"SUMPRODUCT(--({span}<0))", b.say("check_invalid_tick", yes=_yes(b)))
        for code in f.exclusive:  # "none" ticked with other options
            assert f.choices is not None
            _rule(b, question, "problem", {"exclusive-option"}, f"{code} alone",
                  f"--AND({b.facts[f.id].ticks[code]}=1,{count}>1)",
                  b.say("check_exclusive_option",
                        option=b.questionnaire.reference[f.choices].label(code, b.lang)))
        if f.max_choices:
            _rule(b, question, "problem", {"too-many-choices"}, "too many",
                  f"--({count}>{f.max_choices})",
                  b.say("check_too_many_choices", max=f.max_choices))
        if f.min_choices:
            _rule(b, question, "problem", {"too-few-choices"}, "too few",
                  f"--AND({count}>0,{count}<{f.min_choices})",
                  b.say("check_too_few_choices", min=f.min_choices))
    else:
        assert place.cell is not None
        values = _values(b, f, [b.answer(place.sheet, place.cell)], f.id)
        answered = b.helper(f"{f.id}: answered", f"--{values.filled[0]}")
        b.facts[f.id] = _Facts(answered, code=values.codes[0] if values.codes else None)
        question = _Question(f.id, answered)
        for value_rule in values.rules:
            (flag,) = value_rule.flags
            if value_rule.test == "=1":  # the helper is 0 or 1: it counts the problem itself
                question.rules.append(Rule(f.id, "problem", value_rule.codes, flag,
                                           b.formulas[flag.replace("$", "")],
                                           value_rule.message))
            else:
                _rule(b, question, "problem", value_rule.codes, "/".join(
                    sorted(value_rule.codes)), value_rule.count(), value_rule.message)
    if f.not_before is not None and place.cell is not None:
        bound, codes, message = _year_bound(b, f.not_before, None)
        if bound:
            cell = b.answer(place.sheet, place.cell)
            _rule(b, question, "problem", codes, "too early", _before(cell, bound), message)
    question.answered_text = b.say("check_answered")
    question.missing_text = b.say("check_missing")
    if f.relevant is not None:
        other = b.questionnaire.number(f.relevant.question)
        applies, decided = _condition(b, f.relevant)
        if f.required:
            question.missing_text = b.say("check_missing_given", other=other)
            _rule(b, question, "missing", {"missing-conditional-answer"}, "to answer",
                  f"--AND({applies},{answered}=0)", question.missing_text)
        _rule(b, question, "problem", {"not-applicable"}, "does not apply",
              f"--AND({decided},NOT({applies}),{answered}=1)",
              b.say("check_not_applicable", other=other))
        question.not_applicable = f"AND({decided},NOT({applies}))"
        question.undecided = f"NOT({decided})"
    elif f.required:
        _rule(b, question, "missing", {"missing-answer"}, "to answer", f"--({answered}=0)",
              question.missing_text)
    return question


def _before(cell: str, bound: str) -> str:
    """1 where a year is, for certain, earlier than its bound (0 when the bound is unknown)."""
    return f"IF(AND(ISNUMBER({cell}),{bound}>0),--({cell}<{bound}),0)"


def _year_bound(b: _Builder, not_before: NotBefore, iscm_code: str | None
                ) -> tuple[str, frozenset[str], str]:
    """The year a year may not precede, as an expression (0 where it is not known): another
    question's answer, or the year the ISCM concerned was established (the ISCM a table row
    names, `iscm_code`, else the ISCM answering), as schemas/iscms.yaml knows it. With the
    validator's code and the message. An empty expression: no formula can tell."""
    if not_before.question is not None:
        other = b.layout.fields[not_before.question]
        assert other.cell is not None
        cell = b.answer(other.sheet, other.cell)
        return (f"IF(ISNUMBER({cell}),{cell},0)", frozenset({"before-other-year"}),
                b.say("check_before_year",
                      other=b.questionnaire.number(not_before.question)))
    if iscm_code is None:
        answering = b.questionnaire.respondent_field
        iscm_code = (b.facts[answering.id].code if answering is not None
                     and answering.choices == "iscms" and answering.id in b.facts else None)
    if iscm_code is None:
        return "", frozenset(), ""
    return (f"IFERROR(INDEX({b.established_years()},{iscm_code}),0)",
            frozenset({"before-established"}), b.say("check_before_established"))


def _yes(b: _Builder) -> str:
    return b.questionnaire.reference["yes_no"].label("yes", b.lang)


def _table_checks(b: _Builder, table: Table) -> _Question:
    place = b.layout.tables[table.id]
    n = table.rows
    columns = {}
    for column in table.columns:
        cells = [b.answer(place.sheet, place.cell(column.id, index)) for index in range(n)]
        columns[column.id] = _values(b, column, cells, f"{table.id} {column.id}")
    present = b.block([f"{table.id} row {i + 1}: filled in" for i in range(n)],
                      [f"--{_any([v.filled[i] for v in columns.values()])}" for i in range(n)])
    count = b.helper(f"{table.id}: rows", f"SUM({present[0]}:{present[-1]})")
    answered = b.helper(f"{table.id}: answered", f"--({count}>0)")
    question = _Question(table.id, answered)

    def rows_rule(name: str, codes: frozenset[str], flags: _ValueRule, message_key: str,
                  **values: object) -> None:
        rows = b.joined(f"{table.id}: {name} rows",
                        [(flags.broken(index), str(index + 1)) for index in range(n)], ", ")
        listed = b.helper(f"{table.id}: {name} rows", rows)
        _rule(b, question, "problem", codes, name, flags.count(),
              b.say(message_key, rows=_Dynamic(listed), **values))

    # A column required only when another of its row says so (a condition) is not checked
    # here: no formula reports a row the validator may accept.
    # A row with a required cell empty is still to complete, not wrong: it may be a row IOM
    # pre-filled (the ISCMs a State takes part in) that waits for the respondent's answers.
    # The status names the columns to fill in (the columns made by for_each under their common
    # name) and the rows.
    groups: dict[str, list[str]] = {}
    for column in table.columns:
        if column.required and column.relevant is None:
            groups.setdefault(_column_name(b, column), []).append(column.id)
    if groups:
        required = [column_id for ids in groups.values() for column_id in ids]
        incomplete = b.block(
            [f"{table.id} row {i + 1}: incomplete" for i in range(n)],
            [f"--AND({present[i]}=1,NOT(AND({','.join(columns[c].filled[i] for c in required)})))"
             for i in range(n)])
        empty_in = {}
        for name, ids in groups.items():
            flags = b.block(
                [f"{table.id} {name} row {i + 1}: to complete" for i in range(n)],
                [f"--AND({present[i]}=1,NOT(AND({','.join(columns[c].filled[i] for c in ids)})))"
                 for i in range(n)]) if len(groups) > 1 else incomplete
            empty_in[name] = b.helper(f"{table.id} {name}: rows to complete",
                                      f"SUM({flags[0]}:{flags[-1]})")
        to_fill = b.helper(f"{table.id}: columns to complete", b.joined(
            f"{table.id}: columns to complete",
            [(f"{empty_in[name]}>0", b.plain("check_quoted", column=name)) for name in groups],
            ", "))
        rows = b.helper(f"{table.id}: rows to complete", b.joined(
            f"{table.id}: rows to complete",
            [(f"{incomplete[index]}=1", str(index + 1)) for index in range(n)], ", "))
        _rule(b, question, "incomplete", {"missing-cell"}, "to complete",
              f"SUM({incomplete[0]}:{incomplete[-1]})",
              b.say("check_to_complete", columns=_Dynamic(to_fill), rows=_Dynamic(rows)))
    for column in table.columns:
        for value_rule in columns[column.id].rules:
            rows_rule(f"{column.id} {'/'.join(sorted(value_rule.codes))}", value_rule.codes,
                      value_rule, "check_in_column", column=column.label[b.lang],
                      problem=_Dynamic(value_rule.message))
    for column in table.columns:
        condition = column.relevant  # a column that depends on another column of its row
        if condition is not None:
            target = columns[condition.question].codes
            list_name = choice_list_name(table.column(condition.question))
            assert target is not None and list_name is not None
            numbers = [b.choice_number(list_name, value) for value in condition.values]
            filled = columns[column.id].filled
            other = table.column(condition.question).label[b.lang]
            label = column.label[b.lang]
            if column.required:
                flags = b.block(
                    [f"{table.id} {column.id} row {i + 1}: needed" for i in range(n)],
                    [f"--AND({present[i]}=1,{_any([f'{target[i]}={k}' for k in numbers])},"
                     f"NOT({filled[i]}))" for i in range(n)])
                rows_rule(f"{column.id} needed", frozenset({"missing-conditional-cell"}),
                          _ValueRule(frozenset(), "", flags), "check_column_needed",
                          column=label, other=other)
            flags = b.block(
                [f"{table.id} {column.id} row {i + 1}: does not apply" for i in range(n)],
                [f"--AND(OR({target[i]}>0,{target[i]}=-1),"
                 f"NOT({_any([f'{target[i]}={k}' for k in numbers])}),{filled[i]})"
                 for i in range(n)])
            rows_rule(f"{column.id} does not apply", frozenset({"not-applicable-cell"}),
                      _ValueRule(frozenset(), "", flags), "check_column_not_applicable",
                      column=label, other=other)
        if column.not_before is not None:
            iscm = table.iscm_column
            named = columns[iscm.id].codes if iscm is not None else None
            bounds = [_year_bound(b, column.not_before, named[i] if named else None)
                      for i in range(n)]
            if bounds[0][0]:
                cells = [b.answer(place.sheet, place.cell(column.id, i)) for i in range(n)]
                flags = b.block([f"{table.id} {column.id} row {i + 1}: too early"
                                 for i in range(n)],
                                [_before(cells[i], bounds[i][0]) for i in range(n)])
                rows_rule(f"{column.id} too early", bounds[0][1],
                          _ValueRule(frozenset(), "", flags), "check_in_column",
                          column=column.label[b.lang], problem=_Dynamic(bounds[0][2]))
    if table.unique:
        keys = {}
        for column_id in table.unique:
            codes = columns[column_id].codes
            keys[column_id] = codes if codes is not None else b.block(
                [f"{table.id} {column_id} row {i + 1}: key" for i in range(n)],
                [f'IFERROR({_trimmed(b.answer(place.sheet, place.cell(column_id, i)))},"")'
                 for i in range(n)])
        repeated = ["0"]
        for i in range(1, n):
            earlier = [f"{present[0]}:{present[i - 1]}"]
            for column_id, key in keys.items():
                span = f"{key[0]}:{key[i - 1]}"
                earlier.append(f"({span}={key[i]})" if columns[column_id].codes is not None
                               else f"EXACT({span},{key[i]})")
            repeated.append(f"--AND({present[i]}=1,SUMPRODUCT({'*'.join(earlier)})>0)")
        flags = b.block([f"{table.id} row {i + 1}: repeated" for i in range(n)], repeated)
        rows_rule("repeated", frozenset({"duplicate-row"}),
                  _ValueRule(frozenset(), "", flags, "=1"), "check_duplicate_rows")
    if table.min_rows:
        _rule(b, question, "missing", {"too-few-rows"}, "to answer", f"--({count}=0)",
              b.say("check_missing"))
        _rule(b, question, "problem", {"too-few-rows"}, "too few rows",
              f"--AND({count}>0,{count}<{table.min_rows})",
              b.say("check_too_few_rows", min=table.min_rows))
    question.answered_text = b.say("check_rows_filled", count=_Dynamic(count))
    question.missing_text = b.say("check_missing")
    return question


# --- the panel -----------------------------------------------------------------------------


def _column_name(b: _Builder, column: Field) -> str:
    """A column as the Check sheet names it: the columns for_each made (one per area rated)
    under their common label ("Value"), any other by its label."""
    label = column.label[b.lang]
    if column.group is None or column.option is None:
        return label
    area = b.questionnaire.reference[column.group].label(column.option, b.lang)
    return label.removesuffix(f" {area}").rstrip(" :") or label


def _question_check(b: _Builder, item: Field | Table, question: _Question) -> QuestionCheck:
    item_id = question.item_id
    missing = [r.cell for r in question.rules if r.kind == "missing"]
    incomplete = [r for r in question.rules if r.kind == "incomplete"]
    problems = [r for r in question.rules if r.kind == "problem"]
    # A question has at most one "missing" rule, whose cell says whether it is to answer, and
    # a table at most one "incomplete" rule: rows to complete leave it to answer too. What is
    # to correct counts every problem: each wrong row of a table, each wrong tick.
    assert len(missing) <= 1 and len(incomplete) <= 1
    to_answer = missing[0] if missing else "0"
    if incomplete:
        (unfinished,) = incomplete
        to_answer = b.helper(f"{item_id}: to answer", f"--OR({to_answer}=1,{unfinished.cell}>0)")
        question.missing_text = (f"IF({unfinished.cell}>0,{unfinished.message},"
                                 f"{question.missing_text})")
    to_correct = (problems[0].cell if len(problems) == 1 else
                  b.helper(f"{item_id}: to correct", _sum([r.cell for r in problems])))
    answered = f"IF({question.answered}=1,{ANSWERED},{OPTIONAL})"
    if question.not_applicable is not None:
        answered = (f"IF({question.not_applicable},{DOES_NOT_APPLY},"
                    f"IF(AND({question.undecided},{question.answered}=0),{DEPENDS},{answered}))")
    state_cell = b.helper(f"{item_id}: state",
                          f"IF({to_correct}>0,{TO_CORRECT},IF({to_answer}=1,{TO_ANSWER},"
                          f"{answered}))")
    messages = excel_text("")
    if problems:  # what to correct, after the rows still to complete (if any)
        messages = "MID(" + "&".join(f'IF({r.cell}>0,{excel_text(SEPARATOR)}&{r.message},"")'
                                     for r in [*incomplete, *problems]
                                     ) + f",{len(SEPARATOR) + 1},32767)"
        if len(messages) > JOIN_MAX:
            messages = b.helper(f"{item_id}: problems", messages)
    other = (b.questionnaire.number(item.relevant.question)
             if isinstance(item, Field) and item.relevant is not None else "")
    status = b.helper(f"{item_id}: status", (
        f"CHOOSE({state_cell}+1,{question.answered_text},{question.missing_text},{messages},"
        f"{b.say('check_does_not_apply')},{b.say('check_optional')},"
        f"{b.say('check_depends', other=other) if other else excel_text('')})"))
    place = (b.layout.tables[item_id].sheet, b.layout.tables[item_id].cell(
        item.columns[0].id, 0)) if isinstance(item, Table) else _field_target(b, item_id)
    return QuestionCheck(item_id, b.questionnaire.number(item_id),
                         marked_label(item, b.lang), place, tuple(question.rules), to_answer,
                         to_correct, state_cell, status)


def _field_target(b: _Builder, item_id: str) -> tuple[str, str]:
    place = b.layout.fields[item_id]
    return place.sheet, place.cell or next(iter(place.options.values()))


@lru_cache(maxsize=32)
def panel_for(questionnaire: Questionnaire, lang: str, survey: Survey) -> Panel:
    """The live checks of a questionnaire in a language (the same for every respondent)."""
    b = _Builder(questionnaire, lang, survey)
    b.write_forms()
    sections = []
    for section in questionnaire.sections:
        questions = []
        for item in section.items:
            made = (_table_checks(b, item) if isinstance(item, Table)
                    else _field_checks(b, item))
            questions.append(_question_check(b, item, made))
        sheet = section.sheet[lang]
        required = [q for q in questions if q.to_answer != "0"]
        to_answer = b.helper(f"{sheet}: to answer", _sum([q.to_answer for q in required]))
        to_correct = b.helper(f"{sheet}: to correct", _sum([q.to_correct for q in questions]))
        answer_list = b.joined(f"{sheet}: to answer list",
                               [(f"{q.to_answer}=1", q.number) for q in required], ", ")
        correct_list = b.joined(f"{sheet}: to correct list",
                                [(f"{q.to_correct}>0", q.number) for q in questions], ", ")
        to_answer_text = b.say("check_to_answer", count=_Dynamic(to_answer),
                               numbers=_Dynamic(answer_list))
        to_correct_text = b.say("check_to_correct", count=_Dynamic(to_correct),
                                numbers=_Dynamic(correct_list))
        summary = b.helper(f"{sheet}: summary", (
            f"IF({to_answer}+{to_correct}=0,{b.say('check_section_done')},"
            f'IF({to_answer}>0,{to_answer_text},"")'
            f'&IF(AND({to_answer}>0,{to_correct}>0),{excel_text(SEPARATOR)},"")'
            f'&IF({to_correct}>0,{to_correct_text},""))'))
        sections.append(SectionCheck(section.title[lang], sheet, tuple(questions), to_answer,
                                     to_correct, summary, b.plain("check_section_done")))
    to_answer = b.helper("questions to answer", _sum([s.to_answer for s in sections]))
    to_correct = b.helper("errors to correct", _sum([s.to_correct for s in sections]))
    left = b.helper("left to do", f"{to_answer}+{to_correct}")
    # "23 questions still to answer" on a blank workbook; errors only once there are some
    overall = b.helper("overall", (
        f"IF({left}=0,{b.say('check_ready')},"
        f"IF({to_answer}=0,\"\",IF({to_answer}=1,{b.say('check_left_to_answer_one')},"
        f"{b.say('check_left_to_answer_many', count=_Dynamic(to_answer))}))"
        f"&IF(AND({to_answer}>0,{to_correct}>0),{excel_text(SEPARATOR)},\"\")"
        f"&IF({to_correct}=0,\"\",IF({to_correct}=1,{b.say('check_left_to_correct_one')},"
        f"{b.say('check_left_to_correct_many', count=_Dynamic(to_correct))})))"))
    return Panel(lang, b.layout.check_sheet, b.formulas, b.values, b.labels, tuple(sections),
                 to_answer, to_correct, left, overall, b.plain("check_ready"))
