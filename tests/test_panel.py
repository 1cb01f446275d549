"""The Check panel of a questionnaire, computed by a real LibreOffice: returns are filled as
respondents would, recalculated headless (converted to xlsx, which computes every formula the
file holds without a value), and the panel's results read back, and compared with what the
validator says of the same files.

One LibreOffice run converts every file of the module (a few seconds in all)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.libreoffice import require_libreoffice
from tests.returns_kit import SAMPLE, SURVEY, make_return
from workbook_tools.check.validate import ReturnReport, validate_paths
from workbook_tools.demo.run import answers_for
from workbook_tools.form.checks import TO_ANSWER, Panel, Rule, panel_for
from workbook_tools.form.layout import CHECKS_SHEET, STATUS_CELL
from workbook_tools.model.roster import Respondent, read_roster, sample_roster_path
from workbook_tools.send.fill import fill_workbook
from workbook_tools.send.panel import DONE, FIRST_LINE, STATE_COLUMN, TO_DO, TO_FIX
from workbook_tools.send.write import write_blank_templates, write_personalized

BLANKS = [("iscm", "en"), ("state", "fr")]
# returns breaking each kind of rule a formula decides, each at another question:
# (kind, lang, make_return arguments)
BROKEN = {
    "broken iscm en": ("iscm", "en", {
        "fixed": {"has_strategy": "no"},
        "answers": {
            "strategy_period": "2020-2024",  # does not apply
            "work_plan": {"annual": "maybe", "chairmanship": "Yes"},  # not a tick
            "original_mandate": ["trafficking", "smuggling", "data", "diaspora",
                                 "border_management", "labour_migration"],  # 6 of at most 5
            "year_established": 1970, "guiding_document_year": "about 2000",
            "member_states_count": "forty", "guiding_document": "x" * 300,
            "completion_date": dt.date(2020, 1, 1), "respondent_email": "secretariat@example",
        },
        "tables": {"partner_igos": [
            {"igo": "iom", "role": "other"},  # the role to specify is missing
            {"igo": "unhcr", "role": "funding", "role_other": "Chair"},  # does not apply
        ]}}),
    "broken iscm fr": ("iscm", "fr", {
        "fixed": {"has_strategy": "yes", "year_established": 2010},
        "answers": {"strategy_period": None},  # required, since it applies
        "tables": {"membership_changes": [
            {"state": "LBY", "change": "joined", "year": 2015},
            {"state": "NOR"},  # incomplete
            {"state": "LBY", "change": "joined"},  # given twice
            {"state": "Atlantide", "change": "joined", "year": 1900},  # not a State, too early
            {"state": "MLI", "change": "joined", "year": 2005},  # before it was established
        ]}}),
}
# what honest respondents do and the validator accepts (with warnings): still ready to send
LENIENT = ("iscm", "fr", {"answers": {
    "work_plan": {"annual": "x", "chairmanship": True, "other": "non"}, "work_plan_other": None,
    "has_strategy": "NO", "strategy_period": None, "completion_date": "2026-12-01",
    "member_states_count": "12", "respondent_email": "  a.b@c.org "}})


@dataclass(frozen=True)
class Recalculated:
    """One file as sent to LibreOffice, and what LibreOffice computed for its panel."""

    original: Path
    values: dict[str, dict[str, object]]  # sheet -> cell -> value computed by LibreOffice
    report: ReturnReport
    panel: Panel

    def helper(self, reference: str) -> object:
        return self.values[CHECKS_SHEET].get(reference.replace("$", ""))

    @property
    def overall(self) -> object:
        return self.helper(self.panel.overall)

    def broken(self) -> list[Rule]:
        return [rule for rule in self.panel.rules if self.helper(rule.cell)]

    def status(self, item_id: str) -> str:
        return str(self.helper(self.panel.question(item_id).status))

    def errors(self) -> set[tuple[str, str]]:
        return {(i.question, i.code) for i in self.report.issues if i.severity == "error"}


def _demo_mistakes(folder: Path) -> dict[str, Path]:
    roster = {r.id: r for r in read_roster(sample_roster_path(), SURVEY)}
    files = {}
    for respondent_id in SAMPLE.mistakes:
        who: Respondent = roster[respondent_id]
        template = write_personalized(SURVEY, [who], folder / ".templates")[0].path
        filled = answers_for(who, SURVEY, SAMPLE, list(roster.values()))
        files[f"demo {respondent_id}"] = folder / f"{respondent_id}.xlsx"
        fill_workbook(template, files[f"demo {respondent_id}"], SURVEY, filled.answers,
                      filled.tables)
    return files


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Recalculated]:
    binary = require_libreoffice()
    folder = tmp_path_factory.mktemp("panel")
    files: dict[str, Path] = {}
    for kind, lang in BLANKS:
        files[f"blank {kind} {lang}"] = write_blank_templates(SURVEY, [kind], [lang],
                                                              folder)[0].path
    roster = {r.id: r for r in read_roster(sample_roster_path(), SURVEY)}
    sent = write_personalized(SURVEY, [roster["STATE-MEX"]], folder / "sent")[0].path
    files["personalized STATE-MEX"] = sent.replace(folder / f"personalized-{sent.name}")
    for kind, lang in (("igo", "es"),):  # an ISCM's valid return: "lenient"
        files[f"valid {kind} {lang}"] = make_return(folder, kind, lang,
                                                    name=f"valid-{kind}-{lang}.xlsx")
    kind, lang, arguments = LENIENT
    files["lenient"] = make_return(folder, kind, lang, name="lenient.xlsx", **arguments)
    for name, (kind, lang, arguments) in BROKEN.items():
        files[name] = make_return(folder, kind, lang, name=f"{name}.xlsx", **arguments)
    files.update(_demo_mistakes(folder))
    out = folder / "recalculated"
    completed = subprocess.run(
        [binary, f"-env:UserInstallation=file://{folder / '.lo-profile'}", "--headless",
         "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
         *map(str, files.values())],
        capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr
    found = {}
    for name, path in files.items():
        report = validate_paths([path], SURVEY).returns[0]
        identity = report.reading.identity
        assert identity is not None
        questionnaire = SURVEY.get(identity.questionnaire, identity.version)
        assert questionnaire is not None
        workbook = load_workbook(out / path.name, data_only=True)
        values = {sheet.title: {cell.coordinate: cell.value for row in sheet.iter_rows()
                                for cell in row if cell.value is not None}
                  for sheet in workbook.worksheets}
        found[name] = Recalculated(path, values, report,
                                   panel_for(questionnaire, identity.lang, SURVEY))
    return found


# what leaves a question to answer (or a table's rows to complete), not an error to correct
TO_ANSWER_CODES = {"missing-answer", "missing-conditional-answer", "missing-cell"}


def left_to_do(result: Recalculated) -> str:
    """The Check sheet's first line for a return, from the validator's errors: the questions
    still to answer or complete, then the errors to correct."""
    errors = result.errors()
    to_answer = len({question for question, code in errors if code in TO_ANSWER_CODES})
    to_correct = len([code for _, code in errors if code not in TO_ANSWER_CODES])
    lang = result.panel.lang
    parts = []
    if to_answer:
        parts.append(SURVEY.settings.text(
            "check_left_to_answer_one" if to_answer == 1 else "check_left_to_answer_many",
            lang, count=to_answer))
    if to_correct:
        parts.append(SURVEY.settings.text(
            "check_left_to_correct_one" if to_correct == 1 else "check_left_to_correct_many",
            lang, count=to_correct))
    return " · ".join(parts) or result.panel.ready_text


def text(expression: str) -> str:
    """The text a rule's message shows for a wrong answer (not an error value): its last text
    constant."""
    last = re.findall(r'"((?:[^"]|"")*)"', expression)[-1]
    return last.replace('""', '"')


def _agree(result: Recalculated) -> None:
    """Every problem the panel names, the validator reports at the same question, and every
    error of the validator that a formula decides, the panel names."""
    broken = result.broken()
    decided = {code for rule in result.panel.rules for code in rule.codes}
    for rule in broken:
        assert any(question == rule.item_id and code in rule.codes
                   for question, code in result.errors()), (
            result.panel.labels[rule.cell.replace("$", "")], result.errors())
    for question, code in result.errors():
        if code in decided:
            assert any(rule.item_id == question and code in rule.codes for rule in broken), (
                question, code, [(r.item_id, sorted(r.codes)) for r in broken])


@pytest.mark.libreoffice
def test_a_blank_questionnaire_lists_every_required_question(
        recalculated: dict[str, Recalculated]) -> None:
    for kind, lang in BLANKS:
        result = recalculated[f"blank {kind} {lang}"]
        required = {question for question, code in result.errors()}
        assert {code for _, code in result.errors()} <= {"missing-answer", "too-few-rows"}
        to_answer = {q.item_id for section in result.panel.sections for q in section.questions
                     if result.helper(q.state) == TO_ANSWER}
        assert to_answer == required
        assert result.overall == SURVEY.settings.text("check_left_to_answer_many", lang,
                                                      count=len(required))
        check = result.values[result.panel.check_sheet]
        assert result.overall in check.values()  # the Check sheet shows it
        assert check[f"{STATE_COLUMN}{FIRST_LINE}"] == TO_DO  # neutral: work to do, no error
        for section in result.panel.sections:
            numbers = [q.number for q in section.questions if q.item_id in required]
            summary = str(result.helper(section.summary))
            assert summary == SURVEY.settings.text(
                "check_to_answer", lang, count=len(numbers), numbers=", ".join(numbers))
            assert result.values[section.sheet][STATUS_CELL] == summary
            for question in section.questions:
                if question.item_id in required:
                    assert result.helper(question.status) == SURVEY.settings.text(
                        "check_missing", lang)


@pytest.mark.libreoffice
def test_a_valid_return_reads_ready_to_send(recalculated: dict[str, Recalculated]) -> None:
    names = [name for name in recalculated if name.startswith("valid") or name == "lenient"]
    names.append("demo STATE-JAM")  # a date typed as text the validator reads: a warning
    for name in names:
        result = recalculated[name]
        assert result.report.status == "valid", (name, result.errors())
        assert result.overall == result.panel.ready_text, (name, [
            (rule.item_id, sorted(rule.codes)) for rule in result.broken()])
        assert result.values[result.panel.check_sheet][f"{STATE_COLUMN}{FIRST_LINE}"] == DONE
        for section in result.panel.sections:
            assert result.values[section.sheet][STATUS_CELL] == section.done_text


@pytest.mark.libreoffice
def test_each_planted_mistake_of_the_demo_is_named_at_its_question(
        recalculated: dict[str, Recalculated]) -> None:
    invalid = [name for name in recalculated
               if name.startswith("demo") and recalculated[name].report.status == "invalid"]
    assert len(invalid) == 3
    for name in invalid:
        result = recalculated[name]
        _agree(result)
        shown = set(result.values[result.panel.check_sheet].values())
        for rule in result.broken():
            status = result.status(rule.item_id)
            assert text(rule.message) in status  # in the workbook's language
            assert status in shown
        assert result.overall == left_to_do(result)


@pytest.mark.libreoffice
def test_the_panel_and_the_validator_agree_on_every_rule(
        recalculated: dict[str, Recalculated]) -> None:
    for name in BROKEN:
        result = recalculated[name]
        assert result.report.status == "invalid"
        assert result.broken(), name
        _agree(result)
        assert result.values[result.panel.check_sheet][f"{STATE_COLUMN}{FIRST_LINE}"] == TO_FIX
    rows = recalculated["broken iscm fr"].status("membership_changes")
    assert "À compléter : « Changement » (lignes : 2)" in rows  # the incomplete row
    assert "(« État », lignes : 4)" in rows


@pytest.mark.libreoffice
def test_rows_iom_prefilled_are_to_complete_not_errors(
        recalculated: dict[str, Recalculated]) -> None:
    """A State's copy comes with its ISCMs pre-filled in the table: the rows wait for the
    respondent's answers, which is something to complete, not a mistake to correct."""
    result = recalculated["personalized STATE-MEX"]
    table = SURVEY.current("state").table_with_role("about_iscms")
    assert table is not None
    assert (table.id, "missing-cell") in result.errors()
    _agree(result)
    question = result.panel.question(table.id)
    assert result.helper(question.state) == TO_ANSWER
    assert result.helper(question.to_correct) == 0
    assert result.status(table.id) == "Por completar: «Condición», «Valor» (filas: 1, 2)"
    assert result.overall == left_to_do(result)
    assert str(result.overall).startswith("Quedan ")
    assert result.values[result.panel.check_sheet][f"{STATE_COLUMN}{FIRST_LINE}"] == TO_DO
    assert "corregir" not in str(result.overall) + "".join(
        str(result.helper(section.summary)) for section in result.panel.sections)


@pytest.mark.libreoffice
def test_returns_resaved_with_the_panels_values_validate_the_same(
        recalculated: dict[str, Recalculated], tmp_path: Path) -> None:
    for name, result in recalculated.items():
        resaved = result.original.parent / "recalculated" / result.original.name
        again = validate_paths([resaved], SURVEY).returns[0]
        assert again.status == result.report.status, name
        assert {(i.question, i.code) for i in again.issues if i.severity == "error"} == (
            result.errors()), name
        assert "outside-answer" not in {i.code for i in again.issues}
        assert "sheet-added" not in {i.code for i in again.issues}
