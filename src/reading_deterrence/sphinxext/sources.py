"""The ``{source}`` role: a link to one source on the Sources page (generated from ``data/sources.csv``).

``{source}`yonhap-2023-04-11-cmc``` shows the source's publisher; ``{source}`Yonhap
<yonhap-2023-04-11-cmc>``` shows the given text. An unknown ID is a build warning (undefined
label), so with ``-W`` a broken pointer fails the build; bad data in ``sources.csv`` is reported
once per page as a data error, never a traceback.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.util.docutils import ReferenceRole

from ..contract import load
from .report import DATA_ERRORS, data_error


class SourceRole(ReferenceRole):
    """``{source}`id``` or ``{source}`text <id>```."""

    def run(self):
        sid = self.target.strip()
        title = self.title if self.has_explicit_title else self.publisher(sid)
        ref = pending_xref(
            self.rawtext, refdomain="std", reftype="ref", reftarget=f"source-{sid}", refexplicit=True, refwarn=True
        )
        ref += nodes.inline(title, title, classes=["rd-source-ref"])
        return [ref], []

    def publisher(self, sid: str) -> str:
        try:
            sources = load("sources", self.config.reading_deterrence_data).set_index("source_id")
        except DATA_ERRORS as err:
            data_error(err, location=self.get_location(), what="{source} role", env=self.env)
            return sid
        return str(sources.loc[sid, "publisher"]) if sid in sources.index else sid


def setup(app) -> None:
    app.add_role("source", SourceRole())
