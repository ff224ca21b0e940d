"""Parts of a large study area: square tiles, each with a halo of one reach.

A 4-minute reach couples only nearby places, so a province can be cut into parts that
are computed apart. Every demand point belongs to the core of exactly one part (the tile
it lies in). A part sees the streets within its core plus a halo and the candidate sites
within its core plus one reach: a site farther than the reach (in a straight line) from
the core covers none of its demand, and a walk of at most the reach (plus the walk off
the streets) never leaves the halo, so a part's coverage is exactly the full network's
for its demand. Candidates in a halo are shared between parts; parts linked by a shared
site that covers demand in both are merged into one group when the budget is shared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from . import _validate
from .districts import Districts
from .errors import InputError
from .network import WalkNetwork
from .optimise.parts import by_first_seen
from .snapping import DEFAULT_MAX_SNAP_M

__all__ = ["Parts", "Tiling", "check_tile", "clip_network", "halo_m", "tiles", "union_groups"]


@dataclass(frozen=True)
class Tiling:
    """Square tiles of ``size`` metres from ``(x0, y0)``, ``cols`` by ``rows``, in the
    network's CRS. Part ``k`` is the tile in column ``k % cols``, row ``k // cols``."""

    x0: float
    y0: float
    size: float
    cols: int
    rows: int

    @property
    def n_parts(self) -> int:
        return self.cols * self.rows

    def part_of(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The part whose core holds each point (tiles are closed below, open above;
        points outside every tile get -1)."""
        col = np.floor((np.asarray(x) - self.x0) / self.size).astype(np.int64)
        row = np.floor((np.asarray(y) - self.y0) / self.size).astype(np.int64)
        inside = (col >= 0) & (col < self.cols) & (row >= 0) & (row < self.rows)
        return np.where(inside, row * self.cols + col, -1)

    def box(self, k: int) -> tuple[float, float, float, float]:
        """``(minx, miny, maxx, maxy)`` of part ``k``'s core."""
        row, col = divmod(int(k), self.cols)
        x, y = self.x0 + col * self.size, self.y0 + row * self.size
        return x, y, x + self.size, y + self.size

    def shape(self, k: int) -> shapely.Geometry:
        """Part ``k``'s core as a polygon."""
        return shapely.box(*self.box(k))

    def name(self, k: int) -> str:
        return f"tile {k}"


#: How a study area is cut: square tiles or given districts.
Parts = Tiling | Districts


def tiles(extent: tuple[float, float, float, float], size_m: float) -> Tiling:
    """Tiles of ``size_m`` metres covering ``extent`` (``minx, miny, maxx, maxy``),
    the last row and column reaching just past its edge.

    Examples
    --------
    >>> t = tiles((0.0, 0.0, 25_000.0, 9_000.0), 10_000)
    >>> t.cols, t.rows, t.part_of([5_000.0, 25_000.0], [1_000.0, 8_999.0]).tolist()
    (3, 1, [0, 2])
    """
    size_m = _validate.positive(size_m, "tile_m")
    minx, miny, maxx, maxy = (float(v) for v in extent)
    cols = max(1, int(np.floor((maxx - minx) / size_m)) + 1)
    rows = max(1, int(np.floor((maxy - miny) / size_m)) + 1)
    return Tiling(minx, miny, float(size_m), cols, rows)


def halo_m(reach_m: float) -> float:
    """How far past its core a part must see the streets: one reach for the walk along
    them, plus the longest walk off them that is ever counted (a point snaps to the
    nearest street within :data:`~aedplan.snapping.DEFAULT_MAX_SNAP_M`)."""
    return float(reach_m) + DEFAULT_MAX_SNAP_M + 1.0


#: A tiling is refused when each part would read more than this many times its own area
#: (its core and the halo around it).
MAX_READ_FACTOR = 10.0


def check_tile(tile_m: float, halo: float, argument: str) -> None:
    """Parts far smaller than their ``halo`` (metres) would read mostly their neighbours'
    streets: refused, naming ``argument`` and the sizes that work."""
    factor = ((tile_m + 2 * halo) / tile_m) ** 2
    if factor > MAX_READ_FACTOR:
        least = 2 * halo / (MAX_READ_FACTOR ** 0.5 - 1)
        raise InputError(
            "`{argument}`: parts of {tile_m:g} m (--tile-km {tile_km:g}) would each "
            "read {factor:,.0f} times their own area: every part sees {halo:.0f} m past its "
            "edges (the search and the walk to the street). Give at least {least_km:.2f} km "
            "({least:,.0f} m); {twice_km:.1f} km or more reads at most twice the "
            "area, and 5 to 20 km suits a province.", argument=argument, tile_m=tile_m,
            tile_km=tile_m / 1000, factor=factor, halo=halo, least=least,
            least_km=least / 1000, twice_km=2 * halo / (2 ** 0.5 - 1) / 1000)


def clip_network(
    net: WalkNetwork, box: tuple[float, float, float, float], margin_m: float
) -> tuple[WalkNetwork, np.ndarray] | None:
    """The streets that come within ``margin_m`` of ``box``, whole edges, and the index
    in ``net`` of each edge kept; ``None`` when there are none. The parts' networks
    keep every piece (no largest component: a piece cut off by the clip is still
    streets of the full network), and their node ids are the node indices in ``net``."""
    minx, miny, maxx, maxy = box
    area = shapely.box(minx - margin_m, miny - margin_m, maxx + margin_m, maxy + margin_m)
    edges = np.sort(net.edge_tree.query(area, predicate="intersects"))
    if edges.size == 0:
        return None
    sub = net.with_edges(edges)
    if sub.n_edges != edges.size:  # cannot happen: the edges were kept in net already
        raise InputError("`net`: a part's streets differ from the network's; this is a bug.")
    return sub, edges


def union_groups(n_parts: int, links: list[tuple[int, int]]) -> np.ndarray:
    """The group of each part when linked parts are merged (connected components of
    the links), numbered by their first part.

    Examples
    --------
    >>> union_groups(4, [(2, 3)]).tolist()
    [0, 1, 2, 2]
    """
    from scipy import sparse
    from scipy.sparse import csgraph

    if not links:
        return np.arange(n_parts)
    a, b = np.asarray(links, dtype=np.int64).T
    graph = sparse.coo_array((np.ones(a.size), (a, b)), shape=(n_parts, n_parts))
    _, label = csgraph.connected_components(graph, directed=False)
    return by_first_seen(label)
