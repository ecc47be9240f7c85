"""Find the data package and check its descriptor (``datapackage.json``) before any table is read.

**Where the data are.** :func:`package_path` looks, in this order, at

1. the folder (or ``datapackage.json``) passed explicitly, as in ``load("timeline", "my/data")``;
2. the environment variable ``READING_DETERRENCE_DATA`` (the configuration; the Sphinx
   extension passes its own ``reading_deterrence_data`` value explicitly);
3. the book's own ``data/``: the nearest folder, from the working directory upwards, that holds
   ``data/datapackage.json`` (notebooks run in their chapter's folder, inside the book);
4. the ``data/`` folder of the source checkout this package was imported from, if there is one.

It needs no editable install: ``pip install .`` gives a package that finds the book's data from
wherever the book is built.

**The descriptor is data too.** A missing, unparsable or misspelt descriptor stops with a
:class:`~reading_deterrence.contract.errors.DataError` naming the file and, where it can, the
line, the table and the field. Frictionless checks the descriptor against the Data Package
standard; that standard allows any extra property, so a misspelt ``"typ"`` would pass it
silently. :func:`schema_problems` therefore also checks every property name against the ones this
module uses, and that every key, reference and rule names columns and tables that exist.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .errors import DataError, Problem, UnknownTable, display_path
from .standalone import frictionless_package

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "data_files",
    "dependencies",
    "descriptor",
    "package_path",
    "resource",
    "table_names",
]

ENVIRONMENT_VARIABLE = "READING_DETERRENCE_DATA"
NAME = "datapackage.json"

#: Property names this module understands, at each level of the descriptor.
KNOWN = {
    "package": {
        "$schema",
        "profile",
        "name",
        "title",
        "description",
        "version",
        "contributors",
        "licenses",
        "resources",
        "sources",
        "keywords",
        "homepage",
        "created",
        "image",
    },
    "resource": {
        "name",
        "path",
        "title",
        "description",
        "format",
        "mediatype",
        "encoding",
        "schema",
        "sources",
        "licenses",
        "profile",
        "provenance",
        "bytes",
        "hash",
        "type",
        "scheme",
    },
    "schema": {"fields", "primaryKey", "foreignKeys", "missingValues", "x-rules"},
    "field": {
        "name",
        "type",
        "format",
        "title",
        "description",
        "constraints",
        "trueValues",
        "falseValues",
        "example",
        "x-references",
    },
    "constraints": {"required", "unique", "minimum", "maximum", "minLength", "maxLength", "pattern", "enum"},
}
#: The cross-field rules of ``x-rules`` (see :mod:`reading_deterrence.contract.cells`) and the
#: properties each needs besides ``rule``.
RULES = {"not-before": ("field", "other"), "date-in-id": ("field", "other")}


def _checkout_data() -> Path:
    return Path(__file__).resolve().parents[3] / "data"


def package_path(folder: str | os.PathLike | None = None) -> Path:
    """The ``datapackage.json`` to read (see the module docstring for the order of the search)."""
    if folder is None and os.environ.get(ENVIRONMENT_VARIABLE):
        folder = os.environ[ENVIRONMENT_VARIABLE]
    if folder is not None:
        path = Path(folder)
        path = path / NAME if path.is_dir() or path.name != NAME else path
        if not path.is_file():
            raise DataError([Problem(display_path(path), None, None, "no data package here: the file does not exist")])
        return path
    for parent in [Path.cwd(), *Path.cwd().parents]:
        if (parent / "data" / NAME).is_file():
            return parent / "data" / NAME
    if (_checkout_data() / NAME).is_file():
        return _checkout_data() / NAME
    raise DataError(
        [
            Problem(
                NAME,
                None,
                None,
                f"no data package found: pass the data folder (load(name, folder)), set ${ENVIRONMENT_VARIABLE}, "
                "or work inside the book, whose data/ holds datapackage.json",
            )
        ]
    )


_descriptors: dict[tuple[str, str], dict] = {}


def descriptor(folder: str | os.PathLike | None = None) -> dict:
    """The checked descriptor as a dictionary (a fresh copy each call)."""
    return read_descriptor(package_path(folder))[1]


def read_descriptor(path: Path) -> tuple[bytes, dict]:
    """The descriptor's bytes, read once, and the checked descriptor they hold (a fresh copy)."""
    raw = path.read_bytes()
    key = (str(path.resolve()), hashlib.sha256(raw).hexdigest())
    if key not in _descriptors:
        _descriptors[key] = _check(path, raw)
    return raw, json.loads(json.dumps(_descriptors[key]))


def _check(path: Path, raw: bytes) -> dict:
    shown = display_path(path)
    try:
        desc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise DataError([Problem(shown, None, None, f"the file is not valid UTF-8 (offset {err.start})")]) from None
    except json.JSONDecodeError as err:
        raise DataError(
            [Problem(shown, err.lineno, None, f"not valid JSON: {err.msg} (line {err.lineno}, character {err.colno})")]
        ) from None
    if not isinstance(desc, dict):
        raise DataError([Problem(shown, None, None, "not a data package: the file must hold one JSON object")])
    Package = frictionless_package()  # None only in a lab bundle without Frictionless (see .standalone)
    problems = shape_problems(shown, desc)
    if not problems and Package is not None:
        try:
            report = Package.validate_descriptor(desc)
        except Exception as err:  # Frictionless itself trips over some malformed descriptors
            problems = [Problem(shown, None, None, f"not a valid data package: {err}")]
        else:
            problems = [Problem(shown, None, None, f"not a valid data package: {e.note}") for e in report.errors]
    if not problems:
        problems = schema_problems(shown, desc)
    if problems:
        raise DataError(problems)
    return desc


def _unknown(shown: str, where: str, level: str, found: dict) -> list[Problem]:
    return [
        Problem(shown, None, None, f"{where}: unknown property {key!r} (is it misspelt?)")
        for key in found
        if key not in KNOWN[level]
    ]


def _names(value) -> list:
    """A key given as one name or a list of names (Table Schema allows both), as a list."""
    return [value] if isinstance(value, str) else list(value or [])


def shape_problems(shown: str, desc: dict) -> list[Problem]:
    """Properties of the wrong JSON type, found before anything reads them (the standard's own
    check, and ours, would otherwise trip over them)."""
    out: list[Problem] = []
    names = {dict: "an object", list: "a list", str: "a string"}

    def need(value, kind, where: str) -> bool:
        if not isinstance(value, kind):
            out.append(Problem(shown, None, None, f"{where} must be {names[kind]}"))
            return False
        return True

    if not need(desc.get("resources"), list, "'resources'"):
        return out
    for number, res in enumerate(desc["resources"], start=1):
        if not need(res, dict, f"resource {number}") or not need(res.get("name"), str, f"resource {number}: 'name'"):
            continue
        where = f"table {res['name']!r}"
        schema = res.get("schema")
        if not need(schema, dict, f"{where}: 'schema'") or not need(schema.get("fields"), list, f"{where}: 'fields'"):
            continue
        for field in schema["fields"]:
            if need(field, dict, f"{where}: each field") and need(field.get("name"), str, f"{where}: a field's name"):
                _shape_of_reference(need, field, where)
        if need(schema.get("foreignKeys", []), list, f"{where}: 'foreignKeys'"):
            for fk in schema.get("foreignKeys", []):
                if need(fk, dict, f"{where}: each foreign key"):
                    need(fk.get("reference"), dict, f"{where}: a foreign key's 'reference'")
        if need(schema.get("x-rules", []), list, f"{where}: 'x-rules'"):
            for rule in schema.get("x-rules", []):
                need(rule, dict, f"{where}: each rule of 'x-rules'")
    return out


def _shape_of_reference(need, field: dict, where: str) -> None:
    ref = field.get("x-references")
    at = f"{where}, field {field['name']!r}"
    if ref is not None and need(ref, dict, f"{at}: 'x-references'"):
        for key in ("resource", "field", "separator"):
            need(ref.get(key), str, f"{at}, x-references: {key!r}")


def schema_problems(shown: str, desc: dict) -> list[Problem]:
    """Problems of the descriptor beyond the standard (see the module docstring)."""
    problems = _unknown(shown, "the package", "package", desc)
    tables = {res.get("name"): res for res in desc.get("resources", [])}
    for res in desc.get("resources", []):
        problems += _table_problems(shown, res, tables)
    return problems


def _table_problems(shown: str, res: dict, tables: dict) -> list[Problem]:
    name = res.get("name")
    where = f"table {name!r}"

    def problem(message: str) -> Problem:
        return Problem(shown, None, None, f"{where}: {message}")

    problems = _unknown(shown, where, "resource", res)
    if not str(res.get("path", "")).endswith(".csv"):
        problems.append(problem("'path' must name a .csv file in the data folder"))
    schema = res.get("schema")
    if not isinstance(schema, dict) or not schema.get("fields"):
        return [*problems, problem("no schema with fields")]
    problems += _unknown(shown, f"{where}, schema", "schema", schema)
    columns = [f.get("name") for f in schema["fields"]]
    for field in schema["fields"]:
        at = f"{where}, field {field.get('name')!r}"
        problems += _unknown(shown, at, "field", field)
        problems += _unknown(shown, f"{at}, constraints", "constraints", field.get("constraints", {}))
        ref = field.get("x-references")
        if ref is not None:
            problems += _reference(shown, f"{at}, x-references", tables, ref.get("resource"), [ref.get("field")])
    keys = _names(schema.get("primaryKey"))
    for fk in schema.get("foreignKeys", []):
        keys += _names(fk.get("fields"))
        ref = fk.get("reference", {})
        problems += _reference(
            shown, f"{where}, foreign key", tables, ref.get("resource") or name, _names(ref.get("fields"))
        )
    problems += [problem(f"key {key!r} is not a column") for key in keys if key not in columns]
    for rule in schema.get("x-rules", []):
        needs = RULES.get(rule.get("rule"))
        if needs is None:
            problems.append(problem(f"unknown rule {rule.get('rule')!r} in x-rules (known: {', '.join(RULES)})"))
            continue
        problems += [
            problem(f"rule {rule['rule']!r} names {rule.get(key)!r} as {key!r}, which is not a column")
            for key in needs
            if rule.get(key) not in columns
        ]
    return problems


def _reference(shown: str, where: str, tables: dict, target: str | None, keys: list) -> list[Problem]:
    if target not in tables:
        return [Problem(shown, None, None, f"{where}: refers to table {target!r}, which is not in the package")]
    columns = [f.get("name") for f in tables[target].get("schema", {}).get("fields", [])]
    return [
        Problem(shown, None, None, f"{where}: refers to column {key!r} of {target!r}, which has no such column")
        for key in keys
        if key not in columns
    ]


def table_names(folder: str | os.PathLike | None = None) -> list[str]:
    """Names of the tables (resources) in the package, in descriptor order."""
    return [r["name"] for r in descriptor(folder)["resources"]]


def resource(desc: dict, name: str) -> dict:
    """The resource called ``name``; :class:`UnknownTable` naming the known tables if none is."""
    for res in desc["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in desc["resources"])
    raise UnknownTable([Problem(NAME, None, None, f"no table named {name!r} in the data package (tables: {known})")])


def dependencies(desc: dict, name: str, seen: set[str] | None = None) -> list[str]:
    """The table and every table it refers to (foreign keys, ``x-references``), targets first."""
    seen = set() if seen is None else seen
    if name in seen:
        return []
    seen.add(name)
    schema = resource(desc, name)["schema"]
    targets = [fk["reference"].get("resource") or name for fk in schema.get("foreignKeys", [])]
    targets += [f["x-references"]["resource"] for f in schema["fields"] if "x-references" in f]
    order: list[str] = []
    for target in targets:
        if target != name:
            order += dependencies(desc, target, seen)
    return order + [name]


def data_files(folder: str | os.PathLike | None = None, *names: str) -> list[Path]:
    """The descriptor's path followed by the CSV files of the named tables (for dependency tracking)."""
    path = package_path(folder)
    desc = descriptor(path)
    return [path] + [path.parent / resource(desc, n)["path"] for n in names]
