"""Shared fixtures: the built book, a local server for it, and headless Chromium.

The book is built once per test session, the strict way (``-W -n --keep-going --all``), into
``_build/``. Browser tests need Debian's Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``) and
axe-core from npm (``npm ci``). Without them they skip and say how to install them; under CI
(``CI=true``) they fail instead, so a CI run can never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.audit import CHROMIUM, launch
from tools.serve import Background

ROOT = Path(__file__).resolve().parents[1]
#: The book's own data package (tests that break data copy it first).
DATA_DIR = ROOT / "data"
BUILD = ROOT / "_build"
HTML = BUILD / "html"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"


def toc_docnames() -> list[str]:
    """Every page in _toc.yml, in order (the book builds only these: only_build_toc_files)."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    return list(parse_toc_yaml(ROOT / "_toc.yml"))


#: Every HTML page of the built book: the pages in the table of contents, plus Sphinx's own.
PAGES = [f"{name}.html" for name in toc_docnames()] + ["search.html", "genindex.html"]


@dataclass
class Build:
    returncode: int
    output: str
    html: Path


STUDENT = BUILD / "student"
STUDENT_HTML = STUDENT / "_build" / "html"
#: Where the tests write the offline packages (make dist writes dist/).
DIST = BUILD / "test-dist"


def build_edition(edition: str, *, path_output: Path | None = None) -> Build:
    """Build one edition from clean, strictly (``-W -n --keep-going --all``), as the Makefile does,
    then print its handouts to PDF when Chromium is there (tests that need PDFs require it).

    The old HTML is removed first, so that no page left over from an earlier build can pass for a
    built one; the notebook execution cache (_build/.jupyter_cache) is kept and shared by both
    editions, as in the Makefile.
    """
    html = (path_output / "_build" / "html") if path_output else HTML
    shutil.rmtree(html, ignore_errors=True)
    args = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "-W", "-n", "--keep-going", "--all"]
    if path_output:
        (path_output / "_build").mkdir(parents=True, exist_ok=True)
        (BUILD / ".jupyter_cache").mkdir(parents=True, exist_ok=True)
        link = path_output / "_build" / ".jupyter_cache"
        if not link.exists():
            link.symlink_to(Path("../../.jupyter_cache"))
        args += ["--path-output", str(path_output)]
    env = {**os.environ, "READING_DETERRENCE_EDITION": edition}
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"the {edition} edition's build failed (exit {result.returncode}):\n{output[-6000:]}")
    if browser_missing() is None:
        handouts = subprocess.run(
            [sys.executable, "-m", "tools.handouts", str(html)], capture_output=True, text=True, cwd=ROOT
        )
        if handouts.returncode != 0:
            pytest.fail(f"printing the {edition} edition's handouts failed:\n{handouts.stderr[-4000:]}")
        output += handouts.stderr
    return Build(result.returncode, output, html)


def package(build: Build, edition: str) -> Path:
    from tools.package import package as make_package

    return make_package(build.html, DIST / f"reading-deterrence-{edition}.zip", edition)


@pytest.fixture(scope="session")
def student_book() -> Build:
    """The student edition, built as ``make student`` builds it, with its handouts."""
    return build_edition("student", path_output=STUDENT)


@pytest.fixture(scope="session")
def student_package(student_book) -> Path:
    """dist/reading-deterrence-student.zip, as ``make student`` writes it."""
    return package(student_book, "student")


@pytest.fixture(scope="session")
def built_book(student_package) -> Build:
    """The teacher edition (the default build), as ``make book`` builds it: handouts printed, and
    the student package in its downloads/, where the teacher edition links to it."""
    build = build_edition("teacher")
    (build.html / "downloads").mkdir(exist_ok=True)
    shutil.copy2(student_package, build.html / "downloads" / student_package.name)
    return build


@pytest.fixture(scope="session")
def teacher_package(built_book) -> Path:
    return package(built_book, "teacher")


@dataclass
class Site:
    url: str
    root: Path


#: A built site to test instead of building one (``READING_DETERRENCE_SITE=/tmp/x/_build/html``):
#: for a helper who built elsewhere (``--path-output``) and runs only the tests that use ``site``.
PREBUILT_SITE = os.environ.get("READING_DETERRENCE_SITE", "")


@pytest.fixture(scope="session")
def site(request) -> Site:
    """The built book served on 127.0.0.1 (a free port), with gzip, as `make serve` serves it.

    With ``READING_DETERRENCE_SITE`` set, that folder is served and nothing is built (it must hold
    a built site: never a test's way around building under CI)."""
    if PREBUILT_SITE:
        if IN_CI:
            pytest.fail("READING_DETERRENCE_SITE is for local runs; under CI the tests build the book")
        html = Path(PREBUILT_SITE).resolve()
        if not (html / "index.html").is_file():
            pytest.fail(f"READING_DETERRENCE_SITE={PREBUILT_SITE}: no built site there (no index.html)")
    else:
        html = request.getfixturevalue("built_book").html
    with Background(html) as url:
        yield Site(url, html)


def browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return (
            f"Chromium not found at {CHROMIUM}. Install Debian's package with `sudo apt-get install chromium` "
            "(or set CHROMIUM=/path/to/chromium); do not run `playwright install`."
        )
    if not AXE.exists():
        return "axe-core is not installed: run `npm ci` in the project folder (make test does this)."
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed: run `make test`, which installs requirements.lock."
    return None


def require(reason: str | None) -> None:
    """Skip the test when a tool is missing, saying how to install it; under CI, fail instead."""
    if reason:
        if IN_CI:
            pytest.fail("CI=true, so this test must run: " + reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright; skips (or, under CI, fails) when it is not installed."""
    require(browser_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


#: Fixtures that build the book: a test that uses one is slow, whatever its file says.
BUILDING = {"built_book", "student_book", "student_package", "teacher_package", "site"}


def pytest_collection_modifyitems(items):
    """Mark every test that builds the book (through a fixture) ``build``, so that
    ``-m "not build and not browser"`` runs only the fast tests and never writes to _build/."""
    for item in items:
        uses = BUILDING & set(getattr(item, "fixturenames", ()))
        if uses and not item.get_closest_marker("build") and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.build)
