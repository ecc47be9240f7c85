"""Glossary definitions on hover and on keyboard focus, wherever a term is linked.

After a page is resolved, every ``{term}`` link in it is wrapped with its definition (from
``data/glossary.csv``) as a tooltip: ``role="tooltip"``, tied to the link by
``aria-describedby`` so that screen readers read it too. CSS shows it when the link is hovered or
focused (and while the tooltip itself is hovered); ``glossary-tips.js`` lets Escape dismiss it
(WCAG 2.1, 1.4.13). No third-party script is involved, and without JavaScript the tooltips still
appear. The links are found in the doctree, not in the rendered HTML; bad glossary data is a
build error naming file, row and column.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx

from ..contract import load
from .report import DATA_ERRORS, data_error


class term_tip(nodes.inline):
    """A term link and its tooltip, side by side."""


class term_link(nodes.reference):
    """The link to the glossary entry, described by the tooltip."""


class tooltip(nodes.inline):
    """The definition, shown on hover and focus."""


def visit_term_tip(self, node):
    self.body.append('<span class="rd-term">')


def depart_term_tip(self, node):
    self.body.append("</span>")


def visit_term_link(self, node):
    href = node.get("refuri") or "#" + node["refid"]
    self.body.append(f'<a class="reference internal" href="{html.escape(href)}" aria-describedby="{node["tip"]}">')


def depart_term_link(self, node):
    self.body.append("</a>")


def visit_tooltip(self, node):
    self.body.append(f'<span class="rd-tip" role="tooltip" id="{node["tip"]}">')


def depart_tooltip(self, node):
    self.body.append("</span>")


def definitions(app: Sphinx) -> dict[str, str]:
    """Glossary anchor ID (``term-war-deterrent``) -> definition text, for the whole book."""
    table = load("glossary", app.config.reading_deterrence_data)
    by_name = {term.casefold(): text for term, text in zip(table["term"], table["definition"])}
    std = app.env.get_domain("std")
    return {
        value[1]: by_name[name.casefold()]
        for (kind, name), value in std.objects.items()
        if kind == "term" and name.casefold() in by_name
    }


def _is_term_link(node: nodes.Node) -> bool:
    return isinstance(node, nodes.reference) and any(
        "std-term" in child.get("classes", []) for child in node.children if isinstance(child, nodes.Element)
    )


def add_tooltips(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` handler: wrap every term link of the page with its definition."""
    if app.builder.format != "html":
        return
    links = [node for node in doctree.findall(_is_term_link)]
    if not links:
        return
    try:
        tips = definitions(app)
    except DATA_ERRORS as err:
        data_error(err, location=docname, what="glossary tooltips", env=app.env)
        return
    for number, link in enumerate(links, start=1):
        anchor = (link.get("refuri") or "#" + link.get("refid", "")).rpartition("#")[2]
        text = tips.get(anchor)
        if text is None:
            continue
        tip = f"rd-tip-{number}"
        where = {key: link[key] for key in ("refuri", "refid") if link.get(key)}
        new = term_link("", "", *link.children, tip=tip, **where)
        box = term_tip()
        box += new
        note = tooltip(tip=tip)
        note += nodes.Text(text)
        box += note
        link.replace_self(box)


def setup(app: Sphinx) -> None:
    for node, visit, depart in [
        (term_tip, visit_term_tip, depart_term_tip),
        (term_link, visit_term_link, depart_term_link),
        (tooltip, visit_tooltip, depart_tooltip),
    ]:
        app.add_node(node, html=(visit, depart))
    # before the language marks (500), so that Korean in a definition is marked too
    app.connect("doctree-resolved", add_tooltips, priority=400)
    app.add_js_file("glossary-tips.js", loading_method="defer")
