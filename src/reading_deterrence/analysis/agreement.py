"""A student's coding sheet, and how far it agrees with the module's coding (Cohen's kappa).

:func:`read_sheet` reads a filled coding sheet, as a spreadsheet program saves it, with the data
contract's strict CSV reader: every problem is reported with its row and column. :func:`agreement`
compares it, layer by layer, with the module's coding or with a classmate's sheet.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..contract import DataError, Problem
from ..contract.csvfile import tokenize
from .coding import SHEET_LAYERS, CodedArticle, coded_sentences

__all__ = ["Agreement", "agreement", "cohen_kappa", "read_sheet"]


def read_sheet(path: str | os.PathLike, article: CodedArticle) -> pd.DataFrame:
    """Read a filled coding sheet; raise :class:`DataError` naming row and column of each problem.

    The sheet needs a ``sentence_id`` column and one column per layer in :data:`SHEET_LAYERS`
    (``text``, ``notes`` and any other columns are ignored; the order does not matter). A cell
    holds a codebook value (``kim_via_kcna``) or its label (``Kim Jong Un → KCNA → reporter``), in
    any case; an empty cell means "not coded". Empty rows are skipped. The file is UTF-8 (with or
    without the byte-order mark a spreadsheet's "CSV UTF-8" writes), with any line endings.
    Returns one row per sentence coded, with the values normalised to codebook values.
    """
    path = Path(path)
    shown = path.name
    rows = _sheet_rows(path, shown)
    header = [h.strip() for h in rows[0]]
    missing = [c for c in ["sentence_id", *SHEET_LAYERS] if c not in header]
    if missing:
        needs = "missing column (the sheet needs: sentence_id, " + ", ".join(SHEET_LAYERS) + ")"
        raise DataError([Problem(shown, 1, c, needs) for c in missing])
    lookup = _values(article.codebook)
    known_ids = set(article.sentences["sentence_id"])
    problems: list[Problem] = []
    records = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (c.strip() for c in row)))
        sid = cells.get("sentence_id", "")
        if sid not in known_ids or sid in seen:
            message = f"unknown sentence ID {sid!r}" if sid not in known_ids else f"sentence {sid} appears twice"
            problems.append(Problem(shown, number, "sentence_id", message))
            continue
        seen.add(sid)
        record = {"sentence_id": sid}
        for layer in SHEET_LAYERS:
            raw = cells.get(layer, "")
            record[layer] = lookup[layer].get(raw.casefold()) if raw else None
            if raw and record[layer] is None:
                allowed = ", ".join(dict.fromkeys(lookup[layer].values()))
                problems.append(
                    Problem(shown, number, layer, f"{raw!r} is not a value of {layer} (use one of: {allowed})")
                )
        records.append(record)
    if problems:
        raise DataError(problems)
    return pd.DataFrame(records, columns=["sentence_id", *SHEET_LAYERS])


def _sheet_rows(path: Path, shown: str) -> list[list[str]]:
    """The rows of a sheet file, read with the contract's strict reader."""
    if not path.is_file():
        raise DataError([Problem(shown, None, None, "the sheet does not exist")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError([Problem(shown, None, None, "the sheet is not UTF-8 text; save it as CSV UTF-8")]) from None
    records, found = tokenize(text)
    if found:
        raise DataError([Problem(shown, row, None, f"cell {index + 1}: {message}") for row, index, message in found])
    if not records or not any(cell.strip() for cell in records[0].cells):
        raise DataError([Problem(shown, 1, None, "the sheet is empty")])
    return [record.cells for record in records]


def _values(codebook: pd.DataFrame) -> dict[str, dict[str, str]]:
    """For each sheet layer: every value and every label, case-folded, -> the value."""
    lookup = {}
    for layer in SHEET_LAYERS:
        entries = codebook[codebook["layer"] == layer]
        lookup[layer] = {str(v).casefold(): v for v in entries["value"]} | {
            str(name).casefold(): v for name, v in zip(entries["label"], entries["value"])
        }
    return lookup


def cohen_kappa(a: list, b: list) -> float:
    """Cohen's kappa for two coders' values of the same items: (p_o - p_e) / (1 - p_e).

    p_o is the share of items on which they agree; p_e the agreement expected by chance, from each
    coder's own frequencies. NaN when p_e is 1 (both used one and the same value throughout),
    where kappa is undefined.
    """
    if len(a) != len(b) or not a:
        raise ValueError("kappa needs two equally long, non-empty lists of values")
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    values = set(a) | set(b)
    expected = sum((a.count(v) / n) * (b.count(v) / n) for v in values)
    if math.isclose(expected, 1.0):
        return math.nan
    return (observed - expected) / (1 - expected)


@dataclass
class Agreement:
    """Per layer (rows of ``summary``): sentences compared, percent agreement and kappa; and the
    disagreements, one row per sentence and layer (rows labelled by sentence ID)."""

    summary: pd.DataFrame
    disagreements: pd.DataFrame


def agreement(sheet: pd.DataFrame, article: CodedArticle, reference: pd.DataFrame | None = None) -> Agreement:
    """Compare a sheet (from :func:`read_sheet`) with the module's coding, layer by layer.

    Only sentences both sides coded count for a layer. ``reference`` is another sheet (a
    classmate's); without it the sheet is compared with the module's coding
    (:func:`~.coding.coded_sentences`), and each disagreement carries the module's note.
    """
    use_module = reference is None
    reference = coded_sentences(article) if use_module else reference
    module = reference.set_index("sentence_id")
    notes = article.coding.set_index("code_id")["note"] if use_module else None
    rows, diffs = [], []
    for layer in SHEET_LAYERS:
        coded = sheet.dropna(subset=[layer])
        coded = coded[coded["sentence_id"].map(module[layer]).notna()]
        yours = list(coded[layer])
        theirs = [module.loc[s, layer] for s in coded["sentence_id"]]
        n = len(yours)
        rows.append(
            {
                "layer": layer,
                "sentences": n,
                "agreement_pct": round(100 * sum(x == y for x, y in zip(yours, theirs)) / n, 1) if n else math.nan,
                "kappa": round(cohen_kappa(yours, theirs), 2) if n else math.nan,
            }
        )
        for sid, x, y in zip(coded["sentence_id"], yours, theirs):
            if x != y:
                note = None
                if notes is not None and f"{sid}-{layer}" in notes.index:
                    note = notes[f"{sid}-{layer}"]
                diffs.append({"sentence_id": sid, "layer": layer, "yours": x, "module": y, "module_note": note})
    # Display-ready: rows labelled by layer (or sentence) and the label named on the columns axis,
    # so that a rendered table has no empty header cell.
    summary = pd.DataFrame(rows).set_index("layer").rename_axis(index=None, columns="layer")
    columns = ["sentence_id", "layer", "yours", "module", "module_note"]
    disagreements = (
        pd.DataFrame(diffs, columns=columns).set_index("sentence_id").rename_axis(index=None, columns="sentence")
    )
    return Agreement(summary, disagreements)
