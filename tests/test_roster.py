"""The roster of respondents: the bundled sample, CSV and xlsx rosters, and broken ones."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.returns_kit import SURVEY
from workbook_tools.errors import RosterError
from workbook_tools.model.roster import read_roster, sample_roster_path


def test_sample_roster_has_the_2019_rounds_size() -> None:
    roster = read_roster(sample_roster_path(), SURVEY)
    assert Counter(r.kind for r in roster) == {"state": 46, "iscm": 22, "igo": 3}
    assert {r.lang for r in roster} == {"en", "fr", "es"}


def test_sample_khartoum_process_includes_egypt_ethiopia_and_the_netherlands() -> None:
    roster = read_roster(sample_roster_path(), SURVEY)
    members = {r.code for r in roster if r.kind == "state" and "khartoum" in r.iscms}
    assert {"EGY", "ETH", "NLD"} <= members
    assert any(r.kind == "iscm" and r.code == "khartoum" for r in roster)


def test_roster_accepts_short_names_lower_case_codes_and_semicolon_csv(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("respondent_id;kind;code;lang;iscms\n"
                    "S1;State;egy;FR;Khartoum Process, rabat\n", encoding="utf-8")
    (respondent,) = read_roster(path, SURVEY)
    assert (respondent.code, respondent.lang, respondent.iscms) == ("EGY", "fr",
                                                                    ("khartoum", "rabat"))
    assert respondent.name == "Egypt"


def test_roster_names_iscms_in_any_of_the_three_languages(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("respondent_id;kind;code;lang;iscms\n"
                    "S1;state;ARG;es;Conferencia Suramericana sobre Migraciones, "
                    "Proceso de Jartum\n"
                    "S2;state;MAR;fr;Processus de Rabat, Dialogue 5+5\n", encoding="utf-8")
    first, second = read_roster(path, SURVEY)
    assert first.iscms == ("sacm", "khartoum")
    assert second.iscms == ("rabat", "5plus5")


def test_a_row_with_more_cells_than_columns_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("respondent_id;kind;code;lang;iscms\n"
                    "S1;state;EGY;en;khartoum;rabat\n", encoding="utf-8")
    with pytest.raises(RosterError, match="line 2: more values than columns"):
        read_roster(path, SURVEY)


def test_roster_from_an_excel_workbook(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["respondent_id", "kind", "code", "name", "lang", "email", "iscms"])
    sheet.append(["IGO-1", "igo", "unhcr", "UNHCR Geneva", "es", "a@b.example", "bali"])
    workbook.save(tmp_path / "roster.xlsx")
    (respondent,) = read_roster(tmp_path / "roster.xlsx", SURVEY)
    assert (respondent.name, respondent.lang, respondent.iscms) == ("UNHCR Geneva", "es",
                                                                    ("bali",))


def test_every_roster_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "respondent_id,kind,code,lang,email,iscms\n"
        "S1,state,EGY,en,ok@x.example,khartoum\n"
        "S1,state,XXX,en,,\n"
        "S2,country,EGY,en,,\n"
        "S3,state,ETH,de,,\n"
        "S4,state,ETH,en,not-an-email,Atlantis Process\n"
        "s4,state,KEN,en,,\n",
        encoding="utf-8",
    )
    with pytest.raises(RosterError) as caught:
        read_roster(path, SURVEY)
    message = str(caught.value)
    assert "roster.csv, line 3: respondent_id 'S1' is already used on line 2" in message
    assert "line 7: respondent_id 's4' is already used on line 6 (ids that differ only in case" \
        in message
    assert "line 3: code 'XXX' is not a known state" in message
    assert "line 4: kind 'country' must be one of igo, iscm, state" in message
    assert "line 5: lang 'de' must be one of en, fr, es" in message
    assert "line 6: email 'not-an-email' is not an e-mail address" in message
    assert "line 6: ISCM 'Atlantis Process' is not in the reference list" in message


def test_a_roster_without_its_columns_says_which_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("id,type\nS1,state\n", encoding="utf-8")
    with pytest.raises(RosterError, match=r"missing column.*respondent_id, kind, code, lang"):
        read_roster(path, SURVEY)


def test_a_roster_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(RosterError, match=r"a roster is a \.csv or \.xlsx file"):
        read_roster(path, SURVEY)
    broken = tmp_path / "roster.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(RosterError, match="cannot be read"):
        read_roster(broken, SURVEY)
