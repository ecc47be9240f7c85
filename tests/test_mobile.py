"""On a phone: every table scrolls in its own labelled, focusable region (shaping/markup.py), so
that no page scrolls sideways (tests/test_browser.py measures every page at 360 px)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import AXE
from reading_deterrence.shaping.markup import region_label, scroll_regions
from tools.audit import AXE_SCRIPT, PHONE_WIDTH, measure_overflow

THEME_TABLE = """<section id="counts"><h2>Two measures<a class="headerlink" href="#counts">#</a></h2>
<div class="pst-scrollable-table-container"><table class="table" id="id1">
<caption><span class="caption-number">Table 1 </span><span class="caption-text">Counts &amp; rules</span><a class="headerlink" href="#id1">#</a></caption>
<tbody><tr><td>é&nbsp;1</td></tr></tbody></table>
</div>
<div><table border="1" class="dataframe"><tr><td><table><tr><td>inner</td></tr></table></td></tr></table></div>
  <div><table class="dataframe"><tr><td>2</td></tr></table></div>
<div class="rd-lab-scroll" role="region" aria-label="The lab's own"><table><tr><td>3</td></tr></table></div>
</section>"""


def regions(html: str) -> list:
    return BeautifulSoup(html, "html.parser").find_all(class_="rd-scroll")


def test_every_table_gets_one_labelled_focusable_region():
    out = scroll_regions(THEME_TABLE)
    found = regions(out)
    assert [r["aria-label"] for r in found] == [
        "Table 1 Counts & rules",
        "Two measures (table)",
        "Two measures (table 2)",
    ]
    for region in found:
        assert region["role"] == "region" and region["tabindex"] == "0"
        assert region.find("table", recursive=False) is not None  # the region holds its table directly
    # the theme's wrapper became the region (not wrapped again); the nested table and the lab's
    # own region are left alone
    assert out.count("pst-scrollable-table-container") == 3
    assert out.count('role="region"') == 4


def test_nothing_else_in_the_page_changes():
    out = scroll_regions(THEME_TABLE)
    stripped = out.replace(' rd-scroll" role="region" aria-label="Table 1 Counts &amp; rules" tabindex="0"', '"')
    for label in ("Two measures (table)", "Two measures (table 2)"):
        stripped = stripped.replace(
            f'<div class="pst-scrollable-table-container rd-scroll" role="region" aria-label="{label}" tabindex="0">',
            "",
            1,
        )
    stripped = stripped.replace("</table></div></div>", "</table></div>")
    assert stripped == THEME_TABLE
    assert scroll_regions(out) == out  # a second pass finds every table in a region already
    assert scroll_regions("<p>No table</p>") == "<p>No table</p>"


def test_a_table_without_caption_or_heading_is_still_named():
    tree = BeautifulSoup("<table><tr><td>1</td></tr></table>", "html.parser")
    assert region_label(tree.table) == "Table"
    out = scroll_regions('<p>"quoted" & <b>x</b></p>\n<table><tr><td>1</td></tr></table>\n<table></table>')
    assert [r["aria-label"] for r in regions(out)] == ["Table", "Table (2)"]


@pytest.mark.browser
def test_a_wide_table_scrolls_in_its_region_and_axe_passes(browser):
    """In Chromium at 360 px: the page does not scroll sideways, the region does, a keyboard
    reaches it, and axe (scrollable-region-focusable, landmark-unique, ...) finds nothing."""
    wide = "".join(f"<td>column-{i}-with-a-long-heading</td>" for i in range(12))
    body = scroll_regions(
        f"<h1>Wide</h1><table><caption>Twelve columns</caption><tr>{wide}</tr></table>"
        f"<h2>Again</h2><div><table class='dataframe'><tr>{wide}</tr></table></div>"
    )
    css = ".rd-scroll { overflow-x: auto; max-width: 100%; } table { border-collapse: collapse; }"
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740})
    page = context.new_page()
    try:
        page.set_content(
            f'<!DOCTYPE html><html lang="en"><head><title>Wide</title><style>{css}</style></head>'
            f"<body><main>{body}</main></body></html>"
        )
        assert measure_overflow(page) is None
        scrolls = page.evaluate("[...document.querySelectorAll('.rd-scroll')].map(r => r.scrollWidth > r.clientWidth)")
        assert scrolls == [True, True]
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Twelve columns"
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.activeElement.scrollLeft > 0", timeout=5000)  # the keyboard scrolls it
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(AXE_SCRIPT) == []
    finally:
        context.close()


@pytest.mark.build
def test_every_table_of_the_built_site_is_in_a_named_region(site):
    """In every built page, each table (but a nested one) sits in a region named uniquely on its page."""
    problems = []
    for path in sorted(site.root.rglob("*.html")):
        if path.relative_to(site.root).parts[0] in ("_static", "downloads"):
            continue
        tree = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = tree.find("article") or tree
        names, seen = [], set()
        for table in article.find_all("table"):
            if table.find_parent("table") or "indextable" in (table.get("class") or ()):
                continue  # Sphinx's index lays its columns of links out in tables, at 100%: never wider
            region = table.find_parent(attrs={"role": "region"})
            if region is None or not (region.get("aria-label") or region.get("aria-labelledby")):
                problems.append(f"{path.relative_to(site.root)}: a table outside a named region")
                continue
            if id(region) not in seen:
                seen.add(id(region))
                names.append(region.get("aria-label") or region["aria-labelledby"])
        duplicates = {n for n in names if names.count(n) > 1}
        problems += [f"{path.relative_to(site.root)}: two regions named {n!r}" for n in sorted(duplicates)]
    assert problems == []


#: Where the magnifier ends and where the typed text starts, in a search form.
ICON_AND_TEXT = """(form) => {
  const icon = form.querySelector('.fa-magnifying-glass'), input = form.querySelector('input');
  const padding = parseFloat(getComputedStyle(input).paddingLeft);
  return {icon: icon.getBoundingClientRect().right, text: input.getBoundingClientRect().left + padding,
          value: input.value};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, PHONE_WIDTH])
def test_the_magnifier_never_covers_the_words_typed(browser, site, width):
    """Both kinds of search field, the search page's and the dialog a search button opens, at a
    desktop's and a phone's width, with words typed: the icon ends before the text starts."""
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    try:
        page.goto(site.url + "search.html")
        form = page.locator(".bd-search-container form.bd-search")
        form.locator("input").fill("Wonsan deterrence")
        fields = {"search page": form.evaluate(ICON_AND_TEXT)}
        page.goto(site.url + "chapters/01-the-case/article.html")
        page.locator("button.search-button__button:visible").first.click()
        dialog = page.locator("#pst-search-dialog form.bd-search")
        dialog.locator("input").fill("Wonsan deterrence")
        fields["dialog"] = dialog.evaluate(ICON_AND_TEXT)
    finally:
        context.close()
    for name, field in fields.items():
        assert field["value"] == "Wonsan deterrence", name
        assert field["icon"] <= field["text"], f"{name} at {width} px: the icon covers the text ({field})"
