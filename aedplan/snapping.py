"""Snapping: where a point meets the streets. One exact snapper for every stage.

A point joins the street network at the nearest point of the nearest edge, and the
straight walk to it counts at walking speed. Where several edges lie within ``tie_m``
(1 mm) of the nearest one (two ways drawn on top of each other, a point exactly beside
a junction or midway between two streets), the point is linked to each of them, and
every time computed from it takes the best of those links. Coverage, rescue circles
and the optimiser all snap through :func:`snap`, so a place is covered in the numbers
exactly when it is inside the circle on the map.

The search is exact and vectorised: a k-d tree over points sampled along every edge
gives each point an upper bound on its distance to the streets, a spatial-index query
(``STRtree`` ``dwithin``) returns every edge within that bound, and the exact distances
to those edges decide. Large inputs are split across the machine's cores.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import shapely

from . import _geo, _lattice, _results, _validate
from ._caller import warn
from .errors import InputError
from .network import WalkNetwork, check_network

__all__ = [
    "DEFAULT_MAX_SNAP_M",
    "DEFAULT_TIE_M",
    "LATTICE_BLOCK",
    "Snapped",
    "concat_snapped",
    "datum_hint",
    "near_streets",
    "snap",
    "snap_lattice",
    "snap_to_segments",
    "snapped",
]

#: Points farther than this from every street are left out (metres).
DEFAULT_MAX_SNAP_M = 200.0
#: Edges this close to a point's nearest distance count as tied (metres).
DEFAULT_TIE_M = 0.001
# Sample spacing of the k-d tree (metres); wider on very large networks to bound memory.
_SAMPLE_M = 10.0
_MAX_SAMPLES = 500_000
# Fewer points than this (and than edges) are bounded without building the k-d tree.
_FEW = 5_000
# Points per thread at least, when snapping many points on several cores.
_CHUNK = 25_000
# Points snapped at a time, at most: a province's millions of demand points are snapped a
# block at a time, so that their GEOS points and candidate links never exist all at once.
_BLOCK = 200_000
# The datum hint: enough points in China, and a sample of them.
_HINT_MIN, _HINT_SAMPLE = 8, 1_000


@dataclass(frozen=True, eq=False)
class Snapped:
    """Points placed on the streets.

    Per point (``len(self)`` of each): ``x``, ``y`` of the point itself in the network's
    CRS, ``offset_m`` the straight walk to its nearest street (``np.inf`` when too far),
    ``edge`` and ``position_m`` (metres from the edge's ``u`` end) of the nearest edge
    (``-1`` and 0 when too far), ``access_s`` (seconds added when the point is a source,
    e.g. an AED's cabinet) and ``ids``.

    Per link, sorted by point and nearest first: ``link_point``, ``link_edge``,
    ``link_position_m``, ``link_offset_m``: every edge within the snapper's tie
    tolerance of the nearest one. Times take the best link of each point.
    """

    x: np.ndarray
    y: np.ndarray
    offset_m: np.ndarray
    edge: np.ndarray
    position_m: np.ndarray
    access_s: np.ndarray
    ids: np.ndarray
    link_point: np.ndarray
    link_edge: np.ndarray
    link_position_m: np.ndarray
    link_offset_m: np.ndarray

    def __post_init__(self) -> None:
        _results.freeze_arrays(self)

    @property
    def ok(self) -> np.ndarray:
        """True for points that reached a street (within ``max_snap_m``)."""
        return self.edge >= 0

    def __len__(self) -> int:
        return int(self.edge.shape[0])

    def take(self, index: Any) -> Snapped:
        """The points at ``index`` (positions), in that order, with their links."""
        idx = np.asarray(index, dtype=np.int64).reshape(-1)
        idx = np.where(idx < 0, idx + len(self), idx)  # as numpy indexes
        start = np.searchsorted(self.link_point, idx, side="left")  # the links asked only
        c = np.searchsorted(self.link_point, idx, side="right") - start
        slots = np.repeat(start - (np.cumsum(c) - c), c) + np.arange(int(c.sum()))
        per_point = {f: getattr(self, f)[idx] for f in _POINT_FIELDS}
        return Snapped(
            **per_point,
            link_point=np.repeat(np.arange(idx.shape[0]), c),
            link_edge=self.link_edge[slots],
            link_position_m=self.link_position_m[slots],
            link_offset_m=self.link_offset_m[slots],
        )

    def on_edges(self, kept: np.ndarray) -> tuple[Snapped, np.ndarray]:
        """The points linked to any of the edges ``kept`` (sorted edge indices), with
        those links only, their edges renumbered to positions in ``kept`` (as on a part
        of the network, :func:`aedplan.partition.clip_network`); and the points'
        positions here."""
        kept = np.asarray(kept, dtype=np.int64)
        at = np.minimum(np.searchsorted(kept, self.link_edge), max(kept.size - 1, 0))
        inside = kept[at] == self.link_edge if kept.size else np.zeros(0, dtype=bool)
        points, link_point = np.unique(self.link_point[inside], return_inverse=True)
        edge_at = np.minimum(np.searchsorted(kept, self.edge[points]), max(kept.size - 1, 0))
        nearest_in = (kept[edge_at] == self.edge[points]) if kept.size else edge_at > 0
        per_point = {f: getattr(self, f)[points] for f in _POINT_FIELDS}
        per_point["edge"] = np.where(nearest_in, edge_at, -1)
        return Snapped(
            **per_point,
            link_point=link_point.reshape(-1),
            link_edge=at[inside],
            link_position_m=self.link_position_m[inside],
            link_offset_m=self.link_offset_m[inside],
        ), points

    def __repr__(self) -> str:
        return (
            f"Snapped({len(self):,} points, {int(self.ok.sum()):,} on the streets, "
            f"{self.link_point.shape[0]:,} links)"
        )


_POINT_FIELDS = ("x", "y", "offset_m", "edge", "position_m", "access_s", "ids")


def concat_snapped(*parts: Snapped) -> Snapped:
    """Several :class:`Snapped` sets as one, in order (e.g. existing + proposed AEDs)."""
    sizes = np.array([len(p) for p in parts], dtype=np.int64)
    shift = np.cumsum(sizes) - sizes
    values = {
        f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Snapped)
    }
    values["link_point"] = np.concatenate(
        [p.link_point + s for p, s in zip(parts, shift, strict=True)]
    )
    return Snapped(**values)


def _xy(net: WalkNetwork, points: Any, argument: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates of ``points`` in the network CRS, and their ids."""
    if hasattr(points, "geometry") and hasattr(points, "crs"):
        _validate.has_crs(points, argument)
        x, y, blank = _geo.point_xy(points, net.crs)
        ids = points["id"].to_numpy() if "id" in points.columns else points.index.to_numpy()
        _refuse_blank(blank, ids, argument)
        _refuse_blank(~(np.isfinite(x) & np.isfinite(y)), ids, argument)
        return x, y, ids
    try:
        arr = np.asarray(points, dtype=float)
    except (TypeError, ValueError):
        arr = np.zeros((0,))
    if arr.ndim != 2 or arr.shape[1] != 2:
        if arr.size:
            raise InputError(
                "`{argument}`: expected a GeoDataFrame of points or an (n, 2) array of x/y in "
                "the network CRS, got {kind} of shape {shape}.", argument=argument,
                kind=type(points).__name__, shape=arr.shape)
        raise InputError(
            "`{argument}`: expected a GeoDataFrame of points or an (n, 2) array of x/y in the "
            "network CRS, got {kind}.", argument=argument, kind=type(points).__name__)
    ids = np.arange(arr.shape[0])
    _refuse_blank(~np.isfinite(arr).all(axis=1), ids, argument)
    return arr[:, 0], arr[:, 1], ids


def _refuse_blank(blank: np.ndarray, ids: np.ndarray, argument: str) -> None:
    if blank.any():
        n = int(blank.sum())
        raise InputError(
            "`{argument}`: {n:,} rows have no place (a missing or empty geometry, or "
            "coordinates that are not numbers; ids {ids}); drop them or give them coordinates."
            if n > 1 else
            "`{argument}`: {n:,} row has no place (a missing or empty geometry, or "
            "coordinates that are not numbers; ids {ids}); drop them or give them coordinates.",
            argument=argument, n=n, ids=_some(ids[blank]))


def _access(points: Any, access_s: Any, ids: np.ndarray, argument: str) -> np.ndarray:
    n = ids.shape[0]
    if access_s is None and hasattr(points, "columns") and "access_s" in points.columns:
        access_s = points["access_s"].to_numpy(dtype=float)
    if access_s is None:
        return np.zeros(n)
    acc = np.broadcast_to(np.asarray(access_s, dtype=float), (n,)).copy()
    bad = ~np.isfinite(acc) | (acc < 0)
    if bad.any():
        raise InputError(
            "`{argument}`: access_s must be a non-negative number of seconds; bad values at "
            "ids {ids}.", argument=argument, ids=", ".join(map(str, ids[bad][:5])))
    return acc


@dataclass(frozen=True, eq=False)
class _Samples:
    """Points every ``spacing`` metres along every edge (each edge's own vertices
    included) and a k-d tree over them."""

    tree: Any
    spacing: float


def _samples(net: WalkNetwork) -> _Samples:
    """The sample index of ``net``, built once. Every point of an edge lies within
    ``spacing / 2`` of a sample of that edge, so the distance from a point to its nearest
    sample bounds its distance to the streets from above, and from below when
    ``spacing / 2`` is taken off."""

    def build(n: WalkNetwork) -> _Samples:
        from scipy.spatial import cKDTree

        spacing = max(_SAMPLE_M, n.total_length_m / _MAX_SAMPLES)
        xy = shapely.get_coordinates(shapely.segmentize(n.edge_geometry, spacing))
        return _Samples(cKDTree(xy), spacing)

    return net.derived("snap_samples", build)


def _bounds(net: WalkNetwork, x: np.ndarray, y: np.ndarray, max_snap_m: float) -> np.ndarray:
    """An upper bound on each point's distance to the nearest street, ``inf`` for points
    farther than ``max_snap_m``. Many points: the distance to the nearest sample (one
    k-d tree, built once per network); a few, on a network without the tree yet: the
    exact distance from the edges' spatial index, which costs more per point but needs
    no tree."""
    n = x.shape[0]
    if "snap_samples" in net.derived_names() or n >= max(_FEW, net.n_edges):
        smp = _samples(net)
        bound, _ = smp.tree.query(np.column_stack([x, y]),
                                  distance_upper_bound=max_snap_m + smp.spacing)
        return bound
    bound = np.full(n, np.inf)
    idx, dist = net.edge_tree.query_nearest(
        shapely.points(x, y), max_distance=max_snap_m, return_distance=True, all_matches=False
    )
    bound[idx[0]] = dist
    return bound


@dataclass(frozen=True, eq=False)
class _Lines:
    """The lines a search runs over: the network's edges, or their straight segments.

    Per line: its ``geometry`` (and a spatial index over them), ``length``, the
    ``edge`` it belongs to and the metres along that edge where it starts (``start``); ``u``
    and ``v`` number its ends (network nodes where it ends at one, else a vertex of
    its edge), so that a point at a shared end is linked once."""

    geometry: np.ndarray
    tree: Any
    length: np.ndarray
    edge: np.ndarray
    start: np.ndarray
    u: np.ndarray
    v: np.ndarray
    n_ends: int


def _edge_lines(net: WalkNetwork) -> _Lines:
    return _Lines(net.edge_geometry, net.edge_tree, net.edge_length_m,
                  np.arange(net.n_edges), np.zeros(net.n_edges), net.edge_u, net.edge_v,
                  net.n_nodes)


def _segment_lines(net: WalkNetwork) -> _Lines:
    """The straight segments of every edge, built once per network."""

    def build(n: WalkNetwork) -> _Lines:
        xy, edge = shapely.get_coordinates(n.edge_geometry, return_index=True)
        step = np.hypot(*np.diff(xy, axis=0).T)
        first = np.flatnonzero(edge[1:] == edge[:-1])  # a segment starts at each of these
        along = np.r_[0.0, np.cumsum(np.where(edge[1:] == edge[:-1], step, 0.0))]
        vertex0 = np.searchsorted(edge, np.arange(n.n_edges))
        first = first[step[first] > 0]
        seg_edge = edge[first]
        is_first = first == vertex0[seg_edge]
        is_last = first + 1 == np.r_[vertex0[1:], xy.shape[0]][seg_edge] - 1
        geometry = shapely.linestrings(np.stack([xy[first], xy[first + 1]], axis=1))
        return _Lines(
            geometry=geometry,
            tree=shapely.STRtree(geometry),
            length=step[first],
            edge=seg_edge,
            start=along[first] - along[vertex0[seg_edge]],
            u=np.where(is_first, n.edge_u[seg_edge], n.n_nodes + first),
            v=np.where(is_last, n.edge_v[seg_edge], n.n_nodes + first + 1),
            n_ends=n.n_nodes + xy.shape[0],
        )

    return net.derived("snap_segments", build)


def _links(
    net: WalkNetwork, lines: _Lines, x: np.ndarray, y: np.ndarray, max_snap_m: float,
    tie_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every (point, line) within ``tie_m`` of the point's nearest line, when that is within
    ``max_snap_m``: ``(point, line, offset_m, position_m)`` sorted by point, nearest first,
    ``position_m`` along the line.

    A bound on each point's distance to the streets comes first (:func:`_bounds`); the
    lines' spatial index returns every line within that bound (plus ``tie_m``), and exact
    distances to them (GEOS) decide.
    """
    n = x.shape[0]
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return empty, empty, np.zeros(0), np.zeros(0)
    bound = _bounds(net, x, y, max_snap_m)
    near = np.flatnonzero(np.isfinite(bound))
    pts = shapely.points(x[near], y[near])
    qi, line = lines.tree.query(pts, predicate="dwithin", distance=bound[near] + tie_m + 1e-9)
    if qi.size > 1 and np.any(qi[1:] < qi[:-1]):
        order = np.argsort(qi, kind="stable")
        qi, line = qi[order], line[order]
    dist = shapely.distance(pts[qi], lines.geometry[line])
    order = _nearest_links(qi, line, dist, max_snap_m, tie_m)
    qi, line, dist = qi[order], line[order], dist[order]
    position = shapely.line_locate_point(lines.geometry[line], pts[qi])
    position = np.clip(position, 0.0, lines.length[line])
    keep = _one_link_per_end(lines, qi, line, position)
    return near[qi[keep]], line[keep], dist[keep], position[keep]


def _nearest_links(
    qi: np.ndarray, line: np.ndarray, dist: np.ndarray, max_snap_m: float, tie_m: float
) -> np.ndarray:
    """Of candidate links ``(point, line, distance)`` sorted by point, the ones kept: every
    line within ``tie_m`` of the point's nearest one, when that is within ``max_snap_m``;
    their positions, by point, the nearest first (among equals, the lowest line)."""
    new_point = np.r_[True, qi[1:] != qi[:-1]] if qi.size else np.zeros(0, dtype=bool)
    group = np.cumsum(new_point) - 1
    nearest = np.minimum.reduceat(dist, np.flatnonzero(new_point))[group] if qi.size else dist
    keep = (dist <= nearest + tie_m) & (nearest <= max_snap_m)
    rank = (dist > nearest).astype(np.int8)
    order = np.lexsort((line, rank, qi))
    return order[keep[order]]


def _one_link_per_end(
    lines: _Lines, qi: np.ndarray, line: np.ndarray, position: np.ndarray
) -> np.ndarray:
    """The links to keep (positions, in order): a point at a junction ties with every
    street there, and they all start at the same node, so one link to that node is
    enough (the first)."""
    length = lines.length[line]
    end = np.where(position <= 1e-9, lines.u[line],
                   np.where(position >= length - 1e-9, lines.v[line], -1))
    key = np.where(end >= 0, qi.astype(np.int64) * lines.n_ends + end, -1 - np.arange(qi.size))
    _, first = np.unique(key, return_index=True)
    return np.sort(first)


def _links_in_parallel(
    net: WalkNetwork, lines: _Lines, x: np.ndarray, y: np.ndarray, max_snap_m: float,
    tie_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_links` on chunks of the points in threads, one per core (the k-d tree,
    GEOS and the spatial index release the GIL), for large inputs; chunks of at most
    :data:`_BLOCK` points."""
    n = x.shape[0]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(cores or 1, 8, max(1, n // _CHUNK))
    chunks = max(workers, -(-n // _BLOCK))
    if chunks == 1:
        return _links(net, lines, x, y, max_snap_m, tie_m)
    net.edge_tree  # noqa: B018  (build the shared indexes once, before the threads)
    _samples(net)
    cuts = np.linspace(0, n, chunks + 1).astype(np.int64)
    with ThreadPoolExecutor(workers) as pool:
        parts = list(
            pool.map(
                lambda k: _links(net, lines, x[cuts[k] : cuts[k + 1]], y[cuts[k] : cuts[k + 1]],
                                 max_snap_m, tie_m),
                range(chunks),
            )
        )
    point = np.concatenate([p[0] + cuts[k] for k, p in enumerate(parts)])
    edge, dist, position = (np.concatenate([p[i] for p in parts]) for i in (1, 2, 3))
    return point, edge, dist, position


def snap(
    net: WalkNetwork,
    points: Any,
    *,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    tie_m: float = DEFAULT_TIE_M,
    access_s: Any = None,
    argument: str = "points",
    strict: bool = True,
    warn_far: bool = True,
) -> Snapped:
    """Snap points onto the nearest point of the nearest street edge (exact, vectorised).

    Parameters
    ----------
    net
        The walk network.
    points
        A GeoDataFrame (any CRS; non-point geometries use a representative point) or
        an ``(n, 2)`` array of x/y in ``net.crs``.
    max_snap_m
        Points farther than this from every street are left out (``edge == -1``). A
        few trigger an :class:`AedplanWarning` listing their ids; when most are that
        far, an :class:`InputError` asks whether lon/lat are swapped.
    tie_m
        Edges within this many metres of the nearest one are linked too, and times take
        the best of them (two ways drawn on top of each other, a point exactly beside a
        junction or midway between two streets).
    access_s
        Seconds added to each point's rescue time when it is a source (an AED's
        cabinet or floors): a scalar or an array; by default the ``access_s`` column
        of ``points`` when there is one, else 0.
    argument
        Name used for ``points`` in messages (``"aeds"``, ``"demand"``...).
    strict
        Raise when most points are out of reach of the streets (set False for demand
        grids that are expected to include far points). When every point is, it raises
        either way.
    warn_far
        Warn when some points are out of reach of the streets (set False for a grid of
        places around an AED, where many are).

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> on = aedplan.snap(street, points([150], [30]))  # 30 m beside the second edge
    >>> on.offset_m.tolist(), on.edge.tolist(), on.position_m.tolist()
    ([30.0], [1], [50.0])
    """
    check_network(net)
    max_snap_m = _validate.positive(max_snap_m, "max_snap_m")
    tie_m = _validate.positive(tie_m, "tie_m", allow_zero=True)
    x, y, ids = _xy(net, points, argument)
    acc = _access(points, access_s, ids, argument)
    snapped_ = _snap(net, _edge_lines(net), x, y, ids, acc, max_snap_m, tie_m)
    if warn_far or strict:
        _report_far(~snapped_.ok, ids, max_snap_m, argument, strict, warn_far)
    return snapped_


def snap_to_segments(
    net: WalkNetwork, xy: np.ndarray, *, max_snap_m: float, tie_m: float
) -> Snapped:
    """:func:`snap` of an ``(n, 2)`` array, linked to every straight segment of an edge
    (not only every edge) within ``tie_m`` of the nearest one.

    A point's nearest street point is the same either way. The links differ where a
    bent edge comes within ``tie_m`` twice: each of its segments is linked, each at its
    own nearest point. Projection onto a straight segment moves no farther than the
    point does, which bounds in :mod:`aedplan.circles` rely on.
    """
    x, y = np.asarray(xy[:, 0], dtype=float), np.asarray(xy[:, 1], dtype=float)
    ids = np.arange(x.shape[0])
    return _snap(net, _segment_lines(net), x, y, ids, np.zeros(x.shape[0]), max_snap_m, tie_m)


#: Lattice places are searched for streets a block of this many a side at a time.
LATTICE_BLOCK = _lattice.BLOCK


def _lattice_args(
    col: Any, row: Any, step_m: float, max_snap_m: float, tie_m: float
) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """The arguments of :func:`snap_lattice` and :func:`lattice_candidates`, checked."""
    col, row = np.asarray(col, dtype=np.int64).ravel(), np.asarray(row, dtype=np.int64).ravel()
    if col.shape != row.shape:
        raise InputError("`col` and `row` must be as long as each other, got {n_col:,} and "
                         "{n_row:,}.", n_col=col.shape[0], n_row=row.shape[0])
    if col.size and max(np.abs(col).max(), np.abs(row).max()) >= 2**29:
        raise InputError("`col`, `row`: a lattice place more than 2**29 steps from the origin "
                         "of the CRS; use a larger `step_m`.")
    return (col, row, _validate.positive(step_m, "step_m"),
            _validate.positive(max_snap_m, "max_snap_m"),
            _validate.positive(tie_m, "tie_m", allow_zero=True))


def lattice_candidates(
    net: WalkNetwork, col: Any, row: Any, size: int, step_m: float, *,
    max_snap_m: float = DEFAULT_MAX_SNAP_M, tie_m: float = DEFAULT_TIE_M,
) -> Snapped:
    """The streets near cells of a lattice: each cell of ``size`` places a side (a power
    of two up to :data:`LATTICE_BLOCK`; cell ``col``, ``row`` holds the places ``size *
    col`` to ``size * col + size - 1``, and rows likewise; places ``step_m`` apart,
    centred at ``(i + 0.5) * step_m``), as a point at its centre ``c`` linked to every
    straight segment of an edge within ``d(c) + 2 h + tie_m`` of it, ``h`` being the
    distance from ``c`` to the cell's farthest place and ``d(c)`` to the nearest street;
    cells more than ``max_snap_m + h`` from every street are not linked. Each link's
    position is that of the segment's point nearest ``c``, along the edge; the nearest
    link of each cell comes first.

    Every link of :func:`snap_to_segments` with ``max_snap_m + h`` and ``2 h + tie_m``
    is among these (and those it leaves out at junctions, where they meet in one point):
    a place of the cell is linked (:func:`snap`) only to edges at segments among its
    cell's, which bounds on the places of a cell rely on (:mod:`aedplan.circles`). The
    segments are found once per network around blocks of :data:`LATTICE_BLOCK` places and
    pruned down to the cells, without a spatial query per cell.
    """
    sizes = [2**i for i in range(LATTICE_BLOCK.bit_length())]
    if size not in sizes:
        raise InputError("`size` must be one of {sizes} places, got {size!r}.", sizes=sizes,
                         size=size)
    col, row, step_m, max_snap_m, tie_m = _lattice_args(col, row, step_m, max_snap_m, tie_m)
    ucol, _, inverse, cell, s, dist, metres = _lattice.cell_segments(
        net, col, row, size, step_m, max_snap_m, tie_m)
    # the cells as given, each with its segments, the nearest moved first
    first = np.searchsorted(cell, np.arange(ucol.shape[0] + 1))
    point, within = _lattice.expand(first[inverse + 1] - first[inverse])
    at = first[inverse][point] + within
    if at.size:
        start = np.flatnonzero(np.r_[True, point[1:] != point[:-1]])
        best = np.repeat(np.minimum.reduceat(dist[at], start), np.diff(np.r_[start, at.size]))
        lead = -np.maximum.reduceat(np.where(dist[at] == best, -np.arange(at.size), -at.size),
                                    start)
        swap = np.arange(at.size)
        swap[lead], swap[start] = start, lead
        at = at[swap]
    edge = _lattice.segments(net).edge[s[at]]
    x, y = _lattice.centres(col, row, size, step_m)
    return _snapped_links(net, _edge_lines(net), x, y, np.arange(col.shape[0]),
                          np.zeros(col.shape[0]), point, edge, dist[at],
                          np.clip(metres[at], 0.0, net.edge_length_m[edge]))


def snap_lattice(
    net: WalkNetwork, col: Any, row: Any, step_m: float, *,
    max_snap_m: float = DEFAULT_MAX_SNAP_M, tie_m: float = DEFAULT_TIE_M,
) -> Snapped:
    """:func:`snap` of the lattice places ``((col + 0.5) * step_m, (row + 0.5) * step_m)``:
    the same links, positions and offsets, bit for bit, without a spatial query per place.

    Each place's segments come from :func:`lattice_candidates` (cells of one place); its
    distance to each edge is that to the edge's nearest segment among them, its
    position along the edge that of the first such segment, as GEOS computes them; the
    tie, the snap limit and one link per junction then follow :func:`snap`.

    Examples
    --------
    >>> import aedplan
    >>> street = aedplan.network_from_arrays([0, 100], [0, 0], [0], [1], crs="EPSG:32632")
    >>> on = snap_lattice(street, [10, 10], [2, 60], 5.0, max_snap_m=200.0)
    >>> on.offset_m.tolist(), on.position_m.tolist(), on.ok.tolist()
    ([12.5, inf], [52.5, 0.0], [True, False])
    """
    col, row, step_m, max_snap_m, tie_m = _lattice_args(col, row, step_m, max_snap_m, tie_m)
    ucol, _, inverse, place, s, dist, metres = _lattice.cell_segments(
        net, col, row, 1, step_m, max_snap_m, tie_m)
    edge = _lattice.segments(net).edge[s]
    lines = _edge_lines(net)
    # a place with one segment near is linked to it alone; the others: each edge at its
    # nearest segment (the first among equals, as GEOS locates a point on a line), then
    # the rules of snap
    count = np.bincount(place, minlength=ucol.shape[0])
    one = count[place] == 1
    order = np.lexsort((s[~one], dist[~one], edge[~one], place[~one]))
    several = [a[~one][order] for a in (place, edge, dist, metres)]
    first = np.r_[True, (several[0][1:] != several[0][:-1])
                  | (several[1][1:] != several[1][:-1])][:order.shape[0]]
    several = [a[first] for a in several]
    order = _nearest_links(*several[:3], max_snap_m, tie_m)
    several = [a[order] for a in several]
    several[3] = np.clip(several[3], 0.0, lines.length[several[1]])
    keep = _one_link_per_end(lines, *several[:2], several[3])
    near = one & (dist <= max_snap_m)
    links = [np.r_[a[near], b[keep]] for a, b in zip(
        (place, edge, dist, np.clip(metres, 0.0, lines.length[edge])), several, strict=True)]
    order = np.argsort(links[0], kind="stable")
    place, edge, dist, position = (a[order] for a in links)
    # the places as given
    first = np.searchsorted(place, np.arange(ucol.shape[0] + 1))
    point, within = _lattice.expand(first[inverse + 1] - first[inverse])
    at = first[inverse][point] + within
    return _snapped_links(net, lines, (col + 0.5) * step_m, (row + 0.5) * step_m,
                          np.arange(col.shape[0]), np.zeros(col.shape[0]), point, edge[at],
                          dist[at], position[at])


def _snap(
    net: WalkNetwork, lines: _Lines, x: np.ndarray, y: np.ndarray, ids: np.ndarray,
    acc: np.ndarray, max_snap_m: float, tie_m: float,
) -> Snapped:
    links = _links_in_parallel(net, lines, x, y, max_snap_m, tie_m)
    return _snapped_links(net, lines, x, y, ids, acc, *links)


def _snapped_links(
    net: WalkNetwork, lines: _Lines, x: np.ndarray, y: np.ndarray, ids: np.ndarray,
    acc: np.ndarray, point: np.ndarray, line: np.ndarray, dist: np.ndarray,
    position: np.ndarray,
) -> Snapped:
    """The points ``x``, ``y`` with their links ``(point, line, dist, position)``, sorted by
    point and nearest first."""
    edge = lines.edge[line]
    position = np.minimum(lines.start[line] + position, net.edge_length_m[edge])
    n = x.shape[0]
    first = np.flatnonzero(np.r_[True, point[1:] != point[:-1]]) if point.size else point
    nearest_edge = np.full(n, -1, dtype=np.int64)
    nearest_pos = np.zeros(n)
    offset = np.full(n, np.inf)
    nearest_edge[point[first]] = edge[first]
    nearest_pos[point[first]] = position[first]
    offset[point[first]] = dist[first]
    return Snapped(
        x=x,
        y=y,
        offset_m=offset,
        edge=nearest_edge,
        position_m=nearest_pos,
        access_s=acc,
        ids=ids,
        link_point=point.astype(np.int64),
        link_edge=edge.astype(np.int64),
        link_position_m=position,
        link_offset_m=dist,
    )


def _some(ids: np.ndarray) -> str:
    """The first ten of ``ids``, for a message."""
    return ", ".join(map(str, ids[:10])) + (" ..." if ids.shape[0] > 10 else "")


def _report_far(
    far: np.ndarray, ids: np.ndarray, max_snap_m: float, argument: str, strict: bool,
    warn_far: bool,
) -> None:
    n_far, n = int(far.sum()), far.shape[0]
    if not n_far:
        return
    listed = _some(ids[far])
    if (strict and n_far > n / 2) or n_far == n:  # none reached is an error for any input
        raise InputError(
            "`{argument}`: {n_far} of {n} points are more than {max_snap_m:g} m from any "
            "street of the network (ids {listed}). Are lon/lat swapped, are the coordinates "
            "in another datum (GCJ-02/BD-09: pass `datum`), or do the points lie outside the "
            "network's area?", argument=argument, n_far=n_far, n=n, max_snap_m=max_snap_m,
            listed=listed)
    if not warn_far:
        return
    warn("`{argument}`: {n_far} of {n} points are more than {max_snap_m:g} m from any "
         "street and are left out of coverage (ids {listed}).", argument=argument,
         n_far=n_far, n=n, max_snap_m=max_snap_m, listed=listed)


def snapped(net: WalkNetwork, points: Any, argument: str, *, strict: bool = True) -> Snapped:
    """``points`` snapped with the defaults, or as they are when already :class:`Snapped`."""
    if isinstance(points, Snapped):
        return points
    return snap(net, points, argument=argument, strict=strict)


def near_streets(net: WalkNetwork, points: Any,
                 max_snap_m: float = DEFAULT_MAX_SNAP_M) -> np.ndarray:
    """Which ``points`` (a GeoDataFrame, any CRS) lie within ``max_snap_m`` of a street:
    those :func:`snap` would keep.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100], [0, 0], [0], [1], crs="EPSG:32632")
    >>> pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([50, 50], [150, 250]),
    ...                        crs="EPSG:32632")
    >>> near_streets(street, pts, 200).tolist()
    [True, False]
    """
    out = np.zeros(len(points), dtype=bool)
    if len(points) == 0:
        return out
    x, y, _ = _geo.point_xy(points, net.crs)
    real = np.flatnonzero(np.isfinite(x) & np.isfinite(y))  # blank rows are NaN
    xy = np.column_stack([x[real], y[real]])
    if real.size:  # rows without a place are near nothing
        # the snapper itself: a nearest street per point, not every street within reach
        out[real] = snap(net, xy, max_snap_m=max_snap_m, strict=False, warn_far=False).ok
    return out


def datum_hint(net: WalkNetwork, points: Any, *, declared: str = "wgs84"
               ) -> tuple[str, float, float] | None:
    """Whether lon/lat points read as WGS84 look like GCJ-02 or BD-09 coordinates (copied
    from a Chinese web map): ``(datum, metres as given, metres in that datum)``, the
    points' median distance to the streets read both ways, when read in that datum they
    lie nearer the streets as :func:`aedplan._datum.looks_moved` tells; else ``None``.
    With ``declared`` (``"gcj02"`` or ``"bd09"``), ``points`` are those coordinates
    already turned into WGS84, and the other reading is the one the datum was wrong
    about: the coordinates as written, read as WGS84 (``("wgs84", ...)``).

    Either datum moves a point in China by a few hundred metres in one direction, more
    than the usual distance from an AED to its street: points in the wrong datum sit
    off the streets where the right reading puts them beside one. At least 8 points in
    China are needed (a sample of 1,000 is read).
    """
    from pyproj import Transformer

    from ._datum import (
        bd09_to_wgs84,
        gcj02_to_wgs84,
        looks_moved,
        out_of_china,
        wgs84_to_bd09,
        wgs84_to_gcj02,
    )

    lonlat = _geo.point_array(points, 4326)
    lon, lat = shapely.get_x(lonlat), shapely.get_y(lonlat)
    inside = np.flatnonzero(~out_of_china(lon, lat))
    if inside.size < _HINT_MIN:
        return None
    pick = inside[np.linspace(0, inside.size - 1, min(inside.size, _HINT_SAMPLE)).astype(int)]
    lon, lat = lon[pick], lat[pick]
    to_net = Transformer.from_crs(4326, net.crs, always_xy=True)

    def metres(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        px, py = to_net.transform(x, y)
        far = np.full(px.shape[0], 1000.0)  # farther counts as 1 km
        idx, dist = net.edge_tree.query_nearest(shapely.points(px, py), max_distance=1000.0,
                                                return_distance=True, all_matches=False)
        far[idx[0]] = dist
        return far

    given = metres(lon, lat)
    others = ((("wgs84", {"gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}[declared]),)
              if declared != "wgs84" else
              (("gcj02", gcj02_to_wgs84), ("bd09", bd09_to_wgs84)))
    read = sorted((float(np.median(m)), datum, m) for datum, m in (
        (datum, metres(*convert(lon, lat))) for datum, convert in others))
    for median, datum, moved in read:
        if looks_moved(given, moved):
            return datum, float(np.median(given)), median
    return None
