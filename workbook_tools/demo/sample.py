"""The sample round the demo plays (sample/round.yaml): who answers what, who makes which
mistake, who does not answer. Data, not code: the demo names no question in Python.

Answers naming a question the survey does not have (a definitions folder given with
--definitions may differ from the bundled one) are left out, and the demo says which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_tools.errors import DefinitionError
from workbook_tools.model.questionnaire import Questionnaire, Table
from workbook_tools.model.resources import data_dir
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.model.yamlfile import load_yaml_mapping

Answers = dict[str, object]
Rows = dict[str, list[dict[str, object]]]


@dataclass(frozen=True)
class SaidAbout:
    """Which respondents name an ISCM in their table of ISCMs, and what they write there."""

    only: frozenset[str]  # respondent codes
    column: str
    by_respondent: Mapping[str, str]


@dataclass(frozen=True)
class Planted:
    """A disagreement between returns, planted for the consistency queries to find: rows of a
    respondent's table of ISCMs (role about_iscms) changed, by the ISCM they name, and rows
    IOM pre-filled that the respondent removed."""

    rows: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    leaves_out: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LateReturn:
    """A respondent who fills in the previous version of its questionnaire, sent earlier, and
    returns it after everyone else."""

    respondent: str
    version: int
    answers: Mapping[str, object]
    planted: Planted
    received: dt.datetime


@dataclass
class SampleRound:
    fixed: dict[str, tuple[Answers, Rows]] = field(default_factory=dict)
    said_about: dict[str, SaidAbout] = field(default_factory=dict)
    mistakes: dict[str, Answers] = field(default_factory=dict)
    not_answering: tuple[str, ...] = ()
    broken: str = ""
    resubmitting: str = ""
    first_draft: Answers = field(default_factory=dict)
    first_draft_modified: dt.datetime = dt.datetime(2026, 12, 1, 9, 0)
    final: Answers = field(default_factory=dict)
    received: dt.datetime = dt.datetime(2026, 12, 15, 9, 0)
    planted: dict[str, Planted] = field(default_factory=dict)
    late: LateReturn | None = None
    left_out: list[str] = field(default_factory=list)  # what the survey had no question for


def load_sample_round(survey: Survey, roster: list[Respondent], path: Path | None = None
                      ) -> SampleRound:
    path = path or data_dir("sample") / "round.yaml"
    raw = load_yaml_mapping(path, "the sample round (fixed, said_about, mistakes...)")
    try:
        return _parse(raw, survey, {r.id: r for r in roster})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DefinitionError([f"{path.name}: cannot be read as a sample round ({exc})"]
                              ) from exc


def _parse(raw: Mapping[str, Any], survey: Survey, roster: Mapping[str, Respondent]
           ) -> SampleRound:
    sample = SampleRound()

    def questionnaire_of(respondent_id: str) -> Questionnaire | None:
        respondent = roster.get(respondent_id)
        if respondent is None:
            sample.left_out.append(f"{respondent_id}: not in the sample roster")
            return None
        return survey.current(respondent.kind)

    for respondent_id, entry in (raw.get("fixed") or {}).items():
        questionnaire = questionnaire_of(respondent_id)
        if questionnaire is not None:
            sample.fixed[respondent_id] = (
                _known_answers(entry.get("answers") or {}, questionnaire, respondent_id, sample),
                _known_rows(entry.get("tables") or {}, questionnaire, respondent_id, sample))
    for code, entry in (raw.get("said_about") or {}).items():
        sample.said_about[str(code)] = SaidAbout(
            frozenset(map(str, entry.get("only") or ())), str(entry.get("column", "")),
            {str(k): str(v) for k, v in (entry.get("by_respondent") or {}).items()})
    for respondent_id, answers in (raw.get("mistakes") or {}).items():
        questionnaire = questionnaire_of(respondent_id)
        if questionnaire is not None:
            sample.mistakes[respondent_id] = _known_answers(answers, questionnaire,
                                                            respondent_id, sample)
    sample.not_answering = tuple(map(str, raw.get("not_answering") or ()))
    sample.broken = str(raw.get("broken") or "")
    resubmitting = raw.get("resubmitting") or {}
    sample.resubmitting = str(resubmitting.get("respondent") or "")
    questionnaire = questionnaire_of(sample.resubmitting) if sample.resubmitting else None
    if questionnaire is not None:
        first = resubmitting.get("first") or {}
        sample.first_draft = _known_answers(first.get("answers") or {}, questionnaire,
                                            sample.resubmitting, sample)
        sample.first_draft_modified = first.get("modified", sample.first_draft_modified)
        sample.final = _known_answers((resubmitting.get("final") or {}).get("answers") or {},
                                      questionnaire, sample.resubmitting, sample)
    sample.received = raw.get("received", sample.received)
    for respondent_id, entry in (raw.get("planted") or {}).items():
        if questionnaire_of(respondent_id) is not None:
            sample.planted[str(respondent_id)] = _planted(entry)
    late = raw.get("late_return")
    if late and questionnaire_of(str(late["respondent"])) is not None:
        kind = roster[str(late["respondent"])].kind
        older = survey.get(kind, int(late["version"]))
        if older is None:
            sample.left_out.append(f"{late['respondent']}: no version {late['version']} of "
                                   f"the {kind} questionnaire")
        else:
            sample.late = LateReturn(
                str(late["respondent"]), older.version,
                _known_answers(late.get("answers") or {}, older, str(late["respondent"]),
                               sample),
                _planted(late), late.get("received", sample.received))
    return sample


def _planted(entry: Mapping[str, Any]) -> Planted:
    rows = {str(iscm): dict(values) for iscm, values in (entry.get("rows") or {}).items()}
    return Planted(rows, frozenset(map(str, entry.get("leaves_out") or ())))


def _known_answers(answers: Mapping[str, object], questionnaire: Questionnaire, who: str,
                   sample: SampleRound) -> Answers:
    known = {f.id for f in questionnaire.fields()}
    for question_id in sorted(set(answers) - known):
        sample.left_out.append(f"{who}: the {questionnaire.id} questionnaire has no question "
                               f"{question_id!r}")
    return {key: value for key, value in answers.items() if key in known}


def _known_rows(tables: Mapping[str, list[dict[str, object]]], questionnaire: Questionnaire,
                who: str, sample: SampleRound) -> Rows:
    found: Rows = {}
    for table_id, rows in tables.items():
        table = next((t for t in questionnaire.tables() if t.id == table_id), None)
        if table is None:
            sample.left_out.append(f"{who}: the {questionnaire.id} questionnaire has no table "
                                   f"{table_id!r}")
            continue
        found[table_id] = [_known_columns(row, table, who, sample) for row in rows]
    return found


def _known_columns(row: Mapping[str, object], table: Table, who: str, sample: SampleRound
                   ) -> dict[str, object]:
    known = {c.id for c in table.columns}
    for column_id in sorted(set(row) - known):
        sample.left_out.append(f"{who}: the table {table.id!r} has no column {column_id!r}")
    return {key: value for key, value in row.items() if key in known}
