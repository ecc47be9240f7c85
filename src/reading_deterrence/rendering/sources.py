"""Views of sources and time: the Sources page, the context timeline and the article's provenance."""

from __future__ import annotations

import os

import pandas as pd

from ..contract import data_files, descriptor, load
from .base import View
from .text import escape, format_date_range, link_references, source_citation

__all__ = ["PROVENANCE_LABELS", "SOURCE_KINDS", "provenance", "provenance_items", "sources_list", "timeline"]


#: How the kinds of source are headed on the Sources page, in page order.
SOURCE_KINDS = {
    "state media": "State media",
    "government": "Government releases",
    "wire service": "Wire services",
    "news outlet": "News outlets",
    "research": "Research and archives",
    "aggregator": "Aggregators and republishers",
}


def sources_list(package: str | os.PathLike | None = None) -> View:
    """Every source, grouped by kind, each with an anchor (``source-<id>``) that citations link to."""
    table = load("sources", package).sort_values(["publisher", "date", "source_id"], na_position="last")
    lines: list[str] = []
    labels: dict[str, str] = {}
    for kind, heading in SOURCE_KINDS.items():
        group = table[table["kind"] == kind]
        if group.empty:
            continue
        labels[heading] = f"sources-{kind.replace(' ', '-')}"
        lines += [f"## {heading}", ""]
        for row in group.itertuples(index=False):
            source = pd.Series(row._asdict())
            lines.append(f"(source-{row.source_id})=")
            lines.append(f"`{row.source_id}`")
            text = source_citation(source) + f" ({row.language})."
            if not pd.isna(row.note):
                text += " " + link_references(row.note, table.set_index("source_id"))
            lines.append(f": {text}")
            lines.append("")
    return View("\n".join(lines), data_files(package, "sources"), labels)


#: The title of the fold that holds a timeline event's source note (after "Going further:").
TIMELINE_NOTE_TITLE = "The source note"


#: How a timeline entry's confidence reads: words a student can take at face value (a bare
#: "consistent" beside "the claim is not independently verified" read as a contradiction; it
#: means that independent reports agree that the event was reported, not that the claim is true).
CONFIDENCE_WORDS = {
    "verified": "Checked in the cited source",
    "consistent": "Reported consistently",
    "uncertain": "Uncertain",
}


def timeline(package: str | os.PathLike | None = None) -> View:
    """The context timeline: for each event, what happened, where the article mentions it, the
    source (its publisher) and how sure we are; the source in full and the note folded for going
    further (``{going-further}``, small); inside a ``rd-timeline`` container for styling."""
    events = load("timeline", package).sort_values(["date_start", "event_id"])
    sources = load("sources", package).set_index("source_id")
    lines: list[str] = ["::::{container} rd-timeline", ""]
    for row in events.itertuples(index=False):
        when = format_date_range(row.date_start, row.date_end)
        if row.date_certainty != "exact":
            when += f" ({row.date_certainty})"
        lines.append(f"({'case-event-' + row.event_id})=")
        lines.append(f"**{when}** · {escape(row.actor)}")
        lines.append(f": {escape(row.event)}")
        lines.append("")
        meta = []
        if not pd.isna(row.sentence_id):
            meta.append(f"In the article: sentence {{sentence}}`{row.sentence_id}`")
        source = sources.loc[row.source_id]
        meta.append(f"Source: [{escape(source['publisher'])}]({source['url']})")
        meta.append(f"*{CONFIDENCE_WORDS.get(row.confidence, 'Confidence: ' + row.confidence)}*")
        lines.append("  " + " · ".join(meta))
        # The publisher is enough to ask "how do we know?"; the full reference and the note fold.
        lines += [
            "",
            f"  :::{{going-further}} {TIMELINE_NOTE_TITLE}",
            "  :class: rd-compact",
            f"  The source in full: {source_citation(source)}.",
        ]
        if not pd.isna(row.note):
            lines += ["", "  " + link_references(row.note, sources)]
        lines += ["  :::", ""]
    lines.append("::::")
    return View("\n".join(lines), data_files(package, "timeline", "sources", "article_sentences"))


#: How the article's provenance (a custom property of its resource in the descriptor) is shown:
#: key -> label. Keys ending in ``_source_id`` add a citation to the item of the same stem;
#: keys not listed (such as ``event_date``) are for machines only.
PROVENANCE_LABELS = {
    "headline": "Headline",
    "outlet": "Where we found it",
    "outlet_hypothesis": "Possible original outlet",
    "date": "Date",
    "wire_origin": "What it is based on",
    "known_alterations": "Known changes",
    "rights": "Rights",
    "confidence": "How sure we are",
}


def provenance_items(provenance: dict, sources: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, MyST text) pairs for a provenance record, with cited sources linked."""
    items = []
    for key, label in PROVENANCE_LABELS.items():
        if key not in provenance:
            continue
        text = escape(str(provenance[key]))
        cited = provenance.get(f"{key}_source_id")
        if cited is not None:
            text += f" Source: {source_citation(sources.loc[cited])}."
        items.append((label, text))
    return items


def provenance(package: str | os.PathLike | None = None) -> View:
    """Where the case-study text comes from, as recorded in the descriptor."""
    resource = next(r for r in descriptor(package)["resources"] if r["name"] == "article_sentences")
    sources = load("sources", package).set_index("source_id")
    lines = []
    for label, text in provenance_items(resource["provenance"], sources):
        lines += [label, f": {text}", ""]
    return View("\n".join(lines), data_files(package, "sources"))
