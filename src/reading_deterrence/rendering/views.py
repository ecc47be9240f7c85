"""The views a page can ask for with the ``{data-view}`` directive, and the :class:`View` they return.

Each view returns the MyST text of a block of a page, plus the files it was made from, so that
the Sphinx extension can parse the text in place and rebuild the page when a file changes.
Nothing is written by hand per row: change the data, and the page follows.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from . import catalogue as _catalogue
from . import coding as _coding
from . import deterrence as _deterrence
from . import media as _media
from . import sources as _sources
from .base import HeldBack, View

__all__ = ["HOLDS_BACK", "VIEWS", "HeldBack", "View", "render"]

#: The views a page can ask for with the ``data-view`` directive.
VIEWS: dict[str, Callable[..., View]] = {
    "timeline": _sources.timeline,
    "catalogue": _catalogue.catalogue,
    "provenance": _sources.provenance,
    "codebook": _coding.codebook,
    "coding_table": _coding.coding_table,
    "coding_sheet": _coding.coding_sheet,
    "coding_worksheet": _coding.coding_worksheet,
    "sources": _sources.sources_list,
    "quotation_audit": _media.quotation_audit,
    "claims": _media.claim_ledger,
    "glossary": _deterrence.glossary,
    "declarations": _deterrence.declarations,
}


#: The views that can hold rows back from an edition (they take a ``held_back`` argument).
HOLDS_BACK = frozenset({"claims", "codebook", "coding_table"})


def render(view: str, package: str | os.PathLike | None = None, held_back: HeldBack | None = None) -> View:
    """Render the named view; ``KeyError`` listing the known views if there is no such view.

    ``held_back`` (:class:`HeldBack`) goes to the views that can hold rows back; the others
    ignore it, since they show nothing it names."""
    if view not in VIEWS:
        raise KeyError(f"no data view {view!r}; known views: {', '.join(sorted(VIEWS))}")
    if held_back and view in HOLDS_BACK:
        return VIEWS[view](package, held_back=held_back)
    return VIEWS[view](package)
