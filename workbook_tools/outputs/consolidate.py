"""Consolidation as data: which returns count, and what the master workbook says.

Pure functions over a validation report: the master writer (master.py) only lays out what is
computed here. Every row carries the file and checksum it came from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbook_tools.check.validate import ReturnReport, ValidationReport
from workbook_tools.model.messages import MessageCatalogue
from workbook_tools.model.questionnaire import (
    RESPONDENT_LISTS,
    Field,
    Questionnaire,
    Table,
    choice_list_name,
)
from workbook_tools.model.reference import Iscm, ReferenceData
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.read.reading import TableRow

ISCM_TYPES = {"rcp": "Regional consultative process (RCP)",
              "irf": "Interregional forum (IRF)", "global": "Global process"}


# --- which returns count -------------------------------------------------------------------


@dataclass
class Selection:
    used: list[ReturnReport] = field(default_factory=list)
    superseded: list[tuple[ReturnReport, ReturnReport]] = field(default_factory=list)
    conflicts: list[list[ReturnReport]] = field(default_factory=list)
    left_out: list[ReturnReport] = field(default_factory=list)
    include_invalid: bool = False

    def fate(self, item: ReturnReport, messages: MessageCatalogue) -> tuple[str, str]:
        """What happened to a return, and why, for the Returns sheet and the terminal."""
        if any(item is used for used in self.used):
            return ("used", "the answers are in this workbook"
                    + (" (invalid return, included on request)" if item.status == "invalid"
                       else ""))
        for older, kept in self.superseded:
            if item is older:
                return "superseded", f"a later return of the same respondent is used: {kept.path}"
        for group in self.conflicts:
            if any(item is other for other in group):
                return ("conflict", "several returns of this respondent have the same "
                        "completion date and time; say which counts by removing the others")
        if item.status == "rejected":
            reason = messages.render(item.issues[0]) if item.issues else ""
            return "left out", "rejected: " + reason
        return "left out", (f"invalid ({len(item.errors)} error(s)); use --include-invalid to "
                            "take it anyway")


def respondent_key(item: ReturnReport) -> tuple[str, str]:
    respondent = item.reading.respondent
    if respondent.kind and respondent.code:
        return (respondent.kind, respondent.code)
    return ("file", str(item.path))


def completion_date(item: ReturnReport) -> dt.date | None:
    """The date the return says it was completed (the question with role completion_date)."""
    question = item.questionnaire.field_with_role("completion_date") if item.questionnaire else None
    value = item.reading.answers.get(question.id) if question else None
    return value if isinstance(value, dt.date) else None


def kinds_in_order(survey: Survey) -> list[str]:
    """The questionnaires (kinds of respondents), ISCMs first, then States, then IGOs."""
    return sorted(survey.ids(), key=lambda kind: (
        RESPONDENT_LISTS.index(survey.current(kind).respondent), kind))


def kind_name(survey: Survey, kind: str, lang: str = "en") -> str:
    """Who answers a questionnaire, in the plural: "States"."""
    return survey.current(kind).respondents[lang]


def iscm_kind(survey: Survey) -> str:
    """The questionnaire that ISCMs answer about themselves."""
    return next(kind for kind in kinds_in_order(survey)
                if survey.current(kind).respondent == "iscms")


@dataclass(frozen=True)
class RoundDates:
    """A round's own dates (workbook-tools round): when each return was received, when each
    respondent was sent the questionnaire, the deadline, and the day the master is made."""

    as_of: dt.date
    deadline: dt.date
    received: Mapping[Path, dt.datetime]  # by the return's path
    sent: Mapping[str, dt.date]  # by respondent id: the first invitation


def select_returns(report: ValidationReport, survey: Survey, include_invalid: bool = False,
                   dates: RoundDates | None = None) -> Selection:
    """Valid returns (and invalid ones on request), the latest per respondent: by the completion
    date written in the return, then by the file's modification time; in a round, by when
    each was received. Returns that cannot be ordered are reported, not guessed."""
    selection = Selection(include_invalid=include_invalid)
    accepted = {"valid", "invalid"} if include_invalid else {"valid"}
    candidates: dict[tuple[str, str], list[ReturnReport]] = defaultdict(list)
    for item in report.returns:
        if item.status in accepted:
            candidates[respondent_key(item)].append(item)
        else:
            selection.left_out.append(item)
    for key in sorted(candidates):
        group = candidates[key]

        def order(item: ReturnReport) -> tuple[dt.date | dt.datetime, int]:
            if dates is not None:
                return (dates.received[item.path], 0)
            return (completion_date(item) or dt.date.min, item.path.stat().st_mtime_ns)

        group.sort(key=order)
        latest = group[-1]
        ties = [item for item in group if order(item) == order(latest)]
        distinct = {item.reading.sha256 for item in ties}
        if len(distinct) > 1:
            selection.conflicts.append(ties)
            selection.superseded.extend((item, ties[0]) for item in group if item not in ties)
            continue
        selection.used.append(latest)
        selection.superseded.extend((item, latest) for item in group if item is not latest)
    kinds = kinds_in_order(survey)
    selection.used.sort(key=lambda item: (kinds.index(item.reading.respondent.kind),
                                          item.reading.respondent.name, str(item.path)))
    return selection


# --- answers as text -----------------------------------------------------------------------


def display(f: Field, value: object, reference: ReferenceData) -> str:
    """An answer as the master shows it: English labels for choices, dates as year-month-day."""
    list_name = choice_list_name(f)
    if value is None or value == "" or value == ():
        return ""
    if f.type == "multiple_choice" and isinstance(value, tuple):
        assert list_name is not None
        return "; ".join(_label(reference, list_name, str(code)) for code in value)
    if list_name and isinstance(value, str):
        return _label(reference, list_name, value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _label(reference: ReferenceData, list_name: str, code: str) -> str:
    """The current English label; a code only a version's frozen list has keeps that label."""
    return reference.any_label(list_name, code, "en")


# --- the long data -------------------------------------------------------------------------

DATA_COLUMNS = ("respondent_id", "kind", "respondent_name", "question_id", "number", "section",
                "label", "value", "value_label", "file", "sha256", "status")


def _provenance(item: ReturnReport) -> dict[str, str]:
    return {"file": str(item.path), "sha256": item.reading.sha256, "status": item.status}


def _who(item: ReturnReport) -> dict[str, str]:
    respondent = item.reading.respondent
    return {"respondent_id": respondent.id or respondent.code, "kind": respondent.kind,
            "respondent_name": respondent.name}


def answer_rows(used: Sequence[ReturnReport], reference: ReferenceData) -> list[dict[str, str]]:
    """Every answer of every return, one row per value (one per option of a multiple choice)."""
    rows = []
    for item in used:
        questionnaire = item.questionnaire
        assert questionnaire is not None
        who, where = _who(item), _provenance(item)
        for section, question in questionnaire.items():
            if not isinstance(question, Field):
                continue
            value = item.reading.answers.get(question.id)
            values = list(value) if isinstance(value, tuple) else [value]
            for single in values:
                if single is None or single == "":
                    continue
                text = single.isoformat() if isinstance(single, dt.date) else str(single)
                label = display(question, (single,) if isinstance(value, tuple) else single,
                                reference)
                rows.append({**who, "question_id": question.id,
                             "number": questionnaire.number(question.id), "section": section.id,
                             "label": question.label["en"], "value": text,
                             "value_label": label, **where})
    return rows


@dataclass
class TableData:
    table: Table
    columns: list[str]
    rows: list[dict[str, str]]


def table_data(used: Sequence[ReturnReport], survey: Survey) -> list[TableData]:
    """Each questionnaire table across returns, one row per table row."""
    tables: dict[str, TableData] = {}
    for questionnaire in _current_questionnaires(survey):
        for table in questionnaire.tables():
            columns = ["respondent_id", "kind", "respondent_name", "row"]
            for column in table.columns:
                columns.append(column.id)
                if choice_list_name(column):
                    columns.append(f"{column.id}_label")
            # a table may have a column named status (a State's status in an ISCM)
            tables[table.id] = TableData(table, [*columns, "file", "sha256", "return_status"],
                                         [])
    for item in used:
        for table_id, rows in item.reading.tables.items():
            data = tables.get(table_id)
            if data is None:
                continue
            for row in rows:
                record = {**_who(item), "row": str(row.index + 1), "file": str(item.path),
                          "sha256": item.reading.sha256, "return_status": item.status}
                for column in data.table.columns:
                    value = row.values.get(column.id)
                    record[column.id] = "" if value is None else (
                        value.isoformat() if isinstance(value, dt.date) else str(value))
                    if choice_list_name(column):
                        record[f"{column.id}_label"] = display(column, value, survey.reference)
                data.rows.append(record)
    return [tables[key] for key in sorted(tables)]


def _current_questionnaires(survey: Survey) -> list[Questionnaire]:
    return [survey.current(qid) for qid in survey.ids()]


# --- one sheet per ISCM --------------------------------------------------------------------


@dataclass
class Block:
    """A table inside an ISCM's own answers: its question, headers and rows."""

    number: str
    label: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class SectionAnswers:
    title: str
    items: list[tuple[str, str, str] | Block]  # (number, question, answer) or a table


@dataclass
class Voice:
    """What one respondent said about an ISCM: the row of its table that names it."""

    who: str
    values: list[str]
    status: str
    file: str


@dataclass
class VoiceGroup:
    """What the respondents of one questionnaire said about an ISCM."""

    kind: str
    respondents: str  # "States"
    headers: list[str]  # who spoke, then the columns of the table that names the ISCM
    voices: list[Voice]


@dataclass
class IscmProfile:
    iscm: Iscm
    own: ReturnReport | None
    sections: list[SectionAnswers]
    groups: list[VoiceGroup]

    def group(self, kind: str) -> VoiceGroup | None:
        return next((group for group in self.groups if group.kind == kind), None)


def shown_in_profile(question: Field) -> bool:
    """Who answered is in the sheet's heading; a person's details stay out of shared outputs."""
    return question.prefill != "respondent" and not question.personal


def _own_sections(item: ReturnReport, reference: ReferenceData) -> list[SectionAnswers]:
    questionnaire = item.questionnaire
    assert questionnaire is not None
    sections = []
    for section in questionnaire.sections:
        items: list[tuple[str, str, str] | Block] = []
        for question in section.items:
            number = questionnaire.number(question.id)
            if isinstance(question, Table):
                rows = [[display(c, row.values.get(c.id), reference) for c in question.columns]
                        for row in item.reading.tables.get(question.id, ())]
                items.append(Block(number, question.label["en"],
                                   [c.label["en"] for c in question.columns], rows))
            elif shown_in_profile(question):
                answer = display(question, item.reading.answers.get(question.id), reference)
                items.append((number, question.label["en"], answer))
        if items:
            sections.append(SectionAnswers(section.title["en"], items))
    return sections


def about_iscms_table(questionnaire: Questionnaire) -> tuple[Table, Field] | None:
    """The table in which a questionnaire's respondents name the ISCMs they speak of, and its
    column naming the ISCM."""
    table = questionnaire.table_with_role("about_iscms")
    column = table.iscm_column if table else None
    return (table, column) if table and column else None


def voice_headers(survey: Survey, kind: str) -> list[str]:
    """Who spoke, then the columns of the table in which they named the ISCM."""
    questionnaire = survey.current(kind)
    found = about_iscms_table(questionnaire)
    speaker = questionnaire.respondent_field
    headers = [speaker.label["en"] if speaker else kind_name(survey, kind)]
    if found:
        table, iscm = found
        headers += [c.label["en"] for c in table.columns if c.id != iscm.id]
    return headers


Naming = dict[str, dict[str, list[tuple[ReturnReport, TableRow]]]]


def rows_naming_iscms(used: Sequence[ReturnReport]) -> Naming:
    """For each ISCM, by kind of respondent, the table rows of the returns that name it."""
    named: Naming = defaultdict(lambda: defaultdict(list))
    for item in used:
        found = about_iscms_table(item.questionnaire) if item.questionnaire else None
        if found is None:
            continue
        table, column = found
        for row in item.reading.tables.get(table.id, ()):
            iscm = row.values.get(column.id)
            if isinstance(iscm, str):
                named[iscm][item.reading.respondent.kind].append((item, row))
    return named


def own_returns(used: Sequence[ReturnReport], survey: Survey) -> dict[str, ReturnReport]:
    """Each ISCM's own return, by its code."""
    kind = iscm_kind(survey)
    return {item.reading.respondent.code: item for item in used
            if item.reading.respondent.kind == kind}


def iscm_profiles(used: Sequence[ReturnReport], survey: Survey) -> list[IscmProfile]:
    """One profile per ISCM that answered or that other respondents spoke about, in the order
    of the reference list."""
    reference = survey.reference
    own = own_returns(used, survey)
    named = rows_naming_iscms(used)
    kinds = [kind for kind in kinds_in_order(survey)
             if about_iscms_table(survey.current(kind)) is not None]
    # the ISCMs' own partners come last: "what other ISCMs said"
    kinds.sort(key=lambda kind: kind == iscm_kind(survey))

    def voices(code: str, kind: str) -> list[Voice]:
        found = [Voice(item.reading.respondent.name,
                       [display(c, row.values.get(c.id), reference)
                        for c in _voice_columns(item)],
                       item.status, str(item.path))
                 for item, row in named.get(code, {}).get(kind, [])]
        return sorted(found, key=lambda voice: voice.who)

    profiles = []
    for iscm in reference.iscms:
        if iscm.code not in own and iscm.code not in named:
            continue
        mine = own.get(iscm.code)
        groups = [VoiceGroup(kind, kind_name(survey, kind), voice_headers(survey, kind),
                             voices(iscm.code, kind)) for kind in kinds]
        profiles.append(IscmProfile(iscm, mine, _own_sections(mine, reference) if mine else [],
                                    groups))
    return profiles


def _voice_columns(item: ReturnReport) -> list[Field]:
    assert item.questionnaire is not None
    found = about_iscms_table(item.questionnaire)
    assert found is not None
    table, iscm = found
    return [c for c in table.columns if c.id != iscm.id]


# --- the overview --------------------------------------------------------------------------


@dataclass
class TrackerRow:
    kind: str
    sent: int | None
    answered: int
    valid: int
    invalid: int
    missing: list[str]


def tracker(report: ValidationReport, roster: Sequence[Respondent] | None, survey: Survey,
            dates: RoundDates | None = None) -> list[TrackerRow]:
    """Who was sent a questionnaire, who answered, whose answer is valid, who is missing (in a
    round: since when, and how many days past the deadline)."""
    latest_status: dict[tuple[str, str], str] = {}
    for item in report.returns:
        key = respondent_key(item)
        if key[0] == "file":
            continue
        if latest_status.get(key) != "valid":
            latest_status[key] = item.status
    rows = []
    for kind in kinds_in_order(survey):
        answered = {key: status for key, status in latest_status.items() if key[0] == kind}
        if roster is not None:
            expected = [r for r in roster if r.kind == kind]
            missing = sorted(_missing(r, dates) for r in expected
                             if (kind, r.code) not in answered)
            sent: int | None = len(expected)
        else:
            missing, sent = [], None
        rows.append(TrackerRow(
            kind, sent, len(answered),
            sum(1 for status in answered.values() if status == "valid"),
            sum(1 for status in answered.values() if status != "valid"), missing))
    return rows


def _missing(respondent: Respondent, dates: RoundDates | None) -> str:
    if dates is None:
        return respondent.name
    sent = dates.sent.get(respondent.id)
    late = (dates.as_of - dates.deadline).days
    notes = [f"sent {sent.isoformat()}" if sent else "not sent"]
    if late > 0:
        notes.append(f"{late} days overdue")
    return f"{respondent.name} ({', '.join(notes)})"


def thematic_priorities(used: Sequence[ReturnReport], survey: Survey
                        ) -> tuple[Field, list[tuple[str, int]]] | None:
    """How many ISCMs name each thematic area among their priorities today (the question with
    role thematic_priorities), or None when no question has that role."""
    question = survey.current(iscm_kind(survey)).field_with_role("thematic_priorities")
    if question is None or question.choices is None:
        return None
    counts: Counter[str] = Counter()
    for item in used:
        own = item.questionnaire.field_with_role("thematic_priorities") if (
            item.questionnaire) else None
        if own is not None and item.reading.respondent.kind == iscm_kind(survey):
            value = item.reading.answers.get(own.id)
            counts.update(value if isinstance(value, tuple) else ())
    choices = survey.reference[question.choices].choices
    return question, [(choice.labels["en"], counts[choice.code]) for choice in choices
                      if counts[choice.code]]


def membership_value(used: Sequence[ReturnReport], survey: Survey
                     ) -> list[tuple[str, float, int]]:
    """The average rating each area of value gets (columns with role value_ratings), and how
    many ratings: only ratings that are numbers count."""
    ratings: dict[str, list[int]] = defaultdict(list)
    areas: dict[str, str] = {}
    for item in used:
        found = about_iscms_table(item.questionnaire) if item.questionnaire else None
        if found is None:
            continue
        table, _ = found
        for column in table.columns_with_role("value_ratings"):
            assert column.group is not None and column.option is not None
            areas.setdefault(column.option, survey.reference[column.group].label(
                column.option, "en"))
            for row in item.reading.tables.get(table.id, ()):
                rating = row.values.get(column.id)
                if isinstance(rating, str) and rating.isdigit():
                    ratings[column.option].append(int(rating))
    return [(label, round(sum(ratings[area]) / len(ratings[area]), 2), len(ratings[area]))
            for area, label in areas.items() if ratings[area]]
