"""The data contract: find the data package, check every file and cell, load tables as DataFrames.

This layer imports no Sphinx, docutils or MyST; everything above it reads data through it.

- :mod:`.descriptor`: where the data are, and the descriptor checked before anything else;
- :mod:`.csvfile`: stage 1, the file itself (a strict CSV reader that locates every problem);
- :mod:`.cells`: stages 2 and 3, the cells (Frictionless, then the rules it cannot express);
- :mod:`.tables`: :func:`load` and :func:`validate`, with a cache keyed on the files' content;
- :mod:`.errors`: :class:`Problem` and :class:`DataError`.
- :mod:`.geography`: the Natural Earth boundaries (npm's world-atlas, TopoJSON) located, checked and decoded.
"""

from .descriptor import ENVIRONMENT_VARIABLE, data_files, dependencies, descriptor, package_path, resource, table_names
from .errors import DataError, Problem, UnknownTable, display_path
from .tables import load, validate

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "DataError",
    "Problem",
    "UnknownTable",
    "data_files",
    "dependencies",
    "descriptor",
    "display_path",
    "load",
    "package_path",
    "resource",
    "table_names",
    "validate",
]
