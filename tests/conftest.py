from __future__ import annotations

import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

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


HANG_SECONDS = 60  # far beyond anything a test here does: reached only by a real hang


class Hung(BaseException):
    """Raised in a test that hangs (a BaseException: no `except Exception` swallows it)."""


@pytest.fixture()
def hang_guard() -> Iterator[None]:
    """Fail the test if it hangs, instead of hanging the suite. It measures no speed: a test
    that finishes, however slowly, passes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def hung(signum: int, frame: FrameType | None) -> None:
        raise Hung(f"no answer after {HANG_SECONDS} s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
