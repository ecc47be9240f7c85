"""What pages declare for other pages to use: self-check labels, handout PDFs, and who uses them.

A page can print the self-checks of another page (``{exit-ticket}``) or link to a PDF that another
page declares (``{pdf}``), so these declarations must outlive the reading of their page. They are
kept in the build environment as flat lists of ``(docname, key, line)``: Sphinx pickles the
environment between builds, forgets a page's entries when the page is read again
(``env-purge-doc``) and, in a parallel build, merges what each reading process found
(``env-merge-info``). Without both, an incremental or ``-j`` build would see stale or missing labels.
"""

from __future__ import annotations

from collections.abc import Iterable

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: A ``:label:``-ed self-check: key = label.
SELF_CHECKS = "rd_self_checks"
#: A self-check label printed by ``{exit-ticket}`` or ``{check-key}``: key = label.
CHECK_USES = "rd_check_uses"
#: A ``{handout-pdf}``: key = the PDF's name.
HANDOUTS = "rd_handouts"
#: Every self-check, labelled or not: key = ``"kind:idea"`` (idea may be empty), see :mod:`.selfcheck`.
CHECK_IDEAS = "rd_check_ideas"
#: The whole article, whose sentences are link targets: key = ``"article"`` (one page may hold it).
ARTICLES = "rd_articles"
KINDS = (SELF_CHECKS, CHECK_USES, HANDOUTS, CHECK_IDEAS, ARTICLES)
#: The kinds whose key names one thing in the whole book, and what to say of a second declaration.
UNIQUE = {
    SELF_CHECKS: "self-check: the label {key!r} is used twice",
    HANDOUTS: "handout-pdf: the name {key!r} is declared twice",
    ARTICLES: "article: the whole article, whose sentences are link targets, is placed twice "
    "(a copy elsewhere takes ':paragraphs:', whose sentences are not targets)",
}

Entry = tuple[str, str, int]


def entries(env: BuildEnvironment, kind: str) -> list[Entry]:
    """Every ``(docname, key, line)`` of this kind in the book."""
    if not hasattr(env, kind):
        setattr(env, kind, [])
    return getattr(env, kind)


def record(env: BuildEnvironment, kind: str, key: str, line: int | None) -> None:
    """Note that the page being read declares (or uses) ``key``."""
    entries(env, kind).append((env.docname, key, line or 0))


def by_key(env: BuildEnvironment, kind: str) -> dict[str, list[Entry]]:
    """The entries of this kind grouped by key, in page order."""
    grouped: dict[str, list[Entry]] = {}
    for entry in sorted(entries(env, kind)):
        grouped.setdefault(entry[1], []).append(entry)
    return grouped


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for kind in KINDS:
        setattr(env, kind, [e for e in entries(env, kind) if e[0] != docname])


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    wanted = set(docnames)
    for kind in KINDS:
        entries(env, kind).extend(e for e in entries(other, kind) if e[0] in wanted)


def report_duplicates(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: a label or PDF name declared on two pages (or twice on one) is an
    error at each later declaration, naming the first."""
    for kind, message in UNIQUE.items():
        for key, found in by_key(env, kind).items():
            first = found[0]
            for docname, _, line in found[1:]:
                logger.error(
                    f"{message.format(key=key)} (first in {first[0]}, line {first[2]})",
                    location=(docname, line),
                    type="reading_deterrence",
                    subtype="handouts",
                )


def setup(app: Sphinx) -> None:
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-check-consistency", report_duplicates)
