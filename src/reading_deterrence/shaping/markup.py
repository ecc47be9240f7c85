"""Fixes to the markup of sphinx-book-theme and sphinx-exercise, made from inside the book (the
installed packages are never edited).

- Template overrides in ``templates/`` (used only with sphinx-book-theme): the layout without the
  1.5 MB icon script and the every-page search index; the search button without a mismatched
  ``aria-label``; the logo inside a landmark; the footer's byline with a link to the About page
  (``reading_deterrence_about``, a docname; no link if the book has no such page).
- The sidebar's expand/collapse toggles get a text label (axe ``summary-name``): the theme builds
  them as ``<summary>`` elements holding only a decorative icon. The theme hands its sidebar over
  as a BeautifulSoup tree, which is labelled in place.
- A favicon, so that browsers do not ask for a missing ``/favicon.ico`` (a console error).
- docutils marks each bibliography entry ``role="doc-biblioentry"`` (a deprecated ARIA role)
  inside a ``role="list"``, which then has no list items (axe, critical): they become
  ``role="listitem"`` (the HTML translator writes that role, so only a page body that has it is
  parsed, with BeautifulSoup, and changed).
- The theme's download menu always offers the page's source file, even when the book does not
  copy sources (``html_copy_source = False``, so that a student edition cannot leak solutions):
  the entry is dropped then, since its link would lead nowhere.
- pandas puts a ``<style scoped>`` block inside every table a notebook displays; the attribute is
  obsolete and a style element there is invalid HTML. The blocks are removed from the resolved
  doctree (only the raw HTML outputs that hold one are parsed) and their two alignment rules
  live in the book's stylesheet instead.
- In print, the stylesheet writes a source's address after its link; a link whose text is its
  address already gets the class ``rd-url``, so that the address does not print twice.
- MyST (3.0) hands docutils a link's address with ``&`` already escaped as ``&amp;``, which the
  HTML writer escapes again: ``href="...?a=1&amp;amp;b=2"`` leads to ``?a=1&amp;b=2``, the wrong
  page, and prints so. The address is unescaped once in the doctree.
- sphinx-exercise gives the body of every exercise the same HTML id (``exercise-content``, and
  ``solution-content`` for solutions): with two exercises on a page the HTML is invalid. Each gets
  an id derived from its own exercise's id instead.
- A table wider than a phone (360 px) must not make the page scroll sideways: every table scrolls
  in its own box, a labelled, focusable region (``<div class="rd-scroll" role="region"
  aria-label="…" tabindex="0">``: keyboard users can scroll it, axe ``scrollable-region-focusable``)
  named by the table's caption, else by the nearest heading before it. The theme already puts
  docutils tables in a scrolling ``<div>``, which becomes the region; other tables (pandas outputs,
  raw HTML) get one around them. The page body is parsed with BeautifulSoup only to find the
  tables; the regions are written into the text as it was (no other byte of the page changes).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from docutils import nodes
from sphinx.application import Sphinx

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"


def _page_link(tag: Tag | None) -> bool:
    """Whether ``tag`` is a sidebar link to a page (``<a class="reference internal">``)."""
    return tag is not None and tag.name == "a" and {"reference", "internal"} <= set(tag.get("class") or ())


def label_toggles(tree: Tag) -> int:
    """Give every sidebar toggle in ``tree`` a visually hidden label naming the page whose sections
    it shows, in place; returns how many it labelled. A toggle is the ``<summary>`` that opens a
    ``<details>`` right after a link to a page. Toggles labelled already are left alone (the theme
    caches its tree: it may come back to us twice)."""
    factory = BeautifulSoup("", "html.parser")
    added = 0
    for details in tree.find_all("details"):
        summary, link = details.find(True, recursive=False), details.find_previous_sibling(True)
        if summary is None or summary.name != "summary" or not _page_link(link):
            continue
        first = summary.find(True, recursive=False)
        if first is not None and "visually-hidden" in (first.get("class") or ()):
            continue
        name = " ".join(link.get_text().split())
        label = factory.new_tag("span", attrs={"class": "visually-hidden"})
        label.string = f"Sections of {name}"
        summary.insert(0, label)
        added += 1
    return added


def label_nav_toggles(html: str) -> str:
    """The sidebar HTML with every toggle labelled (see :func:`label_toggles`); as it was if it has
    no toggle to label."""
    tree = BeautifulSoup(html, "html.parser")
    return str(tree) if label_toggles(tree) else html


def configure(app: Sphinx, config) -> None:
    """Add our static files and template overrides, and a favicon if the book has none."""
    # New lists, never in-place changes: Sphinx's defaults are shared by every build in a process,
    # and an insert into the default list would leak our templates into the next (test) build.
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    if config.html_theme == "sphinx_book_theme":  # the overrides extend that theme's templates
        config.templates_path = [str(TEMPLATES), *config.templates_path]
    if not config.html_favicon:
        config.html_favicon = str(STATIC / "favicon.svg")


def about_link(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Give the footer template the About page's address relative to this page (``rd_about``)."""
    about = app.config.reading_deterrence_about
    if not about or about not in app.env.found_docs:
        context["rd_about"] = None
        return
    current = pagename == about
    href = context["pathto"](about)
    if current or href in ("", "#"):  # Sphinx gives "#" for the page itself
        href = about.rsplit("/", 1)[-1] + app.builder.out_suffix
    context["rd_about"] = {"href": href, "current": current}


def wrap_toctree(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Post-process the theme's sidebar HTML (see :func:`label_nav_toggles`)."""
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def labelled(*args, **kwargs):
        # the theme returns a BeautifulSoup tree (labelled in place) or a string; templates print it
        tree = generate(*args, **kwargs)
        if isinstance(tree, Tag):
            label_toggles(tree)
            return str(tree)
        return label_nav_toggles(str(tree))

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


def _bare(url: str) -> str:
    return re.sub(r"^[a-z]+://(www\.)?", "", url.strip()).rstrip("/")


def fix_external_links(app: Sphinx | None, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` handler: external addresses unescaped (``&amp;`` is ``&``), and links
    that show their own address marked ``rd-url``."""
    for node in doctree.findall(nodes.reference):
        uri = node.get("refuri", "")
        if not uri.startswith(("http://", "https://")):
            continue
        uri = node["refuri"] = uri.replace("&amp;", "&")
        if _bare(node.astext()) == _bare(uri) and "rd-url" not in node["classes"]:
            node["classes"].append("rd-url")


def without_pandas_styles(html: str) -> str:
    """``html`` without the ``<style scoped>`` blocks pandas writes (those that style
    ``.dataframe``), nor the white space after them; ``html`` itself if it has none."""
    tree = BeautifulSoup(html, "html.parser")
    pandas = [style for style in tree.find_all("style", attrs={"scoped": True}) if ".dataframe" in style.get_text()]
    if not pandas:
        return html
    for style in pandas:
        after = style.next_sibling
        if type(after) is NavigableString:  # text, not a comment or a tag
            if after.strip():
                after.replace_with(after.lstrip())
            else:
                after.extract()
        style.decompose()
    return str(tree)


def drop_pandas_styles(app: Sphinx | None, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` handler: remove the style blocks pandas writes into table outputs.

    Notebook outputs are raw HTML nodes by now (myst-nb's post-transforms have chosen each
    output's format): only those that hold a ``<style scoped>`` are parsed."""
    for node in doctree.findall(nodes.raw):
        if "html" not in node.get("format", "").split() or "<style scoped>" not in node.astext():
            continue
        html = without_pandas_styles(node.astext())
        node.rawsource = html
        node[:] = [nodes.Text(html)]


def fix_citation_roles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` handler: bibliography entries are list items of the citation list."""
    body = context.get("body", "")
    if 'role="doc-biblioentry"' not in body:
        return
    tree = BeautifulSoup(body, "html.parser")
    for entry in tree.find_all(attrs={"role": "doc-biblioentry"}):
        entry["role"] = "listitem"
    context["body"] = str(tree)


#: The theme's scrolling wrapper around each docutils table (pydata-sphinx-theme's translator).
THEME_SCROLL = "pst-scrollable-table-container"
#: The class of a table's region. The theme's class stays on it too: the theme's script then
#: takes the region out of the tab order while it does not scroll (a wide screen), and puts it
#: back when it does; without scripts it stays focusable.
SCROLL = "rd-scroll"
HEADING = re.compile(r"^h[1-6]$")


def _text(tag: Tag) -> str:
    """A caption's or heading's text, without its permalink (``#``)."""
    words = [str(s) for s in tag.find_all(string=True) if not s.find_parent(class_="headerlink")]
    return " ".join("".join(words).split())


def region_label(table: Tag) -> str:
    """What a table's scroll region is called: its caption, else ``<heading> (table)`` after the
    nearest heading before it, else ``Table``."""
    caption = table.find("caption")
    if caption is not None and _text(caption):
        return _text(caption)
    heading = table.find_previous(HEADING)
    return f"{_text(heading)} (table)" if heading is not None and _text(heading) else "Table"


def _scrolls_already(table: Tag) -> bool:
    """Inside another table (its table scrolls) or a region of its own (the labs')."""
    return table.find_parent("table") is not None or table.find_parent(attrs={"role": "region"}) is not None


def _offsets(html: str) -> list[int]:
    """The offset in ``html`` of the start of each line (BeautifulSoup gives line and column)."""
    starts = [0]
    starts.extend(i + 1 for i, char in enumerate(html) if char == "\n")
    return starts


TABLE_TAG = re.compile(r"<(/?)table\b", re.I)


def _table_end(html: str, start: int) -> int:
    """The offset just after the ``</table>`` that closes the table starting at ``start``."""
    depth = 0
    for match in TABLE_TAG.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html.index(">", match.end()) + 1
    raise ValueError("a table is not closed")


def scroll_regions(html: str) -> str:
    """``html`` (a page body) with each table in a labelled, focusable scroll region (see the
    module's docstring); ``html`` itself if it has no table without one. Labels are made unique
    on the page (axe ``landmark-unique``: a named region is a landmark)."""
    if "<table" not in html:
        return html
    tree = BeautifulSoup(html, "html.parser")
    lines = _offsets(html)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in document order
    used: dict[str, int] = {}
    for table in tree.find_all("table"):
        if _scrolls_already(table) or table.sourceline is None:
            continue
        label = region_label(table)
        used[label] = used.get(label, 0) + 1
        if used[label] > 1:  # "Sources (table)", "Sources (table 2)"; "Table 1 Counts (2)"
            n = used[label]
            label = f"{label[:-1]} {n})" if label.endswith(" (table)") else f"{label} ({n})"
        attrs = f'role="region" aria-label="{escape(label, quote=True)}" tabindex="0"'
        parent = table.parent
        if parent is not None and parent.name == "div" and THEME_SCROLL in (parent.get("class") or ()):
            start = lines[parent.sourceline - 1] + parent.sourcepos
            end = html.index(">", start) + 1
            classes = " ".join([*parent["class"], SCROLL])
            edits.append((start, end, f'<div class="{classes}" {attrs}>'))
        else:
            start = lines[table.sourceline - 1] + table.sourcepos
            try:
                end = _table_end(html, start)
            except ValueError:  # "<table" inside a comment or script of the table: left unwrapped
                continue
            edits.append((start, start, f'<div class="{THEME_SCROLL} {SCROLL}" {attrs}>'))
            edits.append((end, end, "</div>"))
    if not edits:
        return html
    out, last = [], 0
    for start, end, text in sorted(edits, key=lambda edit: edit[0]):
        out += [html[last:start], text]
        last = end
    return "".join(out) + html[last:]


def add_scroll_regions(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` handler: every table of the page body in its own scroll region."""
    body = context.get("body")
    if body:
        context["body"] = scroll_regions(body)


SOURCE_BUTTONS = ("download-source-button", "download-notebook-button")


def drop_source_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` handler (after the theme's): no source download without sources."""
    if app.config.html_copy_source:
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"] = [b for b in button["buttons"] if b.get("label") not in SOURCE_BUTTONS]


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", drop_pandas_styles)
    app.connect("html-page-context", drop_source_download, priority=900)
    app.connect("html-page-context", fix_citation_roles)
    app.connect("html-page-context", add_scroll_regions)
    app.connect("doctree-resolved", unique_exercise_ids)
    app.connect("doctree-resolved", fix_external_links)
    app.connect("config-inited", configure)
    app.add_config_value("reading_deterrence_about", "chapters/reference/about", "html", types=[str])
    app.connect("html-page-context", about_link)
    app.connect("html-page-context", wrap_toctree, priority=900)
