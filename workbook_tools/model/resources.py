"""Where the bundled data lives: inside the installed package, or beside it in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The folder `templates`, `schemas` or `sample`.

    An installed package carries `templates/` and `schemas/` inside itself (setup.cfg maps them
    in); an editable install or a source checkout reads them from the top of the repository.
    """
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    beside = _PACKAGE.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(f"the bundled folder {name!r} is missing from the installation")
