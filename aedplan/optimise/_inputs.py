"""The arguments of every solver, checked in one place and put in one shape."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import _validate
from .._caller import warn
from ..errors import Phrase


@dataclass(frozen=True)
class Inputs:
    """A covering instance ready to solve.

    ``A`` holds the free sites only (the caller's columns ``sites``); sites fixed in the
    solution (existing AEDs) are folded into ``covered`` (demand in reach of one) and
    ``existing`` (how many are in reach).
    """

    A: sp.csr_array  # bool, sorted indices, no explicit zeros; free sites only
    weights: np.ndarray  # float64
    covered: np.ndarray  # bool: in reach of a fixed site, or given as covered
    existing: np.ndarray  # int64: fixed sites (and existing_count) in reach
    budget: int | None
    sites: np.ndarray  # the caller's column of every column of A
    fixed: np.ndarray  # the caller's fixed columns

    def caller_sites(self, free: np.ndarray) -> np.ndarray:
        """Columns of ``A`` here -> the caller's columns."""
        return self.sites[np.asarray(free, dtype=np.int64)]


def check(
    A: Any,
    weights: Any,
    *,
    covered: Any = None,
    fixed: Any = None,
    existing_count: Any = None,
    budget: Any = None,
    budget_name: str = "budget",
    **options: Any,
) -> Inputs:
    """Check every argument, collect every problem, raise one
    :class:`~aedplan.errors.InputError`; ``options`` are the solver options
    (``target_coverage``, ``solver``, ``time_limit_s``, ``mip_rel_gap``, ``threads``,
    ``backup_weight``) the call has."""
    problems = _validate.Problems()
    Am = _validate.coverage_matrix(A, problems)
    n = None if Am is None else Am.shape[0]
    w = _validate.per_demand(weights, "weights", n, problems, kind="weight")
    if n is None and w is not None:
        n = w.shape[0]
    cov = None if covered is None else _validate.per_demand(
        covered, "covered", n, problems, kind="mask"
    )
    ex = None if existing_count is None else _validate.per_demand(
        existing_count, "existing_count", n, problems, kind="count"
    )
    fix = np.zeros(0, dtype=np.int64) if fixed is None else _validate.site_indices(
        fixed, "fixed", None if Am is None else Am.shape[1], problems
    )
    if budget is not None:
        _validate.whole(budget, budget_name, problems)
    _check_options(problems, **options)
    problems.raise_if_any()
    assert Am is not None and w is not None and n is not None and fix is not None  # checked
    return _assemble(Am, w, cov, ex, fix, budget, budget_name)


def _check_options(
    problems: _validate.Problems,
    *,
    target_coverage: Any = None,
    solver: Any = None,
    time_limit_s: Any = None,
    mip_rel_gap: Any = None,
    threads: Any = None,
    backup_weight: Any = None,
) -> None:
    if target_coverage is not None:
        _validate.share(target_coverage, "target_coverage", problems)
    if solver is not None and solver not in ("exact", "greedy"):
        problems.add(Phrase("`solver` must be 'exact' or 'greedy', got {solver!r}",
                            {"solver": solver}))
    if time_limit_s is not None:
        _validate.in_range(time_limit_s, "time_limit_s", problems, low=0, high=np.inf,
                           open_low=True, open_high=True,
                           meaning=Phrase("a number of seconds > 0"))
    if mip_rel_gap is not None:
        _validate.mip_gap(mip_rel_gap, "mip_rel_gap", problems)
    if threads is not None and (not _validate.is_int(threads) or threads < 1):
        problems.add(Phrase("`threads` must be None (HiGHS decides) or an int >= 1, got "
                            "{threads!r}", {"threads": threads}))
    if backup_weight is not None:
        _validate.in_range(backup_weight, "backup_weight", problems, low=0, high=1,
                           meaning=Phrase("in [0, 1] (a second AED in reach is worth at most "
                                          "the first)"))


def _assemble(
    A: sp.csr_array,
    w: np.ndarray,
    covered: np.ndarray | None,
    existing: np.ndarray | None,
    fixed: np.ndarray,
    budget: Any,
    budget_name: str,
) -> Inputs:
    n, m = A.shape
    cov = np.zeros(n, dtype=bool) if covered is None else covered.copy()
    ex = np.zeros(n, dtype=np.int64) if existing is None else existing.copy()
    free = np.setdiff1d(np.arange(m), fixed)
    if fixed.size:
        in_reach = np.asarray(A[:, fixed].sum(axis=1)).ravel().astype(np.int64)
        cov |= in_reach > 0
        ex += in_reach
        A = sp.csr_array(A[:, free])
        A.sort_indices()
    b = None if budget is None else int(budget)
    if b is not None and b > free.size:
        warn("`{name}` is {b:,} but there are only {m:,} candidate sites; choosing among "
             "all of them (sites that add no coverage are left out).", name=budget_name, b=b,
             m=free.size)
        b = int(free.size)
    return Inputs(A=A, weights=w, covered=cov, existing=ex, budget=b, sites=free, fixed=fixed)
