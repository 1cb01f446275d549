"""Consolidation as data: which returns count, and what the master workbook says.

Pure functions over a validation report: the master writer (master.py) only lays out what is
computed here. Every row carries the file and checksum it came from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbook_tools.check.validate import ReturnReport, ValidationReport
from workbook_tools.model.messages import MessageCatalogue
from workbook_tools.model.questionnaire import (
    Field,
    Questionnaire,
    Table,
    choice_list_name,
)
from workbook_tools.model.reference import Iscm, ReferenceData
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.read.reading import TableRow

KIND_NAMES = {"iscm": "ISCMs", "state": "States", "igo": "Inter-governmental organizations"}
KIND_ORDER = ("iscm", "state", "igo")
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
    value = item.reading.answers.get("completion_date")
    return value if isinstance(value, dt.date) else None


def select_returns(report: ValidationReport, include_invalid: bool = False) -> Selection:
    """Valid returns (and invalid ones on request), the latest per respondent: by the completion
    date written in the return, then by the file's modification time. Returns that cannot be
    ordered are reported, not guessed."""
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

        def order(item: ReturnReport) -> tuple[dt.date, int]:
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
    selection.used.sort(key=lambda item: (KIND_ORDER.index(item.reading.respondent.kind),
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
    return reference[list_name].label(code, "en") if code in reference[list_name].codes else code


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
    """What one State, IGO or ISCM said about an ISCM."""

    who: str
    values: list[str]
    status: str
    file: str


@dataclass
class IscmProfile:
    iscm: Iscm
    own: ReturnReport | None
    sections: list[SectionAnswers]
    states: list[Voice]
    igos: list[Voice]
    iscms: list[Voice]


def _own_sections(item: ReturnReport, reference: ReferenceData) -> list[SectionAnswers]:
    questionnaire = item.questionnaire
    assert questionnaire is not None
    sections = []
    for section in questionnaire.sections[1:]:  # identification is in the sheet's heading
        items: list[tuple[str, str, str] | Block] = []
        for question in section.items:
            number = questionnaire.number(question.id)
            if isinstance(question, Table):
                rows = [[display(c, row.values.get(c.id), reference) for c in question.columns]
                        for row in item.reading.tables.get(question.id, [])]
                items.append(Block(number, question.label["en"],
                                   [c.label["en"] for c in question.columns], rows))
            else:
                answer = display(question, item.reading.answers.get(question.id), reference)
                items.append((number, question.label["en"], answer))
        sections.append(SectionAnswers(section.title["en"], items))
    return sections


# The table in which each kind of respondent names the ISCMs it speaks of.
VOICE_TABLES = {"state": "memberships", "igo": "engagements", "iscm": "partner_iscms"}
VOICE_SPEAKERS = {"state": "State", "igo": "Organization", "iscm": "ISCM"}


def voice_headers(survey: Survey, kind: str) -> list[str]:
    """Who spoke, then the columns of the table in which they named the ISCM."""
    table = survey.current(kind).item(VOICE_TABLES[kind])
    assert isinstance(table, Table)
    return [VOICE_SPEAKERS[kind], *(c.label["en"] for c in table.columns if c.id != "iscm")]

Naming = dict[str, dict[str, list[tuple[ReturnReport, TableRow]]]]


def rows_naming_iscms(used: Sequence[ReturnReport]) -> Naming:
    """For each ISCM, by kind of respondent, the table rows of the returns that name it."""
    named: Naming = defaultdict(lambda: defaultdict(list))
    for item in used:
        kind = item.reading.respondent.kind
        for row in item.reading.tables.get(VOICE_TABLES[kind], []):
            iscm = row.values.get("iscm")
            if isinstance(iscm, str):
                named[iscm][kind].append((item, row))
    return named


def own_returns(used: Sequence[ReturnReport]) -> dict[str, ReturnReport]:
    """Each ISCM's own return, by its code."""
    return {item.reading.respondent.code: item for item in used
            if item.reading.respondent.kind == "iscm"}


def iscm_profiles(used: Sequence[ReturnReport], survey: Survey) -> list[IscmProfile]:
    """One profile per ISCM that answered or that States, IGOs or other ISCMs spoke about, in
    the order of the reference list."""
    reference = survey.reference
    own = own_returns(used)
    named = rows_naming_iscms(used)

    def voices(code: str, kind: str) -> list[Voice]:
        table = survey.current(kind).item(VOICE_TABLES[kind])
        assert isinstance(table, Table)
        found = [Voice(item.reading.respondent.name,
                       [display(c, row.values.get(c.id), reference)
                        for c in table.columns if c.id != "iscm"],
                       item.status, str(item.path))
                 for item, row in named.get(code, {}).get(kind, [])]
        return sorted(found, key=lambda voice: voice.who)

    profiles = []
    for iscm in reference.iscms:
        if iscm.code not in own and iscm.code not in named:
            continue
        mine = own.get(iscm.code)
        profiles.append(IscmProfile(
            iscm, mine, _own_sections(mine, reference) if mine else [],
            voices(iscm.code, "state"), voices(iscm.code, "igo"), voices(iscm.code, "iscm"),
        ))
    return profiles


# --- the overview --------------------------------------------------------------------------


@dataclass
class TrackerRow:
    kind: str
    sent: int | None
    answered: int
    valid: int
    invalid: int
    missing: list[str]


def tracker(report: ValidationReport, selection: Selection,
            roster: Sequence[Respondent] | None) -> list[TrackerRow]:
    """Who was sent a questionnaire, who answered, whose answer is valid, who is missing."""
    latest_status: dict[tuple[str, str], str] = {}
    for item in report.returns:
        key = respondent_key(item)
        if key[0] == "file":
            continue
        if latest_status.get(key) != "valid":
            latest_status[key] = item.status
    rows = []
    for kind in KIND_ORDER:
        answered = {key: status for key, status in latest_status.items() if key[0] == kind}
        if roster is not None:
            expected = [r for r in roster if r.kind == kind]
            missing = sorted(r.name for r in expected if (kind, r.code) not in answered)
            sent: int | None = len(expected)
        else:
            missing, sent = [], None
        rows.append(TrackerRow(
            kind, sent, len(answered),
            sum(1 for status in answered.values() if status == "valid"),
            sum(1 for status in answered.values() if status != "valid"), missing))
    return rows


def thematic_priorities(used: Sequence[ReturnReport], reference: ReferenceData
                        ) -> list[tuple[str, int]]:
    """How many ISCMs name each thematic area among their priorities today."""
    counts: Counter[str] = Counter()
    for item in used:
        if item.reading.respondent.kind == "iscm":
            value = item.reading.answers.get("current_priorities")
            counts.update(value if isinstance(value, tuple) else ())
    return [(choice.labels["en"], counts[choice.code])
            for choice in reference["thematic_areas"].choices if counts[choice.code]]


def membership_value(used: Sequence[ReturnReport], reference: ReferenceData
                     ) -> list[tuple[str, float, int]]:
    """The average rating (1 to 4) States give each area of value, and how many ratings."""
    ratings: dict[str, list[int]] = defaultdict(list)
    for item in used:
        if item.reading.respondent.kind != "state":
            continue
        for row in item.reading.tables.get("memberships", []):
            for area in reference["value_areas"].codes:
                rating = row.values.get(f"value_{area}")
                if isinstance(rating, str) and rating.isdigit():
                    ratings[area].append(int(rating))
    return [(choice.labels["en"], round(sum(ratings[choice.code]) / len(ratings[choice.code]), 2),
             len(ratings[choice.code]))
            for choice in reference["value_areas"].choices if ratings[choice.code]]
