"""The core of an exact maximal-covering solve: what is left once the bound has fixed
sites in and out, solved by HiGHS."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import _highs
from ._cuts import root_cuts
from ._greedy import lazy_greedy, swap_improve
from ._highs import Deadline
from ._reduce import Reduced, reduce
from ._values import as_float, coverage_value, gather, increments

__all__ = ["Core", "Priced", "core_instance", "solve_core", "solve_priced"]

#: Below this many covering pairs the MILP is solved at once and cuts are not worth an LP.
CUTS_MIN_NNZ = 20_000


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
    cuts: bool = False,
) -> Core:
    """Maximise coverage with ``p`` sites, the ``fix`` sites in and the ``drop`` sites out.

    Rows covered by fixed sites are done; the rest (rows coverable by free sites, identical
    rows merged) goes to HiGHS, warm-started from ``start`` restricted to the core, or from a
    greedy run on the core when ``start`` is None. With ``cuts`` (and a core of at least
    :data:`CUTS_MIN_NNZ` covering pairs), the root LP is solved first with odd-cycle cuts
    (:func:`~aedplan.optimise._cuts.root_cuts`, in at most a fifth of the time left): the
    cuts join the model, the LP's choices, rounded and improved by swaps, replace the
    start when one covers more, and no MILP is run when the LP's bound proves the start.
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
    root = None
    if cuts and B.nnz >= CUTS_MIN_NNZ:
        root = root_cuts(B, wb, pb, deadline=deadline.share(0.2))
    if root is not None and root.x:
        x0 = _rounded(B, wb, root.x, x0, pb)
        chosen = np.concatenate([fixed, core_sites[x0 > 0.5]])
        value = coverage_value(Ac, w, chosen)
        bound = max(root.bound + const, value)
        status = _highs.status_from("optimal", value, bound, True, float(wb.mean()))
        if bound - value <= mip_rel_gap * bound or status == "optimal":  # no MILP needed
            return Core(chosen, value, bound, status, (nb, mb), root.seconds, float(wb.mean()))
    extra = root.rows if root is not None else sp.csr_array((0, mb + nb))
    scale = float(wb.mean())  # HiGHS works on weights of mean 1: tolerances are per demand point
    model = _highs.Model(
        maximise=True,
        cost=np.concatenate([np.zeros(mb), wb / scale]),
        lower=np.zeros(mb + nb),
        upper=np.ones(mb + nb),
        n_int=mb,
        M=sp.csc_array(sp.vstack([_highs.covering_rows(B), _highs.budget_row(mb, nb), extra])),
        row_lower=np.full(nb + 1 + extra.shape[0], -np.inf),
        row_upper=np.concatenate([np.zeros(nb), [pb],
                                  np.zeros(0) if root is None else root.rhs]),
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
        prior_bound=math.inf if root is None else root.bound + const,
        scale=scale,
    )
    return Core(settled.sites, settled.value, settled.bound, settled.status, (nb, mb),
                settled.seconds + (0.0 if root is None else root.seconds), scale)


def _rounded(B: sp.csr_array, wb: np.ndarray, x_lp: list[np.ndarray], x0: np.ndarray,
             pb: int) -> np.ndarray:
    """The best of ``x0`` and of each LP's ``pb`` largest sites improved by swaps."""
    Bc = sp.csc_array(B)
    Af, AfT = as_float(B), as_float(Bc).T
    best, best_value = np.flatnonzero(x0 > 0.5), coverage_value(Bc, wb, np.flatnonzero(x0 > 0.5))
    start = best
    for x in x_lp:  # one LP per round of cuts
        top = np.argsort(-x, kind="stable")[:pb]
        sites, value = swap_improve(Bc, Af, AfT, wb, top, coverage_value(Bc, wb, top),
                                    deadline=math.inf, max_swaps=2 * pb)
        if value > best_value:
            best, best_value = sites, value
    if best is start:
        return x0
    better = np.zeros_like(x0)
    better[best] = 1.0
    return better


@dataclass(frozen=True)
class Priced:
    """The best choice when every site costs ``price``: its sites and covered weight, and
    a proven ``intercept``: no choice of ``k`` sites covers more than
    ``intercept + price * k``, whatever ``k``."""

    sites: np.ndarray
    value: float
    intercept: float
    seconds: float


def solve_priced(
    B: sp.csr_array,
    wb: np.ndarray,
    price: float,
    start: np.ndarray,
    *,
    deadline: Deadline,
    threads: int | None,
    mip_rel_gap: float = 0.0,
) -> Priced:
    """Maximise covered weight minus ``price`` per site, with no budget (the budget row
    relaxed with the multiplier ``price``), proven within ``mip_rel_gap`` of the best.

    One solve bounds the best value at every budget at once: ``v(k) <= g + price * k``
    with ``g`` the optimum (or HiGHS's bound on it, proven to its tolerance of ``1e-6`` of
    a mean weight, as every bound here), a line above the part's curve that touches it
    at the ``k`` the solution has. Warm-started from ``start``.
    """
    nb, mb = B.shape
    Bc = sp.csc_array(B)
    scale = float(wb.mean()) or 1.0
    x0 = np.zeros(mb)
    x0[start] = 1.0
    model = _highs.Model(
        maximise=True,
        cost=np.concatenate([np.full(mb, -price / scale), wb / scale]),
        lower=np.zeros(mb + nb),
        upper=np.ones(mb + nb),
        n_int=mb,
        M=_highs.covering_rows(B),
        row_lower=np.full(nb, -np.inf),
        row_upper=np.zeros(nb),
    )
    res = _highs.run(model, start=np.concatenate([x0, _highs.covered_by(B, x0)]),
                     deadline=deadline, mip_rel_gap=mip_rel_gap, threads=threads)
    start = np.asarray(start, dtype=np.int64)
    settled = _highs.settle(
        res,
        incumbent=start,
        incumbent_value=coverage_value(Bc, wb, start) - price * start.size,
        decode=lambda x: np.flatnonzero(x[:mb] > 0.5),
        evaluate=lambda sites: coverage_value(Bc, wb, sites) - price * sites.size,
        feasible=lambda sites: True,
        maximise=True,
        bound_of=lambda dual: dual * scale,
        prior_bound=math.inf,
        scale=scale,
    )
    return Priced(settled.sites, coverage_value(Bc, wb, settled.sites), settled.bound,
                  settled.seconds)
