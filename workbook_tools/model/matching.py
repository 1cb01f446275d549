"""How a typed answer is matched to a choice: what the reader of returns accepts (read/coerce.py)
and what the workbook's own live checks accept (form/checks.py), written once.

A choice is accepted as its label in the workbook's language, or, more loosely, as its code or
its label in any language, whatever the case, accents and spacing. A multiple choice's option is
ticked by the "yes" of the yes/no list, so loosely, or by a few marks people type instead.
"""

from __future__ import annotations

import unicodedata

from workbook_tools.model.languages import LANGS
from workbook_tools.model.reference import ChoiceList

TICK_WORDS = ("x", "✓", "✔", "☑", "1", "true", "vrai", "verdadero")


def fold(text: str) -> str:
    """The loose form of a text: case-folded, accents removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def loose_forms(choice_list: ChoiceList) -> dict[str, str]:
    """Loose form -> code: a choice's code and its labels in every language, folded; where two
    choices share a loose form, the first one has it."""
    loose: dict[str, str] = {}
    for choice in choice_list.choices:
        loose.setdefault(fold(choice.code), choice.code)
        for lang in LANGS:
            loose.setdefault(fold(choice.labels[lang]), choice.code)
    return loose


def accepted_forms(choice_list: ChoiceList, lang: str) -> list[tuple[str, str]]:
    """(text, code) for every text the reader takes as a choice, the exact labels of the language
    first, then the loose forms; each text once, ignoring case (a spreadsheet's "=" does)."""
    forms: dict[str, tuple[str, str]] = {}
    for choice in choice_list.choices:
        forms.setdefault(choice.labels[lang].strip().casefold(),
                         (choice.labels[lang].strip(), choice.code))
    for text, code in loose_forms(choice_list).items():
        forms.setdefault(text.casefold(), (text, code))
    return list(forms.values())
