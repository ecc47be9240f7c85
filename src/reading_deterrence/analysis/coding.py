"""The coded article: who speaks, through whom, how, and what kind of claim, sentence by sentence.

The coding lives in ``data/coding.csv`` (long format) and its layers and values in
``data/codebook.csv``. This module turns them into what pages and labs need, checks the rules the
tables cannot express on their own, and compares a student's coding sheet with the module's.

Sentence layers (speaker, quotation, claim kind, verifiability) take exactly one value per
sentence; span layers (attribution, quote, loaded) mark exact words of a sentence, which must
occur once in it and either nest inside or stay clear of the sentence's other spans.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..contract import DataError, Problem, data_files, display_path, load

#: The sentence layers a student codes on the coding sheet, in sheet order.
SHEET_LAYERS = ["speaker", "quotation", "claim_kind", "verifiability"]


def sentence_layers(codebook: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(codebook.loc[codebook["scope"] == "sentence", "layer"]))


def span_layers(codebook: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(codebook.loc[codebook["scope"] == "span", "layer"]))


def coded_sentences(package: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per sentence: ID, paragraph, role, text, word count and each sentence layer's value."""
    sentences = load("article_sentences", package)
    coding = load("coding", package)
    codebook = load("codebook", package)
    wide = (
        coding[coding["layer"].isin(sentence_layers(codebook))]
        .pivot(index="sentence_id", columns="layer", values="value")
        .reset_index()
    )
    out = sentences.merge(wide, on="sentence_id", how="left")
    out["words"] = out["text"].str.split().str.len().astype("Int64")
    return out


def spans(package: str | os.PathLike | None = None) -> pd.DataFrame:
    """The span codes, with the start and end offsets of each span in its sentence."""
    sentences = load("article_sentences", package).set_index("sentence_id")["text"]
    coding = load("coding", package)
    codebook = load("codebook", package)
    out = coding[coding["layer"].isin(span_layers(codebook))].copy()
    out["start"] = [sentences[s].find(span) for s, span in zip(out["sentence_id"], out["span"])]
    out["end"] = out["start"] + out["span"].str.len()
    return out.reset_index(drop=True)


def check_coding(package: str | os.PathLike | None = None) -> list[Problem]:
    """Rules beyond the data contract; returns the problems, located in ``coding.csv`` (empty
    when all hold).

    - every sentence has exactly one value for each sentence layer;
    - sentence layers have no span, span layers have one;
    - every span occurs exactly once in its sentence (so it can be found again);
    - two spans of a sentence either nest or do not overlap.
    """
    sentences = load("article_sentences", package).set_index("sentence_id")["text"]
    coding = load("coding", package)
    codebook = load("codebook", package)
    shown = display_path(data_files(package, "coding")[1])
    rows = {code: number for number, code in enumerate(coding["code_id"], start=2)}
    problems = [
        Problem(shown, None, "sentence_id", message) for message in _one_value_each(sentences, coding, codebook)
    ]
    problems += [
        Problem(shown, rows[code], column, message)
        for code, column, message in _span_rules(sentences, coding, codebook)
    ]
    problems += [Problem(shown, rows[code], "span", message) for code, message in _overlaps(spans(package))]
    return problems


def _one_value_each(sentences: pd.Series, coding: pd.DataFrame, codebook: pd.DataFrame) -> list[str]:
    out = []
    for layer in sentence_layers(codebook):
        counts = coding[coding["layer"] == layer].groupby("sentence_id").size()
        for sid in sentences.index:
            n = int(counts.get(sid, 0))
            if n != 1:
                out.append(f"{sid}: {n} values for sentence layer {layer!r} (exactly one needed)")
    return out


def _span_rules(sentences: pd.Series, coding: pd.DataFrame, codebook: pd.DataFrame) -> list[tuple[str, str, str]]:
    scope = dict(zip(zip(codebook["layer"], codebook["value"]), codebook["scope"]))
    out = []
    for row in coding.itertuples():
        has_span = not pd.isna(row.span)
        if scope[(row.layer, row.value)] == "sentence" and has_span:
            out.append((row.code_id, "span", f"{row.code_id}: a sentence layer has no span"))
        if scope[(row.layer, row.value)] == "span":
            if not has_span:
                out.append((row.code_id, "span", f"{row.code_id}: a span layer needs the exact words it marks"))
                continue
            count = sentences[row.sentence_id].count(row.span)
            if count != 1:
                where = "not in" if count == 0 else f"{count} times in"
                out.append((row.code_id, "span", f"{row.code_id}: span {row.span!r} occurs {where} {row.sentence_id}"))
    return out


def _overlaps(located: pd.DataFrame) -> list[tuple[str, str]]:
    out = []
    for sid, group in located[located["start"] >= 0].groupby("sentence_id"):
        marks = list(group[["start", "end", "code_id"]].itertuples(index=False))
        for i, a in enumerate(marks):
            for b in marks[i + 1 :]:
                overlap = a.start < b.end and b.start < a.end
                nested = (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
                if overlap and not nested:
                    out.append((b.code_id, f"{sid}: spans {a.code_id} and {b.code_id} overlap without nesting"))
    return out


# --- a student's coding sheet, and agreement with the module's coding -----------------------------


def read_sheet(path: str | os.PathLike, package: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read a filled coding sheet; raise :class:`DataError` naming row and column of each problem.

    The sheet needs a ``sentence_id`` column and one column per layer in :data:`SHEET_LAYERS`
    (``text`` and ``notes`` are optional). A cell holds a codebook value (``kim_via_kcna``) or its
    label (``Kim Jong Un → KCNA → reporter``), in any case; an empty cell means "not coded".
    Returns one row per sentence with the values normalised to codebook values.
    """
    path = Path(path)
    shown = path.name
    codebook = load("codebook", package)
    known_ids = set(load("article_sentences", package)["sentence_id"])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError([Problem(shown, None, None, "the sheet is not UTF-8 text; save it as CSV UTF-8")]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise DataError([Problem(shown, 1, None, "the sheet is empty")])
    header = [h.strip() for h in rows[0]]
    missing = [c for c in ["sentence_id", *SHEET_LAYERS] if c not in header]
    if missing:
        raise DataError(
            [
                Problem(shown, 1, c, "missing column (the sheet needs: sentence_id, " + ", ".join(SHEET_LAYERS) + ")")
                for c in missing
            ]
        )
    lookup = {}
    for layer in SHEET_LAYERS:
        entries = codebook[codebook["layer"] == layer]
        lookup[layer] = {str(v).casefold(): v for v in entries["value"]} | {
            str(name).casefold(): v for name, v in zip(entries["label"], entries["value"])
        }
    problems: list[Problem] = []
    records = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (c.strip() for c in row)))
        sid = cells.get("sentence_id", "")
        if sid not in known_ids:
            problems.append(Problem(shown, number, "sentence_id", f"unknown sentence ID {sid!r}"))
            continue
        if sid in seen:
            problems.append(Problem(shown, number, "sentence_id", f"sentence {sid} appears twice"))
            continue
        seen.add(sid)
        record = {"sentence_id": sid}
        for layer in SHEET_LAYERS:
            raw = cells.get(layer, "")
            if not raw:
                record[layer] = None
            elif raw.casefold() in lookup[layer]:
                record[layer] = lookup[layer][raw.casefold()]
            else:
                allowed = ", ".join(codebook.loc[codebook["layer"] == layer, "value"])
                problems.append(
                    Problem(shown, number, layer, f"{raw!r} is not a value of {layer} (use one of: {allowed})")
                )
        records.append(record)
    if problems:
        raise DataError(problems)
    return pd.DataFrame(records, columns=["sentence_id", *SHEET_LAYERS])


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


def agreement(sheet: pd.DataFrame, reference: pd.DataFrame | None = None, package=None) -> Agreement:
    """Compare a sheet (from :func:`read_sheet`) with the module's coding, layer by layer.

    Only sentences the student coded count for a layer. ``reference`` defaults to the module's
    coding (:func:`coded_sentences`).
    """
    use_module = reference is None
    reference = coded_sentences(package) if use_module else reference
    module = reference.set_index("sentence_id")
    notes = load("coding", package).set_index("code_id")["note"] if use_module else None
    rows, diffs = [], []
    for layer in SHEET_LAYERS:
        coded = sheet.dropna(subset=[layer])
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
