"""Choose new AED sites on a sparse coverage matrix.

Every function here works on plain arrays, so analysts can bring their own coverage matrices:

- ``A``: a scipy.sparse (or dense) ``n_demand x n_sites`` boolean matrix, ``A[i, j]`` True when
  candidate site ``j`` covers demand point ``i`` (it is within the rescue circle);
- ``weights``: ``(n_demand,)`` non-negative demand weights;
- ``covered``: optional ``(n_demand,)`` booleans, demand already covered by existing AEDs (it
  counts as covered and never needs a new site).

Problems solved
---------------
:func:`solve_mclp`
    Maximal covering: at most ``budget`` new sites, as much covered weight as possible. The
    exact path reduces the instance, warm-starts from the lazy greedy, removes sites that a
    Lagrangian bound proves useless, and hands the rest to HiGHS. It reports a proven upper
    bound and the gap either way.
:func:`greedy_mclp`
    The lazy greedy alone (fast; within ``1 - 1/e`` of the optimum in theory, typically within
    1% in practice).
:func:`solve_min_sites`
    The fewest new sites that reach a target share of the total demand weight.
:func:`solve_backup`
    Maximal covering that also values a second AED in reach (backup coverage).
:func:`coverage_curve`
    Covered weight against the number of new sites.

Each returns a :class:`Plan` (the curve a DataFrame) whose ``sites`` are ranked by marginal
gain: the first adds most, the second adds most given the first, and so on. "Proven optimal"
means the proven bound is within ``1e-9`` (relative) of the objective, or within ``1e-6`` of a
mean demand weight as HiGHS judges it.
"""

from __future__ import annotations

import heapq
import math
import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import scipy.sparse as sp

from aedplan.errors import AedplanWarning, InfeasibleError, InputError, SolverError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Plan",
    "SitePlan",
    "coverage_curve",
    "greedy_mclp",
    "plan_sites",
    "solve_backup",
    "solve_mclp",
    "solve_min_sites",
]

Solver = Literal["exact", "greedy"]

# Relative tolerance used to call a bound "met" (float sums of ~1e5 weights are exact to ~1e-13).
_REL_TOL = 1e-9
# Above this many (site, site) co-coverage products, the full subset test for dominated sites
# (A.T @ A) is skipped and only identical / single-demand sites are removed.
_DOMINANCE_MAX_WORK = 3e7
# Lagrangian subgradient limits (each iteration is one sparse product with A and a partition).
_LAGRANGE_MAX_ITER = 400
_LAGRANGE_PATIENCE = 15


# --------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Plan:
    """A set of new AED sites and how good it is.

    Attributes
    ----------
    sites
        Column indices of ``A`` of the chosen sites, ranked by marginal gain (the greedy order of
        the chosen set): the first adds most, the second adds most given the first, ...
        Sites that would add nothing are never listed, so there may be fewer than ``budget``.
    added_weight
        Marginal gain of each ranked site: the covered weight it adds (for ``problem="backup"``,
        the objective it adds: first coverage plus ``backup_weight`` times second coverage).
        It sums to ``objective`` minus the value of the existing AEDs alone.
    covered_weight
        Demand weight within reach of at least one AED, existing or new.
    already_covered_weight
        Demand weight within reach of an existing AED (before any new site).
    total_weight
        Total demand weight, covered or not.
    coverage
        ``covered_weight / total_weight`` (0 when the total weight is 0).
    objective
        The value optimised: ``covered_weight`` for ``"mclp"``; the number of new sites for
        ``"min_sites"``; covered weight plus ``backup_weight`` times double-covered weight for
        ``"backup"``.
    bound
        Proven bound on the best possible ``objective``: an upper bound when maximising
        (``"mclp"``, ``"backup"``), a lower bound on the number of sites for ``"min_sites"``.
    gap
        Relative distance between ``objective`` and ``bound``, ``>= 0``; 0 means proven optimal.
    status
        ``"optimal"`` (proven, gap within tolerance), ``"gap_limit"`` (stopped at the requested
        ``mip_rel_gap``), ``"time_limit"`` (best solution found in time), ``"heuristic"``
        (greedy, not proven), or ``"interrupted"`` / ``"memory_limit"``.
    solver
        ``"exact"`` or ``"greedy"``.
    problem
        ``"mclp"``, ``"min_sites"`` or ``"backup"``.
    budget
        Maximum number of new sites asked for (``None`` for ``"min_sites"``).
    target_coverage
        Share of the total weight asked for (``"min_sites"`` only).
    double_covered_weight
        Demand weight within reach of at least two AEDs (``"backup"`` only).
    solve_s
        Wall-clock seconds per step (``reduce``, ``greedy``, ``bound``, ``milp``, ``rank``,
        ``total``).
    n_reduced_demand, n_reduced_sites
        Size of the instance after the exact structural reductions (merged identical demand
        rows, removed dominated sites).
    model_size
        ``{"input": (rows, sites), "reduced": ..., "milp": ...}``: the sizes at each stage;
        ``"milp"`` is what the MILP solver saw after bound-based fixing (``(0, 0)`` when no
        solver call was needed).
    """

    sites: np.ndarray
    added_weight: np.ndarray
    covered_weight: float
    already_covered_weight: float
    total_weight: float
    coverage: float
    objective: float
    bound: float
    gap: float
    status: str
    solver: str
    problem: str
    budget: int | None
    target_coverage: float | None = None
    double_covered_weight: float | None = None
    solve_s: dict[str, float] = field(default_factory=dict)
    n_reduced_demand: int = 0
    n_reduced_sites: int = 0
    model_size: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Frozen means frozen: the arrays are read-only views too.
        for name in ("sites", "added_weight"):
            arr = np.array(getattr(self, name), copy=True)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    @property
    def n_sites(self) -> int:
        """Number of new sites chosen."""
        return int(self.sites.size)

    def summary(self) -> dict[str, Any]:
        """Plain-number summary for ``report.json``.

        Returns
        -------
        dict
            JSON-serialisable dict (str, int, float, None and nested dicts only).
        """
        out: dict[str, Any] = {
            "problem": self.problem,
            "solver": self.solver,
            "status": self.status,
            "budget": None if self.budget is None else int(self.budget),
            "new_sites": self.n_sites,
            "covered_weight": float(self.covered_weight),
            "already_covered_weight": float(self.already_covered_weight),
            "total_weight": float(self.total_weight),
            "coverage": float(self.coverage),
            "objective": float(self.objective),
            "bound": float(self.bound),
            "gap": float(self.gap),
            "n_reduced_demand": int(self.n_reduced_demand),
            "n_reduced_sites": int(self.n_reduced_sites),
            "model_size": {k: [int(v[0]), int(v[1])] for k, v in self.model_size.items()},
            "solve_s": {k: float(v) for k, v in self.solve_s.items()},
        }
        if self.target_coverage is not None:
            out["target_coverage"] = float(self.target_coverage)
        if self.double_covered_weight is not None:
            out["double_covered_weight"] = float(self.double_covered_weight)
        return out


# --------------------------------------------------------------------------------------------
# Input checks (all in one place; every problem is collected, then raised once)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Inputs:
    A: sp.csr_array  # bool, sorted indices, no explicit zeros
    weights: np.ndarray  # float64
    covered: np.ndarray  # bool
    existing: np.ndarray  # int64 count of existing AEDs in reach
    budget: int | None


def _is_int(x: object) -> bool:
    return isinstance(x, int | np.integer) and not isinstance(x, bool | np.bool_)


def _is_real(x: object) -> bool:
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(
        x, bool | np.bool_
    )


def _check_matrix(A: Any, problems: list[str]) -> sp.csr_array | None:
    if sp.issparse(A):
        if A.ndim != 2:
            problems.append(f"`A` must be a 2-D demand x site matrix, got {A.ndim} dimensions")
            return None
        coo = sp.coo_array(A)
        data = coo.data
    else:
        try:
            arr = np.asarray(A)
        except Exception as exc:  # ragged lists and the like
            problems.append(f"`A` must be a 2-D demand x site matrix, could not read it ({exc})")
            return None
        if arr.ndim != 2 or arr.dtype == object:
            problems.append(
                "`A` must be a 2-D demand x site matrix (scipy.sparse or numpy), got "
                f"{'an object array' if arr.dtype == object else f'{arr.ndim} dimensions'}"
            )
            return None
        coo = None
        data = arr.ravel()
    if data.dtype != bool:
        if not np.issubdtype(data.dtype, np.number):
            problems.append(f"`A` must hold booleans (or 0/1), got dtype {data.dtype}")
            return None
        bad = ~((data == 0) | (data == 1))
        if bad.any():
            vals = data[bad].astype(float)
            problems.append(
                "`A` must be a boolean coverage matrix (True/1 where a site covers a demand "
                f"point), but {int(bad.sum()):,} entries are neither 0 nor 1 (e.g. {vals[0]!r}). "
                "If it is a cost matrix, threshold it first, e.g. `A = walk_s <= 240`"
            )
            return None
    if coo is not None:
        out = sp.csr_array(
            (coo.data != 0, (coo.row, coo.col)), shape=coo.shape, dtype=bool
        )  # duplicates OR-ed by the bool sum
    else:
        out = sp.csr_array(np.asarray(A) != 0)
    out.eliminate_zeros()
    out.sum_duplicates()
    out.sort_indices()
    return out


def _check_vector(
    x: Any, name: str, n: int | None, problems: list[str], *, kind: str
) -> np.ndarray | None:
    """Check a per-demand vector; ``kind`` is "weight", "mask" or "count"."""
    try:
        arr = np.asarray(x)
    except Exception as exc:
        problems.append(f"`{name}` could not be read as an array ({exc})")
        return None
    if arr.ndim != 1 or (n is not None and arr.shape[0] != n):
        want = "one value per demand point" + (f" ({n:,}, the rows of `A`)" if n else "")
        problems.append(f"`{name}` must have {want}, got shape {arr.shape}")
        return None
    if arr.dtype == bool:
        if kind == "weight":
            return arr.astype(np.float64)
        return arr.astype(bool) if kind == "mask" else arr.astype(np.int64)
    if not np.issubdtype(arr.dtype, np.number):
        problems.append(f"`{name}` must be numeric, got dtype {arr.dtype}")
        return None
    arr = arr.astype(np.float64)
    nonfinite = ~np.isfinite(arr)
    if nonfinite.any():
        i = int(np.flatnonzero(nonfinite)[0])
        problems.append(
            f"`{name}` must be finite, but {int(nonfinite.sum()):,} values are NaN or inf "
            f"(first at index {i}: {arr[i]}); use 0 for demand that should not count"
        )
        return None
    if kind == "weight":
        neg = arr < 0
        if neg.any():
            i = int(np.flatnonzero(neg)[0])
            problems.append(
                f"`{name}` must be >= 0, but {int(neg.sum()):,} values are negative "
                f"(first at index {i}: {arr[i]}); use 0 for demand that should not count"
            )
            return None
        return arr
    if kind == "mask":
        bad = ~((arr == 0) | (arr == 1))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            problems.append(
                f"`{name}` must be booleans (True where demand is already covered), but "
                f"index {i} holds {arr[i]}"
            )
            return None
        return arr == 1
    bad = (arr < 0) | (arr != np.round(arr))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        problems.append(
            f"`{name}` must be whole numbers >= 0 (existing AEDs in reach of each demand "
            f"point), but index {i} holds {arr[i]}"
        )
        return None
    return arr.astype(np.int64)


def _validate(
    A: Any,
    weights: Any,
    *,
    covered: Any = None,
    existing_count: Any = None,
    budget: Any = None,
    budget_name: str = "budget",
    target_coverage: Any = None,
    solver: Any = None,
    time_limit_s: Any = None,
    mip_rel_gap: Any = None,
    threads: Any = None,
    backup_weight: Any = None,
) -> _Inputs:
    """Check every argument, collect every problem, raise one :class:`InputError`."""
    problems: list[str] = []
    Am = _check_matrix(A, problems)
    n = None if Am is None else Am.shape[0]
    w = _check_vector(weights, "weights", n, problems, kind="weight")
    if n is None and w is not None:
        n = w.shape[0]
    cov = None if covered is None else _check_vector(covered, "covered", n, problems, kind="mask")
    ex = (
        None
        if existing_count is None
        else _check_vector(existing_count, "existing_count", n, problems, kind="count")
    )
    if budget is not None and (not _is_int(budget) or budget < 0):
        problems.append(
            f"`{budget_name}` must be a whole number of new sites >= 0, got {budget!r} "
            f"({type(budget).__name__})"
            + (f"; pass {int(budget)}" if _is_real(budget) and float(budget).is_integer() else "")
        )
    if target_coverage is not None and (
        not _is_real(target_coverage) or not 0 < float(target_coverage) <= 1
    ):
        hint = ""
        if _is_real(target_coverage) and 1 < float(target_coverage) <= 100:
            hint = f"; for {target_coverage}% pass {float(target_coverage) / 100:g}"
        problems.append(
            "`target_coverage` must be a share of the total demand weight in (0, 1], got "
            f"{target_coverage!r}{hint}"
        )
    if solver is not None and solver not in ("exact", "greedy"):
        problems.append(f"`solver` must be 'exact' or 'greedy', got {solver!r}")
    if time_limit_s is not None and (
        not _is_real(time_limit_s) or not 0 < float(time_limit_s) < math.inf
    ):
        problems.append(f"`time_limit_s` must be a number of seconds > 0, got {time_limit_s!r}")
    if mip_rel_gap is not None and (not _is_real(mip_rel_gap) or not 0 <= mip_rel_gap < 1):
        problems.append(
            f"`mip_rel_gap` must be a relative gap in [0, 1) (0 = prove optimality), got "
            f"{mip_rel_gap!r}"
        )
    if threads is not None and (not _is_int(threads) or threads < 1):
        problems.append(f"`threads` must be None (HiGHS decides) or an int >= 1, got {threads!r}")
    if backup_weight is not None and (not _is_real(backup_weight) or not 0 <= backup_weight <= 1):
        problems.append(
            "`backup_weight` must be in [0, 1] (a second AED in reach is worth at most the "
            f"first), got {backup_weight!r}"
        )
    if problems:
        if len(problems) == 1:
            raise InputError(problems[0])
        raise InputError(
            f"{len(problems)} problems with the input: "
            + " ".join(f"({k}) {p}." for k, p in enumerate(problems, 1))
        )
    assert Am is not None and w is not None and n is not None  # for type checkers
    m = Am.shape[1]
    b = None if budget is None else int(budget)
    if b is not None and b > m:
        warnings.warn(
            f"`{budget_name}` is {b:,} but there are only {m:,} candidate sites; choosing among "
            "all of them (sites that add no coverage are left out).",
            AedplanWarning,
            stacklevel=3,
        )
        b = m
    return _Inputs(
        A=Am,
        weights=w,
        covered=np.zeros(n, dtype=bool) if cov is None else cov,
        existing=np.zeros(n, dtype=np.int64) if ex is None else ex,
        budget=b,
    )


# --------------------------------------------------------------------------------------------
# Sparse helpers
# --------------------------------------------------------------------------------------------
def _gather(indptr: np.ndarray, indices: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Concatenate ``indices[indptr[k]:indptr[k+1]]`` for every ``k`` in ``which``."""
    which = np.asarray(which, dtype=np.int64)
    starts = indptr[which].astype(np.int64)
    lens = indptr[which + 1].astype(np.int64) - starts
    total = int(lens.sum())
    if total == 0:
        return indices[:0]
    before = np.cumsum(lens) - lens
    pos = np.arange(total, dtype=np.int64) + np.repeat(starts - before, lens)
    return indices[pos]


def _group_rows(M: sp.csr_array, extra: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Group identical rows of a CSR matrix (same column set and same ``extra`` key).

    Rows are hashed (two independent 64-bit sums of random column keys, plus the row length),
    then every row is compared entry by entry with its group's first row, so a hash collision
    can only split a group, never merge different rows.

    Returns
    -------
    group
        Group id of every row, ``0 .. n_groups - 1``.
    first
        Index of the first row of every group.
    """
    n, m = M.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(20240303)
    keys = rng.integers(0, np.iinfo(np.uint64).max, size=(2, m), dtype=np.uint64, endpoint=True)
    nnz = np.diff(M.indptr).astype(np.int64)
    zero = np.zeros(1, dtype=np.uint64)
    cols = [nnz.astype(np.uint64)]
    for k in range(2):
        cs = np.concatenate([zero, np.cumsum(keys[k][M.indices], dtype=np.uint64)])
        cols.append(cs[M.indptr[1:]] - cs[M.indptr[:-1]])  # uint64 arithmetic wraps: fine
    if extra is not None:
        cols.append(np.asarray(extra).astype(np.uint64))
    # Sort by one 64-bit hash; a group starts wherever any key differs from the previous row.
    order = np.argsort(cols[1], kind="stable")
    starts = np.ones(n, dtype=bool)
    for key in cols:  # 3 or 4 key arrays, not rows
        ks = key[order]
        starts[1:] &= ks[1:] == ks[:-1]
    starts = ~starts
    starts[0] = True
    group = np.empty(n, dtype=np.int64)
    group[order] = np.cumsum(starts) - 1
    first = order[starts]
    # Exact check against the group's first row.
    rep = first[group]
    row_of = np.repeat(np.arange(n), nnz)
    offset = np.arange(M.nnz) - M.indptr[:-1][row_of]
    mismatch = M.indices != M.indices[M.indptr[:-1][rep][row_of] + offset]
    if mismatch.any():
        bad = np.zeros(n, dtype=bool)
        bad[row_of[mismatch]] = True
        group = group.copy()
        group[bad] = group.max() + 1 + np.arange(int(bad.sum()))
        _, first, group = np.unique(group, return_index=True, return_inverse=True)
    return group.reshape(-1), first


@dataclass(frozen=True)
class _Reduced:
    A: sp.csr_array  # bool, rows = merged demand, cols = kept sites
    weights: np.ndarray  # merged weights (> 0)
    sites: np.ndarray  # original column index of every kept site
    level: np.ndarray  # existing AEDs in reach of every merged row (backup only; else zeros)


def _merge_rows(
    A: sp.csr_array, w: np.ndarray, level: np.ndarray
) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    group, first = _group_rows(A, level)
    if first.size == A.shape[0]:
        return A, w, level
    return (
        A[first],
        np.bincount(group, weights=w, minlength=first.size),
        level[first],
    )


def _dominated_sites(A: sp.csr_array) -> np.ndarray:
    """Mask of sites whose demand set is contained in another kept site's (MCLP-safe).

    With a budget (or a count to minimise), a site ``j`` whose rows are a subset of site ``k``'s
    can always be swapped for ``k``, so some optimal solution avoids ``j``. Among identical sites
    the lowest index is kept. The full subset test uses ``A.T @ A``; when that product would be
    too large, only identical sites and single-demand sites are removed.
    """
    m = A.shape[1]
    colnnz = np.bincount(A.indices, minlength=m)
    rownnz = np.diff(A.indptr).astype(np.float64)
    if float(rownnz @ rownnz) <= _DOMINANCE_MAX_WORK:
        Ai = A.astype(np.int32)
        C = (Ai.T @ Ai).tocoo()
        j, k, v = C.row, C.col, C.data
        beaten = (j != k) & (v == colnnz[j]) & ((colnnz[k] > colnnz[j]) | (k < j))
        drop = np.zeros(m, dtype=bool)
        drop[j[beaten]] = True
        return drop
    _, first = _group_rows(sp.csr_array(A.T))
    drop = np.ones(m, dtype=bool)
    drop[first] = False
    # A single-demand site is dominated by any other (non-identical, kept) site on that row.
    kept = A[:, np.flatnonzero(~drop)]
    rn = np.diff(kept.indptr)
    keptcols = np.flatnonzero(~drop)
    Ac = sp.csc_array(kept)
    single = np.flatnonzero(np.diff(Ac.indptr) == 1)
    rows = Ac.indices[Ac.indptr[single]]
    drop[keptcols[single[rn[rows] >= 2]]] = True
    return drop


def _reduce(
    A: sp.csr_array,
    weights: np.ndarray,
    *,
    dominance: bool = True,
    level: np.ndarray | None = None,
) -> _Reduced:
    """Exact reductions of a covering instance.

    Drops demand rows with zero weight (pass already-covered demand with weight 0) or no
    covering site, merges identical rows (summing weights), drops sites that cover nothing and,
    when ``dominance`` is True (valid for MCLP and min-sites, not for backup coverage), sites
    dominated by another site. The optimal value is unchanged.
    """
    n, m = A.shape
    lev = np.zeros(n, dtype=np.int64) if level is None else np.asarray(level, dtype=np.int64)
    keep = (weights > 0) & (np.diff(A.indptr) > 0)
    R, w, lev = A[np.flatnonzero(keep)], weights[keep], lev[keep]
    R, w, lev = _merge_rows(R, w, lev)
    drop = np.bincount(R.indices, minlength=m) == 0
    if dominance and R.nnz:
        drop |= _dominated_sites(R)
    sites = np.arange(m)
    if drop.any():
        sites = np.flatnonzero(~drop)
        R = sp.csr_array(R[:, sites])
        R, w, lev = _merge_rows(R, w, lev)
    R.sort_indices()
    return _Reduced(A=R, weights=w, sites=sites, level=lev)


# --------------------------------------------------------------------------------------------
# Greedy
# --------------------------------------------------------------------------------------------
@dataclass
class _Greedy:
    sites: np.ndarray
    gains: np.ndarray
    level: np.ndarray
    # (steps taken, value gained so far, marginal gains of all sites sorted descending, cumsum)
    checkpoints: list[tuple[int, float, np.ndarray]]


def _increments(backup_weight: float | None) -> np.ndarray:
    """Value of the k-th AED in reach of a demand point, per unit weight (then zeros)."""
    return np.array([1.0, 0.0] if backup_weight is None else [1.0, backup_weight, 0.0])


def _lazy_greedy(
    Ac: sp.csc_array,
    weights: np.ndarray,
    level: np.ndarray,
    incr: np.ndarray,
    budget: int,
    *,
    candidates: np.ndarray | None = None,
    target: float | None = None,
    checkpoints: np.ndarray | None = None,
) -> _Greedy:
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
    return _Greedy(
        sites=np.asarray(chosen, dtype=np.int64),
        gains=np.asarray(gains, dtype=np.float64),
        level=lev,
        checkpoints=cps,
    )


def _greedy_bound(cps: list[tuple[int, float, np.ndarray]], budgets: np.ndarray) -> np.ndarray:
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


def _swap_improve(
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
        cnt = np.bincount(_gather(Ac.indptr, Ac.indices, chosen), minlength=n)
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
        if not best > _REL_TOL * max(value, 1e-300):
            break
        chosen[s] = j
        value += float(best)
    return chosen, _coverage_value(Ac, w, chosen)


def _checkpoint_steps(budget: int, n: int = 24) -> np.ndarray:
    if budget <= 0:
        return np.array([0])
    return np.unique(np.concatenate([[0], np.geomspace(1, budget, n).round().astype(int)]))


# --------------------------------------------------------------------------------------------
# Lagrangian bound and bound-based fixing (MCLP)
# --------------------------------------------------------------------------------------------
@dataclass
class _Lagrange:
    bound: float
    u: np.ndarray
    c: np.ndarray  # A.T @ u: Lagrangian value of every site
    iterations: int


def _lagrangian_mclp(
    Af: sp.csr_array,
    AfT: sp.csr_array,
    Ac: sp.csc_array,
    w: np.ndarray,
    p: int,
    lower: float,
    *,
    max_iter: int = _LAGRANGE_MAX_ITER,
    deadline: float = math.inf,
) -> _Lagrange:
    """Subgradient optimisation of the Lagrangian bound of the MCLP.

    Relaxing ``y_i <= sum_j a_ij x_j`` with multipliers ``0 <= u_i <= w_i`` gives
    ``L(u) = sum_i (w_i - u_i) + (sum of the p largest c_j)``, ``c = A.T @ u``, a valid upper
    bound for every ``u`` (its minimum equals the LP relaxation bound). Polyak steps towards
    ``lower`` (the greedy value), halving the step after ``_LAGRANGE_PATIENCE`` iterations
    without improvement.
    """
    n, m = Af.shape
    u = w.copy()  # L(w) = sum of the p heaviest sites: the trivial bound
    best = _Lagrange(math.inf, u, np.zeros(m), 0)
    lam, since = 2.0, 0
    tol = _REL_TOL * max(lower, 1e-300)
    k = 0
    for k in range(max_iter):
        c = AfT @ u
        top = np.argpartition(-c, p - 1)[:p] if p < m else np.arange(m)
        val = float((w - u).sum() + c[top].sum())
        if val < best.bound:
            best = _Lagrange(val, u.copy(), c, k + 1)
            since = 0
        else:
            since += 1
            if since >= _LAGRANGE_PATIENCE:
                lam, since = lam / 2, 0
        if best.bound - lower <= tol or lam < 1e-4 or time.perf_counter() > deadline:
            break
        cnt = np.bincount(_gather(Ac.indptr, Ac.indices, top), minlength=n)
        g = cnt - (u < w)
        nrm = float(g @ g)
        if nrm == 0:
            break
        u = np.clip(u - (lam * (val - lower) / nrm) * g, 0.0, w)
    best.iterations = k + 1
    return best


def _fix_by_bound(lg: _Lagrange, p: int, lower: float) -> tuple[np.ndarray, np.ndarray]:
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
    slack = lower - _REL_TOL * max(abs(lower), 1e-300)
    with_j = np.where(in_top, lg.bound, lg.bound - cp + c)
    without_j = np.where(in_top, lg.bound - c + cp1, lg.bound)
    return with_j < slack, without_j < slack


# --------------------------------------------------------------------------------------------
# HiGHS
# --------------------------------------------------------------------------------------------
@dataclass
class _Milp:
    status: str
    x: np.ndarray | None
    dual_bound: float
    seconds: float


_HIGHS_STATUS = {
    "kOptimal": "optimal",
    "kTimeLimit": "time_limit",
    "kInterrupt": "interrupted",
    "kMemoryLimit": "memory_limit",
    "kIterationLimit": "time_limit",
    "kSolutionLimit": "time_limit",
    "kObjectiveBound": "time_limit",
    "kObjectiveTarget": "time_limit",
}


def _new_highs() -> Any:
    import highspy

    # highspy.Highs() writes its banner to stdout on construction even with output_flag off
    # (HiGHS issue #2749); the core class does not. Fall back to the public class if it moves.
    cls = getattr(getattr(highspy, "_core", None), "_Highs", None) or highspy.Highs
    h = cls()
    h.setOptionValue("output_flag", False)
    return h


def _cover_dominance(A: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of a set-covering matrix that can be dropped without changing
    the optimum: a row whose sites include all of another row's (covering the other
    covers it), then a column whose rows are all covered by another column too.
    Returns the (row, column) indices to keep. Skipped when the products are large."""
    n, m = A.shape
    B = sp.csr_array(A, dtype=np.float64)
    keep_rows = np.arange(n)
    deg = np.diff(B.indptr)
    work = float(np.asarray(B.sum(axis=0)).ravel() @ np.asarray(B.sum(axis=0)).ravel())
    if n and work <= _DOMINANCE_MAX_WORK:
        R = (B @ B.T).tocoo()
        i, k = R.row, R.col
        subset = (R.data == deg[i]) & (i != k) & ((deg[i] < deg[k]) | (i < k))
        drop = np.zeros(n, dtype=bool)
        drop[k[subset]] = True
        keep_rows = np.flatnonzero(~drop)
        B = B[keep_rows]
    keep_cols = np.arange(m)
    size = np.asarray(B.sum(axis=0)).ravel()
    work = float(np.diff(B.indptr) @ np.diff(B.indptr))
    if m and work <= _DOMINANCE_MAX_WORK:
        C = (B.T @ B).tocoo()
        j, l_ = C.row, C.col
        inside = (C.data == size[j]) & (j != l_) & ((size[j] < size[l_]) | (j < l_))
        gone = np.zeros(m, dtype=bool)
        gone[j[inside]] = True
        gone |= size == 0
        keep_cols = np.flatnonzero(~gone)
    return keep_rows, keep_cols


def _run_milp(
    *,
    maximise: bool,
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    n_int: int,
    M: sp.csc_array,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    start: np.ndarray | None,
    time_limit_s: float,
    mip_rel_gap: float,
    threads: int | None,
) -> _Milp:
    """Solve ``max/min cost @ v`` s.t. ``row_lower <= M v <= row_upper``; the first ``n_int``
    variables are integer. ``start`` is a full feasible solution for warm starting."""
    import highspy

    t0 = time.perf_counter()
    h = _new_highs()
    if threads is not None:
        h.setOptionValue("threads", int(threads))
        # HiGHS keeps one global thread pool; it must be rebuilt for a different size.
        h.resetGlobalScheduler(True)
    h.setOptionValue("time_limit", float(max(time_limit_s, 0.01)))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    h.setOptionValue("presolve", "on")
    ncol, nrow = M.shape[1], M.shape[0]
    integrality = np.zeros(ncol, dtype=np.int32)
    integrality[:n_int] = 1
    inf = highspy.kHighsInf
    status = h.passModel(
        int(ncol),
        int(nrow),
        int(M.nnz),
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize),
        0.0,
        np.ascontiguousarray(cost, dtype=np.float64),
        np.ascontiguousarray(col_lower, dtype=np.float64),
        np.ascontiguousarray(col_upper, dtype=np.float64),
        np.where(np.isfinite(row_lower), row_lower, -inf).astype(np.float64),
        np.where(np.isfinite(row_upper), row_upper, inf).astype(np.float64),
        M.indptr.astype(np.int32),
        M.indices.astype(np.int32),
        M.data.astype(np.float64),
        integrality,
    )
    if status == highspy.HighsStatus.kError:
        raise SolverError("HiGHS rejected the model (passModel failed); this is a bug in aedplan")
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = np.ascontiguousarray(start, dtype=np.float64)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    model_status = h.getModelStatus()
    name = getattr(model_status, "name", str(model_status))
    if name not in _HIGHS_STATUS:
        raise SolverError(
            f"HiGHS stopped with model status {h.modelStatusToString(model_status)!r}; "
            "the covering model is always feasible, so this is a solver failure. "
            "Try solver='greedy' or a longer time_limit_s."
        )
    info = h.getInfo()
    x = None
    if info.primal_solution_status == 2:  # kSolutionStatusFeasible
        x = np.asarray(h.getSolution().col_value, dtype=np.float64)
        value = float(np.dot(cost, x))
        reported = float(info.objective_function_value)
        if start is not None and abs(value - reported) > 1e-6 * max(1.0, abs(reported)):
            # HiGHS 1.16 hands back the warm start, not its optimum, when presolve alone
            # solves the model: solve again without the start to get the solution itself.
            return _run_milp(
                maximise=maximise, cost=cost, col_lower=col_lower, col_upper=col_upper,
                n_int=n_int, M=M, row_lower=row_lower, row_upper=row_upper, start=None,
                time_limit_s=max(time_limit_s - (time.perf_counter() - t0), 0.01),
                mip_rel_gap=mip_rel_gap, threads=threads,
            )
    return _Milp(
        status=_HIGHS_STATUS[name],
        x=x,
        dual_bound=float(info.mip_dual_bound),
        seconds=time.perf_counter() - t0,
    )


def _covering_rows(A: sp.csr_array) -> sp.csc_array:
    """Rows ``y_i - sum_j a_ij x_j`` over variables ``[x (m), y (n)]`` as a CSC block."""
    n = A.shape[0]
    return sp.csc_array(sp.hstack([-A.astype(np.float64), sp.eye_array(n, format="csr")]))


def _warm_start_y(B: sp.csr_array, x0: np.ndarray) -> np.ndarray:
    """Coverage variables ``y = min(1, B @ x0)`` that complete a warm start ``x0``."""
    return np.minimum(1.0, np.asarray(B.astype(np.float64) @ x0).ravel())


def _status_from(milp_status: str, obj: float, bound: float, maximise: bool, scale: float) -> str:
    gap_abs = bound - obj if maximise else obj - bound
    proven = gap_abs <= max(_REL_TOL * abs(bound), 1e-6 * scale)
    if milp_status == "optimal":
        return "optimal" if proven else "gap_limit"
    return "optimal" if proven else milp_status


# --------------------------------------------------------------------------------------------
# Exact MCLP on a reduced instance
# --------------------------------------------------------------------------------------------
@dataclass
class _Exact:
    sites: np.ndarray  # reduced column indices
    bound: float  # on the reduced objective (already-covered weight excluded)
    status: str
    milp_size: tuple[int, int]
    bound_s: float
    milp_s: float
    swap_s: float = 0.0


def _coverage_value(Ac: sp.csc_array, w: np.ndarray, sites: np.ndarray) -> float:
    hit = np.zeros(w.size, dtype=bool)
    hit[_gather(Ac.indptr, Ac.indices, sites)] = True
    return float(w[hit].sum())


def _exact_mclp(
    red: _Reduced,
    Ac: sp.csc_array,
    greedy: np.ndarray,
    greedy_value: float,
    p: int,
    *,
    time_limit_s: float,
    mip_rel_gap: float,
    threads: int | None,
    deadline: float,
) -> _Exact:
    """Prove (or improve) a greedy solution of the reduced MCLP."""
    A, w = red.A, red.weights
    m = A.shape[1]
    total = float(w.sum())
    if p >= m or greedy_value >= total * (1 - 1e-15):
        # Everything coverable is covered: optimal by definition.
        return _Exact(greedy, total if p >= m else greedy_value, "optimal", (0, 0), 0.0, 0.0)
    if p == 0:
        return _Exact(greedy[:0], 0.0, "optimal", (0, 0), 0.0, 0.0)
    t0 = time.perf_counter()
    Af = sp.csr_array(A.astype(np.float64))
    AfT = sp.csr_array(Ac.astype(np.float64).T)
    # A better incumbent both shrinks the gap and lets the bound fix more sites.
    greedy, greedy_value = _swap_improve(
        Ac,
        Af,
        AfT,
        w,
        greedy,
        greedy_value,
        deadline=min(deadline, t0 + 0.1 * time_limit_s),
        max_swaps=2 * p,
    )
    swap_s = time.perf_counter() - t0
    lg = _lagrangian_mclp(
        Af, AfT, Ac, w, p, greedy_value, deadline=min(deadline, t0 + 0.3 * time_limit_s)
    )
    bound = min(lg.bound, total)
    drop, fix = _fix_by_bound(lg, p, greedy_value)
    if drop[greedy].any() or fix[greedy].sum() != fix.sum():
        # Cannot happen in exact arithmetic (the greedy solution meets every fixing); if
        # rounding ever says otherwise, solve without fixing rather than trust it.
        drop[:], fix[:] = False, False
    bound_s = time.perf_counter() - t0 - swap_s
    if bound - greedy_value <= _REL_TOL * bound:
        return _Exact(greedy, bound, "optimal", (0, 0), bound_s, 0.0, swap_s)

    core = _solve_core(
        red,
        Ac,
        p,
        fix,
        drop,
        greedy,
        deadline=deadline,
        mip_rel_gap=mip_rel_gap,
        threads=threads,
    )
    chosen, value = core.sites, core.value
    if value < greedy_value:  # HiGHS returned nothing better than its warm start
        chosen, value = greedy, greedy_value
    bound = max(min(bound, core.bound), value)
    status = _status_from(core.status, value, bound, True, core.scale)
    return _Exact(chosen, bound, status, core.size, bound_s, core.seconds, swap_s)


@dataclass
class _Core:
    sites: np.ndarray  # reduced column indices (fixed ones included)
    value: float  # covered reduced weight
    bound: float  # upper bound over every solution that respects the fixings
    status: str
    size: tuple[int, int]
    seconds: float
    scale: float


def _solve_core(
    red: _Reduced,
    Ac: sp.csc_array,
    p: int,
    fix: np.ndarray,
    drop: np.ndarray,
    start: np.ndarray | None,
    *,
    deadline: float,
    mip_rel_gap: float,
    threads: int | None,
) -> _Core:
    """Maximise coverage with ``p`` sites, the ``fix`` sites in and the ``drop`` sites out.

    Rows covered by fixed sites are done; the rest (rows coverable by free sites, identical
    rows merged) goes to HiGHS, warm-started from ``start`` restricted to the core, or from a
    greedy run on the core when ``start`` is None.
    """
    A, w = red.A, red.weights
    n = A.shape[0]
    fixed = np.flatnonzero(fix)
    free = np.flatnonzero(~fix & ~drop)
    done = np.zeros(n, dtype=bool)
    done[_gather(Ac.indptr, Ac.indices, fixed)] = True
    const = float(w[done].sum())
    sub = sp.csr_array(A[np.flatnonzero(~done)][:, free])
    sub_red = _reduce(sub, w[~done], dominance=False)  # merge rows only; keep every free site
    core_sites = free[sub_red.sites]
    B, wb = sub_red.A, sub_red.weights
    pb = p - fixed.size
    nb, mb = B.shape
    if pb <= 0 or mb == 0 or pb >= mb:
        chosen = np.concatenate([fixed, core_sites if pb > 0 else core_sites[:0]])
        value = _coverage_value(Ac, w, chosen)
        return _Core(chosen, value, value, "optimal", (nb, mb), 0.0, 1.0)
    if start is not None:
        x0 = np.isin(core_sites, start).astype(np.float64)
    else:
        g = _lazy_greedy(sp.csc_array(B), wb, np.zeros(nb, dtype=np.int64), _increments(None), pb)
        x0 = np.zeros(mb)
        x0[g.sites] = 1.0
    scale = float(wb.mean())  # HiGHS works on weights of mean 1: tolerances are per demand point
    M = sp.csc_array(
        sp.vstack(
            [
                _covering_rows(B),
                sp.csr_array(np.concatenate([np.ones(mb), np.zeros(nb)])[None, :]),
            ]
        )
    )
    res = _run_milp(
        maximise=True,
        cost=np.concatenate([np.zeros(mb), wb / scale]),
        col_lower=np.zeros(mb + nb),
        col_upper=np.ones(mb + nb),
        n_int=mb,
        M=M,
        row_lower=np.full(nb + 1, -np.inf),
        row_upper=np.concatenate([np.zeros(nb), [pb]]),
        start=np.concatenate([x0, _warm_start_y(B, x0)]),
        time_limit_s=max(deadline - time.perf_counter(), 0.01),
        mip_rel_gap=mip_rel_gap,
        threads=threads,
    )
    chosen = np.concatenate([fixed, core_sites[x0 > 0.5]])
    value = _coverage_value(Ac, w, chosen)
    if res.x is not None:
        cand = np.concatenate([fixed, core_sites[res.x[:mb] > 0.5]])
        if cand.size <= p:
            cand_value = _coverage_value(Ac, w, cand)
            if cand_value >= value:
                chosen, value = cand, cand_value
    bound = res.dual_bound * scale + const if math.isfinite(res.dual_bound) else math.inf
    return _Core(chosen, value, max(bound, value), res.status, (nb, mb), res.seconds, scale)


def _decide_mclp(
    red: _Reduced,
    Ac: sp.csc_array,
    Af: sp.csr_array,
    AfT: sp.csr_array,
    p: int,
    need: float,
    *,
    deadline: float,
    threads: int | None,
) -> tuple[np.ndarray | None, bool, float, tuple[int, int]]:
    """Is there a choice of ``p`` sites covering at least ``need`` reduced weight?

    Returns ``(sites, infeasible, milp_seconds, milp_size)``: the sites when found,
    ``infeasible=True`` when proven impossible, neither when the time ran out. The Lagrangian
    step and the site fixing use ``need`` as the threshold, which prunes far more than the
    greedy value would.
    """
    now = time.perf_counter()
    lg = _lagrangian_mclp(
        Af, AfT, Ac, red.weights, p, need, deadline=now + 0.3 * max(deadline - now, 0.0)
    )
    if lg.bound < need:
        return None, True, 0.0, (0, 0)
    drop, fix = _fix_by_bound(lg, p, need)
    if fix.sum() > p:
        return None, True, 0.0, (0, 0)
    core = _solve_core(
        red, Ac, p, fix, drop, None, deadline=deadline, mip_rel_gap=0.0, threads=threads
    )
    if core.value >= need:
        return core.sites, False, core.seconds, core.size
    return None, core.bound < need, core.seconds, core.size


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------
def _start_level(inp: _Inputs, problem: str) -> np.ndarray:
    if problem == "backup":
        return np.minimum(inp.existing, 2)
    return inp.covered.astype(np.int64)


def _make_plan(
    inp: _Inputs,
    Ac: sp.csc_array,
    sites: np.ndarray,
    *,
    problem: str,
    solver: str,
    status: str,
    bound: float,
    budget: int | None,
    timings: dict[str, float],
    reduced: tuple[int, int],
    milp_size: tuple[int, int] = (0, 0),
    backup_weight: float | None = None,
    target_coverage: float | None = None,
    ranked: _Greedy | None = None,
) -> Plan:
    """Rank ``sites`` by greedy marginal gain on the original instance and build the Plan.

    ``bound`` bounds the value the new sites can add to the existing AEDs (``"mclp"``,
    ``"backup"``), or the number of sites from below (``"min_sites"``). Pass ``ranked`` when
    ``sites`` already come in greedy order from the original instance.
    """
    t0 = time.perf_counter()
    w = inp.weights
    level0 = _start_level(inp, problem)
    incr = _increments(backup_weight if problem == "backup" else None)
    if ranked is None:
        ranked = _lazy_greedy(
            Ac, w, level0, incr, int(sites.size), candidates=np.unique(sites.astype(np.int64))
        )
    total = float(w.sum())
    covered_weight = float(w[ranked.level >= 1].sum())
    cum = np.concatenate([[0.0], np.cumsum(incr[:-1])])  # value of k AEDs in reach
    base = float(w @ cum[np.minimum(level0, incr.size - 1)])
    value = base + float(ranked.gains.sum())
    if problem == "min_sites":
        objective = float(ranked.sites.size)
        bound = float(min(bound, objective))
        gap = (objective - bound) / max(objective, 1.0)
    else:
        objective = covered_weight if problem == "mclp" else value
        bound = max(float(bound) + base, objective)
        gap = (bound - objective) / bound if bound > 0 else 0.0
    solve_s = {k: float(v) for k, v in timings.items()}
    solve_s["rank"] = solve_s.get("rank", 0.0) + time.perf_counter() - t0
    if "_t0" in solve_s:
        solve_s["total"] = time.perf_counter() - solve_s.pop("_t0")
    return Plan(
        sites=ranked.sites,
        added_weight=ranked.gains,
        covered_weight=covered_weight,
        already_covered_weight=float(w[level0 >= 1].sum()),
        total_weight=total,
        coverage=covered_weight / total if total > 0 else 0.0,
        objective=objective,
        bound=bound,
        gap=float(max(gap, 0.0)),
        status=status,
        solver=solver,
        problem=problem,
        budget=budget,
        target_coverage=target_coverage,
        double_covered_weight=float(w[ranked.level >= 2].sum()) if problem == "backup" else None,
        solve_s=solve_s,
        n_reduced_demand=int(reduced[0]),
        n_reduced_sites=int(reduced[1]),
        model_size={
            "input": (int(inp.A.shape[0]), int(inp.A.shape[1])),
            "reduced": (int(reduced[0]), int(reduced[1])),
            "milp": (int(milp_size[0]), int(milp_size[1])),
        },
    )


def _greedy_status(gained: float, bound: float) -> str:
    return "optimal" if bound - gained <= _REL_TOL * max(bound, 1e-300) else "heuristic"


def _greedy_plan(
    inp: _Inputs,
    *,
    problem: str,
    t_start: float,
    backup_weight: float | None = None,
    lagrange_s: float = 0.0,
) -> Plan:
    """Lazy greedy on the original instance, with the greedy bound (and optionally the
    Lagrangian bound, given ``lagrange_s`` seconds at most)."""
    assert inp.budget is not None
    p = inp.budget
    t0 = time.perf_counter()
    Ac = sp.csc_array(inp.A)
    level0 = _start_level(inp, problem)
    incr = _increments(backup_weight)
    g = _lazy_greedy(Ac, inp.weights, level0, incr, p, checkpoints=_checkpoint_steps(p, 12))
    gained = float(g.gains.sum())
    reachable = inp.weights * incr[np.minimum(level0, incr.size - 1)]
    open_rows = np.flatnonzero((reachable > 0) & (np.diff(inp.A.indptr) > 0))
    room = float(
        (inp.weights * (np.cumsum(incr[::-1])[::-1][np.minimum(level0, incr.size - 1)]))[
            open_rows
        ].sum()
    )
    bound = min(float(_greedy_bound(g.checkpoints, np.array([p]))[0]), room)
    timings = {"_t0": t_start, "greedy": time.perf_counter() - t0}
    t1 = time.perf_counter()
    if lagrange_s > 0 and problem == "mclp" and 0 < p < inp.A.shape[1]:
        if bound - gained > _REL_TOL * bound:
            sub = sp.csr_array(inp.A[open_rows])
            w = inp.weights[open_rows]
            lg = _lagrangian_mclp(
                sub.astype(np.float64),
                sp.csr_array(sub.T.astype(np.float64)),
                sp.csc_array(sub),
                w,
                p,
                gained,
                deadline=t1 + lagrange_s,
            )
            bound = min(bound, lg.bound)
        timings["bound"] = time.perf_counter() - t1
    return _make_plan(
        inp,
        Ac,
        g.sites,
        problem=problem,
        solver="greedy",
        status=_greedy_status(gained, bound),
        bound=bound,
        budget=p,
        timings=timings,
        reduced=inp.A.shape,
        backup_weight=backup_weight,
        ranked=g,
    )


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------
def greedy_mclp(
    A: Any,
    weights: Any,
    budget: int,
    *,
    covered: Any = None,
) -> Plan:
    """Maximal covering by lazy greedy: fast, with a proven bound.

    Parameters
    ----------
    A
        ``n_demand x n_sites`` coverage matrix (scipy.sparse or dense; nonzero = covered).
    weights
        ``(n_demand,)`` demand weights, ``>= 0``.
    budget
        Maximum number of new sites.
    covered
        ``(n_demand,)`` booleans: demand already covered by existing AEDs.

    Returns
    -------
    Plan
        ``solver="greedy"``; ``bound`` is the classic submodular bound ``f(S_k) + (sum of the
        budget largest marginal gains at S_k)``, the smallest over a few greedy prefixes
        ``S_k``. ``status`` is ``"optimal"`` only when that bound proves it.

    Notes
    -----
    Each step takes the site adding most uncovered weight; stale gains are kept in a heap as
    upper bounds and only the top is re-evaluated (Minoux's lazy greedy), so a step costs a
    few column sums instead of a pass over all sites. The result is within ``1 - 1/e`` of the
    optimum, and in practice within a fraction of a percent.
    """
    t0 = time.perf_counter()
    inp = _validate(A, weights, covered=covered, budget=budget)
    return _greedy_plan(inp, problem="mclp", t_start=t0)


def solve_mclp(
    A: Any,
    weights: Any,
    budget: int,
    *,
    covered: Any = None,
    solver: Solver = "exact",
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 0.0,
    threads: int | None = None,
) -> Plan:
    """Maximal covering location: at most ``budget`` new sites covering most demand weight.

    Parameters
    ----------
    A
        ``n_demand x n_sites`` coverage matrix (scipy.sparse or dense; nonzero = covered).
    weights
        ``(n_demand,)`` demand weights, ``>= 0``.
    budget
        Maximum number of new sites. More than the number of candidates warns and uses them
        all; sites that add nothing are never proposed.
    covered
        ``(n_demand,)`` booleans: demand already covered by existing AEDs.
    solver
        ``"exact"`` (MILP, proven bound) or ``"greedy"`` (lazy greedy with the greedy and
        Lagrangian bounds).
    time_limit_s
        Wall-clock limit for the whole solve; on the limit the best solution found is returned
        with ``status="time_limit"`` and its bound.
    mip_rel_gap
        Relative gap at which the MILP may stop (0 = prove optimality).
    threads
        HiGHS threads (``None``: HiGHS decides). Setting it rebuilds HiGHS's global thread
        pool.

    Returns
    -------
    Plan
        ``sites`` ranked by marginal gain, ``covered_weight``, ``bound`` and ``gap``.

    Notes
    -----
    The exact path

    1. reduces the instance exactly: drops demand already covered, of zero weight or out of
       reach of every site; merges demand points covered by the same sites; drops sites
       covering nothing and sites whose demand is a subset of another site's;
    2. runs the lazy greedy (the incumbent);
    3. runs a Lagrangian subgradient (relaxing ``y_i <= sum_j a_ij x_j``), whose bound closes
       the gap outright when the greedy is optimal, and otherwise proves most sites out of (or
       into) every solution better than the greedy one;
    4. solves the remaining core with HiGHS (binary ``x``, continuous ``y`` in [0, 1]),
       warm-started from the greedy solution;
    5. ranks the chosen sites by greedy marginal gain on the original instance.

    On sparse city-scale instances (100,000 demand points, 20,000 candidates, budgets of
    50-200) steps 1-3 leave at most a few hundred sites and the whole solve takes about a
    second. When the budget covers most of the area, the LP relaxation (and so the Lagrangian
    bound) is a few percent above the optimum, nothing can be fixed, and HiGHS gets the whole
    reduced model: expect ``status="time_limit"`` with a gap of 0.2-3%. HiGHS 1.16 does not
    check its time limit inside one root-node rounding heuristic, so on such large models a
    solve can overrun ``time_limit_s`` (by up to 2-4x in our benchmarks).
    """
    t0 = time.perf_counter()
    inp = _validate(
        A,
        weights,
        covered=covered,
        budget=budget,
        solver=solver,
        time_limit_s=time_limit_s,
        mip_rel_gap=mip_rel_gap,
        threads=threads,
    )
    if solver == "greedy":
        return _greedy_plan(inp, problem="mclp", t_start=t0, lagrange_s=min(time_limit_s, 5.0))
    assert inp.budget is not None
    p = inp.budget
    deadline = t0 + float(time_limit_s)
    w_eff = np.where(inp.covered, 0.0, inp.weights)
    red = _reduce(inp.A, w_eff)
    t1 = time.perf_counter()
    Ac_red = sp.csc_array(red.A)
    n_r, m_r = red.A.shape
    g = _lazy_greedy(
        Ac_red,
        red.weights,
        np.zeros(n_r, dtype=np.int64),
        _increments(None),
        p,
        checkpoints=_checkpoint_steps(p, 6),
    )
    gvalue = float(g.gains.sum())
    gbound = float(_greedy_bound(g.checkpoints, np.array([p]))[0])
    t2 = time.perf_counter()
    if gbound - gvalue <= _REL_TOL * max(gbound, 1e-300):
        ex = _Exact(g.sites, gbound, "optimal", (0, 0), 0.0, 0.0)
    else:
        ex = _exact_mclp(
            red,
            Ac_red,
            g.sites,
            gvalue,
            p,
            time_limit_s=float(time_limit_s),
            mip_rel_gap=float(mip_rel_gap),
            threads=threads,
            deadline=deadline,
        )
        ex.bound = min(ex.bound, gbound)
    timings = {
        "_t0": t0,
        "reduce": t1 - t0,
        "greedy": t2 - t1,
        "swap": ex.swap_s,
        "bound": ex.bound_s,
        "milp": ex.milp_s,
    }
    return _make_plan(
        inp,
        sp.csc_array(inp.A),
        red.sites[ex.sites],
        problem="mclp",
        solver="exact",
        status=ex.status,
        bound=ex.bound,
        budget=p,
        timings=timings,
        reduced=(n_r, m_r),
        milp_size=ex.milp_size,
    )


def solve_min_sites(
    A: Any,
    weights: Any,
    target_coverage: float,
    *,
    covered: Any = None,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 0.0,
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
        ``(n_demand,)`` booleans: demand already covered by existing AEDs.
    time_limit_s
        Wall-clock limit; on the limit the best solution is returned with its bound.
    mip_rel_gap
        Relative gap at which the MILP may stop (0 = prove optimality).
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
    ``y_i <= sum_j a_ij x_j``, with the same exact reductions as :func:`solve_mclp`, the
    greedy count as warm start, and the count of heaviest sites needed as a first lower bound.
    """
    t0 = time.perf_counter()
    inp = _validate(
        A,
        weights,
        covered=covered,
        target_coverage=target_coverage,
        time_limit_s=time_limit_s,
        mip_rel_gap=mip_rel_gap,
        threads=threads,
    )
    target = float(target_coverage)
    w, cov = inp.weights, inp.covered
    m = inp.A.shape[1]
    total = float(w.sum())
    already = float(w[cov].sum())
    reach = ~cov & (np.diff(inp.A.indptr) > 0)
    reachable = already + float(w[reach].sum())
    tol = _REL_TOL * total
    if reachable < target * total - tol:
        share = reachable / total if total > 0 else 0.0
        existing = " (existing AEDs included)" if cov.any() else ""
        fix = (
            f"Lower the target to at most {math.floor(share * 1000) / 1000:.3f} or add candidate "
            "sites."
            if share >= 0.001
            else "Add candidate sites near the demand (is `A` empty?)."
        )
        raise InfeasibleError(
            f"target coverage {target:g} is not reachable: with every one of the {m:,} "
            f"candidate sites{existing}, {share:.1%} of demand weight is within reach. {fix}"
        )
    need = target * total - already - tol  # new weight to cover
    Ac = sp.csc_array(inp.A)
    if need <= 0:
        return _make_plan(
            inp,
            Ac,
            np.zeros(0, dtype=np.int64),
            solver="exact",
            status="optimal",
            bound=0.0,
            timings={"_t0": t0},
            reduced=(0, 0),
            problem="min_sites",
            budget=None,
            target_coverage=target,
        )
    red = _reduce(inp.A, np.where(cov, 0.0, w))
    t1 = time.perf_counter()
    B, wb = red.A, red.weights
    nb, mb = B.shape
    Bc = sp.csc_array(B)
    g = _lazy_greedy(Bc, wb, np.zeros(nb, dtype=np.int64), _increments(None), mb, target=need)
    heavy = np.cumsum(-np.sort(-np.asarray(Bc.T @ wb).ravel()))
    lower = float(min(int(np.searchsorted(heavy, need, side="left")) + 1, g.sites.size))
    t2 = time.perf_counter()
    chosen, status, milp_s, size = g.sites, "optimal", 0.0, (0, 0)
    deadline = t0 + float(time_limit_s)
    # every coverable demand point must be covered (up to rounding of target * total)
    full = need >= float(wb.sum()) * (1.0 - 1e-9) - 2.0 * tol
    if full and chosen.size > lower:
        # Set covering: every remaining demand row covered at least once. Tighter and much
        # smaller than the partial model (no y variables), and the count walk below would
        # need thousands of steps.
        # a demand point that only one site reaches forces that site
        Br = sp.csr_array(B)
        single = np.diff(Br.indptr) == 1
        forced = np.unique(Br.indices[Br.indptr[:-1][single]])
        hit = np.zeros(mb)
        hit[forced] = 1.0
        done = np.asarray(Br @ hit).ravel() > 0
        free = np.setdiff1d(np.arange(mb), forced)
        rest = Br[~done][:, free]
        keep_col = np.diff(sp.csc_array(rest).indptr) > 0
        free, rest = free[keep_col], sp.csc_array(rest)[:, keep_col]
        rows, cols = _cover_dominance(sp.csr_array(rest))
        free, rest = free[cols], sp.csc_array(sp.csr_array(rest)[rows][:, cols])
        n_rest, m_rest = rest.shape
        size = (n_rest, m_rest)
        if n_rest:
            x0 = np.isin(free, chosen).astype(np.float64)
            res = _run_milp(
                maximise=False,
                cost=np.ones(m_rest),
                col_lower=np.zeros(m_rest),
                col_upper=np.ones(m_rest),
                n_int=m_rest,
                M=sp.csc_array(rest.astype(np.float64)),
                row_lower=np.ones(n_rest),
                row_upper=np.full(n_rest, np.inf),
                start=x0,
                time_limit_s=max(deadline - time.perf_counter(), 0.01),
                mip_rel_gap=float(mip_rel_gap),
                threads=threads,
            )
            milp_s += res.seconds
            if res.x is not None:
                cand = np.concatenate([forced, free[res.x[:m_rest] > 0.5]])
                if cand.size < chosen.size and _coverage_value(Bc, wb, cand) >= need - tol:
                    chosen = np.sort(cand)
            if math.isfinite(res.dual_bound):
                lower = max(lower, float(forced.size + math.ceil(res.dual_bound - 1e-6)))
            milp_status = res.status
        else:
            chosen, lower, milp_status = forced, float(forced.size), "optimal"
        lower = min(lower, float(chosen.size))
        if chosen.size > lower:
            status = "gap_limit" if milp_status == "optimal" else milp_status
    elif chosen.size > lower:
        # 1. Walk the count down: can p = |best| - 1 sites cover `need`? Each answer is an MCLP
        #    decision that the Lagrangian bound usually settles, pruning sites with `need` as
        #    the threshold; the rest goes to HiGHS. Usually one or two steps.
        Af = B.astype(np.float64)
        AfT = sp.csr_array(Bc.astype(np.float64).T)
        red_min = _Reduced(A=B, weights=wb, sites=np.arange(mb), level=red.level)
        phase1_end = time.perf_counter() + 0.5 * max(deadline - time.perf_counter(), 0.0)
        while chosen.size > lower and time.perf_counter() < phase1_end:
            found, infeasible, secs, core_size = _decide_mclp(
                red_min, Bc, Af, AfT, chosen.size - 1, need, deadline=phase1_end, threads=threads
            )
            milp_s += secs
            size = max(size, core_size)
            if found is not None:
                chosen = found
            else:
                if infeasible:
                    lower = float(chosen.size)
                break
        # 2. Undecided (large, hard cores): the direct model, minimise the count.
        if chosen.size > lower:
            scale = float(wb.mean())
            M = sp.csc_array(
                sp.vstack(
                    [
                        _covering_rows(B),
                        sp.csr_array(np.concatenate([np.zeros(mb), wb / scale])[None, :]),
                    ]
                )
            )
            x0 = np.zeros(mb)
            x0[chosen] = 1.0
            res = _run_milp(
                maximise=False,
                cost=np.concatenate([np.ones(mb), np.zeros(nb)]),
                col_lower=np.zeros(mb + nb),
                col_upper=np.ones(mb + nb),
                n_int=mb,
                M=M,
                row_lower=np.concatenate([np.full(nb, -np.inf), [need / scale]]),
                row_upper=np.concatenate([np.zeros(nb), [np.inf]]),
                start=np.concatenate([x0, _warm_start_y(B, x0)]),
                time_limit_s=max(deadline - time.perf_counter(), 0.01),
                mip_rel_gap=float(mip_rel_gap),
                threads=threads,
            )
            milp_s += res.seconds
            size = (nb, mb)
            if res.x is not None:
                cand = np.flatnonzero(res.x[:mb] > 0.5)
                ok = _coverage_value(Bc, wb, cand) >= need - tol - 1e-6 * scale
                if ok and cand.size < chosen.size:
                    chosen = cand
            if math.isfinite(res.dual_bound):
                lower = max(lower, float(math.ceil(res.dual_bound - 1e-6)))
            lower = min(lower, float(chosen.size))
            if chosen.size > lower:
                status = "gap_limit" if res.status == "optimal" else res.status
    timings = {"_t0": t0, "reduce": t1 - t0, "greedy": t2 - t1, "milp": milp_s}
    return _make_plan(
        inp,
        Ac,
        red.sites[chosen],
        solver="exact",
        status=status,
        bound=lower,
        timings=timings,
        reduced=(nb, mb),
        milp_size=size,
        problem="min_sites",
        budget=None,
        target_coverage=target,
    )


def solve_backup(
    A: Any,
    weights: Any,
    budget: int,
    *,
    existing_count: Any = None,
    backup_weight: float = 0.5,
    solver: Solver = "exact",
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 0.0,
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
    """
    t0 = time.perf_counter()
    inp = _validate(
        A,
        weights,
        existing_count=existing_count,
        budget=budget,
        solver=solver,
        time_limit_s=time_limit_s,
        mip_rel_gap=mip_rel_gap,
        threads=threads,
        backup_weight=backup_weight,
    )
    beta = float(backup_weight)
    if solver == "greedy":
        return _greedy_plan(inp, problem="backup", t_start=t0, backup_weight=beta)
    assert inp.budget is not None
    p = inp.budget
    incr = _increments(beta)
    level0 = np.minimum(inp.existing, 2)
    w_eff = np.where(level0 >= 2, 0.0, inp.weights)
    red = _reduce(inp.A, w_eff, dominance=False, level=level0)
    t1 = time.perf_counter()
    B, wb, lev = red.A, red.weights, red.level
    nb, mb = B.shape
    Bc = sp.csc_array(B)
    g = _lazy_greedy(Bc, wb, lev, incr, p, checkpoints=_checkpoint_steps(p, 6))
    gvalue = float(g.gains.sum())
    room = float(wb @ np.cumsum(incr[::-1])[::-1][lev])
    bound = min(float(_greedy_bound(g.checkpoints, np.array([p]))[0]), room)
    t2 = time.perf_counter()
    chosen, status, milp_s, size = g.sites, "optimal", 0.0, (0, 0)
    if bound - gvalue > _REL_TOL * max(bound, 1e-300) and p < mb:
        scale = float(wb.mean())
        # variables [x (mb), y1 (nb), y2 (nb)]
        Bf = B.astype(np.float64)
        eye = sp.eye_array(nb, format="csr")
        zero = sp.csr_array((nb, mb))
        budget_row = sp.csr_array(np.concatenate([np.ones(mb), np.zeros(2 * nb)])[None, :])
        M = sp.csc_array(
            sp.vstack(
                [
                    sp.hstack([-Bf, eye, eye]),  # y1 + y2 - A x <= existing
                    sp.hstack([zero, -eye, eye]),  # y2 - y1 <= 0
                    budget_row,
                ]
            )
        )
        x0 = np.zeros(mb)
        x0[g.sites] = 1.0
        k0 = lev + np.asarray(Bf @ x0).ravel()
        res = _run_milp(
            maximise=True,
            cost=np.concatenate([np.zeros(mb), wb / scale, beta * wb / scale]),
            col_lower=np.concatenate([np.zeros(mb), (lev >= 1).astype(float), np.zeros(nb)]),
            col_upper=np.ones(mb + 2 * nb),
            n_int=mb,
            M=M,
            row_lower=np.full(2 * nb + 1, -np.inf),
            row_upper=np.concatenate([lev.astype(float), np.zeros(nb), [p]]),
            start=np.concatenate([x0, np.minimum(k0, 1.0), np.clip(k0 - 1.0, 0.0, 1.0)]),
            time_limit_s=max(t0 + float(time_limit_s) - time.perf_counter(), 0.01),
            mip_rel_gap=float(mip_rel_gap),
            threads=threads,
        )
        milp_s, size = res.seconds, (nb, mb)
        value = gvalue
        if res.x is not None:
            cand = np.flatnonzero(res.x[:mb] > 0.5)
            cand_value = _backup_value(Bc, wb, lev, incr, cand)
            if cand.size <= p and cand_value >= value:
                chosen, value = cand, cand_value
        base = float(wb @ np.concatenate([[0.0], np.cumsum(incr[:-1])])[lev])
        if math.isfinite(res.dual_bound):
            bound = min(bound, res.dual_bound * scale - base)
        bound = max(bound, value)
        status = _status_from(res.status, value, bound, True, scale)
    elif p >= mb:
        # The greedy skips a site only once it adds nothing (and gains only shrink), so with a
        # budget for every site it is worth as much as all of them: optimal.
        bound = gvalue
    timings = {"_t0": t0, "reduce": t1 - t0, "greedy": t2 - t1, "milp": milp_s}
    return _make_plan(
        inp,
        sp.csc_array(inp.A),
        red.sites[chosen],
        problem="backup",
        solver="exact",
        status=status,
        bound=bound,
        budget=p,
        timings=timings,
        reduced=(nb, mb),
        milp_size=size,
        backup_weight=beta,
    )


def _backup_value(
    Ac: sp.csc_array, w: np.ndarray, level: np.ndarray, incr: np.ndarray, sites: np.ndarray
) -> float:
    k = level + np.bincount(_gather(Ac.indptr, Ac.indices, sites), minlength=w.size)
    cum = np.concatenate([[0.0], np.cumsum(incr[:-1])])
    return float(w @ (cum[np.minimum(k, incr.size - 1)] - cum[np.minimum(level, incr.size - 1)]))


def coverage_curve(
    A: Any,
    weights: Any,
    max_sites: int,
    *,
    covered: Any = None,
    solver: Solver = "greedy",
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 0.0,
    threads: int | None = None,
) -> pd.DataFrame:
    """Covered weight against the number of new sites, ``0 .. max_sites``.

    Parameters
    ----------
    A
        ``n_demand x n_sites`` coverage matrix (scipy.sparse or dense; nonzero = covered).
    weights
        ``(n_demand,)`` demand weights, ``>= 0``.
    max_sites
        Largest number of new sites on the curve.
    covered
        ``(n_demand,)`` booleans: demand already covered by existing AEDs.
    solver
        ``"greedy"``: one lazy-greedy run (its prefixes are the greedy solutions for every
        budget). ``"exact"``: one exact :func:`solve_mclp` per budget, sharing the reductions
        and warm-started from the greedy prefix.
    time_limit_s, mip_rel_gap, threads
        Per budget, for ``solver="exact"``.

    Returns
    -------
    pandas.DataFrame
        One row per budget with ``new_sites``, ``covered_weight``, ``coverage``, ``bound``
        (proven upper bound on the covered weight with that many sites) and ``gap``; the greedy
        curve adds ``site`` (the site added at that step, -1 for none) and ``added_weight``; the
        exact curve adds ``status`` and ``solve_s``.
    """
    import pandas as pd

    t0 = time.perf_counter()
    inp = _validate(
        A,
        weights,
        covered=covered,
        budget=max_sites,
        budget_name="max_sites",
        solver=solver,
        time_limit_s=time_limit_s,
        mip_rel_gap=mip_rel_gap,
        threads=threads,
    )
    assert inp.budget is not None
    K = inp.budget
    w, cov = inp.weights, inp.covered
    total = float(w.sum())
    already = float(w[cov].sum())
    steps = np.arange(K + 1)
    reachable = float(w[~cov & (np.diff(inp.A.indptr) > 0)].sum())
    incr = _increments(None)
    if solver == "greedy":
        Ac = sp.csc_array(inp.A)
        g = _lazy_greedy(Ac, w, cov.astype(np.int64), incr, K, checkpoints=_checkpoint_steps(K, 40))
        k = g.sites.size
        added = np.zeros(K + 1)
        added[1 : k + 1] = g.gains
        site = np.full(K + 1, -1, dtype=np.int64)
        site[1 : k + 1] = g.sites
        gained = np.cumsum(added)
        bound = already + np.minimum(_greedy_bound(g.checkpoints, steps), reachable)
        covered_weight = already + gained
        frame = pd.DataFrame(
            {
                "new_sites": steps,
                "site": site,
                "added_weight": added,
                "covered_weight": covered_weight,
            }
        )
    else:
        red = _reduce(inp.A, np.where(cov, 0.0, w))
        Bc = sp.csc_array(red.A)
        nb = red.A.shape[0]
        g = _lazy_greedy(Bc, red.weights, np.zeros(nb, dtype=np.int64), incr, K)
        covered_weight = np.full(K + 1, already)
        bound = np.full(K + 1, already)
        status = np.full(K + 1, "optimal", dtype=object)
        secs = np.zeros(K + 1)
        prefix = np.concatenate([[0.0], np.cumsum(g.gains)])
        for p in range(1, K + 1):  # one solve per budget (the loop is over budgets)
            tp = time.perf_counter()
            q = min(p, g.sites.size)
            ex = _exact_mclp(
                red,
                Bc,
                g.sites[:q],
                float(prefix[q]),
                p,
                time_limit_s=float(time_limit_s),
                mip_rel_gap=float(mip_rel_gap),
                threads=threads,
                deadline=tp + float(time_limit_s),
            )
            covered_weight[p] = already + _coverage_value(Bc, red.weights, ex.sites)
            bound[p] = already + max(ex.bound, covered_weight[p] - already)
            status[p] = ex.status
            secs[p] = time.perf_counter() - tp
        frame = pd.DataFrame({"new_sites": steps, "covered_weight": covered_weight})
        frame["status"] = status.astype(str)
        frame["solve_s"] = secs
    frame["coverage"] = covered_weight / total if total > 0 else 0.0
    frame["bound"] = np.maximum(bound, covered_weight)
    frame["gap"] = np.where(
        frame["bound"] > 0,
        (frame["bound"] - covered_weight) / frame["bound"].clip(lower=1e-300),
        0.0,
    )
    frame.attrs["solve_s"] = time.perf_counter() - t0
    return frame


# --------------------------------------------------------------------------------------------
# GeoDataFrame level: the planner's call
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SitePlan:
    """A plan on real data: the array-level :class:`Plan` and the GeoDataFrames to map.

    Attributes
    ----------
    plan
        The optimiser's result (sites as candidate rows, bound, gap, status...).
    proposed
        The chosen candidates in rank order (EPSG:4326): ``rank``, ``name``, ``kind``,
        ``added_weight``, ``candidate`` (row of the candidates frame) and their columns.
    demand
        The demand points (EPSG:4326) with ``weight``, ``kind``, ``walk_s_before`` (rescue
        time to the nearest existing AED, ``inf`` beyond the search limit),
        ``covered_before``, ``walk_s_after`` (existing and proposed AEDs) and
        ``covered_after``.
    before, after
        Coverage statistics without and with the proposed AEDs.
    model
        The time model used.
    curve
        Coverage against the number of new AEDs, ``0 .. curve_to`` (greedy: each step
        adds the best next site), or ``None`` when not asked for.
    """

    plan: Plan
    proposed: Any
    demand: Any
    before: Any
    after: Any
    model: Any
    curve: Any = None


def plan_sites(
    net: Any,
    demand: Any,
    candidates: Any,
    *,
    aeds: Any = None,
    budget: int | None = None,
    target_coverage: float | None = None,
    minutes: float = 4.0,
    mode: str = "round-trip",
    speed_m_s: float = 1.4,
    solver: Solver = "exact",
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 0.0,
    curve_to: int | None = None,
) -> SitePlan:
    """Where should the next AEDs go? Maximal covering (``budget``) or the fewest sites
    for a coverage target (``target_coverage``), on a real network.

    Existing ``aeds`` count as already covering; they are never proposed again (drop
    candidates at them with :func:`aedplan.candidates.exclude_existing`).

    Parameters
    ----------
    net
        The :class:`~aedplan.network.WalkNetwork`.
    demand
        Demand points (GeoDataFrame, any CRS) with a ``weight`` column (else 1 each).
    candidates
        Candidate sites (GeoDataFrame, any CRS); an ``access_s`` column is honoured.
    aeds
        Existing AEDs (GeoDataFrame), or ``None``/empty to plan from scratch.
    budget, target_coverage
        Exactly one: the number of new AEDs, or the share of demand weight to cover.
    minutes, mode, speed_m_s
        The time model.
    solver, time_limit_s, mip_rel_gap
        Passed to :func:`solve_mclp` / :func:`solve_min_sites`.
    curve_to
        Also compute the coverage-vs-budget curve up to this many new AEDs
        (:func:`coverage_curve`, greedy).
    """
    import geopandas as gpd

    from .coverage import coverage_matrix, coverage_stats
    from .coverage import demand_weights as _demand_weights
    from .snapping import concat_snapped, snap
    from .timemodel import TimeModel

    if (budget is None) == (target_coverage is None):
        raise InputError(
            "give exactly one of `budget` (how many new AEDs) and `target_coverage` "
            f"(share of demand to cover); got budget={budget!r}, "
            f"target_coverage={target_coverage!r}."
        )
    model = TimeModel(minutes, mode, speed_m_s)
    for name, frame in (("demand", demand), ("candidates", candidates)):
        if getattr(frame, "crs", None) is None:
            raise InputError(f"`{name}` must be a GeoDataFrame with a CRS.")
    weights = _demand_weights(demand, None, len(demand))
    d = snap(net, demand, argument="demand", strict=False)
    c = snap(net, candidates, argument="candidates")
    has_aeds = aeds is not None and len(aeds) > 0
    a = snap(net, aeds, argument="aeds") if has_aeds else None
    limit_s = 3.0 * model.budget_s
    before = coverage_stats(net, d, a, weights=weights, limit_s=limit_s, minutes=minutes,
                            mode=mode, speed_m_s=speed_m_s)
    A = coverage_matrix(net, d, c, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    covered = before.time_s <= model.budget_s
    if budget is not None:
        plan = solve_mclp(A, weights, budget, covered=covered, solver=solver,
                          time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    else:
        assert target_coverage is not None  # one of the two, checked above
        plan = solve_min_sites(A, weights, target_coverage, covered=covered,
                               time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    curve = None
    if curve_to is not None and len(candidates):
        curve = coverage_curve(A, weights, int(min(curve_to, len(candidates))),
                               covered=covered, solver="greedy")
    chosen = np.asarray(plan.sites, dtype=np.int64)
    picked = c.take(chosen)
    everyone = picked if a is None else concat_snapped(a, picked)
    after = coverage_stats(net, d, everyone if len(everyone) else None, weights=weights,
                           limit_s=limit_s, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    cand = candidates.to_crs(4326) if not candidates.crs.equals(4326) else candidates
    proposed = cand.iloc[chosen].reset_index(drop=True).copy()
    proposed.insert(0, "rank", np.arange(1, chosen.size + 1))
    proposed.insert(1, "added_weight", np.asarray(plan.added_weight, dtype=float))
    proposed.insert(2, "candidate", chosen)
    for col in ("name", "kind"):
        if col not in proposed.columns:
            proposed[col] = None
    dem = demand.to_crs(4326) if not demand.crs.equals(4326) else demand
    dem = dem.reset_index(drop=True).copy()
    dem["weight"] = weights
    if "kind" not in dem.columns:
        dem["kind"] = "points"
    dem["walk_s_before"] = before.time_s
    dem["covered_before"] = before.time_s <= model.budget_s
    dem["walk_s_after"] = after.time_s
    dem["covered_after"] = after.time_s <= model.budget_s
    return SitePlan(
        plan=plan,
        proposed=gpd.GeoDataFrame(proposed, geometry=proposed.geometry.name, crs=cand.crs),
        demand=dem,
        before=before,
        after=after,
        model=model,
        curve=curve,
    )
