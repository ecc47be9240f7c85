"""Files generated from the data for readers to download, such as the blank coding sheet.

A page links to one with the role ``{generated}`coding-sheet.csv``` (or
``{generated}`the sheet <coding-sheet.csv>```); the file is written to ``downloads/`` in the HTML
output when the build finishes. An unknown file name is a build error, and since the file is made
from the data it can never drift from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from .coding import blank_sheet
from .data import descriptor
from .launches import count_sheet


def blank_table(resource: str, keep: tuple[str, ...] = ()) -> Callable[..., str]:
    """A function returning an empty copy of a table (its header row), for students to fill in
    about another article; columns in ``keep`` are left out."""

    def make(package=None) -> str:
        res = next(r for r in descriptor(package)["resources"] if r["name"] == resource)
        return ",".join(f["name"] for f in res["schema"]["fields"] if f["name"] not in keep) + "\n"

    return make


#: File name -> function of the data package that returns the file's text.
GENERATED: dict[str, Callable[..., str]] = {
    "coding-sheet.csv": blank_sheet,
    "quotation-audit-template.csv": blank_table("quotation_audit"),
    "claim-ledger-template.csv": blank_table("claims"),
    "launch-count-sheet.csv": count_sheet,
    "coverage-template.csv": lambda package=None: (
        "outlet,copy_read_url,headline,lede,quoted_words,context_added,other_voices,left_out\n"
    ),
}
FOLDER = "downloads"
EXPLICIT = re.compile(r"^(.+?)\s*<([^<>]+)>$")


def generated_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{generated}`coding-sheet.csv``` -> a link to the generated file, relative to this page."""
    match = EXPLICIT.match(text.strip())
    title, target = (match.group(1), match.group(2)) if match else (text.strip(), text.strip())
    if target not in GENERATED:
        known = ", ".join(sorted(GENERATED))
        message = inliner.reporter.error(f"no generated file {target!r} (known: {known})", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    env = inliner.document.settings.env
    href = relative_uri(env.docname + ".html", f"{FOLDER}/{target}")
    node = nodes.reference(rawtext, "", refuri=href, classes=["rd-download"])
    node += nodes.literal(title, title) if title == target else nodes.Text(title)
    return [node], []


def write_generated(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: write every generated file into the HTML output."""
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / FOLDER
    folder.mkdir(exist_ok=True)
    for name, make in GENERATED.items():
        (folder / name).write_text(make(app.config.reading_deterrence_data), encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_role("generated", generated_role)
    app.connect("build-finished", write_generated)
