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


@pytest.fixture(scope="session")
def built_book() -> Build:
    """Build the whole book with warnings as errors, every page re-read (--all).

    The old HTML is removed first, so that no page left over from an earlier build can pass for
    a built one; the notebook execution cache (_build/.jupyter_cache) is kept.
    """
    shutil.rmtree(HTML, ignore_errors=True)
    jb = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jb), "build", str(ROOT), "-W", "-n", "--keep-going", "--all"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"the book build failed (exit {result.returncode}):\n{output[-6000:]}")
    return Build(result.returncode, output, HTML)


@dataclass
class Site:
    url: str
    root: Path


@pytest.fixture(scope="session")
def site(built_book) -> Site:
    """The built book served on 127.0.0.1 (a free port), with gzip, as `make serve` serves it."""
    with Background(built_book.html) as url:
        yield Site(url, built_book.html)


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
