"""The glossary: every term defined is used, state-media terms carry Korean and sources, and the
definition appears on hover and on keyboard focus, dismissible with Escape."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import AXE, ROOT
from reading_deterrence import load
from test_sphinxext import tiny_book
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


GLOSSARY_PAGE = """# Glossary

```{glossary}
Deterrence
  Our short definition, which the tooltip does not use.

Compellence
  Another.

Zebra crossing
  A term that glossary.csv does not have.
```

As said above, {term}`deterrence` and {term}`Zebra crossing`.
"""


@pytest.fixture(scope="module")
def tips_book(tmp_path_factory):
    """A tiny book: a glossary page linking one of its own terms, and a page linking two terms."""
    build = tiny_book(tmp_path_factory.mktemp("tips"))
    code, warnings, out = build({"glossary": GLOSSARY_PAGE, "other": "# Other\n\n{term}`Deterrence` and {term}`compellence`.\n"})
    assert code == 0, warnings
    return out


def tooltips(html: str) -> list[tuple[str, str, str]]:
    """(link href, link text, tooltip text) for each term link, checking how link and tooltip are tied."""
    page = BeautifulSoup(html, "html.parser")
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), "every id on the page is unique"
    found = []
    for box in page.select("span.rd-term"):
        link, tip = box.find_all(recursive=False)
        assert link.name == "a" and tip.name == "span" and tip.get("role") == "tooltip"
        assert tip["id"] and link["aria-describedby"] == tip["id"]
        found.append((link["href"], link.get_text(), tip.get_text()))
    return found


def test_every_term_link_gets_its_own_tooltip_with_the_definition(tips_book):
    definition = dict(zip(load("glossary")["term"], load("glossary")["definition"]))
    html = (tips_book / "other.html").read_text(encoding="utf-8")
    assert tooltips(html) == [
        ("glossary.html#term-Deterrence", "Deterrence", definition["deterrence"]),
        ("glossary.html#term-Compellence", "compellence", definition["compellence"]),
    ]
    assert len(set(re.findall(r'aria-describedby="([^"]+)"', html))) == 2, "two tooltips, two distinct ids"


def test_a_term_link_on_the_glossary_page_itself_gets_a_tooltip(tips_book):
    """The link to a term on the same page has a refid, not a refuri; a term glossary.csv lacks
    keeps its plain link."""
    html = (tips_book / "glossary.html").read_text(encoding="utf-8")
    definition = load("glossary").set_index("term").loc["deterrence", "definition"]
    assert tooltips(html) == [("#term-Deterrence", "deterrence", definition)]
    assert re.search(r'<a class="reference internal" href="#term-Zebra-crossing"><span class="xref std std-term">Zebra crossing', html)


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
