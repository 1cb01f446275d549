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
from typing import Any

from workbook_tools.check.schema import check_returns
from workbook_tools.form.layout import column_index
from workbook_tools.model.messages import Issue, make_issue
from workbook_tools.model.questionnaire import Catalogue
from workbook_tools.model.roster import Respondent
from workbook_tools.model.settings import Survey
from workbook_tools.read.reading import ReturnData, read_return
from workbook_tools.read.sheetxml import split_address

STATUSES = ("valid", "invalid", "rejected")


@dataclass
class ReturnReport:
    data: ReturnData

    @property
    def path(self) -> Path:
        return self.data.path

    @property
    def issues(self) -> list[Issue]:
        return self.data.issues

    @property
    def status(self) -> str:
        if self.data.rejected:
            return "rejected"
        return "invalid" if self.errors else "valid"

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        respondent, identity = self.data.respondent, self.data.identity
        return {
            "file": str(self.path),
            "status": self.status,
            "respondent": {"kind": respondent.kind, "id": respondent.id, "name": respondent.name},
            "questionnaire": {
                "id": identity.questionnaire if identity else "",
                "version": identity.version if identity else None,
                "lang": identity.lang if identity else "",
            },
            "issues": [issue.as_dict(lang) for issue in self.issues],
        }


@dataclass
class ValidationReport:
    returns: list[ReturnReport]
    skipped: list[Path]

    def count(self, status: str) -> int:
        return sum(1 for r in self.returns if r.status == status)

    @property
    def summary(self) -> dict[str, int]:
        return {status: self.count(status) for status in STATUSES}

    @property
    def all_valid(self) -> bool:
        return all(r.status == "valid" for r in self.returns)

    def as_dict(self) -> dict[str, Any]:
        return {"returns": [r.as_dict() for r in self.returns], "summary": self.summary}


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


def validate_paths(paths: Sequence[Path], catalogue: Catalogue, survey: Survey,
                   roster: Sequence[Respondent] | None = None,
                   progress: Callable[[Path], None] | None = None) -> ValidationReport:
    files, skipped = collect_files(paths)
    results = read_returns(files, catalogue, survey, progress)
    return validate_results(results, survey, roster, skipped)


PARALLEL_FROM = 48  # below this, starting processes costs more than it saves
_shared: tuple[Catalogue, Survey] | None = None  # what forked readers inherit


def _workers(count: int) -> int:
    if count < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _read_chunk(files: list[Path]) -> list[ReturnData]:
    assert _shared is not None
    catalogue, survey = _shared
    return [read_return(file, catalogue, survey).detach() for file in files]


def _load_schema_library() -> None:
    import pandera.pandas  # noqa: F401


def read_returns(files: Sequence[Path], catalogue: Catalogue, survey: Survey,
                 progress: Callable[[Path], None] | None = None) -> list[ReturnData]:
    """Read every file, on every core when there are many; the order of files is kept."""
    global _shared
    workers = _workers(len(files))
    if workers == 1:
        results = []
        for file in files:
            results.append(read_return(file, catalogue, survey))
            if progress:
                progress(file)
        return results
    # two chunks per worker: the pool hands out all work at once, so the parent's own work
    # below does not starve the readers, and progress still moves
    size = max(1, -(-len(files) // (workers * 2)))
    chunks = [list(files[start:start + size]) for start in range(0, len(files), size)]
    _shared = (catalogue, survey)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = {pool.submit(_read_chunk, chunk): index
                       for index, chunk in enumerate(chunks)}
            _load_schema_library()  # while the readers work: it takes a third of a second
            done: dict[int, list[ReturnData]] = {}
            for future in as_completed(futures):
                index = futures[future]
                done[index] = future.result()
                if progress:
                    for file in chunks[index]:
                        progress(file)
    finally:
        _shared = None
    return [result.attach(catalogue, survey)
            for index in range(len(chunks)) for result in done[index]]


def validate_results(results: list[ReturnData], survey: Survey,
                     roster: Sequence[Respondent] | None = None,
                     skipped: list[Path] | None = None) -> ValidationReport:
    check_returns(results, survey)
    if roster is not None:
        check_roster(results, roster)
    for result in results:
        result.issues.sort(key=lambda issue: _position(result, issue))
    return ValidationReport([ReturnReport(r) for r in results], skipped or [])


def check_roster(results: Iterable[ReturnData], roster: Sequence[Respondent]) -> None:
    """Each return's respondent must be in the roster, by id or, for a blank questionnaire,
    by who the answers say they are."""
    by_id = {r.id: r for r in roster}
    by_code = {(r.kind, r.code): r for r in roster}
    for result in results:
        if result.rejected or result.questionnaire is None:
            continue
        respondent = result.respondent
        known = by_id.get(respondent.id) if respondent.id else by_code.get(
            (respondent.kind, respondent.code))
        if known is None:
            result.issues.append(make_issue("unknown-respondent",
                                            value=respondent.id or respondent.name or "?"))


def _position(result: ReturnData, issue: Issue) -> tuple[int, int, int, str]:
    """Issues in workbook order: whole-file issues first, then sheet by sheet, row by row."""
    layout = result.layout
    order = layout.sheet_order if layout else ()
    sheet_index = order.index(issue.sheet) + 1 if issue.sheet in order else (
        len(order) + 1 if issue.sheet else 0)
    parsed = split_address(issue.cell) if issue.cell else None
    row, column = (parsed[1], column_index(parsed[0])) if parsed else (0, 0)
    return (sheet_index, row, column, issue.code)
