"""Files of the built site that no page template writes: the root page.

The book's first page is ``chapters/welcome.html``; sphinx-external-toc writes ``index.html`` as
a bare redirect (no doctype, no title, no language), which the HTML validator and Lighthouse
reject. This replaces it with a small valid page that redirects at once and, without redirects,
still offers a link.
"""

from __future__ import annotations

import html
from pathlib import Path

from sphinx.application import Sphinx

REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body>
<main>
<p><a href="{target}">{title}: start reading</a></p>
</main>
</body>
</html>
"""


def write_root_page(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler, after sphinx-external-toc's: a valid redirecting root page."""
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    title = html.escape(app.config.html_title or app.config.project)
    page = REDIRECT.format(
        lang=app.config.language or "en",
        title=title,
        description=f"{title}: an open teaching module. This page opens its first page.",
        target=html.escape(app.builder.get_target_uri(app.config.root_doc)),
    )
    Path(app.outdir, "index.html").write_text(page, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write_root_page, priority=900)
