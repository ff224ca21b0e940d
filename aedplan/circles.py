"""Rescue circles: the places each AED reaches in time, as polygons along the streets.

A place is inside an AED's circle iff a patient there is reached within the budget
under the time model. The circle is evaluated on a lattice of places ``resolution_m``
apart, each snapped with :func:`aedplan.snapping.snap` and timed with
:func:`aedplan.reach.pair_chunks`: the same snapper and the same time code as coverage,
so the boundary is exact to within one lattice cell.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from . import _memory, _results, _validate
from .errors import AedplanWarning
from .network import WalkNetwork
from .reach import expand, pair_chunks, source_node_reach
from .snapping import DEFAULT_MAX_SNAP_M, Snapped, snap, snapped
from .timemodel import TimeModel, resolve

__all__ = ["RescueCircles", "rescue_circles"]


@dataclass(frozen=True, eq=False)
class RescueCircles:
    """One rescue-circle polygon per AED and the union of them all.

    Attributes
    ----------
    circles
        GeoDataFrame in the network's CRS, one row per AED that reached a street:
        ``aed`` (row of the AEDs given), ``id``, ``area_m2``, ``max_s`` (rescue time to
        the farthest place covered) and the polygon.
    union
        The union of all circles (a shapely geometry in the network's CRS).
    model
        The time model.
    method
        ``"streets"`` or ``"convex"``.
    """

    circles: Any
    union: shapely.Geometry
    model: TimeModel
    method: str

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
    model, minutes, mode, speed_m_s
        The time model (default 4 minutes, round trip, 1.4 m/s).
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
    _validate.one_of(method, "method", {
        "streets": "exact, follows the time model",
        "convex": "the tutorial recipe, for comparison",
    })
    resolution_m = _validate.positive(resolution_m, "resolution_m")
    src = snapped(net, aeds, "aeds")
    use = np.flatnonzero(src.ok)
    if method == "convex":
        out = _convex_circles(net, src, use, model)
        union = shapely.union_all(out.geometry.to_numpy()) if len(out) else shapely.Polygon()
    else:
        out, union = _street_circles(net, src, use, model, resolution_m)
    out["area_m2"] = out.geometry.area
    out = out[["aed", "id", "area_m2", "max_s", "geometry"]]
    return RescueCircles(out, union, model, method)


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


def _row_runs(
    group: np.ndarray, cx: np.ndarray, cy: np.ndarray, res: float
) -> tuple[np.ndarray, np.ndarray]:
    """Lattice cells merged into one rectangle per horizontal run of cells, per group."""
    if group.size == 0:
        return group, np.empty(0, dtype=object)
    order = np.lexsort((cx, cy, group))
    g, x, y = group[order], cx[order], cy[order]
    start = np.ones(g.shape[0], dtype=bool)
    start[1:] = (g[1:] != g[:-1]) | (y[1:] != y[:-1]) | (x[1:] != x[:-1] + 1)
    first = np.flatnonzero(start)
    last = np.r_[first[1:] - 1, g.shape[0] - 1]
    boxes = shapely.box(x[first] * res, y[first] * res, (x[last] + 1) * res, (y[first] + 1) * res)
    return g[first], boxes


def _merge_runs(runs: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One polygon per group (0..k-1, sorted) from its runs, which never overlap.

    Each group's runs become one MultiPolygon and a zero-width buffer dissolves the shared
    edges, for all groups in one vectorised call. The runs of a group are disjoint, so the
    dissolved area must equal the sum of theirs; a group where it does not is merged again
    with a full union.
    """
    merged = shapely.buffer(shapely.multipolygons(runs, indices=group), 0.0)
    expected = np.bincount(group, weights=shapely.area(runs))
    bad = np.flatnonzero(~np.isclose(shapely.area(merged), expected, rtol=1e-9, atol=1e-6))
    if bad.size:
        redo = np.isin(group, bad)
        rank = np.arange(group.shape[0]) - np.searchsorted(group, group)
        table = np.full((group.max() + 1, rank.max() + 1), None, dtype=object)
        table[group[redo], rank[redo]] = runs[redo]
        merged[bad] = shapely.union_all(table[bad], axis=1)
    return merged


#: Rescue circles are drawn from at most this many (AED, place) pairs, about half a
#: minute of work; past it (budgets far above a rescue circle's few minutes) the
#: lattice is made coarser, with a warning.
_MAX_PAIRS = 40_000_000
#: Memory per lattice place while it is snapped with its links (167 B measured on
#: Vaduz-Schaan, rounded up for the lattice arrays beside it).
_PLACE_BYTES = 250


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
    :data:`_MAX_PAIRS` pairs or more memory than is spare."""
    _, lo, hi = _row_intervals(sx, sy, reach, res, extent)
    pairs = float((hi - lo + 1).sum())
    places = min(pairs, float(np.prod(np.maximum(extent[2:] - extent[:2], res) / res)))
    room = _memory.spare_bytes() / 4
    factor = max(1.0, np.sqrt(pairs / _MAX_PAIRS), np.sqrt(places * _PLACE_BYTES / room))
    return res if factor == 1.0 else float(np.ceil(res * factor))


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


def _street_circles(
    net: WalkNetwork, src: Snapped, use: np.ndarray, model: TimeModel, res: float
) -> tuple[Any, shapely.Geometry]:
    if use.size == 0:
        return _frame(net, src, use, np.zeros(0), []), shapely.Polygon()
    reach = model.reach_m
    # the places, snapped as coverage snaps demand (a place farther than the reach from
    # every street is never reached, so the search stops there)
    max_snap_m = min(DEFAULT_MAX_SNAP_M, reach)
    extent = shapely.total_bounds(net.edge_geometry) + np.array([-1, -1, 1, 1]) * max_snap_m
    step = _lattice_step(src.x[use], src.y[use], reach, res, extent)
    if step != res:
        warnings.warn(
            f"the rescue circles are drawn on a {step:g} m lattice, not {res:g} m, so that "
            f"{use.size:,} circles of {model.budget_s / 60:g} minutes fit in time and "
            f"memory; their edges are exact to {step:g} m.",
            AedplanWarning,
            stacklevel=3,
        )
        res = step
    cx, cy, centres = _lattice(src.x[use], src.y[use], reach, res, extent)
    places = snap(net, centres, max_snap_m=max_snap_m, strict=False, warn_far=False)
    max_s = np.zeros(len(src))
    polygons = np.full(len(src), shapely.Polygon(), dtype=object)
    # a chunk of AEDs at a time: each AED's pairs become its polygon before the next
    for s_idx, t_idx, secs, _ in pair_chunks(net, src, places, model=model):
        np.maximum.at(max_s, s_idx, secs)
        run_aed, runs = _row_runs(s_idx, cx[t_idx], cy[t_idx], res)
        if run_aed.size:
            new = np.r_[True, run_aed[1:] != run_aed[:-1]]
            polygons[run_aed[new]] = _merge_runs(runs, np.cumsum(new) - 1)
    polygons = polygons[use]
    # drop the collinear vertices of the lattice staircase without moving the boundary
    polygons = shapely.simplify(polygons, 0.0)
    union = shapely.simplify(shapely.union_all(polygons), 0.0) if use.size else shapely.Polygon()
    return _frame(net, src, use, max_s[use], polygons), union
