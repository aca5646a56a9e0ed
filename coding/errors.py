"""Errors a researcher can act on.

Every error qcode raises for a user's mistake is a `QcodeError`: it says what happened, where (file, line, row,
code id) and what to do. The CLI prints `str(error)` on one line per problem and exits non-zero; the app shows the
same text. Anything that is not a `QcodeError` is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    message: str
    path: str | None = None
    line: int | None = None
    row: int | None = None
    code: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
            elif self.row is not None:
                where += f", row {self.row}"
        if self.code:
            where = f"{where} (code {self.code})" if where else f"code {self.code}"
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class QcodeError(Exception):
    """A user-facing failure carrying one or more located problems."""

    def __init__(self, problems: Problem | str | list[Problem]):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ReaderError(QcodeError):
    """A transcript file could not be read into speaker turns."""


class MetadataError(QcodeError):
    """The document attributes CSV is unusable."""


class CodebookError(QcodeError):
    """A codebook file or edit is invalid."""


class ImportProblem(QcodeError):
    """Rows of an import that could not be applied."""


class ProjectError(QcodeError):
    """The project database is missing, locked, or from an incompatible version."""


class NotFound(QcodeError):
    """A document, turn, code or excerpt named by the user does not exist."""
