"""The article in the book: ``{article}``, ``{annotated-article}`` and the ``{sentence}`` role.

``{article}``
    The case-study article from ``data/article_sentences.csv``, each sentence with its ID shown
    and as a link target (``the-case/article.html#p03s01``), inside a quotation with its source.
    ``:paragraphs: p03-p06`` (a range, a comma list, or both: ``p01,p03-p05``) shows only those
    paragraphs, for a handout: the sentence IDs are shown but are not link targets, since the
    full article elsewhere already owns them (an ID must name one place in the book).
``{annotated-article}``
    The coded article with switchable layers (:mod:`reading_deterrence.rendering.annotated`).
``{sentence}`p03s01```
    A link to that sentence wherever the article is rendered. An unknown ID is a build warning
    (``undefined label``), so with ``-W`` a broken pointer fails the build.
"""

from __future__ import annotations

import posixpath
import re

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.addnodes import pending_xref
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..contract import data_files, descriptor, load, resource
from ..rendering.annotated import annotated_article_html
from ..rendering.text import source_citation
from . import registry
from .edition import held_back
from .report import DATA_ERRORS, message_of

# --- nodes ----------------------------------------------------------------------------------------
# They subclass docutils' own nodes, so that builders other than HTML fall back to those.


class article_sentence(nodes.inline):
    """One sentence, a link target with its ID."""


class sentence_marker(nodes.inline):
    """The visible sentence ID in front of a sentence, a link to it."""


class excerpt_marker(nodes.inline):
    """The visible sentence ID in an excerpt: a label, not a link (the target is elsewhere)."""


def visit_article_sentence(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="rd-sentence"))


def depart_article_sentence(self, node):
    self.body.append("</span>")


def visit_sentence_marker(self, node):
    sid = node["sentence_id"]
    self.body.append(f'<a class="rd-sid" href="#{sid}" aria-label="Sentence {sid}">')


def depart_sentence_marker(self, node):
    self.body.append("</a>")


def visit_excerpt_marker(self, node):
    self.body.append('<span class="rd-sid">')


def depart_excerpt_marker(self, node):
    self.body.append("</span>")


PARAGRAPH_SPAN = re.compile(r"^p?(\d+)(?:\s*[-–]\s*p?(\d+))?$")


def paragraph_numbers(spec: str) -> list[int]:
    """``"p03-p05, p07"`` -> ``[3, 4, 5, 7]``; ``ValueError`` saying what is wrong otherwise."""
    numbers: list[int] = []
    for part in spec.split(","):
        match = PARAGRAPH_SPAN.match(part.strip().lower())
        if not match:
            raise ValueError(f"{part.strip()!r} is not a paragraph or a range (write p03, or p03-p06)")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise ValueError(f"{part.strip()!r} runs backwards")
        numbers += [n for n in range(first, last + 1) if n not in numbers]
    return sorted(numbers)


class DataDirective(SphinxDirective):
    """Base class: record the data files a page depends on, and turn bad data into a clear error."""

    @property
    def package(self):
        """The data package to read: ``reading_deterrence_data`` in conf, else the book's data/."""
        return self.config.reading_deterrence_data

    def depend_on(self, files):
        for path in files:
            self.env.note_dependency(str(path))

    def placed(self, view) -> list[nodes.Node]:
        """A :class:`View`'s MyST, parsed in place; the page is rebuilt when its files change."""
        self.depend_on(view.files)
        holder = nodes.Element()
        self.state.nested_parse(StringList(view.text.splitlines()), self.content_offset, holder)
        return holder.children

    def data_error(self, err: Exception):
        return [self.state.document.reporter.error(f"{self.name}: {message_of(err)}", line=self.lineno)]


class ArticleDirective(DataDirective):
    """``{article}``: the case-study article, sentence by sentence, with visible, linkable IDs."""

    has_content = False
    option_spec = {"paragraphs": directives.unchanged_required}

    def run(self):
        wanted = None
        if "paragraphs" in self.options:
            try:
                wanted = paragraph_numbers(self.options["paragraphs"])
            except ValueError as err:
                raise self.error(f"article: :paragraphs: {err}") from None
        try:
            sentences = load("article_sentences", self.package)
            sources = load("sources", self.package).set_index("source_id")
            provenance = resource(descriptor(self.package), "article_sentences").get("provenance", {})
        except DATA_ERRORS as err:
            return self.data_error(err)
        self.depend_on(data_files(self.package, "article_sentences", "sources"))
        if wanted is None:  # {sentence} links land here: a second whole article would take them away
            registry.record(self.env, registry.ARTICLES, "article", self.lineno)
        else:
            missing = sorted(set(wanted) - set(sentences["paragraph"]))
            if missing:
                known = f"p{sentences['paragraph'].min():02d}-p{sentences['paragraph'].max():02d}"
                return self.data_error(KeyError(f"the article has no paragraph {missing[0]} (it has {known})"))
            sentences = sentences[sentences["paragraph"].isin(wanted)]
        figure = nodes.figure(classes=["rd-article"] + ([] if wanted is None else ["rd-article-excerpt"]))
        quote = nodes.block_quote(classes=["rd-article-text"])
        figure += quote
        for _, para in sentences.sort_values(["paragraph", "sentence"]).groupby("paragraph", sort=True):
            paragraph = nodes.paragraph(classes=[f"rd-{para['role'].iloc[0]}"])
            for i, row in enumerate(para.itertuples(index=False)):
                if i:
                    paragraph += nodes.Text(" ")
                paragraph += self.sentence(row.sentence_id, row.text, target=wanted is None)
            quote += paragraph
        caption = nodes.caption()
        text = self.caption_text(provenance, sources, None if wanted is None else span_text(wanted))
        parsed, _ = self.state.inline_text(text, self.lineno)
        caption += parsed
        figure += caption
        return [figure]

    def sentence(self, sid: str, text: str, target: bool = True) -> article_sentence:
        if not target:
            node = article_sentence()
            node += excerpt_marker("", sid)
            node += nodes.Text(" " + text)
            return node
        node = article_sentence(ids=[sid], names=[sid])
        self.state.document.note_explicit_target(node)
        marker = sentence_marker(sentence_id=sid)
        marker += nodes.Text(sid)
        node += marker
        node += nodes.Text(" " + text)
        return node

    @staticmethod
    def caption_text(provenance: dict, sources: pd.DataFrame, excerpt: str | None = None) -> str:
        if excerpt is None:
            parts = ["The case-study text exactly as we received it, quoted in full for criticism and teaching."]
        else:
            parts = [f"{excerpt.capitalize()} of the case-study text, exactly as we received it, quoted for teaching."]
        outlet = provenance.get("outlet_source_id")
        if outlet in sources.index:
            parts.append(f"As published by {source_citation(sources.loc[outlet])}.")
        wire = provenance.get("wire_origin_source_id")
        if wire in sources.index:
            parts.append(f"It closely follows the wire story {source_citation(sources.loc[wire])}.")
        return " ".join(parts)


def span_text(numbers: list[int]) -> str:
    """``[3, 4, 5, 7]`` -> ``"paragraphs 3–5 and 7"``."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    noun = "paragraph" if len(numbers) == 1 else "paragraphs"
    return f"{noun} {', '.join(parts[:-1]) + ' and ' + parts[-1] if len(parts) > 1 else parts[0]}"


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
            markup = annotated_article_html(self.package, article_href=href, held_back=held_back(self.config))
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
    app.add_node(excerpt_marker, html=(visit_excerpt_marker, depart_excerpt_marker))
    app.add_directive("article", ArticleDirective)
    app.add_directive("annotated-article", AnnotatedArticleDirective)
    app.add_role("sentence", sentence_role)
