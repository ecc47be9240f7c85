"""Every page prints cleanly on A4, and search works opened from a folder (issue 12, items 3 and 6).

Print: a page is laid out as Chromium prints it (print media, at the printable width of an A4 page
with the stylesheet's 15 mm margins) and its computed styles are checked: no navigation, sentence
IDs kept, a source's address after its link (not after links within the book), nothing wider than
the page, folded answers open with no "Click to hide" label, folded code left folded, self-checks
as questions with boxes and no feedback, the annotated article as its coding table, worksheet
tables ruled with tall rows. One page is printed to PDF and its text read back.

Search: the built search page, opened via file://, shows results with summaries and logs nothing
(Sphinx's own search fetches each result page, which a browser blocks under file://); served, it
fetches no page. The text it reads is written by ``shaping/search.py``, tested here on small pages.
"""

from __future__ import annotations

import base64
import gzip
import json
from contextlib import contextmanager

import pytest

from conftest import PAGES, ROOT
from reading_deterrence.shaping import search
from reading_deterrence.shaping.minify import minify

#: The printable width of A4 with the stylesheet's @page margins (210 mm - 2 x 15 mm), in CSS px.
PRINT_WIDTH = round((210 - 2 * 15) / 25.4 * 96)
#: Pages whose printing the issue names, plus the ones with worksheets and exercises.
PRINT_PAGES = [
    p
    for p in (
        "chapters/01-the-case/article.html",
        "chapters/02-who-speaks/annotated.html",
        "chapters/02-who-speaks/index.html",
        "chapters/02-who-speaks/code-it-yourself.html",
        "chapters/03-state-media/spot-the-changes.html",
        "chapters/03-state-media/claims.html",
        "chapters/03-state-media/lateral-reading.html",
        "chapters/05-numbers/explorer.html",
        "chapters/05-numbers/lab.html",
        "chapters/reference/sources.html",
        "chapters/handouts/lesson-1-1.html",
    )
    if p in PAGES
]
#: What navigation the theme puts on a page; none of it may print.
NAVIGATION = (
    ".bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .prev-next-footer, "
    ".bd-footer, .bd-footer-content, .search-button, .search-button-field, #pst-back-to-top, "
    ".skip-link, #jb-print-docs-body, .headerlink"
)

VISIBLE = "el => el.checkVisibility({opacityProperty: true, visibilityProperty: true})"

#: One script that reports what a printed page must not have.
PRINT_FAULTS = """([width, navigation]) => {
  const visible = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const faults = [];
  for (const el of document.querySelectorAll(navigation)) {
    if (visible(el)) faults.push(`navigation prints: ${el.tagName}.${el.className}`);
  }
  for (const el of document.querySelectorAll('[data-toggle-hint], button.toggle-button, summary')) {
    if (visible(el) && /click to (hide|show)|(show|hide) code cell/i.test(
        el.innerText + getComputedStyle(el, '::before').content + getComputedStyle(el, '::after').content)) {
      faults.push(`toggle label prints: ${el.outerHTML.slice(0, 80)}`);
    }
  }
  if (/click to (hide|show)/i.test(document.body.innerText)) faults.push('"Click to" in the printed text');
  if (document.documentElement.scrollWidth > width + 1) {
    faults.push(`page ${document.documentElement.scrollWidth}px wide, printable width ${width}px`);
  }
  for (const el of document.querySelectorAll('article.bd-article *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && visible(el) && (box.right > width + 1 || box.left < -1)) {
      faults.push(`too wide: ${el.tagName}.${el.className} (${Math.round(box.left)} to ${Math.round(box.right)})`);
    }
  }
  for (const a of document.querySelectorAll('article.bd-article a[href]')) {
    if (!visible(a)) continue;
    const after = getComputedStyle(a, '::after').content;
    const external = /^https?:/.test(a.getAttribute('href'));
    if (external && !a.classList.contains('rd-url') && !after.includes(a.getAttribute('href'))) {
      faults.push(`no address after an external link: ${a.getAttribute('href')}`);
    }
    if (!external && after.includes('(')) faults.push(`an address after an internal link: ${a.getAttribute('href')}`);
  }
  return faults.slice(0, 15);
}"""


@contextmanager
def printed(browser, url: str, before=None, width: int = PRINT_WIDTH):
    """The page at ``url`` laid out for print at A4's printable width (or ``width``: a browser
    prints from a wider window, and the theme's toggle labels show at 768px and more).
    ``before(page)`` runs first, on screen (to tick a self-check answer, say)."""
    context = browser.new_context(viewport={"width": width, "height": 1100})
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        if before is not None:
            before(page)
        page.emulate_media(media="print")
        yield page
    finally:
        context.close()


def count_visible(page, selector: str) -> int:
    return page.eval_on_selector_all(selector, f"els => els.filter({VISIBLE}).length")


@pytest.mark.browser
@pytest.mark.parametrize("path", PRINT_PAGES)
def test_page_prints_clean(browser, site, path):
    """No navigation, no toggle labels, nothing wider than A4, addresses after external links."""
    with printed(browser, site.url + path) as page:
        faults = page.evaluate(PRINT_FAULTS, [PRINT_WIDTH, NAVIGATION])
        body_size = page.evaluate("() => getComputedStyle(document.querySelector('article.bd-article p:not(.rd-reading-time)')).fontSize")
        banners = page.eval_on_selector_all(".rd-edition, .rd-edition-banner", f"els => els.map({VISIBLE})")
    assert faults == [], f"{path} printed:\n" + "\n".join(faults)
    assert abs(float(body_size.removesuffix("px")) - 11 * 96 / 72) < 0.5, f"body text is {body_size}, not 11pt"
    assert banners and all(banners), "the edition banner does not print"


@pytest.mark.browser
def test_article_prints_its_sentence_ids(browser, site):
    with printed(browser, site.url + "chapters/01-the-case/article.html") as page:
        shown = count_visible(page, "a.rd-sid")
        total = page.locator("a.rd-sid").count()
    assert total > 10 and shown == total, f"{shown} of {total} sentence IDs print"


@pytest.mark.browser
@pytest.mark.parametrize("width", [PRINT_WIDTH, 1280])
def test_self_checks_print_as_questions_and_solutions_open(browser, site, width):
    """Options print with an empty box and no feedback, even for a ticked answer; solutions (the
    teacher edition has them) print open, with no "Click to hide", from any window width."""

    def tick_first_answer(page):
        page.locator(".rd-check-option input").first.check()

    with printed(browser, site.url + "chapters/02-who-speaks/index.html", tick_first_answer, width) as page:
        faults = [f for f in page.evaluate(PRINT_FAULTS, [width, NAVIGATION]) if "toggle" in f or "Click" in f]
        options = count_visible(page, ".rd-check-option")
        radios = count_visible(page, ".rd-check-option input")
        feedback = count_visible(page, ".rd-check-feedback")
        box = page.evaluate(
            "() => { const s = getComputedStyle(document.querySelector('.rd-check-option label'), '::before');"
            " return [s.content, s.borderTopStyle, parseFloat(s.width)]; }"
        )
        solutions = page.eval_on_selector_all(
            ".solution",
            "els => els.map(el => [...el.children].filter(c => !c.matches('.admonition-title'))"
            ".map(c => c.checkVisibility() && c.getBoundingClientRect().height > 0).every(Boolean))",
        )
    assert faults == []
    assert options >= 3 and radios == 0 and feedback == 0, (options, radios, feedback)
    assert box[1] == "solid" and box[2] > 5, f"no empty box before an option: {box}"
    assert all(solutions), "a solution prints folded"


@pytest.mark.browser
def test_annotated_article_prints_the_coding_table(browser, site):
    with printed(browser, site.url + "chapters/02-who-speaks/annotated.html") as page:
        interactive = count_visible(page, ".rd-annot, .rd-layers, .rd-legends")
        rows = count_visible(page, "table.rd-coding-table tbody tr")
    assert interactive == 0, "the interactive view prints"
    assert rows > 10, f"the coding table prints {rows} rows"


@pytest.mark.browser
def test_worksheet_tables_print_ruled_with_room_to_write(browser, site):
    pages = [p for p in PRINT_PAGES if "rd-worksheet" in (site.root / p).read_text(encoding="utf-8")]
    assert pages, "no printed page has a worksheet table"
    for path in pages:
        with printed(browser, site.url + path) as page:
            cells = page.eval_on_selector_all(
                "table.rd-worksheet tbody td",
                "els => els.map(td => [getComputedStyle(td).borderTopStyle, getComputedStyle(td).borderLeftWidth,"
                " td.textContent.trim() === '' ? td.getBoundingClientRect().height : null])",
            )
        assert cells, path
        assert all(style == "solid" and width != "0px" for style, width, _ in cells), f"{path}: unruled cells"
        empty = [height for *_, height in cells if height is not None]
        assert empty and min(empty) >= 1.5 / 2.54 * 96, f"{path}: empty rows {min(empty or [0]):.0f}px tall"


@pytest.mark.browser
def test_folded_code_stays_folded_in_print(browser, site):
    """The lab's folded (hide-input) cells, as the build writes them: in print, no code and no
    "Show code" label, and the cells' outputs still print."""
    with printed(browser, site.url + "chapters/05-numbers/lab.html") as page:
        cells = page.locator("div.cell.tag_hide-input").count()
        code = count_visible(page, "div.cell.tag_hide-input .cell_input, div.cell.tag_hide-input summary")
        outputs = count_visible(page, "div.cell.tag_hide-input .cell_output")
        text = page.evaluate("() => document.body.innerText")
    assert cells >= 3, "the lab has no folded cells: has the markup changed?"
    assert code == 0, f"{code} pieces of folded code or toggles print"
    assert outputs >= 1, "the folded cells' outputs do not print"
    assert "Show code cell" not in text


@pytest.mark.browser
def test_printed_pdf_is_a4_with_ids_and_addresses(browser, site):
    from pypdf import PdfReader

    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site.url + "chapters/01-the-case/article.html", wait_until="load")
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        context.close()
    import io

    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1.5  # A4 in points
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "p01s01" in text and "p13s01" in text
    assert "(https://" in text.replace("\n", "")
    assert "Click to" not in text and "Previous" not in text


def test_our_stylesheet_is_not_purged(built_book):
    """The theme's stylesheet is purged of unused selectors (shaping/css.py); ours is only minified
    (comments and runs of white space), so print rules for classes no page has yet stay."""
    source = ROOT / "src" / "reading_deterrence" / "shaping" / "static" / "reading-deterrence.css"
    built = (built_book.html / "_static" / "reading-deterrence.css").read_text(encoding="utf-8")
    assert built == minify(source.read_text(encoding="utf-8"))
    assert "/*" not in built and len(built) < 0.85 * source.stat().st_size


def test_minify_keeps_every_rule_and_string():
    css = '/* why */\n.a  .b,\n.c > .d {\n  /* inner */ content: "x  /* y */";\n  margin: 0  1px;\n}\n@media print {\n  .e { color: red; }\n}\n'
    out = minify(css)
    assert out == '.a .b, .c > .d { content: "x  /* y */"; margin: 0 1px; } @media print { .e { color: red; } }\n'


# --- Search -----------------------------------------------------------------------------------


def wait_for_results(page) -> list[list[str]]:
    """The search's results, once every one of them has its summary (or none is coming)."""
    page.wait_for_function("() => /Search finished/.test(document.querySelector('#search-results')?.innerText)")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results li')]"
        ".every(li => li.querySelector('p.context') || li.querySelector('span'))",
        timeout=15000,
    )
    return page.eval_on_selector_all(
        "#search-results li",
        "els => els.map(li => [li.querySelector('a').href, li.querySelector('p.context')?.innerText.trim() ?? ''])",
    )


@pytest.mark.browser
def test_search_works_from_a_folder_with_summaries(browser, built_book):
    context = browser.new_context()
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: messages.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: messages.append(f"failed: {r.url}"))
    try:
        page.goto((built_book.html / "search.html").resolve().as_uri() + "?q=kcna", wait_until="load")
        results = wait_for_results(page)
    finally:
        context.close()
    assert len(results) >= 5, results
    assert all(summary for _, summary in results), [href for href, summary in results if not summary]
    assert any("kcna" in summary.lower() for _, summary in results)
    assert messages == []


@pytest.mark.browser
def test_served_search_fetches_no_page(browser, site):
    """Served, the summaries come from the same file: one search no longer downloads every page."""
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(site.url + "search.html?q=kcna", wait_until="load")
        results = wait_for_results(page)
    finally:
        context.close()
    assert results and all(summary for _, summary in results)
    assert [url for url in requested if url.split("?")[0].endswith(".html")] == [site.url + "search.html?q=kcna"]


PAGE = """<html><body><nav>Sidebar</nav><main role="main"><article class="bd-article">
<section id="intro"><span id="intro-label"></span><h1>Intro<a class="headerlink" href="#intro">#</a></h1>
<p>First words of the <span class="rd-term"><a>page</a><span class="rd-tip">a definition</span></span>.</p>
<table><tr><td>cell</td><td>next</td></tr></table>
<section id="part"><h2>Part</h2><p>%s</p>
<div class="exercise admonition" id="ex-1"><p>Do the exercise.</p></div></section>
<section id="last"><h2>Last</h2><p>The end.</p></section></section>
<script>var hidden = 1;</script></article></main></body></html>"""


def test_search_text_ranges_follow_the_page():
    runs, spans = search.page_runs(PAGE % "Long words here.", {"intro-label", "part", "ex-1", "last", "gone"})
    text, ranges = search._joined(runs, spans, limit=1000)
    assert text.startswith("Intro First words of the page. cell next Part")
    assert "definition" not in text and "#" not in text and "hidden" not in text and "Sidebar" not in text
    assert text[slice(*ranges["part"])] == "Part Long words here. Do the exercise."
    assert text[slice(*ranges["ex-1"])] == "Do the exercise."
    assert text[slice(*ranges["last"])] == "Last The end."
    assert text[slice(*ranges["intro-label"])] == text  # a label's empty marker: its section's text
    assert "gone" not in ranges


def test_search_text_is_cut_to_the_budget_and_decodes():
    long = " ".join(f"word{i}" for i in range(3000))
    pages = {"a": search.page_runs(PAGE % long, {"part", "last"}), "b": search.page_runs(PAGE % "Short.", {"part"})}
    whole, limit = search.fitted(pages, 10**7)
    assert limit >= len(long)
    encoded, limit = search.fitted(pages, 4000)
    assert len(encoded) <= 4000 and search.MIN_RUN <= limit < len(long)
    data = json.loads(gzip.decompress(base64.b64decode(encoded)))
    text, ranges = data["a"]
    part = text[slice(*ranges["part"])]
    assert part.startswith("Part word0 word1") and part.endswith("\u2026")
    assert text[slice(*ranges["last"])] == "Last The end."
    assert data["b"][0].endswith("Part Short. Do the exercise. Last The end.")


def test_search_index_anchors():
    index = {
        "docnames": ["a", "b"],
        "alltitles": {"Intro": [[0, "intro"], [1, None]]},
        "indexentries": {"term": [[1, "term-x", 0, "main", None]]},
    }
    assert search.index_anchors(f"Search.setIndex({json.dumps(index)})") == {"a": {"intro"}, "b": {"term-x"}}


def test_external_links_are_unescaped_and_marked():
    """MyST escapes ``&`` in an address, and the HTML writer escapes it again: unescaped once. A
    link that shows its own address is marked, so that print does not repeat the address."""
    from docutils import nodes
    from docutils.utils import new_document

    from reading_deterrence.shaping import markup

    doctree = new_document("page")
    query = nodes.reference("", "a source", refuri="https://example.org/a?x=1&amp;y=2")
    bare = nodes.reference("", "https://example.org/b", refuri="https://example.org/b/")
    internal = nodes.reference("", "p01s01", refuri="article.html#p01s01")
    doctree += nodes.paragraph("", "", query, bare, internal)
    markup.fix_external_links(None, doctree, "page")
    assert query["refuri"] == "https://example.org/a?x=1&y=2" and "rd-url" not in query["classes"]
    assert "rd-url" in bare["classes"] and "rd-url" not in internal["classes"]
