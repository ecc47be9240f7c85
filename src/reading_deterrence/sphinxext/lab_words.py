"""``{words-lab}``: spot the changed words, in the page (issue 13).

The directive puts on the page one ``<div class="rd-lab-words">`` holding:

- the interactive part (the article with a toggle button per word inside quotation marks, the
  controls and the score), ``hidden`` until ``static/lab-words.js`` starts;
- the no-JavaScript fallback: the quotations, their changed words and the audit's verdicts as a
  table (MyST, parsed here, so its ``{ref}`` and ``{sentence}`` links resolve); the script hides it
  until the student asks for the answers, then shows it as the answers;
- the data the script computes from, inline as ``<script type="application/json">``: no fetch, so
  the lab works from file://.

All three come from :func:`reading_deterrence.rendering.lab_words.words_lab`; the words that count
as changed are defined once, in :mod:`reading_deterrence.analysis.wordmarks`. The page is rebuilt
when the quotation audit or the article changes. The script is loaded only on pages with the lab
(``shaping/assets.py``).
"""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx

from ..rendering.lab_words import words_lab
from .article import DataDirective
from .report import DATA_ERRORS


class WordsLabDirective(DataDirective):
    """``{words-lab}``: the changed-words lab (see the module docstring). No arguments, no content."""

    has_content = False

    def run(self):
        try:
            lab = words_lab(self.package)
        except DATA_ERRORS as err:
            return self.data_error(err)
        self.depend_on(lab.files)
        root = nodes.container(classes=["rd-lab-words"])
        root += nodes.raw("", lab.html, format="html")
        fallback = nodes.container(classes=["rd-words-fallback"])
        self.state.nested_parse(StringList(lab.fallback.splitlines()), self.content_offset, fallback)
        root += fallback
        root += nodes.raw("", lab.data_script(), format="html")
        return [root]


def setup(app: Sphinx) -> None:
    app.add_directive("words-lab", WordsLabDirective)
    app.add_js_file("lab-words.js", loading_method="defer")
