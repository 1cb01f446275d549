"""Validating returns: what honest respondents do is accepted and said; what is wrong is found,
with its sheet, cell and question, and a message that says how to fix it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import layout_of
from tests.returns_kit import (
    SURVEY,
    check,
    codes,
    issue_of,
    make_return,
    only,
    respondent,
    rewrite_package,
    set_cell_xml,
)
from workbook_tools.files import save_workbook
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import load_survey


def cell_of(kind: str, lang: str, question: str) -> tuple[str, str]:
    place = layout_of(SURVEY, kind, lang).fields[question]
    return place.sheet, place.cell or next(iter(place.options.values()))


@pytest.mark.parametrize("kind", ["iscm", "state", "igo"])
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_a_complete_return_is_valid(tmp_path: Path, kind: str, lang: str) -> None:
    item = only(check(make_return(tmp_path, kind, lang)))
    assert item.status == "valid", [SURVEY.messages.as_dict(i) for i in item.issues]
    assert item.issues == ()
    assert item.reading.respondent.id == respondent(kind).id
    assert item.reading.identity is not None and item.reading.identity.lang == lang


def test_a_return_from_a_blank_questionnaire_names_its_respondent(tmp_path: Path) -> None:
    path = make_return(tmp_path, "state", "fr", personalized=False, answers={"state": "ETH"})
    item = only(check(path))
    assert item.status == "valid", codes(item)
    assert (item.reading.respondent.code, item.reading.respondent.name) == ("ETH", "Ethiopia")


def test_honest_variations_are_accepted_with_warnings(tmp_path: Path) -> None:
    path = make_return(tmp_path, "iscm", "fr", fixed={"year_established": 2014}, answers={
        "respondent_name": "  Jeanne Martin  ",  # spaces around
        "has_strategy": "non",  # another case
        "strategy_period": None,
        "chair_held_by": "One State at a time",  # the English label in a French questionnaire
        "year_established": "2014",  # a number typed as text
        "completion_date": "15 décembre 2026",  # a date typed as text
        "member_states_count": "40",
        "current_priorities": {"trafficking": "x", "smuggling": "Oui"},  # a tick as x
    })
    item = only(check(path))
    assert item.status == "valid", [SURVEY.messages.as_dict(i) for i in item.errors]
    found = {issue.code: issue for issue in item.issues}
    assert set(found) == {"whitespace-trimmed", "choice-normalized", "number-as-text",
                          "date-as-text", "tick-normalized"}
    assert item.reading.answers["has_strategy"] == "no"
    assert item.reading.answers["chair_held_by"] == "one_state"
    assert item.reading.answers["year_established"] == 2014
    assert item.reading.answers["completion_date"] == dt.date(2026, 12, 15)
    assert item.reading.answers["current_priorities"] == ("trafficking", "smuggling")
    normalized = [i for i in item.issues if i.code == "choice-normalized"]
    assert {i.value for i in normalized} == {"non", "One State at a time"}
    assert (normalized[0].sheet, normalized[0].cell) in {cell_of("iscm", "fr", "has_strategy"),
                                                         cell_of("iscm", "fr",
                                                                 "chair_held_by")}
    message = SURVEY.messages.render(found["date-as-text"], "fr")
    assert "2026-12-15" in message and "15 décembre 2026" in message


def test_an_ambiguous_date_is_an_error_that_asks_which(tmp_path: Path) -> None:
    item = only(check(make_return(tmp_path, "igo", "es",
                                  answers={"completion_date": "03/04/2026"})))
    assert item.status == "invalid"
    assert codes(item) == ["ambiguous-date"]  # and not also "missing"
    issue = item.issues[0]
    assert (issue.sheet, issue.cell) == cell_of("igo", "es", "completion_date")
    message = SURVEY.messages.render(issue, "es")
    assert "2026-04-03" in message and "2026-03-04" in message


def test_wrong_answers_are_found_with_their_cells(tmp_path: Path) -> None:
    path = make_return(tmp_path, "iscm", answers={
        "year_established": 1850,
        "funding_stability": "Every now and then",
        "respondent_email": "not an address",
        "member_states_count": "forty",
        "guiding_document": "R" * 300,
        "current_priorities": ["trafficking", "smuggling", "data", "diaspora",
                               "border_management", "labour_migration", "gcm", "integration",
                               "migrant_health"],
    })
    item = only(check(path))
    assert item.status == "invalid"
    by_code = {issue.code: issue for issue in item.issues}
    assert set(by_code) == {"out-of-range", "not-in-list", "invalid-email", "not-a-number",
                            "too-long", "too-many-choices"}
    assert (by_code["out-of-range"].sheet, by_code["out-of-range"].cell) == cell_of(
        "iscm", "en", "year_established")
    assert SURVEY.messages.render(by_code["out-of-range"]) == (
        f"1850 is outside the accepted range, 1980 to {SURVEY.settings.year}. Check the number.")
    assert by_code["not-in-list"].value == "Every now and then"
    assert by_code["not-in-list"].question == "funding_stability"
    render = SURVEY.messages.render
    assert render(by_code["too-many-choices"]).startswith("9 options were chosen for "
                                                          "question 1.12; at most 8")
    assert render(by_code["too-long"]).startswith("The answer has 300 characters; at most 255")



def test_conditions_require_answers_when_they_apply_and_none_when_not(tmp_path: Path) -> None:
    path = make_return(tmp_path, "iscm", answers={
        "has_strategy": "yes", "strategy_period": None,  # applies, missing
        "joint_monitoring": "no", "joint_monitoring_details": "With the Rabat Process",
        "work_plan": ["other"], "work_plan_other": None,  # "other" needs its specification
    })
    item = only(check(path))
    found = sorted((issue.code, issue.question) for issue in item.issues)
    assert found == [("missing-conditional-answer", "strategy_period"),
                     ("missing-conditional-answer", "work_plan_other"),
                     ("not-applicable", "joint_monitoring_details")]
    issue = issue_of(item, "not-applicable")
    assert SURVEY.messages.render(issue) == (
        "Question 2.7 does not apply given your answer to question 2.6, but it was answered. "
        "Remove this answer, or change your answer to question 2.6.")


def test_required_answers_are_required(tmp_path: Path) -> None:
    item = only(check(make_return(tmp_path, "igo", answers={
        "recommendations": None, "respondent_email": None})))
    assert sorted((i.code, i.question) for i in item.issues) == [
        ("missing-answer", "recommendations"), ("missing-answer", "respondent_email")]


def test_table_rows_need_their_cells_and_no_iscm_twice(tmp_path: Path) -> None:
    rows = [{"iscm": "khartoum", "status": "member", "role": "none", "since": 2014,
             **{f"value_{a}": "4" for a in SURVEY.reference["value_areas"].codes}},
            {"iscm": "khartoum", "status": "observer",
             **{f"value_{a}": "3" for a in SURVEY.reference["value_areas"].codes}},
            {"iscm": "Atlantis Process", "status": "member", "role": "none",
             **{f"value_{a}": "na" for a in SURVEY.reference["value_areas"].codes}},
            {"iscm": "bali", "since": 2002,
             **{f"value_{a}": "2" for a in SURVEY.reference["value_areas"].codes}}]
    item = only(check(make_return(tmp_path, "state", tables={"memberships": rows})))
    place = layout_of(SURVEY, "state", "en").tables["memberships"]
    found = sorted((i.code, i.cell) for i in item.issues)
    assert found == [("duplicate-row", place.cell("iscm", 1)),
                     ("missing-cell", place.cell("status", 3)),
                     ("not-in-list", place.cell("iscm", 2))]
    assert SURVEY.messages.render(issue_of(item, "missing-cell")) == (
        'Row 4 of table 1.1 needs its "Status". Fill it in, or empty the whole row.')
    assert issue_of(item, "not-in-list").value == "Atlantis Process"


def test_a_state_must_name_at_least_one_iscm(tmp_path: Path) -> None:
    # the personalized table lists the State's ISCMs: the respondent emptied both rows
    item = only(check(make_return(tmp_path, "state",
                                  tables={"memberships": [{"iscm": None}, {"iscm": None}]})))
    (issue,) = item.issues
    assert (issue.code, issue.question) == ("too-few-rows", "memberships")
    assert "at least 1 row(s); it has 0" in SURVEY.messages.render(issue)


def test_a_return_for_someone_else_is_flagged(tmp_path: Path) -> None:
    template_path = make_return(tmp_path, "state", personalized=False, answers={"state": "ETH"})
    workbook = load_workbook(template_path)
    # the identification says Egypt, the answer says Ethiopia
    from workbook_tools.form.identity import Identity

    properties = {p.name: p for p in workbook.custom_doc_props}
    properties["wt_respondent_id"] = None  # type: ignore[assignment]
    from openpyxl.packaging.custom import StringProperty

    identity = Identity.decode(workbook.defined_names["WT_IDENTITY"].attr_text.strip('"'))
    assert identity is not None
    egypt = Identity(identity.questionnaire, identity.version, identity.lang,
                     identity.fingerprint, "STATE-EGY", "EGY")
    workbook.custom_doc_props.append(StringProperty(name="wt_respondent_id", value="STATE-EGY"))
    workbook.custom_doc_props.append(StringProperty(name="wt_respondent_code", value="EGY"))
    workbook.defined_names["WT_IDENTITY"].attr_text = '"' + egypt.encode() + '"'
    save_workbook(workbook, tmp_path / "mixed.xlsx")
    item = only(check(tmp_path / "mixed.xlsx"))
    issue = issue_of(item, "respondent-mismatch")
    assert issue.value == "Ethiopia" and "sent to Egypt" in SURVEY.messages.render(issue)


def test_roster_check_flags_unknown_respondents(tmp_path: Path) -> None:
    path = make_return(tmp_path, "igo")
    roster = [Respondent("IGO-UNODC", "igo", "unodc", "UNODC", "en")]
    item = only(check(path, roster=roster))
    assert codes(item) == ["unknown-respondent"]
    assert only(check(path, roster=[*roster, respondent("igo")])).status == "valid"


def test_many_returns_of_every_kind_are_checked_together(tmp_path: Path) -> None:
    paths = [make_return(tmp_path / kind / lang, kind, lang)
             for kind in ("iscm", "state", "igo") for lang in ("en", "es")]
    broken = make_return(tmp_path / "broken", "state", "fr", answers={"overlap": "Peut-être"})
    report = check(tmp_path)
    assert report.summary == {"valid": 6, "invalid": 1, "rejected": 0}
    assert [r.path for r in report.returns if r.status == "invalid"] == [broken]
    assert len(paths) == 6


# --- the structure of the workbook ---------------------------------------------------------


def test_edited_question_text_is_an_error(tmp_path: Path) -> None:
    path = make_return(tmp_path, "igo")
    workbook = load_workbook(path)
    sheet_name, address = layout_of(SURVEY, "igo", "en").label_cells["added_value"]
    workbook[sheet_name][address] = "What do you think of ISCMs?"
    save_workbook(workbook, tmp_path / "edited.xlsx")
    item = only(check(tmp_path / "edited.xlsx"))
    issue = issue_of(item, "question-edited")
    assert (issue.sheet, issue.cell, issue.question) == (sheet_name, address, "added_value")
    assert "What added value do ISCMs bring" in SURVEY.messages.render(issue)


def test_inserted_rows_are_found_and_the_sheet_not_misread(tmp_path: Path) -> None:
    path = make_return(tmp_path, "iscm")
    workbook = load_workbook(path)
    sheet = workbook["2 Contribution"]
    sheet.protection.sheet = False
    sheet.insert_rows(6, 2)
    save_workbook(workbook, tmp_path / "inserted.xlsx")
    item = only(check(tmp_path / "inserted.xlsx"))
    issue = issue_of(item, "rows-moved")
    assert issue.sheet == "2 Contribution"
    # row 6 is among the options of 2.1: the first question label after them has moved
    assert "question 2.2 is on row 16 instead of row 14" in SURVEY.messages.render(issue)
    assert not [i for i in item.issues if i.sheet == "2 Contribution" and i is not issue]


def test_a_row_inserted_in_a_table_is_an_error_not_a_lost_answer(tmp_path: Path) -> None:
    path = make_return(tmp_path, "state")
    place = layout_of(SURVEY, "state", "en").tables["memberships"]
    workbook = load_workbook(path)
    sheet = workbook[place.sheet]
    sheet.protection.sheet = False
    sheet.insert_rows(place.first_row + 1)  # below the table's first row: the rest moves down
    save_workbook(workbook, tmp_path / "inserted.xlsx")
    item = only(check(tmp_path / "inserted.xlsx"))
    assert item.status == "invalid"
    issue = issue_of(item, "table-rows-moved")
    assert (issue.sheet, issue.cell) == (place.sheet, f"A{place.first_row + 2}")
    assert (f"its row 2 is on row {place.first_row + 2} of the sheet instead of row "
            f"{place.first_row + 1}") in SURVEY.messages.render(issue)
    # the table is not read where its rows no longer are: no answer taken from the wrong row
    assert "memberships" not in item.reading.tables
    assert not [i for i in item.issues if i.sheet == place.sheet and i is not issue]


def test_a_date_out_of_range_is_said_as_a_date_not_a_serial_number(tmp_path: Path) -> None:
    import datetime as dt

    field = SURVEY.current("state").field_with_role("completion_date")
    item = only(check(make_return(tmp_path, "state", "fr",
                                  answers={field.id: dt.date(2035, 1, 1)})))
    issue = issue_of(item, "date-out-of-range")
    assert issue.value == "2035-01-01"
    assert "49310" not in SURVEY.messages.render(issue, "fr")


def test_missing_and_added_sheets(tmp_path: Path) -> None:
    path = make_return(tmp_path, "igo", "fr")
    workbook = load_workbook(path)
    del workbook["2 Points de vue"]
    workbook.create_sheet("Notes")
    save_workbook(workbook, tmp_path / "sheets.xlsx")
    item = only(check(tmp_path / "sheets.xlsx"))
    missing, added = issue_of(item, "sheet-missing"), issue_of(item, "sheet-added")
    assert (missing.severity, missing.sheet) == ("error", "2 Points de vue")
    assert (added.severity, added.sheet) == ("warning", "Notes")
    assert "missing-answer" not in codes(item)  # the missing sheet's questions are not re-reported


def test_text_written_outside_the_answer_cells_is_a_warning(tmp_path: Path) -> None:
    path = make_return(tmp_path, "state")
    workbook = load_workbook(path)
    sheet = workbook["2 National policy"]
    sheet["E4"] = "Please see our annex"
    sheet["B30"] = "Note for IOM"
    save_workbook(workbook, tmp_path / "outside.xlsx")
    item = only(check(tmp_path / "outside.xlsx"))
    assert item.status == "valid"
    assert sorted((i.code, i.cell, i.value) for i in item.issues) == [
        ("outside-answer", "B30", "Note for IOM"), ("outside-answer", "E4", "Please see our annex")]


def test_the_panels_cells_are_never_read_as_answers(tmp_path: Path) -> None:
    """The Check panel's status line is ours: a value saved in place of its formula (as some
    applications save) is not "written outside", while a note beside it still is; and a return
    made before the panel existed (no Check sheet, no status line) reads the same."""
    from workbook_tools.form.layout import CHECKS_SHEET, STATUS_CELL

    path = make_return(tmp_path, "state", "fr")
    workbook = load_workbook(path)
    sheet = workbook["2 Politique nationale"]
    sheet[STATUS_CELL] = "À remplir : 1 (2.1)"  # the formula's value, the formula gone
    sheet["D2"] = "Voir l'annexe"
    save_workbook(workbook, tmp_path / "flattened.xlsx")
    item = only(check(tmp_path / "flattened.xlsx"))
    assert [(i.code, i.cell) for i in item.issues] == [("outside-answer", "D2")]
    for name in (workbook.sheetnames[1], CHECKS_SHEET):
        del workbook[name]
    for section in ("0 Identification", "1 Participation", "2 Politique nationale",
                    "3 Thèmes et synergies"):
        workbook[section][STATUS_CELL] = None
    save_workbook(workbook, tmp_path / "before-the-panel.xlsx")
    item = only(check(tmp_path / "before-the-panel.xlsx"))
    assert [(i.code, i.cell) for i in item.issues] == [("outside-answer", "D2")]


def test_merged_cells_over_answers_are_an_error(tmp_path: Path) -> None:
    path = make_return(tmp_path, "state")
    workbook = load_workbook(path)
    sheet_name, address = cell_of("state", "en", "ministry")
    workbook[sheet_name].merge_cells(f"{address}:D{address[1:]}")
    save_workbook(workbook, tmp_path / "merged.xlsx")
    issue = issue_of(only(check(tmp_path / "merged.xlsx")), "merged-cells")
    assert (issue.sheet, issue.cell) == (sheet_name, address)


def test_a_formula_answer_uses_its_cached_value_with_a_warning(tmp_path: Path) -> None:
    path = make_return(tmp_path, "iscm")
    sheet_name, address = cell_of("iscm", "en", "member_states_count")
    broken = set_cell_xml(path, tmp_path / "formula.xlsx", sheet_name, address,
                          f'<c r="{address}"><f>20+20</f><v>40</v></c>')
    item = only(check(broken))
    assert item.status == "valid"
    issue = issue_of(item, "formula")
    assert issue.cell == address and "=20+20" in SURVEY.messages.render(issue)
    assert item.reading.answers["member_states_count"] == 40


def test_a_formula_saved_without_its_result_is_said_once(tmp_path: Path) -> None:
    path = make_return(tmp_path, "iscm")
    sheet_name, address = cell_of("iscm", "en", "member_states_count")
    broken = set_cell_xml(path, tmp_path / "formula.xlsx", sheet_name, address,
                          f'<c r="{address}"><f>HYPERLINK("http://x")</f></c>')
    item = only(check(broken))
    at_cell = [issue.code for issue in item.issues if issue.cell == address]
    assert at_cell == ["formula-no-value"]  # not also "must be answered"
    assert '=HYPERLINK("http://x")' in SURVEY.messages.render(item.issues[0], "fr")


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    text = '=HYPERLINK("http://example.org","click")'
    item = only(check(make_return(tmp_path, "igo", answers={"added_value": text})))
    assert item.status == "valid"
    assert item.reading.answers["added_value"] == text


def test_an_older_version_is_checked_against_its_own_definition(tmp_path: Path,
                                                                  definitions_copy: Path) -> None:
    old_return = make_return(tmp_path, "igo", version=1)
    item = only(check(old_return))
    assert item.status == "valid"
    assert codes(item) == ["outdated-version"]
    assert item.questionnaire is SURVEY.get("igo", 1)
    message = SURVEY.messages.render(item.issues[0])
    assert "version 1" in message and "version 2" in message
    (definitions_copy / "igo-1.yaml").unlink()
    rejected = only(check(old_return, survey=load_survey(definitions_copy)))
    assert rejected.status == "rejected"
    assert codes(rejected) == ["unknown-version"]
    assert "version 1 of the igo questionnaire" in SURVEY.messages.render(rejected.issues[0])


def test_the_file_given_is_never_changed(tmp_path: Path) -> None:
    path = make_return(tmp_path, "state", answers={"overlap": "Maybe"})
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    item = only(check(path))
    assert item.status == "invalid"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_lock_and_hidden_files_are_skipped(tmp_path: Path) -> None:
    path = make_return(tmp_path / "returns", "igo")
    shutil.copy(path, tmp_path / "returns" / "~$IGO-UNHCR-en.xlsx")
    report = check(tmp_path / "returns")
    assert [r.path for r in report.returns] == [path]
    assert sorted(p.name for p in report.skipped) == ["IGO-UNHCR.xlsx", "~$IGO-UNHCR-en.xlsx"]


def test_the_1904_date_system(tmp_path: Path) -> None:
    path = make_return(tmp_path, "igo")
    sheet_name, address = cell_of("igo", "en", "completion_date")
    serial_1904 = (dt.date(2026, 12, 1) - dt.date(1904, 1, 1)).days
    with_date = set_cell_xml(path, tmp_path / "date.xlsx", sheet_name, address,
                             f'<c r="{address}"><v>{serial_1904}</v></c>')

    def mac(members: dict[str, bytes]) -> dict[str, bytes]:
        members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
            b"<workbookPr", b'<workbookPr date1904="1"', 1)
        return members

    item = only(check(rewrite_package(with_date, tmp_path / "mac.xlsx", mac)))
    assert item.status == "valid", codes(item)
    assert item.reading.answers["completion_date"] == dt.date(2026, 12, 1)


def test_identification_survives_in_the_hidden_sheet_alone(tmp_path: Path) -> None:
    path = make_return(tmp_path, "iscm", "es")

    def strip(members: dict[str, bytes]) -> dict[str, bytes]:
        members.pop("docProps/custom.xml")  # and its relationship: the package stays whole
        members["_rels/.rels"] = re.sub(rb'<Relationship [^>]*docProps/custom.xml[^>]*/>', b"",
                                        members["_rels/.rels"])
        members["xl/workbook.xml"] = re.sub(rb'<definedName name="WT_IDENTITY"[^<]*</definedName>',
                                            b"", members["xl/workbook.xml"])
        return members

    item = only(check(rewrite_package(path, tmp_path / "google.xlsx", strip)))
    assert item.status == "valid", codes(item)
    assert item.reading.respondent.id == "ISCM-KHARTOUM"


def test_identification_places_that_disagree_are_reported(tmp_path: Path) -> None:
    path = make_return(tmp_path, "iscm")

    def disagree(members: dict[str, bytes]) -> dict[str, bytes]:
        members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
            b"ISCM-KHARTOUM|khartoum", b"ISCM-RABAT|rabat")
        return members

    item = only(check(rewrite_package(path, tmp_path / "conflict.xlsx", disagree)))
    issue = issue_of(item, "identity-conflict")
    message = SURVEY.messages.render(issue)
    assert "document properties" in message and "defined name" in message
    assert item.reading.respondent.id == "ISCM-KHARTOUM"


def test_libreoffice_booleans_are_not_formulas_and_count_as_ticks() -> None:
    from workbook_tools.read.coerce import Note, cell_value, coerce_tick
    from workbook_tools.read.sheetxml import RawCell

    value, notes = cell_value(RawCell("b", "1", "TRUE()"), False)
    assert (value, notes) == (True, [])
    ticks: list[Note] = []
    assert coerce_tick(value, "fr", SURVEY.reference, ticks) is True
    assert [n.code for n in ticks] == ["tick-normalized"]
    value, notes = cell_value(RawCell("n", "4", "2+2"), False)
    assert value == 4.0 and [n.code for n in notes] == ["formula"]


def test_many_returns_are_read_on_every_core_with_the_same_results(tmp_path: Path) -> None:
    from workbook_tools.check.validate import PARALLEL_FROM, read_returns

    good = make_return(tmp_path / "one", "igo")
    bad = make_return(tmp_path / "one", "state", answers={"overlap": "Maybe"})
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(PARALLEL_FROM + 2):
        shutil.copy(good if index % 3 else bad, folder / f"{index:03d}.xlsx")
    files = sorted(folder.iterdir())
    together = read_returns(files, SURVEY)
    one_by_one = [read_returns([file], SURVEY)[0] for file in files]
    assert [r.path for r in together] == files  # the order of files is kept
    for parallel, alone in zip(together, one_by_one, strict=True):
        assert parallel.answers == alone.answers
        assert parallel.issues == alone.issues
        assert parallel == alone  # plain values: the same whichever process read them
    report = check(folder)
    assert report.summary == {"valid": 33, "invalid": 17, "rejected": 0}
