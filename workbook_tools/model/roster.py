"""The roster: who receives a questionnaire, in which language, and the ISCMs they take part in."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbook_tools.errors import RosterError
from workbook_tools.model.languages import LANGS
from workbook_tools.model.reference import ReferenceData
from workbook_tools.model.resources import data_dir

if TYPE_CHECKING:
    from workbook_tools.model.questionnaire import Questionnaire
    from workbook_tools.model.survey import Survey

COLUMNS = ("respondent_id", "kind", "code", "name", "lang", "email", "iscms")
REQUIRED_COLUMNS = ("respondent_id", "kind", "code", "lang")
SAMPLE = "sample"
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Respondent:
    id: str
    kind: str  # the questionnaire's id: iscm, state or igo
    code: str  # the respondent in its reference list: ISCM code, ISO alpha-3, IGO code
    name: str
    lang: str
    email: str = ""
    iscms: tuple[str, ...] = ()  # ISCM codes, for States and IGOs


def sample_roster_path() -> Path:
    return data_dir("sample") / "roster.csv"


def _rows_from_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [dict(row) for row in csv.DictReader(io.StringIO(text), delimiter=delimiter)]


def _rows_from_xlsx(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1, max_col=len(COLUMNS) + 10)
        header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
        return [
            {h: "" if v is None else str(v) for h, v in zip(header, values, strict=False) if h}
            for values in rows
            if any(v not in (None, "") for v in values)
        ]
    finally:
        workbook.close()


def read_roster(path: Path, survey: Survey) -> list[Respondent]:
    """Read and check a roster (CSV or xlsx); raise RosterError listing every problem."""
    if str(path) == SAMPLE:
        path = sample_roster_path()
    from openpyxl.utils.exceptions import InvalidFileException

    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            rows = _rows_from_csv(path)
        elif suffix == ".xlsx":
            rows = _rows_from_xlsx(path)
        else:
            raise RosterError([f"{path}: a roster is a .csv or .xlsx file"])
    except RosterError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError, zipfile.BadZipFile,
            InvalidFileException) as exc:
        raise RosterError([f"{path}: cannot be read ({exc}); save it as CSV (UTF-8) or as an "
                           "Excel workbook"]) from exc
    return parse_roster(rows, survey, path.name)


def parse_roster(rows: Sequence[dict[str, str]], survey: Survey, source: str
                 ) -> list[Respondent]:
    problems: list[str] = []
    if not rows:
        raise RosterError([f"{source}: no respondents; the first row names the columns "
                           f"({', '.join(COLUMNS)})"])
    missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
    if missing:
        raise RosterError([f"{source}: missing column(s) {', '.join(missing)}; the columns are "
                           + ", ".join(COLUMNS)])
    if len(rows) > MAX_ROWS:
        raise RosterError([f"{source}: more than {MAX_ROWS} respondents"])
    reference = survey.reference
    kinds = survey.ids()
    iscm_lookup = _iscm_lookup(reference)
    respondents: list[Respondent] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        value = {key: (row.get(key) or "").strip() for key in COLUMNS}
        where = f"{source}, line {line}"
        if row.get(None):  # type: ignore[call-overload]
            problems.append(f"{where}: more values than columns; in a CSV separated by ';' "
                            "separate the ISCMs with ',' (and the other way round)")
            continue
        respondent_id, kind, code, lang = (value["respondent_id"], value["kind"].lower(),
                                           value["code"], value["lang"].lower())
        if not respondent_id:
            problems.append(f"{where}: respondent_id is empty")
        elif respondent_id.casefold() in seen:
            # files are named by id, and Windows and macOS do not tell STATE-EGY from state-egy
            problems.append(f"{where}: respondent_id {respondent_id!r} is already used on line "
                            f"{seen[respondent_id.casefold()]} (ids that differ only in case "
                            "are the same file name on Windows and macOS)")
        else:
            seen[respondent_id.casefold()] = line
        if kind not in kinds:
            problems.append(f"{where}: kind {value['kind']!r} must be one of "
                            + ", ".join(kinds) + " (the questionnaires' ids)")
            continue
        questionnaire = survey.current(kind)
        list_name = questionnaire.respondent
        codes = questionnaire.reference[list_name].codes  # those the version sent can name
        code = _code_in(code, codes, iscm_lookup if list_name == "iscms" else {})
        if code not in codes:
            hint = ("the ISO 3166 alpha-3 code of a UN Member or observer State, such as EGY "
                    "(a territory is listed once schemas/states.yaml names it under "
                    "territories)") if list_name == "states" else ("one of " + ", ".join(codes))
            problems.append(f"{where}: code {value['code']!r} is not a known {kind}; use {hint}")
            continue
        if lang not in LANGS:
            problems.append(f"{where}: lang {value['lang']!r} must be one of {', '.join(LANGS)}")
            continue
        email = value["email"]
        if email and ("@" not in email or " " in email):
            problems.append(f"{where}: email {email!r} is not an e-mail address")
        iscms: list[str] = []
        for token in _split(value["iscms"]):
            found = iscm_lookup.get(token.casefold())
            if found is None:
                problems.append(f"{where}: ISCM {token!r} is not in the reference list "
                                "(schemas/iscms.yaml); use its code or one of its names")
            elif found not in iscms:
                iscms.append(found)
        if iscms and not _takes_iscms(questionnaire):
            problems.append(f"{where}: the {kind} questionnaire has no table of ISCMs to "
                            "pre-fill; leave iscms empty")
        name = value["name"] or reference.any_label(list_name, code, "en")
        respondents.append(Respondent(respondent_id, kind, code, name, lang, email, tuple(iscms)))
    if problems:
        raise RosterError(problems)
    return respondents


def _split(text: str) -> Iterable[str]:
    return (token.strip() for token in text.replace(",", ";").replace("|", ";").split(";")
            if token.strip())


def _code_in(typed: str, codes: Sequence[str], aliases: dict[str, str]) -> str:
    """The code as the list writes it: codes match in any case, ISCMs by short name too."""
    folded = typed.casefold()
    return next((code for code in codes if code.casefold() == folded), None) or aliases.get(
        folded, typed)


def _takes_iscms(questionnaire: Questionnaire) -> bool:
    return any(column.prefill == "iscms" for table in questionnaire.tables()
               for column in table.columns)


def _iscm_lookup(reference: ReferenceData) -> dict[str, str]:
    """An ISCM by its code, its sheet name, or any of its names in any language."""
    lookup = {}
    for iscm in reference.iscms:
        lookup[iscm.code.casefold()] = iscm.code
        lookup[iscm.short_name.casefold()] = iscm.code
        for name in reference.names.get("iscms", {}).get(iscm.code, {}).values():
            for text in (name.short, name.label, name.full):
                lookup.setdefault(text.casefold(), iscm.code)
    return lookup
