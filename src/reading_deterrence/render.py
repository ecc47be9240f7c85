"""MyST Markdown generated from the data, for pages that must not drift from it.

Each view returns the MyST text of a block of a page, plus the files it was made from, so that
the Sphinx extension can parse the text in place and rebuild the page when a file changes.
Nothing here is written by hand per row: change the data, and the page follows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .data import data_files, descriptor, load

__all__ = ["View", "VIEWS", "format_date", "format_date_range", "render"]


@dataclass
class View:
    """The MyST text of a generated block, the data files it depends on, and its section labels.

    ``labels`` maps a section title in ``text`` to the label that section should carry.
    """

    text: str
    files: list[Path] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


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


def _escape(text: str) -> str:
    """Escape the characters that would start MyST markup inside running text."""
    for ch in "\\`*_[]<>{}|$":
        text = text.replace(ch, "\\" + ch)
    return text


def source_citation(source: pd.Series) -> str:
    """One source as a MyST link: publisher, “title” (linked), date."""
    date = "undated" if pd.isna(source["date"]) else format_date(source["date"])
    title = "headline not shown in the copy we read" if pd.isna(source["title"]) else f"“{_escape(source['title'])}”"
    return f"{_escape(source['publisher'])}, [{title}]({source['url']}), {date}"


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


# --- the views ------------------------------------------------------------------------------------


URL = re.compile(r"https?://[^\s)]+[^\s).,;:'\"]")


def link_references(note: str, sources: pd.DataFrame) -> str:
    """Escape a note for MyST, then link what it refers to.

    A source ID in brackets, ``(yonhap-2023-03-27-haeil)``, becomes a link named after the
    source's publisher; a bare web address becomes a link named after its site, so that long
    addresses do not run across the page.
    """
    parts, last = [], 0
    for match in URL.finditer(note):
        parts.append(_escape(note[last : match.start()]))
        site = re.sub(r"^(https?://)?(www\.|m\.)?", "", match.group(0)).split("/")[0].split(":")[0]
        parts.append(f"[{site}]({match.group(0)})")
        last = match.end()
    text = "".join(parts) + _escape(note[last:])

    def cite(m: re.Match) -> str:
        sid = m.group(1)
        if sid not in sources.index:
            return m.group(0)
        return f"([{_escape(sources.loc[sid, 'publisher'])}]({sources.loc[sid, 'url']}))"

    return re.sub(r"\(([a-z0-9]+(?:-[a-z0-9]+)+)\)", cite, text)


def timeline(package: str | os.PathLike | None = None) -> View:
    """The context timeline: for each event, what happened, where the article mentions it, the
    source and how sure we are, and a note; inside a ``rd-timeline`` container for styling."""
    events = load("timeline", package).sort_values(["date_start", "event_id"])
    sources = load("sources", package).set_index("source_id")
    lines: list[str] = ["::::{container} rd-timeline", ""]
    for row in events.itertuples(index=False):
        when = format_date_range(row.date_start, row.date_end)
        if row.date_certainty != "exact":
            when += f" ({row.date_certainty})"
        lines.append(f"({'case-event-' + row.event_id})=")
        lines.append(f"**{when}** · {_escape(row.actor)}")
        lines.append(f": {_escape(row.event)}")
        lines.append("")
        meta = []
        if not pd.isna(row.sentence_id):
            meta.append(f"In the article: sentence {{sentence}}`{row.sentence_id}`")
        meta.append(f"Source: {source_citation(sources.loc[row.source_id])}")
        meta.append(f"Confidence: *{row.confidence}*")
        lines.append("  " + " · ".join(meta))
        if not pd.isna(row.note):
            lines += ["", "  " + link_references(row.note, sources)]
        lines.append("")
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
        text = _escape(str(provenance[key]))
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


def _constraints(spec: dict) -> str:
    parts = []
    for key, value in spec.get("constraints", {}).items():
        if key == "required" and value:
            parts.append("required")
        elif key == "unique" and value:
            parts.append("unique")
        elif key == "enum":
            parts.append("one of: " + ", ".join(f"`{v}`" for v in value))
        elif key == "pattern":
            parts.append(f"pattern `{value}`")
        elif key in ("minimum", "maximum", "minLength", "maxLength"):
            parts.append(f"{key} {value}")
    return "; ".join(parts) or "none"


def _licence(licences: list[dict]) -> str:
    out = []
    for lic in licences:
        name = _escape(lic.get("title") or lic.get("name", ""))
        out.append(f"[{name}]({lic['path']})" if lic.get("path", "").startswith("http") else name)
    return "; ".join(out)


def catalogue(package: str | os.PathLike | None = None) -> View:
    """The data catalogue: every table in the descriptor, with its fields, keys, source and licence."""
    desc = descriptor(package)
    lines: list[str] = []
    files = data_files(package)
    labels: dict[str, str] = {}
    for res in desc["resources"]:
        name = res["name"]
        table = load(name, package)
        files += data_files(package, name)[1:]
        schema = res["schema"]
        labels[res["title"]] = f"data-{name.replace('_', '-')}"
        lines += [f"## {_escape(res['title'])}", ""]
        lines += [_escape(res["description"]), ""]
        facts = [
            f"File\n: `data/{res['path']}` ({len(table)} rows, {len(schema['fields'])} columns, {res['encoding'].upper()} CSV)",
            "Load it with\n: `load(\"" + name + "\")`",
            "Primary key\n: " + ", ".join(f"`{k}`" for k in schema.get("primaryKey", [])),
        ]
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            facts.append(
                "Refers to\n: "
                + ", ".join(f"`{f}`" for f in fk["fields"])
                + f" must match `{', '.join(ref['fields'])}` in [{ref['resource']}](#data-{ref['resource'].replace('_', '-')})"
            )
        sources = "; ".join(
            f"[{_escape(s['title'])}]({s['path']})" if s.get("path") else _escape(s["title"]) for s in res.get("sources", [])
        )
        facts.append("Source\n: " + sources)
        facts.append("Licence\n: " + _licence(res.get("licenses") or desc.get("licenses", [])))
        for fact in facts:
            lines += [fact, ""]
        if res.get("provenance"):
            lines += ["**Provenance** (the `provenance` property of this table in the descriptor):", ""]
            sources_table = load("sources", package).set_index("source_id")
            for label, text in provenance_items(res["provenance"], sources_table):
                lines += [label, f": {text}", ""]
        lines += [
            ":::{list-table} Fields of " + f"`{name}`",
            ":header-rows: 1",
            ":widths: 18 10 27 45",
            "",
            "* - Field",
            "  - Type",
            "  - Constraints",
            "  - Meaning",
        ]
        for spec in schema["fields"]:
            lines += [
                f"* - `{spec['name']}`",
                f"  - {spec.get('type', 'string')}",
                f"  - {_constraints(spec)}",
                f"  - {_escape(spec.get('description', ''))}",
            ]
        lines += [":::", ""]
    return View("\n".join(lines), files, labels)


def _quote_sentence(sentences: pd.Series, sid: str) -> str:
    return f"{{sentence}}`{sid}`, {_escape(sentences[sid])}"


def layer_title(layer: str) -> str:
    """``claim_kind`` -> ``Claim kind``."""
    return layer.replace("_", " ").capitalize()


def codebook(package: str | os.PathLike | None = None) -> View:
    """The codebook: per layer, every value with its definition, decision rule and example."""
    book = load("codebook", package)
    sentences = load("article_sentences", package).set_index("sentence_id")["text"]
    lines: list[str] = []
    labels: dict[str, str] = {}
    for layer, values in book.groupby("layer", sort=False):
        title = layer_title(layer)
        labels[title] = f"codebook-{layer.replace('_', '-')}"
        scope = values["scope"].iloc[0]
        lines += [f"## {title}", ""]
        lines.append(
            "*A sentence layer: every sentence gets exactly one of these values.*"
            if scope == "sentence"
            else "*A span layer: it marks the exact words of a sentence, as often as they occur.*"
        )
        lines.append("")
        for row in values.itertuples():
            lines.append(f"**{_escape(row.label)}** (`{row.value}`)")
            detail = [_escape(row.definition)]
            if not pd.isna(row.stance):
                detail.append(f"*Stance:* {row.stance}.")
            lines.append(": " + " ".join(detail))
            lines.append("")
            lines.append(f"  *Decision rule:* {_escape(row.decision_rule)}")
            lines.append("")
            if not pd.isna(row.example_sentence_id):
                lines.append(f"  *Example:* {_quote_sentence(sentences, row.example_sentence_id)}")
                lines.append("")
    return View("\n".join(lines), data_files(package, "codebook", "article_sentences"), labels)


def coding_table(package: str | os.PathLike | None = None) -> View:
    """The module's coding as one readable table: a row per sentence, its values and its spans."""
    from .coding import SHEET_LAYERS, coded_sentences

    book = load("codebook", package)
    label = dict(zip(zip(book["layer"], book["value"]), book["label"]))
    wide = coded_sentences(package)
    coding = load("coding", package)
    span_rows = coding[coding["span"].notna()]
    lines = [
        ":::{list-table} The module's coding of every sentence",
        ":header-rows: 1",
        ":widths: 10 18 14 16 16 26",
        ":class: rd-coding-table",
        "",
        "* - Sentence",
        *[f"  - {layer_title(layer)}" for layer in SHEET_LAYERS],
        "  - Marked words",
    ]
    for row in wide.itertuples():
        marked = span_rows[span_rows["sentence_id"] == row.sentence_id]
        words = "; ".join(f"{layer_title(r.layer)} ({_escape(label[(r.layer, r.value)])}): “{_escape(r.span)}”" for r in marked.itertuples())
        lines += [f"* - {{sentence}}`{row.sentence_id}`"]
        lines += [f"  - {_escape(label[(layer, getattr(row, layer))])}" for layer in SHEET_LAYERS]
        lines += [f"  - {words or 'none'}"]
    lines += [":::", ""]
    return View("\n".join(lines), data_files(package, "coding", "codebook", "article_sentences"))


def coding_sheet(package: str | os.PathLike | None = None) -> View:
    """The printable coding sheet: every sentence, with an empty cell for each sentence layer."""
    from .coding import SHEET_LAYERS

    sentences = load("article_sentences", package)
    book = load("codebook", package)
    lines = []
    for layer in SHEET_LAYERS:
        values = ", ".join(f"`{v}`" for v in book.loc[book["layer"] == layer, "value"])
        lines += [layer_title(layer), f": {values}", ""]
    lines += [
        ":::{list-table} Coding sheet",
        ":header-rows: 1",
        ":widths: 9 43 12 12 12 12",
        ":class: rd-coding-sheet",
        "",
        "* - ID",
        "  - Sentence",
        *[f"  - {layer_title(layer)}" for layer in SHEET_LAYERS],
    ]
    for row in sentences.itertuples():
        lines += [f"* - `{row.sentence_id}`", f"  - {_escape(row.text)}", *(["  - \u00a0"] * len(SHEET_LAYERS))]
    lines += [":::", ""]
    return View("\n".join(lines), data_files(package, "article_sentences", "codebook"))


WORDISH = re.compile(r"[\w’'.-]+|[^\w\s]")


def mark_departures(text: str, source: str) -> str:
    """``text`` as MyST with the words that do not occur in ``source`` in bold (case and
    surrounding punctuation ignored), so a reader sees where a quotation departs from its source."""
    def norm(word: str) -> str:
        return word.strip(".,;:“”‘’\"'()").casefold()

    known = {norm(w) for w in WORDISH.findall(source)}
    out = []
    for token in re.split(r"(\s+)", text):
        if not token or token.isspace():
            out.append(token)
            continue
        word = norm(token)
        out.append(f"**{_escape(token)}**" if word and word not in known else _escape(token))
    return "".join(out)


def _sources_links(ids: str) -> str:
    return ", ".join(f"{{source}}`{sid.strip()}`" for sid in ids.split(";") if sid.strip())


def quotation_audit(package: str | os.PathLike | None = None) -> View:
    """The quotation audit, side by side: each quotation as printed, in KCNA's English and in the
    wire copy, with the Korean where known, the verdict and the evidence."""
    audit = load("quotation_audit", package)
    lines: list[str] = []
    labels: dict[str, str] = {}
    for row in audit.itertuples(index=False):
        title = f"{row.audit_id}: “{row.span.strip(',')}” ({row.verdict})"
        labels[title] = f"audit-{row.audit_id}"
        lines += [f"### {_escape(title)}", ""]
        kcna = "" if pd.isna(row.kcna_english) else row.kcna_english
        printed = mark_departures(row.span, kcna) if kcna else _escape(row.span)
        lines += [
            ":::{list-table}",
            ":header-rows: 1",
            ":widths: 34 33 33",
            ":class: rd-audit-table",
            "",
            f"* - This text ({{sentence}}`{row.sentence_id}`)",
            "  - KCNA's English",
            "  - Wire copy",
            f"* - “{printed}”",
            f"  - {('“' + _escape(kcna) + '”') if kcna else '*(none found)*'}",
            f"  - {_escape(row.wire_wording) if not pd.isna(row.wire_wording) else '*(none found)*'}",
            ":::",
            "",
        ]
        facts = []
        if not pd.isna(row.wire_source):
            facts += ["Which wire copy", f": {_escape(row.wire_source)}", ""]
        if not pd.isna(row.korean_original):
            facts += ["Korean original", f": {_escape(row.korean_original)}", ""]
        facts += ["Verdict", f": **{row.verdict}**. {_escape(row.explanation)}", ""]
        facts += ["Sources", f": {_sources_links(row.source_ids)}", ""]
        lines += facts
    return View("\n".join(lines), data_files(package, "quotation_audit", "sources", "article_sentences"), labels)


def claim_ledger(package: str | os.PathLike | None = None) -> View:
    """The claim ledger: a summary table, then every claim with what would verify it and the evidence."""
    claims = load("claims", package)
    lines = [
        ":::{list-table} Every checkable claim and its verdict",
        ":header-rows: 1",
        ":widths: 8 10 52 30",
        ":class: rd-claims-table",
        "",
        "* - Claim",
        "  - Sentence",
        "  - In the article's words",
        "  - Verdict",
    ]
    for row in claims.itertuples(index=False):
        lines += [
            f"* - [{row.claim_id}](#claim-{row.claim_id})",
            f"  - {{sentence}}`{row.sentence_id}`",
            f"  - “{_escape(row.claim)}”",
            f"  - {row.verdict}",
        ]
    lines += [":::", "", "## The evidence, claim by claim", ""]
    for row in claims.itertuples(index=False):
        lines += [
            f"(claim-{row.claim_id})=",
            f"**{row.claim_id}** ({{sentence}}`{row.sentence_id}`): “{_escape(row.claim)}”",
            f": *Asserted by:* {_escape(row.asserted_by)}. *What would verify it:* {_escape(row.what_would_verify)}.",
            "",
            f"  *Evidence:* {_escape(row.evidence)}",
            "",
            f"  *Verdict:* **{row.verdict}**. *Sources:* {_sources_links(row.source_ids)}.",
            "",
        ]
    return View("\n".join(lines), data_files(package, "claims", "sources", "article_sentences"))


def declarations(package: str | os.PathLike | None = None) -> View:
    """Each side's declared posture, document by document: quotations as quotations, our
    translations marked as ours with the Korean beside them."""
    table = load("declarations", package).sort_values("date", kind="stable")
    sources = load("sources", package).set_index("source_id")
    lines: list[str] = []
    for (document, actor, date), group in table.groupby(["document", "actor", "date"], sort=False):
        lines += [f"**{_escape(document)}** ({_escape(actor)}, {format_date(date)})", ""]
        for row in group.itertuples(index=False):
            if row.text_status == "quotation":
                text = f"“{_escape(row.text)}”"
            else:
                text = f"{_escape(row.text)} *({row.text_status})*"
            item = f"- *{row.kind.capitalize()}.* {text}"
            if not pd.isna(row.korean):
                item += f" Korean: {_escape(row.korean)}."
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
            body = [_escape(row.definition)]
            if not pd.isna(row.korean):
                body.append(
                    f"Korean: {_escape(row.korean)} ({_escape(row.romanisation)}); "
                    f"KCNA's English: “{_escape(row.kcna_english)}”."
                )
            if not pd.isna(row.note):
                body.append(_escape(row.note))
            if not pd.isna(row.reference):
                keys = ",".join(k.strip() for k in row.reference.split(";") if k.strip())
                body.append(f"See {{cite:t}}`{keys}`.")
            if not pd.isna(row.source_ids):
                body.append(f"Sources: {_sources_links(row.source_ids)}.")
            lines.append("  " + " ".join(body))
            lines.append("")
        lines += ["```", ""]
    return View("\n".join(lines), data_files(package, "glossary", "sources"), labels)


#: The views a page can ask for with the ``data-view`` directive.
VIEWS: dict[str, Callable[..., View]] = {
    "timeline": timeline,
    "catalogue": catalogue,
    "provenance": provenance,
    "codebook": codebook,
    "coding_table": coding_table,
    "coding_sheet": coding_sheet,
    "sources": sources_list,
    "quotation_audit": quotation_audit,
    "claims": claim_ledger,
    "glossary": glossary,
    "declarations": declarations,
}


def render(view: str, package: str | os.PathLike | None = None) -> View:
    """Render the named view; ``KeyError`` listing the known views if there is no such view."""
    if view not in VIEWS:
        raise KeyError(f"no data view {view!r}; known views: {', '.join(sorted(VIEWS))}")
    return VIEWS[view](package)
