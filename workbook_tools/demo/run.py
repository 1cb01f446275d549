"""The whole job on the sample roster: questionnaires out, returns in (some with the mistakes
real respondents make, one resubmission, one broken file), validation, annotated copies, the
master workbook and the draft summaries.

The Khartoum Process's return carries the facts of the public summary the survey was built
from, and Egypt, Ethiopia and the Netherlands name it in their returns, as in that summary.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from workbook_tools.demo.synthetic import FilledAnswers, merge, plausible_answers
from workbook_tools.model.questionnaire import Table
from workbook_tools.model.roster import Respondent, read_roster, sample_roster_path
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.consolidate import VOICE_TABLES
from workbook_tools.send.fill import fill_workbook
from workbook_tools.send.write import write_personalized

KHARTOUM: dict[str, object] = {
    "respondent_name": "Demo Secretariat Officer",
    "respondent_position": "Khartoum Process Secretariat (ICMPD)",
    "completion_date": dt.date(2026, 12, 14),
    "year_established": 2014,
    "guiding_document": "Rome Declaration",
    "guiding_document_year": 2014,
    "has_strategy": "no",
    "work_plan": ["annual", "chairmanship"],
    "work_plan_monitoring": ["secretariat", "chair", "steering_committee"],
    "original_mandate": ["trafficking", "smuggling"],
    "current_priorities": ["trafficking", "smuggling", "protection_asylum", "root_causes",
                           "data"],
    "thematic_evolution": (
        "The originating mandate of tackling trafficking in human beings and smuggling of "
        "migrants has remained a thematic priority. Thematic meetings have also addressed "
        "international protection and asylum, root causes of irregular migration and data "
        "collection. The work plan is developed on an annual basis, covering the timespan of "
        "the respective Chairmanships of the Process."),
    "activities": ["thematic_meetings", "fact_finding", "training", "capacity_building",
                   "best_practices", "assessments", "joint_monitoring"],
    "contribution_national": (
        "Thematic meetings, fact-finding missions and a regional training programme; capacity "
        "building of Member States and exchange of best practices. In 2018 the Process "
        "initiated an assessment on human trafficking and smuggling of migrants in its African "
        "countries."),
    "contribution_regional": (
        "Together with the Rabat Process, responsible for monitoring the Joint Valletta Action "
        "Plan (JVAP) that came out of the 2015 Valletta Summit on Migration."),
    "joint_monitoring": "yes",
    "joint_monitoring_details": "Joint Valletta Action Plan (JVAP), with the Rabat Process.",
    "chair_arrangement": "rotating",
    "has_steering_committee": "yes",
    "steering_committee_members": (
        "Member States and the African Union Commission and the European Commission; the "
        "Netherlands replaced Malta."),
    "secretariat_type": "political_technical",
    "secretariat_managed_by": ["auc", "ec"],
    "secretariat_supported_by": ["icmpd"],
    "secretariat_functions": ("Preparing background documents, organizing meetings and "
                              "liaising with national focal points."),
    "governing_documents": ["chair_guidelines", "speaker_guidelines", "steering_tor"],
    "knowledge_management": (
        "Background papers, presentations and outcome documents of all meetings are shared "
        "with focal points and stored with ICMPD for future access."),
    "information_channels": ["email", "meetings"],
    "member_states_count": 40,
    "funding_sources": ["member_contributions"],
    "funding_stability": "stable",
    "civil_society": "occasional",
    "civil_society_details": ("NGOs and CSOs are invited to attend meetings and provide "
                              "technical, specialized inputs."),
    "regional_bodies": (
        "The African Union Commission and the European Commission run the secretariat and sit "
        "on the steering committee, linking the Process to broad EU and AU efforts."),
    "member_value": ["trust_building", "networking", "capacity_building", "policy_coordination",
                     "stakeholder_access", "technical_advice", "knowledge_sharing",
                     "emerging_issues", "global_updates"],
    "member_value_examples": (
        "Member States value the Process as a platform for exchanging best practices on "
        "migration management, particularly on human trafficking."),
}
KHARTOUM_TABLES: dict[str, list[dict[str, object]]] = {
    "membership_changes": [
        {"state": "LBY", "change": "joined"}, {"state": "NOR", "change": "joined"},
        {"state": "CHE", "change": "joined"}, {"state": "UGA", "change": "joined"},
        {"state": "NLD", "change": "steering_replaced", "replaced_state": "MLT"},
    ],
    "partner_iscms": [
        {"iscm": "rabat", "cooperation": "Joint monitoring of the Joint Valletta Action Plan"},
        {"iscm": "au-hoai", "cooperation": "Joint efforts on common challenges"},
    ],
    "partner_igos": [
        {"igo": "iom", "role": "technical_advice"},
        {"igo": "unhcr", "role": "technical_advice",
         "example": ("Programme of the Thematic Meeting on the Protection of Women and Girls on "
                     "the Move, Stockholm, 18-19 September 2018")},
        {"igo": "unodc", "role": "co_implementer", "example": "Co-implementer of the BMM project"},
    ],
}
# What the three States that referred to the Khartoum Process said of it (from the seed).
KHARTOUM_EXAMPLES = {
    "EGY": "Developing partnerships.",
    "ETH": ("Harmonized border control, combating trafficking and addressing root causes of "
            "irregular migration."),
    "NLD": ("Projects in countries of origin and transit, contributing to the implementation "
            "of the Sustainable Development Goals."),
}
# The mistakes real respondents make, one return each: (answers, tables) replaced.
MISTAKES: dict[str, dict[str, object]] = {
    "STATE-SEN": {"overlap": "Peut-être", "completion_date": "03/04/2026"},
    "STATE-MEX": {"ministry": "  Secretaría de Relaciones Exteriores ",
                  "focal_point_email": "punto focal en la cancillería"},
    "ISCM-MIDWA": {"original_mandate": ["trafficking", "smuggling", "data", "diaspora",
                                        "border_management", "labour_migration"]},
    "STATE-JAM": {"completion_date": "15 December 2026"},  # accepted, with a warning
}
NOT_ANSWERING = ("STATE-USA", "STATE-AFG", "ISCM-MTM")
BROKEN = "STATE-COL"  # the attachment arrived cut in half
RESUBMITTING = "STATE-ETH"


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


def _answers_for(respondent: Respondent, survey: Survey) -> FilledAnswers:
    questionnaire = survey.current(respondent.kind)
    # As in the seed, only Egypt, Ethiopia and the Netherlands speak of the Khartoum Process.
    speaks = [c for c in respondent.iscms
              if c != "khartoum" or respondent.code in KHARTOUM_EXAMPLES]
    khartoum = respondent.code == "khartoum"
    filled = plausible_answers(questionnaire, survey.reference, survey,
                               replace(respondent, iscms=tuple(speaks)), respondent.lang,
                               seed=respondent.id, fixed=KHARTOUM if khartoum else None,
                               fixed_tables=KHARTOUM_TABLES if khartoum else None)
    if khartoum:
        return filled
    if respondent.kind in ("state", "igo"):
        table_id = VOICE_TABLES[respondent.kind]
        rows = [dict(row) for row in filled.tables[table_id]]
        for row in rows:
            if row.get("iscm") == "khartoum" and respondent.code in KHARTOUM_EXAMPLES:
                row["example"] = KHARTOUM_EXAMPLES[respondent.code]
        table = questionnaire.item(table_id)
        assert isinstance(table, Table)
        # clear the rows IOM pre-filled that the respondent did not keep
        rows += [{"iscm": None}] * (min(len(respondent.iscms), table.rows) - len(rows))
        filled = merge(filled, tables={table_id: rows})
    return merge(filled, MISTAKES.get(respondent.id))


def run_demo(out: Path, survey: Survey,
             say: Callable[[str], None] = print) -> DemoResult:
    from workbook_tools.check.annotate import annotate_invalid
    from workbook_tools.check.report import write_issues
    from workbook_tools.check.validate import validate_paths
    from workbook_tools.outputs.consolidate import select_returns
    from workbook_tools.outputs.drafts import write_summaries
    from workbook_tools.outputs.master import write_master

    result = DemoResult(out, out / "1-questionnaires", out / "2-returns", out / "3-to-correct",
                        out / "issues.xlsx", out / "master.xlsx", out / "data",
                        out / "summaries")
    roster = read_roster(sample_roster_path(), survey)
    written = write_personalized(survey, roster, result.questionnaires)
    say(f"1. Sent {len(written)} personalized questionnaires: {result.questionnaires}")
    result.returns.mkdir(parents=True, exist_ok=True)
    for item, respondent in zip(written, roster, strict=True):
        if respondent.id in NOT_ANSWERING:
            continue
        filled = _answers_for(respondent, survey)
        target = result.returns / item.path.name
        if respondent.id == RESUBMITTING:
            first = merge(filled, {"completion_date": dt.date(2026, 12, 1),
                                   "coordination": "(first draft, sent too early)"})
            earlier = result.returns / f"{respondent.id}-first-draft.xlsx"
            fill_workbook(item.path, earlier, survey, first.answers, first.tables)
            _set_mtime(earlier, dt.datetime(2026, 12, 1, 9, 0))
            filled = merge(filled, {"completion_date": dt.date(2026, 12, 10)})
        fill_workbook(item.path, target, survey, filled.answers, filled.tables)
        _set_mtime(target, dt.datetime(2026, 12, 15, 9, 0))
        if respondent.id == BROKEN:
            target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    count = len(list(result.returns.glob("*.xlsx")))
    say(f"2. Received {count} returns (3 respondents did not answer; 4 returns have mistakes; "
        f"{RESUBMITTING} sent twice; {BROKEN}'s attachment was cut off): {result.returns}")
    report = validate_paths([result.returns], survey, roster)
    say(f"3. Checked them: {report.summary['valid']} valid, {report.summary['invalid']} "
        f"invalid, {report.summary['rejected']} rejected")
    annotated = len(annotate_invalid(report.returns, result.to_correct, survey.messages))
    write_issues(report, result.issues, survey.messages)
    say(f"   {annotated} annotated copies to send back: {result.to_correct}")
    say(f"   every problem in one table: {result.issues}")
    selection = select_returns(report)
    summary = write_master(result.master, report, selection, survey, roster, result.data)
    say(f"4. Consolidated {len(selection.used)} returns into the master workbook, "
        f"{len(summary.iscm_sheets)} ISCM sheets: {result.master}")
    say(f"   tidy data as CSV for analysts: {result.data}")
    summaries = write_summaries(result.summaries, selection, survey, "en")
    say(f"5. Drafted {len(summaries.files)} ISCM summaries (Word): {result.summaries}")
    return result


def _set_mtime(path: Path, when: dt.datetime) -> None:
    """Fixed modification times: the demo orders resubmissions the same way on every run."""
    stamp = when.replace(tzinfo=dt.UTC).timestamp()
    os.utime(path, (stamp, stamp))
