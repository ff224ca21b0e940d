"""The coverage-vs-budget curve: how much each further AED buys."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from .. import _validate
from ._greedy import checkpoint_steps, greedy_bound, lazy_greedy
from ._highs import Deadline
from ._inputs import Inputs, check
from ._reduce import reduce
from ._values import coverage_value, increments
from .mclp import Solver, exact_mclp

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["coverage_curve"]


def coverage_curve(
    A: Any,
    weights: Any,
    max_sites: int,
    *,
    covered: Any = None,
    fixed: Any = None,
    solver: Solver = "greedy",
    time_limit_s: float = 60.0,
    mip_rel_gap: float = _validate.DEFAULT_MIP_GAP,
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
        ``(n_demand,)`` booleans: demand already covered (e.g. by AEDs not in ``A``).
    fixed
        Column indices of ``A`` in every solution at no cost (the existing AEDs).
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

    Examples
    --------
    >>> import aedplan, numpy as np
    >>> A = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]])
    >>> aedplan.coverage_curve(A, [1, 1, 1, 5], 3)[["new_sites", "covered_weight"]]
       new_sites  covered_weight
    0          0             0.0
    1          1             6.0
    2          2             8.0
    3          3             8.0
    """
    t0 = time.perf_counter()
    inp = check(
        A, weights, covered=covered, fixed=fixed, budget=max_sites, budget_name="max_sites",
        solver=solver, time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap, threads=threads,
    )
    assert inp.budget is not None
    total = float(inp.weights.sum())
    if solver == "greedy":
        frame = _greedy_curve(inp)
    else:
        frame = _exact_curve(inp, time_limit_s=float(time_limit_s),
                             mip_rel_gap=float(mip_rel_gap), threads=threads)
    covered_weight = frame["covered_weight"].to_numpy()
    frame["coverage"] = covered_weight / total if total > 0 else 0.0
    frame["bound"] = np.maximum(frame.pop("_bound").to_numpy(), covered_weight)
    frame["gap"] = np.where(
        frame["bound"] > 0,
        (frame["bound"] - covered_weight) / frame["bound"].clip(lower=1e-300),
        0.0,
    )
    frame.attrs["solve_s"] = time.perf_counter() - t0
    return frame


def _greedy_curve(inp: Inputs) -> pd.DataFrame:
    """One lazy-greedy run: its prefixes are the greedy plans for every budget."""
    import pandas as pd

    K = int(inp.budget or 0)
    w, cov = inp.weights, inp.covered
    steps = np.arange(K + 1)
    already = float(w[cov].sum())
    reachable = float(w[~cov & (np.diff(inp.A.indptr) > 0)].sum())
    g = lazy_greedy(sp.csc_array(inp.A), w, cov.astype(np.int64), increments(None), K,
                    checkpoints=checkpoint_steps(K, 40))
    k = g.sites.size
    added = np.zeros(K + 1)
    added[1 : k + 1] = g.gains
    site = np.full(K + 1, -1, dtype=np.int64)
    site[1 : k + 1] = inp.caller_sites(g.sites)
    return pd.DataFrame(
        {
            "new_sites": steps,
            "site": site,
            "added_weight": added,
            "covered_weight": already + np.cumsum(added),
            "_bound": already + np.minimum(greedy_bound(g.checkpoints, steps), reachable),
        }
    )


def _exact_curve(
    inp: Inputs, *, time_limit_s: float, mip_rel_gap: float, threads: int | None
) -> pd.DataFrame:
    """One exact solve per budget (the loop is over budgets), sharing the reductions and
    warm-started from the greedy prefix."""
    import pandas as pd

    K = int(inp.budget or 0)
    w, cov = inp.weights, inp.covered
    already = float(w[cov].sum())
    red = reduce(inp.A, np.where(cov, 0.0, w))
    Bc = sp.csc_array(red.A)
    g = lazy_greedy(Bc, red.weights, np.zeros(red.A.shape[0], dtype=np.int64),
                    increments(None), K)
    covered_weight = np.full(K + 1, already)
    bound = np.full(K + 1, already)
    status = np.full(K + 1, "optimal", dtype=object)
    secs = np.zeros(K + 1)
    prefix = np.concatenate([[0.0], np.cumsum(g.gains)])
    for p in range(1, K + 1):
        tp = time.perf_counter()
        q = min(p, g.sites.size)
        ex = exact_mclp(
            red, Bc, g.sites[:q], float(prefix[q]), p, time_limit_s=time_limit_s,
            mip_rel_gap=mip_rel_gap, threads=threads,
            deadline=Deadline.after(time_limit_s, tp),
        )
        covered_weight[p] = already + coverage_value(Bc, red.weights, ex.sites)
        bound[p] = already + max(ex.bound, covered_weight[p] - already)
        status[p] = ex.status
        secs[p] = time.perf_counter() - tp
    return pd.DataFrame(
        {"new_sites": np.arange(K + 1), "covered_weight": covered_weight,
         "status": status.astype(str), "solve_s": secs, "_bound": bound}
    )
