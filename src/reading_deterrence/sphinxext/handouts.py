"""Print-ready PDFs of handout pages: ``{handout-pdf}``, the ``{pdf}`` role and the manifest.

Each handout page *is* its PDF: after the build, a printing tool (``tools/handouts.py``) prints
the page with headless Chromium into ``handouts/<name>`` of the HTML output. The page says so::

    :::{handout-pdf} lesson-2-1-student.pdf
    :::

which renders "Print-ready PDF: lesson-2-1-student.pdf" as a link relative to the page, followed
by ``<span class="rd-pdf-pages" data-pdf="...">``, which the printing tool fills with the page
count once the PDF exists. The line has the class ``rd-handout-link`` and is hidden in print (a
PDF need not link to itself). Elsewhere, ``{pdf}`lesson-2-1-student.pdf``` (or ``{pdf}`the
handout <lesson-2-1-student.pdf>```) links to a PDF the same way.

When the build finishes, ``handouts/manifest.json`` lists what to print: name, page (its HTML
path in the output), title and edition (``teacher`` for pages under ``chapters/teachers/``, else
``all``); it is the printing tool's only input, so no list of handouts is kept by hand. A name
declared twice, or a ``{pdf}`` link to a name no page declares, is a build error; links are
checked in the resolved page, so one inside ``{only} teacher_edition`` does not fail the student
edition. Pages that are not built (the teacher's pages in the student edition) are not listed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import ReferenceRole, SphinxDirective
from sphinx.util.matching import Matcher
from sphinx.util.osutil import relative_uri

from . import registry

logger = logging.getLogger(__name__)

FOLDER = "handouts"
MANIFEST = "manifest.json"
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.pdf$")


def teacher_page(app: Sphinx):
    """Whether a docname is in the teacher's part (``reading_deterrence_teacher_only``, the same
    patterns the student edition leaves out)."""
    matcher = Matcher(list(app.config.reading_deterrence_teacher_only))
    return lambda docname: matcher(docname)


class pdf_pages(nodes.inline):
    """The page count of a PDF, empty until the printing tool fills it in."""


def visit_pdf_pages(self, node):
    self.body.append(f'<span class="rd-pdf-pages" data-pdf="{node["pdf"]}">')


def depart_pdf_pages(self, node):
    self.body.append("</span>")


def pdf_name(text: str) -> str | None:
    """``lesson-2-1-student`` or ``lesson-2-1-student.pdf`` -> the file name; None if not a valid one."""
    name = text.strip()
    name = name if name.endswith(".pdf") else name + ".pdf"
    return name if NAME.match(name) else None


def pdf_link(docname: str, name: str, text: str) -> list[nodes.Node]:
    """A link to ``handouts/<name>`` relative to the page, then the page-count placeholder."""
    ref = nodes.reference("", text, refuri=relative_uri(docname + ".html", f"{FOLDER}/{name}"), classes=["rd-pdf"])
    return [ref, nodes.Text(" "), pdf_pages(pdf=name)]


class HandoutPdfDirective(SphinxDirective):
    """``{handout-pdf} <name>``: this page is printed as ``handouts/<name>``."""

    required_arguments = 1
    has_content = False

    def run(self):
        name = pdf_name(self.arguments[0])
        if name is None:
            raise self.error(
                f"handout-pdf: {self.arguments[0]!r} is not a PDF name (lower-case words and digits "
                "joined by hyphens, ending in .pdf)"
            )
        registry.record(self.env, registry.HANDOUTS, name, self.lineno)
        line = nodes.paragraph(classes=["rd-handout-link"])
        line += nodes.Text("Print-ready PDF: ")
        line += pdf_link(self.env.docname, name, name)
        return [line]


class PdfRole(ReferenceRole):
    """``{pdf}`name.pdf``` or ``{pdf}`text <name.pdf>```: a link to a handout PDF, checked after reading."""

    def run(self):
        name = pdf_name(self.target)
        if name is None:
            message = self.inliner.reporter.error(f"pdf: {self.target!r} is not a PDF name", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        link = pdf_link(self.env.docname, name, self.title if self.has_explicit_title else name)
        link[-1]["link"] = True  # checked once every page is read (check_links)
        link[-1].source, link[-1].line = self.get_source_info()
        return link, []


def check_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: every ``{pdf}`` link left in the page (after ``{only}``) names a built PDF."""
    declared = registry.by_key(app.env, registry.HANDOUTS)
    student = app.config.reading_deterrence_edition == "student"
    is_teacher = teacher_page(app)
    for node in doctree.findall(pdf_pages):
        name = node["pdf"]
        if not node.get("link"):
            continue
        if name not in declared:
            problem = f"no page declares {name!r} (add `:::{{handout-pdf}} {name}` to the page to print)"
            if student:
                problem += "; if a teacher's page declares it, put this link inside ```{only} teacher_edition```"
        elif student and not is_teacher(docname) and is_teacher(declared[name][0][0]):
            problem = f"{name!r} is a teacher's PDF, which the student edition does not have"
        else:
            continue
        logger.error(f"pdf: {problem}", location=node, type="reading_deterrence", subtype="handouts")


def manifest(app: Sphinx) -> list[dict[str, str]]:
    """One entry per declared PDF whose page is built in this edition, by name."""
    env = app.env
    student = app.config.reading_deterrence_edition == "student"
    is_teacher = teacher_page(app)
    entries = []
    for name, found in sorted(registry.by_key(env, registry.HANDOUTS).items()):
        docname = found[0][0]
        if docname not in env.all_docs or (student and is_teacher(docname)):
            continue
        title = env.titles[docname].astext() if docname in env.titles else docname
        edition = "teacher" if is_teacher(docname) else "all"
        entries.append({"name": name, "page": app.builder.get_target_uri(docname), "title": title, "edition": edition})
    return entries


def write_manifest(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write ``handouts/manifest.json`` for the printing tool."""
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / FOLDER
    folder.mkdir(exist_ok=True)
    text = json.dumps(manifest(app), indent=2, ensure_ascii=False) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_node(pdf_pages, html=(visit_pdf_pages, depart_pdf_pages))
    app.add_directive("handout-pdf", HandoutPdfDirective)
    app.add_role("pdf", PdfRole())
    app.connect("doctree-resolved", check_links)
    app.connect("build-finished", write_manifest)
