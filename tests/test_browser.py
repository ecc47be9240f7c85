"""Every built page, opened in headless Chromium as a student would, within the page budget.

Each page, in light mode (and in dark mode, all but the handout and lesson-pack pages that repeat
the same parts): loads with no console error or warning and no uncaught script error, requests
nothing from any host but the local server, passes axe-core with no violation of any impact, and
stays within the weight and request budget.
"""

from __future__ import annotations

import pytest

from conftest import AXE, PAGES
from tools.audit import audit
from tools.serve import Background

pytestmark = pytest.mark.browser

#: Uncompressed bytes a page may load (HTML, CSS, scripts, fonts, images), and requests it may make.
BUDGET_BYTES = 600_000
MAX_REQUESTS = 25
#: Pages allowed up to 1 MB, each with the reason.
HEAVY_PAGES: dict[str, str] = {
    "search.html": "the search index and the pages' text (for summaries from file://) grow with the book; "
    "only the search page loads them",
}
HEAVY_BYTES = 1_000_000


def heaviest(result, n=5) -> str:
    return "\n".join(f"  {size / 1000:8.1f} kB  {url}" for size, url in result.resources[:n])


#: Pages built from the same few parts: each is checked in light mode (and for its budget); in dark
#: mode only the first of each kind, which has every part (vocabulary, exit ticket, event cards, key).
SAME_PARTS = ("chapters/handouts/", "chapters/teachers/packs/")
DARK_SAMPLES = {"chapters/handouts/lesson-1-1.html", "chapters/teachers/packs/lesson-1-1.html"}
DARK_PAGES = [p for p in ["index.html", *PAGES] if not p.startswith(SAME_PARTS) or p in DARK_SAMPLES]


def check_budget(path: str, result) -> None:
    limit = HEAVY_BYTES if path in HEAVY_PAGES else BUDGET_BYTES
    assert result.bytes <= limit, (
        f"{path} loads {result.bytes:,} bytes (budget {limit:,}); largest:\n{heaviest(result)}"
    )
    assert result.requests <= MAX_REQUESTS, f"{path} makes {result.requests} requests (budget {MAX_REQUESTS})"


@pytest.mark.parametrize("path", ["index.html", *PAGES])
def test_page_is_clean_and_within_budget(browser, site, path):
    """Light mode: no console message, no other host, no axe violation; and the page budget (the
    same load: axe is injected after the page's own requests are counted)."""
    result = audit(browser, site.url, path, axe=AXE, color_scheme="light")
    assert result.status == 200, f"{path}: HTTP {result.status}"
    assert result.problems() == [], f"{path} (light):\n" + "\n".join(result.problems())
    check_budget(path, result)


@pytest.mark.parametrize("path", DARK_PAGES)
def test_page_is_clean_in_dark_mode(browser, site, path):
    result = audit(browser, site.url, path, axe=AXE, color_scheme="dark")
    assert result.status == 200, f"{path}: HTTP {result.status}"
    assert result.problems() == [], f"{path} (dark):\n" + "\n".join(result.problems())


def test_the_checks_catch_a_bad_page(browser, tmp_path):
    """The audit is not a test that cannot fail: a page with every fault is caught on each count."""
    (tmp_path / "bad.html").write_text(
        "<!DOCTYPE html><html><head><title>Bad</title>"
        '<script src="https://cdn.example.com/lib.js"></script>'
        "<script>console.error('broken'); undefinedFunction();</script></head>"
        '<body><img src="big.bin"></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "big.bin").write_bytes(b"\0" * (BUDGET_BYTES + 1))
    with Background(tmp_path) as url:
        result = audit(browser, url, "bad.html", axe=AXE)
    assert result.foreign == ["https://cdn.example.com/lib.js"]
    assert any("broken" in line for line in result.console)
    assert any(line.startswith("uncaught:") for line in result.console)
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in result.violations}
    assert result.bytes > BUDGET_BYTES


def test_sentence_links_land_on_the_sentence(browser, site):
    """A link to a sentence (as later chapters make) scrolls to it and marks it as the target."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site.url + "chapters/01-the-case/timeline.html")
        link = page.locator('a[href$="article.html#p09s01"]').first
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/article.html#p09s01")
        assert page.evaluate("document.querySelector(':target').id") == "p09s01"
        assert page.locator("#p09s01").is_visible()
    finally:
        context.close()
