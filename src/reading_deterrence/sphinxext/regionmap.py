"""``{region-map}``: a map drawn at build time, and ``{history-timeline}``: the context page's events.

::

    :::{region-map} region
    :bounds: 120.5 146 25.8 45.5
    :title: Korea, Japan and the seas between them
    :alt: A map of the Korean peninsula, Japan and the seas around them, north at the top.
    What to notice: ... (the caption, MyST)
    :::

    :::{history-timeline}
    :route: core
    :kinds: division, war
    :::

The map is inline SVG from :mod:`reading_deterrence.rendering.regionmap` (Natural Earth
boundaries from ``node_modules/world-atlas``, places from ``data/places.csv``), in a figure whose
caption is the directive's content plus the credit for the boundaries, followed by the list of
the places on it (for screen readers and print). ``:title:`` and ``:alt:`` are the SVG's
accessible name and description. The config value ``reading_deterrence_boundaries`` points at
another boundaries file; by default the book's own ``node_modules`` is used. A place outside the
map, a bad coordinate or a missing boundaries file is a build error naming the file, row and
column, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList

from ..contract.geography import BOUNDARIES
from ..rendering.history import ROUTES, history
from ..rendering.regionmap import Bounds, places_list, region_map
from .article import DataDirective
from .folds import further_summary, going_further
from .report import DATA_ERRORS

#: The title of the fold that lists the places on a map (after "Going further:").
PLACES_TITLE = "Places on this map, each with its source"

CREDIT = (
    "Boundaries: Natural Earth (public domain), via world-atlas. "
    "Places: the module's table of places, each with its source (listed below the map)."
)


class RegionMapDirective(DataDirective):
    """``{region-map} <name>``: the places listed for map ``name``, on the boundaries."""

    required_arguments = 1
    has_content = True
    option_spec = {
        "bounds": directives.unchanged_required,
        "title": directives.unchanged_required,
        "alt": directives.unchanged_required,
        "focus": directives.unchanged,
        "line": directives.unchanged,
    }

    def boundaries(self) -> str | None:
        configured = self.config.reading_deterrence_boundaries
        if configured:
            return str(Path(self.env.app.confdir, configured))
        own = Path(self.env.srcdir) / BOUNDARIES
        return str(own) if own.is_file() else None

    def run(self):
        missing = [key for key in ("bounds", "title", "alt") if not self.options.get(key)]
        if missing:
            raise self.error(f"region-map: give :{missing[0]}:")
        try:
            bounds = Bounds.parse(self.options["bounds"])
        except ValueError as err:
            raise self.error(f"region-map: {err}") from None
        name = self.arguments[0].strip()
        try:
            drawn = region_map(
                name,
                bounds,
                self.package,
                self.boundaries(),
                title=self.options["title"],
                description=self.options["alt"],
                focus=tuple(self.options.get("focus", "").split()),
                line=tuple(self.options.get("line", "").split()),
            )
        except DATA_ERRORS as err:
            return self.data_error(err)
        self.depend_on(drawn.files)
        figure = nodes.figure(classes=["rd-map", f"rd-map-{name}"])
        figure += nodes.raw("", drawn.svg, format="html")
        caption = nodes.caption()
        text = " ".join(line.strip() for line in self.content if line.strip())
        parsed, messages = self.state.inline_text(f"{text} {CREDIT}".strip(), self.lineno)
        caption += parsed
        figure += caption
        # The list is long (two screens on a phone): folded, like any "going further" (it prints open).
        places = going_further(classes=["rd-map-places", "rd-compact"], gated=False)
        places += further_summary(PLACES_TITLE, PLACES_TITLE)
        self.state.nested_parse(StringList(places_list(drawn).splitlines()), self.content_offset, places)
        return [figure, places, *messages]


class HistoryDirective(DataDirective):
    """``{history-timeline}``: the events of ``data/history.csv`` (``:route:`` core or further)."""

    has_content = False
    option_spec = {"route": lambda value: directives.choice(value, ROUTES), "kinds": directives.unchanged}

    def run(self):
        kinds = [k.strip() for k in self.options.get("kinds", "").split(",") if k.strip()] or None
        try:
            view = history(self.package, self.options.get("route"), kinds)
        except DATA_ERRORS as err:
            return self.data_error(err)
        return self.placed(view)


def setup(app) -> None:
    app.add_config_value("reading_deterrence_boundaries", None, "env", types=[str])
    app.add_directive("region-map", RegionMapDirective)
    app.add_directive("history-timeline", HistoryDirective)
