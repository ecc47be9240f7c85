"""Self-checks on paper: ``{exit-ticket}`` for students and ``{check-key}`` for the teacher.

Both take one self-check label per line (``:label:`` of a ``{self-check}`` on any page) and an
optional title::

    :::{exit-ticket}
    speak-check-source
    speak-check-loaded
    :::

The questions are written once, where students meet them on screen; a handout or a lesson pack
prints them from there, so the paper never drifts from the page. ``{exit-ticket}`` prints each
question numbered, every answer after an empty box (a glyph, not a form control: it is paper) and
no feedback, under a "Name:" line. ``{check-key}`` prints the same numbering, the right answer
marked in words ("Right answer:", never by colour alone) and every answer's feedback.

A label may live on a page not yet read, so the directive leaves a placeholder and
:class:`FillCheckSheets` fills it at write time, from the other page's stored doctree, before
Sphinx resolves references (so a ``{sentence}`` or ``{term}`` in a question still links). The
copies lose their IDs (the HTML must keep IDs unique) and their relative links are re-based on
the printing page. An unknown label is a build error naming the label and the page; a page that
prints a label is read again when the page that defines it changes.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from . import registry
from .selfcheck import check_feedback, check_label, check_option, check_question, self_check

logger = logging.getLogger(__name__)

BOX = '<span class="rd-box" aria-hidden="true">☐</span> '
WRITE_LINE = '<span class="rd-write-line" aria-hidden="true">______________________________</span>'


class check_sheet(nodes.container):
    """Placeholder for an exit ticket or a key: ``kind``, ``labels``, ``title``."""


class SheetDirective(SphinxDirective):
    """One self-check label per line; an optional title."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    kind = ""
    default_title = ""

    def run(self):
        labels = []
        for number, line in enumerate(self.content):
            if line.strip():
                labels.append(line.strip())
                registry.record(self.env, registry.CHECK_USES, line.strip(), self.content_offset + number + 1)
        if not labels:
            raise self.error(f"{self.name}: list the self-checks to print, one :label: per line")
        title = self.arguments[0] if self.arguments else self.default_title
        sheet = check_sheet(kind=self.kind, labels=labels, title=title)
        self.set_source_info(sheet)
        return [sheet]


class ExitTicketDirective(SheetDirective):
    kind = "exit-ticket"
    default_title = "Exit ticket"


class CheckKeyDirective(SheetDirective):
    kind = "check-key"
    default_title = "Self-check answers"


@dataclass
class Question:
    """A self-check's parts, copied for another page: the question, then (answer, right?, feedback)."""

    text: list[nodes.Node]
    options: list[tuple[list[nodes.Node], bool, list[nodes.Node]]]


def copy_for(children, source: str, target: str) -> list[nodes.Node]:
    """Deep copies of ``children`` from page ``source``, fit for page ``target``: no IDs, links re-based."""
    copies = [child.deepcopy() for child in children]
    for copy in copies:
        for node in copy.findall(nodes.Element):
            node["ids"], node["names"] = [], []
            if isinstance(node, addnodes.pending_xref):
                refdoc = node.get("refdoc", source)
                if node.get("reftype") == "doc" and not node["reftarget"].startswith("/"):
                    node["reftarget"] = "/" + posixpath.normpath(
                        posixpath.join(posixpath.dirname(refdoc), node["reftarget"])
                    )
                node["refdoc"] = target
            elif isinstance(node, nodes.reference) and source != target:
                _rebase(node, source, target)
    return copies


def _rebase(ref: nodes.reference, source: str, target: str) -> None:
    """Make a link written on ``source`` point at the same place from ``target``."""
    if ref.get("refid"):
        ref["refuri"] = relative_uri(target + ".html", source + ".html") + "#" + ref["refid"]
        del ref["refid"]
        return
    uri = ref.get("refuri", "")
    if not uri or urlsplit(uri).scheme or uri.startswith("/"):
        return
    if uri.startswith("#"):
        ref["refuri"] = relative_uri(target + ".html", source + ".html") + uri
        return
    absolute = posixpath.normpath(posixpath.join(posixpath.dirname(source), uri))
    ref["refuri"] = relative_uri(target + ".html", absolute)


def question_of(check: self_check, source: str, target: str) -> Question:
    text = next(iter(check.findall(check_question)))
    options = []
    for option in check.findall(check_option):
        answer = next(iter(option.findall(check_label)))
        feedback = next(iter(option.findall(check_feedback)))
        options.append(
            (copy_for(answer.children, source, target), option["correct"], copy_for(feedback.children, source, target))
        )
    return Question(copy_for(text.children, source, target), options)


def _frame(kind: str, title: str) -> nodes.container:
    box = nodes.container(classes=[f"rd-{kind}"])
    box += nodes.paragraph("", "", nodes.strong(title, title), classes=["rd-handout-title"])
    return box


def exit_ticket(title: str, questions: list[Question]) -> nodes.container:
    """The paper form: a "Name:" line, then numbered questions with a box before every answer."""
    box = _frame("exit-ticket", title)
    box += nodes.paragraph("", "Name: ", nodes.raw("", WRITE_LINE, format="html"), classes=["rd-exit-name"])
    numbered = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["rd-exit-questions"])
    for question in questions:
        item = nodes.list_item()
        item += nodes.paragraph("", "", *question.text, classes=["rd-exit-question"])
        answers = nodes.bullet_list(classes=["rd-exit-options"])
        for text, _, _ in question.options:
            answers += nodes.list_item("", nodes.paragraph("", "", nodes.raw("", BOX, format="html"), *text))
        item += answers
        numbered += item
    box += numbered
    return box


def check_key(title: str, questions: list[Question]) -> nodes.container:
    """The teacher's key: the same numbering, the right answers named, every answer's feedback."""
    box = _frame("check-key", title)
    numbered = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["rd-key-questions"])
    for question in questions:
        item = nodes.list_item()
        item += nodes.paragraph("", "", *question.text, classes=["rd-key-question"])
        answers = nodes.bullet_list(classes=["rd-key-options"])
        for text, correct, feedback in question.options:
            answer = nodes.paragraph()
            if correct:
                answer += nodes.strong("Right answer:", "Right answer:")
                answer += nodes.Text(" ")
            answer += text
            answers += nodes.list_item(
                "",
                answer,
                nodes.container("", *feedback, classes=["rd-key-feedback"]),
                classes=["rd-key-right" if correct else "rd-key-wrong"],
            )
        item += answers
        numbered += item
    box += numbered
    return box


RENDER = {"exit-ticket": exit_ticket, "check-key": check_key}


class FillCheckSheets(SphinxPostTransform):
    """Replace each placeholder with the questions it names, copied from their pages."""

    #: before Sphinx's ReferencesResolver (10), so that references inside the copies resolve
    default_priority = 5

    def run(self, **kwargs) -> None:
        defined = {label: found[0][0] for label, found in registry.by_key(self.env, registry.SELF_CHECKS).items()}
        here = self.env.docname
        doctrees = {here: self.document}
        for sheet in list(self.document.findall(check_sheet)):
            questions = []
            for label in sheet["labels"]:
                source = defined.get(label)
                if source is not None and source not in doctrees:
                    doctrees[source] = self.env.get_doctree(source)
                found = [c for c in doctrees[source].findall(self_check) if label in c["ids"]] if source else []
                if not found:
                    logger.error(
                        f"{sheet['kind']}: no self-check has the label {label!r} (give one `:label: {label}`)",
                        location=sheet,
                        type="reading_deterrence",
                        subtype="handouts",
                    )
                    continue
                questions.append(question_of(found[0], source, here))
            sheet.replace_self(RENDER[sheet["kind"]](sheet["title"], questions))


def pages_to_reread(app: Sphinx, env, added: set, changed: set, removed: set) -> set[str]:
    """``env-get-outdated``: pages printing a label whose page changed, or that is still unknown."""
    touched = added | changed | removed
    defined = registry.by_key(env, registry.SELF_CHECKS)
    return {
        docname
        for docname, label, _ in registry.entries(env, registry.CHECK_USES)
        if label not in defined or any(entry[0] in touched for entry in defined[label])
    }


def setup(app: Sphinx) -> None:
    app.add_node(check_sheet)
    app.add_directive("exit-ticket", ExitTicketDirective)
    app.add_directive("check-key", CheckKeyDirective)
    app.add_post_transform(FillCheckSheets)
    app.connect("env-get-outdated", pages_to_reread)
