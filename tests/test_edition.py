"""Teacher and student editions. Tested on tiny books (sphinx-exercise and our extension, no
Jupyter Book): the student edition drops every solution, gated or not, every teacher-only page
(pruned from sphinx-external-toc's site map) and every ``{only} teacher_edition`` block, from the
pages and the search index; its views hold back the device activities' answers; every page has the
edition's banner. Then on the whole book as ``make student`` builds it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from edition_leaks import held_back_texts, held_sentence_leaks, teacher_only_texts, text_of_build
from sphinx.cmd.build import build_main

from conftest import DATA_DIR, ROOT

CONF = """
extensions = ["myst_parser", "sphinx_exercise", "reading_deterrence.sphinxext"]
myst_enable_extensions = ["colon_fence", "deflist"]
reading_deterrence_data = {data!r}
exclude_patterns = ["_build"]
html_theme = "basic"
templates_path = []  # not the process-wide default, which a sphinx_book_theme build extends
smartquotes = False  # as in the book: quotations exactly as printed
reading_deterrence_require_description = False
"""

PAGE = """# Exercises

:::{exercise}
:label: ex-plain

Count the quotations.
:::

:::{solution} ex-plain
:class: dropdown

PLAIN-SOLUTION-TEXT
:::

:::{exercise}
:label: ex-gated

Recode a sentence.
:::

```{solution-start} ex-gated
:class: dropdown
```

GATED-SOLUTION-TEXT

```{solution-end}
```

:::{admonition} After the exercises
Text that follows the solutions.
:::

```{only} student_edition
ONLY-FOR-STUDENTS
```

```{only} teacher_edition
ONLY-FOR-TEACHERS and the word zebrateachword, for the search index.
```
"""


def build(tmp_path, monkeypatch, edition: str | None):
    if edition is None:
        monkeypatch.delenv("READING_DETERRENCE_EDITION", raising=False)
    else:
        monkeypatch.setenv("READING_DETERRENCE_EDITION", edition)
    src, out, log = tmp_path / "src", tmp_path / "out", tmp_path / "warnings.txt"
    src.mkdir()
    (src / "conf.py").write_text(CONF.format(data=str(DATA_DIR)), encoding="utf-8")
    (src / "index.md").write_text(PAGE, encoding="utf-8")
    code = build_main([str(src), str(out), "-b", "html", "-W", "-n", "-E", "-q", "-w", str(log)])
    html = (out / "index.html").read_text(encoding="utf-8") if (out / "index.html").exists() else ""
    return code, log.read_text(encoding="utf-8"), html


@pytest.mark.parametrize("edition", [None, "teacher"])
def test_teacher_edition_keeps_every_solution(tmp_path, monkeypatch, edition):
    code, warnings, html = build(tmp_path, monkeypatch, edition)
    assert code == 0, warnings
    assert "PLAIN-SOLUTION-TEXT" in html and "GATED-SOLUTION-TEXT" in html
    assert "ONLY-FOR-TEACHERS" in html and "ONLY-FOR-STUDENTS" not in html


def test_student_edition_drops_every_solution_and_nothing_else(tmp_path, monkeypatch):
    code, warnings, html = build(tmp_path, monkeypatch, "student")
    assert code == 0, warnings
    assert "PLAIN-SOLUTION-TEXT" not in html and "GATED-SOLUTION-TEXT" not in html
    assert 'class="solution' not in html
    assert "Count the quotations." in html and "Recode a sentence." in html
    assert "Text that follows the solutions." in html
    assert "ONLY-FOR-STUDENTS" in html and "ONLY-FOR-TEACHERS" not in html


def test_unknown_edition_fails_with_the_choices(tmp_path, monkeypatch, capsys):
    code, _, _ = build(tmp_path, monkeypatch, "pupil")
    assert code != 0
    assert "'pupil'; use one of teacher, student" in capsys.readouterr().err


def test_only_blocks_are_absent_from_the_search_index(tmp_path, monkeypatch):
    """``{only}`` content is dropped before the page is indexed, not merely hidden in the HTML."""
    (tmp_path / "s").mkdir()
    (tmp_path / "t").mkdir()
    code, warnings, html = build(tmp_path / "s", monkeypatch, "student")
    assert code == 0, warnings
    index = (tmp_path / "s" / "out" / "searchindex.js").read_text(encoding="utf-8")
    assert "zebrateachword" not in index and "zebrateachword" not in html
    code, warnings, html = build(tmp_path / "t", monkeypatch, "teacher")
    assert code == 0, warnings
    assert "zebrateachword" in (tmp_path / "t" / "out" / "searchindex.js").read_text(encoding="utf-8")
    assert 'class="rd-teacher-only' in html, "teacher-only content is marked, so that a test can find it"


# --- A tiny book with a table of contents and a teacher's part, in the book's theme -------------

TOC = """\
format: jb-book
root: intro
parts:
  - caption: The chapters
    chapters:
      - file: chapters/lesson
  - caption: For teachers
    chapters:
      - file: chapters/teachers/guide
        sections:
          - file: chapters/teachers/packs/pack
"""

TOC_CONF = """
extensions = ["myst_parser", "sphinx_exercise", "sphinx_external_toc", "reading_deterrence.sphinxext"]
external_toc_path = "_toc.yml"
external_toc_exclude_missing = True
myst_enable_extensions = ["colon_fence", "deflist"]
reading_deterrence_data = {data!r}
exclude_patterns = ["_build"]
html_theme = "sphinx_book_theme"
templates_path = []  # a list of this book's own (the theme's overrides are added to it)
reading_deterrence_require_description = False
"""

SHARED = "This paragraph is for everyone: the lesson page and the pack for teachers both print it."

TOC_PAGES = {
    "intro.md": "(intro)=\n# Tiny module\n\nThe first page.\n",
    "chapters/lesson.md": f"""(lesson)=
# A lesson

{SHARED}

:::{{exercise}}
:label: ex-one

Count the voices in the article.
:::

:::{{solution}} ex-one
:class: dropdown

The solution says that there are five voices, and names every one of them plainly.
:::

```{{only}} teacher_edition
The lesson plan for this page is in {{ref}}`teachers-guide`, with timings for a class of thirty.
```
""",
    "chapters/teachers/guide.md": f"""(teachers-guide)=
# Teacher's guide

Only teachers read this guide, which explains how to run the lesson in fifty minutes.

{SHARED}
""",
    "chapters/teachers/packs/pack.md": """(pack-one)=
# Lesson pack

The key to the activity: five voices, with the words that attribute each of them.
""",
}


def build_toc_book(folder: Path, monkeypatch, edition: str):
    """The tiny book with a teacher's part, built in ``edition``; returns (exit code, warnings, out)."""
    monkeypatch.setenv("READING_DETERRENCE_EDITION", edition)
    src, out, log = folder / "src", folder / "out", folder / "warnings.txt"
    for name, text in {**TOC_PAGES, "_toc.yml": TOC, "conf.py": TOC_CONF.format(data=str(DATA_DIR))}.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    code = build_main([str(src), str(out), "-b", "html", "-W", "-n", "-E", "-q", "-w", str(log)])
    return code, log.read_text(encoding="utf-8"), out


@pytest.fixture(scope="module")
def toc_books(tmp_path_factory):
    """The tiny book with a teacher's part, built once in each edition (two builds, about 10 s)."""
    monkeypatch = pytest.MonkeyPatch()
    built = {}
    for edition in ("teacher", "student"):
        code, warnings, out = build_toc_book(tmp_path_factory.mktemp(edition), monkeypatch, edition)
        assert code == 0, warnings
        built[edition] = out
    monkeypatch.undo()
    return built


def _html(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in _pages(out)}


def test_student_edition_leaves_out_the_teacher_pages(toc_books):
    teacher, student = _html(toc_books["teacher"]), _html(toc_books["student"])
    assert "chapters/teachers/guide.html" in teacher and "chapters/teachers/packs/pack.html" in teacher
    assert not (toc_books["student"] / "chapters" / "teachers").exists(), "no teacher page is written"
    assert {p.name for p in toc_books["student"].rglob("*.html")}.isdisjoint({"guide.html", "pack.html"})
    assert "For teachers" in teacher["intro.html"], "the teacher edition's navigation has the teacher's part"
    for name, page in student.items():
        assert "For teachers" not in page and "teachers/" not in page, f"{name} points at the teacher's part"
        assert "Lesson pack" not in page
    index = (toc_books["student"] / "searchindex.js").read_text(encoding="utf-8")
    assert "teachers/" not in index and "lesson plan" not in index.lower()
    assert "chapters/lesson" in index, "the rest of the book is indexed as before"


def test_every_page_has_its_edition_s_banner(toc_books):
    for edition, out in toc_books.items():
        for name, page in _html(out).items():
            if name == "index.html":  # the root page: a redirect to the first page
                continue
            banner = re.search(r'<aside class="rd-edition rd-edition-(\w+)".*?</aside>', page, re.S)
            assert banner and banner.group(1) == edition, name
            depth = "../" * name.count("/")
            root = "" if name == "intro.html" else f"{depth}intro.html"
            assert f'href="{root}#welcome-source"' in banner.group(0), name
            zip_link = f'href="{depth}downloads/reading-deterrence-student.zip"'
            assert (zip_link in banner.group(0)) == (edition == "teacher"), name
            title = "Teacher edition</strong>: includes answer keys and lesson plans." if edition == "teacher" else (
                "Student edition</strong>.")
            assert title in banner.group(0), name


def test_teacher_only_texts_finds_what_the_student_edition_must_not_have(toc_books):
    texts = teacher_only_texts(toc_books["teacher"])
    expected = [
        "The solution says that there are five voices",
        "The lesson plan for this page is in",
        "Only teachers read this guide",
        "The key to the activity: five voices",
    ]
    for start in expected:
        assert any(text.startswith(start) for text in texts), (start, texts)
    assert SHARED not in texts, "text the students' pages also carry is not teacher-only"
    assert not any("Count the voices" in text for text in texts), "the exercise itself is for students"
    student = text_of_build(toc_books["student"])
    assert [text for text in texts if text in student] == []
    assert SHARED in student


def test_a_teacher_pointer_outside_an_only_block_fails_the_student_build(tmp_path, monkeypatch):
    """A student page may not point at a teacher page except inside ``{only} teacher_edition``."""
    monkeypatch.setitem(
        TOC_PAGES, "chapters/lesson.md", TOC_PAGES["chapters/lesson.md"] + "\nSee {ref}`teachers-guide`.\n"
    )
    code, warnings, _ = build_toc_book(tmp_path / "t", monkeypatch, "teacher")
    assert code == 0, warnings
    code, warnings, _ = build_toc_book(tmp_path / "s", monkeypatch, "student")
    assert code != 0 and "teachers-guide" in warnings


def test_prune_site_map_drops_pages_and_empty_parts():
    from sphinx.util.matching import Matcher
    from sphinx_external_toc.parsing import parse_toc_yaml

    from reading_deterrence.sphinxext.edition import prune_site_map

    site_map = parse_toc_yaml(ROOT / "_toc.yml")
    teacher = [name for name in site_map if name.startswith("chapters/teachers/")]
    assert "chapters/teachers/answer-keys" in teacher and "chapters/teachers/packs/lesson-1-1" in teacher
    removed = prune_site_map(site_map, Matcher(["chapters/teachers/**"]))
    assert sorted(removed) == sorted(teacher)
    listed = [str(item) for name in site_map for tree in site_map[name].subtrees for item in tree.items]
    assert not [item for item in listed if item.startswith("chapters/teachers/")]
    captions = [tree.caption for tree in site_map.root.subtrees]
    assert "For teachers" not in captions and "Handouts" in captions and "Reference" in captions


# --- The device activities: their answers are held back in the student edition --------------------

HELD_PAGES = {
    "index.md": "# Held back\n\n```{toctree}\narticle\nviews\nsources\n```\n",
    "article.md": "(case-article)=\n# Article\n\n```{article}\n```\n",
    "sources.md": "# Sources\n\n```{data-view} sources\n```\n",
    "views.md": """# Views

```{annotated-article}
:article: article
```

```{data-view} coding_table
```

```{data-view} claims
```
""",
}


def build_held(folder: Path, monkeypatch, edition: str) -> dict:
    """The held-back views on a tiny book in ``edition``: the page's HTML, its text, the output."""
    monkeypatch.setenv("READING_DETERRENCE_EDITION", edition)
    src, out, log = folder / "src", folder / "out", folder / "warnings.txt"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(CONF.format(data=str(DATA_DIR)), encoding="utf-8")
    for name, text in HELD_PAGES.items():
        (src / name).write_text(text, encoding="utf-8")
    code = build_main([str(src), str(out), "-b", "html", "-W", "-n", "-E", "-q", "-w", str(log)])
    assert code == 0, log.read_text(encoding="utf-8")
    html = (out / "views.html").read_text(encoding="utf-8")
    # without any whitespace: the language marks split Korean text into spans
    return {"html": html, "text": squash(BeautifulSoup(html, "html.parser").get_text()), "out": out}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_views_hold_back_the_device_activities_answers(tmp_path, monkeypatch):
    from reading_deterrence import load
    from reading_deterrence.facts import CODING_ACTIVITY_SENTENCES, LATERAL_READING_CLAIMS

    teacher = build_held(tmp_path / "t", monkeypatch, "teacher")
    student = build_held(tmp_path / "s", monkeypatch, "student")
    claims = load("claims").set_index("claim_id")
    for claim in LATERAL_READING_CLAIMS:
        evidence = squash(claims.loc[claim, "evidence"])[:50]
        assert evidence in teacher["text"] and evidence not in student["text"], claim
        assert claims.loc[claim, "verdict"] in teacher["text"]
        assert f'id="claim-{claim}"' in student["html"], "the claim keeps its anchor"
    note = squash("the lateral-reading activity")
    assert note in student["text"] and note not in teacher["text"]
    assert squash(claims.loc["c03", "evidence"])[:50] in student["text"], "other claims keep their evidence"
    for sid in CODING_ACTIVITY_SENTENCES:
        assert f'id="annotated-{sid}" data-speaker=' in teacher["html"], sid
        assert f'<li class="rd-as rd-as-held" id="annotated-{sid}">' in student["html"], sid
        assert squash(f"All codes for {sid}") not in student["text"], sid
    assert 'id="annotated-p03s01" data-speaker=' in student["html"], "other sentences keep their codes"
    assert squash("you code this sentence yourself") in student["text"]
    found = held_back_texts(teacher["out"])
    assert len(found) >= len(LATERAL_READING_CLAIMS)
    assert [text for text in found if text in text_of_build(student["out"])] == []


def test_coding_table_and_ledger_hold_back_by_id():
    """The rendering layer, without Sphinx: the IDs come in as an argument."""
    from reading_deterrence.rendering.base import HeldBack
    from reading_deterrence.rendering.views import render

    held = HeldBack(claims=frozenset({"c05"}), claims_note="NOTE-C", sentences=frozenset({"p04s01"}),
                    sentences_note="NOTE-S")
    table = render("coding_table", held_back=held).text
    row = table[table.index("{sentence}`p04s01`"):].split("* -")[0]
    assert row.count("*held back*") == 5 and "NOTE-S" in table
    assert render("coding_table").text.count("held back") == 0
    ledger = render("claims", held_back=held).text
    assert "NOTE-C" in ledger and "heightened tensions as the pace" in ledger
    assert "Allied statements on expanding drills" not in ledger, "c05's verification and evidence are held back"
    assert "*Asserted by:* held back" in ledger, "p04s01's claims do not say who speaks"
    assert render("timeline", held_back=held).text == render("timeline").text


def test_codebook_shows_no_held_back_sentence_as_an_example():
    """An attribution verb's example names the words that attribute that sentence: the student
    edition's codebook gives none for the sentences students code themselves."""
    from reading_deterrence import load
    from reading_deterrence.facts import STUDENT_HELD_BACK
    from reading_deterrence.rendering.views import render

    examples = set(load("codebook")["example_sentence_id"].dropna())
    held = STUDENT_HELD_BACK.sentences
    assert examples & held, "the codebook's examples no longer include an activity sentence: simplify"
    teacher, student = render("codebook").text, render("codebook", held_back=STUDENT_HELD_BACK).text
    assert all(f"{{sentence}}`{sid}`" in teacher for sid in examples & held)
    assert [sid for sid in held if sid in student] == []
    assert all(f"{{sentence}}`{sid}`" in student for sid in examples - held), "other examples stay"
    assert "this edition shows no example" in student and "held back" not in teacher.lower()


def test_held_sentence_leaks_finds_the_module_s_coding_of_an_activity_sentence(tmp_path):
    page = tmp_path / "chapters" / "lab.html"
    page.parent.mkdir()
    page.write_text(
        "<html><body><article class='bd-article'><table>"
        "<tr><th>p02s01</th><td>orders</td><td>judgement</td></tr>"
        "<tr><th>p12s01</th><td>held back</td><td>held back</td></tr>"
        "<tr><th>p05s01</th><td>said</td><td>neutral</td></tr></table>"
        "<p>Two verbs judge: “orders” (p02s01) and “claimed” (p10s01).</p>"
        "<p>The standfirst (p02s01) is short.</p></article></body></html>",
        encoding="utf-8",
    )
    assert held_sentence_leaks(tmp_path) == [
        ("chapters/lab.html", "p02s01 | orders | judgement"),
        ("chapters/lab.html", "“orders” (p02s01"),
    ]


def test_the_student_lab_pastes_only_its_own_tables_and_figures():
    """chapters/02-who-speaks/lab.md: one executed notebook serves both editions, so each table or
    figure that shows the module's coding is glued twice and each edition pastes its own: every
    table or figure pasted in the student edition is a ``-student`` version, and each has a
    teacher one beside it. A code cell's own output is the same in both editions: the cells whose
    output shows coded rows are tagged ``remove-output``."""
    text = (ROOT / "chapters" / "02-who-speaks" / "lab.md").read_text(encoding="utf-8")
    blocks = re.findall(r":::\{only\} (\w+)\n(.*?)\n:::\n", text, re.S)
    pasted = {"student_edition": [], "teacher_edition": []}
    for edition, body in blocks:
        pasted[edition] += re.findall(r"```\{glue(?::figure)?\} (\S+)", body)
    student, teacher = pasted["student_edition"], pasted["teacher_edition"]
    assert len(student) >= 6, "the lab's tables and figures of the coding: has the page changed?"
    assert [key for key in student if not key.endswith("-student")] == []
    assert sorted(key.removesuffix("-student") for key in student) == sorted(teacher)
    # the cells that display the verbs, the crosstab, the positions and the loaded words
    shown = ("table.", "by_side.", "positions.", "loaded.")
    for cell in re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text, re.S):
        if cell.strip().splitlines()[-1].startswith(shown):
            assert re.match(r":tags: \[[^]]*remove-(output|cell)", cell), cell


def test_withhold_masks_the_activity_sentences_in_a_lab_table():
    import pandas as pd

    from reading_deterrence.facts import CODING_ACTIVITY_SENTENCES, withhold

    first, other = CODING_ACTIVITY_SENTENCES[0], "p05s01"
    table = pd.DataFrame({"speaker": ["kcna", "us_rok"], "words": [3, 4]}, index=[first, other])
    shown = withhold(table, ["speaker"])
    assert shown.loc[first, "speaker"] == "held back" and shown.loc[first, "words"] == 3
    assert shown.loc[other, "speaker"] == "us_rok"
    positions = pd.DataFrame({"first_sentence": [first, other]}, index=["a", "b"])
    assert list(withhold(positions, [])["first_sentence"]) == ["held back", other]


def test_the_activities_name_the_items_the_student_edition_holds_back():
    """The IDs are chapter facts (facts.py); the activities must tell students the same ones."""
    from reading_deterrence import load
    from reading_deterrence.facts import CODING_ACTIVITY_SENTENCES, LATERAL_READING_CLAIMS

    def section(page: str, start: str, end: str) -> str:
        text = (ROOT / "chapters" / page).read_text(encoding="utf-8")
        return " ".join(text[text.index(start) : text.index(end, text.index(start))].split())

    voices = section("01-the-case/index.md", "(case-activity-voices)=", "(case-activity-how-we-know)=")
    coding = section("02-who-speaks/index.md", "(speak-activity-code)=", "## Discussion prompts")
    for text in (voices, coding):
        assert sorted(set(re.findall(r"\{sentence\}`(p\d\ds\d\d)`", text))) == sorted(CODING_ACTIVITY_SENTENCES)
    tracing = section("03-state-media/lateral-reading.md", "## Your turn", "(state-worksheet)=")
    claims = load("claims").set_index("claim_id")
    for claim in LATERAL_READING_CLAIMS:
        assert f"claim {claim}" in tracing, claim
        assert f"{{sentence}}`{claims.loc[claim, 'sentence_id']}`, claim {claim}" in tracing, claim
        assert claims.loc[claim, "claim"][-30:] in tracing, claim


def test_answer_keys_page_lists_every_exercise():
    """The teacher's answer-key index cannot silently miss an exercise added later."""
    from conftest import ROOT

    chapters = ROOT / "chapters"
    labels = set()
    for page in chapters.rglob("*.md"):
        labels |= set(re.findall(r"^:::\{exercise\}\n:label: (\S+)", page.read_text(encoding="utf-8"), re.M))
    keys = (chapters / "teachers" / "answer-keys.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"<([a-z0-9-]+)>`", keys))
    assert labels, "no exercises found: has the exercise syntax changed?"
    assert sorted(labels - listed) == [], "exercises missing from chapters/teachers/answer-keys.md"


def _pages(root) -> list[Path]:
    """Every built HTML page under ``root`` (not the theme's static files)."""
    return [page for page in sorted(root.rglob("*.html")) if "_static" not in page.parts]


def _count(pattern: str, root) -> dict[str, int]:
    """How often ``pattern`` occurs in each built page under ``root``, by page path."""
    return {str(page.relative_to(root)): len(re.findall(pattern, page.read_text(encoding="utf-8"))) for page in _pages(root)}


@pytest.mark.build
def test_student_edition_of_the_whole_book(built_book, student_book):
    """``make student`` on the real book (the shared ``student_book`` build: strict, ``--all``):
    the teacher's part left out; every other page, exercise and self-check kept; not one solution,
    teacher-only block or held-back answer left; each edition's banner on every page."""
    html = student_book.html

    student_pages = [page.relative_to(html).as_posix() for page in _pages(html)]
    teacher_pages = [page.relative_to(built_book.html).as_posix() for page in _pages(built_book.html)]
    assert [p for p in teacher_pages if p.startswith("chapters/teachers/")], "the teacher edition has the teacher's part"
    shared = [p for p in teacher_pages if not p.startswith("chapters/teachers/")]
    assert student_pages == shared, "the student edition has every page but the teacher's part"

    solutions = {page: n for page, n in _count(r'class="solution', html).items() if n}
    assert solutions == {}, f"solutions left in the student edition: {solutions}"
    exercises = _count(r'class="exercise', built_book.html)
    assert sum(exercises.values()) > 0, "no exercises found: has sphinx-exercise's markup changed?"
    assert _count(r'class="solution', built_book.html) == exercises, "every exercise has a solution for teachers"

    for pattern in (r'class="exercise', r'class="rd-check"', r'class="rd-check-feedback'):
        teacher = {page: n for page, n in _count(pattern, built_book.html).items() if page in shared}
        assert _count(pattern, html) == teacher, pattern

    text = text_of_build(html)
    leaks = [chunk for chunk in teacher_only_texts(built_book.html) + held_back_texts(built_book.html) if chunk in text]
    assert leaks == [], f"teacher-only text in the student edition: {leaks[:5]}"
    assert held_sentence_leaks(html) == [], "the module's coding of an activity sentence in the student edition"
    assert held_sentence_leaks(built_book.html), "the teacher edition has it: is the check still finding it?"
    for root, edition in ((html, "student"), (built_book.html, "teacher")):
        missing = [p for p in _pages(root) if p.name != "index.html" and f"rd-edition-{edition}" not in p.read_text()]
        assert missing == [], f"pages without the {edition} edition's banner: {missing[:5]}"
