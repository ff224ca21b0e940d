"""One process against parts: all of Liechtenstein (148 real AEDs with their hours,
buildings as demand, OSM places as candidates, the hours objective, proven optimal)
planned whole and with its network searches cut into parts of several sizes, and once
on a local Dask cluster of 2 workers. Prints the table: parts, wall time, coverage
today and with the plan, round the clock before and after, the objective, the sites.

    python scripts/parts_equality.py            # budget 10
    python scripts/parts_equality.py --budget 20

Every search is cut however small it is (``min_work=0``), so that the parts really run;
a plan run with ``--workers`` leaves small searches whole.
Map data © OpenStreetMap contributors (Liechtenstein).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIECHTENSTEIN = ROOT.parent / "shared" / "data" / "osm" / "liechtenstein-2024-03-03.osm.pbf"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=10)
    args = parser.parse_args(argv)
    if not LIECHTENSTEIN.exists():
        print(f"needs the shared data: {LIECHTENSTEIN} not found", file=sys.stderr)
        return 2
    import aedplan
    from aedplan import tasks

    scenario = aedplan.Scenario().replace({
        "area.osm": str(LIECHTENSTEIN), "demand.source": "buildings",
        "candidates.source": "pois", "goal.budget": args.budget, "solver.gap": 0})
    rows = []
    warnings.simplefilter("ignore", aedplan.AedplanWarning)
    for label, runner in (("one process", None), ("parts of 20 km", 20_000.0),
                          ("parts of 5 km", 5_000.0), ("parts of 2 km", 2_000.0),
                          ("2 workers, parts of 2 km", "cluster")):
        t = time.perf_counter()
        if runner is None:
            run, parts = aedplan.run(scenario), 1
        elif runner == "cluster":
            with tasks.cluster(workers=2, tile_m=2_000.0, min_work=0) as r, tasks.use(r):
                run, parts = aedplan.run(scenario), None
                parts = r.parts
        else:
            r = tasks.Runner(tile_m=runner, min_work=0)
            with tasks.use(r):
                run = aedplan.run(scenario)
            parts = r.parts
        rows.append((label, parts, time.perf_counter() - t, run))
    print("| run | parts | wall s | coverage today | with the plan | round the clock today "
          "| with the plan | objective | status | new sites (ids) |")
    print("|---" * 10 + "|")
    for label, parts, wall, run in rows:
        r = run.report
        plan, hours = r["plan"], r["hours"]
        ids = ", ".join(map(str, run.frames["proposed"]["id"].tolist()))
        print(f"| {label} | {parts} | {wall:.1f} | {r['existing']['coverage']:.6%} | "
              f"{plan['coverage']:.6%} | {hours['before']['round_the_clock']:.6%} | "
              f"{hours['after']['round_the_clock']:.6%} | {plan['objective']:.6f} | "
              f"{plan['status']} | {ids} |")
    print("\nMap data © OpenStreetMap contributors (Liechtenstein).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
