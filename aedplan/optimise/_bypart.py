"""The core of an exact maximal-covering solve, part by part.

Once the Lagrangian bound has fixed sites in and out, the core often falls apart into
many independent parts (a city's districts the fixed sites have separated). One MILP
over all of them makes HiGHS's root heuristics work across every part at once, where
they can stall for minutes; part by part each MILP is small. Each part keeps a lower
curve (coverage of a known choice of ``b`` sites, for every ``b``: greedy prefixes and
solved MILPs) and an upper curve (the Lagrangian bound restricted to the part, and
proven MILP bounds). Sharing the budget by dynamic programming over the upper curves
gives a proven bound on the whole; over the lower curves, a plan. Where the two splits
disagree, the parts whose upper curve is loose at the bound's split are solved exactly
at that budget, and the splits are shared again, until the bound meets the plan or the
time runs out (with the honest gap).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import tasks
from ._core import Core, core_instance, solve_core, solve_priced
from ._greedy import lazy_greedy
from ._highs import Deadline, status_from
from ._lagrange import lagrangian_mclp
from ._reduce import Reduced
from ._values import coverage_value, increments
from .parts import SPREAD, Curves, components, fewest_with_proof, share_with_proof

__all__ = ["fewest_by_parts", "solve_core_by_parts"]

#: A part's first solve is priced (:func:`~aedplan.optimise._core.solve_priced`).
PRICED = True

#: A part of more demand rows than this is solved at a budget with its own reductions
#: and Lagrangian fixing (``part_exact``) rather than priced: the whole core's fixing
#: measures its gap over every part, so on a large area it fixes little, and a priced
#: MILP of a part left whole (a town of 100,000 rows) takes minutes where the part alone,
#: fixed by its own bound, takes seconds.
PRICED_ROWS = 20_000


@dataclass
class _Part:
    """One part: its rows and sites (core indices), its greedy picks in order (the
    default choice of ``b`` sites is their prefix) and its curves."""

    rows: np.ndarray
    sites: np.ndarray
    greedy: np.ndarray
    curves: Curves

    def choice(self, b: int) -> np.ndarray:
        known = self.curves.choice(b)
        return self.greedy[:b] if known is None else known


def solve_core_by_parts(
    red: Reduced,
    Ac: sp.csc_array,
    p: int,
    fix: np.ndarray,
    drop: np.ndarray,
    start: np.ndarray,
    *,
    deadline: Deadline,
    mip_rel_gap: float,
    threads: int | None,
    part_exact: Callable[..., tuple[np.ndarray, float, float]] | None = None,
) -> Core | None:
    """:func:`~aedplan.optimise._core.solve_core` of a core with several parts, part by
    part (see the module's notes), until the bound is within ``mip_rel_gap`` of the
    plan (0: proven optimal); ``None`` when the core is one part, or when its budget
    leaves nothing to share. ``part_exact(sub, w, b, start, seconds, threads, gap)``
    solves a part of more than :data:`PRICED_ROWS` rows at a budget, alone (the exact
    MCLP with the part's own fixing): ``(its site positions, value, bound)``."""
    B, wb, core_sites, fixed, const = core_instance(red, Ac, fix, drop)
    pb = p - fixed.size
    nb, mb = B.shape
    if pb <= 0 or pb >= mb:
        return None
    k, row_part, site_part = components(B)
    if k < 2:
        return None
    t0 = time.perf_counter()
    Bc = sp.csc_array(B)
    in_start = np.isin(core_sites, start)
    parts, price = _parts(B, Bc, wb, pb, k, row_part, site_part, in_start, deadline)
    scale = float(wb.mean())

    runner = tasks.current()
    # each part is proven within half the gap asked: their slacks add up to at most half
    # of the whole's, and the rest is left for the split
    solve = _solver(parts, B, wb, price, deadline=deadline, threads=threads,
                    gap=mip_rel_gap / 2, part_exact=part_exact)

    def done(lower: float, upper: float) -> bool:
        return (upper - lower <= mip_rel_gap * (const + upper)
                or status_from("", const + lower, const + upper, True, scale) == "optimal")

    shared = share_with_proof([part.curves for part in parts], pb, solve, done=done,
                              out_of_time=deadline.passed,
                              spread=0 if runner.client is None else SPREAD,
                              slots=runner.slots)
    within = shared.upper - shared.lower <= mip_rel_gap * (const + shared.upper)
    lower_split, upper = shared.split, shared.upper
    chosen = np.concatenate(
        [fixed] + [core_sites[parts[c].choice(int(b))] for c, b in enumerate(lower_split)]
    ).astype(np.int64)
    value = coverage_value(Ac, red.weights, chosen)
    bound = max(const + upper, value)
    status = status_from("optimal" if within else "time_limit", value, bound, True, scale)
    return Core(chosen, value, bound, status, (nb, mb), time.perf_counter() - t0, scale)


def fewest_by_parts(
    red: Reduced,
    need: float,
    start: np.ndarray,
    *,
    deadline: Deadline,
    mip_rel_gap: float,
    threads: int | None,
    part_exact: Callable[..., tuple[np.ndarray, float, float]] | None = None,
) -> tuple[np.ndarray, int] | None:
    """The fewest sites of ``red`` whose coverage reaches ``need``, part by part (see the
    module's notes): ``(the sites, a proven lower bound on their count)``, or ``None``
    when ``red`` is one part. ``start`` is a choice that reaches ``need`` (the greedy's):
    its count caps every part's curves, and the Lagrangian bound is taken there. The
    count is found by bisection, each count decided by sharing it among the parts
    (:func:`~aedplan.optimise.parts.fewest_with_proof`), the parts solved within
    ``mip_rel_gap``; the search stops at the deadline with the range it has proven."""
    B, wb = sp.csr_array(red.A), red.weights
    mb = B.shape[1]
    k, row_part, site_part = components(B)
    if k < 2 or not 0 < start.size < mb:
        return None
    in_start = np.zeros(mb, dtype=bool)
    in_start[start] = True
    parts, price = _parts(B, sp.csc_array(B), wb, start.size, k, row_part, site_part,
                          in_start, deadline)
    runner = tasks.current()
    solve = _solver(parts, B, wb, price, deadline=deadline, threads=threads,
                    gap=mip_rel_gap, part_exact=part_exact)
    found = fewest_with_proof([part.curves for part in parts], need, solve,
                              out_of_time=deadline.passed,
                              spread=0 if runner.client is None else SPREAD,
                              slots=runner.slots)
    if found is None:  # the start reaches ``need``: cannot happen but by rounding
        return None
    chosen = np.concatenate([parts[c].choice(int(b)) for c, b in enumerate(found.split)])
    return np.sort(chosen.astype(np.int64)), found.lower


def _solver(parts: list[_Part], B: sp.csr_array, wb: np.ndarray, price: float, *,
            deadline: Deadline, threads: int | None, gap: float,
            part_exact: Callable[..., Any] | None) -> Callable[..., list[Any]]:
    """The ``solve`` of :func:`~aedplan.optimise.parts.share_with_proof`: the parts
    asked, each at its budget and proven within ``gap``, here one after another or side
    by side on the cluster's workers. A part's first solve is at the ``price`` (a bound
    at every budget, in at most half the time left), later ones at a budget; a part of
    more than :data:`PRICED_ROWS` rows is solved alone by ``part_exact``."""
    runner = tasks.current()
    priced: set[int] = set()  # parts solved once at the price already

    def solve(asks: list[tuple[int, int]]) -> list[tuple[Any, ...] | None]:
        prices: list[float | None] = []
        for c, _ in asks:
            big = part_exact is not None and parts[c].rows.size > PRICED_ROWS
            prices.append(None if c in priced or big or price <= 0 or not PRICED else price)
            priced.add(c)
        if runner.client is None:  # here, one after another
            found = [None if deadline.passed() else _solve_apart(
                *_instance(parts[c], B, wb, b), _seconds(deadline, q), threads, q, gap,
                part_exact) for (c, b), q in zip(asks, prices, strict=True)]
        else:  # side by side on the cluster's workers, each with the time left
            found = runner.map(
                _solve_apart, *zip(*(_instance(parts[c], B, wb, b) for c, b in asks),
                                   strict=True),
                [_seconds(deadline, q) for q in prices], [threads] * len(asks), prices,
                [gap] * len(asks), [part_exact] * len(asks), what="a part's exact plan",
                deadline=deadline.end)
        return [_answer(parts[c], f, q)
                for (c, _), f, q in zip(asks, found, prices, strict=True)]

    return solve


def _parts(
    B: sp.csr_array, Bc: sp.csc_array, wb: np.ndarray, pb: int, k: int,
    row_part: np.ndarray, site_part: np.ndarray, in_start: np.ndarray, deadline: Deadline,
) -> tuple[list[_Part], float]:
    """Every part with its first curves: greedy prefixes and the start's choice below,
    the Lagrangian bound above; and the price of a site, the Lagrangian values of the
    last site in and the first site out of the budget (near the LP's dual of the
    budget row)."""
    nb, mb = B.shape
    g = lazy_greedy(Bc, wb, np.zeros(nb, dtype=np.int64), increments(None), mb)
    start_value = coverage_value(Bc, wb, np.flatnonzero(in_start))
    lg = lagrangian_mclp(sp.csr_array(B.astype(np.float64)),
                         sp.csr_array(Bc.astype(np.float64).T), Bc, wb, pb,
                         max(start_value, float(g.gains[:pb].sum())),
                         deadline=deadline.share(0.15).end)
    base = np.bincount(row_part, weights=wb - lg.u, minlength=k)
    total = np.bincount(row_part, weights=wb, minlength=k)
    # sites by part, best Lagrangian value first; greedy picks by part, in order
    by_value = np.lexsort((-lg.c, site_part))
    site_start = np.searchsorted(site_part[by_value], np.arange(k + 1))
    pick_part = site_part[g.sites]
    pick_order = np.argsort(pick_part, kind="stable")
    pick_start = np.searchsorted(pick_part[pick_order], np.arange(k + 1))
    row_order = np.argsort(row_part, kind="stable")
    row_start = np.searchsorted(row_part[row_order], np.arange(k + 1))
    parts = []
    for c in range(k):
        sites = np.sort(by_value[site_start[c]:site_start[c + 1]])
        cap = min(sites.size, pb)
        picks = g.sites[pick_order[pick_start[c]:pick_start[c + 1]]]
        gains = np.cumsum(g.gains[pick_order[pick_start[c]:pick_start[c + 1]]])
        lower = np.zeros(cap + 1)
        n = min(picks.size, cap)
        lower[1:n + 1] = gains[:n]
        lower[n + 1:] = gains[n - 1] if n else 0.0
        top = np.cumsum(lg.c[by_value[site_start[c]:site_start[c] + cap]])
        upper = np.minimum(np.r_[0.0, base[c] + top], total[c])  # no site covers nothing
        part = _Part(rows=row_order[row_start[c]:row_start[c + 1]], sites=sites,
                     greedy=picks, curves=Curves(lower, upper))
        mine = sites[in_start[sites]]
        if 0 < mine.size <= cap:  # the warm start's choice in this part
            part.curves.learn(mine.size, mine, coverage_value(Bc, wb, mine), math.inf,
                              solved=False)
        parts.append(part)
    ranked = -np.sort(-lg.c)
    price = float(ranked[pb - 1] + ranked[min(pb, ranked.size - 1)]) / 2
    return parts, price


def _instance(part: _Part, B: sp.csr_array, wb: np.ndarray, b: int) -> tuple[Any, ...]:
    """What a part's MILP at budget ``b`` needs, alone: its matrix and weights, ``b`` and
    its best known choice (the part's own site positions)."""
    return (sp.csr_array(B[part.rows][:, part.sites]), wb[part.rows], b,
            np.searchsorted(part.sites, part.choice(b)))


def _solve_apart(sub: sp.csr_array, w: np.ndarray, b: int, start: np.ndarray,
                 seconds: float, threads: int | None, price: float | None = None,
                 gap: float = 0.0, part_exact: Callable[..., Any] | None = None
                 ) -> tuple[np.ndarray, float, float, np.ndarray | None]:
    """A part's MILP (:func:`_instance`) within ``seconds``, proven within the relative
    ``gap``: ``(its site positions, value, bound, a bound at every budget or None)``;
    run here or as a task on a worker.
    With a ``price``, every site costs that much and there is no budget: the bound is
    then the line's intercept (:func:`~aedplan.optimise._core.solve_priced`)."""
    if price is not None:
        got = solve_priced(sub, w, price, start, deadline=Deadline.after(seconds),
                           threads=threads, mip_rel_gap=gap)
        return got.sites, got.value, got.intercept, None
    if part_exact is not None and sub.shape[0] > PRICED_ROWS:
        return part_exact(sub, w, b, start, seconds, threads, gap)
    red = Reduced(A=sub, weights=w, sites=np.arange(sub.shape[1]),
                  level=np.zeros(sub.shape[0], dtype=np.int64))
    none = np.zeros(sub.shape[1], dtype=bool)
    core = solve_core(red, sp.csc_array(sub), b, none, none, start,
                      deadline=Deadline.after(seconds), mip_rel_gap=gap, threads=threads)
    return (core.sites, core.value, core.value if core.status == "optimal" else core.bound,
            None)


def _seconds(deadline: Deadline, price: float | None) -> float:
    """The time a part's solve may take: what is left, half of it when priced."""
    return deadline.left() / (1 if price is None else 2)


def _answer(part: _Part, found: tuple[Any, ...] | None,
            price: float | None) -> tuple[Any, ...] | None:
    """What a part's solve teaches :func:`~aedplan.optimise.parts.share_with_proof`: a
    budget solve its ``(sites, value, bound)`` (and its bound at every budget, when it
    has one, to the part's curves); a priced one teaches the part's curves itself (its
    choice at the number of sites it has, and its line at every budget) and settles
    nothing."""
    if found is None:
        return None
    sites, value, bound, every = found
    if price is None:
        if every is not None:
            part.curves.below(every)
        return part.sites[sites], value, bound
    curves = part.curves
    if 0 < sites.size < curves.lower.size:
        curves.learn(sites.size, part.sites[sites], value, math.inf, solved=False)
    curves.below_line(bound, price)
    return None, -math.inf, math.inf, False
