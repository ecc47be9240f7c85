"""The context page's history, 1945 to 2022, as MyST made from ``data/history.csv``.

Each event prints with its date only as precisely as it is known (``27 July 1953``,
``July 1961``, ``1948``), its kind, its words, its sources (links to the Sources page) and its
note; each has an anchor, ``context-event-<event_id>``, for the prose to link to. ``route``
chooses the events of the page's core route or those for going further, ``kinds`` the kinds of
event (both ``None``: all).
"""

from __future__ import annotations

import os

import pandas as pd

from ..contract import DataError, Problem, data_files, descriptor, load, resource
from .base import View
from .text import escape, format_date, sources_links

__all__ = ["ROUTES", "event_date", "history"]

ROUTES = ("core", "further")


def event_date(day: pd.Timestamp, precision: str) -> str:
    """A date printed as precisely as it is known: day, month or year."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{day:%B %Y}"
    return format_date(day)


def history(package: str | os.PathLike | None = None, route: str | None = None, kinds: list[str] | None = None) -> View:
    """The events of ``route`` (``core``, ``further``, or ``None`` for all) and of ``kinds`` (the
    ``kind`` column's values; ``None`` for all), in date order."""
    if route is not None and route not in ROUTES:
        known = ", ".join(ROUTES)
        raise DataError([Problem("history.csv", None, "route", f"no route {route!r}; the routes are {known}")])
    events = load("history", package).sort_values(["date", "event_id"], kind="stable")
    if route is not None:
        events = events[events["route"] == route]
    if kinds:
        fields = resource(descriptor(package), "history")["schema"]["fields"]
        known = set(next(f for f in fields if f["name"] == "kind")["constraints"]["enum"])
        unknown = [kind for kind in kinds if kind not in known]
        if unknown:
            raise DataError(
                [Problem("history.csv", None, "kind", f"no kind {unknown[0]!r}; the kinds are {sorted(known)}")]
            )
        events = events[events["kind"].isin(kinds)]
    lines = ["::::{container} rd-history", ""]
    for row in events.itertuples(index=False):
        lines.append(f"(context-event-{row.event_id})=")
        lines.append(f"**{event_date(row.date, row.precision)}** · {escape(row.kind)}")
        label = "Sources" if ";" in row.source_ids else "Source"
        text = f"{escape(row.event)} {label}: {sources_links(row.source_ids)}."
        lines.append(f": {text}")
        if not pd.isna(row.note):
            lines += ["", f"  {escape(row.note)}"]
        lines.append("")
    lines.append("::::")
    return View("\n".join(lines), data_files(package, "history", "sources"))
