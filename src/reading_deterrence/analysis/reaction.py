"""Action and reaction: do North Korean launches cluster around allied exercises?

:func:`daily_launches` and :func:`exercise_window` turn the tables into two series over the same
days; :func:`permutation_test` asks how often rearranged launch dates would coincide with the
windows as much as the real ones do, and says what such a test cannot show.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field

import numpy as np
import pandas as pd

from .counting import Rules, day, in_window

__all__ = ["RATE_DAYS", "PermutationResult", "daily_launches", "exercise_window", "permutation_test"]

#: Rates in the permutation test are launch events per this many days.
RATE_DAYS = 30


def daily_launches(events: pd.DataFrame, *, start, end, **rules) -> pd.Series:
    """Launch events per calendar day from ``start`` to ``end`` (inclusive), zeros included.

    ``rules`` are the class rules of :class:`Rules` (reporter and unit are ignored: every event
    in the table counts once, whoever announced it).
    """
    classes = Rules(**{k: v for k, v in rules.items() if k.startswith("include_")}).classes()
    days = pd.date_range(day(start), day(end), freq="D")
    chosen = in_window(events, start, end)
    chosen = chosen[chosen["system_class"].isin(classes)]
    per_day = chosen.groupby("date").size()
    return per_day.reindex(days, fill_value=0).astype(int).rename("launch events")


def exercise_window(exercises: pd.DataFrame, *, start, end, before: int = 0, after: int = 3) -> pd.Series:
    """True for each day from ``start`` to ``end`` that falls in an exercise window.

    An exercise's window runs from ``before`` days before its first day to ``after`` days after
    its last day (an exercise with no end date lasts one day). The default, 0 and 3, asks: did a
    launch come during an exercise or within three days of its end?
    """
    days = pd.date_range(day(start), day(end), freq="D")
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
