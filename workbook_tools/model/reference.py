"""Choice lists and reference lists: every value a categorical answer may take.

Codes are what the data holds; labels, one per language, are what the dropdowns show. The lists
come from `schemas/` (choices, ISCMs, IGOs) and from ISO 3166 through pycountry (States).
"""

from __future__ import annotations

import csv
import gettext
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pycountry

from workbook_tools.errors import DefinitionError
from workbook_tools.model.languages import LANG_NAMES, LANGS, Localized
from workbook_tools.model.yamlfile import load_yaml


@dataclass(frozen=True)
class Choice:
    code: str
    labels: Localized


@dataclass(frozen=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.choices)

    def label(self, code: str, lang: str) -> str:
        for choice in self.choices:
            if choice.code == code:
                return choice.labels[lang]
        raise KeyError(f"{code!r} is not a code of the list {self.name!r}")

    def labels(self, lang: str) -> list[str]:
        return [c.labels[lang] for c in self.choices]


@dataclass(frozen=True)
class Iscm:
    """An ISCM of the reference list; the short name is its sheet name in the master workbook."""

    code: str
    short_name: str
    full_name: str
    type: str
    region: str


@dataclass(frozen=True, eq=False)  # identity equality: one object per loaded folder
class ReferenceData:
    lists: Mapping[str, ChoiceList]
    iscms: tuple[Iscm, ...]

    def __getitem__(self, name: str) -> ChoiceList:
        return self.lists[name]

    def __contains__(self, name: object) -> bool:
        return name in self.lists

    def __iter__(self) -> Iterator[str]:
        return iter(self.lists)


LABEL_MAX = 250  # a dropdown answer the Check panel's formulas can look up (form/checks.py)
# Sheet names in Excel: at most 31 characters, none of these, not blank, no leading quote.
SHEET_NAME_FORBIDDEN = set(":\\/?*[]")
SHEET_NAME_MAX = 31


def sheet_name_problem(name: str) -> str | None:
    if not name.strip():
        return "a sheet name cannot be blank"
    if len(name) > SHEET_NAME_MAX:
        return f"{name!r} is {len(name)} characters long; Excel allows {SHEET_NAME_MAX}"
    bad = sorted(SHEET_NAME_FORBIDDEN & set(name))
    if bad:
        return f"{name!r} contains {' '.join(bad)}, which Excel does not allow in a sheet name"
    if name.startswith("'") or name.endswith("'"):
        return f"{name!r} starts or ends with an apostrophe, which Excel does not allow"
    return None


def _read_choices(path: Path, problems: list[str]) -> dict[str, ChoiceList]:
    raw = load_yaml(path, problems)
    lists: dict[str, ChoiceList] = {}
    if not isinstance(raw, dict):
        problems.append(f"{path.name}: expected a mapping of list names to choices")
        return lists
    for name, entries in raw.items():
        where = f"{path.name}: list {name!r}"
        if not isinstance(entries, list) or not entries:
            problems.append(f"{where}: expected a non-empty list of [code, en, fr, es] entries")
            continue
        choices = []
        for index, entry in enumerate(entries, start=1):
            if (
                not isinstance(entry, list)
                or len(entry) != 1 + len(LANGS)
                or not all(isinstance(part, str) and part.strip() for part in entry)
            ):
                problems.append(
                    f"{where}, entry {index}: expected [code, English, French, Spanish], "
                    f"all non-empty text; got {entry!r}"
                )
                continue
            choices.append(Choice(entry[0], dict(zip(LANGS, entry[1:], strict=True))))
        lists[str(name)] = ChoiceList(str(name), tuple(choices))
    return lists


def _read_csv(path: Path, columns: tuple[str, ...], problems: list[str]) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                problems.append(f"{path.name}: missing column(s) {', '.join(missing)}")
                return []
            rows = []
            for line, row in enumerate(reader, start=2):
                if not all((row.get(c) or "").strip() for c in columns):
                    problems.append(f"{path.name}, line {line}: every column must be filled in")
                    continue
                rows.append({c: (row[c] or "").strip() for c in columns})
            return rows
    except OSError as exc:
        problems.append(f"{path.name}: cannot be read ({exc.strerror})")
        return []


def _states() -> ChoiceList:
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in LANGS
        if lang != "en"
    }
    choices = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        # Common names ("Bolivia") read better in a dropdown than official ones
        # ("Bolivia, Plurinational State of"); pycountry translates both.
        english = getattr(country, "common_name", None) or country.name
        labels = {"en": english}
        labels.update({lang: t.gettext(english) for lang, t in translations.items()})
        choices.append(Choice(country.alpha_3, labels))
    return ChoiceList("states", tuple(choices))


def _check_list(choice_list: ChoiceList, source: str, problems: list[str]) -> None:
    seen_codes: set[str] = set()
    for choice in choice_list.choices:
        if choice.code in seen_codes:
            problems.append(f"{source}: list {choice_list.name!r} has the code "
                            f"{choice.code!r} twice")
        seen_codes.add(choice.code)
    for lang in LANGS:
        seen: dict[str, str] = {}
        for choice in choice_list.choices:
            if len(choice.labels[lang]) > LABEL_MAX:
                problems.append(
                    f"{source}: list {choice_list.name!r}, choice {choice.code!r}: the "
                    f"{LANG_NAMES[lang]} label is {len(choice.labels[lang])} characters long; "
                    f"at most {LABEL_MAX} (a workbook's formulas look answers up in the list, "
                    "and Excel looks up at most 255 characters)")
            folded = choice.labels[lang].strip().casefold()
            if folded in seen:
                problems.append(
                    f"{source}: list {choice_list.name!r} has the {LANG_NAMES[lang]} label "
                    f"{choice.labels[lang]!r} for both {seen[folded]!r} and {choice.code!r}; "
                    "a dropdown answer must name one choice"
                )
            seen[folded] = choice.code


def load_reference(folder: Path) -> ReferenceData:
    """Load every choice and reference list, checking each; raise DefinitionError on problems."""
    problems: list[str] = []
    lists = _read_choices(folder / "choices.yaml", problems)

    iscm_rows = _read_csv(
        folder / "iscms.csv", ("code", "short_name", "full_name", "type", "region"), problems
    )
    iscms = tuple(Iscm(**row) for row in iscm_rows)
    for iscm in iscms:
        problem = sheet_name_problem(iscm.short_name)
        if problem:
            problems.append(f"iscms.csv, ISCM {iscm.code!r}: its short name is the sheet name "
                            f"in the master workbook, and {problem}")
    lists["iscms"] = ChoiceList(
        "iscms", tuple(Choice(i.code, dict.fromkeys(LANGS, i.short_name)) for i in iscms)
    )
    igo_rows = _read_csv(folder / "igos.csv", ("code", *LANGS), problems)
    lists["igos"] = ChoiceList(
        "igos", tuple(Choice(r["code"], {lang: r[lang] for lang in LANGS}) for r in igo_rows)
    )
    lists["states"] = _states()
    for choice_list in lists.values():
        _check_list(choice_list, "schemas", problems)
    if problems:
        raise DefinitionError(problems)
    return ReferenceData(lists, iscms)
