"""Independent parts of a covering instance, and a budget shared among parts exactly.

Two sites interact only through demand they both reach, so the bipartite graph of sites
and demand points falls apart into connected parts that can be solved alone. A budget
is then shared among the parts by dynamic programming over each part's coverage for
every budget (its curve): a multiple-choice knapsack (Pisinger, EJOR 2001), exact
whether or not the curves are concave.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

__all__ = ["components", "share_budget"]


def components(A: sp.csr_array) -> tuple[int, np.ndarray, np.ndarray]:
    """The connected parts of the bipartite graph of rows (demand) and columns (sites)
    of ``A``: ``(number of parts, part of each row, part of each column)``, parts
    numbered by their first row (then column) in ``A``'s order.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.csr_array(np.array([[1, 0, 0], [1, 1, 0], [0, 0, 1]]))
    >>> k, rows, cols = components(A)
    >>> k, rows.tolist(), cols.tolist()
    (2, [0, 0, 1], [0, 0, 1])
    """
    n, m = A.shape
    coo = sp.coo_array(A)
    graph = sp.coo_array((np.ones(coo.nnz), (coo.row, n + coo.col)), shape=(n + m, n + m))
    k, label = csgraph.connected_components(graph, directed=False)
    # number the parts in order of first appearance, for results that do not depend on
    # the labelling scipy happens to use
    _, first = np.unique(label, return_index=True)
    rank = np.empty(k, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(k)
    label = rank[label]
    return int(k), label[:n], label[n:]


def share_budget(curves: Sequence[np.ndarray], budget: int) -> tuple[float, np.ndarray]:
    """The best split of ``budget`` among parts: ``(total value, budget of each part)``.

    ``curves[c][b]`` is part ``c``'s value with ``b`` sites (non-decreasing in ``b``; a
    part's curve may stop before ``budget``, when it has no more sites). Exact dynamic
    programming over parts: ``best[p]`` is the best total of the parts so far with at
    most ``p`` sites, updated per part by a max-plus convolution with its curve. Among
    equal totals, earlier parts get fewer sites.

    Examples
    --------
    Three sites to share between a part whose second site adds little and a part whose
    value only comes with two sites (not concave: a greedy split would miss it):

    >>> value, split = share_budget([np.array([0.0, 5.0, 6.0]), np.array([0.0, 1.0, 9.0])], 3)
    >>> value, split.tolist()
    (14.0, [1, 2])
    """
    if budget < 0:
        raise ValueError("budget must be >= 0")
    best = np.zeros(budget + 1)
    p = np.arange(budget + 1)
    picks = []
    for curve in curves:
        v = np.asarray(curve, dtype=np.float64)[: budget + 1]
        if v.size == 0:
            v = np.zeros(1)
        rest = p[:, None] - np.arange(v.size)[None, :]
        total = np.where(rest >= 0, best[np.maximum(rest, 0)] + v[None, :], -np.inf)
        pick = np.argmax(total, axis=1)
        best = total[p, pick]
        picks.append(pick)
    split = np.zeros(len(picks), dtype=np.int64)
    left = budget
    for c in range(len(picks) - 1, -1, -1):
        split[c] = picks[c][left]
        left -= int(split[c])
    return float(best[budget]), split
