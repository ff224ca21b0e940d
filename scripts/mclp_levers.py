"""Each lever of the exact maximal covering solve alone: time, status and gap of the plain
model, of the plain model with one lever on, and of every lever on.

    python scripts/mclp_levers.py                   # 10k x 1k at p = 150 and 200, Wuhan
    python scripts/mclp_levers.py --cases 10k-200 --limit 60

The levers (``aedplan.optimise``): ``merge`` (identical demand rows merged), ``dominance``
(sites whose rows are a subset of another's dropped), ``cuts`` (odd-cycle cuts at the root
LP of a one-part core), ``round`` (the root LP's choices rounded and improved by swaps, the
start when better), ``priced`` (a part's first solve priced: a line above its curve at every
budget). "plain" has every one of them off, "before" only the first two (aedplan before
issue 27), "+a+b" the levers named; the Lagrangian bound and fixing, the greedy and
swap start and the part-by-part sharing are always on. Each run is a fresh process on the
same instance, one after another (the machine's load is what it is: compare rows of one
run). The Wuhan instance is the one ``aedplan plan`` builds for ``--aeds none --demand
network --candidates nodes --budget 500`` on ../shared/data/networks/wuhan-fua-drive.parquet,
solved with ``--gap 0`` (proven optimal); ``default-B``: demand every 50 m along the
embedded default's streets, every node a site, budget B, ``--gap 0``; ``10k-B``:
scripts/synthetic.py's ``make_instance(10_000, 1_000, 52_000)``, budget B, at the default
gap (0.01%).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WUHAN = HERE.parent.parent / "shared" / "data" / "networks" / "wuhan-fua-drive.parquet"
LEVERS = ("merge", "dominance", "cuts", "round", "priced")
#: "before": the two reductions aedplan had before the others (issue 27)
CONFIGS = ["plain", *(f"+{lever}" for lever in LEVERS), "before", "all"]


def switch(on: set[str]) -> None:
    """Turn every lever not in ``on`` off (in this process)."""
    import functools

    from aedplan.optimise import _bypart, _core, _cuts, _reduce, mclp

    if "merge" not in on:
        _reduce.merge_rows = lambda A, w, level: (A, w, level)
    if "dominance" not in on:
        mclp.reduce = functools.partial(_reduce.reduce, dominance=False)
    if "cuts" not in on and "round" not in on:
        mclp.CUTS = False
    if "cuts" not in on:
        _cuts.MAX_ROUNDS = 0  # the root LP alone (its rounding, when on)
    if "round" not in on:
        _core._rounded = lambda B, wb, x_lp, x0, pb: x0
    if "priced" not in on:
        _bypart.PRICED = False


def run_one(config: str, path: str, limit: float) -> dict:
    """Solve the instance at ``path`` with the levers of ``config`` (in this process)."""
    named = {"plain": "", "all": "+" + "+".join(LEVERS), "before": "+merge+dominance"}
    on = set(filter(None, named.get(config, config).split("+")))
    switch(on)
    from aedplan.optimise import solve_mclp

    inst = pickle.loads(Path(path).read_bytes())
    t0 = time.perf_counter()
    plan = solve_mclp(inst["A"], inst["w"], inst["budget"], covered=inst.get("covered"),
                      mip_rel_gap=inst["gap"], time_limit_s=limit)
    return {"seconds": time.perf_counter() - t0, "status": plan.status, "gap": plan.gap,
            "objective": plan.objective, "bound": plan.bound,
            "reduced": list(plan.model_size["reduced"]), "milp": list(plan.model_size["milp"])}


def synthetic(work: Path, budget: int) -> Path:
    sys.path.insert(0, str(HERE))
    from synthetic import make_instance

    A, w = make_instance(10_000, 1_000, 52_000)
    path = work / f"synthetic-{budget}.pkl"
    path.write_bytes(pickle.dumps({"A": A, "w": w, "budget": budget, "gap": 1e-4}))
    return path


def embedded(work: Path, budget: int) -> Path:
    """Demand every 50 m along the embedded default's streets, every node a site."""
    import warnings

    import numpy as np

    from aedplan.coverage import coverage_matrix
    from aedplan.datasets import default_osm_path
    from aedplan.demand import demand_from_network
    from aedplan.network import load_network
    from aedplan.timemodel import TimeModel

    warnings.simplefilter("ignore")
    net = load_network(default_osm_path())
    demand = demand_from_network(net, spacing_m=50.0).to_crs(net.crs)
    A = coverage_matrix(net, demand, np.column_stack([net.x, net.y]), model=TimeModel())
    path = work / f"embedded-{budget}.pkl"
    path.write_bytes(pickle.dumps({"A": A, "w": demand["weight"].to_numpy(), "budget": budget,
                                   "gap": 0.0}))
    return path


def instance(work: Path, case: str) -> Path:
    if case == "wuhan":
        return wuhan(work)
    kind, budget = case.split("-")
    return (embedded if kind == "default" else synthetic)(work, int(budget))


def wuhan(work: Path) -> Path:
    """The instance `aedplan plan` hands the solver for Wuhan (captured, then solved here)."""
    import warnings

    import aedplan.plan as plan_module
    from aedplan.cli import main

    caught = {}

    def capture(A, weights, budget, **options):
        caught.update(A=A, w=weights, budget=budget, covered=options.get("covered"), gap=0.0)
        raise SystemExit(0)

    plan_module.solve_mclp = capture
    warnings.simplefilter("ignore")
    with contextlib.suppress(SystemExit):
        main(["plan", "--osm", str(WUHAN), "--aeds", "none", "--demand", "network",
              "--candidates", "nodes", "--budget", "500", "--gap", "0", "--quiet",
              "--out", str(work / "wuhan-out")], standalone_mode=False)
    path = work / "wuhan.pkl"
    path.write_bytes(pickle.dumps(caught))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="10k-150,10k-200,wuhan")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--limit", type=float, default=60.0, help="time limit (s) per solve")
    parser.add_argument("--json", help="also write the rows here")
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)  # config, instance file
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_one(args.run[0], args.run[1], args.limit)))
        return 0
    rows = []
    print("| case | levers | s | status | gap | objective | bound | reduced |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for case in args.cases.split(","):
            if case == "wuhan" and not WUHAN.exists():
                print(f"needs the shared data: {WUHAN} not found", file=sys.stderr)
                continue
            path = instance(work, case)
            for config in args.configs.split(","):
                out = subprocess.run([sys.executable, __file__, "--limit", str(args.limit),
                                      "--run", config, str(path)],
                                     capture_output=True, text=True, check=False)
                if out.returncode:
                    print(out.stderr, file=sys.stderr)
                    continue
                row = {"case": case, "config": config, **json.loads(out.stdout)}
                rows.append(row)
                print(f"| {case} | {config} | {row['seconds']:.1f} | {row['status']} | "
                      f"{100 * row['gap']:.3f}% | {row['objective']:,.2f} | "
                      f"{row['bound']:,.2f} | {row['reduced']} |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
