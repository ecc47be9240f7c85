"""The discernment check ("Check yourself"): what its script computes from, its markup, its charts.

From the validated bank (``discernment_items``, checked again by
:func:`~reading_deterrence.analysis.discernment.check_bank`), :func:`discernment_lab` makes:

- ``data``: the JSON the page's script (``lab-discernment.js``) reads: each item's truth,
  explanation and sources, the answer scale, and the thresholds and sentences of
  :func:`~reading_deterrence.analysis.discernment.reading`, so that the page's words are the
  package's;
- ``html``: the items of both forms as plain numbered lists (what the student sees, each chart
  drawn here as SVG), which is the no-JavaScript fallback (printable, with a note that scoring
  needs JavaScript) and which the script turns into the check, adding a six-point radio group
  to each item; the form choice, the controls and the places the results are written, hidden
  until the script starts; and a table of how the forms are matched.

Chart items name a chart spec ``TABLE:MEASURE:VARIANT``; the values come from the table through
:func:`~reading_deterrence.analysis.discernment.chart_values`. The variants (:data:`VARIANTS`):
``fair`` (axis from zero, every category, the unit labelled), ``truncated`` (the same bars from an
axis that starts just below the smallest bar: at the round number (a multiple of 10, or of 1 when
the smallest bar is 10 or less) next below it) and ``cherry`` (the largest bar left out, without
a word).
Each chart's text alternative says what a sighted reader sees (the bars shown, with their values,
and where the axis starts), never whether the chart is fair.

The item order in each form is fixed here (seeded), so that the two items of a pair are never
next to each other. The answers are in the page's data in both editions: the page scores in the
browser.
"""

from __future__ import annotations

import html
import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..analysis.discernment import BIAS, FLAG_FROM, HIGH, KINDS, LOW, SCALE, VERDICTS, chart_values, check_bank, z
from ..analysis.discernment_results import CODE
from ..contract import DataError, Problem, data_files, display_path, load
from .text import json_script

__all__ = ["DATA_ID", "STORAGE_KEY", "VARIANTS", "DiscernmentLab", "chart_svg", "discernment_lab", "item_order"]

#: The browser's local storage key for a student's answers.
STORAGE_KEY = "rd-lab-discernment-v1"
#: The id of the data's <script type="application/json"> element.
DATA_ID = "rd-lab-discernment-data"
VARIANTS = ("fair", "truncated", "cherry")
#: What each form is for on the page, and the phase its result file records.
FORMS = {"A": ("before the unit", "pre"), "B": ("after the unit", "post")}
KIND_NAMES = {
    "quotation": "Quotations: faithful or altered",
    "checkable": "Claims: checkable or not",
    "attribution": "Who said it: a neutral verb or a loaded one",
    "chart": "Charts: fair or misleading",
    "relay": "Sources: the original or a relay",
    "count": "Counts: one rule, or a rule that shifts",
}
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 480, 270, 56, 10, 14, 46


@dataclass
class DiscernmentLab:
    """Everything the ``{discernment-check}`` directive puts on the page (see the module docstring)."""

    data: dict
    html: str
    files: list[Path] = field(default_factory=list)

    def data_script(self) -> str:
        """The data as the page's inline JSON (:func:`~.text.json_script`)."""
        return json_script(self.data, DATA_ID)


# --- charts -------------------------------------------------------------------------------------


def _baseline(values: list[float]) -> int:
    """Where a truncated axis starts (module docstring): 350 -> 340, 26 -> 20, 3 -> 2."""
    low = min(values)
    step = 10 if low > 10 else 1
    return int((math.ceil(low / step) - 1) * step)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _ticks(lo: int, hi: float) -> list[int]:
    """Axis ticks from ``lo`` to just above ``hi``, at most seven, at a round step."""
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if (hi - lo) / s <= 6)
    top = lo + math.ceil((hi - lo) / step) * step
    return list(range(lo, top + 1, step))


def chart_svg(bars: pd.DataFrame, unit: str, variant: str, ident: str, what: str) -> str:
    """A bar chart as inline SVG (a labelled image), ``bars`` from ``chart_values``.

    ``ValueError`` if the variant would not mislead: nothing to truncate (the smallest bar is 1 or
    less), or a single bar to leave out.
    """
    if variant == "cherry":
        if len(bars) < 3:
            raise ValueError("the cherry variant needs at least three bars, to leave the largest out")
        bars = bars.drop(index=bars["value"].idxmax())
    lo = _baseline(list(bars["value"])) if variant == "truncated" else 0
    if variant == "truncated" and lo <= 0:
        raise ValueError("the truncated variant cannot start above zero: the smallest bar is too small")
    values = [float(v) for v in bars["value"]]
    ticks = _ticks(lo, max(values))
    span, plot_w, plot_h = ticks[-1] - lo, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(values)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - (v - lo) / span), 1)

    parts = [
        f'<svg class="rd-dc-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">Bar chart of {html.escape(unit)} by {html.escape(what)}</title>',
        f'<desc id="{ident}-d">{html.escape(_description(bars, unit, ticks))}</desc>',
    ]
    for t in ticks:
        parts.append(f'<line class="rd-dc-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(t)}" y2="{y(t)}"/>')
        parts.append(f'<text class="rd-dc-tick" x="{LEFT - 6}" y="{y(t) + 4}" text-anchor="end">{t}</text>')
    for i, (label, value) in enumerate(zip(bars["label"], values)):
        x = round(LEFT + slot * i + slot * 0.15, 1)
        parts.append(
            f'<rect class="rd-dc-bar" x="{x}" y="{y(value)}" width="{round(slot * 0.7, 1)}" '
            f'height="{round(y(lo) - y(value), 1)}"/>'
        )
        words = str(label).split(" ")
        cx = round(LEFT + slot * (i + 0.5), 1)
        spans = "".join(
            f'<tspan x="{cx}" dy="{0 if j == 0 else 14}">{html.escape(w)}</tspan>' for j, w in enumerate(words)
        )
        parts.append(
            f'<text class="rd-dc-label" x="{cx}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{spans}</text>'
        )
    parts.append(f'<line class="rd-dc-axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(lo)}" y2="{y(lo)}"/>')
    parts.append(f'<line class="rd-dc-axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{y(lo)}"/>')
    middle = TOP + plot_h / 2
    parts.append(
        f'<text class="rd-dc-unit" x="14" y="{middle}" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle})">{html.escape(unit.capitalize())}</text>'
    )
    return "".join(parts) + "</svg>"


def _description(bars: pd.DataFrame, unit: str, ticks: list[int]) -> str:
    shown = "; ".join(f"{name}, {_num(value)}" for name, value in zip(bars["name"], bars["value"]))
    return (
        f"{len(bars)} bars, one for each of: {shown}. "
        f"The vertical axis, {unit}, is marked from {ticks[0]} to {ticks[-1]}."
    )


def _chart(item, package, bank_file: str, row: int) -> str:
    """The SVG of one chart item, or ``DataError`` naming its row in the bank."""
    table, _, rest = item.chart.partition(":")
    measure, _, variant = rest.rpartition(":")
    try:
        if variant not in VARIANTS:
            raise ValueError(f"{variant!r} is not a chart variant (use one of: {', '.join(VARIANTS)})")
        launches = load("launch_events", package), load("launch_reports", package)
        bars, unit, what = chart_values(f"{table}:{measure}", *launches)
        return chart_svg(bars, unit, variant, f"rd-dc-svg-{item.item_id}", what)
    except (KeyError, ValueError) as err:
        message = err.args[0] if err.args else str(err)
        raise DataError([Problem(bank_file, row, "chart", f"{item.chart}: {message}")]) from None


# --- the page -----------------------------------------------------------------------------------


def item_order(bank: pd.DataFrame, form: str) -> list[str]:
    """The items of a form in page order: shuffled with a fixed seed, no pair's items side by side."""
    items = bank[bank["form"] == form]
    pair_of = dict(zip(items["item_id"], items["pair_id"]))
    for attempt in range(1000):
        order = sorted(pair_of)
        random.Random(f"rd-discernment-{form}-{attempt}").shuffle(order)
        if all(pair_of[a] != pair_of[b] for a, b in zip(order, order[1:])):
            return order
    raise ValueError(f"form {form}: no order keeps the two items of each pair apart")  # pragma: no cover


def _item_html(item, number: int, svg: str | None) -> str:
    shows = html.escape(item.shows)
    body = (
        f'<figure class="rd-dc-figure">{svg}<figcaption>{shows}</figcaption></figure>'
        if svg
        else f'<div class="rd-dc-shows"><p>{shows}</p></div>'
    )
    return (
        f'<li class="rd-dc-item" id="rd-dc-{item.item_id}" data-item="{item.item_id}">'
        f'<p class="rd-dc-prompt"><span class="rd-dc-n">Item {number}.</span> {html.escape(item.prompt)}</p>'
        f"{body}</li>"
    )


def _match_table(bank: pd.DataFrame) -> str:
    forms = sorted(FORMS)
    items = bank.groupby(["kind", "form"]).size()
    head = "".join(f'<th scope="col">Form {f} ({FORMS[f][0]})</th>' for f in forms)
    rows = []
    for kind in (k for k in KINDS if k in set(bank["kind"])):
        cells = "".join(f"<td>{int(items.get((kind, f), 0))}</td>" for f in forms)
        rows.append(f'<tr><th scope="row">{KIND_NAMES[kind]}</th>{cells}</tr>')
    for label, values in (
        ("Items in all, half of them sound", bank.groupby("form").size()),
        ("Total difficulty (each item 1 easy, 2 medium or 3 hard)", bank.groupby("form")["difficulty"].sum()),
    ):
        rows.append(f'<tr><th scope="row">{label}</th>{"".join(f"<td>{int(values[f])}</td>" for f in forms)}</tr>')
    return (
        '<div class="rd-dc-scroll"><table class="rd-dc-match"><caption>How the two forms are matched: '
        "items of each kind, and difficulty</caption>"
        f'<thead><tr><th scope="col">Kind of item</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def _controls(most: str) -> str:
    """The controls and the places the results are written, hidden until the script starts
    (long because it is one block of markup)."""
    cells = (
        ("hit_rate", "Hit rate", "The share of the unsound items you flagged."),
        ("false_alarm_rate", "False-alarm rate", "The share of the sound items you flagged: doubting a sound item "
         "is an error too."),
        ("d_prime", "d′ (d-prime): discernment", "How well you told unsound from sound: 0 is guessing (flagging "
         f"everything gives 0), higher is better, at most {most} on this form."),
        ("c", "c: your lean", "Below 0 you lean to doubt, above 0 you lean to trust; near 0 you are balanced."),
        ("auc", "AUC: your confidence", "With how sure you were: the chance that you rated a random unsound item "
         "more doubtfully than a random sound one. 0.5 is guessing, 1 is perfect."),
    )  # fmt: skip
    rows = "".join(
        f'<tr><th scope="row">{name}</th><td data-dc="{key}"></td><td>{means}</td></tr>' for key, name, means in cells
    )
    return "".join(
        [
            '<div class="rd-dc-end" hidden><div class="rd-dc-controls">',
            '<button type="button" class="rd-dc-score">Show my results</button>',
            '<button type="button" class="rd-dc-erase">Erase my answers</button>',
            '<button type="button" class="rd-dc-erase-yes" hidden>Yes, erase all my answers, for both forms</button>',
            '</div><div class="rd-dc-results" hidden>',
            '<h3 id="rd-dc-results-title" tabindex="-1">Your results</h3><p class="rd-dc-reading"></p>',
            '<div class="rd-dc-scroll"><table class="rd-dc-counts">',
            "<caption>Your answers, counted (flagged means rated 4, 5 or 6: maybe, probably or surely unsound)"
            "</caption>",
            '<thead><tr><th scope="col">You</th><th scope="col">Unsound items</th><th scope="col">Sound items</th>'
            '</tr></thead><tbody><tr><th scope="row">flagged it</th>',
            '<td><span data-dc="hits"></span> caught (hits)</td><td><span data-dc="false_alarms"></span> doubted '
            '(false alarms)</td></tr><tr><th scope="row">called it sound</th><td><span data-dc="misses"></span> let '
            'through (misses)</td><td><span data-dc="correct_rejections"></span> trusted (correct)</td></tr>',
            "</tbody></table></div>",
            '<div class="rd-dc-scroll"><table class="rd-dc-scores"><caption>Your scores</caption><thead><tr>'
            '<th scope="col">Score</th><th scope="col">Yours</th><th scope="col">What it means</th></tr></thead>',
            f"<tbody>{rows}</tbody></table></div>",
            '<p class="rd-dc-both" hidden></p>',
            "<p>Under each item you now see its answer, what you said, and why.</p>",
            '<div class="rd-dc-save"><label for="rd-dc-code">Your code for the results file</label>',
            '<input id="rd-dc-code" type="text" autocomplete="off" spellcheck="false" maxlength="40" '
            'aria-describedby="rd-dc-code-help">',
            '<p id="rd-dc-code-help" class="rd-dc-help">The code your teacher gives you, or one you make up and will '
            "remember: 2 to 20 letters, digits, - or _. Never your name or your e-mail address.</p>",
            '<p id="rd-dc-code-error" class="rd-dc-error" hidden></p>',
            '<button type="button" class="rd-dc-download">Download my results (CSV)</button></div>',
            '</div><p class="rd-dc-live visually-hidden" aria-live="polite"></p></div>',
        ]
    )


def _page_html(bank: pd.DataFrame, charts: dict[str, str], most: str) -> str:
    choices = "".join(
        f'<label><input type="radio" name="rd-dc-form" value="{f}"> Form {f}, {label}</label>'
        for f, (label, _) in sorted(FORMS.items())
    )
    sections = []
    by_id = bank.set_index("item_id", drop=False)
    for form, (label, _) in sorted(FORMS.items()):
        items = "".join(
            _item_html(by_id.loc[item], n, charts.get(item)) for n, item in enumerate(item_order(bank, form), start=1)
        )
        sections.append(
            f'<section class="rd-dc-form" data-form="{form}" aria-labelledby="rd-dc-title-{form}">'
            f'<h3 id="rd-dc-title-{form}">Form {form}: {label}</h3><ol class="rd-dc-items">{items}</ol></section>'
        )
    return "".join(
        [
            _match_table(bank),
            '<div class="rd-dc-start" hidden><fieldset class="rd-dc-choose">',
            f"<legend>Which form are you taking?</legend>{choices}</fieldset>",
            '<p class="rd-dc-progress" hidden></p></div>',
            '<p class="rd-dc-nojs"><strong>Scoring needs JavaScript,</strong> which is off or unavailable in this '
            "browser. You can still read or print the items below and judge each one on paper (sound or unsound, "
            "and how sure); your teacher has the answers.</p>",
            *sections,
            _controls(most),
        ]
    )


def discernment_lab(package: str | os.PathLike | None = None, sources_page: str | None = None) -> DiscernmentLab:
    """The check's data and markup, from the data package ``package``.

    ``sources_page``: the URL of the book's Sources page relative to the check's page; each item's
    sources link to their entries there (``#source-<id>``). Without it they are named, not linked.
    """
    bank = load("discernment_items", package)
    files = data_files(package, "discernment_items", "sources")
    bank_file = display_path(files[1])
    check_bank(bank, bank_file)
    forms = set(bank["form"])
    if forms != set(FORMS):
        message = f"the page has forms {', '.join(sorted(FORMS))}; the bank has {', '.join(sorted(forms))}"
        raise DataError([Problem(bank_file, None, "form", message)])
    charts = {}
    for row, item in enumerate(bank.itertuples(index=False), start=2):
        if item.kind == "chart":
            charts[item.item_id] = _chart(item, package, bank_file, row)
            files += [f for f in data_files(package, "launch_events", "launch_reports") if f not in files]
    publisher = load("sources", package).set_index("source_id")["publisher"]

    def source(sid: str) -> list[str]:
        return [str(publisher[sid]), f"{sources_page}#source-{sid}" if sources_page else ""]

    items = {
        r.item_id: {
            "form": r.form,
            "sound": bool(r.sound),
            "explanation": r.explanation,
            "sources": [source(s) for s in r.source_ids.split(";")],
        }
        for r in bank.itertuples(index=False)
    }
    unsound = int((~bank["sound"].astype(bool)).sum() // len(FORMS))
    most = f"{2 * z((unsound + 0.5) / (unsound + 1)):.1f}"
    data = {
        "key": STORAGE_KEY,
        "scale": list(SCALE),
        "flagFrom": FLAG_FROM,
        "code": CODE.pattern,
        "bias": BIAS,
        "low": LOW,
        "high": HIGH,
        "verdicts": VERDICTS,
        "forms": {f: {"label": label, "phase": phase} for f, (label, phase) in FORMS.items()},
        "items": items,
    }
    return DiscernmentLab(data, _page_html(bank, charts, most), files)
