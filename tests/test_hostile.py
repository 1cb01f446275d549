"""Broken and hostile files: each is answered with a clear reason, with bounded work and
memory, and nothing in them is expanded, fetched or run. Every file is made here, in code.

Work is bounded by what can be counted (bytes inflated, memory allocated); a test that hangs
fails after a minute (the hang_guard fixture), whatever the machine's speed."""

from __future__ import annotations

import io
import random
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pandera.pandas  # noqa: F401 - loaded before any memory is traced: a library, not a file
import pytest

from tests.conftest import layout_of
from tests.libreoffice import convert
from tests.returns_kit import (
    SURVEY,
    check,
    codes,
    issue_of,
    make_return,
    only,
    rewrite_package,
    set_cell_xml,
    sheet_member,
    with_shared_strings,
)
from workbook_tools.check.report import return_dict
from workbook_tools.check.validate import ReturnReport
from workbook_tools.read.package import Package

MEGABYTES = 150  # peak memory of one check
INFLATED = 40 * 1024 * 1024  # bytes inflated by one check: a questionnaire is ~0.1 MB

pytestmark = pytest.mark.usefixtures("hang_guard")


def checked(path: Path, inflated_at_most: int = INFLATED) -> ReturnReport:
    inflated = 0
    read = Package.read

    def counted(package: Package, name: str) -> bytes:
        nonlocal inflated
        data = read(package, name)
        inflated += len(data)
        return data

    tracemalloc.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Package, "read", counted)
            item = only(check(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert inflated <= inflated_at_most, f"{inflated:,} bytes inflated"
    assert peak < MEGABYTES * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    return item


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_return(tmp_path_factory.mktemp("valid"), "state", "en")


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def rejected(path: Path, code: str, inflated_at_most: int = INFLATED) -> ReturnReport:
    item = checked(path, inflated_at_most)
    assert item.status == "rejected", [SURVEY.messages.as_dict(i) for i in item.issues]
    assert codes(item) == [code]
    assert "Traceback" not in SURVEY.messages.render(item.issues[0])
    return item


# --- not a workbook at all -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"", "empty-file", "empty"),
        (b"respondent,answer\nEgypt,yes\n", "not-a-workbook", "a text or CSV file"),
        ("Réponse du Sénégal\n".encode(), "not-a-workbook", "a text or CSV file"),
        ("\ufeffCountry\tAnswer\r\nÉgypte\tOui\r\n".encode("utf-16-le"), "not-a-workbook",
         "a text or CSV file"),  # Excel's "Unicode Text"
        # a CSV saved by LibreOffice in its default Western code page
        ("Organisation · Réponse;Sénégal\n".encode("latin-1"), "not-a-workbook",
         "a text or CSV file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "not-a-workbook", "a PDF document"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "not-a-workbook",
         "an HTML or XML file"),
        (random.Random(7).randbytes(20_000), "not-a-workbook", "data of an unknown kind"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "not-a-workbook", "an image"),
        # a note whose first lines look like headers, but not an e-mail's
        (b"Country: Egypt\nAnswer: yes\n\nthanks\n", "not-a-workbook", "a text or CSV file"),
        (b"Return-Path: <focal@gov.example>\nReceived: from mx\n\tby ipd\nFrom: Focal "
         b"<focal@gov.example>\nSubject: Questionnaire\n\nPlease find attached", "saved-email",
         "a saved e-mail (.eml)"),
    ],
)
def test_files_that_are_not_workbooks(tmp_path: Path, content: bytes, code: str,
                                      words: str) -> None:
    path = tmp_path / "return.xlsx"
    path.write_bytes(content)
    item = rejected(path, code)
    assert words in SURVEY.messages.render(item.issues[0])


def test_a_saved_email_with_a_mail_servers_long_headers(tmp_path: Path) -> None:
    # Office 365 stacks Received, ARC and DKIM headers, tens of KiB, before From and Subject
    relays = b"".join(b"Received: from relay%d.example (10.0.0.%d)\r\n\tby mx.example with "
                      b"ESMTPS id %d; Mon, 1 Dec 2026 09:00:00 +0000\r\n" % (n, n % 250, n)
                      for n in range(700))
    arc = b"ARC-Seal: i=1; a=rsa-sha256; s=arcselector; d=example; cv=none; b=" + b"A" * 900
    path = tmp_path / "reply.xlsx"
    path.write_bytes(relays + arc + b"\r\nFrom: Focal <focal@gov.example>\r\n"
                     b"Subject: Questionnaire\r\n\r\nPlease find it attached.")
    assert len(relays) > 65536  # the first window ends inside the headers
    rejected(path, "saved-email")


def test_an_outlook_message_is_a_saved_email_not_an_old_workbook(tmp_path: Path,
                                                                  valid: Path) -> None:
    import datetime as dt

    from workbook_tools.demo.mailbox import msg_bytes

    path = tmp_path / "STATE-EGY.msg"
    path.write_bytes(msg_bytes("focal@gov.example", [("STATE-EGY.xlsx", valid.read_bytes())],
                               dt.datetime(2026, 12, 1, tzinfo=dt.UTC)))
    message = SURVEY.messages.render(rejected(path, "saved-email").issues[0])
    assert "a saved e-mail (Outlook (.msg))" in message and "round receive" in message


def test_a_truncated_workbook(tmp_path: Path, valid: Path) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(valid.read_bytes()[: valid.stat().st_size // 2])
    assert "incomplete" in SURVEY.messages.render(rejected(path, "truncated-file").issues[0])


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    path.write_bytes(zip_of({"answers.txt": b"yes", "photo.jpg": b"\xff\xd8"}))
    assert "a zip archive" in SURVEY.messages.render(rejected(path, "not-a-workbook").issues[0])


def test_a_word_document_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "letter.xlsx"
    path.write_bytes(zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}))
    assert "a Word document" in SURVEY.messages.render(rejected(path, "not-a-workbook").issues[0])


def test_bytes_before_the_zip(tmp_path: Path, valid: Path) -> None:
    path = tmp_path / "prefixed.xlsx"
    path.write_bytes(b"MZ\x90\x00" + b"\x00" * 508 + valid.read_bytes())
    assert "512 bytes" in SURVEY.messages.render(rejected(path, "bytes-before-workbook").issues[0])


# --- zip bombs and unsafe archives -----------------------------------------------------------


def test_a_part_that_inflates_far_beyond_its_size(tmp_path: Path, valid: Path) -> None:
    path = rewrite_package(valid, tmp_path / "bomb.xlsx", lambda m: {
        **m, "xl/media/image1.png": b"\0" * 30_000_000})
    item = rejected(path, "zip-bomb", inflated_at_most=0)
    assert "inflates" in SURVEY.messages.render(item.issues[0])


def test_a_declared_size_is_refused_before_anything_is_inflated(tmp_path: Path,
                                                                 valid: Path) -> None:
    data = bytearray(valid.read_bytes())
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 2_000_000_000)  # uncompressed size
    path = tmp_path / "declared.xlsx"
    path.write_bytes(bytes(data))
    item = rejected(path, "zip-bomb", inflated_at_most=0)
    assert "2,000,000,000 bytes" in SURVEY.messages.render(item.issues[0])


def test_an_unusual_compression_method(tmp_path: Path) -> None:
    path = tmp_path / "bzip.xlsx"
    path.write_bytes(zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"},
                            zipfile.ZIP_BZIP2))
    assert "method 12" in SURVEY.messages.render(rejected(path, "zip-bomb").issues[0])


def test_too_many_parts(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    path.write_bytes(zip_of({f"xl/part{i}.xml": b"" for i in range(3_000)}))
    rejected(path, "zip-bomb")


def test_a_bomb_inside_an_embedded_package(tmp_path: Path, valid: Path) -> None:
    inner = zip_of({"data.bin": b"\0" * 30_000_000})
    path = rewrite_package(valid, tmp_path / "nested.xlsx", lambda m: {
        **m, "xl/embeddings/oleObject1.xlsx": inner})
    assert "embedded" in SURVEY.messages.render(rejected(path, "zip-bomb").issues[0])


def test_duplicate_part_names(tmp_path: Path, valid: Path) -> None:
    with zipfile.ZipFile(valid) as archive:
        members = [(i.filename, archive.read(i)) for i in archive.infolist()]
    buffer = io.BytesIO()
    with (pytest.warns(UserWarning, match="Duplicate name"),
          zipfile.ZipFile(buffer, "w") as archive):
        for name, data in [*members, ("xl/workbook.xml", b"<other/>")]:
            archive.writestr(name, data)
    path = tmp_path / "duplicate.xlsx"
    path.write_bytes(buffer.getvalue())
    assert "twice" in SURVEY.messages.render(rejected(path, "unsafe-zip").issues[0])


@pytest.mark.parametrize("name", ["../../etc/cron.d/evil", "/etc/passwd", "xl\\..\\..\\x.xml",
                                  "C:/Windows/evil.dll"])
def test_parts_that_point_outside_the_workbook(tmp_path: Path, valid: Path, name: str) -> None:
    path = rewrite_package(valid, tmp_path / "traversal.xlsx", lambda m: {**m, name: b"x"})
    rejected(path, "unsafe-zip")


# --- XML attacks ---------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>
<sheet name="&lol9;" sheetId="1"/></sheets></workbook>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">
<si><t>&xxe;</t></si></sst>"""


def test_entity_expansion_is_refused(tmp_path: Path, valid: Path) -> None:
    path = rewrite_package(valid, tmp_path / "laughs.xlsx", lambda m: {
        **m, "xl/workbook.xml": BILLION_LAUGHS})
    assert "xl/workbook.xml" in SURVEY.messages.render(rejected(path, "unsafe-xml").issues[0])


def test_external_entities_are_never_fetched(tmp_path: Path, valid: Path) -> None:
    path = rewrite_package(valid, tmp_path / "xxe.xlsx",
                           lambda m: with_shared_strings(m, EXTERNAL_ENTITY))
    item = rejected(path, "unsafe-xml")
    assert "root:" not in str(return_dict(item, SURVEY.messages))


def test_damaged_xml_is_named(tmp_path: Path, valid: Path) -> None:
    member = sheet_member(valid, "2 National policy")
    path = rewrite_package(valid, tmp_path / "damaged.xlsx", lambda m: {
        **m, member: m[member][: len(m[member]) // 2]})
    assert member in SURVEY.messages.render(rejected(path, "broken-xml").issues[0])


# --- protected and foreign formats ---------------------------------------------------------


def test_a_password_protected_workbook(tmp_path: Path, valid: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    path = tmp_path / "locked.xlsx"
    with valid.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("s3cret", target)
    message = SURVEY.messages.render(rejected(path, "encrypted").issues[0], "fr")
    assert "mot de passe" in message


@pytest.mark.libreoffice
@pytest.mark.parametrize(("target", "words"), [("xls", "Excel 97-2003"), ("ods", "OpenDocument")])
def test_legacy_and_opendocument_formats_say_how_to_save(tmp_path: Path, valid: Path,
                                                          target: str, words: str) -> None:
    converted = convert(valid, tmp_path, target)
    renamed = converted.with_suffix(".xlsx")  # what arrives by e-mail is often misnamed
    converted.rename(renamed)
    message = SURVEY.messages.render(rejected(renamed, "legacy-format").issues[0])
    assert words in message and "Excel Workbook (.xlsx)" in message


def test_excel_binary_workbook(tmp_path: Path) -> None:
    path = tmp_path / "binary.xlsb"
    path.write_bytes(zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83"}))
    assert ".xlsb" in SURVEY.messages.render(rejected(path, "legacy-format").issues[0])


def test_strict_open_xml(tmp_path: Path, valid: Path) -> None:
    def strict(members: dict[str, bytes]) -> dict[str, bytes]:
        members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
            b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
            b"http://purl.oclc.org/ooxml/spreadsheetml/main")
        return members

    path = rewrite_package(valid, tmp_path / "strict.xlsx", strict)
    assert "Strict Open XML" in SURVEY.messages.render(rejected(path, "legacy-format").issues[0])


# --- readable, but with something to say ---------------------------------------------------


def test_macros_are_never_run_and_are_reported(tmp_path: Path, valid: Path) -> None:
    path = rewrite_package(valid, tmp_path / "macro.xlsm", lambda m: {
        **m, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Attribute VB_Name = \"Module1\""})
    item = checked(path)
    assert item.status == "invalid"
    assert codes(item) == ["macros"]
    assert "xl/vbaProject.bin" in SURVEY.messages.render(item.issues[0])


def test_external_links_are_not_followed(tmp_path: Path, valid: Path) -> None:
    path = rewrite_package(valid, tmp_path / "links.xlsx", lambda m: {
        **m, "xl/externalLinks/externalLink1.xml":
            b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'})
    item = checked(path)
    assert item.status == "valid"
    assert codes(item) == ["external-links"]


def test_a_sheet_claiming_the_whole_grid_costs_nothing(tmp_path: Path, valid: Path) -> None:
    def claim(members: dict[str, bytes]) -> dict[str, bytes]:
        for name in [n for n in members if n.startswith("xl/worksheets/sheet")]:
            members[name] = members[name].replace(b"<sheetData", b'<dimension ref="A1:XFD1048576"'
                                                  b'/><sheetData', 1)
        return members

    item = checked(rewrite_package(valid, tmp_path / "grid.xlsx", claim))
    assert item.status == "valid", codes(item)


def test_three_hundred_thousand_rows(tmp_path: Path, valid: Path) -> None:
    member = sheet_member(valid, "2 National policy")
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(100, 300_100))

    def grow(members: dict[str, bytes]) -> dict[str, bytes]:
        members[member] = members[member].replace(b"</sheetData>", rows.encode() + b"</sheetData>")
        return members

    item = checked(rewrite_package(valid, tmp_path / "rows.xlsx", grow))
    assert item.status == "valid"
    issue = issue_of(item, "content-beyond")
    assert issue.sheet == "2 National policy"


def test_a_cell_longer_than_excel_allows(tmp_path: Path, valid: Path) -> None:
    place = layout_of(SURVEY, "state", "en").fields["national_contribution"]
    long_text = "a" * 40_000
    path = set_cell_xml(valid, tmp_path / "long.xlsx", place.sheet, place.cell or "",
                        f'<c r="{place.cell}" t="inlineStr"><is><t>{long_text}</t></is></c>')
    item = checked(path)
    assert item.status == "invalid"
    assert "cell-too-long" in codes(item)
    assert len(issue_of(item, "cell-too-long").value) <= 200


def test_control_and_direction_characters_are_removed(tmp_path: Path, valid: Path) -> None:
    place = layout_of(SURVEY, "state", "en").fields["ministry"]
    text = "Ministry_x0007_ of \u202eroiretnI"
    path = set_cell_xml(valid, tmp_path / "controls.xlsx", place.sheet, place.cell or "",
                        f'<c r="{place.cell}" t="inlineStr"><is><t>{text}</t></is></c>')
    item = checked(path)
    assert item.status == "valid"
    assert sorted(codes(item)) == ["bidi-controls", "control-characters"]
    assert item.reading.answers["ministry"] == "Ministry of roiretnI"


def test_two_sheets_whose_names_differ_only_in_case(tmp_path: Path, valid: Path) -> None:
    member = sheet_member(valid, "2 National policy")

    def twin(members: dict[str, bytes]) -> dict[str, bytes]:
        members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
            b"</sheets>", b'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships" name="2 NATIONAL POLICY" sheetId="99" r:id="rId99"/></sheets>')
        target = member.removeprefix("xl/").encode()
        members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/worksheet" Target="' + target + b'"/></Relationships>')
        return members

    item = checked(rewrite_package(valid, tmp_path / "twins.xlsx", twin))
    assert item.status == "invalid"
    assert issue_of(item, "duplicate-sheet").sheet == "2 NATIONAL POLICY"


def test_a_workbook_without_our_identification(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Answers"  # type: ignore[index]
    path = tmp_path / "someone-elses.xlsx"
    workbook.save(path)
    message = SURVEY.messages.render(rejected(path, "not-a-questionnaire").issues[0], "es")
    assert "no es uno de los cuestionarios" in message


def test_one_bad_file_never_stops_the_others(tmp_path: Path, valid: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "a-empty.xlsx").write_bytes(b"")
    (folder / "b-bomb.xlsx").write_bytes(rewrite_package(
        valid, tmp_path / "b.xlsx", lambda m: {**m, "xl/x.bin": b"\0" * 30_000_000}).read_bytes())
    (folder / "c-good.xlsx").write_bytes(valid.read_bytes())
    report = check(folder)
    assert [r.status for r in report.returns] == ["rejected", "rejected", "valid"]
