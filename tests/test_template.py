"""The workbooks that go out: labels, dropdowns, validations, protection, identification."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import EGYPT, KHARTOUM, layout_of, open_blank, personalized
from tests.formulas import evaluate, highlighted
from workbook_tools.form.identity import Identity, fingerprint, identity_of_workbook
from workbook_tools.form.layout import IDENTITY_NAME, LISTS_SHEET, META_SHEET
from workbook_tools.model.languages import LANGS
from workbook_tools.model.questionnaire import Field, Table, choice_list_name
from workbook_tools.model.survey import Survey, load_survey
from workbook_tools.send.build import list_range_name
from workbook_tools.send.write import write_blank_templates

KINDS = ("iscm", "state", "igo")


def _validation_of(sheet: Worksheet, address: str):  # type: ignore[no-untyped-def]
    found = [dv for dv in sheet.data_validations.dataValidation if address in dv.sqref]
    assert len(found) == 1, f"{sheet.title}!{address} has {len(found)} validations"
    return found[0]


def _list_labels(workbook: Workbook, range_name: str) -> list[str]:
    defined = workbook.defined_names[range_name]
    ((sheet_name, cells),) = list(defined.destinations)
    return [c.value for row in workbook[sheet_name][cells.replace("$", "")] for c in row]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_each_question_stands_on_its_row_in_the_workbook_language(
    blank_dir: Path, survey: Survey, kind: str, lang: str
) -> None:
    workbook = open_blank(blank_dir, kind, lang)
    layout = layout_of(survey, kind, lang)
    questionnaire = survey.current(kind)
    assert workbook.sheetnames[: len(layout.sheet_order)] == list(layout.sheet_order)
    assert workbook.sheetnames[0] == survey.settings.text("instructions_sheet", lang)
    for _, item in questionnaire.items():
        sheet_name, address = layout.label_cells[item.id]
        label = workbook[sheet_name][address].value
        assert label.startswith(item.label[lang]), (item.id, label)
        number_cell = "A" + address[1:]
        assert workbook[sheet_name][number_cell].value == questionnaire.number(item.id)
        required = item.required if isinstance(item, Field) else item.min_rows > 0
        assert label.endswith(" *") == required


@pytest.fixture(scope="module")
def next_version_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Survey, Path]:
    """Blank French and Spanish workbooks of a version 2 (the bundled definitions copied as
    they are): it prints the current reference lists, UN names and ISCM names in each
    language, where version 1 keeps the lists it went out with."""
    from tests.test_reference import next_version

    survey = load_survey(next_version(tmp_path_factory.mktemp("v2")))
    out = tmp_path_factory.mktemp("blank-v2")
    write_blank_templates(survey, list(KINDS), ["fr", "es"], out)
    return survey, out


@pytest.fixture(scope="module")
def version_1_dir(tmp_path_factory: pytest.TempPathFactory, survey: Survey) -> Path:
    """Blank French and Spanish workbooks of version 1, as they went out."""
    from workbook_tools.files import save_workbook
    from workbook_tools.send.build import build_workbook
    from workbook_tools.send.write import blank_file_name

    out = tmp_path_factory.mktemp("blank-v1")
    for kind in KINDS:
        questionnaire = survey.get(kind, 1)
        assert questionnaire is not None
        for lang in ("fr", "es"):
            save_workbook(build_workbook(questionnaire, lang, survey),
                          out / blank_file_name(kind, 1, lang))
    return out


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_english_is_left_in_a_french_or_spanish_workbook(
    version_1_dir: Path, survey: Survey, kind: str, lang: str, version: int,
    next_version_dir: tuple[Survey, Path]
) -> None:
    """Every text a respondent reads is in the workbook's language, but for proper names that
    have no translation (acronyms such as MIDSA or ICMPD are the same in every language). A
    version 1 workbook keeps the lists it went out with; from version 2 on, ISCMs and
    organizations are named in the workbook's language too."""
    blank_dir = version_1_dir
    if version == 2:
        survey, blank_dir = next_version_dir
    english_texts = set()
    found = survey.get(kind, version)
    assert found is not None
    questionnaire = found
    reference = questionnaire.reference
    for _, item in questionnaire.items():
        fields = item.columns if isinstance(item, Table) else (item,)
        for text in [item.label, *(f.label for f in fields)]:
            if text["en"] != text[lang]:
                english_texts.add(text["en"])
        for f in fields:
            list_name = choice_list_name(f)
            if list_name:
                english_texts |= {c.labels["en"] for c in reference[list_name].choices
                                  if c.labels["en"] != c.labels[lang]}
    for value in survey.settings.texts.values():
        english = value["en"] if isinstance(value["en"], list) else [value["en"]]
        translated = value[lang] if isinstance(value[lang], list) else [value[lang]]
        english_texts |= set(english) - set(translated)
    if version == 2:
        english_texts |= {"Khartoum Process", "Rabat Process", "Office of the United Nations "
                          "High Commissioner for Refugees", "Economic Community of West African "
                          "States", "Other (specify)"}
    workbook = load_workbook(blank_dir / f"{kind}-v{version}-{lang}.xlsx")
    deadline = {"fr": "31 janvier 2027", "es": "31 de enero de 2027"}[lang]
    assert deadline in [c.value for row in workbook.worksheets[0].iter_rows() for c in row]
    for sheet in workbook.worksheets:
        if sheet.title == META_SHEET:
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    text = cell.value.removesuffix(" *")
                    assert text not in english_texts, f"{sheet.title}!{cell.coordinate}: {text}"
        for validation in sheet.data_validations.dataValidation:
            assert validation.prompt not in english_texts


@pytest.mark.parametrize("kind", KINDS)
def test_every_choice_has_a_dropdown_bound_to_its_list(
    blank_dir: Path, survey: Survey, kind: str
) -> None:
    lang = "es"
    workbook = open_blank(blank_dir, kind, lang)
    layout = layout_of(survey, kind, lang)
    reference = survey.current(kind).reference
    assert workbook[LISTS_SHEET].sheet_state == "veryHidden"
    yes_no = reference["yes_no"].labels(lang)
    for f in survey.current(kind).fields():
        place = layout.fields[f.id]
        sheet = workbook[place.sheet]
        if f.type == "multiple_choice":
            for address in place.options.values():
                validation = _validation_of(sheet, address)
                assert validation.formula1 == list_range_name("yes_no")
            assert _list_labels(workbook, list_range_name("yes_no")) == yes_no
        elif f.type in {"single_choice", "yes_no"}:
            assert place.cell is not None
            validation = _validation_of(sheet, place.cell)
            list_name = choice_list_name(f)
            assert list_name is not None
            assert validation.type == "list"
            assert validation.formula1 == list_range_name(list_name)
            assert _list_labels(workbook, validation.formula1) == reference[list_name].labels(lang)
    for table in survey.current(kind).tables():
        place = layout.tables[table.id]
        sheet = workbook[place.sheet]
        for column in table.columns:
            first, last = place.cell(column.id, 0), place.cell(column.id, table.rows - 1)
            validation = _validation_of(sheet, first)
            assert f"{first}:{last}" in str(validation.sqref)
            if column.choices:
                assert validation.formula1 == list_range_name(column.choices)


def test_numbers_years_dates_emails_and_lengths_are_validated_with_messages(
    blank_dir: Path, survey: Survey
) -> None:
    workbook = open_blank(blank_dir, "iscm", "fr")
    layout = layout_of(survey, "iscm", "fr")

    def rule(question_id: str):  # type: ignore[no-untyped-def]
        place = layout.fields[question_id]
        assert place.cell is not None
        return _validation_of(workbook[place.sheet], place.cell)

    year = rule("year_established")
    assert (year.type, year.operator, year.formula1, year.formula2) == (
        "whole", "between", "1980", str(survey.settings.year))
    assert year.prompt == f"Une année de 1980 à {survey.settings.year}, sur quatre chiffres."
    assert year.showErrorMessage and year.errorStyle == "stop"
    assert year.error.startswith("Veuillez saisir une année")
    members = rule("member_states_count")
    assert (members.type, members.formula1, members.formula2) == ("whole", "2", "200")
    assert rule("completion_date").type == "date"
    email = rule("respondent_email")
    assert email.type == "custom" and "FIND(\"@\",C" in email.formula1
    guiding = rule("guiding_document")
    assert (guiding.type, guiding.operator, guiding.formula1) == (
        "textLength", "lessThanOrEqual", "255")


def test_only_answer_cells_are_unlocked_and_every_sheet_is_protected(
    blank_dir: Path, survey: Survey
) -> None:
    workbook = open_blank(blank_dir, "iscm", "en")
    layout = layout_of(survey, "iscm", "en")
    answer_cells = layout.answer_cells
    assert workbook.security is not None and workbook.security.lockStructure
    for sheet in workbook.worksheets:
        assert sheet.protection.sheet, sheet.title
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row + 2, max_col=20):
            for cell in row:
                unlocked = not cell.protection.locked
                assert unlocked == ((sheet.title, cell.coordinate) in answer_cells), (
                    f"{sheet.title}!{cell.coordinate}")


def test_conditional_questions_are_greyed_out_when_they_do_not_apply(
    blank_dir: Path, survey: Survey
) -> None:
    workbook = open_blank(blank_dir, "iscm", "fr")
    layout = layout_of(survey, "iscm", "fr")
    strategy = layout.fields["has_strategy"]
    period = layout.fields["strategy_period"]
    sheet = workbook[period.sheet]
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules]
             for cf in sheet.conditional_formatting}
    # grey once 1.4 is answered, and answered otherwise than "Oui"
    assert rules[f"A{period.row}:D{period.row}"] == [
        f'AND($C${strategy.row}<>"",$C${strategy.row}<>"Oui")']
    guidance = sheet[f"D{period.row}"].value
    assert guidance.startswith("Uniquement si la réponse à 1.4 est « Oui »")
    sheet[strategy.cell] = "Non"
    assert (period.sheet, f"A{period.row}:D{period.row}") in highlighted(workbook)
    sheet[strategy.cell] = "Oui"
    assert (period.sheet, f"A{period.row}:D{period.row}") not in highlighted(workbook)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_a_blank_workbook_opens_with_nothing_greyed(blank_dir: Path, kind: str,
                                                    lang: str) -> None:
    workbook = open_blank(blank_dir, kind, lang)
    assert any(sheet.conditional_formatting for sheet in workbook.worksheets)
    assert highlighted(workbook) == []


def test_a_question_depending_on_one_that_does_not_apply_is_greyed_too(
        blank_dir: Path, survey: Survey) -> None:
    workbook = open_blank(blank_dir, "iscm", "en")
    layout = layout_of(survey, "iscm", "en")
    held, selection = layout.fields["chair_held_by"], layout.fields["chair_selection"]
    other = layout.fields["chair_selection_other"]
    workbook[held.sheet][held.cell] = "No chair"
    grey = highlighted(workbook)
    assert (selection.sheet, f"A{selection.row}:D{selection.row}") in grey
    assert (other.sheet, f"A{other.row}:D{other.row}") in grey


def test_an_option_that_must_stand_alone_turns_red_with_others(blank_dir: Path,
                                                                survey: Survey) -> None:
    workbook = open_blank(blank_dir, "iscm", "es")
    place = layout_of(survey, "iscm", "es").fields["work_plan"]
    sheet = workbook[place.sheet]
    none_row = place.options["none"][1:]
    red = (place.sheet, f"B{none_row}:C{none_row}")
    sheet[place.options["none"]] = "Sí"
    assert red not in highlighted(workbook)
    sheet[place.options["annual"]] = "Sí"
    assert red in highlighted(workbook)
    guidance = sheet[f"D{place.row}"].value
    assert "«Sin plan de trabajo» no puede combinarse con otras opciones" in guidance


def test_a_column_depending_on_its_row_is_greyed_row_by_row(blank_dir: Path,
                                                            survey: Survey) -> None:
    workbook = open_blank(blank_dir, "state", "fr")
    place = layout_of(survey, "state", "fr").tables["memberships"]
    sheet = workbook[place.sheet]
    status, role = place.columns["status"], place.columns["role"]
    sheet[place.cell("status", 2)] = "Observateur"
    sheet[place.cell("status", 3)] = "Membre"
    grey_rows = {offset for offset in range(place.rows)
                 if any(evaluate(rule.formula[0], workbook, sheet.title, offset)
                        for cf in sheet.conditional_formatting if str(cf.sqref).startswith(role)
                        for rule in cf.rules)}
    assert grey_rows == {2}, status


def test_identification_is_kept_in_three_places(
    blank_dir: Path, survey: Survey
) -> None:
    workbook = open_blank(blank_dir, "state", "es")
    expected = Identity("state", survey.current("state").version, "es",
                        fingerprint(survey.current("state"), "es"))
    properties = {p.name: p.value for p in workbook.custom_doc_props}
    assert Identity.from_properties(properties) == expected
    defined = workbook.defined_names[IDENTITY_NAME].attr_text
    assert Identity.decode(defined.strip('"')) == expected
    meta = workbook[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    values = {k: v or "" for k, v in meta.iter_rows(values_only=True)}
    assert Identity.from_properties(values) == expected
    assert identity_of_workbook(workbook) == expected


def test_fingerprint_changes_when_a_question_text_changes(survey: Survey) -> None:
    from dataclasses import replace

    state = survey.current("state")
    before = fingerprint(state, "en")
    section = state.sections[2]
    edited_item = replace(section.items[0], label={**section.items[0].label, "en": "Edited?"})
    edited = replace(state, sections=(
        *state.sections[:2], replace(section, items=(edited_item, *section.items[1:])),
        *state.sections[3:]), _numbers={})
    assert fingerprint(edited, "en") != before
    assert fingerprint(edited, "fr") == fingerprint(state, "fr")


def test_sheets_are_printable_on_a4_with_frozen_headers(blank_dir: Path) -> None:
    workbook = open_blank(blank_dir, "state", "en")
    for sheet in workbook.worksheets[1:]:
        if sheet.sheet_state != "visible":
            continue
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # the Check sheet keeps its title and overall line in view
        assert sheet.freeze_panes in ({"A5"} if sheet.title == "Check" else {"A4", "C4"})


def test_instructions_sheet_gives_deadline_contact_and_colours(
    blank_dir: Path, survey: Survey
) -> None:
    sheet = open_blank(blank_dir, "igo", "fr").worksheets[0]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "31 janvier 2027" in texts  # the deadline as a French reader writes a date
    assert survey.settings.text("contact", "fr", email=survey.settings.contact) in texts
    assert survey.settings.text("colour_answer", "fr") in texts
    assert all(p in texts for p in survey.settings.paragraphs("how", "fr"))


def test_instructions_say_how_answers_and_personal_data_are_used(blank_dir: Path,
                                                                survey: Survey) -> None:
    for lang in LANGS:
        sheet = open_blank(blank_dir, "igo", lang).worksheets[0]
        texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
        assert survey.settings.text("privacy_heading", lang) in texts
        notice = survey.settings.paragraphs("privacy", lang, email=survey.settings.contact)
        assert all(paragraph in texts for paragraph in notice)
        assert any(survey.settings.contact in text for text in notice)


def test_personalized_state_workbook_is_prefilled_with_who_it_is(
    tmp_path: Path, survey: Survey
) -> None:
    path = personalized(tmp_path, survey, EGYPT)
    workbook = load_workbook(path)
    layout = layout_of(survey, "state", "en")
    state = layout.fields["state"]
    assert state.cell is not None
    cell = workbook[state.sheet][state.cell]
    assert cell.value == "Egypt"
    assert cell.protection.locked, "who the respondent is must not be editable"
    email = layout.fields["focal_point_email"]
    assert email.cell is not None
    assert workbook[email.sheet][email.cell].value == "focal@egypt.example"
    assert not workbook[email.sheet][email.cell].protection.locked
    table = layout.tables["memberships"]
    sheet = workbook[table.sheet]
    assert [sheet[table.cell("iscm", i)].value for i in range(3)] == [
        "Khartoum Process", "Rabat Process", None]
    identity = identity_of_workbook(workbook)
    assert identity is not None
    assert (identity.respondent_id, identity.respondent_code) == ("STATE-EGY", "EGY")


def test_personalized_iscm_workbook_is_in_the_respondents_language(
    tmp_path: Path, survey: Survey
) -> None:
    workbook = load_workbook(personalized(tmp_path, survey, KHARTOUM))
    assert workbook.sheetnames[1:4] == ["Vérification", "0 Identification", "1 Programmation"]
    layout = layout_of(survey, "iscm", "fr")
    place = layout.fields["iscm"]
    assert place.cell is not None
    assert workbook[place.sheet][place.cell].value == "Processus de Khartoum"


def test_same_inputs_give_the_same_bytes(tmp_path: Path, survey: Survey) -> None:
    first = personalized(tmp_path / "a", survey, EGYPT).read_bytes()
    second = personalized(tmp_path / "b", survey, EGYPT).read_bytes()
    assert first == second


def test_a_password_protects_sheets_and_structure(tmp_path: Path, survey: Survey) -> None:
    from workbook_tools.send.write import write_blank_templates

    (written,) = write_blank_templates(survey, ["igo"], ["en"], tmp_path, "s3cret")
    workbook = load_workbook(written.path)
    assert all(sheet.protection.password for sheet in workbook.worksheets)
    assert workbook.security is not None and workbook.security.workbookPassword


def test_font_properties_follow_the_schemas_order(blank_dir: Path) -> None:
    """The Open XML SDK flags a font whose properties are out of the schema's sequence (as
    openpyxl writes them): the package is written with them in order."""
    import re
    import zipfile

    from workbook_tools.files import FONT_ORDER

    (blank,) = blank_dir.glob("iscm-v*-fr.xlsx")
    styles = zipfile.ZipFile(blank).read("xl/styles.xml")
    fonts = re.findall(rb"<font>(.*?)</font>", styles)
    assert len(fonts) > 5
    for font in fonts:
        names = re.findall(rb"<([a-zA-Z]+)\b", font)
        assert names == sorted(names, key=FONT_ORDER.index)


@pytest.mark.parametrize("kind", KINDS)
def test_every_font_of_a_questionnaire_names_the_face_row_heights_are_computed_for(
        blank_dir: Path, kind: str) -> None:
    """A font without a name is drawn in the application's fallback (DejaVu Serif in
    LibreOffice on Linux), which wraps elsewhere than the computed heights expect."""
    import re
    import zipfile

    from workbook_tools.textfit import FONT_NAME, FONT_SIZE

    (blank,) = blank_dir.glob(f"{kind}-v*-es.xlsx")
    styles = zipfile.ZipFile(blank).read("xl/styles.xml").decode()
    cell_fonts = re.search(r"<fonts[^>]*>(.*?)</fonts>", styles)
    assert cell_fonts is not None
    fonts = re.findall(r"<font>(.*?)</font>", cell_fonts.group(1))
    assert len(fonts) > 5
    for font in fonts:
        assert f'<name val="{FONT_NAME}"/>' in font, font
    assert f'<sz val="{FONT_SIZE}"/>' in fonts[0]  # the default style: what respondents type


@pytest.mark.parametrize("lang", LANGS)
def test_the_check_sheet_shows_every_question_whole_in_rows_tall_enough(
        blank_dir: Path, survey: Survey, lang: str) -> None:
    from workbook_tools.form.checks import panel_for
    from workbook_tools.send.panel import LABEL_WIDTH
    from workbook_tools.textfit import row_height, wrapped_lines

    workbook = open_blank(blank_dir, "iscm", lang)
    panel = panel_for(survey.current("iscm"), lang, survey)
    sheet = workbook[panel.check_sheet]
    rows = {sheet[f"A{row}"].value: row for row in range(1, sheet.max_row + 1)}
    wrapped = 0
    for section in panel.sections:
        for question in section.questions:
            row = rows[question.number]
            label = sheet[f"B{row}"]
            assert label.value == question.label  # whole, not cut
            assert label.alignment.wrap_text
            lines = wrapped_lines(question.label, LABEL_WIDTH)
            if lines > 1:
                wrapped += 1
                assert sheet.row_dimensions[row].height >= row_height(lines)
    assert wrapped > 0


@pytest.mark.parametrize("lang", LANGS)
def test_every_wrapped_text_has_a_row_tall_enough_for_its_lines(
        tmp_path: Path, survey: Survey, lang: str) -> None:
    """LibreOffice keeps the heights a file gives: a row shorter than its wrapped text cuts it
    (or prints it over the next row). Every sheet a respondent sees, pre-filled names too."""
    from workbook_tools.model.roster import Respondent
    from workbook_tools.send.build import INDENT_CHARACTERS
    from workbook_tools.textfit import FONT_SIZE, merged_width, row_height, wrapped_lines

    who = Respondent("STATE-MEX", "state", "MEX", "Mexico", lang, "a@b.example",
                     ("rcm", "eu-celac"))
    checked = 0
    for path in (personalized(tmp_path, survey, who),
                 *write_blank_templates(survey, ["iscm"], [lang], tmp_path / "blank")):
        workbook = load_workbook(path if isinstance(path, Path) else path.path)
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            merged = {str(r.start_cell.coordinate): r for r in sheet.merged_cells.ranges}
            for row in sheet.iter_rows():
                for cell in row:
                    if not (isinstance(cell.value, str) and cell.alignment.wrap_text
                            and not cell.value.startswith("=")):
                        continue
                    letters = ([sheet.cell(1, c).column_letter for c in range(
                        merged[cell.coordinate].min_col, merged[cell.coordinate].max_col + 1)]
                               if cell.coordinate in merged else [cell.column_letter])
                    width = merged_width([sheet.column_dimensions[x].width or 8.43
                                          for x in letters])
                    width -= (cell.alignment.indent or 0) * INDENT_CHARACTERS
                    size = cell.font.sz or FONT_SIZE
                    lines = wrapped_lines(cell.value, width, size=size, bold=bool(cell.font.b))
                    height = sheet.row_dimensions[cell.row].height
                    if height is None:
                        assert lines == 1 and size <= FONT_SIZE, (sheet.title, cell.coordinate)
                    else:
                        assert height >= row_height(lines, size), (sheet.title, cell.coordinate)
                    checked += 1
    assert checked > 300


def test_the_check_panel_is_protected_and_holds_no_respondents_text(
        tmp_path: Path, survey: Survey) -> None:
    from workbook_tools.form.layout import CHECKS_SHEET, STATUS_CELL
    from workbook_tools.model.roster import Respondent

    who = Respondent("STATE-EGY", "state", "EGY", 'Égypte "=1+1"', "fr",
                     "point.focal@egypte.example", ("khartoum",))
    workbook = load_workbook(personalized(tmp_path, survey, who))
    check = workbook[workbook.sheetnames[1]]
    assert check.title == "Vérification" and check.protection.sheet
    assert workbook[CHECKS_SHEET].sheet_state == "veryHidden"
    assert workbook[CHECKS_SHEET].protection.sheet
    formulas = [(sheet, cell) for sheet in workbook for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]
    assert len(formulas) > 300
    for sheet, cell in formulas:
        assert all(text not in cell.value for text in (who.id, who.name, who.email))
        if sheet.sheet_state == "visible":
            assert cell.protection.locked and cell.protection.hidden, (sheet.title, cell)
    for section in survey.current("state").sections:
        assert workbook[section.sheet["fr"]][STATUS_CELL].data_type == "f"


def test_the_recipient_is_named_in_the_workbooks_language(tmp_path: Path, survey: Survey
                                                           ) -> None:
    from workbook_tools.model.roster import Respondent

    rabat = Respondent("ISCM-RABAT", "iscm", "rabat", "Rabat Process", "es")
    sheet = load_workbook(personalized(tmp_path, survey, rabat)).worksheets[0]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert ("Diálogo Euroafricano sobre Migración y Desarrollo (Proceso de Rabat) "
            "(referencia: ISCM-RABAT)") in texts
    assert "31 de enero de 2027" in texts
