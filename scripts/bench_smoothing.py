"""Arrest smoothing at 1,000, 10,000 and 100,000 arrests, and ``aedplan validate --folds 5``
on 20,000: time and peak memory, against the dense implementation smoothing had before
its kernel was cut off (every pair of arrests at once) where that can still run.

    python scripts/bench_smoothing.py                      # about 5 minutes
    python scripts/bench_smoothing.py --sizes 1000,4000 --no-validate --full-cv

The arrests are MADE UP: ``scripts/make_arrests.py`` on the real Liechtenstein OSM file
(``../shared/data/osm/liechtenstein-2024-03-03.osm.pbf``) with 34,000 a year for
2021-2023, about 102,000 in all, of which each size takes a random subset (seeded). The
demand points are the real network's, every 50 m of street (``demand_from_network``).

Each measurement runs in a fresh process: ``smooth`` is choosing the bandwidth and
reading the density at every demand point, as ``--demand arrests-smoothed`` does; its
peak is the process's resident set during the step (interpreter, libraries and inputs
included: ``start MB`` is what the process held when the step began). ``before`` runs
only where its matrix of every pair fits ``--before-limit-gb`` (it takes about 55 bytes a
pair). ``--full-cv`` also chooses the bandwidth on all the arrests rather than a sample, up to
20,000 of them (its time grows with the square of their number), to show what the
sample changes.
``validate`` is the whole command, files written, timed from outside. Times are
wall-clock and printed, never asserted; on a shared machine they vary with its load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_tasks  # noqa: E402

DATA = Path(os.environ.get("AEDPLAN_SHARED_DATA", HERE.parent.parent / "shared" / "data"))
LIECHTENSTEIN = DATA / "osm" / "liechtenstein-2024-03-03.osm.pbf"
CACHE = Path(tempfile.gettempdir()) / "aedplan-bench-cache" / "smoothing"
BEFORE_BYTES_PER_PAIR = 55  # the dense implementation's peak: 872 MB at 4,000 arrests
FULL_CV_MAX = 20_000  # --full-cv: about a minute at 20,000 arrests


# ------------------------------------------------------------------ the inputs, once


def inputs() -> Path:
    """The made-up arrests (projected) and the network's demand points, cached."""
    path = CACHE / "inputs.npz"
    if path.exists():
        return path
    import warnings

    import geopandas as gpd
    import make_arrests
    import pandas as pd

    import aedplan

    CACHE.mkdir(parents=True, exist_ok=True)
    table = CACHE / "arrests.csv"
    if not table.exists():
        make_arrests.main([str(LIECHTENSTEIN), str(table), "--per-year", "34000"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = aedplan.load_network(LIECHTENSTEIN)
    demand = aedplan.demand_from_network(net).to_crs(net.crs)
    arrests = pd.read_csv(table)
    where = gpd.GeoSeries(gpd.points_from_xy(arrests["lon"], arrests["lat"]), crs=4326)
    where = where.to_crs(net.crs)
    np.savez(path, arrests=np.column_stack([where.x, where.y]),
             demand=np.column_stack([demand.geometry.x, demand.geometry.y]))
    return path


def subset(n: int, total: int) -> np.ndarray:
    """The rows of ``n`` arrests: a random subset, the same on every run."""
    return np.sort(np.random.default_rng(20240303).permutation(total)[:n])


# ------------------------------------------------------------------ in a fresh process


def dense_before(xy: np.ndarray, at: np.ndarray) -> tuple[float, np.ndarray]:
    """Smoothing as it was before the kernel was cut off: the matrix of every pair of
    arrests, a log-sum-exp over it for each bandwidth, then every (demand point, arrest)
    pair in blocks of 4 million."""
    from scipy.special import logsumexp

    from aedplan.smoothing import BANDWIDTHS_M

    n = xy.shape[0]
    d2 = np.concatenate([((xy[i:i + 2000, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
                         for i in range(0, n, 2000)])
    np.fill_diagonal(d2, np.inf)
    loglik = [float((logsumexp(-d2 / (2 * h * h), axis=1)
                     - np.log((n - 1) * 2 * np.pi * h * h)).mean()) for h in BANDWIDTHS_M]
    del d2
    h = float(BANDWIDTHS_M[int(np.argmax(loglik))])
    out = np.zeros(at.shape[0])
    step = max(1, 4_000_000 // n)
    for lo in range(0, at.shape[0], step):
        d2 = ((at[lo:lo + step, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
        out[lo:lo + step] = np.exp(-d2 / (2 * h * h)).sum(axis=1)
    return h, out / (n * 2 * np.pi * h * h)


class _Inbox(list):
    """Takes the measurements :class:`bench_tasks.Steps` sends."""

    def send(self, message: Any) -> None:
        self.append(message)


def child(kind: str, n: int) -> dict[str, Any]:
    from aedplan.smoothing import choose_bandwidth, density_at

    data = np.load(inputs())
    xy = data["arrests"][subset(n, data["arrests"].shape[0])]
    at = data["demand"]
    inbox = _Inbox()
    steps = bench_tasks.Steps(inbox)
    sample = None
    with steps(kind):
        if kind == "before":
            h, density = dense_before(xy, at)
        else:
            chosen = choose_bandwidth(xy, sample=None if kind == "full" else 5_000)
            h, sample = chosen.h_m, chosen.sample
            density = density_at(xy, at, h) if kind == "smooth" else None
    if density is not None:
        np.save(CACHE / f"{kind}-{n}.npy", density)
    return {**inbox[0][2], "h_m": h, "sample": sample}


def measure(kind: str, n: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(n)],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ the parent


def smoothing_rows(sizes: list[int], before_limit_gb: float, full_cv: bool) -> list[dict]:
    total = np.load(inputs())["arrests"].shape[0]
    rows = []
    for n in sizes:
        n = min(n, total)
        row: dict[str, Any] = {"arrests": n, "after": measure("smooth", n)}
        need_gb = BEFORE_BYTES_PER_PAIR * n * n / 1e9
        row["before"] = (measure("before", n) if need_gb <= before_limit_gb
                         else {"skipped": f"needs about {need_gb:,.0f} GB"})
        if full_cv and row["after"].get("sample", n) < n <= FULL_CV_MAX:
            row["full_cv"] = measure("full", n)
        if "s" in row["before"] and "s" in row["after"]:
            a, b = np.load(CACHE / f"smooth-{n}.npy"), np.load(CACHE / f"before-{n}.npy")
            row["largest_difference"] = float(np.abs(a - b).max() / b.max())
        rows.append(row)
        print_row(row)
    return rows


def print_row(row: dict[str, Any]) -> None:
    after, before = row["after"], row["before"]
    if "error" in after:
        print(f"{row['arrests']:>8,} | after failed: {after['error']}")
        return
    text = (f"{row['arrests']:>8,} | h {after['h_m']:6.1f} m on {after['sample']:,} | "
            f"after {after['s']:6.2f} s {after['peak_mb']:6.0f} MB "
            f"(start {after['start_mb']:.0f}) | ")
    if "s" in before:
        text += (f"before {before['s']:6.2f} s {before['peak_mb']:6.0f} MB, h "
                 f"{before['h_m']:.1f} m | {before['s'] / after['s']:.1f}x faster, "
                 f"densities within {row['largest_difference']:.1e} of the largest")
    else:
        text += f"before: {before.get('skipped') or before.get('error')}"
    if "full_cv" in row:
        full = row["full_cv"]
        text += (f" | all {row['arrests']:,} for the bandwidth: h {full['h_m']:.1f} m in "
                 f"{full['s']:.1f} s" if "s" in full else f" | full: {full}")
    print(text, flush=True)


def validate_row(n: int, folds: int) -> dict[str, Any]:
    import pandas as pd

    inputs()
    table = pd.read_csv(CACHE / "arrests.csv")
    path = CACHE / f"arrests-{n}.csv"
    table.iloc[subset(n, len(table))].to_csv(path, index=False)
    command = [sys.executable, "-m", "aedplan", "validate", "--osm", str(LIECHTENSTEIN),
               "--arrests", str(path), "--time-col", "time", "--folds", str(folds),
               "--out", str(CACHE / "validation"), "--overwrite", "--quiet"]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _TIMED, *command], capture_output=True,
                          text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    report = json.loads((CACHE / "validation" / "validation.json").read_text())
    row = {"arrests": n, "folds": folds, "s": seconds,
           "peak_mb": float(done.stdout.strip().splitlines()[-1]),
           "bandwidths_m": [round(b["bandwidth_m"], 1) for b in report["smoothing"] if b]}
    print(f"validate --folds {folds} on {n:,} arrests: {seconds:.1f} s, peak "
          f"{row['peak_mb']:.0f} MB; bandwidths {row['bandwidths_m']}", flush=True)
    return row


# runs a command and prints the peak resident set of its process (MB)
_TIMED = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]).returncode; "
          "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024); "
          "sys.exit(r)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--before-limit-gb", type=float, default=4.0)
    parser.add_argument("--full-cv", action="store_true")
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--validate-arrests", type=int, default=20_000)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return 0
    if not LIECHTENSTEIN.exists():
        print(f"needs {LIECHTENSTEIN} (set AEDPLAN_SHARED_DATA)")
        return 1
    print("made-up arrests on the real Liechtenstein network; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    out = {"smoothing": smoothing_rows([int(s) for s in args.sizes.split(",")],
                                       args.before_limit_gb, args.full_cv)}
    if not args.no_validate:
        out["validate"] = validate_row(args.validate_arrests, args.folds)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
