"""Discernment: telling sound items from unsound ones, scored as signal detection (issue 14).

A student judges each item of a form of the bank (``discernment_items``) on a six-point scale
(:data:`SCALE`: 1 sure sound ... 6 sure unsound). The *signal* is an unsound item; to *flag* an
item is to rate it 4 or more (:data:`FLAG_FROM`). Then:

- hit rate H = flagged unsound / unsound; false-alarm rate F = flagged sound / sound (as
  proportions, :func:`score`'s ``hit_rate`` and ``false_alarm_rate``);
- d′ = z(H) − z(F) and c = −(z(H) + z(F)) / 2, from the rates with the log-linear correction
  (Hautus 1995): H = (hits + 0.5) / (unsound + 1), F = (false alarms + 0.5) / (sound + 1), so that
  rates of 0 and 1 give finite values; z is the inverse of the standard normal distribution;
- AUC, the area under the empirical ROC curve of the ratings (trapezoids), which equals the
  probability that a random unsound item was rated more "unsound" than a random sound one (ties
  count half): 0.5 is guessing, 1 is perfect.

d′ measures discernment, c the lean: negative c is a lean to flag (doubt), positive a lean to
trust. :func:`reading` says it in plain words. The page's script (``lab-discernment.js``) computes
the same numbers and words; a browser test holds the two to each other.

Result files (what the page downloads; the class report reads a folder of them) are read and
scored by :mod:`.discernment_results`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from statistics import NormalDist

import pandas as pd

from ..contract import DataError, Problem
from .counting import REPORTERS, announced, counted

__all__ = [
    "FLAG_FROM",
    "VERDICTS",
    "KINDS",
    "SCALE",
    "MEASURES",
    "auc",
    "chart_values",
    "check_bank",
    "fixed",
    "form_balance",
    "reading",
    "roc_points",
    "score",
    "verdict_key",
    "z",
]

#: The six answers, from 1 to 6.
SCALE = ("sure sound", "probably sound", "maybe sound", "maybe unsound", "probably unsound", "sure unsound")
#: A rating of this or more flags the item as unsound.
FLAG_FROM = 4
#: The kinds of item, in the order the page lists them.
KINDS = ("quotation", "checkable", "attribution", "chart", "relay", "count")
#: Where :func:`reading` draws its lines: |c| of at least BIAS is a lean; d′ below LOW is "not
#: yet discerning", from HIGH "discerning well".
BIAS, LOW, HIGH = 0.5, 0.5, 1.5

_NORMAL = NormalDist()


def z(p: float) -> float:
    """The standard normal quantile of ``p`` (0 < p < 1)."""
    return _NORMAL.inv_cdf(p)


def auc(unsound: list[int], sound: list[int]) -> float:
    """P(a random unsound item's rating > a random sound item's), ties counting half."""
    if not unsound or not sound:
        raise ValueError("the AUC needs at least one sound and one unsound item")
    wins = sum((u > s) + 0.5 * (u == s) for u in unsound for s in sound)
    return wins / (len(unsound) * len(sound))


def roc_points(unsound: list[int], sound: list[int]) -> list[tuple[float, float]]:
    """The empirical ROC curve: (F, H) if "flag" meant "rated k or more", for k = 7, 6, ..., 1."""
    return [
        (sum(s >= k for s in sound) / len(sound), sum(u >= k for u in unsound) / len(unsound))
        for k in range(len(SCALE) + 1, 0, -1)
    ]


def score(ratings: Mapping[str, int], bank: pd.DataFrame) -> dict:
    """Score ratings (item ID -> 1..6) against the bank: counts, rates, d′, c and AUC.

    Every item rated counts (the page and :func:`read_results` make sure a form is complete).
    ``hit_rate`` and ``false_alarm_rate`` are plain proportions; ``d_prime`` and ``c`` use the
    log-linearly corrected rates (module docstring). ``ValueError`` for an unknown item, a
    rating outside 1..6, or ratings without both a sound and an unsound item.
    """
    truth = dict(zip(bank["item_id"], bank["sound"].astype(bool)))
    unsound, sound = [], []
    for item, rating in ratings.items():
        if item not in truth:
            raise ValueError(f"{item!r} is not an item of the bank")
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= len(SCALE):
            raise ValueError(f"the rating of {item} is {rating!r}, not a whole number from 1 to {len(SCALE)}")
        (sound if truth[item] else unsound).append(rating)
    area = auc(unsound, sound)
    hits = sum(r >= FLAG_FROM for r in unsound)
    false_alarms = sum(r >= FLAG_FROM for r in sound)
    zh = z((hits + 0.5) / (len(unsound) + 1))
    zf = z((false_alarms + 0.5) / (len(sound) + 1))
    return {
        "unsound": len(unsound),
        "sound": len(sound),
        "hits": hits,
        "misses": len(unsound) - hits,
        "false_alarms": false_alarms,
        "correct_rejections": len(sound) - false_alarms,
        "hit_rate": hits / len(unsound),
        "false_alarm_rate": false_alarms / len(sound),
        "d_prime": zh - zf,
        "c": -(zh + zf) / 2,
        "auc": area,
    }


def fixed(x: float, places: int = 2) -> str:
    """``x`` rounded half up to ``places`` decimals, with a true minus sign: "−0.62".

    Rounded as ``floor(x * 10**places + 0.5)``, which the page's script computes bit for bit
    the same way, so that page and package print the same digits even at exact halves.
    """
    m = math.floor(x * 10**places + 0.5)
    text = f"{abs(m) / 10**places:.{places}f}"
    return ("−" if m < 0 else "") + text


#: The sentence on discernment and lean, by :func:`verdict_key` (the page's script reads them).
VERDICTS = {
    "misled": "Your flags fell more often on sound items than on unsound ones: "
    "read the explanations to see what misled you.",
    "low-sceptical": "You are sceptical, not yet discerning: "
    "your doubts fell on sound items about as often as on unsound ones.",
    "low-trusting": "You are trusting, not yet discerning: what you let through was about as often unsound as sound.",
    "low-balanced": "You are not yet discerning: "
    "your flags fell on sound and unsound items about equally, as guessing would.",
    "some-sceptical": "You discern somewhat, better than guessing, but you lean to doubt: you flagged sound items too.",
    "some-trusting": "You discern somewhat, better than guessing, but you lean to trust: "
    "you let unsound items through.",
    "some-balanced": "You discern somewhat: better than guessing, with room to improve, and your doubts are balanced.",
    "high-sceptical": "You discern well, with a lean to doubt.",
    "high-trusting": "You discern well, with a lean to trust.",
    "high-balanced": "You discern well, and your doubts are balanced.",
}


def verdict_key(d: float, c: float) -> str:
    """Which of :data:`VERDICTS`: d′ below :data:`LOW`, up to :data:`HIGH`, or above; |c| from :data:`BIAS`."""
    if d <= -LOW:
        return "misled"
    lean = "sceptical" if c <= -BIAS else "trusting" if c >= BIAS else "balanced"
    return f"{'low' if d < LOW else 'some' if d < HIGH else 'high'}-{lean}"


def reading(s: Mapping) -> str:
    """A score (from :func:`score`) in plain words, for the student who earned it."""
    n = s["unsound"] + s["sound"]
    k = s["hits"] + s["false_alarms"]
    if k == n:
        first = f"You flagged all {n} items as unsound."
    elif k == 0:
        first = f"You flagged none of the {n} items: you called every one sound."
    elif 4 * k >= 3 * n:
        first = f"You flagged almost everything: {k} of {n} items."
    elif 4 * k <= n:
        first = f"You flagged very little: {k} of {n} items."
    else:
        first = f"You flagged {k} of {n} items as unsound."
    caught = (
        f"You caught {s['hits']} of the {s['unsound']} unsound items and doubted "
        f"{s['false_alarms']} of the {s['sound']} sound ones."
    )
    numbers = f"(d′ = {fixed(s['d_prime'])}, c = {fixed(s['c'])}.)"
    confidence = (
        f"Your confidence: you rated an unsound item more doubtfully than a sound one {fixed(100 * s['auc'], 0)}% "
        "of the time (50% is guessing, 100% is perfect)."
    )
    return " ".join([first, caught, VERDICTS[verdict_key(s["d_prime"], s["c"])], numbers, confidence])


# --- the bank ---------------------------------------------------------------------------------


def check_bank(bank: pd.DataFrame, file: str = "discernment_items.csv") -> None:
    """The rules of the bank the schema cannot state; ``DataError`` naming row and column.

    Each pair has exactly two items, one sound and one unsound, of the same kind and form; a
    chart spec is given for chart items and only for them; each form holds both sound and
    unsound items; and the forms are matched: the same number of pairs of each kind, and total
    difficulty within one point.
    """
    problems = []
    rows = {item: i + 2 for i, item in enumerate(bank["item_id"])}
    for pair, items in bank.groupby("pair_id", sort=True):
        first = rows[items["item_id"].iloc[0]]
        if len(items) != 2:
            problems.append(Problem(file, first, "pair_id", f"pair {pair} has {len(items)} items, not 2"))
            continue
        if items["sound"].astype(bool).sum() != 1:
            problems.append(Problem(file, first, "sound", f"pair {pair} needs one sound and one unsound item"))
        for column in ("kind", "form"):
            if items[column].nunique() != 1:
                problems.append(Problem(file, first, column, f"the two items of pair {pair} differ in {column}"))
    for row in bank.itertuples(index=False):
        has_chart = isinstance(row.chart, str) and row.chart != ""
        if has_chart != (row.kind == "chart"):
            what = "a chart item needs a chart spec" if row.kind == "chart" else "only chart items have a chart spec"
            problems.append(Problem(file, rows[row.item_id], "chart", what))
    if not problems:
        balance = form_balance(bank)
        if balance.iloc[:-1].nunique(axis=1).gt(1).any():
            problems.append(Problem(file, None, "kind", "the forms hold different numbers of pairs of some kind"))
        if balance.loc["total difficulty"].max() - balance.loc["total difficulty"].min() > 1:
            problems.append(Problem(file, None, "difficulty", "the forms' total difficulty differs by more than 1"))
    if problems:
        raise DataError(problems)


def form_balance(bank: pd.DataFrame) -> pd.DataFrame:
    """Pairs of each kind in each form (rows: kinds, then ``total difficulty``; columns: forms)."""
    pairs = bank.drop_duplicates("pair_id")
    table = pd.crosstab(pairs["kind"], pairs["form"]).reindex([k for k in KINDS if k in set(pairs["kind"])])
    table.loc["total difficulty"] = bank.groupby("form")["difficulty"].sum()
    return table.astype(int).rename_axis(index=None, columns="form")


# --- the data behind chart items -----------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
#: Reporters in full, for a chart's text alternative.
REPORTER_NAMES = {
    "JCS": "South Korea’s Joint Chiefs of Staff (JCS)",
    "Japan MOD": "Japan’s Ministry of Defense",
    "KCNA": "KCNA",
    "US INDOPACOM": "US Indo-Pacific Command",
    "other": "other sources",
}
#: The measures a chart item can draw (``TABLE:MEASURE``; YYYY a year, N a quarter, EVENT an
#: event_id), with the unit of their bars and what the bars are.
MEASURES = {
    "launch_events:by_year": ("launch events", "year"),
    "launch_events:by_quarter": ("launch events", "quarter"),
    "launch_events:by_month_YYYY": ("launch events", "month"),
    "launch_reports:events_by_reporter_YYYY": ("launch events announced", "reporter"),
    "launch_reports:events_by_reporter_YYYYqN": ("launch events announced", "reporter"),
    "launch_reports:range_km_EVENT": ("range in km", "reporter"),
}
_SHAPES = (
    (re.compile(r"by_month_(\d{4})"), "by_month_YYYY"),
    (re.compile(r"events_by_reporter_(\d{4})"), "events_by_reporter_YYYY"),
    (re.compile(r"events_by_reporter_(\d{4})q([1-4])"), "events_by_reporter_YYYYqN"),
    (re.compile(r"range_km_(.+)"), "range_km_EVENT"),
)


def chart_values(spec: str, events: pd.DataFrame, reports: pd.DataFrame) -> tuple[pd.DataFrame, str, str]:
    """The bars of a chart measure, ``TABLE:MEASURE`` (one of :data:`MEASURES`), from the launch
    tables: a frame with ``label`` (short, for the axis), ``name`` (in full, for the text
    alternative) and ``value``, in order; the unit; and what each bar is (``"month"``...).

    Launch events are counted under the module's default rules
    (:class:`~reading_deterrence.analysis.counting.Rules`: satellite launches and "other" out); a
    reporter's events are those it announced. ``KeyError`` for another measure, or an unknown event.
    """
    name, _, measure = spec.partition(":")
    shape, args = measure, ()
    for pattern, general in _SHAPES:
        if found := pattern.fullmatch(measure):
            shape, args = general, found.groups()
    key = f"{name}:{shape}"
    if key not in MEASURES:
        raise KeyError(f"{spec!r} is not a chart measure (known: {', '.join(MEASURES)})")
    unit, what = MEASURES[key]
    if shape == "range_km_EVENT":
        rows = reports[(reports["event_id"] == args[0]) & reports["range_km"].notna()]
        if rows.empty:
            raise KeyError(f"no reporter gave a range for event {args[0]!r}")
        rows = rows.sort_values("reporter", key=lambda r: r.map(REPORTERS.index))
        labels, values = list(rows["reporter"]), [float(v) for v in rows["range_km"]]
        names = [REPORTER_NAMES[r] for r in labels]
    elif name == "launch_reports":
        year, quarter = int(args[0]), (int(args[1]) if len(args) > 1 else None)
        dates = events.set_index("event_id")["date"]
        said = reports[announced(reports)]
        when = said["event_id"].map(dates)
        said = said[(when.dt.year == year) & ((when.dt.quarter == quarter) if quarter else True)]
        per = said.groupby("reporter")["event_id"].nunique()
        labels = [r for r in REPORTERS if r in per.index]
        values, names = [int(per[r]) for r in labels], [REPORTER_NAMES[r] for r in labels]
    else:
        dates = counted(events, reports)["date"]
        labels, names, values = _by_date(dates, shape, args)
    return pd.DataFrame({"label": labels, "name": names, "value": values}), unit, what


def _by_date(dates: pd.Series, shape: str, args: tuple) -> tuple[list, list, list]:
    if shape == "by_month_YYYY":
        year = int(args[0])
        counts = dates[dates.dt.year == year].dt.month.value_counts().reindex(range(1, 13), fill_value=0)
        return [m[:3] for m in MONTHS], [f"{m} {year}" for m in MONTHS], [int(v) for v in counts]
    if shape == "by_year":
        counts = dates.dt.year.value_counts().sort_index()
        return [str(y) for y in counts.index], [str(y) for y in counts.index], [int(v) for v in counts]
    periods = dates.dt.to_period("Q")
    span = pd.period_range(periods.min(), periods.max(), freq="Q")
    counts = periods.value_counts().reindex(span, fill_value=0)
    return (
        [f"Q{p.quarter} {p.year}" for p in span],
        [f"quarter {p.quarter} of {p.year}" for p in span],
        [int(v) for v in counts],
    )
