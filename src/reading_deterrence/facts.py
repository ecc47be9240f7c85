"""Facts the prose states, computed from ``data/``, for pages to insert with myst-nb's ``glue``.

A page that states a number or a date about the case does not type it: a hidden cell runs
``glue_facts(case_facts())`` and the text says ``{glue:text}`meeting_date```. If the data change,
the prose follows; if a fact disappears from the data, the build fails.
"""

from __future__ import annotations

import os
import re

import pandas as pd

from .data import load
from .render import format_date

__all__ = ["case_facts", "coding_facts", "deterrence_facts", "glue_facts", "word_count"]

WORD = re.compile(r"[\w’'-]+")


def word_count(text: str) -> int:
    """Words in a text: runs of letters, digits, apostrophes and hyphens (“front-line” is one)."""
    return len(WORD.findall(text))


def _event_date(timeline: pd.DataFrame, event_id: str) -> pd.Timestamp:
    try:
        return timeline.loc[event_id, "date_start"]
    except KeyError:
        raise KeyError(f"the timeline has no event {event_id!r}, which the prose relies on") from None


def case_facts(package: str | os.PathLike | None = None) -> dict[str, int | str]:
    """The facts about the case that the welcome page and the case chapter state.

    Values are plain ``int`` and ``str`` (never numpy scalars, which glue cannot format).
    """
    sentences = load("article_sentences", package)
    timeline = load("timeline", package).set_index("event_id")
    meeting = _event_date(timeline, "cmc-meeting")
    report = _event_date(timeline, "kcna-report")
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


def deterrence_facts(package: str | os.PathLike | None = None) -> dict[str, int | str]:
    """Dates and counts chapter 4 states about each side's declared posture."""
    declarations = load("declarations", package)
    law = declarations[declarations["document"] == "Law on the DPRK's Policy on Nuclear Forces"]
    conditions = law[law["kind"] == "condition for use"]
    npr = declarations.set_index("declaration_id").loc["us-2022-npr-dprk"]
    wd = declarations[declarations["document"] == "Washington Declaration"]
    meeting = _event_date(load("timeline", package).set_index("event_id"), "cmc-meeting")
    sources = load("sources", package).set_index("source_id")
    return {
        "law_date": format_date(law["date"].iloc[0]),
        "law_conditions": int(len(conditions)),
        "law_imminent": int(conditions["text"].str.contains("imminent").sum()),
        "npr_date": format_date(npr["date"]),
        "wd_date": format_date(wd["date"].iloc[0]),
        "wd_days_after": int((wd["date"].iloc[0] - meeting).days),
        "later_meeting_date": format_date(sources.loc["yonhap-2023-08-10-cmc", "date"]),
    }


def glue_facts(facts: dict[str, int | str]) -> None:
    """Glue each fact under its own name, without displaying it (for ``{glue:text}`` in prose)."""
    from myst_nb import glue

    for name, value in facts.items():
        glue(name, value, display=False)
