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
