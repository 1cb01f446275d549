"""The whole job on the sample roster, played as a round over weeks: questionnaires out as
e-mail drafts, returns in as saved e-mails (some with the mistakes real respondents make, one
resubmission, one attachment cut off), replies with annotated copies, reminders, corrected
returns, the round's status, the master workbook, the draft summaries and the data for analysts.

The Khartoum Process's return carries the facts of the public summary the survey was built
from, and Egypt, Ethiopia and the Netherlands name it in their returns, as in that summary.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from workbook_tools.demo.consistent import consistent, story_answers
from workbook_tools.demo.sample import LateReturn, Planted, SampleRound, load_sample_round
from workbook_tools.demo.synthetic import FilledAnswers, merge, plausible_answers
from workbook_tools.files import check_output_folder, save_workbook
from workbook_tools.model.roster import Respondent, read_roster, sample_roster_path
from workbook_tools.model.survey import Survey
from workbook_tools.send.build import build_workbook
from workbook_tools.send.fill import fill_workbook

if TYPE_CHECKING:
    from workbook_tools.check.validate import ReturnReport
    from workbook_tools.outputs.consolidate import RoundDates


@dataclass
class DemoResult:
    folder: Path
    questionnaires: Path
    returns: Path  # the saved e-mails the respondents sent
    to_correct: Path
    issues: Path
    master: Path
    data: Path
    summaries: Path
    round: Path
    status: Path
    export: Path
    workbooks: Path  # the returned workbooks, out of their e-mails, as a plain folder


def answers_for(respondent: Respondent, survey: Survey, sample: SampleRound,
                 roster: list[Respondent], late: LateReturn | None = None,
                 with_mistakes: bool = True) -> FilledAnswers:
    """A return's answers: the story's, made-up ones around them that agree with the other
    returns, then what the story plants (disagreements, mistakes). A late return is made from
    the older version of its questionnaire."""
    questionnaire = (survey.get(respondent.kind, late.version) if late is not None
                     else None) or survey.current(respondent.kind)
    planted = late.planted if late is not None else sample.planted.get(respondent.id,
                                                                       Planted())
    # Some ISCMs are named only by the respondents the sample says (as in the seed, only
    # Egypt, Ethiopia and the Netherlands speak of the Khartoum Process).
    speaks = [code for code in respondent.iscms
              if (code not in sample.said_about or respondent.code in sample.said_about[code].only)
              and code not in planted.leaves_out]
    fixed, fixed_tables = ((late.answers, {}) if late is not None
                           else sample.fixed.get(respondent.id, ({}, {})))
    filled = plausible_answers(questionnaire, questionnaire.reference, survey,
                               replace(respondent, iscms=tuple(speaks)), respondent.lang,
                               seed=respondent.id,
                               fixed=story_answers(questionnaire, respondent, survey, fixed),
                               fixed_tables=fixed_tables)
    filled = consistent(filled, questionnaire, respondent, survey, roster, sample.fixed)
    table = questionnaire.table_with_role("about_iscms")
    iscm = table.iscm_column if table else None
    if table is not None and iscm is not None and table.id not in fixed_tables:
        rows = [dict(row) for row in filled.tables[table.id]]
        for row in rows:
            said = sample.said_about.get(str(row.get(iscm.id)))
            if said and respondent.code in said.by_respondent and any(
                    c.id == said.column for c in table.columns):
                row[said.column] = said.by_respondent[respondent.code]
            row.update(planted.rows.get(str(row.get(iscm.id)), {}))
        # clear the rows IOM pre-filled that the respondent did not keep
        rows += [{iscm.id: None}] * (min(len(respondent.iscms), table.rows) - len(rows))
        filled = merge(filled, tables={table.id: rows})
    return merge(filled, sample.mistakes.get(respondent.id)
                 if with_mistakes and late is None else None)


STARTED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # the day the questionnaires go out
REPLIED = dt.datetime(2026, 12, 16, 9, 0, tzinfo=dt.UTC)  # the coordinator takes the returns in
REMINDED = dt.datetime(2027, 2, 3, 9, 0, tzinfo=dt.UTC)  # three days past the deadline
CORRECTED = dt.datetime(2027, 2, 8, 9, 0, tzinfo=dt.UTC)  # corrected returns come back
STATUS_DAY = dt.date(2027, 2, 10)


def run_demo(out: Path, survey: Survey, say: Callable[[str], None] = print,
             command: str = "workbook-tools") -> DemoResult:
    """The sample round, played as a coordinator plays it over weeks: start the round, send the
    questionnaires (e-mail drafts), take the returns in as saved e-mails (.eml, Outlook .msg, a
    zip of them), answer each, remind, take the corrected returns in, see where the round
    stands, consolidate. `command` is how the lines it prints name the tool."""
    from workbook_tools.check.report import write_issues
    from workbook_tools.outputs.drafts import write_summaries
    from workbook_tools.outputs.export import write_export
    from workbook_tools.outputs.master import write_master
    from workbook_tools.round.ledger import init_round, receive, remind, send_invitations
    from workbook_tools.round.outputs import round_returns
    from workbook_tools.round.record import deadline, standings
    from workbook_tools.round.status import summary, write_html
    from workbook_tools.round.store import Store

    # the demo replaces what it wrote before, and nothing else: a folder holding anything
    # but its own files (someone's returns/, say) is refused, never emptied
    check_output_folder(out, _is_demo_file, "the demo's files")
    round_dir = out / "round"
    result = DemoResult(out, round_dir / "questionnaires", out / "inbox", out / "to-correct",
                        out / "issues.xlsx", out / "master.xlsx", out / "data",
                        out / "summaries", round_dir, out / "status.html",
                        out / "export", out / "returned")
    for folder in (round_dir, result.returns, result.to_correct, result.workbooks):  # afresh
        shutil.rmtree(folder, ignore_errors=True)
    roster = read_roster(sample_roster_path(), survey)
    sample = load_sample_round(survey, roster)
    for note in sample.left_out:
        say(f"   (sample answers left out: {note})")
    init_round(round_dir, sample_roster_path(), survey, STARTED)
    with Store.open(round_dir) as store:
        sent = send_invitations(store, survey, STARTED)
        say(f"1. Started the round {round_dir} and wrote {len(roster)} personalized "
            f"questionnaires: {result.questionnaires}")
        say(f"   {len(sent.drafts)} invitation e-mails, each in its respondent's language with "
            f"the questionnaire attached, ready to send: {sent.drafts[0].parent}")
        first = _mail_returns(result.questionnaires, roster, survey, sample, result.returns)
        say(f"2. The returns come back as saved e-mails ({len(sample.not_answering)} "
            f"respondents silent; {len(sample.mistakes)} returns with mistakes; "
            f"{sample.resubmitting} sends a draft, then the final; {sample.broken}'s attachment "
            f"is cut off; a colleague zips some): {first}")
        taken = receive(store, survey, [first], REPLIED)
        counts = _count(taken.lines)
        say(f"3. Took them in: {counts['valid']} valid, {counts['invalid']} invalid, "
            f"{counts['rejected']} rejected; {len(taken.drafts)} replies drafted (thanks, or "
            f"the problems with the annotated copy): {taken.drafts[0].parent}")
        annotated = _save_annotated(taken.drafts, result.to_correct)
        say(f"   {annotated} annotated copies sent back: {result.to_correct}")
        reminders = remind(store, survey, REMINDED, after_days=14)
        say(f"4. Reminded {len(reminders.drafts)} respondents on {REMINDED.date()}: those "
            f"silent, invalid or unreadable: {reminders.drafts[0].parent}")
        second = _mail_corrections(result.questionnaires, roster, survey, sample,
                                   result.returns)
        corrected = receive(store, survey, [second], CORRECTED)
        late = sample.late
        say(f"5. Corrected returns came back and were taken in ({len(corrected.drafts)} "
            "thank-you drafts)" + (f"; {late.respondent}, reminded, answered at last on the "
                                   f"version {late.version} questionnaire it had received "
                                   "earlier" if late else ""))
        write_html(result.status, store, survey, STATUS_DAY)
        say(f"6. Where the round stands on {STATUS_DAY}: "
            + summary(standings(store, survey, STATUS_DAY), deadline(store, survey),
                      STATUS_DAY))
        say(f"   as a page to share: {result.status}; the history: `{command} round log "
            f"{round_dir}`")
    found = round_returns(round_dir, survey, STATUS_DAY)
    _write_workbooks(found.report.returns, found.dates, result.workbooks)
    say(f"   the returned workbooks, out of their e-mails, as a plain folder for `validate`, "
        f"`consolidate`, `export`...: {result.workbooks}")
    write_issues(found.report, result.issues, survey.messages)
    say(f"   every problem of every return in one table: {result.issues}")
    master = write_master(result.master, found.report, found.selection, survey, found.roster,
                          result.data, found.dates)
    say(f"7. Consolidated {len(found.selection.used)} returns, the latest valid one of each "
        f"respondent, into the master workbook, {len(master.iscm_sheets)} ISCM sheets: "
        f"{result.master}")
    say(f"   tidy data as CSV for analysts (no personal data): {result.data}")
    say(f"   {master.queries} consistency queries where returns disagree (sheet Queries; "
        f"`{command} queries --round {round_dir}`)")
    summaries = write_summaries(result.summaries, found.selection, survey, "en")
    say(f"8. Drafted {len(summaries.files)} ISCM summaries (Word): {result.summaries}")
    exported = write_export(result.export, found.selection, survey)
    say(f"9. Exported the data for analysts (codebook, {', '.join(exported.formats)}): "
        f"{result.export}")
    for fmt, why in exported.skipped.items():
        say(f"   not written: {fmt}, {why}")
    return result


DEMO_FILES = frozenset({"round", "inbox", "to-correct", "issues.xlsx", "master.xlsx", "data",
                        "summaries", "status.html", "export", "returned"})


def _is_demo_file(name: str) -> bool:
    """One of the demo's outputs, or what a stopped run's atomic writing left (.NAME...tmp)."""
    return name in DEMO_FILES or (name.startswith(".") and name.endswith(".tmp"))


def _write_workbooks(returns: Sequence[ReturnReport], dates: RoundDates | None,
                     folder: Path) -> None:
    """Each workbook the round took in, under the name it came with, in the order received
    (one that came again under the same name: STATE-JAM-2.xlsx), as IPD would save them."""
    folder.mkdir(parents=True)
    taken: set[str] = set()
    received = dates.received if dates is not None else {}
    for item in sorted(returns, key=lambda r: (received.get(r.path) is None,
                                               received.get(r.path), r.path.name)):
        name, number = item.path.name, 1
        while name.lower() in taken:
            number += 1
            name = f"{item.path.stem}-{number}{item.path.suffix}"
        taken.add(name.lower())
        shutil.copyfile(item.path, folder / name)
        when = received.get(item.path)
        if when is not None:  # the file's time is when it came, as a saved attachment's is
            os.utime(folder / name, (when.timestamp(), when.timestamp()))


def _count(lines: list[str]) -> dict[str, int]:
    words = [line.split(maxsplit=1)[0] for line in lines if line.strip()]
    return {status: words.count(status) for status in ("valid", "invalid", "rejected")}


def _received(index: int) -> dt.datetime:
    """Returns arrive over the first two weeks of December, a few a day."""
    return dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC) + dt.timedelta(hours=5 * index)


def _mail_returns(questionnaires: Path, roster: list[Respondent], survey: Survey,
                  sample: SampleRound, inbox: Path) -> Path:
    """The first returns, as respondents' mail programs save them: most as .eml, the French
    speakers' from Outlook (.msg), a few forwarded by a colleague in one zip."""
    from workbook_tools.demo.mailbox import eml_bytes, msg_bytes

    folder = inbox / "1-returns"
    folder.mkdir(parents=True, exist_ok=True)
    zipped: list[tuple[str, bytes]] = []
    late = sample.late.respondent if sample.late else ""  # answers later (_mail_corrections)
    answering = [r for r in roster if r.id not in sample.not_answering and r.id != late]
    with tempfile.TemporaryDirectory() as work:
        for index, respondent in enumerate(answering):
            filled = answers_for(respondent, survey, sample, roster)
            name = f"{respondent.id}.xlsx"
            files: list[tuple[str, bytes]] = []
            if respondent.id == sample.resubmitting:
                draft = merge(filled, sample.first_draft)
                files.append((f"{respondent.id}-first-draft.xlsx", _fill(
                    questionnaires / name, survey, draft, Path(work))))
                filled = merge(filled, sample.final)
            data = _fill(questionnaires / name, survey, filled, Path(work))
            if respondent.id == sample.broken:
                data = data[: len(data) // 2]
            when = _received(index)
            sender = respondent.email or f"{respondent.id.lower()}@example.org"
            for number, (attached_name, attached) in enumerate([*files, (name, data)]):
                stamp = when - dt.timedelta(days=9 * (len(files) - number))
                if respondent.lang == "fr":
                    (folder / f"{attached_name[:-5]}.msg").write_bytes(msg_bytes(
                        sender, [(attached_name, attached)], stamp,
                        subject="RE: Questionnaire OIM"))
                elif index % 9 == 4:
                    zipped.append((f"forwarded/{attached_name[:-5]}.eml", eml_bytes(
                        sender, [(attached_name, attached)], stamp)))
                else:
                    (folder / f"{attached_name[:-5]}.eml").write_bytes(eml_bytes(
                        sender, [(attached_name, attached)], stamp, inline_logo=index % 5 == 0))
    with zipfile.ZipFile(folder / "forwarded-by-a-colleague.zip", "w",
                         zipfile.ZIP_DEFLATED) as archive:
        for member, content in zipped:
            archive.writestr(zipfile.ZipInfo(member, date_time=(2026, 12, 15, 9, 0, 0)),
                             content)
    asking = next(r for r in roster if r.id in sample.not_answering)
    (folder / "question.eml").write_bytes(eml_bytes(
        asking.email or "focal@example.org", [], dt.datetime(2026, 12, 9, 14, 0, tzinfo=dt.UTC),
        subject="Questionnaire", body="Dear colleagues, could you confirm the deadline? "
                                      "Thank you."))
    return folder


def _mail_corrections(questionnaires: Path, roster: list[Respondent], survey: Survey,
                      sample: SampleRound, inbox: Path) -> Path:
    """After the replies and the reminders: the respondents whose return had mistakes (all but
    one) send it corrected, the one whose attachment was cut off sends it again, and the late
    one answers, on the questionnaire of the earlier version it had received."""
    from workbook_tools.demo.mailbox import eml_bytes

    folder = inbox / "2-corrections"
    folder.mkdir(parents=True, exist_ok=True)
    correcting = [*sorted(sample.mistakes)[1:], sample.broken]
    with tempfile.TemporaryDirectory() as work:
        for index, respondent in enumerate(r for r in roster if r.id in correcting):
            filled = answers_for(replace(respondent), survey, sample, roster,
                                  with_mistakes=False)
            data = _fill(questionnaires / f"{respondent.id}.xlsx", survey, filled, Path(work))
            when = CORRECTED - dt.timedelta(days=3, hours=-index)
            (folder / f"{respondent.id}.eml").write_bytes(eml_bytes(
                respondent.email or "focal@example.org", [(f"{respondent.id}.xlsx", data)],
                when, subject="RE: corrections"))
        late = sample.late
        who = next((r for r in roster if late and r.id == late.respondent), None)
        if late is not None and who is not None:
            older = survey.get(who.kind, late.version)
            assert older is not None
            template = Path(work) / "version" / f"{who.id}.xlsx"
            save_workbook(build_workbook(older, who.lang, survey, respondent=who), template)
            data = _fill(template, survey, answers_for(who, survey, sample, roster, late),
                         Path(work))
            (folder / f"{who.id}.eml").write_bytes(eml_bytes(
                who.email or "focal@example.org", [(f"{who.id}.xlsx", data)],
                late.received.replace(tzinfo=dt.UTC), subject="Questionnaire"))
    return folder


def _fill(template: Path, survey: Survey, filled: FilledAnswers, work: Path) -> bytes:
    target = work / template.name
    fill_workbook(template, target, survey, filled.answers, filled.tables)
    return target.read_bytes()


def _save_annotated(replies: list[Path], folder: Path) -> int:
    """The annotated copies the correction replies carry, saved beside the demo's outputs."""
    import email
    from email import policy

    count = 0
    for reply in replies:
        message = email.message_from_bytes(reply.read_bytes(), policy=policy.default)
        for part in message.walk():
            name = part.get_filename()
            if name and name.endswith("-annotated.xlsx"):
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                folder.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(payload)
                count += 1
    return count
