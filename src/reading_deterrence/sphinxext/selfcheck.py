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
question's HTML ID, so it must be unique in the book.

Every question says what it asks of the student, ``:kind: recall`` (the idea as the text just
taught it) or ``:kind: apply`` (the idea used on a sentence or case the text has not worked), and
may name the idea it checks, ``:idea: credibility``. A page that promises a question per idea lists
its ideas in its front matter (``self-check-ideas:``, a mapping from key to title); once every page
is read, a promised idea with no question, a question naming an idea its page does not promise, and
a chapter (a folder of pages) whose questions are less than ``reading_deterrence_apply_share``
``apply`` are build errors (:func:`check_promises`).

One right answer gives a group of native radio buttons; two or more (or ``:multiple:``) give
checkboxes, with "Choose every answer that is right." after the question, so a screen reader never
announces "1 of 4" for a question with several right answers. Both work with a mouse, with the
keyboard (Tab to the group, arrow keys or Space to choose) and with screen readers. A chosen
answer's feedback shows at once, by CSS alone, so the questions work without JavaScript; a few
lines of our own script (``static/self-check.js``) read the feedback out through a live region
and, for checkboxes, add a tally: how many of the right answers are chosen and how many wrong ones.
The page writes "Right." or "Not quite." before each feedback, so colour is never the only signal;
an author's feedback must not start with such a verdict of its own ("Not quite. Not quite:").
"""

from __future__ import annotations

import json
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import registry

logger = logging.getLogger(__name__)

LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
CORRECT = re.compile(r"^\s*\[(x|X)\]\s*")
WRONG = re.compile(r"^\s*\[ \]\s*")
#: Feedback may not begin with a verdict: the page writes one ("Right." or "Not quite.") itself.
VERDICT = re.compile(r"^\W*(right|correct|incorrect|not quite|wrong|yes|no|partly right)\s*[.:,;!]", re.IGNORECASE)
KINDS = ("recall", "apply")
#: The front-matter key of a page's promised ideas.
PROMISE_KEY = "self-check-ideas"
MULTIPLE_HINT = "Choose every answer that is right."


class self_check(nodes.container):
    """The whole question: a fieldset of radio buttons."""


class check_question(nodes.inline):
    """The question, rendered as the fieldset's legend."""


class check_hint(nodes.inline):
    """"Choose every answer that is right.", after a multiple-answer question."""


class check_option(nodes.container):
    """One answer: a radio button, its label and its feedback."""


class check_label(nodes.inline):
    """The text of an answer."""


class check_feedback(nodes.container):
    """The feedback shown when the answer is chosen."""


def visit_self_check(self, node):
    data = {"data-rd-check": "", "data-rd-kind": node["kind"]}
    if node.get("idea"):
        data["data-rd-idea"] = node["idea"]
    if node["multiple"]:
        data["data-rd-multiple"] = ""
    self.body.append(self.starttag(node, "div", "", CLASS="rd-check", **data))
    self.body.append("<fieldset>")


def depart_self_check(self, node):
    tally = '<p class="rd-check-tally" hidden></p>' if node["multiple"] else ""
    self.body.append(f'{tally}</fieldset><p class="rd-check-live visually-hidden" aria-live="polite"></p></div>\n')


def visit_check_hint(self, node):
    self.body.append(' <span class="rd-check-hint">')


def depart_check_hint(self, node):
    self.body.append("</span>")


def visit_check_question(self, node):
    self.body.append(f'<legend id="{node["ids"][0]}">' if node["ids"] else "<legend>")


def depart_check_question(self, node):
    self.body.append("</legend>\n")


def visit_check_option(self, node):
    self.body.append('<div class="rd-check-option">')
    kind = "checkbox" if node.get("multiple") else "radio"
    self.body.append(
        f'<input type="{kind}" name="{node["group"]}" id="{node["input_id"]}" '
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
    option_spec = {
        "label": lambda value: value.strip(),
        "idea": lambda value: value.strip(),
        "kind": lambda value: value.strip(),
        "multiple": lambda value: True,
    }

    def run(self):
        serial = self.env.new_serialno("rd-self-check")
        label, kind, idea = self._options()
        group = label or f"check-{self.env.docname.replace('/', '-')}-{serial}"
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        lists = [n for n in holder.children if isinstance(n, nodes.bullet_list)]
        if len(lists) != 1 or len(holder.children) != 1:
            raise self.error("self-check: the content must be one bullet list, an answer per item")
        items = lists[0].children
        rights = sum(bool(CORRECT.match(self._answer_text(item))) for item in items)
        if rights == 0:
            raise self.error("self-check: mark at least one right answer with [x]")
        multiple = rights > 1 or "multiple" in self.options
        check = self_check(ids=[group], kind=kind, idea=idea, multiple=multiple)
        question = check_question(ids=[f"{group}-question"])
        parsed, messages = self.state.inline_text(self.arguments[0], self.lineno)
        question += parsed
        if multiple:
            question += check_hint("", nodes.Text(MULTIPLE_HINT))
        check += question
        for number, item in enumerate(items, start=1):
            check += self._option(item, number, group, multiple)
        return [check, *messages]

    def _options(self) -> tuple[str | None, str, str]:
        """The checked ``label``, ``kind`` and ``idea``, recorded for the checks made once all pages are read."""
        label = self.options.get("label")
        if label is not None:
            if not LABEL.match(label):
                raise self.error(f"self-check: the label {label!r} must be a letter then letters, digits, - or _")
            # recorded for {exit-ticket} and {check-key}; duplicates are reported once all pages are read
            registry.record(self.env, registry.SELF_CHECKS, label, self.lineno)
        kind = self.options.get("kind")
        if kind not in KINDS:
            raise self.error(
                "self-check: say what the question asks, ':kind: recall' (the idea as just taught) or "
                "':kind: apply' (the idea used on a sentence or case the text has not worked)"
            )
        idea = self.options.get("idea", "")
        if idea and not LABEL.match(idea):
            raise self.error(f"self-check: the idea {idea!r} must be a letter then letters, digits, - or _")
        registry.record(self.env, registry.CHECK_IDEAS, f"{kind}:{idea}", self.lineno)
        return label, kind, idea

    def _option(self, item: nodes.Node, number: int, group: str, multiple: bool) -> check_option:
        """One answer (its text, then its feedback) as a radio button or checkbox with its feedback."""
        paragraphs = [p for p in item.children if isinstance(p, nodes.paragraph)]
        if not paragraphs or len(item.children) < 2:
            raise self.error(f"self-check: answer {number} needs its text and, below it, its feedback")
        first = paragraphs[0]
        if any(isinstance(n, (nodes.reference, addnodes.pending_xref)) for n in first.findall()):
            raise self.error(
                f"self-check: answer {number} contains a link; clicking it would follow the link "
                "instead of choosing the answer (put links in the feedback)"
            )
        correct = bool(CORRECT.match(first.astext()))
        self._strip_marker(first)
        said = [child for child in item.children if child is not first]
        if VERDICT.match(said[0].astext()):
            raise self.error(
                f"self-check: answer {number}'s feedback starts with a verdict "
                f"({said[0].astext()[:20]!r}...); the page writes \"Right.\" or \"Not quite.\" itself"
            )
        option = check_option(group=group, input_id=f"{group}-{number}", correct=correct, multiple=multiple)
        answer = check_label(**{"for": f"{group}-{number}"})
        answer += first.children
        option += answer
        feedback = check_feedback(correct=correct)
        feedback += said
        option += feedback
        return option

    @staticmethod
    def _answer_text(item: nodes.Node) -> str:
        paragraphs = [p for p in item.children if isinstance(p, nodes.paragraph)]
        return paragraphs[0].astext() if paragraphs else ""

    @staticmethod
    def _strip_marker(paragraph: nodes.paragraph) -> None:
        """Remove a leading "[x]" or "[ ]" from the answer's first text node."""
        for text in paragraph.findall(nodes.Text):
            stripped = WRONG.sub("", CORRECT.sub("", text.astext(), count=1), count=1)
            text.parent.replace(text, nodes.Text(stripped))
            break


def promised(env: BuildEnvironment, docname: str) -> dict[str, str]:
    """The ideas a page's front matter promises a question for (``self-check-ideas``), key -> title.

    Front matter reaches ``env.metadata`` as text (myst-parser stores a mapping as JSON)."""
    value = env.metadata.get(docname, {}).get(PROMISE_KEY)
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, dict) or not all(isinstance(k, str) and k for k in value):
        logger.error(
            f"{PROMISE_KEY}: give a mapping from each idea's key to its title",
            location=docname,
            type="reading_deterrence",
            subtype="self_check",
        )
        return {}
    return value


def check_promises(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: each promised idea has a question on its page; each question's idea
    is one its page promises; each folder of pages (a chapter) asks at least
    ``reading_deterrence_apply_share`` of its questions as ``apply``."""
    found: dict[str, list[tuple[str, str, int]]] = {}
    for docname, key, line in registry.entries(env, registry.CHECK_IDEAS):
        kind, _, idea = key.partition(":")
        found.setdefault(docname, []).append((kind, idea, line))
    for docname in sorted(env.found_docs):
        ideas = promised(env, docname)
        asked = {idea for _, idea, _ in found.get(docname, [])}
        for idea, title in ideas.items():
            if idea not in asked:
                logger.error(
                    f"self-check: the page promises a question on {title!r} ({idea}) but has none "
                    f"(give one ':idea: {idea}')",
                    location=docname,
                    type="reading_deterrence",
                    subtype="self_check",
                )
        for _kind, idea, line in found.get(docname, []):
            if idea and idea not in ideas:
                logger.error(
                    f"self-check: the idea {idea!r} is not among the page's {PROMISE_KEY} "
                    f"({', '.join(ideas) or 'none'})",
                    location=(docname, line),
                    type="reading_deterrence",
                    subtype="self_check",
                )
    share = app.config.reading_deterrence_apply_share
    chapters: dict[str, list[str]] = {}
    for docname, checks in found.items():
        chapters.setdefault(docname.rpartition("/")[0], []).extend(kind for kind, _, _ in checks)
    for chapter, kinds in sorted(chapters.items()):
        applied = kinds.count("apply")
        if applied < share * len(kinds):
            logger.error(
                f"self-check: {applied} of the {len(kinds)} questions in {chapter}/ ask the student to "
                f"apply an idea (':kind: apply'); at least {share:.0%} should",
                type="reading_deterrence",
                subtype="self_check",
            )


def setup(app: Sphinx) -> None:
    app.add_config_value("reading_deterrence_apply_share", 1 / 3, "env", types=(float, int))
    app.connect("env-check-consistency", check_promises)
    for node, visit, depart in [
        (self_check, visit_self_check, depart_self_check),
        (check_question, visit_check_question, depart_check_question),
        (check_hint, visit_check_hint, depart_check_hint),
        (check_option, visit_check_option, depart_check_option),
        (check_label, visit_check_label, depart_check_label),
        (check_feedback, visit_check_feedback, depart_check_feedback),
    ]:
        app.add_node(node, html=(visit, depart))
    app.add_directive("self-check", SelfCheckDirective)
    app.add_js_file("self-check.js", loading_method="defer")
