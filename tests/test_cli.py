"""The command line: every command documented, usage errors exit 2, results checked through the
library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from workbook_tools import __version__
from workbook_tools.cli import cli
from workbook_tools.form.identity import identity_of_workbook


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_every_command_has_help() -> None:
    code, output = run("--help")
    assert code == 0
    commands = [line.split()[0] for line in output.split("Commands:")[1].strip().splitlines()]
    assert "template" in commands
    for command in commands:
        code, text = run(command, "--help")
        assert code == 0 and "Usage:" in text and len(text) > 100, command


def test_version() -> None:
    assert run("--version") == (0, f"workbook-tools, version {__version__}\n")


def test_template_writes_blank_questionnaires(tmp_path: Path) -> None:
    code, output = run("template", "--kind", "igo", "--kind", "state", "--lang", "es",
                       "--out", str(tmp_path))
    assert code == 0, output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["igo-v2-es.xlsx", "state-v2-es.xlsx"]
    assert "2 workbook(s)" in output
    identity = identity_of_workbook(load_workbook(tmp_path / "state-v2-es.xlsx"))
    assert identity is not None and (identity.questionnaire, identity.lang) == ("state", "es")


def test_template_writes_one_workbook_per_sample_respondent(tmp_path: Path) -> None:
    code, output = run("template", "--roster", "sample", "--out", str(tmp_path))
    assert code == 0, output
    files = sorted(tmp_path.glob("*.xlsx"))
    assert len(files) == 71
    assert "71 workbook(s)" in output and "(3 igo, 22 iscm, 46 state)" in output
    identity = identity_of_workbook(load_workbook(tmp_path / "STATE-SEN.xlsx"))
    assert identity is not None
    assert (identity.questionnaire, identity.lang, identity.respondent_code) == (
        "state", "fr", "SEN")


def test_template_only_some_respondents(tmp_path: Path) -> None:
    code, output = run("template", "--roster", "sample", "--only", "ISCM-KHARTOUM",
                       "--out", str(tmp_path))
    assert code == 0, output
    assert [p.name for p in tmp_path.iterdir()] == ["ISCM-KHARTOUM.xlsx"]
    code, output = run("template", "--roster", "sample", "--only", "NOBODY",
                       "--out", str(tmp_path))
    assert code == 1 and "NOBODY not in the roster" in output


@pytest.mark.parametrize(
    "args",
    [
        ["template", "--out", "x"],
        ["template", "--kind", "iscm", "--roster", "sample", "--out", "x"],
        ["template", "--roster", "sample", "--lang", "fr", "--out", "x"],
        ["template", "--kind", "ngo", "--out", "x"],
        ["template", "--kind", "iscm", "--lang", "de", "--out", "x"],
        ["template", "--kind", "iscm"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, output = run(*args)
    assert code == 2, output
    assert "Usage:" in output


def test_a_broken_roster_exits_1_with_its_problems(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("respondent_id,kind,code,lang\nS1,state,ZZZ,en\n", encoding="utf-8")
    code, output = run("template", "--roster", str(roster), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "roster.csv, line 2: code 'ZZZ' is not a known state" in output
    assert "Traceback" not in output


def test_python_dash_m_runs_the_tool() -> None:
    completed = subprocess.run([sys.executable, "-m", "workbook_tools", "--version"],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0
    assert completed.stdout.strip() == f"workbook-tools, version {__version__}"
