"""The book's self-checks, read from the built pages: every idea a page promises has its question,
a question with several right answers is a set of checkboxes, feedback never repeats its verdict,
and each chapter asks at least a third of its questions as applications (issue 16)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, toc_docnames

pytestmark = pytest.mark.build

#: Question text that tells the student more than one answer may be right.
SEVERAL = re.compile(r"more than one|all that apply|every answer|choose (two|three)", re.IGNORECASE)
#: A verdict the author wrote after the one the page writes ("Not quite. Not quite:").
TWICE = re.compile(r"^(Right|Not quite)\.\s+(Right|Correct|Not quite|Wrong|Yes|No)\b", re.IGNORECASE)


def front_matter(docname: str) -> dict:
    text = (ROOT / f"{docname}.md").read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text.split("---\n", 2)[1]) or {}


@pytest.fixture(scope="module")
def checks(built_book) -> dict[str, list]:
    """The self-checks of every page, by docname, parsed from the built HTML."""
    found = {}
    for docname in toc_docnames():
        path = built_book.html / f"{docname}.html"
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        found[docname] = soup.select("div.rd-check")
    return found


def test_the_book_has_self_checks_of_both_kinds_and_several_multiple_answer_ones(checks):
    every = [c for page in checks.values() for c in page]
    assert len(every) >= 30
    kinds = Counter(c.get("data-rd-kind") for c in every)
    assert set(kinds) == {"recall", "apply"}, kinds
    assert sum(c.has_attr("data-rd-multiple") for c in every) >= 3


def test_every_promised_idea_has_a_question_on_its_page(checks):
    promising = {d: front_matter(d).get("self-check-ideas") for d in checks}
    promising = {d: ideas for d, ideas in promising.items() if ideas}
    # "Deterrence in brief" promises a question for each of its ideas (it had them for 5 of 8)
    assert len(promising.get("chapters/04-deterrence/in-brief", {})) == 8
    for docname, ideas in promising.items():
        asked = {c.get("data-rd-idea") for c in checks[docname]}
        missing = [f"{key} ({title})" for key, title in ideas.items() if key not in asked]
        assert not missing, f"{docname} promises questions it does not ask: {missing}"


def test_a_question_with_several_right_answers_is_a_set_of_checkboxes(checks):
    for docname, page in checks.items():
        for check in page:
            types = {i["type"] for i in check.select("input")}
            rights = len(check.select('input[data-correct="true"]'))
            legend = check.legend.get_text(" ", strip=True)
            where = f"{docname}: {legend[:60]!r}"
            if rights > 1 or SEVERAL.search(legend):
                assert types == {"checkbox"}, f"{where} has several right answers but radio buttons"
                assert "Choose every answer that is right." in legend, where
            else:
                assert types <= {"radio", "checkbox"}, where


def test_feedback_says_its_verdict_once(checks):
    for docname, page in checks.items():
        for feedback in (f for c in page for f in c.select(".rd-check-feedback")):
            text = feedback.get_text(" ", strip=True)
            assert not TWICE.match(text), f"{docname}: {text[:60]!r}"


def test_each_chapter_asks_at_least_a_third_as_applications(checks):
    chapters: dict[str, Counter] = {}
    for docname, page in checks.items():
        for check in page:
            chapters.setdefault(docname.rpartition("/")[0], Counter())[check["data-rd-kind"]] += 1
    assert {c for c in chapters if c.startswith("chapters/0")} == {
        "chapters/01-the-case",
        "chapters/02-who-speaks",
        "chapters/03-state-media",
        "chapters/04-deterrence",
        "chapters/05-numbers",
    }
    for chapter, kinds in chapters.items():
        assert kinds["apply"] * 3 >= kinds.total(), f"{chapter}: {dict(kinds)}"
