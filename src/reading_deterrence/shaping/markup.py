"""Fixes to the markup of sphinx-book-theme and sphinx-exercise, made from inside the book (the
installed packages are never edited).

- Template overrides in ``templates/`` (used only with sphinx-book-theme): the layout without the
  1.5 MB icon script and the every-page search index; the search button without a mismatched
  ``aria-label``; the logo inside a landmark.
- The sidebar's expand/collapse toggles get a text label (axe ``summary-name``): the theme builds
  them as ``<summary>`` elements holding only a decorative icon.
- A favicon, so that browsers do not ask for a missing ``/favicon.ico`` (a console error).
- docutils marks each bibliography entry ``role="doc-biblioentry"`` (a deprecated ARIA role)
  inside a ``role="list"``, which then has no list items (axe, critical): they become
  ``role="listitem"``.
- The theme's download menu always offers the page's source file, even when the book does not
  copy sources (``html_copy_source = False``, so that a student edition cannot leak solutions):
  the entry is dropped then, since its link would lead nowhere.
- pandas puts a ``<style scoped>`` block inside every table a notebook displays; the attribute is
  obsolete and a style element there is invalid HTML. The blocks are removed and their two
  alignment rules live in the book's stylesheet instead.
- sphinx-exercise gives the body of every exercise the same HTML id (``exercise-content``, and
  ``solution-content`` for solutions): with two exercises on a page the HTML is invalid. Each gets
  an id derived from its own exercise's id instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"

#: A sidebar link followed by the <summary> that toggles its sub-pages.
NAV_TOGGLE = re.compile(r'(<a class="[^"]*\breference internal\b[^"]*"[^>]*>)([^<]+)(</a><details[^>]*><summary>)')


def label_nav_toggles(html: str) -> str:
    """Give every sidebar toggle a visually hidden label naming the page whose sections it shows."""
    return NAV_TOGGLE.sub(
        lambda m: f'{m.group(1)}{m.group(2)}{m.group(3)}'
        f'<span class="visually-hidden">Sections of {m.group(2).strip()}</span>',
        html,
    )


def configure(app: Sphinx, config) -> None:
    """Add our static files and template overrides, and a favicon if the book has none."""
    config.html_static_path.append(str(STATIC))
    if config.html_theme == "sphinx_book_theme":  # the overrides extend that theme's templates
        config.templates_path.insert(0, str(TEMPLATES))
    if not config.html_favicon:
        config.html_favicon = str(STATIC / "favicon.svg")


def wrap_toctree(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Post-process the theme's sidebar HTML (see :func:`label_nav_toggles`)."""
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def labelled(*args, **kwargs):
        # the theme returns a string or a BeautifulSoup tree; templates only print it
        return label_nav_toggles(str(generate(*args, **kwargs)))

    context["generate_toctree_html"] = labelled


SHARED_IDS = ("exercise-content", "solution-content")


def unique_exercise_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` handler: make sphinx-exercise's shared body ids unique on the page."""
    taken: set[str] = set()
    for section in doctree.findall(nodes.section):
        shared = [i for i in section["ids"] if i in SHARED_IDS]
        if not shared:
            continue
        owner = section.parent.get("ids") if section.parent is not None else None
        base = re.sub(r"[^\w-]+", "-", f"{owner[0]}-content") if owner else shared[0]
        new, n = base, 1
        while new in taken:
            n += 1
            new = f"{base}-{n}"
        taken.add(new)
        section["ids"] = [new if i in SHARED_IDS else i for i in section["ids"]]


PANDAS_STYLE = re.compile(r"<style scoped>\s*\.dataframe.*?</style>\s*", re.S)


def drop_pandas_styles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` handler: remove the style blocks pandas writes into table outputs."""
    body = context.get("body", "")
    if "<style scoped>" in body:
        context["body"] = PANDAS_STYLE.sub("", body)


def fix_citation_roles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` handler: bibliography entries are list items of the citation list."""
    body = context.get("body", "")
    if 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def drop_source_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` handler (after the theme's): no source download without sources."""
    if app.config.html_copy_source:
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"] = [
                b for b in button["buttons"] if b.get("label") not in ("download-source-button", "download-notebook-button")
            ]


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", drop_pandas_styles)
    app.connect("html-page-context", drop_source_download, priority=900)
    app.connect("html-page-context", fix_citation_roles)
    app.connect("doctree-resolved", unique_exercise_ids)
    app.connect("config-inited", configure)
    app.connect("html-page-context", wrap_toctree, priority=900)
