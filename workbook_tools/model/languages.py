"""The survey's languages: every text a respondent or an editor reads is given in each."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

LANGS: tuple[str, ...] = ("en", "fr", "es")
LANG_NAMES = {"en": "English", "fr": "French", "es": "Spanish"}

Localized = Mapping[str, str]

# Letters that NFKD does not decompose, spelled out as a dictionary orders them; in Spanish "ñ"
# is a letter of its own, after "n" ("{" sorts after "z").
_SPELLED = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"}
_SPANISH = {"ñ": "n{"}


def lang_list() -> str:
    """'en (English), fr (French), es (Spanish)': how messages name the languages expected."""
    return ", ".join(f"{lang} ({LANG_NAMES[lang]})" for lang in LANGS)


def collation_key(text: str, lang: str) -> tuple[str, str, str]:
    """A key that sorts names as a reader of `lang` expects, the same on every machine (a list's
    order is part of a questionnaire's fingerprint): letters first, whatever their accents and
    case ("Égypte" between "Danemark" and "Espagne"), hyphens and apostrophes as spaces
    ("Saint-Marin" before "Sainte-Lucie"); then accents, then case, to break ties."""
    folded = text.casefold()
    if lang == "es":
        folded = "".join(_SPANISH.get(c, c) for c in folded)
    folded = "".join(_SPELLED.get(c, c) for c in folded)
    decomposed = unicodedata.normalize("NFKD", folded)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    primary = " ".join("".join(c if c.isalnum() or c == "{" else " " for c in base).split())
    return primary, decomposed, text
