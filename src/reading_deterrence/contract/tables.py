"""Load the module's tables, validated against the descriptor, as pandas DataFrames.

Every table is checked before it is returned, and so is every table it refers to:

1. **the file itself** (:mod:`~reading_deterrence.contract.csvfile`): UTF-8, line endings, quotes,
   blank rows, control characters, a complete last row, the header;
2. **the cells** (:mod:`~reading_deterrence.contract.cells`): types, constraints and keys
   (Frictionless), then finite numbers, no stray white space, list references and the
   cross-field rules the descriptor declares.

Any failure raises :class:`~reading_deterrence.contract.errors.DataError`, whose message names
the file, the row and the column of each problem. Nothing is trimmed, guessed or dropped: a cell
either loads exactly as written or the table does not load.

Each file is read once per call and hashed; a table is checked again whenever the bytes of its
file, of a table it refers to, or of the descriptor differ from those last checked, so a cached
result can never stand for a file that has changed (a same-size edit in the same second
included).
"""

from __future__ import annotations

import hashlib
import os

import pandas as pd

from .cells import check_cells, check_rules
from .csvfile import Table, read_table
from .descriptor import dependencies, package_path, read_descriptor, resource
from .errors import DataError, Problem

__all__ = ["load", "validate"]

#: (descriptor path, table, hash of the descriptor and of the table and its targets) -> the table
_checked: dict[tuple[str, str, str], Table] = {}


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _read_checked(folder: str | os.PathLike | None, name: str) -> tuple[dict, Table]:
    """The descriptor and table ``name``, checked with every table it refers to."""
    path = package_path(folder)
    desc_raw, desc = read_descriptor(path)
    chain = dependencies(desc, name)
    files = {table: path.parent / resource(desc, table)["path"] for table in chain}
    # each file read once: what is hashed is what is checked and loaded
    raw = {table: (file.read_bytes() if file.is_file() else None) for table, file in files.items()}
    tables: dict[str, Table] = {}
    for table in chain:  # targets first, so that a broken target is reported as itself
        res = resource(desc, table)
        targets = dependencies(desc, table)
        key = (str(path.resolve()), table, _digest(desc_raw, *(raw[t] or b"" for t in targets)))
        if key not in _checked:
            parsed, problems = read_table(files[table], [f["name"] for f in res["schema"]["fields"]], raw[table])
            if problems:
                raise DataError(problems)
            tables[table] = parsed
            theirs = check_cells(desc, table, tables)
            ours = check_rules(desc, table, tables, {(p.row, p.column) for p in theirs})
            problems = _one_per_cell(ours, theirs)
            if problems:
                raise DataError(problems)
            _checked[key] = parsed
        tables[table] = _checked[key]
    return desc, tables[name]


def _one_per_cell(ours: list[Problem], theirs: list[Problem]) -> list[Problem]:
    """Stage 3's problems and stage 2's, one per cell (ours first: they say more), by row.

    A duplicate key is reported by Frictionless twice when the key is also declared unique; a
    non-finite number below a minimum breaks a constraint as well. The reader needs the first.
    """
    out: dict[tuple, Problem] = {}
    for problem in ours + theirs:
        out.setdefault((problem.row, problem.column), problem)
    return sorted(out.values(), key=lambda p: p.row or 0)


def validate(name: str, folder: str | os.PathLike | None = None) -> None:
    """Check table ``name`` and the tables it refers to; raise :class:`DataError` if any is bad."""
    _read_checked(folder, name)


def _to_pandas(table: Table, schema: dict) -> pd.DataFrame:
    """Give each column the dtype its schema field declares (cells already validated)."""
    missing = set(schema.get("missingValues", [""]))
    out = {}
    for index, field in enumerate(schema["fields"]):
        raw = [row[index] for row in table.rows]
        present = [value not in missing for value in raw]
        kind = field.get("type", "string")
        if kind in ("integer", "year"):
            col = pd.array([int(v) if ok else None for v, ok in zip(raw, present)], dtype="Int64")
        elif kind == "number":
            col = pd.array([float(v) if ok else None for v, ok in zip(raw, present)], dtype="Float64")
        elif kind == "boolean":
            true = set(field.get("trueValues", ["true", "True", "TRUE", "1"]))
            col = pd.array([(v in true) if ok else None for v, ok in zip(raw, present)], dtype="boolean")
        elif kind == "date":
            col = pd.to_datetime(
                pd.Series([v if ok else None for v, ok in zip(raw, present)], dtype="object"), format="%Y-%m-%d"
            )
        else:
            col = pd.array([v if ok else None for v, ok in zip(raw, present)], dtype="string")
        out[field["name"]] = col
    return pd.DataFrame(out, index=pd.RangeIndex(len(table.rows)))


def load(name: str, folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Validate table ``name`` (see the module docstring), then return it as a pandas DataFrame.

    ``folder`` is the data folder (or its ``datapackage.json``); without it the data are found as
    :func:`~reading_deterrence.contract.descriptor.package_path` describes. Columns get the dtypes
    their schema declares: ``string`` for text, nullable ``Int64``, ``Float64`` and ``boolean``
    for numbers and flags, ``datetime64`` for dates. Empty cells are missing values
    (``<NA>``/``NaT``). Each call returns a new DataFrame, which the caller may change.

    >>> load("article_sentences").loc[0, "sentence_id"]
    'p01s01'
    """
    desc, table = _read_checked(folder, name)
    return _to_pandas(table, resource(desc, name)["schema"])
