"""Small pieces of MyST text shared by every view: dates, escaping, citations and links."""

from __future__ import annotations

import json
import re

import pandas as pd

__all__ = [
    "escape",
    "format_date",
    "format_date_range",
    "json_script",
    "link_references",
    "source_citation",
    "sources_links",
]


def format_date(day: pd.Timestamp) -> str:
    """``2023-04-10`` -> ``10 April 2023`` (British order, as the module's prose uses)."""
    return f"{day.day} {day:%B %Y}"


def format_date_range(start: pd.Timestamp, end: pd.Timestamp | None = None) -> str:
    """A date or a span of dates, without repeating what the two ends share.

    >>> format_date_range(pd.Timestamp("2023-03-13"), pd.Timestamp("2023-03-23"))
    '13–23 March 2023'
    """
    if end is None or pd.isna(end) or end == start:
        return format_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end)}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {format_date(end)}"
    return f"{format_date(start)} – {format_date(end)}"


def escape(text: str) -> str:
    """Escape the characters that would start MyST markup inside running text."""
    for ch in "\\`*_[]<>{}|$":
        text = text.replace(ch, "\\" + ch)
    return text


def source_citation(source: pd.Series) -> str:
    """One source as a MyST link: publisher, “title” (linked), date."""
    date = "undated" if pd.isna(source["date"]) else format_date(source["date"])
    title = "headline not shown in the copy we read" if pd.isna(source["title"]) else f"“{escape(source['title'])}”"
    return f"{escape(source['publisher'])}, [{title}]({source['url']}), {date}"


URL = re.compile(r"https?://[^\s)]+[^\s).,;:'\"]")


def link_references(note: str, sources: pd.DataFrame) -> str:
    """Escape a note for MyST, then link what it refers to.

    A source ID in brackets, ``(yonhap-2023-03-27-haeil)``, becomes a link named after the
    source's publisher; a bare web address becomes a link named after its site, so that long
    addresses do not run across the page.
    """
    parts, last = [], 0
    for match in URL.finditer(note):
        parts.append(escape(note[last : match.start()]))
        site = re.sub(r"^(https?://)?(www\.|m\.)?", "", match.group(0)).split("/")[0].split(":")[0]
        parts.append(f"[{site}]({match.group(0)})")
        last = match.end()
    text = "".join(parts) + escape(note[last:])

    def cite(m: re.Match) -> str:
        sid = m.group(1)
        if sid not in sources.index:
            return m.group(0)
        return f"([{escape(sources.loc[sid, 'publisher'])}]({sources.loc[sid, 'url']}))"

    return re.sub(r"\(([a-z0-9]+(?:-[a-z0-9]+)+)\)", cite, text)


def sources_links(ids: str) -> str:
    """``"a; b"`` -> ``{source}`a`, {source}`b```: each source ID as a link to the Sources page."""
    return ", ".join(f"{{source}}`{sid.strip()}`" for sid in ids.split(";") if sid.strip())


def json_script(data, element_id: str) -> str:
    """``data`` as an inline ``<script type="application/json">`` for a lab's script to read (no fetch,
    so the page works from a folder). "</" and "<!--" are escaped, so no text in it can end the
    element or open a comment; ``JSON.parse`` reads the escapes back as the same characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("</", "<\\/").replace("<!--", "\\u003c!--")
    return f'<script type="application/json" id="{element_id}">{text}</script>'

