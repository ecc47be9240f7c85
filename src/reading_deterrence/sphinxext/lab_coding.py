"""``{coding-lab}``: code the article in the page, or load a filled sheet, and measure agreement
with the module's coding or a classmate's (percent agreement and Cohen's kappa, layer by layer).

The block, its no-JavaScript fallback and its data come from
:mod:`reading_deterrence.rendering.lab_coding`; this edition's held-back sentences
(:func:`.edition.held_back`) are passed in, so the student edition's page carries no module code
for them. The script, ``static/lab-coding.js``, is loaded only on pages with the lab
(:mod:`reading_deterrence.shaping.assets`).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..contract import data_files
from ..rendering.lab_coding import lab_html
from .article import DataDirective
from .edition import held_back
from .report import DATA_ERRORS

#: The codebook's page, linked from the lab's instructions when the book has it.
CODEBOOK_PAGE = "chapters/reference/codebook"


class CodingLabDirective(DataDirective):
    """``{coding-lab}``: the in-page coding lab (no arguments, no content)."""

    has_content = False

    def run(self):
        href = None
        if CODEBOOK_PAGE in self.env.found_docs:
            href = relative_uri(self.env.docname + ".html", CODEBOOK_PAGE + ".html")
        try:
            markup = lab_html(self.package, held_back=held_back(self.config), codebook_href=href)
        except DATA_ERRORS as err:
            return self.data_error(err)
        self.depend_on(data_files(self.package, "article_sentences", "coding", "codebook"))
        return [nodes.raw("", markup, format="html")]


def setup(app: Sphinx) -> None:
    app.add_directive("coding-lab", CodingLabDirective)
    app.add_js_file("lab-coding.js", loading_method="defer")
