"""Our stylesheet, minified in the built site: the source keeps its comments, pages load less.

Not a purge (:mod:`.css` purges the theme's and myst-nb's stylesheets of unused selectors): every
rule stays, so print rules for classes no page has yet (worksheets, say) are kept. tinycss2, not
a regular expression, so that white space and comment-like text inside strings survive.
"""

from __future__ import annotations

from pathlib import Path

import tinycss2
from sphinx.application import Sphinx

OURS = Path("_static") / "reading-deterrence.css"


def _squash(tokens: list) -> list:
    """``tokens`` with each run of white space (a comment gone may leave two) as one space."""
    kept: list = []
    for token in tokens:
        if token.type == "whitespace":
            if kept and kept[-1].type == "whitespace":
                continue
            token.value = " "
        for name in ("content", "arguments"):
            if getattr(token, name, None):
                setattr(token, name, _squash(getattr(token, name)))
        kept.append(token)
    return kept


def minify(css: str) -> str:
    """Our stylesheet without its comments and with each run of white space made one space.

    The source keeps its comments (they say why each rule is there); every page loads the built
    copy, where they cost about a quarter of the file. tinycss2 tokenises, so white space inside
    strings and URLs is untouched and no rule is dropped: unlike :func:`purge`, this keeps rules for
    classes no page has yet (print rules for worksheets, say)."""
    tokens = _squash(tinycss2.parse_component_value_list(css, skip_comments=True))
    return tinycss2.serialize(tokens).strip() + "\n"


def minify_ours(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: the built copy of ``reading-deterrence.css`` minified."""
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / OURS
    if path.is_file():
        path.write_text(minify(path.read_text(encoding="utf-8")), encoding="utf-8")


def setup(app: Sphinx) -> None:
    # before css.trim_icons (900): the purge reads the built pages, not this file
    app.connect("build-finished", minify_ours, priority=890)
