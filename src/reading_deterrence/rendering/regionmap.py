"""A map of a region as inline SVG, drawn at build time from Natural Earth boundaries and the
places table: no image file, no request to another host, real ``<text>`` labels.

- **Projection.** Equirectangular with the longitude scaled by the cosine of the map's middle
  latitude (:class:`Projection`): shapes are nearly true in the middle of the map, and distances
  on the scale bar are true at that latitude. North is up.
- **Clipping.** Each country's rings are clipped (Sutherland-Hodgman) to the map's rectangle
  widened by :data:`MARGIN` degrees, so the cut edges lie outside the visible frame; an SVG clip
  path hides them. Points closer than :data:`TOLERANCE` units to the last kept one are dropped and
  coordinates are rounded to a tenth of a unit, which keeps a map to a few tens of kilobytes.
- **The DMZ line** is the boundary North and South Korea share in the topology (the arcs both
  countries use), drawn in its own style.
- **Places** come from ``data/places.csv``: every row whose ``maps`` lists this map. A located
  point (capital, city, site, island) is a dot with its label on the side ``anchor`` names; a sea,
  country or border is a label alone. :func:`place_problems` reports, as data problems naming
  file, row and column, a place outside the map, a located point with neither a source nor a note
  saying why, and a label that would run off the map. :func:`overlapping` lists labels whose
  boxes (estimated from the text's length) overlap.

The map's colours are CSS classes (``rd-map-*``) over ``currentColor`` fallbacks, so it follows the
page's light or dark theme and prints in black on white.
"""

from __future__ import annotations

import html
import math
import os
from dataclasses import dataclass, field

import pandas as pd

from ..analysis.geometry import Bounds, Projection, clip_ring, widened
from ..contract import DataError, Problem, data_files, descriptor, display_path, load, package_path, resource
from ..contract.geography import Topology, boundaries_path, load_boundaries
from .text import escape, sources_links

__all__ = [
    "Bounds",
    "Label",
    "Projection",
    "RegionMap",
    "overlapping",
    "place_problems",
    "places_list",
    "region_map",
]

MARGIN = 0.8
TOLERANCE = 0.9
LOCATED = ("capital", "city", "site", "island")
#: Font size (map units) and width of a character as a share of it, by kind of place.
FONT = {"capital": 19, "city": 17, "site": 16, "island": 16, "land": 15, "sea": 15, "country": 13, "border": 15}
CHAR = {"country": 0.7, "sea": 0.58, "capital": 0.66}
GAP = 7.0
#: CSS class suffixes that differ from the kind (``rd-map-land`` is the land's shapes).
CSS_KIND = {"land": "land-label"}


@dataclass
class Label:
    """A place's text on the map: its lines, first baseline, alignment, size and estimated box."""

    place_id: str
    lines: list[str]
    x: float
    y: float
    align: str
    size: float
    kind: str
    box: tuple[float, float, float, float] = field(default=(0, 0, 0, 0))


@dataclass
class RegionMap:
    """A drawn map: the SVG text, the places on it (rows of the places table), their labels and
    dots, and the files it was made from."""

    name: str
    projection: Projection
    svg: str
    places: pd.DataFrame
    labels: list[Label]
    dots: dict[str, tuple[float, float]]
    files: list


def _path(points: list[tuple[float, float]], close: bool) -> str:
    """Projected points as SVG path data, thinned and rounded; empty if too small to see."""
    kept = [points[0]]
    for point in points[1:]:
        if math.dist(point, kept[-1]) >= TOLERANCE:
            kept.append(point)
    xs, ys = [p[0] for p in kept], [p[1] for p in kept]
    if len(kept) < (3 if close else 2) or (close and max(xs) - min(xs) < 1.5 and max(ys) - min(ys) < 1.5):
        return ""
    coords = " ".join(f"{x:.1f} {y:.1f}" for x, y in kept)
    return f"M{coords}{'Z' if close else ''}"


def _meets(ring, bounds: Bounds) -> bool:
    """Whether a ring's bounding box meets the bounds (most of the world's rings do not)."""
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return (
        min(lons) <= bounds.east
        and max(lons) >= bounds.west
        and min(lats) <= bounds.north
        and max(lats) >= bounds.south
    )


def _land(topology: Topology, projection: Projection, focus: tuple[str, ...] = ()) -> list[str]:
    wide = widened(projection.bounds, MARGIN)
    shapes = []
    for country in topology.countries.values():
        parts = []
        for polygon in country.polygons:
            for ring in polygon:
                if not _meets(ring, wide):
                    continue
                clipped = clip_ring(ring, wide)
                if clipped:
                    parts.append(_path([projection(*p) for p in clipped], close=True))
        d = "".join(p for p in parts if p)
        if d:
            focused = " rd-map-focus" if country.id in focus else ""
            shapes.append(
                f'<path class="rd-map-land{focused}" d="{d}" fill="currentColor" fill-opacity=".1" '
                f'stroke="currentColor" stroke-opacity=".5" stroke-width=".8">'
                f"<title>{html.escape(country.name)}</title></path>"
            )
    return shapes


def _line(topology: Topology, projection: Projection, line: tuple[str, ...]) -> str:
    """The border two countries share (``line``: their ISO 3166 numeric ids), drawn dashed."""
    if len(line) != 2 or not all(country in topology.countries for country in line):
        return ""
    d = "".join(_path([projection(*p) for p in arc], close=False) for arc in topology.shared_arcs(*line))
    return (
        f'<path class="rd-map-line" d="{d}" fill="none" stroke="currentColor" stroke-width="2.4" '
        'stroke-dasharray="5 3"/>'
        if d
        else ""
    )


def _label(row, x: float, y: float) -> Label:
    kind = row.kind
    size = FONT[kind]
    lines = str(row.label if not pd.isna(row.label) else row.name).split("|")
    lines = [line.strip() for line in lines]
    width = max(len(line) for line in lines) * size * CHAR.get(kind, 0.6)
    lead = size * 1.15
    anchor = row.anchor
    dx = {"e": GAP, "w": -GAP, "ne": GAP * 0.7, "se": GAP * 0.7, "nw": -GAP * 0.7, "sw": -GAP * 0.7}.get(anchor, 0)
    align = "start" if dx > 0 else "end" if dx < 0 else "middle"
    if anchor in ("n", "ne", "nw"):
        base = y - GAP * (1 if anchor == "n" else 0.7) - (len(lines) - 1) * lead - size * 0.25
    elif anchor in ("s", "se", "sw"):
        base = y + GAP * (1 if anchor == "s" else 0.7) + size * 0.8
    else:  # e, w, c: centred on the point
        base = y - (len(lines) - 1) * lead / 2 + size * 0.35
    tx = x + dx
    left = tx if align == "start" else tx - width if align == "end" else tx - width / 2
    box = (left, base - size * 0.8, left + width, base + (len(lines) - 1) * lead + size * 0.25)
    return Label(row.place_id, lines, round(tx, 1), round(base, 1), align, size, kind, box)


def overlapping(labels: list[Label], dots: dict[str, tuple[float, float]] | None = None) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap, and labels that cover another place's dot."""
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if a.box[0] < b.box[2] and b.box[0] < a.box[2] and a.box[1] < b.box[3] and b.box[1] < a.box[3]:
                pairs.append((a.place_id, b.place_id))
        for pid, (x, y) in (dots or {}).items():
            if pid != a.place_id and a.box[0] - 2 < x < a.box[2] + 2 and a.box[1] - 2 < y < a.box[3] + 2:
                pairs.append((a.place_id, pid))
    return pairs


def _on_map(places: pd.DataFrame, name: str) -> pd.Series:
    return places["maps"].map(lambda cell: name in [m.strip() for m in str(cell).split(";")])


def place_problems(places: pd.DataFrame, name: str, projection: Projection, shown: str) -> list[Problem]:
    """What is wrong with the places of map ``name`` (see the module docstring); rows numbered as a
    spreadsheet numbers them (the header is row 1)."""
    on_map = _on_map(places, name)
    if not on_map.any():
        return [Problem(shown, None, "maps", f"no place is listed for the map {name!r}")]
    problems = []
    for index, row in places[on_map].iterrows():
        found = _row_problems(row, name, projection)
        problems += [Problem(shown, int(index) + 2, column, text) for column, text in found]
    if problems:
        return problems
    for label in _labels(places[on_map], projection)[0]:
        left, top, right, bottom = label.box
        if left < 0 or top < 0 or right > projection.width or bottom > projection.height:
            number = int(places.index[places["place_id"] == label.place_id][0]) + 2
            text = f"the label of {label.place_id!r} would run off the map {name!r}; put it on another side"
            problems.append(Problem(shown, number, "anchor", text))
    return problems


def _row_problems(row, name: str, projection: Projection) -> list[tuple[str, str]]:
    b = projection.bounds
    out = []
    if not b.south <= row.lat <= b.north:
        out.append(("lat", f"{row.lat} is outside the map {name!r} ({b.south} to {b.north} N)"))
    if not b.west <= row.lon <= b.east:
        out.append(("lon", f"{row.lon} is outside the map {name!r} ({b.west} to {b.east} E)"))
    if row.kind in LOCATED and pd.isna(row.source_ids) and pd.isna(row.note):
        out.append(("source_ids", "a located point needs a source for its coordinates, or a note saying why not"))
    return out


def _labels(places: pd.DataFrame, projection: Projection) -> tuple[list[Label], dict[str, tuple[float, float]]]:
    labels, dots = [], {}
    for row in places.itertuples(index=False):
        x, y = projection(row.lon, row.lat)
        if row.kind in LOCATED:
            dots[row.place_id] = (round(x, 1), round(y, 1))
        labels.append(_label(row, x, y))
    return labels, dots


def _text(label: Label) -> str:
    spans = "".join(
        f'<tspan x="{label.x}" dy="{0 if i == 0 else round(label.size * 1.15, 1)}">{html.escape(line)}</tspan>'
        for i, line in enumerate(label.lines)
    )
    return (
        f'<text class="rd-map-label rd-map-{CSS_KIND.get(label.kind, label.kind)}" x="{label.x}" y="{label.y}" '
        f'font-size="{label.size}" text-anchor="{label.align}" fill="currentColor">{spans}</text>'
    )


def _scale_bar(projection: Projection) -> str:
    target = projection.width * 0.22 / projection.units_per_km()
    km = next((n for n in (1000, 500, 300, 200, 100, 50, 20, 10, 5) if n <= target), None)
    if km is None:  # a map under about 25 km across: no bar
        return ""
    length = round(km * projection.units_per_km(), 1)
    x, y = 14, projection.height - 14
    return (
        f'<g class="rd-map-scale"><path d="M{x} {y - 5}V{y}H{x + length}V{y - 5}" fill="none" '
        f'stroke="currentColor" stroke-width="1.5"/><text x="{x}" y="{y - 9}" font-size="13" '
        f'fill="currentColor" class="rd-map-label">{km} km</text></g>'
    )


def region_map(
    name: str,
    bounds: Bounds,
    package: str | os.PathLike | None = None,
    boundaries: str | os.PathLike | None = None,
    *,
    title: str,
    description: str,
    focus: tuple[str, ...] = (),
    line: tuple[str, ...] = (),
) -> RegionMap:
    """Draw map ``name``: the boundaries clipped to ``bounds`` and the places listed for it.

    ``focus``: ISO 3166 numeric ids of the countries shaded as the map's subject; ``line``: two
    such ids, whose shared border is drawn dashed (the page says which border and why).

    ``title`` and ``description`` become the SVG's accessible name and description (with the list
    of places appended). Raises :class:`DataError` for bad places or a missing boundaries file."""
    projection = Projection(bounds)
    places = load("places", package)
    shown = display_path(package_path(package).parent / resource(descriptor(package), "places")["path"])
    problems = place_problems(places, name, projection, shown)
    if problems:
        raise DataError(problems)
    topology = load_boundaries(boundaries)
    on_map = places[_on_map(places, name)]
    labels, dots = _labels(on_map, projection)
    named = ", ".join(on_map.loc[on_map["kind"].isin(LOCATED), "name"])
    desc = f"{description} Places marked: {named}."
    body = [*_land(topology, projection, focus), _line(topology, projection, line)]
    marks = [f'<circle class="rd-map-dot" cx="{x}" cy="{y}" r="4" fill="currentColor"/>' for x, y in dots.values()]
    marks += [_text(label) for label in labels]
    svg = _svg(f"rd-map-{name}", projection, title, desc, body, marks)
    files = data_files(package, "places", "sources") + [boundaries_path(boundaries)]
    return RegionMap(name, projection, svg, on_map, labels, dots, files)


def _svg(ident: str, projection: Projection, title: str, desc: str, body: list[str], marks: list[str]) -> str:
    """The SVG document: sea, clipped land and line, dots and labels, scale bar, frame."""
    size = f'width="{projection.width:g}" height="{projection.height:g}"'
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="rd-map-svg" '
            f'viewBox="0 0 {projection.width:g} {projection.height:g}" '
            f'role="img" aria-labelledby="{ident}-title {ident}-desc">',
            f'<title id="{ident}-title">{html.escape(title)}</title>',
            f'<desc id="{ident}-desc">{html.escape(desc)}</desc>',
            f'<defs><clipPath id="{ident}-clip"><rect {size}/></clipPath></defs>',
            f'<rect class="rd-map-water" {size} fill="none"/>',
            f'<g clip-path="url(#{ident}-clip)">',
            *body,
            "</g>",
            *marks,
            _scale_bar(projection),
            f'<rect class="rd-map-frame" {size} fill="none" stroke="currentColor"/>',
            "</svg>",
        ]
    )


def places_list(drawn: RegionMap) -> str:
    """The places on a map as a MyST list (for screen readers and print): name, what it is,
    where, why the module names it, and the source of its coordinates."""
    lines = []
    for row in drawn.places.itertuples(index=False):
        if row.kind == "country":
            continue
        text = f"**{escape(row.name)}**"
        if row.kind in LOCATED:
            where = f"{abs(row.lat):.2f}° {'N' if row.lat >= 0 else 'S'}, "
            where += f"{abs(row.lon):.2f}° {'E' if row.lon >= 0 else 'W'}"
            country = "" if pd.isna(row.country) else f", {row.country}"
            text += f" ({row.kind}{country}; {where})"
        if not pd.isna(row.about):
            text += f": {escape(row.about)}"
        if not pd.isna(row.source_ids):
            text += f" Coordinates: {sources_links(row.source_ids)}."
        lines.append(f"- {text}")
    return "\n".join(lines)
