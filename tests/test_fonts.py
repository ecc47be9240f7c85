"""Korean and Japanese read on a machine with no font for them: the site ships small subsets of
Noto Sans CJK KR and JP (shaping/fonts.py) that cover every such character it shows."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import IN_CI, require
from reading_deterrence.shaping.css import STYLESHEET, digest
from reading_deterrence.shaping.fonts import (
    BLOCK_END,
    BLOCK_START,
    FACES,
    FONTS,
    cjk_in,
    find_font,
    in_range,
    site_characters,
    subset,
    unicode_range,
    with_block,
)
from tools.audit import CHROMIUM, CHROMIUM_ARGS

KOREAN_PAGE = "chapters/03-state-media/kcna.html"


def noto_missing() -> str | None:
    if find_font("Noto Sans CJK KR") is None or find_font("Noto Sans CJK JP") is None:
        return "Noto Sans CJK is not installed: `sudo apt-get install fonts-noto-cjk` (the README asks for it)"
    return None


def test_characters_are_found_literal_and_escaped():
    text = (
        '전쟁 <span lang="ja">機構</span> "\\uc2e4\\u7528" &#xC6A9; &#51228; ・ café \\u00e9 &#233; [\\u3130-\\u318f]'
    )
    assert "".join(sorted(map(chr, cjk_in(text)))) == "".join(sorted("전쟁機構실用용제・"))


def test_faces_split_hangul_from_japanese():
    korean, japanese = FACES
    codepoints = cjk_in("전쟁억제력 機構編制 ミサイル 「」")
    assert korean.takes(codepoints) == cjk_in("전쟁억제력")
    assert japanese.takes(codepoints) == cjk_in("機構編制ミサイル「」")


def test_unicode_range_spans_each_block_from_first_to_last():
    codepoints = {0x3001, 0x30FB, 0xAC00, 0xAC01, 0xD79D, 0x4E0B}
    ranges = unicode_range(codepoints)
    assert ranges == "U+3001, U+30FB, U+4E0B, U+AC00-D79D"  # punctuation and katakana are two blocks
    assert all(in_range(code, ranges) for code in codepoints)
    assert not in_range(0x3002, ranges) and not in_range(0xABFF, ranges) and in_range(0xB000, ranges)


def test_the_generated_block_replaces_the_last_one():
    css = "a{color:red}\n"
    once = with_block(css, "@font-face{}")
    assert once == f"a{{color:red}}\n{BLOCK_START}\n@font-face{{}}\n{BLOCK_END}\n"
    assert with_block(once, "@font-face{}") == once
    assert with_block(once, "") == css


def test_an_unknown_family_is_not_found():
    assert find_font("No Such Family Anywhere") is None


def test_a_subset_holds_exactly_its_characters_with_the_licence(tmp_path):
    require(noto_missing())
    source, number = find_font("Noto Sans CJK KR")
    wanted = cjk_in("전쟁억제력")
    data = subset(source, number, wanted, tmp_path)
    font = TTFont(io.BytesIO(data))
    assert font.flavor == "woff2"
    assert set(font.getBestCmap()) == wanted
    assert "SIL Open Font License" in font["name"].getDebugName(13)
    assert len(data) < 6_000  # five glyphs
    [cached] = tmp_path.iterdir()
    assert subset(source, number, wanted, tmp_path) == data and list(tmp_path.iterdir()) == [cached]


# --- The built site ---------------------------------------------------------------------------


def declared_faces(root: Path) -> dict[str, dict]:
    """The @font-face rules fonts.py wrote into the theme stylesheet, by family."""
    css = (root / "_static" / STYLESHEET).read_text(encoding="utf-8")
    assert css.count(BLOCK_START) == 1, "one block of subset faces"
    block = css[css.index(BLOCK_START) : css.index(BLOCK_END)]
    faces = {}
    for rule in re.findall(r"@font-face \{(.*?)\}", block):
        family = re.search(r'font-family: "([^"]+)"', rule).group(1)
        url = re.search(r'url\("([^"]+)"\)', rule).group(1)
        ranges = re.search(r"unicode-range: ([^;]+);", rule).group(1)
        faces[family] = {"url": url, "range": ranges, "local": re.findall(r'local\("([^"]+)"\)', rule)}
    return faces


@pytest.mark.build
def test_the_shipped_fonts_cover_every_korean_and_japanese_character_of_the_site(site):
    characters = site_characters(site.root)
    assert len(characters) > 50  # the site quotes Korean and Japanese
    declared = declared_faces(site.root)
    total = 0
    for face in FACES:
        wanted = face.takes(characters)
        rule = declared[face.family]
        path, _, query = rule["url"].partition("?")
        file = (site.root / "_static" / STYLESHEET.parent / path).resolve()
        assert file == (site.root / "_static" / FONTS / face.filename).resolve()  # relative: works from file://
        data = file.read_bytes()
        assert query == f"digest={digest(data)}"
        cmap = set(TTFont(io.BytesIO(data)).getBestCmap())
        assert wanted <= cmap, f"{face.family} lacks {''.join(map(chr, sorted(wanted - cmap)))}"
        assert rule["range"] == unicode_range(wanted)  # loaded only for pages that show one of them
        assert all(
            face.characters.fullmatch(chr(code)) for code in range(0x1100, 0x10000) if in_range(code, rule["range"])
        )
        assert rule["local"] and rule["local"][0].startswith(face.source)
        total += len(data)
    assert total < 80_000, f"the subset fonts weigh {total:,} bytes"


# --- In a browser with no CJK font --------------------------------------------------------------

NO_CJK_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts/truetype/dejavu</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def fonts_used(page, selector: str) -> list[dict]:
    """The fonts Chromium drew the text of the first element matching ``selector`` with:
    ``[{familyName, isCustomFont, glyphCount}]`` (the DevTools protocol's
    ``CSS.getPlatformFontsForNode``: the browser's own answer, not a guess from the CSS)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


@pytest.fixture(scope="module")
def cjkless_browser(browser, tmp_path_factory):
    """Chromium that sees only the DejaVu fonts, like a machine with no Korean or Japanese font."""
    if not Path("/usr/share/fonts/truetype/dejavu").is_dir():
        if IN_CI:
            pytest.fail("the DejaVu fonts are missing (Debian's fonts-dejavu-core)")
        pytest.skip("the DejaVu fonts are missing (Debian's fonts-dejavu-core)")
    folder = tmp_path_factory.mktemp("fontconfig")
    config = folder / "fonts.conf"
    config.write_text(NO_CJK_FONTCONFIG.format(cache=folder / "cache"), encoding="utf-8")
    # a second browser from the session's Playwright (one Playwright per process)
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env={**os.environ, "FONTCONFIG_FILE": str(config)}
    )
    yield chromium
    chromium.close()


def korean_rendering(browser, url: str) -> tuple[list[dict], dict[str, str], list[str]]:
    """Open ``url``: the fonts the first Korean passage is drawn with, the shipped faces' status,
    and the font files requested."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(url, wait_until="load")
        page.locator('[lang="ko"]').first.scroll_into_view_if_needed()
        page.evaluate("document.fonts.ready")
        page.wait_for_function("[...document.fonts].every(f => f.status !== 'loading')")
        status = page.evaluate(
            "() => Object.fromEntries([...document.fonts].filter(f => f.family.startsWith('RD ')).map(f => [f.family, f.status]))"
        )
        used = fonts_used(page, '[lang="ko"]')
    finally:
        context.close()
    return used, status, [u for u in requested if u.split("?")[0].endswith(".woff2") and "noto" in u]


@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("how", ["served", "file"])
def test_korean_is_drawn_with_the_shipped_face_on_a_machine_without_cjk_fonts(cjkless_browser, site, how):
    url = site.url + KOREAN_PAGE if how == "served" else (site.root / KOREAN_PAGE).resolve().as_uri()
    used, status, requested = korean_rendering(cjkless_browser, url)
    assert status.get("RD Noto Sans CJK KR") == "loaded"
    assert any(r.split("?")[0].endswith("rd-noto-sans-cjk-kr.woff2") for r in requested)
    # every glyph of the passage from the web font (Noto Sans CJK KR, the subset's own name); none
    # from DejaVu, which has no Hangul (it would draw empty boxes)
    assert [f["familyName"] for f in used if f["isCustomFont"]] == ["Noto Sans CJK KR"], used
    assert not [f for f in used if not f["isCustomFont"]], used


@pytest.mark.browser
@pytest.mark.build
def test_a_machine_with_cjk_fonts_downloads_no_font(browser, site):
    """Where the system has Noto Sans CJK (this machine, as the README asks), the page uses it:
    the shipped faces are not downloaded."""
    require(noto_missing())
    used, status, requested = korean_rendering(browser, site.url + KOREAN_PAGE)
    assert requested == []
    assert used and not any(f["isCustomFont"] for f in used), used
