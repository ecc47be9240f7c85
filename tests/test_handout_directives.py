"""The handout directives and roles, tested by building tiny books against the real data:
``{self-check}``'s ``:label:``, ``{exit-ticket}``, ``{check-key}``, ``{vocabulary}``,
``{article}``'s ``:paragraphs:``, ``{event-cards}``, ``{handout-pdf}`` (and its manifest) and the
``{pdf}`` role. Each error case must fail a strict build with a message naming what is wrong and
the page it is on. The markup is also checked with the W3C Nu checker and axe."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from sphinx.cmd.build import build_main
from test_html import VNU, validator_missing

from conftest import AXE, DATA_DIR, require
from reading_deterrence import load
from reading_deterrence.rendering.text import format_date, format_date_range

CONF = """
extensions = ["myst_parser", "reading_deterrence.sphinxext"]
myst_enable_extensions = ["colon_fence", "deflist"]
reading_deterrence_data = {data!r}
reading_deterrence_edition = {edition!r}
exclude_patterns = ["_build"]
html_theme = "basic"
reading_deterrence_require_description = False
smartquotes = False
"""

QUIZ = """# Quiz

(quiz-top)=
## Top

:::{self-check} Who is the source of *the claim*?
:label: q-source
:kind: apply
- The reporter

  See [the top](#quiz-top) and {ref}`quiz-top`.
- [x] KCNA

  It begins "KCNA claimed".
:::

:::{self-check} Is it dated?
:label: q-date
:kind: apply
- [x] Yes

  The dateline gives the day.
- No

  Read the dateline.
:::
"""

SHEET = "chapters/handouts/sheet"
QUIZ_PAGE = "chapters/quiz"
PACK = "chapters/teachers/pack"


@pytest.fixture
def book(tmp_path):
    """``book(pages, edition="teacher")`` builds a tiny book strictly: (exit code, warnings, out dir)."""

    def build(pages: dict[str, str], edition: str = "teacher", fresh: bool = True):
        src = tmp_path / "src"
        src.mkdir(exist_ok=True)
        (src / "conf.py").write_text(CONF.format(data=str(DATA_DIR), edition=edition), encoding="utf-8")
        # the student edition leaves the teacher's pages out (sphinxext/edition.py), so no toctree lists them
        toctree = "\n".join(p for p in pages if edition == "teacher" or not p.startswith("chapters/teachers/"))
        pages = {"index": f"# Tiny book\n\n```{{toctree}}\n{toctree}\n```\n", **pages}
        for name, text in pages.items():
            path = src / f"{name}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text(encoding="utf-8") != text:  # unchanged pages keep their time
                path.write_text(text, encoding="utf-8")
        out, log = tmp_path / "out", tmp_path / "warnings.txt"
        args = [str(src), str(out), "-b", "html", "-W", "-n", "--keep-going", "-q", "-w", str(log)]
        args += ["-E"] if fresh else []
        with contextlib.redirect_stderr(io.StringIO()):
            code = build_main(args)
        return code, log.read_text(encoding="utf-8"), out

    return build


def body(out, page: str) -> BeautifulSoup:
    return BeautifulSoup((out / f"{page}.html").read_text(encoding="utf-8"), "html.parser").select_one(
        'div[role="main"]'
    )


def sheet(text: str) -> dict[str, str]:
    return {QUIZ_PAGE: QUIZ, SHEET: "# Sheet\n\n" + text}


def assert_fails(result, *phrases: str) -> None:
    code, warnings, _ = result
    assert code != 0, "the build should fail"
    for phrase in phrases:
        assert phrase in warnings, f"{phrase!r} not in:\n{warnings}"


# --- self-check labels, exit tickets and keys ------------------------------------------------


def test_a_label_is_the_self_checks_id(book):
    code, warnings, out = book({QUIZ_PAGE: QUIZ})
    assert code == 0, warnings
    assert body(out, QUIZ_PAGE).select_one('div.rd-check[id="q-source"] input[name="q-source"]')


def test_exit_ticket_prints_questions_from_another_page_without_answers(book):
    code, warnings, out = book(sheet(":::{exit-ticket}\nq-source\nq-date\n:::\n"))
    assert code == 0, warnings
    ticket = body(out, SHEET).select_one("div.rd-exit-ticket")
    assert ticket.select_one(".rd-handout-title").get_text() == "Exit ticket"
    assert ticket.select_one(".rd-exit-name").get_text().startswith("Name: ___")
    questions = ticket.select("ol.rd-exit-questions > li")
    assert [q.select_one(".rd-exit-question").get_text() for q in questions] == [
        "Who is the source of the claim?",
        "Is it dated?",
    ]
    assert questions[0].select_one(".rd-exit-question em").get_text() == "the claim"  # markup kept
    answers = [li.get_text(" ", strip=True) for li in questions[0].select("ul.rd-exit-options > li")]
    assert answers == ["☐ The reporter", "☐ KCNA"]
    assert all(box["aria-hidden"] == "true" for box in ticket.select(".rd-box"))
    text = ticket.get_text()
    assert "Right" not in text and "Not quite" not in text and "dateline" not in text  # no feedback, no key
    assert ticket.select("input, label, fieldset") == []  # paper: nothing to click


def test_check_key_marks_right_answers_in_words_with_all_feedback(book):
    code, warnings, out = book(sheet(":::{check-key} Answers to the quiz\nq-source\nq-date\n:::\n"))
    assert code == 0, warnings
    key = body(out, SHEET).select_one("div.rd-check-key")
    assert key.select_one(".rd-handout-title").get_text() == "Answers to the quiz"
    first = key.select("ol.rd-key-questions > li")[0]
    options = first.select("ul.rd-key-options > li")
    assert [o["class"] for o in options] == [["rd-key-wrong"], ["rd-key-right"]]
    assert options[1].p.get_text() == "Right answer: KCNA"
    assert "Right answer" not in options[0].get_text()
    assert options[0].select_one(".rd-key-feedback").get_text().strip() == "See the top and Top."
    # links written on the quiz page still point at the quiz page
    assert [a["href"] for a in options[0].select("a")] == ["../quiz.html#quiz-top", "../quiz.html#quiz-top"]
    assert "Read the dateline" in key.get_text()


def test_sheets_keep_ids_unique(book):
    both = ":::{exit-ticket}\nq-source\n:::\n\n:::{check-key}\nq-source\n:::\n"
    anchored = QUIZ.replace('  It begins "KCNA claimed".', '  (q-anchor)=\n  It begins "KCNA claimed".')
    code, warnings, out = book({QUIZ_PAGE: anchored + "\n" + both, SHEET: "# Sheet\n\n" + both})
    assert code == 0, warnings
    for page in (QUIZ_PAGE, SHEET):
        ids = Counter(tag["id"] for tag in body(out, page).select("[id]"))
        assert [i for i, n in ids.items() if n > 1] == []


def test_a_sheet_follows_its_question_in_an_incremental_build(book):
    pages = sheet(":::{exit-ticket}\nq-source\n:::\n")
    assert book(pages)[0] == 0
    pages[QUIZ_PAGE] = pages[QUIZ_PAGE].replace("Who is the source", "Who, then, is the source")
    code, warnings, out = book(pages, fresh=False)  # only the quiz page changed
    assert code == 0, warnings
    assert body(out, SHEET).select_one(".rd-exit-question").get_text().startswith("Who, then, is the source")


def test_unknown_label_fails_naming_label_and_page(book):
    assert_fails(book(sheet(":::{exit-ticket}\nq-source\nq-missing\n:::\n")), "sheet.md", "'q-missing'")
    assert_fails(book(sheet(":::{check-key}\nq-gone\n:::\n")), "sheet.md", "check-key", "'q-gone'")


def test_duplicate_label_fails(book):
    again = ":::{self-check} Again?\n:label: q-source\n:kind: apply\n- [x] Yes\n\n  So it is.\n:::\n"
    # reported on the later page in name order, naming the other one
    assert_fails(book(sheet(again)), "quiz.md", "'q-source' is used twice", "chapters/handouts/sheet")


def test_bad_label_fails(book):
    bad = ":::{self-check} Spaces?\n:label: two words\n:kind: apply\n- [x] Yes\n\n  So it is.\n:::\n"
    assert_fails(book(sheet(bad)), "sheet.md", "'two words'")


# --- vocabulary --------------------------------------------------------------------------------


def test_vocabulary_boxes_definitions_from_the_glossary(book):
    code, warnings, out = book({SHEET: "# Sheet\n\n:::{vocabulary}\ndeterrence\nWar deterrent\n:::\n"})
    assert code == 0, warnings
    box = body(out, SHEET).select_one("div.rd-vocabulary")
    glossary = load("glossary").set_index("term")
    assert box.strong.get_text() == "Vocabulary"
    terms = [dt.get_text() for dt in box.select("dl dt")]
    assert terms[0] == "deterrence" and terms[1].startswith("war deterrent (")
    assert [dd.get_text(strip=True) for dd in box.select("dl dd")] == [
        glossary.loc["deterrence", "definition"],
        glossary.loc["war deterrent", "definition"],
    ]
    assert box.select_one('dt span[lang="ko"]').get_text() == glossary.loc["war deterrent", "korean"]


def test_unknown_glossary_term_fails(book):
    assert_fails(
        book({SHEET: "# Sheet\n\n:::{vocabulary}\ndeterrence\nflux capacitor\n:::\n"}),
        "sheet.md",
        "glossary.csv",
        "'flux capacitor'",
    )


# --- article excerpts --------------------------------------------------------------------------


def test_article_excerpt_shows_only_those_paragraphs_with_ids_as_labels(book):
    pages = {
        "article": "# Article\n\n```{article}\n```\n",
        SHEET: "# Sheet\n\n```{article}\n:paragraphs: p03-p04,p06\n```\n",
    }
    code, warnings, out = book(pages)
    assert code == 0, warnings  # no duplicate labels with the full article
    excerpt = body(out, SHEET).select_one("figure.rd-article-excerpt")
    sentences = load("article_sentences")
    expected = sentences[sentences["paragraph"].isin([3, 4, 6])]["sentence_id"].tolist()
    assert [s.get_text() for s in excerpt.select("span.rd-sid")] == expected
    assert excerpt.select("[id^=p0]") == [] and excerpt.select("a.rd-sid") == []
    assert "Paragraphs 3–4 and 6 of the case-study text" in excerpt.figcaption.get_text()
    assert body(out, "article").select_one('[id="p03s01"]')  # the full article keeps its targets


@pytest.mark.parametrize(
    "spec, phrase", [("p40", "no paragraph 40"), ("p05-p03", "runs backwards"), ("chapter 3", "'chapter 3'")]
)
def test_bad_paragraphs_fail(book, spec, phrase):
    assert_fails(book({SHEET: f"# Sheet\n\n```{{article}}\n:paragraphs: {spec}\n```\n"}), "sheet.md", phrase)


# --- event cards -------------------------------------------------------------------------------

CARDS = ":::{event-cards}\nb52-drill-2023-03-06\nhanoi-summit\n:::\n"


def test_event_cards_show_date_event_and_source(book):
    code, warnings, out = book({SHEET: "# Sheet\n\n" + CARDS})
    assert code == 0, warnings
    cards = body(out, SHEET).select("div.rd-event-cards > div.rd-event-card")
    events = load("timeline").set_index("event_id")
    sources = load("sources").set_index("source_id")
    assert len(cards) == 2
    for card, (letter, event_id) in zip(cards, [("A", "b52-drill-2023-03-06"), ("B", "hanoi-summit")]):
        row = events.loc[event_id]
        text = card.get_text(" ", strip=True)
        assert text.startswith(f"Card {letter} · {format_date_range(row['date_start'], row['date_end'])}")
        assert row["event"] in text
        assert f"Source: {sources.loc[row['source_id'], 'publisher']}" in text
        assert card.select("a") == []  # cut out of paper: no links


def test_event_cards_can_hide_dates(book):
    code, warnings, out = book({SHEET: "# Sheet\n\n" + CARDS.replace("}\n", "}\n:hide-date:\n", 1)})
    assert code == 0, warnings
    cards = body(out, SHEET).select("div.rd-event-card")
    events = load("timeline").set_index("event_id")
    sources = load("sources").set_index("source_id")
    for card, event_id in zip(cards, ["b52-drill-2023-03-06", "hanoi-summit"]):
        row = events.loc[event_id]
        text = card.get_text(" ", strip=True)
        assert format_date(row["date_start"]) not in text and row["date_start"].strftime("%B") not in text
        assert sources.loc[row["source_id"], "publisher"] in text


def test_unknown_event_fails(book):
    assert_fails(
        book({SHEET: "# Sheet\n\n" + CARDS.replace("hanoi-summit", "moon-landing")}), "timeline.csv", "'moon-landing'"
    )


# --- handout PDFs ----------------------------------------------------------------------------

PDF_PAGES = {
    SHEET: "# Lesson sheet\n\n:::{handout-pdf} lesson-9-9-student.pdf\n:::\n\nText.\n",
    PACK: "# Teacher's pack\n\n:::{handout-pdf} lesson-9-9-teacher\n:::\n\nPrint {pdf}`lesson-9-9-student.pdf`.\n",
    "links": "# Links\n\nSee {pdf}`the handout <lesson-9-9-student.pdf>`.\n",
}


def test_handout_pdf_links_and_manifest(book):
    code, warnings, out = book(PDF_PAGES)
    assert code == 0, warnings
    line = body(out, SHEET).select_one("p.rd-handout-link")
    assert line.get_text().strip() == "Print-ready PDF: lesson-9-9-student.pdf"
    assert line.a["href"] == "../../handouts/lesson-9-9-student.pdf"
    assert (
        str(line.select_one("span.rd-pdf-pages"))
        == '<span class="rd-pdf-pages" data-pdf="lesson-9-9-student.pdf"></span>'
    )
    html = (out / "links.html").read_text(encoding="utf-8")
    assert re.search(
        r'<a [^>]*href="handouts/lesson-9-9-student.pdf">the handout</a> '
        r'<span class="rd-pdf-pages" data-pdf="lesson-9-9-student.pdf"></span>',
        html,
    )
    pack = body(out, PACK).select("a.rd-pdf")
    assert [a["href"] for a in pack] == [
        "../../handouts/lesson-9-9-teacher.pdf",
        "../../handouts/lesson-9-9-student.pdf",
    ]
    manifest = json.loads((out / "handouts" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == [
        {"name": "lesson-9-9-student.pdf", "page": f"{SHEET}.html", "title": "Lesson sheet", "edition": "all"},
        {"name": "lesson-9-9-teacher.pdf", "page": f"{PACK}.html", "title": "Teacher's pack", "edition": "teacher"},
    ]


def test_student_edition_lists_no_teacher_pdf(book):
    pages = {SHEET: PDF_PAGES[SHEET], PACK: PDF_PAGES[PACK]}
    code, warnings, out = book(pages, edition="student")
    assert code == 0, warnings
    manifest = json.loads((out / "handouts" / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["name"] for entry in manifest] == ["lesson-9-9-student.pdf"]


def test_teacher_pdf_link_only_in_teacher_blocks_of_the_student_edition(book):
    hidden = "# Links\n\n```{only} teacher_edition\nKey: {pdf}`lesson-9-9-teacher.pdf`\n```\n"
    code, warnings, _ = book({**PDF_PAGES, "links": hidden}, edition="student")
    assert code == 0, warnings
    shown = "# Links\n\nKey: {pdf}`lesson-9-9-teacher.pdf`\n"
    assert_fails(book({**PDF_PAGES, "links": shown}, edition="student"), "links.md", "{only} teacher_edition")


def test_duplicate_handout_name_fails(book):
    pages = {**PDF_PAGES, "links": "# Links\n\n:::{handout-pdf} lesson-9-9-student.pdf\n:::\n"}
    assert_fails(book(pages), "links.md", "'lesson-9-9-student.pdf' is declared twice")


def test_pdf_link_to_undeclared_name_fails(book):
    pages = {**PDF_PAGES, "links": "# Links\n\nSee {pdf}`lesson-0-0-student.pdf`.\n"}
    assert_fails(book(pages), "links.md", "no page declares 'lesson-0-0-student.pdf'")


def test_bad_pdf_names_fail(book):
    assert_fails(book({SHEET: "# Sheet\n\n:::{handout-pdf} Lesson-1.docx\n:::\n"}), "sheet.md", "not a PDF name")


# --- valid and accessible markup --------------------------------------------------------------

ALL = (
    "# Everything\n\n:::{handout-pdf} all.pdf\n:::\n\n:::{vocabulary}\ndeterrence\nwar deterrent\n:::\n\n"
    "```{article}\n:paragraphs: p01-p03\n```\n\n" + CARDS + "\n:::{exit-ticket}\nq-source\nq-date\n:::\n\n"
    ":::{check-key}\nq-source\nq-date\n:::\n\nSee {pdf}`all.pdf`.\n"
)


def standalone(out, page: str) -> str:
    """The page's main content in a minimal HTML5 page, so that only our markup is judged."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Handout</title></head>'
        f"<body><main>{body(out, page).decode_contents()}</main></body></html>"
    )


@pytest.fixture
def everything(book, tmp_path):
    code, warnings, out = book({QUIZ_PAGE: QUIZ, SHEET: ALL})
    assert code == 0, warnings
    page = tmp_path / "standalone.html"
    page.write_text(standalone(out, SHEET), encoding="utf-8")
    return page


@pytest.mark.build
def test_markup_is_valid_html(everything):
    require(validator_missing())
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(everything)], capture_output=True, text=True
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [f"{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"] == []


@pytest.mark.browser
def test_markup_passes_axe(everything, browser):
    from tools.audit import AXE_SCRIPT

    page = browser.new_page()
    try:
        page.goto(everything.as_uri())
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(AXE_SCRIPT) == []
    finally:
        page.close()
