"""The offline packages, as a teacher receives them: unzipped, opened from a folder (file://).

``make student`` writes ``dist/reading-deterrence-student.zip`` and ``make dist`` the teacher's;
the fixtures in conftest.py build them the same way (into ``_build/test-dist/``). Every page of
the unzipped student package is opened via file:// in headless Chromium: no console message, no
failed request, no request to anything but the package's own files. Search, glossary definitions,
self-checks and the annotated article must work there too. And the student package must hold none
of the teacher edition's keys, solutions or lesson plans: the text of each is looked for in every
file of it.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest import DATA_DIR, browser_missing, require
from reading_deterrence.facts import STUDENT_HELD_BACK
from reading_deterrence.rendering.withheld import offered_data

FOLDER = "reading-deterrence-{edition}"


def unzip(package: Path, into: Path) -> Path:
    with zipfile.ZipFile(package) as zf:
        bad = [n for n in zf.namelist() if n.startswith("/") or ".." in Path(n).parts]
        assert not bad, f"unsafe paths in {package.name}: {bad}"
        zf.extractall(into)
    return into


@pytest.fixture(scope="module")
def student_dir(student_package, tmp_path_factory) -> Path:
    return unzip(student_package, tmp_path_factory.mktemp("student")) / FOLDER.format(edition="student")


@pytest.fixture(scope="module")
def teacher_dir(teacher_package, tmp_path_factory) -> Path:
    return unzip(teacher_package, tmp_path_factory.mktemp("teacher")) / FOLDER.format(edition="teacher")


def test_packages_say_what_they_are_and_where_the_source_is(student_package, teacher_package):
    for package, edition in ((student_package, "student"), (teacher_package, "teacher")):
        with zipfile.ZipFile(package) as zf:
            names = set(zf.namelist())
            readme = zf.read("README.txt").decode("utf-8")
        assert f"{edition.upper()} EDITION" in readme
        assert "index.html" in readme and "SOURCE-README.md" in readme
        assert {"SOURCE-README.md", f"{FOLDER.format(edition=edition)}/index.html"} <= names
        assert not any("/_sources/" in n for n in names), "page sources would leak solutions"
    with zipfile.ZipFile(teacher_package) as zf:
        assert f"{FOLDER.format(edition='teacher')}/downloads/reading-deterrence-student.zip" in zf.namelist()


def test_student_package_has_no_teachers_part(student_dir):
    assert not (student_dir / "chapters" / "teachers").exists()
    assert not list(student_dir.rglob("*-teacher.pdf")), "teacher's sheets in the student package"
    index = (student_dir / "searchindex.js").read_text(encoding="utf-8")
    assert "chapters/teachers/" not in index


def _readable(name: str, data: bytes) -> str:
    """The text a reader sees in one file: a notebook's cells (not its JSON escapes), a PDF's text."""
    if name.endswith(".ipynb"):
        cells = json.loads(data.decode("utf-8"))["cells"]
        return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells)
    if name.endswith(".pdf"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8-sig", errors="replace")


def squash(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", " ", html.unescape(text))


def _texts(folder: Path) -> str:
    """All readable text of a package: pages, search index, CSVs, notebooks and files inside zips,
    PDFs."""
    parts = []
    for path in folder.rglob("*"):
        if path.suffix in {".html", ".js", ".csv", ".json", ".txt", ".md", ".ipynb", ".pdf"}:
            parts.append(_readable(path.name, path.read_bytes()))
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                parts += [_readable(n, zf.read(n)) for n in zf.namelist() if not n.endswith("/")]
    return squash("\n".join(parts))


def test_student_package_holds_no_key_or_solution(built_book, student_dir):
    from edition_leaks import teacher_only_texts

    texts = teacher_only_texts(built_book.html)
    assert len(texts) > 50, "too few teacher-only texts found: the extraction is broken"
    # A teacher's sheet may quote the data (a source's note, a timeline event), which the student
    # edition offers too: only what it offers, with the activities' answers held back, is exempt.
    offered = offered_data(DATA_DIR, STUDENT_HELD_BACK).files()
    public = squash("\n".join(_readable(name, data) for name, data in offered.items()))
    texts = [squash(t).strip() for t in texts]
    texts = [t for t in texts if t and t not in public]
    haystack = _texts(student_dir)
    leaked = [t for t in texts if t in haystack]
    assert not leaked, f"{len(leaked)} teacher-only texts in the student package, e.g. {leaked[:3]}"


def _open_all(browser, root: Path, paths: list[Path] | None = None) -> dict[str, list[str]]:
    """Open every page (or those given) via file://; return each page's problems."""
    base = root.resolve().as_uri() + "/"
    problems: dict[str, list[str]] = {}
    context = browser.new_context()
    page = context.new_page()
    current: list[str] = []
    page.on(
        "console", lambda m: current.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: current.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: current.append(f"failed: {r.url} {r.failure}"))
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((base, "data:", "blob:", "about:"))
            else current.append(f"outside the package: {r.url}")
        ),
    )
    try:
        # Every page; not the theme's template fragments that Sphinx copies into _static/.
        pages = sorted(p for p in root.rglob("*.html") if "_static" not in p.relative_to(root).parts)
        for path in paths or pages:
            current.clear()
            page.goto(path.resolve().as_uri(), wait_until="load")
            # The root page moves on to the first chapter: let it finish, or its requests would be
            # cut short by the next page and counted against that one.
            page.wait_for_load_state("networkidle")
            if current:
                problems[path.relative_to(root).as_posix()] = list(current)
    finally:
        context.close()
    return problems


def test_every_student_page_works_from_a_folder(browser, student_dir):
    problems = _open_all(browser, student_dir)
    assert len([p for p in student_dir.rglob("*.html") if "_static" not in p.parts]) > 40
    assert problems == {}, problems


def test_search_works_from_a_folder_with_summaries(browser, student_dir):
    context = browser.new_context()
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("requestfailed", lambda r: messages.append(f"failed: {r.url}"))
    try:
        page.goto((student_dir / "search.html").resolve().as_uri() + "?q=deterrence", wait_until="load")
        page.wait_for_selector("#search-results li", timeout=15000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('#search-results li')].some(li => li.querySelector('p'))",
            timeout=15000,
        )
        items = page.eval_on_selector_all(
            "#search-results li", "els => els.map(li => [li.querySelector('a').href, li.innerText])"
        )
        summaries = page.eval_on_selector_all(
            "#search-results li p", "els => els.map(p => p.innerText.trim()).filter(Boolean)"
        )
    finally:
        context.close()
    assert len(items) >= 5, items
    assert summaries, "search results show no summary"
    assert all(href.startswith("file://") for href, _ in items)
    assert not [m for m in messages if m.startswith(("error", "warning", "failed"))], messages


def test_glossary_self_checks_and_annotated_article_work_from_a_folder(browser, student_dir):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((student_dir / "chapters/02-who-speaks/index.html").resolve().as_uri())
        check = page.locator("[data-rd-check]").first
        assert not check.locator(".rd-check-feedback").first.is_visible()
        check.locator("input[type=radio]").first.check()
        assert check.locator(".rd-check-feedback").first.is_visible(), "self-check feedback does not show"
        term = page.locator(".rd-term a[aria-describedby]").first
        tip = page.locator("#" + term.get_attribute("aria-describedby"))
        assert not tip.is_visible()
        term.focus()
        assert tip.is_visible(), "glossary definition does not show on focus"
        page.goto((student_dir / "chapters/02-who-speaks/annotated.html").resolve().as_uri())
        assert page.locator(".rd-as[data-speaker]").count() >= 10
        legend = page.locator(".rd-legend-speaker").first
        page.locator("#rd-layer-speaker").uncheck()
        assert not legend.is_visible()
        page.locator("#rd-layer-speaker").check()
        assert legend.is_visible(), "choosing a layer shows nothing in the annotated article"
    finally:
        context.close()


def test_teacher_package_opens_from_a_folder(browser, teacher_dir):
    pages = [teacher_dir / p for p in ("index.html", "chapters/teachers/packs/lesson-2-1.html", "search.html")]
    assert _open_all(browser, teacher_dir, pages) == {}


@pytest.fixture(autouse=True)
def _need_browser(request):
    if "browser" in request.fixturenames:
        require(browser_missing())
