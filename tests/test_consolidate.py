"""The master workbook: only valid returns, the latest per respondent, one sheet per ISCM joining
what the ISCM, States and IGOs said, tidy data with provenance, written safely."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.libreoffice import render_sheets
from tests.returns_kit import SURVEY, check, make_return
from workbook_tools.cli import cli
from workbook_tools.demo.run import DemoResult
from workbook_tools.outputs.consolidate import select_returns
from workbook_tools.outputs.master import write_master


def rows_of(path: Path, sheet: str) -> list[dict[str, str]]:
    worksheet = load_workbook(path)[sheet]
    values = [[c.value for c in row] for row in worksheet.iter_rows()]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def texts_of(path: Path, sheet: str) -> list[str]:
    worksheet = load_workbook(path)[sheet]
    return [str(c.value) for row in worksheet.iter_rows() for c in row if c.value is not None]


def ratings(value: str) -> dict[str, str]:
    return {f"value_{a}": value for a in SURVEY.reference["value_areas"].codes}


def membership(iscm: str, example: str = "", status: str = "member") -> dict[str, object]:
    role = {"role": "none"} if status == "member" else {}
    return {"iscm": iscm, "status": status, **role, "since": 2015, **ratings("4"),
            "example": example}


@pytest.fixture()
def returns(tmp_path: Path) -> Path:
    folder = tmp_path / "returns"
    make_return(folder, "iscm", "en", answers={"guiding_document": "Rome Declaration",
                                               "thematic_evolution": "=SUM(A1:A9)"},
                tables={"partner_igos": [{"igo": "unhcr", "role": "technical_advice"}],
                        "partner_iscms": []})
    make_return(folder, "state", "fr", tables={"memberships": [
        membership("khartoum", "Développer des partenariats"), membership("rabat")]})
    make_return(folder, "igo", "es", tables={"engagements": [
        {"iscm": "khartoum", "role": "technical_advice", "relevance": "very_relevant"},
        {"iscm": None}]})  # the second ISCM IOM pre-filled, removed by the respondent
    # Ethiopia, from a blank questionnaire, with a mistake
    make_return(folder, "state", "en", name="broken.xlsx", personalized=False,
                answers={"state": "ETH", "overlap": "Perhaps"})
    return folder


def consolidate(folder: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["consolidate", str(folder), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_master_has_an_overview_a_sheet_per_iscm_the_data_and_the_returns(
        returns: Path, tmp_path: Path) -> None:
    master = tmp_path / "master.xlsx"
    output = consolidate(returns, master)
    names = load_workbook(master).sheetnames
    assert names[:2] == ["Overview", "Tracker"]
    # in the order of the reference list: Khartoum answered; Rabat was named by a State
    assert names[2:4] == ["Khartoum Process", "Rabat Process"]
    assert names[4:] == ["Across ISCMs", "Choices by ISCM", "Choices by region",
                         "Ratings by ISCM", "Ratings by region", "Data", "engagements",
                         "membership_changes", "memberships", "partner_igos", "partner_iscms",
                         "Returns", "Queries"]
    assert "Consolidated 3 of 4 return(s)" in output
    assert "left out" in output and "broken.xlsx" in output


def test_an_iscm_sheet_joins_its_answers_with_what_states_and_igos_said(
        returns: Path, tmp_path: Path) -> None:
    master = tmp_path / "master.xlsx"
    consolidate(returns, master)
    texts = texts_of(master, "Khartoum Process")
    assert texts[0] == "Khartoum Process"  # each name once: the title, then the full name
    assert texts[1].startswith("EU-Horn of Africa Migration Route Initiative · ")
    assert "1. Evolution of programming and thematic focus" in texts
    assert "Rome Declaration" in texts
    assert "What States said (1)" in texts and "Egypt" in texts
    said = "\n".join(texts)
    assert "Example of what membership brought: Développer des partenariats" in said  # as written
    assert "Value: 4 - Very valuable: Trust-building, Networking" in said
    assert "What inter-governmental organizations said (1)" in texts and "UNHCR" in texts
    assert "Relevance of the ISCM: Very relevant" in said
    assert not any(len(text) == 64 and set(text) <= set("0123456789abcdef") for text in texts)
    rabat = texts_of(master, "Rabat Process")
    assert rabat[2].startswith("No return from the ISCM among the files consolidated.")
    assert "Egypt" in rabat


def test_data_in_long_form_traces_every_row_to_its_file(returns: Path, tmp_path: Path) -> None:
    master = tmp_path / "master.xlsx"
    consolidate(returns, master)
    data = rows_of(master, "Data")
    assert set(data[0]) >= {"respondent_id", "kind", "respondent_name", "question_id", "section",
                            "label", "value", "answer_state", "file", "status"}
    assert "sha256" not in data[0]  # checksums are in the Returns sheet only
    checksums = {r["file"]: r["sha256"] for r in rows_of(master, "Returns")}
    for row in data:
        assert checksums[row["file"]] == hashlib.sha256(
            Path(row["file"]).read_bytes()).hexdigest()
        assert row["status"] == "valid"
    guiding = next(r for r in data if r["question_id"] == "guiding_document")
    assert (guiding["respondent_id"], guiding["value"], guiding["label"]) == (
        "ISCM-KHARTOUM", "Rome Declaration",
        "What is the founding or main guiding document of the ISCM?")
    ticked = [r for r in data if r["question_id"] == "current_priorities"]
    assert len(ticked) >= 1 and all(r["value_label"] for r in ticked)  # one row per option
    assert {r["answer_state"] for r in ticked} == {"ticked"}
    # an empty value always says why: not answered, or not applicable (a condition excludes it)
    empty = [r for r in data if not r["value"]]
    assert empty and {r["answer_state"] for r in empty} <= {"not answered", "not applicable"}
    iscm = SURVEY.current("iscm")
    for row in empty:
        if row["answer_state"] == "not applicable" and row["kind"] == "iscm":
            condition = iscm.item(row["question_id"]).relevant  # type: ignore[union-attr]
            assert condition is not None
    memberships = rows_of(master, "memberships")
    assert {(r["respondent_name"], r["iscm"], r["iscm_label"]) for r in memberships} == {
        ("Egypt", "khartoum", "Khartoum Process"), ("Egypt", "rabat", "Rabat Process")}
    assert load_workbook(master)["Data"].tables, "Data is an Excel table with filters"


def test_respondents_text_stays_text(returns: Path, tmp_path: Path) -> None:
    master = tmp_path / "master.xlsx"
    consolidate(returns, master)
    sheet = load_workbook(master)["Data"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=SUM(A1:A9)"]
    assert cells and all(c.data_type == "s" for c in cells)
    khartoum = load_workbook(master)["Khartoum Process"]
    assert [c.data_type for row in khartoum.iter_rows() for c in row
            if c.value == "=SUM(A1:A9)"] == ["s"]


def test_invalid_returns_only_on_request_and_marked(returns: Path, tmp_path: Path) -> None:
    master = tmp_path / "master.xlsx"
    consolidate(returns, master, "--include-invalid")
    data = rows_of(master, "Data")
    broken = {r["status"] for r in data if r["file"].endswith("broken.xlsx")}
    assert broken == {"invalid"}
    fates = {Path(r["file"]).name: r["fate"] for r in rows_of(master, "Returns")}
    assert fates["broken.xlsx"] == "used"
    khartoum = texts_of(master, "Khartoum Process")
    assert "Ethiopia (invalid return)" in khartoum  # its invalid return speaks of it, marked


def test_the_latest_return_of_a_respondent_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    first = make_return(folder, "igo", name="first.xlsx",
                        answers={"completion_date": dt.date(2026, 12, 20)})
    second = make_return(folder, "igo", name="second.xlsx",
                         answers={"completion_date": dt.date(2026, 12, 1)})
    selection = select_returns(check(folder), SURVEY)
    assert [item.path for item in selection.used] == [first]  # by completion date
    assert [(old.path, kept.path) for old, kept in selection.superseded] == [(second, first)]
    # same completion date: the file modified last wins
    third = make_return(folder, "igo", name="third.xlsx",
                        answers={"completion_date": dt.date(2026, 12, 20)})
    os.utime(first, (1_700_000_000, 1_700_000_000))
    os.utime(third, (1_800_000_000, 1_800_000_000))
    assert [item.path for item in select_returns(check(folder), SURVEY).used] == [third]


def test_returns_that_cannot_be_ordered_are_reported_not_guessed(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    a = make_return(folder, "igo", name="a.xlsx", answers={"added_value": "One answer"})
    b = make_return(folder, "igo", name="b.xlsx", answers={"added_value": "Another answer"})
    for path in (a, b):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    selection = select_returns(check(folder), SURVEY)
    assert selection.used == []
    assert [[item.path for item in group] for group in selection.conflicts] == [[a, b]]
    result = CliRunner().invoke(cli, ["consolidate", str(folder), "--out",
                                      str(tmp_path / "m.xlsx")])
    assert "cannot be ordered" in result.output


def test_the_overview_counts_every_state_against_the_roster(returns: Path,
                                                           tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "respondent_id,kind,code,lang\nISCM-KHARTOUM,iscm,khartoum,en\nISCM-BALI,iscm,bali,en\n"
        "STATE-EGY,state,EGY,fr\nSTATE-ETH,state,ETH,en\nIGO-UNHCR,igo,unhcr,es\n",
        encoding="utf-8")
    master = tmp_path / "master.xlsx"
    consolidate(returns, master, "--roster", str(roster))
    overview = load_workbook(master)["Overview"]
    rows = {r[0].value: [c.value for c in r] for r in overview.iter_rows(min_row=6, max_row=10)}
    assert rows["Sent"][:5] == ["Sent", 2, 2, 1, 5]
    assert rows["Valid"][:5] == ["Valid", 1, 1, 1, 3]
    assert rows["Invalid"][:6] == ["Invalid", 0, 1, 0, 1, "Ethiopia (1 error)"]
    assert rows["Not received"][:6] == ["Not received", 1, 0, 0, 1, "Bali Process"]
    with zipfile.ZipFile(master) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3  # response by type, thematic priorities, value of membership


def test_same_returns_give_the_same_bytes(returns: Path, tmp_path: Path) -> None:
    consolidate(returns, tmp_path / "one.xlsx")
    consolidate(returns, tmp_path / "two.xlsx")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()


def test_a_failed_write_leaves_the_previous_master_whole(returns: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    master = tmp_path / "master.xlsx"
    consolidate(returns, master)
    before = master.read_bytes()
    report = check(returns)

    def crash(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("workbook_tools.outputs.master._returns_rows", crash)
    with pytest.raises(RuntimeError):
        write_master(master, report, select_returns(report, SURVEY), SURVEY)
    assert master.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_personal_data_only_on_request(returns: Path, tmp_path: Path) -> None:
    personal = {f.id for q in SURVEY.questionnaires.values() for f in q.fields() if f.personal}
    master, data = tmp_path / "master.xlsx", tmp_path / "data"
    consolidate(returns, master, "--csv", str(data))
    assert not {r["question_id"] for r in rows_of(master, "Data")} & personal
    with (data / "data.csv").open(encoding="utf-8-sig") as handle:
        assert not {row["question_id"] for row in csv.DictReader(handle)} & personal
    consolidate(returns, master, "--csv", str(data), "--include-personal")
    assert {r["question_id"] for r in rows_of(master, "Data")} & personal == {
        "respondent_name", "respondent_email", "focal_point_name", "focal_point_email"}


def test_csv_for_analysts(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    consolidate(returns, tmp_path / "master.xlsx", "--csv", str(out))
    assert sorted(p.name for p in out.iterdir()) == [
        "data.csv", "engagements.csv", "membership_changes.csv", "memberships.csv",
        "partner_igos.csv", "partner_iscms.csv", "returns.csv"]
    text = (out / "data.csv").read_text(encoding="utf-8-sig")
    assert "'=SUM(A1:A9)" in text and "\n=SUM" not in text and ",=SUM" not in text


@pytest.mark.libreoffice
def test_the_master_opens_in_libreoffice(returns: Path, tmp_path: Path) -> None:
    import pdfplumber

    master = tmp_path / "master.xlsx"
    consolidate(returns, master, "--roster", "sample")
    with pdfplumber.open(render_sheets(master, tmp_path / "pdf")) as pdf:
        assert len(pdf.pages) == len(load_workbook(master, read_only=True).sheetnames)


def test_demo_runs_the_whole_job_with_the_seed_facts(
        demo: tuple[DemoResult, list[str]]) -> None:
    result, lines = demo
    assert len(list(result.questionnaires.glob("*.xlsx"))) == 71
    assert len(list(result.to_correct.glob("*.xlsx"))) == 3
    texts = texts_of(result.master, "Khartoum Process")
    for fact in ("Rome Declaration", "2014", "No", "Annual work plan; Work plan per chairmanship",
                 "The Secretariat; The Chair; The Steering Committee",
                 "African Union Commission; European Commission", "ICMPD",
                 "Contributions from Member States", "Stable", "Rabat Process",
                 "AU-HoAI", "UNHCR", "UNODC", "IOM"):
        assert fact in texts, fact
    organizations = next(text for text in texts
                         if text.startswith("What inter-governmental organizations said"))
    states = texts[texts.index("What States said (3)"):texts.index(organizations)]
    # version 2 went out with UN names
    assert {"Egypt", "Ethiopia", "Netherlands (Kingdom of the)"} <= set(states)
    assert "Kenya" not in states  # only the three States of the seed spoke of it
    fates: dict[str, list[str]] = {}
    for row in rows_of(result.master, "Returns"):
        fates.setdefault(Path(row["file"]).name, []).append(row["fate"])
    assert fates["STATE-ETH-first-draft.xlsx"] == ["superseded"]
    assert sorted(fates["STATE-COL.xlsx"]) == ["left out", "used"]  # cut off, then sent again
    assert any("Open first" in line or "master" in line for line in lines)
    # the late return made from version 1 is used, its answers in version 2's terms
    assert fates["STATE-MAR.xlsx"] == ["used"]
    morocco = [r for r in rows_of(result.master, "memberships")
               if r["respondent_id"] == "STATE-MAR"]
    assert {r["version"] for r in morocco} == {"1"}
    assert {(r["iscm"], r["status"], r["role"]) for r in morocco if r["iscm"] == "rabat"} == {
        ("rabat", "member", "chair")}
    # the queries are the disagreements the story plants, and only those
    queries = {(r["respondent_id"], r["code"]) for r in rows_of(result.master, "Queries")}
    assert queries == {("IGO-ICMPD", "query-partner-not-named"),
                       ("STATE-CIV", "query-left-but-listed"),
                       ("STATE-MLI", "query-held-by-several"),
                       ("STATE-MAR", "query-held-by-several"),
                       ("ISCM-BALI", "query-established-year")}
    # no person's name or e-mail in the data shared for analysis
    personal = {f.id for q in SURVEY.questionnaires.values() for f in q.fields() if f.personal}
    assert not {r["question_id"] for r in rows_of(result.master, "Data")} & personal
    page = result.status.read_text(encoding="utf-8")
    assert page.count('<tr id="') == 71
    # Morocco, silent until reminded, answers late
    assert len(list((result.round / "outbox").glob("*-reminders/*.eml"))) == 8
    # the returns as a plain folder: every workbook taken in, a resent one under a new name,
    # consolidated from there as from the round
    names = sorted(p.name for p in result.workbooks.iterdir())
    assert len(names) == len(fates) + sum(len(f) - 1 for f in fates.values())
    assert {"STATE-COL.xlsx", "STATE-COL-2.xlsx", "STATE-ETH-first-draft.xlsx"} <= set(names)
    from_folder = select_returns(check(result.workbooks), SURVEY)
    assert len(from_folder.used) == sum("used" in f for f in fates.values())


def test_consolidate_usage_errors_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["consolidate", str(tmp_path), "--out",
                                      str(tmp_path / "master.csv")])
    assert result.exit_code == 2

