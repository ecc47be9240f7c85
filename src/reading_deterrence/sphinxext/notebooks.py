"""Data labs to take away: the ``{lab}`` role, and the notebook bundles written after the build.

``{lab}`lab-who-speaks``` links to ``downloads/labs/lab-who-speaks.zip`` (text: "Download this
lab as a Jupyter notebook (zip)"; ``{lab}`other text <name>``` sets its own). The labs are listed
in :data:`reading_deterrence.facts.LABS`; an unknown name is a build error.

When the HTML build finishes, each lab whose page is in this edition is exported: the page's
MyST source becomes a notebook for this edition (:mod:`reading_deterrence.rendering.notebook`:
the student edition's holds no solution) and is bundled with its data and code
(:mod:`reading_deterrence.rendering.labs`; the student edition's data hold back what its pages
hold back, :func:`.edition.held_back`). This module supplies what only the build knows, the
Markdown for each role the prose uses:

- ``{ref}`` and ``{doc}``: the title of the section or page, in italics (not a link: a notebook
  has no book around it); ``{sentence}``, ``{term}``: their text;
- ``{glue:text}`` and ``{glue}``: what the page pastes, from the glue data myst-nb wrote when it
  ran the page (``jupyter_execute/<page>.glue.json``), formatted as myst-nb formats it;
- ``{source}``: the source's publisher (or the given text), linked to the source itself;
- ``{cite:p}``/``{cite:t}``: author and year, linked to the DOI where there is one;
- ``{download}``/``{generated}``: the file's name; the file goes into the bundle, beside the
  notebook (the generated one as ``downloads/`` holds it, so it must run after that writer);
- ``{lab}``: nothing (the notebook is the download), or its text, if it has its own.

A problem (markup the export does not know, a table or module a plain Jupyter cannot have, bad
data) is a build error naming the page.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import ReferenceRole
from sphinx.util.osutil import relative_uri

from ..contract import load
from ..facts import LABS
from ..rendering.labs import LabError, bundle_contents, holds_back, intro, write_bundle
from ..rendering.myst import ExportError, RoleResolver
from ..rendering.notebook import to_notebook
from ..rendering.text import escape
from .edition import held_back
from .report import DATA_ERRORS, message_of

logger = logging.getLogger(__name__)

FOLDER = "downloads/labs"
TEXT = "Download this lab as a Jupyter notebook (zip)"


class LabRole(ReferenceRole):
    """``{lab}`name``` -> a link to the lab's bundle, relative to this page."""

    def run(self):
        name = self.target.strip()
        if name not in LABS:
            message = self.inliner.reporter.error(f"no lab {name!r} (known: {', '.join(LABS)})", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        href = relative_uri(self.env.docname + ".html", f"{FOLDER}/{name}.zip")
        node = nodes.reference(self.rawtext, "", refuri=href, classes=["rd-download", "rd-lab"])
        node += nodes.Text(self.title if self.has_explicit_title else TEXT)
        return [node], []


def _glue(app: Sphinx, docname: str) -> dict:
    folder = getattr(app.env, "mystnb_config", None)
    folder = Path(folder.output_folder) if folder else Path(app.outdir).parent / "jupyter_execute"
    path = folder / f"{docname}.glue.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _pasted(glued: dict, key: str, fmt: str = "", inline: bool = True) -> str:
    from myst_nb.core.variables import format_plain_text

    if key not in glued:
        raise ExportError(f"nothing glued as {key!r} on this page")
    data = glued[key]["data"]
    if not inline and "text/html" in data:
        # Markdown ends an HTML block at a blank line; Jupyter drops <style> anyway
        html = re.sub(r"<style[^>]*>.*?</style>\s*", "", data["text/html"], flags=re.DOTALL)
        return "\n".join(line for line in html.splitlines() if line.strip())
    if not inline and "image/png" in data:
        return f"![{escape(key)}](data:image/png;base64,{data['image/png']})"
    return escape(format_plain_text(data.get("text/plain", ""), fmt))


def _citation(app: Sphinx, keys: str, textual: bool) -> str:
    entries = app.env.get_domain("cite").bibdata.data.entries
    out = []
    for key in (k.strip() for k in keys.split(",")):
        if key not in entries:
            raise ExportError(f"no reference {key!r} in the bibliography")
        entry = entries[key]
        names = [" ".join(p.last_names).strip("{}") for p in entry.persons.get("author", [])]
        who = names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2 else f"{names[0]} et al."
        year = entry.fields.get("year", "n.d.")
        text = f"{who} ({year})" if textual else f"{who} {year}"
        doi = entry.fields.get("doi")
        out.append(f"[{escape(text)}](https://doi.org/{doi})" if doi else escape(text))
    return "; ".join(out) if textual else f"({'; '.join(out)})"


def resolvers(app: Sphinx, docname: str, files: dict[str, bytes]) -> dict[str, RoleResolver]:
    """The Markdown for each role the prose of ``docname`` may use (see the module docstring);
    files the prose offers are added to ``files``."""
    env, data = app.env, app.config.reading_deterrence_data
    std = env.domaindata["std"]
    glued = _glue(app, docname)

    def ref(target: str, title: str | None) -> str:
        if title:
            return f"*{escape(title)}*"
        if target in std["labels"]:
            return f"*{escape(std['labels'][target][2])}*"
        if target in std["anonlabels"]:
            return f"*{escape(env.titles[std['anonlabels'][target][0]].astext())}*"
        raise ExportError(f"{{ref}} to {target!r}, which no page defines")

    def source(target: str, title: str | None) -> str:
        sources = load("sources", data).set_index("source_id")
        if target not in sources.index:
            raise ExportError(f"{{source}} {target!r} is not in sources.csv")
        return f"[{escape(title or sources.loc[target, 'publisher'])}]({sources.loc[target, 'url']})"

    def offered(folder: Path, target: str, title: str | None) -> str:
        path = folder / target
        if not path.is_file():
            raise ExportError(f"the page offers {target!r}, which is not at {path}")
        files[target] = path.read_bytes()
        return title or f"`{target}` (beside this notebook)"

    page_folder = Path(env.doc2path(docname)).parent
    return {
        "ref": ref,
        "doc": lambda target, title: f"*{escape(title or env.titles[target].astext())}*",
        "sentence": lambda target, title: escape(title or target.lower()),
        "term": lambda target, title: escape(title or target),
        "glue:text": lambda target, title: _pasted(glued, *target.rsplit(":", 1)),
        "glue": lambda target, title: _pasted(glued, target, inline=False),
        "source": source,
        "cite:p": lambda target, title: _citation(app, target, textual=False),
        "cite:t": lambda target, title: _citation(app, target, textual=True),
        "download": lambda target, title: offered(page_folder, target, title),
        "generated": lambda target, title: offered(Path(app.outdir) / "downloads", target, title),
        "lab": lambda target, title: escape(title or ""),
    }


def export_lab(app: Sphinx, name: str, docname: str, tables: tuple[str, ...]) -> int:
    """Write the bundle of lab ``name`` for this build's edition; return its size in bytes."""
    edition, data = app.config.reading_deterrence_edition, app.config.reading_deterrence_data
    held = held_back(app.config)
    title = app.env.titles[docname].astext()
    files: dict[str, bytes] = {}
    text = Path(app.env.doc2path(docname)).read_text(encoding="utf-8")
    first = intro(title, edition, holds_back(tables, data, held))
    notebook = to_notebook(text, edition=edition, roles=resolvers(app, docname, files), intro=first)
    licence = Path(app.srcdir) / "LICENSE"
    contents = bundle_contents(
        name=name,
        title=title,
        edition=edition,
        notebook=notebook,
        tables=tables,
        files=files,
        data=data,
        held_back=held,
        licence=licence.read_text(encoding="utf-8") if licence.is_file() else "",
    )
    return write_bundle(Path(app.outdir) / FOLDER / f"{name}.zip", contents)


def export_labs(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: a bundle for each lab whose page this edition has."""
    if exception is not None or app.builder.format != "html":
        return
    # Start from an empty folder: a lab this edition no longer has must not stay in it (nor in the
    # offline package made from it).
    shutil.rmtree(Path(app.outdir) / FOLDER, ignore_errors=True)
    for name, (docname, tables) in LABS.items():
        if docname not in app.env.found_docs:
            continue
        try:
            size = export_lab(app, name, docname, tables)
        except SyntaxError as err:  # ast.parse of a cell: IPython magics (%...) or a typo
            where = f"line {err.lineno}: {(err.text or '').strip()}" if err.lineno else str(err)
            message = f"a code cell is not plain Python ({where}); an exported notebook cannot run it"
            logger.error(f"lab {name}: {message}", location=docname, type="reading_deterrence", subtype="lab")
            continue
        except (ExportError, LabError, *DATA_ERRORS) as err:
            logger.error(f"lab {name}: {message_of(err)}", location=docname, type="reading_deterrence", subtype="lab")
            continue
        logger.info(f"lab {name}: {FOLDER}/{name}.zip ({size // 1024} KiB)")


def visit_folded(self, node) -> None:
    """myst-nb's toggle of folded code (``hide-input`` and the like), as valid, accessible HTML.

    myst-nb writes ``<summary aria-label="Toggle hidden content">`` around two ``<p>`` labels: a
    ``<p>`` is not allowed in a ``<summary>`` (HTML checker), and a name that is not the visible
    "Show code cell source" fails axe (``label-content-name-mismatch``). Here the labels are
    ``<span>`` elements and the name is the visible label; ``reading-deterrence.css`` shows one
    label at a time, and in print hides the fold altogether.
    """
    from html import escape as html_escape

    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    for state, text in (("collapsed", node["prompt_show"]), ("expanded", node["prompt_hide"])):
        self.body.append(f'<span class="{state} admonition-title">{html_escape(text)}</span>\n')
    self.body.append("</summary>\n")


def depart_folded(self, node) -> None:
    self.body.append("</details>\n")


def setup(app: Sphinx) -> None:
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(visit_folded, depart_folded))
    app.add_role("lab", LabRole())
    # after downloads.write_generated (priority 500): a lab may bundle a file it wrote
    app.connect("build-finished", export_labs, priority=600)
