"""The printed handouts: every lesson has a student handout and a teacher's sheet as PDF, and
every worksheet its PDF; each PDF holds its page's headings and sentence IDs, renders Korean and
Japanese with a real font, and the pages that link to it say how many pages it has.

The PDFs are printed by ``tools/handouts.py`` from the built pages (the ``built_book`` and
``student_book`` fixtures run it, as ``make book`` and ``make student`` do).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import browser_missing, require, toc_docnames

CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
LESSONS = sorted(
    name.rsplit("/", 1)[1] for name in toc_docnames() if re.fullmatch(r"chapters/teachers/packs/lesson-\d+-\d+", name)
)


@pytest.fixture(autouse=True)
def _needs_chromium():
    require(browser_missing())


def manifest(html: Path) -> list[dict]:
    return json.loads((html / "handouts" / "manifest.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def pdf_text_and_fonts(path: Path) -> tuple[str, set[str]]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    fonts = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")))
    return squash(" ".join(page.extract_text() or "" for page in reader.pages)), fonts


def test_there_are_ten_lessons_and_each_has_both_pdfs(built_book, student_book):
    assert len(LESSONS) == 10, LESSONS
    teacher = {entry["name"].removesuffix(".pdf") for entry in manifest(built_book.html)}
    student = {entry["name"].removesuffix(".pdf") for entry in manifest(student_book.html)}
    for lesson in LESSONS:
        assert {f"{lesson}-teacher", f"{lesson}-student"} <= teacher, lesson
        assert f"{lesson}-student" in student, lesson
    assert not [n for n in student if "teacher" in n], "teacher's sheets listed in the student edition"
    worksheets = {n for n in student if n.startswith("worksheet-")}
    assert len(worksheets) >= 8, worksheets


@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_each_pdf_holds_its_pages_headings_and_sentence_ids(edition, built_book, student_book):
    html = built_book.html if edition == "teacher" else student_book.html
    problems = []
    for entry in manifest(html):
        name = entry["name"] if entry["name"].endswith(".pdf") else entry["name"] + ".pdf"
        pdf = html / "handouts" / name
        if not pdf.is_file():
            problems.append(f"{name}: not printed")
            continue
        text, fonts = pdf_text_and_fonts(pdf)
        soup = BeautifulSoup((html / entry["page"]).read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article") or soup
        for link in article.select("a.headerlink"):
            link.decompose()
        for heading in article.select("h1, h2, h3"):
            if squash(heading.get_text()) not in text:
                problems.append(f"{name}: heading {squash(heading.get_text())!r} missing")
        for sid in {squash(s.get_text()) for s in article.select(".rd-sid")}:
            if sid not in text:
                problems.append(f"{name}: sentence ID {sid} missing")
        if CJK.search(article.get_text()) and not any(re.search(r"CJK|KR|JP|Gothic|Myeongjo", f) for f in fonts):
            problems.append(f"{name}: Korean or Japanese text but no CJK font ({sorted(fonts)})")
    assert not problems, "\n".join(problems)


def test_pages_say_how_long_each_pdf_is(built_book, student_book):
    for html in (built_book.html, student_book.html):
        for page in html.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            empty = re.findall(r'<span class="rd-pdf-pages" data-pdf="([^"]+)"></span>', text)
            assert not empty, f"{page.relative_to(html)}: no page count for {empty}"
            for href in re.findall(r'href="([^"#]+\.pdf)"', text):
                target = (page.parent / href).resolve()
                assert target.is_file(), f"{page.relative_to(html)} links to a missing PDF {href}"
