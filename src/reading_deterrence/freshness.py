"""Re-run the notebooks when the data or this package change, not only when a notebook does.

myst-nb caches each notebook's outputs under a key made from the notebook's code cells alone. A
page whose cell says ``glue_facts(article_facts())`` therefore keeps its old outputs when
``data/`` or ``launches.py`` changes: numbers in the prose go stale, silently, until someone
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

logger = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
STAMP = "reading-deterrence-inputs.txt"


def inputs_key(data_dir: Path, package_dir: Path = PACKAGE) -> str:
    """A hash of every file in ``data_dir`` and every ``.py`` file of the package, names included."""
    digest = hashlib.sha256()
    files = sorted(p for p in Path(data_dir).rglob("*") if p.is_file())
    files += sorted(Path(package_dir).rglob("*.py"))
    for path in files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def refresh(cache: Path, stamp: Path, key: str) -> bool:
    """Clear ``cache`` if ``stamp`` does not hold ``key``; return whether the inputs had changed."""
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == key:
        return False
    shutil.rmtree(cache, ignore_errors=True)
    return True


def _paths(app: Sphinx) -> tuple[Path, Path]:
    cache = getattr(app.config, "nb_execution_cache_path", "") or Path(app.outdir).parent / ".jupyter_cache"
    return Path(cache), Path(app.doctreedir) / STAMP


def data_dir(package: str | None) -> Path:
    """The folder of the data package, for ``reading_deterrence_data`` as configured: ``None``, a
    folder, or a ``datapackage.json`` file (resolved as :func:`~reading_deterrence.data.load` does)."""
    from .data import data_files

    return data_files(package)[0].parent


def on_builder_inited(app: Sphinx) -> None:
    cache, stamp = _paths(app)
    app.env.reading_deterrence_inputs = inputs_key(data_dir(getattr(app.config, "reading_deterrence_data", None)))
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
