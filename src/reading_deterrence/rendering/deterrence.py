"""Views of deterrence: each side's declared posture, and the glossary."""

from __future__ import annotations

import os

import pandas as pd

from ..contract import data_files, load
from .base import View
from .text import escape, format_date, link_references, sources_links

__all__ = ["GLOSSARY_TOPICS", "declarations", "glossary"]


def declarations(package: str | os.PathLike | None = None) -> View:
    """Each side's declared posture, document by document: quotations as quotations, our
    translations marked as ours with the Korean beside them."""
    table = load("declarations", package).sort_values("date", kind="stable")
    sources = load("sources", package).set_index("source_id")
    lines: list[str] = []
    for (document, actor, date), group in table.groupby(["document", "actor", "date"], sort=False):
        lines += [f"**{escape(document)}** ({escape(actor)}, {format_date(date)})", ""]
        for row in group.itertuples(index=False):
            if row.text_status == "quotation":
                text = f"“{escape(row.text)}”"
            else:
                text = f"{escape(row.text)} *({row.text_status})*"
            item = f"- *{row.kind.capitalize()}.* {text}"
            if not pd.isna(row.korean):
                item += f" Korean: {escape(row.korean)}."
            item += f" Source: {{source}}`{row.source_id}`."
            if not pd.isna(row.note):
                item += " " + link_references(row.note, sources)
            lines.append(item)
        lines.append("")
    return View("\n".join(lines), data_files(package, "declarations", "sources"))


#: Glossary sections, in page order: topic -> heading.
GLOSSARY_TOPICS = {
    "deterrence": "Deterrence and signalling",
    "state-media": "Terms from North Korean state media",
    "news": "Reading the news",
    "korea": "The two Koreas: history, forces and weapons",
    "method": "Data and method",
}


def glossary(package: str | os.PathLike | None = None) -> View:
    """The glossary: a Sphinx glossary per topic, so that {term} references resolve and fail
    the build when a term is missing. State-media terms give the Korean original, the
    romanisation and KCNA's English beside our rendering, with sources."""
    table = load("glossary", package)
    lines: list[str] = []
    labels: dict[str, str] = {}
    for topic, heading in GLOSSARY_TOPICS.items():
        group = table[table["topic"] == topic].sort_values("term", key=lambda s: s.str.casefold())
        if group.empty:
            continue
        labels[heading] = f"glossary-{topic}"
        lines += [f"## {heading}", "", "```{glossary}"]
        for row in group.itertuples(index=False):
            lines.append(row.term)
            body = [escape(row.definition)]
            if not pd.isna(row.korean):
                body.append(
                    f"Korean: {escape(row.korean)} ({escape(row.romanisation)}); "
                    f"KCNA's English: “{escape(row.kcna_english)}”."
                )
            if not pd.isna(row.note):
                body.append(escape(row.note))
            if not pd.isna(row.reference):
                keys = ",".join(k.strip() for k in row.reference.split(";") if k.strip())
                body.append(f"See {{cite:t}}`{keys}`.")
            if not pd.isna(row.source_ids):
                body.append(f"Sources: {sources_links(row.source_ids)}.")
            lines.append("  " + " ".join(body))
            lines.append("")
        lines += ["```", ""]
    return View("\n".join(lines), data_files(package, "glossary", "sources"), labels)
