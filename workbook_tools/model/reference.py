"""Choice lists and reference lists: every value a categorical answer may take, and the names
and grammar that running text needs to name a State, an ISCM or an IGO.

Codes are what the data holds; labels, one per language, are what the dropdowns show. The choice
lists come from `schemas/choices.yaml`; the ISCMs and IGOs from `schemas/iscms.yaml` and
`schemas/igos.yaml` (names in three languages with their grammar); the States from UN terminology
as the package hdx-python-country ships it (the OCHA Countries & Territories taxonomy: UNTERM
short names, M49), with their grammar in `schemas/states.yaml`.

A questionnaire that has gone out is frozen: `schemas/frozen-*.yaml` keep the lists exactly as a
version printed them (its dropdowns, its rows and its fingerprint depend on them), so that its
returns read whatever the current lists became.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from workbook_tools.errors import DefinitionError
from workbook_tools.model.languages import LANG_NAMES, LANGS, Localized, collation_key
from workbook_tools.model.yamlfile import load_yaml

NAME_LISTS = ("states", "iscms", "igos")  # lists of names: their grammar is in schemas/

# What the drafts' sentences need to name something in each language, and the values allowed.
ARTICLES = {"en": ("the", "none"), "fr": ("le", "la", "l", "les", "none"),
            "es": ("el", "la", "los", "las", "none")}
NEEDED = {"en": (), "fr": ("article", "gender"), "es": ("gender",)}
GENDERS = ("m", "f")
NUMBERS = ("singular", "plural")

# The UN taxonomy the package hdx-python-country ships, and its columns we read.
TAXONOMY_PACKAGE = "hdx.location"
TAXONOMY_FILE = "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
TAXONOMY_CODE, TAXONOMY_MEMBER = "ISO 3166-1 Alpha 3-Codes", "Appears in DGACM list"
TAXONOMY_NAMES = {"en": "English Short", "fr": "French Short", "es": "Spanish Short"}


@dataclass(frozen=True)
class Choice:
    code: str
    labels: Localized


@dataclass(frozen=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]
    # The order of the dropdowns, by language, when it is not the list's: names sorted in each
    # language's alphabetical order. Multiple-choice rows follow the list's own order.
    orders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def codes(self) -> tuple[str, ...]:  # asked for every answer displayed: computed once
        return tuple(c.code for c in self.choices)

    @cached_property
    def _by_code(self) -> dict[str, Choice]:
        return {choice.code: choice for choice in self.choices}

    def label(self, code: str, lang: str) -> str:
        choice = self._by_code.get(code)
        if choice is None:
            raise KeyError(f"{code!r} is not a code of the list {self.name!r}")
        return choice.labels[lang]

    def in_order(self, lang: str) -> list[Choice]:
        order = self.orders.get(lang)
        if not order:
            return list(self.choices)
        by_code = {c.code: c for c in self.choices}
        return [by_code[code] for code in order]

    def labels(self, lang: str) -> list[str]:
        """The labels as a dropdown shows them in that language."""
        return [c.labels[lang] for c in self.in_order(lang)]


@dataclass(frozen=True)
class Grammar:
    """What a sentence needs to say a name: its article, gender and number; for French, whether
    "de" elides before a name without article (d'Israël)."""

    article: str = "none"
    gender: str = ""
    number: str = "singular"
    elision: bool = False


@dataclass(frozen=True)
class Name:
    """A State, ISCM or IGO in one language."""

    short: str  # in running text
    full: str
    label: str  # in dropdowns
    grammar: Grammar
    full_grammar: Grammar
    acronym: bool = False  # the short name is spelled out at first use: "full (short)"
    # the short name is a shortening of no official standing in this language (no acronym the
    # language has adopted): the full name alone at first use, the short name after it
    full_first: bool = False

    @property
    def introduced_in_full(self) -> bool:
        """Whether a draft's first mention says the full name rather than the short one."""
        return (self.acronym or self.full_first) and self.full != self.short


@dataclass(frozen=True)
class Iscm:
    """An ISCM of the reference list; `short_name` is its sheet name in the master workbook."""

    code: str
    short_name: str
    full_name: str  # in English
    type: str
    region: str
    established: int | None = None  # the year it was established, where the list is certain


@dataclass(frozen=True, eq=False)  # identity equality: one object per loaded folder
class ReferenceData:
    lists: Mapping[str, ChoiceList]
    iscms: tuple[Iscm, ...]
    names: Mapping[str, Mapping[str, Mapping[str, Name]]] = field(default_factory=dict)
    # list -> code -> language -> name; the current names of States, ISCMs and IGOs
    printed: Mapping[tuple[str, int], ReferenceData] = field(default_factory=dict)
    # (questionnaire, version) -> the lists as that version printed them

    def __getitem__(self, name: str) -> ChoiceList:
        return self.lists[name]

    def __contains__(self, name: object) -> bool:
        return name in self.lists

    def __iter__(self) -> Iterator[str]:
        return iter(self.lists)

    def iscm(self, code: str) -> Iscm | None:
        return next((iscm for iscm in self.iscms if iscm.code == code), None)

    def established(self, code: str) -> int | None:
        """The year an ISCM was established, where schemas/iscms.yaml knows it."""
        found = self.iscm(code)
        return found.established if found else None

    def for_questionnaire(self, questionnaire: str, version: int) -> ReferenceData:
        """The lists a questionnaire version prints: frozen ones once it has gone out."""
        return self.printed.get((questionnaire, version), self)

    def name(self, list_name: str, code: str, lang: str) -> Name | None:
        return self.names.get(list_name, {}).get(code, {}).get(lang)

    def any_label(self, list_name: str, code: str, lang: str) -> str:
        """A code's label in the current list, else in a list a questionnaire version went out
        with (a territory ISO listed then), else the code itself."""
        for reference in (self, *self.printed.values()):
            if list_name in reference and code in reference[list_name].codes:
                return reference[list_name].label(code, lang)
        return code


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


def _read_lists(raw: Any, where: str, problems: list[str]) -> dict[str, ChoiceList]:
    lists: dict[str, ChoiceList] = {}
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a mapping of list names to choices")
        return lists
    for name, entries in raw.items():
        list_where = f"{where}: list {name!r}"
        if not isinstance(entries, list) or not entries:
            problems.append(f"{list_where}: expected a non-empty list of [code, en, fr, es] "
                            "entries")
            continue
        choices = []
        for index, entry in enumerate(entries, start=1):
            if (
                not isinstance(entry, list)
                or len(entry) != 1 + len(LANGS)
                or not all(isinstance(part, str) and part.strip() for part in entry)
            ):
                problems.append(
                    f"{list_where}, entry {index}: expected [code, English, French, Spanish], "
                    f"all non-empty text; got {entry!r}"
                )
                continue
            choices.append(Choice(entry[0], dict(zip(LANGS, entry[1:], strict=True))))
        lists[str(name)] = ChoiceList(str(name), tuple(choices))
    return lists


# --- names and their grammar ---------------------------------------------------------------


def _grammar(raw: Mapping[str, Any], lang: str, prefix: str, where: str, problems: list[str],
             fallback: Grammar | None = None) -> Grammar:
    def get(key: str) -> Any:
        return raw.get(prefix + key)

    base = fallback or Grammar()
    article = get("article") if get("article") is not None else (
        base.article if fallback else None)
    gender = get("gender") if get("gender") is not None else (base.gender if fallback else None)
    for key in NEEDED[lang]:
        if {"article": article, "gender": gender}[key] is None:
            problems.append(f"{where}: no {prefix}{key} in {LANG_NAMES[lang]}; the drafts' "
                            f"{LANG_NAMES[lang]} sentences need it")
    article = "none" if article is None else str(article)
    if article not in ARTICLES[lang]:
        problems.append(f"{where}: {prefix}article {article!r} is not one of "
                        + ", ".join(ARTICLES[lang]))
    gender = "" if gender is None else str(gender)
    if gender and gender not in GENDERS:
        problems.append(f"{where}: {prefix}gender {gender!r} is not m or f")
    number = str(get("number") or (base.number if fallback else "singular"))
    if number not in NUMBERS:
        problems.append(f"{where}: {prefix}number {number!r} is not singular or plural")
    elision = get("elision")
    elision = base.elision if elision is None and fallback else bool(elision)
    return Grammar(article, gender, number, elision)


def _name(raw: Any, lang: str, where: str, problems: list[str], default: str = "") -> Name | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: no {LANG_NAMES[lang]} names ({lang}: {{short: ..., "
                        "full: ...}})")
        return None
    short = str(raw.get("short") or default).strip()
    full = str(raw.get("full") or short).strip()
    if not short:
        problems.append(f"{where}: no {LANG_NAMES[lang]} short name")
        return None
    grammar = _grammar(raw, lang, "", where, problems)
    full_grammar = _grammar(raw, lang, "full_", where, problems, fallback=grammar)
    label = str(raw.get("label") or short).strip()
    if raw.get("acronym") and raw.get("full_first"):
        problems.append(f"{where}: {LANG_NAMES[lang]} names: acronym and full_first exclude "
                        "each other (an acronym is spelled out with the full name)")
    return Name(short, full, label, grammar, full_grammar, bool(raw.get("acronym")),
                bool(raw.get("full_first")))


def _names_file(path: Path, problems: list[str]) -> dict[str, dict[str, Any]]:
    raw = load_yaml(path, problems)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f"{path.name}: expected a mapping of codes to names")
        return {}
    return {str(code): entry for code, entry in raw.items() if isinstance(entry, dict)}


def _iscms(folder: Path, problems: list[str]
           ) -> tuple[tuple[Iscm, ...], dict[str, dict[str, Name]]]:
    iscms, names = [], {}
    for code, entry in _names_file(folder / "iscms.yaml", problems).items():
        where = f"iscms.yaml, ISCM {code!r}"
        found = {lang: _name(entry.get(lang), lang, where, problems) for lang in LANGS}
        if any(name is None for name in found.values()):
            continue
        names[code] = {lang: name for lang, name in found.items() if name is not None}
        sheet = str(entry.get("sheet") or names[code]["en"].label)
        problem = sheet_name_problem(sheet)
        if problem:
            problems.append(f"{where}: its sheet name is the sheet name in the master "
                            f"workbook, and {problem}")
        missing = [key for key in ("type", "region") if not entry.get(key)]
        if missing:
            problems.append(f"{where}: give its {' and '.join(missing)}")
        established = entry.get("established")
        if established is not None and (isinstance(established, bool) or not isinstance(
                established, int) or not 1900 <= established <= 2100):
            problems.append(f"{where}: established must be a year in four digits, or left out "
                            "where it is not certain")
            established = None
        iscms.append(Iscm(code, sheet, names[code]["en"].full, str(entry.get("type", "")),
                          str(entry.get("region", "")), established))
    return tuple(iscms), names


def _igos(folder: Path, problems: list[str]) -> dict[str, dict[str, Name]]:
    names = {}
    for code, entry in _names_file(folder / "igos.yaml", problems).items():
        where = f"igos.yaml, IGO {code!r}"
        found = {lang: _name(entry.get(lang), lang, where, problems) for lang in LANGS}
        if all(name is not None for name in found.values()):
            names[code] = {lang: name for lang, name in found.items() if name is not None}
    return names


def _taxonomy(problems: list[str]) -> list[dict[str, str]]:
    """The UN Countries & Territories taxonomy as hdx-python-country ships it: read from the
    installed package (importing hdx.location.country would try the network first)."""
    from importlib import resources

    try:
        text = resources.files(TAXONOMY_PACKAGE).joinpath(TAXONOMY_FILE).read_text(
            encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        problems.append(f"the UN names of States come from the package hdx-python-country, "
                        f"which is not installed or lacks its taxonomy ({exc}); pip install "
                        "hdx-python-country")
        return []
    rows = list(csv.DictReader(io.StringIO(text)))
    columns = {TAXONOMY_CODE, TAXONOMY_MEMBER, *TAXONOMY_NAMES.values()}
    if rows and not columns <= set(rows[0]):
        problems.append(f"hdx-python-country's taxonomy lacks the column(s) "
                        f"{', '.join(sorted(columns - set(rows[0])))}; check its version")
        return []
    return rows


def _states(folder: Path, problems: list[str]) -> tuple[ChoiceList, dict[str, dict[str, Name]]]:
    """UN Member States, observer States and the territories states.yaml adds, with their UN
    short names, sorted in each language's alphabetical order."""
    raw = load_yaml(folder / "states.yaml", problems)
    if not isinstance(raw, dict):
        problems.append("states.yaml: expected observers:, territories: and grammar:")
        raw = {}
    grammar = raw.get("grammar") or {}
    territories = raw.get("territories") or {}
    if isinstance(territories, dict):
        grammar = {**grammar, **territories}
    wanted = {str(code) for code in raw.get("observers") or ()} | set(map(str, territories))
    names: dict[str, dict[str, Name]] = {}
    choices = []
    rows = _taxonomy(problems)
    found = set()
    for row in sorted(rows, key=lambda r: r[TAXONOMY_CODE]):
        code = row[TAXONOMY_CODE].strip()
        if row[TAXONOMY_MEMBER].strip() != "Y" and code not in wanted:
            continue
        found.add(code)
        labels = {lang: row[column].strip() for lang, column in TAXONOMY_NAMES.items()}
        where = f"states.yaml, State {code} ({labels['en']})"
        entry = grammar.get(code)
        if not isinstance(entry, dict):
            problems.append(f"{where}: no grammar; add {code}: {{fr: {{article: ..., gender: "
                            "...}, es: {gender: ...}}}")
            continue
        language_names = {}
        for lang in LANGS:
            text_raw = dict(entry.get(lang) or {})
            # running text takes the apostrophe the drafts' sentences use ("l'Égypte"): UNTERM
            # writes "Côte d’Ivoire" in Spanish only; dropdowns keep the UN label
            text = str(text_raw.get("text") or labels[lang]).replace("\u2019", "'")
            name = _name({**text_raw, "short": text, "full": text, "label": labels[lang]},
                         lang, where, problems)
            if name is not None:
                language_names[lang] = name
        names[code] = language_names
        choices.append(Choice(code, labels))
    for code in sorted(wanted - found):
        if rows:
            problems.append(f"states.yaml: {code} is not in the UN taxonomy of "
                            "hdx-python-country; use its ISO 3166 alpha-3 code")
    orders = {lang: tuple(c.code for c in sorted(
        choices, key=lambda c: collation_key(c.labels[lang], lang))) for lang in LANGS}
    return ChoiceList("states", tuple(choices), orders), names


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


def _name_list(list_name: str, names: Mapping[str, Mapping[str, Name]]) -> ChoiceList:
    return ChoiceList(list_name, tuple(
        Choice(code, {lang: by_lang[lang].label for lang in LANGS})
        for code, by_lang in names.items()))


def _frozen(folder: Path, current: Mapping[str, ChoiceList], iscms: tuple[Iscm, ...],
            names: Mapping[str, Mapping[str, Mapping[str, Name]]], problems: list[str]
            ) -> dict[tuple[str, int], ReferenceData]:
    printed: dict[tuple[str, int], ReferenceData] = {}
    for path in sorted(folder.glob("frozen-*.yaml")):
        raw = load_yaml(path, problems)
        if not isinstance(raw, dict) or not isinstance(raw.get("questionnaires"), dict):
            problems.append(f"{path.name}: expected questionnaires: {{ID: VERSION}} and lists:")
            continue
        lists = _read_lists(raw.get("lists"), path.name, problems)
        frozen = ReferenceData({**current, **lists}, iscms, names)
        for qid, version in raw["questionnaires"].items():
            if not isinstance(version, int):
                problems.append(f"{path.name}: the version of {qid!r} must be a whole number")
                continue
            printed[(str(qid), version)] = frozen
    return printed


def load_reference(folder: Path) -> ReferenceData:
    """Load every choice and reference list, checking each; raise DefinitionError on problems."""
    problems: list[str] = []
    lists = _read_lists(load_yaml(folder / "choices.yaml", problems), "choices.yaml", problems)
    iscms, iscm_names = _iscms(folder, problems)
    igo_names = _igos(folder, problems)
    states, state_names = _states(folder, problems)
    names = {"states": state_names, "iscms": iscm_names, "igos": igo_names}
    lists["iscms"] = _name_list("iscms", iscm_names)
    lists["igos"] = _name_list("igos", igo_names)
    lists["states"] = states
    for choice_list in lists.values():
        _check_list(choice_list, "schemas", problems)
    printed = _frozen(folder, lists, iscms, names, problems)
    if problems:
        raise DefinitionError(problems)
    return ReferenceData(lists, iscms, names, printed)
