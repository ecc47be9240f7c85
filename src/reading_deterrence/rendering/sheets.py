"""CSV text made from the tables, for readers to download and fill in: the coding sheet, empty
templates of the module's own tables, and the launch count sheet.

Each function returns the file's text; :mod:`reading_deterrence.facts` lists which files the book
offers, and the Sphinx extension writes them into the built site.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable

import pandas as pd

from ..analysis.coding import SHEET_LAYERS
from ..analysis.counting import REPORTERS, announced, in_window
from ..contract import descriptor, load, resource
from .text import escape

__all__ = ["blank_sheet", "blank_table", "count_rows", "count_sheet", "count_worksheet"]

#: What the count sheet says where a reporter announced a launch without a number of missiles.
NO_NUMBER = "announced, no number"
#: Column headings of the printed count sheet: the sheet's column name -> the reporter.
REPORTER_NAMES = {"missiles_" + re.sub(r"\W+", "_", r.lower()): r for r in REPORTERS}
#: The line on which pupils write a counting rule.
RULE_LINE = "\u00a0" + "_" * 70


def _csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def blank_sheet(package: str | os.PathLike | None = None) -> str:
    """The coding sheet as CSV text: one row per sentence, an empty column per sentence layer."""
    sentences = load("article_sentences", package)
    rows = [["sentence_id", "text", *SHEET_LAYERS, "notes"]]
    rows += [[row.sentence_id, row.text, *([""] * len(SHEET_LAYERS)), ""] for row in sentences.itertuples()]
    return _csv(rows)


def blank_table(table: str, leave_out: tuple[str, ...] = ()) -> Callable[..., str]:
    """A function returning an empty copy of a table (its header row), for students to fill in
    about another article; columns in ``leave_out`` are left out."""

    def make(package: str | os.PathLike | None = None) -> str:
        fields = resource(descriptor(package), table)["schema"]["fields"]
        return _csv([[f["name"] for f in fields if f["name"] not in leave_out]])

    return make


def count_rows(events: pd.DataFrame, reports: pd.DataFrame, *, start, end) -> list[list[str]]:
    """The launch events from ``start`` to ``end`` (inclusive), a header row and one row per event.

    Each row holds the event's ID, date, class and names, and one cell per reporter who reported
    any of the events: the number of missiles that reporter gave, ``announced, no number`` where it
    announced the launch without one, and empty where it did not report it. The class and every
    reporter's word are there, so pupils can choose their own counting rule.
    """
    chosen = in_window(events, start, end).sort_values(["date", "event_id"])
    said = reports[reports["event_id"].isin(chosen["event_id"]) & announced(reports)]
    who = [r for r in REPORTERS if r in set(said["reporter"])]
    rows = [
        [
            "event_id",
            "date",
            "system_class",
            "name_north",
            "name_other",
            *("missiles_" + re.sub(r"\W+", "_", r.lower()) for r in who),
        ]
    ]
    for event in chosen.itertuples(index=False):
        mine = said[said["event_id"] == event.event_id].set_index("reporter")["missiles"]
        cells = []
        for r in who:
            if r not in mine.index:
                cells.append("")
            elif pd.isna(mine[r]):
                cells.append(NO_NUMBER)
            else:
                cells.append(str(int(mine[r])))
        names = ["" if pd.isna(v) else v for v in (event.name_north, event.name_other)]
        rows.append([event.event_id, f"{event.date:%Y-%m-%d}", event.system_class, *names, *cells])
    return rows


def count_sheet(events: pd.DataFrame, reports: pd.DataFrame, *, start, end) -> str:
    """The launch events from ``start`` to ``end`` (inclusive), as a CSV for counting by hand
    (the rows of :func:`count_rows`)."""
    return _csv(count_rows(events, reports, start=start, end=end))


def count_worksheet(
    events: pd.DataFrame, reports: pd.DataFrame, *, start, end, rules: tuple[str, ...] = ("A", "B", "C")
) -> str:
    """The count sheet for paper, as MyST: a line to write each counting rule, then a table of the
    events (kind, North Korea's name, each reporter's number of missiles) with an empty column per
    rule and empty rows for the totals. No count is filled in."""
    header, *body = count_rows(events, reports, start=start, end=end)
    who = [REPORTER_NAMES.get(name, name) for name in header[5:]]
    blank = "\u00a0"
    widths = [12, 14, 22, *([6] * len(who)), *([8] * len(rules))]
    lines = []
    for r in rules:
        lines += [f"**Rule {r}:** {RULE_LINE}", ""]
    lines += [
        ":::{list-table} Launch count sheet",
        ":header-rows: 1",
        f":widths: {' '.join(str(w) for w in widths)}",
        ":class: rd-worksheet rd-count-sheet",
        "",
        "* - Event (date)",
        "  - Kind",
        "  - North Korea's name for it",
        *[f"  - Missiles: {name}" for name in who],
        *[f"  - Rule {r}" for r in rules],
    ]
    for event_id, _date, kind, name_north, _name_other, *cells in body:
        lines += [f"* - {event_id}", f"  - {escape(kind)}", f"  - {escape(name_north) or blank}"]
        lines += [f"  - {'*no number*' if c == NO_NUMBER else c or blank}" for c in cells]
        lines += [f"  - {blank}"] * len(rules)
    for total in ("Events counted", "Missiles counted"):
        lines += [f"* - **{total}**", *[f"  - {blank}"] * (2 + len(who) + len(rules))]
    lines += [":::", ""]
    return "\n".join(lines)
