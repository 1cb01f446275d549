"""Random damage to a valid return, as a transfer or a careless tool would do it: bytes flipped
in the file, the file cut short, bytes flipped, cut or inserted in the XML of one of its parts.
Whatever the damage, reading never crashes, never hangs, never says "internal error", and what
it says can be written by every output.

The examples are generated from a fixed seed (derandomize): the same run in CI as here; their
number is bounded to keep the suite fast."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.returns_kit import SURVEY, make_return
from workbook_tools.check.report import return_dict
from workbook_tools.check.validate import validate_readings
from workbook_tools.files import shown_path
from workbook_tools.model.languages import LANGS
from workbook_tools.outputs.consolidate import answer_rows
from workbook_tools.read.reading import Reading, read_return

pytestmark = pytest.mark.usefixtures("hang_guard")
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
# What doctored XML tends to hold: markup, escapes, references, encodings' marks
SNIPPETS = [b"<", b">", b'"', b"&", b"&amp;", b"_xD800_", b"_x0000_", b'<c r="C5">', b"</row>",
            b'<row r="1">', b'<mergeCell ref="A1:XFD1048576"/>', b' t="s"', b"<v>-1</v>",
            b"<v>NaN</v>", b' r="$C$5"', b"\x00", b"\xff\xfe", b"\xc3", b"<!DOCTYPE x>",
            b'<?xml version="1.0" encoding="UTF-16"?>', b"9" * 400]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, bytes]]:
    path = make_return(tmp_path_factory.mktemp("valid"), "state", "fr")
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    return path.read_bytes(), members


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "damaged.xlsx"


def survives(data: bytes, path: Path) -> Reading:
    """Read, check and report the damaged file the way the commands do."""
    path.write_bytes(data)
    reading = read_return(path, SURVEY)
    assert [i.code for i in reading.issues if i.code == "internal-error"] == [], (
        [SURVEY.messages.render(i) for i in reading.issues])
    report = validate_readings([reading], SURVEY)
    item = report.returns[0]
    for lang in LANGS:
        for issue in item.issues:
            SURVEY.messages.render(issue, lang).encode("utf-8")
    str(return_dict(item, SURVEY.messages)).encode("utf-8")
    shown_path(item.path).encode("utf-8")
    if item.status != "rejected":
        for row in answer_rows([item], SURVEY.reference):
            for value in row.values():
                value.encode("utf-8")
    return reading


@SETTINGS
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)),
                      min_size=1, max_size=8))
def test_bytes_flipped_in_the_file(original: tuple[bytes, dict[str, bytes]], scratch: Path,
                                   flips: list[tuple[int, int]]) -> None:
    data = bytearray(original[0])
    for position, mask in flips:
        data[position % len(data)] ^= mask
    survives(bytes(data), scratch)


@SETTINGS
@given(cut=st.integers(min_value=0))
def test_the_file_cut_short(original: tuple[bytes, dict[str, bytes]], scratch: Path,
                            cut: int) -> None:
    data = original[0]
    reading = survives(data[: cut % len(data)], scratch)
    assert reading.rejected


def _damage_xml(part: bytes, draw: st.DataObject) -> bytes:
    position = draw.draw(st.integers(0, max(len(part) - 1, 0)), label="position")
    how = draw.draw(st.sampled_from(["flip", "cut", "delete", "insert"]), label="how")
    if how == "flip" and part:
        mask = draw.draw(st.integers(1, 255), label="mask")
        return part[:position] + bytes([part[position] ^ mask]) + part[position + 1:]
    if how in {"cut", "flip"}:
        return part[:position]
    if how == "delete":
        length = draw.draw(st.integers(1, 200), label="length")
        return part[:position] + part[position + length:]
    snippet = draw.draw(st.sampled_from(SNIPPETS), label="snippet")
    return part[:position] + snippet + part[position:]


@settings(SETTINGS, max_examples=80)
@given(draw=st.data())
def test_the_xml_of_a_part_damaged(original: tuple[bytes, dict[str, bytes]], scratch: Path,
                                   draw: st.DataObject) -> None:
    members = dict(original[1])
    names = sorted(name for name in members if name.endswith((".xml", ".rels")))
    for _ in range(draw.draw(st.integers(1, 3), label="damages")):
        name = draw.draw(st.sampled_from(names), label="part")
        members[name] = _damage_xml(members[name], draw)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    survives(buffer.getvalue(), scratch)
