"""Search summaries that work opened from a folder (file://), with no page fetched.

Sphinx's search page shows a summary under each result: it fetches the result's page and cuts
240 characters around the first search word. Opened from a folder, Chromium blocks every such
fetch (an error in the console for each result, and no summaries); served, one search downloads
every page it finds (about 2 MB for a common word).

At build-finished this module writes ``_static/search-text.js``: the plain text of each page's
article, as Sphinx's search would read it, with the character range of every element the search
index can point a result at (a section, an exercise), as JSON, gzipped and in base64 (about 2.5
times as much text fits the budget as in plain JSON; browsers since 2023 inflate it with
``DecompressionStream``). ``static/search-summaries.js``, loaded with it on the search page only,
answers the search's requests for those pages from it, so that Sphinx's own summary code runs
unchanged on text that is already there.

The text is cut to keep the search page within the page budget: each run of text between two
such elements keeps its first N characters, N chosen as large as the byte budget
(``reading_deterrence_search_text_bytes``) allows. A search word further into a long run then
gets a summary from the page's start, which is what Sphinx shows when it finds no word. The text
comes from the built pages, so an edition's file holds exactly what its pages do.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The file written, under ``_static/`` (its name is in :data:`assets.RULES` too).
FILENAME = "search-text.js"
#: Elements whose text Sphinx's search drops (``Search.htmlToText``), and ours: glossary tooltips
#: repeat a definition inside the sentence that uses the term.
DROPPED = ".headerlink, script, style, template, .rd-tip"
#: Elements whose edges separate words (Sphinx reads ``textContent``, which runs cells together).
BLOCKS = frozenset(
    "address article aside blockquote br dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr legend li main nav ol p pre section summary table tbody td tfoot th "
    "thead tr ul".split()
)
SPACE = re.compile(r"\s+")
ELLIPSIS = "\u2026"
#: The default budget of the file, in bytes: the search page also loads the search index (about
#: 140 kB, growing with the book) and the theme (about 300 kB), within a page budget of 600 kB.
SEARCH_TEXT_BYTES = 60_000
#: No run of text is cut shorter than this, whatever the budget.
MIN_RUN = 160


def _runs(article: Tag, targets: dict[int, list[str]]) -> tuple[list[str], list[tuple[str, int, int]]]:
    """The article's text as runs (text between the edges of the target elements) and, for each
    target's id, the run indexes its element covers: ``(id, first, end)``. ``targets`` maps an
    element (by ``id()``) to the ids that lead to it."""
    runs: list[str] = []
    spans: list[tuple[str, int, int]] = []
    buffer: list[str] = []

    def flush() -> None:
        text = SPACE.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            runs.append(text)

    def walk(node: Tag) -> None:
        for child in node.children:
            if type(child) is NavigableString:  # text, not a comment or a doctype
                buffer.append(str(child))
            if not isinstance(child, Tag):
                continue
            idents = targets.get(id(child))
            if idents:
                flush()
                first = len(runs)
                walk(child)
                flush()
                spans.extend((ident, first, len(runs)) for ident in idents)
                continue
            block = child.name in BLOCKS
            buffer.append(" " if block else "")
            walk(child)
            buffer.append(" " if block else "")

    walk(article)
    flush()
    return runs, spans


def _cut(run: str, limit: int) -> str:
    """``run`` cut to at most ``limit`` characters at a word's end, marked with an ellipsis."""
    if len(run) <= limit:
        return run
    head = run[: limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip() + ELLIPSIS


def _joined(runs: list[str], spans: list[tuple[str, int, int]], limit: int) -> list:
    """``[text, {id: [start, end]}]``: the runs cut to ``limit`` and joined by spaces, and each
    element's character range in that text (an element with no text of its own is left out)."""
    starts, text = [], ""
    for run in runs:
        if text:
            text += " "
        starts.append(len(text))
        text += _cut(run, limit)
    starts.append(len(text) + 1)
    ranges = {ident: [starts[first], starts[end] - 1] for ident, first, end in spans if end > first}
    return [text, ranges]


def page_runs(html: str, wanted: set[str]) -> tuple[list[str], list[tuple[str, int, int]]] | None:
    """The runs and spans (see :func:`_runs`) of a built page's article; None if it has none.

    An id on an empty element (a label's marker at the top of its section) leads to the element
    that holds it."""
    start, end = html.find('<article class="bd-article"'), html.rfind("</article>")
    if start >= 0 and end > start:  # the theme's article: parse only that (faster)
        html = html[start : end + len("</article>")]
    tree = BeautifulSoup(html, "html.parser")
    main = tree.select_one('[role="main"]') or tree
    article = main.select_one("article") or main.select_one("main")
    if article is None:
        return None
    for element in article.select(DROPPED):
        element.decompose()
    targets: dict[int, list[str]] = {}
    for ident in sorted(wanted):
        element = article.find(id=ident)
        if element is None:
            continue
        if not element.get_text(strip=True) and element.parent is not None:
            element = element.parent
        targets.setdefault(id(element), []).append(ident)
    return _runs(article, targets)


def index_anchors(searchindex: str) -> dict[str, set[str]]:
    """For each document in Sphinx's ``searchindex.js``, the ids its results can point at."""
    index = json.loads(searchindex[searchindex.index("(") + 1 : searchindex.rindex(")")])
    docnames = index["docnames"]
    anchors: dict[str, set[str]] = {name: set() for name in docnames}
    for entries in index.get("alltitles", {}).values():
        for doc, anchor in entries:
            if anchor:
                anchors[docnames[doc]].add(anchor)
    for entries in index.get("indexentries", {}).values():
        for doc, anchor, *_ in entries:
            if anchor:
                anchors[docnames[doc]].add(anchor)
    return anchors


def encode(data: dict) -> str:
    """``data`` as JSON, gzipped (reproducibly: no timestamp), in base64: the browser inflates it
    with ``DecompressionStream``. About 2.5 times as much text fits the budget as plain JSON."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.b64encode(gzip.compress(payload, compresslevel=9, mtime=0)).decode("ascii")


def fitted(pages: dict[str, tuple[list[str], list]], budget: int) -> tuple[str, int]:
    """The encoded text of ``pages`` (see :func:`encode`) with each run cut to the largest length
    (at least :data:`MIN_RUN` characters) that keeps it within ``budget`` bytes, and that length."""

    def at(limit: int) -> str:
        return encode({name: _joined(runs, spans, limit) for name, (runs, spans) in pages.items()})

    longest = max((len(run) for runs, _ in pages.values() for run in runs), default=MIN_RUN)
    best = at(longest)
    if len(best) <= budget:
        return best, longest
    low, high = MIN_RUN, longest
    while low < high:  # the largest limit that fits, by bisection
        middle = (low + high + 1) // 2
        if len(at(middle)) <= budget:
            low = middle
        else:
            high = middle - 1
    return at(low), low


def page_texts(outdir: Path) -> dict[str, tuple[list[str], list]]:
    """The runs and spans of every page in the search index that has an article."""
    anchors = index_anchors((outdir / "searchindex.js").read_text(encoding="utf-8"))
    pages = {}
    for docname, wanted in anchors.items():
        path = outdir / f"{docname}.html"
        if path.is_file():
            found = page_runs(path.read_text(encoding="utf-8"), wanted)
            if found is not None:
                pages[docname] = found
    return pages


#: The search page's link to the file, with any query (Sphinx's checksum of an earlier build's file).
SCRIPT_LINK = re.compile(r'(src="_static/' + re.escape(FILENAME) + r')(\?[^"]*)?"')


def address_script(page: Path, script: bytes) -> None:
    """Link ``page`` to the file by a digest of what was just written: Sphinx wrote the page before
    the file (its checksum, if any, is of the previous build's), and browsers may keep files under
    ``_static/`` while their URL stays the same."""
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")
    digest = hashlib.sha256(script).hexdigest()[:20]
    new = SCRIPT_LINK.sub(lambda m: f'{m.group(1)}?digest={digest}"', html)
    if new != html:
        page.write_text(new, encoding="utf-8")


def write_search_text(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: write ``_static/search-text.js`` for the search page."""
    outdir = Path(app.outdir)
    if exception is not None or app.builder.format != "html" or not (outdir / "searchindex.js").is_file():
        return
    pages = page_texts(outdir)
    encoded, limit = fitted(pages, app.config.reading_deterrence_search_text_bytes)
    script = f'window.RD_SEARCH_TEXT_GZ = "{encoded}";\n'
    (outdir / "_static" / FILENAME).write_text(script, encoding="ascii")
    address_script(outdir / "search.html", script.encode())
    logger.info(
        f"[search] {FILENAME}: {len(pages)} pages, {len(script) // 1024} KiB, runs of text cut at {limit} chars"
    )


def setup(app: Sphinx) -> None:
    app.add_config_value("reading_deterrence_search_text_bytes", SEARCH_TEXT_BYTES, "html", types=[int])
    app.add_js_file(FILENAME, loading_method="defer")
    app.add_js_file("search-summaries.js", loading_method="defer")
    app.connect("build-finished", write_search_text, priority=800)
