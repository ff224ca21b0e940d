"""Fewest new sites: the smallest number of new AEDs that reach a target coverage."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import _validate
from ..errors import InfeasibleError, Phrase
from . import _highs
from ._bypart import fewest_by_parts
from ._greedy import lazy_greedy
from ._highs import Deadline
from ._inputs import Inputs, check
from ._reduce import Reduced, cover_dominance, reduce
from ._values import REL_TOL, coverage_value, increments
from .mclp import decide_mclp, exact_part
from .result import Plan, make_plan

__all__ = ["solve_min_sites"]

#: The direct model (minimise the count over every demand row at once) is tried, when the
#: parts leave the count open, only on instances of at most this many demand rows (they
#: get half the time): past that its MILP would only hold memory until the time runs out.
DIRECT_ROWS = 100_000


@dataclass(frozen=True)
class _Count:
    """Where a search for the fewest sites stands: the best choice and a proven lower
    bound on the count."""

    sites: np.ndarray
    lower: float
    status: str = "optimal"
    milp_s: float = 0.0
    size: tuple[int, int] = (0, 0)

    def closed(self) -> bool:
        return self.sites.size <= self.lower


def solve_min_sites(
    A: Any,
    weights: Any,
    target_coverage: float,
    *,
    covered: Any = None,
    fixed: Any = None,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = _validate.DEFAULT_MIP_GAP,
    threads: int | None = None,
) -> Plan:
    """Fewest new sites so that the covered weight reaches ``target_coverage`` of the total.

    Parameters
    ----------
    A
        ``n_demand x n_sites`` coverage matrix (scipy.sparse or dense; nonzero = covered).
    weights
        ``(n_demand,)`` demand weights, ``>= 0``.
    target_coverage
        Share of the *total* demand weight (covered by existing or new AEDs) to reach, in
        ``(0, 1]``.
    covered
        ``(n_demand,)`` booleans: demand already covered (e.g. by AEDs not in ``A``).
    fixed
        Column indices of ``A`` in every solution at no cost (the existing AEDs).
    time_limit_s
        Wall-clock limit; on the limit the best solution is returned with its bound.
    mip_rel_gap
        Relative gap at which the MILP may stop: 0.01% by default
        (:data:`aedplan.optimise.DEFAULT_MIP_GAP`, as every layer); 0 proves optimality.
    threads
        HiGHS threads (``None``: HiGHS decides).

    Returns
    -------
    Plan
        ``problem="min_sites"``; ``objective`` is the number of new sites and ``bound`` a
        proven lower bound on it.

    Raises
    ------
    InfeasibleError
        When even every candidate site together cannot reach the target; the message gives the
        largest reachable share.

    Notes
    -----
    Partial set covering: minimise ``sum x`` subject to ``sum w_i y_i >= needed`` and
    ``y_i <= sum_j a_ij x_j``, with the same exact reductions as
    :func:`~aedplan.optimise.solve_mclp`, the greedy count as warm start, and the count of
    heaviest sites needed as a first lower bound. When the sites and the demand they reach
    fall apart into independent parts (towns, districts, a province's cities), the count
    is found part by part: bisection between a proven lower bound and a plan, each count
    shared among the parts exactly, the parts solved as MCLPs only at the budgets where
    their bounds leave it open (on a cluster, side by side on its workers); else the count
    is walked down by Lagrangian decisions, then the direct model. When the target asks
    for every coverable point, the tighter set-covering model is solved instead.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 1]], dtype=bool)
    >>> solve_min_sites(A, [1.0, 2.0, 4.0], 0.9).sites.tolist()
    [2, 1]
    """
    t0 = time.perf_counter()
    inp = check(
        A, weights, covered=covered, fixed=fixed, target_coverage=target_coverage,
        time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap, threads=threads,
    )
    target = float(target_coverage)
    total = float(inp.weights.sum())
    tol = REL_TOL * total
    need = _needed(inp, target, tol)  # new weight to cover
    Ac = sp.csc_array(inp.A)
    plan_args: dict[str, Any] = {"problem": "min_sites", "solver": "exact", "budget": None,
                                 "target_coverage": target}
    if need <= 0:
        return make_plan(inp, Ac, np.zeros(0, dtype=np.int64), status="optimal", bound=0.0,
                         timings={"_t0": t0}, reduced=(0, 0), **plan_args)
    red = reduce(inp.A, np.where(inp.covered, 0.0, inp.weights))
    t1 = time.perf_counter()
    Bc = sp.csc_array(red.A)
    g = lazy_greedy(Bc, red.weights, np.zeros(red.A.shape[0], dtype=np.int64),
                    increments(None), red.A.shape[1], target=need)
    heavy = np.cumsum(-np.sort(-np.asarray(Bc.T @ red.weights).ravel()))
    lower = float(min(int(np.searchsorted(heavy, need, side="left")) + 1, g.sites.size))
    t2 = time.perf_counter()
    count = _Count(g.sites, lower)
    deadline = Deadline.after(time_limit_s, t0)
    options: dict[str, Any] = {"deadline": deadline, "mip_rel_gap": float(mip_rel_gap),
                               "threads": threads}
    # every coverable demand point must be covered (up to rounding of target * total)
    if need >= float(red.weights.sum()) * (1.0 - 1e-9) - 2.0 * tol:
        count = _set_cover(red, count, need - tol, **options)
    else:
        count = _partial_cover(red, count, need, tol, **options)
    timings = {"_t0": t0, "reduce": t1 - t0, "greedy": t2 - t1, "milp": count.milp_s}
    return make_plan(inp, Ac, red.sites[count.sites], status=count.status, bound=count.lower,
                     timings=timings, reduced=red.A.shape, milp_size=count.size, **plan_args)


def _needed(inp: Inputs, target: float, tol: float) -> float:
    """The new weight to cover; :class:`InfeasibleError` when no choice of sites can."""
    w, cov = inp.weights, inp.covered
    total = float(w.sum())
    already = float(w[cov].sum())
    reachable = already + float(w[~cov & (np.diff(inp.A.indptr) > 0)].sum())
    if reachable < target * total - tol:
        share = reachable / total if total > 0 else 0.0
        fix = (
            Phrase("Lower the target to at most {most:.3f} or add candidate sites.",
                   {"most": math.floor(share * 1000) / 1000})
            if share >= 0.001
            else Phrase("Add candidate sites near the demand (is `A` empty?).")
        )
        raise InfeasibleError(
            "target coverage {target:g} is not reachable: with every one of the {m:,} "
            "candidate sites (existing AEDs included), {share:.1%} of demand weight is within "
            "reach. {fix}" if cov.any() else
            "target coverage {target:g} is not reachable: with every one of the {m:,} "
            "candidate sites, {share:.1%} of demand weight is within reach. {fix}",
            target=target, m=inp.A.shape[1], share=share, fix=fix)
    return target * total - already - tol


def _set_cover(
    red: Reduced,
    count: _Count,
    need: float,
    *,
    deadline: Deadline,
    mip_rel_gap: float,
    threads: int | None,
) -> _Count:
    """Every remaining demand row covered at least once: tighter and much smaller than the
    partial model (no coverage variables). A demand point only one site reaches forces it."""
    if count.closed():
        return count
    B = sp.csr_array(red.A)
    mb = B.shape[1]
    forced = np.unique(B.indices[B.indptr[:-1][np.diff(B.indptr) == 1]])
    hit = np.zeros(mb)
    hit[forced] = 1.0
    done = np.asarray(B @ hit).ravel() > 0
    free = np.setdiff1d(np.arange(mb), forced)
    rest = sp.csc_array(B[~done][:, free])
    keep_col = np.diff(rest.indptr) > 0
    free, rest = free[keep_col], rest[:, keep_col]
    rows, cols = cover_dominance(sp.csr_array(rest))
    free, rest = free[cols], sp.csc_array(sp.csr_array(rest)[rows][:, cols])
    n_rest, m_rest = rest.shape
    if n_rest == 0:
        return _Count(forced, float(forced.size), "optimal", 0.0, (0, 0))
    model = _highs.Model(
        maximise=False, cost=np.ones(m_rest), lower=np.zeros(m_rest), upper=np.ones(m_rest),
        n_int=m_rest, M=sp.csc_array(rest.astype(np.float64)), row_lower=np.ones(n_rest),
        row_upper=np.full(n_rest, np.inf),
    )
    res = _highs.run(model, start=np.isin(free, count.sites).astype(np.float64),
                     deadline=deadline, mip_rel_gap=mip_rel_gap, threads=threads)
    Bc = sp.csc_array(B)
    settled = _highs.settle(
        res,
        incumbent=count.sites,
        incumbent_value=float(count.sites.size),
        decode=lambda x: np.concatenate([forced, free[x[:m_rest] > 0.5]]),
        evaluate=lambda sites: float(sites.size),
        feasible=lambda sites: coverage_value(Bc, red.weights, sites) >= need,
        maximise=False,
        bound_of=lambda dual: float(forced.size + math.ceil(dual - 1e-6)),
        prior_bound=count.lower,
        ties=False,
    )
    sites = settled.sites if settled.sites is count.sites else np.sort(settled.sites)
    return _Count(sites, settled.bound, settled.status, settled.seconds,
                  (n_rest, m_rest))


def _partial_cover(
    red: Reduced,
    count: _Count,
    need: float,
    tol: float,
    *,
    deadline: Deadline,
    mip_rel_gap: float,
    threads: int | None,
) -> _Count:
    """Part by part when the instance falls apart into independent parts
    (:func:`~aedplan.optimise._bypart.fewest_by_parts`), else walk the count down while
    the Lagrangian bound settles each step; then the direct model for what is left
    (after the parts, only on an instance of at most :data:`DIRECT_ROWS` rows)."""
    if count.closed():
        return count
    t0 = time.perf_counter()
    direct = red.A.shape[0] <= DIRECT_ROWS
    found = fewest_by_parts(red, need, count.sites,
                            deadline=deadline.share(0.5) if direct else deadline,
                            mip_rel_gap=mip_rel_gap, threads=threads, part_exact=exact_part)
    if found is not None:
        sites, lower = found
        sites = sites if sites.size <= count.sites.size else count.sites
        lower = max(float(lower), count.lower)
        status = ("optimal" if sites.size <= lower
                  else "time_limit" if deadline.passed() else "gap_limit")
        count = _Count(sites, lower, status, time.perf_counter() - t0, red.A.shape)
    else:
        count = _walk_down(red, count, need, deadline=deadline.share(0.5), threads=threads)
    if count.closed() or (found is not None and not direct):
        return count
    # Undecided (large, hard cores): the direct model, minimise the count.
    B, wb = red.A, red.weights
    nb, mb = B.shape
    scale = float(wb.mean())
    x0 = np.zeros(mb)
    x0[count.sites] = 1.0
    model = _highs.Model(
        maximise=False,
        cost=np.concatenate([np.ones(mb), np.zeros(nb)]),
        lower=np.zeros(mb + nb),
        upper=np.ones(mb + nb),
        n_int=mb,
        M=sp.csc_array(sp.vstack([
            _highs.covering_rows(B),
            sp.csr_array(np.concatenate([np.zeros(mb), wb / scale])[None, :]),
        ])),
        row_lower=np.concatenate([np.full(nb, -np.inf), [need / scale]]),
        row_upper=np.concatenate([np.zeros(nb), [np.inf]]),
    )
    res = _highs.run(model, start=np.concatenate([x0, _highs.covered_by(B, x0)]),
                     deadline=deadline, mip_rel_gap=mip_rel_gap, threads=threads)
    Bc = sp.csc_array(B)
    settled = _highs.settle(
        res,
        incumbent=count.sites,
        incumbent_value=float(count.sites.size),
        decode=lambda x: np.flatnonzero(x[:mb] > 0.5),
        evaluate=lambda sites: float(sites.size),
        feasible=lambda sites: coverage_value(Bc, wb, sites) >= need - tol - 1e-6 * scale,
        maximise=False,
        bound_of=lambda dual: float(math.ceil(dual - 1e-6)),
        prior_bound=count.lower,
        ties=False,
    )
    return _Count(settled.sites, settled.bound, settled.status, count.milp_s + settled.seconds,
                  (nb, mb))


def _walk_down(
    red: Reduced, count: _Count, need: float, *, deadline: Deadline, threads: int | None
) -> _Count:
    """Can ``|best| - 1`` sites cover ``need``? Each answer is an MCLP decision that the
    Lagrangian bound usually settles, with ``need`` as the threshold; usually one or two
    steps."""
    B = red.A
    Bc = sp.csc_array(B)
    Af = sp.csr_array(B.astype(np.float64))
    AfT = sp.csr_array(Bc.astype(np.float64).T)
    sites, lower, milp_s, size = count.sites, count.lower, 0.0, (0, 0)
    while sites.size > lower and not deadline.passed():
        found, infeasible, secs, core_size = decide_mclp(
            red, Bc, Af, AfT, sites.size - 1, need, deadline=deadline, threads=threads
        )
        milp_s += secs
        size = max(size, core_size)
        if found is None:
            if infeasible:
                lower = float(sites.size)
            break
        sites = found
    return _Count(sites, lower, "optimal", milp_s, size)
