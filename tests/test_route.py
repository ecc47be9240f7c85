"""The core route and the deeper one: ``{going-further}`` folds, reading times and
``{route-summary}`` (issue 17), tested on tiny books and on the rendering functions."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from reading_deterrence.rendering.route import Times, minutes, reading_time_text, route_total_text
from test_sphinxext import tiny_book


@pytest.fixture
def book(tmp_path):
    """A tiny book (:func:`test_sphinxext.tiny_book`) in the test's own folder."""
    return tiny_book(tmp_path)


def words(n: int, word: str = "word") -> str:
    """``n`` words of prose, wrapped."""
    return "\n".join(" ".join([word] * 10) for _ in range(n // 10))


def page(html_dir, name: str) -> BeautifulSoup:
    return BeautifulSoup((html_dir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def reading_time(soup: BeautifulSoup) -> str:
    line = soup.select_one("p.rd-reading-time")
    return line.get_text(" ", strip=True) if line else ""


# --- the rendering layer ---------------------------------------------------------------


def test_minutes_round_and_never_say_zero_for_some_text():
    assert minutes(0) == 0
    assert minutes(10) == 1  # a short page is "about 1 minute", not 0
    assert minutes(300) == 2 and minutes(374) == 2 and minutes(376) == 3
    assert minutes(300, rate=100) == 3


def test_reading_time_text_says_core_then_going_further_then_activities():
    assert reading_time_text(Times(300)) == "Reading time: about 2 minutes."
    assert reading_time_text(Times(150, 450)) == "Reading time: about 1 minute (core), 3 more going further."
    assert (
        reading_time_text(Times(300, 0, 25))
        == "Reading time: about 2 minutes. Activities on this page: 25 minutes."
    )
    whole = reading_time_text(Times(600, 150, further_page=True))
    assert whole.startswith("Going further: this whole page") and whole.endswith("about 5 minutes.")


def test_route_total_leaves_a_further_page_out_of_the_core():
    total = route_total_text([Times(300, 150, 10), Times(600, further_page=True)])
    assert total == (
        "Core route: about 2 minutes of reading, and 10 minutes of activities. "
        "Core route in all: about 12 minutes. "
        "Going further: about 5 more minutes of reading."
    )


# --- tiny books ------------------------------------------------------------------------

FOLDED = f"""# Folded page

{words(300)}

(fold-label)=
:::{{going-further}} The paradox, in full
{words(450, "deep")}
:::

See {{ref}}`fold-label`.
"""


def test_going_further_renders_a_closed_fold_with_its_label(book):
    code, warnings, out = book({"chapters/01-x/folded": FOLDED})
    assert code == 0, warnings
    soup = page(out, "chapters/01-x/folded")
    fold = soup.select_one("details.rd-further")
    assert fold is not None and not fold.has_attr("open"), "the fold is closed on screen"
    assert fold.summary.get_text(" ", strip=True) == "Going further: The paradox, in full"
    assert fold.select_one(".rd-further-body").get_text().split().count("deep") == 450
    assert fold.get("id") == "fold-label", "a label before the fold names it"
    link = soup.select_one('a[href="#fold-label"]')
    assert link is not None and link.get_text(strip=True) == "The paradox, in full", "{ref} shows the fold's title"


def test_reading_time_counts_the_fold_apart(book):
    code, warnings, out = book({"chapters/01-x/folded": FOLDED})
    assert code == 0, warnings
    line = reading_time(page(out, "chapters/01-x/folded"))
    # 300 core words + the title's 2 + "See" and the reference's words: about 2 minutes; 450 folded: 3
    assert line.startswith("Reading time: about 2 minutes (core), 3 more going further."), line
    title = page(out, "chapters/01-x/folded").select_one("h1")
    assert title.find_next("p")["class"] == ["rd-reading-time"], "the time sits right under the title"


def test_a_page_without_folds_shows_one_time_and_other_pages_none(book):
    code, warnings, out = book(
        {"chapters/01-x/plain": f"# Plain\n\n{words(600)}\n", "reference/other": f"# Other\n\n{words(600)}\n"}
    )
    assert code == 0, warnings
    assert reading_time(page(out, "chapters/01-x/plain")) == "Reading time: about 4 minutes."
    assert reading_time(page(out, "reference/other")) == "", "only chapter pages have a reading time"


def test_wrong_answers_feedback_and_teacher_notes_are_not_core_reading(book):
    check = f"""# Checks

{words(150)}

:::{{self-check}} A question?
:kind: apply
- [x] Right one

  {words(150, "right")}
- Wrong one

  {words(600, "wrong")}
:::

```{{only}} teacher_edition
{words(900, "teacher")}
```
"""
    code, warnings, out = book({"chapters/01-x/checks": check})
    assert code == 0, warnings
    # 150 + 150 (the right answer's feedback) + a few words of question, title and answers
    assert reading_time(page(out, "chapters/01-x/checks")) == (
        "Reading time: about 2 minutes. Self-checks: 1 question, about 1 minute."
    )


def test_self_checks_count_a_minute_each_outside_folds_and_timed_activities_two_if_several_are_right(book):
    check = ":::{{self-check}} {q}?\n:kind: apply\n- [x] Yes\n\n  It is so.\n- No\n\n  It is not so.\n:::\n"
    text = f"""# Checks

{words(150)}

{check.format(q="One")}

{check.format(q="Two")}

:::{{self-check}} Three, with two right answers?
:kind: apply
- [x] Yes

  It is so.
- [x] Also yes

  It is so too.
- No

  It is not so.
:::

## Activity 1: classify (10 minutes)

{check.format(q="Inside the activity")}

::::{{going-further}} More questions
{check.format(q="Folded")}
::::
"""
    code, warnings, out = book({"chapters/01-x/checks": text})
    assert code == 0, warnings
    line = reading_time(page(out, "chapters/01-x/checks"))
    # two questions of one right answer, a minute each; one of two right answers, two minutes
    assert line.endswith("Activities on this page: 10 minutes. Self-checks: 3 questions, about 4 minutes."), line


def test_the_rendering_functions_examples_hold():
    """The docstrings' examples are the wording's specification: run them."""
    import doctest

    import reading_deterrence.rendering.route as route

    result = doctest.testmod(route)
    assert result.attempted >= 6 and result.failed == 0, result


def test_activity_minutes_come_from_headings_outside_folds(book):
    text = f"""# Activities

## Activity 1: read (10 minutes)

{words(150)}

## Activity 2: talk (about 15 minutes)

{words(150)}

:::{{going-further}} More
{words(150)}

**Activity 3 (40 minutes)** is not a heading, and is in a fold.
:::
"""
    code, warnings, out = book({"chapters/01-x/acts": text})
    assert code == 0, warnings
    line = reading_time(page(out, "chapters/01-x/acts"))
    assert line.endswith("Activities on this page: 25 minutes."), line


CHECK = """:::{{self-check}} {q}?
:kind: apply
- [x] Yes

  It is so.
- No

  It is not so.
:::
"""


def test_a_section_done_in_class_is_not_homework_and_the_page_says_so(book):
    text = f"""# Lateral

{words(300)}

## Your turn, in class: three claims (40 minutes)

{words(900, "lesson")}

{CHECK.format(q="Asked in class")}

### Worksheet

{words(600, "sheet")}

:::{{going-further}} Alone, with a browser
{words(150, "alone")}
:::

## What you did in class

{words(150)}
"""
    code, warnings, out = book({"chapters/01-x/lateral": text})
    assert code == 0, warnings
    # 300 + 150 + the headings' words at 150 a minute: 3; the fold inside the in-class section: 1;
    # no minutes and no self-check from the in-class section; "in class" without a colon is prose
    assert reading_time(page(out, "chapters/01-x/lateral")) == (
        "Reading time: about 3 minutes (core), 1 more going further. The part done in class is not counted."
    )


def test_a_lookup_block_is_not_reading_but_a_fold_inside_it_is_going_further(book):
    text = f"""# Timeline

{words(300)}

````{{container}} rd-lookup
{words(1500, "entry")}

:::{{going-further}} Source note
{words(300, "note")}
:::
````
"""
    code, warnings, out = book({"chapters/01-x/timeline": text})
    assert code == 0, warnings
    assert reading_time(page(out, "chapters/01-x/timeline")) == "Reading time: about 2 minutes (core), 2 more going further."


def test_gated_fold_takes_what_lies_between_start_and_end(book):
    text = f"""# Gated

{words(150)}

:::{{going-further-start}} Code and all
:::

{words(300, "inside")}

:::{{going-further-end}}
:::

{words(150, "after")}
"""
    code, warnings, out = book({"chapters/01-x/gated": text})
    assert code == 0, warnings
    soup = page(out, "chapters/01-x/gated")
    body = soup.select_one("details.rd-further .rd-further-body").get_text()
    assert body.split().count("inside") == 300 and "after" not in body
    assert "Going further: Code and all" in soup.select_one("details.rd-further summary").get_text(" ", strip=True)
    assert "(core), 2 more going further." in reading_time(soup)


def test_a_gated_fold_without_its_end_fails_the_build(book):
    code, warnings, _ = book({"chapters/01-x/broken": "# Broken\n\n:::{going-further-start} Open\n:::\n\nText.\n"})
    assert code != 0 and "no {going-further-end}" in warnings


def test_an_empty_fold_is_an_error(book):
    code, warnings, _ = book({"chapters/01-x/empty": "# Empty\n\n:::{going-further} Nothing\n:::\n"})
    assert code != 0 and "the fold is empty" in warnings


def test_route_summary_lists_the_chapter_and_its_total(book):
    index = f"""# Chapter

```{{route-summary}}
```

{words(300)}

```{{toctree}}
one
two
```
"""
    two = f"---\nroute: further\n---\n# Two\n\n{words(750)}\n"
    code, warnings, out = book(
        {
            "chapters/01-x/index": index,
            "chapters/01-x/one": f"# One\n\n## Task (20 minutes)\n\n{words(450)}\n",
            "chapters/01-x/two": two,
        }
    )
    assert code == 0, warnings
    soup = page(out, "chapters/01-x/index")
    items = [li.get_text(" ", strip=True) for li in soup.select(".rd-route-summary li")]
    assert [re.sub(r"\s+", " ", i) for i in items] == [
        "Chapter : about 2 minutes",
        "One : about 3 minutes; activities: 20 minutes",
        "Two : going further, about 5 minutes",
    ]
    total = soup.select_one(".rd-route-total").get_text(" ", strip=True)
    assert total.startswith("Core route: about 5 minutes of reading, and 20 minutes of activities.")
    assert "about 5 more minutes" in total
    assert reading_time(page(out, "chapters/01-x/two")).startswith("Going further: this whole page")


def test_summary_follows_a_changed_page_in_an_incremental_build(book):
    index = "# Chapter\n\n```{route-summary}\n```\n\n```{toctree}\none\n```\n"
    pages = {"chapters/01-x/index": index, "chapters/01-x/one": f"# One\n\n{words(300)}\n"}
    assert book(pages)[0] == 0
    pages["chapters/01-x/one"] = f"# One\n\n{words(1500)}\n"
    code, warnings, out = book(pages, fresh=False)
    assert code == 0, warnings
    items = [li.get_text(" ", strip=True) for li in page(out, "chapters/01-x/index").select(".rd-route-summary li")]
    assert any("One : about 10 minutes" in re.sub(r"\s+", " ", i) for i in items), items


def test_a_lab_is_an_activity_not_reading(book):
    """The changed-words lab holds the article's quotations and, without script, every answer:
    none of it counts as reading; the heading states its time."""
    text = f"# Lab\n\n## Mark the words (10 minutes)\n\n{words(150)}\n\n```{{words-lab}}\n```\n"
    # the lab links to the audit's rows and to the article's sentences
    audit = "# Audit\n\n## The audit\n\n```{data-view} quotation_audit\n```\n"
    article = "# Article\n\n```{article}\n```\n"
    sources = "# Sources\n\n```{data-view} sources\n```\n"
    pages = {
        "chapters/01-x/lab": text,
        "reference/audit": audit,
        "reference/article": article,
        "reference/sources": sources,
    }
    code, warnings, out = book(pages)
    assert code == 0, warnings
    soup = page(out, "chapters/01-x/lab")
    assert len(soup.select_one(".rd-lab-words").get_text(" ").split()) > 500, "the lab has many words"
    assert reading_time(soup).startswith("Reading time: about 1 minute. Activities on this page: 10 minutes"), (
        reading_time(soup)
    )


def test_the_reading_time_links_to_the_note_that_explains_it(book):
    note = "# About\n\n(route-note)=\nReading times are counted at 150 words a minute.\n"
    code, warnings, out = book({"chapters/01-x/plain": f"# Plain\n\n{words(150)}\n", "about": note})
    assert code == 0, warnings
    link = page(out, "chapters/01-x/plain").select_one("p.rd-reading-time a")
    assert link is not None and link["href"] == "../../about.html#route-note"
