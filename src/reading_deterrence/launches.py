"""Counting North Korean launches, comparing who reported what, and testing action and reaction.

The tables come from the module's data package (load them with ``load``, which validates them)::

    from reading_deterrence import load
    from reading_deterrence.launches import count

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

The module also lines up each reporter's figures side by side (:func:`side_by_side`,
:func:`disagreements`), tests whether launches cluster around allied exercises
(:func:`permutation_test`), and reads a copy of the CNS North Korea Missile Test Database that a
teacher has downloaded (:func:`read_cns`; :func:`write_cns_sample` writes an invented example).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
from dataclasses import dataclass, fields
from dataclasses import field as _field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .data import DataError, Problem, load

__all__ = [
    "CNS_COLUMNS",
    "RATE_DAYS",
    "REPORTERS",
    "PermutationResult",
    "Rules",
    "announced",
    "article_facts",
    "article_window",
    "count",
    "count_sheet",
    "count_table",
    "counted",
    "daily_launches",
    "disagreements",
    "exercise_window",
    "permutation_test",
    "read_cns",
    "side_by_side",
    "write_cns_sample",
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

#: Rates in the permutation test are launch events per this many days.
RATE_DAYS = 30

#: The figures a report can give, as columns of ``launch_reports``.
FIGURES = ("missiles", "range_km", "apogee_km")


# --- counting ---------------------------------------------------------------------------------


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
                raise ValueError(
                    f"unknown reporter {name!r}: use 'any' or one of {', '.join(REPORTERS)}"
                )

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

        parts = [f"cruise {io_(self.include_cruise)}",
                 f"rocket artillery {io_(self.include_rocket_artillery)}"]
        if self.include_slv:
            parts.append("satellite launches in")
        if self.include_other:
            parts.append("other in")
        if not self.include_unknown:
            parts.append("unknown out")
        who = self.reporters()
        return f"{self.unit}; {', '.join(parts)}; reporter: {' or '.join(who) if who else 'any'}"


def _day(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def announced(reports: pd.DataFrame) -> pd.Series:
    """True for each report that announces the launch, False where it records silence.

    The data record a reporter's silence as a row whose ``system_as_reported`` starts with
    ``"(no "``, such as ``"(no announcement)"`` or ``"(no report)"``.
    """
    said = reports["system_as_reported"].astype("string").fillna("")
    return ~said.str.startswith("(no ").astype(bool)


def counted(
    events: pd.DataFrame, reports: pd.DataFrame, *, start=None, end=None, **rules
) -> pd.DataFrame:
    """The events a count includes, with the missile figure it uses: the working behind a count.

    ``start`` and ``end`` are dates (inclusive; either may be None); ``rules`` are the keyword
    arguments of :class:`Rules`. Returns one row per counted event, indexed by ``event_id``, with
    its ``date``, ``system_class``, ``missiles`` (the figure used: the highest among the
    reporters whose word counts; ``<NA>`` where none of them gave a number) and ``figure_from``
    (who gave that figure).
    """
    r = Rules(**rules)
    chosen = events
    if start is not None:
        chosen = chosen[chosen["date"] >= _day(start)]
    if end is not None:
        chosen = chosen[chosen["date"] <= _day(end)]
    chosen = chosen[chosen["system_class"].isin(r.classes())]

    said = reports[announced(reports)]
    who = r.reporters()
    if who is not None:
        said = said[said["reporter"].isin(who)]
    chosen = chosen[chosen["event_id"].isin(said["event_id"])]

    figures = said.dropna(subset=["missiles"])
    top = figures.groupby("event_id")["missiles"].max().rename("missiles")
    at_top = figures[figures["missiles"] == figures["event_id"].map(top)]
    source = at_top.groupby("event_id")["reporter"].agg(
        lambda names: " = ".join(sorted(names, key=REPORTERS.index))
    ).rename("figure_from")
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
            row = {name.removeprefix("include_").replace("_", " "): "in" if flag else "out"
                   for name, flag in zip(vary, combo)}
            row["reporter"] = who if isinstance(who, str) else " or ".join(who)
            row["events"] = int(len(table))
            row["missiles"] = int(table["missiles"].sum(skipna=True))
            row["no figure"] = int(table["missiles"].isna().sum())
            rows.append(row)
    out = pd.DataFrame(rows)
    out.index = [f"rule {i}" for i in range(1, len(out) + 1)]
    return out


# --- the article's count -----------------------------------------------------------------------

#: The article's claim, as a pattern over sentence p11s01.
CLAIM = re.compile(r"about (?P<missiles>\d+) missiles in (?P<events>\d+) different launch events")


def article_window(package: str | os.PathLike | None = None) -> dict[str, pd.Timestamp]:
    """``start`` and ``end`` of "this year" in the article: 1 January to the day of KCNA's report.

    The article relays KCNA's report of the meeting, so it was written on that day (timeline
    event ``kcna-report``) or later; the article itself carries no date.
    """
    timeline = load("timeline", package).set_index("event_id")
    end = timeline.loc["kcna-report", "date_start"]
    return {"start": pd.Timestamp(year=end.year, month=1, day=1), "end": end}


def _events_phrase(number: int) -> str:
    return f"{number} launch event" + ("" if number == 1 else "s")


def article_facts(package: str | os.PathLike | None = None) -> dict[str, int | str]:
    """The figures chapter 5 states, computed from the data (plain ``int`` and ``str``, for glue).

    Raises ``ValueError`` if sentence p11s01 no longer states a count of missiles and events.
    """
    from .render import format_date, format_date_range

    sentences = load("article_sentences", package).set_index("sentence_id")["text"]
    claim = CLAIM.search(sentences["p11s01"])
    if claim is None:
        raise ValueError("sentence p11s01 no longer says 'about N missiles in M ... launch events'")
    events, reports = load("launch_events", package), load("launch_reports", package)
    exercises = load("exercises", package)
    window = article_window(package)
    start, end = window["start"], window["end"]

    def n(**rules):
        return count(events, reports, **window, **rules)

    later = events.loc[events["date"] > end, "date"]
    wider = {"start": start - pd.Timedelta(days=1), "end": end}
    fs23 = exercises.set_index("exercise_id").loc["fs23"]
    # The launch of 9 March 2023: the JCS announced one missile, then "several"; KBS World later
    # wrote six, the number in Rodong Sinmun's photos (reporter "other").
    revised = reports[reports["event_id"] == "2023-03-09-a"].set_index("reporter")["missiles"]
    revised_date = events.set_index("event_id").loc["2023-03-09-a", "date"]
    return {
        "numbers_claim": claim.group(0),
        "numbers_claim_missiles": int(claim.group("missiles")),
        "numbers_claim_events": int(claim.group("events")),
        "numbers_start": format_date(start),
        "numbers_end": format_date(end),
        "numbers_year": int(end.year),
        "numbers_next_launch": format_date(later.min()) if len(later) else "none recorded",
        "numbers_events": n(),
        "numbers_events_no_cruise": n(include_cruise=False),
        "numbers_events_allies": n(reporter=("JCS", "Japan MOD")),
        "numbers_kcna_only_phrase": _events_phrase(n() - n(reporter=("JCS", "Japan MOD"))),
        "numbers_cruise_events": n() - n(include_cruise=False),
        "numbers_missiles_max": n(unit="missiles"),
        "numbers_missiles_jcs": n(unit="missiles", reporter="JCS"),
        "numbers_missiles_japan": n(unit="missiles", reporter="Japan MOD"),
        "numbers_missiles_kcna": n(unit="missiles", reporter="KCNA"),
        "numbers_missiles_gap": int(claim.group("missiles")) - n(unit="missiles"),
        "numbers_wider_start": format_date(wider["start"]),
        "numbers_wider_events": count(events, reports, **wider),
        "numbers_wider_missiles": count(events, reports, **wider, unit="missiles"),
        "numbers_first_year": int(events["date"].min().year),
        "numbers_last_year": int(events["date"].max().year),
        "numbers_revised_date": format_date(revised_date),
        "numbers_revised_first": int(revised["JCS"]),
        "numbers_revised_later": int(revised["other"]),
        "numbers_launch_events": int(len(events)),
        "numbers_reports": int(len(reports)),
        "numbers_exercises": int(len(exercises)),
        "numbers_fs23_dates": format_date_range(fs23["start"], fs23["end"]),
        # The description as the data note it, without its closing attribution "(The Hill)".
        "numbers_fs23_scale": re.sub(r"\s*\([^()]*\)\s*$", "", str(fs23["scale_as_reported"])),
    }


def count_sheet(package: str | os.PathLike | None = None) -> str:
    """The launch events of the article's "this year", as a CSV for counting by hand.

    One row per event in :func:`article_window`, with its date, class and names, and one column per
    reporter who reported any of them: the number of missiles that reporter gave, ``announced, no
    number`` where it announced the launch without one, and empty where it did not report it. The
    class and every reporter's word are there, so pupils can choose their own counting rule.
    """
    events, reports = load("launch_events", package), load("launch_reports", package)
    chosen = _window(events, **article_window(package)).sort_values(["date", "event_id"])
    said = reports[reports["event_id"].isin(chosen["event_id"]) & announced(reports)]
    who = [r for r in REPORTERS if r in set(said["reporter"])]
    columns = {r: "missiles_" + re.sub(r"\W+", "_", r.lower()) for r in who}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["event_id", "date", "system_class", "name_north", "name_other", *columns.values()])
    for event in chosen.itertuples(index=False):
        mine = said[said["event_id"] == event.event_id].set_index("reporter")["missiles"]
        cells = []
        for r in who:
            if r not in mine.index:
                cells.append("")
            elif pd.isna(mine[r]):
                cells.append("announced, no number")
            else:
                cells.append(str(int(mine[r])))
        names = ["" if pd.isna(v) else v for v in (event.name_north, event.name_other)]
        writer.writerow([event.event_id, f"{event.date:%Y-%m-%d}", event.system_class, *names, *cells])
    return out.getvalue()


# --- competing figures ------------------------------------------------------------------------


def _window(frame: pd.DataFrame, start, end) -> pd.DataFrame:
    if start is not None:
        frame = frame[frame["date"] >= _day(start)]
    if end is not None:
        frame = frame[frame["date"] <= _day(end)]
    return frame


def side_by_side(
    events: pd.DataFrame,
    reports: pd.DataFrame,
    *,
    field: str = "missiles",
    start=None,
    end=None,
    reporters: tuple[str, ...] = REPORTERS,
) -> pd.DataFrame:
    """Each event's figure for ``field`` (missiles, range_km or apogee_km), one column per reporter.

    Only events in the date range with at least one figure are kept, and only reporters with at
    least one figure among them. Extra columns: ``figures`` (how many reporters gave one),
    ``spread`` (highest minus lowest) and ``disagree`` (True when two figures differ). Any
    difference counts as a disagreement: 1,000 and 999.2 km disagree. Whether a difference
    matters is for the reader to judge, not the table.
    """
    if field not in FIGURES:
        raise ValueError(f"field must be one of {', '.join(FIGURES)}, not {field!r}")
    ids = _window(events, start, end)["event_id"]
    rows = reports[reports["event_id"].isin(ids) & reports["reporter"].isin(reporters)]
    rows = rows.dropna(subset=[field])
    wide = rows.pivot(index="event_id", columns="reporter", values=field)
    wide = wide[[r for r in reporters if r in wide.columns]].sort_index()
    wide.columns = list(wide.columns)
    figures = wide.notna().sum(axis=1).astype(int)
    spread = wide.max(axis=1) - wide.min(axis=1)
    wide["figures"] = figures
    wide["spread"] = spread
    wide["disagree"] = (spread > 0).astype(bool)
    return wide.rename_axis(index="event")


def disagreements(
    events: pd.DataFrame,
    reports: pd.DataFrame,
    *,
    start=None,
    end=None,
    figures: tuple[str, ...] = FIGURES,
) -> pd.DataFrame:
    """Every (event, figure) on which reporters disagree, with the figures in words.

    One row per disagreement, indexed by event, with ``figure`` (missiles, range_km, apogee_km),
    ``figures`` (for example ``"JCS 390 · Japan MOD 400"``) and ``spread``.
    """
    rows = []
    for name in figures:
        wide = side_by_side(events, reports, field=name, start=start, end=end)
        who = [c for c in wide.columns if c in REPORTERS]
        for event, row in wide[wide["disagree"]].iterrows():
            said = " · ".join(f"{r} {row[r]:g}" for r in who if pd.notna(row[r]))
            rows.append({"event": event, "figure": name, "figures": said,
                         "spread": float(row["spread"])})
    out = pd.DataFrame(rows, columns=["event", "figure", "figures", "spread"])
    return out.sort_values(["event", "figure"]).set_index("event")


# --- action and reaction ----------------------------------------------------------------------


def daily_launches(events: pd.DataFrame, *, start, end, **rules) -> pd.Series:
    """Launch events per calendar day from ``start`` to ``end`` (inclusive), zeros included.

    ``rules`` are the class rules of :class:`Rules` (reporter and unit are ignored: every event
    in the table counts once, whoever announced it).
    """
    classes = Rules(**{k: v for k, v in rules.items() if k.startswith("include_")}).classes()
    days = pd.date_range(_day(start), _day(end), freq="D")
    chosen = _window(events, start, end)
    chosen = chosen[chosen["system_class"].isin(classes)]
    per_day = chosen.groupby("date").size()
    return per_day.reindex(days, fill_value=0).astype(int).rename("launch events")


def exercise_window(
    exercises: pd.DataFrame, *, start, end, before: int = 0, after: int = 3
) -> pd.Series:
    """True for each day from ``start`` to ``end`` that falls in an exercise window.

    An exercise's window runs from ``before`` days before its first day to ``after`` days after
    its last day (an exercise with no end date lasts one day). The default, 0 and 3, asks: did a
    launch come during an exercise or within three days of its end?
    """
    days = pd.date_range(_day(start), _day(end), freq="D")
    inside = np.zeros(len(days), dtype=bool)
    for row in exercises.itertuples():
        last = row.end if pd.notna(row.end) else row.start
        first = row.start - pd.Timedelta(days=before)
        last = last + pd.Timedelta(days=after)
        inside |= (days >= first) & (days <= last)
    return pd.Series(inside, index=days, name="in a window")


@dataclass(frozen=True)
class PermutationResult:
    """What :func:`permutation_test` found. Rates are launch events per ``RATE_DAYS`` (30) days."""

    observed: float
    p_value: float
    n_permutations: int
    method: str
    seed: int
    rate_inside: float
    rate_outside: float
    days_inside: int
    days_outside: int
    events_inside: int
    events_outside: int
    null: np.ndarray = _field(repr=False, compare=False)


def _difference(counts: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Rate inside minus rate outside, per RATE_DAYS days, for each row of ``counts``."""
    n_in, n_out = inside.sum(), (~inside).sum()
    rate_in = counts[..., inside].sum(axis=-1) / n_in
    return RATE_DAYS * (rate_in - counts[..., ~inside].sum(axis=-1) / n_out)


def permutation_test(
    daily: pd.Series,
    window: pd.Series,
    *,
    n_permutations: int = 9999,
    method: str = "shift",
    seed: int = 20230411,
) -> PermutationResult:
    """Do launches come more often inside the exercise windows than outside them?

    ``daily`` holds launch events per day and ``window`` marks the window days, on the same days
    (see :func:`daily_launches` and :func:`exercise_window`). The statistic is the rate of launch
    events inside the windows minus the rate outside, per 30 days. The test asks how often a
    difference at least this large would arise if launch dates had nothing to do with the
    windows. It rearranges the launch dates and recomputes the difference:

    ``method="shift"``
        Slide the whole sequence of launch days by every possible number of days, 1 to n - 1 for
        a period of n days, wrapping around the end of the period: an exact test, with no
        randomness (``n_permutations`` and ``seed`` are not used). This keeps the launches' own
        rhythm (campaigns of several launches in a few days) and moves it against the exercise
        calendar, and also across the seasons.
    ``method="shuffle"``
        Shuffle the days at random, ``n_permutations`` times with a fixed ``seed``. This assumes
        every day is alike and launches are independent of one another, which they are not, so
        it tends to overstate how surprising a cluster is.

    The p-value is one-sided: (1 + number of rearrangements with a difference at least as large
    as observed) / (1 + number of rearrangements); the 1 is the real arrangement itself.

    What the test cannot show: a small p-value says launches and windows coincide more than
    rearrangements of *these* dates usually do. It does not say that exercises cause
    launches (or the reverse: allies also schedule drills after launches), and it cannot separate
    either from a common cause, such as both sides' annual training calendars and the seasons. A
    large p-value does not show that there is no link: with a few dozen events the test has little
    power.
    """
    if method not in ("shift", "shuffle"):
        raise ValueError(f"method must be 'shift' or 'shuffle', not {method!r}")
    if not daily.index.equals(window.index):
        raise ValueError("daily and window must cover the same days")
    counts = daily.to_numpy(dtype=np.int64)
    inside = window.to_numpy(dtype=bool)
    if inside.all() or not inside.any():
        raise ValueError("the window must contain some days of the period, but not all of them")
    observed = float(_difference(counts, inside))
    if method == "shift":
        n_permutations = len(counts) - 1
        null = np.array([_difference(np.roll(counts, k), inside) for k in range(1, len(counts))])
    else:
        rng = np.random.default_rng(seed)
        null = np.array([_difference(rng.permutation(counts), inside) for _ in range(n_permutations)])
    extreme = int((null >= observed - 1e-9).sum())
    n_in, n_out = int(inside.sum()), int((~inside).sum())
    e_in, e_out = int(counts[inside].sum()), int(counts[~inside].sum())
    return PermutationResult(
        observed=observed,
        p_value=(1 + extreme) / (1 + n_permutations),
        n_permutations=int(n_permutations),
        method=method,
        seed=int(seed),
        rate_inside=RATE_DAYS * e_in / n_in,
        rate_outside=RATE_DAYS * e_out / n_out,
        days_inside=n_in,
        days_outside=n_out,
        events_inside=e_in,
        events_outside=e_out,
        null=null,
    )


# --- the CNS North Korea Missile Test Database ------------------------------------------------

#: The columns of the CNS North Korea Missile Test Database that :func:`read_cns` knows:
#: header in the file -> (our column name, kind, required). See :func:`read_cns` for where they
#: were verified. Kinds: ``date``, ``km`` (a distance, "Unknown"/"N/A" for missing), ``number``,
#: ``text``.
CNS_COLUMNS: dict[str, tuple[str, str, bool]] = {
    "F1": ("cns_row", "text", False),
    "Date": ("date", "date", True),
    "Date Entered/Updated": ("entered", "text", False),
    "Launch Time (UTC)": ("launch_time_utc", "text", False),
    "Missile Name": ("missile_name", "text", True),
    "Missile Type": ("missile_type", "text", True),
    "Launch Agency/Authority": ("launch_agency", "text", False),
    "Facility Name": ("facility_name", "text", True),
    "Facility Location": ("facility_location", "text", False),
    "Other Name": ("other_name", "text", False),
    "Facility Latitude": ("latitude", "number", False),
    "Facility Longitude": ("longitude", "number", False),
    "Landing Location": ("landing_location", "text", False),
    "Apogee": ("apogee_km", "km", True),
    "Distance Travelled": ("distance_km", "km", True),
    "Confirmation Status": ("confirmation", "text", False),
    "Test Outcome": ("outcome", "text", True),
    "Additional Information": ("additional_information", "text", False),
    "Source(s)": ("sources", "text", False),
}

MISSING = re.compile(r"^(unknown.*|n/?a|)$", re.IGNORECASE)
KM = re.compile(r"^(?P<n>\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*(km)?$", re.IGNORECASE)
KM_RANGE = re.compile(
    r"^between\s+(?P<a>[\d,.]+)\s*(km)?\s+and\s+(?P<b>[\d,.]+)\s*(km)?$", re.IGNORECASE
)
DATE_FORMATS = {  # format -> precision
    "%Y-%m-%d": "day",
    "%Y-%m-%d %H:%M:%S": "day",
    "%d-%b-%y": "day",
    "%d-%b-%Y": "day",
    "%m/%d/%Y": "day",
    "%b-%y": "month",
}
DATE_HELP = "accepted: 2023-03-16, 16-Mar-23, 16-Mar-2023, 03/16/2023, or Mar-23 for a month"
KM_HELP = "accepted: 900, 900 km, 1,380 km, between 25 and 90 km; Unknown or N/A if missing"


def _parse_date(text: str) -> tuple[date, str] | None:
    for fmt, precision in DATE_FORMATS.items():
        try:
            return datetime.strptime(text, fmt).date(), precision
        except ValueError:
            continue
    return None


def _parse_km(text: str) -> float | None:
    """A distance in km; None for a missing value. Raises ValueError for anything else."""
    if MISSING.match(text):
        return None
    if KM.match(text):
        return float(re.sub(r"(?i)km|,|\s", "", text))
    found = KM_RANGE.match(text)
    if found:
        a, b = (found.group(g).replace(",", "") for g in ("a", "b"))
        try:
            return max(float(a), float(b))
        except ValueError:
            pass
    raise ValueError(text)


def _decode(raw: bytes) -> str:
    """UTF-8 if it is; otherwise Windows-1252, the encoding of a CSV saved by Excel."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def read_cns(path: str | os.PathLike) -> pd.DataFrame:
    """Read a CSV copy of the CNS North Korea Missile Test Database, checking every cell it uses.

    **The database.** The James Martin Center for Nonproliferation Studies (CNS) compiles it for
    the Nuclear Threat Initiative (NTI), which publishes it as an Excel workbook on nti.org ("The
    CNS North Korea Missile Test Database"). It records flight tests of North Korean missiles
    capable of delivering a payload of at least 500 kg at least 300 km, from April 1984 on. The
    module does not redistribute it: download it from NTI, save its "Missile Tests" sheet as CSV,
    and pass the file's path. :func:`write_cns_sample` writes an invented file to try this on.

    **Columns this function relies on** (required; a missing one is an error):

    - ``Date``: the date of the test, as ``2023-03-16``, ``16-Mar-23``, ``16-Mar-2023``,
      ``03/16/2023`` (month first, as US Excel writes it) or ``Mar-23`` when only the month is
      known. Becomes ``date`` (the first of the month for a month), with ``date_precision``
      (``day`` or ``month``).
    - ``Missile Name`` -> ``missile_name``; ``Missile Type`` (SRBM, ICBM, ...) ->
      ``missile_type``; ``Facility Name`` -> ``facility_name``: text, kept as written.
    - ``Apogee`` -> ``apogee_km`` and ``Distance Travelled`` -> ``distance_km``: kilometres,
      written ``900``, ``900 km``, ``1,380 km`` or ``between 25 and 90 km`` (the larger figure is
      kept, as the module's own tables keep the largest); ``Unknown`` or ``N/A`` for missing.
      The text as written is kept in ``apogee_as_given`` and ``distance_as_given``.
    - ``Test Outcome`` -> ``outcome`` (Success, Failure, Unknown): text, kept as written.

    **Columns kept if present** (optional): ``F1`` (the database's row number) -> ``cns_row``,
    ``Date Entered/Updated``, ``Launch Time (UTC)``, ``Launch Agency/Authority``,
    ``Facility Location``, ``Other Name``, ``Facility Latitude`` and ``Facility Longitude``
    (numbers), ``Landing Location``, ``Confirmation Status`` (Confirmed, Unconfirmed),
    ``Additional Information`` and ``Source(s)``; see :data:`CNS_COLUMNS` for their new names.
    Columns the function does not know are kept unchanged.

    **Where the columns were verified.** The stored nti.org pages we could search ("Understanding
    North Korea's Missile Tests", by CNS) and an R package's documentation on rdrr.io
    (knapply/data4ds4da, "The CNS Missile and SLV Launch Databases") confirm the database, its
    publisher and its 500 kg / 300 km rule, but show no column list. The nineteen header names
    above come from code that reads the real file: that package's
    ``data-raw/north_korea_missile_test_database.R`` (file downloaded from
    nti.org/documents/2137/north_korea_missile_test_database.xlsx on 11 January 2020), which
    lists all nineteen in order, and two independent scripts reading CSV exports of the sheet,
    which use the same names, a header row starting ``F1`` below a few title rows, dates such as
    ``09-Apr-84`` and ``Sep-84``, distances such as ``1,380 km`` and ``between 25 and 90 km``,
    and ``Unknown`` and ``N/A`` for missing values. NTI may have changed the layout since: if
    this function reports a missing column, compare the file's header with this list.

    **Checks.** The header row may follow title rows: it is the first row that names ``Date``
    and ``Missile Name``. Every required column must be present, every ``Date`` must be a date in
    one of the forms above, every distance and coordinate a number. Anything else raises
    :class:`~reading_deterrence.data.DataError`, listing each problem with its row (counted as a
    spreadsheet counts them: the file's first row is row 1) and column. Empty rows are skipped.
    The file may be UTF-8 or Windows-1252 (Excel's usual CSV encoding).
    """
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise DataError([Problem(shown, None, None, "the file does not exist")])
    rows = list(csv.reader(io.StringIO(_decode(path.read_bytes()), newline="")))
    required = [name for name, (_, _, needed) in CNS_COLUMNS.items() if needed]

    header_at = next(
        (i for i, row in enumerate(rows[:30])
         if {"Date", "Missile Name"} <= {cell.strip() for cell in row}),
        None,
    )
    if header_at is None:
        first = [cell.strip() for cell in rows[0]] if rows else []
        missing = [name for name in required if name not in first]
        raise DataError(
            [Problem(shown, 1, name, "missing column: no row of the file names both 'Date' and "
                     "'Missile Name', so this does not look like the CNS database")
             for name in missing]
        )
    header = [cell.strip() for cell in rows[header_at]]
    header_row = header_at + 1
    missing = [name for name in required if name not in header]
    if missing:
        raise DataError(
            [Problem(shown, header_row, name,
                     "missing column (the loader needs: " + ", ".join(required) + ")")
             for name in missing]
        )

    problems: list[Problem] = []
    records = []
    for number, row in enumerate(rows[header_at + 1:], start=header_row + 1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))
        record: dict[str, object] = {"row": number}
        for name, text in zip(header, cells):
            if not name:
                continue
            new, kind, _ = CNS_COLUMNS.get(name, (name, "text", False))
            if kind == "date":
                parsed = _parse_date(text)
                if parsed is None:
                    message = ("empty cell: a date is required" if not text
                               else f"{text!r} is not a date ({DATE_HELP})")
                    problems.append(Problem(shown, number, name, message))
                    record[new], record["date_precision"] = None, None
                else:
                    record[new], record["date_precision"] = parsed
            elif kind == "km":
                try:
                    record[new] = _parse_km(text)
                except ValueError:
                    problems.append(Problem(
                        shown, number, name, f"{text!r} is not a number of km ({KM_HELP})"))
                    record[new] = None
                record[new.replace("_km", "_as_given")] = text or None
            elif kind == "number":
                if MISSING.match(text):
                    record[new] = None
                else:
                    try:
                        record[new] = float(text)
                    except ValueError:
                        problems.append(Problem(shown, number, name, f"{text!r} is not a number"))
                        record[new] = None
            else:
                record[new] = text or None
        records.append(record)
    if problems:
        raise DataError(problems)
    if not records:
        raise DataError([Problem(shown, header_row + 1, None, "the file has a header but no rows")])

    out = pd.DataFrame.from_records(records).set_index("row")
    out.index.name = "row"
    out["date"] = pd.to_datetime(out["date"])
    for name, (new, kind, _) in CNS_COLUMNS.items():
        if new not in out.columns:
            continue
        if kind in ("km", "number"):
            out[new] = out[new].astype("Float64")
        elif kind == "text":
            out[new] = out[new].astype("string")
    for given in ("apogee_as_given", "distance_as_given"):
        out[given] = out[given].astype("string")
    out["date_precision"] = out["date_precision"].astype("string")
    return out


#: The invented sample: the CNS header, and rows we made up. None of it is real.
CNS_SAMPLE_TITLE = (
    "INVENTED SAMPLE made up by the Reading Deterrence authors to try read_cns(); "
    "NOT data from the CNS North Korea Missile Test Database"
)
CNS_SAMPLE_ROWS = [
    # F1, Date, Date Entered/Updated, Launch Time (UTC), Missile Name, Missile Type,
    # Launch Agency/Authority, Facility Name, Facility Location, Other Name, Facility Latitude,
    # Facility Longitude, Landing Location, Apogee, Distance Travelled, Confirmation Status,
    # Test Outcome, Additional Information, Source(s)
    ["1", "03-Feb-21", "10-Feb-21", "Unknown", "Example-A (invented)", "SRBM", "Unknown",
     "Invented Test Field", "Nowhere Province (invented)", "N/A", "40.0", "128.0",
     "Sea (invented)", "50 km", "450 km", "Confirmed", "Success",
     "Invented row for teaching; not a real test.", "None: invented"],
    ["2", "03-Feb-21", "10-Feb-21", "Unknown", "Example-A (invented)", "SRBM", "Unknown",
     "Invented Test Field", "Nowhere Province (invented)", "N/A", "40.0", "128.0",
     "Sea (invented)", "Unknown", "Unknown", "Confirmed", "Unknown",
     "Invented row for teaching; a second missile the same day.", "None: invented"],
    ["3", "2021-07-15", "2021-07-20", "Unknown", "Example-B (invented)", "IRBM", "Unknown",
     "Imaginary Airfield", "Nowhere Province (invented)", "N/A", "N/A", "N/A",
     "Unknown", "1,234 km", "between 600 and 700 km", "Unconfirmed", "Failure",
     "Invented row for teaching; range given as a span.", "None: invented"],
    ["4", "Nov-21", "30-Nov-21", "Unknown", "Example-C (invented)", "Unknown", "Unknown",
     "Unknown", "Unknown", "N/A", "N/A", "N/A",
     "Unknown", "N/A", "N/A", "Unconfirmed", "Unknown",
     "Invented row for teaching; only the month is known.", "None: invented"],
]


def write_cns_sample(path: str | os.PathLike) -> Path:
    """Write a small file in the CNS database's layout, with rows we invented, and return its path.

    It has a title row that says it is invented, the nineteen CNS column names (see
    :func:`read_cns`) and four made-up tests: a day-month-year date and an ISO date, a month-only
    date, distances with a comma, a span and ``Unknown``. Nothing in it is real, and no row is
    copied from the CNS database. Use it to try :func:`read_cns`, and break it to see the checks.
    """
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([CNS_SAMPLE_TITLE])
        writer.writerow([])
        writer.writerow(list(CNS_COLUMNS))
        writer.writerows(CNS_SAMPLE_ROWS)
    return path
