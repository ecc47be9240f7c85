"""``{relay-diagram}``: the relay chain and the words of each quotation at each link, from the audit.

::

    :::{relay-diagram}
    :article: ../01-the-case/article
    :audit: quotation-audit
    :caption: What to notice: ...

    - name: The meeting
      when: 10 April 2023
      note: Closed. What was said is not known.
    - name: KCNA in Korean
      when: 11 April
      words: korean_original
    - name: The earlier copy
      words: earlier_copy_wording
      missing: not in the stored copy
    ...
    :::

The content (or the file named by ``:links:``, relative to the page, so that two pages can show
the same chain) is a YAML list of the chain's links, in order: ``name`` (required), ``when``,
``note``, ``words`` (the audit column holding the words at this link: every one of
:data:`~reading_deterrence.analysis.relay.WORD_COLUMNS`, once, in that order) and ``missing``
(what a quotation with no words there says; "not known" by default). ``:article:`` is the page
that renders the whole article (sentence IDs link there), ``:audit:`` the quotation audit's page
(verdicts link to its entries), both relative to this page; ``:poster:`` prints the figure alone on
one landscape page; ``:open: N`` shows the first N quotations and folds the rest ("Going
further", open in print). The figure is :func:`reading_deterrence.rendering.relay.relay_diagram`, with
Korean marked ``lang="ko"``; the page is rebuilt when the audit changes. A malformed list or an
unknown page is an error at the directive's line; bad data an error naming file, row and column.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..rendering.relay import Link, relay_diagram
from .article import DataDirective
from .language import mark_html
from .report import DATA_ERRORS

KEYS = {"name", "when", "note", "words", "missing"}


def parse_links(lines: list[str]) -> list[Link]:
    """The directive's content as :class:`Link` objects; ValueError saying what is wrong."""
    try:
        items = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as err:
        raise ValueError(f"the links are not a YAML list: {err}") from None
    if not isinstance(items, list) or not items:
        raise ValueError("the content must be a YAML list of links (- name: ...)")
    links = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ValueError(f"link {i} needs a name")
        unknown = set(item) - KEYS
        if unknown:
            raise ValueError(f"link {i} ({item['name']}): unknown key {sorted(unknown)[0]!r} (known: {sorted(KEYS)})")
        text = {k: str(item[k]) for k in ("when", "note", "missing") if item.get(k) is not None}
        links.append(Link(item["name"], column=item.get("words"), **text))
    return links


class RelayDiagramDirective(DataDirective):
    """``{relay-diagram}``: see the module docstring."""

    has_content = True
    option_spec = {
        "article": directives.unchanged_required,
        "audit": directives.unchanged_required,
        "caption": directives.unchanged_required,
        "poster": directives.flag,
        "open": directives.nonnegative_int,
        "links": directives.path,
    }

    def link_lines(self) -> list[str]:
        """The links' YAML: the content, or the file named by ``:links:`` (relative to this page)."""
        if "links" not in self.options:
            return list(self.content)
        if self.content:
            raise self.error("relay-diagram: give the links either as content or in a :links: file, not both")
        rel, path = self.env.relfn2path(self.options["links"], self.env.docname)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise self.error(f"relay-diagram: cannot read {rel} (the :links: option): {err.strerror}") from None
        self.env.note_dependency(rel)
        return text.splitlines()

    def href(self, option: str) -> str | None:
        """The page named by ``option``, relative to this one; error if it is not in the book."""
        if option not in self.options:
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.env.docname), self.options[option]))
        if target not in self.env.found_docs:
            raise self.error(f"relay-diagram: no page {target!r} (the :{option}: option)")
        return relative_uri(self.env.docname + ".html", target + ".html")

    def run(self):
        for required in ("article", "caption"):
            if required not in self.options:
                raise self.error(f"relay-diagram: the :{required}: option is required")
        try:
            links = parse_links(self.link_lines())
            article, audit = self.href("article"), self.href("audit")
            diagram = relay_diagram(
                self.package,
                links,
                caption=self.options["caption"],
                article_href=article,
                audit_href=audit,
                poster="poster" in self.options,
                open_rows=self.options.get("open"),
            )
        except ValueError as err:
            raise self.error(f"relay-diagram: {err}") from None
        except DATA_ERRORS as err:
            return self.data_error(err)
        self.depend_on(diagram.files)
        return [nodes.raw("", mark_html(diagram.html), format="html")]


def setup(app: Sphinx) -> None:
    app.add_directive("relay-diagram", RelayDiagramDirective)
