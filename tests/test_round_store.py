"""The round's store under stress: a command killed in the middle leaves the store as it was
and no half-written file; two commands at once lose no return. Each test starts the tool in
other processes, as a coordinator's shell would."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.returns_kit import SURVEY
from tests.round_kit import cached_round, day, filled
from workbook_tools.demo.mailbox import write_eml
from workbook_tools.round import record
from workbook_tools.round.ledger import receive, send_invitations
from workbook_tools.round.store import DATABASE, Store

pytestmark = pytest.mark.slow


def variants(data: bytes, count: int) -> list[bytes]:
    """The same workbook as `count` different files (a zip comment differs), as a respondent
    saving it again several times would send."""
    found = []
    for index in range(count):
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.comment = f"saved {index}".encode()
        found.append(buffer.getvalue())
    return found


def tool(folder: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "workbook_tools", "round", "--now",
                             "2026-12-20T09:00", *args[:1], str(folder), *args[1:]],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def counts(folder: Path) -> dict[str, int]:
    database = sqlite3.connect(folder / DATABASE)
    try:
        assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {table: database.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("returns", "messages", "events", "commands", "files",
                              "published")}
    finally:
        database.close()


def kept_files_are_whole(folder: Path) -> None:
    """Every file kept under files/ has the content its name says; temporary folders are
    hidden and hold nothing that a name points to."""
    for path in (folder / "files").rglob("*"):
        if path.is_file() and not any(part.startswith(".") for part in
                                      path.relative_to(folder).parts):
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.parent.name, path


def test_a_command_killed_mid_transaction_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    folder = cached_round(tmp_path / "round")
    with Store.open(folder) as store:
        send_invitations(store, SURVEY, day(11, 2))
    inbox = tmp_path / "inbox"
    invalid = filled(folder, "STATE-SEN", {"overlap": "Peut-être"})
    for index, data in enumerate(variants(invalid, 10)):  # 10 corrections to annotate
        write_eml(inbox / f"{index:02}.eml", "focal@senegal.example", [("STATE-SEN.xlsx", data)],
                  day(12, 1 + index))
    before = counts(folder)
    outbox_before = sorted(p.name for p in (folder / "outbox").rglob("*"))
    process = tool(folder, "receive", str(inbox))
    probe = sqlite3.connect(folder / DATABASE, timeout=0)
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError:  # the command holds the write lock: it is inside
                process.send_signal(signal.SIGKILL)  # its transaction, writing files and records
                break
            time.sleep(0.005)
    finally:
        probe.close()
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the command ended before it could be killed"
    after = counts(folder)
    if after["returns"]:  # killed in the instant after its commit: all of it is there
        assert after["returns"] == 10
        with Store.open(folder) as store:  # and what it had not copied yet is copied now
            assert len(list((folder / "outbox").glob("*-replies/*.eml"))) == 10
    else:  # killed inside: nothing of it is there
        assert after == before
        assert sorted(p.name for p in (folder / "outbox").rglob("*")) == outbox_before
    kept_files_are_whole(folder)
    with Store.open(folder) as store:  # the same command, run again, takes everything
        outcome = receive(store, SURVEY, [inbox], day(12, 20))
        assert len(record.returns(store)) == 10 and len(outcome.drafts) == 10
    kept_files_are_whole(folder)


def test_two_commands_at_once_lose_no_return(tmp_path: Path) -> None:
    folder = cached_round(tmp_path / "round")
    senegal = variants(filled(folder, "STATE-SEN"), 6)
    khartoum = filled(folder, "ISCM-KHARTOUM")
    first, second = tmp_path / "first", tmp_path / "second"
    for index, data in enumerate(senegal[:4]):
        write_eml(first / f"sen-{index}.eml", "focal@senegal.example",
                  [("STATE-SEN.xlsx", data)], day(12, 1 + index))
    for index, data in enumerate(senegal[2:]):  # two of them also in the other batch
        (second / f"STATE-SEN-{index}.xlsx").parent.mkdir(parents=True, exist_ok=True)
        (second / f"STATE-SEN-{index}.xlsx").write_bytes(data)
    write_eml(first / "khartoum.eml", "secretariat@khartoum.example",
              [("ISCM-KHARTOUM.xlsx", khartoum)], day(12, 2))
    write_eml(second / "khartoum.eml", "secretariat@khartoum.example",
              [("ISCM-KHARTOUM.xlsx", khartoum)], day(12, 3))
    runs = [tool(folder, "receive", str(first)), tool(folder, "receive", str(second))]
    for run in runs:
        _, errors = run.communicate(timeout=300)
        assert run.returncode == 0, errors.decode()
    with Store.open(folder) as store:
        kept = {r.file for r in record.returns(store)}
        commands = store.query("SELECT name FROM commands WHERE name = 'receive'")
    expected = {hashlib.sha256(data).hexdigest() for data in [*senegal, khartoum]}
    assert kept == expected  # every return once: none lost, none counted twice
    assert len(commands) == 2
    with Store.open(folder) as store:  # the two e-mails of Khartoum are two messages
        assert len(store.query("SELECT 1 FROM messages WHERE direction = 'in'")) == 6
    kept_files_are_whole(folder)
    assert os.listdir(folder / "outbox")
