"""Glossary definitions on hover and on keyboard focus, wherever a term is linked.

A ``{term}`` link in the built page is wrapped with its definition (from ``data/glossary.csv``)
as a tooltip: ``role="tooltip"``, tied to the link by ``aria-describedby`` so that screen readers
read it too. CSS shows it when the link is hovered or focused (and while the tooltip itself is
hovered); ``static/glossary-tips.js`` lets Escape dismiss it (WCAG 2.1, 1.4.13). No third-party
script is involved, and without JavaScript the tooltips still appear.
"""

from __future__ import annotations

import html
import re

from sphinx.application import Sphinx

from .data import load

TERM_LINK = re.compile(
    r'<a class="reference internal" href="(?P<href>[^"]*#(?P<id>term-[^"]+))">'
    r'(?P<inner><span class="xref std std-term">.*?</span>)</a>'
)


def definitions(app: Sphinx) -> dict[str, str]:
    """Glossary anchor ID (``term-war-deterrent``) -> definition text, for the whole book."""
    table = load("glossary", app.config.reading_deterrence_data)
    by_name = {term.casefold(): text for term, text in zip(table["term"], table["definition"])}
    std = app.env.get_domain("std")
    out = {}
    for (kind, name), value in std.objects.items():
        if kind == "term" and name.casefold() in by_name:
            out[value[1]] = by_name[name.casefold()]
    return out


def add_tooltips(body: str, tips: dict[str, str]) -> str:
    """Wrap every term link in ``body`` with its definition as a tooltip."""
    counter = 0

    def wrap(match: re.Match) -> str:
        nonlocal counter
        text = tips.get(match.group("id"))
        if text is None:
            return match.group(0)
        counter += 1
        tip = f"rd-tip-{counter}"
        return (
            f'<span class="rd-term"><a class="reference internal" href="{match.group("href")}" '
            f'aria-describedby="{tip}">{match.group("inner")}</a>'
            f'<span class="rd-tip" role="tooltip" id="{tip}">{html.escape(text)}</span></span>'
        )

    return TERM_LINK.sub(wrap, body)


def on_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body", "")
    if 'class="xref std std-term"' in body:
        context["body"] = add_tooltips(body, definitions(app))


def setup(app: Sphinx) -> None:
    # before lighten's asset pruning (900), which then sees the rd-term class and keeps the script
    app.connect("html-page-context", on_page, priority=800)
    app.add_js_file("glossary-tips.js", loading_method="defer")
