"""The whole job on the sample roster: questionnaires out, returns in (some with the mistakes
real respondents make, one resubmission, one broken file), validation, annotated copies, the
master workbook, the draft summaries and the data for analysts.

The Khartoum Process's return carries the facts of the public summary the survey was built
from, and Egypt, Ethiopia and the Netherlands name it in their returns, as in that summary.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from workbook_tools.demo.sample import SampleRound, load_sample_round
from workbook_tools.demo.synthetic import FilledAnswers, merge, plausible_answers
from workbook_tools.model.roster import Respondent, read_roster, sample_roster_path
from workbook_tools.model.survey import Survey
from workbook_tools.send.fill import fill_workbook
from workbook_tools.send.write import write_personalized


@dataclass
class DemoResult:
    folder: Path
    questionnaires: Path
    returns: Path
    to_correct: Path
    issues: Path
    master: Path
    data: Path
    summaries: Path
    export: Path


def answers_for(respondent: Respondent, survey: Survey, sample: SampleRound) -> FilledAnswers:
    """What a respondent of the sample round answers, mistakes included."""
    questionnaire = survey.current(respondent.kind)
    # Some ISCMs are named only by the respondents the sample says (as in the seed, only
    # Egypt, Ethiopia and the Netherlands speak of the Khartoum Process).
    speaks = [code for code in respondent.iscms
              if code not in sample.said_about or respondent.code in sample.said_about[code].only]
    fixed, fixed_tables = sample.fixed.get(respondent.id, ({}, {}))
    filled = plausible_answers(questionnaire, questionnaire.reference, survey,
                               replace(respondent, iscms=tuple(speaks)), respondent.lang,
                               seed=respondent.id, fixed=fixed, fixed_tables=fixed_tables)
    table = questionnaire.table_with_role("about_iscms")
    iscm = table.iscm_column if table else None
    if table is not None and iscm is not None and table.id not in fixed_tables:
        rows = [dict(row) for row in filled.tables[table.id]]
        for row in rows:
            said = sample.said_about.get(str(row.get(iscm.id)))
            if said and respondent.code in said.by_respondent and any(
                    c.id == said.column for c in table.columns):
                row[said.column] = said.by_respondent[respondent.code]
        # clear the rows IOM pre-filled that the respondent did not keep
        rows += [{iscm.id: None}] * (min(len(respondent.iscms), table.rows) - len(rows))
        filled = merge(filled, tables={table.id: rows})
    return merge(filled, sample.mistakes.get(respondent.id))


def run_demo(out: Path, survey: Survey,
             say: Callable[[str], None] = print) -> DemoResult:
    from workbook_tools.check.annotate import annotate_invalid
    from workbook_tools.check.report import write_issues
    from workbook_tools.check.validate import validate_paths
    from workbook_tools.outputs.consolidate import select_returns
    from workbook_tools.outputs.drafts import write_summaries
    from workbook_tools.outputs.export import write_export
    from workbook_tools.outputs.master import write_master

    result = DemoResult(out, out / "1-questionnaires", out / "2-returns", out / "3-to-correct",
                        out / "issues.xlsx", out / "master.xlsx", out / "data",
                        out / "summaries", out / "export")
    roster = read_roster(sample_roster_path(), survey)
    sample = load_sample_round(survey, roster)
    for note in sample.left_out:
        say(f"   (sample answers left out: {note})")
    written = write_personalized(survey, roster, result.questionnaires)
    say(f"1. Sent {len(written)} personalized questionnaires: {result.questionnaires}")
    result.returns.mkdir(parents=True, exist_ok=True)
    for item, respondent in zip(written, roster, strict=True):
        if respondent.id in sample.not_answering:
            continue
        filled = answers_for(respondent, survey, sample)
        target = result.returns / item.path.name
        if respondent.id == sample.resubmitting:
            first = merge(filled, sample.first_draft)
            earlier = result.returns / f"{respondent.id}-first-draft.xlsx"
            fill_workbook(item.path, earlier, survey, first.answers, first.tables)
            _set_mtime(earlier, sample.first_draft_modified)
            filled = merge(filled, sample.final)
        fill_workbook(item.path, target, survey, filled.answers, filled.tables)
        _set_mtime(target, sample.received)
        if respondent.id == sample.broken:
            target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    count = len(list(result.returns.glob("*.xlsx")))
    say(f"2. Received {count} returns ({len(sample.not_answering)} respondents did not answer; "
        f"{len(sample.mistakes)} returns have mistakes; {sample.resubmitting} sent twice; "
        f"{sample.broken}'s attachment was cut off): {result.returns}")
    report = validate_paths([result.returns], survey, roster)
    say(f"3. Checked them: {report.summary['valid']} valid, {report.summary['invalid']} "
        f"invalid, {report.summary['rejected']} rejected")
    annotated = len(annotate_invalid(report.returns, result.to_correct, survey.messages))
    write_issues(report, result.issues, survey.messages)
    say(f"   {annotated} annotated copies to send back: {result.to_correct}")
    say(f"   every problem in one table: {result.issues}")
    selection = select_returns(report, survey)
    summary = write_master(result.master, report, selection, survey, roster, result.data)
    say(f"4. Consolidated {len(selection.used)} returns into the master workbook, "
        f"{len(summary.iscm_sheets)} ISCM sheets: {result.master}")
    say(f"   tidy data as CSV for analysts: {result.data}")
    summaries = write_summaries(result.summaries, selection, survey, "en")
    say(f"5. Drafted {len(summaries.files)} ISCM summaries (Word): {result.summaries}")
    exported = write_export(result.export, selection, survey)
    say(f"6. Exported the data for analysts (codebook, {', '.join(exported.formats)}): "
        f"{result.export}")
    for fmt, why in exported.skipped.items():
        say(f"   not written: {fmt}, {why}")
    return result


def _set_mtime(path: Path, when: dt.datetime) -> None:
    """Fixed modification times: the demo orders resubmissions the same way on every run."""
    stamp = when.replace(tzinfo=dt.UTC).timestamp()
    os.utime(path, (stamp, stamp))
