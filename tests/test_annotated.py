"""The annotated article in headless Chromium: layers switch by mouse and by keyboard, every
layer's marks carry text as well as colour, axe finds nothing with all layers on, and the view
needs no JavaScript."""

from __future__ import annotations

import pytest

from conftest import AXE
from tools.audit import AXE_SCRIPT

pytestmark = pytest.mark.browser

PAGE = "chapters/02-who-speaks/annotated.html"
LAYERS = ["speaker", "attribution", "quotation", "loaded", "claim"]


@pytest.fixture
def page(browser, site, request):
    options = getattr(request, "param", {})
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(site.url + PAGE)
    page.wait_for_load_state("networkidle")
    yield page
    context.close()


def visible_tags(page, layer: str) -> int:
    return page.locator(f".rd-tag-{layer}:visible").count()


def test_layers_are_off_at_first_and_a_click_switches_one_on_and_off(page):
    for layer in LAYERS:
        assert visible_tags(page, layer) == 0, layer
    page.get_by_label("Who speaks").click()
    assert visible_tags(page, "speaker") == page.locator(".rd-as").count()
    assert page.locator(".rd-legend-speaker").is_visible()
    assert visible_tags(page, "loaded") == 0  # other layers stay off
    page.get_by_label("Who speaks").click()
    assert visible_tags(page, "speaker") == 0


def test_the_keyboard_switches_layers_and_opens_a_sentence_s_codes(page):
    page.locator("#rd-layer-speaker").focus()
    page.keyboard.press("Tab")  # to "Attribution verbs"
    page.keyboard.press("Tab")  # to "Quotation"
    page.keyboard.press("Tab")  # to "Loaded language"
    assert page.evaluate("document.activeElement.id") == "rd-layer-loaded"
    page.keyboard.press("Space")
    assert page.locator("#rd-layer-loaded").is_checked()
    assert visible_tags(page, "loaded") == page.locator("mark.rd-m-loaded").count() > 0
    summary = page.locator("#annotated-p05s01 summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#annotated-p05s01 details").evaluate("d => d.open")
    assert page.locator("#annotated-p05s01 details dd", has_text="“puppet traitors”").is_visible()


def test_a_mark_is_never_colour_alone(page):
    """With the loaded-language layer on, each marked phrase shows a text tag naming the side."""
    page.locator("#rd-layer-loaded").check()
    for mark in page.locator("mark.rd-m-loaded").all():
        tag = mark.locator(".rd-tag-loaded")
        assert tag.is_visible() and tag.inner_text().startswith("Carried by")


@pytest.mark.parametrize("page", [{"color_scheme": "light"}, {"color_scheme": "dark"}], indirect=True, ids=["light", "dark"])
def test_axe_finds_nothing_with_every_layer_on(page):
    for layer in LAYERS:
        page.locator(f"#rd-layer-{layer}").check()
    page.locator("#annotated-p02s01 summary").click()
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_SCRIPT) == []


@pytest.mark.parametrize("page", [{"java_script_enabled": False}], indirect=True, ids=["no-js"])
def test_the_view_works_without_javascript(page):
    page.locator("#rd-layer-quotation").check()
    assert visible_tags(page, "quotation") > 0
    table = page.locator("table.rd-coding-table")
    assert table.is_visible() and table.locator("tbody tr").count() == page.locator(".rd-as").count()
