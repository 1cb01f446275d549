"""One file of the export in each format: CSV, Parquet, Stata (.dta) and SPSS (.sav).

Every format says why a value is missing, in its own way (see dictionary.MISSING): CSV and the
text variables of Stata and SPSS hold the codes .a, .n, .v; Stata's numbers hold its extended
missing values .a, .n, .v; SPSS's numbers hold user-missing codes (-1, -2, -3); Parquet holds
null, and a column <question>__why says why. The same rows give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbook_tools.files import csv_bytes
from workbook_tools.outputs.export.dictionary import MISSING, DataFile, Missing, Variable
from workbook_tools.outputs.export.rows import Row, Value

FORMATS = ("csv", "parquet", "stata", "spss")
EXTENSIONS = {"csv": "csv", "parquet": "parquet", "stata": "dta", "spss": "sav"}
# The library each format needs, and the extra of workbook-tools that installs it.
LIBRARIES = {"parquet": ("pyarrow", "parquet"), "stata": ("pyreadstat", ""),
             "spss": ("pyreadstat", "")}
STATA_LABEL_BYTES = 80  # the most Stata keeps of a variable's label
SPSS_LABEL_BYTES = 256
SPSS_VALUE_LABEL_BYTES = 120
SPSS_EPOCH = dt.date(1582, 10, 14)  # SPSS counts dates in seconds from here
FIXED_TIME = dt.datetime(2000, 1, 1)  # what the Stata and SPSS headers say they were written at


def _text(value: Value) -> str:
    if isinstance(value, Missing):
        return value.token
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def csv_file(data: DataFile, rows: Sequence[Row]) -> bytes:
    """UTF-8 without a byte-order mark (what R, Stata and pandas expect); a text that a
    spreadsheet would take for a formula gets an apostrophe in front."""
    columns = [v.name for v in data.variables]
    text = {v.name for v in data.variables if v.storage in ("text", "code")}
    return csv_bytes(columns, ({name: _text(row[name]) for name in columns} for row in rows),
                     encoding="utf-8", guarded=text)


def truncated(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, cut at a word with an ellipsis when it is too long."""
    if len(text.encode()) <= limit:
        return text
    cut = text.encode()[:limit - len("…".encode())].decode(errors="ignore")
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


# --- Parquet -------------------------------------------------------------------------------


def parquet_file(data: DataFile, rows: Sequence[Row], path: Path, lang: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"text": pa.string(), "code": pa.string(), "number": pa.int64(),
             "date": pa.date32(), "tick": pa.int8()}
    columns: list[Any] = []
    fields: list[Any] = []
    written_why: set[str] = set()
    for index, variable in enumerate(data.variables):
        values = [row[variable.name] for row in rows]
        fields.append(pa.field(variable.name, types[variable.storage],
                               metadata={"label": variable.label[lang]}))
        columns.append(pa.array([None if isinstance(v, Missing) else v for v in values],
                                types[variable.storage]))
        why = variable.why
        following = data.variables[index + 1].why if index + 1 < len(data.variables) else None
        if why and why != following and why not in written_why:
            # after the last variable of its question: the options of a multiple choice share it
            written_why.add(why)
            fields.append(pa.field(why, pa.string()))
            columns.append(pa.array([v.reason if isinstance(v, Missing) else None
                                     for v in values], pa.string()))
    table = pa.Table.from_arrays(columns, schema=pa.schema(fields))
    pq.write_table(table, path, compression="zstd")


# --- Stata ---------------------------------------------------------------------------------


def _missing_labels(variable: Variable, labels: dict[str, str], key: str) -> dict[Any, str]:
    return {getattr(reason, key): labels[reason.reason] for reason in variable.reasons}


def stata_file(data: DataFile, rows: Sequence[Row], path: Path, lang: str,
               labels: dict[str, str], title: str) -> None:
    """Stata 14 and later (format 118): numbers and choices with value labels, and extended
    missing values .a, .n, .v labelled with their reason."""
    import pandas as pd
    import pyreadstat

    frame: dict[str, Any] = {}
    value_labels: dict[str, dict[Any, str]] = {}
    tags: dict[str, list[str]] = {}
    for variable in data.variables:
        values = [row[variable.name] for row in rows]
        if variable.storage == "text":
            frame[variable.short] = pd.Series([_text(v) for v in values], dtype=object)
            continue
        numbers = variable.codes
        frame[variable.short] = pd.Series([_stata_value(v, numbers) for v in values],
                                          dtype=object)
        tags[variable.short] = [reason.tag for reason in MISSING]
        value_labels[variable.short] = {**_choice_labels(variable, lang, labels),
                                       **_missing_labels(variable, labels, "tag")}
    pyreadstat.write_dta(
        pd.DataFrame(frame, columns=[v.short for v in data.variables]), str(path),
        file_label=truncated(title, STATA_LABEL_BYTES),
        column_labels={v.short: truncated(v.label[lang], STATA_LABEL_BYTES)
                       for v in data.variables},
        version=14, variable_value_labels={k: v for k, v in value_labels.items() if v},
        missing_user_values=tags)
    path.write_bytes(fixed_stata_timestamp(path.read_bytes()))


def _stata_value(value: Value, numbers: dict[str, int]) -> Any:
    """A number, a choice's number or a date; a missing value as its tag (a, n, v)."""
    if isinstance(value, Missing):
        return value.tag
    return numbers[str(value)] if numbers else value


def _choice_labels(variable: Variable, lang: str, labels: dict[str, str]) -> dict[Any, str]:
    if variable.storage == "tick":
        return {1: labels["ticked"], 0: labels["not_ticked"]}
    if variable.choices is None:
        return {}
    numbers = variable.codes
    return {numbers[c.code]: c.labels[lang] for c in variable.choices.choices}


def fixed_stata_timestamp(data: bytes) -> bytes:
    """A .dta header holds the time it was written: set it to a fixed one, so that the same
    rows give the same file."""
    marker = b"<timestamp>"
    start = data.find(marker, 0, 512)
    if start < 0:
        return data
    length = data[start + len(marker)]
    stamp = FIXED_TIME.strftime("%d %b %Y %H:%M").encode()
    if length != len(stamp):
        return data
    at = start + len(marker) + 1
    return data[:at] + stamp + data[at + length:]


# --- SPSS ----------------------------------------------------------------------------------


def spss_file(data: DataFile, rows: Sequence[Row], path: Path, lang: str,
              labels: dict[str, str], title: str) -> None:
    """SPSS (.sav): numbers and choices with value labels; user-missing values declared per
    variable and labelled with their reason."""
    import pandas as pd
    import pyreadstat

    frame: dict[str, Any] = {}
    value_labels: dict[str, dict[Any, str]] = {}
    missing: dict[str, list[Any]] = {}
    measures: dict[str, str] = {}
    formats: dict[str, str] = {}
    for variable in data.variables:
        values = [row[variable.name] for row in rows]
        if variable.storage == "text":
            frame[variable.short] = pd.Series([_text(v) for v in values], dtype=object)
            missing[variable.short] = [reason.token for reason in MISSING]
            value_labels[variable.short] = _missing_labels(variable, labels, "token")
            measures[variable.short] = "nominal"
            continue
        codes = dict(zip(MISSING, variable.spss_codes, strict=True))
        numbers = variable.codes
        frame[variable.short] = pd.Series([_spss_value(v, numbers, codes) for v in values],
                                          dtype="float64")
        missing[variable.short] = list(variable.spss_codes)
        value_labels[variable.short] = {
            **{float(k): truncated(v, SPSS_VALUE_LABEL_BYTES)
               for k, v in _choice_labels(variable, lang, labels).items()},
            **{codes[reason]: labels[reason.reason] for reason in variable.reasons}}
        measures[variable.short] = "nominal" if variable.storage in ("code", "tick") else "scale"
        formats[variable.short] = "SDATE10" if variable.storage == "date" else "F8.0"
    pyreadstat.write_sav(
        pd.DataFrame(frame, columns=[v.short for v in data.variables]), str(path),
        file_label=truncated(title, 64),
        column_labels={v.short: truncated(v.label[lang], SPSS_LABEL_BYTES)
                       for v in data.variables},
        variable_value_labels={k: v for k, v in value_labels.items() if v},
        missing_ranges=missing, variable_measure=measures, variable_format=formats)
    path.write_bytes(fixed_spss_timestamp(path.read_bytes()))


def _spss_value(value: Value, numbers: dict[str, int], codes: dict[Missing, float]) -> float:
    """A number, a choice's number, a date in seconds since 1582-10-14; a missing value as its
    user-missing code."""
    if isinstance(value, Missing):
        return codes[value]
    if isinstance(value, dt.date):
        return float((value - SPSS_EPOCH).days * 86_400)
    return float(numbers[str(value)] if numbers else int(value))


SPSS_STAMP_AT = 92  # after "$FL2", the product name and six numbers of the header


def fixed_spss_timestamp(data: bytes) -> bytes:
    """A .sav header holds the date and time it was written (dd mmm yy, hh:mm:ss): set them to
    fixed ones, so that the same rows give the same file."""
    if not data.startswith((b"$FL2", b"$FL3")):
        return data
    stamp = FIXED_TIME.strftime("%d %b %y%H:%M:%S").encode()
    return data[:SPSS_STAMP_AT] + stamp + data[SPSS_STAMP_AT + len(stamp):]
