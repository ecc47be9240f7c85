"""The relay-chain diagram: who passed the text on, and the words of each quotation at each link.

:func:`relay_diagram` makes one ``<figure class="rd-relay">`` of plain HTML from the quotation
audit (``{relay-diagram}`` puts it on a page):

- the caption, first, saying what to notice;
- the chain: an ordered list of its links, each with its name, date and one line; the arrows
  between them are CSS (``content: "→" / ""``, silent for screen readers);
- the key: what the marker, the bold words and "not known" mean;
- the words: an ordered list of the audit's quotations, each with its sentence (a link to the
  article), its verdict (a link to the audit) and an ordered list of its words at each link that
  has words (:data:`~reading_deterrence.analysis.relay.WORD_COLUMNS`, in the chain's order).
  Each step names its link; the link where the words changed says so in words ("◆ Changed
  here"), with its new words in ``<strong>``, so the marking never rests on colour
  (:mod:`reading_deterrence.analysis.relay` says where a change is found). A link with no words
  says the page's own words for a gap ("not in the stored copy"), never a guess; a wire that
  paraphrased shows its wording as a paraphrase.

The stylesheet lays the words out as a grid, one row per quotation, when the figure is wide
enough (a container query), with a header row for sighted readers (``aria-hidden``: each step
names its link itself), and as stacked cards on a phone. ``poster=True`` adds the class
``rd-relay-poster``, which prints the figure alone on one landscape page.

The links' names and notes are the page's (chapter facts stay out of library code); the words are
the data's. Korean is marked with ``lang`` by the Sphinx layer (``language.mark_html``).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..analysis.relay import UNQUOTED, WORD_COLUMNS, Step, relay_steps
from ..contract import DataError, Problem, data_files, display_path, load
from .route import KICKER

__all__ = ["Diagram", "Link", "relay_diagram"]

esc = html.escape
#: The marker of the link where a quotation's words changed, and what it says.
MARKER = "◆"
CHANGED = "Changed here"
#: The title of the fold that holds the quotations after the first ``open_rows``.
MORE = "The other {n} quotations, link by link"
#: What a wire's step says when the wire paraphrased the passage.
PARAPHRASE = "paraphrase, no quotation marks"


@dataclass(frozen=True)
class Link:
    """One link of the chain, as the page names it: ``column`` is the audit column holding the
    words at this link (None for a link with no words of its own, such as the meeting), and
    ``missing`` what a quotation with no words there says."""

    name: str
    when: str = ""
    note: str = ""
    column: str | None = None
    missing: str = "not known"


@dataclass
class Diagram:
    html: str
    files: list[Path] = field(default_factory=list)


def check_links(links: list[Link]) -> None:
    """The links hold the audit's word columns once each, in the chain's order; ValueError otherwise."""
    columns = [link.column for link in links if link.column]
    if tuple(columns) != WORD_COLUMNS:
        raise ValueError(
            f"the links must hold the words of {', '.join(WORD_COLUMNS)}, once each and in that order "
            f"(they hold: {', '.join(columns) or 'none'})"
        )


def _check_data(audit: pd.DataFrame, audit_file: str) -> None:
    """A wire's quoted words are part of its wording, and wording has its agency."""
    problems = []
    for i, row in enumerate(audit.itertuples(index=False), start=2):
        quoted, wording = row.wire_quoted, row.wire_wording
        if isinstance(quoted, str) and not (isinstance(wording, str) and quoted in wording):
            problems.append(Problem(audit_file, i, "wire_quoted", f"{quoted!r} is not part of wire_wording"))
        if isinstance(wording, str) and pd.isna(row.wire_agency):
            problems.append(Problem(audit_file, i, "wire_agency", "empty, but wire_wording is not (whose is it?)"))
    if problems:
        raise DataError(problems)


def relay_diagram(
    package: str | os.PathLike | None,
    links: list[Link],
    *,
    caption: str,
    article_href: str = "article.html",
    audit_href: str | None = None,
    poster: bool = False,
    open_rows: int | None = None,
) -> Diagram:
    """The diagram (module docstring). ``article_href`` is the article page relative to this page
    (sentence IDs link to ``article_href#p02s01``); ``audit_href``, if given, the quotation audit's
    page (verdicts link to ``audit_href#audit-q02``). ``open_rows``, if given, shows only that many
    quotations open and folds the rest in a "Going further" ``<details>`` (it prints open)."""
    check_links(links)
    files = data_files(package, "quotation_audit")
    audit = load("quotation_audit", package)
    _check_data(audit, display_path(files[1]))
    numbered = list(enumerate(links, start=1))
    worded = [(n, link) for n, link in numbered if link.column]
    classes = "rd-relay rd-relay-poster" if poster else "rd-relay"
    parts = [
        f'<figure class="{classes}">',
        f'<figcaption class="rd-relay-caption">{esc(caption)}</figcaption>',
        _chain(numbered),
        _key(),
        '<div class="rd-relay-words">',
        _header(worded),
        '<ol class="rd-relay-rows" aria-label="The words of each quotation at each link">',
    ]
    rows = [_row(row, relay_steps(row), worded, article_href, audit_href) for _, row in audit.iterrows()]
    shown = len(rows) if open_rows is None or open_rows >= len(rows) else max(open_rows, 1)
    parts += rows[:shown]
    parts.append("</ol>")
    if shown < len(rows):
        rest = len(rows) - shown
        parts += [
            f'<details class="rd-further rd-relay-more"><summary><span class="rd-further-kicker">{KICKER}</span> '
            f'<span class="rd-further-title">{MORE.format(n=rest)}</span></summary><div class="rd-further-body">',
            f'<ol class="rd-relay-rows" start="{shown + 1}" aria-label="The words of the other quotations">',
            *rows[shown:],
            "</ol></div></details>",
        ]
    parts += ["</div>", "</figure>"]
    return Diagram("\n".join(parts), files)


def _chain(numbered: list[tuple[int, Link]]) -> str:
    items = []
    for n, link in numbered:
        kind = "rd-relay-link rd-relay-link-words" if link.column else "rd-relay-link"
        when = f' <span class="rd-relay-when">{esc(link.when)}</span>' if link.when else ""
        note = f' <span class="rd-relay-note">{esc(link.note)}</span>' if link.note else ""
        items.append(
            f'<li class="{kind}"><span class="rd-relay-n">{n}</span> '
            f'<span class="rd-relay-name">{esc(link.name)}</span>{when}{note}</li>'
        )
    return '<ol class="rd-relay-chain" aria-label="The links of the chain, in order">' + "".join(items) + "</ol>"


def _key() -> str:
    return (
        '<p class="rd-relay-key"><span class="rd-relay-key-title">Key:</span> '
        f'<span class="rd-relay-flag"><span aria-hidden="true">{MARKER} </span>{CHANGED}</span>: the first link '
        "where the words inside the quotation marks differ from every link before it; "
        "<strong>bold</strong>: the new words. "
        '<span class="rd-relay-gap">Not known</span>: no source for that link holds the words; '
        "the change may have happened there.</p>"
    )


def _header(worded: list[tuple[int, Link]]) -> str:
    cells = ['<span class="rd-relay-hq">Sentence</span>']
    cells += [f'<span><span class="rd-relay-n">{n}</span> {esc(link.name)}</span>' for n, link in worded]
    return '<div class="rd-relay-head" aria-hidden="true">' + "".join(cells) + "</div>"


def _row(row: pd.Series, steps: list[Step], worded, article_href: str, audit_href: str | None) -> str:
    sid, verdict = row["sentence_id"], row["verdict"]
    verdict_html = esc(verdict)
    if audit_href:
        verdict_html = f'<a href="{esc(audit_href)}#audit-{esc(row["audit_id"])}">{verdict_html}</a>'
    changed = any(step.changed for step in steps)
    head = (
        f'<p class="rd-relay-q"><a class="rd-relay-sid" href="{esc(article_href)}#{esc(sid)}" '
        f'aria-label="Sentence {esc(sid)}">{esc(sid)}</a> '
        f'<span class="rd-relay-verdict">{verdict_html}</span></p>'
    )
    names = {link.column: (n, link) for n, link in worded}
    agency = row.get("wire_agency")
    cells = [_step(step, names, agency if isinstance(agency, str) else None) for step in steps]
    kind = "rd-relay-row rd-relay-row-changed" if changed else "rd-relay-row"
    return f'<li class="{kind}">{head}<ol class="rd-relay-steps">{"".join(cells)}</ol></li>'


def _words_html(step: Step) -> str:
    return "".join(f"<strong>{esc(text)}</strong>" if new else esc(text) for text, new in step.pieces())


def _step(step: Step, names: dict[str, tuple[int, Link]], agency: str | None) -> str:
    """One quotation at one link; ``agency``: whose wording a wire's step shows."""
    n, link = names[step.column]
    label = f'<span class="rd-relay-stage"><span class="rd-relay-n">{n}</span> {esc(link.name)}: </span>'
    classes = ["rd-relay-step"]
    if not step.known:
        classes.append("rd-relay-unknown")
        body = f'<span class="rd-relay-gap">{esc(link.missing)}</span>'
    elif step.words is None:  # a paraphrase, not in quotation marks
        classes.append("rd-relay-unquoted")
        body = f'{esc(step.unquoted)} <span class="rd-relay-gap">({PARAPHRASE})</span>'
    else:
        quote = step.column != "korean_original"
        body = f"“{_words_html(step)}”" if quote else _words_html(step)
    prefix = ""
    if step.column in UNQUOTED and step.known and agency:
        prefix = f'<span class="rd-relay-agency">{esc(agency)}</span>: '
    flag = ""
    if step.changed:
        classes.append("rd-relay-changed")
        where = CHANGED
        if step.unknown_before:
            gaps = ", ".join(str(names[c][0]) for c in step.unknown_before)
            where += f", or at link {gaps} (not known)"
        flag = f'<span class="rd-relay-flag"><span aria-hidden="true">{MARKER} </span>{esc(where)}</span> '
    return f'<li class="{" ".join(classes)}">{label}{flag}{prefix}{body}</li>'
