"""Teacher and student editions of the book, from one source.

The default build is the *teacher edition*: everything, with every exercise followed by its
solution (folded). The *student edition* leaves out, rather than hides:

- the teacher's part: every page matching ``reading_deterrence_teacher_only`` (by default
  ``chapters/teachers/**``: the guide, lesson plans, lesson packs, rubrics and answer keys) is
  pruned from sphinx-external-toc's site map and added to ``exclude_patterns``, so it is not read,
  written, indexed for search or linked from the navigation;
- every exercise solution (:class:`DropSolutions`);
- every ``{only} teacher_edition`` block (Sphinx's own ``only``, through the edition's tag);
- the module's answers to the device activities: the views that can hold rows back (the claim
  ledger, the coding table, the codebook, the annotated article) get :func:`held_back`, which is the chapters'
  :data:`reading_deterrence.facts.STUDENT_HELD_BACK` in the student edition and nothing in the
  teacher edition.

The self-checks keep their feedback, which is there to teach. A banner on every page says which
edition it is (``rd_edition`` in ``html_context``, drawn by ``shaping/templates/layout.html``).

The switch is the ``reading_deterrence_edition`` config value; since Jupyter Book 1 cannot set a
Sphinx value from the command line, it defaults to the environment variable
``READING_DETERRENCE_EDITION`` (``make student`` sets it).

sphinx-exercise has its own switch, ``hide_solutions``, but it cannot hide *gated* solutions
(``solution-start`` ... ``solution-end``, used where a solution holds code cells): the build
fails on the orphaned end marker. :class:`DropSolutions` instead runs after sphinx-exercise has
merged gated solutions into ordinary ones, and removes every solution, gated or not.
"""

from __future__ import annotations

import os

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.matching import Matcher
from sphinx.util.nodes import process_only_nodes

from ..facts import STUDENT_HELD_BACK
from ..rendering.base import HeldBack

logger = logging.getLogger(__name__)

ENVIRONMENT_VARIABLE = "READING_DETERRENCE_EDITION"
EDITIONS = ("teacher", "student")
#: The class of the wrapper around each ``{only} teacher_edition`` block's content, so that a
#: test can find the teacher-only text in a built teacher edition.
TEACHER_ONLY_CLASS = "rd-teacher-only"

#: The banner of each edition (``rd_edition`` in the templates' context).
BANNERS = {
    "teacher": {
        "name": "teacher",
        "title": "Teacher edition",
        "detail": "includes answer keys and lesson plans.",
    },
    "student": {
        "name": "student",
        "title": "Student edition",
        "detail": "",
    },
}
#: Where the teacher edition's banner points for the student package, relative to the output
#: folder (``make dist`` puts the package there), and the section of the root page that says
#: where the source and its README are.
STUDENT_PACKAGE = "downloads/reading-deterrence-student.zip"
SOURCE_ANCHOR = "welcome-source"


def is_student(config: Config) -> bool:
    return config.reading_deterrence_edition == "student"


def held_back(config: Config) -> HeldBack | None:
    """What the views hold back in this edition: the chapters' choice in the student edition."""
    return STUDENT_HELD_BACK if is_student(config) else None


def _is_solution(node: nodes.Node) -> bool:
    # sphinx_exercise.nodes.solution_node, matched by name so that this module imports without it.
    return type(node).__name__ == "solution_node"


class DropSolutions(SphinxTransform):
    """In the student edition, remove every exercise solution from the document."""

    #: After sphinx-exercise's MergeGatedSolutions (priority 10) has made gated solutions whole.
    default_priority = 20

    def apply(self) -> None:
        if not is_student(self.config):
            return
        for node in list(self.document.findall(_is_solution)):
            node.parent.remove(node)


class MarkTeacherOnly(SphinxTransform):
    """Give the content of every ``{only}`` block that names ``teacher_edition`` the class
    :data:`TEACHER_ONLY_CLASS`: its sections get the class, other content is wrapped in a
    container that has it. (Sphinx unwraps the ``only`` node itself when it writes the page.)"""

    default_priority = 30

    def apply(self) -> None:
        for only in list(self.document.findall(addnodes.only)):
            if "teacher_edition" not in only.get("expr", ""):
                continue
            wrapper = nodes.container(classes=[TEACHER_ONLY_CLASS])
            children = list(only.children)
            only.clear()
            for child in children:
                if isinstance(child, nodes.section):
                    if wrapper.children:
                        only += wrapper
                        wrapper = nodes.container(classes=[TEACHER_ONLY_CLASS])
                    child["classes"].append(TEACHER_ONLY_CLASS)
                    only += child
                else:
                    wrapper += child
            if wrapper.children:
                only += wrapper


class EarlyOnlyNodes(SphinxPostTransform):
    """Resolve ``{only}`` blocks before cross-references are (Sphinx does it after, at 50), so that
    a ``{ref}`` to a teacher page inside ``{only} teacher_edition`` is not looked up, and so not a
    warning, in the student edition, where that page does not exist."""

    #: Before ReferencesResolver (10).
    default_priority = 5

    def run(self, **kwargs) -> None:
        process_only_nodes(self.document, self.app.builder.tags)


def check_edition(app: Sphinx, config: Config) -> None:
    """Fail early, and clearly, on an edition that does not exist; set the edition's tag and banner."""
    if config.reading_deterrence_edition not in EDITIONS:
        raise ConfigError(
            f"reading_deterrence_edition (or ${ENVIRONMENT_VARIABLE}) is "
            f"{config.reading_deterrence_edition!r}; use one of {', '.join(EDITIONS)}"
        )
    # For pages that differ by edition: ```{only} student_edition``` (or teacher_edition).
    app.tags.add(f"{config.reading_deterrence_edition}_edition")
    banner = {**BANNERS[config.reading_deterrence_edition], "package": STUDENT_PACKAGE, "anchor": SOURCE_ANCHOR}
    # A new dict: the default must not change for another build in the same process.
    config.html_context = {**(config.html_context or {}), "rd_edition": banner}


def prune_site_map(site_map, matches) -> list[str]:
    """Remove every document that ``matches`` from a sphinx-external-toc site map, and from every
    toctree that lists it; a toctree left empty goes too (a part's caption with no pages).
    Returns the names removed."""
    removed = [name for name in site_map if matches(name)]
    if site_map.root.docname in removed:
        raise ConfigError(f"the root page {site_map.root.docname!r} is teacher-only; it cannot be left out")
    for name in removed:
        del site_map[name]
    for name in site_map:
        document = site_map[name]
        for tree in document.subtrees:
            # FileItem and GlobItem are str; UrlItem is not.
            tree.items = [item for item in tree.items if not (isinstance(item, str) and matches(str(item)))]
        document.subtrees = [tree for tree in document.subtrees if tree.items]
    return removed


def drop_teacher_pages(app: Sphinx, config: Config) -> None:
    """``config-inited``, after sphinx-external-toc has parsed ``_toc.yml`` (priority 900): in the
    student edition, prune the teacher-only pages from the site map and exclude their files."""
    if not is_student(config):
        return
    patterns = list(config.reading_deterrence_teacher_only)
    site_map = getattr(config, "external_site_map", None)
    if site_map is not None:
        removed = prune_site_map(site_map, Matcher(patterns))
        logger.info("[edition] student edition: %d teacher-only page(s) left out", len(removed))
    # A new list: the default must not change (sphinx-external-toc does the same).
    config.exclude_patterns = [*config.exclude_patterns, *patterns]


def setup(app: Sphinx) -> None:
    app.add_config_value(
        "reading_deterrence_edition", os.environ.get(ENVIRONMENT_VARIABLE) or "teacher", "env", types=[str]
    )
    app.add_config_value("reading_deterrence_teacher_only", ["chapters/teachers/**"], "env", types=[list])
    app.connect("config-inited", check_edition)
    app.connect("config-inited", drop_teacher_pages, priority=950)
    app.add_transform(DropSolutions)
    app.add_transform(MarkTeacherOnly)
    app.add_post_transform(EarlyOnlyNodes)
