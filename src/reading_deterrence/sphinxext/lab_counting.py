"""``{counting-lab}``: the counting explorer, which counts launches in the page under rules the
reader chooses (whose report counts, which kinds of launch, events or missiles, the dates).

The markup, the no-JavaScript fallback and the exported data are made by
:mod:`reading_deterrence.rendering.lab_counting`; this directive supplies what the chapters chose
(:mod:`reading_deterrence.facts`: the sentence that makes the claim, the claim itself and the
article's "this year") and links the claim to its sentence, checked at build time. The script,
``static/lab-counting.js``, is loaded only on pages that use the directive (``shaping/assets.py``).
Use the directive once per page: its controls have fixed IDs.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx

from ..contract import data_files, load
from ..facts import COUNT_SENTENCE, article_window, numbers_facts
from ..rendering.lab_counting import CITE, lab_data, lab_html, presets
from .article import DataDirective
from .report import DATA_ERRORS

TABLES = ("launch_events", "launch_reports", "article_sentences", "timeline")


class CountingLabDirective(DataDirective):
    """``{counting-lab}``: the counting explorer (no arguments, no content; once per page)."""

    has_content = False

    def run(self):
        if self.env.temp_data.get("rd-counting-lab"):  # temp_data is the current page's
            return self.data_error(ValueError("use it once per page (its controls have fixed IDs)"))
        self.env.temp_data["rd-counting-lab"] = True
        try:
            events, reports = load("launch_events", self.package), load("launch_reports", self.package)
            sentences = load("article_sentences", self.package).set_index("sentence_id")
            facts = numbers_facts(self.package)
            window = article_window(self.package)
            claim = {
                "id": COUNT_SENTENCE,
                "text": str(sentences.loc[COUNT_SENTENCE, "text"]),
                "events": facts["numbers_claim_events"],
                "missiles": facts["numbers_claim_missiles"],
            }
            data = lab_data(events, reports, claim=claim, window=window, offered=presets(events, window))
            markup = lab_html(events, reports, data)
        except DATA_ERRORS as err:
            return self.data_error(err)
        self.depend_on(data_files(self.package, *TABLES))
        before, after = markup.split(CITE)
        ref = pending_xref(
            "", refdomain="std", reftype="ref", reftarget=COUNT_SENTENCE.lower(), refexplicit=True, refwarn=True
        )
        ref += nodes.inline(COUNT_SENTENCE, f"sentence {COUNT_SENTENCE}", classes=["rd-sentence-ref"])
        return [
            nodes.raw("", before, format="html"),
            nodes.inline("", "", ref),
            nodes.raw("", after, format="html"),
        ]


def setup(app: Sphinx) -> None:
    app.add_directive("counting-lab", CountingLabDirective)
    app.add_js_file("lab-counting.js", loading_method="defer")
