"""Data for analysts: a codebook, wide and long files, in CSV, Parquet, Stata and SPSS, and a
Frictionless data package, all derived from the questionnaires' definitions.

    dictionary.py  the files and their variables (from the definitions alone)
    rows.py        each return's values, every missing value with its reason
    codebook.py    the codebook (.xlsx and Markdown)
    formats.py     one file in each format
    datapackage.py datapackage.json

The export is written as a whole folder: built beside the target, then put in its place in one
step, so that the folder is the old export or the new one, never a mix.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbook_tools.errors import UserError
from workbook_tools.files import folder_written_whole
from workbook_tools.model.survey import Survey
from workbook_tools.outputs.consolidate import Selection
from workbook_tools.outputs.export.codebook import (
    build_codebook,
    codebook_markdown,
    codebook_xlsx,
)
from workbook_tools.outputs.export.datapackage import datapackage_json
from workbook_tools.outputs.export.dictionary import Dictionary, build_dictionary
from workbook_tools.outputs.export.formats import (
    EXTENSIONS,
    FORMATS,
    LIBRARIES,
    csv_file,
    parquet_file,
    spss_file,
    stata_file,
)
from workbook_tools.outputs.export.rows import export_rows

CODEBOOK_FILES = ("codebook.xlsx", "codebook.md")
DATAPACKAGE = "datapackage.json"
# What an export folder may hold: it is replaced whole, so nothing else may be in it.
EXPORT_NAMES = frozenset({*CODEBOOK_FILES, DATAPACKAGE, *FORMATS})


@dataclass
class ExportSummary:
    folder: Path
    formats: list[str]
    skipped: dict[str, str]  # format -> why it was not written
    dictionary: Dictionary
    rows: dict[str, int]  # rows per file
    files: list[Path] = field(default_factory=list)


def missing_library(fmt: str) -> str | None:
    """Why a format cannot be written here (its library is not installed), or None."""
    if fmt not in LIBRARIES:
        return None
    library, extra = LIBRARIES[fmt]
    if importlib.util.find_spec(library) is not None:
        return None
    install = f"pip install 'workbook-tools[{extra}]'" if extra else f"pip install {library}"
    return f"needs {library}, which is not installed: {install}"


def available_formats(asked: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """The formats to write: all of them unless some were asked for. A format asked for by
    name whose library is missing is an error; one taken by default is skipped, and said."""
    chosen = list(asked) or list(FORMATS)
    skipped = {fmt: why for fmt in chosen if (why := missing_library(fmt))}
    if asked and skipped:
        raise UserError("; ".join(f"--format {fmt} {why}" for fmt, why in skipped.items()))
    return [fmt for fmt in FORMATS if fmt in chosen and fmt not in skipped], skipped


def write_export(out_dir: Path, selection: Selection, survey: Survey, lang: str = "en",
                 formats: Sequence[str] = (), include_personal: bool = False) -> ExportSummary:
    """Write the codebook and the data of the selected returns in the formats asked for."""
    written, skipped = available_formats(formats)
    dictionary = build_dictionary(survey, include_personal)
    rows = export_rows(dictionary, selection.used, survey, lang)
    counts = {name: len(found) for name, found in rows.items()}
    labels = {key: survey.codebook.text(f"missing.{key}", lang) for key in (
        "not_applicable", "not_answered", "not_asked", "ticked", "not_ticked")}
    title = f"{survey.settings.text('survey_title', lang)}, {survey.settings.year}"
    summary = ExportSummary(out_dir, written, skipped, dictionary, counts)
    with folder_written_whole(out_dir, EXPORT_NAMES) as folder:
        codebook = build_codebook(dictionary, survey, lang, counts)
        (folder / "codebook.xlsx").write_bytes(codebook_xlsx(codebook))
        (folder / "codebook.md").write_text(codebook_markdown(codebook), encoding="utf-8")
        summary.files += [out_dir / name for name in CODEBOOK_FILES]
        for fmt in written:
            (folder / fmt).mkdir()
        csv_files = {}
        for data in dictionary.files:
            found = rows[data.name]
            for fmt in written:
                target = folder / fmt / f"{data.name}.{EXTENSIONS[fmt]}"
                file_title = f"{title}: {data.name}"
                if fmt == "csv":
                    csv_files[data.name] = csv_file(data, found)
                    target.write_bytes(csv_files[data.name])
                elif fmt == "parquet":
                    parquet_file(data, found, target, lang)
                elif fmt == "stata":
                    stata_file(data, found, target, lang, labels, file_title)
                else:
                    spss_file(data, found, target, lang, labels, file_title)
                summary.files.append(out_dir / fmt / target.name)
        if "csv" in written:
            (folder / DATAPACKAGE).write_bytes(
                datapackage_json(dictionary, csv_files, survey, lang, labels))
            summary.files.append(out_dir / DATAPACKAGE)
    return summary
