"""Teacher and student editions: the student edition drops every solution, gated or not, and
nothing else; ``{only}`` blocks follow the edition. Tested on tiny books (sphinx-exercise and our
extension, no Jupyter Book), then on the whole book as ``make student`` builds it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from conftest import DATA_DIR

CONF = """
extensions = ["myst_parser", "sphinx_exercise", "reading_deterrence.sphinxext"]
myst_enable_extensions = ["colon_fence"]
reading_deterrence_data = {data!r}
exclude_patterns = ["_build"]
html_theme = "basic"
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
ONLY-FOR-TEACHERS
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
def test_student_edition_of_the_whole_book(built_book):
    """``make student`` on the real book: a strict build, every exercise and every self-check kept,
    not one solution left, and the answer-key page saying which edition it is."""
    from conftest import BUILD, ROOT

    out = BUILD / "student"
    html = out / "_build" / "html"
    shutil.rmtree(html, ignore_errors=True)
    jb = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jb), "build", str(ROOT), "-W", "-n", "--keep-going", "--all", "--path-output", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "READING_DETERRENCE_EDITION": "student"},
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]

    student_pages = [page.relative_to(html) for page in _pages(html)]
    teacher_pages = [page.relative_to(built_book.html) for page in _pages(built_book.html)]
    assert student_pages == teacher_pages, "the two editions must have the same pages"

    solutions = {page: n for page, n in _count(r'class="solution', html).items() if n}
    assert solutions == {}, f"solutions left in the student edition: {solutions}"
    exercises = _count(r'class="exercise', built_book.html)
    assert sum(exercises.values()) > 0, "no exercises found: has sphinx-exercise's markup changed?"
    assert _count(r'class="solution', built_book.html) == exercises, "every exercise has a solution for teachers"

    for pattern in (r'class="exercise', r'class="rd-check"', r'class="rd-check-feedback'):
        assert _count(pattern, html) == _count(pattern, built_book.html), pattern

    keys = (html / "chapters" / "teachers" / "answer-keys.html").read_text(encoding="utf-8")
    assert "This is the student edition" in keys
    teacher_keys = (built_book.html / "chapters" / "teachers" / "answer-keys.html").read_text(encoding="utf-8")
    assert "This is the student edition" not in teacher_keys
