"""The contract in a lab bundle, where Frictionless may be missing.

A data lab downloaded from the book (``downloads/labs/*.zip``, made by
:mod:`reading_deterrence.rendering.labs`) carries a copy of the modules of this package that its
notebook imports, and the tables it reads. It must run in a plain Jupyter with pandas and
matplotlib only, and Frictionless is not there. Two ways were open: a second, bundle-only reader,
or this contract falling back on lighter checks. A second reader would have to give every column
exactly the dtype :func:`~reading_deterrence.contract.tables.load` gives, and would drift from it;
so the bundle carries the contract itself, unchanged, and the fallback is here, in one place:

- It applies **only in a bundle**: the bundler writes :data:`MARKER` at the top of the copied
  package. Anywhere else a missing Frictionless is the ``ImportError`` it always was, so the
  book's own checks can never quietly become the light ones.
- It applies **only when Frictionless cannot be imported**: a student who installs Frictionless
  gets the full checks in the bundle too. With Frictionless installed, nothing here runs.
- What still runs without Frictionless: stage 1 (the strict CSV reader), stage 3 (our own rules:
  plain numbers and dates, no stray white space, list references, cross-field rules), the
  descriptor's own checks (:func:`~reading_deterrence.contract.descriptor.schema_problems`), and
  :func:`check_cells` below in place of stage 2: types, the constraints the descriptor uses
  (``required``, ``enum``, ``pattern``, ``unique``, ``minimum``/``maximum``,
  ``minLength``/``maxLength``), primary keys and foreign keys, with pandas. What does not: the
  descriptor's check against the Data Package standard (Frictionless's JSON schemas) and types
  the descriptor does not use (their cells are read as text). The tables in a bundle were checked
  in full when the book was built; these checks are there for a student who edits them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .csvfile import Table
from .errors import Problem

__all__ = ["MARKER", "check_cells", "frictionless_package", "in_bundle"]

#: The file the bundler writes at the top of the copied package (``reading_deterrence/``).
MARKER = "BUNDLE.txt"


def in_bundle() -> bool:
    """Whether this copy of the package is a lab bundle's (it holds :data:`MARKER`)."""
    return (Path(__file__).resolve().parents[1] / MARKER).is_file()


def frictionless_package():
    """Frictionless's ``Package`` class; ``None`` in a lab bundle without Frictionless.

    Outside a bundle, a missing Frictionless raises ``ImportError``, as it always did.
    """
    try:
        from frictionless import Package  # imported late: it is the slowest import here
    except ImportError:
        if not in_bundle():
            raise
        return None
    return Package


def _column(table: Table, name: str) -> pd.Series:
    index = table.header.index(name)
    return pd.Series([row[index] for row in table.rows], index=table.numbers, dtype="object")


def _type_problems(shown: str, field: dict, cells: pd.Series) -> list[Problem]:
    kind = field.get("type", "string")
    if kind == "date":
        parsed = pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
        bad = cells[parsed.isna()]
    elif kind in ("integer", "number"):
        bad = cells[pd.to_numeric(cells, errors="coerce").isna()]
    elif kind == "boolean":
        known = set(field.get("trueValues", ["true", "True", "TRUE", "1"]))
        known |= set(field.get("falseValues", ["false", "False", "FALSE", "0"]))
        bad = cells[~cells.isin(known)]
    else:
        return []
    return [Problem(shown, row, field["name"], f"{cell!r} is not a valid {kind}") for row, cell in bad.items()]


def _constraint_problems(shown: str, field: dict, cells: pd.Series, present: pd.Series) -> list[Problem]:
    rules = field.get("constraints", {})
    name = field["name"]
    out = []
    if rules.get("required"):
        out += [Problem(shown, row, name, "empty cell breaks a constraint: required") for row in cells[~present].index]
    given = cells[present]
    checks = []
    if "enum" in rules:
        checks.append((~given.isin([str(v) for v in rules["enum"]]), f"not one of {rules['enum']}"))
    if "pattern" in rules:
        pattern = re.compile(rules["pattern"])
        checks.append((~given.map(lambda v: bool(pattern.fullmatch(v))), f"does not match {rules['pattern']!r}"))
    numbers = pd.to_numeric(given, errors="coerce") if field.get("type") in ("integer", "number") else None
    for key, test in (("minimum", lambda v, m: v < m), ("maximum", lambda v, m: v > m)):
        if key in rules and numbers is not None:
            checks.append((test(numbers, rules[key]).fillna(False), f"{key} is {rules[key]}"))
    lengths = given.str.len()
    if "minLength" in rules:
        checks.append((lengths < rules["minLength"], f"minLength is {rules['minLength']}"))
    if "maxLength" in rules:
        checks.append((lengths > rules["maxLength"], f"maxLength is {rules['maxLength']}"))
    if rules.get("unique"):
        checks.append((given.duplicated(keep="first"), "unique (the value appears in an earlier row)"))
    for broken, what in checks:
        out += [
            Problem(shown, row, name, f"{cell!r} breaks a constraint: {what}") for row, cell in given[broken].items()
        ]
    return out


def _names(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _key_problems(desc: dict, res: dict, tables: dict[str, Table]) -> list[Problem]:
    table, schema = tables[res["name"]], res["schema"]
    frame = pd.DataFrame({name: _column(table, name) for name in table.header})
    out = []
    key = _names(schema.get("primaryKey"))
    if key:
        duplicated = frame.duplicated(subset=key, keep="first")
        out += [Problem(table.shown, row, ", ".join(key), "duplicate key") for row in frame.index[duplicated]]
    missing = set(schema.get("missingValues", [""]))
    for fk in schema.get("foreignKeys", []):
        fields, ref = _names(fk["fields"]), fk["reference"]
        target = tables[ref.get("resource") or res["name"]]
        known = set(zip(*(_column(target, f) for f in _names(ref["fields"]))))
        for row, values in zip(frame.index, zip(*(frame[f] for f in fields))):
            if not set(values) & missing and values not in known:
                message = f"dangling reference: {', '.join(values)} is not in {ref.get('resource') or res['name']}"
                out.append(Problem(table.shown, row, ", ".join(fields), message))
    return out


def check_cells(desc: dict, name: str, tables: dict[str, Table]) -> list[Problem]:
    """Stage 2 without Frictionless (see the module docstring): types, constraints and keys of
    table ``name``; ``tables`` holds it and every table it refers to."""
    res = next(r for r in desc["resources"] if r["name"] == name)
    table = tables[name]
    missing = set(res["schema"].get("missingValues", [""]))
    problems = []
    for field in res["schema"]["fields"]:
        cells = _column(table, field["name"])
        present = ~cells.isin(missing)
        problems += _type_problems(table.shown, field, cells[present])
        problems += _constraint_problems(table.shown, field, cells, present)
    return problems + _key_problems(desc, res, tables)
