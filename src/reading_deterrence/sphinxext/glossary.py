"""Glossary definitions on hover, on keyboard focus and on tap, wherever a term is used.

Two steps, after a page is resolved:

1. :func:`link_first_uses` links the first use of each glossary term in the page's running
   text to its entry, as if the author had written ``{term}``. Which words stand for a term is
   the glossary's ``forms`` column, matched by :mod:`reading_deterrence.rendering.terms`. Not
   running text, so never linked: titles, captions, table headers, legends and labels of
   self-checks, definition-list terms, code, raw HTML (the labs, the annotated article), text
   that is already a link or a reference, the article's own sentences (a quotation the student
   annotates, kept as printed), the vocabulary boxes and printed event cards (they are the
   definitions), and the glossary page itself. A term the author links (``{term}``) before its
   first plain use is not linked again. Folded blocks (a dropdown, a solution, "going further")
   may stay closed: a term first used in a fold is linked there, once for all the page's folds,
   and again at its first use outside them.
2. :func:`add_tooltips` wraps every term link (the author's and these) with its definition (from
   ``data/glossary.csv``) as a tooltip: ``role="tooltip"``, tied to the link by
   ``aria-describedby`` so that screen readers read it too. CSS shows it when the link is hovered
   or focused (and while the tooltip itself is hovered); ``glossary-tips.js`` lets Escape dismiss
   it (WCAG 2.1, 1.4.13), keeps it inside the window, and on a touch screen makes the first tap
   show the definition, with a link to the glossary, instead of leaving the page. No
   third-party script is involved, and without JavaScript the tooltips still appear on hover
   and focus.

``{glossary-abbreviations}`` lists the glossary's abbreviations with what they stand for. Bad
glossary data is a build error naming file, row and column.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from ..contract import data_files, load
from ..rendering.terms import TermMatcher, abbreviations, matcher, quoted_spans
from .article import DataDirective, article_sentence, excerpt_marker, sentence_marker
from .folds import going_further
from .report import DATA_ERRORS, data_error
from .selfcheck import check_label, check_question


class term_tip(nodes.inline):
    """A term link and its tooltip, side by side."""


class term_link(nodes.reference):
    """The link to the glossary entry, described by the tooltip."""


class tooltip(nodes.inline):
    """The definition, shown on hover and focus."""


def visit_term_tip(self, node):
    self.body.append('<span class="rd-term rd-term-auto">' if node.get("auto") else '<span class="rd-term">')


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
        box = term_tip(auto=bool(link.get("rd_auto")))
        box += new
        note = tooltip(tip=tip)
        note += nodes.Text(text)
        box += note
        link.replace_self(box)


# --- the first use of each term, linked --------------------------------------------------------

#: Nodes whose text is not running text: never linked, and not searched (but an author's term
#: link inside one still counts as the term's link).
NOT_RUNNING_TEXT = (
    nodes.Titular,  # title, subtitle, rubric
    nodes.caption,
    nodes.block_quote,  # a source's words, or a text read aloud
    nodes.thead,
    nodes.term,
    nodes.label,
    nodes.field_name,
    nodes.literal,
    nodes.literal_block,
    nodes.doctest_block,
    nodes.math,
    nodes.math_block,
    nodes.raw,
    nodes.comment,
    nodes.target,
    nodes.reference,
    nodes.citation,  # a bibliography entry: titles of works as published
    nodes.citation_reference,
    nodes.footnote_reference,
    nodes.abbreviation,
    nodes.acronym,
    nodes.substitution_definition,
    nodes.system_message,
    nodes.problematic,
    addnodes.pending_xref,
    addnodes.toctree,
    addnodes.glossary,
    addnodes.desc_signature,
    addnodes.only,
    article_sentence,
    sentence_marker,
    excerpt_marker,
    check_question,
    check_label,
    term_tip,
)
#: Boxes that are the definitions, or cut-out cards on which nothing is a link.
NOT_LINKED_CLASSES = {"rd-vocabulary", "rd-event-cards"}
#: A folded block: what is inside may be read without what is before it on the page.
FOLD_CLASSES = {"dropdown", "toggle", "toggle-hidden", "rd-going-further"}


def _not_running_text(node: nodes.Element) -> bool:
    name = type(node).__name__
    return (
        isinstance(node, NOT_RUNNING_TEXT)
        or name.endswith(("title", "summary", "_label", "legend"))
        or bool(NOT_LINKED_CLASSES & set(node.get("classes", [])))
    )


def _is_fold(node: nodes.Element) -> bool:
    return (
        isinstance(node, going_further)
        or type(node).__name__ in {"dropdown_main", "solution_node", "details"}
        or bool(FOLD_CLASSES & set(node.get("classes", [])))
    )


def _join_texts(node: nodes.Element) -> None:
    """Join neighbouring Text nodes into one. MyST gives a line break inside a paragraph as a Text
    node of its own, so a form that a line break cuts ("NY", a line break, "Breaking") would otherwise never
    be seen whole. The joined text renders exactly as the pieces did."""
    pairs = zip(node.children, node.children[1:])
    if not any(isinstance(a, nodes.Text) and isinstance(b, nodes.Text) for a, b in pairs):
        return
    joined: list[nodes.Node] = []
    for child in node.children:
        if joined and isinstance(child, nodes.Text) and isinstance(joined[-1], nodes.Text):
            joined[-1] = nodes.Text(str(joined[-1]) + str(child))
        else:
            joined.append(child)
    node.children = []
    node.extend(joined)


class FirstUses:
    """Links the first use of each term on one page (see the module's docstring)."""

    def __init__(self, app: Sphinx, docname: str, found: TermMatcher, anchors: dict[str, tuple[str, str]]):
        self.app, self.docname, self.matcher = app, docname, found
        self.anchors = anchors  # term -> (docname, anchor id)
        self.term_of_anchor = {anchor: term for term, (_, anchor) in anchors.items()}
        self.in_quotation = False

    def walk(self, node: nodes.Element, done: set[str], linking: bool = True, folded: set[str] | None = None) -> None:
        """Link the first uses in ``node``; ``done`` holds the terms already linked in this flow,
        ``folded`` those linked inside any fold of the page (so that ten folded source notes do
        not link the same agency ten times)."""
        folded = set() if folded is None else folded
        _join_texts(node)
        for child in list(node.children):
            if isinstance(child, nodes.paragraph):
                self.in_quotation = False  # a quotation mark left open does not run on
            if isinstance(child, nodes.Text):
                if linking:
                    self.link(child, done)
            elif _is_term_link(child):
                anchor = (child.get("refuri") or "#" + child.get("refid", "")).rpartition("#")[2]
                if anchor in self.term_of_anchor:
                    done.add(self.term_of_anchor[anchor])
            elif isinstance(child, nodes.Element):
                if _not_running_text(child):
                    self.walk(child, done, False, folded)
                elif _is_fold(child):
                    inside = done | folded
                    self.walk(child, inside, linking, folded)
                    folded |= inside - done
                else:
                    self.walk(child, done, linking, folded)

    def link(self, text: nodes.Text, done: set[str]) -> None:
        source = str(text)
        quoted, self.in_quotation = quoted_spans(source, self.in_quotation)
        uses = [use for use in self.matcher.first_uses(source, done, quoted) if use.term in self.anchors]
        if not uses:
            return
        parts: list[nodes.Node] = []
        last = 0
        for use in uses:
            if use.start > last:
                parts.append(nodes.Text(source[last : use.start]))
            parts.append(self.reference(use.term, source[use.start : use.end]))
            last = use.end
        if last < len(source):
            parts.append(nodes.Text(source[last:]))
        # by identity: a Text node is a str, and Element.replace would find the first equal sibling
        parent = text.parent
        at = next(i for i, child in enumerate(parent.children) if child is text)
        parent[at : at + 1] = parts

    def reference(self, term: str, words: str) -> nodes.reference:
        """A link like the one ``{term}`` makes, marked as made here."""
        docname, anchor = self.anchors[term]
        uri = self.app.builder.get_relative_uri(self.docname, docname) + "#" + anchor
        link = nodes.reference("", "", internal=True, refuri=uri, rd_auto=True)
        link += nodes.inline(words, words, classes=["xref", "std", "std-term"])
        return link


def term_anchors(app: Sphinx, terms) -> dict[str, tuple[str, str]]:
    """Glossary term (as in glossary.csv) -> (page, anchor ID) of its entry in the book."""
    wanted = {term.casefold(): term for term in terms}
    std = app.env.get_domain("std")
    return {
        wanted[name.casefold()]: (value[0], value[1])
        for (kind, name), value in std.objects.items()
        if kind == "term" and name.casefold() in wanted
    }


def link_first_uses(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` handler: link the first use of each glossary term on the page."""
    if app.builder.format != "html":
        return
    try:
        found = matcher(app.config.reading_deterrence_data)
    except DATA_ERRORS as err:
        data_error(err, location=docname, what="glossary term links", env=app.env)
        return
    anchors = term_anchors(app, found.term_of.values())
    if not found or docname in {page for page, _ in anchors.values()}:
        return  # no forms, or the glossary page itself
    FirstUses(app, docname, found, anchors).walk(doctree, set())


def depend_on_glossary(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: every page shows definitions, so it is rebuilt when the glossary changes."""
    try:
        app.env.note_dependency(str(data_files(app.config.reading_deterrence_data, "glossary")[1]))
    except DATA_ERRORS:
        pass  # reported where the glossary is read


class AbbreviationsDirective(DataDirective):
    """``{glossary-abbreviations}``: the glossary's abbreviations, each linked to its entry, with
    what it stands for."""

    def run(self):
        try:
            view = abbreviations(self.package)
        except DATA_ERRORS as err:
            return self.data_error(err)
        return self.placed(view)


def setup(app: Sphinx) -> None:
    for node, visit, depart in [
        (term_tip, visit_term_tip, depart_term_tip),
        (term_link, visit_term_link, depart_term_link),
        (tooltip, visit_tooltip, depart_tooltip),
    ]:
        app.add_node(node, html=(visit, depart))
    # terms linked first, then every term link given its tooltip, both before the language
    # marks (500), so that Korean in a definition is marked too
    app.connect("doctree-resolved", link_first_uses, priority=300)
    app.connect("doctree-resolved", add_tooltips, priority=400)
    app.connect("doctree-read", depend_on_glossary)
    app.add_directive("glossary-abbreviations", AbbreviationsDirective)
    app.add_js_file("glossary-tips.js", loading_method="defer")
