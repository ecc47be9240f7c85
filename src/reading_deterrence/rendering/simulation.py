"""The situation-room simulation's printed cards, made from the data: role cards and launch injects.

A **role card** is every row of ``data/simulation_cards.csv`` for one role, in the file's order,
grouped by section: who the team is, its declared posture (in its own government's published
words, or the module's paraphrase of them), its interests (sourced, or a gap row where the sources
are silent), what it knows, what it does not know, and its tasks. Every fact on a card carries
its sources, so a card on paper still says where each line comes from; nothing on it is a link
but those sources (the printer unlinks them).

A **launch inject** is what each reporter said about one launch (``launch_reports``), in the
module's reporter order, with the source of each report; ``range_km`` is the distance flown, so
it prints as "flew about … km".

:func:`card_problems` checks what the contract cannot: that every fact names the module's rows
it rests on (``basis``), that those rows exist and share a source with the fact, that each
quotation on a card is word for word in one of those rows, and that every role has the sections
a card needs. The directive reports these problems as data errors, so a card that drifts from
the data stops the build.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import pandas as pd

from ..analysis.counting import REPORTERS
from ..contract import DataError, Problem, data_files, display_path, load
from .base import View
from .lab_counting import REPORTER_NAMES
from .text import escape, format_date

__all__ = [
    "FACT_STATUSES",
    "REQUIRED_SECTIONS",
    "SECTION_TITLES",
    "card_problems",
    "launch_inject",
    "role_card",
    "role_names",
]

TABLE = "simulation_cards"
#: The sections of a card, in the order they print, and their titles on the card.
SECTION_TITLES = {
    "brief": "",
    "posture": "Declared posture: what your side has said in public",
    "interest": "Interests",
    "knows": "What you know",
    "unknown": "What you do not know",
    "task": "Your tasks",
}
#: Every card needs these (``name`` is its title, on the page's heading).
REQUIRED_SECTIONS = ("name", "brief", "posture", "knows", "unknown", "task")
#: The statuses of a fact: these rows must name sources and the rows they rest on.
FACT_STATUSES = ("quotation", "our translation", "paraphrase")
#: Where each table's quotable text is, and its sources (for ``basis``: ``table:key``).
QUOTABLE = {
    "declarations": (("text", "korean", "note"), "source_id"),
    "timeline": (("event", "note"), "source_id"),
    "exercises": (("name", "scale_as_reported", "note"), "source_id"),
    "claims": (("claim", "evidence"), "source_ids"),
    "quotation_audit": (("span", "kcna_english", "wire_wording", "korean_original", "explanation"), "source_ids"),
    "launch_reports": (("system_as_reported", "note"), "source_id"),
    "sources": (("title", "note"), "source_id"),
}
#: The key columns of the tables a basis may name (launch_reports: ``event_id/reporter``).
KEYS = {
    "declarations": ("declaration_id",),
    "timeline": ("event_id",),
    "exercises": ("exercise_id",),
    "claims": ("claim_id",),
    "quotation_audit": ("audit_id",),
    "launch_reports": ("event_id", "reporter"),
    "sources": ("source_id",),
}
QUOTED = re.compile(r"“([^”]+)”")
ELLIPSIS = re.compile(r"\s*…\s*")
SPACE = re.compile(r"\s+")
#: A source ID in a note, in brackets: "(yonhap-2023-03-27-haeil)".
MENTIONED = re.compile(r"\(([a-z0-9]+(?:-[a-z0-9]+)+)\)")


def _ids(cell) -> list[str]:
    return [] if pd.isna(cell) else [part.strip() for part in str(cell).split(";") if part.strip()]


def _plain(text: str) -> str:
    """Text for comparing quotations: straight quotes and apostrophes, single spaces."""
    for curly, straight in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return SPACE.sub(" ", text).strip()


def _basis_rows(package) -> dict[str, tuple[str, set[str]]]:
    """``table:key`` -> (its quotable text, its source IDs), for every row a basis may name. A
    row's sources are its source column and the source IDs its text names in brackets."""
    rows = {}
    for table, (columns, source_column) in QUOTABLE.items():
        frame = load(table, package)
        for row in frame.itertuples(index=False):
            values = row._asdict()
            key = "/".join(str(values[k]) for k in KEYS[table])
            text = " ".join(str(values[c]) for c in columns if not pd.isna(values[c]))
            rows[f"{table}:{key}"] = (_plain(text), set(_ids(values[source_column])) | set(MENTIONED.findall(text)))
    return rows


def _row_problems(card: pd.Series, rows: dict[str, tuple[str, set[str]]]) -> list[tuple[str, str]]:
    """(column, message) for each way one card row falls short: sources, basis, quotations."""
    found = []
    sources, bases = _ids(card["source_ids"]), _ids(card["basis"])
    if card["text_status"] in FACT_STATUSES:
        if not sources:
            found.append(("source_ids", f"a {card['text_status']} needs its sources"))
        if not bases:
            found.append(("basis", f"a {card['text_status']} needs the module's rows it rests on"))
    for basis in bases:
        if basis not in rows:
            found.append(("basis", f"{basis!r} is not a row of the module's data (table:key)"))
        elif rows[basis][1] and not rows[basis][1] & set(sources):
            found.append(("source_ids", f"shares no source with its basis {basis!r}"))
    known = [rows[b][0] for b in bases if b in rows]
    for quote in QUOTED.findall(card["text"]):
        for piece in filter(None, ELLIPSIS.split(_plain(quote))):
            if not any(piece in text for text in known):
                found.append(("text", f"the quotation {piece!r} is not word for word in its basis rows"))
    return found


def card_problems(package: str | os.PathLike | None = None) -> list[Problem]:
    """Every way the cards fall short of the rules above (empty if none), as contract problems.

    A basis row "shares a source" with a fact when one of the fact's sources is in the row's
    source column or named, in brackets, in its text (a timeline note's second source)."""
    cards = load(TABLE, package)
    shown = display_path(data_files(package, TABLE)[1])
    rows = _basis_rows(package)
    problems = []
    for index, card in cards.iterrows():  # rows as a spreadsheet numbers them: the header is row 1
        problems += [Problem(shown, int(index) + 2, column, text) for column, text in _row_problems(card, rows)]
    for role, group in cards.groupby("role", sort=False):
        missing = [s for s in REQUIRED_SECTIONS if s not in set(group["section"])]
        if missing:
            problems.append(
                Problem(shown, int(group.index[0]) + 2, "section", f"role {role!r} has no {', '.join(missing)} row")
            )
        if (group["section"] == "name").sum() != 1:
            problems.append(
                Problem(shown, int(group.index[0]) + 2, "section", f"role {role!r} needs exactly one name row")
            )
    return problems


def role_names(package: str | os.PathLike | None = None) -> dict[str, str]:
    """Each role's ID and name, in the file's order."""
    cards = load(TABLE, package)
    names = cards[cards["section"] == "name"]
    return dict(zip(names["role"], names["text"]))


def _citation(sid: str, sources: pd.DataFrame) -> str:
    """A ``{source}`` link named after the publisher and the date, or the title where the source
    shows no date (a card is read on paper, where two undated reports of one publisher must differ)."""
    source = sources.loc[sid]
    text = str(source["publisher"])
    if not pd.isna(source["date"]):
        text += f", {format_date(source['date'])}"
    elif not pd.isna(source["title"]):
        words = str(source["title"]).split()
        text += f", “{' '.join(words[:6])}{' …' if len(words) > 6 else ''}”"
    return f"{{source}}`{text.replace('`', '').replace('<', '(').replace('>', ')')} <{sid}>`"


def _line(card: pd.Series, sources: pd.DataFrame) -> str:
    """The line's text, then in brackets "our translation" where it is one, and its sources."""
    said = ["our translation"] if card["text_status"] == "our translation" else []
    said += [_citation(sid, sources) for sid in _ids(card["source_ids"])]
    return escape(card["text"]) + (f" ({'; '.join(said)})" if said else "")


def _missing(package, table: str, column: str, name: str) -> DataError:
    shown = display_path(data_files(package, table)[1])
    return DataError([Problem(shown, None, column, f"no {column} {name!r} (a simulation page asks for it)")])


def role_card(role: str, package: str | os.PathLike | None = None) -> View:
    """One role's card as MyST: the brief in italics, then each section's lines with sources;
    tasks numbered. The card's title is the page's heading (see :func:`role_names`)."""
    cards = load(TABLE, package)
    sources = load("sources", package).set_index("source_id")
    mine = cards[cards["role"] == role]
    if mine.empty:
        raise _missing(package, TABLE, "role", role)
    lines = [f"::::{{container}} rd-role-card rd-role-{role}", ""]
    for section, title in SECTION_TITLES.items():
        rows = [row for _, row in mine[mine["section"] == section].iterrows()]
        if not rows:
            continue
        if section == "brief":
            lines += [f"*{_line(row, sources)}*" for row in rows] + [""]
            continue
        lines += [f"**{title}**", ""]
        marker = "1." if section == "task" else "-"
        lines += [f"{marker} {_line(row, sources)}" for row in rows] + [""]
    lines.append("::::")
    return View("\n".join(lines), data_files(package, TABLE, "sources"))


def launch_inject(
    event_id: str, package: str | os.PathLike | None = None, reporters: Sequence[str] | None = None
) -> View:
    """What each reporter said about one launch (``reporters`` to choose some; every one by
    default), in the module's reporter order, each with its source."""
    events = load("launch_events", package).set_index("event_id")
    reports = load("launch_reports", package)
    sources = load("sources", package).set_index("source_id")
    if event_id not in events.index:
        raise _missing(package, "launch_events", "event_id", event_id)
    chosen = reports[reports["event_id"] == event_id]
    for reporter in reporters or ():
        if reporter not in set(chosen["reporter"]):
            raise _missing(package, "launch_reports", "reporter", f"{reporter} for {event_id}")
    if reporters:
        chosen = chosen[chosen["reporter"].isin(reporters)]
    event = events.loc[event_id]
    lines = [
        "::::{container} rd-inject-reports",
        "",
        f"**Launch of {format_date(event['date'])}, {escape(str(event['location']))}: who said what**",
        "",
    ]
    for _, report in chosen.sort_values("reporter", key=lambda s: s.map(REPORTERS.index)).iterrows():
        details = []
        if not pd.isna(report["missiles"]):
            details.append(f"{int(report['missiles'])} missile{'s' if report['missiles'] != 1 else ''}")
        if not pd.isna(report["range_km"]):
            details.append(f"flew about {int(report['range_km']):,} km")
        if not pd.isna(report["apogee_km"]):
            details.append(f"highest point about {int(report['apogee_km']):,} km")
        said = escape(str(report["system_as_reported"])) + (f" ({'; '.join(details)})" if details else "")
        note = "" if pd.isna(report["note"]) else f" {escape(str(report['note']))}"
        who = REPORTER_NAMES.get(report["reporter"], report["reporter"])
        lines.append(f"- **{escape(who)}**: {said}.{note} ({_citation(report['source_id'], sources)})")
    lines += ["", "::::"]
    return View("\n".join(lines), data_files(package, "launch_events", "launch_reports", "sources"))
