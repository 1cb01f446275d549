"""Make returns in code: generate a questionnaire, fill it as a respondent would, break it."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from workbook_tools.check.validate import ReturnReport, ValidationReport, validate_paths
from workbook_tools.demo.sample import SampleRound, load_sample_round
from workbook_tools.demo.synthetic import plausible_answers
from workbook_tools.files import save_workbook
from workbook_tools.model.questionnaire import Questionnaire
from workbook_tools.model.roster import Respondent, read_roster, sample_roster_path
from workbook_tools.model.survey import Survey, load_survey
from workbook_tools.send.build import build_workbook
from workbook_tools.send.fill import fill_workbook
from workbook_tools.send.write import (
    blank_file_name,
    personalized_file_name,
    write_blank_templates,
    write_personalized,
)

SURVEY: Survey = load_survey()
SAMPLE: SampleRound = load_sample_round(SURVEY, read_roster(sample_roster_path(), SURVEY))

RESPONDENTS = {
    "iscm": Respondent("ISCM-KHARTOUM", "iscm", "khartoum", "Khartoum Process", "en",
                       "secretariat@khartoum.example"),
    "state": Respondent("STATE-EGY", "state", "EGY", "Egypt", "en", "focal@egypt.example",
                        ("khartoum", "rabat")),
    "igo": Respondent("IGO-UNHCR", "igo", "unhcr", "UNHCR", "en", "partners@unhcr.example",
                      ("khartoum", "bali")),
}


def respondent(kind: str, lang: str = "en") -> Respondent:
    base = RESPONDENTS[kind]
    return Respondent(base.id, base.kind, base.code, base.name, lang, base.email, base.iscms)


# The same questionnaire is written once per session: the same inputs give the same bytes
# (tested in test_template), and writing one costs more than filling it.
_TEMPLATES: dict[tuple[Survey, str, int, str, bool, Respondent, int | None], bytes] = {}


def _template(survey: Survey, questionnaire: Questionnaire, who: Respondent, lang: str,
              personalized: bool, version: int | None, templates: Path) -> Path:
    key = (survey, questionnaire.id, questionnaire.version, lang, personalized, who, version)
    if version is not None:
        path = templates / f"{who.id}-v{version}-{lang}.xlsx"
    elif personalized:
        path = templates / personalized_file_name(who)
    else:
        path = templates / blank_file_name(questionnaire.id, questionnaire.version, lang)
    if key in _TEMPLATES:
        templates.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_TEMPLATES[key])
        return path
    if version is not None:
        save_workbook(build_workbook(questionnaire, lang, survey,
                                     respondent=who if personalized else None), path)
    elif personalized:
        path = write_personalized(survey, [who], templates)[0].path
    else:
        path = write_blank_templates(survey, [questionnaire.id], [lang], templates)[0].path
    _TEMPLATES[key] = path.read_bytes()
    return path


def make_return(folder: Path, kind: str = "state", lang: str = "en",
                answers: dict[str, object] | None = None,
                tables: dict[str, list[dict[str, object]]] | None = None,
                name: str | None = None, personalized: bool = True,
                fixed: dict[str, object] | None = None,
                fixed_tables: dict[str, list[dict[str, object]]] | None = None,
                who: Respondent | None = None, survey: Survey | None = None,
                version: int | None = None) -> Path:
    """A complete, valid return around the `fixed` answers (what depends on them follows),
    then with `answers` and `tables` replaced as given, whatever depends on them; made from
    the current version of the survey's questionnaire (the bundled survey by default), or from
    an older `version` of it."""
    survey = survey or SURVEY
    folder.mkdir(parents=True, exist_ok=True)
    who = who or respondent(kind, lang)
    questionnaire = survey.current(kind) if version is None else survey.get(kind, version)
    assert questionnaire is not None
    template = _template(survey, questionnaire, who, lang, personalized, version,
                         folder / ".templates")
    filled = plausible_answers(questionnaire, questionnaire.reference, survey, who, lang,
                               personalized=personalized, fixed=fixed, fixed_tables=fixed_tables)
    out = folder / (name or f"{who.id}-{lang}.xlsx")
    fill_workbook(template, out, survey, {**filled.answers, **(answers or {})},
                  {**filled.tables, **(tables or {})})
    return out


def check(*paths: Path, roster: list[Respondent] | None = None,
          survey: Survey | None = None) -> ValidationReport:
    return validate_paths(list(paths), survey or SURVEY, roster)


def only(report: ValidationReport) -> ReturnReport:
    (item,) = report.returns
    return item


def codes(item: ReturnReport) -> list[str]:
    return [issue.code for issue in item.issues]


def issue_of(item: ReturnReport, code: str):  # type: ignore[no-untyped-def]
    found = [issue for issue in item.issues if issue.code == code]
    assert found, f"no {code} among {codes(item)}"
    return found[0]


def rewrite_package(source: Path, target: Path,
                    change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Path:
    """Copy a package, letting `change` edit its members (name -> bytes), in order."""
    with zipfile.ZipFile(source) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members = change(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def sheet_member(path: Path, sheet_name: str) -> str:
    """The package member that holds a sheet, found through the workbook and its relations."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    escaped = sheet_name.replace("&", "&amp;").replace("'", "&apos;")
    match = re.search(rf'<sheet [^>]*name="{re.escape(escaped)}"[^>]*r:id="(rId\d+)"', workbook)
    assert match, sheet_name
    target = re.search(rf'Id="{match.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{match.group(1)}"', rels)
    assert target
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def with_cell(xml: str, address: str, cell_xml: str) -> str:
    """A sheet's XML with one cell's XML replaced (or added, at the end of its row)."""
    pattern = re.compile(rf'<c r="{address}"[^>]*?(?:/>|>.*?</c>)', re.S)
    if pattern.search(xml):
        return pattern.sub(lambda _: cell_xml, xml, count=1)
    row = re.sub(r"[A-Z]+", "", address)
    row_pattern = re.compile(rf'(<row r="{row}"[^>]*>)(.*?)(</row>)', re.S)
    if row_pattern.search(xml):
        return row_pattern.sub(lambda m: m.group(1) + m.group(2) + cell_xml + m.group(3), xml,
                               count=1)
    return xml.replace("</sheetData>", f'<row r="{row}">{cell_xml}</row></sheetData>')


def set_cell_xml(path: Path, target: Path, sheet_name: str, address: str, cell_xml: str) -> Path:
    """Replace (or add, at the end of its row) one cell's XML in a sheet."""
    member = sheet_member(path, sheet_name)

    def change(members: dict[str, bytes]) -> dict[str, bytes]:
        members[member] = with_cell(members[member].decode(), address, cell_xml).encode()
        return members

    return rewrite_package(path, target, change)

SHARED_STRINGS_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml."
                       "sharedStrings+xml")
SHARED_STRINGS_RELATION = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                           "sharedStrings")


def with_shared_strings(members: dict[str, bytes], data: bytes) -> dict[str, bytes]:
    """The package with xl/sharedStrings.xml holding `data`, declared as a workbook would:
    a relationship of the workbook and a content type."""
    members = dict(members)
    members["xl/sharedStrings.xml"] = data
    rels = "xl/_rels/workbook.xml.rels"
    if b"sharedStrings.xml" not in members[rels]:
        members[rels] = members[rels].replace(
            b"</Relationships>", b'<Relationship Id="rIdShared" Type="'
            + SHARED_STRINGS_RELATION.encode() + b'" Target="sharedStrings.xml"/></Relationships>')
    if b"sharedStrings.xml" not in members["[Content_Types].xml"]:
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
            + SHARED_STRINGS_TYPE.encode() + b'"/></Types>')
    return members


WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"

Members = dict[str, bytes]


def sheet_parts(members: Members) -> dict[str, str]:
    """Sheet name -> package member, from the workbook and its relationships."""
    workbook = members["xl/workbook.xml"].decode()
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    targets = {m.group(2): m.group(1) for m in re.finditer(
        r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)}
    found = {}
    for match in re.finditer(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook):
        target = targets[match.group(2)]
        found[match.group(1)] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return found


def edit(members: Members, part: str, change: Callable[[str], str]) -> Members:
    return {**members, part: change(members[part].decode()).encode()}


def edit_sheet(members: Members, sheet: str, change: Callable[[str], str]) -> Members:
    return edit(members, sheet_parts(members)[sheet], change)


def merged(members: Members, sheet: str, merge_xml: str) -> Members:
    """The sheet with merged cells added after its cells."""
    return edit_sheet(members, sheet, lambda text: text.replace(
        "</sheetData>", f"</sheetData><mergeCells count=\"1\">{merge_xml}</mergeCells>", 1))
