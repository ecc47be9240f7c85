"""Plane geometry for the maps: a map's bounds, its projection, and clipping rings to a rectangle.

Pure functions of points in degrees (longitude, latitude) and map units; no text, no data files.
The rendering layer (:mod:`reading_deterrence.rendering.regionmap`) draws with them.

- :class:`Projection`: equirectangular, with the longitude scaled by the cosine of the map's
  middle latitude, so shapes are nearly true in the middle of the map and a distance is true at
  that latitude; north is up; ``width`` units across.
- :func:`clip_ring`: Sutherland-Hodgman clipping of a closed ring to a rectangle, one edge at a
  time: points inside an edge are kept, and where the ring crosses the edge the crossing point is
  added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["WIDTH", "Bounds", "Projection", "clip_ring", "widened"]

#: Map units across a map (the SVG's viewBox width).
WIDTH = 560.0


@dataclass(frozen=True)
class Bounds:
    """West, east, south and north edges of a map, in degrees."""

    west: float
    east: float
    south: float
    north: float

    @classmethod
    def parse(cls, text: str) -> Bounds:
        """``"122 146 25.5 45.5"`` (west east south north) -> Bounds; ValueError if malformed."""
        parts = text.replace(",", " ").split()
        try:
            west, east, south, north = (float(p) for p in parts)
        except ValueError:
            raise ValueError(f"bounds must be four numbers, west east south north; got {text!r}") from None
        if not (west < east and south < north and -90 <= south and north <= 90):
            raise ValueError(f"bounds {text!r} are not west < east and south < north")
        return cls(west, east, south, north)

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


@dataclass(frozen=True)
class Projection:
    """Degrees to map units: x grows east, y grows south, ``width`` units across."""

    bounds: Bounds
    width: float = WIDTH

    @property
    def cos(self) -> float:
        return math.cos(math.radians((self.bounds.south + self.bounds.north) / 2))

    @property
    def scale(self) -> float:
        """Map units per degree of latitude."""
        return self.width / ((self.bounds.east - self.bounds.west) * self.cos)

    @property
    def height(self) -> float:
        return round((self.bounds.north - self.bounds.south) * self.scale, 1)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.bounds.west) * self.cos * self.scale, (self.bounds.north - lat) * self.scale)

    def units_per_km(self) -> float:
        return self.scale / 111.32


def clip_ring(ring: list[tuple[float, float]], bounds: Bounds) -> list[tuple[float, float]]:
    """A closed ring clipped to a rectangle (Sutherland-Hodgman); empty if nothing is inside."""
    edges = (
        (lambda p: p[0] >= bounds.west, lambda a, b: _cross_x(a, b, bounds.west)),
        (lambda p: p[0] <= bounds.east, lambda a, b: _cross_x(a, b, bounds.east)),
        (lambda p: p[1] >= bounds.south, lambda a, b: _cross_y(a, b, bounds.south)),
        (lambda p: p[1] <= bounds.north, lambda a, b: _cross_y(a, b, bounds.north)),
    )
    points = list(ring)
    for inside, cross in edges:
        if not points:
            break
        out = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
        points = out
    return points


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def widened(bounds: Bounds, margin: float) -> Bounds:
    """The bounds grown by ``margin`` degrees on every side."""
    return Bounds(bounds.west - margin, bounds.east + margin, bounds.south - margin, bounds.north + margin)
