"""Problems as data: a stable code from one catalogue (templates/messages.yaml), a severity,
where, and a message per language that says what is wrong and how to fix it.

An Issue is plain data (it crosses process boundaries as it is); its message is rendered by the
catalogue of the survey that found it, in the language asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from typing import Any

from workbook_tools.errors import DefinitionError
from workbook_tools.model.codes import PROBLEM_CODES, WORDS
from workbook_tools.model.languages import LANG_NAMES, LANGS
from workbook_tools.model.yamlfile import load_yaml_mapping

SEVERITIES = ("error", "warning", "query")  # a query never makes a return invalid


@dataclass(frozen=True)
class Issue:
    code: str
    severity: str
    sheet: str = ""
    cell: str = ""
    question: str = ""  # question (or table) id
    value: str = ""  # what the respondent typed, as text
    params: Mapping[str, Any] = field(default_factory=dict)


class Word(str):
    """A parameter that is a word of the catalogue, translated when the message is rendered."""


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True, eq=False)  # identity equality: one object per loaded file
class MessageCatalogue:
    entries: Mapping[str, Mapping[str, str]]
    words: Mapping[str, Mapping[str, str]]

    def severity(self, code: str) -> str:
        return self.entries[code]["severity"]

    def issue(self, code: str, sheet: str = "", cell: str = "", question: str = "",
              value: object = "", **params: Any) -> Issue:
        """A problem found, with the severity the catalogue gives its code."""
        return Issue(code, self.severity(code), sheet, cell, question, display(value), params)

    def render(self, issue: Issue, lang: str = "en") -> str:
        template = self.entries[issue.code][lang]
        values: dict[str, Any] = {"value": issue.value, "sheet": issue.sheet, "cell": issue.cell}
        words: dict[str, Word] = {}
        for key, value in issue.params.items():
            # a word of the catalogue, or a text given per language, is rendered in `lang`
            if isinstance(value, Word):
                words[key] = value
            elif isinstance(value, Mapping):
                values[key] = value.get(lang, value.get("en", ""))
            else:
                values[key] = value
        for key, word in words.items():
            # a word may name the issue's other values: "the content of the sheet {sheet}"
            text = self.words[word][lang]
            try:
                values[key] = text.format_map(_Lenient(values)) if "{" in text else text
            except (ValueError, IndexError):  # braces that are not placeholders
                values[key] = text
        return template.format_map(_Lenient(values))

    def word(self, key: str, lang: str) -> str:
        return self.words[key][lang]

    def as_dict(self, issue: Issue, lang: str = "en") -> dict[str, str]:
        return {"severity": issue.severity, "code": issue.code, "sheet": issue.sheet,
                "cell": issue.cell, "question": issue.question, "value": issue.value,
                "message": self.render(issue, lang)}


DISPLAY_MAX = 200


def display(value: object) -> str:
    """A value as the report shows it: text as typed (long text cut), whole numbers without
    '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= DISPLAY_MAX else text[: DISPLAY_MAX - 1] + "…"


def load_messages(path: Path) -> MessageCatalogue:
    raw = load_yaml_mapping(path, "a mapping of problem codes to their messages")
    problems: list[str] = []
    words = raw.pop("words", {}) or {}
    for code, entry in raw.items():
        if not isinstance(entry, dict) or entry.get("severity") not in SEVERITIES:
            problems.append(f"{path.name}, {code}: severity must be error or warning")
            continue
        for lang in LANGS:
            if not isinstance(entry.get(lang), str) or not entry[lang].strip():
                problems.append(f"{path.name}, {code}: no {LANG_NAMES[lang]} message ({lang}:)")
        fields = [_placeholders(entry.get(lang, "")) for lang in LANGS]
        if any(f != fields[0] for f in fields):
            problems.append(f"{path.name}, {code}: the languages use different placeholders "
                            f"({'; '.join(', '.join(sorted(f)) for f in fields)})")
    if not isinstance(words, dict):
        problems.append(f"{path.name}, words: expected a mapping of words to their texts")
        words = {}
    for key, entry in words.items():
        if not isinstance(entry, dict) or any(not entry.get(lang) for lang in LANGS):
            problems.append(f"{path.name}, words.{key}: give it in {', '.join(LANGS)}")
    problems += _held_to_the_program(path.name, set(raw), set(words))
    if problems:
        raise DefinitionError(problems)
    return MessageCatalogue(raw, words)


def _held_to_the_program(name: str, codes: set[str], words: set[str]) -> list[str]:
    """The catalogue names each problem and word the program reports, and nothing else."""
    problems = [f"{name}, {code}: missing; workbook-tools reports this problem, so it needs its "
                f"severity and a message in {', '.join(LANGS)} (the bundled {name} has them)"
                for code in sorted(PROBLEM_CODES - codes)]
    problems += [f"{name}, {code}: no part of workbook-tools reports this problem; check the "
                 "spelling of the code, or remove it" for code in sorted(codes - PROBLEM_CODES)]
    problems += [f"{name}, words.{word}: missing; messages use this word, so give it in "
                 f"{', '.join(LANGS)}" for word in sorted(WORDS - words)]
    problems += [f"{name}, words.{word}: no message uses this word; check its spelling, or "
                 "remove it" for word in sorted(words - WORDS)]
    return problems


def _placeholders(template: object) -> set[str]:
    if not isinstance(template, str):
        return set()
    try:
        return {name for _, name, _, _ in Formatter().parse(template) if name}
    except ValueError:  # an unmatched brace: reported as a placeholder nobody fills
        return {"{"}
