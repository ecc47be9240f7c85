"""The slimmed theme stylesheet is linked by content: a browser that cached one version asks again
when the file changes (the server lets browsers keep _static/ files for an hour)."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reading_deterrence.shaping.css import STYLESHEET, address_links, address_page, digest
from tools.serve import Background

CSS = "_static/styles/pydata-sphinx-theme.css"


def test_address_page_rewrites_only_the_hrefs_that_lead_to_the_file():
    html = (
        b'<link href="../_static/styles/pydata-sphinx-theme.css?digest=theme" rel="stylesheet" />'
        b"<link rel='preload' href='../_static/styles/pydata-sphinx-theme.css'>"
        b'<link href="../_static/styles/sphinx-book-theme.css?v=1" rel="stylesheet" />'
        b'<script src="../_static/scripts/pydata-sphinx-theme.js?digest=theme"></script>'
        b'<a href="_static/styles/pydata-sphinx-theme.css">a path that leads elsewhere from here</a>'
        b'<a href="https://example.org/_static/styles/pydata-sphinx-theme.css">elsewhere</a>'
    )
    out = address_page(html, "chapters", CSS, b"?digest=new")
    assert out.count(b"?digest=new") == 2
    assert b'<link href="../_static/styles/pydata-sphinx-theme.css?digest=new" rel="stylesheet" />' in out
    assert b"href='../_static/styles/pydata-sphinx-theme.css?digest=new'>" in out
    for unchanged in (b"sphinx-book-theme.css?v=1", b"pydata-sphinx-theme.js?digest=theme", b'"_static/styles/', b"https://"):
        assert unchanged in out
    assert address_page(out, "chapters", CSS, b"?digest=new") == out


def test_address_links_covers_every_page_and_leaves_static_templates_alone(tmp_path):
    (tmp_path / "_static" / "styles").mkdir(parents=True)
    stylesheet = tmp_path / CSS
    stylesheet.write_text("body{color:red}", encoding="utf-8")
    link = '<link href="{}_static/styles/pydata-sphinx-theme.css?digest={}" rel="stylesheet" />'
    (tmp_path / "chapters").mkdir()
    pages = {
        "index.html": link.format("", "theme"),
        "search.html": link.format("", "theme"),
        "genindex.html": link.format("", "an-earlier-build"),
        "chapters/page.html": link.format("../", "theme"),
        "chapters/other.html": "<p>no stylesheet</p>",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    template = tmp_path / "_static" / "webpack-macros.html"
    template.write_text(link.format("{{ root }}", "theme"), encoding="utf-8")

    assert address_links(tmp_path, stylesheet) == 4
    expected = digest(b"body{color:red}")
    assert expected == hashlib.sha256(b"body{color:red}").hexdigest()[:20]
    for name in ("index.html", "search.html", "genindex.html", "chapters/page.html"):
        assert f"pydata-sphinx-theme.css?digest={expected}\"" in (tmp_path / name).read_text(encoding="utf-8"), name
    assert (tmp_path / "chapters/other.html").read_text(encoding="utf-8") == "<p>no stylesheet</p>"
    assert "digest=theme" in template.read_text(encoding="utf-8")
    assert address_links(tmp_path, stylesheet) == 0  # nothing left to change

    stylesheet.write_text("body{color:blue}", encoding="utf-8")
    assert address_links(tmp_path, stylesheet) == 4
    assert digest(b"body{color:blue}") in (tmp_path / "search.html").read_text(encoding="utf-8")


# A tiny book with the page-shaping extension and the book's theme, built with Sphinx.

CONF = """\
project = "Tiny"
extensions = ["reading_deterrence.shaping"]
html_theme = "sphinx_book_theme"
root_doc = "intro"
reading_deterrence_require_description = False
"""


def build(src: Path, out: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(src), str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:  # no Accept-Encoding: the bytes as stored
        return response.read()


def stylesheet_links(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [link["href"] for link in soup.find_all("link", href=True) if "pydata-sphinx-theme.css" in link["href"]]


def served_digests(out: Path) -> tuple[str, dict[str, list[str]]]:
    """The digest of the stylesheet as served, and each page's digests in its links to it."""
    pages = {p.relative_to(out).as_posix(): p for p in out.rglob("*.html") if "_static" not in p.parts}
    with Background(out) as url:
        served = hashlib.sha256(fetch(url + CSS)).hexdigest()[:20]
        css = fetch(url + CSS).decode("utf-8")
        for font, query in re.findall(r"url\(\.\./(vendor/fontawesome/webfonts/[\w.-]+\.woff2)\?digest=(\w+)\)", css):
            assert hashlib.sha256(fetch(url + "_static/" + font)).hexdigest()[:20] == query, font
        links = {name: [] for name in pages}
        for name in pages:
            for href in stylesheet_links(fetch(url + name).decode("utf-8")):
                assert href.split("?")[0].endswith(CSS)
                links[name].append(href.partition("?digest=")[2])
    return served, links


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory):
    src = tmp_path_factory.mktemp("tiny")
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "intro.rst").write_text("Intro\n=====\n\nHello.\n\n.. toctree::\n\n   other\n", encoding="utf-8")
    (src / "other.rst").write_text("Other\n=====\n\nWorld.\n", encoding="utf-8")
    return src, src.parent / (src.name + "-html")


def test_every_page_links_the_stylesheet_it_is_served_and_a_new_one_when_it_changes(tiny_book):
    src, out = tiny_book
    build(src, out)
    first, links = served_digests(out)
    for name in ("intro.html", "other.html", "search.html", "genindex.html"):
        assert links[name] == [first], name
    assert "index.html" in links  # the root page (a redirect) links no stylesheet, so none stale
    assert all(found == [first] or found == [] for found in links.values()), links
    assert len(first) == 20 and "55c26ed414f5f8a31ebb" not in str(links)  # not the theme's digest

    build(src, out)  # nothing changed: the same file, the same links
    assert served_digests(out) == (first, links)

    # A page starts using Bootstrap's badge: its rules stay in the stylesheet, which changes. Only
    # that page is rewritten by Sphinx; the others keep the old link until this module updates it.
    (src / "other.rst").write_text("Other\n=====\n\nWorld.\n\n.. rst-class:: badge\n\nNew.\n", encoding="utf-8")
    build(src, out)
    second, links = served_digests(out)
    assert second != first and ".badge" in (out / "_static" / STYLESHEET).read_text(encoding="utf-8")
    for name in ("intro.html", "other.html", "search.html", "genindex.html"):
        assert links[name] == [second], name
