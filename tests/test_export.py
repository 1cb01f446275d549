"""Data for analysts: the codebook and the files in every format come from the definitions, say
why a value is missing, keep personal data out, read back in Stata and SPSS with their labels,
and validate as a Frictionless data package."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pyreadstat
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.returns_kit import SURVEY, check, make_return
from workbook_tools.cli import cli
from workbook_tools.demo.run import DemoResult
from workbook_tools.errors import DefinitionError, UserError
from workbook_tools.model.questionnaire import Condition, Field
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey, load_survey
from workbook_tools.outputs.consolidate import select_returns
from workbook_tools.outputs.export import available_formats, write_export
from workbook_tools.outputs.export.dictionary import (
    NAME_MAX,
    NOT_ANSWERED,
    NOT_APPLICABLE,
    NOT_ASKED,
    Variable,
    build_dictionary,
    choice_numbers,
    short_name,
)
from workbook_tools.outputs.export.formats import fixed_spss_timestamp, fixed_stata_timestamp
from workbook_tools.outputs.export.rows import question_value

# The Khartoum Process has no strategy and no secretariat (so the period and who runs the
# secretariat do not apply), and left the optional count of observers empty.
ISCM_FIXED = {"has_strategy": "no", "secretariat_type": "none", "observers_count": None,
              "guiding_document": "Rome Declaration"}


def export(folder: Path, out: Path, survey: Survey = SURVEY, **options: object) -> Path:
    selection = select_returns(check(folder, survey=survey), survey)
    write_export(out, selection, survey, **options)  # type: ignore[arg-type]
    return out


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("returns")
    make_return(folder, "iscm", "en", fixed=ISCM_FIXED,
                answers={"thematic_evolution": "=SUM(A1:A9)"})
    make_return(folder, "state", "fr")
    make_return(folder, "igo", "es")
    return folder


@pytest.fixture(scope="module")
def exported(returns: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(returns, tmp_path_factory.mktemp("export") / "export")


# --- the files ---------------------------------------------------------------------------------


def test_a_wide_file_per_questionnaire_has_a_column_per_question_and_option(
        exported: Path) -> None:
    for kind in SURVEY.ids():
        (row,) = csv_rows(exported / "csv" / f"{kind}.csv")
        expected = []
        for f in SURVEY.current(kind).fields():
            if f.personal:
                continue
            if f.type == "multiple_choice":
                expected += [f"{f.id}__{code}" for code in f.codes]
            else:
                expected.append(f.id)
        assert list(row) == ["respondent_id", "questionnaire_version", "return_lang", *expected]
    (iscm,) = csv_rows(exported / "csv" / "iscm.csv")
    assert iscm["respondent_id"] == "ISCM-KHARTOUM"
    assert iscm["guiding_document"] == "Rome Declaration"
    assert {iscm[f"work_plan__{code}"] for code in SURVEY.reference["work_plan_cycles"].codes
            } <= {"0", "1"}


def test_tables_are_files_of_their_own_keyed_by_respondent_and_row(exported: Path) -> None:
    rows = csv_rows(exported / "csv" / "state_memberships.csv")
    assert [(r["respondent_id"], r["row"]) for r in rows] == [("STATE-EGY", "1"),
                                                              ("STATE-EGY", "2")]
    assert {r["iscm"] for r in rows} == {"khartoum", "rabat"}
    assert all(r["value_trust_building"] in {"1", "2", "3", "4", ".n"} for r in rows)


def test_the_long_file_has_every_answer_with_its_provenance(exported: Path,
                                                           returns: Path) -> None:
    rows = csv_rows(exported / "csv" / "answers.csv")
    khartoum = {r["variable"]: r for r in rows if r["respondent_id"] == "ISCM-KHARTOUM"}
    assert khartoum["has_strategy"]["value"] == "no"
    assert khartoum["has_strategy"]["value_label"] == "No"
    assert "strategy_period" not in khartoum  # not applicable: no answer, no row
    sha = hashlib.sha256((returns / "ISCM-KHARTOUM-en.xlsx").read_bytes()).hexdigest()
    assert {r["sha256"] for r in khartoum.values()} == {sha}
    assert {r["questionnaire_version"] for r in khartoum.values()} == {
        str(SURVEY.current("iscm").version)}
    ticked = [r for r in rows if r["question_id"] == "work_plan"
              and r["respondent_id"] == "ISCM-KHARTOUM"]
    assert ticked and all(r["variable"] == f"work_plan__{r['value']}" for r in ticked)


def test_text_that_looks_like_a_formula_stays_text_and_numbers_stay_numbers(
        exported: Path) -> None:
    (iscm,) = csv_rows(exported / "csv" / "iscm.csv")
    assert iscm["thematic_evolution"] == "'=SUM(A1:A9)"
    assert iscm["member_states_count"].isdigit()


# --- missing values ----------------------------------------------------------------------------


def test_missing_values_say_why_in_every_format(exported: Path) -> None:
    (iscm,) = csv_rows(exported / "csv" / "iscm.csv")
    assert iscm["strategy_period"] == ".a"  # has_strategy is "no"
    assert iscm["secretariat_managed_by__iom"] == ".a"  # no secretariat
    assert iscm["observers_count"] == ".n"

    table = pq.read_table(exported / "parquet" / "iscm.parquet").to_pylist()[0]
    assert table["strategy_period"] is None
    assert table["strategy_period__why"] == "not_applicable"
    assert table["secretariat_managed_by__iom"] is None
    assert table["secretariat_managed_by__why"] == "not_applicable"
    assert table["observers_count"] is None and table["observers_count__why"] == "not_answered"
    assert table["member_states_count"] > 0 and "member_states_count__why" not in table

    stata, meta = pyreadstat.read_dta(exported / "stata" / "iscm.dta", user_missing=True)
    assert stata.loc[0, "strategy_period"] == ".a"
    assert stata.loc[0, "secretariat_managed_by__iom"] == "a"
    assert stata.loc[0, "observers_count"] == "n"
    assert meta.variable_value_labels["observers_count"]["n"] == "Not answered"

    spss, meta = pyreadstat.read_sav(exported / "spss" / "iscm.sav", user_missing=True)
    assert spss.loc[0, "strategy_period"] == ".a"
    assert spss.loc[0, "secretariat_managed_by__iom"] == -1
    assert spss.loc[0, "observers_count"] == -2
    assert meta.missing_ranges["observers_count"] == [{"lo": c, "hi": c} for c in (-1, -2, -3)]
    assert meta.missing_ranges["strategy_period"][0] == {"lo": ".a", "hi": ".a"}
    plain, _ = pyreadstat.read_sav(exported / "spss" / "iscm.sav")  # SPSS's own view
    assert plain["observers_count"].isna().all()


def test_a_value_is_missing_for_the_reason_the_return_gives(survey: Survey) -> None:
    question = Field("period", "text", {"en": "?"}, relevant=Condition("strategy", "equals",
                                                                       ("yes",)))
    ticks = Field("plan", "multiple_choice", {"en": "?"}, choices="work_plan_cycles",
                  codes=("annual", "other"))
    period = Variable("period", "text", "text", {"en": "?"}, question="period")
    annual = Variable("plan__annual", "tick", "option", {"en": "?"}, question="plan",
                      option="annual")
    own = {"period": question, "plan": ticks}
    assert question_value(period, own, {"strategy": "no"}) is NOT_APPLICABLE
    assert question_value(period, own, {"strategy": "yes"}) is NOT_ANSWERED
    assert question_value(period, own, {"strategy": "yes", "period": "2024-2028"}) == "2024-2028"
    assert question_value(period, {"plan": ticks}, {"period": "x"}) is NOT_ASKED
    assert question_value(annual, own, {"plan": ("other",)}) == 0  # answered, not ticked
    assert question_value(annual, own, {"plan": ("annual",)}) == 1
    assert question_value(annual, own, {"plan": ()}) is NOT_ANSWERED


# --- Stata and SPSS ----------------------------------------------------------------------------


def test_stata_and_spss_files_read_back_with_their_labels(exported: Path) -> None:
    has_strategy = SURVEY.current("iscm").item("has_strategy")
    for suffix, read in (("dta", pyreadstat.read_dta), ("sav", pyreadstat.read_sav)):
        frame, meta = read(exported / ("stata" if suffix == "dta" else "spss") / f"iscm.{suffix}")
        labels = meta.column_names_to_labels
        assert labels["has_strategy"] == has_strategy.label["en"]
        assert labels["work_plan__annual"].endswith("— Annual work plan")
        values = {float(k): v for k, v in meta.variable_value_labels["has_strategy"].items()
                  if not isinstance(k, str)}
        assert values == {1.0: "Yes", 2.0: "No"}
        assert frame.loc[0, "has_strategy"] == 2  # "no"
        assert isinstance(frame.loc[0, "completion_date"], dt.date)
    _, meta = pyreadstat.read_dta(exported / "stata" / "state.dta")
    states = SURVEY.current("state").reference["states"]
    assert meta.variable_value_labels["state"][choice_numbers(states)["EGY"]] == "Egypt"


def test_long_names_are_shortened_for_stata_and_keep_the_option(exported: Path) -> None:
    assert short_name("work_plan_monitoring__secretariat", "secretariat").endswith(
        "__secretariat")
    assert len(short_name("work_plan_monitoring__secretariat", "secretariat")) <= NAME_MAX
    assert short_name("has_strategy") == "has_strategy"
    assert short_name("a" * 40) != short_name("a" * 39 + "b")
    (row,) = csv_rows(exported / "csv" / "iscm.csv")
    frame, _ = pyreadstat.read_dta(exported / "stata" / "iscm.dta")
    assert len(frame.columns) == len(row)
    assert all(len(name) <= NAME_MAX for name in frame.columns)
    assert "work_plan_monitoring__secretariat" in row


def test_choices_are_numbered_by_their_value_or_their_place() -> None:
    assert choice_numbers(SURVEY.reference["ratings"]) == {"4": 4, "3": 3, "2": 2, "1": 1,
                                                           "na": 5}
    assert choice_numbers(SURVEY.reference["yes_no"]) == {"yes": 1, "no": 2}


def test_stata_and_spss_headers_say_a_fixed_time(tmp_path: Path) -> None:
    import pandas as pd

    pyreadstat.write_dta(pd.DataFrame({"a": [1]}), tmp_path / "x.dta")
    pyreadstat.write_sav(pd.DataFrame({"a": [1]}), tmp_path / "x.sav")
    stata = fixed_stata_timestamp((tmp_path / "x.dta").read_bytes())
    spss = fixed_spss_timestamp((tmp_path / "x.sav").read_bytes())
    assert b"<timestamp>\x1101 Jan 2000 00:00</timestamp>" in stata
    assert spss[92:109] == b"01 Jan 0000:00:00"
    (tmp_path / "fixed.dta").write_bytes(stata)
    (tmp_path / "fixed.sav").write_bytes(spss)
    assert pyreadstat.read_dta(tmp_path / "fixed.dta")[0]["a"].tolist() == [1]
    assert pyreadstat.read_sav(tmp_path / "fixed.sav")[0]["a"].tolist() == [1]


# --- the codebook ------------------------------------------------------------------------------


def test_the_codebook_describes_every_variable_with_its_question_values_and_condition(
        exported: Path) -> None:
    sheets = load_workbook(exported / "codebook.xlsx")
    assert sheets.sheetnames == ["Codebook", "Variables", "Value labels"]
    rows = [[c.value for c in row] for row in sheets["Variables"].iter_rows()]
    header, body = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert header[:3] == ["File", "Variable", "Name in Stata and SPSS"]
    period = next(r for r in body if r["Variable"] == "strategy_period")
    assert period["Question"] == "Which period does the strategy cover?"
    assert period["Applies when"] == 'Only if 1.4 is "Yes".'
    assert period["Condition on the variables"] == 'has_strategy = "yes"'
    assert period["Missing values"] == ".a Not applicable"
    strategy = next(r for r in body if r["Variable"] == "has_strategy")
    assert strategy["Values"] == "yes = Yes [1]; no = No [2]"
    assert strategy["Questionnaire"] == "iscm v1, v2"  # asked by both versions
    names = {(r["File"], r["Variable"]) for r in body}
    for kind in SURVEY.ids():
        wide = next(data for data in build_dictionary(SURVEY).files if data.name == kind)
        assert {(kind, v.name) for v in wide.variables} <= names
    markdown = (exported / "codebook.md").read_text(encoding="utf-8")
    assert "| strategy_period | strategy_period | iscm v1, v2 |" in markdown
    assert "### states" in markdown


def test_the_codebook_speaks_the_language_asked_for(returns: Path, tmp_path: Path) -> None:
    out = export(returns, tmp_path / "fr", lang="fr", formats=["csv"])
    markdown = (out / "codebook.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Dictionnaire des variables")
    assert "Quelle période la stratégie couvre-t-elle ?" in markdown
    assert "Uniquement si la réponse à 1.4 est « Oui »." in markdown
    assert not (out / "stata").exists()


# --- personal data -----------------------------------------------------------------------------


def test_personal_data_is_left_out_unless_asked_and_the_codebook_says_which(
        exported: Path, returns: Path, tmp_path: Path) -> None:
    personal = [f.id for f in SURVEY.current("state").fields() if f.personal]
    assert personal == ["focal_point_name", "focal_point_email"]
    header = (exported / "csv" / "state.csv").read_text(encoding="utf-8").splitlines()[0]
    assert not set(personal) & set(header.split(","))
    answers = (exported / "csv" / "answers.csv").read_text(encoding="utf-8")
    assert "focal@egypt.example" not in answers
    markdown = (exported / "codebook.md").read_text(encoding="utf-8")
    left_out = markdown[markdown.index("## Personal data left out"):]
    assert "| state | E-mail address of the focal point | focal_point_email |" in left_out
    assert "--include-personal" in left_out

    included = export(returns, tmp_path / "personal", include_personal=True, formats=["csv"])
    (state,) = csv_rows(included / "csv" / "state.csv")
    assert state["focal_point_email"] == "focal@egypt.example"
    markdown = (included / "codebook.md").read_text(encoding="utf-8")
    assert "Personal data is included" in markdown


# --- the data package --------------------------------------------------------------------------


def frictionless(package: Path) -> subprocess.CompletedProcess[str]:
    """The real validator, from PyPI, as an analyst would run it."""
    binary = Path(sys.executable).with_name("frictionless")
    return subprocess.run([str(binary), "validate", "--json", package.name],
                          cwd=package.parent, capture_output=True, text=True, timeout=300,
                          check=False)


def test_frictionless_validates_the_data_package_of_the_demo(
        demo: tuple[DemoResult, list[str]]) -> None:
    result, lines = demo
    package = result.export / "datapackage.json"
    assert any(line.split(". ", 1)[-1].startswith("Exported the data for analysts")
               for line in lines)
    completed = frictionless(package)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) == {"respondents", "answers", *SURVEY.ids(), "iscm_membership_changes",
                              "iscm_partner_iscms", "iscm_partner_igos", "state_memberships",
                              "igo_engagements"}
    memberships = resources["state_memberships"]["schema"]
    assert memberships["foreignKeys"] == [{"fields": ["respondent_id"], "reference": {
        "resource": "state", "fields": ["respondent_id"]}}]
    fields = {f["name"]: f for f in resources["iscm"]["schema"]["fields"]}
    assert fields["has_strategy"]["constraints"] == {"required": True, "enum": ["yes", "no"]}
    assert fields["year_established"]["type"] == "year"
    assert "required" not in fields["strategy_period"].get("constraints", {})
    for name in ("stata", "spss", "parquet"):
        assert len(list((result.export / name).iterdir())) == len(resources)


def test_a_data_package_with_a_broken_link_does_not_validate(
        demo: tuple[DemoResult, list[str]], tmp_path: Path) -> None:
    """The validator the test above relies on checks the links between files."""
    result, _ = demo
    copy = tmp_path / "export"
    shutil.copytree(result.export / "csv", copy / "csv")
    descriptor = json.loads((result.export / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"]
                               if r["name"] in ("respondents", "state", "state_memberships")]
    for resource in descriptor["resources"]:
        del resource["hash"], resource["bytes"]  # the checksums would say the file changed
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    rows = (copy / "csv" / "state_memberships.csv").read_text(encoding="utf-8")
    (copy / "csv" / "state_memberships.csv").write_text(
        rows.replace("STATE-EGY,", "STATE-XXX,", 1), encoding="utf-8")
    completed = frictionless(copy / "datapackage.json")
    assert completed.returncode != 0
    assert "foreign-key" in completed.stdout


# --- one source of truth -----------------------------------------------------------------------


def test_a_changed_definition_changes_the_codebook_and_the_files(
        definitions_copy: Path, tmp_path: Path) -> None:
    """A version 3 of the ISCM questionnaire renames a question (declaring it in its migration)
    and adds one: no Python changes, yet the codebook and every file follow; a version 2 return
    has its answer under the new name, and shows what it was not asked."""
    text = (definitions_copy / "iscm-2.yaml").read_text(encoding="utf-8")
    added = '''      - id: has_website
        type: yes_no
        required: true
        label:
          en: "Does the ISCM have a website?"
          fr: "Le MCIM a-t-il un site web ?"
          es: "¿Tiene el MCIM un sitio web?"
'''
    migration = text[text.index("migration:"):text.index("sections:")]
    third = text.replace("version: 2", "version: 3").replace(
        migration, "migration:\n  from_version: 2\n  rename: {year_established: founding_year}\n"
    ).replace("- id: year_established", "- id: founding_year").replace(
        "{question: year_established}", "{question: founding_year}").replace(
        "      - id: membership_changes\n", added + "      - id: membership_changes\n")
    (definitions_copy / "iscm-3.yaml").write_text(third, encoding="utf-8")
    changed = load_survey(definitions_copy)
    folder = tmp_path / "returns"
    make_return(folder, "iscm", "en", name="old.xlsx")  # from version 2
    make_return(folder, "iscm", "en", name="new.xlsx", survey=changed,
                fixed={"has_website": "yes"},
                who=Respondent("ISCM-BALI", "iscm", "bali", "Bali Process", "en",
                               "secretariat@bali.example"))
    out = export(folder, tmp_path / "export", survey=changed)
    rows = {r["respondent_id"]: r for r in csv_rows(out / "csv" / "iscm.csv")}
    assert rows["ISCM-BALI"]["questionnaire_version"] == "3"
    assert rows["ISCM-KHARTOUM"]["questionnaire_version"] == "2"
    assert rows["ISCM-BALI"]["has_website"] == "yes"
    assert rows["ISCM-KHARTOUM"]["has_website"] == ".v"  # version 2 did not ask
    assert rows["ISCM-KHARTOUM"]["founding_year"].isdigit()  # carried by the migration
    assert rows["ISCM-BALI"]["founding_year"].isdigit()
    assert "year_established" not in rows["ISCM-BALI"]
    markdown = (out / "codebook.md").read_text(encoding="utf-8")
    assert "| has_website | has_website | iscm v3 |" in markdown
    assert "Does the ISCM have a website?" in markdown
    assert "| founding_year | founding_year | iscm v1, v2, v3 |" in markdown
    _, meta = pyreadstat.read_dta(out / "stata" / "iscm.dta")
    assert meta.column_names_to_labels["has_website"] == "Does the ISCM have a website?"
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"] for r in package["resources"] if r["name"] == "iscm"
              for f in r["schema"]["fields"]}
    assert {"has_website", "founding_year"} <= fields


def test_a_question_id_stata_cannot_take_is_named(definitions_copy: Path) -> None:
    path = definitions_copy / "iscm-2.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "- id: year_established", "- id: long").replace(
        "{question: year_established}", "{question: long}").replace(
        "  rename:\n", "  rename:\n    year_established: long\n"), encoding="utf-8")
    with pytest.raises(DefinitionError, match="'long' cannot name a variable in Stata"):
        build_dictionary(load_survey(definitions_copy))


# --- written whole, the same every time ---------------------------------------------------------


def test_the_same_returns_give_the_same_export_byte_for_byte(returns: Path, exported: Path,
                                                             tmp_path: Path) -> None:
    again = export(returns, tmp_path / "again")
    first = {p.relative_to(exported): p.read_bytes() for p in exported.rglob("*")
             if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_the_export_folder_is_replaced_whole_or_not_at_all(
        returns: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = export(returns, tmp_path / "out", formats=["csv"])
    before = {p.relative_to(out) for p in out.rglob("*")}
    import workbook_tools.outputs.export as export_module

    def broken(*_: object, **__: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_module, "datapackage_json", broken)
    with pytest.raises(RuntimeError):
        export(returns, out, formats=["csv", "stata"])
    assert {p.relative_to(out) for p in out.rglob("*")} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no half-built folder left
    monkeypatch.undo()
    export(returns, out, formats=["stata"])
    assert sorted(p.name for p in out.iterdir()) == ["codebook.md", "codebook.xlsx", "stata"]
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UserError, match=r"notes\.txt"):
        export(returns, out)
    assert (out / "notes.txt").exists()


@pytest.mark.parametrize("exchange", [True, False], ids=["one-step", "two-renames"])
def test_a_folder_written_whole_replaces_the_old_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    import workbook_tools.files as files

    if not exchange:  # a system without renameat2's exchange
        monkeypatch.setattr(files, "_exchange", lambda *_: False)
    elif sys.platform == "linux":  # where it exists, the swap is one step
        (tmp_path / "x").mkdir(), (tmp_path / "y").mkdir()
        (tmp_path / "x" / "1").touch()
        assert files._exchange(tmp_path / "x", tmp_path / "y")
        assert [p.name for p in (tmp_path / "y").iterdir()] == ["1"]
        (tmp_path / "x").rmdir(), shutil.rmtree(tmp_path / "y")
    target = tmp_path / "out"
    for content in ("old", "new"):
        with files.folder_written_whole(target, {"a.txt", "sub"}) as folder:
            (folder / "sub").mkdir()
            (folder / "a.txt").write_text(content, encoding="utf-8")
            (folder / "sub" / "b.txt").write_text(content, encoding="utf-8")
        assert (target / "a.txt").read_text(encoding="utf-8") == content
        assert (target / "sub" / "b.txt").read_text(encoding="utf-8") == content
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert oct(target.stat().st_mode & 0o777) == "0o755"


# --- formats and the command -------------------------------------------------------------------


def test_a_format_whose_library_is_missing_is_skipped_unless_asked_for(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyarrow" else real(name, *a))
    formats, skipped = available_formats([])
    assert formats == ["csv", "stata", "spss"]
    assert "pip install 'workbook-tools[parquet]'" in skipped["parquet"]
    with pytest.raises(UserError, match="--format parquet needs pyarrow"):
        available_formats(["parquet"])


def test_export_command_says_what_it_wrote_and_left_out(returns: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(returns), "--out", str(tmp_path / "x"),
                                      "--format", "csv", "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert "Exported 3 of 3 return(s)" in result.output
    assert "personal data left out: " in result.output
    assert f"wrote {tmp_path / 'x' / 'datapackage.json'}" in result.output
    assert f"wrote {tmp_path / 'x' / 'csv'}/ (10 files)" in result.output
    usage = CliRunner().invoke(cli, ["export", str(returns), "--out", str(tmp_path / "y"),
                                     "--format", "xls"])
    assert usage.exit_code == 2
