"""The Sphinx extension, tested by building tiny books (no Jupyter Book, no notebooks)."""

from __future__ import annotations

import contextlib
import io
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from sphinx.cmd.build import build_main

from conftest import DATA_DIR
from reading_deterrence import descriptor, load

CONF = """
extensions = ["myst_parser", "sphinx.ext.mathjax", "reading_deterrence.sphinxext"]
myst_enable_extensions = ["colon_fence", "deflist"]
reading_deterrence_data = {data!r}
exclude_patterns = ["_build", "data"]
html_theme = "basic"
reading_deterrence_require_description = {describe!r}
smartquotes = False
"""


def tiny_book(folder):
    """Write a tiny book in ``folder``, with a copy of data/ (``build.data``, free to break).

    Returns ``build(pages)``, which builds it strictly (``-W -n --keep-going``) and gives (exit
    code, warnings, out dir); ``build.output`` then holds everything Sphinx printed to stderr,
    where a traceback would be (the warnings file never has one).
    """
    data = folder / "data"
    shutil.copytree(DATA_DIR, data)
    src = folder / "src"
    src.mkdir()

    def build(pages: dict[str, str], fresh: bool = True, describe: bool = False, package=None):
        package = str(data) if package is None else str(package)
        (src / "conf.py").write_text(CONF.format(data=package, describe=describe), encoding="utf-8")
        toctree = "\n".join(name for name in pages if name != "index")
        pages = {"index": f"# Tiny book\n\n```{{toctree}}\n{toctree}\n```\n", **pages}
        for name, text in pages.items():
            (src / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
            (src / f"{name}.md").write_text(text, encoding="utf-8")
        out, log = folder / "out", folder / "warnings.txt"
        args = [str(src), str(out), "-b", "html", "-W", "-n", "--keep-going", "-q", "-w", str(log)]
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            code = build_main(args + (["-E"] if fresh else []))
        build.output = stderr.getvalue()
        return code, log.read_text(encoding="utf-8"), out

    build.data = data
    build.output = ""
    return build


@pytest.fixture
def book(tmp_path):
    """A tiny book (:func:`tiny_book`) in the test's own folder."""
    return tiny_book(tmp_path)


def test_article_renders_every_sentence_as_a_target(book):
    code, warnings, out = book({"article": "# Article\n\n```{article}\n```\n"})
    assert code == 0, warnings
    html = (out / "article.html").read_text(encoding="utf-8")
    for row in load("article_sentences").itertuples():
        assert f'id="{row.sentence_id}"' in html
        assert f'href="#{row.sentence_id}" aria-label="Sentence {row.sentence_id}">{row.sentence_id}</a>' in html
    assert "hands-on" in html and "<figcaption>" in html
    assert "nybreaking.com" in html  # the caption names where the text was published


def test_sentence_role_links_across_pages(book):
    code, warnings, out = book(
        {"article": "# Article\n\n```{article}\n```\n", "other": "# Other\n\nSee {sentence}`p09s02`.\n"}
    )
    assert code == 0, warnings
    html = (out / "other.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="reference internal" href="article.html#p09s02">.*p09s02', html)


def test_unknown_sentence_fails_the_build(book):
    code, warnings, _ = book(
        {"article": "# Article\n\n```{article}\n```\n", "other": "# Other\n\nSee {sentence}`p99s99`.\n"}
    )
    assert code == 1, book.output  # 1: errors reported; 2 would be a crash
    assert "undefined label: 'p99s99'" in warnings


def test_bad_data_fails_the_build_naming_file_row_and_column(book):
    path = book.data / "article_sentences.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",body,", ",lede,", 1), encoding="utf-8")
    code, warnings, _ = book({"article": "# Article\n\n```{article}\n```\n"})
    assert code == 1, book.output  # 1: errors reported; 2 would be a crash
    assert "article_sentences.csv, row 4, column 'role': 'lede' breaks a constraint" in warnings


def test_data_view_catalogue_and_timeline(book):
    code, warnings, out = book(
        {
            "article": "# Article\n\n```{article}\n```\n",
            "timeline": "# Timeline\n\n```{data-view} timeline\n```\n",
            "catalogue": "# Catalogue\n\n```{data-view} catalogue\n```\n",
        }
    )
    assert code == 0, warnings
    page = BeautifulSoup((out / "catalogue.html").read_text(encoding="utf-8"), "html.parser")
    resources = descriptor()["resources"]
    assert len(page.select("section section")) == len(resources), "one section per table, no more"
    for res in resources:
        name, fields = res["name"], [field["name"] for field in res["schema"]["fields"]]
        section = page.find("section", id=f"data-{name.replace('_', '-')}")  # its label
        assert section is not None, name
        assert section.h2.get_text().rstrip("¶") == res["title"]
        facts = " ".join(section.find("dl").get_text(" ").split())
        assert f"data/{res['path']} ({len(load(name))} rows, {len(fields)} columns, UTF-8 CSV)" in facts, name
        table = section.find("table")
        assert table.caption.get_text().rstrip("¶") == f"Fields of {name}"
        assert [row.td.get_text() for row in table.tbody.find_all("tr")] == fields, name
    timeline = (out / "timeline.html").read_text(encoding="utf-8")
    assert 'href="article.html#p09s01"' in timeline


def test_unknown_view_is_an_error(book):
    code, warnings, _ = book({"x": "# X\n\n```{data-view} nope\n```\n"})
    assert code == 1 and "no data view 'nope'" in warnings


def test_changed_data_rebuilds_the_page(book):
    pages = {"article": "# Article\n\n```{article}\n```\n", "timeline": "# Timeline\n\n```{data-view} timeline\n```\n"}
    code, warnings, out = book(pages)
    assert code == 0, warnings
    path = book.data / "timeline.csv"
    first = load("timeline").iloc[0]
    path.write_text(path.read_text(encoding="utf-8").replace(first["event"], "A changed event text for the test.", 1), encoding="utf-8")
    code, warnings, out = book(pages, fresh=False)
    assert code == 0, warnings
    assert "A changed event text for the test." in (out / "timeline.html").read_text(encoding="utf-8")


def test_generated_sections_keep_their_labels(book):
    """A {ref} to a generated section, without an explicit title, resolves to the section title."""
    code, warnings, out = book(
        {
            "catalogue": "# Catalogue\n\n```{data-view} catalogue\n```\n",
            "other": "# Other\n\nSee {ref}`data-article-sentences`, {ref}`data-sources` and {ref}`data-timeline`.\n",
        }
    )
    assert code == 0, warnings
    html = (out / "other.html").read_text(encoding="utf-8")
    assert re.search(r'href="catalogue.html#data-sources"><span class="std std-ref">Sources</span>', html), html


def test_a_page_without_description_fails_the_build(book):
    code, warnings, _ = book({"x": "# X\n\nText.\n"}, describe=True)
    assert code == 1 and "page has no meta description" in warnings
    described = "---\nmyst:\n  html_meta:\n    description: A page.\n---\n# X\n\nText.\n"
    index = "---\nmyst:\n  html_meta:\n    description: Home.\n---\n# Tiny\n\n```{toctree}\nx\n```\n"
    code, warnings, _ = book({"index": index, "x": described}, describe=True)
    assert code == 0, warnings


def test_a_page_that_would_load_from_a_cdn_fails_the_build(book):
    """Math makes Sphinx add MathJax from a CDN: the build must stop, not the reader's browser."""
    code, warnings, _ = book({"m": "# M\n\n```{math}\nE = mc^2\n```\n"})
    assert code == 1, book.output  # 1: errors reported; 2 would be a crash
    assert "from another host" in warnings and "mathjax" in warnings.lower()


def test_source_role_links_to_the_sources_page(book):
    code, warnings, out = book(
        {
            "sources": "# Sources\n\n```{data-view} sources\n```\n",
            "other": "# Other\n\nAs {source}`kcnawatch-2023-04-11` reported, and {source}`the AP story <ap-2023-04-11-9news>`.\n",
        }
    )
    assert code == 0, warnings
    html = (out / "other.html").read_text(encoding="utf-8")
    assert 'href="sources.html#source-kcnawatch-2023-04-11"' in html and "KCNA (via KCNA Watch)" in html
    assert ">the AP story<" in html


def test_unknown_source_fails_the_build(book):
    code, warnings, _ = book(
        {"sources": "# Sources\n\n```{data-view} sources\n```\n", "other": "# Other\n\n{source}`no-such-source`\n"}
    )
    assert code == 1 and "undefined label: 'source-no-such-source'" in warnings


SELF_CHECK = """# Q

:::{self-check} Which is a compellent demand?
:kind: apply
- "If you attack, we strike back."

  That threat aims to stop an action: deterrence.
- [x] "Withdraw, or we strike."

  It demands an action: compellence.
:::
"""


def test_self_check_renders_radio_buttons_with_feedback(book):
    code, warnings, out = book({"q": SELF_CHECK})
    assert code == 0, warnings
    html = (out / "q.html").read_text(encoding="utf-8")
    assert html.count('type="radio"') == 2
    assert 'data-correct="true"' in html and 'data-correct="false"' in html
    assert "<legend" in html and "Which is a compellent demand?</legend>" in html
    assert "<strong>Right.</strong>" in html and "<strong>Not quite.</strong>" in html
    assert "[x]" not in html
    assert 'aria-live="polite"' in html


def test_self_check_without_a_right_answer_is_an_error(book):
    code, warnings, _ = book({"q": SELF_CHECK.replace("[x] ", "")})
    assert code == 1 and "mark at least one right answer" in warnings


def test_self_check_answer_without_feedback_is_an_error(book):
    code, warnings, _ = book({"q": "# Q\n\n:::{self-check} Q?\n:kind: apply\n- [x] An answer\n- Another\n:::\n"})
    assert code == 1 and "needs its text and, below it, its feedback" in warnings


def test_self_check_without_its_kind_is_an_error(book):
    code, warnings, _ = book({"q": SELF_CHECK.replace(":kind: apply\n", "")})
    assert code == 1 and "say what the question asks, ':kind: recall'" in warnings


def test_feedback_that_starts_with_its_own_verdict_is_an_error(book):
    # the page writes "Not quite." itself: "Not quite. Not quite: ..." was the result
    for verdict in ("Not quite:", "Right.", "No,", "Correct!"):
        text = SELF_CHECK.replace("  That threat aims", f"  {verdict} That threat aims")
        code, warnings, _ = book({"q": text})
        assert code == 1 and "answer 1's feedback starts with a verdict" in warnings, verdict
    # a feedback that merely begins with such a word is fine
    code, warnings, _ = book({"q": SELF_CHECK.replace("  That threat aims", "  North of the line, that threat aims")})
    assert code == 0, warnings


MULTIPLE = """# Q

:::{self-check} Which of these are threats?
:kind: apply
- [x] "If you attack, we strike back."

  A threat to punish an attack.
- [x] "Withdraw, or we strike."

  A threat to make the other side act.
- "We will talk."

  An offer, not a threat.
:::
"""


def test_two_right_answers_give_checkboxes_with_a_hint_and_a_tally(book):
    code, warnings, out = book({"q": MULTIPLE})
    assert code == 0, warnings
    html = BeautifulSoup((out / "q.html").read_text(encoding="utf-8"), "html.parser")
    check = html.select_one(".rd-check")
    assert [i["type"] for i in check.select("input")] == ["checkbox"] * 3
    assert check.has_attr("data-rd-multiple")
    assert check.legend.select_one(".rd-check-hint").get_text() == "Choose every answer that is right."
    assert check.select_one(".rd-check-tally").has_attr("hidden")


def test_multiple_option_gives_checkboxes_with_one_right_answer(book):
    text = SELF_CHECK.replace(":kind: apply\n", ":kind: apply\n:multiple:\n")
    code, warnings, out = book({"q": text})
    assert code == 0, warnings
    html = (out / "q.html").read_text(encoding="utf-8")
    assert html.count('type="checkbox"') == 2 and 'type="radio"' not in html


PROMISE = """---
self-check-ideas:
  compellence: Deterrence and compellence
  denial: Deterrence by denial
---
# Q

{checks}
"""


def check_on(idea: str, kind: str = "apply") -> str:
    return SELF_CHECK.split("\n", 2)[2].replace(":kind: apply", f":kind: {kind}\n:idea: {idea}")


def test_a_page_with_every_promised_question_builds(book):
    checks = check_on("compellence") + "\n" + check_on("denial")
    code, warnings, out = book({"q": PROMISE.format(checks=checks)})
    assert code == 0, warnings
    html = BeautifulSoup((out / "q.html").read_text(encoding="utf-8"), "html.parser")
    assert [c["data-rd-idea"] for c in html.select(".rd-check")] == ["compellence", "denial"]


def test_a_promised_question_that_is_missing_fails_the_build(book):
    code, warnings, _ = book({"q": PROMISE.format(checks=check_on("compellence"))})
    assert code == 1
    assert "q.md" in warnings and "promises a question on 'Deterrence by denial' (denial) but has none" in warnings


def test_a_question_on_an_idea_the_page_does_not_promise_fails(book):
    checks = check_on("compellence") + "\n" + check_on("denial") + "\n" + check_on("credibility")
    code, warnings, _ = book({"q": PROMISE.format(checks=checks)})
    assert code == 1 and "the idea 'credibility' is not among the page's self-check-ideas" in warnings


def test_a_chapter_with_too_few_apply_questions_fails(book):
    recall = SELF_CHECK.replace(":kind: apply", ":kind: recall")
    pages = {"ch/a": recall, "ch/b": recall, "ch/c": SELF_CHECK}
    code, warnings, _ = book(pages)
    assert code == 0, warnings  # one in three
    pages["ch/d"] = recall
    code, warnings, _ = book(pages)
    assert code == 1 and "1 of the 4 questions in ch/ ask the student to apply an idea" in warnings


def test_self_check_answer_with_a_link_is_an_error(book):
    text = SELF_CHECK.replace('- "If you attack, we strike back."', "- See [this](https://example.org/)")
    code, warnings, _ = book({"q": text})
    assert code == 1 and "answer 1 contains a link" in warnings


def test_the_whole_article_on_two_pages_is_an_error(book):
    """Sentence links land on the whole article's sentences: a second whole copy would take them."""
    article = "# A\n\n```{article}\n```\n"
    code, warnings, _ = book({"a": article, "b": article, "c": "# C\n\n{sentence}`p09s01`\n"})
    assert code == 1 and "the whole article, whose sentences are link targets, is placed twice" in warnings
    code, warnings, out = book({"a": article, "b": "# B\n\n```{article}\n:paragraphs: p01-p13\n```\n",
                                "c": "# C\n\n{sentence}`p09s01`\n"})
    assert code == 0, warnings
    assert 'href="a.html#p09s01"' in (out / "c.html").read_text(encoding="utf-8")
