"""The package's layout is its architecture: each stage imports only the stages before it."""

from __future__ import annotations

import ast
from pathlib import Path

import workbook_tools

PACKAGE = Path(workbook_tools.__file__).parent
# stage -> the stages (and top-level modules) it may import
ALLOWED = {
    "model": {"model", "errors"},
    "form": {"model", "form", "errors"},
    "send": {"model", "form", "send", "files", "textfit", "errors", "__init__"},
    "read": {"model", "form", "read", "errors"},
    "check": {"model", "form", "read", "check", "files", "textfit", "errors", "send"},
    "outputs": {"model", "form", "read", "check", "outputs", "files", "textfit", "errors",
                "send"},
    "round": {"model", "form", "read", "check", "outputs", "files", "errors", "send", "round",
              "__init__"},
}


def _imports(path: Path) -> set[str]:
    """The workbook_tools stages a module imports, anywhere in it (lazy imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] if node.module != "workbook_tools" else [
                f"workbook_tools.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "workbook_tools" and len(parts) > 1:
                found.add(parts[1] if parts[1] != "__version__" else "__init__")
    return found


def test_each_stage_imports_only_what_its_docstring_allows() -> None:
    wrong = []
    for stage, allowed in ALLOWED.items():
        for path in sorted((PACKAGE / stage).rglob("*.py")):  # subpackages too
            for imported in sorted(_imports(path) - allowed):
                wrong.append(f"{path.relative_to(PACKAGE)} imports {imported}")
    assert wrong == []


def test_the_read_path_loads_no_spreadsheet_library() -> None:
    for stage in ("model", "form", "read"):
        for path in (PACKAGE / stage).glob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            top_level = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
            modules = {(n.module or "") if isinstance(n, ast.ImportFrom) else n.names[0].name
                       for n in top_level}
            assert not {m.split(".")[0] for m in modules} & {"openpyxl", "xlsxwriter", "pandas",
                                                              "pandera"}, path


def test_no_python_module_names_a_question_id() -> None:
    """Outputs find questions by role: no literal question id of the bundled definitions
    appears as a string in the package's Python."""
    from workbook_tools.model.survey import load_survey

    survey = load_survey()
    ids = {f.id for q in survey.questionnaires.values() for f in q.fields()}
    ids |= {t.id for q in survey.questionnaires.values() for t in q.tables()}
    # ids that are also words of the code: role names, the columns of the tables the tool
    # writes (the Data sheet's respondent_name), XML attributes (a sheet's state), survey.yaml
    # and summary texts (organization)
    from workbook_tools.model.questionnaire import ROLES

    ids -= set(ROLES) | {"iscm", "state", "organization", "role", "status", "value", "since",
                         "year", "change", "example", "igo", "respondent_name"}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    node.value in ids):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}")
    assert found == []


# calls whose first argument is a problem's code, or a word of the catalogue ("add": the
# reader's builder, result.add(code, ...); no set in the package is given a string constant)
CODE_TAKERS = {"issue", "Rejected", "Note", "rejection", "_frame_check", "add"}
WORD_TAKERS = {"Word", "word", "phrase"}


def test_every_code_and_word_the_package_reports_is_in_its_lists() -> None:
    """A code reported in Python but missing from model/codes.py would pass the catalogue's
    check and then fail at run time with a KeyError; the lists must name every one."""
    from workbook_tools.model.codes import PROBLEM_CODES, WORDS

    unknown = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else (
                node.func.id if isinstance(node.func, ast.Name) else "")
            known = PROBLEM_CODES if name in CODE_TAKERS else WORDS if name in WORD_TAKERS \
                else None
            if known is not None and node.args[0].value not in known:
                unknown.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}"
                               f"({node.args[0].value!r})")
    assert unknown == []
