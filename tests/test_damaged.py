"""Damaged and doctored returns, each class built here from a valid return: the package's
parts, the references between them, the cells' values, the identification. Each gives its
status and the code that says what is wrong with the file; none is valid when something is
missing, none is blamed on the tool.

The mutants of the table are checked together, in one validation, as a batch of returns is."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import layout_of
from tests.returns_kit import (
    MACRO_WORKBOOK_TYPE,
    SURVEY,
    WORKBOOK_TYPE,
    Members,
    check,
    codes,
    edit,
    edit_sheet,
    issue_of,
    make_return,
    merged,
    sheet_parts,
    with_cell,
    with_shared_strings,
)
from workbook_tools.check.validate import ReturnReport

STATE = layout_of(SURVEY, "state", "en")
IDENTIFICATION = STATE.fields["ministry"].sheet  # "0 Identification"
MINISTRY = STATE.fields["ministry"].cell or ""
EMAIL = STATE.fields["focal_point_email"].cell or ""
POLICY = STATE.fields["national_contribution"].sheet  # "2 National policy"
MEMBERSHIPS = STATE.tables["memberships"]
SINCE = MEMBERSHIPS.cell("since", 0)
CHARTSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"
VERSION = str(SURVEY.current("state").version)  # what make_return writes


def cell(members: Members, sheet: str, address: str, xml: str) -> Members:
    return edit_sheet(members, sheet, lambda text: with_cell(text, address, xml))


def text_cell(address: str, text: str) -> str:
    return f'<c r="{address}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def relation_of(members: Members, sheet: str) -> str:
    workbook = members["xl/workbook.xml"].decode()
    match = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook)
    assert match
    return match.group(1)


def without(part: str) -> Callable[[Members], Members]:
    """The package with one part deleted."""
    return lambda members: {name: data for name, data in members.items() if name != part}


def retarget(members: Members, sheet: str, attributes: str) -> Members:
    """The sheet's relationship with its Target (and TargetMode) replaced."""
    relation = relation_of(members, sheet)
    return edit(members, "xl/_rels/workbook.xml.rels", lambda text: re.sub(
        rf'Target="[^"]+"( Id="{relation}")', rf'{attributes}\1', text))


def content_type(members: Members, part: str, new_type: str) -> Members:
    return edit(members, "[Content_Types].xml", lambda text: re.sub(
        rf'(PartName="/{re.escape(part)}" ContentType=")[^"]+"', rf'\g<1>{new_type}"', text))


def utf16(members: Members, part: str, change: Callable[[str], str] = lambda t: t) -> Members:
    text = re.sub(r"^<\?xml[^>]*\?>", "", change(members[part].decode()))
    return {**members, part: ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")}


def shared(members: Members, address: str, index: str) -> Members:
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
           b'uniqueCount="2"><si><t>Ministry of Foreign Affairs</t></si><si><t>1.0.0</t></si>'
           b"</sst>")
    return cell(with_shared_strings(members, sst), IDENTIFICATION, address,
                f'<c r="{address}" t="s"><v>{index}</v></c>')


def identity_in_properties(members: Members, old: str, new: str) -> Members:
    return edit(members, "docProps/custom.xml", lambda text: text.replace(old, new))


def identity_in_name(members: Members, old: str, new: str) -> Members:
    return edit(members, "xl/workbook.xml", lambda text: text.replace(old, new))


def meta_value(members: Members, key: str, value: str) -> Members:
    """The hidden sheet's value for a key of the identification."""
    def change(text: str) -> str:
        match = re.search(rf'<c r="A(\d+)"[^>]*><is><t>{key}</t></is></c>', text)
        assert match, key
        return with_cell(text, f"B{match.group(1)}", text_cell(f"B{match.group(1)}", value))
    return edit_sheet(members, "_meta", change)


@dataclass(frozen=True)
class Mutant:
    name: str
    change: Callable[[Members], Members]
    status: str
    code: str  # the code that says what is wrong (the only one when rejected)
    sheet: str = ""
    cell: str = ""


MUTANTS = [
    # 1. parts the definition needs, missing, external or mis-referenced
    Mutant("sheet-part-deleted", lambda m: {k: v for k, v in m.items()
                                            if k != sheet_parts(m)[POLICY]},
           "rejected", "part-missing", sheet=POLICY),
    Mutant("workbook-relationships-deleted", without("xl/_rels/workbook.xml.rels"),
           "rejected", "part-missing"),
    Mutant("package-relationships-deleted", without("_rels/.rels"),
           "rejected", "part-missing"),
    Mutant("content-types-deleted", without("[Content_Types].xml"),
           "rejected", "part-missing"),
    Mutant("workbook-part-deleted", without("xl/workbook.xml"),
           "rejected", "part-missing"),
    Mutant("properties-named-but-deleted", without("docProps/custom.xml"),
           "rejected", "part-missing"),
    Mutant("relationship-to-a-missing-part",
           lambda m: retarget(m, POLICY, 'Target="/xl/worksheets/gone.xml"'),
           "rejected", "part-missing", sheet=POLICY),
    Mutant("relationship-to-an-external-target",
           lambda m: retarget(m, POLICY, 'TargetMode="External" '
                                         'Target="https://example.org/answers.xml"'),
           "rejected", "part-external", sheet=POLICY),
    Mutant("relationship-above-the-package",
           lambda m: retarget(m, POLICY, 'Target="../../etc/answers.xml"'),
           "rejected", "part-external", sheet=POLICY),
    Mutant("mismatched-relationship-id",
           lambda m: edit(m, "xl/workbook.xml", lambda t: t.replace(
               f'r:id="{relation_of(m, POLICY)}"', 'r:id="rId77"')),
           "rejected", "relationship-missing", sheet=POLICY),
    Mutant("relationship-id-given-twice",
           lambda m: edit(m, "xl/_rels/workbook.xml.rels", lambda t: t.replace(
               "</Relationships>", f'<Relationship Id="{relation_of(m, POLICY)}" Type="http://'
               'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
               'Target="/xl/worksheets/sheet1.xml"/></Relationships>')),
           "rejected", "relationship-twice"),
    Mutant("sheet-declared-as-a-chart",
           lambda m: content_type(m, sheet_parts(m)[POLICY], CHARTSHEET_TYPE),
           "rejected", "part-type", sheet=POLICY),
    Mutant("workbook-without-its-content-type",
           lambda m: content_type(m, "xl/workbook.xml", "application/xml"),
           "rejected", "part-type"),
    # 2. shared strings: indexes are integers in range, and the part must exist
    Mutant("shared-string-index-minus-one", lambda m: shared(m, MINISTRY, "-1"),
           "rejected", "damaged-cell", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("shared-string-index-out-of-range", lambda m: shared(m, MINISTRY, "2"),
           "rejected", "damaged-cell", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("shared-string-index-not-a-number", lambda m: shared(m, MINISTRY, "one"),
           "rejected", "damaged-cell", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("shared-string-index-decimal", lambda m: shared(m, MINISTRY, "0.5"),
           "rejected", "damaged-cell", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("shared-string-without-shared-strings",
           lambda m: cell(m, IDENTIFICATION, MINISTRY, f'<c r="{MINISTRY}" t="s"><v>0</v></c>'),
           "rejected", "damaged-cell", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("shared-string-in-range", lambda m: shared(m, MINISTRY, "0"), "valid", ""),
    # 3. blank is blank; codes and addresses refuse invisible characters
    Mutant("whitespace-only-required-answer",
           lambda m: cell(m, IDENTIFICATION, MINISTRY, text_cell(MINISTRY, "   ")),
           "invalid", "missing-answer", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("invisible-only-required-answer",
           lambda m: cell(m, IDENTIFICATION, MINISTRY, text_cell(MINISTRY, "\u200b\u2060 ")),
           "invalid", "missing-answer", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("zero-width-space-in-an-email",
           lambda m: cell(m, IDENTIFICATION, EMAIL,
                          text_cell(EMAIL, "focal@\u200begypt.example")),
           "invalid", "invisible-characters", sheet=IDENTIFICATION, cell=EMAIL),
    # 4. attributes read by an XML parser, in any encoding; no cell twice
    *[Mutant(f"merge-written-{how}",
             lambda m, xml=xml: merged(m, IDENTIFICATION, xml),
             "invalid", "merged-cells", sheet=IDENTIFICATION, cell=MINISTRY)
      for how, xml in [("with-single-quotes", f"<mergeCell ref='{MINISTRY}:D5'/>"),
                       ("with-spaces", f'<mergeCell ref = "{MINISTRY}:D5" />'),
                       ("in-lower-case", f'<mergeCell ref="{MINISTRY.lower()}:d5"/>'),
                       ("absolute", '<mergeCell ref="$C$5:$D$5"/>')]],
    Mutant("merge-in-a-utf16-sheet",
           lambda m: utf16(merged(m, IDENTIFICATION, f'<mergeCell ref="{MINISTRY}:D5"/>'),
                           sheet_parts(m)[IDENTIFICATION]),
           "invalid", "merged-cells", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("macro-enabled-in-utf16-content-types",
           lambda m: utf16(m, "[Content_Types].xml",
                           lambda t: t.replace(WORKBOOK_TYPE, MACRO_WORKBOOK_TYPE)),
           "invalid", "macros"),
    Mutant("duplicate-cell-bad-value-first",
           lambda m: edit_sheet(m, IDENTIFICATION, lambda t: t.replace(
               f'<c r="{MINISTRY}"', text_cell(MINISTRY, "=cmd|calc") + f'<c r="{MINISTRY}"', 1)),
           "rejected", "damaged-cell", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("row-out-of-order",
           lambda m: edit_sheet(m, IDENTIFICATION, lambda t: t.replace(
               "</sheetData>", '<row r="2"><c r="E2"><v>1</v></c></row></sheetData>')),
           "rejected", "damaged-cell", sheet=IDENTIFICATION),
    Mutant("absolute-cell-reference-read-where-it-says",
           lambda m: cell(m, IDENTIFICATION, MINISTRY, text_cell(MINISTRY, "Ministry").replace(
               f'r="{MINISTRY}"', 'r="$C$5"')),
           "valid", ""),
    # numbers and dates finite and in Excel's range; types known
    *[Mutant(f"number-cell-holding-{name}",
             lambda m, value=value: cell(m, MEMBERSHIPS.sheet, SINCE,
                                         f'<c r="{SINCE}"><v>{value}</v></c>'),
             "rejected", "damaged-cell", sheet=MEMBERSHIPS.sheet, cell=SINCE)
      for name, value in [("nan", "NaN"), ("infinity", "inf"), ("overflow", "1e400"),
                          ("text", "twenty"), ("5000-digits", "9" * 5000)]],
    Mutant("impossible-date-cell",
           lambda m: cell(m, IDENTIFICATION, "C9", '<c r="C9" t="d"><v>2026-02-30</v></c>'),
           "rejected", "damaged-cell", sheet=IDENTIFICATION, cell="C9"),
    Mutant("unknown-cell-type",
           lambda m: cell(m, IDENTIFICATION, MINISTRY, f'<c r="{MINISTRY}" t="x"><v>1</v></c>'),
           "rejected", "damaged-cell", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("5000-digit-number-typed-as-text",
           lambda m: cell(m, MEMBERSHIPS.sheet, SINCE, text_cell(SINCE, "1" * 5000)),
           "invalid", "too-many-digits", sheet=MEMBERSHIPS.sheet, cell=SINCE),
    # 5. lone surrogates are replaced and said, never passed on
    Mutant("lone-surrogate-in-an-answer",
           lambda m: cell(m, IDENTIFICATION, MINISTRY,
                          text_cell(MINISTRY, "Ministry _xD800_ of Foreign Affairs")),
           "valid", "replaced-characters", sheet=IDENTIFICATION, cell=MINISTRY),
    Mutant("lone-surrogate-in-the-identification",
           lambda m: meta_value(m, "wt_respondent_id", "STATE-EGY_xD800_"),
           "invalid", "identity-conflict"),
    # 7. damage in transit is the file's problem
    Mutant("version-superscript-two-in-the-defined-name",
           lambda m: identity_in_name(m, f"wt1|state|{VERSION}|", "wt1|state|\u00b2|"),
           "invalid", "identity-damaged"),
    # 8. identifications that disagree: never a silent pick
    Mutant("only-the-properties-name-another-respondent",
           lambda m: identity_in_properties(m, ">STATE-EGY<", ">STATE-SEN<"),
           "invalid", "identity-conflict"),
    Mutant("the-defined-name-gives-another-language",
           lambda m: identity_in_name(m, f"|state|{VERSION}|en|", f"|state|{VERSION}|fr|"),
           "invalid", "identity-conflict"),
    Mutant("every-identification-damaged",
           lambda m: meta_value(identity_in_name(identity_in_properties(
               m, f">{VERSION}<", ">one<"), f"wt1|state|{VERSION}|", "wt1|state|one|"),
               "wt_version", "one"),
           "rejected", "identity-damaged"),
]


def package(members: Members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_return(tmp_path_factory.mktemp("valid"), "state", "en")


@pytest.fixture(scope="module")
def mutants_folder(valid: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with zipfile.ZipFile(valid) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    folder = tmp_path_factory.mktemp("mutants")
    for mutant in MUTANTS:
        changed = mutant.change(dict(members))
        assert changed != members, f"{mutant.name} changes nothing"  # the damage is there
        (folder / f"{mutant.name}.xlsx").write_bytes(package(changed))
    return folder


@pytest.fixture(scope="module")
def mutants(mutants_folder: Path) -> dict[str, ReturnReport]:
    return {item.path.stem: item for item in check(mutants_folder).returns}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_each_damage_gives_its_status_and_code(mutants: dict[str, ReturnReport],
                                              mutant: Mutant) -> None:
    item = mutants[mutant.name]
    shown = [SURVEY.messages.as_dict(i) for i in item.issues]
    assert item.status == mutant.status, shown
    if mutant.status == "rejected":
        assert codes(item) == [mutant.code], shown
    elif mutant.code:
        assert mutant.code in codes(item), shown
    else:
        assert not item.errors, shown
    if mutant.code:
        issue = issue_of(item, mutant.code)
        assert (issue.sheet, issue.cell) == (mutant.sheet or issue.sheet,
                                              mutant.cell or issue.cell)
        for lang in ("en", "fr", "es"):
            message = SURVEY.messages.render(issue, lang)
            assert "{" not in message and "workbook-tools" not in message, message
    assert "internal-error" not in codes(item)


def test_a_missing_sheet_part_is_named_in_the_message(mutants: dict[str, ReturnReport]) -> None:
    message = SURVEY.messages.render(mutants["sheet-part-deleted"].issues[0])
    assert '"2 National policy"' in message and "damaged" in message


def test_a_shared_string_is_read_only_in_range(mutants: dict[str, ReturnReport]) -> None:
    assert mutants["shared-string-in-range"].reading.answers["ministry"] == (
        "Ministry of Foreign Affairs")
    message = SURVEY.messages.render(mutants["shared-string-index-minus-one"].issues[0])
    assert 'text number "-1"' in message and "C5" in message


def test_blank_answers_are_said_as_blank(mutants: dict[str, ReturnReport]) -> None:
    item = mutants["invisible-only-required-answer"]
    assert item.reading.answers["ministry"] is None
    blank = issue_of(item, "blank-answer")
    assert "<U+200B>" in blank.value
    email = issue_of(mutants["zero-width-space-in-an-email"], "invisible-characters")
    assert "U+200B" in SURVEY.messages.render(email)


def test_the_cell_stored_first_is_never_silently_dropped(
        mutants: dict[str, ReturnReport]) -> None:
    message = SURVEY.messages.render(mutants["duplicate-cell-bad-value-first"].issues[0])
    assert "C5 is stored twice" in message


def test_a_lone_surrogate_becomes_a_replacement_character(
        mutants: dict[str, ReturnReport]) -> None:
    answer = mutants["lone-surrogate-in-an-answer"].reading.answers["ministry"]
    assert answer == "Ministry \ufffd of Foreign Affairs"
    answer.encode("utf-8")  # every output can hold it


def test_identifications_that_disagree_name_the_places(
        mutants: dict[str, ReturnReport]) -> None:
    item = mutants["only-the-properties-name-another-respondent"]
    assert item.reading.respondent.id == "STATE-EGY"  # as two places of three say
    issue = issue_of(item, "identity-conflict")
    message = SURVEY.messages.render(issue)
    assert "document properties" in message and "STATE-SEN" in message
    assert "sa feuille masquée" in SURVEY.messages.render(issue, "fr")


# --- damage to the zip itself --------------------------------------------------------------


def _member_data_offset(data: bytes, name: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    header = info.header_offset
    name_length = int.from_bytes(data[header + 26:header + 28], "little")
    extra_length = int.from_bytes(data[header + 28:header + 30], "little")
    return header + 30 + name_length + extra_length


def test_a_bad_crc_is_damage_in_transit(tmp_path: Path, valid: Path) -> None:
    with zipfile.ZipFile(valid) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    part = sheet_parts(members)[POLICY]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # stored: a flipped byte stays readable
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_STORED)
    data = bytearray(buffer.getvalue())
    start = _member_data_offset(bytes(data), part)
    data[start + len(members[part]) // 2] ^= 0x01  # one bit: the CRC-32 no longer fits
    path = tmp_path / "crc.xlsx"
    path.write_bytes(bytes(data))
    item = check(path).returns[0]
    assert (item.status, codes(item)) == ("rejected", ["damaged-zip"])
    assert part in SURVEY.messages.render(item.issues[0])


def test_broken_deflate_data_is_damage_in_transit(tmp_path: Path, valid: Path) -> None:
    data = bytearray(valid.read_bytes())
    with zipfile.ZipFile(valid) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    start = _member_data_offset(bytes(data), sheet_parts(members)[POLICY])
    data[start:start + 16] = b"\xff" * 16
    path = tmp_path / "deflate.xlsx"
    path.write_bytes(bytes(data))
    item = check(path).returns[0]
    assert (item.status, codes(item)) == ("rejected", ["damaged-zip"])


def test_no_mutant_stops_a_command(mutants_folder: Path, tmp_path: Path) -> None:
    """validate --annotate, consolidate (invalid returns included) and summarize each go
    through every mutant to the end, and none says "internal error"."""
    from click.testing import CliRunner

    from workbook_tools.cli import cli

    runs = {
        "validate": ["validate", str(mutants_folder), "--annotate", str(tmp_path / "copies"),
                     "--issues", str(tmp_path / "issues.xlsx")],
        "consolidate": ["consolidate", str(mutants_folder), "--include-invalid",
                        "--out", str(tmp_path / "master.xlsx"), "--csv", str(tmp_path / "csv")],
        "summarize": ["summarize", str(mutants_folder), "--out", str(tmp_path / "drafts")],
    }
    for command, args in runs.items():
        result = CliRunner().invoke(cli, args)
        assert "internal error" not in result.output and "Traceback" not in result.output, (
            command, result.output[-2000:])
        assert result.exit_code == (1 if command == "validate" else 0), (command, result.output)
    assert len(list((tmp_path / "copies").iterdir())) >= 10
    assert (tmp_path / "issues.xlsx").exists() and (tmp_path / "master.xlsx").exists()
    assert (tmp_path / "drafts" / "all-iscms-en.docx").exists()
