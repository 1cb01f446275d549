"""A round over weeks: invitations in each respondent's language, returns taken from saved
e-mails (.eml, Outlook .msg, zip files of them), replies, reminders, the status and the log."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.returns_kit import SURVEY
from tests.round_kit import (
    DEADLINE,
    attachment_names,
    body,
    cached_round,
    day,
    filled,
    read_eml,
)
from workbook_tools.cli import cli
from workbook_tools.demo.mailbox import eml_bytes, msg_bytes, write_eml, write_msg
from workbook_tools.errors import UserError
from workbook_tools.round import record
from workbook_tools.round.intake import read_bytes
from workbook_tools.round.ledger import receive, remind, send_invitations, update_roster
from workbook_tools.round.status import html_page, log_lines, terminal_lines
from workbook_tools.round.store import Store

INVALID_FR = {"overlap": "Peut-être"}  # not one of the choices


@pytest.fixture()
def round_dir(tmp_path: Path) -> Path:
    return cached_round(tmp_path / "round")


def states(folder: Path, today: dt.date = dt.date(2026, 12, 20)) -> dict[str, str]:
    with Store.open(folder) as store:
        return {s.respondent.id: s.state for s in record.standings(store, SURVEY, today)}


def drafts(outcome_drafts: list[Path]) -> dict[str, Path]:
    return {path.stem: path for path in outcome_drafts}


def test_invitations_are_drafts_in_each_language_with_the_questionnaire(round_dir: Path
                                                                         ) -> None:
    with Store.open(round_dir) as store:
        outcome = send_invitations(store, SURVEY, day(11, 2))
    found = drafts(outcome.drafts)
    assert sorted(found) == ["IGO-UNHCR", "ISCM-KHARTOUM", "STATE-MEX", "STATE-SEN"]
    senegal = read_eml(found["STATE-SEN"])
    assert senegal["X-Unsent"] == "1" and senegal["To"] == "focal@senegal.example"
    assert "Sénégal" in str(senegal["Subject"]) and "Madame, Monsieur" in body(senegal)
    assert "31 janvier 2027" in body(senegal) and "Bien cordialement" in body(senegal)
    assert attachment_names(senegal) == ["STATE-SEN.xlsx"]
    mexico = read_eml(found["STATE-MEX"])
    assert "Estimado/a colega" in body(mexico) and "31 de enero de 2027" in body(mexico)
    assert "Dear colleague" in body(read_eml(found["ISCM-KHARTOUM"]))
    with Store.open(round_dir) as store:  # sent once: a second run sends nothing
        again = send_invitations(store, SURVEY, day(11, 3))
        assert not again.drafts and "already" in again.lines[-1]
        resent = send_invitations(store, SURVEY, day(11, 4), only=["STATE-SEN"])
    assert [p.stem for p in resent.drafts] == ["STATE-SEN"]


def test_returns_from_eml_msg_zip_and_xlsx_are_checked_answered_and_counted_once(
        round_dir: Path, tmp_path: Path) -> None:
    with Store.open(round_dir) as store:
        send_invitations(store, SURVEY, day(11, 2))
    inbox = tmp_path / "inbox"
    khartoum = filled(round_dir, "ISCM-KHARTOUM")
    write_eml(inbox / "khartoum.eml", "Secretariat <secretariat@khartoum.example>",
              [("ISCM-KHARTOUM.xlsx", khartoum)], day(12, 1), inline_logo=True)
    write_msg(inbox / "senegal.msg", "focal@senegal.example",
              [("STATE-SEN.xlsx", filled(round_dir, "STATE-SEN", INVALID_FR)),
               ("lettre.pdf", b"%PDF-1.4 cover letter")], day(12, 2))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:  # a colleague zipped two saved e-mails
        bundle.writestr("mail/mexico.eml", eml_bytes(
            "focal@mexico.example", [("STATE-MEX.xlsx", filled(round_dir, "STATE-MEX"))],
            day(12, 3)))
        bundle.writestr("mail/khartoum-again.eml", eml_bytes(
            "secretariat@khartoum.example", [("ISCM-KHARTOUM.xlsx", khartoum)], day(12, 4)))
    (inbox / "batch.zip").write_bytes(archive.getvalue())
    write_eml(inbox / "question.eml", "partners@unhcr.example", [], day(12, 5),
              body="Did you receive our questionnaire?")
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "STATE-MEX-cut.xlsx").write_bytes(
        filled(round_dir, "STATE-MEX", seed="v2")[:3000])

    with Store.open(round_dir) as store:
        outcome = receive(store, SURVEY, [inbox, tmp_path / "saved"], day(12, 10))
    text = "\n".join(outcome.lines)
    assert outcome.problems == 3  # the invalid return, the cut file, the message with nothing
    assert "again" in text and "no attachment" in text
    replies = drafts(outcome.drafts)
    assert sorted(replies) == ["ISCM-KHARTOUM", "STATE-MEX", "STATE-MEX-2", "STATE-SEN"]
    correction = read_eml(replies["STATE-SEN"])
    assert correction["To"] == "focal@senegal.example"
    assert "corrections" in str(correction["Subject"])
    assert "« Peut-être » ne fait pas partie des choix" in body(correction)
    assert "Question 3.3" in body(correction)
    assert attachment_names(correction) == ["STATE-SEN-annotated.xlsx"]
    thanks = read_eml(replies["ISCM-KHARTOUM"])
    assert "Thank you for returning" in body(thanks) and thanks["In-Reply-To"]
    assert "no se ha podido leer" in str(read_eml(replies["STATE-MEX-2"])["Subject"])
    assert states(round_dir) == {"ISCM-KHARTOUM": "valid", "STATE-SEN": "invalid",
                                 "STATE-MEX": "rejected", "IGO-UNHCR": "not received"}
    with Store.open(round_dir) as store:
        assert len(record.returns(store)) == 4  # Khartoum's file came twice: counted once
        again = receive(store, SURVEY, [inbox], day(12, 11))
        assert not again.drafts and all(line.startswith("again") or "no return" in line
                                        for line in again.lines)
        assert len(record.returns(store)) == 4
        log = "\n".join(log_lines(store, "STATE-SEN"))
    assert "invitation drafted" in log and "return invalid" in log and "correction drafted" in log
    assert "lettre.pdf" in log  # the cover letter is named, not taken for the questionnaire


def test_a_later_valid_return_supersedes_and_reminders_name_what_is_missing(
        round_dir: Path, tmp_path: Path) -> None:
    with Store.open(round_dir) as store:
        send_invitations(store, SURVEY, day(11, 2))
        write_eml(tmp_path / "a.eml", "focal@senegal.example",
                  [("STATE-SEN.xlsx", filled(round_dir, "STATE-SEN", INVALID_FR))], day(12, 2))
        receive(store, SURVEY, [tmp_path / "a.eml"], day(12, 3))
        outcome = remind(store, SURVEY, day(2, 5, 2027), after_days=10)
        reminded = drafts(outcome.drafts)
        assert sorted(reminded) == ["IGO-UNHCR", "ISCM-KHARTOUM", "STATE-MEX", "STATE-SEN"]
        late = read_eml(reminded["STATE-SEN"])
        assert "Rappel" in str(late["Subject"]) and "Peut-être" in body(late)
        assert "La date limite était fixée au 31 janvier 2027" in body(late)
        assert attachment_names(late) == ["STATE-SEN-annotated.xlsx"]
        missing = read_eml(reminded["STATE-MEX"])
        assert "todavía no lo hemos recibido" in body(missing)
        assert "2 de noviembre de 2026" in body(missing)
        assert attachment_names(missing) == ["STATE-MEX.xlsx"]
        assert not remind(store, SURVEY, day(2, 6, 2027), after_days=10).drafts  # just written
        write_eml(tmp_path / "b.eml", "focal@senegal.example",
                  [("STATE-SEN.xlsx", filled(round_dir, "STATE-SEN"))], day(2, 8, 2027))
        receive(store, SURVEY, [tmp_path / "b.eml"], day(2, 8, 2027))
        standing = {s.respondent.id: s for s in record.standings(store, SURVEY,
                                                                 dt.date(2027, 2, 10))}
        fates = record.fates(record.returns(store))
    senegal = standing["STATE-SEN"]
    assert senegal.state == "valid" and senegal.reminders == 1 and senegal.overdue_days == 0
    assert [fates[r.id] for r in senegal.returns] == ["superseded", "valid"]
    assert standing["STATE-MEX"].overdue_days == (dt.date(2027, 2, 10) - DEADLINE).days


def test_status_table_and_page_show_every_respondent(round_dir: Path) -> None:
    with Store.open(round_dir) as store:
        send_invitations(store, SURVEY, day(11, 2))
        lines = list(terminal_lines(store, SURVEY, dt.date(2027, 2, 3), color=False))
        page = html_page(store, SURVEY, dt.date(2027, 2, 3))
    assert "4 respondents, deadline 2027-01-31 (3 day(s) past)" in lines[1]
    for respondent_id in ("ISCM-KHARTOUM", "STATE-SEN", "STATE-MEX", "IGO-UNHCR"):
        assert any(line.strip().startswith(respondent_id) for line in lines)
        assert f'id="{respondent_id}"' in page
    assert "<script" not in page and "http" not in page.split("<body>")[1]
    assert "focal@senegal.example" not in page  # shared: no personal addresses


def test_a_message_without_attachment_or_with_a_wrong_kind_is_said_and_recorded(
        round_dir: Path, tmp_path: Path) -> None:
    write_eml(tmp_path / "empty.eml", "focal@mexico.example", [], day(12, 1))
    write_eml(tmp_path / "scan.eml", "focal@mexico.example",
              [("cuestionario.pdf", b"%PDF-1.7 scanned pages")], day(12, 2))
    with Store.open(round_dir) as store:
        outcome = receive(store, SURVEY, [tmp_path / "empty.eml", tmp_path / "scan.eml"],
                          day(12, 3))
        log = "\n".join(log_lines(store))
    assert outcome.problems == 2
    assert any("the message has no attachment" in line for line in outcome.lines)
    reply = read_eml(outcome.drafts[0])
    assert "un documento PDF" in body(reply) and reply["To"] == "focal@mexico.example"
    assert "no attachment" in log and "return rejected" in log


def test_hostile_containers_are_refused_with_a_reason() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("returns/big.xlsx", b"\0" * (120 * 1024 * 1024))
    (arrival,) = read_bytes("bomb.zip", "bomb.zip", bomb.getvalue())
    assert "not opened" in arrival.problem and not arrival.attachments
    traversal = io.BytesIO()
    with zipfile.ZipFile(traversal, "w") as archive:
        archive.writestr("../../etc/evil.xlsx", b"PK")
    (arrival,) = read_bytes("t.zip", "t.zip", traversal.getvalue())
    assert "points outside" in arrival.problem
    (arrival,) = read_bytes("x.msg", "x.msg", b"not an OLE file at all")
    assert "not an Outlook message" in arrival.problem
    (arrival,) = read_bytes("x.msg", "x.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "cannot be read as an Outlook message" in arrival.problem
    (arrival,) = read_bytes("x.eml", "x.eml", b"\x00\xff garbage")
    assert arrival.problem


def test_empty_files_pipes_and_broken_links_are_said_never_opened(tmp_path: Path) -> None:
    import os

    from workbook_tools.round.intake import read_arrivals

    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "empty.xlsx").write_bytes(b"")
    os.mkfifo(folder / "pipe.xlsx")  # opening it to read would wait for a writer for ever
    (folder / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    problems = {Path(a.source).name: (a.kind, a.problem) for a in read_arrivals([folder])}
    assert problems == {
        "empty.xlsx": ("workbook", "the file is empty (0 bytes); ask its sender to send it again"),
        "pipe.xlsx": ("skipped", "a named pipe (FIFO), not a file"),  # found in a folder: said
        "gone.xlsx": ("skipped", "a broken link (what it points to does not exist)")}
    (named,) = read_arrivals([folder / "pipe.xlsx"])  # named by the user: not taken
    assert (Path(named.source).name, named.kind) == ("pipe.xlsx", "file")


def test_outlook_msg_gives_sender_date_and_attachment() -> None:
    data = msg_bytes("focal@senegal.example", [("STATE-SEN.xlsx", b"PK\x03\x04 content")],
                     day(12, 2), subject="RE: questionnaire OIM")
    (arrival,) = read_bytes("in/reply.msg", "reply.msg", data)
    assert (arrival.sender, arrival.sent, arrival.subject) == (
        "focal@senegal.example", day(12, 2), "RE: questionnaire OIM")
    assert [(a.name, a.data) for a in arrival.attachments] == [
        ("STATE-SEN.xlsx", b"PK\x03\x04 content")]


def test_a_roster_changed_mid_round(round_dir: Path, tmp_path: Path) -> None:
    write_eml(tmp_path / "egypt.eml", "focal@egypt.example",
              [("STATE-EGY.xlsx", _egypt_return(tmp_path))], day(12, 1))
    with Store.open(round_dir) as store:
        outcome = receive(store, SURVEY, [tmp_path / "egypt.eml"], day(12, 2))
        assert any("not in the round's roster" in line for line in outcome.lines)
        assert not outcome.drafts
        assert outcome.problems == 1  # valid, but not counted: the exit code is 1
        roster = tmp_path / "roster-2.csv"
        roster.write_text(
            "respondent_id,kind,code,lang,email\n"
            "ISCM-KHARTOUM,iscm,khartoum,en,secretariat@khartoum.example\n"
            "STATE-SEN,state,SEN,en,focal@senegal.example\n"
            "STATE-EGY,state,EGY,en,focal@egypt.example\n", encoding="utf-8")
        changed = "\n".join(update_roster(store, roster, SURVEY, day(12, 5)).lines)
        assert "added     STATE-EGY" in changed and "attributed" in changed
        assert "withdrawn STATE-MEX" in changed and "withdrawn IGO-UNHCR" in changed
        assert "lang fr -> en" in changed and "new questionnaire" in changed
        assert record.standings(store, SURVEY, dt.date(2026, 12, 6))[-1].state == "valid"
        wrong = tmp_path / "roster-3.csv"
        wrong.write_text("respondent_id,kind,code,lang\nSTATE-SEN,state,MLI,fr\n",
                         encoding="utf-8")
        with pytest.raises(UserError, match="give the new respondent a new id"):
            update_roster(store, wrong, SURVEY, day(12, 6))
        log = "\n".join(log_lines(store))
    assert "withdrawn" in log and "not attributed" in log and "return attributed" in log


def _egypt_return(tmp_path: Path) -> bytes:
    from tests.returns_kit import make_return

    return make_return(tmp_path / "egypt", "state").read_bytes()


def test_mail_texts_are_checked_with_the_settings(definitions_copy: Path) -> None:
    from workbook_tools.errors import DefinitionError
    from workbook_tools.model.survey import load_survey

    path = definitions_copy / "survey.yaml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("Questionnaire reçu : {name}", "Questionnaire reçu : {nom}").replace(
        '    es: "Cuestionario recibido: {name}"\n', "")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DefinitionError) as found:
        load_survey(definitions_copy)
    problems = "\n".join(found.value.problems)
    assert "mail 'thanks_subject', fr: unknown placeholder(s) {nom}" in problems
    assert "mail 'thanks_subject': the Spanish text (es:) is missing" in problems


def test_round_commands_from_the_command_line(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("respondent_id,kind,code,lang,email\n"
                      "STATE-SEN,state,SEN,fr,focal@senegal.example\n", encoding="utf-8")
    folder = tmp_path / "round"
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, ["round", "--now", "2026-11-02T09:00", *args])
        return result.exit_code, result.output

    code, output = run("init", str(folder), "--roster", str(roster), "--deadline", "2027-01-31")
    assert code == 0 and "1 respondents, deadline 2027-01-31" in output
    code, output = run("init", str(folder), "--roster", str(roster))
    assert code == 1 and "already holds a round" in output
    code, output = run("init", str(tmp_path), "--roster", str(roster))
    assert code == 1 and "is not empty" in output
    code, output = run("send", str(folder))
    assert code == 0 and "1 invitation draft(s)" in output
    write_eml(tmp_path / "in" / "r.eml", "focal@senegal.example",
              [("STATE-SEN.xlsx", filled(folder, "STATE-SEN"))], day(11, 20))
    code, output = run("receive", str(folder), str(tmp_path / "in"))
    assert code == 0 and "valid" in output and "1 reply draft(s)" in output
    code, output = run("status", str(folder), "--html", str(tmp_path / "status.html"))
    assert code == 0 and "STATE-SEN" in output and (tmp_path / "status.html").exists()
    code, output = run("log", str(folder), "STATE-SEN")
    assert code == 0 and "thanks drafted" in output
    code, output = run("log", str(folder), "STATE-XXX")
    assert code == 1 and "not a respondent" in output
    code, output = run("status", str(tmp_path))
    assert code == 1 and "is not a round" in output
    code, output = run("send", str(folder), "--smtp", "nonsense")
    assert code == 1 and "HOST:PORT" in output


def test_consolidate_and_summarize_take_a_rounds_latest_valid_returns(
        round_dir: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with Store.open(round_dir) as store:
        send_invitations(store, SURVEY, day(11, 2))
        write_eml(tmp_path / "in" / "1.eml", "focal@senegal.example",
                  [("STATE-SEN.xlsx", filled(round_dir, "STATE-SEN", INVALID_FR))], day(12, 1))
        write_eml(tmp_path / "in" / "2.eml", "focal@senegal.example",
                  [("STATE-SEN.xlsx", filled(round_dir, "STATE-SEN"))], day(12, 9))
        write_eml(tmp_path / "in" / "3.eml", "secretariat@khartoum.example",
                  [("ISCM-KHARTOUM.xlsx", filled(round_dir, "ISCM-KHARTOUM"))], day(12, 2))
        receive(store, SURVEY, [tmp_path / "in"], day(12, 10))
    master = tmp_path / "master.xlsx"
    result = CliRunner().invoke(cli, ["consolidate", "--round", str(round_dir), "--out",
                                      str(master)])
    assert result.exit_code == 0, result.output
    assert "Consolidated 2 of 3 return(s)" in result.output
    workbook = load_workbook(master, read_only=True)
    rows = list(workbook["Returns"].iter_rows(values_only=True))
    header = rows[0]
    fates = sorted((row[header.index("received")], row[header.index("fate")]) for row in rows[1:])
    assert fates == [("2026-12-01 09:00", "left out"), ("2026-12-02 09:00", "used"),
                     ("2026-12-09 09:00", "used")]
    overview = " ".join(str(v) for row in workbook["Overview"].iter_rows(values_only=True)
                        for v in row if v)
    assert "deadline 2027-01-31" in overview and "(sent 2026-11-02" in overview
    result = CliRunner().invoke(cli, ["summarize", "--round", str(round_dir), "--out",
                                      str(tmp_path / "drafts")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "drafts" / "Khartoum-Process-en.docx").exists()
    usage = CliRunner().invoke(cli, ["consolidate", str(tmp_path), "--round", str(round_dir)])
    assert usage.exit_code == 2


def test_a_store_made_by_an_older_version_is_migrated_and_kept(tmp_path: Path) -> None:
    from workbook_tools.round.store import DATABASE, MIGRATIONS, SCHEMA_VERSION

    folder = tmp_path / "old"
    folder.mkdir()
    database = sqlite3.connect(folder / DATABASE)
    database.executescript(MIGRATIONS[0][1])  # what version 1 of the store made
    database.execute("INSERT INTO meta VALUES ('created', '2026-01-05T09:00:00Z')")
    database.execute("INSERT INTO respondents (id, kind, code, name, lang, added) VALUES "
                     "('STATE-SEN', 'state', 'SEN', 'Senegal', 'fr', '2026-01-05T09:00:00Z')")
    database.execute("INSERT INTO events (at, respondent_id, what) VALUES "
                     "('2026-01-05T09:00:00Z', 'STATE-SEN', 'added')")
    database.execute("PRAGMA user_version = 1")
    database.commit()
    database.close()
    with Store.open(folder) as store:
        assert store.version() == SCHEMA_VERSION
        assert [m.respondent.id for m in record.members(store)] == ["STATE-SEN"]
        assert "added" in "\n".join(log_lines(store))
    kept = sqlite3.connect(folder / f"{DATABASE}.v1.bak")
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 1
    kept.close()
    newer = sqlite3.connect(folder / DATABASE)
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.commit()
    newer.close()
    before = (folder / DATABASE).read_bytes()
    with pytest.raises(UserError, match="newer version of workbook-tools"):
        Store.open(folder)
    assert (folder / DATABASE).read_bytes() == before


def test_a_database_that_is_not_a_rounds_is_refused_untouched(tmp_path: Path) -> None:
    empty, foreign = tmp_path / "empty", tmp_path / "foreign"
    empty.mkdir()
    (empty / "round.sqlite").write_bytes(b"")
    foreign.mkdir()
    connection = sqlite3.connect(foreign / "round.sqlite")
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.execute("PRAGMA user_version = 3")
    connection.commit()
    connection.close()
    for folder in (empty, foreign):
        before = (folder / "round.sqlite").read_bytes()
        result = CliRunner().invoke(cli, ["round", "status", str(folder)])
        assert result.exit_code == 1 and "is not a round's database" in result.output
        assert (folder / "round.sqlite").read_bytes() == before  # not even opened to write


def test_a_sender_that_is_not_an_address_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["round", "init", str(tmp_path / "r"), "--roster", "sample",
                                      "--from", "notanaddress"])
    assert result.exit_code == 2 and "'notanaddress' is not an e-mail address" in result.output
    assert not (tmp_path / "r").exists()


def test_a_deadline_already_past_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["round", "--now", "2026-11-02T09:00:00+00:00", "init",
                                      str(tmp_path / "r"), "--roster", "sample",
                                      "--deadline", "2026-01-31"])
    assert result.exit_code == 2 and "2026-01-31 is already past (today is 2026-11-02)" in \
        result.output
    assert not (tmp_path / "r").exists()


def test_status_as_of_a_day_before_the_round_began_is_a_usage_error(round_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["round", "status", str(round_dir), "--as-of",
                                      "2020-01-01"])
    assert result.exit_code == 2 and "2020-01-01 is before the round began" in result.output
