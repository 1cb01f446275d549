"""Made-up answers that agree with each other, so that the demo's consistency queries are only
the disagreements its story plants (sample/round.yaml, `planted` and `fixed`).

Answers made up one return at a time would contradict each other at random: an ISCM naming an
organization as its partner while that organization's return does not name the ISCM, a dozen
States each chairing the same ISCM. This pass makes the answers of one return agree with what
the roster says the others will answer, from the roles and attributes the definitions declare
(names_partners, about_iscms, membership_changes with ends_membership, held_by_one,
established); it names no question.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence

from workbook_tools.demo.synthetic import AVOIDED, FilledAnswers
from workbook_tools.model.questionnaire import Field, Questionnaire, Table
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey

Rows = list[dict[str, object]]
Tables = Mapping[str, Sequence[Mapping[str, object]]]


def story_answers(questionnaire: Questionnaire, respondent: Respondent, survey: Survey,
                  fixed: Mapping[str, object]) -> dict[str, object]:
    """The answers the story fixes, with an ISCM's year of establishment taken from the
    reference list unless the story says otherwise (answers made up later depend on it)."""
    answers = dict(fixed)
    question = questionnaire.field_with_role("established")
    known = survey.reference.established(respondent.code)
    if question is not None and known is not None and questionnaire.respondent == "iscms":
        answers.setdefault(question.id, known)
    return answers


def consistent(filled: FilledAnswers, questionnaire: Questionnaire, respondent: Respondent,
               survey: Survey, roster: Sequence[Respondent],
               fixed: Mapping[str, tuple[Mapping[str, object], Tables]]) -> FilledAnswers:
    """The made-up answers of one return, agreeing with the roster and the story's fixed
    answers (by respondent id); the story's own answers are left as they are."""
    own_answers, own_tables = fixed.get(respondent.id, ({}, {}))
    answers = dict(filled.answers)
    tables = {table_id: [dict(row) for row in rows] for table_id, rows in filled.tables.items()}
    if questionnaire.respondent == "iscms":
        _partners(questionnaire, respondent, survey, roster, own_answers, own_tables, answers,
                  tables)
        _partner_iscms(questionnaire, respondent, survey, roster, fixed, own_tables, tables)
        _no_unplanted_departures(questionnaire, respondent, roster, own_tables, tables)
    _held_by_one(questionnaire, respondent, own_tables, tables)
    return FilledAnswers(answers, tables)


def _roster_of(survey: Survey, roster: Sequence[Respondent], list_name: str | None
               ) -> list[Respondent]:
    """The respondents of the roster that answer the questionnaire of a respondents' list."""
    kinds = {kind for kind in survey.ids() if survey.current(kind).respondent == list_name}
    return [r for r in roster if r.kind in kinds]


def _filler(column: Field, avoid: set[str]) -> str:
    return next(code for code in column.codes if code not in AVOIDED | avoid)


def _partners(questionnaire: Questionnaire, respondent: Respondent, survey: Survey,
              roster: Sequence[Respondent], own_answers: Mapping[str, object],
              own_tables: Tables, answers: dict[str, object], tables: dict[str, Rows]) -> None:
    """An ISCM names as partners exactly the respondents that will name it back."""
    named: dict[str, set[str]] = {}
    for f in questionnaire.fields():
        if f.role != "names_partners" or f.id in own_answers or f.id not in answers:
            continue
        others = _roster_of(survey, roster, f.choices)
        strangers = {r.code for r in others if respondent.code not in r.iscms}
        value = answers[f.id]
        codes = [c for c in (value if isinstance(value, tuple) else (value,))
                 if isinstance(c, str) and c not in strangers]
        if not codes and f.required:
            codes = [_filler(f, {r.code for r in others})]
        answers[f.id] = tuple(codes) if f.type == "multiple_choice" else codes[0]
        named.setdefault(f.choices or "", set()).update(codes)
    for f in questionnaire.fields():
        if f.role == "names_partners" and f.id in own_answers:
            value = own_answers[f.id]
            named.setdefault(f.choices or "", set()).update(
                value if isinstance(value, (list, tuple)) else (str(value),))
    for table in questionnaire.tables():
        for column in table.columns_with_role("names_partners"):
            if table.id in own_tables:
                named.setdefault(column.choices or "", set()).update(
                    str(row.get(column.id)) for row in own_tables[table.id])
                continue
            others = _roster_of(survey, roster, column.choices)
            strangers = {r.code for r in others if respondent.code not in r.iscms}
            rows = [row for row in tables.get(table.id, [])
                    if row.get(column.id) not in strangers]
            already = named.setdefault(column.choices or "", set())
            already.update(str(row.get(column.id)) for row in rows)
            for other in others:
                if respondent.code in other.iscms and other.code not in already and (
                        len(rows) < table.rows):
                    rows.append(_new_row(table, column, other.code))
                    already.add(other.code)
            tables[table.id] = rows


def _new_row(table: Table, column: Field, code: str) -> dict[str, object]:
    row: dict[str, object] = {column.id: code}
    for other in table.columns:
        if other is not column and other.required and other.relevant is None and other.codes:
            row[other.id] = _filler(other, set())
    return row


def _partner_iscms(questionnaire: Questionnaire, respondent: Respondent, survey: Survey,
                   roster: Sequence[Respondent],
                   fixed: Mapping[str, tuple[Mapping[str, object], Tables]],
                   own_tables: Tables, tables: dict[str, Rows]) -> None:
    """ISCMs name each other as partners only as the story's ISCMs do, both ways."""
    about = questionnaire.table_with_role("about_iscms")
    iscm = about.iscm_column if about else None
    if about is None or iscm is None or about.id in own_tables:
        return
    rows: Rows = []
    for other in _roster_of(survey, roster, "iscms"):
        _, other_tables = fixed.get(other.id, ({}, {}))
        for row in other_tables.get(about.id, ()):
            if row.get(iscm.id) == respondent.code and len(rows) < about.rows:
                rows.append({**row, iscm.id: other.code})
    tables[about.id] = rows


def _no_unplanted_departures(questionnaire: Questionnaire, respondent: Respondent,
                             roster: Sequence[Respondent], own_tables: Tables,
                             tables: dict[str, Rows]) -> None:
    """A made-up change of membership never says that a State of the roster left an ISCM it
    takes part in."""
    table = questionnaire.table_with_role("membership_changes")
    if table is None or table.id in own_tables:
        return
    state, change = table.state_column, table.change_column
    if state is None or change is None:
        return
    members = {r.code for r in roster if respondent.code in r.iscms}
    tables[table.id] = [row for row in tables.get(table.id, [])
                        if not (row.get(change.id) in change.ends_membership
                                and row.get(state.id) in members)]


def _held_by_one(questionnaire: Questionnaire, respondent: Respondent, own_tables: Tables,
                 tables: dict[str, Rows]) -> None:
    """Nobody made up holds what only one can hold (a chair): the story decides who does."""
    about = questionnaire.table_with_role("about_iscms")
    if about is None or about.id in own_tables:
        return
    iscm = about.iscm_column
    for column in about.columns:
        if not column.held_by_one or iscm is None:
            continue
        others = [code for code in column.codes if code not in column.held_by_one]
        for row in tables.get(about.id, []):
            if row.get(column.id) in column.held_by_one:
                pick = zlib.crc32(f"{respondent.code}:{row.get(iscm.id)}".encode())
                row[column.id] = others[pick % len(others)]
