"""The book's Sphinx extension: pages rendered from ``data/``, and links to article sentences.

Add ``reading_deterrence.sphinxext`` to the book's extensions. It provides:

``{article}`` directive
    The case-study article from ``data/article_sentences.csv``, each sentence with its ID shown
    and as a link target (``the-case/article.html#p03s01``), inside a quotation with its source.
``{sentence}`` role
    ``{sentence}`p03s01``` links to that sentence wherever the article is rendered. An unknown ID
    is a build warning (``undefined label``), so with ``-W`` a broken pointer fails the build.
Page weight, privacy and accessibility
    :mod:`reading_deterrence.lighten` keeps only the assets each page uses, and
    :mod:`reading_deterrence.slim` cuts the theme's stylesheet and icon fonts to what is used;
    :mod:`reading_deterrence.theme` fixes the theme's heavy and inaccessible parts.

``{annotated-article}`` directive
    The coded article with switchable layers (:mod:`reading_deterrence.annotate`).
``{self-check}`` directive
    A multiple-choice question with immediate feedback (:mod:`reading_deterrence.selfcheck`).
``{source}`` role
    ``{source}`yonhap-2023-04-11-cmc``` links to that source on the Sources page (generated from
    ``data/sources.csv``); the link text is the publisher unless given (``{source}`text <id>```).
``{data-view}`` directive
    ``{data-view} timeline`` or ``catalogue``: MyST generated from the data by
    :mod:`reading_deterrence.render`, parsed in place. The page is rebuilt when the data changes.

Data are validated as they are read: a bad table stops the build with the file, row and column.
The config value ``reading_deterrence_data`` (a folder or a ``datapackage.json``) points the
extension at another data package; by default it reads the module's own ``data/``.
"""

from __future__ import annotations

import posixpath
import re

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from . import downloads, edition, freshness, language, lighten, selfcheck, site, slim, terms, theme
from .annotate import annotated_article_html
from .data import DataError, data_files, descriptor, load
from .render import render, source_citation


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


# --- directives and roles -------------------------------------------------------------------------


class DataDirective(SphinxDirective):
    """Base class: record the data files a page depends on, and turn DataError into a clear error."""

    @property
    def package(self):
        """The data package to read: ``reading_deterrence_data`` in conf, else the module's data/."""
        return self.config.reading_deterrence_data

    def depend_on(self, files):
        for path in files:
            self.env.note_dependency(str(path))

    def data_error(self, err: Exception):
        return [self.state.document.reporter.error(f"{self.name}: {err}", line=self.lineno)]


class ArticleDirective(DataDirective):
    """``{article}``: the case-study article, sentence by sentence, with visible, linkable IDs."""

    has_content = False

    def run(self):
        try:
            sentences = load("article_sentences", self.package)
            sources = load("sources", self.package).set_index("source_id")
            desc = descriptor(self.package)
        except (DataError, KeyError) as err:
            return self.data_error(err)
        self.depend_on(data_files(self.package, "article_sentences", "sources"))
        resource = next(r for r in desc["resources"] if r["name"] == "article_sentences")
        provenance = resource.get("provenance", {})

        figure = nodes.figure(classes=["rd-article"])
        quote = nodes.block_quote(classes=["rd-article-text"])
        figure += quote
        for number, para in sentences.sort_values(["paragraph", "sentence"]).groupby("paragraph", sort=True):
            role = para["role"].iloc[0]
            paragraph = nodes.paragraph(classes=[f"rd-{role}"])
            for i, row in enumerate(para.itertuples(index=False)):
                if i:
                    paragraph += nodes.Text(" ")
                sentence = article_sentence(ids=[row.sentence_id], names=[row.sentence_id])
                self.state.document.note_explicit_target(sentence)
                marker = sentence_marker(sentence_id=row.sentence_id)
                marker += nodes.Text(row.sentence_id)
                sentence += marker
                sentence += nodes.Text(" " + row.text)
                paragraph += sentence
            quote += paragraph

        caption = nodes.caption()
        parsed, _ = self.state.inline_text(self.caption_text(provenance, sources), self.lineno)
        caption += parsed
        figure += caption
        return [figure]

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
    """``{annotated-article}``: the coded article with switchable layers (see annotate.py).

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
        except (DataError, KeyError) as err:
            return self.data_error(err)
        self.depend_on(data_files(self.package, "article_sentences", "coding", "codebook"))
        return [nodes.raw("", markup, format="html")]


def sentence_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{sentence}`p03s01```: a link to that sentence of the article, checked at build time."""
    sid = text.strip().lower()
    ref = pending_xref(
        rawtext, refdomain="std", reftype="ref", reftarget=sid, refexplicit=True, refwarn=True
    )
    ref += nodes.inline(sid, sid, classes=["rd-sentence-ref"])
    return [ref], []


def source_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{source}`yonhap-2023-04-11-cmc``` or ``{source}`Yonhap <yonhap-2023-04-11-cmc>```: a link to
    that source's entry on the Sources page. The short form shows the publisher. An unknown ID is
    a build warning (undefined label)."""
    match = re.match(r"^(.+?)\s*<([^<>]+)>$", text.strip())
    title, sid = (match.group(1), match.group(2)) if match else (None, text.strip())
    if title is None:
        package = inliner.document.settings.env.config.reading_deterrence_data
        sources = load("sources", package).set_index("source_id")
        title = str(sources.loc[sid, "publisher"]) if sid in sources.index else sid
    ref = pending_xref(rawtext, refdomain="std", reftype="ref", reftarget=f"source-{sid}", refexplicit=True, refwarn=True)
    ref += nodes.inline(title, title, classes=["rd-source-ref"])
    return [ref], []


class DataViewDirective(DataDirective):
    """``{data-view} <name>``: a block of MyST generated from the data (see render.VIEWS)."""

    required_arguments = 1
    has_content = False

    def run(self):
        try:
            view = render(self.arguments[0], self.package)
        except (DataError, KeyError) as err:
            return self.data_error(err)
        self.depend_on(view.files)
        document = self.state.document
        before = {id(section) for section in document.findall(nodes.section)}
        holder = nodes.Element()
        self.state.nested_parse(StringList(view.text.splitlines()), self.content_offset, holder, match_titles=True)
        # MyST attaches the generated sections to the page's own section tree, not to holder
        created = [section for section in document.findall(nodes.section) if id(section) not in before]
        label_sections(created, document, view.labels)
        return holder.children


def label_sections(sections: list[nodes.section], document: nodes.document, labels: dict[str, str]) -> None:
    """Give each section whose title is in ``labels`` that label, as ``(label)=`` would.

    Views declare section labels this way, not with ``(label)=`` in their text: in a nested parse
    MyST leaves such a target outside its section, so Sphinx would know the label but not the
    section it names.
    """
    for section in sections:
        label = labels.get(section[0].astext())
        if label is None:
            continue
        section["ids"].insert(0, label)
        section["names"].append(label)
        document.ids[label] = section
        document.nameids[label] = label
        document.nametypes[label] = True


# --- setup ----------------------------------------------------------------------------------------


def setup(app: Sphinx) -> dict:
    app.add_node(article_sentence, html=(visit_article_sentence, depart_article_sentence))
    app.add_node(sentence_marker, html=(visit_sentence_marker, depart_sentence_marker))
    app.add_config_value("reading_deterrence_data", None, "env", types=[str])
    app.add_config_value("reading_deterrence_require_description", True, "html", types=[bool])
    app.add_directive("article", ArticleDirective)
    app.add_directive("data-view", DataViewDirective)
    app.add_directive("annotated-article", AnnotatedArticleDirective)
    app.add_role("sentence", sentence_role)
    app.add_role("source", source_role)
    theme.setup(app)
    lighten.setup(app)
    slim.setup(app)
    site.setup(app)
    downloads.setup(app)
    language.setup(app)
    selfcheck.setup(app)
    terms.setup(app)
    edition.setup(app)
    freshness.setup(app)
    app.add_css_file("reading-deterrence.css")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}


__all__ = ["setup"]
