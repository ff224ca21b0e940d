"""The Lagrangian bound of the maximal covering problem, and the sites it proves in or out."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ._values import REL_TOL, gather

# Subgradient limits (each iteration is one sparse product with A and a partition).
MAX_ITER = 400
PATIENCE = 15


@dataclass
class Lagrange:
    bound: float
    u: np.ndarray
    c: np.ndarray  # A.T @ u: Lagrangian value of every site
    iterations: int


def lagrangian_mclp(
    Af: sp.csr_array,
    AfT: sp.csr_array,
    Ac: sp.csc_array,
    w: np.ndarray,
    p: int,
    lower: float,
    *,
    max_iter: int = MAX_ITER,
    deadline: float = math.inf,
) -> Lagrange:
    """Subgradient optimisation of the Lagrangian bound of the MCLP.

    Relaxing ``y_i <= sum_j a_ij x_j`` with multipliers ``0 <= u_i <= w_i`` gives
    ``L(u) = sum_i (w_i - u_i) + (sum of the p largest c_j)``, ``c = A.T @ u``, a valid upper
    bound for every ``u`` (its minimum equals the LP relaxation bound). Polyak steps towards
    ``lower`` (the greedy value), halving the step after ``PATIENCE`` iterations
    without improvement.
    """
    n, m = Af.shape
    u = w.copy()  # L(w) = sum of the p heaviest sites: the trivial bound
    best = Lagrange(math.inf, u, np.zeros(m), 0)
    lam, since = 2.0, 0
    tol = REL_TOL * max(lower, 1e-300)
    k = 0
    for k in range(max_iter):
        c = AfT @ u
        top = np.argpartition(-c, p - 1)[:p] if p < m else np.arange(m)
        val = float((w - u).sum() + c[top].sum())
        if val < best.bound:
            best = Lagrange(val, u.copy(), c, k + 1)
            since = 0
        else:
            since += 1
            if since >= PATIENCE:
                lam, since = lam / 2, 0
        if best.bound - lower <= tol or lam < 1e-4 or time.perf_counter() > deadline:
            break
        cnt = np.bincount(gather(Ac.indptr, Ac.indices, top), minlength=n)
        g = cnt - (u < w)
        nrm = float(g @ g)
        if nrm == 0:
            break
        u = np.clip(u - (lam * (val - lower) / nrm) * g, 0.0, w)
    best.iterations = k + 1
    return best


def fix_by_bound(lg: Lagrange, p: int, lower: float) -> tuple[np.ndarray, np.ndarray]:
    """Sites provably out of (``drop``) or in (``fix``) every solution better than ``lower``.

    With site ``j`` forced in, the Lagrangian bound becomes ``L - c_(p) + c_j`` when ``j`` is not
    among the ``p`` largest ``c``; forced out, ``L - c_j + c_(p+1)`` when it is. A bound below
    the greedy value ``lower`` proves the choice can not be in an optimal solution (and the
    greedy solution, worth ``lower``, always satisfies every such fixing).
    """
    c = lg.c
    m = c.size
    if m <= p:
        return np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
    order = np.argpartition(-c, [p - 1, p])
    in_top = np.zeros(m, dtype=bool)
    in_top[order[:p]] = True
    cp, cp1 = c[order[p - 1]], c[order[p]]
    slack = lower - REL_TOL * max(abs(lower), 1e-300)
    with_j = np.where(in_top, lg.bound, lg.bound - cp + c)
    without_j = np.where(in_top, lg.bound - c + cp1, lg.bound)
    return with_j < slack, without_j < slack
