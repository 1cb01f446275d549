"""`pip install .` gives a tool that runs from any folder, with its data inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    build = tmp_path_factory.mktemp("build")
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(ROOT)],
        capture_output=True, text=True, check=False, cwd=build,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    assert completed.returncode == 0, completed.stderr
    return target


def test_installed_package_carries_definitions_lists_and_sample(installed: Path) -> None:
    package = installed / "workbook_tools"
    for relative in ("templates/iscm-1.yaml", "templates/state-1.yaml", "templates/igo-1.yaml",
                     "templates/survey.yaml", "schemas/choices.yaml", "schemas/iscms.yaml",
                     "schemas/igos.yaml", "schemas/states.yaml", "schemas/frozen-v1.yaml",
                     "sample/roster.csv"):
        assert (package / relative).is_file(), relative


def test_installed_tool_runs_from_another_folder(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    script = ("import workbook_tools.cli as c, workbook_tools.model.resources as r; "
              "print(c.__file__); print(r.data_dir('templates'))")
    where = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, cwd=tmp_path, check=True).stdout.split()
    assert all(path.startswith(str(installed)) for path in where), where
    completed = subprocess.run(
        [sys.executable, "-m", "workbook_tools", "template", "--roster", "sample",
         "--only", "STATE-EGY", "--out", "out"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "out" / "STATE-EGY.xlsx").is_file()
