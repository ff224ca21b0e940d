"""Rescue circles: the places each AED reaches in time, as polygons along the streets.

A place is inside an AED's circle iff a patient there is reached within the budget
under the time model. The circle is evaluated on a lattice of places ``resolution_m``
apart, snapped as :func:`aedplan.snapping.snap` snaps them and timed with
:func:`aedplan.reach.pair_chunks`: the same snapper and the same time code as coverage,
so the boundary is exact to within one lattice cell.

Most lattice places are decided in blocks: cells of 4 and then 2 lattice cells a side
are timed at their centres, with bounds on how much the time can change within the
cell (:func:`_bounded_level`). A block proven reached throughout is filled, one proven
out of reach is dropped, and only the rest is split, down to single places near the
boundary. The result is the same set of lattice cells as timing every place; the
cells become polygons in one pass of GDAL's polygonise over a mosaic of all circles.

Which streets a cell or place meets does not depend on the AED: the lattice's cells are
searched once per network (:func:`aedplan.snapping.lattice_candidates`,
:func:`aedplan.snapping.snap_lattice`) and kept with it, so a circle costs no spatial
query once its places have been seen."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import shapely

from . import _memory, _results, _validate, tasks, tiling
from ._caller import warn
from .network import WalkNetwork, check_network
from .reach import expand, pair_chunks, source_node_reach
from .snapping import (
    DEFAULT_MAX_SNAP_M,
    DEFAULT_TIE_M,
    Snapped,
    lattice_candidates,
    snap_lattice,
    snapped,
)
from .timemodel import TimeModel, resolve

__all__ = ["RescueCircles", "rescue_circles"]


@dataclass(frozen=True, eq=False)
class RescueCircles:
    """One rescue-circle polygon per AED and the union of them all.

    Attributes
    ----------
    circles
        GeoDataFrame in the network's CRS, one row per AED that reached a street:
        ``aed`` (row of the AEDs given), ``id``, ``area_m2``, ``max_s`` (the longest
        rescue time among the places timed inside the circle: its farthest lattice
        place, or a place within one cell of it) and the polygon.
    model
        The time model.
    method
        ``"streets"`` or ``"convex"``.
    """

    circles: Any
    model: TimeModel
    method: str

    @functools.cached_property
    def union(self) -> shapely.Geometry:
        """The union of all circles (a shapely geometry in the network's CRS), computed
        on first use."""
        if not len(self.circles):
            return shapely.Polygon()
        return shapely.simplify(shapely.union_all(self.circles.geometry.to_numpy()), 0.0)

    def __repr__(self) -> str:
        return (
            f"RescueCircles({len(self.circles):,} circles, union "
            f"{self.union.area / 1e6:,.2f} km², {self.method}, {self.model!r})"
        )

    def _repr_html_(self) -> str:
        return _results.html_table(
            "Rescue circles",
            {
                "circles": f"{len(self.circles):,}",
                "area of the union": f"{self.union.area / 1e6:,.2f} km²",
                "method": self.method,
                "time model": self.model.describe(),
            },
        )


def rescue_circles(
    net: WalkNetwork,
    aeds: Any,
    *,
    model: TimeModel | None = None,
    minutes: float | None = None,
    mode: str | None = None,
    speed_m_s: float | None = None,
    method: str = "streets",
    resolution_m: float = 5.0,
) -> RescueCircles:
    """Rescue circles that follow the streets: where a patient is reached in time.

    With ``method="streets"`` (the default) a place is inside an AED's circle iff a
    patient there is reached within the budget under the time model: the reached
    street portions, cut at the exact point along partly reached edges, widened by the
    time left for the walk from the street, and with holes where blocks are out of
    reach. The area is evaluated on a ``resolution_m`` lattice of places, snapped and
    timed with the same code as coverage, so the boundary is exact to within one
    lattice cell (5 m by default).

    ``method="convex"`` is the common tutorial recipe (the convex hull of the street
    nodes reached), kept for comparison only: it ignores partly reached edges and the
    walk off the street, and fills every hole.

    Parameters
    ----------
    net
        The walk network.
    aeds
        A :class:`~aedplan.snapping.Snapped`, a GeoDataFrame (any CRS; an ``access_s``
        column is honoured) or an ``(n, 2)`` array in ``net.crs``.
    model
        The time model (:class:`~aedplan.timemodel.TimeModel`; default 4 minutes, round
        trip, 1.4 m/s).
    minutes, mode, speed_m_s
        Deprecated: pass ``model=aedplan.TimeModel(...)``.
    method
        ``"streets"`` or ``"convex"``.
    resolution_m
        Side of the lattice cells, in metres.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> circles = aedplan.rescue_circles(street, points([0])).circles
    >>> len(circles), bool(circles["max_s"].iloc[0] <= 240)
    (1, True)
    """
    model = resolve(model, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    check_network(net)
    _validate.one_of(method, "method", {
        "streets": "exact, follows the time model",
        "convex": "the tutorial recipe, for comparison",
    })
    resolution_m = _validate.positive(resolution_m, "resolution_m")
    src = snapped(net, aeds, "aeds")
    use = np.flatnonzero(src.ok)
    if method == "convex":
        out = _convex_circles(net, src, use, model)
    else:
        out = _street_circles(net, src, use, model, resolution_m)
    out["area_m2"] = out.geometry.area
    out = out[["aed", "id", "area_m2", "max_s", "geometry"]]
    return RescueCircles(out, model, method)


def _frame(net: WalkNetwork, src: Snapped, use: np.ndarray, max_s: Any, polygons: Any) -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {"aed": use, "id": src.ids[use], "max_s": max_s},
        geometry=gpd.GeoSeries(polygons, crs=net.crs),
        crs=net.crs,
    )


def _convex_circles(net: WalkNetwork, src: Snapped, use: np.ndarray, model: TimeModel) -> Any:
    import geopandas as gpd
    import pandas as pd

    s, node, metres = source_node_reach(net, src, model)
    groups = np.r_[s, use]
    # each AED's own street point, where its walk starts
    own = shapely.line_interpolate_point(net.edge_geometry[src.edge[use]], src.position_m[use])
    geoms = np.r_[shapely.points(net.x[node], net.y[node]), own]
    hull = gpd.GeoDataFrame({"aed": groups}, geometry=geoms, crs=net.crs).dissolve(
        by="aed").convex_hull
    max_s = pd.Series(model.seconds(metres)).groupby(s).max()
    return _frame(
        net, src, use, max_s.reindex(use).fillna(0.0).to_numpy(), hull.reindex(use).to_numpy()
    )


#: Rescue circles are drawn from at most this many (AED, place) pairs, about half a
#: minute of work; past it (budgets far above a rescue circle's few minutes) the
#: lattice is made coarser, with a warning.
_MAX_PAIRS = 40_000_000
#: Memory per lattice place around the AEDs of a group while their circles are drawn
#: (40-110 B measured on a grid and on Liechtenstein, rounded up).
_PLACE_BYTES = 250
#: Memory per cell of a group's polygonising mosaic: its int32 labels, the mask, and
#: GDAL's working copies.
_MOSAIC_BYTES = 16
#: AEDs are drawn in groups of nearby ones, each with about this many cells of 4 places
#: to decide at first: arrays that stay small are several times faster than one large
#: set of them, and each call of the time code costs a little per street.
_GROUP_CELLS = 500_000


def _row_intervals(
    sx: np.ndarray, sy: np.ndarray, reach: float, res: float, extent: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per AED and lattice row, the interval of cells whose centre lies within ``reach +
    res`` of the AED and inside ``extent``: ``(row, first, last)`` cell indices of a
    global ``res``-metre lattice. (A place reached in time is at most ``reach`` metres
    from the AED in a straight line.)"""
    r = reach + res
    col_lo, row_lo = np.ceil(extent[:2] / res - 0.5).astype(np.int64)
    col_hi, row_hi = np.floor(extent[2:] / res - 0.5).astype(np.int64)
    first = np.maximum(np.ceil((sy - r) / res - 0.5).astype(np.int64), row_lo)
    last = np.minimum(np.floor((sy + r) / res - 0.5).astype(np.int64), row_hi)
    aed, k = expand(np.maximum(last - first + 1, 0))
    row = first[aed] + k
    half = np.sqrt(np.maximum(r**2 - ((row + 0.5) * res - sy[aed]) ** 2, 0.0))
    lo = np.maximum(np.ceil((sx[aed] - half) / res - 0.5).astype(np.int64), col_lo)
    hi = np.minimum(np.floor((sx[aed] + half) / res - 0.5).astype(np.int64), col_hi)
    ok = lo <= hi
    return row[ok], lo[ok], hi[ok]


def _lattice_step(
    sx: np.ndarray, sy: np.ndarray, reach: float, res: float, extent: np.ndarray
) -> float:
    """``res``, or a coarser step when the AEDs' cells would take more than
    :data:`_MAX_PAIRS` pairs, or one AED's circle more memory than is spare (its places
    while they are decided, and its tile of the mosaic it is polygonised from)."""
    _, lo, hi = _row_intervals(sx, sy, reach, res, extent)
    pairs = float((hi - lo + 1).sum())
    factor = max(1.0, np.sqrt(pairs / _MAX_PAIRS),
                 np.sqrt(_aed_bytes(reach, res) / (_memory.spare_bytes() / 4)))
    return res if factor == 1.0 else float(np.ceil(res * factor))


def _aed_bytes(reach: float, res: float) -> float:
    """Memory one AED's circle takes while it is drawn (:data:`_PLACE_BYTES`,
    :data:`_MOSAIC_BYTES`)."""
    places = np.pi * (reach + 2 * res) ** 2 / res**2
    return places * _PLACE_BYTES + (2 * reach / res + 6) ** 2 * _MOSAIC_BYTES


def _groups(sx: np.ndarray, sy: np.ndarray, reach: float, res: float) -> list[np.ndarray]:
    """The AEDs at ``sx``, ``sy`` cut into groups of nearby ones (in z-order of squares
    of the circles' size), each with about :data:`_GROUP_CELLS` cells of 4 places, and
    no more than a quarter of the spare memory takes."""
    per_aed = np.pi * (reach + 2 * res) ** 2 / (4 * res) ** 2
    size = max(1, int(min(_GROUP_CELLS / per_aed,
                          _memory.spare_bytes() / 4 / _aed_bytes(reach, res))))
    if sx.shape[0] <= size:
        return [np.arange(sx.shape[0])]
    side = 2 * (reach + res)
    i = np.floor((sx - sx.min()) / side).astype(np.int64)
    j = np.floor((sy - sy.min()) / side).astype(np.int64)
    key = np.zeros_like(i)
    for bit in range(31):
        key |= ((i >> bit) & 1) << (2 * bit) | ((j >> bit) & 1) << (2 * bit + 1)
    order = np.argsort(key, kind="stable")
    return np.array_split(order, -(-sx.shape[0] // size))


def _lattice(
    sx: np.ndarray, sy: np.ndarray, reach: float, res: float, extent: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Every cell of :func:`_row_intervals`, once: its integer coordinates and centre.

    The intervals of one row are merged, so memory grows with the cells returned, not
    with the AEDs' overlapping discs.
    """
    row, lo, hi = _row_intervals(sx, sy, reach, res, extent)
    col_lo, row_lo = np.ceil(extent[:2] / res - 0.5).astype(np.int64)
    # rows laid end to end with a gap, so intervals of two rows never touch; overlapping
    # or touching intervals of one row merge
    width = int(np.floor(extent[2] / res - 0.5)) - int(col_lo) + 2
    line = (row - row_lo) * width - col_lo
    lo, hi = lo + line, hi + line
    order = np.argsort(lo, kind="stable")
    lo, hi = lo[order], np.maximum.accumulate(hi[order]) if hi.size else hi
    starts = np.r_[True, lo[1:] > hi[:-1] + 1] if lo.size else np.zeros(0, dtype=bool)
    begin = lo[starts]
    end = hi[np.r_[np.flatnonzero(starts)[1:] - 1, lo.shape[0] - 1]] if lo.size else lo
    group, within = expand(end - begin + 1)
    cell = begin[group] + within
    cy, cx = cell // width + row_lo, cell % width + col_lo
    return cx, cy, np.column_stack([(cx + 0.5) * res, (cy + 0.5) * res])


#: Coarse cells of 4 and 2 lattice cells a side are tried before the lattice itself
#: (cells of 8 proved too few places to be worth their wider search).
_LEVELS = 2
#: A coarse cell's lattice places may lie at most this far (metres, times sqrt(2)) from
#: its centre: the search for segments around a centre widens with it, so on a coarse
#: lattice (long budgets) fewer levels, or none, are tried.
_MAX_BLOCK_M = 16.0


@dataclass(frozen=True)
class _Cells:
    """Lattice cells inside circles: per cell its AED (``group``), column and row in a
    lattice of ``size`` lattice cells a side, and the rescue time at its centre."""

    group: np.ndarray
    col: np.ndarray
    row: np.ndarray
    size: int
    centre_s: np.ndarray


def _each_link(places: Snapped) -> Snapped:
    """``places`` with every link made a place of its own (same x, y)."""
    lp = places.link_point
    return Snapped(
        x=places.x[lp], y=places.y[lp], offset_m=places.link_offset_m,
        edge=places.link_edge, position_m=places.link_position_m,
        access_s=places.access_s[lp], ids=places.ids[lp],
        link_point=np.arange(lp.shape[0]), link_edge=places.link_edge,
        link_position_m=places.link_position_m, link_offset_m=places.link_offset_m,
    )


def _pairs(
    net: WalkNetwork, src: Snapped, targets: Snapped, model: TimeModel, limit_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (AED, target) within ``limit_m`` metres: AED, target and metres."""
    parts = list(pair_chunks(net, src, targets, model=model, limit_s=model.seconds(limit_m)))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            model.metres(np.concatenate([p[2] for p in parts])))


def _bounded_level(
    net: WalkNetwork, src: Snapped, model: TimeModel, cells: tuple[np.ndarray, np.ndarray],
    k: int, res: float, max_snap_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For the lattice cells ``cells`` of ``k`` places a side, their centres ``c`` within
    ``delta`` of their places: every (AED, cell) that may reach a lattice place in the
    cell, whether it reaches them all (``sure``), and the rescue time at the centre.

    A lattice place ``q`` within ``delta`` of the centre ``c`` meets the streets on
    segments within ``d(c) + 2 delta`` of ``c`` (``d``: distance to the nearest street).
    Along one straight segment, a place's time in metres (its distance to the segment
    plus the walk to its projection) changes by at most ``sqrt(2)`` times the distance
    it moves: projecting onto a segment moves no farther than the point, and the moves
    along and across it add up to at most ``sqrt(2)`` times the move. So every link of
    ``q`` is within ``sqrt(2) delta`` of the same segment's time at ``c``: the cell is
    reached throughout when the worst of those segments is reached with that to spare,
    and an (AED, place) not returned reaches none of it.
    """
    reach = model.reach_m
    delta = (k - 1) * res / np.sqrt(2)
    places = lattice_candidates(net, *cells, k, res, max_snap_m=max_snap_m)
    slack = np.sqrt(2) * delta
    s_idx, t_idx, metres = _pairs(net, src, _each_link(places), model, reach + slack)
    place = places.link_point[t_idx]
    nearest = places.link_offset_m[t_idx] <= places.offset_m[place] + DEFAULT_TIE_M
    n = max(len(places), 1)
    key = s_idx * n + place
    if np.any(key[1:] < key[:-1]):  # the searches give them sorted (links of a cell together)
        order = np.argsort(key, kind="stable")
        key, metres, nearest = key[order], metres[order], nearest[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.size else key
    count = np.diff(np.r_[first, key.shape[0]])
    worst = np.maximum.reduceat(metres, first) if key.size else metres
    centre = np.minimum.reduceat(np.where(nearest, metres, np.inf), first) if key.size else metres
    aed, place = key[first] // n, key[first] % n
    links = np.bincount(places.link_point, minlength=len(places))
    sure = ((count == links[place]) & (worst + slack <= reach + 1e-9)
            & (places.offset_m[place] + delta <= max_snap_m))
    return aed, place, sure, model.seconds(centre)


def _children(col: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The four half-size cells of each cell."""
    di, dj = np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])
    return (2 * col[:, None] + di).ravel(), (2 * row[:, None] + dj).ravel()


def _group_cells(
    net: WalkNetwork, src: Snapped, model: TimeModel, res: float, extent: np.ndarray,
    max_snap_m: float,
) -> list[_Cells]:
    """The lattice cells inside the circle of each AED of ``src``.

    Cells ``2**_LEVELS`` lattice cells a side first: those proven inside are kept whole
    and those proven outside dropped (:func:`_bounded_level`); the rest are split in
    four, down to the lattice, whose places are snapped and timed exactly. Each lattice
    place ends up where evaluating every lattice place would put it, and each AED's
    cells are the same whichever AEDs are drawn with it."""
    k = 2**_LEVELS
    while k > 1 and (k - 1) * res > _MAX_BLOCK_M:
        k //= 2
    reach = model.reach_m
    col, row, _ = _lattice(src.x, src.y, reach + res, k * res,
                           extent + np.array([-1, -1, 1, 1]) * k * res)
    cells: list[_Cells] = []
    still = None  # the (AED, cell) pairs left open at the level above, as keys
    while True:
        if k == 1:
            places = snap_lattice(net, col, row, res, max_snap_m=max_snap_m)
            s_idx, place, metres = _pairs(net, src, places, model, reach)
            sure, centre_s = np.ones(s_idx.shape[0], dtype=bool), model.seconds(metres)
        else:
            s_idx, place, sure, centre_s = _bounded_level(net, src, model, (col, row), k, res,
                                                          max_snap_m)
        if still is not None:  # a half is decided only for the AEDs its cell was open for
            keep = np.isin(s_idx * (col.shape[0] // 4) + place // 4, still)
            s_idx, place, sure, centre_s = s_idx[keep], place[keep], sure[keep], centre_s[keep]
        cells.append(_Cells(s_idx[sure], col[place[sure]], row[place[sure]], k, centre_s[sure]))
        split = ~sure
        if k == 1 or not split.any():
            return cells
        # the cells left open are split in four
        open_, parent = np.unique(place[split], return_inverse=True)
        still = s_idx[split] * open_.shape[0] + parent.reshape(-1)
        col, row = _children(col[open_], row[open_])
        k //= 2


def _street_circles(
    net: WalkNetwork, src: Snapped, use: np.ndarray, model: TimeModel, res: float
) -> Any:
    if use.size == 0:
        return _frame(net, src, use, np.zeros(0), [])
    reach = model.reach_m
    # the places, snapped as coverage snaps demand (a place farther than the reach from
    # every street is never reached, so the search stops there)
    max_snap_m = min(DEFAULT_MAX_SNAP_M, reach)
    extent = shapely.total_bounds(net.edge_geometry) + np.array([-1, -1, 1, 1]) * max_snap_m
    step = _lattice_step(src.x[use], src.y[use], reach, res, extent)
    if step != res:
        warn("the rescue circles are drawn on a {step:g} m lattice, not {res:g} m, so that "
             "{n:,} circles of {minutes:g} minutes fit in time and memory; their edges are "
             "exact to {step:g} m.", step=step, res=res, n=use.size,
             minutes=model.budget_s / 60)
        res = step
    runner = tasks.current()
    if runner.by_parts(use.size * _WORK_PER_CIRCLE):
        return _circles_by_parts(net, src, use, model, (res, extent, max_snap_m), runner)
    return _circles_on(net, src, use, model, (res, extent, max_snap_m))


#: The work of one circle in the units of :data:`aedplan.tasks.MIN_WORK` (measured on
#: the real Wuhan network: 500 circles of 4 minutes in 2 s).
_WORK_PER_CIRCLE = 6e4


def circle_seconds(n: int, model: TimeModel) -> float:
    """About how many seconds ``n`` rescue circles of ``model`` take to draw on one core
    (the rate measured on the real Wuhan network; the work grows with the area a circle
    spans, the square of its reach)."""
    per_4_minutes = _WORK_PER_CIRCLE * tasks.SECONDS_PER_WORK
    return n * per_4_minutes * (model.reach_m / TimeModel().reach_m) ** 2


def _circles_on(net: WalkNetwork, src: Snapped, use: np.ndarray, model: TimeModel,
                lattice: tuple[float, np.ndarray, float]) -> Any:
    """The circles of the AEDs ``use`` on the lattice ``(step, extent, max_snap_m)``, a
    group of nearby AEDs at a time."""
    res, extent, max_snap_m = lattice
    max_s = np.zeros(use.shape[0])
    polygons = np.empty(use.shape[0], dtype=object)
    for group in _groups(src.x[use], src.y[use], model.reach_m, res):
        mine = use[group]
        cells = _group_cells(net, src.take(mine), model, res, extent, max_snap_m)
        longest = np.zeros(mine.shape[0])
        for part in cells:
            np.maximum.at(longest, part.group, part.centre_s)
        max_s[group] = longest
        polygons[group] = _polygonise(cells, src.x[mine], src.y[mine],
                                      np.arange(mine.shape[0]), model.reach_m, res)
    return _frame(net, src, use, max_s, polygons)


def _circles_by_parts(net: WalkNetwork, src: Snapped, use: np.ndarray, model: TimeModel,
                      lattice: tuple[float, np.ndarray, float], runner: tasks.Runner) -> Any:
    """:func:`_circles_on` with the AEDs cut into parts (:mod:`aedplan.tiling`), each on
    its part's streets: its places lie within the reach and a cell of the AED, and snap
    to streets within the walk from them (the coarse cells' centres a little farther)."""
    import pandas as pd

    res, _, max_snap_m = lattice
    walk = max_snap_m + 4 * (_MAX_BLOCK_M + res)
    halo = tiling.halo(model.reach_m + res + walk, src.take(use))
    jobs, maps = [], []
    for _, own, (_, edges, sub) in tiling.each_part(net, src.x[use], src.y[use], halo, runner):
        mine, at = src.take(use[own]).on_edges(edges)
        jobs.append((sub, mine, np.flatnonzero(mine.ok)))
        maps.append(use[own][at])
    found = runner.map(_circles_on, *zip(*jobs, strict=True), [model] * len(jobs),
                       [lattice] * len(jobs), what="a part's rescue circles")
    for frame, at in zip(found, maps, strict=True):
        frame["aed"] = at[frame["aed"].to_numpy()]
    out = pd.concat(found, ignore_index=True).sort_values("aed", kind="stable")
    return out.set_crs(net.crs, allow_override=True).reset_index(drop=True)


def _polygonise(
    cells: list[_Cells], sx: np.ndarray, sy: np.ndarray, use: np.ndarray, reach: float,
    res: float,
) -> np.ndarray:
    """One polygon per AED of ``use`` from its cells, all AEDs in one pass.

    Each AED's cells are drawn in a tile of its own of one raster (a mosaic of tiles,
    one cell apart), and the raster's regions become polygons at once (GDAL's
    polygonise through rasterio); each polygon is then moved from its tile back to its
    AED. Every cell inside a circle lies within ``reach`` of the AED, so a tile of
    ``2 reach`` and two cells more holds it."""
    from rasterio.features import shapes

    n = use.shape[0]
    width = int(np.ceil(2 * reach / res)) + 4
    col0 = np.floor((sx - reach) / res).astype(np.int64) - 2
    row0 = np.floor((sy - reach) / res).astype(np.int64) - 2
    slot = np.full(int(use.max()) + 1, -1, dtype=np.int64)
    slot[use] = np.arange(n)
    side = int(np.ceil(np.sqrt(n)))
    mosaic = np.zeros((side * (width + 1), side * (width + 1)), dtype=np.int32)
    for part in cells:  # one pass per cell size
        k = part.size
        di, dj = np.divmod(np.arange(k * k), k)
        g = np.repeat(slot[part.group], k * k)
        col = (part.col[:, None] * k + di).ravel() - col0[g]
        row = (part.row[:, None] * k + dj).ravel() - row0[g]
        if col.size and (min(col.min(), row.min()) < 0 or max(col.max(), row.max()) >= width):
            raise AssertionError("a rescue-circle cell lies outside its AED's tile")
        tile_row, tile_col = np.divmod(g, side)
        mosaic[tile_row * (width + 1) + row, tile_col * (width + 1) + col] = g + 1
    found = [(geom["coordinates"], value) for geom, value in
             shapes(mosaic, mask=mosaic > 0, connectivity=4)]
    polygons = np.full(n, shapely.Polygon(), dtype=object)
    if not found:
        return polygons
    owner = np.array([int(value) - 1 for _, value in found])
    rings = [ring for coords, _ in found for ring in coords]
    ring_part = np.repeat(np.arange(len(found)), [len(coords) for coords, _ in found])
    size = np.array([len(r) for r in rings])
    xy = np.fromiter(chain.from_iterable(chain.from_iterable(rings)), dtype=float,
                     count=2 * int(size.sum())).reshape(-1, 2)
    ring = np.repeat(np.arange(len(rings)), size)
    # from the mosaic's pixels back to the AEDs' cells, in metres
    g = owner[ring_part[ring]]
    tile_row, tile_col = np.divmod(g, side)
    xy[:, 0] = (xy[:, 0] - tile_col * (width + 1) + col0[g]) * res
    xy[:, 1] = (xy[:, 1] - tile_row * (width + 1) + row0[g]) * res
    parts = shapely.polygons(shapely.linearrings(xy, indices=ring), indices=ring_part)
    order = np.argsort(owner, kind="stable")
    owner, parts = owner[order], parts[order]
    many = np.bincount(owner, minlength=n) > 1
    single = ~many[owner]
    polygons[owner[single]] = parts[single]
    if many.any():
        polygons[many] = shapely.multipolygons(parts[~single],
                                               indices=np.unique(owner[~single],
                                                                 return_inverse=True)[1])
    return polygons
