"""Province benchmark: a province-sized stand-in planned part by part on a local Dask
cluster, against the same tiles planned one by one.

    python scripts/bench_province.py            # 16 copies of Wuhan: 1.25M nodes, 2.9M demand
    python scripts/bench_province.py --copies 4 # a quicker look

No provincial extract is available offline, so the stand-in is built from real streets:
copies of the Wuhan street network in ../shared (78k nodes; © OpenStreetMap
contributors) laid side by side, 10 km apart, in one GeoParquet file. It is planned with
``aedplan.plan_province`` on a LocalCluster of 2 worker processes with a memory limit
each: every part's coverage on the workers, the budget (500 AEDs a copy) shared among
the independent groups exactly. Then one copy is planned alone with its share of the
budget, in this process; since the copies are the same streets, the province's coverage
must be the copies' sum.

Prints the numbers the closing note of the province work asks for: nodes, demand points,
parts, groups, wall time, peak memory per worker, coverage before and after, the gap.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
WUHAN = ROOT.parent / "shared" / "data" / "networks" / "wuhan-fua-drive.parquet"


def tiled_wuhan(copies: int, path: Path) -> Path:
    """``copies`` copies of the Wuhan network on a square layout, 10 km apart, with node
    ids kept apart per copy."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    one = gpd.read_parquet(WUHAN)
    minx, miny, maxx, maxy = one.total_bounds
    side = int(np.ceil(np.sqrt(copies)))
    step_x, step_y = maxx - minx + 10_000, maxy - miny + 10_000
    frames = []
    for k in range(copies):
        row, col = divmod(k, side)
        part = one.copy()
        shift = np.array([col * step_x, row * step_y])
        part["geometry"] = shapely.transform(one.geometry.to_numpy(),
                                             lambda xy, d=shift: xy + d)
        part["u"] = one["u"] + k * 10**12
        part["v"] = one["v"] + k * 10**12
        frames.append(part)
    gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=one.crs).to_parquet(path)
    return path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=16)
    parser.add_argument("--per-copy", type=int, default=500, help="new AEDs per copy")
    parser.add_argument("--tile-km", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-per-worker", default="8GB")
    parser.add_argument("--time-limit", type=float, default=900.0)
    parser.add_argument("--target-coverage", type=float, default=None,
                        help="plan the fewest AEDs for this coverage instead of a budget")
    args = parser.parse_args(argv)
    if not WUHAN.exists():
        print(f"needs the shared data: {WUHAN} not found", file=sys.stderr)
        return 2
    import logging

    from distributed import Client, LocalCluster

    from aedplan.province import plan_province

    budget = args.copies * args.per_copy
    goal = ({"budget": budget} if args.target_coverage is None
            else {"target_coverage": args.target_coverage})
    alone_goal = ({"budget": args.per_copy} if args.target_coverage is None else goal)
    with tempfile.TemporaryDirectory() as tmp:
        path = tiled_wuhan(args.copies, Path(tmp) / f"wuhan-x{args.copies}.parquet")
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          memory_limit=args.memory_per_worker, dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            t = time.perf_counter()
            province = plan_province(path, **goal, tile_m=args.tile_km * 1000,
                                     scheduler=cluster.scheduler_address,
                                     time_limit_s=args.time_limit)
            wall = time.perf_counter() - t
            peaks = client.run(_peak_mb)
        t = time.perf_counter()
        alone = plan_province(WUHAN, **alone_goal, tile_m=args.tile_km * 1000,
                              time_limit_s=args.time_limit)
        alone_s = time.perf_counter() - t
    r, a = province.report, alone.report
    summed = args.copies * a["plan"]["covered_weight"]
    print(json.dumps({
        "copies": args.copies, "nodes": r["network"]["nodes"], "edges": r["network"]["edges"],
        "demand_points": r["demand"]["points"], "parts": r["parts"]["with_demand"],
        "groups": r["parts"]["groups"], **goal, "wall_s": round(wall, 1),
        "timings_s": {k: round(v, 1) for k, v in r["timings_s"].items()},
        "peak_mb_per_worker": {k.split("//")[-1]: round(v) for k, v in peaks.items()},
        "memory_limit_per_worker": args.memory_per_worker,
        "coverage_before": r["before"]["coverage"], "coverage_after": r["plan"]["coverage"],
        "new_sites": r["plan"]["new_sites"],
        "sites_lower_bound": r["plan"].get("sites_lower_bound"),
        "status": r["plan"]["status"], "gap": r["plan"]["gap"],
        "solves": r["plan"]["solves"], "rounds": r["plan"]["rounds"],
        "group_budgets": sorted(set(r["plan"]["group_budgets"])),
        "one_copy": {"wall_s": round(alone_s, 1), "covered_weight": a["plan"]["covered_weight"],
                     "new_sites": a["plan"]["new_sites"],
                     "status": a["plan"]["status"], "gap": a["plan"]["gap"]},
        "copies_summed_sites": args.copies * a["plan"]["new_sites"],
        "copies_summed_covered": summed,
        "province_covered": r["plan"]["covered_weight"],
        "relative_difference": (r["plan"]["covered_weight"] - summed) / summed,
    }, indent=2))
    print("Map data © OpenStreetMap contributors (Wuhan).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
