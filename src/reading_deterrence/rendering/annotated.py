"""The annotated article: the coded article with layers a reader switches on and off.

Built at build time from ``data/`` as plain HTML:

- the layers are native checkboxes, and CSS (``:has()``) shows a layer's marks when its box is
  ticked, so the view works by mouse and by keyboard with no JavaScript at all;
- every mark has a visible text label as well as a colour and a line style (colour is never the
  only signal), and a legend lists what each mark means;
- under each sentence a ``<details>`` element holds all its codes, with the notes that explain
  debatable calls;
- where ``:has()`` is not supported the text simply reads unmarked, and the page's coding table
  (a plain HTML table) carries the same information.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass

import pandas as pd

from ..analysis.coding import CodedArticle, coded_sentences
from ..contract import load
from .base import HELD_BACK, HeldBack

#: The switchable layers: (key, checkbox label, the codebook layers it shows).
LAYERS = [
    ("speaker", "Who speaks", ["speaker"]),
    ("attribution", "Attribution verbs", ["attribution"]),
    ("quotation", "Quotation", ["quotation", "quote"]),
    ("loaded", "Loaded language", ["loaded"]),
    ("claim", "Claim kind and verifiability", ["claim_kind", "verifiability"]),
]

#: Layers drawn on the text, which get a sample of their mark in the legend (the others are tags).
SWATCHES = {"speaker", "attribution", "quote", "loaded"}

#: Nesting order for marks covering the same words: the first is outermost.
PRIORITY = {"attribution": 0, "quote": 1, "loaded": 2}

esc = html.escape


@dataclass
class Mark:
    start: int
    end: int
    layer: str
    value: str
    label: str

    def key(self) -> tuple:
        return (self.start, -self.end, PRIORITY[self.layer])

    def contains(self, other: Mark) -> bool:
        return self.start <= other.start and other.end <= self.end and self.key() < other.key()

    def open(self) -> str:
        tag = "mark" if self.layer == "loaded" else "span"
        stance = f' data-stance="{esc(self.label)}"' if self.layer == "attribution" else ""
        return f'<{tag} class="rd-m rd-m-{self.layer}" data-value="{esc(self.value)}"{stance}>'

    def close(self) -> str:
        tag = "mark" if self.layer == "loaded" else "span"
        group = "quotation" if self.layer == "quote" else self.layer
        return f'<span class="rd-tag rd-tag-{group}">{esc(self.label)}</span></{tag}>'


def mark_up(text: str, marks: list[Mark], start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` as HTML with ``marks`` (which nest or are disjoint) wrapped around words."""
    end = len(text) if end is None else end
    inside = [m for m in marks if start <= m.start and m.end <= end]
    top = sorted((m for m in inside if not any(o.contains(m) for o in inside if o is not m)), key=Mark.key)
    out, pos = [], start
    for mark in top:
        out.append(esc(text[pos : mark.start]))
        nested = [m for m in inside if mark.contains(m)]
        out.append(mark.open() + mark_up(text, nested, mark.start, mark.end) + mark.close())
        pos = mark.end
    out.append(esc(text[pos:end]))
    return "".join(out)


def annotated_article_html(
    package: str | os.PathLike | None = None, article_href: str = "article.html", held_back: HeldBack | None = None
) -> str:
    """The whole annotated view as one HTML fragment. ``article_href`` is the article page's URL
    relative to the page the view is on (sentence IDs link to the sentence there).

    A sentence in ``held_back.sentences`` shows its text with no mark, tag or code, and the note
    ``held_back.sentences_note``; the legends list only the values the shown sentences use."""
    held = held_back.sentences if held_back else frozenset()
    book = load("codebook", package)
    label = dict(zip(zip(book["layer"], book["value"]), book["label"]))
    stance = dict(zip(zip(book["layer"], book["value"]), book["stance"]))
    coding = load("coding", package)
    shown = coding[~coding["sentence_id"].isin(held)]
    used = set(zip(shown["layer"], shown["value"]))
    parts = ['<div class="rd-annot">', *_switches(), *_legends(book, used, label, stance), '<ol class="rd-annot-list">']
    for row in coded_sentences(CodedArticle.load(package)).itertuples():
        if row.sentence_id in held:
            parts += _held_sentence(row, held_back.sentences_note, article_href)
            continue
        codes = coding[coding["sentence_id"] == row.sentence_id]
        parts += _sentence(row, codes, label, stance, article_href)
    parts.append("</ol></div>")
    return "\n".join(parts)


def _held_sentence(row, note: str, article_href: str) -> list[str]:
    """A sentence whose codes are held back: its ID, its plain text and the note."""
    sid = row.sentence_id
    role = "" if row.role == "body" else f' <span class="rd-as-role">{esc(row.role)}</span>'
    return [
        f'<li class="rd-as rd-as-held" id="annotated-{sid}">',
        f'<p class="rd-as-head"><a class="rd-as-id" href="{esc(article_href)}#{sid}">{sid}</a>{role} '
        f'<span class="rd-held-back">{esc(HELD_BACK.capitalize())}</span></p>',
        f'<p class="rd-as-text">{esc(row.text)}</p>',
        f'<p class="rd-held-note">{esc(note[:1].upper() + note[1:])}</p>',
        "</li>",
    ]


def _switches() -> list[str]:
    """The checkboxes that switch the layers on and off."""
    parts = ['<fieldset class="rd-layers"><legend>Show these layers on the article</legend>']
    for key, title, _ in LAYERS:
        parts.append(
            f'<label class="rd-layer-switch"><input type="checkbox" id="rd-layer-{key}" name="rd-layer" '
            f'value="{key}"> {esc(title)}</label>'
        )
    parts.append("</fieldset>")
    return parts


def _legends(book: pd.DataFrame, used: set, label: dict, stance: dict) -> list[str]:
    """A legend per layer: the values the coding uses, with a sample of each mark."""
    parts = ['<div class="rd-legends" aria-live="polite">']
    for key, title, layers in LAYERS:
        items = []
        for layer in layers:
            for value in book.loc[book["layer"] == layer, "value"]:
                if (layer, value) not in used:
                    continue
                extra = f" ({stance[(layer, value)]})" if not pd.isna(stance[(layer, value)]) else ""
                swatch = (
                    f'<span class="rd-swatch rd-sw-{layer}" data-value="{esc(value)}" aria-hidden="true"></span>'
                    if layer in SWATCHES
                    else ""
                )
                items.append(f"<li>{swatch}{esc(label[(layer, value)])}{esc(extra)}</li>")
        parts.append(
            f'<div class="rd-legend rd-legend-{key}"><p class="rd-legend-title">{esc(title)}:</p>'
            f"<ul>{''.join(items)}</ul></div>"
        )
    parts.append("</div>")
    return parts


def _sentence(row, codes: pd.DataFrame, label: dict, stance: dict, article_href: str) -> list[str]:
    """One sentence of the view: its tags, its marked text, and all its codes folded below."""
    sid = row.sentence_id
    marks = []
    for code in codes[codes["span"].notna()].itertuples():
        start = row.text.find(code.span)
        tag = f"{stance[(code.layer, code.value)]}" if code.layer == "attribution" else label[(code.layer, code.value)]
        marks.append(Mark(start, start + len(code.span), code.layer, code.value, tag))
    claim = f"{label[('claim_kind', row.claim_kind)]} · {label[('verifiability', row.verifiability)]}"
    role = "" if row.role == "body" else f' <span class="rd-as-role">{esc(row.role)}</span>'
    parts = [
        f'<li class="rd-as" id="annotated-{sid}" data-speaker="{esc(row.speaker)}" '
        f'data-quotation="{esc(row.quotation)}" data-claim="{esc(row.claim_kind)}" '
        f'data-verifiability="{esc(row.verifiability)}">',
        f'<p class="rd-as-head"><a class="rd-as-id" href="{esc(article_href)}#{sid}">{sid}</a>{role} '
        f'<span class="rd-tag rd-tag-speaker">{esc(label[("speaker", row.speaker)])}</span> '
        f'<span class="rd-tag rd-tag-quotation">{esc(label[("quotation", row.quotation)])}</span> '
        f'<span class="rd-tag rd-tag-claim">{esc(claim)}</span></p>',
        f'<p class="rd-as-text">{mark_up(row.text, marks)}</p>',
        f'<details class="rd-as-codes"><summary>All codes for {sid}</summary><dl>',
    ]
    for code in codes.itertuples():
        value = esc(label[(code.layer, code.value)])
        if not pd.isna(code.span):
            value += f": “{esc(code.span)}”"
        note = "" if pd.isna(code.note) else f'<br><span class="rd-note">{esc(code.note)}</span>'
        parts.append(f"<dt>{esc(code.layer.replace('_', ' ').capitalize())}</dt><dd>{value}{note}</dd>")
    parts.append("</dl></details></li>")
    return parts
