"""Korean and Japanese that read on any machine: small subset fonts shipped with the site.

The module quotes Korean (실용적, 전쟁억제력) and Japanese (機構編制). A reader whose system has no
font for them (many Linux installs, some school machines) would see empty boxes. After the
build, this module

1. collects every Hangul, kana and CJK character the built site can show: the pages' text and
   attributes, the JSON data written into them (``\\uXXXX`` escapes too) and the scripts (but for
   :data:`css.DATA_SCRIPTS`, whose text is the pages' own);
2. subsets two faces of Debian's ``fonts-noto-cjk`` collection (``NotoSansCJK-Regular.ttc``, SIL
   Open Font License 1.1) to those characters: Noto Sans CJK KR for Hangul, Noto Sans CJK JP for
   kana, kanji and CJK punctuation; WOFF2, without layout features or hints (nothing in the site
   needs them: about 30 kB for both), cached by content in ``_build/.font-cache``;
3. writes ``_static/fonts/rd-noto-sans-cjk-{kr,jp}.woff2`` and, into the theme stylesheet that
   every page loads (rewritten by :mod:`.css`, linked by its content digest after this runs),
   one ``@font-face`` rule per face: ``src`` tries the reader's own copy (``local()``) before the
   shipped file (a relative ``url()`` with a digest, so it loads from file:// too), and a
   ``unicode-range`` around the characters subset (per Unicode block, first to last), so that a
   browser downloads a face only for a page that shows one of them. ``reading-deterrence.css`` puts the faces in the
   ``:lang(ko)`` and ``:lang(ja)`` font stacks, after the fonts readers' systems have.

The font's copyright and licence stay in the subset's name table (OFL 1.1 allows modified
versions; Noto has no reserved font name). A site with Korean or Japanese and no Noto Sans CJK on
the build machine is a build error that says what to install (README: ``fonts-noto-cjk``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from . import fontsubset
from .css import DATA_SCRIPTS, STYLESHEET, digest, pages

logger = logging.getLogger(__name__)

HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
#: CJK punctuation, kana, CJK ideographs (and extension A), half- and full-width forms.
JAPANESE = "\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK = re.compile(f"[{HANGUL}{JAPANESE}]")
#: Characters written as escapes: ``\\uXXXX`` (JSON, JavaScript) and numeric character references.
ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|&#[xX]([0-9a-fA-F]+);|&#([0-9]+);")

#: Where Debian's fonts-noto-cjk puts the collection (fontconfig is asked first).
KNOWN_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
)
INSTALL_HINT = (
    "install Debian's Noto CJK fonts (`sudo apt-get install fonts-noto-cjk`, as the README says): "
    "the build ships a subset of Noto Sans CJK KR and JP so that Korean and Japanese read on "
    "machines without such fonts"
)
#: The folder of the subset fonts, under ``_static/``.
FONTS = Path("fonts")
BLOCK_START = "/* reading-deterrence: Korean and Japanese subset faces (shaping/fonts.py) */"
BLOCK_END = "/* end of the Korean and Japanese subset faces */"


@dataclass(frozen=True)
class Face:
    """A face the site ships: ``family`` in CSS, subset from ``source`` (the collection's family
    name) to the characters ``characters`` matches."""

    family: str
    source: str
    local: tuple[str, ...]  # full and PostScript names of installed copies
    filename: str
    characters: re.Pattern

    def takes(self, codepoints: set[int]) -> set[int]:
        return {c for c in codepoints if self.characters.fullmatch(chr(c))}


FACES = (
    Face(
        "RD Noto Sans CJK KR",
        "Noto Sans CJK KR",
        ("Noto Sans CJK KR Regular", "NotoSansCJKkr-Regular", "Noto Sans KR Regular", "NotoSansKR-Regular"),
        "rd-noto-sans-cjk-kr.woff2",
        re.compile(f"[{HANGUL}]"),
    ),
    Face(
        "RD Noto Sans CJK JP",
        "Noto Sans CJK JP",
        ("Noto Sans CJK JP Regular", "NotoSansCJKjp-Regular", "Noto Sans JP Regular", "NotoSansJP-Regular"),
        "rd-noto-sans-cjk-jp.woff2",
        re.compile(f"[{JAPANESE}]"),
    ),
)


def cjk_in(text: str) -> set[int]:
    """The Hangul, kana and CJK characters in ``text``, literal or escaped; not the unassigned code
    points in those blocks, which no text can show (a script's ranges: ``[\\u3130-\\u318f]``)."""
    found = {ord(c) for c in CJK.findall(text)}
    for match in ESCAPE.finditer(text):
        code = int(match.group(1) or match.group(2), 16) if not match.group(3) else int(match.group(3))
        if code < 0x110000 and CJK.fullmatch(chr(code)):
            found.add(code)
    return {code for code in found if unicodedata.category(chr(code)) != "Cn"}


def site_files(outdir: Path) -> list[Path]:
    """The files whose text the site shows: pages, scripts (not :data:`css.DATA_SCRIPTS`), JSON."""
    files = pages(outdir)
    files += [p for p in outdir.rglob("*.js") if p.name not in DATA_SCRIPTS]
    files += [p for p in outdir.rglob("*.json") if p.relative_to(outdir).parts[0] != "downloads"]
    return files


def site_characters(outdir: Path) -> set[int]:
    """Every Hangul, kana and CJK character in the built site (see :func:`site_files`)."""
    found: set[int] = set()
    for path in site_files(outdir):
        found |= cjk_in(path.read_text(encoding="utf-8", errors="replace"))
    return found


def _fontconfig(family: str) -> list[Path]:
    """The file fontconfig gives for ``family``, if it is that family (fc-match always answers)."""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}", f"{family}:style=Regular"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    families, _, file = out.partition("\t")
    return [Path(file)] if family in families.split(",") and file else []


def find_font(family: str) -> tuple[Path, int] | None:
    """The collection file and font number of ``family`` (regular), or None. The number is read
    from the file's own name table, not trusted from fontconfig."""
    from fontTools.ttLib import TTCollection, TTFont

    for path in dict.fromkeys([*_fontconfig(family), *KNOWN_FILES]):
        if not path.is_file():
            continue
        try:
            if path.suffix.lower() in (".ttc", ".otc"):
                fonts = TTCollection(str(path), lazy=True).fonts
            else:
                fonts = [TTFont(str(path), lazy=True)]
        except Exception:  # not a font fontTools can read: try the next place
            continue
        for number, font in enumerate(fonts):
            if font["name"].getDebugName(1) == family and font["name"].getDebugName(2) in ("Regular", None):
                return path, number
    return None


#: How the faces are subset (fontTools' options): WOFF2; no layout features, hints or tables for
#: vertical text (the faces set horizontal text, one character a glyph); subroutines inlined
#: (compresses better); the copyright and the licence kept in the name table.
SUBSET_OPTIONS = {
    "flavor": "woff2",
    "layout_features": [],
    "hinting": False,
    "desubroutinize": True,
    "notdef_outline": True,
    "name_IDs": [0, 1, 2, 3, 4, 5, 6, 13, 14],
    "drop_tables+": ["BASE", "VORG", "vhea", "vmtx", "GSUB", "GPOS"],
}


def subset(source: Path, number: int, codepoints: set[int], cache: Path) -> bytes:
    """Font ``number`` of ``source`` subset to ``codepoints`` with :data:`SUBSET_OPTIONS`, as WOFF2
    (see :func:`.fontsubset.subset`)."""
    return fontsubset.subset(source, codepoints, cache, SUBSET_OPTIONS, number)


#: The Unicode blocks of :data:`CJK` (first and last code point).
BLOCKS = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana Phonetic Extensions
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7AF),  # Hangul Syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)


def unicode_range(codepoints: set[int]) -> str:
    """A short CSS ``unicode-range`` that holds ``codepoints``: in each Unicode block, from the
    first of them to the last (``U+3001-30FB, U+AC00-D79D``). A page loads the face when it shows a
    character in the range; every one the site shows is in the subset (a character a script
    makes up later, outside it, is drawn by the next font in the stack)."""
    spans = []
    for first, last in BLOCKS:
        inside = [code for code in codepoints if first <= code <= last]
        if inside:
            low, high = min(inside), max(inside)
            spans.append(f"U+{low:X}" if low == high else f"U+{low:X}-{high:X}")
    outside = sorted(code for code in codepoints if not any(a <= code <= b for a, b in BLOCKS))
    return ", ".join(spans + [f"U+{code:X}" for code in outside])


def in_range(code: int, ranges: str) -> bool:
    """Whether ``code`` is in a ``unicode-range`` value as :func:`unicode_range` writes it."""
    for span in ranges.split(","):
        low, _, high = span.strip().removeprefix("U+").partition("-")
        if int(low, 16) <= code <= int(high or low, 16):
            return True
    return False


def font_face(face: Face, url: str, codepoints: set[int]) -> str:
    """The ``@font-face`` rule of a shipped face."""
    sources = [f'local("{name}")' for name in face.local] + [f'url("{url}") format("woff2")']
    return (
        f'@font-face {{ font-family: "{face.family}"; font-style: normal; font-weight: 400; '
        f"font-display: swap; src: {', '.join(sources)}; unicode-range: {unicode_range(codepoints)}; }}"
    )


def with_block(css: str, block: str) -> str:
    """``css`` with ``block`` (between the markers) at its end, in place of any earlier one."""
    if BLOCK_START in css:
        css = css[: css.index(BLOCK_START)].rstrip("\n") + "\n"
    return f"{css.rstrip(chr(10))}\n{BLOCK_START}\n{block}\n{BLOCK_END}\n" if block else css


def ship_fonts(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler (after :mod:`.css` rewrites the theme stylesheet, before it links
    the stylesheet by digest): subset, write and declare the faces the site needs."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    stylesheet = outdir / "_static" / STYLESHEET
    if not stylesheet.is_file():  # another theme (the tests' tiny books): nowhere to declare faces
        return
    folder = outdir / "_static" / FONTS
    shutil.rmtree(folder, ignore_errors=True)  # no face left over from an earlier build
    characters = site_characters(outdir)
    rules, sizes = [], []
    for face in FACES:
        codepoints = face.takes(characters)
        if not codepoints:
            continue
        found = find_font(face.source)
        if found is None:
            logger.error(
                f"the site has {len(codepoints)} characters for {face.source} and the build machine "
                f"has no such font: {INSTALL_HINT}",
                type="reading_deterrence",
                subtype="font",
            )
            continue
        data = subset(*found, codepoints, outdir.parent / ".font-cache")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / face.filename).write_bytes(data)
        url = f"../{FONTS.as_posix()}/{face.filename}?digest={digest(data)}"  # from _static/styles/
        rules.append(font_face(face, url, codepoints))
        sizes.append(f"{face.source} {len(codepoints)} characters, {len(data) / 1024:.1f} KiB")
    stylesheet.write_text(with_block(stylesheet.read_text(encoding="utf-8"), "\n".join(rules)), encoding="utf-8")
    if sizes:
        logger.info("[fonts] shipped " + "; ".join(sizes))


def setup(app: Sphinx) -> None:
    # after css.trim_icons (900), which writes the theme stylesheet afresh; before
    # css.address_stylesheet (950), which links it by the digest of what this adds
    app.connect("build-finished", ship_fonts, priority=920)
