"""The validate command: terminal, JSON, annotated copies, the issues table, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.libreoffice import convert
from tests.returns_kit import SURVEY, check, make_return, only
from workbook_tools.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture()
def returns(tmp_path: Path) -> Path:
    folder = tmp_path / "returns"
    make_return(folder, "iscm", "en")
    make_return(folder, "state", "fr", answers={
        "overlap": "Peut-être", "ministry": "  =cmd|' /C calc'!A0  "})
    (folder / "notes.txt").write_text("call Egypt back", encoding="utf-8")
    return folder


def test_all_valid_exits_0(tmp_path: Path) -> None:
    make_return(tmp_path / "ok", "igo", "es")
    code, output = run("validate", str(tmp_path / "ok"))
    assert code == 0, output
    assert "Checked 1 return in" in output and "1 valid, 0 invalid, 0 rejected" in output


def test_invalid_or_rejected_exits_1_and_names_cells(returns: Path) -> None:
    code, output = run("validate", str(returns))
    assert code == 1
    assert "1 valid, 1 invalid, 1 rejected" in output
    assert ("'3 Thèmes et synergies'!C22 [3.3]: \"Peut-être\" is not one of the choices. "
            "Choose an answer from the dropdown list. (not-in-list)") in output
    assert "notes.txt: rejected" in output and "a text or CSV file" in output
    assert "Traceback" not in output


def test_json_report_has_the_documented_shape(returns: Path) -> None:
    code, output = run("validate", str(returns), "--json")
    assert code == 1
    report = json.loads(output)
    assert report["summary"] == {"valid": 1, "invalid": 1, "rejected": 1}
    invalid = next(r for r in report["returns"] if r["status"] == "invalid")
    assert set(invalid) == {"file", "status", "respondent", "questionnaire", "issues"}
    assert invalid["respondent"] == {"kind": "state", "id": "STATE-EGY", "name": "Egypt"}
    assert invalid["questionnaire"] == {"id": "state", "version": 2, "lang": "fr"}
    issue = next(i for i in invalid["issues"] if i["code"] == "not-in-list")
    assert issue == {"severity": "error", "code": "not-in-list", "sheet": "3 Thèmes et synergies",
                     "cell": "C22", "question": "overlap", "value": "Peut-être",
                     "message": issue["message"]}
    trimmed = next(i for i in invalid["issues"] if i["code"] == "whitespace-trimmed")
    assert trimmed["value"] == "  =cmd|' /C calc'!A0  "  # kept as text, as typed


def test_annotated_copy_speaks_the_respondents_language(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "to-correct"
    before = {p: p.read_bytes() for p in returns.rglob("*") if p.is_file()}
    code, _ = run("validate", str(returns), "--annotate", str(out))
    assert code == 1
    assert [p.name for p in out.iterdir()] == ["STATE-EGY-fr-annotated.xlsx"]
    assert {p: p.read_bytes() for p in returns.rglob("*") if p.is_file()} == before
    workbook = load_workbook(out / "STATE-EGY-fr-annotated.xlsx")
    assert workbook.sheetnames[0] == "Problèmes"
    problems = workbook["Problèmes"]
    assert "L'OIM a vérifié ce questionnaire" in problems["A1"].value
    rows = [[c.value for c in row] for row in problems.iter_rows(min_row=4)]
    assert rows[-1][:4] == ["À corriger", "3 Thèmes et synergies!C22", "3.3", "Peut-être"]
    assert problems.cell(row=3 + len(rows), column=2).hyperlink.location == (
        "'3 Thèmes et synergies'!C22")
    from workbook_tools.textfit import FONT_NAME

    # the problems' headings and links are in the questionnaire's face, never a fallback
    assert {problems["A3"].font.name,
            problems.cell(row=3 + len(rows), column=2).font.name} == {FONT_NAME}
    cell = workbook["3 Thèmes et synergies"]["C22"]
    assert cell.comment is not None and "ne fait pas partie des choix" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    # the copy is still our questionnaire: corrected, it can be checked again
    corrected = only(check(out / "STATE-EGY-fr-annotated.xlsx"))
    assert corrected.reading.respondent.id == "STATE-EGY"
    assert "sheet-added" not in [i.code for i in corrected.issues]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_issues_table_for_follow_up(returns: Path, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"issues{suffix}"
    code, _ = run("validate", str(returns), "--issues", str(target))
    assert code == 1
    if suffix == ".csv":
        rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    else:
        sheet = load_workbook(target).active
        assert sheet is not None
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
        assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value)
    assert {row["code"] for row in rows} >= {"not-in-list", "not-a-workbook",
                                             "whitespace-trimmed"}
    overlap = next(row for row in rows if row["code"] == "not-in-list")
    assert overlap["message_respondent"].startswith("« Peut-être » ne fait pas partie")
    assert overlap["respondent_id"] == "STATE-EGY" and overlap["cell"] == "C22"
    trimmed = next(row for row in rows if row["code"] == "whitespace-trimmed")
    # it starts with a space, not a formula sign: kept exactly as typed
    assert trimmed["value"] == "  =cmd|' /C calc'!A0  "


def test_csv_never_hands_a_formula_to_a_spreadsheet(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    make_return(folder, "igo", answers={"overall_relevance": '=HYPERLINK("http://x","y")'})
    make_return(folder, "igo", name="second.xlsx", answers={"overall_relevance": "@SUM(1)",
                                                            "respondent_position": "-" * 300})
    target = tmp_path / "issues.csv"
    run("validate", str(folder), "--issues", str(target))
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    for row in rows:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in row), row
    values = {row[13] for row in rows[1:]}
    assert {"'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1)"} <= values


@pytest.mark.parametrize(
    "args",
    [["validate"], ["validate", "does-not-exist.xlsx"],
     ["validate", ".", "--issues", "issues.txt"]],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, output = run(*args)
    assert code == 2, output


@pytest.mark.libreoffice
def test_a_return_saved_by_libreoffice_is_valid(tmp_path: Path) -> None:
    original = make_return(tmp_path / "filled", "iscm", "es")
    resaved = convert(original, tmp_path / "libreoffice", "xlsx")
    item = only(check(resaved))
    assert item.status == "valid", [SURVEY.messages.as_dict(i) for i in item.issues]
    assert item.reading.answers == only(check(original)).reading.answers


def test_the_terminal_says_an_empty_row_once_and_json_keeps_every_cell(tmp_path: Path) -> None:
    make_return(tmp_path / "r", "state", tables={"memberships": [{"iscm": "khartoum"},
                                                                 {"iscm": None}]})
    code, output = run("validate", str(tmp_path / "r"))
    assert code == 1
    lines = [line for line in output.splitlines() if "(missing-cell)" in line]
    assert len(lines) == 1
    assert "And 9 more in this row: F4, G4, H4, I4, J4, K4, L4, M4, N4." in lines[0]
    _, output = run("validate", str(tmp_path / "r"), "--json")
    issues = json.loads(output)["returns"][0]["issues"]
    assert sum(1 for issue in issues if issue["code"] == "missing-cell") == 10


IMPORTED_AFTER_VALIDATE = """
import sys
from workbook_tools.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit:
    pass
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def modules_after(*args: str) -> set[str]:
    """The top-level modules a fresh process holds after running the command."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", IMPORTED_AFTER_VALIDATE, *args],
                          capture_output=True, text=True, check=True)
    return set(done.stdout.split("\n")[-2].split())


def test_validate_imports_openpyxl_only_to_annotate(returns: Path, tmp_path: Path) -> None:
    """openpyxl (a third of a second, 29 MB) is for annotated copies; reading never needs it."""
    plain = modules_after("validate", str(returns), "--json")
    assert "workbook_tools" in plain and "pandera" in plain  # the command did run and check
    assert not plain & {"openpyxl", "xlsxwriter", "docx"}
    assert "hypothesis" not in plain  # pandera's data synthesis, installed for the tests
    annotating = modules_after("validate", str(returns), "--annotate", str(tmp_path / "out"))
    assert "openpyxl" in annotating
