"""A round's returns for `consolidate --round` and `summarize --round`: every return kept in the
store of the round's current respondents, checked again from its kept file, and the latest
valid one of each respondent by when it was received."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.check.validate import ValidationReport, read_returns, validate_readings
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.consolidate import RoundDates, Selection, select_returns
from workbook_tools.round import record
from workbook_tools.round.store import Store, moment


@dataclass(frozen=True)
class RoundReturns:
    report: ValidationReport
    selection: Selection
    roster: list[Respondent]
    dates: RoundDates


def round_returns(folder: Path, survey: Survey, today: dt.date,
                  include_invalid: bool = False) -> RoundReturns:
    with Store.open(folder) as store:
        made = record.round_survey(store, survey)
        active = {m.respondent.id: m.respondent for m in record.members(store, True)}
        kept = [r for r in record.returns(store) if r.respondent_id in active]
        paths = [store.file(r.file).path for r in kept]
        sent = {s.respondent.id: moment(s.invited).date()
                for s in record.standings(store, made, today) if s.invited}
        due = record.deadline(store, survey)
    report = validate_readings(read_returns(paths, made), made)
    dates = RoundDates(today, due, {path: moment(r.received)
                                    for path, r in zip(paths, kept, strict=True)}, sent,
                       # whose each file is, from the e-mail: names even an unreadable one
                       {path: r.respondent_id for path, r in zip(paths, kept, strict=True)
                        if r.respondent_id})
    selection = select_returns(report, made, include_invalid, dates)
    return RoundReturns(report, selection, list(active.values()), dates)
