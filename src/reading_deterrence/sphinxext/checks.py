"""Check the data once, at the start of every build: every table, and the coding rules.

The directives check the tables they read, but a table no page happens to read, or a rule the
tables cannot express (a coded span that no longer occurs in its sentence silently loses its
mark in the annotated article), would otherwise pass. Each problem becomes a build error naming
file, row and column (:mod:`.report`), so ``-W`` stops the build.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ..analysis.coding import CodedArticle, check_coding
from ..contract import DataError, Problem, dependencies, descriptor, table_names, validate
from .report import DATA_ERRORS, data_error


def check_data(app: Sphinx) -> None:
    """``builder-inited`` handler: validate every table, then the coding rules."""
    folder = app.config.reading_deterrence_data
    try:
        names = table_names(folder)
        # targets first, and each problem once: a broken sources.csv is reported as table sources,
        # not again under every table that refers to it
        desc = descriptor(folder)
        order = list(dict.fromkeys(table for name in names for table in dependencies(desc, name)))
    except DATA_ERRORS as err:
        data_error(err, what="data package", env=app.env)
        return
    reported: set[Problem] = set()
    broken = False
    for name in order:
        try:
            validate(name, folder)
        except DataError as err:
            broken = True
            new = [problem for problem in err.problems if problem not in reported]
            reported.update(err.problems)
            if new:
                data_error(DataError(new), what=f"table {name}", env=app.env)
    if broken or not {"article_sentences", "coding", "codebook"} <= set(names):
        return
    for problem in check_coding(CodedArticle.load(folder)):
        data_error(ValueError(problem), what="coding rules (data/coding.csv)", env=app.env)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", check_data)
