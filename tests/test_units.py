"""The fast tier: pure functions tested directly, in milliseconds, no workbook written.

Coercion of what respondents type, dates, the identification, messages, layout, roles, the
drafts' words. Whole-workbook tests (test_validate, test_template...) keep what only a workbook
can show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.returns_kit import SURVEY
from workbook_tools.check.validate import CHUNK_MAX, reading_chunks
from workbook_tools.files import csv_bytes
from workbook_tools.form.identity import Identity, fingerprint
from workbook_tools.form.layout import column_index, column_letter, layout_in
from workbook_tools.model.languages import collation_key
from workbook_tools.model.messages import Word, display
from workbook_tools.outputs.drafts import Phrasebook, Scope, holds
from workbook_tools.read.coerce import (
    Note,
    cell_value,
    coerce_choice,
    coerce_date,
    coerce_integer,
    coerce_tick,
    parse_date_text,
    serial_to_date,
)
from workbook_tools.read.sheetxml import RawCell

# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("2026-12-15", dt.date(2026, 12, 15)),
    ("2026/12/15", dt.date(2026, 12, 15)),
    ("15/12/2026", dt.date(2026, 12, 15)),  # day first: 15 cannot be a month
    ("12/15/2026", dt.date(2026, 12, 15)),  # month first: 15 cannot be a month
    ("15.12.2026", dt.date(2026, 12, 15)),
    ("December 15, 2026", dt.date(2026, 12, 15)),
    ("15 décembre 2026", dt.date(2026, 12, 15)),
    ("15 de diciembre de 2026", dt.date(2026, 12, 15)),
    ("15th December 2026", dt.date(2026, 12, 15)),
    ("1 setiembre 2026", dt.date(2026, 9, 1)),
    ("03/03/2026", dt.date(2026, 3, 3)),  # the same either way: not ambiguous
])
def test_unambiguous_dates_typed_as_text(typed: str, expected: dt.date) -> None:
    assert parse_date_text(typed) == expected


def test_an_ambiguous_date_gives_both_readings() -> None:
    assert parse_date_text("03/04/2026") == (dt.date(2026, 4, 3), dt.date(2026, 3, 4))


@pytest.mark.parametrize("typed", ["next week", "31/02/2026", "2026", "15 décembre",
                                   "December 2026 15 16", ""])
def test_what_is_not_a_date(typed: str) -> None:
    assert parse_date_text(typed) is None


def test_excel_serial_dates_in_both_date_systems() -> None:
    assert serial_to_date(46371, date1904=False) == dt.date(2026, 12, 15)
    assert serial_to_date(46371 - 1462, date1904=True) == dt.date(2026, 12, 15)
    assert serial_to_date(0, date1904=False) is None
    assert serial_to_date(3e6, date1904=False) is None  # beyond 9999-12-31


def test_a_date_typed_as_text_is_read_with_a_warning() -> None:
    notes: list[Note] = []
    assert coerce_date("15 December 2026", False, "2027-01-31", notes) == dt.date(2026, 12, 15)
    assert [n.code for n in notes] == ["date-as-text"]
    notes = []
    assert coerce_date("03/04/2026", False, "2027-01-31", notes) is None
    assert [n.code for n in notes] == ["ambiguous-date"]


# --- numbers, choices, ticks -----------------------------------------------------------------


@pytest.mark.parametrize(("typed", "kind", "expected", "codes"), [
    (2014.0, "year", 2014, []),
    ("2014", "year", 2014, ["number-as-text"]),
    ("40,0", "integer", 40, ["number-as-text"]),
    ("1 200", "integer", 1200, ["number-as-text"]),
    ("1 200", "year", None, ["not-a-year"]),
    (12.5, "integer", None, ["not-a-number"]),
    ("forty", "integer", None, ["not-a-number"]),
    (True, "integer", None, ["not-a-number"]),
])
def test_whole_numbers(typed: object, kind: str, expected: object, codes: list[str]) -> None:
    notes: list[Note] = []
    assert coerce_integer(typed, kind, notes) == expected
    assert [n.code for n in notes] == codes


def test_a_choice_in_another_case_or_language_is_its_code_with_a_warning() -> None:
    reference = SURVEY.reference
    notes: list[Note] = []
    assert coerce_choice("Presidencia rotatoria", "chair_arrangements", "es", reference,
                         notes) == "rotating"
    assert notes == []
    assert coerce_choice("rotating CHAIR", "chair_arrangements", "fr", reference,
                         notes) == "rotating"
    assert [n.code for n in notes] == ["choice-normalized"]
    assert coerce_choice("Every now and then", "chair_arrangements", "en", reference,
                         []) == "Every now and then"  # kept: the schema says it is not a choice


@pytest.mark.parametrize(("typed", "expected"), [
    ("Oui", True), ("x", True), ("✓", True), (True, True), ("Non", False), (None, False),
    ("", False), ("maybe", "maybe")])
def test_ticks(typed: object, expected: object) -> None:
    assert coerce_tick(typed, "fr", SURVEY.reference, []) == expected


def test_cells_as_stored() -> None:
    assert cell_value(RawCell("s", "Text"), False) == ("Text", [])
    assert cell_value(RawCell("n", "40"), False) == (40.0, [])
    value, notes = cell_value(RawCell("str", "7", "SUM(A1:A2)"), False)
    assert value == "7" and [n.code for n in notes] == ["formula"]
    assert cell_value(RawCell("b", "1", "TRUE()"), False) == (True, [])  # LibreOffice's TRUE
    value, notes = cell_value(RawCell("e", "#DIV/0!"), False)
    assert value is None and [n.code for n in notes] == ["cell-error"]
    value, notes = cell_value(RawCell("str", "", "NOW()"), False)  # no result saved with it
    assert value is None and [n.code for n in notes] == ["formula-no-value"]
    value, notes = cell_value(RawCell("s", "a\x07b\u202e"), False)
    assert value == "ab" and [n.code for n in notes] == ["control-characters", "bidi-controls"]


# --- identification, layout, roles ----------------------------------------------------------


def test_the_identification_round_trips_through_each_place() -> None:
    identity = Identity("state", 1, "fr", "abcdef0123456789", "STATE-EGY", "EGY")
    assert Identity.decode(identity.encode()) == identity
    assert Identity.from_defined_name('"' + identity.encode() + '"') == identity
    assert Identity.from_properties(identity.properties()) == identity
    assert Identity.decode("wt1|state|one|fr|x||") is None
    assert Identity.from_properties({"wt_questionnaire": "state"}) is None


def test_a_fingerprint_is_per_language_and_stable() -> None:
    iscm = SURVEY.current("iscm")
    prints = {lang: fingerprint(iscm, lang) for lang in ("en", "fr", "es")}
    assert len(set(prints.values())) == 3
    assert prints["en"] == fingerprint(iscm, "en")


def test_column_names() -> None:
    assert [column_letter(i) for i in (1, 26, 27, 52, 16_384)] == ["A", "Z", "AA", "AZ", "XFD"]
    assert [column_index(c) for c in ("A", "Z", "AA", "XFD")] == [1, 26, 27, 16_384]


def test_layout_places_each_question_on_its_row() -> None:
    layout = layout_in(SURVEY.current("iscm"), "fr", SURVEY)
    assert layout.sheet_order[0] == SURVEY.settings.text("instructions_sheet", "fr")
    iscm = layout.fields["iscm"]
    assert (iscm.sheet, iscm.cell) == ("0 Identification", "C4")
    work_plan = layout.fields["work_plan"]
    assert work_plan.cell is None and len(work_plan.options) == 5  # one row per option
    table = layout.tables["membership_changes"]
    assert table.cell("state", 0) == "B4" and table.last_row == 3 + 15


def test_outputs_find_questions_by_role() -> None:
    state = SURVEY.current("state")
    completion = state.field_with_role("completion_date")
    assert completion is not None and completion.type == "date"
    table = state.table_with_role("about_iscms")
    assert table is not None and table.iscm_column is not None
    ratings = table.columns_with_role("value_ratings")
    assert {c.option for c in ratings} == set(SURVEY.reference["value_areas"].codes)
    assert all(c.group == "value_areas" for c in ratings)
    assert SURVEY.current("iscm").table_with_role("thematic_priorities") is None
    personal = {f.id for f in state.fields() if f.personal}
    assert personal == {"focal_point_name", "focal_point_email"}


# --- messages and files ----------------------------------------------------------------------


def test_a_message_is_rendered_in_the_language_asked() -> None:
    messages = SURVEY.messages
    issue = messages.issue("not-a-workbook", found=Word("a-pdf"))
    assert issue.severity == "error"
    english, french = messages.render(issue, "en"), messages.render(issue, "fr")
    assert english != french and messages.word("a-pdf", "fr") in french
    issue = messages.issue("missing-cell", sheet="1a ISCMs", cell="C5", question="memberships",
                           number="1.1", row=2, column={"en": "Status", "fr": "Statut",
                                                        "es": "Situación"})
    assert "Statut" in messages.render(issue, "fr") and "Status" in messages.render(issue)


def test_values_shown_in_reports() -> None:
    assert display(2014.0) == "2014"
    assert display(None) == ""
    assert len(display("x" * 500)) == 200


def test_csv_never_hands_a_formula_to_a_spreadsheet() -> None:
    data = csv_bytes(["a"], [{"a": "=1+1"}, {"a": "-2"}, {"a": "@SUM(A1)"}, {"a": "plain"}])
    assert data.decode("utf-8-sig").splitlines() == ["a", "'=1+1", "'-2", "'@SUM(A1)", "plain"]


def test_file_names_from_respondent_ids_are_names_every_file_system_takes() -> None:
    from workbook_tools.send.write import safe_file_stem

    assert safe_file_stem("STATE-EGY") == "STATE-EGY"
    assert safe_file_stem("../../etc/passwd") == "etc-passwd"
    assert [safe_file_stem(name) for name in ("CON", "nul", "Com1", "LPT9.old", "con.v2")] == [
        "CON_", "nul_", "Com1_", "LPT9_.old", "con_.v2"]
    assert safe_file_stem("CONSULAR") == "CONSULAR"  # only the device names themselves


# --- the drafts' words ------------------------------------------------------------------------


def test_names_sort_as_a_reader_expects() -> None:
    names = ["Pays-Bas", "Éthiopie", "Égypte", "Chine"]
    assert sorted(names, key=lambda name: collation_key(name, "fr")) == [
        "Chine", "Égypte", "Éthiopie", "Pays-Bas"]


def test_running_text_uses_phrases_then_lower_cased_labels() -> None:
    book = Phrasebook(SURVEY, "fr")
    assert book.label("work_plan_cycles", "annual") == "sur une base annuelle"  # a phrase
    assert book.label("thematic_areas", "smuggling") == "trafic illicite de migrants"
    assert book.label("igos", "unhcr") == "HCR"  # a name keeps its case
    assert book.join(["a", "b", "c"]) == "a, b et c"
    assert Phrasebook(SURVEY, "en").join(["a", "b", "c"]) == "a, b and c"  # no serial comma


def test_quotations_become_runs_of_their_own_untouched_by_grammar() -> None:
    book = Phrasebook(SURVEY, "fr")
    quoted = book.quote("de Europe; le Ouganda.", "en")
    runs = book.runs(f"appui du HCR; voir {quoted}.")
    assert runs[0].text == "Appui du HCR\u202f; voir «\u00a0"
    assert (runs[1].text, runs[1].quoted_from) == ("de Europe; le Ouganda.", "en")
    assert runs[1].highlight and runs[1].comment.startswith("Traduction nécessaire")
    assert runs[2].text == "\u00a0»"  # the quotation ends the sentence: no second full stop


def test_conditions_of_the_drafts() -> None:
    from workbook_tools.model.summary import When

    scope = Scope(SURVEY.current("iscm"), {"work_plan": ("annual", "none"), "has_strategy": "no",
                                           "guiding_document": ""}, {}, "en")
    assert holds(When("work_plan", "includes", ("none",)), scope)
    assert holds(When("has_strategy", "equals", ("no",)), scope)
    assert not holds(When("has_strategy", "in", ("yes",)), scope)
    assert not holds(When("guiding_document"), scope)  # an empty answer is not an answer


def test_readers_take_bounded_batches_in_the_order_given() -> None:
    """Two batches per reader for a small run; never more than CHUNK_MAX returns in one (a
    reader holds and pickles a batch of readings), and every file once, in order."""
    few = [Path(f"{index}.xlsx") for index in range(100)]
    assert [len(chunk) for chunk in reading_chunks(few, 2)] == [25, 25, 25, 25]
    many = [Path(f"{index}.xlsx") for index in range(5_001)]
    chunks = reading_chunks(many, 2)
    assert max(map(len, chunks)) == CHUNK_MAX
    assert [path for chunk in chunks for path in chunk] == many
