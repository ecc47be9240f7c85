"""The data package as an edition offers it: the files, with the held-back rows taken out.

The student edition's pages hold back the module's answers to the device activities (a
:class:`~.base.HeldBack`: sentence IDs and claim IDs). The data that edition offers to take away
(the catalogue's CSV files, the zipped data package, the data of the lab bundles) must hold them
back too, or the answer would be one download away. What is held back, table by table:

- ``coding``: every row of a held-back sentence is left out, sentence and span layers alike. No
  key refers to a code, so the tables still load through the contract; those sentences simply
  have no codes (:func:`~reading_deterrence.analysis.coding.check_coding`, which asks for a value
  of each sentence layer for every sentence, lists them as uncoded: that is what they are here).
- ``claims``: the row of a held-back claim is left out. Its verdict and evidence are required,
  and a verdict must be a value of the scale, so no cell could say "held back" instead. In a claim
  made in a held-back sentence, ``asserted_by`` (a free-text field) says "held back", since it
  says who speaks in that sentence: the claim ledger's view does the same.
- ``codebook``: where a value's example is a held-back sentence, ``example_sentence_id`` (an
  optional field) is left empty: the example would say how the module codes that sentence (an
  attribution verb's example names the words that tell whose account it is). The codebook's view
  does the same.

A table that changes says what was held back in its ``description``, and the package's own
description says that rows are held back. Every other file is the data folder's, byte for byte;
in a changed table, the rows that stay keep their bytes too. With nothing held back, every file is
exactly the data folder's. No Sphinx here: the Sphinx layer passes this edition's
:class:`~.base.HeldBack` (:func:`reading_deterrence.sphinxext.edition.held_back`).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..contract import descriptor, package_path
from .base import HELD_BACK, HeldBack

__all__ = ["OfferedData", "offered_data", "withhold_table"]


@dataclass
class OfferedData:
    """The data package as an edition offers it (see the module docstring)."""

    #: The data folder's descriptor, as it is.
    source: dict
    #: The descriptor file's name (``datapackage.json``) and its bytes in the data folder.
    name: str
    raw: bytes
    #: Table file (``coding.csv``) -> its bytes as the edition offers it.
    tables: dict[str, bytes]
    #: Table name -> the sentence its description gains, for each table that changed.
    notes: dict[str, str] = field(default_factory=dict)

    def descriptor(self, tables: Iterable[str] | None = None) -> dict:
        """The descriptor as offered, of ``tables`` (default: all) in descriptor order: each
        changed table's description, and the package's, say what is held back."""
        wanted = None if tables is None else set(tables)
        desc = json.loads(json.dumps(self.source))
        desc["resources"] = [res for res in desc["resources"] if wanted is None or res["name"] in wanted]
        noted = [res["name"] for res in desc["resources"] if res["name"] in self.notes]
        for res in desc["resources"]:
            if res["name"] in self.notes:
                res["description"] = f"{res['description']} {self.notes[res['name']]}"
        if noted:
            which = (
                f"the descriptions of {_listed(noted)} say" if len(noted) > 1 else f"the description of {noted[0]} says"
            )
            desc["description"] = (
                f"{desc.get('description', '')} In the student edition, the rows that answer activities you do "
                f"yourself are held back: {which} which."
            ).strip()
        return desc

    def files(self) -> dict[str, bytes]:
        """File name -> bytes: the descriptor and every table, as offered (the data folder's own
        bytes where nothing is held back)."""
        desc = (
            self.raw
            if not self.notes
            else (json.dumps(self.descriptor(), indent=2, ensure_ascii=False) + "\n").encode()
        )
        return {self.name: desc, **self.tables}


def _records(text: str) -> list[tuple[list[str], str]]:
    """Each record of the CSV ``text`` as (its fields, its exact text), header first."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines)
    records, start = [], 0
    for fields in reader:
        records.append((fields, "".join(lines[start : reader.line_num])))
        start = reader.line_num
    return records


def _csv_row(fields: list[str]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerow(fields)
    return out.getvalue()


def _listed(ids: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    ids = sorted(ids)
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} and {ids[-1]}"


def _kept(name: str, fields: list[str], column: dict[str, int], held: HeldBack) -> list[str] | None:
    """The record as the edition offers it (``None``: left out); see the module docstring."""
    if name == "coding" and fields[column["sentence_id"]] in held.sentences:
        return None
    if name == "codebook" and fields[column["example_sentence_id"]] in held.sentences:
        return ["" if i == column["example_sentence_id"] else value for i, value in enumerate(fields)]
    if name == "claims":
        if fields[column["claim_id"]] in held.claims:
            return None
        if fields[column["sentence_id"]] in held.sentences:
            masked = {column["asserted_by"], column["evidence"]}
            return [HELD_BACK if i in masked else value for i, value in enumerate(fields)]
    return fields


def _note(name: str, dropped: set[str], masked: set[str]) -> str:
    """The sentence a changed table's description gains."""
    if name == "codebook":
        return (
            f"In the student edition, example_sentence_id is left empty where the example is one of {_listed(masked)}, "
            "the sentences you code yourself: it would say how the module codes them. The teacher edition's data "
            "have them."
        )
    if name == "coding":
        return (
            f"In the student edition, the module's coding of {_listed(dropped)} is held back: their rows are "
            "left out, because you code these sentences yourself. The teacher edition's data have them."
        )
    parts = []
    if dropped:
        parts.append(
            f"In the student edition, claims {_listed(dropped)} are left out, because you trace them yourself: "
            "their verdict and evidence are held back."
        )
    if masked:
        parts.append(
            f"{'Where' if dropped else 'In the student edition, where'} a claim is made in a sentence whose "
            f"coding is held back ({_listed(masked)}), asserted_by and evidence say “{HELD_BACK}”: they would "
            "say who speaks in that sentence, and with which words."
        )
    return " ".join(parts) + " The teacher edition's data have them."


def withhold_table(name: str, text: str, held: HeldBack | None) -> tuple[str, str]:
    """The CSV ``text`` of table ``name`` as an edition that holds back ``held`` offers it, and the
    sentence its description gains ("" and ``text`` itself if nothing in it is held back)."""
    if not held or name not in ("coding", "claims", "codebook"):
        return text, ""
    records = _records(text)
    if not records:
        return text, ""
    column = {key: index for index, key in enumerate(records[0][0])}
    out, dropped, masked = [records[0][1]], set(), set()
    for fields, raw in records[1:]:
        kept = _kept(name, fields, column, held) if fields else fields
        if kept is None:
            dropped.add(fields[column["sentence_id" if name == "coding" else "claim_id"]])
        elif kept == fields:
            out.append(raw)
        else:
            masked.add(fields[column["example_sentence_id" if name == "codebook" else "sentence_id"]])
            out.append(_csv_row(kept))
    if not dropped and not masked:
        return text, ""
    return "".join(out), _note(name, dropped, masked)


def offered_data(package: str | os.PathLike | None = None, held: HeldBack | None = None) -> OfferedData:
    """The data package ``package`` (as :func:`~reading_deterrence.load` takes it) as an edition
    that holds back ``held`` offers it; ``held`` ``None`` (or empty): the data folder's own files."""
    path = package_path(package)
    desc = descriptor(path)
    tables, notes = {}, {}
    for res in desc["resources"]:
        raw = (path.parent / res["path"]).read_bytes()
        text, note = withhold_table(res["name"], raw.decode("utf-8"), held)
        tables[res["path"]] = text.encode("utf-8") if note else raw
        if note:
            notes[res["name"]] = note
    return OfferedData(desc, path.name, path.read_bytes(), tables, notes)
