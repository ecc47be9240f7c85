"""Teacher and student editions of the book, from one source.

The default build is the *teacher edition*: every exercise is followed by its solution (folded).
The *student edition* drops the solutions and keeps everything else, including the feedback of the
self-check questions, which is there to teach. The switch is the ``reading_deterrence_edition``
config value; since Jupyter Book 1 cannot set a Sphinx value from the command line, it defaults to
the environment variable ``READING_DETERRENCE_EDITION`` (``make student`` sets it).

sphinx-exercise has its own switch, ``hide_solutions``, but it cannot hide *gated* solutions
(``solution-start`` ... ``solution-end``, used where a solution holds code cells): the build
fails on the orphaned end marker. :class:`DropSolutions` instead runs after sphinx-exercise has
merged gated solutions into ordinary ones, and removes every solution, gated or not.
"""

from __future__ import annotations

import os

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform

ENVIRONMENT_VARIABLE = "READING_DETERRENCE_EDITION"
EDITIONS = ("teacher", "student")


def _is_solution(node: nodes.Node) -> bool:
    # sphinx_exercise.nodes.solution_node, matched by name so that this module imports without it.
    return type(node).__name__ == "solution_node"


class DropSolutions(SphinxTransform):
    """In the student edition, remove every exercise solution from the document."""

    #: After sphinx-exercise's MergeGatedSolutions (priority 10) has made gated solutions whole.
    default_priority = 20

    def apply(self) -> None:
        if self.config.reading_deterrence_edition != "student":
            return
        for node in list(self.document.findall(_is_solution)):
            node.parent.remove(node)


def check_edition(app: Sphinx, config: Config) -> None:
    """Fail early, and clearly, on an edition that does not exist."""
    if config.reading_deterrence_edition not in EDITIONS:
        raise ConfigError(
            f"reading_deterrence_edition (or ${ENVIRONMENT_VARIABLE}) is "
            f"{config.reading_deterrence_edition!r}; use one of {', '.join(EDITIONS)}"
        )
    # For pages that differ by edition: ```{only} student_edition``` (or teacher_edition).
    app.tags.add(f"{config.reading_deterrence_edition}_edition")


def setup(app: Sphinx) -> None:
    app.add_config_value(
        "reading_deterrence_edition", os.environ.get(ENVIRONMENT_VARIABLE) or "teacher", "env", types=[str]
    )
    app.connect("config-inited", check_edition)
    app.add_transform(DropSolutions)
