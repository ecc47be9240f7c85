"""Print the book's handouts to PDF: ``python -m tools.handouts _build/html``.

Each handout is a page of the built book, styled for print (``@media print`` in
``reading-deterrence.css``); its PDF is headless Chromium's print of that page, A4. The pages to
print are listed by the build itself in ``handouts/manifest.json`` (the ``{handout-pdf}``
directive writes it), and the PDFs go beside it, so a link from a page to
``handouts/NAME.pdf`` works as soon as this has run.

Pages can say how long a PDF is (the ``{pdf}`` role leaves an empty
``<span class="rd-pdf-pages" data-pdf="NAME">``): after a first printing, the page counts are
written into every page of the build, and the pages that show a count are printed again, so that
a teacher's sheet printed on paper says how many pages each handout has.

Why our own script: Jupyter Book's ``pdfhtml`` builder drives pyppeteer, which downloads its own
Chromium (no network here) and prints the whole book as one document; we need one PDF per page,
from the Chromium the tests already use, with no download.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.audit import CHROMIUM, launch
from tools.serve import Background

MANIFEST = Path("handouts") / "manifest.json"
#: Links inside the book become plain text in the PDF: printed from a local server, they would
#: point at that server (http://127.0.0.1:PORT/...), which is gone when the PDF is opened. Links
#: to other sites stay, and print their address after them.
UNLINK_LOCAL = """base => {
  for (const a of document.querySelectorAll('a[href]')) {
    if (a.href.startsWith(base)) a.removeAttribute('href');
  }
}"""
PLACEHOLDER = re.compile(r'(<span class="rd-pdf-pages" data-pdf="(?P<name>[^"]+)">)[^<]*(</span>)')


@dataclass(frozen=True)
class Handout:
    name: str  # the PDF's file name, e.g. lesson-2-1-student.pdf
    page: str  # the HTML page, relative to the build folder
    title: str
    edition: str


def read_manifest(html: Path) -> list[Handout]:
    path = html / MANIFEST
    if not path.is_file():
        raise SystemExit(f"{path}: no handout manifest; build the book first (make book)")
    handouts = [Handout(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))]
    missing = [h.page for h in handouts if not (html / h.page).is_file()]
    if missing:
        raise SystemExit(f"{path}: pages listed but not built: {', '.join(missing)}")
    return handouts


def pdf_name(name: str) -> str:
    return name if name.endswith(".pdf") else f"{name}.pdf"


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def print_pages(browser, base_url: str, html: Path, handouts: list[Handout]) -> None:
    """Print each handout's page to ``handouts/NAME.pdf`` (A4, the page's own @page margins)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        for handout in handouts:
            page.goto(f"{base_url}{handout.page}", wait_until="load")
            page.emulate_media(media="print")
            page.evaluate(UNLINK_LOCAL, base_url)
            page.evaluate("document.fonts.ready.then(() => true)")
            page.pdf(
                path=str(html / "handouts" / pdf_name(handout.name)),
                format="A4",
                print_background=True,
                prefer_css_page_size=True,
                tagged=True,
                outline=True,
            )
    finally:
        context.close()


def fill_counts(html: Path, counts: dict[str, int]) -> set[str]:
    """Write each PDF's page count into the placeholders of every page; return the pages changed."""
    changed = set()
    unknown = set()

    def count(match: re.Match) -> str:
        name = pdf_name(match["name"])
        if name not in counts:
            unknown.add(name)
            return match[0]
        n = counts[name]
        return f"{match[1]}({n} page{'s' if n != 1 else ''}, A4){match[3]}"

    for path in html.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if 'class="rd-pdf-pages"' not in text:
            continue
        new = PLACEHOLDER.sub(count, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.add(path.relative_to(html).as_posix())
    if unknown:
        raise SystemExit(f"pages link to PDFs that no handout makes: {', '.join(sorted(unknown))}")
    return changed


def make_handouts(html: Path) -> dict[str, int]:
    """Print every handout, fill in the page counts, reprint the pages that show counts."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}: `sudo apt-get install chromium` (not `playwright install`)")
    handouts = read_manifest(html)
    wanted = {pdf_name(h.name) for h in handouts}
    for old in (html / "handouts").glob("*.pdf"):  # a handout the build no longer makes goes too
        if old.name not in wanted:
            old.unlink()
    with Background(html) as url, sync_playwright() as pw:
        browser = launch(pw)
        try:
            print_pages(browser, url, html, handouts)
            counts = {pdf_name(h.name): page_count(html / "handouts" / pdf_name(h.name)) for h in handouts}
            changed = fill_counts(html, counts)
            again = [h for h in handouts if h.page in changed]
            for _ in range(2):  # a count can change the length of the page that shows it: settle it
                if not again:
                    break
                print_pages(browser, url, html, again)
                new = {pdf_name(h.name): page_count(html / "handouts" / pdf_name(h.name)) for h in again}
                again = [h for h in again if new[pdf_name(h.name)] != counts[pdf_name(h.name)]]
                counts.update(new)
                fill_counts(html, counts)
        finally:
            browser.close()
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the built book's HTML folder")
    args = parser.parse_args(argv)
    counts = make_handouts(args.html)
    total = sum(counts.values())
    print(f"[handouts] {len(counts)} PDFs, {total} pages, in {args.html / 'handouts'}", file=sys.stderr)


if __name__ == "__main__":
    main()
