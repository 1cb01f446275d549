"""The words of the data export for analysts (codebook.yaml), in each language: the codebook's
headings, what each file holds, what the types and the missing-value codes mean."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook_tools.errors import DefinitionError
from workbook_tools.model.languages import LANGS, lang_list
from workbook_tools.model.yamlfile import load_yaml_mapping

# Every text the export writes, as group.key; each is checked when the survey loads.
REQUIRED = (
    "title", "intro",
    *(f"headings.{k}" for k in ("files", "variables", "values", "missing", "left_out")),
    *(f"columns.{k}" for k in (
        "file", "variable", "short_name", "questionnaire", "section", "number", "question",
        "type", "values",
        "applies_when", "condition", "missing", "spss_missing", "rows", "key", "linked_to",
        "contents", "list", "number_code", "code", "label", "reason", "meaning")),
    *(f"files.{k}" for k in ("respondents", "wide", "table", "answers", "formats", "names",
                             "numbers", "labels")),
    *(f"types.{k}" for k in ("text", "long_text", "email", "integer", "year", "date",
                             "single_choice", "yes_no", "option", "identifier", "range",
                             "at_most", "see_list", "always")),
    *(f"missing.{k}" for k in (
        "not_applicable", "not_answered", "not_asked", "not_applicable_meaning",
        "not_answered_meaning", "not_asked_meaning", "ticked", "not_ticked",
        "not_ticked_meaning", "spss_numbers", "parquet")),
    *(f"left_out.{k}" for k in ("intro", "included", "none")),
    *(f"columns_added.{k}" for k in (
        "respondent_id", "kind", "code", "name", "questionnaire_version", "return_lang", "file",
        "sha256", "row", "question_id", "variable", "number", "section", "label", "value",
        "value_label")),
)


@dataclass(frozen=True, eq=False)  # identity equality: one object per loaded file
class CodebookTexts:
    raw: Mapping[str, Any]

    def text(self, key: str, lang: str, **values: object) -> str:
        """The text at `group.key` in a language, its {placeholders} filled in."""
        entry: Any = self.raw
        for part in key.split("."):
            entry = entry[part]
        template = str(entry[lang])
        return template.format(**values) if values else template


def load_codebook_texts(path: Path) -> CodebookTexts:
    raw = load_yaml_mapping(path, "the export's words (title, headings, columns, files, ...)")
    problems = []
    for key in REQUIRED:
        entry: Any = raw
        for part in key.split("."):
            entry = entry.get(part) if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not all(
                isinstance(entry.get(lang), str) and entry[lang].strip() for lang in LANGS):
            problems.append(f"{path.name}, {key}: missing; give it in {lang_list()}")
    if problems:
        raise DefinitionError(problems)
    return CodebookTexts(raw)
