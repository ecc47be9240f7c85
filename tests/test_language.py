"""Korean and Japanese passages are marked with their language (WCAG 2.1, 3.1.2)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from docutils import nodes

from conftest import PAGES
from reading_deterrence.sphinxext.language import RUN, split


def test_split_marks_each_run_with_its_language():
    parts = split("practical (더욱 실용적으로, 공세적으로) and 機構編制.")
    spans = [p for p in parts if not isinstance(p, nodes.Text)]
    assert [(s["lang"], s.astext()) for s in spans] == [("ko", "더욱 실용적으로, 공세적으로"), ("ja", "機構編制")]
    assert "".join(p.astext() for p in parts) == "practical (더욱 실용적으로, 공세적으로) and 機構編制."


def test_plain_english_is_left_alone():
    assert RUN.search("war deterrent, KCNA, U.S.") is None


class LanguageCheck(HTMLParser):
    """Collects Korean or Japanese text that is not inside an element of the matching language."""

    VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source", "area", "col", "base"}

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.unmarked: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(dict(attrs).get("lang"))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def language(self):
        return next((lang for lang in reversed(self.stack) if lang), None)

    def handle_data(self, data):
        for match in RUN.finditer(data):
            want = "ko" if any("\uac00" <= c <= "\ud7a3" for c in match.group(0)) else "ja"
            if self.language() != want:
                self.unmarked.append(match.group(0))


@pytest.mark.build
def test_every_korean_or_japanese_passage_on_every_page_is_marked(built_book):
    problems = []
    for page in PAGES:
        check = LanguageCheck()
        check.feed((built_book.html / page).read_text(encoding="utf-8"))
        problems += [f"{page}: {text}" for text in check.unmarked]
    assert problems == [], "\n".join(problems[:20])
