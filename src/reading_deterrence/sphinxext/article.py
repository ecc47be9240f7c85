"""The article in the book: ``{article}``, ``{annotated-article}`` and the ``{sentence}`` role.

``{article}``
    The case-study article from ``data/article_sentences.csv``, each sentence with its ID shown
    and as a link target (``the-case/article.html#p03s01``), inside a quotation with its source.
``{annotated-article}``
    The coded article with switchable layers (:mod:`reading_deterrence.rendering.annotated`).
``{sentence}`p03s01```
    A link to that sentence wherever the article is rendered. An unknown ID is a build warning
    (``undefined label``), so with ``-W`` a broken pointer fails the build.
"""

from __future__ import annotations

import posixpath

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.addnodes import pending_xref
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..contract import data_files, descriptor, load, resource
from ..rendering.annotated import annotated_article_html
from ..rendering.text import source_citation
from .report import DATA_ERRORS, message_of

# --- nodes ----------------------------------------------------------------------------------------
# They subclass docutils' own nodes, so that builders other than HTML fall back to those.


class article_sentence(nodes.inline):
    """One sentence, a link target with its ID."""


class sentence_marker(nodes.inline):
    """The visible sentence ID in front of a sentence, a link to it."""


def visit_article_sentence(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="rd-sentence"))


def depart_article_sentence(self, node):
    self.body.append("</span>")


def visit_sentence_marker(self, node):
    sid = node["sentence_id"]
    self.body.append(f'<a class="rd-sid" href="#{sid}" aria-label="Sentence {sid}">')


def depart_sentence_marker(self, node):
    self.body.append("</a>")


class DataDirective(SphinxDirective):
    """Base class: record the data files a page depends on, and turn bad data into a clear error."""

    @property
    def package(self):
        """The data package to read: ``reading_deterrence_data`` in conf, else the book's data/."""
        return self.config.reading_deterrence_data

    def depend_on(self, files):
        for path in files:
            self.env.note_dependency(str(path))

    def data_error(self, err: Exception):
        return [self.state.document.reporter.error(f"{self.name}: {message_of(err)}", line=self.lineno)]


class ArticleDirective(DataDirective):
    """``{article}``: the case-study article, sentence by sentence, with visible, linkable IDs."""

    has_content = False

    def run(self):
        try:
            sentences = load("article_sentences", self.package)
            sources = load("sources", self.package).set_index("source_id")
            provenance = resource(descriptor(self.package), "article_sentences").get("provenance", {})
        except DATA_ERRORS as err:
            return self.data_error(err)
        self.depend_on(data_files(self.package, "article_sentences", "sources"))
        figure = nodes.figure(classes=["rd-article"])
        quote = nodes.block_quote(classes=["rd-article-text"])
        figure += quote
        for _, para in sentences.sort_values(["paragraph", "sentence"]).groupby("paragraph", sort=True):
            paragraph = nodes.paragraph(classes=[f"rd-{para['role'].iloc[0]}"])
            for i, row in enumerate(para.itertuples(index=False)):
                if i:
                    paragraph += nodes.Text(" ")
                paragraph += self.sentence(row.sentence_id, row.text)
            quote += paragraph
        caption = nodes.caption()
        parsed, _ = self.state.inline_text(self.caption_text(provenance, sources), self.lineno)
        caption += parsed
        figure += caption
        return [figure]

    def sentence(self, sid: str, text: str) -> article_sentence:
        node = article_sentence(ids=[sid], names=[sid])
        self.state.document.note_explicit_target(node)
        marker = sentence_marker(sentence_id=sid)
        marker += nodes.Text(sid)
        node += marker
        node += nodes.Text(" " + text)
        return node

    @staticmethod
    def caption_text(provenance: dict, sources: pd.DataFrame) -> str:
        parts = ["The case-study text exactly as we received it, quoted in full for criticism and teaching."]
        outlet = provenance.get("outlet_source_id")
        if outlet in sources.index:
            parts.append(f"As published by {source_citation(sources.loc[outlet])}.")
        wire = provenance.get("wire_origin_source_id")
        if wire in sources.index:
            parts.append(f"It closely follows the wire story {source_citation(sources.loc[wire])}.")
        return " ".join(parts)


class AnnotatedArticleDirective(DataDirective):
    """``{annotated-article}``: the coded article with switchable layers.

    ``:article:`` is the page that renders the article with ``{article}``, relative to this page;
    the sentence IDs of the view link to the sentences there.
    """

    has_content = False
    option_spec = {"article": directives.unchanged_required}

    def run(self):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.env.docname), self.options["article"]))
        if target not in self.env.found_docs:
            return self.data_error(KeyError(f"no page {target!r} (the :article: option)"))
        href = relative_uri(self.env.docname + ".html", target + ".html")
        try:
            markup = annotated_article_html(self.package, article_href=href)
        except DATA_ERRORS as err:
            return self.data_error(err)
        self.depend_on(data_files(self.package, "article_sentences", "coding", "codebook"))
        return [nodes.raw("", markup, format="html")]


def sentence_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{sentence}`p03s01```: a link to that sentence of the article, checked at build time."""
    sid = text.strip().lower()
    ref = pending_xref(rawtext, refdomain="std", reftype="ref", reftarget=sid, refexplicit=True, refwarn=True)
    ref += nodes.inline(sid, sid, classes=["rd-sentence-ref"])
    return [ref], []


def setup(app) -> None:
    app.add_node(article_sentence, html=(visit_article_sentence, depart_article_sentence))
    app.add_node(sentence_marker, html=(visit_sentence_marker, depart_sentence_marker))
    app.add_directive("article", ArticleDirective)
    app.add_directive("annotated-article", AnnotatedArticleDirective)
    app.add_role("sentence", sentence_role)
