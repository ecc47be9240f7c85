"""Load the module's tables from ``data/``, validated against ``data/datapackage.json``.

Every table is checked before it is returned, in two stages:

1. **The file itself** (our own checks, because a CSV reader forgives too much): it exists, it
   is not empty, it is valid UTF-8, it ends with a line break (a file cut off in the middle of a
   row or of a quoted cell does not), its header names exactly the schema's columns, in order, and
   it has at least one row.
2. **The cells** (Frictionless): types, constraints, primary keys, unique fields and foreign keys
   into other tables of the package (which are checked first, in the same way).
3. **List references**, which Frictionless cannot express: a field whose descriptor has
   ``"x-references": {"resource": "sources", "field": "source_id", "separator": ";"}`` holds a
   list of keys of another table, and every one of them must exist.

Any failure raises :class:`DataError`. Its message names the file, the row and the column of each
problem. Rows are counted as a spreadsheet counts them: the header is row 1, so the first row of
data is row 2.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["DATA_DIR", "DataError", "Problem", "data_files", "descriptor", "load", "table_names", "validate"]

#: The folder holding ``datapackage.json`` and the CSV files. ``READING_DETERRENCE_DATA`` overrides it.
DATA_DIR = Path(os.environ.get("READING_DETERRENCE_DATA", Path(__file__).resolve().parents[2] / "data"))

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
        lines = [str(p) for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"... and {len(self.problems) - MAX_LISTED} more problems")
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(
            f"{len(self.problems)} {noun} in the data (rows counted with the header as row 1):\n  "
            + "\n  ".join(lines)
        )


def _package_path(package: str | os.PathLike | None) -> Path:
    path = Path(package) if package is not None else DATA_DIR / "datapackage.json"
    return path / "datapackage.json" if path.is_dir() else path


def descriptor(package: str | os.PathLike | None = None) -> dict:
    """Return the data package descriptor (``datapackage.json``) as a dictionary."""
    return json.loads(_package_path(package).read_text(encoding="utf-8"))


def table_names(package: str | os.PathLike | None = None) -> list[str]:
    """Names of the tables (resources) in the package, in descriptor order."""
    return [r["name"] for r in descriptor(package)["resources"]]


def _resource(desc: dict, name: str) -> dict:
    for res in desc["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in desc["resources"])
    raise KeyError(f"no table named {name!r} in the data package (tables: {known})")


def _display(path: Path) -> str:
    """A path as a reader would want to see it: relative to the working directory if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def data_files(package: str | os.PathLike | None = None, *names: str) -> list[Path]:
    """The descriptor's path followed by the CSV files of the named tables (for dependency tracking)."""
    path = _package_path(package)
    desc = descriptor(path)
    return [path] + [path.parent / _resource(desc, n)["path"] for n in names]


# --- stage 1: the file itself -------------------------------------------------------------------


def _locate(text: str) -> tuple[int, int]:
    """Row (1-based, as a CSV row) and field index (0-based) at the end of ``text``."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or text.endswith(("\n", "\r")):
        return len(rows) + 1, 0
    return len(rows), max(len(rows[-1]) - 1, 0)


def _unclosed_quote(text: str) -> tuple[int, int] | None:
    """Row and field index where a quoted cell opens and never closes; None if all quotes close.

    Follows RFC 4180: a quote opens a quoted cell only at the start of a cell, and inside a
    quoted cell a doubled quote ("") stands for one quote character.
    """
    row, field, i, cell_start = 1, 0, 0, True
    while i < len(text):
        ch = text[i]
        if ch == '"' and cell_start:
            j = i + 1
            while True:
                j = text.find('"', j)
                if j == -1:
                    return row, field
                if text.startswith('""', j):
                    j += 2
                    continue
                break
            i, cell_start = j + 1, False
            continue
        if ch == ",":
            field, cell_start = field + 1, True
        elif ch == "\n":
            row, field, cell_start = row + 1, 0, True
        else:
            cell_start = False
        i += 1
    return None


def _check_file(path: Path, fields: list[str]) -> list[Problem]:
    """Stage 1 checks; an empty list means the file can be handed to Frictionless."""
    shown = _display(path)

    def col(index: int) -> str | None:
        return fields[index] if 0 <= index < len(fields) else None

    if not path.exists():
        return [Problem(shown, None, None, "the file does not exist")]
    raw = path.read_bytes()
    if not raw.strip():
        return [Problem(shown, 1, col(0), "the file is empty; expected a header row: " + ",".join(fields))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        row, index = _locate(raw[: err.start].decode("utf-8"))
        return [
            Problem(
                shown,
                row,
                col(index),
                f"the file is not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
                "save it as UTF-8",
            )
        ]
    if text.startswith("\ufeff"):
        return [Problem(shown, 1, col(0), "the file starts with a byte-order mark; save it as UTF-8 without BOM")]
    unclosed = _unclosed_quote(text)
    if unclosed is not None:
        row, index = unclosed
        return [Problem(shown, row, col(index), "a quoted cell is never closed: the file looks truncated")]
    if not text.endswith("\n"):
        row, index = _locate(text)
        return [
            Problem(
                shown,
                row,
                col(index),
                "the file does not end with a line break: it looks truncated in this cell",
            )
        ]
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    if header != fields:
        problems = [
            Problem(shown, 1, name, "missing column (the schema expects: " + ", ".join(fields) + ")")
            for name in fields
            if name not in header
        ]
        problems += [
            Problem(shown, 1, name, "unexpected column: it is not in the schema")
            for name in header
            if name not in fields
        ]
        if not problems:
            problems = [
                Problem(
                    shown,
                    1,
                    None,
                    "the columns are out of order: expected " + ", ".join(fields) + "; found " + ", ".join(header),
                )
            ]
        return problems
    if len(rows) < 2:
        return [Problem(shown, 2, None, "the table has a header but no rows")]
    return []


# --- stage 2: the cells (Frictionless) ----------------------------------------------------------


def _cell_problem(shown: str, error, primary_key: list[str], types: dict[str, str]) -> Problem:
    """Turn one Frictionless error into a Problem with a plain-English message."""
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None) or None
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    kind = error.type
    if kind == "type-error":
        message = f"{cell!r} is not a valid {types.get(column, 'value')}"
    elif kind == "constraint-error":
        message = f"{cell!r} breaks a constraint: {note}" if cell else f"empty cell breaks a constraint: {note}"
    elif kind in ("primary-key", "unique-error"):
        column = column or ", ".join(primary_key)
        message = f"duplicate key: {note}"
    elif kind == "foreign-key":
        column = ", ".join(getattr(error, "field_names", []) or []) or column
        message = f"dangling reference: {note}"
    elif kind in ("missing-cell", "extra-cell"):
        message = "the row has too few cells" if kind == "missing-cell" else "the row has too many cells"
    else:
        message = error.message
    return Problem(shown, row, column, message)


def _check_cells(package_path: Path, name: str) -> list[Problem]:
    from frictionless import Package  # imported late: it is the slowest import here

    package = Package(str(package_path))
    resource = package.get_resource(name)
    report = resource.validate()
    shown = _display(package_path.parent / resource.path)
    primary_key = list(resource.schema.primary_key)
    types = {field.name: field.type for field in resource.schema.fields}
    return [_cell_problem(shown, e, primary_key, types) for task in report.tasks for e in task.errors]


# --- the public API -----------------------------------------------------------------------------

_validated: dict[tuple, bool] = {}


def _stamp(package_path: Path, desc: dict, names: list[str]) -> tuple:
    files = [package_path] + [package_path.parent / _resource(desc, n)["path"] for n in names]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else (str(f), None, None) for f in files)


def _dependencies(desc: dict, name: str, seen: set[str] | None = None) -> list[str]:
    """The table and every table it refers to through foreign keys, targets first."""
    seen = set() if seen is None else seen
    if name in seen:
        return []
    seen.add(name)
    order: list[str] = []
    schema = _resource(desc, name)["schema"]
    targets = [fk["reference"].get("resource") or name for fk in schema.get("foreignKeys", [])]
    targets += [f["x-references"]["resource"] for f in schema["fields"] if "x-references" in f]
    for target in targets:
        if target != name:
            order += _dependencies(desc, target, seen)
    return order + [name]


def _check_list_references(package_path: Path, desc: dict, name: str) -> list[Problem]:
    """Stage 3: every key in a list-of-keys field (``x-references``) exists in its table."""
    res = _resource(desc, name)
    fields = [f for f in res["schema"]["fields"] if "x-references" in f]
    if not fields:
        return []
    path = package_path.parent / res["path"]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    problems = []
    for field in fields:
        ref = field["x-references"]
        target = _resource(desc, ref["resource"])
        target_rows = csv.DictReader(io.StringIO((package_path.parent / target["path"]).read_text(encoding="utf-8")))
        known = {row[ref["field"]] for row in target_rows}
        for number, row in enumerate(rows, start=2):
            for key in filter(None, (k.strip() for k in (row.get(field["name"]) or "").split(ref["separator"]))):
                if key not in known:
                    problems.append(
                        Problem(
                            _display(path),
                            number,
                            field["name"],
                            f"dangling reference: {key!r} is not a {ref['field']} in {ref['resource']}",
                        )
                    )
    return problems


def validate(name: str, package: str | os.PathLike | None = None) -> None:
    """Check table ``name`` and the tables it refers to; raise :class:`DataError` if any is bad."""
    package_path = _package_path(package)
    desc = descriptor(package_path)
    chain = _dependencies(desc, name)
    key = (str(package_path.resolve()), name, _stamp(package_path, desc, chain))
    if key in _validated:
        return
    for table in chain:
        res = _resource(desc, table)
        fields = [f["name"] for f in res["schema"]["fields"]]
        problems = _check_file(package_path.parent / res["path"], fields)
        if not problems:
            problems = _check_cells(package_path, table)
        if not problems:
            problems = _check_list_references(package_path, desc, table)
        if problems:
            raise DataError(problems)
    _validated[key] = True


def _to_pandas(frame: pd.DataFrame, schema: dict) -> pd.DataFrame:
    """Give each column the dtype its schema field declares (cells already validated)."""
    missing = set(schema.get("missingValues", [""]))
    out = {}
    for field in schema["fields"]:
        raw = frame[field["name"]]
        present = ~raw.isin(missing)
        kind = field.get("type", "string")
        if kind in ("integer", "year"):
            col = pd.array([int(v) if ok else None for v, ok in zip(raw, present)], dtype="Int64")
        elif kind == "number":
            col = pd.array([float(v) if ok else None for v, ok in zip(raw, present)], dtype="Float64")
        elif kind == "boolean":
            true = set(field.get("trueValues", ["true", "True", "TRUE", "1"]))
            col = pd.array([(v in true) if ok else None for v, ok in zip(raw, present)], dtype="boolean")
        elif kind == "date":
            col = pd.to_datetime(raw.where(present), format="%Y-%m-%d")
        else:
            col = raw.where(present).astype("string")
        out[field["name"]] = col
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def load(name: str, package: str | os.PathLike | None = None) -> pd.DataFrame:
    """Validate table ``name`` (see the module docstring), then return it as a pandas DataFrame.

    Columns get the dtypes their schema declares: ``string`` for text, nullable ``Int64``,
    ``Float64`` and ``boolean`` for numbers and flags, ``datetime64`` for dates. Empty cells are
    missing values (``<NA>``/``NaT``).

    >>> load("article_sentences").loc[0, "sentence_id"]
    'p01s01'
    """
    package_path = _package_path(package)
    validate(name, package_path)
    res = _resource(descriptor(package_path), name)
    frame = pd.read_csv(
        package_path.parent / res["path"],
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        encoding="utf-8",
    )
    return _to_pandas(frame, res["schema"])
