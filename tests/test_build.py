"""The book builds with no warning at all, and builds exactly the pages of the table of contents."""

from __future__ import annotations

import html
import re

import pytest

from conftest import PAGES
from reading_deterrence import load

pytestmark = pytest.mark.build

#: How Sphinx, docutils and myst-nb print problems; the kernel's own "[IPKernelApp] WARNING |" is not one.
PROBLEM = re.compile(r"(WARNING|ERROR|CRITICAL|SEVERE):|Traceback \(most recent call last\)")


def test_build_has_no_warnings(built_book):
    assert built_book.returncode == 0
    problems = [line for line in built_book.output.splitlines() if PROBLEM.search(line)]
    assert problems == [], "\n".join(problems)
    assert "build succeeded" in built_book.output


def test_built_pages_are_the_toc_pages(built_book):
    built = {
        str(p.relative_to(built_book.html))
        for p in built_book.html.rglob("*.html")
        if not p.relative_to(built_book.html).parts[0].startswith("_")
    }
    assert built == set(PAGES) | {"index.html"}


def test_article_page_quotes_the_article_verbatim(built_book):
    page = (built_book.html / "chapters" / "01-the-case" / "article.html").read_text(encoding="utf-8")
    for row in load("article_sentences").itertuples():
        assert f'id="{row.sentence_id}"' in page
        assert html.escape(row.text, quote=False) in page, f"{row.sentence_id} is not verbatim on the page"


def test_no_page_loads_anything_from_another_host(built_book):
    """Static check of every built page (the browser test checks what is really requested)."""
    remote = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', re.I)
    for page in PAGES:
        text = (built_book.html / page).read_text(encoding="utf-8")
        hits = [m.group(0) for m in remote.finditer(text) if 'rel="canonical"' not in m.group(0)]
        assert hits == [], f"{page}: {hits}"


def test_pages_link_basic_css_directly(built_book):
    """The theme's styles/theme.css only @imports basic.css: a request and a round trip we skip."""
    for page in PAGES:
        text = (built_book.html / page).read_text(encoding="utf-8")
        assert "styles/theme.css" not in text, page
        assert re.search(r'<link href="[./]*_static/basic\.css" rel="stylesheet"', text), page
