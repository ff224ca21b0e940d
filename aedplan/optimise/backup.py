"""Backup coverage: maximal covering that also values a second AED in reach."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import _validate
from . import _highs
from ._greedy import checkpoint_steps, greedy_bound, lazy_greedy
from ._highs import Deadline
from ._inputs import check
from ._reduce import Reduced, reduce
from ._values import REL_TOL, backup_value, increments
from .mclp import Solver, greedy_plan
from .result import Plan, make_plan

__all__ = ["solve_backup"]


def solve_backup(
    A: Any,
    weights: Any,
    budget: int,
    *,
    existing_count: Any = None,
    fixed: Any = None,
    backup_weight: float = 0.5,
    solver: Solver = "exact",
    time_limit_s: float = 60.0,
    mip_rel_gap: float = _validate.DEFAULT_MIP_GAP,
    threads: int | None = None,
) -> Plan:
    """Maximal covering that also values a second AED in reach (backup coverage).

    Maximises ``sum_i w_i y1_i + backup_weight * sum_i w_i y2_i`` with
    ``y1_i + y2_i <= existing_i + sum_j a_ij x_j``, ``y2_i <= y1_i``, ``sum_j x_j <= budget``:
    a demand point counts once when one AED is in reach and ``1 + backup_weight`` times when two
    are (in case the nearest one is in use, locked or missing).

    Parameters
    ----------
    A
        ``n_demand x n_sites`` coverage matrix (scipy.sparse or dense; nonzero = covered).
    weights
        ``(n_demand,)`` demand weights, ``>= 0``.
    budget
        Maximum number of new sites.
    existing_count
        ``(n_demand,)`` number of existing AEDs in reach of each demand point (default 0).
    fixed
        Column indices of ``A`` in every solution at no cost (the existing AEDs, when
        ``A`` has a column for each); they add to ``existing_count``.
    backup_weight
        Value of a second AED in reach relative to the first, in ``[0, 1]``.
    solver
        ``"exact"`` (MILP via HiGHS) or ``"greedy"``.
    time_limit_s, mip_rel_gap, threads
        As in :func:`solve_mclp`.

    Returns
    -------
    Plan
        ``problem="backup"``; ``objective`` is the weighted value above (existing AEDs
        included), ``double_covered_weight`` the weight with two or more AEDs in reach.

    Notes
    -----
    Only the reductions that stay valid with double coverage are applied (merging identical
    demand rows with the same existing count, dropping sites that cover nothing): two identical
    sites can both be worth placing here, so dominated sites are kept. With
    ``backup_weight <= 1`` the objective is submodular, so the lazy greedy and its bound apply.

    Examples
    --------
    >>> import aedplan, numpy as np
    >>> A = np.array([[1, 1, 0], [0, 1, 1], [0, 0, 1]])  # demand x sites
    >>> plan = aedplan.solve_backup(A, [1, 1, 1], 2, backup_weight=0.5)
    >>> sorted(plan.sites.tolist())  # every place covered, and the first two twice
    [1, 2]
    """
    t0 = time.perf_counter()
    inp = check(
        A, weights, existing_count=existing_count, fixed=fixed, budget=budget, solver=solver,
        time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap, threads=threads,
        backup_weight=backup_weight,
    )
    beta = float(backup_weight)
    if solver == "greedy":
        return greedy_plan(inp, problem="backup", t_start=t0, backup_weight=beta)
    assert inp.budget is not None
    p = inp.budget
    incr = increments(beta)
    level0 = np.minimum(inp.existing, 2)
    red = reduce(inp.A, np.where(level0 >= 2, 0.0, inp.weights), dominance=False, level=level0)
    t1 = time.perf_counter()
    Bc = sp.csc_array(red.A)
    g = lazy_greedy(Bc, red.weights, red.level, incr, p, checkpoints=checkpoint_steps(p, 6))
    gvalue = float(g.gains.sum())
    room = float(red.weights @ np.cumsum(incr[::-1])[::-1][red.level])
    bound = min(float(greedy_bound(g.checkpoints, np.array([p]))[0]), room)
    t2 = time.perf_counter()
    best = _highs.Settled(g.sites, gvalue, bound, "optimal", 0.0)
    if bound - gvalue > REL_TOL * max(bound, 1e-300) and p < red.A.shape[1]:
        best = _exact_backup(red, g.sites, gvalue, bound, p, beta, deadline=Deadline.after(
            time_limit_s, t0), mip_rel_gap=float(mip_rel_gap), threads=threads)
    elif p >= red.A.shape[1]:
        # The greedy skips a site only once it adds nothing (and gains only shrink), so with a
        # budget for every site it is worth as much as all of them: optimal.
        best = _highs.Settled(g.sites, gvalue, gvalue, "optimal", 0.0)
    timings = {"_t0": t0, "reduce": t1 - t0, "greedy": t2 - t1, "milp": best.seconds}
    milp_size = red.A.shape if best.seconds else (0, 0)
    return make_plan(
        inp, sp.csc_array(inp.A), red.sites[best.sites], problem="backup", solver="exact",
        status=best.status, bound=best.bound, budget=p, timings=timings, reduced=red.A.shape,
        milp_size=milp_size, backup_weight=beta,
    )


def _exact_backup(
    red: Reduced,
    start: np.ndarray,
    start_value: float,
    bound: float,
    p: int,
    beta: float,
    *,
    deadline: Deadline,
    mip_rel_gap: float,
    threads: int | None,
) -> _highs.Settled:
    """The backup-coverage MILP over ``[x (sites), y1, y2 (demand)]``:
    ``y1 + y2 - A x <= existing``, ``y2 <= y1``, ``sum x <= p``."""
    B, wb, lev = red.A, red.weights, red.level
    nb, mb = B.shape
    incr = increments(beta)
    scale = float(wb.mean())
    Bf = B.astype(np.float64)
    eye = sp.eye_array(nb, format="csr")
    M = sp.csc_array(sp.vstack([
        sp.hstack([-Bf, eye, eye]),
        sp.hstack([sp.csr_array((nb, mb)), -eye, eye]),
        _highs.budget_row(mb, 2 * nb),
    ]))
    model = _highs.Model(
        maximise=True,
        cost=np.concatenate([np.zeros(mb), wb / scale, beta * wb / scale]),
        lower=np.concatenate([np.zeros(mb), (lev >= 1).astype(float), np.zeros(nb)]),
        upper=np.ones(mb + 2 * nb),
        n_int=mb,
        M=M,
        row_lower=np.full(2 * nb + 1, -np.inf),
        row_upper=np.concatenate([lev.astype(float), np.zeros(nb), [p]]),
    )
    x0 = np.zeros(mb)
    x0[start] = 1.0
    k0 = lev + np.asarray(Bf @ x0).ravel()
    res = _highs.run(
        model,
        start=np.concatenate([x0, np.minimum(k0, 1.0), np.clip(k0 - 1.0, 0.0, 1.0)]),
        deadline=deadline, mip_rel_gap=mip_rel_gap, threads=threads,
    )
    Bc = sp.csc_array(B)
    base = float(wb @ np.concatenate([[0.0], np.cumsum(incr[:-1])])[lev])
    return _highs.settle(
        res,
        incumbent=start,
        incumbent_value=start_value,
        decode=lambda x: np.flatnonzero(x[:mb] > 0.5),
        evaluate=lambda sites: backup_value(Bc, wb, lev, incr, sites),
        feasible=lambda sites: sites.size <= p,
        maximise=True,
        bound_of=lambda dual: dual * scale - base,
        prior_bound=bound,
        scale=scale,
    )
