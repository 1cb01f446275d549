"""Validate returned questionnaires: read each, check them all, and report per return.

`validate_paths` returns a report; it does not raise for bad data. One bad file never stops the
others from being checked.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.form.layout import Layout, column_index, layout_in
from workbook_tools.model.messages import Issue
from workbook_tools.model.questionnaire import Questionnaire
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


@dataclass(frozen=True)
class ValidationReport:
    returns: tuple[ReturnReport, ...]
    skipped: tuple[Path, ...] = ()

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


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Every file given, and every file under every folder given (recursively), in order."""
    files: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)  # named by the user: checked whatever its name
            continue
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            (skipped if is_skipped(file.relative_to(path)) else files).append(file)
    seen: set[Path] = set()
    unique = []
    for file in files:
        if file.resolve() not in seen:
            seen.add(file.resolve())
            unique.append(file)
    return unique, skipped


def validate_paths(paths: Sequence[Path], survey: Survey,
                   roster: Sequence[Respondent] | None = None,
                   progress: Callable[[Path], None] | None = None) -> ValidationReport:
    files, skipped = collect_files(paths)
    readings = read_returns(files, survey, progress)
    return validate_readings(readings, survey, roster, skipped)


PARALLEL_FROM = 48  # below this, starting processes costs more than it saves
_shared: Survey | None = None  # what forked readers inherit


def _workers(count: int) -> int:
    if count < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _read_chunk(files: list[Path]) -> list[Reading]:
    assert _shared is not None
    return [read_return(file, _shared) for file in files]


def _load_schema_library() -> None:
    import pandera.pandas  # noqa: F401


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
    # two chunks per worker: the pool hands out all work at once, so the parent's own work
    # below does not starve the readers, and progress still moves
    size = max(1, -(-len(files) // (workers * 2)))
    chunks = [list(files[start:start + size]) for start in range(0, len(files), size)]
    _shared = survey
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
    return [reading for index in range(len(chunks)) for reading in done[index]]


def validate_readings(readings: Sequence[Reading], survey: Survey,
                      roster: Sequence[Respondent] | None = None,
                      skipped: Sequence[Path] = ()) -> ValidationReport:
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
    return ValidationReport(tuple(reports), tuple(skipped))


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
