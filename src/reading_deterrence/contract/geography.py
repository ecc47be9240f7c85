"""Find, check and load the country boundaries the maps are drawn from.

The boundaries are Natural Earth's Admin 0 countries (public domain), as redistributed by the npm
package ``world-atlas`` 2.0.2 (``package.json`` pins it; ``npm ci`` installs it into
``node_modules/``). Nothing is downloaded at build time: a missing or broken file is a
:class:`~reading_deterrence.contract.errors.DataError` that says what to run, never a traceback.

**Where the file is.** :func:`boundaries_path` looks, in this order, at

1. the path passed explicitly (the Sphinx extension passes its ``reading_deterrence_boundaries``);
2. the environment variable ``READING_DETERRENCE_BOUNDARIES``;
3. ``node_modules/world-atlas/countries-50m.json`` in the nearest folder, from the working
   directory upwards, that has it, then in the source checkout this package was imported from.

**TopoJSON, decoded here** (:func:`decode`; the format is
https://github.com/topojson/topojson-specification). A topology stores each boundary line once,
as an *arc*, and every country as a list of rings, each ring a list of arc indexes; two countries
that share a border share its arc. With a ``transform``, an arc's positions are *quantized* and
*delta-encoded*: the first position is in whole grid steps, each later one the step from the one
before; ``lon = x * scale[0] + translate[0]`` (and the same for ``lat``). An index ``i >= 0`` takes
arc ``i`` as it is; ``~i`` (that is ``-i - 1``) takes arc ``i`` reversed. Consecutive arcs of a
ring share their end and start point, so the first point of every arc after the first is dropped.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, Problem, display_path

__all__ = [
    "BOUNDARIES",
    "ENVIRONMENT_VARIABLE",
    "Country",
    "Topology",
    "boundaries_path",
    "decode",
    "load_boundaries",
]

ENVIRONMENT_VARIABLE = "READING_DETERRENCE_BOUNDARIES"
#: The file, relative to the book's root (Natural Earth 1:50m: about 2,000 points in the region).
BOUNDARIES = Path("node_modules") / "world-atlas" / "countries-50m.json"
INSTALL = "install it with `npm ci` (make node_modules/.installed), which reads package-lock.json"

Point = tuple[float, float]
Ring = list[Point]


@dataclass
class Country:
    """One country of the topology: its ISO 3166 numeric id, name, and polygons (lists of rings
    of (lon, lat) points, the outer ring first), and the indexes of the arcs it uses."""

    id: str
    name: str
    polygons: list[list[Ring]]
    arcs: set[int] = field(default_factory=set)


@dataclass
class Topology:
    """The decoded countries and every arc as a list of (lon, lat) points."""

    countries: dict[str, Country]
    arcs: list[Ring]

    def shared_arcs(self, first: str, second: str) -> list[Ring]:
        """The arcs two countries share: the boundary between them, once."""
        both = sorted(self.countries[first].arcs & self.countries[second].arcs)
        return [self.arcs[i] for i in both]


def boundaries_path(path: str | os.PathLike | None = None) -> Path:
    """The boundaries file to read (see the module docstring for the order of the search)."""
    if path is None and os.environ.get(ENVIRONMENT_VARIABLE):
        path = os.environ[ENVIRONMENT_VARIABLE]
    if path is not None:
        found = Path(path)
        if not found.is_file():
            raise DataError([Problem(display_path(found), None, None, f"no boundaries file here: {INSTALL}")])
        return found
    checkout = Path(__file__).resolve().parents[3]
    for parent in [Path.cwd(), *Path.cwd().parents, checkout]:
        if (parent / BOUNDARIES).is_file():
            return parent / BOUNDARIES
    raise DataError(
        [Problem(str(BOUNDARIES), None, None, f"the Natural Earth boundaries (npm world-atlas) are missing: {INSTALL}")]
    )


#: (path, size, modification time) -> the decoded topology: a build draws several maps from one file.
_decoded: dict[tuple[str, int, int], Topology] = {}


def load_boundaries(path: str | os.PathLike | None = None) -> Topology:
    """Read, check and decode the boundaries file (:func:`boundaries_path` finds it); the result
    is kept while the file's size and modification time stay the same. Do not change it."""
    found = boundaries_path(path)
    stat = found.stat()
    key = (str(found.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _decoded:
        _decoded.clear()
        _decoded[key] = _read(found)
    return _decoded[key]


def _read(found: Path) -> Topology:
    shown = display_path(found)
    try:
        topology = json.loads(found.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as err:
        raise DataError([Problem(shown, None, None, f"not UTF-8 (offset {err.start}): {INSTALL}")]) from None
    except json.JSONDecodeError as err:
        raise DataError(
            [Problem(shown, err.lineno, None, f"not valid JSON ({err.msg}, character {err.colno}): {INSTALL}")]
        ) from None
    return decode(topology, shown)


def _need(value, kind, shown: str, where: str):
    if not isinstance(value, kind):
        raise DataError([Problem(shown, None, None, f"not a world-atlas topology: {where} is missing or malformed")])
    return value


def decode(topology: dict, shown: str = "topology") -> Topology:
    """Decode a TopoJSON topology's ``countries`` object (see the module docstring)."""
    _need(topology, dict, shown, "the file")
    if topology.get("type") != "Topology":
        _need(None, dict, shown, "'type': 'Topology'")
    transform = _need(topology.get("transform"), dict, shown, "'transform'")
    try:
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        arcs = [_decode_arc(arc, sx, sy, tx, ty) for arc in _need(topology.get("arcs"), list, shown, "'arcs'")]
    except (KeyError, TypeError, ValueError):
        malformed = "not a world-atlas topology: 'transform' or 'arcs' malformed"
        raise DataError([Problem(shown, None, None, malformed)]) from None
    objects = _need(topology.get("objects"), dict, shown, "'objects'")
    collection = _need(objects.get("countries"), dict, shown, "'objects.countries'")
    countries = {}
    for geometry in _need(collection.get("geometries"), list, shown, "'objects.countries.geometries'"):
        country = _country(geometry, arcs, shown)
        if country is not None:
            countries[country.id] = country
    return Topology(countries, arcs)


def _decode_arc(arc: list, sx: float, sy: float, tx: float, ty: float) -> Ring:
    x = y = 0
    out = []
    for dx, dy, *_ in arc:
        x += dx
        y += dy
        out.append((x * sx + tx, y * sy + ty))
    return out


def _country(geometry: dict, arcs: list[Ring], shown: str) -> Country | None:
    kind = _need(geometry, dict, shown, "a geometry of 'objects.countries'").get("type")
    if kind is None:  # a feature without geometry (Natural Earth has a few): nothing to draw
        return None
    polygons = [geometry.get("arcs")] if kind == "Polygon" else geometry.get("arcs")
    if kind not in ("Polygon", "MultiPolygon") or not isinstance(polygons, list):
        _need(None, dict, shown, f"country {geometry.get('id')!r}: a Polygon or MultiPolygon")
    used: set[int] = set()
    decoded = []
    try:
        for polygon in polygons:
            rings = []
            for ring in polygon:
                points: Ring = []
                for index in ring:
                    arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                    used.add(index if index >= 0 else ~index)
                    points.extend(arc if not points else arc[1:])
                rings.append(points)
            decoded.append(rings)
    except (IndexError, TypeError):
        _need(None, dict, shown, f"country {geometry.get('id')!r}: an arc index")
    name = (geometry.get("properties") or {}).get("name", "")
    return Country(str(geometry.get("id", name)), name, decoded, used)
