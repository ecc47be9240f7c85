"""Every built page, opened in headless Chromium as a student would: it loads with no console
error or warning, requests nothing from any host but the local server, and axe-core finds no
accessibility violation, in light and in dark mode."""

from __future__ import annotations

import json

import pytest

from conftest import AXE, PAGES

pytestmark = pytest.mark.browser


def open_page(browser, site, path, **context_options):
    """Open a page, recording requests and console messages; block anything not local."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    record = {"requests": [], "foreign": [], "console": [], "errors": []}

    def route(route):
        url = route.request.url
        record["requests"].append(url)
        if url.startswith(site.url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            record["foreign"].append(url)
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda m: record["console"].append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    response = page.goto(site.url + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page, response, record


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["index.html", *PAGES])
def test_page_is_clean(browser, site, path, scheme):
    context, page, response, record = open_page(browser, site, path, color_scheme=scheme)
    try:
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        assert record["foreign"] == [], f"{path} asked other hosts for: {record['foreign']}"
        assert record["errors"] == [], f"{path}: uncaught script errors: {record['errors']}"
        assert record["console"] == [], f"{path}: console messages: {record['console']}"
        violations = axe_violations(page)
        assert violations == [], f"{path} ({scheme}): axe found\n" + json.dumps(violations, indent=1)
    finally:
        context.close()


def test_sentence_links_land_on_the_sentence(browser, site):
    """A link to a sentence (as later chapters make) scrolls to it and marks it as the target."""
    context, page, _, _ = open_page(browser, site, "chapters/01-the-case/timeline.html")
    try:
        link = page.locator('a[href$="article.html#p09s01"]').first
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/article.html#p09s01")
        assert page.evaluate("document.querySelector(':target').id") == "p09s01"
        assert page.locator("#p09s01").is_visible()
    finally:
        context.close()
