"""Slim the theme's stylesheet and icon fonts down to what the built site uses.

pydata-sphinx-theme's one stylesheet (about 390 kB, on every page) carries all of Bootstrap and
all of Font Awesome: 1,881 rules of the form ``.fa-bell:before{content:"\\f0f3"}``, and a 153 kB
solid-icon font that any page with one icon downloads. After the build, this module

1. finds the icon names used in the built HTML and JavaScript (``fa-magnifying-glass``, ...);
2. drops the rules of unused icons;
3. drops every selector that needs a class no built page or script contains (as PurgeCSS does),
   keeping classes that scripts compose at run time (:data:`SAFELIST`); the stylesheet is
   parsed and written back by tinycss2;
4. subsets the WOFF2 fonts (fontTools) to the glyphs of the used icons plus every icon character
   the remaining CSS uses directly (the theme's admonition and navigation icons);
5. links what it rewrote by content: the stylesheet's ``url()`` of each font, and every page's
   link to the stylesheet, carry ``?digest=`` of the file's bytes, so that a browser that cached
   an earlier version asks again when the file changes.

It always starts from the installed theme's original files, never from a previous build's
output, so an icon that a new page starts using is restored. Subset fonts are cached by content
(``_build/.icon-cache``), so a rebuild with the same icons costs almost nothing. The TrueType
fallbacks are left whole: browsers that read WOFF2 (all current ones) never download them.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import posixpath
import re
from pathlib import Path

import tinycss2
import tinycss2.ast
from sphinx.application import Sphinx
from sphinx.util import logging

from . import fontsubset

logger = logging.getLogger(__name__)

STYLESHEET = Path("styles") / "pydata-sphinx-theme.css"
WEBFONTS = Path("vendor") / "fontawesome" / "webfonts"

ICON_NAME = re.compile(r"\bfa-[a-z0-9-]+")
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"([^"]*)"\}')
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)")


def css_string(value: str) -> str:
    """Decode a CSS string's escapes: ``\\f0f3`` is U+F0F3, ``\\30 `` is ``0``."""
    return CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), value)


def private_use(text: str) -> set[int]:
    """Code points in Unicode's private use area (where icon fonts live), literal or escaped."""
    found = {ord(c) for c in css_string(text) if 0xE000 <= ord(c) <= 0xF8FF}
    return found


UNUSED_SCRIPT = Path("scripts") / "fontawesome.js"


def pages(outdir: Path) -> list[Path]:
    """The built HTML pages (the theme also copies an HTML template into _static/)."""
    return [p for p in outdir.rglob("*.html") if p.relative_to(outdir).parts[0] != "_static"]


#: Scripts that hold data, not code or markup: their words are no evidence of a class in use
#: (search-text.js is the site's text, compressed: see search.py).
DATA_SCRIPTS = frozenset({"search-text.js"})


def scripts(outdir: Path) -> list[Path]:
    """The built site's JavaScript files, but for :data:`DATA_SCRIPTS`."""
    return [p for p in outdir.rglob("*.js") if p.name not in DATA_SCRIPTS]


def drop_unused_script(outdir: Path) -> None:
    """Delete the theme's 1.5 MB icon script if no page loads it (templates/layout.html drops it).

    It names every icon, so it must go before the pages are scanned for the icons they use.
    """
    script = outdir / "_static" / UNUSED_SCRIPT
    if script.exists() and not any("fontawesome.js" in p.read_text(encoding="utf-8") for p in pages(outdir)):
        script.unlink()
        script.with_name(script.name + ".map").unlink(missing_ok=True)


def used_icon_names(outdir: Path) -> set[str]:
    """Icon class names in the built pages and scripts (the stylesheets are not evidence of use)."""
    names: set[str] = set()
    for path in pages(outdir) + scripts(outdir):
        names.update(m[3:] for m in ICON_NAME.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def trim_stylesheet(css: str, used: set[str]) -> tuple[str, set[int]]:
    """The stylesheet without unused icon rules, and the code points the kept CSS needs."""
    codepoints: set[int] = set()

    def keep(match: re.Match) -> str:
        selectors = [s for s in match.group(1).split(",") if s and s[4:-7] in used]
        if not selectors:
            return ""
        codepoints.update(ord(c) for c in css_string(match.group(2)))
        return ",".join(selectors) + '{content:"' + match.group(2) + '"}'

    trimmed = ICON_RULE.sub(keep, css)
    rest = ICON_RULE.sub("", css)
    return trimmed, codepoints | private_use(rest)


#: Class names scripts build at run time, which no page or script contains whole (Bootstrap's
#: ``bs-${NAME}-auto``, ``${NAME}-arrow``): selectors using them are always kept.
SAFELIST = re.compile(r"^(bs-|tooltip|popover|carousel-item)")
#: At-rules whose body is a list of rules to purge; other at-rules (``@font-face``,
#: ``@keyframes``, ``@charset``, ...) are kept whole.
NESTING = frozenset({"media", "supports", "container", "layer"})
WORD = re.compile(r"[A-Za-z0-9_-]+")


def used_words(outdir: Path) -> set[str]:
    """Every word in the built pages and scripts: a class name absent from these is unused."""
    words: set[str] = set()
    for path in pages(outdir) + scripts(outdir):
        words.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def selectors(prelude: list) -> list[list]:
    """A qualified rule's prelude (tinycss2 tokens) split into selectors at top-level commas.

    tinycss2 nests the contents of functions and brackets, so the commas of ``:is(.a, .b)`` are
    inside a token, not at the top level. Comments are dropped (one may hold commas)."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        elif token.type != "comment":
            parts[-1].append(token)
    return parts


def _required(tokens: list) -> set[str]:
    """The classes of a selector's top-level tokens: a ``.`` followed at once by a name. The
    arguments of functional pseudo-classes and attribute selectors are nested blocks: not read."""
    return {
        name.value
        for dot, name in zip(tokens, tokens[1:])
        if dot.type == "literal" and dot.value == "." and name.type == "ident"
    }


def required_classes(selector: str) -> set[str]:
    """Classes an element must have for ``selector`` to match it. Arguments of functional
    pseudo-classes (``:not(.x)``, ``:is(.a, .b)``) and attribute selectors are not required."""
    return _required(tinycss2.parse_component_value_list(selector, skip_comments=True))


def _used(name: str, used: set[str]) -> bool:
    """Whether a class name occurs in the site. A name with other characters than :data:`WORD`'s
    (``sm\\:flex`` in CSS) counts as used when each of its words is."""
    if name in used or SAFELIST.match(name):
        return True
    words = WORD.findall(name)
    return WORD.fullmatch(name) is None and all(word in used for word in words)


def _keeps(tokens: list, used: set[str]) -> bool:
    return all(_used(name, used) for name in _required(tokens))


def keeps(selector: str, used: set[str]) -> bool:
    """Whether ``selector`` can match an element of the site (every class it needs is used)."""
    return _keeps(tinycss2.parse_component_value_list(selector, skip_comments=True), used)


def _purge_rules(rules: list, used: set[str]) -> list:
    """The rules (tinycss2 nodes) without the selectors that need an unused class, the rules left
    with no selector, and the grouping rules left with no rule. Comments and whitespace stay;
    invalid rules, which browsers drop too, go."""
    kept = []
    for rule in rules:
        if rule.type == "error":
            continue
        if rule.type == "qualified-rule":
            chosen = [s for s in selectors(rule.prelude) if _keeps(s, used)]
            if not chosen:
                continue
            rule.prelude = [token for i, s in enumerate(chosen) for token in ([COMMA] if i else []) + s]
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTING and rule.content is not None:
            inner = _purge_rules(tinycss2.parse_rule_list(rule.content, skip_comments=False), used)
            if not any(r.type in ("qualified-rule", "at-rule") for r in inner):
                continue
            rule.content = inner
        kept.append(rule)
    return kept


COMMA = tinycss2.ast.LiteralToken(1, 1, ",")


def purge(css: str, used: set[str]) -> str:
    """``css`` without the selectors that need an unused class (and rules left with none).

    Parsed and serialized by tinycss2: at-rules such as ``@font-face``, ``@keyframes`` and
    ``@charset`` are kept whole, grouping rules (:data:`NESTING`) are purged inside. The output
    is the same CSS, not the same text: string escapes are written as the characters they stand
    for (``"\\f0f3"`` as U+F0F3; the stylesheet is UTF-8 and says so)."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    return tinycss2.serialize(_purge_rules(rules, used))


#: How the theme's icon fonts are cut: every layout feature kept (icon ligatures), missing icons ignored.
ICON_OPTIONS = {"flavor": "woff2", "layout_features": ["*"], "notdef_outline": True, "ignore_missing_unicodes": True}


def subset_font(source: Path, target: Path, codepoints: set[int], cache: Path) -> None:
    """Write ``source`` subset to ``codepoints`` at ``target`` (see :func:`.fontsubset.subset`)."""
    target.write_bytes(fontsubset.subset(source, codepoints, cache, ICON_OPTIONS))


def theme_static(app: Sphinx) -> Path | None:
    """The installed theme's static folder that holds the Font Awesome stylesheet, if any."""
    for theme_dir in app.builder.theme.get_theme_dirs():
        candidate = Path(theme_dir) / "static"
        if (candidate / STYLESHEET).exists():
            return candidate
    return None


def purge_notebook_css(static: Path, words: set[str]) -> None:
    """myst-nb's stylesheet (43 kB, loaded by every page) purged like the theme's: read from the
    installed myst-nb, not from the copy in the output, so that a build never purges an earlier
    purge (whether or not myst-nb copies its file afresh on an incremental build)."""
    original = importlib.resources.files("myst_nb") / "static" / "mystnb.css"
    for path in sorted(static.glob("mystnb.*.css")):
        before = original.read_text(encoding="utf-8")
        after = purge(before, words)
        path.write_text(after, encoding="utf-8")
        logger.info(f"[slim] {path.name[:12]}... {len(before) // 1024} KiB -> {len(after) // 1024} KiB")


def trim_icons(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: rewrite the icon CSS and fonts of the HTML output."""
    if exception is not None or app.builder.format != "html":
        return
    source = theme_static(app)
    if source is None:
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    drop_unused_script(outdir)
    used = used_icon_names(outdir)
    words = used_words(outdir)
    purge_notebook_css(static, words)
    original = (source / STYLESHEET).read_text(encoding="utf-8")
    css = purge(original, words)
    css, codepoints = trim_stylesheet(css, used)
    for font in sorted((source / WEBFONTS).glob("*.woff2")):
        subset_font(font, static / WEBFONTS / font.name, codepoints, outdir.parent / ".icon-cache")
    css = address_urls(css, STYLESHEET.parent.as_posix(), static, ".woff2")
    (static / STYLESHEET).write_text(css, encoding="utf-8")
    logger.info(
        f"[slim] theme stylesheet {len(original) // 1024} KiB -> {len(css) // 1024} KiB; "
        f"kept {len(used & icon_names(css))} icons, {len(codepoints)} glyphs"
    )


def icon_names(css: str) -> set[str]:
    """Names of the icons a stylesheet defines."""
    return {s[4:-7] for m in ICON_RULE.finditer(css) for s in m.group(1).split(",") if s}


# Content addressing. Our server (and any real host) lets browsers keep _static/ files for an
# hour, trusting that a changed file comes with a changed URL: the theme's links carry
# ``?digest=`` of the theme's release, which stays the same when this module rewrites the file.
# So the links to the files rewritten here carry a digest of the bytes written instead.

#: An ``href`` attribute: its opening (``href="``), its quote, its path, and any query.
HREF = re.compile(rb"""(\bhref=(["']))([^"'?#]+)(?:\?[^"'#]*)?\2""")
#: A ``url()`` in CSS: its opening, its path, any query, and its closing.
CSS_URL = re.compile(r"""(url\(\s*["']?)([^"')?#]+)(?:\?[^"')#]*)?(["']?\s*\))""")


def digest(data: bytes) -> str:
    """A short digest of a file's content (20 hex digits, as long as the theme's own)."""
    return hashlib.sha256(data).hexdigest()[:20]


def _target(base: str, path: str) -> str:
    """The path, from the site's root, of a relative link ``path`` in the folder ``base``."""
    return posixpath.normpath(posixpath.join(base, path))


def address_urls(css: str, base: str, static: Path, suffix: str) -> str:
    """``css`` (a stylesheet in the folder ``base`` of ``static``) with each relative ``url()`` of a
    file ending in ``suffix`` that exists in ``static`` carrying ``?digest=`` of that file."""

    def address(match: re.Match) -> str:
        path = match.group(2).strip()
        target = _target(base, path)
        if not path.endswith(suffix) or ":" in path or target.startswith(("/", "..")):
            return match.group(0)  # another kind of file, a data: URL, or outside static
        file = static / target
        if not file.is_file():
            return match.group(0)
        return f"{match.group(1)}{path}?digest={digest(file.read_bytes())}{match.group(3)}"

    return CSS_URL.sub(address, css)


def address_page(html: bytes, base: str, wanted: str, query: bytes) -> bytes:
    """``html`` (a page in the folder ``base``) with ``query`` in place of any query of its hrefs
    that lead to ``wanted`` (a path from the site's root)."""

    def address(match: re.Match) -> bytes:
        if _target(base, match.group(3).decode("utf-8", "replace")) != wanted:
            return match.group(0)
        return match.group(1) + match.group(3) + query + match.group(2)

    return HREF.sub(address, html)


def address_links(outdir: Path, target: Path) -> int:
    """Make every page's links to ``target`` (a file in ``outdir``) end in ``?digest=`` of its bytes,
    whatever query they had: the theme's, or an earlier build's on pages this build did not
    rewrite. Only hrefs that lead to ``target`` change. Returns the number of pages changed."""
    wanted = target.relative_to(outdir).as_posix()
    query = b"?digest=" + digest(target.read_bytes()).encode()
    changed = 0
    for page in pages(outdir):
        html = page.read_bytes()
        if target.name.encode() not in html:
            continue
        new = address_page(html, page.parent.relative_to(outdir).as_posix(), wanted, query)
        if new != html:
            page.write_bytes(new)
            changed += 1
    return changed


def address_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler, after every handler that writes pages (the root page, too):
    each page links the theme stylesheet with a digest of the file as it now is."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    stylesheet = outdir / "_static" / STYLESHEET
    if stylesheet.is_file():
        changed = address_links(outdir, stylesheet)
        logger.info(f"[slim] {STYLESHEET.as_posix()} linked by content digest ({changed} pages updated)")


def setup(app: Sphinx) -> None:
    app.connect("build-finished", trim_icons, priority=900)
    app.connect("build-finished", address_stylesheet, priority=950)
