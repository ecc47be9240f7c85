"""Cut the theme's icon font and icon CSS down to the icons the built site uses.

pydata-sphinx-theme ships Font Awesome whole: 1,881 CSS rules of the form
``.fa-bell:before{content:"\\f0f3"}`` (about 70 kB in every page's stylesheet) and a 153 kB
solid-icon font that any page with one icon downloads. After the build, this module

1. finds the icon names used in the built HTML and JavaScript (``fa-magnifying-glass``, ...);
2. rewrites the theme stylesheet without the rules of unused icons;
3. subsets the WOFF2 fonts (fontTools) to the glyphs of the used icons plus every icon character
   the CSS uses directly (the theme's admonition and navigation icons).

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
    css, codepoints = trim_stylesheet((source / STYLESHEET).read_text(encoding="utf-8"), used)
    (static / STYLESHEET).write_text(css, encoding="utf-8")
    for font in sorted((source / WEBFONTS).glob("*.woff2")):
        subset_font(font, static / WEBFONTS / font.name, codepoints, outdir.parent / ".icon-cache")
    logger.info(f"[icons] kept {len(used & icon_names(css))} icons, {len(codepoints)} glyphs")


def icon_names(css: str) -> set[str]:
    """Names of the icons a stylesheet defines."""
    return {s[4:-7] for m in ICON_RULE.finditer(css) for s in m.group(1).split(",") if s}


def setup(app: Sphinx) -> None:
    app.connect("build-finished", trim_icons, priority=900)
