"""Reading Deterrence: the data and the build helpers behind the teaching module.

Notebooks and pages use it like this::

    from reading_deterrence import load
    sentences = load("article_sentences")   # validated first; DataError names file, row, column

Modules:

- :mod:`reading_deterrence.data`: load and validate the tables in ``data/``.
- :mod:`reading_deterrence.article`: the case-study article as data.
- :mod:`reading_deterrence.render`: MyST text generated from the data (catalogue, timeline).
- :mod:`reading_deterrence.sphinxext`: the book's Sphinx extension.
"""

from .article import article_text, sentence_text
from .data import DATA_DIR, DataError, Problem, descriptor, load, table_names, validate

__all__ = [
    "DATA_DIR",
    "DataError",
    "Problem",
    "article_text",
    "descriptor",
    "load",
    "sentence_text",
    "table_names",
    "validate",
]
