"""Mark Korean and Japanese text with its language, wherever it appears.

The module quotes Korean (실용적, 전쟁억제력) and Japanese (機構編制) inside English pages. WCAG 2.1
success criterion 3.1.2 (Language of Parts, level AA) asks that such passages say what language
they are in, so that screen readers pronounce them properly and browsers choose suitable fonts.
After each page is resolved, every run of Hangul, or of Japanese kana and kanji, in any text of the
document (prose, tables generated from data, bibliography entries) becomes a ``<span lang="ko">``
or ``<span lang="ja">``. Code and raw HTML are left alone.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx

HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
KANA = "\u3040-\u30ff"
HAN = "\u4e00-\u9fff"
#: A run of one language, allowing the spaces and punctuation inside a phrase (더욱 실용적으로, 공세적으로).
RUN = re.compile(
    f"[{HANGUL}][{HANGUL}\\s,·]*[{HANGUL}]|[{HANGUL}]|[{KANA}{HAN}][{KANA}{HAN}\\s、・]*[{KANA}{HAN}]|[{KANA}{HAN}]"
)
SKIP = (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment)


class lang_span(nodes.inline):
    """Inline text in another language; rendered as ``<span lang="…">``."""


def visit_lang_span(self, node):
    self.body.append(self.starttag(node, "span", "", lang=node["lang"]))


def depart_lang_span(self, node):
    self.body.append("</span>")


def language_of(run: str) -> str:
    return "ko" if re.search(f"[{HANGUL}]", run) else "ja"


def split(text: str) -> list[nodes.Node]:
    """``text`` as Text nodes, with each Korean or Japanese run in a lang_span."""
    out: list[nodes.Node] = []
    last = 0
    for match in RUN.finditer(text):
        if match.start() > last:
            out.append(nodes.Text(text[last : match.start()]))
        span = lang_span(lang=language_of(match.group(0)))
        span += nodes.Text(match.group(0))
        out.append(span)
        last = match.end()
    if last < len(text):
        out.append(nodes.Text(text[last:]))
    return out


#: Markup, or text between tags, in HTML a directive writes itself (:func:`mark_html`).
TAG_OR_TEXT = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S | re.I)


def mark_html(html: str) -> str:
    """Raw HTML with each Korean or Japanese run of its text (never of a tag, attribute, script or
    style) in ``<span lang="…">``: for labs that write their own HTML, which :func:`mark_languages`
    leaves alone. The HTML must already be escaped, so a run needs no escaping of its own."""
    parts = TAG_OR_TEXT.split(html)
    for i in range(0, len(parts), 2):  # even parts are text between tags
        parts[i] = RUN.sub(lambda m: f'<span lang="{language_of(m.group(0))}">{m.group(0)}</span>', parts[i])
    return "".join(parts)


def mark_languages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` handler: wrap every Korean or Japanese run in a lang_span."""
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or isinstance(parent, lang_span) or any(isinstance(a, SKIP) for a in _ancestors(text)):
            continue
        if RUN.search(text.astext()):
            parent.replace(text, split(text.astext()))


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def setup(app: Sphinx) -> None:
    app.add_node(lang_span, html=(visit_lang_span, depart_lang_span))
    app.connect("doctree-resolved", mark_languages)
