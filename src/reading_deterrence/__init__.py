"""Reading Deterrence: the data and the build helpers behind the teaching module.

Notebooks and pages use it like this::

    from reading_deterrence import load
    sentences = load("article_sentences")   # validated first; DataError names file, row, column

The package is in layers, and imports only go down (``docs/ARCHITECTURE.md``):

- :mod:`reading_deterrence.contract`: find, check and load the tables in ``data/``;
- :mod:`reading_deterrence.analysis`: pure functions of DataFrames (coding, agreement,
  counting, competing figures, the permutation test, the CNS reader);
- :mod:`reading_deterrence.rendering`: MyST, HTML and CSV text made from tables;
- :mod:`reading_deterrence.facts`: what the chapters state, by ID, for myst-nb's glue;
- :mod:`reading_deterrence.sphinxext`: the book's one Sphinx extension;
- :mod:`reading_deterrence.shaping`: page shaping (asset pruning, CSS purge, markup fixes,
  templates, static files), apart from the rest.
"""

from .analysis.article import article_text, sentence_text
from .contract import DataError, Problem, descriptor, load, package_path, table_names, validate

__all__ = [
    "DataError",
    "Problem",
    "article_text",
    "descriptor",
    "load",
    "package_path",
    "sentence_text",
    "table_names",
    "validate",
]
