"""datapackage.json: the CSV files described as a Frictionless Data Package, so that other
tools can check them (`frictionless validate datapackage.json`): a Table Schema per file with
its types, allowed values, required columns, primary key and the foreign keys that tie every
file to its respondents."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from workbook_tools.model.survey import Survey
from workbook_tools.outputs.export.codebook import file_description
from workbook_tools.outputs.export.dictionary import MISSING, DataFile, Dictionary, Variable

_TYPES = {"text": "string", "code": "string", "number": "integer", "date": "date",
          "tick": "integer"}


def _field(variable: Variable, lang: str, labels: Mapping[str, str]) -> dict[str, Any]:
    kind = "year" if variable.type == "year" else _TYPES[variable.storage]
    described: dict[str, Any] = {"name": variable.name, "title": variable.label[lang],
                                 "type": kind}
    if variable.type == "email":
        described["format"] = "email"
    constraints: dict[str, Any] = {}
    if not variable.reasons and not variable.optional:
        constraints["required"] = True
    if variable.storage == "code" and variable.choices is not None:
        constraints["enum"] = list(variable.choices.codes)
        described["categories"] = [{"value": c.code, "label": c.labels[lang]}
                                   for c in variable.choices.choices]
    elif variable.storage == "tick":
        constraints["enum"] = [0, 1]
        described["categories"] = [{"value": 1, "label": labels["ticked"]},
                                   {"value": 0, "label": labels["not_ticked"]}]
    elif variable.enum:
        constraints["enum"] = list(variable.enum)
    if variable.bounds is not None:
        constraints["minimum"], constraints["maximum"] = variable.bounds
    if constraints:
        described["constraints"] = constraints
    return described


def _resource(data: DataFile, csv: bytes, survey: Survey, lang: str,
              labels: Mapping[str, str]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(v, lang, labels) for v in data.variables],
        "missingValues": ["", *(reason.token for reason in MISSING)],
        "primaryKey": list(data.key),
    }
    if data.parent:
        schema["foreignKeys"] = [{"fields": ["respondent_id"], "reference": {
            "resource": data.parent, "fields": ["respondent_id"]}}]
    return {
        "name": data.name, "path": f"csv/{data.name}.csv", "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "description": file_description(data, survey, lang),
        "bytes": len(csv), "hash": "sha256:" + hashlib.sha256(csv).hexdigest(),
        "schema": schema,
    }


def package_name(survey: Survey) -> str:
    """A name Data Package allows (lower case, digits, - _ .): the survey's title and year."""
    title = re.sub(r"[^a-z0-9]+", "-", survey.settings.text("survey_title", "en").lower())
    return f"{title.strip('-')}-{survey.settings.year}"


def datapackage_json(dictionary: Dictionary, csv_files: Mapping[str, bytes], survey: Survey,
                     lang: str, labels: Mapping[str, str]) -> bytes:
    descriptor = {
        "profile": "tabular-data-package",
        "name": package_name(survey),
        "title": f"{survey.settings.text('survey_title', lang)}, {survey.settings.year}",
        "description": survey.codebook.text("files.formats", lang),
        "resources": [_resource(data, csv_files[data.name], survey, lang, labels)
                      for data in dictionary.files],
    }
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode()
