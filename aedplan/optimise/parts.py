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

__all__ = ["Curves", "Fewest", "Shared", "best_totals", "by_first_seen", "components",
           "fewest_with_proof", "share_budget", "share_with_proof"]


#: On a cluster, each round of budget sharing solves the loose parts at their shares and,
#: on workers left idle by those, at up to this many budgets on either side
#: (:func:`share_with_proof`).
SPREAD = 2

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
    A = sp.csr_array(A)
    # rows link to their columns (numbered after the rows); built as CSR without a COO
    # copy of the matrix, which took twice the memory of the graph itself
    indptr = np.concatenate([A.indptr, np.full(m, A.indptr[-1], dtype=A.indptr.dtype)])
    graph = sp.csr_array((np.ones(A.nnz, dtype=np.float64), A.indices + n, indptr),
                         shape=(n + m, n + m))
    k, label = csgraph.connected_components(graph, directed=False)
    label = by_first_seen(label)
    return int(k), label[:n], label[n:]


def by_first_seen(label: np.ndarray) -> np.ndarray:
    """``label`` renumbered 0, 1, 2... in order of first appearance: the same groups
    whatever numbers a labelling (scipy's connected components) happens to give them.

    >>> by_first_seen(np.array([7, 7, 2, 9, 2])).tolist()
    [0, 0, 1, 2, 1]
    """
    keys, first, inverse = np.unique(label, return_index=True, return_inverse=True)
    rank = np.empty(keys.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(keys.size)
    return rank[inverse.reshape(-1)]


def _convolve(best: np.ndarray, curve: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Max-plus convolution of ``best`` (best total with at most ``p`` sites) with one
    part's curve: the new totals and, per ``p``, the part's share. Rows go in blocks, so
    memory stays bounded for budgets in the tens of thousands."""
    v = np.asarray(curve, dtype=np.float64)[: best.size]
    if v.size == 0:
        v = np.zeros(1)
    out = np.empty(best.size)
    pick = np.empty(best.size, dtype=np.int64)
    step = max(1, (1 << 22) // v.size)
    k = np.arange(v.size)
    for lo in range(0, best.size, step):
        p = np.arange(lo, min(lo + step, best.size))
        rest = p[:, None] - k[None, :]
        total = np.where(rest >= 0, best[np.maximum(rest, 0)] + v[None, :], -np.inf)
        pick[p] = np.argmax(total, axis=1)
        out[p] = total[np.arange(p.size), pick[p]]
    return out, pick


def best_totals(curves: Sequence[np.ndarray], budget: int) -> np.ndarray:
    """The best total of all parts for every budget ``0 .. budget`` (see
    :func:`share_budget`)."""
    best = np.zeros(budget + 1)
    for curve in curves:
        best, _ = _convolve(best, curve)
    return best


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
    picks = []
    for curve in curves:
        best, pick = _convolve(best, curve)
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

    def below(self, bound: np.ndarray) -> None:
        """A bound at every budget ``b`` at once, ``bound[b]`` (a Lagrangian bound of
        the part; budgets past its end take its last value)."""
        bound = np.asarray(bound, dtype=np.float64)
        n = self.upper.size
        full = (bound[:n] if bound.size >= n
                else np.r_[bound, np.full(n - bound.size, bound[-1] if bound.size else 0.0)])
        self.upper = np.maximum(np.minimum(self.upper, full), self.lower)

    def below_line(self, intercept: float, slope: float) -> None:
        """A bound at every budget at once: no choice of ``b`` sites is worth more than
        ``intercept + slope * b`` (a priced solve's answer, ``slope >= 0``)."""
        line = intercept + slope * np.arange(self.upper.size)
        self.upper = np.maximum(np.minimum(self.upper, line), self.lower)


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
    spread: int = 0,
    slots: int | None = None,
) -> Shared:
    """Share ``budget`` among parts, solving parts exactly only where it matters.

    Dynamic programming over the upper curves gives a bound on every split; over the
    lower curves, a plan. While ``done(lower, upper)`` is false, every part whose upper
    curve is above its lower curve at the bound's split is solved at that budget, and
    with ``spread`` at up to ``spread`` budgets on either side of it too, where the
    split moves once a bound tightens, as long as a round has fewer than ``slots`` asks
    (the solves that run side by side; ``None``: no limit): a neighbour never delays a
    share. ``solve`` gets the ``(part, budget)`` asks of a round at once and returns per
    ask ``(choice, value, bound)`` or ``None`` when it ran out of time; then the budget
    is shared again. An answer may carry a fourth item, ``False``, when it did not settle
    the part at ``b`` (a solve that taught the curves in another way, e.g. by
    :meth:`Curves.below_line`): the part may be asked there again. A part solved at ``b``
    is never asked at ``b`` again, so this ends (as long as ``solve`` settles an ask it
    was given before): proven, or with the last split and its honest bound.
    """
    solves = rounds = 0
    while True:
        upper, upper_split = share_budget([c.upper for c in curves], budget)
        lower, lower_split = share_budget([c.lower for c in curves], budget)
        if done(lower, upper) or out_of_time():
            break
        asks = _asks(curves, upper_split, spread, slots)
        if not asks:
            break
        rounds += 1
        for (c, b), answer in zip(asks, solve(asks), strict=True):
            if answer is not None:
                solves += 1
                curves[c].learn(b, *answer[:3], solved=len(answer) < 4 or bool(answer[3]))
    return Shared(lower_split, lower, upper, solves, rounds)


def _asks(curves: Sequence[Curves], split: np.ndarray, spread: int,
          slots: int | None) -> list[tuple[int, int]]:
    """The ``(part, budget)`` solves of a round: each part whose bound is loose at its
    share, there (the loosest first), then, while the round has fewer than ``slots``
    asks, at the budgets up to ``spread`` on either side, nearest first, where loose and
    not solved yet."""
    def loose(c: int, k: int) -> bool:
        return curves[c].upper[k] > curves[c].lower[k] and k not in curves[c].solved

    shares = [(c, int(split[c])) for c in np.flatnonzero(split > 0).tolist()
              if curves[c].upper[split[c]] > curves[c].lower[split[c]]]
    asks = [(c, b) for c, b in shares if loose(c, b)]
    asks.sort(key=lambda a: curves[a[0]].lower[a[1]] - curves[a[0]].upper[a[1]])
    room = len(asks) + spread * 2 * len(shares) if slots is None else slots
    for d in (k for step in range(1, spread + 1) for k in (step, -step)):
        for c, b in shares:
            if len(asks) < room and 1 <= b + d < curves[c].upper.size and loose(c, b + d):
                asks.append((c, b + d))
    return asks


@dataclass(frozen=True)
class Fewest:
    """The fewest sites that reach a value: the plan's ``count`` and ``split``, its
    ``value``, and a proven ``lower`` bound on the count (``count == lower``: proven)."""

    count: int
    lower: int
    split: np.ndarray
    value: float
    solves: int
    rounds: int


def _merged(curves: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every part's increments, each part's sorted largest first, merged largest first:
    ``(increment, part, how many of that part's increments up to it)``."""
    inc = [np.sort(np.diff(np.asarray(c, dtype=np.float64)))[::-1] for c in curves]
    d = np.concatenate(inc) if inc else np.zeros(0)
    part = np.repeat(np.arange(len(inc)), [i.size for i in inc])
    rank = np.concatenate([np.arange(1, i.size + 1) for i in inc]) if inc else part
    order = np.lexsort((part, -d))
    return d[order], part[order], rank[order]


def _first_at_least(totals: np.ndarray, need: float) -> int | None:
    hit = np.flatnonzero(totals >= need)
    return int(hit[0]) if hit.size else None


def fewest_with_proof(
    curves: Sequence[Curves],
    need: float,
    solve: Callable[[list[tuple[int, int]]], list[tuple[Any, float, float] | None]],
    *,
    out_of_time: Callable[[], bool],
    spread: int = 0,
    slots: int | None = None,
) -> Fewest | None:
    """The fewest sites, shared among parts, whose total value reaches ``need``
    (``None``: no known choice reaches it; with lower curves that run until no site adds
    value, as greedy ones do, nothing does).

    A first range for the count comes cheaply from merged increments: the ``B`` largest
    increments of the upper curves, each part's sorted, bound any split of ``B`` sites
    from above (sorting makes a curve's increments no smaller in every prefix), and the
    split that the ``B`` largest of the lower curves' increments make is a plan. The
    range is then closed by bisection, each count decided exactly by
    :func:`share_with_proof` (solving parts only until the plan reaches ``need`` or the
    bound falls short of it; ``spread`` and ``slots`` as there). ``need`` is met within a relative
    ``1e-9``.
    """
    if need <= 0:
        return Fewest(0, 0, np.zeros(len(curves), dtype=np.int64), 0.0, 0, 0)
    if not curves:
        return None
    need -= 1e-9 * need  # sums in another order differ in the last bits
    d, _, _ = _merged([c.upper for c in curves])
    low = _first_at_least(np.r_[0.0, np.cumsum(d)], need)
    if low is None:
        return None
    d, part, rank = _merged([c.lower for c in curves])
    steps = np.concatenate([np.diff(c.lower) for c in curves])
    start = np.r_[0, np.cumsum([c.lower.size - 1 for c in curves])[:-1]]
    high = _first_at_least(np.r_[0.0, np.cumsum(steps[start[part] + rank - 1])], need)
    if high is None:
        return None
    split = np.bincount(part[:high], minlength=len(curves)).astype(np.int64)
    low = min(low, high)
    value = float(sum(c.lower[b] for c, b in zip(curves, split, strict=True)))
    solves = rounds = 0
    while low < high and not out_of_time():
        probe = (low + high) // 2
        shared = share_with_proof(curves, probe, solve,
                                  done=lambda lo, up: lo >= need or up < need,
                                  out_of_time=out_of_time, spread=spread, slots=slots)
        solves, rounds = solves + shared.solves, rounds + shared.rounds
        if shared.lower >= need:
            high, split, value = probe, shared.split, shared.lower
        elif shared.upper < need:
            low = probe + 1
        else:
            break
    return Fewest(int(high), int(low), split, value, solves, rounds)
