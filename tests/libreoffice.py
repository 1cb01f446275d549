"""Drive a real LibreOffice, headless, to re-save files as a respondent's LibreOffice would."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_libreoffice() -> str:
    binary = soffice()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing in CI: tools/ensure-libreoffice should install it")
        pytest.skip("LibreOffice is not installed (run tools/ensure-libreoffice as root)")
    return binary


def convert(source: Path, out_dir: Path, target: str) -> Path:
    """Open `source` in LibreOffice and save it as `target` (e.g. 'xlsx', 'pdf') in out_dir."""
    binary = require_libreoffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    filters = {"xlsx": 'xlsx:Calc MS Excel 2007 XML', "pdf": "pdf", "ods": "ods"}
    completed = subprocess.run(
        [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", filters.get(target, target), "--outdir", str(out_dir), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    result = out_dir / f"{source.stem}.{target.split(':')[0]}"
    assert completed.returncode == 0 and result.exists(), completed.stdout + completed.stderr
    return result


def render_sheets(source: Path, out_dir: Path) -> Path:
    """A workbook as LibreOffice prints it, one PDF page per sheet (in sheet order), each page
    as large as its sheet: the cells laid out as LibreOffice lays them out, without the page
    breaks. Much faster than printing every page of a long workbook."""
    option = '{"SinglePageSheets":{"type":"boolean","value":true}}'
    return convert(source, out_dir, f"pdf:calc_pdf_Export:{option}")
