"""Consolidation as data: which returns count, where each respondent stands, and what the master
workbook says about each ISCM.

Pure functions over a validation report: the master writer (master.py) only lays out what is
computed here (and in across.py, the analysis across ISCMs). Every row names the file it came
from; the Returns sheet gives each file's checksum.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbook_tools.check.validate import ReturnReport, ValidationReport
from workbook_tools.files import shown_path
from workbook_tools.model.messages import Issue, MessageCatalogue
from workbook_tools.model.questionnaire import (
    RESPONDENT_LISTS,
    Field,
    Questionnaire,
    Table,
    choice_list_name,
)
from workbook_tools.model.reference import ChoiceList, Iscm, ReferenceData
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.read.reading import TableRow

ISCM_TYPES = {"rcp": "Regional consultative process (RCP)",
              "irf": "Interregional forum (IRF)", "global": "Global process"}

# What an answer is, when it is not a value: never a blank that could mean any of them.
ANSWERED, NOT_ANSWERED, NOT_APPLICABLE = "answered", "not answered", "not applicable"
TICKED, NOT_TICKED = "ticked", "not ticked"


# --- which returns count -------------------------------------------------------------------


@dataclass
class Selection:
    used: list[ReturnReport] = field(default_factory=list)
    superseded: list[tuple[ReturnReport, ReturnReport]] = field(default_factory=list)
    conflicts: list[list[ReturnReport]] = field(default_factory=list)
    left_out: list[ReturnReport] = field(default_factory=list)
    include_invalid: bool = False
    returns: list[ReturnReport] = field(default_factory=list)  # every file, as validated
    dates: RoundDates | None = None  # a round's own dates (consolidate --round)
    # a return made from an older version, by id: the same, in the current version's terms
    in_current: dict[int, ReturnReport] = field(default_factory=dict, repr=False)
    _built: tuple[set[int], dict[int, ReturnReport]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def fate(self, item: ReturnReport, messages: MessageCatalogue) -> tuple[str, str]:
        """What happened to a return, and why, for the Returns sheet and the terminal."""
        item = self.in_current.get(id(item), item)  # a return as the validation gave it
        used, replaced_by = self._index()
        if id(item) in used:
            return ("used", "the answers are in this workbook"
                    + (" (invalid return, included on request)" if item.status == "invalid"
                       else ""))
        kept = replaced_by.get(id(item))
        if kept is not None:
            return ("superseded", "a later return of the same respondent is used: "
                    + shown_path(kept.path))
        if any(item is other for group in self.conflicts for other in group):
            return ("conflict", "several returns of this respondent have the same "
                    "completion date and time; say which counts by removing the others")
        if item.status == "rejected":
            reason = messages.render(item.issues[0]) if item.issues else ""
            return "left out", "rejected: " + reason
        return "left out", (f"invalid ({len(item.errors)} error(s)); use --include-invalid to "
                            "take it anyway")


    def _index(self) -> tuple[set[int], dict[int, ReturnReport]]:
        """The returns used, and what replaced each superseded one: built once, when the
        selection is complete (fate is asked of every return)."""
        if self._built is None:
            self._built = ({id(chosen) for chosen in self.used},
                           {id(older): kept for older, kept in self.superseded})
        return self._built


def respondent_key(item: ReturnReport) -> tuple[str, str]:
    respondent = item.reading.respondent
    if respondent.kind and respondent.code:
        return (respondent.kind, respondent.code)
    return ("file", str(item.path))


def completion_date(item: ReturnReport) -> dt.date | None:
    """The date the return says it was completed (the question with role completion_date)."""
    question = item.field_with_role("completion_date")
    value = item.reading.answers.get(question.id) if question else None
    return value if isinstance(value, dt.date) else None


@dataclass(frozen=True)
class RoundDates:
    """A round's own dates (workbook-tools round): when each return was received, when each
    respondent was sent the questionnaire, the deadline, and the day the master is made."""

    as_of: dt.date
    deadline: dt.date
    received: Mapping[Path, dt.datetime]  # by the return's path
    sent: Mapping[str, dt.date]  # by respondent id: the first invitation
    # by the return's path: the respondent the round took it in for (from the e-mail), which
    # names even a file that cannot be read
    senders: Mapping[Path, str] = field(default_factory=dict)


def received_at(item: ReturnReport, dates: RoundDates | None = None) -> dt.datetime | None:
    """When the file was received: in a round, when the round took it in; otherwise its
    modification time (UTC), as saved from the e-mail."""
    if dates is not None and item.path in dates.received:
        return dates.received[item.path]
    if not item.reading.mtime_ns:  # the file could not even be looked at
        return None
    # the time when it was read: the file may be gone since, or changed
    return dt.datetime.fromtimestamp(item.reading.mtime_ns / 1e9, dt.UTC)


def received_date(item: ReturnReport, dates: RoundDates | None = None) -> dt.date | None:
    moment = received_at(item, dates)
    return moment.date() if moment else None


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


def select_returns(report: ValidationReport, survey: Survey, include_invalid: bool = False,
                   dates: RoundDates | None = None) -> Selection:
    """Valid returns (and invalid ones on request), the latest per respondent: by the completion
    date written in the return, then by the file's modification time; in a round, by when
    each was received. Returns that cannot be ordered are reported, not guessed."""
    # A return made from an older version joins the others in the current version's terms,
    # here, once: every output takes the selection's returns (model/migration.py).
    in_current = {id(item): moved for item in report.returns
                  if (moved := in_current_version(item, survey)) is not item}
    returns = [in_current.get(id(item), item) for item in report.returns]
    selection = Selection(include_invalid=include_invalid, returns=returns, dates=dates,
                          in_current=in_current)

    def order(item: ReturnReport) -> tuple[dt.date | dt.datetime, int]:
        if dates is not None:
            return (dates.received[item.path], 0)
        return _order(item)

    accepted = {"valid", "invalid"} if include_invalid else {"valid"}
    candidates: dict[tuple[str, str], list[ReturnReport]] = defaultdict(list)
    for item in returns:
        if item.status in accepted:
            candidates[respondent_key(item)].append(item)
        else:
            selection.left_out.append(item)
    for key in sorted(candidates):
        group = candidates[key]
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


def in_current_version(item: ReturnReport, survey: Survey) -> ReturnReport:
    """A return made from an older version of its questionnaire, with its answers carried to
    the current version by the migrations the definitions declare; its identification still
    says which version it was made from (answered_version). Table rows keep their place."""
    questionnaire = item.questionnaire
    if questionnaire is None or questionnaire is survey.current(questionnaire.id):
        return item
    reading = item.reading
    rows = {table_id: [row.values for row in found] for table_id, found in reading.tables.items()}
    current, answers, tables = survey.to_current(questionnaire, reading.answers, rows)
    moved = {table_id: tuple(TableRow(old.index, values, old.raw) for old, values in zip(
                 reading.tables.get(table_id, ()), values_of_rows, strict=True))
             for table_id, values_of_rows in tables.items()}
    return replace(item, reading=replace(reading, answers=answers, tables=moved),
                   questionnaire=current)


def answered_version(item: ReturnReport) -> int:
    """The version of the questionnaire the return was made from."""
    identity = item.reading.identity
    return identity.version if identity else 0


def _order(item: ReturnReport) -> tuple[dt.date, int]:
    """Which of a respondent's returns is the latest: by completion date, then by the file's
    time when it was read (a file deleted or touched since changes nothing)."""
    return (completion_date(item) or dt.date.min, item.reading.mtime_ns)


# --- where each respondent stands ----------------------------------------------------------

# A respondent's state, earned by its files; in the order the tracker lists them (what needs
# following up first). "superseded" is not a state of a respondent but the fate of a file: a
# return replaced by a later one of the same respondent, which gives the respondent its state.
NOT_RECEIVED, REJECTED, INVALID, CONFLICTING, VALID = (
    "not received", "rejected", "invalid", "conflicting", "valid")
STATES = (NOT_RECEIVED, REJECTED, INVALID, CONFLICTING, VALID)
STATE_MEANINGS = {
    VALID: "a valid return is in this workbook",
    INVALID: "a return was received but is not valid: send the annotated copy back to be "
             "corrected",
    REJECTED: "a file was received but cannot be read: ask for it again",
    CONFLICTING: "several returns cannot be ordered (same completion date and time): keep one "
                 "and consolidate again",
    NOT_RECEIVED: "nothing received yet",
}
SUPERSEDED = "superseded"
FIRST_PROBLEMS = 2  # how many problems of an invalid return the tracker quotes


@dataclass(frozen=True)
class Standing:
    """Where one respondent stands: exactly one state, earned by its files."""

    kind: str  # the questionnaire; "" for a file nobody can be named for
    respondent_id: str
    code: str
    name: str
    state: str  # one of STATES
    detail: str  # what is wrong and what to do; for a valid return, anything to know
    deciding: ReturnReport | None  # the return the state comes from
    others: tuple[tuple[ReturnReport, str], ...]  # the respondent's other files and their fate
    in_roster: bool
    errors: int = 0
    received_at: dt.datetime | None = None  # when the deciding file was received

    @property
    def received(self) -> dt.date | None:
        return self.received_at.date() if self.received_at else None

    @property
    def completed(self) -> dt.date | None:
        return completion_date(self.deciding) if self.deciding else None

    @property
    def file(self) -> str:
        return shown_path(self.deciding.path) if self.deciding else ""


def problem_text(item: ReturnReport, issue: Issue, messages: MessageCatalogue) -> str:
    """One problem, as the tracker and the ISCM sheets quote it: question number, cell, message."""
    where = []
    if issue.question and item.questionnaire is not None:
        with contextlib.suppress(KeyError):  # a whole-table problem may name no item
            where.append(item.questionnaire.number(issue.question))
    if issue.sheet:
        where.append(f"'{issue.sheet}'!{issue.cell}" if issue.cell else f"'{issue.sheet}'")
    prefix = f"{' '.join(where)}: " if where else ""
    return prefix + messages.render(issue, "en")


def invalid_detail(item: ReturnReport, messages: MessageCatalogue) -> str:
    """The count of errors, and the first of them."""
    errors = item.errors
    first = "; ".join(problem_text(item, issue, messages) for issue in errors[:FIRST_PROBLEMS])
    more = f"; and {len(errors) - FIRST_PROBLEMS} more" if len(errors) > FIRST_PROBLEMS else ""
    return f"{len(errors)} error{'s' if len(errors) != 1 else ''}: {first}{more}"


def _file_owner(stem: str, ids: Mapping[str, tuple[str, str]]) -> tuple[str, str] | None:
    """The respondent a file is named after: questionnaires go out named by the roster's id,
    so a file that cannot be read is attributed by its name ("STATE-COL.xlsx",
    "STATE-ETH-first-draft.xlsx"), to the longest id it starts with."""
    folded = stem.casefold()
    best: tuple[int, tuple[str, str]] | None = None
    for respondent_id, key in ids.items():
        candidate = respondent_id.casefold()
        named = folded == candidate or (folded.startswith(candidate)
                                        and not folded[len(candidate)].isalnum())
        if named and (best is None or len(candidate) > best[0]):
            best = (len(candidate), key)
    return best[1] if best else None


def respondent_standings(selection: Selection, survey: Survey,
                         roster: Sequence[Respondent] | None = None) -> list[Standing]:
    """Every respondent of the roster (or, without one, every respondent a return names) with
    the state its files earned; then files that name nobody in the roster."""
    messages, dates = survey.messages, selection.dates
    used = {id(item) for item in selection.used}
    conflicted = {id(item) for group in selection.conflicts for item in group}
    superseded = {id(old): kept for old, kept in selection.superseded}
    people: dict[tuple[str, str], tuple[str, str, bool]] = {}  # key -> (id, name, in roster)
    for respondent in roster or ():
        people[(respondent.kind, respondent.code)] = (respondent.id, respondent.name, True)
    by_id = {r.id: (r.kind, r.code) for r in roster or ()}
    for item in selection.returns:
        info = item.reading.respondent
        if item.status != "rejected" and info.kind and info.code:
            key = by_id.get(info.id, (info.kind, info.code))
            if key not in people:
                people[key] = (info.id, info.name or info.code, roster is None)
            if info.id and info.id not in by_id:
                by_id[info.id] = key
    files: dict[tuple[str, str], list[ReturnReport]] = defaultdict(list)
    for item in selection.returns:
        info = item.reading.respondent
        if item.status != "rejected" and info.kind and info.code:
            key = by_id.get(info.id, (info.kind, info.code))
        else:  # in a round, the e-mail said whose it is; otherwise its name may
            sender = dates.senders.get(item.path) if dates is not None else None
            key = (by_id.get(sender) if sender else None) or _file_owner(
                item.path.stem, by_id) or ("", str(item.path))
            if key not in people:
                people[key] = ("", shown_path(item.path.name), False)
        files[key].append(item)

    def fate(item: ReturnReport) -> str:
        """What became of a file, and when it came (in a round, files can share a name)."""
        when = received_date(item, dates)
        came = f"received {when.isoformat()}; " if when else ""
        if id(item) in superseded:
            kept = received_date(superseded[id(item)], dates)
            return came + f"{SUPERSEDED} by the return received {kept.isoformat()}" if kept \
                else came + SUPERSEDED
        if id(item) in conflicted:
            return came + "cannot be ordered"
        if item.status == "rejected":
            return came + "rejected: " + (messages.render(item.issues[0]) if item.issues else "")
        return came + f"{item.status}, left out"

    def received_order(item: ReturnReport) -> tuple[dt.datetime, str]:
        moment = received_at(item, dates)
        return (moment or dt.datetime.min.replace(tzinfo=dt.UTC), str(item.path))

    standings = []
    for key, (respondent_id, name, in_roster) in people.items():
        mine = sorted(files.get(key, []), key=received_order)
        state, deciding, detail, errors = _state_of(mine, used, conflicted, messages)
        if deciding is not None and state == VALID:
            later = [item for item in mine if received_order(item) > received_order(deciding)
                     and item.status != "valid"]
            if later:
                detail = (f"a later file, {shown_path(later[-1].path.name)}, is "
                          f"{later[-1].status}; the valid return is used meanwhile")
        if state == NOT_RECEIVED and dates is not None and in_roster:
            detail = _overdue(respondent_id, dates)
        others = tuple((item, fate(item)) for item in mine if item is not deciding)
        standings.append(Standing(key[0], respondent_id, key[1] if key[0] else "", name, state,
                                  detail, deciding, others, in_roster, errors,
                                  received_at(deciding, dates) if deciding else None))
    kinds = kinds_in_order(survey)
    return sorted(standings, key=lambda s: (
        kinds.index(s.kind) if s.kind in kinds else len(kinds), not s.in_roster,
        STATES.index(s.state), s.name.casefold(), s.respondent_id))


def _overdue(respondent_id: str, dates: RoundDates) -> str:
    """In a round: since when a silent respondent has had the questionnaire, how late it is."""
    sent = dates.sent.get(respondent_id)
    late = (dates.as_of - dates.deadline).days
    return (f"sent {sent.isoformat()}" if sent else "not sent yet") + (
        f"; {late} days past the deadline" if sent and late > 0 else "")


def _state_of(files: list[ReturnReport], used: set[int], conflicted: set[int],
              messages: MessageCatalogue) -> tuple[str, ReturnReport | None, str, int]:
    """(state, deciding return, detail, errors) of one respondent's files, in the order they
    were received."""
    if not files:
        return NOT_RECEIVED, None, "", 0
    chosen = [item for item in files if id(item) in used]
    if chosen:
        item = chosen[0]
        if item.status == "invalid":
            return (INVALID, item, invalid_detail(item, messages) + " (included on request "
                    "with --include-invalid)", len(item.errors))
        warnings = len(item.warnings)
        note = f"{warnings} warning{'s' if warnings != 1 else ''} (accepted)" if warnings else ""
        return VALID, item, note, 0
    tied = [item for item in files if id(item) in conflicted]
    if tied:
        return (CONFLICTING, tied[-1], f"{len(tied)} returns have the same completion date and "
                "time; remove all but the one that counts", 0)
    invalid = [item for item in files if item.status == "invalid"]  # received last, last
    if invalid:
        return INVALID, invalid[-1], invalid_detail(invalid[-1], messages), len(
            invalid[-1].errors)
    rejected = files[-1]  # only unreadable files are left: the latest received
    reason = messages.render(rejected.issues[0]) if rejected.issues else ""
    return REJECTED, rejected, f"the file cannot be read: {reason}", 0


def iscm_states(selection: Selection, survey: Survey,
                roster: Sequence[Respondent] | None = None) -> dict[str, Standing]:
    """Where each ISCM stands with its own return, by ISCM code: for the ISCM sheets and the
    draft summaries, which must not say "did not answer" of an ISCM whose return came in but
    is invalid or unreadable."""
    kind = iscm_kind(survey)
    return {standing.code: standing
            for standing in respondent_standings(selection, survey, roster)
            if standing.kind == kind and standing.code}


@dataclass(frozen=True)
class TrackerLine:
    """A line of the Overview's tracker: a state (or "sent", or superseded files), how many
    respondents of each kind are in it, and who (for everything but valid returns)."""

    label: str
    counts: tuple[int, ...]  # by kind, in the order of kinds_in_order
    total: int
    who: str


def tracker_lines(standings: Sequence[Standing], roster: Sequence[Respondent] | None,
                  survey: Survey) -> list[TrackerLine]:
    kinds = kinds_in_order(survey)

    def line(label: str, chosen: Sequence[Standing], who: str = "") -> TrackerLine:
        counts = tuple(sum(1 for s in chosen if s.kind == kind) for kind in kinds)
        return TrackerLine(label, counts, len(chosen), who)

    lines = []
    if roster is not None:
        sent = tuple(sum(1 for r in roster if r.kind == kind) for kind in kinds)
        lines.append(TrackerLine("Sent", sent, len(roster), ""))
    listed = [s for s in standings if s.in_roster or roster is None]
    for state in (VALID, INVALID, REJECTED, CONFLICTING, NOT_RECEIVED):
        chosen = [s for s in listed if s.state == state]
        if state in (CONFLICTING, NOT_RECEIVED) and not chosen:
            continue
        who = "" if state == VALID else ", ".join(
            f"{s.name} ({s.errors} error{'s' if s.errors != 1 else ''})" if s.errors else
            f"{s.name} ({s.detail})" if state == NOT_RECEIVED and s.detail else s.name
            for s in chosen)
        lines.append(line(state[:1].upper() + state[1:], chosen, who))
    strangers = [s for s in standings if not s.in_roster and roster is not None]
    if strangers:
        lines.append(line("Not in the roster", strangers, ", ".join(
            f"{s.name} ({s.state})" for s in strangers)))
    replaced = [(s, fate) for s in standings for _, fate in s.others if SUPERSEDED in fate]
    counts = tuple(sum(1 for s, _ in replaced if s.kind == kind) for kind in kinds)
    lines.append(TrackerLine("Superseded returns", counts, len(replaced), ", ".join(
        f"{s.name} ({fate})" for s, fate in replaced)))
    return lines


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
    label = _english_labels(reference[list_name]).get(code) if list_name in reference else None
    return label if label is not None else reference.any_label(list_name, code, "en")


_LABELS: dict[int, tuple[ChoiceList, dict[str, str]]] = {}


def _english_labels(choices: ChoiceList) -> dict[str, str]:
    """A list's English labels by code, built once per list (the States' list is long, and
    every answer is looked up)."""
    known = _LABELS.get(id(choices))
    if known is None or known[0] is not choices:
        known = (choices, {choice.code: choice.labels["en"] for choice in choices.choices})
        _LABELS[id(choices)] = known
    return known[1]


def is_answered(value: object) -> bool:
    return not (value is None or value == "" or value == ())


def answer_state(questionnaire: Questionnaire, question: Field,
                 answers: Mapping[str, object]) -> str:
    """answered, not answered, or not applicable (a condition excludes the question)."""
    if is_answered(answers.get(question.id)):
        return ANSWERED
    return NOT_APPLICABLE if questionnaire.applies(question.id, answers) is False else (
        NOT_ANSWERED)


def option_state(questionnaire: Questionnaire, question: Field, code: str,
                 answers: Mapping[str, object]) -> str:
    """An option of a multiple choice: ticked, not ticked, or the question's own state when it
    was not answered or does not apply."""
    state = answer_state(questionnaire, question, answers)
    if state != ANSWERED:
        return state
    value = answers.get(question.id)
    return TICKED if isinstance(value, tuple) and code in value else NOT_TICKED


# --- the long data -------------------------------------------------------------------------

DATA_COLUMNS = ("respondent_id", "kind", "respondent_name", "question_id", "number", "section",
                "label", "value", "value_label", "answer_state", "file", "status", "version")


def _who(item: ReturnReport) -> dict[str, str]:
    respondent = item.reading.respondent
    return {"respondent_id": respondent.id or respondent.code, "kind": respondent.kind,
            "respondent_name": respondent.name}


def answer_rows(used: Sequence[ReturnReport], reference: ReferenceData,
                include_personal: bool = False) -> list[dict[str, str]]:
    """Every question of every return, one row each (a multiple choice: one row per option
    ticked), with its state: answered or ticked, or else not answered or not applicable, so
    that an empty value is never ambiguous. (Every option of every ISCM, ticked or not, is in
    the master's Choices by ISCM.) A person's name or e-mail (questions marked personal) only
    when asked for; `version`: the questionnaire the answer was given in (an older one's answers
    are carried to the current questions by the declared migrations)."""
    rows = []
    for item in used:
        questionnaire = item.questionnaire
        assert questionnaire is not None
        who = _who(item)
        where = {"file": shown_path(item.path), "status": item.status,
                 "version": str(answered_version(item))}
        answers = item.reading.answers
        for section, question in questionnaire.items():
            if not isinstance(question, Field) or (question.personal and not include_personal):
                continue
            common = {**who, "question_id": question.id,
                      "number": questionnaire.number(question.id), "section": section.id,
                      "label": question.label["en"]}
            value = answers.get(question.id)
            state = answer_state(questionnaire, question, answers)
            if question.type == "multiple_choice" and state == ANSWERED:
                list_name = choice_list_name(question)
                assert list_name is not None
                ticked = value if isinstance(value, tuple) else ()
                for code in ticked:
                    rows.append({**common, "value": str(code),
                                 "value_label": _label(reference, list_name, str(code)),
                                 "answer_state": TICKED, **where})
                continue
            text = "" if not is_answered(value) else (
                value.isoformat() if isinstance(value, dt.date) else str(value))
            rows.append({**common, "value": text, "value_label": display(question, value,
                                                                         reference),
                         "answer_state": state, **where})
    return rows


@dataclass
class TableData:
    table: Table
    columns: list[str]
    rows: list[dict[str, str]]


def table_data(used: Sequence[ReturnReport], survey: Survey,
               include_personal: bool = False) -> list[TableData]:
    """Each questionnaire table across returns, one row per table row (a person's name or
    e-mail only when asked for)."""
    tables: dict[str, TableData] = {}
    for questionnaire in _current_questionnaires(survey):
        for table in questionnaire.tables():
            columns = ["respondent_id", "kind", "respondent_name", "row"]
            for column in table.columns:
                if column.personal and not include_personal:
                    continue
                columns.append(column.id)
                if choice_list_name(column):
                    columns.append(f"{column.id}_label")
            # a table may have a column named status (a State's status in an ISCM)
            tables[table.id] = TableData(table, [*columns, "file", "return_status", "version"],
                                         [])
    for item in used:
        for table_id, rows in item.reading.tables.items():
            data = tables.get(table_id)
            if data is None:
                continue
            for row in rows:
                record = {**_who(item), "row": str(row.index + 1),
                          "file": shown_path(item.path), "return_status": item.status,
                          "version": str(answered_version(item))}
                for column in data.table.columns:
                    if column.personal and not include_personal:
                        continue
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
class Answer:
    """One question of an ISCM's own return, as its sheet shows it."""

    number: str
    question: str
    text: str  # the answer, or "not answered" / "not applicable"
    state: str  # ANSWERED, NOT_ANSWERED or NOT_APPLICABLE
    problem: str = ""  # what is wrong with it, when the return is invalid


@dataclass
class Card:
    """A row of a table, or what one respondent said: who or what it is about, then one line
    per column ("Status: Member")."""

    title: str
    lines: list[str]
    marked: bool = False  # from an invalid return


@dataclass
class Block:
    """A table inside an ISCM's own answers: its question and its rows."""

    number: str
    label: str
    cards: list[Card]
    problem: str = ""


@dataclass
class SectionAnswers:
    title: str
    items: list[Answer | Block]


@dataclass
class VoiceGroup:
    """What the respondents of one questionnaire said about an ISCM."""

    kind: str
    respondents: str  # "States", "other ISCMs"
    title: str  # "What States said"
    voices: list[Card]


@dataclass
class IscmProfile:
    iscm: Iscm
    title: str  # the name IPD uses (the short name)
    subtitle: str  # the full name when it says more, the type, the region
    note: str  # where its return stands, in a sentence
    status: str  # the same in a few words, and who spoke of it: for the Overview's list
    state: str  # the ISCM's state (STATES), or "" when no roster says it was sent anything
    own: ReturnReport | None  # the return its answers come from (valid, or invalid, marked)
    sections: list[SectionAnswers]
    groups: list[VoiceGroup]
    has_problems: bool = False

    def group(self, kind: str) -> VoiceGroup | None:
        return next((group for group in self.groups if group.kind == kind), None)


def shown_in_profile(question: Field) -> bool:
    """Who answered is in the sheet's heading; a person's details stay out of shared outputs."""
    return question.prefill != "respondent" and not question.personal


def iscm_headings(iscm: Iscm) -> tuple[str, str]:
    """The sheet's title (the name IPD uses) and subtitle (the full name if it says more, the
    type, the region): each name once."""
    parts = []
    if _words(iscm.full_name) != _words(iscm.short_name) and not _words(
            iscm.short_name) <= _words(iscm.full_name):
        parts.append(iscm.full_name)
    parts += [ISCM_TYPES.get(iscm.type, iscm.type), iscm.region]
    return iscm.short_name, " · ".join(part for part in parts if part)


def _words(text: str) -> set[str]:
    return {word.casefold() for word in re.findall(r"\w+", text)}


def _own_sections(item: ReturnReport, reference: ReferenceData, messages: MessageCatalogue
                  ) -> tuple[list[SectionAnswers], bool]:
    questionnaire = item.questionnaire
    assert questionnaire is not None
    answers = item.reading.answers
    problems: dict[str, list[str]] = defaultdict(list)
    for issue in item.errors:
        if issue.question:
            problems[issue.question].append(problem_text(item, issue, messages))
    sections = []
    for section in questionnaire.sections:
        entries: list[Answer | Block] = []
        for question in section.items:
            number = questionnaire.number(question.id)
            problem = "; ".join(problems.get(question.id, []))
            if isinstance(question, Table):
                cards = [_card(question.columns, row, reference)
                         for row in item.reading.tables.get(question.id, ())]
                entries.append(Block(number, question.label["en"], cards, problem))
            elif shown_in_profile(question):
                state = answer_state(questionnaire, question, answers)
                text = display(question, answers.get(question.id), reference) if (
                    state == ANSWERED) else state
                entries.append(Answer(number, question.label["en"], text, state, problem))
        if entries:
            sections.append(SectionAnswers(section.title["en"], entries))
    return sections, bool(problems) or bool(item.errors)


def _card(columns: Sequence[Field], row: TableRow, reference: ReferenceData,
          skip: Field | None = None, title: str | None = None) -> Card:
    """A table row as a card: the first column (or the given title), then a line per filled
    column; ratings of one group (a column with for_each) on one line, areas grouped by
    rating, best first."""
    shown = [c for c in columns if c is not skip]
    if title is None:
        first, shown = shown[0], shown[1:]
        title = display(first, row.values.get(first.id), reference)
    lines = []
    groups: dict[str, list[Field]] = defaultdict(list)
    for column in shown:
        if column.group is not None and column.option is not None:
            if column.group not in groups:
                lines.append(f"\x00{column.group}")  # where the group's line goes
            groups[column.group].append(column)
            continue
        text = display(column, row.values.get(column.id), reference)
        if text:
            lines.append(f"{column.label['en']} {text}" if column.label["en"].endswith(":")
                         else f"{column.label['en']}: {text}")
    for group, members in groups.items():
        lines[lines.index(f"\x00{group}")] = _ratings_line(members, row, reference)
    return Card(title, [line for line in lines if line])


def _ratings_line(columns: Sequence[Field], row: TableRow, reference: ReferenceData) -> str:
    """"Value: 4 - Very valuable: Trust-building, Networking; 3 - Valuable: ..."."""
    first = columns[0]
    assert first.group is not None and first.option is not None
    area_label = reference[first.group].label(first.option, "en")
    prefix = first.label["en"].removesuffix(area_label).strip()
    list_name = choice_list_name(first)
    by_rating: dict[str, list[str]] = defaultdict(list)
    for column in columns:
        value = row.values.get(column.id)
        if isinstance(value, str) and value:
            assert column.group is not None and column.option is not None
            by_rating[value].append(reference[column.group].label(column.option, "en"))
    if not by_rating:
        return ""
    order = list(reference[list_name].codes) if list_name else sorted(by_rating)
    parts = [f"{_label(reference, list_name, code) if list_name else code}: "
             f"{', '.join(by_rating[code])}"
             for code in sorted(by_rating, key=lambda c: order.index(c) if c in order else 99)]
    return f"{prefix} {'; '.join(parts)}" if prefix else "; ".join(parts)


def about_iscms_table(questionnaire: Questionnaire) -> tuple[Table, Field] | None:
    """The table in which a questionnaire's respondents name the ISCMs they speak of, and its
    column naming the ISCM."""
    table = questionnaire.table_with_role("about_iscms")
    column = table.iscm_column if table else None
    return (table, column) if table and column else None


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


def iscm_profiles(selection: Selection, survey: Survey,
                  roster: Sequence[Respondent] | None = None,
                  states: Mapping[str, Standing] | None = None) -> list[IscmProfile]:
    """One profile per ISCM that sent a file or that other respondents spoke about, in the
    order of the reference list. `states` (from iscm_states, computed when not given) says
    where each ISCM's own return stands; an invalid return's answers are shown, marked, never
    as "did not answer"."""
    reference, messages = survey.reference, survey.messages
    used = selection.used
    states = iscm_states(selection, survey, roster) if states is None else states
    own = own_returns(used, survey)
    named = rows_naming_iscms(used)
    kinds = [kind for kind in kinds_in_order(survey)
             if about_iscms_table(survey.current(kind)) is not None]
    # the ISCMs' own partners come last: "what other ISCMs said"
    kinds.sort(key=lambda kind: kind == iscm_kind(survey))

    def voices(code: str, kind: str) -> list[Card]:
        found = []
        for item, row in named.get(code, {}).get(kind, []):
            assert item.questionnaire is not None
            table, column = about_iscms_table(item.questionnaire) or (None, None)
            assert table is not None
            who = item.reading.respondent.name + (
                " (invalid return)" if item.status == "invalid" else "") + _made_from(item)
            card = _card(table.columns, row, reference, skip=column, title=who)
            card.marked = item.status == "invalid"
            found.append(card)
        return sorted(found, key=lambda card: card.title)

    profiles = []
    for iscm in reference.iscms:
        standing = states.get(iscm.code)
        sent_something = standing is not None and standing.deciding is not None
        if iscm.code not in own and iscm.code not in named and not sent_something:
            continue
        shown = own.get(iscm.code) or (standing.deciding if standing is not None and (
            standing.state == INVALID) else None)
        sections, problems = _own_sections(shown, reference, messages) if shown else ([], False)
        groups = []
        for kind in kinds:
            respondents = kind_name(survey, kind)
            if kind == iscm_kind(survey):
                respondents = f"other {respondents}"
            title = (f"What {respondents} said (partnerships)" if kind == iscm_kind(survey)
                     else f"What {respondents} said")
            groups.append(VoiceGroup(kind, respondents, title, voices(iscm.code, kind)))
        title, subtitle = iscm_headings(iscm)
        note = _return_note(standing, shown, selection, groups, roster is not None)
        profiles.append(IscmProfile(
            iscm, title, subtitle, note, _status(standing, shown, groups, roster is not None),
            standing.state if standing else "", shown, sections, groups, problems))
    return profiles


def _status(standing: Standing | None, shown: ReturnReport | None,
            groups: Sequence[VoiceGroup], roster_given: bool) -> str:
    """Where the ISCM's return stands in a few words, and who spoke of it."""
    state = standing.state if standing is not None else ""
    if state == VALID or (not state and shown is not None):
        text = "valid return"
    elif state == INVALID:
        text = "return received, not valid (answers shown, marked)"
    elif state == REJECTED:
        text = "file received, cannot be read"
    elif state == CONFLICTING:
        text = "returns that cannot be ordered"
    elif state == NOT_RECEIVED:
        text = "no return received"
    else:
        text = "not in the roster: no questionnaire sent" if roster_given else "no return"
    spoke = ", ".join(f"{group.respondents} ({len(group.voices)})" for group in groups
                      if group.voices)
    return text + (f"; spoken of by {spoke}" if spoke else "")


def _return_note(standing: Standing | None, shown: ReturnReport | None, selection: Selection,
                 groups: Sequence[VoiceGroup], roster_given: bool) -> str:
    """Where the ISCM's own return stands, in a sentence."""
    others = ("What States and organizations said about it follows."
              if any(group.voices for group in groups) else "No other return speaks of it.")
    if standing is None or standing.deciding is None:
        if shown is not None:  # without a roster an ISCM's return may still be here
            return _valid_note(shown, "", selection.dates)
        if standing is not None and standing.in_roster:
            overdue = f" ({standing.detail})" if standing.detail else ""
            return f"No return received from the ISCM{overdue}. " + others
        return ("The ISCM is not in the roster: it was sent no questionnaire. " if roster_given
                else "No return from the ISCM among the files consolidated. ") + others
    item = standing.deciding
    received = standing.received
    on = f" on {received.isoformat()}" if received else ""
    if standing.state == VALID:
        return _valid_note(item, standing.detail, selection.dates)
    if standing.state == INVALID:
        used = any(item is chosen for chosen in selection.used)
        return (f"Return received{on}, not valid: "
                f"{standing.detail.split(' (included')[0].rstrip('.')}. "
                + ("Included on request (--include-invalid): its answers are in Data and the "
                   "analysis, marked invalid." if used else
                   "Its answers are shown below, the faulty ones marked; they are not in Data "
                   "or the analysis until a corrected return arrives.")
                + f" File: {shown_path(item.path.name)}.")
    if standing.state == REJECTED:
        return (f"A file was received{on} ({shown_path(item.path.name)}) but cannot be read: "
                f"{standing.detail.removeprefix('the file cannot be read: ')} " + others)
    return (f"Returns received{on} cannot be ordered: {standing.detail}. " + others)


def _valid_note(item: ReturnReport, detail: str, dates: RoundDates | None) -> str:
    completed, received = completion_date(item), received_date(item, dates)
    parts = [f"completed {completed.isoformat()}" if completed else "",
             f"received {received.isoformat()}" if received else ""]
    when = ", ".join(part for part in parts if part)
    return (f"Valid return{' (' + when + ')' if when else ''}: file "
            f"{shown_path(item.path.name)}."
            + (f" {_made_from(item).strip()[1:-1].capitalize()}: its answers are carried to "
               "the current version's questions." if _made_from(item) else "")
            + (f" {detail[:1].upper()}{detail[1:]}." if detail else ""))


def _made_from(item: ReturnReport) -> str:
    """" (questionnaire version 1)" for a return made from an older version, else ""."""
    version = answered_version(item)
    current = item.questionnaire.version if item.questionnaire else version
    return f" (questionnaire version {version})" if version and version != current else ""
