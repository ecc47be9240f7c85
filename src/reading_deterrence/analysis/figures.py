"""Competing figures: what each reporter said about the same launch, side by side.

Where the JCS, Japan's defence ministry and KCNA give different numbers of missiles, ranges or
apogees for one launch event, the module keeps every figure (``launch_reports``); these
functions line them up and list where they differ.
"""

from __future__ import annotations

import pandas as pd

from .counting import REPORTERS, in_window

__all__ = ["FIGURES", "disagreements", "side_by_side"]

#: The figures a report can give, as columns of ``launch_reports``.
FIGURES = ("missiles", "range_km", "apogee_km")


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
    ids = in_window(events, start, end)["event_id"]
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
            rows.append({"event": event, "figure": name, "figures": said, "spread": float(row["spread"])})
    out = pd.DataFrame(rows, columns=["event", "figure", "figures", "spread"])
    return out.sort_values(["event", "figure"]).set_index("event")
