"""Views of the coded article: the codebook, the module's coding as a table, the printable coding sheet."""

from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd

from ..analysis.coding import SHEET_LAYERS, CodedArticle, coded_sentences
from ..contract import data_files, load
from .base import HELD_BACK, HeldBack, View
from .text import escape

__all__ = [
    "SHEET_TITLES",
    "WORKSHEET_LAYERS",
    "codebook",
    "coding_sheet",
    "coding_table",
    "coding_worksheet",
    "layer_title",
]


#: The layers of the paper coding worksheet by default (two, so that every sentence fits), with
#: their column titles.
WORKSHEET_LAYERS = {"speaker": "Speaker", "claim_kind": "Kind of claim"}
#: The column title of every sheet layer, for a worksheet that asks for other layers.
SHEET_TITLES = {
    "speaker": "Speaker",
    "quotation": "Quotation",
    "claim_kind": "Kind of claim",
    "verifiability": "Verifiability",
}


def _quote_sentence(sentences: pd.Series, sid: str) -> str:
    return f"{{sentence}}`{sid}`, {escape(sentences[sid])}"


def layer_title(layer: str) -> str:
    """``claim_kind`` -> ``Claim kind``."""
    return layer.replace("_", " ").capitalize()


def codebook(package: str | os.PathLike | None = None, held_back: HeldBack | None = None) -> View:
    """The codebook: per layer, every value with its definition, decision rule and example.

    A value whose example is one of ``held_back.sentences`` shows no example (it would say how the
    module codes that sentence: an attribution verb's example names the words that tell whose
    account it is), and a note after the codebook says so."""
    held = held_back.sentences if held_back else frozenset()
    book = load("codebook", package)
    sentences = load("article_sentences", package).set_index("sentence_id")["text"]
    lines: list[str] = []
    if held and book["example_sentence_id"].isin(held).any():
        lines += [
            f"*{HELD_BACK.capitalize()}:* where the module's example of a value is one of the sentences you code "
            "yourself in the coding activities, this edition shows no example. The teacher edition has them.",
            "",
        ]
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
            if not pd.isna(row.example_sentence_id) and row.example_sentence_id not in held:
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


def coding_worksheet(
    package: str | os.PathLike | None = None,
    *,
    sentences: Iterable[str] | None = None,
    layers: Iterable[str] | None = None,
) -> View:
    """The paper coding worksheet: a short codebook for its layers (each value's label and decision
    rule; not the codebook's examples, which are answers), then the sentences with an empty cell
    per layer and a notes column.

    By default: every sentence, on the speaker and claim-kind layers (:data:`WORKSHEET_LAYERS`).
    ``sentences`` (IDs) keeps only those sentences, in the article's order; ``layers`` (names from
    :data:`SHEET_TITLES`) asks for those layers, in that order. An unknown ID or layer is a
    ``KeyError`` naming it."""
    table = load("article_sentences", package)
    book = load("codebook", package)
    titles = _worksheet_titles(layers)
    if sentences is not None:
        wanted = list(sentences)
        unknown = sorted(set(wanted) - set(table["sentence_id"]))
        if unknown:
            raise KeyError(f"no sentence {', '.join(unknown)} in the article")
        table = table[table["sentence_id"].isin(wanted)]
    lines: list[str] = []
    for layer, title in titles.items():
        lines += [f"**{title}:** write one of these values for each sentence.", ""]
        for row in book[book["layer"] == layer].itertuples():
            lines.append(f"`{row.value}`, {escape(row.label)}")
            lines.append(f": {escape(row.decision_rule)}")
            lines.append("")
    # the sentence column takes what the layers and the notes leave (50 with the default two)
    layer_width, notes_width = 13, 16
    sentence_width = 100 - 8 - layer_width * len(titles) - notes_width
    lines += [
        ":::{list-table} Coding worksheet",
        ":header-rows: 1",
        f":widths: 8 {sentence_width} {' '.join([str(layer_width)] * len(titles))} {notes_width}",
        ":class: rd-worksheet rd-coding-worksheet",
        "",
        "* - ID",
        "  - Sentence",
        *[f"  - {title}" for title in titles.values()],
        "  - Notes",
    ]
    for row in table.itertuples():
        lines += [f"* - `{row.sentence_id}`", f"  - {escape(row.text)}"]
        lines += ["  - \u00a0"] * (len(titles) + 1)
    lines += [":::", ""]
    return View("\n".join(lines), data_files(package, "article_sentences", "codebook"))


def _worksheet_titles(layers: Iterable[str] | None) -> dict[str, str]:
    """The worksheet's layers and their column titles; ``KeyError`` for a layer it cannot ask for."""
    if layers is None:
        return dict(WORKSHEET_LAYERS)
    chosen = list(layers)
    unknown = [layer for layer in chosen if layer not in SHEET_TITLES]
    if unknown:
        raise KeyError(f"no sheet layer {', '.join(unknown)}; known: {', '.join(SHEET_TITLES)}")
    return {layer: SHEET_TITLES[layer] for layer in chosen}
