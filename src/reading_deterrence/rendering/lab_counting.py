"""The counting explorer (``{counting-lab}``): the data its script counts from, and its HTML.

The page's script (``shaping/static/lab-counting.js``) applies the rules of
:mod:`reading_deterrence.analysis.counting` to the launch events exported here, and the browser
tests check that it gets :func:`~reading_deterrence.analysis.counting.count`'s answer under every
combination of rules. The conventions of the data are applied here, once, by the reference code:
each report carries whether it :func:`~reading_deterrence.analysis.counting.announced` the launch.

Without JavaScript, the same markup shows the module's default rules for the article's "this
year" (the count, the launches counted and left out, with why) and the module's own counts under
the rules the data lab tries (:func:`~reading_deterrence.analysis.counting.count_table`).

Nothing here knows a particular sentence or date: the claim, the article's window and the
presets come in as arguments (the Sphinx layer takes them from :mod:`reading_deterrence.facts`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from html import escape

import pandas as pd

from ..analysis.counting import (
    ALWAYS_COUNTED,
    CLASS_RULES,
    REPORTERS,
    Rules,
    announced,
    count,
    count_table,
    counted,
    in_window,
)
from .text import format_date, json_script

__all__ = [
    "CITE",
    "CLASS_NAMES",
    "DATA_ID",
    "REPORTER_NAMES",
    "Preset",
    "lab_data",
    "lab_html",
    "data_script",
    "presets",
    "said_items",
]

#: The id of the page's ``<script type="application/json">`` holding :func:`lab_data`.
DATA_ID = "rd-lab-counting-data"
#: Where :func:`lab_html` leaves room for the link to the claim's sentence (the Sphinx layer
#: splits the markup there and puts a cross-reference, checked at build time, in between).
CITE = "<!--rd-counting-cite-->"

#: Each ``system_class``: (a short name for sentences, the label of its checkbox).
CLASS_NAMES: dict[str, tuple[str, str]] = {
    "ballistic": ("ballistic missiles", "Ballistic missiles"),
    "hypersonic claimed": (
        "launches North Korea called hypersonic",
        "Missiles North Korea called hypersonic (others called them ballistic)",
    ),
    "cruise": (
        "cruise missiles",
        "Cruise missiles (they fly low, like small pilotless aircraft; the allies do not always detect or "
        "announce them)",
    ),
    "rocket artillery counted as ballistic": (
        "the 600 mm rocket launcher",
        "The 600 mm “super-large” rocket launcher: North Korea calls it rocket artillery; "
        "South Korea and Japan count its rockets as ballistic missiles",
    ),
    "satellite launch vehicle": (
        "satellite launches",
        "Satellite launches (rockets meant to put a satellite in orbit)",
    ),
    "other": ("other launches", "Other: suspected ordinary rocket-launcher fire"),
    "unknown": ("unidentified launches", "Launches no one identified"),
}
#: Each reporter: its name in full, for labels.
REPORTER_NAMES: dict[str, str] = {
    "JCS": "South Korea's Joint Chiefs of Staff",
    "Japan MOD": "Japan's Ministry of Defense",
    "KCNA": "North Korea's state news agency",
    "US INDOPACOM": "US Indo-Pacific Command",
    "other": "a news tally or an unnamed official",
}

#: The two units, and their labels.
UNITS = {
    "events": "Launch events: one day and one launch area, however many missiles flew",
    "missiles": "Missiles: for each launch, the highest number given by a reporter whose word counts",
}
WHO_HELP = (
    "A launch counts only if a reporter you tick announced it; its number of missiles is the highest "
    "they gave. Tick them all to take anyone's word."
)
#: What a counted launch with no number of missiles adds (the script says the same).
NO_FIGURE = "no number: adds nothing to a missile count"
NO_SCRIPT = (
    "<strong>Without JavaScript</strong> this page shows the module's usual rules only; turn "
    "JavaScript on to choose your own. The module's counts under other rules are in the last table."
)


@dataclass(frozen=True)
class Preset:
    """A window the explorer offers as a button: its label, and its first and last day (None: open)."""

    label: str
    start: pd.Timestamp | None
    end: pd.Timestamp | None


def _iso(day) -> str | None:
    return None if day is None or pd.isna(day) else f"{pd.Timestamp(day):%Y-%m-%d}"


def presets(events: pd.DataFrame, window: dict) -> list[Preset]:
    """The windows offered: the article's ``window``, the same from a day earlier (the chapter's
    "what if the writer began a day early"), each calendar year of the data, and all of it."""
    start, end = pd.Timestamp(window["start"]), pd.Timestamp(window["end"])
    early = start - pd.Timedelta(days=1)
    out = [
        Preset(f"The article's “this year”: {format_date(start)} to {format_date(end)}", start, end),
        Preset(f"The same, from a day earlier: {format_date(early)} to {format_date(end)}", early, end),
    ]
    for year in sorted(events["date"].dt.year.unique()):
        out.append(
            Preset(
                f"All of {int(year)}",
                pd.Timestamp(year=int(year), month=1, day=1),
                pd.Timestamp(year=int(year), month=12, day=31),
            )
        )
    first, last = events["date"].min(), events["date"].max()
    out.append(Preset(f"All the data: {format_date(first)} to {format_date(last)}", None, None))
    return out


def _reports(reports: pd.DataFrame) -> dict[str, list]:
    """event_id -> [[reporter, missiles or None, announced (bool), as reported], ...] in REPORTERS order."""
    frame = reports.assign(said=announced(reports).to_numpy(), rank=reports["reporter"].map(REPORTERS.index))
    out: dict[str, list] = {}
    for row in frame.sort_values(["event_id", "rank"]).itertuples(index=False):
        missiles = None if pd.isna(row.missiles) else int(row.missiles)
        text = "" if pd.isna(row.system_as_reported) else str(row.system_as_reported)
        out.setdefault(row.event_id, []).append([row.reporter, missiles, bool(row.said), text])
    return out


def lab_data(events: pd.DataFrame, reports: pd.DataFrame, *, claim: dict, window: dict, offered: list[Preset]) -> dict:
    """What the page's script counts from, JSON-able.

    ``claim``: ``id`` and ``text`` of the sentence that makes the claim, and the ``events`` and
    ``missiles`` it claims; ``window``: the article's ``start`` and ``end``; ``offered``: the
    :class:`Preset` windows. Events are in date order; their reports in :data:`REPORTERS` order.
    """
    said = _reports(reports)
    chosen = events.sort_values(["date", "event_id"])
    return {
        "reporters": list(REPORTERS),
        "always": list(ALWAYS_COUNTED),
        "classRules": [[name, rule] for name, rule in CLASS_RULES.items()],
        "classNames": {name: short for name, (short, _) in CLASS_NAMES.items()},
        "defaults": {f.name: f.default for f in fields(Rules)},
        "events": [
            {"id": e.event_id, "date": _iso(e.date), "cls": e.system_class, "reports": said.get(e.event_id, [])}
            for e in chosen.itertuples(index=False)
        ],
        "window": {"start": _iso(window["start"]), "end": _iso(window["end"])},
        "presets": [{"label": p.label, "start": _iso(p.start), "end": _iso(p.end)} for p in offered],
        "claim": {
            "id": claim["id"],
            "text": claim["text"],
            "events": int(claim["events"]),
            "missiles": int(claim["missiles"]),
        },
    }


def data_script(data: dict) -> str:
    """``data`` as the page's inline JSON (:func:`~.text.json_script`)."""
    return json_script(data, DATA_ID)


# --- the markup ----------------------------------------------------------------------------------


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def said_items(rows: list) -> str:
    """What each reporter said about one launch, as list items (the script writes the same)."""
    items = []
    for who, missiles, said, text in rows:
        if not said:
            words = f"silent {text}"
        elif missiles is None:
            words = "announced it, no number" + (f" ({text})" if text else "")
        else:
            words = _plural(missiles, "missile", "missiles") + (f" ({text})" if text else "")
        items.append(f"<li><b>{escape(who)}</b>: {escape(words)}</li>")
    return "".join(items)


def _table(kind: str, caption: str, head: list[str], rows: list[str]) -> str:
    """A table in a scrolling box that keyboard users can reach, named by its caption."""
    header = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(rows) or f'<tr><td colspan="{len(head)}">None.</td></tr>'
    caption = f'<caption id="rd-cl-{kind}-caption">{escape(caption)}</caption>'
    return (
        f'<div class="rd-lab-scroll" tabindex="0" role="region" aria-labelledby="rd-cl-{kind}-caption">'
        f'<table class="table rd-cl-table rd-cl-{kind}">{caption}'
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _row(cells: list[str], last: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + f"<td>{escape(last)}</td></tr>"


def default_results(events: pd.DataFrame, reports: pd.DataFrame, window: dict) -> str:
    """The launches counted and left out under the module's default rules in ``window`` (what the
    page shows before, or without, its script), worked out by ``counted``."""
    rules = Rules()
    chosen = in_window(events, **window).sort_values(["date", "event_id"])
    said = _reports(reports)
    used = counted(events, reports, **window)
    counted_rows, left_rows = [], []
    for e in chosen.itertuples(index=False):
        cells = [format_date(e.date), escape(e.system_class), f"<ul>{said_items(said[e.event_id])}</ul>"]
        if e.event_id in used.index:
            figure = used.loc[e.event_id]
            missing = pd.isna(figure["missiles"])
            last = NO_FIGURE if missing else f"{int(figure['missiles'])} ({figure['figure_from']})"
            counted_rows.append(_row(cells, last))
            continue
        why = [] if e.system_class in rules.classes() else [f"kind not counted ({e.system_class})"]
        if not any(report[2] for report in said[e.event_id]):
            why.append("not announced by anyone")
        left_rows.append(_row(cells, "; ".join(why)))
    head = ["Date", "Kind", "What each reporter said"]
    n_in, n_out = (_plural(len(r), "launch event", "launch events") for r in (counted_rows, left_rows))
    return _table("counted", f"Counted: {n_in}", [*head, "Missiles used (from whom)"], counted_rows) + _table(
        "left", f"Left out: {n_out}", [*head, "Why left out"], left_rows
    )


def module_counts(events: pd.DataFrame, reports: pd.DataFrame, window: dict) -> str:
    """The module's own counts in ``window`` under the rules the data lab tries (``count_table``)."""
    table = count_table(events, reports, **window)
    columns = {
        "cruise": "Cruise missiles",
        "rocket artillery": "Rocket artillery",
        "reporter": "Whose word",
        "events": "Launch events",
        "missiles": "Missiles",
        "no figure": "Counted, with no number",
    }
    rows = [
        f'<tr><th scope="row">{escape(str(name))}</th>'
        + "".join(f"<td>{escape(str(row[c]))}</td>" for c in columns)
        + "</tr>"
        for name, row in table.iterrows()
    ]
    start, end = (format_date(pd.Timestamp(window[k])) for k in ("start", "end"))
    caption = (
        f"The module's own counts, {start} to {end}, under the rules the data lab tries (satellite "
        "launches and other launches not counted, unidentified launches counted)"
    )
    return _table("module", caption, ["Rule", *columns.values()], rows)


def _check(name: str, value: str, label: str, *, kind: str = "checkbox", on: bool = False, fixed: bool = False):
    ident = escape(f"rd-cl-{name}-{value}".replace(" ", "-"))
    state = (" checked" if on else "") + (" disabled" if fixed else "")
    control = f'<input type="{kind}" id="{ident}" name="{name}" value="{escape(value)}"{state}>'
    return f'<div class="rd-cl-option">{control}<label for="{ident}">{escape(label)}</label></div>'


def _fieldset(legend: str, *parts: str) -> str:
    return f"<fieldset><legend>{escape(legend)}</legend>{''.join(parts)}</fieldset>"


def _date(name: str, label: str, value: str | None, first: str, last: str) -> str:
    control = f'<input type="date" id="rd-cl-{name}" name="{name}" value="{value or ""}" min="{first}" max="{last}">'
    return f'<div><label for="rd-cl-{name}">{label}</label> {control}</div>'


def controls(data: dict) -> str:
    """The form: whose report counts, which kinds, the unit, the dates (hidden until the script runs)."""
    d, w = data["defaults"], data["window"]
    who = [_check("reporter", r, f"{r} ({REPORTER_NAMES.get(r, 'a reporter')})", on=True) for r in data["reporters"]]
    always = [_check("always", c, f"{CLASS_NAMES[c][1]}: always counted", on=True, fixed=True) for c in data["always"]]
    kinds = [_check("class", rule, CLASS_NAMES[c][1], on=d[rule]) for c, rule in data["classRules"]]
    units = [_check("unit", unit, label, kind="radio", on=d["unit"] == unit) for unit, label in UNITS.items()]
    presets = "".join(
        f'<button type="button" class="rd-cl-preset" data-start="{p["start"] or ""}" data-end="{p["end"] or ""}">'
        f"{escape(p['label'])}</button>"
        for p in data["presets"]
    )
    first, last = data["events"][0]["date"], data["events"][-1]["date"]
    return (
        '<form class="rd-cl-controls" id="rd-cl-form" hidden>'
        + _fieldset(
            "Whose report counts",
            f'<p class="rd-cl-help">{escape(WHO_HELP)}</p>',
            *who,
            '<button type="button" class="rd-cl-all">Tick all: anyone\'s word</button>',
        )
        + _fieldset("Which kinds of launch count", *always, *kinds)
        + _fieldset("Count what", *units)
        + _fieldset(
            "Which dates (both days included)",
            '<div class="rd-cl-dates">',
            _date("start", "From", w["start"], first, last),
            _date("end", "To", w["end"], first, last),
            '</div><p class="rd-cl-help">Leave a date empty for no limit. Or choose:</p>',
            f'<div class="rd-cl-presets">{presets}</div>',
        )
        + '<p><button type="button" class="rd-cl-reset">Back to the module\'s rules</button></p></form>'
    )


def _summary(events: pd.DataFrame, reports: pd.DataFrame, data: dict, window: dict) -> str:
    """The count under the module's default rules, the rules in words, and the claim beside them."""
    rules, claim = Rules(), data["claim"]
    n = count(events, reports, **window)
    start, end = format_date(window["start"]), format_date(window["end"])
    kinds = ", ".join(CLASS_NAMES[c][0] for c in CLASS_NAMES if c in rules.classes())
    left = ", ".join(CLASS_NAMES[c][0] for c in CLASS_NAMES if c not in rules.classes())
    words = (
        f"Counting launch events from {start} to {end}, both days included. Kinds counted: {kinds}. "
        f"Not counted: {left}. Whose word: anyone's. "
    )
    short = f"(In the lab's short form: {rules.describe()}.)"
    same = claim["events"] - n
    compare = (
        f"The same as the article's {_plural(claim['events'], 'launch event', 'launch events')}."
        if same == 0
        else f"{abs(same)} {'fewer' if same > 0 else 'more'} than the article's {claim['events']} launch events."
    )
    unit = "launch event" if n == 1 else "launch events"
    return (
        '<div class="rd-cl-summary"><div class="rd-cl-live" aria-live="polite" aria-atomic="true">'
        f'<p class="rd-cl-count"><span class="rd-cl-number">{n}</span> <span class="rd-cl-unit">{unit}</span></p>'
        f'<p class="rd-cl-words">{escape(words)}<span class="rd-cl-short">{escape(short)}</span></p>'
        f'<p class="rd-cl-compare">{escape(compare)}</p></div>'
        f'<figure class="rd-cl-claim"><blockquote><p>{escape(claim["text"])}</p></blockquote>'
        f"<figcaption>The article's claim ({CITE}): {claim['events']} launch events and about "
        f"{claim['missiles']} missiles “this year”, that is from {start} to {end}.</figcaption></figure></div>"
    )


def lab_html(events: pd.DataFrame, reports: pd.DataFrame, data: dict) -> str:
    """The explorer's whole markup: the form (hidden until the script runs), the count and the
    claim beside it, the launches counted and left out, the module's own counts, and the data.

    Without its script the page shows the module's default rules for the article's window. The
    markup holds :data:`CITE` once, in the claim's caption, where the link to the sentence goes.
    """
    window = {k: pd.Timestamp(v) for k, v in data["window"].items()}
    return (
        '<div class="rd-lab rd-lab-counting">'
        f'<p class="rd-cl-nojs">{NO_SCRIPT}</p>'
        f"{controls(data)}"
        f'<div class="rd-cl-results">{_summary(events, reports, data, window)}'
        f"{default_results(events, reports, window)}</div>"
        f"{module_counts(events, reports, window)}"
        f"{data_script(data)}</div>"
    )
