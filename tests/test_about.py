"""The About page: which version this is and when it was built (written in by the ``{build}``
role, never typed), and a link to it in every page's footer, relative so that it works opened
from a folder (file://).

The role and the footer are tested on tiny books; the built book is checked page by page
(``built_book``, the whole book, so marked ``build``).
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
from importlib import metadata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.cmd.build import build_main

from conftest import DATA_DIR, PAGES

ABOUT = "chapters/reference/about"
ABOUT_HTML = f"{ABOUT}.html"
#: A build date as the role writes it: "1 December 2026".
DATE = re.compile(r"^[1-9]\d? (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$")

CONF = """
extensions = ["myst_parser", "reading_deterrence.sphinxext"]
reading_deterrence_data = {data!r}
reading_deterrence_require_description = False
exclude_patterns = ["_build"]
html_theme = "sphinx_book_theme"
author = "The Tiny authors"
{extra}
"""


def footer_about_href(soup: BeautifulSoup) -> str | None:
    """The address of the footer's About link, or None."""
    link = soup.select_one(".bd-footer-content .rd-about a[href]")
    return link["href"] if link else None


def footer_problems(html: Path, pages: list[str]) -> list[str]:
    """Each page (relative to ``html``) whose footer has no link that leads to the About page."""
    problems = []
    for page in pages:
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        href = footer_about_href(soup)
        if href is None:
            problems.append(f"{page}: no About link in the footer")
            continue
        if "://" in href or href.startswith("/"):
            problems.append(f"{page}: the About link {href!r} is not relative (it would break under file://)")
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))
        if target != ABOUT_HTML:
            problems.append(f"{page}: the About link {href!r} leads to {target}, not {ABOUT_HTML}")
    return problems


def about_problems(html: Path) -> list[str]:
    """What the About page lacks: the package's version and a build date, from the build."""
    soup = BeautifulSoup((html / ABOUT_HTML).read_text(encoding="utf-8"), "html.parser")
    version = soup.select_one("main .rd-build-version")
    date = soup.select_one("main .rd-build-date")
    problems = []
    if version is None or version.get_text(strip=True) != metadata.version("reading-deterrence"):
        problems.append(f"version shown: {version and version.get_text(strip=True)!r}")
    if date is None or not DATE.match(date.get_text(strip=True)):
        problems.append(f"build date shown: {date and date.get_text(strip=True)!r}")
    return problems


@pytest.fixture
def themed_book(tmp_path):
    """``build(pages, extra_conf="")``: a tiny book with the book's theme, built strictly."""

    def build(pages: dict[str, str], extra: str = ""):
        src, out, log = tmp_path / "src", tmp_path / "out", tmp_path / "warnings.txt"
        src.mkdir(exist_ok=True)
        (src / "conf.py").write_text(CONF.format(data=str(DATA_DIR), extra=extra), encoding="utf-8")
        toctree = "\n".join(name for name in pages if name != "index")
        pages = {"index": f"# Tiny book\n\n```{{toctree}}\n{toctree}\n```\n", **pages}
        for name, text in pages.items():
            (src / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
            (src / f"{name}.md").write_text(text, encoding="utf-8")
        args = [str(src), str(out), "-b", "html", "-W", "-n", "--keep-going", "-q", "-E", "-w", str(log)]
        with contextlib.redirect_stderr(io.StringIO()):
            code = build_main(args)
        return code, log.read_text(encoding="utf-8"), out

    return build


ABOUT_PAGE = "# About\n\nVersion {build}`version`, {build}`edition` edition, built on {build}`date`.\n"


def test_build_role_writes_version_edition_and_date_and_footers_link_to_about(themed_book, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 14 November 2023, UTC
    code, warnings, out = themed_book({ABOUT: ABOUT_PAGE, "chapters/other": "# Other\n\nText.\n"})
    assert code == 0, warnings
    assert about_problems(out) == []
    about = BeautifulSoup((out / ABOUT_HTML).read_text(encoding="utf-8"), "html.parser")
    assert about.select_one(".rd-build-date").get_text() == "14 November 2023"
    assert about.select_one(".rd-build-edition").get_text() == "teacher"
    assert footer_problems(out, ["index.html", "chapters/other.html", ABOUT_HTML, "search.html"]) == []
    assert footer_about_href(BeautifulSoup((out / "chapters/other.html").read_text(), "html.parser")) == (
        "reference/about.html"
    )
    assert about.select_one(".rd-about a")["aria-current"] == "page"  # the page itself, not "#"


def test_build_role_uses_the_books_release_and_today_when_set(themed_book):
    code, warnings, out = themed_book({ABOUT: ABOUT_PAGE}, extra='release = "9.9-rc1"\ntoday = "launch day"')
    assert code == 0, warnings
    about = BeautifulSoup((out / ABOUT_HTML).read_text(encoding="utf-8"), "html.parser")
    assert about.select_one(".rd-build-version").get_text() == "9.9-rc1"
    assert about.select_one(".rd-build-date").get_text() == "launch day"


def test_unknown_build_value_fails_a_strict_build(themed_book):
    code, warnings, _ = themed_book({ABOUT: "# About\n\nBuilt by {build}`commiter`.\n"})
    assert code != 0
    assert "{build} role: unknown value 'commiter'" in warnings


def test_no_about_link_without_an_about_page(themed_book):
    code, warnings, out = themed_book({"chapters/other": "# Other\n\nText.\n"})
    assert code == 0, warnings
    assert footer_about_href(BeautifulSoup((out / "chapters/other.html").read_text(), "html.parser")) is None
    assert "The Tiny authors" in (out / "chapters/other.html").read_text()  # the byline stays


@pytest.mark.build
def test_every_page_links_to_the_about_page_which_shows_version_and_date(built_book):
    assert ABOUT_HTML in PAGES, "chapters/reference/about is not in _toc.yml"
    assert footer_problems(built_book.html, PAGES) == []
    assert about_problems(built_book.html) == []
