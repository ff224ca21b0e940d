"""Province benchmark: a province-sized stand-in planned with the full scenario, part by
part on a local Dask cluster, against one copy planned alone.

    python scripts/bench_province.py            # 16 copies of Wuhan: 1.25M nodes, 2.9M demand
    python scripts/bench_province.py --copies 4 # a quicker look
    python scripts/bench_province.py --target-coverage 0.3

No provincial extract is available offline, so the stand-in is built from real streets:
copies of the Wuhan street network in ../shared (78k nodes; © OpenStreetMap
contributors) laid side by side, 10 km apart, in one GeoParquet file. Today's AEDs are
MADE UP: 200 points a copy near street nodes drawn with a fixed seed (the same in every
copy), a third open round the clock, a third on office hours, a third Mo-Sa 09:00-21:00,
every fifth not for public use. The scenario is the whole one of ``aedplan plan``:
demand along the streets, every street node a candidate, the hours objective (coverage
round the clock) with new sites open 24/7, the exact solver with its time limit bounding
the whole run, and every file written (the map an overview at this size). It runs with
``aedplan.run(scenario, client=...)`` on a LocalCluster of 2 worker processes with a
memory limit each. Then one copy is planned alone in this process with its share of the
budget; since the copies are the same streets and AEDs, the province's objective must be
the copies' sum, within the two proven gaps.

Prints the numbers the closing note of the province work asks for: nodes, demand points,
parts, wall time and its steps, rounds, the gap, peak memory per worker and in this
process, coverage before and after, the files and the map's size.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
WUHAN = ROOT.parent / "shared" / "data" / "networks" / "wuhan-fua-drive.parquet"
HOURS = ("24/7", "Mo-Fr 08:00-18:00; PH off", "Mo-Sa 09:00-21:00")


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


def made_up_aeds(copies: int, per_copy: int, path: Path) -> Path:
    """MADE UP: ``per_copy`` AEDs a copy, 15 m east of street nodes drawn with a fixed
    seed, the same in every copy, with the hours and access of :data:`HOURS`."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    one = gpd.read_parquet(WUHAN)
    ends = shapely.get_coordinates(shapely.get_point(one.geometry.to_numpy(), 0))
    rng = np.random.default_rng(25)
    xy = ends[rng.choice(len(ends), per_copy, replace=False)] + [15.0, 0.0]
    minx, miny, maxx, maxy = one.total_bounds
    side = int(np.ceil(np.sqrt(copies)))
    step = np.array([maxx - minx + 10_000, maxy - miny + 10_000])
    frames = []
    for k in range(copies):
        row, col = divmod(k, side)
        at = xy + step * [col, row]
        frames.append(pd.DataFrame({
            "id": [f"{k}-{i}" for i in range(per_copy)],
            "opening_hours": [HOURS[i % 3] for i in range(per_copy)],
            "access": ["private" if i % 5 == 4 else "yes" for i in range(per_copy)],
            "x": at[:, 0], "y": at[:, 1]}))
    table = pd.concat(frames, ignore_index=True)
    gpd.GeoDataFrame(table.drop(columns=["x", "y"]),
                     geometry=gpd.points_from_xy(table["x"], table["y"]),
                     crs=one.crs).to_file(path)
    return path


def scenario(streets: Path, aeds: Path, goal: dict, time_limit: float, tile_km: float,
             out: Path | None) -> Any:
    import aedplan

    return aedplan.Scenario.from_dict({
        "area": {"osm": str(streets), "keep_disconnected": True},
        "aeds": {"source": str(aeds)},
        "demand": {"source": "network"},
        "candidates": {"source": "nodes", "node_spacing": 0},
        "hours": {"objective": "hours", "new_site_hours": "24/7"},
        "goal": goal,
        "solver": {"time_limit": time_limit},
        "cluster": {"tile_km": tile_km},
        "output": {"out": None if out is None else str(out), "tiles": "none"},
    })


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _StageMemory:
    """A progress step that records this process's peak memory (MB) during each stage,
    sampled every 50 ms: where the planning process's peak comes from."""

    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}
        self._now = 0.0
        self._running = True
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while self._running:
            self._now = max(self._now, me.memory_info().rss / 1e6)
            time.sleep(0.05)

    @contextlib.contextmanager
    def __call__(self, label: str, key: str | None = None) -> Any:
        import psutil

        self._now = psutil.Process().memory_info().rss / 1e6
        yield
        self.peaks[label] = max(self.peaks.get(label, 0.0), round(self._now))

    def stop(self) -> None:
        self._running = False


def _numbers(run: Any) -> dict[str, Any]:
    r = run.report
    plan, hours = r["plan"], r["hours"]
    return {
        "aeds": r["existing"]["aeds"], "new_sites": plan["new_sites"],
        "coverage": [r["existing"]["coverage"], plan["coverage"]],
        "round_the_clock": [hours["before"]["round_the_clock"],
                            hours["after"]["round_the_clock"]],
        "objective": plan.get("objective"), "bound": plan.get("bound"),
        "status": plan["status"], "gap": plan["gap"],
        "sites_lower_bound": plan.get("sites_lower_bound"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=16)
    parser.add_argument("--per-copy", type=int, default=300, help="new AEDs per copy")
    parser.add_argument("--aeds-per-copy", type=int, default=200,
                        help="made-up AEDs of today per copy")
    parser.add_argument("--tile-km", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-per-worker", default="6GB")
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--target-coverage", type=float, default=None,
                        help="plan the fewest AEDs for this coverage instead of a budget")
    args = parser.parse_args(argv)
    if not WUHAN.exists():
        print(f"needs the shared data: {WUHAN} not found", file=sys.stderr)
        return 2
    import logging
    import warnings

    from distributed import Client, LocalCluster

    import aedplan

    goal = ({"budget": args.copies * args.per_copy} if args.target_coverage is None
            else {"target_coverage": args.target_coverage})
    alone_goal = ({"budget": args.per_copy} if args.target_coverage is None else goal)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        streets = tiled_wuhan(args.copies, tmp / f"wuhan-x{args.copies}.parquet")
        aeds = made_up_aeds(args.copies, args.aeds_per_copy, tmp / "aeds-made-up.gpkg")
        one_aeds = made_up_aeds(1, args.aeds_per_copy, tmp / "aeds-made-up-1.gpkg")
        whole = scenario(streets, aeds, goal, args.time_limit, args.tile_km, tmp / "out")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                              memory_limit=args.memory_per_worker, dashboard_address=None,
                              silence_logs=logging.ERROR) as cluster, \
                    Client(cluster) as client:
                t = time.perf_counter()
                memory = _StageMemory()
                run = aedplan.run(whole, client=client, step=memory)
                memory.stop()
                wall = time.perf_counter() - t
                peaks = client.run(_peak_mb)
            driver = _peak_mb()
            t = time.perf_counter()
            alone = aedplan.run(scenario(WUHAN, one_aeds, alone_goal, args.time_limit,
                                         args.tile_km, None))
            alone_s = time.perf_counter() - t
        r = run.report
        files = {name: round(path.stat().st_size / 1e6, 1) for name, path in run.files.items()
                 if path.is_file()}
    one = _numbers(alone)
    summed = None if one["objective"] is None else args.copies * one["objective"]
    got = _numbers(run)
    print(json.dumps({
        "copies": args.copies, "nodes": r["network"]["nodes"], "edges": r["network"]["edges"],
        "demand_points": r["demand"]["points"], "aeds_made_up": r["existing"]["aeds"],
        **goal, "time_limit_s": args.time_limit, "wall_s": round(wall, 1),
        "timings_s": {k: round(v, 1) for k, v in r["timings_s"].items()},
        "cluster": {k: v for k, v in (r.get("cluster") or {}).items() if k != "by_part"},
        "parts_with_demand": len((r.get("cluster") or {}).get("by_part") or []),
        "peak_mb_per_worker": {k.split("//")[-1]: round(v) for k, v in peaks.items()},
        "peak_mb_this_process": round(driver),
        "peak_mb_this_process_by_stage": memory.peaks,
        "memory_limit_per_worker": args.memory_per_worker,
        **got, "rounds": r["plan"].get("rounds"), "solves": r["plan"].get("solves"),
        "files_mb": files,
        "one_copy": {"wall_s": round(alone_s, 1), **one},
        "copies_summed_objective": summed,
        "relative_difference": (None if summed is None or got["objective"] is None
                                else (got["objective"] - summed) / summed),
    }, indent=2, default=str))
    print("Street data © OpenStreetMap contributors (Wuhan); today's AEDs made up.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
