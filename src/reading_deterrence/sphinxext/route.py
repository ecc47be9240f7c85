"""A core route and a deeper one: ``{going-further}`` folds, reading times, ``{route-summary}``.

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

**Reading times.** Under the title of every chapter page (``reading_deterrence_route_pages``), a
line says how long the core takes to read and how much more the folds hold, at
``reading_deterrence_reading_rate`` words a minute (150: see
:mod:`reading_deterrence.rendering.route`). The core counts the words a student reads on the
core route: the text, the self-checks' questions, answers and the feedback on the right answers
(a student reads on until right), and exercises' questions. It leaves out the folds (counted
apart), exercise solutions, code, the teacher's notes (``{only} teacher_edition``), the other
edition's blocks, and the labs that compute in the page (an activity, not reading). Headings that
state an activity's time, "Activity 2: who is speaking? (15 minutes)", add their minutes (outside
folds), as the page states them: class time, shown apart from reading. A page whose front matter
says ``route: further`` is beyond the core route as a whole. ``{route-summary}`` (on a chapter's
first page) lists the page and the pages of its table of contents, each with its times, and the
chapter's total; the page is written again whenever any page is read again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.matching import Matcher

from ..rendering.route import KICKER, RATE, Times, reading_time_text, route_total_text, times_text
from .edition import TEACHER_ONLY_CLASS
from .selfcheck import check_feedback

logger = logging.getLogger(__name__)

#: Where each page's times are kept in the environment, and which pages hold a summary.
TIMES = "rd_route_times"
SUMMARIES = "rd_route_summaries"
#: A heading that states an activity's time: "... (15 minutes)".
ACTIVITY = re.compile(r"\((?:about )?(\d+) minutes?\b[^)]*\)\s*$")
#: The front-matter key and value that put a whole page beyond the core route.
ROUTE_KEY, FURTHER = "route", "further"
#: The class prefix of the labs that compute in the page (``rd-lab-words`` ...): not counted as reading.
LAB_PREFIX = "rd-lab-"
#: The label of the note that explains the times; linked from each reading time if it exists.
NOTE_LABEL = "route-note"


class going_further(nodes.General, nodes.Element):
    """A fold: ``<details>``; its first child is its :class:`further_summary`."""


class further_summary(nodes.TextElement):
    """The fold's title, after "Going further:"."""


class further_end(nodes.Element):
    """Where a ``{going-further-start}`` fold ends (removed once the fold is whole)."""


class reading_time(nodes.Element):
    """Placeholder under a page's title, filled when the page is written."""


class route_summary(nodes.Element):
    """Placeholder for ``{route-summary}``, filled when the page is written."""


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


def count(doctree: nodes.Node, keep) -> Times:
    """The page's words on the core route and in its folds, and the minutes its activities state.

    ``keep(node)`` says whether a node (other than a fold) is read at all in this edition."""
    tally = {"core": 0, "further": 0, "minutes": 0}

    def walk(node: nodes.Node, bucket: str) -> None:
        if isinstance(node, nodes.Text):
            tally[bucket] += len(node.astext().split())
            return
        if not keep(node):
            return
        if isinstance(node, going_further):
            bucket = "further"
        elif bucket == "core" and isinstance(node, nodes.section) and node.children:
            found = ACTIVITY.search(node[0].astext()) if isinstance(node[0], nodes.title) else None
            tally["minutes"] += int(found.group(1)) if found else 0
        for child in node.children:
            walk(child, bucket)

    walk(doctree, "core")
    return Times(tally["core"], tally["further"], tally["minutes"])


#: Nodes nobody reads as prose: code, markup, raw HTML (a lab draws its own), comments, targets.
UNREAD = (
    nodes.literal,
    nodes.literal_block,
    nodes.raw,
    nodes.comment,
    nodes.target,
    nodes.substitution_definition,
    nodes.system_message,
)


def keeper(app: Sphinx):
    """``keep(node)`` for :func:`count`: what a student reads on the page in this edition."""

    def keep(node: nodes.Node) -> bool:
        if isinstance(node, UNREAD) or type(node).__name__ == "solution_node":
            return False
        if isinstance(node, check_feedback):
            return bool(node.get("correct"))
        if isinstance(node, addnodes.only):
            return app.tags.eval_condition(node["expr"])
        if isinstance(node, nodes.Element):
            classes = node.get("classes", [])
            # teacher's notes; a lab is an activity (its time is in its heading), not reading
            return TEACHER_ONLY_CLASS not in classes and not any(c.startswith(LAB_PREFIX) for c in classes)
        return True

    return keep


def times_of(env: BuildEnvironment) -> dict[str, Times]:
    if not hasattr(env, TIMES):
        setattr(env, TIMES, {})
    return getattr(env, TIMES)


def summaries_of(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, SUMMARIES):
        setattr(env, SUMMARIES, set())
    return getattr(env, SUMMARIES)


class RouteSummaryDirective(SphinxDirective):
    """``{route-summary}``: this page and its table of contents, with times, and the total."""

    def run(self):
        summaries_of(self.env).add(self.env.docname)
        return [route_summary()]


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Count a chapter page's words and put a reading-time placeholder under its title."""
    docname = app.env.docname
    if not Matcher(app.config.reading_deterrence_route_pages)(docname):
        return
    times = count(doctree, keeper(app))
    if app.env.metadata.get(docname, {}).get(ROUTE_KEY) == FURTHER:
        times = Times(times.core_words, times.further_words, times.activity_minutes, further_page=True)
    times_of(app.env)[docname] = times
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, reading_time())


def _note_link(app: Sphinx, docname: str) -> nodes.Node | None:
    """A link to the note that explains the times, if the book has one."""
    # anonlabels: the note may be a paragraph, which a label names without a title
    found = app.env.get_domain("std").anonlabels.get(NOTE_LABEL)
    if not found:
        return None
    target, labelid = found
    uri = app.builder.get_relative_uri(docname, target) + "#" + labelid
    link = nodes.reference("", "", internal=True, refuri=uri)
    link += nodes.Text("How we count")
    return link


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Fill the placeholders: the page's reading time, and any chapter summary."""
    rate = app.config.reading_deterrence_reading_rate
    times = times_of(app.env)
    for holder in list(doctree.findall(reading_time)):
        line = nodes.paragraph(classes=["rd-reading-time"])
        line += nodes.Text(reading_time_text(times[docname], rate) + " ")
        link = _note_link(app, docname)
        if link is not None:
            line += link
        holder.replace_self(line)
    for holder in list(doctree.findall(route_summary)):
        holder.replace_self(summary(app, docname, rate))


def summary(app: Sphinx, docname: str, rate: int) -> nodes.Node:
    """The chapter's pages with their times (a list: it fits a phone), then the total."""
    env, times = app.env, times_of(app.env)
    pages = [d for d in [docname, *env.toctree_includes.get(docname, [])] if d in times]
    box = nodes.container(classes=["rd-route-summary"])
    items = nodes.bullet_list()
    for page in pages:
        item = nodes.paragraph()
        link = nodes.reference("", "", internal=True, refuri=app.builder.get_relative_uri(docname, page))
        link += nodes.Text(env.titles[page].astext())
        item += link
        item += nodes.Text(": " + times_text(times[page], rate))
        items += nodes.list_item("", item)
    box += items
    box += nodes.paragraph("", route_total_text([times[p] for p in pages], rate), classes=["rd-route-total"])
    return box


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    times_of(env).pop(docname, None)
    summaries_of(env).discard(docname)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    wanted = set(docnames)
    times_of(env).update({d: t for d, t in times_of(other).items() if d in wanted})
    summaries_of(env).update(d for d in summaries_of(other) if d in wanted)


def summaries_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: a summary shows other pages' times, so its page is written again."""
    return sorted(summaries_of(env))


def setup(app: Sphinx) -> None:
    app.add_config_value("reading_deterrence_reading_rate", RATE, "env", types=[int])
    app.add_config_value(
        "reading_deterrence_route_pages",
        ["chapters/0*/**", "chapters/simulation/**", "chapters/check-yourself/**"],
        "env",
        types=[list],
    )
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
    app.add_node(reading_time)
    app.add_node(route_summary)
    app.add_directive("going-further", GoingFurtherDirective)
    app.add_directive("going-further-start", GoingFurtherStartDirective)
    app.add_directive("going-further-end", GoingFurtherEndDirective)
    app.add_directive("route-summary", RouteSummaryDirective)
    app.add_transform(MergeGatedFolds)
    app.connect("doctree-read", on_doctree_read)
    app.connect("doctree-resolved", on_doctree_resolved, priority=300)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-updated", summaries_to_rewrite)
