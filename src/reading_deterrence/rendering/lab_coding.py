"""The in-page coding lab (``{coding-lab}``): code the article in the browser, or load a filled
sheet, and see percent agreement and Cohen's kappa against the module's coding or a classmate's.

Everything here is pure: from the data package it builds

- :func:`lab_data`, the JSON-able dict the page's script (``lab-coding.js``) computes from: the
  sentences (with their word counts, counted as :func:`~..analysis.coding.coded_sentences`
  counts them), the sheet layers with the codebook's values and labels, the module's coding and
  its notes. The sentences an edition holds back (``held_back.sentences``) are coded by the
  student but their module codes and notes are not exported at all;
- :func:`fallback_html`, what shows without JavaScript: the module's coding as a table (without
  the held-back sentences) and a sentence saying the lab needs JavaScript;
- :func:`lab_html`, the whole block: the fallback, the lab's controls (hidden until the script
  starts) and the data, inline, so that the page works from ``file://`` with no request.

The script is the in-page twin of :func:`~..analysis.agreement.read_sheet` and
:func:`~..analysis.agreement.agreement`, which stay the reference: the tests hold the two to the
same numbers and the same error messages.
"""

from __future__ import annotations

import html
import os

from ..analysis.coding import SHEET_LAYERS, CodedArticle, coded_sentences
from .base import HeldBack
from .coding import SHEET_TITLES
from .text import json_script

__all__ = ["COLUMNS", "STORAGE_KEY", "fallback_html", "lab_data", "lab_html"]

#: Where the page keeps a student's work (the browser's local storage).
STORAGE_KEY = "rd-lab-coding-v1"
#: The columns of a sheet the page writes: the example sheet's.
COLUMNS = ["sentence_id", *SHEET_LAYERS, "notes"]
#: The ID of the data's <script> element.
DATA_ID = "rd-lab-coding-data"


def esc(text: str) -> str:
    """Text for an element's content (quotes stay as they are)."""
    return html.escape(text, quote=False)


def _held(held_back: HeldBack | None) -> frozenset[str]:
    return held_back.sentences if held_back else frozenset()


def _listed(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} and {ids[-1]}"


def lab_data(package: str | os.PathLike | None = None, held_back: HeldBack | None = None) -> dict:
    """What the page's script needs (see the module docstring); the module's codes and notes
    of ``held_back.sentences`` are left out."""
    held = _held(held_back)
    article = CodedArticle.load(package)
    wide = coded_sentences(article)
    book = article.codebook
    layers = [
        {
            "name": layer,
            "title": SHEET_TITLES.get(layer, layer),
            "values": [[v, label] for v, label in book.loc[book["layer"] == layer, ["value", "label"]].values],
        }
        for layer in SHEET_LAYERS
    ]
    module = {
        row.sentence_id: [getattr(row, layer) for layer in SHEET_LAYERS]
        for row in wide.itertuples()
        if row.sentence_id not in held and all(isinstance(getattr(row, layer), str) for layer in SHEET_LAYERS)
    }
    coding = article.coding
    notes = {
        row.code_id: row.note
        for row in coding.itertuples()
        if row.layer in SHEET_LAYERS and row.sentence_id not in held and isinstance(row.note, str) and row.note
    }
    return {
        "storageKey": STORAGE_KEY,
        "columns": COLUMNS,
        "layers": layers,
        "sentences": [[row.sentence_id, row.text, int(row.words)] for row in wide.itertuples()],
        "module": module,
        "notes": notes,
        "held": sorted(held & set(wide["sentence_id"])),
    }


def _held_sentence(held: list[str]) -> str:
    return (
        f"The module's coding of {_listed(held)} is not on this page: you code "
        f"{'this sentence' if len(held) == 1 else 'these sentences'} yourself in the coding activities, "
        "and your class compares them with the module's coding together."
    )


def fallback_html(package: str | os.PathLike | None = None, held_back: HeldBack | None = None) -> str:
    """Without JavaScript: a sentence saying so, and the module's coding as a table (labels, one
    row per sentence; the held-back sentences left out, with a sentence saying why)."""
    return _fallback(lab_data(package, held_back))


def _fallback(data: dict) -> str:
    labels = {layer["name"]: dict(layer["values"]) for layer in data["layers"]}
    head = "".join(f'<th scope="col">{esc(layer["title"])}</th>' for layer in data["layers"])
    rows = []
    for sid, _text, _words in data["sentences"]:
        if sid not in data["module"]:
            continue
        cells = "".join(
            f"<td>{esc(labels[layer][value])}</td>" for layer, value in zip(SHEET_LAYERS, data["module"][sid])
        )
        rows.append(f'<tr><th scope="row">{esc(sid)}</th>{cells}</tr>')
    parts = [
        '<div class="rd-lab-fallback">',
        '<p class="rd-lab-nojs"><strong>The interactive lab on this page needs JavaScript</strong>, which is '
        "off or not available in this browser. You can still compare your sheet with the module's coding by "
        "hand: it is in the table below.</p>",
        '<div class="rd-lab-scroll" tabindex="0" role="region" aria-label="The module\'s coding (scrolls sideways)">',
        '<table class="rd-lab-table"><caption>The module\'s coding, sentence by sentence</caption>',
        f'<thead><tr><th scope="col">Sentence</th>{head}</tr></thead>',
        f"<tbody>{''.join(rows)}</tbody></table></div>",
    ]
    if data["held"]:
        parts.append(f"<p>{esc(_held_sentence(data['held']))}</p>")
    parts.append("</div>")
    return "\n".join(parts)


def lab_html(
    package: str | os.PathLike | None = None,
    held_back: HeldBack | None = None,
    codebook_href: str | None = None,
) -> str:
    """The whole lab: fallback, controls (``hidden`` until ``lab-coding.js`` starts) and data.
    ``codebook_href``: where the codebook page is, relative to this page (a link, if given)."""
    data = lab_data(package, held_back)
    codebook = f'<a href="{html.escape(codebook_href)}">codebook</a>' if codebook_href else "codebook"
    held_note = ""
    if data["held"]:
        held_note = (
            f'<p class="rd-lab-held">{esc(_held_sentence(data["held"]))} You can code them here: they go '
            "into your downloaded sheet and into a comparison with a classmate, but not into the comparison "
            "with the module.</p>"
        )
    ui = f"""<div class="rd-lab-ui" hidden>
<h3 id="rd-lab-coding-code" class="rd-lab-noprint">Code the sentences here</h3>
<p class="rd-lab-noprint">For each sentence, choose one value on each layer (the {codebook} explains them); leave
“not coded” where you cannot decide, and say why in the notes. Your choices are kept in this browser
as you go: they are still here after a reload, and they are sent nowhere.</p>
<div class="rd-lab-sentences"></div>
<p class="rd-lab-actions"><button type="button" data-rd-action="compare">Compare with the module's coding</button></p>
<h3 id="rd-lab-coding-load" class="rd-lab-noprint">Or load a filled sheet</h3>
<p class="rd-lab-noprint">A sheet saved from a spreadsheet as CSV (UTF-8), with the columns sentence_id, speaker,
quotation, claim_kind and verifiability; a cell may hold a value or its label, and other columns
are ignored. Loading a sheet replaces what you coded on this page.</p>
<p class="rd-lab-file"><label for="rd-lab-coding-mine">Your filled coding sheet (CSV)</label>
<input type="file" id="rd-lab-coding-mine" accept=".csv,text/csv" data-rd-file="mine"></p>
<div class="rd-lab-problems" data-rd-problems="mine" hidden></div>
<p class="rd-lab-actions"><button type="button" data-rd-action="download">Download my sheet (CSV)</button>
<button type="button" data-rd-action="erase">Erase my work</button></p>
<p class="rd-lab-noprint"><strong>Erase my work</strong> clears every choice and note on this page and removes
them from this browser's storage at once, with no second question: download your sheet first if you want
to keep it.</p>
<p class="rd-lab-status" role="status" aria-live="polite"></p>
<h3 id="rd-lab-coding-results" tabindex="-1">Your sheet against the module's coding</h3>
{held_note}
<div class="rd-lab-results" data-rd-results="module"></div>
<h3 id="rd-lab-coding-classmate">Compare with a classmate</h3>
<p>Load a classmate's filled sheet (their download from this page, or their spreadsheet saved as
CSV). Only the sentences you both coded count, layer by layer; the sheets decide nothing about who
is right.</p>
<p class="rd-lab-file"><label for="rd-lab-coding-theirs">Your classmate's sheet (CSV)</label>
<input type="file" id="rd-lab-coding-theirs" accept=".csv,text/csv" data-rd-file="theirs"></p>
<div class="rd-lab-problems" data-rd-problems="theirs" hidden></div>
<div class="rd-lab-results" data-rd-results="theirs"></div>
<h3 id="rd-lab-coding-voices">Each voice in your sheet</h3>
<div class="rd-lab-results" data-rd-results="voices"></div>
</div>"""
    return "\n".join(
        [
            '<div class="rd-lab-coding">',
            _fallback(data),
            ui,
            json_script(data, DATA_ID),
            "</div>",
        ]
    )
