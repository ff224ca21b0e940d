"""Exact reductions of covering instances: the optimum never changes.

Identical demand rows are merged (their weights summed), and sites whose demand is a
subset of another site's are dropped (with a budget, or a count to minimise, the other
site is always at least as good). For set covering, rows implied by others and columns
dominated by others go too.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

# Above this many (site, site) co-coverage products, the full subset test for dominated sites
# (A.T @ A) is skipped and only identical / single-demand sites are removed.
DOMINANCE_MAX_WORK = 3e7


def group_rows(M: sp.csr_array, extra: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
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
    blocks = _row_blocks(M.indptr)
    cols = [nnz.astype(np.uint64), *_row_sums(M, keys, blocks)]
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
    bad = _unlike_first(M, first[group], blocks)  # the exact check
    if bad.any():
        group = group.copy()
        group[bad] = group.max() + 1 + np.arange(int(bad.sum()))
        _, first, group = np.unique(group, return_index=True, return_inverse=True)
    return group.reshape(-1), first


#: Matrix entries a step of :func:`group_rows` handles at a time, so that its memory stays
#: bounded whatever the matrix (a few bytes a row besides).
BLOCK_NNZ = 1 << 21


def _row_blocks(indptr: np.ndarray) -> list[tuple[int, int]]:
    """Runs of rows ``(lo, hi)`` holding about :data:`BLOCK_NNZ` entries each (a longer
    row alone)."""
    n = indptr.shape[0] - 1
    cuts = np.searchsorted(indptr, np.arange(0, int(indptr[-1]), BLOCK_NNZ), side="right") - 1
    cuts = np.unique(np.concatenate([cuts[cuts > 0], [0, n]]))
    return [(int(lo), int(hi)) for lo, hi in itertools.pairwise(cuts)]


def _row_sums(M: sp.csr_array, keys: np.ndarray, blocks: list[tuple[int, int]]
              ) -> np.ndarray:
    """Per row, the sums of ``keys[k]`` over its columns (uint64, wrapping)."""
    out = np.zeros((keys.shape[0], M.shape[0]), dtype=np.uint64)
    zero = np.zeros(1, dtype=np.uint64)
    for lo, hi in blocks:
        a = M.indptr[lo]
        idx, local = M.indices[a:M.indptr[hi]], M.indptr[lo:hi + 1] - a
        for k in range(keys.shape[0]):
            cs = np.concatenate([zero, np.cumsum(keys[k][idx], dtype=np.uint64)])
            out[k, lo:hi] = cs[local[1:]] - cs[local[:-1]]  # uint64 arithmetic wraps: fine
    return out


def _unlike_first(M: sp.csr_array, rep: np.ndarray, blocks: list[tuple[int, int]]
                  ) -> np.ndarray:
    """Rows whose columns differ from those of row ``rep`` (of the same length)."""
    bad = np.zeros(M.shape[0], dtype=bool)
    for lo, hi in blocks:
        a, b = M.indptr[lo], M.indptr[hi]
        row_of = np.repeat(np.arange(lo, hi), np.diff(M.indptr[lo:hi + 1]))
        at = M.indptr[rep[row_of]] + (np.arange(a, b) - M.indptr[row_of])
        bad[row_of[M.indices[a:b] != M.indices[at]]] = True
    return bad


@dataclass(frozen=True)
class Reduced:
    A: sp.csr_array  # bool, rows = merged demand, cols = kept sites
    weights: np.ndarray  # merged weights (> 0)
    sites: np.ndarray  # original column index of every kept site
    level: np.ndarray  # existing AEDs in reach of every merged row (backup only; else zeros)


def merge_rows(
    A: sp.csr_array, w: np.ndarray, level: np.ndarray
) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """Identical rows (same sites, same ``level``) as one, their weights summed."""
    group, first = group_rows(A, level)
    if first.size == A.shape[0]:
        return A, w, level
    return (
        A[first],
        np.bincount(group, weights=w, minlength=first.size),
        level[first],
    )


def dominated_sites(A: sp.csr_array) -> np.ndarray:
    """Mask of sites whose demand set is contained in another kept site's (MCLP-safe).

    With a budget (or a count to minimise), a site ``j`` whose rows are a subset of site ``k``'s
    can always be swapped for ``k``, so some optimal solution avoids ``j``. Among identical sites
    the lowest index is kept. The full subset test uses ``A.T @ A``; when that product would be
    too large, only identical sites and single-demand sites are removed.
    """
    m = A.shape[1]
    colnnz = np.bincount(A.indices, minlength=m)
    rownnz = np.diff(A.indptr).astype(np.float64)
    if float(rownnz @ rownnz) <= DOMINANCE_MAX_WORK:
        Ai = A.astype(np.int32)
        C = (Ai.T @ Ai).tocoo()
        j, k, v = C.row, C.col, C.data
        beaten = (j != k) & (v == colnnz[j]) & ((colnnz[k] > colnnz[j]) | (k < j))
        drop = np.zeros(m, dtype=bool)
        drop[j[beaten]] = True
        return drop
    _, first = group_rows(sp.csr_array(A.T))
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


def reduce(
    A: sp.csr_array,
    weights: np.ndarray,
    *,
    dominance: bool = True,
    level: np.ndarray | None = None,
) -> Reduced:
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
    R, w, lev = merge_rows(R, w, lev)
    drop = np.bincount(R.indices, minlength=m) == 0
    if dominance and R.nnz:
        drop |= dominated_sites(R)
    sites = np.arange(m)
    if drop.any():
        sites = np.flatnonzero(~drop)
        R = sp.csr_array(R[:, sites])
        R, w, lev = merge_rows(R, w, lev)
    R.sort_indices()
    return Reduced(A=R, weights=w, sites=sites, level=lev)


def cover_dominance(A: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of a set-covering matrix that can be dropped without changing
    the optimum: a row whose sites include all of another row's (covering the other
    covers it), then a column whose rows are all covered by another column too.
    Returns the (row, column) indices to keep. Skipped when the products are large."""
    n, m = A.shape
    B = sp.csr_array(A, dtype=np.float64)
    keep_rows = np.arange(n)
    deg = np.diff(B.indptr)
    work = float(np.asarray(B.sum(axis=0)).ravel() @ np.asarray(B.sum(axis=0)).ravel())
    if n and work <= DOMINANCE_MAX_WORK:
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
    if m and work <= DOMINANCE_MAX_WORK:
        C = (B.T @ B).tocoo()
        j, l_ = C.row, C.col
        inside = (C.data == size[j]) & (j != l_) & ((size[j] < size[l_]) | (j < l_))
        gone = np.zeros(m, dtype=bool)
        gone[j[inside]] = True
        gone |= size == 0
        keep_cols = np.flatnonzero(~gone)
    return keep_rows, keep_cols
