"""Editing the definitions either works end to end (template, validate, consolidate, summarize)
or is refused by `workbook-tools questionnaires` with a message that names the file to fix;
and --definitions is honoured by every command, messages and draft sentences included."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from workbook_tools.check.validate import validate_paths
from workbook_tools.cli import cli
from workbook_tools.demo.synthetic import merge, plausible_answers
from workbook_tools.errors import DefinitionError
from workbook_tools.model.resources import data_dir
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey, load_survey
from workbook_tools.outputs.consolidate import select_returns
from workbook_tools.outputs.drafts import write_summaries
from workbook_tools.outputs.master import write_master
from workbook_tools.send.fill import fill_workbook
from workbook_tools.send.write import write_personalized

KHARTOUM = Respondent("ISCM-KHARTOUM", "iscm", "khartoum", "Khartoum Process", "en")
EGYPT = Respondent("STATE-EGY", "state", "EGY", "Egypt", "en", "", ("khartoum",))
UNHCR = Respondent("IGO-UNHCR", "igo", "unhcr", "UNHCR", "en", "", ("khartoum",))


@pytest.fixture()
def definitions(tmp_path: Path) -> Path:
    target = tmp_path / "definitions"
    shutil.copytree(data_dir("templates"), target)
    return target


def edit(path: Path, change: Any) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def questions(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for section in raw["sections"] for q in section["questions"]]


def run_round(survey: Survey, folder: Path, answers: dict[str, dict[str, object]] | None = None
              ) -> tuple[Path, Path]:
    """Send three questionnaires, fill them as respondents would, check, consolidate and draft:
    the master and the English draft of the Khartoum Process."""
    sent = write_personalized(survey, [KHARTOUM, EGYPT, UNHCR], folder / "sent")
    for item in sent:
        who = item.respondent
        assert who is not None
        questionnaire = survey.current(who.kind)
        filled = plausible_answers(questionnaire, questionnaire.reference, survey, who, who.lang)
        filled = merge(filled, (answers or {}).get(who.kind))
        fill_workbook(item.path, folder / "returns" / item.path.name, survey, filled.answers,
                      filled.tables)
    report = validate_paths([folder / "returns"], survey)
    assert report.summary == {"valid": 3, "invalid": 0, "rejected": 0}, [
        (r.path.name, [i.code for i in r.issues]) for r in report.returns]
    selection = select_returns(report, survey)
    master = folder / "master.xlsx"
    write_master(master, report, selection, survey)
    drafts = write_summaries(folder / "drafts", selection, survey, "en")
    (khartoum,) = [path for path in drafts.files if path.name.startswith("Khartoum")]
    return master, khartoum


def texts_of_sheet(path: Path, sheet: str) -> str:
    workbook = load_workbook(path, read_only=True)
    found = " ".join(str(v) for row in workbook[sheet].iter_rows(values_only=True) for v in row
                     if v is not None)
    workbook.close()
    return found


def draft_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def check_command(definitions: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--definitions", str(definitions), "questionnaires"])
    return result.exit_code, result.output


# --- adding a section ----------------------------------------------------------------------


def test_a_new_section_works_end_to_end(definitions: Path, tmp_path: Path) -> None:
    """A sixth section in a version 3 of the ISCM questionnaire: written, read, consolidated
    and drafted (generically: summary.yaml does not know it), with no change in Python."""
    version_3 = definitions / "iscm-3.yaml"
    shutil.copy(definitions / "iscm-2.yaml", version_3)

    def add_outlook(raw: dict[str, Any]) -> None:
        raw["version"] = 3
        raw["migration"] = {"from_version": 2}  # every answer of version 2 keeps its id
        raw["sections"].append({
            "id": "outlook",
            "sheet": {"en": "6 Outlook", "fr": "6 Perspectives", "es": "6 Perspectivas"},
            "title": {"en": "6. Outlook", "fr": "6. Perspectives", "es": "6. Perspectivas"},
            "questions": [{
                "id": "next_priorities", "type": "long_text", "required": True,
                "max_length": 2000,
                "label": {"en": "Which themes will the ISCM take up next?",
                          "fr": "Quels thèmes le MCIM abordera-t-il ensuite ?",
                          "es": "¿Qué temas abordará el MCIM a continuación?"}}]})

    edit(version_3, add_outlook)
    code, output = check_command(definitions)
    assert code == 0, output
    assert "iscm v3: 7 sections" in output
    survey = load_survey(definitions)
    master, draft = run_round(survey, tmp_path / "round", {
        "iscm": {"next_priorities": "Labour mobility and climate change."}})
    assert "6. Outlook" in texts_of_sheet(master, "Khartoum Process")
    assert "Labour mobility and climate change." in texts_of_sheet(master, "Khartoum Process")
    text = draft_text(draft)
    assert "6. Outlook" in text
    assert "Which themes will the ISCM take up next? “Labour mobility and climate change.”" in text


# --- renaming a question -------------------------------------------------------------------


def test_renaming_a_question_the_drafts_use_is_refused_with_the_file_to_fix(
        definitions: Path) -> None:
    def rename(raw: dict[str, Any]) -> None:
        for question in questions(raw):
            if question["id"] == "guiding_document":
                question["id"] = "founding_document"

    edit(definitions / "iscm-2.yaml", rename)
    code, output = check_command(definitions)
    assert code == 1
    assert "summary.yaml, section 'programming'" in output
    assert "has no question 'guiding_document'" in output
    # and the answers of version 1 returns need to know where they go
    assert "iscm-2.yaml, migration, guiding_document: iscm-2.yaml has no question " in output
    assert "Traceback" not in output and "internal error" not in output


def test_renaming_a_question_works_end_to_end_once_the_drafts_follow(
        definitions: Path, tmp_path: Path) -> None:
    def rename(raw: dict[str, Any]) -> None:
        for question in questions(raw):
            if question["id"] == "guiding_document":
                question["id"] = "founding_document"
            relevant = question.get("relevant") or {}
            if relevant.get("question") == "guiding_document":
                relevant["question"] = "founding_document"
        raw["migration"].setdefault("rename", {})["guiding_document"] = "founding_document"

    edit(definitions / "iscm-2.yaml", rename)
    summary = definitions / "summary.yaml"
    summary.write_text(summary.read_text(encoding="utf-8").replace(
        "document: guiding_document", "document: founding_document"), encoding="utf-8")
    assert check_command(definitions)[0] == 0
    survey = load_survey(definitions)
    _, draft = run_round(survey, tmp_path / "round", {
        "iscm": {"founding_document": "Rome Declaration"}})
    assert "is entitled “Rome Declaration”" in draft_text(draft)


# --- dropping an optional question ---------------------------------------------------------


def test_dropping_an_optional_question_the_drafts_use_is_refused(definitions: Path) -> None:
    def drop(raw: dict[str, Any]) -> None:
        for section in raw["sections"]:
            section["questions"] = [q for q in section["questions"]
                                    if q["id"] != "contribution_global"]

    edit(definitions / "iscm-2.yaml", drop)
    code, output = check_command(definitions)
    assert code == 1
    assert re.search(r"summary\.yaml, section 'contribution', paragraph \d+, sentence 1 "
                     r"\(global\).*has no question 'contribution_global'", output)


def test_dropping_an_optional_question_nothing_else_uses_works_end_to_end(
        definitions: Path, tmp_path: Path) -> None:
    def drop(raw: dict[str, Any]) -> None:
        for section in raw["sections"]:
            section["questions"] = [q for q in section["questions"] if q["id"] != "synergies"]
        raw["migration"]["dropped"] = ["synergies"]  # version 1's answers to it: not carried

    edit(definitions / "igo-2.yaml", drop)
    assert check_command(definitions)[0] == 0
    survey = load_survey(definitions)
    assert all(f.id != "synergies" for f in survey.current("igo").fields())
    run_round(survey, tmp_path / "round")


def test_a_role_an_output_needs_cannot_be_dropped(definitions: Path) -> None:
    def drop_role(raw: dict[str, Any]) -> None:
        for question in questions(raw):
            question.pop("role", None)

    edit(definitions / "state-1.yaml", drop_role)
    with pytest.raises(DefinitionError) as caught:
        load_survey(definitions)
    message = str(caught.value)
    assert "state-1.yaml, top: no question has the role completion_date" in message
    assert "state-1.yaml, top: no table has the role about_iscms" in message


# --- every command reads the definitions given ---------------------------------------------


def test_every_command_honours_the_definitions_folder(definitions: Path,
                                                      tmp_path: Path) -> None:
    messages = definitions / "messages.yaml"
    messages.write_text(messages.read_text(encoding="utf-8").replace(
        "is not one of the choices", "is not among the offered answers"), encoding="utf-8")
    sentences = definitions / "summary-en.ftl"
    sentences.write_text(sentences.read_text(encoding="utf-8").replace(
        "mandate = The original mandate { $of_name } covered { $areas }.",
        "mandate = At its founding, { $name } worked on { $areas }."), encoding="utf-8")
    settings = definitions / "survey.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "en: Instructions\n", "en: Read me first\n"), encoding="utf-8")
    options = ["--definitions", str(definitions)]
    runner = CliRunner()

    assert "is not among the offered answers" in runner.invoke(
        cli, [*options, "codes"]).output
    sent = tmp_path / "sent"
    result = runner.invoke(cli, [*options, "template", "--kind", "iscm", "--lang", "en",
                                 "--out", str(sent)])
    assert result.exit_code == 0, result.output
    assert load_workbook(sent / "iscm-v2-en.xlsx", read_only=True).sheetnames[0] == (
        "Read me first")

    survey = load_survey(definitions)
    returns = tmp_path / "returns"
    (template,) = write_personalized(survey, [KHARTOUM], tmp_path / "personal")
    filled = plausible_answers(survey.current("iscm"), survey.current("iscm").reference, survey,
                               KHARTOUM, "en")
    fill_workbook(template.path, returns / "good.xlsx", survey, filled.answers, filled.tables)
    bad = merge(filled, {"funding_stability": "Every now and then"})
    fill_workbook(template.path, returns / "bad" / "bad.xlsx", survey, bad.answers, bad.tables)
    result = runner.invoke(cli, [*options, "validate", str(returns / "bad")])
    assert result.exit_code == 1
    assert '"Every now and then" is not among the offered answers' in result.output

    drafts = tmp_path / "drafts"
    result = runner.invoke(cli, [*options, "summarize", str(returns / "good.xlsx"),
                                 "--out", str(drafts)])
    assert result.exit_code == 0, result.output
    assert "At its founding, the Khartoum Process worked on" in draft_text(
        drafts / "Khartoum-Process-en.docx")
    result = runner.invoke(cli, [*options, "consolidate", str(returns / "good.xlsx"), "--out",
                                 str(tmp_path / "master.xlsx")])
    assert result.exit_code == 0, result.output


def test_a_broken_sentence_file_is_refused_with_its_line(definitions: Path) -> None:
    sentences = definitions / "summary-fr.ftl"
    sentences.write_text(sentences.read_text(encoding="utf-8").replace(
        "mandate = Le mandat initial { $of_name }", "mandate = Le mandat initial { $of_name"),
        encoding="utf-8")
    code, output = check_command(definitions)
    assert code == 1
    assert re.search(r"summary-fr\.ftl, line \d+: not valid Fluent", output)


def test_a_sentence_using_a_variable_nobody_gives_is_refused(definitions: Path) -> None:
    sentences = definitions / "summary-es.ftl"
    sentences.write_text(sentences.read_text(encoding="utf-8").replace(
        "{ $areas }.", "{ $themes }.", 1), encoding="utf-8")
    code, output = check_command(definitions)
    assert code == 1
    assert "summary-es.ftl, message 'mandate': uses $themes" in output


def test_a_problem_or_word_dropped_from_the_catalogue_is_refused_by_name(
        definitions: Path) -> None:
    messages = definitions / "messages.yaml"
    text = messages.read_text(encoding="utf-8")
    text = re.sub(r"\nempty-file:\n(  .*\n)+", "\n", text, count=1)
    text = re.sub(r"\n  part-sheet: .*\n", "\n", text, count=1)
    messages.write_text(text.replace("\nencrypted:", "\nencripted:"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--definitions", str(definitions), "questionnaires"])
    assert result.exit_code == 1
    for refusal in ("messages.yaml, empty-file: missing; workbook-tools reports this problem",
                    "messages.yaml, encrypted: missing",
                    "messages.yaml, encripted: no part of workbook-tools reports this problem",
                    "messages.yaml, words.part-sheet: missing; messages use this word"):
        assert refusal in result.output
