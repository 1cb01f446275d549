"""States, ISCMs and IGOs named in running text, in each language, with their article and the
contractions a preposition makes ("le Processus de Rabat", "du Processus de Rabat", "au
Processus de Rabat"), for the messages of validation and the consistency queries.

The forms are the drafts' own (the name-the, name-of and name-to messages of
summary-<lang>.ftl, by the grammar schemas/ gives each name): one source for every text that
names something. They are evaluated here without a Fluent bundle: a bundle loads Babel's
locale data for its plural rules (a tenth of a second), and these messages choose only by a
name's article and elision (select expressions, references to one another, variables).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from workbook_tools.model.survey import Survey

FORMS = ("the", "of", "to")
# A message of the drafts' Fluent files that names something: its first line, then its indented
# lines.
_NAME_MESSAGES = re.compile(r"^name-[a-z-]+ =.*(?:\n[ \t]+.*)*", re.MULTILINE)


class NameForms:
    """The names of one survey's reference lists, in each form, made once each."""

    def __init__(self, survey: Survey) -> None:
        self.survey = survey
        self._messages: dict[str, dict[str, Any]] = {}
        self._made: dict[tuple[str, str, str, str], str] = {}

    def name(self, list_name: str, code: str, lang: str, form: str = "the") -> str:
        key = (list_name, code, lang, form)
        if key not in self._made:  # the same few names come back in every message
            self._made[key] = self._name(list_name, code, lang, form)
        return self._made[key]

    def _name(self, list_name: str, code: str, lang: str, form: str) -> str:
        name = self.survey.reference.name(list_name, code, lang)
        if name is None:  # a code only a frozen list still has
            return self.survey.reference.any_label(list_name, code, lang)
        if lang not in self._messages:
            self._messages[lang] = _name_messages(self.survey.drafts.messages[lang])
        messages = self._messages[lang]
        return _evaluate(messages[f"name-{form}"], {
            "name": name.short, "article": name.grammar.article,
            "elision": "yes" if name.grammar.elision else "no"}, messages)

    def localized(self, list_name: str, code: str, form: str = "the") -> dict[str, str]:
        from workbook_tools.model.languages import LANGS

        return {lang: self.name(list_name, code, lang, form) for lang in LANGS}


def _name_messages(source: str) -> dict[str, Any]:
    from fluent.syntax import FluentParser, ast

    resource = FluentParser().parse("\n".join(_NAME_MESSAGES.findall(source)))
    return {entry.id.name: entry.value for entry in resource.body
            if isinstance(entry, ast.Message) and entry.value is not None}


def _evaluate(pattern: Any, args: Mapping[str, str], messages: Mapping[str, Any]) -> str:
    from fluent.syntax import ast

    found = []
    for element in pattern.elements:
        if isinstance(element, ast.TextElement):
            found.append(element.value)
            continue
        expression = element.expression
        if isinstance(expression, ast.VariableReference):
            found.append(args.get(expression.id.name, ""))
        elif isinstance(expression, ast.MessageReference):
            found.append(_evaluate(messages[expression.id.name], args, messages))
        elif isinstance(expression, ast.StringLiteral):
            found.append(expression.parse()["value"])
        elif isinstance(expression, ast.SelectExpression):
            assert isinstance(expression.selector, ast.VariableReference)
            key = args.get(expression.selector.id.name, "")
            variant = next((v for v in expression.variants if isinstance(v.key, ast.Identifier)
                            and v.key.name == key), None) or next(
                v for v in expression.variants if v.default)
            found.append(_evaluate(variant.value, args, messages))
        else:
            raise ValueError(f"a name-* message of the drafts uses {type(expression).__name__},"
                             " which naming outside the drafts does not evaluate")
    return "".join(found)
