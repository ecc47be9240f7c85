"""Notebook outputs are re-computed when the data or the package change, not only the notebooks."""

from __future__ import annotations

import shutil

from conftest import DATA_DIR
from reading_deterrence.sphinxext.freshness import PACKAGE, data_dir, inputs_key, refresh


def test_key_changes_with_any_data_file_and_only_then(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    before = inputs_key(data)
    assert inputs_key(data) == before
    path = data / "exercises.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert inputs_key(data) != before


def test_key_covers_the_package_code(tmp_path):
    package = tmp_path / "pkg"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = inputs_key(DATA_DIR, package)
    (package / "launches.py").write_text("# changed\n", encoding="utf-8")
    assert inputs_key(DATA_DIR, package) != before


def test_refresh_clears_the_cache_only_when_the_key_differs(tmp_path):
    cache, stamp = tmp_path / ".jupyter_cache", tmp_path / "stamp.txt"
    cache.mkdir()
    stamp.write_text("old\n", encoding="utf-8")
    assert refresh(cache, stamp, "old") is False and cache.exists()
    assert refresh(cache, stamp, "new") is True and not cache.exists()
    cache.mkdir()
    stamp.unlink()
    assert refresh(cache, stamp, "new") is True and not cache.exists()  # first build: no stamp


def test_data_dir_accepts_every_form_of_the_config_value(tmp_path):
    """None, a folder and a datapackage.json file all hash the same data folder."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    assert data_dir(None) == DATA_DIR
    assert data_dir(str(data)) == data
    assert data_dir(str(data / "datapackage.json")) == data
    assert inputs_key(data_dir(str(data / "datapackage.json"))) == inputs_key(data)


def test_refresh_clears_a_cache_reached_through_a_symbolic_link(tmp_path):
    """The student edition reaches the shared notebook cache through a link (see the Makefile):
    clearing it must clear the cache, not leave it stale behind the link."""
    real = tmp_path / "real"
    (real / "nb").mkdir(parents=True)
    link = tmp_path / "student" / ".jupyter_cache"
    link.parent.mkdir()
    link.symlink_to(real)
    stamp = tmp_path / "stamp"
    stamp.write_text("old", encoding="utf-8")
    assert refresh(link, stamp, "new") is True
    assert not real.exists()
