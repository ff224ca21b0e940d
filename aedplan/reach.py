"""Walking times along the real streets: nearest-AED times and per-AED reach.

Times follow :mod:`aedplan.timemodel` and start from the points' links to the streets
(:mod:`aedplan.snapping`). :func:`reach_times` gives every node and target the rescue
time from its nearest source in one multi-source Dijkstra; :func:`pair_times` gives
every (source, target) pair within the limit from a bounded search run for all sources
at once. Coverage and rescue circles both stand on these two.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from . import _memory, _results, _validate, tasks, tiling
from .errors import Phrase, ResourceError
from .network import WalkNetwork
from .snapping import Snapped, snapped
from .timemodel import TimeModel, resolve

__all__ = ["ReachTimes", "expand", "pair_chunks", "pair_times", "reach_times", "source_node_reach"]


@dataclass(frozen=True, eq=False)
class ReachTimes:
    """Rescue time (seconds) from the nearest source; ``np.inf`` beyond the limit.

    ``node_s`` / ``node_source`` for every network node, ``target_s`` /
    ``target_source`` for every target point (source index, ``-1`` when unreached).
    """

    node_s: np.ndarray
    node_source: np.ndarray
    target_s: np.ndarray
    target_source: np.ndarray
    model: TimeModel

    def __post_init__(self) -> None:
        _results.freeze_arrays(self)

    def __repr__(self) -> str:
        return (
            f"ReachTimes({int(np.isfinite(self.node_s).sum()):,} of {self.node_s.shape[0]:,} "
            f"nodes and {int(np.isfinite(self.target_s).sum()):,} of "
            f"{self.target_s.shape[0]:,} targets reached; {self.model!r})"
        )


def _source_links(
    src: Snapped, model: TimeModel
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per source link: the source, its start metres (access + off-street), edge, position."""
    lp = src.link_point
    start = model.metres(src.access_s[lp]) + src.link_offset_m
    return lp, start, src.link_edge, src.link_position_m


def _limit_m(model: TimeModel, limit_s: Any) -> float:
    limit_s = model.budget_s if limit_s is None else _validate.positive(limit_s, "limit_s")
    return float(model.metres(limit_s))


def reach_times(
    net: WalkNetwork,
    sources: Any,
    targets: Any = None,
    *,
    model: TimeModel | None = None,
    minutes: float | None = None,
    mode: str | None = None,
    speed_m_s: float | None = None,
    limit_s: float | None = None,
) -> ReachTimes:
    """Rescue time from the nearest source to every node and every target.

    One multi-source Dijkstra (``scipy.sparse.csgraph``, ``min_only=True``) with a
    limit, on the street graph plus one virtual node per source joined to both ends of
    each edge it is linked to; targets are then finished exactly along their own edges,
    including a source and a target on the same edge.

    Parameters
    ----------
    net
        The walk network.
    sources
        AEDs: a :class:`~aedplan.snapping.Snapped`, a GeoDataFrame or an ``(n, 2)``
        array in ``net.crs``.
    targets
        Optional patient locations, the same kinds as ``sources``.
    model
        The time model (:class:`~aedplan.timemodel.TimeModel`; default 4 minutes, round
        trip, 1.4 m/s).
    minutes, mode, speed_m_s
        Deprecated: pass ``model=aedplan.TimeModel(...)``.
    limit_s
        Search limit in rescue seconds (default: the budget). Times above it are
        ``np.inf``.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> reach = aedplan.reach_times(street, points([0]))  # an AED at one end
    >>> reach.node_s.round(1).tolist()  # round trip at 1.4 m/s: 200 m is past 240 s
    [0.0, 142.9, inf, inf, inf]
    """
    model = resolve(model, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    limit_m = _limit_m(model, limit_s)
    src = snapped(net, sources, "sources")
    tgt = None if targets is None else snapped(net, targets, "targets")
    runner = tasks.current()
    if runner.by_parts(_reach_work(net, src, limit_m)):
        node_m, node_src, t_m, t_src = _reach_by_parts(net, src, tgt, model, limit_m, runner)
    else:
        node_m, node_src, t_m, t_src = _reach_whole(net, src, tgt, model, limit_m)
    node_s = np.where(np.isfinite(node_m), model.seconds(node_m), np.inf)
    if tgt is None:
        return ReachTimes(node_s, node_src, np.zeros(0), np.zeros(0, dtype=np.int64), model)
    target_s = np.where(np.isfinite(t_m), model.seconds(t_m), np.inf)
    return ReachTimes(node_s, node_src, target_s, t_src, model)


def _reach_whole(net: WalkNetwork, src: Snapped, tgt: Snapped | None, model: TimeModel,
                 limit_m: float) -> tuple[np.ndarray, ...]:
    """Metres from the nearest source, and which, to every node and target."""
    node_m, node_src = _nearest_nodes(net, src, model, limit_m)
    if tgt is None:
        return node_m, node_src, np.zeros(0), np.zeros(0, dtype=np.int64)
    return (node_m, node_src,
            *_finish_targets(net, src, tgt, model, node_m, node_src, limit_m))


def _nearest_nodes(
    net: WalkNetwork, src: Snapped, model: TimeModel, limit_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Metres from the nearest source to every node, and which source (``-1``: none)."""
    n = net.n_nodes
    node_m = np.full(n, np.inf)
    node_src = np.full(n, -1, dtype=np.int64)
    lp, start, s_edge, s_pos = _source_links(src, model)
    if lp.size == 0:
        return node_m, node_src
    used, slot = np.unique(lp, return_inverse=True)
    k = used.shape[0]
    length = net.edge_length_m[s_edge]
    rows = np.r_[slot, slot] + n
    cols = np.r_[net.edge_u[s_edge], net.edge_v[s_edge]]
    w = np.maximum(np.r_[start + s_pos, start + length - s_pos], 1e-12)
    # a source linked twice to one node (two tied edges meeting there) keeps the shorter
    key, w = min_by_key(rows.astype(np.int64) * (n + k) + cols, w)
    rows, cols = key // (n + k), key % (n + k)
    g = net.derived("coo", lambda nn: nn.graph.tocoo())
    aug = sparse.csr_matrix(
        (np.r_[g.data, w], (np.r_[g.row, rows], np.r_[g.col, cols])), shape=(n + k, n + k)
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
    node_src[reached] = used[origin[:n][reached] - n]
    return node_m, node_src


def _finish_targets(
    net: WalkNetwork,
    src: Snapped,
    tgt: Snapped,
    model: TimeModel,
    node_m: np.ndarray,
    node_src: np.ndarray,
    limit_m: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Metres from the nearest source to every target, through either end of each of its
    links' edges or straight along an edge shared with a source; the best link wins."""
    t_m = np.full(len(tgt), np.inf)
    t_src = np.full(len(tgt), -1, dtype=np.int64)
    lp, start, s_edge, s_pos = _source_links(src, model)
    if lp.size == 0 or tgt.link_point.size == 0:
        return t_m, t_src
    e, pos = tgt.link_edge, tgt.link_position_m
    u, v = net.edge_u[e], net.edge_v[e]
    via_u = node_m[u] + pos
    via_v = node_m[v] + (net.edge_length_m[e] - pos)
    best = np.minimum(via_u, via_v)
    who = np.where(via_u <= via_v, node_src[u], node_src[v])
    ti, si, direct = _same_edge_pairs(e, pos, s_edge, s_pos, start)
    if ti.size:
        ti, direct, si = first_by_key(ti, direct, si)
        better = direct < best[ti]
        best[ti[better]] = direct[better]
        who[ti[better]] = lp[si[better]]
    total = best + tgt.link_offset_m
    point, total, who = first_by_key(tgt.link_point, total, who)
    inside = total <= limit_m + 1e-9
    t_m[point[inside]] = total[inside]
    t_src[point[inside]] = who[inside]
    return t_m, t_src


def _same_edge_pairs(
    t_edge: np.ndarray,
    t_pos: np.ndarray,
    s_edge: np.ndarray,
    s_pos: np.ndarray,
    s_start: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (target link, source link) pair on the same edge, with the direct metres."""
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


def first_by_key(
    keys: np.ndarray, values: np.ndarray, payload: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each distinct key (sorted), the smallest value and the payload beside it."""
    order = np.lexsort((values, keys))
    keys, values, payload = keys[order], values[order], payload[order]
    first = np.r_[True, keys[1:] != keys[:-1]] if keys.size else np.zeros(0, dtype=bool)
    return keys[first], values[first], payload[first]


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
    keys, dist = min_by_key(keys, dist)
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
        cand_keys, cand_d = min_by_key(cand_keys, nd[ok])
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


def min_by_key(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    return _links_reach(net, _source_links(sources, model), limit_m)


def _links_reach(
    net: WalkNetwork, links: tuple[np.ndarray, ...], limit_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lp, start, s_edge, s_pos = links
    seed_source = np.r_[lp, lp]
    seed_node = np.r_[net.edge_u[s_edge], net.edge_v[s_edge]]
    seed_m = np.r_[start + s_pos, start + net.edge_length_m[s_edge] - s_pos]
    return _bounded_search(net.graph, seed_source, seed_node, seed_m, limit_m)


def _incidence(net: WalkNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Node -> incident edges: ``(start, count)`` per node into ``(edge, is_v)``."""

    def build(n: WalkNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        m = n.n_edges
        node = np.r_[n.edge_u, n.edge_v]
        order = np.argsort(node, kind="stable")
        node = node[order]
        edge = np.r_[np.arange(m), np.arange(m)][order]
        is_v = np.r_[np.zeros(m, dtype=bool), np.ones(m, dtype=bool)][order]
        start = np.searchsorted(node, np.arange(n.n_nodes), side="left")
        count = np.searchsorted(node, np.arange(n.n_nodes), side="right") - start
        return start, count, edge, is_v

    return net.derived("incidence", build)


def expand(count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows with ``count`` items each: the row of every item and its rank in the row."""
    row = np.repeat(np.arange(count.shape[0]), count)
    rank = np.arange(row.shape[0]) - np.repeat(np.cumsum(count) - count, count)
    return row, rank


#: Bytes of working memory per (source, node) pair searched and per (source, target
#: link) pair expanded (87 B measured), and per pair kept while a coverage matrix is
#: built from them (62 B measured), rounded up.
_WORK_BYTES = 120
_KEPT_BYTES = 64


def pair_times(
    net: WalkNetwork,
    sources: Snapped,
    targets: Snapped,
    *,
    model: TimeModel,
    limit_s: float | None = None,
    names: tuple[str, str] = ("sources", "targets"),
    times: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (source, target) pair within the limit and its rescue time in seconds
    (``times=False``: the pairs only, the times empty, as a coverage matrix needs them).

    Built from the per-source bounded search (:func:`pair_chunks`): a target is reached
    through either end of each of its links' edges, or straight along the edge from a
    source on the same edge; the best way counts. Returns ``(source_index,
    target_index, rescue_s)``, each pair once, in no set order.

    The search runs over chunks of sources in bounded memory; when the first chunks
    show that all the pairs would not fit in the memory this machine can spare, a
    :class:`~aedplan.errors.ResourceError` says so at once, naming the ``names`` of
    sources and targets and how to shrink the problem.
    """
    runner = tasks.current()
    work = _expected_work(net, targets, _limit_m(model, limit_s)) * len(sources)
    if runner.by_parts(work if len(sources) > 1 else -np.inf):  # one source stays whole
        return _pairs_by_parts(net, sources, targets, model, limit_s, runner, times)
    return _pairs_whole(net, sources, targets, model, limit_s, names, times)


def _pairs_whole(net: WalkNetwork, sources: Snapped, targets: Snapped, model: TimeModel,
                 limit_s: float | None, names: tuple[str, str] = ("sources", "targets"),
                 times: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    room = _memory.spare_bytes() // 2
    n = len(sources)
    s_parts, t_parts, secs_parts = [], [], []
    kept = 0
    for s_idx, t_idx, secs, done in pair_chunks(net, sources, targets, model=model,
                                                limit_s=limit_s):
        s_parts.append(s_idx)
        t_parts.append(t_idx)
        secs_parts.append(secs if times else secs[:0])
        kept += s_idx.shape[0]
        # the sources so far tell how many pairs all will make, once they are a fair share
        expected = kept / done * n if done >= 0.1 * n else kept
        if expected * _KEPT_BYTES > room:
            raise _too_many_pairs(expected, room, n, len(targets), names, model, limit_s)
    if not s_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(s_parts), np.concatenate(t_parts), np.concatenate(secs_parts)


def _too_many_pairs(
    expected: float, room: int, n_s: int, n_t: int, names: tuple[str, str],
    model: TimeModel, limit_s: float | None,
) -> ResourceError:
    minutes = (model.budget_s if limit_s is None else limit_s) / 60
    return ResourceError(
        "`minutes`: within {minutes:g} minutes the {n_s:,} {sources} and {n_t:,} {targets} "
        "make about {pairs:,.0f} pairs ({size}), more than the {room} this machine can spare "
        "for them. A rescue circle is a few minutes: use a smaller `minutes`, a smaller area "
        "(`bbox`) or fewer {sources} (`candidates`).",
        minutes=minutes, n_s=n_s, sources=Phrase(names[0]), n_t=n_t, targets=Phrase(names[1]),
        pairs=expected, size=_memory.gigabytes(expected * _KEPT_BYTES),
        room=_memory.gigabytes(room))


def pair_chunks(
    net: WalkNetwork,
    sources: Snapped,
    targets: Snapped,
    *,
    model: TimeModel,
    limit_s: float | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, int]]:
    """:func:`pair_times` one chunk of consecutive sources at a time, each chunk's
    working memory within :func:`aedplan._memory.chunk_bytes`: ``(source_index,
    target_index, rescue_s, sources_done)`` per chunk, every source in exactly one chunk
    (``sources_done``: the sources ``0 .. sources_done - 1`` are complete).

    Chunks are sized from the network's density at first and from the work the
    sources so far really took after that."""
    limit_m = _limit_m(model, limit_s)
    links = _source_links(sources, model)
    by_edge = _TargetsByEdge.of(net, targets)
    budget = _memory.chunk_bytes() // _WORK_BYTES
    per_source = _expected_work(net, targets, limit_m)
    first = np.searchsorted(links[0], np.arange(len(sources) + 1))
    lo, n = 0, len(sources)
    while lo < n:
        hi = min(n, lo + max(1, int(budget / per_source)))
        part = tuple(column[first[lo]:first[hi]] for column in links)
        s_idx, t_idx, metres, work = _pairs_from_links(net, part, by_edge, targets, limit_m)
        per_source = max(per_source, 1.25 * work / (hi - lo))
        yield s_idx, t_idx, model.seconds(metres), hi
        lo = hi


def _expected_work(net: WalkNetwork, targets: Snapped, limit_m: float) -> float:
    """Pairs one source is expected to search and expand: the nodes within ``limit_m``
    at the network's density (over the box around its nodes), times 4 for safety."""
    width = max(float(np.ptp(net.x)), 1.0) if net.n_nodes else 1.0
    height = max(float(np.ptp(net.y)), 1.0) if net.n_nodes else 1.0
    nodes = min(float(net.n_nodes), net.n_nodes / (width * height) * np.pi * limit_m**2)
    per_node = 1.0 + 2.0 * targets.link_point.shape[0] / max(net.n_edges, 1)
    return max(4.0 * nodes * (1.0 + 3.0 * per_node), 1.0)


@dataclass(frozen=True)
class _TargetsByEdge:
    """Target links grouped by edge: ``order`` of the links, and where each edge's
    links start in it and how many there are."""

    order: np.ndarray
    start: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, net: WalkNetwork, targets: Snapped) -> _TargetsByEdge:
        te = targets.link_edge
        order = np.argsort(te, kind="stable")
        start = np.searchsorted(te[order], np.arange(net.n_edges), side="left")
        count = np.searchsorted(te[order], np.arange(net.n_edges), side="right") - start
        return cls(order, start, count)


def _pairs_from_links(
    net: WalkNetwork,
    links: tuple[np.ndarray, ...],
    by_edge: _TargetsByEdge,
    targets: Snapped,
    limit_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Pairs of the sources owning ``links`` and the targets, in metres, and the work
    it took (pairs searched and expanded)."""
    s_idx, node, metres = _links_reach(net, links, limit_m)
    lt, te = targets.link_point, targets.link_edge
    t_pos, t_off = targets.link_position_m, targets.link_offset_m
    # (source, node) -> (source, incident edge holding a target)
    inc_start, inc_count, inc_edge, inc_is_v = _incidence(net)
    r1, w1 = expand(inc_count[node])
    slot = inc_start[node[r1]] + w1
    pe, pv, ps, pm = inc_edge[slot], inc_is_v[slot], s_idx[r1], metres[r1]
    has = by_edge.count[pe] > 0
    pe, pv, ps, pm = pe[has], pv[has], ps[has], pm[has]
    # (source, edge) -> (source, target link on that edge)
    r2, w2 = expand(by_edge.count[pe])
    work = node.shape[0] + r1.shape[0] + r2.shape[0]
    link = by_edge.order[by_edge.start[pe[r2]] + w2]
    along = np.where(pv[r2], net.edge_length_m[pe[r2]] - t_pos[link], t_pos[link])
    total = pm[r2] + along + t_off[link]
    keep = total <= limit_m + 1e-9
    src_all, tgt_all, m_all = ps[r2][keep], lt[link[keep]], total[keep]
    # sources on a target link's own edge
    lp, start, s_edge, s_pos = links
    ti, si, direct = _same_edge_pairs(te, t_pos, s_edge, s_pos, start)
    if ti.size:
        direct = direct + t_off[ti]
        keep = direct <= limit_m + 1e-9
        src_all = np.r_[src_all, lp[si[keep]]]
        tgt_all = np.r_[tgt_all, lt[ti[keep]]]
        m_all = np.r_[m_all, direct[keep]]
    n_t = max(len(targets), 1)
    key, m_all = min_by_key(src_all.astype(np.int64) * n_t + tgt_all, m_all)
    return key // n_t, key % n_t, m_all, work


# --------------------------------------------------------------------------- by parts
#
# With a runner that cuts the area into parts (:mod:`aedplan.tasks`), a large search runs
# part by part on the parts' streets (:mod:`aedplan.tiling`); the parts' answers are
# joined here.


def _reach_work(net: WalkNetwork, src: Snapped, limit_m: float) -> float:
    """The work of one nearest-source search, in the units of :func:`_expected_work`:
    the nodes within ``limit_m`` of the sources, each expanded (about 18 units a node,
    measured on real networks)."""
    width = max(float(np.ptp(net.x)), 1.0) if net.n_nodes else 1.0
    height = max(float(np.ptp(net.y)), 1.0) if net.n_nodes else 1.0
    per_source = net.n_nodes / (width * height) * np.pi * limit_m**2
    return 18.0 * min(float(net.n_nodes), len(src) * per_source)


def _pairs_by_parts(net: WalkNetwork, sources: Snapped, targets: Snapped, model: TimeModel,
                    limit_s: float | None, runner: tasks.Runner, times: bool = True
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`pair_times` with the sources cut into parts."""
    halo = tiling.halo(_limit_m(model, limit_s), sources)
    jobs, maps = [], []
    for key, mine, (_, edges, sub) in tiling.each_part(net, sources.x, sources.y, halo,
                                                       runner):
        _, tgt, tgt_at = tiling.points_near(targets, key, halo, runner, edges)
        src, src_at = sources.take(mine).on_edges(edges)
        jobs.append((sub, src, tgt))
        maps.append((mine[src_at], tgt_at))
    found = runner.map(_pairs_of_part, *zip(*jobs, strict=True), [model] * len(jobs),
                       [limit_s] * len(jobs), [times] * len(jobs),
                       what="a part's searches") if jobs else []
    # the parts' pairs, numbered as here, into one set of arrays; each part's own are let
    # go once copied (a province's pairs are tens of millions)
    n = sum(len(s) for s, _, _ in found)
    s_out, t_out = np.empty(n, np.int64), np.empty(n, np.int64)
    secs_out = np.empty(n if times else 0)
    at = 0
    for k, (src_at, tgt_at) in enumerate(maps):
        s, t, secs = found[k]
        found[k] = None
        end = at + len(s)
        s_out[at:end], t_out[at:end] = src_at[s], tgt_at[t]
        if times:
            secs_out[at:end] = secs
        at = end
    return s_out, t_out, secs_out


def _pairs_of_part(sub: WalkNetwork, src: Snapped, tgt: Snapped, model: TimeModel,
                   limit_s: float | None, times: bool = True
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _pairs_whole(sub, src, tgt, model, limit_s, times=times)


def _reach_by_parts(net: WalkNetwork, src: Snapped, tgt: Snapped | None, model: TimeModel,
                    limit_m: float, runner: tasks.Runner) -> tuple[np.ndarray, ...]:
    """:func:`_reach_whole` with the nodes and targets cut into parts."""
    n, n_t = net.n_nodes, 0 if tgt is None else len(tgt)
    halo = tiling.halo(limit_m, src, *(() if tgt is None else (tgt,)))
    x = np.r_[net.x, np.zeros(0) if tgt is None else tgt.x]
    y = np.r_[net.y, np.zeros(0) if tgt is None else tgt.y]
    node_m, node_src = np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
    t_m, t_src = np.full(n_t, np.inf), np.full(n_t, -1, dtype=np.int64)
    jobs, maps = [], []
    for key, own, (sub, edges, there) in tiling.each_part(net, x, y, halo, runner):
        near, here, src_at = tiling.points_near(src, key, halo, runner, edges)
        if not len(near):
            continue  # no source near: nothing of this part is reached
        _, on, tgt_at = (None, None, np.zeros(0, dtype=np.int64)) if tgt is None else (
            tiling.points_near(tgt, key, halo, runner, edges))
        nodes, tgts = own[own < n], own[own >= n] - n
        at = np.minimum(np.searchsorted(tgt_at, tgts), max(tgt_at.size - 1, 0))
        tgts = tgts[tgt_at[at] == tgts] if tgt_at.size else tgts[:0]
        jobs.append((there, here, on))
        maps.append((src_at, nodes, np.searchsorted(sub.node_ids, nodes), tgts,
                     np.searchsorted(tgt_at, tgts)))
    found = runner.map(_reach_of_part, *zip(*jobs, strict=True), [model] * len(jobs),
                       [limit_m] * len(jobs), what="a part's searches") if jobs else []
    for (src_at, nodes, node_at, tgts, tgt_at), (nm, ns, tm, ts) in zip(
            maps, found, strict=True):
        node_m[nodes], node_src[nodes] = nm[node_at], _global(src_at, ns[node_at])
        t_m[tgts], t_src[tgts] = tm[tgt_at], _global(src_at, ts[tgt_at])
    return node_m, node_src, t_m, t_src


def _global(at: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Local source indices (``-1``: none) as indices of the whole set."""
    return np.where(local >= 0, at[np.maximum(local, 0)], -1)


def _reach_of_part(sub: WalkNetwork, src: Snapped, tgt: Snapped | None, model: TimeModel,
                   limit_m: float) -> tuple[np.ndarray, ...]:
    return _reach_whole(sub, src, tgt, model, limit_m)
