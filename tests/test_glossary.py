"""The glossary: every term defined is used, state-media terms carry Korean and sources, the first
use of a term on a page is linked by itself (forms listed in the data, never guessed), and the
definition appears on hover, on keyboard focus and on a tap, dismissible with Escape, inside the
window even on a 360 px phone."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import AXE, ROOT
from reading_deterrence import DataError, load
from reading_deterrence.rendering.terms import TermMatcher, abbreviations, forms_of, matcher, stands_for
from test_sphinxext import tiny_book
from tools.audit import AXE_SCRIPT


def test_state_media_terms_give_korean_kcna_english_and_sources():
    table = load("glossary")
    for row in table[table["topic"] == "state-media"].itertuples():
        assert not pd.isna(row.korean) and not pd.isna(row.kcna_english), row.term
        assert not pd.isna(row.source_ids), row.term


def test_every_term_can_be_linked():
    """Each term is linked somewhere with {term}, or has forms that link it at their first use."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "chapters").rglob("*.md"))
    linked = {m.group(2) or m.group(1) for m in re.finditer(r"\{term\}`([^`<]+?)(?:\s*<([^>]+)>)?`", text)}
    linked = {t.strip().casefold() for t in linked}
    table = load("glossary")
    missing = [t for t, f in zip(table["term"], table["forms"]) if t.casefold() not in linked and not forms_of(f)]
    assert missing == [], f"never linked with {{term}} and no forms to link it by itself: {missing}"


# --- which words link: the matcher ------------------------------------------------------------------

FORMS = {
    "AP": ["AP", "Associated Press"],
    "sanctions": ["sanctions", "sanction"],
    "extended deterrence": ["extended deterrence"],
    "deterrence": ["deterrence"],
    "Workers' Party of Korea": ["Workers' Party of Korea", "Workers' Party", "WPK"],
    "ICBM": ["ICBM", "ICBMs", "intercontinental ballistic missile"],
    "[sic]": ["[sic]"],
}


def uses(text: str, done=None) -> list[tuple[str, str]]:
    found = TermMatcher(FORMS).first_uses(text, set() if done is None else done)
    return [(text[u.start : u.end], u.term) for u in found]


def test_abbreviations_match_only_as_written_and_whole_words():
    assert uses("AP said; the ap and Ap do not; nor does APT or CAP.") == [("AP", "AP")]
    assert uses("The ap-style report.") == []
    assert uses("An ICBMs launch, then an ICBM.") == [("ICBMs", "ICBM")]


def test_lower_case_forms_also_match_at_the_start_of_a_sentence_but_not_in_capitals():
    assert uses("Sanctions bite.") == [("Sanctions", "sanctions")]
    assert uses("SANCTIONS bite.") == []


def test_only_listed_forms_link_and_the_longest_wins():
    assert uses("the sanctioned firms") == []  # not listed: never guessed
    assert uses("extended deterrence, then deterrence") == [
        ("extended deterrence", "extended deterrence"),
        ("deterrence", "deterrence"),
    ]
    # a term already linked keeps its words: the "deterrence" inside it does not link
    assert uses("extended deterrence again", done={"extended deterrence"}) == []


def test_apostrophes_spaces_and_brackets():
    assert uses("the Workers’ Party\nof Korea") == [("Workers’ Party\nof Korea", "Workers' Party of Korea")]
    assert uses("“alternation [sic]”") == [("[sic]", "[sic]")]


def test_first_use_only_across_a_page():
    done: set[str] = set()
    assert uses("AP and AP", done) == [("AP", "AP")]
    assert uses("Associated Press", done) == []


def test_a_form_of_two_terms_is_a_data_error(tmp_path):
    import shutil

    from conftest import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    glossary = data / "glossary.csv"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace(",ID; IDs\n", ",ID; IDs; AP\n"), encoding="utf-8")
    with pytest.raises(DataError, match=r"glossary.csv, row \d+, column 'forms': 'AP' is already a form of 'AP'"):
        matcher(data)


def test_an_abbreviation_begins_with_what_it_stands_for():
    table = load("glossary")
    for term, definition in zip(table["term"], table["definition"]):
        if re.fullmatch(r"[A-Z]{2,}", term):
            assert stands_for(term, definition), f"{term}: begin the definition with what it stands for, then ':'"
    listed = abbreviations().text
    assert "- {term}`ICBM`: Intercontinental ballistic missile" in listed
    assert "- {term}`DPRK`: Democratic People's Republic of Korea" in listed


def test_definitions_explain_their_own_abbreviations():
    """A tooltip is read where the term is used: an abbreviation in it must be a glossary term or
    spelled out in it."""
    import html

    from test_abbreviations import glossary_matcher, unexplained

    forms, names = glossary_matcher()
    table = load("glossary")
    for term, definition in zip(table["term"], table["definition"]):
        page = f"<article class='bd-article'><p>{html.escape(definition)}</p></article>"
        assert unexplained(page, forms, names) == {}, term


def test_every_new_term_is_sourced():
    """Issue 17's terms (news, Korea, abbreviations) each give a work or a source."""
    table = load("glossary")
    for row in table[table["topic"] == "korea"].itertuples():
        assert not (pd.isna(row.reference) and pd.isna(row.source_ids)), row.term


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


AUTO_PAGE = """# The KCNA report

A first paragraph on deterrence and KCNA: KCNA again, and compellence.

```
KCNA in code
```

:::{admonition} A fold on KCNA
:class: dropdown
KCNA inside the fold, and extended deterrence.
:::

:::{admonition} Another fold
:class: dropdown
Extended deterrence again, in a second fold.
:::

Then {term}`compellence` by the author, and compellence again; `KCNA` inline code. Then
extended
deterrence, its words cut by line breaks in the source.

| KCNA | Cell |
|---|---|
| A KCNA cell | extended deterrence |
"""

AUTO_GLOSSARY = """# Glossary

```{glossary}
Deterrence
  x

Compellence
  y

KCNA
  z

Extended deterrence
  w
```

Here deterrence is not linked by itself.
"""


@pytest.fixture(scope="module")
def auto_book(tmp_path_factory):
    build = tiny_book(tmp_path_factory.mktemp("auto"))
    code, warnings, out = build({"glossary": AUTO_GLOSSARY, "auto": AUTO_PAGE})
    assert code == 0, warnings
    return out


def term_links(html: str) -> list[tuple[str, str, bool]]:
    """(anchor, link text, made automatically) for each term with a tooltip, in page order."""
    page = BeautifulSoup(html, "html.parser")
    return [
        (box.a["href"].rpartition("#")[2], box.a.get_text(), "rd-term-auto" in box["class"])
        for box in page.select("span.rd-term")
    ]


def test_the_first_use_of_each_term_is_linked_once(auto_book):
    links = term_links((auto_book / "auto.html").read_text(encoding="utf-8"))
    assert links == [
        ("term-Deterrence", "deterrence", True),
        ("term-KCNA", "KCNA", True),
        ("term-Compellence", "compellence", True),
        # a fold starts from what was linked before it: only its own new term, once for all folds
        ("term-Extended-deterrence", "extended deterrence", True),
        ("term-Compellence", "compellence", False),  # the author's link stays as written
        # first use outside the fold, though line breaks cut it (MyST makes each line a Text node)
        ("term-Extended-deterrence", "extended\ndeterrence", True),
    ]


def test_titles_code_table_headers_and_the_glossary_page_are_left_alone(auto_book):
    page = BeautifulSoup((auto_book / "auto.html").read_text(encoding="utf-8"), "html.parser")
    for selector in ("h1", "pre", "code", "th", "p.admonition-title"):
        for node in page.select(selector):
            assert not node.select(".rd-term"), (selector, node)
    glossary = (auto_book / "glossary.html").read_text(encoding="utf-8")
    assert "rd-term-auto" not in glossary


def test_automatic_links_carry_the_definition_like_an_authors(auto_book):
    definition = dict(zip(load("glossary")["term"], load("glossary")["definition"]))
    html = (auto_book / "auto.html").read_text(encoding="utf-8")
    tips = tooltips(html)  # also checks ids and aria-describedby
    assert tips[1] == ("glossary.html#term-KCNA", "KCNA", definition["KCNA"])


@pytest.fixture
def page(browser, site, request):
    context = browser.new_context(**getattr(request, "param", {}))
    page = context.new_page()
    page.goto(site.url + "chapters/02-who-speaks/index.html")
    page.wait_for_load_state("networkidle")
    yield page
    context.close()


RELAY_CHAIN = '.rd-term:has(> a[href$="#term-relay-chain"])'


@pytest.mark.browser
def test_definition_shows_on_hover_and_focus_and_hides_on_escape(page):
    term = page.locator(RELAY_CHAIN).first
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
    # a mouse click still follows the link to the glossary
    term.locator("a").click()
    page.wait_for_url("**/reference/glossary.html#term-relay-chain")


@pytest.mark.browser
@pytest.mark.parametrize("page", [{"color_scheme": "light"}, {"color_scheme": "dark"}], indirect=True, ids=["light", "dark"])
def test_axe_with_a_definition_showing(page):
    page.locator(".rd-term a").first.focus()
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_SCRIPT) == []


PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


@pytest.mark.browser
@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_a_tap_shows_the_definition_and_stays_on_the_page(page):
    url = page.url
    term = page.locator(RELAY_CHAIN).first
    tip = term.locator(".rd-tip")
    link = term.locator("> a")
    link.tap()
    assert page.url == url, "a tap must not leave the page"
    assert tip.is_visible() and tip.inner_text().startswith("The sequence of people")
    assert link.get_attribute("aria-expanded") == "true"
    # with a link in it, the open definition is a group, not a tooltip; closed, a tooltip again
    assert tip.get_attribute("role") == "group"
    # inside the window: not cut off, no sideways scroll
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["y"] >= 0 and box["y"] + box["height"] <= 740
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # the glossary is one more tap away
    more = tip.get_by_role("link", name="In the glossary")
    assert more.get_attribute("href").endswith("#term-relay-chain")
    # a second tap closes it, and so does a tap elsewhere
    link.tap()
    assert not tip.is_visible() and page.url == url
    assert tip.get_attribute("role") == "tooltip"
    link.tap()
    assert tip.is_visible()
    page.locator("article h1").first.tap()
    assert not tip.is_visible() and page.url == url
    link.tap()
    more.tap()
    page.wait_for_url("**/reference/glossary.html#term-relay-chain")


@pytest.mark.browser
@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["phone"])
def test_every_definition_fits_a_phone(page):
    """Open each definition on the page by focus and measure it against the window."""
    terms = page.locator(".rd-term")
    assert terms.count() > 5
    for i in range(terms.count()):
        term = terms.nth(i)
        term.locator("> a").focus()
        box = term.locator(".rd-tip").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, (i, box)
        page.keyboard.press("Escape")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


# --- the book ---------------------------------------------------------------------------------------


def test_chapter_pages_define_terms_where_they_are_first_used(built_book):
    """Every chapter page whose running text uses a glossary term has a tooltip for it; no term
    is linked automatically twice on a page outside folds; every term is used somewhere."""
    used_anywhere: set[str] = set()
    for path in sorted((built_book.html / "chapters").rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if path.name == "glossary.html":
            continue
        used_anywhere.update(box.a["href"].rpartition("#")[2] for box in page.select("span.rd-term"))
        folds = page.select("details, .dropdown, .toggle")
        folded = {id(b) for fold in folds for b in fold.select("span.rd-term-auto")}
        outside = [b.a["href"].rpartition("#")[2] for b in page.select("span.rd-term-auto") if id(b) not in folded]
        inside = [b.a["href"].rpartition("#")[2] for b in page.select("span.rd-term-auto") if id(b) in folded]
        assert len(outside) == len(set(outside)), f"{path.name}: a term linked twice automatically"
        assert len(inside) == len(set(inside)), f"{path.name}: a term linked automatically in two folds"
    chapter_one = (built_book.html / "chapters" / "01-the-case" / "index.html").read_text(encoding="utf-8")
    for anchor in ("term-AP", "term-KCNA", "term-ICBM"):
        assert f"#{anchor}" in chapter_one, anchor
    glossary = BeautifulSoup((built_book.html / "chapters/reference/glossary.html").read_text(encoding="utf-8"), "html.parser")
    entries = {dt["id"]: dt.get_text(" ", strip=True).rstrip("#").strip() for dt in glossary.select("dl.glossary dt[id]")}
    unused = sorted(text for anchor, text in entries.items() if anchor not in used_anywhere)
    assert unused == [], f"glossary terms no page uses: {unused}"


def test_words_inside_quotation_marks_are_not_linked():
    """The source's words stay as the source wrote them: a term inside quotation marks (curly or
    straight, and one opened in an earlier piece of the paragraph) is not its first use."""
    from reading_deterrence.rendering.terms import TermMatcher, quoted_spans

    found = TermMatcher({"war deterrent": ["war deterrent"], "ICBM": ["ICBM", "ICBMs"]})
    text = "KCNA spoke of the \u201cwar deterrent\u201d and of ICBMs; the war deterrent again."
    spans, still_open = quoted_spans(text)
    assert not still_open and [text[s:e] for s, e in spans] == ["\u201cwar deterrent\u201d"]
    uses = found.first_uses(text, set(), spans)
    assert [(text[u.start : u.end], u.term) for u in uses] == [("ICBMs", "ICBM"), ("war deterrent", "war deterrent")]
    assert uses[1].start > text.index("ICBMs")  # the use outside the marks, not the quoted one
    spans, still_open = quoted_spans('he said "the war deterrent')
    assert still_open and found.first_uses('he said "the war deterrent', set(), spans) == []
    spans, _ = quoted_spans("war deterrent is\u201d here", inside=True)
    assert found.first_uses("war deterrent is\u201d here", set(), spans) == []


def test_a_hyphen_joins_words():
    from reading_deterrence.rendering.terms import TermMatcher

    found = TermMatcher({"deterrence": ["deterrence"]})
    assert [u.term for u in found.find_all("self-deterrence and deterrence-minded")] == []
    assert [u.term for u in found.find_all("deterrence, by denial")] == ["deterrence"]


# --- no term used before its link, on the chapters of the core route ---------------------------------

#: What the linker never links by design: titles, code, quotations set as blocks, table headers,
#: captions, terms of definition lists, legends and labels (self-checks), the tooltips themselves,
#: boxes of definitions, and HTML written out whole (the relay-chain figure, the words lab).
UNLINKED = (
    "h1, h2, h3, h4, h5, h6, pre, code, blockquote, th, caption, figcaption, dt, legend, label, summary, "
    "p.admonition-title, .rd-tip, .rd-vocabulary, .rd-event-cards, .math, script, style, svg, dl.glossary, "
    ".rd-relay, .rd-words-app"
)
#: Folds: what is inside may be read without what is before it, so the linker links their terms
#: apart from the page's flow; they are left out of this check.
FOLDS = "details, .dropdown, .toggle, .rd-going-further"
CORE_CHAPTERS = ("01-the-case", "03-state-media", "04-deterrence")


def running_blocks(html: str) -> list[list[tuple[str, str | None]]]:
    """The running text of a page's article, block by block (paragraph, item, cell), as pieces of
    (text, link): link is None outside links, the anchor of a term link, or "" for another link."""
    from bs4 import NavigableString

    body = BeautifulSoup(html, "html.parser").select_one("article.bd-article")
    skipped = {id(node) for node in body.select(f"{UNLINKED}, {FOLDS}")}
    blocks: dict[int, list[tuple[str, str | None]]] = {}
    for string in body.find_all(string=True):
        if type(string) is not NavigableString:
            continue  # comments, CDATA
        parents = list(string.parents)
        if any(id(p) in skipped for p in parents):
            continue
        block = next(p for p in parents if p.name in {"p", "li", "td", "dd", "div", "article"})
        link = next((p for p in parents if p.name == "a"), None)
        href = link.get("href", "") if link is not None else None
        anchor = None if href is None else (href.rpartition("#")[2] if "#term-" in href else "")
        blocks.setdefault(id(block), []).append((str(string), anchor))
    return list(blocks.values())


def unlinked_first_uses(html: str, found: TermMatcher, term_of_anchor: dict[str, str]) -> list[tuple[str, str]]:
    """(term, words) for each term whose first use in the page's running text is not inside a
    link to it. A block's text is read whole, link words included, so that a form cut by a line
    break in the source ("NY" / "Breaking") or caught inside a longer form counts."""
    from reading_deterrence.rendering.terms import quoted_spans

    done: set[str] = set()
    missing: list[tuple[str, str]] = []
    for pieces in running_blocks(html):
        text, spans, position = "", [], 0
        for piece, anchor in pieces:
            spans.append((position, position + len(piece), anchor))
            text, position = text + piece, position + len(piece)
        quoted, _ = quoted_spans(text)
        # events in reading order: a link to a term (0), or a use of one of its forms (1)
        events = [(s, 0, term_of_anchor[a], None) for s, _, a in spans if a in term_of_anchor]
        for use in found.find_all(text):
            under = {a for s, e, a in spans if s < use.end and e > use.start}
            if "" in under or any(s <= use.start < e for s, e in quoted):
                continue  # inside another link (a name, a title) or inside quotation marks
            events.append((use.start, 1, use.term, (text[use.start : use.end], under)))
        for _, kind, term, use in sorted(events, key=lambda e: (e[0], e[1])):
            if kind == 1 and term not in done and not any(term_of_anchor.get(a) == term for a in use[1]):
                missing.append((term, use[0]))
            done.add(term)
    return missing


def glossary_anchors(html) -> dict[str, str]:
    """Anchor of each term's entry on the built glossary page -> the term, as glossary.csv spells it."""
    terms = {term.casefold(): term for term in load("glossary")["term"]}
    page = BeautifulSoup((html / "chapters/reference/glossary.html").read_text(encoding="utf-8"), "html.parser")
    found = {}
    for dt in page.select("dl.glossary dt[id]"):
        name = dt.get_text(" ", strip=True).rstrip("#").strip().casefold()
        if name in terms:
            found[dt["id"]] = terms[name]
    return found


def test_no_term_is_used_before_its_link_on_the_core_chapters(site):
    """On each page of chapters 1, 3 and 4, the first use of every glossary term in the running text
    (outside quotation marks, folds and what the linker leaves alone by design) is its link."""
    html = site.root
    anchors = glossary_anchors(html)
    assert len(anchors) == len(load("glossary")), "every glossary term has an entry on the built page"
    found = matcher()
    report = {}
    for chapter in CORE_CHAPTERS:
        pages = sorted((html / "chapters" / chapter).glob("*.html"))
        assert pages, chapter
        for path in pages:
            missing = unlinked_first_uses(path.read_text(encoding="utf-8"), found, anchors)
            if missing:
                report[f"{chapter}/{path.name}"] = missing
    assert report == {}, f"terms used before (or without) their link: {report}"
