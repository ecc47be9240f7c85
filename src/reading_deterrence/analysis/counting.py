"""Counting North Korean launches, comparing who reported what, and testing action and reaction.

The tables come from the module's data package (load them with ``load``, which validates them)::

    from reading_deterrence import load
    from reading_deterrence.analysis.counting import count

    events, reports = load("launch_events"), load("launch_reports")
    count(events, reports, start="2023-01-01", end="2023-04-11")   # 11 launch events

A count is only as good as the rules behind it, so every rule is a keyword argument:

``include_cruise``, ``include_rocket_artillery``, ``include_slv``, ``include_other``, ...
    Which kinds of event (``launch_events.system_class``) count. Ballistic launches, and those
    North Korea called hypersonic, always count. ``include_rocket_artillery`` covers the 600 mm
    "super-large" rocket launcher, which North Korea calls rocket artillery and South Korea and
    Japan count as ballistic missiles; ``include_slv`` covers satellite launch vehicles;
    ``include_other`` covers the class ``other`` (suspected ordinary rocket-launcher fire), and
    ``include_unknown`` launches no one identified (class ``unknown``). Defaults: cruise, rocket
    artillery and unknown in; satellite launches and other out.
``unit``
    ``"events"`` counts launch events (one day, one launch area); ``"missiles"`` adds up the number
    of missiles per event.
``reporter``
    Whose word counts. ``"any"`` (alias ``"max"``): an event counts if anyone announced it, and its
    missiles are the highest figure anyone gave. A reporter's name (``"JCS"``, ``"Japan MOD"``,
    ``"KCNA"``, ``"US INDOPACOM"``, ``"other"``) or a tuple of names: an event counts only if one
    of them announced it, and its missiles are the highest figure among them.

Two conventions of the data matter here:

- A report whose ``system_as_reported`` starts with ``"(no "`` (for example ``"(no announcement)"``)
  records that the reporter was *silent*: it is not an announcement (:func:`announced`).
- An empty ``missiles`` cell means the reporter gave no number (for example "several"). It adds
  nothing to a missile count; :func:`counted` shows which events had no figure.

Beside this module: :mod:`.figures` lines up each reporter's figures side by side,
:mod:`.reaction` tests whether launches cluster around allied exercises, and :mod:`.cns` reads a
teacher's copy of the CNS North Korea Missile Test Database.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields

import pandas as pd

__all__ = [
    "ALWAYS_COUNTED",
    "CLASS_RULES",
    "REPORTERS",
    "Rules",
    "announced",
    "count",
    "count_table",
    "counted",
    "day",
    "in_window",
]

#: The reporters in ``launch_reports``, in the order tables show them.
REPORTERS = ("JCS", "Japan MOD", "KCNA", "US INDOPACOM", "other")

#: Classes that always count, and the rule that switches each other class on.
ALWAYS_COUNTED = ("ballistic", "hypersonic claimed")
CLASS_RULES = {
    "cruise": "include_cruise",
    "rocket artillery counted as ballistic": "include_rocket_artillery",
    "satellite launch vehicle": "include_slv",
    "other": "include_other",
    "unknown": "include_unknown",
}


@dataclass(frozen=True)
class Rules:
    """One way of counting. The defaults reproduce the running count of "11 launch events" in 2023.

    >>> Rules(include_cruise=False, reporter="JCS").describe()
    'events; cruise out, rocket artillery in; reporter: JCS'
    """

    include_cruise: bool = True
    include_rocket_artillery: bool = True
    include_slv: bool = False
    include_other: bool = False
    include_unknown: bool = True
    unit: str = "events"
    reporter: str | tuple[str, ...] = "any"

    def __post_init__(self):
        if self.unit not in ("events", "missiles"):
            raise ValueError(f"unit must be 'events' or 'missiles', not {self.unit!r}")
        for name in self.reporters() or ():
            if name not in REPORTERS:
                raise ValueError(f"unknown reporter {name!r}: use 'any' or one of {', '.join(REPORTERS)}")

    def reporters(self) -> tuple[str, ...] | None:
        """The reporters whose word counts, or None for anyone."""
        if self.reporter in ("any", "max"):
            return None
        return (self.reporter,) if isinstance(self.reporter, str) else tuple(self.reporter)

    def classes(self) -> set[str]:
        """The values of ``system_class`` that these rules count."""
        return set(ALWAYS_COUNTED) | {c for c, rule in CLASS_RULES.items() if getattr(self, rule)}

    def describe(self) -> str:
        """The rules in words, short enough for a table."""

        def io_(flag):
            return "in" if flag else "out"

        parts = [f"cruise {io_(self.include_cruise)}", f"rocket artillery {io_(self.include_rocket_artillery)}"]
        if self.include_slv:
            parts.append("satellite launches in")
        if self.include_other:
            parts.append("other in")
        if not self.include_unknown:
            parts.append("unknown out")
        who = self.reporters()
        return f"{self.unit}; {', '.join(parts)}; reporter: {' or '.join(who) if who else 'any'}"


def day(value) -> pd.Timestamp:
    """A date (any form pandas reads) as midnight of that day."""
    return pd.Timestamp(value).normalize()


def in_window(frame: pd.DataFrame, start=None, end=None, column: str = "date") -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` falls between ``start`` and ``end``, inclusive
    (either may be None)."""
    if start is not None:
        frame = frame[frame[column] >= day(start)]
    if end is not None:
        frame = frame[frame[column] <= day(end)]
    return frame


def announced(reports: pd.DataFrame) -> pd.Series:
    """True for each report that announces the launch, False where it records silence.

    The data record a reporter's silence as a row whose ``system_as_reported`` starts with
    ``"(no "``, such as ``"(no announcement)"`` or ``"(no report)"``.
    """
    said = reports["system_as_reported"].astype("string").fillna("")
    return ~said.str.startswith("(no ").astype(bool)


def counted(events: pd.DataFrame, reports: pd.DataFrame, *, start=None, end=None, **rules) -> pd.DataFrame:
    """The events a count includes, with the missile figure it uses: the working behind a count.

    ``start`` and ``end`` are dates (inclusive; either may be None); ``rules`` are the keyword
    arguments of :class:`Rules`. Returns one row per counted event, indexed by ``event_id``, with
    its ``date``, ``system_class``, ``missiles`` (the figure used: the highest among the
    reporters whose word counts; ``<NA>`` where none of them gave a number) and ``figure_from``
    (who gave that figure).
    """
    r = Rules(**rules)
    chosen = in_window(events, start, end)
    chosen = chosen[chosen["system_class"].isin(r.classes())]

    said = reports[announced(reports)]
    who = r.reporters()
    if who is not None:
        said = said[said["reporter"].isin(who)]
    chosen = chosen[chosen["event_id"].isin(said["event_id"])]

    figures = said.dropna(subset=["missiles"])
    top = figures.groupby("event_id")["missiles"].max().rename("missiles")
    at_top = figures[figures["missiles"] == figures["event_id"].map(top)]
    source = (
        at_top.groupby("event_id")["reporter"]
        .agg(lambda names: " = ".join(sorted(names, key=REPORTERS.index)))
        .rename("figure_from")
    )
    out = chosen.set_index("event_id")[["date", "system_class"]]
    out = out.join(top, how="left").join(source, how="left")
    out["missiles"] = out["missiles"].astype("Int64")
    out["figure_from"] = out["figure_from"].astype("string")
    return out.sort_values("date")


def count(events: pd.DataFrame, reports: pd.DataFrame, *, start=None, end=None, **rules) -> int:
    """How many launch events (or missiles) there were between ``start`` and ``end``, inclusive.

    ``rules`` are the keyword arguments of :class:`Rules`: ``include_cruise=True``,
    ``include_rocket_artillery=True``, ``include_slv=False``, ``include_other=False``,
    ``include_unknown=True``, ``unit="events"`` (or ``"missiles"``) and ``reporter="any"`` (or a
    reporter, or a tuple of reporters). A missile count leaves out events whose reporters gave no number; use
    :func:`counted` to see them.
    """
    table = counted(events, reports, start=start, end=end, **rules)
    if Rules(**rules).unit == "events":
        return int(len(table))
    return int(table["missiles"].sum(skipna=True))


def count_table(
    events: pd.DataFrame,
    reports: pd.DataFrame,
    *,
    start=None,
    end=None,
    vary: tuple[str, ...] = ("include_cruise", "include_rocket_artillery"),
    reporters: tuple = ("any", "JCS", "Japan MOD", "KCNA"),
    **fixed,
) -> pd.DataFrame:
    """The count under every combination of rules: one row per combination.

    Each flag named in ``vary`` is tried both on and off, and each entry of ``reporters`` in
    turn; the other rules are ``fixed`` (or their defaults). Columns: one per varied flag
    (``"in"``/``"out"``), ``reporter``, ``events``, ``missiles``, and ``no figure`` (counted
    events for which none of the reporters gave a number of missiles, so the missile count is a
    floor). The index is a rule number, ``"rule 1"``, ``"rule 2"``, ...
    """
    flags = {f.name for f in fields(Rules) if f.name.startswith("include_")}
    for name in list(vary) + list(fixed):
        if name not in flags:
            raise ValueError(f"{name!r} is not a rule that can be varied or fixed here")
    rows = []
    for combo in itertools.product([True, False], repeat=len(vary)):
        for who in reporters:
            rules = {**fixed, **dict(zip(vary, combo)), "reporter": who}
            table = counted(events, reports, start=start, end=end, **rules)
            row = {
                name.removeprefix("include_").replace("_", " "): "in" if flag else "out"
                for name, flag in zip(vary, combo)
            }
            row["reporter"] = who if isinstance(who, str) else " or ".join(who)
            row["events"] = int(len(table))
            row["missiles"] = int(table["missiles"].sum(skipna=True))
            row["no figure"] = int(table["missiles"].isna().sum())
            rows.append(row)
    out = pd.DataFrame(rows)
    out.index = [f"rule {i}" for i in range(1, len(out) + 1)]
    return out
