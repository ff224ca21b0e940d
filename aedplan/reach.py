"""Snapping, walking times and rescue circles along the real streets.

The time model (see :class:`TimeModel`): a rescuer walks at ``speed_m_s``; in
``round-trip`` mode they fetch the AED and come back, so every metre walked counts
twice; in ``one-way`` mode the AED is carried from its site to the patient. An AED's
``access_s`` (opening a cabinet, climbing floors) is added to its time. Walking from
a point to the nearest point of the nearest street counts at the same speed.

Internally every distance is in *one-way metres*: ``rescue_s = factor * metres /
speed_m_s`` with ``factor`` 2 (round trip) or 1 (one way), and an AED's access time
becomes ``access_s * speed_m_s / factor`` metres.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

import numpy as np
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from . import _validate
from .errors import AedplanWarning, InputError
from .network import WalkNetwork

__all__ = [
    "ReachTimes",
    "RescueCircles",
    "Snapped",
    "TimeModel",
    "concat_snapped",
    "pair_times",
    "reach_times",
    "rescue_circles",
    "snap",
]

DEFAULT_MAX_SNAP_M = 200.0


@dataclass(frozen=True)
class TimeModel:
    """The rescue-circle time model.

    ``reach_m`` is how far along the streets an AED reaches with no off-street walk
    and no access time: 168 m with the defaults (4 min, round trip, 1.4 m/s).
    """

    minutes: float = 4.0
    mode: str = "round-trip"
    speed_m_s: float = 1.4

    def __post_init__(self) -> None:
        _validate.time_model(self.minutes, self.mode, self.speed_m_s)

    @property
    def budget_s(self) -> float:
        return float(self.minutes) * 60.0

    @property
    def factor(self) -> float:
        return 2.0 if self.mode == "round-trip" else 1.0

    @property
    def reach_m(self) -> float:
        return self.metres(self.budget_s)

    def metres(self, seconds: Any) -> Any:
        """Rescue seconds -> one-way metres."""
        return np.asarray(seconds, dtype=float) * self.speed_m_s / self.factor

    def seconds(self, metres: Any) -> Any:
        """One-way metres -> rescue seconds."""
        return np.asarray(metres, dtype=float) * self.factor / self.speed_m_s


def _model(minutes: Any, mode: Any, speed_m_s: Any) -> TimeModel:
    return TimeModel(*_validate.time_model(minutes, mode, speed_m_s))


# --------------------------------------------------------------------------- snapping


@dataclass(frozen=True)
class Snapped:
    """Points placed on the nearest point of the nearest street edge.

    ``edge`` is ``-1`` for points farther than ``max_snap_m`` from every street; they
    take no part in reach or coverage. ``position_m`` runs along the edge geometry
    from its ``u`` end; ``offset_m`` is the straight walk from the point to the street.
    """

    edge: np.ndarray
    position_m: np.ndarray
    offset_m: np.ndarray
    x: np.ndarray
    y: np.ndarray
    access_s: np.ndarray
    ids: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        return self.edge >= 0

    def __len__(self) -> int:
        return int(self.edge.shape[0])

    def take(self, index: Any) -> Snapped:
        """The points at ``index`` (positions), as a new :class:`Snapped`."""
        idx = np.asarray(index, dtype=np.int64)
        return Snapped(*(getattr(self, f.name)[idx] for f in fields(self)))


def concat_snapped(*parts: Snapped) -> Snapped:
    """Several :class:`Snapped` sets as one, in order (e.g. existing + proposed AEDs)."""
    return Snapped(
        *(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Snapped))
    )


def _xy(net: WalkNetwork, points: Any, argument: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates of ``points`` in the network CRS, and their ids."""
    if hasattr(points, "geometry") and hasattr(points, "crs"):
        _validate.has_crs(points, argument)
        geom = points.geometry
        if not (geom.geom_type == "Point").all():
            geom = geom.representative_point()
        geom = geom.to_crs(net.crs)
        ids = points["id"].to_numpy() if "id" in points.columns else points.index.to_numpy()
        return geom.x.to_numpy(dtype=float), geom.y.to_numpy(dtype=float), ids
    try:
        arr = np.asarray(points, dtype=float)
    except (TypeError, ValueError):
        arr = np.zeros((0,))
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise InputError(
            f"`{argument}`: expected a GeoDataFrame of points or an (n, 2) array of x/y in "
            f"the network CRS, got {type(points).__name__}"
            + (f" of shape {arr.shape}." if arr.size else ".")
        )
    return arr[:, 0], arr[:, 1], np.arange(arr.shape[0])


def snap(
    net: WalkNetwork,
    points: Any,
    *,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    access_s: Any = None,
    argument: str = "points",
    strict: bool = True,
) -> Snapped:
    """Snap points onto the nearest point of the nearest street edge (vectorised).

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
    access_s
        Seconds added to each point's rescue time when it is a source (an AED's
        cabinet or floors): a scalar or an array; by default the ``access_s`` column
        of ``points`` when there is one, else 0.
    argument
        Name used for ``points`` in messages (``"aeds"``, ``"demand"``...).
    strict
        Raise when most points are out of reach of the streets (set False for demand
        grids that are expected to include far points).
    """
    max_snap_m = _validate.positive(max_snap_m, "max_snap_m")
    x, y, ids = _xy(net, points, argument)
    n = x.shape[0]
    if access_s is None and hasattr(points, "columns") and "access_s" in points.columns:
        access_s = points["access_s"].to_numpy(dtype=float)
    acc = np.zeros(n) if access_s is None else np.broadcast_to(
        np.asarray(access_s, dtype=float), (n,)
    ).copy()
    if np.any(~np.isfinite(acc) | (acc < 0)):
        bad = ids[~np.isfinite(acc) | (acc < 0)][:5]
        raise InputError(
            f"`{argument}`: access_s must be a non-negative number of seconds; bad values at "
            f"ids {', '.join(map(str, bad))}."
        )
    if n == 0:
        empty = np.zeros(0)
        return Snapped(np.zeros(0, dtype=np.int64), empty, empty, empty, empty, empty, ids)
    pts = shapely.points(x, y)
    idx, dist = net.edge_tree.query_nearest(
        pts, max_distance=max_snap_m, return_distance=True, all_matches=False
    )
    edge = np.full(n, -1, dtype=np.int64)
    offset = np.full(n, np.inf)
    edge[idx[0]] = idx[1]
    offset[idx[0]] = dist
    found = edge >= 0
    position = np.zeros(n)
    position[found] = shapely.line_locate_point(net.edge_geometry[edge[found]], pts[found])
    on = shapely.line_interpolate_point(net.edge_geometry[edge[found]], position[found])
    sx, sy = x.copy(), y.copy()
    sx[found], sy[found] = shapely.get_x(on), shapely.get_y(on)
    far = offset > max_snap_m
    if far.any():
        n_far = int(far.sum())
        listed = ", ".join(map(str, ids[far][:10])) + (" ..." if n_far > 10 else "")
        if strict and n_far > n / 2:
            raise InputError(
                f"`{argument}`: {n_far} of {n} points are more than {max_snap_m:g} m from any "
                f"street of the network (ids {listed}). Are lon/lat swapped, are the "
                "coordinates in another datum (GCJ-02/BD-09: pass --datum or datum=), or do the "
                "points "
                "lie outside the network's area?"
            )
        warnings.warn(
            f"`{argument}`: {n_far} of {n} points are more than {max_snap_m:g} m from any "
            f"street and are left out of coverage (ids {listed}).",
            AedplanWarning,
            stacklevel=2,
        )
        edge[far] = -1
    position = np.clip(position, 0.0, net.edge_length_m[np.maximum(edge, 0)])
    return Snapped(
        edge=edge,
        position_m=np.where(edge >= 0, position, 0.0),
        offset_m=np.where(edge >= 0, offset, np.inf),
        x=sx,
        y=sy,
        access_s=acc,
        ids=ids,
    )


def _as_snapped(net: WalkNetwork, points: Any, argument: str) -> Snapped:
    if isinstance(points, Snapped):
        return points
    return snap(net, points, argument=argument)


# --------------------------------------------------------------------------- nearest source


@dataclass(frozen=True)
class ReachTimes:
    """Rescue time (seconds) from the nearest source; ``np.inf`` beyond the budget.

    ``node_s`` / ``node_source`` for every network node, ``target_s`` /
    ``target_source`` for every target point (source index, ``-1`` when unreached).
    """

    node_s: np.ndarray
    node_source: np.ndarray
    target_s: np.ndarray
    target_source: np.ndarray
    model: TimeModel


def _source_offsets(
    net: WalkNetwork, src: Snapped, model: TimeModel
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For usable sources: index, start metres (access + off-street) and the edge."""
    use = np.flatnonzero(src.ok)
    start = model.metres(src.access_s[use]) + src.offset_m[use]
    return use, start, src.edge[use], src.position_m[use]


def reach_times(
    net: WalkNetwork,
    sources: Any,
    targets: Any = None,
    *,
    minutes: float = 4.0,
    mode: str = "round-trip",
    speed_m_s: float = 1.4,
    limit_s: float | None = None,
) -> ReachTimes:
    """Rescue time from the nearest source to every node and every target.

    One multi-source Dijkstra (``scipy.sparse.csgraph``, ``min_only=True``) with a
    limit, on the street graph plus one virtual node per source joined to both ends
    of its edge; targets are then finished exactly along their own edge, including a
    source and a target on the same edge.

    Parameters
    ----------
    net
        The walk network.
    sources
        AEDs: a :class:`Snapped`, a GeoDataFrame or an ``(n, 2)`` array in ``net.crs``.
    targets
        Optional patient locations, the same kinds as ``sources``.
    minutes, mode, speed_m_s
        The time model (:class:`TimeModel`).
    limit_s
        Search limit in rescue seconds (default: the budget, ``minutes * 60``).
        Times above it are ``np.inf``.
    """
    model = _model(minutes, mode, speed_m_s)
    limit_s = model.budget_s if limit_s is None else _validate.positive(limit_s, "limit_s")
    limit_m = float(model.metres(limit_s))
    src = _as_snapped(net, sources, "sources")
    use, start, s_edge, s_pos = _source_offsets(net, src, model)
    n, k = net.n_nodes, use.shape[0]
    node_m = np.full(n, np.inf)
    node_src = np.full(n, -1, dtype=np.int64)
    if k:
        length = net.edge_length_m[s_edge]
        rows = np.r_[np.arange(k), np.arange(k)] + n
        cols = np.r_[net.edge_u[s_edge], net.edge_v[s_edge]]
        w = np.maximum(np.r_[start + s_pos, start + length - s_pos], 1e-12)
        g = net._cache.get("coo")
        if g is None:
            g = net._cache["coo"] = net.graph.tocoo()
        aug = sparse.csr_matrix(
            (np.r_[g.data, w], (np.r_[g.row, rows], np.r_[g.col, cols])),
            shape=(n + k, n + k),
        )
        dist, _, origin = csgraph.dijkstra(
            aug,
            directed=True,
            indices=np.arange(n, n + k),
            min_only=True,
            limit=limit_m,
            return_predecessors=True,
        )
        node_m = dist[:n]
        reached = np.isfinite(node_m)
        node_src[reached] = use[origin[:n][reached] - n]
    node_s = np.where(np.isfinite(node_m), model.seconds(node_m), np.inf)
    if targets is None:
        return ReachTimes(node_s, node_src, np.zeros(0), np.zeros(0, dtype=np.int64), model)
    tgt = _as_snapped(net, targets, "targets")
    t_m = np.full(len(tgt), np.inf)
    t_src = np.full(len(tgt), -1, dtype=np.int64)
    ok = np.flatnonzero(tgt.ok)
    if ok.size and k:
        e = tgt.edge[ok]
        pos = tgt.position_m[ok]
        length = net.edge_length_m[e]
        via_u = node_m[net.edge_u[e]] + pos
        via_v = node_m[net.edge_v[e]] + (length - pos)
        best = np.minimum(via_u, via_v)
        who = np.where(via_u <= via_v, node_src[net.edge_u[e]], node_src[net.edge_v[e]])
        # a source on the target's own edge walks straight along it
        ti, si, direct = _same_edge_pairs(e, pos, s_edge, s_pos, start)
        if ti.size:
            order = np.lexsort((direct, ti))
            ti, si, direct = ti[order], si[order], direct[order]
            first = np.r_[True, ti[1:] != ti[:-1]]
            ti, si, direct = ti[first], si[first], direct[first]
            better = direct < best[ti]
            best[ti[better]] = direct[better]
            who[ti[better]] = use[si[better]]
        total = best + tgt.offset_m[ok]
        inside = total <= limit_m + 1e-9
        t_m[ok[inside]] = total[inside]
        t_src[ok[inside]] = who[inside]
    target_s = np.where(np.isfinite(t_m), model.seconds(t_m), np.inf)
    return ReachTimes(node_s, node_src, target_s, t_src, model)


def _same_edge_pairs(
    t_edge: np.ndarray,
    t_pos: np.ndarray,
    s_edge: np.ndarray,
    s_pos: np.ndarray,
    s_start: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (target, source) pair on the same edge, with the direct metres between."""
    order = np.argsort(s_edge, kind="stable")
    se = s_edge[order]
    lo = np.searchsorted(se, t_edge, side="left")
    hi = np.searchsorted(se, t_edge, side="right")
    count = hi - lo
    ti = np.repeat(np.arange(t_edge.shape[0]), count)
    if ti.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    within = np.arange(ti.shape[0]) - np.repeat(np.cumsum(count) - count, count)
    si = order[lo[ti] + within]
    direct = s_start[si] + np.abs(t_pos[ti] - s_pos[si])
    return ti, si, direct


# --------------------------------------------------------------------------- per-source reach


def _bounded_search(
    graph: sparse.csr_matrix,
    seed_source: np.ndarray,
    seed_node: np.ndarray,
    seed_m: np.ndarray,
    limit_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shortest metres from every source to every node within ``limit_m``.

    A label-correcting search run for all sources at once on arrays: each round
    relaxes the edges out of the (source, node) pairs improved in the round before.
    Work is proportional to what the sources reach, not to the network's size.
    Returns ``(source, node, metres)`` triples, one per reached pair.
    """
    n = graph.shape[0]
    indptr, indices, data = graph.indptr, graph.indices, graph.data
    keep = seed_m <= limit_m
    keys = seed_source[keep].astype(np.int64) * n + seed_node[keep]
    dist = seed_m[keep].astype(float)
    keys, dist = _min_by_key(keys, dist)
    best_keys, best_d = keys, dist
    frontier_keys, frontier_d = keys, dist
    while frontier_keys.size:
        node = frontier_keys % n
        start = indptr[node]
        count = indptr[node + 1] - start
        rep = np.repeat(np.arange(node.shape[0]), count)
        within = np.arange(rep.shape[0]) - np.repeat(np.cumsum(count) - count, count)
        slot = start[rep] + within
        nd = frontier_d[rep] + data[slot]
        ok = nd <= limit_m
        cand_keys = (frontier_keys[rep[ok]] // n) * n + indices[slot[ok]]
        cand_keys, cand_d = _min_by_key(cand_keys, nd[ok])
        at = np.searchsorted(best_keys, cand_keys)
        at_c = np.minimum(at, best_keys.shape[0] - 1)
        found = best_keys[at_c] == cand_keys
        improved = ~found | (cand_d < best_d[at_c])
        upd = found & improved
        best_d[at_c[upd]] = cand_d[upd]
        new = ~found
        if new.any():
            merged_keys = np.r_[best_keys, cand_keys[new]]
            merged_d = np.r_[best_d, cand_d[new]]
            order = np.argsort(merged_keys, kind="stable")
            best_keys, best_d = merged_keys[order], merged_d[order]
        frontier_keys, frontier_d = cand_keys[improved], cand_d[improved]
    return best_keys // n, best_keys % n, best_d


def _min_by_key(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys with the smallest value of each."""
    if keys.size == 0:
        return keys, values
    order = np.argsort(keys)
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.minimum.reduceat(values, starts)


def source_node_reach(
    net: WalkNetwork, sources: Snapped, model: TimeModel, *, limit_m: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-source reach: ``(source, node, metres)`` for every node each source reaches
    within ``limit_m`` one-way metres (default: the time budget)."""
    limit_m = model.reach_m if limit_m is None else limit_m
    use, start, s_edge, s_pos = _source_offsets(net, sources, model)
    seed_source = np.r_[use, use]
    seed_node = np.r_[net.edge_u[s_edge], net.edge_v[s_edge]]
    seed_m = np.r_[start + s_pos, start + net.edge_length_m[s_edge] - s_pos]
    return _bounded_search(net.graph, seed_source, seed_node, seed_m, limit_m)


def pair_times(
    net: WalkNetwork,
    sources: Snapped,
    targets: Snapped,
    *,
    model: TimeModel,
    limit_s: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (source, target) pair within the limit and its rescue time in seconds.

    Built from the per-source bounded search: a target is reached through either end
    of its edge, or straight along the edge from a source on the same edge. Returns
    ``(source_index, target_index, rescue_s)``, each pair once, in no set order.
    """
    limit_s = model.budget_s if limit_s is None else limit_s
    limit_m = float(model.metres(limit_s))
    s_idx, node, metres = source_node_reach(net, sources, model, limit_m=limit_m)
    ok_t = np.flatnonzero(targets.ok)
    t_edge = targets.edge[ok_t]
    # targets grouped by edge
    order = np.argsort(t_edge, kind="stable")
    t_sorted = ok_t[order]
    e_sorted = t_edge[order]
    m = net.n_edges
    t_start = np.searchsorted(e_sorted, np.arange(m), side="left")
    t_count = np.searchsorted(e_sorted, np.arange(m), side="right") - t_start
    # node -> incident edges (and which end the node is)
    inc_node = np.r_[net.edge_u, net.edge_v]
    inc_edge = np.r_[np.arange(m), np.arange(m)]
    inc_is_v = np.r_[np.zeros(m, dtype=bool), np.ones(m, dtype=bool)]
    inc_order = np.argsort(inc_node, kind="stable")
    inc_node, inc_edge, inc_is_v = inc_node[inc_order], inc_edge[inc_order], inc_is_v[inc_order]
    inc_start = np.searchsorted(inc_node, np.arange(net.n_nodes), side="left")
    inc_count = np.searchsorted(inc_node, np.arange(net.n_nodes), side="right") - inc_start
    # (source, node) -> (source, incident edge)
    c1 = inc_count[node]
    r1 = np.repeat(np.arange(node.shape[0]), c1)
    w1 = np.arange(r1.shape[0]) - np.repeat(np.cumsum(c1) - c1, c1)
    slot1 = inc_start[node[r1]] + w1
    pe = inc_edge[slot1]
    pv = inc_is_v[slot1]
    ps = s_idx[r1]
    pm = metres[r1]
    # drop edges that hold no target
    has = t_count[pe] > 0
    pe, pv, ps, pm = pe[has], pv[has], ps[has], pm[has]
    # (source, edge) -> (source, target on edge)
    c2 = t_count[pe]
    r2 = np.repeat(np.arange(pe.shape[0]), c2)
    w2 = np.arange(r2.shape[0]) - np.repeat(np.cumsum(c2) - c2, c2)
    tgt = t_sorted[t_start[pe[r2]] + w2]
    pos = targets.position_m[tgt]
    along = np.where(pv[r2], net.edge_length_m[pe[r2]] - pos, pos)
    total = pm[r2] + along + targets.offset_m[tgt]
    keep = total <= limit_m + 1e-9
    src_all, tgt_all, m_all = ps[r2][keep], tgt[keep], total[keep]
    # sources on the target's own edge
    use, start, s_edge, s_pos = _source_offsets(net, sources, model)
    ti, si, direct = _same_edge_pairs(t_edge, targets.position_m[ok_t], s_edge, s_pos, start)
    if ti.size:
        direct = direct + targets.offset_m[ok_t[ti]]
        keep = direct <= limit_m + 1e-9
        src_all = np.r_[src_all, use[si[keep]]]
        tgt_all = np.r_[tgt_all, ok_t[ti[keep]]]
        m_all = np.r_[m_all, direct[keep]]
    key = src_all.astype(np.int64) * max(len(targets), 1) + tgt_all
    key, m_all = _min_by_key(key, m_all)
    n_t = max(len(targets), 1)
    return key // n_t, key % n_t, model.seconds(m_all)


# --------------------------------------------------------------------------- circles


class RescueCircles(NamedTuple):
    """One rescue-circle polygon per AED (a GeoDataFrame) and the union of them all."""

    circles: Any
    union: shapely.Geometry


def rescue_circles(
    net: WalkNetwork,
    aeds: Any,
    *,
    minutes: float = 4.0,
    mode: str = "round-trip",
    speed_m_s: float = 1.4,
    method: str = "streets",
    resolution_m: float = 5.0,
) -> RescueCircles:
    """Rescue circles that follow the streets: where a patient is reached in time.

    With ``method="streets"`` (the default) a place is inside an AED's circle iff a
    patient there is reached within ``minutes`` under the time model: the reached
    street portions, cut at the exact point along partly reached edges, widened by
    the time left for the walk from the street, and with holes where blocks are out
    of reach. The area is evaluated on a ``resolution_m`` grid of patient locations
    with the same code as coverage, so the boundary is exact to within one grid cell
    (``resolution_m``, 5 m by default).

    ``method="convex"`` is the common tutorial recipe (the convex hull of the street
    nodes reached), kept for comparison only: it ignores partly reached edges and the
    walk off the street, and fills every hole.

    Returns
    -------
    RescueCircles
        ``circles``: GeoDataFrame in ``net.crs`` with ``aed`` (row of ``aeds``),
        ``id``, ``area_m2``, ``max_s`` (rescue time to the farthest covered place) and
        the polygon; ``union``: their union.
    """
    import geopandas as gpd

    model = _model(minutes, mode, speed_m_s)
    if method not in ("streets", "convex"):
        raise InputError(
            f"`method` must be 'streets' (exact, follows the time model) or 'convex' (the "
            f"tutorial recipe, for comparison), got {method!r}."
        )
    resolution_m = _validate.positive(resolution_m, "resolution_m")
    src = _as_snapped(net, aeds, "aeds")
    use = np.flatnonzero(src.ok)
    if method == "convex":
        s, node, metres = source_node_reach(net, src, model)
        pts = shapely.points(net.x[node], net.y[node])
        own = shapely.points(src.x[use], src.y[use])
        groups = np.r_[s, use]
        geoms = np.r_[pts, own]
        frame = gpd.GeoDataFrame({"aed": groups}, geometry=geoms, crs=net.crs)
        hull = frame.dissolve(by="aed").convex_hull
        max_s = (
            gpd.GeoDataFrame({"aed": s, "t": model.seconds(metres)})
            .groupby("aed")["t"]
            .max()
        )
        polys = hull.reindex(use)
        out = gpd.GeoDataFrame(
            {
                "aed": use,
                "id": src.ids[use],
                "max_s": max_s.reindex(use).fillna(0.0).to_numpy(),
            },
            geometry=polys.to_numpy(),
            crs=net.crs,
        )
        union = shapely.union_all(out.geometry.to_numpy()) if len(out) else shapely.Polygon()
    else:
        out, union = _street_circles(net, src, use, model, resolution_m)
    out["area_m2"] = out.geometry.area
    out = out[["aed", "id", "area_m2", "max_s", "geometry"]]
    return RescueCircles(out, union)


def _snap_grid(
    net: WalkNetwork, xy: np.ndarray, *, max_snap_m: float, spacing_m: float, edges: np.ndarray
) -> Snapped:
    """Snap many grid points at once onto the streets ``edges`` (indices) and any street
    near them.

    The streets are sampled every ``spacing_m``; a k-d tree finds each point's nearest
    sample and the point is projected onto the two short segments beside it. The edge
    found may be up to ``spacing_m / 2`` farther than the nearest one, well inside a
    grid cell; position along it and distance from it are exact for that segment.
    """
    from scipy.spatial import cKDTree

    dense = shapely.segmentize(net.edge_geometry[edges], spacing_m)
    coords, which = shapely.get_coordinates(dense, return_index=True)
    edge_of = edges[which]
    step = np.hypot(np.diff(coords[:, 0]), np.diff(coords[:, 1]))
    same = which[1:] == which[:-1]
    step = np.where(same, step, 0.0)
    along = np.r_[0.0, np.cumsum(step)]
    first = np.r_[True, ~same]
    along -= np.maximum.accumulate(np.where(first, along, 0.0))
    n = xy.shape[0]
    edge = np.full(n, -1, dtype=np.int64)
    position = np.zeros(n)
    offset = np.full(n, np.inf)
    if coords.shape[0]:
        _, at = cKDTree(coords).query(xy, distance_upper_bound=max_snap_m + spacing_m)
        found = at < coords.shape[0]
        i = at[found]
        p = xy[found]
        best_d = np.full(i.shape[0], np.inf)
        best_pos = np.zeros(i.shape[0])
        for a in (i - 1, i):  # the segments before and after the nearest sample
            b = a + 1
            ok = (a >= 0) & (b < coords.shape[0])
            a_c, b_c = np.clip(a, 0, coords.shape[0] - 1), np.clip(b, 0, coords.shape[0] - 1)
            ok &= which[a_c] == which[b_c]
            d_ab = coords[b_c] - coords[a_c]
            length2 = np.maximum((d_ab**2).sum(axis=1), 1e-18)
            t = np.clip(((p - coords[a_c]) * d_ab).sum(axis=1) / length2, 0.0, 1.0)
            q = coords[a_c] + t[:, None] * d_ab
            d = np.hypot(p[:, 0] - q[:, 0], p[:, 1] - q[:, 1])
            better = ok & (d < best_d)
            best_d[better] = d[better]
            best_pos[better] = along[a_c[better]] + t[better] * np.sqrt(length2[better])
        lone = ~np.isfinite(best_d)  # an edge sampled at one point only
        best_d[lone] = np.hypot(*(p[lone] - coords[i[lone]]).T)
        best_pos[lone] = along[i[lone]]
        edge[found] = edge_of[i]
        position[found] = np.clip(best_pos, 0.0, net.edge_length_m[edge_of[i]])
        offset[found] = best_d
    far = offset > max_snap_m
    edge[far] = -1
    return Snapped(
        edge=edge,
        position_m=np.where(edge >= 0, position, 0.0),
        offset_m=np.where(edge >= 0, offset, np.inf),
        x=xy[:, 0].copy(),
        y=xy[:, 1].copy(),
        access_s=np.zeros(n),
        ids=np.arange(n),
    )


def _row_runs(
    group: np.ndarray, cx: np.ndarray, cy: np.ndarray, res: float
) -> tuple[np.ndarray, np.ndarray]:
    """Grid cells merged into one rectangle per horizontal run of cells, per group."""
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


def _street_circles(
    net: WalkNetwork, src: Snapped, use: np.ndarray, model: TimeModel, res: float
):
    import geopandas as gpd

    reach = model.reach_m
    if use.size == 0:
        empty = gpd.GeoDataFrame(
            {"aed": use, "id": src.ids[use], "max_s": np.zeros(0)},
            geometry=gpd.GeoSeries([], crs=net.crs), crs=net.crs,
        )
        return empty, shapely.Polygon()
    sx, sy = src.x[use], src.y[use]
    # candidate cells: a global res-metre lattice, within reach_m of an AED's street point
    gx0 = int(np.floor((sx.min() - reach) / res))
    gy0 = int(np.floor((sy.min() - reach) / res))
    x0 = np.floor((sx - reach) / res).astype(np.int64) - gx0
    x1 = np.floor((sx + reach) / res).astype(np.int64) - gx0
    y0 = np.floor((sy - reach) / res).astype(np.int64) - gy0
    y1 = np.floor((sy + reach) / res).astype(np.int64) - gy0
    width = int(x1.max()) + 1
    height = int(y1.max()) + 1
    nx_, ny_ = x1 - x0 + 1, y1 - y0 + 1
    per = nx_ * ny_
    owner = np.repeat(np.arange(use.shape[0]), per)
    k = np.arange(owner.shape[0]) - np.repeat(np.cumsum(per) - per, per)
    gx = x0[owner] + k % nx_[owner]
    gy = y0[owner] + k // nx_[owner]
    near = np.hypot((gx + gx0 + 0.5) * res - sx[owner], (gy + gy0 + 0.5) * res - sy[owner])
    near = near <= reach + res
    # each cell once: an occupancy mask over the lattice (sorted, no hashing)
    mask = np.zeros(width * height, dtype=bool)
    mask[gx[near] * height + gy[near]] = True
    key = np.flatnonzero(mask)
    del mask, gx, gy, near, owner, k
    cx_i, cy_i = key // height + gx0, key % height + gy0
    centres = np.column_stack([(cx_i + 0.5) * res, (cy_i + 0.5) * res])
    # streets that can matter: those within reach of an AED (and so of every cell)
    boxes_aed = shapely.box(sx - 2 * reach, sy - 2 * reach, sx + 2 * reach, sy + 2 * reach)
    local = np.unique(net.edge_tree.query(boxes_aed)[1])
    tgt = _snap_grid(net, centres, max_snap_m=max(reach, res), spacing_m=res, edges=local)
    s_idx, t_idx, secs = pair_times(net, src, tgt, model=model)
    max_s = np.zeros(src.edge.shape[0])
    np.maximum.at(max_s, s_idx, secs)
    run_aed, runs = _row_runs(s_idx, cx_i[t_idx], cy_i[t_idx], res)
    frame = gpd.GeoDataFrame({"aed": run_aed}, geometry=runs, crs=net.crs)
    merged = frame.dissolve(by="aed")
    filled = merged.geometry.reindex(use).to_numpy()
    filled[shapely.is_missing(filled)] = shapely.Polygon()
    # drop the collinear vertices of the grid staircase without moving the boundary
    filled = shapely.simplify(filled, 0.0)
    any_cell = np.unique(t_idx)
    _, union_runs = _row_runs(np.zeros(any_cell.shape[0], dtype=np.int64), cx_i[any_cell],
                              cy_i[any_cell], res)
    union = (
        shapely.simplify(shapely.union_all(union_runs), 0.0) if union_runs.size
        else shapely.Polygon()
    )
    max_s = max_s[use]
    out = gpd.GeoDataFrame(
        {"aed": use, "id": src.ids[use], "max_s": max_s}, geometry=filled, crs=net.crs
    )
    return out, union
