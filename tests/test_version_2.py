"""Version 2 of the questionnaires: each new rule flagged at its cell with a message in the
return's language; version 1 returns still accepted, carried to version 2 by the declared
migrations, and a version 1 and a version 2 return of one respondent are a resubmission."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml

from tests.conftest import layout_of
from tests.returns_kit import SURVEY, check, make_return, only
from workbook_tools.errors import DefinitionError
from workbook_tools.form.identity import fingerprint
from workbook_tools.model.survey import load_survey
from workbook_tools.outputs.consolidate import answered_version, select_returns

RATINGS = {f"value_{a}": "4" for a in SURVEY.reference["value_areas"].codes}


def version_1(kind: str):  # type: ignore[no-untyped-def]
    questionnaire = SURVEY.get(kind, 1)
    assert questionnaire is not None
    return questionnaire


def found(item, lang: str) -> dict[str, tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """Each issue's code -> (sheet, cell, message in the language asked)."""
    return {i.code + (f"@{i.cell}" if i.code in {"exclusive-option"} else ""): (
        i.sheet, i.cell, SURVEY.messages.render(i, lang)) for i in item.issues}


def test_version_1_is_kept_as_it_went_out() -> None:
    """Returns of version 1 are read against it: what respondents saw must not change."""
    prints = {kind: {lang: fingerprint(version_1(kind), lang) for lang in ("en", "fr", "es")}
              for kind in ("iscm", "state", "igo")}
    assert prints == {
        "igo": {"en": "c911a1cc28da0d8c", "fr": "874bdc0ec0df2bb8", "es": "90422c526bc350ad"},
        "iscm": {"en": "2f944c3651b51e92", "fr": "f91d3b775c785a1e", "es": "5df3b8e29e0551e4"},
        "state": {"en": "c950fdda08d7de62", "fr": "af2ee32c8bcb8939", "es": "9a6ada671b0b2ef2"},
    }


def test_an_iscm_return_breaking_the_new_rules_is_flagged_in_french(tmp_path: Path) -> None:
    item = only(check(make_return(tmp_path, "iscm", "fr", fixed={"year_established": 2010},
        answers={
            "work_plan": ["annual", "none"],  # a work plan and no work plan
            "work_plan_monitoring": ["secretariat", "nobody"],
            "member_value": ["trust_building", "networking", "capacity_building",
                             "knowledge_sharing"],  # "value most": at most three
            "governing_documents": ["founding_declaration", "other"],
            "governing_documents_other": None,  # "other" without saying what
        },
        tables={
            "membership_changes": [{"state": "LBY", "change": "joined", "year": 2000}],
            "partner_igos": [{"igo": "other", "role": "technical_advice"},
                             {"igo": "unhcr", "role": "funding", "role_other": "Host"}],
        })))
    layout = layout_of(SURVEY, "iscm", "fr")
    issues = found(item, "fr")
    plans, monitors = layout.fields["work_plan"], layout.fields["work_plan_monitoring"]
    changes, partners = layout.tables["membership_changes"], layout.tables["partner_igos"]
    assert set(issues) == {
        f"exclusive-option@{plans.options['none']}",
        f"exclusive-option@{monitors.options['nobody']}",
        "too-many-choices", "missing-conditional-answer", "before-other-year",
        "missing-conditional-cell", "not-applicable-cell"}
    assert issues[f"exclusive-option@{plans.options['none']}"] == (
        plans.sheet, plans.options["none"],
        "« Pas de plan de travail » ne peut pas être combiné avec d'autres options, mais 2 "
        "options ont été choisies pour la question 1.6. Gardez « Pas de plan de travail » seul, "
        "ou retirez-le et gardez les options qui s'appliquent.")
    assert issues["before-other-year"] == (
        changes.sheet, changes.cell("year", 0),
        "2000 est antérieur à l'année indiquée à la question 1.1 (2010). Vérifiez les deux "
        "années : celle-ci ne peut pas être antérieure.")
    assert issues["missing-conditional-cell"][:2] == (partners.sheet,
                                                      partners.cell("igo_other", 0))
    assert "« Nom de l'organisation (si autre) »" in issues["missing-conditional-cell"][2]
    assert issues["not-applicable-cell"][:2] == (partners.sheet, partners.cell("role_other", 1))
    assert issues["not-applicable-cell"][2].startswith(
        "À la ligne 2 du tableau 4.2, « Autre rôle (préciser) » ne s'applique pas compte tenu "
        "de sa colonne « Rôle »")
    assert issues["too-many-choices"][2].startswith("4 options ont été choisies pour la question "
                                                    "5.1 ; 3 au plus sont acceptées.")


def test_a_state_return_breaking_the_new_rules_is_flagged_in_spanish(tmp_path: Path) -> None:
    item = only(check(make_return(tmp_path, "state", "es", tables={"memberships": [
        {"iscm": "khartoum", "status": "member", "role": "none", "since": 2010, **RATINGS},
        {"iscm": "rabat", "status": "observer", "role": "chair", **RATINGS},  # an observer chair
        {"iscm": "bali", "status": "member", **RATINGS}]})))  # a member without its role
    place = layout_of(SURVEY, "state", "es").tables["memberships"]
    issues = found(item, "es")
    assert set(issues) == {"before-established", "not-applicable-cell",
                           "missing-conditional-cell"}
    assert issues["before-established"] == (
        place.sheet, place.cell("since", 0),
        "2010 es anterior a la creación del Proceso de Jartum (2014). Verifique el año: no puede "
        "ser anterior a 2014.")
    assert issues["not-applicable-cell"][:2] == (place.sheet, place.cell("role", 1))
    assert issues["missing-conditional-cell"] == (
        place.sheet, place.cell("role", 2),
        "La fila 3 de la tabla 1.1 necesita «Función (miembros)», dada su columna «Condición». "
        "Complétela.")


def test_an_igo_return_saying_other_must_say_what(tmp_path: Path) -> None:
    item = only(check(make_return(tmp_path, "igo", "en", tables={"engagements": [
        {"iscm": "khartoum", "role": "other", "relevance": "very_relevant"},
        {"iscm": "bali", "role": "funding", "since": 1995}]})))
    place = layout_of(SURVEY, "igo", "en").tables["engagements"]
    assert sorted((i.code, i.cell) for i in item.issues) == [
        ("before-established", place.cell("since", 1)),
        ("missing-conditional-cell", place.cell("role_other", 0))]


def test_version_1_returns_with_what_version_2_refuses_still_pass(tmp_path: Path) -> None:
    iscm = only(check(make_return(tmp_path, "iscm", version=1, answers={
        "work_plan": ["annual", "none"], "work_plan_monitoring": ["secretariat", "nobody"]})))
    state = only(check(make_return(tmp_path, "state", version=1, tables={"memberships": [
        {"iscm": "khartoum", "status": "chair", "since": 1990, **RATINGS},
        {"iscm": None}]})))  # the second ISCM IOM pre-filled, removed
    for item in (iscm, state):
        assert item.status == "valid", [i.code for i in item.errors]
        assert [i.code for i in item.issues] == ["outdated-version"]


def test_version_1_answers_are_carried_to_version_2_as_declared() -> None:
    state_1 = SURVEY.get("state", 1)
    assert state_1 is not None
    current, answers, tables = SURVEY.to_current(state_1, {"overlap": "yes"}, {
        "memberships": [{"iscm": "rabat", "status": "chair", "since": 2008, **RATINGS},
                        {"iscm": "bali", "status": "observer"}]})
    assert current is SURVEY.current("state")
    assert answers == {"overlap": "yes"}
    rabat, bali = tables["memberships"]
    assert (rabat["status"], rabat["role"], rabat["since"], rabat["value_networking"]) == (
        "member", "chair", 2008, "4")
    assert (bali["status"], bali["role"]) == ("observer", None)
    iscm_1 = SURVEY.get("iscm", 1)
    assert iscm_1 is not None
    _, answers, _ = SURVEY.to_current(iscm_1, {
        "chair_arrangement": "rotating", "secretariat_other": "Regional body",
        "work_plan_monitoring": ("secretariat",), "funding_stability": "unstable"}, {})
    assert answers == {"chair_selection": "rotation", "secretariat_managed_other": "Regional body",
                       "work_plan_monitoring": ("secretariat",), "funding_stability": "unstable"}
    igo_1 = SURVEY.get("igo", 1)
    assert igo_1 is not None
    _, answers, tables = SURVEY.to_current(igo_1, {"overall_relevance": "relevant"}, {
        "engagements": [{"iscm": "bali", "role": "funding", "relevance": "not_relevant"}]})
    assert answers["overall_relevance"] == "somewhat_relevant"
    assert tables["engagements"][0]["relevance"] == "not_relevant"
    assert SURVEY.source_of("state", 1, "memberships.role") == "memberships.status"


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(("file", "change", "expected"), [
    ("state-2.yaml", lambda raw: raw["migration"]["map"]["memberships.status"].pop("chair"),
     "state-2.yaml, migration, memberships.status: the code 'chair' has no counterpart"),
    ("iscm-2.yaml", lambda raw: raw["migration"].pop("rename"),
     "iscm-2.yaml, migration, secretariat_other: iscm-2.yaml has no question "
     "'secretariat_other'"),
    ("igo-2.yaml", lambda raw: raw.pop("migration"),
     "igo-2.yaml, migration, overall_relevance: cannot be carried to 'overall_relevance' as it "
     "is: its code(s) relevant are not codes of its list here"),
])
def test_a_migration_that_would_lose_answers_is_refused(definitions_copy: Path, file: str,
                                                        change, expected: str) -> None:  # type: ignore[no-untyped-def]
    _edit(definitions_copy / file, change)
    with pytest.raises(DefinitionError) as caught:
        load_survey(definitions_copy)
    assert expected in str(caught.value)


@pytest.mark.parametrize(("question_id", "change", "expected"), [
    ("work_plan", lambda q: q.update(exclusive=["never"]),
     "exclusive: 'never' is not a code of its list"),
    ("year_established", lambda q: q.update(not_before={"question": "completion_date"}),
     "not_before names 'completion_date', which is not a year question"),
    ("year_established", lambda q: q.update(not_before={"question": "guiding_document_year"}),
     "not_before names 'guiding_document_year', which comes later"),
    ("work_plan", lambda q: q.update(held_by_one=["none"]),
     "held_by_one applies to single-choice columns"),
    ("work_plan", lambda q: q.update(role="names_partners"),
     "role names_partners needs a respondents' list"),
])
def test_new_attributes_are_checked_when_loaded(definitions_copy: Path, question_id: str,
                                                change, expected: str) -> None:  # type: ignore[no-untyped-def]
    def on_question(raw: dict) -> None:  # type: ignore[type-arg]
        for section in raw["sections"]:
            for question in section["questions"]:
                if question["id"] == question_id:
                    change(question)

    _edit(definitions_copy / "iscm-2.yaml", on_question)
    with pytest.raises(DefinitionError) as caught:
        load_survey(definitions_copy)
    assert expected in str(caught.value)


def test_a_list_offering_other_needs_its_specification_in_the_version_sent(
        definitions_copy: Path) -> None:
    def drop(raw: dict) -> None:  # type: ignore[type-arg]
        for section in raw["sections"]:
            section["questions"] = [q for q in section["questions"]
                                    if q["id"] != "governing_documents_other"]

    _edit(definitions_copy / "iscm-2.yaml", drop)
    with pytest.raises(DefinitionError) as caught:
        load_survey(definitions_copy)
    assert ("iscm-2.yaml, question 'governing_documents': its list offers 'other' but nothing "
            "asks what") in str(caught.value)


def _dated(path: Path, day: int) -> None:
    stamp = dt.datetime(2026, 12, day, tzinfo=dt.UTC).timestamp()
    os.utime(path, (stamp, stamp))


@pytest.mark.parametrize("latest", [1, 2])
def test_a_version_1_and_a_version_2_return_of_one_respondent_are_a_resubmission(
        tmp_path: Path, latest: int) -> None:
    days = {1: 10, 2: 5} if latest == 1 else {1: 5, 2: 10}
    paths = {version: make_return(tmp_path, "state", name=f"egypt-v{version}.xlsx",
                                  version=version if version == 1 else None,
                                  answers={"completion_date": dt.date(2026, 12, days[version])},
                                  tables={"memberships": [
                                      {"iscm": "rabat", "status": "chair", **RATINGS}
                                      if version == 1 else
                                      {"iscm": "rabat", "status": "member", "role": "co_chair",
                                       **RATINGS}, {"iscm": None}]})
             for version in (1, 2)}
    for version, path in paths.items():
        _dated(path, days[version])
    report = check(*paths.values())
    selection = select_returns(report, SURVEY)
    (used,) = selection.used
    assert used.path == paths[latest]
    assert [old.path for old, _ in selection.superseded] == [paths[3 - latest]]
    assert answered_version(used) == latest
    assert used.questionnaire is SURVEY.current("state")  # in version 2's terms either way
    (row,) = used.reading.tables["memberships"]
    assert (row.values["status"], row.values["role"]) == (
        ("member", "chair") if latest == 1 else ("member", "co_chair"))


def test_a_version_1_iscm_return_is_consolidated_and_drafted_with_version_2(
        tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    from workbook_tools.outputs.drafts import write_summaries
    from workbook_tools.outputs.master import write_master

    path = make_return(tmp_path / "returns", "iscm", version=1, answers={
        "chair_arrangement": "rotating", "has_steering_committee": "no",
        "steering_committee_members": None})
    report = check(path)
    selection = select_returns(report, SURVEY)
    master = tmp_path / "master.xlsx"
    write_master(master, report, selection, SURVEY)
    workbook = load_workbook(master, read_only=True)
    data = list(workbook["Data"].iter_rows(values_only=True))
    header = data[0]
    rows = [dict(zip(header, row, strict=True)) for row in data[1:]]
    assert {row["version"] for row in rows} == {"1"}
    assert any(row["question_id"] == "chair_selection" and row["value"] == "rotation"
               for row in rows)  # the version 1 answer, in version 2's question
    heading = next(row[0] for row in workbook["Khartoum Process"].iter_rows(
        min_row=3, max_row=3, values_only=True))
    assert "Questionnaire version 1: its answers are carried to the current" in heading
    drafts = write_summaries(tmp_path / "drafts", selection, SURVEY, "en")
    text = "\n".join(p.text for p in Document(str(drafts.files[0])).paragraphs)
    assert "The Chair of the Khartoum Process rotates among its members." in text


def test_the_drafts_say_version_2_answers_other_specified_in_a_row_included(
        tmp_path: Path) -> None:
    from docx import Document

    from workbook_tools.outputs.drafts import write_summaries

    path = make_return(tmp_path / "returns", "iscm", fixed={
        "chair_held_by": "co_chairs", "chair_selection": "election"}, tables={"partner_igos": [
            {"igo": "other", "igo_other": "Regional Economic Community",
             "role": "technical_advice"}]})
    selection = select_returns(check(path), SURVEY)
    drafts = write_summaries(tmp_path / "drafts", selection, SURVEY, "en")
    text = "\n".join(p.text for p in Document(str(drafts.files[0])).paragraphs)
    assert ("The Chair of the Khartoum Process is held by two or more States jointly "
            "(co-chairs), elected by its members.") in text
    assert "“Regional Economic Community” provides technical advice" in text
