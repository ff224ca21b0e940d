"""Rescue circles: the places each AED reaches in time, as polygons along the streets.

A place is inside an AED's circle iff a patient there is reached within the budget
under the time model. The circle is evaluated on a lattice of places ``resolution_m``
apart, each snapped with :func:`aedplan.snapping.snap` and timed with
:func:`aedplan.reach.pair_times`: the same snapper and the same time code as coverage,
so the boundary is exact to within one lattice cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from . import _results, _validate
from .network import WalkNetwork
from .reach import pair_times, source_node_reach
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


def _lattice(sx: np.ndarray, sy: np.ndarray, reach: float, res: float) -> tuple[np.ndarray, ...]:
    """Every cell of a global ``res``-metre lattice whose centre lies within ``reach +
    res`` of an AED, once: its integer coordinates and centre. (A place reached in time
    is at most ``reach`` metres from the AED in a straight line.)"""
    gx0 = int(np.floor((sx.min() - reach) / res))
    gy0 = int(np.floor((sy.min() - reach) / res))
    x0 = np.floor((sx - reach) / res).astype(np.int64) - gx0
    x1 = np.floor((sx + reach) / res).astype(np.int64) - gx0
    y0 = np.floor((sy - reach) / res).astype(np.int64) - gy0
    y1 = np.floor((sy + reach) / res).astype(np.int64) - gy0
    height = int(y1.max()) + 1
    nx_, ny_ = x1 - x0 + 1, y1 - y0 + 1
    per = nx_ * ny_
    owner = np.repeat(np.arange(sx.shape[0]), per)
    k = np.arange(owner.shape[0]) - np.repeat(np.cumsum(per) - per, per)
    gx = x0[owner] + k % nx_[owner]
    gy = y0[owner] + k // nx_[owner]
    near = np.hypot((gx + gx0 + 0.5) * res - sx[owner], (gy + gy0 + 0.5) * res - sy[owner])
    near = near <= reach + res
    # each cell once: an occupancy mask over the lattice (sorted, no hashing)
    mask = np.zeros((int(x1.max()) + 1) * height, dtype=bool)
    mask[gx[near] * height + gy[near]] = True
    key = np.flatnonzero(mask)
    cx, cy = key // height + gx0, key % height + gy0
    return cx, cy, np.column_stack([(cx + 0.5) * res, (cy + 0.5) * res])


def _street_circles(
    net: WalkNetwork, src: Snapped, use: np.ndarray, model: TimeModel, res: float
) -> tuple[Any, shapely.Geometry]:
    if use.size == 0:
        return _frame(net, src, use, np.zeros(0), []), shapely.Polygon()
    reach = model.reach_m
    cx, cy, centres = _lattice(src.x[use], src.y[use], reach, res)
    # the places, snapped as coverage snaps demand (a place farther than the reach from
    # every street is never reached, so the search stops there)
    places = snap(
        net, centres, max_snap_m=min(DEFAULT_MAX_SNAP_M, reach), strict=False, warn_far=False
    )
    s_idx, t_idx, secs = pair_times(net, src, places, model=model)
    max_s = np.zeros(len(src))
    np.maximum.at(max_s, s_idx, secs)
    run_aed, runs = _row_runs(s_idx, cx[t_idx], cy[t_idx], res)
    polygons = np.full(len(src), shapely.Polygon(), dtype=object)
    if run_aed.size:
        group = np.cumsum(np.r_[True, run_aed[1:] != run_aed[:-1]]) - 1
        polygons[run_aed[np.r_[True, run_aed[1:] != run_aed[:-1]]]] = _merge_runs(runs, group)
    polygons = polygons[use]
    # drop the collinear vertices of the lattice staircase without moving the boundary
    polygons = shapely.simplify(polygons, 0.0)
    union = shapely.simplify(shapely.union_all(polygons), 0.0) if use.size else shapely.Polygon()
    return _frame(net, src, use, max_s[use], polygons), union
