"""Reading the YAML files IPD edits: every problem names the file, the line and the column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from workbook_tools.errors import DefinitionError

# The same safe loader, in C when libyaml is there: ten times faster at every start.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, problems: list[str]) -> Any:
    """The document, or None with the problem appended."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SAFE_LOADER)
    except FileNotFoundError:
        problems.append(f"{path}: missing; copy it from the bundled definitions "
                        "(see `workbook-tools questionnaires --help`)")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror})")
    except UnicodeDecodeError:
        problems.append(f"{path.name}: not UTF-8 text; save it as UTF-8")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(
            f"{path.name}{where}: not valid YAML ({reason}); text containing ': ', '{{' or "
            "'#' must be put in double quotes"
        )
    return None


def load_yaml_mapping(path: Path, expected: str) -> dict[str, Any]:
    """A YAML file that must hold a mapping; DefinitionError naming the file otherwise."""
    problems: list[str] = []
    raw = load_yaml(path, problems)
    if problems or not isinstance(raw, dict):
        raise DefinitionError(problems or [f"{path.name}: expected {expected}"])
    return raw
