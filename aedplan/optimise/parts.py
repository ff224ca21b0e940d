"""Independent parts of a covering instance, and a budget shared among parts exactly.

Two sites interact only through demand they both reach, so the bipartite graph of sites
and demand points falls apart into connected parts that can be solved alone. A budget
is then shared among the parts by dynamic programming over each part's coverage for
every budget (its curve): a multiple-choice knapsack (Pisinger, EJOR 2001), exact
whether or not the curves are concave.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

__all__ = ["Curves", "Shared", "components", "share_budget", "share_with_proof"]


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


@dataclass
class Curves:
    """What is known of one part's best value for every budget ``b = 0 .. cap``: the
    value of a known choice (``lower``) and a proven bound (``upper``), both
    non-decreasing. ``choice(b)`` is the key of the choice behind ``lower[b]`` (``-1``:
    the part's own default choice of ``b`` sites, e.g. its greedy prefix)."""

    lower: np.ndarray
    upper: np.ndarray
    origin: np.ndarray = field(init=False)
    chosen: dict[int, Any] = field(default_factory=dict)
    solved: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.lower = np.maximum.accumulate(np.asarray(self.lower, dtype=np.float64))
        upper = np.asarray(self.upper, dtype=np.float64)
        self.upper = np.maximum(np.minimum.accumulate(upper[::-1])[::-1], self.lower)
        self.origin = np.full(self.lower.size, -1, dtype=np.int64)

    def choice(self, b: int) -> Any:
        """The choice behind ``lower[b]``: ``None`` for the default, else as learned."""
        key = int(self.origin[b])
        return None if key < 0 else self.chosen[key]

    def learn(self, b: int, choice: Any, value: float, bound: float, *,
              solved: bool = True) -> None:
        """A solve's answer at budget ``b``: its choice serves every larger budget too,
        and its bound every smaller one."""
        if solved:
            self.solved.add(b)
        better = np.flatnonzero(self.lower[b:] < value) + b
        if better.size:
            self.chosen[b] = choice
            self.lower[better] = value
            self.origin[better] = b
        self.upper[: b + 1] = np.minimum(self.upper[: b + 1], max(bound, value))
        self.upper = np.maximum(self.upper, self.lower)


@dataclass(frozen=True)
class Shared:
    """The budget shared among parts: the plan's ``split`` and value (``lower``), the
    proven ``upper`` bound on any split, and the solves it took."""

    split: np.ndarray
    lower: float
    upper: float
    solves: int
    rounds: int


def share_with_proof(
    curves: Sequence[Curves],
    budget: int,
    solve: Callable[[list[tuple[int, int]]], list[tuple[Any, float, float] | None]],
    *,
    done: Callable[[float, float], bool],
    out_of_time: Callable[[], bool],
) -> Shared:
    """Share ``budget`` among parts, solving parts exactly only where it matters.

    Dynamic programming over the upper curves gives a bound on every split; over the
    lower curves, a plan. While ``done(lower, upper)`` is false, every part whose upper
    curve is above its lower curve at the bound's split is solved at that budget
    (``solve`` gets the ``(part, budget)`` asks at once, to run them side by side, and
    returns per ask ``(choice, value, bound)`` or ``None`` when it ran out of time), and
    the budget is shared again. A part solved at ``b`` is never asked at ``b`` again, so
    this ends: proven, or with the last split and its honest bound.
    """
    solves = rounds = 0
    while True:
        upper, upper_split = share_budget([c.upper for c in curves], budget)
        lower, lower_split = share_budget([c.lower for c in curves], budget)
        if done(lower, upper) or out_of_time():
            break
        asks = [(int(c), int(upper_split[c])) for c in np.flatnonzero(upper_split > 0)
                if curves[c].upper[upper_split[c]] > curves[c].lower[upper_split[c]]
                and int(upper_split[c]) not in curves[c].solved]
        if not asks:
            break
        asks.sort(key=lambda a: curves[a[0]].lower[a[1]] - curves[a[0]].upper[a[1]])
        rounds += 1
        for (c, b), answer in zip(asks, solve(asks), strict=True):
            if answer is not None:
                solves += 1
                curves[c].learn(b, *answer)
    return Shared(lower_split, lower, upper, solves, rounds)
