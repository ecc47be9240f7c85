"""Slimming the theme's stylesheet: unused icons and unused selectors."""

from reading_deterrence.shaping.css import css_string, icon_names, private_use, purge, required_classes, trim_stylesheet

CSS = (
    ':root{--pst-icon-bell:"\uf0f3"}'
    '.fa-bell:before{content:"\\f0f3"}'
    '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}'
    '.fa-0:before{content:"\\30 "}'
    ".other{color:red}"
)


def test_css_string_decodes_escapes():
    assert css_string("\\f0f3") == "\uf0f3"
    assert css_string("\\30 ") == "0"
    assert css_string('\\"') == '"'


def test_unused_icons_are_removed_and_used_ones_kept():
    css, codepoints = trim_stylesheet(CSS, {"navicon"})
    assert icon_names(css) == {"navicon"}
    assert '.fa-navicon:before{content:"\\f0c9"}' in css
    assert ".other{color:red}" in css and "--pst-icon-bell" in css
    # the kept icon's glyph, plus the icon character the CSS uses directly
    assert codepoints == {0xF0C9, 0xF0F3}


def test_private_use_finds_literal_and_escaped_icons():
    assert private_use('a:"\uf104" b:"\\f105"') == {0xF104, 0xF105}


def test_required_classes_ignore_pseudo_class_arguments_and_attributes():
    assert required_classes(".btn:not(.disabled) > .icon") == {"btn", "icon"}
    assert required_classes(':is(.a, .b) .c[href$=".pdf"]') == {"c"}


def test_purge_drops_only_selectors_that_need_unused_classes():
    css = (
        '@charset "UTF-8";/*! licence */'
        ".used,.unused{color:red}"
        ".unused .used{color:blue}"
        "p{margin:0}"
        "@media (min-width:1px){.unused{x:1}.used{x:2}}"
        "@media print{.unused{x:3}}"
        "@font-face{font-family:X}"
        ".bs-tooltip-auto .tooltip-arrow{top:0}"
        '.used:not(.unused)::before{content:"{"}'
    )
    out = purge(css, {"used"})
    assert out.startswith('@charset "UTF-8";/*! licence */')
    assert ".used{color:red}" in out and ".unused .used" not in out
    assert "p{margin:0}" in out
    assert "@media (min-width:1px){.used{x:2}}" in out and "@media print" not in out
    assert "@font-face{font-family:X}" in out
    assert ".bs-tooltip-auto .tooltip-arrow{top:0}" in out  # built by scripts at run time
    assert '.used:not(.unused)::before{content:"{"}' in out


def test_a_licence_comment_with_commas_before_a_rule_is_not_part_of_its_selectors():
    css = "/*! Icons: CC BY 4.0, Fonts: SIL OFL 1.1, Code: MIT */.fa,.fas{font-family:X}\n/*a,b*/.gone{x:1}"
    out = purge(css, {"fas"})
    assert out.startswith("/*! Icons: CC BY 4.0, Fonts: SIL OFL 1.1, Code: MIT */")
    assert ".fas{font-family:X}" in out and ".fa," not in out
    assert ".gone" not in out and "/*a,b*/" in out


def test_commas_inside_functional_pseudo_classes_do_not_split_selectors():
    css = ":is(.used, .unused) > .used,.unused:where(.a, .b){x:1}.used:not(.a,.b){y:2}"
    out = purge(css, {"used"})
    assert out == ":is(.used, .unused) > .used{x:1}.used:not(.a,.b){y:2}"


def test_grouping_rules_are_purged_inside_and_other_at_rules_kept_whole():
    css = (
        "@supports (display:grid){.unused{x:1}.used{x:2}}"
        "@container card (min-width:10em){@media screen{.used{x:3}.unused{x:4}}}"
        "@layer base{.unused{x:5}}@layer a, b;"
        "@keyframes spin{from{transform:rotate(0)}to{transform:rotate(1turn)}}"
        "@media print{/* only a comment is left */.unused{x:6}}"
    )
    out = purge(css, {"used"})
    assert "@supports (display:grid){.used{x:2}}" in out
    assert "@container card (min-width:10em){@media screen{.used{x:3}}}" in out
    assert "@layer base" not in out and "@layer a, b;" in out
    assert "@keyframes spin{from{transform:rotate(0)}to{transform:rotate(1turn)}}" in out
    assert "@media print" not in out


def test_strings_and_urls_in_declarations_survive_the_round_trip():
    css = '.used:before{content:"}\\"{";background:url(data:image/svg+xml;x=1)}.used{font-family:"A, B",serif}'
    out = purge(css, {"used"})
    assert out == css


def test_a_rule_cut_off_by_the_end_of_the_file_is_dropped_as_browsers_drop_it():
    assert purge(".used{x:1}\n.used", {"used"}) == ".used{x:1}\n"


def test_a_comment_inside_a_selector_list_is_not_a_selector():
    assert purge(".used/* a, .b */,.unused{x:1}", {"used"}) == ".used{x:1}"


def test_escaped_class_names_need_each_of_their_words():
    assert required_classes(".sm\\:flex .b") == {"sm:flex", "b"}
    css = ".sm\\:flex{x:1}.md\\:flex{x:2}"
    assert purge(css, {"sm", "flex", "md"}) == css
    assert purge(css, {"sm", "flex"}) == ".sm\\:flex{x:1}"


def test_font_urls_carry_a_digest_of_the_font(tmp_path):
    from reading_deterrence.shaping.css import address_urls, digest

    fonts = tmp_path / "vendor" / "webfonts"
    fonts.mkdir(parents=True)
    (fonts / "a.woff2").write_bytes(b"font a")
    css = (
        "@font-face{src:url(../vendor/webfonts/a.woff2) format(\"woff2\"),url(../vendor/webfonts/a.ttf)}"
        '@font-face{src:url("../vendor/webfonts/a.woff2?digest=old")}'
        "@font-face{src:url(../vendor/webfonts/missing.woff2)}"
        '.x{background:url("data:font/woff2;base64,AAAA.woff2")}'
    )
    out = address_urls(css, "styles", tmp_path, ".woff2")
    d = digest(b"font a")
    assert f"url(../vendor/webfonts/a.woff2?digest={d}) format" in out
    assert f'url("../vendor/webfonts/a.woff2?digest={d}")' in out and "digest=old" not in out
    assert "url(../vendor/webfonts/a.ttf)" in out and "url(../vendor/webfonts/missing.woff2)" in out
    assert 'url("data:font/woff2;base64,AAAA.woff2")' in out
    (fonts / "a.woff2").write_bytes(b"font a, other glyphs")
    assert digest(b"font a, other glyphs") in address_urls(css, "styles", tmp_path, ".woff2")
