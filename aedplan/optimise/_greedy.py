"""Greedy and local search: the incumbent every exact solve starts from.

The lazy greedy (Minoux) keeps stale marginal gains in a heap as upper bounds and only
re-evaluates the top, so a step costs a few column sums; it is within ``1 - 1/e`` of the
optimum (Nemhauser, Wolsey and Fisher 1978), and its prefixes give a proven bound. The
swap search then tries every one-in, one-out exchange at once.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ._values import REL_TOL, coverage_value, gather


@dataclass
class Greedy:
    sites: np.ndarray
    gains: np.ndarray
    level: np.ndarray
    # (steps taken, value gained so far, marginal gains of all sites sorted descending, cumsum)
    checkpoints: list[tuple[int, float, np.ndarray]]


def lazy_greedy(
    Ac: sp.csc_array,
    weights: np.ndarray,
    level: np.ndarray,
    incr: np.ndarray,
    budget: int,
    *,
    candidates: np.ndarray | None = None,
    target: float | None = None,
    checkpoints: np.ndarray | None = None,
) -> Greedy:
    """Lazy greedy on a coverage function with exact marginal gains.

    A demand point with ``k`` AEDs in reach gains ``weights * incr[k]`` from one more (``incr``
    is non-increasing, so the objective is submodular and stale gains are upper bounds).
    A heap holds those upper bounds; the top is re-evaluated on its CSC column and taken when it
    still beats the next bound. Stops after ``budget`` sites, when nothing adds value, or once
    the gained value reaches ``target``. At the steps listed in ``checkpoints`` (and at the end)
    every marginal gain is computed, for the bound ``f(S) + sum of the p largest gains``.
    """
    ptr, ind = Ac.indptr, Ac.indices
    top = incr.size - 1
    lev = level.copy()
    r = weights * incr[np.minimum(lev, top)]
    m = Ac.shape[1]
    cols = np.arange(m) if candidates is None else np.asarray(candidates, dtype=np.int64)
    gains0 = np.asarray(Ac.T @ r).ravel() if cols.size else np.zeros(0)
    ub = gains0[cols] if candidates is not None else gains0
    heap = list(zip((-ub).tolist(), cols.tolist(), strict=True))
    heapq.heapify(heap)
    chosen: list[int] = []
    gains: list[float] = []
    got = 0.0
    marks = set() if checkpoints is None else {int(k) for k in checkpoints}
    cps: list[tuple[int, float, np.ndarray]] = []

    def checkpoint() -> None:
        g = np.asarray(Ac.T @ r).ravel()
        if candidates is not None:
            g = g[cols]
        cps.append((len(chosen), got, np.cumsum(-np.sort(-g))))

    if 0 in marks:
        checkpoint()
    while heap and len(chosen) < budget and (target is None or got < target):
        _, j = heapq.heappop(heap)
        rows = ind[ptr[j] : ptr[j + 1]]
        g = float(r[rows].sum())
        if g <= 0.0:
            continue  # gains only shrink: this site will never add anything
        if heap and g < -heap[0][0]:
            heapq.heappush(heap, (-g, j))
            continue
        chosen.append(j)
        gains.append(g)
        got += g
        lev[rows] += 1
        r[rows] = weights[rows] * incr[np.minimum(lev[rows], top)]
        if len(chosen) in marks:
            checkpoint()
    if checkpoints is not None and (not cps or cps[-1][0] != len(chosen)):
        checkpoint()
    return Greedy(
        sites=np.asarray(chosen, dtype=np.int64),
        gains=np.asarray(gains, dtype=np.float64),
        level=lev,
        checkpoints=cps,
    )


def greedy_bound(cps: list[tuple[int, float, np.ndarray]], budgets: np.ndarray) -> np.ndarray:
    """Upper bound on the best value gained with ``p`` sites, for every ``p`` in ``budgets``.

    For any greedy prefix ``S_k`` and any ``p``: ``OPT(p) <= f(S_k) + (p largest gains at
    S_k)`` (submodularity; Nemhauser, Wolsey and Fisher 1978). The minimum over the prefixes.
    """
    budgets = np.asarray(budgets, dtype=np.int64)
    best = np.full(budgets.shape, np.inf)
    for _, got, csum in cps:  # a handful of checkpoints, each a vector op over budgets
        add = np.where(
            budgets > 0,
            csum[np.clip(budgets - 1, 0, max(csum.size - 1, 0))] if csum.size else 0.0,
            0.0,
        )
        best = np.minimum(best, got + add)
    return best


def swap_improve(
    Ac: sp.csc_array,
    Af: sp.csr_array,
    AfT: sp.csr_array,
    w: np.ndarray,
    sites: np.ndarray,
    value: float,
    *,
    deadline: float,
    max_swaps: int,
) -> tuple[np.ndarray, float]:
    """Best-improvement 1-swap local search for the MCLP (one site out, one site in).

    With ``cnt`` the number of chosen sites covering each row, swapping ``s`` out and ``j`` in
    changes the covered weight by ``gain_j - loss_s + overlap_js``: ``gain_j`` is the
    uncovered weight ``j`` covers, ``loss_s`` the weight only ``s`` covers, ``overlap_js`` the
    part of that ``j`` covers too. ``overlap`` is one sparse product over the rows covered
    once, so every swap is evaluated at once; the best is applied until none improves.
    """
    n, m = Af.shape
    chosen = np.asarray(sites, dtype=np.int64).copy()
    if chosen.size == 0 or chosen.size >= m:
        return chosen, value
    for _ in range(max_swaps):  # loop over improving swaps, each fully vectorised
        if time.perf_counter() > deadline:
            break
        cnt = np.bincount(gather(Ac.indptr, Ac.indices, chosen), minlength=n)
        gain = AfT @ (w * (cnt == 0))
        gain[chosen] = -np.inf
        w1 = w * (cnt == 1)
        loss = (AfT @ w1)[chosen]
        once = np.flatnonzero(cnt == 1)
        sub = Af[once]
        overlap = (sub.T @ sub[:, chosen].multiply(w1[once][:, None])).tocoo()
        j, s = int(np.argmax(gain)), int(np.argmin(loss))
        best = gain[j] - loss[s]
        if overlap.nnz:
            delta = gain[overlap.row] - loss[overlap.col] + overlap.data
            k = int(np.argmax(delta))
            if delta[k] > best:
                best, j, s = delta[k], int(overlap.row[k]), int(overlap.col[k])
        if not best > REL_TOL * max(value, 1e-300):
            break
        chosen[s] = j
        value += float(best)
    return chosen, coverage_value(Ac, w, chosen)


def checkpoint_steps(budget: int, n: int = 24) -> np.ndarray:
    if budget <= 0:
        return np.array([0])
    return np.unique(np.concatenate([[0], np.geomspace(1, budget, n).round().astype(int)]))
