"""aedplan against the tools planners use today, side by side on identical inputs.

    python scripts/bench.py --quick            # under 3 minutes, for regular use
    python scripts/bench.py --full             # every row at full size (20-40 minutes)
    python scripts/bench.py --quick --rows 1,3 --json /tmp/b.json

Every row runs aedplan and a peer (networkx/osmnx, scipy, PySAL spopt + CBC, folium) on
the same inputs in the same run, checks that they agree and says how, and prints

    row | case | aedplan s | peer | peer s | ratio | agree | peak MB aedplan/peer | target | met

``ratio`` is peer seconds / aedplan seconds (how many times faster aedplan is; ``>`` when
the peer was stopped at its time limit, so the true ratio is larger).

How it measures: each side of a row runs in a fresh process ('spawn'), reads its inputs
from files written once by this process, and reports each step. Times are wall-clock
seconds of the step only (input loading and imports excluded; in row 6 the step is a
whole pipeline that reads its own inputs, each side having imported the libraries it
calls). "peak MB" is the peak resident set (RSS) of that process *during the step*, from
the kernel's high-water mark reset before the step (``/proc/self/clear_refs``): it
includes the interpreter, the imported libraries and the loaded inputs (the JSON also
has ``start_mb``, the RSS when the step began). Peers get a time limit; a peer still
running is killed and reported as stopped. Times are printed, never asserted.

Needs the ``bench`` extra (spopt, pulp) and the data in ``../shared/data``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing as mp
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_tasks  # noqa: E402

DATA = Path(os.environ.get("AEDPLAN_SHARED_DATA", HERE.parent.parent / "shared" / "data"))
VADUZ = DATA / "osm" / "vaduz-schaan-2024-03-03.osm.pbf"
LIECHTENSTEIN = DATA / "osm" / "liechtenstein-2024-03-03.osm.pbf"
CACHE = Path(tempfile.gettempdir()) / "aedplan-bench-cache"
COLUMNS = (
    "row",
    "case",
    "aedplan s",
    "peer",
    "peer s",
    "ratio",
    "agree",
    "peak MB aedplan/peer",
    "target",
    "met",
)


# --------------------------------------------------------------------------- running sides


def run_side(task: str, kwargs: dict[str, Any], *, timeout_s: float) -> dict[str, Any]:
    """Run ``bench_tasks.TASKS[task]`` in a fresh 'spawn' process with a time limit.

    Returns ``{"steps": {name: {...}}, "data": ..., "error": str | None, "wall_s": ...}``;
    steps finished before a timeout or a crash are kept.
    """
    ctx = mp.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=bench_tasks.child_main, args=(task, kwargs, send), daemon=True)
    t0 = time.perf_counter()
    proc.start()
    send.close()
    steps: dict[str, Any] = {}
    out: dict[str, Any] = {"steps": steps, "data": None, "error": None}
    deadline = t0 + timeout_s
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            _kill_group(proc)
            out["error"] = f"stopped at the {timeout_s:.0f} s limit"
            out["timeout"] = True
            break
        try:
            if not recv.poll(min(left, 1.0)):
                if not proc.is_alive() and not recv.poll(0.1):
                    out["error"] = f"process died (exit code {proc.exitcode}; out of memory?)"
                    break
                continue
            msg = recv.recv()
        except (EOFError, OSError):
            out["error"] = out["error"] or f"process died (exit code {proc.exitcode})"
            break
        if msg[0] == "step":
            steps[msg[1]] = msg[2]
        elif msg[0] == "data":
            out["data"] = msg[1]
        elif msg[0] == "error":
            out["error"] = msg[1]
            out["traceback"] = msg[2]
        elif msg[0] == "done":
            break
    proc.join(10)
    if proc.is_alive():
        proc.kill()
        proc.join()
    _kill_group(proc)  # anything the task started and left behind
    recv.close()
    out["wall_s"] = time.perf_counter() - t0
    return out


def _kill_group(proc: Any) -> None:
    """Kill the child and every process it started (its own process group)."""
    with contextlib.suppress(OSError):  # no such group: the child never started one
        os.killpg(proc.pid, signal.SIGKILL)
    if proc.is_alive():
        proc.kill()
    proc.join(5)


def _dump(obj: Any, path: Path) -> str:
    with open(path, "wb") as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
    return str(path)


def _s(side: dict[str, Any], *names: str) -> float | None:
    """Sum of the named steps' seconds (``None`` when one is missing)."""
    try:
        return float(sum(side["steps"][n]["s"] for n in names))
    except KeyError:
        return None


def _peak(side: dict[str, Any], *names: str) -> float | None:
    vals = [side["steps"][n]["peak_mb"] for n in names if n in side["steps"]]
    return max(vals) if vals else None


def _err(side: dict[str, Any]) -> str | None:
    return side.get("error")


class Bench:
    """Collects rows, prints them as they come and at the end."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.full = args.full
        self.work = work
        self.rows: list[dict[str, Any]] = []
        self.started = time.perf_counter()

    def add(
        self,
        row: int,
        case: str,
        *,
        aedplan_s: float | None,
        peer: str,
        peer_s: float | None,
        agree: str,
        peak: tuple[float | None, float | None],
        target: str = "",
        met: bool | None = None,
        peer_stopped: bool = False,
        error: str | None = None,
        **details: Any,
    ) -> dict[str, Any]:
        ratio = peer_s / aedplan_s if peer_s is not None and aedplan_s else None
        rec = {
            "row": row,
            "case": case,
            "aedplan_s": aedplan_s,
            "peer": peer,
            "peer_s": peer_s,
            "peer_stopped": peer_stopped,
            "ratio": ratio,
            "agree": agree,
            "peak_mb_aedplan": peak[0],
            "peak_mb_peer": peak[1],
            "target": target,
            "met": met,
            "error": error,
            "details": details,
        }
        self.rows.append(rec)
        print(format_row(rec), flush=True)
        return rec


# --------------------------------------------------------------------------- formatting


def _num(x: float | None, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.{digits}f}" if x < 1 else f"{x:.2f}"


def format_row(r: dict[str, Any]) -> str:
    ratio = (
        "-" if r["ratio"] is None else ((">" if r["peer_stopped"] else "") + f"{r['ratio']:,.1f}x")
    )
    peer_s = _num(r["peer_s"])
    if r["peer_stopped"] and r["peer_s"] is not None:
        peer_s = ">" + peer_s
    peak = f"{_num(r['peak_mb_aedplan'], 0)}/{_num(r['peak_mb_peer'], 0)}"
    met = {True: "yes", False: "NO", None: "-"}[r["met"]]
    agree = r["agree"] + (f" [error: {r['error']}]" if r["error"] else "")
    cells = (
        str(r["row"]),
        r["case"],
        _num(r["aedplan_s"]),
        r["peer"],
        peer_s,
        ratio,
        agree,
        peak,
        r["target"] or "-",
        met,
    )
    return " | ".join(cells)


def print_table(rows: list[dict[str, Any]]) -> None:
    print()
    print(" | ".join(COLUMNS))
    for r in rows:
        print(format_row(r))


# --------------------------------------------------------------------------- inputs


def _net_arrays(net: Any) -> dict[str, Any]:
    return {
        "x": net.x,
        "y": net.y,
        "u": net.edge_u,
        "v": net.edge_v,
        "length": net.edge_length_m,
        "crs": net.crs.to_string(),
        "csr_data": net.graph.data,
        "csr_indices": net.graph.indices,
        "csr_indptr": net.graph.indptr,
    }


def _quiet(fn, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*a, **k)


def _grid(n: int, **kw: Any):
    from grids import jittered_grid

    return _quiet(jittered_grid, n, **kw)


def _aed_nodes(net: Any, pbf: Path) -> np.ndarray:
    """The nearest network node of every real AED of the extract."""
    from scipy.spatial import cKDTree

    import aedplan

    aeds = _quiet(aedplan.read_points, pbf).to_crs(net.crs)
    _, idx = cKDTree(np.column_stack([net.x, net.y])).query(
        np.column_stack([aeds.geometry.x, aeds.geometry.y])
    )
    return np.asarray(idx, dtype=np.int64)


# --------------------------------------------------------------------------- row 1


def row1(b: Bench) -> None:
    """Rescue circles and nearest-AED times: aedplan vs networkx / the osmnx recipe."""
    import aedplan

    nets: list[tuple[str, Path | None, int]] = [
        ("Vaduz+Schaan", VADUZ, 0),
        ("Liechtenstein", LIECHTENSTEIN, 0),
        ("grid 100k", None, 100_000),
    ]
    if b.full:
        nets.append(("grid 1M", None, 1_000_000))
    counts = [100, 1000, 5000] if b.full else [100, 1000]
    rng = np.random.default_rng(1)
    for label, pbf, n in nets:
        try:
            if pbf is not None:
                net = _quiet(aedplan.load_network, str(pbf))
                d = _net_arrays(net)
                d["geometry"] = net.edge_geometry
                nodes = _aed_nodes(net, pbf)
                cases = [{"key": f"{nodes.size} real AEDs", "nodes": nodes}]
            else:
                net = _grid(n)
                d = _net_arrays(net)
                cases = [
                    {"key": f"{k:,} AEDs", "nodes": rng.choice(net.n_nodes, k, replace=False)}
                    for k in counts
                ]
            name = f"{label} ({net.n_nodes:,} nodes, {net.n_edges:,} edges)"
            path = _dump(d, b.work / f"r1-{label.replace(' ', '_')}.pkl")
            big = net.n_nodes > 500_000
            limit = (3600 if big else 900) if b.full else 300
            a = run_side(
                "r1_aedplan",
                {"net_file": path, "cases": cases, "pbf": str(pbf) if pbf else None},
                timeout_s=1200,
            )
            p = run_side("r1_networkx", {"net_file": path, "cases": cases}, timeout_s=limit)
            _row1_report(b, name, a, p, cases)
        except Exception as exc:  # one network failing does not stop the others
            b.add(
                1,
                label,
                aedplan_s=None,
                peer="networkx",
                peer_s=None,
                agree="-",
                peak=(None, None),
                error=f"{type(exc).__name__}: {exc}",
            )
            traceback.print_exc()


def _row1_report(b: Bench, name: str, a: dict, p: dict, cases: list[dict]) -> None:
    a_build, p_build = _s(a, "build"), _s(p, "build")
    b.add(
        1,
        f"{name}: network build from arrays",
        aedplan_s=a_build,
        peer="nx.Graph",
        peer_s=p_build,
        agree=_build_agree(a, p),
        peak=(_peak(a, "build"), _peak(p, "build")),
        target="faster",
        met=None if a_build is None or p_build is None else a_build < p_build,
        peer_stopped=bool(p.get("timeout")) and p_build is None,
        error=_err(a) or _err(p),
        csr_only_s=_s(a, "csr_only"),
        load_pbf_s=_s(a, "load_pbf"),
    )
    for case in cases:
        key = case["key"]
        ad = (a["data"] or {}).get("cases", {}).get(key)
        pd_ = (p["data"] or {}).get("cases", {}).get(key)
        # nearest times
        a_s = _s(a, f"nearest/{key}")
        p_s = _s(p, f"snap/{key}", f"nearest/{key}")
        agree = "-"
        met = None
        if ad is not None and pd_ is not None:
            ra, rp = np.isfinite(ad["node_s"]), np.isfinite(pd_["node_s"])
            same = bool(np.array_equal(ra, rp))
            diff = float(
                np.max(np.abs(ad["node_s"][ra & rp] - pd_["node_s"][ra & rp]), initial=0.0)
            )
            ok = same and diff <= 1e-6
            agree = (
                f"{'OK' if ok else 'DIFFER'}: same {int(ra.sum()):,} nodes reached "
                f"within 4 min, max |dt| {diff:.1e} s (tol 1e-6)"
                if same
                else f"DIFFER: reached {int(ra.sum()):,} vs {int(rp.sum()):,} nodes "
                f"({int((ra != rp).sum())} differ), max |dt| {diff:.1e} s"
            )
        if a_s is not None and p_s is not None:
            met = a_s < p_s
        b.add(
            1,
            f"{name}, {key}: nearest-AED time",
            aedplan_s=a_s,
            peer="nx.multi_source_dijkstra",
            peer_s=p_s,
            agree=agree,
            peak=(_peak(a, f"nearest/{key}"), _peak(p, f"snap/{key}", f"nearest/{key}")),
            target="faster",
            met=met,
            peer_stopped=bool(p.get("timeout")) and p_s is None,
            error=None if (a_s is not None and p_s is not None) else (_err(a) or _err(p)),
            peer_snap_s=_s(p, f"snap/{key}"),
        )
        # circles
        a_c = _s(a, f"circles/{key}")
        p_c = _s(p, f"snap/{key}", f"circles/{key}")
        agree = "-"
        if ad is not None and pd_ is not None:
            same_pairs = bool(np.array_equal(ad["pairs"], pd_["pairs"]))
            aa, pa = ad["convex_area"], pd_["convex_area"]
            rel = (
                float(np.max(np.abs(aa - pa) / np.maximum(pa, 1.0), initial=0.0))
                if (aa.shape == pa.shape)
                else float("inf")
            )
            ok = same_pairs and rel <= 1e-9
            agree = (
                f"{'OK' if ok else 'DIFFER'}: per-AED reached node sets "
                f"{'equal' if same_pairs else 'differ'} ({ad['pairs'].size:,} pairs "
                f"vs {pd_['pairs'].size:,}); aedplan method='convex' hull areas = "
                f"recipe's (max rel diff {rel:.1e}); aedplan streets circles "
                f"{ad['circles_area_km2']:.2f} km2"
            )
        a_v = _s(a, f"convex/{key}")
        b.add(
            1,
            f"{name}, {key}: circles, aedplan method='convex' (the recipe's polygons)",
            aedplan_s=a_v,
            peer="ox recipe ego_graph+hull",
            peer_s=p_c,
            agree=agree,
            peak=(_peak(a, f"convex/{key}"), _peak(p, f"snap/{key}", f"circles/{key}")),
            target="faster",
            met=None if a_v is None or p_c is None else a_v < p_c,
            peer_stopped=bool(p.get("timeout")) and p_c is None,
            error=None if (a_v is not None and p_c is not None) else (_err(a) or _err(p)),
        )
        b.add(
            1,
            f"{name}, {key}: circles, aedplan method='streets' (exact 5 m polygons; "
            "more work than the recipe)",
            aedplan_s=a_c,
            peer="ox recipe ego_graph+hull",
            peer_s=p_c,
            agree="not the same polygons: streets circles cut partly reached edges and "
            "add the off-street walk (see the row above for the checked recipe); drawn "
            f"again with the network's lattice kept: {_num(_s(a, f'circles_again/{key}'))} s",
            peak=(_peak(a, f"circles/{key}"), _peak(p, f"snap/{key}", f"circles/{key}")),
            target="faster",
            met=None if a_c is None or p_c is None else a_c < p_c,
            peer_stopped=bool(p.get("timeout")) and p_c is None,
            error=None if (a_c is not None and p_c is not None) else (_err(a) or _err(p)),
            again_s=_s(a, f"circles_again/{key}"),
        )


def _build_agree(a: dict, p: dict) -> str:
    if a["data"] is None:
        return "-"
    return (
        f"same arrays in: aedplan CSR {a['data']['n_nodes']:,} nodes / "
        f"{a['data']['n_edges']:,} edges; csr only {_num(_s(a, 'csr_only'))} s"
    )


# --------------------------------------------------------------------------- row 2


def row2(b: Bench) -> None:
    """Per-candidate reach sets: aedplan vs scipy per-source dijkstra rows."""
    net = _grid(100_000, spacing_m=40.0)
    rng = np.random.default_rng(2)
    sources = rng.choice(net.n_nodes, 20_000, replace=False)
    path = _dump(_net_arrays(net), b.work / "r2-grid.pkl")
    name = f"grid 100k spacing 40 m ({net.n_nodes:,} nodes), 20,000 candidates on nodes"
    a = run_side("r2_aedplan", {"net_file": path, "sources": sources}, timeout_s=600)
    p = run_side(
        "r2_scipy", {"net_file": path, "sources": sources}, timeout_s=900 if b.full else 120
    )
    agree, agree_a = "-", "-"
    ad, pd_ = a["data"], p["data"]
    if ad is not None and pd_ is not None:
        n = ad["n"]
        ka = ad["s"].astype(np.int64) * n + ad["node"]
        kp = pd_["s"].astype(np.int64) * n + pd_["node"]
        oa, op = np.argsort(ka), np.argsort(kp)
        same = ka.size == kp.size and bool(np.array_equal(ka[oa], kp[op]))
        diff = (
            float(np.max(np.abs(ad["m"][oa] - pd_["m"][op]), initial=0.0))
            if same
            else (float("nan"))
        )
        agree = (
            f"{'OK' if same and diff <= 1e-6 else 'DIFFER'}: "
            f"{ka.size:,} vs {kp.size:,} (source, node) pairs, "
            f"{'same set' if same else 'sets differ'}, max |dm| {diff:.1e} m "
            f"(mean {ka.size / 20_000:.1f} nodes per source)"
        )
        # coverage matrix (demand = every node) against scipy's pairs
        rows = np.repeat(np.arange(n), np.diff(ad["A_indptr"]))
        k_mat = np.sort(ad["A_indices"].astype(np.int64) * n + rows)
        same_a = k_mat.size == kp.size and bool(np.array_equal(k_mat, np.sort(kp)))
        agree_a = (
            f"{'OK' if same_a else 'DIFFER'}: matrix nodes x sites has "
            f"{k_mat.size:,} pairs, {'same' if same_a else 'not the same'} set as "
            "scipy's rows"
        )
    a_r, p_r = _s(a, "reach"), _s(p, "reach")
    b.add(
        2,
        f"{name}: per-source reach",
        aedplan_s=a_r,
        peer="scipy dijkstra rows",
        peer_s=p_r,
        agree=agree,
        peak=(_peak(a, "reach"), _peak(p, "reach")),
        target="< 1 s",
        met=None if a_r is None else a_r < 1.0,
        peer_stopped=bool(p.get("timeout")),
        error=_err(a) or _err(p),
        aedplan_snap_sites_s=_s(a, "snap_sites"),
    )
    a_m = _s(a, "matrix")
    b.add(
        2,
        f"{name}: coverage_matrix (all nodes x sites, pre-snapped)",
        aedplan_s=a_m,
        peer="scipy dijkstra rows",
        peer_s=p_r,
        agree=agree_a,
        peak=(_peak(a, "matrix"), _peak(p, "reach")),
        target="< 1 s",
        met=None if a_m is None else a_m < 1.0,
        peer_stopped=bool(p.get("timeout")),
        error=_err(a) or _err(p),
    )


# --------------------------------------------------------------------------- rows 3-5


def _instance_file(b: Bench, n: int, m: int, pairs: int) -> str:
    from synthetic import make_instance

    path = b.work / f"inst-{n}-{m}.pkl"
    if not path.exists():
        A, w = make_instance(n, m, pairs)
        _dump(
            {"data": A.data, "indices": A.indices, "indptr": A.indptr, "shape": A.shape, "w": w},
            path,
        )
    return str(path)


def _obj_agree(a: dict[str, Any], other_obj: float | None, other: str) -> tuple[str, bool]:
    if other_obj is None:
        return f"{other} returned no solution", False
    diff = abs(a["objective"] - other_obj)
    rel = diff / max(abs(a["objective"]), 1e-300)
    ok = rel <= 1e-6
    return (
        f"{'OK: same' if ok else 'DIFFER:'} objective {a['objective']:,.4f} vs "
        f"{other_obj:,.4f} (rel diff {rel:.1e}; aedplan {a['status']}, "
        f"gap {a['gap']:.1e})"
    ), ok


def row3(b: Bench) -> None:
    """Exact MCLP 10,000 x 1,000: aedplan vs spopt + CBC."""
    # spopt builds its model term by term over the dense matrix (about 100 s at 10,000 x
    # 1,000), so quick mode checks the same model on a 1/5-scale instance, 2,000 x 200, with
    # p = 10 (5% of the sites, as p = 50 of 1,000)
    n, m = (10_000, 1_000) if b.full else (2_000, 200)
    inst = _instance_file(b, n, m, int(5.2 * n))
    budgets = [50, 200] if b.full else [10]
    a = run_side(
        "mclp_aedplan", {"inst": inst, "budgets": budgets, "time_limit_s": 60.0}, timeout_s=600
    )
    for p in budgets:
        limit = 600 if b.full else 120
        s = run_side("mclp_spopt", {"inst": inst, "p": p}, timeout_s=limit)
        ad = (a["data"] or {}).get(f"exact/{p}")
        sd = s["data"]
        a_s = _s(a, f"exact/{p}")
        s_s = _s(s, "build", "solve")
        stopped = bool(s.get("timeout"))
        if stopped:
            s_s = limit
        agree = "-"
        if ad is not None and sd is not None:
            agree, _ = _obj_agree(ad, sd["objective"], "spopt")
        elif ad is not None:
            agree = (
                f"aedplan {ad['status']}, objective {ad['objective']:,.4f}, bound "
                f"{ad['bound']:,.4f} (gap {ad['gap']:.2%}); spopt not finished: not "
                "compared"
            )
        b.add(
            3,
            f"MCLP {n:,} x {m:,} ({int(5.2 * n):,} pairs), p={p}",
            aedplan_s=a_s,
            peer="spopt MCLP + CBC",
            peer_s=s_s,
            agree=agree,
            peak=(_peak(a, f"exact/{p}"), _peak(s, "build", "solve")),
            target=">= 100x",
            met=None if a_s is None or s_s is None else s_s / a_s >= 100,
            peer_stopped=stopped,
            error=_err(a) or _err(s),
            spopt_build_s=_s(s, "build"),
            spopt_solve_s=_s(s, "solve"),
        )


def row4(b: Bench) -> None:
    """Exact MCLP at city scale 100,000 x 20,000: aedplan vs scipy milp (HiGHS)."""
    inst = _instance_file(b, 100_000, 20_000, 520_000)
    budgets = [50, 200] if b.full else [50]
    limit = 120.0 if b.full else 15.0
    a = run_side(
        "mclp_aedplan",
        {"inst": inst, "budgets": budgets, "time_limit_s": 60.0, "greedy": True},
        timeout_s=900,
    )
    for p in budgets:
        # HiGHS may overrun its own limit (see solve_mclp's notes): hard stop at 3x + 60 s
        m = run_side(
            "mclp_milp", {"inst": inst, "p": p, "time_limit_s": limit}, timeout_s=3 * limit + 60
        )
        ad = (a["data"] or {}).get(f"exact/{p}")
        gd = (a["data"] or {}).get(f"greedy/{p}")
        md = m["data"]
        a_s = _s(a, f"exact/{p}")
        m_s = _s(m, "build", "solve")
        stopped = bool(m.get("timeout")) or (md is not None and md["status"] != 0)
        if m.get("timeout"):
            m_s = 3 * limit + 60
        agree = "-"
        if ad is not None:
            greedy_gap = (
                (ad["objective"] - gd["objective"]) / ad["objective"] if gd else float("nan")
            )
            if md is not None and md["status"] == 0:
                agree, _ = _obj_agree(ad, md["objective"], "milp")
            elif md is not None:
                mo, mb = md.get("objective"), md.get("bound")
                parts = [f"aedplan {ad['status']} {ad['objective']:,.2f} (gap {ad['gap']:.1e})"]
                parts.append(f"milp stopped ({md['message'][:40]})")
                if mo is not None:
                    rel = (mo - ad["objective"]) / ad["objective"]
                    parts.append(f"its best {mo:,.2f} ({rel:+.2%} vs aedplan)")
                if mb is not None:
                    ok = mb >= ad["objective"] * (1 - 1e-6)
                    parts.append(f"its bound {mb:,.2f} {'>=' if ok else '< !'} aedplan objective")
                agree = "; ".join(parts)
            else:
                agree = (
                    f"aedplan {ad['status']} {ad['objective']:,.2f} (gap {ad['gap']:.1e});"
                    " milp gave no result"
                )
            agree += f"; greedy gap to optimum {greedy_gap:.3%}"
        met = None
        if ad is not None and a_s is not None:
            met = ad["status"] == "optimal" and a_s < 10.0
        b.add(
            4,
            f"MCLP 100,000 x 20,000 (520,000 pairs), p={p}",
            aedplan_s=a_s,
            peer=f"scipy milp (HiGHS, limit {limit:.0f} s)",
            peer_s=m_s,
            agree=agree,
            peak=(_peak(a, f"exact/{p}"), _peak(m, "build", "solve")),
            target="optimal < 10 s",
            met=met,
            peer_stopped=stopped,
            error=_err(a) or _err(m),
            aedplan=ad
            and {
                k: ad[k] for k in ("status", "gap", "objective", "bound", "solve_s", "model_size")
            },
            greedy_s=_s(a, f"greedy/{p}"),
            greedy_objective=gd and gd["objective"],
            milp=md and {k: md.get(k) for k in ("status", "message", "objective", "bound", "gap")},
        )


def row5(b: Bench) -> None:
    """Fewest sites to cover all coverable demand: aedplan vs greedy and scipy milp."""
    # quick mode: a 10,000 x 2,000 instance (aedplan needs minutes at city scale, see the
    # report of a full run)
    n_d, n_s = (100_000, 20_000) if b.full else (10_000, 2_000)
    inst = _instance_file(b, n_d, n_s, int(5.2 * n_d))
    limit = 120.0 if b.full else 15.0
    a = run_side(
        "minsites_aedplan", {"inst": inst, "time_limit_s": 30.0}, timeout_s=900 if b.full else 90
    )
    m = run_side("minsites_milp", {"inst": inst, "time_limit_s": limit}, timeout_s=3 * limit + 60)
    ad, md = a["data"], m["data"]
    a_s, m_s = _s(a, "exact"), _s(m, "build", "solve")
    if a.get("timeout"):
        a_s = 900.0 if b.full else 90.0
    if m.get("timeout"):
        m_s = 3 * limit + 60
    stopped = bool(m.get("timeout")) or (md is not None and md["status"] != 0)
    agree, met = "-", None
    if ad is not None:
        e = ad["exact"]
        count = round(e["objective"])
        parts = [
            f"aedplan {count} sites ({e['status']}, its bound {e['bound']:.0f}, gap "
            f"{e['gap']:.2%}, covers all coverable: {ad['exact_covers_all']}); greedy "
            f"{ad['greedy_sites']}"
        ]
        lower = e["bound"]
        if md is not None:
            state = "optimal" if md["status"] == 0 else "stopped"
            parts.append(
                f"milp {md.get('count')} sites ({state}, bound "
                f"{_num(md.get('bound'))}, covers all: {md.get('covers_all')})"
            )
            m_count, m_bound = md.get("count"), md.get("bound")
            if m_count is not None and md.get("covers_all") and m_count < e["bound"] - 1e-6:
                parts.append(
                    f"DIFFER: a full cover with {m_count} sites exists, so aedplan's "
                    f"bound {e['bound']:.0f} (and '{e['status']}') is wrong"
                )
                lower = m_bound if m_bound is not None else 0.0
            elif m_bound is not None:
                lower = max(lower, math.ceil(m_bound - 1e-6))
        true_gap = (count - lower) / count
        parts.append(f"aedplan gap to the best valid bound ({lower:.0f}): {true_gap:.2%}")
        agree = "; ".join(parts)
        met = a_s is not None and a_s < 30.0 and true_gap <= 0.005
    b.add(
        5,
        f"min sites for all coverable weight, {n_d:,} x {n_s:,} ({int(5.2 * n_d):,} pairs)",
        aedplan_s=a_s,
        peer=f"scipy milp set cover (limit {limit:.0f} s)",
        peer_s=m_s,
        agree=agree,
        peak=(_peak(a, "exact"), _peak(m, "build", "solve")),
        target="gap <= 0.5% < 30 s",
        met=met,
        peer_stopped=stopped,
        error=_err(a) or _err(m),
        greedy_s=_s(a, "greedy"),
        aedplan=ad and ad["exact"],
        milp=md,
    )


# --------------------------------------------------------------------------- row 6


def _osm_xml(pbf: Path, highway_only: bool) -> Path:
    """The PBF as OSM XML (cached; not timed): the whole file, or highway ways and their
    nodes only (an analyst's pre-filtered street file: the cheap case for osmnx)."""
    import osmium

    CACHE.mkdir(parents=True, exist_ok=True)
    out = CACHE / (
        pbf.name.replace(".osm.pbf", "") + ("-highways" if highway_only else "") + ".osm"
    )
    if out.exists():
        return out
    tmp = out.with_suffix(".tmp.osm")
    tmp.unlink(missing_ok=True)
    if highway_only:
        refs: set[int] = set()
        for w in osmium.FileProcessor(str(pbf), osmium.osm.WAY):
            if "highway" in w.tags:
                refs.update(n.ref for n in w.nodes)
        with osmium.SimpleWriter(str(tmp)) as writer:
            for o in osmium.FileProcessor(str(pbf), osmium.osm.NODE | osmium.osm.WAY):
                if (o.is_node() and o.id in refs) or (o.is_way() and "highway" in o.tags):
                    writer.add(o)
    else:
        with osmium.SimpleWriter(str(tmp)) as writer:
            for o in osmium.FileProcessor(str(pbf)):
                writer.add(o)
    tmp.rename(out)
    return out


def row6(b: Bench) -> None:
    """End to end: ``aedplan plan`` vs the analyst's osmnx + networkx + spopt + folium."""
    from aedplan.candidates import candidates_from_pois, exclude_existing
    from aedplan.io import read_points

    pbf, label = (LIECHTENSTEIN, "Liechtenstein") if b.full else (VADUZ, "Vaduz+Schaan")
    budget = 20
    net_xml, full_xml = _osm_xml(pbf, True), _osm_xml(pbf, False)
    aeds = _quiet(read_points, pbf)
    cands = _quiet(exclude_existing, _quiet(candidates_from_pois, pbf), aeds)
    lonlat = np.column_stack([cands.geometry.x, cands.geometry.y])
    out_a, out_p = b.work / "e2e-aedplan", b.work / "e2e-peer"
    out_p.mkdir(exist_ok=True)
    a = run_side(
        "e2e_aedplan", {"pbf": str(pbf), "out_dir": str(out_a), "budget": budget}, timeout_s=600
    )
    limit = 1800 if b.full else 300
    p = run_side(
        "e2e_osmnx",
        {
            "network_xml": str(net_xml),
            "full_xml": str(full_xml),
            "candidates_lonlat": lonlat,
            "out_dir": str(out_p),
            "budget": budget,
        },
        timeout_s=limit,
    )
    ad, pd_ = a["data"], p["data"]
    a_s, p_s = _s(a, "total"), _s(p, "total")
    if p.get("timeout"):
        p_s = float(limit)
    agree = "-"
    if ad is not None and pd_ is not None:
        agree = (
            f"same inputs: AEDs {ad['aeds']}/{pd_['aeds']}, buildings "
            f"{ad['demand_points']:,}/{pd_['demand_points']:,}, candidates "
            f"{ad['candidates']}/{pd_['candidates']}; coverage before "
            f"{ad['coverage_before']:.1%}/{pd_['coverage_before']:.1%}, after "
            f"{budget} new {ad['coverage_after']:.1%}/{pd_['coverage_after']:.1%} "
            f"(aedplan/peer; the peer ignores the walk to the street); "
            f"status {ad['status']}/{pd_['status']}"
        )
    b.add(
        6,
        f"{label} end to end (PBF -> map), budget {budget}",
        aedplan_s=a_s,
        peer="osmnx+nx+spopt+folium",
        peer_s=p_s,
        agree=agree,
        peak=(_peak(a, "total"), _peak(p, "total")),
        target=">= 10x",
        met=None if a_s is None or p_s is None else p_s / a_s >= 10,
        peer_stopped=bool(p.get("timeout")),
        error=_err(a) or _err(p),
        aedplan_stages=ad and ad["stages"],
        peer_stages=pd_ and pd_["stages"],
        import_s={"aedplan": _s(a, "import"), "peer": _s(p, "import")},
        html_mb={"aedplan": ad and ad["html_mb"], "peer": pd_ and pd_["html_mb"]},
        notes="each side imports the libraries it calls before the clock starts (import_s); "
        "peer network read from a highway-only XML made beforehand (not timed); "
        "features from the whole file as XML; candidates = aedplan's POI candidates",
    )


# --------------------------------------------------------------------------- row 7


def row7(b: Bench) -> None:
    """Map: aedplan render_map vs folium with one object per feature."""
    from bench_render import make_city

    import aedplan

    li_aeds = _quiet(aedplan.read_points, LIECHTENSTEIN)
    net = _quiet(aedplan.load_network, str(LIECHTENSTEIN))
    circles = _quiet(aedplan.rescue_circles, net, li_aeds).circles
    li_aeds = li_aeds.copy()
    li_aeds["max_s"] = np.nan
    li_aeds.loc[circles["aed"].to_numpy(), "max_s"] = circles["max_s"].to_numpy()
    cases = [
        ("Liechtenstein: 148 AEDs + their street circles", (li_aeds, circles)),
        ("5,000 AEDs + 1,000 circles (synthetic)", make_city(5000, 1000))
        if b.full
        else ("1,000 AEDs + 200 circles (synthetic, quick size)", make_city(1000, 200)),
    ]
    for name, frames in cases:
        path = _dump(frames, b.work / f"map-{len(frames[0])}.pkl")
        a = run_side("map_render", {"frames": path, "side": "aedplan"}, timeout_s=600)
        p = run_side("map_render", {"frames": path, "side": "peer"}, timeout_s=600)
        ad, pd_ = a["data"], p["data"]
        a_s, p_s = _s(a, "render"), _s(p, "render")
        agree, met = "-", None
        if ad is not None and pd_ is not None:
            n_a, n_c = len(frames[0]), len(frames[1])
            ok = pd_["markers"] == n_a and pd_["geojson_objects"] >= n_c
            agree = (
                f"same {n_a:,} AEDs + {n_c:,} circles (popups, tooltips) in; peer "
                f"{pd_['markers']:,} markers + {pd_['geojson_objects']:,} GeoJson "
                f"objects{'' if ok else ' (!)'}, aedplan "
                f"{ad['geojson_objects']} GeoJson layers; HTML "
                f"{ad['html_bytes'] / 1e6:.2f} MB vs {pd_['html_bytes'] / 1e6:.2f} MB"
            )
            met = (
                a_s is not None
                and p_s is not None
                and a_s < p_s
                and ad["html_bytes"] < pd_["html_bytes"]
            )
        b.add(
            7,
            f"map: {name}",
            aedplan_s=a_s,
            peer="folium per feature",
            peer_s=p_s,
            agree=agree,
            peak=(_peak(a, "render"), _peak(p, "render")),
            target="faster, smaller",
            met=met,
            error=_err(a) or _err(p),
            html_bytes={"aedplan": ad and ad["html_bytes"], "peer": pd_ and pd_["html_bytes"]},
        )


# --------------------------------------------------------------------------- main

ROWS = {1: row1, 2: row2, 3: row3, 4: row4, 5: row5, 6: row6, 7: row7}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick",
        action="store_true",
        help="smaller cases and peer limits, under 3 minutes (the default)",
    )
    mode.add_argument("--full", action="store_true", help="every case at full size")
    parser.add_argument(
        "--rows", default="1,2,3,4,5,6,7", help="comma-separated rows to run, e.g. 1,3"
    )
    parser.add_argument(
        "--json",
        default=str(Path(tempfile.gettempdir()) / "aedplan-bench.json"),
        help="where to write the results (default /tmp/aedplan-bench.json)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    try:
        rows = sorted({int(r) for r in args.rows.split(",") if r.strip()})
    except ValueError:
        parser.error(f"--rows: expected numbers 1-7 separated by commas, got {args.rows!r}")
    if not set(rows) <= set(ROWS):
        parser.error(f"--rows: rows are 1-7, got {args.rows!r}")
    if not LIECHTENSTEIN.exists():
        parser.error(f"data not found: {LIECHTENSTEIN} (set AEDPLAN_SHARED_DATA)")
    work = Path(tempfile.mkdtemp(prefix="aedplan-bench-"))
    b = Bench(args, work)
    mode_name = "full" if args.full else "quick"
    print(f"aedplan benchmark, {mode_name} mode, rows {rows}; {os.cpu_count()} CPUs")
    print(" | ".join(COLUMNS), flush=True)
    try:
        for r in rows:
            t = time.perf_counter()
            try:
                ROWS[r](b)
            except Exception as exc:  # a failing row does not stop the run
                b.add(
                    r,
                    "(row failed)",
                    aedplan_s=None,
                    peer="-",
                    peer_s=None,
                    agree="-",
                    peak=(None, None),
                    error=f"{type(exc).__name__}: {exc}",
                )
                traceback.print_exc()
            print(f"  (row {r} took {time.perf_counter() - t:.1f} s)", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - b.started
    print_table(b.rows)
    _print_stages(b.rows)
    print()
    print(f"targets (total {total:.0f} s, {mode_name} mode):")
    for r in b.rows:
        if r["target"] and r["met"] is not None:
            print(
                f"  {'MET   ' if r['met'] else 'MISSED'} row {r['row']}: {r['case']}: {r['target']}"
            )
    for r in b.rows:
        if r["target"] and r["met"] is None:
            print(f"  n/a    row {r['row']}: {r['case']}: {r['target']} (not measured)")
    payload = {
        "mode": mode_name,
        "rows_run": rows,
        "total_s": total,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "peak_mb": "peak RSS of the side's process during the step "
        "(VmHWM after a reset), interpreter and inputs included",
        "ratio": "peer s / aedplan s",
        "rows": b.rows,
    }
    Path(args.json).write_text(json.dumps(payload, indent=1, default=_json_default))
    print(f"wrote {args.json}")
    return 0


def _print_stages(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        d = r["details"]
        if r["row"] == 6 and (d.get("aedplan_stages") or d.get("peer_stages")):
            print()
            print(f"row 6 stages ({r['case']}), seconds:")
            for side in ("aedplan_stages", "peer_stages"):
                st = d.get(side) or {}
                print(
                    f"  {side.split('_')[0]:8s} " + ", ".join(f"{k} {v:.2f}" for k, v in st.items())
                )


def _json_default(o: Any) -> Any:
    if isinstance(o, np.ndarray):
        return o.tolist() if o.size <= 1000 else f"<array of {o.size}>"
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, (np.bool_,)):
        return bool(o)
    return str(o)


if __name__ == "__main__":
    sys.exit(main())
