"""``{discernment-check}``: sound or unsound? The check-yourself page's test, scored in the page (issue 14).

The directive puts on the page one ``<div class="rd-lab-discernment">`` holding:

- a table of how the two forms are matched (kinds of item, difficulty);
- the items of both forms as numbered lists, charts drawn as SVG at build time: without
  JavaScript, a printable list with a note that scoring needs JavaScript; with it,
  ``static/lab-discernment.js`` adds a six-point radio group to each item of the form the
  student picks, and shows the controls and, once every item is answered, the answers and the
  scores;
- the data the script computes from, inline as ``<script type="application/json">``: no fetch, so
  the check works from file://.

All of it comes from :func:`reading_deterrence.rendering.lab_discernment.discernment_lab`; the
scores are defined once, in :mod:`reading_deterrence.analysis.discernment`, and the script is
held to them by a browser test. Each item's sources link to their entries on the Sources page.
The page is rebuilt when the bank, the sources or a charted table change. The script is loaded
only on pages with the check (``shaping/assets.py``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..rendering.lab_discernment import discernment_lab
from .article import DataDirective
from .language import mark_html
from .report import DATA_ERRORS

#: The page whose ``source-<id>`` anchors the items' sources link to.
SOURCES_PAGE = "chapters/reference/sources"


class DiscernmentCheckDirective(DataDirective):
    """``{discernment-check}``: the discernment check (see the module docstring). No arguments, no content."""

    has_content = False

    def run(self):
        sources = None
        if SOURCES_PAGE in self.env.found_docs:
            sources = self.env.app.builder.get_relative_uri(self.env.docname, SOURCES_PAGE)
        try:
            lab = discernment_lab(self.package, sources)
        except DATA_ERRORS as err:
            return self.data_error(err)
        self.depend_on(lab.files)
        root = nodes.container(classes=["rd-lab-discernment"])
        root += nodes.raw("", mark_html(lab.html), format="html")
        root += nodes.raw("", lab.data_script(), format="html")
        return [root]


def setup(app: Sphinx) -> None:
    app.add_directive("discernment-check", DiscernmentCheckDirective)
    app.add_js_file("lab-discernment.js", loading_method="defer")
