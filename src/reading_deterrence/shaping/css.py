"""Slim the theme's stylesheet and icon fonts down to what the built site uses.

pydata-sphinx-theme's one stylesheet (about 390 kB, on every page) carries all of Bootstrap and
all of Font Awesome: 1,881 rules of the form ``.fa-bell:before{content:"\\f0f3"}``, and a 153 kB
solid-icon font that any page with one icon downloads. After the build, this module

1. finds the icon names used in the built HTML and JavaScript (``fa-magnifying-glass``, ...);
2. drops the rules of unused icons;
3. drops every selector that needs a class no built page or script contains (as PurgeCSS does),
   keeping classes that scripts compose at run time (:data:`SAFELIST`);
4. subsets the WOFF2 fonts (fontTools) to the glyphs of the used icons plus every icon character
   the remaining CSS uses directly (the theme's admonition and navigation icons).

It always starts from the installed theme's original files, never from a previous build's
output, so an icon that a new page starts using is restored. Subset fonts are cached by content
(``_build/.icon-cache``), so a rebuild with the same icons costs almost nothing. The TrueType
fallbacks are left whole: browsers that read WOFF2 (all current ones) never download them.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

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
    for path in pages(outdir) + list(outdir.rglob("*.js")):
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
#: At-rules whose body is a list of rules to purge; other at-rules are kept as they are.
NESTING = ("@media", "@supports", "@container", "@layer")
WORD = re.compile(r"[A-Za-z0-9_-]+")


def used_words(outdir: Path) -> set[str]:
    """Every word in the built pages and scripts: a class name absent from these is unused."""
    words: set[str] = set()
    for path in pages(outdir) + list(outdir.rglob("*.js")):
        words.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def _split_top(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside brackets, parentheses and strings."""
    parts, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(text):
        if quote:
            quote = None if ch == quote and text[i - 1] != "\\" else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def required_classes(selector: str) -> set[str]:
    """Classes an element must have for ``selector`` to match it. Arguments of functional
    pseudo-classes (``:not(.x)``, ``:is(.a, .b)``) and attribute selectors are not required."""
    stripped = selector
    while True:
        simpler = re.sub(r":[a-zA-Z-]+\([^()]*\)", "", stripped)
        if simpler == stripped:
            break
        stripped = simpler
    stripped = re.sub(r"\[[^\]]*\]", "", stripped)
    return set(re.findall(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)", stripped))


def keeps(selector: str, used: set[str]) -> bool:
    return all(name in used or SAFELIST.match(name) for name in required_classes(selector))


def purge(css: str, used: set[str]) -> str:
    """``css`` without the selectors that need an unused class (and rules left with none)."""
    out, i, n = [], 0, len(css)
    while i < n:
        if css[i].isspace():
            out.append(css[i])
            i += 1
            continue
        if css.startswith("/*", i):  # comments, licence headers included, stay as they are
            end = css.find("*/", i + 2)
            end = n if end == -1 else end + 2
            out.append(css[i:end])
            i = end
            continue
        brace, semi = css.find("{", i), css.find(";", i)
        if brace == -1 or (semi != -1 and semi < brace and css[i:semi].lstrip().startswith("@")):
            end = n if semi == -1 else semi + 1
            out.append(css[i:end])  # @charset "UTF-8"; and trailing text
            i = end
            continue
        close, depth, quote = brace, 0, None
        for close in range(brace, n):
            ch = css[close]
            if quote:
                quote = None if ch == quote and css[close - 1] != "\\" else quote
            elif ch in "\"'":
                quote = ch
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    break
        prelude, body = css[i:brace], css[brace + 1 : close]
        head = prelude.strip()
        if head.startswith(NESTING):
            inner = purge(body, used)
            if inner.strip():
                out.append(prelude + "{" + inner + "}")
        elif head.startswith("@"):
            out.append(css[i : close + 1])
        else:
            selectors = re.sub(r"/\*.*?\*/", "", prelude, flags=re.S)  # a comment may hold commas
            kept = [s for s in _split_top(selectors, ",") if keeps(s, used)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
        i = close + 1
    return "".join(out)


def subset_font(source: Path, target: Path, codepoints: set[int], cache: Path) -> None:
    """Write ``source`` subset to ``codepoints`` at ``target`` (via the content-addressed cache)."""
    key = hashlib.sha256(source.read_bytes() + repr(sorted(codepoints)).encode()).hexdigest()[:20]
    cached = cache / f"{source.stem}-{key}{source.suffix}"
    if not cached.exists():
        from fontTools import subset

        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        options.notdef_outline = True
        options.ignore_missing_unicodes = True
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        cache.mkdir(parents=True, exist_ok=True)
        subset.save_font(font, str(cached), options)
    shutil.copyfile(cached, target)


def theme_static(app: Sphinx) -> Path | None:
    """The installed theme's static folder that holds the Font Awesome stylesheet, if any."""
    for theme_dir in app.builder.theme.get_theme_dirs():
        candidate = Path(theme_dir) / "static"
        if (candidate / STYLESHEET).exists():
            return candidate
    return None


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
    original = (source / STYLESHEET).read_text(encoding="utf-8")
    css = purge(original, used_words(outdir))
    css, codepoints = trim_stylesheet(css, used)
    (static / STYLESHEET).write_text(css, encoding="utf-8")
    for font in sorted((source / WEBFONTS).glob("*.woff2")):
        subset_font(font, static / WEBFONTS / font.name, codepoints, outdir.parent / ".icon-cache")
    logger.info(
        f"[slim] theme stylesheet {len(original) // 1024} KiB -> {len(css) // 1024} KiB; "
        f"kept {len(used & icon_names(css))} icons, {len(codepoints)} glyphs"
    )


def icon_names(css: str) -> set[str]:
    """Names of the icons a stylesheet defines."""
    return {s[4:-7] for m in ICON_RULE.finditer(css) for s in m.group(1).split(",") if s}


def setup(app: Sphinx) -> None:
    app.connect("build-finished", trim_icons, priority=900)
