"""The analysis across ISCMs and the charts' data: every choice question of the ISCM
questionnaire (found by walking it, not by id), by ISCM and by region; multiple choices as
ticked, not ticked, not answered or not applicable; counts from zero, sorted, n stated."""

from __future__ import annotations

import pytest

from tests.returns_kit import SURVEY, check, make_return
from workbook_tools.check.validate import ReturnReport
from workbook_tools.model.reference import Iscm
from workbook_tools.model.roster import Respondent
from workbook_tools.outputs.across import (
    across_iscms,
    choice_questions,
    priorities_chart,
    ratings,
    ratings_chart,
)
from workbook_tools.outputs.consolidate import iscm_headings, select_returns


def iscm(code: str, name: str) -> Respondent:
    return Respondent(f"ISCM-{code.upper()}", "iscm", code, name, "en")


@pytest.fixture(scope="module")
def used(tmp_path_factory: pytest.TempPathFactory) -> list[ReturnReport]:
    folder = tmp_path_factory.mktemp("returns")
    make_return(folder, "iscm", who=iscm("khartoum", "Khartoum Process"),
                fixed={"secretariat_type": "none",
                       "current_priorities": ["trafficking", "smuggling"]})
    make_return(folder, "iscm", who=iscm("rabat", "Rabat Process"),
                fixed={"secretariat_type": "technical", "current_priorities": ["trafficking"]})
    make_return(folder, "iscm", who=iscm("bali", "Bali Process"),
                fixed={"secretariat_type": "technical", "current_priorities": ["data"]})
    rating = {f"value_{area}": "4" for area in SURVEY.reference["value_areas"].codes}
    make_return(folder, "state", tables={"memberships": [
        {"iscm": "khartoum", "status": "member", "role": "none", **rating},
        {"iscm": "rabat", "status": "member", "role": "none",
         **{**rating, "value_networking": "1"}}]})
    report = check(folder)
    assert report.summary["valid"] == 4, [(r.path.name, r.issues) for r in report.returns]
    return select_returns(report, SURVEY).used


def test_the_questions_broken_down_are_every_choice_but_who_answers() -> None:
    questions = choice_questions(SURVEY.current("iscm"))
    ids = [q.field.id for q in questions]
    assert "iscm" not in ids  # the respondent itself
    assert {"has_strategy", "chair_held_by", "secretariat_type", "current_priorities",
            "funding_stability"} <= set(ids)
    assert all(q.field.type in ("single_choice", "multiple_choice", "yes_no") for q in questions)


def test_each_iscm_answer_by_option_never_a_blank(used: list[ReturnReport]) -> None:
    table = across_iscms(used, SURVEY).by_iscm
    rows = {row[0]: dict(zip(table.columns, row, strict=True)) for row in table.rows}
    assert list(rows) == ["Khartoum Process", "Rabat Process", "Bali Process"]  # list order
    number = SURVEY.current("iscm").number
    trafficking = f"{number('current_priorities')} Trafficking in human beings"
    assert [rows[name][trafficking] for name in rows] == ["ticked", "ticked", "not ticked"]
    managed = f"{number('secretariat_managed_by')} IOM"
    assert rows["Khartoum Process"][managed] == "not applicable"  # it has no secretariat
    assert rows["Rabat Process"][managed] in ("ticked", "not ticked")
    secretariat = [c for c in table.columns if c.startswith(f"{number('secretariat_type')} ")]
    assert [rows[name][secretariat[0]] for name in rows] == [
        "No secretariat", "Technical secretariat only", "Technical secretariat only"]
    assert rows["Khartoum Process"]["region"] == "Africa and Europe"
    assert all(value != "" for row in table.rows for value in row)
    groups = {question for _, _, question in table.groups}
    assert f"{number('current_priorities')} What are the ISCM's thematic priorities today?" in (
        groups)


def test_counts_by_region_and_across_iscms(used: list[ReturnReport]) -> None:
    analysis = across_iscms(used, SURVEY)
    number = SURVEY.current("iscm").number
    table = analysis.by_region
    rows = {row[0]: dict(zip(table.columns, row, strict=True)) for row in table.rows}
    assert rows["Africa and Europe"]["iscms"] == 2 and rows["Asia-Pacific"]["iscms"] == 1
    trafficking = f"{number('current_priorities')} Trafficking in human beings"
    assert (rows["Africa and Europe"][trafficking], rows["Asia-Pacific"][trafficking]) == (2, 0)
    summary = next(s for s in analysis.summaries
                   if s.question.field.id == "secretariat_managed_by")
    iom = next(option for option in summary.options if option.option == "IOM")
    assert iom.not_applicable == 1 and iom.chosen + iom.not_chosen == 2 and summary.n == 3


def test_the_priorities_chart_is_sorted_from_zero_with_every_option(
        used: list[ReturnReport]) -> None:
    chart = priorities_chart(used, SURVEY)
    assert chart is not None
    (series,) = chart.series
    assert chart.categories[0] == "Trafficking in human beings" and series.values[0] == 2
    assert list(series.values) == sorted(series.values, reverse=True)
    assert len(chart.categories) == len(SURVEY.reference["thematic_areas"].codes)
    assert chart.maximum == 3 and "(n = 3 ISCMs" in chart.title


def test_ratings_are_a_distribution_not_an_average(used: list[ReturnReport]) -> None:
    found = ratings(used, SURVEY)
    assert found is not None and (found.rows, found.raters) == (2, 1)
    chart = ratings_chart(found)
    assert [series.name for series in chart.series][:4] == [
        "4 - Very valuable", "3 - Somewhat valuable", "2 - Not very valuable",
        "1 - Not at all valuable"]
    networking = chart.categories.index("Networking")
    assert [series.values[networking] for series in chart.series][:4] == [1, 0, 0, 1]
    assert chart.categories[-1] == "Networking"  # fewest top ratings last
    assert chart.maximum == 2 and chart.stacked


@pytest.mark.parametrize(("short", "full", "title", "subtitle"), [
    ("Prague Process", "Prague Process", "Prague Process", "RCP · Europe"),
    ("RCM (Puebla Process)", "Regional Conference on Migration", "RCM (Puebla Process)",
     "Regional Conference on Migration · RCP · Europe"),
    ("Khartoum Process", "EU-Horn of Africa Migration Route Initiative", "Khartoum Process",
     "EU-Horn of Africa Migration Route Initiative · RCP · Europe"),
])
def test_sheet_headings_name_an_iscm_once(short: str, full: str, title: str,
                                          subtitle: str) -> None:
    found = iscm_headings(Iscm("x", short, full, "rcp", "Europe"))
    assert found == (title, subtitle.replace("RCP", "Regional consultative process (RCP)"))


def test_a_question_excluded_by_an_excluded_question_does_not_apply() -> None:
    questionnaire = SURVEY.current("iscm")
    answers = {"secretariat_type": "none"}
    assert questionnaire.applies("secretariat_managed_by", answers) is False
    assert questionnaire.applies("secretariat_managed_other", answers) is False  # on the above
    assert questionnaire.applies("secretariat_managed_by", {}) is None  # nobody can tell
    assert questionnaire.applies("secretariat_managed_other", {"secretariat_type": "technical",
                                                       "secretariat_managed_by": ("iom",)}
                                 ) is False
    assert questionnaire.applies("year_established", {}) is True
