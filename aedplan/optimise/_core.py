"""The core of an exact maximal-covering solve: what is left once the bound has fixed
sites in and out, solved by HiGHS."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import _highs
from ._greedy import lazy_greedy
from ._highs import Deadline
from ._reduce import Reduced, reduce
from ._values import coverage_value, gather, increments

__all__ = ["Core", "core_instance", "solve_core"]


@dataclass(frozen=True)
class Core:
    """The MILP on what the bound left open."""

    sites: np.ndarray  # reduced column indices (fixed ones included)
    value: float  # covered reduced weight
    bound: float  # upper bound over every solution that respects the fixings
    status: str
    size: tuple[int, int]
    seconds: float
    scale: float


def core_instance(
    red: Reduced, Ac: sp.csc_array, fix: np.ndarray, drop: np.ndarray
) -> tuple[sp.csr_array, np.ndarray, np.ndarray, np.ndarray, float]:
    """What is left to decide once the ``fix`` sites are in and the ``drop`` sites out:
    ``(B, weights, core_sites, fixed, const)``, the rows not covered by fixed sites
    (identical ones merged) by the free sites (``core_sites``: their reduced column
    indices), and the weight the fixed sites already cover."""
    A, w = red.A, red.weights
    fixed = np.flatnonzero(fix)
    free = np.flatnonzero(~fix & ~drop)
    done = np.zeros(A.shape[0], dtype=bool)
    done[gather(Ac.indptr, Ac.indices, fixed)] = True
    sub = sp.csr_array(A[np.flatnonzero(~done)][:, free])
    sub_red = reduce(sub, w[~done], dominance=False)  # merge rows only; keep every free site
    return sub_red.A, sub_red.weights, free[sub_red.sites], fixed, float(w[done].sum())


def solve_core(
    red: Reduced,
    Ac: sp.csc_array,
    p: int,
    fix: np.ndarray,
    drop: np.ndarray,
    start: np.ndarray | None,
    *,
    deadline: Deadline,
    mip_rel_gap: float,
    threads: int | None,
) -> Core:
    """Maximise coverage with ``p`` sites, the ``fix`` sites in and the ``drop`` sites out.

    Rows covered by fixed sites are done; the rest (rows coverable by free sites, identical
    rows merged) goes to HiGHS, warm-started from ``start`` restricted to the core, or from a
    greedy run on the core when ``start`` is None.
    """
    w = red.weights
    B, wb, core_sites, fixed, const = core_instance(red, Ac, fix, drop)
    pb = p - fixed.size
    nb, mb = B.shape
    if pb <= 0 or mb == 0 or pb >= mb:
        chosen = np.concatenate([fixed, core_sites if pb > 0 else core_sites[:0]])
        value = coverage_value(Ac, w, chosen)
        return Core(chosen, value, value, "optimal", (nb, mb), 0.0, 1.0)
    if start is not None:
        x0 = np.isin(core_sites, start).astype(np.float64)
    else:
        g = lazy_greedy(sp.csc_array(B), wb, np.zeros(nb, dtype=np.int64), increments(None), pb)
        x0 = np.zeros(mb)
        x0[g.sites] = 1.0
    scale = float(wb.mean())  # HiGHS works on weights of mean 1: tolerances are per demand point
    model = _highs.Model(
        maximise=True,
        cost=np.concatenate([np.zeros(mb), wb / scale]),
        lower=np.zeros(mb + nb),
        upper=np.ones(mb + nb),
        n_int=mb,
        M=sp.csc_array(sp.vstack([_highs.covering_rows(B), _highs.budget_row(mb, nb)])),
        row_lower=np.full(nb + 1, -np.inf),
        row_upper=np.concatenate([np.zeros(nb), [pb]]),
    )
    res = _highs.run(model, start=np.concatenate([x0, _highs.covered_by(B, x0)]),
                     deadline=deadline, mip_rel_gap=mip_rel_gap, threads=threads)
    incumbent = np.concatenate([fixed, core_sites[x0 > 0.5]])
    settled = _highs.settle(
        res,
        incumbent=incumbent,
        incumbent_value=coverage_value(Ac, w, incumbent),
        decode=lambda x: np.concatenate([fixed, core_sites[x[:mb] > 0.5]]),
        evaluate=lambda sites: coverage_value(Ac, w, sites),
        feasible=lambda sites: sites.size <= p,
        maximise=True,
        bound_of=lambda dual: dual * scale + const,
        prior_bound=math.inf,
        scale=scale,
    )
    return Core(settled.sites, settled.value, settled.bound, settled.status, (nb, mb),
                settled.seconds, scale)
