"""First drafts of the "Summary of Findings per ISCM": one Word document per ISCM, and one with
all of them, in the structure of the published summaries.

What each part says, from which answers, is data (summary.yaml, model/summary.py); the
sentences are Project Fluent messages per language (summary-<lang>.ftl). This module only
evaluates that specification against the returns. Free-text answers are quoted as the
respondent wrote them and never pass through a sentence's grammar; what is missing is said
plainly and highlighted for the editor, and so is a quotation in another language than the
draft's (with a comment: it needs a translation).

States, ISCMs and IGOs are named from the reference data's names and grammar (article, gender,
number, elision), through the Fluent messages name-the, name-of, name-to: no article is ever put
together here. An acronym is spelled out the first time a draft uses it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_tools.check.validate import ReturnReport
from workbook_tools.files import Outputs, normalize_package, safe_text
from workbook_tools.model.languages import collation_key
from workbook_tools.model.questionnaire import (
    TEXT_TYPES,
    Field,
    Questionnaire,
    Table,
    specification_of,
)
from workbook_tools.model.reference import NAME_LISTS, Iscm, Name
from workbook_tools.model.summary import (
    Answer,
    ColumnValues,
    DraftSection,
    First,
    Parts,
    Phrases,
    RowColumn,
    Said,
    Sentence,
    TopRated,
    Value,
    Voices,
    When,
)
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.consolidate import (
    Selection,
    about_iscms_table,
    iscm_kind,
    iscm_states,
    kinds_in_order,
    own_returns,
    rows_naming_iscms,
)
from workbook_tools.read.reading import TableRow
from workbook_tools.send.write import safe_file_stem

DOCUMENT_CREATED = dt.datetime(2000, 1, 1)
# French typography: a narrow no-break space before ";" (the messages carry their own spaces;
# this is for the separators summary.yaml gives)
_FRENCH_SEMICOLON = re.compile(r"(?<=\S);")
# A quotation travels through the sentences as a marker, and becomes its own run at the end: no
# grammar rule ever touches a respondent's words.
_QUOTE = re.compile("\ue000(\\d+)\ue001")
# Lists and dates as the UN writes them (British usage: no serial comma, "31 January 2027").
LOCALES = {"en": "en_GB", "fr": "fr", "es": "es"}
FORMS = ("the", "of", "to", "bare")  # how a sentence may need a name: name-<form> messages
ALREADY_SPELLED_OUT = {("igos", "iom")}  # the header names IOM in full
EDITOR = "workbook-tools"
DOCUMENT_FONT = "Arial"  # LibreOffice: Liberation Sans, metric-compatible
DOCUMENT_LANGUAGES = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}  # IOM writes British English


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    highlight: bool = False  # for the editor: something is missing
    quoted_from: str | None = None  # a respondent's words: the language of their return
    comment: str = ""  # for the editor, as a Word comment on the run


@dataclass
class Paragraph:
    style: str  # a style of Word's default template: Title, Subtitle, Heading 1, Normal...
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


# --- one language --------------------------------------------------------------------------


class Phrasebook:
    """The drafts' messages in one language, and the words they are made of."""

    def __init__(self, survey: Survey, lang: str) -> None:
        from fluent.runtime import FluentBundle, FluentResource

        self.survey, self.lang = survey, lang
        self.bundle = FluentBundle([lang], use_isolating=False)
        self.bundle.add_resource(FluentResource(survey.drafts.messages[lang]))
        self.quotes: list[tuple[str, str]] = []  # (text, language of the return)

    def has(self, message: str) -> bool:
        return bool(self.bundle.has_message(message))

    def format(self, message: str, args: Mapping[str, Any]) -> str:
        pattern = self.bundle.get_message(message).value
        assert pattern is not None, message  # checked when the definitions were loaded
        text, errors = self.bundle.format_pattern(pattern, dict(args))
        if errors:  # the definitions were checked: a message cannot miss a variable here
            raise RuntimeError(f"{message}: {errors[0]}")
        return str(text)

    def quote(self, text: str, lang: str) -> str:
        """A respondent's words, as a marker that becomes its own run."""
        self.quotes.append((text.strip(), lang))
        return self.format("quote", {"text": f"\ue000{len(self.quotes) - 1}\ue001"})

    def join(self, items: Sequence[str], separator: str | None = None) -> str:
        from babel.lists import format_list

        items = [item for item in items if item]
        if separator is not None:
            return separator.join(items)
        return format_list(items, locale=LOCALES[self.lang]) if items else ""

    def label(self, list_name: str, code: str) -> str:
        """A choice in running text: its message LIST-CODE if there is one, else its label,
        lower-cased unless it starts with an acronym ("IOM"). Names are said by `name`."""
        message = f"{list_name}-{code}"
        if self.has(message):
            return self.format(message, {})
        choices = self.survey.reference[list_name]
        text = choices.label(code, self.lang) if code in choices.codes else code
        first_word = text.split()[0] if text.split() else ""
        if first_word.isupper():
            return text
        return text[:1].lower() + text[1:]

    def name_of(self, list_name: str, code: str) -> Name | None:
        return self.survey.reference.name(list_name, code, self.lang)

    def forms(self, name: Name, spelled_out: bool) -> dict[str, str]:
        """A name as each form of sentence needs it: with its article ("the", "l'Égypte"),
        after "of" ("du Processus de Khartoum"), after "to" ("aux Pays-Bas"), bare. Spelled
        out, an acronym is its full name in that form followed by the acronym; a shortening
        of no official standing is its full name alone."""
        found = {}
        for form in FORMS:
            if spelled_out and not name.acronym:
                found[form] = self._form(form, name.full, name.full_grammar.article,
                                         name.full_grammar.elision)
            elif spelled_out:
                spelled = self._form(form, name.full, name.full_grammar.article,
                                     name.full_grammar.elision)
                found[form] = self.format("name-spelled-out",
                                          {"spelled": spelled, "acronym": name.short})
            else:
                found[form] = self._form(form, name.short, name.grammar.article,
                                         name.grammar.elision)
        return found

    def _form(self, form: str, text: str, article: str, elision: bool) -> str:
        return self.format(f"name-{form}", {"name": text, "article": article,
                                            "elision": "yes" if elision else "no"})

    def runs(self, text: str, **style: Any) -> list[Run]:
        """A sentence as runs: its own words, then each quotation as a run of its own. A
        quotation in another language than the draft's is highlighted and commented for the
        editor, its original kept; a full stop after a quotation that ends a sentence of its
        own is dropped ("...partnerships.”" not "...partnerships.”.")."""
        found: list[Run] = []
        position = 0
        for match in _QUOTE.finditer(text):
            if match.start() > position:
                found.append(Run(self._grammar(text[position:match.start()]), **style))
            quoted, lang = self.quotes[int(match.group(1))]
            run = Run(quoted, quoted_from=lang, **style)
            if lang != self.lang:
                run.highlight = True
                run.comment = self.format("translation-needed", {
                    "language": self.format(f"language-{lang}", {})})
            found.append(run)
            position = match.end()
        if position < len(text):
            found.append(Run(self._grammar(text[position:]), **style))
        for index in range(1, len(found)):
            before, run = found[index - 1], found[index]
            if before.quoted_from and run.quoted_from is None and \
                    before.text.rstrip().endswith((".", "!", "?", "…")):
                closing = re.match(r"^([”»   ]*)\.", run.text)
                if closing:
                    run.text = closing.group(1) + run.text[closing.end():]
        found = [run for run in found if run.text]
        if found and found[0].quoted_from is None:
            found[0].text = found[0].text[:1].upper() + found[0].text[1:]
        return found

    def _grammar(self, text: str) -> str:
        if self.lang != "fr":
            return text
        # French typography: a narrow no-break space before ";"
        return _FRENCH_SEMICOLON.sub("\u202f;", text)


# --- values --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    text: str = ""
    count: int = 0
    code: str = ""
    number: int | None = None
    # names (States, ISCMs, IGOs): each form a sentence may need, and their agreement
    forms: Mapping[str, str] = field(default_factory=dict)
    gender: str = "m"
    plural: bool = False


EMPTY = Rendered()
InRow = tuple[Table, TableRow]  # the table row a column's value is from


@dataclass(frozen=True)
class Scope:
    """What a sentence is about: a return's answers and tables, and maybe one row of a table."""

    questionnaire: Questionnaire
    answers: Mapping[str, object]
    tables: Mapping[str, Sequence[TableRow]]
    lang: str  # of the return: a quotation keeps it
    row: TableRow | None = None
    table: Table | None = None
    who: Rendered | None = None


class Speaker:
    """Sentences in one language about one ISCM, from the specification."""

    def __init__(self, book: Phrasebook, iscm: Iscm) -> None:
        self.book = book
        # the name line spells out the ISCM, and the header IOM
        self.introduced: set[tuple[str, str]] = {("iscms", iscm.code), *ALREADY_SPELLED_OUT}
        subject = self.names("iscms", [iscm.code])
        self.base: dict[str, Any] = {
            "name": subject.forms["the"], "of_name": subject.forms["of"],
            "to_name": subject.forms["to"], "short": subject.forms["bare"],
            "name_gender": subject.gender, "name_number": _number(subject)}

    def names(self, list_name: str, codes: Sequence[str], extra: Sequence[str] = ()
              ) -> Rendered:
        """States, ISCMs or IGOs as a list in each form a sentence may need ("the Rabat
        Process and the Migration Dialogue for West Africa (MIDWA)"); `extra` are quoted
        specifications of "Other". An acronym is spelled out at its first use."""
        book = self.book
        forms: dict[str, list[str]] = {form: [] for form in FORMS}
        genders, plural = set(), len(codes) + len(extra) > 1
        if list_name == "states":  # States in the alphabetical order of the draft's language

            def alphabetical(code: str) -> tuple[str, ...]:
                name = book.name_of(list_name, code)
                return collation_key(name.short if name else code, book.lang)

            codes = sorted(codes, key=alphabetical)
        for code in codes:
            name = book.name_of(list_name, code)
            if name is None:  # a code of a list frozen with an old questionnaire
                text = book.survey.reference.any_label(list_name, code, book.lang)
                for form in FORMS:
                    forms[form].append(text)
                continue
            spelled = name.introduced_in_full and (list_name, code) not in self.introduced
            self.introduced.add((list_name, code))
            for form, text in book.forms(name, spelled).items():
                forms[form].append(text)
            grammar = name.full_grammar if spelled else name.grammar
            genders.add(grammar.gender or "m")
            plural = plural or grammar.number == "plural"
        for text in extra:
            for form in FORMS:
                forms[form].append(text)
        count = len(forms["the"])
        if not count:
            return EMPTY
        joined = {form: book.join(items) for form, items in forms.items()}
        return Rendered(joined["the"], count, ",".join(codes), forms=joined,
                        gender="f" if genders == {"f"} else "m", plural=plural)

    # answers
    def field_value(self, f: Field, value: object, scope: Scope,
                    without: Sequence[str] = (), join: str | None = None,
                    in_row: InRow | None = None) -> Rendered:
        """An answer in running text; `in_row`: the table row a column's value is from."""
        if value is None or value == "" or value == ():
            # an empty number still selects Fluent's [0] variant ("and no observers")
            return Rendered(number=0) if f.type == "integer" else EMPTY
        book = self.book
        if f.choices in NAME_LISTS:
            return self._names(f, value, scope, without, (in_row,) if in_row else ())
        if f.type == "multiple_choice" and isinstance(value, tuple) and f.choices:
            codes = [str(code) for code in value if code not in without]
            items = [self._choice(f, code, scope, in_row) for code in codes]
            items = [item for item in items if item]
            return Rendered(book.join(items, join), len(items), ",".join(codes))
        if f.choices or f.type == "yes_no":
            code = str(value)
            if code in without:
                return EMPTY
            text = self._choice(f, code, scope, in_row)
            return Rendered(text, 1 if text else 0, code)
        if f.type == "integer" and isinstance(value, int):
            return Rendered(str(value), 1, "", value)
        if f.type == "date" and isinstance(value, dt.date):
            from babel.dates import format_date

            return Rendered(format_date(value, "long", locale=LOCALES[book.lang]), 1)
        if f.type in TEXT_TYPES:
            text = str(value).strip()
            return Rendered(book.quote(text, scope.lang), 1) if text else EMPTY
        return Rendered(str(value), 1)

    def _names(self, f: Field, value: object, scope: Scope, without: Sequence[str] = (),
               in_rows: Sequence[InRow | None] = ()) -> Rendered:
        """Names as a list; an "Other" is its quoted specification (in a table, that of the
        row each value is from: `in_rows`, one per value)."""
        assert f.choices is not None
        given = value if isinstance(value, tuple | list) else (value,)
        rows = list(in_rows) or [None] * len(given)
        codes, extra = [], []
        for raw, in_row in zip(given, rows, strict=True):
            if raw in without:
                continue
            code = str(raw)
            if specification_of(scope.questionnaire, f, code,
                                in_row[0] if in_row else None) is not None:
                quoted = self._choice(f, code, scope, in_row)
                if quoted:
                    extra.append(quoted)
            else:
                codes.append(code)
        return self.names(f.choices, codes, extra)

    def _choice(self, f: Field, code: str, scope: Scope, in_row: InRow | None = None) -> str:
        """A choice's words; "Other (specify)" is the quoted specification, when given (in a
        table, from the same row)."""
        table, row = in_row if in_row is not None else (None, None)
        specification = specification_of(scope.questionnaire, f, code, table)
        if specification is not None:
            typed = (row.values if row is not None else scope.answers).get(specification.id)
            if isinstance(typed, str) and typed.strip():
                return self.book.quote(typed, scope.lang)
            return ""
        list_name = "yes_no" if f.type == "yes_no" else f.choices
        return self.book.label(list_name or "", code)

    def value(self, value: Value, scope: Scope) -> Rendered:
        if isinstance(value, Answer):
            f = _field(scope.questionnaire, value.question)
            if f is None:
                return EMPTY
            return self.field_value(f, scope.answers.get(f.id), scope, value.without,
                                    value.join)
        if isinstance(value, RowColumn):
            if scope.row is None or scope.table is None:
                return EMPTY
            column = scope.table.column(value.column)
            return self.field_value(column, scope.row.values.get(column.id), scope,
                                    in_row=(scope.table, scope.row))
        if isinstance(value, ColumnValues):
            return self._column_values(value, scope)
        if isinstance(value, Phrases):
            return self._phrases(value, scope)
        if isinstance(value, Parts):
            items = []
            for part in value.parts:
                if isinstance(part, Said):
                    if part.when is None or holds(part.when, scope):
                        items.append(self.book.format(part.say, self.base))
                else:
                    items.append(self.value(part, scope).text)
            items = [item for item in items if item]
            return Rendered(self.book.join(items), len(items)) if items else EMPTY
        return self._top_rated(value, scope)

    def _column_values(self, value: ColumnValues, scope: Scope) -> Rendered:
        table = _table(scope.questionnaire, value.table)
        if table is None:
            return EMPTY
        column = table.column(value.column)
        return self._cells(column, scope.tables.get(table.id, ()), scope, table)

    def _cells(self, column: Field, rows: Sequence[TableRow], scope: Scope, table: Table
               ) -> Rendered:
        """A column's distinct values across rows, as one list; an "Other" from each row (each
        has its own specification)."""
        cells: list[object] = []
        where: list[InRow | None] = []
        seen: set[object] = set()
        for row in rows:
            cell = row.values.get(column.id)
            key = (cell, row.index) if specification_of(
                scope.questionnaire, column, str(cell), table) else cell
            if cell is None or key in seen:
                continue
            seen.add(key)
            cells.append(cell)
            where.append((table, row))
        if column.choices in NAME_LISTS:
            return self._names(column, tuple(cells), scope, in_rows=where)
        items = [self.field_value(column, cell, scope, in_row=in_row).text
                 for cell, in_row in zip(cells, where, strict=True)]
        items = [item for item in items if item]
        return Rendered(self.book.join(items), len(items)) if items else EMPTY

    def _phrases(self, value: Phrases, scope: Scope) -> Rendered:
        table = _table(scope.questionnaire, value.table)
        if table is None:
            return EMPTY
        groups: dict[tuple[object, ...], list[TableRow]] = {}
        for row in scope.tables.get(table.id, ()):
            groups.setdefault(tuple(row.values.get(c) for c in value.by), []).append(row)
        phrases = []
        for rows in groups.values():
            args: dict[str, Any] = dict(self.base)
            for name, column_id in value.columns.items():
                column = table.column(column_id)
                if column_id in value.by:
                    rendered = self.field_value(column, rows[0].values.get(column_id), scope,
                                                in_row=(table, rows[0]))
                else:
                    rendered = self._cells(column, rows, scope, table)
                if rendered.count == 0 and name not in value.optional:
                    break
                args.update(_arguments(name, rendered))
            else:
                phrases.append(self.book.format(value.say, args))
        if not phrases:
            return EMPTY
        return Rendered(self.book.join(phrases, value.join), len(phrases))

    def _top_rated(self, value: TopRated, scope: Scope) -> Rendered:
        if scope.row is None or scope.table is None:
            return EMPTY
        columns = scope.table.columns_with_role(value.role)
        ranks: dict[str, int] = {}
        for column in columns:
            codes = list(column.codes)
            rating = scope.row.values.get(column.id)
            if isinstance(rating, str) and rating in codes and column.option:
                ranks[column.option] = codes.index(rating)
        if not ranks or not columns:
            return EMPTY
        threshold = list(columns[0].codes).index(value.at_least) if (
            value.at_least in columns[0].codes) else len(columns[0].codes)
        best = min(ranks.values())
        if best > threshold:
            return EMPTY
        group = columns[0].group or ""
        items = [self.book.label(group, option) for option, rank in ranks.items()
                 if rank == best]
        return Rendered(self.book.join(items), len(items))

    # sentences
    def sentence(self, sentence: Sentence, scope: Scope) -> list[Run] | None:
        if sentence.when is not None and not holds(sentence.when, scope):
            return None
        args: dict[str, Any] = dict(self.base)
        if scope.who is not None:
            args.update(_arguments("who", scope.who))
        introduced = set(self.introduced)  # a sentence not said spells nothing out
        for name, value in sentence.values.items():
            rendered = self.value(value, scope)
            if rendered.count == 0 and name not in sentence.optional and sentence.when is None:
                self.introduced = introduced
                return None  # said when all its values have one
            args.update(_arguments(name, rendered))
        return self.book.runs(self.book.format(sentence.say, args))

    def statement(self, statement: Sentence | First, scope: Scope) -> list[list[Run]]:
        """The sentences a statement says: none, one, or one per row of a table."""
        if isinstance(statement, First):
            for option in statement.options:
                said = self.statement(option, scope)
                if said:
                    return said
            return []
        if statement.each_row is not None:
            table = _table(scope.questionnaire, statement.each_row)
            if table is None:
                return []
            rows = [self.sentence(statement, Scope(scope.questionnaire, scope.answers,
                                                   scope.tables, scope.lang, row, table))
                    for row in scope.tables.get(table.id, ())]
            return [runs for runs in rows if runs]
        runs = self.sentence(statement, scope)
        return [runs] if runs else []


def _number(rendered: Rendered) -> str:
    return "plural" if rendered.plural else "singular"


def _arguments(name: str, rendered: Rendered) -> dict[str, Any]:
    """A value as Fluent variables: itself (a number when it is one), how many, which code;
    for names, each form ("of", "to", "bare") and the gender and number a verb or an
    adjective agrees with."""
    value: Any = rendered.number if rendered.number is not None else rendered.text
    forms = rendered.forms or dict.fromkeys(FORMS, rendered.text)
    return {name: value, f"{name}_count": rendered.count, f"{name}_code": rendered.code,
            f"{name}_of": forms["of"], f"{name}_to": forms["to"], f"{name}_bare": forms["bare"],
            f"{name}_gender": rendered.gender, f"{name}_number": _number(rendered)}


def holds(when: When, scope: Scope) -> bool:
    value = scope.answers.get(when.question)
    if when.operator == "answered":
        return value not in (None, "", ())
    if when.operator == "includes":
        return isinstance(value, tuple) and any(code in value for code in when.values)
    return value in when.values


def _field(questionnaire: Questionnaire, question_id: str) -> Field | None:
    return next((f for f in questionnaire.fields() if f.id == question_id), None)


def _table(questionnaire: Questionnaire, table_id: str) -> Table | None:
    return next((t for t in questionnaire.tables() if t.id == table_id), None)


# --- one summary ---------------------------------------------------------------------------


@dataclass
class Heard:
    """What the respondents of one questionnaire said of an ISCM: (return, row) pairs."""

    kind: str
    rows: list[tuple[ReturnReport, TableRow]]  # the return, and its row naming the ISCM


def _normal(runs: list[Run]) -> Paragraph:
    return Paragraph("Normal", runs)


def _joined(sentences: list[list[Run]]) -> list[Run]:
    runs: list[Run] = []
    for sentence in sentences:
        if runs:
            runs.append(Run(" "))
        runs += sentence
    return runs


# What a draft says of an ISCM without a valid return, by where its return stands: the states
# of the master's tracker (consolidate.iscm_states), so that an ISCM whose return came in but
# is invalid or unreadable is never said not to have answered.
MISSING_BY_STATE = {"invalid": "missing-iscm-invalid", "rejected": "missing-iscm-rejected",
                    "conflicting": "missing-iscm-conflicting"}


def compose(iscm: Iscm, own: ReturnReport | None, heard: Mapping[str, Heard], survey: Survey,
            book: Phrasebook, state: str = "not received") -> list[Paragraph]:
    """The summary of one ISCM (from its own return, if it sent one), as paragraphs after the
    header; sections are Heading 1. `state` says where its own return stands when `own` is
    None."""
    speaker = Speaker(book, iscm)
    name = book.name_of("iscms", iscm.code)
    full, short = (name.full, name.short) if name else (iscm.full_name, iscm.short_name)
    # "Processus de Prague", not "Processus de Prague (Processus de Prague)"
    named = full if full == short else book.format("name-line-name",
                                                   {"full": full, "short": short})
    paragraphs = [_normal([Run(book.format("name-line", {})),
                           Run(named, bold=True, italic=True)])]
    if own is None:
        paragraphs.append(_normal(book.runs(book.format(
            MISSING_BY_STATE.get(state, "missing-iscm"), speaker.base), highlight=True)))
    missing_section = "missing-section" if own is not None or state not in MISSING_BY_STATE \
        else "missing-section-pending"
    questionnaire = (own.questionnaire if own is not None and own.questionnaire
                     else survey.current(iscm_kind(survey)))
    scope = Scope(questionnaire, own.reading.answers if own else {},
                  own.reading.tables if own else {}, own.reading.lang if own else book.lang)
    drafts = survey.drafts
    for section in questionnaire.sections:
        if section.id in drafts.leave_out:
            continue
        paragraphs.append(Paragraph("Heading 1", [Run(section.title[book.lang])]))
        spec = drafts.section(section.id)
        body: list[Paragraph] = []
        if own is not None:
            body = (_specified(speaker, spec, scope) if spec is not None
                    else _generic(speaker, section.items, scope))
        if not body:
            body = [_normal(book.runs(book.format(missing_section, speaker.base),
                                      highlight=True))]
        paragraphs += body
        for voices in spec.voices if spec is not None else ():
            paragraphs += _voices(speaker, voices, heard.get(voices.questionnaire), survey)
    return paragraphs


def _specified(speaker: Speaker, spec: DraftSection, scope: Scope) -> list[Paragraph]:
    found = []
    for paragraph in spec.paragraphs:
        sentences = [runs for statement in paragraph
                     for runs in speaker.statement(statement, scope)]
        if sentences:
            found.append(_normal(_joined(sentences)))
    return found


def _generic(speaker: Speaker, items: Sequence[Field | Table], scope: Scope) -> list[Paragraph]:
    """A section summary.yaml does not draft: each answer after its question."""
    found = []
    for item in items:
        if not isinstance(item, Field) or item.personal or item.prefill == "respondent":
            continue
        answer = speaker.field_value(item, scope.answers.get(item.id), scope)
        if answer.count:
            text = speaker.book.format("generic-answer", {
                "question": item.label[speaker.book.lang], "answer": answer.text})
            found.append(_normal(speaker.book.runs(text)))
    return found


def _voices(speaker: Speaker, voices: Voices, heard: Heard | None, survey: Survey
            ) -> list[Paragraph]:
    book = speaker.book
    pairs = heard.rows if heard is not None else []
    if not pairs:
        if voices.none is None:
            return []
        return [_normal(book.runs(book.format(voices.none.say, speaker.base)))]

    def list_of(item: ReturnReport) -> str:
        return item.questionnaire.respondent if item.questionnaire else "states"

    def sort_key(item: ReturnReport) -> tuple[str, str, str]:
        name = book.name_of(list_of(item), item.reading.respondent.code)
        return collation_key(name.short if name else item.reading.respondent.code, book.lang)

    pairs = sorted(pairs, key=lambda pair: sort_key(pair[0]))
    respondents = list(dict.fromkeys((list_of(item), item.reading.respondent.code)
                                     for item, _ in pairs))
    paragraphs = []
    if voices.intro is not None:
        members = _members(pairs, voices)
        names = speaker.names(respondents[0][0], [code for _, code in respondents])
        args = {**speaker.base, **_arguments("names", names), "count": names.count,
                "members": members,
                "count_word": book.format("number-word", {"n": names.count})}
        paragraphs.append(_normal(book.runs(book.format(voices.intro.say, args))))
    for item, row in pairs:
        found = about_iscms_table(item.questionnaire) if item.questionnaire else None
        if item.questionnaire is None or found is None:
            continue
        who = speaker.names(list_of(item), [item.reading.respondent.code])
        scope = Scope(item.questionnaire, item.reading.answers, item.reading.tables,
                      item.reading.lang, row, found[0], who)
        sentences = [runs for sentence in voices.each
                     for runs in speaker.statement(sentence, scope)]
        if sentences:
            paragraphs.append(_normal(_joined(sentences)))
    return paragraphs


def _members(pairs: Sequence[tuple[ReturnReport, TableRow]], voices: Voices) -> str:
    """Whether all, some or none of the respondents take part as members, as summary.yaml
    says to tell (`members`: a column of their row and the codes that mean it); "all" when it
    says nothing."""
    if voices.members is None:
        return "all"
    column, codes = voices.members
    members = [row.values.get(column) in codes for _, row in pairs]
    return "all" if all(members) else "some" if any(members) else "none"


def _demoted(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The same paragraphs one heading level down, to sit under an ISCM's own heading."""
    return [Paragraph("Heading 2", p.runs) if p.style == "Heading 1" else p for p in paragraphs]


def header(book: Phrasebook, survey: Survey, counts: Mapping[str, int], title: str = "title"
           ) -> list[Paragraph]:
    lang = book.lang
    return [
        _normal([Run(book.format("organization", {}), bold=True)]),
        _normal([Run(book.format("division", {}), bold=True)]),
        Paragraph("Subtitle", [Run(survey.settings.text("survey_title", lang))]),
        Paragraph("Title", [Run(book.format(title, {}))]),
        _normal([Run(book.format("purpose", {"year": str(survey.settings.year)}))]),
        _normal([Run(book.format("counts", counts))]),
        _normal([Run(book.format("outline", {}))]),
        _normal([Run(book.format("draft-note", {}), italic=True)]),
    ]


# --- from returns to documents -------------------------------------------------------------


@dataclass
class Summaries:
    files: list[Path]
    combined: Path


def is_draft(name: str) -> bool:
    return name.lower().endswith(".docx")


def write_summaries(out_dir: Path, selection: Selection, survey: Survey,
                    lang: str = "en") -> Summaries:
    """Every draft in one language, in out_dir. The folder is replaced as one whole: the drafts
    of this language are all new (a draft that no longer applies is gone), those of the other
    languages are kept, and a folder holding anything but drafts is left alone (OutputError)."""
    book = Phrasebook(survey, lang)
    own, named = own_returns(selection.used, survey), rows_naming_iscms(selection.used)
    states = {code: standing.state for code, standing in iscm_states(selection, survey).items()}
    kinds = Counter(item.reading.respondent.kind for item in selection.used)
    counts = {kind: kinds[kind] for kind in kinds_in_order(survey)}
    spoken_of = {voices.questionnaire for section in survey.drafts.sections
                 for voices in section.voices}
    documents: dict[str, bytes] = {}
    combined = header(book, survey, counts, title="all-title")
    for iscm in survey.reference.iscms:
        heard = {kind: Heard(kind, list(rows))
                 for kind, rows in named.get(iscm.code, {}).items()}
        state = states.get(iscm.code, "not received")
        if iscm.code not in own and not any(heard.get(kind) for kind in spoken_of) and (
                state not in MISSING_BY_STATE):
            continue  # a draft speaks of an ISCM that sent a return, or that others spoke of
        body = compose(iscm, own.get(iscm.code), heard, survey, book, state)
        name = book.name_of("iscms", iscm.code)
        short = name.short if name else iscm.short_name
        documents[f"{safe_file_stem(iscm.short_name)}-{lang}.docx"] = docx_bytes(
            [*header(book, survey, counts), *body], f"{book.format('title', {})}: {short}",
            lang, header_text=book.format("page-header", {}),
            page_word=book.format("page-footer", {}))
        combined.append(Paragraph("Heading 1", [Run(short)]))
        combined += _demoted(body)
    all_name = f"all-iscms-{lang}.docx"
    documents[all_name] = docx_bytes(combined, book.format("all-title", {}), lang,
                                     page_breaks=True,
                                     header_text=book.format("page-header", {}),
                                     page_word=book.format("page-footer", {}))
    suffix = f"-{lang}.docx"
    with Outputs() as outputs:
        outputs.folder(out_dir, documents, allowed=is_draft,
                       carry=lambda name: not name.lower().endswith(suffix),
                       what="Word drafts")
        outputs.commit()
    return Summaries([out_dir / name for name in documents if name != all_name],
                     out_dir / all_name)


def docx_bytes(paragraphs: Sequence[Paragraph], title: str, lang: str,
               page_breaks: bool = False, header_text: str = "", page_word: str = ""
               ) -> bytes:
    """A Word document on A4 pages, its status in every page's header and the page number in
    every footer; a run with a comment for the editor carries it as a Word comment."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX, WD_PARAGRAPH_ALIGNMENT
    from docx.shared import Cm

    document = Document()
    properties = document.core_properties
    properties.title = safe_text(title)
    properties.author = "IOM International Partnerships Division (workbook-tools)"
    properties.last_modified_by = ""
    properties.language = lang
    properties.revision = 1
    properties.created = properties.modified = properties.last_printed = DOCUMENT_CREATED
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    if header_text:
        header = section.header.paragraphs[0]
        header.text = header_text
        header.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
        for run in header.runs:
            run.italic = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
    if page_word:
        footer.add_run(f"{page_word} ")
    _page_number(footer)
    _explicit_fonts(document, lang)
    if any(run.comment for paragraph in paragraphs for run in paragraph.runs):
        _comment_reference_style(document)
    seen_first_heading = False
    styles: dict[str, Any] = {}
    for paragraph in paragraphs:
        if page_breaks and paragraph.style == "Heading 1":
            if seen_first_heading:
                document.add_page_break()  # type: ignore[no-untyped-call]
            seen_first_heading = True
        if paragraph.style not in styles:  # looked up once: python-docx searches by name
            styles[paragraph.style] = document.styles[paragraph.style]
        target = document.add_paragraph(style=styles[paragraph.style])
        for run in paragraph.runs:
            added = target.add_run(safe_text(run.text))
            added.bold = run.bold or None
            added.italic = run.italic or None
            if run.highlight:
                added.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if run.comment:
                comment = document.add_comment(added, text=safe_text(run.comment),
                                               author=EDITOR,
                                               initials="WT")
                comment._comment_elm.date = DOCUMENT_CREATED  # the same bytes every time
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_package(buffer.getvalue())


def _explicit_fonts(document: Any, lang: str) -> None:
    """Every style in a named face, not the theme's: python-docx's template takes its faces
    from the theme (Calibri, Cambria), which LibreOffice lacks and replaces by a serif face.
    Arial is drawn by LibreOffice with Liberation Sans, of the same widths (installed by
    tools/ensure-libreoffice), so Word and LibreOffice lay out the same pages. The
    document's language is the draft's, for the editor's spelling checker."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        theme = [name for name in fonts.attrib if name.endswith("Theme") or
                 name == qn("w:cstheme")]
        if not theme:
            continue
        for name in theme:
            del fonts.attrib[name]
        for name in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(name), DOCUMENT_FONT)
    for language in styles.iter(qn("w:lang")):  # the document defaults'
        language.set(qn("w:val"), DOCUMENT_LANGUAGES.get(lang, lang))


def _comment_reference_style(document: Any) -> None:
    """The character style Word gives a comment's mark; python-docx's template lacks it."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    style = document.styles.add_style("annotation reference", WD_STYLE_TYPE.CHARACTER)
    style.element.styleId = "CommentReference"
    style.font.size = Pt(8)


def _page_number(paragraph: Any) -> None:
    """Word's PAGE field: the page number, computed by the word processor."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()._r
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run.append(element)
