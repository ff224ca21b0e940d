"""Covering over the hours of a week: an instance every solver takes as it is.

The week is cut into slots in which the same AEDs are available (to the minute; see
:class:`~aedplan.hours.Availability`). A demand point ``d`` in slot ``t`` counts
``w_d * p_t`` (its weight times the share of arrests in that slot) when an AED available
in ``t`` reaches it. Slots in which the same existing AEDs are open (and, when new sites
keep hours, the same candidates) form one group, so the instance grows with the number of
such groups, never with the number of slots; rows that end up identical merge in the
solvers' reductions. The weights still sum to the total
demand weight, so coverage, targets and bounds keep their meaning: the share of demand
weight covered round the clock.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import _validate
from ..errors import InputError

__all__ = ["weekly_instance"]

def weekly_instance(
    A: Any,
    weights: Any,
    *,
    covered_by_set: Any,
    slot_set: Any,
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
    slot_set
        ``(n_slots,)`` the set open in each slot of the week
        (:attr:`~aedplan.coverage.HourlyCoverage.slot_pattern`).
    profile
        ``(n_slots,)`` the share of arrests in each slot, summing to 1
        (:attr:`~aedplan.coverage.HourlyCoverage.slot_profile`).
    site_open
        ``(n_sites, n_slots)`` booleans when new sites keep hours (their hosts', over the
        same slots); by default every new site is available round the clock.

    Examples
    --------
    One point of weight 1, open to an existing AED for the first half of the week only,
    and one candidate that reaches it, always open:

    >>> A = np.array([[True]])
    >>> covered = np.array([[True, False]])
    >>> slot_set = np.r_[np.zeros(84, int), np.ones(84, int)]
    >>> B, w, cov = weekly_instance(A, [1.0], covered_by_set=covered, slot_set=slot_set,
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
    slot_set = np.asarray(slot_set, dtype=np.int64).reshape(-1)
    p = np.asarray(profile, dtype=float).reshape(-1)
    if p.shape != slot_set.shape:
        raise InputError("`profile` must have one weight per slot ({n}), got {got}.",
                         n=slot_set.size, got=p.size)
    if site_open is None:
        return _always_open_sites(Am, w, covered, slot_set, p)
    opened = np.asarray(site_open, dtype=bool)
    if opened.shape != (Am.shape[1], slot_set.size):
        raise InputError("`site_open` must be one row per site ({sites}) by one column per "
                         "slot ({slots}), got {shape}.", sites=Am.shape[1], slots=slot_set.size,
                         shape=opened.shape)
    return _sites_with_hours(Am, w, covered, slot_set, p, opened)


def _always_open_sites(
    A: sp.csr_array, w: np.ndarray, covered: np.ndarray, slot_set: np.ndarray, p: np.ndarray
) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """A new site open round the clock covers every slot a point is still uncovered: one
    row per point weighted by that share, and one row for all that is covered already."""
    share = np.clip(covered @ np.bincount(slot_set, weights=p, minlength=covered.shape[1]),
                    0.0, 1.0)
    # A and an empty last row: A's own entries, not a copy (a province's matrix is large)
    B = sp.csr_array((A.data, A.indices, np.r_[A.indptr, A.indptr[-1:]]),
                     shape=(A.shape[0] + 1, A.shape[1]))
    weights = np.r_[w * (1.0 - share), float(w @ share)]
    return B, weights, np.r_[np.zeros(A.shape[0], dtype=bool), True]


def _sites_with_hours(
    A: sp.csr_array,
    w: np.ndarray,
    covered: np.ndarray,
    slot_set: np.ndarray,
    p: np.ndarray,
    site_open: np.ndarray,
) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """One block of rows per group of slots with the same existing AEDs and the same
    candidates open; a candidate covers a row of its block only when open then."""
    keys = np.column_stack([slot_set, site_open.T])
    _, first, group = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    share = np.bincount(group, weights=p, minlength=first.shape[0])
    blocks, weights, done = [], [], []
    for g, slot in enumerate(first):  # a block per group of slots, not per slot
        blocks.append(sp.csr_array(A.multiply(site_open[:, slot][None, :])))
        weights.append(w * share[g])
        done.append(covered[:, slot_set[slot]])
    B = sp.csr_array(sp.vstack(blocks), dtype=bool)
    B.eliminate_zeros()
    return B, np.concatenate(weights), np.concatenate(done)
