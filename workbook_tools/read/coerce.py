"""From a cell as stored to a typed answer: accept what honest respondents do, say so, and
leave what cannot be read with certainty to be reported.

Choice answers become codes, numbers become ints, dates become dates. A choice that matches no
label is kept as typed, so that the schema reports it as not in the list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from workbook_tools.model.matching import TICK_WORDS, fold, loose_forms
from workbook_tools.model.questionnaire import Field, choice_list_name
from workbook_tools.model.reference import ReferenceData
from workbook_tools.read.sheetxml import RawCell

EXCEL_CELL_MAX = 32_767
MAX_DIGITS = 15  # Excel keeps 15 significant digits; no answer here needs more
REPLACEMENT = "\ufffd"  # what the reader puts for a character no output can encode
# Characters that show nothing: Unicode's format characters (zero-width spaces and joiners, the
# word joiner, the byte-order mark, soft hyphens, tags...) and the fillers some keyboards type.
_INVISIBLE_CLASS = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
                    "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800"
                    "\u3164\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd"
                    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                    "\U000e0001\U000e0020-\U000e007f")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CLASS}]")
_BLANK = re.compile(f"[\\s{_INVISIBLE_CLASS}]*")
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL_WHOLE = re.compile(r"^[+-]?\d+[.,]0+$")
_GROUPED = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_WORDS = re.compile(r"\d+|[^\W\d_]+")  # "15th" is "15" and "th"
EPOCH_1900 = dt.date(1899, 12, 30)
EPOCH_1904 = dt.date(1904, 1, 1)
MONTHS = {
    **{name: n for n, name in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"], start=1)},
    **{name: n for n, name in enumerate(
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
         "octobre", "novembre", "décembre"], start=1)},
    **{name: n for n, name in enumerate(
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
         "octubre", "noviembre", "diciembre"], start=1)},
    "setiembre": 9, "fevrier": 2, "aout": 8, "decembre": 12,
}
FILLER_WORDS = {"de", "del", "the", "of", "le", "er", "st", "nd", "rd", "th"}


def invisible_characters(text: str) -> list[str]:
    """The invisible characters in a text, as U+XXXX, once each."""
    if text.isascii():
        return []
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in _INVISIBLE.findall(text)))


def is_blank(text: str) -> bool:
    """Nothing a reader can see: spaces, or invisible characters only."""
    return _BLANK.fullmatch(text) is not None


@dataclass
class Note:
    code: str
    value: object = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Typed:
    value: object = None  # the typed answer, or the raw text when it cannot be typed
    raw: object = None  # what the respondent typed
    notes: list[Note] = field(default_factory=list)

def cell_value(raw: RawCell | None, date1904: bool) -> tuple[object, list[Note]]:
    """The value a cell shows: text, a number, a boolean, or None; with what was done to it."""
    if raw is None:
        return None, []
    notes: list[Note] = []
    kind, text = raw.kind, raw.text
    if kind == "e":
        return None, [Note("cell-error", text)]
    value: object
    if kind in {"s", "inlineStr", "str"}:
        value = text
    elif kind == "b":
        value = text.strip() in {"1", "true"}
    elif kind == "d":
        value = _iso_date(text)
    else:
        try:
            value = float(text)
        except ValueError:
            value = text
    if raw.formula is not None:
        if value in (None, ""):  # saved without its result (openpyxl, scripts), or empty
            return None, [Note("formula-no-value", "=" + raw.formula[:200])]
        # LibreOffice stores booleans as TRUE()/FALSE() formulas: that is not a respondent's
        if not (kind == "b" and raw.formula.strip().upper() in {"TRUE()", "FALSE()"}):
            notes.append(Note("formula", value, {"found": "=" + raw.formula[:60]}))
    if isinstance(value, str):
        value, text_notes = clean_text(value)
        notes.extend(text_notes)
    return value, notes


def clean_text(text: str) -> tuple[str, list[Note]]:
    notes = []
    if len(text) > EXCEL_CELL_MAX:
        notes.append(Note("cell-too-long", "", {"count": len(text)}))
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
        notes.append(Note("control-characters"))
    stripped = text.translate(BIDI_CONTROLS)
    if stripped != text:
        text = stripped
        notes.append(Note("bidi-controls"))
    if REPLACEMENT in text:
        notes.append(Note("replaced-characters", "", {"count": text.count(REPLACEMENT)}))
    return text, notes


def _iso_date(text: str) -> object:
    try:
        return dt.datetime.fromisoformat(text.strip()).date()
    except ValueError:
        return text


def serial_to_date(serial: float, date1904: bool) -> dt.date | None:
    if not 0 < serial < 2_958_466:  # Excel's last date, 9999-12-31
        return None
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    return epoch + dt.timedelta(days=int(serial))


# --- choices -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceLookup:
    exact: Mapping[str, str]  # label in the workbook's language -> code
    loose: Mapping[str, str]  # folded label in any language, or code -> code


@lru_cache(maxsize=256)
def choice_lookup(reference: ReferenceData, list_name: str, lang: str) -> ChoiceLookup:
    choices = reference[list_name].choices
    exact = {c.labels[lang]: c.code for c in choices}
    return ChoiceLookup(exact, loose_forms(reference[list_name]))


def coerce_choice(value: object, list_name: str, lang: str, reference: ReferenceData,
                  notes: list[Note]) -> object:
    text = _as_text(value)
    lookup = choice_lookup(reference, list_name, lang)
    stripped = text.strip()
    if stripped in lookup.exact:
        if stripped != text:
            notes.append(Note("whitespace-trimmed", text))
        return lookup.exact[stripped]
    code = lookup.loose.get(fold(stripped))
    if code is not None:
        notes.append(Note("choice-normalized", text,
                          {"expected": reference[list_name].label(code, lang)}))
        return code
    return stripped  # not in the list: the schema says so, with the value as typed


def coerce_tick(value: object, lang: str, reference: ReferenceData, notes: list[Note]
                ) -> bool | str:
    """A multiple choice option: ticked, not ticked, or something else (kept as text)."""
    if value is None:
        return False
    if value is True or value is False:
        if value:
            notes.append(Note("tick-normalized", "TRUE",
                              {"expected": reference["yes_no"].label("yes", lang)}))
        return bool(value)
    if isinstance(value, str):
        if is_blank(value):
            return False
        hidden = invisible_characters(value)
        if hidden:
            notes.append(Note("invisible-characters", _visible(value),
                              {"found": ", ".join(hidden)}))
            return False
    code = coerce_choice(value, "yes_no", lang, reference, [])
    text = _as_text(value).strip()
    if code == "yes":
        if text != reference["yes_no"].label("yes", lang):
            notes.append(Note("tick-normalized", _as_text(value),
                              {"expected": reference["yes_no"].label("yes", lang)}))
        return True
    if code == "no" or text == "":
        return False
    if fold(text) in TICK_WORDS:
        notes.append(Note("tick-normalized", _as_text(value),
                          {"expected": reference["yes_no"].label("yes", lang)}))
        return True
    return text


# --- numbers and dates ---------------------------------------------------------------------


def coerce_integer(value: object, kind: str, notes: list[Note]) -> object:
    wrong = "not-a-year" if kind == "year" else "not-a-number"
    if isinstance(value, bool):
        notes.append(Note(wrong, value))
        return None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 10 ** MAX_DIGITS:
            return int(value)
        notes.append(Note(wrong, value))
        return None
    if isinstance(value, dt.date):
        notes.append(Note(wrong, value.isoformat()))
        return None
    text = _as_text(value).strip()
    compact = text.replace("\u00a0", " ").replace("\u202f", " ")
    digits = sum(c.isdigit() for c in compact)
    if digits > MAX_DIGITS:
        notes.append(Note("too-many-digits", _as_text(value), {"count": digits,
                                                                "max": MAX_DIGITS}))
        return None
    number: int | None = None
    if _INTEGER.match(compact):
        number = int(compact)
    elif _DECIMAL_WHOLE.match(compact):
        number = int(re.split(r"[.,]", compact)[0])
    elif kind == "integer" and _GROUPED.match(compact):
        number = int(re.sub(r"\s", "", compact))
    if number is None:
        notes.append(Note(wrong, _as_text(value)))
        return None
    notes.append(Note("number-as-text", _as_text(value), {"expected": number}))
    return number


def coerce_date(value: object, date1904: bool, example: str, notes: list[Note]) -> object:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float):
        day = serial_to_date(value, date1904)
        if day is None:
            notes.append(Note("not-a-date", value, {"example": example}))
        return day
    text = _as_text(value).strip()
    parsed = parse_date_text(text)
    if isinstance(parsed, dt.date):
        notes.append(Note("date-as-text", _as_text(value), {"expected": parsed.isoformat()}))
        return parsed
    if isinstance(parsed, tuple):
        first, second = parsed
        notes.append(Note("ambiguous-date", _as_text(value),
                          {"first": first.isoformat(), "second": second.isoformat()}))
        return None
    notes.append(Note("not-a-date", _as_text(value), {"example": example}))
    return None


def parse_date_text(text: str) -> dt.date | tuple[dt.date, dt.date] | None:
    """A date typed as text: the date, two readings when it is ambiguous, or None."""
    match = _ISO.match(text)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3]))
    match = _DMY.match(text)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day_first = _date(year, second, first)
        month_first = _date(year, first, second)
        if day_first and month_first and day_first != month_first:
            return (day_first, month_first)
        return day_first or month_first
    words = [w for w in _WORDS.findall(text.casefold()) if w not in FILLER_WORDS]
    months = [MONTHS[w] for w in words if w in MONTHS]
    numbers = [int(w) for w in words if w.isdigit()]
    if len(months) == 1 and len(numbers) == 2 and len(words) == 3:
        years = [n for n in numbers if n > 31]
        days = [n for n in numbers if n <= 31]
        if len(years) == 1 and len(days) == 1:
            return _date(years[0], months[0], days[0])
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


# --- one field -----------------------------------------------------------------------------


def coerce(f: Field, raw: RawCell | None, lang: str, reference: ReferenceData,
           date1904: bool, example_date: str) -> Typed:
    """Type the answer to a question or a table cell (not a multiple choice)."""
    value, notes = cell_value(raw, date1904)
    typed = Typed(raw=value, notes=notes)
    if value is None:
        return typed
    if isinstance(value, str) and is_blank(value):
        # spaces or invisible characters only: no answer (a required question is missing)
        typed.raw = None
        if value:
            notes.append(Note("blank-answer", _visible(value)))
        return typed
    list_name = choice_list_name(f)
    if isinstance(value, str) and (list_name or f.type == "email"):
        hidden = invisible_characters(value)
        if hidden:  # a code or an address that looks right and is not
            notes.append(Note("invisible-characters", _visible(value),
                              {"found": ", ".join(hidden)}))
            return typed
    if list_name:
        typed.value = coerce_choice(value, list_name, lang, reference, notes)
    elif f.type in {"integer", "year"}:
        typed.value = coerce_integer(value, f.type, notes)
    elif f.type == "date":
        typed.value = coerce_date(value, date1904, example_date, notes)
    else:
        text = _as_text(value)
        stripped = text.strip()
        if stripped != text and f.type in {"text", "email"}:
            notes.append(Note("whitespace-trimmed", text))
        typed.value = stripped
    return typed


def _visible(text: str) -> str:
    """A text with its invisible characters shown as <U+XXXX>, for a message."""
    if text.isascii():
        return text
    return _INVISIBLE.sub(lambda match: f"<U+{ord(match.group(0)):04X}>", text)
