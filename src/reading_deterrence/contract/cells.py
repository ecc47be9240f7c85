"""Stages 2 and 3 of the contract: the cells of a table that passed stage 1.

**Stage 2, Frictionless.** Types, constraints, primary keys, unique fields and foreign keys into
the other tables of the package. Frictionless is given the rows stage 1 read (inline data), not
the file: the file is parsed once, strictly, and what is checked is exactly what is loaded.

**Stage 3, what Frictionless does not check** (our own, small, each one a rule a spreadsheet
breaks without a word):

- numbers, integers and dates are written plainly: Frictionless (and Python) read ``inf``,
  ``nan``, ``1_000``, Arabic-Indic or full-width digits and ``2019-2-1`` too, which would load as
  something other than what a reader of the file sees; integers fit in 64 bits (pandas' Int64);
- no cell starts or ends with white space: ``" p01s01"`` is not the key ``p01s01``, and the
  loader never trims, since that would change the data;
- list references: a field whose descriptor has ``"x-references": {"resource": "sources",
  "field": "source_id", "separator": ";"}`` holds a list of keys of another table, each of which
  must exist;
- cross-field rules, declared in the schema's ``x-rules`` (Frictionless's own row constraints
  are Python-like formulas that fail on empty cells):

  ``{"rule": "not-before", "field": "end", "other": "start"}``
      where both are given, ``end`` is not before ``start``;
  ``{"rule": "date-in-id", "field": "event_id", "other": "date"}``
      where the ID contains a date (``2023-03-16``) and ``date`` is given, they are the same.
"""

from __future__ import annotations

import math
import re

from .csvfile import Table
from .errors import Problem
from .standalone import check_cells as check_cells_without_frictionless
from .standalone import frictionless_package

__all__ = ["check_cells", "check_rules"]

ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _message(error, types: dict[str, str]) -> str:
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    column = getattr(error, "field_name", None)
    kind = error.type
    if kind == "type-error":
        return f"{cell!r} is not a valid {types.get(column, 'value')}"
    if kind == "constraint-error":
        return f"{cell!r} breaks a constraint: {note}" if cell else f"empty cell breaks a constraint: {note}"
    if kind in ("primary-key", "unique-error"):
        return "duplicate key: " + note.replace("the row at position", "row")
    if kind == "foreign-key":
        return f"dangling reference: {note}"
    return error.message


def check_cells(desc: dict, name: str, tables: dict[str, Table]) -> list[Problem]:
    """Stage 2: validate table ``name`` with Frictionless; ``tables`` holds it and its targets."""
    Package = frictionless_package()
    if Package is None:  # only in a lab bundle without Frictionless (see .standalone)
        return check_cells_without_frictionless(desc, name, tables)
    resources = []
    for res in desc["resources"]:
        if res["name"] in tables:
            table = tables[res["name"]]
            schema = {k: v for k, v in res["schema"].items() if not k.startswith("x-")}
            schema["fields"] = [{k: v for k, v in f.items() if not k.startswith("x-")} for f in schema["fields"]]
            resources.append({"name": res["name"], "data": [table.header, *table.rows], "schema": schema})
    package = Package({"resources": resources})
    resource = package.get_resource(name)
    report = resource.validate()
    table = tables[name]
    key = ", ".join(resource.schema.primary_key)
    types = {field.name: field.type for field in resource.schema.fields}
    problems = []
    for task in report.tasks:
        for error in task.errors:
            position = getattr(error, "row_number", None)
            row = table.numbers[position - 2] if position and 2 <= position < len(table.numbers) + 2 else position
            column = getattr(error, "field_name", None) or None
            if error.type in ("primary-key", "unique-error"):
                column = column or key
            elif error.type == "foreign-key":
                column = ", ".join(getattr(error, "field_names", []) or []) or column
            problems.append(Problem(table.shown, row, column, _message(error, types)))
    return problems


def check_rules(desc: dict, name: str, tables: dict[str, Table], bad: set | None = None) -> list[Problem]:
    """Stage 3 (see the module docstring). ``bad`` holds the (row, column) of cells stage 2 found
    wrong: a cross-field rule on such a cell is not checked (its first problem is the cell)."""
    bad = bad or set()
    res = next(r for r in desc["resources"] if r["name"] == name)
    table = tables[name]
    fields = res["schema"]["fields"]
    missing = set(res["schema"].get("missingValues", [""]))
    problems: list[Problem] = []
    for cells, row in zip(table.rows, table.numbers):
        for field, cell in zip(fields, cells):
            problems += _cell_rules(table.shown, row, field, cell, missing, tables)
        values = dict(zip(table.header, cells))
        for rule in res["schema"].get("x-rules", []):
            if (row, rule["field"]) in bad or (row, rule["other"]) in bad:
                continue
            problem = _row_rule(rule, values, missing)
            if problem:
                problems.append(Problem(table.shown, row, rule["field"], problem))
    return problems


def _cell_rules(shown: str, row: int, field: dict, cell: str, missing: set, tables: dict[str, Table]) -> list[Problem]:
    out = []
    if cell != cell.strip():
        out.append(Problem(shown, row, field["name"], f"{cell[:40]!r} starts or ends with white space; remove it"))
    plain = _plain(field.get("type"), cell) if cell not in missing else None
    if plain:
        out.append(Problem(shown, row, field["name"], plain))
    ref = field.get("x-references")
    if ref and cell not in missing:
        target = tables[ref["resource"]]
        index = target.header.index(ref["field"])
        known = {r[index] for r in target.rows}
        for key in filter(None, (k.strip() for k in cell.split(ref["separator"]))):
            if key not in known:
                out.append(
                    Problem(
                        shown,
                        row,
                        field["name"],
                        f"dangling reference: {key!r} is not a {ref['field']} in {ref['resource']}",
                    )
                )
    return out


PLAIN = {
    "integer": (re.compile(r"[+-]?[0-9]+"), "the digits 0-9 only"),
    "number": (re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"), "digits and a point, as 12 or 3.5"),
    "date": (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "YYYY-MM-DD, as 2023-04-10"),
}


def _plain(kind: str | None, cell: str) -> str | None:
    """What is wrong with a number, integer or date that is not written plainly; None if it is."""
    if kind not in PLAIN:
        return None
    pattern, wanted = PLAIN[kind]
    if kind == "number" and cell.strip().lower().lstrip("+-") in ("inf", "infinity", "nan"):
        return f"{cell!r} is not a finite number"
    if not pattern.fullmatch(cell):
        return f"{cell!r} is not a valid {kind} (write {wanted})"
    if kind == "integer" and not -(2**63) <= int(cell) < 2**63:
        return f"{cell!r} is too large an integer (at most 19 digits)"
    if kind == "number" and not math.isfinite(float(cell)):
        return f"{cell!r} is not a finite number"
    return None


def _row_rule(rule: dict, values: dict[str, str], missing: set) -> str | None:
    value, other = values.get(rule["field"], ""), values.get(rule["other"], "")
    if value in missing or other in missing:
        return None
    if rule["rule"] == "not-before":
        if ISO_DATE.fullmatch(value) and ISO_DATE.fullmatch(other) and value < other:
            return (
                f"cross-field rule: {value!r} is before {rule['other']} {other!r}; an end cannot come before its start"
            )
    elif rule["rule"] == "date-in-id":
        found = ISO_DATE.search(value)
        if found and found.group(1) != other:
            return (
                f"cross-field rule: the ID says {found.group(1)} but {rule['other']} is {other!r}; one of them is wrong"
            )
    return None
