"""The commands' edges: one file's problem is that file's status, never the end of the run;
file names shown safely; outputs always valid UTF-8; an output that cannot be written is the
user's to fix, said with its path; special files and broken links skipped with a warning."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from tests.conftest import layout_of
from tests.returns_kit import (
    MACRO_WORKBOOK_TYPE,
    SURVEY,
    WORKBOOK_TYPE,
    check,
    make_return,
    merged,
    rewrite_package,
    set_cell_xml,
    sheet_parts,
)
from workbook_tools.cli import cli
from workbook_tools.outputs.consolidate import select_returns
from workbook_tools.outputs.master import write_master

STATE = layout_of(SURVEY, "state", "en")
IDENTIFICATION = STATE.fields["ministry"].sheet
NOT_UTF8 = os.fsdecode(b"r\xe9ponse-\xff.xlsx")  # a name from another system's encoding


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def no_bug(result: Result) -> None:
    assert "internal error" not in result.output and "Traceback" not in result.output, (
        result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Valid returns whose answers hold a lone surrogate escape, one of them under a file name
    that is not UTF-8."""
    folder = tmp_path_factory.mktemp("returns")
    iscm = make_return(folder, "iscm", "en", answers={
        "guiding_document": "Rome _xD800_ Declaration"})
    make_return(folder, "state", "fr", answers={"ministry": "Ministère _xDFFF_ des Affaires"})
    os.rename(iscm, folder / NOT_UTF8)
    return folder


def test_lone_surrogates_and_foreign_file_names_stop_nothing(returns: Path,
                                                             tmp_path: Path) -> None:
    validated = run("validate", str(returns), "--json")
    no_bug(validated)
    report = json.loads(validated.stdout_bytes.decode("utf-8"))  # strict: valid UTF-8
    assert report["summary"] == {"valid": 2, "invalid": 0, "rejected": 0}
    assert "r\\xe9ponse-\\xff.xlsx" in {Path(r["file"]).name for r in report["returns"]}
    master, data = tmp_path / "master.xlsx", tmp_path / "data"
    consolidated = run("consolidate", str(returns), "--out", str(master), "--csv", str(data))
    no_bug(consolidated)
    assert consolidated.exit_code == 0
    files = {row[0].value for row in load_workbook(master)["Returns"].iter_rows(min_row=2)}
    assert any(str(name).endswith("r\\xe9ponse-\\xff.xlsx") for name in files)
    (data / "data.csv").read_text(encoding="utf-8-sig")  # strict
    summarized = run("summarize", str(returns), "--out", str(tmp_path / "drafts"))
    no_bug(summarized)
    assert summarized.exit_code == 0
    from docx import Document

    text = "\n".join(p.text for p in Document(str(tmp_path / "drafts" / "all-iscms-en.docx"))
                     .paragraphs)
    assert "Rome \ufffd Declaration" in text


def test_a_file_deleted_after_validation_is_still_consolidated(returns: Path,
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(returns, folder)
    report = check(folder)
    for item in report.returns:
        item.path.unlink()  # gone between validation and consolidation
    selection = select_returns(report, SURVEY)
    assert len(selection.used) == 2
    write_master(tmp_path / "master.xlsx", report, selection, SURVEY)


def test_annotate_goes_on_past_files_openpyxl_cannot_take(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    base = make_return(tmp_path / "base", "state", "en", answers={"overlap": "Maybe"})
    address = STATE.fields["ministry"].cell or ""
    set_cell_xml(base, folder / "formula.xlsx", IDENTIFICATION, address,
                 f'<c r="{address}" t="str"><f>HYPERLINK("https://evil.example","x")</f>'
                 "<v>Ministry</v></c>")

    def grid(members: dict[str, bytes]) -> dict[str, bytes]:
        return merged(members, IDENTIFICATION, '<mergeCell ref="A1:XFD1048576"/>')

    rewrite_package(base, folder / "grid.xlsx", grid)

    def macro(members: dict[str, bytes]) -> dict[str, bytes]:
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            WORKBOOK_TYPE.encode(), MACRO_WORKBOOK_TYPE.encode())
        return members

    rewrite_package(base, folder / "macro.xlsx", macro)
    # read where it says by the reader, refused by openpyxl: said, and the run goes on
    set_cell_xml(base, folder / "absolute.xlsx", IDENTIFICATION, address,
                 '<c r="$C$5" t="inlineStr"><is><t>Ministry</t></is></c>')
    out, issues = tmp_path / "to-correct", tmp_path / "issues.csv"
    result = run("validate", str(folder), "--annotate", str(out), "--issues", str(issues))
    no_bug(result)
    assert result.exit_code == 1
    assert "0 valid, 4 invalid, 0 rejected" in result.output
    assert "no annotated copy of" in result.output and "grid.xlsx" in result.output
    # the whole-sheet merge covers 16,384 x 1,048,576 cells; the template's own merges add a few
    assert re.search(r"cover 17,179,869,1\d\d cells", result.output)
    assert any("absolute.xlsx: openpyxl cannot read it" in line
               for line in result.output.splitlines())
    copies = sorted(p.name for p in out.iterdir())
    assert "formula-annotated.xlsx" in copies and "grid-annotated.xlsx" not in copies
    assert issues.exists()
    copy = load_workbook(out / "formula-annotated.xlsx")[IDENTIFICATION][address]
    assert (copy.value, copy.data_type) == ('=HYPERLINK("https://evil.example","x")', "s")


def test_special_files_and_broken_links_are_skipped_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    valid = make_return(folder, "igo", "en", name="line\nbreak.xlsx")
    os.mkfifo(folder / "pipe.xlsx")
    (folder / "dangling.xlsx").symlink_to(folder / "nowhere.xlsx")
    (folder / "loop.xlsx").symlink_to(folder / "loop.xlsx")
    (folder / "linked").symlink_to(tmp_path, target_is_directory=True)
    result = run("validate", str(folder))
    no_bug(result)
    assert result.exit_code == 0, result.output
    assert "1 valid, 0 invalid, 0 rejected" in result.output
    for name, why in [("pipe.xlsx", "named pipe"), ("dangling.xlsx", "broken link"),
                      ("loop.xlsx", "loops"), ("linked", "not followed")]:
        assert any(name in line and why in line and "warning" in line
                   for line in result.output.splitlines()), (name, result.output)
    assert "line\\nbreak.xlsx" in result.output  # one line of the table, the name escaped
    assert valid.exists()
    named = run("validate", str(valid),
                str(folder / "pipe.xlsx"))  # named by the user: not a valid return
    no_bug(named)
    assert named.exit_code == 1 and "named pipe" in named.output


def test_an_output_under_a_file_is_the_users_error(returns: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    for args in (["consolidate", str(returns), "--out", str(blocker / "master.xlsx")],
                 ["summarize", str(returns), "--out", str(blocker / "drafts")],
                 ["validate", str(returns), "--issues", str(blocker / "issues.csv")],
                 ["validate", str(returns), "--annotate", str(blocker / "copies")]):
        result = run(*args)
        no_bug(result)
        assert result.exit_code == 1, result.output
        assert "cannot write" in result.output and "not-a-folder" in result.output
        assert "is a file, not a folder" in result.output


def test_a_full_disk_is_the_users_error_and_leaves_nothing_behind(
        returns: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    master, data = tmp_path / "master.xlsx", tmp_path / "data"
    assert run("consolidate", str(returns), "--out", str(master), "--csv", str(data)
               ).exit_code == 0
    before = master.read_bytes(), {p.name: p.read_bytes() for p in data.iterdir()}

    def full(_: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("workbook_tools.files.os.fsync", full)
    result = run("consolidate", str(returns), "--out", str(master), "--csv", str(data))
    no_bug(result)
    assert result.exit_code == 1
    assert "cannot write" in result.output and "the disk is full" in result.output
    assert (master.read_bytes(), {p.name: p.read_bytes() for p in data.iterdir()}) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "master.xlsx"]


def test_a_csv_folder_holding_other_files_is_not_replaced(returns: Path,
                                                          tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "notes.docx").write_bytes(b"mine")
    result = run("consolidate", str(returns), "--out", str(tmp_path / "master.xlsx"),
                 "--csv", str(data))
    no_bug(result)
    assert result.exit_code == 1 and "notes.docx" in result.output
    assert (data / "notes.docx").read_bytes() == b"mine"
    inside = run("consolidate", str(returns), "--out", str(tmp_path / "master.xlsx"),
                 "--csv", str(tmp_path))
    assert inside.exit_code == 2 and "folder of their own" in inside.output


def test_the_csv_folder_is_replaced_whole(returns: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "old-table.csv").write_text("from a previous round", encoding="utf-8")
    assert run("consolidate", str(returns), "--out", str(tmp_path / "master.xlsx"),
               "--csv", str(data)).exit_code == 0
    assert "old-table.csv" not in {p.name for p in data.iterdir()}
    assert "data.csv" in {p.name for p in data.iterdir()}


def test_the_drafts_folder_keeps_other_languages(returns: Path, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    assert run("summarize", str(returns), "--out", str(drafts), "--lang", "fr").exit_code == 0
    (drafts / "Gone-Process-en.docx").write_bytes(b"an earlier English draft")
    assert run("summarize", str(returns), "--out", str(drafts)).exit_code == 0
    names = {p.name for p in drafts.iterdir()}
    assert {"all-iscms-fr.docx", "all-iscms-en.docx"} <= names
    assert "Gone-Process-en.docx" not in names


def test_a_return_changed_after_its_check_gets_no_annotated_copy(tmp_path: Path) -> None:
    """The copy is made only from the bytes that were checked: a file damaged since is said,
    and the run goes on."""
    path = make_return(tmp_path, "state", "en", answers={"overlap": "Maybe"})
    report = check(path)
    with zipfile.ZipFile(path) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members.pop(sheet_parts(members)[IDENTIFICATION])
    rewrite_package(path, path, lambda _: members)
    from workbook_tools.check.annotate import annotate_invalid

    annotations = annotate_invalid(report.returns, tmp_path / "copies", SURVEY.messages)
    assert annotations.written == []
    assert "changed after it was checked" in annotations.failed[0][1]


# --- outputs written as one whole ----------------------------------------------------------


def test_sigterm_while_writing_leaves_the_previous_outputs_and_no_temporary_file(
        tmp_path: Path) -> None:
    import signal

    from workbook_tools.files import Outputs

    master, data = tmp_path / "master.xlsx", tmp_path / "data"
    master.write_bytes(b"previous master")
    data.mkdir()
    (data / "data.csv").write_bytes(b"previous data")
    with pytest.raises(SystemExit) as exited, Outputs() as outputs:
        outputs.file(master, b"new master")
        outputs.folder(data, {"data.csv": b"new data"}, allowed=lambda name: True)
        os.kill(os.getpid(), signal.SIGTERM)
        outputs.commit()
    assert exited.value.code == 128 + signal.SIGTERM
    assert master.read_bytes() == b"previous master"
    assert (data / "data.csv").read_bytes() == b"previous data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "master.xlsx"]


def test_what_a_killed_run_left_is_removed_by_the_next(tmp_path: Path) -> None:
    import subprocess

    from workbook_tools.files import write_atomic

    gone = subprocess.Popen(["true"])  # a process that has ended: its pid is free
    gone.wait()
    stale_file = tmp_path / f".master.xlsx.{gone.pid}-x1.tmp"
    stale_file.write_bytes(b"half a master")
    stale_folder = tmp_path / f".master.xlsx.{gone.pid}-x2.tmp"
    stale_folder.mkdir()
    running = tmp_path / f".master.xlsx.{os.getpid()}-x3.tmp"  # a run still going: kept
    running.write_bytes(b"being written")
    write_atomic(tmp_path / "master.xlsx", b"master")
    assert sorted(p.name for p in tmp_path.iterdir()) == [running.name, "master.xlsx"]


def test_a_copy_is_made_within_bounded_memory_and_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from workbook_tools.check import annotate

    def needs_too_much() -> bytes:
        return b"x" * (2 * annotate.MEMORY_BYTES)

    def hangs() -> bytes:
        time.sleep(30)
        return b""

    outcomes = dict(annotate._bounded([(0, needs_too_much), (1, lambda: b"made")]))
    assert "memory" in str(outcomes[0]) and outcomes[1] == b"made"  # the next copy is made
    monkeypatch.setattr(annotate, "SECONDS", 0.3)
    outcomes = dict(annotate._bounded([(0, hangs), (1, lambda: b"made")]))
    assert "took more than 0.3 s" in str(outcomes[0]) and outcomes[1] == b"made"


def test_each_copy_has_its_own_processor_time() -> None:
    """The child making copies in turn may use more processor time in all than one copy may
    (only the soft limit moves: raising the hard one needs a privilege containers lack)."""
    import time

    from workbook_tools.check import annotate

    def busy() -> bytes:  # a third of a second of processor time, counted, not waited
        start = time.process_time()
        while time.process_time() - start < 0.35:
            pass
        return b"made"

    outcomes = dict(annotate._bounded([(index, busy) for index in range(4)]))
    assert outcomes == {index: b"made" for index in range(4)}


@pytest.mark.parametrize("command", ["consolidate", "export"])
def test_returns_passed_over_are_named_on_one_line(command: str, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    invalid = make_return(folder, "state", "en", answers={"overlap": "Maybe"})
    os.rename(invalid, folder / "state\nreturn.xlsx")  # a newline in a file name
    result = run(command, str(folder), "--out",
                 str(tmp_path / ("master.xlsx" if command == "consolidate" else "export")))
    no_bug(result)
    passed_over = [line for line in result.output.splitlines()
                   if line.lstrip().startswith("left out")]
    assert len(passed_over) == 1 and "state\\nreturn.xlsx: invalid (1 error(s))" in passed_over[0]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize("args", [
    ["consolidate", "--out", "/proc/master.xlsx"],
    ["consolidate", "--out", "{tmp}/master.xlsx", "--csv", "/proc/data"],
    ["summarize", "--out", "/proc/drafts"],
    ["export", "--out", "/proc/export"],
    ["validate", "--annotate", "/proc/copies"],
    ["validate", "--issues", "/proc/issues.csv"],
    ["queries", "--out", "/proc/queries.csv"],
])
def test_a_place_no_file_can_be_created_is_said_before_any_work(
        args: list[str], returns: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbook_tools.check import validate

    def never(*_: object) -> None:
        raise AssertionError("a return was read before the output was checked")

    monkeypatch.setattr(validate, "read_return", never)
    # /proc takes no new file, even from root, whatever its permissions say
    result = run(args[0], str(returns), *(a.format(tmp=tmp_path) for a in args[1:]))
    no_bug(result)
    assert result.exit_code == 1
    assert "cannot write /proc/" in result.output and "choose another place" in result.output
    assert not any(word in result.output for word in ("Checked", "Consolidated", "Exported",
                                                      "wrote", "queries across"))


@pytest.mark.parametrize("command", ["validate", "consolidate", "summarize", "export",
                                     "queries"])
def test_a_folder_with_no_return_is_said_not_passed_as_success(command: str,
                                                               tmp_path: Path) -> None:
    empty = tmp_path / "returns"
    empty.mkdir()
    (empty / "~$STATE-EGY.xlsx").write_bytes(b"lock")  # Excel's lock file: skipped
    out = [] if command in {"validate", "queries"} else ["--out", str(tmp_path / (
        "master.xlsx" if command == "consolidate" else "out"))]
    result = run(command, str(empty), *out)
    no_bug(result)
    assert result.exit_code == 1
    assert "no file to check in" in result.output and "lock files are skipped: 1" in result.output


def test_the_demo_never_empties_a_folder_that_holds_other_files(tmp_path: Path) -> None:
    mine = tmp_path / "survey" / "returns" / "STATE-EGY.xlsx"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"a respondent's return")
    result = run("demo", "--out", str(tmp_path / "survey"))
    no_bug(result)
    assert result.exit_code == 1
    assert "holds other things than the demo's files (returns)" in result.output
    assert mine.read_bytes() == b"a respondent's return"
