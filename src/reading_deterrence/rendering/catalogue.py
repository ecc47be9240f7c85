"""The data catalogue, generated from the descriptor: every table, its fields, keys, source and licence."""

from __future__ import annotations

import os

from ..contract import data_files, descriptor, load
from .base import View
from .sources import provenance_items
from .text import escape

__all__ = ["catalogue"]


def _constraints(spec: dict) -> str:
    parts = []
    for key, value in spec.get("constraints", {}).items():
        if key == "required" and value:
            parts.append("required")
        elif key == "unique" and value:
            parts.append("unique")
        elif key == "enum":
            parts.append("one of: " + ", ".join(f"`{v}`" for v in value))
        elif key == "pattern":
            parts.append(f"pattern `{value}`")
        elif key in ("minimum", "maximum", "minLength", "maxLength"):
            parts.append(f"{key} {value}")
    return "; ".join(parts) or "none"


def _licence(licences: list[dict]) -> str:
    out = []
    for lic in licences:
        name = escape(lic.get("title") or lic.get("name", ""))
        out.append(f"[{name}]({lic['path']})" if lic.get("path", "").startswith("http") else name)
    return "; ".join(out)


def _rule(rule: dict) -> str:
    """A cross-field rule of the descriptor (``x-rules``) in words."""
    field, other = f"`{rule['field']}`", f"`{rule['other']}`"
    if rule["rule"] == "not-before":
        return f"where both are given, {field} is not before {other}"
    return f"where {field} contains a date (2023-03-16), it is the date in {other}"


def _facts(res: dict, desc: dict, rows: int) -> list[str]:
    """The definition-list items that describe one table: file, loading, download, keys, rules."""
    name, schema = res["name"], res["schema"]
    facts = [
        f"File\n: `data/{res['path']}` ({rows} rows, {len(schema['fields'])} columns, "
        f"{res['encoding'].upper()} CSV)",
        'Load it with\n: `load("' + name + '")`',
        f"Download\n: {{generated}}`{res['path']} <data/{res['path']}>` (CSV, opens in a spreadsheet)",
        "Primary key\n: " + ", ".join(f"`{k}`" for k in schema.get("primaryKey", [])),
    ]
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        target = f"[{ref['resource']}](#data-{ref['resource'].replace('_', '-')})"
        facts.append(
            "Refers to\n: "
            + ", ".join(f"`{f}`" for f in fk["fields"])
            + f" must match `{', '.join(ref['fields'])}` in {target}"
        )
    facts += [f"Rule across fields\n: {_rule(rule)}" for rule in schema.get("x-rules", [])]
    sources = "; ".join(
        f"[{escape(s['title'])}]({s['path']})" if s.get("path") else escape(s["title"])
        for s in res.get("sources", [])
    )
    facts.append("Source\n: " + sources)
    facts.append("Licence\n: " + _licence(res.get("licenses") or desc.get("licenses", [])))
    return facts


def catalogue(package: str | os.PathLike | None = None) -> View:
    """The data catalogue: every table in the descriptor, with its fields, keys, source and licence."""
    desc = descriptor(package)
    lines: list[str] = []
    files = data_files(package)
    labels: dict[str, str] = {}
    for res in desc["resources"]:
        name = res["name"]
        table = load(name, package)
        files += data_files(package, name)[1:]
        schema = res["schema"]
        labels[res["title"]] = f"data-{name.replace('_', '-')}"
        lines += [f"## {escape(res['title'])}", ""]
        lines += [escape(res["description"]), ""]
        facts = _facts(res, desc, len(table))
        for fact in facts:
            lines += [fact, ""]
        if res.get("provenance"):
            lines += ["**Provenance** (the `provenance` property of this table in the descriptor):", ""]
            sources_table = load("sources", package).set_index("source_id")
            for label, text in provenance_items(res["provenance"], sources_table):
                lines += [label, f": {text}", ""]
        lines += [
            ":::{list-table} Fields of " + f"`{name}`",
            ":header-rows: 1",
            ":widths: 18 10 27 45",
            "",
            "* - Field",
            "  - Type",
            "  - Constraints",
            "  - Meaning",
        ]
        for spec in schema["fields"]:
            lines += [
                f"* - `{spec['name']}`",
                f"  - {spec.get('type', 'string')}",
                f"  - {_constraints(spec)}",
                f"  - {escape(spec.get('description', ''))}",
            ]
        lines += [":::", ""]
    return View("\n".join(lines), files, labels)
