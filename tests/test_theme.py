"""Unit tests for the theme fixes and the per-page asset pruning."""

from types import SimpleNamespace

from reading_deterrence.shaping.assets import needed, page_classes, prune
from reading_deterrence.shaping.markup import label_nav_toggles


def test_nav_toggles_get_a_label():
    html = (
        '<li><a class="reference internal" href="a.html">The case</a><details><summary><span class="toctree-toggle">'
        '<li><a class="current reference internal" href="#">Here</a><details open="open"><summary><span>'
    )
    out = label_nav_toggles(html)
    assert '<summary><span class="visually-hidden">Sections of The case</span>' in out
    assert '<details open="open"><summary><span class="visually-hidden">Sections of Here</span>' in out


def test_links_without_toggles_are_left_alone():
    html = '<li><a class="reference internal" href="a.html">Leaf</a></li>'
    assert label_nav_toggles(html) == html


def asset(filename=None, body=None):
    attributes = {"body": body} if body else {}
    return SimpleNamespace(filename=filename, attributes=attributes)


def test_page_classes():
    assert page_classes('<div class="a b"><p class="c">') == {"a", "b", "c"}


def test_assets_follow_the_markup_on_the_page():
    togglebutton = asset("togglebutton.js")
    assert not needed(togglebutton, {"section"})
    assert needed(togglebutton, {"dropdown"})
    assert needed(asset("sphinx-design.min.css"), {"sd-card"})  # prefix rule
    assert not needed(asset("sphinx-design.min.css"), {"card"})
    assert not needed(asset("mathjax/tex-chtml.js"), {"section"})
    assert needed(asset("mathjax/tex-chtml.js"), {"math"})


def test_thebe_is_never_kept_and_unknown_assets_always_are():
    assert not needed(asset("sphinx-thebe.js"), {"cell", "thebe"})
    assert not needed(asset(None, 'const THEBE_JS_URL = "https://unpkg.com/thebe"'), set())
    assert needed(asset("doctools.js"), set())


def test_prune_removes_duplicates_and_keeps_order():
    a, b = asset("a.js"), asset(None, "let x = 1;")
    kept = prune([a, b, asset("a.js"), asset(None, "let x = 1;"), asset("togglebutton.js")], set())
    assert kept == [a, b]


def test_pandas_style_blocks_are_removed():
    from reading_deterrence.shaping.markup import drop_pandas_styles

    body = '<div><style scoped>\n    .dataframe tbody tr th { vertical-align: middle; }\n</style>\n<table class="dataframe"></table></div>'
    context = {"body": body}
    drop_pandas_styles(None, "p", "page.html", context, None)
    assert context["body"] == '<div><table class="dataframe"></table></div>'
