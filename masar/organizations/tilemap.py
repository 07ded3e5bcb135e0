"""Tile-grid maps of regions: each region a tile on a grid that roughly follows geography, drawn as SVG.

No boundary file is needed: the grid positions below are data, keyed by ISO 3166-2 code. Positions are
geographic (west on the left, north on top) in every language; only the labels follow the language.
A region without a position is listed under the map instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# (column from the west, row from the north) of each region on its country's tile grid.
TILE_GRID: dict[str, tuple[int, int]] = {
    # Tunisia: the 24 governorates.
    "TN-23": (2, 0),  # Bizerte
    "TN-12": (3, 0),  # Ariana
    "TN-32": (0, 1),  # Jendouba
    "TN-31": (1, 1),  # Béja
    "TN-14": (2, 1),  # Manouba
    "TN-11": (3, 1),  # Tunis
    "TN-33": (0, 2),  # Le Kef
    "TN-34": (1, 2),  # Siliana
    "TN-22": (2, 2),  # Zaghouan
    "TN-13": (3, 2),  # Ben Arous
    "TN-21": (4, 2),  # Nabeul
    "TN-42": (0, 3),  # Kasserine
    "TN-41": (1, 3),  # Kairouan
    "TN-51": (2, 3),  # Sousse
    "TN-52": (3, 3),  # Monastir
    "TN-71": (0, 4),  # Gafsa
    "TN-43": (1, 4),  # Sidi Bouzid
    "TN-61": (2, 4),  # Sfax
    "TN-53": (3, 4),  # Mahdia
    "TN-72": (0, 5),  # Tozeur
    "TN-73": (1, 5),  # Kébili
    "TN-81": (2, 5),  # Gabès
    "TN-82": (3, 6),  # Médenine
    "TN-83": (2, 6),  # Tataouine
    # Morocco: the 12 regions.
    "MA-01": (2, 0),  # Tanger-Tétouan-Al Hoceïma
    "MA-04": (1, 1),  # Rabat-Salé-Kénitra
    "MA-03": (2, 1),  # Fès-Meknès
    "MA-02": (3, 1),  # L'Oriental
    "MA-06": (1, 2),  # Casablanca-Settat
    "MA-05": (2, 2),  # Béni Mellal-Khénifra
    "MA-08": (3, 2),  # Drâa-Tafilalet
    "MA-07": (1, 3),  # Marrakech-Safi
    "MA-09": (1, 4),  # Souss-Massa
    "MA-10": (0, 5),  # Guelmim-Oued Noun
    "MA-11": (0, 6),  # Laâyoune-Sakia El Hamra
    "MA-12": (0, 7),  # Dakhla-Oued Ed-Dahab
}

TILE_WIDTH = 104
TILE_HEIGHT = 64
GAP = 4
LINE_CHARS = 16  # a label line longer than this is broken at a separator
# (fill, text colour) per shade, from no value to the highest; dark text on light tiles, white on dark ones.
SHADES = (
    ("#eef1f4", "#1c2430"),
    ("#d3e8e6", "#1c2430"),
    ("#a3d0cb", "#1c2430"),
    ("#2b7a7e", "#ffffff"),
    ("#0d5c63", "#ffffff"),
)


@dataclass(frozen=True)
class Tile:
    """One region's tile: where it is drawn, its value, its shade and the lines of its name."""

    pk: Any
    code: str
    name: str
    value: Any  # a count or a measured value; None when the region has no value
    url: str | None
    shade: int
    fill: str
    ink: str
    lines: tuple[str, ...]
    x: int = 0
    y: int = 0


@dataclass(frozen=True)
class TileMap:
    """The drawing of a tile map: its size, its placed tiles and the regions listed instead of placed."""

    width: int
    height: int
    tiles: tuple[Tile, ...]
    unplaced: tuple[Tile, ...]


def label_lines(name: str, limit: int = LINE_CHARS) -> tuple[str, ...]:
    """Return a region's name broken at its separators (" - ", "-", spaces) into lines of at most limit characters."""
    if len(name) <= limit:
        return (name,)
    words = re.findall(r"[^\s-]+(?:\s*-\s*|\s+|$)", name)
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len((current + word).strip()) > limit:
            lines.append(current.strip())
            current = ""
        current += word
    if current.strip():
        lines.append(current.strip())
    return tuple(lines) or (name,)


def shade_of(value: Any, low: float, high: float, *, counts: bool = True) -> int:
    """Return the shade of a value: 0 for no value (or a count of zero), else 1 to 4 from low to high."""
    top = len(SHADES) - 1
    if value is None or (counts and not value):
        return 0
    if counts:
        return max(1, min(top, math.ceil(top * float(value) / high))) if high > 0 else 1
    if high <= low:
        return 2
    return 1 + round((top - 1) * (float(value) - low) / (high - low))


def tile_map(places: Iterable[tuple[Any, Any, str | None]], *, counts: bool = True) -> TileMap | None:
    """Return the tile map of (region, value, url) triples, or None when no region has a position on the grid.

    Counts are shaded from zero to the highest count; measured values from the lowest to the highest.
    """
    places = list(places)
    values = [float(v) for _region, v, _url in places if v is not None]
    low = 0.0 if counts else min(values, default=0.0)
    high = max(values, default=0.0)
    placed, unplaced = [], []
    for region, value, url in places:
        shade = shade_of(value, low, high, counts=counts)
        fill, ink = SHADES[shade]
        tile = Tile(region.pk, region.code, region.name, value, url, shade, fill, ink, label_lines(region.name))
        position = TILE_GRID.get(region.code)
        if position is None:
            unplaced.append(tile)
        else:
            placed.append((position, tile))
    if not placed:
        return None
    left = min(col for (col, _row), _tile in placed)
    top = min(row for (_col, row), _tile in placed)
    tiles = tuple(
        Tile(**{**tile.__dict__, "x": (col - left) * (TILE_WIDTH + GAP), "y": (row - top) * (TILE_HEIGHT + GAP)})
        for (col, row), tile in sorted(placed, key=lambda item: (item[0][1], item[0][0]))
    )
    width = max(t.x for t in tiles) + TILE_WIDTH
    height = max(t.y for t in tiles) + TILE_HEIGHT
    return TileMap(width=width, height=height, tiles=tiles, unplaced=tuple(unplaced))
