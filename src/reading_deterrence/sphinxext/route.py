"""Reading times under each chapter page's title, and ``{route-summary}`` (the core route and the
deeper one; the ``{going-further}`` folds themselves are :mod:`.folds`).

**Reading times.** Under the title of every chapter page (``reading_deterrence_route_pages``), a
line says how long the core takes to read and how much more the folds hold, at
``reading_deterrence_reading_rate`` words a minute (150: see
:mod:`reading_deterrence.rendering.route`). The core counts the words a student reads on the
core route: the text, the self-checks' questions, answers and the feedback on the right answers
(a student reads on until right), and exercises' questions. It leaves out the folds (counted
apart), exercise solutions, code, the teacher's notes (``{only} teacher_edition``), the other
edition's blocks, the labs that compute in the page (an activity, not reading), and the blocks a
timed activity looks things up in (:data:`LOOKUP_CLASS`; a fold inside one still counts as going
further). An activity's own words (its instructions) are reading; its minutes are the doing. Headings that
state an activity's time, "Activity 2: who is speaking? (15 minutes)", add their minutes (outside
folds), as the page states them (the time for a student working alone), shown apart from reading;
a section whose heading says it is done "in class:" is left out of the core altogether, and the
page's reading time says so;
each self-check question outside a fold and outside a timed activity counts apart too, twice if it
has several right answers (see
:data:`reading_deterrence.rendering.route.CHECK_MINUTES`). A page whose front matter
says ``route: further`` is beyond the core route as a whole. ``{route-summary}`` (on a chapter's
first page) lists the page and the pages of its table of contents, each with its times, and the
chapter's total; the page is written again whenever any page is read again.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.matching import Matcher

from ..rendering.route import RATE, Times, reading_time_text, route_total_text, times_text
from .edition import TEACHER_ONLY_CLASS
from .folds import going_further
from .selfcheck import check_feedback, self_check

#: Where each page's times are kept in the environment, and which pages hold a summary.
TIMES = "rd_route_times"
SUMMARIES = "rd_route_summaries"
#: A heading that states an activity's time: "... (15 minutes)".
ACTIVITY = re.compile(r"\((?:about )?(\d+) minutes?\b[^)]*\)\s*$")
#: A heading that marks its section as done in class, not alone: "Your turn, in class: three claims"
#: (the words "in class" and a colon). Its words are the lesson's, not the homework's: they are not
#: counted on the core route, and the page's reading time says so.
IN_CLASS = re.compile(r"\bin class:", re.IGNORECASE)
#: The front-matter key and value that put a whole page beyond the core route.
ROUTE_KEY, FURTHER = "route", "further"
#: The class prefix of the labs that compute in the page (``rd-lab-words`` ...): not counted as reading.
LAB_PREFIX = "rd-lab-"
#: The class of a block a student looks things up in during a timed activity, such as the timeline's
#: entries for chapter 1's Activity 3 (``{container} rd-lookup`` around it): the activity's minutes
#: include the looking up, so its words are not counted as reading. The page must say so to the
#: student ("you do not need to read every entry").
LOOKUP_CLASS = "rd-lookup"
#: The label of the note that explains the times; linked from each reading time if it exists.
NOTE_LABEL = "route-note"


class reading_time(nodes.Element):
    """Placeholder under a page's title, filled when the page is written."""


class route_summary(nodes.Element):
    """Placeholder for ``{route-summary}``, filled when the page is written."""


def count(doctree: nodes.Node, keep) -> Times:
    """The page's words on the core route and in its folds, the minutes its activities state, and
    its self-check questions on the core route outside a timed activity (an activity's minutes
    already include its questions).

    ``keep(node)`` says whether a node (other than a fold) is read at all in this edition."""
    tally = {"core": 0, "further": 0, "class": 0, "lookup": 0, "minutes": 0, "checks": 0, "several": 0}

    def walk(node: nodes.Node, bucket: str, timed: bool) -> None:
        if isinstance(node, nodes.Text):
            tally[bucket] += len(node.astext().split())
            return
        if not keep(node):
            return
        if isinstance(node, going_further):
            bucket = "further"
        elif bucket == "core" and LOOKUP_CLASS in node.get("classes", []):
            bucket = "lookup"  # looked things up in during a timed activity: a fold inside is still further
        elif bucket == "core" and isinstance(node, nodes.section) and node.children:
            title = node[0].astext() if isinstance(node[0], nodes.title) else ""
            in_class = bool(IN_CLASS.search(title))
            # an in-class section's words and minutes are the lesson's: counted nowhere (a fold
            # inside it still counts as going further)
            bucket = "class" if in_class else bucket
            found = None if in_class else ACTIVITY.search(title)
            tally["minutes"] += int(found.group(1)) if found else 0
            timed = timed or bool(found)
        elif bucket == "core" and not timed and isinstance(node, self_check):
            tally["checks"] += 1
            right = sum(1 for f in node.findall(check_feedback) if f.get("correct"))
            tally["several"] += right > 1
        for child in node.children:
            walk(child, bucket, timed)

    walk(doctree, "core", False)
    return Times(
        tally["core"],
        tally["further"],
        tally["minutes"],
        checks=tally["checks"],
        several=tally["several"],
        in_class=tally["class"] > 0,
    )


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
        times = dataclasses.replace(times, further_page=True)
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
    app.add_node(reading_time)
    app.add_node(route_summary)
    app.add_directive("route-summary", RouteSummaryDirective)
    app.connect("doctree-read", on_doctree_read)
    app.connect("doctree-resolved", on_doctree_resolved, priority=300)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-updated", summaries_to_rewrite)
