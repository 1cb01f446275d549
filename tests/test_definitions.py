"""The questionnaires as data: the bundled ones are complete, broken ones are explained."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.returns_kit import SURVEY
from workbook_tools.cli import cli
from workbook_tools.errors import DefinitionError
from workbook_tools.model.languages import LANGS
from workbook_tools.model.questionnaire import Field, Table
from workbook_tools.model.reference import sheet_name_problem
from workbook_tools.model.survey import Survey, load_survey


def test_bundled_catalogue_has_the_three_questionnaires(survey: Survey) -> None:
    assert survey.ids() == ["igo", "iscm", "state"]
    for questionnaire_id in survey.ids():
        assert survey.current(questionnaire_id).version == 2
        assert survey.get(questionnaire_id, 1) is not None  # kept for late returns


def test_iscm_questionnaire_covers_the_five_sections_of_the_seed(survey: Survey) -> None:
    iscm = survey.current("iscm")
    assert [s.id for s in iscm.sections] == [
        "identification", "programming", "contribution", "structures", "partnerships",
        "added_value",
    ]
    question_ids = {item.id for _, item in iscm.items()}
    for expected in ("guiding_document", "has_strategy", "work_plan", "work_plan_monitoring",
                     "current_priorities", "secretariat_managed_by", "funding_stability",
                     "membership_changes", "partner_iscms", "partner_igos", "member_value"):
        assert expected in question_ids


def test_every_text_is_given_in_every_language(survey: Survey) -> None:
    for questionnaire in survey.questionnaires.values():
        for section, item in questionnaire.items():
            assert set(section.title) == set(LANGS) == set(section.sheet)
            assert set(item.label) == set(LANGS)
            texts = [item.label] + ([item.help] if item.help else [])
            if isinstance(item, Table):
                texts += [c.label for c in item.columns]
            for text in texts:
                assert all(text[lang].strip() for lang in LANGS)
                # a translation is not the English text copied over (proper nouns aside)
                if len(text["en"]) > 12:
                    assert text["fr"] != text["en"] and text["es"] != text["en"], text


def test_state_membership_table_has_a_rating_column_per_value_area(survey: Survey) -> None:
    table = survey.current("state").item("memberships")
    assert isinstance(table, Table)
    areas = SURVEY.reference["value_areas"].codes
    rating_columns = [c.id for c in table.columns if c.group == "value_areas"]
    assert rating_columns == [f"value_{code}" for code in areas]
    assert table.unique == ("iscm",)


def test_conditions_and_choice_lists_are_resolved(survey: Survey) -> None:
    iscm = survey.current("iscm")
    strategy_period = iscm.item("strategy_period")
    assert isinstance(strategy_period, Field) and strategy_period.relevant is not None
    assert strategy_period.relevant.question == "has_strategy"
    assert strategy_period.relevant.holds("yes") and not strategy_period.relevant.holds("no")
    priorities = iscm.item("current_priorities")
    assert isinstance(priorities, Field)
    assert priorities.codes == SURVEY.reference["thematic_areas"].codes
    assert iscm.number("has_strategy") == "1.4"


def test_iscm_short_names_are_valid_unique_sheet_names() -> None:
    reference = SURVEY.reference
    names = [iscm.short_name for iscm in reference.iscms]
    assert len(reference.iscms) == 31
    assert all(sheet_name_problem(name) is None for name in names)
    assert len({n.casefold() for n in names}) == len(names)


def _break(folder: Path, old: str, new: str, file: str = "iscm-1.yaml") -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("choices: work_plan_cycles", "choices: work_plan_cycle",
         "iscm-1.yaml, question 'work_plan': choice list 'work_plan_cycle' does not exist"),
        ('          fr: "Nom du point focal"', '          de: "Name"',
         "question 'focal_point_name': the label has no French text"),
        ("relevant: {question: has_strategy, equals: \"yes\"}",
         "relevant: {question: has_strategie, equals: \"yes\"}",
         "question 'strategy_period': relevant names the question 'has_strategie', which does "
         "not exist"),
        ("relevant: {question: has_strategy, equals: \"yes\"}",
         "relevant: {question: has_strategy, equals: \"maybe\"}",
         "relevant tests 'has_strategy' for 'maybe', which is not a code"),
        ("- id: respondent_position", "- id: respondent_name",
         "question 'respondent_name': the id is used 2 times"),
        ('en: "3 Structures"', 'en: "3 Structures of the ISCM and their members"',
         "the English sheet name: '3 Structures of the ISCM and their members' is 42 characters"),
        ("type: year\n        required: true\n        min: 1980",
         "type: yeer\n        required: true\n        min: 1980", "type 'yeer' is not one of"),
        ("max_length: 120", "max_length: 40000", "max_length must be from 1 to 32767"),
        ("id: iscm\nversion: 1", "id: iscm\nversion: 1\n  bad: [", "not valid YAML"),
    ],
)
def test_a_broken_definition_names_its_file_and_question(
    definitions_copy: Path, old: str, new: str, expected: str
) -> None:
    file = "state-1.yaml" if "point focal" in old else "iscm-1.yaml"
    _break(definitions_copy, old, new, file)
    with pytest.raises(DefinitionError) as caught:
        load_survey(definitions_copy)
    assert expected in str(caught.value)


def test_every_problem_is_reported_not_only_the_first(definitions_copy: Path) -> None:
    _break(definitions_copy, "choices: work_plan_cycles", "choices: nope")
    _break(definitions_copy, "choices: funding_stability", "choices: nope_either")
    with pytest.raises(DefinitionError) as caught:
        load_survey(definitions_copy)
    assert len(caught.value.problems) == 2


def test_cli_reports_a_broken_definition_without_traceback(definitions_copy: Path) -> None:
    _break(definitions_copy, "choices: work_plan_cycles", "choices: work_plan_cycle")
    result = CliRunner().invoke(
        cli, ["--definitions", str(definitions_copy), "template", "--kind", "iscm",
              "--out", str(definitions_copy / "out")]
    )
    assert result.exit_code == 1
    assert "work_plan_cycle' does not exist" in result.output
    assert "Traceback" not in result.output
    assert not (definitions_copy / "out").exists()


def test_questionnaires_command_lists_versions_and_fingerprints() -> None:
    result = CliRunner().invoke(cli, ["questionnaires"])
    assert result.exit_code == 0, result.output
    assert "iscm v1: 6 sections" in result.output
    assert "all definitions are valid" in result.output


def test_a_broken_survey_file_is_explained(definitions_copy: Path) -> None:
    path = definitions_copy / "survey.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  deadline: 2027-01-31\n", "  deadline: end of January\n"),
                    encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--definitions", str(definitions_copy), "template", "--kind", "igo",
              "--out", str(definitions_copy / "out")])
    assert result.exit_code == 1
    assert "survey.yaml, round: deadline must be a date written YYYY-MM-DD" in result.output


def test_the_check_sheet_needs_a_name_of_its_own_and_labels_it_can_look_up(
        definitions_copy: Path, tmp_path: Path) -> None:
    import shutil

    from workbook_tools.model.resources import data_dir

    survey_file = definitions_copy / "survey.yaml"
    survey_file.write_text(survey_file.read_text(encoding="utf-8").replace(
        "    fr: Vérification\n", "    fr: 1 Programmation\n"), encoding="utf-8")
    schemas = tmp_path / "schemas"
    shutil.copytree(data_dir("schemas"), schemas)
    choices = schemas / "choices.yaml"
    text = choices.read_text(encoding="utf-8")
    long_label = "Annual " + "very " * 60 + "long"
    assert "Annual" in text
    choices.write_text(text.replace("Annual", long_label, 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as raised:
        load_survey(definitions_copy, schemas)
    problems = "\n".join(raised.value.problems)
    assert "the English label is 321 characters long; at most 250" in problems
    with pytest.raises(DefinitionError) as raised:
        load_survey(definitions_copy)
    assert [p for p in raised.value.problems if "iscm-1.yaml" in p] == [
        "survey.yaml, text 'check_sheet' (fr): the sheet name '1 Programmation' is also a "
        "sheet of iscm-1.yaml"]


def test_the_demos_example_answers_name_questions_that_exist_and_fit_them() -> None:
    from workbook_tools.demo.synthetic import load_examples
    from workbook_tools.model.languages import LANGS
    from workbook_tools.model.questionnaire import TEXT_TYPES

    for qid, questions in load_examples().items():
        questionnaire = SURVEY.current(qid)
        texts = {f.id: f for f in questionnaire.fields() if f.type in TEXT_TYPES}
        texts.update({f"{t.id}.{c.id}": c for t in questionnaire.tables() for c in t.columns
                      if c.type in TEXT_TYPES})
        for question, by_lang in questions.items():
            assert question in texts, f"{qid}: no text question {question!r}"
            assert set(by_lang) == set(LANGS), (qid, question)
            limit = texts[question].max_length or 255
            assert all(len(text) <= limit for texts_ in by_lang.values() for text in texts_)
