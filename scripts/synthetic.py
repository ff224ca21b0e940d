"""Synthetic maximal-covering instances and a timing benchmark for ``aedplan.optimise``.

Demand points and candidate sites are uniform random points in the unit square; a site covers
every demand point within a common radius, chosen so that the matrix has exactly
``pairs_target`` covering pairs. Demand weights are log-normal (a few heavy buildings, many
light ones), like building floor areas.

Run ``python scripts/synthetic.py`` for the benchmark table (times are printed, never
asserted), or ``python scripts/synthetic.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree


def make_instance(
    n_demand: int, n_sites: int, pairs_target: int, seed: int = 0
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Build a geometric covering instance.

    Parameters
    ----------
    n_demand
        Number of demand points (matrix rows).
    n_sites
        Number of candidate sites (matrix columns).
    pairs_target
        Number of covering pairs (non-zeros) wanted; the radius is set so that exactly this
        many (site, demand) pairs are within it (ties at the radius aside).
    seed
        Seed of the random generator.

    Returns
    -------
    A
        ``n_demand x n_sites`` boolean CSR matrix; ``A[i, j]`` is True when site ``j`` covers
        demand ``i``.
    weights
        ``(n_demand,)`` float weights, log-normal with median 1.
    """
    if pairs_target < 1 or pairs_target > n_demand * n_sites:
        raise ValueError(f"pairs_target must be in [1, {n_demand * n_sites}], got {pairs_target}")
    rng = np.random.default_rng(seed)
    demand_xy = rng.random((n_demand, 2))
    site_xy = rng.random((n_sites, 2))
    weights = rng.lognormal(mean=0.0, sigma=1.0, size=n_demand)

    # Expected pairs for radius r in the unit square: n_d * n_s * (pi r^2 - 8 r^3 / 3 + r^4 / 2).
    density = pairs_target / (n_demand * n_sites)
    r = float(np.sqrt(density / np.pi))
    for _ in range(50):  # Newton steps on the edge-corrected area
        f = np.pi * r**2 - 8 * r**3 / 3 + r**4 / 2 - density
        df = 2 * np.pi * r - 8 * r**2 + 2 * r**3
        r = min(max(r - f / df, 1e-9), np.sqrt(2.0))
    demand_tree = cKDTree(demand_xy)
    site_tree = cKDTree(site_xy)
    # Search a little wider than needed, then keep the pairs_target closest pairs.
    while True:
        dist = demand_tree.sparse_distance_matrix(site_tree, r * 1.15, output_type="coo_matrix")
        if dist.nnz >= pairs_target or r >= np.sqrt(2.0):
            break
        r *= 1.3
    # sparse_distance_matrix drops exact zero distances; they are measure-zero here.
    keep = np.argpartition(dist.data, pairs_target - 1)[:pairs_target]
    A = sp.csr_matrix(
        (np.ones(pairs_target, dtype=bool), (dist.row[keep], dist.col[keep])),
        shape=(n_demand, n_sites),
    )
    A.sort_indices()
    return A, weights


def _bench(n_demand: int, n_sites: int, pairs: int, budgets: list[int], seed: int) -> list[dict]:
    from aedplan.optimise import solve_mclp

    t0 = time.perf_counter()
    A, w = make_instance(n_demand, n_sites, pairs, seed)
    build_s = time.perf_counter() - t0
    rows = []
    for p in budgets:
        t0 = time.perf_counter()
        exact = solve_mclp(A, w, p, solver="exact", time_limit_s=60.0)
        exact_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        greedy = solve_mclp(A, w, p, solver="greedy")
        greedy_s = time.perf_counter() - t0
        rows.append(
            {
                "instance": f"{n_demand}x{n_sites} ({A.nnz} pairs, built in {build_s:.1f} s)",
                "budget": p,
                "exact_s": round(exact_s, 2),
                "exact_status": exact.status,
                "exact_gap": exact.gap,
                "exact_timings": {k: round(v, 3) for k, v in exact.solve_s.items()},
                "reduced": [exact.n_reduced_demand, exact.n_reduced_sites],
                "coverage": round(exact.coverage, 5),
                "greedy_s": round(greedy_s, 2),
                "greedy_over_exact": greedy.objective / exact.objective,
                "greedy_gap_vs_own_bound": greedy.gap,
                "greedy_gap_vs_exact": (exact.objective - greedy.objective) / exact.objective,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--small-only", action="store_true", help="skip the 100k x 20k instance")
    args = parser.parse_args()
    sizes = [(10_000, 1_000, 52_000)]
    if not args.small_only:
        sizes.append((100_000, 20_000, 520_000))
    for n_d, n_s, pairs in sizes:
        for row in _bench(n_d, n_s, pairs, [50, 200], args.seed):
            print(json.dumps(row))


if __name__ == "__main__":
    main()
