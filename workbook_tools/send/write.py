"""Write the questionnaires that go out: blank ones per kind and language, or one per respondent."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.files import save_workbook
from workbook_tools.model.roster import Respondent
from workbook_tools.model.survey import Survey
from workbook_tools.send.build import build_workbook

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Written:
    path: Path
    questionnaire: str
    version: int
    lang: str
    respondent: Respondent | None = None


# names Windows keeps for devices, whatever the extension: a file CON.xlsx cannot be opened
WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)),
                             *(f"LPT{n}" for n in range(10))})


def safe_file_stem(text: str) -> str:
    """A file name's stem every file system takes: letters, digits, '.', '_' and '-' only,
    and never a name Windows keeps for a device (whatever follows its first dot)."""
    stem = _UNSAFE.sub("-", text).strip("-.") or "respondent"
    first, dot, rest = stem.partition(".")
    return f"{first}_{dot}{rest}" if first.upper() in WINDOWS_DEVICES else stem


def blank_file_name(questionnaire_id: str, version: int, lang: str) -> str:
    return f"{questionnaire_id}-v{version}-{lang}.xlsx"


def write_blank_templates(survey: Survey, kinds: Iterable[str],
                          langs: Iterable[str], out_dir: Path, password: str | None = None
                          ) -> list[Written]:
    written = []
    for kind in kinds:
        questionnaire = survey.current(kind)
        for lang in langs:
            path = out_dir / blank_file_name(questionnaire.id, questionnaire.version, lang)
            workbook = build_workbook(questionnaire, lang, survey,
                                      password=password)
            save_workbook(workbook, path)
            written.append(Written(path, questionnaire.id, questionnaire.version, lang))
    return written


def personalized_file_name(respondent: Respondent) -> str:
    return f"{safe_file_stem(respondent.id)}.xlsx"


def write_personalized(survey: Survey, respondents: Iterable[Respondent],
                       out_dir: Path, password: str | None = None) -> list[Written]:
    written = []
    for respondent in respondents:
        questionnaire = survey.current(respondent.kind)
        path = out_dir / personalized_file_name(respondent)
        workbook = build_workbook(questionnaire, respondent.lang, survey,
                                  respondent=respondent, password=password)
        save_workbook(workbook, path)
        written.append(Written(path, questionnaire.id, questionnaire.version, respondent.lang,
                               respondent))
    return written
