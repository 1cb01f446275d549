from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from workbook_tools.demo.run import DemoResult, run_demo
from workbook_tools.form.layout import Layout, layout_in
from workbook_tools.model.resources import data_dir
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey, load_survey
from workbook_tools.send.write import blank_file_name, write_blank_templates, write_personalized


@pytest.fixture(scope="session")
def survey() -> Survey:
    return load_survey()


@pytest.fixture(scope="session")
def blank_dir(tmp_path_factory: pytest.TempPathFactory,               survey: Survey) -> Path:
    out = tmp_path_factory.mktemp("blank")
    write_blank_templates(survey, ["iscm", "state", "igo"], ["en", "fr", "es"], out)
    return out


def open_blank(blank_dir: Path, kind: str, lang: str) -> Workbook:
    version = load_survey().current(kind).version
    return load_workbook(blank_dir / blank_file_name(kind, version, lang))


def layout_of(survey: Survey, kind: str, lang: str) -> Layout:
    return layout_in(survey.current(kind), lang, survey)


def personalized(tmp_path: Path, survey: Survey,
                 respondent: Respondent) -> Path:
    return write_personalized(survey, [respondent], tmp_path)[0].path


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoResult, list[str]]:
    """The whole demo job, run once for every test that looks at what it made, and what it
    said."""
    from tests.returns_kit import SURVEY

    lines: list[str] = []
    result = run_demo(tmp_path_factory.mktemp("demo") / "demo", SURVEY, lines.append)
    return result, lines


@pytest.fixture()
def definitions_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled definitions, for breaking on purpose."""
    target = tmp_path / "definitions"
    shutil.copytree(data_dir("templates"), target)
    return target


EGYPT = Respondent("STATE-EGY", "state", "EGY", "Egypt", "en", "focal@egypt.example",
                   ("khartoum", "rabat"))
KHARTOUM = Respondent("ISCM-KHARTOUM", "iscm", "khartoum", "Khartoum Process", "fr",
                      "secretariat@khartoum.example")
