"""Every link and resource reference inside the built site resolves: files exist, anchors exist."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.build

EXTERNAL = ("http:", "https:", "mailto:", "data:", "javascript:", "tel:")


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) is not None and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.links.append(attrs[key])


def parse(path: Path) -> Collector:
    collector = Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def broken_links(root: Path) -> list[str]:
    """Every internal link or resource reference under ``root`` that leads nowhere."""
    pages = [p for p in root.rglob("*.html") if p.relative_to(root).parts[0] != "_static"]
    parsed = {p.resolve(): parse(p) for p in pages}
    broken = []
    for page, found in parsed.items():
        for link in found.links:
            if not link or link.startswith(EXTERNAL):
                continue
            parts = urlsplit(link)
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(root.resolve())} -> {link}"
            if not target.exists():
                broken.append(f"{where}: no such file")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where}: no element with id {parts.fragment!r}")
    return broken


def test_internal_links_and_anchors_resolve(built_book):
    broken = broken_links(built_book.html)
    assert broken == [], "\n".join(broken)


def test_the_checker_finds_broken_links(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#here">ok</a><a href="b.html#gone">x</a><img src="nope.png">'
                                     '<a href="https://example.org/">external</a><a href="#top" id="top">self</a>')
    (tmp_path / "b.html").write_text('<p id="here">b</p>')
    assert sorted(broken_links(tmp_path)) == [
        "a.html -> b.html#gone: no element with id 'gone'",
        "a.html -> nope.png: no such file",
    ]
