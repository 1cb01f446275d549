"""Validate returned questionnaires: read each, check them all, and report per return.

`validate_paths` returns a report; it does not raise for bad data. One bad file never stops the
others from being checked.
"""

from __future__ import annotations

import errno
import gc
import multiprocessing
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.form.layout import Layout, column_index, layout_in
from workbook_tools.model.messages import Issue
from workbook_tools.model.questionnaire import Field, Questionnaire, Table
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.read.reading import Reading, read_return
from workbook_tools.read.sheetxml import split_address

STATUSES = ("valid", "invalid", "rejected")


@dataclass(frozen=True)
class ReturnReport:
    """One return's verdict: what was read, the definition it was read against, and every
    problem found, in workbook order."""

    reading: Reading
    questionnaire: Questionnaire | None  # None when the file was rejected
    layout: Layout | None
    issues: tuple[Issue, ...]

    @property
    def path(self) -> Path:
        return self.reading.path

    @property
    def status(self) -> str:
        if self.reading.rejected:
            return "rejected"
        return "invalid" if self.errors else "valid"

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    # the question or table with a role in the questionnaire the return was read against
    # (none for a rejected return)
    def field_with_role(self, role: str) -> Field | None:
        return self.questionnaire.field_with_role(role) if self.questionnaire else None

    def table_with_role(self, role: str) -> Table | None:
        return self.questionnaire.table_with_role(role) if self.questionnaire else None


@dataclass(frozen=True)
class PassedOver:
    """A path under the inputs that is not a file to check: a named pipe, a device, a broken
    or looping link. Said as a warning; never opened (a pipe would block the run)."""

    path: Path
    reason: str


@dataclass(frozen=True)
class ValidationReport:
    returns: tuple[ReturnReport, ...]
    skipped: tuple[Path, ...] = ()  # hidden and lock files
    passed_over: tuple[PassedOver, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for r in self.returns if r.status == status)

    @property
    def summary(self) -> dict[str, int]:
        return {status: self.count(status) for status in STATUSES}

    @property
    def all_valid(self) -> bool:
        return all(r.status == "valid" for r in self.returns)


def is_skipped(relative: Path) -> bool:
    """Hidden files and folders, and the lock files Excel leaves beside an open workbook
    (LibreOffice's .~lock files are hidden too)."""
    return relative.name.startswith("~$") or any(part.startswith(".") for part in relative.parts)


@dataclass(frozen=True)
class Collected:
    files: list[Path]
    skipped: list[Path]  # hidden and lock files
    passed_over: list[PassedOver]


def _kind(path: Path) -> str:
    """'file', 'folder', 'folder-link' or why the path is not a file to check."""
    try:
        status = path.lstat()
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or type(exc).__name__})"
    link = stat.S_ISLNK(status.st_mode)
    if link:
        try:
            status = path.stat()
        except OSError as exc:
            return "a link that loops" if exc.errno == errno.ELOOP else (
                "a broken link (what it points to does not exist)")
    mode = status.st_mode
    if stat.S_ISDIR(mode):
        return "folder-link" if link else "folder"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


def collect_files(paths: Iterable[Path]) -> Collected:
    """Every file given, and every file under every folder given (recursively, links to
    folders not followed), in order; what is neither a file nor a folder is passed over."""
    files: list[Path] = []
    skipped: list[Path] = []
    passed_over: list[PassedOver] = []
    for path in paths:
        kind = _kind(path)
        if kind == "file":
            files.append(path)  # named by the user: checked whatever its name
            continue
        if kind not in {"folder", "folder-link"}:
            passed_over.append(PassedOver(path, kind))
            continue
        for entry in sorted(path.rglob("*")):
            if is_skipped(entry.relative_to(path)):
                if _kind(entry) not in {"folder", "folder-link"}:
                    skipped.append(entry)
                continue
            kind = _kind(entry)
            if kind == "file":
                files.append(entry)
            elif kind == "folder-link":
                passed_over.append(PassedOver(entry, "a link to a folder, not followed"))
            elif kind != "folder":
                passed_over.append(PassedOver(entry, kind))
    seen: set[Path] = set()
    unique = []
    for file in files:
        try:
            resolved = file.resolve()
        except (OSError, RuntimeError):
            resolved = file
        if resolved not in seen:
            seen.add(resolved)
            unique.append(file)
    return Collected(unique, skipped, passed_over)


def validate_paths(paths: Sequence[Path], survey: Survey,
                   roster: Sequence[Respondent] | None = None,
                   progress: Callable[[Path], None] | None = None) -> ValidationReport:
    return validate_collected(collect_files(paths), survey, roster, progress)


def validate_collected(collected: Collected, survey: Survey,
                       roster: Sequence[Respondent] | None = None,
                       progress: Callable[[Path], None] | None = None) -> ValidationReport:
    """Validate the files found (`collect_files`): the folders are walked once."""
    readings = read_returns(collected.files, survey, progress)
    return validate_readings(readings, survey, roster, collected.skipped,
                             collected.passed_over)


PARALLEL_FROM = 48  # below this, starting processes costs more than it saves
CHUNK_MAX = 200  # returns a reader reads before handing their readings back
_shared: Survey | None = None  # what forked readers inherit


WORKERS_VARIABLE = "WORKBOOK_TOOLS_WORKERS"  # how many processes read (the bench sets it)


def _workers(count: int) -> int:
    if count < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = os.environ.get(WORKERS_VARIABLE, "")
    if wanted.isascii() and wanted.isdigit():
        return max(1, min(int(wanted), 8))
    return max(1, min(os.cpu_count() or 1, 8))


def reading_chunks(files: Sequence[Path], workers: int) -> list[list[Path]]:
    """The files in the order given, cut into the batches the readers take: two per worker
    (the pool hands out all work at once, so the parent's own work meanwhile does not starve
    the readers, and progress still moves), at most CHUNK_MAX files each (a reader holds, and
    pickles, a bounded batch of readings however many returns there are)."""
    size = max(1, min(-(-len(files) // (workers * 2)), CHUNK_MAX))
    return [list(files[start:start + size]) for start in range(0, len(files), size)]


def _read_chunk(files: list[Path]) -> list[Reading]:
    assert _shared is not None
    return [read_return(file, _shared) for file in files]


def _load_schema_library() -> None:
    from workbook_tools.check.schema import load_pandera

    load_pandera()


def read_returns(files: Sequence[Path], survey: Survey,
                 progress: Callable[[Path], None] | None = None) -> list[Reading]:
    """Read every file, on every core when there are many; the order of files is kept."""
    global _shared
    workers = _workers(len(files))
    if workers == 1:
        readings = []
        for file in files:
            readings.append(read_return(file, survey))
            if progress:
                progress(file)
        return readings
    chunks = reading_chunks(files, workers)
    _shared = survey
    # what the readers inherit (the survey, the libraries) stays out of their collections:
    # walking it would copy every page of it into each reader
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = {pool.submit(_read_chunk, chunk): index
                       for index, chunk in enumerate(chunks)}
            _load_schema_library()  # while the readers work: it takes a third of a second
            done: dict[int, list[Reading]] = {}
            for future in as_completed(futures):
                index = futures[future]
                done[index] = future.result()
                if progress:
                    for file in chunks[index]:
                        progress(file)
    finally:
        _shared = None
        gc.unfreeze()
    return [reading for index in range(len(chunks)) for reading in done[index]]


def validate_readings(readings: Sequence[Reading], survey: Survey,
                      roster: Sequence[Respondent] | None = None,
                      skipped: Sequence[Path] = (),
                      passed_over: Sequence[PassedOver] = ()) -> ValidationReport:
    """Check what was read: the schemas of each questionnaire version, then the roster."""
    from workbook_tools.check.schema import check_readings

    found = check_readings(readings, survey)
    if roster is not None:
        for position, issue in roster_issues(readings, roster, survey):
            found[position].append(issue)
    reports = []
    for reading, more in zip(readings, found, strict=True):
        questionnaire = reading.questionnaire_in(survey)
        layout = layout_in(questionnaire, reading.lang, survey) if questionnaire else None
        issues = sorted([*reading.issues, *more], key=lambda issue: _position(layout, issue))
        reports.append(ReturnReport(reading, questionnaire, layout, tuple(issues)))
    return ValidationReport(tuple(reports), tuple(skipped), tuple(passed_over))


def roster_issues(readings: Sequence[Reading], roster: Sequence[Respondent], survey: Survey
                  ) -> list[tuple[int, Issue]]:
    """Each return's respondent must be in the roster, by id or, for a blank questionnaire,
    by who the answers say they are."""
    by_id = {r.id: r for r in roster}
    by_code = {(r.kind, r.code): r for r in roster}
    found = []
    for position, reading in enumerate(readings):
        if reading.questionnaire_in(survey) is None:
            continue
        respondent = reading.respondent
        known = by_id.get(respondent.id) if respondent.id else by_code.get(
            (respondent.kind, respondent.code))
        if known is None:
            found.append((position, survey.messages.issue(
                "unknown-respondent", value=respondent.id or respondent.name or "?")))
    return found


def _position(layout: Layout | None, issue: Issue) -> tuple[int, int, int, str]:
    """Issues in workbook order: whole-file issues first, then sheet by sheet, row by row."""
    order = layout.sheet_order if layout else ()
    sheet_index = order.index(issue.sheet) + 1 if issue.sheet in order else (
        len(order) + 1 if issue.sheet else 0)
    parsed = split_address(issue.cell) if issue.cell else None
    row, column = (parsed[1], column_index(parsed[0])) if parsed else (0, 0)
    return (sheet_index, row, column, issue.code)
