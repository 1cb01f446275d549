"""One loaded survey: everything the definitions say, read once, checked together, and passed
explicitly to whatever needs it.

A survey is made of two folders. The definitions folder (the bundled `templates/` unless
--definitions names another) holds the questionnaires, every version of each
(`<id>-<version>.yaml`), the survey's settings and workbook texts (`survey.yaml`), the catalogue
of problems a return can have (`messages.yaml`), the draft summaries' sentences
(`summary.yaml` and `summary-<lang>.ftl`) and the words of the analysts' export
(`codebook.yaml`). The schemas folder (the bundled `schemas/` unless --schemas names another)
holds the choice lists and the reference lists of ISCMs and IGOs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.errors import DefinitionError
from workbook_tools.model.codebook import CodebookTexts, load_codebook_texts
from workbook_tools.model.languages import LANGS
from workbook_tools.model.messages import MessageCatalogue, load_messages
from workbook_tools.model.migration import check_migration, has_key, migrate_once, source_key
from workbook_tools.model.questionnaire import (
    FILE_PATTERN,
    Questionnaire,
    load_questionnaire,
    unspecified_others,
)
from workbook_tools.model.reference import ReferenceData, load_reference, sheet_name_problem
from workbook_tools.model.resources import data_dir
from workbook_tools.model.settings import Settings, load_settings
from workbook_tools.model.summary import DraftSpec, check_against, load_draft_spec

SETTINGS_FILE, MESSAGES_FILE, CODEBOOK_FILE = "survey.yaml", "messages.yaml", "codebook.yaml"


@dataclass(frozen=True, eq=False)  # identity equality: one object per loaded survey
class Survey:
    questionnaires: Mapping[tuple[str, int], Questionnaire]  # every version of each
    reference: ReferenceData
    settings: Settings
    messages: MessageCatalogue
    drafts: DraftSpec
    codebook: CodebookTexts
    definitions_dir: Path
    schemas_dir: Path

    def current(self, questionnaire_id: str) -> Questionnaire:
        """The newest version of a questionnaire: the one that is sent."""
        versions = [q for (qid, _), q in self.questionnaires.items() if qid == questionnaire_id]
        if not versions:
            raise KeyError(questionnaire_id)
        return max(versions, key=lambda q: q.version)

    def get(self, questionnaire_id: str, version: int) -> Questionnaire | None:
        return self.questionnaires.get((questionnaire_id, version))

    def ids(self) -> list[str]:
        """The questionnaires' ids, which are also the kinds of respondents (iscm, state...)."""
        return sorted({qid for qid, _ in self.questionnaires})

    def versions(self, questionnaire_id: str) -> list[Questionnaire]:
        return sorted((q for (qid, _), q in self.questionnaires.items()
                       if qid == questionnaire_id), key=lambda q: q.version)

    def source_of(self, questionnaire_id: str, version: int, key: str) -> str | None:
        """Where an answer of the current version comes from in a return made from an older
        version (a question id, or "table.column"), through the declared migrations."""
        for target in reversed(self.versions(questionnaire_id)):
            if target.version <= version:
                break
            key = source_key(target, key) or key
        return key

    def versions_asking(self, questionnaire_id: str, key: str) -> tuple[int, ...]:
        """The versions whose returns answer a question, table or "table.column" of the current
        version: by the same id, or through the declared migrations."""
        return tuple(q.version for q in self.versions(questionnaire_id)
                     if has_key(q, self.source_of(questionnaire_id, q.version, key) or key))

    def to_current(self, questionnaire: Questionnaire, answers: Mapping[str, object],
                   tables: Mapping[str, Sequence[Mapping[str, object]]]
                   ) -> tuple[Questionnaire, dict[str, object],
                              dict[str, list[dict[str, object]]]]:
        """Answers to a version as answers to the current one, through each version's declared
        migration (checked when the survey was loaded). A table keeps its rows in order."""
        moved: dict[str, object] = dict(answers)
        moved_tables = {table_id: [dict(row) for row in rows]
                        for table_id, rows in tables.items()}
        source = questionnaire
        for target in self.versions(questionnaire.id):
            if target.version <= source.version:
                continue
            moved, moved_tables = migrate_once(source, target, moved, moved_tables)
            source = target
        return source, moved, moved_tables


def load_survey(definitions: Path | None = None, schemas: Path | None = None) -> Survey:
    """Load and check a survey; raise DefinitionError listing every problem, each with its file
    and question. Without folders, the bundled definitions and schemas."""
    definitions = definitions or data_dir("templates")
    schemas = schemas or data_dir("schemas")
    reference = load_reference(schemas)
    problems: list[str] = []
    questionnaires = _load_questionnaires(definitions, reference, problems)
    settings = messages = drafts = codebook = None
    try:
        settings = load_settings(definitions / SETTINGS_FILE)
    except DefinitionError as exc:
        problems.extend(exc.problems)
    try:
        messages = load_messages(definitions / MESSAGES_FILE)
    except DefinitionError as exc:
        problems.extend(exc.problems)
    try:
        drafts = load_draft_spec(definitions)
    except DefinitionError as exc:
        problems.extend(exc.problems)
    try:
        codebook = load_codebook_texts(definitions / CODEBOOK_FILE)
    except DefinitionError as exc:
        problems.extend(exc.problems)
    if not problems:
        problems += _cross_checks(questionnaires, drafts)
        assert settings is not None
        problems += _sheet_name_checks(questionnaires, settings)
    if problems:
        raise DefinitionError(problems)
    assert settings is not None and messages is not None and drafts is not None
    assert codebook is not None
    return Survey(questionnaires, reference, settings, messages, drafts, codebook, definitions,
                  schemas)


def _cross_checks(questionnaires: Mapping[tuple[str, int], Questionnaire],
                  drafts: DraftSpec | None) -> list[str]:
    """What the outputs need across files: one questionnaire answered by ISCMs (the master and
    the drafts are per ISCM), and drafts that fit it."""
    current: dict[str, Questionnaire] = {}
    problems: list[str] = []
    for (qid, _), questionnaire in sorted(questionnaires.items()):
        if qid in current:  # the version before: every answer to it has a declared fate
            problems += check_migration(current[qid], questionnaire)
        current[qid] = questionnaire  # sorted: the newest version of each id wins
    for questionnaire in current.values():
        problems += unspecified_others(questionnaire)
    iscm = [q for q in current.values() if q.respondent == "iscms"]
    if len(iscm) != 1:
        return [*problems, f"exactly one questionnaire must be answered by ISCMs (respondent: "
                           f"iscms); found {len(iscm)}: "
                           f"{', '.join(q.source for q in iscm) or 'none'}"]
    return problems + (check_against(drafts, iscm[0], current) if drafts is not None else [])


def _sheet_name_checks(questionnaires: Mapping[tuple[str, int], Questionnaire],
                       settings: Settings) -> list[str]:
    """The instructions and Check sheets, named in survey.yaml, sit beside every questionnaire's
    own sheets: each name must be one Excel allows, and none may be taken twice."""
    problems = []
    for key in ("instructions_sheet", "check_sheet"):
        for lang in LANGS:
            name = settings.text(key, lang)
            problem = sheet_name_problem(name)
            if problem:
                problems.append(f"{SETTINGS_FILE}, text {key!r} ({lang}): {problem}")
            for questionnaire in questionnaires.values():
                sheets = [s.sheet[lang] for s in questionnaire.sections]
                sheets += [t.sheet[lang] for t in questionnaire.tables()]
                sheets.append(settings.text("instructions_sheet" if key == "check_sheet"
                                            else "check_sheet", lang))
                if name.casefold() in {sheet.casefold() for sheet in sheets}:
                    problems.append(f"{SETTINGS_FILE}, text {key!r} ({lang}): the sheet name "
                                    f"{name!r} is also a sheet of {questionnaire.source}")
    return list(dict.fromkeys(problems))


def _load_questionnaires(folder: Path, reference: ReferenceData, problems: list[str]
                         ) -> dict[tuple[str, int], Questionnaire]:
    found: dict[tuple[str, int], Questionnaire] = {}
    paths = sorted(p for p in folder.glob("*.yaml") if FILE_PATTERN.match(p.name))
    if not paths:
        problems.append(f"{folder}: no questionnaire definition (<id>-<version>.yaml)")
    for path in paths:
        try:
            questionnaire = load_questionnaire(path, reference)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            continue
        found[questionnaire.key] = questionnaire
    return found
