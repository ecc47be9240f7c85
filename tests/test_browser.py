"""Every built page, opened in headless Chromium as a student would, within the page budget.

Two sweeps, each over every page:

- **light**, in a desktop window (1280 px): no console error or warning and no uncaught script
  error, nothing requested from any host but the local server, axe-core with no violation of any
  impact, no sideways scroll, and the weight and request budget; then the same page, narrowed to
  a phone's 360 px without reloading, must not scroll sideways either;
- **dark, on a phone** (360 px): the same checks but the budget (the bytes are light's), so that
  each page is checked at 360 px in light and in dark.

The dark sweep starts its checks at the load event (axe runs for half a second or more, while
late requests and console messages are still recorded); the light sweep waits for the network to
settle, as the byte and request counts need.
"""

from __future__ import annotations

import pytest

from conftest import AXE, PAGES
from reading_deterrence.shaping.fonts import FACES, FONTS, cjk_in
from tools.audit import PHONE_WIDTH, audit, measure_overflow
from tools.serve import Background

pytestmark = pytest.mark.browser

#: Uncompressed bytes a page may load (HTML, CSS, scripts, fonts, images), and requests it may make.
BUDGET_BYTES = 600_000
MAX_REQUESTS = 25
#: Pages allowed up to 1 MB, each with the reason.
HEAVY_PAGES: dict[str, str] = {
    "search.html": "the search index and the pages' text (for summaries from file://) grow with the book; "
    "only the search page loads them",
    "chapters/reference/sources.html": "every source of the module, with its note, on one page (it grows with the "
    "data: 304 sources before issue 17, 391 after), and Korean and Japanese titles (the subset fonts, counted as "
    "on a device without such fonts)",
}
HEAVY_BYTES = 1_000_000


def heaviest(result, n=5) -> str:
    return "\n".join(f"  {size / 1000:8.1f} kB  {url}" for size, url in result.resources[:n])


def without_cjk_fonts(site, path: str, result) -> tuple[int, int, list[str]]:
    """What the page would add on a machine with no Korean or Japanese font: the shipped faces
    (shaping/fonts.py) for the characters in its HTML that it did not load here, where the
    system's Noto CJK serves them. Returns (bytes, requests, names)."""
    text = (site.root / path).read_text(encoding="utf-8", errors="replace")
    characters = cjk_in(text)
    loaded = " ".join(url for _, url in result.resources)
    extra_bytes, extra_requests, names = 0, 0, []
    for face in FACES:
        file = site.root / "_static" / FONTS / face.filename
        if face.takes(characters) and file.is_file() and face.filename not in loaded:
            extra_bytes += file.stat().st_size
            extra_requests += 1
            names.append(face.filename)
    return extra_bytes, extra_requests, names


def check_budget(site, path: str, result) -> None:
    """The page within its budget, counting the subset fonts it would load without CJK fonts."""
    limit = HEAVY_BYTES if path in HEAVY_PAGES else BUDGET_BYTES
    font_bytes, font_requests, fonts = without_cjk_fonts(site, path, result)
    with_fonts = f" (with {', '.join(fonts)}: {font_bytes:,} bytes, as without CJK fonts)" if fonts else ""
    assert result.bytes + font_bytes <= limit, (
        f"{path} loads {result.bytes + font_bytes:,} bytes{with_fonts} (budget {limit:,}); largest:\n{heaviest(result)}"
    )
    assert result.requests + font_requests <= MAX_REQUESTS, (
        f"{path} makes {result.requests + font_requests} requests{with_fonts} (budget {MAX_REQUESTS})"
    )


@pytest.mark.parametrize("path", ["index.html", *PAGES])
def test_page_is_clean_and_within_budget(browser, site, path):
    """Light mode: no console message, no other host, no axe violation, no sideways scroll at
    1280 px nor, narrowed, at 360 px; and the page budget (the same load: axe is injected after the
    page's own requests are counted)."""
    result = audit(browser, site.url, path, axe=AXE, color_scheme="light", narrow=PHONE_WIDTH)
    assert result.status == 200, f"{path}: HTTP {result.status}"
    assert result.problems() == [], f"{path} (light):\n" + "\n".join(result.problems())
    check_budget(site, path, result)


#: index.html only redirects to the first page (which is in PAGES): loaded on its own, the
#: redirect would replace the page under axe.
@pytest.mark.parametrize("path", PAGES)
def test_page_is_clean_on_a_phone_in_dark_mode(browser, site, path):
    """Dark mode at 360 px: no console message, no other host, no axe violation, no sideways scroll."""
    result = audit(browser, site.url, path, axe=AXE, color_scheme="dark", width=PHONE_WIDTH, settle=False)
    assert result.status == 200, f"{path}: HTTP {result.status}"
    assert [o.width for o in result.overflows] in ([], [PHONE_WIDTH])  # measured at 360 px
    assert result.problems() == [], f"{path} (dark, {PHONE_WIDTH} px):\n" + "\n".join(result.problems())


def test_the_checks_catch_a_bad_page(browser, tmp_path):
    """The audit is not a test that cannot fail: a page with every fault is caught on each count."""
    (tmp_path / "bad.html").write_text(
        "<!DOCTYPE html><html><head><title>Bad</title>"
        '<script src="https://cdn.example.com/lib.js"></script>'
        "<script>console.error('broken'); undefinedFunction();</script></head>"
        '<body><img src="big.bin"><div id="wide" style="width: 500px">wide</div></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "big.bin").write_bytes(b"\0" * (BUDGET_BYTES + 1))
    with Background(tmp_path) as url:
        result = audit(browser, url, "bad.html", axe=AXE)
        phone = audit(browser, url, "bad.html", width=PHONE_WIDTH, settle=False)
    assert result.foreign == ["https://cdn.example.com/lib.js"]
    assert any("broken" in line for line in result.console)
    assert any(line.startswith("uncaught:") for line in result.console)
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in result.violations}
    assert result.bytes > BUDGET_BYTES
    assert result.overflows == []  # 500 px fits a desktop window
    [overflow] = phone.overflows
    assert overflow.width == PHONE_WIDTH and overflow.scroll_width >= 500
    assert overflow.culprits[0]["element"] == "div#wide"
    assert "scrolls sideways at 360 px" in " ".join(phone.problems())


def test_the_overflow_check_names_what_sticks_out_and_spares_what_scrolls(browser):
    """At 360 px: a long address in a paragraph is named (its paragraph), as is a wide element
    narrowed to from a wide window; a wide table in its own scroll region, or a fixed drawer
    off-screen (as the theme's), is not a sideways scroll of the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.set_content(
            '<!DOCTYPE html><html lang="en"><body style="margin: 8px">'
            '<div class="rd-scroll" style="overflow-x: auto"><table><tr><td style="min-width: 900px">wide</td>'
            "</tr></table></div>"
            '<nav style="position: fixed; top: 0; right: 0; width: 270px; transform: translateX(100%)">drawer</nav>'
            '<p id="fits">Short text.</p></body></html>'
        )
        assert measure_overflow(page) is None
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
        assert measure_overflow(page) is None  # the table scrolls in its box; the drawer is fixed
        page.evaluate(
            """() => document.querySelector('#fits').insertAdjacentHTML('afterend',
                '<p id="address">See https://www.example.org/a/very/long/address/that/does/not/break/anywhere</p>')"""
        )
        found = measure_overflow(page)
        assert found is not None and found.width == PHONE_WIDTH
        assert [c["element"] for c in found.culprits] == ["p#address"]
        assert found.culprits[0]["by"] > 0 and found.scroll_width > PHONE_WIDTH
    finally:
        context.close()


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
