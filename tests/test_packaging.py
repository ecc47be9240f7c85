"""`pip install .` gives a package that works without an editable install.

The package is installed (not linked) into a temporary folder from a copy of the project, so the
test sees what a teacher who runs `pip install .` gets: every layer, the page-shaping templates
and static files, and a loader that finds the book's data from inside the book.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "--target", str(target), str(source)],
        check=True, capture_output=True, text=True,
    )
    return target


def run(installed: Path, cwd: Path, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    env.pop("READING_DETERRENCE_DATA", None)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_installed_package_is_not_the_checkout(installed):
    result = run(installed, ROOT / "chapters", "import reading_deterrence; print(reading_deterrence.__file__)")
    assert result.stdout.strip() == str(installed / "reading_deterrence" / "__init__.py"), result.stderr


def test_it_finds_the_books_data_from_a_chapter_folder(installed):
    result = run(installed, ROOT / "chapters" / "05-numbers",
                 "from reading_deterrence import load, package_path; print(package_path()); print(len(load('exercises')))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(ROOT / "data" / "datapackage.json"), str(len((ROOT / "data" / "exercises.csv").read_text(encoding="utf-8").splitlines()) - 1)]


def test_outside_a_book_it_says_how_to_point_at_the_data(installed, tmp_path):
    result = run(installed, tmp_path, "from reading_deterrence import load\nload('exercises')")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-2:]
    assert last[0].startswith("reading_deterrence.contract.errors.DataError: 1 problem")
    assert "no data package found" in last[1] and "READING_DETERRENCE_DATA" in last[1]


def test_it_ships_every_layer_and_the_page_shaping_files(installed):
    package = installed / "reading_deterrence"
    for layer in ("contract", "analysis", "rendering", "sphinxext", "shaping"):
        assert (package / layer / "__init__.py").is_file(), layer
    shipped = {p.relative_to(package).as_posix() for p in (package / "shaping").rglob("*") if p.is_file() and p.suffix != ".pyc"}
    source = {p.relative_to(ROOT / "src" / "reading_deterrence").as_posix()
              for p in (ROOT / "src" / "reading_deterrence" / "shaping").rglob("*") if p.is_file() and p.suffix != ".pyc"}
    assert shipped == source
    assert not (package.parent / "tools").exists()  # the test and benchmark tools stay out
