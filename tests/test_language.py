"""Korean and Japanese passages are marked with their language (WCAG 2.1, 3.1.2)."""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

import pytest
from docutils import nodes

from conftest import PAGES
from reading_deterrence.sphinxext.language import RUN, split
from test_sphinxext import tiny_book


def test_split_marks_each_run_with_its_language():
    parts = split("practical (더욱 실용적으로, 공세적으로) and 機構編制.")
    spans = [p for p in parts if not isinstance(p, nodes.Text)]
    assert [(s["lang"], s.astext()) for s in spans] == [("ko", "더욱 실용적으로, 공세적으로"), ("ja", "機構編制")]
    assert "".join(p.astext() for p in parts) == "practical (더욱 실용적으로, 공세적으로) and 機構編制."


def test_plain_english_is_left_alone():
    assert RUN.search("war deterrent, KCNA, U.S.") is None


def required_languages(char: str) -> set[str]:
    """The languages ``char`` may be marked with; empty if it needs no mark.

    Decided from the character's Unicode name, not from the module's regex, so that a character
    the regex misses shows up as unmarked instead of being missed by the test as well. Han
    ideographs may be Japanese kanji or Korean hanja.
    """
    name = unicodedata.name(char, "")
    if name.startswith(("HANGUL ", "HALFWIDTH HANGUL ")):
        return {"ko"}
    if name.startswith(("HIRAGANA ", "KATAKANA ", "KATAKANA-HIRAGANA ", "HALFWIDTH KATAKANA ")):
        return {"ja"}
    if name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return {"ja", "ko"}
    return set()


class LanguageCheck(HTMLParser):
    """Collects Korean or Japanese text that is not inside an element of the matching language.

    Scripts are not text: a lab's data (``<script type="application/json">``) may hold Korean, and its
    script marks what it writes (see ``lab-discernment.js``)."""

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

    def language(self) -> str | None:
        lang = next((lang for lang in reversed(self.stack) if lang), None)
        return lang.split("-")[0].lower() if lang else None

    def handle_data(self, data):
        if self.cdata_elem:  # inside <script> or <style>: data, not text on the page
            return
        here, run = self.language(), ""
        for char in data + "\n":  # one character at a time; consecutive offenders reported together
            wanted = required_languages(char)
            if wanted and here not in wanted:
                run += char
            elif run:
                self.unmarked.append(run)
                run = ""


def unmarked(html: str) -> list[str]:
    check = LanguageCheck()
    check.feed(html)
    check.close()
    return check.unmarked


def test_the_check_itself_finds_what_is_not_marked():
    html = (
        '<html lang="en"><p>practical (<span lang="ko">더욱 실용적으로</span>, 공세적으로) and '
        '<span lang="ko">機構</span>編制, <span lang="ko">ミサイル</span> ᄀ<br/>ㄱ <b lang="ja-JP">ミサイル発射</b></p></html>'
    )
    assert unmarked(html) == ["공세적으로", "編制", "ミサイル", "ᄀ", "ㄱ"]


#: Korean and Japanese as the chapters quote them, with the punctuation between and around runs.
MIXED = """# Mixed

Kim called for drills that are more practical (더욱 실용적으로, 공세적으로) and offensive; KCNA's
word was 전쟁억제력 (戰爭抑制力). Japan's ministry wrote 弾道ミサイルの発射について・続報 and
「ミサイル」ー. A table:

| English | Original |
| --- | --- |
| war deterrent | 전쟁억제력 |
| organisation | 機構編制 |

Term
: 핵무력, in a definition list.
"""


def test_a_page_with_korean_and_japanese_has_every_character_marked(tmp_path):
    build = tiny_book(tmp_path)
    code, warnings, out = build({"mixed": MIXED})
    assert code == 0, warnings
    html = (out / "mixed.html").read_text(encoding="utf-8")
    assert 'lang="ko"' in html and 'lang="ja"' in html
    assert unmarked(html) == []


@pytest.mark.build
def test_every_korean_or_japanese_passage_on_every_page_is_marked(built_book):
    problems = []
    for page in PAGES:
        problems += [f"{page}: {text}" for text in unmarked((built_book.html / page).read_text(encoding="utf-8"))]
    assert problems == [], "\n".join(problems[:20])


def test_html_a_lab_writes_itself_is_marked_outside_tags_and_scripts():
    from reading_deterrence.sphinxext.language import mark_html

    html = '<p title="전쟁">KCNA: <b>전쟁억제력</b>, 日本テレビ</p><script type="application/json">{"a": "실용"}</script>'
    assert mark_html(html) == (
        '<p title="전쟁">KCNA: <b><span lang="ko">전쟁억제력</span></b>, <span lang="ja">日本テレビ</span></p>'
        '<script type="application/json">{"a": "실용"}</script>'
    )
