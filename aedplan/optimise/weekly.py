"""Covering over the hours of a week: an instance every solver takes as it is.

A demand point ``d`` in hour ``h`` counts ``w_d * p_h`` (its weight times the share of
arrests in that hour) when an AED available in ``h`` reaches it. Hours in which the same
existing AEDs are open (and, when new sites keep hours, the same candidates) form one
group, so the instance grows with the number of such groups, never 168-fold; rows that
end up identical merge in the solvers' reductions. The weights still sum to the total
demand weight, so coverage, targets and bounds keep their meaning: the share of demand
weight covered round the clock.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import _validate

__all__ = ["weekly_instance"]

HOURS = 168


def weekly_instance(
    A: Any,
    weights: Any,
    *,
    covered_by_set: Any,
    hour_set: Any,
    profile: Any,
    site_open: Any = None,
) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """The covering instance of a week: ``(A, weights, covered)`` for
    :func:`~aedplan.optimise.solve_mclp`, :func:`~aedplan.optimise.solve_min_sites` or
    :func:`~aedplan.optimise.coverage_curve`, whose sites are the columns of ``A``.

    Parameters
    ----------
    A
        ``n_demand x n_sites`` coverage matrix of the candidate sites.
    weights
        ``(n_demand,)`` demand weights.
    covered_by_set
        ``(n_demand, k)`` booleans: which points the existing AEDs cover under each of the
        ``k`` sets of open AEDs (:attr:`~aedplan.coverage.HourlyCoverage.covered`).
    hour_set
        ``(168,)`` the set open in each hour
        (:attr:`~aedplan.coverage.HourlyCoverage.hour_pattern`).
    profile
        ``(168,)`` when arrests happen, summing to 1.
    site_open
        ``(n_sites, 168)`` booleans when new sites keep hours (their hosts'); by default
        every new site is available round the clock.

    Examples
    --------
    One point of weight 1, open to an existing AED for the first half of the week only,
    and one candidate that reaches it, always open:

    >>> A = np.array([[True]])
    >>> covered = np.array([[True, False]])
    >>> hour_set = np.r_[np.zeros(84, int), np.ones(84, int)]
    >>> B, w, cov = weekly_instance(A, [1.0], covered_by_set=covered, hour_set=hour_set,
    ...                             profile=np.full(168, 1 / 168))
    >>> np.round(w, 9).tolist(), cov.tolist()   # still to cover, and covered already
    ([0.5, 0.5], [False, True])
    """
    problems = _validate.Problems()
    Am = _validate.coverage_matrix(A, problems)
    n = None if Am is None else Am.shape[0]
    w = _validate.per_demand(weights, "weights", n, problems, kind="weight")
    problems.raise_if_any()
    assert Am is not None and w is not None
    covered = np.asarray(covered_by_set, dtype=bool).reshape(Am.shape[0], -1)
    hour_set = np.asarray(hour_set, dtype=np.int64).reshape(HOURS)
    p = np.asarray(profile, dtype=float).reshape(HOURS)
    if site_open is None:
        return _always_open_sites(Am, w, covered, hour_set, p)
    return _sites_with_hours(Am, w, covered, hour_set, p,
                             np.asarray(site_open, dtype=bool).reshape(Am.shape[1], HOURS))


def _always_open_sites(
    A: sp.csr_array, w: np.ndarray, covered: np.ndarray, hour_set: np.ndarray, p: np.ndarray
) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """A new site open round the clock covers every hour a point is still uncovered: one
    row per point weighted by that share, and one row for all that is covered already."""
    share = np.clip(covered @ np.bincount(hour_set, weights=p, minlength=covered.shape[1]),
                    0.0, 1.0)
    B = sp.csr_array(sp.vstack([A, sp.csr_array((1, A.shape[1]), dtype=bool)]))
    weights = np.r_[w * (1.0 - share), float(w @ share)]
    return B, weights, np.r_[np.zeros(A.shape[0], dtype=bool), True]


def _sites_with_hours(
    A: sp.csr_array,
    w: np.ndarray,
    covered: np.ndarray,
    hour_set: np.ndarray,
    p: np.ndarray,
    site_open: np.ndarray,
) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """One block of rows per group of hours with the same existing AEDs and the same
    candidates open; a candidate covers a row of its block only when open then."""
    keys = np.column_stack([hour_set, site_open.T])
    _, first, group = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    share = np.bincount(group, weights=p, minlength=first.shape[0])
    blocks, weights, done = [], [], []
    for g, hour in enumerate(first):  # a block per group of hours, not per hour
        blocks.append(sp.csr_array(A.multiply(site_open[:, hour][None, :])))
        weights.append(w * share[g])
        done.append(covered[:, hour_set[hour]])
    B = sp.csr_array(sp.vstack(blocks), dtype=bool)
    B.eliminate_zeros()
    return B, np.concatenate(weights), np.concatenate(done)
