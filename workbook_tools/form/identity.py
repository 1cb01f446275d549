"""Which questionnaire, version, language and respondent a workbook is, and a fingerprint of its
question texts.

The identification is written three times (custom document properties, a defined name, a hidden
sheet) because each program that may re-save a return keeps a different subset.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from functools import lru_cache

from workbook_tools.model.questionnaire import Field, Questionnaire, Table, choice_list_name

IDENTITY_PREFIX = "wt1"
PROPERTY_PREFIX = "wt_"


@dataclass(frozen=True)
class Identity:
    questionnaire: str
    version: int
    lang: str
    fingerprint: str
    respondent_id: str = ""
    respondent_code: str = ""

    def encode(self) -> str:
        parts = [IDENTITY_PREFIX, self.questionnaire, str(self.version), self.lang,
                 self.fingerprint, self.respondent_id, self.respondent_code]
        return "|".join(p.replace("|", "/") for p in parts)

    @classmethod
    def from_defined_name(cls, formula: str) -> Identity | None:
        """From the defined name's value: the identification as an Excel string constant."""
        return cls.decode(formula.strip().strip('"').replace('""', '"'))

    @classmethod
    def decode(cls, text: str) -> Identity | None:
        parts = text.split("|")
        if len(parts) != 7 or parts[0] != IDENTITY_PREFIX or not parts[2].isdigit():
            return None
        return cls(parts[1], int(parts[2]), parts[3], parts[4], parts[5], parts[6])

    def properties(self) -> dict[str, str]:
        """The identification as name/value pairs, for document properties and the hidden sheet."""
        return {PROPERTY_PREFIX + f.name: str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_properties(cls, values: dict[str, str]) -> Identity | None:
        optional = {"respondent_id", "respondent_code"}
        try:
            raw = {
                f.name: values.get(PROPERTY_PREFIX + f.name, "") if f.name in optional
                else values[PROPERTY_PREFIX + f.name]
                for f in fields(cls)
            }
            return cls(**{**raw, "version": int(raw["version"])})  # type: ignore[arg-type]
        except (KeyError, ValueError):
            return None


@lru_cache(maxsize=64)
def fingerprint(questionnaire: Questionnaire, lang: str) -> str:
    """A short hash of every text a respondent reads as a question, in one language, with the
    dropdowns' labels in their order: those of the lists this version prints."""
    reference = questionnaire.reference

    def field_texts(f: Field) -> list[object]:
        list_name = choice_list_name(f)
        choices = reference[list_name].labels(lang) if list_name else []
        return [f.id, f.type, f.label[lang], choices]

    content: list[object] = [questionnaire.id, questionnaire.version, lang]
    for _, item in questionnaire.items():
        if isinstance(item, Table):
            content.append([item.id, item.label[lang], [field_texts(c) for c in item.columns]])
        else:
            content.append(field_texts(item))
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:16]


def identity_sources(workbook: object) -> dict[str, Identity | None]:
    """The identification as each place holds it: document properties, the defined name, the
    hidden sheet. Programs that re-save a return keep different subsets of them."""
    from openpyxl.workbook.workbook import Workbook

    from workbook_tools.form.layout import IDENTITY_NAME, META_SHEET

    assert isinstance(workbook, Workbook)
    properties = {p.name: str(p.value) for p in workbook.custom_doc_props}
    from_name = None
    defined = workbook.defined_names.get(IDENTITY_NAME)
    if defined is not None and defined.attr_text:
        from_name = Identity.from_defined_name(defined.attr_text)
    from_sheet = None
    if META_SHEET in workbook.sheetnames:
        values = {
            str(key): "" if value is None else str(value)
            for key, value in workbook[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2,
                                                              values_only=True)
            if key
        }
        from_sheet = Identity.from_properties(values)
    return {"properties": Identity.from_properties(properties), "defined name": from_name,
            "hidden sheet": from_sheet}


def identity_of_workbook(workbook: object) -> Identity | None:
    """The first identification found, in the order of identity_sources."""
    return next((found for found in identity_sources(workbook).values() if found), None)
