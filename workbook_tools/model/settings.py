"""The survey's settings (survey.yaml): the round's year, deadline and contact, and the
workbook's own words in each language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from typing import Any

from workbook_tools.errors import DefinitionError
from workbook_tools.model.languages import LANG_NAMES, LANGS
from workbook_tools.model.questionnaire import Field
from workbook_tools.model.yamlfile import load_yaml_mapping

REQUIRED_TEXTS = (
    "organization", "survey_title", "instructions_sheet", "purpose_heading", "purpose",
    "respondent_heading", "respondent_line", "respondent_full_name", "deadline_heading",
    "contact_heading", "contact", "how_heading", "how",
    "colours_heading", "colour_answer", "colour_prefilled", "colour_not_applicable",
    "sections_heading", "header_number", "header_question", "header_answer", "header_guidance",
    "required_note", "tick_hint", "tick_at_most", "tick_alone", "privacy_heading", "privacy",
    "only_if_equals", "only_if_in", "only_if_includes", "only_if_includes_any",
    "only_if_column_equals", "only_if_column_in", "see_table", "table_rows",
    "back_to_question", "prompt_choice", "prompt_tick", "prompt_integer", "prompt_year",
    "prompt_date", "prompt_email", "prompt_text",
    "error_title", "error_choice", "error_integer", "error_year", "error_date", "error_email",
    "error_text",
    # the Check sheet (form/checks.py)
    "check_sheet", "check_hint", "check_title", "check_intro", "check_ready",
    "check_left_to_answer_one", "check_left_to_answer_many", "check_left_to_correct_one",
    "check_left_to_correct_many", "check_sections_heading", "check_questions_heading",
    "check_header_section", "check_header_status", "check_section_done", "check_to_answer",
    "check_to_correct", "check_answered", "check_rows_filled", "check_missing",
    "check_missing_given", "check_depends", "check_does_not_apply", "check_optional",
    "check_not_applicable", "check_not_in_list", "check_invalid_tick", "check_integer",
    "check_year", "check_date", "check_ambiguous_date", "check_email", "check_too_long",
    "check_too_many_choices", "check_too_few_choices", "check_too_few_rows",
    "check_to_complete", "check_quoted", "check_in_column", "check_duplicate_rows",
    "check_cell_error",
    "check_exclusive_option", "check_before_year", "check_before_established",
    "check_column_needed", "check_column_not_applicable",
)

# The e-mails of a round (the `mail` section): each text and the placeholders it may use. Every
# language must use the same placeholders, and only these.
MAIL_TEXTS: Mapping[str, frozenset[str]] = {
    "date": frozenset({"day", "month", "year"}),
    "first_day": frozenset(),
    "sender_name": frozenset(),
    "signature": frozenset({"contact"}),
    "invitation_subject": frozenset({"name"}),
    "invitation_body": frozenset({"name", "deadline", "contact"}),
    "thanks_subject": frozenset({"name"}),
    "thanks_body": frozenset({"name", "received"}),
    "correction_subject": frozenset({"name"}),
    "correction_body": frozenset({"name", "received", "problems"}),
    "unreadable_subject": frozenset({"name"}),
    "unreadable_body": frozenset({"received", "file", "problems"}),
    "reminder_subject": frozenset({"name"}),
    "reminder_missing_body": frozenset({"name", "sent", "deadline_note"}),
    "reminder_invalid_body": frozenset({"name", "received", "problems", "deadline_note"}),
    "reminder_unreadable_body": frozenset({"name", "received", "problems", "deadline_note"}),
    "deadline_ahead": frozenset({"deadline"}),
    "deadline_passed": frozenset({"deadline"}),
    "problem_at_question": frozenset({"number", "sheet", "cell", "message"}),
    "problem_at_cell": frozenset({"sheet", "cell", "message"}),
    "problem_at_sheet": frozenset({"sheet", "message"}),
    "problem_in_file": frozenset({"message"}),
}
MONTHS = "months"


@dataclass(frozen=True, eq=False)  # identity equality: one object per loaded file
class Settings:
    year: int
    deadline: dt.date
    contact: str
    texts: Mapping[str, Mapping[str, Any]]
    mail: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def mail_text(self, key: str, lang: str, **values: object) -> str:
        """An e-mail text in a language, its placeholders filled."""
        return str(self.mail[key][lang]).format(**values)

    def long_date(self, date: dt.date, lang: str) -> str:
        """A date as a letter writes it: "31 January 2027", "1er février 2027",
        "31 de enero de 2027"."""
        day = self.mail_text("first_day", lang) if date.day == 1 else str(date.day)
        return self.mail_text("date", lang, day=day, month=self.mail[MONTHS][lang][date.month - 1],
                              year=date.year)

    def text(self, key: str, lang: str, **values: object) -> str:
        template = self.texts[key][lang]
        return str(template).format(**values) if values else str(template)

    def paragraphs(self, key: str, lang: str, **values: object) -> list[str]:
        value = self.texts[key][lang]
        found = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        return [paragraph.format(**values) for paragraph in found] if values else found

    def number_bounds(self, f: Field) -> tuple[int, int]:
        """The range a whole number or year may take; a year's upper bound is the survey's."""
        if f.type == "year":
            return (f.min or 1900, f.max or self.year)
        return (f.min if f.min is not None else 0, f.max if f.max is not None else 10**9)

    @property
    def earliest_date(self) -> dt.date:
        return dt.date(self.year - 1, 1, 1)

    @property
    def latest_date(self) -> dt.date:
        return dt.date(self.deadline.year + 1, 12, 31)


def load_settings(path: Path) -> Settings:
    raw = load_yaml_mapping(path, "'round' (year, deadline, contact) and 'text' sections")
    problems: list[str] = []
    if not isinstance(raw.get("round"), dict) or not isinstance(raw.get("text"), dict):
        raise DefinitionError([f"{path.name}: expected 'round' (year, deadline, contact) and "
                               "'text' sections"])
    round_ = raw["round"]
    year, deadline, contact = round_.get("year"), round_.get("deadline"), round_.get("contact")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(f"{path.name}, round: year must be a four-digit year, not {year!r}")
    if not isinstance(deadline, dt.date):
        problems.append(f"{path.name}, round: deadline must be a date written YYYY-MM-DD")
    if not isinstance(contact, str) or "@" not in contact:
        problems.append(f"{path.name}, round: contact must be an e-mail address")
    texts = raw["text"]
    for key in REQUIRED_TEXTS:
        entry = texts.get(key)
        if not isinstance(entry, dict):
            problems.append(f"{path.name}, text {key!r}: missing; give it in each language")
            continue
        for lang in LANGS:
            value = entry.get(lang)
            parts = value if isinstance(value, list) else [value]
            if not value or not all(isinstance(part, str) and part.strip() for part in parts):
                problems.append(f"{path.name}, text {key!r}: the {LANG_NAMES[lang]} text ({lang}:) "
                                "is missing or not plain text; put text containing ': ' in "
                                "double quotes")
    mail = raw.get("mail")
    if not isinstance(mail, dict):
        problems.append(f"{path.name}: no 'mail' section (the e-mails of a round); copy it from "
                        "the bundled survey.yaml")
        mail = {}
    else:
        problems.extend(_mail_problems(mail, path.name))
    if problems:
        raise DefinitionError(problems)
    return Settings(year, deadline, contact, texts, mail)


def _mail_problems(mail: Mapping[str, Any], source: str) -> list[str]:
    problems: list[str] = []
    for key, allowed in MAIL_TEXTS.items():
        entry = mail.get(key)
        where = f"{source}, mail {key!r}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: missing; give it in each language")
            continue
        used: dict[str, set[str]] = {}
        for lang in LANGS:
            value = entry.get(lang)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: the {LANG_NAMES[lang]} text ({lang}:) is missing or "
                                "not plain text; put text containing ': ' in double quotes")
                continue
            try:
                used[lang] = {name for _, name, _, _ in Formatter().parse(value)
                              if name is not None}
            except ValueError:
                problems.append(f"{where}, {lang}: a brace {{ or }} is not matched")
                continue
            unknown = used[lang] - allowed
            if unknown:
                problems.append(f"{where}, {lang}: unknown placeholder(s) {_names(unknown)}; "
                                f"this text may use {_names(set(allowed))}")
        if len(used) == len(LANGS) and any(used[lang] != used["en"] for lang in LANGS):
            problems.append(f"{where}: the languages use different placeholders ("
                            + "; ".join(f"{lang}: {_names(used[lang])}" for lang in LANGS)
                            + "); every language must say the same")
    months = mail.get(MONTHS)
    if not isinstance(months, dict) or any(
            not isinstance(months.get(lang), list) or len(months[lang]) != 12
            or not all(isinstance(m, str) and m.strip() for m in months[lang]) for lang in LANGS):
        problems.append(f"{source}, mail 'months': give the twelve month names in each language")
    return problems


def _names(names: set[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names)) or "no placeholder"
