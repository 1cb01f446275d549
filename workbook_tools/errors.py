"""Errors a user can act on. The CLI prints their message and exits with their code."""

from __future__ import annotations

from collections.abc import Sequence


class UserError(Exception):
    """A failure caused by the user's input: printed as it is, never as a traceback."""

    exit_code = 1


class DefinitionError(UserError):
    """A questionnaire definition, reference list or survey file is broken."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        heading = "the questionnaire definitions have a problem" if count == 1 else (
            f"the questionnaire definitions have {count} problems"
        )
        super().__init__(heading + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class RosterError(UserError):
    """The roster of respondents cannot be used."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("the roster has a problem:\n" + "\n".join(f"  - {p}" for p in problems))


class OutputError(UserError):
    """An output cannot be written where the user asked (a folder that cannot be written to,
    a full disk, a file where a folder should be): the user's to fix, not a bug."""

    def __init__(self, shown_path: str, reason: str) -> None:
        self.shown_path = shown_path
        self.reason = reason
        super().__init__(f"cannot write {shown_path}: {reason}")
