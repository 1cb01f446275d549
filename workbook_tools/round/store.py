"""The round's store: an SQLite database (WAL) and the files it refers to, inside the round's
folder.

    DIR/round.sqlite     who was sent what, when; every message in and out; every return
    DIR/files/           every file received or made, by its sha256: files/ab/ab12.../NAME
    DIR/questionnaires/  the personalized questionnaires, as sent (copies from files/)
    DIR/outbox/          e-mail drafts to send, one folder per command

Each command is one transaction (`Store.transaction`): a crash or a kill leaves the database as
it was before the command. Files are content-addressed and written whole before the
transaction that names them commits: a file under files/ is never overwritten, never half
written, and at worst not yet referred to. The folders questionnaires/ and outbox/ are copies
published after the commit; what a crash left unpublished is published by the next command.

A store made by an older version of the tool is migrated when opened: a copy of the database
is kept first (round.sqlite.vN.bak), then the migration runs in one transaction. A store made by
a newer version is never touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.errors import UserError

DATABASE = "round.sqlite"
FILES, QUESTIONNAIRES, OUTBOX = "files", "questionnaires", "outbox"
CREATED = "created"  # the meta key `round init` sets last, in its transaction
BUSY_TIMEOUT_SECONDS = 300  # a second command waits this long for the first one to finish
MAX_NAME = 120

# Each step takes the store from the version before it to its own number, in one transaction.
# Never edit a step that has shipped: add the next one.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE respondents (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
        lang TEXT NOT NULL, email TEXT NOT NULL DEFAULT '', iscms TEXT NOT NULL DEFAULT '',
        questionnaire TEXT, added TEXT NOT NULL, withdrawn TEXT);
    CREATE TABLE files (
        sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, path TEXT NOT NULL,
        stored TEXT NOT NULL);
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY, direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        respondent_id TEXT, purpose TEXT NOT NULL, at TEXT NOT NULL,
        sender TEXT NOT NULL DEFAULT '', recipient TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '', message_id TEXT NOT NULL DEFAULT '',
        in_reply_to TEXT NOT NULL DEFAULT '', file TEXT REFERENCES files(sha256),
        transport TEXT NOT NULL, draft TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '');
    CREATE UNIQUE INDEX messages_received_once ON messages(file) WHERE direction = 'in';
    CREATE INDEX messages_by_respondent ON messages(respondent_id, at);
    CREATE TABLE returns (
        id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE REFERENCES files(sha256),
        respondent_id TEXT, claimed_id TEXT NOT NULL DEFAULT '',
        message INTEGER REFERENCES messages(id), name TEXT NOT NULL, received TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('valid', 'invalid', 'rejected')),
        errors INTEGER NOT NULL, warnings INTEGER NOT NULL, questionnaire TEXT NOT NULL,
        lang TEXT NOT NULL, problems TEXT NOT NULL DEFAULT '');
    CREATE INDEX returns_by_respondent ON returns(respondent_id, received);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, respondent_id TEXT, what TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '', file TEXT);
    CREATE INDEX events_by_respondent ON events(respondent_id, at);
    """),
    (2, """
    CREATE TABLE commands (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, name TEXT NOT NULL, tool TEXT NOT NULL);
    ALTER TABLE events ADD COLUMN command INTEGER REFERENCES commands(id);
    CREATE TABLE published (
        path TEXT PRIMARY KEY, file TEXT NOT NULL REFERENCES files(sha256),
        done INTEGER NOT NULL DEFAULT 0);
    """),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def stamp(when: dt.datetime) -> str:
    """A moment as the store writes it: UTC, to the second, sortable as text."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def store_date(text: str) -> str:
    """The day of a stored moment, as the terminal shows it."""
    return text[:10]


def is_round(folder: Path) -> bool:
    return (folder / DATABASE).is_file()


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    path: Path  # absolute
    size: int


class Store:
    """An open round: its folder and its database connection."""

    def __init__(self, folder: Path, connection: sqlite3.Connection) -> None:
        self.folder = folder
        self.db = connection
        self._in_transaction = False
        self.command_id: int | None = None

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def create(cls, folder: Path) -> Store:
        """A new, empty store in folder (created if missing; it must hold no round yet)."""
        if folder.is_dir() and not is_round(folder) and any(folder.iterdir()):
            raise UserError(f"{folder} is not empty: a round is started in a new or empty "
                            "folder, which it keeps to itself")
        folder.mkdir(parents=True, exist_ok=True)
        store = cls(folder, _connect(folder / DATABASE))
        store._migrate()
        created = store.meta(CREATED)
        if created:
            store.close()
            raise UserError(f"{folder} already holds a round, started on "
                            f"{store_date(created)}; use the other round commands "
                            "on it, or choose another folder")
        return store  # new, or one whose `round init` never finished

    @classmethod
    def open(cls, folder: Path) -> Store:
        """An existing round, migrated to this version of the tool if it is older."""
        if not is_round(folder):
            raise UserError(f"{folder} is not a round: it has no {DATABASE}. Start one with "
                            "`workbook-tools round init DIR --roster FILE`")
        try:
            if not _holds_a_round(folder / DATABASE):
                raise UserError(f"{folder / DATABASE} is not a round's database (it is empty, "
                                "or another program's); nothing was changed. Restore the "
                                "round's database from a backup, or start a round in a new "
                                "folder with `workbook-tools round init DIR --roster FILE`")
            store = cls(folder, _connect(folder / DATABASE))
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{folder / DATABASE} cannot be read as a round's database "
                            f"({exc}); restore it from a backup") from exc
        store.publish()  # what a crash after a commit left unpublished
        _sweep(folder / FILES)
        return store

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        found = self.version()
        if found > SCHEMA_VERSION:
            raise UserError(f"{self.folder} was made by a newer version of workbook-tools "
                            f"(store version {found}; this version knows up to "
                            f"{SCHEMA_VERSION}); update workbook-tools. Nothing was changed.")
        if found == SCHEMA_VERSION:
            return
        if found > 0:
            self._backup(found)
        self.db.execute("BEGIN EXCLUSIVE")
        try:
            found = self.version()  # another command may have migrated it meanwhile
            for version, script in MIGRATIONS:
                if version > found:
                    for statement in _statements(script):
                        self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _backup(self, version: int) -> None:
        """A consistent copy of the database as it was, before a migration changes it."""
        target = self.folder / f"{DATABASE}.v{version}.bak"
        if target.exists():
            return
        temporary = target.with_name(target.name + ".tmp")
        copy = sqlite3.connect(temporary)
        try:
            self.db.backup(copy)
        finally:
            copy.close()
        os.replace(temporary, target)

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def transaction(self, command: str, at: dt.datetime) -> Iterator[int]:
        """One command's changes, all or nothing; other commands wait for it. Yields the
        command's id, which every event it records carries."""
        from workbook_tools import __version__

        self.db.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            cursor = self.db.execute("INSERT INTO commands (at, name, tool) VALUES (?, ?, ?)",
                                     (stamp(at), command, __version__))
            self.command_id = cursor.lastrowid
            assert self.command_id is not None
            yield self.command_id
            sync_disk(self.folder)  # every file the records name is on disk before they are
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        finally:
            self._in_transaction = False
            self.command_id = None
        self.publish()

    def _require_transaction(self) -> None:
        if not self._in_transaction:
            raise RuntimeError("a change to the round outside a command's transaction")

    # --- files -----------------------------------------------------------------------------

    def keep(self, data: bytes, name: str) -> StoredFile:
        """Keep a file, by its content: written whole, read-only, never overwritten. The same
        content kept twice is one file (under the name it first had). Safe at any time: a file
        no committed command names is only unused."""
        sha = hashlib.sha256(data).hexdigest()
        folder = self.folder / FILES / sha[:2] / sha
        existing = _existing_blob(folder, sha)
        if existing is None:
            existing = _write_blob(folder, safe_name(name), data)
        return StoredFile(sha, existing, len(data))

    def record_file(self, stored: StoredFile) -> None:
        self._require_transaction()
        self.db.execute("INSERT OR IGNORE INTO files (sha256, size, path, stored) "
                        "VALUES (?, ?, ?, ?)",
                        (stored.sha256, stored.size,
                         stored.path.relative_to(self.folder).as_posix(), stamp(utc_now())))

    def put_file(self, data: bytes, name: str) -> StoredFile:
        """Keep a file and record it, inside a command."""
        self._require_transaction()
        stored = self.keep(data, name)
        self.record_file(stored)
        return stored

    def file_at(self, sha: str, path: Path) -> StoredFile:
        return StoredFile(sha, path, path.stat().st_size)

    def file(self, sha: str) -> StoredFile:
        row = self.db.execute("SELECT path, size FROM files WHERE sha256 = ?", (sha,)).fetchone()
        if row is None:
            raise KeyError(sha)
        return StoredFile(sha, self.folder / row[0], int(row[1]))

    def publish_later(self, relative: str, sha: str) -> None:
        """Copy a kept file to a place people open (questionnaires/, outbox/) once the command
        has committed."""
        self._require_transaction()
        self.db.execute("INSERT OR REPLACE INTO published (path, file, done) VALUES (?, ?, 0)",
                        (relative, sha))

    def publish(self) -> None:
        """Copy the files a command published (or a crash kept from being copied). Each is
        copied once: a draft deleted from the outbox after it was sent stays deleted."""
        rows = self.db.execute("SELECT path, file FROM published WHERE done = 0").fetchall()
        if not rows:
            return
        for relative, sha in rows:
            try:
                _copy_whole(self.file(sha).path, self.folder / relative)
            except (KeyError, OSError) as exc:
                raise UserError(f"{self.folder / relative} cannot be written ({exc}); free the "
                                "disk or fix the folder's permissions, then run the command "
                                "again") from exc
        sync_disk(self.folder)
        self.db.execute("BEGIN IMMEDIATE")
        self.db.executemany("UPDATE published SET done = 1 WHERE path = ?",
                            [(relative,) for relative, _ in rows])
        self.db.execute("COMMIT")

    def outbox_path(self, batch: str, name: str) -> str:
        """A free place in the outbox for a draft, relative to the round's folder."""
        stem, suffix = os.path.splitext(safe_name(name))
        candidate, counter = f"{OUTBOX}/{batch}/{stem}{suffix}", 2
        taken = self.db.execute("SELECT 1 FROM published WHERE path = ?", (candidate,))
        while taken.fetchone() is not None or (self.folder / candidate).exists():
            candidate, counter = f"{OUTBOX}/{batch}/{stem}-{counter}{suffix}", counter + 1
            taken = self.db.execute("SELECT 1 FROM published WHERE path = ?", (candidate,))
        return candidate

    # --- the record ------------------------------------------------------------------------

    def meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, key: str, value: str) -> None:
        self._require_transaction()
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def event(self, at: dt.datetime, what: str, detail: str = "",
              respondent_id: str | None = None, file: str | None = None) -> None:
        self._require_transaction()
        self.db.execute("INSERT INTO events (at, respondent_id, what, detail, file, command) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (stamp(at), respondent_id, what, detail, file, self.command_id))

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> sqlite3.Cursor:
        """A change to the record, inside the command's transaction."""
        self._require_transaction()
        return self.db.execute(sql, parameters)

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[sqlite3.Row]:
        return list(self.db.execute(sql, parameters).fetchall())


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    connection.row_factory = sqlite3.Row
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise UserError(f"{path}: the database cannot use write-ahead logging here (journal "
                        f"mode {mode}); keep the round on a local disk")
    connection.execute("PRAGMA synchronous = FULL")  # a committed command survives a power cut
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _holds_a_round(database: Path) -> bool:
    """A database this tool made (versioned, with the round's table of facts), looked at
    read-only: opening another program's database for writing would already change it."""
    with database.open("rb") as stream:
        if stream.read(16) != b"SQLite format 3\x00":
            return False
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        meta = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                  "name = 'meta'").fetchone()
    finally:
        connection.close()
    return version > 0 and meta is not None


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


def safe_name(name: str) -> str:
    """A file name that is only a name: no folder, no traversal, nothing a file system
    refuses; the suffix is kept."""
    from workbook_tools.send.write import safe_file_stem

    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, suffix = os.path.splitext(base)
    suffix = suffix.lower() if suffix[1:].isalnum() and len(suffix) <= 6 else ""
    return safe_file_stem(stem)[: MAX_NAME - len(suffix)] + suffix


def _existing_blob(folder: Path, sha: str) -> Path | None:
    """The file kept for sha, if it is there and whole (its content is checked)."""
    if not folder.is_dir():
        return None
    for candidate in folder.iterdir():
        if candidate.is_file() and hashlib.sha256(candidate.read_bytes()).hexdigest() == sha:
            return candidate
    return None


def _write_blob(folder: Path, name: str, data: bytes) -> Path:
    """Write folder/name whole: into a temporary folder, then renamed into place in one step
    (made durable by `sync_disk` before any record names it). When another command put the
    same content there first, its file is used; a damaged leftover (a power cut before a
    sync) is moved aside and written again."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder.parent))
    try:
        target = temporary / name
        target.write_bytes(data)
        os.chmod(target, 0o444)
        try:
            os.rename(temporary, folder)
        except OSError:
            found = _existing_blob(folder, hashlib.sha256(data).hexdigest())
            if found is not None:
                return found
            os.rename(folder, folder.with_name(f".damaged-{folder.name}-{time.time_ns()}"))
            os.rename(temporary, folder)
        return folder / name
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)


def _copy_whole(source: Path, target: Path) -> None:
    """A copy that is whole or absent: written beside, then renamed into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def sync_disk(folder: Path) -> None:
    """Make every file written so far durable, in one call for the whole file system (syncfs
    on Linux, sync elsewhere): one flush per command instead of two per file."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.syncfs(handle) == 0:
                return
        except (OSError, AttributeError):
            pass
        os.sync()
    finally:
        os.close(handle)


STALE_SECONDS = 3600


def _sweep(files: Path) -> None:
    """Remove what a killed command left half-written: temporary folders (hidden, never named
    by the record) older than an hour, so that no command still writing one loses it."""
    if not files.is_dir():
        return
    limit = time.time() - STALE_SECONDS
    for temporary in files.glob("*/.incoming-*"):
        try:
            if temporary.stat().st_mtime < limit:
                shutil.rmtree(temporary, ignore_errors=True)
        except OSError:
            continue
