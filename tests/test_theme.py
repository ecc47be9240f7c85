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


def raw_html(text, fmt="html"):
    from docutils import nodes
    from docutils.utils import new_document

    document = new_document("test")
    node = nodes.raw(text, text, format=fmt)
    document += node
    return document, node


def test_pandas_style_blocks_are_removed():
    from reading_deterrence.shaping.markup import drop_pandas_styles

    body = '<div><style scoped>\n    .dataframe tbody tr th { vertical-align: middle; }\n</style>\n<table class="dataframe"></table></div>'
    document, node = raw_html(body)
    drop_pandas_styles(None, document, "p")
    assert node.astext() == '<div><table class="dataframe"></table></div>'


def test_other_style_blocks_and_other_raw_formats_are_left_alone():
    from reading_deterrence.shaping.markup import drop_pandas_styles

    mine = '<div><style scoped>.mine { color: red; }</style><p class="mine">x</p></div>'
    latex = "<style scoped>.dataframe {}</style>"
    (doc1, node1), (doc2, node2) = raw_html(mine), raw_html(latex, "latex")
    drop_pandas_styles(None, doc1, "p")
    drop_pandas_styles(None, doc2, "p")
    assert node1.astext() == mine and node2.astext() == latex


def test_a_real_pandas_table_keeps_its_markup():
    from reading_deterrence.shaping.markup import without_pandas_styles

    html = (
        "<div>\n<style scoped>\n    .dataframe tbody tr th:only-of-type {\n        vertical-align: middle;\n    }\n"
        "\n    .dataframe thead th {\n        text-align: right;\n    }\n</style>\n"
        '<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: right;">\n'
        "      <th></th>\n      <th>a &amp; b &lt; c</th>\n    </tr>\n  </thead>\n</table>\n</div>"
    )
    out = without_pandas_styles(html)
    assert "<style" not in out and ".dataframe" not in out.replace('class="dataframe"', "")
    assert out.startswith('<div>\n<table border="1" class="dataframe">')
    assert '<tr style="text-align: right;">' in out and "<th>a &amp; b &lt; c</th>" in out


def test_bibliography_entries_become_list_items():
    from reading_deterrence.shaping.markup import fix_citation_roles

    body = (
        '<div class="citation-list" role="list">'
        '<div class="citation" id="c1" role="doc-biblioentry"><span class="label">A</span><p>A &amp; B, 2024.</p></div>'
        '<div class="citation" id="c2" role="doc-biblioentry"><p>C.</p></div></div>'
        '<p>The text says role="doc-biblioentry" in prose.</p>'
    )
    context = {"body": body}
    fix_citation_roles(None, "p", "page.html", context, None)
    out = context["body"]
    assert out.count('role="listitem"') == 2 and 'class="citation" id="c1" role="listitem"' in out
    assert "<p>A &amp; B, 2024.</p>" in out and 'role="list"' in out
    assert 'The text says role="doc-biblioentry" in prose.' in out  # text, not an attribute
    untouched = {"body": "<p>No citations here</p>"}
    fix_citation_roles(None, "p", "page.html", untouched, None)
    assert untouched["body"] == "<p>No citations here</p>"


def test_nav_toggle_labels_use_the_whole_link_text_and_only_follow_page_links():
    html = (
        '<li><a class="reference internal" href="a.html">Q &amp; A: <em>why</em>\n now</a>'
        "<details><summary><span></span></summary></details></li>"
        '<li><a class="reference external" href="https://example.org">Away</a><details><summary></summary></details></li>'
    )
    out = label_nav_toggles(html)
    assert '<summary><span class="visually-hidden">Sections of Q &amp; A: why now</span><span></span></summary>' in out
    assert "Sections of Away" not in out


def test_the_themes_cached_sidebar_tree_is_labelled_once():
    from bs4 import BeautifulSoup

    from reading_deterrence.shaping.markup import wrap_toctree

    tree = BeautifulSoup(
        '<ul><li><a class="reference internal" href="a.html">A</a><details><summary></summary></details></li></ul>',
        "html.parser",
    )
    context = {"generate_toctree_html": lambda *a, **k: tree}  # the theme caches its tree per page
    wrap_toctree(None, "p", "page.html", context, None)
    first = context["generate_toctree_html"](kind="sidebar")
    second = context["generate_toctree_html"](kind="sidebar")
    assert isinstance(first, str) and first == second
    assert first.count("Sections of A") == 1
