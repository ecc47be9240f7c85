"""Files generated from the data for readers to download, such as the blank coding sheet.

The files are listed in :data:`reading_deterrence.facts.DOWNLOADS`. A page links to one with
the role ``{generated}`coding-sheet.csv``` (or ``{generated}`the sheet <coding-sheet.csv>```);
the file is written to ``downloads/`` in the HTML output when the build finishes. An unknown file
name is a build error, and since the file is made from the data it can never drift from it.

The data tables themselves are offered too: ``{generated}`data/timeline.csv``` links to a copy of
``data/timeline.csv``, and ``{generated}`data/datapackage.json``` to the descriptor; every table the
descriptor lists is copied. ``{generated}`data/reading-deterrence-data.zip``` is the whole data
package (the descriptor and every CSV), byte for byte as the book reads it. That is so in the teacher
edition; the student edition's copies hold back the module's answers to the device activities, as its
pages do (:mod:`reading_deterrence.rendering.withheld`, with :func:`.edition.held_back`): rows are
left out or a cell says "held back", and the descriptor's descriptions say what was held back.

CSV files are meant to be opened by people, often by double-clicking them into Excel, which reads a
UTF-8 file without a byte-order mark as the local legacy encoding (so "Kim’s" and Korean turn to
garbage). Every CSV offered here, generated or copied, therefore starts with a byte-order mark;
pandas (``encoding="utf-8-sig"``), LibreOffice and our own loader read it. ``data/`` itself stays
strict UTF-8 without one, and so does the zipped data package.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import ReferenceRole
from sphinx.util.osutil import relative_uri

from ..facts import DOWNLOADS as GENERATED
from ..rendering.labs import write_bundle
from ..rendering.withheld import offered_data
from .edition import held_back
from .report import DATA_ERRORS, data_error

FOLDER = "downloads"
DATA = "data/"
DATA_ZIP = "reading-deterrence-data.zip"
BOM = "\ufeff"


def data_tables(app: Sphinx) -> dict[str, Path]:
    """``data/<file>`` -> the file in the book's data package, for every table and the descriptor."""
    from ..contract import descriptor, package_path

    path = package_path(app.config.reading_deterrence_data)
    files = {f"{DATA}{path.name}": path}
    files.update({f"{DATA}{res['path']}": path.parent / res["path"] for res in descriptor(path)["resources"]})
    return files


def known(app: Sphinx) -> set[str]:
    return set(GENERATED) | set(data_tables(app)) | {f"{DATA}{DATA_ZIP}"}


class GeneratedRole(ReferenceRole):
    """``{generated}`coding-sheet.csv``` -> a link to the generated file, relative to this page."""

    def run(self):
        target = self.target.strip()
        try:
            names = known(self.env.app)
        except DATA_ERRORS as err:
            data_error(err, what=f"download {target}", env=self.env)
            return [], []
        if target not in names:
            text = f"no generated file {target!r} (known: {', '.join(sorted(names))})"
            message = self.inliner.reporter.error(text, line=self.lineno)
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
        (folder / name).write_text(BOM + text if name.endswith(".csv") else text, encoding="utf-8")
    try:
        files = offered_data(app.config.reading_deterrence_data, held_back(app.config)).files()
    except DATA_ERRORS as err:
        data_error(err, what="the data downloads", env=app.env)
        return
    write_bundle(folder / DATA / DATA_ZIP, {f"{DATA}{file}": data for file, data in files.items()})
    for file, data in files.items():
        if file.endswith(".csv") and not data.startswith(BOM.encode()):
            data = BOM.encode() + data
        (folder / DATA / file).write_bytes(data)


def setup(app: Sphinx) -> None:
    app.add_role("generated", GeneratedRole())
    app.connect("build-finished", write_generated)
