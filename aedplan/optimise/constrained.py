"""Maximal covering with more to it: today's AEDs that may be moved, and fairness rows.

One MILP over today's AEDs and the candidate sites (the first ``existing`` columns of
``A`` are today's AEDs)::

    max  sum_r w_r y_r
    s.t. y_r <= sum_j a_rj x_j                      (a row is covered by a chosen site)
         sum_{j new} x_j + sum_{i today} x_i <= budget + n_today   (a moved AED is a site)
         sum_{i movable} x_i >= n_movable - moves    (at most ``moves`` AEDs moved)
         sum_{r in g} w_r y_r >= X W_g - C_g           (every group covered to ``X``)
         sum_{j in g} x_j >= N                         (``N`` AEDs in every group)
         x binary, 0 <= y <= 1, x_i = 1 for AEDs that may not move

Today's AEDs are fixed sites that may be freed at the cost of one move each
(relocation, as in Buter et al., Health Care Manag Sci 2024); a freed AED is placed at a
candidate like a new one. Rows covered by AEDs that stay anyway are done before HiGHS
sees the model, and identical rows (same sites, same group) are merged. HiGHS proves the
plan within ``mip_rel_gap``, warm-started from a greedy plan improved by moves.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import _validate
from ..errors import InfeasibleError, InputError, Phrase
from . import _highs
from ._greedy import lazy_greedy
from ._highs import Deadline
from ._reduce import group_rows
from ._values import gather, increments

__all__ = ["Constrained", "FloorError", "solve_constrained"]


@dataclass(frozen=True)
class Constrained:
    """A plan with moves and side rows.

    ``sites``: the chosen columns of ``A`` that are not today's AEDs (new sites and the
    places moved AEDs go to); ``kept``: per AED of today, whether it stays; ``moved``:
    the AEDs of today that move. ``covered_weight`` is what the plan covers (given
    ``covered`` included), ``bound`` a proven upper bound on it, ``status`` as for every
    solver (``"optimal"``, ``"gap_limit"``, ``"time_limit"``)."""

    sites: np.ndarray
    kept: np.ndarray
    moved: np.ndarray
    covered_weight: float
    total_weight: float
    bound: float
    gap: float
    status: str
    seconds: float
    model_size: tuple[int, int]


class FloorError(InfeasibleError):
    """A floor no plan can keep: ``floor`` (``"coverage"``, ``"sites"`` or ``"budget"``:
    all floors at once), the ``groups`` that cannot keep it and, per group, the ``best``
    it can reach (a covered share, or the candidate sites it has)."""

    def __init__(self, template: str, floor: str, groups: list[int] | None = None,
                 best: list[float] | None = None, /, **values: Any) -> None:
        super().__init__(template, **values)
        self.floor, self.groups, self.best = floor, groups or [], best or []


@dataclass(frozen=True)
class _Rules:
    """The side rows, in the reduced instance's terms."""

    budget: int
    moves: int
    movable: np.ndarray  # model columns of the movable AEDs
    new: np.ndarray  # model columns of the candidate sites
    cover_rows: list[tuple[np.ndarray, float]]  # (model rows, weight needed) per group
    site_rows: list[tuple[np.ndarray, int]]  # (model columns, sites needed) per group


def solve_constrained(
    A: Any,
    weights: Any,
    budget: int,
    *,
    existing: int = 0,
    movable: Any = None,
    moves: int = 0,
    covered: Any = None,
    row_group: Any = None,
    site_group: Any = None,
    min_group_coverage: float | None = None,
    min_group_sites: int | None = None,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = _validate.DEFAULT_MIP_GAP,
    threads: int | None = None,
) -> Constrained:
    """Maximal covering with ``budget`` new sites, up to ``moves`` of today's AEDs moved,
    and fairness rows per group (district).

    Parameters
    ----------
    A
        ``n_demand x n_sites`` coverage matrix; its first ``existing`` columns are
        today's AEDs, the others candidate sites.
    weights
        ``(n_demand,)`` demand weights.
    budget
        New sites to add (a moved AED's new place does not count).
    existing, movable, moves
        How many of the columns are today's AEDs; which may move (booleans, default
        all); at most how many move.
    covered
        ``(n_demand,)`` booleans: demand covered some other way.
    row_group, site_group
        The group (district) of every demand row and of every column, ``-1`` for none.
    min_group_coverage
        Every group's covered share of its weight must reach this.
    min_group_sites
        Every group must hold this many AEDs (today's that stay, moved, and new).
    time_limit_s, mip_rel_gap, threads
        As for :func:`~aedplan.optimise.solve_mclp`.

    Raises
    ------
    InfeasibleError
        When a group cannot reach ``min_group_coverage`` or ``min_group_sites`` with
        every site, or the budget is too small for all groups at once.

    Examples
    --------
    Two AEDs of today (columns 0 and 1) and two candidates. AED 1 covers only a point
    that AED 0 covers too; moved to candidate 3 it covers a point of weight 2:

    >>> A = np.array([[1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]], dtype=bool)
    >>> plan = solve_constrained(A, [1.0, 1.0, 2.0], 0, existing=2, moves=1)
    >>> plan.moved.tolist(), plan.sites.tolist(), plan.covered_weight, plan.status
    ([1], [3], 4.0, 'optimal')
    """
    t0 = time.perf_counter()
    Am, w, cov, ex, mov = _check(A, weights, budget, existing, movable, moves, covered,
                                 time_limit_s, mip_rel_gap)
    n, m = Am.shape
    rg = _groups_of(row_group, n, "row_group")
    sg = _groups_of(site_group, m, "site_group")
    Ac = sp.csc_array(Am)
    stay = np.flatnonzero(~mov)  # today's AEDs that cannot move
    done = cov.copy()
    done[gather(Ac.indptr, Ac.indices, stay)] = True
    free = np.r_[np.flatnonzero(mov), np.arange(ex, m)]
    rows = np.flatnonzero(~done & (w > 0))
    sub = sp.csr_array(Am[rows][:, free])
    live = np.diff(sub.indptr) > 0
    rows, sub = rows[live], sp.csr_array(sub[np.flatnonzero(live)])
    label, first = group_rows(sub, rg[rows] + 1)
    B = sp.csr_array(sub[first])
    B.sort_indices()
    wb = np.bincount(label, weights=w[rows], minlength=first.size)
    bg = rg[rows][first]
    const = float(w[done].sum())
    rules = _rules(Am, w, done, rg, sg, stay, free, bg, int(budget), int(moves),
                   int(mov.sum()), min_group_coverage, min_group_sites)
    deadline = Deadline.after(time_limit_s, t0)
    x0 = _start(B, wb, rules)
    chosen, value, bound, status, size = _solve(B, wb, rules, x0, deadline, mip_rel_gap,
                                               threads)
    cols = free[chosen]
    kept = ~mov.copy()
    kept[cols[cols < ex]] = True
    total = float(w.sum())
    value += const
    bound = max(bound + const, value)
    return Constrained(
        sites=np.sort(cols[cols >= ex]), kept=kept, moved=np.flatnonzero(~kept),
        covered_weight=value, total_weight=total, bound=bound,
        gap=(bound - value) / bound if bound > 0 else 0.0, status=status,
        seconds=time.perf_counter() - t0, model_size=size)


def _check(A: Any, weights: Any, budget: Any, existing: Any, movable: Any, moves: Any,
           covered: Any, time_limit_s: Any, mip_rel_gap: Any) -> tuple[Any, ...]:
    problems = _validate.Problems()
    Am = _validate.coverage_matrix(A, problems)
    n = None if Am is None else Am.shape[0]
    m = None if Am is None else Am.shape[1]
    w = _validate.per_demand(weights, "weights", n, problems, kind="weight")
    cov = None if covered is None else _validate.per_demand(covered, "covered", n, problems,
                                                            kind="mask")
    _validate.whole(budget, "budget", problems)
    _validate.whole(moves, "moves", problems)
    _validate.whole(existing, "existing", problems)
    _validate.in_range(time_limit_s, "time_limit_s", problems, low=0, high=np.inf,
                       open_low=True, open_high=True,
                       meaning=Phrase("a number of seconds > 0"))
    _validate.mip_gap(mip_rel_gap, "mip_rel_gap", problems)
    problems.raise_if_any()
    assert Am is not None and w is not None and m is not None
    ex = int(existing)
    if ex > m:
        problems.add(Phrase("`existing` is {existing:,} but `A` has only {m:,} columns",
                            {"existing": ex, "m": m}))
    mov = np.ones(ex, dtype=bool) if movable is None else np.asarray(movable, dtype=bool)
    if mov.shape != (ex,):
        problems.add(Phrase("`movable` must have one boolean per AED of today ({n:,}), got "
                            "shape {shape}", {"n": ex, "shape": mov.shape}))
    problems.raise_if_any()
    if int(moves) == 0:
        mov = np.zeros(ex, dtype=bool)
    return (Am, w, np.zeros(Am.shape[0], dtype=bool) if cov is None else cov, ex, mov)


def _groups_of(groups: Any, size: int, name: str) -> np.ndarray:
    if groups is None:
        return np.full(size, -1, dtype=np.int64)
    g = np.asarray(groups)
    if g.shape != (size,) or not np.issubdtype(g.dtype, np.integer):
        raise InputError("`{name}` must be {size:,} integers (a group per row or column, -1 "
                         "for none), got shape {shape} of {dtype}.", name=name, size=size,
                         shape=g.shape, dtype=g.dtype)
    return g.astype(np.int64)


def _rules(A: sp.csr_array, w: np.ndarray, done: np.ndarray, rg: np.ndarray, sg: np.ndarray,
           stay: np.ndarray, free: np.ndarray, bg: np.ndarray, budget: int, moves: int,
           n_movable: int, min_cov: float | None, min_sites: int | None) -> _Rules:
    """The side rows; a group that cannot meet them even with every site is an error."""
    cover_rows: list[tuple[np.ndarray, float]] = []
    site_rows: list[tuple[np.ndarray, int]] = []
    groups = np.unique(rg[rg >= 0])
    if min_cov is not None and groups.size:
        W = np.bincount(rg[rg >= 0], weights=w[rg >= 0])
        C = np.bincount(rg[done & (rg >= 0)], weights=w[done & (rg >= 0)], minlength=W.size)
        reach = (np.diff(A.indptr) > 0) | done
        most = np.bincount(rg[reach & (rg >= 0)], weights=w[reach & (rg >= 0)],
                           minlength=W.size)
        short = groups[most[groups] < min_cov * W[groups] * (1 - 1e-12)]
        if short.size:
            raise FloorError(
                "`min_group_coverage`: {n:,} group(s) cannot reach {floor:.1%} with every site "
                "(group {group}: at most {best:.1%}); lower it or add candidate sites.",
                "coverage", short.tolist(), (most[short] / W[short]).tolist(),
                n=short.size, floor=min_cov, group=int(short[0]),
                best=most[short[0]] / W[short[0]])
        for g in groups:
            need = min_cov * W[g] - C[g]
            if need > 1e-9 * W[g]:
                cover_rows.append((np.flatnonzero(bg == g), float(need)))
    if min_sites is not None:
        size = int(max(rg.max(initial=-1), sg.max(initial=-1))) + 1
        have = np.bincount(sg[stay][sg[stay] >= 0], minlength=size)
        for g in groups:
            cols = np.flatnonzero(sg[free] == g)
            need = int(min_sites) - int(have[g])
            if need > cols.size:
                raise FloorError(
                    "`min_group_sites`: group {group} has {n:,} candidate sites for the "
                    "{need:,} more AEDs it needs; add candidate sites there.",
                    "sites", [int(g)], [float(cols.size)], group=int(g), n=cols.size, need=need)
            if need > 0:
                site_rows.append((cols, need))
    return _Rules(budget, moves, np.arange(n_movable), np.arange(n_movable, free.size),
                  cover_rows, site_rows)


def _start(B: sp.csr_array, w: np.ndarray, rules: _Rules) -> np.ndarray:
    """A greedy plan (today's AEDs kept, new sites by lazy greedy), then moves while one
    gains: free the movable AED that loses least, place the best candidate."""
    mb = B.shape[1]
    x = np.zeros(mb)
    x[rules.movable] = 1.0
    Bc = sp.csc_array(B)
    level = np.asarray(B[:, rules.movable].sum(axis=1)).ravel().astype(np.int64)
    g = lazy_greedy(Bc, w, np.minimum(level, 1), increments(None), rules.budget,
                    candidates=rules.new)
    x[g.sites] = 1.0
    Bf = sp.csr_array(B.astype(np.float64))
    for _ in range(rules.moves):
        count = Bf @ x
        on = rules.movable[x[rules.movable] > 0.5]
        if on.size == 0:
            break
        loss = Bf[:, on].T @ (w * (count == 1))
        out = on[int(np.argmin(loss))]
        x[out] = 0.0
        count = Bf @ x
        gain = Bf[:, rules.new].T @ (w * (count == 0))
        gain[x[rules.new] > 0.5] = -1.0
        best = rules.new[int(np.argmax(gain))] if rules.new.size else None
        if best is None or gain.max() <= loss.min() * (1 + 1e-12):
            x[out] = 1.0
            break
        x[best] = 1.0
    return x


def _solve(B: sp.csr_array, wb: np.ndarray, rules: _Rules, x0: np.ndarray,
           deadline: Deadline, gap: float, threads: int | None
           ) -> tuple[np.ndarray, float, float, str, tuple[int, int]]:
    nb, mb = B.shape
    if mb == 0:
        return np.zeros(0, dtype=np.int64), 0.0, 0.0, "optimal", (nb, 0)
    scale = float(wb.mean()) if nb else 1.0
    M, lo, up = _side_rows(B, wb, rules)
    model = _highs.Model(
        maximise=True, cost=np.r_[np.zeros(mb), wb / scale],
        lower=np.r_[np.zeros(mb), np.zeros(nb)], upper=np.ones(mb + nb), n_int=mb,
        M=sp.csc_array(M), row_lower=lo, row_upper=up)
    y0 = _highs.covered_by(B, x0)
    start = np.r_[x0, y0]
    Mr = sp.csr_array(M)
    feasible_start = bool(np.all(Mr @ start >= lo - 1e-9) and np.all(Mr @ start <= up + 1e-9))
    res = _highs.run(model, start=start if feasible_start else None, deadline=deadline,
                     mip_rel_gap=gap, threads=threads)
    if res.status == "infeasible":
        raise FloorError(
            "`min_group_coverage`/`min_group_sites`: the budget cannot meet every group's "
            "floor at once; raise the budget or lower the floor.", "budget")

    def value(x: np.ndarray) -> float:
        return float(wb @ np.minimum(1.0, B.astype(np.float64) @ x))

    def decode(x: np.ndarray) -> np.ndarray:
        return (x[:mb] > 0.5).astype(np.float64)

    def ok(x: np.ndarray) -> bool:
        full = np.r_[x, np.minimum(1.0, B.astype(np.float64) @ x)]
        return bool(np.all(Mr @ full >= lo - 1e-6) and np.all(Mr @ full <= up + 1e-6))

    if feasible_start:
        first = x0
    elif res.x is not None:
        first = decode(res.x)
    else:
        raise InfeasibleError(
            "no plan meets every group's floor within the time limit; raise `time_limit_s`, "
            "the budget, or lower the floor.")
    settled = _highs.settle(
        res, incumbent=first, incumbent_value=value(first),
        decode=decode, evaluate=value, feasible=ok, maximise=True,
        bound_of=lambda dual: dual * scale, prior_bound=math.inf, scale=scale)
    return (np.flatnonzero(settled.sites > 0.5), settled.value, settled.bound, settled.status,
            (nb, mb))


def _side_rows(B: sp.csr_array, wb: np.ndarray, rules: _Rules
               ) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """Covering rows, the budget, the moves and the groups' floors, over ``[x, y]``."""
    nb, mb = B.shape
    blocks = [_highs.covering_rows(B)]
    lo, up = [np.full(nb, -np.inf)], [np.zeros(nb)]

    def row(cols: np.ndarray, vals: Any, low: float, high: float) -> None:
        r = np.zeros(mb + nb)
        r[cols] = vals
        blocks.append(sp.csr_array(r[None, :]))
        lo.append(np.array([low]))
        up.append(np.array([high]))

    n_mov = rules.movable.size
    row(np.r_[rules.movable, rules.new], 1.0, -np.inf, rules.budget + n_mov)
    if n_mov:
        row(rules.movable, 1.0, n_mov - rules.moves, np.inf)
    for rows, need in rules.cover_rows:
        row(mb + rows, wb[rows], need, np.inf)
    for cols, need in rules.site_rows:
        row(cols, 1.0, need, np.inf)
    return (sp.csr_array(sp.vstack(blocks)), np.concatenate(lo), np.concatenate(up))
