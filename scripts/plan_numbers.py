"""Coverage and a plan on a real extract, step by step, with timings.

    python scripts/plan_numbers.py ../shared/data/osm/vaduz-schaan-2024-03-03.osm.pbf \
        --budget 10 --curve 50
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

import aedplan
from aedplan.candidates import candidates_from_pois, exclude_existing
from aedplan.coverage import coverage_matrix
from aedplan.demand import demand_from_buildings
from aedplan.optimise import coverage_curve, solve_mclp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("osm")
    parser.add_argument("--budget", type=int, default=10)
    parser.add_argument("--curve", type=int, default=50)
    args = parser.parse_args()
    warnings.simplefilter("ignore", aedplan.AedplanWarning)
    clock: dict[str, float] = {}

    def tick(name: str, start: float) -> None:
        clock[name] = time.perf_counter() - start

    t = time.perf_counter()
    net = aedplan.load_network(args.osm)
    tick("network", t)
    t = time.perf_counter()
    aeds = aedplan.read_points(args.osm)
    demand = demand_from_buildings(args.osm)
    cands = exclude_existing(candidates_from_pois(args.osm), aeds)
    tick("read AEDs, buildings, POIs", t)
    t = time.perf_counter()
    d = aedplan.snap(net, demand, strict=False)
    c = aedplan.snap(net, cands)
    a = aedplan.snap(net, aeds)
    tick("snap", t)
    w = demand["weight"].to_numpy()
    t = time.perf_counter()
    before = aedplan.coverage_stats(net, d, a, weights=w)
    tick("existing coverage", t)
    t = time.perf_counter()
    A = coverage_matrix(net, d, c)
    tick("coverage matrix", t)
    covered = before.time_s <= 240.0
    t = time.perf_counter()
    plan = solve_mclp(A, w, args.budget, covered=covered)
    tick(f"exact plan, budget {args.budget}", t)
    t = time.perf_counter()
    greedy = solve_mclp(A, w, args.budget, covered=covered, solver="greedy")
    tick(f"greedy plan, budget {args.budget}", t)
    t = time.perf_counter()
    curve = coverage_curve(A, w, args.curve, covered=covered, solver="exact")
    tick(f"exact curve 0..{args.curve}", t)

    print(f"network {net.n_nodes:,} nodes / {net.n_edges:,} edges; {len(aeds)} AEDs; "
          f"{len(demand):,} buildings (weight = floor area, m²); {len(cands)} POI candidates; "
          f"coverage matrix {A.shape[0]:,} x {A.shape[1]:,}, {A.nnz:,} pairs")
    print(f"existing coverage: {before.coverage:.2%} of floor area "
          f"({before.n_covered:,} of {before.n_points:,} buildings)")
    print(f"exact, {args.budget} new AEDs: coverage {plan.coverage:.2%}, status {plan.status}, "
          f"gap {plan.gap:.2e}, bound {plan.bound:,.0f}, objective {plan.objective:,.0f}")
    print(f"greedy, {args.budget} new AEDs: coverage {greedy.coverage:.2%} "
          f"(exact - greedy = {plan.objective - greedy.objective:,.0f}), "
          f"gap to its bound {greedy.gap:.2%}")
    ranked = cands.iloc[np.asarray(plan.sites)]
    for r, (name, kind, gain) in enumerate(
        zip(ranked["name"], ranked["kind"], plan.added_weight, strict=True), 1
    ):
        print(f"  {r:2d}. {kind:16s} {name or '(no name)'}: +{gain:,.0f} m²")
    print("coverage curve (new AEDs: coverage, gap):")
    last = [len(curve) - 1] if len(curve) % 5 != 1 else []
    rows = curve.iloc[list(range(0, len(curve), 5)) + last]
    print("  " + "; ".join(
        f"{int(n)}: {cov:.1%}" + (f" ({g:.1e})" if g > 0 else "")
        for n, cov, g in zip(rows["new_sites"], rows["coverage"], rows["gap"], strict=True)
    ))
    print("time of each step:")
    for name, secs in clock.items():
        print(f"  {name:28s} {secs:7.3f} s")


if __name__ == "__main__":
    main()
