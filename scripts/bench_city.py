"""City-scale benchmark: whole `aedplan plan` runs on real cities, and how time and peak
memory grow with the size of the street network.

    python scripts/bench_city.py --quick   # Wuhan (greedy), Liechtenstein, grids to 100k nodes
    python scripts/bench_city.py --full    # also Wuhan exact and the 1M-node grid

Rows:

- **Wuhan**: the real Wuhan street network in ../shared (78k nodes), `--aeds none --demand
  network --candidates nodes --budget 500`, greedy, exact (stopping within the default
  0.01%), the same on a local Dask cluster of 2 workers (`--workers 2`: the same plan,
  the cluster's cost in wall time) and exact with `--gap 0` (prove optimal): wall time,
  status and gap, time per step, peak memory.
- **Liechtenstein**: the whole country with its 148 real AEDs, buildings as demand, POIs
  as candidates, `--budget 20`.
- **Growth**: jittered street grids of 10k, 100k and 1M nodes (scripts/grids.py): the
  time of each step (network, demand along the streets, coverage of 1 AED per 100 nodes,
  rescue circles of up to 5,000 of them, spread over the grid, a greedy plan of 50 new
  AEDs) and the peak memory, printed as a table and drawn on log-log axes
  (``bench-out/city-growth.png``).

Each case runs in its own Python process, so its peak memory (its own and that of the
solver process it may start) is its alone. The peers for these tasks are compared in
``scripts/bench.py``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
WUHAN = SHARED / "networks" / "wuhan-fua-drive.parquet"
LIECHTENSTEIN = SHARED / "osm" / "liechtenstein-2024-03-03.osm.pbf"

# A case's code runs in a child interpreter and prints one JSON line: its numbers.
_PLAN_CASE = """
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
from aedplan.cli import main
args = json.loads(sys.argv[1])
t0 = time.perf_counter()
try:
    main(args, standalone_mode=False)
except SystemExit:
    pass
wall = time.perf_counter() - t0
out = args[args.index("--out") + 1]
report = json.load(open(out + "/report.json"))
plan = report.get("plan") or {}
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"wall_s": wall, "peak_mb": peak, "steps": report["timings_s"],
                  "status": plan.get("status"), "gap": plan.get("gap"),
                  "coverage": plan.get("coverage"), "new_sites": plan.get("new_sites"),
                  "nodes": report["network"]["nodes"], "demand": report["demand"]["points"],
                  "candidates": plan.get("candidates")}))
"""

_GROWTH_CASE = """
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[2])
import numpy as np
import aedplan
from grids import jittered_grid
n = int(sys.argv[1])
steps = {}
def timed(name, fn):
    t = time.perf_counter(); value = fn(); steps[name] = time.perf_counter() - t
    return value
net = timed("network", lambda: jittered_grid(n))
demand = timed("demand", lambda: aedplan.demand_from_network(net, spacing_m=50.0))
nodes = net.nodes_gdf()
aeds = nodes.iloc[np.linspace(0, len(nodes) - 1, max(n // 100, 1)).astype(int)]
today = timed("coverage", lambda: aedplan.coverage_today(net, demand, aeds))
some = aeds.iloc[np.linspace(0, len(aeds) - 1, min(len(aeds), 5000)).astype(int)]
timed("circles", lambda: aedplan.rescue_circles(net, some))
sites = aedplan.exclude_existing(aedplan.candidates_from_network(net, spacing_m=200.0), aeds)
timed("plan (greedy, 50)", lambda: aedplan.plan_sites(net, demand, sites, aeds=aeds, budget=50,
                                                       solver="greedy", before=today))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"nodes": net.n_nodes, "edges": net.n_edges, "demand": len(demand),
                  "aeds": len(aeds), "circles": len(some), "steps": steps, "peak_mb": peak}))
"""


def _child(code: str, *args: str, timeout_s: float) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=timeout_s, check=False, cwd=ROOT)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def plan_case(name: str, args: list[str], work: Path, timeout_s: float) -> dict:
    out = work / name.replace(" ", "-")
    result = _child(_PLAN_CASE, json.dumps(["plan", *args, "--quiet", "--out", str(out)]),
                    timeout_s=timeout_s)
    return {"case": name, **result}


def growth_case(n: int, timeout_s: float) -> dict:
    return _child(_GROWTH_CASE, str(n), str(ROOT / "scripts"), timeout_s=timeout_s)


def print_plans(rows: list[dict]) -> None:
    print("\n## Whole runs (`aedplan plan`)\n")
    print("| case | wall s | status, gap | coverage | peak MB | steps (s) |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['case']} | failed: {r['error']} | | | | |")
            continue
        steps = ", ".join(f"{k} {v:.1f}" for k, v in r["steps"].items())
        gap = "" if r["gap"] is None else f", gap {100 * r['gap']:.2f}%"
        print(f"| {r['case']} | {r['wall_s']:.1f} | {r['status']}{gap} | "
              f"{100 * r['coverage']:.2f}% | {r['peak_mb']:,.0f} | {steps} |")


def print_growth(rows: list[dict]) -> None:
    print("\n## Growth with network size (jittered grids)\n")
    names = list(rows[0]["steps"]) if rows and "steps" in rows[0] else []
    print("| nodes | demand points | AEDs | circles | " + " | ".join(f"{s} s" for s in names)
          + " | peak MB |")
    print("|---" * (len(names) + 5) + "|")
    for r in rows:
        if "error" in r:
            print(f"| failed: {r['error']} |")
            continue
        cells = " | ".join(f"{r['steps'][s]:.2f}" for s in names)
        print(f"| {r['nodes']:,} | {r['demand']:,} | {r['aeds']:,} | {r['circles']:,} | "
              f"{cells} | {r['peak_mb']:,.0f} |")


def plot_growth(rows: list[dict], path: Path) -> Path | None:
    rows = [r for r in rows if "steps" in r]
    if len(rows) < 2:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, mem) = plt.subplots(1, 2, figsize=(10, 4))
    nodes = [r["nodes"] for r in rows]
    for step in rows[0]["steps"]:
        ax.loglog(nodes, [r["steps"][step] for r in rows], marker="o", label=step)
    ax.loglog(nodes, [nodes[0] ** -1 * n * rows[0]["steps"]["demand"] for n in nodes],
              color="#bbb", ls="--", label="linear")
    ax.set_xlabel("street nodes")
    ax.set_ylabel("seconds")
    ax.set_title("Time per step")
    ax.legend(fontsize=8)
    mem.loglog(nodes, [r["peak_mb"] for r in rows], marker="o", color="black")
    mem.set_xlabel("street nodes")
    mem.set_ylabel("peak MB")
    mem.set_title("Peak memory")
    for a in (ax, mem):
        a.grid(True, which="both", color="#eee")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="grids to 100k, Wuhan greedy only")
    size.add_argument("--full", action="store_true", help="also Wuhan exact and the 1M grid")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out",
                        help="where the growth plot goes (default bench-out/)")
    args = parser.parse_args(argv)
    full = args.full
    if not WUHAN.exists():
        print(f"needs the shared data: {WUHAN} not found", file=sys.stderr)
        return 2
    wuhan = ["--osm", str(WUHAN), "--aeds", "none", "--demand", "network", "--candidates",
             "nodes", "--budget", "500"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plans = [plan_case("Wuhan, greedy", [*wuhan, "--solver", "greedy"], work, 900)]
        if full:
            plans.append(plan_case("Wuhan, exact (gap 0.01%)", wuhan, work, 1800))
            plans.append(plan_case("Wuhan, exact, --workers 2", [*wuhan, "--workers", "2"],
                                   work, 1800))
            plans.append(plan_case("Wuhan, exact, --gap 0", [*wuhan, "--gap", "0"], work, 1800))
        plans.append(plan_case("Liechtenstein, exact, budget 20",
                               ["--osm", str(LIECHTENSTEIN), "--budget", "20"], work, 900))
    print_plans(plans)
    sizes = [10_000, 100_000, 1_000_000] if full else [10_000, 100_000]
    growth = [growth_case(n, 3600) for n in sizes]
    print_growth(growth)
    plot = plot_growth(growth, args.out / "city-growth.png")
    if plot is not None:
        print(f"\nwrote {plot}")
    print(textwrap.dedent("""
        Map data © OpenStreetMap contributors (Wuhan, Liechtenstein)."""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
