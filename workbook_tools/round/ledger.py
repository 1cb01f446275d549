"""The round's commands: start it, change its roster, send the questionnaires, take in what
comes back and answer it, remind. Each command reads and prepares what it can first, then records
everything in one transaction of the store (see store.py), then publishes its drafts.

Every function takes `now`: the round's dates are the commands' own (and the demo plays weeks
in seconds).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

from workbook_tools.check.validate import ReturnReport, read_returns, validate_readings
from workbook_tools.errors import UserError
from workbook_tools.files import workbook_bytes
from workbook_tools.model.roster import Respondent, read_roster
from workbook_tools.model.survey import Survey
from workbook_tools.round import record
from workbook_tools.round.intake import Arrival, read_arrivals
from workbook_tools.round.mail import (
    Attachment,
    SmtpServer,
    SmtpSession,
    compose,
    draft_bytes,
    header_text,
    problem_lines,
)
from workbook_tools.round.record import Member, members, round_survey
from workbook_tools.round.store import (
    CREATED,
    QUESTIONNAIRES,
    Store,
    moment,
    stamp,
    store_date,
)
from workbook_tools.send.write import personalized_file_name

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class Outcome:
    """What a command did, line by line for the terminal, and what it wrote."""

    lines: list[str] = field(default_factory=list)
    drafts: list[Path] = field(default_factory=list)
    sent: int = 0
    problems: int = 0  # inputs that could not be used: the exit code is 1 when there are any


# --- init and roster -----------------------------------------------------------------------


def init_round(folder: Path, roster_path: Path, survey: Survey, now: dt.datetime,
               deadline: dt.date | None = None, sender: str | None = None) -> Outcome:
    """A new round in folder: its store, and the personalized questionnaires of the roster."""
    respondents = read_roster(roster_path, survey)
    outcome = Outcome()
    with Store.create(folder) as store:
        with store.transaction("init", now):
            store.set_meta(record.DEADLINE, (deadline or survey.settings.deadline).isoformat())
            store.set_meta(record.SENDER, sender or survey.settings.contact)
            store.set_meta(record.ROSTER_SOURCE, str(roster_path))
            made = round_survey(store, survey)
            store.event(now, "round started",
                        f"{len(respondents)} respondents from {roster_path}; deadline "
                        f"{store.meta(record.DEADLINE)}")
            for respondent in respondents:
                _add(store, made, respondent, now)
            store.set_meta(CREATED, stamp(now))
        outcome.lines.append(f"Started the round in {folder}: {len(respondents)} "
                             f"respondents, deadline {store.meta(record.DEADLINE)}")
        outcome.lines.append(f"wrote {len(respondents)} questionnaires in "
                             f"{folder / QUESTIONNAIRES}")
    return outcome


def _questionnaire(store: Store, survey: Survey, respondent: Respondent) -> str:
    from workbook_tools.send.build import build_workbook

    workbook = build_workbook(survey.current(respondent.kind), respondent.lang, survey,
                              respondent=respondent)
    name = personalized_file_name(respondent)
    stored = store.put_file(workbook_bytes(workbook), name)
    store.publish_later(f"{QUESTIONNAIRES}/{name}", stored.sha256)
    return stored.sha256


def _add(store: Store, survey: Survey, respondent: Respondent, now: dt.datetime) -> None:
    sha = _questionnaire(store, survey, respondent)
    store.execute("INSERT INTO respondents (id, kind, code, name, lang, email, iscms, "
                  "questionnaire, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  (respondent.id, respondent.kind, respondent.code, respondent.name,
                   respondent.lang, respondent.email, ";".join(respondent.iscms), sha,
                   stamp(now)))
    store.event(now, "added", f"{respondent.kind} {respondent.code}, {respondent.lang}, "
                f"{respondent.email or 'no e-mail address'}; questionnaire written",
                respondent.id, sha)


def update_roster(store: Store, roster_path: Path, survey: Survey, now: dt.datetime
                  ) -> Outcome:
    """Apply a changed roster: new respondents are added (with their questionnaire), those no
    longer listed are withdrawn (their history stays), changed details are updated (a new
    language gets a new questionnaire). A respondent cannot change kind or code: that is
    another respondent, with another id."""
    respondents = read_roster(roster_path, survey)
    made = round_survey(store, survey)
    known = {m.respondent.id: m for m in members(store)}
    listed = {r.id for r in respondents}
    refused = [f"{r.id}: was {known[r.id].respondent.kind} {known[r.id].respondent.code}, the "
               f"roster now says {r.kind} {r.code}; give the new respondent a new id"
               for r in respondents if r.id in known and (r.kind, r.code) != (
                   known[r.id].respondent.kind, known[r.id].respondent.code)]
    if refused:
        raise UserError(f"{roster_path} cannot be applied to the round:\n"
                        + "\n".join(f"  - {line}" for line in refused))
    outcome = Outcome()
    with store.transaction("roster", now):
        for respondent in respondents:
            member = known.get(respondent.id)
            if member is None:
                _add(store, made, respondent, now)
                outcome.lines.append(f"added     {respondent.id} ({respondent.name})")
                continue
            changes = _changes(member, respondent)
            if member.withdrawn is not None:
                store.execute("UPDATE respondents SET withdrawn = NULL WHERE id = ?",
                              (respondent.id,))
                changes.insert(0, "back in the roster")
            if not changes:
                continue
            sha = member.questionnaire
            if respondent.lang != member.respondent.lang or respondent.iscms != (
                    member.respondent.iscms):
                sha = _questionnaire(store, made, respondent)
                changes.append("new questionnaire written")
            store.execute("UPDATE respondents SET name = ?, lang = ?, email = ?, iscms = ?, "
                          "questionnaire = ? WHERE id = ?",
                          (respondent.name, respondent.lang, respondent.email,
                           ";".join(respondent.iscms), sha, respondent.id))
            store.event(now, "changed", "; ".join(changes), respondent.id)
            outcome.lines.append(f"changed   {respondent.id}: {'; '.join(changes)}")
        for member in known.values():
            if member.respondent.id not in listed and member.withdrawn is None:
                store.execute("UPDATE respondents SET withdrawn = ? WHERE id = ?",
                              (stamp(now), member.respondent.id))
                store.event(now, "withdrawn", f"not in {roster_path}; its history is kept",
                            member.respondent.id)
                outcome.lines.append(f"withdrawn {member.respondent.id} (history kept)")
        for line in _attribute_orphans(store, now):
            outcome.lines.append(line)
        store.event(now, "roster changed", f"{roster_path}: " + (
            f"{len(outcome.lines)} change(s)" if outcome.lines else "no change"))
    if not outcome.lines:
        outcome.lines.append(f"{roster_path}: no change to the round's roster")
    return outcome


def _changes(member: Member, respondent: Respondent) -> list[str]:
    before = member.respondent
    return [f"{name} {old or '(none)'} -> {new or '(none)'}" for name, old, new in (
        ("name", before.name, respondent.name), ("lang", before.lang, respondent.lang),
        ("email", before.email, respondent.email),
        ("iscms", ";".join(before.iscms), ";".join(respondent.iscms))) if old != new]


def _attribute_orphans(store: Store, now: dt.datetime) -> list[str]:
    """Returns that named a respondent the roster did not have are theirs once it does."""
    active = {m.respondent.id for m in members(store, active_only=True)}
    lines = []
    for row in store.query("SELECT id, claimed_id, name FROM returns "
                           "WHERE respondent_id IS NULL AND claimed_id != ''"):
        if row["claimed_id"] in active:
            store.execute("UPDATE returns SET respondent_id = ? WHERE id = ?",
                          (row["claimed_id"], row["id"]))
            store.event(now, "return attributed", f"{row['name']}, received earlier from a "
                        "respondent who was not in the roster then", row["claimed_id"])
            lines.append(f"attributed {row['name']} to {row['claimed_id']}")
    return lines


# --- sending -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """An e-mail to one respondent, composed, not yet recorded."""

    respondent_id: str
    purpose: str  # invitation, thanks, correction, unreadable, reminder
    message: Message
    attachments: tuple[Attachment, ...] = ()
    detail: str = ""


class Dispatch:
    """Where letters go: drafts in the outbox (one transaction), or an SMTP server (each letter
    recorded once the server accepted it: the world has changed, the record says so)."""

    def __init__(self, store: Store, smtp: SmtpServer | None, batch: str) -> None:
        self.store, self.smtp, self.batch = store, smtp, batch

    def deliver(self, letters: Sequence[Letter], now: dt.datetime, outcome: Outcome,
                command: str, fallback: bool = False) -> None:
        """Draft or send the letters. With `fallback`, letters the SMTP server could not take
        become drafts (replies to returns already recorded have no other way out); without it,
        the failure stops the command and what was not sent is not recorded (run it again)."""
        if not letters:
            return
        if self.smtp is None:
            with self.store.transaction(command, now):
                for letter in letters:
                    outcome.drafts.append(self.record_draft(letter, now))
            return
        done = 0
        try:
            with SmtpSession(self.smtp) as session:
                for letter in letters:
                    session.send(letter.message)
                    with self.store.transaction(command, now):
                        self.record(letter, now, "smtp", "")
                    done += 1
                    outcome.sent += 1
        except UserError as exc:
            if not fallback:
                raise
            rest = letters[done:]
            with self.store.transaction(f"{command} (drafts)", now):
                for letter in rest:
                    outcome.drafts.append(self.record_draft(letter, now))
            outcome.lines.append(f"error: {exc}; the {len(rest)} other message(s) were written "
                                 f"as drafts instead: {outcome.drafts[-1].parent}")
            outcome.problems += 1

    def record_draft(self, letter: Letter, now: dt.datetime) -> Path:
        """Inside a transaction: the draft kept, recorded, and published to the outbox."""
        data = draft_bytes(letter.message)
        stored = self.store.put_file(data, f"{letter.respondent_id}.eml")
        relative = self.store.outbox_path(self.batch, f"{letter.respondent_id}.eml")
        self.store.publish_later(relative, stored.sha256)
        self.record(letter, now, "draft", relative, stored.sha256)
        return self.store.folder / relative

    def record(self, letter: Letter, now: dt.datetime, transport: str, draft: str,
               file: str | None = None) -> None:
        message = letter.message
        if file is None:
            file = self.store.put_file(message.as_bytes(), f"{letter.respondent_id}.eml").sha256
        self.store.execute(
            "INSERT INTO messages (direction, respondent_id, purpose, at, sender, recipient, "
            "subject, message_id, in_reply_to, file, transport, draft) "
            "VALUES ('out', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (letter.respondent_id, letter.purpose, stamp(now), header_text(message, "From"),
             str(message["To"]), header_text(message, "Subject"), str(message["Message-ID"]),
             str(message.get("In-Reply-To", "")), file, transport, draft))
        how = "sent" if transport == "smtp" else "drafted"
        names = ", ".join(a.name for a in letter.attachments)
        self.store.event(now, f"{letter.purpose} {how}",
                         f"to {message['To']}" + (f", with {names}" if names else "")
                         + (f"; {letter.detail}" if letter.detail else ""),
                         letter.respondent_id, file)


def sender_of(store: Store, sender: str | None) -> str:
    return sender or store.meta(record.SENDER)


def send_invitations(store: Store, survey: Survey, now: dt.datetime,
                     smtp: SmtpServer | None = None, sender: str | None = None,
                     only: Sequence[str] = ()) -> Outcome:
    """One e-mail per respondent not yet invited (or per respondent named in `only`, again if
    need be), in their language, with their questionnaire attached."""
    made = round_survey(store, survey)
    active = members(store, active_only=True)
    _check_only(store, only)
    invited = {row[0] for row in store.query(
        "SELECT respondent_id FROM messages WHERE direction = 'out' AND purpose = 'invitation'")}
    targets = [m for m in active if (m.respondent.id in only if only else
                                     m.respondent.id not in invited)]
    outcome = Outcome()
    address = sender_of(store, sender)
    due = record.deadline(store, survey)
    letters = []
    for member in targets:
        respondent = member.respondent
        if not respondent.email:
            outcome.lines.append(f"not sent  {respondent.id}: the roster gives no e-mail "
                                 "address; add it, then `round roster DIR FILE`")
            outcome.problems += 1
            continue
        questionnaire = store.file(member.questionnaire)
        attachment = Attachment(personalized_file_name(respondent),
                                questionnaire.path.read_bytes())
        message = compose(made, respondent.lang, "invitation", {
            "name": display_name(made, respondent), "contact": address,
            "deadline": made.settings.long_date(due, respondent.lang)},
            address, respondent.email, now, [attachment])
        letters.append(Letter(respondent.id, "invitation", message, (attachment,)))
    Dispatch(store, smtp, f"{now:%Y-%m-%d}-invitations").deliver(letters, now, outcome,
                                                                 "send")
    _report_letters(outcome, letters, smtp, "invitation")
    if not targets:
        outcome.lines.append("Every respondent has been sent the questionnaire already; "
                             "use --only ID to send it again")
    return outcome


def _check_only(store: Store, only: Sequence[str]) -> None:
    known = {m.respondent.id for m in members(store, active_only=True)}
    unknown = sorted(set(only) - known)
    if unknown:
        raise UserError(f"--only: {', '.join(unknown)} not in the round's roster "
                        "(`round status DIR` lists it)")


def _report_letters(outcome: Outcome, letters: Sequence[Letter], smtp: SmtpServer | None,
                    what: str) -> None:
    if not letters:
        return
    if smtp is None:
        folder = outcome.drafts[0].parent if outcome.drafts else None
        outcome.lines.append(f"wrote {len(letters)} {what} draft(s) in {folder}: open each "
                             "in Outlook or Thunderbird and send it")
    else:
        outcome.lines.append(f"sent {outcome.sent} {what}(s) through {smtp.host}:{smtp.port}")


def display_name(survey: Survey, respondent: Respondent) -> str:
    """The respondent's name as its questionnaire writes it, in its language."""
    questionnaire = survey.current(respondent.kind)
    listing = survey.reference[questionnaire.respondent]
    try:
        return listing.label(respondent.code, respondent.lang)
    except KeyError:
        return respondent.name


# --- receiving -----------------------------------------------------------------------------


@dataclass
class _Candidate:
    """An attachment that may be a return, with what checking it found."""

    arrival: Arrival
    attachment: Attachment
    sha: str
    path: Path
    report: ReturnReport | None = None


def receive(store: Store, survey: Survey, paths: Sequence[Path], now: dt.datetime,
            smtp: SmtpServer | None = None, sender: str | None = None,
            say: Say = _quiet) -> Outcome:
    """Take in workbooks and saved e-mails: keep every file, check every new attachment,
    record who sent what and when, and answer each new return in its respondent's language
    (thanks, or the problems with the annotated copy). A file received before is recognised
    and not counted again."""
    made = round_survey(store, survey)
    arrivals = read_arrivals(paths)
    outcome = Outcome()
    known_messages = {row[0] for row in store.query(
        "SELECT file FROM messages WHERE direction = 'in'")}
    known_returns = {row[0] for row in store.query("SELECT file FROM returns")}
    candidates: list[_Candidate] = []
    seen: set[str] = set()
    kept: dict[int, tuple[str, Path]] = {}  # arrival index -> its own file, kept
    for index, arrival in enumerate(arrivals):
        if arrival.data:
            stored = store.keep(arrival.data, arrival.name)
            kept[index] = (stored.sha256, stored.path)
            if arrival.kind == "message" and stored.sha256 in known_messages:
                continue
        for attachment in arrival.attachments:
            stored = store.keep(attachment.data, attachment.name)
            if stored.sha256 in known_returns or stored.sha256 in seen:
                continue
            seen.add(stored.sha256)
            candidates.append(_Candidate(arrival, attachment, stored.sha256, stored.path))
    say(f"checking {len(candidates)} new file(s) from {len(arrivals)} arrival(s)")
    readings = read_returns([c.path for c in candidates], made)
    report = validate_readings(readings, made)
    for candidate, item in zip(candidates, report.returns, strict=True):
        candidate.report = item
    by_sha = {c.sha: c for c in candidates}
    roster = {m.respondent.id: m for m in members(store)}
    invalid = [item for item in report.returns if item.status == "invalid"]
    letters = _Replies(store, made, sender_of(store, sender), now,
                       dict(zip((item.reading.sha256 for item in invalid),
                                annotated_copies(invalid, made), strict=True)))
    with store.transaction("receive", now) as _:
        for index, arrival in enumerate(arrivals):
            _take(store, made, arrival, kept.get(index), by_sha, roster, letters, now, outcome)
        dispatch = Dispatch(store, smtp, f"{now:%Y-%m-%d}-replies")
        if smtp is None:
            for letter in letters.letters:
                outcome.drafts.append(dispatch.record_draft(letter, now))
    if smtp is not None and letters.letters:
        dispatch.deliver(letters.letters, now, outcome, "receive (replies)", fallback=True)
    _report_letters(outcome, letters.letters, smtp, "reply")
    return outcome


def _take(store: Store, survey: Survey, arrival: Arrival, kept: tuple[str, Path] | None,
          by_sha: dict[str, _Candidate], roster: dict[str, Member], letters: _Replies,
          now: dt.datetime, outcome: Outcome) -> None:
    """Record one arrival (inside the receive transaction)."""
    when = arrival.sent if arrival.sent and arrival.sent <= now + dt.timedelta(days=1) else now
    source = arrival.source
    if arrival.kind == "skipped":  # as validate warns of it: not an arrival of the round
        outcome.lines.append(f"skipped   {source}: {arrival.problem}")
        return
    if kept is None or (arrival.problem and arrival.kind != "message"):
        if kept is not None:  # a zip that could not be opened: kept all the same
            store.record_file(store.file_at(*kept))
        store.event(now, "not taken", f"{source}: {arrival.problem}", None,
                    kept[0] if kept else None)
        outcome.lines.append(f"not taken {source}: {arrival.problem}")
        outcome.problems += 1
        return
    sha, _ = kept
    message_row: int | None = None
    sender_member = _by_address(roster, arrival.sender)
    if arrival.kind == "message":
        store.record_file(store.file_at(*kept))
        earlier = store.query("SELECT at, respondent_id FROM messages WHERE direction = 'in' "
                              "AND file = ?", (sha,))
        if earlier:
            store.event(now, "message received again", f"{source}: the same message as on "
                        f"{store_date(earlier[0]['at'])}; counted once",
                        earlier[0]["respondent_id"], sha)
            outcome.lines.append(f"again     {source}: already received on "
                                 f"{store_date(earlier[0]['at'])}")
            return
        replied_to = _replied_to(store, arrival.replies_to)
        owner = sender_member or replied_to
        cursor = store.execute(
            "INSERT INTO messages (direction, respondent_id, purpose, at, sender, recipient, "
            "subject, message_id, in_reply_to, file, transport, source) "
            "VALUES ('in', ?, 'message', ?, ?, '', ?, ?, ?, ?, 'file', ?)",
            (owner, stamp(when), arrival.sender, arrival.subject, arrival.message_id,
             " ".join(arrival.replies_to), sha, source))
        message_row = cursor.lastrowid
        if arrival.problem:
            store.event(when, "message received", f"{source}: from {arrival.sender or '?'}, "
                        f"\"{arrival.subject[:80]}\"; {arrival.problem}", owner, sha)
            outcome.lines.append(f"no return {source}: {arrival.problem} (from "
                                 f"{arrival.sender or '?'}); read it and answer it yourself")
            outcome.problems += 1
            return
    owners = [_take_attachment(store, survey, arrival, attachment, message_row, when, by_sha,
                               roster, sender_member, letters, now, outcome)
              for attachment in arrival.attachments]
    if message_row is not None:
        owner = next((o for o in owners if o), None) or sender_member
        store.execute("UPDATE messages SET respondent_id = coalesce(respondent_id, ?) "
                      "WHERE id = ?", (owner, message_row))
        store.event(when, "message received", f"{source}: from {arrival.sender or '?'}, "
                    f"\"{arrival.subject[:80]}\"" + (
                        f"; not questionnaires: {', '.join(arrival.ignored)}"
                        if arrival.ignored else ""), owner, sha)


def _take_attachment(store: Store, survey: Survey, arrival: Arrival, attachment: Attachment,
                     message_row: int | None, when: dt.datetime, by_sha: dict[str, _Candidate],
                     roster: dict[str, Member], sender_member: str | None, letters: _Replies,
                     now: dt.datetime, outcome: Outcome) -> str | None:
    """Record one attachment as a return (or as one received before); whose it is."""
    import hashlib

    sha = hashlib.sha256(attachment.data).hexdigest()
    label = f"{arrival.source}" + (f": {attachment.name}" if arrival.kind == "message" else "")
    earlier = store.query("SELECT received, respondent_id FROM returns WHERE file = ?", (sha,))
    candidate = by_sha.get(sha)
    if earlier or candidate is None or candidate.report is None:
        first = earlier[0] if earlier else None
        store.event(when, "return received again",
                    f"{label}: the same file as received on "
                    f"{store_date(first['received']) if first else 'in this command'}; "
                    "counted once", first["respondent_id"] if first else None, sha)
        outcome.lines.append(f"again     {label}: the same file as received "
                             + (f"on {store_date(first['received'])}" if first else "above"))
        return str(first["respondent_id"]) if first and first["respondent_id"] else None
    by_sha.pop(sha)  # the same file twice in one command is one return
    item = candidate.report
    store.record_file(store.file_at(sha, candidate.path))
    reading = item.reading
    claimed = reading.respondent.id
    owner = _owner(item, roster, survey, sender_member, arrival, store)
    errors = item.errors
    problems = json.dumps([{"severity": i.severity, "code": i.code, "sheet": i.sheet,
                            "cell": i.cell, "question": i.question,
                            "message": survey.messages.render(i, "en")} for i in item.issues],
                          ensure_ascii=False)
    lang = reading.identity.lang if reading.identity else (
        roster[owner].respondent.lang if owner in roster else "en")
    questionnaire = (f"{reading.identity.questionnaire} v{reading.identity.version}"
                     if reading.identity else "")
    store.execute(
        "INSERT INTO returns (file, respondent_id, claimed_id, message, name, received, status, "
        "errors, warnings, questionnaire, lang, problems) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)", (sha, owner, claimed, message_row, attachment.name, stamp(when), item.status,
                  len(errors), len(item.warnings), questionnaire, lang, problems))
    summary = {"valid": "valid", "invalid": f"invalid, {len(errors)} error(s)",
               "rejected": "rejected: " + (survey.messages.render(item.issues[0], "en")
                                           if item.issues else "")}[item.status]
    store.event(when, f"return {item.status}", f"{label}: {summary}"
                + (f"; {len(item.warnings)} warning(s)" if item.warnings else ""), owner, sha)
    who = owner or claimed or "?"
    outcome.lines.append(f"{item.status:<9} {label}  {who}"
                         + (f"  ({len(errors)} error(s))" if item.status == "invalid" else "")
                         + (f"  ({summary})" if item.status == "rejected" else ""))
    if item.status != "valid":
        outcome.problems += 1
    if owner is None:
        why = (f"it names {claimed}, who is not in the round's roster (add them with "
               "`round roster DIR FILE`: the return is theirs then)" if claimed else
               "nothing says whose it is (no identification, and the sender's address is not "
               "in the roster)")
        store.event(now, "not attributed", f"{label}: {why}", None, sha)
        outcome.lines.append(f"          not counted: {why}; no reply written")
        if item.status == "valid":  # not counted is not taken: the exit code says so
            outcome.problems += 1
        return None
    member = roster[owner]
    if member.withdrawn is not None:
        store.event(now, "not answered", f"{label}: {owner} was withdrawn from the roster on "
                    f"{store_date(member.withdrawn)}; no reply written", owner, sha)
        outcome.lines.append(f"          {owner} is withdrawn from the roster: no reply written")
        return owner
    if owner != claimed and claimed:
        store.event(now, "note", f"{label}: the workbook names {claimed}", owner, sha)
    letters.reply(member, item, attachment, arrival, when)
    return owner


def _by_address(roster: dict[str, Member], address: str) -> str | None:
    if not address:
        return None
    found = [m.respondent.id for m in roster.values()
             if m.respondent.email and m.respondent.email.lower() == address.lower()]
    return found[0] if len(found) == 1 else None


def _replied_to(store: Store, ids: Sequence[str]) -> str | None:
    for message_id in ids:
        rows = store.query("SELECT respondent_id FROM messages WHERE direction = 'out' AND "
                           "message_id = ?", (message_id,))
        if rows and rows[0][0]:
            return str(rows[0][0])
    return None


def _owner(item: ReturnReport, roster: dict[str, Member], survey: Survey,
           sender_member: str | None, arrival: Arrival, store: Store) -> str | None:
    """Whose return it is: the respondent its workbook names; for a blank questionnaire, who
    its answers say they are; for a file that cannot be read, the sender (by address, or by the
    message it answers), or the respondent whose id is the file's name."""
    respondent = item.reading.respondent
    if respondent.id:
        return respondent.id if respondent.id in roster else None
    if respondent.kind and respondent.code:
        matches = [m.respondent.id for m in roster.values()
                   if (m.respondent.kind, m.respondent.code) == (respondent.kind, respondent.code)]
        if len(matches) == 1:
            return matches[0]
    if sender_member:
        return sender_member
    replied = _replied_to(store, arrival.replies_to)
    if replied:
        return replied
    stem = Path(item.path.name).stem.upper()
    named = [rid for rid in roster if stem == rid.upper() or stem.startswith(rid.upper() + "-")]
    return max(named, key=len) if named else None


class _Replies:
    """The reply to each new return, in its respondent's language: thanks, the problems with
    the annotated copy, or why the file could not be read."""

    def __init__(self, store: Store, survey: Survey, sender: str, now: dt.datetime,
                 annotated: dict[str, Attachment | None]) -> None:
        self.store, self.survey, self.sender, self.now = store, survey, sender, now
        self.annotated = annotated  # by the return's sha256, made beforehand
        self.letters: list[Letter] = []

    def reply(self, member: Member, item: ReturnReport, attachment: Attachment,
              arrival: Arrival, received: dt.datetime) -> None:
        respondent = member.respondent
        recipient = respondent.email or arrival.sender
        if not recipient:
            self.store.event(self.now, "no reply", f"{attachment.name}: no e-mail address for "
                             f"{respondent.id}", respondent.id)
            return
        survey, lang = self.survey, respondent.lang
        values = {"name": display_name(survey, respondent),
                  "received": survey.settings.long_date(received.date(), lang),
                  "file": attachment.name}
        attachments: tuple[Attachment, ...] = ()
        if item.status == "valid":
            kind = "thanks"
        elif item.status == "invalid":
            kind = "correction"
            values["problems"] = problem_lines(survey, item.questionnaire, item.errors, lang)
            annotated = self.annotated.get(item.reading.sha256) or annotated_copy(item, survey)
            if annotated is not None:
                attachments = (annotated,)
        else:
            kind = "unreadable"
            values["problems"] = problem_lines(survey, None, item.issues[:1], lang)
        message = compose(survey, lang, kind, values, self.sender, recipient, self.now,
                          attachments, in_reply_to=arrival.message_id)
        self.letters.append(Letter(respondent.id, kind, message, attachments,
                                   f"about {attachment.name}"))


def annotated_copy(item: ReturnReport, survey: Survey) -> Attachment | None:
    """The return with its problems marked, in its respondent's language, as an attachment;
    None when no copy can be made safely (the reply then goes without it)."""
    return _attachments([item], survey)[0]


def _attachments(items: Sequence[ReturnReport], survey: Survey) -> list[Attachment | None]:
    from workbook_tools.check.annotate import NotAnnotated, annotated_copies, annotated_name

    invalid = [item for item in items if item.status == "invalid"]
    made = dict(zip(map(id, invalid), annotated_copies(invalid, survey.messages), strict=True))
    found: list[Attachment | None] = []
    for item in items:
        copy = made.get(id(item))
        found.append(None if copy is None or isinstance(copy, NotAnnotated)
                     else Attachment(annotated_name(item), copy))
    return found


PARALLEL_ANNOTATIONS_FROM = 4
_to_annotate: tuple[Sequence[ReturnReport], Survey] | None = None  # what forked workers see


def _annotate_chunk(indices: Sequence[int]) -> list[tuple[str, bytes] | None]:
    assert _to_annotate is not None
    items, survey = _to_annotate
    return [(found.name, found.data) if found else None
            for found in _attachments([items[index] for index in indices], survey)]


def annotated_copies(items: Sequence[ReturnReport], survey: Survey) -> list[Attachment | None]:
    """The annotated copy of each invalid return, on every core when there are several: each
    is an openpyxl load and save, the slowest part of answering returns."""
    global _to_annotate
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    import workbook_tools.check.annotate  # noqa: F401 - loaded once, before the workers fork

    workers = min(os.cpu_count() or 1, 4)
    if len(items) < PARALLEL_ANNOTATIONS_FROM or workers < 2 or (
            "fork" not in multiprocessing.get_all_start_methods()):
        return _attachments(items, survey)
    size = max(1, -(-len(items) // workers))
    chunks = [list(range(start, min(start + size, len(items))))
              for start in range(0, len(items), size)]
    _to_annotate = (items, survey)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            found = [pair for chunk in pool.map(_annotate_chunk, chunks) for pair in chunk]
    finally:
        _to_annotate = None
    return [Attachment(*pair) if pair else None for pair in found]


# --- reminders -----------------------------------------------------------------------------


def remind(store: Store, survey: Survey, now: dt.datetime, after_days: int = 7,
           only: Sequence[str] = (), smtp: SmtpServer | None = None,
           sender: str | None = None) -> Outcome:
    """A reminder to each respondent who has not answered, or whose latest return is invalid
    or could not be read, and who has heard nothing from us for `after_days` days (or to
    those named in `only`), naming what is still missing."""
    made = round_survey(store, survey)
    _check_only(store, only)
    outcome = Outcome()
    address = sender_of(store, sender)
    due = record.deadline(store, survey)
    letters = []
    for standing in record.standings(store, made, now.date()):
        respondent = standing.respondent
        if standing.member.withdrawn is not None or standing.state == "valid":
            continue
        if only and respondent.id not in only:
            continue
        last_out = _last_outgoing(store, respondent.id)
        if standing.invited is None:
            if only:
                outcome.lines.append(f"skipped   {respondent.id}: never sent the "
                                     "questionnaire; `round send DIR --only` it first")
            continue
        quiet = (now - moment(last_out)).days if last_out else after_days
        if not only and quiet < after_days:
            continue
        if not respondent.email:
            outcome.lines.append(f"skipped   {respondent.id}: no e-mail address")
            continue
        letter = _reminder(store, made, standing, address, due, now)
        letters.append(letter)
    Dispatch(store, smtp, f"{now:%Y-%m-%d}-reminders").deliver(letters, now, outcome, "remind")
    _report_letters(outcome, letters, smtp, "reminder")
    if not letters:
        outcome.lines.append(f"No reminder due: every respondent has answered validly or was "
                             f"written to less than {after_days} day(s) ago")
    return outcome


def _last_outgoing(store: Store, respondent_id: str) -> str | None:
    rows = store.query("SELECT max(at) FROM messages WHERE direction = 'out' AND "
                       "respondent_id = ?", (respondent_id,))
    return str(rows[0][0]) if rows and rows[0][0] else None


def _reminder(store: Store, survey: Survey, standing: record.Standing, sender: str,
              due: dt.date, now: dt.datetime) -> Letter:
    respondent = standing.respondent
    lang = respondent.lang
    settings = survey.settings
    note = settings.mail_text("deadline_ahead" if now.date() <= due else "deadline_passed",
                              lang, deadline=settings.long_date(due, lang))
    values = {"name": display_name(survey, respondent), "deadline_note": note}
    questionnaire = Attachment(personalized_file_name(respondent),
                               store.file(standing.member.questionnaire).path.read_bytes())
    attachments: tuple[Attachment, ...] = (questionnaire,)
    latest = standing.latest
    if latest is None:
        kind = "reminder_missing"
        assert standing.invited is not None
        values["sent"] = settings.long_date(moment(standing.invited).date(), lang)
    else:
        values["received"] = settings.long_date(moment(latest.received).date(), lang)
        report = _recheck(store, survey, latest)
        if latest.status == "invalid":
            kind = "reminder_invalid"
            values["problems"] = problem_lines(survey, report.questionnaire, report.errors, lang)
            annotated = annotated_copy(report, survey)
            attachments = (annotated,) if annotated else ()
        else:
            kind = "reminder_unreadable"
            values["problems"] = problem_lines(survey, None, report.issues[:1], lang)
    message = compose(survey, lang, kind, values, sender, respondent.email, now, attachments,
                      subject_key="reminder_subject")
    detail = {"reminder_missing": "nothing received yet",
              "reminder_invalid": f"latest return invalid ({latest.errors if latest else 0} "
                                  "error(s))",
              "reminder_unreadable": "latest file could not be read"}[kind]
    return Letter(respondent.id, "reminder", message, attachments, detail)


def _recheck(store: Store, survey: Survey, latest: record.ReturnRecord) -> ReturnReport:
    """A return checked again from its kept file, with today's definitions."""
    path = store.file(latest.file).path
    return validate_readings(read_returns([path], survey), survey).returns[0]
