"""Boxes for printed handouts, made from the data: a vocabulary box and timeline event cards.

A handout names the rows it needs (glossary terms, timeline event IDs) and gets MyST text for
them, so a definition or a date on paper is the one on the site. A name the data lack is a
:class:`~reading_deterrence.contract.DataError` naming the table's file and column, like any
other gap between the prose and the data.
"""

from __future__ import annotations

import os
import string
from collections.abc import Sequence

import pandas as pd

from ..contract import DataError, Problem, data_files, display_path, load
from .base import View
from .text import escape, format_date, format_date_range

__all__ = ["event_cards", "vocabulary"]


def _missing(package, table: str, column: str, wanted: Sequence[str], known) -> None:
    """Raise a DataError listing every name in ``wanted`` that ``known`` lacks."""
    problems = [
        Problem(
            display_path(data_files(package, table)[1]), None, column, f"no {column} {name!r} (a handout asks for it)"
        )
        for name in wanted
        if name not in known
    ]
    if problems:
        raise DataError(problems)


def vocabulary(terms: Sequence[str], package: str | os.PathLike | None = None, title: str = "Vocabulary") -> View:
    """A boxed definition list of ``terms`` (matched without regard to case), in the order given.

    State-media terms show the Korean and its romanisation beside the term, as the glossary does.
    """
    table = load("glossary", package)
    rows = {term.casefold(): row for term, row in zip(table["term"], table.itertuples(index=False))}
    _missing(package, "glossary", "term", terms, {t for t in terms if t.casefold() in rows})
    lines = ["::::{container} rd-vocabulary", "", f"**{escape(title)}**", ""]
    for term in terms:
        row = rows[term.casefold()]
        head = escape(row.term)
        if not pd.isna(row.korean):
            head += f" ({escape(row.korean)}, *{escape(row.romanisation)}*)"
        lines += [head, f": {escape(row.definition)}", ""]
    lines.append("::::")
    return View("\n".join(lines), data_files(package, "glossary"))


def card_letter(number: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a class names a card aloud."""
    letters = string.ascii_uppercase
    return letters[number] if number < len(letters) else card_letter(number // len(letters) - 1) + letters[number % 26]


def event_cards(ids: Sequence[str], package: str | os.PathLike | None = None, hide_date: bool = False) -> View:
    """Cut-out cards for ``ids``, in the order given (shuffle them in the page, not here).

    Each card has a letter (Card A, B, ...) for the class to name it by, the date (unless
    ``hide_date``: the task is to put the cards in order; the source's date is left out too), the
    event and its source, as plain
    text: a card is cut out of paper, so nothing on it is a link.
    """
    events = load("timeline", package).set_index("event_id")
    sources = load("sources", package).set_index("source_id")
    _missing(package, "timeline", "event_id", ids, events.index)
    lines = [":::::{container} rd-event-cards", ""]
    for number, event_id in enumerate(ids):
        row = events.loc[event_id]
        source = sources.loc[row["source_id"]]
        head = f"**Card {card_letter(number)}**"
        if not hide_date:
            when = format_date_range(row["date_start"], row["date_end"])
            if row["date_certainty"] != "exact":
                when += f" ({row['date_certainty']})"
            head += f" · {when}"
        cited = escape(str(source["publisher"]))
        if not hide_date and not pd.isna(source["date"]):  # the source's date would give the answer away
            cited += f", {format_date(source['date'])}"
        lines += [
            "::::{container} rd-event-card",
            "",
            head,
            "",
            escape(row["event"]),
            "",
            f"*Source: {cited}*",
            "::::",
            "",
        ]
    lines.append(":::::")
    return View("\n".join(lines), data_files(package, "timeline", "sources"))
