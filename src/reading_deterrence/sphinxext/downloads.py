"""Files generated from the data for readers to download, such as the blank coding sheet.

The files are listed in :data:`reading_deterrence.facts.DOWNLOADS`. A page links to one with
the role ``{generated}`coding-sheet.csv``` (or ``{generated}`the sheet <coding-sheet.csv>```);
the file is written to ``downloads/`` in the HTML output when the build finishes. An unknown file
name is a build error, and since the file is made from the data it can never drift from it.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import ReferenceRole
from sphinx.util.osutil import relative_uri

from ..facts import DOWNLOADS as GENERATED
from .report import DATA_ERRORS, data_error

FOLDER = "downloads"


class GeneratedRole(ReferenceRole):
    """``{generated}`coding-sheet.csv``` -> a link to the generated file, relative to this page."""

    def run(self):
        target = self.target.strip()
        if target not in GENERATED:
            known = ", ".join(sorted(GENERATED))
            message = self.inliner.reporter.error(f"no generated file {target!r} (known: {known})", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        href = relative_uri(self.env.docname + ".html", f"{FOLDER}/{target}")
        node = nodes.reference(self.rawtext, "", refuri=href, classes=["rd-download"])
        node += nodes.Text(self.title) if self.has_explicit_title else nodes.literal(target, target)
        return [node], []


def write_generated(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: write every generated file into the HTML output."""
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / FOLDER
    folder.mkdir(exist_ok=True)
    for name, make in GENERATED.items():
        try:
            text = make(app.config.reading_deterrence_data)
        except DATA_ERRORS as err:
            data_error(err, what=f"download {name}", env=app.env)
            continue
        (folder / name).write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_role("generated", GeneratedRole())
    app.connect("build-finished", write_generated)
