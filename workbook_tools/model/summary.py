"""The sentences of the draft summaries (summary.yaml), in each language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook_tools.errors import DefinitionError
from workbook_tools.model.languages import LANG_NAMES, LANGS
from workbook_tools.model.yamlfile import load_yaml_mapping

# --- the sentence templates ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SummaryTexts:
    raw: Mapping[str, Any]

    def get(self, group: str, key: str, lang: str) -> str:
        return str(self.raw[group][key][lang])

    def phrase(self, group: str, code: str, lang: str) -> str | None:
        entry = self.raw["phrases"].get(group, {})
        entry = entry.get(code) if isinstance(entry, dict) and code in entry else None
        return str(entry[lang]) if entry else None


def load_summary_texts(path: Path) -> SummaryTexts:
    raw = load_yaml_mapping(path, "the summary's sentences (words, header, intro, sentences)")
    problems: list[str] = []

    def check(where: str, entry: Any) -> None:
        if isinstance(entry, dict) and set(LANGS) <= set(entry):
            return
        if isinstance(entry, dict):
            for key, value in entry.items():
                check(f"{where}.{key}", value)
            return
        problems.append(f"{path.name}, {where}: give it in "
                        + ", ".join(f"{lang} ({LANG_NAMES[lang]})" for lang in LANGS))

    for group in ("header", "intro", "missing", "sentences", "phrases"):
        check(group, raw.get(group, None))
    numbers = raw.get("words", {}).get("numbers", {})
    if any(not isinstance(numbers.get(lang), list) for lang in LANGS):
        problems.append(f"{path.name}, words.numbers: a list of number words per language")
    if problems:
        raise DefinitionError(problems)
    return SummaryTexts(raw)
