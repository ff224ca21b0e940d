"""Odd-cycle cuts of the maximal covering model, and the root LP that separates them.

The covering model (``y_i <= sum_{j in N_i} x_j``, ``0 <= x, y <= 1``) has a weak LP
relaxation once a budget covers most of the area: half-open sites whose reaches overlap
cover every point twice over at half the cost. For any set ``S`` of an odd number of rows,
half the sum of their covering rows and of their ``y_i <= 1`` rows, rounded down (``x``
and ``y`` are integral in an optimal solution: ``y_i = min(1, x(N_i))``), gives

    sum_{i in S} y_i <= (|S| - 1) / 2 + sum_j ceil(c_j / 2) x_j,   c_j = |{i in S: j in N_i}|,

a {0, 1/2}-Chvátal-Gomory cut (Caprara and Fischetti 1996). Three points, each reached by
two of three sites at one half, satisfy every covering row with ``y = 1``; this cut says
``y_1 + y_2 + y_3 <= 1 + x_1 + x_2 + x_3 = 2.5``. Such sets are found as odd cycles: the
sites are the nodes, a row ``i`` joins any two ``u, v`` of its sites, and a cycle whose
edges cost ``2 (x(N_i) - y_i) + 1 - x_u - x_v`` in all less than 1 gives a violated cut
(a shortest-path search in the graph doubled by parity, Grötschel, Lovász and Schrijver
1988). Every cut is checked exactly before it is kept.

Two rows alone never give a cut: with non-negative weights the two rows and the bounds
form a totally unimodular system, so the "two-customer" inequalities of the generalised
problem (Lv et al., EJOR 2025, for negative weights) are never violated here.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from . import _highs
from ._highs import Deadline
from ._reduce import group_rows

__all__ = ["Root", "odd_cycle_cuts", "root_cuts"]

#: Cut rounds at the root, at most; a round also stops the loop when it raises the
#: bound by less than a relative ``MIN_GAIN``.
MAX_ROUNDS = 12
MIN_GAIN = 2e-5
#: Sources of one shortest-path search (memory: sources x 2 sites floats).
_BLOCK = 256
#: Sites of a demand point that may carry a cycle through it: its largest in the LP.
MAX_DEGREE = 8


def pairs_within(indptr: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every pair ``k < l`` of entries of each row of a CSR pattern: ``(row, index_k,
    index_l)``.

    >>> r, a, b = pairs_within(np.array([0, 3, 3, 4]), np.array([5, 6, 7, 8]))
    >>> r.tolist(), a.tolist(), b.tolist()
    ([0, 0, 0], [5, 5, 6], [6, 7, 7])
    """
    deg = np.diff(indptr).astype(np.int64)
    count = deg * (deg - 1) // 2
    row = np.repeat(np.arange(deg.size), count)
    rank = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    d = deg[row]
    # the k-th first element owns pairs [k d - k (k + 1) / 2, (k + 1) d - (k + 1) (k + 2) / 2)
    k = np.floor(((2 * d - 1) - np.sqrt(np.maximum((2 * d - 1) ** 2 - 8 * rank, 0))) / 2)
    k = k.astype(np.int64)
    k -= (k * d - k * (k + 1) // 2) > rank  # float rounding, either way
    k += (rank - (k * d - k * (k + 1) // 2)) >= d - k - 1
    second = k + 1 + rank - (k * d - k * (k + 1) // 2)
    start = indptr[:-1][row]
    return row, indices[start + k], indices[start + second]


def odd_cycle_cuts(
    B: sp.csr_array, x: np.ndarray, y: np.ndarray, *, max_cuts: int = 2000
) -> tuple[sp.csr_array, sp.csr_array, np.ndarray]:
    """Odd-cycle cuts violated by the LP point ``(x, y)`` of the covering rows ``B``:
    ``(S, C, rhs)``, each cut ``S[k] @ y - C[k] @ x <= rhs[k]`` (``S`` picks its rows,
    ``C`` holds ``ceil(c_j / 2)``), the most violated first."""
    n, m = B.shape
    slack = np.asarray(B @ x).ravel() - y
    support = np.flatnonzero(x > 1e-9)
    R = _largest(sp.csr_array(B[:, support]), x[support], slack < 0.5)
    row, u, v = pairs_within(R.indptr, R.indices)
    cost = np.maximum(2 * slack[row] + 1 - x[support[u]] - x[support[v]], 0.0)
    keep = cost < 1 - 1e-9
    row, u, v, cost = row[keep], u[keep], v[keep], cost[keep]
    if row.size == 0:
        return _no_cuts(n, m)
    # the cheapest row for each pair of sites
    order = np.lexsort((cost, v, u))
    row, u, v, cost = row[order], u[order], v[order], cost[order]
    first = np.r_[True, (u[1:] != u[:-1]) | (v[1:] != v[:-1])]
    row, u, v, cost = row[first], u[first], v[first], cost[first]
    cycles, rows = _cycles(support.size, row, u, v, cost, max_cuts)
    return _exact_cuts(B, x, y, cycles, rows, max_cuts)


def _largest(R: sp.csr_array, x: np.ndarray, rows: np.ndarray) -> sp.csr_array:
    """``R`` (rows by sites in the support) with only the ``rows`` that may be an edge of
    a cheap cycle (slack below 1/2), each keeping its :data:`MAX_DEGREE` sites of largest
    ``x`` (the cheapest edges; the pairs stay few however many sites reach a point),
    in site order."""
    R = sp.coo_array(R)
    keep = rows[R.row]
    r, c = R.row[keep], R.col[keep]
    order = np.lexsort((-x[c], r))
    r, c = r[order], c[order]
    start = np.searchsorted(r, r, side="left")
    top = np.arange(r.size) - start < MAX_DEGREE
    out = sp.csr_array((np.ones(int(top.sum())), (r[top], c[top])), shape=R.shape)
    out.sort_indices()
    return out


def _no_cuts(n: int, m: int) -> tuple[sp.csr_array, sp.csr_array, np.ndarray]:
    return sp.csr_array((0, n)), sp.csr_array((0, m)), np.zeros(0)


def _cycles(
    s: int, row: np.ndarray, u: np.ndarray, v: np.ndarray, cost: np.ndarray, max_cuts: int
) -> tuple[np.ndarray, np.ndarray]:
    """Odd cycles of cost below 1, one through each cheap enough edge ``(u, v)``: an even
    path from ``u`` to ``v`` (the same parity copy) closed by the edge. Returns ``(cycle,
    row)`` pairs: the rows (edges) of each cycle."""
    # site u is node u in copy 0 and u + s in copy 1; an edge joins opposite copies (a
    # tiny cost added: csgraph reads a zero weight as no edge)
    w = cost + 1e-12
    G = sp.csr_array((np.r_[w, w], (np.r_[u, u + s], np.r_[v + s, v])), shape=(2 * s, 2 * s))
    G = sp.csr_array(G + G.T)
    sources = np.unique(u)
    owners, nodes, closing = [], [], []
    for lo in range(0, sources.size, _BLOCK):  # blocks of sources, not single nodes
        src = sources[lo:lo + _BLOCK]
        dist, pred = csgraph.dijkstra(G, indices=src, return_predecessors=True, limit=1.0)
        e = np.flatnonzero((u >= src[0]) & (u <= src[-1]))  # the edges from this block
        at = np.searchsorted(src, u[e])
        total = dist[at, v[e]] + cost[e]
        best = np.flatnonzero(total < 1 - 1e-6)
        best = best[np.argsort(total[best], kind="stable")][:max_cuts]
        e, at = e[best], at[best]
        table = _walk_back(pred, at, v[e], src[at], 2 * s)
        mask = table >= 0
        first = sum(c.size for c in closing)
        owners.append(np.broadcast_to((first + np.arange(e.size))[:, None], table.shape)[mask])
        nodes.append(table[mask])
        closing.append(row[e])
    if not closing or not sum(c.size for c in closing):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    owner, node, last = np.concatenate(owners), np.concatenate(nodes), np.concatenate(closing)
    # the row of each step of a path: the one kept for its pair of sites
    same = owner[:-1] == owner[1:]
    a, b = node[:-1][same] % s, node[1:][same] % s
    key = u.astype(np.int64) * s + v  # u < v: pairs come from sorted rows
    order = np.argsort(key)
    step = np.minimum(a, b).astype(np.int64) * s + np.maximum(a, b)
    at = order[np.searchsorted(key[order], step)]
    return np.r_[owner[:-1][same], np.arange(last.size)], np.r_[row[at], last]


def _walk_back(pred: np.ndarray, src_row: np.ndarray, end: np.ndarray, src: np.ndarray,
               limit: int) -> np.ndarray:
    """The nodes of the shortest paths ``src -> end`` of one search, walked back together
    (one step of every path at a time): one row per path, from ``end`` to ``src``, padded
    with ``-1``."""
    cur = end.copy()
    seq = [cur.copy()]
    alive = cur != src
    for _ in range(limit):  # at most the length of the longest path
        if not alive.any():
            break
        prev = np.where(alive, pred[src_row, cur], -1)
        alive &= prev >= 0
        cur = np.where(alive, prev, cur)
        seq.append(np.where(alive, cur, -1))
        alive &= cur != src
    return np.stack(seq, axis=1) if seq[0].size else np.zeros((0, 1), dtype=np.int64)


def _exact_cuts(
    B: sp.csr_array, x: np.ndarray, y: np.ndarray, cycle: np.ndarray, rows: np.ndarray,
    max_cuts: int,
) -> tuple[sp.csr_array, sp.csr_array, np.ndarray]:
    """The cut of each set of rows, from its exact counts, kept when the set is odd and
    the cut violated; duplicates dropped."""
    n, m = B.shape
    if cycle.size == 0:
        return _no_cuts(n, m)
    key = np.unique(cycle.astype(np.int64) * n + rows)
    cid, member = key // n, key % n
    _, cid = np.unique(cid, return_inverse=True)
    S = sp.csr_array((np.ones(cid.size), (cid, member)), shape=(int(cid.max()) + 1, n))
    S = _unique_rows(S)
    size = np.diff(S.indptr)
    C = sp.csr_array(S @ B)
    C.data = np.ceil(C.data / 2)
    rhs = (size // 2).astype(np.float64)
    viol = np.asarray(S @ y).ravel() - rhs - np.asarray(C @ x).ravel()
    good = np.flatnonzero((size % 2 == 1) & (viol > 1e-6))
    good = good[np.argsort(-viol[good], kind="stable")][:max_cuts]
    return sp.csr_array(S[good]), sp.csr_array(C[good]), rhs[good]


def _unique_rows(S: sp.csr_array) -> sp.csr_array:
    _, first = group_rows(sp.csr_array(S, dtype=bool))
    return sp.csr_array(S[np.sort(first)])


@dataclass(frozen=True)
class Root:
    """The root LP with its cuts: the rows to add to the MILP over ``[x, y]``
    (``rows @ [x, y] <= rhs``), the LP bound they leave and the LP's ``x`` of every
    round."""

    rows: sp.csr_array
    rhs: np.ndarray
    bound: float
    x: list[np.ndarray]  # the LP's x after each round
    rounds: int
    seconds: float


def root_cuts(
    B: sp.csr_array, w: np.ndarray, p: int, *, deadline: Deadline,
    max_rounds: int | None = None,
) -> Root:
    """Solve the LP of ``max w @ y`` (covering rows ``B``, at most ``p`` sites), add the
    violated odd-cycle cuts, solve again (warm), until none is found, a round gains
    little, ``max_rounds`` (default :data:`MAX_ROUNDS`) or ``deadline``."""
    import highspy

    t0 = time.perf_counter()
    max_rounds = MAX_ROUNDS if max_rounds is None else max_rounds
    n, m = B.shape
    scale = float(w.mean())
    h = _highs.new_highs()
    inf = highspy.kHighsInf
    h.addVars(m + n, np.zeros(m + n), np.ones(m + n))
    h.changeColsCost(m + n, np.arange(m + n, dtype=np.int32),
                     np.r_[np.zeros(m), -w / scale])
    cover = sp.csr_array(sp.hstack([-B.astype(np.float64), sp.eye_array(n, format="csr")]))
    _add_rows(h, cover, np.zeros(n), inf)
    h.addRow(-inf, float(p), m, np.arange(m, dtype=np.int32), np.ones(m))
    added: list[Any] = []
    rhs_all: list[np.ndarray] = []
    bound, xs, rounds = math.inf, [], 0
    h.setOptionValue("solver", "ipm")  # the first LP: interior point, 3-5x the simplex
    for rounds in range(max_rounds + 1):  # a handful of LP solves
        h.setOptionValue("time_limit", deadline.left())
        h.run()
        h.setOptionValue("solver", "simplex")  # then warm-started from its crossover basis
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break  # out of time: the last proven bound stands
        value = -h.getInfo().objective_function_value * scale
        sol = np.asarray(h.getSolution().col_value)
        gain = bound - value
        bound = value
        xs.append(sol[:m])
        if rounds == max_rounds or gain <= MIN_GAIN * abs(value) or deadline.passed():
            break
        S, C, rhs = odd_cycle_cuts(sp.csr_array(B), sol[:m], sol[m:])
        if not rhs.size:
            break
        R = sp.csr_array(sp.hstack([-C, S]))
        _add_rows(h, R, rhs, inf)
        added.append(R)
        rhs_all.append(rhs)
    rows = sp.csr_array(sp.vstack(added)) if added else sp.csr_array((0, m + n))
    return Root(rows, np.concatenate(rhs_all) if rhs_all else np.zeros(0), bound, xs, rounds,
                time.perf_counter() - t0)


def _add_rows(h: Any, R: sp.csr_array, upper: np.ndarray, inf: float) -> None:
    h.addRows(R.shape[0], np.full(R.shape[0], -inf), upper.astype(np.float64), R.nnz,
              R.indptr.astype(np.int32), R.indices.astype(np.int32),
              R.data.astype(np.float64))
