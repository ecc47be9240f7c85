"""The ``{source}`` role: a link to one source on the Sources page (generated from ``data/sources.csv``).

``{source}`yonhap-2023-04-11-cmc``` shows the source's publisher; ``{source}`Yonhap
<yonhap-2023-04-11-cmc>``` shows the given text. An unknown ID is a build warning (undefined
label), so with ``-W`` a broken pointer fails the build. Bad data in ``sources.csv`` is reported
once per build as a data error, never a traceback; the Sources page cannot be made from such data,
so the role then shows its text without a link (not an "undefined label" per link), and does not
read the broken file again for every link.
"""

from __future__ import annotations

import pandas as pd
from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.util.docutils import ReferenceRole

from ..contract import load
from .report import DATA_ERRORS, data_error


class SourceRole(ReferenceRole):
    """``{source}`id``` or ``{source}`text <id>```."""

    def run(self):
        sid = self.target.strip()
        sources = self.sources()
        if self.has_explicit_title:
            title = self.title
        else:
            title = str(sources.loc[sid, "publisher"]) if sources is not None and sid in sources.index else sid
        text = nodes.inline(title, title, classes=["rd-source-ref"])
        if sources is None:
            return [text], []
        ref = pending_xref(
            self.rawtext, refdomain="std", reftype="ref", reftarget=f"source-{sid}", refexplicit=True, refwarn=True
        )
        ref += text
        return [ref], []

    def sources(self) -> pd.DataFrame | None:
        """The sources by ID, or ``None`` if ``sources.csv`` is broken (reported once per build)."""
        folder = self.config.reading_deterrence_data
        broken = self.env.app.__dict__.setdefault("reading_deterrence_broken", set())  # per build, not pickled
        if ("sources", folder) in broken:
            return None
        try:
            return load("sources", folder).set_index("source_id")
        except DATA_ERRORS as err:
            broken.add(("sources", folder))
            data_error(err, location=self.get_location(), what="{source} role", env=self.env)
            return None


def setup(app) -> None:
    app.add_role("source", SourceRole())
