"""Trimming the theme's icon CSS to the icons in use."""

from reading_deterrence.icons import css_string, icon_names, private_use, trim_stylesheet

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
