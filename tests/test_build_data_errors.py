"""The build reports bad data the same way wherever it touches data.

Each test builds a tiny book (:func:`test_sphinxext.tiny_book`) against a broken copy of data/
and checks that the place under test (a directive, a role, an event handler) turns the problem
into a build error naming the data file, the row and the column: the build fails (exit 1, not
the 2 of a crash) and Sphinx prints no traceback and no "Exception occurred". Where the data
checks at the start of the build (:mod:`reading_deterrence.sphinxext.checks`) report the same
problem, the test still looks for the place's own report, so that it is the place that is tested.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_sphinxext import tiny_book

ARTICLE = "# Article\n\n```{article}\n```\n"
CRASH = ("Traceback", "Exception occurred", "Extension error", "threw an exception")


@pytest.fixture
def book(tmp_path):
    return tiny_book(tmp_path)


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: has the data changed?"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fails_cleanly(book, pages: dict[str, str], **options) -> str:
    """Build; check that the build failed with errors and without a crash; return its output."""
    code, warnings, _ = book(pages, **options)
    output = book.output
    assert code == 1, f"exit {code}, not 1 (2 is a crash):\n{output}"
    for sign in CRASH:
        assert sign not in output and sign not in warnings, output
    return output


#: One data error as Sphinx prints it: where (a page, or nothing), what reported it, and its problems.
REPORT = re.compile(
    r"^(?:(?P<where>\S+): )?ERROR: (?P<what>.+?): \d+ problems? in the data.*\n(?P<problems>(?:  .*\n?)+)", re.M
)


def reports(output: str, problem: str) -> list[tuple[str, str]]:
    """(page file and line, or "", what reported it) for each error that lists ``problem``."""
    return [
        (Path(m["where"]).name if m["where"] else "", m["what"])
        for m in REPORT.finditer(output)
        if problem in m["problems"]
    ]


def reported_once_each(output: str, problem: str) -> list[tuple[str, str]]:
    """The reports of ``problem``, after checking that no place reports it twice."""
    found = reports(output, problem)
    assert found, f"{problem!r} not reported:\n{output}"
    assert len(found) == len(set(found)), f"reported twice by the same place: {found}"
    return found


# --- directives -----------------------------------------------------------------------------------


def test_article_directive(book):
    edit(book.data / "article_sentences.csv", ",body,", ",lede,")
    output = fails_cleanly(book, {"article": ARTICLE})
    found = reported_once_each(output, "data/article_sentences.csv, row 4, column 'role': 'lede' breaks a constraint")
    assert ("article.md:3", "article") in found


def test_data_view_directive(book):
    edit(book.data / "timeline.csv", ",exact,", ",roughly,")  # the first event
    output = fails_cleanly(book, {"timeline": "# Timeline\n\n```{data-view} timeline\n```\n"})
    found = reported_once_each(output, "data/timeline.csv, row 2, column 'date_certainty': 'roughly' breaks a constraint")
    assert ("timeline.md:3", "data-view") in found


# --- roles ----------------------------------------------------------------------------------------

BAD_SOURCE = "data/sources.csv, row 2, column 'kind': 'gossip' breaks a constraint"


def test_source_role(book):
    edit(book.data / "sources.csv", ",news outlet,", ",gossip,")  # the first source
    output = fails_cleanly(book, {"other": "# Other\n\nAs {source}`kcnawatch-2023-04-11` reported.\n"})
    found = reported_once_each(output, BAD_SOURCE)
    assert ("other.md:3", "{source} role") in found
    # the check at the start names the broken table, not every table that refers to it
    assert [what for _, what in found if what.startswith("table ")] == ["table sources"]


def test_a_broken_sources_file_is_reported_once_not_at_every_link(book):
    links = "{source}`kcnawatch-2023-04-11`, {source}`AP <ap-2023-04-11-9news>`, " * 50
    pages = {f"page{n}": f"# Page {n}\n\n{links}\n" for n in range(3)}  # 300 links on 3 pages
    edit(book.data / "sources.csv", ",news outlet,", ",gossip,")
    output = fails_cleanly(book, pages)
    found = reported_once_each(output, BAD_SOURCE)
    assert [what for _, what in found].count("{source} role") == 1, found
    assert "undefined label" not in output, "the links cannot resolve: the data error says why, once"


def test_generated_download(book):
    edit(book.data / "launch_events.csv", ",hypersonic claimed,", ",rumour,")  # the first event
    output = fails_cleanly(book, {"other": "# Other\n\nThe {generated}`launch-count-sheet.csv`.\n"})
    found = reported_once_each(output, "data/launch_events.csv, row 2, column 'system_class': 'rumour' breaks a constraint")
    assert ("", "download launch-count-sheet.csv") in found
    assert not (book.data.parent / "out" / "downloads" / "launch-count-sheet.csv").exists()


# --- event handlers -------------------------------------------------------------------------------

GLOSSARY = """# Glossary

```{glossary}
Deterrence
  Persuading an adversary not to act.
```

See {term}`deterrence`.
"""


def test_glossary_tooltips(book):
    """Two pages with term links: the tooltips report the broken glossary.csv once, and the pages
    are still written, with plain term links."""
    edit(book.data / "glossary.csv", "compellence,deterrence,", "compellence,nonsense,")
    output = fails_cleanly(book, {"glossary": GLOSSARY, "other": "# Other\n\nOn {term}`deterrence`.\n"})
    found = reported_once_each(output, "data/glossary.csv, row 3, column 'topic': 'nonsense' breaks a constraint")
    assert [what for _, what in found].count("glossary tooltips") == 1, found
    html = (book.data.parent / "out" / "other.html").read_text(encoding="utf-8")
    assert 'href="glossary.html#term-Deterrence"' in html and "rd-tip" not in html


def test_notebook_freshness_without_a_data_package(book, tmp_path):
    """``reading_deterrence_data`` pointing at a folder without datapackage.json."""
    empty = tmp_path / "empty"
    empty.mkdir()
    output = fails_cleanly(book, {"other": "# Other\n\nText.\n"}, package=empty)
    found = reported_once_each(output, f"{empty}/datapackage.json: no data package here")
    assert ("", "notebook freshness") in found


def test_coding_rules(book):
    """A coded span that no longer occurs in its sentence (the data contract cannot see it)."""
    edit(book.data / "coding.csv", "p01s01,attribution,calls_for,calls for,", "p01s01,attribution,calls_for,calls upon,")
    output = fails_cleanly(book, {"other": "# Other\n\nText.\n"})
    once = "ERROR: coding rules (data/coding.csv): {}/coding.csv, row 6, column 'span': p01s01-attribution-1: span 'calls upon' occurs not in p01s01"
    assert output.count(once.format(book.data)) == 1, output
