"""Reading the round's record: its respondents, messages and returns as plain values, and what
state each respondent is in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.round.store import Store, moment

DEADLINE, SENDER, ROSTER_SOURCE = "deadline", "sender", "roster"
STATES = ("not received", "rejected", "invalid", "valid")  # a respondent's
RETURN_FATES = ("valid", "invalid", "rejected", "superseded")  # a return's, in the log


@dataclass(frozen=True)
class Member:
    """A respondent of the round, and the questionnaire made for them."""

    respondent: Respondent
    questionnaire: str  # sha256 of the workbook sent
    added: str
    withdrawn: str | None


@dataclass(frozen=True)
class ReturnRecord:
    id: int
    file: str  # sha256
    respondent_id: str | None
    claimed_id: str  # the respondent the workbook names
    message: int | None
    name: str
    received: str
    status: str
    errors: int
    warnings: int
    questionnaire: str
    lang: str
    problems: str  # JSON: [{severity, code, sheet, cell, question, message}], English

    @property
    def problem_list(self) -> list[dict[str, str]]:
        return list(json.loads(self.problems)) if self.problems else []


@dataclass(frozen=True)
class MessageRecord:
    id: int
    direction: str
    respondent_id: str | None
    purpose: str
    at: str
    sender: str
    recipient: str
    subject: str
    message_id: str
    transport: str
    draft: str
    source: str
    file: str | None


def members(store: Store, active_only: bool = False) -> list[Member]:
    rows = store.query("SELECT * FROM respondents ORDER BY rowid")
    found = [Member(Respondent(row["id"], row["kind"], row["code"], row["name"], row["lang"],
                               row["email"], tuple(filter(None, row["iscms"].split(";")))),
                    row["questionnaire"] or "", row["added"], row["withdrawn"]) for row in rows]
    return [m for m in found if m.withdrawn is None] if active_only else found


def returns(store: Store) -> list[ReturnRecord]:
    """Every return, in the order received."""
    names = [f.name for f in dataclasses.fields(ReturnRecord)]
    return [ReturnRecord(**{name: row[name] for name in names})
            for row in store.query(f"SELECT {', '.join(names)} FROM returns "
                                   "ORDER BY received, id")]


def messages(store: Store) -> list[MessageRecord]:
    names = [f.name for f in dataclasses.fields(MessageRecord)]
    return [MessageRecord(**{name: row[name] for name in names})
            for row in store.query(f"SELECT {', '.join(names)} FROM messages ORDER BY at, id")]


def deadline(store: Store, survey: Survey) -> dt.date:
    text = store.meta(DEADLINE)
    return dt.date.fromisoformat(text) if text else survey.settings.deadline


def round_survey(store: Store, survey: Survey) -> Survey:
    """The survey as this round runs it: its own deadline, in the workbooks and the checks."""
    day = deadline(store, survey)
    if day == survey.settings.deadline:
        return survey
    return dataclasses.replace(survey, settings=dataclasses.replace(survey.settings,
                                                                    deadline=day))


@dataclass(frozen=True)
class Standing:
    """Where one respondent stands: what was sent and received, and when."""

    member: Member
    state: str  # one of STATES
    invited: str | None  # first invitation
    received: str | None  # latest return
    last_contact: str | None  # latest message, in or out
    latest: ReturnRecord | None  # the latest return
    used: ReturnRecord | None  # the latest valid return: what consolidation takes
    returns: tuple[ReturnRecord, ...]
    reminders: int
    overdue_days: int  # days past the deadline, while not valid

    @property
    def respondent(self) -> Respondent:
        return self.member.respondent


def fates(records: Sequence[ReturnRecord]) -> dict[int, str]:
    """What became of each return: the latest valid one of a respondent is used (valid); an
    earlier return of a respondent who sent a later valid one is superseded."""
    by_respondent: dict[str, list[ReturnRecord]] = defaultdict(list)
    for record in records:
        if record.respondent_id:
            by_respondent[record.respondent_id].append(record)
    found = {record.id: record.status for record in records}
    for group in by_respondent.values():
        valid = [record for record in group if record.status == "valid"]
        if valid:
            used = valid[-1]
            for record in group:
                if record.id != used.id and (record.received, record.id) < (
                        used.received, used.id):
                    found[record.id] = "superseded"
    return found


def standings(store: Store, survey: Survey, today: dt.date) -> list[Standing]:
    """Every respondent's standing, in roster order (withdrawn respondents included)."""
    due = deadline(store, survey)
    by_respondent: dict[str, list[ReturnRecord]] = defaultdict(list)
    for record in returns(store):
        if record.respondent_id:
            by_respondent[record.respondent_id].append(record)
    sent: dict[str, list[MessageRecord]] = defaultdict(list)
    contacts: dict[str, str] = {}
    for message in messages(store):
        if message.respondent_id:
            sent[message.respondent_id].append(message)
            contacts[message.respondent_id] = max(contacts.get(message.respondent_id, ""),
                                                  message.at)
    found = []
    for member in members(store):
        respondent_id = member.respondent.id
        group = by_respondent.get(respondent_id, [])
        latest = group[-1] if group else None
        valid = [record for record in group if record.status == "valid"]
        state = latest.status if latest else "not received"
        outgoing = [m for m in sent.get(respondent_id, []) if m.direction == "out"]
        invitations = [m.at for m in outgoing if m.purpose == "invitation"]
        overdue = (today - due).days if state != "valid" and today > due else 0
        found.append(Standing(
            member, state, min(invitations) if invitations else None,
            latest.received if latest else None, contacts.get(respondent_id), latest,
            valid[-1] if valid else None, tuple(group),
            sum(1 for m in outgoing if m.purpose == "reminder"),
            overdue if member.withdrawn is None else 0))
    return found


def days_since(text: str | None, now: dt.datetime) -> int | None:
    return (now - moment(text)).days if text else None
