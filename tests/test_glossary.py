"""The glossary: every term defined is used, state-media terms carry Korean and sources, and the
definition appears on hover and on keyboard focus, dismissible with Escape."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import AXE, ROOT
from reading_deterrence import load
from tools.audit import AXE_SCRIPT


def test_state_media_terms_give_korean_kcna_english_and_sources():
    table = load("glossary")
    for row in table[table["topic"] == "state-media"].itertuples():
        assert not pd.isna(row.korean) and not pd.isna(row.kcna_english), row.term
        assert not pd.isna(row.source_ids), row.term


def test_every_term_is_linked_somewhere_in_the_text():
    """'Terms linked where first used': each glossary term has at least one {term} link."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "chapters").rglob("*.md"))
    linked = {m.group(2) or m.group(1) for m in re.finditer(r"\{term\}`([^`<]+?)(?:\s*<([^>]+)>)?`", text)}
    linked = {t.strip().casefold() for t in linked}
    missing = [t for t in load("glossary")["term"] if t.casefold() not in linked]
    assert missing == [], f"never linked with {{term}}: {missing}"


@pytest.fixture
def page(browser, site, request):
    context = browser.new_context(**getattr(request, "param", {}))
    page = context.new_page()
    page.goto(site.url + "chapters/02-who-speaks/index.html")
    page.wait_for_load_state("networkidle")
    yield page
    context.close()


@pytest.mark.browser
def test_definition_shows_on_hover_and_focus_and_hides_on_escape(page):
    term = page.locator(".rd-term").first
    tip = term.locator(".rd-tip")
    assert not tip.is_visible()
    term.locator("a").hover()
    assert tip.is_visible() and tip.inner_text().startswith("The sequence of people")
    page.mouse.move(0, 0)
    assert not tip.is_visible()
    term.locator("a").focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    # screen readers get it as the link's description
    assert term.locator("a").get_attribute("aria-describedby") == tip.get_attribute("id")


@pytest.mark.browser
@pytest.mark.parametrize("page", [{"color_scheme": "light"}, {"color_scheme": "dark"}], indirect=True, ids=["light", "dark"])
def test_axe_with_a_definition_showing(page):
    page.locator(".rd-term a").first.focus()
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_SCRIPT) == []
