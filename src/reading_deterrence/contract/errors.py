"""What the data contract reports: a :class:`Problem` (file, row, column, message) and the
:class:`DataError` that carries them.

Rows are counted as a spreadsheet counts them: the header is row 1, so the first row of data is
row 2. A problem of the whole file (it does not exist) has no row; a problem of a whole row (a
blank line) has no column.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MAX_LISTED", "DataError", "Problem", "UnknownTable", "display_path"]

#: At most this many problems are listed in one error (the count of the rest is given).
MAX_LISTED = 10


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a table: where it is (file, row, column) and what it is."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class DataError(ValueError):
    """A table does not meet its schema. ``problems`` lists each :class:`Problem` found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [str(p) for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"... and {len(self.problems) - MAX_LISTED} more problems")
        noun = "problem" if len(self.problems) == 1 else "problems"
        return (
            f"{len(self.problems)} {noun} in the data (rows numbered as a spreadsheet numbers them):\n  "
            + "\n  ".join(lines)
        )

    def __str__(self) -> str:  # one definition for the subclass below, whose other base is KeyError
        return self._text()


class UnknownTable(DataError, KeyError):
    """The descriptor has no table of that name (also a ``KeyError``, as a missing key is)."""


def display_path(path: str | os.PathLike) -> str:
    """A path as a reader would want to see it: relative to the working directory if inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
