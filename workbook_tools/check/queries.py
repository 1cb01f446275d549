"""Consistency queries: where valid returns disagree with each other or with the reference
lists, each as a question to send to a respondent, in its language.

A query is not an error: every return stays as valid as it was. Queries are found in the
returns that count (the latest valid return of each respondent, its answers in the current
version's terms), from what the definitions declare, never from question ids:

- partners: an ISCM names an organization or another ISCM (questions with the role
  names_partners, and its table with the role about_iscms), and that respondent's own return
  does not name the ISCM in its table with the role about_iscms; or the other way round;
- membership: the ISCM's table with the role membership_changes says that a State has left
  (ends_membership), and the State's return still names the ISCM;
- held by one: several respondents give, for the same ISCM, a value only one can hold (a
  column's held_by_one, e.g. the chair);
- reference lists: the year an ISCM gives for its establishment (role established) differs
  from schemas/iscms.yaml.

Each query points at the cell of the respondent's own file where the answer is, or should be,
and says who said otherwise, and where.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from workbook_tools.check.names import NameForms
from workbook_tools.check.validate import ReturnReport
from workbook_tools.form.layout import Layout, layout_in
from workbook_tools.model.languages import LANGS, Localized, collation_key
from workbook_tools.model.messages import Issue
from workbook_tools.model.questionnaire import OTHER, Field, Questionnaire, Table
from workbook_tools.model.survey import Survey
from workbook_tools.read.reading import TableRow

Key = tuple[str, str]  # a respondent: (questionnaire id, code in its respondents' list)


@dataclass(frozen=True)
class Source:
    """Who said what, where: the other side of a query."""

    who: str  # the respondent's name, in English
    file: str
    sheet: str
    cell: str
    value: str  # what it said, in English


@dataclass(frozen=True)
class Query:
    """A question for one respondent: `issue` says where in its own file (sheet, cell), what
    it answered there (value) and, rendered by the survey's catalogue in a language, what to
    confirm; `sources` say who said otherwise, and where."""

    to: ReturnReport
    issue: Issue
    sources: tuple[Source, ...]

    @property
    def lang(self) -> str:
        return self.to.reading.lang


@dataclass(frozen=True)
class _Statement:
    """One respondent saying it works with another (a value naming it, in a question or a
    table row)."""

    speaker: ReturnReport
    counterpart: Key
    item: Field | Table  # the question, or the table whose row names the counterpart
    column: Field | None  # in a table: the column naming it
    row: TableRow | None
    code: str


class _Finder:
    """What the queries need to say: names and places, in every language."""

    def __init__(self, used: Sequence[ReturnReport], survey: Survey) -> None:
        self.survey = survey
        self.used = used
        self.by_key: dict[Key, ReturnReport] = {}
        for item in used:
            respondent = item.reading.respondent
            if respondent.kind and respondent.code:
                self.by_key[(respondent.kind, respondent.code)] = item
        # the questionnaire answered by each respondents' list (iscms -> iscm, ...)
        self.kind_of_list = {survey.current(kind).respondent: kind for kind in survey.ids()}
        self.forms = NameForms(survey)

    # names, with their article: "le Processus de Rabat", "du Processus de Rabat", "au..."
    def name(self, key: Key, lang: str, form: str = "the") -> str:
        return self.forms.name(self.survey.current(key[0]).respondent, key[1], lang, form)

    def names(self, key: Key, form: str = "the") -> Localized:
        return _localized(lambda lang: self.name(key, lang, form))

    def phrase(self, word: str, key: Key) -> Localized:
        """A name in a phrase of the catalogue's words ("auprès du Processus de Rabat")."""
        return _localized(lambda lang: self.word(word, lang, **{
            form: self.name(key, lang, form) for form in ("the", "of", "to")}))

    def label(self, f: Field, code: str, lang: str) -> str:
        list_name = "yes_no" if f.type == "yes_no" else f.choices
        if list_name is None:
            return code
        choices = self.survey.reference[list_name]
        return choices.label(code, lang) if code in choices.codes else code

    def word(self, key: str, lang: str, **values: object) -> str:
        return self.survey.messages.word(key, lang).format(**values)

    # places in a return's own file (it may have been made from an older version)
    def layout(self, item: ReturnReport) -> Layout | None:
        identity = item.reading.identity
        if identity is None:
            return None
        made_from = self.survey.get(identity.questionnaire, identity.version)
        return layout_in(made_from, identity.lang, self.survey) if made_from else None

    def field_cell(self, item: ReturnReport, f: Field, code: str | None = None
                   ) -> tuple[str, str]:
        layout = self.layout(item)
        place = layout.fields.get(f.id) if layout else None
        if place is None:
            return "", ""
        if code is not None and code in place.options:
            return place.sheet, place.options[code]
        return place.sheet, place.cell or next(iter(place.options.values()), "")

    def table_cell(self, item: ReturnReport, table: Table, column: Field, row: int | None
                   ) -> tuple[str, str]:
        """A table row's cell; with no row, the first row left empty (where to add one). In a
        return made from an older version, the cell its answer was carried from."""
        layout = self.layout(item)
        place = layout.tables.get(table.id) if layout else None
        column_id = column.id
        identity = item.reading.identity
        if place is not None and column_id not in place.columns and identity is not None:
            column_id = self.survey.source_of(identity.questionnaire, identity.version,
                                              f"{table.id}.{column.id}") or column_id
            column_id = column_id.rpartition(".")[2]
        if place is None or column_id not in place.columns:
            return (place.sheet, "") if place else ("", "")
        if row is None:
            taken = {r.index for r in item.reading.tables.get(table.id, ())}
            row = next((i for i in range(place.rows) if i not in taken), place.rows - 1)
        return place.sheet, place.cell(column_id, row)

    def where(self, questionnaire: Questionnaire, item: Field | Table, lang: str,
              row: TableRow | None = None, column: Field | None = None) -> str:
        """A question or a table row, as a respondent reads it: 'question 3.7, "..."'."""
        number = questionnaire.number(item.id)
        if isinstance(item, Table):
            text = self.word("at-table-row", lang, number=number,
                             row=(row.index + 1) if row else "")
            if row is not None:
                said = [self.label(c, str(row.values[c.id]), lang) for c in item.columns
                        if c.choices and c is not column and c.group is None
                        and row.values.get(c.id) is not None and c.choices != "iscms"]
                if said:
                    text += ": " + ", ".join(said)
            return text
        return self.word("at-question", lang, number=number, label=item.label[lang])

    def issue(self, code: str, sheet: str, cell: str, question: str, value: str = "",
              **params: Any) -> Issue:
        return self.survey.messages.issue(code, sheet=sheet, cell=cell, question=question,
                                          value=value, **params)


class _PerLanguage(Mapping[str, str]):
    """A text in each language, made when a language is asked for: a query is rendered in its
    respondent's language and in English, seldom in the third."""

    def __init__(self, make: Callable[[str], str]) -> None:
        self.make = make
        self.made: dict[str, str] = {}

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGS:
            raise KeyError(lang)
        if lang not in self.made:
            self.made[lang] = self.make(lang)
        return self.made[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)


def _localized(make: Callable[[str], str]) -> Localized:
    return _PerLanguage(make)


# --- partners ------------------------------------------------------------------------------


def _statements(finder: _Finder) -> Iterator[_Statement]:
    """Every 'we work with X' in the returns: an ISCM naming partners, and any respondent
    naming an ISCM in its table with the role about_iscms."""
    for item in finder.used:
        questionnaire = item.questionnaire
        if questionnaire is None:
            continue
        about = questionnaire.table_with_role("about_iscms")
        iscm_column = about.iscm_column if about else None
        if about is not None and iscm_column is not None:
            iscm_kind = finder.kind_of_list.get("iscms")
            for row in item.reading.tables.get(about.id, ()):
                code = row.values.get(iscm_column.id)
                if isinstance(code, str) and iscm_kind:
                    yield _Statement(item, (iscm_kind, code), about, iscm_column, row, code)
        if questionnaire.respondent != "iscms":
            continue
        for _, question in questionnaire.items():
            if isinstance(question, Table):
                for column in question.columns_with_role("names_partners"):
                    kind = finder.kind_of_list.get(column.choices or "")
                    for row in item.reading.tables.get(question.id, ()):
                        code = row.values.get(column.id)
                        if kind and isinstance(code, str) and code != OTHER:
                            yield _Statement(item, (kind, code), question, column, row, code)
            elif question.role == "names_partners":
                kind = finder.kind_of_list.get(question.choices or "")
                value = item.reading.answers.get(question.id)
                codes = value if isinstance(value, tuple) else (value,)
                for code in codes:
                    if kind and isinstance(code, str) and code != OTHER:
                        yield _Statement(item, (kind, code), question, None, None, code)


def _naming_places(questionnaire: Questionnaire, kind_list: str
                   ) -> list[tuple[Field | Table, Field]]:
    """Where a questionnaire answered by ISCMs names respondents of a list: (question or
    table, the question or column). Tables first: a partner is listed there."""
    places: list[tuple[Field | Table, Field]] = []
    for _, item in questionnaire.items():
        if isinstance(item, Table):
            for column in item.columns:
                if column.choices == kind_list and (
                        column.role == "names_partners" or (
                            item.role == "about_iscms" and column is item.iscm_column)):
                    places.append((item, column))
        elif item.role == "names_partners" and item.choices == kind_list:
            places.append((item, item))
    return sorted(places, key=lambda place: not isinstance(place[0], Table))


def partner_queries(finder: _Finder) -> list[Query]:
    said: dict[frozenset[Key], list[_Statement]] = defaultdict(list)
    for statement in _statements(finder):
        respondent = statement.speaker.reading.respondent
        speaker = (respondent.kind, respondent.code)
        if speaker != statement.counterpart:
            said[frozenset({speaker, statement.counterpart})].append(statement)
    queries = []
    for pair in sorted(said, key=lambda p: sorted(p)):
        statements = said[pair]
        speakers = {(s.speaker.reading.respondent.kind, s.speaker.reading.respondent.code)
                    for s in statements}
        if len(speakers) != 1 or any(key not in finder.by_key for key in pair):
            continue  # both said it, or one of them did not answer
        (speaker_key,) = speakers
        (silent_key,) = pair - {speaker_key}
        silent = finder.by_key[silent_key]
        questionnaire = silent.questionnaire
        if questionnaire is None:
            continue
        speaker_list = finder.survey.current(speaker_key[0]).respondent
        places = _naming_places(questionnaire, speaker_list) if (
            questionnaire.respondent == "iscms") else []
        about = questionnaire.table_with_role("about_iscms")
        if questionnaire.respondent != "iscms" and about is not None and about.iscm_column:
            places = [(about, about.iscm_column)]
        if not places:
            continue  # its questionnaire has no place to name the speaker: nothing to ask
        queries.append(_partner_query(finder, silent, silent_key, speaker_key, statements,
                                      places))
    return queries


def _partner_query(finder: _Finder, silent: ReturnReport, silent_key: Key, speaker_key: Key,
                   statements: list[_Statement], places: list[tuple[Field | Table, Field]]
                   ) -> Query:
    questionnaire = silent.questionnaire
    assert questionnaire is not None
    first, column = places[0]
    if isinstance(first, Table):
        sheet, cell = finder.table_cell(silent, first, column, None)
    else:
        sheet, cell = finder.field_cell(silent, column, speaker_key[1])

    def missing(lang: str) -> str:
        if len(places) == 1 and isinstance(first, Table):
            layout = finder.layout(silent)
            place = layout.tables.get(first.id) if layout else None
            sheet_name = first.sheet[lang]
            if place is not None and silent.reading.lang == lang:
                sheet_name = place.sheet
            return finder.word("at-table", lang, number=questionnaire.number(first.id),
                               sheet=sheet_name)
        numbers = ", ".join(dict.fromkeys(questionnaire.number(item.id) for item, _ in places))
        return finder.word("at-questions", lang, numbers=numbers)

    speaker = finder.by_key[speaker_key]
    assert speaker.questionnaire is not None
    speaker_questionnaire = speaker.questionnaire

    def speaker_question(lang: str) -> str:
        return "; ".join(dict.fromkeys(
            finder.where(speaker_questionnaire, s.item, lang, s.row, s.column)
            for s in statements))

    sources = []
    for statement in statements:
        if statement.row is not None and isinstance(statement.item, Table):
            assert statement.column is not None
            where = finder.table_cell(speaker, statement.item, statement.column,
                                      statement.row.index)
        else:
            assert isinstance(statement.item, Field)
            where = finder.field_cell(speaker, statement.item, statement.code)
        sources.append(Source(speaker.reading.respondent.name, str(speaker.path), *where,
                              finder.where(speaker_questionnaire, statement.item, "en",
                                           statement.row, statement.column)))
    issue = finder.issue(
        "query-partner-not-named", sheet, cell, first.id,
        speaker=finder.names(speaker_key), respondent=finder.names(silent_key),
        respondent_object=finder.phrase("name-object", silent_key),
        speaker_object=finder.phrase("name-object", speaker_key),
        check_with=finder.phrase("check-with", speaker_key),
        speaker_question=_localized(speaker_question), missing=_localized(missing))
    return Query(silent, issue, tuple(sources))


# --- membership ----------------------------------------------------------------------------


def membership_queries(finder: _Finder) -> list[Query]:
    queries = []
    for item in finder.used:
        table = item.table_with_role("membership_changes")
        if table is None:
            continue
        state_column, change_column = table.state_column, table.change_column
        year_column = next((c for c in table.columns if c.type == "year"), None)
        if state_column is None or change_column is None:
            continue
        latest: dict[str, TableRow] = {}
        for row in sorted(item.reading.tables.get(table.id, ()), key=lambda r: (
                _year(r, year_column), r.index)):
            state = row.values.get(state_column.id)
            if isinstance(state, str):
                latest[state] = row
        iscm_key = (item.reading.respondent.kind, item.reading.respondent.code)
        state_kind = finder.kind_of_list.get(state_column.choices or "")
        for state, row in sorted(latest.items()):
            change = row.values.get(change_column.id)
            other = finder.by_key.get((state_kind or "", state))
            if change not in change_column.ends_membership or other is None:
                continue
            named = _row_naming(other, iscm_key[1])
            if named is None:
                continue
            about, iscm_column, state_row = named
            queries.append(_membership_query(finder, item, table, row, change_column,
                                             year_column, other, about, iscm_column,
                                             state_row, iscm_key, (state_kind or "", state)))
    return queries


def _year(row: TableRow, column: Field | None) -> int:
    value = row.values.get(column.id) if column else None
    return value if isinstance(value, int) else 0


def _row_naming(item: ReturnReport, iscm: str) -> tuple[Table, Field, TableRow] | None:
    """The row of a return's table with the role about_iscms that names an ISCM."""
    about = item.table_with_role("about_iscms")
    column = about.iscm_column if about else None
    if about is None or column is None:
        return None
    row = next((r for r in item.reading.tables.get(about.id, ())
                if r.values.get(column.id) == iscm), None)
    return (about, column, row) if row else None


def _membership_query(finder: _Finder, iscm: ReturnReport, table: Table, row: TableRow,
                      change_column: Field, year_column: Field | None, state: ReturnReport,
                      about: Table, iscm_column: Field, state_row: TableRow, iscm_key: Key,
                      state_key: Key) -> Query:
    assert iscm.questionnaire is not None and state.questionnaire is not None
    iscm_questionnaire, state_questionnaire = iscm.questionnaire, state.questionnaire
    change = str(row.values.get(change_column.id))
    year = _year(row, year_column)
    sheet, cell = finder.table_cell(state, about, iscm_column, state_row.index)
    source_sheet, source_cell = finder.table_cell(iscm, table, change_column, row.index)
    issue = finder.issue(
        "query-left-but-listed", sheet, cell, about.id,
        value=finder.name(iscm_key, "en", "bare"),
        speaker_of=finder.names(iscm_key, "of"), respondent=finder.names(state_key),
        respondent_of=finder.names(state_key, "of"),
        speaker_object=finder.phrase("name-object", iscm_key),
        speaker_in=finder.phrase("name-in", iscm_key),
        check_with=finder.phrase("check-with", iscm_key),
        change=_localized(lambda lang: finder.label(change_column, change, lang)),
        year=_localized(lambda lang: finder.word("in-year", lang, year=year) if year else ""),
        speaker_question=_localized(lambda lang: finder.word(
            "at-table-row", lang, number=iscm_questionnaire.number(table.id),
            row=row.index + 1)),
        where=_localized(lambda lang: finder.word(
            "at-table-row", lang, number=state_questionnaire.number(about.id),
            row=state_row.index + 1)))
    return Query(state, issue, (Source(iscm.reading.respondent.name, str(iscm.path),
                                       source_sheet, source_cell,
                                       finder.label(change_column, change, "en")
                                       + (f" ({year})" if year else "")),))


# --- a value only one can hold -------------------------------------------------------------


def held_by_one_queries(finder: _Finder) -> list[Query]:
    claims: dict[tuple[str, str, str, str], list[tuple[ReturnReport, Table, TableRow]]] = (
        defaultdict(list))
    columns: dict[tuple[str, str, str, str], Field] = {}
    for item in finder.used:
        named = item.table_with_role("about_iscms")
        iscm_column = named.iscm_column if named else None
        if named is None or iscm_column is None:
            continue
        for column in named.columns:
            for row in item.reading.tables.get(named.id, ()) if column.held_by_one else ():
                value, iscm = row.values.get(column.id), row.values.get(iscm_column.id)
                if value in column.held_by_one and isinstance(iscm, str):
                    key = (iscm, named.id, column.id, str(value))
                    claims[key].append((item, named, row))
                    columns[key] = column
    queries = []
    for key in sorted(claims):
        found = claims[key]
        if len({item.reading.respondent.code for item, _, _ in found}) < 2:
            continue
        iscm, _, _, value = key
        column = columns[key]
        iscm_key = (finder.kind_of_list.get("iscms", ""), iscm)
        for item, table, row in found:
            others = [other for other in found if other[0] is not item]
            me = (item.reading.respondent.kind, item.reading.respondent.code)
            sheet, cell = finder.table_cell(item, table, column, row.index)
            issue = finder.issue(
                "query-held-by-several", sheet, cell, table.id,
                value=finder.label(column, value, "en"),
                role=_localized(partial(finder.label, column, value)),
                respondent_of=finder.names(me, "of"), held_by=finder.phrase("held-by", me),
                iscm_in=finder.phrase("role-in", iscm_key),
                others_say=_localized(partial(_others_say, finder, [
                    (o.reading.respondent.kind, o.reading.respondent.code)
                    for o, _, _ in others])))
            sources = tuple(Source(o.reading.respondent.name, str(o.path),
                                   *finder.table_cell(o, t, column, r.index),
                                   finder.label(column, value, "en")) for o, t, r in others)
            queries.append(Query(item, issue, sources))
    return queries


def _others_say(finder: _Finder, keys: list[Key], lang: str) -> str:
    """"The returns of Mali and of Morocco say the same of themselves"."""
    return finder.word("others-say-one" if len(keys) == 1 else "others-say-many", lang,
                       names=_join_names(finder, keys, lang, "of"))


def _join_names(finder: _Finder, keys: list[Key], lang: str, form: str = "the") -> str:
    """Names as a list in running text: "of Mali and of Morocco"."""
    names = [finder.name(key, lang, form) for key in sorted(
        keys, key=lambda key: collation_key(finder.name(key, lang, "bare"), lang))]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + finder.word("list-and", lang) + names[-1]


# --- reference lists -----------------------------------------------------------------------


def reference_queries(finder: _Finder) -> list[Query]:
    queries = []
    for item in finder.used:
        question = item.field_with_role("established")
        if question is None:
            continue
        code = item.reading.respondent.code
        known = finder.survey.reference.established(code)
        given = item.reading.answers.get(question.id)
        if known is None or not isinstance(given, int) or given == known:
            continue
        key = (item.reading.respondent.kind, code)
        sheet, cell = finder.field_cell(item, question)
        issue = finder.issue("query-established-year", sheet, cell, question.id,
                             value=str(given), respondent_of=finder.names(key, "of"),
                             year=known)
        queries.append(Query(item, issue, (Source(
            "IOM reference list", "schemas/iscms.yaml", "", "", str(known)),)))
    return queries


# --- all of them ---------------------------------------------------------------------------


def find_queries(used: Sequence[ReturnReport], survey: Survey) -> list[Query]:
    """Every query, in the order of the respondents they go to (then by file, sheet, cell)."""
    finder = _Finder(used, survey)
    found = [*partner_queries(finder), *membership_queries(finder),
             *held_by_one_queries(finder), *reference_queries(finder)]
    order = {id(item): index for index, item in enumerate(used)}
    return sorted(found, key=lambda q: (order.get(id(q.to), len(order)), q.issue.sheet,
                                        q.issue.cell, q.issue.code))


QUERY_COLUMNS = ("respondent_id", "kind", "respondent_name", "lang", "file", "sheet", "cell",
                 "question", "value", "code", "query", "query_en", "said_by", "said_in",
                 "said_where", "said")


def query_rows(queries: Sequence[Query], survey: Survey) -> list[dict[str, str]]:
    """The queries as rows of a table: to whom, where, what to confirm (in the respondent's
    language and in English), and who said otherwise, where."""
    rows = []
    for query in queries:
        respondent = query.to.reading.respondent
        questionnaire = query.to.questionnaire
        number = (questionnaire.number(query.issue.question)
                  if questionnaire and query.issue.question else "")
        rows.append({
            "respondent_id": respondent.id or respondent.code, "kind": respondent.kind,
            "respondent_name": respondent.name, "lang": query.lang, "file": str(query.to.path),
            "sheet": query.issue.sheet, "cell": query.issue.cell, "question": number,
            "value": query.issue.value, "code": query.issue.code,
            "query": survey.messages.render(query.issue, query.lang),
            "query_en": survey.messages.render(query.issue, "en"),
            "said_by": "; ".join(dict.fromkeys(s.who for s in query.sources)),
            "said_in": "; ".join(dict.fromkeys(s.file for s in query.sources)),
            "said_where": "; ".join(_place(s) for s in query.sources if s.sheet),
            "said": "; ".join(dict.fromkeys(s.value for s in query.sources if s.value)),
        })
    return rows


def _place(source: Source) -> str:
    quoted = f"'{source.sheet}'" if any(c in source.sheet for c in " -'!") else source.sheet
    return f"{quoted}!{source.cell}" if source.cell else quoted



def write_queries(rows: Sequence[dict[str, str]], path: Path) -> None:
    """The queries as a table to follow up: .csv or .xlsx, by the file's extension. Text stays
    text: nothing a respondent typed becomes a formula."""
    from workbook_tools.files import csv_bytes, save_workbook, set_text, write_atomic

    if path.suffix.lower() == ".csv":
        write_atomic(path, csv_bytes(QUERY_COLUMNS, rows))
        return
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from workbook_tools.form.layout import column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Queries"
    for column, name in enumerate(QUERY_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column)
        set_text(cell, name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        sheet.column_dimensions[column_letter(column)].width = (
            70 if name.startswith("query") else 18)
    for index, row in enumerate(rows, start=2):
        for column, name in enumerate(QUERY_COLUMNS, start=1):
            if row[name]:  # an empty text cell would be an inline string without text
                cell = sheet.cell(row=index, column=column)
                set_text(cell, row[name])
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{column_letter(len(QUERY_COLUMNS))}{max(len(rows) + 1, 2)}"
    save_workbook(workbook, path)
