"""What a choice of sites is worth, and when two values count as equal.

"Proven optimal" means the proven bound is within ``REL_TOL`` (relative) of the
objective, or within ``1e-6`` of a mean demand weight as HiGHS judges it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

# Relative tolerance used to call a bound "met" (float sums of ~1e5 weights are exact to ~1e-13).
REL_TOL = 1e-9


def gather(indptr: np.ndarray, indices: np.ndarray, which: np.ndarray) -> np.ndarray:
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


def as_float(A: sp.csr_array | sp.csc_array) -> sp.csr_array | sp.csc_array:
    """``A`` (CSR or CSC) with float64 entries, for products with weights: only the
    entries are new, the index arrays are ``A``'s own (read, never written)."""
    shape = (A.shape[0], A.shape[1])
    args = (A.data.astype(np.float64), A.indices, A.indptr)
    return sp.csr_array(args, shape=shape) if A.format == "csr" else sp.csc_array(
        args, shape=shape)


def coverage_value(Ac: sp.csc_array, w: np.ndarray, sites: np.ndarray) -> float:
    hit = np.zeros(w.size, dtype=bool)
    hit[gather(Ac.indptr, Ac.indices, sites)] = True
    return float(w[hit].sum())


def increments(backup_weight: float | None) -> np.ndarray:
    """Value of the k-th AED in reach of a demand point, per unit weight (then zeros)."""
    return np.array([1.0, 0.0] if backup_weight is None else [1.0, backup_weight, 0.0])


def backup_value(
    Ac: sp.csc_array, w: np.ndarray, level: np.ndarray, incr: np.ndarray, sites: np.ndarray
) -> float:
    k = level + np.bincount(gather(Ac.indptr, Ac.indices, sites), minlength=w.size)
    cum = np.concatenate([[0.0], np.cumsum(incr[:-1])])
    return float(w @ (cum[np.minimum(k, incr.size - 1)] - cum[np.minimum(level, incr.size - 1)]))
