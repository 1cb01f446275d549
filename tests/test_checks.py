"""The live checks' formulas (form/checks.py), made from the definitions without writing a
workbook: every rule the definitions call for has its formula, and every formula is one that
Excel 2010, LibreOffice and Google Sheets compute the same way. What the formulas compute is
tested with a real LibreOffice in test_panel.py."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.returns_kit import SURVEY
from workbook_tools.form.checks import FORMULA_MAX, LITERAL_MAX, Panel, panel_for
from workbook_tools.model.languages import LANGS
from workbook_tools.model.matching import TICK_WORDS, accepted_forms
from workbook_tools.model.questionnaire import Field, Questionnaire, Table, choice_list_name
from workbook_tools.read.coerce import coerce_choice, coerce_tick

# Functions of Excel 2007 that LibreOffice and Google Sheets compute alike; nothing volatile
# (INDIRECT, OFFSET, NOW, TODAY, RAND, CELL, INFO), nothing newer (IFS, TEXTJOIN, FILTER, LET).
PLAIN_FUNCTIONS = {
    "AND", "CHAR", "CHOOSE", "CLEAN", "DATE", "EXACT", "FIND", "IF", "IFERROR", "INDEX", "INT",
    "ISERROR", "ISLOGICAL", "ISNUMBER", "LEFT", "LEN", "MID", "NOT", "OR", "RIGHT",
    "SUBSTITUTE", "SUM", "SUMPRODUCT", "TRIM", "UPPER", "VALUE",
}
STRING = re.compile(r'"(?:[^"]|"")*"')
QUOTED_SHEET = re.compile(r"'(?:[^']|'')*'!")
FUNCTION = re.compile(r"([A-Z][A-Z0-9.]*)\(")


def every_panel() -> list[tuple[Questionnaire, str, Panel]]:
    return [(q, lang, panel_for(q, lang, SURVEY))
            for q in SURVEY.questionnaires.values() for lang in LANGS]


def expected_rules(questionnaire: Questionnaire) -> set[tuple[str, str]]:
    """What the validator checks of each question, by problem code, read off the definition."""

    def value_codes(f: Field) -> set[str]:
        if f.type == "multiple_choice":
            return {"invalid-tick"} | ({"too-many-choices"} if f.max_choices else set()) | (
                {"too-few-choices"} if f.min_choices else set()) | (
                {"exclusive-option"} if f.exclusive else set())
        if f.not_before is not None:
            return {"out-of-range", "before-other-year" if f.not_before.question
                    else "before-established"}
        if choice_list_name(f):
            return {"not-in-list"}
        return {"integer": {"out-of-range"}, "year": {"out-of-range"},
                "date": {"date-out-of-range", "ambiguous-date"}, "email": {"invalid-email"},
                }.get(f.type, set()) | ({"too-long"} if f.max_length else set())

    expected: set[tuple[str, str]] = set()
    for f in questionnaire.fields():
        codes = value_codes(f)
        if f.relevant is not None:
            codes |= {"not-applicable"} | ({"missing-conditional-answer"} if f.required
                                           else set())
        elif f.required:
            codes.add("missing-answer")
        expected |= {(f.id, code) for code in codes}
    for table in questionnaire.tables():
        codes = set().union(*(value_codes(column) for column in table.columns))
        codes |= {"missing-cell"} if any(c.required and c.relevant is None
                                         for c in table.columns) else set()
        for column in table.columns:
            if column.relevant is not None:
                codes |= {"not-applicable-cell"} | ({"missing-conditional-cell"}
                                                    if column.required else set())
        codes |= {"duplicate-row"} if table.unique else set()
        codes |= {"too-few-rows"} if table.min_rows else set()
        expected |= {(table.id, code) for code in codes}
    return expected


def test_every_rule_of_the_definitions_has_its_formula() -> None:
    for questionnaire, _, panel in every_panel():
        made = {(rule.item_id, code) for rule in panel.rules for code in rule.codes}
        assert expected_rules(questionnaire) <= made, questionnaire.source
        assert {code for _, code in made} <= set(SURVEY.messages.entries)


def test_required_questions_are_to_answer_and_the_others_are_not() -> None:
    questionnaire = SURVEY.current("iscm")
    panel = panel_for(questionnaire, "en", SURVEY)
    for _, item in questionnaire.items():
        missing = [r for r in panel.question(item.id).rules if r.kind == "missing"]
        required = (item.required if isinstance(item, Field) else item.min_rows > 0)
        assert len(missing) == (1 if required else 0), item.id


def formulas_of(panel: Panel) -> list[str]:
    return list(panel.formulas.values())


def test_formulas_are_plain_and_within_excel_limits() -> None:
    for questionnaire, lang, panel in every_panel():
        for formula in formulas_of(panel):
            assert len(formula) + 1 <= FORMULA_MAX
            literals = STRING.findall(formula)
            assert all(len(text) - 2 <= LITERAL_MAX for text in literals)
            bare = QUOTED_SHEET.sub("SHEET!", STRING.sub('""', formula))
            assert set(FUNCTION.findall(bare)) <= PLAIN_FUNCTIONS, formula[:200]
            assert "[" not in bare, "no reference to another file"
            assert bare.count("(") == bare.count(")")
            depth = deepest = 0
            for character in bare:
                depth += {"(": 1, ")": -1}.get(character, 0)
                deepest = max(deepest, depth)
            assert deepest <= 64, f"{questionnaire.source} {lang}: nesting {deepest}"


def test_a_table_of_five_hundred_rows_stays_within_excel_limits() -> None:
    questionnaire = SURVEY.current("state")
    sections = tuple(
        replace(section, items=tuple(replace(item, rows=500) if isinstance(item, Table)
                                     else item for item in section.items))
        for section in questionnaire.sections)
    big = replace(questionnaire, sections=sections, _numbers={})
    panel = panel_for(big, "fr", SURVEY)
    assert max(len(f) for f in formulas_of(panel)) + 1 <= FORMULA_MAX


def test_texts_are_in_the_workbooks_language_and_counts_are_computed() -> None:
    panel = panel_for(SURVEY.current("igo"), "fr", SURVEY)
    overall = panel.formulas[panel.overall.replace("$", "")]
    assert '"Prêt à être envoyé"' in overall
    assert f'"Il reste "&{panel.to_answer}&" questions à remplir"' in overall
    assert f'{panel.to_correct}&" erreurs à corriger"' in overall
    assert "problème" not in overall  # what a blank workbook has left is not a problem


def test_accepted_forms_are_read_as_the_same_choice_by_the_reader() -> None:
    """The panel accepts a choice exactly where the validator does: the forms come from one
    place (model/matching.py), and the reader reads each of them as its choice."""
    reference = SURVEY.reference
    for list_name in ("yes_no", "states", "iscms", "thematic_areas"):
        for lang in LANGS:
            for text, code in accepted_forms(reference[list_name], lang):
                assert coerce_choice(text.upper(), list_name, lang, reference, []) == code
    for lang in LANGS:
        for text, code in accepted_forms(reference["yes_no"], lang):
            assert coerce_tick(text, lang, reference, []) is (code == "yes")
        for word in TICK_WORDS:
            assert coerce_tick(word.upper(), lang, reference, []) is True


@pytest.mark.parametrize("lang", LANGS)
def test_section_sheet_status_and_check_texts_exist_in_every_language(lang: str) -> None:
    panel = panel_for(SURVEY.current("iscm"), lang, SURVEY)
    assert panel.check_sheet == SURVEY.settings.text("check_sheet", lang)
    for section in panel.sections:
        summary = panel.formulas[section.summary.replace("$", "")]
        assert section.done_text in summary
