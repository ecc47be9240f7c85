"""``{going-further}``: the folds that hold what a 50-minute lesson does not need (the core route and the
deeper one; the reading times that count them are :mod:`.route`).

**Folds.** What a 50-minute lesson does not need goes in a fold::

    (deter-stability-instability)=
    :::{going-further} The stability–instability paradox
    Text, self-checks, exercises ...
    :::

It is a native ``<details>`` element whose summary always reads "Going further: <title>", so it
opens with a mouse, a finger, or the keyboard (Tab, then Enter or Space), and a screen reader
announces it as a collapsed group, with no script. It *prints open* (CSS, ``::details-content``):
a printed page is often the only copy a student has, and a reader cannot unfold paper; the
summary stays as a heading, so the paper still shows what is core and what is extra. A label put
before the fold names it for ``{ref}``, with the fold's title as the link text; browsers open a
fold when a link, or find in page, lands inside it. The title is plain text (no links: the summary
is itself the control). In a notebook, where a fold would have to span code cells,
``{going-further-start} Title`` and ``{going-further-end}`` mark where it begins and ends (siblings
in the same section, like sphinx-exercise's gated solutions).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..rendering.route import KICKER

logger = logging.getLogger(__name__)


class going_further(nodes.General, nodes.Element):
    """A fold: ``<details>``; its first child is its :class:`further_summary`."""


class further_summary(nodes.TextElement):
    """The fold's title, after "Going further:"."""


class further_end(nodes.Element):
    """Where a ``{going-further-start}`` fold ends (removed once the fold is whole)."""


#: The IDs Sphinx gives every numbered kind of node (a fold is one, so that a label names it).
AUTO_ID = re.compile(r"id\d+")


def _labels(node: going_further) -> list[str]:
    """The fold's own IDs: its labels, without the automatic ``idN``."""
    return [i for i in node["ids"] if not AUTO_ID.fullmatch(i)]


def visit_going_further(self, node):
    # Written by hand, not with starttag: the summary must be the first child of <details>, and
    # starttag would put a <span> for each further ID before it.
    classes = " ".join(["rd-further", *node.get("classes", [])])
    labels = _labels(node)
    ident = f' id="{labels[0]}"' if labels else ""
    self.body.append(f'<details class="{classes}"{ident}>')


def depart_going_further(self, node):
    self.body.append("</div></details>\n")


def visit_further_summary(self, node):
    self.body.append(f'<summary><span class="rd-further-kicker">{KICKER}</span> <span class="rd-further-title">')


def depart_further_summary(self, node):
    self.body.append('</span></summary>\n<div class="rd-further-body">')
    # a second label names the same fold: its anchor opens the body
    self.body.extend(f'<span id="{label}"></span>' for label in _labels(node.parent)[1:])


def _pass(self, node):
    pass


def further_title(node: going_further) -> str:
    """The title ``{ref}`` shows for a labelled fold."""
    return node[0].astext() if node.children and isinstance(node[0], further_summary) else KICKER.rstrip(":")


class GoingFurtherDirective(SphinxDirective):
    """``{going-further} Title``: a fold around its content."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"class": lambda value: value.split()}
    gated = False

    def run(self):
        title = " ".join(self.arguments[0].split())
        fold = going_further(classes=list(self.options.get("class", [])), gated=self.gated)
        fold += further_summary(title, title)
        if self.gated:
            if self.content:
                raise self.error(f"{self.name}: the fold's content goes after it, before {{going-further-end}}")
        else:
            if not self.content:
                raise self.error("going-further: the fold is empty")
            self.state.nested_parse(self.content, self.content_offset, fold)
        self.set_source_info(fold)
        return [fold]


class GoingFurtherStartDirective(GoingFurtherDirective):
    """``{going-further-start} Title``: a fold whose content follows, up to ``{going-further-end}``."""

    has_content = False
    gated = True


class GoingFurtherEndDirective(SphinxDirective):
    def run(self):
        end = further_end()
        self.set_source_info(end)
        return [end]


class MergeGatedFolds(SphinxTransform):
    """Move what lies between ``{going-further-start}`` and ``{going-further-end}`` into the fold.

    After sphinx-exercise has made gated solutions whole (10), before the student edition drops
    solutions (20)."""

    default_priority = 15

    def apply(self) -> None:
        for fold in list(self.document.findall(going_further)):
            if not fold.get("gated"):
                continue
            parent = fold.parent
            start = parent.index(fold)
            end = next((i for i in range(start + 1, len(parent)) if isinstance(parent[i], further_end)), None)
            nested = end is not None and any(
                isinstance(parent[i], going_further) and parent[i].get("gated") for i in range(start + 1, end)
            )
            if end is None or nested:
                logger.error(
                    "going-further-start: no {going-further-end} after it in the same section"
                    + (" before the next {going-further-start}" if nested else ""),
                    location=fold,
                    type="reading_deterrence",
                    subtype="route",
                )
                fold["gated"] = False
                continue
            moved = parent.children[start + 1 : end]
            for child in moved:
                parent.remove(child)
                fold += child
            parent.remove(parent[start + 1])  # the end marker, now next to the fold
            fold["gated"] = False
        for end in list(self.document.findall(further_end)):
            logger.error(
                "going-further-end: no {going-further-start} before it in the same section",
                location=end,
                type="reading_deterrence",
                subtype="route",
            )
            end.parent.remove(end)


def setup(app: Sphinx) -> None:
    passthrough = (_pass, _pass)
    app.add_enumerable_node(
        going_further,
        "going-further",
        further_title,
        html=(visit_going_further, depart_going_further),
        text=passthrough,
        latex=passthrough,
    )
    app.add_node(
        further_summary, html=(visit_further_summary, depart_further_summary), text=passthrough, latex=passthrough
    )
    app.add_node(further_end)
    app.add_directive("going-further", GoingFurtherDirective)
    app.add_directive("going-further-start", GoingFurtherStartDirective)
    app.add_directive("going-further-end", GoingFurtherEndDirective)
    app.add_transform(MergeGatedFolds)
