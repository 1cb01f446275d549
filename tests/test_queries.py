"""Consistency queries: disagreements between valid returns found, each addressed to a
respondent in its language, at the cell where its answer is or should be; the returns stay
valid."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import layout_of
from tests.returns_kit import SAMPLE, SURVEY, check, make_return
from workbook_tools.check.queries import find_queries, query_rows
from workbook_tools.cli import cli
from workbook_tools.model.roster import Respondent
from workbook_tools.outputs.consolidate import select_returns

KHARTOUM, KHARTOUM_TABLES = SAMPLE.fixed["ISCM-KHARTOUM"]  # names ICMPD as its support
RATINGS = {f"value_{a}": "3" for a in SURVEY.reference["value_areas"].codes}


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("returns")
    khartoum = Respondent("ISCM-KHARTOUM", "iscm", "khartoum", "Khartoum Process", "en")
    make_return(folder, "iscm", fixed=KHARTOUM, fixed_tables=KHARTOUM_TABLES, who=khartoum)
    # ICMPD, in French, names the Rabat Process but not the Khartoum Process
    icmpd = Respondent("IGO-ICMPD", "igo", "icmpd", "ICMPD", "fr", "", ("rabat",))
    make_return(folder, "igo", "fr", who=icmpd)
    # two States each say they chair the Khartoum Process
    for code, name, lang in (("EGY", "Egypt", "es"), ("ETH", "Ethiopia", "en")):
        who = Respondent(f"STATE-{code}", "state", code, name, lang, "", ("khartoum",))
        make_return(folder, "state", lang, who=who, tables={"memberships": [
            {"iscm": "khartoum", "status": "member", "role": "chair", "since": 2015,
             **RATINGS}]})
    return folder


def test_queries_are_found_and_the_returns_stay_valid(returns: Path) -> None:
    report = check(returns)
    assert report.summary == {"valid": 4, "invalid": 0, "rejected": 0}
    queries = find_queries(select_returns(report, SURVEY).used, SURVEY)
    assert sorted((q.to.reading.respondent.code, q.issue.code) for q in queries) == [
        ("EGY", "query-held-by-several"), ("ETH", "query-held-by-several"),
        ("icmpd", "query-partner-not-named")]
    assert all(q.issue.severity == "query" for q in queries)


def test_a_query_asks_the_silent_respondent_in_its_language_where_to_answer(
        returns: Path) -> None:
    queries = find_queries(select_returns(check(returns), SURVEY).used, SURVEY)
    (icmpd,) = [q for q in queries if q.issue.code == "query-partner-not-named"]
    place = layout_of(SURVEY, "igo", "fr").tables["engagements"]
    # the first row left empty of its table of ISCMs: where to add one
    assert (icmpd.issue.sheet, icmpd.issue.cell) == (place.sheet, place.cell("iscm", 1))
    assert SURVEY.messages.render(icmpd.issue, icmpd.lang) == (
        "Dans sa réponse, le Processus de Khartoum mentionne l'ICMPD (question 3.10, « Quelles "
        "organisations appuient le secrétariat ? »). Votre réponse ne mentionne pas le Processus "
        "de Khartoum (tableau 1.1, feuille « 1a MCIM »). Merci de nous confirmer si l'ICMPD "
        "travaille avec le Processus de Khartoum. Si c'est le cas, merci de l'y ajouter ; sinon, "
        "merci de nous le dire, afin que nous puissions vérifier auprès du Processus de "
        "Khartoum.")
    (source,) = icmpd.sources
    supported = layout_of(SURVEY, "iscm", "en").fields["secretariat_supported_by"]
    assert (source.who, source.sheet, source.cell) == (
        "Khartoum Process", supported.sheet, supported.options["icmpd"])
    assert Path(source.file).name == "ISCM-KHARTOUM-en.xlsx"


def test_a_value_only_one_can_hold_is_queried_to_each_claimant(returns: Path) -> None:
    queries = find_queries(select_returns(check(returns), SURVEY).used, SURVEY)
    egypt = next(q for q in queries if q.to.reading.respondent.code == "EGY")
    place = layout_of(SURVEY, "state", "es").tables["memberships"]
    assert (egypt.issue.sheet, egypt.issue.cell, egypt.issue.value) == (
        place.sheet, place.cell("role", 0), "Chair")
    assert SURVEY.messages.render(egypt.issue, "es").startswith(
        "Según su respuesta, la función «Presidencia» en el Proceso de Jartum corresponde a "
        "Egipto. La respuesta de Etiopía indica lo mismo, aunque solo uno puede ejercerla.")
    assert [source.who for source in egypt.sources] == ["Ethiopia"]


def test_the_queries_command_lists_them_and_writes_a_table(returns: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "queries.csv"
    result = CliRunner().invoke(cli, ["queries", str(returns), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 queries across 4 return(s)" in result.output
    assert "to ICMPD (IGO-ICMPD, fr)" in result.output
    assert "[en] In its return, the Khartoum Process names ICMPD" in result.output
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["code"] for row in rows] == [q["code"] for q in query_rows(
        find_queries(select_returns(check(returns), SURVEY).used, SURVEY), SURVEY)]
    assert {row["said_by"] for row in rows} == {"Khartoum Process", "Egypt", "Ethiopia"}


def test_the_master_has_a_sheet_of_queries(returns: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    master = tmp_path / "master.xlsx"
    result = CliRunner().invoke(cli, ["consolidate", str(returns), "--out", str(master)])
    assert result.exit_code == 0, result.output
    assert "3 consistency queries in the sheet Queries" in result.output
    rows = list(load_workbook(master, read_only=True)["Queries"].iter_rows(values_only=True))
    assert len(rows) == 4
    assert rows[0][:3] == ("respondent_id", "kind", "respondent_name")


def test_queries_name_states_iscms_and_igos_as_the_drafts_do() -> None:
    """The queries evaluate the drafts' name-* messages without a Fluent bundle: the same
    words, article and contraction, for every name of the reference lists."""
    from workbook_tools.check.queries import _Finder
    from workbook_tools.outputs.drafts import Phrasebook

    finder = _Finder([], SURVEY)
    for lang in ("en", "fr", "es"):
        book = Phrasebook(SURVEY, lang)
        for kind, list_name in (("state", "states"), ("iscm", "iscms"), ("igo", "igos")):
            for code in SURVEY.reference[list_name].codes:
                name = SURVEY.reference.name(list_name, code, lang)
                if name is None:
                    continue
                expected = book.forms(name, spelled_out=False)
                assert {form: finder.name((kind, code), lang, form)
                        for form in ("the", "of", "to")} == {
                    form: expected[form] for form in ("the", "of", "to")}, (lang, code)
