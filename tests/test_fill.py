"""Filling a questionnaire as a respondent would, and a real LibreOffice round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import EGYPT, KHARTOUM, layout_of, personalized
from tests.libreoffice import convert
from workbook_tools.form.identity import identity_of_workbook, identity_sources
from workbook_tools.model.survey import Survey
from workbook_tools.send.fill import fill_workbook

KHARTOUM_ANSWERS: dict[str, object] = {
    "respondent_name": "Jane Doe",
    "respondent_position": "Head of the Secretariat, ICMPD",
    "respondent_email": "jane.doe@khartoum.example",
    "completion_date": dt.date(2026, 12, 15),
    "year_established": 2014,
    "guiding_document": "Rome Declaration",
    "guiding_document_year": 2014,
    "has_strategy": "no",
    "chair_held_by": "one_state",
    "chair_selection": "rotation",
    "work_plan_monitoring": ["secretariat", "chair", "steering_committee"],
    "original_mandate": ["trafficking", "smuggling"],
    "current_priorities": ["trafficking", "smuggling", "protection_asylum", "root_causes",
                           "data"],
    "secretariat_type": "political_technical",
    "secretariat_managed_by": ["auc", "ec"],
    "secretariat_supported_by": ["icmpd"],
    "member_states_count": 40,
    "thematic_evolution": "=SUM(A1) is text, not a formula",
}


def test_fill_writes_answers_in_the_workbook_language(
    tmp_path: Path, survey: Survey
) -> None:
    template = personalized(tmp_path, survey, KHARTOUM)
    filled = tmp_path / "return.xlsx"
    fill_workbook(template, filled, survey, KHARTOUM_ANSWERS,
                  {"partner_igos": [{"igo": "unhcr", "role": "technical_advice"},
                                    {"igo": "unodc", "role": "co_implementer"}]})
    workbook = load_workbook(filled)
    layout = layout_of(survey, "iscm", "fr")

    def value(question_id: str) -> object:
        place = layout.fields[question_id]
        assert place.cell is not None
        return workbook[place.sheet][place.cell].value

    assert value("has_strategy") == "Non"
    assert value("chair_held_by") == "Un seul État à la fois"
    assert value("year_established") == 2014
    assert value("completion_date") == dt.datetime(2026, 12, 15)
    assert value("thematic_evolution") == "=SUM(A1) is text, not a formula"
    assert workbook[layout.fields["thematic_evolution"].sheet][
        layout.fields["thematic_evolution"].cell or ""].data_type == "s"
    monitoring = layout.fields["work_plan_monitoring"]
    ticks = {code: workbook[monitoring.sheet][cell].value
             for code, cell in monitoring.options.items()}
    assert ticks == {"secretariat": "Oui", "chair": "Oui", "steering_committee": "Oui",
                     "member_states": None, "external": None, "other": None, "nobody": None}
    partners = layout.tables["partner_igos"]
    sheet = workbook[partners.sheet]
    assert [sheet[partners.cell("igo", i)].value for i in range(3)] == ["HCR", "ONUDC", None]
    assert sheet[partners.cell("role", 1)].value == "Co-exécutant de projets"
    assert identity_of_workbook(workbook) == identity_of_workbook(load_workbook(template))


def test_fill_refuses_cells_a_respondent_cannot_edit(
    tmp_path: Path, survey: Survey
) -> None:
    template = personalized(tmp_path, survey, EGYPT)
    with pytest.raises(ValueError, match="is locked"):
        fill_workbook(template, tmp_path / "out.xlsx", survey, {"state": "ETH"})
    with pytest.raises(ValueError, match="has 15 rows"):
        fill_workbook(template, tmp_path / "out.xlsx", survey, {},
                      {"memberships": [{"iscm": "bali"}] * 16})
    with pytest.raises(ValueError, match="not codes of"):
        fill_workbook(template, tmp_path / "out.xlsx", survey,
                      {"desired_themes": ["teleportation"]})
    assert not (tmp_path / "out.xlsx").exists()


def test_fill_can_write_what_a_careless_respondent_types(
    tmp_path: Path, survey: Survey
) -> None:
    template = personalized(tmp_path, survey, EGYPT)
    filled = tmp_path / "return.xlsx"
    fill_workbook(template, filled, survey,
                  {"overlap": "Maybe ", "desired_themes": {"trafficking": "x"},
                   "focal_point_email": None})
    workbook = load_workbook(filled)
    layout = layout_of(survey, "state", "en")
    overlap = layout.fields["overlap"]
    assert workbook[overlap.sheet][overlap.cell or ""].value == "Maybe "
    themes = layout.fields["desired_themes"]
    assert workbook[themes.sheet][themes.options["trafficking"]].value == "x"
    email = layout.fields["focal_point_email"]
    assert workbook[email.sheet][email.cell or ""].value is None


@pytest.mark.libreoffice
def test_a_return_saved_by_libreoffice_keeps_its_identification_and_answers(
    tmp_path: Path, survey: Survey
) -> None:
    template = personalized(tmp_path, survey, KHARTOUM)
    filled = tmp_path / "filled" / "return.xlsx"
    fill_workbook(template, filled, survey, KHARTOUM_ANSWERS,
                  {"partner_iscms": [{"iscm": "rabat",
                                      "cooperation": "Joint Valletta Action Plan"}]})
    resaved = convert(filled, tmp_path / "libreoffice", "xlsx")
    assert resaved.read_bytes() != filled.read_bytes()
    original = load_workbook(filled)
    workbook = load_workbook(resaved)
    expected = identity_of_workbook(original)
    assert expected is not None
    assert identity_sources(workbook) == dict.fromkeys(
        ["properties", "defined name", "hidden sheet"], expected)
    assert workbook.sheetnames == original.sheetnames
    layout = layout_of(survey, "iscm", "fr")
    for sheet_name, address in sorted(layout.answer_cells):
        before = original[sheet_name][address].value
        after = workbook[sheet_name][address].value
        assert after == before, f"{sheet_name}!{address}: {before!r} became {after!r}"
    place = layout.fields["has_strategy"]
    kept = [dv for dv in workbook[place.sheet].data_validations.dataValidation
            if place.cell in dv.sqref]
    assert kept and kept[0].type == "list"
    assert workbook[place.sheet].protection.sheet
