"""Re-run the notebooks when the data or this package change, not only when a notebook does.

myst-nb caches each notebook's outputs under a key made from the notebook's code cells alone. A
page whose cell says ``glue_facts(article_facts())`` therefore keeps its old outputs when
``data/`` or the package changes: numbers in the prose go stale, silently, until someone
clears ``_build/.jupyter_cache``. This module makes that automatic. At the start of a build it
hashes every file of the data package and every module of this package; when the hash differs from
the one stored by the last successful build, it clears the execution cache and marks every page
to be read again.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ..contract import package_path
from .report import DATA_ERRORS, data_error

logger = logging.getLogger(__name__)

#: The whole runtime package (every layer), whose code the notebooks run.
PACKAGE = Path(__file__).resolve().parents[1]
STAMP = "reading-deterrence-inputs.txt"


def inputs_key(data_dir: Path, package_dir: Path = PACKAGE) -> str:
    """A hash of every file in ``data_dir`` and every ``.py`` file of the package, names included."""
    digest = hashlib.sha256()
    for root, pattern in ((Path(data_dir), "*"), (Path(package_dir), "*.py")):
        for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def refresh(cache: Path, stamp: Path, key: str) -> bool:
    """Clear ``cache`` if ``stamp`` does not hold ``key``; return whether the inputs had changed."""
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == key:
        return False
    # resolve(): the student edition's cache is a symbolic link to the teacher's (one cache for both,
    # see the Makefile), and rmtree does nothing to a link.
    shutil.rmtree(cache.resolve(), ignore_errors=True)
    return True


def _paths(app: Sphinx) -> tuple[Path, Path]:
    cache = getattr(app.config, "nb_execution_cache_path", "") or Path(app.outdir).parent / ".jupyter_cache"
    return Path(cache), Path(app.doctreedir) / STAMP


def data_dir(package: str | None) -> Path:
    """The folder of the data package, for ``reading_deterrence_data`` as configured: ``None``, a
    folder, or a ``datapackage.json`` file (found as :func:`~reading_deterrence.load` finds it)."""
    return package_path(package).parent


def on_builder_inited(app: Sphinx) -> None:
    cache, stamp = _paths(app)
    try:
        folder = data_dir(app.config.reading_deterrence_data)
    except DATA_ERRORS as err:  # no data package at all: report it, and run every notebook again
        data_error(err, what="notebook freshness", env=app.env)
        app.env.reading_deterrence_inputs = None
        app.env.reading_deterrence_stale = refresh(cache, stamp, "")
        return
    app.env.reading_deterrence_inputs = inputs_key(folder)
    app.env.reading_deterrence_stale = refresh(cache, stamp, app.env.reading_deterrence_inputs)
    if app.env.reading_deterrence_stale and stamp.is_file():
        logger.info("data or package changed since the last build: notebooks will run again")


def outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: every page, if the inputs changed (pages glue numbers from them)."""
    return sorted(env.found_docs) if getattr(env, "reading_deterrence_stale", False) else []


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    key = getattr(app.env, "reading_deterrence_inputs", None)
    if exception is None and key:
        _, stamp = _paths(app)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(key + "\n", encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", on_builder_inited)
    app.connect("env-get-outdated", outdated)
    app.connect("build-finished", on_build_finished)
