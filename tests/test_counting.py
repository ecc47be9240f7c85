"""Launch counts, competing figures, the permutation test and the count sheet.

The hand-made tables below are small enough to count on paper; each expected number has its
hand computation next to it. The real-data tests pin the figures that the NOTES of the launch
data (and the chapter's prose) rely on.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from reading_deterrence import load
from reading_deterrence.analysis.counting import Rules, announced, count, count_table, counted
from reading_deterrence.analysis.figures import disagreements, side_by_side
from reading_deterrence.analysis.reaction import daily_launches, exercise_window, permutation_test
from reading_deterrence.facts import article_window, launch_count_sheet, launch_count_view

# --- the real data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    return load("launch_events"), load("launch_reports"), load("exercises")


def test_every_launch_event_has_at_least_one_report(real):
    events, reports, _ = real
    per_event = reports.groupby("event_id").size()
    without = sorted(set(events["event_id"]) - set(per_event.index))
    assert without == [], f"events with no report: {without}"


def test_every_launch_event_has_at_least_one_announcement(real):
    """A row recording silence ("(no announcement)") does not make an event known."""
    events, reports, _ = real
    said = set(reports.loc[announced(reports), "event_id"])
    assert set(events["event_id"]) <= said


def test_every_report_names_a_known_source(real):
    _, reports, _ = real
    sources = set(load("sources")["source_id"])
    assert reports["source_id"].notna().all()
    assert set(reports["source_id"]) <= sources


# The figures of NOTES.md, "How 'about 30 missiles in 11 launch events' ... can be counted".
ARTICLE = {"start": "2023-01-01", "end": "2023-04-11"}


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ({}, 11),  # every launch event, cruise included: NHK's "eleventh time this year"
        ({"include_cruise": False}, 8),  # ballistic only: the JCS's "eighth" launch
        ({"include_cruise": False, "reporter": "JCS"}, 8),
        ({"reporter": ("JCS", "Japan MOD")}, 10),  # 23 Feb was announced by KCNA alone
        ({"unit": "missiles"}, 26),  # the most inclusive figure: highest from anyone
        ({"unit": "missiles", "reporter": "JCS"}, 12),
        ({"unit": "missiles", "reporter": "Japan MOD"}, 8),
        ({"unit": "missiles", "reporter": "KCNA"}, 20),
        ({"unit": "missiles", "reporter": ("JCS", "other"), "include_cruise": False}, 16),
    ],
)
def test_counts_to_11_april_2023_match_the_notes(real, rules, expected):
    events, reports, _ = real
    assert count(events, reports, **ARTICLE, **rules) == expected


def test_no_rule_reaches_about_30_missiles_in_11_events(real):
    events, reports, _ = real
    table = count_table(events, reports, **ARTICLE, vary=(
        "include_cruise", "include_rocket_artillery", "include_slv", "include_other"),
        reporters=("any", "JCS", "Japan MOD", "KCNA", "US INDOPACOM", "other"))
    eleven = table[table["events"] == 11]
    assert len(eleven) > 0
    assert eleven["missiles"].max() == 26
    assert table["missiles"].max() == 26


def test_jiji_running_count_of_28_by_28_october_2022(real):
    """NOTES: 28 events to 28 Oct 2022 once the two rocket-launcher events are left out."""
    events, reports, _ = real
    assert count(events, reports, start="2022-01-01", end="2022-10-28") == 28
    assert count(events, reports, start="2022-01-01", end="2022-10-28", include_other=True) == 30


def test_numbers_facts_state_the_claim_and_the_gap():
    from reading_deterrence.facts import numbers_facts

    facts = numbers_facts()
    assert (facts["numbers_claim_missiles"], facts["numbers_claim_events"]) == (30, 11)
    assert facts["numbers_events"] == facts["numbers_claim_events"]
    assert facts["numbers_missiles_max"] + facts["numbers_missiles_gap"] == 30
    assert facts["numbers_end"] == "11 April 2023"
    assert all(type(v) in (int, str) for v in facts.values())  # glue needs plain types


def test_launches_cluster_around_exercises_in_the_real_data(real):
    """The lab says so; if new data changed the answer, the lab's prose would need rewriting."""
    events, _, exercises = real
    period = {"start": "2022-01-01", "end": "2023-12-31"}
    daily = daily_launches(events, **period)
    window = exercise_window(exercises, **period, before=0, after=3)
    shift = permutation_test(daily, window, method="shift")
    shuffle = permutation_test(daily, window, method="shuffle")
    assert shift.observed > 0 and shift.p_value < 0.05
    assert shuffle.p_value <= shift.p_value


# --- counting on a hand-made table --------------------------------------------------------------

EVENTS = pd.DataFrame(
    {
        "event_id": ["E1", "E2", "E3", "E4", "E5", "E6", "E7"],
        "date": pd.to_datetime([
            "2023-01-05", "2023-01-10", "2023-01-15", "2023-01-20", "2023-01-25",
            "2023-02-05", "2023-01-28",
        ]),
        "system_class": [
            "ballistic", "cruise", "rocket artillery counted as ballistic",
            "satellite launch vehicle", "ballistic", "ballistic", "other",
        ],
    }
)
REPORTS = pd.DataFrame(
    [
        ("E1", "JCS", 2, "SRBMs"),
        ("E1", "KCNA", 3, "tactical missiles"),
        ("E2", "KCNA", 4, "cruise missiles"),
        ("E2", "JCS", None, "(no announcement)"),
        ("E3", "JCS", 1, "SRBM"),
        ("E3", "Japan MOD", 1, "ballistic missile"),
        ("E3", "KCNA", 1, "rocket shell"),
        ("E4", "KCNA", 1, "satellite carrier"),
        ("E4", "JCS", None, "space launch vehicle"),
        ("E5", "JCS", None, "several SRBMs"),
        ("E5", "Japan MOD", 2, "ballistic missiles"),
        ("E6", "JCS", 5, "SRBMs"),
        ("E7", "JCS", 3, "rockets"),
    ],
    columns=["event_id", "reporter", "missiles", "system_as_reported"],
).astype({"missiles": "Int64"})
JANUARY = {"start": "2023-01-01", "end": "2023-01-31"}


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        # January only, so E6 (5 Feb) never counts. Default rules: ballistic, cruise, rocket
        # artillery in; satellite launch (E4) and "other" (E7) out: E1, E2, E3, E5 = 4.
        ({}, 4),
        ({"include_cruise": False}, 3),  # E1, E3, E5
        ({"include_rocket_artillery": False}, 3),  # E1, E2, E5
        ({"include_slv": True}, 5),  # E1, E2, E3, E4, E5
        ({"include_other": True}, 5),  # E1, E2, E3, E5, E7
        # The JCS announced E1, E3, E5; its E2 row records silence, and E4 is a satellite launch.
        ({"reporter": "JCS"}, 3),
        ({"reporter": "Japan MOD"}, 2),  # E3, E5
        ({"reporter": ("Japan MOD", "KCNA")}, 4),  # E1, E2, E3 (KCNA) + E5 (Japan)
        # Missiles, highest figure from anyone: E1 max(2, 3) = 3, E2 4, E3 1, E5 2 -> 10.
        ({"unit": "missiles"}, 10),
        ({"unit": "missiles", "include_slv": True}, 11),  # + E4's 1
        # JCS figures: E1 2 + E3 1; E5 "several" has no number -> 3.
        ({"unit": "missiles", "reporter": "JCS"}, 3),
        ({"unit": "missiles", "reporter": "KCNA"}, 8),  # E1 3 + E2 4 + E3 1
        ({"unit": "missiles", "reporter": "Japan MOD"}, 3),  # E3 1 + E5 2
    ],
)
def test_count_on_a_hand_made_table(rules, expected):
    assert count(EVENTS, REPORTS, **JANUARY, **rules) == expected


def test_counted_shows_the_working():
    table = counted(EVENTS, REPORTS, **JANUARY, reporter="JCS")
    assert list(table.index) == ["E1", "E3", "E5"]
    assert table["missiles"].tolist()[:2] == [2, 1]
    assert pd.isna(table.loc["E5", "missiles"])  # "several": no figure
    both = counted(EVENTS, REPORTS, **JANUARY)
    assert both.loc["E3", "figure_from"] == "JCS = Japan MOD = KCNA"
    assert both.loc["E1", "figure_from"] == "KCNA"


def test_dates_are_inclusive_at_both_ends():
    assert count(EVENTS, REPORTS, start="2023-01-05", end="2023-01-05") == 1
    assert count(EVENTS, REPORTS, start="2023-01-06", end="2023-01-24") == 2  # E2, E3


def test_count_table_has_one_row_per_combination():
    table = count_table(EVENTS, REPORTS, **JANUARY, reporters=("any", "JCS"))
    assert len(table) == 2 * 2 * 2
    first = table.iloc[0]
    assert (first["cruise"], first["rocket artillery"], first["reporter"]) == ("in", "in", "any")
    assert (first["events"], first["missiles"], first["no figure"]) == (4, 10, 0)
    jcs = table.iloc[1]
    assert (jcs["events"], jcs["missiles"], jcs["no figure"]) == (3, 3, 1)
    assert table.index[0] == "rule 1"


def test_rules_are_checked():
    with pytest.raises(ValueError, match="unknown reporter"):
        count(EVENTS, REPORTS, reporter="Pentagon")
    with pytest.raises(ValueError, match="unit"):
        count(EVENTS, REPORTS, unit="rounds")
    with pytest.raises(TypeError):
        count(EVENTS, REPORTS, include_drones=True)
    assert "cruise out" in Rules(include_cruise=False).describe()


# --- competing figures --------------------------------------------------------------------------


def test_side_by_side_flags_disagreements():
    wide = side_by_side(EVENTS, REPORTS, **JANUARY)
    assert list(wide.columns[:3]) == ["JCS", "Japan MOD", "KCNA"]
    assert wide.loc["E1", "disagree"] and wide.loc["E1", "spread"] == 1  # 2 vs 3
    assert not wide.loc["E3", "disagree"]  # 1, 1, 1
    assert wide.loc["E2", "figures"] == 1  # KCNA alone: nothing to disagree with
    assert not wide.loc["E2", "disagree"]
    long = disagreements(EVENTS, REPORTS, **JANUARY, figures=("missiles",))
    assert list(long.index) == ["E1"]
    assert long.loc["E1", "figures"] == "JCS 2 · KCNA 3"


def test_real_disagreements_include_the_notes_examples(real):
    events, reports, _ = real
    found = disagreements(events, reports, **ARTICLE)
    pairs = set(zip(found.index, found["figure"]))
    assert ("2023-03-12-a", "missiles") in pairs  # JCS 1 unspecified vs KCNA 2 cruise
    assert ("2023-02-18-a", "range_km") in pairs  # 900 vs 989 km


# --- the permutation test -----------------------------------------------------------------------


def test_exercise_window_and_daily_launches():
    exercises = pd.DataFrame({"start": pd.to_datetime(["2023-01-10"]),
                              "end": pd.to_datetime(["2023-01-12"])})
    window = exercise_window(exercises, start="2023-01-01", end="2023-01-31", after=2)
    assert window.sum() == 5  # 10, 11, 12 and two days after
    assert window["2023-01-14"] and not window["2023-01-15"]
    daily = daily_launches(EVENTS, **JANUARY)
    assert len(daily) == 31 and daily.sum() == 4  # E1, E2, E3, E5 by the default rules
    assert daily["2023-01-05"] == 1


def _constructed(launch_days):
    days = pd.date_range("2023-01-01", periods=100, freq="D")
    window = pd.Series((days >= days[10]) & (days <= days[19]), index=days)
    daily = pd.Series(0, index=days)
    daily.iloc[launch_days] = 1
    return daily, window


@pytest.mark.parametrize("method, rearrangements", [("shift", 99), ("shuffle", 999)])
def test_permutation_test_finds_an_obvious_link(method, rearrangements):
    # A launch on each of the 10 window days and none outside: 30 * (10/10 - 0/90) = 30 more
    # launches per 30 days. Only the unmoved arrangement matches it, so p = 1 / (1 + rearrangements):
    # the shift tries each of the 99 other offsets of a 100-day period once; the shuffle 999 draws.
    daily, window = _constructed(list(range(10, 20)))
    result = permutation_test(daily, window, n_permutations=999, method=method)
    assert result.observed == pytest.approx(30)
    assert result.p_value == pytest.approx(1 / (1 + rearrangements))
    assert result.n_permutations == rearrangements
    assert (result.events_inside, result.events_outside) == (10, 0)
    assert (result.days_inside, result.days_outside) == (10, 90)


@pytest.mark.parametrize("method", ["shift", "shuffle"])
def test_permutation_test_finds_no_link_where_launches_avoid_the_windows(method):
    daily, window = _constructed(list(range(40, 60)))
    result = permutation_test(daily, window, n_permutations=999, method=method)
    assert result.observed < 0
    assert result.p_value > 0.5


def test_shift_test_is_exact_and_counts_each_offset_once():
    # Launches on days 12 and 15 (window: days 10-19). Of the 99 shifts, those that keep both
    # launches in the window (offsets that move day 12 to 10-17) score as high: offsets -2..+4
    # other than 0, that is 6 of them, so p = (1 + 6) / (1 + 99).
    daily, window = _constructed([12, 15])
    a = permutation_test(daily, window, method="shift", seed=1)
    b = permutation_test(daily, window, method="shift", seed=2)
    assert a.p_value == b.p_value and np.array_equal(a.null, b.null) and len(a.null) == 99
    assert a.p_value == pytest.approx(7 / 100)


def test_permutation_test_is_reproducible_with_its_seed():
    daily, window = _constructed([3, 12, 15, 50, 77])
    a = permutation_test(daily, window, n_permutations=500, method="shuffle", seed=1)
    b = permutation_test(daily, window, n_permutations=500, method="shuffle", seed=1)
    assert a == b and np.array_equal(a.null, b.null)
    with pytest.raises(ValueError):
        permutation_test(daily, window.iloc[:50], n_permutations=10)


# --- the count sheet ----------------------------------------------------------------------------


def test_count_sheet_lists_the_article_window_with_each_reporters_word(real):
    events, reports, _ = real
    rows = list(csv.DictReader(io.StringIO(launch_count_sheet())))
    window = article_window()
    every_class = dict(include_slv=True, include_other=True)
    assert len(rows) == count(events, reports, **window, **every_class)
    for reporter, column in [("JCS", "missiles_jcs"), ("Japan MOD", "missiles_japan_mod"), ("KCNA", "missiles_kcna")]:
        numbers = [int(r[column]) for r in rows if r[column].isdigit()]
        announced_events = [r for r in rows if r[column]]
        assert sum(numbers) == count(events, reports, **window, **every_class, unit="missiles", reporter=reporter)
        assert len(announced_events) == count(events, reports, **window, **every_class, reporter=reporter)
    assert {r["system_class"] for r in rows} >= {"ballistic", "cruise"}


def test_printed_count_sheet_has_every_event_and_empty_rule_columns():
    text = launch_count_view().text
    rows = list(csv.DictReader(io.StringIO(launch_count_sheet())))
    table = text[text.index(":::{list-table}") :]
    body = [line for line in table.splitlines() if line.startswith("* - ")]
    assert [line[4:] for line in body[1 : len(rows) + 1]] == [r["event_id"] for r in rows]
    assert body[-2:] == ["* - **Events counted**", "* - **Missiles counted**"]
    # each row: event, kind, name, one cell per reporter, three rule cells left empty
    width = 3 + sum(1 for c in rows[0] if c.startswith("missiles_")) + 3
    cells = [line for line in table.splitlines() if line.startswith(("* - ", "  - "))]
    assert len(cells) == width * (len(rows) + 3)
    for start in range(width, len(cells), width):
        assert all(c == "  - \u00a0" for c in cells[start + width - 3 : start + width])
