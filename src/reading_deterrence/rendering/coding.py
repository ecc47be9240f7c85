"""Views of the coded article: the codebook, the module's coding as a table, the printable coding sheet."""

from __future__ import annotations

import os

import pandas as pd

from ..analysis.coding import SHEET_LAYERS, CodedArticle, coded_sentences
from ..contract import data_files, load
from .base import HELD_BACK, HeldBack, View
from .text import escape

__all__ = ["WORKSHEET_LAYERS", "codebook", "coding_sheet", "coding_table", "coding_worksheet", "layer_title"]


#: The layers of the paper coding worksheet (the lesson on coding uses two layers, so that it fits).
WORKSHEET_LAYERS = {"speaker": "Speaker", "claim_kind": "Kind of claim"}


def _quote_sentence(sentences: pd.Series, sid: str) -> str:
    return f"{{sentence}}`{sid}`, {escape(sentences[sid])}"


def layer_title(layer: str) -> str:
    """``claim_kind`` -> ``Claim kind``."""
    return layer.replace("_", " ").capitalize()


def codebook(package: str | os.PathLike | None = None) -> View:
    """The codebook: per layer, every value with its definition, decision rule and example."""
    book = load("codebook", package)
    sentences = load("article_sentences", package).set_index("sentence_id")["text"]
    lines: list[str] = []
    labels: dict[str, str] = {}
    for layer, values in book.groupby("layer", sort=False):
        title = layer_title(layer)
        labels[title] = f"codebook-{layer.replace('_', '-')}"
        scope = values["scope"].iloc[0]
        lines += [f"## {title}", ""]
        lines.append(
            "*A sentence layer: every sentence gets exactly one of these values.*"
            if scope == "sentence"
            else "*A span layer: it marks the exact words of a sentence, as often as they occur.*"
        )
        lines.append("")
        for row in values.itertuples():
            lines.append(f"**{escape(row.label)}** (`{row.value}`)")
            detail = [escape(row.definition)]
            if not pd.isna(row.stance):
                detail.append(f"*Stance:* {row.stance}.")
            lines.append(": " + " ".join(detail))
            lines.append("")
            lines.append(f"  *Decision rule:* {escape(row.decision_rule)}")
            lines.append("")
            if not pd.isna(row.example_sentence_id):
                lines.append(f"  *Example:* {_quote_sentence(sentences, row.example_sentence_id)}")
                lines.append("")
    return View("\n".join(lines), data_files(package, "codebook", "article_sentences"), labels)


def coding_table(package: str | os.PathLike | None = None, held_back: HeldBack | None = None) -> View:
    """The module's coding as one readable table: a row per sentence, its values and its spans.

    The sentences in ``held_back.sentences`` keep their row, with every cell but the ID saying
    "held back", and the note ``held_back.sentences_note`` follows the table."""
    held = held_back.sentences if held_back else frozenset()
    book = load("codebook", package)
    label = dict(zip(zip(book["layer"], book["value"]), book["label"]))
    wide = coded_sentences(CodedArticle.load(package))
    coding = load("coding", package)
    span_rows = coding[coding["span"].notna()]
    lines = [
        ":::{list-table} The module's coding of every sentence",
        ":header-rows: 1",
        ":widths: 10 18 14 16 16 26",
        ":class: rd-coding-table",
        "",
        "* - Sentence",
        *[f"  - {layer_title(layer)}" for layer in SHEET_LAYERS],
        "  - Marked words",
    ]
    for row in wide.itertuples():
        marked = span_rows[span_rows["sentence_id"] == row.sentence_id]
        words = "; ".join(
            f"{layer_title(r.layer)} ({escape(label[(r.layer, r.value)])}): “{escape(r.span)}”"
            for r in marked.itertuples()
        )
        lines += [f"* - {{sentence}}`{row.sentence_id}`"]
        if row.sentence_id in held:
            lines += [f"  - *{HELD_BACK}*"] * (len(SHEET_LAYERS) + 1)
            continue
        lines += [f"  - {escape(label[(layer, getattr(row, layer))])}" for layer in SHEET_LAYERS]
        lines += [f"  - {words or 'none'}"]
    lines += [":::", ""]
    if held:
        lines += [f"*{HELD_BACK.capitalize()}:* {held_back.sentences_note}", ""]
    return View("\n".join(lines), data_files(package, "coding", "codebook", "article_sentences"))


def coding_sheet(package: str | os.PathLike | None = None) -> View:
    """The printable coding sheet: every sentence, with an empty cell for each sentence layer."""
    sentences = load("article_sentences", package)
    book = load("codebook", package)
    lines = []
    for layer in SHEET_LAYERS:
        values = ", ".join(f"`{v}`" for v in book.loc[book["layer"] == layer, "value"])
        lines += [layer_title(layer), f": {values}", ""]
    lines += [
        ":::{list-table} Coding sheet",
        ":header-rows: 1",
        ":widths: 9 43 12 12 12 12",
        ":class: rd-coding-sheet",
        "",
        "* - ID",
        "  - Sentence",
        *[f"  - {layer_title(layer)}" for layer in SHEET_LAYERS],
    ]
    for row in sentences.itertuples():
        lines += [f"* - `{row.sentence_id}`", f"  - {escape(row.text)}", *(["  - \u00a0"] * len(SHEET_LAYERS))]
    lines += [":::", ""]
    return View("\n".join(lines), data_files(package, "article_sentences", "codebook"))


def coding_worksheet(package: str | os.PathLike | None = None) -> View:
    """The paper coding worksheet: a short codebook for the speaker and claim-kind layers (each
    value's label and decision rule; not the codebook's examples, which are answers), then every
    sentence with an empty cell per layer and a notes column."""
    sentences = load("article_sentences", package)
    book = load("codebook", package)
    lines: list[str] = []
    for layer, title in WORKSHEET_LAYERS.items():
        lines += [f"**{title}:** write one of these values for each sentence.", ""]
        for row in book[book["layer"] == layer].itertuples():
            lines.append(f"`{row.value}`, {escape(row.label)}")
            lines.append(f": {escape(row.decision_rule)}")
            lines.append("")
    lines += [
        ":::{list-table} Coding worksheet",
        ":header-rows: 1",
        ":widths: 8 50 13 13 16",
        ":class: rd-worksheet rd-coding-worksheet",
        "",
        "* - ID",
        "  - Sentence",
        *[f"  - {title}" for title in WORKSHEET_LAYERS.values()],
        "  - Notes",
    ]
    for row in sentences.itertuples():
        lines += [f"* - `{row.sentence_id}`", f"  - {escape(row.text)}"]
        lines += ["  - \u00a0"] * (len(WORKSHEET_LAYERS) + 1)
    lines += [":::", ""]
    return View("\n".join(lines), data_files(package, "article_sentences", "codebook"))
