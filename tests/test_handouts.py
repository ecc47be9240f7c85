"""The printed handouts: every lesson has a student handout and a teacher's sheet as PDF, and
every worksheet its PDF; each PDF holds its page's headings and sentence IDs, renders Korean and
Japanese with a real font, and the pages that link to it say how many pages it has.

The PDFs are printed by ``tools/handouts.py`` from the built pages (the ``built_book`` and
``student_book`` fixtures run it, as ``make book`` and ``make student`` do).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import browser_missing, require, toc_docnames

CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
CJK_WORDS = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")
LESSONS = sorted(
    name.rsplit("/", 1)[1] for name in toc_docnames() if re.fullmatch(r"chapters/teachers/packs/lesson-\d+-\d+", name)
)


@pytest.fixture(autouse=True)
def _needs_chromium():
    require(browser_missing())


def manifest(html: Path) -> list[dict]:
    return json.loads((html / "handouts" / "manifest.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Text as comparable words: ligatures (the PDF's "ﬁ") unfolded, soft hyphens and runs of white
    space removed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).replace("\u00ad", "")).strip()


def font_names(page) -> set[str]:
    """The fonts a PDF page draws with: a name, or "Type3" for glyphs embedded as drawings (how
    Chromium embeds the CFF outlines of Noto CJK)."""
    names = set()
    for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
        font = font.get_object()
        names.add("Type3" if font.get("/Subtype") == "/Type3" else str(font.get("/BaseFont", "")))
    return names


def pdf_text(path: Path) -> tuple[str, list[str]]:
    """The PDF's text, and the problem of each page whose Korean or Japanese text is drawn with no
    font that has those characters (they would print as empty boxes: only DejaVu, no CJK font)."""
    from pypdf import PdfReader

    texts, problems = [], []
    for number, page in enumerate(PdfReader(path).pages, 1):
        text = page.extract_text() or ""
        texts.append(text)
        fonts = font_names(page)
        if CJK.search(text) and all("DejaVu" in name or not name for name in fonts):
            problems.append(f"page {number}: Korean or Japanese text, but only the fonts {sorted(fonts)}")
    return squash(" ".join(texts)), problems


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
        text, font_problems = pdf_text(pdf)
        problems += [f"{name}: {problem}" for problem in font_problems]
        soup = BeautifulSoup((html / entry["page"]).read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article") or soup
        # not printed: heading links, tooltips, the PDF link, the simulation's screen-only notes
        for hidden in article.select("a.headerlink, .rd-tip, .rd-handout-link, .rd-sim-screen"):
            hidden.decompose()
        for heading in article.select("h1, h2, h3"):
            if squash(heading.get_text()) not in text:
                problems.append(f"{name}: heading {squash(heading.get_text())!r} missing")
        for sid in {squash(s.get_text()) for s in article.select(".rd-sid")}:
            if sid not in text:
                problems.append(f"{name}: sentence ID {sid} missing")
        unbroken = re.sub(r"\s+", "", text)  # a line may break inside a Korean word
        for words in set(CJK_WORDS.findall(squash(article.get_text()))):
            if words not in unbroken:
                problems.append(f"{name}: {words} is on the page but not in the PDF")
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


def test_pdfs_link_only_to_other_sites(built_book):
    """A link inside the book would point at the server the PDF was printed from (gone when the PDF
    is opened), so the printer turns those into plain text; links to other sites stay."""
    from pypdf import PdfReader

    local, external = [], 0
    for pdf in sorted((built_book.html / "handouts").glob("*.pdf")):
        for page in PdfReader(pdf).pages:
            for annot in page.get("/Annots") or []:
                uri = (annot.get_object().get("/A") or {}).get("/URI")
                if uri is None:
                    continue
                if str(uri).startswith(("http://127.0.0.1", "http://localhost", "file:")):
                    local.append(f"{pdf.name}: {uri}")
                else:
                    external += 1
    assert not local, local[:5]
    assert external > 10, "no links to sources left in the PDFs"
