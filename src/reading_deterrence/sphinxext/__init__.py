"""The book's one Sphinx extension: ``reading_deterrence.sphinxext`` in ``_config.yml``.

Every module of the package that imports Sphinx or docutils is here, except the page shaping
(:mod:`reading_deterrence.shaping`), which :func:`setup` also registers. What each part adds:

- :mod:`.article`: ``{article}``, ``{annotated-article}`` and the ``{sentence}`` role;
- :mod:`.views`: ``{data-view}``, MyST generated from the data by the rendering layer;
- :mod:`.sources`: the ``{source}`` role;
- :mod:`.buildinfo`: the ``{build}`` role (version, build date, edition), for the About page;
- :mod:`.downloads`: the ``{generated}`` role, and the files it links to;
- :mod:`.notebooks`: the ``{lab}`` role, and each data lab as a notebook bundle to download;
- :mod:`.selfcheck`: ``{self-check}`` questions with instant feedback;
- :mod:`.lab_coding`, :mod:`.lab_counting`, :mod:`.lab_words`, :mod:`.lab_discernment`: labs that compute in the page
  (code the article, count the launches, spot the changed words), from data exported at build time;
- :mod:`.simulation`: ``{role-card}`` and ``{launch-inject}``, the situation room's cards from the data;
- :mod:`.glossary`: the first use of each glossary term on a page linked, its definition shown on
  hover, focus and tap;
- :mod:`.folds`: ``{going-further}`` folds;
- :mod:`.route`: reading times under each chapter page's title, and ``{route-summary}``;
- :mod:`.regionmap`: ``{region-map}`` and ``{history-timeline}``, the context page's maps and dated
  rows;
- :mod:`.relay`: ``{relay-diagram}``, the relay chain with each quotation's words at each link;
- :mod:`.language`: ``lang`` marks on Korean and Japanese text;
- :mod:`.edition`: the teacher and student editions;
- :mod:`.freshness`: notebooks run again when the data or this package change;
- :mod:`.checks`: every table and the coding rules checked at the start of each build.

Bad data is reported the same way everywhere (:mod:`.report`): a build error naming the file, the
row and the column. The config value ``reading_deterrence_data`` (a folder or a
``datapackage.json``, relative to the book) points the extension at another data package; by
default it reads the book's own ``data/``.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from .. import shaping
from . import (
    article,
    buildinfo,
    cards,
    checks,
    checksheets,
    downloads,
    edition,
    folds,
    freshness,
    glossary,
    handouts,
    lab_coding,
    lab_counting,
    lab_discernment,
    lab_words,
    language,
    notebooks,
    regionmap,
    registry,
    relay,
    route,
    selfcheck,
    simulation,
    sources,
    views,
)

__all__ = ["setup"]


def resolve_data(app: Sphinx, config: Config) -> None:
    """``config-inited``: make ``reading_deterrence_data`` absolute; default to the book's data/."""
    value = config.reading_deterrence_data
    if value:
        config.reading_deterrence_data = str(Path(app.confdir, value).resolve())
    elif (Path(app.srcdir) / "data" / "datapackage.json").is_file():
        config.reading_deterrence_data = str(Path(app.srcdir) / "data")


def setup(app: Sphinx) -> dict:
    app.add_config_value("reading_deterrence_data", None, "env", types=[str])
    app.connect("config-inited", resolve_data)
    for part in (
        article,
        views,
        sources,
        downloads,
        selfcheck,
        glossary,
        language,
        edition,
        freshness,
        checks,
        registry,
        checksheets,
        cards,
        handouts,
        notebooks,
        buildinfo,
        lab_coding,
        lab_counting,
        lab_words,
        lab_discernment,
        simulation,
        regionmap,
        relay,
        folds,
        route,
    ):
        part.setup(app)
    shaping.setup(app)
    return {"version": "0.2", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
