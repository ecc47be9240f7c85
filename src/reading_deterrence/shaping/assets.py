"""Keep every built page light and private: only the scripts and styles it uses, each once.

Jupyter Book puts every extension's CSS and JavaScript on every page, one script twice (which
raises a console error), and the live-code (thebe) script points at a CDN. Connected to Sphinx's
``html-page-context`` event after everyone else's handlers, :func:`prune_assets` keeps, for each
page, only the assets whose markup is on that page. The rules are data (:data:`RULES`), so a
new extension's assets are kept by default and dropped only by adding a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """Assets matching ``matches`` are kept only on pages with one of the classes in ``needs``.

    ``matches`` are substrings of an asset's file name or of an inline script's code. ``needs``
    are HTML class names in the page body; a name ending in ``-`` matches as a prefix. ``needs``
    empty means the assets are never kept.
    """

    name: str
    matches: tuple[str, ...]
    needs: tuple[str, ...]


#: A class name :func:`prune_assets` gives Sphinx's search page (its body has no marker of its own).
SEARCH_PAGE = "rd-search-page"

RULES: tuple[Rule, ...] = (
    # Live code through Binder: not used in this book, and it would load thebe from a CDN.
    Rule("thebe", ("thebe", "THEBE"), ()),
    Rule("togglebutton", ("togglebutton", "toggleHint", "toggleOpenOnPrint"), ("toggle", "dropdown")),
    Rule("code", ("copybutton", "clipboard.min.js", "pygments.css"), ("highlight", "highlight-")),
    Rule("notebook output", ("mystnb.",), ("cell", "cell_output", "output")),
    Rule("exercises", ("exercise.css",), ("exercise", "solution")),
    Rule("sphinx-design tabs", ("design-tabs.js",), ("sd-tab-set",)),
    Rule("sphinx-design", ("sphinx-design",), ("sd-",)),
    Rule("math", ("mathjax", "MathJax"), ("math",)),
    Rule("self-check", ("self-check.js",), ("rd-check",)),
    Rule("coding lab", ("lab-coding.js",), ("rd-lab-coding",)),
    Rule("counting lab", ("lab-counting.js",), ("rd-lab-counting",)),
    Rule("changed-words lab", ("lab-words.js",), ("rd-lab-words",)),
    Rule("discernment check", ("lab-discernment.js",), ("rd-lab-discernment",)),
    Rule("glossary tooltips", ("glossary-tips.js",), ("rd-term",)),
    Rule("search summaries", ("search-text.js", "search-summaries.js"), (SEARCH_PAGE,)),
)

CLASS_ATTR = re.compile(r'class="([^"]*)"')


def page_classes(body: str) -> set[str]:
    """Every class name used in a page body."""
    return {name for attr in CLASS_ATTR.findall(body) for name in attr.split()}


def _key(asset) -> str:
    return f"{asset.filename or ''} {asset.attributes.get('body', '')}"


def needed(asset, classes: set[str]) -> bool:
    """Whether a page with these classes needs this asset (True for assets no rule mentions)."""
    key = _key(asset)
    for rule in RULES:
        if any(m in key for m in rule.matches):
            return any(
                (name in classes) if not name.endswith("-") else any(c.startswith(name) for c in classes)
                for name in rule.needs
            )
    return True


def prune(assets, classes: set[str]) -> list:
    """The assets a page needs, each once, in their original order."""
    seen: set[tuple] = set()
    kept = []
    for asset in assets:
        ident = (asset.filename, asset.attributes.get("body"))
        if ident in seen or not needed(asset, classes):
            continue
        seen.add(ident)
        kept.append(asset)
    return kept


#: Descriptions for pages Sphinx writes itself (content pages must have their own).
GENERATED_PAGE_DESCRIPTIONS = {
    "search": "Search the Reading Deterrence teaching module.",
    "genindex": "Index of the Reading Deterrence teaching module.",
}


def prune_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context`` handler: keep only the assets this page uses; require a description."""
    classes = page_classes(context.get("body", ""))
    if pagename == "search":
        classes |= {"search", SEARCH_PAGE}
    context["script_files"] = prune(context.get("script_files", []), classes)
    context["css_files"] = prune(context.get("css_files", []), classes)
    for asset in context["script_files"] + context["css_files"]:
        if str(asset.filename or "").startswith(("http://", "https://", "//")):
            logger.warning(
                f"page would load {asset.filename} from another host; serve it locally "
                "(for math: pre-render it, or ship MathJax and set mathjax_path)",
                location=pagename,
                type="reading_deterrence",
                subtype="remote",
            )

    metatags = context.get("metatags", "")
    if 'name="description"' not in metatags:
        if pagename in GENERATED_PAGE_DESCRIPTIONS:
            context["metatags"] = metatags + (
                f'<meta name="description" content="{GENERATED_PAGE_DESCRIPTIONS[pagename]}" />\n'
            )
        elif doctree is not None and app.config.reading_deterrence_require_description:
            logger.warning(
                "page has no meta description: add `myst: html_meta: description:` to its front matter",
                location=pagename,
                type="reading_deterrence",
                subtype="description",
            )


def setup(app: Sphinx) -> None:
    # after the theme's (500, 501) and MathJax's handlers, which add assets of their own
    app.connect("html-page-context", prune_assets, priority=900)
