"""Self-check questions with immediate feedback, in the browser, with no server and no
third-party script.

Written as a directive::

    :::{self-check} Who is the source of the claim in p10s01?
    - The reporter

      Not quite: look for the words that attribute the sentence to someone.
    - [x] KCNA

      It begins "KCNA claimed": the reporter relays KCNA's claim.
    :::

Each list item is an answer (``[x]`` marks a right one) followed by its feedback. A
``:label: speak-check-source`` option names the question for other pages: ``{exit-ticket}`` prints
it on paper and ``{check-key}`` prints its key (:mod:`.checksheets`); the label is also the
question's HTML ID, so it must be unique in the book. The result is a
group of native radio buttons: they work with a mouse, with the keyboard (Tab to the group, arrow
keys to choose) and with screen readers. Choosing an answer shows its feedback at once, by CSS
alone, so the question works without JavaScript; a few lines of our own script
(``static/self-check.js``) also read the feedback out through a live region. Feedback always
starts with "Right." or "Not quite.", so colour is never the only signal.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from . import registry

LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
CORRECT = re.compile(r"^\s*\[(x|X)\]\s*")
WRONG = re.compile(r"^\s*\[ \]\s*")


class self_check(nodes.container):
    """The whole question: a fieldset of radio buttons."""


class check_question(nodes.inline):
    """The question, rendered as the fieldset's legend."""


class check_option(nodes.container):
    """One answer: a radio button, its label and its feedback."""


class check_label(nodes.inline):
    """The text of an answer."""


class check_feedback(nodes.container):
    """The feedback shown when the answer is chosen."""


def visit_self_check(self, node):
    self.body.append(self.starttag(node, "div", "", CLASS="rd-check", **{"data-rd-check": ""}))
    self.body.append("<fieldset>")


def depart_self_check(self, node):
    self.body.append('</fieldset><p class="rd-check-live visually-hidden" aria-live="polite"></p></div>\n')


def visit_check_question(self, node):
    self.body.append(f'<legend id="{node["ids"][0]}">' if node["ids"] else "<legend>")


def depart_check_question(self, node):
    self.body.append("</legend>\n")


def visit_check_option(self, node):
    self.body.append('<div class="rd-check-option">')
    self.body.append(
        f'<input type="radio" name="{node["group"]}" id="{node["input_id"]}" '
        f'data-correct="{"true" if node["correct"] else "false"}">'
    )


def depart_check_option(self, node):
    self.body.append("</div>\n")


def visit_check_label(self, node):
    self.body.append(f'<label for="{node["for"]}">')


def depart_check_label(self, node):
    self.body.append("</label>")


def visit_check_feedback(self, node):
    verdict = "Right." if node["correct"] else "Not quite."
    kind = "right" if node["correct"] else "wrong"
    self.body.append(f'<div class="rd-check-feedback rd-check-{kind}"><strong>{verdict}</strong> ')


def depart_check_feedback(self, node):
    self.body.append("</div>")


class SelfCheckDirective(SphinxDirective):
    """``{self-check} question``: a multiple-choice question with feedback for every answer."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"label": lambda value: value.strip()}

    def run(self):
        serial = self.env.new_serialno("rd-self-check")
        label = self.options.get("label")
        if label is not None:
            if not LABEL.match(label):
                raise self.error(f"self-check: the label {label!r} must be a letter then letters, digits, - or _")
            # recorded for {exit-ticket} and {check-key}; duplicates are reported once all pages are read
            registry.record(self.env, registry.SELF_CHECKS, label, self.lineno)
        group = label or f"check-{self.env.docname.replace('/', '-')}-{serial}"
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        lists = [n for n in holder.children if isinstance(n, nodes.bullet_list)]
        if len(lists) != 1 or len(holder.children) != 1:
            raise self.error("self-check: the content must be one bullet list, an answer per item")

        check = self_check(ids=[group])
        question = check_question(ids=[f"{group}-question"])
        parsed, messages = self.state.inline_text(self.arguments[0], self.lineno)
        question += parsed
        check += question
        rights = 0
        for number, item in enumerate(lists[0].children, start=1):
            paragraphs = [p for p in item.children if isinstance(p, nodes.paragraph)]
            if not paragraphs or len(item.children) < 2:
                raise self.error(f"self-check: answer {number} needs its text and, below it, its feedback")
            first = paragraphs[0]
            if any(isinstance(n, (nodes.reference, addnodes.pending_xref)) for n in first.findall()):
                raise self.error(
                    f"self-check: answer {number} contains a link; clicking it would follow the link "
                    "instead of choosing the answer (put links in the feedback)"
                )
            text = first.astext()
            correct = bool(CORRECT.match(text))
            rights += correct
            self._strip_marker(first)
            option = check_option(group=group, input_id=f"{group}-{number}", correct=correct)
            answer = check_label(**{"for": f"{group}-{number}"})
            answer += first.children
            option += answer
            feedback = check_feedback(correct=correct)
            feedback += [child for child in item.children if child is not first]
            option += feedback
            check += option
        if rights == 0:
            raise self.error("self-check: mark at least one right answer with [x]")
        return [check, *messages]

    @staticmethod
    def _strip_marker(paragraph: nodes.paragraph) -> None:
        """Remove a leading "[x]" or "[ ]" from the answer's first text node."""
        for text in paragraph.findall(nodes.Text):
            stripped = WRONG.sub("", CORRECT.sub("", text.astext(), count=1), count=1)
            text.parent.replace(text, nodes.Text(stripped))
            break


def setup(app: Sphinx) -> None:
    for node, visit, depart in [
        (self_check, visit_self_check, depart_self_check),
        (check_question, visit_check_question, depart_check_question),
        (check_option, visit_check_option, depart_check_option),
        (check_label, visit_check_label, depart_check_label),
        (check_feedback, visit_check_feedback, depart_check_feedback),
    ]:
        app.add_node(node, html=(visit, depart))
    app.add_directive("self-check", SelfCheckDirective)
    app.add_js_file("self-check.js", loading_method="defer")
