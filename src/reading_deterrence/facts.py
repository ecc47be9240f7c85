"""Everything chapter-specific, in one place: the IDs the prose relies on, the facts it states and
the files it offers for download.

A page that states a number or a date about the case does not type it: a hidden cell runs
``glue_facts(case_facts())`` and the text says ``{glue:text}`meeting_date```. If the data change,
the prose follows; if a row the prose relies on disappears from the data, the build fails with
its ID (a :class:`~reading_deterrence.contract.errors.DataError` naming the table).

The library below this module (contract, analysis, rendering) knows tables and columns, never a
particular sentence, event or document; this module is where the chapters' choices are named.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pandas as pd

from .analysis.counting import count
from .contract import DataError, Problem, data_files, display_path, load
from .rendering.base import HELD_BACK, HeldBack, View
from .rendering.sheets import blank_sheet, blank_table, count_sheet, count_worksheet
from .rendering.text import format_date, format_date_range

__all__ = [
    "DOWNLOADS",
    "VIEWS",
    "article_window",
    "case_facts",
    "coding_facts",
    "deterrence_facts",
    "glue_facts",
    "numbers_facts",
    "word_count",
]

# --- the rows the prose names -------------------------------------------------------------------

#: Timeline events: the meeting, and KCNA's report of it (the day the article was written, or
#: before: the article relays that report and carries no date of its own).
MEETING, KCNA_REPORT = "cmc-meeting", "kcna-report"
#: The sentence that counts launches, and the claim it makes, as a pattern.
COUNT_SENTENCE = "p11s01"
CLAIM = re.compile(r"about (?P<missiles>\d+) missiles in (?P<events>\d+) different launch events")
#: The launch whose count was revised (JCS: one missile, then "several"; later six).
REVISED_LAUNCH = "2023-03-09-a"
#: The exercise the article's "largest field exercises in years" refers to.
FREEDOM_SHIELD = "fs23"
#: Chapter 4's documents: North Korea's 2022 law, the US posture review's line on North Korea,
#: the Washington Declaration, and the report of the next meeting of the commission.
NUCLEAR_LAW = "Law on the DPRK's Policy on Nuclear Forces"
NPR_DPRK = "us-2022-npr-dprk"
WASHINGTON_DECLARATION = "Washington Declaration"
LATER_MEETING_SOURCE = "yonhap-2023-08-10-cmc"

# --- what the student edition holds back --------------------------------------------------------
# A device activity must not have its answer elsewhere in the student edition. These are the
# items the activities name; the student edition's views hold back the module's answers to them
# (the Sphinx layer passes STUDENT_HELD_BACK to the views in the student edition only).

#: The lateral-reading activity's three claims, one from each voice (chapter 3): North Korea's,
#: through KCNA (the front-line strike plans), the allies' (why they expanded the exercises) and
#: the reporter's (the ICBMs' range). Chosen because no other page works them through: the ledger
#: rows of the earlier choice were answered on the timeline (the drone), in chapters 3 and 4
#: ("defensive nature") and in chapter 5 (the missile count).
LATERAL_READING_CLAIMS = ("c09", "c08", "c17")
#: The sentences the coding activities ask students to code (chapter 1, Activity 2; chapter 2,
#: Activity 3): the headline, the standfirst, and two body sentences that name no source of
#: their own. Three are the codebook's examples of attribution verbs (p01s01 "calls for", p02s01
#: "orders", p12s01 "what it called"): the student edition's codebook and data show no example
#: there. The student edition's prose, labs and self-checks code none of them.
CODING_ACTIVITY_SENTENCES = ("p01s01", "p02s01", "p09s02", "p12s01")
#: What the student edition's claim ledger, coding table, codebook and annotated article hold back.
STUDENT_HELD_BACK = HeldBack(
    claims=frozenset(LATERAL_READING_CLAIMS),
    claims_note=(
        "this is one of the three claims you trace yourself in the lateral-reading activity. "
        "The teacher edition has the module's verdict and evidence."
    ),
    sentences=frozenset(CODING_ACTIVITY_SENTENCES),
    sentences_note=(
        "you code this sentence yourself in the coding activities (chapter 1, Activity 2; "
        "chapter 2, Activity 3). The teacher edition has the module's coding of it."
    ),
)

WORD = re.compile(r"[\w’'-]+")


def _missing(package, name: str, column: str | None, message: str) -> DataError:
    """The error for a row the prose relies on and table ``name`` of ``package`` lacks."""
    return DataError([Problem(display_path(data_files(package, name)[1]), None, column, message)])


def _row(table: pd.DataFrame, key: str, name: str, package) -> pd.Series:
    """The row with index ``key``; a DataError naming the table's file if it is gone."""
    if key not in table.index:
        raise _missing(package, name, table.index.name, f"no row {key!r}, which the chapters' prose relies on")
    return table.loc[key]


def withhold(table: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """``table`` as the student edition shows it, for a lab's output: a copy in which each row
    about one of :data:`CODING_ACTIVITY_SENTENCES` (by its index or its ``sentence_id``) says
    "held back" in ``columns`` (default: all but ``sentence_id``), and any other cell that names
    one of those sentences says "held back" instead."""
    held = list(CODING_ACTIVITY_SENTENCES)
    out = table.astype(object)
    rows = out.index.isin(held)
    if "sentence_id" in out.columns:
        rows |= out["sentence_id"].isin(held).to_numpy()
    chosen = columns if columns is not None else [c for c in out.columns if c != "sentence_id"]
    out = out.mask(out.isin(held), HELD_BACK)
    out.loc[rows, chosen] = HELD_BACK
    return out


def word_count(text: str) -> int:
    """Words in a text: runs of letters, digits, apostrophes and hyphens (“front-line” is one)."""
    return len(WORD.findall(text))


# --- chapters 1 and 2 ---------------------------------------------------------------------------


def case_facts(package: str | os.PathLike | None = None) -> dict[str, int | str]:
    """The facts about the case that the welcome page and the case chapter state.

    Values are plain ``int`` and ``str`` (never numpy scalars, which glue cannot format).
    """
    sentences = load("article_sentences", package)
    timeline = load("timeline", package).set_index("event_id")
    meeting = _row(timeline, MEETING, "timeline", package)["date_start"]
    report = _row(timeline, KCNA_REPORT, "timeline", package)["date_start"]
    body = sentences[sentences["role"] == "body"]
    quoted = sentences["text"].str.contains("[“‘]", regex=True)
    return {
        "article_sentences": int(len(sentences)),
        "article_paragraphs": int(sentences["paragraph"].nunique()),
        "article_body_paragraphs": int(body["paragraph"].nunique()),
        "article_words": int(sum(word_count(t) for t in sentences["text"])),
        "article_quoting_sentences": int(quoted.sum()),
        "meeting_date": format_date(meeting),
        "meeting_weekday": f"{meeting:%A}",
        "kcna_report_date": format_date(report),
        "kcna_report_weekday": f"{report:%A}",
        "timeline_events": int(len(timeline)),
        "timeline_first_year": int(timeline["date_start"].min().year),
        "timeline_sources": int(timeline["source_id"].nunique()),
    }


def coding_facts(package: str | os.PathLike | None = None) -> dict[str, int]:
    """Facts about the module's coding of the article, for chapter 2."""
    coding = load("coding", package)
    codebook = load("codebook", package)
    spans = coding[coding["span"].notna()]
    return {
        "coding_layers": int(codebook["layer"].nunique()),
        "coding_values": int(len(codebook)),
        "coding_codes": int(len(coding)),
        "coding_spans": int(len(spans)),
        "coding_debatable": int(coding["note"].str.startswith("Debatable").fillna(False).sum()),
    }


# --- chapter 4 ----------------------------------------------------------------------------------


def deterrence_facts(package: str | os.PathLike | None = None) -> dict[str, int | str]:
    """Dates and counts chapter 4 states about each side's declared posture."""
    declarations = load("declarations", package)
    law = declarations[declarations["document"] == NUCLEAR_LAW]
    conditions = law[law["kind"] == "condition for use"]
    npr = _row(declarations.set_index("declaration_id"), NPR_DPRK, "declarations", package)
    wd = declarations[declarations["document"] == WASHINGTON_DECLARATION]
    if law.empty or wd.empty:
        missing = NUCLEAR_LAW if law.empty else WASHINGTON_DECLARATION
        raise _missing(package, "declarations", "document", f"no row of {missing!r}, which chapter 4 relies on")
    meeting = _row(load("timeline", package).set_index("event_id"), MEETING, "timeline", package)["date_start"]
    sources = load("sources", package).set_index("source_id")
    return {
        "law_date": format_date(law["date"].iloc[0]),
        "law_conditions": int(len(conditions)),
        "law_imminent": int(conditions["text"].str.contains("imminent").sum()),
        "npr_date": format_date(npr["date"]),
        "wd_date": format_date(wd["date"].iloc[0]),
        "wd_days_after": int((wd["date"].iloc[0] - meeting).days),
        "later_meeting_date": format_date(_row(sources, LATER_MEETING_SOURCE, "sources", package)["date"]),
    }


# --- chapter 5 ----------------------------------------------------------------------------------


def article_window(package: str | os.PathLike | None = None) -> dict[str, pd.Timestamp]:
    """``start`` and ``end`` of "this year" in the article: 1 January to the day of KCNA's report."""
    timeline = load("timeline", package).set_index("event_id")
    end = _row(timeline, KCNA_REPORT, "timeline", package)["date_start"]
    return {"start": pd.Timestamp(year=end.year, month=1, day=1), "end": end}


def _events_phrase(number: int) -> str:
    return f"{number} launch event" + ("" if number == 1 else "s")


def numbers_facts(package: str | os.PathLike | None = None) -> dict[str, int | str]:
    """The figures chapter 5 states, computed from the data (plain ``int`` and ``str``, for glue).

    A long function because it is a list: one line per fact the chapter states.
    """
    sentences = load("article_sentences", package).set_index("sentence_id")
    claim = CLAIM.search(str(_row(sentences, COUNT_SENTENCE, "article_sentences", package)["text"]))
    if claim is None:
        raise _missing(
            package,
            "article_sentences",
            "text",
            f"sentence {COUNT_SENTENCE} no longer says 'about N missiles in M ...'",
        )
    events, reports = load("launch_events", package), load("launch_reports", package)
    exercises = load("exercises", package).set_index("exercise_id")
    window = article_window(package)
    start, end = window["start"], window["end"]

    def n(**rules):
        return count(events, reports, **window, **rules)

    later = events.loc[events["date"] > end, "date"]
    wider = {"start": start - pd.Timedelta(days=1), "end": end}
    fs23 = _row(exercises, FREEDOM_SHIELD, "exercises", package)
    revised = reports[reports["event_id"] == REVISED_LAUNCH].set_index("reporter")["missiles"]
    revised_date = _row(events.set_index("event_id"), REVISED_LAUNCH, "launch_events", package)["date"]
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


def launch_count_sheet(package: str | os.PathLike | None = None) -> str:
    """The count sheet of chapter 5's activity: the launch events of the article's "this year"."""
    events, reports = load("launch_events", package), load("launch_reports", package)
    return count_sheet(events, reports, **article_window(package))


def launch_count_view(package: str | os.PathLike | None = None) -> View:
    """The count sheet for paper (``{data-view} launch_count_sheet``): the same events as the CSV,
    with empty columns for the pupils' counting rules."""
    events, reports = load("launch_events", package), load("launch_reports", package)
    text = count_worksheet(events, reports, **article_window(package))
    return View(text, data_files(package, "launch_events", "launch_reports", "timeline"))


#: Views that depend on the chapters' choices (``{data-view} name``), beside the library's own
#: :data:`reading_deterrence.rendering.views.VIEWS`, which know no particular row.
VIEWS: dict[str, Callable[..., View]] = {
    "launch_count_sheet": launch_count_view,
}


# --- downloads ----------------------------------------------------------------------------------

#: The files the chapters offer (``{generated}`coding-sheet.csv```): file name -> function of
#: the data folder that returns the file's text.
DOWNLOADS: dict[str, Callable[..., str]] = {
    "coding-sheet.csv": blank_sheet,
    "quotation-audit-template.csv": blank_table("quotation_audit"),
    "claim-ledger-template.csv": blank_table("claims"),
    "launch-count-sheet.csv": launch_count_sheet,
    "coverage-template.csv": lambda package=None: (
        "outlet,copy_read_url,headline,lede,quoted_words,context_added,other_voices,left_out\n"
    ),
}


def glue_facts(facts: dict[str, int | str]) -> None:
    """Glue each fact under its own name, without displaying it (for ``{glue:text}`` in prose)."""
    from myst_nb import glue

    for name, value in facts.items():
        glue(name, value, display=False)


# --- data labs to take away ---------------------------------------------------------------------

#: The data labs offered as notebooks to download (``{lab}`lab-who-speaks```, written to
#: ``downloads/labs/<name>.zip``): name -> (the lab's page, the tables its code loads). The bundle
#: adds every table those refer to; the notebook test fails if one the code loads is missing.
LABS: dict[str, tuple[str, tuple[str, ...]]] = {
    "lab-who-speaks": ("chapters/02-who-speaks/lab", ("article_sentences", "coding", "codebook")),
    "lab-code-it-yourself": ("chapters/02-who-speaks/code-it-yourself", ("article_sentences", "coding", "codebook")),
    "lab-checking-the-numbers": (
        "chapters/05-numbers/lab",
        ("launch_events", "launch_reports", "exercises", "article_sentences", "timeline", "sources"),
    ),
}
