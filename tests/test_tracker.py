"""The tracker tells the truth: every respondent of the roster in exactly one state, earned by
its files (not received, rejected, invalid with its problems, conflicting, valid), named; a
return replaced by a later one is superseded; an ISCM whose return is invalid is said to be so,
in the master and in its draft, never "did not answer"."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.returns_kit import SURVEY, check, make_return
from workbook_tools.model.roster import Respondent
from workbook_tools.outputs.consolidate import (
    RoundDates,
    iscm_states,
    respondent_standings,
    select_returns,
    tracker_lines,
)
from workbook_tools.outputs.drafts import write_summaries
from workbook_tools.outputs.master import write_master

KHARTOUM = Respondent("ISCM-KHARTOUM", "iscm", "khartoum", "Khartoum Process", "en")
MIDWA = Respondent("ISCM-MIDWA", "iscm", "midwa", "MIDWA", "fr")
EGYPT = Respondent("STATE-EGY", "state", "EGY", "Egypt", "en", "", ("khartoum", "midwa"))
ETHIOPIA = Respondent("STATE-ETH", "state", "ETH", "Ethiopia", "en", "", ("khartoum",))
COLOMBIA = Respondent("STATE-COL", "state", "COL", "Colombia", "es", "", ("sacm",))
USA = Respondent("STATE-USA", "state", "USA", "United States", "en", "", ("rcm",))
UNHCR = Respondent("IGO-UNHCR", "igo", "unhcr", "UNHCR", "en", "", ("khartoum",))
ROSTER = [KHARTOUM, MIDWA, EGYPT, ETHIOPIA, COLOMBIA, USA, UNHCR]
TOO_MANY = ["trafficking", "smuggling", "data", "diaspora", "border_management",
            "labour_migration", "gcm", "integration", "migrant_health"]  # at most 8


def membership(iscm: str) -> dict[str, object]:
    return {"iscm": iscm, "status": "member", "role": "none", "since": 2015,
            **{f"value_{area}": "3" for area in SURVEY.reference["value_areas"].codes}}


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("returns")
    make_return(folder, "iscm", who=KHARTOUM)
    make_return(folder, "iscm", "fr", who=MIDWA, answers={"current_priorities": TOO_MANY})
    first = make_return(folder, "state", who=EGYPT, name="STATE-EGY-first-draft.xlsx",
                        answers={"completion_date": dt.date(2026, 12, 1)})
    final = make_return(folder, "state", who=EGYPT, name="STATE-EGY.xlsx",
                        answers={"completion_date": dt.date(2026, 12, 10)},
                        tables={"memberships": [membership("khartoum"), membership("midwa")]})
    os.utime(first, (1_700_000_000, 1_700_000_000))  # received 2023-11-14
    os.utime(final, (1_760_000_000, 1_760_000_000))  # received 2025-10-09
    make_return(folder, "state", who=ETHIOPIA, answers={"overlap": "Perhaps"})
    whole = make_return(folder, "state", "es", who=COLOMBIA, name="STATE-COL.xlsx")
    whole.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # cut off in transit
    tied = [make_return(folder, "igo", who=UNHCR, name=f"IGO-UNHCR-{n}.xlsx",
                        answers={"added_value": f"Version {n}"}) for n in (1, 2)]
    for path in tied:
        os.utime(path, (1_750_000_000, 1_750_000_000))
    return folder


def test_every_respondent_of_the_roster_has_exactly_one_state(returns: Path) -> None:
    selection = select_returns(check(returns, roster=ROSTER), SURVEY)
    standings = {s.name: s for s in respondent_standings(selection, SURVEY, ROSTER)}
    assert sorted(standings) == sorted(r.name for r in ROSTER)
    assert {name: s.state for name, s in standings.items()} == {
        "Khartoum Process": "valid", "MIDWA": "invalid", "Egypt": "valid",
        "Ethiopia": "invalid", "Colombia": "rejected", "United States": "not received",
        "UNHCR": "conflicting"}
    midwa = standings["MIDWA"]
    assert midwa.errors == 1 and midwa.detail.startswith("1 error: 1.12 ")
    assert midwa.received is not None and midwa.file.endswith("ISCM-MIDWA-fr.xlsx")
    colombia = standings["Colombia"]  # unreadable: known by its file's name
    assert colombia.file.endswith("STATE-COL.xlsx") and "cannot be read" in colombia.detail
    egypt = standings["Egypt"]
    assert egypt.completed == dt.date(2026, 12, 10)
    assert [(item.path.name, fate) for item, fate in egypt.others] == [
        ("STATE-EGY-first-draft.xlsx",
         "received 2023-11-14; superseded by the return received 2025-10-09")]
    assert egypt.received == dt.date(2025, 10, 9)
    assert standings["United States"].deciding is None


def test_the_overview_names_whom_to_follow_up_and_for_what(returns: Path) -> None:
    selection = select_returns(check(returns, roster=ROSTER), SURVEY)
    lines = {line.label: line for line in tracker_lines(
        respondent_standings(selection, SURVEY, ROSTER), ROSTER, SURVEY)}
    assert (lines["Sent"].counts, lines["Sent"].total) == ((2, 4, 1), 7)
    assert lines["Valid"].counts == (1, 1, 0)
    assert lines["Invalid"].who == "MIDWA (1 error), Ethiopia (1 error)"
    assert lines["Rejected"].who == "Colombia"
    assert lines["Not received"].who == "United States"
    assert lines["Conflicting"].who == "UNHCR"
    assert lines["Superseded returns"].total == 1
    assert lines["Superseded returns"].who == (
        "Egypt (received 2023-11-14; superseded by the return received 2025-10-09)")


def test_an_invalid_iscm_return_is_shown_marked_not_as_silence(returns: Path,
                                                              tmp_path: Path) -> None:
    report = check(returns, roster=ROSTER)
    selection = select_returns(report, SURVEY)
    master = write_master(tmp_path / "master.xlsx", report, selection, SURVEY, ROSTER).path
    sheet = load_workbook(master)["MIDWA"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert texts[2].startswith("Return received on ")
    assert ", not valid: 1 error: 1.12 " in texts[2]
    assert not any("did not answer" in text for text in texts)
    faulty = next(row for row in sheet.iter_rows() if row[0].value == "1.12")
    assert faulty[3].value and "at most 8" in faulty[3].value  # the problem beside the answer
    assert faulty[2].fill.fgColor.rgb.endswith("FFEB9C")  # marked
    tracker = load_workbook(master)["Tracker"]
    states = {row[1].value: row[2].value for row in tracker.iter_rows(min_row=5)}
    assert states["MIDWA"] == "invalid" and states["Colombia"] == "rejected"
    overview = [str(c.value) for row in load_workbook(master)["Overview"].iter_rows()
                for c in row if c.value is not None]
    assert any(text.startswith("return received, not valid") for text in overview)


def test_the_drafts_say_the_same_state(returns: Path, tmp_path: Path) -> None:
    selection = select_returns(check(returns, roster=ROSTER), SURVEY)
    assert {code: s.state for code, s in iscm_states(selection, SURVEY).items()} == {
        "khartoum": "valid", "midwa": "invalid"}
    write_summaries(tmp_path, selection, SURVEY, "fr")
    text = "\n".join(p.text for p in Document(str(tmp_path / "MIDWA-fr.docx")).paragraphs)
    assert "Le questionnaire renvoyé par le MIDWA a été reçu mais n'est pas valide" in text
    assert "n'a pas répondu" not in text
    assert "tant qu'un questionnaire valide n'a pas été reçu" in text


def test_in_a_round_the_round_dates_and_names_the_files(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    khartoum = make_return(folder, "iscm", who=KHARTOUM, name="7f3a.xlsx")
    unreadable = make_return(folder, "state", "es", who=COLOMBIA, name="c41d.xlsx")
    unreadable.write_bytes(unreadable.read_bytes()[:2000])
    dates = RoundDates(dt.date(2027, 2, 10), dt.date(2027, 1, 31),
                       {khartoum: dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC),
                        unreadable: dt.datetime(2026, 12, 6, 9, tzinfo=dt.UTC)},
                       {"STATE-USA": dt.date(2026, 11, 2)},
                       {khartoum: "ISCM-KHARTOUM", unreadable: "STATE-COL"})
    roster = [KHARTOUM, COLOMBIA, USA]
    report = check(folder, roster=roster)
    selection = select_returns(report, SURVEY, dates=dates)
    standings = {s.name: s for s in respondent_standings(selection, SURVEY, roster)}
    assert standings["Khartoum Process"].received == dt.date(2026, 12, 4)  # not the file's time
    colombia = standings["Colombia"]  # its file's name says nothing; the round knows whose
    assert (colombia.state, Path(colombia.file).name) == ("rejected", "c41d.xlsx")
    assert standings["United States"].detail == "sent 2026-11-02; 10 days past the deadline"
