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

#: A ``:label:``-ed self-check: key = label.
SELF_CHECKS = "rd_self_checks"
#: A self-check label printed by ``{exit-ticket}`` or ``{check-key}``: key = label.
CHECK_USES = "rd_check_uses"
#: A ``{handout-pdf}``: key = the PDF's name.
HANDOUTS = "rd_handouts"
KINDS = (SELF_CHECKS, CHECK_USES, HANDOUTS)

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


def setup(app: Sphinx) -> None:
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
