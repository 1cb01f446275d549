"""The survey's languages: every text a respondent or an editor reads is given in each."""

from __future__ import annotations

from collections.abc import Mapping

LANGS: tuple[str, ...] = ("en", "fr", "es")
LANG_NAMES = {"en": "English", "fr": "French", "es": "Spanish"}

Localized = Mapping[str, str]


def lang_list() -> str:
    """'en (English), fr (French), es (Spanish)': how messages name the languages expected."""
    return ", ".join(f"{lang} ({LANG_NAMES[lang]})" for lang in LANGS)
